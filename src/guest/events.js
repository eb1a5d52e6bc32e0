'use strict';
// EventEmitter with Node's API and error messages.

const {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeUnshift,
  Error,
  FunctionPrototypeBind,
  FunctionPrototypeCall,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  Promise,
  ReflectApply,
  ReflectOwnKeys,
  SafeArrayConcat,
  SafeArrayFilter,
  SafeArrayMap,
  SafeArraySlice,
  SafeArraySplice,
  String,
  Symbol,
  SymbolFor,
} = require('primordials');

const errorMonitor = Symbol('events.errorMonitor');
let defaultMaxListeners = 10;

function checkListener(listener, hideFrom) {
  require('errors').validateFunction(listener, 'listener', hideFrom);
}

function EventEmitter(opts) {
  FunctionPrototypeCall(EventEmitter.init, this, opts);
}

EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;

EventEmitter.init = function init() {
  if (this._events === undefined || this._events === ObjectGetPrototypeOf(this)._events) {
    this._events = { __proto__: null };
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
};

ObjectDefineProperty(EventEmitter, 'defaultMaxListeners', {
  __proto__: null,
  enumerable: true,
  get() { return defaultMaxListeners; },
  set(arg) {
    if (typeof arg !== 'number' || arg < 0 || NumberIsNaN(arg)) {
      throw require('errors').outOfRange('defaultMaxListeners', 'a non-negative number', arg);
    }
    defaultMaxListeners = arg;
  },
});
EventEmitter.errorMonitor = errorMonitor;
EventEmitter.captureRejectionSymbol = SymbolFor('nodejs.rejection');

EventEmitter.prototype.setMaxListeners = function setMaxListeners(n) {
  if (typeof n !== 'number' || n < 0 || NumberIsNaN(n)) {
    throw require('errors').outOfRange('n', 'a non-negative number', n, setMaxListeners);
  }
  this._maxListeners = n;
  return this;
};

function getMaxListeners(that) {
  return that._maxListeners === undefined ? defaultMaxListeners : that._maxListeners;
}
EventEmitter.prototype.getMaxListeners = function() { return getMaxListeners(this); };

EventEmitter.prototype.emit = function emit(type, ...args) {
  let doError = type === 'error';
  const events = this._events;
  if (events !== undefined) {
    if (doError && events[errorMonitor] !== undefined) {
      ReflectApply(this.emit, this, SafeArrayConcat([errorMonitor], args));
    }
    doError = doError && events.error === undefined;
  } else if (!doError) {
    return false;
  }
  if (doError) {
    const er = args.length > 0 ? args[0] : undefined;
    if (er instanceof Error) throw er;
    let stringifiedEr;
    try { stringifiedEr = require('util').inspect(er); } catch { stringifiedEr = er; }
    throw require('errors').makeNodeError(Error, 'ERR_UNHANDLED_ERROR',
      `Unhandled error. (${stringifiedEr})`, emit);
  }
  const handler = events[type];
  if (handler === undefined) return false;
  if (typeof handler === 'function') {
    ReflectApply(handler, this, args);
  } else {
    const listeners = SafeArraySlice(handler);
    for (let i = 0; i < listeners.length; ++i) ReflectApply(listeners[i], this, args);
  }
  return true;
};

function addListener(target, type, listener, prepend, hideFrom) {
  checkListener(listener, hideFrom);
  let events = target._events;
  let existing;
  if (events === undefined) {
    events = target._events = { __proto__: null };
    target._eventsCount = 0;
  } else {
    if (events.newListener !== undefined) {
      target.emit('newListener', type, listener.listener ? listener.listener : listener);
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
    const m = getMaxListeners(target);
    if (m > 0 && existing.length > m && !existing.warned) {
      existing.warned = true;
      const name = target.constructor && target.constructor.name ? target.constructor.name : 'EventEmitter';
      const w = new Error('Possible EventEmitter memory leak detected. ' +
        `${existing.length} ${String(type)} listeners added to [${name}]. MaxListeners is ${m}. ` +
        'Use emitter.setMaxListeners() to increase limit');
      w.name = 'MaxListenersExceededWarning';
      w.emitter = target;
      w.type = type;
      w.count = existing.length;
      require('process').getProcess().emitWarning(w);
    }
  }
  return target;
}

EventEmitter.prototype.addListener = function addListener_(type, listener) {
  return addListener(this, type, listener, false, addListener_);
};
EventEmitter.prototype.on = function on(type, listener) {
  return addListener(this, type, listener, false, on);
};
EventEmitter.prototype.prependListener = function prependListener(type, listener) {
  return addListener(this, type, listener, true, prependListener);
};

function onceWrapper(...args) {
  if (!this.fired) {
    this.target.removeListener(this.type, this.wrapFn);
    this.fired = true;
    return ReflectApply(this.listener, this.target, args);
  }
}
function onceWrap(target, type, listener) {
  const state = { fired: false, wrapFn: undefined, target, type, listener };
  const wrapped = FunctionPrototypeBind(onceWrapper, state);
  wrapped.listener = listener;
  state.wrapFn = wrapped;
  return wrapped;
}

EventEmitter.prototype.once = function once(type, listener) {
  checkListener(listener, once);
  this.on(type, onceWrap(this, type, listener));
  return this;
};
EventEmitter.prototype.prependOnceListener = function prependOnceListener(type, listener) {
  checkListener(listener, prependOnceListener);
  this.prependListener(type, onceWrap(this, type, listener));
  return this;
};

EventEmitter.prototype.removeListener = function removeListener(type, listener) {
  checkListener(listener, removeListener);
  const events = this._events;
  if (events === undefined) return this;
  const list = events[type];
  if (list === undefined) return this;
  if (list === listener || list.listener === listener) {
    if (--this._eventsCount === 0) this._events = { __proto__: null };
    else {
      delete events[type];
      if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
    }
  } else if (typeof list !== 'function') {
    let position = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) { position = i; break; }
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
  const events = this._events;
  if (events === undefined) return this;
  if (events.removeListener === undefined) {
    if (arguments.length === 0) {
      this._events = { __proto__: null };
      this._eventsCount = 0;
    } else if (events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = { __proto__: null };
      else delete events[type];
    }
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
    return this;
  }
  const listeners = events[type];
  if (typeof listeners === 'function') {
    this.removeListener(type, listeners);
  } else if (listeners !== undefined) {
    for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
  }
  return this;
};

function listeners(target, type, unwrap) {
  const events = target._events;
  if (events === undefined) return [];
  const l = events[type];
  if (l === undefined) return [];
  if (typeof l === 'function') return unwrap ? [l.listener || l] : [l];
  return unwrap ? SafeArrayMap(l, (f) => f.listener || f) : SafeArraySlice(l);
}
EventEmitter.prototype.listeners = function(type) { return listeners(this, type, true); };
EventEmitter.prototype.rawListeners = function(type) { return listeners(this, type, false); };

function listenerCount(type, listener) {
  const events = this._events;
  if (events !== undefined) {
    const l = events[type];
    if (typeof l === 'function') {
      if (listener != null) return listener === l || listener === l.listener ? 1 : 0;
      return 1;
    }
    if (l !== undefined) {
      if (listener != null) return SafeArrayFilter(l, (f) => f === listener || f.listener === listener).length;
      return l.length;
    }
  }
  return 0;
}
EventEmitter.prototype.listenerCount = listenerCount;
EventEmitter.listenerCount = (emitter, type) => (
  typeof emitter.listenerCount === 'function' ? emitter.listenerCount(type)
    : FunctionPrototypeCall(listenerCount, emitter, type));

EventEmitter.prototype.eventNames = function eventNames() {
  return this._eventsCount > 0 ? ReflectOwnKeys(this._events) : [];
};

// events.once(emitter, name) -> Promise of the args array.
function once(emitter, name, options = {}) {
  return new Promise((resolve, reject) => {
    if (typeof emitter.addEventListener === 'function') {
      emitter.addEventListener(name, (...args) => resolve(args), { once: true });
      return;
    }
    const errorListener = (err) => {
      emitter.removeListener(name, resolver);
      reject(err);
    };
    const resolver = (...args) => {
      if (name !== 'error') emitter.removeListener('error', errorListener);
      resolve(args);
    };
    emitter.once(name, resolver);
    if (name !== 'error') emitter.once('error', errorListener);
  });
}

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.once = once;
EventEmitter.usingDomains = false;
EventEmitter.getEventListeners = (emitter, type) => (
  typeof emitter.listeners === 'function' ? emitter.listeners(type) : []);

exports.EventEmitter = EventEmitter;
