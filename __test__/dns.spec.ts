// node:dns lookups answered by the kernel: this machine's names and
// literal addresses in the sandbox, other names by the host under the
// network policy. A denied name is never looked up, and an address the
// guest may not reach (this host's loopback, private ranges) is never told.
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

async function inRuntime(network: unknown, code: string) {
  const rt = await NodeRuntime.create({ permissions: network === undefined ? {} : { network: network as any } })
  try {
    return (await rt.run<any>(code)).value
  } finally {
    await rt.dispose()
  }
}

describe('dns.lookup', () => {
  it('answers localhost and literal addresses in the sandbox, whatever the policy', async () => {
    const v = await inRuntime(undefined, `
      const dns = require('dns');
      const out = {};
      dns.lookup('localhost', (e, a, f) => { out.one = [e, a, f];
        dns.lookup('localhost', { all: true }, (e, all) => { out.all = all;
          dns.lookup('::1', (e, a, f) => { out.v6 = [a, f];
            dns.lookup('', (e, a, f) => { out.empty = [e, a, f];
              dns.promises.lookup('localhost', { family: 6 }).then((r) => { out.promise = r;
                dns.resolve4('localhost', (e, r4) => { out.resolve4 = r4; __return(out); });
              });
            });
          });
        });
      });`)
    expect(v).toEqual({
      one: [null, '127.0.0.1', 4],
      all: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }],
      v6: ['::1', 6],
      empty: [null, null, 4],
      promise: { address: '::1', family: 6 },
      resolve4: ['127.0.0.1'],
    })
  })

  it('refuses a name the policy denies with EACCES, without asking the host', async () => {
    const v = await inRuntime({ allow: ['*'], deny: ['*.blocked.example'] }, `
      require('dns').lookup('a.blocked.example', (e) => __return([e.code, e.errno, e.syscall, e.hostname, e.message]))`)
    expect(v).toEqual(['EACCES', -13, 'getaddrinfo', 'a.blocked.example', 'getaddrinfo EACCES a.blocked.example'])
    const byDefault = await inRuntime(undefined, `
      require('dns').promises.lookup('example.com').catch((e) => __return(e.code))`)
    expect(byDefault).toBe('EACCES')
  })

  it('never tells a guest of an address it may not reach, unless an allow entry names it', async () => {
    const name = hostname()
    const hidden = await inRuntime('allow', `require('dns').lookup(${JSON.stringify(name)}, (e, a) => __return([e && e.code, a]))`)
    expect(hidden).toEqual(['ENOTFOUND', undefined])
    const named = await inRuntime({ allow: ['127.0.0.0/8'] }, `require('dns').lookup(${JSON.stringify(name)}, { all: true }, (e, a) => __return([e && e.code, a]))`)
    expect(named[0]).toBe(null)
    expect(named[1].map((x: any) => x.address)).toContain('127.0.0.1')
    const nx = await inRuntime('allow', `require('dns').lookup('nonexistent.invalid', (e) => __return([e.code, e.errno, e.message]))`)
    expect(nx).toEqual(['ENOTFOUND', -3008, 'getaddrinfo ENOTFOUND nonexistent.invalid'])
  })

  it('a host name longer than any name is not found, before any parsing', async () => {
    const v = await inRuntime('allow', `
      const long = 'a'.repeat(5000) + '.example';
      require('dns').lookup(long, (e1) => {
        require('net').connect(80, long).on('error', (e2) => __return([e1.code, e2.code, e2.syscall]));
      });`)
    expect(v).toEqual(['ENOTFOUND', 'ENOTFOUND', 'getaddrinfo'])
  })

  it('validates its arguments as Node does', async () => {
    const v = await inRuntime(undefined, `
      const dns = require('dns');
      const out = [];
      for (const f of [() => dns.lookup(1, () => {}), () => dns.lookup('x', { family: 5 }, () => {}), () => dns.lookup('x'), () => dns.setDefaultResultOrder('x')]) {
        try { f(); out.push('no error'); } catch (e) { out.push(e.code); }
      }
      dns.setDefaultResultOrder('ipv4first');
      out.push(dns.getDefaultResultOrder());
      __return(out)`)
    expect(v).toEqual(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ipv4first'])
  })
})

