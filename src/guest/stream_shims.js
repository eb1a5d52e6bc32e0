'use strict';
// What readable-stream (compiled in as the `rs/*` modules, see vendor.rs)
// takes from its browser adapters (`lib/ours/*`), given from the guest's
// builtins instead: the intrinsics from our primordials (captured before
// guest code ran), errors with Node's classes, codes and messages, and the
// few util helpers it uses. Node's streams code itself still reaches
// globals and prototypes at call time (for...of, spread, `.then`); that is
// the package's code, and a guest that poisons them breaks its own streams.

const {
  AggregateError,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  Boolean,
  Error,
  FunctionPrototypeCall,
  FunctionPrototypeSymbolHasInstance,
  MathFloor,
  Number,
  NumberIsInteger,
  NumberIsNaN,
  NumberMAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER,
  NumberParseInt,
  ObjectDefineProperties,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectSetPrototypeOf,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  RangeError,
  ReflectApply,
  ReflectConstruct,
  RegExpPrototypeExec,
  SafeArrayMap,
  SafeArraySlice,
  Set,
  SetPrototypeAdd,
  SetPrototypeHas,
  String,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  StringPrototypeTrim,
  Symbol,
  SymbolAsyncDispose,
  SymbolAsyncIterator,
  SymbolDispose,
  SymbolFor,
  SymbolIterator,
  TypeError,
  TypedArrayPrototypeSet,
  Uint8Array,
  ArrayBufferIsView,
} = require('primordials');
const errors = require('errors');
const { makeNodeError } = errors;

// ---- lib/ours/primordials: the names readable-stream destructures ----

exports.primordials = {
  __proto__: null,
  AggregateError,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypeMap: SafeArrayMap,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeSlice: SafeArraySlice,
  Boolean,
  Error,
  FunctionPrototypeCall,
  FunctionPrototypeSymbolHasInstance,
  MathFloor,
  Number,
  NumberIsInteger,
  NumberIsNaN,
  NumberMAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER,
  NumberParseInt,
  ObjectDefineProperties,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectSetPrototypeOf,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  ReflectApply,
  ReflectConstruct,
  RegExpPrototypeExec,
  SafeSet: Set,
  String,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  StringPrototypeTrim,
  Symbol,
  SymbolAsyncDispose,
  SymbolAsyncIterator,
  SymbolDispose,
  SymbolFor,
  SymbolHasInstance: Symbol.hasInstance,
  SymbolIterator,
  TypedArrayPrototypeSet,
  Uint8Array,
};

// ---- lib/ours/errors: Node's error codes, classes and messages ----

function inspect(value, opts) {
  return require('util').inspect(value, opts);
}

// A code's builder: `new ERR_X(...)` and `ERR_X(...)` both give the error,
// its stack starting where the stream code made it.
function E(code, Base, message) {
  const make = function(...args) {
    return makeNodeError(Base, code, message(...args), make);
  };
  ObjectDefineProperty(make, 'name', { __proto__: null, value: code });
  return make;
}

const codes = {
  __proto__: null,
  ERR_INVALID_ARG_TYPE: function ERR_INVALID_ARG_TYPE(name, expected, actual) {
    return errors.invalidArgType(name, expected, actual, ERR_INVALID_ARG_TYPE);
  },
  ERR_INVALID_ARG_VALUE: E('ERR_INVALID_ARG_VALUE', TypeError, (name, value, reason = 'is invalid') => {
    let inspected = inspect(value);
    if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
    const type = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
    return `The ${type} '${name}' ${reason}. Received ${inspected}`;
  }),
  ERR_INVALID_RETURN_VALUE: E('ERR_INVALID_RETURN_VALUE', TypeError, (input, name, value) => {
    const ctor = value == null ? undefined : value.constructor;
    const type = ctor && ctor.name ? `instance of ${ctor.name}` : `type ${typeof value}`;
    return `Expected ${input} to be returned from the "${name}" function but got ${type}.`;
  }),
  ERR_MISSING_ARGS: E('ERR_MISSING_ARGS', TypeError, (...args) => {
    const names = SafeArrayMap(args, (a) => (ArrayIsArray(a)
      ? ArrayPrototypeJoin(SafeArrayMap(a, (x) => `"${x}"`), ' or ') : `"${a}"`));
    const n = names.length;
    let msg = 'The ';
    if (n === 1) msg += `${names[0]} argument`;
    else if (n === 2) msg += `${names[0]} and ${names[1]} arguments`;
    else msg += `${ArrayPrototypeJoin(SafeArraySlice(names, 0, n - 1), ', ')}, and ${names[n - 1]} arguments`;
    return `${msg} must be specified`;
  }),
  ERR_OUT_OF_RANGE: function ERR_OUT_OF_RANGE(name, range, received) {
    return errors.outOfRange(name, range, received, ERR_OUT_OF_RANGE);
  },
  ERR_ILLEGAL_CONSTRUCTOR: E('ERR_ILLEGAL_CONSTRUCTOR', TypeError, () => 'Illegal constructor'),
  ERR_METHOD_NOT_IMPLEMENTED: E('ERR_METHOD_NOT_IMPLEMENTED', Error,
    (method) => `The ${method} method is not implemented`),
  ERR_MULTIPLE_CALLBACK: E('ERR_MULTIPLE_CALLBACK', Error, () => 'Callback called multiple times'),
  ERR_SOCKET_BAD_PORT: E('ERR_SOCKET_BAD_PORT', RangeError, (name, port, allowZero = true) =>
    `${name} should be ${allowZero ? '>=' : '>'} 0 and < 65536. Received ${inspect(port)}.`),
  ERR_STREAM_ALREADY_FINISHED: E('ERR_STREAM_ALREADY_FINISHED', Error,
    (method) => `Cannot call ${method} after a stream was finished`),
  ERR_STREAM_CANNOT_PIPE: E('ERR_STREAM_CANNOT_PIPE', Error, () => 'Cannot pipe, not readable'),
  ERR_STREAM_DESTROYED: E('ERR_STREAM_DESTROYED', Error,
    (method) => `Cannot call ${method} after a stream was destroyed`),
  ERR_STREAM_NULL_VALUES: E('ERR_STREAM_NULL_VALUES', TypeError, () => 'May not write null values to stream'),
  ERR_STREAM_PREMATURE_CLOSE: E('ERR_STREAM_PREMATURE_CLOSE', Error, () => 'Premature close'),
  ERR_STREAM_PUSH_AFTER_EOF: E('ERR_STREAM_PUSH_AFTER_EOF', Error, () => 'stream.push() after EOF'),
  ERR_STREAM_UNSHIFT_AFTER_END_EVENT: E('ERR_STREAM_UNSHIFT_AFTER_END_EVENT', Error,
    () => 'stream.unshift() after end event'),
  ERR_STREAM_WRITE_AFTER_END: E('ERR_STREAM_WRITE_AFTER_END', Error, () => 'write after end'),
  ERR_UNKNOWN_ENCODING: E('ERR_UNKNOWN_ENCODING', TypeError, (enc) => `Unknown encoding: ${enc}`),
  ERR_UNKNOWN_SIGNAL: E('ERR_UNKNOWN_SIGNAL', TypeError, (signal) => `Unknown signal: ${signal}`),
};

