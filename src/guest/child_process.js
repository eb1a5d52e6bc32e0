'use strict';
// node:child_process over the kernel's processes: a child is a guest
// process of the same runtime (only `node` exists: no host binary is ever
// run), its piped stdio are kernel pipes read and written as net.Sockets
// (as Node's are), and its end comes from a `proc_wait` op. The kernel
// decides what may be spawned and bounds it; nothing here checks anything.

const {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  Error: ErrorCtor,
  JSONParse,
  JSONStringify,
  NumberParseInt,
  ObjectDefineProperty,
  ObjectKeys,
  Promise: PromiseCtor,
  RangeError: RangeErrorCtor,
  ReflectApply,
  SafeArrayConcat,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  String,
  Symbol,
  SymbolDispose,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSubarray,
  TypeError: TypeErrorCtor,
} = require('primordials');
const errors = require('errors');
const ops = require('ops');
const { nextTick } = require('timers');
const { EventEmitter } = require('events');

const FAILED = ops.FAILED;

function signals() { return require('os').os.constants.signals; }

function signalName(signo) {
  const all = signals();
  const names = ObjectKeys(all);
  for (let i = 0; i < names.length; i++) if (all[names[i]] === signo) return names[i];
  return null;
}

// A signal as Node's child.kill() takes it (convertToValidSignal): a
// known name or number.
function toSignal(sig, caller) {
  if (typeof sig === 'number' && (sig === 0 || signalName(sig) !== null)) return sig;
  if (typeof sig === 'string' && typeof signals()[sig] === 'number') return signals()[sig];
  throw errors.makeNodeError(TypeErrorCtor, 'ERR_UNKNOWN_SIGNAL',
    require('util_public').util.format('Unknown signal: %s', sig), caller);
}

function errnoError(code, syscall) {
  return require('util_public').util._errnoException(code, syscall);
}

function noNullBytes(s, name, caller) {
  if (StringPrototypeIncludes(s, '\u0000')) {
    throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
      `The argument '${name}' must be a string without null bytes. Received ${require('util_public').util.inspect(s)}`, caller);
  }
}

// Node's normalizeSpawnArguments, for what the kernel supports.
function normalize(file, args, options, caller) {
  errors.validateString(file, 'file', caller);
  if (file.length === 0) {
    throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE', "The argument 'file' cannot be empty. Received ''", caller);
  }
  noNullBytes(file, 'file', caller);
  if (ArrayIsArray(args)) {
    args = ArrayPrototypeSlice(args);
  } else if (args === undefined || args === null) {
    args = [];
  } else if (typeof args !== 'object') {
    throw errors.invalidArgType('args', 'object', args, caller);
  } else {
    options = args;
    args = [];
  }
  if (options === undefined) options = {};
  else errors.validateObject(options, 'options', caller);
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] !== 'string') throw errors.invalidArgType(`args[${i}]`, 'string', args[i], caller);
    noNullBytes(args[i], `args[${i}]`, caller);
  }
  let cwd = options.cwd;
  if (cwd !== undefined && cwd !== null) {
    if (typeof cwd === 'object' && require('url').isURL(cwd)) cwd = require('url').fileURLToPath(cwd);
    errors.validateString(cwd, 'options.cwd', caller);
    noNullBytes(cwd, 'options.cwd', caller);
  } else {
    cwd = null;
  }
  if (options.argv0 !== undefined) errors.validateString(options.argv0, 'options.argv0', caller);
  if (options.shell !== undefined && options.shell !== null && typeof options.shell !== 'boolean' &&
      typeof options.shell !== 'string') {
    throw errors.invalidArgType('options.shell', ['boolean', 'string'], options.shell, caller);
  }
  if (options.shell) {
    const command = args.length > 0 ? `${file} ${ArrayPrototypeJoin(args, ' ')}` : file;
    file = typeof options.shell === 'string' ? options.shell : '/bin/sh';
    args = ['-c', command];
  }
  const env = options.env || require('process').getProcess().env;
  const envPairs = [];
  const keys = ObjectKeys(env);
  for (let i = 0; i < keys.length; i++) {
    const value = env[keys[i]];
    if (value === undefined) continue;
    noNullBytes(keys[i], `options.env['${keys[i]}']`, caller);
    noNullBytes(String(value), `options.env['${keys[i]}']`, caller);
    ArrayPrototypePush(envPairs, `${keys[i]}=${value}`);
  }
  const argv0 = options.argv0 !== undefined ? options.argv0 : file;
  return { file, args, cwd, envPairs, spawnargs: SafeArrayConcat([argv0], args), options };
}

