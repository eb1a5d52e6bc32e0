'use strict';
// Event loop core: nextTick queue, microtask draining, unhandled rejection
// tracking, timers (binary heap keyed by due time then insertion order) and
// immediates. The engine drives it through hooks.afterScript/timers/poll.

const {
  ArrayIsArray,
  ArrayPrototypePop,
  ArrayPrototypePush,
  Error,
  FunctionPrototypeToString,
  Map,
  MapIteratorPrototypeNext,
  MapPrototypeDelete,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeHas,
  MapPrototypeSet,
  MathCeil,
  MathFloor,
  Number,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypeToString,
  OriginalErrorPrototypeToString,
  OriginalObjectPrototypeToString,
  PromisePrototypeThen,
  PromiseResolve,
  ReflectApply,
  SafeArrayConcat,
  SafeArraySlice,
  String,
  Symbol,
  SymbolFor,
  SymbolPrototypeToString,
  SymbolToPrimitive,
  SymbolToStringTag,
  WeakMap,
  WeakMapPrototypeGet,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
  WeakSet,
  WeakSetPrototypeAdd,
  WeakSetPrototypeDelete,
  WeakSetPrototypeHas,
} = require('primordials');

// Loaded on first validation failure only.
const errors = {
  validateFunction(value, name, hideFrom) {
    if (typeof value !== 'function') require('errors').validateFunction(value, name, hideFrom);
  },
};

const TIMEOUT_MAX = 2 ** 31 - 1;
// Its own `constructor` keeps then() on the intrinsic Promise whatever the
// guest does to Promise.prototype.constructor or Promise[Symbol.species].
const resolvedPromise = PromiseResolve();
ObjectDefineProperty(resolvedPromise, 'constructor', { __proto__: null, value: undefined });

let proc = null; // the process object, once something created it
exports._setProcess = (p) => { proc = p; };
exports.getProcess = () => proc;

function hasListeners(name) {
  return proc !== null && proc.listenerCount(name) > 0;
}

// Routes an exception from a callback like Node's triggerUncaughtException:
// to 'uncaughtException' listeners if any, otherwise out of the hook.
function handleUncaught(err, origin = 'uncaughtException') {
  if (proc !== null && proc.listenerCount('uncaughtExceptionMonitor') > 0) {
    proc.emit('uncaughtExceptionMonitor', err, origin);
  }
  if (hasListeners('uncaughtException')) {
    // Node exits with 7 and skips 'exit' when the handler itself throws.
    // Not caught here, so that the report points at the handler's throw.
    let done = false;
    try {
      proc.emit('uncaughtException', err, origin);
      done = true;
    } finally {
      if (!done) fatalExitCode = 7;
    }
    return;
  }
  throw err;
}

let fatalExitCode = 0;
exports.fatalExitCode = () => fatalExitCode;

// Calls a guest callback. With no listener to hand an exception to, it is
// not caught at all: it leaves the hook with V8's message of the original
// throw, so the engine prints Node's arrow at the guest's own line.
function callGuarded(fn, thisArg, args) {
  if (!hasListeners('uncaughtException') && !hasListeners('uncaughtExceptionMonitor')) {
    return args === undefined ? ReflectApply(fn, thisArg, []) : ReflectApply(fn, thisArg, args);
  }
  try {
    return args === undefined ? ReflectApply(fn, thisArg, []) : ReflectApply(fn, thisArg, args);
  } catch (err) {
    handleUncaught(err);
  }
}

// ---- async context ----
// What async_hooks needs from the loop: the async id of the callback that
// runs (executionAsyncId), and, once AsyncLocalStorage or AsyncResource is
// used (`tracking`), the frame of stores each callback was scheduled in,
// restored while it runs. The frame is V8's continuation-preserved embedder
// data, so promise jobs carry it by themselves. `hooks` is on while a
// createHook() hook is enabled.
const getFrame = native.v8_async_context_get;
const setFrame = native.v8_async_context_set;
const topLevelResource = {};
const asyncState = {
  __proto__: null,
  tracking: false,
  hooks: false,
  execId: 1,
  triggerId: 0,
  resource: topLevelResource,
  // Set by async_hooks while a hook is enabled.
  emitInit: undefined,
  emitBefore: undefined,
  emitAfter: undefined,
  emitDestroy: undefined,
};
exports.asyncState = asyncState;
exports.topLevelResource = topLevelResource;
exports.getFrame = getFrame;
exports.setFrame = setFrame;

