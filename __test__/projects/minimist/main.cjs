// minimist (CommonJS): argument parsing.
'use strict'
const parse = require('minimist')

console.log(parse(['-a', 'beep', '-b', 'boop']))
console.log(parse(['-x', '3', '-y', '4', '-n5', '-abc', '--beep=boop', 'foo', 'bar', 'baz']))
console.log(parse(['--no-debug', '--name', 'x', '--', '--not-a-flag', 'rest'], { '--': true }))
console.log(parse(['-v', '--count', '07', '-s', '12', 'file'], { string: ['s'], boolean: ['v'], alias: { v: 'verbose', c: 'count' }, default: { color: true } }))
console.log(parse(['--a.b', '1', '--a.c=x', '--list', '1', '--list', '2'], { unknown: (arg) => arg !== '--skip' }))
console.log(parse(['--__proto__.x', 'polluted', '--constructor.prototype.y', '1']), {}.x, {}.y)
console.log(parse(process.argv.slice(2)))
