'use strict';
// Entry point: installs globals (almost all as lazy accessors so a trivial
// script loads nothing) and returns the hooks the engine drives. Code here
// that runs after guest code (getters, hooks, WebAssembly wrappers) takes
// its intrinsics from primordials, captured first.

const {
  DateNow,
  ErrorPrototypeToString,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectGetOwnPropertyDescriptor,
  ObjectSetPrototypeOf,
  Promise,
  PromiseReject,
  RangeError,
  ReflectApply,
  ReflectConstruct,
  ReflectOwnKeys,
  String,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  SymbolAsyncDispose,
  SymbolDispose,
  TypeError,
  WeakMap,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} = require('primordials');

const g = globalThis;
// The guest process's start; hooks.start() sets them again when a context
// made ahead of time is handed its call.
exports.bootNow = native.clock_now();
exports.bootDate = DateNow();

const defineProperty = ObjectDefineProperty;

// Descriptors without a prototype (a getter the guest put on
// Object.prototype must not be read as one of their fields), made once and
// filled for each use: a fresh one per global costs more.
const dataDesc = { __proto__: null, value: undefined, writable: true, configurable: true, enumerable: false };
const accessorDesc = { __proto__: null, get: undefined, set: undefined, configurable: true, enumerable: false };

function dataProp(name, value, enumerable) {
  dataDesc.value = value;
  dataDesc.enumerable = enumerable;
  defineProperty(g, name, dataDesc);
  dataDesc.value = undefined;
}

// Accessor that loads the value on first read and then turns into a plain
// data property; assignment simply replaces it, as for a normal global.
function lazy(name, load, enumerable = false) {
  const accessors = {
    get() {
      const value = load();
      dataProp(name, value, enumerable);
      return value;
    },
    set(value) {
      dataProp(name, value, enumerable);
    },
  };
  accessorDesc.get = accessors.get;
  accessorDesc.set = accessors.set;
  accessorDesc.enumerable = enumerable;
  defineProperty(g, name, accessorDesc);
  accessorDesc.get = accessorDesc.set = undefined;
}

function from(mod, key) {
  return () => require(mod)[key];
}

// Node 20 defines Symbol.dispose and Symbol.asyncDispose (registered
// symbols) where V8 has none yet.
if (g.Symbol.dispose === undefined) defineProperty(g.Symbol, 'dispose', { __proto__: null, value: SymbolDispose });
if (g.Symbol.asyncDispose === undefined) {
  defineProperty(g.Symbol, 'asyncDispose', { __proto__: null, value: SymbolAsyncDispose });
}

// No shared memory: the SharedArrayBuffer constructor is unreachable (a
// WebAssembly shared memory's buffer still is one, but cannot be grown).
defineProperty(g.SharedArrayBuffer.prototype, 'constructor', { __proto__: null, value: undefined });
delete g.SharedArrayBuffer;

// Puts `Safe` where the constructor `Orig` was: its statics, its place as
// `prototype.constructor`. `Orig` stays reachable only to the caller.
function replaceConstructor(Orig, Safe) {
  const keys = ReflectOwnKeys(Orig);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === 'name' || keys[i] === 'length') continue;
    const desc = ObjectGetOwnPropertyDescriptor(Orig, keys[i]);
    ObjectSetPrototypeOf(desc, null);
    defineProperty(Safe, keys[i], desc);
  }
  defineProperty(Safe, 'length', { __proto__: null, value: 1 });
  defineProperty(Orig.prototype, 'constructor', {
    __proto__: null, value: Safe, writable: true, configurable: true, enumerable: false,
  });
}

function unsupported(Ctor, message) {
  const err = new Ctor(message);
  defineProperty(err, 'code', {
    __proto__: null, value: 'ERR_SANDBOX_UNSUPPORTED', writable: true, enumerable: true, configurable: true,
  });
  return err;
}

