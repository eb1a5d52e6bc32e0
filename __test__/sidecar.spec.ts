import { describe, expect, it } from 'vitest'
import { NodeRuntime, SidecarCrashedError } from '../index.js'
import { childPids, openFds, processAlive, sleep } from './helpers.js'

describe('sidecar processes', () => {
  it('a SIGKILLed sidecar rejects in-flight calls; other runtimes carry on; the runtime recovers', async () => {
    const [a, b] = await Promise.all([NodeRuntime.create(), NodeRuntime.create()])
    try {
      expect(a.sidecarPid).not.toBe(b.sidecarPid)
      const pending = a.run('setTimeout(() => __return("never"), 10000)')
      const other = b.run('setTimeout(() => __return("b done"), 300)')
      await sleep(100)
      process.kill(a.sidecarPid!, 'SIGKILL')
      const err: any = await pending.catch((e) => e)
      expect(err).toBeInstanceOf(SidecarCrashedError)
      expect(err.code).toBe('ERR_SANDBOX_CRASHED')
      expect(err.message).toMatch(/killed by signal 9/)
      expect((await other).value).toBe('b done')
      // The next call on the crashed runtime gets a new sidecar.
      expect((await a.run('__return("again")')).value).toBe('again')
    } finally {
      await Promise.all([a.dispose(), b.dispose()])
    }
  })

  it('runs 20 runtimes concurrently and independently', async () => {
    const rts = await Promise.all(Array.from({ length: 20 }, () => NodeRuntime.create({ sidecar: 'shared' })))
    try {
      const results = await Promise.all(
        rts.map((rt, i) => rt.run<number>(`globalThis.mine = ${i}; await new Promise((r) => setTimeout(r, 20)); __return(globalThis.mine * 2)`)),
      )
      expect(results.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2))
      expect(new Set(rts.map((r) => r.sidecarPid)).size).toBe(1)
    } finally {
      await Promise.all(rts.map((r) => r.dispose()))
    }
  })

  it('a limit in one shared runtime leaves its neighbours alone', async () => {
    const [a, b] = await Promise.all([
      NodeRuntime.create({ sidecar: 'shared', limits: { cpuTimeMs: 200 } }),
      NodeRuntime.create({ sidecar: 'shared' }),
    ])
    try {
      const [ra, rb] = await Promise.allSettled([a.run('for (;;) {}'), b.run('await new Promise((r) => setTimeout(r, 400)); __return("b")')])
      expect(ra.status).toBe('rejected')
      expect(rb).toMatchObject({ status: 'fulfilled', value: { value: 'b' } })
    } finally {
      await Promise.all([a.dispose(), b.dispose()])
    }
  })

  it('100 create/dispose cycles leave no child processes and no leaked fds', async () => {
    await NodeRuntime.closeIdleSidecars()
    const fdsBefore = openFds()
    for (let i = 0; i < 100; i++) {
      const rt = await NodeRuntime.create()
      if (i % 10 === 0) expect((await rt.run('__return(1)')).value).toBe(1)
      await rt.dispose()
    }
    await NodeRuntime.closeIdleSidecars()
    expect(childPids()).toEqual([])
    // A little slack for Node's own lazily opened handles.
    expect(openFds() - fdsBefore).toBeLessThanOrEqual(4)
  })

  it('the sidecar has an empty environment and only its channel fd', async () => {
    process.env.SECURE_EXEC_LEAK_CHECK = 'secret'
    const rt = await NodeRuntime.create()
    try {
      const pid = rt.sidecarPid!
      const fs = await import('node:fs')
      // The host's log filter is the one variable passed on, when set.
      const log = process.env.SECURE_EXEC_LOG
      expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8')).toBe(log ? `SECURE_EXEC_LOG=${log}\0` : '')
      const fds = fs.readdirSync(`/proc/${pid}/fd`).map(Number)
      // 0-2 are /dev/null (or a log pipe) and a stderr pipe; 3 is the channel; the rest are
      // the sidecar's own (epoll, eventfds, ...), none inherited from us.
      const ours = new Set(fs.readdirSync('/proc/self/fd').map((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`)
        } catch {
          return ''
        }
      }))
      for (const fd of fds.filter((fd) => fd > 3)) {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`)
        if (target.startsWith('/')) expect(ours.has(target) && !target.startsWith('/dev/')).toBe(false)
      }
      expect(fs.readlinkSync(`/proc/${pid}/fd/3`)).toMatch(/^socket:/)
      expect(fs.readlinkSync(`/proc/${pid}/cwd`)).toBe('/')
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m)
      expect(fs.readFileSync(`/proc/${pid}/limits`, 'utf8')).toMatch(/^Max core file size\s+0\s+0\s/m)
    } finally {
      await rt.dispose()
    }
  })

  it('the sidecar dies with the host', async () => {
    const { spawn } = await import('node:child_process')
    const script = `const { NodeRuntime } = require(${JSON.stringify(require.resolve('../index.js'))});
      NodeRuntime.create().then((rt) => { console.log(rt.sidecarPid); setInterval(() => {}, 1000) })`
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const pid = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
    expect(pid).toBeGreaterThan(0)
    expect(processAlive(pid)).toBe(true)
    child.kill('SIGKILL')
    for (let i = 0; i < 100 && processAlive(pid); i++) await sleep(20)
    expect(processAlive(pid)).toBe(false)
  })
})

