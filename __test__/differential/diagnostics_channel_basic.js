const dc = require('diagnostics_channel');
const { AsyncLocalStorage } = require('async_hooks');
console.log(Object.keys(dc));
const ch = dc.channel('my-channel');
console.log(ch, ch.name, ch.hasSubscribers, ch === dc.channel('my-channel'), dc.hasSubscribers('my-channel'));
const sub = (message, name) => console.log('received', message, name);
dc.subscribe('my-channel', sub);
console.log(ch.hasSubscribers, dc.hasSubscribers('my-channel'), ch instanceof dc.Channel, ch.constructor.name);
ch.publish({ some: 'data' });
console.log(dc.unsubscribe('my-channel', sub), dc.unsubscribe('my-channel', sub), ch.hasSubscribers, ch.constructor.name);
ch.publish('nobody hears');
const sym = Symbol('sym');
console.log(dc.channel(sym).name === sym);
for (const f of [() => dc.channel(1), () => dc.subscribe('x', 1)]) {
  try { f(); } catch (e) { console.log(e.name, e.code, e.message); }
}
const store = new AsyncLocalStorage();
const ch2 = dc.channel('stores');
ch2.bindStore(store, (data) => ({ wrapped: data }));
ch2.subscribe((m) => console.log('subscriber sees store', store.getStore(), m));
console.log(ch2.runStores('payload', function (a) { return [store.getStore(), this, a]; }, 'self', 'arg'));
console.log(ch2.unbindStore(store), ch2.unbindStore(store));
const tc = dc.tracingChannel('work');
console.log(Object.keys(tc), tc.start.name, tc.end.name, tc.asyncStart.name, tc.asyncEnd.name, tc.error.name, tc.hasSubscribers);
const events = [];
const handlers = {
  start(ctx) { events.push(['start', ctx.arg]); },
  end(ctx) { events.push(['end', ctx.result, ctx.error && ctx.error.message]); },
  asyncStart(ctx) { events.push(['asyncStart', ctx.result]); },
  asyncEnd(ctx) { events.push(['asyncEnd', ctx.result]); },
  error(ctx) { events.push(['error', ctx.error.message]); },
};
tc.subscribe(handlers);
console.log(tc.hasSubscribers, tc.traceSync((a, b) => a + b, { arg: 'sync' }, null, 1, 2));
try { tc.traceSync(() => { throw new Error('sync fail'); }, { arg: 'throws' }); } catch (e) { console.log('caught', e.message); }
tc.traceCallback((x, cb) => setTimeout(() => cb(null, x * 2), 1), -1, { arg: 'cb' }, null, 21, (err, v) => {
  console.log('callback', err, v);
  tc.tracePromise(async (v) => v + 1, { arg: 'promise' }, null, 41).then((v) => {
    console.log('promise', v);
    return tc.tracePromise(async () => { throw new Error('rejected'); }, { arg: 'rejects' });
  }).catch((e) => {
    console.log('rejection', e.message);
    console.log(JSON.stringify(events));
    console.log(tc.unsubscribe(handlers), tc.hasSubscribers);
  });
});
const ch3 = dc.channel('throwing');
ch3.subscribe(() => { throw new Error('subscriber threw'); });
ch3.subscribe(() => console.log('second subscriber still runs'));
process.on('uncaughtException', (e) => console.log('uncaught', e.message));
ch3.publish(1);
console.log('publish returned');
