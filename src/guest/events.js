'use strict';
// require('events'): EventEmitter with Node 20's API, error messages and
// warnings, plus once/on/getEventListeners/getMaxListeners/setMaxListeners/
// addAbortListener and a thin EventEmitterAsyncResource.

const {
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeUnshift,
  Boolean,
  Error,
  ErrorCaptureStackTrace,
  FunctionPrototypeBind,
  FunctionPrototypeCall,
  NumberIsNaN,
  NumberMAX_SAFE_INTEGER,
  ObjectDefineProperties,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  Promise,
  PromiseReject,
  PromiseResolve,
  ReflectApply,
  ReflectOwnKeys,
  SafeArrayConcat,
  SafeArraySlice,
  SafeArraySplice,
  String,
  StringPrototypeSplit,
  Symbol,
  SymbolAsyncIterator,
  SymbolDispose,
  SymbolFor,
  TypeError,
} = require('primordials');
const errors = require('errors');

const kCapture = Symbol('kCapture');
const kErrorMonitor = Symbol('events.errorMonitor');
const kShapeMode = Symbol('shapeMode');
const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners');
const kMaxEventTargetListenersWarned = Symbol('events.maxEventTargetListenersWarned');
const kWatermarkData = SymbolFor('nodejs.watermarkData');
const kRejection = SymbolFor('nodejs.rejection');
// Set by internal callers of on() that want the first argument only.
const kFirstEventParam = Symbol('nodejs.kFirstEventParam');

let defaultMaxListeners = 10;

const getProcess = () => require('process').getProcess();
const inspect = (v, opts) => require('util').inspect(v, opts);

function checkListener(listener, hideFrom) {
  errors.validateFunction(listener, 'listener', hideFrom);
}

// validateNumber(value, name, 0) as Node words it.
function validateNonNegative(value, name, hideFrom) {
  if (typeof value !== 'number') throw errors.invalidArgType(name, 'number', value, hideFrom);
  if (value < 0 || NumberIsNaN(value)) throw errors.outOfRange(name, '>= 0', value, hideFrom);
}

function validateBoolean(value, name, hideFrom) {
  if (typeof value !== 'boolean') throw errors.invalidArgType(name, 'boolean', value, hideFrom);
}

function EventEmitter(opts) {
  FunctionPrototypeCall(EventEmitter.init, this, opts);
}

function addAbortListener(signal, listener) {
  if (signal === undefined) throw errors.invalidArgType('signal', 'AbortSignal', signal, addAbortListener);
  errors.validateAbortSignal(signal, 'signal', addAbortListener);
  checkListener(listener, addAbortListener);
  let remove;
  if (signal.aborted) {
    require('timers').queueMicrotask(() => listener());
  } else {
    signal.addEventListener('abort', listener, { __proto__: null, once: true });
    remove = () => { signal.removeEventListener('abort', listener); };
  }
  return {
    __proto__: null,
    [SymbolDispose]() { remove?.(); },
  };
}

EventEmitter.addAbortListener = addAbortListener;
EventEmitter.once = once;
EventEmitter.on = on;
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.getMaxListeners = getMaxListeners;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.usingDomains = false;
EventEmitter.captureRejectionSymbol = kRejection;
ObjectDefineProperty(EventEmitter, 'captureRejections', {
  __proto__: null,
  get() { return EventEmitter.prototype[kCapture]; },
  set(value) {
    validateBoolean(value, 'EventEmitter.captureRejections');
    EventEmitter.prototype[kCapture] = value;
  },
  enumerable: true,
});
let EventEmitterAsyncResource;
ObjectDefineProperty(EventEmitter, 'EventEmitterAsyncResource', {
  __proto__: null,
  enumerable: true,
  get: () => EventEmitterAsyncResource || (EventEmitterAsyncResource = makeAsyncResourceClass()),
  set: undefined,
  configurable: true,
});
EventEmitter.errorMonitor = kErrorMonitor;
ObjectDefineProperty(EventEmitter.prototype, kCapture, {
  __proto__: null, value: false, writable: true, enumerable: false,
});
EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;

