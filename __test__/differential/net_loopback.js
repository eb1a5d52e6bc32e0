// node:net on the loopback: a server and its client in one process, the
// events each side sees and their order, half-close, errors of a port in
// use and of a port nobody listens on, and addresses.
const net = require('net');
const log = (...a) => console.log(...a);

const server = net.createServer({ allowHalfOpen: true }, (sock) => {
  log('server: connection', sock.remoteAddress, typeof sock.remotePort, sock.localPort === server.address().port);
  const chunks = [];
  sock.on('data', (d) => chunks.push(d));
  sock.on('end', () => {
    log('server: end after', Buffer.concat(chunks).toString());
    sock.write('reply to ' + Buffer.concat(chunks).length + ' bytes');
    sock.end(() => log('server: finished'));
  });
  sock.on('close', (hadError) => log('server: socket close', hadError));
});

server.on('listening', () => log('server: listening event'));
server.listen(0, '127.0.0.1', () => {
  const { address, family, port } = server.address();
  log('server address', address, family, typeof port, port > 0);
  log('listening', server.listening);

  const again = net.createServer();
  again.on('error', (e) => {
    log('second listen:', e.code, e.errno, e.syscall, e.address, e.port === port, e.message === `listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
    client();
  });
  again.listen(port, '127.0.0.1');
});

function client() {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1' });
  log('client: connecting', c.connecting, c.pending, c.readyState);
  c.on('connect', () => log('client: connect', c.remoteAddress, c.remoteFamily, c.connecting, c.readyState));
  c.on('ready', () => log('client: ready'));
  c.setEncoding('utf8');
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => log('client: end', got));
  c.on('close', (hadError) => {
    log('client: close', hadError, c.bytesRead, c.bytesWritten, c.destroyed);
    refused();
  });
  c.write('hello ');
  c.end('world');
}

function refused() {
  // Port 1 on the loopback: nobody listens there.
  const c = net.connect(1, '127.0.0.1');
  c.on('error', (e) => {
    log('refused:', e.message, e.code, e.errno, e.syscall, e.address, e.port);
    c.on('close', (hadError) => {
      log('refused: close', hadError);
      server.close(() => log('server: closed'));
    });
  });
}
