'use strict';
// node:crypto over the kernel's crypto ops (kernel::crypto): hashes and
// HMAC, PBKDF2, scrypt, timingSafeEqual, random values from the kernel's
// getrandom, KeyObject for secret keys, and `webcrypto` (webcrypto.js).
// Everything else of Node's API exists and throws ERR_SANDBOX_UNSUPPORTED.
//
// A hash fed once is digested in one op (`crypto_digest`): the first chunk
// waits here (a string, or a copy of a small buffer) until digest() or a
// second update(), which moves the hash into a kernel context.

const {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  Error,
  ErrorCaptureStackTrace,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  MathAbs,
  MathMin,
  NumberIsInteger,
  NumberIsNaN,
  NumberMAX_SAFE_INTEGER,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  RangeError,
  SafeArraySlice,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  Symbol,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8Array,
  WeakSet,
  WeakSetPrototypeAdd,
  WeakSetPrototypeHas,
} = require('primordials');
const errors = require('errors');
const { check, opError, callAsyncCallback } = require('ops');
const { nextTick } = require('timers');

const FAILED = native.failed;

// ---- bytes ----

let bufferModule;
function buffers() {
  if (bufferModule === undefined) bufferModule = require('buffer');
  return bufferModule;
}

function isTypedArray(v) {
  return TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined;
}

function isAnyArrayBuffer(v) {
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

// The bytes of a view or an ArrayBuffer: its buffer, offset and length.
function bufferOf(v) {
  if (isTypedArray(v)) return TypedArrayPrototypeGetBuffer(v);
  if (ArrayBufferIsView(v)) return DataViewPrototypeGetBuffer(v);
  return v;
}
function offsetOf(v) {
  if (isTypedArray(v)) return TypedArrayPrototypeGetByteOffset(v);
  if (ArrayBufferIsView(v)) return DataViewPrototypeGetByteOffset(v);
  return 0;
}
function byteLengthOf(v) {
  if (isTypedArray(v)) return TypedArrayPrototypeGetByteLength(v);
  if (ArrayBufferIsView(v)) return DataViewPrototypeGetByteLength(v);
  return ArrayBufferPrototypeGetByteLength(v);
}

function bytesOf(v) {
  return new Uint8Array(bufferOf(v), offsetOf(v), byteLengthOf(v));
}

// A private copy (a view the guest may change later, or a key kept here).
function copyOf(v) {
  const n = byteLengthOf(v);
  const out = new Uint8Array(n);
  if (n > 0) TypedArrayPrototypeSet(out, bytesOf(v), 0);
  return out;
}

// A Uint8Array from an op as a Buffer over the same memory.
function asBuffer(u8) {
  const { FastBuffer } = buffers();
  return new FastBuffer(TypedArrayPrototypeGetBuffer(u8), TypedArrayPrototypeGetByteOffset(u8),
    TypedArrayPrototypeGetLength(u8));
}

// Two byte arguments of one op must not overlap (the kernel refuses it):
// `b` is copied when it shares `a`'s memory.
function apart(a, b) {
  if (typeof a === 'string' || typeof b === 'string' || bufferOf(a) !== bufferOf(b)) return b;
  return copyOf(b);
}

// ---- errors and validators ----

function invalidArgValue(name, value, reason, hideFrom) {
  const { inspect } = require('util');
  const kind = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  return errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
    `The ${kind} '${name}' ${reason}. Received ${inspect(value)}`, hideFrom);
}

const { validateString, validateInt32 } = errors;

function validateNumber(value, name, hideFrom) {
  if (typeof value !== 'number') throw errors.invalidArgType(name, 'number', value, hideFrom);
}

function validateUint32(value, name, hideFrom) {
  errors.validateInteger(value, name, 0, 4294967295, hideFrom);
}

function finalizedError(hideFrom) {
  return errors.makeNodeError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called', hideFrom);
}

// What Node raises from C++: a plain header, with a code.
function invalidDigest(name, hideFrom) {
  return errors.makePlainError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', `Invalid digest: ${name}`, hideFrom);
}

function unsupportedError(what, hideFrom) {
  const err = new Error(`${what} is not implemented in this sandbox yet`);
  errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  ErrorCaptureStackTrace(err, hideFrom);
  return err;
}

// ---- algorithms ----

// Names the kernel accepted, to their index (a cache: the kernel checks
// the index on every op).
const algIndexes = new Map();

function algIndex(name) {
  let i = MapPrototypeGet(algIndexes, name);
  if (i !== undefined) return i;
  i = check(native.crypto_hash_alg(name));
  if (i >= 0) MapPrototypeSet(algIndexes, name, i);
  return i;
}

// Node's list, less what the sandbox does not implement.
const hashNames = ObjectFreeze([
  'RSA-MD5', 'RSA-RIPEMD160', 'RSA-SHA1', 'RSA-SHA1-2', 'RSA-SHA224', 'RSA-SHA256', 'RSA-SHA3-224',
  'RSA-SHA3-256', 'RSA-SHA3-384', 'RSA-SHA3-512', 'RSA-SHA384', 'RSA-SHA512', 'RSA-SHA512/224',
  'RSA-SHA512/256', 'id-rsassa-pkcs1-v1_5-with-sha3-224', 'id-rsassa-pkcs1-v1_5-with-sha3-256',
  'id-rsassa-pkcs1-v1_5-with-sha3-384', 'id-rsassa-pkcs1-v1_5-with-sha3-512', 'md5', 'md5WithRSAEncryption',
  'ripemd', 'ripemd160', 'ripemd160WithRSA', 'rmd160', 'sha1', 'sha1WithRSAEncryption', 'sha224',
  'sha224WithRSAEncryption', 'sha256', 'sha256WithRSAEncryption', 'sha3-224', 'sha3-256', 'sha3-384',
  'sha3-512', 'sha384', 'sha384WithRSAEncryption', 'sha512', 'sha512-224', 'sha512-224WithRSAEncryption',
  'sha512-256', 'sha512-256WithRSAEncryption', 'sha512WithRSAEncryption', 'ssl3-md5', 'ssl3-sha1',
]);

