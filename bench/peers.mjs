// npm run bench:peers: the goals table of design.md, secure-exec side by
// side with isolated-vm and quickjs-emscripten, measured in one run on this
// machine. The peers live in bench/peers/ (their own package.json and lock,
// installed here when missing), never in secure-exec's dependencies.
//
// Every measurement runs in a child process of its own (this script again,
// with --worker), so that one product's threads, heap and sidecars do not
// weigh on another's figure; the child prints its result as JSON. Every
// product gets the same iteration counts, the same warm-up and the same work
// per call, and every result is checked.
//
//   node bench/peers.mjs [--quick]
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)
const root = join(dirname(here), '..')
const peersDir = join(root, 'bench', 'peers')
const peersRequire = createRequire(join(peersDir, 'package.json'))
const quick = process.argv.includes('--quick')

const PRODUCTS = ['secure-exec', 'isolated-vm', 'quickjs']
const VERSIONS = { 'isolated-vm': '5.0.4', quickjs: '0.32' }
const LABEL = { 'secure-exec': 'secure-exec', 'isolated-vm': 'isolated-vm 5.0.4', quickjs: 'quickjs-emscripten 0.32' }
// isolated-vm's README: Node 20 and later must run it with --no-node-snapshot.
const NODE_FLAGS = { 'secure-exec': [], 'isolated-vm': ['--no-node-snapshot'], quickjs: [] }

// The same counts for every product.
const N = {
  calls: quick ? 300 : 2000,
  callsWarm: 200,
  creates: quick ? 10 : 40,
  rounds: quick ? 2 : 5,
  perRuntime: 500,
  runtimes: [1, 4, 16],
  cold: quick ? 3 : 10,
  idle: quick ? 10 : 50,
}
const MEMORY_LIMIT_MB = 128 // secure-exec's default heap limit; the peers get the same
const THROUGHPUT_LIMIT_MB = 512 // isolated-vm's in the throughput rows, see there
const OBJ = { id: 7, name: 'widget', tags: ['a', 'b', 'c'], price: 9.5, nested: { ok: true, n: null } }
const ROUND_TRIP = `JSON.parse(JSON.stringify(${JSON.stringify(OBJ)}))`

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const ms = (ns) => Number(ns) / 1e6
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3))
const fmtInt = (x) => Math.round(x).toLocaleString('en-US')

function pssKb(pid) {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
  if (!m) throw new Error(`no Pss in /proc/${pid}/smaps_rollup`)
  return Number(m[1])
}

// A process and all its descendants (secure-exec's sidecars, pool spares
// included).
function treePssKb(pid) {
  try {
    const kids = []
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      kids.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number))
    }
    return pssKb(pid) + kids.reduce((a, k) => a + treePssKb(k), 0)
  } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ESRCH') return 0 // it ended meanwhile
    throw e
  }
}

function expect(what, got, want) {
  if (!isDeepStrictEqual(got, want)) throw new Error(`${what} returned ${JSON.stringify(got)}, not ${JSON.stringify(want)}`)
}

// f() may be sync (QuickJS) or async: it is awaited only when it returns a
// promise, so that a sync product does not pay for an await it needs not.
async function timeEach(n, warm, f, want, what) {
  for (let i = 0; i < warm; i++) {
    let v = f()
    if (typeof v?.then === 'function') v = await v
    expect(what, v, want)
  }
  const times = []
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint()
    let v = f()
    if (typeof v?.then === 'function') v = await v
    times.push(ms(process.hrtime.bigint() - t0))
    expect(what, v, want)
  }
  return pct(times, 50)
}

// Like bench/run.mjs benchCreate: a pause after each create so that
// secure-exec's warm pool refills; the peers get the same pauses.
async function timeCreates(create) {
  const first = await create()
  await first.dispose()
  await sleep(500)
  const times = []
  for (let i = 0; i < N.creates; i++) {
    const t0 = process.hrtime.bigint()
    const made = await create()
    times.push(ms(process.hrtime.bigint() - t0))
    await made.dispose()
    await sleep(250)
  }
  return pct(times, 50)
}

