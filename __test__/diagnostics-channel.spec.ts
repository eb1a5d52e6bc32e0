// require('diagnostics_channel').
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const host = useRuntime({})

describe('diagnostics_channel', () => {
  it('publishes to subscribers by name, and stops after unsubscribe', async () => {
    const r = await host.rt.run(`
      const dc = require('diagnostics_channel');
      const got = [];
      const fn = (m, name) => got.push([m, name]);
      dc.subscribe('a', fn);
      dc.channel('a').publish(1);
      const active = [dc.hasSubscribers('a'), dc.channel('a') instanceof dc.Channel];
      dc.unsubscribe('a', fn);
      dc.channel('a').publish(2);
      __return([got, active, dc.hasSubscribers('a'), dc.hasSubscribers('never made')])`)
    expect(r.value).toEqual([[[1, 'a']], [true, true], false, false])
  })

  it('a subscriber that throws is an uncaught exception, after the others ran', async () => {
    const r = await host.rt.exec(`
      const dc = require('diagnostics_channel');
      const ch = dc.channel('t');
      ch.subscribe(() => { throw new Error('from subscriber'); });
      ch.subscribe(() => console.log('second ran'));
      ch.publish(0);
      console.log('publish returned');`)
    expect(r.stdout).toBe('second ran\npublish returned\n')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error: from subscriber')
  })

  it('runStores runs the function with bound AsyncLocalStorage stores, across awaits', async () => {
    const r = await host.rt.run(`
      const dc = require('diagnostics_channel');
      const { AsyncLocalStorage } = require('async_hooks');
      const store = new AsyncLocalStorage();
      const ch = dc.channel('s');
      ch.bindStore(store, (data) => 'store of ' + data);
      ch.runStores('req', async () => {
        const first = store.getStore();
        await new Promise((r) => setTimeout(r, 1));
        __return([first, store.getStore(), ch.unbindStore(store), ch.hasSubscribers]);
      });`)
    expect(r.value).toEqual(['store of req', 'store of req', true, false])
  })

  it('tracingChannel traces sync, promise and callback work', async () => {
    const r = await host.rt.run(`
      const dc = require('diagnostics_channel');
      const tc = dc.tracingChannel('op');
      const events = [];
      tc.subscribe({
        start: (c) => events.push('start ' + c.name),
        end: (c) => events.push('end ' + c.name),
        asyncStart: (c) => events.push('asyncStart ' + c.name),
        asyncEnd: (c) => events.push('asyncEnd ' + c.name),
        error: (c) => events.push('error ' + c.name + ' ' + c.error.message),
      });
      tc.traceSync(() => 1, { name: 'sync' });
      tc.tracePromise(async () => { throw new Error('no') }, { name: 'promise' }).catch(() => {
        tc.traceCallback((cb) => setTimeout(() => cb(null, 2), 1), 0, { name: 'cb' }, null, (err, v) => {
          events.push('callback ' + v);
          setTimeout(() => __return(events), 1);
        });
      });`)
    expect(r.value).toEqual(['start sync', 'end sync', 'start promise', 'end promise', 'error promise no', 'asyncStart promise',
      'asyncEnd promise', 'start cb', 'end cb', 'asyncStart cb', 'callback 2', 'asyncEnd cb'])
  })
})
