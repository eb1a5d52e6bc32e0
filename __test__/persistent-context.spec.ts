import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AbortError,
  ContextClosedError,
  GuestError,
  MemoryLimitError,
  NodeRuntime,
  RuntimeDisposedError,
  SidecarCrashedError,
  TimeoutError,
  type GuestContext,
} from '../index.js'
import { sleep } from './helpers.js'

describe('persistent contexts: state', () => {
  let rt: NodeRuntime
  let ctx: GuestContext
  beforeAll(async () => {
    rt = await NodeRuntime.create({ permissions: { fs: 'allow', env: 'allow' } })
    ctx = await rt.createContext({ env: { MODE: 'test' }, cwd: '/tmp', argv: ['a', 'b'] })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('keeps top-level bindings of every kind from one call to the next', async () => {
    await ctx.run(`
      let counter = 1
      const base = 10
      var legacy = 'v'
      function add(n) { return base + n }
      class Box { constructor(v) { this.v = v } }
      globalThis.shared = { n: 1 }
    `)
    const r = await ctx.run<unknown[]>('counter++; shared.n++; __return([counter, add(counter), legacy, new Box(3).v, shared.n, typeof Box])')
    expect(r.value).toEqual([2, 12, 'v', 3, 2, 'function'])
    expect((await ctx.run('__return(counter)')).value).toBe(2)
  })

  it('refuses to declare a binding of an earlier call again, as between two scripts', async () => {
    await ctx.run('let once = 1')
    const err: any = await ctx.run('let once = 2').catch((e) => e)
    expect(err).toBeInstanceOf(GuestError)
    expect(err.name).toBe('SyntaxError')
    expect(err.message).toMatch(/already been declared/)
    expect((await ctx.run('__return(once)')).value).toBe(1)
  })

  it('is one guest process: same pid, env, cwd and argv in every call', async () => {
    const a = await ctx.run<unknown[]>('__return([process.pid, process.env.MODE, process.cwd(), process.argv.slice(1)])')
    const b = await ctx.run<unknown[]>('process.chdir("/"); __return([process.pid, process.cwd()])')
    expect(a.value).toEqual([ctx.pid, 'test', '/tmp', ['/index.js', 'a', 'b']])
    expect(b.value).toEqual([ctx.pid, '/'])
    expect((await ctx.run('__return(process.cwd())')).value).toBe('/')
  })

  it('captures output per call and resolves each call\'s own __return', async () => {
    const a = await ctx.run('console.log("one"); console.error("err one")')
    const b = await ctx.exec('console.log("two")')
    expect(a).toMatchObject({ value: undefined, code: 0, stdout: 'one\n', stderr: 'err one\n' })
    expect(b).toMatchObject({ code: 0, stdout: 'two\n', stderr: '' })
    const m = await ctx.run<Map<string, number[]>>('__return(new Map([["k", [1, 2]]]))')
    expect(m.value).toEqual(new Map([['k', [1, 2]]]))
  })

  it('streams output to onStdio: the context\'s, or the call\'s own', async () => {
    const seen: string[] = []
    const own: string[] = []
    const c = await rt.createContext({ onStdio: (e) => seen.push(`${e.stream}:${e.data}`) })
    await c.run('console.log("ctx")')
    await c.run('console.error("call")', { onStdio: (e) => own.push(`${e.stream}:${e.data}`) })
    expect(seen).toEqual(['stdout:ctx\n'])
    expect(own).toEqual(['stderr:call\n'])
    await c.close()
  })

  it('runs timers and promises a call starts within that call', async () => {
    const r = await ctx.run('setTimeout(() => console.log("timer"), 20); Promise.resolve().then(() => console.log("job"))')
    expect(r.stdout).toBe('job\ntimer\n')
  })

  it('supports top-level await (the call runs as an async function body)', async () => {
    const r = await ctx.run('const v = await new Promise((r) => setTimeout(() => r(41), 10)); __return(v + 1)')
    expect(r.value).toBe(42)
    // Its declarations were the async function's own.
    expect((await ctx.run('__return(typeof v)')).value).toBe('undefined')
    const err: any = await ctx.run('await null\n\nthrow new RangeError("later")').catch((e) => e)
    expect(err).toBeInstanceOf(GuestError)
    expect(err.name).toBe('RangeError')
    // Lines are the code's own, wrapper or not.
    expect(err.stack).toMatch(/\/index\.js:3:7/)
    const syntax: any = await ctx.run('await null\nfunction f() { await 1 }').catch((e) => e)
    expect(syntax.name).toBe('SyntaxError')
    expect(syntax.stderr).toMatch(/^\/index\.js:2\n/)
  })

  it('has require, module, exports, __filename and __dirname as a CommonJS main has them; the module cache persists', async () => {
    const app = await rt.createContext({ filePath: '/home/user/app.js' })
    await rt.fs.writeFile('/home/user/count.js', 'let n = 0; module.exports = () => ++n')
    await app.run('const count = require("./count"); count()')
    const r = await app.run<unknown[]>(
      '__return([count(), require("./count.js")(), require.cache["/home/user/count.js"] !== undefined, typeof module.exports, exports === module.exports, __filename, __dirname, require.main === module, require("node:path").sep])',
    )
    expect(r.value).toEqual([2, 3, true, 'object', true, '/home/user/app.js', '/home/user', true, '/'])
    // A file made after an earlier call resolves in a later one.
    expect((await app.exec('require("./late")')).error?.code).toBe('MODULE_NOT_FOUND')
    await rt.fs.writeFile('/home/user/late.js', 'module.exports = "late"')
    expect((await app.run('__return(require("./late"))')).value).toBe('late')
    await app.close()
  })

  it('names stack traces after the call\'s filePath (default: the context\'s)', async () => {
    const a: any = await ctx.run('\n\nthrow new Error("here")').catch((e) => e)
    expect(a.stack).toMatch(/at \/index\.js:3:7/)
    const b: any = await ctx.run('throw new Error("there")', { filePath: '/cell-2.js' }).catch((e) => e)
    expect(b.stack).toMatch(/at \/cell-2\.js:1:7/)
  })

  it('an uncaught error rejects the call; the context and its state go on', async () => {
    await ctx.run('let kept = "yes"')
    const err: any = await ctx.run('console.log("before"); null.boom').catch((e) => e)
    expect(err).toBeInstanceOf(GuestError)
    expect(err).toMatchObject({ name: 'TypeError', exitCode: 1, stdout: 'before\n' })
    expect(err.stderr).toMatch(/^\/index\.js:1\n.*\n\s*\^\n\nTypeError: Cannot read properties of null/)
    // Printed as Node prints it, without the line of a dying process.
    expect(err.stderr).not.toMatch(/Node\.js v/)
    const e = await ctx.exec('Promise.reject(new Error("unhandled"))')
    expect(e.code).toBe(1)
    expect(e.error).toBeInstanceOf(GuestError)
    expect(ctx.closed).toBe(false)
    expect((await ctx.run('__return(kept)')).value).toBe('yes')
  })

  it('drops async ops an uncaught error left in flight: they never settle, and keep no later call waiting', async () => {
    await ctx.exec('require("fs").promises.readFile("/etc/hostname").then(() => { globalThis.read = true }); throw new Error("x")')
    await ctx.run('await new Promise((r) => setTimeout(r, 20))')
    expect((await ctx.run('__return(globalThis.read)')).value).toBeUndefined()
  })

  it('checks its options as run() does, and refuses TypeScript names', async () => {
    await expect(rt.createContext({ filePath: '/app.ts' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(rt.createContext({ cwd: 1 as any })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(ctx.run('1', { filePath: '/cell.tsx' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(ctx.run(1 as any)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(ctx.run('1', { timeoutMs: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    expect((await ctx.run('__return("still open")')).value).toBe('still open')
  })

  it('emits neither beforeExit nor exit when a call ends', async () => {
    const r = await ctx.run('process.on("beforeExit", () => console.log("beforeExit")); process.on("exit", () => console.log("exit"))')
    expect(r.stdout).toBe('')
    expect((await ctx.run('console.log("next")')).stdout).toBe('next\n')
  })
})

describe('persistent contexts: isolation', () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ permissions: { fs: 'allow' } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('contexts of a runtime see neither each other\'s globals nor run()\'s', async () => {
    const [a, b] = [await rt.createContext(), await rt.createContext()]
    expect(a.pid).not.toBe(b.pid)
    await a.run('globalThis.secret = "a"; var mine = 1')
    await b.run('globalThis.secret = "b"')
    await rt.run('globalThis.secret = "run"; globalThis.fromRun = 1')
    expect((await b.run('__return([secret, typeof mine, typeof fromRun])')).value).toEqual(['b', 'undefined', 'undefined'])
    expect((await a.run('__return([secret, mine, typeof fromRun])')).value).toEqual(['a', 1, 'undefined'])
    expect((await rt.run('__return([typeof secret, typeof mine])')).value).toEqual(['undefined', 'undefined'])
    await Promise.all([a.close(), b.close()])
  })

  it('works in a shared sidecar too', async () => {
    const shared = await NodeRuntime.create({ sidecar: 'shared' })
    try {
      const c = await shared.createContext()
      await c.run('let n = 40')
      expect((await c.run('n += 2; __return(n)')).value).toBe(42)
      expect((await shared.run('__return(typeof n)')).value).toBe('undefined')
    } finally {
      await shared.dispose()
    }
  })

  it('calls of contexts and run() queue behind each other, never overlapping', async () => {
    const c = await rt.createContext()
    const fs = 'const fs = require("fs"); '
    const [, seen] = await Promise.all([
      rt.run('import fs from "fs"; fs.writeFileSync("/tmp/turn", "start"); await new Promise((r) => setTimeout(r, 50)); fs.writeFileSync("/tmp/turn", "end")'),
      c.run<string>(fs + '__return(fs.existsSync("/tmp/turn") ? fs.readFileSync("/tmp/turn", "utf8") : "first")'),
    ])
    expect(['first', 'end']).toContain(seen.value)
    await c.close()
  })

  it('a host tool call left in flight by a context keeps no run() waiting', async () => {
    const r2 = await NodeRuntime.create({
      limits: { wallTimeMs: 3000 },
      permissions: { tool: 'allow' },
      tools: { never: () => new Promise(() => {}) },
    })
    try {
      const c = await r2.createContext()
      const e = await c.exec('tools.never(); throw new Error("left")')
      expect(e.code).toBe(1)
      expect((await r2.run('__return("not held")')).value).toBe('not held')
      expect((await c.run('__return("nor this")')).value).toBe('nor this')
    } finally {
      await r2.dispose()
    }
  })

  it('nothing of a context runs outside its own calls', async () => {
    const c = await rt.createContext()
    // An unref'd timer does not keep the call alive; it stays in the context.
    await c.run('setTimeout(() => require("fs").writeFileSync("/tmp/unref-fired", "x"), 30).unref()')
    // A timer pending when an uncaught error ended the call stays too.
    await c.exec('setTimeout(() => require("fs").writeFileSync("/tmp/left-fired", "x"), 30); throw new Error("end")')
    await rt.run('await new Promise((r) => setTimeout(r, 150))')
    await sleep(50)
    expect(await rt.fs.exists('/tmp/unref-fired')).toBe(false)
    expect(await rt.fs.exists('/tmp/left-fired')).toBe(false)
    // They fire in the context's own next call that runs long enough, as in a REPL.
    await c.run('await new Promise((r) => setTimeout(r, 10))')
    expect(await rt.fs.exists('/tmp/left-fired')).toBe(true)
    await c.close()
  })
})

describe('persistent contexts: endings', () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ limits: { cpuTimeMs: 300, wallTimeMs: 2000 } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  async function expectClosed(ctx: GuestContext, why: RegExp) {
    const err: any = await ctx.run('__return(1)').catch((e) => e)
    expect(err).toBeInstanceOf(ContextClosedError)
    expect(err.code).toBe('ERR_SANDBOX_CONTEXT_CLOSED')
    expect(err.message).toMatch(why)
    expect(ctx.closed).toBe(true)
    await expect(ctx.exec('1')).rejects.toBeInstanceOf(ContextClosedError)
  }

  it('cpuTimeMs ends the context with TimeoutError; the runtime and other contexts go on', async () => {
    const [c, other] = [await rt.createContext(), await rt.createContext()]
    await other.run('var alive = "other"')
    const err: any = await c.run('for (;;) {}').catch((e) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect(err).toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT', limit: 'cpuTimeMs', exitCode: 124 })
    await expectClosed(c, /time limit/)
    expect((await rt.run('__return("ok")')).value).toBe('ok')
    expect((await other.run('__return(alive)')).value).toBe('other')
    await other.close()
  })

  it('timeoutMs of a call ends the context (exec() reports 124)', async () => {
    const c = await rt.createContext()
    const e = await c.exec('setTimeout(() => {}, 100000)', { timeoutMs: 100 })
    expect(e.code).toBe(124)
    expect(e.error).toMatchObject({ code: 'ERR_SANDBOX_TIMEOUT', limit: 'timeoutMs' })
    await expectClosed(c, /time limit/)
  })

  it('an aborted call ends the context; a signal aborted before the call leaves it alone', async () => {
    const c = await rt.createContext()
    await c.run('var before = 1')
    const pre = new AbortController()
    pre.abort()
    await expect(c.run('before++', { signal: pre.signal })).rejects.toBeInstanceOf(AbortError)
    expect((await c.run('__return(before)')).value).toBe(1)
    // Aborted while it waits behind another call: it never ran either.
    const queued = new AbortController()
    const busy = rt.run('await new Promise((r) => setTimeout(r, 100))')
    const waiting = c.run('before++', { signal: queued.signal }).catch((e) => e)
    queued.abort()
    expect(await waiting).toBeInstanceOf(AbortError)
    await busy
    expect((await c.run('__return(before)')).value).toBe(1)
    const ac = new AbortController()
    const p = c.run('setTimeout(() => {}, 100000)', { signal: ac.signal })
    setTimeout(() => ac.abort(), 50)
    const err: any = await p.catch((e) => e)
    expect(err).toBeInstanceOf(AbortError)
    expect(err.code).toBe('ABORT_ERR')
    await expectClosed(c, /aborted/)
  })

  it('process.exit() ends the context; the call resolves with its code', async () => {
    const c = await rt.createContext()
    const r = await c.run('console.log("bye"); process.exit(3)')
    expect(r).toMatchObject({ code: 3, stdout: 'bye\n' })
    await expectClosed(c, /process\.exit/)
  })

  it('close() ends the context, is idempotent, and stops a running call', async () => {
    const c = await rt.createContext()
    await c.close()
    await c.close()
    await expectClosed(c, /closed/)
    const d = await rt.createContext()
    const running = d.run('setTimeout(() => {}, 100000)').catch((e) => e)
    const queued = d.run('__return(1)').catch((e) => e)
    await sleep(50)
    await d.close()
    const err: any = await running
    expect(err).toBeInstanceOf(ContextClosedError)
    expect(await queued).toBeInstanceOf(ContextClosedError)
    expect((await rt.run('__return(2)')).value).toBe(2)
  })

  it('bounds the open contexts of a runtime', async () => {
    const r2 = await NodeRuntime.create()
    try {
      const open = await Promise.all(Array.from({ length: 16 }, () => r2.createContext()))
      const err: any = await r2.createContext().catch((e) => e)
      expect(err).toBeInstanceOf(RangeError)
      expect(err.code).toBe('ERR_SANDBOX_TOO_MANY_CONTEXTS')
      await open[0].close()
      const again = await r2.createContext()
      expect((await again.run('__return(1)')).value).toBe(1)
      expect(new Set(open.map((c) => c.pid)).size).toBe(16)
    } finally {
      await r2.dispose()
    }
  })

  it('dispose() ends every context of the runtime', async () => {
    const r2 = await NodeRuntime.create()
    const c = await r2.createContext()
    const running = c.run('setTimeout(() => {}, 100000)').catch((e) => e)
    await sleep(50)
    await r2.dispose()
    expect(await running).toBeInstanceOf(RuntimeDisposedError)
    await expectClosed(c, /disposed/)
    await expect(r2.createContext()).rejects.toBeInstanceOf(RuntimeDisposedError)
  })
})

describe('persistent contexts: memory and crashes', () => {
  it('the memory limit ends the context, and every context of the runtime (its isolate is replaced)', async () => {
    const rt = await NodeRuntime.create({ limits: { memoryMb: 64 } })
    try {
      const [c, other] = [await rt.createContext(), await rt.createContext()]
      await other.run('var x = 1')
      const err: any = await c.run('const a = []; for (;;) a.push({ x: new Array(1000).fill("y") })').catch((e) => e)
      expect(err).toBeInstanceOf(MemoryLimitError)
      expect(err.code).toBe('ERR_SANDBOX_MEMORY_LIMIT')
      await expectClosedBy(c, /memory limit/)
      await expectClosedBy(other, /isolate was replaced/)
      expect((await rt.run('__return("fresh")')).value).toBe('fresh')
      const again = await rt.createContext()
      expect((await again.run('__return(typeof x)')).value).toBe('undefined')
    } finally {
      await rt.dispose()
    }
  })

  it('keeps what a context holds across calls, within the runtime\'s memory limit', async () => {
    const rt = await NodeRuntime.create({ limits: { memoryMb: 64 } })
    try {
      const c = await rt.createContext()
      // About 24 MB held on purpose; calls in between must not lose it.
      await c.run('globalThis.big = Array.from({ length: 300 }, (_, i) => new Array(10000).fill(i))')
      for (let i = 0; i < 3; i++) await rt.run('__return(1)')
      expect((await c.run('__return(big.length + big[299][9999])')).value).toBe(599)
    } finally {
      await rt.dispose()
    }
  })

  it('a sidecar crash ends the context with a typed error; the runtime goes on', async () => {
    const rt = await NodeRuntime.create()
    try {
      const c = await rt.createContext()
      const pending = c.run('setTimeout(() => {}, 100000)')
      await sleep(100)
      process.kill(rt.sidecarPid!, 'SIGKILL')
      const err: any = await pending.catch((e) => e)
      expect(err).toBeInstanceOf(SidecarCrashedError)
      expect(err.code).toBe('ERR_SANDBOX_CRASHED')
      await expectClosedBy(c, /sidecar/)
      expect((await rt.run('__return("again")')).value).toBe('again')
      const fresh = await rt.createContext()
      expect((await fresh.run('__return(2)')).value).toBe(2)
    } finally {
      await rt.dispose()
    }
  })

  it('a context whose sidecar died between its calls is closed', async () => {
    const rt = await NodeRuntime.create()
    try {
      const c = await rt.createContext()
      await c.run('var x = 1')
      const pid = rt.sidecarPid!
      process.kill(pid, 'SIGKILL')
      await sleep(200)
      // The next run() moves the runtime to a new sidecar; the context stays behind.
      expect((await rt.run('__return(1)')).value).toBe(1)
      expect(rt.sidecarPid).not.toBe(pid)
      await expectClosedBy(c, /sidecar/)
    } finally {
      await rt.dispose()
    }
  })
})

async function expectClosedBy(ctx: GuestContext, why: RegExp) {
  const err: any = await ctx.run('__return(1)').catch((e) => e)
  expect(err).toBeInstanceOf(ContextClosedError)
  expect(err.code).toBe('ERR_SANDBOX_CONTEXT_CLOSED')
  expect(err.message).toMatch(why)
}