ObjectDefineProperty(EventEmitter, 'defaultMaxListeners', {
  __proto__: null,
  enumerable: true,
  get: function() { return defaultMaxListeners; },
  set: function(arg) {
    validateNonNegative(arg, 'defaultMaxListeners');
    defaultMaxListeners = arg;
  },
});

function hasEventListener(self, type) {
  if (type === undefined) return self._events !== undefined;
  return self._events !== undefined && self._events[type] !== undefined;
}

ObjectDefineProperties(EventEmitter, {
  __proto__: null,
  kMaxEventTargetListeners: {
    __proto__: null, value: kMaxEventTargetListeners, enumerable: false, configurable: false, writable: false,
  },
  kMaxEventTargetListenersWarned: {
    __proto__: null, value: kMaxEventTargetListenersWarned, enumerable: false, configurable: false, writable: false,
  },
});

EventEmitter.setMaxListeners = function(n = defaultMaxListeners, ...eventTargets) {
  validateNonNegative(n, 'setMaxListeners');
  if (eventTargets.length === 0) {
    defaultMaxListeners = n;
    return;
  }
  const et = require('event_target');
  for (let i = 0; i < eventTargets.length; i++) {
    const target = eventTargets[i];
    if (et.isEventTarget(target)) {
      et.setMaxListeners(target, n);
    } else if (typeof target.setMaxListeners === 'function') {
      target.setMaxListeners(n);
    } else {
      throw errors.invalidArgType('eventTargets', ['EventEmitter', 'EventTarget'], target);
    }
  }
};

EventEmitter.init = function(opts) {
  if (this._events === undefined || this._events === ObjectGetPrototypeOf(this)._events) {
    this._events = { __proto__: null };
    this._eventsCount = 0;
    this[kShapeMode] = false;
  } else {
    this[kShapeMode] = true;
  }
  this._maxListeners = this._maxListeners || undefined;
  if (opts?.captureRejections) {
    validateBoolean(opts.captureRejections, 'options.captureRejections');
    this[kCapture] = Boolean(opts.captureRejections);
  } else {
    this[kCapture] = EventEmitter.prototype[kCapture];
  }
};

// captureRejections: a listener's rejected promise becomes an 'error'
// event (or a call of the emitter's Symbol.for('nodejs.rejection')).
function addCatch(that, promise, type, args) {
  if (!that[kCapture]) return;
  try {
    const then = promise.then;
    if (typeof then === 'function') {
      FunctionPrototypeCall(then, promise, undefined, function(err) {
        require('timers').nextTick(emitUnhandledRejectionOrErr, that, err, type, args);
      });
    }
  } catch (err) {
    that.emit('error', err);
  }
}

function emitUnhandledRejectionOrErr(ee, err, type, args) {
  if (typeof ee[kRejection] === 'function') {
    ReflectApply(ee[kRejection], ee, SafeArrayConcat([err, type], args));
  } else {
    const prev = ee[kCapture];
    try {
      ee[kCapture] = false;
      ee.emit('error', err);
    } finally {
      ee[kCapture] = prev;
    }
  }
}

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  validateNonNegative(n, 'setMaxListeners', setMaxListeners);
  this._maxListeners = n;
  return this;
};

function _getMaxListeners(that) {
  if (that._maxListeners === undefined) return EventEmitter.defaultMaxListeners;
  return that._maxListeners;
}

EventEmitter.prototype.getMaxListeners = function getMaxListeners() {
  return _getMaxListeners(this);
};

// For an uncaught 'error' event: where it was emitted, after the error's
// own stack (printed by the fatal exception handler).
function enhanceStackTrace(err, own) {
  let ctorInfo = '';
  try {
    const { name } = this.constructor;
    if (name !== 'EventEmitter') ctorInfo = ` on ${name} instance`;
  } catch {
    // The constructor is the guest's: anything may throw.
  }
  const sep = `\nEmitted 'error' event${ctorInfo} at:\n`;
  const errStack = SafeArraySlice(StringPrototypeSplit(err.stack, '\n'), 1);
  const ownStack = SafeArraySlice(StringPrototypeSplit(own.stack, '\n'), 1);
  const { len, offset } = require('util').identicalSequenceRange(ownStack, errStack);
  if (len > 0) SafeArraySplice(ownStack, offset + 1, len - 2, '    [... lines matching original stack trace ...]');
  return err.stack + sep + ArrayPrototypeJoin(ownStack, '\n');
}

