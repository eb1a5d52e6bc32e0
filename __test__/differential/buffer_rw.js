// Every read*/write* method, with Node's range and type errors.
const { Buffer } = require('buffer');
const t = (label, f) => {
  try { console.log(label, f()); } catch (e) { console.log(label, 'threw', e.name, e.code, e.message); }
};
const src = Buffer.from([0x01, 0x82, 0xf3, 0x04, 0xa5, 0xff, 0x00, 0x7f, 0x80, 0xfe]);
const reads = ['readUInt8', 'readUint8', 'readInt8', 'readUInt16LE', 'readUInt16BE', 'readUint16LE', 'readUint16BE', 'readInt16LE',
  'readInt16BE', 'readUInt32LE', 'readUInt32BE', 'readUint32LE', 'readUint32BE', 'readInt32LE', 'readInt32BE', 'readFloatLE',
  'readFloatBE', 'readDoubleLE', 'readDoubleBE', 'readBigUInt64LE', 'readBigUInt64BE', 'readBigUint64LE', 'readBigUint64BE',
  'readBigInt64LE', 'readBigInt64BE'];
for (const m of reads) {
  const out = [];
  for (const off of [0, 1, 2]) out.push(src[m](off));
  console.log(m, out, src[m]());
  for (const off of [-1, 1.5, NaN, '1', null, 10, 9, Infinity, 2 ** 32, {}, 1n]) t(`${m}(${String(off)})`, () => src[m](off));
}
for (const m of ['readUIntLE', 'readUIntBE', 'readUintLE', 'readUintBE', 'readIntLE', 'readIntBE']) {
  for (let n = 1; n <= 6; n++) console.log(m, n, src[m](0, n), src[m](10 - n, n), src[m](3, n));
  t(`${m} 0`, () => src[m](0, 0));
  t(`${m} 7`, () => src[m](0, 7));
  t(`${m} undefined`, () => src[m](0));
  t(`${m} no offset`, () => src[m]());
  t(`${m} 1.5`, () => src[m](0, 1.5));
  t(`${m} str`, () => src[m](0, '2'));
  t(`${m} oob`, () => src[m](8, 3));
  t(`${m} neg`, () => src[m](-1, 3));
  t(`${m} offset float`, () => src[m](0.5, 3));
}
t('empty read', () => Buffer.alloc(0).readUInt8(0));
t('empty read32', () => Buffer.alloc(2).readUInt32LE(0));
t('empty readDouble', () => Buffer.alloc(7).readDoubleLE(0));

