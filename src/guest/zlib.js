'use strict';
// require('zlib'): Node's zlib API (streams, callback and sync forms,
// brotli, crc32) over the kernel's zlib and brotli handles (kernel/zlib.rs).
// The handles work as Node's C++ binding does: each write fills a window
// of an output buffer the stream owns and reports, in `_writeState`, how
// much output room and input are left; this file drives them the way
// Node's zlib.js does, so chunking, flushing, events and errors match.
// Compressed bytes need not equal Node's (zlib-rs and the Rust brotli are
// other compressors); what any of them makes, the others read.

const {
  ArrayBufferIsView,
  ArrayPrototypePush,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  Error,
  FunctionPrototypeBind,
  MathMax,
  NumberIsFinite,
  NumberIsNaN,
  ObjectDefineProperties,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectKeys,
  ObjectSetPrototypeOf,
  RangeError,
  ReflectApply,
  StringPrototypeStartsWith,
  Symbol,
  TypedArrayPrototypeFill,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint32Array,
} = require('primordials');
const errors = require('errors');
const { check, callAsyncCallback } = require('ops');
const { nextTick } = require('timers');
const { Transform, finished } = require('stream').Stream;
const { api: bufferApi, kMaxLength } = require('buffer');
const { Buffer } = bufferApi;

const constants = {
  __proto__: null,
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, ZLIB_VERNUM: 4880,
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7,
  BROTLI_DECODE: 8, BROTLI_ENCODE: 9,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
  Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16384,
  Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
  Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2,
  BROTLI_OPERATION_EMIT_METADATA: 3,
  BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1, BROTLI_MODE_FONT: 2,
  BROTLI_DEFAULT_MODE: 0, BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0, BROTLI_MAX_QUALITY: 11,
  BROTLI_DEFAULT_QUALITY: 11, BROTLI_PARAM_LGWIN: 2, BROTLI_MIN_WINDOW_BITS: 10,
  BROTLI_MAX_WINDOW_BITS: 24, BROTLI_LARGE_MAX_WINDOW_BITS: 30, BROTLI_DEFAULT_WINDOW: 22,
  BROTLI_PARAM_LGBLOCK: 3, BROTLI_MIN_INPUT_BLOCK_BITS: 16, BROTLI_MAX_INPUT_BLOCK_BITS: 24,
  BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4, BROTLI_PARAM_SIZE_HINT: 5,
  BROTLI_PARAM_LARGE_WINDOW: 6, BROTLI_PARAM_NPOSTFIX: 7, BROTLI_PARAM_NDIRECT: 8,
  BROTLI_DECODER_RESULT_ERROR: 0, BROTLI_DECODER_RESULT_SUCCESS: 1,
  BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2, BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0, BROTLI_DECODER_PARAM_LARGE_WINDOW: 1,
  BROTLI_DECODER_NO_ERROR: 0, BROTLI_DECODER_SUCCESS: 1, BROTLI_DECODER_NEEDS_MORE_INPUT: 2,
  BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1, BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
  BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
  BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5, BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
  BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7, BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
  BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9, BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
  BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11, BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
  BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13, BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
  BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15, BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
  BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19, BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21, BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
  BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25, BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
  BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27, BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
  BROTLI_DECODER_ERROR_UNREACHABLE: -31,
};

const {
  Z_NO_FLUSH, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH, Z_BLOCK,
  Z_MIN_CHUNK, Z_DEFAULT_CHUNK, Z_MIN_WINDOWBITS, Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS,
  Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION, Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL, Z_DEFAULT_MEMLEVEL,
  Z_DEFAULT_STRATEGY, Z_FIXED,
  DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP, BROTLI_DECODE, BROTLI_ENCODE,
  BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_FLUSH, BROTLI_OPERATION_FINISH, BROTLI_OPERATION_EMIT_METADATA,
} = constants;

// Numbers to names and back, as Node's zlib.codes.
const codes = {
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
  Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
};
{
  const keys = ObjectKeys(codes);
  for (let i = 0; i < keys.length; i++) codes[codes[keys[i]]] = keys[i];
}
ObjectFreeze(codes);

