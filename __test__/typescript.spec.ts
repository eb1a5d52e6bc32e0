// TypeScript: .ts, .mts, .cts and .tsx files (and run() code with such a
// filePath) are transformed in the sidecar (oxc): types stripped, enums,
// namespaces, parameter properties, JSX and legacy decorators compiled.
// Stack traces point at the TypeScript lines through the kept source maps.
import { describe, expect, it } from 'vitest'
import { allowAllFs, NodeRuntime, type RuntimeOptions } from '../index.js'
import { perTestRuntimes } from './helpers.js'

const make = perTestRuntimes()
const APP = '/home/user/app'

async function withFiles(files: Record<string, string>, options: RuntimeOptions = {}) {
  const rt = await make({ permissions: allowAllFs, ...options })
  for (const [name, text] of Object.entries(files)) {
    const path = `${APP}/${name}`
    await rt.fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true })
    await rt.fs.writeFile(path, text)
  }
  return rt
}

// What a call failed with (run() rejects with the guest's error).
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('did not fail') }, (e) => e)

describe('entry code', () => {
  it('runs .ts code as CommonJS or an ES module, as its syntax says', async () => {
    const rt = await make()
    const cjs = await rt.run<number>(
      'interface P { x: number }\nconst p: P = { x: 40 };\nconst add = <T extends number>(a: T, b: T): number => a + b;\n__return(add(p.x, 2));',
      { filePath: '/work/a.ts' },
    )
    expect(cjs.value).toBe(42)
    const esm = await rt.run('type T = string;\nexport const name: T = typeof require;\nexport const dir = import.meta.dirname;', {
      filePath: '/work/b.ts',
    })
    expect(esm.exports).toEqual({ name: 'undefined', dir: '/work' })
    // Top-level await alone makes a module, as in Node's detection.
    const tla = await rt.run('const v: number = await Promise.resolve(7);\nexport { v };', { filePath: '/work/c.ts' })
    expect(tla.exports).toEqual({ v: 7 })
  })

  it('runs .mts as an ES module and .cts as CommonJS, whatever their syntax', async () => {
    const rt = await make()
    expect((await rt.run('export const t: string = typeof module;', { filePath: '/work/m.mts' })).exports).toEqual({ t: 'undefined' })
    const r = await rt.run<string[]>('const t: string = typeof module; __return([t, __filename]);', { filePath: '/work/c.cts' })
    expect(r.value).toEqual(['object', '/work/c.cts'])
  })

  it('runs .tsx with the classic runtime by default', async () => {
    const rt = await make()
    const r = await rt.run(
      `const React = { createElement: (t: any, p: any, ...c: any[]) => typeof t === 'function' ? t(p) : { t, p, c }, Fragment: 'F' };
       const Comp = ({ n }: { n: number }) => <b>{n}</b>;
       __return(<div id="x">hi<>{1}</><Comp n={2} /></div>);`,
      { filePath: '/work/j.tsx' },
    )
    expect(r.value).toEqual({
      t: 'div',
      p: { id: 'x' },
      c: ['hi', { t: 'F', p: null, c: [1] }, { t: 'b', p: null, c: [2] }],
    })
  })

  it('leaves .js code alone, types and all', async () => {
    const rt = await make()
    const e = await failure(rt.run('const x: number = 1;', { filePath: '/work/a.js' }))
    expect(e.name).toBe('SyntaxError')
  })
})

