console.log(new Map(), new Set(), new Map([[{a: 1}, [1, 2]], ['k', new Map([[1, 2]])]]));
console.log(new Set([[1, 2], {a: 1}, 'x']), new Map([[NaN, -0]]));
console.log(new Uint8Array([1, 2, 3]), new Float64Array(2), new BigInt64Array(2), new Uint8Array(0), new Int16Array(200));
console.log(new ArrayBuffer(4), new Uint8Array([1, 2, 255]).buffer, new DataView(new ArrayBuffer(2)));
console.log(new Date(0), new Date(NaN), [new Date(86400000)], Object.assign(new Date(0), {x: 1}));
console.log(/a/gi, [/b/], Object.assign(/c/, {x: 1}));
const m = new Map(); m.set('self', m); console.log(m);
class MyMap extends Map {}
console.log(new MyMap([[1, 2]]), new (class MyArr extends Array {})(3));
const arr = [1, 2]; arr.extra = 'x'; console.log(arr);
console.log({ [Symbol.toStringTag]: 'Tagged', a: 1 });
class T { get [Symbol.toStringTag]() { return 'TT'; } }
console.log(new T());
console.log((function () { return arguments; })(1, 2));
console.log(Object.assign(Object.create({ inherited: 1 }), { own: 2 }));
console.log(Object.create(Object.create(null)));
console.log(new Map(Array.from({ length: 5 }, (_, i) => ['key' + i, { value: i, nested: { deep: i } }])));
console.log(globalThis === global);
