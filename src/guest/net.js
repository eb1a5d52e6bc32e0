'use strict';
// node:net over the kernel's socket table: a Socket is a Duplex over one
// kernel socket id, a Server a listener id with one accept in flight. The
// kernel decides what a connect reaches (the runtime's loopback, or a
// destination the network policy allows); nothing here checks anything.
// Reads are one `net_read` op at a time while the stream wants data
// (backpressure is the Readable's); a write the kernel takes only in part
// waits on `net_writable` for the rest.

const {
  ArrayPrototypePush,
  Error: ErrorCtor,
  FunctionPrototypeCall,
  Promise: PromiseCtor,
  RangeError: RangeErrorCtor,
  MapPrototypeGet,
  NumberIsInteger,
  NumberParseInt,
  ObjectDefineProperty,
  RegExpPrototypeExec,
  Symbol,
  SymbolAsyncDispose,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSubarray,
} = require('primordials');
const errors = require('errors');
const ops = require('ops');
const timers = require('timers');
const { nextTick } = timers;
const { EventEmitter } = require('events');
const { Duplex } = require('stream').Stream;
const { isIP, isIPv4, isIPv6 } = require('stubs');

const netListen = native.net_listen;
const netAccept = native.net_accept;
const netConnect = native.net_connect;
const netRead = native.net_read;
const netWrite = native.net_write;
const netWritable = native.net_writable;
const netShutdown = native.net_shutdown;
const netClose = native.net_close;
// A Socket over a kernel pipe descriptor (a child process's stdio, as
// Node's child.stdout is a net.Socket over a pipe handle).
const SOCKET_OPS = { __proto__: null, read: netRead, write: netWrite, writable: netWritable, close: netClose };
const PIPE_OPS = {
  __proto__: null, read: native.pipe_read, write: native.pipe_write, writable: native.pipe_writable, close: native.fs_close,
};
const kOps = Symbol('kOps');
const kPipeFd = Symbol('kPipeFd');
const netAddress = native.net_address;
const FAILED = native.failed;

const kId = Symbol('kId');
const kReading = Symbol('kReading');
const kRefed = Symbol('kRefed');
const kPendingWrite = Symbol('kPendingWrite');
const kPendingFinal = Symbol('kPendingFinal');
const kTimeout = Symbol('kTimeout');
const kTimeoutMs = Symbol('kTimeoutMs');
const kBytesWritten = Symbol('kBytesWritten');
const kHost = Symbol('kHost');
const kConnections = Symbol('kConnections');
const kAccepting = Symbol('kAccepting');
const kAcceptOp = Symbol('kAcceptOp');
const kReadOp = Symbol('kReadOp');
const kRemote = Symbol('kRemote');

let BufferApi;
function bufferConcat(list) {
  if (BufferApi === undefined) BufferApi = require('buffer').api.Buffer;
  return BufferApi.concat(list);
}

let FastBuffer;
function bufferOf(bytes) {
  if (FastBuffer === undefined) FastBuffer = require('buffer').FastBuffer;
  return new FastBuffer(bytes.buffer, bytes.byteOffset, TypedArrayPrototypeGetByteLength(bytes));
}

// ---- errors, as Node words them ----

function describe(errno) {
  const entry = MapPrototypeGet(require('util_public').getSystemErrorMap(), errno);
  return entry === undefined ? 'unknown error' : entry[1];
}

// Node's uvException / exceptionWithHostPort: `connect ECONNREFUSED
// 127.0.0.1:80`, `listen EADDRINUSE: address already in use :::80`.
function netError(opErr, syscall, address, port, withDescription) {
  const code = opErr.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    // The host found no address for the name (dns.lookup's error).
    const err = new ErrorCtor(`getaddrinfo ${code} ${address}`);
    err.errno = code === 'ENOTFOUND' ? -3008 : -3001;
    err.code = code;
    err.syscall = 'getaddrinfo';
    err.hostname = address;
    return err;
  }
  let errno = opErr.errno;
  if (typeof errno !== 'number') {
    const n = require('os').os.constants.errno[code];
    if (n !== undefined) errno = -n;
  }
  let message = `${syscall} ${code}`;
  if (withDescription) message += `: ${describe(errno)}`;
  let details = '';
  if (address !== undefined && port !== undefined && port > 0) details = `${address}:${port}`;
  else if (address !== undefined) details = address;
  if (details !== '') message += ` ${details}`;
  const err = new ErrorCtor(message);
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  if (address !== undefined) err.address = address;
  if (port !== undefined && port > 0) err.port = port;
  return err;
}