describe('TypeScript syntax', () => {
  it('compiles enums, namespaces, parameter properties and the rest', async () => {
    const rt = await make()
    const r = await rt.run(`
      enum Dir { Up = 1, Down }
      enum Color { Red = 'red', Green = 'green' }
      const enum Flag { A = 1 << 0, B = 1 << 1 }
      namespace Geo { export namespace Unit { export const m = 'meter' } export function twice(n: number) { return n * 2 } }
      namespace Geo { export const merged = true }
      abstract class Shape {
        abstract area(): number
        describe(): string { return this.constructor.name + ':' + this.area() }
      }
      class Square extends Shape {
        constructor(private readonly side: number, public label = 'sq') { super() }
        area() { return this.side ** 2 }
      }
      function over(a: string): string
      function over(a: number): number
      function over(a: any): any { return a }
      const conf = { port: 8080 } satisfies { port: number }
      let late!: number
      late = 5
      const sq = new Square(3)
      __return([Dir.Up, Dir.Down, Dir[2], Color.Green, Flag.A | Flag.B, Geo.Unit.m, Geo.twice(4), Geo.merged,
        sq.describe(), sq.label, over('s'), over(1), conf.port, late, (<any>'x') as string, sq!.area()])
    `, { filePath: '/work/syntax.ts' })
    expect(r.value).toEqual([1, 2, 'Down', 'green', 3, 'meter', 8, true, 'Square:9', 'sq', 's', 1, 8080, 5, 'x', 9])
  })

  it('compiles legacy decorators with experimentalDecorators, metadata through Reflect.metadata', async () => {
    const rt = await make({ typescript: { experimentalDecorators: true, emitDecoratorMetadata: true } })
    const r = await rt.run(`
      const log: string[] = [];
      (Reflect as any).metadata = (k: string) => (_t: object, key?: string) => { log.push('meta ' + k + ' ' + (key ?? 'class')) };
      function sealed(c: Function) { log.push('class ' + c.name) }
      function named(t: any, k: string, d: PropertyDescriptor) { log.push('method ' + k); return { ...d, enumerable: true } }
      function arg(_t: any, k: string, i: number) { log.push('param ' + k + ' ' + i) }
      @sealed class A { @named hi(@arg x: string): number { return x.length } }
      __return([log, new A().hi('abc'), Object.getOwnPropertyDescriptor(A.prototype, 'hi')!.enumerable])
    `, { filePath: '/work/deco.ts' })
    const [log, length, enumerable] = r.value as [string[], number, boolean]
    expect([length, enumerable]).toEqual([3, true])
    // Metadata first, then parameters, methods, and the class last.
    expect(log.slice(0, 3).sort()).toEqual(['meta design:paramtypes hi', 'meta design:returntype hi', 'meta design:type hi'])
    expect(log.slice(3)).toEqual(['param hi 0', 'method hi', 'class A'])
    // In an ES module the helpers are imported.
    const m = await rt.run('function sealed(c: any) { c.sealed = true }\n@sealed export class B {}\nexport const s = (B as any).sealed;', {
      filePath: '/work/deco.mts',
    })
    expect(m.exports).toEqual({ s: true })
    // Without the option they are a syntax error that says so.
    const plain = await make()
    const e = await failure(plain.run('function s(c: any) {}\n@s class A {}', { filePath: '/work/d.ts' }))
    expect(e.name).toBe('SyntaxError')
    expect(e.message).toMatch(/experimentalDecorators.*\(\/work\/d\.ts:2:1\)$/)
    expect(e.stderr).toContain('/work/d.ts:2\n@s class A {}\n^\n')
  })

  it('follows the JSX options, and @jsx pragmas in the file', async () => {
    const rt = await make({ typescript: { jsxFactory: 'h', jsxFragmentFactory: 'Frag' } })
    const r = await rt.run(
      `const h = (t: any, _p: any, ...c: any[]) => [t, c]; const Frag = 'frag';\n__return(<a><>x</></a>)`,
      { filePath: '/work/p.tsx' },
    )
    expect(r.value).toEqual(['a', [['frag', ['x']]]])
    const pragma = await rt.run(`/** @jsx make */\nconst make = (t: any) => 'made ' + t;\n__return(<i />)`, { filePath: '/work/q.tsx' })
    expect(pragma.value).toBe('made i')
  })

  it('imports the automatic runtime from jsxImportSource', async () => {
    const runtime = "export const jsx = (t, p) => ({ t, p }); export const jsxs = jsx; export const Fragment = 'Frag';"
    const rt = await withFiles(
      {
        'node_modules/tiny-jsx/package.json': JSON.stringify({ name: 'tiny-jsx', exports: { './jsx-runtime': './rt.mjs' } }),
        'node_modules/tiny-jsx/rt.mjs': runtime,
      },
      { typescript: { jsx: 'react-jsx', jsxImportSource: 'tiny-jsx' } },
    )
    const cjs = await rt.run('__return(<a x={1}>y<>z</></a>)', { filePath: `${APP}/a.tsx` })
    expect(cjs.value).toEqual({ t: 'a', p: { x: 1, children: ['y', { t: 'Frag', p: { children: 'z' } }] } })
    const esm = await rt.run('export const el = <b>{2}</b>;', { filePath: `${APP}/b.tsx` })
    expect(esm.exports).toEqual({ el: { t: 'b', p: { children: 2 } } })
  })
})

