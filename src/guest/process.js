'use strict';
// The `process` global: an EventEmitter carrying config data, nextTick,
// exit handling, warnings and stdio. Created on first access.

const {
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypePop,
  BigInt,
  Error,
  ErrorCaptureStackTrace,
  ErrorPrototypeToString,
  FunctionPrototypeCall,
  MathFloor,
  MathRound,
  Number,
  NumberIsFinite,
  NumberIsInteger,
  ObjectCreate,
  ObjectDefineProperties,
  ObjectDefineProperty,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  Proxy,
  NumberParseInt,
  ReflectGet,
  RegExpPrototypeExec,
  SafeArraySlice,
  SafeRegExpReplaceAll,
  String,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeSplit,
  SymbolToStringTag,
  TypeError,
  Uint8Array,
} = require('primordials');
const { EventEmitter } = require('events');
const errors = require('errors');
const timers = require('timers');

const startNow = require('bootstrap').bootNow;
const frozen = config.timingFreeze === true;

function hrtimeMs() {
  return frozen ? startNow : native.clock_now();
}

function hrtime(time) {
  const ms = hrtimeMs();
  let sec = MathFloor(ms / 1000);
  let nsec = MathRound((ms - sec * 1000) * 1e6);
  if (nsec >= 1e9) { sec += 1; nsec -= 1e9; }
  if (time !== undefined) {
    if (!ArrayIsArray(time)) throw errors.invalidArgType('time', 'Array', time, hrtime);
    if (time.length !== 2) throw errors.outOfRange('time', '2', time.length, hrtime);
    let s = sec - time[0];
    let n = nsec - time[1];
    if (n < 0) { s -= 1; n += 1e9; }
    return [s, n];
  }
  return [sec, nsec];
}
hrtime.bigint = function bigint() {
  return BigInt(MathRound(hrtimeMs() * 1e6));
};

const octalRe = /^[0-7]+$/;

// The guest's own isolate: heap, and ArrayBuffer memory counted against its limit.
function memoryUsage() {
  const s = native.v8_heap_stats();
  return { rss: s[4] + s[3], heapTotal: s[0], heapUsed: s[1], external: s[2] + s[3], arrayBuffers: s[3] };
}
memoryUsage.rss = function rss() {
  const s = native.v8_heap_stats();
  return s[4] + s[3];
};

// process.env: the variables live in the kernel, which decides what the
// guest may read and write (the `env` scope); a name it may not read looks
// unset. Values are strings, as in Node.
function makeEnv() {
  const { check } = require('ops');
  const envGet = native.env_get, envSet = native.env_set;
  const envDelete = native.env_delete, envKeys = native.env_keys;
  const get = (key) => check(envGet(key), get);
  const set = (key, value) => check(envSet(key, value), set);
  return new Proxy({}, {
    __proto__: null,
    get(t, key) {
      if (typeof key === 'symbol') return ReflectGet(t, key);
      const v = get(key);
      return v !== undefined ? v : ReflectGet(t, key);
    },
    set(t, key, value) {
      if (typeof key === 'symbol') {
        throw new TypeError('Cannot convert a Symbol value to a string');
      }
      set(key, `${value}`);
      return true;
    },
    has(t, key) {
      if (typeof key === 'symbol') return false;
      return get(key) !== undefined;
    },
    deleteProperty(t, key) {
      if (typeof key !== 'symbol') check(envDelete(key), envDelete);
      return true;
    },
    ownKeys() {
      return check(envKeys(), envKeys);
    },
    getOwnPropertyDescriptor(t, key) {
      if (typeof key === 'symbol') return undefined;
      const value = get(key);
      if (value === undefined) return undefined;
      return { __proto__: null, value, writable: true, enumerable: true, configurable: true };
    },
    defineProperty(t, key, desc) {
      if (!ObjectPrototypeHasOwnProperty(desc, 'value') || desc.configurable === false || desc.writable === false ||
          desc.enumerable === false) {
        throw errors.makeNodeError(TypeError, 'ERR_INVALID_OBJECT_DEFINE_PROPERTY',
          `'process.env' only accepts a configurable, writable, and enumerable data descriptor`);
      }
      if (typeof key === 'symbol') return true;
      set(key, `${desc.value}`);
      return true;
    },
  });
}

// Writable-ish stdout/stderr: synchronous writes straight to the engine.
class WriteStream extends EventEmitter {
  constructor(fd) {
    super();
    this.fd = fd;
    this._type = 'pipe';
    this._isStdio = true;
    this.writable = true;
    this.destroyed = false;
    this.writableEnded = false;
    // A terminal (rt.openShell): Node's tty.WriteStream fields.
    const size = native.tty_size(fd);
    if (size !== 0) {
      this._type = 'tty';
      this.isTTY = true;
      this.columns = size >>> 16;
      this.rows = size & 0xffff;
    }
  }

