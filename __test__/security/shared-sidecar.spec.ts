// Finding 8: in a shared sidecar, a guest V8 cannot stop in time ends the
// process; only runtimes with a call in flight lose it (told why), idle ones
// move to a new sidecar on their next call.
import { describe, expect, it } from 'vitest'
import { NodeRuntime, SidecarCrashedError, TimeoutError } from '../../index.js'

describe('uninterruptible work in a shared runtime', () => {
  it('ends only the calls in flight, with a message naming the cause; idle runtimes carry on', async () => {
    const culprit = await NodeRuntime.create({ sidecar: 'shared', limits: { cpuTimeMs: 500 } })
    const busy = await NodeRuntime.create({ sidecar: 'shared' })
    const idle = await NodeRuntime.create({ sidecar: 'shared' })
    try {
      expect((await idle.run('__return(1)')).value).toBe(1)
      const pid = culprit.sidecarPid
      expect(busy.sidecarPid).toBe(pid)
      const inFlight = busy.run('setTimeout(() => __return("late"), 8000)').catch((e) => e)
      const stuck: any = await culprit
        .run(`'a'.repeat(1 << 24).lastIndexOf('a'.repeat(1 << 23) + 'b')`)
        .catch((e) => e)
      expect(stuck).toBeInstanceOf(TimeoutError)
      expect(stuck.limit).toBe('cpuTimeMs')
      const lost: any = await inFlight
      expect(lost).toBeInstanceOf(SidecarCrashedError)
      expect(lost.message).toContain('another runtime')
      // Idle runtimes (and the others) move to a new sidecar.
      expect((await idle.run('__return(2)')).value).toBe(2)
      expect(idle.sidecarPid).not.toBe(pid)
      expect((await busy.run('__return(3)')).value).toBe(3)
      expect((await culprit.run('__return(4)')).value).toBe(4)
    } finally {
      await culprit.dispose()
      await busy.dispose()
      await idle.dispose()
    }
  }, 30_000)
})
