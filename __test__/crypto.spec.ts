// require('crypto') and crypto.subtle where host Node has nothing to
// compare with: the bounds the kernel puts on hash contexts and key
// derivations, large inputs fed in parts, what the sandbox does not
// implement, and values crossing to the host. The differential cases
// (__test__/differential/crypto_*.js) hold the rest against Node itself.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hostNode, useRuntime } from './helpers.js'

const sut = useRuntime({ limits: { memoryMb: 256, wallTimeMs: 30_000 } })
const small = useRuntime({ limits: { memoryMb: 64, wallTimeMs: 30_000 } })

describe('require("crypto")', () => {
  it('has Node\'s exports, in Node\'s order', async () => {
    const code = 'console.log(JSON.stringify([Object.keys(require("crypto")), Object.keys(require("node:crypto").constants)]))'
    const guest = await sut.rt.exec(code)
    expect(guest.stdout).toBe(hostNode(code).stdout)
  })

  it('digests with every name getHashes() lists as Node does', async () => {
    const code = `const c = require('crypto');
      const names = c.getHashes();
      console.log(JSON.stringify(names.map((n) => [n, c.createHash(n).update('abc').digest('hex'), c.createHmac(n, 'k').update('abc').digest('base64')])));`
    const guest = await sut.rt.exec(code)
    const rows: [string, string, string][] = JSON.parse(guest.stdout)
    expect(rows.length).toBeGreaterThan(40)
    const check = `const c = require('crypto'); const rows = ${guest.stdout.trim()};
      console.log(rows.filter(([n, h, m]) => c.createHash(n).update('abc').digest('hex') !== h || c.createHmac(n, 'k').update('abc').digest('base64') !== m).length, rows.every(([n]) => c.getHashes().includes(n)))`
    expect(hostNode(check).stdout).toBe('0 true\n')
  })

  it('names what it does not implement, with ERR_SANDBOX_UNSUPPORTED', async () => {
    const r = await sut.rt.run<any>(`
      const c = require('crypto');
      const out = {};
      const calls = {
        createCipheriv: () => c.createCipheriv('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16)),
        createDecipheriv: () => c.createDecipheriv('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16)),
        createSign: () => c.createSign('sha256'),
        createVerify: () => c.createVerify('sha256'),
        sign: () => c.sign('sha256', Buffer.alloc(1), 'key'),
        verify: () => c.verify('sha256', Buffer.alloc(1), 'key', Buffer.alloc(1)),
        generateKeyPairSync: () => c.generateKeyPairSync('ed25519'),
        generateKeyPair: () => c.generateKeyPair('ed25519', {}, () => {}),
        createPrivateKey: () => c.createPrivateKey('pem'),
        createPublicKey: () => c.createPublicKey('pem'),
        diffieHellman: () => c.diffieHellman({}),
        createDiffieHellman: () => c.createDiffieHellman(512),
        createECDH: () => c.createECDH('prime256v1'),
        getDiffieHellman: () => c.getDiffieHellman('modp14'),
        publicEncrypt: () => c.publicEncrypt('key', Buffer.alloc(1)),
        privateDecrypt: () => c.privateDecrypt('key', Buffer.alloc(1)),
        hkdfSync: () => c.hkdfSync('sha256', 'k', 's', 'i', 16),
        generatePrimeSync: () => c.generatePrimeSync(16),
        checkPrimeSync: () => c.checkPrimeSync(Buffer.from([7])),
        X509Certificate: () => new c.X509Certificate('pem'),
        Cipheriv: () => new c.Cipheriv('aes-128-cbc'),
        setEngine: () => c.setEngine('x'),
        setFips: () => c.setFips(true),
      };
      for (const [name, f] of Object.entries(calls)) {
        try { f(); out[name] = 'returned'; } catch (e) { out[name] = [e.name, e.code, e.message]; }
      }
      c.setFips(false);
      __return([out, c.getFips(), c.getCiphers(), c.getCurves(), typeof c.DiffieHellman, c.createCipheriv.name]);`)
    const [out, fips, ciphers, curves, dhType, name] = r.value
    for (const [fn, v] of Object.entries<any>(out)) {
      expect(v[0], fn).toBe('Error')
      expect(v[1], fn).toBe('ERR_SANDBOX_UNSUPPORTED')
      const named = fn === 'setFips' ? 'crypto.setFips(true)' : `crypto.${fn}`
      expect(v[2], fn).toBe(`${named} is not implemented in this sandbox yet`)
    }
    expect(Object.keys(out).length).toBe(23)
    expect([fips, ciphers, curves, dhType, name]).toEqual([0, [], [], 'function', 'createCipheriv'])
  })

  it('hands digests and keys to the host as bytes', async () => {
    const r = await sut.rt.run<any>(`
      const c = require('crypto');
      __return({ d: c.createHash('sha256').update('abc').digest(), k: c.pbkdf2Sync('p', 's', 1, 8, 'sha256'),
        hmac: c.createHmac('md5', 'k').digest('hex') })`)
    expect(Buffer.from(r.value.d).toString('hex')).toBe(createHash('sha256').update('abc').digest('hex'))
    expect(r.value.k).toBeInstanceOf(Uint8Array)
    expect(r.value.k.length).toBe(8)
    expect(r.value.hmac).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('hash contexts', () => {
  it('are bounded per process; digest() frees one; they end with the process', async () => {
    const code = `
      const c = require('crypto');
      const open = [];
      let err;
      try {
        for (let i = 0; i < 5000; i++) open.push(c.createHash('md5').update('a').update('b'));
      } catch (e) { err = e; }
      const n = open.length;
      open[0].digest();
      open.push(c.createHash('sha1').update('x').update('y'));
      let copyErr;
      try { open[1].copy(); } catch (e) { copyErr = e.code; }
      __return([n, err && err.code, err && err.message, copyErr, open[open.length - 1].digest('hex')])`
    const first = await sut.rt.run<any>(code)
    expect(first.value[0]).toBe(4096)
    expect(first.value[1]).toBe('ERR_SANDBOX_LIMIT')
    expect(first.value[2]).toContain('digest()')
    expect(first.value[3]).toBe('ERR_SANDBOX_LIMIT')
    expect(first.value[4]).toBe(createHash('sha1').update('xy').digest('hex'))
    // The next process starts with none open.
    expect((await sut.rt.run<any>(code)).value[0]).toBe(4096)
  })

  it('are not taken by hashes fed once, whatever their number', async () => {
    const r = await sut.rt.run<any>(`
      const c = require('crypto');
      const open = [];
      for (let i = 0; i < 20000; i++) open.push(c.createHash('sha256').update(i % 2 ? 'x' : Buffer.alloc(100)));
      for (let i = 0; i < 20000; i++) open.push(c.createHmac('sha256', 'k').update('x'));
      __return([open.length, open[0].digest('hex'), open[1].copy().digest('hex'), open[20000].digest('hex')])`)
    expect(r.value).toEqual([40000, createHash('sha256').update(Buffer.alloc(100)).digest('hex'),
      createHash('sha256').update('x').digest('hex'), expect.stringMatching(/^[0-9a-f]{64}$/)])
  })

  it('take large inputs in parts, surrogate pairs whole, as Node digests them', async () => {
    const r = await sut.rt.run<any>(`
      const c = require('crypto');
      const chunk = 16 * 1024 * 1024;
      const s = 'a'.repeat(chunk - 1) + '\\u{1F600}' + 'b'.repeat(1000);
      const big = Buffer.alloc(40 * 1024 * 1024, 'xyz');
      __return([
        c.createHash('sha256').update(s).digest('hex'),
        c.hash('sha1', s),
        c.createHash('md5').update('x').update(big).update(s).digest('base64'),
        c.createHmac('sha512', 'k').update(big.subarray(1)).digest('hex'),
      ])`)
    const s = 'a'.repeat(16 * 1024 * 1024 - 1) + '\u{1F600}' + 'b'.repeat(1000)
    const big = Buffer.alloc(40 * 1024 * 1024, 'xyz')
    const { createHmac } = await import('node:crypto')
    expect(r.value).toEqual([
      createHash('sha256').update(s).digest('hex'),
      createHash('sha1').update(s).digest('hex'),
      createHash('md5').update('x').update(big).update(s).digest('base64'),
      createHmac('sha512', 'k').update(big.subarray(1)).digest('hex'),
    ])
  })
})

describe('key derivation is bounded per call', () => {
  it('refuses PBKDF2 work past the bound at once, sync and async', async () => {
    const t0 = Date.now()
    const r = await sut.rt.run<any>(`
      const c = require('crypto');
      const out = [];
      try { c.pbkdf2Sync('p', 's', 2147483647, 32, 'sha256'); } catch (e) { out.push([e.name, e.code, e.message]); }
      try { c.pbkdf2('p', 's', 2147483647, 32, 'sha512', () => out.push('called')); } catch (e) { out.push(e.code); }
      // Many blocks of one iteration count too.
      try { c.pbkdf2Sync('p', 's', 1, 64 << 20, 'md5'); } catch (e) { out.push(e.code); }
      // OWASP's advice fits.
      out.push(c.pbkdf2Sync('p', 's', 600000, 32, 'sha256').length);
      __return(out)`)
    expect(r.value[0][0]).toBe('RangeError')
    expect(r.value[0][1]).toBe('ERR_SANDBOX_LIMIT')
    expect(r.value[0][2]).toContain('2147483647 iterations')
    expect(r.value.slice(1)).toEqual(['ERR_SANDBOX_LIMIT', 'ERR_SANDBOX_LIMIT', 32])
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('bounds scrypt by the memory limit and by work, whatever maxmem says', async () => {
    const r = await small.rt.run<any>(`
      const c = require('crypto');
      const out = [];
      const tryIt = (f) => { try { f(); out.push('ok'); } catch (e) { out.push([e.code, e.message]); } };
      // 64 MiB of table for memoryMb 64.
      tryIt(() => c.scryptSync('p', 's', 16, { N: 2 ** 16, r: 8, maxmem: 2 ** 40 }));
      // Under the memory limit, but too much work for one call.
      tryIt(() => c.scryptSync('p', 's', 16, { N: 2 ** 14, r: 8, p: 64, maxmem: 2 ** 40 }));
      tryIt(() => c.scrypt('p', 's', 16, { N: 2 ** 14, r: 8, p: 64, maxmem: 2 ** 40 }, () => {}));
      // Node's defaults, and a table of 32 MiB.
      tryIt(() => c.scryptSync('p', 's', 16));
      tryIt(() => c.scryptSync('p', 's', 16, { N: 2 ** 15, r: 8, maxmem: 2 ** 26 }));
      __return(out)`)
    const [mem, work, workAsync, defaults, bigger] = r.value
    expect(mem[0]).toBe('ERR_SANDBOX_LIMIT')
    expect(mem[1]).toContain("over this sandbox's memory limit of 67108864")
    expect(work[0]).toBe('ERR_SANDBOX_LIMIT')
    expect(work[1]).toContain('more work than one call may do')
    expect(workAsync[0]).toBe('ERR_SANDBOX_LIMIT')
    expect([defaults, bigger]).toEqual(['ok', 'ok'])
  })
})

describe('callbacks', () => {
  it('run from the event loop after the sync code, keeping the process alive', async () => {
    const e = await sut.rt.exec(`
      const c = require('crypto');
      c.pbkdf2('p', 's', 1000, 16, 'sha1', (err, k) => console.log('pbkdf2', err, k.length));
      c.scrypt('p', 's', 16, { N: 1024 }, (err, k) => console.log('scrypt', err, k.length));
      c.randomBytes(100000, (err, b) => console.log('randomBytes', err, b.length));
      c.randomFill(new Uint32Array(10), (err, a) => console.log('randomFill', err, a.length));
      process.nextTick(() => console.log('tick'));
      console.log('sync');`)
    expect(e.stdout).toBe('sync\ntick\npbkdf2 null 16\nscrypt null 16\nrandomBytes null 100000\nrandomFill null 10\n')
  })

  it('a throwing callback is an uncaught exception, as in Node', async () => {
    const code = `require('crypto').pbkdf2('p', 's', 1, 1, 'sha1', () => { throw new Error('boom') });
      process.on('exit', (c) => console.log('exit', c));`
    const guest = await sut.rt.exec(code)
    expect(guest.code).toBe(1)
    expect(guest.stdout).toBe('exit 1\n')
    expect(guest.stderr).toContain('Error: boom')
  })
})

describe('crypto.subtle', () => {
  it('is the same object everywhere; CryptoKey and SubtleCrypto are lazy globals', async () => {
    const r = await sut.rt.run<any>(`
      const d = Object.getOwnPropertyDescriptor(globalThis, 'CryptoKey');
      __return([require('crypto').subtle === crypto.subtle, require('crypto').webcrypto === crypto,
        typeof d.get, d.enumerable, Object.keys(globalThis).includes('SubtleCrypto')])`)
    expect(r.value).toEqual([true, true, 'function', false, false])
  })

  it('rejects what it does not implement with NotSupportedError', async () => {
    const r = await sut.rt.run<any>(`(async () => {
      const s = crypto.subtle;
      const key = await s.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const out = [];
      for (const f of [
        () => s.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key, new Uint8Array(1)),
        () => s.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key, new Uint8Array(1)),
        () => s.deriveBits({ name: 'PBKDF2' }, key, 8),
        () => s.deriveKey({ name: 'PBKDF2' }, key, { name: 'HMAC' }, false, ['sign']),
        () => s.wrapKey('raw', key, key, 'AES-KW'),
        () => s.unwrapKey('raw', new Uint8Array(8), key, 'AES-KW', 'HMAC', false, ['sign']),
        () => s.importKey('raw', new Uint8Array(16), { name: 'AES-GCM' }, false, ['encrypt']),
        () => s.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']),
      ]) {
        try { await f(); out.push('resolved'); } catch (e) { out.push([e.name, e.message]); }
      }
      const raw = await s.exportKey('raw', await s.importKey('raw', new Uint8Array([1, 2]), { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']));
      const k = require('crypto').KeyObject.from(key);
      __return([out, new Uint8Array(raw), k.type, k.symmetricKeySize,
        require('crypto').createHmac('sha256', key).digest('hex') === require('crypto').createHmac('sha256', Buffer.alloc(16)).digest('hex')]);
    })()`)
    const [out, raw, type, size, same] = r.value
    expect(out.map((x: any) => x[0])).toEqual(Array(8).fill('NotSupportedError'))
    expect(out[0][1]).toBe('subtle.encrypt is not implemented in this sandbox yet')
    expect(out[6][1]).toBe('AES-GCM keys are not supported in this sandbox yet')
    expect([...raw, type, size, same]).toEqual([1, 2, 'secret', 16, true])
  })
})
