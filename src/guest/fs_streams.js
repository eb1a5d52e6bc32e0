'use strict';
// fs.createReadStream / createWriteStream: file streams with Node's events
// ('open', 'ready', 'data', 'end', 'finish', 'close', 'error'), pause and
// resume, pipe, and async iteration. They are EventEmitters over the fs
// ops until node:stream exists; `instanceof stream.Readable` is false.

const {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  Error,
  MathMin,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  SymbolAsyncIterator,
  TypedArrayPrototypeGetByteLength,
} = require('primordials');
const errors = require('errors');
const { check } = require('ops');
const { EventEmitter } = require('events');
const { nextTick, setImmediate } = require('timers');
const fs = require('fs');

let BufferCtor;
function buffer() {
  if (BufferCtor === undefined) BufferCtor = require('buffer').Buffer;
  return BufferCtor;
}

const kDefaultHighWaterMark = 64 * 1024;

// The fd of a stream made over `options.fd` (a number or a FileHandle).
function fdOf(fd) {
  if (fd === undefined || fd === null) return undefined;
  if (typeof fd === 'object' && typeof fd.fd === 'number') return fd.fd;
  return fs.getFd(fd);
}

class ReadStream extends EventEmitter {
  constructor(path, options) {
    super();
    options = fs.getOptions(options, { __proto__: null });
    this.fd = fdOf(options.fd);
    this.path = this.fd === undefined ? fs.getPath(path, 'path') : undefined;
    this.flags = options.flags === undefined ? 'r' : options.flags;
    this.mode = options.mode === undefined ? 0o666 : options.mode;
    this.start = options.start;
    this.end = options.end === undefined ? Infinity : options.end;
    if (this.start !== undefined) errors.validateInteger(this.start, 'start', 0);
    if (options.end !== undefined) errors.validateInteger(this.end, 'end', 0);
    if (this.start !== undefined && this.start > this.end) {
      throw errors.outOfRange('start', `<= "end" (here: ${this.end})`, this.start);
    }
    this.pos = this.start;
    this.highWaterMark = options.highWaterMark || kDefaultHighWaterMark;
    this.autoClose = options.autoClose !== false;
    this.emitClose = options.emitClose !== false;
    this.bytesRead = 0;
    this.pending = true;
    this.readable = true;
    this.destroyed = false;
    this.closed = false;
    this._encoding = options.encoding || null;
    this._flowing = null;
    this._scheduled = false;
    this._ended = false;
    if (this._encoding) fs.assertEncoding(this._encoding);
    nextTick(() => this._open());
  }

  _open() {
    if (this.destroyed) return;
    if (this.fd === undefined) {
      try {
        this.fd = fs.api.openSync(this.path, this.flags, this.mode);
      } catch (e) {
        this.destroy(e);
        return;
      }
    }
    this.pending = false;
    this.emit('open', this.fd);
    this.emit('ready');
    this._schedule();
  }

  on(event, fn) {
    super.on(event, fn);
    if (event === 'data' && this._flowing !== false) this.resume();
    return this;
  }

  setEncoding(enc) {
    fs.assertEncoding(enc);
    this._encoding = enc;
    return this;
  }

  pause() {
    this._flowing = false;
    return this;
  }

  resume() {
    this._flowing = true;
    this._schedule();
    return this;
  }

  isPaused() {
    return this._flowing === false;
  }

  _schedule() {
    if (this._scheduled || !this._flowing || this.pending || this.destroyed || this._ended) return;
    this._scheduled = true;
    setImmediate(() => {
      this._scheduled = false;
      this._readChunk();
    });
  }

  _readChunk() {
    if (!this._flowing || this.destroyed || this._ended) return;
    let want = this.highWaterMark;
    if (this.pos !== undefined) want = MathMin(want, this.end - this.pos + 1);
    else if (this.end !== Infinity) want = MathMin(want, this.end - this.bytesRead + 1);
    let n = 0;
    const buf = buffer().allocUnsafe(want > 0 ? want : 0);
    try {
      if (want > 0) n = check(native.fs_read(this.fd, buf, this.pos === undefined ? -1 : this.pos), this._readChunk);
    } catch (e) {
      this.destroy(e);
      return;
    }
    if (n === 0) {
      this._ended = true;
      this.readable = false;
      this.emit('end');
      if (this.autoClose) this.destroy();
      return;
    }
    if (this.pos !== undefined) this.pos += n;
    this.bytesRead += n;
    const chunk = n === want ? buf : buf.subarray(0, n);
    this.emit('data', this._encoding ? chunk.toString(this._encoding) : chunk);
    this._schedule();
  }

