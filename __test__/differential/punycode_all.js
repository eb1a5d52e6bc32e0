// The deprecated punycode module (no warning in Node 20 by default).
const punycode = require('punycode');
console.log(Object.keys(punycode).join(' '), punycode.version, Object.keys(punycode.ucs2).join(' '));
console.log(require('node:punycode') === punycode);
for (const s of ['mañana', 'bücher', '☃-⌘', 'ü', 'abc', '', 'Willst du die Blüthe des frühen, die Früchte des späteren Jahres', '😀', 'ドメイン名例', 'MajiでKoiする5秒前']) {
  const enc = punycode.encode(s);
  console.log(JSON.stringify(s), enc, punycode.decode(enc) === s);
}
for (const s of ['maana-pta', 'bcher-kva', 'tda', 'abc-', 'ZZZZZZZ', 'a-b-c', 'xn--', '-', '99999999', 'ü-x']) {
  try { console.log(JSON.stringify(s), JSON.stringify(punycode.decode(s))); } catch (e) { console.log(JSON.stringify(s), e.name, e.message); }
}
for (const d of ['mañana.com', 'xn--maana-pta.com', 'user@mañana.com', 'a@b@mañana', 'ü.ü。ü．ü｡x', 'EXAMPLE.com', '☃.net', '']) {
  console.log(JSON.stringify(d), punycode.toASCII(d), punycode.toUnicode(punycode.toASCII(d)));
}
for (const d of ['xn--MAANA-PTA.com', 'xn--zz.com', 'xn--.x']) {
  try { console.log(punycode.toUnicode(d)); } catch (e) { console.log(e.name, e.message); }
}
console.log(punycode.ucs2.decode('a😀\ud800b\udc00'), punycode.ucs2.encode([97, 0x1f600, 0xd800]));
try { punycode.ucs2.encode([0x110000]); } catch (e) { console.log(e.name, e.message); }