  getWindowSize() { return [this.columns, this.rows]; }
  cursorTo(x, y, cb) { return require('readline').api.cursorTo(this, x, y, cb); }
  moveCursor(dx, dy, cb) { return require('readline').api.moveCursor(this, dx, dy, cb); }
  clearLine(dir, cb) { return require('readline').api.clearLine(this, dir, cb); }
  clearScreenDown(cb) { return require('readline').api.clearScreenDown(this, cb); }

  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (typeof chunk !== 'string') {
      if (!ArrayBufferIsView(chunk)) {
        throw errors.invalidArgType('chunk', ['string', 'Buffer', 'TypedArray', 'DataView'], chunk, WriteStream.prototype.write);
      }
      if (!(chunk instanceof Uint8Array)) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    if (typeof chunk === 'string' && encoding !== undefined && encoding !== null) {
      chunk = require('encoding').encodeString(chunk, encoding);
    }
    require('ops').check(native.stdio_write(this.fd, chunk), this.write);
    if (typeof cb === 'function') timers.nextTick(cb, null);
    return true;
  }

  // The end is only an event here: stdio stays open. 'finish' lets
  // stream.pipeline() and finished() complete on process.stdout.
  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    const first = !this.writableEnded;
    this.writableEnded = true;
    timers.nextTick(() => {
      if (typeof cb === 'function') cb(null);
      if (first) this.emit('finish');
    });
    return this;
  }

  cork() {}
  uncork() {}
  setDefaultEncoding() { return this; }
  getColorDepth() { return this.isTTY === true ? ttyColorDepth() : 1; }
  hasColors(count, env) {
    if (typeof count !== 'number') count = 16;
    return count <= 2 ** this.getColorDepth(env);
  }
  get writableLength() { return 0; }
  get writableHighWaterMark() { return 16384; }
  get writableNeedDrain() { return false; }
  get writableFinished() { return false; }
  get writableObjectMode() { return false; }
  get writableCorked() { return 0; }
}

// Colors a terminal shows, by its TERM, as Node guesses them.
function ttyColorDepth() {
  const env = getProcess().env;
  if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined) return 1;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 24;
  const term = typeof env.TERM === 'string' ? env.TERM : '';
  if (term === 'dumb') return 1;
  if (StringPrototypeIncludes(term, '256')) return 8;
  return 4;
}

// A terminal's new size (SIGWINCH): stdout and stderr take it and say so.
function refreshTtySize() {
  for (let i = 0; i < 2; i++) {
    const stream = i === 0 ? processStdout : processStderr;
    if (stream === undefined || stream.isTTY !== true) continue;
    const size = native.tty_size(stream.fd);
    if (size === 0) continue;
    const columns = size >>> 16;
    const rows = size & 0xffff;
    if (columns === stream.columns && rows === stream.rows) continue;
    stream.columns = columns;
    stream.rows = rows;
    timers.nextTick(() => stream.emit('resize'));
  }
}
let processStdout;
let processStderr;

// Own data properties, as Object.assign would make them, without running
// setters a guest may have put on Object.prototype.
function defineAll(target, props) {
  const keys = ObjectKeys(props);
  for (let i = 0; i < keys.length; i++) {
    ObjectDefineProperty(target, keys[i], {
      __proto__: null, value: props[keys[i]], writable: true, enumerable: true, configurable: true,
    });
  }
}

const exeSuffix = /\.exe$/g;

function validateExitCode(code) {
  if (code !== null && code !== undefined) {
    if (typeof code === 'string' && code !== '' && NumberIsInteger(+code)) return;
    errors.validateInteger(code, 'code');
  }
}

// Signals whose default action ends no process here: SIGPIPE (Node
// ignores it), SIGUSR1 (Node's inspector; there is none), SIGCHLD, SIGCONT,
// SIGURG and SIGWINCH (ignored by Linux), SIGSTOP, SIGTSTP, SIGTTIN and
// SIGTTOU (they would stop the process; nothing here resumes one).
const SIGWINCH = 28;
const IGNORED_SIGNALS = { __proto__: null, 10: true, 13: true, 17: true, 18: true, 19: true, 20: true, 21: true, 22: true, 23: true, 28: true };

