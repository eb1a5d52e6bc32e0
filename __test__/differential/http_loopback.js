// node:http on the loopback, server and client in one process: what each
// side sees of heads, bodies (length, chunked, trailers), keep-alive reuse,
// HEAD and 204, upgrade, raw bad requests, and the order of events.
const http = require('http');
const net = require('net');
const log = (...a) => console.log(...a);
const noDate = (raw) => raw.filter((_, i) => raw[i - (i % 2)] !== 'Date');

const server = http.createServer((req, res) => {
  log('server:', req.method, req.url, req.httpVersion, JSON.stringify(req.headers).replace(':' + server.address().port, ':PORT'));
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    log('server: body', JSON.stringify(body), JSON.stringify(req.trailers));
    if (req.url === '/chunked') {
      res.setHeader('X-Multi', ['a', 'b']);
      res.addTrailers({ 'X-Trailer': 'done' });
      res.setHeader('Trailer', 'X-Trailer');
      res.write('part one, ');
      res.end('part two');
    } else if (req.url === '/empty') {
      res.writeHead(204, { 'X-Why': 'nothing' });
      res.end();
    } else if (req.url === '/missing') {
      res.writeHead(404, 'Nope', ['Content-Type', 'text/plain', 'X-Raw', '1']);
      res.end('not here');
    } else {
      res.setHeader('Content-Type', 'text/plain');
      log('server: headers before', JSON.stringify(res.getHeaders()), res.headersSent);
      res.end(`${req.method} ${body.length}`);
      log('server: headers sent', res.headersSent, res.statusCode, res.statusMessage);
    }
  });
});

server.on('upgrade', (req, socket, head) => {
  log('server: upgrade', req.headers.upgrade, head.length);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
  socket.on('data', (d) => { socket.end('echo:' + d); });
});

function request(opts, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.address().port, ...opts }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        log('client:', res.statusCode, res.statusMessage, JSON.stringify(noDate(res.rawHeaders)));
        log('client: body', JSON.stringify(text), JSON.stringify(res.trailers), 'reused', req.reusedSocket);
        resolve();
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

server.listen(0, '127.0.0.1', async () => {
  const agent = new http.Agent({ keepAlive: true });
  await request({ path: '/a?b=c', agent });
  await request({ path: '/post', method: 'POST', agent, headers: { 'Content-Type': 'text/plain' } }, 'some data');
  await request({ path: '/chunked', agent });
  await request({ path: '/empty', agent });
  await request({ path: '/missing', method: 'PUT', headers: { 'Content-Length': 3 } }, 'abc');
  await request({ path: '/head', method: 'HEAD', agent });
  agent.destroy();

  await new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: server.address().port, headers: { Connection: 'Upgrade', Upgrade: 'echo' } });
    req.on('upgrade', (res, socket, head) => {
      log('client: upgraded', res.statusCode, res.headers.upgrade, head.length);
      socket.setEncoding('utf8');
      socket.on('data', (d) => log('client: got', d));
      socket.on('end', resolve);
      socket.write('ping');
    });
    req.end();
  });

  await new Promise((resolve) => {
    const s = net.connect(server.address().port, '127.0.0.1', () => s.write('NOT A REQUEST\r\n\r\n'));
    let raw = '';
    s.setEncoding('latin1');
    s.on('data', (d) => { raw += d; });
    s.on('close', () => { log('raw bad request ->', JSON.stringify(raw)); resolve(); });
  });

  server.close(() => log('server: closed'));
});