const kFlushFlag = Symbol('kFlushFlag');
const kError = Symbol('kError');
const kOwner = Symbol('owner');

// How strong each flush is: the last chunk takes the stronger of the
// stream's flush and its finish flush.
const kFlushFlagList = [Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH];
const flushiness = [];
for (let i = 0; i < kFlushFlagList.length; i++) flushiness[kFlushFlagList[i]] = i;
function maxFlush(a, b) {
  return kFlushFlagList[MathMax(flushiness[a], flushiness[b])];
}

// Empty chunks that carry a flush through the stream's write queue.
const kFlushBuffers = [];
for (let i = 0; i < kFlushFlagList.length; i++) {
  const b = Buffer.alloc(0);
  b[kFlushFlag] = kFlushFlagList[i];
  kFlushBuffers[kFlushFlagList[i]] = b;
}

function bufferTooLarge(max, hideFrom) {
  return errors.makeNodeError(RangeError, 'ERR_BUFFER_TOO_LARGE',
    `Cannot create a Buffer larger than ${max} bytes`, hideFrom);
}

// ---- option checks (Node's checkFiniteNumber / checkRangesOrGetDefault) ----

function checkFiniteNumber(number, name) {
  if (number === undefined) return false;
  if (NumberIsFinite(number)) return true;
  if (NumberIsNaN(number)) return false;
  if (typeof number !== 'number') throw errors.invalidArgType(name, 'number', number);
  throw errors.outOfRange(name, 'a finite number', number);
}

function checkRangesOrGetDefault(number, name, lower, upper, def) {
  if (!checkFiniteNumber(number, name)) return def;
  if (number < lower || number > upper) throw errors.outOfRange(name, `>= ${lower} and <= ${upper}`, number);
  return number;
}

function isUint8Array(v) {
  return ArrayBufferIsView(v) && TypedArrayPrototypeGetSymbolToStringTag(v) === 'Uint8Array';
}

function isAnyArrayBuffer(v) {
  return require('util').types.isArrayBuffer(v);
}

// The byte length of any view (typed array or DataView).
function viewByteLength(v) {
  try {
    return TypedArrayPrototypeGetByteLength(v);
  } catch {
    return DataViewPrototypeGetByteLength(v);
  }
}

// A Buffer over the same memory as the view `v`.
function viewToBuffer(v) {
  let buffer, offset, length;
  try {
    buffer = TypedArrayPrototypeGetBuffer(v);
    offset = TypedArrayPrototypeGetByteOffset(v);
    length = TypedArrayPrototypeGetByteLength(v);
  } catch {
    buffer = DataViewPrototypeGetBuffer(v);
    offset = DataViewPrototypeGetByteOffset(v);
    length = DataViewPrototypeGetByteLength(v);
  }
  return Buffer.from(buffer, offset, length);
}

// ---- the binding: a kernel handle and Node's calls on it ----

class ZlibHandle {
  constructor(id) {
    this.id = id;
    this[kOwner] = null;
    this.buffer = null;
    this.cb = null;
    this.availOutBefore = 0;
    this.availInBefore = 0;
    this.inOff = 0;
    this.flushFlag = 0;
  }

  // A write whose result arrives in the poll phase, as from Node's thread pool.
  write(flush, input, inOff, inLen, out, outOff, outLen) {
    const self = this[kOwner];
    callAsyncCallback(native.zlib_write_async, undefined,
      [this.id, flush, input, inOff, inLen, out, outOff, outLen, self._writeState], (err, result) => {
        if (err) {
          self.destroy(err);
          return;
        }
        if (result !== undefined) {
          onError(this, result);
          return;
        }
        processCallback(this);
      });
  }

  writeSync(flush, input, inOff, inLen, out, outOff, outLen) {
    const self = this[kOwner];
    const result = check(native.zlib_write(this.id, flush, input, inOff, inLen, out, outOff, outLen,
      self._writeState), processChunkSync);
    if (result !== undefined) onError(this, result);
  }

