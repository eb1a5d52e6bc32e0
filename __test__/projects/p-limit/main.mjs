// p-limit (ES modules only; yocto-queue): a concurrency limit over timers
// and promises, with counts and order checked.
import pLimit, { limitFunction } from 'p-limit'

const limit = pLimit(2)
const log = []
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
// Each task waits for its gate; the gates open in a fixed order, a turn of
// the event loop apart, so the order does not depend on timing.
const gates = {}
const task = (name) => limit(async () => {
  log.push(`start ${name} active=${limit.activeCount} pending=${limit.pendingCount}`)
  await new Promise((r) => (gates[name] = r))
  log.push(`end ${name}`)
  return name.toUpperCase()
})
const all = Promise.all(['a', 'b', 'c', 'd'].map(task))
const turn = () => new Promise((r) => setImmediate(r))
for (const name of ['b', 'c', 'd', 'a']) {
  await turn()
  gates[name]()
}
console.log(await all, log)
const failing = pLimit(1)
const settled = await Promise.allSettled([failing(() => Promise.reject(new Error('no'))), failing(() => 'yes'), failing(async () => { throw new TypeError('bad') })])
console.log(settled.map((s) => s.status + ':' + (s.value ?? s.reason.message)))
const fn = limitFunction(async (x) => x * 2, { concurrency: 1 })
console.log(await Promise.all([1, 2, 3].map(fn)), limit.concurrency)
limit.concurrency = 5
console.log(limit.concurrency, limit.activeCount, limit.pendingCount)
const cleared = pLimit(1)
const first = cleared(() => sleep(10))
const dropped = cleared(() => 'never')
cleared.clearQueue()
await first
console.log(cleared.pendingCount, await Promise.race([dropped, sleep(20).then(() => 'still pending')]))
try {
  pLimit(0)
} catch (e) {
  console.log(e.name, e.message)
}
