// require('v8'): serialize/deserialize in V8's format with Node's typed
// array records, byte for byte what host Node writes; hostile bytes are
// refused or read by V8, never a crash; heap statistics of the guest.
import { serialize } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const host = useRuntime({ permissions: { fs: 'allow' } })

describe('v8.serialize / v8.deserialize', () => {
  it('writes what host Node writes', async () => {
    const r = await host.rt.run(`
      const v8 = require('v8');
      __return([{ a: 1, s: 'x', n: [1.5, null, true] }, new Map([[1, new Set(['y'])]]), new Date(5), /x/g,
        Buffer.from('buf'), new Float32Array([1.5]), 2n ** 65n].map((v) => v8.serialize(v).toString('hex')))`)
    const expected = [{ a: 1, s: 'x', n: [1.5, null, true] }, new Map([[1, new Set(['y'])]]), new Date(5), /x/g,
      Buffer.from('buf'), new Float32Array([1.5]), 2n ** 65n].map((v) => serialize(v).toString('hex'))
    expect(r.value).toEqual(expected)
  })

  it("reads host Node's bytes back, Buffers as Buffers", async () => {
    const bytes = serialize({ b: Buffer.from('hi'), u: new Uint16Array([7]), m: new Map([['k', 1]]) }).toString('hex')
    const r = await host.rt.run(`
      const v = require('v8').deserialize(Buffer.from('${bytes}', 'hex'));
      __return([Buffer.isBuffer(v.b), v.b.toString(), v.u instanceof Uint16Array, v.u[0], v.m.get('k')])`)
    expect(r.value).toEqual([true, 'hi', true, 7, 1])
  })

  it('refuses what would reach past the heap: resizable, shared or transferred buffers, WebAssembly', async () => {
    const hostile = {
      resizable: 'ff0f7e02ffffffff0f0000',
      resizableNested: 'ff0f6f2201617e02080000' + '7b01',
      shared: 'ff0f7500',
      transferred: 'ff0f7400',
      wasmModule: 'ff0f7700',
      wasmMemory: 'ff0f6d00',
      sharedObject: 'ff0f7000',
      lengthTrackingView: 'ff0f420400000000564200000401',
      badHostObject: 'ff0f5c630100',
    }
    const r = await host.rt.run(`
      const v8 = require('v8');
      const out = {};
      for (const [k, hex] of Object.entries(${JSON.stringify(hostile)})) {
        try { v8.deserialize(Buffer.from(hex, 'hex')); out[k] = 'read'; } catch (e) { out[k] = [e.name, e.message]; }
      }
      __return(out)`)
    for (const k of Object.keys(hostile)) {
      expect((r.value as Record<string, unknown>)[k], k).toEqual(['Error', 'Unable to deserialize cloned data.'])
    }
  })

  it('hostile bytes throw and never crash the sandbox', async () => {
    const r = await host.rt.run(`
      const v8 = require('v8');
      // A small deterministic generator: the same bytes every run.
      let seed = 12345;
      const rand = (n) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
      const valid = [v8.serialize({ a: [1, 'two', { three: 3n }], m: new Map([[1, new Set([2])]]), d: new Date(0),
        r: /re/g, b: Buffer.from('bytes'), f: new Float64Array([1.5]), e: new RangeError('x') }), v8.serialize('str'),
        v8.serialize([1, , 3])];
      let threw = 0, read = 0;
      for (let i = 0; i < 3000; i++) {
        let bytes;
        if (i % 3 === 0) {
          bytes = Buffer.alloc(2 + rand(40));
          for (let j = 2; j < bytes.length; j++) bytes[j] = rand(256);
          bytes[0] = 0xff; bytes[1] = 0x0f;
        } else {
          const base = valid[rand(valid.length)];
          bytes = Buffer.from(base);
          const flips = 1 + rand(4);
          for (let k = 0; k < flips; k++) bytes[2 + rand(bytes.length - 2)] = rand(256);
          if (i % 7 === 0) bytes = bytes.subarray(0, 2 + rand(bytes.length - 2));
        }
        try { v8.deserialize(bytes); read++; } catch (e) { if (!(e instanceof Error)) throw e; threw++; }
      }
      __return([threw + read, threw > 1000])`)
    expect(r.value).toEqual([3000, true])
  })

  it('deep nesting is an error, not a crash', async () => {
    const r = await host.rt.run(`
      const v8 = require('v8');
      const depth = 200000;
      const parts = [Buffer.from([0xff, 0x0f])];
      parts.push(Buffer.alloc(depth * 2, Buffer.from([0x41, 0x01])));
      parts.push(Buffer.from([0x5f]));
      parts.push(Buffer.alloc(depth * 3, Buffer.from([0x24, 0x00, 0x01])));
      try { v8.deserialize(Buffer.concat(parts)); __return('read'); } catch (e) { __return(e.name); }`)
    expect(r.value).toBe('RangeError')
  })

  it('is bounded by the memory limit when serializing', async () => {
    await expect(host.rt.run(`require('v8').serialize(new Array(300000).fill('x'.repeat(1000)))`))
      .rejects.toThrow(/memory limit/)
    const after = await host.rt.run(`__return(require('v8').serialize([1]).length)`)
    expect(after.value).toBe(9)
  })

  it('fails like Node for what cannot be serialized or read', async () => {
    const r = await host.rt.run(`
      const v8 = require('v8');
      const out = [];
      for (const f of [() => v8.serialize(() => 1), () => v8.serialize(Symbol()), () => v8.deserialize('x'),
        () => v8.deserialize(Buffer.from([1, 2])), () => v8.deserialize(Buffer.from([0xff, 0x0f]))]) {
        try { f(); out.push('no error') } catch (e) { out.push([e.name, e.code, e.message]) }
      }
      __return(out)`)
    expect(r.value).toEqual([
      ['Error', undefined, '() => 1 could not be cloned.'],
      ['Error', undefined, 'Symbol() could not be cloned.'],
      ['TypeError', 'ERR_INVALID_ARG_TYPE', 'buffer must be a TypedArray or a DataView'],
      ['Error', undefined, 'Unable to deserialize cloned data due to invalid or unsupported version.'],
      ['Error', undefined, 'Unable to deserialize cloned data.'],
    ])
  })
})

