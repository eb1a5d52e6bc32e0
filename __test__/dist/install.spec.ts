// Installs secure-exec as a user would: the packed tarballs (scripts/pack.mjs,
// from the prebuilt files of scripts/prebuild.mjs, which `npm test` runs
// first) go into a fresh project with no Rust and no C++ compiler on PATH,
// under Node.js 20, 22 and 24; the CLI and a TypeScript file importing
// secure-exec then run there.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(__dirname, '..', '..')
const ABIS: Record<string, string> = { 20: '115', 22: '127', 24: '137' }
const work = mkdtempSync(join(tmpdir(), 'se-install-'))
const npmCli = (() => {
  const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()
  return require('node:fs').realpathSync(npm) as string
})()

// npm finds its global config (registry, CA file) beside the node running
// it: keep this machine's whatever node runs npm.
const globalconfig = execFileSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8' }).trim()

type Packed = { name: string; file: string; bytes: number; unpacked: number; files: string[] }
let packed: Packed[] = []

// The Node.js binary of a major: this one, or the one scripts/nodes.mjs
// unpacked for the prebuilds.
function nodeOf(major: string): string {
  if (process.versions.node.split('.')[0] === major) return process.execPath
  const base = join(root, 'target', 'nodes')
  const v = readdirSync(base)
    .filter((d) => d.split('.')[0] === major && existsSync(join(base, d, 'package', 'bin', 'node')))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))[0]
  if (v === undefined) throw new Error(`no Node.js ${major} under target/nodes: run node scripts/prebuild.mjs`)
  return join(base, v, 'package', 'bin', 'node')
}

// A PATH of only node, npm and sh: no cargo, rustc, c++, cc or gcc.
function bareBin(node: string): string {
  const bin = mkdtempSync(join(work, 'bin-'))
  symlinkSync(node, join(bin, 'node'))
  symlinkSync(npmCli, join(bin, 'npm'))
  symlinkSync('/bin/sh', join(bin, 'sh'))
  return bin
}

function run(cmd: string, args: string[], cwd: string, bin: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { HOME: process.env.HOME ?? '/root', PATH: bin, npm_config_update_notifier: 'false', npm_config_globalconfig: globalconfig },
  })
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout, error: r.error }
}

function project(name: string): string {
  const dir = join(work, name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }))
  return dir
}

const MAIN_TS = `import { NodeRuntime, type ExecResult } from 'secure-exec'

const rt = await NodeRuntime.create({ limits: { cpuTimeMs: 5000 } })
try {
  const r: ExecResult = await rt.exec('console.log(6 * 7, typeof require("node:fs").readFileSync)')
  const v = await rt.run<number>('__return(40 + 2)')
  const value: number | undefined = v.value
  console.log(JSON.stringify({ stdout: r.stdout, code: r.code, value, abi: process.versions.modules }))
} finally {
  await rt.dispose()
}
`

