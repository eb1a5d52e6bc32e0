'use strict';
// TextEncoder/TextDecoder (utf-8 natively; utf-16le and windows-1252 in JS)
// plus atob/btoa with Node's validation.

const {
  ArrayBuffer,
  Boolean,
  DataView,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberIsNaN,
  NumberParseInt,
  ObjectDefineProperty,
  ObjectPrototypeToString,
  RangeError,
  ReflectApply,
  SafeRegExpReplaceAll,
  SafeUint8ArraySlice,
  SafeUint8ArraySubarray,
  String,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  SymbolFor,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8Array,
  uncurryThis,
} = require('primordials');
const errors = require('errors');
const customInspect = SymbolFor('nodejs.util.inspect.custom');

function toStringTag(proto, value) {
  ObjectDefineProperty(proto, SymbolToStringTag, { __proto__: null, value, configurable: true });
}

function domException(message, name) {
  const DOMException = require('dom_exception').DOMException;
  return new DOMException(message, name);
}

class TextEncoder {
  get encoding() { return 'utf-8'; }

  encode(input = '') {
    return require('ops').check(native.text_utf8_encode(`${input}`));
  }

  encodeInto(src, dest) {
    src = `${src}`;
    if (!(dest instanceof Uint8Array)) throw errors.invalidArgType('dest', 'Uint8Array', dest, encodeInto);
    let read = 0, written = 0;
    const len = TypedArrayPrototypeGetLength(dest);
    for (let i = 0; i < src.length; i++) {
      let c = StringPrototypeCharCodeAt(src, i);
      let units = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < src.length) {
        const d = StringPrototypeCharCodeAt(src, i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          units = 2;
        } else {
          c = 0xfffd;
        }
      } else if (c >= 0xd800 && c <= 0xdfff) {
        c = 0xfffd;
      }
      if (c < 0x80) {
        if (written + 1 > len) break;
        dest[written++] = c;
      } else if (c < 0x800) {
        if (written + 2 > len) break;
        dest[written++] = 0xc0 | (c >> 6);
        dest[written++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        if (written + 3 > len) break;
        dest[written++] = 0xe0 | (c >> 12);
        dest[written++] = 0x80 | ((c >> 6) & 0x3f);
        dest[written++] = 0x80 | (c & 0x3f);
      } else {
        if (written + 4 > len) break;
        dest[written++] = 0xf0 | (c >> 18);
        dest[written++] = 0x80 | ((c >> 12) & 0x3f);
        dest[written++] = 0x80 | ((c >> 6) & 0x3f);
        dest[written++] = 0x80 | (c & 0x3f);
      }
      read += units;
      i += units - 1;
    }
    return { read, written };
  }

  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    const obj = { __proto__: { constructor: this.constructor } };
    obj.encoding = this.encoding;
    return require('util').inspect(obj, opts);
  }
}
const encodeInto = TextEncoder.prototype.encodeInto;
toStringTag(TextEncoder.prototype, 'TextEncoder');
errors.enumerableInOrder(TextEncoder.prototype, ['encoding', 'encode', 'encodeInto']);

const encodingLabels = new Map();
function addLabels(name, labels) {
  for (let i = 0; i < labels.length; i++) MapPrototypeSet(encodingLabels, labels[i], name);
}
addLabels('utf-8', ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);
addLabels('utf-16le', ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']);
addLabels('windows-1252', ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1',
  'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii',
  'windows-1252', 'x-cp1252']);

const asciiSpaceAround = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

function getEncodingFromLabel(label) {
  const trimmed = SafeRegExpReplaceAll(asciiSpaceAround, `${label}`, '');
  return MapPrototypeGet(encodingLabels, StringPrototypeToLowerCase(trimmed));
}

function invalidData(encoding) {
  return errors.makePlainError(TypeError, 'ERR_ENCODING_INVALID_ENCODED_DATA',
    `The encoded data was not valid for encoding ${encoding}`);
}

