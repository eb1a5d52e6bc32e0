// crypto.subtle: digest and HMAC keys, and their errors.
const { subtle } = globalThis.crypto;

async function show(label, f) {
  try {
    const v = await f();
    if (v instanceof ArrayBuffer) console.log(label, 'ArrayBuffer', Buffer.from(v).toString('hex'));
    else if (v instanceof CryptoKey) console.log(label, v.type, v.extractable, JSON.stringify(v.algorithm), v.usages);
    else console.log(label, v);
  } catch (e) {
    console.log(label, 'threw', e.constructor.name, e.name, e.code, JSON.stringify(e.message));
  }
}

(async () => {
  for (const alg of ['SHA-1', 'sha-256', { name: 'SHA-384' }, 'SHA-512']) {
    await show(`digest ${JSON.stringify(alg)}`, () => subtle.digest(alg, Buffer.from('abc')));
  }
  await show('digest DataView', () => subtle.digest('SHA-256', new DataView(new ArrayBuffer(3))));
  await show('digest ArrayBuffer', () => subtle.digest('SHA-256', new ArrayBuffer(3)));
  await show('digest SHA-224', () => subtle.digest('SHA-224', new ArrayBuffer(1)));
  await show('digest MD5', () => subtle.digest('MD5', new ArrayBuffer(1)));
  await show('digest string data', () => subtle.digest('SHA-256', 'abc'));
  await show('digest one arg', () => subtle.digest('SHA-256'));
  await show('digest no args', () => subtle.digest());
  await show('digest number alg', () => subtle.digest(5, new ArrayBuffer(1)));
  await show('digest no name', () => subtle.digest({}, new ArrayBuffer(1)));
  await show('digest this', () => subtle.digest.call({}, 'SHA-256', new ArrayBuffer(1)));

  const key = await subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
  console.log(key, Object.prototype.toString.call(key), Object.keys(key), key.algorithm === key.algorithm);
  const { types } = require('util');
  console.log(types.isCryptoKey(key), types.isCryptoKey({}), types.isKeyObject(key), types.isKeyObject(require('crypto').KeyObject.from(key)));
  const sig = await subtle.sign('HMAC', key, Buffer.from('data'));
  console.log('sign', Buffer.from(sig).toString('hex'));
  await show('sign object alg', () => subtle.sign({ name: 'hmac' }, key, new TextEncoder().encode('data')));
  await show('verify good', () => subtle.verify('HMAC', key, sig, Buffer.from('data')));
  await show('verify bad', () => subtle.verify('HMAC', key, new Uint8Array(32), Buffer.from('data')));
  await show('verify short', () => subtle.verify('HMAC', key, new Uint8Array(3), Buffer.from('data')));
  await show('export raw', () => subtle.exportKey('raw', key));
  await show('export jwk', () => subtle.exportKey('jwk', key));
  await show('export spki', () => subtle.exportKey('spki', key));
  await show('export pkcs8', () => subtle.exportKey('pkcs8', key));
  await show('export foo', () => subtle.exportKey('foo', key));
  await show('export non-key', () => subtle.exportKey('raw', {}));
  await show('export one arg', () => subtle.exportKey('raw'));

  const signOnly = await subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  await show('export not extractable', () => subtle.exportKey('raw', signOnly));
  await show('verify with sign-only key', () => subtle.verify('HMAC', signOnly, new Uint8Array(20), Buffer.from('d')));
  await show('sign string data', () => subtle.sign('HMAC', signOnly, 'x'));
  await show('sign non-key', () => subtle.sign('HMAC', {}, Buffer.from('x')));
  await show('sign two args', () => subtle.sign('HMAC', signOnly));
  await show('sign unknown alg', () => subtle.sign('FOO', signOnly, Buffer.from('x')));
  await show('sign AES-GCM', () => subtle.sign('AES-GCM', signOnly, Buffer.from('x')));
  await show('sign RSASSA', () => subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, signOnly, Buffer.from('x')));

  const H = { name: 'HMAC', hash: 'SHA-1' };
  await show('import no hash', () => subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC' }, true, ['sign']));
  await show('import string alg', () => subtle.importKey('raw', Buffer.from('key'), 'HMAC', true, ['sign']));
  await show('import hash object', () => subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC', hash: { name: 'sha-512' } }, 0, ['sign', 'sign']));
  await show('import hash no name', () => subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC', hash: {} }, true, ['sign']));
  await show('import MD5', () => subtle.importKey('raw', Buffer.from('key'), { name: 'HMAC', hash: 'MD5' }, true, ['sign']));
  await show('import bad usage', () => subtle.importKey('raw', Buffer.from('key'), H, true, ['encrypt']));
  await show('import unknown usage', () => subtle.importKey('raw', Buffer.from('key'), H, true, ['sign', 'bogus']));
  await show('import usages string', () => subtle.importKey('raw', Buffer.from('key'), H, true, 'sign'));
  await show('import no usages', () => subtle.importKey('raw', Buffer.from('key'), H, true));
  await show('import empty usages', () => subtle.importKey('raw', Buffer.from('key'), H, true, []));
  await show('import empty key', () => subtle.importKey('raw', Buffer.from(''), H, true, []));
  await show('import length ok', () => subtle.importKey('raw', Buffer.from('key'), { ...H, length: 24 }, true, ['sign']));
  await show('import length string', () => subtle.importKey('raw', Buffer.from('key'), { ...H, length: '24' }, true, ['sign']));
  await show('import length 16', () => subtle.importKey('raw', Buffer.from('key'), { ...H, length: 16 }, true, ['sign']));
  await show('import length 0', () => subtle.importKey('raw', Buffer.from('key'), { ...H, length: 0 }, true, ['sign']));
  await show('import length -1', () => subtle.importKey('raw', Buffer.from('key'), { ...H, length: -1 }, true, ['sign']));
  await show('import length x', () => subtle.importKey('raw', Buffer.from('key'), { ...H, length: 'x' }, true, ['sign']));
  await show('import string data', () => subtle.importKey('raw', 'key', H, true, ['sign']));
  await show('import spki', () => subtle.importKey('spki', Buffer.from('key'), H, true, ['sign']));
  await show('import bad format', () => subtle.importKey('nope', Buffer.from('key'), H, true, ['sign']));
  await show('import unknown alg', () => subtle.importKey('raw', Buffer.from('key'), { name: 'FOO' }, true, ['sign']));
  await show('import three args', () => subtle.importKey('raw', Buffer.from('key'), H));

  const jwk = { kty: 'oct', k: 'a2V5' };
  await show('jwk', () => subtle.importKey('jwk', jwk, H, true, ['sign']));
  await show('jwk round trip', async () => subtle.exportKey('jwk', await subtle.importKey('jwk', { ...jwk, alg: 'HS1' }, H, true, ['sign'])));
  await show('jwk all members', () => subtle.importKey('jwk', { ...jwk, alg: 'HS256', ext: true, key_ops: ['sign', 'verify'], use: 'sig' }, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  await show('jwk length ignored', () => subtle.importKey('jwk', jwk, { ...H, length: 100 }, true, ['sign']));
  await show('jwk alg mismatch', () => subtle.importKey('jwk', { ...jwk, alg: 'HS256' }, H, true, ['sign']));
  await show('jwk bad kty', () => subtle.importKey('jwk', { ...jwk, kty: 'RSA' }, H, true, ['sign']));
  await show('jwk no kty', () => subtle.importKey('jwk', { k: 'a2V5' }, H, true, ['sign']));
  await show('jwk no k', () => subtle.importKey('jwk', { kty: 'oct' }, H, true, ['sign']));
  await show('jwk empty k', () => subtle.importKey('jwk', { kty: 'oct', k: '' }, H, true, ['sign']));
  await show('jwk ext mismatch', () => subtle.importKey('jwk', { ...jwk, ext: false }, H, true, ['sign']));
  await show('jwk ops mismatch', () => subtle.importKey('jwk', { ...jwk, key_ops: ['verify'] }, H, true, ['sign']));
  await show('jwk ops duplicate', () => subtle.importKey('jwk', { ...jwk, key_ops: ['sign', 'sign'] }, H, true, ['sign']));
  await show('jwk ops string', () => subtle.importKey('jwk', { ...jwk, key_ops: 'sign' }, H, true, ['sign']));
  await show('jwk use', () => subtle.importKey('jwk', { ...jwk, use: 'enc' }, H, true, ['sign']));
  await show('jwk everything wrong', () => subtle.importKey('jwk', { kty: 'oct', k: 'a2V5', alg: 'HS256', use: 'enc', ext: false, key_ops: ['verify'] }, H, true, ['sign']));
  await show('jwk string', () => subtle.importKey('jwk', 'key', H, true, ['sign']));
  await show('jwk undefined', () => subtle.importKey('jwk', undefined, H, true, ['sign']));

  for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
    const g = await subtle.generateKey({ name: 'HMAC', hash }, true, ['verify', 'sign', 'verify']);
    console.log('generate', JSON.stringify(g.algorithm), g.usages, (await subtle.exportKey('raw', g)).byteLength);
    const s = await subtle.sign('HMAC', g, Buffer.from('x'));
    console.log('generated key signs', s.byteLength, await subtle.verify('HMAC', g, s, Buffer.from('x')));
  }
  await show('generate length 104', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 104 }, true, ['sign']));
  await show('generate length 7', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 7 }, true, ['sign']));
  await show('generate length 0', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 0 }, true, ['sign']));
  await show('generate no hash', () => subtle.generateKey({ name: 'HMAC' }, true, ['sign']));
  await show('generate empty usages', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, []));
  await show('generate bad usage', () => subtle.generateKey({ name: 'HMAC', hash: 'SHA-1' }, true, ['sign', 'encrypt']));
  await show('generate unknown', () => subtle.generateKey({ name: 'FOO' }, true, ['sign']));
  await show('generate no args', () => subtle.generateKey());

  await show('new CryptoKey', () => new CryptoKey());
  console.log(typeof CryptoKey, typeof SubtleCrypto, Object.prototype.toString.call(subtle), subtle instanceof SubtleCrypto);
  console.log(Object.getOwnPropertyNames(SubtleCrypto.prototype));
  console.log(Object.getOwnPropertyNames(CryptoKey.prototype));
  await show('CryptoKey getter this', () => Object.getOwnPropertyDescriptor(CryptoKey.prototype, 'type').get.call({}));
  await show('encrypt no args', () => subtle.encrypt());
  await show('deriveBits no args', () => subtle.deriveBits());
  console.log(require('crypto').webcrypto.subtle === subtle);
})();
