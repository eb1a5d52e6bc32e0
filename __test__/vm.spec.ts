// require('vm'): contexts are new V8 contexts of the guest's isolate. What
// matters most here is what they cannot reach: the engine's natives, the
// guest's runtime, the host, or (unless handed it) the caller's context.
import { describe, expect, it } from 'vitest'
import { useRuntime, useRuntimes } from './helpers.js'

const host = useRuntime({ permissions: { fs: 'allow' } })
const frozen = useRuntimes({ timingMitigation: 'freeze' })

describe('vm', () => {
  it('runs scripts in a new context with the sandbox as globals', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const sandbox = { n: 1 };
      vm.createContext(sandbox);
      vm.runInContext('n += 1; var v = "var"; w = "implicit"; function f() { return n }', sandbox);
      __return([sandbox.n, sandbox.v, sandbox.w, sandbox.f(), vm.isContext(sandbox), vm.isContext({}),
        vm.runInNewContext('a * b', { a: 6, b: 7 }), new vm.Script('this.k = 1; k + 1').runInNewContext()])`)
    expect(r.value).toEqual([2, 'var', 'implicit', 2, true, false, 42, 2])
  })

  it('compiles functions in a context, with extensions', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const ctx = vm.createContext({ base: 10 });
      const f = vm.compileFunction('return base + x + y', ['x'], { parsingContext: ctx, contextExtensions: [{ y: 5 }] });
      __return([f(1), f.length])`)
    expect(r.value).toEqual([16, 1])
  })

  it('fails with Node errors for bad arguments', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const out = [];
      for (const f of [() => vm.runInContext('1', {}), () => vm.createContext(1), () => vm.compileFunction('', [1]),
        () => new vm.Script('(', { filename: 'x.js' }), () => new vm.Script('1').createCachedData(), () => vm.createContext({}, { microtaskMode: 'x' })]) {
        try { f(); out.push('no error') } catch (e) { out.push([e.name, e.code]) }
      }
      __return(out)`)
    expect(r.value).toEqual([
      ['TypeError', 'ERR_INVALID_ARG_TYPE'], ['TypeError', 'ERR_INVALID_ARG_TYPE'], ['TypeError', 'ERR_INVALID_ARG_TYPE'],
      ['SyntaxError', undefined], ['Error', 'ERR_SANDBOX_UNSUPPORTED'], ['TypeError', 'ERR_INVALID_ARG_VALUE'],
    ])
  })

  it('honours codeGeneration.strings: false', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const ctx = vm.createContext({}, { codeGeneration: { strings: false } });
      const out = [];
      for (const code of ['eval("1")', 'new Function("return 1")()']) {
        try { out.push(vm.runInContext(code, ctx)) } catch (e) { out.push(e.name) }
      }
      __return(out)`)
    expect(r.value).toEqual(['EvalError', 'EvalError'])
  })
})

