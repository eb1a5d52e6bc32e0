import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll } from 'vitest'
import { NodeRuntime } from '../index.js'

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

/**
 * A runtime under test with `memoryMb` and a neighbour in the same sidecar
 * mode (in `"shared"` mode, the same process), made before the suite and
 * disposed after it. Read them from the returned object inside tests.
 */
export function runtimeWithNeighbour(sidecar: 'dedicated' | 'shared', memoryMb: number) {
  const pair = {} as { rt: NodeRuntime; neighbour: NodeRuntime }
  beforeAll(async () => {
    pair.rt = await NodeRuntime.create({ sidecar, limits: { memoryMb } })
    pair.neighbour = await NodeRuntime.create({ sidecar })
  })
  afterAll(async () => {
    await pair.rt.dispose()
    await pair.neighbour.dispose()
  })
  return pair
}
