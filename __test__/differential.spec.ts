// Differential tests: every script in __test__/differential runs under the
// host's Node and in the sandbox; stdout, exit code and stderr (stack frames
// aside) must be the same.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

const dir = join(__dirname, 'differential')
const cases = readdirSync(dir).filter((f) => f.endsWith('.js')).sort()

// Frames differ (Node's loader vs none), and where Node's arrow points into
// its own internals (node:internal/...) the sandbox prints no arrow;
// everything else must match.
function normalizeStderr(s: string) {
  return s
    .replace(/^node:internal\/[^\n]*\n[^\n]*\n\s*\^+\n/, '')
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) && !/^\s+\.\.\. \d+ lines matching/.test(l))
    .join('\n')
    .replace(/\(node:\d+\)/g, '(node:PID)')
}

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ limits: { wallTimeMs: 20_000 } })
})
afterAll(async () => {
  await rt.dispose()
})

describe('same output as host Node', () => {
  for (const name of cases) {
    it(name, async () => {
      const file = join(dir, name)
      const stdinFile = file.replace(/\.js$/, '.stdin')
      const stdin = existsSync(stdinFile) ? readFileSync(stdinFile) : undefined
      const host = spawnSync(process.execPath, [file], {
        argv0: 'node',
        encoding: 'utf8',
        env: {},
        timeout: 20_000,
        input: stdin ?? '',
      })
      const guest = await rt.exec(readFileSync(file, 'utf8'), { filePath: file, stdin })
      expect(guest.stdout).toBe(host.stdout)
      expect(guest.code).toBe(host.status)
      expect(normalizeStderr(guest.stderr)).toBe(normalizeStderr(host.stderr))
    })
  }
})