function newAsyncId() {
  return nextAsyncId++;
}
exports.newAsyncId = newAsyncId;

// Calls fn as the callback of the async resource `resource` (with `id`,
// scheduled by `trigger`) in `frame`.
function callInScope(fn, thisArg, args, id, trigger, frame, resource) {
  const prevId = asyncState.execId, prevTrigger = asyncState.triggerId, prevResource = asyncState.resource;
  asyncState.execId = id;
  asyncState.triggerId = trigger;
  asyncState.resource = resource;
  const tracking = asyncState.tracking;
  let prevFrame;
  if (tracking) {
    prevFrame = getFrame();
    setFrame(frame);
  }
  if (asyncState.hooks) asyncState.emitBefore(id);
  try {
    return callGuarded(fn, thisArg, args);
  } finally {
    if (asyncState.hooks) asyncState.emitAfter(id);
    if (tracking) setFrame(prevFrame);
    asyncState.execId = prevId;
    asyncState.triggerId = prevTrigger;
    asyncState.resource = prevResource;
  }
}
exports.callInScope = callInScope;

// ---- nextTick and microtasks ----

let tickQueue = [];
let tickHead = 0;

function nextTick(callback, ...args) {
  errors.validateFunction(callback, 'callback', nextTick);
  if (proc !== null && proc._exiting) return;
  if (asyncState.tracking || asyncState.hooks) {
    // A TickObject of its own, as Node has.
    const tick = {
      __proto__: null, callback, args: args.length === 0 ? undefined : args,
      frame: asyncState.tracking ? getFrame() : undefined,
      id: nextAsyncId++, trigger: asyncState.execId,
    };
    if (asyncState.hooks) asyncState.emitInit(tick.id, 'TickObject', tick.trigger, tick);
    ArrayPrototypePush(tickQueue, tick);
    return;
  }
  ArrayPrototypePush(tickQueue, args.length === 0 ? callback : { callback, args });
}

let microtaskError = null;
let hasMicrotaskError = false;

function queueMicrotask(callback) {
  errors.validateFunction(callback, 'callback', queueMicrotask);
  PromisePrototypeThen(resolvedPromise, () => {
    if (hasMicrotaskError) return;
    try {
      callback();
    } catch (err) {
      if (hasListeners('uncaughtException')) {
        try { handleUncaught(err); } catch (e) { hasMicrotaskError = true; microtaskError = e; }
      } else {
        hasMicrotaskError = true;
        microtaskError = err;
      }
    }
  });
}

function runMicrotasks() {
  native.v8_run_microtasks();
  if (hasMicrotaskError) {
    const err = microtaskError;
    hasMicrotaskError = false;
    microtaskError = null;
    throw err;
  }
}

function runTick(tock) {
  try {
    callInScope(tock.callback, undefined, tock.args, tock.id, tock.trigger, tock.frame, tock);
  } finally {
    if (asyncState.hooks) asyncState.emitDestroy(tock.id);
  }
}

function processTicksAndRejections() {
  do {
    while (tickHead < tickQueue.length) {
      const tock = tickQueue[tickHead];
      tickQueue[tickHead++] = undefined;
      if (typeof tock === 'function') callGuarded(tock, undefined, undefined);
      else if (tock.id === undefined) callGuarded(tock.callback, undefined, tock.args);
      else runTick(tock);
    }
    tickQueue = [];
    tickHead = 0;
    runMicrotasks();
  } while (tickHead < tickQueue.length || processPromiseRejections());
}

// ---- unhandled rejections ----

const pendingRejections = new Map();
let reportedRejections = null;
let knownRejections = null;

function onPromiseReject(type, promise, reason) {
  if (type === 0) {
    MapPrototypeSet(pendingRejections, promise, reason);
    if (knownRejections === null) knownRejections = new WeakMap();
    WeakMapPrototypeSet(knownRejections, promise, reason);
  } else if (type === 1) {
    if (MapPrototypeHas(pendingRejections, promise)) {
      MapPrototypeDelete(pendingRejections, promise);
    } else if (reportedRejections !== null && WeakSetPrototypeHas(reportedRejections, promise)) {
      WeakSetPrototypeDelete(reportedRejections, promise);
      if (hasListeners('rejectionHandled')) {
        nextTick(() => proc.emit('rejectionHandled', promise));
      }
    }
  }
}

