// require() of files and packages, resolved by oxc_resolver over the VFS
// and mounts: the same project run by host Node and in the sandbox (mounted
// at the same path) prints the same.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allowAllFs } from '../index.js'
import { perTestRuntimes } from './helpers'

const make = perTestRuntimes()
let root: string

const files: Record<string, string> = {
  'node_modules/dep/package.json': JSON.stringify({
    name: 'dep', main: 'lib/index.js',
    exports: { '.': { require: './lib/index.js', import: './lib/index.mjs' }, './util': './lib/util.js', './feature/*': './lib/features/*.js' },
  }),
  'node_modules/dep/lib/index.js': "exports.name = 'dep'; exports.util = require('dep/util'); exports.self = __filename.endsWith('index.js')",
  'node_modules/dep/lib/util.js': "module.exports = 'util!'",
  'node_modules/dep/lib/features/x.js': "module.exports = 'feature x'",
  'node_modules/dep/lib/index.mjs': "export const name = 'dep-esm'",
  'node_modules/old/package.json': JSON.stringify({ name: 'old', main: './main' }),
  'node_modules/old/main.js': "module.exports = { old: true, nested: require('nested') }",
  'node_modules/old/node_modules/nested/index.js': "module.exports = 'nested in old'",
  'node_modules/nested/index.js': "module.exports = 'top-level nested'",
  'lib/data.json': '\ufeff{"a": [1, 2]}',
  'lib/bad.json': '{ nope',
  'lib/a.js': "const b = require('./b'); exports.a = 'A'; exports.fromB = b.b;",
  'lib/b.js': "const a = require('./a'); exports.b = 'B'; exports.partialA = Object.keys(a).join();",
  'lib/dir/index.js': "module.exports = 'dir index'",
  'lib/throws.js': "exports.before = 1; throw new Error('boom');",
  'main.js': `
const dep = require('dep');
console.log(dep.name, dep.util, dep.self, require('dep/feature/x'), require('old'), require('nested'));
console.log(require('./lib/data.json'), require('./lib/data').a, require('./lib/dir'), require('./lib/dir/'));
console.log(require('./lib/a'), require('./lib/b'));
console.log(require.resolve('dep').replace(__dirname, '.'), require.resolve('./lib/a.js').replace(__dirname, '.'));
for (const id of ['dep/lib/util.js', './nope', 'missing-pkg', './lib/bad.json', './lib/throws']) {
  try { require(id) } catch (e) { console.log(e.code, e.name, e.message.split('\\n')[0].replace(__dirname, '.')) }
}
try { require('./lib/throws') } catch (e) { console.log('again', e.message) }
console.log(Object.keys(require.cache).length, module.children.length, require.cache[__filename] === module);
`,
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'se-require-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true })
    writeFileSync(join(root, name), text)
  }
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('require of files and packages', () => {
  it('resolves and loads as host Node does, over a mount', async () => {
    const host = spawnSync(process.execPath, [join(root, 'main.js')], { encoding: 'utf8' })
    const rt = await make({ permissions: allowAllFs, mounts: [{ hostPath: root, guestPath: root }] })
    const guest = await rt.exec(files['main.js'], { filePath: join(root, 'main.js') })
    expect(guest.stderr).toBe('')
    expect(guest.stdout).toBe(host.stdout)
  })

  it('loads from the VFS too', async () => {
    const rt = await make({ permissions: allowAllFs })
    await rt.fs.mkdir('/workspace/node_modules/tiny', { recursive: true })
    await rt.fs.writeFile('/workspace/node_modules/tiny/index.js', "module.exports = (x) => x * 2")
    await rt.fs.writeFile('/workspace/helper.js', "module.exports = require('tiny')(21)")
    const r = await rt.run(`__return(require('./helper'))`, { filePath: '/workspace/main.js' })
    expect(r.value).toBe(42)
  })

  it('needs fs permission: denied by default, and fs rules judge every path the search touches', async () => {
    const denied = await make({})
    const r1 = await denied.run(`try { require('./x') } catch (e) { __return([e.code, e.errno]) }`, { filePath: '/workspace/main.js' })
    expect(r1.value).toEqual(['EACCES', -13])

    const rules = await make({ permissions: { fs: { read: ['/workspace/src/**'] } } })
    await rules.fs.mkdir('/workspace/src', { recursive: true })
    await rules.fs.mkdir('/workspace/node_modules/tiny', { recursive: true })
    await rules.fs.writeFile('/workspace/src/ok.js', "module.exports = 'ok'")
    await rules.fs.writeFile('/workspace/node_modules/tiny/index.js', "module.exports = 'tiny'")
    await rules.fs.writeFile('/tmp/secret.js', "module.exports = 'secret'")
    const r2 = await rules.run(`const fs = require('fs'); const out = [require('./ok')];
      for (const id of ['tiny', 'absent-pkg', './nope']) { try { out.push(require(id)) } catch (e) { out.push([e.code, e.path]) } }
      __return(out)`, { filePath: '/workspace/src/main.js' })
    // A refused package fails the same whether it is there or not.
    const [ok, tiny, absent, nope] = r2.value as any[]
    expect([ok, tiny, nope]).toEqual(['ok', ['EACCES', '/workspace/node_modules/tiny/package.json'], ['MODULE_NOT_FOUND', undefined]])
    expect(absent[0]).toBe('EACCES')
    expect(absent[1]).toMatch(/node_modules/)

    const wide = await make({ permissions: { fs: { read: ['/workspace/**'] } } })
    await wide.fs.mkdir('/workspace/node_modules/tiny', { recursive: true })
    await wide.fs.writeFile('/workspace/node_modules/tiny/index.js', "module.exports = 'tiny'")
    const r4 = await wide.run(`__return(require('tiny'))`, { filePath: '/workspace/src/main.js' })
    expect(r4.value).toBe('tiny')
  })

  it('a host permission function is asked about every path the resolution reads', async () => {
    const asked: string[] = []
    const fn = await make({
      permissions: {
        fs: (req: { op: string; access?: string; path?: string }) => {
          asked.push(`${req.op} ${req.access} ${req.path}`)
          return !req.path!.includes("/secret")
        },
      },
    })
    await fn.fs.mkdir('/workspace/node_modules/tiny', { recursive: true })
    await fn.fs.writeFile('/workspace/node_modules/tiny/index.js', "module.exports = 'tiny'")
    await fn.fs.mkdir('/workspace/node_modules/secret', { recursive: true })
    await fn.fs.writeFile('/workspace/node_modules/secret/index.js', "module.exports = 'secret'")
    const r = await fn.run(`const out = [require('tiny')];
      try { require('secret') } catch (e) { out.push(e.code) }
      import('tiny').then((m) => { out.push(m.default); __return(out) })`, { filePath: '/workspace/main.js' })
    expect(r.value).toEqual(['tiny', 'EACCES', 'tiny'])
    expect(asked).toContain('open read /workspace/node_modules/tiny/index.js')
    expect(asked.some((a) => a.startsWith('stat read /workspace/node_modules/secret'))).toBe(true)
  })

  it('a link out of the allowed tree is refused, not followed', async () => {
    const rt = await make({ permissions: { fs: { read: ['/workspace/**'], write: ['/workspace/**'] } } })
    await rt.fs.writeFile('/tmp/secret.js', "module.exports = 'secret'")
    const r = await rt.run(`require('fs').symlinkSync('/tmp/secret.js', '/workspace/evil.js');
      try { __return(require('./evil')) } catch (e) { __return([e.code, e.path]) }`, { filePath: '/workspace/main.js' })
    expect(r.value).toEqual(['EACCES', '/workspace/evil.js'])
  })

  it('refuses native addons by path', async () => {
    const rt = await make({ permissions: allowAllFs })
    await rt.fs.writeFile('/workspace/addon.node', 'not really')
    const r = await rt.run(`try { require('./addon.node') } catch (e) { __return(e.code) }`, { filePath: '/workspace/main.js' })
    expect(r.value).toBe('ERR_SANDBOX_NATIVE_ADDON')
  })

  it('bounds what a request may cost', async () => {
    const rt = await make({ permissions: allowAllFs })
    const r = await rt.run(`const out = [];
      try { require('x'.repeat(10000)) } catch (e) { out.push(e.code) }
      let misses = 0;
      for (let i = 0; i < 10000; i++) { try { require.resolve('./nope' + i) } catch { misses++ } }
      out.push(misses);
      __return(out)`, { filePath: '/workspace/main.js' })
    expect(r.value).toEqual(['ENAMETOOLONG', 10000])
  })

  it('module.createRequire makes a require for any file (path or file URL)', async () => {
    const rt = await make({ permissions: allowAllFs })
    await rt.fs.mkdir('/workspace/lib', { recursive: true })
    await rt.fs.writeFile('/workspace/lib/x.js', "module.exports = 'x'")
    const r = await rt.run(`const m = require('module');
      const out = [m === require('node:module'), m.isBuiltin('fs'), m.isBuiltin('nope'), m.builtinModules.includes('fs')];
      out.push(m.createRequire('/workspace/main.js')('./lib/x'), m.createRequire('file:///workspace/')('./lib/x'),
        m.createRequire(new URL('file:///workspace/lib/y.js'))('./x'));
      for (const bad of ['relative', 1]) { try { m.createRequire(bad) } catch (e) { out.push([e.code, e.message]) } }
      __return(out)`)
    expect(r.value).toEqual([true, true, false, true, 'x', 'x', 'x',
      ['ERR_INVALID_ARG_VALUE', "The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received 'relative'"],
      ['ERR_INVALID_ARG_VALUE', "The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received 1"]])
  })
})
