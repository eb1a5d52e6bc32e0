// ES modules: import of files, packages, JSON and builtins, import(),
// import.meta, require() of ES modules, and Node's errors for each. Every
// case is a small project written to a host directory, run by host Node
// (`node main.mjs`) and in the sandbox with that directory mounted at the
// same path; stdout and the exit code must be the same.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { allowAll, NodeRuntime } from '../index.js'
import { perTestRuntimes } from './helpers.js'

const roots: string[] = []
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})
const make = perTestRuntimes()

type Files = Record<string, string>

function project(files: Files) {
  const root = mkdtempSync(join(tmpdir(), 'se-esm-'))
  roots.push(root)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true })
    writeFileSync(join(root, name), text)
  }
  return root
}

// Host Node's and the sandbox's output for `entry` of the project.
async function both(files: Files, entry = 'main.mjs', options: { stdin?: string } = {}) {
  const root = project(files)
  const file = join(root, entry)
  const host = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8', env: {}, timeout: 20_000 })
  const rt = await make({ permissions: allowAll, mounts: [{ hostPath: root, guestPath: root }] })
  const r = await rt.run(files[entry], { filePath: file, cwd: root }).catch((e) => e)
  // A run that rejects carries the exit code as exitCode.
  const guest = { stdout: r.stdout as string, code: (r.exitCode ?? r.code) as number }
  return { host: { stdout: host.stdout, code: host.status }, guest, root, options }
}

async function same(files: Files, entry = 'main.mjs') {
  const { host, guest } = await both(files, entry)
  expect(guest).toEqual(host)
  return host.stdout
}

// Prints what an import (or any call) fails with.
const tryIt = `const tryIt = async (f) => { try { await f() } catch (e) { console.log(e.name, e.code, e.message) } };`

