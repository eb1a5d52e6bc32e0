// Issue 7 attack review (docs/attack-review-issue-7.md): ways around the fs
// policy and out of a mount's reach, each the variant that got through.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { allowAllFs, NodeRuntime, type RuntimeOptions } from '../../index.js'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'se-fs-escape-'))
  mkdirSync(join(root, 'pub'))
  mkdirSync(join(root, 'private'))
  writeFileSync(join(root, 'pub/x'), 'public')
  writeFileSync(join(root, 'private/key'), 'private key')
  // A dangling link from the allowed part into the denied one, and a link
  // in the denied part pointing into the allowed one.
  symlinkSync('../private/new', join(root, 'pub/dangling'))
  symlinkSync('../pub/x', join(root, 'private/to-pub'))
  execFileSync('mkfifo', [join(root, 'pub/fifo')])
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const runtimes: NodeRuntime[] = []
async function make(options: RuntimeOptions) {
  const rt = await NodeRuntime.create(options)
  runtimes.push(rt)
  return rt
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((rt) => rt.dispose()))
})

async function guest(rt: NodeRuntime, body: string) {
  const r = await rt.run<any>(`const fs = require('fs'); const t = (f) => { try { return f() } catch (e) { return e.code } };
    (async () => { ${body} })().then(__return)`)
  return r.value
}

describe('the fs policy judges where a write lands', () => {
  it('a dangling symlink in a writable place does not create its target in a denied one', async () => {
    const rt = await make({ permissions: { fs: { read: ['/tmp/**'], write: ['/tmp/**'] } } })
    const v = await guest(rt, `
      fs.symlinkSync('/home/user/planted', '/tmp/a');
      fs.symlinkSync('/home/user/planted2', '/tmp/b');
      fs.symlinkSync('/tmp/c2', '/tmp/c1'); fs.symlinkSync('/home/user/planted3', '/tmp/c2');
      fs.symlinkSync('/home/user/planted4', '/tmp/d');
      return [
        t(() => fs.writeFileSync('/tmp/a', 'x')),
        t(() => fs.openSync('/tmp/b', 'w')),
        t(() => fs.appendFileSync('/tmp/c1', 'x')),
        await fs.promises.writeFile('/tmp/d', 'x').then(() => 'written', (e) => e.code),
        t(() => fs.copyFileSync('/tmp/a', '/tmp/ok')),
      ]`)
    expect(v).toEqual(['EACCES', 'EACCES', 'EACCES', 'EACCES', 'EACCES'])
    for (const n of ['planted', 'planted2', 'planted3', 'planted4']) expect(await rt.fs.exists(`/home/user/${n}`)).toBe(false)
    // mkdir does not follow a link, but a trailing slash makes the walk do so.
    const dirs = await guest(rt, `
      fs.symlinkSync('/home/user/newdir', '/tmp/dd');
      return [t(() => fs.mkdirSync('/tmp/dd/')), t(() => fs.mkdirSync('/tmp/dd/', { recursive: true })), t(() => fs.mkdirSync('/tmp/dd'))]`)
    expect(dirs).toEqual(['EACCES', 'EACCES', 'EEXIST'])
    expect(await rt.fs.exists('/home/user/newdir')).toBe(false)
    // Still fine where the target is allowed.
    expect(await guest(rt, `fs.symlinkSync('/tmp/new', '/tmp/e'); fs.writeFileSync('/tmp/e', 'ok'); return fs.readFileSync('/tmp/new', 'utf8')`)).toBe('ok')
  })

  it('a hard link does not make a write-denied file writable', async () => {
    const rt = await make({ permissions: { fs: { read: ['/'], write: ['/tmp/**'] } } })
    await rt.fs.writeFile('/home/user/config', 'original')
    const v = await guest(rt, `return [t(() => fs.linkSync('/home/user/config', '/tmp/h')), t(() => fs.writeFileSync('/tmp/h', 'changed'))]`)
    expect(v[0]).toBe('EACCES')
    expect(String(await rt.fs.readFile('/home/user/config'))).toBe('original')
  })
})

