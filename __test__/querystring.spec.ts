// require('querystring') and require('punycode'): error paths and the
// module-level hooks (differential cases: querystring_*.js, punycode_*.js).
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const t = useRuntime({})

describe('querystring', () => {
  it('is the same object under both names, with Node\'s keys', async () => {
    const r = await t.rt.run(`const qs = require('querystring');
      __return([qs === require('node:querystring'), Object.keys(qs), qs.encode === qs.stringify, qs.decode === qs.parse])`)
    expect(r.value).toEqual([true, ['unescapeBuffer', 'unescape', 'escape', 'stringify', 'encode', 'parse', 'decode'], true, true])
  })

  it('escape() of a lone surrogate at the end fails with ERR_INVALID_URI', async () => {
    const r = await t.rt.run(`const qs = require('querystring'); const out = [];
      for (const v of ['\\ud800', 'ok\\udbff']) {
        try { qs.escape(v); out.push('no error') } catch (e) { out.push([e.name, e.code, e.message]) }
      }
      out.push(qs.escape('\\ud800x'));
      __return(out)`)
    expect(r.value).toEqual([['URIError', 'ERR_INVALID_URI', 'URI malformed'], ['URIError', 'ERR_INVALID_URI', 'URI malformed'], '%F0%90%81%B8'])
  })

  it('parse() stops at maxKeys (1000 by default) and uses the replaceable unescape', async () => {
    const r = await t.rt.run(`const qs = require('querystring');
      const many = Array.from({ length: 1500 }, (_, i) => 'k' + i + '=' + i).join('&');
      const a = Object.keys(qs.parse(many)).length;
      const b = Object.keys(qs.parse(many, null, null, { maxKeys: 0 })).length;
      const c = Object.keys(qs.parse(many, null, null, { maxKeys: 10 })).length;
      const orig = qs.unescape; qs.unescape = (s) => '<' + s + '>';
      const d = qs.parse('a%41=b%42');
      qs.unescape = orig;
      __return([a, b, c, d])`)
    expect(r.value).toEqual([1000, 1500, 10, { '<a%41>': '<b%42>' }])
  })

  it('unescapeBuffer decodes bytes leniently', async () => {
    const r = await t.rt.run(`const qs = require('querystring');
      __return([[...qs.unescapeBuffer('%e4%bd%a0+%zz%4', true)], qs.unescape('%E4%BD'), qs.unescape('100%')])`)
    expect(r.value).toEqual([[0xe4, 0xbd, 0xa0, 0x20, 0x25, 0x7a, 0x7a, 0x25, 0x34], '\ufffd', '100%'])
  })
})

describe('punycode', () => {
  it('encodes, decodes and maps domains; bad input is a RangeError', async () => {
    const r = await t.rt.run(`const p = require('punycode'); const out = [p.version, p.encode('mañana'), p.decode('maana-pta'),
      p.toASCII('bücher.example'), p.toUnicode('xn--bcher-kva.example')];
      for (const bad of ['ü-x', '99999999999', 'a-']) { try { out.push(p.decode(bad)) } catch (e) { out.push([e.name, e.message]) } }
      __return(out)`)
    expect(r.value).toEqual(['2.1.0', 'maana-pta', 'mañana', 'xn--bcher-kva.example', 'bücher.example',
      ['RangeError', 'Illegal input >= 0x80 (not a basic code point)'], ['RangeError', 'Overflow: input needs wider integers to process'], 'a'])
  })

  it('prints no deprecation warning (Node 20 warns only with --pending-deprecation)', async () => {
    const r = await t.rt.exec(`require('punycode'); console.log('loaded')`)
    expect(r.stdout).toBe('loaded\n')
    expect(r.stderr).toBe('')
  })
})
