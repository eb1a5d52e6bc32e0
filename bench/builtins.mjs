// Run by bench/run.mjs with NAPI_RS_NATIVE_LIBRARY_PATH set to a bench build
// (`--features bench`: 20k lines of synthetic builtins, see
// bench/synthetic_builtins.rs). Prints the figures of builtins at that size
// as one JSON object.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const addon = require(process.env.NAPI_RS_NATIVE_LIBRARY_PATH)
const { NodeRuntime } = require('../index.js')

const quick = process.argv.includes('--quick')
const n = quick ? 10 : 40
// Evaluates every synthetic module in the call; USE also calls into each.
const LOAD = '__benchBuiltins.lines'
const USE = '__benchBuiltins.run()'

const out = {}
// A new isolate: created, first context bootstrapped (the script run in it).
// The code cache off, then on (made by one unmeasured isolate first).
out.isolate = addon.benchIsolateBootstrap(n, false, null)
out.isolateCached = addon.benchIsolateBootstrap(n, true, null)
out.isolateUse = addon.benchIsolateBootstrap(n, false, USE)
out.isolateUseCached = addon.benchIsolateBootstrap(n, true, USE)
// A fresh context in a warm isolate, in this process (no IPC).
out.context = addon.benchFreshContext(n * 10, null)
out.contextLoad = addon.benchFreshContext(n * 10, LOAD)
out.contextUse = addon.benchFreshContext(n * 10, USE)

// Warm run() through a real sidecar of the bench build.
const rt = await NodeRuntime.create()
for (const [key, code] of [['run', '__return(1)'], ['runLoad', `__return(${LOAD})`], ['runUse', `__return(${USE})`]]) {
  for (let i = 0; i < 100; i++) await rt.run(code)
  const times = []
  for (let i = 0; i < (quick ? 300 : 2000); i++) {
    const t0 = process.hrtime.bigint()
    await rt.run(code)
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  out[key] = times
}
out.lines = (await rt.run(`__return(${LOAD})`)).value
await rt.dispose()
await NodeRuntime.closeIdleSidecars()
process.stdout.write(JSON.stringify(out))