describe('host permission functions that say cache', () => {
  it('a kept answer for reading a path never answers a write to it (both are open)', async () => {
    const asked: string[] = []
    const rt = await make({
      permissions: { fs: (req) => (asked.push(`${req.op} ${(req as any).access}`), { allow: (req as any).access === 'read', cache: true }) },
    })
    await rt.fs.writeFile('/home/user/config', 'original')
    const v = await guest(rt, `return [
      t(() => fs.readFileSync('/home/user/config', 'utf8')),
      t(() => fs.writeFileSync('/home/user/config', 'changed')),
      t(() => fs.openSync('/home/user/config', 'r+')),
      t(() => fs.readFileSync('/home/user/config', 'utf8')),
    ]`)
    expect(v).toEqual(['original', 'EACCES', 'EACCES', 'original'])
    expect(asked).toEqual(['open read', 'open write'])
    expect(String(await rt.fs.readFile('/home/user/config'))).toBe('original')
  })
})

describe('mounts', () => {
  const mounted = (readOnly = false): RuntimeOptions['mounts'] => [{ hostPath: root, guestPath: '/m', readOnly }]

  it('a dangling host symlink does not let a write land in a denied part of the mount', async () => {
    const rt = await make({ permissions: { fs: { read: ['/m/pub/**'], write: ['/m/pub/**'] } }, mounts: mounted() })
    const v = await guest(rt, `return [t(() => fs.writeFileSync('/m/pub/dangling', 'x')), t(() => fs.openSync('/m/pub/dangling', 'a'))]`)
    expect(v).toEqual(['EACCES', 'EACCES'])
    expect(existsSync(join(root, 'private/new'))).toBe(false)
  })

  it('an op on a link itself is judged on the link, not where it points', async () => {
    const rt = await make({ permissions: { fs: { read: ['/m/pub/**'], write: ['/m/pub/**'] } }, mounts: mounted() })
    const v = await guest(rt, `return [
      t(() => fs.unlinkSync('/m/private/to-pub')),
      t(() => fs.renameSync('/m/private/to-pub', '/m/pub/moved')),
      t(() => fs.readlinkSync('/m/private/to-pub')),
      t(() => fs.lstatSync('/m/private/to-pub').isSymbolicLink()),
      t(() => fs.readFileSync('/m/private/to-pub', 'utf8')),
    ]`)
    expect(v).toEqual(['EACCES', 'EACCES', 'EACCES', 'EACCES', 'public'])
    expect(existsSync(join(root, 'private/to-pub'))).toBe(true)
  })

  it('a FIFO in a mount is refused at once, and never wedges the shared sidecar', async () => {
    const a = await make({ sidecar: 'shared', permissions: allowAllFs, mounts: mounted(true), limits: { wallTimeMs: 3000 } })
    const b = await make({ sidecar: 'shared', permissions: allowAllFs })
    const started = Date.now()
    const v = await guest(a, `return [
      t(() => fs.readFileSync('/m/pub/fifo')),
      t(() => fs.openSync('/m/pub/fifo', 'r')),
      await fs.promises.readFile('/m/pub/fifo').then(() => 'read', (e) => e.code),
      fs.statSync('/m/pub/fifo').isFIFO(),
    ]`)
    expect(v).toEqual(['ENOTSUP', 'ENOTSUP', 'ENOTSUP', true])
    expect((await b.run<number>('__return(1)')).value).toBe(1)
    expect(Date.now() - started).toBeLessThan(2500)
  })

  it('maxFileSize holds on a writable mount: no huge sparse file on the host', async () => {
    const rt = await make({ permissions: allowAllFs, mounts: mounted(), limits: { maxFileSize: 1 << 20 } })
    const v = await guest(rt, `
      fs.writeFileSync('/m/pub/grow', 'x'.repeat(1000));
      const fd = fs.openSync('/m/pub/grow', 'r+');
      const afd = fs.openSync('/m/pub/grow', 'a');
      return [
        t(() => fs.writeSync(fd, 'x', 2 ** 40)),
        t(() => fs.writeSync(fd, 'x', (1 << 20) - 1)),
        t(() => fs.truncateSync('/m/pub/grow', 2 ** 40)),
        t(() => fs.writeSync(afd, Buffer.alloc(1 << 20))),
        t(() => fs.appendFileSync('/m/pub/grow', Buffer.alloc(1 << 20))),
        t(() => fs.writeFileSync('/m/pub/grow2', Buffer.alloc((1 << 20) + 1))),
      ]`)
    expect(v).toEqual(['EFBIG', 1, 'EFBIG', 'EFBIG', 'EFBIG', 'EFBIG'])
    expect(statSync(join(root, 'pub/grow')).size).toBe(1 << 20)
    expect(existsSync(join(root, 'pub/grow2'))).toBe(false)
    expect(readFileSync(join(root, 'pub/x'), 'utf8')).toBe('public')
  })
})

