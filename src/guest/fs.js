'use strict';
// node:fs over the kernel's fs ops (src/kernel/fs.rs): sync calls are one
// op each; callbacks and promises use the `*_async` ops, which do their
// work in the kernel and settle in the next poll phase, as Node's thread
// pool would. Argument checks here only give Node's errors: what a path
// may reach is decided in Rust.

const {
  ArrayIsArray,
  ArrayPrototypePush,
  BigInt,
  Date,
  Error,
  ErrorCaptureStackTrace,
  FunctionPrototypeCall,
  MathFloor,
  Number,
  NumberIsFinite,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectSetPrototypeOf,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  RangeError,
  String,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  Symbol,
  SymbolAsyncIterator,
  SymbolFor,
  TypeError,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetBuffer,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const { check, callAsync, callAsyncCallback } = require('ops');
const { fileURLToPath, isURL } = require('url');

const statValues = native.stat_values;
const { nextTick } = require('timers');
const kType = Symbol('type');
const kSymlinkTypes = { __proto__: null, dir: 1, file: 0, junction: 2 };

let BufferCtor;
function buffer() {
  if (BufferCtor === undefined) BufferCtor = require('buffer').Buffer;
  return BufferCtor;
}
let pathMod;
function path() {
  if (pathMod === undefined) pathMod = require('path').posix;
  return pathMod;
}

// ---- constants ----

const constants = ObjectFreeze({
  __proto__: null,
  UV_FS_SYMLINK_DIR: 1, UV_FS_SYMLINK_JUNCTION: 2, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2,
  UV_DIRENT_UNKNOWN: 0, UV_DIRENT_FILE: 1, UV_DIRENT_DIR: 2, UV_DIRENT_LINK: 3, UV_DIRENT_FIFO: 4,
  UV_DIRENT_SOCKET: 5, UV_DIRENT_CHAR: 6, UV_DIRENT_BLOCK: 7,
  S_IFMT: 61440, S_IFREG: 32768, S_IFDIR: 16384, S_IFCHR: 8192, S_IFBLK: 24576, S_IFIFO: 4096,
  S_IFLNK: 40960, S_IFSOCK: 49152,
  O_CREAT: 64, O_EXCL: 128, UV_FS_O_FILEMAP: 0, O_NOCTTY: 256, O_TRUNC: 512, O_APPEND: 1024,
  O_DIRECTORY: 65536, O_NOATIME: 262144, O_NOFOLLOW: 131072, O_SYNC: 1052672, O_DSYNC: 4096,
  O_DIRECT: 16384, O_NONBLOCK: 2048,
  S_IRWXU: 448, S_IRUSR: 256, S_IWUSR: 128, S_IXUSR: 64, S_IRWXG: 56, S_IRGRP: 32, S_IWGRP: 16,
  S_IXGRP: 8, S_IRWXO: 7, S_IROTH: 4, S_IWOTH: 2, S_IXOTH: 1,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
  UV_FS_COPYFILE_EXCL: 1, COPYFILE_EXCL: 1, UV_FS_COPYFILE_FICLONE: 2, COPYFILE_FICLONE: 2,
  UV_FS_COPYFILE_FICLONE_FORCE: 4, COPYFILE_FICLONE_FORCE: 4,
});
const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC, S_IFMT } = constants;

// ---- arguments, as Node checks them ----

function nodeError(Ctor, code, message, hideFrom) {
  return errors.makeNodeError(Ctor, code, message, hideFrom);
}

function invalidArgValue(name, value, reason, hideFrom) {
  const shown = require('util').inspect(value);
  const kind = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  return nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${shown}`, hideFrom);
}

function isUint8Array(v) {
  return v instanceof Uint8Array;
}

// A path argument (string, Buffer or file: URL) as the string the kernel
// takes.
function getPath(p, name, hideFrom) {
  let s;
  if (typeof p === 'string') s = p;
  else if (isUint8Array(p)) s = buffer().prototype.toString.call(p, 'utf8');
  else if (p !== null && typeof p === 'object' && isURL(p)) s = fileURLToPath(p, hideFrom);
  else throw errors.invalidArgType(name, ['string', 'Buffer', 'URL'], p, hideFrom);
  if (StringPrototypeIncludes(s, '\u0000')) {
    throw invalidArgValue(name, p, 'must be a string, Uint8Array, or URL without null bytes', hideFrom);
  }
  return s;
}

// A path or a file descriptor (readFile, writeFile, appendFile).
function isFd(v) {
  return (v | 0) === v;
}

function getFd(fd, hideFrom) {
  errors.validateInteger(fd, 'fd', 0, 2147483647, hideFrom);
  return fd;
}

const flagTable = {
  __proto__: null,
  'r': O_RDONLY, 'rs': O_RDONLY | O_SYNC, 'sr': O_RDONLY | O_SYNC,
  'r+': O_RDWR, 'rs+': O_RDWR | O_SYNC, 'sr+': O_RDWR | O_SYNC,
  'w': O_TRUNC | O_CREAT | O_WRONLY, 'wx': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'xw': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR, 'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'a': O_APPEND | O_CREAT | O_WRONLY, 'ax': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  'xa': O_APPEND | O_CREAT | O_WRONLY | O_EXCL, 'as': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'sa': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR, 'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL, 'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

function stringToFlags(flags, name = 'flags', hideFrom) {
  if (typeof flags === 'number') return flags;
  if (flags == null) return O_RDONLY;
  const f = typeof flags === 'string' ? flagTable[flags] : undefined;
  if (f === undefined) throw invalidArgValue(name, flags, 'is invalid', hideFrom);
  return f;
}

const octalRe = /^[0-7]+$/;
function parseMode(mode, name, def, hideFrom) {
  if (mode == null) return def;
  if (typeof mode === 'string') {
    if (require('primordials').RegExpPrototypeExec(octalRe, mode) === null) {
      throw invalidArgValue(name, mode, 'must be a 32-bit unsigned integer or an octal string', hideFrom);
    }
    return require('primordials').NumberParseInt(mode, 8);
  }
  errors.validateInteger(mode, name, 0, 4294967295, hideFrom);
  return mode;
}

function getOptions(options, defaults) {
  if (options == null || typeof options === 'function') return defaults;
  if (typeof options === 'string') return { __proto__: null, ...defaults, encoding: options };
  if (typeof options !== 'object') throw errors.invalidArgType('options', ['string', 'Object'], options);
  return { __proto__: null, ...defaults, ...options };
}

function assertEncoding(encoding) {
  if (encoding && encoding !== 'buffer' && !buffer().isEncoding(encoding)) {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'encoding' is invalid encoding. Received '${encoding}'`);
  }
}