// 'pipe' | 'inherit' | 'ignore' per fd; fds 0-2 as numbers are inherited;
// 'ipc' once, after fd 2, is a message channel. [stdio of fds 0-2, ipc].
function normalizeStdio(stdio, caller) {
  if (stdio === undefined || stdio === null) stdio = 'pipe';
  if (typeof stdio === 'string') {
    if (stdio === 'overlapped') stdio = 'pipe';
    if (stdio !== 'pipe' && stdio !== 'inherit' && stdio !== 'ignore') {
      throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
        `The argument 'stdio' is invalid. Received '${stdio}'`, caller);
    }
    return [[stdio, stdio, stdio], false];
  }
  if (!ArrayIsArray(stdio)) throw errors.invalidArgType('options.stdio', ['string', 'Array'], stdio, caller);
  const out = [];
  let ipc = false;
  for (let i = 0; i < stdio.length || i < 3; i++) {
    let s = stdio[i];
    if (s === 'ipc' && i >= 3) {
      if (ipc) throw errors.makeNodeError(ErrorCtor, 'ERR_IPC_ONE_PIPE', 'Child process can have only one IPC pipe', caller);
      ipc = true;
      continue;
    }
    if (i >= 3) {
      if (s === undefined || s === null || s === 'ignore') continue;
      const err = new ErrorCtor('stdio beyond fd 2 is not supported in this sandbox yet');
      errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
      throw err;
    }
    if (s === undefined || s === null) s = 'pipe';
    else if (s === 'overlapped') s = 'pipe';
    else if (s === i) s = 'inherit';
    else if (typeof s === 'number' && s >= 0 && (s | 0) === s) s = `fd:${s}`;
    else if (typeof s === 'object') {
      // A stream over a descriptor (process.stdout, another child's pipe):
      // its own process no longer drains it at its end.
      const fd = typeof s.fd === 'number' ? s.fd : s._handle && typeof s._handle.fd === 'number' ? s._handle.fd : -1;
      if (fd < 0) {
        throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
          `The argument 'stdio' is invalid. Received ${require('util_public').util.inspect(s, { depth: -1 })}`, caller);
      }
      s[kUsedAsStdio] = true;
      s = `fd:${fd}`;
    }
    if (s !== 'pipe' && s !== 'inherit' && s !== 'ignore' && !(typeof s === 'string' && StringPrototypeStartsWith(s, 'fd:'))) {
      const err = new ErrorCtor(`stdio ${typeof s === 'string' ? `'${s}'` : 'streams and descriptors'} ` +
        'is not supported in this sandbox yet');
      errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
      throw err;
    }
    ArrayPrototypePush(out, s);
  }
  return [out, ipc];
}

