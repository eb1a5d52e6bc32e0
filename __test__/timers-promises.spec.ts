// require('timers') and require('timers/promises').
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const host = useRuntime({})

describe('timers/promises', () => {
  it('settles after the delay with the value', async () => {
    const r = await host.rt.run(`
      const tp = require('timers/promises');
      (async () => {
        const t0 = performance.now();
        const v = await tp.setTimeout(20, 'late');
        const waited = performance.now() - t0;
        __return([v, waited >= 19, await tp.setImmediate('now'), await tp.scheduler.wait(1), await tp.scheduler.yield()]);
      })()`)
    expect(r.value).toEqual(['late', true, 'now', undefined, undefined])
  })

  it('iterates setInterval until the loop stops it, and then clears it', async () => {
    const r = await host.rt.run(`
      const tp = require('timers/promises');
      (async () => {
        const got = [];
        for await (const v of tp.setInterval(2, 'x')) { got.push(v); if (got.length === 4) break; }
        // The interval is gone: the process may end with nothing pending.
        process.on('exit', () => {});
        __return(got);
      })()`)
    expect(r.value).toEqual(['x', 'x', 'x', 'x'])
  })

  it('rejects with AbortError when the signal aborts, before or during the wait', async () => {
    const r = await host.rt.run(`
      const tp = require('timers/promises');
      (async () => {
        const out = [];
        try { await tp.setTimeout(1000, 1, { signal: AbortSignal.abort('early') }); } catch (e) { out.push([e.name, e.code, e.cause]); }
        const ac = new AbortController();
        setTimeout(() => ac.abort('late'), 5);
        const t0 = performance.now();
        try { await tp.setTimeout(10000, 1, { signal: ac.signal }); } catch (e) { out.push([e.name, e.message, e.cause, performance.now() - t0 < 5000]); }
        const ac2 = new AbortController();
        const it = tp.setInterval(1, 'i', { signal: ac2.signal });
        out.push((await it.next()).value);
        ac2.abort();
        try { await it.next(); } catch (e) { out.push(e.name); }
        try { await tp.setImmediate(1, { signal: AbortSignal.abort() }); } catch (e) { out.push(e.code); }
        __return(out);
      })()`)
    expect(r.value).toEqual([['AbortError', 'ABORT_ERR', 'early'], ['AbortError', 'The operation was aborted', 'late', true], 'i',
      'AbortError', 'ABORT_ERR'])
  })

  it('an unrefed timer does not keep the process alive', async () => {
    const r = await host.rt.exec(`require('timers/promises').setTimeout(60000, 1, { ref: false }).then(() => console.log('fired'));`)
    expect([r.code, r.stdout]).toEqual([0, ''])
  })

  it('checks arguments as Node does', async () => {
    const r = await host.rt.run(`
      const tp = require('timers/promises');
      Promise.allSettled([tp.setTimeout(1, 1, null), tp.setTimeout('1'), tp.setImmediate(1, { ref: 'yes' }),
        tp.setTimeout(1, 1, { signal: {} })]).then((rs) => __return(rs.map((x) => x.reason.message)))`)
    expect(r.value).toEqual([
      'The "options" argument must be of type object. Received null',
      "The \"delay\" argument must be of type number. Received type string ('1')",
      "The \"options.ref\" property must be of type boolean. Received type string ('yes')",
      'The "options.signal" property must be an instance of AbortSignal. Received an instance of Object',
    ])
  })
})

describe('timers', () => {
  it('is the global timer functions, with promises', async () => {
    const r = await host.rt.run(`
      const timers = require('timers');
      __return([timers.setTimeout === setTimeout, timers.clearInterval === clearInterval, timers.setImmediate === setImmediate,
        timers.promises === require('timers/promises')])`)
    expect(r.value).toEqual([true, true, true, true])
  })

  it('keeps the deprecated enroll API working, with its warnings', async () => {
    const r = await host.rt.exec(`
      const timers = require('timers');
      const item = { _onTimeout() { console.log('fired'); } };
      timers.enroll(item, 5);
      timers.active(item);
      const other = { _onTimeout() { console.log('never'); } };
      timers.enroll(other, 5);
      timers.active(other);
      timers.unenroll(other);`)
    expect(r.stdout).toBe('fired\n')
    expect(r.stderr).toContain('DEP0095')
    expect(r.stderr).toContain('DEP0126')
    expect(r.stderr).toContain('DEP0096')
  })
})
