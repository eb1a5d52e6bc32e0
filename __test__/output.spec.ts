import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ limits: { maxOutputBytes: 1000, wallTimeMs: 50_000, cpuTimeMs: 50_000 } })
})
afterAll(async () => {
  await rt.dispose()
})

describe('output', () => {
  it('captures stdout and stderr through console and process streams', async () => {
    const e = await rt.exec('process.stdout.write("a"); process.stderr.write("b"); console.info("c"); console.warn("d")')
    expect(e.stdout).toBe('ac\n')
    expect(e.stderr).toBe('bd\n')
  })

  it('bounds capture by maxOutputBytes and says so', async () => {
    const e = await rt.exec('for (let i = 0; i < 500; i++) console.log("0123456789")')
    expect(e.stdout.length).toBe(1000)
    expect(e.stdoutTruncated).toBe(true)
    expect(e.stderrTruncated).toBe(false)
  })

  it('streams through onStdio as output happens', async () => {
    const events: { stream: string; data: string }[] = []
    const e = await rt.exec('console.log("one"); console.error("two"); setTimeout(() => console.log("three"), 10)', {
      onStdio: (ev) => events.push({ stream: ev.stream, data: Buffer.from(ev.data).toString() }),
    })
    expect(e.code).toBe(0)
    expect(events).toEqual([
      { stream: 'stdout', data: 'one\n' },
      { stream: 'stderr', data: 'two\n' },
      { stream: 'stdout', data: 'three\n' },
    ])
  })

  it('streams hundreds of MB through onStdio without stalling', async () => {
    let bytes = 0
    const t0 = Date.now()
    const e = await rt.exec('const line = "x".repeat(1023) + "\\n"; for (let i = 0; i < 200 * 1024; i++) process.stdout.write(line)', {
      onStdio: (ev) => {
        bytes += ev.data.length
      },
    })
    expect(e.code).toBe(0)
    expect(bytes).toBe(200 * 1024 * 1024)
    expect(e.stdout.length).toBe(1000)
    expect(e.stdoutTruncated).toBe(true)
    expect(Date.now() - t0).toBeLessThan(45_000)
  })

  it('a throwing onStdio listener does not break the call', async () => {
    const e = await rt.exec('console.log("x"); __return', {
      onStdio: () => {
        throw new Error('listener bug')
      },
    })
    expect(e.code).toBe(0)
    expect(e.stdout).toBe('x\n')
  })
})