// WebAssembly, as far as the sandbox can account for it. Shared memories
// are charged to no isolate by V8: modules defining one are refused (the
// Rust side reads the exact bytes V8 will compile) and so are shared
// WebAssembly.Memory objects. compile/instantiate settle from a V8 task the
// call's event loop cannot see, so they compile synchronously and settle as
// promise jobs. The original constructors are reachable only from here.
function secureWebAssembly(WA) {
  const OrigModule = WA.Module;
  const OrigMemory = WA.Memory;
  const Instance = WA.Instance;
  const wasmCheck = native.wasm_check;
  const method = (obj, name, fn, length) => {
    defineProperty(fn, 'length', { __proto__: null, value: length });
    defineProperty(obj, name, { __proto__: null, value: fn, writable: true, configurable: true, enumerable: true });
  };
  const Module = function Module(bytes) {
    if (new.target === undefined) throw new TypeError('WebAssembly.Module must be invoked with \'new\'');
    require('ops').check(wasmCheck(bytes), Module);
    return ReflectConstruct(OrigModule, [bytes], new.target);
  };
  const Memory = function Memory(descriptor) {
    if (new.target === undefined) throw new TypeError('WebAssembly.Memory must be invoked with \'new\'');
    if (descriptor === null || typeof descriptor !== 'object') {
      return ReflectConstruct(OrigMemory, [descriptor], new.target);
    }
    // Each field read once, into an object of our own that V8 reads.
    const own = { __proto__: null, initial: descriptor.initial, maximum: descriptor.maximum };
    const index = descriptor.index;
    if (index !== undefined) own.index = index;
    const address = descriptor.address;
    if (address !== undefined) own.address = address;
    if (descriptor.shared) throw unsupported(TypeError, 'WebAssembly shared memory is not supported in this sandbox');
    return ReflectConstruct(OrigMemory, [own], new.target);
  };
  replaceConstructor(OrigModule, Module);
  replaceConstructor(OrigMemory, Memory);
  const hidden = { __proto__: null, value: Module, writable: true, configurable: true, enumerable: false };
  defineProperty(WA, 'Module', hidden);
  hidden.value = Memory;
  defineProperty(WA, 'Memory', hidden);
  const origCompile = WA.compile;
  // V8 copies the bytes before this returns, so the check sees what V8
  // compiles; the event loop waits for V8's background compile.
  method(WA, 'compile', function compile(bytes) {
    try {
      require('ops').check(wasmCheck(bytes), compile);
    } catch (err) {
      return PromiseReject(err);
    }
    return ReflectApply(origCompile, WA, [bytes]);
  }, 1);
  const origInstantiate = WA.instantiate;
  method(WA, 'instantiate', function instantiate(source, imports = undefined) {
    if (!(source instanceof OrigModule)) {
      try {
        require('ops').check(wasmCheck(source), instantiate);
      } catch (err) {
        return PromiseReject(err);
      }
    }
    return ReflectApply(origInstantiate, WA, [source, imports]);
  }, 1);
  const streaming = ['compileStreaming', 'instantiateStreaming'];
  for (let i = 0; i < streaming.length; i++) {
    const name = streaming[i];
    if (typeof WA[name] !== 'function') continue;
    method(WA, name, function () {
      return PromiseReject(new TypeError(`WebAssembly.${name}() is not supported in this sandbox`));
    }, 1);
  }
}
// Installed on first use of the global (nothing else leads to it), so calls
// that never touch WebAssembly do not pay for it.
{
  const WA = g.WebAssembly;
  lazy('WebAssembly', () => {
    secureWebAssembly(WA);
    return WA;
  });
}

