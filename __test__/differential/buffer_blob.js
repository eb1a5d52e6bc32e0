// Blob and File (require('buffer') and the globals).
const buffer = require('buffer');
console.log(Object.keys(buffer).join(' '), buffer.Blob === Blob, buffer.File === File, typeof buffer.resolveObjectURL);
const b = new Blob(['héllo', new Uint8Array([33]), new Blob(['?']), new ArrayBuffer(1), new DataView(new ArrayBuffer(2))], { type: 'Text/Plain' });
console.log(b, b.size, b.type, Object.keys(b), Object.getOwnPropertyNames(Blob.prototype), b[Symbol.toStringTag], String(b));
console.log([b], { nested: { deeper: b } }, require('util').inspect(b, { depth: -1 }));
(async () => {
  console.log('text', JSON.stringify(await b.text()));
  console.log('ab', await b.arrayBuffer());
  console.log('bytes', await b.bytes());
  console.log(b.slice(1, 3), b.slice(-2), b.slice(1, 3, 'A/B').type, JSON.stringify(b.slice(0, 10, 'a\u0001b').type), await b.slice(-3, -1).text());
  console.log(b.slice(5, 2).size, b.slice(100).size, b.slice().size, b.slice(undefined, 3).size);
  for (const bad of [null, 'str', 5, {}]) {
    try { new Blob(bad); } catch (e) { console.log(e.code, e.message); }
  }
  try { new Blob([], { endings: 'x' }); } catch (e) { console.log(e.code, e.message); }
  try { new Blob([], 5); } catch (e) { console.log(e.code, e.message); }
  console.log(new Blob(['a\r\nb\nc'], { endings: 'native' }).size, new Blob(['a\r\nb'], { endings: 'transparent' }).size,
    new Blob([{ toString() { return 'obj'; } }]).size, new Blob([1, null, undefined]).size, new Blob().size, new Blob(new Set(['ab'])).size);
  console.log(await new Blob(['\ud800']).text(), new Blob(['x'], { type: 'ü' }).type, new Blob(['x'], { type: 5 }).type);
  const f = new File(['abc'], 'name.txt', { type: 'text/plain', lastModified: 42 });
  console.log(f, f.name, f.lastModified, f.size, f instanceof Blob, Object.getOwnPropertyNames(File.prototype), f[Symbol.toStringTag]);
  try { new File(['x']); } catch (e) { console.log(e.code, e.message); }
  console.log(typeof new File([], 'x').lastModified, new File([], 'x', { lastModified: 'nope' }).lastModified);
  try { new File([], 'x', { lastModified: 5n }); } catch (e) { console.log(e.name, e.message); }
  console.log(new File([], 'a\ud800b').name, new File([], 1).name, await new File(['data'], 'f').text());
  console.log(buffer.resolveObjectURL('blob:nodedata:x'), buffer.resolveObjectURL('nope'));
  try { Object.getOwnPropertyDescriptor(Blob.prototype, 'size').get.call({}); } catch (e) { console.log(e.code, e.message); }
  try { Blob.prototype.slice.call({}); } catch (e) { console.log(e.code, e.message); }
  try { await Blob.prototype.arrayBuffer.call({}); } catch (e) { console.log(e.code, e.message); }
  try { await Blob.prototype.text.call({}); } catch (e) { console.log(e.code, e.message); }
})();