// The IPC channel of a parent (a forked child) or of the child itself:
// JSON messages, one per line, over two kernel pipes. The channel keeps the
// process alive while it has 'message' or 'disconnect' listeners (a child),
// as Node's does.
// `advanced`: messages in V8's serialization format (as Worker messages),
// framed, instead of JSON lines.
function setupChannel(target, readFd, writeFd, isChild, advanced) {
  const net = require('net');
  const reader = new net.Socket({ __proto__: null, [net.kPipeFd]: readFd, writable: false });
  const writer = new net.Socket({ __proto__: null, [net.kPipeFd]: writeFd, readable: false });
  const { StringDecoder } = require('string_decoder');
  const decoder = new StringDecoder('utf8');
  let pending = '';
  target.connected = true;
  const deliver = (message) => {
    if (message !== null && typeof message === 'object' && typeof message.cmd === 'string' &&
        StringPrototypeStartsWith(message.cmd, 'NODE_')) {
      target.emit('internalMessage', message);
    } else {
      target.emit('message', message);
    }
  };
  const closed = () => {
    if (!target.connected) return;
    target.connected = false;
    writer.destroy();
    reader.destroy();
    nextTick(() => target.emit('disconnect'));
  };
  reader.on('data', advanced ? require('worker_threads').frameReader((kind, body) => {
    let message;
    try { message = require('v8').api.deserialize(body); } catch { return; }
    deliver(message);
  }) : (chunk) => {
    pending += decoder.write(chunk);
    for (;;) {
      const i = StringPrototypeIndexOf(pending, '\n');
      if (i === -1) break;
      const line = StringPrototypeSlice(pending, 0, i);
      pending = StringPrototypeSlice(pending, i + 1);
      let message;
      try { message = JSONParse(line); } catch { continue; }
      deliver(message);
    }
  });
  reader.on('end', closed);
  reader.on('error', closed);
  writer.on('error', closed);
  target.send = function send(message, handle, options, callback) {
    if (typeof handle === 'function') {
      callback = handle;
      handle = undefined;
      options = undefined;
    } else if (typeof options === 'function') {
      callback = options;
      options = undefined;
    } else if (options !== undefined) {
      errors.validateObject(options, 'options', send);
    }
    if (!target.connected) {
      const ex = errors.makeNodeError(ErrorCtor, 'ERR_IPC_CHANNEL_CLOSED', 'Channel closed');
      if (typeof callback === 'function') nextTick(callback, ex);
      else nextTick(() => target.emit('error', ex));
      return false;
    }
    if (message === undefined) {
      throw errors.makeNodeError(TypeErrorCtor, 'ERR_MISSING_ARGS', 'The "message" argument must be specified', send);
    }
    if (typeof message !== 'string' && typeof message !== 'object' && typeof message !== 'number' &&
        typeof message !== 'boolean') {
      throw errors.invalidArgType('message', ['string', 'object', 'number', 'boolean'], message, send);
    }
    if (handle !== undefined && handle !== null) {
      const err = new ErrorCtor('Sending handles over IPC is not supported in this sandbox');
      errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
      throw err;
    }
    const data = advanced ? require('worker_threads').messageFrame(require('v8').api.serialize(message)) :
      JSONStringify(message) + '\n';
    writer.write(data, (err) => {
      if (typeof callback === 'function') callback(err || null);
    });
    return writer.writableLength < 65536 * 2;
  };
  target.disconnect = function disconnect() {
    if (!target.connected) {
      target.emit('error', errors.makeNodeError(ErrorCtor, 'ERR_IPC_DISCONNECTED', 'IPC channel is already disconnected'));
      return;
    }
    // What was sent goes first; then the other side reads the end.
    target.connected = false;
    writer.end(() => {
      reader.destroy();
      target.emit('disconnect');
    });
  };
  target._channel = target.channel = {
    __proto__: null,
    fd: readFd,
    ref() { reader.ref(); },
    unref() { reader.unref(); },
  };
  if (isChild) {
    // As Node's: only listeners keep a child's channel (and the child) alive.
    const listens = () => target.listenerCount('message') + target.listenerCount('disconnect') > 0;
    reader.unref();
    target.on('newListener', (type) => { if (type === 'message' || type === 'disconnect') reader.ref(); });
    target.on('removeListener', () => { if (!listens()) reader.unref(); });
  }
}

const kWaitOp = Symbol('kWaitOp');
const kUsedAsStdio = Symbol('kUsedAsStdio');
const kCloses = Symbol('kCloses');

class ChildProcess extends EventEmitter {
  constructor() {
    super();
    this.pid = undefined;
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.stdio = [null, null, null];
    this.exitCode = null;
    this.signalCode = null;
    this.killed = false;
    this.connected = false;
    this.spawnfile = undefined;
    this.spawnargs = [];
    this[kWaitOp] = undefined;
    this[kCloses] = 1;
  }

