// require('events'): what the differential cases
// (__test__/differential/events_*.js) cannot compare with host Node.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const t = useRuntime({})

describe('events', () => {
  it('an unhandled error event says where it was emitted, with no arrow into the builtin', async () => {
    const r = await t.rt.exec(`const EventEmitter = require('events');
      class Jobs extends EventEmitter {}
      const jobs = new Jobs();
      function run() { jobs.emit('error', new Error('job failed')); }
      run();`)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^\nError: job failed\n {4}at run \(\/index\.js:4:\d+\)\n[\s\S]*\nEmitted 'error' event on Jobs instance at:\n {4}at run \(/)
  })

  it('an unhandled non-error value becomes ERR_UNHANDLED_ERROR with its context', async () => {
    const r = await t.rt.run(`const e = new (require('events'))();
      try { e.emit('error', { reason: 1 }) } catch (err) { __return([err.code, err.message, err.context]) }`)
    expect(r.value).toEqual(['ERR_UNHANDLED_ERROR', 'Unhandled error. ({ reason: 1 })', { reason: 1 }])
  })

  it('events.on pauses and resumes an emitter around its high water mark', async () => {
    const r = await t.rt.run(`(async () => {
      const { EventEmitter, on } = require('events');
      const e = new EventEmitter(); const log = [];
      e.pause = () => log.push('pause'); e.resume = () => log.push('resume');
      const it = on(e, 'd', { highWaterMark: 2, lowWaterMark: 1 });
      e.emit('d', 1); e.emit('d', 2); e.emit('d', 3);
      log.push((await it.next()).value[0], (await it.next()).value[0], (await it.next()).value[0]);
      await it.return();
      __return([log, e.listenerCount('d')]);
    })()`)
    // The three next() calls run before push() does.
    expect(r.value).toEqual([['pause', 'resume', 1, 2, 3], 0])
  })

  it('an EventTarget warns past its max listeners, as Node does', async () => {
    const r = await t.rt.exec(`const events = require('events'); const et = new EventTarget();
      events.setMaxListeners(1, et);
      et.addEventListener('tick', () => {}); et.addEventListener('tick', () => {}); et.addEventListener('tick', () => {});
      console.log(events.getMaxListeners(et), events.getEventListeners(et, 'tick').length)`)
    expect(r.stdout).toBe('1 3\n')
    expect(r.stderr).toContain('MaxListenersExceededWarning: Possible EventTarget memory leak detected. 2 tick listeners added to EventTarget. MaxListeners is 1.')
    expect(r.stderr.match(/MaxListenersExceededWarning/g)).toHaveLength(1)
  })

  it('process is still an emitter with the full API', async () => {
    const r = await t.rt.run(`const { EventEmitter, getEventListeners } = require('events');
      const f = () => {}; process.on('custom', f);
      __return([process instanceof EventEmitter, getEventListeners(process, 'custom')[0] === f, process.listenerCount('custom', f),
        process.emit('custom'), process.rawListeners('custom').length])`)
    expect(r.value).toEqual([true, true, 1, true, 1])
  })

  it('captureRejections sends a rejected listener promise to error (or the rejection hook)', async () => {
    const r = await t.rt.run(`(async () => {
      const { EventEmitter } = require('events'); const out = [];
      EventEmitter.captureRejections = true;
      const e = new EventEmitter();
      e.on('x', async () => { throw new Error('async boom'); });
      e.on('error', (err) => out.push(err.message));
      e.emit('x');
      await new Promise((r) => setImmediate(r));
      EventEmitter.captureRejections = false;
      __return(out);
    })()`)
    expect(r.value).toEqual(['async boom'])
  })
})
