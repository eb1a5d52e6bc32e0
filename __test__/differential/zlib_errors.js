// zlib's errors as Node reports them: data errors with zlib's messages and
// codes, option checks, output limits, and errors on streams.
const zlib = require('zlib');
const log = (...a) => console.log(...a);
const show = (label, f) => {
  try {
    const r = f();
    log(label, 'ok', r && r.length);
  } catch (e) {
    log(label, e.name, JSON.stringify(e.message), e.code, e.errno);
  }
};

const gz = zlib.gzipSync('hello world');
show('inflate garbage', () => zlib.inflateSync(Buffer.from('garbage!')));
show('gunzip garbage', () => zlib.gunzipSync(Buffer.from('garbage!')));
show('gunzip truncated', () => zlib.gunzipSync(gz.subarray(0, 15)));
show('gunzip bad crc', () => { const b = Buffer.from(gz); b[b.length - 6] ^= 1; return zlib.gunzipSync(b); });
show('inflateRaw bad block', () => zlib.inflateRawSync(Buffer.from([0xff, 0xff, 0xff])));
show('trailing garbage', () => zlib.gunzipSync(Buffer.concat([gz, Buffer.from('garbage')])));
show('bad second member', () => zlib.gunzipSync(Buffer.concat([gz, Buffer.from([0x1f, 0x8b, 1, 2, 3])])));
show('inflate empty', () => zlib.inflateSync(Buffer.alloc(0)));
show('window too small', () => zlib.inflateSync(zlib.deflateSync(Buffer.alloc(100000, 'ab')), { windowBits: 9 }));
show('missing dictionary', () => zlib.inflateSync(zlib.deflateSync('a', { dictionary: Buffer.from('abc') })));
show('bad dictionary', () => zlib.inflateSync(zlib.deflateSync('a', { dictionary: Buffer.from('abc') }), { dictionary: Buffer.from('xyz') }));
show('brotli garbage', () => zlib.brotliDecompressSync(Buffer.from('garbage!')));
show('brotli truncated', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('hello brotli').subarray(0, 3)));
show('finishFlush sync', () => zlib.inflateSync(zlib.deflateSync('hello').subarray(0, 5), { finishFlush: zlib.constants.Z_SYNC_FLUSH }));

// A bomb: 10 MB of zeros stops at maxOutputLength.
const bomb = zlib.deflateSync(Buffer.alloc(10 * 1024 * 1024));
show('bomb limit', () => zlib.inflateSync(bomb, { maxOutputLength: 1024 * 1024 }));
show('brotli bomb limit', () => zlib.brotliDecompressSync(zlib.brotliCompressSync(Buffer.alloc(5e6)), { maxOutputLength: 1000 }));

// Option checks.
show('level', () => zlib.gzipSync('x', { level: 12 }));
show('level type', () => zlib.gzipSync('x', { level: '3' }));
show('level NaN', () => zlib.gzipSync('x', { level: NaN }));
show('level Infinity', () => zlib.gzipSync('x', { level: Infinity }));
show('windowBits gzip', () => zlib.gzipSync('x', { windowBits: 8 }));
show('windowBits raw 8', () => zlib.deflateRawSync('abc', { windowBits: 8 }));
show('inflateRaw windowBits 0', () => zlib.inflateRawSync(zlib.deflateRawSync('a'), { windowBits: 0 }));
show('memLevel', () => zlib.deflateSync('x', { memLevel: 10 }));
show('strategy', () => zlib.deflateSync('x', { strategy: 9 }));
show('chunkSize', () => zlib.deflateSync('x', { chunkSize: 10 }));
show('flush', () => zlib.deflateSync('x', { flush: 9 }));
show('maxOutputLength', () => zlib.deflateSync('x', { maxOutputLength: 0 }));
show('dictionary type', () => zlib.deflateSync('x', { dictionary: 'abc' }));
show('buffer type', () => zlib.deflateSync(null));
show('brotli param', () => zlib.brotliCompressSync('x', { params: { 99: 1 } }));
show('brotli param value', () => zlib.brotliCompressSync('x', { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 'a' } }));
show('brotli quality clamped', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('hello', { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 99 } })));
show('crc32 type', () => zlib.crc32(5));
show('crc32 value', () => zlib.crc32('a', -1));
show('no callback', () => zlib.deflate('x'));
show('params range', () => zlib.createDeflate().params(10, 0, () => {}));

// Async and stream errors.
zlib.gunzip(Buffer.from('garbage'), (e) => log('async gunzip', e.code, e.errno, e.message));
zlib.inflate(bomb, { maxOutputLength: 100 }, (e) => log('async limit', e.name, e.code, e.message));
zlib.brotliDecompress(Buffer.from('bad data'), (e) => log('async brotli', e.code, e.errno, e.message));
const s = zlib.createInflate();
s.on('error', (e) => {
  log('stream error', e.code, e.errno, e.message, s.destroyed);
  log(e.stack.split('\n')[0], Object.keys(e));
});
s.on('close', () => log('stream close', s._closed));
s.end(Buffer.from('not zlib data'));
const t = zlib.createGunzip();
t.on('error', (e) => log('truncated stream', e.code, e.message));
t.end(gz.subarray(0, 12));

log(Object.keys(zlib).join(' '));
log(zlib.codes, zlib.constants.Z_BEST_COMPRESSION, zlib.Z_DEFAULT_CHUNK, Object.isFrozen(zlib.constants));
log(typeof zlib.Gzip, zlib.Gzip('x') instanceof zlib.Gzip, zlib.createGzip() instanceof require('stream').Transform);
