// Buffer construction, copying, comparing, slicing and searching.
const { Buffer, SlowBuffer, kMaxLength, kStringMaxLength, constants, INSPECT_MAX_BYTES } = require('buffer');
const t = (label, f) => {
  try { console.log(label, f()); } catch (e) { console.log(label, 'threw', e.name, e.code, e.message); }
};

console.log(kMaxLength, kStringMaxLength, constants, INSPECT_MAX_BYTES, Buffer.poolSize);
console.log(Buffer === globalThis.Buffer, Buffer.name, Buffer.length, typeof SlowBuffer);
console.log(Object.getPrototypeOf(Buffer.prototype) === Uint8Array.prototype, Object.getPrototypeOf(Buffer) === Uint8Array);
console.log(Buffer.prototype.constructor === Buffer, Buffer.from('x').constructor === Buffer);
console.log(Object.keys(Buffer.prototype).length, Object.keys(Buffer));
console.log(Object.getOwnPropertyDescriptor(globalThis, 'Buffer').enumerable, Object.keys(globalThis).includes('Buffer'));

// from
t('array', () => Buffer.from([1, 2, 3, 255, 256, -1, 1.7, '4', 'x', null, undefined, true]));
t('array-like', () => Buffer.from({ length: 3, 0: 65, 1: 66, 2: 67 }));
t('array-like bad length', () => Buffer.from({ length: 'x', 0: 1 }));
t('array-like NaN length', () => Buffer.from({ length: NaN }));
t('array-like neg length', () => Buffer.from({ length: -3 }));
t('json', () => Buffer.from({ type: 'Buffer', data: [1, 2, 3] }));
t('json bad', () => Buffer.from({ type: 'Buffer', data: 'abc' }));
t('u16', () => Buffer.from(new Uint16Array([1, 256, 65535])));
t('f64', () => Buffer.from(new Float64Array([1.5, -1, 300])));
t('dataview', () => Buffer.from(new DataView(new ArrayBuffer(4))));
t('string obj', () => Buffer.from(new String('boxed')));
t('toPrimitive', () => Buffer.from({ [Symbol.toPrimitive]() { return 'prim'; } }));
t('toPrimitive num', () => Buffer.from({ [Symbol.toPrimitive]() { return 5; } }));
t('valueOf', () => Buffer.from({ valueOf() { return 'valued'; } }));
t('valueOf array', () => Buffer.from({ valueOf() { return [7, 8]; } }));
t('number', () => Buffer.from(5));
t('null', () => Buffer.from(null));
t('undefined', () => Buffer.from());
t('symbol', () => Buffer.from(Symbol('s')));
t('fn', () => Buffer.from(() => {}));
t('empty obj', () => Buffer.from({}));
t('big array', () => Buffer.from(new Array(5000).fill(7)).length);

// ArrayBuffer sharing
const ab = new ArrayBuffer(8);
const shared = Buffer.from(ab, 2, 4);
new Uint8Array(ab)[3] = 9;
t('ab share', () => [shared, shared.byteOffset, shared.length, shared.buffer === ab]);
t('ab offset only', () => Buffer.from(ab, 6).length);
t('ab offset NaN', () => Buffer.from(ab, 'x').length);
t('ab offset str', () => Buffer.from(ab, '3').length);
t('ab offset oob', () => Buffer.from(ab, 9));
t('ab length oob', () => Buffer.from(ab, 2, 7));
t('ab length neg', () => Buffer.from(ab, 2, -1).length);
t('ab length NaN', () => Buffer.from(ab, 0, NaN).length);
t('ab offset float', () => Buffer.from(ab, 1.5, 2).byteOffset);
t('ab empty', () => Buffer.from(new ArrayBuffer(0)));

// copies are copies
const src = Buffer.from('abc');
const cp = Buffer.from(src);
cp[0] = 0x7a;
t('copy', () => [src.toString(), cp.toString()]);