function createProcess() {
  // Give the object Node's shape: process -> process.prototype -> EventEmitter.
  const ProcessProto = ObjectCreate(EventEmitter.prototype, {
    constructor: { __proto__: null, value: function process() {}, writable: true, configurable: true },
  });
  const process = ObjectCreate(ProcessProto);
  FunctionPrototypeCall(EventEmitter, process);
  ObjectDefineProperty(process, SymbolToStringTag, {
    __proto__: null, value: 'process', writable: false, enumerable: false, configurable: true,
  });

  let exitCode;
  let stdout, stderr, stdin;
  let cwd = config.cwd;
  let argv0 = config.argv0 !== undefined ? config.argv0 : 'node';

  defineAll(process, {
    version: config.version,
    versions: config.versions,
    arch: config.arch,
    platform: config.platform,
    release: config.release || { name: 'node' },
    argv: SafeArraySlice(config.argv),
    execArgv: config.execArgv ? SafeArraySlice(config.execArgv) : [],
    env: makeEnv(),
    title: 'node',
    pid: config.pid,
    ppid: config.ppid,
    execPath: config.execPath,
    debugPort: 9229,
    features: { inspector: false, debug: false, uv: true, ipv6: true, tls_alpn: true, tls_sni: true, tls_ocsp: true, tls: true, cached_builtins: true },
    config: { target_defaults: {}, variables: {} },
    _exiting: false,
    hrtime,
    nextTick: timers.nextTick,
    emitWarning,
    cwd() { return cwd; },
    chdir(directory) {
      if (typeof directory !== 'string') throw errors.invalidArgType('directory', 'string', directory, process.chdir);
      cwd = require('ops').check(native.proc_chdir(directory), process.chdir);
    },
    uptime() { return hrtimeMs() / 1000; },
    umask(mask) {
      if (mask === undefined) return native.proc_umask(undefined);
      if (typeof mask === 'string') {
        if (RegExpPrototypeExec(octalRe, mask) === null) {
          throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
            `The argument 'mask' must be a 32-bit unsigned integer or an octal string. Received '${mask}'`, process.umask);
        }
        mask = NumberParseInt(mask, 8);
      }
      errors.validateInteger(mask, 'mask', 0, 4294967295, process.umask);
      return native.proc_umask(mask & 0o777);
    },
    memoryUsage,
    resourceUsage() {
      const cpu = process.cpuUsage();
      const stats = native.v8_heap_stats();
      return {
        userCPUTime: cpu.user, systemCPUTime: cpu.system, maxRSS: MathFloor((stats[4] + stats[3]) / 1024),
        sharedMemorySize: 0, unsharedDataSize: 0, unsharedStackSize: 0, minorPageFault: 0, majorPageFault: 0,
        swappedOut: 0, fsRead: 0, fsWrite: 0, ipcSent: 0, ipcReceived: 0, signalsCount: 0,
        voluntaryContextSwitches: 0, involuntaryContextSwitches: 0,
      };
    },
    getgroups() { return [process.getgid()]; },
    dlopen(module, filename) {
      throw require('modules').nativeAddon(String(filename), process.dlopen);
    },
    exit,
    kill,
    _kill,
    reallyExit(code) { native.proc_exit(toExitInt(code)); },
    abort() { native.proc_exit(134); },
    getuid() { return config.uid !== undefined ? config.uid : 0; },
    getgid() { return config.gid !== undefined ? config.gid : 0; },
    geteuid() { return config.uid !== undefined ? config.uid : 0; },
    getegid() { return config.gid !== undefined ? config.gid : 0; },
    cpuUsage() { const us = MathRound(hrtimeMs() * 1000); return { user: us, system: 0 }; },
  });
  ObjectDefineProperties(process, {
    __proto__: null,
    argv0: { __proto__: null, get() { return argv0; }, set(v) { argv0 = v; }, enumerable: true, configurable: true },
    exitCode: {
      __proto__: null,
      get() { return exitCode; },
      set(code) { validateExitCode(code); exitCode = code; },
      enumerable: true, configurable: false,
    },
    stdout: {
      __proto__: null,
      get() { return stdout || (stdout = processStdout = new WriteStream(1)); },
      enumerable: true, configurable: true,
    },
    stderr: {
      __proto__: null,
      get() { return stderr || (stderr = processStderr = new WriteStream(2)); },
      enumerable: true, configurable: true,
    },
    stdin: {
      __proto__: null,
      get() { return stdin || (stdin = createStdin()); },
      enumerable: true, configurable: true,
    },
  });

  // Node's process.kill: a signal by name or number; the error of the
  // kill syscall as an ErrnoException.
  function kill(pid, sig) {
    // Node's check, loose equality included ('5' passes).
    // eslint-disable-next-line eqeqeq
    if (pid != (pid | 0)) throw errors.invalidArgType('pid', 'number', pid, kill);
    let err;
    if (sig === (sig | 0)) {
      err = process._kill(pid, sig);
    } else {
      sig = sig || 'SIGTERM';
      const signals = require('os').os.constants.signals;
      if (typeof sig === 'string' && signals[sig] !== undefined) {
        err = process._kill(pid, signals[sig]);
      } else {
        throw errors.makeNodeError(TypeError, 'ERR_UNKNOWN_SIGNAL',
          require('util_public').util.format('Unknown signal: %s', sig), kill);
      }
    }
    if (err) throw require('util_public').util._errnoException(err, 'kill');
    return true;
  }

  // The kill syscall: the kernel decides who may be signalled; a signal to
  // this process is delivered here (see deliverToSelf).
  function _kill(pid, signo) {
    // Each converted once, as Node's Int32Value does.
    pid |= 0;
    signo |= 0;
    const err = native.proc_kill(pid, signo);
    // Another process's signal is the kernel's to deliver; this one's own
    // (a worker's pid is its process's: not its own to take).
    const self = pid === 0 || (pid === process.pid && config.worker === undefined);
    if (err === 0 && signo !== 0 && self) deliverToSelf(signo);
    return err;
  }

  // A listener gets the signal in a later poll phase; without one, the
  // default action: most signals end the process at once, with no 'exit'
  // event, as the OS would (status 128 + n); some are ignored (those Linux
  // ignores or stops on, SIGPIPE which Node ignores, SIGUSR1 which Node
  // would start its inspector on).
  function deliverToSelf(signo) {
    if (signo === SIGWINCH) refreshTtySize();
    const signals = require('os').os.constants.signals;
    let name;
    const names = ObjectKeys(signals);
    for (let i = 0; i < names.length; i++) {
      if (signals[names[i]] !== signo) continue;
      if (name === undefined) name = names[i];
      if (signo !== 9 && signo !== 19 && process.listenerCount(names[i]) > 0) {
        timers.queueSignal(names[i], signo);
        return;
      }
    }
    if (IGNORED_SIGNALS[signo] === true) return;
    native.proc_raise(signo);
  }
  deliverSignal = deliverToSelf;

  function exit(code) {
    if (arguments.length !== 0) process.exitCode = code;
    if (!process._exiting) {
      process._exiting = true;
      process.emit('exit', process.exitCode || 0);
    }
    native.proc_exit(toExitInt(process.exitCode || 0));
  }

  let traceHintShown = false;
  function emitWarning(warning, type, code, ctor) {
    let detail;
    if (type !== null && typeof type === 'object' && !ArrayIsArray(type)) {
      ctor = type.ctor;
      code = type.code;
      if (typeof type.detail === 'string') detail = type.detail;
      type = type.type || 'Warning';
    } else if (typeof type === 'function') {
      ctor = type;
      code = undefined;
      type = 'Warning';
    }
    if (type !== undefined && typeof type !== 'string') throw errors.invalidArgType('type', 'string', type, emitWarning);
    if (typeof code === 'function') {
      ctor = code;
      code = undefined;
    } else if (code !== undefined && typeof code !== 'string') {
      throw errors.invalidArgType('code', 'string', code, emitWarning);
    }
    if (typeof warning === 'string') {
      const limit = Error.stackTraceLimit;
      if (process.throwDeprecation) Error.stackTraceLimit = 0;
      warning = new Error(warning);
      Error.stackTraceLimit = limit;
      warning.name = String(type || 'Warning');
      if (code !== undefined) warning.code = code;
      if (detail !== undefined) warning.detail = detail;
      ErrorCaptureStackTrace(warning, ctor || emitWarning);
    } else if (!(warning instanceof Error)) {
      throw errors.invalidArgType('warning', ['Error', 'string'], warning, emitWarning);
    }
    if (warning.name === 'DeprecationWarning') {
      if (process.noDeprecation) return;
      if (process.throwDeprecation) throw warning;
    }
    timers.nextTick(() => process.emit('warning', warning));
  }

  function onWarning(warning) {
    if (!(warning instanceof Error)) return;
    const isDeprecation = warning.name === 'DeprecationWarning';
    if (isDeprecation && process.noDeprecation) return;
    const trace = process.traceProcessWarnings || (isDeprecation && process.traceDeprecation);
    let msg = `(node:${process.pid}) `;
    if (warning.code) msg += `[${warning.code}] `;
    if (trace && warning.stack) msg += `${warning.stack}`;
    else msg += typeof warning.toString === 'function' ? `${warning.toString()}` : ErrorPrototypeToString(warning);
    if (typeof warning.detail === 'string') msg += `\n${warning.detail}`;
    if (!trace && !traceHintShown) {
      const flag = isDeprecation ? '--trace-deprecation' : '--trace-warnings';
      const file = ArrayPrototypePop(StringPrototypeSplit(String(process.argv0 || 'node'), '/'));
      const base = SafeRegExpReplaceAll(exeSuffix, file, '');
      msg += `\n(Use \`${base} ${flag} ...\` to show where the warning was created)`;
      traceHintShown = true;
    }
    require('ops').check(native.stdio_write(2, msg + '\n'));
  }
  // As Node's signal wraps refuse them: SIGKILL and SIGSTOP have no
  // listeners (the throw leaves the listener unadded).
  // The kernel learns which signals have listeners: a signal from another
  // process then waits for this loop instead of ending the process.
  process.on('newListener', function startListeningIfSignal(type) {
    if (type === 'SIGKILL' || type === 'SIGSTOP') {
      throw require('util_public').util._errnoException(-22, 'uv_signal_start');
    }
    const signo = signalNumber(type);
    if (signo !== undefined) native.proc_signal_handled(signo, true);
  });
  process.on('removeListener', function stopListeningIfSignal(type) {
    const signo = signalNumber(type);
    if (signo === SIGWINCH && (native.tty_size(1) !== 0 || native.tty_size(2) !== 0)) return;
    if (signo !== undefined && process.listenerCount(type) === 0) native.proc_signal_handled(signo, false);
  });
  process.on('warning', onWarning);
  // A terminal's resize reaches stdout and stderr (libuv listens for it).
  if (native.tty_size(1) !== 0 || native.tty_size(2) !== 0) native.proc_signal_handled(SIGWINCH, true);
  // A forked child: its channel with its parent.
  if (config.ipc !== undefined && config.worker === undefined) {
    require('child_process').setupChannel(process, config.ipc[0], config.ipc[1], true, config.ipcAdvanced === true);
  }
  return process;
}

