// typescript 5 (CommonJS, one 9 MB file): transpileModule, the parser's
// AST, and a type-checked program over an in-memory host that reads the
// standard library's .d.ts files through fs; diagnostics as tsc prints them.
'use strict'
const fs = require('fs')
const path = require('path')
const ts = require('typescript')

const source = `enum Color { Red = 1, Green }
interface Point { x: number; y?: number }
export class Box<T extends Point> {
  constructor(private readonly items: T[] = []) {}
  @log add(p: T): this { this.items.push(p); return this }
  get size(): number { return this.items.length }
}
function log(target: any, key: string, d: PropertyDescriptor) { return d }
export const f = async (xs: readonly number[]) => xs.map((x) => x ** 2) satisfies number[]
export type Id = \`id-\${number}\`
`
console.log(ts.version)
for (const [target, module] of [[ts.ScriptTarget.ES2020, ts.ModuleKind.CommonJS], [ts.ScriptTarget.ES5, ts.ModuleKind.ESNext]]) {
  const out = ts.transpileModule(source, { compilerOptions: { target, module, experimentalDecorators: true, sourceMap: false }, fileName: 'box.ts', reportDiagnostics: true })
  console.log(out.outputText)
  console.log(out.diagnostics.length)
}
const sf = ts.createSourceFile('box.ts', source, ts.ScriptTarget.Latest, true)
const kinds = {}
const visit = (node) => {
  const k = ts.SyntaxKind[node.kind]
  kinds[k] = (kinds[k] || 0) + 1
  ts.forEachChild(node, visit)
}
visit(sf)
console.log(sf.statements.length, Object.keys(kinds).length, kinds.Identifier, kinds.ClassDeclaration)

const libDir = path.dirname(require.resolve('typescript'))
const files = {
  '/src/main.ts': `import { greet } from './lib'\nconst n: number = greet('x')\nconst s: string = greet(1)\nlet u = [1, 2].map((v) => v.toFixed(1))\nu = 3\n`,
  '/src/lib.ts': `export function greet(name: string): string { return 'hi ' + name }\n`,
}
const options = { strict: true, target: ts.ScriptTarget.ES2020, lib: ['lib.es2020.d.ts'], noEmit: true, types: [] }
const host = ts.createCompilerHost(options)
host.getSourceFile = (name, lang) => {
  const text = files[name] ?? (name.startsWith(libDir) ? fs.readFileSync(name, 'utf8') : undefined)
  return text === undefined ? undefined : ts.createSourceFile(name, text, lang)
}
host.fileExists = (name) => name in files || (name.startsWith(libDir) && fs.existsSync(name))
host.readFile = (name) => files[name] ?? fs.readFileSync(name, 'utf8')
host.getDefaultLibLocation = () => libDir
host.getDefaultLibFileName = (o) => path.join(libDir, ts.getDefaultLibFileName(o))
host.getCurrentDirectory = () => '/src'
const program = ts.createProgram(['/src/main.ts'], options, host)
const diags = ts.getPreEmitDiagnostics(program)
console.log(ts.formatDiagnostics(diags, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => '/src', getNewLine: () => '\n' }))
const checker = program.getTypeChecker()
const main = program.getSourceFile('/src/main.ts')
const u = main.statements[3].declarationList.declarations[0]
console.log(checker.typeToString(checker.getTypeAtLocation(u.name)), program.getSourceFiles().length > 5)
