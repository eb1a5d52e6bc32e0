'use strict';
// require('worker_threads'). The guest is always the main (and only)
// thread: there are no workers (new Worker() fails with
// ERR_SANDBOX_UNSUPPORTED). MessageChannel, MessagePort and
// BroadcastChannel work inside the thread: messages are structured clones,
// delivered from the check phase (setImmediate), and an open port does not
// keep the process alive by itself (Node's does until it is closed).

const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  Error,
  ErrorCaptureStackTrace,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectFreeze,
  ReflectApply,
  SafeArraySlice,
  SafeArraySplice,
  Symbol,
  SymbolFor,
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
      throw errors().makeNodeError(require('primordials').TypeError, 'ERR_MISSING_ARGS', 'The "value" argument must be specified', this.postMessage);
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

class Worker extends EventEmitter {
  constructor(filename, options) {
    super();
    throw unsupported('worker_threads.Worker is not supported in this sandbox', Worker);
  }
}

const environmentData = new Map();

exports.api = {
  isMainThread: true,
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
  threadId: 0,
  SHARE_ENV: SymbolFor('nodejs.worker_threads.SHARE_ENV'),
  Worker,
  parentPort: null,
  workerData: null,
  BroadcastChannel,
  setEnvironmentData(key, value) {
    if (value === undefined) require('primordials').MapPrototypeDelete(environmentData, key);
    else MapPrototypeSet(environmentData, key, value);
  },
  getEnvironmentData(key) {
    return MapPrototypeGet(environmentData, key);
  },
};
