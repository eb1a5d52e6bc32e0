// Builds the native addon from source with the napi-rs CLI (cargo decides
// what is stale) against the Node.js running this script, and records which
// Node ABI it was built for so that index.js can explain a mismatch.
//
//   node scripts/build.mjs [--profile release|ci] [--cargo-test]
//
// `release` (the default) is what `npm install` ships. `ci` is what `npm test`
// builds: the same code without the fat-LTO link (see Cargo.toml).
// `--cargo-test` also runs the Rust unit tests, inside the same cargo setup.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cargoSetup, root } from './cargo.mjs'

const started = Date.now()
const { values } = parseArgs({
  options: { profile: { type: 'string', default: 'release' }, 'cargo-test': { type: 'boolean', default: false } },
})
const { profile } = values
const { targetDir, triple, platform, env } = cargoSetup(profile)
if (values['cargo-test']) env.CARGO = join(root, 'scripts', 'cargo-build-then-test.sh')
// The napi-rs CLI (a devDependency) also writes binding.js and binding.d.ts
// for the checkout. An installed package (`npm rebuild secure-exec`) has no
// devDependencies: there cargo builds the addon alone.
const napi = join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
const built = join(targetDir, triple, profile, 'libsecure_exec.so')
const loaded = join(root, `secure-exec.${platform}.node`)
const [cmd, args] = existsSync(napi)
  ? [process.execPath, [napi, 'build', '--platform', '--profile', profile, '--target-dir', targetDir, '--js', 'binding.js', '--dts', 'binding.d.ts']]
  : [env.CARGO ?? 'cargo', ['build', '--lib', '--profile', profile, '--target', triple, '--target-dir', targetDir]]
const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env })
if (r.status !== 0) {
  const why = values['cargo-test']
    ? 'building the native addon or its Rust unit tests failed'
    : r.error?.code === 'ENOENT'
      ? 'building the native addon from source needs Rust (cargo) and a C++ compiler'
      : 'building the native addon failed (needs Rust and a C++ compiler)'
  console.error(`secure-exec: ${why}`)
  process.exit(r.status ?? 1)
}
if (!existsSync(napi)) copyFileSync(built, loaded)
// The tests load the copy in the package root: make sure it is this build.
if (!readFileSync(built).equals(readFileSync(loaded))) {
  console.error(`secure-exec: ${loaded} is not the addon just built (${built})`)
  process.exit(1)
}
writeFileSync(
  join(root, 'build-info.json'),
  JSON.stringify({ modules: process.versions.modules, node: process.version, profile, addon: `secure-exec.${platform}.node` }) + '\n',
)
const what = values['cargo-test'] ? 'build and Rust unit tests' : 'build'
console.log(`secure-exec: ${profile} ${what} for Node.js ${process.version} took ${((Date.now() - started) / 1000).toFixed(1)}s`)
