'use strict';
// node:buffer. A Buffer is a Uint8Array whose prototype is Buffer.prototype
// (made by the FastBuffer subclass, as Node does). UTF-8 goes through the
// text ops; the other encodings are plain loops over code units, with
// Node's lenient rules (hex stops at the first bad pair, base64 skips what
// is not in its alphabet and stops at '=', one-byte encodings keep the low
// byte of each code unit). Small buffers share a pool, as on Node.

const {
  ArrayBuffer,
  ArrayBufferPrototypeGetByteLength,
  ArrayIsArray,
  BigInt,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  Error,
  Float32Array,
  Float64Array,
  FunctionPrototypeCall,
  Int8Array,
  MathFloor,
  MathMin,
  MathTrunc,
  Number,
  NumberIsInteger,
  NumberIsNaN,
  NumberPrototypeToString,
  ObjectDefineProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectSetPrototypeOf,
  OriginalObjectPrototypeValueOf,
  RangeError,
  ReflectApply,
  ReflectOwnKeys,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeIsWellFormed,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  Symbol,
  SymbolFor,
  SymbolSpecies,
  SymbolToPrimitive,
  TypeError,
  TypedArrayPrototypeFill,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const { invalidArgType, makeNodeError, makePlainError, outOfRange } = errors;

const customInspect = SymbolFor('nodejs.util.inspect.custom');
const kMaxLength = 2 ** 32;
const kStringMaxLength = 2 ** 29 - 24;
let INSPECT_MAX_BYTES = 50;

function check(r) {
  return require('ops').check(r);
}

// ---- errors and validators (Node's messages) ----

function bufferOutOfBounds(name, hideFrom) {
  const msg = name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds';
  return makeNodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', msg, hideFrom);
}

function unknownEncoding(encoding, hideFrom) {
  return makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`, hideFrom);
}

function invalidArgValue(name, value, hideFrom) {
  let inspected = require('util').inspect(value);
  if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
  return makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument '${name}' is invalid. Received ${inspected}`,
    hideFrom);
}

// Errors Node raises from C++: no code in the stack header.
function indexOutOfRange() {
  return makePlainError(RangeError, 'ERR_OUT_OF_RANGE', 'Index out of range');
}

function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if ((min !== undefined && value < min) || (max !== undefined && value > max) ||
      ((min !== undefined || max !== undefined) && NumberIsNaN(value))) {
    const range = `${min !== undefined ? `>= ${min}` : ''}${min !== undefined && max !== undefined ? ' && ' : ''}` +
      `${max !== undefined ? `<= ${max}` : ''}`;
    throw outOfRange(name, range, value);
  }
}

