// Attacks on issue 9's host fast path and call queue (binding.submit, the
// runtime's turn, PendingCalls): every call settles, with its own outcome
// or a typed error, whatever aborts, crashes and disposals race with it;
// bad options are refused with Node's errors; idle trims and entry-format
// detection carry nothing of a call into the next.
import { describe, expect, it } from 'vitest'
import {
  AbortError,
  ContextClosedError,
  NodeRuntime,
  RuntimeDisposedError,
  SidecarCrashedError,
  TimeoutError,
} from '../../index.js'
import { perTestRuntimes, sleep } from '../helpers.js'

// Every call's fate, by kind; a call that never settles fails the test by its timeout.
async function fates(calls: Promise<unknown>[]) {
  const seen: Record<string, number> = {}
  for (const r of await Promise.allSettled(calls)) {
    const k = r.status === 'fulfilled' ? 'ok' : (r.reason?.constructor?.name ?? String(r.reason))
    seen[k] = (seen[k] ?? 0) + 1
  }
  return seen
}

describe('aborts', () => {
  const make = perTestRuntimes()

  it('an abort made right after the call is sent stops it, also before the sidecar began it', async () => {
    // The sidecar dropped a cancel that came before its runtime thread took
    // the call up: the busy loop then ran to its CPU limit.
    const rt = await make({ limits: { cpuTimeMs: 3000 } })
    const kinds = [
      (signal: AbortSignal) => rt.run('for (;;) {}', { signal }),
      (signal: AbortSignal) => rt.run('for (;;) {}', { signal, onStdio() {} }),
    ]
    for (let i = 0; i < 8; i++) {
      for (const call of kinds) {
        const ac = new AbortController()
        const p = call(ac.signal)
        ac.abort()
        await expect(p).rejects.toBeInstanceOf(AbortError)
      }
    }
    // The same after the runtime trimmed itself (its next context is made first).
    await sleep(1100)
    const ac = new AbortController()
    const p = rt.run('for (;;) {}', { signal: ac.signal })
    ac.abort()
    await expect(p).rejects.toBeInstanceOf(AbortError)
    expect((await rt.run('__return("fine")')).value).toBe('fine')
  }, 20_000)

  it("a context call aborted right after it is sent is stopped (and ends the context, as an abort during a call does)", async () => {
    const rt = await make({ limits: { cpuTimeMs: 3000 } })
    for (let i = 0; i < 4; i++) {
      const c = await rt.createContext()
      const ac = new AbortController()
      const p = c.run('for (;;) {}', { signal: ac.signal })
      ac.abort()
      const err = await p.catch((e) => e)
      expect(err).toBeInstanceOf(AbortError)
      expect(err).not.toBeInstanceOf(TimeoutError)
    }
  }, 20_000)

  it('aborts before, during and after calls of every kind: each settles as itself, nothing hangs', async () => {
    const rt = await make()
    const c = await rt.createContext()
    await c.run('var n = 0')
    const calls: Promise<unknown>[] = []
    const when = [
      (ac: AbortController) => ac.abort(),
      (ac: AbortController) => queueMicrotask(() => ac.abort()),
      (ac: AbortController) => setTimeout(() => ac.abort(), 0),
      (ac: AbortController) => setImmediate(() => ac.abort()),
      () => {},
    ]
    for (let i = 0; i < 60; i++) {
      const ac = new AbortController()
      const target = i % 3 === 0 ? c : rt
      const p = target.run('n = (globalThis.n ?? 0) + 1; __return(1)', { signal: ac.signal, onStdio: i % 2 ? () => {} : undefined })
      when[i % when.length](ac)
      // An abort after the call settled changes nothing.
      calls.push(p.finally(() => ac.abort()))
    }
    const seen = await fates(calls)
    expect(Object.keys(seen).sort()).toEqual(expect.arrayContaining(['AbortError', 'ok']))
    for (const k of Object.keys(seen)) expect(['ok', 'AbortError', 'ContextClosedError']).toContain(k)
    expect((await rt.run('__return("after")')).value).toBe('after')
  })
})

