// util.deprecate: one warning per function (per code), constructors, errors.
const util = require('util');
process.on('warning', (w) => console.log('warning event:', w.name, w.code, w.message));
const a = util.deprecate(function addOne(x) { return x + 1; }, 'addOne() is deprecated', 'DEP0900');
console.log(a(1), a(2), a.name, a.length, Object.getPrototypeOf(a).name);
const b = util.deprecate(() => 'b', 'shares the code', 'DEP0900');
console.log(b());
const c = util.deprecate(() => 'c', 'no code here');
console.log(c(), c());
const d = util.deprecate(() => 'd', 'another without code');
console.log(d());
class Base { constructor(v) { this.v = v; } get double() { return this.v * 2; } }
const Dep = util.deprecate(Base, 'Base is deprecated', 'DEP0901');
const inst = new Dep(21);
console.log(inst, inst.double, inst instanceof Base, inst instanceof Dep, Dep.prototype === Base.prototype);
class Sub extends Dep {}
console.log(new Sub(2).double);
for (const code of [1, null, {}]) {
  try { util.deprecate(() => {}, 'm', code); } catch (e) { console.log(e.code, e.message); }
}
const self = util.deprecate(function () { return this.k; }, 'this test', 'DEP0902');
console.log(self.call({ k: 'kept this' }));
