// Globals whose answers are the sandbox's own (no host Node to compare to),
// and the ones that must be absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create()
})
afterAll(async () => {
  await rt.dispose()
})

describe('globals', () => {
  it('has the globals of this stage and no SharedArrayBuffer', async () => {
    const names = [
      'console', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate',
      'queueMicrotask', 'structuredClone', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'atob', 'btoa',
      'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'performance', 'crypto', 'process', 'global', 'Buffer',
    ]
    const r = await rt.run<Record<string, string>>(`__return(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, typeof globalThis[n]])))`)
    for (const n of names) expect(r.value![n], n).not.toBe('undefined')
    expect((await rt.run('__return(typeof SharedArrayBuffer)')).value).toBe('undefined')
    // As under `node -e`: require is a global (of builtins only, until the module loader).
    expect((await rt.run('__return([typeof require, Object.keys(globalThis).includes("require")])')).value).toEqual(['function', false])
  })

  it('crypto.getRandomValues fills, bounds and validates', async () => {
    const r = await rt.run<any>(`
      const a = crypto.getRandomValues(new Uint8Array(64));
      let quota, mismatch;
      try { crypto.getRandomValues(new Uint8Array(65537)) } catch (e) { quota = e.name }
      try { crypto.getRandomValues(new Float64Array(2)) } catch (e) { mismatch = e.name }
      __return({ nonzero: a.some((x) => x !== 0), quota, mismatch })`)
    expect(r.value).toEqual({ nonzero: true, quota: 'QuotaExceededError', mismatch: 'TypeMismatchError' })
  })

  it('crypto.randomUUID gives v4 UUIDs that differ between calls and runs', async () => {
    const a = (await rt.run<string[]>('__return([crypto.randomUUID(), crypto.randomUUID()])')).value!
    const b = (await rt.run<string>('__return(crypto.randomUUID())')).value!
    for (const u of [...a, b]) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set([...a, b]).size).toBe(3)
  })

  it('structuredClone copies deeply and refuses functions', async () => {
    const r = await rt.run<any>(`
      const src = { m: new Map([[1, { d: new Date(5) }]]) }; src.self = src;
      const c = structuredClone(src);
      let err; try { structuredClone({ f() {} }) } catch (e) { err = e.name }
      __return({ distinct: c !== src && c.m !== src.m, cyclic: c.self === c, d: c.m.get(1).d.getTime(), err })`)
    expect(r.value).toEqual({ distinct: true, cyclic: true, d: 5, err: 'DataCloneError' })
  })

  it('performance.now is monotonic and starts near zero for each call', async () => {
    const r = await rt.run<number[]>('const a = performance.now(); for (let i = 0; i < 1e5; i++); __return([a, performance.now()])')
    const [a, b] = r.value!
    expect(a).toBeGreaterThanOrEqual(0)
    expect(a).toBeLessThan(1000)
    expect(b).toBeGreaterThanOrEqual(a)
  })

  it('TextDecoder fatal mode throws on bad bytes, as Node', async () => {
    const r = await rt.run<any>(`
      let code; try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])) } catch (e) { code = e.code }
      __return({ code, lossy: new TextDecoder().decode(new Uint8Array([0x61, 0xff])) })`)
    expect(r.value).toEqual({ code: 'ERR_ENCODING_INVALID_ENCODED_DATA', lossy: 'a\ufffd' })
  })

  it('URL parses like the WHATWG spec (via the url crate)', async () => {
    const r = await rt.run<any>(`
      const u = new URL('../b?x=1#h', 'https://user:pw@example.com:8080/a/c');
      u.searchParams.append('y', 'z w');
      let err; try { new URL('not a url') } catch (e) { err = e.code }
      __return({ href: u.href, host: u.host, origin: u.origin, err, can: URL.canParse('http://x') })`)
    expect(r.value).toEqual({
      href: 'https://user:pw@example.com:8080/b?x=1&y=z+w#h',
      host: 'example.com:8080',
      origin: 'https://example.com:8080',
      err: 'ERR_INVALID_URL',
      can: true,
    })
  })
})
