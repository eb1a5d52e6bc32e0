// How cargo is run for this package, shared by the addon build and the Rust
// unit tests so that both reuse one set of compiled dependencies.
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTriple } from '@napi-rs/cli'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export function cargoSetup() {
  // One target directory per Node ABI: the C++ layer is compiled against
  // that Node's headers, so sharing one would rebuild the crate on every
  // switch between Node versions.
  const base = process.env.CARGO_TARGET_DIR ?? join(root, 'target')
  const targetDir = join(base, `node-${process.versions.modules}`)
  const host = execFileSync('rustc', ['-vV'], { encoding: 'utf8' }).match(/^host: (\S+)$/m)
  if (!host) throw new Error('secure-exec: cannot read the host triple from `rustc -vV`')
  const triple = host[1]
  // build.rs compiles the C++ layer against this Node's headers. Set it
  // always, so the build script's inputs do not depend on who started us.
  const env = { ...process.env, SECURE_EXEC_NODE: process.execPath, CARGO_TARGET_DIR: targetDir }
  return { targetDir, triple, platform: parseTriple(triple).platformArchABI, env }
}
