'use strict';
// require('util'): Node 20's public util module over util.js (inspect,
// format, types) and the other guest modules.

const {
  ArrayIsArray,
  ArrayPrototypePop,
  ArrayPrototypePush,
  Date,
  Error,
  ErrorCaptureStackTrace,
  FunctionPrototypeBind,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  NumberIsSafeInteger,
  NumberParseInt,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectKeys,
  ObjectPrototypeToString,
  ObjectSetPrototypeOf,
  Promise,
  PromiseReject,
  ReflectApply,
  ReflectConstruct,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
  RegExp,
  RegExpPrototypeExec,
  SafeArrayConcat,
  SafeRegExpReplaceAll,
  SafeStringReplaceAll,
  Set,
  SetPrototypeAdd,
  SetPrototypeHas,
  StringPrototypeIndexOf,
  StringPrototypePadStart,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToUpperCase,
  StringPrototypeToWellFormed,
  SymbolFor,
  TypeError,
} = require('primordials');
const errors = require('errors');
const utilInternal = require('util');
const { format, formatWithOptions, inspect, stripVTControlCharacters, types } = utilInternal;

const kCustomPromisified = SymbolFor('nodejs.util.promisify.custom');
const { kCustomPromisifyArgs } = utilInternal;

const getProcess = () => require('process').getProcess();

// Own property descriptors of `obj`, each without a prototype.
function ownDescriptors(obj) {
  const keys = ReflectOwnKeys(obj);
  const out = { __proto__: null };
  for (let i = 0; i < keys.length; i++) {
    const desc = ReflectGetOwnPropertyDescriptor(obj, keys[i]);
    ObjectSetPrototypeOf(desc, null);
    out[keys[i]] = desc;
  }
  return out;
}

function defineAll(target, descriptors) {
  const keys = ReflectOwnKeys(descriptors);
  for (let i = 0; i < keys.length; i++) ObjectDefineProperty(target, keys[i], descriptors[keys[i]]);
  return target;
}

function promisify(original) {
  errors.validateFunction(original, 'original', promisify);
  if (original[kCustomPromisified]) {
    const fn = original[kCustomPromisified];
    errors.validateFunction(fn, 'util.promisify.custom', promisify);
    return ObjectDefineProperty(fn, kCustomPromisified, {
      __proto__: null, value: fn, enumerable: false, writable: false, configurable: true,
    });
  }
  const argumentNames = original[kCustomPromisifyArgs];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      ArrayPrototypePush(args, (err, ...values) => {
        if (err) return reject(err);
        if (argumentNames !== undefined && values.length > 1) {
          const obj = {};
          for (let i = 0; i < argumentNames.length; i++) obj[argumentNames[i]] = values[i];
          resolve(obj);
        } else {
          resolve(values[0]);
        }
      });
      ReflectApply(original, this, args);
    });
  }
  ObjectSetPrototypeOf(fn, ObjectGetPrototypeOf(original));
  ObjectDefineProperty(fn, kCustomPromisified, {
    __proto__: null, value: fn, enumerable: false, writable: false, configurable: true,
  });
  return defineAll(fn, ownDescriptors(original));
}
promisify.custom = kCustomPromisified;

function callbackifyOnRejected(reason, cb) {
  // A falsy reason would read as "no error" in the callback.
  if (!reason) {
    const err = errors.makeNodeError(Error, 'ERR_FALSY_VALUE_REJECTION', 'Promise was rejected with falsy value',
      callbackifyOnRejected);
    err.reason = reason;
    reason = err;
  }
  return cb(reason);
}

function callbackify(original) {
  errors.validateFunction(original, 'original', callbackify);
  function callbackified(...args) {
    const maybeCb = ArrayPrototypePop(args);
    errors.validateFunction(maybeCb, 'last argument', callbackified);
    const cb = FunctionPrototypeBind(maybeCb, this);
    const { nextTick } = require('timers');
    // As Node: the result's own then(), and the callback on a later tick.
    ReflectApply(original, this, args)
      .then((ret) => nextTick(cb, null, ret), (rej) => nextTick(callbackifyOnRejected, rej, cb));
  }
  const descriptors = ownDescriptors(original);
  if (descriptors.length !== undefined && typeof descriptors.length.value === 'number') descriptors.length.value++;
  if (descriptors.name !== undefined && typeof descriptors.name.value === 'string') descriptors.name.value += 'Callbackified';
  return defineAll(callbackified, descriptors);
}

