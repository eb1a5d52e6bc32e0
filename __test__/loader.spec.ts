import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '..')

describe('loader', () => {
  it('names both ABIs and npm rebuild when built for another Node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-abi-'))
    copyFileSync(join(root, 'index.js'), join(dir, 'index.js'))
    symlinkSync(join(root, 'binding.js'), join(dir, 'binding.js'))
    writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ modules: '999', node: 'v99.0.0' }))
    const r = spawnSync(process.execPath, ['-e', `try { require(${JSON.stringify(dir)}) } catch (e) { console.log(e.code + ' ' + e.message) }`], {
      encoding: 'utf8',
    })
    expect(r.stdout).toContain('ERR_SECURE_EXEC_ABI')
    expect(r.stdout).toContain('NODE_MODULE_VERSION 999')
    expect(r.stdout).toContain(`NODE_MODULE_VERSION ${process.versions.modules}`)
    expect(r.stdout).toContain('npm rebuild')
  })

  // Which file loaded the addon, in a package copy whose build-info.json says `info`.
  function loadedVia(info: object) {
    const dir = mkdtempSync(join(tmpdir(), 'se-load-'))
    copyFileSync(join(root, 'index.js'), join(dir, 'index.js'))
    symlinkSync(join(root, 'binding.js'), join(dir, 'binding.js'))
    const addon = readdirSync(root).find((f) => /^secure-exec\..*\.node$/.test(f))!
    symlinkSync(join(root, addon), join(dir, addon))
    writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ modules: process.versions.modules, ...info }))
    const r = spawnSync(
      process.execPath,
      ['-e', `const { NodeRuntime } = require(${JSON.stringify(dir)});
        const files = Object.keys(require.cache);
        console.log(JSON.stringify({ api: typeof NodeRuntime.create, binding: files.some((f) => f.endsWith('binding.js')), addon: files.some((f) => f.endsWith('.node')) }))`],
      { encoding: 'utf8' },
    )
    expect(r.stderr).toBe('')
    return { addon, ...JSON.parse(r.stdout) }
  }

  it('loads the addon the build recorded without the generated search, else through binding.js', () => {
    const direct = loadedVia({ addon: readdirSync(root).find((f) => /^secure-exec\..*\.node$/.test(f)) })
    expect(direct).toMatchObject({ api: 'function', binding: false, addon: true })
    // No record, a missing file, or a name that is not an addon of this package.
    for (const addon of [undefined, 'secure-exec.nowhere-x64-gnu.node', '../secure-exec.linux-x64-gnu.node', 'other.node']) {
      expect(loadedVia({ addon })).toMatchObject({ api: 'function', binding: true, addon: true })
    }
  })

  it('loads the build NAPI_RS_NATIVE_LIBRARY_PATH names instead of the recorded one', () => {
    const addon = readdirSync(root).find((f) => /^secure-exec\..*\.node$/.test(f))!
    const run = (path: string) =>
      spawnSync(process.execPath, ['-e', `try { require(${JSON.stringify(root)}); console.log('loaded', Object.keys(require.cache).some((f) => f.endsWith('binding.js'))) } catch (e) { console.log(e.code) }`], {
        encoding: 'utf8',
        env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: path },
      }).stdout
    expect(run(join(root, addon))).toBe('loaded true\n')
    expect(run(join(tmpdir(), 'no-such-secure-exec.node'))).toBe('ERR_SECURE_EXEC_LOAD\n')
  })

  it('reports the ABI it was built for', () => {
    const b = require(join(root, 'binding.js'))
    expect(String(b.buildInfo().modules)).toBe(process.versions.modules)
    // From the headers the C++ layer was compiled against.
    expect(b.buildInfo().nodeVersion).toBe(process.version)
  })
})