beforeAll(() => {
  const out = execFileSync(process.execPath, [join(root, 'scripts', 'pack.mjs'), '--out', join(work, 'dist')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  packed = JSON.parse(out.trim().split('\n').pop()!)
}, 120_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe('the packed tarballs', () => {
  it('hold no build leftovers, the sources for a rebuild, and one prebuilt file per ABI', () => {
    const main = packed.find((p) => p.name === 'secure-exec')!
    const platform = packed.find((p) => p.name === 'secure-exec-linux-x64-gnu')!
    for (const f of main.files) expect(f).not.toMatch(/\.node$|^build-info\.json$|^target\/|^node_modules\/|^binding\.|^__test__\/|^npm\//)
    for (const f of ['index.js', 'index.d.ts', 'addon.js', 'bin/secure-exec.js', 'Cargo.toml', 'Cargo.lock', 'build.rs', 'scripts/install.mjs', 'scripts/build.mjs', 'src/lib.rs']) {
      expect(main.files).toContain(f)
    }
    expect(platform.files.filter((f) => f.endsWith('.node')).sort()).toEqual(['secure-exec.abi115.node', 'secure-exec.abi127.node', 'secure-exec.abi137.node'])
    // The sizes, for the closing note and to notice growth.
    console.log(packed.map((p) => `${p.name}: ${(p.bytes / 2 ** 20).toFixed(2)} MiB packed, ${(p.unpacked / 2 ** 20).toFixed(1)} MiB unpacked`).join('\n'))
    expect(main.bytes).toBeLessThan(2 * 2 ** 20)
  })
})

describe.each(['20', '22', '24'])('installed under Node.js %s with no Rust or C++ compiler', (major) => {
  let app: string
  let bin: string
  beforeAll(() => {
    bin = bareBin(nodeOf(major))
    expect(run('sh', ['-c', 'command -v cargo || command -v rustc || command -v c++ || command -v cc || echo none'], work, bin).stdout.trim()).toBe('none')
    app = project(`app${major}`)
    const r = run('node', [npmCli, 'install', '--no-audit', '--no-fund', ...packed.map((p) => p.file)], app, bin)
    expect(r.out).toContain('added')
    expect(r.code).toBe(0)
  }, 180_000)

  it('runs the CLI', () => {
    const r = run(join(app, 'node_modules', '.bin', 'secure-exec'), ['run', '-e', 'console.log(1 + 1, process.platform)'], app, bin)
    expect(r.out).toBe('2 linux\n')
    expect(r.code).toBe(0)
  })

  it('type-checks and runs a TypeScript file importing secure-exec', () => {
    writeFileSync(join(app, 'main.ts'), MAIN_TS)
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'build', typeRoots: [join(root, 'node_modules', '@types')], types: ['node'] },
        files: ['main.ts'],
      }),
    )
    const tsc = run('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app, bin)
    expect(tsc.out).toBe('')
    const want = { stdout: '42 function\n', code: 0, value: 42, abi: ABIS[major] }
    const js = run('node', ['build/main.js'], app, bin)
    expect(JSON.parse(js.stdout)).toEqual(want)
    // Node.js 22 and 24 also run it as TypeScript (type stripping).
    if (major !== '20') {
      const ts = run('node', ['--experimental-strip-types', '--no-warnings', 'main.ts'], app, bin)
      expect(JSON.parse(ts.stdout)).toEqual(want)
    }
  })

  it('loads the file of its own ABI, and names the ABIs there are when it is missing', () => {
    const pkg = join(app, 'node_modules', 'secure-exec-linux-x64-gnu')
    const probe = `const m = require('secure-exec'); console.log(Object.keys(require.cache).filter((f) => f.endsWith('.node')).map((f) => require('path').basename(f)).join())`
    expect(run('node', ['-e', probe], app, bin).stdout).toBe(`secure-exec.abi${ABIS[major]}.node\n`)
    const file = join(pkg, `secure-exec.abi${ABIS[major]}.node`)
    renameSync(file, `${file}.away`)
    try {
      const r = run('node', ['-e', `try { require('secure-exec') } catch (e) { console.log(e.code + ': ' + e.message) }`], app, bin)
      const others = Object.values(ABIS).filter((a) => a !== ABIS[major]).join(', ')
      expect(r.stdout).toContain(`ERR_SECURE_EXEC_NO_ADDON: secure-exec: no native addon for Node.js ${nodeVersion(major)} (NODE_MODULE_VERSION ${ABIS[major]})`)
      expect(r.stdout).toContain(`the installed prebuilt files are for NODE_MODULE_VERSION ${others} only`)
      expect(r.stdout).toContain('npm rebuild secure-exec')
    } finally {
      renameSync(`${file}.away`, file)
    }
  })
})

function nodeVersion(major: string) {
  return execFileSync(nodeOf(major), ['-p', 'process.version'], { encoding: 'utf8' }).trim()
}

describe('without the platform package (an unsupported platform or ABI)', () => {
  let bin: string
  let main: Packed
  beforeAll(() => {
    bin = bareBin(process.execPath)
    main = packed.find((p) => p.name === 'secure-exec')!
  })

  it('npm install builds from source, and without Rust fails with the reason', () => {
    const r = run('node', [npmCli, 'install', '--no-audit', '--no-fund', '--omit=optional', main.file], project('bare-install'), bin)
    expect(r.code).not.toBe(0)
    expect(r.out).toContain(`no prebuilt addon for Node.js ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}) on linux-x64; building from source`)
    expect(r.out).toContain('building the native addon from source needs Rust (rustc and cargo')
  }, 180_000)

  it('installed without scripts: require says what to do, and npm rebuild fails with the reason', () => {
    const app = project('bare')
    const i = run('node', [npmCli, 'install', '--no-audit', '--no-fund', '--omit=optional', '--ignore-scripts', main.file], app, bin)
    expect(i.out).toContain('added')
    expect(i.code).toBe(0)
    const r = run('node', ['-e', `try { require('secure-exec') } catch (e) { console.log(e.code + ': ' + e.message) }`], app, bin)
    expect(r.stdout).toContain('ERR_SECURE_EXEC_NO_ADDON')
    expect(r.stdout).toContain('no prebuilt package for linux-x64 is installed (secure-exec-linux-x64-gnu or secure-exec-linux-x64-musl)')
    expect(r.stdout).toContain('build it from source with `npm rebuild secure-exec` (needs Rust and a C++ compiler)')
    const rb = run('node', [npmCli, 'rebuild', 'secure-exec'], app, bin)
    expect(rb.code).not.toBe(0)
    expect(rb.out).toContain('building the native addon from source needs Rust')
    expect(existsSync(join(app, 'node_modules', 'secure-exec', 'build-info.json'))).toBe(false)
  }, 180_000)

  // The package's own sources build (every file build.rs reads is packed).
  // Its dependencies compile once into target/pkg-rebuild (minutes, the
  // first time), kept apart from the checkout's own builds.
  it('npm rebuild with Rust builds the addon from the packed sources, and it runs', () => {
    const app = project('rebuild')
    expect(run('node', [npmCli, 'install', '--no-audit', '--no-fund', '--omit=optional', '--ignore-scripts', main.file], app, bin).code).toBe(0)
    const r = spawnSync('node', [npmCli, 'rebuild', 'secure-exec', '--foreground-scripts'], {
      cwd: app,
      encoding: 'utf8',
      timeout: 1_200_000,
      env: { ...process.env, CARGO_TARGET_DIR: join(root, 'target', 'pkg-rebuild'), npm_config_globalconfig: globalconfig },
    })
    expect(`${r.stdout}${r.stderr}`).toContain(`release build for Node.js ${process.version}`)
    expect(r.status).toBe(0)
    const cli = run(join(app, 'node_modules', '.bin', 'secure-exec'), ['run', '-e', 'console.log(6 * 7)'], app, bin)
    expect(cli.out).toBe('42\n')
  }, 1_200_000)
})
