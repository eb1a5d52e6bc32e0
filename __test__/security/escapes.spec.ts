// Published sandbox escapes (vm2, isolated-vm, node:vm, safe-eval and the
// like), adapted to secure-exec and grouped by family. Every case must be
// refused: the guest never reaches a host object, the host's process,
// require, fs or memory, another call or another runtime.
//   1. constructor chains from what the host hands in (tool results, tool errors)
//   2. Proxy traps, getters, toJSON, toPrimitive, species on values crossing out
//   3. stack tricks (prepareStackTrace call sites, stack getters, inspect.custom)
//   4. prototype pollution across calls and runtimes
//   5. getters and Proxies in the host's own options (checked value = used value)
//   6. WebAssembly and Atomics
//   7. path tricks on mounts and the VFS (/proc, /dev, guessed fds, link swaps)
//   8. SSRF forms against an allowlist of one host server
// Already covered elsewhere, not repeated: cross-call.spec.ts (late work of a
// call), internals.spec.ts and poisoned-intrinsics.spec.ts (builtins under
// replaced intrinsics), memory-accounting.spec.ts (shared memory, wasm
// memory), mounts.spec.ts and fs-escape.spec.ts (.. and symlinks out of a
// mount), net-egress.spec.ts (loopback, metadata and redirect forms under
// "allow" and "*").
// Found here and fixed: a VFS symlink swapped by a child process between
// the fs policy check and the open (its test is in fs-escape.spec.ts).
// Also found here and fixed: an uncaught error whose stack getter never
// returns ran past cpuTimeMs until the watchdog ended a shared sidecar.
// And: an Error a host tool returned carried the host's stack (and its
// paths) into the guest.
import http from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect, types } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime, type RuntimeOptions } from '../../index.js'

// Code that, run anywhere, marks the realm it ran in. Run on the host it
// would set the host's global; the tests check that it never is.
const MARK = `const hit = () => { globalThis.__escapeMark = (globalThis.__escapeMark || 0) + 1; try { process.exitCode = 77 } catch {} return 'hit' };`
const hostMarked = () => (globalThis as any).__escapeMark

beforeAll(() => {
  ;(globalThis as any).__hostOnly = 'host global'
  process.env.SECURE_EXEC_ESCAPE_SECRET = 'host env secret'
})
afterAll(() => {
  delete (globalThis as any).__hostOnly
  delete process.env.SECURE_EXEC_ESCAPE_SECRET
  expect(hostMarked()).toBeUndefined()
})

async function withRt<T>(options: Parameters<typeof NodeRuntime.create>[0], f: (rt: NodeRuntime) => Promise<T>) {
  const rt = await NodeRuntime.create({ ...options, limits: { cpuTimeMs: 5000, wallTimeMs: 10_000, ...options?.limits } })
  try {
    return await f(rt)
  } finally {
    await rt.dispose()
  }
}

// In the guest: what `f()` reaches. A host process would show the host's
// env secret, `binding`/`mainModule`, or be something other than the guest's
// own process.
const REACH = `
  const reach = (f) => {
    try {
      const p = f();
      return [p === process, p?.env?.SECURE_EXEC_ESCAPE_SECRET, typeof p?.binding, typeof p?.mainModule, typeof globalThis.__hostOnly];
    } catch (e) { return ['threw', e.name]; }
  };
  const OWN = [true, undefined, 'undefined', 'undefined', 'undefined'];
`

