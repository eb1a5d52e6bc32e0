// Builds the prebuilt addon for every supported Node ABI (Node.js 20, 22 and
// 24: NODE_MODULE_VERSION 115, 127, 137) from one checkout, into the
// platform package npm/<platform>/ as secure-exec.abi<N>.node. Node.js
// versions other than the one running this come from the npm registry
// (scripts/nodes.mjs). Each build goes through scripts/build.mjs, so each
// ABI keeps its own incremental target directory; the package root is left
// with this Node.js's build of the profile it had.
//
//   node scripts/prebuild.mjs [--profile release|ci]
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cargoSetup, root } from './cargo.mjs'
import { ABIS, nodeBinary } from './nodes.mjs'

const started = Date.now()
const { values } = parseArgs({ options: { profile: { type: 'string', default: 'release' } } })
const { profile } = values
const { platform } = cargoSetup(profile)
const pkgDir = join(root, 'npm', platform)
if (!existsSync(join(pkgDir, 'package.json'))) {
  console.error(`secure-exec: no platform package for ${platform} (npm/${platform}/package.json)`)
  process.exit(1)
}
const readInfo = () => {
  try {
    return JSON.parse(readFileSync(join(root, 'build-info.json'), 'utf8'))
  } catch {
    return null
  }
}
const before = readInfo()
const build = (node, p) => {
  const r = spawnSync(node, [join(root, 'scripts', 'build.mjs'), '--profile', p], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const own = String(Number(process.versions.node.split('.')[0]))
// This Node.js last: the package root ends with its build.
const majors = Object.keys(ABIS).sort((a, b) => (a === own) - (b === own))
const files = []
for (const major of majors) {
  const node = nodeBinary(major)
  build(node, profile)
  const info = readInfo()
  if (info?.modules !== ABIS[major]) {
    console.error(`secure-exec: Node.js ${major} built NODE_MODULE_VERSION ${info?.modules}, expected ${ABIS[major]}`)
    process.exit(1)
  }
  const out = join(pkgDir, `secure-exec.abi${info.modules}.node`)
  rmSync(out, { force: true })
  copyFileSync(join(root, info.addon), out)
  files.push({ node: info.node, modules: info.modules, file: out, bytes: statSync(out).size })
}
writeFileSync(join(pkgDir, 'prebuild.json'), JSON.stringify({ profile, files: files.map(({ node, modules }) => ({ node, modules })) }) + '\n')
// Back to the profile the root had (cargo finds it fresh when it was built).
if (before?.profile && before.profile !== profile && ABIS[own] !== undefined) build(process.execPath, before.profile)
for (const f of files) console.log(`secure-exec: prebuilt ${f.file} (Node.js ${f.node}, ${(f.bytes / 2 ** 20).toFixed(1)} MiB)`)
console.log(`secure-exec: ${profile} prebuilds for ${files.length} Node ABIs took ${((Date.now() - started) / 1000).toFixed(1)}s`)
