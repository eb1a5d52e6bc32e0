// deepEqual/deepStrictEqual and their negations: Node's comparison rules.
const assert = require('assert');
function check(label, a, b) {
  const res = [];
  for (const fn of ['deepEqual', 'deepStrictEqual']) {
    try { assert[fn](a, b); res.push('eq'); } catch (e) { res.push(e.code === 'ERR_ASSERTION' ? 'ne' : e.message); }
  }
  for (const fn of ['notDeepEqual', 'notDeepStrictEqual']) {
    try { assert[fn](a, b); res.push('pass'); } catch (e) { res.push(e.code === 'ERR_ASSERTION' ? 'fail' : e.message); }
  }
  console.log(label.padEnd(28), res.join(' '), require('util').isDeepStrictEqual(a, b));
}
check('numbers', 1, 1);
check('number string', 1, '1');
check('NaN', NaN, NaN);
check('zero -zero', 0, -0);
check('null undefined', null, undefined);
check('objects', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 });
check('objects differ', { a: 1 }, { a: 2 });
check('extra key', { a: 1 }, { a: 1, b: undefined });
check('loose values', { a: 1 }, { a: '1' });
check('arrays', [1, 2, 3], [1, 2, 3]);
check('array order', [1, 2, 3], [3, 2, 1]);
check('sparse', [1, , 3], [1, undefined, 3]);
check('sparse both', [1, , 3], [1, , 3]);
check('array extra prop', Object.assign([1], { x: 1 }), [1]);
check('array vs object', [1], { 0: 1, length: 1 });
check('prototypes', Object.create({ p: 1 }), {});
check('null proto', Object.create(null), {});
class A { constructor() { this.x = 1; } }
class B { constructor() { this.x = 1; } }
check('class instances', new A(), new B());
check('class same', new A(), new A());
const s1 = Symbol('s');
check('symbol keys', { [s1]: 1 }, { [s1]: 1 });
check('symbol keys differ', { [s1]: 1 }, { [s1]: 2 });
check('symbol key missing', { [s1]: 1 }, {});
check('non-enumerable symbol', Object.defineProperty({}, s1, { value: 1 }), {});
check('dates', new Date(0), new Date(0));
check('dates differ', new Date(0), new Date(1));
check('date with props', Object.assign(new Date(0), { x: 1 }), new Date(0));
check('regexps', /a/g, /a/g);
check('regexp flags', /a/g, /a/i);
check('regexp lastIndex', Object.assign(/a/g, { lastIndex: 2 }), /a/g);
check('boxed numbers', new Number(1), new Number(1));
check('boxed differ', new Number(1), new Number(2));
check('boxed vs prim', new Number(1), 1);
check('boxed strings', new String('a'), new String('a'));
check('boxed -0', Object(-0), Object(0));
check('boxed NaN', Object(NaN), Object(NaN));
check('boxed symbol', Object(s1), Object(s1));
check('boxed bigint', Object(1n), Object(1n));
check('boxed bool', new Boolean(true), new Boolean(false));
check('maps', new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']]));
check('maps differ', new Map([[1, 'a']]), new Map([[1, 'b']]));
check('map object keys', new Map([[{ a: 1 }, 'x']]), new Map([[{ a: 1 }, 'x']]));
check('map obj keys 2', new Map([[{}, 'a'], [{}, 'b']]), new Map([[{}, 'b'], [{}, 'a']]));
check('map loose keys', new Map([[1, 'a']]), new Map([['1', 'a']]));
check('map loose values', new Map([['k', 1]]), new Map([['k', '1']]));
check('map null undefined key', new Map([[null, 1]]), new Map([[undefined, 1]]));
check('sets', new Set([1, 2, 3]), new Set([3, 2, 1]));
check('sets differ', new Set([1, 2]), new Set([1, 3]));
check('set objects', new Set([{ a: 1 }, { b: 2 }]), new Set([{ b: 2 }, { a: 1 }]));
check('set loose', new Set([1]), new Set(['1']));
check('set null undef', new Set([null]), new Set([undefined]));
check('set vs array', new Set([1]), [1]);
check('typed arrays', new Uint8Array([1, 2]), new Uint8Array([1, 2]));
check('typed differ', new Uint8Array([1, 2]), new Uint8Array([1, 3]));
check('typed types', new Uint8Array([1]), new Int8Array([1]));
check('float -0', new Float64Array([-0]), new Float64Array([0]));
check('float NaN', new Float32Array([NaN]), new Float32Array([NaN]));
check('buffer vs u8', Buffer.from([1]), new Uint8Array([1]));
check('buffers', Buffer.from('ab'), Buffer.from('ab'));
check('array buffers', new ArrayBuffer(2), new ArrayBuffer(2));
check('array buffer sizes', new ArrayBuffer(2), new ArrayBuffer(3));
check('dataviews', new DataView(new ArrayBuffer(2)), new DataView(new ArrayBuffer(2)));
check('errors', new Error('a'), new Error('a'));
check('errors msg', new Error('a'), new Error('b'));
check('errors name', new TypeError('a'), new RangeError('a'));
check('errors cause', new Error('a', { cause: 1 }), new Error('a', { cause: 2 }));
check('error props', Object.assign(new Error('a'), { code: 1 }), new Error('a'));
check('aggregate', new AggregateError([1], 'm'), new AggregateError([2], 'm'));
const c1 = { a: 1 }; c1.self = c1;
const c2 = { a: 1 }; c2.self = c2;
check('cycles', c1, c2);
const c3 = { a: 1 }; c3.self = { a: 1, self: c3 };
check('cycles offset', c1, c3);
const d1 = [1]; d1.push(d1);
const d2 = [1]; d2.push(d2);
check('array cycles', d1, d2);
check('functions', function f() {}, function f() {});
const fn = () => {};
check('same function', fn, fn);
check('nested', { a: { b: { c: [1, { d: new Set([1]) }] } } }, { a: { b: { c: [1, { d: new Set([1]) }] } } });
check('nested differ', { a: { b: { c: [1, { d: new Set([1]) }] } } }, { a: { b: { c: [1, { d: new Set([2]) }] } } });
check('getter', { get x() { return 1; } }, { x: 1 });
check('url', new URL('http://a/b'), new URL('http://a/b'));
check('url differ', new URL('http://a/b'), new URL('http://a/c'));
check('weakmap', new WeakMap(), new WeakMap());
check('promise', Promise.resolve(1), Promise.resolve(1));
check('arguments', (function () { return arguments; })(1), (function () { return arguments; })(1));
check('arguments vs array', (function () { return arguments; })(1), [1]);
check('string object keys', new String('ab'), new String('ab'));
check('array holes count', [, , 1], [undefined, undefined, 1]);
check('object vs null proto', { a: 1 }, Object.assign(Object.create(null), { a: 1 }));
check('bigint loose', 1n, 1);
check('undefined vs missing', [undefined], []);
check('boxed with props', Object.assign(new Number(1), { x: 1 }), new Number(1));
