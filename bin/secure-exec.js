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
  --memory-mb <n>     memory limit of the guest in MiB (default 128)
  --cpu-time-ms <n>   CPU time limit in ms (default 30000)
  --timeout-ms <n>    wall-clock limit in ms (default 60000)
  -h, --help          show this help

The guest sees no host environment variables, files or network. Its
stdout and stderr are streamed; the exit code is the guest's (124 on a time
limit, 137 on the memory limit).`

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
  for (; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP + '\n')
      return 0
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
  const { NodeRuntime } = require('..')
  const rt = await NodeRuntime.create({
    limits,
    onStdio: (e) => (e.stream === 'stdout' ? process.stdout : process.stderr).write(e.data),
  })
  try {
    const r = await rt.exec(code, { filePath, argv: argv.slice(i), timeoutMs })
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
