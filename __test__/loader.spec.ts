// addon.js: which file index.js loads, and what it says when none fits.
// (Installing the packed packages is __test__/dist/install.spec.ts.)
import { spawnSync } from 'node:child_process'
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..')
const abi = process.versions.modules
const addon = readdirSync(root).find((f) => /^secure-exec\..*\.node$/.test(f))!

// The addon under another name (require.cache keeps a symlink's target).
function place(to: string) {
  try {
    linkSync(join(root, addon), to)
  } catch {
    copyFileSync(join(root, addon), to)
  }
}

// A copy of the package's JS in a temporary directory, with `info` as its
// build-info.json (none when null) and, when `prebuilt` is given, a
// platform package in its node_modules holding those files.
function packageCopy(info: object | null, opts: { local?: boolean; prebuilt?: string[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'se-load-'))
  copyFileSync(join(root, 'index.js'), join(dir, 'index.js'))
  copyFileSync(join(root, 'addon.js'), join(dir, 'addon.js'))
  if (opts.local) place(join(dir, addon))
  if (info !== null) writeFileSync(join(dir, 'build-info.json'), JSON.stringify(info))
  if (opts.prebuilt) {
    const pkg = join(dir, 'node_modules', 'secure-exec-linux-x64-gnu')
    mkdirSync(pkg, { recursive: true })
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'secure-exec-linux-x64-gnu', version: '0.1.0' }))
    for (const f of opts.prebuilt) place(join(pkg, f))
  }
  return dir
}

// What requiring the copy does: the addon file it loaded, or the error.
function load(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    ['-e', `try { require(${JSON.stringify(dir)}); console.log(JSON.stringify({ files: Object.keys(require.cache).filter((f) => f.endsWith('.node')).map((f) => require('path').relative(${JSON.stringify(dir)}, f)) })) }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }`],
    { encoding: 'utf8', env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: '', ...env } },
  )
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout)
}

describe('loader', () => {
  it('loads the build from source that build-info.json records', () => {
    expect(load(packageCopy({ modules: abi, addon }, { local: true }))).toEqual({ files: [addon] })
  })

  it('loads the prebuilt file of this ABI from the platform package when there is no build from source', () => {
    const files = [`secure-exec.abi${abi}.node`, 'secure-exec.abi1.node']
    expect(load(packageCopy(null, { prebuilt: files }))).toEqual({ files: [`node_modules/secure-exec-linux-x64-gnu/secure-exec.abi${abi}.node`] })
    // A record naming no file of this package, or a missing one, is no build.
    for (const bad of ['../secure-exec.linux-x64-gnu.node', 'other.node', 'secure-exec.nowhere-x64-gnu.node']) {
      expect(load(packageCopy({ modules: abi, addon: bad }, { prebuilt: files })).files).toEqual([`node_modules/secure-exec-linux-x64-gnu/secure-exec.abi${abi}.node`])
    }
  })

  it('a build for another Node with no prebuilt file: names both ABIs and npm rebuild', () => {
    const r = load(packageCopy({ modules: '999', node: 'v99.0.0', addon }, { local: true }))
    expect(r.code).toBe('ERR_SECURE_EXEC_ABI')
    expect(r.message).toContain('NODE_MODULE_VERSION 999 (Node.js v99.0.0)')
    expect(r.message).toContain(`NODE_MODULE_VERSION ${abi} (Node.js ${process.version})`)
    expect(r.message).toContain('npm rebuild secure-exec')
    // A prebuilt file for this ABI wins over a stale build from source.
    expect(load(packageCopy({ modules: '999', addon }, { local: true, prebuilt: [`secure-exec.abi${abi}.node`] })).files).toEqual([
      `node_modules/secure-exec-linux-x64-gnu/secure-exec.abi${abi}.node`,
    ])
  })

  it('nothing fits: says which ABIs the platform package has, or that none is installed', () => {
    const other = load(packageCopy(null, { prebuilt: ['secure-exec.abi1.node', 'secure-exec.abi2.node'] }))
    expect(other.code).toBe('ERR_SECURE_EXEC_NO_ADDON')
    expect(other.message).toContain(`no native addon for Node.js ${process.version} (NODE_MODULE_VERSION ${abi}) on linux-${process.arch}`)
    expect(other.message).toContain('the installed prebuilt files are for NODE_MODULE_VERSION 1, 2 only')
    const none = load(packageCopy(null))
    expect(none.code).toBe('ERR_SECURE_EXEC_NO_ADDON')
    expect(none.message).toContain(`no prebuilt package for linux-${process.arch} is installed`)
    expect(none.message).toContain('`npm rebuild secure-exec` (needs Rust and a C++ compiler)')
  })

  it('loads the file NAPI_RS_NATIVE_LIBRARY_PATH names instead of any other', () => {
    const dir = packageCopy({ modules: abi, addon }, { local: true })
    const other = join(mkdtempSync(join(tmpdir(), 'se-override-')), 'mine.node')
    copyFileSync(join(root, addon), other)
    expect(load(dir, { NAPI_RS_NATIVE_LIBRARY_PATH: other }).files).toEqual([require('node:path').relative(dir, other)])
    expect(load(dir, { NAPI_RS_NATIVE_LIBRARY_PATH: join(tmpdir(), 'no-such-secure-exec.node') }).code).toBe('ERR_SECURE_EXEC_LOAD')
  })

  it('reports the ABI it was built for', () => {
    const b = require(join(root, addon))
    expect(String(b.buildInfo().modules)).toBe(abi)
    // From the headers the C++ layer was compiled against.
    expect(b.buildInfo().nodeVersion).toBe(process.version)
  })
})
