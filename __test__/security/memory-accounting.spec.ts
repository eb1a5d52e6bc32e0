// Findings 7 and 9: memory V8 allocates outside the ArrayBuffer allocator
// (WebAssembly memories, resizable buffers) counts against the runtime that
// owns it, in both sidecar modes, and never against a neighbour.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MemoryLimitError, NodeRuntime } from '../../index.js'
import { runtimeWithNeighbour } from '../helpers.js'

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

describe.each(['dedicated', 'shared'] as const)('memory outside the allocator (%s)', (sidecar) => {
  // In a shared sidecar, the neighbour makes the process's memory
  // everyone's: the limit must hold per runtime, not per process.
  const pair = runtimeWithNeighbour(sidecar, 64)

  it('resizable ArrayBuffers are refused with a clear error', async () => {
    const r = await pair.rt.run(`
      const out = [];
      try { new ArrayBuffer(0, { maxByteLength: 2 ** 30 }); out.push('made'); } catch (e) { out.push(e.name, e.code); }
      out.push(new ArrayBuffer(8).byteLength, new Uint8Array(4).buffer instanceof ArrayBuffer,
        new Uint8Array(4).buffer.constructor === ArrayBuffer, ArrayBuffer.isView(new Uint8Array(1)));
      class Sub extends ArrayBuffer {}
      out.push(new Sub(3) instanceof Sub, new Sub(3).byteLength);
      __return(out);
    `)
    expect(r.value).toEqual(['RangeError', 'ERR_SANDBOX_UNSUPPORTED', 8, true, true, true, true, 3])
  })

  it('growable SharedArrayBuffers cannot be made (no constructor is reachable)', async () => {
    const r = await pair.rt.run(`
      let C = 'none';
      try { C = typeof Object.getPrototypeOf(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer).constructor; } catch {}
      __return([typeof globalThis.SharedArrayBuffer, C]);
    `)
    expect(r.value).toEqual(['undefined', 'none'])
  })

  it('WebAssembly shared memory (charged to no isolate by V8) is refused on every route', async () => {
    // A module whose memory section defines (memory 1 1 shared).
    const shared = '[0, 97, 115, 109, 1, 0, 0, 0, 5, 4, 1, 3, 1, 1]'
    const r = await pair.rt.run(`
      const bytes = new Uint8Array(${shared});
      const out = [];
      const attempt = async (f) => { try { await f(); out.push('made'); } catch (e) { out.push(e.code ?? e.name); } };
      await attempt(() => new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
      await attempt(() => new WebAssembly.Module(bytes));
      await attempt(() => new WebAssembly.Module(bytes.buffer));
      await attempt(() => WebAssembly.compile(bytes));
      await attempt(() => WebAssembly.instantiate(bytes));
      await attempt(() => Reflect.construct(Object.getPrototypeOf(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))).constructor, [bytes]));
      out.push(WebAssembly.validate(bytes), new WebAssembly.Memory({ initial: 1 }).buffer.byteLength);
      __return(out);
    `)
    const no = 'ERR_SANDBOX_UNSUPPORTED'
    expect(r.value).toEqual([no, no, no, no, no, no, true, 65536])
  })

  it('a 1 GiB WebAssembly memory under memoryMb 64 ends as MemoryLimitError, resident memory bounded', async () => {
    const pid = pair.rt.sidecarPid!
    const err: any = await pair.rt
      .run(`
        const m = new WebAssembly.Memory({ initial: 1, maximum: 16384 });
        for (let i = 0; i < 16; i++) { m.grow(1024); new Uint8Array(m.buffer).fill(1); }
        __return('grew');
      `)
      .catch((e) => e)
    expect(err).toBeInstanceOf(MemoryLimitError)
    expect(rssMb(pid)).toBeLessThan(700)
    expect((await pair.rt.run('__return(1)')).value).toBe(1)
  })
})

describe("a shared runtime's memory is charged to it, not to a neighbour", () => {
  it("a neighbour's 625 MiB of WebAssembly memory does not end another runtime's call", async () => {
    const small = await NodeRuntime.create({ sidecar: 'shared', limits: { memoryMb: 64 } })
    const big = await NodeRuntime.create({ sidecar: 'shared', limits: { memoryMb: 1024 } })
    const greedy = await NodeRuntime.create({ sidecar: 'shared', limits: { memoryMb: 64 } })
    try {
      const waiting = small.run('setTimeout(() => __return("ok"), 1500)')
      const held = big.exec(`
        globalThis.m = new WebAssembly.Memory({ initial: 10000 });
        new Uint8Array(m.buffer).fill(1);
        setTimeout(() => console.log('big ok'), 1000);
      `)
      expect((await waiting).value).toBe('ok')
      const h = await held
      expect(h.stdout).toBe('big ok\n')
      const g: any = await greedy.run('const m = new WebAssembly.Memory({ initial: 10000 }); new Uint8Array(m.buffer).fill(1)').catch((e) => e)
      expect(g).toBeInstanceOf(MemoryLimitError)
      expect((await small.run('__return(2)')).value).toBe(2)
    } finally {
      await small.dispose()
      await big.dispose()
      await greedy.dispose()
    }
  })
})
