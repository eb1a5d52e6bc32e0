// Finding 1: nothing a call creates may run, or hold memory, in a later call
// of the same runtime. Each attack leaves work behind in call A; the innocent
// call B must see only its own output and keep its secrets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'

// Atomics.waitAsync needs shared memory, which the sandbox now refuses; the
// attacks still try it (and must leave B alone either way).
const SHARED_MEMORY = 'new Int32Array(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer)'
const tryWait = (body: string) => `try { ${body} } catch (e) { if (e.code !== 'ERR_SANDBOX_UNSUPPORTED') throw e; }`

// Registers targets with \`fr\` that die in a GC at the very end of A
// ('exit' listeners run after its loop), so the registry's cleanup task is
// still pending when A ends.
const registerThenCollectAtExit = `
  (() => { for (let i = 0; i < 1000; i++) fr.register({ i }, i); })();
  process.on('exit', () => {
    let j = [];
    for (let r = 0; r < 3; r++) { for (let i = 0; i < 30; i++) j.push(new Array(1 << 17).fill(i)); j = []; }
  });
`

// A rejection reason whose custom inspect would receive the victim's inspect
// function and reach its process through inspect.constructor.
const evilReason = `
  const evil = {
    [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
      return 'STOLEN ' + inspect.constructor('return process')().env.SECRET;
    },
  };
`

// B: innocent, given a secret; waits a little so that late work from A
// would have the chance to run during it, and fills then drops the old
// generation so that a full GC runs (and weak targets of A are collected).
const innocent = `
  let junk = [];
  let n = 0;
  const tick = () => {
    n++;
    if (n < 4) for (let i = 0; i < 8; i++) junk.push(new Array(1 << 17).fill(n));
    if (n === 4) junk = null;
    if (n < 10) setTimeout(tick, 20); else console.log('B done');
  };
  tick();
`

describe.each(['dedicated', 'shared'] as const)('a later call is not reached by an earlier one (%s)', (sidecar) => {
  // A runtime per attack, so that one finding's leftovers never mask another's.
  let rt: NodeRuntime
  beforeEach(async () => {
    rt = await NodeRuntime.create({ sidecar, limits: { cpuTimeMs: 2000, memoryMb: 128 } })
  })
  afterEach(async () => {
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
      ${tryWait("Atomics.waitAsync(" + SHARED_MEMORY + ", 0, 0, 30).value.then(() => console.log('LEAK'));")}
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it('a FinalizationRegistry callback of an earlier call never runs later', async () => {
    const a = await rt.exec(`
      let told = false;
      const fr = new FinalizationRegistry(() => { if (!told) { told = true; console.log('LEAK'); } });
      ${registerThenCollectAtExit}
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it("a leftover rejection never reaches the next call's inspect or process", async () => {
    const a = await rt.exec(`
      ${evilReason}
      ${tryWait("Atomics.waitAsync(" + SHARED_MEMORY + ", 0, 0, 30).value.then(() => Promise.reject(evil));")}
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it("a rejection made by an earlier call's late callback never reaches the next call", async () => {
    const a = await rt.exec(`
      ${evilReason}
      const fr = new FinalizationRegistry(() => { Promise.reject(evil); });
      ${registerThenCollectAtExit}
    `)
    expect(a.code).toBe(0)
    await expectInnocent()
  })

  it('memory an earlier call keeps reachable is released before the next call', async () => {
    // 120 MiB held by a job left in the queue at exit; the next call is
    // handed 16 MiB of stdin before any of its code runs.
    const a = await rt.exec(`
      const keep = [];
      for (let i = 0; i < 120; i++) keep.push(new ArrayBuffer(1 << 20));
      Promise.resolve().then(() => keep.length);
      process.exit(0);
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

  it('memory held by a waiter nothing will wake is released before the next call', async () => {
    const a = await rt.exec(`
      const keep = [];
      for (let i = 0; i < 120; i++) keep.push(new ArrayBuffer(1 << 20));
      globalThis.keep = keep;
      ${tryWait("Atomics.waitAsync(" + SHARED_MEMORY + ", 0, 0).value.then(() => keep.length);")}
    `)
    expect(a.code).toBe(0)
    const b = await rt.exec(`const k = []; for (let i = 0; i < 100; i++) k.push(new ArrayBuffer(1 << 20)); console.log(k.length)`)
    expect(b.stdout).toBe('100\n')
    expect(b.code).toBe(0)
  })
})
