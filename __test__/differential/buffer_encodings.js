// Every encoding both ways, with Node's lenient decoding rules.
const { Buffer } = require('buffer');
const t = (label, f) => {
  try { console.log(label, f()); } catch (e) { console.log(label, 'threw', e.name, e.code, e.message); }
};
const encs = ['utf8', 'utf-8', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le', 'latin1', 'binary', 'ascii', 'base64', 'base64url', 'hex', 'UTF8', 'Hex', 'BASE64'];
const strings = ['', 'a', 'hello world', 'héllo wörld', '\u20ac\u00ff\u0100', '😀 emoji 🎉', '\ud800', 'a\udc00b', '\ud83d', 'x\ud83dy',
  '\u0000\u0001\u007f\u0080', 'aGVsbG8gd29ybGQ=', 'aGVsbG8', 'deadBEEF', 'abc', 'zz', 'a b\nc\td', 'YQ==YQ==', '-_-_', '+/+/', 'Ł\u0141ŁŁ'];
for (const enc of encs) {
  for (const s of strings) {
    const b = Buffer.from(s, enc);
    console.log(enc, JSON.stringify(s), b, JSON.stringify(b.toString(enc)), Buffer.byteLength(s, enc));
  }
}

// bytes through every decoder
const bytes = Buffer.from([0x00, 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xf4, 0x90, 0x80, 0x80, 0x41]);
for (const enc of encs) t(enc, () => JSON.stringify(bytes.toString(enc)));
for (let n = 0; n <= 7; n++) {
  const part = bytes.subarray(0, n);
  console.log(n, part.toString('base64'), part.toString('base64url'), part.toString('hex'), JSON.stringify(part.toString('utf8')),
    JSON.stringify(part.toString('ucs2')));
}
// truncated utf8 sequences and invalid bytes
for (const arr of [[0xe2], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3], [0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xed, 0xbf, 0xbf],
  [0xef, 0xbb, 0xbf, 0x41], [0xe2, 0x41, 0x82], [0xf0, 0x80, 0x80, 0x80], [0xc1, 0xbf]]) {
  console.log(arr, JSON.stringify(Buffer.from(arr).toString()), JSON.stringify(Buffer.from(arr).toString('utf8', 1)));
}

// lenient base64
for (const s of ['YWJj', 'YWJ', 'YW', 'Y', 'YWJjZA', 'YWJjZA=', 'YWJjZA==', 'YWJjZA===', '=YWJj', 'YW=Jj', 'Y W J j', 'YWJj\n\nZGVm',
  'YWJj*ZGVm', 'YW Jj ZG Vm ', '!!!!', '', '====', 'YQ', 'YQ=', 'Y-_j', 'Y+/j', 'YWJj\u00e9ZA', 'YWJj\u0100ZA', 'YWJj\u013dZA',
  '  YWJj', 'Y\tW\rJ\fj', 'YWJjZGVmZ2hpamtsbW5vcA==']) {
  console.log(JSON.stringify(s), Buffer.from(s, 'base64'), Buffer.from(s, 'base64url'));
}
// lenient hex
for (const s of ['00ff', '00FF', '0g', 'a', 'abc', 'abcz', 'zzab', 'ab cd', '0x12', '', 'ab\u0100c', 'ab\u0141c', '1234567890abcdefABCDEF']) {
  console.log(JSON.stringify(s), Buffer.from(s, 'hex'));
}
// one-byte encodings keep the low byte
t('latin1', () => Buffer.from('\u00e9\u0100\u0141\uffff', 'latin1'));
t('ascii', () => Buffer.from('\u00e9\u0100\u0141\uffff', 'ascii'));
t('ascii decode', () => JSON.stringify(Buffer.from([0x41, 0xc1, 0xff, 0x80]).toString('ascii')));
t('ucs2 odd', () => JSON.stringify(Buffer.from([0x41, 0x00, 0x42]).toString('ucs2')));
t('ucs2 surrogates', () => Buffer.from('\ud83d\ude00\udc00', 'utf16le'));

// toString ranges
const r = Buffer.from('0123456789');
t('ranges', () => [r.toString('utf8', 2), r.toString('utf8', 2, 5), r.toString(undefined, 3, 4), r.toString('hex', 8),
  r.toString('utf8', -5, 3), r.toString('utf8', 5, 2), r.toString('utf8', 20), r.toString('utf8', 0, 100), r.toString('utf8', '2', '4'),
  r.toString('utf8', 1.5, 3.5), r.toString('utf8', NaN, NaN), r.toString('utf8', null, null), r.toString('utf8', undefined, 2),
  r.toString('utf8', 0, -1), r.toString('latin1', 2 ** 32 + 1), r.toString('latin1', 0, 2 ** 32 + 1), r.toString('utf8', true, 3)]);
t('toString bad enc', () => r.toString('bogus'));
t('toString null enc', () => r.toString(null));
t('toString empty enc', () => r.toString(''));
t('toString num enc', () => r.toString(5));
t('toString enc obj', () => r.toString({ toString() { return 'hex'; } }));
t('toLocaleString', () => r.toLocaleString('hex'));
t('from bad enc', () => Buffer.from('x', 'bogus'));
t('from empty bad enc', () => Buffer.from('', 'bogus'));
t('from num enc', () => Buffer.from('abc', 5));
t('from empty enc', () => Buffer.from('abc', ''));

