// The diffs of deepStrictEqual/strictEqual failures, as Node prints them.
const assert = require('assert');
function show(label, fn) {
  try {
    fn();
    console.log(`== ${label}: passed`);
  } catch (e) {
    console.log(`== ${label}: ${e.generatedMessage}`);
    console.log(e.message);
  }
}
show('objects', () => assert.deepStrictEqual({ a: 1, b: 2 }, { a: 1, b: 3 }));
show('nested objects', () => assert.deepStrictEqual({ a: { b: { c: 1 } }, d: [1, 2] }, { a: { b: { c: 2 } }, d: [1, 2] }));
show('arrays', () => assert.deepStrictEqual([1, 2, 3, 4, 5], [1, 2, 4, 4, 5]));
show('long arrays', () => assert.deepStrictEqual(Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => (i === 15 ? -1 : i))));
show('extra element', () => assert.deepStrictEqual([1, 2, 3], [1, 2]));
show('missing element', () => assert.deepStrictEqual([1, 2], [1, 2, 3]));
show('strings', () => assert.deepStrictEqual('abc', 'abd'));
show('long strings', () => assert.deepStrictEqual('The quick brown fox jumps', 'The quick brown dog jumps'));
show('very long strings', () => assert.strictEqual('x'.repeat(50) + 'a', 'x'.repeat(50) + 'b'));
show('multi-line strings', () => assert.strictEqual('first line\nsecond line\nthird line\n', 'first line\nsecond LINE\nthird line\n'));
show('string vs number', () => assert.deepStrictEqual({ a: '1' }, { a: 1 }));
show('same structure', () => assert.deepStrictEqual({ a: Symbol('x') }, { a: Symbol('x') }));
show('prototype', () => assert.deepStrictEqual(Object.create(null), {}));
show('class', () => { class A {} class B {} assert.deepStrictEqual(new A(), new B()); });
show('maps', () => assert.deepStrictEqual(new Map([['a', 1], ['b', 2]]), new Map([['a', 1], ['b', 3]])));
show('sets', () => assert.deepStrictEqual(new Set([1, 2, 3]), new Set([1, 2, 4])));
show('dates', () => assert.deepStrictEqual(new Date(0), new Date(1000)));
show('regexps', () => assert.deepStrictEqual(/a/g, /a/i));
show('errors', () => assert.deepStrictEqual(new Error('one'), new Error('two')));
show('many keys', () => {
  const a = {}; const b = {};
  for (let i = 0; i < 20; i++) { a[`key${i}`] = i; b[`key${i}`] = i === 10 ? 'ten' : i; }
  assert.deepStrictEqual(a, b);
});
show('big objects', () => {
  const a = {}; const b = {};
  for (let i = 0; i < 100; i++) { a[`k${i}`] = i; b[`k${i}`] = i % 7 === 0 ? -i : i; }
  assert.deepStrictEqual(a, b);
});
show('trailing comma', () => assert.deepStrictEqual({ a: [1, 2] }, { a: [1, 2, 3] }));
show('null proto diff', () => assert.deepStrictEqual({ __proto__: null, a: 1 }, { __proto__: null, a: 2 }));
show('undefined', () => assert.deepStrictEqual(undefined, null));
show('zero', () => assert.deepStrictEqual(0, -0));
show('nested arrays', () => assert.deepStrictEqual([[1, 2], [3, 4]], [[1, 2], [3, 5]]));
show('array of objects', () => assert.deepStrictEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }], [{ id: 1, name: 'a' }, { id: 2, name: 'c' }]));
show('strictEqual objects', () => assert.strictEqual({ a: 1 }, { a: 1 }));
show('strictEqual arrays', () => assert.strictEqual([1, 2], [1, 2]));
show('strictEqual diff objects', () => assert.strictEqual({ a: 1 }, { a: 2 }));
show('custom message', () => assert.deepStrictEqual({ a: 1 }, { a: 2 }, 'objects differ'));
show('deepEqual', () => assert.deepEqual({ a: 1 }, { a: 2 }));
show('deepEqual long', () => assert.deepEqual({ a: 'x'.repeat(600) }, { b: 1 }));
show('notDeepEqual', () => assert.notDeepEqual({ a: 1 }, { a: 1 }));
show('notDeepEqual long', () => assert.notDeepEqual({ a: 'y'.repeat(1100) }, { a: 'y'.repeat(1100) }));
show('notDeepStrictEqual', () => assert.notDeepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }));
show('notDeepStrictEqual prim', () => assert.notDeepStrictEqual(1, 1));
show('notDeepStrictEqual long', () => assert.notDeepStrictEqual(Array.from({ length: 60 }, (_, i) => i), Array.from({ length: 60 }, (_, i) => i)));
show('getters', () => assert.deepStrictEqual({ get x() { return 1; } }, { get x() { return 2; } }));
show('typed arrays', () => assert.deepStrictEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])));
show('buffers', () => assert.deepStrictEqual(Buffer.from('abc'), Buffer.from('abd')));
show('custom inspect ignored', () => assert.deepStrictEqual({ [Symbol.for('nodejs.util.inspect.custom')]() { return 'X'; }, a: 1 }, { a: 2 }));
show('sorted keys', () => assert.deepStrictEqual({ z: 1, a: 2, m: 3 }, { z: 1, a: 2, m: 4 }));
show('deep nesting', () => assert.deepStrictEqual({ a: { b: { c: { d: { e: { f: 1 } } } } } }, { a: { b: { c: { d: { e: { f: 2 } } } } } }));
show('lines skipped', () => {
  const a = Array.from({ length: 20 }, (_, i) => ({ i }));
  const b = a.map((x, i) => (i === 0 || i === 19 ? { i: -1 } : x));
  assert.deepStrictEqual(a, b);
});
show('bigint', () => assert.deepStrictEqual({ n: 1n }, { n: 2n }));
show('symbols', () => assert.deepStrictEqual({ [Symbol.for('k')]: 1 }, { [Symbol.for('k')]: 2 }));
show('fns', () => assert.deepStrictEqual({ f() {} }, { f() {} }));
show('short prims', () => assert.strictEqual(true, false));
show('short mixed', () => assert.strictEqual('a', 1));
show('12 chars', () => assert.strictEqual('abcd', 'abce'));
show('13 chars', () => assert.strictEqual('abcde', 'abcdf'));
show('indicator', () => assert.strictEqual('abcdefghijkl', 'abcdefghijkm'));
