// assert's simple assertions: messages, properties and argument errors.
const assert = require('assert');
function show(label, fn) {
  try {
    fn();
    console.log(label, '-> passed');
  } catch (e) {
    console.log(`${label} -> ${e.name} ${e.code} generated=${e.generatedMessage} operator=${e.operator}`);
    console.log(e.message);
    if (e.code === 'ERR_ASSERTION') console.log('actual:', e.actual instanceof Error ? e.actual.message : e.actual, 'expected:', e.expected);
  }
}
console.log(Object.keys(assert).join(' '));
console.log(typeof assert, assert.ok === assert, assert.strict.strict === assert.strict, assert.strict.equal === assert.strictEqual);
console.log(require('assert/strict') === assert.strict, require('node:assert') === assert);
show('ok true', () => assert.ok(true));
show('ok 1', () => assert(1));
show('ok no args', () => assert.ok());
show('ok false msg', () => assert.ok(false, 'custom message'));
show('ok 0 msg obj', () => assert.ok(0, { toString() { return 'obj msg'; } }));
show('ok error msg', () => assert.ok(null, new TypeError('thrown as is')));
show('equal', () => assert.equal(1, '1'));
show('equal fail', () => assert.equal(1, 2));
show('equal NaN', () => assert.equal(NaN, NaN));
show('equal msg', () => assert.equal('a', 'b', 'they differ'));
show('equal obj', () => assert.equal({ a: 1 }, { a: 1 }));
show('notEqual', () => assert.notEqual(1, '1'));
show('notEqual pass', () => assert.notEqual(1, 2));
show('notEqual NaN', () => assert.notEqual(NaN, NaN));
show('strictEqual', () => assert.strictEqual(1, 2));
show('strictEqual strs', () => assert.strictEqual('hello world', 'hello there'));
show('strictEqual long', () => assert.strictEqual('a'.repeat(30), 'a'.repeat(29) + 'b'));
show('strictEqual NaN', () => assert.strictEqual(NaN, NaN));
show('strictEqual -0', () => assert.strictEqual(-0, 0));
show('strictEqual 0 -0', () => assert.strictEqual(0, -0));
show('strictEqual types', () => assert.strictEqual(1, '1'));
show('strictEqual null undefined', () => assert.strictEqual(null, undefined));
show('strictEqual objects', () => assert.strictEqual({ a: 1 }, { a: 1 }));
show('strictEqual arrays', () => assert.strictEqual([1, 2, 3], [1, 2, 4]));
show('strictEqual fns', () => assert.strictEqual(function a() {}, function b() {}));
show('strictEqual msg', () => assert.strictEqual(1, 2, 'my message'));
show('strictEqual err msg', () => assert.strictEqual(1, 2, new RangeError('custom error')));
show('strictEqual multiline', () => assert.strictEqual('line1\nline2\nline3', 'line1\nlineX\nline3'));
show('strictEqual symbol', () => assert.strictEqual(Symbol('a'), Symbol('a')));
show('strictEqual bigint', () => assert.strictEqual(1n, 2n));
show('notStrictEqual', () => assert.notStrictEqual(1, 1));
show('notStrictEqual str', () => assert.notStrictEqual('long string here', 'long string here'));
show('notStrictEqual obj', () => { const o = { a: 1 }; assert.notStrictEqual(o, o); });
show('notStrictEqual fn', () => assert.notStrictEqual(assert, assert));
show('notStrictEqual arr', () => { const a = [1, 2, 3]; assert.notStrictEqual(a, a); });
show('notStrictEqual msg', () => assert.notStrictEqual(1, 1, 'same!'));
for (const name of ['equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual', 'notDeepStrictEqual']) {
  show(`${name} missing`, () => assert[name](1));
}
show('fail', () => assert.fail());
show('fail msg', () => assert.fail('boom'));
show('fail error', () => assert.fail(new TypeError('as is')));
show('fail 2 args', () => assert.fail(1, 2));
show('fail 3 args', () => assert.fail(1, 2, undefined));
show('fail 4 args', () => assert.fail(1, 2, 'msg', '>'));
show('fail 4 args no msg', () => assert.fail(1, 2, undefined, '>'));
show('ifError null', () => assert.ifError(null));
show('ifError undefined', () => assert.ifError(undefined));
show('ifError error', () => assert.ifError(new Error('inner problem')));
show('ifError empty msg', () => assert.ifError(new TypeError('')));
show('ifError string', () => assert.ifError('str'));
show('ifError 0', () => assert.ifError(0));
show('ifError object', () => assert.ifError({ message: 42 }));
show('match', () => assert.match('abc', /b/));
show('match fail', () => assert.match('abc', /x/));
show('match non string', () => assert.match(123, /1/));
show('match bad regexp', () => assert.match('abc', 'b'));
show('match msg', () => assert.match('abc', /x/, 'no x'));
show('match err', () => assert.match('abc', /x/, new Error('err as msg')));
show('doesNotMatch', () => assert.doesNotMatch('abc', /x/));
show('doesNotMatch fail', () => assert.doesNotMatch('abc', /b/));
show('doesNotMatch non string', () => assert.doesNotMatch({}, /b/));
const e = new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
console.log(e.name, e.code, e.message, e.generatedMessage, e.actual, e.expected, e.operator, Object.keys(e));
console.log(e instanceof Error, String(e).split('\n')[0], e.toString === assert.AssertionError.prototype.toString);
const e2 = new assert.AssertionError({ message: 'custom', actual: 'a', expected: 'b', operator: 'x' });
console.log(e2.message, e2.generatedMessage);
for (const bad of [undefined, null, 'x']) {
  try { new assert.AssertionError(bad); } catch (err) { console.log(err.code, err.message); }
}
const e3 = new assert.AssertionError({ actual: 'x'.repeat(600), expected: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl', operator: 'equal' });
console.log(require('util').inspect(e3).split('\n').filter((l) => !/^\s+at /.test(l)).join('\n'));
