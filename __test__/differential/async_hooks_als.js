const { AsyncLocalStorage, AsyncResource, executionAsyncId, triggerAsyncId } = require('async_hooks');
const fs = require('fs');
const als = new AsyncLocalStorage();
console.log(Object.keys(require('async_hooks')));
console.log(executionAsyncId(), triggerAsyncId(), als.getStore());
// Async callbacks come in an order Node does not fix: each records what it
// saw, printed in label order at exit.
const seen = {};
const log = (label) => { seen[label] = als.getStore(); };
process.on('exit', () => {
  for (const k of Object.keys(seen).sort()) console.log(k, seen[k]);
});
const file = '/tmp/async_hooks_als.txt';
fs.writeFileSync(file, 'x');
als.run({ id: 1 }, () => {
  log('sync');
  process.nextTick(() => log('nextTick'));
  Promise.resolve().then(() => log('then'));
  queueMicrotask(() => log('queueMicrotask'));
  (async () => {
    await null;
    log('await');
    await new Promise((r) => setTimeout(r, 5));
    log('await timer');
  })();
  setTimeout(() => log('setTimeout'), 1);
  fs.readFile(file, () => {
    log('fs callback');
    setImmediate(() => log('immediate in fs'));
  });
  fs.promises.readFile(file).then(() => log('fs promise'));
  als.run({ id: 2 }, () => {
    log('nested');
    setTimeout(() => log('nested timer'), 3);
  });
  log('after nested');
  als.exit(() => log('exit'));
});
log('outside');
const r = new AsyncResource('Job');
console.log(typeof r.asyncId(), r.triggerAsyncId() === executionAsyncId());
als.run('in run', () => {
  const bound = AsyncLocalStorage.bind(() => als.getStore());
  const snap = AsyncLocalStorage.snapshot();
  als.run('other', () => console.log('bind', bound(), 'snapshot', snap(() => als.getStore())));
  const res = new AsyncResource('X');
  als.run('other2', () => res.runInAsyncScope(() => console.log('resource scope', als.getStore())));
  const fn = res.bind(function (a, b) { return [als.getStore(), this, a + b]; });
  console.log(fn.length, fn.name);
  als.run('other3', () => console.log(fn.call('self', 1, 2)));
});
const als2 = new AsyncLocalStorage();
als2.enterWith('entered');
console.log('enterWith', als2.getStore());
setTimeout(() => {
  console.log('timer after enterWith', als2.getStore());
  als2.disable();
  console.log('disabled', als2.getStore());
  als2.run('again', () => console.log('run after disable', als2.getStore()));
}, 20);
for (const f of [() => new AsyncResource(), () => new AsyncResource('x', { triggerAsyncId: -2 }), () => AsyncResource.bind(1),
  () => als.run(1, 2), () => require('async_hooks').createHook({ init: 1 })]) {
  try { f(); console.log('no error'); } catch (e) { console.log(e.name, e.code, e.message); }
}
