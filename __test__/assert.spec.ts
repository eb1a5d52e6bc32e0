// require('assert') and require('assert/strict'): the parts the
// differential cases (__test__/differential/assert_*.js) do not reach.
import { describe, expect, it } from 'vitest'
import { guestNodeVersion, useRuntime } from './helpers.js'

const t = useRuntime({ permissions: { fs: 'allow' } })

describe('assert', () => {
  it('is the ok function, with strict as a variant and its own module', async () => {
    const r = await t.rt.run(`const a = require('assert'); const s = require('assert/strict');
      __return([typeof a, a === a.ok, s === a.strict, s.equal === a.strictEqual, s.deepEqual === a.deepStrictEqual,
        require('node:assert/strict') === s, s.strict === s, typeof a.AssertionError, typeof a.CallTracker])`)
    expect(r.value).toEqual(['function', true, true, true, true, true, true, 'function', 'function'])
  })

  it('AssertionError has Node\'s properties and name', async () => {
    const r = await t.rt.run(`const assert = require('assert');
      try { assert.strictEqual(1, 2) } catch (e) {
        __return([e instanceof assert.AssertionError, e instanceof Error, e.name, e.code, e.actual, e.expected, e.operator,
          e.generatedMessage, Object.keys(e), e.stack.split('\\n')[0], String(e).split('\\n')[0]])
      }`)
    expect(r.value).toEqual([true, true, 'AssertionError', 'ERR_ASSERTION', 1, 2, 'strictEqual', true,
      ['generatedMessage', 'code', 'actual', 'expected', 'operator'],
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:', 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:'])
  })

  it('assert.ok() quotes the failed expression from a required file, read from the VFS', async () => {
    await t.rt.fs.mkdir('/workspace/app', { recursive: true })
    await t.rt.fs.writeFile('/workspace/app/check.js', "const assert = require('assert');\nmodule.exports = (v) => {\n  assert.ok(v &&\n    v.ready, undefined);\n};\n")
    const r = await t.rt.run(`try { require('/workspace/app/check.js')({ ready: 0 }) } catch (e) { __return(e.message) }`)
    expect(r.value).toBe('The expression evaluated to a falsy value:\n\n  assert.ok(v &&\n    v.ready, undefined)\n')
  })

  it('assert.ok() quotes the expression in an ES module entry too', async () => {
    const r = await t.rt.exec("import assert from 'node:assert';\nconst v = 0;\ntry { assert.ok(v === 1) } catch (e) { console.log(e.message) }",
      { filePath: '/workspace/main.mjs' })
    expect(r.stdout).toBe('The expression evaluated to a falsy value:\n\n  assert.ok(v === 1)\n\n')
  })

  it('assert.ok() without the source (eval code) prints the value', async () => {
    const r = await t.rt.run(`const assert = require('assert'); const out = [];
      try { eval('assert(false)') } catch (e) { out.push(e.message) }
      try { new Function('a', 'a.ok(0)')(assert) } catch (e) { out.push(e.message) }
      try { assert.ok() } catch (e) { out.push(e.message) }
      __return(out)`)
    expect(r.value).toEqual(['false == true', '0 == true', 'No value argument passed to `assert.ok()`'])
  })

  it('fail() with two arguments and CallTracker warn as deprecated', async () => {
    const r = await t.rt.exec(`const assert = require('assert');
      try { assert.fail(1, 2) } catch (e) { console.log(e.message, e.operator) }
      const tracker = new assert.CallTracker();
      const f = tracker.calls(() => 'r', 2);
      console.log(f(), tracker.report()[0].message);
      try { tracker.verify() } catch (e) { console.log(e.code, e.message) }
      f();
      tracker.verify();
      console.log(tracker.getCalls(f).length);
      try { tracker.getCalls(() => {}) } catch (e) { console.log(e.code) }`)
    expect(r.stdout).toBe('1 != 2 !=\nr Expected the calls function to be executed 2 time(s) but was executed 1 time(s).\n' +
      'ERR_ASSERTION Expected the calls function to be executed 2 time(s) but was executed 1 time(s).\n2\nERR_INVALID_ARG_VALUE\n')
    expect(r.stderr).toContain('[DEP0094] DeprecationWarning: assert.fail() with more than one argument is deprecated.')
    expect(r.stderr).toContain('[DEP0173] DeprecationWarning: assert.CallTracker is deprecated.')
  })

  it('an uncaught assertion prints actual and expected in full, exit code 1', async () => {
    const r = await t.rt.exec(`require('assert').deepStrictEqual({ a: { b: { c: { d: 1 } } } }, { a: { b: { c: { d: 2 } } } })`)
    expect(r.code).toBe(1)
    // As Node's fatal handler prints errors: no custom inspect, 5 levels.
    expect(r.stderr).toContain("  actual: {\n    a: { b: { c: { d: 1 } } }\n  },\n  expected: {\n    a: { b: { c: { d: 2 } } }\n  },\n" +
      `  operator: 'deepStrictEqual'\n}\n\nNode.js ${guestNodeVersion}\n`)
  })

  it('deep equality handles cycles, Symbol keys and boxed primitives, and errors on bad arguments', async () => {
    const r = await t.rt.run(`const assert = require('assert'); const out = [];
      const a = { x: 1 }; a.self = a; const b = { x: 1 }; b.self = b;
      const s = Symbol('k');
      for (const f of [() => assert.deepStrictEqual(a, b), () => assert.deepStrictEqual({ [s]: 1 }, { [s]: 2 }),
        () => assert.deepStrictEqual(Object(1), Object(1)), () => assert.deepEqual(), () => assert.throws(() => {}, 'x', 'y'),
        () => assert.throws(() => { throw new Error('same') }, 'same'), () => assert.match('x', 'x'),
        () => assert.throws(() => { throw new Error('m') }, {})]) {
        try { f(); out.push('ok') } catch (e) { out.push(e.code) }
      }
      __return(out)`)
    expect(r.value).toEqual(['ok', 'ERR_ASSERTION', 'ok', 'ERR_MISSING_ARGS', 'ERR_INVALID_ARG_TYPE', 'ERR_AMBIGUOUS_ARGUMENT',
      'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE'])
  })
})
