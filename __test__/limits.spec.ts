import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryLimitError, NodeRuntime, TimeoutError } from '../index.js'

describe('time limits', () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ limits: { cpuTimeMs: 300, wallTimeMs: 1500 } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('stops an infinite loop at cpuTimeMs; the runtime is usable after', async () => {
    const t0 = Date.now()
    const err: any = await rt.run('console.log("start"); for (;;) {}').catch((e) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT', limit: 'cpuTimeMs', exitCode: 124, stdout: 'start\n' })
    expect(Date.now() - t0).toBeLessThan(3000)
    expect((await rt.run('__return("ok")')).value).toBe('ok')
  })

  it('exec() reports 124 for a time limit', async () => {
    const e = await rt.exec('while (true) Math.random()')
    expect(e.code).toBe(124)
    expect(e.error).toBeInstanceOf(TimeoutError)
  })

  it('stops a guest that waits forever at wallTimeMs', async () => {
    const err: any = await rt.run('setInterval(() => {}, 50)').catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT', limit: 'wallTimeMs' })
  })

  it('stops at the call timeoutMs', async () => {
    const t0 = Date.now()
    const err: any = await rt.run('setTimeout(() => {}, 100000)', { timeoutMs: 100 }).catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT', limit: 'timeoutMs' })
    expect(Date.now() - t0).toBeLessThan(1000)
  })

  it('names the limit that ended the call: a timeoutMs above wallTimeMs is capped by it', async () => {
    // This runtime's wallTimeMs is 1500.
    const capped: any = await rt.run('setInterval(() => {}, 50)', { timeoutMs: 5000 }).catch((e) => e)
    expect(capped).toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT', limit: 'wallTimeMs', message: 'Script execution timed out (wallTimeMs limit reached)' })
    const ctx = await rt.createContext()
    try {
      expect(await ctx.run('setInterval(() => {}, 50)', { timeoutMs: 5000 }).catch((e) => e)).toMatchObject({ limit: 'wallTimeMs' })
    } finally {
      await ctx.close()
    }
  })

  it('refuses a limit it does not know (a misspelt one would leave the default in force)', async () => {
    for (const limits of [{ cpuTimeMS: 10 }, { memory: 8 }, { wallTimeMs: 100, timeout: 5 }]) {
      await expect(NodeRuntime.create({ limits: limits as any })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_VALUE',
        message: expect.stringContaining(`The property 'options.limits.${Object.keys(limits).pop()}' is not a limit (one of memoryMb, cpuTimeMs`),
      })
    }
  })

  it('refuses limits out of range', async () => {
    await expect(NodeRuntime.create({ limits: { memoryMb: 1e9 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(NodeRuntime.create({ limits: { cpuTimeMs: 0 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(NodeRuntime.create({ limits: { cpuTimeMs: 'x' as any } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(NodeRuntime.create({ sidecar: 'nope' as any })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
  })
})

describe('memory limit', () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ limits: { memoryMb: 64 } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('stops a heap allocation bomb; host and runtime survive', async () => {
    const err: any = await rt.run('const a = []; for (;;) a.push({ x: new Array(1000).fill("y") })').catch((e) => e)
    expect(err).toBeInstanceOf(MemoryLimitError)
    expect(err.code).toBe('ERR_SANDBOX_MEMORY_LIMIT')
    expect(err.exitCode).toBe(137)
    expect((await rt.run('__return(1 + 1)')).value).toBe(2)
  })

  it('bounds typed-array memory: 1 GB of Uint8Arrays under 64 MB fails', async () => {
    const e = await rt.exec('const keep = []; for (let i = 0; i < 1024; i++) keep.push(new Uint8Array(1 << 20)); console.log("never")')
    expect(e.code).toBe(137)
    expect(e.stdout).toBe('')
    expect(e.error).toBeInstanceOf(MemoryLimitError)
    expect((await rt.run('__return(new Uint8Array(1 << 20).length)')).value).toBe(1 << 20)
  })

  it('does not count garbage buffers against the limit', async () => {
    const e = await rt.exec('let n = 0; for (let i = 0; i < 500; i++) { const a = new Uint8Array(4 << 20); a[0] = 1; n += a[0] } console.log(n)')
    expect(e).toMatchObject({ code: 0, stdout: '500\n' })
  })

  it('bounds WebAssembly memory in a dedicated sidecar', async () => {
    // Wasm memory lives outside V8's heap and ArrayBuffer accounting; the
    // watchdog bounds the sole runtime's whole process instead.
    const e = await rt.exec('const ms = []; for (let i = 0; i < 16; i++) { const m = new WebAssembly.Memory({ initial: 1024 }); new Uint8Array(m.buffer).fill(1); ms.push(m) } console.log("never")')
    expect(e.code).toBe(137)
    expect(e.stdout).toBe('')
    const small = await rt.exec('const m = new WebAssembly.Memory({ initial: 16 }); new Uint8Array(m.buffer).fill(1); console.log(m.buffer.byteLength)')
    expect(small).toMatchObject({ code: 0, stdout: '1048576\n' })
  })

  it('stops a string-doubling bomb', async () => {
    const e = await rt.exec('let s = "x"; const keep = []; for (;;) { s = s + s; keep.push(s + "") }')
    expect([137, 1]).toContain(e.code)
    if (e.code === 1) expect(e.error?.name).toBe('RangeError') // V8's own string length limit
    expect((await rt.run('__return(3)')).value).toBe(3)
  })
})

describe('timing mitigation', () => {
  it('freezes Date.now and performance.now', async () => {
    const rt = await NodeRuntime.create({ timingMitigation: 'freeze' })
    try {
      const r = await rt.run<number[]>(
        'const a = Date.now(), p = performance.now(); for (let i = 0; i < 1e6; i++); __return([Date.now() - a, performance.now() - p])',
      )
      expect(r.value).toEqual([0, 0])
    } finally {
      await rt.dispose()
    }
  })
})
