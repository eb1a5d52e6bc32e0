const bytes = new TextEncoder().encode('x€😀y\u00e9');
for (let split = 0; split <= bytes.length; split++) {
  const d = new TextDecoder();
  const a = d.decode(bytes.subarray(0, split), { stream: true });
  const b = d.decode(bytes.subarray(split));
  process.stdout.write(JSON.stringify(a + b) + ' ');
}
console.log();
const d = new TextDecoder();
console.log(JSON.stringify(d.decode(new Uint8Array([0xf0, 0x9f]), { stream: true })), JSON.stringify(d.decode()));
console.log(JSON.stringify(new TextDecoder().decode(new Uint8Array([0xe0, 0x80, 0x41]))));
const bom = new TextDecoder();
console.log(bom.decode(new Uint8Array([0xef, 0xbb]), { stream: true }).length, bom.decode(new Uint8Array([0xbf, 0x41]), { stream: true }), bom.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x42])).length);
const u16 = new TextDecoder('utf-16le');
console.log(u16.decode(new Uint8Array([0x3d, 0xd8]), { stream: true }) + u16.decode(new Uint8Array([0x00, 0xde])));
console.log(JSON.stringify(new TextDecoder('utf-16le').decode(new Uint8Array([0x41, 0x00, 0x42]))));
try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xc3])); } catch (e) { console.log(e.code); }
const fd = new TextDecoder('utf-8', { fatal: true });
console.log(fd.decode(new Uint8Array([0xc3]), { stream: true }) === '', fd.decode(new Uint8Array([0xa9])));
console.log(new TextDecoder().decode(new Uint16Array([0x6968])), new TextDecoder().decode(new DataView(new Uint8Array([0x6f, 0x6b]).buffer)));