  pipe(dest, options) {
    const end = !options || options.end !== false;
    this.on('data', (chunk) => {
      if (dest.write(chunk) === false && typeof dest.once === 'function') {
        this.pause();
        dest.once('drain', () => this.resume());
      }
    });
    if (end) this.on('end', () => dest.end());
    if (typeof dest.emit === 'function') dest.emit('pipe', this);
    return dest;
  }

  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.readable = false;
    const finish = () => {
      this.closed = true;
      if (err) this.emit('error', err);
      if (this.emitClose) this.emit('close');
    };
    if (this.fd !== undefined && this.autoClose) {
      const fd = this.fd;
      this.fd = null;
      try { fs.api.closeSync(fd); } catch { /* already closed */ }
    }
    nextTick(finish);
    return this;
  }

  close(cb) {
    if (typeof cb === 'function') this.once('close', cb);
    this.destroy();
  }

  [SymbolAsyncIterator]() {
    const queue = [];
    let done = false, failure = null, wake = null;
    const notify = () => { if (wake !== null) { const w = wake; wake = null; w(); } };
    this.on('data', (c) => { ArrayPrototypePush(queue, c); notify(); });
    this.on('end', () => { done = true; notify(); });
    this.on('error', (e) => { failure = e; notify(); });
    this.on('close', () => { done = true; notify(); });
    const next = () => {
      if (queue.length > 0) return PromiseResolve({ value: ArrayPrototypeShift(queue), done: false });
      if (failure !== null) { const e = failure; failure = null; return PromiseReject(e); }
      if (done) return PromiseResolve({ value: undefined, done: true });
      return PromisePrototypeThen(new Promise((resolve) => { wake = resolve; }), next);
    };
    return {
      next,
      return: () => { this.destroy(); return PromiseResolve({ value: undefined, done: true }); },
      [SymbolAsyncIterator]() { return this; },
    };
  }
}

class WriteStream extends EventEmitter {
  constructor(path, options) {
    super();
    options = fs.getOptions(options, { __proto__: null });
    this.fd = fdOf(options.fd);
    this.path = this.fd === undefined ? fs.getPath(path, 'path') : undefined;
    this.flags = options.flags === undefined ? 'w' : options.flags;
    this.mode = options.mode === undefined ? 0o666 : options.mode;
    this.start = options.start;
    if (this.start !== undefined) errors.validateInteger(this.start, 'start', 0);
    this.pos = this.start;
    this.autoClose = options.autoClose !== false;
    this.emitClose = options.emitClose !== false;
    this.bytesWritten = 0;
    this.pending = true;
    this.writable = true;
    this.destroyed = false;
    this.closed = false;
    this.writableEnded = false;
    this.writableFinished = false;
    this._encoding = options.encoding || 'utf8';
    // Open now: writes made before 'open' must land in order.
    if (this.fd === undefined) {
      try {
        this.fd = fs.api.openSync(this.path, this.flags, this.mode);
      } catch (e) {
        this.fd = undefined;
        nextTick(() => this.destroy(e));
        return;
      }
    }
    nextTick(() => {
      if (this.destroyed) return;
      this.pending = false;
      this.emit('open', this.fd);
      this.emit('ready');
    });
  }

  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (this.writableEnded) {
      const err = errors.makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      nextTick(() => { if (cb) cb(err); this.emit('error', err); });
      return false;
    }
    const data = fs.toData(chunk, encoding || this._encoding, 'chunk');
    let err = null;
    try {
      if (this.fd === undefined || this.fd === null) throw new Error('stream is not open');
      const n = check(native.fs_write(this.fd, data, this.pos === undefined ? -1 : this.pos), this.write);
      if (this.pos !== undefined) this.pos += n;
      this.bytesWritten += typeof data === 'string' ? n : TypedArrayPrototypeGetByteLength(data);
    } catch (e) {
      err = e;
    }
    nextTick(() => {
      if (cb) cb(err);
      if (err) this.destroy(err);
    });
    return true;
  }

  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (this.writableEnded) return this;
    this.writableEnded = true;
    this.writable = false;
    nextTick(() => {
      if (this.destroyed) return;
      this.writableFinished = true;
      // As Node: end()'s callback runs just before 'finish' is emitted.
      if (cb) cb();
      this.emit('finish');
      if (this.autoClose) this.destroy();
    });
    return this;
  }

  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.writable = false;
    if (this.fd !== undefined && this.fd !== null && this.autoClose) {
      const fd = this.fd;
      this.fd = null;
      try { fs.api.closeSync(fd); } catch { /* already closed */ }
    }
    nextTick(() => {
      this.closed = true;
      if (err) this.emit('error', err);
      if (this.emitClose) this.emit('close');
    });
    return this;
  }

  close(cb) {
    if (typeof cb === 'function') this.once('close', cb);
    if (!this.writableEnded) this.end();
    else if (!this.destroyed && !this.autoClose) this.destroy();
  }
}

function createReadStream(path, options) {
  return new ReadStream(path, options);
}

function createWriteStream(path, options) {
  return new WriteStream(path, options);
}

exports.ReadStream = ReadStream;
exports.WriteStream = WriteStream;
exports.createReadStream = createReadStream;
exports.createWriteStream = createWriteStream;
