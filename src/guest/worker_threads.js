'use strict';
// require('worker_threads'). A Worker runs on an isolate and a thread of
// its own, in the same runtime (a guest process of the kernel's table, with
// its parent's pid): messages between it and its parent are structured
// clones (V8's format, checked by the kernel as they are read), framed over
// two kernel pipes. MessageChannel, MessagePort and BroadcastChannel work
// inside one thread: delivered from the check phase (setImmediate), and an
// open port does not keep the process alive by itself (Node's does until it
// is closed); their ports cannot be sent to another thread.

const {
  ArrayIsArray,
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  Error,
  ErrorCaptureStackTrace,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberParseInt,
  ObjectFreeze,
  Promise: PromiseCtor,
  ReflectApply,
  SafeArraySlice,
  SafeArraySplice,
  Symbol,
  SymbolFor,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeSet,
} = require('primordials');
const { EventEmitter } = require('events');

const errors = () => require('errors');

function unsupported(message, hideFrom) {
  const err = new Error(message);
  ErrorCaptureStackTrace(err, hideFrom);
  errors().defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  return err;
}

function clone(value, transferList) {
  return require('web').structuredClone(value, transferList === undefined ? undefined : { transfer: transferList });
}

// A message event for addEventListener/onmessage listeners.
function messageEvent(target, data) {
  return { __proto__: null, type: 'message', data, target, ports: [] };
}

const kQueue = Symbol('kQueue');
const kOther = Symbol('kOther');
const kStarted = Symbol('kStarted');
const kScheduled = Symbol('kScheduled');
const kListeners = Symbol('kListeners');
const kOnMessage = Symbol('kOnMessage');

function schedule(port) {
  if (port[kScheduled] || !port[kStarted] || port[kQueue].length === 0) return;
  port[kScheduled] = true;
  require('timers').setImmediate(() => {
    port[kScheduled] = false;
    drain(port);
  });
}

function drain(port) {
  while (port[kStarted] && port[kQueue].length > 0) {
    dispatch(port, ArrayPrototypeShift(port[kQueue]));
  }
}

function dispatch(port, data) {
  port.emit('message', data);
  const listeners = SafeArraySlice(port[kListeners]);
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i];
    const fn = typeof l === 'function' ? l : l.handleEvent;
    ReflectApply(fn, typeof l === 'function' ? port : l, [messageEvent(port, data)]);
  }
}

class MessagePort extends EventEmitter {
  constructor() {
    super();
    throw errors().makeNodeError(require('primordials').TypeError, 'ERR_CONSTRUCT_CALL_INVALID', 'Constructor cannot be called', MessagePort);
  }

  postMessage(value, transferList) {
    if (arguments.length === 0) {
      throw errors().makeNodeError(require('primordials').TypeError, 'ERR_MISSING_ARGS', 'Not enough arguments to MessagePort.postMessage', this.postMessage);
    }
    const data = clone(value, transferList);
    const other = this[kOther];
    if (other === null) return;
    ArrayPrototypePush(other[kQueue], data);
    schedule(other);
  }

  start() {
    this[kStarted] = true;
    schedule(this);
  }

  close() {
    const other = this[kOther];
    if (other === null) return;
    this[kOther] = null;
    if (other !== undefined) other[kOther] = null;
    require('timers').setImmediate(() => {
      this.emit('close');
      if (other !== undefined) other.emit('close');
    });
  }

  ref() { return this; }
  unref() { return this; }
  hasRef() { return false; }

  on(type, listener) {
    super.on(type, listener);
    if (type === 'message') this.start();
    return this;
  }

  addEventListener(type, listener) {
    if (type !== 'message') return;
    if (ArrayPrototypeIndexOf(this[kListeners], listener) === -1) ArrayPrototypePush(this[kListeners], listener);
    this.start();
  }

  removeEventListener(type, listener) {
    if (type !== 'message') return;
    const i = ArrayPrototypeIndexOf(this[kListeners], listener);
    if (i !== -1) SafeArraySplice(this[kListeners], i, 1);
  }

  get onmessage() { return this[kOnMessage] ?? null; }
  set onmessage(fn) {
    if (this[kOnMessage] !== undefined) this.removeEventListener('message', this[kOnMessage]);
    this[kOnMessage] = typeof fn === 'function' ? fn : undefined;
    if (typeof fn === 'function') this.addEventListener('message', fn);
  }
}
MessagePort.prototype.addListener = MessagePort.prototype.on;