EventEmitter.prototype.emit = function emit(type, ...args) {
  let doError = type === 'error';
  const events = this._events;
  if (events !== undefined) {
    if (doError && events[kErrorMonitor] !== undefined) ReflectApply(this.emit, this, SafeArrayConcat([kErrorMonitor], args));
    doError = doError && events.error === undefined;
  } else if (!doError) {
    return false;
  }
  if (doError) {
    let er;
    if (args.length > 0) er = args[0];
    if (er instanceof Error) {
      try {
        const capture = {};
        ErrorCaptureStackTrace(capture, EventEmitter.prototype.emit);
        ObjectDefineProperty(er, errors.kEnhanceStackBeforeInspector, {
          __proto__: null, value: FunctionPrototypeBind(enhanceStackTrace, this, er, capture), configurable: true,
        });
      } catch {
        // A frozen error is thrown as it is.
      }
      throw er; // Unhandled 'error' event
    }
    let stringifiedEr;
    try {
      stringifiedEr = inspect(er);
    } catch {
      stringifiedEr = er;
    }
    const err = errors.makeNodeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${stringifiedEr})`,
      EventEmitter.prototype.emit);
    err.context = er;
    throw err; // Unhandled 'error' event
  }
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    const result = ReflectApply(handler, this, args);
    if (result !== undefined && result !== null) addCatch(this, result, type, args);
  } else {
    const len = handler.length;
    const listeners = SafeArraySlice(handler);
    for (let i = 0; i < len; ++i) {
      const result = ReflectApply(listeners[i], this, args);
      if (result !== undefined && result !== null) addCatch(this, result, type, args);
    }
  }
  return true;
};

function _addListener(target, type, listener, prepend, hideFrom) {
  checkListener(listener, hideFrom);
  let events = target._events;
  let existing;
  if (events === undefined) {
    events = target._events = { __proto__: null };
    target._eventsCount = 0;
  } else {
    // 'newListener' first, so that a listener for it does not see itself.
    if (events.newListener !== undefined) {
      target.emit('newListener', type, listener.listener ?? listener);
      events = target._events;
    }
    existing = events[type];
  }
  if (existing === undefined) {
    events[type] = listener;
    ++target._eventsCount;
  } else {
    if (typeof existing === 'function') {
      existing = events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) {
      ArrayPrototypeUnshift(existing, listener);
    } else {
      ArrayPrototypePush(existing, listener);
    }
    const m = _getMaxListeners(target);
    if (m > 0 && existing.length > m && !existing.warned) {
      existing.warned = true;
      const w = new Error(`Possible EventEmitter memory leak detected. ${existing.length} ${String(type)} listeners ` +
        `added to ${inspect(target, { depth: -1 })}. MaxListeners is ${m}. Use emitter.setMaxListeners() to increase limit`);
      w.name = 'MaxListenersExceededWarning';
      w.emitter = target;
      w.type = type;
      w.count = existing.length;
      getProcess().emitWarning(w);
    }
  }
  return target;
}

EventEmitter.prototype.addListener = function addListener(type, listener) {
  return _addListener(this, type, listener, false, addListener);
};
EventEmitter.prototype.on = EventEmitter.prototype.addListener;
EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return _addListener(this, type, listener, true, prependListener);
};

function onceWrapper(...args) {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return ReflectApply(this.listener, this.target, args);
  }
}

function _onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = FunctionPrototypeBind(onceWrapper, state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener, once);
  this.on(type, _onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener, prependOnceListener);
  this.prependListener(type, _onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener, removeListener);
  if (!hasEventListener(this, type)) return this;
  const events = this._events;
  const list = events[type];
  if (list === listener || list.listener === listener) {
    this._eventsCount -= 1;
    if (this[kShapeMode]) {
      events[type] = undefined;
    } else if (this._eventsCount === 0) {
      this._events = { __proto__: null };
    } else {
      delete events[type];
      if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
    }
  } else if (typeof list !== 'function') {
    let position = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        position = i;
        break;
      }
    }
    if (position < 0) return this;
    if (position === 0) ArrayPrototypeShift(list);
    else SafeArraySplice(list, position, 1);
    if (list.length === 1) events[type] = list[0];
    if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
  }
  return this;
};
EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

EventEmitter.prototype.removeAllListeners = function removeAllListeners(type) {
  if (!hasEventListener(this)) return this;
  const events = this._events;
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = { __proto__: null };
      else delete events[type];
    }
    this[kShapeMode] = false;
    return this;
  }
  if (arguments.length === 0) {
    const keys = ReflectOwnKeys(events);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 'removeListener') continue;
      this.removeAllListeners(keys[i]);
    }
    this.removeAllListeners('removeListener');
    this._events = { __proto__: null };
    this._eventsCount = 0;
    this[kShapeMode] = false;
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    // Last in, first out.
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function unwrapListeners(arr) {
  const ret = SafeArraySlice(arr);
  for (let i = 0; i < ret.length; ++i) {
    const orig = ret[i].listener;
    if (typeof orig === 'function') ret[i] = orig;
  }
  return ret;
}

function _listeners(target, type, unwrap) {
  if (!hasEventListener(target, type)) return [];
  const evlistener = target._events[type];
  if (typeof evlistener === 'function') return unwrap ? [evlistener.listener || evlistener] : [evlistener];
  return unwrap ? unwrapListeners(evlistener) : SafeArraySlice(evlistener);
}

EventEmitter.prototype.listeners = function listeners(type) {
  return _listeners(this, type, true);
};

EventEmitter.prototype.rawListeners = function rawListeners(type) {
  return _listeners(this, type, false);
};

EventEmitter.listenerCount = function(emitter, type) {
  if (typeof emitter.listenerCount === 'function') return emitter.listenerCount(type);
  return FunctionPrototypeCall(listenerCount, emitter, type);
};

EventEmitter.prototype.listenerCount = listenerCount;

function listenerCount(type, listener) {
  const events = this._events;
  if (events !== undefined) {
    const evlistener = events[type];
    if (typeof evlistener === 'function') {
      if (listener != null) return listener === evlistener || listener === evlistener.listener ? 1 : 0;
      return 1;
    } else if (evlistener !== undefined) {
      if (listener != null) {
        let matching = 0;
        for (let i = 0, l = evlistener.length; i < l; i++) {
          if (evlistener[i] === listener || evlistener[i].listener === listener) matching++;
        }
        return matching;
      }
      return evlistener.length;
    }
  }
  return 0;
}

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? ReflectOwnKeys(this._events) : [];
};

function getEventListeners(emitterOrTarget, type) {
  if (typeof emitterOrTarget.listeners === 'function') return emitterOrTarget.listeners(type);
  const et = require('event_target');
  if (et.isEventTarget(emitterOrTarget)) return et.listenersFor(emitterOrTarget, type);
  throw errors.invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget, getEventListeners);
}

function getMaxListeners(emitterOrTarget) {
  if (typeof emitterOrTarget?.getMaxListeners === 'function') return _getMaxListeners(emitterOrTarget);
  const et = require('event_target');
  if (et.isEventTarget(emitterOrTarget)) return et.getMaxListeners(emitterOrTarget);
  throw errors.invalidArgType('emitter', ['EventEmitter', 'EventTarget'], emitterOrTarget, getMaxListeners);
}

function eventTargetAgnosticRemoveListener(emitter, name, listener, flags) {
  if (typeof emitter.removeListener === 'function') {
    emitter.removeListener(name, listener);
  } else if (typeof emitter.removeEventListener === 'function') {
    emitter.removeEventListener(name, listener, flags);
  } else {
    throw errors.invalidArgType('emitter', 'EventEmitter', emitter);
  }
}

function eventTargetAgnosticAddListener(emitter, name, listener, flags) {
  if (typeof emitter.on === 'function') {
    if (flags?.once) emitter.once(name, listener);
    else emitter.on(name, listener);
  } else if (typeof emitter.addEventListener === 'function') {
    emitter.addEventListener(name, listener, flags);
  } else {
    throw errors.invalidArgType('emitter', 'EventEmitter', emitter);
  }
}

function abortError(signal) {
  return new errors.AbortError(undefined, { cause: signal?.reason });
}

// events.once(emitter, name[, { signal }]) -> Promise of the arguments.
async function once(emitter, name, options = { __proto__: null }) {
  const signal = options?.signal;
  errors.validateAbortSignal(signal, 'options.signal', once);
  if (signal?.aborted) throw abortError(signal);
  return new Promise((resolve, reject) => {
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      if (signal != null) eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
      reject(err);
    };
    const resolver = (...args) => {
      if (typeof emitter.removeListener === 'function') emitter.removeListener('error', errorListener);
      if (signal != null) eventTargetAgnosticRemoveListener(signal, 'abort', abortListener);
      resolve(args);
    };
    eventTargetAgnosticAddListener(emitter, name, resolver, { __proto__: null, once: true });
    // EventTargets have no 'error' event semantics.
    if (name !== 'error' && typeof emitter.once === 'function') emitter.once('error', errorListener);
    function abortListener() {
      eventTargetAgnosticRemoveListener(emitter, name, resolver);
      eventTargetAgnosticRemoveListener(emitter, 'error', errorListener);
      reject(abortError(signal));
    }
    if (signal != null) {
      eventTargetAgnosticAddListener(signal, 'abort', abortListener, { __proto__: null, once: true });
    }
  });
}

const AsyncIteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf(async function* () {}).prototype);

// events.on(emitter, name[, options]) -> an async iterator of the
// argument arrays, ended by 'error', a close event or the signal.
function on(emitter, event, options = { __proto__: null }) {
  const signal = options.signal;
  errors.validateAbortSignal(signal, 'options.signal', on);
  if (signal?.aborted) throw abortError(signal);
  const highWatermark = options.highWaterMark ?? options.highWatermark ?? NumberMAX_SAFE_INTEGER;
  errors.validateInteger(highWatermark, 'options.highWaterMark', 1, undefined, on);
  const lowWatermark = options.lowWaterMark ?? options.lowWatermark ?? 1;
  errors.validateInteger(lowWatermark, 'options.lowWaterMark', 1, undefined, on);

  const unconsumedEvents = [];
  const unconsumedPromises = [];
  let paused = false;
  let error = null;
  let finished = false;
  let size = 0;

  const iterator = ObjectSetPrototypeOf({
    next() {
      if (size) {
        const value = ArrayPrototypeShift(unconsumedEvents);
        size--;
        if (paused && size < lowWatermark) {
          emitter.resume();
          paused = false;
        }
        return PromiseResolve({ value, done: false });
      }
      // An error is reported once; the iteration has ended with it.
      if (error) {
        const p = PromiseReject(error);
        error = null;
        return p;
      }
      if (finished) return closeHandler();
      return new Promise((resolve, reject) => {
        ArrayPrototypePush(unconsumedPromises, { __proto__: null, resolve, reject });
      });
    },
    return() {
      return closeHandler();
    },
    throw(err) {
      if (!err || !(err instanceof Error)) {
        throw errors.invalidArgType('EventEmitter.AsyncIterator', 'Error', err);
      }
      errorHandler(err);
    },
    [SymbolAsyncIterator]() {
      return this;
    },
    [kWatermarkData]: {
      get size() { return size; },
      get low() { return lowWatermark; },
      get high() { return highWatermark; },
      get isPaused() { return paused; },
    },
  }, AsyncIteratorPrototype);

  const added = [];
  function listen(target, name, handler) {
    eventTargetAgnosticAddListener(target, name, handler);
    ArrayPrototypePush(added, [target, name, handler]);
  }
  function removeAll() {
    while (added.length > 0) {
      const entry = ArrayPrototypePop(added);
      eventTargetAgnosticRemoveListener(entry[0], entry[1], entry[2]);
    }
  }

  listen(emitter, event, options[kFirstEventParam] ? eventHandler : function(...args) { return eventHandler(args); });
  if (event !== 'error' && typeof emitter.on === 'function') listen(emitter, 'error', errorHandler);
  const closeEvents = options?.close;
  if (closeEvents?.length) {
    for (let i = 0; i < closeEvents.length; i++) listen(emitter, closeEvents[i], closeHandler);
  }
  const abortDisposable = signal ? addAbortListener(signal, abortListener) : null;
  return iterator;

  function abortListener() {
    errorHandler(abortError(signal));
  }

  function eventHandler(value) {
    if (unconsumedPromises.length === 0) {
      size++;
      if (!paused && size > highWatermark) {
        paused = true;
        emitter.pause();
      }
      ArrayPrototypePush(unconsumedEvents, value);
    } else {
      ArrayPrototypeShift(unconsumedPromises).resolve({ value, done: false });
    }
  }

  function errorHandler(err) {
    if (unconsumedPromises.length === 0) error = err;
    else ArrayPrototypeShift(unconsumedPromises).reject(err);
    closeHandler();
  }

  function closeHandler() {
    abortDisposable?.[SymbolDispose]();
    removeAll();
    finished = true;
    const doneResult = { value: undefined, done: true };
    while (unconsumedPromises.length !== 0) ArrayPrototypeShift(unconsumedPromises).resolve(doneResult);
    return PromiseResolve(doneResult);
  }
}

// An EventEmitter with an async resource. The sandbox has no async_hooks
// yet: listeners run directly, and the ids are plain counters.
let asyncIds = 1;
function makeAsyncResourceClass() {
  const kEventEmitter = Symbol('kEventEmitter');
  const kAsyncResource = Symbol('kAsyncResource');
  const invalidThis = (type) => errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);

  class EventEmitterReferencingAsyncResource {
    #asyncId = ++asyncIds;
    #triggerAsyncId;
    constructor(ee, type, options) {
      this.#triggerAsyncId = options?.triggerAsyncId ?? 1;
      this[kEventEmitter] = ee;
    }
    asyncId() { return this.#asyncId; }
    triggerAsyncId() { return this.#triggerAsyncId; }
    emitDestroy() { return this; }
    runInAsyncScope(fn, thisArg, ...args) { return ReflectApply(fn, thisArg, args); }
    get eventEmitter() {
      if (this[kEventEmitter] === undefined) throw invalidThis('EventEmitterReferencingAsyncResource');
      return this[kEventEmitter];
    }
  }

  return class EventEmitterAsyncResource extends EventEmitter {
    constructor(options = undefined) {
      let name;
      if (typeof options === 'string') {
        name = options;
        options = undefined;
      } else {
        if (new.target === EventEmitterAsyncResource && typeof options?.name !== 'string') {
          throw errors.invalidArgType('options.name', 'string', options?.name);
        }
        name = options?.name || new.target.name;
      }
      super(options);
      this[kAsyncResource] = new EventEmitterReferencingAsyncResource(this, name, options);
    }

    emit(event, ...args) {
      if (this[kAsyncResource] === undefined) throw invalidThis('EventEmitterAsyncResource');
      return ReflectApply(super.emit, this, SafeArrayConcat([event], args));
    }

    emitDestroy() {
      if (this[kAsyncResource] === undefined) throw invalidThis('EventEmitterAsyncResource');
      this.asyncResource.emitDestroy();
    }

    get asyncId() {
      if (this[kAsyncResource] === undefined) throw invalidThis('EventEmitterAsyncResource');
      return this.asyncResource.asyncId();
    }

    get triggerAsyncId() {
      if (this[kAsyncResource] === undefined) throw invalidThis('EventEmitterAsyncResource');
      return this.asyncResource.triggerAsyncId();
    }

    get asyncResource() {
      if (this[kAsyncResource] === undefined) throw invalidThis('EventEmitterAsyncResource');
      return this[kAsyncResource];
    }
  };
}

exports.EventEmitter = EventEmitter;
exports.kFirstEventParam = kFirstEventParam;
exports.kCapture = kCapture;
