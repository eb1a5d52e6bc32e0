'use strict';
// require('async_hooks'): AsyncLocalStorage, AsyncResource, async ids and
// createHook. A frame of stores (a null-prototype object keyed by each
// AsyncLocalStorage's symbol) is V8's continuation-preserved embedder data
// (engine ops v8_async_context_get/set): V8 carries it through promise jobs
// and await, and the event loop (timers.js, ops.js) carries it through
// timers, immediates, nextTick and fs callbacks. Hooks made by createHook
// hear of Timeout, Immediate, TickObject and AsyncResource resources only:
// never of promises.

const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  FunctionPrototypeBind,
  MathAbs,
  NumberIsInteger,
  NumberMAX_SAFE_INTEGER,
  ObjectDefineProperties,
  ObjectFreeze,
  RangeError,
  ReflectApply,
  SafeArraySlice,
  SafeArraySplice,
  Symbol,
  TypeError,
} = require('primordials');
const timers = require('timers');
const { asyncState, getFrame, setFrame } = timers;

const errors = () => require('errors');

function validateFunction(value, name, hideFrom) {
  if (typeof value !== 'function') throw errors().invalidArgType(name, 'Function', value, hideFrom);
}

// Frames are captured and restored from the first store or resource on.
function track() {
  asyncState.tracking = true;
}

// The frame with `key` set to `store` (frames are never changed in place:
// callbacks scheduled earlier keep theirs).
function withStore(frame, key, store) {
  const next = frame === undefined ? { __proto__: null } : { __proto__: null, ...frame };
  next[key] = store;
  return next;
}

function runInFrame(frame, fn, thisArg, args) {
  const prev = getFrame();
  setFrame(frame);
  try {
    return ReflectApply(fn, thisArg, args);
  } finally {
    setFrame(prev);
  }
}

// ---- AsyncLocalStorage ----

class AsyncLocalStorage {
  constructor() {
    this.kResourceStore = Symbol('kResourceStore');
    this.enabled = false;
  }

  static bind(fn) {
    return AsyncResource.bind(fn);
  }

  static snapshot() {
    return AsyncResource.bind((cb, ...args) => ReflectApply(cb, undefined, args));
  }

  disable() {
    if (this.enabled) {
      this.enabled = false;
      const frame = getFrame();
      if (frame !== undefined && frame[this.kResourceStore] !== undefined) {
        setFrame(withStore(frame, this.kResourceStore, undefined));
      }
    }
  }

  #enable() {
    track();
    this.enabled = true;
  }

  enterWith(store) {
    this.#enable();
    setFrame(withStore(getFrame(), this.kResourceStore, store));
  }

  run(store, callback, ...args) {
    this.#enable();
    return runInFrame(withStore(getFrame(), this.kResourceStore, store), callback, null, args);
  }

  exit(callback, ...args) {
    if (!this.enabled) return ReflectApply(callback, null, args);
    return runInFrame(withStore(getFrame(), this.kResourceStore, undefined), callback, null, args);
  }

  getStore() {
    if (!this.enabled) return undefined;
    const frame = getFrame();
    return frame === undefined ? undefined : frame[this.kResourceStore];
  }
}

// ---- AsyncResource ----

const asyncIdSymbol = Symbol('async_id_symbol');
const triggerAsyncIdSymbol = Symbol('trigger_async_id_symbol');
const frameSymbol = Symbol('kResourceStore');

class AsyncResource {
  constructor(type, opts = {}) {
    if (typeof type !== 'string') throw errors().invalidArgType('type', 'string', type, AsyncResource);
    let triggerAsyncId = opts;
    if (typeof opts !== 'number') {
      triggerAsyncId = opts === null || opts.triggerAsyncId === undefined ? asyncState.execId : opts.triggerAsyncId;
    }
    if (!NumberIsInteger(triggerAsyncId) || MathAbs(triggerAsyncId) > NumberMAX_SAFE_INTEGER || triggerAsyncId < -1) {
      throw errors().makeNodeError(RangeError, 'ERR_INVALID_ASYNC_ID',
        `Invalid triggerAsyncId value: ${triggerAsyncId}`, AsyncResource);
    }
    track();
    const id = timers.newAsyncId();
    this[asyncIdSymbol] = id;
    this[triggerAsyncIdSymbol] = triggerAsyncId;
    this[frameSymbol] = getFrame();
    if (asyncState.hooks) asyncState.emitInit(id, type, triggerAsyncId, this);
  }

