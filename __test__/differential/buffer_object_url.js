// URL.createObjectURL/revokeObjectURL and buffer.resolveObjectURL, URL.parse.
const { resolveObjectURL } = require('buffer');
const b = new Blob(['data'], { type: 'text/x' });
const u = URL.createObjectURL(b);
console.log(/^blob:nodedata:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u));
const r = resolveObjectURL(u);
console.log(r, r === b, resolveObjectURL(u.replace('nodedata', 'other')), resolveObjectURL('garbage'));
r.text().then((t) => console.log(t));
URL.revokeObjectURL(u);
console.log(resolveObjectURL(u), URL.revokeObjectURL('nonsense'));
for (const bad of ['x', {}, null]) { try { URL.createObjectURL(bad); } catch (e) { console.log(e.code, e.message); } }
try { URL.revokeObjectURL(); } catch (e) { console.log(e.code, e.message); }
console.log(URL.parse('x'), URL.parse('/p', 'http://h').href, URL.parse('http://a b'), Object.keys(URL));
try { URL.parse(); } catch (e) { console.log(e.code, e.message); }
