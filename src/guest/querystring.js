'use strict';
// require('querystring'): Node's parse/stringify/escape/unescape with its
// exact escaping, maxKeys and lenient decoding. parse() and stringify() use
// the module's escape/unescape as they are now, so a guest may replace them.

const {
  ArrayIsArray,
  Int8Array,
  MathAbs,
  NumberIsFinite,
  NumberPrototypeToString,
  ObjectKeys,
  String,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  StringPrototypeToUpperCase,
  URIError,
  decodeURIComponent,
} = require('primordials');

// '%XX' for every byte.
const hexTable = [];
for (let i = 0; i < 256; ++i) {
  hexTable[i] = '%' + StringPrototypeToUpperCase((i < 16 ? '0' : '') + NumberPrototypeToString(i, 16));
}

// A table of 128 flags from the ASCII characters it lists.
function asciiTable(chars) {
  const table = new Int8Array(128);
  for (let i = 0; i < chars.length; i++) table[StringPrototypeCharCodeAt(chars, i)] = 1;
  return table;
}
const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const isHexTable = asciiTable('0123456789ABCDEFabcdef');
// Left as they are by escape(): A-Z a-z 0-9 - _ . ! ~ * ' ( )
const noEscape = asciiTable(`${alnum}-_.!~*'()`);

function uriError() {
  return require('errors').makeNodeError(URIError, 'ERR_INVALID_URI', 'URI malformed', encodeStr);
}

// Percent-encodes `str` as UTF-8, leaving the characters `noEscapeTable`
// flags. A lone surrogate takes the next code unit as its pair, as Node's
// does; one at the very end is an error.
function encodeStr(str, noEscapeTable, table) {
  const len = str.length;
  if (len === 0) return '';
  let out = '';
  let lastPos = 0;
  let i = 0;
  outer:
  for (; i < len; i++) {
    let c = StringPrototypeCharCodeAt(str, i);
    while (c < 0x80) {
      if (noEscapeTable[c] !== 1) {
        if (lastPos < i) out += StringPrototypeSlice(str, lastPos, i);
        lastPos = i + 1;
        out += table[c];
      }
      if (++i === len) break outer;
      c = StringPrototypeCharCodeAt(str, i);
    }
    if (lastPos < i) out += StringPrototypeSlice(str, lastPos, i);
    if (c < 0x800) {
      lastPos = i + 1;
      out += table[0xC0 | (c >> 6)] + table[0x80 | (c & 0x3F)];
      continue;
    }
    if (c < 0xD800 || c >= 0xE000) {
      lastPos = i + 1;
      out += table[0xE0 | (c >> 12)] + table[0x80 | ((c >> 6) & 0x3F)] + table[0x80 | (c & 0x3F)];
      continue;
    }
    ++i;
    if (i >= len) throw uriError();
    const c2 = StringPrototypeCharCodeAt(str, i) & 0x3FF;
    lastPos = i + 1;
    c = 0x10000 + (((c & 0x3FF) << 10) | c2);
    out += table[0xF0 | (c >> 18)] + table[0x80 | ((c >> 12) & 0x3F)] +
      table[0x80 | ((c >> 6) & 0x3F)] + table[0x80 | (c & 0x3F)];
  }
  if (lastPos === 0) return str;
  if (lastPos < len) return out + StringPrototypeSlice(str, lastPos);
  return out;
}

function unhex(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// %XX sequences decoded to bytes; anything else kept as it is (its low
// byte for code units over 255, as Node's buffer write does).
function unescapeBuffer(s, decodeSpaces) {
  const { Buffer } = require('buffer');
  const out = Buffer.allocUnsafe(s.length);
  let index = 0;
  let outIndex = 0;
  const maxLength = s.length - 2;
  let hasHex = false;
  while (index < s.length) {
    let currentChar = StringPrototypeCharCodeAt(s, index);
    if (currentChar === 43 && decodeSpaces) {
      out[outIndex++] = 32;
      index++;
      continue;
    }
    if (currentChar === 37 && index < maxLength) {
      currentChar = StringPrototypeCharCodeAt(s, ++index);
      const hexHigh = unhex(currentChar);
      if (!(hexHigh >= 0)) {
        out[outIndex++] = 37;
        continue;
      } else {
        const hexLow = unhex(StringPrototypeCharCodeAt(s, ++index));
        if (!(hexLow >= 0)) {
          out[outIndex++] = 37;
          index--;
        } else {
          hasHex = true;
          currentChar = hexHigh * 16 + hexLow;
        }
      }
    }
    out[outIndex++] = currentChar;
    index++;
  }
  return hasHex ? out.slice(0, outIndex) : out;
}

function qsUnescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch {
    return qs.unescapeBuffer(s, decodeSpaces).toString();
  }
}

