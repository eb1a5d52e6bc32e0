import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
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

  it('reports the ABI it was built for', () => {
    const b = require(join(root, 'binding.js'))
    expect(String(b.buildInfo().modules)).toBe(process.versions.modules)
    // From the headers the C++ layer was compiled against.
    expect(b.buildInfo().nodeVersion).toBe(process.version)
  })
})
