import { describe, expect, it } from 'vitest'
import { NodeRuntime, SidecarCrashedError } from '../index.js'
import { sleep } from './helpers.js'

// With a warm pool, create() asks a started sidecar for the runtime and
// resolves without waiting for its answer; the runtime's calls follow the
// request on the same channel. A pooled sidecar's spare runtime has made one
// call of its own before it is handed out.

// What a guest process sees of itself and of its global scope.
const probe = `__return(JSON.stringify({
  pid: process.pid,
  ppid: process.ppid,
  globals: Object.getOwnPropertyNames(globalThis).sort(),
  argv: process.argv,
  cwd: process.cwd(),
  uptimeUnder1s: process.uptime() < 1,
}))`

describe('create() from a warm pool', () => {
  it('calls made right after create() run in order, for runtimes made at once and one after another', async () => {
    await sleep(300) // the pool is full
    const rts = await Promise.all(Array.from({ length: 5 }, () => NodeRuntime.create()))
    try {
      const results = await Promise.all(
        rts.map(async (rt, i) => {
          const a = rt.run<number>(`globalThis.n = ${i}; __return(${i})`)
          const b = rt.run<string>('__return(typeof globalThis.n)')
          return [(await a).value, (await b).value]
        }),
      )
      expect(results).toEqual(rts.map((_, i) => [i, 'undefined']))
      for (let i = 0; i < 3; i++) {
        const rt = await NodeRuntime.create()
        try {
          expect((await rt.run('__return(40 + 2)')).value).toBe(42)
        } finally {
          await rt.dispose()
        }
        await sleep(120) // refilled
      }
    } finally {
      await Promise.all(rts.map((r) => r.dispose()))
    }
  })

  it('a runtime whose sidecar dies right after create() fails the call in flight and moves on its next call', async () => {
    await sleep(300)
    const rt = await NodeRuntime.create()
    try {
      const pid = rt.sidecarPid!
      process.kill(pid, 'SIGKILL')
      const first: any = await rt.run('__return(1)').then(
        (r) => r,
        (e) => e,
      )
      // Either the call reached the dead sidecar (and says so) or the host
      // saw the death first and moved the runtime.
      if (first instanceof Error) {
        expect(first).toBeInstanceOf(SidecarCrashedError)
        expect((first as any).code).toBe('ERR_SANDBOX_CRASHED')
      } else {
        expect(first.value).toBe(1)
      }
      expect((await rt.run('__return(2)')).value).toBe(2)
      expect(rt.sidecarPid).not.toBe(pid)
    } finally {
      await rt.dispose()
    }
  })

  it("the spare's own call leaves nothing: a runtime's first call sees what a never-used isolate's does", async () => {
    await sleep(300)
    // From the pool: its isolate made a call before create().
    const warmed = await NodeRuntime.create({ sidecar: 'shared' })
    // The second runtime of the shared sidecar gets a new isolate.
    const fresh = await NodeRuntime.create({ sidecar: 'shared' })
    const seen: string[] = []
    const listened = await NodeRuntime.create({ onStdio: (e) => seen.push(e.data.toString()) })
    try {
      const a = JSON.parse((await warmed.run<string>(probe)).value!)
      const b = JSON.parse((await fresh.run<string>(probe)).value!)
      expect(a).toEqual(b)
      expect(a.pid).toBe(b.pid)
      expect(a.uptimeUnder1s).toBe(true)
      const r = await listened.run('console.log("mine")')
      expect(r.stdout).toBe('mine\n')
      expect(seen.join('')).toBe('mine\n')
    } finally {
      await Promise.all([warmed.dispose(), fresh.dispose(), listened.dispose()])
    }
  })
})
