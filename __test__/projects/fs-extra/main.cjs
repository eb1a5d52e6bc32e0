// fs-extra (CommonJS; graceful-fs patches fs, universalify): directories,
// JSON, copy, move, remove, links, in a new directory under os.tmpdir()
// (the sandbox's own /tmp), printed relative to it.
'use strict'
const os = require('os')
const path = require('path')
const fse = require('fs-extra')

async function main() {
  const base = await fse.mkdtemp(path.join(os.tmpdir(), 'se-matrix-'))
  const rel = (p) => path.relative(base, p)
  const tree = async (dir) => (await fse.readdir(dir, { recursive: true })).sort()
  try {
    await fse.ensureDir(path.join(base, 'a/b/c'))
    await fse.outputFile(path.join(base, 'a/b/c/file.txt'), 'hello')
    await fse.outputJson(path.join(base, 'conf/settings.json'), { name: 'matrix', list: [1, 2] }, { spaces: 2 })
    console.log(await fse.readJson(path.join(base, 'conf/settings.json')), await fse.readFile(path.join(base, 'conf/settings.json'), 'utf8'))
    await fse.copy(path.join(base, 'a'), path.join(base, 'copy'), { filter: (src) => !src.endsWith('.tmp') })
    await fse.move(path.join(base, 'copy/b/c/file.txt'), path.join(base, 'moved/file.txt'))
    await fse.ensureSymlink(path.join(base, 'moved/file.txt'), path.join(base, 'links/to-file'))
    await fse.ensureLink(path.join(base, 'moved/file.txt'), path.join(base, 'links/hard'))
    console.log(await tree(base))
    console.log(await fse.pathExists(path.join(base, 'copy/b/c/file.txt')), fse.pathExistsSync(path.join(base, 'moved/file.txt')), rel(await fse.realpath(path.join(base, 'links/to-file'))))
    console.log((await fse.stat(path.join(base, 'links/hard'))).nlink, (await fse.lstat(path.join(base, 'links/to-file'))).isSymbolicLink())
    await fse.emptyDir(path.join(base, 'a'))
    fse.removeSync(path.join(base, 'conf'))
    fse.outputJsonSync(path.join(base, 'sync.json'), [true])
    console.log(await tree(base), fse.readJsonSync(path.join(base, 'sync.json')))
    try {
      await fse.copy(path.join(base, 'missing'), path.join(base, 'x'))
    } catch (e) {
      console.log(e.code, e.syscall, rel(e.path))
    }
    try {
      await fse.move(path.join(base, 'sync.json'), path.join(base, 'moved/file.txt'))
    } catch (e) {
      console.log(e.message.replace(base, '<base>'))
    }
    fse.readJson(path.join(base, 'nope.json'), (err) => console.log('callback', err.code))
  } finally {
    setTimeout(() => fse.remove(base).then(() => console.log('removed', fse.existsSync(base))), 10)
  }
}
main()
