'use strict';
// The guest's side of the op boundary. Raw ops return `native.failed`
// instead of throwing; these wrappers build Node's error object from what
// the kernel reported (errno, syscall, path, dest, or an argument error),
// with a stack that starts at the user's call (`caller`). Async ops settle
// their promises from the event loop's poll phase (`settleCompletions`).
// Nothing here decides anything: the kernel has.

// Intrinsics from primordials: this module may load after guest code.
const {
  Error: ErrorCtor,
  ErrorCaptureStackTrace: captureStackTrace,
  Map: MapCtor,
  MapPrototypeDelete: MapDelete,
  MapPrototypeGet: MapGet,
  MapPrototypeEntries: MapEntries,
  MapIteratorPrototypeNext: MapIteratorNext,
  MapPrototypeSet: MapSet,
  ObjectDefineProperty,
  Promise: PromiseCtor,
  RangeError: RangeErrorCtor,
  ReflectApply,
  SafeArrayConcat,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  TypeError: TypeErrorCtor,
  WeakMap,
  WeakMapPrototypeGet: WeakMapGet,
  WeakMapPrototypeSet: WeakMapSet,
} = require('primordials');

const FAILED = native.failed;
const takeError = native.v8_take_error;
const loopNext = native.loop_next;
const loopResult = native.loop_result;
const loopRef = native.loop_ref;

const KERNEL = 1, ARG_TYPE = 2, OUT_OF_RANGE = 3, CODED = 4;

// The error the last failed op reported, as Node would have thrown it.
function opError(caller) {
  const info = takeError();
  const errors = require('errors');
  if (info === undefined) return new ErrorCtor('op failed without an error');
  const kind = info[0];
  if (kind === KERNEL) {
    const err = new ErrorCtor(info[3]);
    err.errno = info[1];
    err.code = info[2];
    err.syscall = info[4];
    if (info[5] !== undefined) err.path = info[5];
    if (info[6] !== undefined) err.dest = info[6];
    if (typeof caller === 'function') captureStackTrace(err, caller);
    return err;
  }
  if (kind === ARG_TYPE) {
    return errors.invalidArgType(info[4], StringPrototypeSplit(info[3], '|'), info[7], caller);
  }
  if (kind === OUT_OF_RANGE) {
    // As Node's C++ bindings word it: the number as it is.
    return errors.makeNodeError(RangeErrorCtor, 'ERR_OUT_OF_RANGE',
      `The value of "${info[4]}" is out of range. It must be ${info[3]}. Received ${info[7]}`, caller);
  }
  // CODED: a Node error class and code; host errors keep their own name.
  const name = info[4];
  const code = info[2];
  const Ctor = name === 'TypeError' ? TypeErrorCtor : name === 'RangeError' ? RangeErrorCtor : ErrorCtor;
  if (code !== undefined && code !== '' && StringPrototypeStartsWith(code, 'ERR_') &&
      !StringPrototypeStartsWith(code, 'ERR_SANDBOX_')) {
    return errors.makeNodeError(Ctor, code, info[3], caller);
  }
  const err = new Ctor(info[3]);
  if (Ctor === ErrorCtor && name !== 'Error' && name !== undefined) {
    ObjectDefineProperty(err, 'name', {
      __proto__: null, value: name, writable: true, configurable: true, enumerable: false,
    });
  }
  if (code !== undefined && code !== '') err.code = code;
  if (typeof caller === 'function') captureStackTrace(err, caller);
  return err;
}

// `r` from a raw op: its value, or the op's error thrown at `caller`.
function check(r, caller) {
  if (r === FAILED) throw opError(caller);
  return r;
}

// ---- async ops ----

const pending = new MapCtor();
let nextPromiseId = 1;
let refed = 0;

function nextId() {
  const id = nextPromiseId;
  nextPromiseId = nextPromiseId >= 0x7fffffff ? 1 : nextPromiseId + 1;
  return id;
}