describe('vm security', () => {
  it('a new context has no natives, no guest runtime and no host', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const probes = ['typeof require', 'typeof process', 'typeof native', 'typeof __return', 'typeof Buffer',
        'typeof setTimeout', 'typeof structuredClone', 'typeof tools', 'typeof module',
        'this.constructor.constructor("return typeof require + typeof process")()',
        '({}).constructor.constructor("return typeof globalThis.require")()',
        'Object.getOwnPropertyNames(globalThis).filter((k) => /native|require|process|__/.test(k)).join()'];
      __return(probes.map((p) => vm.runInNewContext(p)))`)
    expect(r.value).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined',
      'undefined', 'undefined', 'undefinedundefined', 'undefined', ''])
  })

  it("a context made without an object reaches nothing of the caller's", async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      globalThis.secret = 'outer';
      const ctx = vm.createContext();
      __return([
        vm.runInContext('typeof secret', ctx),
        vm.runInContext('this.constructor.constructor("return typeof secret")()', ctx),
        vm.runInContext('this.constructor === Object', ctx),
        Object.getPrototypeOf(ctx) === Object.prototype,
        vm.runInNewContext('constructor.constructor("return typeof secret")()'),
        vm.runInContext('typeof secret', vm.createContext(vm.constants.DONT_CONTEXTIFY)),
      ])`)
    expect(r.value).toEqual(['undefined', 'undefined', true, false, 'undefined', 'undefined'])
  })

  it("the guest's poisoned intrinsics do not reach a new context", async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      Array.prototype.push = () => 'poisoned';
      Object.prototype.polluted = 'yes';
      JSON.parse = () => 'poisoned';
      Function.prototype.call = () => 'poisoned';
      Promise.prototype.then = () => 'poisoned';
      Error.prepareStackTrace = () => 'poisoned';
      const code = '[[].push(1), ({}).polluted, JSON.parse("[2]")[0], Math.max.call(null, 3, 4), typeof Promise.resolve().then(() => 1), new Error("x").stack.startsWith("Error: x")]';
      __return(vm.runInNewContext(code))`)
    expect(r.value).toEqual([1, undefined, 2, 4, 'object', true])
  })

  it('the guest builtins show nothing of themselves through stack frames', async () => {
    const r = await host.rt.run(`
      'use strict';
      const vm = require('vm');
      const frames = vm.runInNewContext(\`
        Error.prepareStackTrace = (e, cs) => cs;
        const cs = new Error('x').stack;
        cs.filter((c) => String(c.getFileName()).startsWith('node:'))
          .map((c) => [typeof c.getFunction(), typeof c.getThis()]);
      \`);
      __return(frames)`)
    const frames = r.value as string[][]
    expect(frames.length).toBeGreaterThan(0)
    for (const f of frames) expect(f).toEqual(['undefined', 'undefined'])
  })

  it('a new context is hardened as the main one: no shared or resizable memory, no WebAssembly', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const probes = [
        'typeof SharedArrayBuffer', 'typeof WebAssembly', 'new ArrayBuffer(8).byteLength',
        'try { new ArrayBuffer(8, { maxByteLength: 1 << 30 }); "made" } catch (e) { e.code }',
        'try { new (Object.getPrototypeOf(new ArrayBuffer(1)).constructor)(1, { maxByteLength: 8 }); "made" } catch (e) { e.code }',
        'typeof Atomics', 'new ArrayBuffer(1) instanceof ArrayBuffer',
      ];
      __return(probes.map((p) => vm.runInNewContext(p)))`)
    expect(r.value).toEqual(['undefined', 'undefined', 8, 'ERR_SANDBOX_UNSUPPORTED', 'ERR_SANDBOX_UNSUPPORTED', 'object', true])
  })

  it('keeps the clock frozen in new contexts under timingMitigation "freeze"', async () => {
    const r = await frozen[0].run(`
      const vm = require('vm');
      const t0 = vm.runInNewContext('Date.now()');
      let x = 0; for (let i = 0; i < 2e6; i++) x += i;
      __return([t0 === Date.now(), vm.runInNewContext('Date.now()') === t0, vm.runInNewContext('new Date().getTime()') === t0,
        vm.runInNewContext('new Intl.DateTimeFormat("en", { timeZone: "UTC" }).format()') ===
          new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format()])`)
    expect(r.value).toEqual([true, true, true, true])
  })

  it('bounds the contexts one call makes', async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      let made = 0, err;
      try { for (;;) { vm.createContext(); made++ } } catch (e) { err = [e.name, e.code] }
      __return([made, err])`)
    expect(r.value).toEqual([64, ['RangeError', 'ERR_SANDBOX_LIMIT']])
  })

  it('a later call starts with no contexts of an earlier one', async () => {
    await host.rt.run(`const vm = require('vm'); for (let i = 0; i < 64; i++) vm.createContext({ i })`)
    const r = await host.rt.run(`const vm = require('vm'); vm.createContext(); __return(vm.runInNewContext('typeof i'))`)
    expect(r.value).toBe('undefined')
  })

  it("a context's promise jobs run on the call's queue and end with it", async () => {
    const r = await host.rt.run(`
      const vm = require('vm');
      const p = vm.runInNewContext('Promise.resolve(20).then((v) => v + 1)');
      p.then((v) => __return(v * 2))`)
    expect(r.value).toBe(42)
  })
})
