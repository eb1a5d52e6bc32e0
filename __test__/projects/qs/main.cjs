// qs (CommonJS; side-channel and object-inspect, which requires util's
// inspect): nested query strings both ways, with options and limits.
'use strict'
const qs = require('qs')

console.log(qs.parse('a[b][c]=d&e[]=1&e[]=2&f[0][g]=h&i=%F0%9F%98%80&j'))
console.log(qs.parse('a.b.c=1&list=x,y', { allowDots: true, comma: true }), qs.parse('?x=1&x=2&y=', { ignoreQueryPrefix: true, duplicates: 'first' }))
console.log(qs.parse('a[21]=x&b[1]=y'), qs.parse('a=1&b=2&c=3', { parameterLimit: 2 }), qs.parse('a[b][c][d][e][f][g]=deep', { depth: 2 }))
console.log(qs.stringify({ a: { b: { c: 'd e' } }, list: [1, 2], empty: '', nil: null, und: undefined, date: new Date(0) }))
console.log(qs.stringify({ a: [1, 2] }, { arrayFormat: 'brackets' }), qs.stringify({ a: [1, 2] }, { arrayFormat: 'repeat', encode: false }), qs.stringify({ a: { b: 1 } }, { allowDots: true, addQueryPrefix: true }))
console.log(qs.stringify({ b: 2, a: 1, c: [3] }, { sort: (x, y) => x.localeCompare(y), encodeValuesOnly: true }), qs.stringify({ q: 'ü' }, { charset: 'iso-8859-1' }))
const cyclic = { a: 1 }
cyclic.self = cyclic
try {
  qs.stringify(cyclic)
} catch (e) {
  console.log(e.name, e.message)
}
try {
  qs.parse('a[b]=1', { depth: 0, strictDepth: true })
  qs.parse('a[b][c]=1', { depth: 1, strictDepth: true })
} catch (e) {
  console.log(e.name, e.message)
}
