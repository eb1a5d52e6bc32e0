// util.MIMEType and util.MIMEParams.
const { MIMEType, MIMEParams } = require('util');
const inputs = ['text/html', 'Text/HTML; Charset="utf-8"; a=b;bad;c="q\\"x"', ' \t application/json ; charset=UTF-8 ',
  'image/svg+xml;;;x=1;x=2;Y=3', 'a/b; k="unterminated', 'a/b; k="trailing\\', 'a/b;k=;j="";=v;w = x', 'multipart/form-data; boundary=----x'];
for (const s of inputs) {
  const m = new MIMEType(s);
  console.log(JSON.stringify(s), m.type, m.subtype, m.essence, String(m), JSON.stringify(m), [...m.params], [...m.params.keys()], [...m.params.values()]);
}
for (const s of ['text', '/x', 'te xt/html', 'text/', 'text/ht ml', '', 'ü/x']) {
  try { new MIMEType(s); } catch (e) { console.log(e.name, e.code, e.message); }
}
const m = new MIMEType('text/plain;charset=ascii');
m.type = 'APPLICATION';
m.subtype = 'X-Thing';
m.params.set('charset', 'utf-8');
m.params.set('name', 'has space');
m.params.set('empty', '');
m.params.delete('nope');
console.log(String(m), m.params.has('charset'), m.params.get('charset'), m.params.get('missing'), m, m.params);
for (const f of [() => { m.type = ''; }, () => { m.subtype = 'a b'; }, () => m.params.set('', 'x'), () => m.params.set('a b', 'x'), () => m.params.set('k', 'v\u0100')]) {
  try { f(); } catch (e) { console.log(e.code, e.message); }
}
const p = new MIMEParams();
p.set('a', '1');
console.log(String(p), JSON.stringify(p), [...p.entries()], typeof p[Symbol.iterator]);
