// util.inspect options through require('util').
const util = require('util');
const value = {
  num: 1234567.891, big: 123456789n, str: 'a'.repeat(30), nested: { a: { b: { c: { d: { e: 1 } } } } },
  arr: Array.from({ length: 30 }, (_, i) => i * 3), map: new Map([['k', { v: [1, 2] }]]), set: new Set(['x', 'y']),
  get g() { return 42; }, set s(v) {}, get gs() { return 'both'; }, set gs(v) {},
  fn: function named() {}, cls: class Foo extends Array {}, sym: Symbol('sym'), [Symbol('key')]: 'symval',
  date: new Date(86400000), re: /x+/gi, err: null, nul: null, undef: undefined, neg: -0,
};
const opts = [
  {}, { depth: 0 }, { depth: Infinity }, { depth: null }, { compact: false }, { compact: true }, { compact: 1 },
  { breakLength: 40 }, { breakLength: Infinity }, { sorted: true }, { getters: true }, { getters: 'get' }, { getters: 'set' },
  { numericSeparator: true }, { maxArrayLength: 5 }, { maxArrayLength: 0 }, { maxStringLength: 10 }, { showHidden: true },
  { colors: true }, { customInspect: false }, { sorted: (a, b) => (a < b ? 1 : -1) },
];
for (const o of opts) {
  console.log('==', util.inspect(o));
  console.log(util.inspect(value, o));
}
console.log(util.inspect('x'.repeat(100), { breakLength: 20 }));
console.log(util.inspect(['a\nb', 'multi\nline\nstring that is quite long to force the break of the line'], { compact: false }));
console.log(util.inspect(new Map([[{ a: 1 }, new Set([[1, 2]])]]), { compact: false, sorted: true }));
console.log(util.inspect({ b: 1, a: { d: 1, c: 2 } }, { sorted: true, compact: false }));
console.log(util.inspect(Object.create(null, { x: { value: 1, enumerable: true } }), { compact: false }));
const circ = { name: 'c', list: [] }; circ.list.push(circ); circ.self = circ;
console.log(util.inspect(circ, { compact: false }), util.inspect(circ));
console.log(util.inspect(new Proxy({ a: 1 }, {}), { showProxy: true }), util.inspect(new Proxy([1], {})));
util.inspect.defaultOptions.depth = 0;
console.log(util.inspect({ a: { b: 1 } }));
util.inspect.defaultOptions = { depth: 2, compact: 1 };
console.log(util.inspect({ a: { b: { c: 1 } } }), util.inspect.defaultOptions.compact);
try { util.inspect.defaultOptions = null; } catch (e) { console.log(e.code, e.message); }
console.log(util.inspect(new (class Point { constructor() { this.x = 1; } })()));
console.log(util.inspect(Object.assign(() => {}, { prop: 1 })), util.inspect(async function* ag() {}));
console.log(util.inspect([1, , 3, , , 6]), util.inspect(new Array(5)), util.inspect([undefined, null]));
console.log(util.inspect(new Error('e', { cause: 'str cause' })).split('\n')[0]);
console.log(util.inspect(Object.assign(new Uint8Array(3), { extra: true })), util.inspect(new ArrayBuffer(3)));
console.log(util.inspect({ 'a-b': 1, '0': 2, 'valid_id': 3, 'has space': 4, "q'uote": 5 }));
console.log(util.inspect(new String('boxed')), util.inspect(Object(Symbol('s'))), util.inspect(Object(10n)));
console.log(util.inspect(new WeakMap()), util.inspect(Promise.resolve({ a: 1 })), util.inspect(Promise.reject(new Error('x')).catch(() => {}) && 0));
console.log(util.inspect({ toString() { return 'x'; } }), util.inspect(Object.create({ inherited: 1 })));
console.log(util.format('%s', { a: { b: { c: 1 } } }), util.format('%s', [1, [2, [3, [4]]]]), util.format('%s', new Error('in format')).split('\n')[0]);
console.log(util.format('%s %s', Symbol('s'), 12345678901234567890n), util.format('%d %i %f', '0x10', '42.9abc', 'abc'));
console.log(util.format('no args %s'), util.format('%%s %s', 'x'), util.format(1, 2, '3'), util.format('%c', 'ignored', 'rest'));