class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    if (options !== undefined && typeof options !== 'object') {
      throw codes.ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    super(message, options);
    this.code = 'ABORT_ERR';
    this.name = 'AbortError';
  }
}

// One error for a failure during another: the second joins the first's
// AggregateError (made if need be).
function aggregateTwoErrors(innerError, outerError) {
  if (innerError && outerError && innerError !== outerError) {
    if (ArrayIsArray(outerError.errors)) {
      ArrayPrototypePush(outerError.errors, innerError);
      return outerError;
    }
    const err = new AggregateError([outerError, innerError], outerError.message);
    err.code = outerError.code;
    return err;
  }
  return innerError || outerError;
}

exports.errors = {
  __proto__: null,
  AbortError,
  aggregateTwoErrors,
  hideStackFrames: (fn) => fn,
  codes,
};

// ---- lib/ours/util ----

const AsyncFunctionPrototype = ObjectGetPrototypeOf(async function() {});
const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {});
const kResistStopPropagation = SymbolFor('nodejs.internal.kResistStopPropagation');
const warned = new Set();

exports.util = {
  __proto__: null,
  AggregateError,
  kEmptyObject: ObjectFreeze({ __proto__: null }),
  once(callback) {
    let called = false;
    return function(...args) {
      if (called) return;
      called = true;
      return ReflectApply(callback, this, args);
    };
  },
  createDeferredPromise() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  },
  promisify: { __proto__: null, custom: SymbolFor('nodejs.util.promisify.custom') },
  debuglog() { return function debug() {}; },
  format(...args) { return ReflectApply(require('util').format, undefined, args); },
  inspect,
  types: {
    __proto__: null,
    isAsyncFunction(fn) {
      if (typeof fn !== 'function') return false;
      const proto = ObjectGetPrototypeOf(fn);
      return proto === AsyncFunctionPrototype || proto === AsyncGeneratorFunctionPrototype;
    },
    isArrayBufferView: ArrayBufferIsView,
  },
  isBlob(b) { return b instanceof require('blob').Blob; },
  // Warns once per message, as Node's util.deprecate.
  deprecate(fn, message) {
    return function deprecated(...args) {
      if (!SetPrototypeHas(warned, message)) {
        SetPrototypeAdd(warned, message);
        require('process').getProcess().emitWarning(message, 'DeprecationWarning');
      }
      return new.target ? ReflectConstruct(fn, args, new.target) : ReflectApply(fn, this, args);
    };
  },
  addAbortListener(signal, listener) {
    if (signal === undefined) throw codes.ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
    errors.validateAbortSignal(signal, 'signal');
    errors.validateFunction(listener, 'listener');
    let remove;
    if (signal.aborted) {
      require('timers').queueMicrotask(() => listener());
    } else {
      signal.addEventListener('abort', listener, { __proto__: null, once: true, [kResistStopPropagation]: true });
      remove = () => { signal.removeEventListener('abort', listener); };
    }
    return { __proto__: null, [SymbolDispose]() { if (remove !== undefined) remove(); } };
  },
  AbortSignalAny(signals) { return require('event_target').AbortSignal.any(signals); },
  normalizeEncoding(enc) { return require('buffer').normalizeEncoding(enc); },
};

// ---- lib/internal/shims/process ----

let proc;
function getProcess() {
  if (proc === undefined) proc = require('process').getProcess();
  return proc;
}

exports.process = {
  __proto__: null,
  nextTick: require('timers').nextTick,
  get stdout() { return getProcess().stdout; },
  get stderr() { return getProcess().stderr; },
};