function maybeCallback(cb) {
  errors.validateFunction(cb, 'cb');
  return cb;
}

// A Uint8Array from an op as a Buffer over the same memory.
function asBuffer(u8) {
  return buffer().from(TypedArrayPrototypeGetBuffer(u8), TypedArrayPrototypeGetByteOffset(u8),
    TypedArrayPrototypeGetByteLength(u8));
}

function decode(u8, encoding) {
  const buf = asBuffer(u8);
  return encoding && encoding !== 'buffer' ? buf.toString(encoding) : buf;
}

// Data to write: strings go to the kernel as they are (UTF-8) unless another
// encoding is asked for; views as their bytes.
function toData(data, encoding, name = 'data', hideFrom) {
  if (typeof data === 'string') {
    return encoding && encoding !== 'utf8' && encoding !== 'utf-8' ? buffer().from(data, encoding) : data;
  }
  if (isUint8Array(data)) return data;
  if (data !== null && typeof data === 'object' && require('primordials').ArrayBufferIsView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw errors.invalidArgType(name, ['string', 'Buffer', 'TypedArray', 'DataView'], data, hideFrom);
}

// Node's toUnixTimestamp: seconds from a number, a numeric string or a Date.
function toSeconds(time, name, hideFrom) {
  if (typeof time === 'string' && +time == time) return +time; // eslint-disable-line eqeqeq
  if (NumberIsFinite(time)) return time < 0 ? DateNowSeconds() : time;
  if (time instanceof Date) return require('primordials').DatePrototypeGetTime(time) / 1000;
  throw errors.invalidArgType('time', ['Date', 'Time in seconds'], time, hideFrom);
}

function DateNowSeconds() {
  return require('primordials').DateNow() / 1000;
}

// ---- Stats ----

function dateOf(ms) {
  return new Date(ms);
}

function StatsBase(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks) {
  this.dev = dev;
  this.mode = mode;
  this.nlink = nlink;
  this.uid = uid;
  this.gid = gid;
  this.rdev = rdev;
  this.blksize = blksize;
  this.ino = ino;
  this.size = size;
  this.blocks = blocks;
}

function modeIs(self, type) {
  return (Number(self.mode) & S_IFMT) === type;
}

StatsBase.prototype.isDirectory = function isDirectory() { return modeIs(this, constants.S_IFDIR); };
StatsBase.prototype.isFile = function isFile() { return modeIs(this, constants.S_IFREG); };
StatsBase.prototype.isBlockDevice = function isBlockDevice() { return modeIs(this, constants.S_IFBLK); };
StatsBase.prototype.isCharacterDevice = function isCharacterDevice() { return modeIs(this, constants.S_IFCHR); };
StatsBase.prototype.isSymbolicLink = function isSymbolicLink() { return modeIs(this, constants.S_IFLNK); };
StatsBase.prototype.isFIFO = function isFIFO() { return modeIs(this, constants.S_IFIFO); };
StatsBase.prototype.isSocket = function isSocket() { return modeIs(this, constants.S_IFSOCK); };

function Stats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks,
  atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
  FunctionPrototypeCall(StatsBase, this, dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks);
  this.atimeMs = atimeMs;
  this.mtimeMs = mtimeMs;
  this.ctimeMs = ctimeMs;
  this.birthtimeMs = birthtimeMs;
  this.atime = dateOf(atimeMs);
  this.mtime = dateOf(mtimeMs);
  this.ctime = dateOf(ctimeMs);
  this.birthtime = dateOf(birthtimeMs);
}
ObjectSetPrototypeOf(Stats.prototype, StatsBase.prototype);
ObjectSetPrototypeOf(Stats, StatsBase);
Stats.prototype.isFile = StatsBase.prototype.isFile;
Stats.prototype._checkModeProperty = function _checkModeProperty(property) {
  return (this.mode & S_IFMT) === property;
};

function BigIntStats(dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks,
  atimeNs, mtimeNs, ctimeNs, birthtimeNs) {
  FunctionPrototypeCall(StatsBase, this, dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks);
  this.atimeMs = atimeNs / 1000000n;
  this.mtimeMs = mtimeNs / 1000000n;
  this.ctimeMs = ctimeNs / 1000000n;
  this.birthtimeMs = birthtimeNs / 1000000n;
  this.atimeNs = atimeNs;
  this.mtimeNs = mtimeNs;
  this.ctimeNs = ctimeNs;
  this.birthtimeNs = birthtimeNs;
  this.atime = dateOf(Number(this.atimeMs));
  this.mtime = dateOf(Number(this.mtimeMs));
  this.ctime = dateOf(Number(this.ctimeMs));
  this.birthtime = dateOf(Number(this.birthtimeMs));
}
ObjectSetPrototypeOf(BigIntStats.prototype, StatsBase.prototype);
ObjectSetPrototypeOf(BigIntStats, StatsBase);

function msOf(sec, nsec) {
  return sec * 1e3 + nsec / 1e6;
}

function nsOf(sec, nsec) {
  return BigInt(sec) * 1000000000n + BigInt(nsec);
}

// The stat the last op left in `native.stat_values`.
function readStats(bigint) {
  const v = statValues;
  if (bigint) {
    return new BigIntStats(BigInt(v[0]), BigInt(v[1]), BigInt(v[2]), BigInt(v[3]), BigInt(v[4]),
      BigInt(v[5]), BigInt(v[6]), BigInt(v[7]), BigInt(v[8]), BigInt(v[9]),
      nsOf(v[10], v[11]), nsOf(v[12], v[13]), nsOf(v[14], v[15]), nsOf(v[16], v[17]));
  }
  return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
    msOf(v[10], v[11]), msOf(v[12], v[13]), msOf(v[14], v[15]), msOf(v[16], v[17]));
}

const readNumberStats = () => readStats(false);
const readBigIntStats = () => readStats(true);

