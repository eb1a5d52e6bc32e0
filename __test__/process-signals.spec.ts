// process.kill within the runtime: a process signals itself (listeners in
// the poll phase, default actions as the OS takes them); any other pid is
// the kernel's to refuse: ESRCH for none of this runtime, EPERM for the
// host or another call's process. Node's own behaviour is compared in
// __test__/differential/process_kill.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create()
})
afterAll(async () => {
  await rt.dispose()
})

describe('process.kill', () => {
  it('refuses pids that are not the caller: ESRCH for none, EPERM for the host and other processes', async () => {
    const ctx = await rt.createContext()
    try {
      const other = (await ctx.run<number>('__return(process.pid)')).value
      const r = await rt.run<unknown[]>(`
        const code = (pid, sig) => { try { return process.kill(pid, sig) } catch (e) { return [e.code, e.errno, e.syscall, e.message] } };
        __return([process.ppid, code(process.ppid, 0), code(${other}, 'SIGKILL'), code(4194303, 0), code(-1, 'SIGTERM'), code(0, 0), code(process.pid, 0)])`)
      expect(r.value).toEqual([
        1,
        ['EPERM', -1, 'kill', 'kill EPERM'],
        ['EPERM', -1, 'kill', 'kill EPERM'],
        ['ESRCH', -3, 'kill', 'kill ESRCH'],
        ['EPERM', -1, 'kill', 'kill EPERM'],
        true,
        true,
      ])
      // The other process was not touched.
      expect((await ctx.run<number>('__return(process.pid)')).value).toBe(other)
    } finally {
      await ctx.close()
    }
  })

  it('ends the caller with 128 + n and no exit event when nothing listens', async () => {
    const kill = await rt.exec(`process.on('exit', () => console.log('exit event')); console.log('before'); process.kill(process.pid, 'SIGKILL'); console.log('after')`)
    expect([kill.code, kill.stdout]).toEqual([137, 'before\n'])
    // SIGKILL cannot be listened to (as Node's signal wrap refuses it) or caught.
    const caught = await rt.exec(`try { process.on('SIGKILL', () => console.log('caught')) } catch (e) { console.log(e.code, e.syscall) } process.kill(process.pid, 9); setTimeout(() => console.log('alive'), 10)`)
    expect([caught.code, caught.stdout]).toEqual([137, 'EINVAL uv_signal_start\n'])
    const term = await rt.exec(`process.kill(process.pid); console.log('after')`)
    expect([term.code, term.stdout]).toEqual([143, ''])
    // An 'exit' listener's fatal signal while an uncaught error ends the process.
    const inExit = await rt.exec(`process.on('exit', () => process.kill(process.pid, 'SIGKILL')); throw new Error('boom')`)
    expect(inExit.code).toBe(137)
    // The runtime goes on.
    expect((await rt.run('__return(1)')).value).toBe(1)
  })

  it('runs a listener only in a loop turn with work, as Node: a signal keeps nothing alive', async () => {
    const idle = await rt.exec(`process.on('SIGTERM', () => console.log('handled')); process.kill(process.pid, 'SIGTERM'); console.log('after')`)
    expect([idle.code, idle.stdout]).toEqual([0, 'after\n'])
    const busy = await rt.exec(`process.on('SIGHUP', (s, n) => console.log('handled', s, n)); process.kill(process.pid, 'SIGHUP'); setTimeout(() => console.log('timer'), 20)`)
    expect([busy.code, busy.stdout]).toEqual([0, 'handled SIGHUP 1\ntimer\n'])
  })

  it('drops a signal no turn of a persistent context call delivered: it never reaches a later call', async () => {
    const ctx = await rt.createContext()
    try {
      const first = await ctx.run(`process.on('SIGTERM', () => console.log('handled late')); process.kill(process.pid, 'SIGTERM'); __return(1)`)
      const later = await ctx.run(`setTimeout(() => __return(2), 20)`)
      expect([first.stdout, later.value, later.stdout]).toEqual(['', 2, ''])
    } finally {
      await ctx.close()
    }
  })
})
