import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Each example runs as a user would run it (`node examples/x.mjs`), importing
// the package by its name through package.json's "exports" (self-reference).
const dir = join(__dirname, '..', 'examples')
const TIMEOUT_MS = 30_000

function runExample(file: string) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(dir, file)],
      { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; signal?: string }) | null
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        })
      },
    )
  })
}

describe('examples', () => {
  it('lists every example in examples/README.md and tests it here', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()
    expect(files).toEqual(['code-mode.mjs', 'dev-server.mjs', 'plugin-host.mjs', 'user-script.mjs'])
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    for (const f of files) expect(readme).toContain(`\`node examples/${f}\``)
  })

  it('code-mode.mjs: a failed attempt is fed back and the next one calls the host tools', async () => {
    const r = await runExample('code-mode.mjs')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines).toContain('  failed: TypeError: tools.findProducts is not a function')
    expect(lines).toContain('  host tool: searchProducts({"query":"cable"})')
    expect(lines).toContain('  host tool: getProduct({"sku":"C-300"})')
    expect(lines).toContain('  guest: checked 3 products, 2 in stock')
    expect(lines).toContain('result: {"cheapest":"C-300","price":7.25}')
  }, TIMEOUT_MS + 5_000)

  it('plugin-host.mjs: a looping plugin is stopped at cpuTimeMs and the others go on', async () => {
    const r = await runExample('plugin-host.mjs')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ {2}spinner {2}-> stopped after \d+ ms \(ERR_SANDBOX_TIMEOUT, cpuTimeMs\); disabled$/m)
    expect(r.stdout).toMatch(/^ {2}snoop {4}-> error: EACCES: permission denied, open '\/etc\/hostname'$/m)
    // State kept across messages, and messages after the stop still answered.
    expect(r.stdout).toMatch(/^ {2}counter {2}-> 6 words so far$/m)
    expect(r.stdout).toMatch(/^ {2}shout {4}-> STILL HERE\?!$/m)
    expect(r.stdout).toMatch(/^ {2}spinner {2}-> disabled$/m)
    expect(r.stdout).toContain('done: 3 of 4 plugins still enabled')
  }, TIMEOUT_MS + 5_000)

  it('user-script.mjs: reads a read-only mount, writes to the VFS, the host reads it back', async () => {
    const r = await runExample('user-script.mjs')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines).toContain('[script] files in /project: config.json, data')
    expect(lines).toContain('[script] write to /project/config.json refused: EACCES')
    expect(lines).toContain('outputs: report.json')
    expect(lines).toContain('report: {"currency":"EUR","totals":{"north":120,"south":99.5,"east":42.5}}')
  }, TIMEOUT_MS + 5_000)

  it('dev-server.mjs: rt.fetch and an exposed port reach a guest http server, which stops on SIGTERM', async () => {
    const r = await runExample('dev-server.mjs')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines).toContain('[server] listening on 3000')
    expect(lines).toContain('POST /api/todos -> 201 {"id":1,"title":"write the docs"}')
    expect(lines).toContain('GET /api/todos -> 200 [{"id":1,"title":"write the docs"}]')
    expect(lines).toContain('GET /nope -> 404 not found')
    expect(r.stdout).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/todos \(real port\) -> 200 \[\{"id":1,"title":"write the docs"\}\]$/m)
    expect(lines).toContain('server exited: code 0, signal null')
  }, TIMEOUT_MS + 5_000)
})
