'use strict'
// Finds the native addon for the running Node.js. The addon links against
// the V8 inside Node.js, so a file fits one Node ABI (NODE_MODULE_VERSION)
// only. In order:
//   1. NAPI_RS_NATIVE_LIBRARY_PATH (napi-rs's override): that file;
//   2. a build from source (a checkout, or `npm rebuild secure-exec`),
//      recorded by scripts/build.mjs in build-info.json;
//   3. the prebuilt file of the platform package npm installed from the
//      optional dependencies: secure-exec-<platform>/secure-exec.abi<N>.node.
// None fits: an error that says what to do.
const { existsSync, readdirSync, readFileSync } = require('node:fs')
const { dirname, join } = require('node:path')

// The platform packages that may hold this machine's prebuilt files. npm
// installs only the one whose os, cpu and libc fit, so asking for both libc
// flavours costs nothing and needs no libc probe.
function platformPackages(platform = process.platform, arch = process.arch) {
  if (platform === 'linux') return [`secure-exec-linux-${arch}-gnu`, `secure-exec-linux-${arch}-musl`]
  return [`secure-exec-${platform}-${arch}`]
}

function prebuiltName(modules = process.versions.modules) {
  return `secure-exec.abi${modules}.node`
}

// The directory of an installed platform package, or null.
function packageDir(name, from) {
  try {
    return dirname(require.resolve(`${name}/package.json`, { paths: [from] }))
  } catch {
    return null
  }
}

// The prebuilt file for this Node.js, or null; `seen` collects the ABIs the
// installed platform packages do have (for the error).
function findPrebuilt(from = __dirname, seen = []) {
  for (const name of platformPackages()) {
    const dir = packageDir(name, from)
    if (dir === null) continue
    const file = join(dir, prebuiltName())
    if (existsSync(file)) return file
    for (const f of readdirSync(dir)) {
      const m = /^secure-exec\.abi(\d+)\.node$/.exec(f)
      if (m) seen.push(Number(m[1]))
    }
  }
  return null
}

function readBuildInfo(root) {
  try {
    const info = JSON.parse(readFileSync(join(root, 'build-info.json'), 'utf8'))
    return info !== null && typeof info === 'object' ? info : null
  } catch {
    // No record: no build from source here.
    return null
  }
}

function fail(code, message, cause) {
  const err = new Error(`secure-exec: ${message}`, cause === undefined ? undefined : { cause })
  err.code = code
  return err
}

function requireAddon(file) {
  let b
  try {
    b = require(file)
  } catch (cause) {
    throw fail('ERR_SECURE_EXEC_LOAD', `cannot load the native addon ${file}; run \`npm rebuild secure-exec\``, cause)
  }
  const built = b.buildInfo()
  if (String(built.modules) !== process.versions.modules) throw mismatch(built.modules, built.nodeVersion)
  return b
}

function mismatch(modules, node) {
  return fail(
    'ERR_SECURE_EXEC_ABI',
    `the native addon was built for NODE_MODULE_VERSION ${modules}` +
      (node ? ` (Node.js ${node})` : '') +
      `, but this is NODE_MODULE_VERSION ${process.versions.modules} (Node.js ${process.version}): ` +
      'run `npm rebuild secure-exec`',
  )
}

function loadAddon(root = __dirname) {
  const override = process.env.NAPI_RS_NATIVE_LIBRARY_PATH
  if (override) return requireAddon(override)
  const info = readBuildInfo(root)
  const local =
    typeof info?.addon === 'string' && /^secure-exec\.[\w-]+\.node$/.test(info.addon) ? join(root, info.addon) : null
  if (local !== null && String(info.modules) === process.versions.modules && existsSync(local)) return requireAddon(local)
  const seen = []
  const prebuilt = findPrebuilt(root, seen)
  if (prebuilt !== null) return requireAddon(prebuilt)
  // A build from source for another Node.js, and no prebuilt file for this one.
  if (info !== null && info.modules !== undefined && String(info.modules) !== process.versions.modules) {
    throw mismatch(info.modules, info.node)
  }
  const where = `${process.platform}-${process.arch}`
  const have =
    seen.length > 0
      ? `the installed prebuilt files are for NODE_MODULE_VERSION ${[...new Set(seen)].sort((a, b) => a - b).join(', ')} only`
      : `no prebuilt package for ${where} is installed (${platformPackages().join(' or ')})`
  throw fail(
    'ERR_SECURE_EXEC_NO_ADDON',
    `no native addon for Node.js ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}) on ${where}: ${have}. ` +
      'Use Node.js 20, 22 or 24, or build it from source with `npm rebuild secure-exec` (needs Rust and a C++ compiler).',
  )
}

module.exports = { loadAddon, findPrebuilt, platformPackages, prebuiltName, readBuildInfo }
