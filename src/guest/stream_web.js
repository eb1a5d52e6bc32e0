'use strict';
// require('stream/web') and the web stream globals: the WHATWG streams of
// web-streams-polyfill (the `wsp/ponyfill` module, see vendor.rs), shown by
// inspect as Node shows them; TextEncoderStream, TextDecoderStream,
// CompressionStream and DecompressionStream over them; and the adapters
// between web streams and Node's (Readable.fromWeb/toWeb and the like).

const {
  ArrayPrototypePush,
  ObjectDefineProperty,
  ObjectKeys,
  Promise,
  PromisePrototypeThen,
  PromiseResolve,
  SafeArrayFilter,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  SymbolFor,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const { nextTick } = require('timers');

const web = require('wsp/ponyfill');
const {
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  ReadableByteStreamController,
  ReadableStream,
  TransformStream,
  WritableStream,
} = web;

const kInspect = SymbolFor('nodejs.util.inspect.custom');

// `Name { ...data }` as Node's web streams print themselves.
function defineInspect(Ctor, data) {
  ObjectDefineProperty(Ctor.prototype, kInspect, {
    __proto__: null,
    configurable: true,
    writable: true,
    value: function(depth, options, inspect) {
      if (depth < 0) return this;
      const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
      return `${Ctor.name} ${inspect(data(this), opts)}`;
    },
  });
}

defineInspect(ReadableStream, (s) => ({
  locked: s.locked,
  state: s._state,
  supportsBYOB: s._readableStreamController instanceof ReadableByteStreamController,
}));
defineInspect(WritableStream, (s) => ({ locked: s.locked, state: s._state }));

// Node's `kIsClosedPromise`: `{ promise }`, settled when the stream closes
// or errors (vendor.rs hooks the polyfill's close and error steps), which
// stream.finished() and undici's fetch wait on.
const kIsClosedPromise = SymbolFor('nodejs.webstream.isClosedPromise');
ObjectDefineProperty(ReadableStream.prototype, kIsClosedPromise, {
  __proto__: null,
  configurable: true,
  get() {
    if (this._seClosed === undefined) {
      let resolve, reject;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      // Nobody may be waiting: an error must not be an unhandled rejection.
      PromisePrototypeThen(promise, undefined, () => {});
      ObjectDefineProperty(this, '_seClosed', {
        __proto__: null, value: { promise, resolve, reject }, writable: true, configurable: true,
      });
      if (this._state === 'closed') resolve();
      else if (this._state === 'errored') reject(this._storedError);
    }
    return this._seClosed;
  },
});
// The state Node's web streams show node:stream's utilities (isReadable,
// isErrored, isDisturbed): undici's fetch errors a response body only while
// isReadable() says it is readable, so without them a body whose
// connection ended midway never settled.
function defineStateGetters(Ctor, getters) {
  for (const name of ObjectKeys(getters)) {
    ObjectDefineProperty(Ctor.prototype, SymbolFor(name), { __proto__: null, configurable: true, get: getters[name] });
  }
}
defineStateGetters(ReadableStream, {
  'nodejs.stream.readable': function() { return this._state === 'readable'; },
  'nodejs.stream.errored': function() { return this._state === 'errored'; },
  'nodejs.stream.disturbed': function() { return this._disturbed === true; },
});
defineStateGetters(WritableStream, {
  'nodejs.stream.writable': function() { return this._state === 'writable'; },
  'nodejs.stream.errored': function() { return this._state === 'errored'; },
});
defineInspect(TransformStream, (s) => ({ readable: s.readable, writable: s.writable, backpressure: s._backpressure }));
defineInspect(ByteLengthQueuingStrategy, (s) => ({ highWaterMark: s.highWaterMark }));
defineInspect(CountQueuingStrategy, (s) => ({ highWaterMark: s.highWaterMark }));

class TextEncoderStream {
  #transform;
  #pendingHighSurrogate = null;

  constructor() {
    const { TextEncoder } = require('encoding');
    const encoder = new TextEncoder();
    this.#transform = new TransformStream({
      transform: (chunk, controller) => {
        let text = `${chunk}`;
        if (this.#pendingHighSurrogate !== null) text = this.#pendingHighSurrogate + text;
        const last = StringPrototypeCharCodeAt(text, text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          this.#pendingHighSurrogate = StringPrototypeSlice(text, -1);
          text = StringPrototypeSlice(text, 0, -1);
        } else {
          this.#pendingHighSurrogate = null;
        }
        if (text !== '') controller.enqueue(encoder.encode(text));
      },
      flush: (controller) => {
        if (this.#pendingHighSurrogate !== null) controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
      },
    });
  }

  get encoding() { return 'utf-8'; }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}
defineInspect(TextEncoderStream, (s) => ({ encoding: s.encoding, readable: s.readable, writable: s.writable }));

class TextDecoderStream {
  #transform;
  #decoder;

  constructor(encoding = 'utf-8', options = { __proto__: null }) {
    const { TextDecoder } = require('encoding');
    const decoder = new TextDecoder(encoding, options);
    this.#decoder = decoder;
    this.#transform = new TransformStream({
      transform: (chunk, controller) => {
        const text = decoder.decode(chunk, { __proto__: null, stream: true });
        if (text !== '') controller.enqueue(text);
      },
      flush: (controller) => {
        const text = decoder.decode();
        if (text !== '') controller.enqueue(text);
      },
    });
  }

  get encoding() { return this.#decoder.encoding; }
  get fatal() { return this.#decoder.fatal; }
  get ignoreBOM() { return this.#decoder.ignoreBOM; }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}
defineInspect(TextDecoderStream, (s) => ({
  encoding: s.encoding, fatal: s.fatal, ignoreBOM: s.ignoreBOM, readable: s.readable, writable: s.writable,
}));

// Compression through a zlib handle: each chunk is processed as it is
// written, and the end flushes the rest.
function zlibTransform(format, compress, hideFrom) {
  if (format !== 'deflate' && format !== 'gzip' && format !== 'deflate-raw') {
    const shown = require('util').inspect(format);
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'format' is invalid. Received ${shown}`, hideFrom);
  }
  const zlib = require('zlib');
  const mode = format === 'gzip' ? (compress ? 'gzip' : 'gunzip')
    : format === 'deflate' ? (compress ? 'deflate' : 'inflate') : (compress ? 'deflateRaw' : 'inflateRaw');
  const engine = zlib.createEngine(mode);
  return new TransformStream({
    transform(chunk, controller) {
      const out = engine.process(chunk, false);
      for (let i = 0; i < out.length; i++) controller.enqueue(out[i]);
    },
    flush(controller) {
      const out = engine.process(undefined, true);
      for (let i = 0; i < out.length; i++) controller.enqueue(out[i]);
      engine.close();
    },
  });
}

class CompressionStream {
  #transform;
  constructor(format) { this.#transform = zlibTransform(format, true, CompressionStream); }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}
defineInspect(CompressionStream, (s) => ({ readable: s.readable, writable: s.writable }));

class DecompressionStream {
  #transform;
  constructor(format) { this.#transform = zlibTransform(format, false, DecompressionStream); }
  get readable() { return this.#transform.readable; }
  get writable() { return this.#transform.writable; }
}
defineInspect(DecompressionStream, (s) => ({ readable: s.readable, writable: s.writable }));

// ---- adapters between Node's streams and web streams ----

function streams() { return require('stream').Stream; }

function isReadableStream(v) { return v instanceof ReadableStream; }
function isWritableStream(v) { return v instanceof WritableStream; }

// A callback that throws is thrown from its own tick, as in Node.
function callSafely(fn, arg) {
  try {
    fn(arg);
  } catch (err) {
    nextTick(() => { throw err; });
  }
}

function newStreamReadableFromReadableStream(readableStream, options = { __proto__: null }) {
  if (!isReadableStream(readableStream)) {
    throw errors.invalidArgType('readableStream', 'ReadableStream', readableStream);
  }
  errors.validateObject(options, 'options');
  const { highWaterMark, encoding, objectMode = false, signal } = options;
  const { Readable, destroy } = streams();
  const reader = readableStream.getReader();
  let closed = false;
  const readable = new Readable({
    objectMode,
    highWaterMark,
    encoding,
    signal,
    read() {
      PromisePrototypeThen(reader.read(), (chunk) => {
        if (chunk.done) readable.push(null);
        else readable.push(chunk.value);
      }, (error) => destroy(readable, error));
    },
    destroy(error, callback) {
      const done = () => callSafely(callback, error);
      if (!closed) {
        PromisePrototypeThen(reader.cancel(error), done, done);
        return;
      }
      done();
    },
  });
  PromisePrototypeThen(reader.closed, () => { closed = true; }, (error) => {
    closed = true;
    destroy(readable, error);
  });
  return readable;
}

function newReadableStreamFromStreamReadable(streamReadable, options = { __proto__: null }) {
  if (streamReadable == null || typeof streamReadable._readableState !== 'object') {
    throw errors.invalidArgType('streamReadable', 'stream.Readable', streamReadable);
  }
  const { isDestroyed, isReadable, finished, destroy } = streams();
  if (isDestroyed(streamReadable) || !isReadable(streamReadable)) {
    const readable = new ReadableStream();
    readable.cancel();
    return readable;
  }
  const objectMode = streamReadable.readableObjectMode;
  const highWaterMark = streamReadable.readableHighWaterMark;
  const strategy = options.strategy ||
    (objectMode ? new CountQueuingStrategy({ highWaterMark }) : new ByteLengthQueuingStrategy({ highWaterMark }));
  let controller;
  function onData(chunk) {
    const { Buffer } = require('buffer').api;
    if (Buffer.isBuffer(chunk) && !objectMode) chunk = new Uint8Array(chunk);
    controller.enqueue(chunk);
    if (controller.desiredSize <= 0) streamReadable.pause();
  }
  function onClose(error) {
    cleanup();
    streamReadable.on('error', () => {});
    if (error) return controller.error(error);
    controller.close();
  }
  streamReadable.on('data', onData);
  const cleanup = finished(streamReadable, onClose);
  streamReadable.pause();
  return new ReadableStream({
    start(c) { controller = c; },
    pull() { streamReadable.resume(); },
    cancel(reason) { destroy(streamReadable, reason); },
  }, strategy);
}

function newStreamWritableFromWritableStream(writableStream, options = { __proto__: null }) {
  if (!isWritableStream(writableStream)) {
    throw errors.invalidArgType('writableStream', 'WritableStream', writableStream);
  }
  errors.validateObject(options, 'options');
  const { highWaterMark, decodeStrings = true, objectMode = false, signal } = options;
  const { Writable, destroy } = streams();
  const { ERR_STREAM_PREMATURE_CLOSE } = require('stream_shims').errors.codes;
  const writer = writableStream.getWriter();
  let closed = false;
  const writable = new Writable({
    highWaterMark,
    objectMode,
    decodeStrings,
    signal,
    writev(chunks, callback) {
      const done = (error) => {
        const failed = SafeArrayFilter(error || [], (e) => e);
        try {
          callback(failed.length === 0 ? undefined : failed[0]);
        } catch (err) {
          nextTick(() => destroy(writable, err));
        }
      };
      PromisePrototypeThen(writer.ready, () => {
        // Settles once every write has: with the errors, as Promise.all would.
        const failed = [];
        let left = chunks.length;
        const one = () => { if (--left === 0) done(failed); };
        for (let i = 0; i < chunks.length; i++) {
          PromisePrototypeThen(writer.write(chunks[i].chunk), one, (e) => { ArrayPrototypePush(failed, e); one(); });
        }
        if (chunks.length === 0) done(failed);
      }, (e) => done([e]));
    },
    write(chunk, encoding, callback) {
      if (typeof chunk === 'string' && decodeStrings && !objectMode) {
        const b = require('buffer').api.Buffer.from(chunk, encoding);
        chunk = new Uint8Array(TypedArrayPrototypeGetBuffer(b), TypedArrayPrototypeGetByteOffset(b),
          TypedArrayPrototypeGetByteLength(b));
      }
      const done = (error) => {
        try {
          callback(error);
        } catch (err) {
          destroy(writable, err);
        }
      };
      PromisePrototypeThen(writer.ready, () => {
        PromisePrototypeThen(writer.write(chunk), () => done(), done);
      }, done);
    },
    destroy(error, callback) {
      const done = () => callSafely(callback, error);
      if (!closed) {
        if (error != null) PromisePrototypeThen(writer.abort(error), done, done);
        else PromisePrototypeThen(writer.close(), done, done);
        return;
      }
      done();
    },
    final(callback) {
      const done = (error) => {
        try {
          callback(error);
        } catch (err) {
          nextTick(() => destroy(writable, err));
        }
      };
      if (!closed) PromisePrototypeThen(writer.close(), () => done(), done);
    },
  });
  PromisePrototypeThen(writer.closed, () => {
    closed = true;
    if (!writable.writableEnded) destroy(writable, ERR_STREAM_PREMATURE_CLOSE());
  }, (error) => {
    closed = true;
    destroy(writable, error);
  });
  return writable;
}

function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function newWritableStreamFromStreamWritable(streamWritable) {
  if (streamWritable == null || typeof streamWritable._writableState !== 'object') {
    throw errors.invalidArgType('streamWritable', 'stream.Writable', streamWritable);
  }
  const { isDestroyed, isWritable, finished, destroy } = streams();
  if (isDestroyed(streamWritable) || !isWritable(streamWritable)) {
    const writable = new WritableStream();
    writable.close();
    return writable;
  }
  const { AbortError } = require('stream_shims').errors;
  const highWaterMark = streamWritable.writableHighWaterMark;
  const strategy = streamWritable.writableObjectMode ? new CountQueuingStrategy({ highWaterMark }) : { highWaterMark };
  let controller;
  let backpressure;
  let closed;
  const cleanup = finished(streamWritable, (error) => {
    if (error && error.code === 'ERR_STREAM_PREMATURE_CLOSE') error = new AbortError(undefined, { cause: error });
    cleanup();
    streamWritable.on('error', () => {});
    if (error != null) {
      if (backpressure !== undefined) backpressure.reject(error);
      if (closed !== undefined) {
        closed.reject(error);
        closed = undefined;
      }
      controller.error(error);
      controller = undefined;
      return;
    }
    if (closed !== undefined) {
      closed.resolve();
      closed = undefined;
      return;
    }
    controller.error(new AbortError());
    controller = undefined;
  });
  streamWritable.on('drain', () => { if (backpressure !== undefined) backpressure.resolve(); });
  return new WritableStream({
    start(c) { controller = c; },
    write(chunk) {
      if (streamWritable.writableNeedDrain || !streamWritable.write(chunk)) {
        backpressure = deferred();
        const clear = () => { backpressure = undefined; };
        return PromisePrototypeThen(backpressure.promise, clear, (e) => { clear(); throw e; });
      }
    },
    abort(reason) { destroy(streamWritable, reason); },
    close() {
      if (closed === undefined && !streamWritable.writableEnded) {
        closed = deferred();
        streamWritable.end();
        return closed.promise;
      }
      controller = undefined;
      return PromiseResolve();
    },
  }, strategy);
}

function newStreamDuplexFromReadableWritablePair(pair = { __proto__: null }, options = { __proto__: null }) {
  errors.validateObject(pair, 'pair');
  const { readable: readableStream, writable: writableStream } = pair;
  if (!isReadableStream(readableStream)) {
    throw errors.invalidArgType('pair.readable', 'ReadableStream', readableStream);
  }
  if (!isWritableStream(writableStream)) {
    throw errors.invalidArgType('pair.writable', 'WritableStream', writableStream);
  }
  const { Duplex } = streams();
  const readable = newStreamReadableFromReadableStream(readableStream, options);
  const writable = newStreamWritableFromWritableStream(writableStream, options);
  return Duplex.from({ readable, writable });
}

function newReadableWritablePairFromDuplex(duplex) {
  if (duplex == null || typeof duplex._writableState !== 'object' || typeof duplex._readableState !== 'object') {
    throw errors.invalidArgType('duplex', 'stream.Duplex', duplex);
  }
  const writable = newWritableStreamFromStreamWritable(duplex);
  const readable = newReadableStreamFromStreamReadable(duplex);
  return { writable, readable };
}

exports.adapters = {
  __proto__: null,
  newStreamReadableFromReadableStream,
  newReadableStreamFromStreamReadable,
  newStreamWritableFromWritableStream,
  newWritableStreamFromStreamWritable,
  newStreamDuplexFromReadableWritablePair,
  newReadableWritablePairFromDuplex,
};

const api = {
  ReadableStream,
  ReadableStreamDefaultReader: web.ReadableStreamDefaultReader,
  ReadableStreamBYOBReader: web.ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest: web.ReadableStreamBYOBRequest,
  ReadableByteStreamController,
  ReadableStreamDefaultController: web.ReadableStreamDefaultController,
  TransformStream,
  TransformStreamDefaultController: web.TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultWriter: web.WritableStreamDefaultWriter,
  WritableStreamDefaultController: web.WritableStreamDefaultController,
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  TextEncoderStream,
  TextDecoderStream,
  CompressionStream,
  DecompressionStream,
};
exports.api = api;
// Each class also by name, for the globals (bootstrap.js).
const names = ObjectKeys(api);
for (let i = 0; i < names.length; i++) exports[names[i]] = api[names[i]];
