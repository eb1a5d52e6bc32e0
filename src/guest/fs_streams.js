'use strict';
// fs.ReadStream / fs.WriteStream: stream.Readable and stream.Writable over
// the fs callback API (or `options.fs`), as Node's: the file opens in
// _construct, each read or write is one fs call settled in the poll phase,
// and the fd closes (after any I/O in flight) when the stream is destroyed.

const {
  MathMin,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  ReflectApply,
  Symbol,
} = require('primordials');
const errors = require('errors');
const { nextTick } = require('timers');
const fs = require('fs');
const { Readable, Writable, finished } = require('stream').Stream;

let BufferCtor;
function buffer() {
  if (BufferCtor === undefined) BufferCtor = require('buffer').Buffer;
  return BufferCtor;
}

const kFs = Symbol('kFs');
const kIsPerformingIO = Symbol('kIsPerformingIO');
const kIoDone = Symbol('kIoDone');

// The fd of a stream made over `options.fd` (a number or a FileHandle).
function fdOf(fd) {
  if (typeof fd === 'object' && fd !== null && typeof fd.fd === 'number') return fd.fd;
  return fs.getFd(fd);
}

// The fs functions a stream uses: `options.fs` may replace them.
function fsOf(options, names) {
  const impl = options.fs || fs.api;
  for (let i = 0; i < names.length; i++) {
    errors.validateFunction(impl[names[i]], `options.fs.${names[i]}`);
  }
  return impl;
}

// Options are the caller's: copy them before they are changed.
function copyOptions(options) {
  return { ...fs.getOptions(options, { __proto__: null }) };
}

let warnedOpen = false;
function deprecatedOpen() {
  if (warnedOpen) return;
  warnedOpen = true;
  require('process').getProcess().emitWarning(`${this.constructor.name}.prototype.open() is deprecated`,
    'DeprecationWarning', 'DEP0135');
}

// Opens the file unless the stream was given an fd; 'open' and 'ready'
// follow the callback, as in Node.
function construct(callback) {
  if (typeof this.fd === 'number') {
    callback();
    return;
  }
  this[kFs].open(this.path, this.flags, this.mode, (err, fd) => {
    if (err) {
      callback(err);
    } else {
      this.fd = fd;
      callback();
      this.emit('open', this.fd);
      this.emit('ready');
    }
  });
}

function closeStream(stream, err, cb) {
  if (!stream.fd) {
    cb(err);
  } else {
    stream[kFs].close(stream.fd, (er) => { cb(er || err); });
    stream.fd = null;
  }
}

// The fd closes only once no read or write is using it.
function destroy(err, cb) {
  if (this[kIsPerformingIO]) this.once(kIoDone, (er) => closeStream(this, err || er, cb));
  else closeStream(this, err, cb);
}

function common(stream, path, options, defaultFlags) {
  if (options.fd == null) {
    stream.fd = null;
    stream.path = fs.getPath(path, 'path');
    stream.flags = options.flags === undefined ? defaultFlags : options.flags;
    stream.mode = options.mode === undefined ? 0o666 : options.mode;
  } else {
    stream.fd = fdOf(options.fd);
  }
  options.autoDestroy = options.autoClose === undefined ? true : options.autoClose;
  stream.start = options.start;
  stream.pos = undefined;
  stream[kIsPerformingIO] = false;
  if (stream.start !== undefined) {
    errors.validateInteger(stream.start, 'start', 0);
    stream.pos = stream.start;
  }
}

function ReadStream(path, options) {
  if (!(this instanceof ReadStream)) return new ReadStream(path, options);
  options = copyOptions(options);
  if (options.highWaterMark === undefined) options.highWaterMark = 64 * 1024;
  this[kFs] = fsOf(options, ['open', 'read', 'close']);
  common(this, path, options, 'r');
  this.end = options.end;
  this.bytesRead = 0;
  if (this.end === undefined) {
    this.end = Infinity;
  } else if (this.end !== Infinity) {
    errors.validateInteger(this.end, 'end', 0);
    if (this.start !== undefined && this.start > this.end) {
      throw errors.outOfRange('start', `<= "end" (here: ${this.end})`, this.start);
    }
  }
  ReflectApply(Readable, this, [options]);
}
ObjectSetPrototypeOf(ReadStream.prototype, Readable.prototype);
ObjectSetPrototypeOf(ReadStream, Readable);

