// How entry code loads: CommonJS inside Node's module wrapper, ES modules
// with their exports handed back by run().
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers'

const t = useRuntime({})

describe('CommonJS entry code', () => {
  it('runs in the module wrapper: its own scope, five arguments, this is module.exports', async () => {
    const r = await t.rt.run(`let a = 1; var b = 2; function c() {}
      __return([typeof globalThis.a, typeof globalThis.b, typeof globalThis.c, this === module.exports,
        arguments.length, __filename, __dirname, module.id, require.main === module, module.paths])`, { filePath: '/home/user/app/main.js' })
    expect(r.value).toEqual(['undefined', 'undefined', 'undefined', true, 5, '/home/user/app/main.js', '/home/user/app', '.', true,
      ['/home/user/app/node_modules', '/home/user/node_modules', '/home/node_modules', '/node_modules']])
  })

  it("makes module objects whose fields no setter on Object.prototype can reach", async () => {
    const r = await t.rt.run(`const hit = []
      for (const k of ['id', 'path', 'exports', 'filename', 'loaded', 'children', 'paths', 'parent']) {
        Object.defineProperty(Object.prototype, k, { set() { hit.push(k) }, get() { return 'poisoned' }, configurable: true })
      }
      const m = new module.constructor('/x.js', '/x.js', module)
      __return([hit, m.id, m.filename, m.loaded, Object.keys(m), m.parent === module])`)
    expect(r.value).toEqual([[], '/x.js', '/x.js', false, ['id', 'path', 'exports', 'filename', 'loaded', 'children', 'paths'], true])
  })

  it('may return at top level', async () => {
    const r = await t.rt.exec(`console.log('before'); if (true) return; console.log('after')`)
    expect([r.code, r.stdout]).toEqual([0, 'before\n'])
  })

  it("has no exports in run()'s result", async () => {
    const r = await t.rt.run(`module.exports = { x: 1 }; __return(2)`)
    expect(r.value).toBe(2)
    expect('exports' in r).toBe(false)
  })

  it("reports a syntax error with the file's own line numbers", async () => {
    const r = await t.rt.exec(`const ok = 1;\nconst bad = ;`, { filePath: '/x.js' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('/x.js:2')
    expect(r.stderr).toContain('SyntaxError: Unexpected token')
  })
})

describe('ES module entry code', () => {
  it('hands back what it exports, cloned', async () => {
    const r = await t.rt.run(`export const x = 1; export default { deep: [1, new Map([[1, 'a']])] }; export function f() {}
      const v = await Promise.resolve(3); export { v as three }`)
    expect(r.exports).toEqual({ x: 1, default: { deep: [1, new Map([[1, 'a']])] }, three: 3 })
    expect(r.value).toBeUndefined()
  })

  it('is told from CommonJS by its syntax when nothing else says, as Node 20.19+', async () => {
    // Top-level await, import, import.meta: only a module may have them.
    expect((await t.rt.run('const v = await Promise.resolve(2); __return(v)')).value).toBe(2)
    expect((await t.rt.run("import { sep } from 'node:path'; __return(sep)")).value).toBe('/')
    expect((await t.rt.run('__return(typeof import.meta.url)')).value).toBe('string')
    // CommonJS only: top-level return, the wrapper's arguments.
    expect((await t.rt.run('__return(typeof require + typeof module); return')).value).toBe('functionobject')
    // Any other syntax error is CommonJS's, thrown as Node throws it.
    await expect(t.rt.run('let let = 1')).rejects.toMatchObject({ name: 'SyntaxError' })
    await expect(t.rt.run('export const x = ; ')).rejects.toMatchObject({ name: 'SyntaxError' })
  })

  it('exports are read when the loop has drained (live bindings)', async () => {
    const r = await t.rt.run(`export let later = 0; setTimeout(() => { later = 5 }, 5)`)
    expect(r.exports).toEqual({ later: 5 })
  })

  it('a module that throws rejects with no exports', async () => {
    await expect(t.rt.run(`export const x = 1; throw new RangeError('nope')`)).rejects.toMatchObject({ name: 'RangeError', message: 'nope' })
  })

  it('import.meta has url, filename, dirname and resolve as Node writes them', async () => {
    const r = await t.rt.run(`const { resolve, ...meta } = import.meta; export { meta }; export const keys = Object.keys(import.meta), r = typeof resolve`, { filePath: '/home/user/my app/x#1.mjs' })
    expect(r.exports).toEqual({
      meta: { dirname: '/home/user/my app', filename: '/home/user/my app/x#1.mjs', url: 'file:///home/user/my%20app/x%231.mjs' },
      keys: ['dirname', 'filename', 'resolve', 'url'],
      r: 'function',
    })
  })

  it("import.meta.url encodes a path as host Node's pathToFileURL does", async () => {
    for (const file of ['/x/[y]^|~{z}.mjs', '/é/ü\\q.mjs', '/p%q"r<s>t`u?.mjs']) {
      const r = await t.rt.run(`export const url = import.meta.url`, { filePath: file })
      expect(r.exports, file).toEqual({ url: pathToFileURL(file).href })
    }
  })
})