  reset() {
    const result = check(native.zlib_reset(this.id), ZlibBase.prototype.reset);
    if (result !== undefined) onError(this, result);
  }

  params(level, strategy) {
    const result = check(native.zlib_params(this.id, level, strategy), Zlib.prototype.params);
    if (result !== undefined) onError(this, result);
  }

  close() {
    native.zlib_close(this.id);
  }
}

// The binding's onerror(message, errno, code): the stream fails with it.
function onError(handle, info) {
  const self = handle[kOwner];
  const error = new Error(info[0]);
  error.errno = +info[2];
  error.code = info[1];
  self.destroy(error);
  self[kError] = error;
}

// ---- ZlibBase: a Transform over a handle ----

function ZlibBase(opts, mode, handle, { flush, finishFlush, fullFlush }) {
  let chunkSize = Z_DEFAULT_CHUNK;
  let maxOutputLength = kMaxLength;
  const brotli = mode === BROTLI_ENCODE || mode === BROTLI_DECODE;
  const lowest = brotli ? BROTLI_OPERATION_PROCESS : Z_NO_FLUSH;
  const highest = brotli ? BROTLI_OPERATION_EMIT_METADATA : Z_BLOCK;
  if (opts) {
    chunkSize = opts.chunkSize;
    if (!checkFiniteNumber(chunkSize, 'options.chunkSize')) {
      chunkSize = Z_DEFAULT_CHUNK;
    } else if (chunkSize < Z_MIN_CHUNK) {
      throw errors.outOfRange('options.chunkSize', `>= ${Z_MIN_CHUNK}`, chunkSize);
    }
    flush = checkRangesOrGetDefault(opts.flush, 'options.flush', lowest, highest, flush);
    finishFlush = checkRangesOrGetDefault(opts.finishFlush, 'options.finishFlush', lowest, highest, finishFlush);
    maxOutputLength = checkRangesOrGetDefault(opts.maxOutputLength, 'options.maxOutputLength', 1, kMaxLength,
      kMaxLength);
    if (opts.encoding || opts.objectMode || opts.writableObjectMode) {
      opts = { ...opts };
      opts.encoding = null;
      opts.objectMode = false;
      opts.writableObjectMode = false;
    }
  }
  ReflectApply(Transform, this, [{ autoDestroy: true, ...opts }]);
  this[kError] = null;
  this.bytesWritten = 0;
  this._handle = handle;
  handle[kOwner] = this;
  this._outBuffer = Buffer.allocUnsafe(chunkSize);
  this._outOffset = 0;
  this._chunkSize = chunkSize;
  this._defaultFlushFlag = flush;
  this._finishFlushFlag = finishFlush;
  this._defaultFullFlushFlag = fullFlush;
  this._info = opts && opts.info;
  this._maxOutputLength = maxOutputLength;
}
ObjectSetPrototypeOf(ZlibBase.prototype, Transform.prototype);
ObjectSetPrototypeOf(ZlibBase, Transform);

ObjectDefineProperty(ZlibBase.prototype, '_closed', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() { return !this._handle; },
});

let bytesReadWarned = false;
function warnBytesRead() {
  if (bytesReadWarned) return;
  bytesReadWarned = true;
  require('process').getProcess().emitWarning(
    'zlib.bytesRead is deprecated and will change its meaning in the future. Use zlib.bytesWritten instead.',
    'DeprecationWarning', 'DEP0108');
}
ObjectDefineProperty(ZlibBase.prototype, 'bytesRead', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() {
    warnBytesRead();
    return this.bytesWritten;
  },
  set(value) {
    warnBytesRead();
    this.bytesWritten = value;
  },
});

ZlibBase.prototype.reset = function() {
  if (!this._handle) throw errors.makeNodeError(Error, 'ERR_INTERNAL_ASSERTION', 'zlib binding closed');
  return this._handle.reset();
};

ZlibBase.prototype._flush = function(callback) {
  this._transform(Buffer.alloc(0), '', callback);
};

ZlibBase.prototype._final = function(callback) {
  callback();
};