// Deprecation codes already warned about: each warns once per process.
const codesWarned = new Set();

function deprecate(fn, msg, code) {
  if (code !== undefined && typeof code !== 'string') throw errors.invalidArgType('code', 'string', code, deprecate);
  let warned = false;
  function deprecated(...args) {
    const process = getProcess();
    if (!process.noDeprecation && !warned) {
      warned = true;
      if (code !== undefined) {
        if (!SetPrototypeHas(codesWarned, code)) {
          process.emitWarning(msg, 'DeprecationWarning', code, deprecated);
          SetPrototypeAdd(codesWarned, code);
        }
      } else {
        process.emitWarning(msg, 'DeprecationWarning', deprecated);
      }
    }
    if (new.target) return ReflectConstruct(fn, args, new.target);
    return ReflectApply(fn, this, args);
  }
  ObjectSetPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw errors.invalidArgType('ctor', 'Function', ctor, inherits);
  if (superCtor === undefined || superCtor === null) {
    throw errors.invalidArgType('superCtor', 'Function', superCtor, inherits);
  }
  if (superCtor.prototype === undefined) {
    throw errors.invalidArgType('superCtor.prototype', 'Object', superCtor.prototype, inherits);
  }
  ObjectDefineProperty(ctor, 'super_', { __proto__: null, value: superCtor, writable: true, configurable: true });
  ObjectSetPrototypeOf(ctor.prototype, superCtor.prototype);
}

function _extend(target, source) {
  if (source === null || typeof source !== 'object') return target;
  const keys = ObjectKeys(source);
  let i = keys.length;
  while (i--) target[keys[i]] = source[keys[i]];
  return target;
}

// ---- debuglog (NODE_DEBUG as the process started with it) ----

let debugTest;
const debugImpls = { __proto__: null };
const debugSpecial = /[|\\{}()[\]^$+?.]/g;

function debugEnabled(set) {
  if (debugTest === undefined) {
    const env = getProcess().env.NODE_DEBUG;
    if (env) {
      let source = SafeRegExpReplaceAll(debugSpecial, env, (c) => `\\${c}`);
      source = SafeStringReplaceAll(SafeStringReplaceAll(source, '*', '.*'), ',', '$|^');
      const re = new RegExp(`^${source}$`, 'i');
      debugTest = (s) => RegExpPrototypeExec(re, s) !== null;
    } else {
      debugTest = () => false;
    }
  }
  return debugTest(set);
}

// FORCE_COLOR turns colors on where stderr is no terminal (it never is here).
function shouldColorize() {
  const force = getProcess().env.FORCE_COLOR;
  return force === '' || force === '1' || force === 'true' || force === '2' || force === '3';
}

function debugImpl(enabled, set) {
  if (debugImpls[set] === undefined) {
    if (enabled) {
      const process = getProcess();
      const pid = process.pid;
      if (set === 'HTTP' || set === 'HTTP2') {
        process.emitWarning(`Setting the NODE_DEBUG environment variable to '${set === 'HTTP' ? 'http' : 'http2'}' ` +
          'can expose sensitive data (such as passwords, tokens and authentication headers) in the resulting log.');
      }
      debugImpls[set] = function debug(...args) {
        const colors = shouldColorize();
        const msg = ReflectApply(formatWithOptions, undefined, SafeArrayConcat([{ colors }], args));
        process.stderr.write(format('%s %s: %s\n', set, inspect(pid, { colors }), msg));
      };
    } else {
      debugImpls[set] = function debug() {};
    }
  }
  return debugImpls[set];
}