describe('1. constructor chains from what the host hands in', () => {
  const hostError = () => Object.assign(new TypeError('host secret message'), { code: 'E_HOST', extra: 'host extra' })
  const tools = {
    value: () => ({ a: { b: [1, 2] }, d: new Date(0), m: new Map([[1, new Set([2])]]), r: /x/g, u: new Uint8Array(2) }),
    thrower: () => { throw hostError() },
    rejecter: async () => { throw hostError() },
    nonError: () => { throw { name: 'X', message: 'plain object', code: 'E_OBJ', toString() { return 'host toString' } } },
  }

  it('every prototype of a tool result, and Function from it, is the guest realm\'s', async () => {
    await withRt({ tools, permissions: { tool: 'allow', env: 'allow' } }, async (rt) => {
      const r = await rt.run<any>(`${REACH}
        (async () => {
          const v = await tools.value();
          const ret = [];
          for (const x of [v, v.a, v.a.b, v.d, v.m, v.m.get(1), v.r, v.u]) {
            ret.push(reach(() => x.constructor.constructor('return process')()));
            ret.push(reach(() => x.__proto__.constructor.constructor.call(null, 'return process')()));
            ret.push(reach(() => Function.prototype.bind.call(x.constructor.constructor, null, 'return process')()()));
            ret.push(reach(() => Reflect.apply(x.constructor.constructor, null, ['return process'])()));
          }
          const protos = [];
          for (let p = v; p; p = Object.getPrototypeOf(p)) protos.push(p === Object.prototype);
          const s = tools.value.sync();
          ret.push(reach(() => s.a.b.constructor.constructor('return process')()));
          __return({ ret, protos, own: OWN, toolFn: reach(() => tools.value.constructor('return process')()) });
        })()`)
      for (const x of r.value.ret) expect(x).toEqual(r.value.own)
      expect(r.value.toolFn).toEqual(r.value.own)
      expect(r.value.protos).toEqual([false, true])
    })
  })

  it('errors thrown by host tools carry name, message and code only: no host stack, prototype or extra fields', async () => {
    await withRt({ tools, permissions: { tool: 'allow', env: 'allow' } }, async (rt) => {
      const r = await rt.run<any>(`${REACH}
        (async () => {
          const out = [];
          const look = (e) => out.push([e.name, e.message, e.code, e.extra, Object.getPrototypeOf(e) === Error.prototype || Object.getPrototypeOf(e) === TypeError.prototype,
            String(e.stack).includes('${__dirname}') || String(e.stack).includes('index.js:') && !String(e.stack).startsWith(e.name),
            reach(() => e.constructor.constructor('return process')()), reach(() => e.__proto__.__proto__.constructor.constructor('return process')())]);
          for (const f of [() => tools.thrower(), () => tools.rejecter(), () => tools.nonError()]) { try { await f() } catch (e) { look(e) } }
          try { tools.thrower.sync() } catch (e) { look(e) }
          __return({ out, own: OWN });
        })()`)
      const own = r.value.own
      expect(r.value.out).toEqual([
        ['TypeError', 'host secret message', 'E_HOST', undefined, true, false, own, own],
        ['TypeError', 'host secret message', 'E_HOST', undefined, true, false, own, own],
        ['X', 'plain object', 'E_OBJ', undefined, true, false, own, own],
        ['TypeError', 'host secret message', 'E_HOST', undefined, true, false, own, own],
      ])
    })
  })

  it('errors a host tool returns (nested, in a Map, as a cause, behind a getter) carry no host stack; the host keeps its own', async () => {
    const inner = new RangeError('inner secret')
    const err = new TypeError('returned', { cause: inner })
    const hostStack = err.stack
    const tools = {
      errs: () => ({ e: err, list: [1, [new Error('deep')]], m: new Map([['k', new SyntaxError('in map')]]), get g() { return new EvalError('getter') } }),
      plain: () => ({ n: [1, 2, 3], s: 'stack' }),
    }
    await withRt({ tools, permissions: { tool: 'allow' } }, async (rt) => {
      const r = await rt.run<any>(`(async () => {
        const v = await tools.errs();
        const all = [v.e, v.e.cause, v.list[1][0], v.m.get('k'), v.g];
        __return({ stacks: all.map((e) => e.stack), kinds: all.map((e) => e instanceof Error && e.constructor.name), sync: tools.errs.sync().e.stack, plain: await tools.plain() });
      })()`)
      expect(r.value.stacks).toEqual(['TypeError: returned', 'RangeError: inner secret', 'Error: deep', 'SyntaxError: in map', 'EvalError: getter'])
      expect(r.value.kinds).toEqual(['TypeError', 'RangeError', 'Error', 'SyntaxError', 'EvalError'])
      expect(r.value.sync).toBe('TypeError: returned')
      expect(r.value.plain).toEqual({ n: [1, 2, 3], s: 'stack' })
    })
    expect(err.stack).toBe(hostStack)
    expect(hostStack).toContain(__filename)
  })

  it('an error a permission function throws denies, and nothing of it reaches the guest', async () => {
    let asked = 0
    const fs = () => {
      asked++
      throw Object.assign(new Error('host permission secret'), { code: 'E_PERM_HOST' })
    }
    await withRt({ permissions: { fs } }, async (rt) => {
      const r = await rt.run<any>(`
        try { require('fs').readFileSync('/etc/hostname') } catch (e) {
          __return([e.code, e.message, JSON.stringify(Object.getOwnPropertyNames(e)), String(e.stack).includes('permission secret')]);
        }`)
      expect(r.value[0]).toBe('EACCES')
      expect(r.value[1]).toBe("EACCES: permission denied, open '/etc/hostname'")
      expect(r.value[2]).not.toContain('E_PERM_HOST')
      expect(r.value[3]).toBe(false)
      expect(asked).toBeGreaterThan(0)
    })
  })

  it('arguments.callee.caller from callbacks the builtins call reaches only guest code', async () => {
    await withRt({ tools: { echo: (a: unknown) => a }, permissions: { tool: 'allow', fs: 'allow' } }, async (rt) => {
      // Sloppy functions called by the builtins: walk .caller as far as it goes.
      const r = await rt.run<any>(`
        const out = {};
        function walk(label) {
          const names = [];
          let f = walk.caller, n = 0;
          try { while (f && n++ < 20) { names.push(f.name); f = f.caller; } } catch (e) { names.push(e.name); }
          out[label] = names;
        }
        setTimeout(function timeout() { walk('timeout') });
        setImmediate(function immediate() { walk('immediate') });
        process.nextTick(function tick() { walk('tick') });
        Promise.resolve().then(function then() { walk('then') });
        require('fs').readFile('/etc/hostname', function readFile() { walk('readFile') });
        new (require('events'))().on('x', function emit() { walk('emit') }).emit('x');
        tools.echo({ get a() { walk('toolArgGetter'); return 1 } }).then(function toolThen() { walk('toolThen') });
        Promise.resolve({ then: function thenable(r) { walk('thenable'); r() } });
        process.on('exit', function exit() { walk('exit'); __return(out) });`)
      // Each walk stops at the guest's own function: no builtin is ever its caller.
      expect(r.value).toEqual({
        timeout: ['timeout'], immediate: ['immediate'], tick: ['tick'], then: ['then'], readFile: ['readFile'], emit: ['emit'],
        toolArgGetter: ['get a', 'TypeError'], toolThen: ['toolThen'], thenable: ['thenable'], exit: ['exit'],
      })
    })
  })
})

