// url.format() of Url objects, plain objects, strings and WHATWG URLs.
const url = require('url');
const objects = [
  { protocol: 'http', host: 'example.com', pathname: '/a/b', search: '?x=1', hash: 'h' },
  { protocol: 'https:', hostname: 'example.com', port: 8080, pathname: 'no-slash', query: { a: 1, b: [2, 3], c: 'd e' } },
  { protocol: 'mailto', pathname: 'x@y.com' },
  { protocol: 'mailto', slashes: true, host: 'x' },
  { protocol: 'file', pathname: '/etc/hosts' },
  { protocol: 'file:', host: '', pathname: '/etc/hosts' },
  { hostname: '::1', port: 80, pathname: '/' },
  { hostname: '[::1]', pathname: '/' },
  { auth: 'user:p@ss w', host: 'h.com' },
  { pathname: '/a?b#c', search: 'q=1#x' },
  { query: 'ignored string', search: '' },
  { host: 'h', hostname: 'ignored', port: 99 },
  { protocol: 'javascript', pathname: 'alert(1)' },
  { protocol: 'custom', host: 'h', pathname: 'p' },
  { protocol: 'HTTP', host: 'h' },
  {},
];
for (const o of objects) console.log(JSON.stringify(o), '=>', url.format(o));
console.log(url.format('http://example.com:80/a b?c=d#e f'));
console.log(url.format(url.parse('http://user:pw@h.com:81/p?q#f')));
const w = new URL('https://user:pass@mañana.example:8443/path?query=1#frag');
console.log(url.format(w));
console.log(url.format(w, { fragment: false }));
console.log(url.format(w, { unicode: true }));
console.log(url.format(w, { search: false, auth: false }));
console.log(url.format(w, { fragment: 0, unicode: 1, search: '', auth: null }));
console.log(url.format(new URL('mailto:a@b.c'), { unicode: true }));
console.log(url.format(new URL('file:///x/y'), { unicode: true, auth: false }));
console.log(url.format(new URL('http://[::1]:3000/'), { unicode: true }));
for (const bad of [undefined, null, 1, true]) {
  try { url.format(bad); } catch (e) { console.log(e.code, e.message); }
}
try { url.format(w, 'x'); } catch (e) { console.log(e.code, e.message); }
