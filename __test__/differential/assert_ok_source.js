// assert.ok()'s message from the calling source: the failed expression.
const assert = require('assert');
const { strict } = assert;
function show(fn) {
  try {
    fn();
  } catch (e) {
    console.log(e.generatedMessage, JSON.stringify(e.message));
  }
}
const x = 0;
show(() => assert(x === 1));
show(() => assert.ok(x));
show(() => assert.ok(typeof x === 'string'));
show(() => strict(false));
show(() => strict.ok(null));
show(() => assert.ok(x > 5 && x < 10, undefined));
show(() => assert(
  x === 2 &&
    x === 3,
));
show(() => { if (true) assert.ok(  [].length  ); });
show(() => assert.ok(`template ${x} value` === '', undefined));
show(() => assert.ok('paren ) in string' === 'x'));
show(() => assert.ok(/regex\)/.test('nope')));
show(() => assert.ok(x /* comment ) */ === 1));
show(() => assert.ok(Math.max(x, 0) === 1));
show(() => assert.equal(x, 1));
show(() => assert.ok('\u0001control' === 1));
const helper = (v) => assert(v);
show(() => helper(0));
show(() => assert?.ok(x));
show(() => assert.ok(0, null));
const o = { a: assert };
show(() => assert['ok'](0));
show(() => o['a'].ok(0));
show(() => o.a['ok'](null));
show(() => (0, assert)(0));
show(() => (assert)(false));
show(() => [assert][0](0));
show(() => assert.ok(/[)]/.exec('x')));
show(() => assert.ok(1 / 2 > 1 && /x/.test('y')));
show(() => assert.ok(`a${'}'}b` === ''));