describe('2. values crossing out of the guest never run guest code on the host', () => {
  const payload = `${MARK}
    const proxy = new Proxy({ a: 1 }, { get(t, k) { hit(); return Reflect.get(t, k) }, ownKeys(t) { hit(); return Reflect.ownKeys(t) },
      getOwnPropertyDescriptor(t, k) { hit(); return Reflect.getOwnPropertyDescriptor(t, k) }, getPrototypeOf() { hit(); return null } });
    const getter = { get a() { return hit() } };
    const prim = { a: 1, toJSON() { return hit() }, [Symbol.toPrimitive]() { return hit() }, valueOf() { return hit() }, toString() { return hit() } };
    const species = (() => { class A extends Array { static get [Symbol.species]() { hit(); return Array } } return A.from([1, 2]) })();
    const insp = { b: 1, [Symbol.for('nodejs.util.inspect.custom')]() { return hit() } };
    const err = Object.assign(new Error('m'), { [Symbol.for('nodejs.util.inspect.custom')]() { return hit() }, get code() { return hit() } });
    const thenable = { then(r) { hit(); r(1) } };
    const polluter = JSON.parse('{"__proto__": {"polluted": "yes"}, "x": 1}');
  `
  const cases: [string, 'DataCloneError' | unknown][] = [
    ['proxy', 'DataCloneError'],
    ['[proxy]', 'DataCloneError'],
    ['new Map([[1, proxy]])', 'DataCloneError'],
    ['prim', 'DataCloneError'], // functions as values cannot be cloned
    ['thenable', 'DataCloneError'],
    ['getter', { a: 'hit' }],
    ['species', [1, 2]],
    ['insp', { b: 1 }],
    ['Object.create(getter)', {}],
  ]

  it('__return: a Proxy is refused, getters run in the guest, what arrives is plain data', async () => {
    await withRt({}, async (rt) => {
      for (const [expr, expected] of cases) {
        const r = await rt.run<any>(`${payload} __return(${expr})`).catch((e) => e)
        if (expected === 'DataCloneError') {
          expect(r, expr).toMatchObject({ name: 'DataCloneError', message: expect.stringContaining('could not be cloned') })
          continue
        }
        expect(r.value, expr).toEqual(expected)
        expect(types.isProxy(r.value), expr).toBe(false)
        for (const d of Object.values(Object.getOwnPropertyDescriptors(r.value))) expect('value' in d, expr).toBe(true)
        inspect(r.value, { showHidden: true, getters: true })
        JSON.stringify(r.value)
        String([r.value])
      }
      // An error returned as a value: data only, and inspect on the host runs nothing of the guest.
      const e = await rt.run<any>(`${payload} __return(err)`)
      expect(e.code).toBe(77) // the code getter ran, in the guest, while it was cloned
      expect(e.value).toBeInstanceOf(Error)
      expect(Object.getOwnPropertySymbols(e.value)).toEqual([])
      inspect(e.value)
      const p = await rt.run<any>(`${payload} __return(polluter)`)
      expect(Object.getPrototypeOf(p.value)).toBe(Object.prototype)
      expect(Object.keys(p.value)).toEqual(['__proto__', 'x'])
      expect(({} as any).polluted).toBeUndefined()
      expect(hostMarked()).toBeUndefined()
    })
  })

  it('tool arguments: the same, and the host tool gets plain data', async () => {
    const got: unknown[] = []
    await withRt({ tools: { take: (a: unknown) => (got.push(a), 'ok') }, permissions: { tool: 'allow' } }, async (rt) => {
      for (const [expr, expected] of [...cases, ['polluter', { x: 1 }]] as [string, unknown][]) {
        const before = got.length
        const r = await rt.run<any>(`${payload} (async () => { try { __return(await tools.take(${expr})) } catch (e) { __return(e.name) } })()`)
        if (expected === 'DataCloneError') {
          expect(r.value, expr).toBe('DataCloneError')
          expect(got.length, expr).toBe(before)
          continue
        }
        expect(r.value, expr).toBe('ok')
        const arg: any = got[got.length - 1]
        expect(types.isProxy(arg), expr).toBe(false)
        if (expr === 'polluter') {
          expect(Object.getPrototypeOf(arg)).toBe(Object.prototype)
          expect(arg.x).toBe(1)
          expect(({} as any).polluted).toBeUndefined()
        } else {
          expect(arg, expr).toEqual(expected)
        }
        inspect(arg, { showHidden: true, getters: true })
      }
      expect(hostMarked()).toBeUndefined()
    })
  })

  it("a guest's uncaught error is strings on the host, whatever getters it has", async () => {
    await withRt({}, async (rt) => {
      const r: any = await rt.run(`${MARK}
        const e = new Error('m');
        Object.defineProperty(e, 'name', { get: () => { hit(); return 'Evil' } });
        e[Symbol.for('nodejs.util.inspect.custom')] = () => hit();
        e.toString = () => hit();
        throw e;`).catch((x) => x)
      expect(r.constructor.name).toBe('GuestError')
      for (const k of ['message', 'stack', 'code', 'stdout', 'stderr']) expect(typeof r[k], k).toBe('string')
      expect(Object.getOwnPropertySymbols(r)).toEqual([])
      inspect(r)
      String(r)
      const thrownProxy: any = await rt.run(`${MARK} throw new Proxy(new Error('p'), { get(t, k) { hit(); return Reflect.get(t, k) } })`).catch((x) => x)
      expect(thrownProxy.constructor.name).toBe('GuestError')
      expect(typeof thrownProxy.message).toBe('string')
      expect(types.isProxy(thrownProxy)).toBe(false)
      expect(hostMarked()).toBeUndefined()
    })
  })
})