// ---- Dirent ----

const direntTypes = { __proto__: null, f: 1, d: 2, l: 3, c: 6 };

class Dirent {
  constructor(name, type, path) {
    this.name = name;
    this.parentPath = path;
    this.path = path;
    this[kType] = type;
  }

  isDirectory() { return this[kType] === 2; }
  isFile() { return this[kType] === 1; }
  isBlockDevice() { return this[kType] === 7; }
  isCharacterDevice() { return this[kType] === 6; }
  isSymbolicLink() { return this[kType] === 3; }
  isFIFO() { return this[kType] === 4; }
  isSocket() { return this[kType] === 5; }
}

function nameOf(name, encoding) {
  if (encoding === 'buffer') return buffer().from(name);
  if (encoding && encoding !== 'utf8' && encoding !== 'utf-8') return buffer().from(name).toString(encoding);
  return name;
}

// The kernel's readdir result (names, or a type letter and a name).
function toEntries(list, dir, withTypes, encoding) {
  const out = [];
  for (let i = 0; i < list.length; i++) {
    if (withTypes) {
      const e = list[i];
      ArrayPrototypePush(out, new Dirent(nameOf(StringPrototypeSlice(e, 1), encoding), direntTypes[e[0]], dir));
    } else {
      ArrayPrototypePush(out, nameOf(list[i], encoding));
    }
  }
  return out;
}

// ---- sync API ----

function existsSync(p) {
  try {
    p = getPath(p, 'path');
  } catch {
    return false;
  }
  return native.fs_stat_probe(p, true) === 0;
}

function statSync(p, options = { __proto__: null, bigint: false, throwIfNoEntry: true }) {
  p = getPath(p, 'path', statSync);
  return statLike(p, true, options, statSync);
}

function lstatSync(p, options = { __proto__: null, bigint: false, throwIfNoEntry: true }) {
  p = getPath(p, 'path', lstatSync);
  return statLike(p, false, options, lstatSync);
}

function statLike(p, follow, options, caller) {
  const r = native.fs_stat_probe(p, follow);
  if (r !== 0) {
    if ((r === -2 || r === -20) && options && options.throwIfNoEntry === false) return undefined;
    check(native.fs_stat(p, follow), caller);
  }
  return readStats(options && options.bigint === true);
}

function fstatSync(fd, options = { __proto__: null, bigint: false }) {
  fd = getFd(fd, fstatSync);
  check(native.fs_fstat(fd), fstatSync);
  return readStats(options && options.bigint === true);
}

function accessSync(p, mode = constants.F_OK) {
  p = getPath(p, 'path', accessSync);
  mode = parseMode(mode, 'mode', 0, accessSync);
  check(native.fs_access(p, mode), accessSync);
}

function readFileSync(p, options) {
  options = getOptions(options, { __proto__: null, flag: 'r' });
  const encoding = options.encoding;
  assertEncoding(encoding);
  if (isFd(p)) return decode(check(native.fs_read_rest(getFd(p, readFileSync)), readFileSync), encoding);
  p = getPath(p, 'path', readFileSync);
  const flags = stringToFlags(options.flag, 'flags', readFileSync);
  if (flags !== O_RDONLY) {
    const fd = check(native.fs_open(p, flags, 0o666), readFileSync);
    try {
      return decode(check(native.fs_read_rest(fd), readFileSync), encoding);
    } finally {
      native.fs_close(fd);
    }
  }
  if (encoding === 'utf8' || encoding === 'utf-8') return check(native.fs_read_file(p, true), readFileSync);
  return decode(check(native.fs_read_file(p, false), readFileSync), encoding);
}

function writeAll(fd, data, caller) {
  let off = 0;
  const isString = typeof data === 'string';
  const len = isString ? 0 : TypedArrayPrototypeGetByteLength(data);
  if (isString) {
    check(native.fs_write(fd, data, -1), caller);
    return;
  }
  while (off < len) {
    const chunk = off === 0 ? data : new Uint8Array(TypedArrayPrototypeGetBuffer(data),
      TypedArrayPrototypeGetByteOffset(data) + off, len - off);
    off += check(native.fs_write(fd, chunk, -1), caller);
  }
}

function writeFileSync(p, data, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8', mode: 0o666, flag: 'w' });
  data = toData(data, options.encoding, 'data', writeFileSync);
  const flags = stringToFlags(options.flag, 'flags', writeFileSync);
  if (isFd(p)) {
    writeAll(getFd(p, writeFileSync), data, writeFileSync);
    return;
  }
  p = getPath(p, 'path', writeFileSync);
  const mode = parseMode(options.mode, 'mode', 0o666, writeFileSync);
  check(native.fs_write_file(p, data, flags, mode), writeFileSync);
}

function appendFileSync(p, data, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8', mode: 0o666, flag: 'a' });
  options = { __proto__: null, ...options };
  if (!options.flag || isFd(p)) options.flag = 'a';
  return writeFileSync(p, data, options);
}

function openSync(p, flags, mode) {
  p = getPath(p, 'path', openSync);
  return check(native.fs_open(p, stringToFlags(flags, 'flags', openSync), parseMode(mode, 'mode', 0o666, openSync)), openSync);
}

function closeSync(fd) {
  check(native.fs_close(getFd(fd, closeSync)), closeSync);
}

