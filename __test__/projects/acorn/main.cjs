// acorn (dual package, required as CommonJS): parse modern JS to an AST,
// tokens, locations, and syntax errors with positions.
'use strict'
const acorn = require('acorn')

const src = `import { a } from './a.js'
export default class K extends Base { #p = 1; static { this.x = a ?? 2 } async *gen() { for await (const v of this) yield v?.w } }
const re = /(?<year>\\d{4})/v, big = 10n ** 3n, t = tag\`x\${1}\`
label: for (;;) break label`
const ast = acorn.parse(src, { ecmaVersion: 'latest', sourceType: 'module', locations: true })
const counts = {}
;(function walk(node) {
  if (!node || typeof node.type !== 'string') return
  counts[node.type] = (counts[node.type] || 0) + 1
  for (const k of Object.keys(node)) {
    const v = node[k]
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object' && k !== 'loc') walk(v)
  }
})(ast)
console.log(acorn.version, ast.body.length, counts)
console.log(JSON.stringify(ast.body[1].declaration.body.body[0]))
console.log([...acorn.tokenizer('let x = a => x + 1 // c', { ecmaVersion: 2022, onComment: (block, text) => console.log('comment', block, text) })].map((t) => t.type.label + (t.value !== undefined ? ':' + t.value : '')).join(' '))
for (const bad of ['let let = 1', 'a => { return', '({a:1} = 1)', 'class { }']) {
  try {
    acorn.parse(bad, { ecmaVersion: 2024 })
  } catch (e) {
    console.log(e.name, e.message, e.pos, JSON.stringify(e.loc), e.raisedAt)
  }
}
console.log(acorn.parseExpressionAt('x => x * 2; rest', 0, { ecmaVersion: 2020 }).end)
