// Strings written to a socket in their own encoding (base64, latin1, hex),
// and corked writes of strings and Buffers, arrive as the bytes they stand for.
const net = require('net');
const server = net.createServer((s) => {
  const parts = [];
  s.on('data', (d) => parts.push(d));
  s.on('end', () => { console.log(JSON.stringify(Buffer.concat(parts).toString('latin1'))); server.close(); });
}).listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('aGVsbG8=', 'base64');
    c.write('caf\u00e9', 'latin1');
    c.cork(); c.write('a'); c.write(Buffer.from('b')); c.write('6364', 'hex'); c.uncork();
    console.log(c.writableLength >= 0, typeof c.bytesWritten);
    c.end('!');
  });
});