describe('3. stack tricks', () => {
  it('prepareStackTrace call sites hold only guest values (no host or builtin-internal this/function)', async () => {
    await withRt({ tools: { take: () => 'ok', boom: () => { throw new Error('host') } }, permissions: { tool: 'allow', fs: 'allow' } }, async (rt) => {
      const r = await rt.run<any>(`
        const bad = [];
        let n = 0;
        Error.stackTraceLimit = Infinity;
        Error.prepareStackTrace = (err, frames) => {
          for (const f of frames) {
            n++;
            const file = f.getFileName();
            let fn, self;
            try { fn = f.getFunction(); self = f.getThis(); } catch { continue }
            // Only frames of the guest's own file may show their function.
            if ((fn !== undefined || (self !== undefined && self !== globalThis)) && file !== '/index.js') bad.push([file, f.getFunctionName()]);
            if (typeof fn === 'function' && fn !== undefined) { try { const p = fn.constructor('return process')(); if (p !== process) bad.push(['foreign process', file]); } catch {} }
          }
          return 'custom';
        };
        const trigger = () => { try { null.x } catch (e) { return e.stack } };
        setTimeout(trigger); setImmediate(trigger); process.nextTick(trigger); Promise.resolve().then(trigger);
        require('fs').readFile('/etc/hostname', trigger);
        tools.take({ get a() { trigger(); return 1 } });
        tools.boom().catch((e) => { e.stack; trigger() });
        require('stream').Readable.from(['a']).on('data', trigger);
        const stacks = [trigger(), new Error('x').stack];
        const o = {}; Error.captureStackTrace(o); stacks.push(o.stack);
        process.on('exit', () => { Error.prepareStackTrace = undefined; __return({ bad, n, stacks }) });`)
      expect(r.value.bad).toEqual([])
      expect(r.value.n).toBeGreaterThan(10)
      expect(r.value.stacks).toEqual(['custom', 'custom', 'custom'])
    })
  })

  it('an uncaught error whose getters throw still reaches the host as a GuestError; the runtime goes on', async () => {
    await withRt({}, async (rt) => {
      for (const k of ['stack', 'message', 'name', 'code']) {
        const r: any = await rt.run(`const e = new Error('x'); Object.defineProperty(e, '${k}', { get() { throw new Error('getter') } }); throw e`).catch((x) => x)
        expect(r.constructor.name, k).toBe('GuestError')
        expect(typeof r.message, k).toBe('string')
      }
      expect((await rt.run('__return(1)')).value).toBe(1)
    })
  })

  // V8 drops a termination once the stack unwinds to native code; reading an
  // error's fields or calling a hook afterwards must not run guest code
  // unbounded (it ran until the watchdog's grace ended the shared sidecar,
  // which the host then replaced).
  it('a loop in what reporting an uncaught error runs is stopped at cpuTimeMs; a shared neighbour goes on', async () => {
    const neighbour = await NodeRuntime.create({ sidecar: 'shared' })
    try {
      await withRt({ sidecar: 'shared', limits: { cpuTimeMs: 200 } }, async (rt) => {
        const pid = rt.sidecarPid
        expect(neighbour.sidecarPid).toBe(pid)
        const loop = 'for (;;);'
        for (const code of [
          ...['stack', 'message', 'name', 'code'].map((k) => `const e = new Error('x'); Object.defineProperty(e, '${k}', { get() { ${loop} } }); throw e`),
          `const e = new Error('x'); e.message = { toString() { ${loop} } }; throw e`,
          `const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { try { ${loop} } finally { ${loop} } } }); throw e`,
          `throw new Proxy(new Error('x'), { get() { ${loop} } })`,
          `throw { get stack() { ${loop} } }`,
          `Error.prepareStackTrace = () => { ${loop} }; throw new Error('x')`,
          `const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { ${loop} } }); Promise.reject(e)`,
          `const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { ${loop} } }); setTimeout(() => { throw e })`,
          `process.on('uncaughtException', () => { ${loop} }); throw new Error('x')`,
          `process.on('exit', () => { ${loop} }); ${loop}`,
        ]) {
          const r: any = await rt.exec(code).catch((x) => x)
          expect(r.code, code).toBe(124)
          // Not replaced after a crash: the watchdog never had to end it.
          expect([rt.sidecarPid, neighbour.sidecarPid], code).toEqual([pid, pid])
          expect((await neighbour.exec('console.log(1)')).stdout).toBe('1\n')
        }
        expect((await rt.run('__return(2)')).value).toBe(2)
      })
    } finally {
      await neighbour.dispose()
    }
  })

  it("console output of a value with inspect.custom is bytes: the custom function's inspect is the guest's", async () => {
    await withRt({ permissions: { env: 'allow' } }, async (rt) => {
      const seen: string[] = []
      const r = await rt.exec(`
        const o = { [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
          let p; try { p = inspect.constructor('return process')() } catch (e) { p = e }
          return 'custom:' + (p === process) + ':' + String(p?.env?.SECURE_EXEC_ESCAPE_SECRET) + ':' + typeof opts.stylize;
        } };
        console.log(o); console.error(new Proxy({}, { get() { return () => 'trap' } }));`, { onStdio: (e) => seen.push(String(e.data)) })
      expect(r.stdout).toBe('custom:true:undefined:function\n')
      expect(seen.join('')).toContain('custom:true:undefined:function')
      expect(hostMarked()).toBeUndefined()
    })
  })
})

