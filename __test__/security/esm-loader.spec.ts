// The module loaders under attack: a guest that poisons intrinsics before it
// imports still loads its modules (the loaders use captured intrinsics), and
// what the loader hands out (import.meta, namespaces) reaches nothing of the
// engine's.
import { describe, expect, it } from 'vitest'
import { allowAll } from '../../index.js'
import { perTestRuntimes } from '../helpers.js'

const make = perTestRuntimes()

const POISONS: Record<string, string> = {
  'Array.prototype.push': `Array.prototype.push = () => { throw new Error('push') };`,
  'Array.prototype.includes': `Array.prototype.includes = () => { throw new Error('includes') };`,
  'Promise.prototype.then': `const then = Promise.prototype.then; Promise.prototype.then = function (a, b) { globalThis.thens = (globalThis.thens || 0) + 1; return then.call(this, a, b) };`,
  'Map.prototype': `Map.prototype.get = () => ({ id: 0, linked: true, url: 'evil' }); Map.prototype.set = () => { throw new Error('set') };`,
  'Object.prototype getters': `for (const k of ['url', 'path', 'format', 'builtin', 'id', 'linked', 'evaluate', 'facade', 'code', 'paths']) Object.defineProperty(Object.prototype, k, { get() { throw new Error('getter ' + k) }, set() { throw new Error('setter ' + k) }, configurable: true });`,
  'JSON.parse': `JSON.parse = () => ({ poisoned: true });`,
  'String.prototype': `for (const m of ['startsWith', 'slice', 'indexOf', 'lastIndexOf', 'endsWith', 'charCodeAt']) String.prototype[m] = () => { throw new Error(m) };`,
  'Reflect.ownKeys and Object.keys': `Reflect.ownKeys = () => ['evil']; Object.keys = () => ['evil'];`,
  'Function.prototype.call/apply': `Function.prototype.call = () => { throw new Error('call') }; Function.prototype.apply = () => { throw new Error('apply') };`,
}

async function project() {
  const rt = await make({ permissions: allowAll })
  await rt.fs.mkdir('/home/user/node_modules/pkg', { recursive: true })
  await rt.fs.writeFile('/home/user/node_modules/pkg/package.json', JSON.stringify({ exports: { import: './m.mjs', require: './c.cjs' } }))
  await rt.fs.writeFile('/home/user/node_modules/pkg/m.mjs', `export const v = 'esm pkg'; export default 'd';`)
  await rt.fs.writeFile('/home/user/node_modules/pkg/c.cjs', `module.exports = 'cjs pkg'`)
  await rt.fs.writeFile('/home/user/c.cjs', `module.exports = 'cjs'`)
  await rt.fs.writeFile('/home/user/d.json', `{ "j": 1 }`)
  await rt.fs.writeFile('/home/user/e.mjs', `export const e = 'required esm'`)
  return rt
}

describe('loaders under poisoned intrinsics', () => {
  for (const [name, poison] of Object.entries(POISONS)) {
    it(`import and require work after the guest poisons ${name}`, async () => {
      const rt = await project()
      // The checks read results with values captured before the poison.
      const r = await rt.run(`
        const out = [], log = console.log, json = JSON.stringify;
        ${poison}
        const m = await import('pkg');
        const c = await import('./c.cjs');
        const d = await import('./d.json', { with: { type: 'json' } });
        const fs = await import('node:fs');
        const { createRequire } = await import('node:module');
        const require = createRequire(import.meta.url);
        log(json([m.v, m.default, c.default, d.default, typeof fs.readFileSync, require('./e.mjs').e, require('pkg')]));
        log(import.meta.url, import.meta.dirname);`, { filePath: '/home/user/main.mjs' })
      expect(r.stdout).toBe(
        '["esm pkg","d","cjs",{"j":1},"function","required esm","cjs pkg"]\nfile:///home/user/main.mjs /home/user\n',
      )
    })
  }
})

describe('what the loader hands out', () => {
  it('import.meta and namespaces reach nothing of the engine', async () => {
    const rt = await project()
    const r = await rt.run(`
      const found = [];
      const seen = new Set();
      // Walks everything reachable from import.meta and a namespace, and
      // looks for the engine's natives object or a loader's internals.
      const walk = (v, depth) => {
        if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 4) return;
        seen.add(v);
        for (const k of Reflect.ownKeys(v)) {
          if (typeof k === 'string' && /^(v8_|mod_|fs_|failed$|byId$|byUrl$)/.test(k)) found.push(k);
          let x;
          try { x = v[k] } catch { continue }
          walk(x, depth + 1);
        }
        walk(Object.getPrototypeOf(v), depth + 1);
      };
      walk(import.meta, 0);
      walk(await import('pkg'), 0);
      walk(await import('./c.cjs'), 0);
      console.log(JSON.stringify(found), Object.getPrototypeOf(import.meta));`, { filePath: '/home/user/main.mjs' })
    expect(r.stdout).toBe('[] null\n')
  })

  it("a call's pending import does not settle into the next call", async () => {
    const rt = await project()
    await rt.fs.writeFile('/home/user/slow.mjs', `await new Promise((r) => setTimeout(r, 50)); export const s = 1;`)
    const first = await rt.run(`import('./slow.mjs').then(() => console.log('settled late')); process.exit(0)`, { filePath: '/home/user/a.mjs' })
    const second = await rt.run(`await new Promise((r) => setTimeout(r, 100)); console.log('second')`, { filePath: '/home/user/b.mjs' })
    expect([first.stdout, second.stdout]).toEqual(['', 'second\n'])
  })
})