// Resizable buffers are committed by V8 outside the ArrayBuffer allocator,
// where the memory limit cannot count them on every Node version: they are
// refused. The original constructor is reachable only from this closure and
// never sees the guest's options.
{
  const OrigArrayBuffer = ArrayBuffer;
  const SafeArrayBuffer = function ArrayBuffer(length, options = undefined) {
    if (new.target === undefined) throw new TypeError("Constructor ArrayBuffer requires 'new'");
    if (options !== null && typeof options === 'object' && options.maxByteLength !== undefined) {
      throw unsupported(RangeError, 'Resizable ArrayBuffers are not supported in this sandbox');
    }
    return ReflectConstruct(OrigArrayBuffer, [length], new.target);
  };
  replaceConstructor(OrigArrayBuffer, SafeArrayBuffer);
  dataProp('ArrayBuffer', SafeArrayBuffer, false);
}

// Enumerable ones mirror Node's Object.keys(globalThis) order.
dataProp('global', g, true);
lazy('clearImmediate', from('timers', 'clearImmediate'), true);
lazy('setImmediate', from('timers', 'setImmediate'), true);
lazy('clearInterval', from('timers', 'clearInterval'), true);
lazy('clearTimeout', from('timers', 'clearTimeout'), true);
lazy('setInterval', from('timers', 'setInterval'), true);
lazy('setTimeout', from('timers', 'setTimeout'), true);
lazy('queueMicrotask', from('timers', 'queueMicrotask'), true);
lazy('structuredClone', from('web', 'structuredClone'), true);
lazy('atob', from('encoding', 'atob'), true);
lazy('btoa', from('encoding', 'btoa'), true);
lazy('performance', from('web', 'performance'), true);
lazy('crypto', from('web', 'crypto'), true);

lazy('console', from('console', 'console'));
lazy('process', () => require('process').getProcess());
lazy('Buffer', from('buffer', 'Buffer'));
lazy('URL', from('url', 'URL'));
lazy('URLSearchParams', from('url', 'URLSearchParams'));
lazy('TextEncoder', from('encoding', 'TextEncoder'));
lazy('TextDecoder', from('encoding', 'TextDecoder'));
lazy('Event', from('event_target', 'Event'));
lazy('EventTarget', from('event_target', 'EventTarget'));
lazy('CustomEvent', from('event_target', 'CustomEvent'));
lazy('AbortController', from('event_target', 'AbortController'));
lazy('AbortSignal', from('event_target', 'AbortSignal'));
lazy('DOMException', from('dom_exception', 'DOMException'));
lazy('TransformStream', from('stream_web', 'TransformStream'));
lazy('TransformStreamDefaultController', from('stream_web', 'TransformStreamDefaultController'));
lazy('WritableStream', from('stream_web', 'WritableStream'));
lazy('WritableStreamDefaultController', from('stream_web', 'WritableStreamDefaultController'));
lazy('WritableStreamDefaultWriter', from('stream_web', 'WritableStreamDefaultWriter'));
lazy('ReadableStream', from('stream_web', 'ReadableStream'));
lazy('ReadableStreamDefaultReader', from('stream_web', 'ReadableStreamDefaultReader'));
lazy('ReadableStreamBYOBReader', from('stream_web', 'ReadableStreamBYOBReader'));
lazy('ReadableStreamBYOBRequest', from('stream_web', 'ReadableStreamBYOBRequest'));
lazy('ReadableByteStreamController', from('stream_web', 'ReadableByteStreamController'));
lazy('ReadableStreamDefaultController', from('stream_web', 'ReadableStreamDefaultController'));
lazy('ByteLengthQueuingStrategy', from('stream_web', 'ByteLengthQueuingStrategy'));
lazy('CountQueuingStrategy', from('stream_web', 'CountQueuingStrategy'));
lazy('TextEncoderStream', from('stream_web', 'TextEncoderStream'));
lazy('TextDecoderStream', from('stream_web', 'TextDecoderStream'));
lazy('CompressionStream', from('stream_web', 'CompressionStream'));
lazy('DecompressionStream', from('stream_web', 'DecompressionStream'));
lazy('Blob', from('blob', 'Blob'));
lazy('File', from('blob', 'File'));
lazy('Performance', from('web', 'Performance'));
lazy('PerformanceEntry', from('web', 'PerformanceEntry'));
lazy('PerformanceMark', from('web', 'PerformanceMark'));
lazy('PerformanceMeasure', from('web', 'PerformanceMeasure'));
lazy('Crypto', from('web', 'Crypto'));
lazy('MessageChannel', () => require('worker_threads').api.MessageChannel);
lazy('MessagePort', () => require('worker_threads').api.MessagePort);
lazy('BroadcastChannel', () => require('worker_threads').api.BroadcastChannel);
lazy('CryptoKey', from('webcrypto', 'CryptoKey'));
// Node's fetch is undici's (the release Node 20.20 bundles), over node:net.
lazy('fetch', from('web_fetch', 'fetch'));
lazy('FormData', from('web_fetch', 'FormData'));
lazy('Headers', from('web_fetch', 'Headers'));
lazy('Request', from('web_fetch', 'Request'));
lazy('Response', from('web_fetch', 'Response'));
// As Node 22 has it.
lazy('WebSocket', from('web_fetch', 'WebSocket'));
lazy('SubtleCrypto', from('webcrypto', 'SubtleCrypto'));
// Here rather than in web.js: a call that only returns a value loads nothing.
function __return(value) {
  try {
    native.v8_return_value(value);
  } catch (err) {
    throw require('web').cloneFailure(err);
  }
}
lazy('__return', () => __return);
lazy('require', from('modules', 'require'));
if (config.tools !== undefined && config.tools.length > 0) {
  lazy('tools', () => require('tools').getTools());
}
if (config.testOps === true) lazy('__testOps', from('test_ops', 'testOps'));

