// Every builtin module name Node has: each resolves (with and without
// `node:`, or only with it where Node has it only so), builtinModules lists
// them as Node 20.20 does, modules not written yet fail clearly call by
// call, and modules the sandbox will never have fail on require.
import { describe, expect, it } from 'vitest'
import { hostNode, useRuntime } from './helpers.js'

const host = useRuntime({ permissions: { fs: 'allow' } })

// Names whose modules other parts of issue 8 write; each comes off this list
// as it lands.
const pending = new Set([
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_writable',
  'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'zlib',
])

const refused = ['cluster', 'inspector', 'inspector/promises', 'repl', 'trace_events', 'wasi']
const prefixOnly = ['test', 'test/reporters', 'sea', 'sqlite']

function hostJson(code: string) {
  const r = hostNode(`process.stdout.write(JSON.stringify((() => { ${code} })()))`)
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout)
}

describe('builtin module names', () => {
  it('builtinModules is the host Node 20.20 list', async () => {
    const hostList = hostJson(`return require('module').builtinModules`)
    const r = await host.rt.run(`__return(require('module').builtinModules)`)
    expect(r.value).toEqual(hostList)
  })

  it('every name resolves, with and without node:, to the same module', async () => {
    const r = await host.rt.run(`
      const out = {};
      for (const n of require('module').builtinModules) {
        if (${JSON.stringify([...pending, ...refused])}.includes(n)) continue;
        const a = require(n), b = require('node:' + n);
        out[n] = [a === b, typeof a, require('module').isBuiltin(n), require('module').isBuiltin('node:' + n)];
      }
      __return(out)`)
    const names: string[] = hostJson(`return require('module').builtinModules`).filter(
      (n: string) => !pending.has(n) && !refused.includes(n),
    )
    expect(Object.keys(r.value as object).sort()).toEqual([...names].sort())
    for (const n of names) {
      const [same, type, isBuiltin, isPrefixed] = (r.value as Record<string, [boolean, string, boolean, boolean]>)[n]
      expect([n, same, isBuiltin, isPrefixed], n).toEqual([n, true, true, true])
      expect(['object', 'function'], n).toContain(type)
    }
  })

  it('has the names Node has only with node:, and only with it', async () => {
    const r = await host.rt.run(`
      const { isBuiltin } = require('module');
      __return(${JSON.stringify(prefixOnly)}.map((n) => {
        let bare;
        try { require(n); bare = 'loaded'; } catch (e) { bare = e.code; }
        return [n, typeof require('node:' + n), bare, isBuiltin('node:' + n), isBuiltin(n)];
      }))`)
    expect(r.value).toEqual(prefixOnly.map((n) => [n, n === 'test' ? 'function' : 'object', 'MODULE_NOT_FOUND', true, false]))
  })

  it('refuses the modules the sandbox will never have, naming them', async () => {
    const r = await host.rt.run(`
      __return(${JSON.stringify(refused)}.map((n) => {
        try { require('node:' + n); return 'loaded'; } catch (e) { return [e.name, e.code, e.message]; }
      }))`)
    expect(r.value).toEqual(
      refused.map((n) => ['Error', 'ERR_SANDBOX_UNSUPPORTED', `The ${n} module is not supported in this sandbox`]),
    )
    const again = await host.rt.run(`try { require('cluster') } catch { } try { require('cluster') } catch (e) { __return(e.code) }`)
    expect(again.value).toBe('ERR_SANDBOX_UNSUPPORTED')
  })
})

