// Networking figures: guest fetch of a 1 KB body from a host server on
// this machine's loopback (through the host-made egress connection) next to
// host Node's own fetch of the same server, both with the same concurrency;
// first-byte latency of one request at a time; and a guest http server
// driven by a guest fetch over the runtime's virtual loopback, and by the
// host's rt.fetch.
import http from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { NodeRuntime } = require(join(root, 'index.js'))

const BODY = 'x'.repeat(1024)
const CONCURRENCY = 16

// Runs `count` fetches of `url`, `CONCURRENCY` at a time: requests per
// second; then `latency` one at a time: the p50 of time to the first byte
// (headers), in ms. The same text runs on host Node and in the guest.
const LOAD = `
async function load(url, count, latency) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const r = await fetch(url);
      const t = await r.text();
      if (t.length !== 1024) throw new Error('bad body ' + t.length);
    }
  };
  // Connections warmed first (keep-alive), as a steady server would have them.
  await Promise.all(Array.from({ length: ${CONCURRENCY} }, async () => { const r = await fetch(url); await r.text(); }));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: ${CONCURRENCY} }, worker));
  const rps = count / ((performance.now() - t0) / 1000);
  const firstByte = [];
  for (let i = 0; i < latency; i++) {
    const s = performance.now();
    const r = await fetch(url);
    firstByte.push(performance.now() - s);
    await r.text();
  }
  firstByte.sort((a, b) => a - b);
  return { rps, firstByte: firstByte[Math.floor(firstByte.length / 2)] };
}
`

export async function benchNetwork({ quick = false } = {}) {
  const count = quick ? 300 : 3000
  const latency = quick ? 50 : 300
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BODY.length })
    res.end(BODY)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address()
  const url = `http://127.0.0.1:${port}/`
  try {
    const host = await new Function('url', 'count', 'latency', `${LOAD}; return load(url, count, latency)`)(url, count, latency)
    const rt = await NodeRuntime.create({
      permissions: { network: { allow: [`127.0.0.1:${port}`] } },
      limits: { wallTimeMs: 120_000, cpuTimeMs: 120_000 },
    })
    let guest
    let local
    try {
      guest = (await rt.run(`${LOAD}; load(${JSON.stringify(url)}, ${count}, ${latency}).then(__return)`)).value
      // A guest server and its client in one call, over the virtual loopback.
      local = (await rt.run(`${LOAD};
        const s = require('http').createServer({ keepAliveTimeout: 60000 }, (req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 1024 });
          res.end(${JSON.stringify(BODY)});
        }).listen(0, async () => {
          const r = await load('http://127.0.0.1:' + s.address().port + '/', ${count}, ${latency});
          s.closeAllConnections(); s.close();
          __return(r);
        });`)).value
    } finally {
      await rt.dispose()
    }
    // The same guest server driven from the host by rt.fetch.
    const served = await NodeRuntime.create({ limits: { wallTimeMs: 120_000, cpuTimeMs: 120_000 } })
    let hostDriven
    try {
      const running = served.exec(`
        const s = require('http').createServer({ keepAliveTimeout: 60000 }, (req, res) => {
          if (req.url === '/stop') { res.end(); s.close(); s.closeAllConnections(); return; }
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 1024 });
          res.end(${JSON.stringify(BODY)});
        }).listen(3000);`)
      for (let i = 0; i < 200; i++) {
        const ok = await served.fetch('http://localhost:3000/').then((r) => r.text(), () => null)
        if (ok !== null) break
        await new Promise((r) => setTimeout(r, 10))
      }
      const fetchVia = (u) => served.fetch(u)
      hostDriven = await new Function('fetch', 'url', 'count', 'latency', `${LOAD}; return load(url, count, latency)`)(fetchVia, 'http://localhost:3000/', count, latency)
      await (await served.fetch('http://localhost:3000/stop')).text()
      await running
    } finally {
      await served.dispose()
    }
    return { host, guest, local, hostDriven }
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchNetwork({ quick: process.argv.includes('--quick') })
  console.log(JSON.stringify(r, null, 2))
}
