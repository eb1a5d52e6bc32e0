// Web streams: stream/web and the globals, text and compression streams,
// and Node streams to web streams and back.
const web = require('stream/web');
const { Readable, Writable, Duplex } = require('stream');
const zlib = require('zlib');
const log = (...a) => console.log(...a);

log(Object.keys(web).join(' '));
log(ReadableStream === web.ReadableStream, typeof TextEncoderStream, typeof CompressionStream);
log(new ReadableStream(), new WritableStream(), new TransformStream());
log(new ByteLengthQueuingStrategy({ highWaterMark: 4 }), new CountQueuingStrategy({ highWaterMark: 2 }));
log(Object.prototype.toString.call(new ReadableStream()));

async function main() {
  // A ReadableStream through a TransformStream into a WritableStream.
  const chunks = [];
  const rs = new ReadableStream({
    start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); },
  });
  const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
  await rs.pipeThrough(upper).pipeTo(new WritableStream({
    write(chunk) { chunks.push(chunk); },
    close() { log('ws closed', chunks); },
  }));

  // Readers, locking, cancel, errors.
  const rs2 = new ReadableStream({ pull(c) { c.enqueue(1); } }, { highWaterMark: 0 });
  const reader = rs2.getReader();
  log('locked', rs2.locked, await reader.read());
  try { rs2.getReader(); } catch (e) { log('second reader', e.name); }
  await reader.cancel('done');
  log('after cancel', await reader.read());
  const errored = new ReadableStream({ start(c) { c.error(new Error('stream broke')); } });
  try { await errored.getReader().read(); } catch (e) { log('read error', e.message); }

  // Async iteration and tee.
  const [t1, t2] = new ReadableStream({ start(c) { c.enqueue('x'); c.enqueue('y'); c.close(); } }).tee();
  const a = [];
  for await (const v of t1) a.push(v);
  const b = [];
  for await (const v of t2) b.push(v);
  log('tee', a, b);

  // Byte streams and BYOB readers.
  const bytes = new ReadableStream({
    type: 'bytes',
    start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4])); c.close(); },
  });
  const byob = bytes.getReader({ mode: 'byob' });
  const first = await byob.read(new Uint8Array(3));
  log('byob', first.value, first.done);

  // Text streams, with a character split across chunks.
  const enc = new TextEncoderStream();
  log(enc.encoding, enc);
  const w = enc.writable.getWriter();
  w.write('h\u00e9\ud83d');
  w.write('\ude00');
  w.close();
  const encoded = [];
  for await (const c of enc.readable) encoded.push(...c);
  log('encoded', encoded);
  const dec = new TextDecoderStream('utf-8');
  const dw = dec.writable.getWriter();
  dw.write(new Uint8Array(encoded.slice(0, 2)));
  dw.write(new Uint8Array(encoded.slice(2)));
  dw.close();
  let text = '';
  for await (const c of dec.readable) text += c;
  log('decoded', JSON.stringify(text), dec.encoding, dec.fatal, dec.ignoreBOM);
  try { new TextDecoderStream('nope'); } catch (e) { log('bad encoding', e.name, e.code); }

  // Compression streams: our output read back, and Node's gzip read.
  const input = 'compress me '.repeat(100);
  for (const format of ['gzip', 'deflate', 'deflate-raw']) {
    const compressed = new Blobish(new TextEncoder().encode(input)).stream().pipeThrough(new CompressionStream(format));
    const round = compressed.pipeThrough(new DecompressionStream(format)).pipeThrough(new TextDecoderStream());
    let out = '';
    for await (const c of round) out += c;
    log('round trip', format, out === input);
  }
  const nodeGzip = zlib.gzipSync('made by zlib');
  const ds = new Blobish(nodeGzip).stream().pipeThrough(new DecompressionStream('gzip')).pipeThrough(new TextDecoderStream());
  let fromNode = '';
  for await (const c of ds) fromNode += c;
  log('from zlib', fromNode);
  try { new CompressionStream('zip'); } catch (e) { log('bad format', e.name, e.code, e.message); }
  const broken = new Blobish(new Uint8Array([1, 2, 3, 4])).stream().pipeThrough(new DecompressionStream('gzip'));
  try { for await (const c of broken) log('never', c); } catch (e) { log('bad gzip', e.code, e.message); }

  // Node streams and web streams.
  const webFromNode = Readable.toWeb(Readable.from(['n1', 'n2']));
  const got = [];
  for await (const c of webFromNode) got.push(c);
  log('toWeb', got);
  const nodeFromWeb = Readable.fromWeb(new ReadableStream({ start(c) { c.enqueue('w1'); c.enqueue('w2'); c.close(); } }), { objectMode: true });
  log('fromWeb', await nodeFromWeb.toArray());
  const written = [];
  const nodeW = Writable.fromWeb(new WritableStream({ write(c) { written.push(new TextDecoder().decode(c)); } }));
  nodeW.write('to web');
  nodeW.end(() => log('Writable.fromWeb', written));
  await new Promise((r) => setTimeout(r, 5));
  const webW = Writable.toWeb(new Writable({ write(c, e, cb) { log('node got', String(c)); cb(); } }));
  const ww = webW.getWriter();
  await ww.write(new TextEncoder().encode('from web writer'));
  await ww.close();
  const pair = Duplex.toWeb(new Duplex({ read() { this.push('dup'); this.push(null); }, write(c, e, cb) { cb(); } }));
  log('Duplex.toWeb', Object.keys(pair), pair.readable instanceof ReadableStream);
  try { Readable.fromWeb({}); } catch (e) { log('fromWeb bad', e.code, e.message); }
}

// A minimal Blob-like source: bytes as a ReadableStream.
class Blobish {
  constructor(bytes) { this.bytes = bytes; }
  stream() {
    const bytes = this.bytes;
    return new ReadableStream({ start(c) { c.enqueue(new Uint8Array(bytes)); c.close(); } });
  }
}

main().then(() => log('main done'), (e) => log('main failed', e));
