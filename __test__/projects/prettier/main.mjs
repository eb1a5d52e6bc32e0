// prettier 3 (dual package, imported as ES modules; its language plugins
// load by import() on first use): formatting JavaScript, TypeScript, CSS,
// Markdown, JSON, YAML and HTML, options, cursor, syntax errors.
import * as prettier from 'prettier'

const js = `const  x = {a:1,
b:[1,2,3].map(n=>n*2), 'c-d': "str"}; function f(a,b){return a??b}
export default async function*g(){ yield* [x]; }`
console.log(await prettier.format(js, { parser: 'babel' }))
console.log(await prettier.format(js, { parser: 'babel', semi: false, singleQuote: true, trailingComma: 'none', printWidth: 40, tabWidth: 4 }))
console.log(await prettier.format('enum E{A=1,B}\ntype T<X>={[k in keyof X]?:X[k]}\nlet v=<T,>(a:T):T=>a as unknown as T', { parser: 'typescript' }))
console.log(await prettier.format('a{color:red;margin:0 0 0 0}@media (max-width:100px){.b>c{display:none}}', { parser: 'css' }))
console.log(await prettier.format('# T\n\n* a\n* b\n\n|x|y|\n|-|-|\n|1|2|\n\n```js\nconst a=1\n```', { parser: 'markdown' }))
console.log(await prettier.format('{"b":[1,2,{"c":null}],"a":true}', { parser: 'json' }))
console.log(await prettier.format('a:   1\nlist:\n    - x\n    -   y\n', { parser: 'yaml' }))
console.log(await prettier.format('<div><p class="a"   id=b>hi <b>there</b></p><ul><li>1</li></ul></div>', { parser: 'html' }))
console.log(JSON.stringify(await prettier.formatWithCursor('let   a=1', { parser: 'babel', cursorOffset: 6 })))
console.log(await prettier.check('const a = 1;\n', { parser: 'babel' }), (await prettier.getSupportInfo()).languages.length > 10, prettier.version)
try {
  await prettier.format('const = ;', { parser: 'babel' })
} catch (e) {
  console.log(e.name, e.message)
}
