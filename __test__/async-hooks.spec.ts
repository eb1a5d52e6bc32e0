// require('async_hooks'): AsyncLocalStorage follows every way a callback
// is scheduled (V8 carries it through promises; the event loop through
// timers, immediates, ticks and fs callbacks); AsyncResource; async ids;
// createHook's callbacks for the resources the sandbox has.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const host = useRuntime({ permissions: { fs: 'allow' } })

describe('AsyncLocalStorage', () => {
  it('propagates through every kind of callback', async () => {
    const r = await host.rt.run(`
      const { AsyncLocalStorage } = require('async_hooks');
      const fs = require('fs');
      const als = new AsyncLocalStorage();
      const seen = {};
      const note = (k) => { seen[k] = als.getStore(); };
      fs.writeFileSync('/tmp/als.txt', 'x');
      als.run('store', () => {
        Promise.resolve().then(() => note('then'));
        (async () => { await null; note('await'); await new Promise((r) => setTimeout(r, 1)); note('await timer'); })();
        setTimeout(() => note('setTimeout'), 1);
        let n = 0;
        const iv = setInterval(() => { note('setInterval ' + ++n); if (n === 2) clearInterval(iv); }, 1);
        setImmediate(() => note('setImmediate'));
        process.nextTick(() => note('nextTick'));
        queueMicrotask(() => note('queueMicrotask'));
        fs.readFile('/tmp/als.txt', () => note('fs callback'));
        fs.promises.readFile('/tmp/als.txt').then(() => note('fs promise'));
        fs.stat('/tmp/als.txt', () => process.nextTick(() => note('tick in fs callback')));
        new Promise((resolve) => setImmediate(resolve)).then(() => note('then of a promise resolved elsewhere'));
      });
      note('outside');
      // Returns once every callback ran, however late the loop runs them.
      const check = () => {
        note('timer made outside');
        if (Object.keys(seen).length === 15) __return(seen);
        else setTimeout(check, 5);
      };
      setTimeout(check, 5);`)
    expect(r.value).toEqual({
      outside: undefined, then: 'store', await: 'store', 'await timer': 'store', setTimeout: 'store', 'setInterval 1': 'store',
      'setInterval 2': 'store', setImmediate: 'store', nextTick: 'store', queueMicrotask: 'store', 'fs callback': 'store',
      'fs promise': 'store', 'tick in fs callback': 'store', 'then of a promise resolved elsewhere': 'store',
      'timer made outside': undefined,
    })
  })

  it('nests, exits, enters and disables', async () => {
    const r = await host.rt.run(`
      const { AsyncLocalStorage } = require('async_hooks');
      const a = new AsyncLocalStorage(), b = new AsyncLocalStorage();
      const out = [];
      a.run(1, () => b.run(2, () => {
        out.push([a.getStore(), b.getStore()]);
        a.run(3, () => out.push([a.getStore(), b.getStore()]));
        a.exit(() => out.push([a.getStore(), b.getStore()]));
        out.push([a.getStore(), b.getStore()]);
      }));
      a.enterWith('entered');
      out.push(a.getStore());
      setTimeout(() => {
        out.push(a.getStore());
        a.disable();
        out.push(a.getStore());
        a.run('again', () => out.push(a.getStore()));
        __return(out);
      });`)
    expect(r.value).toEqual([[1, 2], [3, 2], [undefined, 2], [1, 2], 'entered', 'entered', undefined, 'again'])
  })

  it('a store set in one callback does not leak into the next', async () => {
    const r = await host.rt.run(`
      const { AsyncLocalStorage } = require('async_hooks');
      const als = new AsyncLocalStorage();
      setTimeout(() => als.enterWith('leak?'), 1);
      setTimeout(() => __return(als.getStore() ?? 'none'), 5);`)
    expect(r.value).toBe('none')
  })

  it('keeps working when the guest poisons promises', async () => {
    const r = await host.rt.run(`
      const { AsyncLocalStorage } = require('async_hooks');
      const als = new AsyncLocalStorage();
      const then = Promise.prototype.then;
      Promise.prototype.then = function (...args) { return then.apply(this, args); };
      Object.defineProperty(Promise, Symbol.species, { get() { throw new Error('poisoned') } });
      als.run('kept', async () => {
        await null;
        setTimeout(() => __return(als.getStore()), 1);
      });`)
    expect(r.value).toBe('kept')
  })

  it('bind and snapshot capture the store of their making', async () => {
    const r = await host.rt.run(`
      const { AsyncLocalStorage } = require('async_hooks');
      const als = new AsyncLocalStorage();
      const [bound, snap] = als.run('made', () => [AsyncLocalStorage.bind(() => als.getStore()), AsyncLocalStorage.snapshot()]);
      als.run('later', () => __return([bound(), snap(() => als.getStore()), als.getStore()]));`)
    expect(r.value).toEqual(['made', 'made', 'later'])
  })
})

