// Buffer, path and string_decoder where host Node has nothing to compare
// with: what reaches the host through __return, memory limits, and guests
// that poison the intrinsics Buffer is built on (differential tests cover
// the rest, in __test__/differential/buffer_*.js).
import { describe, expect, it } from 'vitest'
import { MemoryLimitError } from '../index.js'
import { useRuntime } from './helpers.js'

const sut = useRuntime({ limits: { memoryMb: 64, wallTimeMs: 20_000 } })

describe('Buffer across the boundary', () => {
  it('arrives on the host as a Uint8Array with its own bytes', async () => {
    const r = await sut.rt.run<any>(`
      const pooled = Buffer.from('hello world');
      __return({ b: Buffer.from('hi'), sub: pooled.subarray(6, 11), big: Buffer.alloc(9000, 7), empty: Buffer.alloc(0) })`)
    const v = r.value
    expect(v.b).toBeInstanceOf(Uint8Array)
    expect([...v.b]).toEqual([104, 105])
    expect(Buffer.from(v.sub).toString()).toBe('world')
    expect(v.big.length).toBe(9000)
    expect(v.big.every((x: number) => x === 7)).toBe(true)
    expect(v.empty.length).toBe(0)
  })

  it('is a lazy, replaceable global and require(\'buffer\') keeps the original', async () => {
    const r = await sut.rt.run<any>(`
      const before = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
      const B = Buffer;
      globalThis.Buffer = 5;
      __return({ lazy: typeof before.get, enumerable: before.enumerable, replaced: Buffer, same: require('buffer').Buffer === B })`)
    expect(r.value).toEqual({ lazy: 'function', enumerable: false, replaced: 5, same: true })
  })
})

describe('Buffer under the memory limit', () => {
  it('allocates, fills and encodes tens of MiB under memoryMb 64', async () => {
    const r = await sut.rt.run<any>(`
      const b = Buffer.alloc(24 << 20, 'ab');
      const hex = b.subarray(0, 1 << 20).toString('hex');
      const round = Buffer.from(b.subarray(0, 3 << 20).toString('base64'), 'base64');
      __return([b.length, b[24 << 19], hex.length, round.equals(b.subarray(0, 3 << 20)), Buffer.byteLength(hex, 'hex')])`)
    expect(r.value).toEqual([24 << 20, 97, 2 << 20, true, 1 << 20])
  })

  it('a Buffer over the limit ends the run as MemoryLimitError; the runtime survives', async () => {
    const e = await sut.rt.exec('const keep = []; for (let i = 0; i < 64; i++) keep.push(Buffer.alloc(4 << 20, i)); console.log("never")')
    expect(e.code).toBe(137)
    expect(e.stdout).toBe('')
    expect(e.error).toBeInstanceOf(MemoryLimitError)
    // One allocation past the limit is the limit too, not a catchable RangeError.
    const big = await sut.rt.exec('try { Buffer.alloc(1 << 30) } catch (e) { console.log(e.name) }')
    expect(big.code).toBe(137)
    expect(big.error).toBeInstanceOf(MemoryLimitError)
    expect((await sut.rt.run('__return(Buffer.from("ok").toString())')).value).toBe('ok')
  })

  it('Buffer.concat of many chunks is bounded the same way', async () => {
    const e = await sut.rt.exec('let parts = []; for (let i = 0; i < 20; i++) parts.push(Buffer.alloc(2 << 20, i)); let all = Buffer.concat(parts); for (;;) all = Buffer.concat([all, all]);')
    expect(e.code).toBe(137)
    expect(e.error).toBeInstanceOf(MemoryLimitError)
  })
})

// Each statement replaces an intrinsic with a thrower before Buffer, path or
// string_decoder is first loaded; the script then uses only them.
const POISONS = [
  'Uint8Array.prototype.set = bad;',
  'Object.getPrototypeOf(Uint8Array.prototype).set = bad;',
  'Object.getPrototypeOf(Uint8Array.prototype).fill = bad;',
  'Object.getPrototypeOf(Uint8Array.prototype).subarray = bad;',
  'Object.getPrototypeOf(Uint8Array.prototype).slice = bad;',
  "Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'length', { get: bad });",
  "Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'buffer', { get: bad });",
  "Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), 'byteOffset', { get: bad });",
  'Object.getPrototypeOf(Uint8Array.prototype)[Symbol.iterator] = bad;',
  'Array.prototype[Symbol.iterator] = bad;',
  'Object.getPrototypeOf([][Symbol.iterator]()).next = bad;',
  'Function.prototype.call = bad;',
  'Function.prototype.apply = bad;',
  'Function.prototype.bind = bad;',
  "Object.defineProperty(Uint8Array, Symbol.species, { get: bad });",
  "Object.defineProperty(Object.getPrototypeOf(Uint8Array), Symbol.species, { get: bad });",
  "Object.defineProperty(Array, Symbol.species, { get: bad });",
  "Object.defineProperty(ArrayBuffer, Symbol.species, { get: bad });",
  'ArrayBuffer.prototype.slice = bad;',
  'String.prototype.charCodeAt = bad;',
  'String.prototype.slice = bad;',
  'String.prototype.toLowerCase = bad;',
  'String.fromCharCode = bad;',
  'Array.prototype.push = bad;',
  'Array.prototype.join = bad;',
  'Array.isArray = bad;',
  'Math.min = bad; Math.floor = bad; Math.trunc = bad;',
  'Number.isInteger = bad; Number.isNaN = bad;',
  'Object.defineProperty = bad;',
  'Reflect.apply = bad; Reflect.ownKeys = bad;',
  'Object.setPrototypeOf = bad;',
  'globalThis.Uint8Array = bad; globalThis.Int8Array = bad; globalThis.Float64Array = bad; globalThis.BigInt = bad;',
  "Object.defineProperty(Object.prototype, 'value', { set: bad, get: bad, configurable: true });",
  "Object.defineProperty(Object.prototype, 'get', { get: bad, configurable: true });",
]

