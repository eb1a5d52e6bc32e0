// fetch against a node:http server in the same process: JSON and text
// bodies, request bodies, redirects (followed, manual, error), streamed
// responses, AbortSignal, a refused connection, and Headers/Request/
// Response/FormData as Node has them.
const http = require('http');
const log = (...a) => console.log(...a);

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    if (req.url === '/json') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] || null, ua: req.headers['user-agent'] }));
    } else if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/json' });
      res.end();
    } else if (req.url === '/loop') {
      res.writeHead(301, { Location: '/loop' });
      res.end();
    } else if (req.url === '/stream') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let i = 0;
      const t = setInterval(() => {
        res.write(`line ${i}\n`);
        if (++i === 5) { clearInterval(t); res.end(); }
      }, 5);
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 2000);
    } else {
      res.writeHead(404, { 'X-Missing': req.url });
      res.end('no');
    }
  });
});

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  let r = await fetch(`${base}/json`);
  log(r.status, r.statusText, r.ok, r.redirected, r.headers.get('content-type'), JSON.stringify(await r.json()));

  r = await fetch(`${base}/json`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json' } });
  log(r.status, JSON.stringify(await r.json()));

  const form = new FormData();
  form.append('name', 'value');
  r = await fetch(`${base}/json`, { method: 'PUT', body: new URLSearchParams({ q: 'x y' }) });
  log('urlencoded', JSON.stringify(await r.json()));

  r = await fetch(`${base}/redirect`);
  log('followed', r.status, r.redirected, r.url.replace(base, 'BASE'));
  r = await fetch(`${base}/redirect`, { redirect: 'manual' });
  log('manual', r.status, r.headers.get('location'));
  await fetch(`${base}/redirect`, { redirect: 'error' }).catch((e) => log('error mode', e.name, e.message, e.cause && e.cause.message));
  await fetch(`${base}/loop`).catch((e) => log('loop', e.name, e.message, e.cause && e.cause.message));

  r = await fetch(`${base}/stream`);
  const reader = r.body.getReader();
  let chunks = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks += new TextDecoder().decode(value);
  }
  log('streamed', JSON.stringify(chunks));

  r = await fetch(`${base}/missing?x`);
  log(r.status, r.ok, r.headers.get('x-missing'), await r.text());

  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  await fetch(`${base}/slow`, { signal: ac.signal }).catch((e) => log('aborted', e.name, e.message));
  await fetch(`${base}/slow`, { signal: AbortSignal.timeout(20) }).catch((e) => log('timeout', e.name, e.message));

  await fetch('http://127.0.0.1:1/').catch((e) => log('refused', e.name, e.message, e.cause.code, e.cause.syscall, e.cause.address, e.cause.port));
  await fetch('ftp://example.com/').catch((e) => log('scheme', e.name, e.message, e.cause && e.cause.message));
  await fetch('not a url').catch((e) => log('bad url', e.name, e.message));

  const h = new Headers({ 'X-A': '1' });
  h.append('x-a', '2');
  h.set('Content-Type', 'text/plain');
  log('headers', JSON.stringify([...h]), h.get('X-A'), h.has('content-type'));
  const req = new Request(`${base}/json`, { method: 'POST', body: 'x' });
  log('request', req.method, req.url.replace(base, 'BASE'), req.headers.get('content-type'), await req.text());
  const res = new Response('{"b":2}', { status: 201, headers: { 'X-B': '3' } });
  log('response', res.status, res.headers.get('x-b'), JSON.stringify(await res.json()), Response.json({ c: 1 }).headers.get('content-type'));
  log('formdata', JSON.stringify([...form]));

  server.close(() => log('closed'));
});