function getHashes() {
  return SafeArraySlice(hashNames);
}

// ---- Hash and Hmac ----

// Largest chunk handed to one op: 16 Mi bytes, or UTF-16 units (at most
// 48 MiB of UTF-8), under the kernel's bound per op.
const CHUNK = 16 * 1024 * 1024;
// A first buffer up to this size is copied and waits for digest().
const PENDING_COPY_MAX = 4096;

// Where a hash is: `id` 0 until it has a kernel context; `pending` is the
// first chunk until then (a string, or bytes only this module holds).
class HashState {
  constructor(alg, key) {
    this.alg = alg;
    this.key = key;
    this.id = 0;
    this.pending = undefined;
    this.finalized = false;
    this.badLength = false;
  }
}
// Fields are own properties whatever a guest put on Object.prototype.
ObjectSetPrototypeOf(HashState.prototype, null);

const kState = Symbol('kState');

// update()'s data as an op takes it: a string (UTF-8) or bytes (a string
// in another encoding becomes a Buffer, perhaps in the pool the guest can
// reach: it is copied like the guest's own bytes if it has to wait).
function updateData(data, encoding, hideFrom) {
  if (typeof data === 'string') {
    const enc = buffers().normalizeEncoding(encoding);
    if (enc === 'hex' && data.length % 2 !== 0) {
      throw invalidArgValue('encoding', encoding, `is invalid for data of length ${data.length}`, hideFrom);
    }
    // Unknown encodings are utf8, as in Node.
    if (enc === undefined || enc === 'utf8') return data;
    return buffers().fromString(data, enc);
  }
  if (!ArrayBufferIsView(data)) {
    throw errors.invalidArgType('data', ['string', 'Buffer', 'TypedArray', 'DataView'], data, hideFrom);
  }
  return data;
}

function feedOp(id, data) {
  if (typeof data === 'string') {
    const n = data.length;
    if (n <= CHUNK) {
      check(native.crypto_hash_update(id, data));
      return;
    }
    for (let i = 0; i < n;) {
      let end = MathMin(i + CHUNK, n);
      // Never split a surrogate pair.
      const last = StringPrototypeCharCodeAt(data, end - 1);
      if (end < n && last >= 0xd800 && last <= 0xdbff) end--;
      check(native.crypto_hash_update(id, StringPrototypeSlice(data, i, end)));
      i = end;
    }
    return;
  }
  const n = byteLengthOf(data);
  if (n <= CHUNK) {
    check(native.crypto_hash_update(id, data));
    return;
  }
  const buf = bufferOf(data);
  const off = offsetOf(data);
  for (let i = 0; i < n; i += CHUNK) {
    check(native.crypto_hash_update(id, new Uint8Array(buf, off + i, MathMin(CHUNK, n - i))));
  }
}

function feed(state, data) {
  if (state.id === 0) {
    if (state.pending === undefined) {
      if (typeof data === 'string' ? data.length <= CHUNK : byteLengthOf(data) <= PENDING_COPY_MAX) {
        state.pending = typeof data === 'string' ? data : copyOf(data);
        return;
      }
    }
    state.id = check(native.crypto_hash_new(state.alg, state.key, state.pending));
    state.pending = undefined;
  }
  feedOp(state.id, data);
}

// digest()'s encoding as Node parses it: anything unknown is a Buffer.
function digestEncoding(outputEncoding) {
  if (!outputEncoding) return 'buffer';
  const enc = buffers().normalizeEncoding(`${outputEncoding}`);
  return enc === undefined ? 'buffer' : enc;
}

// The kernel's codes for the encodings it writes itself (kernel::crypto):
// any other is bytes.
const textCodes = { __proto__: null, hex: 1, base64: 2, base64url: 3 };
function codeOf(enc) {
  const code = textCodes[enc];
  return code === undefined ? 0 : code;
}

// An op's digest as the guest asked for it.
function shapeDigest(r, enc) {
  if (typeof r === 'string') return r;
  const buf = asBuffer(r);
  if (enc === 'buffer') return buf;
  return buffers().sliceString(enc, buf, 0, TypedArrayPrototypeGetLength(buf));
}

function finish(state, enc, hideFrom) {
  let r;
  if (state.id === 0) {
    const data = state.pending === undefined ? '' : state.pending;
    r = native.crypto_digest(state.alg, state.key, data, codeOf(enc));
  } else {
    r = native.crypto_hash_digest(state.id, codeOf(enc));
    state.id = 0;
  }
  state.finalized = true;
  state.pending = undefined;
  if (r === FAILED) throw opError(hideFrom);
  return shapeDigest(r, enc);
}

