'use strict';
// util.MIMEType and util.MIMEParams (WHATWG MIME Sniffing's parser and
// serializer, with Node's errors).

const {
  ArrayPrototypePush,
  FunctionPrototypeCall,
  Map,
  MapIteratorPrototypeNext,
  MapPrototypeDelete,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  ObjectDefineProperty,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  SymbolIterator,
  TypeError,
} = require('primordials');
const errors = require('errors');

// HTTP token code points: !#$%&'*+-.^_`|~ and ASCII letters and digits.
const tokenChars = "!#$%&'*+-.^_`|~";
function isTokenChar(c) {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
    StringPrototypeIndexOf(tokenChars, StringFromCharCode(c)) !== -1;
}
// Index of the first non-token code point of `s`, or -1.
function firstNonToken(s) {
  for (let i = 0; i < s.length; i++) {
    if (!isTokenChar(StringPrototypeCharCodeAt(s, i))) return i;
  }
  return -1;
}
// Index of the first code point a quoted string cannot hold, or -1.
function firstNonQuotable(s) {
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (!(c === 9 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) return i;
  }
  return -1;
}
const isWhitespace = (c) => c === 13 || c === 10 || c === 9 || c === 32;
function skipWhitespace(s, i) {
  while (i < s.length && isWhitespace(StringPrototypeCharCodeAt(s, i))) i++;
  return i;
}
function trimEndWhitespace(s) {
  let end = s.length;
  while (end > 0 && isWhitespace(StringPrototypeCharCodeAt(s, end - 1))) end--;
  return StringPrototypeSlice(s, 0, end);
}

function toASCIILower(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    out += c >= 65 && c <= 90 ? StringFromCharCode(c + 32) : s[i];
  }
  return out;
}

function syntaxError(production, str, index) {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_MIME_SYNTAX',
    `The MIME syntax for a ${production} in "${str}" is invalid${index !== -1 ? ` at ${index}` : ''}`);
}

function parseTypeAndSubtype(str) {
  let position = skipWhitespace(str, 0);
  const typeEnd = StringPrototypeIndexOf(str, '/', position);
  const rawType = typeEnd === -1 ? StringPrototypeSlice(str, position) : StringPrototypeSlice(str, position, typeEnd);
  const badType = firstNonToken(rawType);
  if (rawType === '' || badType !== -1 || typeEnd === -1) throw syntaxError('type', str, badType);
  position = typeEnd + 1;
  const subtypeEnd = StringPrototypeIndexOf(str, ';', position);
  const rawSubtype = subtypeEnd === -1 ? StringPrototypeSlice(str, position) : StringPrototypeSlice(str, position, subtypeEnd);
  position += rawSubtype.length;
  if (subtypeEnd !== -1) position += 1;
  const subtype = trimEndWhitespace(rawSubtype);
  const badSubtype = firstNonToken(subtype);
  if (subtype === '' || badSubtype !== -1) throw syntaxError('subtype', str, badSubtype);
  return [toASCIILower(rawType), toASCIILower(subtype), position];
}

function removeBackslashes(str) {
  let out = '';
  let i;
  for (i = 0; i < str.length - 1; i++) {
    if (str[i] === '\\') {
      i++;
      out += str[i];
    } else {
      out += str[i];
    }
  }
  if (i === str.length - 1) out += str[i];
  return out;
}

function encodeValue(value) {
  if (value.length === 0) return '""';
  if (firstNonToken(value) === -1) return value;
  let escaped = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    escaped += c === '"' || c === '\\' ? `\\${c}` : c;
  }
  return `"${escaped}"`;
}

// The parameters in `str` (after "type/subtype;"), first of each name wins.
function parseParameters(str, map) {
  const end = trimEndWhitespace(str).length;
  let position = 0;
  while (position < end) {
    position = skipWhitespace(str, position);
    let nameEnd = position;
    while (nameEnd < str.length && str[nameEnd] !== ';' && str[nameEnd] !== '=') nameEnd++;
    const name = toASCIILower(StringPrototypeSlice(str, position, nameEnd));
    position = nameEnd;
    if (position < end) {
      const c = str[position];
      position += 1;
      if (c === ';') continue;
    }
    if (position >= end) break;
    let value;
    if (str[position] === '"') {
      // A quoted string: backslash escapes, up to the closing quote.
      position += 1;
      let i = position;
      let trailingBackslash = false;
      let closed = false;
      while (i < str.length) {
        const c = str[i];
        if (c === '\\') {
          if (i + 1 === str.length) { trailingBackslash = true; i++; break; }
          i += 2;
          continue;
        }
        if (c === '"') { closed = true; i++; break; }
        i++;
      }
      const matched = StringPrototypeSlice(str, position, i);
      position = i;
      const inside = trailingBackslash || closed ? StringPrototypeSlice(matched, 0, -1) : matched;
      value = removeBackslashes(inside);
      if (trailingBackslash) value += '\\';
    } else {
      const valueEnd = StringPrototypeIndexOf(str, ';', position);
      const raw = valueEnd === -1 ? StringPrototypeSlice(str, position) : StringPrototypeSlice(str, position, valueEnd);
      position += raw.length;
      value = trimEndWhitespace(raw);
      if (value === '') continue;
    }
    if (name !== '' && firstNonToken(name) === -1 && firstNonQuotable(value) === -1 && !MapPrototypeHas(map, name)) {
      MapPrototypeSet(map, name, value);
    }
    position++;
  }
}

