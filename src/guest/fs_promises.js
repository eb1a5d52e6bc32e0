'use strict';
// node:fs/promises and FileHandle. One-step operations are the kernel's
// `*_async` ops (settled in the poll phase); the rest run their sync
// version inside an async function, so errors reject as Node's do.

const {
  ArrayBufferIsView,
  Error,
  ErrorCaptureStackTrace,
  ObjectDefineProperty,
  PromiseReject,
  SymbolAsyncDispose,
  SymbolAsyncIterator,
  TypedArrayPrototypeGetByteLength,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const { callAsync } = require('ops');
const fs = require('fs');
const { EventEmitter } = require('events');

const {
  getPath, stringToFlags, parseMode, getOptions, assertEncoding, toData, decode, toEntries,
  readArgs, writeArgs, readNumberStats, readBigIntStats,
} = fs;
const sync = fs.api;

let BufferCtor;
function buffer() {
  if (BufferCtor === undefined) BufferCtor = require('buffer').Buffer;
  return BufferCtor;
}

const kClosed = -1;

class FileHandle extends EventEmitter {
  #fd;
  constructor(fd) {
    super();
    this.#fd = fd;
  }

  get fd() {
    return this.#fd;
  }

  #open(syscall) {
    if (this.#fd === kClosed) {
      const err = new Error(`file closed`);
      err.code = 'EBADF';
      err.syscall = syscall;
      err.errno = -9;
      ErrorCaptureStackTrace(err, this.#open);
      throw err;
    }
    return this.#fd;
  }

  async read(buf, offset, length, position) {
    const fd = this.#open('read');
    if (buf === undefined || (buf !== null && typeof buf === 'object' && !ArrayBufferIsView(buf))) {
      const o = buf || {};
      buf = o.buffer !== undefined ? o.buffer : buffer().alloc(16384);
      offset = o.offset; length = o.length; position = o.position;
    }
    const a = readArgs(fd, buf, offset, length, position, this.read);
    const bytesRead = a.view.byteLength === 0 ? 0 : await callAsync(native.fs_read_async, this.read, [a.fd, a.view, a.pos]);
    return { bytesRead, buffer: buf };
  }

  async readFile(options) {
    const fd = this.#open('read');
    options = getOptions(options, { __proto__: null });
    assertEncoding(options.encoding);
    const encoding = options.encoding;
    return callAsync(native.fs_read_rest_async, this.readFile, [fd], (u8) => decode(u8, encoding));
  }

  async write(data, offset, length, position) {
    const fd = this.#open('write');
    const a = writeArgs(fd, data, offset, length, position, this.write);
    const bytesWritten = await callAsync(native.fs_write_async, this.write, [a.fd, a.bytes, a.pos]);
    return { bytesWritten, buffer: data };
  }

  async writeFile(data, options) {
    const fd = this.#open('write');
    options = getOptions(options, { __proto__: null, encoding: 'utf8' });
    data = toData(data, options.encoding, 'data', this.writeFile);
    let off = 0;
    const len = typeof data === 'string' ? 0 : TypedArrayPrototypeGetByteLength(data);
    if (typeof data === 'string') {
      await callAsync(native.fs_write_async, this.writeFile, [fd, data, -1]);
      return;
    }
    while (off < len) {
      const chunk = off === 0 ? data : new Uint8Array(data.buffer, data.byteOffset + off, len - off);
      off += await callAsync(native.fs_write_async, this.writeFile, [fd, chunk, -1]);
    }
  }

  appendFile(data, options) {
    return this.writeFile(data, options);
  }

  async stat(options) {
    const fd = this.#open('fstat');
    return callAsync(native.fs_fstat_async, this.stat, [fd], options && options.bigint ? readBigIntStats : readNumberStats);
  }

  async truncate(len = 0) {
    sync.ftruncateSync(this.#open('ftruncate'), len);
  }

  async chmod(mode) {
    sync.fchmodSync(this.#open('fchmod'), mode);
  }

  async chown(uid, gid) {
    sync.fchownSync(this.#open('fchown'), uid, gid);
  }

  async utimes(atime, mtime) {
    sync.futimesSync(this.#open('futime'), atime, mtime);
  }

  async sync() {
    sync.fsyncSync(this.#open('fsync'));
  }

  async datasync() {
    sync.fsyncSync(this.#open('fdatasync'));
  }

  async close() {
    if (this.#fd === kClosed) return;
    const fd = this.#fd;
    this.#fd = kClosed;
    await callAsync(native.fs_close_async, this.close, [fd]);
    this.emit('close');
  }

  [SymbolAsyncDispose]() {
    return this.close();
  }

  createReadStream(options) {
    return require('fs_streams').createReadStream(undefined, { ...options, fd: this });
  }

  createWriteStream(options) {
    return require('fs_streams').createWriteStream(undefined, { ...options, fd: this });
  }
}

async function open(p, flags, mode) {
  p = getPath(p, 'path', open);
  const fd = await callAsync(native.fs_open_async, open,
    [p, stringToFlags(flags, 'flags', open), parseMode(mode, 'mode', 0o666, open)]);
  return new FileHandle(fd);
}

async function access(p, mode = 0) {
  p = getPath(p, 'path', access);
  return callAsync(native.fs_access_async, access, [p, parseMode(mode, 'mode', 0, access)]);
}

async function stat(p, options) {
  p = getPath(p, 'path', stat);
  return callAsync(native.fs_stat_async, stat, [p, true], options && options.bigint ? readBigIntStats : readNumberStats);
}

async function lstat(p, options) {
  p = getPath(p, 'path', lstat);
  return callAsync(native.fs_stat_async, lstat, [p, false], options && options.bigint ? readBigIntStats : readNumberStats);
}

async function readFile(p, options) {
  if (p instanceof FileHandle) return p.readFile(options);
  options = getOptions(options, { __proto__: null, flag: 'r' });
  assertEncoding(options.encoding);
  const encoding = options.encoding;
  if (options.signal !== undefined) {
    errors.validateAbortSignal(options.signal, 'options.signal', readFile);
    if (options.signal.aborted) throw abortError(options.signal);
  }
  p = getPath(p, 'path', readFile);
  if (stringToFlags(options.flag, 'flags', readFile) !== 0) return sync.readFileSync(p, options);
  const utf8 = encoding === 'utf8' || encoding === 'utf-8';
  return callAsync(native.fs_read_file_async, readFile, [p, utf8], utf8 ? undefined : (u8) => decode(u8, encoding));
}

function abortError(signal) {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  err.cause = signal.reason;
  return err;
}

async function writeFile(p, data, options) {
  if (p instanceof FileHandle) return p.writeFile(data, options);
  options = getOptions(options, { __proto__: null, encoding: 'utf8', mode: 0o666, flag: 'w' });
  data = toData(data, options.encoding, 'data', writeFile);
  const flags = stringToFlags(options.flag, 'flags', writeFile);
  p = getPath(p, 'path', writeFile);
  return callAsync(native.fs_write_file_async, writeFile, [p, data, flags, parseMode(options.mode, 'mode', 0o666, writeFile)]);
}

async function appendFile(p, data, options) {
  if (p instanceof FileHandle) return p.appendFile(data, options);
  options = getOptions(options, { __proto__: null, encoding: 'utf8', mode: 0o666, flag: 'a' });
  options = { __proto__: null, ...options };
  if (!options.flag) options.flag = 'a';
  return writeFile(p, data, options);
}

async function readdir(p, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8', withFileTypes: false, recursive: false });
  p = getPath(p, 'path', readdir);
  const withTypes = options.withFileTypes === true;
  if (options.recursive === true) return fs.readdirRecursiveSync(p, withTypes, options.encoding);
  return callAsync(native.fs_readdir_async, readdir, [p, withTypes], (list) => toEntries(list, p, withTypes, options.encoding));
}

async function mkdir(p, options) {
  return sync.mkdirSync(p, options);
}

async function mkdtemp(prefix, options) {
  options = getOptions(options, { __proto__: null, encoding: 'utf8' });
  prefix = getPath(prefix, 'prefix', mkdtemp);
  return callAsync(native.fs_mkdtemp_async, mkdtemp, [prefix], (v) => (options.encoding === 'buffer' ? buffer().from(v) : v));
}

async function unlink(p) {
  p = getPath(p, 'path', unlink);
  return callAsync(native.fs_unlink_async, unlink, [p]);
}

async function rename(from, to) {
  from = getPath(from, 'oldPath', rename);
  to = getPath(to, 'newPath', rename);
  return callAsync(native.fs_rename_async, rename, [from, to]);
}

// One line each: the sync call inside an async function.
const viaSync = (name) => ({
  async [name](...args) {
    return require('primordials').ReflectApply(sync[`${name}Sync`], undefined, args);
  },
})[name];

function watch() {
  const err = new Error('fs.promises.watch is not supported in this sandbox: the virtual filesystem has no change notifications');
  err.code = 'ERR_SANDBOX_UNSUPPORTED';
  return { __proto__: null, [SymbolAsyncIterator]() { return { next: () => PromiseReject(err) }; } };
}

const promises = {
  access,
  copyFile: viaSync('copyFile'),
  cp: viaSync('cp'),
  open,
  opendir: viaSync('opendir'),
  rename,
  truncate: viaSync('truncate'),
  rm: viaSync('rm'),
  rmdir: viaSync('rmdir'),
  mkdir,
  readdir,
  readlink: viaSync('readlink'),
  symlink: viaSync('symlink'),
  lstat,
  stat,
  link: viaSync('link'),
  unlink,
  chmod: viaSync('chmod'),
  lchmod: viaSync('lchmod'),
  lchown: viaSync('lchown'),
  chown: viaSync('chown'),
  utimes: viaSync('utimes'),
  lutimes: viaSync('lutimes'),
  realpath: viaSync('realpath'),
  mkdtemp,
  writeFile,
  appendFile,
  readFile,
  watch,
  constants: fs.constants,
};
ObjectDefineProperty(promises, 'constants', { __proto__: null, enumerable: true });

exports.promises = promises;
exports.FileHandle = FileHandle;