describe.each(['dedicated', 'shared'] as const)('4. prototype pollution across calls and runtimes (%s)', (sidecar) => {
  const pollute = `
    Object.prototype.polluted = 'yes';
    Array.prototype.map = function () { return ['polluted'] };
    Function.prototype.call = function () { return 'polluted' };
    Function.prototype.toString = function () { return 'polluted' };
    Promise.prototype.then = function () { return 'polluted' };
    JSON.parse = () => 'polluted';
    String.prototype.trim = () => 'polluted';
    Symbol.iterator.description;
    Error.prepareStackTrace = () => 'polluted';
    Buffer.prototype.toString = () => 'polluted';
    require('fs').readFileSync = () => 'polluted';
    require('path').join = () => 'polluted';
    require('util').inspect.defaultOptions.depth = 0;
    require('events').prototype.emit = () => 'polluted';
    require('module').prototype.require = () => 'polluted';
    globalThis.fetch = () => 'polluted';
    Object.defineProperty(Object.prototype, 'then', { get() { return 'polluted' }, configurable: true });
  `
  const check = `
    const r = [({}).polluted, [1].map((x) => x + 1), Math.max.call(null, 1, 2), typeof Object.prototype.then,
      JSON.parse('1'), ' a '.trim(), new Error('e').stack.split('\\n')[0], Buffer.from('ab').toString(),
      require('fs').readFileSync('/etc/hostname', 'utf8').length > 0, require('path').join('a', 'b'),
      require('util').inspect({ a: { b: { c: {} } } }), typeof fetch('data:,x').then, (() => 1).toString()];
    Promise.resolve(1).then((v) => __return([...r, v]));
  `
  const clean = [undefined, [2], 2, 'undefined', 1, 'a', 'Error: e', 'ab', true, 'a/b', '{ a: { b: { c: {} } } }', 'function', '() => 1', 1]

  it('nothing a call pollutes is seen by the next call, another runtime, a persistent context or a child process', async () => {
    const opts = { sidecar, permissions: { fs: 'allow', childProcess: 'allow', network: 'allow' } } as const
    await withRt(opts, async (rt) => {
      await withRt(opts, async (other) => {
        const ctx = await rt.createContext()
        await ctx.run(pollute)
        expect((await ctx.run<any>('__return([({}).polluted, JSON.parse("1")])')).value).toEqual(['yes', 'polluted'])
        await rt.run(pollute)
        const ctx2 = await other.createContext()
        await other.run(`${pollute} await new Promise((r) => setTimeout(r, 1))`).catch(() => {})
        expect((await rt.run<any>(check)).value, 'next call').toEqual(clean)
        expect((await other.run<any>(check)).value, 'other runtime').toEqual(clean)
        expect((await ctx2.run<any>(check)).value, 'persistent context of the other runtime').toEqual(clean)
        // A child process spawned by a polluted parent starts clean.
        const child = await rt.exec(`${pollute}
          require('child_process').spawnSync('node', ['-e', 'console.log(JSON.stringify([({}).polluted, JSON.parse("1"), [1].map((x) => x + 1)]))'], { stdio: 'inherit' })`)
        expect(child.stdout).toBe('[null,1,[2]]\n')
        await ctx.close()
        await ctx2.close()
      })
    })
  })
})