ObjectDefineProperty(ReadStream.prototype, 'autoClose', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() { return this._readableState.autoDestroy; },
  set(value) { this._readableState.autoDestroy = value; },
});

ObjectDefineProperty(ReadStream.prototype, 'pending', {
  __proto__: null,
  configurable: true,
  get() { return this.fd === null; },
});

ReadStream.prototype.open = deprecatedOpen;
ReadStream.prototype._construct = construct;

ReadStream.prototype._read = function(n) {
  n = this.pos !== undefined ? MathMin(this.end - this.pos + 1, n) : MathMin(this.end - this.bytesRead + 1, n);
  if (n <= 0) {
    this.push(null);
    return;
  }
  const buf = buffer().allocUnsafeSlow(n);
  this[kIsPerformingIO] = true;
  this[kFs].read(this.fd, buf, 0, n, this.pos, (er, bytesRead) => {
    this[kIsPerformingIO] = false;
    // The stream went away meanwhile: its fd may close now.
    if (this.destroyed) {
      this.emit(kIoDone, er);
      return;
    }
    if (er) {
      this.destroy(er);
    } else if (bytesRead > 0) {
      if (this.pos !== undefined) this.pos += bytesRead;
      this.bytesRead += bytesRead;
      let chunk = buf;
      if (bytesRead !== n) {
        // A copy that fits, not a view that keeps the whole buffer.
        chunk = buffer().allocUnsafeSlow(bytesRead);
        buf.copy(chunk, 0, 0, bytesRead);
      }
      this.push(chunk);
    } else {
      this.push(null);
    }
  });
};

ReadStream.prototype._destroy = destroy;

ReadStream.prototype.close = function(cb) {
  if (typeof cb === 'function') finished(this, cb);
  this.destroy();
};

function WriteStream(path, options) {
  if (!(this instanceof WriteStream)) return new WriteStream(path, options);
  options = copyOptions(options);
  // Only buffers reach _write.
  options.decodeStrings = true;
  this[kFs] = fsOf(options, ['open', 'write', 'close']);
  common(this, path, options, 'w');
  this.bytesWritten = 0;
  ReflectApply(Writable, this, [options]);
  if (options.encoding) this.setDefaultEncoding(options.encoding);
}
ObjectSetPrototypeOf(WriteStream.prototype, Writable.prototype);
ObjectSetPrototypeOf(WriteStream, Writable);

ObjectDefineProperty(WriteStream.prototype, 'autoClose', {
  __proto__: null,
  configurable: true,
  enumerable: true,
  get() { return this._writableState.autoDestroy; },
  set(value) { this._writableState.autoDestroy = value; },
});

ObjectDefineProperty(WriteStream.prototype, 'pending', {
  __proto__: null,
  configurable: true,
  get() { return this.fd === null; },
});

WriteStream.prototype.open = deprecatedOpen;
WriteStream.prototype._construct = construct;

WriteStream.prototype._write = function(data, encoding, cb) {
  this[kIsPerformingIO] = true;
  this[kFs].write(this.fd, data, 0, data.length, this.pos, (er, bytes) => {
    this[kIsPerformingIO] = false;
    if (this.destroyed) {
      cb(er);
      this.emit(kIoDone, er);
      return;
    }
    if (er) {
      cb(er);
      return;
    }
    this.bytesWritten += bytes;
    cb();
  });
  if (this.pos !== undefined) this.pos += data.length;
};

WriteStream.prototype._destroy = destroy;

WriteStream.prototype.close = function(cb) {
  if (cb) {
    if (this.closed) {
      nextTick(cb);
      return;
    }
    this.on('close', cb);
  }
  // Without autoClose, 'finish' is where it is destroyed.
  if (!this.autoClose) this.on('finish', this.destroy);
  this.end();
};

// As Node: an alias of end().
WriteStream.prototype.destroySoon = WriteStream.prototype.end;

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
