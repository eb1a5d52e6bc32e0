// require('url'): the legacy API and helpers, where the differential cases
// (__test__/differential/url_*.js) cannot show the sandbox's side.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const t = useRuntime({ permissions: { fs: 'allow' } })

describe('url (legacy)', () => {
  it('exports the legacy API next to the WHATWG classes', async () => {
    const r = await t.rt.run(`const url = require('url');
      __return([Object.keys(url), url.URL === URL, url.URLSearchParams === URLSearchParams, require('node:url') === url])`)
    expect(r.value).toEqual([['Url', 'parse', 'resolve', 'resolveObject', 'format', 'URL', 'URLSearchParams', 'domainToASCII',
      'domainToUnicode', 'pathToFileURL', 'fileURLToPath', 'urlToHttpOptions'], true, true, true])
  })

  it('warns once (DEP0170) about an invalid port and carries on', async () => {
    const r = await t.rt.exec(`const url = require('url');
      const a = url.parse('http://host:port/x'); const b = url.parse('http://other:bad/');
      console.log(a.hostname, a.pathname, b.hostname, b.pathname)`)
    expect(r.stdout).toBe('host /:port/x other /:bad/\n')
    expect(r.stderr.match(/DEP0170/g)).toHaveLength(1)
    expect(r.stderr).toContain('The URL http://host:port/x is invalid. Future versions of Node.js will throw an error.')
  })

  it('refuses a host IDNA would turn into something else (ERR_INVALID_URL)', async () => {
    const r = await t.rt.run(`const out = [];
      for (const u of ['http://xn--iñvalid.com/', 'http://[::1%zz]/', 'http://\\u00ad/']) {
        try { out.push(require('url').parse(u).host) } catch (e) { out.push([e.code, e.input]) }
      }
      __return(out)`)
    expect(r.value).toEqual([['ERR_INVALID_URL', 'http://xn--iñvalid.com/'], ['ERR_INVALID_URL', 'http://[::1%zz]/'],
      ['ERR_INVALID_URL', 'http://\u00ad/']])
  })

  it('bounds what reaches IDNA: a 64 KiB domain is refused by the kernel', async () => {
    const r = await t.rt.run(`const url = require('url'); const big = 'a'.repeat(70000) + '.com'; const out = [];
      try { url.domainToASCII(big) } catch (e) { out.push([e.code, e.name]) }
      try { url.domainToUnicode(big) } catch (e) { out.push([e.code]) }
      out.push(url.parse('http://' + big + '/').hostname);
      __return(out)`)
    expect(r.value).toEqual([['ERR_OUT_OF_RANGE', 'RangeError'], ['ERR_OUT_OF_RANGE'], ''])
  })

  it('pathToFileURL resolves relative paths against the guest cwd', async () => {
    const r = await t.rt.run(`const url = require('url');
      __return([url.pathToFileURL('rel/f.txt').href, url.pathToFileURL('./dir/').href, url.fileURLToPath(url.pathToFileURL('/a b/c#d'))])`,
    { cwd: '/workspace/proj' })
    expect(r.value).toEqual(['file:///workspace/proj/rel/f.txt', 'file:///workspace/proj/dir/', '/a b/c#d'])
  })

  it('parse/format/resolve round-trip and argument errors', async () => {
    const r = await t.rt.run(`const url = require('url'); const out = [];
      const u = url.parse('HTTP://User@Example.COM:81/a/../b?x=1#y', true);
      out.push(url.format(u), u.query.x, url.resolve(u.href, '/c'), url.format({ protocol: 'https', hostname: 'h', query: { q: 'a b' } }));
      for (const f of [() => url.parse(1), () => url.format(1), () => url.format(new URL('http://x'), 'bad'), () => url.domainToASCII(),
        () => url.pathToFileURL(1), () => url.fileURLToPath('http://x/'), () => url.fileURLToPath('file://host/x'),
        () => url.fileURLToPath('file:///a%2Fb')]) {
        try { f(); out.push('no error') } catch (e) { out.push(e.code) }
      }
      __return(out)`)
    expect(r.value).toEqual(['http://User@example.com:81/a/../b?x=1#y', '1', 'http://User@example.com:81/c', 'https://h?q=a%20b',
      'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_MISSING_ARGS', 'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_URL_SCHEME', 'ERR_INVALID_FILE_URL_HOST', 'ERR_INVALID_FILE_URL_PATH'])
  })
})
