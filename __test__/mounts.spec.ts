// Host directories mounted into the VFS: served beneath the directory the
// host opened at create() (openat2 RESOLVE_BENEATH), so no `..` or symlink
// leaves it; read-only by default; checked against the fs scope like any
// other path; never showing a host path to the guest.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allowAllFs, NodeRuntime } from '../index.js'
import { perTestRuntimes } from './helpers'

let root: string
let secret: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'se-mounts-'))
  secret = join(root, 'secret.txt')
  writeFileSync(secret, 'host secret')
  const proj = join(root, 'proj')
  mkdirSync(join(proj, 'node_modules/pkg/lib'), { recursive: true })
  mkdirSync(join(proj, 'private'), { recursive: true })
  writeFileSync(join(proj, 'node_modules/pkg/package.json'), '{"name":"pkg"}')
  writeFileSync(join(proj, 'node_modules/pkg/lib/index.js'), 'module.exports = 42')
  writeFileSync(join(proj, 'private/key'), 'private key')
  symlinkSync('lib/index.js', join(proj, 'node_modules/pkg/main.js'))
  symlinkSync(secret, join(proj, 'node_modules/pkg/abs-link'))
  symlinkSync('../../../secret.txt', join(proj, 'node_modules/pkg/rel-link'))
  symlinkSync('/etc', join(proj, 'node_modules/pkg/etc-link'))
  symlinkSync('../../private/key', join(proj, 'node_modules/pkg/inside-link'))
  mkdirSync(join(root, 'out'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const make = perTestRuntimes()

async function guest(rt: NodeRuntime, body: string) {
  const r = await rt.run<any>(`const fs = require('fs'); const t = (f) => { try { return f() } catch (e) { return [e.code, e.message] } };
    (async () => { ${body} })().then(__return)`)
  return r.value
}

describe('mounts', () => {
  it('show the host directory in the guest tree, read-only by default', async () => {
    const rt = await make({ permissions: allowAllFs, mounts: [{ hostPath: join(root, 'proj'), guestPath: '/app' }] })
    const v = await guest(rt, `return [
      fs.readdirSync('/app').sort(),
      fs.readFileSync('/app/node_modules/pkg/lib/index.js', 'utf8'),
      fs.readFileSync('/app/node_modules/pkg/main.js', 'utf8'),
      fs.statSync('/app/node_modules/pkg/package.json').size,
      fs.lstatSync('/app/node_modules/pkg/main.js').isSymbolicLink(),
      fs.readlinkSync('/app/node_modules/pkg/main.js'),
      fs.realpathSync('/app/node_modules/pkg/main.js'),
      fs.existsSync('/app/nope'),
      fs.readdirSync('/app/node_modules/pkg', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name),
      t(() => fs.writeFileSync('/app/x', 'y')),
      t(() => fs.mkdirSync('/app/d')),
      t(() => fs.unlinkSync('/app/node_modules/pkg/package.json')),
      await fs.promises.readFile('/app/node_modules/pkg/package.json', 'utf8'),
    ]`)
    expect(v).toEqual([
      ['node_modules', 'private'],
      'module.exports = 42',
      'module.exports = 42',
      14,
      true,
      'lib/index.js',
      '/app/node_modules/pkg/lib/index.js',
      false,
      ['lib'],
      ['EROFS', "EROFS: read-only file system, open '/app/x'"],
      ['EROFS', "EROFS: read-only file system, mkdir '/app/d'"],
      ['EROFS', "EROFS: read-only file system, unlink '/app/node_modules/pkg/package.json'"],
      '{"name":"pkg"}',
    ])
  })

  it('no symlink or .. leaves the mount: EACCES by construction', async () => {
    const rt = await make({ permissions: allowAllFs, mounts: [{ hostPath: join(root, 'proj/node_modules'), guestPath: '/workspace/node_modules' }] })
    const v = await guest(rt, `const m = '/workspace/node_modules/pkg/';
      return [
        t(() => fs.readFileSync(m + 'abs-link', 'utf8')),
        t(() => fs.readFileSync(m + 'rel-link', 'utf8')),
        t(() => fs.readdirSync(m + 'etc-link')),
        t(() => fs.readFileSync(m + 'inside-link', 'utf8')),
        t(() => fs.statSync(m + '../../../secret.txt').size),
        t(() => fs.readFileSync('/workspace/node_modules/../node_modules/pkg/package.json', 'utf8')),
        t(() => fs.realpathSync(m + 'abs-link')),
        // A link made in the VFS into the mount is fine; out of it, still refused.
        (fs.symlinkSync('/workspace/node_modules/pkg/lib', '/tmp/lib'), fs.readdirSync('/tmp/lib')),
        (fs.symlinkSync('/workspace/node_modules/pkg/rel-link', '/tmp/esc'), t(() => fs.readFileSync('/tmp/esc', 'utf8'))),
      ]`)
    expect(v).toEqual([
      ['EACCES', "EACCES: permission denied, open '/workspace/node_modules/pkg/abs-link'"],
      ['EACCES', "EACCES: permission denied, open '/workspace/node_modules/pkg/rel-link'"],
      ['EACCES', "EACCES: permission denied, scandir '/workspace/node_modules/pkg/etc-link'"],
      ['EACCES', "EACCES: permission denied, open '/workspace/node_modules/pkg/inside-link'"],
      ['EACCES', "EACCES: permission denied, stat '/workspace/node_modules/pkg/../../../secret.txt'"],
      '{"name":"pkg"}',
      ['EACCES', "EACCES: permission denied, realpath '/workspace/node_modules/pkg/abs-link'"],
      ['index.js'],
      ['EACCES', "EACCES: permission denied, open '/tmp/esc'"],
    ])
    expect(JSON.stringify(v)).not.toContain(root)
  })

  it('writable mounts write to the host; moves out of a mount are EXDEV; some ops are not supported there', async () => {
    const out = join(root, 'out')
    const rt = await make({ permissions: allowAllFs, mounts: [{ hostPath: out, guestPath: '/out', readOnly: false }] })
    const v = await guest(rt, `
      fs.mkdirSync('/out/a/b', { recursive: true });
      fs.writeFileSync('/out/a/b/result.txt', 'from the guest');
      fs.appendFileSync('/out/a/b/result.txt', '!');
      const fd = fs.openSync('/out/log.txt', 'w'); fs.writeSync(fd, 'line 1\\n'); fs.writeSync(fd, 'line 2\\n'); fs.closeSync(fd);
      fs.renameSync('/out/log.txt', '/out/a/log.txt');
      fs.writeFileSync('/tmp/local', 'x');
      return [
        t(() => fs.renameSync('/tmp/local', '/out/local')),
        t(() => fs.symlinkSync('/etc/passwd', '/out/link')),
        t(() => fs.chmodSync('/out/a', 0o777)),
        (fs.copyFileSync('/tmp/local', '/out/copied'), fs.readFileSync('/out/copied', 'utf8')),
        fs.readdirSync('/out').sort(),
        (fs.rmSync('/out/copied'), fs.existsSync('/out/copied')),
      ]`)
    expect(v).toEqual([
      ['EXDEV', "EXDEV: cross-device link not permitted, rename '/tmp/local' -> '/out/local'"],
      ['ENOTSUP', "ENOTSUP: operation not supported on socket, symlink '/etc/passwd' -> '/out/link'"],
      ['ENOTSUP', "ENOTSUP: operation not supported on socket, chmod '/out/a'"],
      'x',
      ['a', 'copied'],
      false,
    ])
    expect(readFileSync(join(out, 'a/b/result.txt'), 'utf8')).toBe('from the guest!')
    expect(readFileSync(join(out, 'a/log.txt'), 'utf8')).toBe('line 1\nline 2\n')
  })

  it('are checked against the fs scope on the path the host resolves', async () => {
    const rt = await make({
      permissions: { fs: { read: ['/app/node_modules/**'] } },
      mounts: [{ hostPath: join(root, 'proj'), guestPath: '/app' }],
    })
    const v = await guest(rt, `return [
      t(() => fs.readFileSync('/app/node_modules/pkg/main.js', 'utf8')),
      t(() => fs.readFileSync('/app/private/key', 'utf8')),
      t(() => fs.readFileSync('/app/node_modules/pkg/inside-link', 'utf8')),
    ]`)
    expect(v).toEqual([
      'module.exports = 42',
      ['EACCES', "EACCES: permission denied, open '/app/private/key'"],
      ['EACCES', "EACCES: permission denied, open '/app/node_modules/pkg/inside-link'"],
    ])
  })

  it('moduleAccess mounts the project\'s node_modules read-only in one line', async () => {
    const rt = await make({ permissions: allowAllFs, moduleAccess: { cwd: join(root, 'proj') } })
    const v = await guest(rt, `return [fs.readdirSync('/workspace/node_modules'), t(() => fs.writeFileSync('/workspace/node_modules/x', ''))[0]]`)
    expect(v).toEqual([['pkg'], 'EROFS'])
  })

  it('files a call leaves open are closed when it ends', async () => {
    const rt = await make({ permissions: allowAllFs, mounts: [{ hostPath: join(root, 'proj'), guestPath: '/app' }], limits: { maxOpenFiles: 8 } })
    const first = await guest(rt, `const fds = []; for (let i = 0; i < 8; i++) fds.push(fs.openSync('/app/node_modules/pkg/package.json')); return t(() => fs.openSync('/app/node_modules/pkg/package.json'))[0]`)
    expect(first).toBe('EMFILE')
    expect(await guest(rt, `const fd = fs.openSync('/app/node_modules/pkg/package.json'); return fs.readFileSync(fd, 'utf8')`)).toBe('{"name":"pkg"}')
  })

  it('work in a shared sidecar', async () => {
    const rt = await make({ sidecar: 'shared', permissions: allowAllFs, mounts: [{ hostPath: join(root, 'proj'), guestPath: '/app' }] })
    expect(await guest(rt, `return fs.readFileSync('/app/node_modules/pkg/lib/index.js', 'utf8')`)).toBe('module.exports = 42')
  })

  it('refuse bad mount options at create()', async () => {
    const bad: any[] = [
      [{ hostPath: join(root, 'nope'), guestPath: '/x' }],
      [{ hostPath: root, guestPath: 'relative' }],
      [{ hostPath: root, guestPath: '/' }],
      [{ hostPath: root, guestPath: '/a' }, { hostPath: root, guestPath: '/a/b' }],
      [{ hostPath: root, guestPath: '/a', readOnly: 'no' }],
      'not-an-array',
    ]
    for (const mounts of bad) {
      await expect(NodeRuntime.create({ mounts }), JSON.stringify(mounts)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_(INVALID_ARG_VALUE|INVALID_ARG_TYPE|SANDBOX_MOUNT)$/) })
    }
    await expect(NodeRuntime.create({ moduleAccess: { cwd: join(root, 'out') } })).rejects.toMatchObject({ code: 'ERR_SANDBOX_MOUNT' })
  })
})
