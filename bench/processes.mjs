// Process figures: spawn-to-exit of `node -e 0` from a guest (async and
// spawnSync), `execSync('echo hi')`, a Worker message round trip, measured
// inside the guest; bytes through kernel pipes (a child writing 10 MB,
// passed by the parent through a second child and read back: 3 processes,
// 4 pipe hops) and through a shell pipeline; from the host, rt.spawn to
// exit and a key's echo on an rt.openShell terminal.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const { NodeRuntime } = require(join(root, 'index.js'))

const SPAWN = `
const cp = require('child_process');
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p / 100))];
async function spawnToExit(n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => cp.spawn('node', ['-e', '0'], { stdio: 'ignore' }).on('exit', resolve));
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return [pct(t, 50), pct(t, 95)];
}
function spawnSyncToExit(n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    cp.spawnSync('node', ['-e', '0'], { stdio: 'ignore' });
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return [pct(t, 50), pct(t, 95)];
}
function execSyncEcho(n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    cp.execSync('echo hi');
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return [pct(t, 50), pct(t, 95)];
}
function shellPipeline(mb) {
  require('fs').writeFileSync('/tmp/big.txt', Buffer.alloc(mb * 1024 * 1024, 'abcdefghijklmno\\n'));
  const t0 = performance.now();
  const out = cp.execSync('cat /tmp/big.txt | grep o | wc -l', { encoding: 'utf8' });
  if (Number(out) !== mb * 1024 * 1024 / 16) throw new Error('lost lines: ' + out);
  return mb / ((performance.now() - t0) / 1000);
}
async function workerRoundTrip(n) {
  const { Worker } = require('worker_threads');
  const w = new Worker("require('worker_threads').parentPort.on('message', (m) => require('worker_threads').parentPort.postMessage(m))", { eval: true });
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => { w.once('message', resolve); w.postMessage(i); });
    t.push(performance.now() - t0);
  }
  await w.terminate();
  t.sort((a, b) => a - b);
  return pct(t, 50);
}
async function pipeline(mb) {
  const t0 = performance.now();
  const a = cp.spawn('node', ['-e', 'const b = Buffer.alloc(65536, 97); let n = ' + mb + ' * 16; (function w() { while (n-- > 0) if (!process.stdout.write(b)) return process.stdout.once("drain", w); })()']);
  const b = cp.spawn('node', ['-e', 'process.stdin.pipe(process.stdout)']);
  a.stdout.pipe(b.stdin);
  let got = 0;
  b.stdout.on('data', (d) => { got += d.length; });
  await new Promise((resolve) => b.on('close', resolve));
  if (got !== mb * 1024 * 1024) throw new Error('lost bytes: ' + got);
  return (mb / ((performance.now() - t0) / 1000));
}
`

// The same pipeline and spawns with host Node's child_process (real
// processes), for scale.
async function hostFigures(quick) {
  const cp = await import('node:child_process')
  const node = process.execPath
  const t = []
  for (let i = 0; i < (quick ? 3 : 10); i++) {
    const t0 = performance.now()
    await new Promise((resolve) => cp.spawn(node, ['-e', '0'], { stdio: 'ignore' }).on('exit', resolve))
    t.push(performance.now() - t0)
  }
  t.sort((a, b) => a - b)
  const mb = quick ? 2 : 10
  const t0 = performance.now()
  const a = cp.spawn(node, ['-e', `const b = Buffer.alloc(65536, 97); let n = ${mb} * 16; (function w() { while (n-- > 0) if (!process.stdout.write(b)) return process.stdout.once('drain', w); })()`])
  const b = cp.spawn(node, ['-e', 'process.stdin.pipe(process.stdout)'])
  a.stdout.pipe(b.stdin)
  b.stdout.resume()
  await new Promise((resolve) => b.on('close', resolve))
  const mbps = mb / ((performance.now() - t0) / 1000)
  const echo = []
  for (let i = 0; i < (quick ? 5 : 50); i++) {
    const t1 = performance.now()
    cp.execSync('echo hi')
    echo.push(performance.now() - t1)
  }
  echo.sort((a, b) => a - b)
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'se-bench-'))
  writeFileSync(join(dir, 'big.txt'), Buffer.alloc(mb * 1024 * 1024, 'abcdefghijklmno\n'))
  const t2 = performance.now()
  cp.execSync('cat big.txt | grep o | wc -l', { cwd: dir })
  const shMbps = mb / ((performance.now() - t2) / 1000)
  rmSync(dir, { recursive: true, force: true })
  const { Worker } = await import('node:worker_threads')
  const w = new Worker("require('worker_threads').parentPort.on('message', (m) => require('worker_threads').parentPort.postMessage(m))", { eval: true })
  const rt = []
  for (let i = 0; i < (quick ? 20 : 200); i++) {
    const t3 = performance.now()
    await new Promise((resolve) => { w.once('message', resolve); w.postMessage(i) })
    rt.push(performance.now() - t3)
  }
  await w.terminate()
  rt.sort((a, b) => a - b)
  return { spawn: t[Math.floor(t.length / 2)], mbps, echo: echo[Math.floor(echo.length / 2)], shMbps, worker: rt[Math.floor(rt.length / 2)] }
}

// From the host: rt.spawn of `node -e 0` to its end, and a key typed on an
// rt.openShell terminal to its echo.
async function hostApi(rt, quick) {
  const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p / 100))]
  const spawn = []
  for (let i = 0; i < (quick ? 10 : 100); i++) {
    const t0 = performance.now()
    const p = await rt.spawn('node', ['-e', '0'])
    p.stdout.resume()
    p.stderr.resume()
    await p.wait()
    spawn.push(performance.now() - t0)
  }
  spawn.sort((a, b) => a - b)
  const sh = await rt.openShell()
  let waiting = null
  sh.onData(() => { if (waiting) { const w = waiting; waiting = null; w() } })
  await new Promise((r) => setTimeout(r, 100))
  const echo = []
  for (let i = 0; i < (quick ? 20 : 200); i++) {
    const t0 = performance.now()
    await new Promise((resolve) => { waiting = resolve; sh.write('a') })
    echo.push(performance.now() - t0)
  }
  sh.kill('SIGKILL')
  await sh.wait()
  echo.sort((a, b) => a - b)
  return { spawn: [pct(spawn, 50), pct(spawn, 95)], echo: pct(echo, 50) }
}

export async function benchProcesses({ quick = false } = {}) {
  const rt = await NodeRuntime.create({ permissions: { childProcess: 'allow', fs: 'allow' }, limits: { wallTimeMs: 300_000, cpuTimeMs: 300_000 } })
  try {
    const n = quick ? 20 : 200
    const r = await rt.run(`${SPAWN}
      (async () => {
        await spawnToExit(5);
        __return({ async: await spawnToExit(${n}), sync: spawnSyncToExit(${n}), mbps: await pipeline(${quick ? 2 : 10}),
          echo: execSyncEcho(${n}), shMbps: shellPipeline(${quick ? 2 : 10}), worker: await workerRoundTrip(${n}) });
      })();`)
    return { ...r.value, host: await hostFigures(quick), api: await hostApi(rt, quick) }
  } finally {
    await rt.dispose()
  }
}
