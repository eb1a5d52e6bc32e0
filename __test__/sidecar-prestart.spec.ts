import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { processAlive } from './helpers.js'

// Each case runs in a new host process: the first sidecar is started when
// the package is imported, once per process.
const index = JSON.stringify(require.resolve('../index.js'))

// Helpers for the child scripts: this process's live children (zombies are
// gone) and a poll for them.
const prelude = `
const fs = require('fs');
const state = (p) => { try { const s = fs.readFileSync('/proc/' + p + '/stat', 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' ') } catch { return null } };
const alive = (p) => { const s = state(p); return s !== null && s[0] !== 'Z' };
const children = () => fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d)).map(Number)
  .filter((p) => { const s = state(p); return s !== null && s[0] !== 'Z' && Number(s[1]) === process.pid });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(f) { for (let i = 0; i < 500; i++) { const v = f(); if (v) return v; await sleep(10) } throw new Error('timed out') }
const isSidecar = (p) => fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').includes('sidecarMain');
`

function host(script: string) {
  const r = spawnSync(process.execPath, ['-e', prelude + script], { encoding: 'utf8', timeout: 30_000 })
  expect(r.stderr).toBe('')
  expect(r.signal).toBe(null)
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout)
}


async function gone(pids: number[]) {
  for (let i = 0; i < 100 && pids.some(processAlive); i++) await new Promise((r) => setTimeout(r, 20))
  return pids.filter(processAlive)
}

describe('the sidecar started at import', () => {
  it('is one sidecar, started by the import alone, and gone when the host exits without create()', async () => {
    // The host ends on its own: nothing of the sidecar keeps its event loop alive.
    const r = host(`require(${index});
      until(() => children().length > 0).then(() => console.log(JSON.stringify(children().map((p) => [p, isSidecar(p)]))))`)
    expect(r).toHaveLength(1)
    expect(r[0][1]).toBe(true)
    expect(await gone([r[0][0]])).toEqual([])
  })

  it('is gone after a host that exits at once, before the sidecar is ready', async () => {
    const r = host(`require(${index}); console.log(JSON.stringify(children())); process.exit(0)`)
    expect(await gone(r)).toEqual([])
  })

  it('is the sidecar the first create() uses', async () => {
    const r = host(`const { NodeRuntime } = require(${index});
      (async () => {
        const [early] = await until(() => children().length > 0 && children());
        const rt = await NodeRuntime.create();
        const value = (await rt.run('__return(6 * 7)')).value;
        console.log(JSON.stringify({ early, used: rt.sidecarPid, value }));
        process.exit(0);
      })()`)
    expect(r.value).toBe(42)
    expect(r.used).toBe(r.early)
  })

  it('serves a first create() made at once, which starts no other sidecar', () => {
    const r = spawnSync(
      process.execPath,
      ['-e', `const { NodeRuntime } = require(${index});
        NodeRuntime.create().then(async (rt) => {
          const value = (await rt.run('__return(1)')).value;
          console.log(JSON.stringify({ used: rt.sidecarPid, value }));
          process.exit(0);
        })`],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SECURE_EXEC_LOG: 'secure_exec::host=info' } },
    )
    expect(r.status).toBe(0)
    const { used, value } = JSON.parse(r.stdout)
    expect(value).toBe(1)
    // The host's log: the sidecars spawned until the runtime was created.
    const lines = r.stderr.split('\n')
    const created = lines.findIndex((l) => l.includes('runtime created'))
    expect(created).toBeGreaterThan(0)
    const spawned = lines.slice(0, created).filter((l) => l.includes('sidecar spawned'))
    expect(spawned).toEqual([expect.stringContaining(`pid=${used} `)])
  })

  it('outlives the worker thread that imported the package first', async () => {
    // Only the main thread starts it itself: a sidecar dies with the thread that started it.
    const r = host(`const { Worker } = require('worker_threads');
      (async () => {
        const w = new Worker('require(${index.replace(/"/g, '\\"')})', { eval: true });
        await new Promise((resolve) => w.once('exit', resolve));
        const [early] = await until(() => children().length > 0 && children());
        await sleep(200);
        const { NodeRuntime } = require(${index});
        const rt = await NodeRuntime.create();
        const value = (await rt.run('__return(3)')).value;
        console.log(JSON.stringify({ early, alive: alive(early), used: rt.sidecarPid, value }));
        process.exit(0);
      })()`)
    expect(r).toMatchObject({ alive: true, used: r.early, value: 3 })
  })

  it('is the sidecar the first shared runtime uses', async () => {
    const r = host(`const { NodeRuntime } = require(${index});
      (async () => {
        const [early] = await until(() => children().length > 0 && children());
        const a = await NodeRuntime.create({ sidecar: 'shared' });
        const b = await NodeRuntime.create({ sidecar: 'shared' });
        const values = [(await a.run('__return(1)')).value, (await b.run('__return(2)')).value];
        console.log(JSON.stringify({ early, a: a.sidecarPid, b: b.sidecarPid, values }));
        process.exit(0);
      })()`)
    expect(r.values).toEqual([1, 2])
    expect(r.a).toBe(r.early)
    expect(r.b).toBe(r.early)
  })

  it('the pool refills after a create(), and closeIdleSidecars() ends the sidecars it had not started yet', async () => {
    const r = host(`const { NodeRuntime } = require(${index});
      (async () => {
        const a = await NodeRuntime.create();
        // The refill comes a little later; wait for the pool to be full.
        await until(() => children().length === 3);
        const full = children().length;
        const b = await NodeRuntime.create();
        // b took a pooled sidecar; the refill it scheduled is cancelled here.
        await NodeRuntime.closeIdleSidecars();
        await sleep(300);
        const left = children().sort();
        console.log(JSON.stringify({ full, left, rts: [a.sidecarPid, b.sidecarPid].sort() }));
        process.exit(0);
      })()`)
    expect(r.full).toBe(3)
    expect(r.left).toEqual(r.rts)
  })
})
