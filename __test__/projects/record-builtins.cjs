// Preloaded into host Node by status.mjs (`--require`): appends the name of
// every builtin module the program loads, by require() or import, to the
// file $SECURE_EXEC_RECORD_BUILTINS.
'use strict'
const fs = require('node:fs')
const Module = require('node:module')

const file = process.env.SECURE_EXEC_RECORD_BUILTINS
const record = (name) => fs.appendFileSync(file, name.replace(/^node:/, '') + '\n')
const load = Module._load
Module._load = function (request, parent, isMain) {
  if (typeof request === 'string' && Module.isBuiltin(request)) record(request)
  return load.call(this, request, parent, isMain)
}
const hooks = `import { appendFileSync } from 'node:fs'
const builtins = new Set(${JSON.stringify(Module.builtinModules)})
export async function resolve(specifier, context, next) {
  const name = specifier.replace(/^node:/, '')
  if (builtins.has(name) || specifier.startsWith('node:')) appendFileSync(${JSON.stringify(file)}, name + '\\n')
  return next(specifier, context)
}`
Module.register(`data:text/javascript,${encodeURIComponent(hooks)}`)
