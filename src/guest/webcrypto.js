'use strict';
// Web Crypto's SubtleCrypto and CryptoKey, as far as the sandbox goes:
// digest (SHA-1/256/384/512) and HMAC keys (importKey/exportKey as 'raw'
// or 'jwk', generateKey, sign, verify), over the kernel's crypto ops.
// Other algorithms reject with NotSupportedError.

const {
  ArrayBufferIsView,
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  MathTrunc,
  Number,
  NumberIsFinite,
  ObjectCreate,
  ObjectDefineProperty,
  PromiseReject,
  SafeArraySlice,
  StringPrototypeToUpperCase,
  SymbolFor,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetLength,
  Uint8Array,
  WeakMap,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} = require('primordials');
const errors = require('errors');
const { check, callAsync } = require('ops');
const crypto = require('crypto');

const customInspect = SymbolFor('nodejs.util.inspect.custom');

function domException(message, name) {
  const { DOMException } = require('dom_exception');
  return new DOMException(message, name);
}

// Node's WebIDL errors: a plain header, with a code.
function idlError(code, message) {
  return errors.makePlainError(TypeError, code, message);
}

function prefix(op) {
  return `Failed to execute '${op}' on 'SubtleCrypto'`;
}

function requireArgs(op, n, got) {
  if (got < n) {
    throw idlError('ERR_MISSING_ARGS', `${prefix(op)}: ${n} arguments required, but only ${got} present.`);
  }
}

