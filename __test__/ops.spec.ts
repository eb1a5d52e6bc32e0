// The op boundary: argument errors as Node's validators give them, errno
// errors built in the guest with a stack that starts at the user's call,
// probes that answer with a status.
import { describe, expect, it } from 'vitest'
import { hostNode, useRuntime } from './helpers'

const t = useRuntime({ testOps: true })

// The same error as host Node's `fs` validators throw for an fd argument.
const hostFdErrors = hostNode(`
  const fs = require('fs')
  for (const v of ['x', 1.5, 2 ** 40, undefined, {}]) {
    try { fs.fsyncSync(v) } catch (e) { console.log(JSON.stringify([e.name, e.code, e.message])) }
  }
`)

describe('typed ops', () => {
  it('wrong argument types and ranges give the messages of Node validators', async () => {
    const r = await t.rt.exec(`
      for (const v of ['x', 1.5, 2 ** 40, undefined, {}]) {
        try { __testOps.args(v, 'p') } catch (e) { console.log(JSON.stringify([e.name, e.code, e.message])) }
      }
    `)
    expect(r.stdout).toBe(hostFdErrors.stdout)
    expect(r.stdout).toContain('The \\"fd\\" argument must be of type number. Received type string (\'x\')')
  })

  it('a later argument names itself', async () => {
    const r = await t.rt.run(`
      try { __testOps.args(1, 42) } catch (e) { __return([e.code, e.message]) }
    `)
    expect(r.value).toEqual([
      'ERR_INVALID_ARG_TYPE',
      'The "path" argument must be of type string. Received type number (42)',
    ])
  })

  it('an errno error has Node\'s shape and a stack that starts in user code', async () => {
    const guest = await t.rt.exec(`
      function userFn() { __testOps.fail(2, '/nope') }
      try { userFn() } catch (e) {
        console.log(e)
        console.log(JSON.stringify([e.message, e.errno, e.code, e.syscall, e.path, 'dest' in e]))
        console.log(e.stack.split('\\n')[1].trim())
      }
      try { __testOps.fail(18, '/a', '/b') } catch (e) { console.log(e.message, e.dest) }
    `)
    const host = hostNode(`
      try { require('fs').openSync('/nope') } catch (e) {
        console.log(e)
        console.log(JSON.stringify([e.message, e.errno, e.code, e.syscall, e.path, 'dest' in e]))
      }
    `)
    const noFrames = (s: string) => s.split('\n').filter((l) => !/^\s+at /.test(l))
    const lines = guest.stdout.split('\n')
    // console.log(err) and its fields print as Node prints them.
    expect(noFrames(lines.slice(0, -3).join('\n') + '\n')).toEqual(noFrames(host.stdout))
    expect(lines[lines.length - 3]).toMatch(/^at userFn \(\/index\.js:2:\d+\)$/)
    expect(guest.stdout).not.toContain('node:internal')
    expect(lines[lines.length - 2]).toBe("EXDEV: cross-device link not permitted, open '/a' -> '/b' /b")
  })

  it('a probe answers with a status instead of throwing', async () => {
    const r = await t.rt.run(`__return([__testOps.probe(0), __testOps.probe(2), __testOps.probe(13)])`)
    expect(r.value).toEqual([0, -2, -13])
  })

  it('a stat op leaves its fields in the shared stat array, as Node\'s statValues', async () => {
    const r = await t.rt.run(`__return([__testOps.stat(10), __testOps.stat(0.5)])`)
    const [a, b] = r.value as number[][]
    expect(a).toEqual(Array.from({ length: 18 }, (_, i) => 10 + i))
    expect(b[17]).toBe(17.5)
  })

  it('bytes ops read the guest buffer in place; ops ignore extra arguments', async () => {
    const r = await t.rt.run(`
      const b = new Uint8Array(1024).fill(3)
      __return([__testOps.bytes(b), __testOps.bytes(b.subarray(1000)), __testOps.nop(1, 2, 3)])
    `)
    expect(r.value).toEqual([3072, 72, undefined])
  })

  it('the diagnostic ops exist only when the host asks for them', async () => {
    const { NodeRuntime } = await import('../index.js')
    const rt = await NodeRuntime.create()
    try {
      const r = await rt.run(`__return(typeof __testOps)`)
      expect(r.value).toBe('undefined')
    } finally {
      await rt.dispose()
    }
  })

  it('failures of builtins over ops keep their Node errors', async () => {
    const r = await t.rt.exec(`
      try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])) } catch (e) { console.log(e.name, e.code) }
      try { crypto.getRandomValues(new Uint8Array(70000)) } catch (e) { console.log(e.name) }
      try { new URL('nope') } catch (e) { console.log(e.code, e.input) }
      console.log(URL.canParse('nope'), URL.canParse('https://x'))
    `)
    expect(r.stdout).toBe(
      'TypeError ERR_ENCODING_INVALID_ENCODED_DATA\nQuotaExceededError\nERR_INVALID_URL nope\nfalse true\n',
    )
  })
})
