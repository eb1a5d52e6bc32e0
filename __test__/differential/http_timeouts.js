// http.Server's headersTimeout and requestTimeout: a client that sends half a
// head, or a head and half a body, gets Node's 408 and the connection ends;
// one that finishes in time is answered; 'clientError' sees the error's code
// and message. Bad option values throw Node's errors.
const http = require('http');
const net = require('net');

for (const opts of [
  { headersTimeout: -1 },
  { requestTimeout: 1.5 },
  { requestTimeout: 100, headersTimeout: 200 },
  { connectionsCheckingInterval: 'x' },
]) {
  try {
    http.createServer(opts);
    console.log('created', opts);
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}
const d = http.createServer({ requestTimeout: 1000 });
console.log('defaults', d.requestTimeout, d.headersTimeout, d.connectionsCheckingInterval);

function talk(port, parts, gap) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (b) => { got += b; });
    sock.on('close', () => resolve(got.replace(/Date: .*\r\n/, '')));
    let i = 0;
    const next = () => {
      if (i < parts.length) sock.write(parts[i++]);
      if (i < parts.length) setTimeout(next, gap);
    };
    next();
  });
}

async function main() {
  const server = http.createServer({ headersTimeout: 150, requestTimeout: 400, connectionsCheckingInterval: 20 },
    (req, res) => {
      req.resume();
      req.on('end', () => res.end(`ok ${req.url}`));
    });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  console.log(JSON.stringify(await talk(port, ['GET /slow-head HTTP/1.1\r\nHost: x\r\n'], 0)));
  console.log(JSON.stringify(await talk(port,
    ['POST /slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n12345'], 0)));
  console.log(JSON.stringify(await talk(port,
    ['GET /in-time HTTP/1.1\r\nHost: x\r\n', 'Connection: close\r\n\r\n'], 30)));
  server.on('clientError', (err, socket) => {
    console.log('clientError', err.code, err.message);
    socket.end('HTTP/1.1 408 Custom\r\nConnection: close\r\n\r\n');
  });
  console.log(JSON.stringify(await talk(port, ['GET / HTTP/1.1\r\n'], 0)));
  // The server's side of that connection reads the client's end (a second
  // clientError, for the unfinished head) before close() would drop it.
  await new Promise((r) => setTimeout(r, 100));
  server.close(() => console.log('closed'));
}
main();