// A BufferSource argument, copied now (as Node copies it into its job).
function bufferSource(v, op, ordinal) {
  if (!crypto.isAnyArrayBuffer(v) && !ArrayBufferIsView(v)) {
    throw idlError('ERR_INVALID_ARG_TYPE',
      `${prefix(op)}: ${ordinal} argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
  }
  return crypto.copyOf(v);
}

function enumValue(v, values, type, context) {
  const s = `${v}`;
  if (!ArrayPrototypeIncludes(values, s)) {
    throw idlError('ERR_INVALID_ARG_VALUE', `${context} value '${s}' is not a valid enum value of type ${type}.`);
  }
  return s;
}

const keyFormats = ['raw', 'pkcs8', 'spki', 'jwk'];
const keyUsageNames = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'];

// A WebIDL sequence, read through the value's own iterator (as Node does).
function sequence(v, context, each) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function') || typeof v[SymbolIterator] !== 'function') {
    throw idlError('ERR_INVALID_ARG_TYPE', `${context} can not be converted to sequence.`);
  }
  const out = [];
  const it = v[SymbolIterator]();
  for (let i = 0; ; i++) {
    const r = it.next();
    if (r.done) break;
    ArrayPrototypePush(out, each(r.value, i));
  }
  return out;
}

function usageList(v, op, ordinal) {
  const context = `${prefix(op)}: ${ordinal} argument`;
  return sequence(v, context, (u, i) => enumValue(u, keyUsageNames, 'KeyUsage', `${context}, index ${i}`));
}

// ---- algorithms ----

const digests = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const signers = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA', 'Ed25519', 'Ed448', 'HMAC'];
const keyTypes = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP', 'ECDSA', 'ECDH', 'Ed25519', 'Ed448', 'X25519', 'X448',
  'AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW', 'HMAC'];
const importable = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP', 'ECDSA', 'ECDH', 'Ed25519', 'Ed448', 'X25519',
  'X448', 'AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW', 'HMAC', 'HKDF', 'PBKDF2'];
const registered = { __proto__: null, digest: digests, sign: signers, verify: signers, generateKey: keyTypes,
  importKey: importable };

// The kernel's names, and HMAC's default key length in bits.
const hashOf = { __proto__: null, 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const blockBits = { __proto__: null, 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const jwkAlg = { __proto__: null, 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' };

function missingOption(dict, member) {
  return idlError('ERR_MISSING_OPTION',
    `Failed to normalize algorithm: passed algorithm can not be converted to '${dict}' because '${member}' is required in '${dict}'.`);
}

// The registered name of `algorithm` for `op`, and the object it came in.
function algorithmName(algorithm, op) {
  let obj;
  let name;
  if (algorithm !== null && typeof algorithm === 'object') {
    obj = algorithm;
    name = algorithm.name;
    if (name === undefined) throw missingOption('Algorithm', 'name');
  } else {
    name = algorithm;
  }
  const upper = StringPrototypeToUpperCase(`${name}`);
  const list = registered[op];
  for (let i = 0; i < list.length; i++) {
    if (StringPrototypeToUpperCase(list[i]) === upper) return { __proto__: null, name: list[i], obj };
  }
  throw domException('Unrecognized algorithm name', 'NotSupportedError');
}

// HMAC's parameters for importKey/generateKey: the hash's name and the
// length, if given.
function hmacParams(obj, dict) {
  const hash = obj === undefined ? undefined : obj.hash;
  if (hash === undefined) throw missingOption(dict, 'hash');
  const hashName = algorithmName(hash, 'digest').name;
  let length = obj.length;
  if (length !== undefined) {
    const n = Number(length);
    const where = `Failed to normalize algorithm: 'length' of '${dict}' (passed algorithm)`;
    if (!NumberIsFinite(n)) throw idlError('ERR_INVALID_ARG_TYPE', `${where} is not a finite number.`);
    length = MathTrunc(n);
    if (length < 0 || length > 4294967295) {
      throw idlError('ERR_OUT_OF_RANGE', `${where} is outside the expected range of 0 to 4294967295.`);
    }
  }
  return { __proto__: null, hashName, length };
}

function notInSandbox(message) {
  return domException(`${message} in this sandbox yet`, 'NotSupportedError');
}

// ---- CryptoKey ----

// key -> { type, extractable, algorithm, usages, bytes }
const keys = new WeakMap();

function invalidThis(type) {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
}

function record(key) {
  const r = key !== null && typeof key === 'object' ? WeakMapPrototypeGet(keys, key) : undefined;
  if (r === undefined) throw invalidThis('CryptoKey');
  return r;
}

function illegalConstructor() {
  return errors.makeNodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
}

class CryptoKey {
  constructor() {
    throw illegalConstructor();
  }

  get type() { return record(this).type; }
  get extractable() { return record(this).extractable; }
  get algorithm() { return record(this).algorithm; }
  get usages() { return record(this).usages; }

  [customInspect](depth, options) {
    if (depth < 0) return this;
    const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
    const r = record(this);
    return `CryptoKey ${require('util').inspect({
      type: r.type, extractable: r.extractable, algorithm: r.algorithm, usages: r.usages,
    }, opts)}`;
  }
}
ObjectDefineProperty(CryptoKey.prototype, SymbolToStringTag, {
  __proto__: null, value: 'CryptoKey', configurable: true,
});
errors.enumerableInOrder(CryptoKey.prototype, ['type', 'extractable', 'algorithm', 'usages']);

function makeKey(algorithm, extractable, usages, bytes) {
  const key = ObjectCreate(CryptoKey.prototype);
  WeakMapPrototypeSet(keys, key, {
    __proto__: null, type: 'secret', extractable, algorithm, usages, bytes,
  });
  return key;
}

// The secret bytes of a CryptoKey (for createHmac and KeyObject.from), or
// undefined for anything else.
function secretOf(key) {
  if (key === null || typeof key !== 'object') return undefined;
  const r = WeakMapPrototypeGet(keys, key);
  return r === undefined ? undefined : r.bytes;
}

function cryptoKeyArg(key, op, ordinal) {
  const r = key !== null && typeof key === 'object' ? WeakMapPrototypeGet(keys, key) : undefined;
  if (r === undefined) {
    throw idlError('ERR_INVALID_ARG_TYPE', `${prefix(op)}: ${ordinal} argument is not of type CryptoKey.`);
  }
  return r;
}

function checkHmacUsages(usages) {
  for (let i = 0; i < usages.length; i++) {
    if (usages[i] !== 'sign' && usages[i] !== 'verify') {
      throw domException('Unsupported key usage for an HMAC key', 'SyntaxError');
    }
  }
}

// ---- SubtleCrypto ----

function toArrayBuffer(u8) {
  return TypedArrayPrototypeGetBuffer(crypto.copyOf(u8));
}

// The op's promise itself, never awaited or returned from an async
// function: both would call its `then`, which a guest may have replaced.
function macOf(r, data, transform) {
  const alg = crypto.algIndex(hashOf[r.algorithm.hash.name]);
  return callAsync(native.crypto_digest_async, undefined, [alg, r.bytes, data, 0], transform);
}

function base64url(bytes) {
  return require('buffer').sliceString('base64url', bytes, 0, TypedArrayPrototypeGetLength(bytes));
}

function fromBase64url(s) {
  return crypto.copyOf(require('buffer').fromString(s, 'base64url'));
}

// The JsonWebKey members an HMAC import reads, converted as WebIDL does.
function jsonWebKey(v, op) {
  if (v === undefined || v === null) return { __proto__: null };
  if (typeof v !== 'object' && typeof v !== 'function') {
    throw idlError('ERR_INVALID_ARG_TYPE', `${prefix(op)}: 2nd argument can not be converted to a dictionary`);
  }
  const str = (x) => (x === undefined ? undefined : `${x}`);
  const jwk = { __proto__: null };
  jwk.alg = str(v.alg);
  const ext = v.ext;
  jwk.ext = ext === undefined ? undefined : !!ext;
  jwk.k = str(v.k);
  const ops = v.key_ops;
  jwk.key_ops = ops === undefined ? undefined :
    sequence(ops, `${prefix(op)}: 'key_ops' of 'JsonWebKey' (2nd argument)`, (x) => `${x}`);
  jwk.kty = str(v.kty);
  jwk.use = str(v.use);
  return jwk;
}

function importHmacJwk(jwk, hashName, extractable, usages) {
  if (jwk.kty === undefined) throw domException('Invalid keyData', 'DataError');
  if (jwk.kty !== 'oct') throw domException('Invalid JWK "kty" Parameter', 'DataError');
  if (jwk.use !== undefined && jwk.use !== 'sig') throw domException('Invalid JWK "use" Parameter', 'DataError');
  if (jwk.key_ops !== undefined) {
    const ops = jwk.key_ops;
    for (let i = 0; i < ops.length; i++) {
      for (let j = i + 1; j < ops.length; j++) {
        if (ops[i] === ops[j]) throw domException('Duplicate key operation', 'DataError');
      }
    }
    for (let i = 0; i < usages.length; i++) {
      if (!ArrayPrototypeIncludes(ops, usages[i])) {
        throw domException('Key operations and usage mismatch', 'DataError');
      }
    }
  }
  if (jwk.ext === false && extractable) {
    throw domException('JWK "ext" Parameter and extractable mismatch', 'DataError');
  }
  if (jwk.alg !== undefined && jwk.alg !== jwkAlg[hashName]) {
    throw domException('JWK "alg" does not match the requested algorithm', 'DataError');
  }
  if (jwk.k === undefined) throw domException('Invalid keyData', 'DataError');
  return fromBase64url(jwk.k);
}

class SubtleCrypto {
  constructor() {
    throw illegalConstructor();
  }

  async encrypt(algorithm, key, data) {
    return unsupportedOp(this, 'encrypt', 3, arguments.length);
  }

  async decrypt(algorithm, key, data) {
    return unsupportedOp(this, 'decrypt', 3, arguments.length);
  }

  sign(algorithm, key, data) {
    try {
      if (this !== subtle) throw invalidThis('SubtleCrypto');
      requireArgs('sign', 3, arguments.length);
      const r = cryptoKeyArg(key, 'sign', '2nd');
      const bytes = bufferSource(data, 'sign', '3rd');
      const alg = algorithmName(algorithm, 'sign').name;
      if (alg !== r.algorithm.name || !ArrayPrototypeIncludes(r.usages, 'sign')) {
        throw domException('Unable to use this key to sign', 'InvalidAccessError');
      }
      return macOf(r, bytes, toArrayBuffer);
    } catch (err) {
      return PromiseReject(err);
    }
  }

  verify(algorithm, key, signature, data) {
    try {
      if (this !== subtle) throw invalidThis('SubtleCrypto');
      requireArgs('verify', 4, arguments.length);
      const r = cryptoKeyArg(key, 'verify', '2nd');
      const sig = bufferSource(signature, 'verify', '3rd');
      const bytes = bufferSource(data, 'verify', '4th');
      const alg = algorithmName(algorithm, 'verify').name;
      if (alg !== r.algorithm.name || !ArrayPrototypeIncludes(r.usages, 'verify')) {
        throw domException('Unable to use this key to verify', 'InvalidAccessError');
      }
      return macOf(r, bytes, (mac) => TypedArrayPrototypeGetLength(mac) === TypedArrayPrototypeGetLength(sig) &&
        check(native.crypto_timing_safe_equal(mac, sig)));
    } catch (err) {
      return PromiseReject(err);
    }
  }

  digest(algorithm, data) {
    try {
      if (this !== subtle) throw invalidThis('SubtleCrypto');
      requireArgs('digest', 2, arguments.length);
      const bytes = bufferSource(data, 'digest', '2nd');
      const name = algorithmName(algorithm, 'digest').name;
      const alg = crypto.algIndex(hashOf[name]);
      return callAsync(native.crypto_digest_async, undefined, [alg, undefined, bytes, 0], toArrayBuffer);
    } catch (err) {
      return PromiseReject(err);
    }
  }

  async generateKey(algorithm, extractable, keyUsages) {
    if (this !== subtle) throw invalidThis('SubtleCrypto');
    requireArgs('generateKey', 3, arguments.length);
    extractable = !!extractable;
    const usages = usageList(keyUsages, 'generateKey', '3rd');
    const { name, obj } = algorithmName(algorithm, 'generateKey');
    if (name !== 'HMAC') throw notInSandbox(`${name} keys are not supported`);
    const { hashName, length: asked } = hmacParams(obj, 'HmacKeyGenParams');
    const length = asked === undefined ? blockBits[hashName] : asked;
    if (length % 8 !== 0) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `The property 'algorithm.length' must be a multiple of 8. Received ${length}`);
    }
    checkHmacUsages(usages);
    if (length === 0) throw domException('The operation failed for an operation-specific reason', 'OperationError');
    const unique = [];
    for (let i = 0; i < usages.length; i++) {
      if (!ArrayPrototypeIncludes(unique, usages[i])) ArrayPrototypePush(unique, usages[i]);
    }
    const n = length / 8;
    const bytes = new Uint8Array(n);
    crypto.fillRandom(TypedArrayPrototypeGetBuffer(bytes), 0, n);
    const key = makeKey({ name: 'HMAC', length, hash: { name: hashName } }, extractable, unique, bytes);
    if (unique.length === 0) throw domException('Usages cannot be empty when creating a key.', 'SyntaxError');
    return key;
  }

  async deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages) {
    return unsupportedOp(this, 'deriveKey', 5, arguments.length);
  }

  async deriveBits(algorithm, baseKey, length) {
    return unsupportedOp(this, 'deriveBits', 2, arguments.length);
  }

  async importKey(format, keyData, algorithm, extractable, keyUsages) {
    if (this !== subtle) throw invalidThis('SubtleCrypto');
    // (Node asks for 4.)
    requireArgs('importKey', 4, arguments.length);
    format = enumValue(format, keyFormats, 'KeyFormat', `${prefix('importKey')}: 1st argument`);
    const data = format === 'jwk' ? jsonWebKey(keyData, 'importKey') : bufferSource(keyData, 'importKey', '2nd');
    extractable = !!extractable;
    const usages = usageList(keyUsages, 'importKey', '5th');
    const { name, obj } = algorithmName(algorithm, 'importKey');
    if (name !== 'HMAC') throw notInSandbox(`${name} keys are not supported`);
    const { hashName, length } = hmacParams(obj, 'HmacImportParams');
    checkHmacUsages(usages);
    let bytes;
    if (format === 'raw') {
      bytes = data;
      const bits = TypedArrayPrototypeGetLength(bytes) * 8;
      if (bits === 0 || length === 0) throw domException('Zero-length key is not supported', 'DataError');
      if (length !== undefined && length !== bits) throw domException('Invalid key length', 'DataError');
    } else if (format === 'jwk') {
      bytes = importHmacJwk(data, hashName, extractable, usages);
    } else {
      throw domException(`Unable to import HMAC key with format ${format}`);
    }
    const bits = TypedArrayPrototypeGetLength(bytes) * 8;
    const key = makeKey({ name: 'HMAC', hash: { name: hashName }, length: bits }, extractable, usages, bytes);
    if (usages.length === 0) {
      throw domException('Usages cannot be empty when importing a secret key.', 'SyntaxError');
    }
    return key;
  }

  async exportKey(format, key) {
    if (this !== subtle) throw invalidThis('SubtleCrypto');
    requireArgs('exportKey', 2, arguments.length);
    format = enumValue(format, keyFormats, 'KeyFormat', `${prefix('exportKey')}: 1st argument`);
    const r = cryptoKeyArg(key, 'exportKey', '2nd');
    // (Node's name for this one.)
    if (!r.extractable) throw domException('key is not extractable', 'InvalidAccessException');
    if (format === 'raw') return toArrayBuffer(r.bytes);
    if (format === 'jwk') {
      return {
        key_ops: SafeArraySlice(r.usages),
        ext: r.extractable,
        kty: 'oct',
        k: base64url(r.bytes),
        alg: jwkAlg[r.algorithm.hash.name],
      };
    }
    const shown = format === 'spki' ? 'raw' : format;
    throw domException(`Unable to export a ${shown} HMAC secret key`, 'InvalidAccessError');
  }

  async wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    return unsupportedOp(this, 'wrapKey', 4, arguments.length);
  }

  async unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
    return unsupportedOp(this, 'unwrapKey', 7, arguments.length);
  }
}
ObjectDefineProperty(SubtleCrypto.prototype, SymbolToStringTag, {
  __proto__: null, value: 'SubtleCrypto', configurable: true,
});

function unsupportedOp(self, op, n, got) {
  if (self !== subtle) throw invalidThis('SubtleCrypto');
  requireArgs(op, n, got);
  throw notInSandbox(`subtle.${op} is not implemented`);
}

const subtle = ObjectCreate(SubtleCrypto.prototype);

exports.subtle = subtle;
exports.SubtleCrypto = SubtleCrypto;
exports.CryptoKey = CryptoKey;
exports.secretOf = secretOf;