describe('5. getters and Proxies in the host\'s options', () => {
  // A getter that answers `first` once and `later` afterwards, counting reads.
  function flipping<T extends object>(base: T, key: string, first: unknown, later: unknown, reads: Record<string, number>) {
    reads[key] = 0
    return Object.defineProperty(base, key, { enumerable: true, get: () => (reads[key]++ === 0 ? first : later) })
  }

  it('run(): filePath, cwd, env, argv, stdin and timeoutMs are used as they were checked', async () => {
    await withRt({ permissions: { env: 'allow' } }, async (rt) => {
      const reads: Record<string, number> = {}
      const o: any = {}
      flipping(o, 'filePath', '/checked.js', '/other.ts', reads)
      flipping(o, 'cwd', '/tmp', 42, reads)
      flipping(o, 'argv', ['a'], 'not an array', reads)
      flipping(o, 'stdin', 'in', 123, reads)
      flipping(o, 'env', new Proxy({ A: '1' }, {}), null, reads)
      const r = await rt.run<any>(`let s = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', (d) => s += d).on('end', () => __return([__filename, process.cwd(), process.argv.slice(2), s, process.env.A]))`, o)
      expect(r.value).toEqual(['/checked.js', '/tmp', ['a'], 'in', '1'])
      for (const k of Object.keys(reads)) expect(reads[k], k).toBe(1)
      // timeoutMs: 100 as checked, never the later answer (the call would outlive the wall limit).
      const t: any = {}
      flipping(t, 'timeoutMs', 100, 'not a number', reads)
      const e: any = await rt.run('for (;;);', t).catch((x) => x)
      expect(e.code).toBe('ERR_SANDBOX_TIMEOUT')
    })
  })

  it('env values and stdin views that lie are read once or refused', async () => {
    await withRt({ permissions: { env: 'allow' } }, async (rt) => {
      let n = 0
      const env = new Proxy({ A: 'x' }, { get: (t, k) => (k === 'A' ? (n++ === 0 ? 'first' : 'later') : Reflect.get(t, k)) })
      expect((await rt.run<any>('__return(process.env.A)', { env })).value).toBe('first')
      // A typed array whose length getter lies past its buffer never reads host memory beyond it.
      class Lying extends Uint8Array {
        get byteLength() { return 1 << 20 }
        get byteOffset() { return 0 }
      }
      const e: any = await rt.run('1', { stdin: new Lying(4) }).catch((x) => x)
      expect(e).toBeInstanceOf(RangeError)
      const lyingArgs = ['a']
      let argReads = 0
      Object.defineProperty(lyingArgs, 0, { get: () => (argReads++ === 0 ? 'a' : { evil: 1 }) })
      const sp: any = await rt.spawn('node', lyingArgs as string[]).then((p) => p.wait(), (x) => x)
      // Either refused, or spawned with a string: never an object reaching the sidecar.
      if (sp instanceof Error) expect(sp.message).toMatch(/convert|string/i)
      else expect(sp).toMatchObject({ exitCode: expect.any(Number) })
    })
  })

  it('create(): a limit that changes after its check is still bounded', async () => {
    for (const later of [1e9, -1, 'x', { valueOf: () => 1e9 }]) {
      const limits: any = {}
      let reads = 0
      Object.defineProperty(limits, 'memoryMb', { enumerable: true, get: () => (reads++ === 0 ? 64 : later) })
      const r = await NodeRuntime.create({ limits }).then(
        async (rt) => {
          // Accepted: then the runtime's heap is bounded as the range allows.
          const m: any = await rt.run('const a = []; for (;;) a.push(new Array(1e5).fill(1))').catch((x) => x)
          await rt.dispose()
          return m.code
        },
        (e) => e.code ?? e.name,
      )
      expect(['ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_TYPE', 'InvalidArg', 'ERR_SANDBOX_MEMORY_LIMIT', 'TypeError', 'Error']).toContain(r)
    }
  })
})

describe.each(['dedicated', 'shared'] as const)('6. WebAssembly and Atomics (%s)', (sidecar) => {
  it('memory.grow inside wasm past memoryMb, Atomics.wait on the main thread, no SharedArrayBuffer', async () => {
    await withRt({ sidecar, limits: { memoryMb: 32 } }, async (rt) => {
      // (module (memory (export "m") 1 65536) (func (export "g") (param i32) (result i32) local.get 0 memory.grow))
      const wasm = [0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 5, 6, 1, 1, 1, 128, 128, 4, 7, 9, 2, 1, 109, 2, 0, 1, 103, 0, 0, 10, 8, 1, 6, 0, 32, 0, 64, 0, 11]
      const g: any = await rt.run(`
        const { g, m } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(wasm)}))).exports;
        const grown = [];
        for (let i = 0; i < 64; i++) { grown.push(g(256)); new Uint8Array(m.buffer).fill(1); }
        __return(grown)`).catch((x) => x)
      // Either the grow is refused (-1) before the bound, or the call ends at the memory limit.
      if (g instanceof Error) expect((g as any).code).toBe('ERR_SANDBOX_MEMORY_LIMIT')
      else expect(g.value.slice(-1)).toEqual([-1])
      const r = await rt.run<any>(`
        const t = (f) => { try { return String(f()) } catch (e) { return e.name + ':' + (e.code || '') } };
        __return([
          typeof SharedArrayBuffer,
          t(() => Atomics.wait(new Int32Array(4), 0, 0, 10)),
          t(() => new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })),
          t(() => new ArrayBuffer(8, { maxByteLength: 1 << 30 })),
          t(() => new WebAssembly.Table({ initial: 1, element: 'anyfunc' }).grow(1e9)),
          t(() => structuredClone(new WebAssembly.Memory({ initial: 1 }))),
        ])`)
      expect(r.value.slice(0, 4)).toEqual(['undefined', 'TypeError:', 'TypeError:ERR_SANDBOX_UNSUPPORTED', 'RangeError:ERR_SANDBOX_UNSUPPORTED'])
      expect(r.value[4]).toMatch(/^RangeError/)
      expect(r.value[5]).toMatch(/^DataCloneError/)
      expect((await rt.run('__return(1)')).value).toBe(1)
    })
  })
})

