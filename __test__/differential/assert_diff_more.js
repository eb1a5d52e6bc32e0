// More deepStrictEqual diffs: collections, getters, circular values,
// multi-line strings inside objects, long arrays, class instances.
const assert = require('assert');
function show(label, fn) {
  try {
    fn();
    console.log(`== ${label}: passed`);
  } catch (e) {
    console.log(`== ${label}:`);
    console.log(e.message);
  }
}
show('map of objects', () => assert.deepStrictEqual(new Map([['a', { x: 1 }], ['b', [1, 2]]]), new Map([['a', { x: 2 }], ['b', [1, 2]]])));
show('set of arrays', () => assert.deepStrictEqual(new Set([[1], [2]]), new Set([[1], [3]])));
show('getter values', () => assert.deepStrictEqual({ get a() { return { deep: 1 }; } }, { a: { deep: 2 } }));
show('circular', () => {
  const a = { name: 'a' }; a.self = a;
  const b = { name: 'b' }; b.self = b;
  assert.deepStrictEqual(a, b);
});
show('string in object', () => assert.deepStrictEqual({ text: 'line one\nline two\nline three' }, { text: 'line one\nline 2\nline three' }));
show('long string in object', () => assert.deepStrictEqual({ s: 'word '.repeat(30) }, { s: 'word '.repeat(29) + 'end' }));
show('array of 100', () => assert.deepStrictEqual(Array.from({ length: 100 }, (_, i) => i), Array.from({ length: 100 }, (_, i) => (i === 50 ? 'x' : i))));
show('class instances', () => {
  class Point { constructor(x, y) { this.x = x; this.y = y; } }
  assert.deepStrictEqual(new Point(1, 2), new Point(1, 3));
});
show('null proto vs obj', () => assert.deepStrictEqual(Object.assign(Object.create(null), { a: 1 }), { a: 1 }));
show('symbol keys', () => assert.deepStrictEqual({ [Symbol('s')]: 1, a: 1 }, { a: 1 }));
show('nested maps', () => assert.deepStrictEqual({ m: new Map([[1, new Map([[2, 3]])]]) }, { m: new Map([[1, new Map([[2, 4]])]]) }));
show('dates in objects', () => assert.deepStrictEqual({ d: new Date(0) }, { d: new Date(1) }));
show('boxed', () => assert.deepStrictEqual([new Number(1), new String('s')], [new Number(2), new String('s')]));
show('typed in objects', () => assert.deepStrictEqual({ b: new Uint8Array([1, 2, 3]) }, { b: new Uint8Array([1, 2, 4]) }));
show('sparse arrays', () => assert.deepStrictEqual([1, , 3], [1, undefined, 3]));
show('array props', () => assert.deepStrictEqual(Object.assign([1, 2], { extra: 'x' }), [1, 2]));
show('functions differ', () => assert.deepStrictEqual([function a() {}], [function b() {}]));
show('undefined props', () => assert.deepStrictEqual({ a: undefined }, {}));
show('big nested', () => {
  const make = (v) => ({ level1: { level2: { level3: { level4: { value: v, list: [1, 2, 3, 4, 5, 6, 7, 8] } } } } });
  assert.deepStrictEqual(make(1), make(2));
});
show('many changes', () => assert.deepStrictEqual({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 }, { a: 0, b: 2, c: 0, d: 4, e: 0, f: 6, g: 0, h: 8 }));
show('strictEqual multi-line', () => assert.strictEqual('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk', 'a\nb\nc\nd\ne\nX\ng\nh\ni\nj\nk'));
show('strictEqual numbers long', () => assert.strictEqual(12345678901234, 12345678901235));
show('deepEqual loose', () => assert.deepEqual([1, 2, { a: [3] }], [1, 2, { a: [4] }]));
show('notDeepStrictEqual objects', () => assert.notDeepStrictEqual(new Map([[1, 2]]), new Map([[1, 2]])));
show('notStrictEqual long string', () => assert.notStrictEqual('x'.repeat(100), 'x'.repeat(100)));
show('identical but not ref', () => assert.deepStrictEqual([Symbol.iterator], [Symbol('Symbol.iterator')]));
show('proxy', () => assert.deepStrictEqual(new Proxy({ a: 1 }, {}), { a: 2 }));
show('inspect.defaultOptions', () => {
  require('util').inspect.defaultOptions.depth = 0;
  try { assert.deepStrictEqual({ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }); } finally { require('util').inspect.defaultOptions.depth = 2; }
});
