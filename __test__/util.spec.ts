// require('util') and require('util/types'): what the differential cases
// (__test__/differential/util_*.js) cannot show, because host Node runs
// them with an empty environment or because the answer is the sandbox's.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const t = useRuntime({ permissions: { env: 'allow', fs: 'allow' } })

describe('util', () => {
  it('is one module object under both names, with util/types', async () => {
    const r = await t.rt.run(`const u = require('util');
      __return([u === require('node:util'), u.types === require('util/types'), u.inspect === require('util').inspect,
        typeof u.promisify.custom, u.TextEncoder === TextEncoder, Object.keys(u).length])`)
    expect(r.value).toEqual([true, true, true, 'symbol', true, 44])
  })

  it('debuglog writes to stderr for the sections NODE_DEBUG names (wildcards, any case)', async () => {
    const r = await t.rt.exec(`const util = require('util');
      const a = util.debuglog('alpha'); const b = util.debuglog('beta'); const c = util.debuglog('gamma-1');
      console.log(a.enabled, b.enabled, c.enabled);
      a('hello %s', 'there'); b('not shown'); c({ n: 1 });`, { env: { NODE_DEBUG: 'ALPHA,gamma-*' } })
    expect(r.stdout).toBe('true false true\n')
    expect(r.stderr).toMatch(/^ALPHA \d+: hello there\nGAMMA-1 \d+: \{ n: 1 \}\n$/)
  })

  it('debuglog warns about NODE_DEBUG=http exposing secrets', async () => {
    const r = await t.rt.exec(`require('util').debuglog('http')('req')`, { env: { NODE_DEBUG: 'http' } })
    expect(r.stderr).toContain("Setting the NODE_DEBUG environment variable to 'http' can expose sensitive data")
    expect(r.stderr).toMatch(/HTTP \d+: req\n/)
  })

  it('styleText colors for a stream only under FORCE_COLOR (stdout is no terminal)', async () => {
    const code = `console.log(JSON.stringify(require('util').styleText('red', 'x')))`
    expect((await t.rt.exec(code)).stdout).toBe('"x"\n')
    expect((await t.rt.exec(code, { env: { FORCE_COLOR: '1' } })).stdout).toBe('"\\u001b[31mx\\u001b[39m"\n')
    expect((await t.rt.exec(code, { env: { FORCE_COLOR: '0' } })).stdout).toBe('"x"\n')
  })

  it('types: V8 answers what no getter can (arguments, generators, iterators, proxies, namespaces)', async () => {
    const r = await t.rt.run(`const t = require('util').types;
      function* g() {}
      const fakes = [{ [Symbol.toStringTag]: 'Arguments' }, { [Symbol.toStringTag]: 'Generator' },
        { [Symbol.toStringTag]: 'Map Iterator' }, Object.create(Error.prototype), { [Symbol.toStringTag]: 'Promise' }];
      __return([
        t.isArgumentsObject((function () { return arguments })()), t.isGeneratorObject(g()), t.isMapIterator(new Map().keys()),
        t.isSetIterator(new Set().entries()), t.isProxy(new Proxy(function () {}, {})), t.isNativeError(new (class extends Error {})()),
        t.isAsyncFunction(async () => {}), t.isGeneratorFunction(g),
        fakes.map((f) => [t.isArgumentsObject(f), t.isGeneratorObject(f), t.isMapIterator(f), t.isNativeError(f), t.isPromise(f)]),
        t.isSharedArrayBuffer(new ArrayBuffer(1)), t.isKeyObject({}), t.isExternal({}),
      ])`)
    const none = [false, false, false, false, false]
    expect(r.value).toEqual([true, true, true, true, true, true, true, true, [none, none, none, none, none], false, false, false])
  })

  it('deprecate warns once per code, and not at all under process.noDeprecation', async () => {
    const r = await t.rt.exec(`const util = require('util');
      process.noDeprecation = true;
      util.deprecate(() => 1, 'silenced', 'DEP0001')();
      process.noDeprecation = false;
      const f = util.deprecate(() => 2, 'spoken', 'DEP0002');
      f(); f(); util.deprecate(() => 3, 'same code', 'DEP0002')();`)
    expect(r.stderr.match(/DeprecationWarning/g)).toHaveLength(1)
    expect(r.stderr).toContain('[DEP0002] DeprecationWarning: spoken')
    expect(r.stderr).not.toContain('silenced')
  })

  it('promisify and callbackify report bad arguments with Node errors', async () => {
    const r = await t.rt.run(`const util = require('util'); const out = [];
      for (const f of [() => util.promisify(null), () => util.callbackify({}), () => util.callbackify(async () => 1)(1),
        () => util.inherits(function () {}, null), () => util.getSystemErrorName(1), () => util.getSystemErrorName('1'),
        () => util.parseArgs({ args: ['--nope'] }), () => util.parseArgs({ args: ['x'] }), () => util.parseEnv(null),
        () => util.deprecate(() => 1, 'm', 1), () => new util.MIMEType('nope'), () => util.styleText('nope', 'x')]) {
        try { f(); out.push('no error'); } catch (e) { out.push(e.code); }
      }
      __return(out)`)
    expect(r.value).toEqual(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE',
      'ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_TYPE', 'ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
      'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_MIME_SYNTAX', 'ERR_INVALID_ARG_VALUE'])
  })

  it('parseArgs reads process.argv after the script by default', async () => {
    const r = await t.rt.run(`__return(require('util').parseArgs({ options: { v: { type: 'boolean', short: 'v' } }, allowPositionals: true }))`,
      { argv: ['-v', 'file.txt'] })
    expect(r.value).toEqual({ values: { v: true }, positionals: ['file.txt'] })
  })

  it('promisify(fs.read) resolves with bytesRead and buffer', async () => {
    const r = await t.rt.run(`(async () => {
      const fs = require('fs'); const util = require('util');
      fs.writeFileSync('/tmp/p.txt', 'hello');
      const fd = fs.openSync('/tmp/p.txt', 'r');
      const { bytesRead, buffer } = await util.promisify(fs.read)(fd, Buffer.alloc(5), 0, 5, 0);
      __return([bytesRead, buffer.toString(), typeof (await util.promisify(fs.exists)('/tmp/p.txt'))]);
    })()`)
    expect(r.value).toEqual([5, 'hello', 'boolean'])
  })

  it('transferableAbortSignal hands back the signal itself (nothing crosses contexts here)', async () => {
    const r = await t.rt.run(`const util = require('util'); const s = new AbortController().signal;
      __return([util.transferableAbortSignal(s) === s, util.transferableAbortController() instanceof AbortController])`)
    expect(r.value).toEqual([true, true])
  })
})
