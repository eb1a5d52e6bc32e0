// Probe: V8 startup snapshots made at run time inside a Node process (see
// scripts/probe/snapshot.cc). Needs g++ and a bench build (for the 20k-line
// synthetic builtins: `node bench/run.mjs` makes one). Run it with each Node
// to check, with and without --no-node-snapshot:
//   node scripts/probe-snapshot.mjs
//   node --no-node-snapshot scripts/probe-snapshot.mjs
// `--modules N` evaluates only the first N synthetic modules (0: none);
// `--threads N` makes and uses isolates on N threads at once.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
const include = join(dirname(dirname(process.execPath)), 'include', 'node')
const headers = existsSync(join(include, 'v8.h')) ? include : '/usr/include/node'
const out = join(mkdtempSync(join(tmpdir(), 'se-probe-')), 'probe.node')
const cc = spawnSync('g++', [
  major >= 24 ? '-std=gnu++20' : '-std=gnu++17', '-O2', '-shared', '-fPIC', '-fno-rtti', '-fno-exceptions',
  '-Wno-deprecated-declarations', '-D_GLIBCXX_USE_CXX11_ABI=1', '-DUSING_V8_SHARED=1', '-DBUILDING_NODE_EXTENSION',
  '-I', headers, join(root, 'scripts/probe/snapshot.cc'), '-o', out,
], { stdio: 'inherit' })
if (cc.status !== 0) process.exit(1)

// The synthetic builtins of the bench build, evaluated the way the loader does.
const build = join(root, 'target/bench/release/build')
const dir = readdirSync(build).map((d) => join(build, d, 'out/bench_builtins')).find((d) => existsSync(d))
if (!dir) throw new Error('no bench build: run `node bench/run.mjs` first')
const at = process.argv.indexOf('--modules')
const limit = at > 0 ? Number(process.argv[at + 1]) : Infinity
const all = readdirSync(dir).filter((f) => /^bench_m\d+\.js$/.test(f)).sort()
const files = all.slice(0, limit)
let lines = 0
const defs = files.map((f) => {
  const src = readFileSync(join(dir, f), 'utf8')
  lines += src.split('\n').length
  const name = f.replace(/\.js$/, '').replace('_', '/')
  return `${JSON.stringify(name)}: function (exports, require, native, config, module) {\n${src}\n}`
})
const payload = `(function () {
  const defs = {${defs.join(',\n')}};
  const cache = Object.create(null);
  function require(name) {
    if (cache[name]) return cache[name].exports;
    const module = { exports: {} };
    cache[name] = module;
    defs[name](module.exports, require, globalThis.native, {}, module);
    return module.exports;
  }
  const mods = Object.keys(defs).map(require);
  globalThis.__core = { run: (seed) => mods.reduce((a, m) => a + m.exercise(seed), 0) };
})();`
const check = '__core.run(1) + native.add(1, 2) + native.answer()'

const probe = createRequire(import.meta.url)(out)
const t = process.argv.indexOf('--threads')
const threads = t > 0 ? Number(process.argv[t + 1]) : 1
const result = JSON.parse(probe.run(payload, check, 6, threads))
console.log(JSON.stringify({
  node: process.version, v8: process.versions.v8, execArgv: process.execArgv, threads, modules: files.length, lines, ...result,
}))
