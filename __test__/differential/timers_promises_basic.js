const tp = require('timers/promises');
const timers = require('timers');
console.log(Object.keys(timers), Object.keys(tp));
console.log(timers.promises === tp, typeof tp.scheduler.wait, typeof tp.scheduler.yield);
(async () => {
  console.log(await tp.setTimeout(5, 'value'));
  console.log(await tp.setImmediate('imm'));
  console.log(await tp.setTimeout());
  let n = 0;
  for await (const v of tp.setInterval(2, 'tick')) {
    console.log(v, ++n);
    if (n === 3) break;
  }
  const ac = new AbortController();
  ac.abort();
  try { await tp.setTimeout(10, 1, { signal: ac.signal }); } catch (e) { console.log(e.name, e.code, e.message, Object.keys(e), e.cause.name); }
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(new Error('why')), 2);
  try { await tp.setTimeout(1000, 1, { signal: ac2.signal }); } catch (e) { console.log(e.name, e.message, e.cause.message); }
  const ac3 = new AbortController();
  const it = tp.setInterval(1, 'x', { signal: ac3.signal });
  console.log((await it.next()).value);
  ac3.abort();
  try { await it.next(); } catch (e) { console.log('interval', e.name); }
  try { await tp.scheduler.wait(1, { signal: AbortSignal.abort() }); } catch (e) { console.log('wait', e.name); }
  console.log(await tp.scheduler.yield(), await tp.scheduler.wait(1));
  for (const f of [() => tp.setTimeout(1, 1, 1), () => tp.setTimeout(1, 1, { signal: 1 }), () => tp.setTimeout(1, 1, { ref: 1 }),
    () => tp.setImmediate(1, 'x'), () => tp.setTimeout('x')]) {
    try { await f(); console.log('no error'); } catch (e) { console.log(e.name, e.code, e.message); }
  }
  try { for await (const v of tp.setInterval(1, 1, 'bad')) console.log(v); } catch (e) { console.log(e.code, e.message); }
  const t = await tp.setTimeout(1, 'unrefed', { ref: false });
  console.log(t);
  console.log('done');
})();
