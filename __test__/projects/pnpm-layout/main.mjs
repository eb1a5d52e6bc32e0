// A pnpm-style layout (node_modules/<dep> symlinks into node_modules/.pnpm,
// each package's dependencies symlinked beside it; built by install.mjs):
// CommonJS (ajv, ajv-formats) and ES modules (string-width) resolved through
// the links to their real paths, one instance per real path, and a
// dependency the project did not declare does not resolve.
import { createRequire } from 'node:module'
import { relative } from 'node:path'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import stringWidth from 'string-width'

const here = import.meta.dirname
const fileOf = (url) => decodeURIComponent(new URL(url).pathname)
const require = createRequire(import.meta.url)
console.log(relative(here, require.resolve('ajv')), relative(here, require.resolve('ajv-formats')), relative(here, fileOf(import.meta.resolve('string-width'))))
const formatsRequire = createRequire(require.resolve('ajv-formats'))
console.log(formatsRequire('ajv') === require('ajv'), relative(here, createRequire(require.resolve('ajv')).resolve('fast-uri')))
for (const name of ['fast-deep-equal', 'ansi-regex', 'strip-ansi']) {
  try {
    require.resolve(name)
    console.log(name, 'resolved?')
  } catch (e) {
    console.log(name, e.code)
  }
}
await import('strip-ansi').catch((e) => console.log('import', e.code))
const ajv = new Ajv({ allErrors: true })
addFormats(ajv, ['email', 'date', 'uri', 'ipv4', 'uuid', 'date-time'])
const validate = ajv.compile({
  type: 'object',
  properties: Object.fromEntries(Object.entries({ email: 'email', day: 'date', home: 'uri', ip: 'ipv4', id: 'uuid', at: 'date-time' }).map(([k, format]) => [k, { type: 'string', format }])),
})
console.log(validate({ email: 'a@b.co', day: '2024-02-29', home: 'https://x.org/p?q', ip: '10.0.0.1', id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', at: '2024-01-01T00:00:00Z' }))
console.log(validate({ email: 'nope', day: '2023-02-29', home: 'not a uri', ip: '999.0.0.1', id: 'x', at: '2024-01-01' }), validate.errors.map((e) => e.instancePath + ' ' + e.message))
console.log(['abc', '古池や', '😀👍🏽', '\u001B[31mred\u001B[39m', 'é', '\u200b'].map((s) => stringWidth(s)), stringWidth('\u001B[1mx\u001B[22m', { countAnsiEscapeCodes: true }))
