// How Buffers print: console.log, util.inspect, nested, extra properties.
const buffer = require('buffer');
const { Buffer } = buffer;
console.log(Buffer.from('hi'), Buffer.alloc(0), [Buffer.from('ab')], { b: Buffer.from([255, 0]) });
console.log(Buffer.alloc(50, 1));
console.log(Buffer.alloc(51, 2));
console.log(Buffer.alloc(52, 3));
console.log(Buffer.alloc(1000).subarray(10));
const extra = Buffer.from('xyz');
extra.foo = 'bar';
extra[Symbol('tag')] = 1;
Object.defineProperty(extra, 'hidden', { value: 2, enumerable: false });
console.log(extra);
const emptyExtra = Buffer.alloc(0);
emptyExtra.x = 1;
console.log(emptyExtra);
console.log('%s|%o|%O|%j', Buffer.from('ab'), Buffer.from('ab'), Buffer.from('ab'), Buffer.from('ab'));
console.log(`${Buffer.from('template')}`, String(Buffer.from('str')), Buffer.from('plus') + '');
console.log(Buffer.from('ab').inspect(), typeof Buffer.prototype[Symbol.for('nodejs.util.inspect.custom')]);
class Sub extends Buffer {}
console.log(Object.setPrototypeOf(Buffer.from('sub'), Sub.prototype));
console.log(new Uint8Array(Buffer.from('u8')), Buffer.from(new Uint8Array([1, 2])));
buffer.INSPECT_MAX_BYTES = 3;
console.log(Buffer.from('abcdef'), buffer.INSPECT_MAX_BYTES);
try { buffer.INSPECT_MAX_BYTES = -1; } catch (e) { console.log(e.code, e.message); }
try { buffer.INSPECT_MAX_BYTES = 'x'; } catch (e) { console.log(e.code, e.message); }
buffer.INSPECT_MAX_BYTES = 50;
console.log(Object.keys(buffer).filter((k) => !['Blob', 'File', 'resolveObjectURL'].includes(k)));
console.log(buffer.constants, buffer.kMaxLength === buffer.constants.MAX_LENGTH);
console.log(buffer.atob('aGk='), buffer.btoa('hi'), buffer.atob === atob, buffer.btoa === btoa);
console.log(buffer.isUtf8(Buffer.from('héllo')), buffer.isUtf8(Buffer.from([0xff])), buffer.isUtf8(Buffer.from([0xe2, 0x82])),
  buffer.isUtf8(Buffer.from([0xed, 0xa0, 0x80])), buffer.isUtf8(Buffer.from([0xc0, 0x80])), buffer.isUtf8(new ArrayBuffer(2)),
  buffer.isUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80])), buffer.isUtf8(Buffer.from('😀')), buffer.isUtf8(new Uint16Array([0x41])));
console.log(buffer.isAscii(Buffer.from('abc')), buffer.isAscii(Buffer.from('é')), buffer.isAscii(new ArrayBuffer(1)));
for (const bad of [5, 'str', null, {}]) {
  try { buffer.isUtf8(bad); } catch (e) { console.log(e.code, e.message); }
  try { buffer.isAscii(bad); } catch (e) { console.log(e.code, e.message); }
}
console.log(require('node:buffer') === buffer, require('node:buffer').Buffer === Buffer);
console.log(Object.prototype.toString.call(Buffer.from('x')), Buffer.from('x')[Symbol.toStringTag]);
console.log(Buffer.from('€').toJSON(), JSON.parse(JSON.stringify(Buffer.from('round')), (k, v) => (v && v.type === 'Buffer' ? Buffer.from(v) : v)));
const unpooled = Buffer.alloc(3, 'a');
unpooled.foo = 1;
Object.defineProperty(unpooled, 'hidden', { value: 2, enumerable: false });
console.dir(unpooled, { showHidden: true });
console.dir({ deep: { deeper: { deepest: Buffer.from('x') } } }, { depth: 0 });
console.dir({ deep: { deeper: Buffer.from('x') } }, { depth: 1 });
console.log('%d %i %f', Buffer.from('1'), Buffer.from('2'), Buffer.from('3'));
console.log(Buffer.from('x'));