// [key, value] pairs (or keys or values) of a Map, read with the captured
// iterator.
function mapItems(map, kind) {
  const out = [];
  const it = MapPrototypeEntries(map);
  for (;;) {
    const r = MapIteratorPrototypeNext(it);
    if (r.done) return out;
    ArrayPrototypePush(out, kind === 0 ? [r.value[0], r.value[1]] : r.value[kind - 1]);
  }
}

let makeParams;

class MIMEParams {
  #data = new Map();
  #source = null;

  static {
    makeParams = (str) => {
      const params = new MIMEParams();
      params.#source = str;
      return params;
    };
  }

  #parse() {
    if (this.#source === null) return;
    const str = this.#source;
    this.#source = null;
    parseParameters(str, this.#data);
  }

  delete(name) {
    this.#parse();
    MapPrototypeDelete(this.#data, name);
  }

  get(name) {
    this.#parse();
    const value = MapPrototypeGet(this.#data, name);
    return value === undefined && !MapPrototypeHas(this.#data, name) ? null : value;
  }

  has(name) {
    this.#parse();
    return MapPrototypeHas(this.#data, name);
  }

  set(name, value) {
    this.#parse();
    name = `${name}`;
    value = `${value}`;
    const badName = firstNonToken(name);
    if (name.length === 0 || badName !== -1) throw syntaxError('parameter name', name, badName);
    const badValue = firstNonQuotable(value);
    if (badValue !== -1) throw syntaxError('parameter value', value, badValue);
    MapPrototypeSet(this.#data, name, value);
  }

  *entries() {
    this.#parse();
    const items = mapItems(this.#data, 0);
    for (let i = 0; i < items.length; i++) yield items[i];
  }

  *keys() {
    this.#parse();
    const items = mapItems(this.#data, 1);
    for (let i = 0; i < items.length; i++) yield items[i];
  }

  *values() {
    this.#parse();
    const items = mapItems(this.#data, 2);
    for (let i = 0; i < items.length; i++) yield items[i];
  }

  toString() {
    this.#parse();
    const items = mapItems(this.#data, 0);
    let out = '';
    for (let i = 0; i < items.length; i++) {
      if (out.length) out += ';';
      out += `${items[i][0]}=${encodeValue(items[i][1])}`;
    }
    return out;
  }
}
const paramsToString = MIMEParams.prototype.toString;
ObjectDefineProperty(MIMEParams.prototype, SymbolIterator, {
  __proto__: null, configurable: true, value: MIMEParams.prototype.entries, writable: true,
});
ObjectDefineProperty(MIMEParams.prototype, 'toJSON', {
  __proto__: null, configurable: true, value: paramsToString, writable: true,
});

class MIMEType {
  #type;
  #subtype;
  #parameters;

  constructor(string) {
    string = `${string}`;
    const data = parseTypeAndSubtype(string);
    this.#type = data[0];
    this.#subtype = data[1];
    this.#parameters = makeParams(StringPrototypeSlice(string, data[2]));
  }

  get type() { return this.#type; }

  set type(v) {
    v = `${v}`;
    const bad = firstNonToken(v);
    if (v.length === 0 || bad !== -1) throw syntaxError('type', v, bad);
    this.#type = toASCIILower(v);
  }

  get subtype() { return this.#subtype; }

  set subtype(v) {
    v = `${v}`;
    const bad = firstNonToken(v);
    if (v.length === 0 || bad !== -1) throw syntaxError('subtype', v, bad);
    this.#subtype = toASCIILower(v);
  }

  get essence() { return `${this.#type}/${this.#subtype}`; }

  get params() { return this.#parameters; }

  toString() {
    let out = `${this.#type}/${this.#subtype}`;
    const params = FunctionPrototypeCall(paramsToString, this.#parameters);
    if (params.length) out += `;${params}`;
    return out;
  }
}
ObjectDefineProperty(MIMEType.prototype, 'toJSON', {
  __proto__: null, configurable: true, value: MIMEType.prototype.toString, writable: true,
});

exports.MIMEType = MIMEType;
exports.MIMEParams = MIMEParams;