function debuglog(set, cb) {
  let enabled;
  function init() {
    set = StringPrototypeToUpperCase(set);
    enabled = debugEnabled(set);
  }
  let debug = (...args) => {
    init();
    debug = debugImpl(enabled, set);
    if (typeof cb === 'function') cb(debug);
    return ReflectApply(debug, undefined, args);
  };
  let test = () => {
    init();
    test = () => enabled;
    return enabled;
  };
  const logger = (...args) => ReflectApply(debug, undefined, args);
  ObjectDefineProperty(logger, 'enabled', {
    __proto__: null, get() { return test(); }, configurable: true, enumerable: true,
  });
  return logger;
}

// ---- system errors (libuv's numbers on Linux) ----

const uvErrors =
  '-7:E2BIG:argument list too long|-13:EACCES:permission denied|-98:EADDRINUSE:address already in use|' +
  '-99:EADDRNOTAVAIL:address not available|-97:EAFNOSUPPORT:address family not supported|' +
  '-11:EAGAIN:resource temporarily unavailable|-3000:EAI_ADDRFAMILY:address family not supported|' +
  '-3001:EAI_AGAIN:temporary failure|-3002:EAI_BADFLAGS:bad ai_flags value|' +
  '-3013:EAI_BADHINTS:invalid value for hints|-3003:EAI_CANCELED:request canceled|' +
  '-3004:EAI_FAIL:permanent failure|-3005:EAI_FAMILY:ai_family not supported|' +
  '-3006:EAI_MEMORY:out of memory|-3007:EAI_NODATA:no address|-3008:EAI_NONAME:unknown node or service|' +
  '-3009:EAI_OVERFLOW:argument buffer overflow|-3014:EAI_PROTOCOL:resolved protocol is unknown|' +
  '-3010:EAI_SERVICE:service not available for socket type|-3011:EAI_SOCKTYPE:socket type not supported|' +
  '-114:EALREADY:connection already in progress|-9:EBADF:bad file descriptor|' +
  '-16:EBUSY:resource busy or locked|-125:ECANCELED:operation canceled|' +
  '-4080:ECHARSET:invalid Unicode character|-103:ECONNABORTED:software caused connection abort|' +
  '-111:ECONNREFUSED:connection refused|-104:ECONNRESET:connection reset by peer|' +
  '-89:EDESTADDRREQ:destination address required|-17:EEXIST:file already exists|' +
  '-14:EFAULT:bad address in system call argument|-27:EFBIG:file too large|' +
  '-113:EHOSTUNREACH:host is unreachable|-4:EINTR:interrupted system call|-22:EINVAL:invalid argument|' +
  '-5:EIO:i/o error|-106:EISCONN:socket is already connected|' +
  '-21:EISDIR:illegal operation on a directory|-40:ELOOP:too many symbolic links encountered|' +
  '-24:EMFILE:too many open files|-90:EMSGSIZE:message too long|-36:ENAMETOOLONG:name too long|' +
  '-100:ENETDOWN:network is down|-101:ENETUNREACH:network is unreachable|-23:ENFILE:file table overflow|' +
  '-105:ENOBUFS:no buffer space available|-19:ENODEV:no such device|-2:ENOENT:no such file or directory|' +
  '-12:ENOMEM:not enough memory|-64:ENONET:machine is not on the network|' +
  '-92:ENOPROTOOPT:protocol not available|-28:ENOSPC:no space left on device|' +
  '-38:ENOSYS:function not implemented|-107:ENOTCONN:socket is not connected|' +
  '-20:ENOTDIR:not a directory|-39:ENOTEMPTY:directory not empty|' +
  '-88:ENOTSOCK:socket operation on non-socket|-95:ENOTSUP:operation not supported on socket|' +
  '-75:EOVERFLOW:value too large for defined data type|-1:EPERM:operation not permitted|' +
  '-32:EPIPE:broken pipe|-71:EPROTO:protocol error|-93:EPROTONOSUPPORT:protocol not supported|' +
  '-91:EPROTOTYPE:protocol wrong type for socket|-34:ERANGE:result too large|' +
  '-30:EROFS:read-only file system|-108:ESHUTDOWN:cannot send after transport endpoint shutdown|' +
  '-29:ESPIPE:invalid seek|-3:ESRCH:no such process|-110:ETIMEDOUT:connection timed out|' +
  '-26:ETXTBSY:text file is busy|-18:EXDEV:cross-device link not permitted|-4094:UNKNOWN:unknown error|' +
  '-4095:EOF:end of file|-6:ENXIO:no such device or address|-31:EMLINK:too many links|' +
  '-112:EHOSTDOWN:host is down|-121:EREMOTEIO:remote I/O error|' +
  '-25:ENOTTY:inappropriate ioctl for device|-4028:EFTYPE:inappropriate file type or format|' +
  '-84:EILSEQ:illegal byte sequence|-94:ESOCKTNOSUPPORT:socket type not supported|' +
  '-61:ENODATA:no data available|-49:EUNATCH:protocol driver not attached';

