// npm run bench: the figures design.md sets goals for, printed as one table.
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchDensity, densityRow } from './density.mjs'
import { benchNetwork } from './network.mjs'
import { benchPackages } from './packages.mjs'
import { benchProcesses } from './processes.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { NodeRuntime } = require(join(root, 'index.js'))

const quick = process.argv.includes('--quick')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const ms = (ns) => Number(ns) / 1e6
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))

function pssKb(pid) {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
  return m ? Number(m[1]) : NaN
}

// create() alone, and create() then the runtime's first run() of
// `__return(1)`, each with a warm pool.
async function benchCreate(n) {
  const times = []
  const first = []
  // Let the warm pool fill first.
  await (await NodeRuntime.create()).dispose()
  await sleep(500)
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    const rt = await NodeRuntime.create()
    const t1 = process.hrtime.bigint()
    await rt.run('__return(1)')
    first.push(ms(process.hrtime.bigint() - t0))
    times.push(ms(t1 - t0))
    await rt.dispose()
    await sleep(250) // the pool refills in the background
  }
  return { times, first }
}

async function benchRun(n, sidecar) {
  const rt = await NodeRuntime.create({ sidecar })
  for (let i = 0; i < 200; i++) await rt.run('__return(1)')
  const times = []
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    await rt.run('__return(1)')
    times.push(ms(process.hrtime.bigint() - t0))
  }
  await rt.dispose()
  return times
}

// The same call made every 5 ms: the runtime is idle in between, as between
// an agent's tool calls, so its next context is ready when the call comes.
async function benchRunSpaced(n) {
  const rt = await NodeRuntime.create()
  for (let i = 0; i < 200; i++) await rt.run('__return(1)')
  const times = []
  for (let i = 0; i < n; i++) {
    await sleep(5)
    const t0 = process.hrtime.bigint()
    await rt.run('__return(1)')
    times.push(ms(process.hrtime.bigint() - t0))
  }
  await rt.dispose()
  return times
}

// Calls/s of `runtimes` runtimes with 500 concurrent calls each (a JSON
// round trip per call), as the peers' figure is measured.
async function benchThroughput(runtimes, perRuntime) {
  const rts = await Promise.all(Array.from({ length: runtimes }, () => NodeRuntime.create()))
  const code = '__return(JSON.parse(JSON.stringify({ a: [1, 2, 3], b: "x", c: { d: true } })))'
  for (const rt of rts) for (let i = 0; i < 20; i++) await rt.run(code)
  const t0 = process.hrtime.bigint()
  await Promise.all(rts.map((rt) => Promise.all(Array.from({ length: perRuntime }, () => rt.run(code)))))
  const elapsed = ms(process.hrtime.bigint() - t0)
  await Promise.all(rts.map((rt) => rt.dispose()))
  return (runtimes * perRuntime) / (elapsed / 1000)
}

// A call in a persistent context: no fresh context, no bootstrap, a
// script run in the context's global scope.
async function benchContextCall(n) {
  const rt = await NodeRuntime.create()
  const ctx = await rt.createContext()
  for (let i = 0; i < 500; i++) await ctx.run('__return(1)')
  const times = []
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    await ctx.run('__return(1)')
    times.push(ms(process.hrtime.bigint() - t0))
  }
  await rt.dispose()
  return times
}

function benchColdProcess(n) {
  const script = `const t0 = Date.now(); const { NodeRuntime } = require(${JSON.stringify(join(root, 'index.js'))});
    NodeRuntime.create().then((rt) => rt.run('__return(1)')).then((r) => { if (r.value !== 1) process.exit(1); process.exit(0) })`
  // A machine-wide NODE_EXTRA_CA_CERTS makes every Node start read a CA
  // bundle (~34 ms here), which is not what is measured.
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  const times = []
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit', env })
    if (r.status !== 0) throw new Error('cold start run failed')
    times.push(ms(process.hrtime.bigint() - t0))
  }
  return times
}

// A CPU-bound workload: recursion, arithmetic, objects, strings.
const WORK = `
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }
function work() {
  let acc = fib(30);
  const objs = [];
  for (let i = 0; i < 300000; i++) objs.push({ i, s: 'k' + (i % 100) });
  acc += objs.reduce((a, o) => a + o.i % 7 + o.s.length, 0);
  acc += JSON.stringify(objs.slice(0, 20000)).length;
  return acc;
}
work();
const t0 = performance.now();
for (let r = 0; r < 5; r++) work();
const elapsed = performance.now() - t0;
`

