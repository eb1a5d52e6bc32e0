// run() of an ES module that imports lodash-es and zod from a mounted
// node_modules (the lodash-es and zod projects of the project matrix,
// installed into its cache, see __test__/projects/harness.mjs): the first
// call on a new runtime, and warm calls (the same runtime, second and later
// calls); the same files in the runtime's VFS instead of a mount; host Node
// doing the same in a new process, for scale.
// bench/run.mjs adds these rows; `node bench/packages.mjs [--quick]` prints
// them alone.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installProjects, listProjects } from '../__test__/projects/harness.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { NodeRuntime } = createRequire(import.meta.url)(join(root, 'index.js'))

// Parses with zod (a schema over a lodash-es-shaped result) so that both
// graphs load and run: ~650 lodash-es modules, zod's ~70.
const MAIN = `import { chunk, groupBy, sortBy, uniq } from 'lodash-es'
import { z } from 'zod'
const Row = z.object({ id: z.number().int(), tags: z.array(z.string()) })
const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, tags: uniq(['t' + (i % 7), 't' + (i % 3)]) }))
const groups = groupBy(z.array(Row).parse(sortBy(rows, 'id')), (r) => r.tags[0])
__return(chunk(Object.keys(groups), 2).length)
`

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const ms = (ns) => Number(ns) / 1e6

export async function benchPackages({ quick = false } = {}) {
  const [lodash, zod] = await installProjects(listProjects().filter((p) => p.name === 'lodash-es' || p.name === 'zod'))
  const app = '/app'
  const options = {
    permissions: { fs: { read: ['/'] } },
    mounts: [
      { hostPath: join(lodash.dir, 'node_modules', 'lodash-es'), guestPath: `${app}/node_modules/lodash-es`, readOnly: true },
      { hostPath: join(zod.dir, 'node_modules', 'zod'), guestPath: `${app}/node_modules/zod`, readOnly: true },
    ],
  }
  const call = { filePath: `${app}/main.mjs`, cwd: app }
  const check = (r) => {
    if (r.value !== 4) throw new Error(`bench/packages.mjs: unexpected result ${JSON.stringify(r.value)}:\n${r.stderr}`)
  }

  // Unmeasured: the sidecar's code cache and the warm pool settle.
  const first = []
  const warmUp = await NodeRuntime.create(options)
  check(await warmUp.run(MAIN, call))
  await warmUp.dispose()
  for (let i = 0; i < (quick ? 5 : 20); i++) {
    const rt = await NodeRuntime.create(options)
    const t0 = process.hrtime.bigint()
    check(await rt.run(MAIN, call))
    first.push(ms(process.hrtime.bigint() - t0))
    await rt.dispose()
  }

  const warm = []
  const rt = await NodeRuntime.create(options)
  check(await rt.run(MAIN, call))
  for (let i = 0; i < (quick ? 20 : 100); i++) {
    const t0 = process.hrtime.bigint()
    check(await rt.run(MAIN, call))
    warm.push(ms(process.hrtime.bigint() - t0))
  }
  await rt.dispose()

  // The same files in the runtime's own VFS (written with rt.fs), warm: what
  // the mount's host queries cost.
  const vfsTimes = []
  const inVfs = await NodeRuntime.create({ permissions: { fs: { read: ['/'] } }, limits: { maxFsBytes: 512 * 1024 * 1024 } })
  const home = '/home/user/app'
  for (const [from, name] of [[lodash.dir, 'lodash-es'], [zod.dir, 'zod']]) {
    const base = join(from, 'node_modules', name)
    await inVfs.fs.mkdir(`${home}/node_modules/${name}`, { recursive: true })
    for (const rel of readdirSync(base, { recursive: true })) {
      const file = join(base, rel)
      const to = `${home}/node_modules/${name}/${rel}`
      if (statSync(file).isDirectory()) await inVfs.fs.mkdir(to, { recursive: true })
      else await inVfs.fs.writeFile(to, readFileSync(file))
    }
  }
  const vfsCall = { filePath: `${home}/main.mjs`, cwd: home }
  check(await inVfs.run(MAIN, vfsCall))
  for (let i = 0; i < (quick ? 20 : 100); i++) {
    const t0 = process.hrtime.bigint()
    check(await inVfs.run(MAIN, vfsCall))
    vfsTimes.push(ms(process.hrtime.bigint() - t0))
  }
  await inVfs.dispose()

  // Host Node: the same module in the same layout, a new process each time.
  const dir = mkdtempSync(join(tmpdir(), 'se-bench-packages-'))
  const host = []
  try {
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(join(lodash.dir, 'node_modules', 'lodash-es'), join(dir, 'node_modules', 'lodash-es'))
    symlinkSync(join(zod.dir, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'))
    writeFileSync(join(dir, 'main.mjs'), MAIN.replace('__return(', 'console.log('))
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const t0 = process.hrtime.bigint()
      const r = spawnSync(process.execPath, [join(dir, 'main.mjs')], { encoding: 'utf8' })
      host.push(ms(process.hrtime.bigint() - t0))
      if (r.stdout !== '4\n') throw new Error(`bench/packages.mjs: host run printed ${JSON.stringify(r.stdout)}:\n${r.stderr}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    first: [pct(first, 50), pct(first, 95)],
    warm: [pct(warm, 50), pct(warm, 95)],
    vfs: [pct(vfsTimes, 50), pct(vfsTimes, 95)],
    host: [pct(host, 50), pct(host, 95)],
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
  const r = await benchPackages({ quick: process.argv.includes('--quick') })
  console.log('| figure | secure-exec |\n|---|---|')
  console.log(`| \`run()\` importing lodash-es + zod from a mounted node_modules, first call on a new runtime, p50 / p95 | ${fmt(r.first[0])} / ${fmt(r.first[1])} ms |`)
  console.log(`| … warm (same runtime, later calls), p50 / p95 | ${fmt(r.warm[0])} / ${fmt(r.warm[1])} ms |`)
  console.log(`| … the same files in the runtime's VFS instead of a mount, warm, p50 / p95 | ${fmt(r.vfs[0])} / ${fmt(r.vfs[1])} ms |`)
  console.log(`| … host Node, a new process each time, p50 / p95 | ${fmt(r.host[0])} / ${fmt(r.host[1])} ms |`)
  await NodeRuntime.closeIdleSidecars?.()
}
