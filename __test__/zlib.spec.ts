// zlib where host Node has nothing to compare with: data crossing the
// boundary both ways, decompression bombs against the guest's limits, the
// per-process memory budget of compressor state, and handles freed when a
// call ends. Node's behaviour (messages, codes, chunking, round trips with
// Node-made data) is in __test__/differential/zlib_*.js.
import { brotliCompressSync, brotliDecompressSync, crc32, gunzipSync, gzipSync, inflateRawSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { MemoryLimitError } from '../index.js'
import { useRuntime } from './helpers.js'

const sut = useRuntime({ limits: { memoryMb: 64, wallTimeMs: 30_000 } })

const text = 'secure-exec zlib '.repeat(2000)

describe('zlib data crosses the boundary', () => {
  it('host Node reads what the guest compressed, in every format', async () => {
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const t = ${JSON.stringify(text)};
      __return({ gz: zlib.gzipSync(t), br: zlib.brotliCompressSync(t), raw: zlib.deflateRawSync(t, { level: 9, strategy: 1 }) })`)
    expect(gunzipSync(r.value.gz).toString()).toBe(text)
    expect(brotliDecompressSync(r.value.br).toString()).toBe(text)
    expect(inflateRawSync(r.value.raw).toString()).toBe(text)
  })

  it('the guest reads what host Node compressed, as one buffer and as a stream', async () => {
    const gz = gzipSync(text).toString('base64')
    const br = brotliCompressSync(text).toString('base64')
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const sync = zlib.gunzipSync(Buffer.from('${gz}', 'base64')).toString();
      const s = zlib.createBrotliDecompress();
      let streamed = '';
      s.setEncoding('utf8');
      s.on('data', (d) => { streamed += d; });
      s.on('end', () => __return({ sync: sync.length, streamed: streamed.length, same: sync === streamed }));
      const data = Buffer.from('${br}', 'base64');
      for (let i = 0; i < data.length; i += 7) s.write(data.subarray(i, i + 7));
      s.end();`)
    expect(r.value).toEqual({ sync: text.length, streamed: text.length, same: true })
  })

  it('crc32 is zlib\'s', async () => {
    const r = await sut.rt.run<any>(`const z = require('zlib'); __return([z.crc32('hello'), z.crc32(Buffer.alloc(1000, 7), 5)])`)
    expect(r.value).toEqual([crc32('hello'), crc32(Buffer.alloc(1000, 7), 5)])
  })
})

