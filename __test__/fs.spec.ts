// The runtime's virtual filesystem: private to each runtime, kept across
// calls until dispose, guarded by the fs scope (decided in Rust on resolved
// paths), bounded by the fs limits, and reachable from the host as rt.fs.
import { describe, expect, it } from 'vitest'
import { allowAllFs, NodeRuntime, type AuditEvent, type PermissionRequest } from '../index.js'
import { perTestRuntimes } from './helpers'

const make = perTestRuntimes()

/** Runs `body` (which may use `fs`) and returns what it passed to __return, or the error's code and message. */
async function guest(rt: NodeRuntime, body: string) {
  const r = await rt.run<any>(`const fs = require('fs');
    (async () => { ${body} })().then(__return, (e) => __return({ code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, message: e.message }))`)
  return r.value
}

describe('the default tree', () => {
  it('looks like a small Linux box, with /home/user as the cwd', async () => {
    const rt = await make({ permissions: allowAllFs })
    const v = await guest(rt, `
      const kinds = (p) => { const s = fs.statSync(p); return [s.isDirectory(), s.isCharacterDevice(), (s.mode & 0o7777).toString(8), s.uid] };
      return {
        cwd: process.cwd(),
        root: fs.readdirSync('/'),
        hostname: fs.readFileSync('/etc/hostname', 'utf8'),
        tmp: kinds('/tmp'), home: kinds('/home/user'), workspace: kinds('/workspace'), null: kinds('/dev/null'),
        devnull: [fs.writeFileSync('/dev/null', 'gone'), fs.readFileSync('/dev/null').length],
        relative: (fs.writeFileSync('notes.txt', 'x'), fs.existsSync('/home/user/notes.txt')),
      }`)
    expect(v).toEqual({
      cwd: '/home/user',
      root: ['dev', 'etc', 'home', 'tmp', 'usr', 'workspace'],
      hostname: 'sandbox\n',
      tmp: [true, false, '1777', 0],
      home: [true, false, '755', 1000],
      workspace: [true, false, '755', 1000],
      null: [false, true, '666', 0],
      devnull: [undefined, 0],
      relative: true,
    })
  })

  it('never lets a path leave the root', async () => {
    const rt = await make({ permissions: allowAllFs })
    const v = await guest(rt, `return [fs.realpathSync('/../../..'), fs.readdirSync('/tmp/../../../..').length, fs.readFileSync('/../../etc/hostname', 'utf8')]`)
    expect(v).toEqual(['/', 6, 'sandbox\n'])
  })

  it('refuses writes the guest user may not make (root-owned dirs) with EACCES', async () => {
    const rt = await make({ permissions: allowAllFs })
    expect(await guest(rt, `fs.writeFileSync('/etc/passwd', 'x')`)).toMatchObject({ code: 'EACCES', errno: -13, syscall: 'open', path: '/etc/passwd' })
    expect(await guest(rt, `fs.mkdirSync('/newdir')`)).toMatchObject({ code: 'EACCES', syscall: 'mkdir' })
  })
})

describe('lifetime and isolation', () => {
  it('keeps files across calls of a runtime and nothing across runtimes', async () => {
    const a = await make({ permissions: allowAllFs })
    const b = await make({ permissions: allowAllFs })
    await guest(a, `fs.writeFileSync('/tmp/shared.txt', 'from a')`)
    await guest(b, `fs.writeFileSync('/tmp/shared.txt', 'from b')`)
    expect(await guest(a, `return fs.readFileSync('/tmp/shared.txt', 'utf8')`)).toBe('from a')
    expect(await guest(b, `return fs.readFileSync('/tmp/shared.txt', 'utf8')`)).toBe('from b')
    const c = await make({ permissions: allowAllFs })
    expect(await guest(c, `return fs.existsSync('/tmp/shared.txt')`)).toBe(false)
  })

  it('closes a call\'s open files when it ends (an unlinked file\'s space comes back)', async () => {
    const rt = await make({ permissions: allowAllFs, limits: { maxFsBytes: 1_000_000 } })
    await guest(rt, `const fd = fs.openSync('/tmp/big', 'w'); fs.writeSync(fd, Buffer.alloc(900_000)); fs.unlinkSync('/tmp/big'); globalThis.keep = fd`)
    // The previous call's descriptor is gone, so its 900 KB are free again.
    expect(await guest(rt, `fs.writeFileSync('/tmp/again', Buffer.alloc(900_000)); return fs.statSync('/tmp/again').size`)).toBe(900_000)
    expect(await guest(rt, `return fs.fstatSync(3)`)).toMatchObject({ code: 'EBADF' })
  })
})