// calls/s of `runtimes` runtimes × 500 calls, all issued at once (a sync
// product runs them one after another); one unmeasured round, then the p50
// of N.rounds rounds.
async function timeThroughput(runtimes, call) {
  const rates = []
  for (let r = 0; r <= N.rounds; r++) {
    const t0 = process.hrtime.bigint()
    const results = await call()
    const took = ms(process.hrtime.bigint() - t0)
    if (results.length !== runtimes * N.perRuntime) throw new Error(`${results.length} results, not ${runtimes * N.perRuntime}`)
    for (const v of results) expect('the JSON round trip', v, OBJ)
    if (r > 0) rates.push(results.length / (took / 1000))
  }
  return pct(rates, 50)
}

// PSS growth of this process per extra runtime, for the in-process peers:
// one runtime alive and used as the baseline, then N.idle more, each used
// once.
async function selfPssPerRuntime(make) {
  const kept = [await make()]
  global.gc?.()
  await sleep(300)
  const before = pssKb(process.pid)
  for (let i = 0; i < N.idle; i++) kept.push(await make())
  global.gc?.()
  await sleep(300)
  const after = pssKb(process.pid)
  for (const k of kept) k.dispose()
  return (after - before) / N.idle / 1024
}

const workers = {
  'secure-exec': async () => {
    const { NodeRuntime } = createRequire(import.meta.url)(join(root, 'index.js'))
    const run1 = (rt) => rt.run('__return(1)').then((r) => r.value)
    return {
      async fresh() {
        const rt = await NodeRuntime.create()
        try {
          return await timeEach(N.calls, N.callsWarm, () => run1(rt), 1, 'rt.run')
        } finally {
          await rt.dispose()
        }
      },
      async persistent() {
        const rt = await NodeRuntime.create()
        try {
          if (typeof rt.createContext !== 'function') return null
          const ctx = await rt.createContext()
          const v = await timeEach(N.calls, N.callsWarm, () => ctx.run('__return(1)').then((r) => r.value), 1, 'ctx.run')
          await ctx.dispose?.()
          return v
        } finally {
          await rt.dispose()
        }
      },
      async throughput(n) {
        const rts = await Promise.all(Array.from({ length: n }, () => NodeRuntime.create()))
        try {
          const code = `__return(${ROUND_TRIP})`
          return await timeThroughput(n, () =>
            Promise.all(rts.flatMap((rt) => Array.from({ length: N.perRuntime }, () => rt.run(code).then((r) => r.value)))),
          )
        } finally {
          await Promise.all(rts.map((rt) => rt.dispose()))
        }
      },
      create: () => timeCreates(() => NodeRuntime.create()),
      // bench/run.mjs benchMemory: the sidecars' PSS over the runtimes they
      // host (the warm pool's spares are not counted). For the footnote, the
      // growth of the whole process tree, the peers' measure: PSS splits the
      // pages the host shares with its sidecars (node, the addon) among them,
      // so the host's own PSS falls as sidecars start.
      async memory(sidecar) {
        global.gc?.()
        await sleep(300)
        const treeBefore = treePssKb(process.pid)
        const rts = []
        for (let i = 0; i < N.idle; i++) rts.push(await NodeRuntime.create({ sidecar }))
        for (const rt of rts) expect('rt.run', await run1(rt), 1)
        global.gc?.()
        // Idle: past the second after which a runtime gives back the context
        // it prepared and its garbage (a peer's idle memory needs no wait).
        await sleep(1500)
        const pids = [...new Set(rts.map((r) => r.sidecarPid))]
        const total = pids.reduce((a, p) => a + pssKb(p), 0)
        const treeAfter = treePssKb(process.pid)
        await Promise.all(rts.map((r) => r.dispose()))
        return { mb: total / N.idle / 1024, treeMb: (treeAfter - treeBefore) / N.idle / 1024 }
      },
      done: () => NodeRuntime.closeIdleSidecars(),
    }
  },

  'isolated-vm': async () => {
    const ivm = peersRequire('isolated-vm')
    const isolate = (memoryLimit = MEMORY_LIMIT_MB) => new ivm.Isolate({ memoryLimit })
    async function freshCall(iso, code, opts) {
      const ctx = await iso.createContext()
      try {
        return await ctx.eval(code, opts)
      } finally {
        ctx.release()
      }
    }
    return {
      async fresh() {
        const iso = isolate()
        try {
          return await timeEach(N.calls, N.callsWarm, () => freshCall(iso, '1'), 1, 'context.eval')
        } finally {
          iso.dispose()
        }
      },
      async persistent() {
        const iso = isolate()
        try {
          const ctx = await iso.createContext()
          return await timeEach(N.calls, N.callsWarm, () => ctx.eval('1'), 1, 'context.eval')
        } finally {
          iso.dispose()
        }
      },
      async throughput(n) {
        // 500 contexts alive at once outgrow 128 MB now and then (the
        // isolate is then disposed): this row gives isolated-vm more.
        const isos = Array.from({ length: n }, () => isolate(THROUGHPUT_LIMIT_MB))
        try {
          const call = (iso) => freshCall(iso, ROUND_TRIP, { copy: true })
          const concurrent = await timeThroughput(n, () =>
            Promise.all(isos.flatMap((iso) => Array.from({ length: N.perRuntime }, () => call(iso)))),
          )
          // For the footnote: each isolate's calls one after another.
          const chained = await timeThroughput(n, async () =>
            (
              await Promise.all(
                isos.map(async (iso) => {
                  const out = []
                  for (let i = 0; i < N.perRuntime; i++) out.push(await call(iso))
                  return out
                }),
              )
            ).flat(),
          )
          return { concurrent, chained }
        } finally {
          for (const iso of isos) if (!iso.isDisposed) iso.dispose()
        }
      },
      create: () =>
        timeCreates(async () => {
          const iso = isolate()
          await iso.createContext()
          return { dispose: () => iso.dispose() }
        }),
      memory: () =>
        selfPssPerRuntime(async () => {
          const iso = isolate()
          const ctx = await iso.createContext()
          expect('context.eval', await ctx.eval('1'), 1)
          return iso
        }),
    }
  },

  quickjs: async () => {
    const { getQuickJS } = peersRequire('quickjs-emscripten')
    const QuickJS = await getQuickJS()
    const runtime = () => {
      const rt = QuickJS.newRuntime()
      rt.setMemoryLimit(MEMORY_LIMIT_MB * 1024 * 1024)
      return rt
    }
    function evalIn(ctx, code, read) {
      const h = ctx.unwrapResult(ctx.evalCode(code))
      try {
        return read(ctx, h)
      } finally {
        h.dispose()
      }
    }
    const number = (ctx, h) => ctx.getNumber(h)
    const dump = (ctx, h) => ctx.dump(h)
    function freshCall(rt, code, read) {
      const ctx = rt.newContext()
      try {
        return evalIn(ctx, code, read)
      } finally {
        ctx.dispose()
      }
    }
    return {
      async fresh() {
        const rt = runtime()
        try {
          return await timeEach(N.calls, N.callsWarm, () => freshCall(rt, '1', number), 1, 'evalCode')
        } finally {
          rt.dispose()
        }
      },
      async persistent() {
        const rt = runtime()
        const ctx = rt.newContext()
        try {
          return await timeEach(N.calls, N.callsWarm, () => evalIn(ctx, '1', number), 1, 'evalCode')
        } finally {
          ctx.dispose()
          rt.dispose()
        }
      },
      async throughput(n) {
        const rts = Array.from({ length: n }, runtime)
        try {
          // Sync: the calls run one after another, round robin over the runtimes.
          return await timeThroughput(n, async () => {
            const out = []
            for (let i = 0; i < N.perRuntime; i++) for (const rt of rts) out.push(freshCall(rt, ROUND_TRIP, dump))
            return out
          })
        } finally {
          for (const rt of rts) rt.dispose()
        }
      },
      create: () =>
        timeCreates(async () => {
          const rt = runtime()
          const ctx = rt.newContext()
          return {
            dispose() {
              ctx.dispose()
              rt.dispose()
            },
          }
        }),
      memory: () =>
        selfPssPerRuntime(async () => {
          const rt = runtime()
          const ctx = rt.newContext()
          expect('evalCode', evalIn(ctx, '1', number), 1)
          return {
            dispose() {
              ctx.dispose()
              rt.dispose()
            },
          }
        }),
    }
  },
}