describe('7. path tricks on mounts and the VFS', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'se-escapes-'))
    mkdirSync(join(root, 'm'))
    writeFileSync(join(root, 'm/inside.txt'), 'inside')
    writeFileSync(join(root, 'secret.txt'), 'HOST SECRET')
    symlinkSync('/proc/self/environ', join(root, 'm/environ'))
    symlinkSync('/proc/self/root', join(root, 'm/procroot'))
    symlinkSync('/proc/self/fd', join(root, 'm/procfd'))
    symlinkSync('/proc/self/cwd', join(root, 'm/proccwd'))
    symlinkSync('inside.txt', join(root, 'm/swap'))
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('/proc, /dev beyond null and zero, and host system paths do not exist in the VFS', async () => {
    await withRt({ permissions: { fs: 'allow' } }, async (rt) => {
      const paths = ['/proc/self/environ', '/proc/self/maps', '/proc/self/mem', '/proc/self/fd/0', '/proc/1/environ', '/proc/self/root/etc/passwd',
        '/dev/mem', '/dev/tty', '/dev/fd/3', '/dev/stdin', '/dev/shm', '/sys/kernel', '/etc/passwd', '/root']
      const r = await rt.run<any>(`const fs = require('fs');
        __return(${JSON.stringify(paths)}.map((p) => { try { fs.readFileSync(p); return 'read' } catch (e) { try { fs.readdirSync(p); return 'listed' } catch { return e.code } } }))`)
      expect(r.value).toEqual(paths.map(() => 'ENOENT'))
    })
  })

  it('host symlinks inside a mount to /proc/self are EACCES on every op', async () => {
    await withRt({ permissions: { fs: 'allow' }, mounts: [{ hostPath: join(root, 'm'), guestPath: '/mnt' }] }, async (rt) => {
      const names = ['environ', 'procroot/etc/passwd', 'procroot', 'procfd/0', 'proccwd']
      const r = await rt.run<any>(`const fs = require('fs'); const t = (f) => { try { f(); return 'ok' } catch (e) { return e.code } };
        __return(${JSON.stringify(names)}.map((n) => ['/mnt/' + n].flatMap((p) => [t(() => fs.readFileSync(p)), t(() => fs.readdirSync(p)), t(() => fs.realpathSync(p)), t(() => fs.statSync(p))])))`)
      expect(r.value).toEqual(names.map(() => ['EACCES', 'EACCES', 'EACCES', 'EACCES']))
    })
  })

  it('a host symlink inside a mount swapped between an inside and an outside target never reads the outside', async () => {
    await withRt({ permissions: { fs: 'allow' }, mounts: [{ hostPath: join(root, 'm'), guestPath: '/mnt' }] }, async (rt) => {
      let stop = false
      let swaps = 0
      const swapper = (async () => {
        while (!stop) {
          try { unlinkSync(join(root, 'm/swap')) } catch {}
          symlinkSync(swaps++ % 2 ? 'inside.txt' : '../secret.txt', join(root, 'm/swap'))
          await new Promise((r) => setImmediate(r))
        }
      })()
      const r = await rt.run<any>(`const fs = require('fs'); const seen = {};
        for (let i = 0; i < 4000; i++) { let v; try { v = fs.readFileSync('/mnt/swap', 'utf8') } catch (e) { v = e.code } seen[v] = (seen[v] || 0) + 1 }
        __return(seen)`)
      stop = true
      await swapper
      expect(swaps).toBeGreaterThan(1)
      for (const k of Object.keys(r.value)) expect(['inside', 'EACCES', 'ENOENT']).toContain(k)
    })
  })

  it.each(['dedicated', 'shared'] as const)('guessed descriptors 3..50 reach nothing another process, call or runtime holds open (%s)', async (sidecar) => {
    const opts: RuntimeOptions = { sidecar, permissions: { fs: 'allow' }, mounts: [{ hostPath: join(root, 'm'), guestPath: '/mnt' }] }
    await withRt(opts, async (rt) => {
      await withRt(opts, async (other) => {
        // Files held open across calls by persistent contexts of both runtimes.
        const holders = [await rt.createContext(), await other.createContext()]
        for (const h of holders) await h.run(`globalThis.fds = [require('fs').openSync('/mnt/inside.txt', 'r'), require('fs').openSync('/etc/hostname', 'r')]`)
        const guess = `const fs = require('fs'); const open = [];
          for (let fd = 3; fd <= 50; fd++) { const b = Buffer.alloc(8); for (const f of [() => fs.readSync(fd, b, 0, 8, 0), () => fs.fstatSync(fd), () => fs.writeSync(fd, 'x'), () => fs.closeSync(fd)]) { try { f(); open.push(fd) } catch (e) { if (e.code !== 'EBADF') open.push(e.code) } } }
          __return(open)`
        expect((await rt.run<any>(guess)).value).toEqual([])
        expect((await other.run<any>(guess)).value).toEqual([])
        // The holders' VFS descriptors survived the guesses (mount ones close with each call).
        for (const h of holders) expect((await h.run<any>(`__return(require('fs').readFileSync(fds[1], 'utf8').length > 0)`)).value).toBe(true)
        for (const h of holders) await h.close()
      })
    })
  })
})