describe('a mount whose host directory moved after create()', () => {
  it('still resolves links for the policy (no lexical judgement of a path the host follows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-fs-moved-'))
    mkdirSync(join(dir, 'pub'))
    mkdirSync(join(dir, 'private'))
    writeFileSync(join(dir, 'private/key'), 'private key')
    symlinkSync('../private/key', join(dir, 'pub/link'))
    const rt = await make({ permissions: { fs: { read: ['/m/pub/**'] } }, mounts: [{ hostPath: dir, guestPath: '/m' }] })
    const code = `const fs = require('fs'); const t = (f) => { try { return f() } catch (e) { return e.code } };
      __return([t(() => fs.readFileSync('/m/pub/link', 'utf8')), t(() => fs.realpathSync('/m/pub/link'))])`
    expect((await rt.run(code)).value).toEqual(['EACCES', 'EACCES'])
    renameSync(dir, `${dir}-moved`)
    try {
      expect((await rt.run(code)).value).toEqual(['EACCES', 'EACCES'])
    } finally {
      rmSync(`${dir}-moved`, { recursive: true, force: true })
    }
  })
})

describe('a link swapped by another process between the check and the use', () => {
  it('never lets a read or a write land on the denied file it points to for a moment', async () => {
    const rt = await NodeRuntime.create({
      permissions: { fs: { read: ['/tmp'], write: ['/tmp'] }, childProcess: 'allow' },
      limits: { cpuTimeMs: 8000, wallTimeMs: 10000 },
    })
    try {
      await rt.fs.writeFile('/home/user/key', 'SECRET')
      // A child on its own thread swaps /tmp/link between an allowed and
      // a denied file while the parent reads and appends through it.
      const r = await rt.run<Record<string, number>>(`
        const fs = require('fs');
        fs.writeFileSync('/tmp/ok', 'ok'); fs.symlinkSync('/tmp/ok', '/tmp/link');
        const child = require('child_process').spawn('node', ['-e', \`
          const fs = require('fs'); let i = 0; process.stdout.write('go');
          const end = Date.now() + 400;
          while (Date.now() < end) { fs.symlinkSync(i++ % 2 ? '/tmp/ok' : '/home/user/key', '/tmp/new'); fs.renameSync('/tmp/new', '/tmp/link') }\`]);
        child.stdout.once('data', () => {
          const seen = {};
          for (let i = 0; i < 3000; i++) {
            let v; try { v = fs.readFileSync('/tmp/link', 'utf8').slice(0, 6) } catch (e) { v = e.code }
            seen[v] = (seen[v] || 0) + 1;
            try { fs.appendFileSync('/tmp/link', '+') } catch {}
          }
          child.on('close', () => __return(seen));
        });`)
      const seen = r.value ?? {}
      expect(Object.keys(seen).some((k) => k.startsWith('SECRET'))).toBe(false)
      expect(seen.EACCES).toBeGreaterThan(0)
      expect(await rt.fs.readFile('/home/user/key', 'utf8')).toBe('SECRET')
    } finally {
      await rt.dispose()
    }
  })
})
