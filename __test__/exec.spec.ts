import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbortError, NodeRuntime } from '../index.js'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { guestNodeVersion } from './helpers.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ limits: { wallTimeMs: 10_000 } })
})
afterAll(async () => {
  await rt.dispose()
})

// The same code as a script file under host Node and in the sandbox (with
// the same file name, so that error reports can be compared as text).
const sameAsHost = async (code: string, opts: { stdin?: string } = {}) => {
  const file = join(mkdtempSync(join(tmpdir(), 'se-diff-')), 'main.js')
  writeFileSync(file, code)
  const h = spawnSync(process.execPath, [file], { argv0: 'node', input: opts.stdin ?? '', env: {}, encoding: 'utf8' })
  const host = { code: h.status, stdout: h.stdout, stderr: h.stderr }
  const guest = await rt.exec(code, { filePath: file, stdin: opts.stdin })
  return { host, guest }
}

describe('exec() exit codes', () => {
  it('is 0 on success', async () => {
    expect((await rt.exec('1 + 1')).code).toBe(0)
  })

  it('is the process.exit code, and stops at once', async () => {
    const e = await rt.exec('console.log("a"); process.exit(3); console.log("never")')
    expect(e).toMatchObject({ code: 3, stdout: 'a\n' })
    expect(e.error).toBeUndefined()
  })

  it('honours process.exitCode and exit listeners, as Node', async () => {
    const code = `process.on('exit', (c) => console.log('exit', c)); process.exitCode = 4`
    const { host, guest } = await sameAsHost(code)
    expect(guest.code).toBe(host.code)
    expect(guest.stdout).toBe(host.stdout)
  })

  it('is 1 for an uncaught exception, printed as Node prints it', async () => {
    const code = 'let x = 1;\nthrow new Error("boom")'
    const { host, guest } = await sameAsHost(code)
    expect(guest.code).toBe(1)
    expect(host.code).toBe(1)
    // Same header (file:line, source line, caret) and message; Node's stack
    // has its own loader frames where ours has none.
    const head = (s: string) => s.split('\n').slice(0, 5).join('\n')
    expect(head(guest.stderr)).toBe(head(host.stderr))
    expect(guest.stderr.endsWith(`\nNode.js ${guestNodeVersion}\n`)).toBe(true)
  })

  it('prints a thrown non-error as Node does', async () => {
    const { host, guest } = await sameAsHost('throw "abc"')
    expect(guest.code).toBe(1)
    expect(guest.stderr).toBe(host.stderr)
  })

  it('prints a thrown plain object as Node does', async () => {
    const { host, guest } = await sameAsHost('throw { a: 1, b: [1, 2] }')
    expect(guest.code).toBe(1)
    expect(guest.stderr).toBe(host.stderr)
  })

  it("lets 'uncaughtException' listeners keep the process alive, as Node", async () => {
    const code = `process.on('uncaughtException', (e) => console.log('caught', e.message));
      setTimeout(() => console.log('still running'), 5);
      throw new Error('main threw')`
    const { host, guest } = await sameAsHost(code)
    expect(guest.code).toBe(host.code)
    expect(guest.stdout).toBe(host.stdout)
  })

  it('exits 7 when an uncaughtException listener throws, as Node', async () => {
    const code = `process.on('uncaughtException', () => { throw new Error('listener') }); setTimeout(() => { throw new Error('x') }, 1)`
    const { host, guest } = await sameAsHost(code)
    expect(host.code).toBe(7)
    expect(guest.code).toBe(7)
  })

  it('runs exit listeners after an uncaught exception, as Node', async () => {
    const code = `process.on('exit', (c) => console.log('exit', c)); null.boom`
    const { host, guest } = await sameAsHost(code)
    expect(guest.code).toBe(host.code)
    expect(guest.stdout).toBe(host.stdout)
  })

  it('prints extra properties of a thrown error', async () => {
    const e = await rt.exec('const e = new Error("c"); e.code = "E1"; throw e')
    expect(e.stderr).toContain("{\n  code: 'E1'\n}")
  })

  it('is 13 when top-level await never settles', async () => {
    const e = await rt.exec('await new Promise(() => {})')
    expect(e.code).toBe(13)
  })

  it('is 130 when aborted, and the runtime stays usable', async () => {
    const ac = new AbortController()
    const p = rt.exec('for (;;) {}', { signal: ac.signal })
    setTimeout(() => ac.abort(), 100)
    const e = await p
    expect(e.code).toBe(130)
    expect(e.error).toBeInstanceOf(AbortError)
    const r = rt.run('setInterval(() => {}, 10)', { signal: AbortSignal.timeout(100) })
    await expect(r).rejects.toBeInstanceOf(AbortError)
    await expect(rt.run('__return(2)')).resolves.toMatchObject({ value: 2 })
  })

  it('does not start a call whose signal is already aborted', async () => {
    await expect(rt.run('__return(1)', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORT_ERR' })
  })
})

describe('event loop', () => {
  it('starts each timer when it is made, to the millisecond, as Node', async () => {
    // B is made 30 ms after A with the same delay: in Node it is not due
    // when A runs, so the immediate A queues runs first. (Delays of 60 ms:
    // B must not be due yet even when a loaded machine reaches the first
    // timers phase late.)
    const code = `
      setTimeout(() => { console.log('A'); setImmediate(() => console.log('immediate')) }, 60);
      const t0 = Date.now(); while (Date.now() - t0 < 30) {}
      setTimeout(() => console.log('B'), 60);
    `
    const { host, guest } = await sameAsHost(code)
    expect(host.stdout).toBe('A\nimmediate\nB\n')
    expect(guest.stdout).toBe(host.stdout)
  })

  it('orders nextTick, microtasks, timers and immediates as Node', async () => {
    // Delays are far apart so that the order is Node's guarantee, not a race.
    const code = `
      const log = (s) => console.log(s);
      let n = 0;
      setTimeout(() => {
        log('timeout A');
        setTimeout(() => log('inner timeout'), 0);
        setImmediate(() => { log('inner immediate'); process.nextTick(() => log('immediate tick')) });
        Promise.resolve().then(() => log('A promise'));
        process.nextTick(() => log('A tick'));
      }, 0);
      setTimeout(() => log('timeout B, same delay'), 0);
      setTimeout(() => log('t40'), 40);
      setTimeout(() => log('t40 second'), 40);
      const iv = setInterval(() => { log('interval ' + n); if (++n === 2) clearInterval(iv) }, 80);
      Promise.resolve().then(() => log('promise'));
      process.nextTick(() => log('tick'));
      queueMicrotask(() => log('microtask'));
      (async () => { await null; log('async') })();
      log('sync');
    `
    const { host, guest } = await sameAsHost(code)
    expect(guest.stdout).toBe(host.stdout)
  })

  it('does not wait for unref()ed timers', async () => {
    const e = await rt.exec('setTimeout(() => console.log("no"), 5000).unref(); console.log("yes")')
    expect(e.stdout).toBe('yes\n')
  })

  it('runs top-level await with timers', async () => {
    const e = await rt.exec('const t = Date.now(); await new Promise((r) => setTimeout(r, 30)); console.log(Date.now() - t >= 25)')
    expect(e.stdout).toBe('true\n')
  })
})