// Ports are made here, never by `new MessagePort()`.
function newPort() {
  const port = { __proto__: MessagePort.prototype };
  ReflectApply(EventEmitter, port, []);
  port[kQueue] = [];
  port[kOther] = undefined;
  port[kStarted] = false;
  port[kScheduled] = false;
  port[kListeners] = [];
  return port;
}

class MessageChannel {
  constructor() {
    const port1 = newPort();
    const port2 = newPort();
    port1[kOther] = port2;
    port2[kOther] = port1;
    this.port1 = port1;
    this.port2 = port2;
  }
}

function receiveMessageOnPort(port) {
  if (port === null || typeof port !== 'object' || port[kQueue] === undefined) {
    throw errors().invalidArgType('port', 'MessagePort', port, receiveMessageOnPort);
  }
  if (port[kQueue].length === 0) return undefined;
  return { message: ArrayPrototypeShift(port[kQueue]) };
}

// BroadcastChannels of one name reach each other (never themselves).
const channels = new Map();

class BroadcastChannel extends EventEmitter {
  #name;
  #closed = false;
  constructor(name) {
    super();
    if (arguments.length === 0) {
      throw errors().makeNodeError(require('primordials').TypeError, 'ERR_MISSING_ARGS', 'The "name" argument must be specified', BroadcastChannel);
    }
    this.#name = `${name}`;
    let list = MapPrototypeGet(channels, this.#name);
    if (list === undefined) {
      list = [];
      MapPrototypeSet(channels, this.#name, list);
    }
    ArrayPrototypePush(list, this);
    this.onmessage = null;
  }

  get name() { return this.#name; }

  postMessage(message) {
    if (this.#closed) {
      const { DOMException } = require('dom_exception');
      throw new DOMException('BroadcastChannel is closed.', 'InvalidStateError');
    }
    const list = SafeArraySlice(MapPrototypeGet(channels, this.#name));
    for (let i = 0; i < list.length; i++) {
      const other = list[i];
      if (other === this) continue;
      const data = clone(message);
      require('timers').setImmediate(() => {
        if (other.#closed) return;
        other.emit('message', messageEvent(other, data));
        if (typeof other.onmessage === 'function') other.onmessage(messageEvent(other, data));
      });
    }
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    const list = MapPrototypeGet(channels, this.#name);
    const i = ArrayPrototypeIndexOf(list, this);
    if (i !== -1) SafeArraySplice(list, i, 1);
  }

  ref() { return this; }
  unref() { return this; }
}

// ---- threads ----

// A frame: its length (4 bytes, little-endian, the kind included), its kind,
// then a message in V8's serialization format.
const FRAME_MESSAGE = 0;
const FRAME_ERROR = 1;

function frame(kind, bytes) {
  const { Buffer } = require('buffer').api;
  const n = TypedArrayPrototypeGetByteLength(bytes) + 1;
  const out = Buffer.allocUnsafe(n + 4);
  out[0] = n & 0xff; out[1] = (n >>> 8) & 0xff; out[2] = (n >>> 16) & 0xff; out[3] = (n >>> 24) & 0xff;
  out[4] = kind;
  TypedArrayPrototypeSet(out, bytes, 5);
  return out;
}

// A 'data' listener that calls `onFrame(kind, bytes)` for each whole frame.
function frameReader(onFrame) {
  const { Buffer } = require('buffer').api;
  let pending = null;
  return (chunk) => {
    pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
    while (pending !== null && pending.length >= 4) {
      const n = (pending[0] | (pending[1] << 8) | (pending[2] << 16) | (pending[3] << 24)) >>> 0;
      if (pending.length < 4 + n) break;
      const kind = pending[4];
      const body = pending.subarray(5, 4 + n);
      pending = pending.length === 4 + n ? null : pending.subarray(4 + n);
      onFrame(kind, body);
    }
  };
}

// Both ends of a thread's channel: `onFrame(kind, bytes)` for each frame
// read; `onEnd()` when the other side has gone.
function openChannel(readFd, writeFd, onFrame, onEnd) {
  const net = require('net');
  const reader = new net.Socket({ __proto__: null, [net.kPipeFd]: readFd, writable: false });
  const writer = new net.Socket({ __proto__: null, [net.kPipeFd]: writeFd, readable: false });
  reader.on('data', frameReader(onFrame));
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    writer.destroy();
    reader.destroy();
    onEnd();
  };
  reader.on('end', end);
  reader.on('error', end);
  // A side that has gone takes nothing more: that is not an error here.
  writer.on('error', end);
  return { reader, writer, end, get ended() { return ended; } };
}

function serializeMessage(value, transferList, caller) {
  if (transferList !== undefined && transferList !== null) {
    const list = ArrayIsArray(transferList) ? transferList : transferList.transfer;
    if (list !== undefined && list !== null && list.length > 0) {
      throw unsupported('Transferring objects to another thread is not supported in this sandbox', caller);
    }
  }
  return require('v8').api.serialize(value);
}

// The worker's side: its parentPort.
function workerPort(readFd, writeFd) {
  const port = newPort();
  port[kOther] = null;
  const channel = openChannel(readFd, writeFd, (kind, body) => {
    if (kind !== FRAME_MESSAGE) return;
    let data;
    try {
      data = require('v8').api.deserialize(body);
    } catch (err) {
      port.emit('messageerror', err);
      return;
    }
    dispatch(port, data);
  }, () => { port.emit('close'); });
  port.postMessage = function postMessage(value, transferList) {
    if (arguments.length === 0) {
      throw errors().makeNodeError(require('primordials').TypeError, 'ERR_MISSING_ARGS', 'Not enough arguments to MessagePort.postMessage', postMessage);
    }
    if (channel.ended) return;
    channel.writer.write(frame(FRAME_MESSAGE, serializeMessage(value, transferList, postMessage)));
  };
  port.close = function close() { channel.end(); };
  // As Node's: the port keeps the worker alive while it has listeners.
  channel.reader.unref();
  port.ref = function ref() { channel.reader.ref(); return port; };
  port.unref = function unref() { channel.reader.unref(); return port; };
  port.hasRef = function hasRef() { return port.listenerCount('message') > 0 || port[kListeners].length > 0; };
  port.start = function start() { channel.reader.ref(); };
  workerChannel = channel;
  return port;
}

let workerChannel = null;

// The worker's uncaught error goes to its parent's 'error' event (what the
// engine would print is then nothing: the parent decides).
function reportFatal(err) {
  if (workerChannel === null || workerChannel.ended) return false;
  let bytes;
  try {
    bytes = require('v8').api.serialize(err);
  } catch {
    bytes = require('v8').api.serialize(new Error(String(err)));
  }
  native.pipe_write(config.ipc[1], frame(FRAME_ERROR, bytes));
  return true;
}

const kChild = Symbol('kChild');
const kChannel = Symbol('kChannel');
const kExit = Symbol('kExit');

class Worker extends EventEmitter {
  constructor(filename, options) {
    super();
    if (options === undefined) options = {};
    else errors().validateObject(options, 'options', Worker);
    let args;
    if (options.eval === true) {
      if (typeof filename !== 'string') throw errors().invalidArgType('filename', 'string', filename, Worker);
      args = ['-e', filename];
    } else {
      if (typeof filename === 'object' && filename !== null && require('url').isURL(filename)) {
        filename = require('url').fileURLToPath(filename);
      }
      if (typeof filename !== 'string') throw errors().invalidArgType('filename', ['string', 'URL'], filename, Worker);
      const path = require('path').posix;
      if (!path.isAbsolute(filename) && !/^\.\.?[\\/]/.test(filename)) {
        throw errors().makeNodeError(require('primordials').TypeError, 'ERR_WORKER_PATH',
          'The worker script or module filename must be an absolute path or a relative path starting with ' +
          `'./' or '../'. Received "${filename}"`, Worker);
      }
      args = [path.resolve(filename)];
    }
    if (options.argv !== undefined) {
      if (!ArrayIsArray(options.argv)) throw errors().invalidArgType('options.argv', 'Array', options.argv, Worker);
      for (let i = 0; i < options.argv.length; i++) ArrayPrototypePush(args, `${options.argv[i]}`);
    }
    const proc = require('process').getProcess();
    let env = options.env;
    if (env === undefined || env === null || env === SymbolFor('nodejs.worker_threads.SHARE_ENV')) env = proc.env;
    const envPairs = [];
    const keys = require('primordials').ObjectKeys(env);
    for (let i = 0; i < keys.length; i++) {
      if (env[keys[i]] !== undefined) ArrayPrototypePush(envPairs, `${keys[i]}=${env[keys[i]]}`);
    }
    const stdio = [options.stdin === true ? 'pipe' : 'ignore', options.stdout === true ? 'pipe' : 'inherit',
      options.stderr === true ? 'pipe' : 'inherit'];
    const data = serializeMessage(options.workerData, options.transferList, Worker);
    const spec = require('primordials').JSONStringify({
      file: 'node', args, cwd: null, env: envPairs, stdio, ipc: false, worker: true,
    });
    const r = native.proc_spawn(spec, data);
    if (r === require('ops').FAILED) throw require('ops').opError(Worker);
    const pid = NumberParseInt(r[0], 10);
    this.threadId = NumberParseInt(r[6], 10);
    this.resourceLimits = { maxYoungGenerationSizeMb: 0, maxOldGenerationSizeMb: 0, codeRangeSizeMb: 0, stackSizeMb: 4 };
    this[kChild] = pid;
    this[kExit] = null;
    const net = require('net');
    const streams = [null, null, null];
    for (let i = 0; i < 3; i++) {
      const fd = NumberParseInt(r[i + 1], 10);
      if (fd < 0) continue;
      const opts = { __proto__: null, [net.kPipeFd]: fd };
      if (i === 0) opts.readable = false;
      else opts.writable = false;
      streams[i] = new net.Socket(opts);
    }
    this.stdin = streams[0];
    this.stdout = streams[1];
    this.stderr = streams[2];
    const self = this;
    this[kChannel] = openChannel(NumberParseInt(r[4], 10), NumberParseInt(r[5], 10), (kind, body) => {
      let value;
      try {
        value = require('v8').api.deserialize(body);
      } catch (err) {
        self.emit('messageerror', err);
        return;
      }
      if (kind === FRAME_ERROR) self.emit('error', value);
      else self.emit('message', value);
    }, () => {});
    // The channel does not keep the parent alive: the worker's life does.
    this[kChannel].reader.unref();
    const waitId = require('ops').callAsyncCallback(native.proc_wait, undefined, [pid], (err, status) => {
      self[kWaitOp] = undefined;
      // Killed (terminate(), or a limit): exit code 1, as Node's.
      const code = err !== null || status < 0 ? 1 : status;
      self[kExit] = code;
      // Messages it sent before its end are delivered first.
      require('timers').setImmediate(() => {
        self[kChannel].end();
        self.emit('exit', code);
      });
    });
    this[kWaitOp] = waitId;
    require('timers').nextTick(() => self.emit('online'));
  }

  postMessage(value, transferList) {
    if (arguments.length === 0) {
      throw errors().makeNodeError(require('primordials').TypeError, 'ERR_MISSING_ARGS', 'Not enough arguments to MessagePort.postMessage', this.postMessage);
    }
    const channel = this[kChannel];
    if (channel.ended || this[kExit] !== null) return;
    channel.writer.write(frame(FRAME_MESSAGE, serializeMessage(value, transferList, this.postMessage)));
  }

  terminate(callback) {
    const self = this;
    const p = new PromiseCtor((resolve) => {
      if (self[kExit] !== null) { resolve(self[kExit]); return; }
      self.once('exit', resolve);
      native.proc_kill(self[kChild], 9);
    });
    if (typeof callback === 'function') p.then((code) => callback(null, code));
    return p;
  }

  ref() {
    if (this[kWaitOp] !== undefined) require('ops').setRefById(this[kWaitOp], true);
  }

  unref() {
    if (this[kWaitOp] !== undefined) require('ops').setRefById(this[kWaitOp], false);
  }

  getHeapSnapshot() {
    return PromiseCtor.reject(unsupported('worker.getHeapSnapshot is not supported in this sandbox'));
  }
}
const kWaitOp = Symbol('kWaitOp');

// In a worker: what its parent gave it.
const isWorker = config.worker !== undefined;
let parentPort = null;
let workerData = null;
if (isWorker) {
  parentPort = workerPort(config.ipc[0], config.ipc[1]);
  if (config.stdin !== undefined && config.stdin !== null) workerData = require('v8').api.deserialize(config.stdin);
}

const environmentData = new Map();

exports.reportFatal = reportFatal;
exports.frameReader = frameReader;
exports.messageFrame = (bytes) => frame(FRAME_MESSAGE, bytes);
exports.isWorker = isWorker;

exports.api = {
  isMainThread: !isWorker,
  MessagePort,
  MessageChannel,
  markAsUntransferable() {},
  moveMessagePortToContext() {
    throw unsupported('worker_threads.moveMessagePortToContext is not supported in this sandbox');
  },
  receiveMessageOnPort,
  resourceLimits: ObjectFreeze({}),
  postMessageToThread() {
    throw unsupported('worker_threads.postMessageToThread is not supported in this sandbox');
  },
  threadId: isWorker ? config.worker.threadId : 0,
  SHARE_ENV: SymbolFor('nodejs.worker_threads.SHARE_ENV'),
  Worker,
  parentPort,
  workerData,
  BroadcastChannel,
  setEnvironmentData(key, value) {
    if (value === undefined) require('primordials').MapPrototypeDelete(environmentData, key);
    else MapPrototypeSet(environmentData, key, value);
  },
  getEnvironmentData(key) {
    return MapPrototypeGet(environmentData, key);
  },
};
