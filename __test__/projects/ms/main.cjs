// ms (CommonJS): durations to milliseconds and back.
'use strict'
const ms = require('ms')

console.log(['2 days', '1d', '10h', '2.5 hrs', '2h', '1m', '5s', '1y', '100', '-3 days', '-1h', '-200', '1 week'].map((s) => ms(s)))
console.log([60000, 2 * 60000, -3 * 60000, ms('10 hours'), 1, 1500, 86400000 * 3.5].map((n) => ms(n)), ms(60000, { long: true }), ms(2 * 60000, { long: true }), ms(ms('10 hours'), { long: true }))
console.log(ms('nope'), ms('1 lightyear'))
for (const bad of ['', NaN, Infinity, {}]) {
  try {
    ms(bad)
  } catch (e) {
    console.log(e.name, e.message)
  }
}
