// fs.readv / fs.writev (sync and callback): bytes, positions and errors as Node.
const fs = require('fs');
const dir = fs.mkdtempSync('/tmp/fsdiff-');
const fd = fs.openSync(dir + '/v.txt', 'w+');
console.log(fs.writevSync(fd, [Buffer.from('ab'), new Uint8Array([99, 100, 101])]), fs.writevSync(fd, [Buffer.from('XY')], 1));
const a = Buffer.alloc(2), b = Buffer.alloc(3);
console.log(fs.readvSync(fd, [a, b], 0), a.toString(), b.toString(), fs.readvSync(fd, [Buffer.alloc(10)], 4));
for (const bad of ['x', [1], null]) {
  try { fs.readvSync(fd, bad); } catch (e) { console.log(e.code, e.message); }
}
try { fs.writevSync(9999, [Buffer.from('x')]); } catch (e) { console.log(e.code, e.syscall); }
fs.writev(fd, [Buffer.from('Q')], 0, (e, n, bufs) => {
  console.log('cb', e, n, bufs.length);
  fs.readv(fd, [Buffer.alloc(4)], 0, (e2, n2, bs) => {
    console.log('rcb', e2, n2, bs[0].toString());
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true });
  });
});
