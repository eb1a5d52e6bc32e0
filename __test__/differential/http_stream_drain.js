// A response streamed with pipe() (write until false, then 'drain') and a
// request body streamed the same way, each 1 MiB over a loopback
// connection: both arrive whole, in order.
const http = require('http');
const { Readable } = require('stream');
const crypto = require('crypto');

const size = 1024 * 1024;
const data = Buffer.alloc(size, 'abcdefghij');
const digest = (b) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);

const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    console.log('server got', Buffer.concat(parts).length, digest(Buffer.concat(parts)));
    let drains = 0;
    res.on('drain', () => drains++);
    Readable.from([data.subarray(0, size / 2), data.subarray(size / 2)]).pipe(res);
    res.on('finish', () => console.log('server drained', drains > 0));
  });
});

server.listen(0, '127.0.0.1', () => {
  const req = http.request({ port: server.address().port, host: '127.0.0.1', method: 'POST' }, (res) => {
    const parts = [];
    res.on('data', (d) => parts.push(d));
    res.on('end', () => {
      console.log('client got', Buffer.concat(parts).length, digest(Buffer.concat(parts)));
      server.close(() => console.log('closed'));
    });
  });
  Readable.from([data.subarray(0, size / 4), data.subarray(size / 4)]).pipe(req);
});
