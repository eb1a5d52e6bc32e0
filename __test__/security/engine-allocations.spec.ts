// Findings 2 and 3: the engine's own allocations (encoded text, clones,
// stdin, strings made from bytes) never abort the sidecar: a refusal is the
// guest's MemoryLimitError or a RangeError, and its neighbours carry on.
import { describe, expect, it } from 'vitest'
import { MemoryLimitError } from '../../index.js'
import { runtimeWithNeighbour, useRuntime } from '../helpers.js'

describe.each(['dedicated', 'shared'] as const)('allocations past the limit (%s)', (sidecar) => {
  const pair = runtimeWithNeighbour(sidecar, 64)

  // The guest's own buffers stay under the limit; the engine's copy does not.
  const fill = (mb: number) => `const keep = []; for (let i = 0; i < ${mb}; i++) keep.push(new ArrayBuffer(1 << 20));`

  async function survives(code: string) {
    const pid = pair.rt.sidecarPid
    const err: any = await pair.rt.run(code).catch((e) => e)
    expect(err).toBeInstanceOf(Error)
    if (err instanceof MemoryLimitError) {
      expect(err.code).toBe('ERR_SANDBOX_MEMORY_LIMIT')
    } else {
      expect(err.name).toBe('RangeError')
    }
    expect(err.code).not.toBe('ERR_SANDBOX_CRASHED')
    expect(err.code).not.toBe('ERR_SANDBOX_RECYCLED')
    // The sidecar process itself is still there.
    expect(() => process.kill(pid!, 0)).not.toThrow()
    expect(pair.rt.sidecarPid).toBe(pid)
    expect((await pair.rt.run('__return(1)')).value).toBe(1)
    expect((await pair.neighbour.run('__return(2)')).value).toBe(2)
  }

  it('TextEncoder.encode of a large string', async () => {
    await survives(`${fill(60)} new TextEncoder().encode('x'.repeat(8 << 20));`)
  })

  it('structuredClone of a large value', async () => {
    await survives(`${fill(52)} structuredClone(new Uint8Array(8 << 20));`)
  })

  it('__return of a large value', async () => {
    await survives(`${fill(52)} __return(new Uint8Array(8 << 20));`)
  })

  it('a string argument to a syscall far larger than the limit', async () => {
    await survives(`${fill(60)} const s = 'é'.repeat(20 << 20); process.stdout.write(s);`)
  })
})

describe('strings longer than V8 can hold (finding 3)', () => {
  const sut = useRuntime({ limits: { memoryMb: 2048 } })

  it('TextDecoder.decode of 760 MiB of 0xFF is a RangeError, not an abort', async () => {
    const pid = sut.rt.sidecarPid
    const r = await sut.rt.run(`
      const bytes = new Uint8Array(760 * 1024 * 1024).fill(0xff);
      try { new TextDecoder().decode(bytes); __return('decoded'); }
      catch (e) { __return([e.name, e.code, e.message]); }
    `)
    expect(r.value).toEqual(['RangeError', 'ERR_STRING_TOO_LONG', 'Cannot create a string longer than 0x1fffffe8 characters'])
    expect(sut.rt.sidecarPid).toBe(pid)
  })

  it('TextDecoder.decode just over the string limit of valid text is a RangeError', async () => {
    const r = await sut.rt.run(`
      const bytes = new Uint8Array(0x1fffffe8 + 1).fill(0x61);
      try { new TextDecoder().decode(bytes); __return('decoded'); }
      catch (e) { __return(e.code); }
    `)
    expect(r.value).toBe('ERR_STRING_TOO_LONG')
  })

  it('decoding still replaces invalid sequences like WHATWG', async () => {
    const r = await sut.rt.run(`__return(new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0xe2, 0x82, 0x62, 0xf0, 0x9f, 0x98, 0x80])))`)
    expect(r.value).toBe(new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0xe2, 0x82, 0x62, 0xf0, 0x9f, 0x98, 0x80])))
  })
})
