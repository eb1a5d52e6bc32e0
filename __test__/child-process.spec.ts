// child_process: a guest spawns `node` as another guest process of its
// runtime (its own isolate and thread), talks to it through kernel pipes,
// and signals it. What Node defines is compared with host Node in
// __test__/differential/child_process_node.js; this file covers the
// sandbox's own rules: permission, the process bound, the call's limits
// over the whole tree, the tree ending with its call, and what a child
// shares with its parent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ permissions: { childProcess: 'allow', fs: 'allow', env: 'allow' } })
})
afterAll(async () => {
  await rt.dispose()
})

// Runs `body` (which ends by calling done(value)) and gives the value.
async function guest<T>(body: string, runtime = rt): Promise<T> {
  const r = await runtime.run<T>(`
    const cp = require('child_process');
    // A parent lives while its children do: the value, then the end.
    const done = (v) => { __return(v); process.exit(0); };
    const collect = (c) => new Promise((resolve) => {
      let out = '', err = '';
      if (c.stdout) c.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
      if (c.stderr) c.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
      c.on('error', (e) => resolve({ error: [e.code, e.errno, e.syscall, e.message] }));
      c.on('close', (code, signal) => resolve({ code, signal, out, err }));
    });
    ${body}`)
  expect(r.code, r.stderr).toBe(0)
  return r.value as T
}

describe('spawning node', () => {
  it('runs a child with its own pid, argv, cwd and env, and pipes both ways', async () => {
    const v = await guest<Record<string, unknown>>(`
      require('fs').mkdirSync('/tmp/work', { recursive: true });
      const c = cp.spawn('node', ['-e', \`
        let s = '';
        process.stdin.on('data', (d) => { s += d; });
        process.stdin.on('end', () => console.log(JSON.stringify({ s, pid: process.pid, ppid: process.ppid,
          argv: process.argv, cwd: process.cwd(), v: process.env.ONLY })));\`, 'x'],
        { cwd: '/tmp/work', env: { ONLY: 'this' } });
      c.stdin.end('from parent');
      collect(c).then((r) => done({ ...JSON.parse(r.out), me: process.pid, child: c.pid, code: r.code }));`)
    expect(v).toMatchObject({
      s: 'from parent',
      argv: ['/usr/bin/node', 'x'],
      cwd: '/tmp/work',
      v: 'this',
      code: 0,
    })
    expect(v.pid).toBe(v.child)
    expect(v.ppid).toBe(v.me)
    expect(v.pid).not.toBe(v.me)
  })

  it('runs a script from the virtual filesystem, which requires its siblings', async () => {
    const v = await guest(`
      const fs = require('fs');
      fs.mkdirSync('/tmp/app', { recursive: true });
      fs.writeFileSync('/tmp/app/lib.js', 'module.exports = (a) => a * 2');
      fs.writeFileSync('/tmp/app/main.js', 'console.log(require("./lib")(Number(process.argv[2])), require.main === module, __filename)');
      Promise.all([collect(cp.spawn(process.execPath, ['main.js', '21'], { cwd: '/tmp/app' })),
        collect(cp.spawn('node', ['/tmp/app/missing.js']))]).then(done);`)
    expect(v).toEqual([
      { code: 0, signal: null, out: '42 true /tmp/app/main.js\n', err: '' },
      { code: 1, signal: null, out: '', err: expect.stringContaining("Error: Cannot find module '/tmp/app/missing.js'") },
    ])
  })

  it('shares the filesystem: what a child writes, the parent reads', async () => {
    const v = await guest(`
      collect(cp.spawn('node', ['-e', 'require("fs").writeFileSync("/tmp/from-child", "written " + process.pid)']))
        .then((r) => done([r.code, require('fs').readFileSync('/tmp/from-child', 'utf8').startsWith('written ')]));`)
    expect(v).toEqual([0, true])
  })

  it('carries large output and input with backpressure', async () => {
    const v = await guest(`
      const c = cp.spawn('node', ['-e', \`
        let n = 0;
        process.stdin.on('data', (d) => { n += d.length; });
        process.stdin.on('end', () => { process.stdout.write('z'.repeat(3 * 1024 * 1024)); console.error(n); });\`]);
      const big = Buffer.alloc(2 * 1024 * 1024, 1);
      const accepted = c.stdin.write(big);
      c.stdin.end();
      collect(c).then((r) => done([accepted, r.out.length, r.err.trim(), r.code]));`)
    expect(v).toEqual([false, 3 * 1024 * 1024, String(2 * 1024 * 1024), 0])
  })

  it("writes an inherited stdout into the call's own output, after the parent's earlier lines", async () => {
    const r = await rt.run(`
      console.log('parent first');
      require('child_process').spawn('node', ['-e', 'console.log("child"); console.error("child err")'], { stdio: 'inherit' })
        .on('close', (code) => console.log('closed', code));`)
    expect(r.stdout).toBe('parent first\nchild\nclosed 0\n')
    expect(r.stderr).toBe('child err\n')
  })

  it('prints a child\'s uncaught error on its stderr, with status 1', async () => {
    const v = await guest<{ code: number; err: string }>(`collect(cp.spawn('node', ['-e', 'null.x'])).then(done);`)
    expect(v.code).toBe(1)
    expect(v.err).toContain("TypeError: Cannot read properties of null (reading 'x')")
  })
})

