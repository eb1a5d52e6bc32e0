// util.types over a matrix of values, and require('util/types').
const util = require('util');
const types = require('util/types');
console.log(types === util.types, Object.keys(types).join(' '));
function* gen() {}
async function* agen() {}
const values = {
  date: new Date(0), regexp: /x/g, map: new Map(), set: new Set(), weakmap: new WeakMap(), weakset: new WeakSet(),
  promise: Promise.resolve(1), thenable: { then() {} }, error: new TypeError('x'), errorLike: Object.create(Error.prototype),
  subError: new (class E extends Error {})(), arrayBuffer: new ArrayBuffer(4), dataView: new DataView(new ArrayBuffer(2)),
  u8: new Uint8Array(2), u8c: new Uint8ClampedArray(1), u16: new Uint16Array(1), u32: new Uint32Array(1), i8: new Int8Array(1),
  i16: new Int16Array(1), i32: new Int32Array(1), f32: new Float32Array(1), f64: new Float64Array(1),
  bi64: new BigInt64Array(1), bu64: new BigUint64Array(1), buffer: Buffer.from('ab'),
  args: (function () { return arguments; })(1, 2), fakeArgs: { [Symbol.toStringTag]: 'Arguments' },
  asyncFn: async () => {}, asyncGenFn: agen, genFn: gen, genObj: gen(), asyncGenObj: agen(), plainFn() {},
  mapIter: new Map([[1, 2]]).entries(), setIter: new Set([1]).values(), mapKeys: new Map().keys(),
  fakeMapIter: { [Symbol.toStringTag]: 'Map Iterator' },
  proxy: new Proxy({}, {}), proxyFn: new Proxy(function () {}, {}), revocable: Proxy.revocable({}, {}).proxy,
  num: Object(1), str: Object('s'), bool: Object(true), big: Object(1n), sym: Object(Symbol('s')),
  prim: 1, nul: null, undef: undefined, obj: {}, arr: [], nullProto: Object.create(null),
  fakeDate: Object.create(Date.prototype), fakeMap: Object.create(Map.prototype),
};
const names = Object.keys(types);
for (const [label, v] of Object.entries(values)) {
  const yes = names.filter((n) => { try { return types[n](v); } catch (e) { return `threw ${e.message}`; } });
  console.log(label.padEnd(12), yes.join(' '));
}
console.log(util.isArray([]), util.isBoolean(false), util.isBuffer(Buffer.alloc(1)), util.isBuffer(new Uint8Array(1)));
console.log(util.isNull(null), util.isNullOrUndefined(undefined), util.isNumber(NaN), util.isString(''), util.isSymbol(Symbol()));
console.log(util.isUndefined(undefined), util.isRegExp(/x/), util.isObject(null), util.isObject([]), util.isDate(new Date()));
console.log(util.isError(new Error()), util.isError({ [Symbol.toStringTag]: 'Error' }), util.isError(Object.create(Error.prototype)));
console.log(util.isFunction(class {}), util.isPrimitive(Symbol()), util.isPrimitive({}), util.isPrimitive(null));