describe('8. SSRF forms against an allowlist of one host server', () => {
  let allowed: http.Server
  let other: http.Server
  let port = 0
  let otherPort = 0
  let otherHits = 0
  beforeAll(async () => {
    allowed = http.createServer((req, res) => {
      const to = new URL(req.url!, 'http://x').searchParams.get('to')
      if (to) {
        res.writeHead(302, { Location: to.replace('OTHER', String(otherPort)) })
        return res.end()
      }
      res.end('allowed')
    })
    other = http.createServer((req, res) => res.end('other'))
    other.on('connection', () => otherHits++)
    await new Promise<void>((r) => allowed.listen(0, '127.0.0.1', r))
    await new Promise<void>((r) => other.listen(0, '0.0.0.0', r))
    port = (allowed.address() as any).port
    otherPort = (other.address() as any).port
  })
  afterAll(() => {
    allowed.close()
    other.close()
  })

  it('every spelling of another loopback port or address, metadata, and redirects to them are refused', async () => {
    await withRt({ permissions: { network: { allow: [`127.0.0.1:${port}`] } } }, async (rt) => {
      const targets = [
        `http://0x7f000001:${otherPort}/`, `http://2130706433:${otherPort}/`, `http://127.1:${otherPort}/`, `http://017700000001:${otherPort}/`,
        `http://[::ffff:127.0.0.1]:${otherPort}/`, `http://[::ffff:7f00:1]:${otherPort}/`, `http://localhost.:${otherPort}/`, `http://LOCALHOST:${otherPort}/`,
        `http://0.0.0.0:${otherPort}/`, `http://0:${otherPort}/`, `http://[::]:${otherPort}/`, `http://[::1]:${otherPort}/`, `http://[0:0:0:0:0:0:0:1]:${otherPort}/`,
        `http://127.0.0.2:${otherPort}/`, `http://127.0.0.2:${port}/`, `http://[::1]:${port}/`, `http://0.0.0.0:${port}/`,
        'http://169.254.169.254/', 'http://[::ffff:a9fe:a9fe]/', 'http://0xa9fea9fe/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[2002:a9fe:a9fe::]/',
        `http://127.0.0.1:${port}/?to=http://0x7f000001:OTHER/`, `http://127.0.0.1:${port}/?to=http://localhost.:OTHER/`,
        `http://127.0.0.1:${port}/?to=http://[::ffff:169.254.169.254]/`, `http://127.0.0.1:${port}/?to=http://0.0.0.0:OTHER/`,
      ]
      const r = await rt.run<any>(`(async () => {
        const out = [];
        for (const u of ${JSON.stringify(targets)}) {
          try { const res = await fetch(u); out.push([u, res.status, await res.text()]) } catch (e) { out.push([u, e.cause?.code ?? e.name]) }
        }
        // Raw sockets with host strings no URL parser normalised, and a guest lookup that lies.
        const net = require('net');
        const raw = (opts) => new Promise((resolve) => { const s = net.connect(opts); s.on('connect', () => { s.destroy(); resolve('connected') }); s.on('error', (e) => resolve(e.code)) });
        for (const host of ['0x7f000001', '2130706433', '127.1', '0', 'localhost.', '::ffff:127.0.0.1']) out.push([host, await raw({ host, port: ${otherPort} })]);
        out.push(['lying lookup', await raw({ host: 'allowed.example', port: ${port}, lookup: (h, o, cb) => o && o.all ? cb(null, [{ address: '169.254.169.254', family: 4 }]) : cb(null, '169.254.169.254', 4) })]);
        out.push(['allowed', (await (await fetch('http://127.0.0.1:${port}/')).text())]);
        __return(out);
      })()`)
      const out = r.value as [string, unknown][]
      expect(out.pop()).toEqual(['allowed', 'allowed'])
      for (const [u, code] of out) expect(['EACCES', 'ECONNREFUSED', 'ENOTFOUND'], u).toContain(code)
      // Refused without leaving the sandbox: the other server never saw a connection.
      expect(otherHits).toBe(0)
      // The metadata forms are refused by the guard itself.
      for (const [u, code] of out) if (/a9fe|169\.254/.test(u)) expect(code, u).toBe('EACCES')
    })
  })
})
