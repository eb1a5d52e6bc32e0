// Preloaded into host Node by status.mjs (`--require`): appends to the file
// $SECURE_EXEC_RECORD_BUILTINS a line for each builtin module the program
// loads (`crypto`) and for each of its exports the program reads
// (`crypto.createHash`), by require() or import. require() hands out a Proxy
// of the module that records property reads; import of a builtin is
// redirected to a module that exports the same Proxy as its default, and the
// names an ES module imports from a builtin are read from its source.
// For the status table only: it changes module identity a little, never the
// output of the projects.
'use strict'
const fs = require('node:fs')
const Module = require('node:module')

const file = process.env.SECURE_EXEC_RECORD_BUILTINS
const seen = new Set()
const record = (line) => {
  if (seen.has(line)) return
  seen.add(line)
  fs.appendFileSync(file, line + '\n')
}
const proxies = new Map()
function recorded(name, real) {
  record(name)
  if ((typeof real !== 'object' && typeof real !== 'function') || real === null) return real
  if (!proxies.has(name)) {
    const proxy = new Proxy(real, {
      get(target, key, receiver) {
        if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key)) record(`${name}.${key}`)
        return Reflect.get(target, key, receiver === proxy ? target : receiver)
      },
    })
    proxies.set(name, proxy)
  }
  return proxies.get(name)
}
globalThis[Symbol.for('secure-exec.recordBuiltin')] = recorded

const load = Module._load
Module._load = function (request, parent, isMain) {
  const real = load.call(this, request, parent, isMain)
  return typeof request === 'string' && Module.isBuiltin(request) ? recorded(request.replace(/^node:/, ''), real) : real
}

const hooks = `import { appendFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
const file = ${JSON.stringify(file)}
const ident = /^[A-Za-z_$][\\w$]*$/
export async function resolve(specifier, context, next) {
  if (isBuiltin(specifier) && !String(context.parentURL).startsWith('builtin-record:')) {
    return { url: 'builtin-record:' + specifier.replace(/^node:/, ''), shortCircuit: true }
  }
  return next(specifier, context)
}
export async function load(url, context, next) {
  if (url.startsWith('builtin-record:')) {
    const name = url.slice('builtin-record:'.length)
    const keys = Object.keys(process.getBuiltinModule(name)).filter((k) => ident.test(k) && k !== 'default')
    const source = 'const real = process.getBuiltinModule(' + JSON.stringify(name) + ')\\n' +
      'export default globalThis[Symbol.for("secure-exec.recordBuiltin")](' + JSON.stringify(name) + ', real)\\n' +
      (keys.length ? 'export const { ' + keys.join(', ') + ' } = real\\n' : '')
    return { format: 'module', source, shortCircuit: true }
  }
  const r = await next(url, context)
  if (r.format === 'module' && r.source) {
    const text = typeof r.source === 'string' ? r.source : new TextDecoder().decode(r.source)
    for (const m of text.matchAll(/import\\s*(?:[\\w$]+\\s*,\\s*)?\\{([^}]*)\\}\\s*from\\s*['"]([^'"]+)['"]/g)) {
      if (!isBuiltin(m[2])) continue
      const name = m[2].replace(/^node:/, '')
      for (const part of m[1].split(',')) {
        const k = part.trim().split(/\\s+as\\s+/)[0].trim()
        if (k) appendFileSync(file, name + '.' + k + '\\n')
      }
    }
  }
  return r
}`
Module.register(`data:text/javascript,${encodeURIComponent(hooks)}`)