// `new Hash(state)` (from copy()) takes over a copied state.
function Hash(algorithm, options) {
  if (new.target === undefined) return new Hash(algorithm, options);
  let state;
  if (typeof algorithm === 'object' && algorithm !== null && ObjectGetPrototypeOf(algorithm) === HashState.prototype) {
    state = algorithm;
  } else {
    validateString(algorithm, 'algorithm', Hash);
  }
  const xofLen = typeof options === 'object' && options !== null ? options.outputLength : undefined;
  if (xofLen !== undefined) validateUint32(xofLen, 'options.outputLength', Hash);
  if (state === undefined) {
    const alg = algIndex(algorithm);
    if (alg < 0) throw new Error('Digest method not supported');
    state = new HashState(alg, undefined);
  }
  // These digests have one length: any other is OpenSSL's error at digest().
  if (xofLen !== undefined && xofLen !== digestLength(state.alg)) state.badLength = true;
  this[kState] = state;
  // As Node sets it (a defined property would cost more than the hash).
  this._options = options;
}

function digestLength(alg) {
  return TypedArrayPrototypeGetLength(check(native.crypto_digest(alg, undefined, '', 0)));
}

function notXof() {
  const err = new Error('error:030000B2:digital envelope routines::not XOF or invalid length');
  err.library = 'digital envelope routines';
  err.reason = 'not XOF or invalid length';
  errors.defineCode(err, 'ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH');
  return err;
}

function hashCopy(options) {
  const state = this[kState];
  if (state.finalized) throw finalizedError(hashCopy);
  const copy = new HashState(state.alg, state.key);
  // The pending chunk is never changed: both may hold it.
  copy.pending = state.pending;
  if (state.id !== 0) copy.id = check(native.crypto_hash_copy(state.id), hashCopy);
  return new Hash(copy, options);
}

function hashUpdate(data, encoding) {
  const state = this[kState];
  if (state.finalized) throw finalizedError(hashUpdate);
  feed(state, updateData(data, encoding, hashUpdate));
  return this;
}

function hashDigest(outputEncoding) {
  const state = this[kState];
  if (state.finalized) throw finalizedError(hashDigest);
  if (state.badLength) throw notXof();
  return finish(state, digestEncoding(outputEncoding), hashDigest);
}

// For stream.Transform (when Hash and Hmac become streams).
function transform(chunk, encoding, callback) {
  try {
    this.update(chunk, encoding);
  } catch (err) {
    callback(err);
    return;
  }
  callback();
}

function flush(callback) {
  this.push(this.digest());
  callback();
}

function method(proto, name, fn) {
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  ObjectDefineProperty(proto, name, {
    __proto__: null, value: fn, writable: true, enumerable: false, configurable: true,
  });
}

method(Hash.prototype, 'copy', hashCopy);
method(Hash.prototype, '_transform', transform);
method(Hash.prototype, '_flush', flush);
method(Hash.prototype, 'update', hashUpdate);
method(Hash.prototype, 'digest', hashDigest);

// A secret key as the ops take it: a string (UTF-8) or bytes only this
// module holds.
function prepareSecretKey(key, encoding, bufferOnly, hideFrom) {
  if (!bufferOnly) {
    if (isKeyObject(key)) {
      if (key[kKeyType] !== 'secret') {
        throw errors.makeNodeError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE',
          `Invalid key object type ${key[kKeyType]}, expected secret.`, hideFrom);
      }
      return key[kHandle].bytes;
    }
  }
  if (typeof key === 'string') {
    const enc = encoding === undefined || encoding === null ? 'utf8' : buffers().normalizeEncoding(encoding);
    if (enc === 'utf8') return key;
    // Unknown encodings fail as Buffer.from fails.
    return copyOf(buffers().fromString(key, encoding));
  }
  if (isAnyArrayBuffer(key) || ArrayBufferIsView(key)) return copyOf(key);
  if (!bufferOnly && key !== null && typeof key === 'object') {
    const cryptoKeyBytes = require('webcrypto').secretOf(key);
    if (cryptoKeyBytes !== undefined) return cryptoKeyBytes;
  }
  const types = bufferOnly ? ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'] :
    ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView', 'KeyObject', 'CryptoKey'];
  throw errors.invalidArgType('key', types, key, hideFrom);
}

function Hmac(hmac, key, options) {
  if (new.target === undefined) return new Hmac(hmac, key, options);
  validateString(hmac, 'hmac', Hmac);
  let encoding;
  if (options !== null && options !== undefined) {
    encoding = options.encoding;
    if (encoding !== null && encoding !== undefined) validateString(encoding, 'options.encoding', Hmac);
  }
  const bytes = prepareSecretKey(key, encoding, false, Hmac);
  const alg = algIndex(hmac);
  if (alg < 0) throw invalidDigest(hmac, Hmac);
  this[kState] = new HashState(alg, bytes);
  this._options = options;
}

function hmacDigest(outputEncoding) {
  const state = this[kState];
  outputEncoding = outputEncoding || 'buffer';
  // As Node: a second digest() is empty.
  if (state.finalized) return outputEncoding === 'buffer' ? new (buffers().FastBuffer)() : '';
  return finish(state, digestEncoding(outputEncoding), hmacDigest);
}

method(Hmac.prototype, 'update', hashUpdate);
method(Hmac.prototype, 'digest', hmacDigest);
method(Hmac.prototype, '_flush', flush);
method(Hmac.prototype, '_transform', transform);

function createHash(algorithm, options) {
  return new Hash(algorithm, options);
}

function createHmac(hmac, key, options) {
  return new Hmac(hmac, key, options);
}