// Captured before guest code runs, so a guest cannot break the freeze below.
const OrigDate = Date;
const dateToString = OrigDate.prototype.toString;
const dtfProto = typeof Intl === 'object' ? Intl.DateTimeFormat.prototype : null;
const dtfFormat = dtfProto && ObjectGetOwnPropertyDescriptor(dtfProto, 'format').get;
const dtfFormatToParts = dtfProto && dtfProto.formatToParts;

// Date whose "now" is fixed; keeps Date.prototype, parse, UTC and instanceof.
function freezeDate(frozenTime) {
  const FrozenDate = function Date(...args) {
    if (new.target === undefined) return ReflectApply(dateToString, new OrigDate(frozenTime), []);
    if (args.length === 0) return ReflectConstruct(OrigDate, [frozenTime], new.target);
    return ReflectConstruct(OrigDate, args, new.target);
  };
  defineProperty(FrozenDate, 'prototype', {
    __proto__: null, value: OrigDate.prototype, writable: false, enumerable: false, configurable: false,
  });
  defineProperty(FrozenDate, 'length', { __proto__: null, value: 7 });
  const method = (name, fn) => defineProperty(FrozenDate, name, {
    __proto__: null, value: fn, writable: true, configurable: true, enumerable: false,
  });
  method('now', function now() { return frozenTime; });
  method('parse', OrigDate.parse);
  method('UTC', OrigDate.UTC);
  defineProperty(OrigDate.prototype, 'constructor', {
    __proto__: null, value: FrozenDate, writable: true, configurable: true, enumerable: false,
  });
  dataProp('Date', FrozenDate, false);
}