// Best of 3 on each side: a fresh host process and a fresh guest process.
async function benchCpu() {
  let hostMs = Infinity
  let guestMs = Infinity
  const rt = await NodeRuntime.create({ limits: { memoryMb: 512 } })
  for (let i = 0; i < 3; i++) {
    const host = spawnSync(process.execPath, ['-e', WORK + 'console.log(elapsed)'], { encoding: 'utf8' })
    hostMs = Math.min(hostMs, Number(host.stdout.trim()))
    guestMs = Math.min(guestMs, (await rt.run(WORK + '__return(elapsed)')).value)
  }
  await rt.dispose()
  return { hostMs, guestMs }
}

async function benchMemory(n, sidecar) {
  const rts = []
  for (let i = 0; i < n; i++) rts.push(await NodeRuntime.create({ sidecar }))
  for (const rt of rts) await rt.run('__return(1)')
  // Idle: past the second after which a runtime gives back its prepared
  // context and its garbage.
  await sleep(1500)
  const pids = [...new Set(rts.map((r) => r.sidecarPid))]
  const total = pids.reduce((a, p) => a + pssKb(p), 0)
  await Promise.all(rts.map((r) => r.dispose()))
  return total / n / 1024
}

// A second build of the addon with `--features bench` (synthetic builtins
// of 20k lines and in-process timings), in a target dir of its own;
// bench/builtins.mjs measures under it.
function benchBuiltins() {
  const target = join(root, 'target', 'bench')
  const build = spawnSync('cargo', ['build', '--release', '--features', 'bench'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CARGO_TARGET_DIR: target, SECURE_EXEC_NODE: process.execPath },
  })
  if (build.status !== 0) throw new Error(`bench build failed:\n${build.stderr}`)
  const addon = join(target, 'secure-exec.node')
  copyFileSync(join(target, 'release', 'libsecure_exec.so'), addon)
  const r = spawnSync(process.execPath, [join(root, 'bench', 'builtins.mjs'), ...(quick ? ['--quick'] : [])], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: addon },
  })
  if (r.status !== 0) throw new Error(`bench/builtins.mjs failed:\n${r.stderr}`)
  return JSON.parse(r.stdout)
}

const rows = []
const add = (name, value, goal) => rows.push([name, value, goal])

// The op boundary, timed inside the guest (ns per call, best of 5 rounds):
// a no-argument op, a 1 KB bytes op, an op that fails (error built and
// thrown and caught) against a probe that answers with a status.
const OPS_BENCH = `
const N = 200000
function per(f) {
  let best = Infinity
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    f()
    best = Math.min(best, performance.now() - t0)
  }
  return best * 1e6 / N
}
const buf = new Uint8Array(1024)
__return({
  nop: per(() => { for (let i = 0; i < N; i++) __testOps.nop() }),
  bytes: per(() => { for (let i = 0; i < N; i++) __testOps.bytes(buf) }),
  fail: per(() => { for (let i = 0; i < N; i++) { try { __testOps.fail(2, '/x') } catch {} } }),
  probe: per(() => { for (let i = 0; i < N; i++) __testOps.probe(2) }),
})
`

// Round trips, timed inside the guest (µs per call): an async op that
// settles at once, and a host tool (async query and sync query).
const ROUND_TRIPS = `
async function per(n, f) {
  let best = Infinity
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await f()
    best = Math.min(best, performance.now() - t0)
  }
  return best * 1000 / n
}
const asyncOp = await per(2000, () => __testOps.sleep(0))
const query = await per(500, () => tools.ping(1))
let t0 = performance.now()
for (let i = 0; i < 500; i++) tools.ping.sync(1)
const querySync = (performance.now() - t0) * 1000 / 500
__return({ asyncOp, query, querySync })
`

async function benchBoundary() {
  const rt = await NodeRuntime.create({ testOps: true, tools: { ping: (x) => x }, permissions: { tool: 'allow' } })
  try {
    const ops = (await rt.run(OPS_BENCH)).value
    const trips = (await rt.run(ROUND_TRIPS, { filePath: '/bench.mjs' })).value
    return { ...ops, ...trips }
  } finally {
    await rt.dispose()
  }
}