// alloc family
t('alloc', () => Buffer.alloc(4));
t('alloc fill num', () => Buffer.alloc(4, 257));
t('alloc fill str', () => Buffer.alloc(7, 'abc'));
t('alloc fill hex', () => Buffer.alloc(5, 'a1b2', 'hex'));
t('alloc fill base64', () => Buffer.alloc(6, 'YWJj', 'base64'));
t('alloc fill buf', () => Buffer.alloc(5, Buffer.from([1, 2])));
t('alloc fill u16', () => Buffer.alloc(5, new Uint16Array([0x0102])));
t('alloc fill empty str', () => Buffer.alloc(3, ''));
t('alloc fill bad hex', () => Buffer.alloc(3, 'zz', 'hex'));
t('alloc fill empty buf', () => Buffer.alloc(3, Buffer.alloc(0)));
t('alloc fill bool', () => Buffer.alloc(3, true));
t('alloc fill obj', () => Buffer.alloc(3, { valueOf() { return 258; } }));
t('alloc fill multibyte', () => Buffer.alloc(8, '\u20ac'));
t('alloc fill surrogate', () => Buffer.alloc(9, '\ud83d\ude00'));
t('alloc fill lone', () => Buffer.alloc(4, '\ud800'));
t('alloc fill latin1', () => Buffer.alloc(3, '\u0141', 'latin1'));
t('alloc fill ucs2', () => Buffer.alloc(5, 'ab', 'ucs2'));
t('alloc fill bad enc', () => Buffer.alloc(3, 'a', 'nope'));
t('alloc fill enc num', () => Buffer.alloc(3, 'a', 5));
t('alloc 0 fill', () => Buffer.alloc(0, 'abc'));
t('alloc float', () => Buffer.alloc(2.9).length);
t('alloc neg', () => Buffer.alloc(-1));
t('alloc NaN', () => Buffer.alloc(NaN));
t('alloc str', () => Buffer.alloc('5'));
t('alloc huge', () => Buffer.alloc(2 ** 33));
t('allocUnsafe', () => Buffer.allocUnsafe(3).length);
t('allocUnsafe bad', () => Buffer.allocUnsafe(-5));
t('allocUnsafeSlow', () => Buffer.allocUnsafeSlow(3).length);
t('allocUnsafeSlow bad', () => Buffer.allocUnsafeSlow('x'));
t('SlowBuffer', () => SlowBuffer(2).length);
t('of', () => Buffer.of(1, 2, 300));
t('copyBytesFrom', () => Buffer.copyBytesFrom(new Uint16Array([1, 2, 3]), 1, 1));
t('copyBytesFrom all', () => Buffer.copyBytesFrom(new Uint16Array([1, 2, 3])));
t('copyBytesFrom offset', () => Buffer.copyBytesFrom(new Uint8Array([1, 2, 3]), 2));
t('copyBytesFrom past', () => Buffer.copyBytesFrom(new Uint8Array([1, 2, 3]), 5));
t('copyBytesFrom long', () => Buffer.copyBytesFrom(new Uint8Array([1, 2, 3]), 1, 10));
t('copyBytesFrom bad', () => Buffer.copyBytesFrom([1, 2]));
t('copyBytesFrom neg', () => Buffer.copyBytesFrom(new Uint8Array(2), -1));

// byteLength
t('byteLength', () => [Buffer.byteLength('héllo'), Buffer.byteLength('héllo', 'latin1'), Buffer.byteLength('abcd', 'hex'),
  Buffer.byteLength('aGk=', 'base64'), Buffer.byteLength('aGk', 'base64url'), Buffer.byteLength('ab', 'ucs2'),
  Buffer.byteLength('\ud83d\ude00'), Buffer.byteLength('\ud800'), Buffer.byteLength('x', 'bogus'),
  Buffer.byteLength(new Uint16Array(3)), Buffer.byteLength(new ArrayBuffer(5)), Buffer.byteLength(new DataView(new ArrayBuffer(6))),
  Buffer.byteLength(''), Buffer.byteLength('=', 'base64'), Buffer.byteLength('==', 'base64')]);
t('byteLength bad', () => Buffer.byteLength(5));
t('byteLength obj', () => Buffer.byteLength({}));

// isEncoding
console.log(['utf8', 'UTF-8', 'Utf8', 'ucs2', 'UCS-2', 'utf16le', 'UTF-16LE', 'latin1', 'binary', 'BINARY', 'base64', 'base64url',
  'hex', 'HEX', 'ascii', '', 'utf-16', 'utf32', null, undefined, 5, {}].map((e) => Buffer.isEncoding(e)));
console.log(Buffer.isBuffer(Buffer.alloc(0)), Buffer.isBuffer(new Uint8Array(0)), Buffer.isBuffer('x'), Buffer.isBuffer(null));

// compare / equals
const a = Buffer.from('abc'), b2 = Buffer.from('abd'), c = Buffer.from('ab');
t('compare', () => [Buffer.compare(a, b2), Buffer.compare(b2, a), Buffer.compare(a, a), Buffer.compare(a, c), Buffer.compare(c, a),
  Buffer.compare(new Uint8Array([1]), Buffer.from([1]))]);
