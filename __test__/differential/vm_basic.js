const vm = require('vm');
console.log(Object.keys(vm));
console.log(vm.runInNewContext('a + b', { a: 1, b: 2 }));
const sandbox = { count: 1, list: [1, 2] };
vm.createContext(sandbox);
console.log(vm.isContext(sandbox), vm.isContext({}), vm.createContext(sandbox) === sandbox);
vm.runInContext('count += 1; var declared = "var"; implicit = "implicit"; function fn() { return count; } this.viaThis = true; let notShared = 1;', sandbox);
console.log(sandbox.count, sandbox.declared, sandbox.implicit, typeof sandbox.fn, sandbox.fn(), sandbox.viaThis, 'notShared' in sandbox);
console.log(Object.keys(sandbox));
console.log(vm.runInContext('typeof notShared + " " + notShared', sandbox));
console.log(vm.runInContext('Object.keys(globalThis).sort().join()', sandbox));
console.log(vm.runInContext('delete implicit; typeof implicit', sandbox), 'implicit' in sandbox);
console.log(vm.runInContext('typeof require + typeof process + typeof module + typeof setTimeout + typeof Buffer', sandbox));
console.log(vm.runInContext('typeof Array + typeof JSON + typeof Promise + typeof Math.max', sandbox));
console.log(vm.runInContext('list instanceof Array', sandbox), vm.runInThisContext('[]') instanceof Array, vm.runInNewContext('[]') instanceof Array);
console.log(vm.runInNewContext('toString === Object.prototype.toString', {}), vm.runInNewContext('this.constructor.name', {}));
console.log(vm.runInNewContext('this.constructor.name'));
const script = new vm.Script('globalThis.runs = (globalThis.runs || 0) + 1', { filename: 'counter.js' });
const c1 = vm.createContext({});
console.log(script.runInContext(c1), script.runInContext(c1), script.runInNewContext({ runs: 10 }));
console.log(script.runInThisContext(), script.runInThisContext(), typeof runs);
console.log(vm.runInThisContext('1 + 1', 'file.js'));
try { vm.runInNewContext('throw new TypeError("boom")'); } catch (e) { console.log(e instanceof TypeError, e.name, e.message); }
try { vm.runInNewContext('null.x'); } catch (e) { console.log(e instanceof TypeError, e.name, e.message); }
try { new vm.Script('(', { filename: 'bad.js' }); } catch (e) { console.log(e instanceof SyntaxError, e.name, e.message); }
try { vm.runInNewContext('({'); } catch (e) { console.log(e instanceof SyntaxError, e.name, e.message); }
try { vm.runInThisContext('let a = 1;\n  throw new RangeError("here")', { filename: 'thrower.js' }); } catch (e) { console.log(e instanceof RangeError, JSON.stringify(e.stack.split('\n').slice(0, 6))); }
try { vm.runInNewContext('function f() { null.x }\nf()', {}, 'deep.js'); } catch (e) { console.log(JSON.stringify(e.stack.split('\n').slice(0, 6))); }
try { new vm.Script('var x = (;', { filename: 'syn.js' }); } catch (e) { console.log(JSON.stringify(e.stack.split('\n').slice(0, 5))); }
try { vm.runInThisContext('throw new Error("quiet")', { filename: 'nd.js', displayErrors: false }); } catch (e) { console.log(JSON.stringify(e.stack.split('\n').slice(0, 2))); }
try { vm.runInThisContext('throw 5'); } catch (e) { console.log(e); }
const fn = vm.compileFunction('return a + b + (typeof c)', ['a', 'b']);
console.log(fn(1, 2), fn.length, fn.name);
console.log(vm.compileFunction('return x * y', ['y'], { contextExtensions: [{ x: 6 }] })(7));
console.log(vm.compileFunction('return typeof process', [], { parsingContext: c1 })());
const fnEnv = vm.compileFunction('return runs', [], { parsingContext: c1 });
console.log(fnEnv());
for (const f of [() => vm.runInContext('1', {}), () => vm.createContext(1), () => vm.runInNewContext('1', 1),
  () => vm.compileFunction(1), () => vm.compileFunction('', [1]), () => vm.compileFunction('', 'a'),
  () => new vm.Script('1', { filename: 1 }), () => new vm.Script('1', { lineOffset: 1.5 }), () => vm.isContext(1)]) {
  try { f(); console.log('no error'); } catch (e) { console.log(e.name, e.code, e.message); }
}
const own = vm.createContext(vm.constants.DONT_CONTEXTIFY);
vm.runInContext('var inside = 42; globalThis.also = 1', own);
console.log(vm.isContext(own), own.inside, own.also, typeof own.Array);
const noEval = vm.createContext({}, { codeGeneration: { strings: false } });
try { vm.runInContext('eval("1")', noEval); } catch (e) { console.log(e.name, e.message); }
const p = vm.runInNewContext('Promise.resolve(5).then((v) => v * 2)');
p.then((v) => console.log('promise from a vm context', v));
console.log(vm.runInNewContext('new Error("e").stack.split("\\n")[0]'));
console.log(vm.runInNewContext('JSON.stringify({ a: [1, { b: 2 }] })'));
console.log(new vm.Script('1', { cachedData: Buffer.from('x') }).cachedDataRejected !== undefined);
