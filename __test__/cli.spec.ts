import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const cli = join(__dirname, '..', 'bin', 'secure-exec.js')
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 })

describe('secure-exec CLI', () => {
  it('runs -e code and prints its output', () => {
    const r = run('run', '-e', 'console.log(40 + 2)')
    expect(r.stdout).toBe('42\n')
    expect(r.status).toBe(0)
  })

  it('runs a file with arguments and exits with the guest code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-cli-'))
    const file = join(dir, 'app.js')
    writeFileSync(file, 'console.log(process.argv.slice(2).join(",")); console.error("err"); process.exit(5)')
    const r = run('run', file, 'x', 'y')
    expect(r.stdout).toBe('x,y\n')
    expect(r.stderr).toBe('err\n')
    expect(r.status).toBe(5)
  })

  it('exits 1 with the uncaught error on stderr', () => {
    const r = run('run', '-e', 'throw new TypeError("bad")')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('TypeError: bad')
  })

  it('exits 124 on a time limit', () => {
    const r = run('run', '--cpu-time-ms', '200', '-e', 'for(;;){}')
    expect(r.status).toBe(124)
    expect(r.stderr).toContain('timed out')
  })

  it('documents itself in --help', () => {
    const r = run('--help')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('secure-exec run <file>')
    expect(r.stdout).toContain('secure-exec run -e <code>')
  })

  it('rejects unknown commands and missing files with exit 2', () => {
    expect(run('fly').status).toBe(2)
    expect(run('run', '/no/such/file.js').status).toBe(2)
  })

  it('does not show the host environment to the guest', () => {
    const r = spawnSync(process.execPath, [cli, 'run', '-e', 'console.log(JSON.stringify(process.env))'], {
      encoding: 'utf8',
      env: { ...process.env, HOST_SECRET: 'x' },
    })
    expect(r.stdout).toBe('{}\n')
  })
})
