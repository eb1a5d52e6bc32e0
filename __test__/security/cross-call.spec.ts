// Finding 1: nothing a call creates may run, or hold memory, in a later call
// of the same runtime. Each attack leaves work behind in call A; the innocent
// call B must see only its own output and keep its secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'

const SHARED_MEMORY = 'new Int32Array(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer)'

// B: innocent, given a secret; waits a little so that late work from A
// would have the chance to run during it, and makes garbage so that a GC runs.
const innocent = `
  let junk = [];
  for (let i = 0; i < 40; i++) junk.push(new Array(100000).fill(i));
  junk = null;
  let n = 0;
  const tick = () => { if (++n < 8) setTimeout(tick, 20); else console.log('B done'); };
  tick();
`

describe.each(['dedicated', 'shared'] as const)('a later call is not reached by an earlier one (%s)', (sidecar) => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ sidecar, limits: { cpuTimeMs: 2000, memoryMb: 128 } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  async function expectInnocent() {
    const b = await rt.exec(innocent, { env: { SECRET: 's3cret' } })
    expect(b.stdout).toBe('B done\n')
    expect(b.stderr).toBe('')
    expect(b.code).toBe(0)
  }

  it('microtasks pending at process.exit() never run later', async () => {
    const a = await rt.exec(`
      const again = () => Promise.resolve().then(() => { console.log('LEAK ' + (globalThis.process?.env.SECRET)); again(); });
      again();
      process.exit(0);
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it('microtasks pending at a CPU timeout never run later', async () => {
    const a = await rt.exec(`Promise.resolve().then(() => console.log('LEAK')); for (;;) {}`, { timeoutMs: 300 })
    expect(a.code).toBe(124)
    await expectInnocent()
  })

  it('microtasks pending at an uncaught error never run later', async () => {
    const a = await rt.exec(`Promise.resolve().then(() => console.log('LEAK')); throw new Error('A fails')`)
    expect(a.code).toBe(1)
    expect(a.stdout).toBe('')
    await expectInnocent()
  })

  it('an Atomics.waitAsync timeout of an earlier call never runs later', async () => {
    const a = await rt.exec(`
      Atomics.waitAsync(${SHARED_MEMORY}, 0, 0, 30).value.then(() => console.log('LEAK'));
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it('a FinalizationRegistry callback of an earlier call never runs later', async () => {
    const a = await rt.exec(`
      const fr = new FinalizationRegistry(() => console.log('LEAK'));
      for (let i = 0; i < 1000; i++) fr.register({ i }, i);
      globalThis.keep = fr;
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it("a leftover rejection never reaches the next call's inspect or process", async () => {
    // The reason's custom inspect would receive the victim's inspect function
    // and reach its process through inspect.constructor.
    const a = await rt.exec(`
      const evil = {
        [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
          const p = inspect.constructor('return process')();
          return 'STOLEN ' + p.env.SECRET;
        },
      };
      Atomics.waitAsync(${SHARED_MEMORY}, 0, 0, 30).value.then(() => Promise.reject(evil));
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it('memory an earlier call keeps reachable is released before the next call', async () => {
    // 120 MiB held by a waiter that nothing will ever wake.
    const a = await rt.exec(`
      const keep = [];
      for (let i = 0; i < 120; i++) keep.push(new ArrayBuffer(1 << 20));
      Atomics.waitAsync(${SHARED_MEMORY}, 0, 0).value.then(() => keep.length);
    `)
    expect(a.code).toBe(0)
    const stdin = new Uint8Array(16 << 20).fill(7)
    const b = await rt.exec(`
      let n = 0;
      process.stdin.on('data', (c) => { n += c.length; });
      process.stdin.on('end', () => console.log(n));
    `, { stdin })
    expect(b.stdout).toBe(`${16 << 20}\n`)
    expect(b.code).toBe(0)
  })
})
