// What Node's own CommonJS export detector (cjs-module-lexer, the version
// Node 20.20.2 embeds) reports for sources, for the differential tests of
// src/kernel/cjs_exports.rs.
//
//   node scripts/cjs-lexer.mjs cases <cases.txt> <cases.json>
//     Sources separated by lines `//----`; writes [{ source, exports, reexports }].
//   node scripts/cjs-lexer.mjs files <dir>...
//     Every .js/.cjs file under the directories: one JSON line per file,
//     { path, exports, reexports } (empty lists when the lexer throws, as
//     Node then uses none).
//
// The lexer is the `cjs-module-lexer` devDependency, or the package at
// $CJS_MODULE_LEXER; its version must be the one this Node embeds.
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync, readdirSync, statSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
function lexerDir() {
  if (process.env.CJS_MODULE_LEXER) return process.env.CJS_MODULE_LEXER
  try {
    // The package exports only its entry (lexer.js, the JS build Node runs).
    return dirname(require.resolve('cjs-module-lexer'))
  } catch {
    throw new Error('cjs-module-lexer (a devDependency) is not installed: npm install')
  }
}
const pkgDir = lexerDir()
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
if (version !== process.versions.cjs_module_lexer) {
  throw new Error(`cjs-module-lexer ${version}, but Node ${process.version} embeds ${process.versions.cjs_module_lexer}`)
}
const { parse } = require(join(pkgDir, 'lexer.js'))

function lex(source) {
  try {
    const { exports, reexports } = parse(source)
    return { exports, reexports }
  } catch {
    return { exports: [], reexports: [] }
  }
}

function* walk(dir, seen) {
  let real
  try {
    real = realpathSync(dir)
  } catch {
    return
  }
  if (seen.has(real)) return
  seen.add(real)
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    let stat
    try {
      stat = statSync(path)
    } catch {
      continue
    }
    if (stat.isDirectory()) yield* walk(path, seen)
    else if (stat.isFile() && /\.c?js$/.test(name)) yield path
  }
}

const [mode, ...args] = process.argv.slice(2)
if (mode === 'cases') {
  const [input, output] = args
  const sources = readFileSync(input, 'utf8').split(/^\/\/----\n/m).filter((s) => s.trim() !== '')
  const cases = sources.map((source) => ({ source, ...lex(source) }))
  writeFileSync(output, JSON.stringify(cases, null, 1) + '\n')
} else if (mode === 'files') {
  const seen = new Set()
  for (const dir of args) {
    for (const path of walk(resolve(dir), seen)) {
      const source = readFileSync(path, 'utf8')
      process.stdout.write(JSON.stringify({ path, ...lex(source) }) + '\n')
    }
  }
} else {
  throw new Error('usage: cjs-lexer.mjs cases <in> <out> | files <dir>...')
}
