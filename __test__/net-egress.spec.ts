// Egress: connections off the runtime's loopback are made by the host, only
// where permissions.network allows, with the SSRF guard decided on the
// resolved address. Every server here is the test's own, on this machine's
// loopback; each counts the connections it got, so a refused attempt is
// shown never to have reached it.
import http from 'node:http'
import net from 'node:net'
import { lookup } from 'node:dns/promises'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let server: http.Server
let other: http.Server
let port = 0
let otherPort = 0
let connections = 0
let otherConnections = 0

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/to-other') {
      res.writeHead(302, { Location: `http://127.0.0.1:${otherPort}/` })
      return res.end()
    }
    if (req.url === '/to-metadata') {
      res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' })
      return res.end()
    }
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => res.end(`host ${req.method} ${req.url} ${body}`))
  })
  server.on('connection', () => connections++)
  other = http.createServer((req, res) => res.end('other'))
  other.on('connection', () => otherConnections++)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
  port = (server.address() as any).port
  otherPort = (other.address() as any).port
})

afterAll(async () => {
  server.close()
  other.close()
})

async function withRuntime<T>(network: unknown, f: (rt: NodeRuntime) => Promise<T>): Promise<T> {
  const rt = await NodeRuntime.create({ permissions: network === undefined ? {} : { network: network as any }, limits: { wallTimeMs: 20_000 } })
  try {
    return await f(rt)
  } finally {
    await rt.dispose()
  }
}

// What a guest fetch of each URL ends with: its status and body, or the
// error's cause code.
async function fetchAll(rt: NodeRuntime, urls: string[]) {
  const r = await rt.run<any>(`
    (async () => {
      const out = [];
      for (const u of ${JSON.stringify(urls)}) {
        try {
          const res = await fetch(u);
          out.push([u, res.status, await res.text()]);
        } catch (e) {
          out.push([u, e.cause ? e.cause.code : e.name, e.cause ? e.cause.message : e.message]);
        }
      }
      __return(out);
    })()`)
  return r.value as [string, number | string, string][]
}

describe('allowed destinations', () => {
  it('an allow entry naming the address and port reaches a host server, by fetch, http and net', async () => {
    await withRuntime({ allow: [`127.0.0.1:${port}`] }, async (rt) => {
      const r = await rt.run<any>(`
        (async () => {
          const f = await fetch('http://127.0.0.1:${port}/f', { method: 'POST', body: 'data' });
          const viaFetch = await f.text();
          const viaHttp = await new Promise((resolve, reject) => {
            require('http').get('http://127.0.0.1:${port}/h', (res) => {
              let t = ''; res.on('data', (d) => t += d); res.on('end', () => resolve(t));
            }).on('error', reject);
          });
          const viaNet = await new Promise((resolve, reject) => {
            const s = require('net').connect(${port}, '127.0.0.1', () => {
              s.end('GET /n HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n');
            });
            let t = ''; s.on('data', (d) => t += d); s.on('end', () => resolve(t.split('\\r\\n\\r\\n')[1]));
            s.on('error', reject);
            s.on('connect', () => { s.info = [s.remoteAddress, s.remotePort === ${port}, s.remoteFamily, typeof s.localPort]; });
          });
          __return({ viaFetch, viaHttp, viaNet });
        })()`)
      expect(r.value).toEqual({ viaFetch: 'host POST /f data', viaHttp: 'host GET /h ', viaNet: 'host GET /n ' })
    })
  })

  it('another port of an allowed address is refused, and so is a redirect to it', async () => {
    await withRuntime({ allow: [`127.0.0.1:${port}`] }, async (rt) => {
      const before = otherConnections
      const out = await fetchAll(rt, [`http://127.0.0.1:${otherPort}/`, `http://127.0.0.1:${port}/to-other`])
      // The virtual loopback has no listener there: refused without leaving the sandbox.
      expect(out.map((o) => o[1])).toEqual(['ECONNREFUSED', 'ECONNREFUSED'])
      expect(otherConnections).toBe(before)
    })
  })
})

