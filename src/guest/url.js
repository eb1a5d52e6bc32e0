'use strict';
// WHATWG URL over the engine's parser (native.url_parse/url_set) and a pure JS
// URLSearchParams (application/x-www-form-urlencoded).

const {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSort,
  FunctionPrototypeCall,
  GeneratorPrototypeNext,
  Int8Array,
  IteratorPrototype,
  Map,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  NumberPrototypeToString,
  ObjectCreate,
  ObjectDefineProperty,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
  SafeArraySlice,
  SafeArraySplice,
  SafeRegExpReplaceAll,
  SafeStringReplaceAll,
  SafeUint8ArraySubarray,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToUpperCase,
  StringPrototypeToWellFormed,
  SymbolFor,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetLength,
  Uint8Array,
  decodeURIComponent,
} = require('primordials');
const errors = require('errors');
const ops = require('ops');
const customInspect = SymbolFor('nodejs.util.inspect.custom');

const HREF = 0, ORIGIN = 1, PROTOCOL = 2, USERNAME = 3, PASSWORD = 4, HOST = 5,
  HOSTNAME = 6, PORT = 7, PATHNAME = 8, SEARCH = 9, HASH = 10;

const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const toWellFormed = StringPrototypeToWellFormed !== undefined
  ? StringPrototypeToWellFormed
  : (s) => SafeRegExpReplaceAll(loneSurrogates, s, '\ufffd');

function usv(v) { return toWellFormed(`${v}`); }

function invalidUrl(input, base, plain = false) {
  const err = (plain ? errors.makePlainError : errors.makeNodeError)(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
  err.input = input;
  if (base !== undefined) err.base = base;
  return err;
}

function missingArgs(...names) {
  let msg;
  if (names.length === 1) msg = `The "${names[0]}" argument must be specified`;
  else msg = `The "${names[0]}" and "${names[1]}" arguments must be specified`;
  return errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', msg);
}

// ---- form-urlencoded ----

const noEscape = new Int8Array(128);
{
  const unreserved = '*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < unreserved.length; i++) noEscape[StringPrototypeCharCodeAt(unreserved, i)] = 1;
}
const hex = [];
for (let i = 0; i < 256; i++) {
  hex[i] = '%' + (i < 16 ? '0' : '') + StringPrototypeToUpperCase(NumberPrototypeToString(i, 16));
}

function serializeComponent(str) {
  let out = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    if (c < 128 && noEscape[c] === 1) continue;
    out += StringPrototypeSlice(str, last, i);
    last = i + 1;
    if (c === 0x20) { out += '+'; continue; }
    if (c < 0x80) { out += hex[c]; continue; }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      const d = StringPrototypeCharCodeAt(str, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        last = i + 1;
      } else cp = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) out += hex[0xc0 | (cp >> 6)] + hex[0x80 | (cp & 0x3f)];
    else if (cp < 0x10000) out += hex[0xe0 | (cp >> 12)] + hex[0x80 | ((cp >> 6) & 0x3f)] + hex[0x80 | (cp & 0x3f)];
    else {
      out += hex[0xf0 | (cp >> 18)] + hex[0x80 | ((cp >> 12) & 0x3f)] +
        hex[0x80 | ((cp >> 6) & 0x3f)] + hex[0x80 | (cp & 0x3f)];
    }
  }
  return last === 0 ? str : out + StringPrototypeSlice(str, last);
}

function serializeParams(list) {
  let out = '';
  for (let i = 0; i < list.length; i += 2) {
    if (i !== 0) out += '&';
    out += serializeComponent(list[i]) + '=' + serializeComponent(list[i + 1]);
  }
  return out;
}

function hexVal(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function decodeComponent(s) {
  if (StringPrototypeIncludes(s, '+')) s = SafeStringReplaceAll(s, '+', ' ');
  if (!StringPrototypeIncludes(s, '%')) return s;
  const bytes = ops.check(native.text_utf8_encode(s));
  const length = TypedArrayPrototypeGetLength(bytes);
  const out = new Uint8Array(length);
  let n = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < length) {
      const h = hexVal(bytes[i + 1]), l = hexVal(bytes[i + 2]);
      if (h !== -1 && l !== -1) {
        out[n++] = h * 16 + l;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return ops.check(native.text_utf8_decode(SafeUint8ArraySubarray(out, 0, n), false));
}

function parseParams(qs) {
  const list = [];
  if (qs.length === 0) return list;
  if (StringPrototypeCharCodeAt(qs, 0) === 0x3f) qs = StringPrototypeSlice(qs, 1);
  const seqs = StringPrototypeSplit(qs, '&');
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i];
    if (seq === '') continue;
    const eq = StringPrototypeIndexOf(seq, '=');
    if (eq === -1) ArrayPrototypePush(list, decodeComponent(seq), '');
    else {
      ArrayPrototypePush(list, decodeComponent(StringPrototypeSlice(seq, 0, eq)),
        decodeComponent(StringPrototypeSlice(seq, eq + 1)));
    }
  }
  return list;
}

