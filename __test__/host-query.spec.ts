// Host queries: a guest asks the host (here: host tools) and waits, sync
// or async; stop, timeout, abort and dispose end a pending query at once;
// one runtime's output flood never holds up another's queries.
import { describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'
import { sleep, useRuntime } from './helpers'

const never = () => new Promise(() => {})
const tools = {
  add: async ({ a, b }: { a: number; b: number }) => a + b,
  echo: (v: unknown) => v,
  fail: () => {
    throw Object.assign(new RangeError('host says no'), { code: 'E_HOST' })
  },
  hang: never,
}
const t = useRuntime({ tools, permissions: { tool: 'allow' } })

describe('host tools over host queries', () => {
  it('answer async and sync calls, with structured-cloned values', async () => {
    const r = await t.rt.run(`
      const sum = await tools.add({ a: 2, b: 40 })
      const back = tools.echo.sync({ m: new Map([[1, 'x']]), d: new Date(0), u: new Uint8Array([1, 2]) })
      __return([sum, back.m.get(1), back.d.getTime(), Array.from(back.u), Object.keys(tools)])
    `)
    expect(r.value).toEqual([42, 'x', 0, [1, 2], ['add', 'echo', 'fail', 'hang']])
  })

  it('a host exception arrives with its name, message and code, without the host stack', async () => {
    const r = await t.rt.run(`
      const out = []
      try { await tools.fail() } catch (e) { out.push(e.name, e.message, e.code, e.stack) }
      try { tools.fail.sync() } catch (e) { out.push(e.name, e.code) }
      __return(out)
    `)
    const [name, message, code, stack, syncName, syncCode] = r.value as string[]
    expect([name, message, code, syncName, syncCode]).toEqual(['RangeError', 'host says no', 'E_HOST', 'RangeError', 'E_HOST'])
    expect(stack).not.toContain(__filename)
    expect(stack).not.toContain('host-query.spec')
  })

  it('arguments that cannot be cloned fail in the guest', async () => {
    const r = await t.rt.run(`try { tools.echo.sync(() => 1) } catch (e) { __return(e.name) }`)
    expect(r.value).toBe('DataCloneError')
  })

  it('bytes of queries waiting for the host are bounded per runtime', async () => {
    const r = await t.rt.run(`
      const big = new Uint8Array(20 * 1024 * 1024)
      const ps = []
      for (let i = 0; i < 4; i++) ps.push(tools.hang(big).catch((e) => e.code))
      // Three fit under the bound and wait; the fourth is refused at once.
      ps[3].then((code) => { __return(code); process.exit(0) })
    `, { timeoutMs: 5000 })
    expect(r.value).toBe('ERR_SANDBOX_HOST_QUERY')
  })

  it('a timeout ends a guest blocked in a sync query promptly', async () => {
    const t0 = Date.now()
    const r = await t.rt.exec(`tools.hang.sync({})`, { timeoutMs: 300 })
    expect(r.code).toBe(124)
    expect(Date.now() - t0).toBeLessThan(3000)
    // The runtime serves the next call.
    expect((await t.rt.run(`tools.add({ a: 1, b: 1 }).then(__return)`)).value).toBe(2)
  })

  it('an abort ends a guest blocked in a sync query promptly', async () => {
    const ac = new AbortController()
    const t0 = Date.now()
    const p = t.rt.exec(`tools.hang.sync({})`, { signal: ac.signal })
    await sleep(100)
    ac.abort()
    const r = await p.catch((e) => e)
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(r.code === 130 || r.name === 'AbortError').toBe(true)
  })

  it('a pending async query keeps the loop alive until the time limit', async () => {
    const r = await t.rt.exec(`tools.hang({}); console.log('end')`, { timeoutMs: 500 })
    // A refed pending query keeps the loop alive until the time limit.
    expect(r.code).toBe(124)
    expect(r.stdout).toBe('end\n')
  })

  it('dispose during a pending query ends the call promptly', async () => {
    const rt = await NodeRuntime.create({ tools, sidecar: 'shared', permissions: { tool: 'allow' } })
    const t0 = Date.now()
    const p = rt.exec(`tools.hang.sync({})`).catch((e) => e)
    await sleep(150)
    await rt.dispose()
    await p
    expect(Date.now() - t0).toBeLessThan(3000)
  })

  it('in a shared sidecar, one runtime flooding stdout does not hold up another runtime\'s queries', async () => {
    let chunks = 0
    const flooder = await NodeRuntime.create({
      sidecar: 'shared',
      onStdio: () => {
        chunks++
        const until = Date.now() + 2
        while (Date.now() < until);
      },
    })
    const asker = await NodeRuntime.create({ sidecar: 'shared', tools, permissions: { tool: 'allow' } })
    try {
      const flood = flooder.exec(`const s = 'x'.repeat(65536); for (;;) process.stdout.write(s)`, { timeoutMs: 4000 })
      await sleep(200)
      const t0 = Date.now()
      for (let i = 0; i < 10; i++) {
        const r = await asker.run(`tools.add({ a: ${i}, b: 1 }).then((v) => __return(v + tools.add.sync({ a: 0, b: 0 })))`)
        expect(r.value).toBe(i + 1)
      }
      const took = Date.now() - t0
      const f = await flood
      expect(f.code).toBe(124)
      expect(chunks).toBeGreaterThan(10)
      // All ten calls finished while the flood was still going.
      expect(took).toBeLessThan(3000)
    } finally {
      await Promise.all([flooder.dispose(), asker.dispose()])
    }
  })

  it('a host answer too large for one message reaches the guest as an error, not a hang', async () => {
    const rt = await NodeRuntime.create({ tools: { big: () => new Uint8Array(70 << 20) }, permissions: { tool: 'allow' } })
    try {
      const r = await rt.run(`(async () => { try { await tools.big() } catch (e) { __return([e.name, e.code]) } })()`, { timeoutMs: 20_000 })
      expect(r.value).toEqual(['RangeError', 'ERR_SANDBOX_RESULT_TOO_LARGE'])
    } finally {
      await rt.dispose()
    }
  })
})
