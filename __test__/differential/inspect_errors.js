const e = new Error('msg'); e.stack = 'Error: msg\n    at foo (file.js:1:1)\n    at bar (file.js:2:2)';
console.log(e);
e.code = 'E_CODE'; e.extra = { a: 1 };
console.log(e);
console.log({ nested: e });
const t = new TypeError('bad'); t.stack = 'TypeError: bad'; console.log(t, [t]);
const n = new Error('no stack'); n.stack = undefined; console.log(n);
class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
const me = new MyError('custom'); me.stack = 'MyError: custom\n    at x (y.js:1:1)'; console.log(me);
class Other extends Error {}
const oe = new Other('o'); oe.stack = 'Error: o\n    at x (y.js:1:1)'; console.log(oe);
const c = new Error('outer', { cause: 'str cause' }); c.stack = 'Error: outer\n    at a (b.js:1:1)'; console.log(c);
const inner = new Error('inner'); inner.stack = 'Error: inner\n    at q (w.js:1:1)';
const c2 = new Error('outer2', { cause: inner }); c2.stack = 'Error: outer2\n    at a (b.js:1:1)'; console.log(c2);
const ag = new AggregateError([new Error('a1')], 'agg'); ag.stack = 'AggregateError: agg\n    at z (z.js:1:1)'; ag.errors[0].stack = 'Error: a1\n    at k (k.js:1:1)'; console.log(ag);
const nm = new Error('m'); nm.name = 'Renamed'; nm.stack = 'Error: m\n    at a (b.js:1:1)'; console.log(nm);
const np = Object.setPrototypeOf(new Error('np'), null); np.stack = 'Error: np\n    at a (b.js:1:1)'; console.log(np);
console.log(Object.assign(new RangeError('r'), { stack: 'RangeError: r' }).stack);
