// zlib round trips in every form (sync, callback, promisified, streams)
// and Node-made data read back. Compressed bytes are not printed: another
// compressor may make other (equally valid) bytes.
const zlib = require('zlib');
const log = (...a) => console.log(...a);
const promisify = (f) => (...args) => new Promise((res, rej) => f(...args, (e, v) => (e ? rej(e) : res(v))));

const text = 'The quick brown fox jumps over the lazy dog. '.repeat(50) + 'h\u00e9llo w\u00f6rld \u2713';
const big = Buffer.alloc(300000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251 < 40 ? 0x61 : (i % 13) + 0x30;

// Made by Node's zlib (host node v20.20.2).
const fromNode = {
  gunzip: 'H4sIAAAAAAAAA+3KUQFAMBQF0Co3gTQrgI1hPMYMNfwqoIACayKJGj7u+T7KGkyhKTsUXuKASja0oR9nyGo8Fmvg8mOHljqDYmZmZmZmZmb+U7bpdk4Q0+OdxnudHxO39hnbCAAA',
  inflate: 'eNrtylEBQDAUBdAqN4E0K4CNYTzGDDX8KqCAAmsiiRo+7vk+yhpMoSk7FF7igEo2tKEfZ8hqPBZr4PJjh5Y6g2JmZmZmZmZm/lO26XZOENPjncZ7nR8W+DBq',
  inflateRaw: '7cpRAUAwFAXQKjeBNCuAjWE8xgw1/CqggAJrIokaPu75PsoaTKEpOxRe4oBKNrShH2fIajwWa+DyY4eWOoNiZmZmZmZmZv5Ttul2ThDT453Ge50f',
  brotliDecompress: 'G9oIiCwS7NgpQDp1yxEqKrkOY3sbVpOclWoLz/J40geU0he6C4K2geFgAw4cEsgfzCaWG3Ra4VQaHieKdyg4COcKAKB4Fy0EvHPa7Kv8AA==',
};
for (const [fn, b64] of Object.entries(fromNode)) {
  const out = zlib[fn + 'Sync'](Buffer.from(b64, 'base64'));
  log('node-made', fn, out.length, out.toString() === text);
}
log('unzip gzip', zlib.unzipSync(Buffer.from(fromNode.gunzip, 'base64')).toString() === text);
log('unzip deflate', zlib.unzipSync(Buffer.from(fromNode.inflate, 'base64')).toString() === text);
log('multi-member', zlib.gunzipSync(Buffer.from('H4sIAAAAAAAAA0vLLCouUQAA/HrxHAYAAAAfiwgAAAAAAAADK05Nzs9LAQBpER+2BgAAAA==', 'base64')).toString());
log('dictionary', zlib.inflateSync(Buffer.from('eLsQHgNbS0xKhiAIVyExKRkARjwG7Q==', 'base64'), { dictionary: Buffer.from('abc hello') }).toString());
log('trailing zeros', zlib.gunzipSync(Buffer.concat([zlib.gzipSync('pad'), Buffer.alloc(4)])).toString());

const pairs = [
  ['deflate', 'inflate'], ['gzip', 'gunzip'], ['deflateRaw', 'inflateRaw'], ['gzip', 'unzip'], ['deflate', 'unzip'],
  ['brotliCompress', 'brotliDecompress'],
];
for (const [c, d] of pairs) {
  const back = zlib[d + 'Sync'](zlib[c + 'Sync'](text));
  const backBig = zlib[d + 'Sync'](zlib[c + 'Sync'](big));
  log('sync', c, d, back.toString() === text, backBig.equals(big));
}
for (const level of [0, 1, 6, 9]) {
  for (const strategy of [0, 1, 2, 3, 4]) {
    const z = zlib.deflateSync(big, { level, strategy, memLevel: 9, windowBits: 12 });
    if (!zlib.inflateSync(z).equals(big)) log('bad', level, strategy);
  }
}
log('levels and strategies ok');
for (const q of [0, 5, 11]) {
  const b = zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: q, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } });
  log('brotli quality', q, zlib.brotliDecompressSync(b).toString() === text);
}
log('input kinds', zlib.inflateSync(zlib.deflateSync(new Uint16Array([1, 2, 3]))).length,
  zlib.inflateSync(zlib.deflateSync(new ArrayBuffer(5))).length,
  zlib.inflateSync(zlib.deflateSync(new DataView(new ArrayBuffer(6)))).length);
log('empty', zlib.inflateSync(zlib.deflateSync('')).length, zlib.gunzipSync(zlib.gzipSync(Buffer.alloc(0))).length);
const info = zlib.deflateSync('info', { info: true });
log('info', Object.keys(info), info.engine.bytesWritten, info.engine._closed);
log('crc32', zlib.crc32('hello'), zlib.crc32(Buffer.from('world'), zlib.crc32('hello ')), zlib.crc32(''), zlib.crc32(big));

async function main() {
  for (const [c, d] of pairs) {
    const compressed = await new Promise((res, rej) => zlib[c](text, (e, v) => (e ? rej(e) : res(v))));
    const back = await promisify(zlib[d])(compressed, {});
    log('callback', c, d, back.toString() === text);
  }
  // Streams: output comes in chunkSize pieces; chunked input.
  const compressed = zlib.gzipSync(big);
  const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
  const sizes = [];
  gunzip.on('data', (c) => sizes.push(c.length));
  gunzip.on('end', () => log('stream sizes', sizes, gunzip.bytesWritten === compressed.length));
  gunzip.end(compressed);
  await new Promise((r) => gunzip.on('close', r));
  const chunked = zlib.createGunzip();
  let total = 0;
  chunked.on('data', (c) => { total += c.length; });
  for (let i = 0; i < compressed.length; i += 1000) chunked.write(compressed.subarray(i, i + 1000));
  chunked.end();
  await new Promise((r) => chunked.on('end', r));
  log('chunked input', total, chunked.bytesWritten === compressed.length);

  // A stream pipeline through compression and back.
  const { pipeline, Readable, Writable } = require('stream');
  const parts = [];
  await new Promise((resolve, reject) => pipeline(
    Readable.from([text.slice(0, 100), text.slice(100)]),
    zlib.createDeflate({ level: 3 }),
    zlib.createInflate(),
    new Writable({ write(c, e, cb) { parts.push(c); cb(); } }),
    (err) => (err ? reject(err) : resolve())));
  log('pipeline round trip', Buffer.concat(parts).toString() === text);

  // flush() makes what was written so far decodable.
  const def = zlib.createDeflate();
  const inf = zlib.createInflate();
  def.pipe(inf);
  inf.on('data', (c) => log('flushed through', String(c)));
  def.write('first part');
  await new Promise((r) => def.flush(r));
  await new Promise((r) => setTimeout(r, 10));
  def.write(' second part');
  def.end();
  await new Promise((r) => inf.on('end', r));

  // params() between writes; reset() starts over.
  const p = zlib.createDeflate({ level: 1 });
  const pout = [];
  p.on('data', (c) => pout.push(c));
  p.write(text);
  await new Promise((r) => p.params(9, zlib.constants.Z_DEFAULT_STRATEGY, r));
  p.end(text);
  await new Promise((r) => p.on('end', r));
  log('params', zlib.inflateSync(Buffer.concat(pout)).toString() === text + text, p._level);

  const br = zlib.createBrotliCompress();
  const bout = [];
  br.on('data', (c) => bout.push(c));
  br.end(big);
  await new Promise((r) => br.on('end', r));
  log('brotli stream', zlib.brotliDecompressSync(Buffer.concat(bout)).equals(big));
}
main().then(() => log('main done'), (e) => log('main failed', e));
