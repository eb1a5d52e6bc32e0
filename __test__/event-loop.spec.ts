// Async ops and the event loop: promises settle from the poll phase, a
// refed op keeps the process alive and an unrefed one does not, and
// nothing of one guest process settles in the next.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers'

const t = useRuntime({ testOps: true })

describe('async ops', () => {
  it('resolve and reject (with an errno error) from the event loop', async () => {
    const r = await t.rt.exec(`
      __testOps.sleep(20).then((v) => console.log('resolved', v))
      __testOps.sleep(5, 2).catch((e) => console.log('rejected', e.code, e.errno, e.syscall, e.message))
      console.log('sync end')
    `)
    expect(r.stdout).toBe(
      'sync end\nrejected ENOENT -2 sleep ENOENT: no such file or directory, sleep\nresolved 20\n',
    )
  })

  it('a call the kernel refuses at once rejects', async () => {
    const r = await t.rt.run(`__testOps.sleep('x').catch((e) => __return([e.code, e.message]))`)
    expect(r.value).toEqual([
      'ERR_INVALID_ARG_TYPE',
      'The "ms" argument must be of type number. Received type string (\'x\')',
    ])
  })

  it('a refed op keeps the process alive; an unrefed one does not', async () => {
    const kept = await t.rt.exec(`__testOps.sleep(150).then(() => console.log('done'))`)
    expect(kept.stdout).toBe('done\n')
    const t0 = Date.now()
    const dropped = await t.rt.exec(`__testOps.unref(__testOps.sleep(5000)).then(() => console.log('never'))`)
    expect(dropped.stdout).toBe('')
    expect(dropped.code).toBe(0)
    expect(Date.now() - t0).toBeLessThan(4000)
    // ref() again keeps it alive.
    const reref = await t.rt.exec(`__testOps.ref(__testOps.unref(__testOps.sleep(50))).then(() => console.log('back'))`)
    expect(reref.stdout).toBe('back\n')
  })

  it('beforeExit waits for refed ops, then fires once the loop is empty', async () => {
    const r = await t.rt.exec(`
      let n = 0
      process.on('beforeExit', () => { console.log('beforeExit', n); if (n++ === 0) __testOps.sleep(10).then(() => console.log('more')) })
      __testOps.sleep(10).then(() => console.log('op'))
    `)
    expect(r.stdout).toBe('op\nbeforeExit 0\nmore\nbeforeExit 1\n')
  })

  it('completions run before immediates queued with them, timers keep their order', async () => {
    const r = await t.rt.exec(`
      __testOps.sleep(30).then(() => {
        console.log('op')
        setImmediate(() => console.log('immediate'))
        setTimeout(() => console.log('timeout'), 0)
        process.nextTick(() => console.log('tick'))
      })
    `)
    expect(r.stdout).toBe('op\ntick\nimmediate\ntimeout\n')
  })

  it('nothing of a finished process settles in the next one', async () => {
    // The first process leaves an op (promise id 1) that would fail later.
    await t.rt.exec(`__testOps.unref(__testOps.sleep(50, 2))`)
    const r = await t.rt.exec(`__testOps.sleep(200).then((v) => console.log('ok', v), (e) => console.log('wrong', e.code))`)
    expect(r.stdout).toBe('ok 200\n')
  })

  it('a guest at its time limit ends even with an op in flight', async () => {
    const r = await t.rt.exec(`__testOps.sleep(60000)`, { timeoutMs: 300 })
    expect(r.code).toBe(124)
  })

  it('WebAssembly.compile settles, also under top-level await', async () => {
    const bytes = '[0,97,115,109,1,0,0,0]'
    const a = await t.rt.exec(`WebAssembly.compile(new Uint8Array(${bytes})).then((m) => console.log(m instanceof WebAssembly.Module))`)
    expect(a.stdout).toBe('true\n')
    const b = await t.rt.exec(`const m = await WebAssembly.compile(new Uint8Array(${bytes})); console.log(typeof m)`)
    expect([b.code, b.stdout]).toEqual([0, 'object\n'])
    // Compiled in V8's background threads: the loop waits for the result,
    // a rejection included, as Node's does.
    const c = await t.rt.exec(`
      WebAssembly.compile(new Uint8Array([1, 2, 3])).catch((e) => console.log(e.name))
      WebAssembly.instantiate(new Uint8Array(${bytes})).then((r) => console.log(Object.keys(r).join()))
    `)
    expect(c.stdout).toBe('CompileError\nmodule,instance\n')
  })
})
