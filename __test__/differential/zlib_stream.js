// zlib streams: events in order around chunked output, write and end
// callbacks, flush() and close().
const zlib = require('zlib');
const data = zlib.gzipSync(Buffer.alloc(50000, 'z'));
const g = zlib.createGunzip({ chunkSize: 16384 });
const ev = [];
for (const e of ['data', 'end', 'finish', 'close', 'prefinish']) g.on(e, (x) => ev.push(e === 'data' ? x.length : e));
g.write(data.subarray(0, 10), () => ev.push('write cb 1'));
g.end(data.subarray(10), () => ev.push('end cb'));
g.on('close', () => console.log(ev.join(' ')));
const d = zlib.createDeflate();
d.on('data', () => {});
d.write('abc');
d.flush(() => console.log('flushed', d.bytesWritten));
d.close(() => console.log('closed', d._closed, d.destroyed));
const u = zlib.createUnzip();
const parts = [];
u.on('data', (c) => parts.push(c.toString()));
u.on('end', () => console.log('unzip', parts.join('|')));
const z = zlib.deflateSync('unzip detects zlib too');
u.write(z.subarray(0, 1));
u.end(z.subarray(1));