// The error a raw op left, as thrown by `check`.
function lastError() {
  return ops.opError(undefined);
}

// Starts async op `op` (`cb(err, value)` settles it in the poll phase):
// its id, or undefined when the kernel refused at once (`refused(err)`).
function start(op, args, cb, refed, refused) {
  let id;
  try {
    id = ops.callAsyncCallback(op, undefined, args, cb);
  } catch (e) {
    refused(e);
    return undefined;
  }
  if (!refed) ops.setRefById(id, false);
  return id;
}

// ---- argument checks ----

function validatePort(port, name = 'Port', allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && (port.length === 0 || RegExpPrototypeExec(/^\s*$/, port) !== null)) ||
      +port !== (+port >>> 0) || +port > 0xFFFF || (port === 0 && !allowZero)) {
    throw errors.makeNodeError(RangeErrorCtor, 'ERR_SOCKET_BAD_PORT',
      `${name} should be >= 0 and < 65536. Received ${errors.determineSpecificType(port)}.`);
  }
  return +port | 0;
}

function toNumber(x) { return (x = +x) >= 0 ? x : false; }

function isPipeName(s) { return typeof s === 'string' && toNumber(s) === false; }

// Node's normalizeArgs: [options, cb] from connect()/listen() arguments.
function normalizeArgs(args) {
  if (args.length === 0) return [{}, null];
  const arg0 = args[0];
  let options = {};
  if (typeof arg0 === 'object' && arg0 !== null) {
    options = arg0;
  } else if (isPipeName(arg0)) {
    options.path = arg0;
  } else {
    options.port = arg0;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  const cb = args[args.length - 1];
  return [options, typeof cb === 'function' ? cb : null];
}

function unsupportedPath(what) {
  const err = new ErrorCtor(`${what} on a path (a Unix domain socket) is not supported in this sandbox`);
  errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  return err;
}

// ---- Socket ----

class Socket extends Duplex {
  constructor(options) {
    if (typeof options === 'number') options = { fd: options };
    else if (options === undefined) options = {};
    else errors.validateObject(options, 'options');
    const allowHalfOpen = options.allowHalfOpen === true;
    super({
      allowHalfOpen,
      emitClose: false,
      autoDestroy: true,
      // Strings reach _write as bytes in their own encoding.
      decodeStrings: true,
      highWaterMark: options.highWaterMark,
      signal: options.signal,
      readable: options.readable,
      writable: options.writable,
    });
    if (options.fd !== undefined || options.handle !== undefined) {
      throw unsupportedPath('new net.Socket({ fd, handle })');
    }
    this.connecting = false;
    this._hadError = false;
    this._host = null;
    this.server = null;
    this._server = null;
    this[kId] = undefined;
    this[kReading] = false;
    this[kReadOp] = undefined;
    this[kRefed] = true;
    this[kPendingWrite] = null;
    this[kPendingFinal] = null;
    this[kTimeout] = null;
    this[kTimeoutMs] = 0;
    this[kBytesWritten] = 0;
    this[kRemote] = undefined;
    this.bytesRead = 0;
    this[kOps] = SOCKET_OPS;
    this.on('end', onReadableEnd);
    if (options[kPipeFd] !== undefined) {
      this[kOps] = PIPE_OPS;
      this[kId] = options[kPipeFd];
    }
    // A socket the server accepted: connected from the start, and read from
    // at once as Node's (so its end is seen even if nobody reads it).
    if (options[kId] !== undefined) {
      this[kId] = options[kId];
      if (options.pauseOnConnect !== true) this.read(0);
    }
  }

  connect(...args) {
    const [options, cb] = normalizeArgs(args);
    if (options.path) throw unsupportedPath('net.connect()');
    if (this.destroyed) {
      this._undestroy();
      this[kId] = undefined;
    }
    if (cb !== null) this.once('connect', cb);
    const host = options.host === undefined || options.host === null ? 'localhost' : options.host;
    if (typeof host !== 'string') throw errors.invalidArgType('options.host', ['string'], host);
    const port = validatePort(options.port, 'Port');
    // Errors name the address `localhost` resolved to, as Node's do.
    const shown = host === 'localhost' ? '127.0.0.1' : host;
    if (options.timeout) this.setTimeout(options.timeout);
    this.connecting = true;
    this._host = host;
    const self = this;
    this[kReadOp] = start(netConnect, [host, port], (err, id) => {
      self[kReadOp] = undefined;
      if (err !== null) {
        self.connecting = false;
        self.destroy(netError(err, 'connect', err.code === 'ENOTFOUND' ? host : shown, port, false));
        return;
      }
      if (self.destroyed) { netClose(id); return; }
      self[kId] = id;
      self._afterConnect();
    }, this[kRefed], (e) => {
      const err = netError(e, 'connect', e.code === 'ENOTFOUND' ? host : shown, port, false);
      nextTick(() => { self.connecting = false; self.destroy(err); });
    });
    return this;
  }

  // Connected: a plain socket is ready (a TLS socket first runs its
  // handshake, then calls afterConnect itself).
  _afterConnect() {
    afterConnect(this, 'connect');
  }

  _read() {
    if (this[kId] === undefined || this.connecting) return; // reading starts on connect
    startRead(this);
  }

  _write(chunk, encoding, cb) {
    if (this[kId] === undefined || this.connecting) {
      if (this.connecting) {
        this[kPendingWrite] = { chunk, cb };
        return;
      }
      cb(notConnected());
      return;
    }
    writeSome(this, chunk, cb);
  }

  // Corked writes (cork()/uncork(), http's head and body) go as one op.
  _writev(chunks, cb) {
    const bufs = [];
    for (let i = 0; i < chunks.length; i++) ArrayPrototypePush(bufs, chunks[i].chunk);
    this._write(bufferConcat(bufs), 'buffer', cb);
  }

  _final(cb) {
    if (this[kId] === undefined || this.connecting) {
      if (this.connecting) {
        // afterConnect ends it once connected (a TLS socket: once secure).
        this[kPendingFinal] = cb;
        return;
      }
      cb();
      return;
    }
    if (this[kOps] === PIPE_OPS) {
      // A pipe's write end closes: its reader sees the end.
      const fd = this[kId];
      this[kId] = undefined;
      PIPE_OPS.close(fd);
      cb();
      return;
    }
    if (netShutdown(this[kId]) === FAILED) {
      const e = lastError();
      // A peer already gone: nothing to shut down.
      if (e.code !== 'EBADF') { cb(netError(e, 'shutdown')); return; }
    }
    cb();
  }

  _destroy(err, cb) {
    this._unrefTimerClear();
    if (this[kReadOp] !== undefined) this[kReadOp] = undefined;
    const id = this[kId];
    if (id !== undefined) {
      this[kId] = undefined;
      this[kOps].close(id);
    }
    this.connecting = false;
    if (err) this._hadError = true;
    const self = this;
    cb(err);
    nextTick(() => {
      self.emit('close', self._hadError);
      if (self.server !== null) self.server._connectionClosed();
    });
  }

  address() {
    const a = addressOf(this[kId]);
    if (a === undefined) return {};
    return { address: a[0], family: a[4], port: NumberParseInt(a[1], 10) };
  }

  get remoteAddress() { const a = remoteOf(this); return a === undefined ? undefined : a[2]; }
  get remotePort() { const a = remoteOf(this); return a === undefined ? undefined : NumberParseInt(a[3], 10); }
  get remoteFamily() { const a = remoteOf(this); return a === undefined ? undefined : a[4]; }
  get localAddress() { const a = addressOf(this[kId]); return a === undefined ? undefined : a[0]; }
  get localPort() { const a = addressOf(this[kId]); return a === undefined ? undefined : NumberParseInt(a[1], 10); }
  get localFamily() { const a = addressOf(this[kId]); return a === undefined ? undefined : a[4]; }

  get bytesWritten() { return this[kBytesWritten]; }
  get bufferSize() { return this.writableLength; }
  get pending() { return this[kId] === undefined || this.connecting; }
  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  }
  // A pipe's descriptor is its own (a child's stdio can be given it).
  get _handle() {
    if (this[kId] === undefined) return null;
    return { fd: this[kOps] === PIPE_OPS ? this[kId] : -1 };
  }

  setNoDelay() { return this; }
  setKeepAlive() { return this; }

  setTimeout(msecs, callback) {
    if (typeof msecs !== 'number') throw errors.invalidArgType('msecs', ['number'], msecs);
    this[kTimeoutMs] = msecs;
    this.timeout = msecs;
    if (callback !== undefined) {
      errors.validateFunction(callback, 'callback');
      if (msecs === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    this._unrefTimer();
    return this;
  }

  // Re-arms the idle timer after activity (Node's `_unrefTimer`).
  _unrefTimer() {
    this._unrefTimerClear();
    const ms = this[kTimeoutMs];
    if (!(ms > 0) || this.destroyed) return;
    const self = this;
    const t = timers.setTimeout(() => { self[kTimeout] = null; self.emit('timeout'); }, ms);
    t.unref();
    this[kTimeout] = t;
  }

  _unrefTimerClear() {
    if (this[kTimeout] !== null) {
      timers.clearTimeout(this[kTimeout]);
      this[kTimeout] = null;
    }
  }

  ref() {
    this[kRefed] = true;
    if (this[kReadOp] !== undefined) ops.setRefById(this[kReadOp], true);
    return this;
  }

  unref() {
    this[kRefed] = false;
    if (this[kReadOp] !== undefined) ops.setRefById(this[kReadOp], false);
    return this;
  }

  resetAndDestroy() {
    return this.destroy();
  }

  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', this.destroy);
  }
}

// The connection is usable: `event` is emitted, a write or end() waiting
// for it goes, and reading starts if someone wants data.
function afterConnect(self, event) {
  self.connecting = false;
  self._unrefTimer();
  self.emit(event);
  if (event === 'connect') self.emit('ready');
  if (self[kPendingWrite] !== null) {
    const { chunk, cb } = self[kPendingWrite];
    self[kPendingWrite] = null;
    writeSome(self, chunk, cb);
  }
  // end() came while connecting (the Writable waits for no write then).
  if (self[kPendingFinal] !== null) {
    const cb = self[kPendingFinal];
    self[kPendingFinal] = null;
    self._final(cb);
  }
  const rs = self._readableState;
  if (rs.flowing || rs.length < rs.highWaterMark) startRead(self);
}

function onReadableEnd() {
  // Half-open sockets keep writing; others end their side too (Duplex
  // does that when allowHalfOpen is false) and go once both are done.
  if (!this.allowHalfOpen && !this.writableEnded) this.end();
}

function notConnected() {
  const err = new ErrorCtor('This socket is closed');
  errors.defineCode(err, 'ERR_SOCKET_CLOSED');
  return err;
}

function startRead(self) {
  if (self[kReading] || self[kId] === undefined || self.destroyed) return;
  self[kReading] = true;
  self[kReadOp] = start(self[kOps].read, [self[kId], 65536], (err, chunk) => {
    self[kReading] = false;
    self[kReadOp] = undefined;
    if (self.destroyed) return;
    if (err !== null) {
      self.destroy(netError(err, 'read'));
      return;
    }
    self._unrefTimer();
    if (chunk === null) {
      // As Node's: read(0) after the end, so it is seen without a reader.
      self.push(null);
      self.read(0);
      return;
    }
    self.bytesRead += TypedArrayPrototypeGetByteLength(chunk);
    if (self.push(bufferOf(chunk))) startRead(self);
  }, self[kRefed], (e) => {
    self[kReading] = false;
    const err = netError(e, 'read');
    nextTick(() => self.destroy(err));
  });
}

// Writes `chunk`, waiting for room as often as the peer is slow.
function writeSome(self, chunk, cb) {
  const id = self[kId];
  if (id === undefined) { cb(notConnected()); return; }
  const n = self[kOps].write(id, chunk);
  if (n === FAILED) {
    cb(netError(lastError(), 'write'));
    return;
  }
  self[kBytesWritten] += n;
  self._unrefTimer();
  const len = TypedArrayPrototypeGetByteLength(chunk);
  if (n === len) {
    cb();
    return;
  }
  const rest = TypedArrayPrototypeSubarray(chunk, n);
  start(self[kOps].writable, [id], (err) => {
    if (err !== null) { cb(netError(err, 'write')); return; }
    if (self.destroyed) { cb(notConnected()); return; }
    writeSome(self, rest, cb);
  }, true, (e) => cb(netError(e, 'write')));
}

function addressOf(id) {
  if (id === undefined) return undefined;
  const a = netAddress(id);
  if (a === FAILED) { lastError(); return undefined; }
  return a;
}

// The remote end outlives the handle in Node (it is read while connected).
function remoteOf(self) {
  if (self[kRemote] === undefined) {
    const a = addressOf(self[kId]);
    if (a !== undefined && a[3] !== '') self[kRemote] = a;
  }
  return self[kRemote];
}

// ---- Server ----

class Server extends EventEmitter {
  constructor(options, connectionListener) {
    super();
    if (typeof options === 'function') {
      connectionListener = options;
      options = {};
    } else if (options === undefined || options === null) {
      options = {};
    } else {
      errors.validateObject(options, 'options');
    }
    if (typeof connectionListener === 'function') this.on('connection', connectionListener);
    this[kId] = undefined;
    this[kHost] = undefined;
    this[kConnections] = 0;
    this[kAccepting] = false;
    this[kAcceptOp] = undefined;
    this[kRefed] = true;
    this._connectionKey = undefined;
    this.allowHalfOpen = options.allowHalfOpen === true;
    this.pauseOnConnect = options.pauseOnConnect === true;
    this.noDelay = options.noDelay === true;
    this.keepAlive = options.keepAlive === true;
    this.maxConnections = undefined;
  }

  get listening() { return this[kId] !== undefined; }

  listen(...args) {
    const [options, cb] = normalizeArgs(args);
    if (cb !== null) this.once('listening', cb);
    if (this[kId] !== undefined) {
      throw errors.makeNodeError(ErrorCtor, 'ERR_SERVER_ALREADY_LISTEN',
        'Listen method has been called more than once without closing.');
    }
    if (options.path) throw unsupportedPath('server.listen()');
    let backlog = options.backlog;
    if (typeof args[1] === 'number') backlog = args[1];
    else if (typeof args[2] === 'number') backlog = args[2];
    const port = options.port === undefined || options.port === null ? 0 : validatePort(options.port, 'options.port');
    const host = options.host === undefined || options.host === null ? '' : options.host;
    if (typeof host !== 'string') throw errors.invalidArgType('options.host', ['string'], host);
    const id = netListen(host, port, backlog === undefined ? 511 : backlog >>> 0);
    const self = this;
    if (id === FAILED) {
      const shown = host === '' ? '::' : host;
      const err = netError(lastError(), 'listen', shown, port, true);
      nextTick(() => self.emit('error', err));
      return this;
    }
    this[kId] = id;
    this[kHost] = host;
    this._connectionKey = `${host === '' ? '6' : isIP(host) || 4}:${host === '' ? '::' : host}:${this.address().port}`;
    nextTick(() => {
      if (self[kId] !== id) return;
      self.emit('listening');
    });
    acceptNext(this);
    return this;
  }

  address() {
    const a = addressOf(this[kId]);
    if (a === undefined) return null;
    const host = this[kHost];
    let address;
    let family;
    if (host === '' || host === '::') { address = '::'; family = 'IPv6'; }
    else if (host === 'localhost') { address = '127.0.0.1'; family = 'IPv4'; }
    else { address = host; family = isIPv6(host) ? 'IPv6' : 'IPv4'; }
    return { address, family, port: NumberParseInt(a[1], 10) };
  }

  close(cb) {
    if (typeof cb === 'function') {
      if (this[kId] === undefined) {
        this.once('close', () => cb(errors.makeNodeError(ErrorCtor, 'ERR_SERVER_NOT_RUNNING',
          'Server is not running.')));
      } else {
        this.once('close', cb);
      }
    }
    const id = this[kId];
    if (id !== undefined) {
      this[kId] = undefined;
      this[kAcceptOp] = undefined;
      netClose(id);
    }
    this._emitCloseIfDrained();
    return this;
  }

  _emitCloseIfDrained() {
    if (this[kId] !== undefined || this[kConnections] > 0) return;
    const self = this;
    nextTick(() => self.emit('close'));
  }

  _connectionClosed() {
    this[kConnections]--;
    if (this[kId] === undefined) this._emitCloseIfDrained();
  }

  getConnections(cb) {
    const n = this[kConnections];
    if (typeof cb === 'function') nextTick(cb, null, n);
    return this;
  }

  ref() {
    this[kRefed] = true;
    if (this[kAcceptOp] !== undefined) ops.setRefById(this[kAcceptOp], true);
    return this;
  }

  unref() {
    this[kRefed] = false;
    if (this[kAcceptOp] !== undefined) ops.setRefById(this[kAcceptOp], false);
    return this;
  }

  [SymbolAsyncDispose]() {
    const self = this;
    return new PromiseCtor((resolve, reject) => {
      if (self[kId] === undefined) { resolve(); return; }
      self.close((err) => (err ? reject(err) : resolve()));
    });
  }
}

function acceptNext(server) {
  const listener = server[kId];
  if (listener === undefined) return;
  const id = start(netAccept, [listener], (err, conn) => {
    if (server[kAcceptOp] === id) server[kAcceptOp] = undefined;
    if (server[kId] !== listener) {
      if (err === null) netClose(conn);
      return;
    }
    if (err !== null) {
      server.emit('error', netError(err, 'accept'));
      return;
    }
    if (server.maxConnections !== undefined && server[kConnections] >= server.maxConnections) {
      netClose(conn);
      server.emit('drop', {});
    } else {
      const socket = new Socket({ [kId]: conn, allowHalfOpen: server.allowHalfOpen, pauseOnConnect: server.pauseOnConnect });
      socket.server = server;
      socket._server = server;
      server[kConnections]++;
      if (server.pauseOnConnect) socket.pause();
      server.emit('connection', socket);
    }
    acceptNext(server);
  }, server[kRefed], (e) => {
    const err = netError(e, 'accept');
    nextTick(() => server.emit('error', err));
  });
  server[kAcceptOp] = id;
}

// ---- module functions ----

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

function connect(...args) {
  const [options] = normalizeArgs(args);
  const socket = new Socket(options);
  if (options.timeout) socket.setTimeout(options.timeout);
  return FunctionPrototypeCall(socket.connect, socket, ...args);
}

let autoSelectFamily = true;
let autoSelectFamilyAttemptTimeout = 250;

const api = {
  _createServerHandle() { throw unsupportedPath('net._createServerHandle()'); },
  _normalizeArgs: normalizeArgs,
  _setSimultaneousAccepts() {},
  BlockList: require('stubs').load('net').BlockList,
  SocketAddress: require('stubs').load('net').SocketAddress,
  connect,
  createConnection: connect,
  createServer,
  isIP,
  isIPv4,
  isIPv6,
  Server,
  Socket,
  Stream: Socket,
  getDefaultAutoSelectFamily() { return autoSelectFamily; },
  setDefaultAutoSelectFamily(v) {
    if (typeof v !== 'boolean') throw errors.invalidArgType('value', ['boolean'], v);
    autoSelectFamily = v;
  },
  getDefaultAutoSelectFamilyAttemptTimeout() { return autoSelectFamilyAttemptTimeout; },
  setDefaultAutoSelectFamilyAttemptTimeout(v) {
    errors.validateInteger(v, 'value', 1);
    autoSelectFamilyAttemptTimeout = v < 10 ? 10 : v;
  },
};

exports.api = api;
exports.Socket = Socket;
exports.Server = Server;
exports.netError = netError;
exports.validatePort = validatePort;
exports.afterConnect = afterConnect;
exports.kId = kId;
exports.kPipeFd = kPipeFd;
