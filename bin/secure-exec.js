#!/usr/bin/env node
'use strict'
// secure-exec CLI: runs a script inside the sandbox, streaming its output
// and exiting with its exit code.
const { readFileSync } = require('node:fs')
const { basename } = require('node:path')

const HELP = `Usage:
  secure-exec run <file> [args...]     run a JavaScript file in the sandbox
  secure-exec run -e <code> [args...]  run code given on the command line

Options (before the file or -e):
  --memory-mb <n>              memory limit of the guest in MiB (default 128)
  --cpu-time-ms <n>            CPU time limit in ms (default 30000)
  --timeout-ms <n>             wall-clock limit in ms (default 60000)
  --allow-fs-read[=<globs>]    let the guest read its virtual filesystem
                               (all of it, or the comma-separated guest paths
                               and globs given; relative ones start at /home/user)
  --allow-fs-write[=<globs>]   the same for writing
  --allow-env[=<names>]        pass the host's environment variables (all, or
                               the comma-separated names given; * matches any run)
  --allow-net[=<hosts>]        let the guest connect out (anywhere public, or
                               to the comma-separated hosts given: name[:port],
                               *.domain, address or CIDR[:port]); loopback and
                               private addresses need a rule naming them
  --mount <host>:<guest>[:rw]  put a host directory at a guest path (read-only
                               unless :rw; may be repeated)
  -A, --allow-all              allow every permission scope, and pass the host's environment
  -h, --help                   show this help

Without --allow-* flags the guest gets nothing: no environment variables,
no files (its virtual filesystem is private and starts empty but for a
small Linux-like tree), no network. Its stdout and stderr are streamed; the
exit code is the guest's (124 on a time limit, 137 on the memory limit).`

// `pattern` names `name`; `*` matches any run of characters (as the env rule does).
function nameMatches(pattern, name) {
  const parts = pattern.split('*')
  if (parts.length === 1) return pattern === name
  if (!name.startsWith(parts[0])) return false
  let at = parts[0].length
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i], at)
    if (found < 0) return false
    at = found + parts[i].length
  }
  const last = parts[parts.length - 1]
  return name.length - last.length >= at && name.endsWith(last)
}

function fail(msg) {
  process.stderr.write(`secure-exec: ${msg}\n\n${HELP}\n`)
  process.exit(2)
}

async function main(argv) {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(HELP + '\n')
    return 0
  }
  if (argv[0] !== 'run') fail(`unknown command '${argv[0]}'`)
  const limits = {}
  let timeoutMs
  let i = 1
  const num = (name) => {
    const v = Number(argv[++i])
    if (!Number.isFinite(v)) fail(`${name} needs a number`)
    return v
  }
  let code
  let filePath = '/index.js'
  const permissions = {}
  const mounts = []
  const fsRules = { read: undefined, write: undefined }
  let envNames
  let netHosts
  // `--flag` or `--flag=a,b`: undefined for none, [] for "everything".
  const list = (a, flag) => {
    if (a === flag) return []
    // `--flag=,` names nothing: an error, never "everything".
    const v = a.slice(flag.length + 1).split(',').filter((x) => x !== '')
    if (v.length === 0) fail(`${flag}= needs a value`)
    return v
  }
  const guestPath = (p) => (p.startsWith('/') ? p : `/home/user/${p}`)
  for (; i < argv.length; i++) {
    const a = argv[i]
    const flag = a.split('=')[0]
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP + '\n')
      return 0
    } else if (flag === '--allow-fs-read' || flag === '--allow-fs-write') {
      const key = flag === '--allow-fs-read' ? 'read' : 'write'
      const v = list(a, flag)
      fsRules[key] = v.length === 0 ? ['/'] : [...(fsRules[key] ?? []), ...v.map(guestPath)]
    } else if (flag === '--allow-env') {
      const v = list(a, flag)
      envNames = v.length === 0 ? ['*'] : [...(envNames ?? []), ...v]
    } else if (flag === '--allow-net') {
      const v = list(a, flag)
      netHosts = v.length === 0 ? 'allow' : [...(Array.isArray(netHosts) ? netHosts : []), ...v]
    } else if (a === '--mount') {
      const spec = argv[++i]
      if (spec === undefined) fail('--mount needs host:guest[:rw]')
      const parts = spec.split(':')
      const rw = parts.length === 3 && parts[2] === 'rw'
      if (parts.length < 2 || parts.length > 3 || (parts.length === 3 && !rw) || !parts[0] || !parts[1]) {
        fail(`--mount ${spec}: expected host:guest[:rw]`)
      }
      mounts.push({ hostPath: parts[0], guestPath: parts[1], readOnly: !rw })
    } else if (a === '-A' || a === '--allow-all') {
      Object.assign(permissions, require('..').allowAll)
      envNames = ['*']
    } else if (a === '--memory-mb') limits.memoryMb = num(a)
    else if (a === '--cpu-time-ms') limits.cpuTimeMs = num(a)
    else if (a === '--timeout-ms') limits.wallTimeMs = timeoutMs = num(a)
    else if (a === '-e' || a === '--eval') {
      if (i + 1 >= argv.length) fail('-e needs code')
      code = argv[++i]
      filePath = '/[eval].js'
      i++
      break
    } else if (a.startsWith('-')) fail(`unknown option '${a}'`)
    else {
      try {
        code = readFileSync(a, 'utf8')
      } catch (e) {
        fail(`cannot read ${a}: ${e.code ?? e.message}`)
      }
      filePath = '/' + basename(a)
      i++
      break
    }
  }
  if (code === undefined) fail('nothing to run')
  if (permissions.fs === undefined && (fsRules.read || fsRules.write)) {
    permissions.fs = { read: fsRules.read ?? [], write: fsRules.write ?? [] }
  }
  if (permissions.network === undefined && netHosts !== undefined) {
    permissions.network = netHosts === 'allow' ? 'allow' : { allow: netHosts }
  }
  // The host's variables the guest is given, and may read.
  const env = {}
  if (envNames !== undefined) {
    if (permissions.env === undefined) permissions.env = envNames
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && envNames.some((n) => nameMatches(n, k))) env[k] = v
  }
  const { NodeRuntime } = require('..')
  const rt = await NodeRuntime.create({
    limits,
    permissions,
    mounts,
    onStdio: (e) => (e.stream === 'stdout' ? process.stdout : process.stderr).write(e.data),
  })
  try {
    const r = await rt.exec(code, { filePath, argv: argv.slice(i), timeoutMs, env })
    if (r.error && (r.code === 124 || r.code === 137 || r.code === 130)) {
      process.stderr.write(`secure-exec: ${r.error.message}\n`)
    }
    return r.code
  } finally {
    await rt.dispose()
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    process.stderr.write(`secure-exec: ${e.message}\n`)
    process.exitCode = 70
  },
)
