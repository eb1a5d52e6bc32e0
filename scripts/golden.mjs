// Records what host Node prints for each differential case
// (__test__/differential/<name>.js, stdin from <name>.stdin if present) in
// <name>.golden.json, which __test__/differential.spec.ts compares the
// sandbox against. Only the Node release the guest emulates may record them:
// another one prints other things.
//
//   npm run golden        (under Node GUEST_NODE_VERSION, src/sidecar/execute.rs)
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dir = join(root, '__test__', 'differential')
const pinned = /GUEST_NODE_VERSION: &str = "(v[\d.]+)"/.exec(
  readFileSync(join(root, 'src', 'sidecar', 'execute.rs'), 'utf8'),
)?.[1]
if (!pinned) throw new Error('scripts/golden.mjs: GUEST_NODE_VERSION not found in src/sidecar/execute.rs')
if (process.version !== pinned) {
  console.error(`scripts/golden.mjs: the guest emulates Node ${pinned}; run this with that Node, not ${process.version}`)
  process.exit(1)
}

const cases = readdirSync(dir).filter((f) => f.endsWith('.js')).sort()
for (const name of cases) {
  const file = join(dir, name)
  const stdinFile = file.replace(/\.js$/, '.stdin')
  const source = readFileSync(file)
  const stdin = existsSync(stdinFile) ? readFileSync(stdinFile) : undefined
  const r = spawnSync(process.execPath, [file], { argv0: 'node', encoding: 'utf8', env: {}, timeout: 20_000, input: stdin ?? '' })
  // Paths and pids differ between checkouts and runs.
  const stable = (s) => s.replaceAll(dir, '<dir>').replace(/\(node:\d+\)/g, '(node:PID)')
  const golden = {
    source: sourceHash(source, stdin),
    node: process.version,
    // A process a signal ended has the status a shell shows (128 + n),
    // as secure-exec's exec() reports it.
    status: r.status ?? (r.signal ? 128 + constants.signals[r.signal] : null),
    stdout: stable(r.stdout),
    stderr: stable(r.stderr),
  }
  writeFileSync(file.replace(/\.js$/, '.golden.json'), JSON.stringify(golden, null, 2) + '\n')
}
for (const f of readdirSync(dir).filter((f) => f.endsWith('.golden.json'))) {
  if (!cases.includes(f.replace(/\.golden\.json$/, '.js'))) unlinkSync(join(dir, f))
}
console.log(`recorded ${cases.length} golden files under Node ${process.version}`)

// On a terminal (__test__/differential-tty, compared by pty.spec.ts): each
// case runs under util-linux `script` on a pseudo-terminal of 100 columns
// and 30 rows, and what the terminal showed is recorded.
const ttyDir = join(root, '__test__', 'differential-tty')
const ttyCases = readdirSync(ttyDir).filter((f) => f.endsWith('.js')).sort()
for (const name of ttyCases) {
  const file = join(ttyDir, name)
  const command = `stty cols 100 rows 30; exec ${process.execPath} ${file}`
  const r = spawnSync('/usr/bin/script', ['-q', '-e', '-c', command, '/dev/null'], {
    encoding: 'utf8',
    env: { TERM: 'xterm-256color' },
    timeout: 20_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const golden = { source: sourceHash(readFileSync(file)), node: process.version, status: r.status, screen: r.stdout }
  writeFileSync(file.replace(/\.js$/, '.golden.json'), JSON.stringify(golden, null, 2) + '\n')
}
console.log(`recorded ${ttyCases.length} terminal golden files`)

/** Same as sourceHash in __test__/differential.spec.ts. */
function sourceHash(source, stdin) {
  const h = createHash('sha256').update(source)
  if (stdin) h.update('\0stdin\0').update(stdin)
  return h.digest('hex')
}