describe('the SSRF guard', () => {
  it('holds under "allow" and "*" for every form of a loopback or metadata address', async () => {
    const forms = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://2130706433:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://127.1:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://100.100.100.200/',
    ]
    for (const network of ['allow', { allow: ['*'] }]) {
      const before = connections
      await withRuntime(network, async (rt) => {
        const out = await fetchAll(rt, forms)
        for (const [u, code] of out) expect(['ECONNREFUSED', 'EACCES'], u).toContain(code)
        // The metadata and private forms are refused by the guard itself.
        expect(out.slice(8).map((o) => o[1])).toEqual(['EACCES', 'EACCES', 'EACCES', 'EACCES'])
      })
      expect(connections, JSON.stringify(network)).toBe(before)
    }
  })

  it('decides on the resolved address: a name that resolves to this machine is refused', async () => {
    const name = hostname()
    const { address } = await lookup(name)
    // This machine's name resolves to a loopback or private address.
    expect(address).toMatch(/^(127\.|10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|::1$|f[cd])/)
    const before = connections
    for (const network of ['allow', { allow: ['*'] }, { allow: [name] }, { allow: [`${name}:${port}`] }]) {
      await withRuntime(network, async (rt) => {
        const out = await fetchAll(rt, [`http://${name}:${port}/`])
        expect(out[0][1], JSON.stringify(network)).toBe('EACCES')
        expect(out[0][2]).toBe(`connect EACCES ${name}:${port}`)
      })
    }
    expect(connections).toBe(before)
  })

  it('an allowed server cannot redirect a guest to the metadata address', async () => {
    await withRuntime({ allow: [`127.0.0.1:${port}`] }, async (rt) => {
      const out = await fetchAll(rt, [`http://127.0.0.1:${port}/to-metadata`])
      expect(out[0][1]).toBe('EACCES')
      expect(out[0][2]).toBe('connect EACCES 169.254.169.254:80')
    })
  })
})

describe('denied destinations', () => {
  it('are refused with EACCES naming them, by default, by a deny entry and by a host function', async () => {
    const asked: unknown[] = []
    const cases: [unknown, string][] = [
      [undefined, 'http://93.184.216.34/'],
      [undefined, 'http://example.com/'],
      [{ allow: ['*'], deny: ['*.example.com', '93.184.216.0/24'] }, 'http://api.example.com/'],
      [{ allow: ['*'], deny: ['*.example.com', '93.184.216.0/24'] }, 'http://93.184.216.34:8080/'],
      [(req: unknown) => { asked.push(req); return false }, 'http://example.org:81/'],
    ]
    for (const [network, url] of cases) {
      await withRuntime(network, async (rt) => {
        const [[, code, message]] = await fetchAll(rt, [url])
        const u = new URL(url)
        expect([url, code, message]).toEqual([url, 'EACCES', `connect EACCES ${u.hostname}:${u.port || 80}`])
      })
    }
    expect(asked).toEqual([{ scope: 'network', op: 'connect', name: 'example.org:81' }])
  })

  it('net.connect reports the denial as Node reports a connect error', async () => {
    await withRuntime(undefined, async (rt) => {
      const r = await rt.run<any>(`
        require('net').connect(443, '93.184.216.34').on('error', (e) =>
          __return([e.message, e.code, e.errno, e.syscall, e.address, e.port]));`)
      expect(r.value).toEqual(['connect EACCES 93.184.216.34:443', 'EACCES', -13, 'connect', '93.184.216.34', 443])
    })
  })
})

describe('limits on egress', () => {
  it('maxNetworkBytes fails the read that goes past it, and later calls of the runtime too', async () => {
    const rt = await NodeRuntime.create({
      permissions: { network: { allow: [`127.0.0.1:${port}`] } },
      limits: { maxNetworkBytes: 4096, wallTimeMs: 20_000 },
    })
    try {
      const body = 'x'.repeat(20000)
      const first = await rt.run<any>(`
        fetch('http://127.0.0.1:${port}/post', { method: 'POST', body: ${JSON.stringify(body)} })
          .then((r) => r.text()).then((t) => __return(['ok', t.length]), (e) => __return([e.name, e.cause && e.cause.code]))`)
      expect(first.value).toEqual(['TypeError', 'ERR_SANDBOX_NETWORK_LIMIT'])
      const second = await rt.run<any>(`
        fetch('http://127.0.0.1:${port}/').then((r) => __return(['ok']), (e) => __return([e.name, e.cause && e.cause.code]))`)
      expect(second.value).toEqual(['TypeError', 'ERR_SANDBOX_NETWORK_LIMIT'])
      // The loopback is not counted.
      const local = await rt.run<any>(`
        const s = require('http').createServer((q, r) => r.end('x'.repeat(10000))).listen(0, async () => {
          const t = await (await fetch('http://127.0.0.1:' + s.address().port)).text();
          s.close(); __return(t.length);
        });`)
      expect(local.value).toBe(10000)
    } finally {
      await rt.dispose()
    }
  })
})

describe('lifetime', () => {
  it('a connection a call leaves open is closed when the call ends', async () => {
    const raw = net.createServer()
    const closed: string[] = []
    raw.on('connection', (s) => {
      s.on('close', () => closed.push('closed'))
      s.on('error', () => {})
    })
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r))
    const rawPort = (raw.address() as any).port
    try {
      await withRuntime({ allow: [`127.0.0.1:${rawPort}`] }, async (rt) => {
        const r = await rt.run<any>(`
          const s = require('net').connect(${rawPort}, '127.0.0.1', () => { s.unref(); __return(s.remoteAddress); });`)
        expect(r.value).toBe('127.0.0.1')
        // The socket ended with its call, before dispose.
        for (let i = 0; i < 100 && closed.length === 0; i++) await new Promise((res) => setTimeout(res, 10))
        expect(closed).toEqual(['closed'])
      })
    } finally {
      raw.close()
    }
  })
})