ZlibBase.prototype.flush = function(kind, callback) {
  if (typeof kind === 'function' || (kind === undefined && !callback)) {
    callback = kind;
    kind = this._defaultFullFlushFlag;
  }
  if (this.writableFinished) {
    if (callback) nextTick(callback);
  } else if (this.writableEnded) {
    if (callback) this.once('end', callback);
  } else {
    this.write(kFlushBuffers[kind], '', callback);
  }
};

ZlibBase.prototype.close = function(callback) {
  if (callback) finished(this, callback);
  this.destroy();
};

ZlibBase.prototype._destroy = function(err, callback) {
  close(this);
  callback(err);
};

ZlibBase.prototype._transform = function(chunk, encoding, cb) {
  let flushFlag = this._defaultFlushFlag;
  if (typeof chunk[kFlushFlag] === 'number') flushFlag = chunk[kFlushFlag];
  // The last chunk also carries the finish flush.
  if (this.writableEnded && this.writableLength === TypedArrayPrototypeGetByteLength(chunk)) {
    flushFlag = maxFlush(flushFlag, this._finishFlushFlag);
  }
  processChunk(this, chunk, flushFlag, cb);
};

ZlibBase.prototype._processChunk = function(chunk, flushFlag, cb) {
  if (typeof cb === 'function') processChunk(this, chunk, flushFlag, cb);
  else return processChunkSync(this, chunk, flushFlag);
};

function close(engine) {
  if (!engine._handle) return;
  engine._handle.close();
  engine._handle = null;
}

function processChunkSync(self, chunk, flushFlag) {
  let availInBefore = viewByteLength(chunk);
  let availOutBefore = self._chunkSize - self._outOffset;
  let inOff = 0;
  let availOutAfter;
  let availInAfter;
  let buffers = null;
  let nread = 0;
  let inputRead = 0;
  const state = self._writeState;
  const handle = self._handle;
  let buffer = self._outBuffer;
  let offset = self._outOffset;
  const chunkSize = self._chunkSize;
  let error;
  self.on('error', function onError(er) { error = er; });
  for (;;) {
    handle.writeSync(flushFlag, chunk, inOff, availInBefore, buffer, offset, availOutBefore);
    if (error) throw error;
    else if (self[kError]) throw self[kError];
    availOutAfter = state[0];
    availInAfter = state[1];
    const inDelta = availInBefore - availInAfter;
    inputRead += inDelta;
    const have = availOutBefore - availOutAfter;
    if (have > 0) {
      const out = buffer.slice(offset, offset + have);
      offset += have;
      if (!buffers) buffers = [out];
      else ArrayPrototypePush(buffers, out);
      nread += have;
      // The guest's limit, checked per chunk: a bomb stops here.
      if (nread > self._maxOutputLength) {
        close(self);
        throw bufferTooLarge(self._maxOutputLength, processChunkSync);
      }
    }
    // The output buffer is full, or used up: the next output goes to a new one.
    if (availOutAfter === 0 || offset >= chunkSize) {
      availOutBefore = chunkSize;
      offset = 0;
      buffer = Buffer.allocUnsafe(chunkSize);
    }
    if (availOutAfter === 0) {
      // More output is waiting: go again from where the input stopped.
      inOff += inDelta;
      availInBefore = availInAfter;
    } else {
      break;
    }
  }
  self.bytesWritten = inputRead;
  close(self);
  if (nread === 0) return Buffer.alloc(0);
  return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, nread);
}

function processChunk(self, chunk, flushFlag, cb) {
  const handle = self._handle;
  if (!handle) {
    nextTick(cb);
    return;
  }
  handle.buffer = chunk;
  handle.cb = cb;
  handle.availOutBefore = self._chunkSize - self._outOffset;
  handle.availInBefore = TypedArrayPrototypeGetByteLength(chunk);
  handle.inOff = 0;
  handle.flushFlag = flushFlag;
  handle.write(flushFlag, chunk, 0, handle.availInBefore, self._outBuffer, self._outOffset, handle.availOutBefore);
}

