// Density: how many idle runtimes fit in 1 GiB, per sidecar mode, measured
// on the whole process tree: this (host) process, every sidecar and the
// pool's spares, by PSS (/proc/<pid>/smaps_rollup), so that pages the
// processes share (the Node binary, the addon) are counted once in all.
//
// From an idle host with a warm pool, runtimes are created in batches; each
// runs `__return(1)` once and is then left idle past the second after which
// a runtime gives back its prepared context and its garbage; then the tree
// is measured. Full: until the tree has grown by 1 GiB since before the
// first runtime, the count read where the growth crosses 1 GiB (linear
// between the last two batches). Quick: a sample, and a line fitted through
// its batches extrapolated to 1 GiB.
//
// Alone: node bench/density.mjs [--quick] [--mode dedicated|shared]
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { NodeRuntime } = require(join(root, 'index.js'))

const GiB = 1024 ** 3
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
// A runtime trims itself after 1 s without a call (IDLE_TRIM in
// src/sidecar/runtime.rs); the batch is measured after this.
const IDLE_MS = 2000

function childPids() {
  const out = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) out.push(Number(d))
    } catch {
      // It ended while we looked.
    }
  }
  return out
}

function pssBytes(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0 // gone meanwhile
  }
}

/** PSS of this process and all its children, bytes. */
function treePss() {
  const pids = childPids()
  return { bytes: pids.reduce((a, p) => a + pssBytes(p), pssBytes('self')), sidecars: pids.length }
}

async function settle(children) {
  for (let i = 0; i < 200 && childPids().length !== children; i++) await sleep(50)
  await sleep(500)
}

/**
 * Idle runtimes that fit in 1 GiB with `sidecar` ('dedicated' or 'shared').
 * Returns { fits, measured, extrapolated, perRuntimeMb, points }: `measured`
 * runtimes were created; `extrapolated` says whether `fits` was read off a
 * fitted line rather than reached.
 */
export async function benchDensity({ sidecar = 'dedicated', quick = false, log = () => {} } = {}) {
  // The idle state a host that has used secure-exec returns to: no
  // runtime, no shared sidecar, the pool's spares started.
  await NodeRuntime.closeIdleSidecars()
  await (await NodeRuntime.create()).dispose()
  await settle(2)
  global.gc?.()
  const base = treePss()
  const batch = sidecar === 'shared' ? (quick ? 50 : 100) : quick ? 10 : 16
  // Quick: a sample only. Full: a cap far above what 1 GiB holds, in case
  // the figure is much better than expected.
  const cap = quick ? batch * 4 : sidecar === 'shared' ? 5000 : 1000
  const rts = []
  const points = [{ n: 0, grown: 0, sidecars: base.sidecars }]
  try {
    while (rts.length < cap) {
      const made = await Promise.all(Array.from({ length: batch }, () => NodeRuntime.create({ sidecar })))
      rts.push(...made)
      for (const r of await Promise.all(made.map((rt) => rt.run('__return(1)')))) {
        if (r.value !== 1) throw new Error('density: a runtime did not answer')
      }
      await sleep(IDLE_MS)
      const t = treePss()
      points.push({ n: rts.length, grown: t.bytes - base.bytes, sidecars: t.sidecars })
      log(`${sidecar}: ${rts.length} idle runtimes, tree grown by ${((t.bytes - base.bytes) / 2 ** 20).toFixed(0)} MB, ${t.sidecars} sidecars`)
      if (t.bytes - base.bytes >= GiB) break
    }
  } finally {
    await Promise.all(rts.map((rt) => rt.dispose()))
  }
  const last = points[points.length - 1]
  if (last.grown >= GiB) {
    const prev = points[points.length - 2]
    const fits = Math.floor(prev.n + ((GiB - prev.grown) / (last.grown - prev.grown)) * (last.n - prev.n))
    return { fits, measured: last.n, extrapolated: false, perRuntimeMb: GiB / fits / 2 ** 20, points }
  }
  // Least squares through the batches (the first runtime of a mode brings
  // a fixed cost, the shared sidecar, which the intercept takes).
  const xs = points.map((p) => p.n)
  const ys = points.map((p) => p.grown)
  const mx = xs.reduce((a, b) => a + b) / xs.length
  const my = ys.reduce((a, b) => a + b) / ys.length
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my)
    sxx += (xs[i] - mx) ** 2
  }
  const slope = sxy / sxx
  const intercept = my - slope * mx
  const fits = Math.floor((GiB - intercept) / slope)
  return { fits, measured: last.n, extrapolated: true, perRuntimeMb: slope / 2 ** 20, points }
}

/** The row's label and value for bench/run.mjs. */
export function densityRow(sidecar, d) {
  const how = d.extrapolated
    ? `extrapolated from ${d.measured} measured`
    : `measured: created until the tree grew by 1 GiB`
  return [
    `idle runtimes in 1 GiB (host + sidecars + pool spares, PSS), ${sidecar} sidecar${sidecar === 'shared' ? '' : 's'} (${how})`,
    `${d.fits} (${d.perRuntimeMb.toFixed(2)} MB each)`,
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  const i = process.argv.indexOf('--mode')
  const modes = i > 0 ? [process.argv[i + 1]] : ['dedicated', 'shared']
  for (const sidecar of modes) {
    const d = await benchDensity({ sidecar, quick, log: (s) => console.error(s) })
    const [label, value] = densityRow(sidecar, d)
    console.log(`| ${label} | ${value} |`)
  }
  await NodeRuntime.closeIdleSidecars()
}