  spawn(options) {
    errors.validateObject(options, 'options');
    const n = normalize(options.file, options.args, options, this.spawn);
    const [stdio, ipc] = normalizeStdio(options.stdio, this.spawn);
    const advanced = options.serialization === 'advanced';
    if (options.serialization !== undefined && options.serialization !== 'json' && !advanced) {
      throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE',
        `The property 'options.serialization' must be one of: undefined, 'json', 'advanced'. Received ${require('util_public').util.inspect(options.serialization)}`, this.spawn);
    }
    this.spawnfile = n.file;
    this.spawnargs = n.spawnargs;
    const spec = JSONStringify({ file: n.file, args: n.args, cwd: n.cwd, env: n.envPairs, stdio, ipc, advanced: ipc && advanced });
    const r = native.proc_spawn(spec);
    let fds = [-1, -1, -1];
    if (r === FAILED) {
      const e = ops.opError(undefined);
      const errno = typeof e.errno === 'number' ? e.errno : -11;
      if (e.code !== 'ENOENT' && e.code !== 'EACCES' && e.code !== 'EAGAIN' && e.code !== 'EMFILE') {
        throw e.code === 'ERR_INVALID_ARG_VALUE' ? e : errnoError(errno, 'spawn');
      }
      nextTick(onExit, this, errno, null);
    } else {
      this.pid = NumberParseInt(r[0], 10);
      fds = [NumberParseInt(r[1], 10), NumberParseInt(r[2], 10), NumberParseInt(r[3], 10)];
      if (ipc) setupChannel(this, NumberParseInt(r[4], 10), NumberParseInt(r[5], 10), false, advanced);
      nextTick(() => this.emit('spawn'));
      const self = this;
      this[kWaitOp] = ops.callAsyncCallback(native.proc_wait, undefined, [this.pid], (err, status) => {
        self[kWaitOp] = undefined;
        if (err !== null) { onExit(self, -10, null); return; }
        if (status < 0) onExit(self, null, signalName(-status));
        else onExit(self, status, null);
      });
    }
    const net = require('net');
    for (let i = 0; i < 3; i++) {
      if (stdio[i] !== 'pipe') continue;
      const opts = { __proto__: null };
      if (fds[i] >= 0) opts[net.kPipeFd] = fds[i];
      if (i === 0) opts.readable = false;
      else opts.writable = false;
      const sock = new net.Socket(opts);
      if (i > 0 && this.pid !== undefined) {
        this[kCloses]++;
        sock.on('close', () => maybeClose(this));
      }
      this.stdio[i] = sock;
    }
    if (ipc) ArrayPrototypePush(this.stdio, null);
    this.stdin = this.stdio[0];
    this.stdout = this.stdio[1];
    this.stderr = this.stdio[2];
    return undefined;
  }

  kill(sig) {
    const signo = sig === undefined ? 15 : toSignal(sig, this.kill);
    if (this.pid === undefined || this.exitCode !== null || this.signalCode !== null) return false;
    const err = native.proc_kill(this.pid, signo);
    if (err === 0) {
      this.killed = true;
      return true;
    }
    if (err === -3) return false;
    if (err === -22 || err === -38) throw errnoError(err, 'kill');
    this.emit('error', errnoError(err, 'kill'));
    return false;
  }

  [SymbolDispose]() {
    if (!this.killed) this.kill();
  }

  ref() {
    if (this[kWaitOp] !== undefined) ops.setRefById(this[kWaitOp], true);
  }

  unref() {
    if (this[kWaitOp] !== undefined) ops.setRefById(this[kWaitOp], false);
  }
}

// As Node's onexit: a spawn that failed reports its error instead.
function onExit(child, code, signal) {
  if (child.stdin) child.stdin.destroy();
  if (code !== null && code < 0) {
    const err = errnoError(code, `spawn ${child.spawnfile}`);
    err.path = child.spawnfile;
    err.spawnargs = ArrayPrototypeSlice(child.spawnargs, 1);
    child.exitCode = code;
    child.emit('error', err);
  } else {
    child.exitCode = code;
    child.signalCode = signal;
    child.emit('exit', code, signal);
  }
  nextTick(flushStdio, child);
  maybeClose(child);
}

// Output nobody reads is drained, so that the child's 'close' comes.
function flushStdio(child) {
  for (let i = 1; i < 3; i++) {
    const s = child.stdio[i];
    if (!s || !s.readable || s.readableFlowing !== null || s[kUsedAsStdio]) continue;
    s.resume();
  }
}

function maybeClose(child) {
  if (--child[kCloses] === 0) child.emit('close', child.exitCode, child.signalCode);
}

function validateTimeout(timeout, caller) {
  if (timeout !== undefined && timeout !== null && !(typeof timeout === 'number' && timeout >= 0 && (timeout | 0) === timeout)) {
    throw errors.outOfRange('timeout', 'an unsigned integer', timeout, caller);
  }
}