describe('the Sync forms', () => {
  it('feed a large input and gather a large output without a deadlock', async () => {
    const v = await guest(`
      const r = cp.spawnSync('node', ['-e', \`
        let n = 0;
        process.stdin.on('data', (d) => { n += d.length; });
        process.stdin.on('end', () => { process.stdout.write('o'.repeat(3 << 20)); process.stderr.write(String(n)); });\`],
        { input: Buffer.alloc(2 << 20, 7), maxBuffer: 8 << 20 });
      done([r.status, r.stdout.length, String(r.stderr)]);`)
    expect(v).toEqual([0, 3 << 20, String(2 << 20)])
  })

  it('end with the caller: a spawnSync waiting when the call times out ends, child included', async () => {
    const t0 = Date.now()
    const r = await rt.exec(`
      require('child_process').spawnSync('node', ['-e', 'setInterval(() => {}, 1000)']);
      console.log('never');`, { timeoutMs: 300 })
    expect(r.code).toBe(124)
    expect(r.stdout).toBe('')
    expect(Date.now() - t0).toBeLessThan(5_000)
    // Nothing of it is left: the next call spawns as many as before.
    const again = await guest(`done(cp.spawnSync('node', ['-e', 'console.log(7)'], { encoding: 'utf8' }).stdout);`)
    expect(again).toBe('7\n')
  })

  it('hold at most half the memory limit of output, whatever maxBuffer says', async () => {
    const small = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { memoryMb: 64 } })
    try {
      const v = await guest(`
        const r = cp.spawnSync('node', ['-e', 'const s = "x".repeat(65536); for (let i = 0; i < 1024; i++) process.stdout.write(s)'],
          { maxBuffer: Infinity });
        done([r.error && r.error.code, r.signal, r.stdout.length <= (32 << 20) + 65536]);`, small)
      expect(v).toEqual(['ENOBUFS', 'SIGTERM', true])
    } finally {
      await small.dispose()
    }
  })
})

describe('fork', () => {
  it('carries many messages in order both ways; a child without listeners is not kept alive by its channel', async () => {
    const v = await guest(`
      const fs = require('fs');
      fs.writeFileSync('/tmp/echo.js', 'process.on("message", (m) => { process.send(m * 2); if (m === 999) process.disconnect(); })');
      fs.writeFileSync('/tmp/quiet.js', 'process.send("only")');
      const c = cp.fork('/tmp/echo.js');
      const got = [];
      c.on('message', (m) => got.push(m));
      for (let i = 0; i < 1000; i++) c.send(i);
      const q = cp.fork('/tmp/quiet.js');
      let quiet;
      q.on('message', (m) => { quiet = m; });
      Promise.all([new Promise((r) => c.on('exit', r)), new Promise((r) => q.on('exit', r))]).then(([code, qcode]) =>
        done([got.length, got.every((m, i) => m === i * 2), code, quiet, qcode]));`)
    expect(v).toEqual([1000, true, 0, 'only', 0])
  })
})

