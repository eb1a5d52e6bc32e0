import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { NodeRuntime, type HostTools, type RuntimeOptions } from '../index.js'

/** The Node.js release the guest emulates, whatever Node runs the tests
 * (`GUEST_NODE_VERSION` in src/sidecar/execute.rs). */
export const guestNodeVersion = /GUEST_NODE_VERSION: &str = "(v[\d.]+)"/.exec(
  readFileSync(join(__dirname, '..', 'src', 'sidecar', 'execute.rs'), 'utf8'),
)![1]

/** Runs `code` with the host's own Node.js, for differential tests. */
export function hostNode(code: string, opts: { stdin?: string; argv?: string[]; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['-e', code, ...(opts.argv ?? [])], {
    input: opts.stdin ?? '',
    env: opts.env ?? {},
    encoding: 'utf8',
    timeout: 20_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Child pids of this process, from /proc. */
export function childPids(): number[] {
  const fs = require('node:fs') as typeof import('node:fs')
  const out: number[] = []
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid) out.push(Number(d))
    } catch {
      // The process ended while we looked.
    }
  }
  return out
}

export function openFds(): number {
  const fs = require('node:fs') as typeof import('node:fs')
  return fs.readdirSync('/proc/self/fd').length
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Runs `f` with a runtime of its own, disposed after it whatever happens. */
export async function withRuntime<T>(options: Parameters<typeof NodeRuntime.create>[0], f: (rt: NodeRuntime) => Promise<T>) {
  const rt = await NodeRuntime.create(options)
  try {
    return await f(rt)
  } finally {
    await rt.dispose()
  }
}

/**
 * Runtimes made before the suite and disposed after it, one per options
 * object. Read them from the returned array inside tests.
 */
export function useRuntimes(...options: Parameters<typeof NodeRuntime.create>[0][]) {
  const rts: NodeRuntime[] = []
  beforeAll(async () => {
    for (const o of options) rts.push(await NodeRuntime.create(o))
  })
  afterAll(async () => {
    await Promise.all(rts.map((rt) => rt.dispose()))
  })
  return rts
}

/**
 * Runtimes made inside tests with the returned function, each disposed
 * after its test.
 */
export function perTestRuntimes() {
  const made: NodeRuntime[] = []
  afterEach(async () => {
    await Promise.all(made.splice(0).map((rt) => rt.dispose()))
  })
  return async <T extends HostTools = HostTools>(options: RuntimeOptions<T> = {}) => {
    const rt = await NodeRuntime.create(options)
    made.push(rt)
    return rt
  }
}

/** One runtime made before the suite and disposed after it (`.rt` in tests). */
export function useRuntime(options: Parameters<typeof NodeRuntime.create>[0]) {
  const rts = useRuntimes(options)
  return {
    get rt() {
      return rts[0]
    },
  }
}

/**
 * A runtime under test with `memoryMb` and a neighbour in the same sidecar
 * mode (in `"shared"` mode, the same process). Read them inside tests.
 */
export function runtimeWithNeighbour(sidecar: 'dedicated' | 'shared', memoryMb: number) {
  const rts = useRuntimes({ sidecar, limits: { memoryMb } }, { sidecar })
  return {
    get rt() {
      return rts[0]
    },
    get neighbour() {
      return rts[1]
    },
  }
}

/** Whether process `pid` still runs (a zombie waiting to be reaped counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}