// crypto.hash(): one op.
function hash(algorithm, input, outputEncoding = 'hex') {
  validateString(algorithm, 'algorithm', hash);
  if (typeof input !== 'string' && !ArrayBufferIsView(input)) {
    throw errors.invalidArgType('input', ['Buffer', 'TypedArray', 'DataView', 'string'], input, hash);
  }
  let enc = outputEncoding;
  if (outputEncoding !== 'buffer') {
    validateString(outputEncoding, 'outputEncoding', hash);
    enc = buffers().normalizeEncoding(outputEncoding);
    if (enc === undefined) throw invalidArgValue('outputEncoding', outputEncoding, 'is invalid', hash);
  }
  const alg = algIndex(algorithm);
  if (alg < 0) throw new Error(`Digest method ${algorithm} is not supported`);
  if (typeof input === 'string' ? input.length > CHUNK : byteLengthOf(input) > CHUNK) {
    const state = new HashState(alg, undefined);
    feed(state, input);
    return finish(state, enc, hash);
  }
  return shapeDigest(check(native.crypto_digest(alg, undefined, input, codeOf(enc)), hash), enc);
}

// ---- random ----

const kMaxPossibleLength = 2147483647;
// What one random_fill op fills at most (the kernel's bound).
const RANDOM_CHUNK = 65536;

function fillRandom(buf, offset, size) {
  for (let i = 0; i < size; i += RANDOM_CHUNK) {
    check(native.random_fill(new Uint8Array(buf, offset + i, MathMin(RANDOM_CHUNK, size - i))));
  }
}

// The same, the last part settling `cb(err)` from the poll phase.
function fillRandomAsync(buf, offset, size, caller, cb) {
  const last = size > RANDOM_CHUNK ? size - RANDOM_CHUNK : 0;
  fillRandom(buf, offset, last);
  callAsyncCallback(native.random_fill_async, caller, [new Uint8Array(buf, offset + last, size - last)], cb);
}

function assertOffset(offset, elementSize, length, hideFrom) {
  validateNumber(offset, 'offset', hideFrom);
  offset *= elementSize;
  const maxLength = MathMin(length, kMaxPossibleLength);
  if (NumberIsNaN(offset) || offset > maxLength || offset < 0) {
    throw errors.outOfRange('offset', `>= 0 && <= ${maxLength}`, offset, hideFrom);
  }
  return offset >>> 0;
}

function assertSize(size, elementSize, offset, length, hideFrom) {
  validateNumber(size, 'size', hideFrom);
  size *= elementSize;
  if (NumberIsNaN(size) || size > kMaxPossibleLength || size < 0) {
    throw errors.outOfRange('size', `>= 0 && <= ${kMaxPossibleLength}`, size, hideFrom);
  }
  if (size + offset > length) throw errors.outOfRange('size + offset', `<= ${length}`, size + offset, hideFrom);
  return size >>> 0;
}

function validateFillTarget(buf, hideFrom) {
  if (!isAnyArrayBuffer(buf) && !ArrayBufferIsView(buf)) {
    throw errors.invalidArgType('buf', ['ArrayBuffer', 'ArrayBufferView'], buf, hideFrom);
  }
}

const elementSizes = {
  __proto__: null, Int8Array: 1, Uint8Array: 1, Uint8ClampedArray: 1, Int16Array: 2, Uint16Array: 2,
  Int32Array: 4, Uint32Array: 4, Float32Array: 4, Float64Array: 8, BigInt64Array: 8, BigUint64Array: 8,
};

// BYTES_PER_ELEMENT, read from the view's kind (not from the guest's object).
function elementSizeOf(buf) {
  const tag = TypedArrayPrototypeGetSymbolToStringTag(buf);
  return tag === undefined ? 1 : elementSizes[tag] || 1;
}

function randomBytes(size, callback) {
  size = assertSize(size, 1, 0, Infinity, randomBytes);
  if (callback !== undefined) errors.validateFunction(callback, 'callback', randomBytes);
  const { FastBuffer } = buffers();
  const buf = new FastBuffer(size);
  if (callback !== undefined && size === 0) {
    callback(null, buf);
    return;
  }
  if (callback === undefined) {
    fillRandom(TypedArrayPrototypeGetBuffer(buf), 0, size);
    return buf;
  }
  fillRandomAsync(TypedArrayPrototypeGetBuffer(buf), 0, size, randomBytes, (err) => {
    if (err) callback(err);
    else callback(null, buf);
  });
}

function randomFillSync(buf, offset = 0, size = undefined) {
  validateFillTarget(buf, randomFillSync);
  const length = byteLengthOf(buf);
  const elementSize = elementSizeOf(buf);
  offset = assertOffset(offset, elementSize, length, randomFillSync);
  if (size === undefined) size = length - offset;
  else size = assertSize(size, elementSize, offset, length, randomFillSync);
  if (size === 0) return buf;
  fillRandom(bufferOf(buf), offsetOf(buf) + offset, size);
  return buf;
}

function randomFill(buf, offset, size, callback) {
  validateFillTarget(buf, randomFill);
  const length = byteLengthOf(buf);
  const elementSize = elementSizeOf(buf);
  if (typeof offset === 'function') {
    callback = offset;
    offset = 0;
    size = length;
  } else if (typeof size === 'function') {
    callback = size;
    offset = assertOffset(offset, elementSize, length, randomFill);
    size = length - offset;
  } else {
    errors.validateFunction(callback, 'callback', randomFill);
    offset = assertOffset(offset, elementSize, length, randomFill);
    if (size === undefined) size = length - offset;
    else size = assertSize(size, elementSize, offset, length, randomFill);
  }
  if (size === 0) {
    callback(null, buf);
    return;
  }
  fillRandomAsync(bufferOf(buf), offsetOf(buf) + offset, size, randomFill, (err) => {
    if (err) callback(err);
    else callback(null, buf);
  });
}

