// Finding 6: a call's time limits start when it starts, not when it is
// queued behind other calls of its runtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbortError, NodeRuntime } from '../../index.js'

describe('queued calls', () => {
  let rt: NodeRuntime
  let innocent: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ sidecar: 'shared', limits: { wallTimeMs: 2000 } })
    innocent = await NodeRuntime.create({ sidecar: 'shared' })
  })
  afterAll(async () => {
    await rt.dispose()
    await innocent.dispose()
  })

  it('six 1.5 s calls queued on one runtime all finish; a neighbour is untouched', async () => {
    const wait = 'const t = Date.now(); while (Date.now() - t < 1500) {} console.log("ok")'
    const calls = Array.from({ length: 6 }, () => rt.exec(wait))
    const neighbour = innocent.exec('setTimeout(() => console.log("n"), 8000)')
    const results = await Promise.all(calls)
    for (const r of results) {
      expect(r.error).toBeUndefined()
      expect(r.stdout).toBe('ok\n')
      expect(r.code).toBe(0)
    }
    const n = await neighbour
    expect(n.stdout).toBe('n\n')
    expect(n.code).toBe(0)
  }, 30_000)

  it('a queued call whose signal aborts never runs and settles at once', async () => {
    const first = rt.exec('const t = Date.now(); while (Date.now() - t < 800) {}')
    const ac = new AbortController()
    const queued = rt.run('console.log("ran")', { signal: ac.signal })
    const t0 = Date.now()
    ac.abort()
    const err = await queued.catch((e) => e)
    expect(err).toBeInstanceOf(AbortError)
    expect(Date.now() - t0).toBeLessThan(300)
    expect(err.stdout).toBe('')
    expect((await first).code).toBe(0)
  })
})
