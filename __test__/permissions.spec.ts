// Deny-by-default permissions: static rules decided in the sidecar, host
// functions asked through host queries (cached only when they say so, a
// throw denies), every decision an audit event when the host listens.
import { describe, expect, it } from 'vitest'
import { allowAll, allowAllEnv, allowAllFs, NodeRuntime, type AuditEvent, type PermissionRequest } from '../index.js'
import { perTestRuntimes } from './helpers'

const make = perTestRuntimes()

const env = { HOME: '/home/user', NODE_ENV: 'test', AWS_KEY: 'k', AWS_SECRET: 's', OTHER: 'o' }
const readEnv = `__return({ keys: Object.keys(process.env), home: process.env.HOME, secret: process.env.AWS_SECRET, has: 'OTHER' in process.env })`
const writeEnv = `const out = [];
  for (const [k, v] of [['NODE_ENV', 'x'], ['NEW', 'y']]) {
    try { process.env[k] = v; out.push(process.env[k]) } catch (e) { out.push([e.code, e.errno, e.syscall, e.path, e.message]) }
  }
  try { delete process.env.OTHER; out.push('deleted') } catch (e) { out.push(e.code) }
  __return(out)`

describe('env scope', () => {
  it('is denied by default: every variable looks unset and writes fail with EACCES', async () => {
    const rt = await make({})
    expect((await rt.run(readEnv, { env })).value).toEqual({ keys: [], home: undefined, secret: undefined, has: false })
    expect((await rt.run(writeEnv, { env })).value).toEqual([
      ['EACCES', -13, 'env', 'NODE_ENV', "EACCES: permission denied, env 'NODE_ENV'"],
      ['EACCES', -13, 'env', 'NEW', "EACCES: permission denied, env 'NEW'"],
      'EACCES',
    ])
  })

  it('"allow" shows exactly what the call passed, and writes stay in the process', async () => {
    const rt = await make({ permissions: allowAllEnv })
    expect((await rt.run(readEnv, { env })).value).toEqual({ keys: Object.keys(env).sort(), home: '/home/user', secret: 's', has: true })
    expect((await rt.run(writeEnv, { env })).value).toEqual(['x', 'y', 'deleted'])
    // Nothing of one call's writes reaches the next.
    expect((await rt.run(`__return([process.env.NEW, process.env.OTHER])`, { env })).value).toEqual([undefined, 'o'])
  })

  it('a list of names allows those names and star patterns only', async () => {
    const rt = await make({ permissions: { env: ['HOME', 'AWS_*'] } })
    const r = await rt.run<any>(readEnv, { env })
    expect(r.value).toEqual({ keys: ['AWS_KEY', 'AWS_SECRET', 'HOME'], home: '/home/user', secret: 's', has: false })
  })

  it('"deny" and false deny', async () => {
    for (const rule of ['deny', false] as const) {
      const rt = await make({ permissions: { env: rule } })
      expect((await rt.run<any>(readEnv, { env })).value.keys).toEqual([])
    }
  })
})

describe('tool scope', () => {
  const tools = { add: ({ a, b }: { a: number; b: number }) => a + b, secret: () => 'classified' }
  const call = `(async () => {
    const out = [];
    for (const name of ['add', 'secret']) {
      try { out.push(await tools[name]({ a: 1, b: 2 })) } catch (e) { out.push([e.code, e.syscall, e.path]) }
      try { out.push(tools[name].sync({ a: 1, b: 2 })) } catch (e) { out.push(e.code) }
    }
    __return(out)
  })()`

  it('denies every tool by default', async () => {
    let called = 0
    const rt = await make({ tools: { add: () => ++called } })
    const r = await rt.run(`(async () => { try { await tools.add({}) } catch (e) { __return([e.code, e.message]) } })()`)
    expect(r.value).toEqual(['EACCES', "EACCES: permission denied, tool 'add'"])
    expect(called).toBe(0)
  })

  it('a list of names allows only those tools', async () => {
    const rt = await make({ tools, permissions: { tool: ['add'] } })
    expect((await rt.run(call)).value).toEqual([3, 3, ['EACCES', 'tool', 'secret'], 'EACCES'])
  })

  it('a host function decides per call; a throwing one denies', async () => {
    const asked: PermissionRequest[] = []
    const rt = await make({
      tools,
      permissions: {
        tool: (req) => {
          asked.push(req)
          if (req.scope === 'tool' && req.name === 'secret') throw new Error('no')
          return true
        },
      },
    })
    expect((await rt.run(call)).value).toEqual([3, 3, ['EACCES', 'tool', 'secret'], 'EACCES'])
    expect(asked).toEqual([
      { scope: 'tool', op: 'call', name: 'add' },
      { scope: 'tool', op: 'call', name: 'add' },
      { scope: 'tool', op: 'call', name: 'secret' },
      { scope: 'tool', op: 'call', name: 'secret' },
    ])
  })
})

describe('host permission functions', () => {
  it('are asked once per (op, target) in a call when they say cache, and again in the next call', async () => {
    let asked = 0
    const rt = await make({
      permissions: {
        env: async () => {
          asked++
          return { allow: true, cache: true }
        },
      },
    })
    const code = `let s = ''; for (let i = 0; i < 5; i++) s += process.env.HOME; __return(s)`
    expect((await rt.run(code, { env })).value).toBe('/home/user'.repeat(5))
    expect(asked).toBe(1)
    await rt.run(code, { env })
    expect(asked).toBe(2)
  })

  it('are asked every time without cache', async () => {
    let asked = 0
    const rt = await make({ permissions: { env: () => (asked++, true) } })
    await rt.run(`for (let i = 0; i < 5; i++) process.env.HOME`, { env })
    expect(asked).toBe(5)
  })

  it('anything but true (or { allow: true }) denies', async () => {
    const answers = [() => 1, () => 'yes', () => null, () => undefined, () => ({ allow: 'true' }), () => Promise.reject(new Error('x'))]
    for (const answer of answers) {
      const rt = await make({ permissions: { env: answer as any } })
      expect((await rt.run(`__return(process.env.HOME)`, { env })).value).toBeUndefined()
    }
  })
})