// randomInt draws 48-bit values from this cache.
const RAND_MAX = 0xFFFF_FFFF_FFFF;
const INT_CACHE_BYTES = 6 * 1024;
let intCache;
let intCachePos = INT_CACHE_BYTES;

function randomUint48() {
  if (intCachePos === INT_CACHE_BYTES) {
    if (intCache === undefined) intCache = new Uint8Array(INT_CACHE_BYTES);
    check(native.random_fill(intCache));
    intCachePos = 0;
  }
  const c = intCache;
  const p = intCachePos;
  intCachePos += 6;
  return c[p] * 0x10000000000 + c[p + 1] * 0x100000000 + c[p + 2] * 0x1000000 + c[p + 3] * 0x10000 +
    c[p + 4] * 0x100 + c[p + 5];
}

function isSafeInteger(n) {
  return typeof n === 'number' && NumberIsInteger(n) && MathAbs(n) <= NumberMAX_SAFE_INTEGER;
}

function randomInt(min, max, callback) {
  const minNotSpecified = max === undefined || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = callback === undefined;
  if (!isSync) errors.validateFunction(callback, 'callback', randomInt);
  if (!isSafeInteger(min)) throw errors.invalidArgType('min', 'a safe integer', min, randomInt);
  if (!isSafeInteger(max)) throw errors.invalidArgType('max', 'a safe integer', max, randomInt);
  if (max <= min) {
    throw errors.outOfRange('max', `greater than the value of "min" (${min})`, max, randomInt);
  }
  const range = max - min;
  if (!(range <= RAND_MAX)) {
    throw errors.outOfRange(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, range, randomInt);
  }
  // Rejection sampling: only values below a multiple of `range` are used.
  const limit = RAND_MAX - (RAND_MAX % range);
  let x = randomUint48();
  while (x >= limit) x = randomUint48();
  const n = (x % range) + min;
  if (isSync) return n;
  nextTick(callback, undefined, n);
}

function randomUUID(options) {
  if (options !== undefined) errors.validateObject(options, 'options', randomUUID);
  const disable = options === undefined ? undefined : options.disableEntropyCache;
  if (disable !== undefined && typeof disable !== 'boolean') {
    throw errors.invalidArgType('options.disableEntropyCache', 'boolean', disable, randomUUID);
  }
  return require('web').randomUUID();
}

function getRandomValues(array) {
  return require('web').getRandomValues(array);
}

// ---- timingSafeEqual ----

function timingSafeEqual(buf1, buf2) {
  if (!isAnyArrayBuffer(buf1) && !ArrayBufferIsView(buf1)) throw bufferArgType('buf1', timingSafeEqual);
  if (!isAnyArrayBuffer(buf2) && !ArrayBufferIsView(buf2)) throw bufferArgType('buf2', timingSafeEqual);
  if (byteLengthOf(buf1) !== byteLengthOf(buf2)) {
    throw errors.makePlainError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH',
      'Input buffers must have the same byte length', timingSafeEqual);
  }
  return check(native.crypto_timing_safe_equal(buf1, apart(buf1, buf2)), timingSafeEqual);
}

// A C++ function in Node: no declared parameters.
ObjectDefineProperty(timingSafeEqual, 'length', { __proto__: null, value: 0 });

function bufferArgType(name, hideFrom) {
  return errors.makePlainError(TypeError, 'ERR_INVALID_ARG_TYPE',
    `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`, hideFrom);
}

// ---- PBKDF2 and scrypt ----

// A password or salt as an op takes it: a string (UTF-8) or the bytes.
function keyMaterial(value, name, hideFrom) {
  if (typeof value === 'string' || isAnyArrayBuffer(value) || ArrayBufferIsView(value)) return value;
  throw errors.invalidArgType(name, ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], value, hideFrom);
}

function pbkdf2Args(password, salt, iterations, keylen, digest, hideFrom) {
  validateString(digest, 'digest', hideFrom);
  password = keyMaterial(password, 'password', hideFrom);
  salt = keyMaterial(salt, 'salt', hideFrom);
  validateInt32(iterations, 'iterations', 1, hideFrom);
  validateInt32(keylen, 'keylen', 0, hideFrom);
  return { __proto__: null, password, salt: apart(password, salt), iterations, keylen, digest };
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  const a = pbkdf2Args(password, salt, iterations, keylen, digest, pbkdf2Sync);
  const alg = algIndex(a.digest);
  if (alg < 0) throw invalidDigest(a.digest, pbkdf2Sync);
  const out = new (buffers().FastBuffer)(a.keylen);
  check(native.crypto_pbkdf2(alg, a.password, a.salt, a.iterations, out), pbkdf2Sync);
  return out;
}

function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') {
    callback = digest;
    digest = undefined;
  }
  const a = pbkdf2Args(password, salt, iterations, keylen, digest, pbkdf2);
  errors.validateFunction(callback, 'callback', pbkdf2);
  const alg = algIndex(a.digest);
  if (alg < 0) throw invalidDigest(a.digest, pbkdf2);
  const out = new (buffers().FastBuffer)(a.keylen);
  callAsyncCallback(native.crypto_pbkdf2_async, pbkdf2, [alg, a.password, a.salt, a.iterations, out], (err) => {
    if (err) callback(err);
    else callback(null, out);
  });
}

