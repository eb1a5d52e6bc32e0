// A plugin host: each untrusted plugin gets a runtime of its own (its own
// sidecar process, limits and filesystem) and a persistent context that
// keeps the plugin's state between messages. A plugin that loops forever
// is stopped at its CPU limit, is disabled, and the host goes on.
//
//   node examples/plugin-host.mjs
import { NodeRuntime, GuestError, TimeoutError, MemoryLimitError } from 'secure-exec'

// Plugin sources, as third parties would ship them. Each defines
// `plugin.onMessage(text)` and returns a string.
const plugins = {
  shout: `
    const plugin = { onMessage: (text) => text.toUpperCase() + '!' }
  `,
  counter: `
    let words = 0 // kept between messages: the context persists
    const plugin = { onMessage: (text) => \`\${(words += text.split(/\\s+/).length)} words so far\` }
  `,
  spinner: `
    const plugin = {
      onMessage(text) {
        if (text.includes('spin')) for (;;) {} // a bug, or an attack: never returns
        return 'fine'
      },
    }
  `,
  snoop: `
    const plugin = {
      onMessage() {
        // No permission was granted: the environment is empty and files are refused.
        const env = Object.keys(process.env).length
        return require('fs').readFileSync('/etc/hostname', 'utf8') + env
      },
    }
  `,
}

const loaded = []
for (const [name, source] of Object.entries(plugins)) {
  const rt = await NodeRuntime.create({
    limits: { cpuTimeMs: 100, memoryMb: 32 },
    // No permissions: no files, network, env, processes or tools.
  })
  const ctx = await rt.createContext({ filePath: `/plugins/${name}.js` })
  await ctx.run(source)
  loaded.push({ name, rt, ctx, disabled: false })
  console.log(`loaded ${name} (sidecar pid ${rt.sidecarPid}, guest pid ${ctx.pid})`)
}

async function deliver(p, text) {
  if (p.disabled) return 'disabled'
  const started = Date.now()
  try {
    const r = await p.ctx.run(`__return(plugin.onMessage(${JSON.stringify(text)}))`)
    return String(r.value)
  } catch (err) {
    if (err instanceof TimeoutError || err instanceof MemoryLimitError) {
      // The limit ended the plugin's context; its runtime still works.
      p.disabled = true
      return `stopped after ${Date.now() - started} ms (${err.code}, ${err.limit ?? 'memoryMb'}); disabled`
    }
    // An uncaught exception fails this message only; the context goes on.
    if (err instanceof GuestError) return `error: ${err.message}`
    throw err
  }
}

try {
  for (const text of ['hello world', 'spin please', 'still here?']) {
    console.log(`message: ${JSON.stringify(text)}`)
    const answers = await Promise.all(loaded.map((p) => deliver(p, text)))
    loaded.forEach((p, i) => console.log(`  ${p.name.padEnd(8)} -> ${answers[i]}`))
  }
} finally {
  await Promise.all(loaded.map((p) => p.rt.dispose()))
}
console.log(`done: ${loaded.filter((p) => !p.disabled).length} of ${loaded.length} plugins still enabled`)
