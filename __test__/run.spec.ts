import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GuestError, NodeRuntime, RuntimeDisposedError } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create()
})
afterAll(async () => {
  await rt.dispose()
})

describe('run() values', () => {
  it('returns primitives', async () => {
    for (const [src, want] of [
      ['1.5', 1.5],
      ['"str"', 'str'],
      ['true', true],
      ['null', null],
      ['-0', -0],
      ['123456789012345678901234567890n', 123456789012345678901234567890n],
    ] as const) {
      expect((await rt.run(`__return(${src})`)).value).toEqual(want)
    }
    expect((await rt.run('__return(undefined)')).value).toBeUndefined()
    expect(Object.is((await rt.run('__return(-0)')).value, -0)).toBe(true)
  })

  it('returns structured-clone values, nested and cyclic', async () => {
    const r = await rt.run<any>(`
      const o = { n: 1, arr: [1, 'two', { three: 3 }], map: new Map([['k', new Set([1, 2])]]),
                  date: new Date(86400000), re: /a+b/gi, big: 10n,
                  u8: new Uint8Array([1, 2, 3]), f64: new Float64Array([0.5]), ab: new Uint8Array([9]).buffer };
      o.self = o;
      __return(o);
    `)
    const v = r.value
    expect(v.n).toBe(1)
    expect(v.arr).toEqual([1, 'two', { three: 3 }])
    expect(v.map).toEqual(new Map([['k', new Set([1, 2])]]))
    expect(v.date).toEqual(new Date(86400000))
    expect(v.re.source).toBe('a+b')
    expect(v.re.flags).toBe('gi')
    expect(v.big).toBe(10n)
    expect(Array.from(v.u8)).toEqual([1, 2, 3])
    expect(v.u8).toBeInstanceOf(Uint8Array)
    expect(v.f64[0]).toBe(0.5)
    expect(new Uint8Array(v.ab)[0]).toBe(9)
    expect(v.self).toBe(v)
  })

  it('returns errors as errors', async () => {
    const r = await rt.run<Error>('const e = new RangeError("bad"); __return(e)')
    expect(r.value).toBeInstanceOf(RangeError)
    expect(r.value!.message).toBe('bad')
  })

  it('rejects non-cloneable values with DataCloneError', async () => {
    const p = rt.run('__return({ f() {} })')
    await expect(p).rejects.toBeInstanceOf(GuestError)
    await expect(p).rejects.toMatchObject({ name: 'DataCloneError' })
    await expect(rt.run('__return(Symbol("s"))')).rejects.toMatchObject({ name: 'DataCloneError' })
  })

  it('is undefined when the guest never calls __return', async () => {
    const r = await rt.run('const x = 1')
    expect(r.value).toBeUndefined()
    expect(r.code).toBe(0)
  })

  it('waits for pending work after __return', async () => {
    const r = await rt.run('__return(1); setTimeout(() => console.log("after"), 20)')
    expect(r.value).toBe(1)
    expect(r.stdout).toBe('after\n')
  })

  it('settles with the value given after an await', async () => {
    const r = await rt.run('await new Promise((r) => setTimeout(r, 10)); __return("tla")')
    expect(r.value).toBe('tla')
  })
})

