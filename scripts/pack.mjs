// Packs what a user installs: the main package, whose package.json gains the
// platform packages as optionalDependencies (at the same version), and each
// platform package under npm/ that holds prebuilt files. Prints one JSON
// line: the tarballs with their sizes.
//
//   node scripts/pack.mjs --out <dir>
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { root } from './cargo.mjs'

const { values } = parseArgs({ options: { out: { type: 'string' } } })
if (!values.out) {
  console.error('usage: node scripts/pack.mjs --out <dir>')
  process.exit(2)
}
const out = resolve(values.out)
mkdirSync(out, { recursive: true })
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
const pack = (dir) => {
  const [r] = JSON.parse(npm(['pack', '--json', '--pack-destination', out], dir))
  return { name: r.name, file: join(out, r.filename), bytes: statSync(join(out, r.filename)).size, unpacked: r.unpackedSize, files: r.files.map((f) => f.path) }
}
const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const platforms = []
for (const p of readdirSync(join(root, 'npm'))) {
  const dir = join(root, 'npm', p)
  if (!existsSync(join(dir, 'package.json'))) continue
  if (!readdirSync(dir).some((f) => /^secure-exec\.abi\d+\.node$/.test(f))) continue
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (meta.version !== main.version) throw new Error(`npm/${p}: version ${meta.version}, the main package has ${main.version}`)
  platforms.push({ dir, name: meta.name })
}
if (platforms.length === 0) {
  console.error('secure-exec: no platform package holds prebuilt files: run `node scripts/prebuild.mjs` first')
  process.exit(1)
}
// The main package from a staged copy of exactly the files npm would pack.
const stage = mkdtempSync(join(out, '.stage-'))
try {
  const [dry] = JSON.parse(npm(['pack', '--dry-run', '--json'], root))
  for (const f of dry.files) {
    mkdirSync(dirname(join(stage, f.path)), { recursive: true })
    cpSync(join(root, f.path), join(stage, f.path))
  }
  main.optionalDependencies = Object.fromEntries(platforms.map((p) => [p.name, main.version]))
  delete main.devDependencies
  writeFileSync(join(stage, 'package.json'), JSON.stringify(main, null, 2) + '\n')
  const packed = [pack(stage), ...platforms.map((p) => pack(p.dir))]
  console.log(JSON.stringify(packed))
} finally {
  rmSync(stage, { recursive: true, force: true })
}