t('compare bad', () => Buffer.compare(a, 'abc'));
t('compare bad1', () => Buffer.compare([], a));
t('compare ranges', () => [a.compare(b2), a.compare(b2, 0, 2), a.compare(b2, 0, 2, 0, 2), a.compare(b2, 2), a.compare(b2, 1, 1),
  a.compare(b2, 1, 1, 2, 2), a.compare(b2, 0, 3, 3), a.compare(b2, 3, 3, 0, 1), a.compare(c, undefined, undefined, 1)]);
t('compare range oob', () => a.compare(b2, 0, 4));
t('compare range neg', () => a.compare(b2, -1));
t('compare range float', () => a.compare(b2, 0.5));
t('compare range str', () => a.compare(b2, '1'));
t('compare srcEnd', () => a.compare(b2, 0, 3, 0, 9));
t('compare target', () => a.compare('abc'));
t('equals', () => [a.equals(Buffer.from('abc')), a.equals(b2), a.equals(c), Buffer.alloc(0).equals(new Uint8Array(0)), a.equals(a)]);
t('equals bad', () => a.equals('abc'));

// copy
const target = Buffer.alloc(6, '.');
t('copy ret', () => [Buffer.from('xyz').copy(target, 1), target.toString()]);
t('copy range', () => [Buffer.from('abcdef').copy(target, 0, 4), target.toString()]);
t('copy clip', () => [Buffer.from('0123456789').copy(target, 3), target.toString()]);
t('copy src range', () => [Buffer.from('abcdef').copy(target, 0, 1, 3), target.toString()]);
t('copy past end', () => Buffer.from('abc').copy(target, 10));
t('copy empty range', () => Buffer.from('abc').copy(target, 0, 2, 1));
t('copy float', () => [Buffer.from('abcdef').copy(target, 1.5, 0.5, 2.5), target.toString()]);
t('copy str args', () => [Buffer.from('abcdef').copy(target, '2', '1', '3'), target.toString()]);
t('copy NaN', () => [Buffer.from('qrs').copy(target, NaN, NaN), target.toString()]);
t('copy neg target', () => Buffer.from('abc').copy(target, -1));
t('copy neg source', () => Buffer.from('abc').copy(target, 0, -1));
t('copy source oob', () => Buffer.from('abc').copy(target, 0, 4));
t('copy neg end', () => Buffer.from('abc').copy(target, 0, 0, -1));
t('copy bad target', () => Buffer.from('abc').copy([1, 2]));
t('copy to u8', () => { const u = new Uint8Array(3); Buffer.from('hi').copy(u); return u; });
const overlap = Buffer.from('abcdef');
t('copy overlap', () => [overlap.copy(overlap, 2, 0, 4), overlap.toString()]);

// concat
t('concat', () => Buffer.concat([Buffer.from('ab'), new Uint8Array([99]), Buffer.alloc(0), Buffer.from('de')]));
t('concat len', () => Buffer.concat([Buffer.from('abc'), Buffer.from('def')], 4));
t('concat longer', () => Buffer.concat([Buffer.from('abc')], 6));
t('concat empty', () => Buffer.concat([]));
t('concat empty len', () => Buffer.concat([], 5));
t('concat bad', () => Buffer.concat('abc'));
t('concat bad item', () => Buffer.concat([Buffer.from('a'), 'b']));
t('concat bad len', () => Buffer.concat([Buffer.from('a')], -1));
t('concat float len', () => Buffer.concat([Buffer.from('a')], 1.5));
t('concat big', () => Buffer.concat([Buffer.alloc(5000, 1), Buffer.alloc(5000, 2)]).length);

// slice / subarray share memory
const base = Buffer.from('0123456789');
const sub = base.subarray(2, 5);
sub[0] = 0x41;
t('subarray', () => [sub.toString(), base.toString(), sub.buffer === base.buffer, sub instanceof Buffer]);
t('slice neg', () => [base.slice(-3).toString(), base.slice(-3, -1).toString(), base.slice(-20, 2).toString(), base.slice(5, 2).toString()]);
t('slice odd', () => [base.slice('2', '4').toString(), base.slice(1.9, 3.9).toString(), base.slice(NaN, 3).toString(),
  base.slice(0, NaN).toString(), base.slice(undefined, undefined).length, base.slice(20).length, base.slice(0, Infinity).length,
  base.slice(-Infinity).length, base.slice(null, 2).toString()]);
base.constructor = function Other() {};
t('no species', () => base.slice(0, 2) instanceof Buffer);
class MyBuf extends Buffer {}
t('subclass', () => typeof MyBuf);