// (fd, buffer, offset, length, position) or (fd, buffer, { offset, length, position }).
function readArgs(fd, buf, offsetOrOptions, length, position, caller) {
  fd = getFd(fd, caller);
  if (!require('primordials').ArrayBufferIsView(buf)) {
    throw errors.invalidArgType('buffer', ['Buffer', 'TypedArray', 'DataView'], buf, caller);
  }
  let offset = offsetOrOptions;
  if (offset !== null && typeof offset === 'object') {
    ({ offset = 0, length = buf.byteLength - offset, position = null } = offset);
  }
  if (offset == null) offset = 0;
  const size = buf.byteLength;
  errors.validateInteger(offset, 'offset', 0, undefined, caller);
  if (length === undefined) length = size - offset;
  errors.validateInteger(length, 'length', 0, 2147483647, caller);
  if (offset + length > size) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "length" is out of range. It must be <= ${size - offset}. Received ${length}`, caller);
  }
  let pos = -1;
  if (position !== null && position !== undefined && position !== -1) {
    if (typeof position === 'bigint') position = Number(position);
    errors.validateInteger(position, 'position', -1, undefined, caller);
    pos = position;
  }
  const view = new Uint8Array(buf.buffer, buf.byteOffset + offset, length);
  return { fd, view, pos };
}

function readSync(fd, buf, offset, length, position) {
  const a = readArgs(fd, buf, offset, length, position, readSync);
  if (a.view.byteLength === 0) return 0;
  return check(native.fs_read(a.fd, a.view, a.pos), readSync);
}

function writeArgs(fd, data, offsetOrOptions, length, position, caller) {
  fd = getFd(fd, caller);
  if (typeof data === 'string') {
    // (fd, string, position, encoding)
    const encoding = typeof length === 'string' ? length : 'utf8';
    // As Node's binding: a position that is not a number (null, or an
    // encoding written in its place) means "at the current position".
    const pos = typeof offsetOrOptions === 'number' ? offsetOrOptions : -1;
    const bytes = encoding === 'utf8' || encoding === 'utf-8' ? data : buffer().from(data, encoding);
    return { fd, bytes, pos };
  }
  if (!require('primordials').ArrayBufferIsView(data)) {
    throw errors.invalidArgType('buffer', ['string', 'Buffer', 'TypedArray', 'DataView'], data, caller);
  }
  let offset = offsetOrOptions;
  if (offset !== null && typeof offset === 'object') {
    ({ offset = 0, length = data.byteLength - offset, position = null } = offset);
  }
  if (offset == null) offset = 0;
  errors.validateInteger(offset, 'offset', 0, undefined, caller);
  if (length === undefined || length === null) length = data.byteLength - offset;
  errors.validateInteger(length, 'length', 0, undefined, caller);
  if (offset + length > data.byteLength) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE',
      `The value of "length" is out of range. It must be <= ${data.byteLength - offset}. Received ${length}`, caller);
  }
  const pos = position === null || position === undefined ? -1 : position;
  return { fd, bytes: new Uint8Array(data.buffer, data.byteOffset + offset, length), pos };
}

function writeSync(fd, data, offset, length, position) {
  const a = writeArgs(fd, data, offset, length, position, writeSync);
  return check(native.fs_write(a.fd, a.bytes, a.pos), writeSync);
}

function validateBuffers(buffers, caller) {
  let ok = ArrayIsArray(buffers);
  for (let i = 0; ok && i < buffers.length; i++) ok = require('primordials').ArrayBufferIsView(buffers[i]);
  if (!ok) throw errors.invalidArgType('buffers', 'ArrayBufferView[]', buffers, caller);
}

// readv/writev: one read or write per buffer, in order, stopping at a
// short one (as the kernel's vectored calls would).
function vectored(fd, buffers, position, write, caller) {
  fd = getFd(fd, caller);
  validateBuffers(buffers, caller);
  let pos = typeof position === 'number' ? position : -1;
  let total = 0;
  for (let i = 0; i < buffers.length; i++) {
    const b = buffers[i];
    const view = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const len = TypedArrayPrototypeGetByteLength(view);
    if (len === 0) continue;
    const n = check(write ? native.fs_write(fd, view, pos) : native.fs_read(fd, view, pos), caller);
    total += n;
    if (pos >= 0) pos += n;
    if (n < len) break;
  }
  return total;
}

function readvSync(fd, buffers, position) {
  return vectored(fd, buffers, position, false, readvSync);
}

function writevSync(fd, buffers, position) {
  return vectored(fd, buffers, position, true, writevSync);
}

function vectoredCb(write, name) {
  const fn = {
    [name](fd, buffers, position, cb) {
      if (typeof position === 'function') { cb = position; position = null; }
      maybeCallback(cb);
      let n, err = null;
      try {
        n = vectored(fd, buffers, position, write, fn);
      } catch (e) {
        if (typeof e.code === 'string' && StringPrototypeSlice(e.code, 0, 4) === 'ERR_') throw e;
        err = e;
      }
      nextTick(cb, err, n, buffers);
    },
  }[name];
  return fn;
}

function readdirSync(p, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8', withFileTypes: false, recursive: false });
  p = getPath(p, 'path', readdirSync);
  const withTypes = options.withFileTypes === true;
  if (options.recursive === true) return readdirRecursiveSync(p, withTypes, options.encoding);
  return toEntries(check(native.fs_readdir(p, withTypes), readdirSync), p, withTypes, options.encoding);
}

// Breadth first, as Node lists a tree: each directory's entries, then its
// subdirectories' in the order they were found.
function readdirRecursiveSync(base, withTypes, encoding) {
  const out = [];
  const queue = [base];
  const { join, relative } = path();
  for (let q = 0; q < queue.length; q++) {
    const dir = queue[q];
    const list = check(native.fs_readdir(dir, true), readdirSync);
    for (let i = 0; i < list.length; i++) {
      const name = StringPrototypeSlice(list[i], 1);
      const type = direntTypes[list[i][0]];
      const full = join(dir, name);
      if (withTypes) ArrayPrototypePush(out, new Dirent(nameOf(name, encoding), type, dir));
      else ArrayPrototypePush(out, nameOf(relative(base, full), encoding));
      // Node follows links to directories here too.
      let isDir = type === 2;
      if (type === 3) {
        isDir = native.fs_stat_probe(full, true) === 0 && (statValues[1] & S_IFMT) === constants.S_IFDIR;
      }
      if (isDir) ArrayPrototypePush(queue, full);
    }
  }
  return out;
}

function mkdirSync(p, options) {
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') {
    mode = parseMode(options, 'mode', 0o777, mkdirSync);
  } else if (options) {
    if (options.recursive !== undefined) recursive = options.recursive;
    if (options.mode !== undefined) mode = parseMode(options.mode, 'options.mode', 0o777, mkdirSync);
  }
  if (typeof recursive !== 'boolean') throw errors.invalidArgType('options.recursive', 'boolean', recursive, mkdirSync);
  p = getPath(p, 'path', mkdirSync);
  const r = check(native.fs_mkdir(p, recursive, mode), mkdirSync);
  return recursive ? r : undefined;
}

function mkdtempSync(prefix, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8' });
  prefix = getPath(prefix, 'prefix', mkdtempSync);
  return nameOf(check(native.fs_mkdtemp(prefix), mkdtempSync), options.encoding);
}

function rmdirSync(p, options) {
  p = getPath(p, 'path', rmdirSync);
  if (options && options.recursive) {
    emitRecursiveRmdirWarning();
    check(native.fs_stat(p, false), rmdirSync);
    check(native.fs_remove_all(p), rmdirSync);
    return;
  }
  check(native.fs_rmdir(p), rmdirSync);
}

let rmdirWarned = false;
function emitRecursiveRmdirWarning() {
  if (rmdirWarned) return;
  rmdirWarned = true;
  require('process').getProcess().emitWarning('In future versions of Node.js, fs.rmdir(path, { recursive: true }) will be removed. ' +
    'Use fs.rm(path, { recursive: true }) instead', 'DeprecationWarning', 'DEP0147');
}

function unlinkSync(p) {
  p = getPath(p, 'path', unlinkSync);
  check(native.fs_unlink(p), unlinkSync);
}

function rmOptions(options, caller) {
  if (options !== undefined && options !== null) errors.validateObject(options, 'options', caller);
  const o = options || {};
  const force = o.force === undefined ? false : o.force;
  const recursive = o.recursive === undefined ? false : o.recursive;
  if (typeof force !== 'boolean') throw errors.invalidArgType('options.force', 'boolean', force, caller);
  if (typeof recursive !== 'boolean') throw errors.invalidArgType('options.recursive', 'boolean', recursive, caller);
  return { force, recursive };
}

function rmSync(p, options) {
  p = getPath(p, 'path', rmSync);
  const { force, recursive } = rmOptions(options, rmSync);
  const r = native.fs_stat_probe(p, false);
  if (r !== 0) {
    if (r === -2 && force) return;
    check(native.fs_stat(p, false), rmSync);
  }
  if ((statValues[1] & S_IFMT) === constants.S_IFDIR) {
    if (!recursive) throw rmIsDir(p, rmSync);
    check(native.fs_remove_all(p), rmSync);
    return;
  }
  check(native.fs_unlink(p), rmSync);
}

// Node's SystemError (`SystemError [CODE]: message`, with `info`).
function systemError(code, message, info, caller) {
  const err = new Error(message);
  ErrorCaptureStackTrace(err, caller);
  ObjectDefineProperty(err, 'name', { __proto__: null, value: `SystemError [${code}]`, configurable: true, writable: true });
  void err.stack;
  delete err.name;
  err.code = code;
  err.info = info;
  err.errno = info.errno;
  err.syscall = info.syscall;
  err.path = info.path;
  return err;
}

function rmIsDir(p, caller) {
  return systemError('ERR_FS_EISDIR', `Path is a directory: rm returned EISDIR (is a directory) ${p}`,
    { code: 'EISDIR', message: 'is a directory', path: p, syscall: 'rm', errno: 21 }, caller);
}

function renameSync(from, to) {
  from = getPath(from, 'oldPath', renameSync);
  to = getPath(to, 'newPath', renameSync);
  check(native.fs_rename(from, to), renameSync);
}

function copyFileMode(mode, caller) {
  if (typeof mode !== 'number') throw errors.invalidArgType('mode', 'integer', mode, caller);
  if (!NumberIsInteger(mode) || mode < 0 || mode > 7) {
    throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'mode is out of range: >= 0 && <= 7', caller);
  }
}

function copyFileSync(src, dest, mode = 0) {
  src = getPath(src, 'src', copyFileSync);
  dest = getPath(dest, 'dest', copyFileSync);
  copyFileMode(mode, copyFileSync);
  check(native.fs_copy_file(src, dest, mode), copyFileSync);
}

function linkSync(existing, newPath) {
  existing = getPath(existing, 'existingPath', linkSync);
  newPath = getPath(newPath, 'newPath', linkSync);
  check(native.fs_link(existing, newPath), linkSync);
}

function symlinkSync(target, p, type) {
  if (type !== undefined && type !== null && kSymlinkTypes[type] === undefined) {
    throw nodeError(Error, 'ERR_FS_INVALID_SYMLINK_TYPE',
      `Symlink type must be one of "dir", "file", or "junction". Received "${type}"`, symlinkSync);
  }
  target = getPath(target, 'target', symlinkSync);
  p = getPath(p, 'path', symlinkSync);
  check(native.fs_symlink(target, p), symlinkSync);
}

function readlinkSync(p, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8' });
  p = getPath(p, 'path', readlinkSync);
  return nameOf(check(native.fs_readlink(p), readlinkSync), options.encoding);
}

function realpathSync(p, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8' });
  p = getPath(p, 'path', realpathSync);
  return nameOf(check(native.fs_realpath(p), realpathSync), options.encoding);
}
realpathSync.native = realpathSync;

function truncateSync(p, len = 0) {
  if (isFd(p)) return ftruncateSync(p, len);
  p = getPath(p, 'path', truncateSync);
  errors.validateInteger(len, 'len', undefined, undefined, truncateSync);
  check(native.fs_truncate(p, len < 0 ? 0 : len), truncateSync);
}

function ftruncateSync(fd, len = 0) {
  fd = getFd(fd, ftruncateSync);
  errors.validateInteger(len, 'len', undefined, undefined, ftruncateSync);
  check(native.fs_ftruncate(fd, len < 0 ? 0 : len), ftruncateSync);
}

function chmodSync(p, mode) {
  p = getPath(p, 'path', chmodSync);
  check(native.fs_chmod(p, parseMode(mode, 'mode', undefined, chmodSync), true), chmodSync);
}

function lchmodSync(p, mode) {
  p = getPath(p, 'path', lchmodSync);
  check(native.fs_chmod(p, parseMode(mode, 'mode', undefined, lchmodSync), false), lchmodSync);
}

function fchmodSync(fd, mode) {
  check(native.fs_fchmod(getFd(fd, fchmodSync), parseMode(mode, 'mode', undefined, fchmodSync)), fchmodSync);
}

function validateId(v, name, caller) {
  errors.validateInteger(v, name, -1, 4294967295, caller);
  return v === -1 ? 4294967295 : v;
}

function chownSync(p, uid, gid) {
  p = getPath(p, 'path', chownSync);
  check(native.fs_chown(p, validateId(uid, 'uid', chownSync), validateId(gid, 'gid', chownSync), true), chownSync);
}

function lchownSync(p, uid, gid) {
  p = getPath(p, 'path', lchownSync);
  check(native.fs_chown(p, validateId(uid, 'uid', lchownSync), validateId(gid, 'gid', lchownSync), false), lchownSync);
}

function fchownSync(fd, uid, gid) {
  check(native.fs_fchown(getFd(fd, fchownSync), validateId(uid, 'uid', fchownSync),
    validateId(gid, 'gid', fchownSync)), fchownSync);
}

function utimesSync(p, atime, mtime) {
  p = getPath(p, 'path', utimesSync);
  check(native.fs_utimes(p, toSeconds(atime, 'atime', utimesSync), toSeconds(mtime, 'mtime', utimesSync), true), utimesSync);
}

function lutimesSync(p, atime, mtime) {
  p = getPath(p, 'path', lutimesSync);
  check(native.fs_utimes(p, toSeconds(atime, 'atime', lutimesSync), toSeconds(mtime, 'mtime', lutimesSync), false), lutimesSync);
}

function futimesSync(fd, atime, mtime) {
  check(native.fs_futimes(getFd(fd, futimesSync), toSeconds(atime, 'atime', futimesSync),
    toSeconds(mtime, 'mtime', futimesSync)), futimesSync);
}

function fsyncSync(fd) {
  check(native.fs_fsync(getFd(fd, fsyncSync)), fsyncSync);
}

// ---- cp (recursive copy, in JS over the ops, as Node does it) ----

function cpSync(src, dest, options) {
  src = getPath(src, 'src', cpSync);
  dest = getPath(dest, 'dest', cpSync);
  const o = options || {};
  const recursive = o.recursive === true;
  const force = o.force !== false;
  const errorOnExist = o.errorOnExist === true;
  const filter = typeof o.filter === 'function' ? o.filter : undefined;
  const dereference = o.dereference === true;
  const st = dereference ? statSync(src) : lstatSync(src);
  if (st.isDirectory() && !recursive) {
    throw systemError('ERR_FS_EISDIR', `Path is a directory: cp returned EISDIR (${src} is a directory (not copied)) ${src}`,
      { message: `${src} is a directory (not copied)`, path: src, syscall: 'cp', errno: 22, code: 'EISDIR' }, cpSync);
  }
  const { join, resolve } = path();
  if (st.isDirectory()) {
    const from = resolve(src) + '/';
    const to = resolve(dest) + '/';
    if (StringPrototypeSlice(to, 0, from.length) === from) {
      const err = new Error(`Cannot copy ${src} to a subdirectory of self ${dest}`);
      ErrorCaptureStackTrace(err, cpSync);
      err.code = 'ERR_FS_CP_EINVAL';
      throw err;
    }
  }
  const stack = [[src, dest]];
  while (stack.length > 0) {
    const pair = require('primordials').ArrayPrototypePop(stack);
    const s = pair[0], d = pair[1];
    if (filter !== undefined && !filter(s, d)) continue;
    const sst = dereference ? statSync(s) : lstatSync(s);
    if (sst.isDirectory()) {
      if (!existsSync(d)) mkdirSync(d, { mode: sst.mode & 0o7777 });
      const names = readdirSync(s);
      for (let i = names.length - 1; i >= 0; i--) ArrayPrototypePush(stack, [join(s, names[i]), join(d, names[i])]);
    } else if (sst.isSymbolicLink()) {
      const target = readlinkSync(s);
      if (lstatSync(d, { throwIfNoEntry: false }) !== undefined) {
        if (!force) continue;
        unlinkSync(d);
      }
      symlinkSync(target, d);
    } else {
      const exists = lstatSync(d, { throwIfNoEntry: false }) !== undefined;
      if (exists && !force) {
        if (errorOnExist) {
          const err = new Error(`Target already exists: cp returned EEXIST (${d} already exists)`);
          ErrorCaptureStackTrace(err, cpSync);
          err.code = 'ERR_FS_CP_EEXIST';
          throw err;
        }
        continue;
      }
      copyFileSync(s, d);
      if (o.preserveTimestamps === true) utimesSync(d, sst.atime, sst.mtime);
    }
  }
}

// ---- Dir ----

class Dir {
  #entries;
  #closed = false;
  constructor(p, entries) {
    this.path = p;
    this.#entries = entries;
  }

  #checkOpen() {
    if (this.#closed) throw nodeError(Error, 'ERR_DIR_CLOSED', 'Directory handle was closed');
  }

  readSync() {
    this.#checkOpen();
    return this.#entries.length > 0 ? require('primordials').ArrayPrototypeShift(this.#entries) : null;
  }

  read(cb) {
    if (typeof cb === 'function') {
      let v, err = null;
      try { v = this.readSync(); } catch (e) { err = e; }
      nextTick(cb, err, v);
      return;
    }
    try {
      return PromiseResolve(this.readSync());
    } catch (e) {
      return PromiseReject(e);
    }
  }

  closeSync() {
    this.#checkOpen();
    this.#closed = true;
  }

  close(cb) {
    if (typeof cb === 'function') {
      let err = null;
      try { this.closeSync(); } catch (e) { err = e; }
      nextTick(cb, err);
      return;
    }
    try {
      this.closeSync();
      return PromiseResolve();
    } catch (e) {
      return PromiseReject(e);
    }
  }

  async *entries() {
    try {
      for (;;) {
        const e = this.readSync();
        if (e === null) break;
        yield e;
      }
    } finally {
      if (!this.#closed) this.closeSync();
    }
  }

  [SymbolAsyncIterator]() {
    return this.entries();
  }
}

function opendirSync(p, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8' });
  p = getPath(p, 'path', opendirSync);
  return new Dir(p, toEntries(check(native.fs_readdir(p, true), opendirSync), p, true, options.encoding));
}

// ---- not supported here ----

function unsupported(name) {
  return function notSupported() {
    const err = new Error(`fs.${name} is not supported in this sandbox: the virtual filesystem has no change notifications`);
    ErrorCaptureStackTrace(err, notSupported);
    err.code = 'ERR_SANDBOX_UNSUPPORTED';
    throw err;
  };
}

// ---- callback API ----

// A callback version of an async op whose result needs no shaping.
function cbCall(op, caller, args, cb, transform) {
  callAsyncCallback(op, caller, args, cb, transform);
}

function lastCb(args) {
  return maybeCallback(args[args.length - 1]);
}

function stat(p, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  p = getPath(p, 'path', stat);
  cbCall(native.fs_stat_async, stat, [p, true], cb, options && options.bigint ? readBigIntStats : readNumberStats);
}

function lstat(p, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  p = getPath(p, 'path', lstat);
  cbCall(native.fs_stat_async, lstat, [p, false], cb, options && options.bigint ? readBigIntStats : readNumberStats);
}

function fstat(fd, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  cbCall(native.fs_fstat_async, fstat, [getFd(fd, fstat)], cb, options && options.bigint ? readBigIntStats : readNumberStats);
}

function access(p, mode, cb) {
  if (typeof mode === 'function') { cb = mode; mode = constants.F_OK; }
  maybeCallback(cb);
  p = getPath(p, 'path', access);
  cbCall(native.fs_access_async, access, [p, parseMode(mode, 'mode', 0, access)], cb);
}

function exists(p, cb) {
  maybeCallback(cb);
  let ok = false;
  try {
    ok = existsSync(p);
  } catch {
    ok = false;
  }
  nextTick(cb, ok);
}
ObjectDefineProperty(exists, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null,
  value: function exists(p) {
    return new Promise((resolve) => resolve(existsSync(p)));
  },
});

function readFile(p, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  options = getOptions(options, { __proto__: null, flag: 'r' });
  const encoding = options.encoding;
  assertEncoding(encoding);
  const shape = (u8) => decode(u8, encoding);
  if (isFd(p)) {
    cbCall(native.fs_read_rest_async, readFile, [getFd(p, readFile)], cb, shape);
    return;
  }
  p = getPath(p, 'path', readFile);
  const flags = stringToFlags(options.flag, 'flags', readFile);
  if (flags !== O_RDONLY) {
    let v, err = null;
    try { v = readFileSync(p, options); } catch (e) { err = e; }
    nextTick(cb, err, v);
    return;
  }
  const utf8 = encoding === 'utf8' || encoding === 'utf-8';
  cbCall(native.fs_read_file_async, readFile, [p, utf8], cb, utf8 ? undefined : shape);
}

function writeFile(p, data, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  options = getOptions(options, { __proto__: null, encoding: 'utf8', mode: 0o666, flag: 'w' });
  data = toData(data, options.encoding, 'data', writeFile);
  const flags = stringToFlags(options.flag, 'flags', writeFile);
  if (isFd(p)) {
    cbCall(native.fs_write_async, writeFile, [getFd(p, writeFile), data, -1], cb, () => undefined);
    return;
  }
  p = getPath(p, 'path', writeFile);
  cbCall(native.fs_write_file_async, writeFile, [p, data, flags, parseMode(options.mode, 'mode', 0o666, writeFile)], cb);
}

function appendFile(p, data, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  options = getOptions(options, { __proto__: null, encoding: 'utf8', mode: 0o666, flag: 'a' });
  options = { __proto__: null, ...options };
  if (!options.flag || isFd(p)) options.flag = 'a';
  writeFile(p, data, options, cb);
}

function open(p, flags, mode, cb) {
  if (typeof flags === 'function') { cb = flags; flags = undefined; mode = undefined; }
  else if (typeof mode === 'function') { cb = mode; mode = undefined; }
  maybeCallback(cb);
  p = getPath(p, 'path', open);
  cbCall(native.fs_open_async, open, [p, stringToFlags(flags, 'flags', open), parseMode(mode, 'mode', 0o666, open)], cb);
}

function close(fd, cb = () => {}) {
  if (cb !== undefined) maybeCallback(cb);
  cbCall(native.fs_close_async, close, [getFd(fd, close)], cb);
}

function read(fd, buf, offset, length, position, cb) {
  if (typeof buf === 'function') {
    cb = buf;
    buf = buffer().alloc(16384);
    offset = 0; length = buf.byteLength; position = null;
  } else if (typeof offset === 'function') {
    cb = offset; offset = undefined;
  } else if (typeof length === 'function') {
    cb = length; length = undefined;
  } else if (typeof position === 'function') {
    cb = position; position = undefined;
  }
  maybeCallback(cb);
  const a = readArgs(fd, buf, offset, length, position, read);
  callAsyncCallback(native.fs_read_async, read, [a.fd, a.view, a.pos], (err, n) => {
    if (err) cb(err);
    else cb(null, n, buf);
  });
}

function write(fd, data, offset, length, position, cb) {
  const args = [offset, length, position, cb];
  let i = 0;
  while (i < args.length && typeof args[i] !== 'function') i++;
  cb = maybeCallback(args[i]);
  for (let j = i; j < args.length; j++) args[j] = undefined;
  const a = writeArgs(fd, data, args[0], args[1], args[2], write);
  callAsyncCallback(native.fs_write_async, write, [a.fd, a.bytes, a.pos], (err, n) => {
    if (err) cb(err);
    else cb(null, n, data);
  });
}

function readdir(p, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  options = getOptions(options, { __proto__: null, encoding: 'utf8', withFileTypes: false, recursive: false });
  p = getPath(p, 'path', readdir);
  const withTypes = options.withFileTypes === true;
  if (options.recursive === true) {
    let v, err = null;
    try { v = readdirRecursiveSync(p, withTypes, options.encoding); } catch (e) { err = e; }
    nextTick(cb, err, v);
    return;
  }
  cbCall(native.fs_readdir_async, readdir, [p, withTypes], cb, (list) => toEntries(list, p, withTypes, options.encoding));
}

function mkdir(p, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  let mode = 0o777;
  let recursive = false;
  if (typeof options === 'number' || typeof options === 'string') mode = parseMode(options, 'mode', 0o777, mkdir);
  else if (options) {
    if (options.recursive !== undefined) recursive = options.recursive;
    if (options.mode !== undefined) mode = parseMode(options.mode, 'options.mode', 0o777, mkdir);
  }
  if (typeof recursive !== 'boolean') throw errors.invalidArgType('options.recursive', 'boolean', recursive, mkdir);
  p = getPath(p, 'path', mkdir);
  cbCall(native.fs_mkdir_async, mkdir, [p, recursive, mode], cb, (v) => (recursive ? v : undefined));
}

function mkdtemp(prefix, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  maybeCallback(cb);
  options = getOptions(options, { __proto__: null, encoding: 'utf8' });
  prefix = getPath(prefix, 'prefix', mkdtemp);
  cbCall(native.fs_mkdtemp_async, mkdtemp, [prefix], cb, (v) => nameOf(v, options.encoding));
}

// A callback API function made from its sync version: the work happens now
// and the callback runs as a tick (for calls with several kernel steps).
function fromSync(syncFn, name) {
  const fn = {
    [name](...args) {
      const cb = lastCb(args);
      args.length--;
      let v, err = null;
      try {
        v = ReflectApplySync(syncFn, args);
      } catch (e) {
        if (e !== null && typeof e === 'object' && typeof e.code === 'string' && StringPrototypeSlice(e.code, 0, 4) === 'ERR_' &&
            e.code !== 'ERR_FS_EISDIR' && e.code !== 'ERR_FS_CP_EINVAL' && e.code !== 'ERR_FS_CP_EEXIST') {
          throw e;
        }
        err = e;
      }
      nextTick(cb, err, v);
    },
  }[name];
  return fn;
}

function ReflectApplySync(fn, args) {
  return require('primordials').ReflectApply(fn, undefined, args);
}

function simpleCb(op, name, prep) {
  const fn = {
    [name](...args) {
      const cb = lastCb(args);
      args.length--;
      cbCall(op, fn, prep(args, fn), cb);
    },
  }[name];
  return fn;
}

const rmdir = fromSync(rmdirSync, 'rmdir');
const unlink = simpleCb(native.fs_unlink_async, 'unlink', (a, f) => [getPath(a[0], 'path', f)]);
const rm = fromSync(rmSync, 'rm');
const rename = simpleCb(native.fs_rename_async, 'rename',
  (a, f) => [getPath(a[0], 'oldPath', f), getPath(a[1], 'newPath', f)]);
const copyFile = fromSync(copyFileSync, 'copyFile');
const link = simpleCb(native.fs_link_async, 'link',
  (a, f) => [getPath(a[0], 'existingPath', f), getPath(a[1], 'newPath', f)]);
const symlink = fromSync(symlinkSync, 'symlink');
const readlink = fromSync(readlinkSync, 'readlink');
const realpath = fromSync(realpathSync, 'realpath');
realpath.native = realpath;
const truncate = fromSync(truncateSync, 'truncate');
const ftruncate = fromSync(ftruncateSync, 'ftruncate');
const chmod = fromSync(chmodSync, 'chmod');
const lchmod = fromSync(lchmodSync, 'lchmod');
const fchmod = fromSync(fchmodSync, 'fchmod');
const chown = fromSync(chownSync, 'chown');
const lchown = fromSync(lchownSync, 'lchown');
const fchown = fromSync(fchownSync, 'fchown');
const utimes = fromSync(utimesSync, 'utimes');
const lutimes = fromSync(lutimesSync, 'lutimes');
const futimes = fromSync(futimesSync, 'futimes');
const fsync = fromSync(fsyncSync, 'fsync');
const readv = vectoredCb(false, 'readv');
const writev = vectoredCb(true, 'writev');
const fdatasync = fromSync(fsyncSync, 'fdatasync');

// util.promisify() of these resolves with both values their callbacks get.
function promisifyArgs(fn, names) {
  ObjectDefineProperty(fn, require('util').kCustomPromisifyArgs, { __proto__: null, value: names, enumerable: false });
}
promisifyArgs(read, ['bytesRead', 'buffer']);
promisifyArgs(write, ['bytesWritten', 'buffer']);
promisifyArgs(readv, ['bytesRead', 'buffers']);
promisifyArgs(writev, ['bytesWritten', 'buffers']);
const cp = fromSync(cpSync, 'cp');
const opendir = fromSync(opendirSync, 'opendir');

// ---- module ----

exports.constants = constants;
exports.Stats = Stats;
exports.BigIntStats = BigIntStats;
exports.Dirent = Dirent;
exports.Dir = Dir;
exports.getPath = getPath;
exports.getFd = getFd;
exports.stringToFlags = stringToFlags;
exports.parseMode = parseMode;
exports.getOptions = getOptions;
exports.assertEncoding = assertEncoding;
exports.toData = toData;
exports.decode = decode;
exports.toEntries = toEntries;
exports.toSeconds = toSeconds;
exports.readArgs = readArgs;
exports.writeArgs = writeArgs;
exports.readNumberStats = readNumberStats;
exports.readBigIntStats = readBigIntStats;
exports.readdirRecursiveSync = readdirRecursiveSync;
exports.rmOptions = rmOptions;
exports.rmIsDir = rmIsDir;
exports.callAsync = callAsync;

exports.api = {
  appendFile, appendFileSync, access, accessSync, chown, chownSync, chmod, chmodSync, close, closeSync,
  copyFile, copyFileSync, cp, cpSync, exists, existsSync, fchown, fchownSync, fchmod, fchmodSync, fdatasync, fdatasyncSync: fsyncSync,
  fstat, fstatSync, fsync, fsyncSync, ftruncate, ftruncateSync, futimes, futimesSync,
  lchown, lchownSync, lchmod, lchmodSync, link, linkSync, lstat, lstatSync, lutimes, lutimesSync,
  mkdir, mkdirSync, mkdtemp, mkdtempSync, open, openSync, opendir, opendirSync, readdir, readdirSync,
  read, readSync, readv, readvSync, readFile, readFileSync, readlink, readlinkSync,
  realpath, realpathSync, rename, renameSync, rm, rmSync, rmdir, rmdirSync, stat, statSync, symlink, symlinkSync, truncate, truncateSync,
  unwatchFile: unsupported('unwatchFile'), unlink, unlinkSync, utimes, utimesSync,
  watch: unsupported('watch'), watchFile: unsupported('watchFile'), writeFile, writeFileSync,
  write, writeSync, writev, writevSync, Dirent, Stats, Dir,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1,
  constants,
};
