import { execFile, spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const cli = join(__dirname, '..', 'bin', 'secure-exec.js')
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 })
// For a run that talks to a server in this process, which spawnSync would block.
const runAsync = (...args: string[]) =>
  new Promise<{ stdout: string; code: number }>((resolve) => {
    execFile(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 }, (err, stdout) => {
      resolve({ stdout, code: err ? Number(err.code) : 0 })
    })
  })

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

  it('gives the guest nothing without --allow-* flags', () => {
    const r = run('run', '-e', `const fs = require('fs'); try { fs.readdirSync('/') } catch (e) { console.log(e.code) } console.log(Object.keys(process.env).length)`)
    expect(r.stdout).toBe('EACCES\n0\n')
  })

  it('--allow-fs-read and --allow-fs-write take guest paths and globs', () => {
    const code = `const fs = require('fs'); const t = (f) => { try { return f() } catch (e) { return e.code } };
      console.log(t(() => fs.readdirSync('/etc').join()), t(() => fs.writeFileSync('/tmp/x', 'y')), t(() => fs.writeFileSync('/home/user/out.txt', 'y')), t(() => fs.readFileSync('/tmp/x', 'utf8')))`
    expect(run('run', '--allow-fs-read', '-e', code).stdout).toBe('hostname EACCES EACCES ENOENT\n')
    expect(run('run', '--allow-fs-read=/etc', '--allow-fs-write=/tmp/*,out.txt', '-e', code).stdout).toBe('hostname undefined undefined EACCES\n')
    expect(run('run', '--allow-fs-read', '--allow-fs-write', '-e', code).stdout).toBe('hostname undefined undefined y\n')
  })

  it('--allow-env passes the host variables it names (or all of them)', () => {
    const env = { ...process.env, SE_ONE: '1', SE_TWO: '2', OTHER_SE: '3' }
    const code = `console.log([process.env.SE_ONE, process.env.SE_TWO, process.env.OTHER_SE].join())`
    const r = (...args: string[]) => spawnSync(process.execPath, [cli, 'run', ...args, '-e', code], { encoding: 'utf8', env }).stdout
    expect(r()).toBe(',,\n')
    expect(r('--allow-env=SE_ONE')).toBe('1,,\n')
    expect(r('--allow-env=SE_*')).toBe('1,2,\n')
    expect(r('--allow-env')).toBe('1,2,3\n')
    expect(r('-A')).toBe('1,2,3\n')
  })

  it('--allow-all allows every scope', () => {
    const r = run('run', '--allow-all', '-e', `require('fs').writeFileSync('/tmp/a', 'b'); console.log(require('fs').readFileSync('/tmp/a', 'utf8'))`)
    expect(r.stdout).toBe('b\n')
  })

  it('refuses an empty flag value', () => {
    expect(run('run', '--allow-fs-read=', '-e', '1').status).toBe(2)
    // An empty list is not "everything".
    for (const flag of ['--allow-net=,', '--allow-env=,', '--allow-fs-read=,,', '--allow-fs-write=,']) {
      expect(run('run', flag, '-e', '1').status).toBe(2)
    }
  })

  it('--mount puts a host directory in the guest tree, read-only unless :rw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-cli-mount-'))
    writeFileSync(join(dir, 'in.txt'), 'from the host')
    const code = `const fs = require('fs'); console.log(fs.readFileSync('/data/in.txt', 'utf8')); try { fs.writeFileSync('/data/out.txt', 'x') } catch (e) { console.log(e.code) }`
    expect(run('run', '--allow-fs-read', '--allow-fs-write', '--mount', `${dir}:/data`, '-e', code).stdout).toBe('from the host\nEROFS\n')
    expect(run('run', '--allow-fs-read', '--allow-fs-write', '--mount', `${dir}:/data:rw`, '-e', code).stdout).toBe('from the host\n')
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('x')
    expect(run('run', '--mount', 'nocolon', '-e', '1').status).toBe(2)
  })

  it('--allow-net lets the guest reach the hosts it names, and no others', async () => {
    const server = createServer((_req, res) => res.end('from the host server'))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const code = `fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then(console.log, (e) => console.log(e.cause?.code))`
    try {
      expect((await runAsync('run', `--allow-net=127.0.0.1:${port}`, '-e', code)).stdout).toBe('from the host server\n')
      // Without a rule naming the host's port, 127.0.0.1 is the guest's own loopback, where nothing listens.
      expect((await runAsync('run', `--allow-net=example.com,127.0.0.1:${port + 1}`, '-e', code)).stdout).toBe('ECONNREFUSED\n')
      expect((await runAsync('run', '--allow-net', '-e', code)).stdout).toBe('ECONNREFUSED\n')
      // Allowing the network does not open private ranges: the SSRF guard wants a rule naming them.
      const priv = `fetch('http://10.0.0.1:${port}/').then(console.log, (e) => console.log(e.cause?.code))`
      expect((await runAsync('run', '--allow-net', '-e', priv)).stdout).toBe('EACCES\n')
      expect((await runAsync('run', '-e', priv)).stdout).toBe('EACCES\n')
      expect(run('run', '--allow-net=', '-e', '1').status).toBe(2)
      expect(run('--help').stdout).toContain('--allow-net')
    } finally {
      server.close()
    }
  })
})
