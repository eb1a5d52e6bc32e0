// url.parse() with its quirks: every field of the Url it returns.
const url = require('url');
const inputs = [
  'http://user:pass@host.com:8080/p/a/t/h?query=string#hash',
  'HTTP://EXAMPLE.COM/Path?Q=1#H',
  'https://example.com',
  'http://a@b@c/d',
  'http://a@b?@c',
  'http://x.com:/path',
  'http://[::1]:3000/ipv6?x',
  'http://[fe80::1%25en0]/',
  '//host/path',
  '/just/a/path?x=1&y=2',
  '/path with spaces?q=a b',
  'relative/path#frag',
  '?only=query',
  '#only-hash',
  'mailto:someone@example.com',
  'javascript:alert("hi")',
  'file:///etc/passwd',
  'file://localhost/etc/hosts',
  'file:relative',
  'ftp://ftp.example.com/pub/file.txt',
  'ws://socket.example.com:9000/chat',
  'git+ssh://git@github.com:user/repo.git',
  'http://\\\\backslash\\path\\here?q=\\',
  '  http://trimmed.com/  ',
  'http://tab\there.com/',
  'http://example.com/a"b<c>d`e{f}g|h^i\'j',
  'http://mañana.com/ü',
  'http://ExAmPlE.CoM:0080/',
  'http://example.com:abc/',
  'http://' + 'a'.repeat(300) + '.com/',
  'http://a.com/%7e?%7e#%7e',
  'http://a.com/p?a=1&a=2&b=%20c+d',
  'http://user%40name:p%3Ass@host/',
  'HTTP://ex.com/#a#b?c',
  'http://ex.com?#',
  'foo:bar',
  'foo://bar/baz',
  'http:no-slashes',
  'http:/one-slash',
  'urn:isbn:0451450523',
  '',
  '   ',
  'http://a.com/\u0000null',
  'http://x.y/\ud83d\ude00',
];
for (const input of inputs) {
  console.log(JSON.stringify(input));
  try { console.log(url.parse(input)); } catch (e) { console.log(e.code, e.message, e.input); }
}
console.log(url.parse('http://a.com/?a=1&b=2&a=3', true).query);
console.log(url.parse('http://a.com/', true).query, url.parse('/x', true).query, url.parse('/x?', true));
console.log(url.parse('//host/path', false, true));
console.log(url.parse('//host/path?x=1', true, true));
const u = url.parse('http://x.com');
console.log(u instanceof url.Url, url.parse(u) === u, typeof url.Url.prototype.parse);
for (const bad of [undefined, null, 1, {}]) {
  try { url.parse(bad); } catch (e) { console.log(e.code, e.message); }
}
for (const bad of ['http://xn--iñvalid.com/', 'http://\u00ad/']) {
  try { console.log(url.parse(bad)); } catch (e) { console.log(e.code, e.message, e.input); }
}
