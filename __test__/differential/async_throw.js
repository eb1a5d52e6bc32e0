async function f() { await null; throw new RangeError('async boom'); }
f();
