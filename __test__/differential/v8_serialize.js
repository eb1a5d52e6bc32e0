const v8 = require('v8');
const values = [
  1, -5, 1.5, 2 ** 40, 10n, -(2n ** 70n), 'ascii', 'é€😀', true, false, null, undefined,
  [1, , 3], { a: 1, b: 'x', nested: { deep: [1, 2] } }, new Map([[1, 'one'], ['k', { v: 1 }]]), new Set([1, 'two']),
  new Date(0), /re+/gi, Object(1), Object('str'), Object(false), new ArrayBuffer(3),
  Buffer.from('buffer bytes'), new Uint8Array([1, 2, 3]), new Uint16Array([1, 65535]), new Int32Array([-1]),
  new Float64Array([0.5]), new BigInt64Array([-1n]), new Uint8ClampedArray([300]),
  new RangeError('range'),
];
for (const v of values) {
  const bytes = v8.serialize(v);
  let out = v8.deserialize(bytes);
  if (out instanceof Error) out = [out.name, out.message, out instanceof RangeError];
  console.log(v instanceof Error ? '' : bytes.toString('hex').slice(0, 80), Buffer.isBuffer(bytes), out);
}
const dv = v8.deserialize(v8.serialize(new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)));
console.log(dv instanceof DataView, dv.byteLength, dv.getUint8(0), dv.getUint8(1));
const shared = { s: 1 };
const cyc = { a: shared, b: shared };
cyc.self = cyc;
const back = v8.deserialize(v8.serialize(cyc));
console.log(back.a === back.b, back.self === back);
const buf = v8.deserialize(v8.serialize({ b: Buffer.from('hi') })).b;
console.log(Buffer.isBuffer(buf), buf.toString());
const sub = Buffer.from('hello world').subarray(6);
console.log(v8.serialize(sub).toString('hex'), v8.deserialize(v8.serialize(sub)).toString());
for (const f of [() => v8.serialize(() => 1), () => v8.serialize(Symbol('s')), () => v8.serialize({ f() {} }),
  () => v8.deserialize('x'), () => v8.deserialize(Buffer.from([1, 2])), () => v8.deserialize(Buffer.from([0xff, 0x0f])),
  () => v8.deserialize(Buffer.from([0xff, 0x0f, 0x22, 0x05, 0x61])), () => v8.deserialize(Buffer.alloc(0)),
  () => v8.setFlagsFromString(1)]) {
  try { console.log('no error', f()); } catch (e) { console.log(e.name, e.code, e.message); }
}
v8.setFlagsFromString('--no-lazy');
console.log(Object.keys(v8));
console.log(Object.keys(v8.getHeapStatistics()));
console.log(Object.keys(v8.getHeapSpaceStatistics()[0]));
console.log(Object.keys(v8.getHeapCodeStatistics()));
console.log(typeof v8.cachedDataVersionTag(), v8.cachedDataVersionTag() === v8.cachedDataVersionTag());
const s = v8.getHeapStatistics();
console.log(s.used_heap_size > 0, s.heap_size_limit >= s.used_heap_size, s.total_heap_size > 0);
