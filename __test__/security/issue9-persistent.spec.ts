// Attacks on issue 9's persistent contexts (rt.createContext()): nothing of
// one context may run, or hold memory, during another call or between its
// own calls; its memory stays within the runtime's limit however many calls
// add to it; its end (close, dispose, crash) is always a typed error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ContextClosedError,
  GuestError,
  MemoryLimitError,
  NodeRuntime,
  RuntimeDisposedError,
  type GuestContext,
} from '../../index.js'
import { sleep } from '../helpers.js'

// Fills and drops the old generation so that a full GC runs in the call
// (and weak targets of other contexts die there), then ends after a timer.
const innocent = `
  let junk = [];
  for (let r = 0; r < 4; r++) { for (let i = 0; i < 30; i++) junk.push(new Array(1 << 17).fill(r)); junk = []; }
  setTimeout(() => console.log('B done'), 20);
`

// A FinalizationRegistry (in `where`: the context itself or a vm context it
// made) with 1000 targets that die at the next full GC.
const registry = (body: string) => `
  globalThis.fr = new FinalizationRegistry(() => { ${body} });
  for (let i = 0; i < 1000; i++) fr.register({ i }, i);
`

describe('a persistent context runs nothing outside its own calls', () => {
  let rt: NodeRuntime
  beforeEach(async () => {
    rt = await NodeRuntime.create({ limits: { cpuTimeMs: 2000, wallTimeMs: 4000 }, permissions: { fs: 'allow' } })
  })
  afterEach(async () => {
    await rt.dispose()
  })

  async function expectInnocent(from: { exec: NodeRuntime['exec'] }) {
    const b = await from.exec(innocent)
    expect(b.error).toBeUndefined()
    expect(b).toMatchObject({ code: 0, stdout: 'B done\n', stderr: '' })
  }

  it("a FinalizationRegistry of a context whose targets die in another call holds neither that call nor the next; its callbacks run in the context's next call", async () => {
    // V8 requeues a cleanup that finds its context suspended at once: every
    // later call of the runtime spun on it until its CPU limit.
    const a = await rt.createContext()
    await a.run(registry('globalThis.ran = (globalThis.ran ?? 0) + 1'))
    await expectInnocent(rt)
    await expectInnocent(rt)
    const other = await rt.createContext()
    await expectInnocent(other)
    const ran = await a.run<number>('await new Promise((r) => setTimeout(r, 5)); __return(globalThis.ran)')
    expect(ran.value).toBe(1000)
  })

  it('the callbacks of a FinalizationRegistry made in a vm context of a context never run in another call', async () => {
    // They spun the CPU of whichever call ran when the targets died.
    const a = await rt.createContext()
    await a.run(`
      const vm = require('vm');
      globalThis.sb = vm.createContext();
      vm.runInContext(${JSON.stringify(registry('globalThis.ran = (globalThis.ran ?? 0) + 1'))}, sb);
    `)
    await expectInnocent(rt)
    await expectInnocent(rt)
    // They ran nowhere in between: none has run when the context's next
    // script starts, and all of them run in that call.
    const ran = await a.run<unknown[]>(`
      const vm = require('vm');
      const before = vm.runInContext('globalThis.ran', sb);
      await new Promise((r) => setTimeout(r, 5));
      __return([before, vm.runInContext('globalThis.ran', sb)]);
    `)
    expect(ran.value).toEqual([undefined, 1000])
  })

  it('jobs, ticks, immediates and timers an uncaught error left run in the context\'s next call only', async () => {
    const a = await rt.createContext()
    const e = await a.exec(`
      process.nextTick(() => console.log('tick'));
      queueMicrotask(() => console.log('micro'));
      setImmediate(() => console.log('imm'));
      setTimeout(() => require('fs').writeFileSync('/tmp/late', 'x'), 10);
      throw new Error('end')
    `)
    expect(e).toMatchObject({ code: 1, stdout: '' })
    await expectInnocent(rt)
    expect(await rt.fs.exists('/tmp/late')).toBe(false)
    const next = await a.exec('await new Promise((r) => setTimeout(r, 15)); console.log("next")')
    expect(next.stdout.split('\n').sort()).toEqual(['', 'imm', 'micro', 'next', 'tick'])
    expect(await rt.fs.exists('/tmp/late')).toBe(true)
  })

  it('a WebAssembly compile left in flight by an uncaught error settles in the context only', async () => {
    const a = await rt.createContext()
    const e = await a.exec(`
      WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => { globalThis.compiled = true; console.log('LEAK') });
      throw new Error('end')
    `)
    expect(e.code).toBe(1)
    await expectInnocent(rt)
    await expectInnocent(await rt.createContext())
    const later = await a.run('await new Promise((r) => setTimeout(r, 5)); __return(globalThis.compiled)')
    expect(later.value).toBe(true)
  })

  it('nothing runs while the runtime is idle and trims itself; the context keeps its state across the trim', async () => {
    const a = await rt.createContext()
    await a.run('var kept = "yes"; setTimeout(() => require("fs").writeFileSync("/tmp/idle", "x"), 20).unref()')
    // Past the idle trim (1 s): the prepared context and garbage go.
    await sleep(1200)
    expect(await rt.fs.exists('/tmp/idle')).toBe(false)
    expect((await rt.run('__return(typeof kept)')).value).toBe('undefined')
    expect((await a.run('__return(kept)')).value).toBe('yes')
  })
})

