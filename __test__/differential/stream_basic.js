// Readable, Writable, Duplex, Transform and PassThrough: events in order,
// backpressure, encodings, objectMode, read(n), unshift, pause/resume, pipe.
const stream = require('stream');
const { Readable, Writable, Duplex, Transform, PassThrough } = stream;
const log = (...a) => console.log(...a);

console.log(Object.keys(stream).join(' '));
console.log(typeof stream, stream === stream.Stream, stream.Readable === require('_stream_readable'));
console.log(Readable.prototype instanceof stream.Stream, new PassThrough() instanceof Readable, new PassThrough() instanceof Writable);
console.log(new Duplex() instanceof Writable, new Transform() instanceof Duplex, stream.getDefaultHighWaterMark(false), stream.getDefaultHighWaterMark(true));

// Events of a readable read to its end, in order.
const r1 = new Readable({ read() {} });
for (const ev of ['data', 'end', 'close', 'readable', 'pause', 'resume']) r1.on(ev, (x) => log('r1', ev, x));
r1.push('a');
r1.push(Buffer.from('b'));
r1.push(null);

// Backpressure: write() returns false at the high water mark, then 'drain'.
const seen = [];
const w1 = new Writable({
  highWaterMark: 3,
  write(chunk, enc, cb) { seen.push(String(chunk)); setImmediate(cb); },
});
log('w1 write', w1.write('ab'), w1.write('cd'), w1.writableLength, w1.writableNeedDrain);
w1.on('drain', () => {
  log('w1 drain', seen.join(','));
  w1.end('ef', () => log('w1 end cb'));
});
w1.on('finish', () => log('w1 finish', seen.join(',')));
w1.on('close', () => log('w1 close'));

// objectMode, highWaterMark in objects, read(n) and unshift.
const r2 = new Readable({ objectMode: true, highWaterMark: 2, read() {} });
log('r2 push', r2.push({ a: 1 }), r2.push([2]), r2.push('three'), r2.readableLength);
log('r2 read', r2.read(), r2.read());
r2.unshift('back');
log('r2 after unshift', r2.read(), r2.readableObjectMode, r2.readableHighWaterMark);

const r3 = new Readable({ read() {} });
r3.push('hello world');
r3.push(null);
r3.once('readable', () => {
  log('r3 read(5)', String(r3.read(5)), 'read(100)', r3.read(100), 'len', r3.readableLength);
  log('r3 read()', String(r3.read()), r3.read());
});

// setEncoding and multi-byte characters split across chunks.
const r4 = new Readable({ read() {} });
r4.setEncoding('utf8');
const euro = Buffer.from('€uro');
r4.on('data', (d) => log('r4 data', JSON.stringify(d)));
r4.push(euro.subarray(0, 2));
r4.push(euro.subarray(2));
r4.push(null);

// Transform with flush, and a Duplex.
const t = new Transform({
  transform(chunk, enc, cb) { cb(null, String(chunk).toUpperCase()); },
  flush(cb) { this.push('!'); cb(); },
});
const out = [];
t.on('data', (d) => out.push(String(d)));
t.on('end', () => log('transform', out.join('')));
t.write('abc');
t.end('def');

const d = new Duplex({
  read() { this.push('from duplex'); this.push(null); },
  write(chunk, enc, cb) { log('duplex got', String(chunk), enc); cb(); },
});
d.on('data', (x) => log('duplex data', String(x)));
d.on('finish', () => log('duplex finish'));
d.end('to duplex');

// pause/resume and isPaused; pipe with end: false.
const r5 = Readable.from(['x', 'y', 'z']);
r5.pause();
log('r5 paused', r5.isPaused());
const pt = new PassThrough();
const got = [];
pt.on('data', (c) => got.push(String(c)));
r5.pipe(pt, { end: false });
r5.on('end', () => setImmediate(() => log('r5 piped', got.join(''), pt.writableEnded)));
r5.resume();

// cork/uncork batches writes into _writev.
const w2 = new Writable({
  writev(chunks, cb) { log('writev', chunks.map((c) => String(c.chunk)).join('|')); cb(); },
});
w2.cork();
w2.write('1');
w2.write('2');
w2.write('3');
process.nextTick(() => w2.uncork());

// decodeStrings: false keeps strings; defaultEncoding.
const w3 = new Writable({
  decodeStrings: false,
  write(chunk, enc, cb) { log('w3', typeof chunk, enc); cb(); },
});
w3.setDefaultEncoding('latin1');
w3.write('s');
w3.write(Buffer.from('b'));
w3.write(new Uint16Array([1]));

process.on('exit', () => log('exit', r1.readableEnded, r1.destroyed, w1.writableFinished, w1.destroyed));