  runInAsyncScope(fn, thisArg, ...args) {
    const prevId = asyncState.execId, prevTrigger = asyncState.triggerId, prevResource = asyncState.resource;
    const id = this[asyncIdSymbol];
    asyncState.execId = id;
    asyncState.triggerId = this[triggerAsyncIdSymbol];
    asyncState.resource = this;
    const prev = getFrame();
    setFrame(this[frameSymbol]);
    if (asyncState.hooks) asyncState.emitBefore(id);
    try {
      return ReflectApply(fn, thisArg, args);
    } finally {
      if (asyncState.hooks) asyncState.emitAfter(id);
      setFrame(prev);
      asyncState.execId = prevId;
      asyncState.triggerId = prevTrigger;
      asyncState.resource = prevResource;
    }
  }

  emitDestroy() {
    if (asyncState.hooks) asyncState.emitDestroy(this[asyncIdSymbol]);
    return this;
  }

  asyncId() {
    return this[asyncIdSymbol];
  }

  triggerAsyncId() {
    return this[triggerAsyncIdSymbol];
  }

  bind(fn, thisArg) {
    validateFunction(fn, 'fn', this.bind);
    let bound;
    if (thisArg === undefined) {
      const resource = this;
      bound = function (...args) {
        ArrayPrototypeUnshift(args, fn, this);
        return ReflectApply(resource.runInAsyncScope, resource, args);
      };
    } else {
      bound = FunctionPrototypeBind(this.runInAsyncScope, this, fn, thisArg);
    }
    let self = this;
    ObjectDefineProperties(bound, {
      __proto__: null,
      length: { __proto__: null, configurable: true, enumerable: false, value: fn.length, writable: false },
      asyncResource: {
        __proto__: null,
        configurable: true,
        enumerable: true,
        get() {
          require('process').getProcess().emitWarning(
            'The asyncResource property on bound functions is deprecated', 'DeprecationWarning', 'DEP0172');
          return self;
        },
        set(value) { self = value; },
      },
    });
    return bound;
  }

  static bind(fn, type, thisArg) {
    validateFunction(fn, 'fn', AsyncResource.bind);
    type = type || fn.name || 'bound-anonymous-fn';
    return (new AsyncResource(type)).bind(fn, thisArg);
  }
}

// ---- async ids and hooks ----

function executionAsyncId() {
  return asyncState.execId;
}

function triggerAsyncId() {
  return asyncState.triggerId;
}

function executionAsyncResource() {
  return asyncState.resource;
}

const kInit = Symbol('init');
const kBefore = Symbol('before');
const kAfter = Symbol('after');
const kDestroy = Symbol('destroy');
const kPromiseResolve = Symbol('promiseResolve');

// Enabled hooks, called in the order they were enabled.
const active = [];
let depth = 0;

function emitAll(sym, a, b, c, d) {
  // A hook that throws ends the process in Node; here it is an uncaught
  // exception. Hooks do not hear of what they themselves schedule.
  if (depth > 0) return;
  depth++;
  try {
    const hooks = SafeArraySlice(active);
    for (let i = 0; i < hooks.length; i++) {
      const fn = hooks[i][sym];
      if (typeof fn === 'function') ReflectApply(fn, hooks[i], [a, b, c, d]);
    }
  } finally {
    depth--;
  }
}