// Intl.DateTimeFormat's format()/formatToParts() read V8's own clock when
// given no date (formatRange* throw instead); hand them the frozen time.
function freezeIntl(frozenTime) {
  if (dtfProto === null) return;
  const frozenFormats = new WeakMap();
  // Anonymous with length 1, like the bound format it stands for.
  const frozenFormat = (bound) => (date) => ReflectApply(bound, undefined, [date === undefined ? frozenTime : date]);
  const getter = ObjectGetOwnPropertyDescriptor({
    get format() {
      const bound = ReflectApply(dtfFormat, this, []);
      let f = WeakMapPrototypeGet(frozenFormats, bound);
      if (f === undefined) {
        f = frozenFormat(bound);
        WeakMapPrototypeSet(frozenFormats, bound, f);
      }
      return f;
    },
  }, 'format').get;
  defineProperty(dtfProto, 'format', { __proto__: null, get: getter, enumerable: false, configurable: true });
  const { formatToParts } = {
    formatToParts(date) {
      return ReflectApply(dtfFormatToParts, this, [date === undefined ? frozenTime : date]);
    },
  };
  defineProperty(dtfProto, 'formatToParts', {
    __proto__: null, value: formatToParts, writable: true, enumerable: false, configurable: true,
  });
}

function isError(v) {
  return require('util').isError(v);
}

// A fatal exception prints as Node's fatal handler inspects it: no custom
// inspection, at least 5 levels deep.
function safeInspect(v) {
  try {
    const { inspect } = require('util');
    const depth = inspect.defaultOptions.depth;
    return inspect(v, { colors: inspect.defaultOptions.colors, customInspect: false, depth: depth > 5 ? depth : 5 });
  } catch {
    try { return String(v); } catch { return '<toString() threw exception>'; }
  }
}

// As Node prints a fatal exception from a script file: native errors get
// arrow + blank line + inspect(); other values a newline, the arrow and the
// value (primitives also a hint).
// An error that says more about itself when fatal (an unhandled 'error'
// event adds where it was emitted), as Node extends it before printing.
// True when it did: the error was thrown from inside a builtin (emit()),
// where Node's arrow points into its own code and the sandbox prints none.
function enhanceStack(err) {
  let enhance;
  try { enhance = err[require('errors').kEnhanceStackBeforeInspector]; } catch { return false; }
  if (typeof enhance !== 'function') return false;
  try { err.stack = enhance(); } catch {
    // Printed as it is.
  }
  return true;
}

function fatalText(err, arrow) {
  // Native errors: arrow + blank line + inspect(). Other values, objects
  // included: newline + arrow + value, as Node prints for a script file.
  if (err !== null && (typeof err === 'object' || typeof err === 'function')) {
    if (enhanceStack(err)) arrow = '';
    if (isError(err)) {
      // A syntax error whose stack starts with its own arrow, as Node decorates one.
      const lead = arrow === '' && typescriptLoaded && require('typescript').isDecorated(err) ? '' : '\n';
      return `${arrow}${lead}${safeInspect(err)}\n`;
    }
    return `${arrow === '' ? '' : `\n${arrow}`}${safeInspect(err)}\n`;
  }
  let text;
  if (typeof err === 'symbol') text = '';
  else {
    try { text = String(err); } catch { text = '<toString() threw exception>'; }
  }
  return `${arrow === '' ? '' : `\n${arrow}`}${text}\n` +
    '(Use `node --trace-uncaught ...` to show where the exception was thrown)\n';
}

function loop() {
  return require('timers');
}

// Until timers.js runs, nothing can be scheduled (nextTick, timers,
// immediates, process listeners and rejection tracking all load it), and
// until ops.js runs no async op can be pending: the loop's hooks then only
// run promise jobs and a call that used none of it never loads them.
const isLoaded = require.isLoaded;
// What poll answers when the process may end (as timers.js's runPoll).
const LOOP_DONE = -2;
function loopUsed() {
  return isLoaded('timers') || isLoaded('ops');
}

// A TypeScript file's name (a path or URL): only those have source maps.
function isTypeScript(name) {
  return StringPrototypeEndsWith(name, '.ts') || StringPrototypeEndsWith(name, '.tsx') ||
    StringPrototypeEndsWith(name, '.mts') || StringPrototypeEndsWith(name, '.cts');
}

