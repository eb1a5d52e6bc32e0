// events.once, events.on, getEventListeners, get/setMaxListeners,
// addAbortListener, captureRejections, EventEmitterAsyncResource.
const events = require('events');
const { EventEmitter, once, on } = events;
(async () => {
  const e = new EventEmitter();
  setImmediate(() => e.emit('ready', 1, 'two'));
  console.log('once', await once(e, 'ready'));
  setImmediate(() => e.emit('error', new Error('failed')));
  try { await once(e, 'ready'); } catch (err) { console.log('once rejected', err.message, e.listenerCount('ready'), e.listenerCount('error')); }
  setImmediate(() => e.emit('error', new Error('as value')));
  console.log('once error', (await once(e, 'error'))[0].message);
  const ac = new AbortController();
  const p = once(e, 'never', { signal: ac.signal });
  ac.abort('stop');
  try { await p; } catch (err) { console.log(err.name, err.code, err.message, err.cause, e.listenerCount('never')); }
  try { await once(e, 'x', { signal: AbortSignal.abort() }); } catch (err) { console.log('pre-aborted', err.name); }
  try { await once(e, 'x', { signal: 1 }); } catch (err) { console.log(err.code, err.message); }
  const et = new EventTarget();
  setImmediate(() => et.dispatchEvent(new Event('ping')));
  const [ev] = await once(et, 'ping');
  console.log('event target once', ev.type);

  const it = on(e, 'data');
  setImmediate(() => { e.emit('data', 1); e.emit('data', 2, 3); e.emit('data', 4); });
  let n = 0;
  for await (const args of it) {
    console.log('on', args);
    if (++n === 3) break;
  }
  console.log('after break', e.listenerCount('data'), e.listenerCount('error'));
  const it2 = on(e, 'data', { close: ['end'] });
  setImmediate(() => { e.emit('data', 'x'); e.emit('end'); e.emit('data', 'ignored'); });
  for await (const args of it2) console.log('on2', args);
  console.log('closed by end');
  const it3 = on(e, 'data');
  setImmediate(() => e.emit('error', new Error('iter failed')));
  try { for await (const args of it3) console.log(args); } catch (err) { console.log('on error', err.message); }
  const ac2 = new AbortController();
  const it4 = on(e, 'data', { signal: ac2.signal });
  setImmediate(() => ac2.abort());
  try { for await (const args of it4) console.log(args); } catch (err) { console.log('on aborted', err.name); }
  try { on(e, 'x', { signal: AbortSignal.abort() }); } catch (err) { console.log('on pre-aborted', err.name); }
  for (const opts of [{ highWaterMark: 0 }, { lowWaterMark: 'x' }, { signal: 'x' }]) {
    try { on(e, 'x', opts); } catch (err) { console.log(err.code, err.message); }
  }
  const it5 = on(e, 'q');
  e.emit('q', 'queued before next');
  console.log(await it5.next(), await it5.return(), await it5.next());
  try { it5.throw('not an error'); } catch (err) { console.log(err.code, err.message); }

  const f1 = () => {};
  e.on('gl', f1);
  e.once('gl', function onceFn() {});
  console.log(events.getEventListeners(e, 'gl').map((f) => f.name));
  const f2 = () => {};
  et.addEventListener('x', f2);
  console.log(events.getEventListeners(et, 'x').length, events.getEventListeners(et, 'x')[0] === f2, events.getEventListeners(et, 'none'));
  for (const bad of [{}, null]) {
    try { events.getEventListeners(bad, 'x'); } catch (err) { console.log(err.code, err.message); }
    try { events.getMaxListeners(bad); } catch (err) { console.log(err.code, err.message); }
  }
  console.log(events.getMaxListeners(e), events.getMaxListeners(et));
  events.setMaxListeners(3, e, et);
  console.log(events.getMaxListeners(e), events.getMaxListeners(et));
  try { events.setMaxListeners(1, {}); } catch (err) { console.log(err.code, err.message); }
  try { events.setMaxListeners(-1); } catch (err) { console.log(err.code, err.message); }
  events.setMaxListeners(20);
  console.log(EventEmitter.defaultMaxListeners, new EventEmitter().getMaxListeners());
  events.setMaxListeners();
  console.log(EventEmitter.defaultMaxListeners);

  const ac3 = new AbortController();
  const disposable = events.addAbortListener(ac3.signal, (ev) => console.log('abort listener', ev.type));
  console.log(typeof disposable[Symbol.dispose]);
  ac3.abort();
  events.addAbortListener(AbortSignal.abort(), () => console.log('already aborted: microtask'));
  const ac4 = new AbortController();
  events.addAbortListener(ac4.signal, () => console.log('never, disposed'))[Symbol.dispose]();
  ac4.abort();
  for (const args of [[undefined, () => {}], [{}, () => {}], [ac4.signal, 1]]) {
    try { events.addAbortListener(...args); } catch (err) { console.log(err.code, err.message); }
  }
  await null;

  const cr = new EventEmitter({ captureRejections: true });
  cr.on('work', async () => { throw new Error('async listener failed'); });
  cr.on('error', (err) => console.log('captured', err.message));
  cr.emit('work');
  await new Promise((r) => setImmediate(r));
  const cr2 = new EventEmitter({ captureRejections: true });
  cr2[Symbol.for('nodejs.rejection')] = (err, type, ...args) => console.log('rejection hook', err.message, type, args);
  cr2.on('job', async (x) => { throw new Error('hooked'); });
  cr2.emit('job', 42);
  await new Promise((r) => setImmediate(r));
  try { new EventEmitter({ captureRejections: 'yes' }); } catch (err) { console.log(err.code, err.message); }
  try { EventEmitter.captureRejections = 1; } catch (err) { console.log(err.code, err.message); }

  const { EventEmitterAsyncResource } = events;
  try { new EventEmitterAsyncResource(); } catch (err) { console.log(err.code, err.message); }
  const r = new EventEmitterAsyncResource({ name: 'Res' });
  r.on('x', (v) => console.log('async resource emit', v));
  r.emit('x', 7);
  console.log(typeof r.asyncId, typeof r.triggerAsyncId, r.asyncResource.eventEmitter === r, r instanceof EventEmitter);
  class Named extends EventEmitterAsyncResource {}
  console.log(new Named().listenerCount('x'), new EventEmitterAsyncResource('str').emit('none'));
})();