describe('v8 statistics and host-wide settings', () => {
  it("reports the guest's own heap", async () => {
    const r = await host.rt.run(`
      const v8 = require('v8');
      const s = v8.getHeapStatistics(), spaces = v8.getHeapSpaceStatistics();
      __return([s.used_heap_size > 0, s.heap_size_limit > s.used_heap_size, s.heap_size_limit <= 256 * 1024 * 1024,
        spaces.length > 3, spaces.every((x) => typeof x.space_name === 'string' && x.space_size >= x.space_used_size),
        typeof v8.cachedDataVersionTag(), v8.cachedDataVersionTag() === v8.cachedDataVersionTag()])`)
    expect(r.value).toEqual([true, true, true, true, true, 'number', true])
  })

  it('never lets a guest set V8 flags, snapshot the heap or take coverage', async () => {
    const r = await host.rt.run(`
      const v8 = require('v8');
      v8.setFlagsFromString('--allow-natives-syntax');
      let natives;
      try { natives = eval('%GetHeapUsage()'); } catch (e) { natives = e.name; }
      const out = [natives];
      for (const f of [() => v8.getHeapSnapshot(), () => v8.writeHeapSnapshot(), () => v8.takeCoverage(), () => new v8.Serializer(),
        () => v8.promiseHooks.onInit(() => {})]) {
        try { f(); out.push('no error') } catch (e) { out.push(e.code) }
      }
      __return(out)`)
    expect(r.value).toEqual(['SyntaxError', 'ERR_SANDBOX_UNSUPPORTED', 'ERR_SANDBOX_UNSUPPORTED', 'ERR_SANDBOX_UNSUPPORTED',
      'ERR_SANDBOX_UNSUPPORTED', 'ERR_SANDBOX_UNSUPPORTED'])
  })
})
