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