describe('crashes and disposal with calls in line', () => {
  const make = perTestRuntimes()

  it('a sidecar crash with fast, streamed and context calls queued: each settles; the runtime goes on in a new sidecar', async () => {
    const rt = await make()
    const c = await rt.createContext()
    const pid = rt.sidecarPid
    const calls: Promise<unknown>[] = [rt.run('await new Promise((r) => setTimeout(r, 300))')]
    for (let i = 0; i < 45; i++) {
      if (i % 3 === 0) calls.push(rt.run(`__return(${i})`))
      else if (i % 3 === 1) calls.push(rt.exec(`console.log(${i})`, { onStdio() {} }))
      else calls.push(c.run(`__return(${i})`, i % 2 ? { onStdio() {} } : {}))
    }
    const settled = fates(calls)
    await sleep(100)
    process.kill(pid!, 'SIGKILL')
    const seen = await settled
    // The running call and the context's calls are lost with the sidecar;
    // the runtime's calls after it run in the next one.
    expect(seen.SidecarCrashedError).toBeGreaterThanOrEqual(1)
    expect(seen.ContextClosedError).toBe(15)
    expect(seen.ok).toBe(30 - (seen.SidecarCrashedError - 1))
    expect(rt.sidecarPid).not.toBe(pid)
    expect((await rt.run('__return("moved")')).value).toBe('moved')
  })

  it('dispose() with many calls of every kind queued: each rejects with RuntimeDisposedError or completes', async () => {
    const rt = await NodeRuntime.create()
    const c = await rt.createContext()
    const calls: Promise<unknown>[] = []
    for (let i = 0; i < 45; i++) {
      if (i % 3 === 0) calls.push(c.run('await new Promise((r) => setTimeout(r, 20))'))
      else if (i % 3 === 1) calls.push(rt.exec(`console.log(${i})`, { onStdio() {} }))
      else calls.push(rt.run(`__return(${i})`))
    }
    const settled = fates(calls)
    await sleep(30)
    await rt.dispose()
    const seen = await settled
    for (const k of Object.keys(seen)) expect(['ok', 'RuntimeDisposedError']).toContain(k)
    expect(seen.RuntimeDisposedError).toBeGreaterThan(30)
    await expect(rt.run('1')).rejects.toBeInstanceOf(RuntimeDisposedError)
    await expect(c.run('1')).rejects.toBeInstanceOf(ContextClosedError)
  })

  it('a streamed call whose listener is slow still settles when the sidecar dies mid-stream', async () => {
    const rt = await make()
    let chunks = 0
    const p = rt.exec('const s = "x".repeat(1 << 16); for (let i = 0; i < 1000; i++) process.stdout.write(s)', {
      onStdio() {
        chunks++
        const t = Date.now()
        while (Date.now() - t < 2) {}
      },
    })
    await sleep(100)
    process.kill(rt.sidecarPid!, 'SIGKILL')
    await expect(p).rejects.toBeInstanceOf(SidecarCrashedError)
    expect(chunks).toBeGreaterThan(0)
    expect((await rt.run('__return(1)')).value).toBe(1)
  })
})

describe('options a host gets wrong', () => {
  const make = perTestRuntimes()

  it('a relative cwd, or a path with a NUL byte, is refused with ERR_INVALID_ARG_VALUE', async () => {
    // A relative cwd made every relative path of the guest fail with EINVAL.
    const rt = await make()
    for (const cwd of ['rel', '', '../..', '/tmp\0x']) {
      await expect(rt.run('1', { cwd })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' })
      await expect(rt.exec('1', { cwd })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
      await expect(rt.createContext({ cwd })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    }
    await expect(rt.run('1', { filePath: '/a\0.js' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(rt.createContext({ filePath: '/a\0.js' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    const c = await rt.createContext()
    await expect(c.run('1', { filePath: '/cell\0.js' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    expect((await rt.run('__return(process.cwd())', { cwd: '/tmp' })).value).toBe('/tmp')
    expect((await c.run('__return(1)')).value).toBe(1)
  })

  it('timeouts out of range, option getters that throw or change, and too much of everything: clear errors, no call made', async () => {
    const rt = await make()
    const c = await rt.createContext()
    for (const timeoutMs of [NaN, Infinity, -1, 0, 1e300]) {
      await expect(rt.run('1', { timeoutMs })).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
      await expect(c.run('1', { timeoutMs })).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
    }
    const boom = new Error('host getter')
    await expect(rt.run('1', { get filePath(): string { throw boom } })).rejects.toBe(boom)
    await expect(c.run('1', { get signal(): AbortSignal { throw boom } })).rejects.toBe(boom)
    await expect(rt.createContext({ env: { get A(): string { throw boom } } })).rejects.toBe(boom)
    // Each option is read once: a getter that changes cannot pass a check and then differ.
    let reads = 0
    const shifty = { get cwd() { return reads++ === 0 ? '/tmp' : 'relative' } }
    expect((await rt.run('__return(process.cwd())', shifty)).value).toBe('/tmp')
    expect(reads).toBe(1)
    await expect(rt.run(new String('1') as unknown as string)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(c.run('//' + 'x'.repeat(17 << 20))).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(rt.createContext({ argv: Array.from({ length: 9000 }, () => 'a'.repeat(8000)) })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    expect((await c.run('__return("fine")')).value).toBe('fine')
    expect((await rt.run('__return("fine")')).value).toBe('fine')
  })
})

describe('nothing of a call survives into the next', () => {
  const make = perTestRuntimes()

  it('entry code compiled as CommonJS first and run as a module runs once, and leaves nothing', async () => {
    const rt = await make({ permissions: { fs: 'allow' } })
    const e = await rt.exec('console.log("once"); globalThis.leak = 1; Object.prototype.polluted = 1; export const x = 1')
    expect(e).toMatchObject({ code: 0, stdout: 'once\n' })
    // Not module syntax: a CommonJS failure, never retried as a module.
    const bad = await rt.exec('console.log("ran"); return return')
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect((await rt.run('__return([typeof leak, ({}).polluted])')).value).toEqual(['undefined', undefined])
    // And after an idle trim, when the next call's context is made afresh.
    await sleep(1100)
    expect((await rt.run('__return([typeof leak, ({}).polluted])')).value).toEqual(['undefined', undefined])
  })
})
