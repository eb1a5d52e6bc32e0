// debug (CommonJS; tty, util's formatWithOptions/inspect; supports-color
// when present): namespaces enabled and disabled, formatters, extend, with
// the date prefix off and output to stdout.
'use strict'
const createDebug = require('debug')

createDebug.inspectOpts.hideDate = true
createDebug.inspectOpts.colors = false
createDebug.log = (...args) => console.log(...args)
createDebug.enable('app:*,-app:secret,other')
const app = createDebug('app:main')
const secret = createDebug('app:secret')
const other = createDebug('other')
const off = createDebug('nope')
app('started %s with %d items and %o', 'matrix', 3, { a: [1, { b: 2 }] })
app('json %j and %O', { x: 1 }, { deep: { deeper: { deepest: 1 } } })
secret('never printed')
off('nor this')
const sub = app.extend('sub')
sub('extended %%s literal')
other('other', { n: 1 })
createDebug.formatters.h = (v) => Buffer.from(v).toString('hex')
app('custom %h', 'hi')
console.log(app.enabled, secret.enabled, off.enabled, sub.namespace, createDebug.enabled('app:x'), createDebug.disable())
console.log(createDebug.enabled('app:main'), createDebug.humanize(1500), typeof createDebug.coerce)
