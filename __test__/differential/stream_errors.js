// Streams' errors: codes, classes and messages as Node words them, thrown
// or emitted, and how they print.
const { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished } = require('stream');
const log = (...a) => console.log(...a);
const show = (label, e) => log(label, e.name, e.code, e.message);

// Thrown synchronously.
for (const [label, f] of [
  ['write null', () => new Writable({ write(c, e, cb) { cb(); } }).write(null)],
  ['write number', () => new Writable({ write(c, e, cb) { cb(); } }).write(5)],
  ['bad hwm', () => new Readable({ highWaterMark: -1 })],
  ['bad hwm type', () => new Readable({ highWaterMark: 'x' })],
  ['pipeline no streams', () => pipeline(() => {})],
  ['pipeline no callback', () => pipeline(new PassThrough(), new PassThrough())],
  ['finished bad', () => finished(5, () => {})],
  ['from non-iterable', () => Readable.from(5)],
  ['bad encoding', () => new Writable().setDefaultEncoding('nope')],
  ['signal type', () => new Readable({ signal: 5 })],
]) {
  try {
    f();
    log(label, 'no throw');
  } catch (e) {
    show(label, e);
  }
}

// Emitted as 'error' events.
function emitted(label, make, act) {
  const s = make();
  s.on('error', (e) => show(label, e));
  try {
    act(s);
  } catch (e) {
    show(label + ' (thrown)', e);
  }
}
emitted('push after EOF', () => new Readable({ read() {} }), (r) => { r.push(null); r.push('late'); });
emitted('unshift after end', () => new Readable({ read() {} }), (r) => {
  r.on('end', () => r.unshift('x'));
  r.push(null);
  r.resume();
});
emitted('write after end', () => new Writable({ write(c, e, cb) { cb(); } }), (w) => { w.end(); w.write('x'); });
emitted('_read missing', () => new Readable(), (r) => r.read());
emitted('_write missing', () => new Writable(), (w) => w.write('x'));
emitted('_transform missing', () => new Transform(), (t) => t.write('x'));
emitted('callback twice', () => new Writable({ write(c, e, cb) { cb(); cb(); } }), (w) => w.write('x'));
emitted('end twice', () => new Writable({ write(c, e, cb) { cb(); } }), (w) => {
  w.end();
  w.end(() => {});
  w.end((err) => log('second end cb', err && err.code));
});
emitted('destroyed write', () => new Writable({ write(c, e, cb) { cb(); } }), (w) => {
  w.destroy();
  w.write('x', (err) => log('write cb after destroy', err.code));
});

// Errors print as Node prints them.
const r = new Readable({ read() {} });
r.on('error', (e) => {
  console.log(e.stack.split('\n')[0]);
  console.log(String(e), Object.keys(e), e instanceof Error);
});
r.push(null);
r.push('x');

// An error with no listener but the stream's own callback.
setTimeout(() => {
  const d = new Duplex({ read() {}, write(c, e, cb) { cb(new RangeError('write failed')); } });
  d.on('error', (e) => log('duplex error', e.name, e.message, d.destroyed));
  d.write('x', (err) => log('write callback', err.message));
  process.on('exit', (c) => log('exit', c));
}, 5);