// ---- URLSearchParams ----

let paramsInternals;

class URLSearchParams {
  #list = [];
  #url = null;

  static {
    paramsInternals = {
      attach(p, url, search) { p.#url = url; p.#list = parseParams(search); },
      reparse(p, search) { p.#list = parseParams(search); },
    };
  }

  constructor(init = undefined) {
    if (init == null) {
      // empty
    } else if (typeof init === 'object' || typeof init === 'function') {
      const method = init[SymbolIterator];
      if (method === this[SymbolIterator] && #list in init) {
        this.#list = SafeArraySlice(init.#list);
      } else if (method != null) {
        if (typeof method !== 'function') {
          throw errors.makeNodeError(TypeError, 'ERR_ARG_NOT_ITERABLE', 'Query pairs must be iterable');
        }
        for (const pair of init) {
          if (pair == null || ((typeof pair !== 'object' && typeof pair !== 'function') ||
              typeof pair[SymbolIterator] !== 'function')) {
            throw invalidTuple();
          }
          if (ArrayIsArray(pair)) {
            if (pair.length !== 2) throw invalidTuple();
            ArrayPrototypePush(this.#list, usv(pair[0]), usv(pair[1]));
          } else {
            let length = 0;
            for (const element of pair) {
              length++;
              ArrayPrototypePush(this.#list, usv(element));
            }
            if (length !== 2) throw invalidTuple();
          }
        }
      } else {
        const visited = new Map();
        const keys = ReflectOwnKeys(init);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const desc = ReflectGetOwnPropertyDescriptor(init, key);
          if (desc !== undefined && desc.enumerable) {
            const k = usv(key);
            const v = usv(init[key]);
            if (MapPrototypeHas(visited, k)) this.#list[MapPrototypeGet(visited, k)] = v;
            else MapPrototypeSet(visited, k, ArrayPrototypePush(this.#list, k, v) - 1);
          }
        }
      }
    } else {
      this.#list = parseParams(usv(init));
    }
  }

  #check() {
    if (this === null || typeof this !== 'object' || !(#list in this)) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type URLSearchParams');
    }
  }

  #update() {
    if (this.#url !== null) urlInternals.setSearchFromParams(this.#url, serializeParams(this.#list));
  }

  get size() {
    this.#check();
    return this.#list.length / 2;
  }

  append(name, value) {
    this.#check();
    if (arguments.length < 2) throw missingArgs('name', 'value');
    ArrayPrototypePush(this.#list, usv(name), usv(value));
    this.#update();
  }

  delete(name, value = undefined) {
    this.#check();
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    name = usv(name);
    if (value !== undefined) {
      value = usv(value);
      for (let i = 0; i < list.length;) {
        if (list[i] === name && list[i + 1] === value) SafeArraySplice(list, i, 2);
        else i += 2;
      }
    } else {
      for (let i = 0; i < list.length;) {
        if (list[i] === name) SafeArraySplice(list, i, 2);
        else i += 2;
      }
    }
    this.#update();
  }

  get(name) {
    this.#check();
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    name = usv(name);
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) return list[i + 1];
    }
    return null;
  }

  getAll(name) {
    this.#check();
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    const values = [];
    name = usv(name);
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) ArrayPrototypePush(values, list[i + 1]);
    }
    return values;
  }

  has(name, value = undefined) {
    this.#check();
    if (arguments.length < 1) throw missingArgs('name');
    const list = this.#list;
    name = usv(name);
    if (value !== undefined) value = usv(value);
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
    }
    return false;
  }

  set(name, value) {
    this.#check();
    if (arguments.length < 2) throw missingArgs('name', 'value');
    const list = this.#list;
    name = usv(name);
    value = usv(value);
    let found = false;
    for (let i = 0; i < list.length;) {
      if (list[i] === name) {
        if (!found) {
          list[i + 1] = value;
          found = true;
          i += 2;
        } else {
          SafeArraySplice(list, i, 2);
        }
      } else {
        i += 2;
      }
    }
    if (!found) ArrayPrototypePush(list, name, value);
    this.#update();
  }

  sort() {
    this.#check();
    const list = this.#list;
    const pairs = [];
    for (let i = 0; i < list.length; i += 2) ArrayPrototypePush(pairs, [list[i], list[i + 1]]);
    // Stable sort by UTF-16 code units of the name.
    ArrayPrototypeSort(pairs, (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const sorted = [];
    for (let i = 0; i < pairs.length; i++) ArrayPrototypePush(sorted, pairs[i][0], pairs[i][1]);
    this.#list = sorted;
    this.#update();
  }

  forEach(callback, thisArg = undefined) {
    this.#check();
    errors.validateFunction(callback, 'callback');
    let list = this.#list;
    for (let i = 0; i < list.length; i += 2) {
      FunctionPrototypeCall(callback, thisArg, list[i + 1], list[i], this);
      list = this.#list;
    }
  }

  *#iter(kind) {
    for (let i = 0; i < this.#list.length; i += 2) {
      if (kind === 0) yield [this.#list[i], this.#list[i + 1]];
      else if (kind === 1) yield this.#list[i];
      else yield this.#list[i + 1];
    }
  }

  entries() { this.#check(); return makeIterator(this.#iter(0), 'URLSearchParams Iterator'); }
  keys() { this.#check(); return makeIterator(this.#iter(1), 'URLSearchParams Iterator'); }
  values() { this.#check(); return makeIterator(this.#iter(2), 'URLSearchParams Iterator'); }

  toString() {
    this.#check();
    return serializeParams(this.#list);
  }

  [customInspect](recurseTimes, ctx) {
    this.#check();
    if (typeof recurseTimes === 'number' && recurseTimes < 0) return ctx.stylize('[Object]', 'special');
    const { inspect, stripVTControlCharacters } = require('util');
    const innerOpts = { ...ctx };
    if (recurseTimes !== null) innerOpts.depth = recurseTimes - 1;
    const list = this.#list;
    const output = [];
    for (let i = 0; i < list.length; i += 2) {
      ArrayPrototypePush(output, `${inspect(list[i], innerOpts)} => ${inspect(list[i + 1], innerOpts)}`);
    }
    let length = -2;
    for (let i = 0; i < output.length; i++) length += stripVTControlCharacters(output[i]).length + 2;
    if (length > ctx.breakLength) return `${this.constructor.name} {\n  ${ArrayPrototypeJoin(output, ',\n  ')} }`;
    if (output.length) return `${this.constructor.name} { ${ArrayPrototypeJoin(output, ', ')} }`;
    return `${this.constructor.name} {}`;
  }
}
ObjectDefineProperty(URLSearchParams.prototype, SymbolIterator, {
  __proto__: null, value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
});
ObjectDefineProperty(URLSearchParams.prototype, SymbolToStringTag, {
  __proto__: null, value: 'URLSearchParams', configurable: true,
});
errors.enumerableInOrder(URLSearchParams.prototype, ['size', 'append', 'delete', 'get', 'getAll', 'has', 'set',
  'sort', 'entries', 'forEach', 'keys', 'values', 'toString']);

function invalidTuple() {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_TUPLE', 'Each query pair must be an iterable [name, value] tuple');
}

const ParamsIteratorPrototype = ObjectCreate(IteratorPrototype, {
  __proto__: null,
  next: {
    __proto__: null,
    value() { return GeneratorPrototypeNext(this._gen); },
    writable: true, configurable: true, enumerable: true,
  },
  [SymbolToStringTag]: { __proto__: null, value: 'URLSearchParams Iterator', configurable: true },
});
function makeIterator(gen) {
  const it = ObjectCreate(ParamsIteratorPrototype);
  ObjectDefineProperty(it, '_gen', { __proto__: null, value: gen });
  return it;
}

// ---- URL ----

let urlInternals;

function canParseNative(input, base) {
  return ops.check(native.url_parse(input, base)) !== null;
}

class URL {
  #c;
  #params = null;

  static {
    urlInternals = {
      setSearchFromParams(url, serialized) {
        const c = ops.check(native.url_set(url.#c[HREF], 'search', serialized === '' ? '' : `?${serialized}`));
        if (c) url.#c = c;
      },
    };
  }

  constructor(input, base = undefined) {
    if (arguments.length === 0) throw missingArgs('url');
    input = usv(input);
    if (base !== undefined) base = usv(base);
    const c = ops.check(native.url_parse(input, base));
    if (c === null) throw invalidUrl(input, base, true);
    this.#c = c;
  }

  static #check(self) {
    if (self === null || typeof self !== 'object' || !(#c in self)) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type URL');
    }
  }

  #set(component, value) {
    const c = ops.check(native.url_set(this.#c[HREF], component, usv(value)));
    if (c) {
      this.#c = c;
      if (this.#params !== null) paramsInternals.reparse(this.#params, c[SEARCH]);
    }
  }

  get href() { URL.#check(this); return this.#c[HREF]; }
  set href(value) {
    URL.#check(this);
    value = usv(value);
    const c = ops.check(native.url_set(this.#c[HREF], 'href', value));
    if (!c) throw invalidUrl(value);
    this.#c = c;
    if (this.#params !== null) paramsInternals.reparse(this.#params, c[SEARCH]);
  }
  get origin() { URL.#check(this); return this.#c[ORIGIN]; }
  get protocol() { URL.#check(this); return this.#c[PROTOCOL]; }
  set protocol(v) { URL.#check(this); this.#set('protocol', v); }
  get username() { URL.#check(this); return this.#c[USERNAME]; }
  set username(v) { URL.#check(this); this.#set('username', v); }
  get password() { URL.#check(this); return this.#c[PASSWORD]; }
  set password(v) { URL.#check(this); this.#set('password', v); }
  get host() { URL.#check(this); return this.#c[HOST]; }
  set host(v) { URL.#check(this); this.#set('host', v); }
  get hostname() { URL.#check(this); return this.#c[HOSTNAME]; }
  set hostname(v) { URL.#check(this); this.#set('hostname', v); }
  get port() { URL.#check(this); return this.#c[PORT]; }
  set port(v) { URL.#check(this); this.#set('port', v); }
  get pathname() { URL.#check(this); return this.#c[PATHNAME]; }
  set pathname(v) { URL.#check(this); this.#set('pathname', v); }
  get search() { URL.#check(this); return this.#c[SEARCH]; }
  set search(v) { URL.#check(this); this.#set('search', v); }
  get searchParams() {
    URL.#check(this);
    if (this.#params === null) {
      this.#params = new URLSearchParams();
      paramsInternals.attach(this.#params, this, this.#c[SEARCH]);
    }
    return this.#params;
  }
  get hash() { URL.#check(this); return this.#c[HASH]; }
  set hash(v) { URL.#check(this); this.#set('hash', v); }

  toString() { URL.#check(this); return this.#c[HREF]; }
  toJSON() { URL.#check(this); return this.#c[HREF]; }

  static parse(url, base = undefined) {
    if (arguments.length === 0) throw missingArgs('url');
    url = usv(url);
    if (base !== undefined) base = usv(base);
    return canParseNative(url, base) ? new URL(url, base) : null;
  }

  static canParse(url, base = undefined) {
    if (arguments.length === 0) throw missingArgs('url');
    url = usv(url);
    if (base !== undefined) base = usv(base);
    return canParseNative(url, base);
  }

  static createObjectURL(obj) {
    return require('blob').createObjectURL(obj);
  }

  static revokeObjectURL(url) {
    if (arguments.length === 0) throw missingArgs('url');
    require('blob').revokeObjectURL(url);
  }

  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    const constructor = this.constructor || URL;
    const obj = { __proto__: { constructor } };
    obj.href = this.href;
    obj.origin = this.origin;
    obj.protocol = this.protocol;
    obj.username = this.username;
    obj.password = this.password;
    obj.host = this.host;
    obj.hostname = this.hostname;
    obj.port = this.port;
    obj.pathname = this.pathname;
    obj.search = this.search;
    obj.searchParams = this.searchParams;
    obj.hash = this.hash;
    return `${constructor.name} ${require('util').inspect(obj, opts)}`;
  }
}
ObjectDefineProperty(URL.prototype, SymbolToStringTag, { __proto__: null, value: 'URL', configurable: true });
errors.enumerableInOrder(URL, ['parse', 'canParse', 'createObjectURL', 'revokeObjectURL']);
errors.enumerableInOrder(URL.prototype, ['toString', 'href', 'origin', 'protocol', 'username', 'password',
  'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toJSON']);

// A URL object (or one that looks like one, as Node's `isURL` accepts).
function isURL(self) {
  return self != null && typeof self === 'object' && typeof self.href === 'string' &&
    typeof self.protocol === 'string' && self.auth === undefined && self.path === undefined;
}

// url.fileURLToPath on Linux.
function fileURLToPath(path, hideFrom = fileURLToPath) {
  if (typeof path === 'string') path = new URL(path);
  else if (!isURL(path)) throw errors.invalidArgType('path', ['string', 'URL'], path, hideFrom);
  if (path.protocol !== 'file:') {
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file', hideFrom);
  }
  if (path.hostname !== '') {
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_FILE_URL_HOST',
      'File URL host must be "localhost" or empty on linux', hideFrom);
  }
  const pathname = path.pathname;
  for (let n = 0; n < pathname.length; n++) {
    if (pathname[n] === '%') {
      const third = StringPrototypeCharCodeAt(pathname, n + 2) | 0x20;
      if (pathname[n + 1] === '2' && third === 102) {
        throw errors.makeNodeError(TypeError, 'ERR_INVALID_FILE_URL_PATH',
          'File URL path must not include encoded / characters', hideFrom);
      }
    }
  }
  return decodeURIComponent(pathname);
}

exports.URL = URL;
exports.URLSearchParams = URLSearchParams;
exports.isURL = isURL;
exports.fileURLToPath = fileURLToPath;