// A write finished: push its output, and go on while output is waiting.
function processCallback(handle) {
  const self = handle[kOwner];
  const state = self._writeState;
  if (self.destroyed) {
    handle.buffer = null;
    handle.cb();
    return;
  }
  const availOutAfter = state[0];
  const availInAfter = state[1];
  const inDelta = handle.availInBefore - availInAfter;
  self.bytesWritten += inDelta;
  const have = handle.availOutBefore - availOutAfter;
  let streamBufferIsFull = false;
  if (have > 0) {
    const out = self._outBuffer.slice(self._outOffset, self._outOffset + have);
    self._outOffset += have;
    streamBufferIsFull = !self.push(out);
  }
  if (self.destroyed) {
    handle.cb();
    return;
  }
  if (availOutAfter === 0 || self._outOffset >= self._chunkSize) {
    handle.availOutBefore = self._chunkSize;
    self._outOffset = 0;
    self._outBuffer = Buffer.allocUnsafe(self._chunkSize);
  }
  if (availOutAfter === 0) {
    handle.inOff += inDelta;
    handle.availInBefore = availInAfter;
    if (!streamBufferIsFull) {
      handle.write(handle.flushFlag, handle.buffer, handle.inOff, handle.availInBefore, self._outBuffer,
        self._outOffset, self._chunkSize);
    } else {
      // Backpressure: go on when the reader asks for more.
      const oldRead = self._read;
      self._read = (n) => {
        self._read = oldRead;
        handle.write(handle.flushFlag, handle.buffer, handle.inOff, handle.availInBefore, self._outBuffer,
          self._outOffset, self._chunkSize);
        self._read(n);
      };
    }
    return;
  }
  if (availInAfter > 0) {
    // Input left but room for output: the stream ended before the input
    // did (data after a deflate stream's end).
    self.push(null);
  }
  handle.buffer = null;
  handle.cb();
}

// ---- Zlib: the zlib (not brotli) streams ----

const zlibDefaultOpts = { flush: Z_NO_FLUSH, finishFlush: Z_FINISH, fullFlush: Z_FULL_FLUSH };

function Zlib(opts, mode) {
  let windowBits = Z_DEFAULT_WINDOWBITS;
  let level = Z_DEFAULT_COMPRESSION;
  let memLevel = Z_DEFAULT_MEMLEVEL;
  let strategy = Z_DEFAULT_STRATEGY;
  let dictionary;
  if (opts) {
    // For inflate, 0 (or none) means the window the stream's header names.
    if ((opts.windowBits == null || opts.windowBits === 0) && (mode === INFLATE || mode === GUNZIP || mode === UNZIP)) {
      windowBits = 0;
    } else {
      // An 8-bit window is valid for deflate but not gzip.
      const min = Z_MIN_WINDOWBITS + (mode === GZIP ? 1 : 0);
      windowBits = checkRangesOrGetDefault(opts.windowBits, 'options.windowBits', min, Z_MAX_WINDOWBITS,
        Z_DEFAULT_WINDOWBITS);
    }
    level = checkRangesOrGetDefault(opts.level, 'options.level', Z_MIN_LEVEL, Z_MAX_LEVEL, Z_DEFAULT_COMPRESSION);
    memLevel = checkRangesOrGetDefault(opts.memLevel, 'options.memLevel', Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL,
      Z_DEFAULT_MEMLEVEL);
    strategy = checkRangesOrGetDefault(opts.strategy, 'options.strategy', Z_DEFAULT_STRATEGY, Z_FIXED,
      Z_DEFAULT_STRATEGY);
    dictionary = opts.dictionary;
    if (dictionary !== undefined && !ArrayBufferIsView(dictionary)) {
      if (isAnyArrayBuffer(dictionary)) {
        dictionary = Buffer.from(dictionary);
      } else {
        throw errors.invalidArgType('options.dictionary', ['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'],
          dictionary);
      }
    }
  }
  this._writeState = new Uint32Array(2);
  const handle = new ZlibHandle(check(native.zlib_init(mode, windowBits, level, memLevel, strategy, dictionary),
    this.constructor));
  ReflectApply(ZlibBase, this, [opts, mode, handle, zlibDefaultOpts]);
  this._level = level;
  this._strategy = strategy;
}
ObjectSetPrototypeOf(Zlib.prototype, ZlibBase.prototype);
ObjectSetPrototypeOf(Zlib, ZlibBase);

