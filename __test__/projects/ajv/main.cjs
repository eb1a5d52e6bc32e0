// ajv (CommonJS): schemas compiled to functions (generated code through
// new Function), errors, $ref, defaults, coercion, async schemas.
'use strict'
const Ajv = require('ajv')

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true })
const schema = {
  $id: 'https://example.com/person',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2 },
    age: { type: 'integer', minimum: 0 },
    email: { type: 'string', pattern: '^[^@]+@[^@]+$' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, default: [] },
    address: { $ref: '#/$defs/address' },
  },
  required: ['name', 'age'],
  additionalProperties: false,
  $defs: { address: { type: 'object', properties: { zip: { type: 'string', maxLength: 5 } }, required: ['zip'] } },
}
const validate = ajv.compile(schema)
const good = { name: 'Ada', age: '36', address: { zip: '12345' } }
console.log(validate(good), good)
const bad = { name: 'A', age: -1, email: 'x', tags: ['a', 'a'], address: {}, extra: true }
console.log(validate(bad))
for (const e of validate.errors) console.log(e.instancePath, e.keyword, e.message, JSON.stringify(e.params))
console.log(ajv.errorsText(validate.errors))
console.log(ajv.validate({ oneOf: [{ type: 'number' }, { type: 'string', format: undefined }] }, 3), ajv.getSchema('https://example.com/person') === validate)
ajv.addKeyword({ keyword: 'even', type: 'number', validate: (s, d) => d % 2 === 0 })
console.log(ajv.validate({ even: true }, 4), ajv.validate({ even: true }, 5))
const asyncAjv = new Ajv()
asyncAjv.addKeyword({ keyword: 'idExists', async: true, type: 'number', validate: async (s, d) => d < 10 })
const checkAsync = asyncAjv.compile({ $async: true, properties: { id: { type: 'number', idExists: true } } })
checkAsync({ id: 3 })
  .then((v) => console.log('async ok', v))
  .then(() => checkAsync({ id: 30 }))
  .catch((e) => console.log(e.constructor.name, e.message, e.errors.map((x) => x.keyword)))
try {
  ajv.compile({ type: 'nope' })
} catch (e) {
  console.log(e.message)
}
