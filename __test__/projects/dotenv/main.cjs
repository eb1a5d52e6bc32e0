// dotenv (CommonJS): parse quoting, multiline and comments; config() from a
// file read through fs, into process.env and into a given object.
'use strict'
const path = require('path')
const dotenv = require('dotenv')

const parsed = dotenv.parse(`
# comment
BASIC=basic
export EXPORTED=yes
EMPTY=
SINGLE='single # not a comment'
DOUBLE="double\\nnewline"
BACKTICK=\`back "tick" 'quote'\`
MULTI="line one
line two"
INLINE=value # comment
SPACES =   spaced out   
EQUALS=a=b=c
`)
console.log(parsed)
const target = {}
const r = dotenv.config({ path: path.join(__dirname, 'fixture.env'), processEnv: target, quiet: true })
console.log(r.error, r.parsed, target)
const r2 = dotenv.config({ path: path.join(__dirname, 'fixture.env'), quiet: true })
console.log(process.env.APP_NAME, process.env.APP_PORT, Object.keys(r2.parsed))
const missing = dotenv.config({ path: path.join(__dirname, 'missing.env'), quiet: true })
console.log(missing.error.code, missing.parsed)
console.log(dotenv.populate({}, { A: '1' }, { override: true }))