describe('import of files and packages', () => {
  it('imports relative files, packages with export conditions, and builtins', async () => {
    const out = await same({
      'main.mjs': `import { b, h } from './lib/m.mjs'; import fs, { readFileSync } from 'node:fs'; import path from 'path';
        import def, * as ns from 'pkg'; import sub from 'pkg/sub';
        console.log(b, h(), typeof readFileSync, fs.readFileSync === readFileSync, path.sep, def, Object.keys(ns), sub);`,
      'lib/m.mjs': `import { a } from 'pkg'; export const b = a + 1; export { default as h } from 'pkg';`,
      'node_modules/pkg/package.json': JSON.stringify({
        name: 'pkg', exports: { '.': { import: './esm.mjs', require: './cjs.cjs' }, './sub': { default: './sub/index.mjs' } },
      }),
      'node_modules/pkg/esm.mjs': `export const a = 1; export default function hi() { return 'hi' }`,
      'node_modules/pkg/cjs.cjs': `module.exports = 'cjs'`,
      'node_modules/pkg/sub/index.mjs': `export default 'sub'`,
    })
    expect(out).toBe("2 hi function true / [Function: hi] [ 'a', 'default' ] sub\n")
  })

  it('follows subpath patterns, imports (#), self-reference and main', async () => {
    await same({
      'main.mjs': `import x from 'pat/feat/x.mjs'; import self from 'app/self'; import i from '#inner'; import m from 'mainpkg';
        console.log(x, self, i, m);`,
      'package.json': JSON.stringify({ name: 'app', type: 'module', exports: { './self': './self.js' }, imports: { '#inner': './inner.js' } }),
      'self.js': `export default 'self'`,
      'inner.js': `export default 'inner'`,
      'node_modules/pat/package.json': JSON.stringify({ exports: { './feat/*': './src/*' } }),
      'node_modules/pat/src/x.mjs': `export default 'pattern'`,
      'node_modules/mainpkg/package.json': JSON.stringify({ main: './lib/entry.js', type: 'module' }),
      'node_modules/mainpkg/lib/entry.js': `export default 'main'`,
    })
  })

  it("finds a package's main with CommonJS's extensions and index files, as Node's ESM resolution does", async () => {
    await same({
      'main.mjs': `import a from 'bare'; import b from 'noext'; import c from 'dirmain';
        console.log(a, b, c); try { await import('noext/lib/x') } catch (e) { console.log(e.code) }`,
      'node_modules/bare/index.js': `module.exports = 'bare index'`,
      'node_modules/noext/package.json': JSON.stringify({ main: 'lib/x' }),
      'node_modules/noext/lib/x.js': `module.exports = 'main without extension'`,
      'node_modules/dirmain/package.json': JSON.stringify({ main: './lib' }),
      'node_modules/dirmain/lib/index.js': `module.exports = 'main is a directory'`,
    })
  })

  it('gives live bindings and evaluates cycles as Node does', async () => {
    const out = await same({
      'main.mjs': `import { a, bump } from './a.mjs'; console.log('main', a); bump(); console.log('main', a);`,
      'a.mjs': `import { b } from './b.mjs'; console.log('a runs, b =', b); export let a = 1; export function bump() { a++ }`,
      'b.mjs': `import { bump } from './a.mjs'; console.log('b runs', typeof bump); export const b = 2;`,
    })
    expect(out).toBe('b runs function\na runs, b = 2\nmain 1\nmain 2\n')
  })

  it('runs top-level await in dependency order', async () => {
    await same({
      'main.mjs': `import './slow.mjs'; import './fast.mjs'; console.log('main');`,
      'slow.mjs': `console.log('slow start'); await new Promise((r) => setTimeout(r, 20)); console.log('slow end');`,
      'fast.mjs': `console.log('fast');`,
    })
  })

  it('imports JSON only with its type attribute', async () => {
    await same({
      'main.mjs': `${tryIt} import j from './d.json' with { type: 'json' }; console.log(j);
        await tryIt(() => import('./d.json'));
        await tryIt(() => import('./c.cjs', { with: { type: 'json' } }));
        await tryIt(() => import('./d.json', { with: { type: 'css' } }));
        console.log((await import('./d.json', { with: { type: 'json' } })).default === j);`,
      'd.json': `{ "x": [1, 2] }`,
      'c.cjs': `module.exports = 1`,
    })
  })

  it('fails as Node does for what it cannot find or load', async () => {
    await same({
      'main.mjs': `${tryIt}
        await tryIt(() => import('./nope.js'));
        await tryIt(() => import('nope'));
        await tryIt(() => import('../x/../nope.mjs'));
        await tryIt(() => import('https://example.com/a.js'));
        await tryIt(() => import('node:nope'));
        await tryIt(() => import('pkg/hidden.js'));
        await tryIt(() => import('./bad.mjs'));
        await tryIt(() => import('./throws.mjs'));
        await tryIt(() => import('./throws.mjs'));`,
      'node_modules/pkg/package.json': JSON.stringify({ exports: { '.': './i.js' } }),
      'node_modules/pkg/i.js': `module.exports = 1`,
      'node_modules/pkg/hidden.js': `module.exports = 2`,
      'bad.mjs': `export const = 1;`,
      'throws.mjs': `console.log('evaluated once'); throw new RangeError('boom');`,
    })
  })

  it('names what is missing and hints at what CommonJS would have found', async () => {
    await same({
      'main.mjs': `${tryIt} for (const s of ['./d', './sub/y', 'hp/lib/x', './sub', './nope', 'hp/nope', '@sc/p/x', '@sc/none/x']) await tryIt(() => import(s));`,
      'd.json': `{}`,
      'sub/y.js': ``,
      'node_modules/hp/package.json': JSON.stringify({ name: 'hp' }),
      'node_modules/hp/lib/x.js': ``,
      'node_modules/@sc/p/x.js': ``,
      'deep/a/h.mjs': ``,
    })
  })

  it('import.meta has dirname, filename, resolve and url', async () => {
    await same({
      'main.mjs': `console.log(Object.keys(import.meta), import.meta.url.endsWith('/main.mjs'), import.meta.filename.endsWith('/main.mjs'));
        console.log(import.meta.resolve('fs'), import.meta.resolve('node:path'), import.meta.resolve('./none.js') === new URL('./none.js', import.meta.url).href);
        console.log(import.meta.resolve('pkg') === new URL('./node_modules/pkg/i.mjs', import.meta.url).href);
        try { import.meta.resolve('nope') } catch (e) { console.log(e.code) }
        const { meta } = await import('./sub/m.mjs'); console.log(meta.dirname === import.meta.dirname + '/sub');`,
      'sub/m.mjs': `export const meta = { dirname: import.meta.dirname }`,
      'node_modules/pkg/package.json': JSON.stringify({ exports: './i.mjs' }),
      'node_modules/pkg/i.mjs': ``,
    })
  })
})

