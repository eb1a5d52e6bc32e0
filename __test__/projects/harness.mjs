// The project matrix: installs, and runs of each entry on host Node and in
// the sandbox. Each __test__/projects/<name>/ is copied to a cache directory
// keyed by a hash of its manifests (package.json and package-lock.json files,
// the harness fields left out) and installed there from the npm registry; a
// later run finds the directory and only copies the other files (entries,
// fixtures) in again. Used by __test__/projects.spec.ts, run.mjs, status.mjs
// and bench/packages.mjs.
//
// Cache root: $SECURE_EXEC_PROJECTS_CACHE, else
// node_modules/.cache/secure-exec-projects. Installs run `npm install`
// (--ignore-scripts: no package runs code at install time) with at most
// $SECURE_EXEC_PROJECTS_JOBS (default 4) at once.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectsDir = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(projectsDir, '..', '..')

// Bump when what an install produces changes (flags, the pnpm layout).
const HARNESS = 2

// Fields of a project's package.json that describe the test, not the install.
const HARNESS_FIELDS = ['description', 'expected', 'failsWith', 'format', 'permissions']

export function cacheRoot() {
  return process.env.SECURE_EXEC_PROJECTS_CACHE || join(repoRoot, 'node_modules', '.cache', 'secure-exec-projects')
}

function sourceFiles(dir, base = dir) {
  const out = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...sourceFiles(p, base))
    else if (e.isFile()) out.push(relative(base, p))
  }
  return out.sort()
}

const isManifest = (rel) => /(^|\/)(package\.json|package-lock\.json)$/.test(rel)

/** Every project under __test__/projects, sorted by name. */
export function listProjects() {
  const out = []
  for (const e of readdirSync(projectsDir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue
    const src = join(projectsDir, e.name)
    const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'))
    if (typeof pkg.main !== 'string') throw new Error(`project ${e.name}: package.json has no "main" (the entry file)`)
    if (typeof pkg.expected !== 'string' || !/^(pass|fail: .+)$/s.test(pkg.expected)) {
      throw new Error(`project ${e.name}: "expected" must be "pass" or "fail: <reason>"`)
    }
    out.push({
      name: e.name,
      src,
      entry: pkg.main,
      expected: pkg.expected,
      failsWith: pkg.failsWith,
      format: pkg.format,
      layout: pkg.layout ?? 'npm',
      permissions: pkg.permissions ?? {},
      dependencies: pkg.dependencies ?? {},
      workspaces: pkg.workspaces,
    })
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1))
}

function installKey(project) {
  const h = createHash('sha256')
  h.update(`harness ${HARNESS} layout ${project.layout}\n`)
  for (const rel of sourceFiles(project.src).filter(isManifest)) {
    let text = readFileSync(join(project.src, rel), 'utf8')
    if (rel === 'package.json') {
      const pkg = JSON.parse(text)
      for (const f of HARNESS_FIELDS) delete pkg[f]
      text = JSON.stringify(pkg)
    }
    h.update(`${rel}\n${text}\n`)
  }
  return h.digest('hex').slice(0, 16)
}

