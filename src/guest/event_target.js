'use strict';
// Event, CustomEvent, EventTarget, AbortSignal and AbortController.

const {
  ArrayIsArray,
  ArrayPrototypePush,
  Error,
  FunctionPrototypeCall,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberIsInteger,
  ObjectDefineProperty,
  SafeArraySlice,
  SafeArraySplice,
  Set,
  SetPrototypeAdd,
  SetPrototypeForEach,
  Symbol,
  SymbolFor,
  SymbolToStringTag,
  TypeError,
  WeakRef,
  WeakRefPrototypeDeref,
} = require('primordials');
const errors = require('errors');
const customInspect = SymbolFor('nodejs.util.inspect.custom');

const kTrusted = Symbol('kTrusted');
let listenersOf;
let targetState;
let trustNext = false;
let eventState;
let signalState;

function toStringTag(proto, value) {
  ObjectDefineProperty(proto, SymbolToStringTag, { __proto__: null, value, configurable: true });
}

function missingArgs(name) {
  return errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', `The "${name}" argument must be specified`);
}
function invalidThis(type) {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
}
function nowMs() {
  return config.timingFreeze === true ? require('bootstrap').bootNow : native.clock_now();
}
function inspectAs(self, depth, opts, obj) {
  const name = self.constructor.name;
  if (typeof depth === 'number' && depth < 0) return name;
  const util = require('util');
  return `${name} ${util.inspect(obj, { ...opts, depth: NumberIsInteger(opts.depth) ? opts.depth - 1 : opts.depth })}`;
}

class Event {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #defaultPrevented = false;
  #timestamp;
  #propagationStopped = false;
  #isTrusted;
  #target = null;
  #currentTarget = null;
  #phase = 0;
  #immediateStopped = false;
  #dispatching = false;

  static {
    eventState = {
      dispatching: (e) => e.#dispatching,
      immediateStopped: (e) => e.#immediateStopped,
      begin(e, target) {
        e.#dispatching = true;
        e.#target = target;
        e.#currentTarget = target;
        e.#phase = 2;
      },
      end(e) {
        e.#currentTarget = null;
        e.#phase = 0;
        e.#dispatching = false;
      },
    };
  }