describe('import of CommonJS packages under fs path rules', () => {
  // The strict (import) search goes past a package whose "main" has no
  // extension, up to /node_modules, which these rules hide: the loose
  // search Node uses for "main" must still find it.
  it('finds a "main" without an extension, or index.js with no "main"; a missing package is still not found', async () => {
    const rt = await NodeRuntime.create({ permissions: { fs: { read: ['/workspace'] } } })
    try {
      const files: Record<string, string> = {
        '/workspace/node_modules/tiny/package.json': JSON.stringify({ name: 'tiny', main: './index' }),
        '/workspace/node_modules/tiny/index.js': `module.exports = { hi: 'tiny' }`,
        '/workspace/node_modules/nomain/package.json': JSON.stringify({ name: 'nomain' }),
        '/workspace/node_modules/nomain/index.js': `module.exports = { hi: 'nomain' }`,
      }
      for (const [p, body] of Object.entries(files)) {
        await rt.fs.mkdir(p.slice(0, p.lastIndexOf('/')), { recursive: true })
        await rt.fs.writeFile(p, body)
      }
      const r = await rt.exec(`import t from 'tiny'; import n from 'nomain'; console.log(t.hi, n.hi);
        try { await import('missing') } catch (e) { console.log(e.code) }`, { filePath: '/workspace/b.mjs' })
      expect(r.stderr).toBe('')
      expect(r.stdout).toMatch(/^tiny nomain\n(ERR_MODULE_NOT_FOUND|EACCES)\n$/)
    } finally {
      await rt.dispose()
    }
  })
})

describe('data: URLs', () => {
  it('imports JavaScript and JSON from data: URLs, as Node does', async () => {
    await same({
      'main.mjs': `${tryIt}
        const m = await import('data:text/javascript,export const x = 1; export default import.meta.url');
        console.log(m.x, m.default, (await import('data:text/javascript,export const k = Object.keys(import.meta)')).k);
        console.log((await import('data:application/json,{"a":%201}', { with: { type: 'json' } })).default);
        console.log((await import('data:text/javascript;base64,ZXhwb3J0IGRlZmF1bHQgNDI=')).default);
        console.log((await import('data:text/javascript,import fs from "fs"; export default typeof fs.readFileSync')).default);
        for (const u of ['data:text/plain,hi', 'data:text/javascript,import "./x.js"', 'data:application/json,{"a":1}']) await tryIt(() => import(u));`,
    })
  })
})