// Length of the incomplete UTF-8 sequence at the end of `b` (0 if none).
function utf8IncompleteTail(b) {
  const n = TypedArrayPrototypeGetLength(b);
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k];
    if ((c & 0xc0) === 0x80) continue;
    let need = 0;
    if (c >= 0xc2 && c <= 0xdf) need = 2;
    else if (c >= 0xe0 && c <= 0xef) need = 3;
    else if (c >= 0xf0 && c <= 0xf4) need = 4;
    return need > k ? k : 0;
  }
  return 0;
}

function toBytes(input, hideFrom) {
  if (input === undefined) return new Uint8Array(0);
  if (TypedArrayPrototypeGetSymbolToStringTag(input) !== undefined) {
    return new Uint8Array(TypedArrayPrototypeGetBuffer(input), TypedArrayPrototypeGetByteOffset(input),
      TypedArrayPrototypeGetByteLength(input));
  }
  if (input instanceof DataView) {
    return new Uint8Array(DataViewPrototypeGetBuffer(input), DataViewPrototypeGetByteOffset(input),
      DataViewPrototypeGetByteLength(input));
  }
  if (input instanceof ArrayBuffer || ObjectPrototypeToString(input) === '[object SharedArrayBuffer]') {
    return new Uint8Array(input);
  }
  throw errors.makePlainError(TypeError, 'ERR_INVALID_ARG_TYPE',
    'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.', hideFrom);
}