let uvMap;
function getSystemErrorMap() {
  if (uvMap === undefined) {
    uvMap = new Map();
    const entries = StringPrototypeSplit(uvErrors, '|');
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const a = StringPrototypeIndexOf(e, ':');
      const b = StringPrototypeIndexOf(e, ':', a + 1);
      MapPrototypeSet(uvMap, NumberParseInt(StringPrototypeSlice(e, 0, a), 10),
        [StringPrototypeSlice(e, a + 1, b), StringPrototypeSlice(e, b + 1)]);
    }
  }
  // Node hands out a fresh Map each time.
  const copy = new Map();
  const keys = require('util').collectionEntries(uvMap, 1000, true);
  for (let i = 0; i < keys.length; i += 2) MapPrototypeSet(copy, keys[i], [keys[i + 1][0], keys[i + 1][1]]);
  return copy;
}

function getSystemErrorName(err) {
  if (typeof err !== 'number') throw errors.invalidArgType('err', 'number', err, getSystemErrorName);
  if (err >= 0 || !NumberIsSafeInteger(err)) {
    throw errors.outOfRange('err', 'a negative integer', err, getSystemErrorName);
  }
  getSystemErrorMap();
  const entry = MapPrototypeGet(uvMap, err);
  return entry ? entry[0] : `Unknown system error ${err}`;
}

function uvCode(err) {
  getSystemErrorMap();
  const entry = MapPrototypeGet(uvMap, err);
  return entry ? entry[0] : `Unknown system error ${err}`;
}

// Errors without frames (captured above a function not on the stack), as
// Node's _errnoException and _exceptionWithHostPort make them.
function noFrames(err) {
  ErrorCaptureStackTrace(err, _exceptionWithHostPort);
  return err;
}

function _errnoException(err, syscall, original) {
  const code = uvCode(err);
  const err_ = new Error(original ? `${syscall} ${code} ${original}` : `${syscall} ${code}`);
  err_.errno = err;
  err_.code = code;
  err_.syscall = syscall;
  return noFrames(err_);
}

function _exceptionWithHostPort(err, syscall, address, port, additional) {
  const code = uvCode(err);
  let details = '';
  if (port && port > 0) details = ` ${address}:${port}`;
  else if (address) details = ` ${address}`;
  if (additional) details += ` - Local (${additional})`;
  const ex = new Error(`${syscall} ${code}${details}`);
  ex.errno = err;
  ex.code = code;
  ex.syscall = syscall;
  ex.address = address;
  if (port) ex.port = port;
  return noFrames(ex);
}

// ---- small helpers ----

