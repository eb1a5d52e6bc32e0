// The host's side of guest servers: `rt.fetch` sends requests to a guest
// listener on the runtime's virtual loopback (no real port), and
// `rt.network.expose` forwards a real 127.0.0.1 port to it. The guest server
// runs in an `exec()` that the test leaves running while it calls it.
import http from 'node:http'
import net from 'node:net'
import { join } from 'node:path'
import { WebSocket as HostWebSocket } from 'undici'
import { describe, expect, it } from 'vitest'
import { NodeRuntime, RuntimeDisposedError } from '../index.js'
import { installProjects, listProjects } from './projects/harness.mjs'

const SERVER = `
  const http = require('http');
  let n = 0;
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => body += d);
    req.on('end', () => {
      n++;
      if (req.url === '/stop') { res.end('bye'); s.close(); s.closeAllConnections(); return; }
      if (req.url === '/stream') {
        res.write('a'); setTimeout(() => { res.write('b'); res.end('c'); }, 20);
        return;
      }
      res.setHeader('x-n', String(n));
      res.end(JSON.stringify({ method: req.method, url: req.url, body, host: req.headers.host }));
    });
  }).listen(3000, () => console.log('listening'));
`

/** A runtime with SERVER running in it; `stop` ends the server call. */
async function withServer<T>(f: (rt: NodeRuntime) => Promise<T>): Promise<T> {
  const rt = await NodeRuntime.create({ limits: { wallTimeMs: 20_000 } })
  try {
    const running = rt.exec(SERVER)
    // The listener is up once a connection is accepted.
    for (let i = 0; i < 100; i++) {
      try {
        await (await rt.fetch('http://localhost:3000/ping')).text()
        break
      } catch {
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    const out = await f(rt)
    await (await rt.fetch('http://localhost:3000/stop')).text()
    const r = await running
    expect(r.code).toBe(0)
    return out
  } finally {
    await rt.dispose()
  }
}

describe('rt.fetch', () => {
  it('reaches a guest http server on the virtual loopback, with bodies, headers and keep-alive', async () => {
    await withServer(async (rt) => {
      const a = await rt.fetch('http://localhost:3000/a?x=1')
      expect(a.status).toBe(200)
      const first = Number(a.headers.get('x-n'))
      expect(await a.json()).toEqual({ method: 'GET', url: '/a?x=1', body: '', host: 'localhost:3000' })
      // Any host name reaches the same listener: only the port counts.
      const b = await rt.fetch('http://app.internal:3000/b', { method: 'POST', body: 'x'.repeat(100_000) })
      const bj = await b.json()
      expect([bj.method, bj.url, bj.body.length, bj.host]).toEqual(['POST', '/b', 100_000, 'app.internal:3000'])
      expect(Number(b.headers.get('x-n'))).toBe(first + 1)
      const s = await rt.fetch('http://localhost:3000/stream')
      expect(await s.text()).toBe('abc')
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => rt.fetch(`http://localhost:3000/m${i}`).then((r) => r.json())))
      expect(many.map((m: any) => m.url)).toEqual(Array.from({ length: 20 }, (_, i) => `/m${i}`))
    })
  })

  it('a large upload to a guest that reads slowly waits for it, and arrives whole', async () => {
    const rt = await NodeRuntime.create({ limits: { wallTimeMs: 30_000 } })
    try {
      const running = rt.exec(`
        require('http').createServer((req, res) => {
          req.pause();
          let n = 0;
          req.on('data', (d) => { n += d.length; });
          req.on('end', () => { res.end(String(n)); process.exit(0); });
          setTimeout(() => req.resume(), 500);
        }).listen(3000);`)
      const body = new Uint8Array(16 * 1024 * 1024).fill(7)
      let res: Response | undefined
      for (let i = 0; i < 100 && res === undefined; i++) {
        res = await rt.fetch('http://localhost:3000/', { method: 'POST', body }).catch(async () => {
          await new Promise((r) => setTimeout(r, 20))
          return undefined
        })
      }
      expect(await res!.text()).toBe(String(16 * 1024 * 1024))
      expect((await running).code).toBe(0)
    } finally {
      await rt.dispose()
    }
  })

  it('fails with ECONNREFUSED where no guest listens, and after dispose', async () => {
    const rt = await NodeRuntime.create()
    const err = await rt.fetch('http://localhost:4321/').catch((e) => e)
    expect([err.name, err.cause?.code, err.cause?.message]).toEqual(['TypeError', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4321'])
    await rt.dispose()
    await expect(rt.fetch('http://localhost:4321/')).rejects.toBeInstanceOf(RuntimeDisposedError)
  })

  it('a request in flight fails when the guest server goes away', async () => {
    const rt = await NodeRuntime.create({ limits: { wallTimeMs: 20_000 } })
    try {
      const running = rt.exec(`
        require('http').createServer((req, res) => { res.write('partial'); setTimeout(() => process.exit(3), 50); }).listen(3000);`)
      let res: Response | undefined
      for (let i = 0; i < 100 && res === undefined; i++) {
        res = await rt.fetch('http://localhost:3000/').catch(async () => {
          await new Promise((r) => setTimeout(r, 20))
          return undefined
        })
      }
      const err = await res!.text().catch((e) => e)
      expect(err).toBeInstanceOf(Error)
      expect((await running).code).toBe(3)
    } finally {
      await rt.dispose()
    }
  })

  it('drives an express app loaded from a mounted node_modules', async () => {
    const [p] = await installProjects(listProjects().filter((x) => x.name === 'express'))
    const rt = await NodeRuntime.create({
      permissions: { fs: { read: ['/'] } },
      mounts: [{ hostPath: p.dir, guestPath: '/app', readOnly: true }],
      limits: { wallTimeMs: 30_000, memoryMb: 256 },
    })
    try {
      const running = rt.exec(`
        const express = require('express');
        const app = express();
        app.use(express.json());
        app.get('/users/:id', (req, res) => res.json({ id: req.params.id, q: req.query }));
        app.post('/echo', (req, res) => res.status(201).json({ got: req.body }));
        app.get('/stop', (req, res) => { res.send('bye'); server.close(); server.closeAllConnections(); });
        const server = app.listen(8080);`, { cwd: '/app', filePath: join('/app', 'main.cjs') })
      let r: Response | undefined
      for (let i = 0; i < 200 && r === undefined; i++) {
        r = await rt.fetch('http://localhost:8080/users/42?a=b').catch(async () => {
          await new Promise((res) => setTimeout(res, 25))
          return undefined
        })
      }
      expect(await r!.json()).toEqual({ id: '42', q: { a: 'b' } })
      const e = await rt.fetch('http://localhost:8080/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ x: [1, 2] }),
      })
      expect([e.status, await e.json()]).toEqual([201, { got: { x: [1, 2] } }])
      expect(await (await rt.fetch('http://localhost:8080/stop')).text()).toBe('bye')
      expect((await running).code).toBe(0)
    } finally {
      await rt.dispose()
    }
  })
})

describe('rt.network.expose', () => {
  it('forwards a real 127.0.0.1 port to the guest server until closed', async () => {
    await withServer(async (rt) => {
      const ex = await rt.network.expose(3000)
      expect(ex.url).toBe(`http://127.0.0.1:${ex.hostPort}/`)
      const body = await new Promise<string>((resolve, reject) => {
        http.get(`${ex.url}via-host`, (res) => {
          let t = ''
          res.on('data', (d) => (t += d))
          res.on('end', () => resolve(t))
        }).on('error', reject)
      })
      expect(JSON.parse(body)).toMatchObject({ method: 'GET', url: '/via-host', host: `127.0.0.1:${ex.hostPort}` })
      await ex.close()
      const refused = await new Promise((resolve) => {
        net.connect(ex.hostPort, '127.0.0.1').on('error', (e: any) => resolve(e.code))
      })
      expect(refused).toBe('ECONNREFUSED')
    })
  })

  it('carries a host WebSocket to a ws server in the guest (from a mounted node_modules)', async () => {
    const [p] = await installProjects(listProjects().filter((x) => x.name === 'ws'))
    const rt = await NodeRuntime.create({
      permissions: { fs: { read: ['/'] } },
      mounts: [{ hostPath: p.dir, guestPath: '/app', readOnly: true }],
      limits: { wallTimeMs: 30_000 },
    })
    try {
      const running = rt.exec(`
        const { WebSocketServer } = require('ws');
        const wss = new WebSocketServer({ port: 9000 });
        wss.on('connection', (socket, req) => {
          socket.on('message', (data) => {
            if (String(data) === 'stop') { socket.close(1000, 'bye'); wss.close(); return; }
            socket.send('echo ' + data + ' from ' + req.url);
          });
        });`, { cwd: '/app', filePath: '/app/server.cjs' })
      const ex = await rt.network.expose(9000)
      const got: string[] = []
      await new Promise<void>((resolve, reject) => {
        const tryOpen = (left: number) => {
          const ws = new HostWebSocket(`ws://127.0.0.1:${ex.hostPort}/room`)
          let opened = false
          ws.onopen = () => {
            opened = true
            ws.send('one')
          }
          ws.onmessage = (e) => {
            got.push(String(e.data))
            ws.send(got.length === 1 ? 'two' : 'stop')
          }
          // Before the guest listens, the handshake fails (undici reports
          // it with 'error' alone): try again.
          let retried = false
          const retry = () => {
            if (opened || retried) return
            retried = true
            if (left > 0) setTimeout(() => tryOpen(left - 1), 25)
            else reject(new Error('the guest server never answered'))
          }
          ws.onclose = (e) => {
            if (!opened) return retry()
            got.push(`closed ${e.code} ${e.reason}`)
            resolve()
          }
          ws.onerror = retry
        }
        tryOpen(200)
      })
      expect(got).toEqual(['echo one from /room', 'echo two from /room', 'closed 1000 bye'])
      expect((await running).code).toBe(0)
      await ex.close()
    } finally {
      await rt.dispose()
    }
  })

  it('closes with dispose, refuses bad ports, and ends a connection to a port nobody listens on', async () => {
    const rt = await NodeRuntime.create()
    await expect(rt.network.expose(0)).rejects.toThrow(/guestPort/)
    await expect(rt.network.expose(80, { hostPort: 70000 })).rejects.toThrow(/hostPort/)
    const ex = await rt.network.expose(5555)
    // Nothing listens on 5555 in the guest: the host connection just ends.
    const ended = await new Promise((resolve) => {
      const s = net.connect(ex.hostPort, '127.0.0.1')
      s.on('close', () => resolve('closed'))
      s.on('error', () => {})
    })
    expect(ended).toBe('closed')
    await rt.dispose()
    const after = await new Promise((resolve) => {
      net.connect(ex.hostPort, '127.0.0.1').on('error', (e: any) => resolve(e.code))
    })
    expect(after).toBe('ECONNREFUSED')
  })
})
