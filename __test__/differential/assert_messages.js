// Generated messages of the non-diff assertions for long and multi-line values.
const assert = require('assert');
function show(label, fn) {
  try { fn(); console.log(`== ${label}: passed`); } catch (e) { console.log(`== ${label}:`); console.log(e.message); }
}
const big = Array.from({ length: 200 }, (_, i) => `item${i}`);
show('equal long', () => assert.equal(big, 'x'));
show('notEqual objects', () => { const o = { a: [1, 2, { b: 'c' }] }; assert.notEqual(o, o); });
show('equal multi-line', () => assert.equal({ a: 1, b: { c: [1, 2, 3] } }, 'str'));
show('deepEqual long both', () => assert.deepEqual(big, big.slice(1)));
show('notDeepEqual same', () => assert.notDeepEqual(big, big.slice()));
show('notDeepEqual small', () => assert.notDeepEqual([1], ['1']));
show('notDeepStrictEqual 60 lines', () => assert.notDeepStrictEqual(big.slice(0, 60), big.slice(0, 60)));
show('notStrictEqual 5 chars', () => assert.notStrictEqual('abc', 'abc'));
show('notStrictEqual 6 chars', () => assert.notStrictEqual('abcd', 'abcd'));
show('notStrictEqual undefined', () => assert.notStrictEqual(undefined, undefined));
show('strictEqual fn vs fn', () => assert.strictEqual(() => 1, () => 1));
show('strictEqual obj prim', () => assert.strictEqual({}, 1));
show('strictEqual big', () => assert.strictEqual(big, big.slice()));
show('deepStrictEqual 200', () => assert.deepStrictEqual(big, big.map((x, i) => (i % 50 === 0 ? x.toUpperCase() : x))));
show('match long input', () => assert.match('y'.repeat(200), /x/));
show('throws regexp long', () => assert.throws(() => { throw new Error('z'.repeat(100)); }, /nomatch/));
show('ifError deep', () => assert.ifError({ code: 'E', nested: { deep: { deeper: true } } }));
show('ok with symbol', () => assert.ok(Symbol('s') && false));
show('equal with custom inspect', () => assert.equal({ [require('util').inspect.custom]: () => 'CUSTOM' }, 1));
show('deepStrictEqual strings 2 lines', () => assert.deepStrictEqual('a\nb', 'a\nc'));
show('deepStrictEqual string vs multi', () => assert.deepStrictEqual('single', 'multi\nline'));
show('deepStrictEqual long string', () => assert.deepStrictEqual('x'.repeat(100), 'x'.repeat(99) + 'y'));