// CallSite's methods, taken from the first call site V8 hands
// prepareStackTrace, before any guest code can have seen one.
let siteFileName;
let siteLine;
let siteColumn;
// A TypeScript file was loaded (besides the entry, which config names):
// until then no frame is looked at.
let typescriptLoaded = false;
exports.typescriptLoaded = () => {
  typescriptLoaded = true;
};

// Every CommonJS entry runs through modules.js: evaluated while the context
// is prepared (the runtime is idle), not in the call.
require('modules');

exports.hooks = {
  // The call's config (argv, env, stdin, ...) has just been merged into
  // `config`; user code runs next.
  start() {
    exports.bootNow = native.clock_now();
    exports.bootDate = DateNow();
    if (config.timingFreeze === true) {
      freezeDate(exports.bootDate);
      freezeIntl(exports.bootDate);
    }
    if (config.persistent === true) {
      // A persistent context's calls are scripts in its global scope: what
      // a CommonJS main has in its scope is global there, as in Node's REPL.
      const main = require('modules').persistentMain(config.filePath);
      dataProp('require', main.require, false);
      dataProp('module', main.module, false);
      dataProp('exports', main.module.exports, false);
      dataProp('__filename', config.filePath, false);
      dataProp('__dirname', main.module.path, false);
    }
  },

  afterScript() {
    if (!isLoaded('timers')) {
      native.v8_run_microtasks();
      // A job may have used the loop (or a rejection went unhandled).
      if (!isLoaded('timers')) return;
    }
    loop().processTicksAndRejections();
  },

  timers() {
    return isLoaded('timers') ? loop().runTimers() : -1;
  },

  // `forget` (a persistent context's call ended; async ops in flight were
  // dropped by the kernel): the guest forgets them and its undelivered
  // signals, and nothing runs.
  // `signals`: those other processes sent since the last poll (by bit).
  poll(outside, forget, signals) {
    if (forget === 1) {
      if (isLoaded('ops')) require('ops').forgetPending();
      if (isLoaded('timers')) loop().dropSignals();
      return -1;
    }
    if (signals > 0) require('process').signalsArrived(signals);
    if (!loopUsed()) {
      native.v8_run_microtasks();
      if (!loopUsed()) return outside === 1 || native.v8_pending_tasks() ? -1 : LOOP_DONE;
    }
    return loop().runPoll(outside === 1);
  },

  // After an ESM entry ended: its namespace, copied to a plain object of
  // the values structured clone can carry (functions and the like are
  // left out), for run()'s `exports`.
  captureExports() {
    const ns = require('esm').mainNamespace();
    if (ns === undefined) return;
    const copy = {};
    const keys = ReflectOwnKeys(ns);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (typeof key !== 'string') continue;
      let value;
      try {
        value = ns[key];
        native.v8_structured_clone(value);
      } catch {
        continue;
      }
      dataDesc.value = value;
      dataDesc.enumerable = true;
      defineProperty(copy, key, dataDesc);
    }
    dataDesc.value = undefined;
    native.v8_return_exports(copy);
  },

  // The entry code, run as Node runs a CommonJS main module; `typescript`:
  // TypeScript the kernel could not transform (transformed again here, to
  // throw its syntax error).
  // `detect`: its format is unknown; true (and nothing run) when it fails
  // to compile only for syntax an ES module may have.
  runMain(source, filename, typescript, detect) {
    if (typescript === true) source = require('typescript').transform(source, filename, '');
    return require('modules').runMain(source, filename, detect === true);
  },

  // The entry code as Node runs an ES module main: returns the promise of
  // its evaluation.
  runModule(source, filename) {
    return require('esm').runModule(source, filename);
  },

  // import(): the promise of the namespace (never throws).
  importDynamic(specifier, referrer, type) {
    return require('esm').importDynamic(specifier, referrer, type);
  },

  // V8 evaluates a synthetic module (a CommonJS module or builtin imported).
  evaluateSynthetic(id) {
    require('esm').evaluateSynthetic(id);
  },

  importMeta(id, meta) {
    require('esm').importMeta(id, meta);
  },

  onPromiseReject(type, promise, reason) {
    loop().onPromiseReject(type, promise, reason);
  },

  // For an exception thrown by the main script: true when 'uncaughtException'
  // listeners took it (keep running), false when the engine must report it.
  uncaughtException(err) {
    if (!isLoaded('timers')) return false;
    const proc = loop().getProcess();
    if (proc === null || proc.listenerCount('uncaughtException') === 0) return false;
    loop().handleUncaught(err);
    return true;
  },

  // The full stderr text Node prints for a fatal uncaught value, given the
  // engine's "file:line\nsource line\n   ^\n" arrow ('' if unknown).
  formatFatal(err, arrow = '') {
    // A worker's goes to its parent's 'error' event instead.
    if (config.worker !== undefined && require('worker_threads').reportFatal(err)) return '';
    if (arrow !== '') {
      const head = StringPrototypeSlice(arrow, 0, StringPrototypeIndexOf(arrow, '\n'));
      if (isTypeScript(StringPrototypeSlice(head, 0, StringPrototypeLastIndexOf(head, ':')))) {
        arrow = require('typescript').mapArrow(arrow);
      }
    }
    // The version line closes the report of a process that dies of it; a
    // persistent context's process does not.
    return fatalText(err, arrow) + (config.persistent === true ? '' : `\nNode.js ${config.version}\n`);
  },

  // V8 formats an error's stack (when it is first read). As in Node, a
  // guest's Error.prepareStackTrace decides; otherwise V8's own text, the
  // frames of TypeScript files at their source positions. `foreign`: the
  // error is a vm context's, whose own Error.prepareStackTrace the engine
  // has consulted.
  prepareStackTrace(error, trace, foreign) {
    if (siteFileName === undefined && trace.length > 0) {
      const proto = ObjectGetPrototypeOf(trace[0]);
      siteFileName = proto.getFileName;
      siteLine = proto.getLineNumber;
      siteColumn = proto.getColumnNumber;
    }
    const E = foreign === true ? undefined : g.Error;
    const custom = E === undefined || E === null ? undefined : E.prepareStackTrace;
    if (typeof custom === 'function') return ReflectApply(custom, E, [error, trace]);
    let text = ErrorPrototypeToString(error);
    const typescript = typescriptLoaded || isTypeScript(config.filePath);
    for (let i = 0; i < trace.length; i++) {
      const site = trace[i];
      let frame = `${site}`;
      const file = typescript ? ReflectApply(siteFileName, site, []) : undefined;
      if (typeof file === 'string' && isTypeScript(file)) {
        frame = require('typescript').mapFrame(frame, file, ReflectApply(siteLine, site, []),
          ReflectApply(siteColumn, site, []));
      }
      text += `\n    at ${frame}`;
    }
    return text;
  },

  // What follows the arrow for a native Error (or the whole body for other
  // values, which Node prints as "\n" + arrow + body).
  inspectError(err) {
    return fatalText(err, '');
  },

  // code undefined: natural end (emits process.exitCode || 0); a number: the
  // process is dying with that code (e.g. 1 after an uncaught exception).
  emitExit(code) {
    if (!isLoaded('timers')) return;
    const proc = loop().getProcess();
    if (proc === null || proc._exiting || loop().fatalExitCode() !== 0) return;
    proc._exiting = true;
    if (code !== undefined && code !== null) proc.exitCode = code;
    proc.emit('exit', proc.exitCode || 0);
  },

  exitCode() {
    if (!isLoaded('timers')) return 0;
    if (loop().fatalExitCode() !== 0) return loop().fatalExitCode();
    const proc = loop().getProcess();
    if (proc === null) return 0;
    return require('process').toExitInt(proc.exitCode || 0);
  },
};
