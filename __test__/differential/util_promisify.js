// util.promisify (custom, errors, properties), callbackify, timers.
const util = require('util');
const { promisify, callbackify } = util;
console.log(typeof promisify.custom, promisify.custom === Symbol.for('nodejs.util.promisify.custom'));
function cbStyle(a, b, cb) { setImmediate(() => (a < 0 ? cb(new Error('negative')) : cb(null, a + b, 'extra'))); }
cbStyle.extra = 'kept';
const p = promisify(cbStyle);
console.log(p.name, p.length, p.extra, Object.getPrototypeOf(p) === Function.prototype, p[promisify.custom] === p);
console.log(promisify(p) === p);
function custom() {}
custom[promisify.custom] = function customPromise() { return Promise.resolve('custom!'); };
console.log(promisify(custom) === custom[promisify.custom]);
for (const bad of [undefined, 1, {}, 'f']) {
  try { promisify(bad); } catch (e) { console.log(e.code, e.message); }
}
const badCustom = () => {};
badCustom[promisify.custom] = 42;
try { promisify(badCustom); } catch (e) { console.log(e.code, e.message); }
const obj = { v: 5, m(cb) { cb(null, this.v); } };
(async () => {
  console.log(await p(1, 2));
  try { await p(-1, 2); } catch (e) { console.log('rejected', e.message); }
  console.log(await promisify(obj.m).call(obj));
  console.log(await promisify(custom)());
  const sleep = promisify(setTimeout);
  console.log(typeof sleep, sleep === promisify(setTimeout));
  console.log(await sleep(1, 'slept'));
  console.log(await promisify(setImmediate)('immediate'));
  const ac = new AbortController();
  const pending = sleep(10_000, 'never', { signal: ac.signal });
  ac.abort('why');
  try { await pending; } catch (e) { console.log(e.name, e.code, e.message, e.cause); }
  try { await sleep(1, 'x', { signal: AbortSignal.abort() }); } catch (e) { console.log(e.name, e.cause.name); }
  for (const args of [['x'], [1, 1, null], [1, 1, { ref: 'no' }], [1, 1, { signal: {} }]]) {
    try { await sleep(...args); } catch (e) { console.log(e.code, e.message); }
  }
  console.log(await sleep(1, 'unref ok', { ref: true }));
  const async2 = async (a, b) => a * b;
  const cbd = callbackify(async2);
  console.log(cbd.name, cbd.length, typeof cbd);
  cbd(6, 7, (err, v) => console.log('callbackified', err, v));
  const named = callbackify(async function named(x) { if (x) throw new TypeError('typed'); return null; });
  console.log(named.name, named.length);
  named(1, (err) => console.log('rejection', err.name, err.message));
  named(0, (err, v) => console.log('null result', err, v));
  callbackify(() => Promise.reject(null))((err) => {
    console.log(err.code, err.message, err.reason, Object.keys(err));
  });
  callbackify(() => Promise.reject(0))((err) => console.log(err.reason, err.code));
  callbackify(function () { return Promise.resolve(this.tag); }).call({ tag: 'this kept' }, function (err, v) {
    console.log(v, this.tag);
  });
  for (const bad of [null, 'x']) {
    try { callbackify(bad); } catch (e) { console.log(e.code, e.message); }
  }
  try { cbd(1, 2); } catch (e) { console.log(e.code, e.message); }
  try { cbd(1, 2, 3); } catch (e) { console.log(e.code, e.message); }
  const thenable = callbackify(() => ({ then(ok) { ok('thenable value'); } }));
  thenable((err, v) => console.log('thenable', err, v));
})();