Zlib.prototype.params = function params(level, strategy, callback) {
  checkRangesOrGetDefault(level, 'level', Z_MIN_LEVEL, Z_MAX_LEVEL);
  checkRangesOrGetDefault(strategy, 'strategy', Z_DEFAULT_STRATEGY, Z_FIXED);
  if (this._level !== level || this._strategy !== strategy) {
    this.flush(Z_SYNC_FLUSH, FunctionPrototypeBind(paramsAfterFlush, this, level, strategy, callback));
  } else {
    nextTick(callback);
  }
};

function paramsAfterFlush(level, strategy, callback) {
  if (!this._handle) throw errors.makeNodeError(Error, 'ERR_INTERNAL_ASSERTION', 'zlib binding closed');
  this._handle.params(level, strategy);
  if (!this.destroyed) {
    this._level = level;
    this._strategy = strategy;
    if (callback) callback();
  }
}

// The public classes: callable with or without `new`, as in Node.
function makeClass(name, mode, adjust) {
  const ctor = {
    [name]: function(opts) {
      if (!(this instanceof ctor)) return new ctor(opts);
      if (adjust !== undefined) opts = adjust(opts);
      ReflectApply(Zlib, this, [opts, mode]);
    },
  }[name];
  ObjectSetPrototypeOf(ctor.prototype, Zlib.prototype);
  ObjectSetPrototypeOf(ctor, Zlib);
  return ctor;
}

const Deflate = makeClass('Deflate', DEFLATE);
const Inflate = makeClass('Inflate', INFLATE);
const Gzip = makeClass('Gzip', GZIP);
const Gunzip = makeClass('Gunzip', GUNZIP);
// zlib refuses raw deflate with an 8-bit window; Node uses 9 instead.
const DeflateRaw = makeClass('DeflateRaw', DEFLATERAW, (opts) => {
  if (opts && opts.windowBits === 8) opts.windowBits = 9;
  return opts;
});
const InflateRaw = makeClass('InflateRaw', INFLATERAW);
const Unzip = makeClass('Unzip', UNZIP);

// ---- brotli ----

const kMaxBrotliParam = 8;
const brotliInitParamsArray = new Uint32Array(kMaxBrotliParam + 1);
const brotliDefaultOpts = {
  flush: BROTLI_OPERATION_PROCESS,
  finishFlush: BROTLI_OPERATION_FINISH,
  fullFlush: BROTLI_OPERATION_FLUSH,
};

function Brotli(opts, mode) {
  TypedArrayPrototypeFill(brotliInitParamsArray, -1);
  if (opts && opts.params) {
    const keys = ObjectKeys(opts.params);
    for (let i = 0; i < keys.length; i++) {
      const origKey = keys[i];
      const key = +origKey;
      if (NumberIsNaN(key) || key < 0 || key > kMaxBrotliParam || (brotliInitParamsArray[key] | 0) !== -1) {
        throw errors.makeNodeError(RangeError, 'ERR_BROTLI_INVALID_PARAM', `${origKey} is not a valid Brotli parameter`);
      }
      const value = opts.params[origKey];
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        throw errors.invalidArgType('options.params[key]', 'number', opts.params[origKey]);
      }
      brotliInitParamsArray[key] = value;
    }
  }
  this._writeState = new Uint32Array(2);
  const id = check(native.zlib_init_brotli(mode, brotliInitParamsArray), this.constructor);
  ReflectApply(ZlibBase, this, [opts, mode, new ZlibHandle(id), brotliDefaultOpts]);
}
ObjectSetPrototypeOf(Brotli.prototype, Zlib.prototype);
ObjectSetPrototypeOf(Brotli, Zlib);

