// Finding 10: a guest flooding a slow onStdio listener slows only itself:
// the host's reader never blocks on the listener, and other runtimes' calls
// still settle quickly. Nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'

const busyWait = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // a listener that costs 5 ms per chunk
  }
}

describe.each(['dedicated', 'shared'] as const)('an output flood (%s)', (sidecar) => {
  let flooder: NodeRuntime
  let other: NodeRuntime
  beforeAll(async () => {
    flooder = await NodeRuntime.create({ sidecar })
    other = await NodeRuntime.create({ sidecar })
    await other.run('__return(0)')
  })
  afterAll(async () => {
    await flooder.dispose()
    await other.dispose()
  })

  it("does not starve another runtime's calls, and delivers every byte", async () => {
    let got = 0
    const chunks = 600
    const flood = flooder.exec(
      `const c = 'z'.repeat(65536); for (let i = 0; i < ${chunks}; i++) process.stdout.write(c);`,
      {
        onStdio: (ev) => {
          got += ev.data.length
          busyWait(5)
        },
      },
    )
    // The host's own event loop keeps turning: a 100 ms timer is not held
    // up behind the listener's queue.
    const tSleep = performance.now()
    await new Promise((r) => setTimeout(r, 100))
    const lateBy = performance.now() - tSleep - 100
    const latencies: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      expect((await other.run('__return(1)')).value).toBe(1)
      latencies.push(performance.now() - t0)
    }
    const r = await flood
    expect(r.code).toBe(0)
    expect(got).toBe(chunks * 65536)
    // Before the fix each of these waited seconds behind the flood.
    expect(lateBy).toBeLessThan(250)
    expect(Math.max(...latencies)).toBeLessThan(250)
  }, 30_000)
})