function spawn(file, args, options) {
  const n = normalize(file, args, options, spawn);
  validateTimeout(n.options.timeout, spawn);
  if (n.options.signal !== undefined) errors.validateAbortSignal(n.options.signal, 'options.signal', spawn);
  const child = new ChildProcess();
  // Normalized once: the shell (if any) is in n.file and n.args now.
  child.spawn({ __proto__: null, ...n.options, shell: false, file: n.file, args: n.args });
  const { timeout, killSignal, signal } = n.options;
  if (timeout > 0) {
    let t = require('timers').setTimeout(() => {
      t = null;
      try { child.kill(killSignal); } catch (e) { child.emit('error', e); }
    }, timeout);
    child.once('exit', () => { if (t !== null) require('timers').clearTimeout(t); });
  }
  if (signal !== undefined) {
    const onAbort = () => {
      if (child.kill(killSignal)) child.emit('error', new errors.AbortError(undefined, { cause: signal.reason }));
    };
    if (signal.aborted) nextTick(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      child.once('exit', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return child;
}

// Node's execFile: the output gathered (up to maxBuffer), one callback.
function execFile(file, args, options, callback) {
  if (typeof args === 'function') { callback = args; args = []; options = undefined; }
  else if (typeof options === 'function') { callback = options; options = undefined; }
  if (args !== null && typeof args === 'object' && !ArrayIsArray(args)) { options = args; args = []; }
  if (callback !== undefined && callback !== null) errors.validateFunction(callback, 'callback', execFile);
  options = { __proto__: null, encoding: 'utf8', timeout: 0, maxBuffer: 1024 * 1024, killSignal: 'SIGTERM', ...options };
  validateTimeout(options.timeout, execFile);
  if (options.maxBuffer !== Infinity) errors.validateInteger(options.maxBuffer, 'options.maxBuffer', 0, undefined, execFile);
  const child = spawn(file, args, { ...options, timeout: undefined });
  const encoding = options.encoding === 'buffer' || !require('buffer').api.Buffer.isEncoding(options.encoding) ? null : options.encoding;
  const Buffer = require('buffer').api.Buffer;
  const out = { stdout: [], stderr: [], len: 0 };
  let ex = null;
  let killed = false;
  let exited = false;
  let timer = null;
  const cmd = args && args.length ? `${file} ${ArrayPrototypeJoin(args, ' ')}` : file;
  const kill = () => {
    if (child.stdout) child.stdout.destroy();
    if (child.stderr) child.stderr.destroy();
    killed = true;
    try { child.kill(options.killSignal); } catch (e) { ex = e; exitHandler(); }
  };
  const text = (list) => {
    const b = Buffer.concat(list);
    return encoding ? b.toString(encoding) : b;
  };
  function exitHandler(code, signal) {
    if (exited) return;
    exited = true;
    if (timer !== null) { require('timers').clearTimeout(timer); timer = null; }
    if (!callback) return;
    const stdout = text(out.stdout);
    const stderr = text(out.stderr);
    if (!ex && code === 0 && signal === null) { callback(null, stdout, stderr); return; }
    if (!ex) {
      ex = new ErrorCtor(`Command failed: ${cmd}\n${stderr}`);
      ex.code = code < 0 ? require('util_public').util.getSystemErrorName(code) : code;
      ex.killed = child.killed || killed;
      ex.signal = signal;
    }
    ex.cmd = cmd;
    callback(ex, stdout, stderr);
  }
  const collect = (name) => (chunk) => {
    if (typeof chunk === 'string') chunk = Buffer.from(chunk);
    const len = TypedArrayPrototypeGetByteLength(chunk);
    out.len += len;
    if (out.len > options.maxBuffer) {
      const room = options.maxBuffer - (out.len - len);
      if (room > 0) ArrayPrototypePush(out[name], TypedArrayPrototypeSubarray(chunk, 0, room));
      ex = errors.makeNodeError(RangeErrorCtor, 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', `${name} maxBuffer length exceeded`);
      kill();
      return;
    }
    ArrayPrototypePush(out[name], chunk);
  };
  if (options.timeout > 0) {
    timer = require('timers').setTimeout(() => { timer = null; kill(); }, options.timeout);
  }
  if (child.stdout) child.stdout.on('data', collect('stdout'));
  if (child.stderr) child.stderr.on('data', collect('stderr'));
  child.addListener('close', exitHandler);
  child.addListener('error', (e) => { ex = e; if (child.stdout) child.stdout.destroy(); if (child.stderr) child.stderr.destroy(); exitHandler(); });
  return child;
}

function exec(command, options, callback) {
  if (typeof options === 'function') { callback = options; options = undefined; }
  errors.validateString(command, 'command', exec);
  options = { __proto__: null, ...options };
  options.shell = typeof options.shell === 'string' ? options.shell : true;
  return execFile(command, [], options, callback);
}

// The input of a Sync form as bytes (Node's: a string, Buffer, TypedArray
// or DataView).
function inputBytes(input, encoding, caller) {
  if (input === undefined || input === null) return undefined;
  const { Buffer } = require('buffer').api;
  if (typeof input === 'string') return Buffer.from(input, encoding);
  if (require('util_public').util.types.isArrayBufferView(input)) return input;
  throw errors.invalidArgType('options.stdio[0]', ['Buffer', 'TypedArray', 'DataView', 'string'], input, caller);
}

function readU32(bytes, at) {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

// Node's spawnSync: the child runs to its end while this process waits.
function spawnSync(file, args, options) {
  const n = normalize(file, args, options, spawnSync);
  options = n.options;
  validateTimeout(options.timeout, spawnSync);
  if (options.maxBuffer !== undefined && options.maxBuffer !== null && options.maxBuffer !== Infinity) {
    errors.validateInteger(options.maxBuffer, 'options.maxBuffer', 0, undefined, spawnSync);
  }
  const killSignal = options.killSignal === undefined ? 15 : toSignal(options.killSignal, spawnSync);
  const stdio = normalizeStdio(options.stdio, spawnSync)[0];
  const input = inputBytes(options.input, options.encoding, spawnSync);
  if (input !== undefined && stdio[0] !== 'pipe') stdio[0] = 'pipe';
  const spec = JSONStringify({ file: n.file, args: n.args, cwd: n.cwd, env: n.envPairs, stdio });
  const maxBuffer = options.maxBuffer === undefined || options.maxBuffer === null ? 1024 * 1024 : options.maxBuffer;
  const r = native.proc_spawn_sync(spec, input, options.timeout > 0 ? options.timeout : 0, maxBuffer, killSignal);
  const { Buffer } = require('buffer').api;
  const encoding = options.encoding && options.encoding !== 'buffer' && Buffer.isEncoding(options.encoding) ? options.encoding : null;
  if (r === FAILED) {
    const e = ops.opError(undefined);
    if (e.code === 'ERR_INVALID_ARG_VALUE') throw e;
    const errno = typeof e.errno === 'number' ? e.errno : -11;
    const error = errnoError(errno, `spawnSync ${n.file}`);
    error.path = n.file;
    error.spawnargs = ArrayPrototypeSlice(n.spawnargs, 1);
    return { error, status: null, signal: null, output: null, pid: 0, stdout: null, stderr: null };
  }
  const bytes = r;
  const jsonLen = readU32(bytes, 0);
  const info = require('primordials').JSONParse(Buffer.from(TypedArrayPrototypeSubarray(bytes, 4, 4 + jsonLen)).toString());
  let at = 4 + jsonLen;
  const output = [null];
  for (let i = 0; i < 2; i++) {
    const len = readU32(bytes, at);
    at += 4;
    if (len === 0xffffffff) { ArrayPrototypePush(output, null); continue; }
    // A view of the op's bytes, not a copy: the output counts once.
    const b = Buffer.from(TypedArrayPrototypeGetBuffer(bytes), TypedArrayPrototypeGetByteOffset(bytes) + at, len);
    at += len;
    ArrayPrototypePush(output, encoding ? b.toString(encoding) : b);
  }
  const result = {
    status: info.status,
    signal: info.signal === null ? null : signalName(info.signal),
    output,
    pid: info.pid,
    stdout: output[1],
    stderr: output[2],
  };
  if (info.error !== null) {
    const errno = info.error === 'ETIMEDOUT' ? -110 : -105;
    result.error = errnoError(errno, `spawnSync ${n.file}`);
    result.error.path = n.file;
    result.error.spawnargs = ArrayPrototypeSlice(n.spawnargs, 1);
  }
  return result;
}

function checkExecSyncError(ret, args, cmd) {
  let err;
  if (ret.error) {
    err = ret.error;
    const keys = ObjectKeys(ret);
    for (let i = 0; i < keys.length; i++) err[keys[i]] = ret[keys[i]];
  } else if (ret.status !== 0) {
    let msg = 'Command failed: ';
    msg += cmd || ArrayPrototypeJoin(args, ' ');
    if (ret.stderr && ret.stderr.length > 0) msg += `\n${ret.stderr.toString()}`;
    err = new ErrorCtor(msg);
    const keys = ObjectKeys(ret);
    for (let i = 0; i < keys.length; i++) err[keys[i]] = ret[keys[i]];
  }
  return err;
}

function execFileSync(file, args, options) {
  if (args !== null && typeof args === 'object' && !ArrayIsArray(args)) { options = args; args = []; }
  if (args === undefined || args === null) args = [];
  options = { __proto__: null, ...options };
  const inheritStderr = !options.stdio;
  const ret = spawnSync(file, args, options);
  if (inheritStderr && ret.stderr) require('process').getProcess().stderr.write(ret.stderr);
  const err = checkExecSyncError(ret, SafeArrayConcat([options.argv0 || file], args), undefined);
  if (err) throw err;
  return ret.stdout;
}

function execSync(command, options) {
  errors.validateString(command, 'command', execSync);
  options = { __proto__: null, ...options };
  options.shell = typeof options.shell === 'string' ? options.shell : true;
  const inheritStderr = !options.stdio;
  const ret = spawnSync(command, [], options);
  if (inheritStderr && ret.stderr) require('process').getProcess().stderr.write(ret.stderr);
  const err = checkExecSyncError(ret, undefined, command);
  if (err) throw err;
  return ret.stdout;
}

// Node's fork: a node child running `modulePath`, with an IPC channel.
function fork(modulePath, args, options) {
  if (typeof modulePath === 'object' && modulePath !== null && require('url').isURL(modulePath)) {
    modulePath = require('url').fileURLToPath(modulePath);
  }
  if (typeof modulePath !== 'string') throw errors.invalidArgType('modulePath', ['string', 'Buffer', 'URL'], modulePath, fork);
  if (args !== null && typeof args === 'object' && !ArrayIsArray(args)) { options = args; args = []; }
  if (args === undefined || args === null) args = [];
  if (!ArrayIsArray(args)) throw errors.invalidArgType('args', 'Array', args, fork);
  options = { __proto__: null, ...options };
  const execArgv = options.execArgv || require('process').getProcess().execArgv;
  args = SafeArrayConcat(SafeArrayConcat(execArgv, [modulePath]), args);
  if (typeof options.stdio === 'string') {
    options.stdio = [options.stdio, options.stdio, options.stdio, 'ipc'];
  } else if (!ArrayIsArray(options.stdio)) {
    options.stdio = options.silent ? ['pipe', 'pipe', 'pipe', 'ipc'] : [0, 1, 2, 'ipc'];
  } else if (!ArrayPrototypeIncludes(options.stdio, 'ipc')) {
    throw errors.makeNodeError(ErrorCtor, 'ERR_CHILD_PROCESS_IPC_REQUIRED',
      "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio", fork);
  }
  return spawn(options.execPath || require('process').getProcess().execPath, args, options);
}

function unsupported(name) {
  return function unsupportedForm() {
    const err = new ErrorCtor(`child_process.${name} is not supported in this sandbox yet`);
    errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
    throw err;
  };
}

const api = {
  _forkChild: unsupported('_forkChild'),
  ChildProcess,
  exec,
  execFile,
  execFileSync,
  execSync,
  fork,
  spawn,
  spawnSync,
};

// exec/execFile promisified give { stdout, stderr }, as Node's do.
const customPromisify = require('util_public').util.promisify.custom;
function definePromisified(fn) {
  ObjectDefineProperty(fn, customPromisify, {
    __proto__: null,
    enumerable: false,
    value: function promisified(...args) {
      let child;
      const p = new PromiseCtor((resolve, reject) => {
        child = ReflectApply(fn, undefined, SafeArrayConcat(args, [(err, stdout, stderr) => {
          if (err !== null) { err.stdout = stdout; err.stderr = stderr; reject(err); }
          else resolve({ stdout, stderr });
        }]));
      });
      p.child = child;
      return p;
    },
  });
}
definePromisified(exec);
definePromisified(execFile);

exports.api = api;
exports.ChildProcess = ChildProcess;
exports.setupChannel = setupChannel;
