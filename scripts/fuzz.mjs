// Long runs of the Rust property tests (the `proptests` modules), on
// stable Rust: each target's tests run again and again with many cases and
// a fresh seed each time, for a share of the time given.
//
//   npm run fuzz -- [--minutes N] [--target NAME]
//
// N minutes in all (default 10), split between the targets, or all of it
// for the one named. A failure prints proptest's minimal case and the seed
// and case count that replay it; the exit code is then 1.
// CARGO_TARGET_DIR defaults to target/fuzz: the addon's own build is
// never touched.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// Target name → test name filters (module paths of the crate's lib tests).
const targets = {
  ipc: ['ipc::proptests::'],
  ops: ['kernel::op::proptests::', 'kernel::syscall::proptests::'],
  mount: ['kernel::mount::proptests::'],
  net: ['kernel::net::rules::proptests::'],
  shell: ['kernel::shell::parse::proptests::'],
  vfs: ['kernel::vfs::proptests::'],
}

function parseArgs(argv) {
  const opts = { minutes: 10, target: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--minutes') opts.minutes = Number(argv[++i])
    else if (a === '--target') opts.target = argv[++i]
    else {
      console.error(`fuzz: unknown argument ${a}`)
      process.exit(2)
    }
  }
  if (!(opts.minutes > 0)) {
    console.error('fuzz: --minutes takes a positive number')
    process.exit(2)
  }
  if (opts.target !== null && !(opts.target in targets)) {
    console.error(`fuzz: no target ${opts.target}; targets: ${Object.keys(targets).join(', ')}`)
    process.exit(2)
  }
  return opts
}

const env = {
  ...process.env,
  SECURE_EXEC_NODE: process.execPath,
  CARGO_TARGET_DIR: process.env.CARGO_TARGET_DIR ?? join(root, 'target', 'fuzz'),
}
const cargoArgs = ['test', '--profile', 'ci', '--lib', '--features', 'bench']

// Builds the test binary once and returns its path.
function build() {
  console.log(`fuzz: building the tests (cargo ${cargoArgs.join(' ')}, CARGO_TARGET_DIR=${env.CARGO_TARGET_DIR})`)
  const out = execFileSync('cargo', [...cargoArgs, '--no-run', '--message-format=json-render-diagnostics'], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 << 20,
  })
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue
    const msg = JSON.parse(line)
    if (msg.reason === 'compiler-artifact' && msg.executable && msg.profile.test) return msg.executable
  }
  throw new Error('fuzz: cargo built no test binary')
}

// One run of a target's tests; resolves with how it went.
function runOnce(bin, filters, cases, seed, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(bin, [...filters, '--test-threads', '2'], {
      cwd: root,
      env: { ...env, PROPTEST_CASES: String(cases), PROPTEST_RNG_SEED: seed, RUST_BACKTRACE: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const m = output.match(/test result: \w+\. (\d+) passed; (\d+) failed/)
      resolve({
        ok: code === 0 && !timedOut,
        code,
        signal,
        timedOut,
        passed: m ? Number(m[1]) : 0,
        tests: m ? Number(m[1]) + Number(m[2]) : 0,
        ms: Date.now() - started,
        output,
      })
    })
  })
}

// What a failed run says: the failing tests, their minimal cases, the
// panic messages.
function failureReport(output) {
  const keep = output
    .split('\n')
    .filter((l) => /^test .* FAILED$|minimal failing input|Test failed|panicked at|^thread '|assertion|stack overflow|^---- /.test(l))
  return (keep.length ? keep : output.split('\n').slice(-30)).map((l) => `    ${l.slice(0, 2000)}`).join('\n')
}

async function fuzzTarget(bin, name, filters, budgetMs) {
  const deadline = Date.now() + budgetMs
  let cases = 64
  let total = 0
  let runs = 0
  const failures = []
  // Short runs at first to learn the speed, then runs of about a minute
  // (each with a fresh seed), the last fitted to what is left.
  while (Date.now() < deadline) {
    const left = deadline - Date.now()
    const seed = BigInt(`0x${randomBytes(8).toString('hex')}`).toString()
    const r = await runOnce(bin, filters, cases, seed, Math.max(3 * left, 120_000))
    runs++
    if (r.tests === 0 && r.ok) {
      console.log(`fuzz: ${name}: no tests match ${filters.join(' ')}`)
      return { name, runs, total, failures: [{ seed, cases, report: 'no tests matched' }] }
    }
    total += r.passed * cases
    if (!r.ok) {
      const why = r.timedOut ? 'timed out' : r.signal ? `died of ${r.signal}` : `exit code ${r.code}`
      const report = failureReport(r.output)
      failures.push({ seed, cases, report })
      console.log(`fuzz: ${name}: FAILED (${why}) with PROPTEST_RNG_SEED=${seed} PROPTEST_CASES=${cases}\n${report}`)
      console.log(
        `fuzz: replay: PROPTEST_RNG_SEED=${seed} PROPTEST_CASES=${cases} SECURE_EXEC_NODE=$(which node) CARGO_TARGET_DIR=${env.CARGO_TARGET_DIR} cargo ${cargoArgs.join(' ')} ${filters.join(' ')}`,
      )
      // Another seed may find another failure; a failing target is not
      // given the rest of its time.
      break
    }
    const perCase = r.ms / cases
    const next = Math.min(60_000, deadline - Date.now())
    if (next < Math.min(5_000, budgetMs / 4)) break
    cases = Math.max(16, Math.floor(next / Math.max(perCase, 0.01)))
  }
  console.log(`fuzz: ${name}: ${total} cases in ${runs} runs${failures.length ? ', FAILED' : ''}`)
  return { name, runs, total, failures }
}

const opts = parseArgs(process.argv.slice(2))
const bin = build()
const chosen = opts.target ? [opts.target] : Object.keys(targets)
const budgetMs = (opts.minutes * 60_000) / chosen.length
console.log(`fuzz: ${chosen.join(', ')}: ${(budgetMs / 60_000).toFixed(2)} min each`)
const results = []
for (const name of chosen) results.push(await fuzzTarget(bin, name, targets[name], budgetMs))
console.log('\nfuzz: summary')
for (const r of results) {
  console.log(`  ${r.name.padEnd(6)} ${String(r.total).padStart(10)} cases  ${String(r.runs).padStart(3)} runs  ${r.failures.length ? 'FAILED' : 'ok'}`)
}
process.exit(results.some((r) => r.failures.length) ? 1 : 0)