function BrotliCompress(opts) {
  if (!(this instanceof BrotliCompress)) return new BrotliCompress(opts);
  ReflectApply(Brotli, this, [opts, BROTLI_ENCODE]);
}
ObjectSetPrototypeOf(BrotliCompress.prototype, Brotli.prototype);
ObjectSetPrototypeOf(BrotliCompress, Brotli);

function BrotliDecompress(opts) {
  if (!(this instanceof BrotliDecompress)) return new BrotliDecompress(opts);
  ReflectApply(Brotli, this, [opts, BROTLI_DECODE]);
}
ObjectSetPrototypeOf(BrotliDecompress.prototype, Brotli.prototype);
ObjectSetPrototypeOf(BrotliDecompress, Brotli);

// ---- one-shot forms ----

function zlibBuffer(engine, buffer, callback) {
  errors.validateFunction(callback, 'callback');
  // Streams take Uint8Arrays: other views and ArrayBuffers become Buffers
  // over the same memory.
  if (ArrayBufferIsView(buffer) && !isUint8Array(buffer)) {
    buffer = viewToBuffer(buffer);
  } else if (isAnyArrayBuffer(buffer)) {
    buffer = Buffer.from(buffer);
  }
  engine.buffers = null;
  engine.nread = 0;
  engine.cb = callback;
  engine.on('data', zlibBufferOnData);
  engine.on('error', zlibBufferOnError);
  engine.on('end', zlibBufferOnEnd);
  engine.end(buffer);
}

function zlibBufferOnData(chunk) {
  if (!this.buffers) this.buffers = [chunk];
  else ArrayPrototypePush(this.buffers, chunk);
  this.nread += chunk.length;
  if (this.nread > this._maxOutputLength) {
    this.close();
    this.removeAllListeners('end');
    this.cb(bufferTooLarge(this._maxOutputLength));
  }
}

function zlibBufferOnError(err) {
  this.removeAllListeners('end');
  this.cb(err);
}

function zlibBufferOnEnd() {
  let buf;
  if (this.nread === 0) {
    buf = Buffer.alloc(0);
  } else {
    const bufs = this.buffers;
    buf = bufs.length === 1 ? bufs[0] : Buffer.concat(bufs, this.nread);
  }
  this.close();
  if (this._info) this.cb(null, { buffer: buf, engine: this });
  else this.cb(null, buf);
}

function zlibBufferSync(engine, buffer) {
  if (typeof buffer === 'string') {
    buffer = Buffer.from(buffer);
  } else if (!ArrayBufferIsView(buffer)) {
    if (isAnyArrayBuffer(buffer)) {
      buffer = Buffer.from(buffer);
    } else {
      throw errors.invalidArgType('buffer', ['string', 'Buffer', 'TypedArray', 'DataView', 'ArrayBuffer'], buffer);
    }
  }
  buffer = processChunkSync(engine, buffer, engine._finishFlushFlag);
  if (engine._info) return { buffer, engine };
  return buffer;
}

function convenience(ctor, sync) {
  if (sync) {
    return function syncBufferWrapper(buffer, opts) {
      return zlibBufferSync(new ctor(opts), buffer);
    };
  }
  return function asyncBufferWrapper(buffer, opts, callback) {
    if (typeof opts === 'function') {
      callback = opts;
      opts = {};
    }
    return zlibBuffer(new ctor(opts), buffer, callback);
  };
}

function crc32(data, value = 0) {
  if (typeof data !== 'string' && !ArrayBufferIsView(data)) {
    throw errors.invalidArgType('data', ['Buffer', 'TypedArray', 'DataView', 'string'], data, crc32);
  }
  errors.validateInteger(value, 'value', 0, 4294967295, crc32);
  return check(native.zlib_crc32(data, value), crc32);
}

