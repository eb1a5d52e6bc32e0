// querystring: parse/stringify/escape/unescape with Node's exact rules.
const qs = require('querystring');
console.log(Object.keys(qs).join(' '), qs.encode === qs.stringify, qs.decode === qs.parse);
const parses = [
  'a=1&b=2', 'a=1&a=2&a=3', 'a', 'a=', '=b', '&&a=1&&', 'a=b=c', 'a+b=c+d', 'a%20b=c%20d', '%E4%BD%A0=%E5%A5%BD',
  'bad=%E4%BD', 'bad2=%ZZ', 'bad3=%', 'x=%41%42%4', 'caf%C3%A9=1', '__proto__=1&constructor=2&toString=3',
  'a[b]=1&a[c]=2', 'semi=1;two=2', 'a=1&b', '', 'emoji=%F0%9F%98%80', 'lone=%D8%00', 'k=v%2Bplus',
];
for (const s of parses) console.log(JSON.stringify(s), qs.parse(s));
console.log(qs.parse('a:1;b:2', ';', ':'));
console.log(qs.parse('a=>1<>b=>2', '<>', '=>'));
console.log(qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }));
console.log(qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 0 }));
console.log(qs.parse('&&&a=1', null, null, { maxKeys: 2 }));
console.log(qs.parse(Array.from({ length: 1005 }, (_, i) => `k${i}=${i}`).join('&')).k999, Object.keys(qs.parse(Array.from({ length: 1005 }, (_, i) => `k${i}=${i}`).join('&'))).length);
console.log(qs.parse('a=%41&b=%42', null, null, { decodeURIComponent: (s) => s.toLowerCase() }));
console.log(qs.parse('a=x%zz', null, null, { decodeURIComponent: () => { throw new Error('x'); } }));
console.log(qs.parse(123), qs.parse(null), qs.parse({}));
const objs = [
  { a: 1, b: 'two', c: [3, 4], d: true, e: null, f: undefined, g: NaN, h: Infinity, i: 1n, j: {}, k: [], l: '' },
  { 'sp ace': 'v a l', 'ü': 'ñ', 'emoji': '😀', '!*()\'': '~-._', 'a&b': 'c=d' },
  { big: 1e21, small: 1e-7, neg: -0 },
];
for (const o of objs) console.log(qs.stringify(o));
console.log(qs.stringify({ a: 1, b: 2 }, ';', ':'));
console.log(qs.stringify({ a: 'x y', b: 1 }, null, null, { encodeURIComponent: (s) => `<${s}>` }));
console.log(qs.stringify('str'), qs.stringify(null), qs.stringify([1, 2]));
try { qs.stringify({ a: '\ud800' }); } catch (e) { console.log(e.name, e.code, e.message); }
console.log(qs.stringify({ a: '\ud800x' }), qs.stringify({ a: '\udc00\ud800' }));
console.log(qs.escape('a b&c/d?e=f+g'), qs.escape(123), qs.escape({ toString() { return 'obj ü'; } }), qs.escape(''));
console.log(qs.unescape('a%20b+c'), qs.unescape('%E4%BD'), qs.unescape('%zz%41'), qs.unescape('a+b', true));
console.log(qs.unescapeBuffer('a%20b+c', true), qs.unescapeBuffer('%e4%bd%a0'), qs.unescapeBuffer('%4'), qs.unescapeBuffer('ā'));
const origEscape = qs.escape;
qs.escape = (s) => `[${s}]`;
console.log(qs.stringify({ a: 'b' }));
qs.escape = origEscape;
const origUnescape = qs.unescape;
qs.unescape = (s) => s.toUpperCase();
console.log(qs.parse('a=b%20c'));
qs.unescape = origUnescape;
