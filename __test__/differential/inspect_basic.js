console.log(1, -0, 0, NaN, Infinity, -Infinity, 1.5e300, 123n, -5n, true, false, null, undefined);
console.log('str', ['str', "it's", 'a"b\'c', 'a"b\'c`', 'tab\tnl\n', '\x00\x7f\u0085', '\ud800', 'é😀']);
console.log(Symbol(), Symbol('x'), Symbol.iterator, Symbol.for('reg'), [Symbol('in')]);
console.log({}, [], {a: 1, 'b-c': 2, 3: 4, [Symbol('k')]: 5, __proto__x: 1}, {'': 1, 'a b': 2});
console.log([1, , 3], [, , ,], new Array(5), [1, 2, , , 5, , ]);
const sparse = []; sparse[200] = 1; console.log(sparse);
console.log(Array.from({length: 120}, (_, i) => i));
console.log(Array.from({length: 30}, (_, i) => 'item' + i));
console.log({a: {b: {c: {d: {e: 1}}}}}, [[[[[1]]]]], {a: [{b: [{c: 1}]}]});
console.log([1.5, -2, 300000, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
console.log({ longkeyname1: 'value number one', longkeyname2: 'value number two', longkeyname3: 'value three' });
console.log([{ a: 1, b: 2 }, { a: 3, b: 4 }], { arr: [1, 2, 3], obj: { x: 'y' } });
console.log(Object.create(null), Object.assign(Object.create(null), {a: 1}));
class Foo { constructor() { this.x = 1; } }
class Bar extends Foo {}
class Empty {}
console.log(new Foo(), new Bar(), new Empty(), [new Foo()], {f: new Foo()});
console.log(function f() {}, function () {}, () => {}, class A {}, class extends Foo {}, class B extends Foo {}, async function af() {}, function* gen() {}, async function* ag() {}, Math.max);
console.log(Object.assign(function g() {}, {prop: 1}), [function h() {}]);
const o = {name: 'o'}; o.self = o; console.log(o);
const a = [1]; a.push(a); console.log(a);
const x = {}; const y = {x}; x.y = y; console.log({x, y});
console.log({get a() { return 1; }, set b(v) {}, get c() { return 1; }, set c(v) {}});
console.log(new Number(3), new String('ab'), new Boolean(false), Object(Symbol('bx')), Object(10n));
console.log(new WeakMap(), new WeakSet(), Promise.reject(new Error('x')).catch(() => {}) && 0);
console.log([new Error('in array').message], Object.keys(globalThis).includes('global'));