describe('signals', () => {
  it('ends a CPU-bound child at once with SIGKILL or SIGTERM, while the parent keeps running', async () => {
    const v = await guest(`
      const a = cp.spawn('node', ['-e', 'for (;;) {}']);
      const b = cp.spawn('node', ['-e', 'for (;;) {}']);
      let ticks = 0;
      const t = setInterval(() => { ticks++; }, 5);
      setTimeout(() => { a.kill('SIGKILL'); b.kill(); }, 100);
      Promise.all([collect(a), collect(b)]).then(([ra, rb]) => {
        clearInterval(t);
        done([ra.signal, rb.signal, ra.code, a.killed, ticks > 5]);
      });`)
    expect(v).toEqual(['SIGKILL', 'SIGTERM', null, true, true])
  })

  it('runs a listener for SIGTERM, SIGINT and SIGHUP; ignores SIGCHLD; kill() after the end is false', async () => {
    const v = await guest(`
      const c = cp.spawn('node', ['-e', \`
        for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, (name) => console.log('got', name));
        process.on('SIGUSR2', () => process.exit(5));
        setInterval(() => {}, 1000);
        console.log('ready');\`]);
      c.stdout.once('data', () => {
        for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGCHLD']) c.kill(s);
        setTimeout(() => c.kill('SIGUSR2'), 50);
      });
      collect(c).then((r) => done([r.out.split('\\n').sort(), r.code, r.signal, c.kill()]));`)
    // Signals pending together come lowest number first, as Linux delivers them.
    expect(v).toEqual([['', 'got SIGHUP', 'got SIGINT', 'got SIGTERM', 'ready'], 5, null, false])
  })

  it('lets a child signal its parent: the call ends with 128 + the signal', async () => {
    const r = await rt.run(`
      require('child_process').spawn('node', ['-e', 'process.kill(process.ppid, "SIGTERM")']);
      setInterval(() => {}, 1000);`)
    expect(r.code).toBe(143)
  })

})

