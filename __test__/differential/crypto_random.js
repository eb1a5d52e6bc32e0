// Random values: sizes, ranges and errors (never the values themselves).
const crypto = require('crypto');

function show(label, f) {
  try {
    const v = f();
    if (v instanceof Uint8Array || ArrayBuffer.isView(v)) console.log(label, v.constructor.name, v.byteLength);
    else console.log(label, typeof v === 'object' && v !== null ? v.constructor.name : typeof v);
  } catch (e) {
    console.log(label, 'threw', e.name, e.code, JSON.stringify(e.message));
  }
}

for (const n of [0, 1, 16, 65536, 65537, 200000, 1.5]) show(`randomBytes ${n}`, () => crypto.randomBytes(n));
for (const n of [undefined, -1, '1', 2 ** 31, NaN, Infinity]) show(`randomBytes ${n}`, () => crypto.randomBytes(n));
show('randomBytes callback number', () => crypto.randomBytes(10, 5));
show('randomBytes callback null', () => crypto.randomBytes(10, null));
console.log('pseudoRandomBytes', crypto.pseudoRandomBytes === crypto.randomBytes, Object.keys(crypto).includes('pseudoRandomBytes'));

// Not all zero: a 32-byte random value is all zero once in 2^256.
console.log('nonzero', crypto.randomBytes(32).some((b) => b !== 0));
console.log('distinct', crypto.randomBytes(16).toString('hex') !== crypto.randomBytes(16).toString('hex'));

// randomFillSync fills only the range asked.
{
  const b = Buffer.alloc(100);
  crypto.randomFillSync(b, 10, 20);
  console.log('range', b.subarray(0, 10).every((x) => x === 0), b.subarray(30).every((x) => x === 0),
    b.subarray(10, 30).some((x) => x !== 0));
  const u32 = new Uint32Array(8);
  crypto.randomFillSync(u32, 2, 3);
  console.log('u32 range', u32[0] === 0 && u32[1] === 0 && u32[5] === 0 && u32[7] === 0, u32.subarray(2, 5).some((x) => x !== 0));
  const big = new Uint8Array(300000);
  crypto.randomFillSync(big);
  console.log('big', big.subarray(299000).some((x) => x !== 0), big.subarray(0, 1000).some((x) => x !== 0));
}
for (const [label, args] of [
  ['none', []], ['array', [[]]], ['ArrayBuffer', [new ArrayBuffer(4)]], ['Float64Array', [new Float64Array(4)]],
  ['DataView', [new DataView(new ArrayBuffer(4))]], ['offset 5', [Buffer.alloc(4), 5]], ['offset -1', [Buffer.alloc(4), -1]],
  ['offset 1.5', [Buffer.alloc(4), 1.5]], ['offset string', [Buffer.alloc(4), '1']], ['size over', [Buffer.alloc(4), 2, 3]],
  ['size -1', [Buffer.alloc(4), 2, -1]], ['size only', [Buffer.alloc(4), undefined, 5]], ['u32 elements', [new Uint32Array(4), 1, 3]],
  ['u32 over', [new Uint32Array(4), 0, 5]], ['u32 offset', [new Uint32Array(4), 4, 1]],
  ['empty u32 offset', [new Uint32Array(0), 1]], ['f64 size', [new Float64Array(2), 0, 3]],
]) show(`randomFillSync ${label}`, () => crypto.randomFillSync(...args));

for (const [label, args] of [
  ['no callback', [Buffer.alloc(4)]], ['offset no callback', [Buffer.alloc(4), 5]], ['bad offset', [Buffer.alloc(4), 5, () => {}]],
  ['bad size', [Buffer.alloc(4), 1, 5, () => {}]], ['callback number', [Buffer.alloc(4), 1, 2, 3]], ['bad buf', [5, () => {}]],
]) show(`randomFill ${label}`, () => crypto.randomFill(...args));

