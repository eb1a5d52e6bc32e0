// Runs projects of the matrix on host Node and in the sandbox and shows how
// each compares, with the sandbox's stderr and the first differing line of
// stdout for those that differ. For finding why a project fails.
//
//   node __test__/projects/run.mjs [name...]      (all projects by default)
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { installProjects, listProjects, projectsDir, runGuest, runHost } from './harness.mjs'

// SECURE_EXEC_INDEX: another build's index.js (e.g. another checkout's).
const { NodeRuntime } = createRequire(import.meta.url)(process.env.SECURE_EXEC_INDEX || join(projectsDir, '..', '..', 'index.js'))
const names = process.argv.slice(2)
const all = listProjects()
const chosen = names.length ? all.filter((p) => names.includes(p.name)) : all
if (chosen.length !== (names.length || all.length)) throw new Error(`unknown project in ${names.join(' ')}`)
let t0 = Date.now()
const installed = await installProjects(chosen)
console.log(`installed ${installed.length} in ${((Date.now() - t0) / 1000).toFixed(1)}s`)
for (const p of installed) {
  t0 = Date.now()
  const [host, guest] = await Promise.all([runHost(p), runGuest(NodeRuntime, p)])
  const same = host.stdout === guest.stdout && host.code === guest.code
  const verdict = same ? 'pass' : 'FAIL'
  const flag = (same ? 'pass' : 'fail') === p.expected.slice(0, 4) ? '' : `  (expected ${p.expected.slice(0, 4)})`
  console.log(`\n== ${p.name}: ${verdict}${flag} [host ${host.code}, sandbox ${guest.code}, ${Date.now() - t0} ms]`)
  if (host.code !== 0) console.log(`host stderr:\n${host.stderr}`)
  if (!same) {
    const h = host.stdout.split('\n')
    const g = guest.stdout.split('\n')
    const i = h.findIndex((line, k) => line !== g[k])
    if (i >= 0) console.log(`stdout line ${i + 1} differs:\n  host:    ${JSON.stringify(h[i])}\n  sandbox: ${JSON.stringify(g[i] ?? null)}`)
    if (guest.stderr) console.log(`sandbox stderr:\n${guest.stderr.trimEnd()}`)
  }
}
await NodeRuntime.closeIdleSidecars?.()
