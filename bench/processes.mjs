// Process figures: spawn-to-exit of `node -e 0` from a guest (async and
// spawnSync), measured inside the guest; and bytes through kernel pipes: a
// child writing 10 MB, passed by the parent through a second child and
// read back (3 processes, 4 pipe hops).
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
  return { spawn: t[Math.floor(t.length / 2)], mbps: mb / ((performance.now() - t0) / 1000) }
}

export async function benchProcesses({ quick = false } = {}) {
  const rt = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { wallTimeMs: 300_000, cpuTimeMs: 300_000 } })
  try {
    const n = quick ? 20 : 200
    const r = await rt.run(`${SPAWN}
      (async () => {
        await spawnToExit(5);
        __return({ async: await spawnToExit(${n}), sync: spawnSyncToExit(${n}), mbps: await pipeline(${quick ? 2 : 10}) });
      })();`)
    return { ...r.value, host: await hostFigures(quick) }
  } finally {
    await rt.dispose()
  }
}