describe('AsyncResource and async ids', () => {
  it('runs in the scope of its making, with its own async id', async () => {
    const r = await host.rt.run(`
      const { AsyncLocalStorage, AsyncResource, executionAsyncId, triggerAsyncId, executionAsyncResource } = require('async_hooks');
      const als = new AsyncLocalStorage();
      const res = als.run('at creation', () => new AsyncResource('Job'));
      const out = [executionAsyncId(), triggerAsyncId(), res.triggerAsyncId()];
      res.runInAsyncScope(function (x) {
        out.push(als.getStore(), executionAsyncId() === res.asyncId(), executionAsyncResource() === res, String(this), x);
      }, 'self', 'arg');
      const bound = res.bind(() => als.getStore());
      out.push(bound(), res.emitDestroy() === res);
      setTimeout(() => {
        out.push(executionAsyncId() > 1, triggerAsyncId());
        __return(out);
      });`)
    expect(r.value).toEqual([1, 0, 1, 'at creation', true, true, 'self', 'arg', 'at creation', true, true, 1])
  })
})

describe('createHook', () => {
  it('reports Timeout, Immediate, TickObject and AsyncResource lifecycles while enabled', async () => {
    const r = await host.rt.run(`
      const { createHook, AsyncResource } = require('async_hooks');
      const events = [];
      const types = new Map();
      const hook = createHook({
        init(id, type, trigger) { types.set(id, type); events.push('init ' + type); },
        before(id) { events.push('before ' + types.get(id)); },
        after(id) { events.push('after ' + types.get(id)); },
        destroy(id) { events.push('destroy ' + types.get(id)); },
      });
      console.log(hook.enable() === hook);
      setTimeout(() => {}, 1);
      process.nextTick(() => {});
      const res = new AsyncResource('Mine');
      res.runInAsyncScope(() => {});
      res.emitDestroy();
      Promise.resolve().then(() => {});
      setTimeout(() => {
        setImmediate(() => {
          hook.disable();
          setTimeout(() => __return(events), 1);
        });
      }, 5);`)
    const events = r.value as string[]
    expect(events).toEqual(expect.arrayContaining(['init Timeout', 'before Timeout', 'after Timeout', 'destroy Timeout',
      'init TickObject', 'before TickObject', 'after TickObject', 'destroy TickObject', 'init Mine', 'before Mine',
      'after Mine', 'destroy Mine', 'init Immediate', 'before Immediate']))
    expect(events.some((e) => e.includes('PROMISE'))).toBe(false)
    expect(events.filter((e) => e === 'init Timeout').length).toBe(2)
  })

  it('checks its callbacks as Node does', async () => {
    const r = await host.rt.run(`
      try { require('async_hooks').createHook({ before: 'x' }) } catch (e) { __return([e.name, e.code, e.message]) }`)
    expect(r.value).toEqual(['TypeError', 'ERR_ASYNC_CALLBACK', 'hook.before must be a function'])
  })
})