// A new host process that loads the product and gets 1 back.
const coldScripts = () => ({
  'secure-exec': `const { NodeRuntime } = require(${JSON.stringify(join(root, 'index.js'))})
    NodeRuntime.create().then((rt) => rt.run('__return(1)')).then((r) => process.exit(r.value === 1 ? 0 : 3))`,
  'isolated-vm': `const ivm = require(${JSON.stringify(peersRequire.resolve('isolated-vm'))})
    const iso = new ivm.Isolate({ memoryLimit: ${MEMORY_LIMIT_MB} })
    iso.createContext().then((ctx) => ctx.eval('1')).then((v) => process.exit(v === 1 ? 0 : 3))`,
  quickjs: `require(${JSON.stringify(peersRequire.resolve('quickjs-emscripten'))}).getQuickJS().then((q) => {
      const rt = q.newRuntime(); rt.setMemoryLimit(${MEMORY_LIMIT_MB * 1024 * 1024}); const ctx = rt.newContext()
      process.exit(ctx.getNumber(ctx.unwrapResult(ctx.evalCode('1'))) === 1 ? 0 : 3) })`,
})

function benchCold() {
  const scripts = coldScripts()
  const kinds = [
    ...PRODUCTS.map((p) => [p, [...NODE_FLAGS[p], '-e', scripts[p]]]),
    ['node', ['-e', '0']],
    ['node --no-node-snapshot', ['--no-node-snapshot', '-e', '0']],
  ]
  const times = Object.fromEntries(kinds.map(([k]) => [k, []]))
  // A machine-wide NODE_EXTRA_CA_CERTS makes every Node start read a CA
  // bundle (~34 ms here): not part of what is measured, for any product.
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  // Interleaved, so that a busy moment of the machine falls on every kind.
  for (let i = 0; i <= N.cold; i++) {
    for (const [kind, args] of kinds) {
      const t0 = process.hrtime.bigint()
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env })
      const took = ms(process.hrtime.bigint() - t0)
      if (r.status !== 0) fail(`new host process to first result, ${kind}: exit ${r.status ?? r.signal}\n${r.stderr}`)
      if (i > 0) times[kind].push(took)
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, pct(xs, 50)]))
}