function concat(a, b) {
  if (a === null) return b;
  const na = TypedArrayPrototypeGetLength(a);
  if (na === 0) return b;
  const out = new Uint8Array(na + TypedArrayPrototypeGetLength(b));
  TypedArrayPrototypeSet(out, a, 0);
  TypedArrayPrototypeSet(out, b, na);
  return out;
}

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  #bomSeen = false;
  #pending = null;

  constructor(encoding = 'utf-8', options = {}) {
    const enc = getEncodingFromLabel(encoding);
    if (enc === undefined) {
      throw errors.makeNodeError(RangeError, 'ERR_ENCODING_NOT_SUPPORTED',
        `The "${encoding}" encoding is not supported`, TextDecoder);
    }
    if (options !== null && options !== undefined && typeof options !== 'object' && typeof options !== 'function') {
      throw errors.invalidArgType('options', 'Object', options, TextDecoder);
    }
    this.#encoding = enc;
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }

  decode(input = undefined, options = {}) {
    let bytes = toBytes(input, decode);
    if (options !== null && options !== undefined && typeof options !== 'object' && typeof options !== 'function') {
      throw errors.invalidArgType('options', 'Object', options, decode);
    }
    const stream = Boolean(options?.stream);
    bytes = concat(this.#pending, bytes);
    this.#pending = null;
    let out;
    try {
      if (this.#encoding === 'utf-8') out = this.#decodeUtf8(bytes, stream);
      else if (this.#encoding === 'utf-16le') out = this.#decodeUtf16(bytes, stream);
      else out = decode1252(bytes);
    } catch (err) {
      this.#pending = null;
      this.#bomSeen = false;
      throw err;
    }
    if (!this.#ignoreBOM && !this.#bomSeen && out.length > 0) {
      if (StringPrototypeCharCodeAt(out, 0) === 0xfeff) out = StringPrototypeSlice(out, 1);
      this.#bomSeen = true;
    }
    if (!stream) this.#bomSeen = false;
    return out;
  }

  #decodeUtf8(bytes, stream) {
    if (stream) {
      const tail = utf8IncompleteTail(bytes);
      if (tail > 0) {
        const n = TypedArrayPrototypeGetLength(bytes);
        this.#pending = SafeUint8ArraySlice(bytes, n - tail, n);
        bytes = SafeUint8ArraySubarray(bytes, 0, n - tail);
      }
    }
    if (TypedArrayPrototypeGetLength(bytes) === 0) return '';
    try {
      return require('ops').check(native.text_utf8_decode(bytes, this.#fatal));
    } catch (err) {
      if (this.#fatal) throw invalidData('utf-8');
      throw err;
    }
  }

  #decodeUtf16(bytes, stream) {
    const length = TypedArrayPrototypeGetLength(bytes);
    const end = length - (length % 2);
    let out = '';
    for (let i = 0; i < end; i += 2) {
      const c = bytes[i] | (bytes[i + 1] << 8);
      if (c >= 0xd800 && c <= 0xdbff) {
        if (i + 2 < end) {
          const d = bytes[i + 2] | (bytes[i + 3] << 8);
          if (d >= 0xdc00 && d <= 0xdfff) {
            out += StringFromCharCode(c, d);
            i += 2;
            continue;
          }
        } else if (stream) {
          // Lead surrogate at the end of a chunk: keep it for the next call.
          this.#pending = SafeUint8ArraySlice(bytes, i, length);
          return out;
        }
        if (this.#fatal) throw invalidData('utf-16le');
        out += '\ufffd';
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        if (this.#fatal) throw invalidData('utf-16le');
        out += '\ufffd';
      } else {
        out += StringFromCharCode(c);
      }
    }
    if (end < length) {
      if (stream) {
        this.#pending = SafeUint8ArraySlice(bytes, end, length);
      } else {
        if (this.#fatal) throw invalidData('utf-16le');
        out += '\ufffd';
      }
    }
    return out;
  }

  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    const obj = { __proto__: { constructor: this.constructor } };
    obj.encoding = this.#encoding;
    obj.fatal = this.#fatal;
    obj.ignoreBOM = this.#ignoreBOM;
    return `${this.constructor.name} ${require('util').inspect(obj)}`;
  }
}
const decode = TextDecoder.prototype.decode;
toStringTag(TextDecoder.prototype, 'TextDecoder');
errors.enumerableInOrder(TextDecoder.prototype, ['decode', 'encoding', 'fatal', 'ignoreBOM']);

// Node decodes its "windows-1252" as plain latin1; match that.
function decode1252(bytes) {
  let out = '';
  const length = TypedArrayPrototypeGetLength(bytes);
  for (let i = 0; i < length; i += 8192) {
    const n = length - i < 8192 ? length - i : 8192;
    const codes = [];
    for (let j = 0; j < n; j++) codes[j] = bytes[i + j];
    out += ReflectApply(StringFromCharCode, null, codes);
  }
  return out;
}

// ---- base64 ----

const b64chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64lookup = [];
for (let i = 0; i < 128; i++) b64lookup[i] = -1;
for (let i = 0; i < 64; i++) b64lookup[StringPrototypeCharCodeAt(b64chars, i)] = i;

function missingArgs(name, hideFrom) {
  return errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', `The "${name}" argument must be specified`, hideFrom);
}

function btoa(input) {
  if (arguments.length === 0) throw missingArgs('input', btoa);
  input = `${input}`;
  for (let n = 0; n < input.length; n++) {
    if (StringPrototypeCharCodeAt(input, n) > 0xff) throw domException('Invalid character', 'InvalidCharacterError');
  }
  let out = '';
  let i = 0;
  const len = input.length;
  for (; i + 2 < len; i += 3) {
    const n = (StringPrototypeCharCodeAt(input, i) << 16) | (StringPrototypeCharCodeAt(input, i + 1) << 8) |
      StringPrototypeCharCodeAt(input, i + 2);
    out += b64chars[n >> 18] + b64chars[(n >> 12) & 63] + b64chars[(n >> 6) & 63] + b64chars[n & 63];
  }
  if (len - i === 1) {
    const n = StringPrototypeCharCodeAt(input, i) << 16;
    out += b64chars[n >> 18] + b64chars[(n >> 12) & 63] + '==';
  } else if (len - i === 2) {
    const n = (StringPrototypeCharCodeAt(input, i) << 16) | (StringPrototypeCharCodeAt(input, i + 1) << 8);
    out += b64chars[n >> 18] + b64chars[(n >> 12) & 63] + b64chars[(n >> 6) & 63] + '=';
  }
  return out;
}

function isAsciiWhitespace(c) {
  return c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
}

function atob(input) {
  if (arguments.length === 0) throw missingArgs('input', atob);
  input = `${input}`;
  let nonWs = 0;
  let equals = 0;
  for (let n = 0; n < input.length; n++) {
    const c = StringPrototypeCharCodeAt(input, n);
    if (isAsciiWhitespace(c)) continue;
    if (c === 0x3d) {
      nonWs++;
      equals++;
      if (equals > 2) throw domException('Invalid character', 'InvalidCharacterError');
    } else if (c < 128 && b64lookup[c] !== -1) {
      nonWs++;
      if (equals) throw domException('Invalid character', 'InvalidCharacterError');
    } else {
      throw domException('Invalid character', 'InvalidCharacterError');
    }
  }
  let reminder = nonWs % 4;
  if (!reminder) reminder = (nonWs - equals) % 4;
  else if (equals) throw domException('Invalid character', 'InvalidCharacterError');
  if (reminder === 1) {
    throw domException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  }
  let out = '';
  let acc = 0, bits = 0;
  for (let n = 0; n < input.length; n++) {
    const c = StringPrototypeCharCodeAt(input, n);
    if (c === 0x3d) break;
    if (isAsciiWhitespace(c)) continue;
    acc = (acc << 6) | b64lookup[c];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += StringFromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

const dashes = /-/g;
const underscores = /_/g;
const nonBase64 = /[^A-Za-z0-9+/]/g;

// Encodes a string for stdout/stderr.write(chunk, encoding).
function encodeString(str, encoding) {
  const enc = StringPrototypeToLowerCase(String(encoding));
  if (enc === 'utf8' || enc === 'utf-8') return str;
  if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') {
    const out = new Uint8Array(str.length);
    for (let i = 0; i < str.length; i++) out[i] = StringPrototypeCharCodeAt(str, i) & (enc === 'ascii' ? 0x7f : 0xff);
    return out;
  }
  if (enc === 'hex') {
    const n = str.length >> 1;
    const out = new Uint8Array(n);
    let i = 0;
    for (; i < n; i++) {
      const v = NumberParseInt(StringPrototypeSlice(str, i * 2, i * 2 + 2), 16);
      if (NumberIsNaN(v)) break;
      out[i] = v;
    }
    return SafeUint8ArraySubarray(out, 0, i);
  }
  if (enc === 'base64' || enc === 'base64url') {
    let s = SafeRegExpReplaceAll(dashes, str, '+');
    s = SafeRegExpReplaceAll(underscores, s, '/');
    s = SafeRegExpReplaceAll(nonBase64, s, '');
    const bin = atob(s.length % 4 === 1 ? StringPrototypeSlice(s, 0, -1) : s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = StringPrototypeCharCodeAt(bin, i);
    return out;
  }
  if (enc === 'ucs2' || enc === 'ucs-2' || enc === 'utf16le' || enc === 'utf-16le') {
    const out = new Uint8Array(str.length * 2);
    for (let i = 0; i < str.length; i++) {
      const c = StringPrototypeCharCodeAt(str, i);
      out[i * 2] = c & 0xff;
      out[i * 2 + 1] = c >> 8;
    }
    return out;
  }
  throw errors.makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${encoding}`);
}

exports.TextEncoder = TextEncoder;
exports.TextDecoder = TextDecoder;
exports.TextDecoderDecode = uncurryThis(decode);
exports.atob = atob;
exports.btoa = btoa;
exports.encodeString = encodeString;