// indexOf / lastIndexOf / includes
const hay = Buffer.from('this is a buffer, a Buffer');
t('indexOf', () => [hay.indexOf('is'), hay.indexOf('is', 3), hay.indexOf('buffer'), hay.indexOf('Buffer'), hay.indexOf('zz'),
  hay.indexOf(''), hay.indexOf('', 5), hay.indexOf('', 100), hay.indexOf('a', -5), hay.indexOf('a', -100), hay.indexOf('a', 100)]);
t('indexOf num', () => [hay.indexOf(97), hay.indexOf(97 + 256), hay.indexOf(-159), hay.indexOf(0x61, 9), hay.indexOf(1.5), hay.indexOf(NaN)]);
t('indexOf buf', () => [hay.indexOf(Buffer.from('buf')), hay.indexOf(new Uint8Array([97, 32])), hay.indexOf(Buffer.alloc(0)),
  hay.indexOf(Buffer.alloc(0), 3), hay.indexOf(Buffer.from('this is a buffer, a Buffer!'))]);
t('indexOf enc', () => [hay.indexOf('6973', 'hex'), hay.indexOf('aXM=', 'base64'), hay.indexOf('is', 0, 'latin1'),
  hay.indexOf('is', 'ascii'), hay.indexOf('zz', 'hex'), hay.indexOf('is', 'utf16le'), hay.indexOf('is', 0, 'binary')]);
t('indexOf enc bad', () => hay.indexOf('is', 0, 'nope'));
t('indexOf byteOffset coerce', () => [hay.indexOf('is', '3'), hay.indexOf('is', null), hay.indexOf('is', {}), hay.indexOf('is', []),
  hay.indexOf('is', 2.9), hay.indexOf('is', -0), hay.indexOf('is', 2 ** 40), hay.indexOf('is', -(2 ** 40))]);
t('lastIndexOf', () => [hay.lastIndexOf('is'), hay.lastIndexOf('is', 4), hay.lastIndexOf('is', 1), hay.lastIndexOf('a'),
  hay.lastIndexOf('a', -10), hay.lastIndexOf('a', -100), hay.lastIndexOf(''), hay.lastIndexOf('', 3), hay.lastIndexOf('', -100),
  hay.lastIndexOf(97, 100), hay.lastIndexOf(Buffer.from('uf')), hay.lastIndexOf('is', NaN), hay.lastIndexOf('is', {})]);
t('includes', () => [hay.includes('buffer'), hay.includes('nope'), hay.includes(98), hay.includes('is', 10), hay.includes(Buffer.from('a B'))]);
t('indexOf bad', () => hay.indexOf({}));
t('indexOf bad2', () => hay.indexOf(true));
t('indexOf empty hay', () => [Buffer.alloc(0).indexOf('a'), Buffer.alloc(0).indexOf(''), Buffer.alloc(0).indexOf(0),
  Buffer.alloc(0).lastIndexOf(Buffer.alloc(0))]);
const u16hay = Buffer.from('abcdabcd', 'utf16le');
t('indexOf ucs2', () => [u16hay.indexOf('cd', 'ucs2'), u16hay.indexOf('cd', 5, 'ucs2'), u16hay.lastIndexOf('cd', 'ucs2'),
  u16hay.indexOf(Buffer.from('b', 'ucs2'), 0, 'ucs2'), Buffer.from('abc').indexOf('b', 'ucs2'), u16hay.indexOf('\u6300', 'ucs2')]);
const utfhay = Buffer.from('héllo wörld ünïcode 😀 end');
t('indexOf utf8', () => [utfhay.indexOf('ö'), utfhay.indexOf('😀'), utfhay.lastIndexOf('l'), utfhay.indexOf('\ud800')]);

// toJSON, iteration, misc
t('toJSON', () => JSON.stringify({ b: Buffer.from('hi'), e: Buffer.alloc(0) }));
t('keys', () => [...Buffer.from('ab').entries()]);
t('spread', () => [...Buffer.from('ab')]);
t('parent/offset', () => { const x = Buffer.from(new ArrayBuffer(4), 1); return [x.parent === x.buffer, x.offset]; });
t('parent on u8', () => Object.getOwnPropertyDescriptor(Buffer.prototype, 'parent').get.call(new Uint8Array(1)));
t('map', () => Buffer.from([1, 2]).map((x) => x * 2));
t('filter', () => Buffer.from([1, 2, 3]).filter((x) => x > 1));
t('u8 slice', () => Uint8Array.prototype.slice.call(Buffer.from('abc'), 1));
t('Buffer()', () => Buffer('abc'));
t('new Buffer()', () => new Buffer(3));
t('Buffer num enc', () => Buffer(3, 'utf8'));
t('Buffer arraybuffer', () => new Buffer(new ArrayBuffer(2), 1));
