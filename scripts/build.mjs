// Builds the native addon from source with the napi-rs CLI (cargo decides
// what is stale) against the Node.js running this script, and records which
// Node ABI it was built for so that index.js can explain a mismatch.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = ['build', '--platform', '--release', '--js', 'binding.js', '--dts', 'binding.d.ts']
const napi = join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
const r = spawnSync(process.execPath, [napi, ...args], {
  cwd: root,
  stdio: 'inherit',
  // build.rs compiles the C++ layer against this Node's headers.
  env: { ...process.env, SECURE_EXEC_NODE: process.execPath },
})
if (r.status !== 0) {
  console.error('secure-exec: building the native addon failed (needs Rust and a C++ compiler)')
  process.exit(r.status ?? 1)
}
writeFileSync(
  join(root, 'build-info.json'),
  JSON.stringify({ modules: process.versions.modules, node: process.version }) + '\n',
)
