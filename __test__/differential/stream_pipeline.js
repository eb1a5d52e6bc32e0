// pipeline, finished, stream/promises, async iteration, Readable.from,
// async generators as stages, operators, destroy and abort signals.
const { Readable, Writable, Transform, PassThrough, pipeline, finished, addAbortSignal, compose } = require('stream');
const sp = require('stream/promises');
const custom = Symbol.for('nodejs.util.promisify.custom');
const log = (...a) => console.log(...a);

const sink = (name, into) => new Writable({
  objectMode: true,
  write(c, e, cb) { into.push(typeof c === 'object' && !Buffer.isBuffer(c) ? JSON.stringify(c) : String(c)); cb(); },
  final(cb) { log(name, 'final', into.join(',')); cb(); },
});

async function main() {
  // Callback pipeline with a transform and an async generator stage.
  await new Promise((resolve) => {
    const got = [];
    pipeline(
      Readable.from(['a', 'b', 'c']),
      new Transform({ transform(c, e, cb) { cb(null, String(c) + String(c)); } }),
      async function* (source) { for await (const c of source) yield String(c).toUpperCase(); },
      sink('p1', got),
      (err) => { log('p1 done', err, got); resolve(); });
  });

  // An error in the middle destroys every stage and reaches the callback once.
  await new Promise((resolve) => {
    const src = new Readable({ read() {} });
    const bad = new Transform({ transform(c, e, cb) { cb(new Error('boom in transform')); } });
    const dst = new PassThrough();
    pipeline(src, bad, dst, (err) => {
      log('p2 err', err.message, src.destroyed, bad.destroyed, dst.destroyed);
      resolve();
    });
    src.push('x');
  });

  // Premature close.
  await new Promise((resolve) => {
    const src = new Readable({ read() {} });
    pipeline(src, new PassThrough(), (err) => { log('p3', err.code, err.message); resolve(); });
    src.destroy();
  });

  // stream/promises and pipeline's promisified form agree.
  const got4 = [];
  await sp.pipeline(Readable.from([1, 2, 3]), sink('p4', got4));
  log('p4 resolved', pipeline[custom] === sp.pipeline, finished[custom] === sp.finished);
  try {
    await sp.pipeline(Readable.from(['x']), new Transform({ transform(c, e, cb) { cb(new TypeError('typed')); } }), new PassThrough());
  } catch (e) {
    log('p5 rejected', e.name, e.message);
  }

  // finished() on readable, writable, and an errored stream.
  await new Promise((resolve) => {
    const r = Readable.from(['q']);
    finished(r, (err) => { log('finished r', err); resolve(); });
    r.resume();
  });
  await new Promise((resolve) => {
    const w = new Writable({ write(c, e, cb) { cb(new Error('write failed')); } });
    finished(w, (err) => { log('finished w', err.message); resolve(); });
    w.on('error', (e) => log('w error event', e.message));
    w.write('z');
  });
  const done = new PassThrough();
  setImmediate(() => done.end());
  done.resume();
  await sp.finished(done);
  log('sp.finished resolved', done.readableEnded, done.writableFinished);

  // Async iteration, with break destroying the stream.
  const r6 = Readable.from([10, 20, 30, 40]);
  for await (const v of r6) {
    log('iter', v);
    if (v === 20) break;
  }
  log('after break', r6.destroyed);

  // Errors come out of the async iterator.
  const r7 = new Readable({ read() { this.destroy(new Error('iter error')); } });
  try {
    for await (const v of r7) log('never', v);
  } catch (e) {
    log('iter caught', e.message);
  }

  // Readable.from with strings, buffers, promises, and objectMode off.
  log('from string', await Readable.from('whole string').toArray());
  log('from promises', await Readable.from([Promise.resolve(1), 2]).toArray());
  log('from buffers', (await Readable.from([Buffer.from('ab')], { objectMode: false }).toArray()).map(String));

  // Operators.
  const nums = () => Readable.from([1, 2, 3, 4, 5]);
  log('map', await nums().map((x) => x * 2).toArray());
  log('filter', await nums().filter(async (x) => x % 2).toArray());
  log('take/drop', await nums().drop(1).take(2).toArray());
  log('reduce', await nums().reduce((a, b) => a + b, 0));
  log('some/every/find', await nums().some((x) => x > 4), await nums().every((x) => x > 0), await nums().find((x) => x > 2));
  log('flatMap', await nums().take(2).flatMap((x) => [x, x]).toArray());
  const each = [];
  await nums().forEach((x) => { each.push(x); });
  log('forEach', each);
  log('map concurrency', await nums().map(async (x) => { await new Promise((r) => setTimeout(r, 6 - x)); return x; }, { concurrency: 2 }).toArray());

  // compose
  const upper = compose(new Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } }), new PassThrough());
  log('compose', (await Readable.from(['co', 'mp']).pipe(upper).toArray()).map(String));

  // Abort signals.
  const ac = new AbortController();
  const r8 = addAbortSignal(ac.signal, new Readable({ read() {} }));
  r8.on('error', (e) => log('abort error', e.name, e.code, e.message));
  r8.on('close', () => log('abort close', r8.destroyed));
  ac.abort();
  await new Promise((r) => setImmediate(r));
  const ac2 = new AbortController();
  const p9 = sp.pipeline(new Readable({ read() {} }), new PassThrough(), { signal: ac2.signal });
  ac2.abort();
  try { await p9; } catch (e) { log('pipeline abort', e.name, e.code); }

  // destroy with an error: 'error' then 'close'.
  const r10 = new Readable({ read() {} });
  r10.on('error', (e) => log('r10 error', e.message, r10.errored === e, r10.destroyed));
  r10.on('close', () => log('r10 close', r10.closed));
  r10.destroy(new Error('gone'));
  await new Promise((r) => setImmediate(r));
  log('isErrored/isReadable/isDisturbed', require('stream').isErrored(r10), require('stream').isReadable(r10), require('stream').isDisturbed(r6));
}
main().then(() => log('main done'));