const writes = [
  ['writeUInt8', [0, 255, 256, -1, 1.7, NaN, '7', 'x', Infinity, null, true]],
  ['writeUint8', [200]],
  ['writeInt8', [-128, 127, 128, -129, -1.5]],
  ['writeUInt16LE', [0, 65535, 65536, -1, 0x1234]],
  ['writeUInt16BE', [0x1234, 1.9]],
  ['writeUint16LE', [1]],
  ['writeUint16BE', [1]],
  ['writeInt16LE', [-32768, 32767, 32768, -2]],
  ['writeInt16BE', [-2, 300]],
  ['writeUInt32LE', [0, 0xffffffff, 2 ** 32, -1, 0x12345678]],
  ['writeUInt32BE', [0x12345678, 2.5]],
  ['writeUint32LE', [5]],
  ['writeUint32BE', [5]],
  ['writeInt32LE', [-(2 ** 31), 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, -5]],
  ['writeInt32BE', [-5, 0x7fffffff]],
  ['writeFloatLE', [1.5, -0, NaN, Infinity, 3.4e39, 1e-46, 'x', '2.5', 0.1]],
  ['writeFloatBE', [1.5, -2.25]],
  ['writeDoubleLE', [Math.PI, -0, NaN, -Infinity, 5e-324, '1e3']],
  ['writeDoubleBE', [Math.PI, 1]],
  ['writeBigUInt64LE', [0n, 2n ** 64n - 1n, 2n ** 64n, -1n, 0x0102030405060708n, 1, 'x']],
  ['writeBigUInt64BE', [0x0102030405060708n]],
  ['writeBigUint64LE', [1n]],
  ['writeBigUint64BE', [1n]],
  ['writeBigInt64LE', [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n) - 1n, -2n]],
  ['writeBigInt64BE', [-2n, 5n]],
];
for (const [m, values] of writes) {
  for (const v of values) {
    const b = Buffer.alloc(10, 0xaa);
    t(`${m}(${typeof v === 'bigint' ? `${v}n` : String(v)})`, () => [b[m](v, 1), b]);
  }
  for (const off of [-1, 1.5, '1', 3, 9, NaN, null]) t(`${m} at ${String(off)}`, () => Buffer.alloc(10)[m](m.includes('Big') ? 1n : 1, off));
  t(`${m} default offset`, () => { const b = Buffer.alloc(8); return [b[m](m.includes('Big') ? 1n : 1), b]; });
}
for (const m of ['writeUIntLE', 'writeUIntBE', 'writeUintLE', 'writeUintBE', 'writeIntLE', 'writeIntBE']) {
  for (let n = 1; n <= 6; n++) {
    const signed = m.startsWith('writeInt');
    const max = signed ? 2 ** (8 * n - 1) - 1 : 2 ** (8 * n) - 1;
    const min = signed ? -(2 ** (8 * n - 1)) : 0;
    for (const v of [max, min, max + 1, min - 1, 0x123456789a % (max + 1), -1]) {
      const b = Buffer.alloc(8);
      t(`${m}(${v}, 1, ${n})`, () => [b[m](v, 1, n), b]);
    }
  }
  t(`${m} bl 0`, () => Buffer.alloc(8)[m](1, 0, 0));
  t(`${m} bl 7`, () => Buffer.alloc(8)[m](1, 0, 7));
  t(`${m} bl undef`, () => Buffer.alloc(8)[m](1, 0));
  t(`${m} no offset`, () => Buffer.alloc(8)[m](1, undefined, 2));
  t(`${m} oob`, () => Buffer.alloc(8)[m](1, 7, 2));
  t(`${m} off str`, () => Buffer.alloc(8)[m](1, '1', 2));
}
// round trips
const rt = Buffer.alloc(16);
for (const v of [0, 1, -1, 0.5, 123.456, -1e300, 2 ** 53, Number.MIN_VALUE, Number.MAX_VALUE]) {
  rt.writeDoubleBE(v, 3);
  rt.writeFloatLE(v, 11);
  console.log(v, rt.readDoubleBE(3), rt.readFloatLE(11));
}
for (const v of [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 12345678901234567n]) {
  rt.writeBigInt64LE(v, 2);
  rt.writeBigInt64BE(v, 8);
  console.log(v, rt.readBigInt64LE(2), rt.readBigInt64BE(8), rt.readBigUInt64LE(2));
}
// swaps
t('swap16', () => Buffer.from([1, 2, 3, 4]).swap16());
t('swap32', () => Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap32());
t('swap64', () => Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]).swap64());
t('swap16 odd', () => Buffer.from([1, 2, 3]).swap16());
t('swap32 bad', () => Buffer.from([1, 2]).swap32());
t('swap64 bad', () => Buffer.alloc(12).swap64());
const bigSwap = Buffer.alloc(256);
for (let i = 0; i < 256; i++) bigSwap[i] = i;
t('swap big', () => [bigSwap.swap16().readUInt16BE(0), bigSwap.swap32().readUInt32BE(4), bigSwap.swap64()[255]]);
t('swap ret', () => { const s = Buffer.alloc(2); return s.swap16() === s; });
// fill
const f = Buffer.alloc(10);
t('fill num', () => f.fill(1));
t('fill range', () => f.fill(2, 3, 5));
t('fill str range', () => f.fill('ab', 1, 6));
t('fill str enc', () => f.fill('6869', 'hex'));
t('fill str off enc', () => f.fill('6869', 4, 'hex'));
t('fill str off end enc', () => f.fill('YQ==', 0, 3, 'base64'));
t('fill empty range', () => f.fill(9, 5, 5));
t('fill rev range', () => f.fill(9, 6, 5));
t('fill neg', () => f.fill(1, -1));
t('fill end oob', () => f.fill(1, 0, 11));
t('fill float offset', () => f.fill(1, 1.5));
t('fill str offset', () => f.fill(1, '1'));
t('fill obj', () => f.fill({}));
t('fill sym', () => f.fill(Symbol('s')));
t('fill bigint', () => f.fill(1n));
t('fill null', () => f.fill(null));
t('fill undefined', () => f.fill());
t('fill 256', () => f.fill(256 + 65));
t('fill -1', () => f.fill(-1));
t('fill 1.5', () => f.fill(1.5));
t('fill u8', () => f.fill(new Uint8Array([1, 2, 3])));
t('fill empty u8', () => f.fill(new Uint8Array(0)));
t('fill dv', () => f.fill(new DataView(new Uint8Array([5, 6]).buffer)));
t('fill bad hex', () => f.fill('zz', 'hex'));
t('fill half hex', () => f.fill('abz', 'hex'));
t('fill utf8 cut', () => f.fill('\u20ac\u20ac\u20ac\u20ac'));
t('fill ucs2 cut', () => f.fill('\u20acx', 'ucs2'));
t('fill latin1 char', () => f.fill('\u0142', 'latin1'));
t('fill ascii char', () => f.fill('\u00e9', 'ascii'));
t('fill utf8 one', () => f.fill('\u00e9'));
t('fill enc bad', () => f.fill('a', 'nope'));
t('fill enc num', () => f.fill('a', 0, 10, 1));
t('fill ret', () => f.fill(0) === f);