function isError(e) {
  return ObjectPrototypeToString(e) === '[object Error]' || e instanceof Error;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function pad(n) {
  return StringPrototypePadStart(`${n}`, 2, '0');
}

function log(...args) {
  const d = new Date();
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  require('console').console.log('%s - %s', `${d.getDate()} ${months[d.getMonth()]} ${time}`,
    ReflectApply(format, undefined, args));
}

function validateBooleanOption(value, name) {
  if (typeof value !== 'boolean') throw errors.invalidArgType(name, 'boolean', value, styleText);
}

function formatCodes(key) {
  const codes = inspect.colors[key];
  if (codes == null) {
    const names = ObjectKeys(inspect.colors);
    let list = '';
    for (let i = 0; i < names.length; i++) list += `${i === 0 ? '' : ', '}'${names[i]}'`;
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'format' must be one of: ${list}. Received ${inspect(key)}`, styleText);
  }
  return codes;
}

function isStreamLike(obj) {
  return obj != null && typeof obj === 'object' &&
    (obj._readableState != null || obj._writableState != null ||
     (typeof obj.write === 'function' && typeof obj.on === 'function') ||
     (typeof obj.pipe === 'function' && typeof obj.on === 'function') ||
     (typeof obj.getReader === 'function') || (typeof obj.getWriter === 'function'));
}

function styleText(format, text, { validateStream = true, stream = getProcess().stdout } = {}) {
  if (typeof text !== 'string') throw errors.invalidArgType('text', 'string', text, styleText);
  validateBooleanOption(validateStream, 'options.validateStream');
  if (validateStream && !isStreamLike(stream)) {
    throw errors.invalidArgType('stream', ['ReadableStream', 'WritableStream', 'Stream'], stream, styleText);
  }
  if (ArrayIsArray(format)) {
    let left = '';
    let right = '';
    for (let i = 0; i < format.length; i++) {
      const codes = formatCodes(format[i]);
      left += `\u001b[${codes[0]}m`;
      right = `\u001b[${codes[1]}m${right}`;
    }
    return `${left}${text}${right}`;
  }
  const codes = formatCodes(format);
  // Colors only where the stream would show them.
  if (validateStream && (!stream || !(shouldColorize() || (stream.isTTY && (typeof stream.getColorDepth !== 'function' ||
      stream.getColorDepth() > 2))))) {
    return text;
  }
  return `\u001b[${codes[0]}m${text}\u001b[${codes[1]}m`;
}

function toUSVString(input) {
  const s = `${input}`;
  if (StringPrototypeToWellFormed !== undefined) return StringPrototypeToWellFormed(s);
  return SafeRegExpReplaceAll(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, s, '\ufffd');
}

// ---- AbortSignal helpers ----

function aborted(signal, resource) {
  return new Promise((resolve, reject) => {
    const { AbortSignal } = require('event_target');
    if (signal === undefined || !(signal instanceof AbortSignal)) {
      throw errors.invalidArgType('signal', 'AbortSignal', signal, aborted);
    }
    if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) {
      throw errors.invalidArgType('resource', 'object', resource, aborted);
    }
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', resolve, { __proto__: null, once: true });
  });
}

// The sandbox clones no AbortSignal across contexts: the signal is usable
// as it is.
function transferableAbortSignal(signal) {
  const { AbortSignal } = require('event_target');
  if (signal === null || typeof signal !== 'object' || !(signal instanceof AbortSignal)) {
    throw errors.invalidArgType('signal', 'AbortSignal', signal, transferableAbortSignal);
  }
  return signal;
}

function transferableAbortController() {
  const { AbortController } = require('event_target');
  return new AbortController();
}

// ---- util.promisify(setTimeout) and util.promisify(setImmediate) ----

function validateTimerOptions(options, hideFrom) {
  if (options === null || typeof options !== 'object') throw errors.invalidArgType('options', 'Object', options, hideFrom);
  if (options.signal !== undefined) errors.validateAbortSignal(options.signal, 'options.signal', hideFrom);
  if (options.ref !== undefined && typeof options.ref !== 'boolean') {
    throw errors.invalidArgType('options.ref', 'boolean', options.ref, hideFrom);
  }
}

// Settles with `value` once `schedule` fires; an abort clears it first.
function timerPromise(value, options, schedule, clear) {
  const { signal, ref = true } = options;
  if (signal?.aborted) return PromiseReject(new errors.AbortError(undefined, { cause: signal.reason }));
  return new Promise((resolve, reject) => {
    let onAbort;
    const timer = schedule(() => {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (!ref) timer.unref();
    if (signal) {
      onAbort = () => {
        clear(timer);
        reject(new errors.AbortError(undefined, { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
    }
  });
}

function promisifiedSetTimeout(delay, value, options = { __proto__: null }) {
  try {
    if (delay !== undefined && typeof delay !== 'number') {
      throw errors.invalidArgType('delay', 'number', delay, promisifiedSetTimeout);
    }
    validateTimerOptions(options, promisifiedSetTimeout);
  } catch (err) {
    return PromiseReject(err);
  }
  const timers = require('timers');
  return timerPromise(value, options, (fn) => timers.setTimeout(fn, delay), timers.clearTimeout);
}

function promisifiedSetImmediate(value, options = { __proto__: null }) {
  try {
    validateTimerOptions(options, promisifiedSetImmediate);
  } catch (err) {
    return PromiseReject(err);
  }
  const timers = require('timers');
  return timerPromise(value, options, (fn) => timers.setImmediate(fn), timers.clearImmediate);
}

function isDeepStrictEqual(a, b) {
  return require('comparisons').isDeepStrictEqual(a, b);
}

function parseEnv(content) {
  if (typeof content !== 'string') throw errors.invalidArgType('content', 'string', content, parseEnv);
  return require('parse_args').parseEnv(content);
}

const util = {
  _errnoException,
  _exceptionWithHostPort,
  _extend,
  callbackify,
  debug: debuglog,
  debuglog,
  deprecate,
  format,
  styleText,
  formatWithOptions,
  getSystemErrorMap,
  getSystemErrorName,
  inherits,
  inspect,
  isArray: ArrayIsArray,
  isBoolean: (arg) => typeof arg === 'boolean',
  isBuffer: (b) => require('buffer').Buffer.isBuffer(b),
  isDeepStrictEqual,
  isNull: (arg) => arg === null,
  isNullOrUndefined: (arg) => arg === null || arg === undefined,
  isNumber: (arg) => typeof arg === 'number',
  isString: (arg) => typeof arg === 'string',
  isSymbol: (arg) => typeof arg === 'symbol',
  isUndefined: (arg) => arg === undefined,
  isRegExp: types.isRegExp,
  isObject: (arg) => arg !== null && typeof arg === 'object',
  isDate: types.isDate,
  isError,
  isFunction: (arg) => typeof arg === 'function',
  isPrimitive: (arg) => arg === null || (typeof arg !== 'object' && typeof arg !== 'function'),
  log,
  promisify,
  stripVTControlCharacters(str) {
    if (typeof str !== 'string') throw errors.invalidArgType('str', 'string', str, util.stripVTControlCharacters);
    return stripVTControlCharacters(str);
  },
  toUSVString,
  get transferableAbortSignal() { return transferableAbortSignal; },
  get transferableAbortController() { return transferableAbortController; },
  get aborted() { return aborted; },
  types,
  parseEnv,
};

// Loaded on first read, as Node's lazy properties (enumerable accessors).
function lazy(name, get) {
  let value;
  let loaded = false;
  ObjectDefineProperty(util, name, {
    __proto__: null,
    get() {
      if (!loaded) { value = get(); loaded = true; }
      return value;
    },
    set(v) { value = v; loaded = true; },
    enumerable: true,
    configurable: true,
  });
}
lazy('parseArgs', () => require('parse_args').parseArgs);
lazy('TextDecoder', () => require('encoding').TextDecoder);
lazy('TextEncoder', () => require('encoding').TextEncoder);
lazy('MIMEType', () => require('mime').MIMEType);
lazy('MIMEParams', () => require('mime').MIMEParams);

exports.util = util;
exports.promisifiedSetTimeout = promisifiedSetTimeout;
exports.promisifiedSetImmediate = promisifiedSetImmediate;
exports.promisify = promisify;
exports.deprecate = deprecate;
exports.getSystemErrorMap = getSystemErrorMap;
