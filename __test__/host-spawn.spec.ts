// rt.spawn: the host starts a guest process outside calls. It runs beside
// run()/exec() on its own thread until it ends or is killed, its stdio
// streamed both ways with backpressure, its tree bounded by the runtime's
// limits and ended with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GuestProcess, NodeRuntime, RuntimeDisposedError, SidecarCrashedError } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ permissions: { fs: 'allow', childProcess: 'allow', network: 'allow', env: 'allow' } })
})
afterAll(async () => {
  await rt.dispose()
})

async function text(s: NodeJS.ReadableStream): Promise<string> {
  let out = ''
  for await (const c of s) out += c
  return out
}

// Everything a process writes, and how it ended.
async function outcome(p: GuestProcess) {
  const [stdout, stderr, exit] = await Promise.all([text(p.stdout), text(p.stderr), p.wait()])
  return { stdout, stderr, ...exit }
}

describe('rt.spawn', () => {
  it('runs node with its arguments, env and cwd, and pipes stdin to stdout', async () => {
    await rt.fs.mkdir('/tmp/spawn-cwd', { recursive: true })
    const p = await rt.spawn(
      'node',
      ['-e', `process.stdin.setEncoding('utf8'); let s = ''; process.stdin.on('data', (d) => { s += d; });
        process.stdin.on('end', () => { console.log(JSON.stringify({ s: s.toUpperCase(), argv: process.argv.slice(1), cwd: process.cwd(), x: process.env.X, ppid: process.ppid, pid: process.pid })); console.error('bye'); process.exitCode = 3; });`,
        'a', 'b c'],
      { cwd: '/tmp/spawn-cwd', env: { X: 'y' } },
    )
    expect(p.pid).toBeGreaterThanOrEqual(100)
    expect(p.exitCode).toBe(null)
    p.stdin.write('hello ')
    p.stdin.end('world')
    const o = await outcome(p)
    expect(JSON.parse(o.stdout)).toEqual({ s: 'HELLO WORLD', argv: ['a', 'b c'], cwd: '/tmp/spawn-cwd', x: 'y', ppid: 1, pid: p.pid })
    expect(o.stderr).toBe('bye\n')
    expect([o.exitCode, o.signalCode]).toEqual([3, null])
    expect(p.exitCode).toBe(3)
    expect(p.kill()).toBe(false)
  })

  it('runs the shell and its commands, with their statuses', async () => {
    await rt.fs.mkdir('/tmp/spawn-ls', { recursive: true })
    await rt.fs.writeFile('/tmp/spawn-ls/a.txt', 'x')
    const sh = await rt.spawn('sh', ['-c', 'ls /tmp/spawn-ls; echo err >&2; exit 7'])
    expect(await outcome(sh)).toEqual({ stdout: 'a.txt\n', stderr: 'err\n', exitCode: 7, signalCode: null })
    const wc = await rt.spawn('wc', ['-c'])
    wc.stdin.end('12345')
    expect((await outcome(wc)).stdout.trim()).toBe('5')
  })

  it('streams 10 MB each way through cat with backpressure', async () => {
    const cat = await rt.spawn('cat')
    const data = Buffer.alloc(10 * 1024 * 1024)
    for (let i = 0; i < data.length; i++) data[i] = i % 251
    const chunks: Buffer[] = []
    const read = (async () => {
      for await (const c of cat.stdout) chunks.push(c)
    })()
    cat.stdin.end(data)
    await read
    expect(Buffer.concat(chunks).equals(data)).toBe(true)
    expect(await cat.wait()).toEqual({ exitCode: 0, signalCode: null })
  })

  it('holds a writer back while the host does not read its output', async () => {
    const yes = await rt.spawn('yes')
    await new Promise((r) => setTimeout(r, 300))
    // Only the sidecar's window (256 KiB) and the stream's own buffer came
    // out; the process waits.
    expect(yes.stdout.readableLength).toBeLessThanOrEqual(320 * 1024)
    expect(yes.exitCode).toBe(null)
    expect(yes.kill('SIGKILL')).toBe(true)
    const o = await outcome(yes)
    expect(o.stdout.length).toBeLessThan(1024 * 1024)
    expect(o.signalCode).toBe('SIGKILL')
  })

  it('fails writes to a stdin nobody reads with EPIPE, never an unhandled error', async () => {
    const head = await rt.spawn('head', ['-c', '3'])
    const errors: string[] = []
    head.stdin.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? ''))
    for (let i = 0; i < 40; i++) head.stdin.write(Buffer.alloc(100_000, 'a'))
    expect(await outcome(head)).toMatchObject({ stdout: 'aaa', exitCode: 0 })
    await new Promise((r) => setTimeout(r, 50))
    expect(errors).toEqual(['EPIPE'])
  })

  it('lives across calls: serves rt.fetch while calls run, which cannot signal it', async () => {
    const srv = await rt.spawn('node', ['-e', `
      process.on('SIGTERM', () => { console.log('term'); process.exit(5); });
      require('http').createServer((q, s) => s.end('from ' + process.pid)).listen(3111, () => console.log('up'));`])
    const lines = srv.stdout[Symbol.asyncIterator]()
    expect(String((await lines.next()).value)).toBe('up\n')
    expect((await rt.run('__return(6 * 7)')).value).toBe(42)
    expect(await (await rt.fetch('http://localhost:3111/')).text()).toBe(`from ${srv.pid}`)
    const r = await rt.run(`const http = require('http');
      http.get('http://127.0.0.1:3111/', (res) => { let b = ''; res.on('data', (d) => { b += d; }); res.on('end', () => __return(b)); });`)
    expect(r.value).toBe(`from ${srv.pid}`)
    // Another tree's: a call may not signal it (EPERM); the host may.
    const denied = await rt.exec(`try { process.kill(${srv.pid}, 'SIGTERM') } catch (e) { console.log(e.code) }`)
    expect(denied.stdout).toBe('EPERM\n')
    expect(srv.kill('SIGTERM')).toBe(true)
    expect(String((await lines.next()).value)).toBe('term\n')
    expect(await srv.wait()).toEqual({ exitCode: 5, signalCode: null })
  })

  it('kills with a signal by name or number, and refuses unknown signals', async () => {
    const p = await rt.spawn('node', ['-e', 'setInterval(() => {}, 1000)'])
    expect(() => p.kill('SIGNOPE' as NodeJS.Signals)).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_SIGNAL' }))
    expect(p.kill(2)).toBe(true)
    expect(await p.wait()).toEqual({ exitCode: null, signalCode: 'SIGINT' })
    expect(p.signalCode).toBe('SIGINT')
  })

  it('fails as Node does for a missing command or cwd, and checks its arguments', async () => {
    await expect(rt.spawn('python3', ['-c', '1'])).rejects.toMatchObject({
      code: 'ENOENT', errno: -2, syscall: 'spawn python3', path: 'python3', spawnargs: ['-c', '1'],
    })
    await expect(rt.spawn('node', ['-e', '0'], { cwd: '/no/such/dir' })).rejects.toMatchObject({ code: 'ENOENT' })
    await rt.fs.writeFile('/tmp/spawn-file', 'x')
    await expect(rt.spawn('ls', [], { cwd: '/tmp/spawn-file' })).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(rt.spawn('node', ['-e', '0'], { cwd: 'relative' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(rt.spawn(1 as unknown as string)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(rt.spawn('node', [1 as unknown as string])).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await expect(rt.spawn('no\0de')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(rt.spawn('node', ['x'.repeat(3 * 1024 * 1024)])).rejects.toMatchObject({ code: 'E2BIG' })
    await expect(rt.spawn('node', [], { timeoutMs: -1 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
  })

  it('reads a script with the runtime fs permission, and its own spawns are checked', async () => {
    const locked = await NodeRuntime.create()
    try {
      await locked.fs.writeFile('/home/user/app.js', 'console.log("ran")')
      // Started by the host: childProcess is not asked; the fs permission
      // still decides what the process reads.
      const o = await outcome(await locked.spawn('node', ['app.js']))
      expect(o.exitCode).toBe(1)
      expect(o.stderr).toContain("Cannot find module '/home/user/app.js'")
      const inner = await locked.spawn('node', ['-e', `require('child_process').spawn('node', ['-e', '0']).on('error', (e) => console.log(e.code))`])
      expect((await outcome(inner)).stdout).toBe('EACCES\n')
    } finally {
      await locked.dispose()
    }
  })
})

describe('rt.spawn limits', () => {
  it('counts against maxProcesses, and its tree ends with it', async () => {
    const small = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { maxProcesses: 4 } })
    try {
      const a = await small.spawn('node', ['-e', 'setInterval(() => {}, 1000)'])
      // The shell, its background job and the job's node: four in all.
      const sh = await small.spawn('sh', ['-c', 'node -e "console.log(1); setInterval(() => {}, 1000)" & wait'])
      const lines = sh.stdout[Symbol.asyncIterator]()
      expect(String((await lines.next()).value)).toBe('1\n')
      await expect(small.spawn('node', ['-e', '0'])).rejects.toMatchObject({ code: 'EAGAIN', syscall: 'spawn node' })
      // Killing the shell ends the rest of its tree: three places free.
      sh.kill('SIGKILL')
      expect(await sh.wait()).toEqual({ exitCode: null, signalCode: 'SIGKILL' })
      const more = []
      for (let i = 0; i < 3; i++) more.push(await small.spawn('node', ['-e', 'setInterval(() => {}, 1000)']))
      for (const p of [a, ...more]) {
        p.kill()
        expect((await p.wait()).signalCode).toBe('SIGTERM')
      }
    } finally {
      await small.dispose()
    }
  })

  it('ends a busy tree at cpuTimeMs, a slow one at timeoutMs, a big one at memoryMb', async () => {
    const lim = await NodeRuntime.create({ limits: { cpuTimeMs: 500, memoryMb: 64 } })
    try {
      const busy = await lim.spawn('node', ['-e', 'for (;;) {}'])
      expect(await busy.wait()).toEqual({ exitCode: 124, signalCode: null })
      const started = Date.now()
      const slow = await lim.spawn('node', ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 200 })
      expect(await slow.wait()).toEqual({ exitCode: 124, signalCode: null })
      expect(Date.now() - started).toBeLessThan(5000)
      const big = await lim.spawn('node', ['-e', 'const a = []; for (;;) a.push(new Array(1e5).fill(1))'])
      expect(await big.wait()).toEqual({ exitCode: 137, signalCode: null })
      // Without timeoutMs there is no wall-clock limit: it outlives wallTimeMs.
      const quick = await NodeRuntime.create({ limits: { wallTimeMs: 200 } })
      try {
        const p = await quick.spawn('node', ['-e', 'setTimeout(() => console.log("late"), 600)'])
        expect(await outcome(p)).toMatchObject({ stdout: 'late\n', exitCode: 0 })
      } finally {
        await quick.dispose()
      }
    } finally {
      await lim.dispose()
    }
  })
})

describe('rt.spawn and the runtime ending', () => {
  it('dispose ends running processes: wait() rejects, later spawns too', async () => {
    const d = await NodeRuntime.create({ sidecar: 'shared' })
    const p = await d.spawn('node', ['-e', 'setInterval(() => {}, 1000)'])
    const waited = p.wait().catch((e) => e)
    await d.dispose()
    expect(await waited).toBeInstanceOf(RuntimeDisposedError)
    await expect(d.spawn('node', ['-e', '0'])).rejects.toBeInstanceOf(RuntimeDisposedError)
  })

  it('a sidecar crash ends them with SidecarCrashedError; the runtime carries on', async () => {
    const c = await NodeRuntime.create()
    try {
      const p = await c.spawn('node', ['-e', 'setInterval(() => {}, 1000)'])
      process.kill(c.sidecarPid!, 'SIGKILL')
      await expect(p.wait()).rejects.toBeInstanceOf(SidecarCrashedError)
      expect(p.stdout.readableEnded || (await text(p.stdout)) === '').toBe(true)
      expect((await c.run('__return(1)')).value).toBe(1)
      const q = await c.spawn('node', ['-p', '1 + 1'])
      expect(await outcome(q)).toMatchObject({ stdout: '2\n', exitCode: 0 })
    } finally {
      await c.dispose()
    }
  })

  it('unref lets the host exit while a process runs', async () => {
    const { spawnSync } = await import('node:child_process')
    const script = `
      const { NodeRuntime } = require(${JSON.stringify(require.resolve('../index.js'))});
      NodeRuntime.create().then(async (rt) => {
        const p = await rt.spawn('node', ['-e', 'setInterval(() => {}, 1000)']);
        p.unref();
        console.log('unref', typeof p.pid);
      });`
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 })
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('unref number\n')
  })
})