// The filesystem, timed inside the guest (µs per call, best of 5 rounds):
// a 1 KB file read (as text and as a Buffer) and written; 10,000 files
// written and listed; the same read once they are all there.
const FS_BENCH = `
const fs = require('fs')
function per(n, f) {
  let best = Infinity
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) f(i)
    best = Math.min(best, performance.now() - t0)
  }
  return best * 1000 / n
}
const kb = 'x'.repeat(1024)
fs.writeFileSync('/tmp/one.txt', kb)
const N = 20000
const readText = per(N, () => fs.readFileSync('/tmp/one.txt', 'utf8'))
const readBuf = per(N, () => fs.readFileSync('/tmp/one.txt'))
const write = per(N, () => fs.writeFileSync('/tmp/w.txt', kb))
fs.mkdirSync('/tmp/many')
let t0 = performance.now()
for (let i = 0; i < 10000; i++) fs.writeFileSync('/tmp/many/f' + i, 'small')
const writeMany = performance.now() - t0
t0 = performance.now()
const listed = fs.readdirSync('/tmp/many').length
const list = performance.now() - t0
const readAmong = per(N, () => fs.readFileSync('/tmp/many/f5000', 'utf8'))
__return({ readText, readBuf, write, writeMany, list, listed, readAmong })
`

async function benchFs() {
  const rt = await NodeRuntime.create({ permissions: { fs: 'allow' } })
  const globbed = await NodeRuntime.create({ permissions: { fs: { read: ['/tmp/**'], write: ['/tmp/**'] } } })
  try {
    const r = (await rt.run(FS_BENCH)).value
    if (r.listed !== 10000) throw new Error('bench: the 10,000 files were not all listed')
    const g = (await globbed.run(FS_BENCH)).value
    // The host side, with 10 and with 10,000 files in the runtime, each
    // filled by a guest call and left to settle before it is measured.
    const fill = async (n) => {
      const h = await NodeRuntime.create({ permissions: { fs: 'allow' } })
      await h.run(`const fs = require('fs'); for (let i = 0; i < ${n}; i++) fs.writeFileSync('/tmp/f' + i, 'x'.repeat(1024))`)
      return h
    }
    const hostRead = async (h) => {
      const times = []
      for (let i = 0; i < (quick ? 200 : 1000); i++) {
        const t0 = process.hrtime.bigint()
        await h.fs.readFile('/tmp/f5')
        times.push(ms(process.hrtime.bigint() - t0) * 1000)
      }
      return pct(times, 50)
    }
    const fresh = await fill(10)
    const many = await fill(10000)
    await sleep(300)
    const few = await hostRead(fresh)
    const manyRead = await hostRead(many)
    await fresh.dispose()
    await many.dispose()
    return { ...r, globbedRead: g.readText, hostFew: few, hostMany: manyRead }
  } finally {
    await rt.dispose()
    await globbed.dispose()
  }
}

