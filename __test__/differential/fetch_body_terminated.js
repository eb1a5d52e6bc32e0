// A fetch whose connection ends in the middle of the response body: text(),
// a reader and async iteration each reject with "terminated" (its cause the
// socket's "other side closed"), and the body stream then shows errored.
const http = require('http');
const { isErrored, isReadable } = require('stream');

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-length': '10000' });
  res.write('x'.repeat(3000));
  setTimeout(() => res.socket.destroy(), 20);
});

const show = (how, e) => console.log(how, e.name, e.message, e.cause && e.cause.code, e.cause && e.cause.message);

server.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/`;
  try { await (await fetch(url)).text(); console.log('text resolved'); } catch (e) { show('text', e); }
  const res = await fetch(url);
  console.log('before', isReadable(res.body), isErrored(res.body));
  const reader = res.body.getReader();
  let got = 0;
  try { for (;;) { const { done, value } = await reader.read(); if (done) break; got += value.length; } console.log('reader done'); } catch (e) { show('reader', e); }
  console.log('got', got, 'after', isReadable(res.body), isErrored(res.body));
  try { for await (const c of (await fetch(url)).body) void c; console.log('iterated'); } catch (e) { show('iterate', e); }
  server.close();
});
