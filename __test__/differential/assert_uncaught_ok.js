// assert.ok failing uncaught: the message quotes the source.
const assert = require('assert');
const value = 0;
assert.ok(value > 1);