// A signal's number for a listener type that names one (1-31).
function signalNumber(type) {
  if (typeof type !== 'string' || type.length < 4 || StringPrototypeSlice(type, 0, 3) !== 'SIG') return undefined;
  const n = require('os').os.constants.signals[type];
  return typeof n === 'number' && n >= 1 && n <= 31 ? n : undefined;
}

// process.stdin: a pipe's read end at fd 0 (a spawned process's), read as
// Node reads a piped stdin (a net.Socket); else the call's bytes.
function createStdin() {
  // A worker's start bytes are its workerData, not its stdin.
  if (config.stdinFd !== 0) return require('stdin').createStdin(config.worker === undefined ? config.stdin : undefined);
  const net = require('net');
  const socket = new net.Socket({ __proto__: null, [net.kPipeFd]: 0, writable: false });
  socket.fd = 0;
  // A terminal (rt.openShell): Node's tty.ReadStream fields.
  if (native.tty_size(0) !== 0) {
    socket.isTTY = true;
    socket.isRaw = false;
    socket.setRawMode = function setRawMode(flag) {
      flag = !!flag;
      require('ops').check(native.tty_set_raw(0, flag), setRawMode);
      this.isRaw = flag;
      return this;
    };
    // A paused terminal stdin no longer keeps the process alive (Node stops
    // reading it), so a readline script ends once it closes.
    socket.on('pause', () => {
      timers.nextTick(() => { if (socket.readableFlowing !== true) socket.unref(); });
    });
    socket.on('resume', () => { socket.ref(); });
  }
  return socket;
}

// Signals other processes sent, by bit: each goes to this process's
// listeners, or takes its default action.
let deliverSignal = null;
function signalsArrived(mask) {
  getProcess();
  for (let signo = 1; signo <= 31; signo++) {
    if ((mask & (1 << signo)) !== 0) deliverSignal(signo);
  }
}

function toExitInt(code) {
  const n = Number(code);
  return NumberIsFinite(n) ? (n | 0) : 0;
}

let processObject = null;
function getProcess() {
  if (processObject === null) {
    processObject = createProcess();
    timers._setProcess(processObject);
  }
  return processObject;
}

ObjectDefineProperty(exports, 'process', { __proto__: null, get: getProcess, enumerable: true });
exports.getProcess = getProcess;
exports.WriteStream = WriteStream;
exports.toExitInt = toExitInt;
exports.signalsArrived = signalsArrived;