// A DNS server on this machine's loopback, answering from `zone` over UDP
// and TCP on one port: a UDP answer larger than the asker takes comes
// truncated, as a real server's does, and is asked again over TCP.
// Questions are counted; `silent` drops them all.
async function dnsServer(zone: Record<string, Array<{ type: string; data: unknown; ttl?: number }>>, silent = false) {
  const packet = await import('dns-packet')
  const dgram = await import('node:dgram')
  const net = await import('node:net')
  const asked: string[] = []
  const answer = (msg: Buffer, limit: number) => {
    const q = packet.decode(msg)
    const question = q.questions![0]
    asked.push(`${question.type} ${question.name}`)
    const records = (zone[question.name] ?? []).filter((r) => (question.type as string) === 'ANY' || r.type === question.type)
    const flags = packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (zone[question.name] ? 0 : 3)
    const reply = (answers: unknown[], tc: number) =>
      packet.encode({ type: 'response', id: q.id, flags: flags | tc, questions: q.questions, answers: answers as any })
    const full = reply(records.map((r) => ({ name: question.name, type: r.type, ttl: r.ttl ?? 300, data: r.data })), 0)
    if (full.length <= limit) return full
    return reply([], packet.TRUNCATED_RESPONSE)
  }
  const udp = dgram.createSocket('udp4')
  udp.on('message', (msg, rinfo) => {
    if (silent) return
    const opt = (packet.decode(msg).additionals ?? []).find((a: any) => a.type === 'OPT') as any
    udp.send(answer(msg, opt ? opt.udpPayloadSize : 512), rinfo.port, rinfo.address)
  })
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r))
  const port = udp.address().port
  const tcp = net.createServer((s) => {
    let buf = Buffer.alloc(0)
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d])
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0))
        buf = buf.subarray(2 + msg.length)
        if (silent) continue
        const out = answer(msg, 65535)
        const len = Buffer.alloc(2)
        len.writeUInt16BE(out.length)
        s.write(Buffer.concat([len, out]))
      }
    })
    s.on('error', () => {})
  })
  await new Promise<void>((r) => tcp.listen(port, '127.0.0.1', r))
  return { port, asked, close: () => { udp.close(); tcp.close() } }
}

