'use strict';
// require('timers') and require('timers/promises'), over the event loop's
// timers (timers.js).

const {
  Error,
  Promise,
  PromiseReject,
  Symbol,
} = require('primordials');
const timers = require('timers');

const errors = () => require('errors');

class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

function isAbortSignal(v) {
  return v !== null && typeof v === 'object' && v instanceof require('event_target').AbortSignal;
}

// Node's checks of (options) for each timers/promises function; returns
// [signal, ref] or throws.
function readOptions(options, hideFrom) {
  if (options === null || typeof options !== 'object') {
    throw errors().invalidArgType('options', 'Object', options, hideFrom);
  }
  const { signal, ref = true } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw errors().invalidArgType('options.signal', 'AbortSignal', signal, hideFrom);
  }
  if (typeof ref !== 'boolean') throw errors().invalidArgType('options.ref', 'boolean', ref, hideFrom);
  return [signal, ref];
}

function validateDelay(delay, hideFrom) {
  if (delay !== undefined && typeof delay !== 'number') throw errors().invalidArgType('delay', 'number', delay, hideFrom);
}

function abortError(signal) {
  return new AbortError(undefined, { cause: signal.reason });
}

// A promise settled by the timer `start(resolve)` makes, or rejected when
// `signal` aborts first.
function timerPromise(signal, start, cancel) {
  if (signal !== undefined && signal.aborted) return PromiseReject(abortError(signal));
  let onAbort;
  const promise = new Promise((resolve, reject) => {
    const handle = start((value) => {
      if (signal !== undefined) signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (signal !== undefined) {
      onAbort = () => {
        cancel(handle);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
    }
  });
  return promise;
}

function setTimeoutPromise(delay, value, options = {}) {
  let signal, ref;
  try {
    validateDelay(delay, setTimeoutPromise);
    [signal, ref] = readOptions(options, setTimeoutPromise);
  } catch (err) {
    return PromiseReject(err);
  }
  return timerPromise(signal, (done) => {
    const t = timers.setTimeout(done, delay, value);
    if (!ref) t.unref();
    return t;
  }, timers.clearTimeout);
}

function setImmediatePromise(value, options = {}) {
  let signal, ref;
  try {
    [signal, ref] = readOptions(options, setImmediatePromise);
  } catch (err) {
    return PromiseReject(err);
  }
  return timerPromise(signal, (done) => {
    const i = timers.setImmediate(done, value);
    if (!ref) i.unref();
    return i;
  }, timers.clearImmediate);
}

async function* setIntervalPromise(delay, value, options = {}) {
  validateDelay(delay, setIntervalPromise);
  const [signal, ref] = readOptions(options, setIntervalPromise);
  if (signal !== undefined && signal.aborted) throw abortError(signal);
  let onAbort;
  let pending = 0;
  let wake = null;
  let aborted = false;
  const interval = timers.setInterval(() => {
    pending++;
    if (wake !== null) {
      const w = wake;
      wake = null;
      w();
    }
  }, delay);
  if (!ref) interval.unref();
  if (signal !== undefined) {
    onAbort = () => {
      aborted = true;
      timers.clearInterval(interval);
      if (wake !== null) {
        const w = wake;
        wake = null;
        w();
      }
    };
    signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
  }
  try {
    for (;;) {
      if (pending === 0 && !aborted) await new Promise((resolve) => { wake = resolve; });
      if (aborted) throw abortError(signal);
      for (; pending > 0; pending--) yield value;
    }
  } finally {
    timers.clearInterval(interval);
    if (signal !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

const kScheduler = Symbol('kScheduler');

class Scheduler {
  constructor() {
    this[kScheduler] = true;
  }

  yield() {
    if (!this[kScheduler]) return PromiseReject(errors().invalidArgType('this', 'Scheduler', this));
    return setImmediatePromise();
  }

  wait(delay, options) {
    if (!this[kScheduler]) return PromiseReject(errors().invalidArgType('this', 'Scheduler', this));
    return setTimeoutPromise(delay, undefined, options);
  }
}

let promisesApi;
function promises() {
  if (promisesApi === undefined) {
    promisesApi = {
      setTimeout: setTimeoutPromise,
      setImmediate: setImmediatePromise,
      setInterval: setIntervalPromise,
      scheduler: new Scheduler(),
    };
  }
  return promisesApi;
}

// ---- the legacy enroll API (deprecated in Node as well) ----

const kLegacy = Symbol('legacyTimer');

function warnOnce(code, message) {
  const proc = require('process').getProcess();
  proc.emitWarning(message, 'DeprecationWarning', code);
}

function enroll(item, msecs) {
  warnOnce('DEP0095', 'timers.enroll() is deprecated. Please use setTimeout instead.');
  unenrollItem(item);
  item._idleTimeout = msecs;
}

function unenrollItem(item) {
  const t = item[kLegacy];
  if (t !== undefined) {
    timers.clearTimeout(t);
    item[kLegacy] = undefined;
  }
  item._idleTimeout = -1;
}

function unenroll(item) {
  warnOnce('DEP0096', 'timers.unenroll() is deprecated. Please use clearTimeout instead.');
  unenrollItem(item);
}

function activate(item, refed) {
  const old = item[kLegacy];
  if (old !== undefined) timers.clearTimeout(old);
  if (!(item._idleTimeout >= 0)) return;
  const t = timers.setTimeout(() => {
    item[kLegacy] = undefined;
    if (typeof item._onTimeout === 'function') item._onTimeout();
  }, item._idleTimeout);
  if (!refed) t.unref();
  item[kLegacy] = t;
}

function active(item) {
  warnOnce('DEP0126', 'timers.active() is deprecated. Please use timeout.refresh() instead.');
  activate(item, true);
}

function _unrefActive(item) {
  warnOnce('DEP0127', 'timers._unrefActive() is deprecated. Please use timeout.refresh() instead.');
  activate(item, false);
}

let api;
function timersApi() {
  if (api === undefined) {
    api = {
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      setImmediate: timers.setImmediate,
      clearImmediate: timers.clearImmediate,
      setInterval: timers.setInterval,
      clearInterval: timers.clearInterval,
      _unrefActive,
      active,
      unenroll,
      enroll,
      promises: promises(),
    };
  }
  return api;
}

exports.timers = timersApi;
exports.promises = promises;
exports.AbortError = AbortError;