describe('CommonJS and ES modules together', () => {
  it('import() works from CommonJS entry code', async () => {
    await same({
      'main.cjs': `import('./m.mjs').then((m) => console.log(m.x, Object.keys(m))); console.log('sync first');`,
      'm.mjs': `export const x = 42;`,
    }, 'main.cjs')
  })

  it('require() of an ES module gives its namespace, as Node 20.19+ does', async () => {
    await same({
      'main.cjs': `const a = require('./named.mjs'), d = require('./def.mjs'), m = require('./me.mjs');
        console.log(Object.keys(a), a.a, Object.keys(d), d.__esModule, d.default, m, require('./named.mjs') === a);
        try { require('./tla.mjs') } catch (e) { console.log(e.code) }
        try { require('./esm-throws.mjs') } catch (e) { console.log(e.message) }`,
      'named.mjs': `export const a = 1;`,
      'def.mjs': `export default 5; export const b = 2;`,
      'me.mjs': `const x = 'the value'; export { x as 'module.exports' };`,
      'tla.mjs': `await 1; export const t = 1;`,
      'esm-throws.mjs': `throw new Error('esm threw')`,
    }, 'main.cjs')
  })

  it('decides the format of a .js file by package type, then by syntax', async () => {
    await same({
      'main.mjs': `import a from './esm/a.js'; import b from './cjs/b.js'; import * as c from './plain/c.js'; import d from './plain/d.js';
        console.log(a, b, c.c, d);`,
      'esm/package.json': JSON.stringify({ type: 'module' }),
      'esm/a.js': `export default 'esm by type'`,
      'cjs/package.json': JSON.stringify({ type: 'commonjs' }),
      'cjs/b.js': `module.exports = 'cjs by type'`,
      'plain/c.js': `export const c = 'esm by syntax'`,
      'plain/d.js': `module.exports = 'cjs by syntax'`,
    })
  })

  it('gives the named exports Node detects in CommonJS modules, and its error for the others', async () => {
    await same({
      'main.mjs': `import { a, b, c, d } from './c.cjs'; import * as ns from './c.cjs';
        import star from './star.cjs'; import { inner } from './star.cjs';
        console.log(a, b, c, d, Object.keys(ns), typeof star, inner);
        try { await import('./bad.mjs') } catch (e) { console.log(e.name, e.message) }`,
      'c.cjs': `exports.a = 1; module.exports.b = 2; Object.defineProperty(exports, 'c', { enumerable: true, get() { return 3 } });
        exports['d'] = 4; Object.assign(exports, require('./re.cjs'));`,
      're.cjs': `exports.fromReexport = 're'`,
      'star.cjs': `module.exports = require('./inner.cjs')`,
      'inner.cjs': `exports.inner = 'inner'`,
      'bad.mjs': `import { nope, a as alias } from './c.cjs';\nconsole.log(nope);`,
    })
  })

  it('evaluates CommonJS imports in order with ES module siblings', async () => {
    await same({
      'main.mjs': `import './one.mjs'; import c from './two.cjs'; import './three.mjs'; console.log('main', c);`,
      'one.mjs': `console.log('one');`,
      'two.cjs': `console.log('two'); module.exports = 2;`,
      'three.mjs': `console.log('three');`,
    })
  })

  it('shares CommonJS module instances between require and import', async () => {
    await same({
      'main.mjs': `import { createRequire } from 'node:module'; import c from './c.cjs';
        const require = createRequire(import.meta.url); console.log(require('./c.cjs') === c, c.n);`,
      'c.cjs': `module.exports = { n: 1 }`,
    })
  })
})

describe('require', () => {
  it('require.resolve searches the given paths', async () => {
    await same({
      'main.cjs': `const strip = (p) => p.slice(__dirname.length);
        console.log(strip(require.resolve('onlyhere', { paths: [__dirname + '/other'] })));
        console.log(strip(require.resolve('./rel', { paths: ['./other', '/tmp'] })));
        for (const paths of [['/'], 'x', []]) {
          try { require.resolve('onlyhere', { paths }) } catch (e) { console.log(e.code, e.message.split('\\n')[0]) }
        }
        console.log(require.resolve('fs', { paths: ['/nowhere'] }), require.resolve.paths('fs'));`,
      'other/node_modules/onlyhere/index.js': `module.exports = 1`,
      'other/rel.js': ``,
    }, 'main.cjs')
  })
})