// What util.inspect can know about a promise without engine help.
exports.promiseDetails = (p) => {
  if (knownRejections !== null && WeakMapPrototypeHas(knownRejections, p)) {
    return [2, WeakMapPrototypeGet(knownRejections, p)];
  }
  return undefined;
};

function isErrorLike(o) {
  return typeof o === 'object' && o !== null && ObjectPrototypeHasOwnProperty(o, 'stack');
}

// Data property lookup along the prototype chain, never running getters.
function dataProperty(obj, key) {
  for (let o = obj; o !== null; o = ObjectGetPrototypeOf(o)) {
    const d = ObjectGetOwnPropertyDescriptor(o, key);
    if (d !== undefined) return ObjectPrototypeHasOwnProperty(d, 'value') ? d.value : undefined;
  }
  return undefined;
}

// Like V8's Object::NoSideEffectsToString, which Node uses for this message.
function noSideEffectsToString(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'symbol') return SymbolPrototypeToString(v);
  if (typeof v === 'function') return FunctionPrototypeToString(v);
  if (v === null || typeof v !== 'object') return String(v);
  const toString = dataProperty(v, 'toString');
  if (ObjectPrototypeToString(v) === '[object Error]' || toString === OriginalErrorPrototypeToString) {
    const name = dataProperty(v, 'name');
    const msg = dataProperty(v, 'message');
    const n = name === undefined ? 'Error' : String(name);
    const m = msg === undefined ? '' : String(msg);
    return n === '' ? m : m === '' ? n : `${n}: ${m}`;
  }
  if (toString === OriginalObjectPrototypeToString) {
    const ctor = dataProperty(v, 'constructor');
    if (typeof ctor === 'function' && ctor.name) return `#<${ctor.name}>`;
  }
  const tag = dataProperty(v, SymbolToStringTag);
  if (typeof tag === 'string') return `[object ${tag}]`;
  return ArrayIsArray(v) ? '[object Array]' : typeof v === 'function' ? '[object Function]' : '[object Object]';
}

function makeUnhandledRejectionError(reason) {
  let inspected;
  try { inspected = noSideEffectsToString(reason); } catch { inspected = '[object Object]'; }
  const err = new Error('This error originated either by throwing inside of an async function ' +
    'without a catch block, or by rejecting a promise which was not handled with .catch().' +
    ` The promise rejected with the reason "${inspected}".`);
  err.name = 'UnhandledPromiseRejection';
  void err.stack;
  delete err.name;
  ObjectDefineProperty(err, 'name', {
    __proto__: null, value: 'UnhandledPromiseRejection', writable: true, configurable: true, enumerable: false,
  });
  require('errors').defineCode(err, 'ERR_UNHANDLED_REJECTION');
  return err;
}

function processPromiseRejections() {
  let processed = false;
  while (MapPrototypeGetSize(pendingRejections) > 0) {
    const entry = MapIteratorPrototypeNext(MapPrototypeEntries(pendingRejections)).value;
    const promise = entry[0], reason = entry[1];
    MapPrototypeDelete(pendingRejections, promise);
    processed = true;
    if (reportedRejections === null) reportedRejections = new WeakSet();
    WeakSetPrototypeAdd(reportedRejections, promise);
    if (hasListeners('unhandledRejection')) {
      proc.emit('unhandledRejection', reason, promise);
    } else {
      handleUncaught(isErrorLike(reason) ? reason : makeUnhandledRejectionError(reason), 'unhandledRejection');
    }
  }
  return processed;
}

// ---- timers ----

const heap = [];
let timerSeq = 0;
let refedTimers = 0;
let nextAsyncId = 2;
const knownTimersById = new Map();
const kRefed = Symbol('refed');
const kHasPrimitive = Symbol('kHasPrimitive');
const asyncIdSymbol = Symbol('asyncId');
const triggerAsyncIdSymbol = Symbol('triggerId');
const kFrame = Symbol('kFrame');
exports.asyncIdSymbol = asyncIdSymbol;
exports.triggerAsyncIdSymbol = triggerAsyncIdSymbol;

let timerInternals;

class Timeout {
  #due = 0;
  #seq = 0;
  #index = -1;