describe('modules not written yet', () => {
  // Export names are compared for all of them, written or not.
  const named = ['child_process', 'net', 'http', 'https', 'http2', 'dns', 'dgram', 'tls', '_http_agent',
    '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server', '_tls_common', '_tls_wrap']
  const stubbed = ['http2', 'dgram', '_http_common', '_tls_common']

  it('have the export names of Node, in its order', async () => {
    const hostKeys = hostJson(`const out = {}; for (const n of ${JSON.stringify([...named, 'dns/promises'])}) out[n] = Object.keys(require(n)); return out`)
    const r = await host.rt.run(`
      const out = {};
      for (const n of ${JSON.stringify([...named, 'dns/promises'])}) out[n] = Object.keys(require(n));
      __return(out)`)
    expect(r.value).toEqual(hostKeys)
  })

  it('fail each call with ERR_SANDBOX_UNSUPPORTED naming it', async () => {
    const r = await host.rt.run(`
      const out = [];
      for (const n of ${JSON.stringify(stubbed)}) {
        const m = require(n);
        for (const k of Object.keys(m)) {
          const v = m[k];
          if (typeof v !== 'function' || ['isIP', 'isIPv4', 'isIPv6', 'validateHeaderName', 'validateHeaderValue',
            '_checkInvalidHeaderChar', '_checkIsHttpToken', 'getDefaultSettings'].includes(k)) continue;
          try {
            if (/^[A-Z]/.test(k)) new v(); else v();
            out.push([n, k, 'no error']);
          } catch (e) {
            out.push([n, k, e.code, e.message]);
          }
        }
      }
      __return(out)`)
    const rows = r.value as string[][]
    expect(rows.length).toBeGreaterThan(15)
    for (const [n, k, code, message] of rows) {
      expect(code, `${n}.${k}`).toBe('ERR_SANDBOX_UNSUPPORTED')
      expect(message, `${n}.${k}`).toMatch(/^\S+\.\S+ is not implemented in this sandbox yet$/)
      expect(message.split(' ')[0].endsWith(`.${k}`), `${n}.${k}`).toBe(true)
    }
    const socket = await host.rt.run(`try { require('dgram').createSocket('udp4') } catch (e) { __return([e.name, e.message]) }`)
    expect(socket.value).toEqual(['Error', 'dgram.createSocket is not implemented in this sandbox yet'])
  })

  it('keep their data real', async () => {
    const code = `const http = require('http'), h2 = require('http2'), dns = require('dns'), tls = require('tls');
      return [http.METHODS, http.STATUS_CODES, h2.constants, h2.getDefaultSettings(), http.maxHeaderSize,
        [dns.ADDRCONFIG, dns.ALL, dns.V4MAPPED, dns.NODATA, dns.CANCELLED], tls.DEFAULT_CIPHERS, tls.DEFAULT_MIN_VERSION,
        typeof h2.sensitiveHeaders]`
    const r = await host.rt.run(`__return((() => { ${code} })())`)
    expect(r.value).toEqual(hostJson(code))
  })

  it('classes can be extended and checked before they are constructed', async () => {
    const r = await host.rt.run(`
      const tls = require('tls');
      class MyServer extends tls.Server {}
      let err;
      try { new MyServer() } catch (e) { err = e.message }
      __return([typeof MyServer, err])`)
    expect(r.value).toEqual(['function', 'tls.Server is not implemented in this sandbox yet'])
  })
})

describe('console, process, constants, module', () => {
  it('console and process are the globals', async () => {
    const r = await host.rt.run(`__return([require('console') === console, require('process') === process,
      typeof require('console').Console, require('console').Console === console.Console])`)
    expect(r.value).toEqual([true, true, 'function', true])
  })

  it('constants merges os and fs constants as Node does', async () => {
    const code = `const c = require('constants'); return [Object.isFrozen(c), c.O_RDONLY, c.O_CREAT, c.S_IFMT, c.ENOENT,
      c.SIGKILL, c.RTLD_NOW, c.PRIORITY_HIGH, c.COPYFILE_EXCL, c.F_OK, c.W_OK]`
    const r = await host.rt.run(`__return((() => { ${code} })())`)
    expect(r.value).toEqual(hostJson(code))
  })

  it('domain runs functions and tracks the active domain', async () => {
    const r = await host.rt.run(`
      const domain = require('domain');
      const d = domain.create();
      const seen = d.run((a) => [domain.active === d, a], 7);
      __return([seen, domain.active, typeof domain.Domain, d instanceof require('events')])`)
    expect(r.value).toEqual([[true, 7], null, 'function', true])
  })

  it('tty says nothing is a terminal and makes no streams', async () => {
    const r = await host.rt.run(`
      const tty = require('tty');
      const out = [tty.isatty(0), tty.isatty(1), tty.isatty(2), tty.isatty(99)];
      for (const C of [tty.ReadStream, tty.WriteStream]) {
        try { new C(1) } catch (e) { out.push([e.name, e.code, e.message]) }
      }
      __return(out)`)
    expect(r.value).toEqual([false, false, false, false,
      ['SystemError', 'ERR_TTY_INIT_FAILED', 'TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)'],
      ['SystemError', 'ERR_TTY_INIT_FAILED', 'TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)']])
  })
})