function fail(message) {
  console.error(`bench:peers: ${message}`)
  process.exit(1)
}

// The peers from bench/peers/package-lock.json, installed when missing.
function ensurePeers() {
  const installed = () => {
    try {
      return {
        'isolated-vm': peersRequire('isolated-vm/package.json').version,
        quickjs: peersRequire('quickjs-emscripten/package.json').version,
      }
    } catch {
      return null
    }
  }
  const built = () => existsSync(join(dirname(peersRequire.resolve('isolated-vm/package.json')), 'out', 'isolated_vm.node'))
  let found = installed()
  if (!found || !built()) {
    console.error('bench:peers: installing isolated-vm and quickjs-emscripten into bench/peers (isolated-vm compiles with node-gyp)…')
    const r = spawnSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'] })
    if (r.status !== 0) fail(`\`npm ci --prefix bench/peers\` failed (exit ${r.status ?? r.signal}): isolated-vm needs node-gyp, Python and a C++ compiler`)
    found = installed()
    if (!found) fail('the peers are still missing from bench/peers/node_modules after npm ci')
    if (!built()) fail("isolated-vm's native module was not built by npm ci (was its install script skipped? see `npm install-scripts ls`)")
  }
  for (const [p, want] of Object.entries(VERSIONS)) {
    if (found[p] !== want && !found[p].startsWith(`${want}.`)) fail(`${p} ${found[p]} is installed in bench/peers, not ${want}: run \`npm ci --prefix bench/peers\``)
  }
}

