// Error objects Buffer throws: class, code, message, name and toString,
// then an uncaught one as Node prints it.
const { Buffer } = require('buffer');
const show = (label, f) => {
  try {
    f();
    console.log(label, 'no throw');
  } catch (e) {
    console.log(label, e instanceof TypeError, e instanceof RangeError, e.name, e.code, String(e), Object.keys(e));
  }
};
show('alloc type', () => Buffer.alloc('1'));
show('alloc range', () => Buffer.alloc(-1));
show('from', () => Buffer.from(1));
show('from oob', () => Buffer.from(new ArrayBuffer(1), 2));
show('enc', () => Buffer.from('a', 'nope'));
show('read', () => Buffer.alloc(1).readUInt16LE(0));
show('read empty', () => Buffer.alloc(0).readUInt8());
show('write value', () => Buffer.alloc(4).writeInt8(200));
show('write big', () => Buffer.alloc(8).writeBigInt64LE(1));
show('fill value', () => Buffer.alloc(2).fill('', 'hex').fill('zz', 'hex'));
show('swap', () => Buffer.alloc(3).swap16());
show('concat', () => Buffer.concat([1]));
show('write string', () => Buffer.alloc(1).write(1));
show('hexSlice', () => Buffer.alloc(1).hexSlice(0, 5));
show('utf8Write', () => Buffer.alloc(1).utf8Write('a', 5));
show('compare', () => Buffer.alloc(1).compare(Buffer.alloc(1), 0, 5));
show('copy', () => Buffer.alloc(1).copy(Buffer.alloc(1), -1));
show('byteLength', () => Buffer.byteLength(null));
show('indexOf', () => Buffer.alloc(1).indexOf(null));
show('copyBytesFrom', () => Buffer.copyBytesFrom(new Uint8Array(1), 1.5));
show('Buffer num enc', () => Buffer(1, 'hex'));
show('readIntBE bl', () => Buffer.alloc(1).readIntBE(0, 9));
show('writeUIntBE bl', () => Buffer.alloc(1).writeUIntBE(0, 0));
show('writeUInt32 huge', () => Buffer.alloc(4).writeUInt32LE(2 ** 40));
show('writeUIntLE 6', () => Buffer.alloc(6).writeUIntLE(2 ** 48, 0, 6));
show('writeIntLE 5', () => Buffer.alloc(6).writeIntLE(-(2 ** 39) - 1, 0, 5));
show('writeBigUInt64 huge', () => Buffer.alloc(8).writeBigUInt64BE(2n ** 70n));
show('writeBigUInt64 neg', () => Buffer.alloc(8).writeBigUInt64BE(-1n));
show('fill offset', () => Buffer.alloc(2).fill(0, -1));
show('alloc fill enc', () => Buffer.alloc(2, 'a', 'bad'));
Buffer.alloc(2).readUInt32BE(1);
