// change-case (ES modules only): every case conversion, with options.
import * as cc from 'change-case'
import { split, splitSeparateNumbers } from 'change-case'
import * as keys from 'change-case/keys'

const inputs = ['test string', 'TestV2Input', 'XMLHttpRequest', 'foo_bar-baz qux', 'émoji ünïcode', 'version 1.2.10', '  --leading--  ']
for (const s of inputs) {
  console.log(JSON.stringify(s), [cc.camelCase, cc.capitalCase, cc.constantCase, cc.dotCase, cc.kebabCase, cc.noCase, cc.pascalCase, cc.pascalSnakeCase, cc.pathCase, cc.sentenceCase, cc.snakeCase, cc.trainCase].map((f) => f(s)).join(' | '))
}
console.log(split('fooBarBAZ2x'), splitSeparateNumbers('abc123def'), cc.camelCase('a_b_1', { mergeAmbiguousCharacters: true }), cc.kebabCase('Hello World', { prefixCharacters: '_' }))
console.log(cc.snakeCase('Déjà Vu', { locale: 'tr' }), cc.pascalCase('i am', { locale: 'tr-TR' }), cc.camelCase('a.b.c', { delimiter: '' }))
console.log(keys.camelCase({ some_key: { nested_key: [{ deep_key: 1 }] } }, 3))