  constructor(callback, after, args, isRepeat, isRefed) {
    after *= 1;
    if (!(after >= 1 && after <= TIMEOUT_MAX)) {
      if (after > TIMEOUT_MAX) {
        emitWarning(`${after} does not fit into a 32-bit signed integer.` +
          '\nTimeout duration was set to 1.', 'TimeoutOverflowWarning');
      }
      after = 1;
    }
    this._idleTimeout = after;
    this._idlePrev = null;
    this._idleNext = null;
    this._idleStart = 0;
    this._onTimeout = callback;
    this._timerArgs = args;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this[kRefed] = isRefed;
    this[kHasPrimitive] = false;
    this[asyncIdSymbol] = nextAsyncId++;
    this[triggerAsyncIdSymbol] = asyncState.execId;
    if (asyncState.tracking) this[kFrame] = getFrame();
    if (asyncState.hooks) asyncState.emitInit(this[asyncIdSymbol], 'Timeout', this[triggerAsyncIdSymbol], this);
    schedule(this, loopNow());
  }

  static {
    timerInternals = {
      due: (t) => t.#due,
      seq: (t) => t.#seq,
      index: (t) => t.#index,
      setIndex: (t, i) => { t.#index = i; },
      setDue: (t, due) => { t.#due = due; t.#seq = timerSeq++; },
    };
  }

  refresh() {
    if (this._destroyed) return this;
    if (timerInternals.index(this) !== -1) unschedule(this);
    schedule(this, loopNow());
    return this;
  }

  unref() {
    if (this[kRefed]) {
      this[kRefed] = false;
      if (timerInternals.index(this) !== -1) refedTimers--;
    }
    return this;
  }

  ref() {
    if (!this[kRefed]) {
      this[kRefed] = true;
      if (timerInternals.index(this) !== -1) refedTimers++;
    }
    return this;
  }

  hasRef() { return this[kRefed]; }

  close() {
    clearTimeout(this);
    return this;
  }

  [SymbolToPrimitive]() {
    const id = this[asyncIdSymbol];
    if (!this[kHasPrimitive]) {
      this[kHasPrimitive] = true;
      MapPrototypeSet(knownTimersById, id, this);
    }
    return id;
  }
}

const dueOf = (t) => timerInternals.due(t);
function less(a, b) {
  const da = dueOf(a), db = dueOf(b);
  return da < db || (da === db && timerInternals.seq(a) < timerInternals.seq(b));
}
function place(t, i) { heap[i] = t; timerInternals.setIndex(t, i); }
function siftUp(i) {
  const t = heap[i];
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(t, heap[p])) break;
    place(heap[p], i);
    i = p;
  }
  place(t, i);
}
function siftDown(i) {
  const t = heap[i];
  const n = heap.length;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && less(heap[c + 1], heap[c])) c++;
    if (!less(heap[c], t)) break;
    place(heap[c], i);
    i = c;
  }
  place(t, i);
}

// A timer starts at the whole millisecond, as libuv's loop time counts:
// two made in the same millisecond with one delay come due together.
function schedule(t, now) {
  const start = MathFloor(now);
  t._idleStart = start;
  timerInternals.setDue(t, start + t._idleTimeout);
  ArrayPrototypePush(heap, t);
  siftUp(heap.length - 1);
  if (t[kRefed]) refedTimers++;
}

function unschedule(t) {
  const i = timerInternals.index(t);
  if (i === -1) return;
  timerInternals.setIndex(t, -1);
  if (t[kRefed]) refedTimers--;
  const last = ArrayPrototypePop(heap);
  if (i < heap.length) {
    place(last, i);
    siftDown(i);
    siftUp(timerInternals.index(last));
  }
}

function unenroll(t) {
  if (t._destroyed) return;
  t._destroyed = true;
  if (asyncState.hooks) asyncState.emitDestroy(t[asyncIdSymbol]);
  if (t[kHasPrimitive]) MapPrototypeDelete(knownTimersById, t[asyncIdSymbol]);
  unschedule(t);
}

function setTimeout(callback, after, ...args) {
  errors.validateFunction(callback, 'callback', setTimeout);
  return new Timeout(callback, after, args.length === 0 ? undefined : args, false, true);
}

function setInterval(callback, repeat, ...args) {
  errors.validateFunction(callback, 'callback', setInterval);
  return new Timeout(callback, repeat, args.length === 0 ? undefined : args, true, true);
}

