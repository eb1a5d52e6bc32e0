// util.inspect via console.dir options
console.dir({ a: [1, 2, 3] }, { compact: false });
console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: null });
console.dir({ a: 1, b: 'two' }, { breakLength: 5 });
console.dir([3, 1, 2], { sorted: true });
console.dir({ c: 1, a: 2, b: 3 }, { sorted: true });
console.dir(new Array(10).fill(1), { maxArrayLength: 3 });
console.dir('x'.repeat(20), { maxStringLength: 5 });
console.dir({ get g() { return 42; } }, { getters: true });
console.dir(1234567.891, { numericSeparator: true });
console.dir({ a: 1, [Symbol('s')]: 2 }, { showHidden: true });
console.dir([1, 2], { showHidden: true });
console.dir({ [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM'; } });
console.dir({ inner: { [Symbol.for('nodejs.util.inspect.custom')](d, o) { return { replaced: d }; } } });
console.log({ inner: { [Symbol.for('nodejs.util.inspect.custom')](d, o, insp) { return 'multi\nline'; } } });
