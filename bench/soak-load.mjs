// The soak's mixed load, shared by __test__/soak.spec.ts (1,000 runtimes,
// then the host back to where it started) and bench/soak.mjs (the same for
// N minutes, sampled each minute): runtimes created and disposed under
// concurrency, in both sidecar modes, each with its filesystem, its virtual
// loopback and child processes in use, from the guest and from the host.
// Also the host-side readings both take (RSS, fds, child processes, PSS).
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Started sidecars the pool keeps beside the runtimes' own
 * (`WARM_POOL_SIZE` in src/host/pool.rs). */
export const WARM_POOL_SIZE = Number(/pub const WARM_POOL_SIZE: usize = (\d+);/.exec(readFileSync(join(root, 'src', 'host', 'pool.rs'), 'utf8'))[1])

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** This process's children (sidecars), from /proc; zombies count. */
export function childPids() {
  const out = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid) out.push(Number(d))
    } catch {
      // It ended while we looked.
    }
  }
  return out
}

export const openFds = () => readdirSync('/proc/self/fd').length

/** Resident set of this process, bytes (what the kernel says, not V8). */
export function rssBytes() {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
  return Number(m[1]) * 1024
}

/** Proportional set size of a process, bytes (NaN if it is gone). */
export function pssBytes(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
    return m ? Number(m[1]) * 1024 : NaN
  } catch {
    return NaN
  }
}

/** This process and its sidecars: PSS of each side, bytes. */
export function treePss() {
  const host = pssBytes('self')
  let sidecars = 0
  const pids = childPids()
  for (const pid of pids) {
    const p = pssBytes(pid)
    if (!Number.isNaN(p)) sidecars += p
  }
  return { host, sidecars, total: host + sidecars, children: pids.length }
}

let gcFn
/** A full garbage collection of this process (V8's gc, exposed on demand). */
export function collectGarbage() {
  if (gcFn === undefined) {
    setFlagsFromString('--expose-gc')
    gcFn = runInNewContext('gc')
  }
  gcFn()
  gcFn()
}

/**
 * Waits until the sidecars are only the idle ones: the pool's spares
 * (refilled 50 ms after a dedicated create, each a process start away) and
 * the shared sidecar if one was started. Returns the children then, or
 * what there was at `timeoutMs`.
 */
export async function settleChildren(expected, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  let pids = childPids()
  while (pids.length !== expected && Date.now() < deadline) {
    await sleep(50)
    pids = childPids()
  }
  // Then steady for a while: nothing still on its way in or out.
  await sleep(300)
  return childPids()
}

// One guest call: a file written and read back by a guest `node -e` child
// and by the shell, an http server on the runtime's loopback with a guest
// client (fetch or http.request, by turn), the results left in a file.
const guestCall = (i) => `
const fs = require('fs');
const cp = require('child_process');
const http = require('http');
fs.mkdirSync('/home/user/data', { recursive: true });
const text = 'runtime ${i} ' + 'x'.repeat(4096);
fs.writeFileSync('/home/user/data/in.txt', text);
const child = (cmd, args) => new Promise((resolve, reject) => {
  const c = cp.spawn(cmd, args);
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  c.on('error', reject);
  c.on('close', (code) => code === 0 ? resolve(out) : reject(new Error(cmd + ' exited with ' + code)));
});
const post = (port, path, body) => ${i % 2 === 0}
  ? fetch('http://127.0.0.1:' + port + path, { method: 'POST', body }).then((r) => r.json())
  : new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      let s = '';
      res.setEncoding('utf8').on('data', (d) => { s += d; }).on('end', () => resolve(JSON.parse(s)));
    });
    req.on('error', reject);
    req.end(body);
  });
const server = http.createServer((req, res) => {
  let n = 0;
  req.on('data', (d) => { n += d.length; });
  req.on('end', () => res.end(JSON.stringify({ url: req.url, n })));
});
server.listen(0, async () => {
  try {
    // The children beside the request: a connection waiting to be
    // accepted while a process starts once was closed (fixed).
    const [node, sh, resp] = await Promise.all([
      child('node', ['-e', 'process.stdout.write(String(require("fs").readFileSync("/home/user/data/in.txt").length))']),
      child('sh', ['-c', 'cat /home/user/data/in.txt | wc -c']),
      post(server.address().port, '/echo/${i}', text),
    ]);
    const out = { node: Number(node), sh: Number(sh.trim()), resp };
    fs.writeFileSync('/home/user/data/out.json', JSON.stringify(out));
    __return(out);
  } finally {
    server.close();
  }
});
`