describe('entry code format', () => {
  it('.mjs is a module and .cjs is CommonJS whatever the syntax', async () => {
    const make2 = await NodeRuntime.create({ permissions: allowAll })
    try {
      const esm = await make2.run(`console.log(typeof require, this === undefined)`, { filePath: '/home/user/x.mjs' })
      expect(esm.stdout).toBe('undefined true\n')
      const cjs = await make2.run(`import x from 'fs'`, { filePath: '/home/user/x.cjs' }).catch((e) => e)
      expect(cjs.name).toBe('SyntaxError')
      await make2.fs.writeFile('/home/user/package.json', JSON.stringify({ type: 'module' }))
      const typed = await make2.run(`console.log(typeof require)`, { filePath: '/home/user/y.js' })
      expect(typed.stdout).toBe('undefined\n')
    } finally {
      await make2.dispose()
    }
  })
})

describe('compiled code cache', () => {
  it('a file changed between calls runs its new code, whatever its length', async () => {
    const rt = await make({ permissions: allowAll })
    // Over the size the engine caches, and the same length each time.
    const pad = '/*' + 'x'.repeat(4096) + '*/'
    const out: string[] = []
    for (const v of ['1', '2', '3']) {
      await rt.fs.writeFile('/home/user/c.cjs', `${pad}module.exports = ${v};`)
      await rt.fs.writeFile('/home/user/m.mjs', `${pad}export default ${v};`)
      const r = await rt.run(`import c from './c.cjs'; import m from './m.mjs'; console.log(c, m)`, { filePath: '/home/user/main.mjs' })
      out.push(r.stdout)
    }
    expect(out).toEqual(['1 1\n', '2 2\n', '3 3\n'])
  })
})

describe('limits and isolation', () => {
  it('a second call does not see the modules of the first', async () => {
    const rt = await make({ permissions: allowAll })
    await rt.fs.writeFile('/home/user/state.mjs', `export const s = { n: 0 };`)
    const first = await rt.run(`import { s } from './state.mjs'; s.n++; console.log(s.n)`, { filePath: '/home/user/a.mjs' })
    const second = await rt.run(`import { s } from './state.mjs'; s.n++; console.log(s.n)`, { filePath: '/home/user/a.mjs' })
    expect([first.stdout, second.stdout]).toEqual(['1\n', '1\n'])
  })

  it('an import chain deeper than the stack fails with a RangeError, as in Node, and the runtime goes on', async () => {
    const rt = await make({ permissions: allowAll })
    const N = 8000
    for (let i = 0; i < N; i++) {
      await rt.fs.writeFile(`/home/user/m${i}.mjs`, i + 1 < N ? `import './m${i + 1}.mjs'; export const v = ${i};` : `export const v = ${i};`)
    }
    const r = await rt.run(`import { v } from './m0.mjs'; console.log(v)`, { filePath: '/home/user/main.mjs' }).catch((e) => e)
    expect(r).toMatchObject({ name: 'RangeError', message: 'Maximum call stack size exceeded' })
    const dyn = await rt.run(`import('./m0.mjs').catch((e) => console.log(e.name))`, { filePath: '/home/user/main.mjs' })
    expect(dyn.stdout).toBe('RangeError\n')
    expect((await rt.run(`console.log('alive')`)).stdout).toBe('alive\n')
  })

  it('an import the fs policy refuses fails with EACCES', async () => {
    const rt = await make({ permissions: { fs: { read: ['/home/user/ok/**'] } } })
    await rt.fs.mkdir('/home/user/ok', { recursive: true })
    await rt.fs.mkdir('/home/user/secret', { recursive: true })
    await rt.fs.writeFile('/home/user/secret/s.mjs', `export default 1`)
    await rt.fs.writeFile('/home/user/ok/o.mjs', `export default 'ok'`)
    const r = await rt.run(`import o from './o.mjs'; try { await import('../secret/s.mjs') } catch (e) { console.log(o, e.code) }`,
      { filePath: '/home/user/ok/main.mjs' })
    expect(r.stdout).toBe('ok EACCES\n')
  })
})