function updateHooks() {
  const on = active.length > 0;
  asyncState.hooks = on;
  if (on) {
    asyncState.emitInit = (id, type, trigger, resource) => emitAll(kInit, id, type, trigger, resource);
    asyncState.emitBefore = (id) => emitAll(kBefore, id);
    asyncState.emitAfter = (id) => emitAll(kAfter, id);
    asyncState.emitDestroy = (id) => emitAll(kDestroy, id);
  }
}

class AsyncHook {
  constructor({ init, before, after, destroy, promiseResolve }) {
    const check = (fn, name) => {
      if (fn !== undefined && typeof fn !== 'function') {
        throw errors().makeNodeError(TypeError, 'ERR_ASYNC_CALLBACK', `${name} must be a function`, createHook);
      }
    };
    check(init, 'hook.init');
    check(before, 'hook.before');
    check(after, 'hook.after');
    check(destroy, 'hook.destroy');
    check(promiseResolve, 'hook.promiseResolve');
    this[kInit] = init;
    this[kBefore] = before;
    this[kAfter] = after;
    this[kDestroy] = destroy;
    this[kPromiseResolve] = promiseResolve;
  }

  enable() {
    if (ArrayPrototypeIndexOf(active, this) === -1) {
      ArrayPrototypePush(active, this);
      updateHooks();
    }
    return this;
  }

  disable() {
    const i = ArrayPrototypeIndexOf(active, this);
    if (i !== -1) {
      SafeArraySplice(active, i, 1);
      updateHooks();
    }
    return this;
  }
}

function createHook(fns) {
  return new AsyncHook(fns);
}

// Node's provider names and numbers (Node 20).
const providerNames = [
  'NONE', 'DIRHANDLE', 'DNSCHANNEL', 'ELDHISTOGRAM', 'FILEHANDLE', 'FILEHANDLECLOSEREQ', 'BLOBREADER',
  'FSEVENTWRAP', 'FSREQCALLBACK', 'FSREQPROMISE', 'GETADDRINFOREQWRAP', 'GETNAMEINFOREQWRAP', 'HEAPSNAPSHOT',
  'HTTP2SESSION', 'HTTP2STREAM', 'HTTP2PING', 'HTTP2SETTINGS', 'HTTPINCOMINGMESSAGE', 'HTTPCLIENTREQUEST',
  'JSSTREAM', 'JSUDPWRAP', 'MESSAGEPORT', 'PIPECONNECTWRAP', 'PIPESERVERWRAP', 'PIPEWRAP', 'PROCESSWRAP',
  'PROMISE', 'QUERYWRAP', 'QUIC_LOGSTREAM', 'QUIC_PACKET', 'SHUTDOWNWRAP', 'SIGNALWRAP', 'STATWATCHER',
  'STREAMPIPE', 'TCPCONNECTWRAP', 'TCPSERVERWRAP', 'TCPWRAP', 'TTYWRAP', 'UDPSENDWRAP', 'UDPWRAP',
  'SIGINTWATCHDOG', 'WORKER', 'WORKERHEAPSNAPSHOT', 'WRITEWRAP', 'ZLIB', 'CHECKPRIMEREQUEST', 'PBKDF2REQUEST',
  'KEYPAIRGENREQUEST', 'KEYGENREQUEST', 'KEYEXPORTREQUEST', 'CIPHERREQUEST', 'DERIVEBITSREQUEST', 'HASHREQUEST',
  'RANDOMBYTESREQUEST', 'RANDOMPRIMEREQUEST', 'SCRYPTREQUEST', 'SIGNREQUEST', 'TLSWRAP', 'VERIFYREQUEST',
];
const asyncWrapProviders = { __proto__: null };
for (let i = 0; i < providerNames.length; i++) asyncWrapProviders[providerNames[i]] = i;
ObjectFreeze(asyncWrapProviders);

exports.api = {
  AsyncLocalStorage,
  createHook,
  executionAsyncId,
  triggerAsyncId,
  executionAsyncResource,
  asyncWrapProviders,
  AsyncResource,
};
exports.AsyncResource = AsyncResource;
