const cases = [['http://EXAMPLE.com:80/a/../b/./c?q#h'], ['https://xn--nxasmq6b.com/'], ['http://[::1]:3000/'], ['mailto:a@b.c'], ['data:text/plain,hi'], ['blob:https://a.com/uuid'], ['http://a.com/ path'], ['http://a.com/?q=a b'], ['//x.com/p', 'https://base.com'], ['../up', 'http://h.com/a/b/c'], ['?only', 'http://h.com/p?old#f'], ['#frag', 'http://h.com/p?q'], ['http://u:p@h.com'], ['HTTP://H.COM'], ['http://h.com:65536'], ['javascript:alert(1)'], ['file:///C:/x'], ['http://1.2.3.4/'], ['http://0x7f.1/']];
for (const [i, b] of cases) {
  try { const u = new URL(i, b); console.log(u.href, u.origin, u.host, u.pathname, u.search, u.hash); } catch (e) { console.log('ERR', i, e.code); }
}
const u = new URL('http://a.com/p?x=1');
const sp = u.searchParams;
sp.set('y', 'é ü');
console.log(u.href);
u.hash = '#'; console.log(u.href);
u.search = ''; console.log(u.href, sp.size, [...sp]);
sp.append('a', '1'); console.log(u.href);
u.protocol = 'https'; u.username = 'me'; u.password = 'secret'; u.host = 'b.org:81'; console.log(u.href);
u.hostname = 'c.net'; u.port = ''; console.log(u.href, u.toJSON());
console.log(Object.keys(URL.prototype), Object.prototype.toString.call(u), u instanceof URL);
const p = new URLSearchParams('b=2&a=1&a=0&c');
p.sort(); console.log(p.toString());
p.delete('a', '1'); console.log(p.toString());
console.log(new URLSearchParams('%zz=%41%42&%e2%82%ac=%F0%9F%98%80').toString(), [...new URLSearchParams('%zz=%41%42&%e2%82%ac=%ff')]);
console.log(new URLSearchParams({ a: undefined, b: null, c: [1, 2] }).toString());
console.log(Object.prototype.toString.call(p), Object.prototype.toString.call(p.keys()), typeof p[Symbol.iterator]);
