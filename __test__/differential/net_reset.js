// A server that closes a connection with data it never read resets it: the
// client's read fails with ECONNRESET (and a later write would with EPIPE).
const net = require('net');
const server = net.createServer({ pauseOnConnect: true }, (s) => {
  setTimeout(() => s.destroy(), 50);
}).listen(0, () => {
  const c = net.connect(server.address().port);
  c.on('error', (e) => { server.close(); console.log(JSON.stringify([e.code, e.syscall, e.message])); });
  c.on('close', (hadError) => console.log('close', hadError));
  c.write('first');
});