function validateOffset(value, name, min = 0, max = kMaxLength) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  if (!NumberIsInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

function isUint8Array(v) {
  return TypedArrayPrototypeGetSymbolToStringTag(v) === 'Uint8Array';
}

function isAnyArrayBuffer(v) {
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

const lengthOf = TypedArrayPrototypeGetLength;

// ---- encodings ----

const encodingNames = {
  __proto__: null,
  'utf8': 'utf8', 'utf-8': 'utf8', 'ucs2': 'utf16le', 'ucs-2': 'utf16le', 'utf16le': 'utf16le',
  'utf-16le': 'utf16le', 'latin1': 'latin1', 'binary': 'latin1', 'base64': 'base64', 'base64url': 'base64url',
  'hex': 'hex', 'ascii': 'ascii',
};

// Node's normalizeEncoding: null, undefined and '' mean utf8.
function normalizeEncoding(enc) {
  if (enc == null || enc === 'utf8' || enc === 'utf-8' || enc === '') return 'utf8';
  if (typeof enc !== 'string') return undefined;
  return encodingNames[StringPrototypeToLowerCase(enc)];
}

// Node's getEncodingOps: the name as a string, '' is unknown.
function encodingOf(enc) {
  enc += '';
  return encodingNames[StringPrototypeToLowerCase(enc)];
}

function utf8Length(str) {
  const n = str.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = StringPrototypeCharCodeAt(str, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 2;
        i++;
      } else {
        bytes += 2;
      }
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

function base64ByteLength(str, bytes) {
  if (StringPrototypeCharCodeAt(str, bytes - 1) === 0x3d) bytes--;
  if (bytes > 1 && StringPrototypeCharCodeAt(str, bytes - 1) === 0x3d) bytes--;
  return (bytes * 3) >>> 2;
}

function byteLengthOf(enc, str) {
  switch (enc) {
    case 'utf8': return utf8Length(str);
    case 'utf16le': return str.length * 2;
    case 'latin1': case 'ascii': return str.length;
    case 'hex': return str.length >>> 1;
    default: return base64ByteLength(str, str.length);
  }
}

// Both alphabets decode, whatever the encoding's name (as on Node).
const base64Values = new Int8Array(256);
const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
TypedArrayPrototypeFill(base64Values, -1);
for (let i = 0; i < 64; i++) {
  base64Values[StringPrototypeCharCodeAt(b64, i)] = i;
  base64Values[StringPrototypeCharCodeAt(b64url, i)] = i;
}
const hexValues = new Int8Array(256);
TypedArrayPrototypeFill(hexValues, -1);
for (let i = 0; i < 16; i++) {
  const lower = StringPrototypeCharCodeAt('0123456789abcdef', i);
  hexValues[lower] = i;
  if (i > 9) hexValues[lower - 32] = i;
}
const hexCodes = [];
for (let i = 0; i < 16; i++) hexCodes[i] = StringPrototypeCharCodeAt('0123456789abcdef', i);
const hexPairs = [];
for (let i = 0; i < 256; i++) hexPairs[i] = (i < 16 ? '0' : '') + NumberPrototypeToString(i, 16);

// Hex and base64 of more than a few hundred bytes go to the host
// (text_encode/text_decode), up to its per-call bound (MAX_TEXT_OP_BYTES,
// 16 MiB: a string of 4 Mi code units is at most 12 MiB of UTF-8).
const OP_MIN = 256;
const OP_MAX_BYTES = 16 << 20;
const OP_MAX_UNITS = 4 << 20;

// `str` encoded into `buf` from `offset`, at most `max` bytes; whole
// characters only. Returns the bytes written.
function writeString(enc, buf, str, offset, max) {
  switch (enc) {
    case 'utf8': return utf8Write(buf, str, offset, max);
    case 'utf16le': {
      const n = MathMin(str.length, max >>> 1);
      for (let i = 0; i < n; i++) {
        const c = StringPrototypeCharCodeAt(str, i);
        buf[offset + i * 2] = c;
        buf[offset + i * 2 + 1] = c >>> 8;
      }
      return n * 2;
    }
    case 'latin1': case 'ascii': {
      const n = MathMin(str.length, max);
      for (let i = 0; i < n; i++) buf[offset + i] = StringPrototypeCharCodeAt(str, i);
      return n;
    }
    case 'hex': {
      if (useEncodeOp(str)) return writeFromOp(buf, native.text_encode(str, 'hex'), offset, max);
      const n = MathMin(str.length >>> 1, max);
      for (let i = 0; i < n; i++) {
        const hi = hexValues[StringPrototypeCharCodeAt(str, i * 2) & 0xff];
        const lo = hexValues[StringPrototypeCharCodeAt(str, i * 2 + 1) & 0xff];
        if (hi < 0 || lo < 0) return i;
        buf[offset + i] = hi * 16 + lo;
      }
      return n;
    }
    default:
      if (useEncodeOp(str)) return writeFromOp(buf, native.text_encode(str, 'base64'), offset, max);
      return base64Write(buf, str, offset, max);
  }
}

// The transport carries strings as UTF-8, lone surrogates replaced: only
// well-formed strings keep every code unit's low byte.
function useEncodeOp(str) {
  return str.length >= OP_MIN && str.length <= OP_MAX_UNITS && StringPrototypeIsWellFormed !== undefined &&
    StringPrototypeIsWellFormed(str);
}

function writeFromOp(buf, result, offset, max) {
  const bytes = check(result);
  const n = MathMin(lengthOf(bytes), max);
  if (n > 0) TypedArrayPrototypeSet(buf, n === lengthOf(bytes) ? bytes : view(bytes, 0, n), offset);
  return n;
}

function base64Write(buf, str, offset, max) {
  let written = 0;
  let acc = 0;
  let have = 0;
  const n = str.length;
  for (let i = 0; i < n && written < max; i++) {
    const c = StringPrototypeCharCodeAt(str, i) & 0xff;
    const v = base64Values[c];
    if (v < 0) {
      if (c === 0x3d) break;
      continue;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    have++;
    if (have > 1) {
      // Each character after the first of a group completes one byte.
      buf[offset + written++] = acc >>> (2 * (4 - have)) & 0xff;
      if (have === 4) have = 0;
    }
  }
  return written;
}

function utf8Write(buf, str, offset, max) {
  if (max <= 0 || str.length === 0) return 0;
  // Every code unit takes at least one byte: a prefix of `max` units (not
  // splitting a surrogate pair) is all that can fit.
  if (str.length > max) {
    let end = max;
    const c = StringPrototypeCharCodeAt(str, end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end++;
    str = StringPrototypeSlice(str, 0, end);
  }
  const bytes = check(native.text_utf8_encode(str));
  let n = lengthOf(bytes);
  if (n > max) {
    n = max;
    while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
  }
  TypedArrayPrototypeSet(buf, n === lengthOf(bytes) ? bytes : new Uint8Array(TypedArrayPrototypeGetBuffer(bytes),
    TypedArrayPrototypeGetByteOffset(bytes), n), offset);
  return n;
}

// Bytes [start, end) of `buf` decoded as `enc`.
function sliceString(enc, buf, start, end) {
  if (end <= start) return '';
  switch (enc) {
    case 'utf8': return check(native.text_utf8_decode(view(buf, start, end), false));
    case 'latin1': return charCodes(buf, start, end, 0xff);
    case 'ascii': return charCodes(buf, start, end, 0x7f);
    case 'utf16le': {
      let out = '';
      const units = (end - start) >>> 1;
      for (let i = 0; i < units; i += 8192) {
        const n = MathMin(8192, units - i);
        const codes = [];
        for (let j = 0; j < n; j++) {
          const p = start + (i + j) * 2;
          codes[j] = buf[p] | (buf[p + 1] << 8);
        }
        out += ReflectApply(StringFromCharCode, null, codes);
      }
      return out;
    }
    case 'hex': {
      if (end - start >= OP_MIN && end - start <= OP_MAX_BYTES) {
        return check(native.text_decode(view(buf, start, end), 'hex'));
      }
      let out = '';
      for (let i = start; i < end; i += 4096) {
        const n = MathMin(4096, end - i);
        const codes = [];
        for (let j = 0; j < n; j++) {
          const b = buf[i + j];
          codes[j * 2] = hexCodes[b >>> 4];
          codes[j * 2 + 1] = hexCodes[b & 15];
        }
        out += ReflectApply(StringFromCharCode, null, codes);
      }
      return out;
    }
    default:
      if (end - start >= OP_MIN && end - start <= OP_MAX_BYTES) {
        return check(native.text_decode(view(buf, start, end), enc));
      }
      return enc === 'base64' ? base64Slice(buf, start, end, b64, true) : base64Slice(buf, start, end, b64url, false);
  }
}

function view(buf, start, end) {
  return new Uint8Array(TypedArrayPrototypeGetBuffer(buf), TypedArrayPrototypeGetByteOffset(buf) + start, end - start);
}

function charCodes(buf, start, end, mask) {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    const n = MathMin(8192, end - i);
    const codes = [];
    for (let j = 0; j < n; j++) codes[j] = buf[i + j] & mask;
    out += ReflectApply(StringFromCharCode, null, codes);
  }
  return out;
}

function base64Slice(buf, start, end, alphabet, pad) {
  const table = [];
  for (let i = 0; i < 64; i++) table[i] = StringPrototypeCharCodeAt(alphabet, i);
  let out = '';
  let codes = [];
  let i = start;
  for (; i + 2 < end; i += 3) {
    const n = (buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2];
    const k = codes.length;
    codes[k] = table[n >>> 18];
    codes[k + 1] = table[(n >>> 12) & 63];
    codes[k + 2] = table[(n >>> 6) & 63];
    codes[k + 3] = table[n & 63];
    if (k >= 8188) {
      out += ReflectApply(StringFromCharCode, null, codes);
      codes = [];
    }
  }
  const rest = end - i;
  if (rest > 0) {
    const n = (buf[i] << 16) | (rest === 2 ? buf[i + 1] << 8 : 0);
    const k = codes.length;
    codes[k] = table[n >>> 18];
    codes[k + 1] = table[(n >>> 12) & 63];
    if (rest === 2) codes[k + 2] = table[(n >>> 6) & 63];
    else if (pad) codes[k + 2] = 0x3d;
    if (pad) codes[codes.length] = 0x3d;
  }
  return out + ReflectApply(StringFromCharCode, null, codes);
}

// ---- FastBuffer, the pool, Buffer ----

class FastBuffer extends Uint8Array {
  // Explicit: a default derived constructor would spread its arguments.
  constructor(bufferOrLength, byteOffset, length) {
    super(bufferOrLength, byteOffset, length);
  }
}

let poolSize, poolOffset, allocPool;

function createPool() {
  poolSize = Buffer.poolSize;
  allocPool = new ArrayBuffer(poolSize);
  poolOffset = 0;
}

function alignPool() {
  if (poolOffset & 0x7) {
    poolOffset |= 0x7;
    poolOffset++;
  }
}

function allocate(size) {
  if (size <= 0) return new FastBuffer();
  if (size < (Buffer.poolSize >>> 1)) {
    if (allocPool === undefined || size > (poolSize - poolOffset)) createPool();
    const b = new FastBuffer(allocPool, poolOffset, size);
    poolOffset += size;
    alignPool();
    return b;
  }
  return new FastBuffer(size);
}

let deprecationShown = false;
function Buffer(arg, encodingOrOffset, length) {
  if (!deprecationShown) {
    deprecationShown = true;
    require('process').getProcess().emitWarning('Buffer() is deprecated due to security and usability issues. ' +
      'Please use the Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.',
    'DeprecationWarning', 'DEP0005');
  }
  if (typeof arg === 'number') {
    if (typeof encodingOrOffset === 'string') throw invalidArgType('string', 'string', arg);
    return alloc(arg);
  }
  return from(arg, encodingOrOffset, length);
}

const desc = { __proto__: null, value: undefined, writable: true, enumerable: true, configurable: true };
function define(obj, name, value, enumerable = true) {
  desc.value = value;
  desc.enumerable = enumerable;
  ObjectDefineProperty(obj, name, desc);
  desc.value = undefined;
}

ObjectDefineProperty(FastBuffer.prototype, 'constructor', {
  __proto__: null, value: Buffer, writable: true, enumerable: false, configurable: true,
});
ObjectDefineProperty(Buffer, 'prototype', { __proto__: null, value: FastBuffer.prototype });
ObjectSetPrototypeOf(Buffer, Uint8Array);
// A typed array method that makes a new array of the same kind (subarray,
// map, filter) makes a FastBuffer, as in Node, never calls Buffer().
ObjectDefineProperty(Buffer, SymbolSpecies, {
  __proto__: null, get() { return FastBuffer; }, enumerable: false, configurable: true,
});
const proto = FastBuffer.prototype;

function fromString(string, encoding) {
  let enc;
  if (typeof encoding !== 'string' || encoding.length === 0) {
    if (string.length === 0) return new FastBuffer();
    enc = 'utf8';
  } else {
    enc = encodingOf(encoding);
    if (enc === undefined) throw unknownEncoding(encoding);
    if (string.length === 0) return new FastBuffer();
  }
  const half = Buffer.poolSize >>> 1;
  if (enc === 'utf8') {
    // Short ASCII strings: no op call.
    if (string.length <= 64 && string.length < half) {
      const n = string.length;
      let ascii = true;
      for (let i = 0; i < n; i++) {
        if (StringPrototypeCharCodeAt(string, i) > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        const b = allocate(n);
        for (let i = 0; i < n; i++) b[i] = StringPrototypeCharCodeAt(string, i);
        return b;
      }
    }
    const bytes = check(native.text_utf8_encode(string));
    const n = lengthOf(bytes);
    if (n >= half) {
      return new FastBuffer(TypedArrayPrototypeGetBuffer(bytes), TypedArrayPrototypeGetByteOffset(bytes), n);
    }
    const b = allocate(n);
    TypedArrayPrototypeSet(b, bytes, 0);
    return b;
  }
  const length = byteLengthOf(enc, string);
  if (length >= half) {
    const b = new FastBuffer(length);
    const actual = writeString(enc, b, string, 0, length);
    return actual === length ? b : new FastBuffer(TypedArrayPrototypeGetBuffer(b), 0, actual);
  }
  if (allocPool === undefined || length > (poolSize - poolOffset)) createPool();
  const start = poolOffset;
  const b = new FastBuffer(allocPool, start, length);
  const actual = writeString(enc, b, string, 0, length);
  poolOffset += actual;
  alignPool();
  return actual === length ? b : new FastBuffer(allocPool, start, actual);
}

function toLength(n) {
  n = +n;
  if (!(n > 0)) return 0;
  return MathFloor(n);
}

function fromArrayLike(obj, length) {
  if (length <= 0) return new FastBuffer();
  if (length < (Buffer.poolSize >>> 1)) {
    if (allocPool === undefined || length > (poolSize - poolOffset)) createPool();
    const b = new FastBuffer(allocPool, poolOffset, length);
    TypedArrayPrototypeSet(b, obj, 0);
    poolOffset += length;
    alignPool();
    return b;
  }
  const b = new FastBuffer(toLength(length));
  TypedArrayPrototypeSet(b, obj, 0);
  return b;
}

function fromArrayBuffer(obj, byteOffset, length) {
  if (byteOffset === undefined) {
    byteOffset = 0;
  } else {
    byteOffset = +byteOffset;
    if (NumberIsNaN(byteOffset)) byteOffset = 0;
  }
  const maxLength = ArrayBufferPrototypeGetByteLength(obj) - byteOffset;
  if (maxLength < 0) throw bufferOutOfBounds('offset');
  if (length === undefined) {
    length = maxLength;
  } else {
    length = +length;
    if (length > 0) {
      if (length > maxLength) throw bufferOutOfBounds('length');
    } else {
      length = 0;
    }
  }
  return new FastBuffer(obj, byteOffset, length);
}

function fromObject(obj) {
  if (TypedArrayPrototypeGetSymbolToStringTag(obj) !== undefined) return fromArrayLike(obj, lengthOf(obj));
  if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
    const length = obj.length;
    if (typeof length !== 'number') return new FastBuffer();
    return fromArrayLike(obj, length);
  }
  if (obj.type === 'Buffer' && ArrayIsArray(obj.data)) return fromArrayLike(obj.data, obj.data.length);
  return undefined;
}

function from(value, encodingOrOffset, length) {
  if (typeof value === 'string') return fromString(value, encodingOrOffset);
  if (typeof value === 'object' && value !== null) {
    if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
    const valueOf = value.valueOf;
    // Object.prototype.valueOf returns the object itself: nothing to call.
    const prim = valueOf && valueOf !== OriginalObjectPrototypeValueOf ? value.valueOf() : value;
    if (prim != null && prim !== value && (typeof prim === 'string' || typeof prim === 'object')) {
      return from(prim, encodingOrOffset, length);
    }
    const b = fromObject(value);
    if (b !== undefined) return b;
    if (typeof value[SymbolToPrimitive] === 'function') {
      const primitive = value[SymbolToPrimitive]('string');
      if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
    }
  }
  throw invalidArgType('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value,
    from);
}

function copyBytesFrom(view, offset, length) {
  if (TypedArrayPrototypeGetSymbolToStringTag(view) === undefined) {
    throw invalidArgType('view', ['TypedArray'], view, copyBytesFrom);
  }
  const viewLength = lengthOf(view);
  if (viewLength === 0) return new FastBuffer();
  const size = TypedArrayPrototypeGetByteLength(view) / viewLength;
  let start = 0;
  let end = viewLength;
  if (offset !== undefined || length !== undefined) {
    if (offset !== undefined) {
      errors.validateInteger(offset, 'offset', 0, undefined, copyBytesFrom);
      if (offset >= viewLength) return new FastBuffer();
      start = offset;
    }
    if (length !== undefined) {
      errors.validateInteger(length, 'length', 0, undefined, copyBytesFrom);
      end = MathMin(start + length, viewLength);
    }
  }
  const bytes = new Uint8Array(TypedArrayPrototypeGetBuffer(view),
    TypedArrayPrototypeGetByteOffset(view) + start * size, (end - start) * size);
  return fromArrayLike(bytes, lengthOf(bytes));
}

function of(...items) {
  const b = new FastBuffer(items.length);
  for (let k = 0; k < items.length; k++) b[k] = items[k];
  return b;
}

function alloc(size, fill, encoding) {
  validateNumber(size, 'size', 0, kMaxLength);
  if (fill !== undefined && fill !== 0 && size > 0) {
    const b = new FastBuffer(size);
    return fillImpl(b, fill, 0, lengthOf(b), encoding, alloc);
  }
  return new FastBuffer(size);
}

function allocUnsafe(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return allocate(size);
}

function allocUnsafeSlow(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
}

function SlowBuffer(size) {
  validateNumber(size, 'size', 0, kMaxLength);
  return new FastBuffer(size);
}
ObjectSetPrototypeOf(SlowBuffer.prototype, Uint8Array.prototype);
ObjectSetPrototypeOf(SlowBuffer, Uint8Array);

function isBuffer(b) {
  return b instanceof Buffer;
}

// memcmp of a[aStart, aEnd) and b[bStart, bEnd), then the shorter first.
function compareRange(a, aStart, aEnd, b, bStart, bEnd) {
  const n = MathMin(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const x = a[aStart + i];
    const y = b[bStart + i];
    if (x !== y) return x < y ? -1 : 1;
  }
  const la = aEnd - aStart;
  const lb = bEnd - bStart;
  return la > lb ? 1 : la < lb ? -1 : 0;
}

function compare(buf1, buf2) {
  if (!isUint8Array(buf1)) throw invalidArgType('buf1', ['Buffer', 'Uint8Array'], buf1, compare);
  if (!isUint8Array(buf2)) throw invalidArgType('buf2', ['Buffer', 'Uint8Array'], buf2, compare);
  if (buf1 === buf2) return 0;
  return compareRange(buf1, 0, lengthOf(buf1), buf2, 0, lengthOf(buf2));
}

function isEncoding(encoding) {
  return typeof encoding === 'string' && encoding.length !== 0 && normalizeEncoding(encoding) !== undefined;
}

function concat(list, length) {
  if (!ArrayIsArray(list)) throw invalidArgType('list', 'Array', list, concat);
  if (list.length === 0) return new FastBuffer();
  if (length === undefined) {
    length = 0;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const n = isUint8Array(item) ? lengthOf(item) : item.length;
      if (n) length += n;
    }
  } else {
    validateOffset(length, 'length');
  }
  const buffer = allocate(length);
  const total = lengthOf(buffer);
  let pos = 0;
  for (let i = 0; i < list.length; i++) {
    const buf = list[i];
    if (!isUint8Array(buf)) throw invalidArgType(`list[${i}]`, ['Buffer', 'Uint8Array'], buf, concat);
    pos += copyActual(buf, buffer, pos, 0, lengthOf(buf), total);
  }
  if (pos < total) TypedArrayPrototypeFill(buffer, 0, pos, total);
  return buffer;
}

function byteLength(string, encoding) {
  if (typeof string !== 'string') {
    if (TypedArrayPrototypeGetSymbolToStringTag(string) !== undefined) return TypedArrayPrototypeGetByteLength(string);
    if (isAnyArrayBuffer(string)) return ArrayBufferPrototypeGetByteLength(string);
    if (require('util').types.isDataView(string)) return DataViewPrototypeGetByteLength(string);
    throw invalidArgType('string', ['string', 'Buffer', 'ArrayBuffer'], string, byteLength);
  }
  const len = string.length;
  const mustMatch = arguments.length > 2 && arguments[2] === true;
  if (!mustMatch && len === 0) return 0;
  if (!encoding) return mustMatch ? -1 : utf8Length(string);
  const enc = encodingOf(encoding);
  if (enc === undefined) return mustMatch ? -1 : utf8Length(string);
  return byteLengthOf(enc, string);
}

define(Buffer, 'poolSize', 8 * 1024);
define(Buffer, 'from', from);
define(Buffer, 'copyBytesFrom', copyBytesFrom);
define(Buffer, 'of', of);
define(Buffer, 'alloc', alloc);
define(Buffer, 'allocUnsafe', allocUnsafe);
define(Buffer, 'allocUnsafeSlow', allocUnsafeSlow);
define(Buffer, 'isBuffer', isBuffer);
define(Buffer, 'compare', compare);
define(Buffer, 'isEncoding', isEncoding);
define(Buffer, 'concat', concat);
define(Buffer, 'byteLength', byteLength);
define(Buffer, Symbol('kIsEncodingSymbol'), isEncoding);

// ---- reads and writes of numbers ----

function boundsError(value, length, type) {
  if (MathFloor(value) !== value) {
    validateNumber(value, type);
    throw outOfRange(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw bufferOutOfBounds();
  throw outOfRange(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

// offset checked as Node's readers do: a number, and `size` bytes there.
function checkRead(buf, offset, size) {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + size - 1] === undefined) boundsError(offset, lengthOf(buf) - size);
}

function readUnsigned(buf, offset, size, littleEndian) {
  checkRead(buf, offset, size);
  let val = 0;
  for (let i = 0; i < size; i++) {
    val = val * 256 + buf[littleEndian ? offset + size - 1 - i : offset + i];
  }
  return val;
}

function readSigned(buf, offset, size, littleEndian) {
  const val = readUnsigned(buf, offset, size, littleEndian);
  const limit = 2 ** (size * 8 - 1);
  return val >= limit ? val - limit * 2 : val;
}

function checkInt(value, min, max, buf, offset, size) {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range;
    if (size > 4) {
      const bits = size * 8;
      if (min === 0 || min === 0n) range = `>= 0${n} and < 2${n} ** ${bits}${n}`;
      else range = `>= -(2${n} ** ${bits - 1}${n}) and < 2${n} ** ${bits - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw outOfRange('value', range, value);
  }
  checkRead(buf, offset, size);
}

function writeInt(buf, value, offset, size, min, max, littleEndian) {
  value = +value;
  if (size === 1) {
    validateNumber(offset, 'offset');
    if (value > max || value < min) throw outOfRange('value', `>= ${min} and <= ${max}`, value);
    if (buf[offset] === undefined) boundsError(offset, lengthOf(buf) - 1);
    buf[offset] = value;
    return offset + 1;
  }
  checkInt(value, min, max, buf, offset, size);
  const high = MathFloor(value * 2 ** -32);
  for (let i = 0; i < size; i++) {
    const byte = i < 4 ? (value >>> (8 * i)) & 0xff : (high >>> (8 * (i - 4))) & 0xff;
    buf[littleEndian ? offset + i : offset + size - 1 - i] = byte;
  }
  return offset + size;
}

function readBig(buf, offset, signed, littleEndian) {
  if (offset === undefined) offset = 0;
  checkRead(buf, offset, 8);
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 4; i++) {
    hi = hi * 256 + buf[littleEndian ? offset + 7 - i : offset + i];
    lo = lo * 256 + buf[littleEndian ? offset + 3 - i : offset + 4 + i];
  }
  if (signed && hi >= 2 ** 31) hi -= 2 ** 32;
  return (BigInt(hi) << 32n) + BigInt(lo);
}

function writeBig(buf, value, offset, min, max, littleEndian) {
  if (offset === undefined) offset = 0;
  checkInt(value, min, max, buf, offset, 8);
  let lo = Number(value & 0xffffffffn);
  let hi = Number((value >> 32n) & 0xffffffffn);
  for (let i = 0; i < 4; i++) {
    buf[littleEndian ? offset + i : offset + 7 - i] = lo & 0xff;
    buf[littleEndian ? offset + 4 + i : offset + 3 - i] = hi & 0xff;
    lo >>>= 8;
    hi >>>= 8;
  }
  return offset + 8;
}

const float32 = new Float32Array(1);
const float64 = new Float64Array(1);
const float32Bytes = new Uint8Array(TypedArrayPrototypeGetBuffer(float32));
const float64Bytes = new Uint8Array(TypedArrayPrototypeGetBuffer(float64));

// The machine is little-endian (x64, arm64): scratch bytes are LE.
function readFloat(buf, offset, size, littleEndian) {
  checkRead(buf, offset, size);
  const bytes = size === 4 ? float32Bytes : float64Bytes;
  for (let i = 0; i < size; i++) bytes[littleEndian ? i : size - 1 - i] = buf[offset + i];
  return size === 4 ? float32[0] : float64[0];
}

function writeFloat(buf, value, offset, size, littleEndian) {
  value = +value;
  checkRead(buf, offset, size);
  let bytes;
  if (size === 4) {
    float32[0] = value;
    bytes = float32Bytes;
  } else {
    float64[0] = value;
    bytes = float64Bytes;
  }
  for (let i = 0; i < size; i++) buf[offset + i] = bytes[littleEndian ? i : size - 1 - i];
  return offset + size;
}

function byteLengthError(byteLength) {
  boundsError(byteLength, 6, 'byteLength');
}

const rw = {
  readBigUInt64LE(offset) { return readBig(this, offset, false, true); },
  readBigUInt64BE(offset) { return readBig(this, offset, false, false); },
  readBigInt64LE(offset) { return readBig(this, offset, true, true); },
  readBigInt64BE(offset) { return readBig(this, offset, true, false); },
  writeBigUInt64LE(value, offset) { return writeBig(this, value, offset, 0n, 0xffffffffffffffffn, true); },
  writeBigUInt64BE(value, offset) { return writeBig(this, value, offset, 0n, 0xffffffffffffffffn, false); },
  writeBigInt64LE(value, offset) {
    return writeBig(this, value, offset, -0x8000000000000000n, 0x7fffffffffffffffn, true);
  },
  writeBigInt64BE(value, offset) {
    return writeBig(this, value, offset, -0x8000000000000000n, 0x7fffffffffffffffn, false);
  },
  readUIntLE(offset, byteLength) {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset);
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      return readUnsigned(this, offset, byteLength, true);
    }
    byteLengthError(byteLength);
  },
  readUInt32LE(offset = 0) { return readUnsigned(this, offset, 4, true); },
  readUInt16LE(offset = 0) { return readUnsigned(this, offset, 2, true); },
  readUInt8(offset = 0) { return readUnsigned(this, offset, 1, true); },
  readUIntBE(offset, byteLength) {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset);
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      return readUnsigned(this, offset, byteLength, false);
    }
    byteLengthError(byteLength);
  },
  readUInt32BE(offset = 0) { return readUnsigned(this, offset, 4, false); },
  readUInt16BE(offset = 0) { return readUnsigned(this, offset, 2, false); },
  readIntLE(offset, byteLength) {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset);
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      return readSigned(this, offset, byteLength, true);
    }
    byteLengthError(byteLength);
  },
  readInt32LE(offset = 0) { return readSigned(this, offset, 4, true); },
  readInt16LE(offset = 0) { return readSigned(this, offset, 2, true); },
  readInt8(offset = 0) { return readSigned(this, offset, 1, true); },
  readIntBE(offset, byteLength) {
    if (offset === undefined) throw invalidArgType('offset', 'number', offset);
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      return readSigned(this, offset, byteLength, false);
    }
    byteLengthError(byteLength);
  },
  readInt32BE(offset = 0) { return readSigned(this, offset, 4, false); },
  readInt16BE(offset = 0) { return readSigned(this, offset, 2, false); },
  writeUIntLE(value, offset, byteLength) {
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      return writeInt(this, value, offset, byteLength, 0, 2 ** (8 * byteLength) - 1, true);
    }
    byteLengthError(byteLength);
  },
  writeUInt32LE(value, offset = 0) { return writeInt(this, value, offset, 4, 0, 0xffffffff, true); },
  writeUInt16LE(value, offset = 0) { return writeInt(this, value, offset, 2, 0, 0xffff, true); },
  writeUInt8(value, offset = 0) { return writeInt(this, value, offset, 1, 0, 0xff, true); },
  writeUIntBE(value, offset, byteLength) {
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      return writeInt(this, value, offset, byteLength, 0, 2 ** (8 * byteLength) - 1, false);
    }
    byteLengthError(byteLength);
  },
  writeUInt32BE(value, offset = 0) { return writeInt(this, value, offset, 4, 0, 0xffffffff, false); },
  writeUInt16BE(value, offset = 0) { return writeInt(this, value, offset, 2, 0, 0xffff, false); },
  writeIntLE(value, offset, byteLength) {
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      const limit = 2 ** (8 * byteLength - 1);
      return writeInt(this, value, offset, byteLength, -limit, limit - 1, true);
    }
    byteLengthError(byteLength);
  },
  writeInt32LE(value, offset = 0) { return writeInt(this, value, offset, 4, -0x80000000, 0x7fffffff, true); },
  writeInt16LE(value, offset = 0) { return writeInt(this, value, offset, 2, -0x8000, 0x7fff, true); },
  writeInt8(value, offset = 0) { return writeInt(this, value, offset, 1, -0x80, 0x7f, true); },
  writeIntBE(value, offset, byteLength) {
    if (byteLength >= 1 && byteLength <= 6 && NumberIsInteger(byteLength)) {
      const limit = 2 ** (8 * byteLength - 1);
      return writeInt(this, value, offset, byteLength, -limit, limit - 1, false);
    }
    byteLengthError(byteLength);
  },
  writeInt32BE(value, offset = 0) { return writeInt(this, value, offset, 4, -0x80000000, 0x7fffffff, false); },
  writeInt16BE(value, offset = 0) { return writeInt(this, value, offset, 2, -0x8000, 0x7fff, false); },
  readFloatLE(offset = 0) { return readFloat(this, offset, 4, true); },
  readFloatBE(offset = 0) { return readFloat(this, offset, 4, false); },
  readDoubleLE(offset = 0) { return readFloat(this, offset, 8, true); },
  readDoubleBE(offset = 0) { return readFloat(this, offset, 8, false); },
  writeFloatLE(value, offset = 0) { return writeFloat(this, value, offset, 4, true); },
  writeFloatBE(value, offset = 0) { return writeFloat(this, value, offset, 4, false); },
  writeDoubleLE(value, offset = 0) { return writeFloat(this, value, offset, 8, true); },
  writeDoubleBE(value, offset = 0) { return writeFloat(this, value, offset, 8, false); },
};

// Prototype keys in Node's order, aliases (Uint/Uint) next to their originals.
const rwOrder = [
  'readBigUInt64LE', 'readBigUInt64BE', 'readBigUint64LE', 'readBigUint64BE', 'readBigInt64LE', 'readBigInt64BE',
  'writeBigUInt64LE', 'writeBigUInt64BE', 'writeBigUint64LE', 'writeBigUint64BE', 'writeBigInt64LE',
  'writeBigInt64BE', 'readUIntLE', 'readUInt32LE', 'readUInt16LE', 'readUInt8', 'readUIntBE', 'readUInt32BE',
  'readUInt16BE', 'readUintLE', 'readUint32LE', 'readUint16LE', 'readUint8', 'readUintBE', 'readUint32BE',
  'readUint16BE', 'readIntLE', 'readInt32LE', 'readInt16LE', 'readInt8', 'readIntBE', 'readInt32BE', 'readInt16BE',
  'writeUIntLE', 'writeUInt32LE', 'writeUInt16LE', 'writeUInt8', 'writeUIntBE', 'writeUInt32BE', 'writeUInt16BE',
  'writeUintLE', 'writeUint32LE', 'writeUint16LE', 'writeUint8', 'writeUintBE', 'writeUint32BE', 'writeUint16BE',
  'writeIntLE', 'writeInt32LE', 'writeInt16LE', 'writeInt8', 'writeIntBE', 'writeInt32BE', 'writeInt16BE',
  'readFloatLE', 'readFloatBE', 'readDoubleLE', 'readDoubleBE', 'writeFloatLE', 'writeFloatBE', 'writeDoubleLE',
  'writeDoubleBE',
];
for (let i = 0; i < rwOrder.length; i++) {
  const name = rwOrder[i];
  // readUint8 is readUInt8, and so on.
  let fn = rw[name];
  if (fn === undefined) {
    const at = name[4] === 'B' || name[5] === 'B' ? (name[0] === 'r' ? 7 : 8) : (name[0] === 'r' ? 4 : 5);
    fn = rw[`${StringPrototypeSlice(name, 0, at)}UI${StringPrototypeSlice(name, at + 2)}`];
  }
  define(proto, name, fn);
}

// ---- the encoding slices and writes (Node's C++ bindings) ----

function parseIndex(value, def) {
  if (value === undefined) return def;
  const n = MathTrunc(+value) || 0;
  if (n < 0) throw indexOutOfRange();
  return n;
}

function slicer(enc) {
  return function (start, end) {
    const len = lengthOf(this);
    start = parseIndex(start, 0);
    end = parseIndex(end, len);
    if (end < start) end = start;
    if (end > len) throw indexOutOfRange();
    return sliceString(enc, this, start, end);
  };
}

function writer(enc) {
  return function (string, offset, length) {
    if (typeof string !== 'string') throw makePlainError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
    const len = lengthOf(this);
    offset = parseIndex(offset, 0);
    if (offset > len) {
      throw makePlainError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', '"offset" is outside of buffer bounds');
    }
    length = MathMin(parseIndex(length, len - offset), len - offset);
    if (length === 0) return 0;
    return writeString(enc, this, string, offset, length);
  };
}

const sliceOrder = ['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8'];
for (let i = 0; i < sliceOrder.length; i++) {
  const name = sliceOrder[i];
  define(proto, `${name}Slice`, named(slicer(encodingNames[name]), `${name}Slice`));
}
for (let i = 0; i < sliceOrder.length; i++) {
  const name = sliceOrder[i];
  define(proto, `${name}Write`, named(writer(encodingNames[name]), `${name}Write`));
}

function named(fn, name) {
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name });
  return fn;
}

// ---- the rest of the prototype ----

ObjectDefineProperty(proto, 'parent', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return TypedArrayPrototypeGetBuffer(this);
  },
});
ObjectDefineProperty(proto, 'offset', {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() {
    if (!(this instanceof Buffer)) return undefined;
    return TypedArrayPrototypeGetByteOffset(this);
  },
});

function toInteger(n, defaultVal) {
  n = +n;
  if (!NumberIsNaN(n) && n >= -(2 ** 53 - 1) && n <= 2 ** 53 - 1) return n % 1 === 0 ? n : MathFloor(n);
  return defaultVal;
}

// Copies source[sourceStart, sourceEnd) to target at targetStart, as much
// as fits; returns the bytes copied.
function copyActual(source, target, targetStart, sourceStart, sourceEnd, targetLength) {
  if (sourceEnd - sourceStart > targetLength - targetStart) sourceEnd = sourceStart + targetLength - targetStart;
  let nb = sourceEnd - sourceStart;
  const sourceLen = lengthOf(source) - sourceStart;
  if (nb > sourceLen) nb = sourceLen;
  if (nb <= 0) return 0;
  TypedArrayPrototypeSet(target, view(source, sourceStart, sourceStart + nb), targetStart);
  return nb;
}

function copy(target, targetStart, sourceStart, sourceEnd) {
  if (!isUint8Array(this)) throw invalidArgType('source', ['Buffer', 'Uint8Array'], this, copy);
  if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target, copy);
  const sourceLength = lengthOf(this);
  if (targetStart === undefined) {
    targetStart = 0;
  } else {
    targetStart = toInteger(targetStart, 0);
    if (targetStart < 0) throw outOfRange('targetStart', '>= 0', targetStart, copy);
  }
  if (sourceStart === undefined) {
    sourceStart = 0;
  } else {
    sourceStart = toInteger(sourceStart, 0);
    if (sourceStart < 0 || sourceStart > sourceLength) {
      throw outOfRange('sourceStart', `>= 0 && <= ${sourceLength}`, sourceStart, copy);
    }
  }
  if (sourceEnd === undefined) {
    sourceEnd = sourceLength;
  } else {
    sourceEnd = toInteger(sourceEnd, 0);
    if (sourceEnd < 0) throw outOfRange('sourceEnd', '>= 0', sourceEnd, copy);
  }
  const targetLength = lengthOf(target);
  if (targetStart >= targetLength || sourceStart >= sourceEnd) return 0;
  return copyActual(this, target, targetStart, sourceStart, sourceEnd, targetLength);
}

function toString(encoding, start, end) {
  const len = lengthOf(this);
  if (arguments.length === 0) return sliceString('utf8', this, 0, len);
  if (start <= 0) start = 0;
  else if (start >= len) return '';
  else start = MathTrunc(start) || 0;
  if (end === undefined || end > len) end = len;
  else end = MathTrunc(end) || 0;
  if (end <= start) return '';
  if (encoding === undefined) return sliceString('utf8', this, start, end);
  const enc = encodingOf(encoding);
  if (enc === undefined) throw unknownEncoding(encoding, toString);
  return sliceString(enc, this, start, end);
}

function equals(otherBuffer) {
  if (!isUint8Array(otherBuffer)) {
    throw invalidArgType('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer, equals);
  }
  if (this === otherBuffer) return true;
  const len = TypedArrayPrototypeGetByteLength(this);
  if (len !== TypedArrayPrototypeGetByteLength(otherBuffer)) return false;
  return len === 0 || compareRange(this, 0, len, otherBuffer, 0, len) === 0;
}

function inspect(recurseTimes, ctx) {
  const len = lengthOf(this);
  const max = INSPECT_MAX_BYTES;
  const actualMax = MathMin(max, len);
  const remaining = len - max;
  let str = '';
  for (let i = 0; i < actualMax; i++) str += (i === 0 ? '' : ' ') + hexPairs[this[i]];
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  if (ctx) {
    // Own non-index properties: shown after the bytes, as on Node.
    let extras = false;
    const obj = { __proto__: null };
    const keys = ReflectOwnKeys(this);
    for (let i = len; i < keys.length; i++) {
      const key = keys[i];
      if (!ctx.showHidden && !ObjectPrototypePropertyIsEnumerable(this, key)) continue;
      extras = true;
      obj[key] = this[key];
    }
    if (extras) {
      if (len !== 0) str += ', ';
      const text = require('util').inspect(obj, { ...ctx, breakLength: Infinity, compact: true });
      str += StringPrototypeSlice(text, 27, -2);
    }
  }
  return `<${this.constructor.name} ${str}>`;
}

function compareMethod(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  if (!isUint8Array(target)) throw invalidArgType('target', ['Buffer', 'Uint8Array'], target, compareMethod);
  const targetLength = lengthOf(target);
  const sourceLength = lengthOf(this);
  if (arguments.length === 1) return compareRange(this, 0, sourceLength, target, 0, targetLength);
  if (targetStart === undefined) targetStart = 0;
  else validateOffset(targetStart, 'targetStart');
  if (targetEnd === undefined) targetEnd = targetLength;
  else validateOffset(targetEnd, 'targetEnd', 0, targetLength);
  if (sourceStart === undefined) sourceStart = 0;
  else validateOffset(sourceStart, 'sourceStart');
  if (sourceEnd === undefined) sourceEnd = sourceLength;
  else validateOffset(sourceEnd, 'sourceEnd', 0, sourceLength);
  if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
  if (targetStart >= targetEnd) return 1;
  if (sourceStart > sourceLength) {
    throw makePlainError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "sourceStart" is out of range.');
  }
  if (targetStart > targetLength) {
    throw makePlainError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "targetStart" is out of range.');
  }
  return compareRange(this, sourceStart, sourceEnd, target, targetStart, targetEnd);
}

// Node's IndexOfOffset: where a search for `needleLength` bytes starts.
function indexOfOffset(length, offset, needleLength, isForward) {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (isForward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (isForward) return -1;
  return length - 1;
}

// First (or last) match of needle[0, nlen) in hay at units of `unit`
// bytes (2 for utf16le), starting at unit index `from`; -1 if none.
function search(hay, hlen, needle, nlen, from, isForward, unit) {
  if (hlen < nlen) return -1;
  const diff = hlen - nlen;
  const step = isForward ? 1 : -1;
  let i = isForward ? from : MathMin(from, diff);
  for (; isForward ? i <= diff : i >= 0; i += step) {
    let j = 0;
    for (; j < nlen * unit; j++) {
      if (hay[i * unit + j] !== needle[j]) break;
    }
    if (j === nlen * unit) return i;
  }
  return -1;
}

// `fromString`: the needle is a string's encoding; a Buffer needle that is
// not found in an odd-length haystack gives Node's odd answer.
function indexOfBytes(buf, needle, byteOffset, enc, isForward, fromString = false) {
  const hlen = lengthOf(buf);
  const nlen = lengthOf(needle);
  const start = indexOfOffset(hlen, byteOffset, nlen, isForward);
  if (nlen === 0) return start;
  if (hlen === 0 || start <= -1) return -1;
  if ((isForward && nlen + start > hlen) || nlen > hlen) return -1;
  if (enc === 'utf16le') {
    if (hlen < 2 || nlen < 2) return -1;
    const units = hlen >>> 1;
    const r = search(buf, units, needle, nlen >>> 1, start >>> 1, isForward, 2);
    if (r === -1 && fromString) return -1;
    const result = (r === -1 ? units : r) * 2;
    return result === hlen ? -1 : result;
  }
  return search(buf, hlen, needle, nlen, start, isForward, 1);
}

function indexOfString(buf, val, byteOffset, enc, isForward) {
  let needle;
  if (enc === 'utf8') {
    needle = check(native.text_utf8_encode(val));
  } else if (enc === 'utf16le' || enc === 'latin1') {
    needle = new Uint8Array(byteLengthOf(enc, val));
    writeString(enc, needle, val, 0, lengthOf(needle));
  } else {
    // ascii, hex and base64 search for the bytes the string decodes to.
    needle = fromString(val, enc);
  }
  return indexOfBytes(buf, needle, byteOffset, enc, isForward, true);
}

function bidirectionalIndexOf(buffer, val, byteOffset, encoding, dir) {
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if (byteOffset > 0x7fffffff) {
    byteOffset = 0x7fffffff;
  } else if (byteOffset < -0x80000000) {
    byteOffset = -0x80000000;
  }
  byteOffset = +byteOffset;
  if (NumberIsNaN(byteOffset)) byteOffset = dir ? 0 : lengthOf(buffer);
  byteOffset = MathTrunc(byteOffset);
  if (typeof val === 'number') {
    const len = lengthOf(buffer);
    const start = indexOfOffset(len, byteOffset, 1, dir);
    if (start <= -1 || len === 0) return -1;
    const byte = (val >>> 0) & 0xff;
    if (dir) {
      for (let i = start; i < len; i++) if (buffer[i] === byte) return i;
    } else {
      for (let i = start; i >= 0; i--) if (buffer[i] === byte) return i;
    }
    return -1;
  }
  const enc = encoding === undefined ? 'utf8' : encodingOf(encoding);
  if (typeof val === 'string') {
    if (enc === undefined) throw unknownEncoding(encoding);
    return indexOfString(buffer, val, byteOffset, enc, dir);
  }
  if (isUint8Array(val)) return indexOfBytes(buffer, val, byteOffset, enc === undefined ? 'utf8' : enc, dir);
  throw invalidArgType('value', ['number', 'string', 'Buffer', 'Uint8Array'], val);
}

function indexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true);
}

function lastIndexOf(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, false);
}

function includes(val, byteOffset, encoding) {
  return bidirectionalIndexOf(this, val, byteOffset, encoding, true) !== -1;
}

function fillImpl(buf, value, offset, end, encoding, hideFrom) {
  let enc;
  if (typeof value === 'string') {
    if (offset === undefined || typeof offset === 'string') {
      encoding = offset;
      offset = 0;
      end = lengthOf(buf);
    } else if (typeof end === 'string') {
      encoding = end;
      end = lengthOf(buf);
    }
    enc = normalizeEncoding(encoding);
    if (enc === undefined) {
      if (typeof encoding !== 'string') throw invalidArgType('encoding', 'string', encoding, hideFrom);
      throw unknownEncoding(encoding, hideFrom);
    }
    if (value.length === 0) {
      value = 0;
    } else if (value.length === 1) {
      // One byte: fill with the number.
      if (enc === 'utf8') {
        const code = StringPrototypeCharCodeAt(value, 0);
        if (code < 128) value = code;
      } else if (enc === 'latin1') {
        value = StringPrototypeCharCodeAt(value, 0);
      }
    }
  }
  if (offset === undefined) {
    offset = 0;
    end = lengthOf(buf);
  } else {
    validateOffset(offset, 'offset');
    if (end === undefined) end = lengthOf(buf);
    else validateOffset(end, 'end', 0, lengthOf(buf));
    if (offset >= end) return buf;
  }
  if (typeof value === 'number') {
    if (offset > end || end > TypedArrayPrototypeGetByteLength(buf)) throw bufferOutOfBounds(undefined, hideFrom);
    TypedArrayPrototypeFill(buf, value, offset, end);
    return buf;
  }
  let pattern;
  if (typeof value === 'string') {
    pattern = enc === 'utf8' ? check(native.text_utf8_encode(value)) : fromString(value, enc);
  } else if (TypedArrayPrototypeGetSymbolToStringTag(value) !== undefined) {
    pattern = new Uint8Array(TypedArrayPrototypeGetBuffer(value), TypedArrayPrototypeGetByteOffset(value),
      TypedArrayPrototypeGetByteLength(value));
  } else if (require('util').types.isDataView(value)) {
    pattern = new Uint8Array(DataViewPrototypeGetBuffer(value), DataViewPrototypeGetByteOffset(value),
      DataViewPrototypeGetByteLength(value));
  } else {
    TypedArrayPrototypeFill(buf, (+value >>> 0) & 255, offset, end);
    return buf;
  }
  const n = lengthOf(pattern);
  if (n === 0) throw invalidArgValue('value', value, hideFrom);
  if (end > lengthOf(buf)) throw bufferOutOfBounds(undefined, hideFrom);
  // Whole copies, then what fits of one more (possibly part of a character).
  let pos = offset;
  while (pos < end) {
    const take = MathMin(n, end - pos);
    TypedArrayPrototypeSet(buf, take === n ? pattern : view(pattern, 0, take), pos);
    pos += take;
  }
  return buf;
}

function fill(value, offset, end, encoding) {
  return fillImpl(this, value, offset, end, encoding, fill);
}

function write(string, offset, length, encoding) {
  const len = lengthOf(this);
  if (offset === undefined) return writeChecked('utf8', this, string, 0, len);
  if (length === undefined && typeof offset === 'string') {
    encoding = offset;
    length = len;
    offset = 0;
  } else {
    validateOffset(offset, 'offset', 0, len);
    const remaining = len - offset;
    if (length === undefined) {
      length = remaining;
    } else if (typeof length === 'string') {
      encoding = length;
      length = remaining;
    } else {
      validateOffset(length, 'length', 0, len);
      if (length > remaining) length = remaining;
    }
  }
  if (!encoding || encoding === 'utf8') return writeChecked('utf8', this, string, offset, length);
  const enc = encodingOf(encoding);
  if (enc === undefined) throw unknownEncoding(encoding, write);
  return writeChecked(enc, this, string, offset, length);
}

function writeChecked(enc, buf, string, offset, length) {
  if (typeof string !== 'string') throw makePlainError(TypeError, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
  if (length <= 0) return 0;
  return writeString(enc, buf, string, offset, length);
}

function toJSON() {
  const len = lengthOf(this);
  const data = [];
  for (let i = 0; i < len; i++) data[i] = this[i];
  return { type: 'Buffer', data };
}

function adjustOffset(offset, length) {
  offset = MathTrunc(offset);
  if (offset === 0 || NumberIsNaN(offset)) return 0;
  if (offset < 0) {
    offset += length;
    return offset > 0 ? offset : 0;
  }
  if (offset < length) return offset;
  return length;
}

function subarray(start, end) {
  const srcLength = lengthOf(this);
  start = adjustOffset(start, srcLength);
  end = end !== undefined ? adjustOffset(end, srcLength) : srcLength;
  const newLength = end > start ? end - start : 0;
  return new FastBuffer(TypedArrayPrototypeGetBuffer(this), TypedArrayPrototypeGetByteOffset(this) + start, newLength);
}

function slice(start, end) {
  return FunctionPrototypeCall(subarray, this, start, end);
}

function invalidBufferSize(bits) {
  return makeNodeError(RangeError, 'ERR_INVALID_BUFFER_SIZE', `Buffer size must be a multiple of ${bits}`);
}

function swap(buf, size) {
  const len = lengthOf(buf);
  if (len % size !== 0) throw invalidBufferSize(`${size * 8}-bits`);
  for (let i = 0; i < len; i += size) {
    for (let j = 0; j < size >>> 1; j++) {
      const t = buf[i + j];
      buf[i + j] = buf[i + size - 1 - j];
      buf[i + size - 1 - j] = t;
    }
  }
  return buf;
}

define(proto, 'copy', copy);
define(proto, 'toString', toString);
define(proto, 'equals', equals);
define(proto, 'inspect', inspect);
define(proto, customInspect, inspect);
define(proto, 'compare', compareMethod);
ObjectDefineProperty(compareMethod, 'name', { __proto__: null, value: 'compare' });
define(proto, 'indexOf', indexOf);
define(proto, 'lastIndexOf', lastIndexOf);
define(proto, 'includes', includes);
define(proto, 'fill', fill);
define(proto, 'write', write);
define(proto, 'toJSON', toJSON);
define(proto, 'subarray', subarray);
define(proto, 'slice', slice);
define(proto, 'swap16', function swap16() { return swap(this, 2); });
define(proto, 'swap32', function swap32() { return swap(this, 4); });
define(proto, 'swap64', function swap64() { return swap(this, 8); });
define(proto, 'toLocaleString', toString);

// ---- module exports ----

function isUtf8(input) {
  return validUtf8(bytesOf(input, isUtf8));
}

function bytesOf(input, hideFrom) {
  if (TypedArrayPrototypeGetSymbolToStringTag(input) !== undefined) {
    return new Uint8Array(TypedArrayPrototypeGetBuffer(input), TypedArrayPrototypeGetByteOffset(input),
      TypedArrayPrototypeGetByteLength(input));
  }
  if (isAnyArrayBuffer(input)) return new Uint8Array(input);
  throw invalidArgType('input', ['ArrayBuffer', 'Buffer', 'TypedArray'], input, hideFrom);
}

function validUtf8(bytes) {
  const n = lengthOf(bytes);
  let i = 0;
  while (i < n) {
    const c = bytes[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need, min;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return false;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = bytes[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return false;
      cp = cp * 64 + (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function isAscii(input) {
  const bytes = bytesOf(input, isAscii);
  const n = lengthOf(bytes);
  for (let i = 0; i < n; i++) if (bytes[i] > 0x7f) return false;
  return true;
}

function transcode() {
  const err = new Error('buffer.transcode() is not supported in this sandbox');
  errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  throw err;
}

const { atob, btoa } = require('encoding');

exports.Buffer = Buffer;
exports.SlowBuffer = SlowBuffer;
exports.transcode = transcode;
exports.isUtf8 = isUtf8;
exports.isAscii = isAscii;
exports.kMaxLength = kMaxLength;
exports.kStringMaxLength = kStringMaxLength;
exports.btoa = btoa;
exports.atob = atob;
exports.constants = { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength };
const inspectMaxBytes = {
  __proto__: null,
  enumerable: true,
  configurable: true,
  get() { return INSPECT_MAX_BYTES; },
  set(val) {
    validateNumber(val, 'INSPECT_MAX_BYTES', 0);
    INSPECT_MAX_BYTES = val;
  },
};
ObjectDefineProperty(exports, 'INSPECT_MAX_BYTES', inspectMaxBytes);

// What require('buffer') gives (an ordinary object, in Node's key order).
const api = {
  Buffer, SlowBuffer, transcode, isUtf8, isAscii, kMaxLength, kStringMaxLength, btoa, atob,
  constants: exports.constants,
};
ObjectDefineProperty(api, 'INSPECT_MAX_BYTES', inspectMaxBytes);
// Loaded on first read (enumerable accessors, as Node's lazy properties).
function lazyApi(name) {
  let value;
  let loaded = false;
  ObjectDefineProperty(api, name, {
    __proto__: null,
    get() {
      if (!loaded) { value = require('blob')[name]; loaded = true; }
      return value;
    },
    set(v) { value = v; loaded = true; },
    enumerable: true,
    configurable: true,
  });
}
lazyApi('Blob');
lazyApi('resolveObjectURL');
lazyApi('File');
exports.api = api;

// For string_decoder and others: the encodings without the checks.
exports.FastBuffer = FastBuffer;
exports.normalizeEncoding = normalizeEncoding;
exports.sliceString = sliceString;
exports.fromString = fromString;
exports.utf8Length = utf8Length;
