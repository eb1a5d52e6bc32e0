'use strict';
// node:string_decoder. Like Node's, the state lives in a 7-byte Buffer
// (up to 4 bytes of an incomplete character, then bytes missing, bytes
// buffered and the encoding), which is also what inspect shows. A
// character split between chunks is held back until it completes; what is
// left at end() decodes as it is (U+FFFD for a UTF-8 fragment).

const {
  ArrayBufferIsView,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  ObjectDefineProperty,
  Symbol,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypeError,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const buffer = require('buffer');

const kNativeDecoder = Symbol('kNativeDecoder');
const MISSING = 4;
const BUFFERED = 5;
const ENCODING = 6;
// Node's enum encoding numbers, kept in the state buffer.
const encodingIds = {
  __proto__: null, ascii: 0, utf8: 1, base64: 2, utf16le: 3, latin1: 4, hex: 5, base64url: 7,
};
const encodingNames = ['ascii', 'utf8', 'base64', 'utf16le', 'latin1', 'hex', 'buffer', 'base64url'];

function unknownEncoding(enc) {
  return errors.makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${enc}`);
}

function define(obj, key, value) {
  ObjectDefineProperty(obj, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}

function StringDecoder(encoding) {
  const enc = buffer.normalizeEncoding(encoding);
  if (enc === undefined) throw unknownEncoding(encoding);
  define(this, 'encoding', enc);
  const state = buffer.Buffer.alloc(7);
  state[ENCODING] = encodingIds[enc];
  define(this, kNativeDecoder, state);
}

function bytesOf(buf) {
  if (TypedArrayPrototypeGetSymbolToStringTag(buf) !== undefined) {
    return new Uint8Array(TypedArrayPrototypeGetBuffer(buf), TypedArrayPrototypeGetByteOffset(buf),
      TypedArrayPrototypeGetByteLength(buf));
  }
  return new Uint8Array(DataViewPrototypeGetBuffer(buf), DataViewPrototypeGetByteOffset(buf),
    DataViewPrototypeGetByteLength(buf));
}

function str(enc, bytes, start, end) {
  return buffer.sliceString(enc, bytes, start, end);
}

// Node's StringDecoder::DecodeData over `data` with the state `s`.
function decode(s, data) {
  const enc = encodingNames[s[ENCODING]];
  let start = 0;
  let end = TypedArrayPrototypeGetLength(data);
  if (enc !== 'utf8' && enc !== 'utf16le' && enc !== 'base64' && enc !== 'base64url') return str(enc, data, 0, end);
  let prepend = '';
  if (s[MISSING] > 0) {
    if (enc === 'utf8') {
      // A byte that cannot continue the held character ends it there.
      for (let i = 0; i < end && i < s[MISSING]; i++) {
        if ((data[i] & 0xc0) !== 0x80) {
          s[MISSING] = 0;
          for (let k = 0; k < i; k++) s[s[BUFFERED] + k] = data[k];
          s[BUFFERED] += i;
          start += i;
          break;
        }
      }
    }
    const found = end - start < s[MISSING] ? end - start : s[MISSING];
    for (let k = 0; k < found; k++) s[s[BUFFERED] + k] = data[start + k];
    start += found;
    s[MISSING] -= found;
    s[BUFFERED] += found;
    if (s[MISSING] === 0) {
      prepend = str(enc, s, 0, s[BUFFERED]);
      s[BUFFERED] = 0;
    }
  }
  if (start === end) return prepend;
  if (enc === 'utf8') {
    if (data[end - 1] & 0x80) {
      // Find where the last character starts and how long it should be.
      for (let i = end - 1; ; i--) {
        s[BUFFERED]++;
        const c = data[i];
        if ((c & 0xc0) === 0x80) {
          if (s[BUFFERED] >= 4 || i === start) {
            s[BUFFERED] = 0;
            break;
          }
        } else {
          let need;
          if ((c & 0xe0) === 0xc0) need = 2;
          else if ((c & 0xf0) === 0xe0) need = 3;
          else if ((c & 0xf8) === 0xf0) need = 4;
          else {
            s[BUFFERED] = 0;
            break;
          }
          s[MISSING] = need;
          if (s[BUFFERED] >= s[MISSING]) {
            s[MISSING] = 0;
            s[BUFFERED] = 0;
          }
          s[MISSING] -= s[BUFFERED];
          break;
        }
      }
    }
  } else if (enc === 'utf16le') {
    if ((end - start) % 2 === 1) {
      s[BUFFERED] = 1;
      s[MISSING] = 1;
    } else if ((data[end - 1] & 0xfc) === 0xd8) {
      // The lead half of a surrogate pair.
      s[BUFFERED] = 2;
      s[MISSING] = 2;
    }
  } else {
    s[BUFFERED] = (end - start) % 3;
    if (s[BUFFERED] > 0) s[MISSING] = 3 - s[BUFFERED];
  }
  if (s[BUFFERED] > 0) {
    end -= s[BUFFERED];
    for (let k = 0; k < s[BUFFERED]; k++) s[k] = data[end + k];
  }
  return prepend + (end > start ? str(enc, data, start, end) : '');
}

function flush(s) {
  const enc = encodingNames[s[ENCODING]];
  if (enc === 'utf16le' && s[BUFFERED] % 2 === 1) {
    // A lone trailing byte is dropped.
    s[MISSING]--;
    s[BUFFERED]--;
  }
  if (s[BUFFERED] === 0) return '';
  const out = str(enc, s, 0, s[BUFFERED]);
  s[MISSING] = 0;
  s[BUFFERED] = 0;
  return out;
}

function invalidThis() {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type StringDecoder');
}

define(StringDecoder.prototype, 'write', function write(buf) {
  if (typeof buf === 'string') return buf;
  if (!ArrayBufferIsView(buf)) throw errors.invalidArgType('buf', ['Buffer', 'TypedArray', 'DataView'], buf, write);
  const s = this[kNativeDecoder];
  if (!s) throw invalidThis();
  return decode(s, bytesOf(buf));
});

define(StringDecoder.prototype, 'end', function end(buf) {
  let ret = '';
  if (buf !== undefined) ret = this.write(buf);
  if (this[kNativeDecoder][BUFFERED] > 0) ret += flush(this[kNativeDecoder]);
  return ret;
});

define(StringDecoder.prototype, 'text', function text(buf, offset) {
  const s = this[kNativeDecoder];
  s[MISSING] = 0;
  s[BUFFERED] = 0;
  return this.write(buf.slice(offset));
});

function accessor(name, get) {
  ObjectDefineProperty(StringDecoder.prototype, name, { __proto__: null, get, enumerable: true, configurable: true });
}
accessor('lastChar', function () {
  const s = this[kNativeDecoder];
  return new buffer.FastBuffer(TypedArrayPrototypeGetBuffer(s), TypedArrayPrototypeGetByteOffset(s), 4);
});
accessor('lastNeed', function () {
  return this[kNativeDecoder][MISSING];
});
accessor('lastTotal', function () {
  const s = this[kNativeDecoder];
  return s[BUFFERED] + s[MISSING];
});

exports.StringDecoder = StringDecoder;