describe('imports between TypeScript files', () => {
  it('ES modules: ./x.js finds x.ts, explicit .ts, .mts, .cts and import()', async () => {
    const rt = await withFiles({
      'lib.ts': 'export function add(a: number, b: number): number { return a + b }\nexport enum Color { Red = "red" }\nexport type Unused = number;',
      'both.js': 'export const which = "js";',
      'both.ts': 'export const which: string = "ts";',
      'm.mts': 'export const m: string = "mts";',
      'c.cts': 'const c: number = 3;\nmodule.exports = { c };',
      'dyn.ts': 'export default (n: number) => n * 10;',
    })
    const r = await rt.run(
      `import { add, Color, type Unused } from './lib.js';
       import { add as add2 } from './lib.ts';
       import { which } from './both.js';
       import { m } from './m.mjs';
       import c, { c as named } from './c.cjs';
       const dyn = (await import('./dyn.ts')).default;
       const u: Unused = 1;
       export const out = [add(1, 2), add2(2, 2), Color.Red, which, m, c.c, named, dyn(4), u];`,
      { filePath: `${APP}/main.mts` },
    )
    expect(r.exports).toEqual({ out: [3, 4, 'red', 'js', 'mts', 3, 3, 40, 1] })
    // Without an extension, as Node's ESM resolution: not found.
    const e = await failure(rt.run("import './lib';", { filePath: `${APP}/x.mts` }))
    expect(e.code).toBe('ERR_MODULE_NOT_FOUND')
  })

  it('CommonJS: require finds .ts after .js, .json and .node, and .cts, .mts files', async () => {
    const rt = await withFiles({
      'lib.ts': 'export const add = (a: number, b: number): number => a + b;',
      'both.js': 'module.exports = "js";',
      'both.ts': 'module.exports = "ts" as string;',
      'eq.cts': 'import path = require("path");\nconst j: string = path.join("a", "b");\nexport = { j };',
      'esm.mts': 'export const e: string = "mts";',
      'dir/index.ts': 'module.exports = "dir index";',
    })
    const r = await rt.run(
      `const { add } = require('./lib'); const eq = require('./eq.cts'); const esm = require('./esm.mts');
       __return([add(2, 3), require('./both'), eq.j, esm.e, require('./dir'), require.resolve('./lib')]);`,
      { filePath: `${APP}/main.ts` },
    )
    expect(r.value).toEqual([5, 'js', 'a/b', 'mts', 'dir index', `${APP}/lib.ts`])
  })

  it('transforms a file once per runtime, again when it changes', async () => {
    const rt = await withFiles({ 'lib.ts': 'export const v: number = 1;' }, { testOps: true })
    const code = 'const { v } = require("./lib.ts"); __return([v, __testOps.tsTransforms()]);'
    const first = await rt.run<number[]>(code, { filePath: `${APP}/a.js` })
    const second = await rt.run<number[]>(code, { filePath: `${APP}/a.js` })
    expect(first.value).toEqual([1, 1])
    expect(second.value).toEqual([1, 1])
    await rt.fs.writeFile(`${APP}/lib.ts`, 'export const v: number = 2;')
    expect((await rt.run<number[]>(code, { filePath: `${APP}/a.js` })).value).toEqual([2, 2])
  })
})

