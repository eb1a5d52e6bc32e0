// How cargo is run for this package, shared by the addon build and the Rust
// unit tests so that both reuse one set of compiled dependencies.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export function cargoSetup(profile) {
  // One target directory per Node ABI: the C++ layer is compiled against
  // that Node's headers, so sharing one would rebuild the crate on every
  // switch between Node versions.
  const base = process.env.CARGO_TARGET_DIR ?? join(root, 'target')
  const targetDir = join(base, `node-${process.versions.modules}`)
  let rustc
  try {
    rustc = execFileSync('rustc', ['-vV'], { encoding: 'utf8' })
  } catch (e) {
    if (e.code !== 'ENOENT') throw e
    console.error('secure-exec: building the native addon from source needs Rust (rustc and cargo, from https://rustup.rs) and a C++ compiler')
    process.exit(1)
  }
  const host = rustc.match(/^host: (\S+)$/m)
  if (!host) throw new Error('secure-exec: cannot read the host triple from `rustc -vV`')
  const triple = host[1]
  seedFromOtherAbi(base, targetDir, triple, profile)
  // build.rs compiles the C++ layer against this Node's headers. Set it
  // always, so the build script's inputs do not depend on who started us.
  const env = { ...process.env, SECURE_EXEC_NODE: process.execPath, CARGO_TARGET_DIR: targetDir }
  return { targetDir, triple, platform: platformOf(triple), env }
}

// napi-rs's platform name of a Rust target triple (the addon's file name):
// x86_64-unknown-linux-gnu is linux-x64-gnu.
export function platformOf(triple) {
  const [arch, , os, abi] = triple.split('-')
  const cpu = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'arm', riscv64gc: 'riscv64' }[arch] ?? arch
  const name = { darwin: 'darwin', windows: 'win32', linux: 'linux', freebsd: 'freebsd' }[os] ?? os
  return abi ? `${name}-${cpu}-${abi}` : `${name}-${cpu}`
}

// A profile's first build for a new ABI starts from a copy of another ABI's:
// the dependencies do not depend on Node, so only this crate is compiled.
// (Cargo keeps copied artifacts fresh: it compares mtimes, which the copy
// keeps, and rewrites the build scripts' recorded OUT_DIR paths.)
function seedFromOtherAbi(base, targetDir, triple, profile) {
  // Host artifacts (build scripts, proc macros) first: the target's directory
  // is the mark that the copy is complete.
  const parts = [profile, join(triple, profile)]
  if (existsSync(join(targetDir, parts[1])) || !existsSync(base)) return
  const donors = readdirSync(base)
    .filter((d) => d.startsWith('node-') && join(base, d) !== targetDir)
    .map((d) => join(base, d))
    .filter((d) => parts.every((p) => existsSync(join(d, p))))
    .sort((a, b) => statSync(join(b, parts[1])).mtimeMs - statSync(join(a, parts[1])).mtimeMs)
  if (donors.length === 0) return
  const started = Date.now()
  for (const p of parts) {
    const tmp = join(targetDir, `${p}.seeding`)
    rmSync(tmp, { recursive: true, force: true })
    mkdirSync(dirname(tmp), { recursive: true })
    cpSync(join(donors[0], p), tmp, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true })
    rmSync(join(targetDir, p), { recursive: true, force: true })
    renameSync(tmp, join(targetDir, p))
  }
  console.log(`secure-exec: seeded ${targetDir} (${profile}) from ${donors[0]} in ${((Date.now() - started) / 1000).toFixed(1)}s`)
}