function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  return encodeStr(str, noEscape, hexTable);
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && NumberIsFinite(v)) return '' + v;
  if (typeof v === 'bigint') return '' + v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeStringified(v, encode) {
  if (typeof v === 'string') return v.length ? encode(v) : '';
  if (typeof v === 'number' && NumberIsFinite(v)) return MathAbs(v) < 1e21 ? '' + v : encode('' + v);
  if (typeof v === 'bigint') return '' + v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeStringifiedCustom(v, encode) {
  return encode(stringifyPrimitive(v));
}

function stringify(obj, sep, eq, options) {
  sep = sep || '&';
  eq = eq || '=';
  let encode = qs.escape;
  if (options && typeof options.encodeURIComponent === 'function') encode = options.encodeURIComponent;
  const convert = encode === qsEscape ? encodeStringified : encodeStringifiedCustom;
  if (obj !== null && typeof obj === 'object') {
    const keys = ObjectKeys(obj);
    let fields = '';
    for (let i = 0; i < keys.length; ++i) {
      const k = keys[i];
      const v = obj[k];
      const ks = convert(k, encode) + eq;
      if (ArrayIsArray(v)) {
        const vlen = v.length;
        if (vlen === 0) continue;
        if (fields) fields += sep;
        for (let j = 0; j < vlen; ++j) {
          if (j) fields += sep;
          fields += ks;
          fields += convert(v[j], encode);
        }
      } else {
        if (fields) fields += sep;
        fields += ks;
        fields += convert(v, encode);
      }
    }
    return fields;
  }
  return '';
}

function charCodes(str) {
  const out = [];
  for (let i = 0; i < str.length; ++i) out[i] = StringPrototypeCharCodeAt(str, i);
  return out;
}

function decodeStr(s, decoder) {
  try {
    return decoder(s);
  } catch {
    return qs.unescape(s, true);
  }
}

function addKeyVal(obj, key, value, keyEncoded, valEncoded, decode) {
  if (key.length > 0 && keyEncoded) key = decodeStr(key, decode);
  if (value.length > 0 && valEncoded) value = decodeStr(value, decode);
  if (obj[key] === undefined) {
    obj[key] = value;
  } else {
    const curValue = obj[key];
    // An array already (a guest may give `pop` to anything, as on Node).
    if (curValue.pop) curValue[curValue.length] = value;
    else obj[key] = [curValue, value];
  }
}

function parse(str, sep, eq, options) {
  const obj = { __proto__: null };
  if (typeof str !== 'string' || str.length === 0) return obj;
  const sepCodes = !sep ? [38] : charCodes(String(sep));
  const eqCodes = !eq ? [61] : charCodes(String(eq));
  const sepLen = sepCodes.length;
  const eqLen = eqCodes.length;
  let pairs = 1000;
  if (options && typeof options.maxKeys === 'number') pairs = options.maxKeys > 0 ? options.maxKeys : -1;
  let decode = qs.unescape;
  if (options && typeof options.decodeURIComponent === 'function') decode = options.decodeURIComponent;
  const customDecode = decode !== qsUnescape;

  let lastPos = 0;
  let sepIdx = 0;
  let eqIdx = 0;
  let key = '';
  let value = '';
  // Only keys and values with a %XX in them are decoded (all with a custom decoder).
  let keyEncoded = customDecode;
  let valEncoded = customDecode;
  const plusChar = customDecode ? '%20' : ' ';
  let encodeCheck = 0;
  for (let i = 0; i < str.length; ++i) {
    const code = StringPrototypeCharCodeAt(str, i);
    if (code === sepCodes[sepIdx]) {
      if (++sepIdx === sepLen) {
        const end = i - sepIdx + 1;
        if (eqIdx < eqLen) {
          if (lastPos < end) {
            key += StringPrototypeSlice(str, lastPos, end);
          } else if (key.length === 0) {
            // An empty pair counts against maxKeys but adds nothing.
            if (--pairs === 0) return obj;
            lastPos = i + 1;
            sepIdx = eqIdx = 0;
            continue;
          }
        } else if (lastPos < end) {
          value += StringPrototypeSlice(str, lastPos, end);
        }
        addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
        if (--pairs === 0) return obj;
        keyEncoded = valEncoded = customDecode;
        key = value = '';
        encodeCheck = 0;
        lastPos = i + 1;
        sepIdx = eqIdx = 0;
      }
    } else {
      sepIdx = 0;
      if (eqIdx < eqLen) {
        if (code === eqCodes[eqIdx]) {
          if (++eqIdx === eqLen) {
            const end = i - eqIdx + 1;
            if (lastPos < end) key += StringPrototypeSlice(str, lastPos, end);
            encodeCheck = 0;
            lastPos = i + 1;
          }
          continue;
        } else {
          eqIdx = 0;
          if (!keyEncoded) {
            if (code === 37) {
              encodeCheck = 1;
              continue;
            } else if (encodeCheck > 0) {
              if (code < 128 && isHexTable[code] === 1) {
                if (++encodeCheck === 3) keyEncoded = true;
                continue;
              } else {
                encodeCheck = 0;
              }
            }
          }
        }
        if (code === 43) {
          if (lastPos < i) key += StringPrototypeSlice(str, lastPos, i);
          key += plusChar;
          lastPos = i + 1;
          continue;
        }
      }
      if (code === 43) {
        if (lastPos < i) value += StringPrototypeSlice(str, lastPos, i);
        value += plusChar;
        lastPos = i + 1;
      } else if (!valEncoded) {
        if (code === 37) {
          encodeCheck = 1;
        } else if (encodeCheck > 0) {
          if (code < 128 && isHexTable[code] === 1) {
            if (++encodeCheck === 3) valEncoded = true;
          } else {
            encodeCheck = 0;
          }
        }
      }
    }
  }
  if (lastPos < str.length) {
    if (eqIdx < eqLen) key += StringPrototypeSlice(str, lastPos);
    else if (sepIdx < sepLen) value += StringPrototypeSlice(str, lastPos);
  } else if (eqIdx === 0 && key.length === 0) {
    return obj;
  }
  addKeyVal(obj, key, value, keyEncoded, valEncoded, decode);
  return obj;
}

const qs = {
  unescapeBuffer,
  unescape: qsUnescape,
  escape: qsEscape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
};

exports.querystring = qs;
exports.encodeStr = encodeStr;
exports.hexTable = hexTable;
exports.asciiTable = asciiTable;