for (const args of [[], [0], [-1], [1.5], ['1'], [5, 5], [5, 4], [0, 2 ** 48], [-(2 ** 53), 0], [2 ** 53, 2 ** 53 + 1],
  [1, 'x'], [1, 2, 3], [1, 1.5], [1, Infinity], [NaN], [0, 2 ** 48 - 1], [-(2 ** 53 - 1), -(2 ** 53 - 1) + 10]]) {
  show(`randomInt ${JSON.stringify(args)}`, () => crypto.randomInt(...args));
}
{
  let ok = true;
  const seen = new Set();
  for (let i = 0; i < 2000; i++) {
    const n = crypto.randomInt(3, 10);
    if (!(Number.isInteger(n) && n >= 3 && n < 10)) ok = false;
    seen.add(n);
    const m = crypto.randomInt(5);
    if (!(m >= 0 && m < 5)) ok = false;
    const neg = crypto.randomInt(-10, -8);
    if (!(neg === -10 || neg === -9)) ok = false;
    const wide = crypto.randomInt(0, 2 ** 48 - 1);
    if (!(wide >= 0 && wide < 2 ** 48 - 1)) ok = false;
  }
  console.log('randomInt in range', ok, 'all values seen', seen.size === 7);
}

for (const o of [undefined, {}, { disableEntropyCache: true }, 5, null, { disableEntropyCache: 1 }]) {
  show(`randomUUID ${JSON.stringify(o)}`, () => crypto.randomUUID(o));
}
console.log('uuid form', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));

show('getRandomValues', () => crypto.getRandomValues(new Uint16Array(4)));
show('getRandomValues float', () => crypto.getRandomValues(new Float32Array(4)));
show('getRandomValues big', () => crypto.getRandomValues(new Uint8Array(65537)));
show('getRandomValues none', () => crypto.getRandomValues());
show('getRandomValues this', () => crypto.getRandomValues.call(null, new Uint8Array(2)));
console.log(crypto.getRandomValues === globalThis.crypto.getRandomValues, crypto.webcrypto === globalThis.crypto,
  crypto.subtle === globalThis.crypto.subtle);

// timingSafeEqual
for (const [label, a, b] of [
  ['equal', Buffer.from('abc'), Buffer.from('abc')], ['differ', Buffer.from('abc'), Buffer.from('abd')],
  ['lengths', Buffer.alloc(1), Buffer.alloc(2)], ['string', Buffer.alloc(1), 'a'], ['first string', 'a', Buffer.alloc(1)],
  ['ArrayBuffer and u16', new ArrayBuffer(2), new Uint16Array(1)], ['DataView', new DataView(new ArrayBuffer(2)), new Uint8Array([0, 1])],
  ['empty', Buffer.alloc(0), new Uint8Array(0)],
]) show(`timingSafeEqual ${label}`, () => console.log(crypto.timingSafeEqual(a, b)));
{
  const buf = Buffer.from('abcabc');
  console.log('overlapping', crypto.timingSafeEqual(buf.subarray(0, 3), buf.subarray(3)), crypto.timingSafeEqual(buf, buf));
}

// Callbacks (each from the next, so their order is fixed).
crypto.randomBytes(8, (err, buf) => {
  console.log('randomBytes cb', err, buf.length);
  crypto.randomBytes(0, (err2, buf2) => console.log('randomBytes 0 cb', err2, buf2.length));
  crypto.randomFill(new Uint32Array(4), 1, (err3, arr) => {
    console.log('randomFill cb', err3, arr.constructor.name, arr[0]);
    crypto.randomFill(Buffer.alloc(200000), (err4, b) => {
      console.log('randomFill big cb', err4, b.length, b.subarray(199000).some((x) => x !== 0));
      crypto.randomInt(10, (err5, n) => console.log('randomInt cb', err5, n >= 0 && n < 10));
      console.log('after randomInt');
    });
  });
});
crypto.randomFill(Buffer.alloc(4), 0, 0, (err, b) => console.log('randomFill size 0 is sync', err, b.length));
console.log('sync done');