// One measurement in a child process of its own. The child prints its
// result as one JSON line and then ends on its own. Node 20 can hang at exit
// when a background compile job waits for a GC the main thread, draining
// its tasks, never runs (nodejs/node#54918): a child that has printed its
// result and has not ended 10 s later is killed, and the result kept.
function measure(product, figure, ...args) {
  const what = `${LABEL[product]}, ${figure}(${args.join(', ')})`
  const flags = [...NODE_FLAGS[product], ...(figure === 'memory' ? ['--expose-gc'] : [])]
  const child = spawn(process.execPath, [...flags, here, '--worker', JSON.stringify([product, figure, ...args]), ...(quick ? ['--quick'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let result
  let hungAtExit = false
  let exitTimer
  const limit = setTimeout(() => child.kill('SIGKILL'), 600_000)
  child.stderr.on('data', (d) => (err += d))
  child.stdout.on('data', (d) => {
    out += d
    if (result === undefined && out.endsWith('\n')) {
      try {
        result = JSON.parse(out.trim().split('\n').at(-1))
      } catch {
        return
      }
      exitTimer = setTimeout(() => {
        hungAtExit = true
        child.kill('SIGKILL')
      }, 10_000)
    }
  })
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(limit)
      clearTimeout(exitTimer)
      if (hungAtExit) {
        console.error(`bench:peers: ${what} gave its result, then hung at exit (nodejs/node#54918); killed`)
        return resolve(result)
      }
      if (code !== 0) fail(`${what} failed (exit ${code ?? signal}):\n${err}`)
      if (result === undefined) fail(`${what}: no JSON result on stdout:\n${out}\n${err}`)
      resolve(result)
    })
  })
}

async function worker([product, figure, ...args]) {
  const w = await workers[product]()
  const result = await w[figure](...args)
  await w.done?.()
  process.stdout.write(JSON.stringify(result) + '\n')
}

