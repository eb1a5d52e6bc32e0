// util.aborted and the transferable AbortSignal helpers.
const util = require('util');
(async () => {
  const ac = new AbortController();
  const p = util.aborted(ac.signal, {});
  setTimeout(() => ac.abort(), 1);
  const ev = await p;
  console.log('resolved with', ev.constructor.name, ev.type);
  console.log('already aborted', await util.aborted(AbortSignal.abort(), {}));
  for (const args of [[undefined, {}], [{}, {}], [ac.signal, null], [ac.signal, 1]]) {
    try { await util.aborted(...args); } catch (e) { console.log(e.code, e.message); }
  }
  const s = util.transferableAbortSignal(new AbortController().signal);
  console.log(s instanceof AbortSignal, s.aborted);
  try { util.transferableAbortSignal({}); } catch (e) { console.log(e.code, e.message); }
  const c = util.transferableAbortController();
  console.log(c instanceof AbortController, c.signal.aborted);
  c.abort();
  console.log(c.signal.aborted);
})();
