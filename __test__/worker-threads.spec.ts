// require('worker_threads'): the guest is the main and only thread.
import { describe, expect, it } from 'vitest'
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

  it('refuses to start a worker, clearly', async () => {
    const r = await host.rt.run(`
      const { Worker } = require('worker_threads');
      try { new Worker('./w.js') } catch (e) { __return([e.name, e.code, e.message]) }`)
    expect(r.value).toEqual(['Error', 'ERR_SANDBOX_UNSUPPORTED', 'worker_threads.Worker is not supported in this sandbox'])
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
