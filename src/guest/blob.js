'use strict';
// Blob and File (require('buffer') and the globals), in memory.

const {
  ArrayBuffer,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayPrototypePush,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  DateNow,
  Error,
  Map,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  MathMax,
  MathMin,
  NumberIsNaN,
  NumberPrototypeToString,
  ObjectDefineProperties,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  RangeError,
  RegExpPrototypeExec,
  SafeRegExpReplaceAll,
  SafeUint8ArraySlice,
  StringPrototypeSplit,
  StringPrototypeToLowerCase,
  SymbolFor,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const customInspect = SymbolFor('nodejs.util.inspect.custom');

const disallowedTypeCharacters = /[^\u0020-\u007E]/;
const lineEndings = /\n|\r\n/g;

function invalidThis() {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of type Blob');
}

// A copy of the bytes a source part stands for.
function bytesOf(source, endings, isBlob, blobBytes) {
  if (isBlob(source)) return blobBytes(source);
  if (ArrayBufferIsView(source)) {
    const typed = TypedArrayPrototypeGetSymbolToStringTag(source) !== undefined;
    const buffer = typed ? TypedArrayPrototypeGetBuffer(source) : DataViewPrototypeGetBuffer(source);
    const offset = typed ? TypedArrayPrototypeGetByteOffset(source) : DataViewPrototypeGetByteOffset(source);
    const length = typed ? TypedArrayPrototypeGetByteLength(source) : DataViewPrototypeGetByteLength(source);
    const out = new Uint8Array(length);
    TypedArrayPrototypeSet(out, new Uint8Array(buffer, offset, length));
    return out;
  }
  if (require('util').types.isArrayBuffer(source)) {
    const out = new Uint8Array(ArrayBufferPrototypeGetByteLength(source));
    TypedArrayPrototypeSet(out, new Uint8Array(source));
    return out;
  }
  let text = `${source}`;
  // 'native' line endings are '\n' here.
  if (endings === 'native') text = SafeRegExpReplaceAll(lineEndings, text, '\n');
  return new (require('encoding').TextEncoder)().encode(text);
}

function normalizeType(type) {
  type = `${type}`;
  return RegExpPrototypeExec(disallowedTypeCharacters, type) !== null ? '' : StringPrototypeToLowerCase(type);
}

function inspectAs(name, fields, depth, options) {
  const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
  return `${name} ${require('util').inspect(fields, opts)}`;
}

let makeBlob;
let hasBlobBytes;
let blobBytes;

class Blob {
  #bytes;
  #type;

  static {
    hasBlobBytes = (object) => #bytes in object;
    blobBytes = (blob) => blob.#bytes;
    makeBlob = (bytes, type) => {
      const blob = new Blob();
      blob.#bytes = bytes;
      blob.#type = type;
      return blob;
    };
  }

  constructor(sources = [], options = undefined) {
    if (sources === null || typeof sources[SymbolIterator] !== 'function' || typeof sources === 'string') {
      throw errors.invalidArgType('sources', 'a sequence', sources);
    }
    if (options != null && typeof options !== 'object' && typeof options !== 'function') {
      throw errors.invalidArgType('options', 'a dictionary', options);
    }
    let { type = '', endings = 'transparent' } = options ?? { __proto__: null };
    endings = `${endings}`;
    if (endings !== 'transparent' && endings !== 'native') {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `The property 'options.endings' is invalid. Received ${require('util').inspect(endings)}`);
    }
    // The guest's own iteration protocol, as Node uses it.
    const parts = [];
    let length = 0;
    for (const source of sources) {
      const bytes = bytesOf(source, endings, isBlob, (b) => b.#bytes);
      length += bytes.length;
      ArrayPrototypePush(parts, bytes);
    }
    const { kMaxLength } = require('buffer');
    if (length > kMaxLength) {
      throw errors.makeNodeError(RangeError, 'ERR_BUFFER_TOO_LARGE',
        `Cannot create a Buffer larger than ${kMaxLength} bytes`);
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (let i = 0; i < parts.length; i++) {
      TypedArrayPrototypeSet(bytes, parts[i], at);
      at += parts[i].length;
    }
    this.#bytes = bytes;
    this.#type = normalizeType(type);
  }

  get type() {
    if (!isBlob(this)) throw invalidThis();
    return this.#type;
  }

  get size() {
    if (!isBlob(this)) throw invalidThis();
    return this.#bytes.length;
  }

  slice(start = 0, end = isBlob(this) ? this.#bytes.length : 0, contentType = '') {
    if (!isBlob(this)) throw invalidThis();
    const size = this.#bytes.length;
    start = start < 0 ? MathMax(size + start, 0) : MathMin(start, size);
    end = end < 0 ? MathMax(size + end, 0) : MathMin(end, size);
    const span = MathMax(end - start, 0);
    const bytes = new Uint8Array(span);
    if (span > 0) TypedArrayPrototypeSet(bytes, new Uint8Array(TypedArrayPrototypeGetBuffer(this.#bytes), start, span));
    return makeBlob(bytes, normalizeType(contentType));
  }

  arrayBuffer() {
    if (!isBlob(this)) return PromiseReject(invalidThis());
    const bytes = this.#bytes;
    return new Promise((resolve) => {
      require('timers').queueMicrotask(() => {
        const out = new ArrayBuffer(bytes.length);
        TypedArrayPrototypeSet(new Uint8Array(out), bytes);
        resolve(out);
      });
    });
  }

  async text() {
    if (!isBlob(this)) throw invalidThis();
    return new (require('encoding').TextDecoder)().decode(await this.arrayBuffer());
  }

  bytes() {
    if (!isBlob(this)) throw invalidThis();
    return PromisePrototypeThen(this.arrayBuffer(), (buffer) => new Uint8Array(buffer));
  }

  // A byte stream of one chunk, a copy of the bytes, as Node's for a
  // Blob in memory.
  stream() {
    if (!isBlob(this)) throw invalidThis();
    const bytes = this.#bytes;
    const { ReadableStream } = require('stream_web');
    return new ReadableStream({
      type: 'bytes',
      start(controller) {
        if (bytes.length > 0) controller.enqueue(SafeUint8ArraySlice(bytes, 0, bytes.length));
        controller.close();
      },
    });
  }

  [customInspect](depth, options) {
    // Node's Blob has symbol keys, so too deep it prints as [Blob].
    if (depth < 0) return options.stylize('[Blob]', 'special');
    return inspectAs('Blob', { size: this.size, type: this.type }, depth, options);
  }
}

function isBlob(object) {
  return object !== null && typeof object === 'object' && hasBlobBytes(object);
}
errors.enumerableInOrder(Blob.prototype, ['type', 'size', 'slice', 'arrayBuffer', 'text', 'bytes', 'stream']);
ObjectDefineProperties(Blob.prototype, {
  __proto__: null,
  [SymbolToStringTag]: { __proto__: null, configurable: true, value: 'Blob' },
});

class File extends Blob {
  #name;
  #lastModified;

  constructor(fileBits, fileName, options = { __proto__: null }) {
    if (arguments.length < 2) {
      throw errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "fileBits" and "fileName" arguments must be specified');
    }
    super(fileBits, options);
    let { lastModified } = options ?? { __proto__: null };
    if (lastModified !== undefined) {
      lastModified = +lastModified;
      if (NumberIsNaN(lastModified)) lastModified = 0;
    } else {
      lastModified = DateNow();
    }
    this.#name = require('util_public').util.toUSVString(fileName);
    this.#lastModified = lastModified;
  }

  get name() { return this.#name; }

  get lastModified() { return this.#lastModified; }

  [customInspect](depth, options) {
    if (depth < 0) return options.stylize('[File]', 'special');
    return inspectAs('File', { size: this.size, type: this.type, name: this.#name, lastModified: this.#lastModified },
      depth, options);
  }
}
errors.enumerableInOrder(File.prototype, ['name', 'lastModified']);
ObjectDefineProperties(File.prototype, {
  __proto__: null,
  [SymbolToStringTag]: { __proto__: null, configurable: true, value: 'File' },
});

// ---- object URLs (blob:nodedata:<uuid>), for this process ----

const objectURLs = new Map();

function randomUUID() {
  const b = new Uint8Array(16);
  require('ops').check(native.random_fill(b));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let hex = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) hex += '-';
    hex += (b[i] < 16 ? '0' : '') + NumberPrototypeToString(b[i], 16);
  }
  return hex;
}

function createObjectURL(obj) {
  if (!isBlob(obj)) throw errors.invalidArgType('obj', 'Blob', obj, createObjectURL);
  const id = randomUUID();
  MapPrototypeSet(objectURLs, id, [blobBytes(obj), obj.type]);
  return `blob:nodedata:${id}`;
}

// The id of a blob:nodedata: URL, or undefined.
function objectURLId(url) {
  let parsed;
  try {
    parsed = new (require('url').URL)(`${url}`);
  } catch {
    return undefined;
  }
  const split = StringPrototypeSplit(parsed.pathname, ':');
  return split.length === 2 ? split : undefined;
}

function revokeObjectURL(url) {
  if (arguments.length === 0) {
    throw errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "url" argument must be specified', revokeObjectURL);
  }
  const split = objectURLId(url);
  if (split !== undefined) MapPrototypeDelete(objectURLs, split[1]);
}

// A new Blob with the data of the object URL `url`, or undefined.
function resolveObjectURL(url) {
  const split = objectURLId(url);
  if (split === undefined || split[0] !== 'nodedata') return undefined;
  const data = MapPrototypeGet(objectURLs, split[1]);
  return data === undefined ? undefined : makeBlob(data[0], data[1]);
}

exports.Blob = Blob;
exports.File = File;
exports.resolveObjectURL = resolveObjectURL;
exports.createObjectURL = createObjectURL;
exports.revokeObjectURL = revokeObjectURL;
