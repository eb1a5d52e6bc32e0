// An assertion that fails uncaught: what Node prints on stderr, exit code 1.
const assert = require('assert');
process.on('exit', (code) => console.log('exit', code));
console.log('before');
assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] });
