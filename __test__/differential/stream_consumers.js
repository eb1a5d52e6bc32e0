// stream/consumers over Node streams, web streams and async iterables.
const { Readable } = require('stream');
const c = require('stream/consumers');
console.log(Object.keys(c));
(async () => {
  console.log(await c.text(Readable.from(['h\u00e9', Buffer.from([0xe2, 0x82]), Buffer.from([0xac])])));
  console.log(await c.json(Readable.from(['{"a":', '[1, 2]}'])));
  const b = await c.buffer(new ReadableStream({ start(ctl) { ctl.enqueue(new Uint8Array([1, 2])); ctl.enqueue(new Uint8Array([3])); ctl.close(); } }));
  console.log(b, Buffer.isBuffer(b));
  const ab = await c.arrayBuffer((async function* () { yield new Uint8Array([9, 8]); yield Buffer.from('7'); })());
  console.log(ab, ab.byteLength);
  try { await c.json(Readable.from(['{bad'])); } catch (e) { console.log(e.name); }
  // Blobs: consumed into one, and streamed out.
  const blob = await c.blob(Readable.from(['b1', Buffer.from('b2')]));
  console.log(blob, await blob.text());
  const s = new Blob(['x'.repeat(70000)]).stream();
  console.log(s);
  const sizes = [];
  for await (const chunk of s) sizes.push(chunk.constructor.name, chunk.length);
  console.log(sizes, await c.text(new Blob(['via stream']).stream()));
})();