describe('the sandbox decides', () => {
  it('refuses spawning without the childProcess permission (EACCES), as a spawn error', async () => {
    const denied = await NodeRuntime.create()
    try {
      const v = await guest(`collect(cp.spawn('node', ['-e', '0'])).then(done);`, denied)
      expect(v).toEqual({ error: ['EACCES', -13, 'spawn node', 'spawn node EACCES'] })
    } finally {
      await denied.dispose()
    }
  })

  it('runs no host binary: a command that is not node, the shell or one of its builtins does not exist', async () => {
    const v = await guest(`Promise.all(['python3', '/usr/bin/gcc', 'curl'].map((c) => collect(cp.spawn(c)))).then(done);`)
    expect(v).toEqual([
      { error: ['ENOENT', -2, 'spawn python3', 'spawn python3 ENOENT'] },
      { error: ['ENOENT', -2, 'spawn /usr/bin/gcc', 'spawn /usr/bin/gcc ENOENT'] },
      { error: ['ENOENT', -2, 'spawn curl', 'spawn curl ENOENT'] },
    ])
  })

  it('bounds the processes alive at once (limits.maxProcesses, EAGAIN), grandchildren counted, freed with the call', async () => {
    const few = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { maxProcesses: 3 } })
    try {
      // One child, which spawns three: the third is one too many.
      const spawnTree = `
        const c = cp.spawn('node', ['-e', \`
          const cp = require('child_process');
          const codes = [];
          for (let i = 0; i < 3; i++) {
            const g = cp.spawn('node', ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
            g.on('error', (e) => codes.push(e.code));
          }
          setTimeout(() => console.log(JSON.stringify(codes)), 50);
          setInterval(() => {}, 1000);\`]);
        c.stdout.once('data', (d) => {
          const more = cp.spawn('node', ['-e', '0']);
          more.on('error', (e) => done([JSON.parse(d), e.code, c.pid]));
        });`
      const first = await guest<unknown[]>(spawnTree, few)
      expect(first.slice(0, 2)).toEqual([['EAGAIN'], 'EAGAIN'])
      // The call ended: its processes ended with it and nothing was left in
      // the table to count against the next call.
      const second = await guest<unknown[]>(spawnTree, few)
      expect(second.slice(0, 2)).toEqual([['EAGAIN'], 'EAGAIN'])
      const gone = await few.run(`try { process.kill(${first[2]}, 0); __return('alive') } catch (e) { __return(e.code) }`)
      expect(gone.value).toBe('ESRCH')
    } finally {
      await few.dispose()
    }
    const none = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { maxProcesses: 0 } })
    try {
      expect(await guest(`collect(cp.spawn('node', ['-e', '0'])).then(done);`, none)).toEqual({
        error: ['EAGAIN', -11, 'spawn node', 'spawn node EAGAIN'],
      })
    } finally {
      await none.dispose()
    }
    await expect(NodeRuntime.create({ limits: { maxProcesses: 1025 } })).rejects.toThrow(
      'The value of "limits.maxProcesses" is out of range. It must be >= 0 && <= 1024. Received 1025',
    )
  })

  it('bounds the memory of the whole tree by the call\'s memoryMb (137)', async () => {
    const small = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { memoryMb: 96 } })
    try {
      // Each child alone stays under the limit; together they are over it.
      const r = await small.exec(`
        const cp = require('child_process');
        for (let i = 0; i < 3; i++) {
          cp.spawn('node', ['-e', 'const a = []; for (let i = 0; i < 40; i++) a.push(Buffer.alloc(1 << 20, 1)); setInterval(() => {}, 1000)'],
            { stdio: 'inherit' });
        }
        setInterval(() => {}, 1000);`)
      expect(r.code).toBe(137)
      expect((await small.run('__return(2)')).value).toBe(2)
    } finally {
      await small.dispose()
    }
  })

  it('counts the CPU time of the whole tree against the call (124), and the next call runs', async () => {
    const limited = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { cpuTimeMs: 400 } })
    try {
      const t0 = Date.now()
      const r = await limited.exec(`
        const cp = require('child_process');
        for (let i = 0; i < 3; i++) cp.spawn('node', ['-e', 'for (;;) {}']);
        setInterval(() => {}, 1000);`)
      expect(r.code).toBe(124)
      // Three busy children on two cores reach 400 ms of CPU well before
      // any one of them would alone.
      expect(Date.now() - t0).toBeLessThan(5_000)
      expect((await limited.run('__return(1)')).value).toBe(1)
    } finally {
      await limited.dispose()
    }
  })

  it('ends every process of a call with it, grandchildren included', async () => {
    const r = await rt.run(`
      const cp = require('child_process');
      const c = cp.spawn('node', ['-e', \`
        const g = require('child_process').spawn('node', ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
        console.log(g.pid); setInterval(() => {}, 1000);\`]);
      c.stdout.once('data', (d) => { __return([c.pid, Number(d)]); process.exit(0); });`)
    const [child, grandchild] = r.value as number[]
    const after = await rt.run(`
      const code = (pid) => { try { process.kill(pid, 0); return 'alive' } catch (e) { return e.code } };
      __return([code(${child}), code(${grandchild})])`)
    expect(after.value).toEqual(['ESRCH', 'ESRCH'])
  })

  it('disposes a runtime with children running', async () => {
    const busy = await NodeRuntime.create({ permissions: { childProcess: 'allow' } })
    const pending = busy.run(`
      const cp = require('child_process');
      for (let i = 0; i < 4; i++) cp.spawn('node', ['-e', 'for (;;) {}']);
      setInterval(() => {}, 1000);`).then(() => null, (e: Error & { code?: string }) => e)
    await new Promise((r) => setTimeout(r, 100))
    const t0 = Date.now()
    await busy.dispose()
    expect(Date.now() - t0).toBeLessThan(3_000)
    expect((await pending)?.code).toBe('ERR_SANDBOX_DISPOSED')
  })

  it('checks spawn arguments with Node\'s errors', async () => {
    const v = await guest(`
      const errs = [];
      const bad = [() => cp.spawn(''), () => cp.spawn(1), () => cp.spawn('node', [1]), () => cp.spawn('node', ['a\\u0000b']),
        () => cp.spawn('node', [], { stdio: 'bogus' }), () => cp.spawn('node', [], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] })];
      for (const f of bad) { try { f(); errs.push('no error') } catch (e) { errs.push(e.code) } }
      done(errs);`)
    expect(v).toEqual([
      'ERR_INVALID_ARG_VALUE',
      'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_VALUE',
      'ERR_INVALID_ARG_VALUE',
      'ERR_SANDBOX_UNSUPPORTED',
    ])
  })
})
