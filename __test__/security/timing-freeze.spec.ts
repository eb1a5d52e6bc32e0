// timingMitigation: "freeze": no clock a guest can read moves with real time,
// and timers run on a virtual clock that jumps to the next due timer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'

// ~30 ms of CPU on a counter, never on a clock.
const BUSY = 'for (let i = 0, n = 3e7; i < n; i++);'

let frozen: NodeRuntime
let real: NodeRuntime
beforeAll(async () => {
  frozen = await NodeRuntime.create({ timingMitigation: 'freeze' })
  real = await NodeRuntime.create({ timingMitigation: 'none' })
})
afterAll(async () => {
  await frozen.dispose()
  await real.dispose()
})

// Each route reads the clock as a string; two reads around a busy wait.
const routes: Record<string, string> = {
  'Date.now()': 'String(Date.now())',
  'new Date()': 'String(new Date().getTime())',
  'Date()': 'Date()',
  'new Date().toISOString()': 'new Date().toISOString()',
  'Intl.DateTimeFormat().format() (ms digits)':
    'new Intl.DateTimeFormat("en", { second: "numeric", fractionalSecondDigits: 3 }).format()',
  'Intl.DateTimeFormat().format(undefined)':
    'new Intl.DateTimeFormat("en", { second: "numeric", fractionalSecondDigits: 3 }).format(undefined)',
  'Intl.DateTimeFormat().formatToParts()':
    'JSON.stringify(new Intl.DateTimeFormat("en", { second: "numeric", fractionalSecondDigits: 3 }).formatToParts())',
  'Intl.DateTimeFormat.prototype.format via getter':
    'Reflect.apply(Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, "format").get, new Intl.DateTimeFormat("en", { fractionalSecondDigits: 3 }), [])()',
  'Date.prototype.toLocaleString()': 'new Date().toLocaleString("en", { fractionalSecondDigits: 3 })',
  'performance.now()': 'String(performance.now())',
  'performance.mark().startTime': 'String(performance.mark("m").startTime)',
  'process.hrtime()': 'String(process.hrtime())',
  'process.hrtime.bigint()': 'String(process.hrtime.bigint())',
  'process.uptime()': 'String(process.uptime())',
  'process.cpuUsage()': 'JSON.stringify(process.cpuUsage())',
  'Event.timeStamp': 'String(new Event("x").timeStamp)',
  'setTimeout()._idleStart': 'String(setTimeout(() => {}, 1)._idleStart)',
}

async function twoReads(rt: NodeRuntime, expr: string) {
  const r = await rt.run<string[]>(`const a = ${expr}; ${BUSY} const b = ${expr}; __return([a, b])`)
  return r.value!
}

describe('timingMitigation: "freeze"', () => {
  for (const [name, expr] of Object.entries(routes)) {
    it(`${name} does not move with real time`, async () => {
      const [a, b] = await twoReads(frozen, expr)
      expect(b).toBe(a)
    })
  }

  it('console.time measures no real time', async () => {
    const r = await frozen.exec(`console.time('t'); ${BUSY} console.timeEnd('t')`)
    expect(r.stdout).toBe('t: 0ms\n')
  })

  it('Intl format still formats a given date', async () => {
    const r = await frozen.run<string[]>(`
      const f = new Intl.DateTimeFormat('en', { timeZone: 'UTC', dateStyle: 'short' });
      __return([f.format(0), f.formatToParts(86400000).map((p) => p.value).join(''), f.format === f.format ? 'same' : 'new',
        f.format.name, String(f.format.length), String(f.formatToParts.length)])`)
    expect(r.value).toEqual(['1/1/70', '1/2/70', 'same', '', '1', '1'])
  })

  it('a guest cannot undo the Intl freeze by breaking intrinsics', async () => {
    const r = await frozen.run<string[]>(`
      const saved = [Reflect.apply, Function.prototype.call, Function.prototype.apply, Function.prototype.bind,
        WeakMap.prototype.get, WeakMap.prototype.set];
      const noop = () => undefined;
      Reflect.apply = noop; Function.prototype.call = noop; Function.prototype.apply = noop;
      Function.prototype.bind = noop; WeakMap.prototype.get = noop; WeakMap.prototype.set = noop;
      const f = new Intl.DateTimeFormat('en', { second: 'numeric', fractionalSecondDigits: 3 });
      const a = [f.format(), f.formatToParts()[2].value, Date(), new Date().getTime()]; ${BUSY}
      const b = [f.format(), f.formatToParts()[2].value, Date(), new Date().getTime()];
      [Reflect.apply, Function.prototype.call, Function.prototype.apply, Function.prototype.bind,
        WeakMap.prototype.get, WeakMap.prototype.set] = saved;
      __return([a.join(), b.join()])`)
    expect(r.value![1]).toBe(r.value![0])
  })

  it('timers fire in due order whatever the real time', async () => {
    const r = await frozen.exec(`
      setTimeout(() => console.log('50'), 50);
      setTimeout(() => { ${BUSY} console.log('10') }, 10);
      setTimeout(() => console.log('20'), 20);
      setTimeout(() => console.log('1'), 1);`)
    expect(r.stdout).toBe('1\n10\n20\n50\n')
  })

  it('a busy script cannot reorder timers: due times are virtual', async () => {
    // On the real clock 'a' (due at 20 ms) fires first: the busy wait passes it.
    const r = await frozen.exec(`
      setTimeout(() => console.log('a'), 20);
      ${BUSY} ${BUSY}
      setTimeout(() => console.log('b'), 10);`)
    expect(r.stdout).toBe('b\na\n')
  })

  it('a long timer completes at once: the virtual clock jumps', async () => {
    const t0 = Date.now()
    const r = await frozen.exec(`
      const t = setTimeout(() => console.log('done', t._idleStart), 10_000);
      let n = 0;
      const iv = setInterval(() => { if (++n === 3) clearInterval(iv) }, 5_000);`)
    expect(Date.now() - t0).toBeLessThan(2_000)
    expect(r.stdout).toBe('done 0\n')
  })

  it('the virtual clock moves only by timer waits', async () => {
    const r = await frozen.run<number[]>(`
      const seen = [];
      setTimeout(() => { seen.push(setTimeout(() => {}, 1)._idleStart); ${BUSY}
        setTimeout(() => { seen.push(setTimeout(() => {}, 1)._idleStart); __return(seen) }, 7) }, 25);`)
    expect(r.value).toEqual([25, 32])
  })
})

describe('timingMitigation: "none"', () => {
  it('real clocks keep moving', async () => {
    const moved: string[] = []
    for (const name of ['Date.now()', 'Intl.DateTimeFormat().format() (ms digits)', 'performance.now()',
      'process.hrtime.bigint()', 'Event.timeStamp', 'setTimeout()._idleStart']) {
      const [a, b] = await twoReads(real, routes[name])
      if (a !== b) moved.push(name)
    }
    // The Intl string wraps every second, so it may repeat; the others may not.
    expect(moved.filter((n) => !n.startsWith('Intl'))).toEqual(['Date.now()', 'performance.now()',
      'process.hrtime.bigint()', 'Event.timeStamp', 'setTimeout()._idleStart'])
  })

  it('timers wait in real time', async () => {
    const r = await real.run<number>('const a = Date.now(); setTimeout(() => __return(Date.now() - a), 40)')
    expect(r.value).toBeGreaterThanOrEqual(39)
  })
})