describe('fs permissions', () => {
  it('deny everything by default: EACCES, and nothing is touched', async () => {
    const rt = await make()
    const v = await guest(rt, `
      const out = [];
      for (const f of [() => fs.writeFileSync('/tmp/x', 'y'), () => fs.readFileSync('/etc/hostname'), () => fs.readdirSync('/'), () => fs.statSync('/tmp'), () => fs.mkdirSync('/tmp/d')]) {
        try { f(); out.push('ok') } catch (e) { out.push([e.code, e.errno, e.syscall, e.path]) }
      }
      out.push(fs.existsSync('/tmp'));
      return out`)
    expect(v).toEqual([
      ['EACCES', -13, 'open', '/tmp/x'],
      ['EACCES', -13, 'open', '/etc/hostname'],
      ['EACCES', -13, 'scandir', '/'],
      ['EACCES', -13, 'stat', '/tmp'],
      ['EACCES', -13, 'mkdir', '/tmp/d'],
      false,
    ])
    expect(await rt.fs.exists('/tmp/x')).toBe(false)
    expect(await rt.fs.exists('/tmp/d')).toBe(false)
  })

  it('read and write globs are separate, and decided on the resolved path', async () => {
    const rt = await make({ permissions: { fs: { read: ['/workspace/**', '/data/*.json'], write: ['/tmp'] } } })
    await rt.fs.mkdir('/data', { recursive: true }).catch(() => {})
    await rt.fs.writeFile('/workspace/in.txt', 'input')
    const v = await guest(rt, `
      const out = [];
      const t = (f) => { try { out.push(f()) } catch (e) { out.push(e.code) } };
      t(() => fs.readFileSync('/workspace/in.txt', 'utf8'));
      t(() => fs.writeFileSync('/workspace/out.txt', 'x'));
      t(() => fs.writeFileSync('/tmp/out.txt', 'x'));
      t(() => fs.readFileSync('/tmp/out.txt', 'utf8'));
      // A link in a writable place to a readable file may be read; to an unreadable one may not.
      t(() => { fs.symlinkSync('/workspace/in.txt', '/tmp/ok-link'); return fs.readFileSync('/tmp/ok-link', 'utf8') });
      t(() => { fs.symlinkSync('/etc', '/tmp/etc-link'); return fs.readFileSync('/tmp/etc-link/hostname', 'utf8') });
      t(() => fs.readFileSync('/tmp/../workspace/in.txt', 'utf8'));
      return out`)
    expect(v).toEqual(['input', 'EACCES', undefined, 'EACCES', 'input', 'EACCES', 'input'])
  })

  it('a host function is asked with the resolved path and Node\'s syscall name', async () => {
    const asked: PermissionRequest[] = []
    const rt = await make({
      permissions: {
        fs: (req) => {
          asked.push(req)
          return req.scope === 'fs' && req.path.startsWith('/tmp')
        },
      },
    })
    const v = await guest(rt, `
      fs.writeFileSync('/tmp/a', '1');
      fs.symlinkSync('/etc/hostname', '/tmp/h');
      let denied; try { fs.readFileSync('/tmp/h') } catch (e) { denied = [e.code, e.path] }
      return [fs.readFileSync('/tmp/a', 'utf8'), denied]`)
    expect(v).toEqual(['1', ['EACCES', '/tmp/h']])
    expect(asked).toEqual([
      { scope: 'fs', op: 'open', access: 'write', path: '/tmp/a' },
      { scope: 'fs', op: 'symlink', access: 'write', path: '/tmp/h' },
      { scope: 'fs', op: 'open', access: 'read', path: '/etc/hostname' },
      { scope: 'fs', op: 'open', access: 'read', path: '/tmp/a' },
    ])
  })

  it('callbacks and promises are checked the same way', async () => {
    const rt = await make({ permissions: { fs: { read: ['/tmp'] } } })
    const v = await guest(rt, `
      const a = await new Promise((res) => fs.writeFile('/tmp/x', 'y', (e) => res(e && e.code)));
      const b = await fs.promises.writeFile('/tmp/x', 'y').then(() => 'ok', (e) => e.code);
      const c = await fs.promises.readdir('/tmp');
      return [a, b, c]`)
    expect(v).toEqual(['EACCES', 'EACCES', []])
  })

  it('every decision is an audit event', async () => {
    const events: AuditEvent[] = []
    const rt = await make({ permissions: { fs: { read: ['/tmp'] } }, onAudit: (e) => events.push(e) })
    await guest(rt, `fs.existsSync('/tmp'); try { fs.writeFileSync('/tmp/x', '') } catch {}`)
    expect(events.map((e) => e.type === 'permission' && [e.scope, e.op, (e as any).access, (e as any).path, e.allowed, e.rule])).toEqual([
      ['fs', 'stat', 'read', '/tmp', true, 'permissions.fs.read[0]'],
      ['fs', 'open', 'write', '/tmp/x', false, 'permissions.fs.write (no entry matched)'],
    ])
  })
})