// Starts async op `op` with `args` (after the promise id it is given);
// returns the promise it settles. A call the kernel refuses at once
// rejects with that error. `transform`, if given, turns the op's value into
// the promise's value as the op settles (e.g. a stat read from
// `native.stat_values` before another op overwrites it).
function callAsync(op, caller, args, transform) {
  const id = nextId();
  let resolve, reject;
  const promise = new PromiseCtor((res, rej) => { resolve = res; reject = rej; });
  const r = ReflectApply(op, undefined, SafeArrayConcat([id], args));
  if (r === FAILED) {
    reject(opError(caller));
    return promise;
  }
  MapSet(pending, id, { resolve, reject, callback: undefined, transform, refed: true });
  refed++;
  WeakMapSet(opIds, promise, id);
  return promise;
}

// The same with a Node-style callback `cb(err, value)`, called from the
// poll phase itself (not from a promise job), as Node calls fs callbacks:
// a callback that throws is an uncaught exception. An argument the kernel
// refuses at once throws here.
function callAsyncCallback(op, caller, args, cb, transform) {
  const id = nextId();
  const r = ReflectApply(op, undefined, SafeArrayConcat([id], args));
  if (r === FAILED) throw opError(caller);
  // The AsyncLocalStorage frame the callback runs in, once tracked.
  const timers = require('timers');
  const frame = timers.asyncState.tracking ? { __proto__: null, value: timers.getFrame() } : undefined;
  MapSet(pending, id, { resolve: undefined, reject: undefined, callback: cb, transform, refed: true, frame });
  refed++;
  return id;
}

function callBack(p, err, value) {
  if (p.frame === undefined) {
    if (err !== null) p.callback(err);
    else p.callback(null, value);
    return;
  }
  const timers = require('timers');
  const prev = timers.getFrame();
  timers.setFrame(p.frame.value);
  try {
    if (err !== null) p.callback(err);
    else p.callback(null, value);
  } finally {
    timers.setFrame(prev);
  }
}

// Which op each promise of `callAsync` belongs to, for `setRef`.
const opIds = new WeakMap();

// `unref()`/`ref()` of the op behind `promise`: an unrefed op does not keep
// the process alive.
function setRef(promise, on) {
  const id = WeakMapGet(opIds, promise);
  if (id !== undefined) setRefById(id, on);
}

// The same for the op `callAsyncCallback` returned the id of.
function setRefById(id, on) {
  const p = MapGet(pending, id);
  if (p === undefined || p.refed === on) return;
  p.refed = on;
  refed += on ? 1 : -1;
  loopRef(id, on);
}

// Poll phase: settles every finished op, draining ticks and microtasks
// after each, as Node runs I/O callbacks.
function settleCompletions(drain) {
  for (;;) {
    const id = loopNext();
    if (id < 0) return;
    const p = MapGet(pending, id);
    const value = loopResult();
    if (p === undefined) continue;
    MapDelete(pending, id);
    if (p.refed) refed--;
    if (p.callback !== undefined) {
      if (value === FAILED) callBack(p, opError(undefined));
      else callBack(p, null, p.transform !== undefined ? p.transform(value) : value);
    } else if (value === FAILED) {
      p.reject(opError(undefined));
    } else {
      p.resolve(p.transform !== undefined ? p.transform(value) : value);
    }
    drain();
  }
}

function refedOps() { return refed; }

// The kernel dropped this process's ops in flight (a persistent context's
// call ended with some): they never settle, and keep nothing alive.
function forgetPending() {
  for (;;) {
    const next = MapIteratorNext(MapEntries(pending));
    if (next.done) break;
    MapDelete(pending, next.value[0]);
  }
  refed = 0;
}

exports.FAILED = FAILED;
exports.check = check;
exports.opError = opError;
exports.callAsync = callAsync;
exports.callAsyncCallback = callAsyncCallback;
exports.setRef = setRef;
exports.setRefById = setRefById;
exports.settleCompletions = settleCompletions;
exports.refedOps = refedOps;
exports.forgetPending = forgetPending;
