const te = new TextEncoder();
console.log(te.encoding, te.encode('héllo 😀'), te.encode(), te.encode('\ud800'));
const buf = new Uint8Array(5); console.log(te.encodeInto('héllo', buf), buf);
console.log(te.encodeInto('😀x', new Uint8Array(3)));
const td = new TextDecoder();
console.log(td.encoding, td.fatal, td.ignoreBOM, td.decode(new Uint8Array([0xef, 0xbb, 0xbf, 104, 105])));
console.log(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 104])).length);
console.log(td.decode(new Uint8Array([0xff, 104])), td.decode(), td.decode(new Uint8Array([104, 105]).buffer));
try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { console.log(e.name, e.code, e.message); }
try { new TextDecoder('foo'); } catch (e) { console.log(e.name, e.code, e.message); }
try { td.decode('str'); } catch (e) { console.log(e.code, e.message); }
const bytes = te.encode('a😀b€c');
const sd = new TextDecoder(); let s = '';
for (const b of bytes) s += sd.decode(new Uint8Array([b]), { stream: true });
s += sd.decode(); console.log(s, s.length);
console.log(new TextDecoder(' UTF8 ').encoding, new TextDecoder('unicode-1-1-utf-8').encoding);
console.log(new TextDecoder('utf-16le').decode(new Uint8Array([104, 0, 105, 0])), new TextDecoder('latin1').decode(new Uint8Array([0xe9, 0x80])));
console.log(te, td);
console.log(btoa('hello'), btoa(''), btoa('\xff\xfe'), atob('aGVsbG8='), atob(' aGVs bG8 '), atob('aGVsbG8'));
for (const v of ['abc=d', 'a', '!!!!', 'ab==c', 'a===']) { try { console.log(JSON.stringify(atob(v))); } catch (e) { console.log(e.name, e.message, e.code); } }
try { btoa('€'); } catch (e) { console.log(e.name, e.message, e.code, e instanceof DOMException, e instanceof Error); }
try { atob(); } catch (e) { console.log(e.code, e.message); }