describe('fs limits', () => {
  it('maxFsBytes: ENOSPC fails one write and changes nothing', async () => {
    const events: AuditEvent[] = []
    const rt = await make({ permissions: allowAllFs, limits: { maxFsBytes: 10_000 }, onAudit: (e) => events.push(e) })
    const v = await guest(rt, `
      fs.writeFileSync('/tmp/a', Buffer.alloc(6000));
      let err; try { fs.writeFileSync('/tmp/b', Buffer.alloc(6000)) } catch (e) { err = [e.code, e.errno, e.syscall] }
      return [err, fs.existsSync('/tmp/b'), fs.statSync('/tmp/a').size]`)
    expect(v).toEqual([['ENOSPC', -28, 'open'], false, 6000])
    // The runtime goes on.
    expect(await guest(rt, `fs.writeFileSync('/tmp/c', 'ok'); return fs.readFileSync('/tmp/c', 'utf8')`)).toBe('ok')
    expect(events.filter((e) => e.type === 'limit')).toEqual([{ type: 'limit', pid: expect.any(Number), limit: 'maxFsBytes', op: 'open', target: '/tmp/b' }])
  })

  it('maxFileSize: EFBIG', async () => {
    const rt = await make({ permissions: allowAllFs, limits: { maxFileSize: 100 } })
    expect(await guest(rt, `fs.writeFileSync('/tmp/a', Buffer.alloc(101))`)).toMatchObject({ code: 'EFBIG' })
    expect(await guest(rt, `fs.writeFileSync('/tmp/a', Buffer.alloc(100)); return fs.statSync('/tmp/a').size`)).toBe(100)
  })

  it('maxOpenFiles: EMFILE, per guest process', async () => {
    const rt = await make({ permissions: allowAllFs, limits: { maxOpenFiles: 5 } })
    const v = await guest(rt, `
      fs.writeFileSync('/tmp/f', '');
      const fds = [];
      try { for (;;) fds.push(fs.openSync('/tmp/f', 'r')) } catch (e) { return [fds.length, e.code, e.syscall, e.path] }`)
    expect(v).toEqual([5, 'EMFILE', 'open', '/tmp/f'])
    expect(await guest(rt, `return typeof fs.openSync('/tmp/f', 'r')`)).toBe('number')
  })

  it('maxPathLength: ENAMETOOLONG', async () => {
    const rt = await make({ permissions: allowAllFs, limits: { maxPathLength: 100 } })
    expect(await guest(rt, `fs.writeFileSync('/tmp/' + 'a/'.repeat(60) + 'x', '')`)).toMatchObject({ code: 'ENAMETOOLONG' })
    expect(await guest(rt, `fs.writeFileSync('/tmp/' + 'b'.repeat(256), '')`)).toMatchObject({ code: 'ENAMETOOLONG' })
  })

  it('a path over maxPathLength never reaches a host permission function', async () => {
    const asked: number[] = []
    const rt = await make({ permissions: { fs: (req) => (asked.push(req.scope === 'fs' ? req.path.length : -1), true) }, limits: { maxPathLength: 100 } })
    expect(await guest(rt, `fs.readFileSync('/tmp/' + 'a'.repeat(5000))`)).toMatchObject({ code: 'ENAMETOOLONG' })
    expect(await guest(rt, `process.chdir('/tmp'); fs.writeFileSync('b'.repeat(97), '')`)).toMatchObject({ code: 'ENAMETOOLONG' })
    expect(asked.every((n) => n <= 100)).toBe(true)
  })

  it('limits are range-checked at create()', async () => {
    await expect(NodeRuntime.create({ limits: { maxOpenFiles: 0 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(NodeRuntime.create({ limits: { maxFsBytes: -1 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(NodeRuntime.create({ limits: { maxPathLength: 10 } })).rejects.toBeInstanceOf(RangeError)
  })

  it('a deep tree and a symlink loop are bounded, not a crash', async () => {
    const rt = await make({ permissions: allowAllFs })
    const v = await guest(rt, `
      fs.mkdirSync('/tmp/' + 'd/'.repeat(2000), { recursive: true });
      fs.symlinkSync('/tmp/l2', '/tmp/l1'); fs.symlinkSync('/tmp/l1', '/tmp/l2');
      let loop; try { fs.readFileSync('/tmp/l1') } catch (e) { loop = e.code }
      fs.rmSync('/tmp/d', { recursive: true });
      return [loop, fs.existsSync('/tmp/d')]`)
    expect(v).toEqual(['ELOOP', false])
  })
})

describe('rt.fs (host side)', () => {
  it('seeds inputs and collects outputs, without the guest policy', async () => {
    const rt = await make({ permissions: { fs: { read: ['/workspace'], write: ['/workspace/out'] } } })
    await rt.fs.mkdir('/workspace/in')
    expect(await rt.fs.mkdir('/workspace/out/deep', { recursive: true })).toBe('/workspace/out')
    await rt.fs.writeFile('/workspace/in/data.json', JSON.stringify({ n: 41 }))
    await rt.fs.writeFile('/workspace/in/raw.bin', new Uint8Array([1, 2, 3]))
    await rt.run(`const fs = require('fs');
      const { n } = JSON.parse(fs.readFileSync('/workspace/in/data.json', 'utf8'));
      fs.writeFileSync('/workspace/out/result.txt', String(n + 1));`)
    expect(await rt.fs.readFile('/workspace/out/result.txt', 'utf8')).toBe('42')
    expect(await rt.fs.readFile('/workspace/in/raw.bin')).toEqual(Buffer.from([1, 2, 3]))
    expect((await rt.fs.readdir('/workspace')).sort()).toEqual(['in', 'out'])
    const st = await rt.fs.stat('/workspace/out/result.txt')
    expect([st.size, st.isFile(), st.isDirectory(), st.uid]).toEqual([2, true, false, 1000])
    expect(await rt.fs.exists('/workspace/in')).toBe(true)
    await rt.fs.rm('/workspace/in', { recursive: true })
    expect(await rt.fs.exists('/workspace/in')).toBe(false)
    // Relative paths start at the guest's home.
    await rt.fs.writeFile('rel.txt', 'r')
    expect(await rt.fs.readFile('/home/user/rel.txt', 'utf8')).toBe('r')
  })

  it('fails with the errors the guest would see', async () => {
    const rt = await make()
    await expect(rt.fs.readFile('/nope')).rejects.toMatchObject({
      code: 'ENOENT', errno: -2, syscall: 'open', path: '/nope', message: "ENOENT: no such file or directory, open '/nope'",
    })
    await expect(rt.fs.mkdir('/tmp')).rejects.toMatchObject({ code: 'EEXIST', syscall: 'mkdir' })
    await expect(rt.fs.rm('/tmp')).rejects.toMatchObject({ code: 'ERR_FS_EISDIR' })
    await expect(rt.fs.rm('/nope')).rejects.toMatchObject({ code: 'ENOENT' })
    await rt.fs.rm('/nope', { force: true })
    await expect(rt.fs.readFile(42 as any)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
    await rt.dispose()
    await expect(rt.fs.readFile('/etc/hostname')).rejects.toMatchObject({ code: 'ERR_SANDBOX_DISPOSED' })
  })

  it('a file too large for one message fails with a clear error, not a hang', async () => {
    const rt = await make({ permissions: allowAllFs, limits: { maxFileSize: 100 << 20, maxFsBytes: 200 << 20 } })
    await rt.run(`require('fs').writeFileSync('/tmp/big', Buffer.alloc(70 << 20))`)
    await expect(rt.fs.readFile('/tmp/big')).rejects.toMatchObject({ code: 'ERR_SANDBOX_RESULT_TOO_LARGE' })
    await expect(rt.fs.writeFile('/tmp/big2', new Uint8Array(70 << 20))).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    // The runtime goes on.
    expect(await rt.fs.exists('/tmp/big')).toBe(true)
  })

  it('is served while a guest runs', async () => {
    const rt = await make({ permissions: allowAllFs })
    const running = rt.run(`const fs = require('fs'); const end = Date.now() + 300; while (Date.now() < end); __return(fs.readFileSync('/tmp/during', 'utf8'))`)
    await new Promise((r) => setTimeout(r, 50))
    await rt.fs.writeFile('/tmp/during', 'seen')
    expect((await running).value).toBe('seen')
  })
})

describe('not supported here', () => {
  it('fs.watch and friends fail at once with a clear error', async () => {
    const rt = await make({ permissions: allowAllFs })
    const v = await rt.run<any>(`const fs = require('fs'); const out = [];
      for (const f of [() => fs.watch('/tmp'), () => fs.watchFile('/tmp', () => {}), () => fs.unwatchFile('/tmp')]) {
        try { f() } catch (e) { out.push([e.code, e.message]) }
      }
      __return(out)`)
    expect(v.value).toHaveLength(3)
    for (const [code, message] of v.value) {
      expect(code).toBe('ERR_SANDBOX_UNSUPPORTED')
      expect(message).toMatch(/not supported in this sandbox/)
    }
  })
})
