// npm run soak -- --minutes N (default 30): the mixed load of
// __test__/soak.spec.ts (bench/soak-load.mjs) in a loop for N minutes.
// At the end of each minute the load is let drain and the host is sampled
// idle: its RSS and JS heap (after a GC), its open fds, its child processes
// (which must be exactly the pool's spares and the shared sidecar) and the
// sidecars' total PSS. Prints a table and a verdict; exits 1 when anything
// grew beyond its bound (or a runtime failed).
//
// Options: --minutes N, --concurrency N (default 8), --quiet.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  WARM_POOL_SIZE,
  childPids,
  collectGarbage,
  openFds,
  pssBytes,
  rssBytes,
  runLoad,
  settleChildren,
  sleep,
} from './soak-load.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { NodeRuntime } = require(join(root, 'index.js'))

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '8' },
    quiet: { type: 'boolean', default: false },
  },
})
const minutes = Number(args.minutes)
const concurrency = Number(args.concurrency)
if (!(minutes > 0) || !(concurrency >= 1)) {
  console.error('usage: node bench/soak.mjs [--minutes N] [--concurrency N]')
  process.exit(2)
}

// Bounds from the first idle sample (after a warm-up) to the last.
const BOUND = {
  rssMb: 64, // host resident memory, over the whole run
  rssLastHalfMb: 32, // ... over its second half (a leak keeps growing)
  heapMb: 8, // host JS heap after a GC
  fds: 0, // host open fds (the warm-up opened what Node opens once)
  sidecarsMb: 64, // total PSS of the idle sidecars (the shared one carries every shared runtime's leftovers)
}
const MB = 1024 * 1024
const IDLE = WARM_POOL_SIZE + 1 // the pool's spares and the shared sidecar

async function sample(minute, done, errors, fds0) {
  collectGarbage()
  // An fd closing as we look gets a second look.
  if (fds0 !== undefined && openFds() > fds0) await sleep(1000)
  const pids = childPids()
  let sidecars = 0
  for (const pid of pids) {
    const p = pssBytes(pid)
    if (!Number.isNaN(p)) sidecars += p
  }
  return {
    minute,
    runtimes: done,
    errors,
    rssMb: rssBytes() / MB,
    heapMb: process.memoryUsage().heapUsed / MB,
    fds: openFds(),
    children: pids.length,
    sidecarsMb: sidecars / MB,
    sharedMb: pssBytes(sharedPid) / MB,
  }
}

const log = (...a) => {
  if (!args.quiet) console.error(...a)
}

const t0 = Date.now()
// Warm-up: what the host sets up once is in the baseline.
let next = 0
let done = 0
const failures = []
{
  const r = await runLoad(NodeRuntime, { from: next, count: 16, concurrency })
  next = r.next
  failures.push(...r.errors)
}
// The shared sidecar, to show apart from the pool's spares.
const probe = await NodeRuntime.create({ sidecar: 'shared' })
const sharedPid = probe.sidecarPid
await probe.dispose()
await settleChildren(IDLE)
const samples = [await sample(0, 0, failures.length)]
log(`soak: ${minutes} min, ${concurrency} runtimes at a time, both sidecar modes`)
for (let m = 1; m <= minutes; m++) {
  const until = t0 + m * 60_000
  const r = await runLoad(NodeRuntime, { from: next, count: Number.MAX_SAFE_INTEGER - next, concurrency, until })
  next = r.next
  done += r.done
  failures.push(...r.errors)
  for (const e of r.errors.slice(0, 3)) log(e instanceof Error ? e.stack : e)
  await settleChildren(IDLE)
  const s = await sample(m, done, failures.length, samples[0].fds)
  samples.push(s)
  log(`minute ${m}: ${done} runtimes, rss ${s.rssMb.toFixed(1)} MB, fds ${s.fds}, children ${s.children}, sidecars ${s.sidecarsMb.toFixed(1)} MB`)
}

const first = samples[0]
const last = samples[samples.length - 1]
const mid = samples[Math.ceil((samples.length - 1) / 2)]
const checks = [
  ['host RSS growth', last.rssMb - first.rssMb, BOUND.rssMb, 'MB'],
  // From minute 1 on (a run of 2 minutes or more).
  ...(mid.minute > 0 && mid !== last ? [[`host RSS growth, minutes ${mid.minute} to ${last.minute}`, last.rssMb - mid.rssMb, BOUND.rssLastHalfMb, 'MB']] : []),
  ['host JS heap growth', last.heapMb - first.heapMb, BOUND.heapMb, 'MB'],
  ['host open fds growth', last.fds - first.fds, BOUND.fds, ''],
  ['idle sidecars PSS growth', last.sidecarsMb - first.sidecarsMb, BOUND.sidecarsMb, 'MB'],
]
// Idle, the children are the pool's spares and the same shared sidecar.
const wrongChildren = samples.filter((s) => s.children !== IDLE || Number.isNaN(s.sharedMb))

const f1 = (x) => x.toFixed(1)
console.log(`secure-exec soak — Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, ${minutes} min, ${concurrency} at a time\n`)
console.log('| minute | runtimes | errors | host RSS | host heap | host fds | children | sidecars PSS | of which the shared sidecar |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const s of samples) {
  console.log(`| ${s.minute} | ${s.runtimes} | ${s.errors} | ${f1(s.rssMb)} MB | ${f1(s.heapMb)} MB | ${s.fds} | ${s.children} | ${f1(s.sidecarsMb)} MB | ${f1(s.sharedMb)} MB |`)
}
console.log(`\nchildren when idle should be ${IDLE}: ${WARM_POOL_SIZE} pool spares and the shared sidecar (pid ${sharedPid} throughout)`)
let ok = failures.length === 0 && wrongChildren.length === 0
for (const [name, v, bound, unit] of checks) {
  const pass = v <= bound
  ok &&= pass
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${name}: ${unit ? f1(v) : v}${unit ? ' ' + unit : ''} (bound ${bound}${unit ? ' ' + unit : ''})`)
}
if (wrongChildren.length > 0) console.log(`FAIL children (or the shared sidecar gone) at minutes ${wrongChildren.map((s) => `${s.minute} (${s.children})`).join(', ')}`)
if (failures.length > 0) {
  console.log(`FAIL ${failures.length} runtimes failed; the first:`)
  console.log(failures[0] instanceof Error ? failures[0].stack : String(failures[0]))
}
console.log(ok ? `\nverdict: steady (${done} runtimes in ${minutes} min)` : '\nverdict: GREW or FAILED')
await NodeRuntime.closeIdleSidecars()
process.exitCode = ok ? 0 : 1