const workerArg = process.argv.indexOf('--worker')
if (workerArg !== -1) {
  await worker(JSON.parse(process.argv[workerArg + 1]))
} else {
  ensurePeers()
  const all = async (figure, ...args) => {
    const out = {}
    for (const p of PRODUCTS) out[p] = await measure(p, figure, ...args)
    return out
  }
  const rows = []
  // The ratio in a peer's cell is secure-exec's figure over the peer's.
  const row = (name, values, unit, goal, { ratios = true } = {}) => {
    const se = values['secure-exec']
    const cell = (p) => {
      const v = values[p]
      if (v == null) return '—'
      const shown = unit === '/s' ? `${fmtInt(v)}/s` : `${fmt(v)} ${unit}`
      if (p === 'secure-exec' || se == null || !ratios) return shown
      const ratio = se / v
      return `${shown} (${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×)`
    }
    rows.push([name, ...PRODUCTS.map(cell), goal])
  }
  const notes = []

  const fresh = await all('fresh')
  row('warm call in a fresh context (`__return(1)` / `1`), p50', fresh, 'ms', '≤ 0.18 ms')
  notes.push(
    "isolated-vm is called through its async API (`createContext()`, `eval()`), which like secure-exec's `run()` leaves the host's event loop free; " +
      "quickjs-emscripten's calls are synchronous and block it. A peer's fresh context is released after each call.",
  )

  const through = {}
  for (const n of N.runtimes) through[n] = await all('throughput', n)
  for (const n of N.runtimes) {
    const v = { ...through[n], 'isolated-vm': through[n]['isolated-vm'].concurrent }
    row(`${n} runtime${n > 1 ? 's' : ''} × 500 concurrent calls of a JSON round trip, calls/s, p50`, v, '/s', n === 4 ? '≥ 5,000/s' : '—')
  }
  notes.push(
    `The JSON round trip: a new context per call that returns \`${ROUND_TRIP.slice(0, 40)}…\` to the host (p50 of ${N.rounds} rounds after one unmeasured). ` +
      `isolated-vm's isolates have a ${THROUGHPUT_LIMIT_MB} MB heap limit here: at ${MEMORY_LIMIT_MB} MB, 500 contexts alive at once get an isolate disposed for its memory limit now and then. ` +
      'quickjs-emscripten is synchronous: its calls run one after another on the host thread, round robin over its runtimes. ' +
      `isolated-vm with each isolate's calls issued one after another instead of all at once (fewer contexts alive at a time): ` +
      N.runtimes.map((n) => `${fmtInt(through[n]['isolated-vm'].chained)}/s for ${n}`).join(', ') + '.',
  )

  const create = await all('create')
  row('`create()` with the pool warm (a peer: isolate or runtime + context), p50', create, 'ms', '≤ 0.35 ms')

  const coldTimes = benchCold()
  row('new host process to first result, p50', coldTimes, 'ms', '≤ 40 ms')
  row('… bare `node -e 0` (reference)', {
    'secure-exec': coldTimes.node,
    'isolated-vm': coldTimes['node --no-node-snapshot'],
    quickjs: coldTimes.node,
  }, 'ms', '—', { ratios: false })
  notes.push('isolated-vm needs `node --no-node-snapshot` on Node 20 and later, so its bare reference is `node --no-node-snapshot -e 0`.')

  const memShared = await measure('secure-exec', 'memory', 'shared')
  const memDedicated = await measure('secure-exec', 'memory', 'dedicated')
  const memPeers = { 'isolated-vm': await measure('isolated-vm', 'memory'), quickjs: await measure('quickjs', 'memory') }
  row(`PSS per extra idle runtime, ${N.idle} alive, shared sidecar`, { 'secure-exec': memShared.mb, ...memPeers }, 'MB', '≤ 1.0 MB')
  row(`PSS per extra idle runtime, ${N.idle} alive, dedicated sidecars`, { 'secure-exec': memDedicated.mb, ...memPeers }, 'MB', '≤ 5 MB')
  notes.push(
    "PSS: secure-exec's figure is the sidecars' PSS over the runtimes they host (the warm pool's spares not counted); " +
      `measured as the peers are, the growth of the whole process tree (host, sidecars, pool spares) from before the first runtime, over ${N.idle}, is ` +
      `${memShared.treeMb.toFixed(2)} MB shared / ${memDedicated.treeMb.toFixed(2)} MB dedicated. ` +
      "A peer's figure is the growth of its process from one runtime alive to " +
      `${N.idle + 1} (each used once), over ${N.idle}; the peers have one mode, measured once, shown in both rows.`,
  )

  const persistent = await all('persistent')
  row('call in a persistent context, p50', persistent, 'ms', '≤ 0.05 ms')
  if (persistent['secure-exec'] == null) notes.push('— : `rt.createContext()` does not exist yet.')

  console.log(`secure-exec vs peers — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ' (--quick)' : ''}\n`)
  console.log(`| figure | ${PRODUCTS.map((p) => LABEL[p]).join(' | ')} | goal |`)
  console.log(`|---|${PRODUCTS.map(() => '---|').join('')}---|`)
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  console.log('\nIn parentheses: secure-exec\'s figure over the peer\'s (for calls/s, above 1 means secure-exec is faster; elsewhere, below 1 does).')
  for (const n of notes) console.log(`\n${n}`)
}
