// TLS clients terminated in the kernel (rustls): node:tls, https and fetch
// of https URLs against an https server of the test's own on this
// machine's loopback, with the test CA of __test__/fixtures/tls. The
// destination is allowed by an entry naming 127.0.0.1 and the port.
import https from 'node:https'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

const dir = join(__dirname, 'fixtures', 'tls')
const ca = readFileSync(join(dir, 'ca.pem'), 'utf8')
let server: https.Server
let selfSigned: https.Server
let port = 0
let selfPort = 0

beforeAll(async () => {
  server = https.createServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')), ALPNProtocols: ['h2', 'http/1.1'] },
    (req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => res.end(`secure ${req.method} ${req.url} ${body} ${(req.socket as any).alpnProtocol}`))
    },
  )
  selfSigned = https.createServer({ key: readFileSync(join(dir, 'self.key')), cert: readFileSync(join(dir, 'self.pem')) }, (req, res) =>
    res.end('self-signed'),
  )
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  await new Promise<void>((r) => selfSigned.listen(0, '127.0.0.1', r))
  port = (server.address() as any).port
  selfPort = (selfSigned.address() as any).port
})

afterAll(() => {
  server.close()
  selfSigned.close()
})

async function inRuntime(code: string) {
  const rt = await NodeRuntime.create({
    permissions: { network: { allow: [`127.0.0.1:${port}`, `127.0.0.1:${selfPort}`] } },
    limits: { wallTimeMs: 20_000 },
  })
  try {
    return (await rt.run<any>(code)).value
  } finally {
    await rt.dispose()
  }
}

describe('tls.connect', () => {
  it('verifies the server against the given ca, with SNI, ALPN and the peer certificate', async () => {
    const v = await inRuntime(`
      const tls = require('tls');
      const s = tls.connect({ host: '127.0.0.1', port: ${port}, servername: 'test.example', ca: ${JSON.stringify(ca)}, ALPNProtocols: ['http/1.1'] }, () => {
        const c = s.getPeerCertificate();
        const out = { authorized: s.authorized, alpn: s.alpnProtocol, protocol: s.getProtocol(), encrypted: s.encrypted,
          subject: c.subject, issuer: c.issuer.CN, san: c.subjectaltname, raw: c.raw.length > 100, fp: /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(c.fingerprint256) };
        s.write('GET /tls HTTP/1.1\\r\\nHost: test.example\\r\\nConnection: close\\r\\n\\r\\n');
        let text = '';
        s.setEncoding('utf8');
        s.on('data', (d) => text += d);
        s.on('end', () => { out.body = text.split('\\r\\n\\r\\n')[1]; __return(out); });
      });
      s.on('error', (e) => __return({ error: e.code, message: e.message }));`)
    expect(v).toEqual({
      authorized: true,
      alpn: 'http/1.1',
      protocol: 'TLSv1.3',
      encrypted: true,
      subject: { O: 'secure-exec tests', CN: 'test.example' },
      issuer: 'secure-exec test CA',
      san: 'IP Address:127.0.0.1, DNS:test.example, DNS:localhost',
      raw: true,
      fp: true,
      body: 'secure GET /tls  http/1.1',
    })
  })

  it('refuses a server the roots do not vouch for, and a name the certificate does not name', async () => {
    const v = await inRuntime(`
      const tls = require('tls');
      const tryOne = (opts) => new Promise((res) => {
        const s = tls.connect({ host: '127.0.0.1', ...opts }, () => { s.destroy(); res('connected'); });
        s.on('error', (e) => res(e.code));
      });
      (async () => __return([
        await tryOne({ port: ${port} }),
        await tryOne({ port: ${selfPort} }),
        await tryOne({ port: ${port}, ca: ${JSON.stringify(ca)}, servername: 'other.example' }),
      ]))();`)
    expect(v).toEqual(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID'])
  })

  it('rejectUnauthorized: false connects and says why it is not authorized', async () => {
    const v = await inRuntime(`
      const s = require('tls').connect({ host: '127.0.0.1', port: ${selfPort}, rejectUnauthorized: false }, () => {
        __return([s.authorized, s.authorizationError, s.getPeerCertificate().subject.CN]);
        s.destroy();
      });`)
    expect(v).toEqual([false, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed.example'])
  })
})

describe('https and fetch', () => {
  it('https.request and fetch reach the server through TLS in the kernel', async () => {
    const v = await inRuntime(`
      const https = require('https');
      const viaHttps = () => new Promise((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: ${port}, method: 'POST', path: '/h', ca: ${JSON.stringify(ca)} }, (res) => {
          let t = ''; res.setEncoding('utf8'); res.on('data', (d) => t += d); res.on('end', () => resolve([res.statusCode, t]));
        });
        req.on('error', reject);
        req.end('body');
      });
      (async () => {
        const a = await viaHttps();
        const b = await fetch('https://127.0.0.1:${port}/f').then((r) => r.text(), (e) => e.cause && e.cause.code);
        __return({ a, b });
      })();`)
    // Node's https sends no ALPN (the server sees false), as here.
    expect(v.a).toEqual([200, 'secure POST /h body false'])
    // fetch uses the default roots: the test CA is not among them.
    expect(v.b).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')
  })

  it('a denied https destination is refused before any handshake', async () => {
    const rt = await NodeRuntime.create()
    try {
      const r = await rt.run<any>(`fetch('https://93.184.216.34/').catch((e) => __return([e.cause.code, e.cause.message]))`)
      expect(r.value).toEqual(['EACCES', 'connect EACCES 93.184.216.34:443'])
    } finally {
      await rt.dispose()
    }
  })
})

describe('limits', () => {
  it('the handshake and the records on the wire count against maxNetworkBytes, not the plaintext', async () => {
    const rt = await NodeRuntime.create({
      permissions: { network: { allow: [`127.0.0.1:${port}`] } },
      limits: { wallTimeMs: 20_000, maxNetworkBytes: 3000 },
    })
    try {
      // A ClientHello carrying 16 ALPN names of 255 bytes is past 3000 bytes.
      const hello = await rt.run<any>(`
        const alpn = Array.from({ length: 16 }, (_, i) => String(i).padStart(255, 'x'));
        require('tls').connect({ host: '127.0.0.1', port: ${port}, ALPNProtocols: alpn, rejectUnauthorized: false })
          .on('error', (e) => __return(e.code)).on('secureConnect', () => __return('connected'));`)
      expect(hello.value).toBe('ERR_SANDBOX_NETWORK_LIMIT')
    } finally {
      await rt.dispose()
    }
    const rt2 = await NodeRuntime.create({
      permissions: { network: { allow: [`127.0.0.1:${port}`] } },
      limits: { wallTimeMs: 20_000, maxNetworkBytes: 20_000 },
    })
    try {
      // 15,000 one-byte writes are ~15,000 records of ~23 bytes each.
      const writes = await rt2.run<any>(`
        const s = require('tls').connect({ host: '127.0.0.1', port: ${port}, rejectUnauthorized: false }, () => {
          let i = 0;
          const next = () => {
            while (i < 15000) { i++; if (!s.write('x')) return s.once('drain', next); }
            __return('all written');
          };
          next();
        });
        s.on('error', (e) => __return(e.code));`)
      expect(writes.value).toBe('ERR_SANDBOX_NETWORK_LIMIT')
    } finally {
      await rt2.dispose()
    }
  })
})