describe('guest code of a context cannot break the sandbox for later calls', () => {
  let rt: NodeRuntime
  beforeEach(async () => {
    rt = await NodeRuntime.create({ limits: { cpuTimeMs: 2000, wallTimeMs: 4000 }, tools: { echo: (x: unknown) => x }, permissions: { tool: 'allow', fs: 'allow' } })
  })
  afterEach(async () => {
    await rt.dispose()
  })

  it('an Error.prepareStackTrace that throws makes an uncaught error a GuestError, never a sidecar crash', async () => {
    // V8 aborted the process: the callback's exception was caught inside it
    // when the stack was read from C++.
    const pid = rt.sidecarPid
    const plain = await rt.exec(`Error.prepareStackTrace = () => { throw new Error('pst') }; throw new Error('x')`)
    expect(plain.code).toBe(1)
    expect(plain.error).toBeInstanceOf(GuestError)
    expect(plain.stderr).toMatch(/\nError: x\n/)
    // As in Node, reading .stack throws what the function threw.
    const caught = await rt.run<string>(`Error.prepareStackTrace = () => { throw new Error('pst') }; try { new Error('x').stack } catch (e) { __return(e.message) }`)
    expect(caught.value).toBe('pst')
    const c = await rt.createContext()
    await c.run(`Error.prepareStackTrace = () => { throw new Error('pst') }`)
    for (const code of ['throw new Error("y")', 'let x = (', 'try { throw new Error("z") } catch (e) { e.stack }', 'Promise.reject(new Error("r"))']) {
      const e = await c.exec(code)
      expect(e.code).toBe(1)
      expect(e.error).toBeInstanceOf(GuestError)
    }
    expect((await c.run('__return("alive")')).value).toBe('alive')
    expect(rt.sidecarPid).toBe(pid)
  })

  it('a throwing Error.prepareStackTrace does not end a shared sidecar under its neighbours', async () => {
    const [attacker, neighbour] = await Promise.all([NodeRuntime.create({ sidecar: 'shared' }), NodeRuntime.create({ sidecar: 'shared' })])
    try {
      const pending = neighbour.run<number>('await new Promise((r) => setTimeout(r, 200)); __return(7)')
      await sleep(50)
      const c = await attacker.createContext()
      await c.run(`Error.prepareStackTrace = () => { throw new Error('pst') }`)
      expect((await c.exec('throw new Error("x")')).code).toBe(1)
      expect((await pending).value).toBe(7)
    } finally {
      await Promise.all([attacker.dispose(), neighbour.dispose()])
    }
  })

  it('intrinsics poisoned in one call are never handed an internal object by the hooks of later calls', async () => {
    const c = await rt.createContext()
    await c.run(`
      globalThis.seen = new Set();
      const keys = ['returnValue', 'runMicrotasks', 'afterScript', 'timingFreeze', 'forgetPending', 'persistentMain'];
      const hasOwn = Object.hasOwn;
      const reflectApply = Reflect.apply;
      let busy = false;
      const note = (where, args) => {
        if (busy) return;
        busy = true;
        for (const a of args) {
          if (a === null || (typeof a !== 'object' && typeof a !== 'function')) continue;
          for (const k of keys) { try { if (hasOwn(a, k)) seen.add(where + ' ' + k) } catch {} }
        }
        busy = false;
      };
      const FP = Function.prototype;
      FP.call = function (...args) { note('call', args); return reflectApply(this, args[0], args.slice(1)); };
      FP.apply = function (t, a) { note('apply', [t, ...(a || [])]); return reflectApply(this, t, a || []); };
      const push = Array.prototype.push;
      Array.prototype.push = function (...args) { note('push', [this, ...args]); return reflectApply(push, this, args); };
      for (const key of ['exports', 'hooks', 'native', 'config', 'require', 'then']) {
        Object.defineProperty(Object.prototype, key, {
          configurable: true,
          set(v) { note('set ' + key, [this, v]); Object.defineProperty(this, key, { value: v, writable: true, configurable: true, enumerable: true }); },
        });
      }
    `)
    const load = await c.exec(`
      for (const name of Object.getOwnPropertyNames(globalThis)) { try { void globalThis[name]; } catch {} }
      setTimeout(() => {}, 1); setImmediate(() => {}); process.nextTick(() => {});
      Promise.reject(new Error('handled')).catch(() => {});
      require('fs').promises.readFile('/etc/hostname'); tools.echo(1); __return({ a: 1 });
    `)
    expect(load.stderr).toBe('')
    expect((await c.exec('throw new Error("boom")')).code).toBe(1)
    const r = await c.run<string[]>('await new Promise((r) => setTimeout(r, 5)); __return([...seen])')
    expect(r.value).toEqual([])
  })

  it("globals a call replaces or freezes break only the context's own later calls", async () => {
    const attacks = [
      `Object.defineProperty(globalThis, 'process', { get() { throw new Error('no process') }, configurable: false })`,
      'Object.freeze(globalThis)',
      'require = null; module = null; exports = null; __filename = 1; __return = null',
      'Promise.prototype.then = function () { throw new Error("then") }; Symbol.prototype.toString = null',
    ]
    for (const attack of attacks) {
      const c = await rt.createContext()
      await c.run(attack)
      // Whatever the next call meets is an ordinary guest outcome.
      const next = await c.exec('setTimeout(() => console.log("t"), 1); Promise.resolve().then(() => console.log("m")); console.log("sync")')
      expect([0, 1]).toContain(next.code)
      if (next.code === 1) expect(next.error).toBeInstanceOf(GuestError)
      expect(c.closed).toBe(false)
      const plain = await rt.exec('setTimeout(() => console.log("plain"), 1)')
      expect(plain).toMatchObject({ code: 0, stdout: 'plain\n', stderr: '' })
      await c.close()
    }
  })

  it('code and output at their bounds: typed errors, the context goes on', async () => {
    const c = await rt.createContext()
    await expect(c.run('//' + 'a'.repeat(17 << 20))).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
    const flood = await c.exec('const s = "x".repeat(1 << 16); for (let i = 0; i < 40; i++) process.stdout.write(s)')
    expect(flood).toMatchObject({ code: 0, stdoutTruncated: true })
    expect(flood.stdout.length).toBe(1 << 20)
    expect((await c.run('__return("still")')).value).toBe('still')
  })
})

