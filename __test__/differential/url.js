const u = new URL('https://user:pw@example.com:8080/a/b?x=1&y=2#frag');
console.log(u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash);
console.log(u);
console.log(String(u), JSON.stringify({ u }), u.searchParams.get('x'), u.searchParams.size);
u.searchParams.append('z', 'a b&c');
console.log(u.search, u.href);
u.search = '?q=1';
console.log(u.searchParams.get('q'), [...u.searchParams]);
u.searchParams.delete('q');
console.log(u.href, u.search);
u.pathname = '/new path'; u.hash = 'h2'; u.port = '443'; console.log(u.href);
u.href = 'http://other.org/'; console.log(u.href, u.searchParams.size);
try { new URL('not a url'); } catch (e) { console.log(e.name, e.code, e.message, e.input, e.base); }
try { new URL('/rel', 'bad base'); } catch (e) { console.log(e.code, e.input, e.base); }
try { u.href = 'bad'; } catch (e) { console.log(e.code, e.input); }
console.log(URL.canParse('http://x'), URL.canParse('nope'), URL.canParse('/p', 'http://base'));
console.log(new URL('/p?a', 'http://base.com/x/y').href, new URL('file:///tmp/x').pathname);
const p = new URLSearchParams('a=1&b=2&a=3&c=%20x+y&d');
console.log(p.getAll('a'), p.get('c'), p.get('d'), p.get('none'), p.has('b'), p.has('a', '3'), p.toString());
p.set('a', 'new'); p.sort(); console.log(p.toString(), p.size);
console.log(new URLSearchParams({ k: 'v', 'sp ace': 'é€' }).toString(), new URLSearchParams([['x', '1'], ['y', '2']]).toString());
console.log(new URLSearchParams('?leading=1').toString(), new URLSearchParams(new Map([['m', 'n']])).toString());
p.forEach((v, k) => console.log('fe', k, v));
console.log([...p.keys()], [...p.values()], [...p.entries()]);
console.log(p, new URLSearchParams());
try { new URLSearchParams([[1]]); } catch (e) { console.log(e.code, e.message); }
try { p.append('x'); } catch (e) { console.log(e.code, e.message); }
console.log(new URLSearchParams('a=~!*()\'').toString());
