// fast-glob (CommonJS; @nodelib/fs.walk, micromatch, fs, stream): globbing
// the installed project (read-only), sync, async and as a stream.
'use strict'
const fg = require('fast-glob')

const opts = { cwd: __dirname, ignore: ['**/node_modules/**'] }
console.log(fg.sync(['*.{json,cjs}', '!package-lock.json'], opts).sort())
console.log(fg.sync('node_modules/fast-glob/out/**/*.js', { cwd: __dirname }).length, fg.sync('node_modules/*/package.json', { cwd: __dirname, onlyFiles: true }).sort())
console.log(fg.sync('node_modules/{micromatch,braces}', { cwd: __dirname, onlyDirectories: true, markDirectories: true }).sort())
const withStats = fg.sync('node_modules/fast-glob/package.json', { cwd: __dirname, stats: true, objectMode: true })
console.log(withStats.map((e) => [e.name, e.path, e.dirent.isFile(), e.stats.isFile()]))
console.log(fg.isDynamicPattern('a/*.js'), fg.isDynamicPattern('a/b.js'), fg.escapePath('a(b)*'), fg.convertPathToPattern('/x/(y)'), fg.generateTasks(['a/*', '!a/b']).length)
fg(['node_modules/merge2/*.{js,json}', 'node_modules/@nodelib/*/package.json'], { cwd: __dirname }).then((files) => console.log('async', files.sort()))
const seen = []
fg.stream('node_modules/fastq/*.js', { cwd: __dirname, deep: 1 })
  .on('data', (f) => seen.push(String(f)))
  .on('end', () => console.log('stream', seen.sort()))