describe('decompression bombs', () => {
  // 1 GiB of zeros, about 1 MiB gzipped.
  const bomb = gzipSync(Buffer.alloc(1 << 30)).toString('base64')

  it('maxOutputLength stops a bomb with ERR_BUFFER_TOO_LARGE, sync and async', async () => {
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const bomb = Buffer.from('${bomb}', 'base64');
      let sync;
      try { zlib.gunzipSync(bomb, { maxOutputLength: 8 << 20 }); } catch (e) { sync = [e.name, e.code, e.message]; }
      zlib.gunzip(bomb, { maxOutputLength: 1 << 20 }, (e) => __return({ sync, async: [e.name, e.code, e.message] }));`)
    expect(r.value.sync).toEqual(['RangeError', 'ERR_BUFFER_TOO_LARGE', `Cannot create a Buffer larger than ${8 << 20} bytes`])
    expect(r.value.async).toEqual(['RangeError', 'ERR_BUFFER_TOO_LARGE', `Cannot create a Buffer larger than ${1 << 20} bytes`])
  })

  it('without a limit, the guest\'s memory limit ends it; the runtime goes on', async () => {
    const e = await sut.rt.exec(`
      const zlib = require('zlib');
      const out = zlib.gunzipSync(Buffer.from('${bomb}', 'base64'));
      console.log('never', out.length);`)
    expect(e.code).toBe(137)
    expect(e.stdout).toBe('')
    expect(e.error).toBeInstanceOf(MemoryLimitError)
    expect((await sut.rt.run<any>('__return(require("zlib").gunzipSync(require("zlib").gzipSync("ok")).toString())')).value).toBe('ok')
  })

  it('streamed through a pipeline with backpressure, a bomb uses little memory', async () => {
    const bomb128 = gzipSync(Buffer.alloc(128 << 20)).toString('base64')
    const r = await sut.rt.run<any>(`
      const { pipeline, Writable } = require('stream');
      const zlib = require('zlib');
      const src = zlib.createGunzip();
      let total = 0, maxBuffered = 0;
      const sink = new Writable({
        write(chunk, e, cb) { total += chunk.length; maxBuffered = Math.max(maxBuffered, src.readableLength); setImmediate(cb); },
      });
      pipeline(src, sink, (err) => __return({ err: err ? err.message : null, total, maxBuffered }));
      src.end(Buffer.from('${bomb128}', 'base64'));`)
    expect(r.value).toEqual({ err: null, total: 128 << 20, maxBuffered: r.value.maxBuffered })
    expect(r.value.maxBuffered).toBeLessThanOrEqual(64 << 10)
  })
})

describe('compressor state is bounded per process', () => {
  it('brotli at best quality fails with Z_MEM_ERROR past the budget, then the rest still works', async () => {
    // Each best-quality stream holds about 33 MiB once written to: some fit
    // the 128 MiB budget, the others fail cleanly.
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const streams = [];
      const results = [];
      for (let i = 0; i < 6; i++) {
        // A first write, then the end: not one-shot, so the full window.
        const s = zlib.createBrotliCompress();
        streams.push(s);
        s.on('data', () => {});
        const settle = (v) => { results.push(v); if (results.length === 6) done(); };
        s.on('error', (e) => settle([e.code, e.errno, /MiB/.test(e.message)]));
        s.on('end', () => settle('ok'));
        s.write(Buffer.alloc(100000, i));
        s.end();
      }
      function done() {
        for (const s of streams) s.destroy();
        const fresh = zlib.createBrotliCompress();
        fresh.on('data', () => {});
        fresh.write('x', (e) => __return({ results, after: e === null || e === undefined }));
      }`)
    const ok = r.value.results.filter((x: unknown) => x === 'ok').length
    expect(ok).toBeGreaterThan(0)
    expect(ok).toBeLessThan(6)
    expect(r.value.results).toContainEqual(['Z_MEM_ERROR', -4, true])
    expect(r.value.after).toBe(true)
  })

  it('too many open streams fail to initialize with a clear error', async () => {
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const open = [];
      let err;
      try { for (let i = 0; i < 5000; i++) open.push(zlib.createDeflate({ memLevel: 9 })); } catch (e) { err = [e.code, e.message]; }
      __return({ opened: open.length, err })`)
    expect(r.value.opened).toBeGreaterThan(100)
    expect(r.value.err[0]).toBe('ERR_ZLIB_INITIALIZATION_FAILED')
    expect(r.value.err[1]).toMatch(/^Initialization failed: /)
  })

  it('a call\'s open streams are freed when it ends', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await sut.rt.run<any>(`
        const zlib = require('zlib');
        const open = [];
        for (let i = 0; i < 100; i++) open.push(zlib.createGzip({ memLevel: 9 }));
        __return(open.length)`)
      expect(r.value).toBe(100)
    }
  })
})

describe('zlib ops validate in Rust what the guest can skip in JS', () => {
  it('a handle used after close fails cleanly, not the process', async () => {
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const d = zlib.createDeflate();
      const h = d._handle;
      d.close();
      let err;
      try { h.writeSync(0, Buffer.from('x'), 0, 1, Buffer.alloc(64), 0, 64); } catch (e) { err = [e.code, e.message]; }
      let range;
      const g = zlib.createGzip();
      try { g._handle.writeSync(0, Buffer.from('x'), 5, 10, Buffer.alloc(64), 0, 64); } catch (e) { range = e.code; }
      __return({ err, range, deflated: deflateIsFine() });
      function deflateIsFine() { return zlib.inflateSync(zlib.deflateSync('fine')).toString(); }`)
    expect(r.value.err).toEqual(['ERR_INVALID_STATE', 'Invalid state: zlib binding closed'])
    expect(r.value.range).toBe('ERR_OUT_OF_RANGE')
    expect(r.value.deflated).toBe('fine')
  })

  it('deflate output from the guest inflates on the host at every level', async () => {
    const r = await sut.rt.run<any>(`
      const zlib = require('zlib');
      const t = ${JSON.stringify(text)};
      __return([0, 1, 5, 9].map((level) => zlib.deflateSync(t, { level, memLevel: 1, windowBits: 9 })))`)
    for (const b of r.value) expect(inflateSync(b).toString()).toBe(text)
  })
})
