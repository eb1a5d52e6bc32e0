// require('worker_threads'): Workers on their own threads (what Node defines
// is compared in __test__/differential/worker_threads_basic.js); ports
// within a thread.
import { describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'
import { useRuntime } from './helpers.js'

const host = useRuntime({})

describe('worker_threads', () => {
  it('describes the main thread', async () => {
    const r = await host.rt.run(`
      const wt = require('worker_threads');
      __return([wt.isMainThread, wt.parentPort, wt.workerData, wt.threadId, Object.keys(wt.resourceLimits),
        wt.SHARE_ENV === Symbol.for('nodejs.worker_threads.SHARE_ENV')])`)
    expect(r.value).toEqual([true, null, null, 0, [], true])
  })

  it('runs a worker on its own thread: a busy worker does not stop its parent, and terminate() ends it', async () => {
    const rt = await NodeRuntime.create({ permissions: { childProcess: 'allow' } })
    try {
      const r = await rt.run(`
        const { Worker } = require('worker_threads');
        const w = new Worker('for (;;) {}', { eval: true });
        let ticks = 0;
        const t = setInterval(() => { ticks++; }, 5);
        setTimeout(() => w.terminate().then((code) => { clearInterval(t); __return([code, ticks > 5]); }), 100);`)
      expect(r.value).toEqual([1, true])
    } finally {
      await rt.dispose()
    }
  })

  it('counts workers against limits.maxProcesses and needs the childProcess permission', async () => {
    const denied = await host.rt.run(`
      const { Worker } = require('worker_threads');
      try { new Worker('0', { eval: true }); __return('started') } catch (e) { __return([e.code, e.syscall]) }`)
    expect(denied.value).toEqual(['EACCES', 'spawn'])
    const rt = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { maxProcesses: 1 } })
    try {
      const r = await rt.run(`
        const { Worker } = require('worker_threads');
        const a = new Worker('setTimeout(() => {}, 100)', { eval: true });
        try { new Worker('0', { eval: true }) } catch (e) { __return(e.code) }`)
      expect(r.value).toBe('EAGAIN')
    } finally {
      await rt.dispose()
    }
  })

  it('refuses transferring objects to another thread, clearly', async () => {
    const rt = await NodeRuntime.create({ permissions: { childProcess: 'allow' } })
    try {
      const r = await rt.run(`
        const { Worker } = require('worker_threads');
        const w = new Worker('0', { eval: true });
        const buf = new ArrayBuffer(8);
        try { w.postMessage(buf, [buf]) } catch (e) { __return([e.code, e.message]) }`)
      expect(r.value).toEqual(['ERR_SANDBOX_UNSUPPORTED', 'Transferring objects to another thread is not supported in this sandbox'])
    } finally {
      await rt.dispose()
    }
  })

  it('MessageChannel carries structured clones in order', async () => {
    const r = await host.rt.run(`
      const { MessageChannel, receiveMessageOnPort } = require('worker_threads');
      const { port1, port2 } = new MessageChannel();
      const sent = { list: [1, 2], when: new Date(0) };
      port1.postMessage(sent);
      const sync = receiveMessageOnPort(port2);
      const got = [];
      port2.addEventListener('message', (e) => got.push(['event', e.data]));
      port2.on('message', (m) => {
        got.push(['on', m]);
        if (m === 'b') {
          port1.close();
          setImmediate(() => __return([sync.message.list, sync.message !== sent, sync.message.when instanceof Date, got]));
        }
      });
      port1.postMessage('a');
      port1.postMessage('b');`)
    expect(r.value).toEqual([[1, 2], true, true, [['on', 'a'], ['event', 'a'], ['on', 'b'], ['event', 'b']]])
  })

  it('refuses what cannot be cloned', async () => {
    const r = await host.rt.run(`
      const { port1 } = new (require('worker_threads').MessageChannel)();
      try { port1.postMessage({ f() {} }) } catch (e) { __return(e.name) }`)
    expect(r.value).toBe('DataCloneError')
  })

  it('BroadcastChannel reaches the other channels of its name', async () => {
    const r = await host.rt.run(`
      const { BroadcastChannel } = require('worker_threads');
      const a = new BroadcastChannel('n'), b = new BroadcastChannel('n'), c = new BroadcastChannel('other');
      const got = [];
      a.onmessage = (e) => got.push(['a', e.data]);
      b.onmessage = (e) => got.push(['b', e.data]);
      c.onmessage = (e) => got.push(['c', e.data]);
      a.postMessage('hi');
      // Deliveries are immediates queued by postMessage: this one runs after them
      // (a timer could run first on a loaded machine, as in Node).
      setImmediate(() => { a.close(); b.close(); c.close(); __return(got); });`)
    expect(r.value).toEqual([['b', 'hi']])
  })
})
