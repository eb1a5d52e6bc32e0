// domainToASCII/Unicode, pathToFileURL, fileURLToPath, urlToHttpOptions.
const url = require('url');
console.log(Object.keys(url).join(' '), url.URL === URL, url.URLSearchParams === URLSearchParams);
for (const d of ['español.com', 'xn--espaol-zwa.com', 'EXAMPLE.com', 'xn--iñvalid.com', '', 'a b', '127.0.0.1', '0x7f.1',
  '[::1]', 'a..b', 'münchen.de', 'xn--mnchen-3ya.de', 'ex.com:80', 'a/b', '_under.score', 'x'.repeat(70) + '.com']) {
  console.log(JSON.stringify(d), JSON.stringify(url.domainToASCII(d)), JSON.stringify(url.domainToUnicode(d)));
}
try { url.domainToASCII(); } catch (e) { console.log(e.code, e.message); }
try { url.domainToUnicode(); } catch (e) { console.log(e.code, e.message); }
console.log(url.domainToASCII(5), url.domainToASCII(null));
for (const p of ['/tmp/file.txt', '/tmp/dir/', '/with space/#hash?q%25[x]^|~"', '/ünï/cödé', '/a\\b', '/a\nb\tc\rd']) {
  console.log(url.pathToFileURL(p).href);
}
console.log(url.pathToFileURL('/x', { windows: false }).href);
console.log(url.pathToFileURL('C:\\foo\\bar', { windows: true }).href);
console.log(url.pathToFileURL('C:\\foo\\', { windows: true }).href);
console.log(url.pathToFileURL('\\\\server\\share\\file', { windows: true }).href);
console.log(url.pathToFileURL('\\\\?\\UNC\\server\\share\\x', { windows: true }).href);
for (const bad of ['\\\\server', '\\\\\\x']) {
  try { url.pathToFileURL(bad, { windows: true }); } catch (e) { console.log(e.code, e.message); }
}
try { url.pathToFileURL(1); } catch (e) { console.log(e.code, e.message); }
for (const u of ['file:///tmp/a%20b', new URL('file:///x/%C3%BC'), 'file://localhost/etc', 'file:///a/%2f', 'file://host/x', 'http://x/', 'file:///']) {
  try { console.log(url.fileURLToPath(u)); } catch (e) { console.log(e.code, e.message); }
}
for (const u of ['file:///C:/path/to', 'file://server/share/x', 'file:///no/drive', 'file:///C:/a%5Cb', 'file://xn--espaol-zwa.com/x']) {
  try { console.log(url.fileURLToPath(u, { windows: true })); } catch (e) { console.log(e.code, e.message); }
}
for (const bad of [1, {}, null]) {
  try { url.fileURLToPath(bad); } catch (e) { console.log(e.code, e.message); }
}
console.log(url.urlToHttpOptions(new URL('https://a:b%20c@[::1]:8443/p/q?x=1#h')));
console.log(url.urlToHttpOptions(new URL('http://example.com/')));
const custom = Object.assign(new URL('http://h/'), { extra: 1 });
console.log(url.urlToHttpOptions(custom).extra);