function clearTimeout(timer) {
  if (timer && timer._onTimeout) {
    timer._onTimeout = null;
    unenroll(timer);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const t = MapPrototypeGet(knownTimersById, +timer);
    if (t !== undefined) {
      t._idleTimeout = -1;
      unenroll(t);
    }
  }
}

function clearInterval(timer) {
  clearTimeout(timer);
}

function runTimer(t) {
  try {
    callInScope(t._onTimeout, t, t._timerArgs, t[asyncIdSymbol], t[triggerAsyncIdSymbol], t[kFrame], t);
  } finally {
    reschedule(t);
  }
}

function reschedule(t) {
  if (timerInternals.index(t) !== -1 || t._destroyed) return; // refreshed or cleared inside
  if (t._repeat !== null && t._idleTimeout !== -1 && t._onTimeout) {
    t._idleTimeout = t._repeat;
    schedule(t, loopNow());
  } else {
    t._destroyed = true;
    if (t[kHasPrimitive]) MapPrototypeDelete(knownTimersById, t[asyncIdSymbol]);
    if (asyncState.hooks) asyncState.emitDestroy(t[asyncIdSymbol]);
  }
}

// ---- immediates ----

let immediateQueue = [];
let refedImmediates = 0;
const kImmRefed = Symbol('refed');

class Immediate {
  constructor(callback, args) {
    this._idleNext = null;
    this._idlePrev = null;
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    this[kImmRefed] = true;
    this[asyncIdSymbol] = nextAsyncId++;
    this[triggerAsyncIdSymbol] = asyncState.execId;
    if (asyncState.tracking) this[kFrame] = getFrame();
    if (asyncState.hooks) asyncState.emitInit(this[asyncIdSymbol], 'Immediate', this[triggerAsyncIdSymbol], this);
    refedImmediates++;
    ArrayPrototypePush(immediateQueue, this);
  }

  ref() {
    if (!this[kImmRefed]) {
      this[kImmRefed] = true;
      if (!this._destroyed) refedImmediates++;
    }
    return this;
  }

  unref() {
    if (this[kImmRefed]) {
      this[kImmRefed] = false;
      if (!this._destroyed) refedImmediates--;
    }
    return this;
  }

  hasRef() { return !!this[kImmRefed]; }
}

function destroyImmediate(imm) {
  if (imm._destroyed) return;
  imm._destroyed = true;
  if (imm[kImmRefed]) refedImmediates--;
}

function setImmediate(callback, ...args) {
  errors.validateFunction(callback, 'callback', setImmediate);
  return new Immediate(callback, args.length === 0 ? undefined : args);
}

// util.promisify(setTimeout) and util.promisify(setImmediate), as Node's
// timers/promises functions.
ObjectDefineProperty(setTimeout, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null, enumerable: true, configurable: false,
  get() { return require('util_public').promisifiedSetTimeout; },
});
ObjectDefineProperty(setImmediate, SymbolFor('nodejs.util.promisify.custom'), {
  __proto__: null, enumerable: true, configurable: false,
  get() { return require('util_public').promisifiedSetImmediate; },
});

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed) return;
  destroyImmediate(immediate);
  if (asyncState.hooks) asyncState.emitDestroy(immediate[asyncIdSymbol]);
  immediate._onImmediate = null;
}

function emitWarning(message, type, code) {
  require('process').process.emitWarning(message, type, code);
}

// ---- loop ----

function loopAlive() {
  return refedTimers > 0 || refedImmediates > 0 || require('ops').refedOps() > 0;
}

// Timers phase: runs the due timers; returns what the loop may wait (see
// nextWait).
function runTimers() {
  turnAlive = loopAlive();
  const now = native.clock_now();
  phaseNow = now;
  try {
    while (heap.length > 0) {
      const t = heap[0];
      if (dueOf(t) > now) break;
      unschedule(t);
      runTimer(t);
      processTicksAndRejections();
    }
  } finally {
    phaseNow = undefined;
  }
  return nextWait();
}

// The time timers are scheduled from: in the timers phase, the phase's
// start, as libuv's cached loop time is (two timers a callback schedules
// for the same delay fall due together); elsewhere, now.
let phaseNow;
function loopNow() {
  return phaseNow !== undefined ? phaseNow : native.clock_now();
}

// Signals the process sent itself ([name, number]), delivered in the poll
// phase as Node's signal watchers are: in a loop turn that had work of its
// own; a signal keeps nothing alive.
let pendingSignals = [];
let turnAlive = false;