describe('audit events', () => {
  it('report every decision with its rule', async () => {
    const events: AuditEvent[] = []
    const rt = await make({
      tools: { add: () => 1 },
      permissions: { env: ['HOME'] },
      onAudit: (e) => events.push(e),
    })
    await rt.run(`process.env.HOME; process.env.OTHER; try { tools.add.sync() } catch {}`, { env })
    const pid = events[0]?.pid
    expect(typeof pid).toBe('number')
    expect(events).toEqual([
      { type: 'permission', pid, scope: 'env', op: 'read', name: 'HOME', allowed: true, rule: 'permissions.env[0]' },
      { type: 'permission', pid, scope: 'env', op: 'read', name: 'OTHER', allowed: false, rule: 'permissions.env (no entry matched)' },
      { type: 'permission', pid, scope: 'tool', op: 'call', name: 'add', allowed: false, rule: 'permissions.tool (not given: denied by default)' },
    ])
  })

  it('are bounded per guest process', async () => {
    const events: AuditEvent[] = []
    const rt = await make({ permissions: allowAllEnv, onAudit: (e) => events.push(e) })
    await rt.run(`for (let i = 0; i < 10_050; i++) process.env.HOME`, { env })
    await new Promise((r) => setTimeout(r, 50))
    expect(events.length).toBe(10_001)
    expect(events.at(-1)).toEqual({ type: 'dropped', pid: events[0].pid, after: 10_000 })
  })

  it('a throwing listener does not break the call', async () => {
    const rt = await make({ permissions: allowAllEnv, onAudit: () => { throw new Error('listener') } })
    expect((await rt.run(`__return(process.env.HOME)`, { env })).value).toBe('/home/user')
  })
})

describe('the permissions option', () => {
  it('refuses unknown scopes, bad shapes and bad rules with ERR_INVALID_ARG_VALUE', async () => {
    const bad: any[] = [
      { files: 'allow' },
      { fs: 'yes' },
      { network: ['x'] },
      { fs: { read: ['relative/path'] } },
      { fs: { read: ['/a['] } },
      { fs: { rd: ['/x'] } },
      { fs: { read: ['/x'], writes: ['/y'] } },
      { env: [1] },
    ]
    for (const permissions of bad) {
      const e = await NodeRuntime.create({ permissions }).then(() => null, (e) => e)
      expect(e, JSON.stringify(permissions)).toBeInstanceOf(TypeError)
      expect(e.code, JSON.stringify(permissions)).toMatch(/^ERR_INVALID_ARG_(VALUE|TYPE)$/)
    }
    await expect(NodeRuntime.create({ permissions: 'allow' as any })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
  })

  it('network: allow and deny lists of hosts, domains, addresses and ranges, checked at create()', async () => {
    const rt = await NodeRuntime.create({
      permissions: {
        network: {
          allow: ['api.example.com:443', '*.example.org', '*', '10.0.0.0/8', '127.0.0.1:8080', '[::1]:9000', '[fd00::]/8', 'Bücher.example.'],
          deny: ['evil.example.com', '203.0.113.0/24'],
        },
      },
    })
    try {
      expect((await rt.run('__return(1)')).value).toBe(1)
    } finally {
      await rt.dispose()
    }
    const bad: [any, string, RegExp][] = [
      [{ allow: ['ok.example', 'host:0'] }, 'ERR_INVALID_ARG_VALUE', /permissions\.network\.allow\[1\] has a port that is not a number from 1 to 65535: "host:0"/],
      [{ deny: ['10.0.0.0/33'] }, 'ERR_INVALID_ARG_VALUE', /permissions\.network\.deny\[0\] is not a host name, address or range/],
      // An address only in dotted decimal form: 0x7f.1 is 127.0.0.1 to the C library.
      [{ allow: ['0x7f.1'] }, 'ERR_INVALID_ARG_VALUE', /permissions\.network\.allow\[0\]/],
      [{ allow: ['[::1'] }, 'ERR_INVALID_ARG_VALUE', /unclosed/],
      [{ allow: [''] }, 'ERR_INVALID_ARG_VALUE', /non-empty/],
      [{ allowed: ['x'] }, 'ERR_INVALID_ARG_VALUE', /options\.permissions\.network\.allowed' is not a network rule list/],
      [{ allow: 'x' }, 'ERR_INVALID_ARG_TYPE', /options\.permissions\.network\.allow/],
      [{ allow: [443] }, 'ERR_INVALID_ARG_TYPE', /options\.permissions\.network\.allow\[0\]/],
      [{ allow: Array.from({ length: 4097 }, (_, i) => `h${i}.example`) }, 'ERR_INVALID_ARG_VALUE', /at most 4096/],
    ]
    for (const [network, code, message] of bad) {
      const e = await NodeRuntime.create({ permissions: { network } }).then(() => null, (e) => e)
      expect(e, JSON.stringify(network).slice(0, 80)).toBeInstanceOf(TypeError)
      expect(e.code).toBe(code)
      expect(e.message).toMatch(message)
    }
  })

  it('exports the presets', () => {
    expect(allowAllFs).toEqual({ fs: 'allow' })
    expect(Object.keys(allowAll).sort()).toEqual(['childProcess', 'env', 'fs', 'network', 'process', 'tool'])
    expect(Object.isFrozen(allowAll)).toBe(true)
  })
})