const { times: create, first: createRun } = await benchCreate(quick ? 10 : 40)
add('`create()` p50 / p95, warm pool', `${fmt(pct(create, 50))} / ${fmt(pct(create, 95))} ms`, '≤ 0.35 ms')
add('… `create()` and its first `run()` of `__return(1)`, p50 / p95', `${fmt(pct(createRun, 50))} / ${fmt(pct(createRun, 95))} ms`, '—')
const run = await benchRun(quick ? 300 : 2000, 'dedicated')
add('warm `run()` of `__return(1)`, back to back, p50 / p95', `${fmt(pct(run, 50))} / ${fmt(pct(run, 95))} ms`, '≤ 0.18 ms')
const spaced = await benchRunSpaced(quick ? 200 : 1000)
add('… one call every 5 ms (its context prepared while idle), p50 / p95', `${fmt(pct(spaced, 50))} / ${fmt(pct(spaced, 95))} ms`, '≤ 0.18 ms')
const runShared = await benchRun(quick ? 300 : 2000, 'shared')
add('warm `run()` back to back, shared sidecar, p50 / p95', `${fmt(pct(runShared, 50))} / ${fmt(pct(runShared, 95))} ms`, '≤ 0.18 ms')
const per = quick ? 100 : 500
const calls = []
for (const n of [1, 4, 16]) calls.push(`${Math.round(await benchThroughput(n, per))}`)
add(`calls/s with 1 / 4 / 16 runtimes, ${per} concurrent calls each (JSON round trip)`, calls.join(' / '), '≥ 5,000 (4 runtimes)')
const ctxCall = await benchContextCall(quick ? 1000 : 5000)
add('call in a persistent context (`ctx.run(\'__return(1)\')`) p50 / p95', `${pct(ctxCall, 50).toFixed(3)} / ${pct(ctxCall, 95).toFixed(3)} ms`, '≤ 0.05 ms')
const boundary = await benchBoundary()
add('op call: no arguments / 1 KB bytes argument', `${boundary.nop.toFixed(0)} / ${boundary.bytes.toFixed(0)} ns`, '—')
add('op that fails (Node error built, thrown, caught) vs a probe op', `${boundary.fail.toFixed(0)} vs ${boundary.probe.toFixed(0)} ns`, '—')
add('async op round trip (settles at once) / host query round trip, async and sync', `${boundary.asyncOp.toFixed(1)} / ${boundary.query.toFixed(0)} and ${boundary.querySync.toFixed(0)} µs`, '—')
const fsb = await benchFs()
add('guest `fs.readFileSync` of 1 KB: as text / as a Buffer / with a glob policy (text), per call', `${fmt(fsb.readText)} / ${fmt(fsb.readBuf)} / ${fmt(fsb.globbedRead)} µs`, '≤ 5 µs')
add('guest `fs.writeFileSync` of 1 KB, per call', `${fmt(fsb.write)} µs`, '—')
add('guest: write 10,000 small files / list them', `${fmt(fsb.writeMany)} / ${fmt(fsb.list)} ms`, '—')
add('guest `fs.readFileSync` of 1 KB with 10,000 files in its directory, per call', `${fmt(fsb.readAmong)} µs`, 'as with 10 files')
add('host `rt.fs.readFile` of 1 KB, p50, with 10 / 10,000 files present', `${fmt(fsb.hostFew)} / ${fmt(fsb.hostMany)} µs`, 'no slower with 10,000')
const pkgs = await benchPackages({ quick })
add('`run()` importing lodash-es + zod from a mounted node_modules: first call on a new runtime, p50 / p95', `${fmt(pkgs.first[0])} / ${fmt(pkgs.first[1])} ms`, '—')
add('… warm (same runtime, second and later calls), p50 / p95', `${fmt(pkgs.warm[0])} / ${fmt(pkgs.warm[1])} ms`, '—')
add("… the same files in the runtime's VFS instead of a mount, warm, p50 / p95", `${fmt(pkgs.vfs[0])} / ${fmt(pkgs.vfs[1])} ms`, '—')
add('… host Node importing the same, a new process each time, p50 / p95', `${fmt(pkgs.host[0])} / ${fmt(pkgs.host[1])} ms`, '—')
const net = await benchNetwork({ quick })
add('guest `fetch` of 1 KB from a host server on loopback, 16 at a time: requests/s, vs host Node\'s fetch of it', `${Math.round(net.guest.rps)} vs ${Math.round(net.host.rps)} (${(net.guest.rps / net.host.rps).toFixed(2)}x)`, '≥ 0.8x')
add('… one request at a time, time to the first byte p50, guest vs host', `${fmt(net.guest.firstByte)} vs ${fmt(net.host.firstByte)} ms`, '—')
add('guest http server and guest `fetch` in one call (virtual loopback): requests/s; first byte p50', `${Math.round(net.local.rps)}; ${fmt(net.local.firstByte)} ms`, '—')
add('guest http server driven by the host\'s `rt.fetch`: requests/s; first byte p50', `${Math.round(net.hostDriven.rps)}; ${fmt(net.hostDriven.firstByte)} ms`, '—')
const procs = await benchProcesses({ quick })
add('guest spawn-to-exit of `node -e 0` (`spawn`, then its `exit` event), p50 / p95; host Node\'s, p50', `${fmt(procs.async[0])} / ${fmt(procs.async[1])} ms; ${fmt(procs.host.spawn)} ms`, '≤ 5 ms')
add('… `spawnSync`, p50 / p95', `${fmt(procs.sync[0])} / ${fmt(procs.sync[1])} ms`, '—')
add('10 MB from a child through the parent and a second child back to the parent (kernel pipes, 3 processes, spawns included), vs host Node doing the same', `${Math.round(procs.mbps)} vs ${Math.round(procs.host.mbps)} MB/s`, '—')
add('guest `execSync("echo hi")` (the kernel\'s shell), p50 / p95; host Node\'s (/bin/sh), p50', `${fmt(procs.echo[0])} / ${fmt(procs.echo[1])} ms; ${fmt(procs.host.echo)} ms`, '—')
add('guest `execSync()` of a 3-stage shell pipeline over 10 MB (`cat` into `grep o` into `wc -l`), vs host Node with /bin/sh and coreutils', `${Math.round(procs.shMbps)} vs ${Math.round(procs.host.shMbps)} MB/s`, '—')
add('Worker `postMessage` round trip p50, guest vs host Node', `${fmt(procs.worker * 1000)} vs ${fmt(procs.host.worker * 1000)} µs`, '—')
add('host `rt.spawn("node", ["-e", "0"])` to its end, p50 / p95; a key typed on `rt.openShell` to its echo, p50', `${fmt(procs.api.spawn[0])} / ${fmt(procs.api.spawn[1])} ms; ${fmt(procs.api.echo * 1000)} µs`, '—')
const cold = benchColdProcess(quick ? 3 : 10)
add('new host process to first result, p50', `${fmt(pct(cold, 50))} ms`, '≤ 40 ms')
const cpu = await benchCpu()
add('CPU-bound guest vs host Node', `${(cpu.guestMs / cpu.hostMs).toFixed(2)}x (${fmt(cpu.guestMs)} vs ${fmt(cpu.hostMs)} ms)`, '≤ 1.02x')
const memDedicated = await benchMemory(quick ? 10 : 50, 'dedicated')
add(`PSS per idle runtime, ${quick ? 10 : 50} alive, dedicated sidecars`, `${memDedicated.toFixed(1)} MB`, '≤ 5 MB')
const memShared = await benchMemory(quick ? 10 : 50, 'shared')
add(`PSS per idle runtime, ${quick ? 10 : 50} alive, shared sidecar`, `${memShared.toFixed(1)} MB`, '≤ 1.0 MB')
// The same goals seen as a count: 1 GiB at 5 MB and at 1.0 MB a runtime.
for (const [sidecar, goal] of [['dedicated', '≥ 204'], ['shared', '≥ 1,024']]) {
  add(...densityRow(sidecar, await benchDensity({ sidecar, quick })), goal)
}
await NodeRuntime.closeIdleSidecars()
// Its own build and process: a failure there still prints what was measured.
try {
  const b = benchBuiltins()
  const p50 = (xs) => fmt(pct(xs, 50))
  const pair = (xs) => `${fmt(pct(xs, 50))} / ${fmt(pct(xs, 95))} ms`
  const kb = (x) => `${Math.round(x / 1024)} KB`
  add(`fresh context with the ${Math.round(b.lines / 1000)}k-line bundle: warm \`run()\` of \`__return(1)\` p50 / p95`, pair(b.run), '≤ 0.5 ms')
  add('… the call loads every line / loads and calls into every module, p50 / p95', `${pair(b.runLoad)}; ${pair(b.runUse)}`, '≤ 0.5 ms')
  add('… in-process, fresh context: bootstrap / + loads every line / + calls into every module, p50', `${p50(b.context)} / ${p50(b.contextLoad)} / ${p50(b.contextUse)} ms`, '—')
  add('new isolate\'s bootstrap p50, without / with the code cache', `${p50(b.isolate.ms)} / ${p50(b.isolateCached.ms)} ms`, '—')
  add(
    `new isolate's bootstrap + first use of the bundle p50, without / with the code cache (${kb(b.isolateUseCached.cacheBytes)} of cache)`,
    `${p50(b.isolateUse.ms)} / ${p50(b.isolateUseCached.ms)} ms`,
    '—',
  )
  if (b.isolateUseCached.consumed === 0 || b.isolateUseCached.rejected > 0 || b.isolateCached.consumed === 0) {
    console.error('bench: the code cache was not used as expected', JSON.stringify({ ...b.isolateCached, ms: undefined }), JSON.stringify({ ...b.isolateUseCached, ms: undefined }))
    process.exitCode = 1
  }
} catch (e) {
  console.error(`bench: the builtins bench failed: ${e.message}`)
  add('builtins at 20k lines (the `--features bench` build)', 'failed', '—')
  process.exitCode = 1
}

console.log(`secure-exec bench — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`)
console.log('| figure | secure-exec | goal |')
console.log('|---|---|---|')
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`)
