// `npm install` and `npm rebuild` of secure-exec: nothing to do when a
// prebuilt addon fits this Node.js (the platform package npm installed from
// the optional dependencies has its ABI); otherwise the addon is built from
// source, which needs Rust and a C++ compiler. SECURE_EXEC_BUILD_FROM_SOURCE=1
// builds from source even when a prebuilt file fits.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { root } from './cargo.mjs'

const { findPrebuilt } = createRequire(import.meta.url)(join(root, 'addon.js'))
const forced = ['1', 'true'].includes(process.env.SECURE_EXEC_BUILD_FROM_SOURCE ?? '')
const prebuilt = forced ? null : findPrebuilt(root)
if (prebuilt !== null) {
  process.exit(0)
}
if (!forced) {
  console.log(`secure-exec: no prebuilt addon for Node.js ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}) on ${process.platform}-${process.arch}; building from source`)
}
const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--profile', 'release'], { stdio: 'inherit' })
process.exit(r.status ?? 1)
