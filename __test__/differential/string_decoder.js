// node:string_decoder: characters split across chunks, every encoding,
// end() with leftovers, the lastChar/lastNeed/lastTotal state.
const { StringDecoder } = require('string_decoder');
const t = (label, f) => {
  try { console.log(label, JSON.stringify(f())); } catch (e) { console.log(label, 'threw', e.name, e.code, e.message); }
};
console.log(Object.keys(require('string_decoder')), require('node:string_decoder').StringDecoder === StringDecoder);
console.log(new StringDecoder(), new StringDecoder('hex'), new StringDecoder('UCS2').encoding, new StringDecoder('binary').encoding,
  new StringDecoder('Base64URL').encoding, new StringDecoder(null).encoding, new StringDecoder('').encoding);
console.log(Object.getOwnPropertyNames(StringDecoder.prototype), Object.keys(new StringDecoder()));
t('bad enc', () => new StringDecoder('utf-16'));
t('num enc', () => new StringDecoder(5));

// Feeds `bytes` in every split into two (and one byte at a time), per encoding.
function feed(enc, bytes) {
  const whole = new StringDecoder(enc);
  const expect = whole.write(Buffer.from(bytes)) + whole.end();
  const out = [JSON.stringify(expect)];
  for (let cut = 1; cut < bytes.length; cut++) {
    const d = new StringDecoder(enc);
    const a = d.write(Buffer.from(bytes.slice(0, cut)));
    const state = [d.lastNeed, d.lastTotal, d.lastChar.toString('hex')];
    const b = d.write(Buffer.from(bytes.slice(cut)));
    out.push(`${cut}:${JSON.stringify(a)}+${JSON.stringify(b)}+${JSON.stringify(d.end())}${JSON.stringify(state)}`);
  }
  const d = new StringDecoder(enc);
  let one = '';
  for (const b of bytes) one += d.write(Buffer.from([b])) + '|';
  out.push(`bytewise:${JSON.stringify(one + d.end())}`);
  console.log(enc, Buffer.from(bytes).toString('hex'), out.join(' '));
}
const samples = [
  [0x61, 0xc3, 0xa9, 0x62], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80, 0x21], [0xe2, 0x41, 0x82], [0xc3], [0xe2, 0x82],
  [0xf0, 0x9f, 0x98], [0x80, 0x80, 0x41], [0xff, 0xfe, 0x41], [0xf8, 0x88, 0x80, 0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80],
  [0x61, 0x00, 0x62, 0x00], [0x3d, 0xd8, 0x00, 0xde, 0x41, 0x00], [0x00, 0xd8, 0x41, 0x00], [0x61, 0x00, 0x62],
  [1, 2, 3, 4, 5], [0xfb, 0xff, 0xbf, 0x00], [0xe2, 0x82, 0xac, 0xe2, 0x82, 0xac, 0xe2],
];
for (const enc of ['utf8', 'utf16le', 'base64', 'base64url', 'hex', 'latin1', 'ascii']) {
  for (const s of samples) feed(enc, s);
}
// end() leftovers and reuse after end
const d = new StringDecoder('utf8');
t('partial then end', () => [d.write(Buffer.from([0xe2, 0x82])), d.lastNeed, d.lastTotal, d.end(), d.lastNeed, d.write(Buffer.from('ok'))]);
t('end with buf', () => new StringDecoder('utf8').end(Buffer.from([0x61, 0xe2])));
t('end ucs2 odd', () => { const u = new StringDecoder('utf16le'); return [u.write(Buffer.from([0x61])), u.end()]; });
t('end ucs2 lead', () => { const u = new StringDecoder('utf16le'); return [u.write(Buffer.from([0x3d, 0xd8])), u.end()]; });
t('end base64', () => { const u = new StringDecoder('base64'); return [u.write(Buffer.from([1, 2, 3, 4])), u.end()]; });
t('end base64url', () => { const u = new StringDecoder('base64url'); return [u.write(Buffer.from([0xfb, 0xff])), u.end()]; });
t('write string', () => new StringDecoder().write('str'));
t('write u16', () => new StringDecoder().write(new Uint16Array([0x4241])));
t('write dataview', () => new StringDecoder('hex').write(new DataView(new Uint8Array([1, 2, 3]).buffer, 1)));
t('write empty', () => new StringDecoder().write(Buffer.alloc(0)));
t('write bad', () => new StringDecoder().write(5));
t('write array', () => new StringDecoder().write([1, 2]));
t('write no arg', () => new StringDecoder().write());
t('end bad', () => new StringDecoder().end(5));
t('text', () => { const x = new StringDecoder('utf8'); x.write(Buffer.from([0xe2])); return x.text(Buffer.from('héllo'), 1); });
t('text split', () => new StringDecoder('utf8').text(Buffer.from('€x'), 1));
t('lastChar', () => { const x = new StringDecoder('utf8'); x.write(Buffer.from([0xf0, 0x9f])); return [x.lastChar, x.lastNeed, x.lastTotal]; });
t('wrong this', () => StringDecoder.prototype.write.call({}, Buffer.from('a')));
const big = Buffer.from('日本語テキスト😀'.repeat(300));
let out = '';
const chunked = new StringDecoder('utf8');
for (let i = 0; i < big.length; i += 7) out += chunked.write(big.subarray(i, i + 7));
out += chunked.end();
console.log(out === big.toString(), out.length);
const state = new StringDecoder('utf8');
state.write(Buffer.from([0xe2, 0x82]));
console.log(state);
