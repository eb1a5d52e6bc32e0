// stream, stream/promises, stream/web and stream/consumers where host Node
// has nothing to compare with: the builtins are readable-stream compiled in
// at build time (its modules unreachable by name), fs streams are real
// Readable/Writable streams, and web streams are globals. What Node
// defines (events, ordering, errors) is in __test__/differential/stream_*.js.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const sut = useRuntime({ limits: { memoryMb: 64, wallTimeMs: 20_000 }, permissions: { fs: 'allow' } })

describe('the stream builtins', () => {
  it('are one module under every name Node gives it', async () => {
    const r = await sut.rt.run<any>(`
      const stream = require('stream');
      const { builtinModules } = require('module');
      __return({
        prefixed: require('node:stream') === stream,
        promises: require('stream/promises') === stream.promises,
        legacy: ['readable', 'writable', 'duplex', 'transform', 'passthrough']
          .map((n) => require('_stream_' + n) === stream[n === 'passthrough' ? 'PassThrough' : n[0].toUpperCase() + n.slice(1)]),
        web: require('node:stream/web').ReadableStream === ReadableStream,
        listed: ['stream', 'stream/promises', 'stream/web', 'stream/consumers', 'zlib'].every((n) => builtinModules.includes(n)),
      })`)
    expect(r.value).toEqual({ prefixed: true, promises: true, legacy: [true, true, true, true, true], web: true, listed: true })
  })

  it('keep readable-stream\'s own modules and our shims out of reach', async () => {
    const r = await sut.rt.run<any>(`
      const tries = ['rs/stream', 'rs/internal/streams/readable', 'stream_shims', 'wsp/ponyfill', 'stream_web', 'readable-stream'];
      __return(tries.map((id) => {
        try { require(id); return 'loaded ' + id; } catch (e) { return e.code; }
      }).concat([(() => { try { require('node:rs/stream'); } catch (e) { return e.code; } })()]))`)
    expect(r.value).toEqual([
      'MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'MODULE_NOT_FOUND', 'MODULE_NOT_FOUND',
      'MODULE_NOT_FOUND', 'ERR_UNKNOWN_BUILTIN_MODULE',
    ])
  })

  it('give stream/consumers the whole of a stream', async () => {
    const r = await sut.rt.run<any>(`
      const { Readable } = require('stream');
      const c = require('stream/consumers');
      (async () => {
        const text = await c.text(Readable.from(['h\\u00e9', Buffer.from('llo')]));
        const json = await c.json(Readable.from(['{"a":', '[1,2]}']));
        const buf = await c.buffer(new ReadableStream({ start(ctl) { ctl.enqueue(new Uint8Array([1, 2])); ctl.enqueue('x'); ctl.close(); } }));
        const ab = await c.arrayBuffer(Readable.from([new Uint16Array([1])]));
        const blob = await c.blob(Readable.from(['x', 'yz']));
        __return({ text, json, buf: [...buf], isBuffer: Buffer.isBuffer(buf), ab: ab.byteLength, blob: [blob.size, await blob.text()] });
      })();`)
    expect(r.value).toEqual({ text: 'héllo', json: { a: [1, 2] }, buf: [1, 2, 120], isBuffer: true, ab: 2, blob: [3, 'xyz'] })
  })
})

describe('fs streams are real streams', () => {
  it('createReadStream and createWriteStream are stream.Readable and stream.Writable', async () => {
    const r = await sut.rt.run<any>(`
      const fs = require('fs');
      const { Readable, Writable, Stream } = require('stream');
      fs.writeFileSync('/tmp/a.txt', 'abc');
      const rs = fs.createReadStream('/tmp/a.txt');
      const ws = fs.createWriteStream('/tmp/b.txt');
      const out = [rs instanceof Readable, rs instanceof Stream, ws instanceof Writable, rs instanceof fs.ReadStream,
        ws instanceof fs.WriteStream, typeof rs._readableState, typeof ws._writableState, rs.pending, ws.autoClose];
      rs.destroy();
      ws.destroy();
      __return(out)`)
    expect(r.value).toEqual([true, true, true, true, true, 'object', 'object', true, true])
  })

  it('pipeline copies a file through gzip and back', async () => {
    const r = await sut.rt.run<any>(`
      const fs = require('fs');
      const zlib = require('zlib');
      const { pipeline } = require('stream/promises');
      const data = Buffer.alloc(300000);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 97;
      fs.writeFileSync('/tmp/in.bin', data);
      (async () => {
        await pipeline(fs.createReadStream('/tmp/in.bin', { highWaterMark: 4096 }), zlib.createGzip(), fs.createWriteStream('/tmp/out.gz'));
        await pipeline(fs.createReadStream('/tmp/out.gz'), zlib.createGunzip(), fs.createWriteStream('/tmp/back.bin'));
        const back = fs.readFileSync('/tmp/back.bin');
        __return({ same: back.equals(data), gz: fs.statSync('/tmp/out.gz').size < data.length });
      })();`)
    expect(r.value).toEqual({ same: true, gz: true })
  })

  it('a stream given a missing file fails with ENOENT and closes', async () => {
    const r = await sut.rt.run<any>(`
      const rs = require('fs').createReadStream('/nope/missing');
      const events = [];
      rs.on('error', (e) => events.push(e.code));
      rs.on('close', () => __return(events.concat(rs.destroyed)));`)
    expect(r.value).toEqual(['ENOENT', true])
  })

  it('the fd of a destroyed stream closes only after its read in flight', async () => {
    const r = await sut.rt.run<any>(`
      const fs = require('fs');
      fs.writeFileSync('/tmp/c.txt', 'x'.repeat(100000));
      const rs = fs.createReadStream('/tmp/c.txt', { highWaterMark: 10 });
      rs.once('data', () => {
        const fd = rs.fd;
        rs.destroy();
        rs.on('close', () => {
          let closed;
          try { fs.fstatSync(fd); closed = false; } catch (e) { closed = e.code; }
          __return({ closed, fd: rs.fd });
        });
      });`)
    expect(r.value).toEqual({ closed: 'EBADF', fd: null })
  })
})

describe('web streams', () => {
  it('are lazy globals, replaceable, and the same classes as stream/web', async () => {
    const r = await sut.rt.run<any>(`
      const names = ['ReadableStream', 'WritableStream', 'TransformStream', 'TextEncoderStream', 'TextDecoderStream',
        'CompressionStream', 'DecompressionStream', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy'];
      const lazy = names.map((n) => typeof Object.getOwnPropertyDescriptor(globalThis, n).get);
      const same = names.every((n) => globalThis[n] === require('stream/web')[n]);
      const enumerable = names.some((n) => Object.getOwnPropertyDescriptor(globalThis, n).enumerable);
      globalThis.ReadableStream = 1;
      __return({ lazy: lazy.every((t) => t === 'function'), same, enumerable, replaced: ReadableStream })`)
    expect(r.value).toEqual({ lazy: true, same: true, enumerable: false, replaced: 1 })
  })

  it('compress through CompressionStream into what host Node reads', async () => {
    const r = await sut.rt.run<any>(`
      (async () => {
        const cs = new CompressionStream('gzip');
        const w = cs.writable.getWriter();
        w.write(new TextEncoder().encode('web '.repeat(1000)));
        w.close();
        const parts = [];
        for await (const c of cs.readable) parts.push(c);
        __return(Buffer.concat(parts));
      })();`)
    expect(require('node:zlib').gunzipSync(r.value).toString()).toBe('web '.repeat(1000))
  })
})