// A server for the host's rt.fetch, started with rt.spawn: it outlives
// calls until its process is killed (or the runtime disposed).
const SPAWNED_SERVER = `
require('http').createServer((req, res) => res.end('pong ' + req.url))
  .listen(8080, () => console.log('listening'));
`

const EXPECT_LEN = (i) => `runtime ${i} `.length + 4096

function check(cond, what) {
  if (!cond) throw new Error(`soak: ${what}`)
}

async function readAll(stream) {
  let s = ''
  for await (const c of stream) s += c
  return s
}

/**
 * Creates runtime `i`, puts it through the mixed load and disposes it.
 * Every fourth also serves the host's rt.fetch from an rt.spawn'd server
 * and is disposed with that server still running; every fourth (another)
 * is disposed in the middle of a call.
 */
export async function oneRuntime(NodeRuntime, i, sidecar) {
  const rt = await NodeRuntime.create({
    sidecar,
    permissions: { fs: 'allow', childProcess: 'allow' },
    limits: { wallTimeMs: 30_000 },
  })
  let pending
  try {
    const r = await rt.run(guestCall(i))
    const len = EXPECT_LEN(i)
    check(r.value.node === len && r.value.sh === len, `runtime ${i}: child outputs ${JSON.stringify(r.value)}`)
    check(r.value.resp.url === `/echo/${i}` && r.value.resp.n === len, `runtime ${i}: loopback answer ${JSON.stringify(r.value.resp)}`)
    // The host's side of the same filesystem and processes.
    const out = JSON.parse(await rt.fs.readFile('/home/user/data/out.json', 'utf8'))
    check(out.node === len, `runtime ${i}: rt.fs read ${JSON.stringify(out)}`)
    await rt.fs.writeFile('/home/user/data/host.txt', `from the host ${i}`)
    const cat = await rt.spawn('sh', ['-c', 'cat /home/user/data/host.txt; echo " and back"'])
    const [catOut, catExit] = await Promise.all([readAll(cat.stdout), cat.wait()])
    check(catOut === `from the host ${i} and back\n` && catExit.exitCode === 0, `runtime ${i}: rt.spawn sh gave ${JSON.stringify(catOut)}`)
    if (i % 4 === 1) {
      const server = await rt.spawn('node', ['-e', SPAWNED_SERVER])
      const first = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(String(d))))
      check(first === 'listening\n', `runtime ${i}: spawned server said ${JSON.stringify(first)}`)
      const res = await rt.fetch(`http://localhost:8080/host/${i}`)
      const body = await res.text()
      check(body === `pong /host/${i}`, `runtime ${i}: rt.fetch gave ${JSON.stringify(body)}`)
      // Disposed below with the server (and its connection) still up.
    } else if (i % 4 === 3) {
      // A call still running when the runtime goes, or still queued
      // (every other one disposed before its call has begun).
      let started
      const running = new Promise((resolve) => {
        started = resolve
      })
      pending = rt
        .run('console.log("started"); setTimeout(() => __return("late"), 20_000)', { onStdio: () => started() })
        .then(
          () => 'settled',
          (e) => e?.code ?? String(e),
        )
      if (i % 8 === 3) await Promise.race([running, pending])
    }
  } finally {
    await rt.dispose()
  }
  if (pending !== undefined) {
    let timer
    const how = await Promise.race([pending, new Promise((resolve) => {
      timer = setTimeout(() => resolve('never settled (10 s)'), 10_000)
    })])
    clearTimeout(timer)
    check(how === 'ERR_SANDBOX_DISPOSED', `runtime ${i}: a call in flight at dispose ended with ${how}`)
  }
}

/** Runtime i's sidecar mode is MODES[i % 3]: a dedicated runtime costs
 * about three times the CPU of a shared one (a process to start). */
export const MODES = ['dedicated', 'shared', 'shared']

/**
 * Runtimes `from` to `from + count - 1` through `oneRuntime`, `concurrency`
 * at a time, runtime i in sidecar mode `modes[i % modes.length]`, until
 * `until` (a Date.now() time) if given. Resolves with how many passed, the
 * failures, and the next index; never rejects.
 */
export async function runLoad(NodeRuntime, { from = 0, count, concurrency, until = Infinity, modes = MODES }) {
  let next = from
  const end = from + count
  let done = 0
  const errors = []
  const worker = async () => {
    while (next < end && Date.now() < until) {
      const i = next++
      try {
        await oneRuntime(NodeRuntime, i, modes[i % modes.length])
        done++
      } catch (e) {
        errors.push(e)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { done, errors, next }
}