describe('run() errors', () => {
  it('rejects with the guest error, its name, message, stack and output', async () => {
    const err: any = await rt.run('console.log("before");\nnull.x').catch((e) => e)
    expect(err).toBeInstanceOf(GuestError)
    expect(err.name).toBe('TypeError')
    expect(err.message).toBe("Cannot read properties of null (reading 'x')")
    expect(err.stack).toContain('/index.js:2:6')
    expect(err.stdout).toBe('before\n')
    expect(err.code).toBe('ERR_SANDBOX_GUEST_ERROR')
    expect(err.exitCode).toBe(1)
  })

  it("keeps the guest error's own code", async () => {
    const err: any = await rt.run('const e = new Error("x"); e.code = "E_MINE"; throw e').catch((e) => e)
    expect(err.code).toBe('E_MINE')
  })

  it('reports line and column in the user file name without wrapper offsets', async () => {
    const err: any = await rt.run('\n\n  throw new Error("at line 3")', { filePath: '/app/main.js' }).catch((e) => e)
    expect(err.stack).toContain('/app/main.js:3:9')
  })

  it('names builtin frames node:<module>, at their lines and columns in src/guest', async () => {
    const err: any = await rt.run('new URL("nope")').catch((e) => e)
    expect(err.code).toBe('ERR_INVALID_URL')
    const timer = await rt.exec('setTimeout(() => { throw new Error("late") }, 0)')
    // The arrow points at the user's line, never into a builtin.
    expect(timer.stderr).toMatch(/^\/index\.js:1\n/)
    const frames = [err.stack, timer.stderr].flatMap((stack: string) =>
      [...stack.matchAll(/^ {4}at (?:(?:new )?([\w.]+) )?\(?node:(\w+):(\d+):(\d+)\)?$/gm)].map((m, i, all) => ({
        callee: i > 0 ? all[i - 1][1]?.split('.').pop() : undefined,
        line: readFileSync(join(__dirname, '..', 'src', 'guest', `${m[2]}.js`), 'utf8').split('\n')[Number(m[3]) - 1],
        column: Number(m[4]),
      })),
    )
    expect(frames.length).toBeGreaterThan(3)
    for (const f of frames) expect(f.column).toBeLessThanOrEqual(f.line.length)
    // A frame's position is the call of the frame above it.
    expect(frames.some((f) => f.callee && f.line.slice(f.column - 1).startsWith(f.callee))).toBe(true)
  })

  it('names file, line and column of a SyntaxError', async () => {
    const e = await rt.exec('let a = 1;\nlet b = ;', { filePath: '/bad.js' })
    expect(e.code).toBe(1)
    expect(e.error?.name).toBe('SyntaxError')
    expect(e.stderr).toMatch(/^\/bad\.js:2\nlet b = ;\n {8}\^/)
    expect(e.stderr).toContain('SyntaxError: Unexpected token')
    // run() rejects with the location in the stack, as Node decorates it.
    const err: any = await rt.run('let a = 1;\nlet b = ;', { filePath: '/bad.js' }).catch((x) => x)
    expect(err.name).toBe('SyntaxError')
    expect(err.stack).toMatch(/^\/bad\.js:2\nlet b = ;\n {8}\^\n\nSyntaxError: Unexpected token ';'/)
  })

  it('turns an unhandled rejection into an uncaught error', async () => {
    const err: any = await rt.run('Promise.reject(new TypeError("nope"))').catch((e) => e)
    expect(err.name).toBe('TypeError')
    expect(err.message).toBe('nope')
  })

  it('rejects a string code argument of the wrong type', async () => {
    await expect(rt.run(42 as any)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(rt.exec('1', { timeoutMs: 'x' as any })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(rt.exec('1', { timeoutMs: -5 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
  })

  it('bounds filePath and cwd as a path, for run() as for contexts', async () => {
    const long = '/' + 'd'.repeat(4096)
    await expect(rt.run('1', { filePath: long })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(rt.exec('1', { cwd: long })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(rt.createContext({ filePath: long })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    expect((await rt.run('__return(__filename)', { filePath: '/' + 'd'.repeat(200) + '.js' })).value).toBe('/' + 'd'.repeat(200) + '.js')
  })
})

describe('isolation between calls', () => {
  it('gives every call fresh globals', async () => {
    await rt.run('globalThis.leak = 1; var leakVar = 2; Object.prototype.polluted = 3; Array.prototype.push = null')
    const r = await rt.run<any>(
      '__return([typeof leak, typeof leakVar, ({}).polluted, typeof [].push])',
    )
    expect(r.value).toEqual(['undefined', 'undefined', undefined, 'function'])
  })

  it('shows the guest only the env it was given', async () => {
    process.env.SECURE_EXEC_HOST_SECRET = 'hunter2'
    const open = await NodeRuntime.create({ permissions: { env: 'allow' } })
    try {
      const r = await open.run<any>('__return({ ...process.env })', { env: { ONLY: 'this' } })
      expect(r.value).toEqual({ ONLY: 'this' })
      const none = await open.run<any>('__return(Object.keys(process.env).length)')
      expect(none.value).toBe(0)
    } finally {
      await open.dispose()
    }
  })

  it('runs the guest in another OS process than the host', async () => {
    const pid = rt.sidecarPid
    expect(typeof pid).toBe('number')
    expect(pid).not.toBe(process.pid)
    const r = await rt.run<number>('__return(process.pid)')
    expect(r.value).not.toBe(process.pid)
  })

  it('passes argv, cwd and stdin', async () => {
    const r = await rt.run<any>(
      `let data = '';
       process.stdin.setEncoding('utf8');
       process.stdin.on('data', (c) => (data += c));
       process.stdin.on('end', () => __return({ argv: process.argv.slice(2), cwd: process.cwd(), data }));`,
      { argv: ['a', 'b'], cwd: '/work', stdin: 'piped in' },
    )
    expect(r.value).toEqual({ argv: ['a', 'b'], cwd: '/work', data: 'piped in' })
  })
})

describe('dispose()', () => {
  it('is idempotent and later calls reject with RuntimeDisposedError', async () => {
    const r = await NodeRuntime.create()
    await r.dispose()
    await r.dispose()
    await expect(r.run('1')).rejects.toBeInstanceOf(RuntimeDisposedError)
    await expect(r.exec('1')).rejects.toMatchObject({ code: 'ERR_SANDBOX_DISPOSED' })
    expect(r.sidecarPid).toBeUndefined()
  })

  it('rejects a call that is running when the runtime is disposed', async () => {
    const r = await NodeRuntime.create()
    const p = r.run('setTimeout(() => {}, 5000)').catch((e) => e)
    await new Promise((res) => setTimeout(res, 100))
    await r.dispose()
    expect(await p).toBeInstanceOf(RuntimeDisposedError)
  })
})

describe('bounds on what crosses the boundary', () => {
  it('refuses a __return value over the bound with a clear RangeError', async () => {
    const err: any = await rt.run('__return(new Uint8Array(25 * 1024 * 1024))').catch((e) => e)
    expect(err.name).toBe('RangeError')
    expect(err.code).toBe('ERR_OUT_OF_RANGE')
    expect(err.message).toContain('too large')
    expect((await rt.run('__return(1)')).value).toBe(1)
  })

  it('refuses code over the bound before sending it', async () => {
    await expect(rt.exec('//' + 'x'.repeat(17 * 1024 * 1024))).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    expect((await rt.run('__return(2)')).value).toBe(2)
  })
})