function queueSignal(name, signo) {
  ArrayPrototypePush(pendingSignals, [name, signo]);
}

// Each delivery is a callback of its own, as the signal wrap's: what it
// throws goes to 'uncaughtException', and if nothing takes it the rest
// waits for the next turn.
function deliverSignals() {
  const list = pendingSignals;
  pendingSignals = [];
  for (let i = 0; i < list.length; i++) {
    if (proc === null) break;
    let threw = true;
    try {
      callInScope(proc.emit, proc, [list[i][0], list[i][0], list[i][1]], newAsyncId(), 0, undefined, topLevelResource);
      threw = false;
    } finally {
      if (threw) pendingSignals = SafeArrayConcat(SafeArraySlice(list, i + 1), pendingSignals);
    }
    processTicksAndRejections();
  }
}

// Poll phase (settle finished async ops), then check phase (immediates).
// `outside`: the kernel still has work that will call back (refed ops,
// V8 tasks), so 'beforeExit' must wait.
function runPoll(outside) {
  // V8's own tasks (a finished WebAssembly compile) may have queued jobs.
  processTicksAndRejections();
  require('ops').settleCompletions(processTicksAndRejections);
  if (pendingSignals.length > 0 && (turnAlive || loopAlive())) deliverSignals();
  if (immediateQueue.length > 0) {
    const queue = immediateQueue;
    immediateQueue = [];
    for (let i = 0; i < queue.length; i++) {
      const imm = queue[i];
      if (imm._destroyed) continue;
      destroyImmediate(imm);
      const cb = imm._onImmediate;
      imm._onImmediate = null;
      let threw = true;
      try {
        callInScope(cb, imm, imm._argv, imm[asyncIdSymbol], imm[triggerAsyncIdSymbol], imm[kFrame], imm);
        threw = false;
      } finally {
        if (asyncState.hooks) asyncState.emitDestroy(imm[asyncIdSymbol]);
        // Keep the rest of this batch for the next turn, as Node does.
        if (threw) immediateQueue = SafeArrayConcat(SafeArraySlice(queue, i + 1), immediateQueue);
      }
      processTicksAndRejections();
    }
  }
  // Quiet now, not only when the phase began: work started by this phase's
  // callbacks (an op, a WebAssembly compile) must finish before 'beforeExit'.
  if (!loopAlive() && !outside && !native.v8_pending_tasks()) {
    // A persistent context's call ending is no process ending.
    if (config.persistent !== true && proc !== null && !proc._exiting && proc.listenerCount('beforeExit') > 0) {
      proc.emit('beforeExit', exitCodeNumber());
      processTicksAndRejections();
    }
    // Done: as in Node, after 'beforeExit' only new work of the guest's
    // own (timers, immediates, refed ops) keeps the process alive.
    if (!loopAlive()) return LOOP_DONE;
  }
  return nextWait();
}

// What runPoll returns when the process may end (see src/sidecar/execute.rs).
const LOOP_DONE = -2;

// -1: nothing of the guest's own keeps the loop alive; 0: work is ready;
// otherwise the ms until the next timer.
function nextWait() {
  if (immediateQueue.length > 0 || (pendingSignals.length > 0 && loopAlive())) return 0;
  if (!loopAlive()) return -1;
  if (heap.length === 0) return -1;
  const wait = dueOf(heap[0]) - native.clock_now();
  return wait <= 0 ? 0 : MathCeil(wait);
}

function exitCodeNumber() {
  if (proc === null) return 0;
  const c = proc.exitCode;
  return c === undefined || c === null ? 0 : (Number(c) | 0);
}

exports.nextTick = nextTick;
exports.queueMicrotask = queueMicrotask;
exports.processTicksAndRejections = processTicksAndRejections;
exports.onPromiseReject = onPromiseReject;
exports.handleUncaught = handleUncaught;
exports.runTimers = runTimers;
exports.runPoll = runPoll;
exports.queueSignal = queueSignal;
exports.dropSignals = () => { pendingSignals = []; };
exports.setTimeout = setTimeout;
exports.setInterval = setInterval;
exports.clearTimeout = clearTimeout;
exports.clearInterval = clearInterval;
exports.setImmediate = setImmediate;
exports.clearImmediate = clearImmediate;
exports.Timeout = Timeout;
exports.Immediate = Immediate;
exports.exitCodeNumber = exitCodeNumber;
exports.emitWarning = emitWarning;