// write
const w = Buffer.alloc(10);
t('write', () => [w.write('héllo'), w]);
t('write off', () => [w.write('ab', 8), w]);
t('write clip', () => [w.write('abcdef', 7), w]);
t('write len', () => [w.write('xyz', 0, 2), w]);
t('write enc', () => [w.write('ffee', 'hex'), w]);
t('write off enc', () => [w.write('ffee', 2, 'hex'), w]);
t('write off len enc', () => [w.write('aabbccdd', 1, 2, 'hex'), w]);
t('write bad hex', () => [w.write('zz', 'hex'), w.write('aazz', 'hex')]);
t('write base64', () => [w.write('YWJjZGVm', 4, 'base64'), w]);
t('write ucs2', () => [w.write('abc', 3, 'ucs2'), w]);
t('write ucs2 odd', () => [w.write('abc', 5, 3, 'ucs2'), w]);
t('write latin1', () => [w.write('\u00ff\u0141', 'latin1'), w]);
t('write utf8 partial', () => [Buffer.alloc(5).write('€€'), Buffer.alloc(3).write('😀'), Buffer.alloc(4).write('a😀'),
  Buffer.alloc(5).write('a😀'), Buffer.alloc(2).write('\ud800'), Buffer.alloc(3).write('\ud800x'), Buffer.alloc(6).write('ab\ud83d')]);
t('write empty', () => w.write(''));
t('write oob', () => w.write('a', 11));
t('write neg', () => w.write('a', -1));
t('write float', () => w.write('a', 1.5));
t('write len oob', () => w.write('a', 0, 11));
t('write len neg', () => w.write('a', 0, -1));
t('write non-string', () => w.write(5));
t('write obj', () => w.write({}, 0));
t('write enc bad', () => w.write('a', 0, 1, 'bogus'));
t('write enc num', () => w.write('a', 0, 1, 7));
t('write enc null', () => w.write('a', 0, 1, null));
t('write offset str len', () => w.write('a', 'hex', 1));
t('write at end', () => w.write('a', 10));

// the public per-encoding slices/writes
const p = Buffer.from('hello');
t('slices', () => [p.utf8Slice(1, 3), p.latin1Slice(), p.asciiSlice(2), p.hexSlice(0, 2), p.base64Slice(), p.base64urlSlice(1), p.ucs2Slice(0, 4)]);
t('slice oob', () => p.hexSlice(0, 6));
t('slice neg', () => p.hexSlice(-1));
t('slice rev', () => p.hexSlice(3, 1));
t('slice str', () => p.hexSlice('1', '3'));
t('slice start oob', () => p.hexSlice(6));
t('writes', () => { const x = Buffer.alloc(6); return [x.utf8Write('ab'), x.hexWrite('ff', 2), x.latin1Write('z', 3, 1), x.ucs2Write('q', 4), x]; });
t('utf8Write oob', () => Buffer.alloc(2).utf8Write('a', 3));
t('utf8Write long', () => Buffer.alloc(2).utf8Write('abc', 1, 10));
t('utf8Write non-string', () => Buffer.alloc(2).utf8Write(1));

// large round trips
const big = Buffer.alloc(100000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
for (const enc of ['hex', 'base64', 'base64url', 'latin1', 'ucs2']) {
  const s = big.toString(enc);
  console.log(enc, s.length, Buffer.from(s, enc).equals(big));
}
const bigText = 'héllo wörld 😀 '.repeat(5000);
console.log(Buffer.from(bigText).length, Buffer.from(bigText).toString() === bigText, Buffer.byteLength(bigText));

// long inputs (the host does these) with the same lenient rules
const long64 = Buffer.alloc(600, 'xyz').toString('base64');
for (const s of [long64, long64.replace(/(.{76})/g, '$1\r\n'), `${long64.slice(0, 300)}=${long64.slice(300)}`,
  `${long64.slice(0, 301)}*!${long64.slice(301)}`, `${long64.slice(0, 400)}\u0141\u0100${long64.slice(400)}`,
  `${long64.slice(0, 400)}\ud800${long64.slice(400)}`, long64.replace(/\+/g, '-').replace(/\//g, '_'), long64.slice(0, 401)]) {
  const b = Buffer.from(s, 'base64');
  console.log(s.length, b.length, b.toString('hex').slice(-12), Buffer.from(s, 'base64url').equals(b), Buffer.byteLength(s, 'base64'));
}
const longHex = Buffer.alloc(300, 'hex!').toString('hex');
for (const s of [longHex, longHex.toUpperCase(), `${longHex.slice(0, 400)}zz${longHex.slice(400)}`, `${longHex.slice(0, 401)}`,
  `${longHex.slice(0, 350)}\u0141${longHex.slice(350)}`, `${longHex.slice(0, 350)}\udc00${longHex.slice(350)}`]) {
  const b = Buffer.from(s, 'hex');
  console.log(s.length, b.length, b.toString('hex').slice(-12));
}
const wr = Buffer.alloc(100);
console.log(wr.write(longHex, 10, 'hex'), wr.write(long64, 95, 'base64'), wr.toString('base64'));
console.log(Buffer.alloc(1000, 'é😀').toString('base64url').slice(-20), Buffer.alloc(257, 1).toString('hex').length);