// Copies the project's files in (only what changed, so an installed tree
// is not touched).
function syncSources(project, dir) {
  for (const rel of sourceFiles(project.src)) {
    const from = join(project.src, rel)
    const to = join(dir, rel)
    const data = readFileSync(from)
    if (existsSync(to) && readFileSync(to).equals(data)) continue
    mkdirSync(dirname(to), { recursive: true })
    writeFileSync(to, data)
  }
}

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} in ${cwd} exited with ${code}:\n${out}`))))
  })
}

// Rewrites an npm install's node_modules into pnpm's layout: every package
// at node_modules/.pnpm/<name>@<version>/node_modules/<name>, its
// dependencies symlinked beside it, and node_modules/<dep> a symlink for
// each direct dependency only (so nothing undeclared resolves).
function toPnpmLayout(dir) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'))
  const entries = lock.packages
  const nm = join(dir, 'node_modules')
  const npmTree = join(dir, 'node_modules.npm')
  renameSync(nm, npmTree)
  mkdirSync(join(nm, '.pnpm'), { recursive: true })
  const nameOf = (key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)
  const storeId = (key) => `${nameOf(key).replace('/', '+')}@${entries[key].version}`
  const storeDir = (key) => join(nm, '.pnpm', storeId(key), 'node_modules', nameOf(key))
  // Node's lookup from a package at `key`: its own node_modules, then each
  // enclosing one.
  const resolveFrom = (key, dep) => {
    let base = key
    for (;;) {
      const candidate = base ? `${base}/node_modules/${dep}` : `node_modules/${dep}`
      if (entries[candidate]) return candidate
      if (!base) return null
      const i = base.lastIndexOf('/node_modules/')
      base = i < 0 ? '' : base.slice(0, i)
    }
  }
  const keys = Object.keys(entries).filter((k) => k.startsWith('node_modules/'))
  for (const k of keys) {
    if (entries[k].link) throw new Error(`pnpm layout: ${k} is a link; use an npm project for workspaces`)
  }
  // Deepest first, so a package's nested node_modules is empty when it moves.
  // An optional package npm skipped (another platform's) is not on disk.
  const present = new Set()
  for (const k of [...keys].sort((a, b) => b.length - a.length)) {
    const from = join(npmTree, k.slice('node_modules/'.length))
    const to = storeDir(k)
    if (existsSync(to)) {
      present.add(k)
      continue
    }
    if (!existsSync(join(from, 'package.json'))) continue
    present.add(k)
    mkdirSync(dirname(to), { recursive: true })
    rmSync(join(from, 'node_modules'), { recursive: true, force: true })
    renameSync(from, to)
  }
  const link = (target, at) => {
    mkdirSync(dirname(at), { recursive: true })
    if (!existsSync(at)) symlinkSync(relative(dirname(at), target), at)
  }
  for (const k of keys) {
    const e = entries[k]
    const deps = { ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies }
    for (const dep of Object.keys(deps)) {
      const found = resolveFrom(k, dep)
      if (found && present.has(found)) link(storeDir(found), join(nm, '.pnpm', storeId(k), 'node_modules', dep))
    }
  }
  const root = entries['']
  for (const dep of Object.keys({ ...root.dependencies, ...root.devDependencies, ...root.optionalDependencies })) {
    if (present.has(`node_modules/${dep}`)) link(storeDir(`node_modules/${dep}`), join(nm, dep))
  }
  rmSync(npmTree, { recursive: true, force: true })
}

async function installOne(project) {
  const root = cacheRoot()
  const dir = join(root, `${project.name}-${installKey(project)}`)
  const done = join(dir, '.installed')
  if (!existsSync(done)) {
    mkdirSync(root, { recursive: true })
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`
    rmSync(tmp, { recursive: true, force: true })
    mkdirSync(tmp, { recursive: true })
    try {
      for (const rel of sourceFiles(project.src)) {
        mkdirSync(dirname(join(tmp, rel)), { recursive: true })
        cpSync(join(project.src, rel), join(tmp, rel))
      }
      await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error'], tmp)
      if (project.layout === 'pnpm') toPnpmLayout(tmp)
      writeFileSync(join(tmp, '.installed'), `${new Date().toISOString()}\n`)
      try {
        renameSync(tmp, dir)
      } catch (e) {
        // Another process installed the same key first: use that one.
        if (!existsSync(done)) throw e
        rmSync(tmp, { recursive: true, force: true })
      }
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true })
      throw e
    }
  }
  syncSources(project, dir)
  utimesSync(done, new Date(), new Date())
  pruneStale(root, project.name, dir)
  // Guest and host see the same real path (no symlinked parent such as a
  // linked node_modules).
  const real = realpathSync(dir)
  return { ...project, dir: real, entryPath: join(real, project.entry) }
}

// Other installs of the same project (older manifests) unused for a week:
// the cache may be shared by several checkouts, each using its own.
function pruneStale(root, name, keep) {
  const mine = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}$`)
  for (const e of readdirSync(root)) {
    const dir = join(root, e)
    if (!mine.test(e) || dir === keep) continue
    try {
      if (Date.now() - statSync(join(dir, '.installed')).mtimeMs < 7 * 24 * 3600 * 1000) continue
    } catch {
      // Not finished (or being installed now): leave it.
      continue
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Installs the projects (all of them by default), at most `jobs` at once;
 * resolves with each project and its installed directory `dir`, in order.
 */
export async function installProjects(projects = listProjects(), { jobs = Number(process.env.SECURE_EXEC_PROJECTS_JOBS) || 4 } = {}) {
  const out = new Array(projects.length)
  let next = 0
  const worker = async () => {
    while (next < projects.length) {
      const i = next++
      out[i] = await installOne(projects[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, projects.length) }, worker))
  return out
}

// The environment of both runs: Node's time zone fixed (the guest's is
// always UTC).
export const ENV = Object.freeze({ TZ: 'UTC' })
const TIMEOUT_MS = 30_000

/** `node <entry>` in the installed directory. */
export function runHost(p) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [p.entryPath], { cwd: p.dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS })
    const out = []
    const err = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? signal }),
    )
  })
}

/**
 * The entry in a new runtime of `NodeRuntime` (passed in, so that a caller
 * uses its own copy of the API): the project directory mounted read-only at
 * its host path, readable, with the same cwd and environment as on the host.
 */
export async function runGuest(NodeRuntime, p) {
  const rt = await NodeRuntime.create({
    permissions: { fs: { read: ['/'] }, env: 'allow', ...p.permissions },
    mounts: [{ hostPath: p.dir, guestPath: p.dir, readOnly: true }],
    limits: { memoryMb: 512 },
  })
  try {
    const source = readFileSync(p.entryPath, 'utf8')
    const r = await rt.exec(source, { filePath: p.entryPath, cwd: p.dir, env: { ...ENV }, timeoutMs: TIMEOUT_MS })
    return { stdout: r.stdout, stderr: r.stderr, code: r.code }
  } finally {
    await rt.dispose()
  }
}