describe('errors and stack traces', () => {
  it('reports a syntax error with the file, line, column and source line', async () => {
    const rt = await make()
    const r = await rt.exec('const ok: number = 1;\nlet bad: = 2;\n', { filePath: '/work/bad.ts' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^\/work\/bad\.ts:2\nlet bad: = 2;\n {9}\^\n\nSyntaxError: .+ \(\/work\/bad\.ts:2:10\)\n/)
    const e = await failure(rt.run('let bad: = 2;', { filePath: '/work/bad.ts' }))
    expect(e.name).toBe('SyntaxError')
    expect(e.message).toMatch(/\(\/work\/bad\.ts:1:10\)$/)
  })

  it('a syntax error in a required file is a SyntaxError the caller can catch', async () => {
    const rt = await withFiles({ 'broken.ts': 'export const a: number = 1;\nexport const b = (;\n' })
    const r = await rt.run<string[]>(
      `try { require('./broken') } catch (e) { __return([e.name, e.message, e.stack.split('\\n').slice(0, 3).join('|')]) }`,
      { filePath: `${APP}/main.js` },
    )
    const [name, message, head] = r.value!
    expect(name).toBe('SyntaxError')
    expect(message).toContain(`(${APP}/broken.ts:2:19)`)
    expect(head).toBe(`${APP}/broken.ts:2|export const b = (;|                  ^`)
  })

  it('stack traces point at the TypeScript lines', async () => {
    const rt = await withFiles({
      'thrower.ts': [
        'interface Options {',
        '  readonly depth: number;',
        '}',
        'type Mode = "a" | "b";',
        'export function thrower(opts: Options, mode: Mode = "a"): never {',
        '  const label: string = `${mode}:${opts.depth}`;',
        '  throw new Error(label);',
        '}',
      ].join('\n'),
      'esm.mts': 'interface I { x: number }\n\nexport function boom(i: I): void {\n  throw new TypeError(`x=${i.x}`);\n}\n',
    })
    const r = await rt.run<string[]>(
      [
        'import type { Options } from "./thrower.ts";',
        'const { thrower } = require("./thrower.ts");',
        '',
        'function caller(o: Options): void {',
        '  thrower(o);',
        '}',
        'try { caller({ depth: 2 }) } catch (e: any) { __return(e.stack.split("\\n").slice(0, 4)) }',
      ].join('\n'),
      { filePath: `${APP}/main.ts` },
    )
    expect(r.value).toEqual([
      'Error: a:2',
      // An ES module (it exports), required: its frames name its URL.
      `    at thrower (file://${APP}/thrower.ts:7:9)`,
      `    at caller (${APP}/main.ts:5:3)`,
      `    at Object.<anonymous> (${APP}/main.ts:7:7)`,
    ])
    const m = await failure(rt.run('import { boom } from "./esm.mts";\n\nboom({ x: 1 });', { filePath: `${APP}/entry.mts` }))
    expect(m.stack.split('\n').slice(0, 3)).toEqual([
      'TypeError: x=1',
      `    at boom (file://${APP}/esm.mts:4:9)`,
      `    at file://${APP}/entry.mts:3:1`,
    ])
    // The uncaught error's arrow shows the TypeScript line.
    const x = await rt.exec('type A = number;\nconst a: A = 1;\n\nif (a) throw new RangeError("at 4");\n', { filePath: '/work/u.ts' })
    expect(x.stderr).toMatch(/^\/work\/u\.ts:4\nif \(a\) throw new RangeError\("at 4"\);\n {7}\^\n\nRangeError: at 4\n {4}at Object\.<anonymous> \(\/work\/u\.ts:4:14\)\n/)
  })

  it('Error.prepareStackTrace, Error.captureStackTrace and stackTraceLimit work as in Node', async () => {
    const rt = await make()
    const r = await rt.run<unknown[]>(`
      const plain: string = new Error('p').stack!.split('\\n')[1];
      Error.prepareStackTrace = (err: Error, sites: NodeJS.CallSite[]) =>
        [err.message, sites.length > 0, typeof sites[0].getLineNumber(), sites[0].getFileName()];
      const custom = (new Error('c') as any).stack;
      Error.prepareStackTrace = undefined;
      const holder: { stack?: string } = {};
      Error.captureStackTrace(holder);
      Error.stackTraceLimit = 0;
      const none = new TypeError('n').stack;
      __return([plain, custom, holder.stack!.split('\\n')[0], none]);
    `, { filePath: '/work/pst.ts' })
    expect(r.value).toEqual(['    at Object.<anonymous> (/work/pst.ts:2:29)', ['c', true, 'number', '/work/pst.ts'], 'Error', 'TypeError: n'])
  })
})

describe('poisoned intrinsics', () => {
  it('a guest that replaces intrinsics still loads TypeScript and gets mapped stacks', async () => {
    const rt = await withFiles({ 'lib.ts': 'type N = number;\nexport function f(n: N): never {\n  throw new Error("n" + n);\n}\n' })
    const r = await rt.run<string>(
      `const boom = () => { throw new Error('poisoned') };
       for (const [o, k] of [[Array.prototype, 'push'], [Array.prototype, 'join'], [String.prototype, 'endsWith'],
           [String.prototype, 'lastIndexOf'], [String.prototype, 'slice'], [String.prototype, 'indexOf'],
           [String.prototype, 'repeat'], [Function.prototype, 'call'], [Function.prototype, 'apply'],
           [Reflect, 'apply'], [Object, 'getPrototypeOf'], [Object, 'defineProperty'], [WeakMap.prototype, 'get']]) {
         o[k] = boom;
       }
       const { f } = require('./lib.ts');
       let stack;
       try { f(1) } catch (e) { stack = e.stack }
       __return(stack.split('\\n')[1]);`,
      { filePath: `${APP}/p.js` },
    )
    expect(r.value).toBe(`    at f (file://${APP}/lib.ts:3:9)`)
  })
})

describe('limits', () => {
  it('refuses a source too large or nested too deep, and the runtime goes on', async () => {
    const rt = await make({ permissions: allowAllFs })
    const deep = [
      `x = ${'('.repeat(100_000)}1${')'.repeat(100_000)};`,
      `x = ${'['.repeat(100_000)}${']'.repeat(100_000)};`,
      `let x: ${'A<'.repeat(100_000)}a${'>'.repeat(100_000)};`,
      `x = ${'!'.repeat(100_000)}1;`,
      `${'if(a)'.repeat(100_000)}x;`,
    ]
    for (const code of deep) {
      const e = await failure(rt.run(code, { filePath: '/work/deep.ts' }))
      expect(e.name).toBe('RangeError')
      expect(e.code).toBe('ERR_SANDBOX_TYPESCRIPT_LIMIT')
      expect(e.message).toMatch(/nests deeper than/)
    }
    const huge = `export const s = "${'a'.repeat(5 * 1024 * 1024)}";`
    const e = await failure(rt.run(huge, { filePath: '/work/huge.ts' }))
    expect(e.message).toMatch(/larger than 4 MiB/)
    // A required file is refused the same way, as an error the caller catches.
    await rt.fs.writeFile('/home/user/deep.ts', deep[0])
    const r = await rt.run('try { require("./deep.ts") } catch (e) { __return([e.name, e.code]) }', { filePath: '/home/user/m.js' })
    expect(r.value).toEqual(['RangeError', 'ERR_SANDBOX_TYPESCRIPT_LIMIT'])
    expect((await rt.run<number>('__return(1 as number)', { filePath: '/work/ok.ts' })).value).toBe(1)
  })
})

describe('options', () => {
  it('are checked with Node-style errors', async () => {
    const bad: [unknown, string][] = [
      ['react', 'ERR_INVALID_ARG_TYPE'],
      [{ jsx: 'preserve' }, 'ERR_INVALID_ARG_VALUE'],
      [{ jsx: 1 }, 'ERR_INVALID_ARG_VALUE'],
      [{ jsxFactory: 'h()' }, 'ERR_INVALID_ARG_VALUE'],
      [{ jsxFactory: 1 }, 'ERR_INVALID_ARG_TYPE'],
      [{ jsxImportSource: '' }, 'ERR_INVALID_ARG_VALUE'],
      [{ experimentalDecorators: 'yes' }, 'ERR_INVALID_ARG_TYPE'],
    ]
    for (const [typescript, code] of bad) {
      const e = await NodeRuntime.create({ typescript } as any).then(
        (rt) => rt.dispose().then(() => null),
        (err) => err,
      )
      expect(e?.code, JSON.stringify(typescript)).toBe(code)
    }
    expect((await failure(NodeRuntime.create({ typescript: { jsx: 'preserve' } } as any))).message).toBe(
      "The property 'options.typescript.jsx' must be one of: 'react', 'react-jsx', 'react-jsxdev'. Received \"preserve\"",
    )
  })
})
