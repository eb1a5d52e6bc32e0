// Smaller util functions: inherits, _extend, isDeepStrictEqual, strings,
// system errors, styleText, TextEncoder/TextDecoder, debuglog.
const util = require('util');
console.log(Object.keys(util).join(' '));
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return `${this.name} speaks`; };
function Dog(name) { Animal.call(this, name); }
util.inherits(Dog, Animal);
console.log(new Dog('rex').speak(), Dog.super_ === Animal, Object.getOwnPropertyDescriptor(Dog, 'super_'));
for (const [c, s] of [[null, Animal], [Dog, null], [Dog, Object.create(null)], [Dog, { prototype: undefined }]]) {
  try { util.inherits(c, s); } catch (e) { console.log(e.code, e.message); }
}
console.log(util._extend({ a: 1 }, { b: 2, a: 3 }), util._extend({ a: 1 }, null), util._extend({ a: 1 }, 'str'));
console.log(util.isDeepStrictEqual({ a: [1, 2] }, { a: [1, 2] }), util.isDeepStrictEqual([1], ['1']), util.isDeepStrictEqual(NaN, NaN));
console.log(util.stripVTControlCharacters('\u001b[31mred\u001b[39m and \u001b[1mbold\u001b[22m'));
try { util.stripVTControlCharacters(1); } catch (e) { console.log(e.code, e.message); }
console.log(JSON.stringify(util.toUSVString('a\ud800b\udc00c\ud83d\ude00')));
console.log(util.getSystemErrorName(-2), util.getSystemErrorName(-13), util.getSystemErrorName(-4058));
for (const v of [0, 1, -1.5, 'x', NaN, 2 ** 60]) {
  try { util.getSystemErrorName(v); } catch (e) { console.log(e.code, e.message); }
}
const map = util.getSystemErrorMap();
console.log(map instanceof Map, map.size, map.get(-2), map.get(-3008), map === util.getSystemErrorMap());
console.log([...map.keys()].slice(0, 5));
const e = util._errnoException(-2, 'open', '/x');
console.log(e.message, e.code, e.errno, e.syscall, Object.keys(e));
const e2 = util._exceptionWithHostPort(-111, 'connect', '127.0.0.1', 80, 'x');
console.log(e2.message, Object.keys(e2));
console.log(util._exceptionWithHostPort(-111, 'connect', '::1').message);
console.log(JSON.stringify(util.styleText('red', 'plain when not a tty')));
console.log(JSON.stringify(util.styleText(['bold', 'underline'], 'array')));
console.log(JSON.stringify(util.styleText('green', 'no stream check', { validateStream: false })));
console.log(JSON.stringify(util.styleText('grey', 'alias', { validateStream: false })));
for (const args of [['nope', 'x'], [['red', 'nope'], 'x'], ['red', 1], ['red', 'x', { validateStream: 1 }], ['red', 'x', { stream: {} }]]) {
  try { util.styleText(...args); } catch (err) { console.log(err.code, err.message.slice(0, 160)); }
}
console.log(util.TextEncoder === TextEncoder, util.TextDecoder === TextDecoder, new util.TextEncoder().encode('hé'));
console.log(Object.keys(util.inspect.colors).length, util.inspect.colors.grey, util.inspect.colors.faint, util.inspect.styles);
const debug = util.debuglog('mysection');
console.log(debug.enabled, typeof debug);
debug('not printed %d', 1);
let seen;
const debug2 = util.debuglog('other', (fn) => { seen = typeof fn; });
debug2('x');
console.log(seen, util.debug === util.debuglog);
console.log(util.format('%s:%d:%i:%f:%j:%o:%O:%%', 'a', 1.5, 2.7, '3.5', { j: 1 }, [1], { O: { deep: { er: 1 } } }));
console.log(util.formatWithOptions({ colors: true }, 'x %s', 1, { a: 1 }));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }), util.inspect('str'), util.inspect.custom);
console.log(util.inspect.defaultOptions);
class Custom { [util.inspect.custom](depth, opts, inspect) { return `Custom<${depth}, ${typeof opts.stylize}, ${inspect === util.inspect}>`; } }
console.log(util.inspect(new Custom()), [new Custom()]);
const u = util.parseEnv('A=1\nB="two words"\n# comment\nexport C=3');
console.log(u, Object.getPrototypeOf(u) === Object.prototype);
try { util.parseEnv(1); } catch (err) { console.log(err.code, err.message); }
