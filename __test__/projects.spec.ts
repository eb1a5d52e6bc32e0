// The project matrix: real npm packages (__test__/projects/<name>/, exact
// versions and lockfiles), installed from the registry into a cache that
// later runs reuse, each entry run on host Node and in the sandbox (the
// project mounted read-only at its host path). A project expected to pass
// must print the same stdout and exit with the same code; one expected to
// fail must still fail, in the way its failsWith says, so that a fix shows
// up here as a test to flip. __test__/projects/STATUS.md has the table.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'
import { type Installed, installProjects, listProjects, projectsDir, runGuest, runHost } from './projects/harness.mjs'

const projects = listProjects()
const installed = new Map<string, Installed>()

beforeAll(async () => {
  const t0 = Date.now()
  for (const p of await installProjects(projects)) installed.set(p.name, p)
  const s = ((Date.now() - t0) / 1000).toFixed(1)
  console.log(`project matrix: ${projects.length} projects installed or found in the cache in ${s}s`)
}, 15 * 60_000)

describe('the project set', () => {
  it('has at least 25 projects with ES module, CommonJS and dual packages, a pnpm layout and a workspace', () => {
    expect(projects.length).toBeGreaterThanOrEqual(25)
    const formats = new Set(projects.map((p) => p.format))
    for (const f of ['esm', 'cjs', 'dual']) expect(formats).toContain(f)
    expect(projects.some((p) => p.layout === 'pnpm')).toBe(true)
    expect(projects.some((p) => p.workspaces)).toBe(true)
    for (const p of projects) {
      if (p.expected !== 'pass') expect(p.failsWith, `${p.name} is expected to fail: give its failsWith`).toBeTruthy()
    }
  })

  it('is listed in STATUS.md with each expected state', () => {
    const table = readFileSync(join(projectsDir, 'STATUS.md'), 'utf8')
    const rows = new Map(
      table
        .split('\n')
        .filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| project |'))
        .map((l) => [l.split(' | ')[0].slice(2), l] as const),
    )
    expect([...rows.keys()].sort()).toEqual(projects.map((p) => p.name).sort())
    const regenerate = 'STATUS.md is out of date: node __test__/projects/status.mjs'
    for (const p of projects) expect(rows.get(p.name), regenerate).toMatch(new RegExp(`\\| ${escape(p.expected.replace(/\|/g, '\\|'))} \\|$`))
  })
})

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('each project on Node and in the sandbox', () => {
  for (const p of projects) {
    const title = p.expected === 'pass' ? 'prints what Node prints' : `still fails (${p.failsWith})`
    it(`${p.name}: ${title}`, async () => {
      const q = installed.get(p.name)!
      const host = await runHost(q)
      expect(host.code, `${p.name} fails on host Node:\n${host.stderr}`).toBe(0)
      expect(host.stdout).not.toBe('')
      const guest = await runGuest(NodeRuntime, q)
      if (p.expected === 'pass') {
        expect({ stdout: guest.stdout, code: guest.code }, `sandbox stderr:\n${guest.stderr}`).toEqual({ stdout: host.stdout, code: host.code })
      } else {
        const same = guest.stdout === host.stdout && guest.code === host.code
        expect(same, `${p.name} now prints what Node prints: set "expected": "pass" in its package.json and run node __test__/projects/status.mjs`).toBe(false)
        expect(guest.stderr + guest.stdout, `${p.name} fails another way now: update its reason and failsWith`).toContain(p.failsWith)
      }
    }, 90_000)
  }
})
