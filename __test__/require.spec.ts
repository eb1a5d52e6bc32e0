// `require` of builtin modules, as `node -e` gives it to its script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ tools: { add: async ({ a, b }: { a: number; b: number }) => a + b }, permissions: { tool: 'allow', fs: 'allow' } })
})
afterAll(async () => {
  await rt.dispose()
})

describe('require', () => {
  it('gives the same module with and without node:', async () => {
    const r = await rt.run(`const E = require('events'); __return([E === require('node:events'), typeof E.EventEmitter, E === E.EventEmitter])`)
    expect(r.value).toEqual([true, 'function', true])
  })

  it('fails like Node for a missing module', async () => {
    const r = await rt.run(`
      const out = [];
      for (const id of ['nope', 'node:nope', '', 1]) {
        try { require(id) } catch (e) { out.push([e.name, e.code, e.message]) }
      }
      __return(out)`, { filePath: '/app/main.js' })
    expect(r.value).toEqual([
      ['Error', 'MODULE_NOT_FOUND', "Cannot find module 'nope'\nRequire stack:\n- /app/main.js"],
      ['Error', 'ERR_UNKNOWN_BUILTIN_MODULE', 'No such built-in module: node:nope'],
      ['TypeError', 'ERR_INVALID_ARG_VALUE', "The argument 'id' must be a non-empty string. Received ''"],
      ['TypeError', 'ERR_INVALID_ARG_TYPE', 'The "id" argument must be of type string. Received type number (1)'],
    ])
  })

  it('gives the host tools as secure-exec:tools', async () => {
    const r = await rt.run(`(async () => { const t = require('secure-exec:tools'); __return([t === tools, await t.add({ a: 2, b: 3 })]) })()`)
    expect(r.value).toEqual([true, 5])
  })

  it('refuses native addons with a clear error', async () => {
    await rt.fs.mkdir('/workspace/node_modules/x/build/Release', { recursive: true })
    await rt.fs.writeFile('/workspace/node_modules/x/build/Release/x.node', 'ELF')
    const r = await rt.run(`const out = [];
      for (const f of [() => require('/workspace/node_modules/x/build/Release/x.node'), () => process.dlopen({}, '/x.node')]) {
        try { f() } catch (e) { out.push([e.code, e.message]) }
      }
      __return(out)`)
    expect(r.value).toEqual([
      ['ERR_SANDBOX_NATIVE_ADDON', "Cannot load native addon '/workspace/node_modules/x/build/Release/x.node': native addons (.node files) cannot run in this sandbox"],
      ['ERR_SANDBOX_NATIVE_ADDON', "Cannot load native addon '/x.node': native addons (.node files) cannot run in this sandbox"],
    ])
  })
})