const scryptDefaults = { __proto__: null, N: 16384, r: 8, p: 1, maxmem: 32 << 20 };

function scryptArgs(password, salt, keylen, options, hideFrom) {
  password = keyMaterial(password, 'password', hideFrom);
  salt = keyMaterial(salt, 'salt', hideFrom);
  validateInt32(keylen, 'keylen', 0, hideFrom);
  let { N, r, p, maxmem } = scryptDefaults;
  if (options && options !== scryptDefaults) {
    const hasN = options.N !== undefined;
    if (hasN) {
      N = options.N;
      validateUint32(N, 'N', hideFrom);
    }
    if (options.cost !== undefined) {
      if (hasN) throw invalidScryptParameter(hideFrom);
      N = options.cost;
      validateUint32(N, 'cost', hideFrom);
    }
    const hasR = options.r !== undefined;
    if (hasR) {
      r = options.r;
      validateUint32(r, 'r', hideFrom);
    }
    if (options.blockSize !== undefined) {
      if (hasR) throw invalidScryptParameter(hideFrom);
      r = options.blockSize;
      validateUint32(r, 'blockSize', hideFrom);
    }
    const hasP = options.p !== undefined;
    if (hasP) {
      p = options.p;
      validateUint32(p, 'p', hideFrom);
    }
    if (options.parallelization !== undefined) {
      if (hasP) throw invalidScryptParameter(hideFrom);
      p = options.parallelization;
      validateUint32(p, 'parallelization', hideFrom);
    }
    if (options.maxmem !== undefined) {
      maxmem = options.maxmem;
      errors.validateInteger(maxmem, 'maxmem', 0, NumberMAX_SAFE_INTEGER, hideFrom);
    }
    if (N === 0) N = scryptDefaults.N;
    if (r === 0) r = scryptDefaults.r;
    if (p === 0) p = scryptDefaults.p;
    if (maxmem === 0) maxmem = scryptDefaults.maxmem;
  }
  return { __proto__: null, password, salt: apart(password, salt), keylen, N, r, p, maxmem };
}

function invalidScryptParameter(hideFrom) {
  return errors.makeNodeError(Error, 'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', 'Invalid scrypt parameter', hideFrom);
}

// Node checks scrypt's parameters in C++: a plain header.
function scryptError(hideFrom) {
  const err = opError(hideFrom);
  if (err.code !== 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS') return err;
  return errors.makePlainError(RangeError, err.code, err.message, hideFrom);
}

function scryptSync(password, salt, keylen, options = scryptDefaults) {
  const a = scryptArgs(password, salt, keylen, options, scryptSync);
  const out = new (buffers().FastBuffer)(a.keylen);
  const r = native.crypto_scrypt(a.password, a.salt, a.N, a.r, a.p, a.maxmem, out);
  if (r === FAILED) throw scryptError(scryptSync);
  return out;
}

function scrypt(password, salt, keylen, options, callback = scryptDefaults) {
  if (callback === scryptDefaults) {
    callback = options;
    options = scryptDefaults;
  }
  const a = scryptArgs(password, salt, keylen, options, scrypt);
  errors.validateFunction(callback, 'callback', scrypt);
  const out = new (buffers().FastBuffer)(a.keylen);
  try {
    callAsyncCallback(native.crypto_scrypt_async, scrypt, [a.password, a.salt, a.N, a.r, a.p, a.maxmem, out],
      (err) => {
        if (err) callback(err);
        else callback(null, out);
      });
  } catch (err) {
    if (err.code === 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS') {
      throw errors.makePlainError(RangeError, err.code, err.message, scrypt);
    }
    throw err;
  }
}

// ---- KeyObject ----

const kKeyType = Symbol('kKeyType');
const kHandle = Symbol('kHandle');

// The key material behind a KeyObject.
class KeyHandle {
  constructor(bytes) {
    this.bytes = bytes;
  }
}
ObjectSetPrototypeOf(KeyHandle.prototype, null);

// Every KeyObject made (a guest cannot fake one: no getter or trap is read).
const keyObjects = new WeakSet();

function isKeyObject(v) {
  return v !== null && typeof v === 'object' && WeakSetPrototypeHas(keyObjects, v);
}

class KeyObject {
  constructor(type, handle) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') {
      throw invalidArgValue('type', type, 'is invalid', KeyObject);
    }
    if (typeof handle !== 'object' || handle === null || ObjectGetPrototypeOf(handle) !== KeyHandle.prototype) {
      throw errors.invalidArgType('handle', 'object', handle, KeyObject);
    }
    ObjectDefineProperty(this, kKeyType, {
      __proto__: null, value: type, writable: true, enumerable: true, configurable: true,
    });
    ObjectDefineProperty(this, kHandle, {
      __proto__: null, value: handle, writable: false, enumerable: false, configurable: false,
    });
    WeakSetPrototypeAdd(keyObjects, this);
  }

  get type() {
    return this[kKeyType];
  }

  static from(key) {
    const bytes = require('webcrypto').secretOf(key);
    if (bytes === undefined) throw errors.invalidArgType('key', 'CryptoKey', key, KeyObject.from);
    return new SecretKeyObject(new KeyHandle(bytes));
  }

  equals(otherKeyObject) {
    if (!isKeyObject(otherKeyObject)) {
      throw errors.invalidArgType('otherKeyObject', 'KeyObject', otherKeyObject, this.equals);
    }
    if (otherKeyObject.type !== this.type) return false;
    const a = this[kHandle].bytes;
    const b = otherKeyObject[kHandle].bytes;
    return byteLengthOf(a) === byteLengthOf(b) && check(native.crypto_timing_safe_equal(a, apart(a, b)));
  }
}
ObjectDefineProperty(KeyObject.prototype, SymbolToStringTag, {
  __proto__: null, value: 'KeyObject', configurable: true,
});