describe('dns.resolve*', () => {
  const zone = {
    'mail.example.test': [
      { type: 'MX', data: { preference: 10, exchange: 'mx1.example.test' } },
      { type: 'MX', data: { preference: 20, exchange: 'mx2.example.test' } },
      { type: 'TXT', data: ['v=spf1 -all', 'second'] },
      { type: 'A', data: '93.184.215.14', ttl: 42 },
      { type: 'A', data: '10.1.2.3' },
      { type: 'AAAA', data: '2606:2800:21f:cb07::1' },
    ],
    'example.test': [
      { type: 'NS', data: 'ns1.example.test' },
      { type: 'SOA', data: { mname: 'ns1.example.test', rname: 'admin.example.test', serial: 7, refresh: 3600, retry: 600, expire: 86400, minimum: 60 } },
      { type: 'CAA', data: { flags: 0, tag: 'issue', value: 'ca.example.net' } },
    ],
    'alias.example.test': [{ type: 'CNAME', data: 'mail.example.test' }],
    '_sip._tcp.example.test': [{ type: 'SRV', data: { priority: 1, weight: 5, port: 5060, target: 'sip.example.test' } }],
    'naptr.example.test': [{ type: 'NAPTR', data: { order: 100, preference: 10, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example.test' } }],
    '4.3.2.1.in-addr.arpa': [{ type: 'PTR', data: 'host.example.test' }],
    '5.0.0.10.in-addr.arpa': [{ type: 'PTR', data: 'db-primary.corp.internal' }],
    'secret.example.test': [{ type: 'TXT', data: ['the secret'] }],
    'long.example.test': [{ type: 'TXT', data: ['a'.repeat(255), 'b'.repeat(255)] }],
    // 300 private addresses before the one public: more than an answer keeps.
    'crowded.example.test': [
      ...Array.from({ length: 300 }, (_, i) => ({ type: 'A', data: `10.0.${i >> 8}.${i & 255}` })),
      { type: 'A', data: '93.184.215.14' },
    ],
  }

  it('answers each record type in Node\'s shapes, from the servers setServers() named', async () => {
    const server = await dnsServer(zone)
    try {
      const v = await inRuntime({ allow: [`127.0.0.1:${server.port}`, '*.example.test', 'example.test', '1.2.3.4'] }, `
        const dns = require('dns');
        dns.setServers(['127.0.0.1:${server.port}']);
        const p = dns.promises;
        (async () => {
          const out = {};
          out.servers = dns.getServers();
          out.mx = await p.resolveMx('mail.example.test');
          out.txt = await p.resolveTxt('mail.example.test');
          out.a = await p.resolve4('mail.example.test');
          out.attl = await p.resolve4('mail.example.test', { ttl: true });
          out.aaaa = await p.resolve('mail.example.test', 'AAAA');
          out.ns = await p.resolveNs('example.test');
          out.soa = await p.resolveSoa('example.test');
          out.caa = await p.resolveCaa('example.test');
          out.cname = await p.resolveCname('alias.example.test');
          out.srv = await p.resolveSrv('_sip._tcp.example.test');
          out.naptr = await p.resolveNaptr('naptr.example.test');
          out.reverse = await p.reverse('1.2.3.4');
          out.cb = await new Promise((r) => dns.resolveMx('mail.example.test', (e, a) => r([e, a.length])));
          out.nx = await p.resolveMx('nothing.example.test').catch((e) => [e.code, e.errno, e.syscall, e.hostname, e.message]);
          out.nodata = await p.resolveSrv('mail.example.test').catch((e) => [e.code, e.message]);
          __return(out);
        })();`)
      expect(v).toEqual({
        servers: [`127.0.0.1:${server.port}`],
        mx: [{ exchange: 'mx1.example.test', priority: 10 }, { exchange: 'mx2.example.test', priority: 20 }],
        txt: [['v=spf1 -all', 'second']],
        // 10.1.2.3 is private: a guest whose policy does not name it is not told of it.
        a: ['93.184.215.14'],
        attl: [{ address: '93.184.215.14', ttl: 42 }],
        aaaa: ['2606:2800:21f:cb07::1'],
        ns: ['ns1.example.test'],
        soa: { nsname: 'ns1.example.test', hostmaster: 'admin.example.test', serial: 7, refresh: 3600, retry: 600, expire: 86400, minttl: 60 },
        caa: [{ critical: 0, issue: 'ca.example.net' }],
        cname: ['mail.example.test'],
        srv: [{ name: 'sip.example.test', port: 5060, priority: 1, weight: 5 }],
        naptr: [{ flags: 'S', service: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example.test', order: 100, preference: 10 }],
        reverse: ['host.example.test'],
        cb: [null, 2],
        nx: ['ENOTFOUND', undefined, 'queryMx', 'nothing.example.test', 'queryMx ENOTFOUND nothing.example.test'],
        nodata: ['ENODATA', 'querySrv ENODATA mail.example.test'],
      })
    } finally {
      server.close()
    }
  })

  it('a Resolver has its own servers, and cancel() ends its queries', async () => {
    const server = await dnsServer(zone)
    try {
      const v = await inRuntime({ allow: [`127.0.0.1:${server.port}`, '*.example.test'] }, `
        const { Resolver } = require('dns').promises;
        const r = new Resolver();
        r.setServers(['127.0.0.1:${server.port}']);
        const other = new (require('dns').Resolver)();
        other.setServers(['127.0.0.1:${server.port}']);
        other.resolveMx('mail.example.test', (e) => {
          r.resolveMx('mail.example.test').then((mx) => __return([e.code, e.message, mx.length, require('dns').getServers()]));
        });
        other.cancel();`)
      expect(v).toEqual(['ECANCELLED', 'queryMx ECANCELLED mail.example.test', 2, []])
    } finally {
      server.close()
    }
  })

  it('asks only servers and names the policy allows, and never without a policy', async () => {
    const server = await dnsServer(zone)
    try {
      const q = (name: string) => `
        const dns = require('dns');
        dns.setServers(['127.0.0.1:${server.port}']);
        dns.resolveMx(${JSON.stringify(name)}, (e) => __return(e && [e.code, e.syscall, e.message]));`
      // The server is not allowed (loopback needs a rule naming it).
      expect(await inRuntime({ allow: ['*.example.test'] }, q('mail.example.test'))).toEqual(['EACCES', 'queryMx', 'queryMx EACCES mail.example.test'])
      expect(await inRuntime('allow', q('mail.example.test'))).toEqual(['EACCES', 'queryMx', 'queryMx EACCES mail.example.test'])
      expect(await inRuntime(undefined, q('mail.example.test'))).toEqual(['EACCES', 'queryMx', 'queryMx EACCES mail.example.test'])
      // A deny entry names it.
      expect(await inRuntime({ allow: [`127.0.0.1:${server.port}`, '*'], deny: ['mail.example.test'] }, q('mail.example.test'))).toEqual(['EACCES', 'queryMx', 'queryMx EACCES mail.example.test'])
      // With the host's resolvers, a name no allow entry could match is not asked either.
      expect(await inRuntime({ allow: ['api.example.test:443'] }, `
        require('dns').resolveTxt('secret.attacker.example', (e) => __return(e.code))`)).toBe('EACCES')
      // None of those reached the server.
      expect(server.asked).toEqual([])
      // A host function decides on names, never on a loopback server: the guard holds.
      const targets: string[] = []
      const decide = (r: { target: string }) => {
        targets.push(r.target)
        return true
      }
      expect(await inRuntime(decide, q('mail.example.test'))).toEqual(['EACCES', 'queryMx', 'queryMx EACCES mail.example.test'])
      expect(targets).toEqual([])
      expect(server.asked).toEqual([])
    } finally {
      server.close()
    }
  })

  it('asks for a denied name in no spelling, and names no address behind the guard', async () => {
    const server = await dnsServer(zone)
    try {
      const v = await inRuntime({ allow: [`127.0.0.1:${server.port}`, '*'], deny: ['secret.example.test'] }, `
        const dns = require('dns');
        dns.setServers(['127.0.0.1:${server.port}']);
        const p = dns.promises;
        const code = (promise) => promise.then((v) => ['ok', v], (e) => e.code);
        (async () => {
          __return([
            // A resolver reads \\t as t: no name with characters a resolver escapes is sent.
            await code(p.resolveTxt('secre\\t.example.test')),
            await code(p.resolveTxt('secre\\x5c164.example.test')),
            await code(p.resolveTxt('SECRET.example.test.')),
            await code(p.lookup('secre\\t.example.test')),
            // Reverse names of guarded addresses, in every form that asks for one.
            await code(p.reverse('10.0.0.5')),
            await code(p.resolvePtr('5.0.0.10.in-addr.arpa')),
            await code(p.resolveAny('5.0.0.10.in-addr.arpa')),
            await code(p.resolveSoa('0.10.in-addr.arpa')),
            await p.lookupService('10.0.0.5', 22),
            await code(p.reverse('1.2.3.4')),
            // Hidden addresses are left out before the answer is bounded, and long answers come over TCP.
            await code(p.resolve4('crowded.example.test')),
            await code(p.resolveTxt('long.example.test')),
          ]);
        })();`)
      expect(v).toEqual([
        'EBADNAME', 'EBADNAME', 'EACCES', 'ENOTFOUND',
        'EACCES', 'EACCES', 'EACCES', 'EACCES', { hostname: '10.0.0.5', service: 'ssh' }, ['ok', ['host.example.test']],
        ['ok', ['93.184.215.14']], ['ok', [['a'.repeat(255), 'b'.repeat(255)]]],
      ])
      expect(server.asked.filter((q) => q.includes('secret') || q.includes('10.in-addr'))).toEqual([])
      // An allow entry naming the address lets its name be asked.
      const named = await inRuntime({ allow: [`127.0.0.1:${server.port}`, '*', '10.0.0.5'] }, `
        const dns = require('dns');
        dns.setServers(['127.0.0.1:${server.port}']);
        dns.reverse('10.0.0.5', (e, names) => __return([e, names]));`)
      expect(named).toEqual([null, ['db-primary.corp.internal']])
    } finally {
      server.close()
    }
  })

  it('cancel() leaves nothing that keeps the call waiting', async () => {
    const server = await dnsServer(zone, true)
    const rt = await NodeRuntime.create({
      permissions: { network: { allow: [`127.0.0.1:${server.port}`, '*.example.test'] } },
      limits: { connectTimeoutMs: 60_000 },
    })
    try {
      const r = await rt.exec(`
        const { Resolver } = require('dns');
        const r = new Resolver();
        r.setServers(['127.0.0.1:${server.port}']);
        for (let i = 0; i < 20; i++) r.resolveTxt('n' + i + '.example.test', (e) => { if (i === 19) console.log(e.code); });
        setTimeout(() => r.cancel(), 50);`, { timeoutMs: 20_000 })
      expect([r.code, r.stdout]).toEqual([0, 'ECANCELLED\n'])
    } finally {
      await rt.dispose()
      server.close()
    }
  })

  it('validates its arguments as Node does', async () => {
    const v = await inRuntime(undefined, `
      const dns = require('dns');
      const out = [];
      for (const f of [() => dns.setServers(['1.2.3']), () => dns.setServers('x'), () => dns.resolve('x', 'FOO', () => {}),
        () => dns.resolve('x', 1, () => {}), () => dns.resolveMx(1, () => {}), () => dns.resolveMx('x'), () => dns.reverse('1.2.3', () => {}),
        () => new dns.Resolver({ timeout: 'x' }), () => dns.lookupService('x', 1, () => {}), () => dns.lookupService('1.2.3.4', 1),
        () => dns.lookupService('1.2.3.4', 70000, () => {})]) {
        try { f(); out.push('no error'); } catch (e) { out.push(e.code); }
      }
      dns.setServers(['[::1]:5353', '127.0.0.1', '127.0.0.1:53']);
      out.push(dns.getServers());
      dns.lookupService('127.0.0.1', 22, (e, host, service) => { out.push([e, host, service]); __return(out); });`)
    expect(v).toEqual(['ERR_INVALID_IP_ADDRESS', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'EINVAL', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_MISSING_ARGS',
      'ERR_SOCKET_BAD_PORT', ['[::1]:5353', '127.0.0.1'], [null, 'localhost', 'ssh']])
  })
})
