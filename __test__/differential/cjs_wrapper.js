// The entry file runs inside Node's CommonJS wrapper: its own scope, the
// wrapper's five arguments, `this` is module.exports, top-level return.
let local = 1;
var alsoLocal = 2;
console.log(typeof globalThis.local, typeof globalThis.alsoLocal, this === module.exports, exports === module.exports);
console.log(arguments.length, typeof require, typeof module, __filename === module.filename, require.main === module);
console.log(module.id, module.loaded, module.children, Array.isArray(module.paths), module.paths[module.paths.length - 1]);
console.log(require.resolve('fs'), require.resolve('node:path'), require.resolve.paths('fs'));
try { require.resolve('./nope') } catch (e) { console.log(e.code) }
exports.a = 1;
module.exports.b = 2;
console.log(module.exports);
function f() { return this === undefined ? 'strict' : typeof this; }
console.log(f());
if (local + alsoLocal === 3) return;
console.log('not reached');
