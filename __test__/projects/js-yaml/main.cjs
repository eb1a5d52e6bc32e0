// js-yaml (dual package, required as CommonJS): load, dump, schemas, errors.
'use strict'
const yaml = require('js-yaml')

const text = `
anchors:
  base: &base { a: 1, b: [x, y] }
  derived:
    <<: *base
    b: [z]
numbers: [0x1F, 0o17, 1_000, .inf, -.Inf, .nan]
when: 2001-12-14t21:59:43.10-05:00
str: !!str 123
seq: !!seq [a, b]
`
const doc = yaml.load(text)
console.log(doc.anchors.derived, doc.numbers, doc.when instanceof Date ? doc.when.toISOString() : doc.when, doc.str, doc.seq)
console.log(yaml.dump({ s: 'multi\nline', n: null, list: [1, 'two', { three: 3 }], q: 'yes', long: 'x'.repeat(100) }, { lineWidth: 40 }))
console.log(yaml.dump({ b: 2, a: 1 }, { sortKeys: true, flowLevel: 0 }))
console.log(yaml.loadAll('--- 1\n--- [2]\n--- {three: 3}\n'))
try {
  yaml.load('a: b: c')
} catch (e) {
  console.log(e.name, e.reason, e.mark.line, e.mark.column)
  console.log(e.message)
}
try {
  yaml.load('!!js/function "function(){}"')
} catch (e) {
  console.log(e.name, e.reason)
}
console.log(yaml.load('a: 1', { schema: yaml.FAILSAFE_SCHEMA }), yaml.JSON_SCHEMA === undefined)