class SecretKeyObject extends KeyObject {
  constructor(handle) {
    super('secret', handle);
  }

  get symmetricKeySize() {
    return byteLengthOf(this[kHandle].bytes);
  }

  export(options) {
    const bytes = this[kHandle].bytes;
    if (options !== undefined) {
      errors.validateObject(options, 'options', this.export);
      const format = options.format;
      if (format !== undefined && format !== 'buffer' && format !== 'jwk') {
        throw invalidArgValue('options.format', format, "must be one of: undefined, 'buffer', 'jwk'", this.export);
      }
      if (format === 'jwk') {
        return { kty: 'oct', k: buffers().sliceString('base64url', bytes, 0, byteLengthOf(bytes)) };
      }
    }
    return asBuffer(copyOf(bytes));
  }
}

function createSecretKey(key, encoding) {
  const bytes = prepareSecretKey(key, encoding, true, createSecretKey);
  return new SecretKeyObject(new KeyHandle(typeof bytes === 'string' ? copyOf(buffers().fromString(bytes)) : bytes));
}

// generateKey('hmac' | 'aes'): secret keys of random bytes.
function secretKeyLength(type, options, hideFrom) {
  validateString(type, 'type', hideFrom);
  errors.validateObject(options, 'options', hideFrom);
  const { length } = options;
  if (type === 'hmac') {
    errors.validateInteger(length, 'options.length', 8, 2147483647, hideFrom);
  } else if (type === 'aes') {
    if (length !== 128 && length !== 192 && length !== 256) {
      throw invalidArgValue('options.length', length, 'must be one of: 128, 192, 256', hideFrom);
    }
  } else {
    throw invalidArgValue('type', type, "must be a supported key type", hideFrom);
  }
  return length >>> 3;
}

function generateKeySync(type, options) {
  const n = secretKeyLength(type, options, generateKeySync);
  const bytes = new Uint8Array(n);
  fillRandom(TypedArrayPrototypeGetBuffer(bytes), 0, n);
  return new SecretKeyObject(new KeyHandle(bytes));
}

function generateKey(type, options, callback) {
  const n = secretKeyLength(type, options, generateKey);
  errors.validateFunction(callback, 'callback', generateKey);
  const bytes = new Uint8Array(n);
  fillRandomAsync(TypedArrayPrototypeGetBuffer(bytes), 0, n, generateKey, (err) => {
    if (err) callback(err);
    else callback(null, new SecretKeyObject(new KeyHandle(bytes)));
  });
}

// ---- what the sandbox does not implement ----