const SCRIPT = `
const b = Buffer.from('héllo wörld 😀');
console.log(b, Buffer.byteLength(b), b.toString('hex'), b.toString('base64'), b.toString('latin1'), b.toString('ucs2', 0, 4));
console.log(Buffer.from('aGVsbG8=', 'base64').toString(), Buffer.from('68690a', 'hex'), Buffer.alloc(5, 'ab'), Buffer.of(1, 2, 300));
const w = Buffer.alloc(16);
w.writeUInt32BE(0xdeadbeef, 0); w.writeInt16LE(-2, 4); w.writeDoubleLE(1.5, 8); w.writeUIntBE(0x123456, 5, 3);
console.log(w, w.readUInt32BE(0), w.readInt16LE(4), w.readDoubleLE(8), w.readUIntBE(5, 3), w.readBigUInt64LE(8), w.readFloatBE(0));
w.writeBigInt64BE(-5n, 8);
console.log(w.readBigInt64BE(8), Buffer.concat([b.subarray(0, 3), Buffer.from('!')]), b.indexOf('wö'), b.lastIndexOf(0x6c));
console.log(b.includes('zz'), b.equals(Buffer.from('héllo wörld 😀')), Buffer.compare(b, w), b.slice(1, 4), Buffer.byteLength('é😀'));
const target = Buffer.alloc(6); b.copy(target, 1, 0, 3); console.log(target, w.fill('xy', 2, 6), Buffer.alloc(60));
console.log(Buffer.from(new Uint16Array(2)), Buffer.from(new ArrayBuffer(3), 1), Buffer.alloc(4).write('é€', 1), w.swap16().subarray(0, 4));
try { w.readUInt8(99) } catch (e) { console.log(e.code, e.message) }
try { Buffer.alloc(-1) } catch (e) { console.log(e.code, e.message) }
try { Buffer.from('x', 'nope') } catch (e) { console.log(e.code, e.message) }
const path = require('path');
console.log(path.join('/a', 'b', '../c'), path.resolve('/x', 'y'), path.relative('/a/b/c', '/a/d'), path.extname('x.js'));
console.log(path.parse('/home/u/file.tar.gz'), path.basename('/a/b.js', '.js'), path.dirname('/a/b/c'), path.normalize('a//b/../c/'));
console.log(path.win32.join('C:\\\\a', '..', 'b'), path.win32.parse('C:\\\\x\\\\y.txt'), path.win32.relative('C:\\\\a\\\\b', 'C:\\\\a\\\\c'));
const { StringDecoder } = require('string_decoder');
const d = new StringDecoder('utf8');
console.log(d.write(Buffer.from([0xe2, 0x82])), d.lastNeed, d.write(Buffer.from([0xac, 0x41])), d.end(Buffer.from([0xc3])));
console.log(new StringDecoder('base64').write(Buffer.from('abcd')), new StringDecoder('hex').end(Buffer.from('hi')), d);
`

describe('Buffer, path and string_decoder under poisoned intrinsics', () => {
  it('print what they print with nothing poisoned', async () => {
    const clean = await sut.rt.exec(`const bad = () => { throw new Error('poisoned') };\n${SCRIPT}`)
    expect(clean.stderr).toBe('')
    expect(clean.code).toBe(0)
    expect(clean.stdout).toContain('<Buffer 68 c3 a9 6c 6c 6f')
    for (const poison of POISONS) {
      const r = await sut.rt.exec(`const bad = () => { throw new Error('poisoned') }; ${poison}\n${SCRIPT}`)
      expect({ poison, stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ poison, stdout: clean.stdout, stderr: '', code: 0 })
    }
  })
})
