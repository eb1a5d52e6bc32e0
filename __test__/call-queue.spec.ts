import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

// Calls made while another call of the runtime runs wait in the host, in
// order, and go to the sidecar from the thread that ends the call before
// them (src/host/mod.rs `submit`, `Turns`).
const busy = (ms: number) => `const t0 = Date.now(); while (Date.now() - t0 < ${ms}) {}`

let rt: NodeRuntime | undefined
afterEach(async () => {
  await rt?.dispose()
  rt = undefined
})

describe('calls of one runtime', () => {
  it('run one at a time, in the order they were made', async () => {
    rt = await NodeRuntime.create({ permissions: { fs: 'allow' } })
    const calls = Array.from({ length: 40 }, (_, i) =>
      rt!.run(`const fs = require('fs'); fs.appendFileSync('/tmp/order', '${i},'); __return(${i})`),
    )
    expect((await Promise.all(calls)).map((r) => r.value)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    const order = (await rt.run("__return(require('fs').readFileSync('/tmp/order', 'utf8'))")).value
    expect(order).toBe(Array.from({ length: 40 }, (_, i) => `${i},`).join(''))
  })

  it('start their time limits only when they run', async () => {
    rt = await NodeRuntime.create()
    // Each takes 150 ms of its 400 ms; waiting behind the others does not count.
    const calls = Array.from({ length: 4 }, (_, i) => rt!.run(`${busy(150)}; __return(${i})`, { timeoutMs: 400 }))
    expect((await Promise.all(calls)).map((r) => r.value)).toEqual([0, 1, 2, 3])
  })

  it('keep the order of streamed and plain calls made together', async () => {
    rt = await NodeRuntime.create({ permissions: { fs: 'allow' } })
    const seen: string[] = []
    const calls = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 1
        ? rt!.exec(`require('fs').appendFileSync('/tmp/mixed', '${i},'); console.log(${i})`, {
            onStdio: (e) => seen.push(Buffer.from(e.data).toString()),
          })
        : rt!.run(`require('fs').appendFileSync('/tmp/mixed', '${i},'); __return(${i})`),
    )
    await Promise.all(calls)
    const order = (await rt.run("__return(require('fs').readFileSync('/tmp/mixed', 'utf8'))")).value
    expect(order).toBe(Array.from({ length: 12 }, (_, i) => `${i},`).join(''))
    expect(seen.join('')).toBe('1\n4\n7\n10\n')
  })

  it('drops a waiting call that is aborted, unstarted, and runs the rest', async () => {
    rt = await NodeRuntime.create({ permissions: { fs: 'allow' } })
    const first = rt.run(`${busy(300)}; __return('first')`)
    const ac = new AbortController()
    const second = rt.run("require('fs').writeFileSync('/tmp/second', 'ran'); __return('second')", { signal: ac.signal })
    const third = rt.run("__return('third')")
    const t0 = Date.now()
    ac.abort()
    const err: any = await second.catch((e) => e)
    expect(err.code).toBe('ABORT_ERR')
    // Ended while the first still ran.
    expect(Date.now() - t0).toBeLessThan(250)
    expect((await first).value).toBe('first')
    expect((await third).value).toBe('third')
    expect((await rt.run("__return(require('fs').existsSync('/tmp/second'))")).value).toBe(false)
  })

  it('end with the runtime when it is disposed while they wait', async () => {
    rt = await NodeRuntime.create()
    const first = rt.run(`${busy(200)}; __return(1)`).catch((e) => e)
    const waiting = Array.from({ length: 3 }, () => rt!.run('__return(2)').catch((e) => e))
    await new Promise((r) => setTimeout(r, 50))
    await rt.dispose()
    for (const e of [await first, ...(await Promise.all(waiting))]) expect(e.code).toBe('ERR_SANDBOX_DISPOSED')
    rt = undefined
  })

  it('move to a new sidecar after a crash: the running call fails, the waiting ones run', async () => {
    rt = await NodeRuntime.create()
    const pid = rt.sidecarPid!
    const first = rt.run(`${busy(2000)}; __return(1)`).catch((e) => e)
    const waiting = Array.from({ length: 3 }, (_, i) => rt!.run(`__return(${i})`))
    await new Promise((r) => setTimeout(r, 100))
    process.kill(pid, 'SIGKILL')
    expect((await first).code).toBe('ERR_SANDBOX_CRASHED')
    expect((await Promise.all(waiting)).map((r) => r.value)).toEqual([0, 1, 2])
    expect(rt.sidecarPid).not.toBe(pid)
  })
})

describe('the host process', () => {
  it('stays alive while a call is pending and exits on its own once idle', () => {
    const script = `const { NodeRuntime } = require(${JSON.stringify(require.resolve('../index.js'))});
      NodeRuntime.create().then((rt) => rt.run('const t0 = Date.now(); while (Date.now() - t0 < 200) {} __return(41 + 1)'))
        .then((r) => console.log('value', r.value))`
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 })
    expect(r.stdout).toBe('value 42\n')
    expect(r.status).toBe(0)
  })
})
