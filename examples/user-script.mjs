// A user-script runner: a user's script gets a project directory, mounted
// read-only, and a place in the sandbox's own filesystem for its output,
// which the host reads back. Nothing else of the host is visible to it.
//
//   node examples/user-script.mjs
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NodeRuntime } from 'secure-exec'

// A project directory on the host (made here; yours would exist already).
const project = mkdtempSync(join(tmpdir(), 'secure-exec-example-'))
mkdirSync(join(project, 'data'))
writeFileSync(join(project, 'config.json'), JSON.stringify({ currency: 'EUR', minAmount: 10 }))
writeFileSync(
  join(project, 'data', 'sales.csv'),
  'region,amount\nnorth,120\nsouth,80\nnorth,5\neast,42.5\nsouth,19.5\n',
)

// The user's script, as it would arrive from an upload or an editor.
const userScript = `
const fs = require('node:fs')
const path = require('node:path')

const config = JSON.parse(fs.readFileSync('/project/config.json', 'utf8'))
const rows = fs.readFileSync('/project/data/sales.csv', 'utf8').trim().split('\\n').slice(1)
const totals = {}
for (const row of rows) {
  const [region, amount] = row.split(',')
  if (Number(amount) >= config.minAmount) totals[region] = (totals[region] ?? 0) + Number(amount)
}
console.log('files in /project:', fs.readdirSync('/project').join(', '))

fs.mkdirSync('/workspace/out', { recursive: true })
fs.writeFileSync(path.join('/workspace/out', 'report.json'), JSON.stringify({ currency: config.currency, totals }, null, 2))

// Writes outside /workspace/out are refused by the policy (EACCES). The mount
// is read-only as well: under a policy that allowed the write, it would be EROFS.
for (const target of ['/project/config.json', '/home/user/notes.txt']) {
  try {
    fs.writeFileSync(target, 'overwritten')
  } catch (err) {
    console.log('write to ' + target + ' refused: ' + err.code)
  }
}
`

const rt = await NodeRuntime.create({
  mounts: [{ hostPath: project, guestPath: '/project', readOnly: true }],
  permissions: { fs: { read: ['/project', '/workspace/out'], write: ['/workspace/out'] } },
  limits: { cpuTimeMs: 2000, memoryMb: 64 },
})
try {
  const r = await rt.exec(userScript, { filePath: '/workspace/script.js' })
  for (const line of r.stdout.trimEnd().split('\n')) console.log(`[script] ${line}`)
  if (r.code !== 0) {
    console.log(`script failed with code ${r.code}:\n${r.stderr}`)
    process.exitCode = 1
  } else {
    // The output lives in the runtime's virtual filesystem, not on the host's disk.
    console.log('outputs:', (await rt.fs.readdir('/workspace/out')).join(', '))
    const report = JSON.parse(await rt.fs.readFile('/workspace/out/report.json', 'utf8'))
    console.log('report:', JSON.stringify(report))
  }
} finally {
  await rt.dispose()
  rmSync(project, { recursive: true, force: true })
}
