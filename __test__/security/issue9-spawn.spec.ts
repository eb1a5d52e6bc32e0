// Attacks on issue 9's sidecar spawn (a vfork-style clone, the sidecar
// started at import, the pool refilled after create()): a host started with
// secrets in its environment and fds it inherited without close-on-exec
// passes none of them to any of its sidecars, and every one of them dies
// with the host.
import { spawn } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { processAlive, sleep } from '../helpers.js'

const index = JSON.stringify(require.resolve('../../index.js'))

// The host: imports (the first sidecar starts), creates a runtime (the pool
// refills), runs a call, then prints its live children and its own fds.
const hostScript = `
const fs = require('fs');
const { NodeRuntime } = require(${index});
const state = (p) => { try { const s = fs.readFileSync('/proc/' + p + '/stat', 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' ') } catch { return null } };
const children = () => fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d)).map(Number)
  .filter((p) => { const s = state(p); return s !== null && s[0] !== 'Z' && Number(s[1]) === process.pid });
(async () => {
  const rt = await NodeRuntime.create();
  const shared = await NodeRuntime.create({ sidecar: 'shared' });
  const value = (await rt.run('__return(process.env.HOST_SECRET ?? "none")')).value;
  await shared.run('1');
  for (let i = 0; i < 100 && children().length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  console.log(JSON.stringify({ value, children: children() }));
  setInterval(() => {}, 1000);
})();
`


describe('what a sidecar inherits from its host', () => {
  it('no env var and no inherited fd of the host reaches any sidecar, and all die with the host', async () => {
    const secretPath = join(tmpdir(), `se-attack9-${process.pid}`)
    const secret = openSync(secretPath, 'w')
    try {
      // fds 3-6 of the host: the secret file twice and two pipes, none close-on-exec there.
      // The host's log filter is the one variable a sidecar may get: not set here.
      const env: NodeJS.ProcessEnv = { ...process.env, HOST_SECRET: 'hunter2' }
      delete env.SECURE_EXEC_LOG
      const host = spawn(process.execPath, ['-e', hostScript], {
        env,
        stdio: ['ignore', 'pipe', 'inherit', secret, 'pipe', 'pipe', secret],
      })
      let out = ''
      host.stdout!.on('data', (d) => (out += d))
      for (let i = 0; i < 300 && !out.includes('\n'); i++) await sleep(20)
      const { value, children } = JSON.parse(out) as { value: string; children: number[] }
      expect(value).toBe('none')
      // The sidecar started at import, the pool's spare and the shared one.
      expect(children.length).toBeGreaterThanOrEqual(3)
      const hostFds = new Set(readdirSync(`/proc/${host.pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${host.pid}/fd/${fd}`)
        } catch {
          return ''
        }
      }))
      expect(hostFds.has(secretPath)).toBe(true)
      for (const pid of children) {
        expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('sidecarMain')
        expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).toBe('')
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          let target = ''
          try {
            target = readlinkSync(`/proc/${pid}/fd/${fd}`)
          } catch {
            continue
          }
          expect(target).not.toBe(secretPath)
          // Pipes and sockets of its own only: none that the host holds.
          if (/^(pipe|socket):/.test(target) && Number(fd) > 3) expect(hostFds.has(target)).toBe(false)
        }
      }
      host.kill('SIGKILL')
      for (let i = 0; i < 100 && children.some(processAlive); i++) await sleep(20)
      expect(children.filter(processAlive)).toEqual([])
    } finally {
      closeSync(secret)
      rmSync(secretPath, { force: true })
    }
  }, 20_000)
})