describe('concurrency', () => {
  it('runs 20 runtimes with dedicated sidecars concurrently', async () => {
    const rts = await Promise.all(Array.from({ length: 20 }, () => NodeRuntime.create()))
    try {
      expect(new Set(rts.map((r) => r.sidecarPid)).size).toBe(20)
      const results = await Promise.all(rts.map((rt, i) => rt.run<number>(`await null; __return(${i} + 1)`)))
      expect(results.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    } finally {
      await Promise.all(rts.map((r) => r.dispose()))
      await NodeRuntime.closeIdleSidecars()
    }
  })

  it('queues concurrent calls on one runtime; each is its own process', async () => {
    const rt = await NodeRuntime.create()
    try {
      const rs = await Promise.all(
        Array.from({ length: 5 }, (_, i) => rt.run<number>(`globalThis.n = (globalThis.n ?? 0) + ${i}; await new Promise((r) => setTimeout(r, 5)); __return(globalThis.n)`)),
      )
      expect(rs.map((r) => r.value)).toEqual([0, 1, 2, 3, 4])
    } finally {
      await rt.dispose()
    }
  })
})

describe('a sidecar that stops answering', () => {
  it('is killed by the host past the time limit; the call ends as a timeout and the runtime recovers', async () => {
    const rt = await NodeRuntime.create()
    try {
      const pid = rt.sidecarPid!
      const call = rt.run('setTimeout(() => __return("late"), 50)', { timeoutMs: 200 }).catch((e) => e)
      process.kill(pid, 'SIGSTOP')
      const t0 = Date.now()
      const err: any = await call
      expect(err.code).toBe('ERR_SANDBOX_TIMEOUT')
      // The host's own grace (5 s) past the limit, not forever.
      expect(Date.now() - t0).toBeLessThan(15_000)
      expect((await rt.run('__return("fresh sidecar")')).value).toBe('fresh sidecar')
      expect(rt.sidecarPid).not.toBe(pid)
    } finally {
      await rt.dispose()
    }
  })
})

describe('a runtime that is never disposed', () => {
  it('frees its sidecar once garbage-collected', async () => {
    const { spawnSync } = await import('node:child_process')
    const script = `const { NodeRuntime } = require(${JSON.stringify(require.resolve('../index.js'))});
      const fs = require('fs');
      const alive = (p) => { try { return fs.readFileSync('/proc/' + p + '/stat', 'utf8').split(') ')[1][0] !== 'Z' } catch { return false } };
      (async () => {
        let rt = await NodeRuntime.create();
        const pid = rt.sidecarPid;
        await rt.run('__return(1)');
        rt = null;
        for (let i = 0; i < 100 && alive(pid); i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)) }
        console.log(alive(pid) ? 'leaked' : 'freed');
        process.exit(0);
      })()`
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 30_000 })
    expect(r.stdout.trim()).toBe('freed')
  })
})

describe('an idle runtime', () => {
  it('gives back its prepared context after a second and still serves fresh calls', async () => {
    const rt = await NodeRuntime.create({ sidecar: 'shared', permissions: { fs: 'allow' } })
    try {
      await rt.run("globalThis.leak = 1; require('fs').writeFileSync('/tmp/kept', 'vfs')")
      // Past the runtime's idle trim (1 s): its next call prepares a context first.
      await sleep(1300)
      const r = await rt.run("__return([typeof leak, require('fs').readFileSync('/tmp/kept', 'utf8')])")
      expect(r.value).toEqual(['undefined', 'vfs'])
      expect((await rt.run('__return(2)')).value).toBe(2)
    } finally {
      await rt.dispose()
    }
  })
})
