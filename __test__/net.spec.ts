// node:net over the kernel's socket table, where host Node has nothing to
// compare with: the virtual loopback's bounds and lifetime, backpressure
// over large transfers, and what the network policy refuses. Node's own
// behaviour (events, order, errors) is in __test__/differential/net_*.js.
import { describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'
import { useRuntime } from './helpers.js'

const sut = useRuntime({ limits: { wallTimeMs: 20_000 } })

describe('the virtual loopback', () => {
  it('carries 8 MB each way with backpressure, in order', async () => {
    const r = await sut.rt.run<any>(`
      const net = require('net');
      const crypto = require('crypto');
      const size = 8 * 1024 * 1024;
      const data = crypto.randomBytes(size);
      const want = crypto.createHash('sha256').update(data).digest('hex');
      const server = net.createServer((s) => s.pipe(s));
      server.listen(0, () => {
        const c = net.connect(server.address().port);
        const h = crypto.createHash('sha256');
        let n = 0, full = 0;
        c.on('data', (d) => { n += d.length; h.update(d); });
        c.on('end', () => {
          server.close();
          __return({ n, same: h.digest('hex') === want, full: full > 0 });
        });
        for (let i = 0; i < size; i += 65536) if (!c.write(data.subarray(i, i + 65536))) full++;
        c.end();
      });`)
    expect(r.value).toEqual({ n: 8 * 1024 * 1024, same: true, full: true })
  })

  it('a server ends with the call that made it: the next call finds the port closed', async () => {
    const first = await sut.rt.run<any>(`
      const net = require('net');
      const server = net.createServer().listen(4100);
      server.unref();
      __return(server.address().port)`)
    expect(first.value).toBe(4100)
    const second = await sut.rt.run<any>(`
      const net = require('net');
      net.connect(4100).on('error', (e) => __return(e.code));`)
    expect(second.value).toBe('ECONNREFUSED')
    const third = await sut.rt.run<any>(`
      const net = require('net');
      const s = net.createServer().listen(4100, () => { s.close(); __return('free'); });`)
    expect(third.value).toBe('free')
  })

  it('unref() lets the process end with a server and a connection open', async () => {
    // Both ends of the connection are unrefed, as on Node (the accepted
    // one would keep the process alive otherwise).
    const r = await sut.rt.exec(`
      const net = require('net');
      const server = net.createServer((s) => s.unref()).listen(0, () => {
        const c = net.connect(server.address().port, () => { console.log('connected'); c.unref(); });
        server.unref();
      });`)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('connected\n')
  })

  it('listening on an address that is not this machine fails with EADDRNOTAVAIL', async () => {
    const r = await sut.rt.run<any>(`
      require('net').createServer().listen(80, '10.1.2.3').on('error', (e) => __return([e.code, e.message]));`)
    expect(r.value).toEqual(['EADDRNOTAVAIL', 'listen EADDRNOTAVAIL: address not available 10.1.2.3:80'])
  })

  it('refuses bad ports with Node\'s error', async () => {
    const r = await sut.rt.run<any>(`
      const net = require('net');
      const out = [];
      for (const p of [-1, 65536, '99999', 1.5]) {
        try { net.connect(p); } catch (e) { out.push(e.code); }
      }
      __return(out)`)
    expect(r.value).toEqual(['ERR_SOCKET_BAD_PORT', 'ERR_SOCKET_BAD_PORT', 'ERR_SOCKET_BAD_PORT', 'ERR_SOCKET_BAD_PORT'])
  })
})

describe('the network policy', () => {
  it('refuses a destination off the loopback by default, naming it', async () => {
    const r = await sut.rt.run<any>(`
      const out = [];
      const net = require('net');
      let n = 0;
      for (const [port, host] of [[443, '93.184.216.34'], [80, '169.254.169.254'], [5432, '10.0.0.8']]) {
        net.connect(port, host).on('error', (e) => {
          out.push([e.code, e.syscall, e.message]);
          if (++n === 3) __return(out.sort());
        });
      }`)
    expect(r.value).toEqual([
      ['EACCES', 'connect', 'connect EACCES 10.0.0.8:5432'],
      ['EACCES', 'connect', 'connect EACCES 169.254.169.254:80'],
      ['EACCES', 'connect', 'connect EACCES 93.184.216.34:443'],
    ])
  })
})

describe('limits', () => {
  it('maxSockets bounds listeners and connections with EMFILE; the runtime goes on', async () => {
    const rt = await NodeRuntime.create({ limits: { maxSockets: 3, wallTimeMs: 20_000 } })
    try {
      const r = await rt.run<any>(`
        const net = require('net');
        const out = [];
        const a = net.createServer().listen(0, () => {
          // One listener and one connection (two ends) fill the table.
          const c = net.connect(a.address().port, () => {
            out.push('connected');
            net.createServer().listen(0).on('error', (e) => {
              out.push(e.code);
              net.connect(a.address().port).on('error', (e) => {
                out.push(e.code);
                c.destroy(); a.close(() => {
                  net.createServer().listen(0, function () { out.push('listening again'); this.close(); __return(out); });
                });
              });
            });
          });
        });`)
      expect(r.value).toEqual(['connected', 'EMFILE', 'EMFILE', 'listening again'])
    } finally {
      await rt.dispose()
    }
  })

  it('refuses bad network limits with the option named', async () => {
    for (const limits of [{ maxSockets: 0 }, { maxNetworkBytes: -1 }, { connectTimeoutMs: 0 }, { connectTimeoutMs: 300_001 }]) {
      await expect(NodeRuntime.create({ limits })).rejects.toThrow(`limits.${Object.keys(limits)[0]}`)
    }
  })
})