function unsupported(name) {
  const fn = function () {
    throw unsupportedError(`crypto.${name}`, fn);
  };
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

function setFips(bool) {
  if (bool) throw unsupportedError('crypto.setFips(true)', setFips);
}

function getFips() {
  return 0;
}

function secureHeapUsed() {
  return { total: 0, used: 0, utilization: 0, min: 0 };
}

const defaultCipherList = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:' +
  'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:' +
  'ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:' +
  'ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:' +
  '!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA';

const constants = ObjectFreeze({
  __proto__: null,
  OPENSSL_VERSION_NUMBER: 805306672,
  SSL_OP_ALL: 2147485776,
  SSL_OP_ALLOW_NO_DHE_KEX: 1024,
  SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION: 262144,
  SSL_OP_CIPHER_SERVER_PREFERENCE: 4194304,
  SSL_OP_CISCO_ANYCONNECT: 32768,
  SSL_OP_COOKIE_EXCHANGE: 8192,
  SSL_OP_CRYPTOPRO_TLSEXT_BUG: 2147483648,
  SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS: 2048,
  SSL_OP_LEGACY_SERVER_CONNECT: 4,
  SSL_OP_NO_COMPRESSION: 131072,
  SSL_OP_NO_ENCRYPT_THEN_MAC: 524288,
  SSL_OP_NO_QUERY_MTU: 4096,
  SSL_OP_NO_RENEGOTIATION: 1073741824,
  SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION: 65536,
  SSL_OP_NO_SSLv2: 0,
  SSL_OP_NO_SSLv3: 33554432,
  SSL_OP_NO_TICKET: 16384,
  SSL_OP_NO_TLSv1: 67108864,
  SSL_OP_NO_TLSv1_1: 268435456,
  SSL_OP_NO_TLSv1_2: 134217728,
  SSL_OP_NO_TLSv1_3: 536870912,
  SSL_OP_PRIORITIZE_CHACHA: 2097152,
  SSL_OP_TLS_ROLLBACK_BUG: 8388608,
  ENGINE_METHOD_RSA: 1,
  ENGINE_METHOD_DSA: 2,
  ENGINE_METHOD_DH: 4,
  ENGINE_METHOD_RAND: 8,
  ENGINE_METHOD_EC: 2048,
  ENGINE_METHOD_CIPHERS: 64,
  ENGINE_METHOD_DIGESTS: 128,
  ENGINE_METHOD_PKEY_METHS: 512,
  ENGINE_METHOD_PKEY_ASN1_METHS: 1024,
  ENGINE_METHOD_ALL: 65535,
  ENGINE_METHOD_NONE: 0,
  DH_CHECK_P_NOT_SAFE_PRIME: 2,
  DH_CHECK_P_NOT_PRIME: 1,
  DH_UNABLE_TO_CHECK_GENERATOR: 4,
  DH_NOT_SUITABLE_GENERATOR: 8,
  RSA_PKCS1_PADDING: 1,
  RSA_NO_PADDING: 3,
  RSA_PKCS1_OAEP_PADDING: 4,
  RSA_X931_PADDING: 5,
  RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1,
  RSA_PSS_SALTLEN_MAX_SIGN: -2,
  RSA_PSS_SALTLEN_AUTO: -2,
  defaultCoreCipherList: defaultCipherList,
  TLS1_VERSION: 769,
  TLS1_1_VERSION: 770,
  TLS1_2_VERSION: 771,
  TLS1_3_VERSION: 772,
  POINT_CONVERSION_COMPRESSED: 2,
  POINT_CONVERSION_UNCOMPRESSED: 4,
  POINT_CONVERSION_HYBRID: 6,
  defaultCipherList,
});

// ---- the module ----

let api;

// require('crypto'), in Node's key order.
function getApi() {
  if (api !== undefined) return api;
  api = {
    checkPrime: unsupported('checkPrime'),
    checkPrimeSync: unsupported('checkPrimeSync'),
    createCipheriv: unsupported('createCipheriv'),
    createDecipheriv: unsupported('createDecipheriv'),
    createDiffieHellman: unsupported('createDiffieHellman'),
    createDiffieHellmanGroup: unsupported('createDiffieHellmanGroup'),
    createECDH: unsupported('createECDH'),
    createHash,
    createHmac,
    createPrivateKey: unsupported('createPrivateKey'),
    createPublicKey: unsupported('createPublicKey'),
    createSecretKey,
    createSign: unsupported('createSign'),
    createVerify: unsupported('createVerify'),
    diffieHellman: unsupported('diffieHellman'),
    generatePrime: unsupported('generatePrime'),
    generatePrimeSync: unsupported('generatePrimeSync'),
    getCiphers() { return []; },
    getCipherInfo: unsupported('getCipherInfo'),
    getCurves() { return []; },
    getDiffieHellman: unsupported('getDiffieHellman'),
    getHashes,
    hkdf: unsupported('hkdf'),
    hkdfSync: unsupported('hkdfSync'),
    pbkdf2,
    pbkdf2Sync,
    generateKeyPair: unsupported('generateKeyPair'),
    generateKeyPairSync: unsupported('generateKeyPairSync'),
    generateKey,
    generateKeySync,
    privateDecrypt: unsupported('privateDecrypt'),
    privateEncrypt: unsupported('privateEncrypt'),
    publicDecrypt: unsupported('publicDecrypt'),
    publicEncrypt: unsupported('publicEncrypt'),
    randomBytes,
    randomFill,
    randomFillSync,
    randomInt,
    randomUUID,
    scrypt,
    scryptSync,
    sign: unsupported('sign'),
    setEngine: unsupported('setEngine'),
    timingSafeEqual,
    getFips,
    setFips,
    verify: unsupported('verify'),
    hash,
    Certificate: unsupported('Certificate'),
    Cipher: unsupported('Cipher'),
    Cipheriv: unsupported('Cipheriv'),
    Decipher: unsupported('Decipher'),
    Decipheriv: unsupported('Decipheriv'),
    DiffieHellman: unsupported('DiffieHellman'),
    DiffieHellmanGroup: unsupported('DiffieHellmanGroup'),
    ECDH: unsupported('ECDH'),
    Hash,
    Hmac,
    KeyObject,
    Sign: unsupported('Sign'),
    Verify: unsupported('Verify'),
    X509Certificate: unsupported('X509Certificate'),
    secureHeapUsed,
  };
  const web = require('web');
  ObjectDefineProperty(api, 'constants', {
    __proto__: null, value: constants, writable: false, enumerable: true, configurable: false,
  });
  ObjectDefineProperty(api, 'webcrypto', {
    __proto__: null, get() { return web.crypto; }, enumerable: true, configurable: false,
  });
  ObjectDefineProperty(api, 'subtle', {
    __proto__: null, get() { return require('webcrypto').subtle; }, enumerable: true, configurable: false,
  });
  ObjectDefineProperty(api, 'getRandomValues', {
    __proto__: null, value: getRandomValues, writable: true, enumerable: true, configurable: true,
  });
  // Deprecated aliases, not enumerable (as in Node).
  const alias = { __proto__: null, value: randomBytes, writable: true, enumerable: false, configurable: true };
  ObjectDefineProperty(api, 'pseudoRandomBytes', alias);
  ObjectDefineProperty(api, 'prng', alias);
  ObjectDefineProperty(api, 'rng', alias);
  return api;
}

exports.getApi = getApi;
exports.KeyObject = KeyObject;
exports.isKeyObject = isKeyObject;
exports.SecretKeyObject = SecretKeyObject;
exports.KeyHandle = KeyHandle;
exports.algIndex = algIndex;
exports.bytesOf = bytesOf;
exports.byteLengthOf = byteLengthOf;
exports.copyOf = copyOf;
exports.isAnyArrayBuffer = isAnyArrayBuffer;
exports.fillRandom = fillRandom;
exports.apart = apart;
