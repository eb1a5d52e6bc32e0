// The subset CI also runs on Node 22 and 24 (scripts/smoke-other-nodes.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime, MemoryLimitError, TimeoutError } from '../index.js'
import { guestNodeVersion } from './helpers.js'

describe(`smoke on Node ${process.version}`, () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ limits: { memoryMb: 64, cpuTimeMs: 1000 } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('runs and returns a value', async () => {
    const r = await rt.run<number>('__return(40 + 2);')
    expect(r.value).toBe(42)
    expect(r.code).toBe(0)
  })

  it('execs and captures output', async () => {
    const e = await rt.exec('console.log("hi"); console.error("oops")')
    expect(e).toMatchObject({ code: 0, stdout: 'hi\n', stderr: 'oops\n' })
  })

  it(`reports Node ${guestNodeVersion}, whatever Node runs the sidecar`, async () => {
    const r = await rt.run<string[]>('__return([process.version, process.versions.node])')
    expect(r.value).toEqual([guestNodeVersion, guestNodeVersion.slice(1)])
    const e = await rt.exec('throw new Error("boom")')
    expect(e.stderr.endsWith(`\nNode.js ${guestNodeVersion}\n`)).toBe(true)
  })

  it('stops an infinite loop at the CPU limit and stays usable', async () => {
    await expect(rt.run('for (;;) {}')).rejects.toBeInstanceOf(TimeoutError)
    // The hot loop V8 13.6 fails to terminate with concurrent recompilation on.
    await expect(rt.run('for (;;) new Array(1000).fill(1)')).rejects.toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT' })
    expect((await rt.run('__return(1)')).value).toBe(1)
  })

  it('stops an allocation bomb at the memory limit and stays usable', async () => {
    await expect(rt.run('const a = []; for (;;) a.push(new Array(1e5).fill(1.5))')).rejects.toBeInstanceOf(MemoryLimitError)
    const e = await rt.exec('const a = []; for (;;) a.push(new Uint8Array(1 << 20))')
    expect(e.code).toBe(137)
    expect((await rt.run('__return("alive")')).value).toBe('alive')
  })
})
