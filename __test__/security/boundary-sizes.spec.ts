// Finding 5: every field that crosses from the sidecar to the host is
// bounded; a result that cannot be sent becomes an error, never a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GuestError, NodeRuntime } from '../../index.js'

describe.each(['dedicated', 'shared'] as const)('oversized guest errors (%s)', (sidecar) => {
  let rt: NodeRuntime
  let neighbour: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ sidecar, limits: { memoryMb: 512, wallTimeMs: 20_000 } })
    neighbour = await NodeRuntime.create({ sidecar })
  })
  afterAll(async () => {
    await rt.dispose()
    await neighbour.dispose()
  })

  const huge = `
    const big = 'x'.repeat(20 << 20);
    const e = new Error(big);
    Object.defineProperty(e, 'stack', { value: big });
    e.name = big; e.code = big;
  `

  it('an Error with 20 MB name, message, stack and code ends the call promptly, truncated', async () => {
    const pid = rt.sidecarPid
    const t0 = Date.now()
    const err: any = await rt.run(`${huge} throw e;`).catch((x) => x)
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(err).toBeInstanceOf(GuestError)
    expect(err.message.length).toBeLessThan(300 * 1024)
    expect(err.message).toContain('[truncated by secure-exec]')
    expect(err.stack.length).toBeLessThan(300 * 1024)
    expect(String(err.code).length).toBeLessThan(300 * 1024)
    expect(err.stderr.length).toBeLessThanOrEqual(1024 * 1024)
    expect(rt.sidecarPid).toBe(pid)
    expect((await neighbour.run('__return(1)')).value).toBe(1)
  })

  it('the same error as an unhandled rejection', async () => {
    const e = await rt.exec(`${huge} Promise.reject(e);`)
    expect(e.code).toBe(1)
    expect(e.error?.message).toContain('[truncated by secure-exec]')
  })

  it('one huge write is streamed in bounded chunks, all of it delivered', async () => {
    let got = 0
    let biggest = 0
    const r = await rt.exec(`process.stdout.write('y'.repeat(40 << 20))`, {
      onStdio: (ev) => {
        got += ev.data.length
        biggest = Math.max(biggest, ev.data.length)
      },
    })
    expect(r.code).toBe(0)
    expect(got).toBe(40 << 20)
    expect(biggest).toBeLessThanOrEqual(64 * 1024)
  })
})
