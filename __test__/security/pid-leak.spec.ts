// Finding 12 (first part): process.pid comes from the runtime's own process
// table, so a guest learns nothing about calls made elsewhere on the host.
import { describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'

describe('guest pids', () => {
  it('count per runtime, whatever other runtimes did', async () => {
    const a = await NodeRuntime.create()
    const b = await NodeRuntime.create({ sidecar: 'shared' })
    try {
      const first = (await a.run('__return([process.pid, process.ppid])')).value
      for (let i = 0; i < 20; i++) await a.run('__return(1)')
      const other = (await b.run('__return([process.pid, process.ppid])')).value
      expect(other).toEqual(first)
      const next = (await b.run('__return(process.pid)')).value
      expect(next).toBe((first as number[])[0] + 1)
    } finally {
      await a.dispose()
      await b.dispose()
    }
  })
})
