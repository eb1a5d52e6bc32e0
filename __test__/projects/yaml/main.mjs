// yaml (CommonJS under Node's "node" condition) imported by name from an ES
// module: parse, stringify, documents with comments, anchors, errors.
import { parse, parseAllDocuments, parseDocument, stringify, YAMLParseError } from 'yaml'
import YAML from 'yaml'

const src = `# config
name: demo   # trailing
version: 1.2
list: &items
  - one
  - two: 2
copy: *items
multi: |
  line one
  line two
date: 2024-01-02
`
const value = parse(src)
console.log(value)
console.log(stringify({ a: [1, { b: null, c: 'x: y' }], 'key with space': true, n: 1e21, s: '0123' }))
const doc = parseDocument(src)
doc.set('name', 'changed')
doc.getIn(['list']).add('three')
console.log(String(doc))
console.log(parseAllDocuments('a: 1\n---\nb: 2\n').map((d) => d.toJS()))
try {
  parse('a: [1, 2\nb: 3')
} catch (e) {
  console.log(e instanceof YAMLParseError, e.code, e.message)
}
console.log(YAML.stringify(new Map([['k', new Set([1, 2])]])), YAML.parse('!!binary aGVsbG8=', { intAsBigInt: true }))
