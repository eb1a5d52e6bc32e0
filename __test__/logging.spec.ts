import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// SECURE_EXEC_LOG: each case runs the CLI in a host process of its own, since
// the log subscriber is installed once per process.
const cli = join(__dirname, '..', 'bin', 'secure-exec.js')
const SECRET = 'guest-secret-7f3a'
const run = (log: string | undefined, ...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.SECURE_EXEC_LOG
  if (log !== undefined) env.SECURE_EXEC_LOG = log
  return spawnSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8', env, timeout: 30_000 })
}
const logLines = (stderr: string) => stderr.split('\n').filter((l) => /^secure-exec (host|sidecar)\[\d+\] /.test(l))

// Prints a secret, then reads a secret path the policy denies.
const leaky = `console.log(${JSON.stringify(SECRET)});
  try { require('fs').readFileSync('/secret-path-xyz') } catch (e) { console.log(e.code) }`

describe('SECURE_EXEC_LOG', () => {
  it('is off by default: no log lines at all', () => {
    const r = run(undefined, '-e', leaky)
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(`${SECRET}\nEACCES\n`)
    expect(r.stderr).toBe('')
  })

  it('info: sidecar spawn, the call span with the runtime id, the denial; no guest data', () => {
    const r = run('info', '-e', leaky)
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(`${SECRET}\nEACCES\n`)
    const lines = logLines(r.stderr)
    // Every line of stderr is a log line: the guest wrote nothing there.
    expect(lines.length).toBe(r.stderr.trimEnd().split('\n').length)
    expect(lines.some((l) => /^secure-exec host\[\d+\] .*INFO .*sidecar spawned pid=\d+ mode="dedicated"/.test(l))).toBe(true)
    expect(lines.some((l) => /host\[\d+\] .*runtime created rt=1 /.test(l))).toBe(true)
    expect(lines.some((l) => /^secure-exec sidecar\[\d+\] .*sidecar (hardened|not fully hardened)/.test(l))).toBe(true)
    expect(lines.some((l) => /sidecar\[\d+\] .*INFO call\{rt=1 req=\d+ pid=\d+\}: .*call ended kind=Normal code=0 ms=/.test(l))).toBe(true)
    const denied = lines.find((l) => l.includes('permission denied'))
    expect(denied).toMatch(/INFO call\{rt=1 .*scope="fs" op="open"/)
    expect(denied).not.toContain('target=')
    expect(r.stderr).not.toContain('secret-path-xyz')
    expect(r.stderr).not.toContain(SECRET)
    expect(r.stderr).not.toMatch(/DEBUG/)
  })

  it('debug: the denied path appears (escaped), the guest output still does not', () => {
    const r = run('debug', '-e', leaky)
    expect(r.status).toBe(0)
    const denied = logLines(r.stderr).find((l) => l.includes('permission denied'))
    expect(denied).toContain('target="/secret-path-xyz"')
    expect(r.stderr).toMatch(/host\[\d+\] .*DEBUG .*sidecar ready pid=\d+ mode="dedicated" ms=\d+/)
    expect(r.stderr).not.toContain(SECRET)
  })

  it('takes RUST_LOG-style per-target filters', () => {
    const r = run('secure_exec::kernel=debug,warn', '-e', leaky)
    expect(r.status).toBe(0)
    const lines = logLines(r.stderr)
    expect(lines.some((l) => l.includes('target="/secret-path-xyz"'))).toBe(true)
    // Only the kernel speaks below warn.
    expect(lines.every((l) => l.includes('secure_exec::kernel') || / (WARN|ERROR) /.test(l))).toBe(true)
  })

  it('an invalid filter says so in one line and leaves the run alone', () => {
    const r = run('info,secure_exec=loud', '-e', 'console.log(42)')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('42\n')
    expect(r.stderr).toMatch(/^secure-exec: ignoring SECURE_EXEC_LOG="info,secure_exec=loud" \(.*\); logging stays off\n$/)
  })

  it('a CPU time limit is a warn line that names the call', () => {
    const r = run('warn', '--cpu-time-ms', '200', '-e', 'for(;;){}')
    expect(r.status).toBe(124)
    const lines = logLines(r.stderr)
    expect(lines.some((l) => /WARN .*guest stopped by a limit rt=1 req=\d+ limit="cpuTimeMs" value=200/.test(l))).toBe(true)
    expect(lines.every((l) => / (WARN|ERROR) /.test(l))).toBe(true)
  })

  it('the wall-clock limit is a warn line', () => {
    const r = run('warn', '--timeout-ms', '200', '-e', 'setInterval(() => {}, 1000)')
    expect(r.status).toBe(124)
    expect(logLines(r.stderr).some((l) => /WARN .*guest stopped by a limit rt=1 req=\d+ limit="wallTimeMs" value=200/.test(l))).toBe(true)
  })

  it('the memory limit is a warn line', () => {
    const r = run('warn', '--memory-mb', '16', '-e', `const a = []; for (;;) a.push(new Array(1e5).fill('${SECRET}'))`)
    expect(r.status).toBe(137)
    expect(logLines(r.stderr).some((l) => /WARN .*guest stopped by a limit rt=1 req=\d+ limit="memoryMb" value=16/.test(l))).toBe(true)
    expect(r.stderr).not.toContain(SECRET)
  })

  it('a filesystem limit is a warn line; its path only at debug, bounded', () => {
    const code = `try { require('fs').writeFileSync('/tmp/' + 'n'.repeat(5000), 'x') } catch (e) { console.log(e.code) }`
    const info = run('info', '--allow-fs-write', '-e', code)
    expect(info.stdout).toBe('ENAMETOOLONG\n')
    const line = logLines(info.stderr).find((l) => l.includes('filesystem limit'))
    expect(line).toMatch(/WARN .*limit="maxPathLength" op="open"$/)
    const debug = run('debug', '--allow-fs-write', '-e', code)
    const shown = logLines(debug.stderr).find((l) => l.includes('filesystem limit'))
    expect(shown).toContain(`path="/tmp/${'n'.repeat(195)}"…`)
  })
})