  constructor(type, options = undefined) {
    if (arguments.length === 0) throw missingArgs('type');
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw errors.invalidArgType('options', 'Object', options, Event);
    }
    this.#type = `${type}`;
    this.#bubbles = !!options?.bubbles;
    this.#cancelable = !!options?.cancelable;
    this.#composed = !!options?.composed;
    this.#timestamp = nowMs();
    this.#isTrusted = trustNext;
    trustNext = false;
  }

  static #is(e) { return e !== null && typeof e === 'object' && #type in e; }
  static isEvent(e) { return Event.#is(e); }

  #check() { if (!Event.#is(this)) throw invalidThis('Event'); }

  get type() { this.#check(); return this.#type; }
  get bubbles() { this.#check(); return this.#bubbles; }
  get cancelable() { this.#check(); return this.#cancelable; }
  get composed() { this.#check(); return this.#composed; }
  get defaultPrevented() { this.#check(); return this.#cancelable && this.#defaultPrevented; }
  get timeStamp() { this.#check(); return this.#timestamp; }
  get isTrusted() { return Event.#is(this) && this.#isTrusted; }
  get target() { this.#check(); return this.#target; }
  get currentTarget() { this.#check(); return this.#currentTarget; }
  get srcElement() { this.#check(); return this.#target; }
  get eventPhase() { this.#check(); return this.#phase; }
  get returnValue() { this.#check(); return !(this.#cancelable && this.#defaultPrevented); }
  set returnValue(v) { if (!v) this.preventDefault(); }
  get cancelBubble() { this.#check(); return this.#propagationStopped; }
  set cancelBubble(v) { if (v) this.stopPropagation(); }
  initEvent(type, bubbles = false, cancelable = false) {
    this.#check();
    if (arguments.length === 0) throw missingArgs('type');
    if (this.#dispatching) return;
    this.#type = `${type}`;
    this.#bubbles = !!bubbles;
    this.#cancelable = !!cancelable;
  }
  composedPath() { this.#check(); return this.#dispatching ? [this.#currentTarget] : []; }
  preventDefault() { this.#check(); this.#defaultPrevented = true; }
  stopPropagation() { this.#check(); this.#propagationStopped = true; }
  stopImmediatePropagation() {
    this.#check();
    this.#propagationStopped = true;
    this.#immediateStopped = true;
  }

  [customInspect](depth, opts) {
    return inspectAs(this, depth, opts, {
      type: this.#type,
      defaultPrevented: this.#cancelable && this.#defaultPrevented,
      cancelable: this.#cancelable,
      timeStamp: this.#timestamp,
    });
  }
}
errors.enumerableInOrder(Event.prototype, ['initEvent', 'stopImmediatePropagation', 'preventDefault', 'target',
  'currentTarget', 'srcElement', 'type', 'cancelable', 'defaultPrevented', 'timeStamp', 'composedPath',
  'returnValue', 'bubbles', 'composed', 'eventPhase', 'cancelBubble', 'stopPropagation', 'isTrusted']);
{
  const phases = ['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE'];
  for (let i = 0; i < phases.length; i++) {
    ObjectDefineProperty(Event, phases[i], { __proto__: null, value: i, enumerable: true });
    ObjectDefineProperty(Event.prototype, phases[i], { __proto__: null, value: i, enumerable: false });
  }
}
toStringTag(Event.prototype, 'Event');

class CustomEvent extends Event {
  #detail;
  constructor(type, options = undefined) {
    if (arguments.length === 0) throw missingArgs('type');
    super(type, options);
    this.#detail = options?.detail ?? null;
  }
  get detail() { return this.#detail; }
}
toStringTag(CustomEvent.prototype, 'CustomEvent');

function validateListener(listener) {
  if (typeof listener === 'function' || typeof listener?.handleEvent === 'function') return true;
  if (listener == null) return false;
  if (typeof listener === 'object') return true; // handleEvent is looked up at dispatch time
  throw errors.invalidArgType('listener', 'EventListener', listener);
}

function reportError(err) {
  require('timers').nextTick(() => { throw err; });
}

class EventTarget {
  #events = new Map();
  // events.setMaxListeners(n, target); undefined: the default.
  #maxListeners = undefined;
  #maxWarned = false;

  static {
    listenersOf = (t) => {
      if (t === null || typeof t !== 'object' || !(#events in t)) throw invalidThis('EventTarget');
      return t.#events;
    };
    targetState = {
      is: (t) => t !== null && typeof t === 'object' && #events in t,
      max: (t) => (t.#maxListeners === undefined ? require('events').EventEmitter.defaultMaxListeners : t.#maxListeners),
      setMax: (t, n) => { t.#maxListeners = n; t.#maxWarned = false; },
      warn: (t, type, count) => {
        const max = targetState.max(t);
        if (max > 0 && count > max && !t.#maxWarned) {
          t.#maxWarned = true;
          const w = new Error('Possible EventTarget memory leak detected. ' +
            `${count} ${type} listeners added to ${require('util').inspect(t, { depth: -1 })}. ` +
            `MaxListeners is ${max}. Use events.setMaxListeners() to increase limit`);
          w.name = 'MaxListenersExceededWarning';
          w.target = t;
          w.type = type;
          w.count = count;
          require('process').process.emitWarning(w);
        }
      },
    };
  }

  addEventListener(type, listener, options = undefined) {
    if (arguments.length < 2) throw missingArgs('type" and "listener');
    if (!validateListener(listener)) {
      const w = new Error(`addEventListener called with ${listener} which has no effect.`);
      w.name = 'AddEventListenerArgumentTypeWarning';
      w.target = this;
      w.type = type;
      require('process').process.emitWarning(w);
      return;
    }
    let once = false, capture = false, passive = false, signal;
    if (typeof options === 'boolean') capture = options;
    else if (options != null) {
      once = !!options.once;
      capture = !!options.capture;
      passive = !!options.passive;
      signal = options.signal;
      if (signal !== undefined) errors.validateAbortSignal(signal, 'options.signal');
    }
    if (signal && signal.aborted) return;
    type = `${type}`;
    const events = listenersOf(this);
    let list = MapPrototypeGet(events, type);
    if (list === undefined) MapPrototypeSet(events, type, list = []);
    for (let i = 0; i < list.length; i++) {
      const rec = list[i];
      if (rec.listener === listener && rec.capture === capture && !rec.removed) return;
    }
    const rec = { listener, capture, once, passive, removed: false };
    ArrayPrototypePush(list, rec);
    targetState.warn(this, type, list.length);
    if (signal) {
      signal.addEventListener('abort', () => this.removeEventListener(type, listener, { capture }), { once: true });
    }
  }

  removeEventListener(type, listener, options = undefined) {
    if (arguments.length < 2) throw missingArgs('type" and "listener');
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const list = MapPrototypeGet(listenersOf(this), `${type}`);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const rec = list[i];
      if (rec.listener === listener && rec.capture === capture) {
        rec.removed = true;
        SafeArraySplice(list, i, 1);
        return;
      }
    }
  }

  dispatchEvent(event) {
    if (!Event.isEvent(event)) throw errors.invalidArgType('event', 'Event', event, EventTarget.prototype.dispatchEvent);
    const events = listenersOf(this);
    if (eventState.dispatching(event)) {
      throw errors.makeNodeError(Error, 'ERR_EVENT_RECURSION', `The event "${event.type}" is already being dispatched`);
    }
    eventState.begin(event, this);
    const list = MapPrototypeGet(events, event.type);
    if (list !== undefined) {
      const snapshot = SafeArraySlice(list);
      for (let i = 0; i < snapshot.length; i++) {
        const rec = snapshot[i];
        if (rec.removed) continue;
        if (rec.once) this.removeEventListener(event.type, rec.listener, { capture: rec.capture });
        try {
          const l = rec.listener;
          let result;
          if (typeof l === 'function') result = FunctionPrototypeCall(l, this, event);
          else if (typeof l.handleEvent === 'function') result = l.handleEvent(event);
          if (result !== undefined && result !== null && typeof result.then === 'function') {
            FunctionPrototypeCall(result.then, result, undefined, reportError);
          }
        } catch (err) {
          reportError(err);
        }
        if (eventState.immediateStopped(event)) break;
      }
    }
    eventState.end(event);
    return !event.defaultPrevented;
  }

  [customInspect](depth, opts) {
    return inspectAs(this, depth, opts, {});
  }
}
toStringTag(EventTarget.prototype, 'EventTarget');
errors.enumerableInOrder(EventTarget.prototype, ['addEventListener', 'removeEventListener', 'dispatchEvent']);

// `on<type>` attribute handlers keep their listener slot across reassignment.
function defineEventHandler(proto, type) {
  const kHandler = Symbol(`on${type}`);
  ObjectDefineProperty(proto, `on${type}`, {
    __proto__: null,
    get() { return this[kHandler]?.handler ?? null; },
    set(value) {
      let h = this[kHandler];
      if (h === undefined) {
        h = this[kHandler] = { handler: null };
        const wrapper = function(event) {
          if (typeof h.handler === 'function') return FunctionPrototypeCall(h.handler, this, event);
        };
        this.addEventListener(type, wrapper);
      }
      h.handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null;
    },
    configurable: true,
    enumerable: true,
  });
}

let allowSignal = false;

function abortError() {
  const { DOMException } = require('dom_exception');
  return new DOMException('This operation was aborted', 'AbortError');
}

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  #dependents = null;

  static {
    signalState = {
      abort: (s, reason) => s.#abort(reason),
      create: () => AbortSignal.#make(false, undefined),
    };
  }

  constructor() {
    if (!allowSignal) throw errors.makeNodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor');
    allowSignal = false;
    super();
  }

  static #make(aborted, reason) {
    allowSignal = true;
    const s = new AbortSignal();
    s.#aborted = aborted;
    s.#reason = reason;
    return s;
  }

  #check() {
    if (this === null || typeof this !== 'object' || !(#aborted in this)) throw invalidThis('AbortSignal');
  }

  get aborted() { this.#check(); return this.#aborted; }
  get reason() { this.#check(); return this.#reason; }

  throwIfAborted() {
    this.#check();
    if (this.#aborted) throw this.#reason;
  }

  #abort(reason) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    trustNext = true;
    const event = new Event('abort');
    this.dispatchEvent(event);
    const deps = this.#dependents;
    this.#dependents = null;
    if (deps !== null) {
      SetPrototypeForEach(deps, (ref) => {
        const dep = WeakRefPrototypeDeref(ref);
        if (dep !== undefined) dep.#abort(reason);
      });
    }
  }

  static abort(reason = abortError()) {
    return AbortSignal.#make(true, reason);
  }

  static timeout(delay) {
    errors.validateInteger(delay, 'delay', 0, 4294967295, AbortSignal.timeout);
    const signal = AbortSignal.#make(false, undefined);
    const ref = new WeakRef(signal);
    require('timers').setTimeout(() => {
      const s = WeakRefPrototypeDeref(ref);
      if (s !== undefined) {
        const { DOMException } = require('dom_exception');
        s.#abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      }
    }, delay).unref();
    return signal;
  }

  static any(signals) {
    if (!ArrayIsArray(signals)) throw errors.invalidArgType('signals', 'Array', signals, AbortSignal.any);
    for (let i = 0; i < signals.length; i++) {
      if (!(signals[i] instanceof AbortSignal)) {
        throw errors.invalidArgType(`signals[${i}]`, 'AbortSignal', signals[i], AbortSignal.any);
      }
    }
    const result = AbortSignal.#make(false, undefined);
    for (let i = 0; i < signals.length; i++) {
      const s = signals[i];
      if (s.aborted) {
        result.#aborted = true;
        result.#reason = s.reason;
        return result;
      }
    }
    const ref = new WeakRef(result);
    for (let i = 0; i < signals.length; i++) {
      const s = signals[i];
      if (s.#dependents === null) s.#dependents = new Set();
      SetPrototypeAdd(s.#dependents, ref);
    }
    return result;
  }

  [customInspect](depth, opts) {
    return inspectAs(this, depth, opts, { aborted: this.#aborted });
  }
}
errors.enumerableInOrder(AbortSignal.prototype, ['aborted']);
defineEventHandler(AbortSignal.prototype, 'abort');
toStringTag(AbortSignal.prototype, 'AbortSignal');

class AbortController {
  #signal = signalState.create();

  get signal() { return this.#signal; }

  abort(reason = abortError()) {
    signalState.abort(this.#signal, reason);
  }

  [customInspect](depth, opts) {
    return inspectAs(this, depth, opts, { signal: this.#signal });
  }
}
toStringTag(AbortController.prototype, 'AbortController');
errors.enumerableInOrder(AbortController.prototype, ['signal', 'abort']);

exports.Event = Event;
exports.CustomEvent = CustomEvent;
exports.EventTarget = EventTarget;
exports.AbortSignal = AbortSignal;
exports.AbortController = AbortController;
exports.defineEventHandler = defineEventHandler;
exports.isEventTarget = (t) => targetState.is(t);
// The listener functions (or objects) on `t` for `type`, in order.
exports.listenersFor = (t, type) => {
  const list = MapPrototypeGet(listenersOf(t), `${type}`);
  const out = [];
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) ArrayPrototypePush(out, list[i].listener);
  }
  return out;
};
exports.getMaxListeners = (t) => targetState.max(t);
exports.setMaxListeners = (t, n) => targetState.setMax(t, n);
