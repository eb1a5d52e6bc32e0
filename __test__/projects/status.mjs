// Writes __test__/projects/STATUS.md: for each project, its pinned
// packages, how its entry loads them, the builtin modules it loads on host
// Node and the exports of them it reads (recorded by record-builtins.cjs),
// which of those the sandbox does not have yet, and its expected state with
// the reason (from its package.json).
// It runs every project both ways and says where the expectation no longer
// holds. __test__/projects.spec.ts checks the table against the package.json
// files.
//
//   node __test__/projects/status.mjs
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ENV, installProjects, listProjects, projectsDir, runGuest, runHost } from './harness.mjs'

const root = join(projectsDir, '..', '..')
const { NodeRuntime } = createRequire(import.meta.url)(join(root, 'index.js'))

function builtinsUsed(p) {
  const tmp = mkdtempSync(join(tmpdir(), 'se-builtins-'))
  const file = join(tmp, 'used.txt')
  try {
    writeFileSync(file, '')
    const r = spawnSync(process.execPath, ['--require', join(projectsDir, 'record-builtins.cjs'), p.entryPath], {
      cwd: p.dir,
      env: { ...ENV, SECURE_EXEC_RECORD_BUILTINS: file },
      encoding: 'utf8',
      timeout: 60_000,
    })
    if (r.status !== 0) throw new Error(`${p.name}: host run with the recorder failed:\n${r.stderr}`)
    return { stdout: r.stdout, used: [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))].sort() }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

// What the sandbox has of each 'mod' / 'mod.key': 'ok', 'missing' (a module
// that does not load, an export that is undefined) or 'stub' (a small
// function whose source names "unsupported": the stubs that throw
// ERR_SANDBOX_UNSUPPORTED).
async function inSandbox(names) {
  const rt = await NodeRuntime.create()
  try {
    const code = `const out = {}
      const stub = (v) => typeof v === 'function' && ((s) => s.length < 400 && /unsupported/i.test(s))(Function.prototype.toString.call(v))
      for (const w of ${JSON.stringify(names)}) {
        const i = w.indexOf('.')
        const m = i < 0 ? w : w.slice(0, i)
        let mod
        try { mod = require(m) } catch { out[w] = 'missing'; continue }
        if (i < 0) { out[w] = 'ok'; continue }
        const v = mod == null ? undefined : mod[w.slice(i + 1)]
        out[w] = v === undefined ? 'missing' : stub(v) ? 'stub' : 'ok'
      }
      __return(out)`
    return (await rt.run(code)).value
  } finally {
    await rt.dispose()
  }
}

// "crypto (createHash, randomBytes); fs.watch; stubs: http.createServer":
// modules the sandbox lacks with what the project reads of them, exports
// missing from modules it has, then exports that are stubs.
function describeMissing(used, has) {
  const whole = used.filter((u) => !u.includes('.') && has[u] === 'missing')
  const inWhole = (u) => whole.includes(u.slice(0, u.indexOf('.')))
  const parts = whole.map((m) => {
    const keys = used.filter((u) => u.startsWith(m + '.')).map((u) => u.slice(m.length + 1))
    return keys.length ? `${m} (${keys.join(', ')})` : m
  })
  for (const u of used) if (u.includes('.') && has[u] === 'missing' && !inWhole(u)) parts.push(u)
  const stubs = used.filter((u) => has[u] === 'stub')
  if (stubs.length) parts.push(`stubs: ${stubs.join(', ')}`)
  return parts.join('; ')
}

const projects = await installProjects(listProjects())
const results = []
for (const p of projects) {
  const [host, guest] = await Promise.all([runHost(p), runGuest(NodeRuntime, p)])
  const rec = builtinsUsed(p)
  if (rec.stdout !== host.stdout) console.log(`${p.name}: the recorded host run printed something else; its builtins may be off`)
  results.push({ p, host, guest, used: rec.used })
}
const has = await inSandbox([...new Set(results.flatMap((r) => r.used))])
const rows = []
const wrong = []
for (const { p, host, guest, used } of results) {
  const passes = host.code === 0 && host.stdout === guest.stdout && host.code === guest.code
  const expectPass = p.expected === 'pass'
  if (passes !== expectPass) wrong.push(`${p.name}: expected ${expectPass ? 'pass' : 'fail'}, ${passes ? 'passes' : 'fails'}`)
  if (!passes && p.failsWith && !(guest.stderr + guest.stdout).includes(p.failsWith)) wrong.push(`${p.name}: fails without ${JSON.stringify(p.failsWith)}`)
  const pkgs = Object.entries(p.dependencies)
    .map(([n, v]) => `${n}@${v}`)
    .join(', ')
  const ws = p.workspaces ? ` (workspaces ${p.workspaces.join(', ')})` : ''
  const layout = p.layout === 'pnpm' ? ', pnpm layout' : ''
  const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  rows.push(
    `| ${p.name} | ${cell(pkgs || '—')}${ws} | ${p.format}${layout} · ${p.entry} | ${used.filter((u) => !u.includes('.')).join(', ') || '—'} | ${describeMissing(used, has) || '—'} | ${cell(p.expected)} |`,
  )
}
await NodeRuntime.closeIdleSidecars?.()

// The last commit that changed the sandbox (src/), not the matrix.
const commit = spawnSync('git', ['log', '-1', '--format=%h', '--', 'src'], { cwd: root, encoding: 'utf8' }).stdout.trim()
const passing = projects.filter((p) => p.expected === 'pass').length
const text = `# Project matrix status

Real npm packages run by \`__test__/projects.spec.ts\`: each project's entry
runs on host Node and in the sandbox, and stdout and the exit code must be
the same byte for byte. A project expected to fail must still fail (and with
the error in its \`failsWith\`): when one starts passing, flip its
\`expected\` to \`pass\` in its package.json and regenerate this file with
\`node __test__/projects/status.mjs\`.

${passing} of ${projects.length} pass (measured with src/ at ${commit}). "Builtins it loads" are those the entry
loads on host Node; "missing" are those of them the sandbox does not have at
that commit, with the exports the project reads of each, then exports the
project reads that are missing from builtins the sandbox has, then those
that are stubs (they throw ERR_SANDBOX_UNSUPPORTED when called).

| project | packages | format · entry | builtins it loads on Node | missing in the sandbox (what it reads of them) | expected |
|---|---|---|---|---|---|
${rows.join('\n')}
`
writeFileSync(join(projectsDir, 'STATUS.md'), text)
console.log(`wrote STATUS.md: ${passing} of ${projects.length} expected to pass`)
if (wrong.length) {
  console.log(`expectations that do not hold:\n  ${wrong.join('\n  ')}`)
  process.exitCode = 1
}
