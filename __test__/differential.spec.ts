// Differential tests: every script in __test__/differential runs in the
// sandbox, and stdout, exit code and stderr (stack frames aside) must be what
// Node printed for it: <name>.golden.json, recorded under the Node release
// the guest emulates (`npm run golden`), so the answer is the same whatever
// Node runs the tests.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allowAll, NodeRuntime } from '../index.js'
import { guestNodeVersion } from './helpers.js'

const dir = join(__dirname, 'differential')
const cases = readdirSync(dir).filter((f) => f.endsWith('.js')).sort()
const regenerate = `run \`npm run golden\` under Node ${guestNodeVersion}`

interface Golden {
  source: string
  node: string
  status: number | null
  stdout: string
  stderr: string
}

/** Same as sourceHash in scripts/golden.mjs. */
function sourceHash(source: Buffer, stdin: Buffer | undefined) {
  const h = createHash('sha256').update(source)
  if (stdin) h.update('\0stdin\0').update(stdin)
  return h.digest('hex')
}

// As scripts/golden.mjs records them: no checkout path, no pid.
const stable = (s: string) => s.replaceAll(dir, '<dir>').replace(/\(node:\d+\)/g, '(node:PID)')

// Frames differ (Node's loader vs none, and the lines that only say which
// frames two stacks share), and where Node's arrow points into
// its own code (node:internal/..., node:assert, node:events, ...) the
// sandbox prints no arrow (its builtins are not Node's files);
// everything else must match.
function normalizeStderr(s: string) {
  return s
    .replace(/^node:[^\n]*\n[^\n]*\n\s*\^+\n/, '')
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) && !/^\s+\.\.\. \d+ lines matching/.test(l) && !/^\s+\[\.\.\. lines matching original stack trace \.\.\.\]$/.test(l))
    .join('\n')
}

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ limits: { wallTimeMs: 20_000 }, permissions: allowAll })
})
afterAll(async () => {
  await rt.dispose()
})

describe('golden files', () => {
  it('belong to a case each', () => {
    const orphans = readdirSync(dir)
      .filter((f) => f.endsWith('.golden.json'))
      .filter((f) => !cases.includes(f.replace(/\.golden\.json$/, '.js')))
    expect(orphans, regenerate).toEqual([])
  })
})

describe('same output as Node', () => {
  for (const name of cases) {
    it(name, async () => {
      const file = join(dir, name)
      const goldenFile = file.replace(/\.js$/, '.golden.json')
      const stdinFile = file.replace(/\.js$/, '.stdin')
      const source = readFileSync(file)
      const stdin = existsSync(stdinFile) ? readFileSync(stdinFile) : undefined
      expect(existsSync(goldenFile), `${name} has no golden file: ${regenerate}`).toBe(true)
      const golden: Golden = JSON.parse(readFileSync(goldenFile, 'utf8'))
      expect(golden.source, `${name} changed since its golden file was recorded: ${regenerate}`).toBe(sourceHash(source, stdin))
      expect(golden.node, `the guest emulates another Node than the golden file's: ${regenerate}`).toBe(guestNodeVersion)
      const guest = await rt.exec(source.toString('utf8'), { filePath: file, stdin })
      expect(stable(guest.stdout)).toBe(golden.stdout)
      expect(guest.code).toBe(golden.status)
      expect(normalizeStderr(stable(guest.stderr))).toBe(normalizeStderr(golden.stderr))
    })
  }
})
