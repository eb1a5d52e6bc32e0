// lru-cache (dual package, imported as ES modules): eviction order, sizes,
// TTLs on a fake clock, dispose hooks, async fetch and memo.
import { LRUCache } from 'lru-cache'

let now = 1000
const perf = { now: () => now }
const disposed = []
const cache = new LRUCache({ max: 3, ttl: 100, perf, allowStale: false, updateAgeOnGet: false, dispose: (v, k, reason) => disposed.push(`${k}=${v}:${reason}`) })
cache.set('a', 1).set('b', 2).set('c', 3)
cache.get('a')
cache.set('d', 4)
console.log([...cache.keys()], [...cache.entries()], cache.has('b'), cache.size)
now += 50
cache.set('e', 5, { ttl: 500 })
now += 60
console.log(cache.get('a'), cache.get('e'), cache.getRemainingTTL('e'), [...cache.keys()], cache.purgeStale(), [...cache.keys()])
cache.delete('e')
console.log(disposed)
const sized = new LRUCache({ maxSize: 10, sizeCalculation: (v) => v.length, max: 100 })
sized.set('x', 'aaaa').set('y', 'bbbb').set('z', 'cccc')
console.log([...sized.keys()], sized.calculatedSize, sized.info('z'), sized.dump().length)
let calls = 0
const fetcher = new LRUCache({ max: 10, fetchMethod: async (key, stale, { signal }) => { calls++; return key.toUpperCase() + (stale ?? '') } })
console.log(await fetcher.fetch('k'), await fetcher.fetch('k'), calls, await Promise.all([fetcher.fetch('p'), fetcher.fetch('p')]), calls)
const memo = new LRUCache({ max: 5, memoMethod: (k) => k.length })
console.log(memo.memo('hello'), memo.memo('hello'), memo.size, LRUCache.name)
try {
  new LRUCache({})
} catch (e) {
  console.log(e.name, e.message)
}
