import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

// A call that never touches timers, nextTick, process or async ops runs
// its event loop without loading them (src/guest/bootstrap.js hooks): the
// loop must still behave as Node's when that work first appears inside a
// promise job.
let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ permissions: { fs: 'allow' } })
})
afterAll(async () => {
  await rt.dispose()
})

describe('event loop of a call that schedules nothing', () => {
  it('runs promise jobs to the end', async () => {
    expect((await rt.run('Promise.resolve().then(() => Promise.resolve(2)).then((v) => __return(v + 1))')).value).toBe(3)
    const deep = `async function f(n) { for (let i = 0; i < n; i++) await null; return n }
      f(1000).then(__return)`
    expect((await rt.run(deep)).value).toBe(1000)
  })

  it('reports a rejection nobody handles, from the script or from a job', async () => {
    const direct = await rt.exec("Promise.reject(new Error('direct'))")
    expect(direct.code).toBe(1)
    expect(direct.stderr).toContain('Error: direct')
    const late = await rt.exec("Promise.resolve().then(() => { throw new Error('late') })")
    expect(late.code).toBe(1)
    expect(late.stderr).toContain('Error: late')
  })

  it('keeps running when a job starts timers, immediates or ticks', async () => {
    expect((await rt.run('Promise.resolve().then(() => setTimeout(() => __return(7), 5))')).value).toBe(7)
    expect((await rt.run('Promise.resolve().then(() => setImmediate(() => __return(8)))')).value).toBe(8)
    expect((await rt.run('Promise.resolve().then(() => process.nextTick(() => __return(9)))')).value).toBe(9)
  })

  it('takes an exit code and exit listeners set inside a job', async () => {
    expect((await rt.exec('Promise.resolve().then(() => { process.exitCode = 4 })')).code).toBe(4)
    const e = await rt.exec("Promise.resolve().then(() => process.on('exit', (c) => console.log('exit', c)))")
    expect(e.stdout).toBe('exit 0\n')
  })

  it('waits for async work started inside a job', async () => {
    const r = await rt.run(
      "Promise.resolve().then(() => require('fs').promises.writeFile('/tmp/x', 'y')).then(() => __return(require('fs').readFileSync('/tmp/x', 'utf8')))",
    )
    expect(r.value).toBe('y')
  })

  it('still refuses a value __return cannot clone, as DataCloneError', async () => {
    const e = await rt.exec('try { __return(() => 1) } catch (e) { console.log(e.name, e instanceof DOMException, e.code) }')
    expect(e.stdout).toBe('DataCloneError true 25\n')
  })
})
