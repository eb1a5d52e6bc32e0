// An npm workspaces layout: packages/* linked into node_modules/@matrix
// (symlinks to ../../packages/*), resolved to their real paths.
import { createRequire } from 'node:module'
import { relative } from 'node:path'
import { paths, report } from '@matrix/app'
import appPkg from '@matrix/app/package.json' with { type: 'json' }

const here = import.meta.dirname
const fileOf = (url) => decodeURIComponent(new URL(url).pathname)
const require = createRequire(import.meta.url)
console.log(report('ada', ['1.2.3', '1.10.0', '1.9.9']), appPkg.name)
console.log(relative(here, paths.strings), relative(here, fileOf(paths.app)), relative(here, require.resolve('@matrix/strings')))
console.log(relative(here, fileOf(import.meta.resolve('@matrix/app'))), require('@matrix/strings').shout('cjs'), Object.keys(require('@matrix/strings')))
try {
  require.resolve('@matrix/app/src/index.js')
} catch (e) {
  console.log(e.code)
}