describe('memory of a persistent context', () => {
  it.each(['dedicated', 'shared'] as const)(
    'WebAssembly memory added over many short calls ends the context at the memory limit (%s)',
    async (sidecar) => {
      // The watchdog checks memory outside the heap only in calls longer
      // than its first poll: short calls added up to any amount.
      const rt = await NodeRuntime.create({ sidecar, limits: { memoryMb: 32 } })
      try {
        const c = await rt.createContext()
        await c.run('globalThis.keep = []')
        let err: unknown
        let calls = 0
        for (; calls < 30 && err === undefined; calls++) {
          err = await c.run('{ const m = new WebAssembly.Memory({ initial: 64 }); new Uint8Array(m.buffer).fill(1); keep.push(m) }').then(() => undefined, (e) => e)
        }
        expect(err).toBeInstanceOf(MemoryLimitError)
        // 4 MiB per call: the limit (32 MiB) is met within 8 calls, not 30.
        expect(calls).toBeLessThanOrEqual(9)
        await expect(c.run('1')).rejects.toBeInstanceOf(ContextClosedError)
        expect((await rt.run('__return(1)')).value).toBe(1)
      } finally {
        await rt.dispose()
      }
    },
  )
})

describe('the open contexts of a runtime', () => {
  it('contexts lost with a crashed sidecar do not count against the cap of 16', async () => {
    const rt = await NodeRuntime.create()
    try {
      const old = await Promise.all(Array.from({ length: 16 }, () => rt.createContext()))
      process.kill(rt.sidecarPid!, 'SIGKILL')
      await sleep(100)
      expect((await rt.run('__return(1)')).value).toBe(1)
      const fresh = await rt.createContext()
      expect((await fresh.run('__return(2)')).value).toBe(2)
      // The old ones say why they ended, then are gone for good.
      await expect(old[0].run('1')).rejects.toThrow(/sidecar/)
      const more = await Promise.allSettled(Array.from({ length: 16 }, () => rt.createContext()))
      expect(more.filter((r) => r.status === 'fulfilled')).toHaveLength(15)
      expect(more.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'ERR_SANDBOX_TOO_MANY_CONTEXTS' } })
    } finally {
      await rt.dispose()
    }
  })

  it('creates racing closes and the cap: never more than 16 open, and the cap frees as they close', async () => {
    const rt = await NodeRuntime.create()
    try {
      const first = await Promise.allSettled(Array.from({ length: 20 }, () => rt.createContext()))
      const open = first.filter((r): r is PromiseFulfilledResult<GuestContext> => r.status === 'fulfilled').map((r) => r.value)
      expect(open).toHaveLength(16)
      const churn = await Promise.allSettled(open.flatMap((c) => [c.close(), rt.createContext()]))
      expect(churn.every((r) => r.status === 'fulfilled')).toBe(true)
      const now = churn.map((r) => (r as PromiseFulfilledResult<GuestContext | undefined>).value).filter((c): c is GuestContext => c !== undefined)
      expect(now).toHaveLength(16)
      await expect(rt.createContext()).rejects.toMatchObject({ code: 'ERR_SANDBOX_TOO_MANY_CONTEXTS' })
      await Promise.all(now.map((c) => c[Symbol.asyncDispose]()))
      const again = await Promise.all(Array.from({ length: 16 }, () => rt.createContext()))
      expect(new Set(again.map((c) => c.pid)).size).toBe(16)
    } finally {
      await rt.dispose()
    }
  })

  it('dispose() while contexts start: each start rejects with RuntimeDisposedError', async () => {
    // They rejected as SidecarCrashedError, or as a RangeError saying the
    // options were too large (the channel closed under them).
    for (let round = 0; round < 2; round++) {
      const rt = await NodeRuntime.create()
      const starting = Array.from({ length: 5 }, () => rt.createContext())
      const disposed = rt.dispose()
      for (const r of await Promise.allSettled(starting)) {
        expect(r.status).toBe('rejected')
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RuntimeDisposedError)
      }
      await disposed
    }
  })

  it('close() stops a busy call and refuses the calls queued behind it; the runtime goes on', async () => {
    const rt = await NodeRuntime.create({ limits: { cpuTimeMs: 5000 } })
    try {
      const c = await rt.createContext()
      const busy = c.run('for (;;) {}').catch((e) => e)
      const queued = [c.run('__return(1)').catch((e) => e), c.exec('1', { onStdio() {} }).catch((e) => e)]
      await sleep(50)
      await c.close()
      expect(await busy).toBeInstanceOf(ContextClosedError)
      for (const q of await Promise.all(queued)) expect(q).toBeInstanceOf(ContextClosedError)
      expect((await rt.run('__return("next")')).value).toBe('next')
    } finally {
      await rt.dispose()
    }
  })
})