const api = {
  crc32,
  Deflate, Inflate, Gzip, Gunzip, DeflateRaw, InflateRaw, Unzip, BrotliCompress, BrotliDecompress,
  deflate: convenience(Deflate, false),
  deflateSync: convenience(Deflate, true),
  gzip: convenience(Gzip, false),
  gzipSync: convenience(Gzip, true),
  deflateRaw: convenience(DeflateRaw, false),
  deflateRawSync: convenience(DeflateRaw, true),
  unzip: convenience(Unzip, false),
  unzipSync: convenience(Unzip, true),
  inflate: convenience(Inflate, false),
  inflateSync: convenience(Inflate, true),
  gunzip: convenience(Gunzip, false),
  gunzipSync: convenience(Gunzip, true),
  inflateRaw: convenience(InflateRaw, false),
  inflateRawSync: convenience(InflateRaw, true),
  brotliCompress: convenience(BrotliCompress, false),
  brotliCompressSync: convenience(BrotliCompress, true),
  brotliDecompress: convenience(BrotliDecompress, false),
  brotliDecompressSync: convenience(BrotliDecompress, true),
};

function factory(ctor) {
  return { __proto__: null, configurable: true, enumerable: true, value: (options) => new ctor(options) };
}

ObjectDefineProperties(api, {
  __proto__: null,
  createDeflate: factory(Deflate),
  createInflate: factory(Inflate),
  createDeflateRaw: factory(DeflateRaw),
  createInflateRaw: factory(InflateRaw),
  createGzip: factory(Gzip),
  createGunzip: factory(Gunzip),
  createUnzip: factory(Unzip),
  createBrotliCompress: factory(BrotliCompress),
  createBrotliDecompress: factory(BrotliDecompress),
  constants: { __proto__: null, configurable: false, enumerable: true, value: constants },
  codes: { __proto__: null, enumerable: true, writable: false, value: codes },
});

// The zlib constants on the module itself, as Node still has them (deprecated).
{
  const keys = ObjectKeys(constants);
  for (let i = 0; i < keys.length; i++) {
    if (StringPrototypeStartsWith(keys[i], 'BROTLI')) continue;
    ObjectDefineProperty(api, keys[i], { __proto__: null, enumerable: false, value: constants[keys[i]], writable: false });
  }
}

// For CompressionStream: a stream's handle driven directly, chunk by chunk.
function createEngine(mode) {
  const ctor = { deflate: Deflate, inflate: Inflate, gzip: Gzip, gunzip: Gunzip, deflateRaw: DeflateRaw,
    inflateRaw: InflateRaw }[mode];
  const engine = new ctor();
  // Its errors are thrown from process(); the stream itself is never read.
  engine.on('error', () => {});
  return {
    process(chunk, last) {
      // processChunkSync closes the handle; run the write loop without that.
      return writeAll(engine, chunk === undefined ? Buffer.alloc(0) : chunk, last ? Z_FINISH : Z_NO_FLUSH);
    },
    close() { close(engine); },
  };
}

// processChunkSync's loop, keeping the handle open: the output chunks.
function writeAll(self, chunk, flushFlag) {
  if (typeof chunk === 'string') {
    chunk = Buffer.from(chunk);
  } else if (!ArrayBufferIsView(chunk)) {
    if (isAnyArrayBuffer(chunk)) chunk = Buffer.from(chunk);
    else throw errors.invalidArgType('chunk', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], chunk);
  } else if (!isUint8Array(chunk)) {
    chunk = viewToBuffer(chunk);
  }
  const out = [];
  let inOff = 0;
  let availIn = TypedArrayPrototypeGetByteLength(chunk);
  const state = self._writeState;
  for (;;) {
    const buffer = Buffer.allocUnsafe(self._chunkSize);
    self._handle.writeSync(flushFlag, chunk, inOff, availIn, buffer, 0, self._chunkSize);
    if (self[kError]) throw self[kError];
    const have = self._chunkSize - state[0];
    if (have > 0) ArrayPrototypePush(out, buffer.slice(0, have));
    inOff += availIn - state[1];
    availIn = state[1];
    if (state[0] !== 0) break;
  }
  return out;
}

exports.api = api;
exports.createEngine = createEngine;
