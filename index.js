'use strict'
// The public API of secure-exec. The native addon (found by addon.js) does
// the work; this file gives it Node's shapes: a class, options checked
// like Node checks them, typed errors, strings instead of bytes.
const { join, resolve } = require('node:path')

const binding = require('./addon.js').loadAddon()
// The first sidecar (a second Node.js process) starts now, while this
// process loads the rest and the caller's code: most of the wait for a new
// process's first result is that start. It never keeps this process alive.
binding.prestartSidecar()

const { deserialize, Deserializer, Serializer } = require('node:v8')
const { types } = require('node:util')

/** Base class of every error secure-exec raises for a call. */
class SandboxError extends Error {
  constructor(message, props = {}) {
    super(message)
    Object.defineProperty(this, 'name', { value: new.target.name, writable: true, configurable: true })
    Object.assign(this, props)
  }
}
class GuestError extends SandboxError {}
class TimeoutError extends SandboxError {}
class MemoryLimitError extends SandboxError {}
class RuntimeDisposedError extends SandboxError {
  constructor(message = 'The runtime has been disposed', props = {}) {
    super(message, { code: 'ERR_SANDBOX_DISPOSED', ...props })
  }
}
class SidecarCrashedError extends SandboxError {}
class AbortError extends SandboxError {}
class ContextClosedError extends SandboxError {
  constructor(message = 'The context has ended: it was closed', props = {}) {
    super(message, { code: 'ERR_SANDBOX_CONTEXT_CLOSED', ...props })
  }
}

function invalidArgType(name, expected, value) {
  const got = value === null ? 'null' : typeof value === 'object' ? `an instance of ${value.constructor?.name ?? 'Object'}` : `type ${typeof value} (${String(value)})`
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${got}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

// Native errors carry their code as a "[CODE] " prefix of the message.
function liftNativeError(e) {
  const m = /^\[([A-Z0-9_]+)\] ([\s\S]*)$/.exec(e?.message ?? '')
  if (!m) return e
  const Ctor = m[1] === 'ERR_OUT_OF_RANGE' || m[1] === 'ERR_SANDBOX_TOO_MANY_CONTEXTS' ? RangeError : m[1] === 'ERR_INVALID_ARG_VALUE' ? TypeError : Error
  if (m[1] === 'ERR_SANDBOX_CRASHED' || m[1] === 'ERR_SANDBOX_START') return new SidecarCrashedError(m[2], { code: m[1] })
  if (m[1] === 'ERR_SANDBOX_DISPOSED') return new RuntimeDisposedError(m[2])
  if (m[1] === 'ERR_SANDBOX_CONTEXT_START') return new SandboxError(m[2], { code: m[1] })
  return Object.assign(new Ctor(m[2]), { code: m[1] })
}

// The value bytes come from the sidecar's own serializer; anything it
// cannot read back is a typed error, never a raw exception from node:v8.
function decodeValue(bytes, o) {
  try {
    return deserialize(bytes)
  } catch (cause) {
    throw new SandboxError('The sandbox returned a value that could not be decoded', {
      code: 'ERR_SANDBOX_INVALID_RESULT',
      cause,
      stdout: decoder.decode(o.stdout),
      stderr: decoder.decode(o.stderr),
      exitCode: o.code,
    })
  }
}

// A call's streamed output on its way to the listener: one chunk per turn
// of the host's event loop, so a slow listener cannot starve other work,
// and each chunk acknowledged once taken (the sidecar sends more only then).
class OutputQueue {
  #handle
  #listener
  #chunks = []
  #scheduled = false
  #onDrained = null

  constructor(handle, listener) {
    this.#handle = handle
    this.#listener = listener
  }

  push(chunk) {
    if (chunk.fd === 0) return // the end-of-output marker
    this.#chunks.push(chunk)
    this.#schedule()
  }

  drained() {
    if (this.#chunks.length === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.#onDrained = resolve
    })
  }

  #schedule() {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => this.#deliver())
  }

  #deliver() {
    this.#scheduled = false
    const chunk = this.#chunks.shift()
    if (chunk === undefined) return
    try {
      this.#listener({ stream: chunk.fd === 1 ? 'stdout' : 'stderr', data: chunk.data })
    } catch {
      // A throwing listener must not break the call.
    }
    binding.ackOutput(this.#handle, chunk.credit)
    if (this.#chunks.length > 0) this.#schedule()
    else if (this.#onDrained) {
      const done = this.#onDrained
      this.#onDrained = null
      done()
    }
  }
}

// src/kernel/limits.rs DEFAULT_WALL_TIME_MS: which limit ended a call.
const DEFAULT_WALL_TIME_MS = 60_000
const LIMIT_NAMES = ['memoryMb', 'cpuTimeMs', 'wallTimeMs', 'maxOutputBytes', 'maxFsBytes', 'maxFileSize', 'maxOpenFiles', 'maxPathLength',
  'maxSockets', 'maxProcesses', 'maxNetworkBytes', 'connectTimeoutMs']

// A runtime dropped without dispose() still frees its sidecar once collected.
const finalizer = new FinalizationRegistry((handle) => {
  binding.disposeRuntime(handle).catch(() => {})
})

const decoder = new TextDecoder()

// V8's own structured clone format, which the guest's engine reads: Node's
// default serializer would write typed arrays as Node host objects. V8
// writes an Error's stack too: an Error among the values goes out with a
// stack of its name and message only, as a thrown one does (the host's
// frames and paths stay here).
function cloneOut(value) {
  const buf = serialize(value)
  if (!mayHoldError(value)) return buf
  // Stripped on a copy made from what was written: the host's own objects
  // stay untouched, and a getter read twice cannot change what is sent.
  const des = new Deserializer(buf)
  des.readHeader()
  const copy = des.readValue()
  stripStacks(copy)
  return serialize(copy)
}

function serialize(value) {
  const ser = new Serializer()
  ser.writeHeader()
  ser.writeValue(value)
  return ser.releaseBuffer()
}

// Whether the value graph may hold an Error (a Proxy may hide one). Arrays
// are walked by index: their named properties are not looked at.
function mayHoldError(value) {
  const seen = new Set()
  const todo = [value]
  const add = (x) => {
    if (x !== null && typeof x === 'object') todo.push(x)
  }
  while (todo.length > 0) {
    const o = todo.pop()
    if (seen.has(o)) continue
    seen.add(o)
    if (types.isNativeError(o) || types.isProxy(o)) return true
    if (ArrayBuffer.isView(o) || types.isAnyArrayBuffer(o)) continue
    if (types.isMap(o)) {
      for (const [k, v] of o) add(k), add(v)
    } else if (types.isSet(o)) {
      for (const v of o) add(v)
    } else if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) add(o[i])
    } else {
      for (const v of Object.values(o)) add(v)
    }
  }
  return false
}

// On a freshly deserialized copy (plain data, no getters): every Error's
// stack becomes "name: message", its cause included.
function stripStacks(value) {
  const seen = new Set()
  const todo = [value]
  while (todo.length > 0) {
    const o = todo.pop()
    if (o === null || typeof o !== 'object' || seen.has(o)) continue
    seen.add(o)
    if (ArrayBuffer.isView(o) || types.isAnyArrayBuffer(o)) continue
    if (types.isNativeError(o)) {
      Object.defineProperty(o, 'stack', { value: `${o.name}: ${o.message}`, writable: true, configurable: true })
      if (Object.hasOwn(o, 'cause')) todo.push(o.cause)
    } else if (types.isMap(o)) {
      for (const [k, v] of o) todo.push(k, v)
    } else if (types.isSet(o)) {
      for (const v of o) todo.push(v)
    } else {
      for (const k of Object.keys(o)) todo.push(o[k])
    }
  }
}

// A guest called host tool `q.name`: runs it on this thread and answers
// with its result (structured-cloned) or its error (name, message, code;
// the host's stack stays here).
async function answerToolQuery(tools, q) {
  let value
  try {
    const fn = Object.hasOwn(tools, q.name) ? tools[q.name] : undefined
    if (typeof fn !== 'function') throw Object.assign(new Error(`No host tool named "${q.name}"`), { code: 'ERR_SANDBOX_UNKNOWN_TOOL' })
    value = cloneOut(await fn(deserialize(q.args)))
  } catch (e) {
    const err = e !== null && typeof e === 'object' ? e : { message: String(e) }
    binding.answerQuery(
      q.token,
      null,
      typeof err.name === 'string' ? err.name : 'Error',
      typeof err.message === 'string' ? err.message : String(e),
      typeof err.code === 'string' ? err.code : null,
    )
    return
  }
  binding.answerQuery(q.token, value, null, null, null)
}

function invalidArgValue(name, reason, value) {
  let shown
  try {
    shown = JSON.stringify(value)
  } catch {
    shown = String(value)
  }
  const err = new TypeError(`The property '${name}' ${reason}. Received ${shown}`)
  err.code = 'ERR_INVALID_ARG_VALUE'
  return err
}

// Scope name in `permissions` → field of the Rust PolicySpec.
const SCOPES = { fs: 'fs', network: 'network', childProcess: 'child_process', process: 'process', env: 'env', tool: 'tool' }

function stringList(name, v) {
  if (!Array.isArray(v)) throw invalidArgType(name, 'an instance of Array', v)
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string') throw invalidArgType(`${name}[${i}]`, 'of type string', v[i])
  }
  return [...v]
}

// `create({ permissions })` as the Rust policy reads it, and the host
// functions by scope. Rules themselves (globs, paths) are checked in Rust.
function compilePermissions(permissions) {
  const spec = {}
  const fns = {}
  if (permissions === undefined) return { spec, fns }
  if (permissions === null || typeof permissions !== 'object') throw invalidArgType('options.permissions', 'of type object', permissions)
  for (const scope of Object.keys(permissions)) {
    const name = `options.permissions.${scope}`
    const v = permissions[scope]
    if (!Object.hasOwn(SCOPES, scope)) {
      throw invalidArgValue(name, `is not a permission scope (one of ${Object.keys(SCOPES).join(', ')})`, v)
    }
    let rule
    if (v === undefined) continue
    if (v === 'allow' || v === true) rule = 'Allow'
    else if (v === 'deny' || v === false) rule = 'Deny'
    else if (typeof v === 'function') {
      fns[scope] = v
      rule = 'Host'
    } else if (scope === 'fs' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of Object.keys(v)) {
        if (k !== 'read' && k !== 'write') throw invalidArgValue(`${name}.${k}`, 'is not an fs rule list (read or write)', v[k])
      }
      rule = { Paths: { read: stringList(`${name}.read`, v.read ?? []), write: stringList(`${name}.write`, v.write ?? []) } }
    } else if (scope === 'network' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of Object.keys(v)) {
        if (k !== 'allow' && k !== 'deny') throw invalidArgValue(`${name}.${k}`, 'is not a network rule list (allow or deny)', v[k])
      }
      rule = { Hosts: { allow: stringList(`${name}.allow`, v.allow ?? []), deny: stringList(`${name}.deny`, v.deny ?? []) } }
    } else if ((scope === 'env' || scope === 'tool') && Array.isArray(v)) {
      rule = { Names: stringList(name, v) }
    } else {
      const shapes = scope === 'fs' ? ', { read, write }' : scope === 'network' ? ', { allow, deny }' : scope === 'env' || scope === 'tool' ? ', an array of names' : ''
      throw invalidArgValue(name, `must be "allow", "deny", a boolean${shapes} or a function`, v)
    }
    spec[SCOPES[scope]] = rule
  }
  return { spec, fns }
}

// `mounts` and the `moduleAccess` shorthand as one list; the shapes are
// checked here, paths and overlaps in Rust (the host opens each directory
// at create()).
function compileMounts(mounts = [], moduleAccess) {
  if (!Array.isArray(mounts)) throw invalidArgType('options.mounts', 'an instance of Array', mounts)
  const out = mounts.map((m, i) => {
    if (m === null || typeof m !== 'object') throw invalidArgType(`options.mounts[${i}]`, 'of type object', m)
    if (typeof m.hostPath !== 'string') throw invalidArgType(`options.mounts[${i}].hostPath`, 'of type string', m.hostPath)
    if (typeof m.guestPath !== 'string') throw invalidArgType(`options.mounts[${i}].guestPath`, 'of type string', m.guestPath)
    if (m.readOnly !== undefined && typeof m.readOnly !== 'boolean') throw invalidArgType(`options.mounts[${i}].readOnly`, 'of type boolean', m.readOnly)
    return { hostPath: resolve(m.hostPath), guestPath: m.guestPath, readOnly: m.readOnly !== false }
  })
  if (moduleAccess !== undefined) {
    if (moduleAccess === null || typeof moduleAccess !== 'object') throw invalidArgType('options.moduleAccess', 'of type object', moduleAccess)
    const { cwd = process.cwd(), guestPath = '/workspace/node_modules' } = moduleAccess
    if (typeof cwd !== 'string') throw invalidArgType('options.moduleAccess.cwd', 'of type string', cwd)
    if (typeof guestPath !== 'string') throw invalidArgType('options.moduleAccess.guestPath', 'of type string', guestPath)
    out.push({ hostPath: join(resolve(cwd), 'node_modules'), guestPath, readOnly: true })
  }
  return out
}

// A host permission function's answer for the guest: allowed, and whether
// the answer may be kept for the rest of the call. A throw denies.
async function answerPermissionQuery(fns, q) {
  let allowed = false
  let cache = false
  try {
    const request = JSON.parse(q.json)
    const fn = fns[request.scope]
    const r = await fn(request)
    if (r !== null && typeof r === 'object') {
      allowed = r.allow === true
      cache = r.cache === true
    } else {
      allowed = r === true
    }
  } catch {
    allowed = false
  }
  binding.answerQuery(q.token, Buffer.from([allowed ? 1 : 0, cache ? 1 : 0]), null, null, null)
}

function deliverAudit(onAudit, q) {
  try {
    onAudit(JSON.parse(q.json))
  } catch {
    // A throwing listener must not break the guest's call.
  }
}

const S_IFMT = 0o170000

/** What `rt.fs.stat()` resolves: the fields and predicates of Node's fs.Stats. */
class FileStat {
  constructor(v) {
    const ms = (s, ns) => s * 1e3 + ns / 1e6
    Object.assign(this, {
      dev: v[0], mode: v[1], nlink: v[2], uid: v[3], gid: v[4], rdev: v[5], blksize: v[6], ino: v[7], size: v[8], blocks: v[9],
      atimeMs: ms(v[10], v[11]), mtimeMs: ms(v[12], v[13]), ctimeMs: ms(v[14], v[15]), birthtimeMs: ms(v[16], v[17]),
    })
    this.atime = new Date(this.atimeMs)
    this.mtime = new Date(this.mtimeMs)
    this.ctime = new Date(this.ctimeMs)
    this.birthtime = new Date(this.birthtimeMs)
  }
  isFile() { return (this.mode & S_IFMT) === 0o100000 }
  isDirectory() { return (this.mode & S_IFMT) === 0o040000 }
  isSymbolicLink() { return (this.mode & S_IFMT) === 0o120000 }
  isCharacterDevice() { return (this.mode & S_IFMT) === 0o020000 }
  isBlockDevice() { return false }
  isFIFO() { return false }
  isSocket() { return false }
}

// `rt.fs`: the runtime's filesystem from the host, as the guest user sees
// it (same errors), without the runtime's permission policy.
class RuntimeFs {
  #call
  constructor(call) {
    this.#call = call
  }

  async #do(op, path, extra = {}, caller) {
    if (typeof path !== 'string') throw invalidArgType('path', 'of type string', path)
    const r = await this.#call({ op, path, ...extra })
    if (r.errorMessage !== undefined && r.errorMessage !== null) {
      const err = new Error(r.errorMessage)
      Object.assign(err, { errno: r.errorErrno, code: r.errorCode, syscall: r.errorSyscall })
      if (r.errorPath !== undefined && r.errorPath !== null) err.path = r.errorPath
      Error.captureStackTrace(err, caller)
      throw err
    }
    return r
  }

  /** The file's bytes (a Buffer), or its text with `encoding`. */
  async readFile(path, options) {
    const encoding = typeof options === 'string' ? options : options?.encoding
    const r = await this.#do('readFile', path, {}, this.readFile)
    return encoding ? r.bytes.toString(encoding) : r.bytes
  }

  /** Creates or replaces the file (as the guest user, mode 0644). */
  async writeFile(path, data, options) {
    const encoding = typeof options === 'string' ? options : options?.encoding ?? 'utf8'
    let bytes
    if (typeof data === 'string') bytes = Buffer.from(data, encoding)
    else if (ArrayBuffer.isView(data)) bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    else throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data)
    await this.#do('writeFile', path, { data: bytes }, this.writeFile)
  }

  /** Like fs.mkdir: with `recursive`, resolves the first directory made. */
  async mkdir(path, options) {
    const r = await this.#do('mkdir', path, { recursive: options?.recursive === true }, this.mkdir)
    return r.created ?? undefined
  }

  async readdir(path) {
    return (await this.#do('readdir', path, {}, this.readdir)).names
  }

  async stat(path) {
    return new FileStat((await this.#do('stat', path, {}, this.stat)).stat)
  }

  async rm(path, options) {
    await this.#do('rm', path, { recursive: options?.recursive === true, force: options?.force === true }, this.rm)
  }

  async exists(path) {
    return (await this.#do('exists', path, {}, this.exists)).flag === true
  }
}

// `options.typescript` → the Rust TypeScriptConfig (kernel::typescript).
const JSX_MODES = { react: 'React', 'react-jsx': 'ReactJsx', 'react-jsxdev': 'ReactJsxDev' }
const QUALIFIED_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/

function compileTypeScript(ts) {
  if (ts === undefined) return undefined
  if (ts === null || typeof ts !== 'object') throw invalidArgType('options.typescript', 'of type object', ts)
  const jsx = ts.jsx ?? 'react'
  if (typeof jsx !== 'string' || !Object.hasOwn(JSX_MODES, jsx)) {
    throw invalidArgValue('options.typescript.jsx', "must be one of: 'react', 'react-jsx', 'react-jsxdev'", jsx)
  }
  const out = { jsx: JSX_MODES[jsx], jsx_factory: null, jsx_fragment_factory: null, jsx_import_source: null }
  for (const [key, field] of [['jsxFactory', 'jsx_factory'], ['jsxFragmentFactory', 'jsx_fragment_factory']]) {
    const v = ts[key]
    if (v === undefined) continue
    if (typeof v !== 'string') throw invalidArgType(`options.typescript.${key}`, 'of type string', v)
    if (!QUALIFIED_NAME.test(v) || v.length > 256) {
      throw invalidArgValue(`options.typescript.${key}`, 'must be an identifier or a dotted name such as "React.createElement"', v)
    }
    out[field] = v
  }
  const source = ts.jsxImportSource
  if (source !== undefined) {
    if (typeof source !== 'string') throw invalidArgType('options.typescript.jsxImportSource', 'of type string', source)
    if (source === '' || source.length > 256 || /[\s\0]/.test(source)) {
      throw invalidArgValue('options.typescript.jsxImportSource', 'must be a module name', source)
    }
    out.jsx_import_source = source
  }
  for (const [key, field] of [['experimentalDecorators', 'experimental_decorators'], ['emitDecoratorMetadata', 'emit_decorator_metadata']]) {
    const v = ts[key] ?? false
    if (typeof v !== 'boolean') throw invalidArgType(`options.typescript.${key}`, 'of type boolean', v)
    out[field] = v
  }
  return out
}

// Calls of a runtime waiting for their outcome from `binding.submit`, which
// arrives through the runtime's `onDone`. That function does not keep the
// event loop alive (an idle runtime must not), so a timer does while any
// call is pending.
class PendingCalls {
  #waiting = new Map()
  #keepAlive = null

  add(req, resolve) {
    this.#waiting.set(req, resolve)
    if (this.#keepAlive === null) this.#keepAlive = setInterval(() => {}, 2 ** 30)
  }

  settle(done) {
    const resolve = this.#waiting.get(done.req)
    if (resolve === undefined) return
    this.#waiting.delete(done.req)
    if (this.#waiting.size === 0) {
      clearInterval(this.#keepAlive)
      this.#keepAlive = null
    }
    resolve(done.outcome)
  }
}

// How a call ended, as the typed error it rejects with (null: it did not fail).
function errorOf(o, options, wallTimeMs) {
  const out = { stdout: decoder.decode(o.stdout), stderr: decoder.decode(o.stderr), exitCode: o.code }
  switch (o.kind) {
    case 'normal':
    case 'exit':
    case 'unsettledAwait':
      return null
    case 'uncaught': {
      const err = new GuestError(o.errorMessage ?? '', {
        code: o.errorCode ?? 'ERR_SANDBOX_GUEST_ERROR',
        guestName: o.errorName ?? 'Error',
        ...out,
      })
      Object.defineProperty(err, 'name', { value: o.errorName || 'Error', writable: true, configurable: true })
      if (o.errorStack) err.stack = o.errorStack
      return err
    }
    case 'wallTimeout':
    case 'cpuTimeout': {
      // A call's timeoutMs is capped by the runtime's wallTimeMs: name the smaller.
      const t = options.timeoutMs
      const limit = o.kind === 'cpuTimeout' ? 'cpuTimeMs' : t !== undefined && !(t > wallTimeMs) ? 'timeoutMs' : 'wallTimeMs'
      return new TimeoutError(`Script execution timed out (${limit} limit reached)`, { code: 'ERR_SANDBOX_TIMEOUT', limit, ...out })
    }
    case 'memoryLimit':
      return new MemoryLimitError('Script execution exceeded the memory limit (memoryMb)', {
        code: 'ERR_SANDBOX_MEMORY_LIMIT',
        ...out,
      })
    case 'aborted':
      return new AbortError('The operation was aborted', { code: 'ABORT_ERR', ...out })
    case 'disposed':
      return new RuntimeDisposedError(o.errorMessage, out)
    case 'crashed':
      return new SidecarCrashedError(o.errorMessage ?? 'The sandbox sidecar crashed', { code: 'ERR_SANDBOX_CRASHED', ...out })
    case 'contextClosed':
      return new ContextClosedError(o.errorMessage, out)
    default:
      return new SandboxError(o.errorMessage ?? 'Internal sandbox failure', { code: o.errorCode ?? 'ERR_SANDBOX_INTERNAL', ...out })
  }
}

// What run() resolves, or throws.
function runResult(o, options, wallTimeMs) {
  const error = errorOf(o, options, wallTimeMs)
  if (error) throw error
  const result = {
    value: o.value ? decodeValue(o.value, o) : undefined,
    code: o.code,
    stdout: decoder.decode(o.stdout),
    stderr: decoder.decode(o.stderr),
    stdoutTruncated: o.stdoutTruncated,
    stderrTruncated: o.stderrTruncated,
  }
  if (o.exports) result.exports = decodeValue(o.exports, o)
  return result
}

// What exec() resolves: every guest outcome; the sandbox's own failures throw.
function execResult(o, options, wallTimeMs) {
  const error = errorOf(o, options, wallTimeMs)
  if (o.kind === 'crashed' || o.kind === 'disposed' || o.kind === 'internal' || o.kind === 'contextClosed') throw error
  const r = {
    code: o.code,
    stdout: decoder.decode(o.stdout),
    stderr: decoder.decode(o.stderr),
    stdoutTruncated: o.stdoutTruncated,
    stderrTruncated: o.stderrTruncated,
  }
  if (error) r.error = error
  return r
}

// Marks the outcome of a call that never started (aborted before its turn).
const NOT_STARTED = 'ERR_SANDBOX_NOT_STARTED'

// One call through the binding. Without a listener it is submitted:
// `submit(req)` sends it (or puts it in line) from this thread and returns
// an outcome only when there is nothing to wait for; the outcome otherwise
// comes through the runtime's `onDone`. With one, it takes its place in
// line now and runs as a task (`execute(req, stdioCb)`), every output
// chunk reaching `onStdio` before it settles. An aborted `signal` cancels it.
async function callNative(handle, calls, signal, onStdio, submit, execute) {
  if (signal?.aborted) {
    return { kind: 'aborted', code: 130, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), errorMessage: 'The operation was aborted', errorCode: NOT_STARTED }
  }
  const req = binding.nextRequestId()
  const onAbort = () => binding.cancel(handle, req)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    if (onStdio === undefined) {
      return await new Promise((resolve, reject) => {
        let now
        try {
          now = submit(req)
        } catch (e) {
          reject(e)
          return
        }
        if (now != null) resolve(now)
        else calls.add(req, resolve)
      })
    }
    const output = new OutputQueue(handle, onStdio)
    // In line now, in the order calls are made (the call itself is a task).
    binding.reserveTurn(handle, req)
    const outcome = await execute(req, (chunk) => output.push(chunk))
    // Every chunk is handed to the listener before the call settles.
    await output.drained()
    return outcome
  } catch (e) {
    throw liftNativeError(e)
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

// A persistent context's calls are JavaScript: a TypeScript name would
// promise a transform that does not happen.
function checkScriptName(filePath) {
  if (typeof filePath !== 'string') throw invalidArgType('options.filePath', 'of type string', filePath)
  if (/\.(ts|tsx|mts|cts)$/.test(filePath)) {
    throw invalidArgValue('options.filePath', 'must name a JavaScript file (the calls of a context are JavaScript; TypeScript files can be required)', filePath)
  }
}

function checkSignal(signal) {
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'an instance of AbortSignal', signal)
}

// `env` as the guest gets it: strings, in an object without a prototype
// (a key named __proto__ must stay an ordinary variable).
function envStrings(env) {
  if (env === null || typeof env !== 'object') throw invalidArgType('options.env', 'of type object', env)
  const out = Object.create(null)
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined) out[k] = String(v)
  }
  return out
}

// A context collected without close() still frees its guest process.
const contextFinalizer = new FinalizationRegistry(({ handle, id, state, open }) => {
  open.delete(state)
  if (state.ended === null) binding.closeContext(handle, id)
})

/**
 * A guest process that lives across calls (`rt.createContext()`): each
 * call runs as a script in its global scope, so what one call declares the
 * next one sees. See index.d.ts.
 */
class GuestContext {
  #handle
  #id
  #runtimeOnStdio
  #filePath
  #wallTimeMs
  #onStdio
  // { ended: why, or null }: shared with the runtime, which ends it on dispose().
  #state
  #open
  #calls

  constructor(handle, native, options, runtimeOnStdio, open, calls) {
    if (handle === undefined) throw new TypeError('Use NodeRuntime.prototype.createContext() to make a context')
    this.#handle = handle
    this.#id = native.id
    this.#filePath = options.filePath
    this.#wallTimeMs = options.wallTimeMs
    this.#onStdio = options.onStdio
    this.#runtimeOnStdio = runtimeOnStdio
    this.#state = { ended: null }
    this.#open = open
    this.#calls = calls
    open.add(this.#state)
    contextFinalizer.register(this, { handle, id: native.id, state: this.#state, open }, this)
    Object.defineProperty(this, 'pid', { value: native.pid, enumerable: true })
  }

  /** True once the context has ended (closed, or ended by a call, the runtime or its sidecar). */
  get closed() {
    return this.#state.ended !== null
  }

  async run(code, options = {}) {
    return runResult(await this.#call(code, options), options, this.#wallTimeMs)
  }

  async exec(code, options = {}) {
    return execResult(await this.#call(code, options), options, this.#wallTimeMs)
  }

  async close() {
    this.#end('it was closed')
    binding.closeContext(this.#handle, this.#id)
  }

  async [Symbol.asyncDispose]() {
    await this.close()
  }

  #end(why) {
    if (this.#state.ended !== null) return
    this.#state.ended = why
    this.#open.delete(this.#state)
    contextFinalizer.unregister(this)
  }

  async #call(code, options) {
    if (typeof code !== 'string') throw invalidArgType('code', 'of type string', code)
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const { filePath = this.#filePath, timeoutMs, signal } = options
    checkScriptName(filePath)
    if (timeoutMs !== undefined && typeof timeoutMs !== 'number') throw invalidArgType('options.timeoutMs', 'of type number', timeoutMs)
    checkSignal(signal)
    const onStdio = options.onStdio ?? this.#onStdio ?? this.#runtimeOnStdio
    if (onStdio !== undefined && typeof onStdio !== 'function') throw invalidArgType('options.onStdio', 'of type function', onStdio)
    if (this.#state.ended !== null) throw new ContextClosedError(`The context has ended: ${this.#state.ended}`)
    const call = { code, filePath, timeoutMs }
    const o = await callNative(
      this.#handle,
      this.#calls,
      signal,
      onStdio,
      (req) => binding.contextSubmit(this.#handle, this.#id, req, call),
      (req, stdioCb) => binding.contextExecute(this.#handle, this.#id, req, call, stdioCb),
    )
    if (o.errorCode !== NOT_STARTED) {
      const why = CONTEXT_ENDINGS[o.kind]
      if (why !== undefined) this.#end(why)
      else if (o.kind === 'contextClosed') this.#end(/^The context has ended: (.*)$/s.exec(o.errorMessage ?? '')?.[1] ?? 'it ended')
    }
    return o
  }
}

// Outcomes of a call that end its context, and what later calls say.
const CONTEXT_ENDINGS = {
  __proto__: null,
  exit: 'the guest called process.exit()',
  wallTimeout: 'a call reached its time limit',
  cpuTimeout: 'a call reached its time limit',
  memoryLimit: 'a call reached the memory limit',
  aborted: 'a call was aborted',
  internal: 'a call failed in the sandbox',
  crashed: 'its sandbox sidecar process died',
  disposed: 'the runtime was disposed',
}

// ---- host connections to guest servers (rt.fetch, rt.network.expose) ----

// A write is sent in parts of this size.
const SEND_CHUNK = 64 * 1024
// The host's bytes sent to a guest and not yet taken by it: past it a write
// waits (the sidecar gives up past 4 MiB).
const BRIDGE_WINDOW = 1024 * 1024

// Sends a stream's writes a part at a time while fewer than `window` bytes
// are unacknowledged by the other side; once `fail(makeError)` says the
// other side is gone, writes end with its error.
function windowedSender(send, window) {
  let inflight = 0
  let out = null
  let failed = null
  const pump = () => {
    while (out !== null && (failed !== null || inflight < window)) {
      const { chunk, cb } = out
      if (failed !== null) {
        out = null
        cb(failed())
        return
      }
      const end = Math.min(chunk.length, out.offset + SEND_CHUNK)
      send(chunk.subarray(out.offset, end))
      inflight += end - out.offset
      out.offset = end
      if (end === chunk.length) {
        out = null
        cb()
      }
    }
  }
  return {
    write(chunk, cb) {
      out = { chunk, offset: 0, cb }
      pump()
    },
    acked(n) {
      inflight -= n
      pump()
    },
    fail(makeError) {
      failed = makeError
      pump()
    },
    get failed() {
      return failed !== null
    },
  }
}

/** A connection from the host to a guest server on a runtime's loopback, as
 * a Duplex that undici and `stream.pipeline` take for a socket. */
function bridgeSocket(handle, port, onOpen) {
  const { Duplex } = require('node:stream')
  let conn
  let keepAlive = setInterval(() => {}, 1 << 30)
  // The guest's bytes pushed but not yet wanted by the reader: acknowledged
  // (so the sidecar sends more) only when it asks for more.
  let unacked = 0
  // The host's bytes the guest has not taken yet.
  const sender = windowedSender((part) => conn.send(part, false), BRIDGE_WINDOW)
  const ack = () => {
    if (unacked > 0 && conn !== undefined) {
      conn.ack(unacked)
      unacked = 0
    }
  }
  const socket = new Duplex({
    read() {
      ack()
    },
    write(chunk, encoding, cb) {
      sender.write(chunk, cb)
    },
    final(cb) {
      conn.send(null, true)
      cb()
    },
    destroy(err, cb) {
      clearInterval(keepAlive)
      if (conn !== undefined) conn.send(null, false)
      cb(err)
    },
  })
  // As a net.Socket: undici refs it while a request is out, unrefs it idle.
  socket.ref = () => { keepAlive.ref(); return socket }
  socket.unref = () => { keepAlive.unref(); return socket }
  socket.setKeepAlive = () => socket
  socket.setNoDelay = () => socket
  socket.setTimeout = () => socket
  socket.remoteAddress = '127.0.0.1'
  socket.remotePort = port
  let opened = false
  conn = binding.bridgeOpen(handle, port, (ev) => {
    if (ev.kind === 'opened') {
      opened = true
      onOpen(null, socket)
    } else if (ev.kind === 'data') {
      unacked += ev.data.length
      if (socket.push(ev.data)) ack()
    } else if (ev.kind === 'ack') {
      sender.acked(ev.bytes)
    } else if (ev.kind === 'end') {
      socket.push(null)
    } else if (ev.kind === 'closed') {
      clearInterval(keepAlive)
      const m = ev.error ? /^(\w+) (E[A-Z]+)/.exec(ev.error) : null
      const err = ev.error ? Object.assign(new Error(ev.error), { code: m ? m[2] : 'ECONNRESET', syscall: m ? m[1] : 'read' }) : null
      if (!opened) {
        // Never connected: the error goes to whoever opened it.
        onOpen(err ?? Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED', syscall: 'connect' }), null)
        socket.destroy()
      } else if (err) {
        socket.destroy(err)
      } else {
        socket.push(null)
        socket.destroy()
      }
    }
  })
  return socket
}

// ---- processes the host starts outside calls (rt.spawn) ----

// The host's stdin bytes sent and not yet taken by the process: past it a
// write waits (the sidecar closes stdin past 4 MiB).
const PROC_WINDOW = 1024 * 1024
const PROC_TOKEN = Symbol('GuestProcess')
// A process's native handle, for the shell made over it.
const nativeOf = new WeakMap()

function signalNumber(signal) {
  const { signals } = require('node:os').constants
  if (typeof signal === 'number' && Number.isInteger(signal) && signal >= 0 && signal <= 64) return signal
  if (typeof signal === 'string' && typeof signals[signal] === 'number') return signals[signal]
  throw Object.assign(new TypeError(`Unknown signal: ${signal}`), { code: 'ERR_UNKNOWN_SIGNAL' })
}

function signalName(n) {
  const { signals } = require('node:os').constants
  return Object.keys(signals).find((k) => signals[k] === n) ?? `SIG${n}`
}

/** A process started by `rt.spawn()` (see index.d.ts). */
class GuestProcess {
  #native
  #state
  constructor(token, native, state) {
    if (token !== PROC_TOKEN) throw new TypeError('Use NodeRuntime.prototype.spawn() to start a process')
    this.#native = native
    this.#state = state
    Object.defineProperty(this, 'pid', { value: state.pid, enumerable: true })
    Object.defineProperty(this, 'stdin', { value: state.stdin, enumerable: true })
    Object.defineProperty(this, 'stdout', { value: state.stdout, enumerable: true })
    Object.defineProperty(this, 'stderr', { value: state.stderr, enumerable: true })
  }

  /** The exit code once the process has ended by itself, else null. */
  get exitCode() {
    return this.#state.exitCode
  }

  /** The name of the signal that ended the process, else null. */
  get signalCode() {
    return this.#state.signalCode
  }

  /** Settles once the process and its tree have ended and their output is all delivered. */
  wait() {
    return this.#state.exited
  }

  /** Sends `signal` (default SIGTERM); false once the process has ended. */
  kill(signal = 'SIGTERM') {
    const n = signalNumber(signal)
    if (this.#state.ended) return false
    if (n !== 0) this.#native.kill(n)
    return true
  }

  /** The host's event loop no longer waits for this process. */
  unref() {
    this.#state.keepAlive?.unref()
    return this
  }

  ref() {
    this.#state.keepAlive?.ref()
    return this
  }
}

/** A shell on a terminal, started by `rt.openShell()` (see index.d.ts). */
class GuestShell {
  #process
  #native
  #listeners = new Set()
  constructor(token, process, native) {
    if (token !== PROC_TOKEN) throw new TypeError('Use NodeRuntime.prototype.openShell() to open a shell')
    this.#process = process
    this.#native = native
    Object.defineProperty(this, 'pid', { value: process.pid, enumerable: true })
    // Kept until a listener takes it: what the shell writes first (its
    // prompt) is not lost before onData().
    process.stdout.pause()
    process.stdout.on('data', (chunk) => {
      for (const cb of this.#listeners) cb(chunk)
    })
  }

  /** Keystrokes for the terminal (a string is UTF-8). */
  write(data) {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw invalidArgType('data', 'of type string or an instance of Uint8Array', data)
    if (this.#process.exitCode !== null || this.#process.signalCode !== null) return
    this.#process.stdin.write(data)
  }

  /** Calls `cb` with each chunk the terminal shows; returns `{ dispose() }`. */
  onData(cb) {
    if (typeof cb !== 'function') throw invalidArgType('cb', 'of type function', cb)
    this.#listeners.add(cb)
    this.#process.stdout.resume()
    return {
      dispose: () => {
        this.#listeners.delete(cb)
        if (this.#listeners.size === 0) this.#process.stdout.pause()
      },
    }
  }

  /** The terminal's new size: its processes get SIGWINCH. */
  resize(cols, rows) {
    checkTtySize('cols', cols)
    checkTtySize('rows', rows)
    this.#native.resize(cols, rows)
  }

  /** Sends `signal` (default SIGHUP, as a closed terminal does); false once it has ended. */
  kill(signal = 'SIGHUP') {
    return this.#process.kill(signal)
  }

  /** Settles once the shell and what it started have ended, with how it ended. */
  wait() {
    return this.#process.wait()
  }

  unref() {
    this.#process.unref()
    return this
  }

  ref() {
    this.#process.ref()
    return this
  }
}

function checkTtySize(name, n) {
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw Object.assign(new RangeError(`The value of "${name}" is out of range. It must be an integer >= 1 && <= 10000. Received ${n}`), { code: 'ERR_OUT_OF_RANGE' })
  }
}

// Starts `file` in runtime `handle` and resolves once it runs; `open` holds
// the states of the runtime's live processes (dispose ends them).
async function spawnProcess(handle, open, file, args, options) {
  const { Readable, Writable } = require('node:stream')
  const state = {
    pid: undefined,
    exitCode: null,
    signalCode: null,
    ended: false,
    keepAlive: setInterval(() => {}, 1 << 30),
    stdin: null,
    stdout: null,
    stderr: null,
    exited: null,
    end: null,
  }
  let native = null
  let started
  const startedP = new Promise((resolve, reject) => { started = { resolve, reject } })
  // It may fail before it is awaited.
  startedP.catch(() => {})
  let settle
  state.exited = new Promise((resolve, reject) => { settle = { resolve, reject } })
  // Never an unhandled rejection: wait() hands the same promise out.
  state.exited.catch(() => {})
  // The process's output pushed but not yet wanted by a reader: acknowledged
  // (so the sidecar sends more) only when the reader asks for more.
  const unacked = [0, 0]
  const ack = (i) => {
    if (unacked[i] > 0 && native !== null) {
      native.ack(unacked[i])
      unacked[i] = 0
    }
  }
  state.stdout = new Readable({ read() { ack(0) } })
  state.stderr = new Readable({ read() { ack(1) } })
  // The host's stdin bytes: at most a window in flight (the stream is the
  // user's only once the process runs, and `native` is known).
  const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' })
  const sender = windowedSender((part) => native.write(part), PROC_WINDOW)
  state.stdin = new Writable({
    write(chunk, encoding, cb) {
      sender.write(chunk, cb)
    },
    final(cb) {
      if (!sender.failed) native?.end()
      cb()
    },
  })
  // A process that stops reading its stdin must not end the host: the error
  // reaches the write's callback and any listener, never an unhandled event.
  state.stdin.on('error', () => {})
  state.end = (result, error) => {
    if (state.ended) return
    state.ended = true
    open.delete(state)
    clearInterval(state.keepAlive)
    sender.fail(epipe)
    state.stdout.push(null)
    state.stderr.push(null)
    if (error) {
      started.reject(error)
      settle.reject(error)
    } else {
      settle.resolve(result)
    }
  }
  const onEvent = (ev) => {
    // Ended already (disposed, crashed): nothing more is delivered.
    if (state.ended) return
    switch (ev.kind) {
      case 'started':
        state.pid = ev.pid
        started.resolve()
        break
      case 'failed': {
        const err = Object.assign(new Error(ev.error), {
          errno: -(require('node:os').constants.errno[ev.errorCode] ?? 0),
          code: ev.errorCode,
          syscall: `spawn ${file}`,
          path: file,
          spawnargs: args,
        })
        if (ev.errorCode === 'ERR_SANDBOX_DISPOSED') state.end(null, new RuntimeDisposedError())
        else state.end(null, err)
        break
      }
      case 'data': {
        const i = ev.stream - 1
        unacked[i] += ev.data.length
        if ((i === 0 ? state.stdout : state.stderr).push(ev.data)) ack(i)
        break
      }
      case 'ack':
        sender.acked(ev.bytes)
        break
      case 'stdinClosed':
        sender.fail(epipe)
        break
      case 'exit':
        state.exitCode = ev.signal == null ? ev.code : null
        state.signalCode = ev.signal == null ? null : signalName(ev.signal)
        state.end({ exitCode: state.exitCode, signalCode: state.signalCode })
        break
      case 'crashed':
        state.end(null, new SidecarCrashedError(ev.error, { code: 'ERR_SANDBOX_CRASHED' }))
        break
    }
  }
  open.add(state)
  try {
    native = await binding.procSpawn(handle, { file, args, env: options.env, cwd: options.cwd, timeoutMs: options.timeoutMs, tty: options.tty }, onEvent)
  } catch (e) {
    state.end(null, liftNativeError(e))
  }
  await startedP
  const proc = new GuestProcess(PROC_TOKEN, native, state)
  nativeOf.set(proc, native)
  return proc
}

class NodeRuntime {
  #handle
  #options
  #wallTimeMs
  #calls
  #disposed = null
  #running = new Set()
  #contexts = new Set()
  #fs
  #dispatcher
  #network
  #exposed = new Set()
  #processes = new Set()

  constructor(handle, options, calls, wallTimeMs) {
    if (handle === undefined) throw new TypeError('Use NodeRuntime.create() to make a runtime')
    this.#handle = handle
    this.#options = options
    this.#wallTimeMs = wallTimeMs
    this.#calls = calls
    finalizer.register(this, handle, this)
  }

  static async create(options = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const limits = options.limits ?? {}
    if (typeof limits !== 'object') throw invalidArgType('options.limits', 'of type object', limits)
    // A misspelt limit would leave the default in force without a word.
    for (const k of Object.keys(limits)) {
      if (!LIMIT_NAMES.includes(k)) throw invalidArgValue(`options.limits.${k}`, `is not a limit (one of ${LIMIT_NAMES.join(', ')})`, limits[k])
    }
    for (const k of LIMIT_NAMES) {
      if (limits[k] !== undefined && typeof limits[k] !== 'number') throw invalidArgType(`options.limits.${k}`, 'of type number', limits[k])
    }
    if (options.onStdio !== undefined && typeof options.onStdio !== 'function') {
      throw invalidArgType('options.onStdio', 'of type function', options.onStdio)
    }
    const sidecar = options.sidecar ?? 'dedicated'
    if (sidecar !== 'dedicated' && sidecar !== 'shared') {
      const err = new TypeError(`The property 'options.sidecar' must be one of: 'dedicated', 'shared'. Received '${sidecar}'`)
      err.code = 'ERR_INVALID_ARG_VALUE'
      throw err
    }
    const timing = options.timingMitigation ?? 'none'
    if (timing !== 'none' && timing !== 'freeze') {
      const err = new TypeError(`The property 'options.timingMitigation' must be one of: 'none', 'freeze'. Received '${timing}'`)
      err.code = 'ERR_INVALID_ARG_VALUE'
      throw err
    }
    const tools = options.tools ?? {}
    if (tools === null || typeof tools !== 'object') throw invalidArgType('options.tools', 'of type object', tools)
    const toolNames = Object.keys(tools)
    for (const name of toolNames) {
      if (typeof tools[name] !== 'function') throw invalidArgType(`options.tools.${name}`, 'of type function', tools[name])
    }
    const { spec, fns } = compilePermissions(options.permissions)
    const onAudit = options.onAudit
    if (onAudit !== undefined && typeof onAudit !== 'function') throw invalidArgType('options.onAudit', 'of type function', onAudit)
    const osInfo = options.os
    if (osInfo !== undefined && (osInfo === null || typeof osInfo !== 'object')) throw invalidArgType('options.os', 'of type object', osInfo)
    for (const k of ['hostname', 'cpuModel', 'release', 'username']) {
      if (osInfo?.[k] !== undefined && typeof osInfo[k] !== 'string') throw invalidArgType(`options.os.${k}`, 'of type string', osInfo[k])
    }
    for (const k of ['cpus', 'totalmem']) {
      if (osInfo?.[k] !== undefined && typeof osInfo[k] !== 'number') throw invalidArgType(`options.os.${k}`, 'of type number', osInfo[k])
    }
    const typescript = compileTypeScript(options.typescript)
    const mounts = compileMounts(options.mounts, options.moduleAccess)
    const answers = toolNames.length > 0 || Object.keys(fns).length > 0 || onAudit !== undefined
    const onQuery = (q) => {
      if (q.kind === 'tool') answerToolQuery(tools, q)
      else if (q.kind === 'permission') answerPermissionQuery(fns, q)
      else if (q.kind === 'audit' && onAudit) deliverAudit(onAudit, q)
    }
    const calls = new PendingCalls()
    let handle
    const native = {
      memoryMb: limits.memoryMb,
      cpuTimeMs: limits.cpuTimeMs,
      wallTimeMs: limits.wallTimeMs,
      maxOutputBytes: limits.maxOutputBytes,
      maxFsBytes: limits.maxFsBytes,
      maxFileSize: limits.maxFileSize,
      maxOpenFiles: limits.maxOpenFiles,
      maxPathLength: limits.maxPathLength,
      maxSockets: limits.maxSockets,
      maxProcesses: limits.maxProcesses,
      maxNetworkBytes: limits.maxNetworkBytes,
      connectTimeoutMs: limits.connectTimeoutMs,
      timingFreeze: timing === 'freeze',
      shared: sidecar === 'shared',
      testOps: options.testOps === true,
      tools: toolNames,
      permissions: JSON.stringify(spec),
      os: osInfo === undefined ? undefined : JSON.stringify(osInfo),
      mounts: mounts.length > 0 ? JSON.stringify(mounts) : undefined,
      typescript: typescript === undefined ? undefined : JSON.stringify(typescript),
      audit: onAudit !== undefined,
    }
    const onDone = (done) => calls.settle(done)
    try {
      // A started sidecar of its own at hand: the runtime is asked for and
      // its handle given at once (its calls follow the request). Otherwise
      // a task waits for a sidecar and for the runtime.
      handle = native.shared ? null : binding.createRuntimeNow(native, answers ? onQuery : undefined, onDone)
      if (handle == null) handle = await binding.createRuntime(native, answers ? onQuery : undefined, onDone)
    } catch (e) {
      throw liftNativeError(e)
    }
    return new NodeRuntime(handle, options, calls, native.wallTimeMs ?? DEFAULT_WALL_TIME_MS)
  }

  /** The names of this runtime's host tools. */
  get toolNames() {
    return Object.freeze(Object.keys(this.#options.tools ?? {}))
  }

  /** Sends a request from the host to a guest server on the runtime's
   * loopback (see index.d.ts): undici's fetch over a connection to the port
   * of `input`, whatever its host name. */
  async fetch(input, init = undefined) {
    if (this.#disposed) throw new RuntimeDisposedError()
    const undici = require('undici')
    if (this.#dispatcher === undefined) {
      const handle = this.#handle
      this.#dispatcher = new undici.Agent({
        connect: (opts, cb) => {
          let called = false
          const once = (err, s) => { if (!called) { called = true; cb(err, s) } }
          try {
            const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80)
            bridgeSocket(handle, port, once)
          } catch (err) {
            once(err, null)
          }
        },
      })
    }
    return undici.fetch(input, { ...init, dispatcher: this.#dispatcher })
  }

  /** Forwarding of real host ports to guest servers (see index.d.ts). */
  get network() {
    if (this.#network === undefined) {
      const self = this
      this.#network = Object.freeze({
        expose(guestPort, options = {}) { return self.#expose(guestPort, options) },
      })
    }
    return this.#network
  }

  async #expose(guestPort, options) {
    if (this.#disposed) throw new RuntimeDisposedError()
    if (!Number.isInteger(guestPort) || guestPort < 1 || guestPort > 65535) {
      throw Object.assign(new RangeError(`The value of "guestPort" is out of range. It must be an integer >= 1 && <= 65535. Received ${guestPort}`), { code: 'ERR_OUT_OF_RANGE' })
    }
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const hostPort = options.hostPort ?? 0
    if (!Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535) {
      throw Object.assign(new RangeError(`The value of "options.hostPort" is out of range. It must be an integer >= 0 && <= 65535. Received ${hostPort}`), { code: 'ERR_OUT_OF_RANGE' })
    }
    const net = require('node:net')
    const handle = this.#handle
    const sockets = new Set()
    const server = net.createServer((client) => {
      sockets.add(client)
      client.on('close', () => sockets.delete(client))
      client.pause()
      let guest
      try {
        guest = bridgeSocket(handle, guestPort, (err) => {
          if (err) return client.destroy()
          client.pipe(guest)
          guest.pipe(client)
          client.resume()
        })
      } catch {
        return client.destroy()
      }
      client.on('error', () => guest.destroy())
      client.on('close', () => guest.destroy())
      guest.on('error', () => client.destroy())
      guest.on('close', () => client.destroy())
    })
    // Only this machine: the forwarded port listens on 127.0.0.1.
    await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(hostPort, '127.0.0.1', resolve)
    })
    server.unref()
    const close = () => new Promise((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
    this.#exposed.add(close)
    const address = server.address()
    return Object.freeze({
      hostPort: address.port,
      url: `http://127.0.0.1:${address.port}/`,
      close: async () => {
        this.#exposed.delete(close)
        await close()
      },
    })
  }

  /** The runtime's filesystem, from the host (see index.d.ts). */
  get fs() {
    if (this.#fs === undefined) {
      this.#fs = new RuntimeFs(async (call) => {
        if (this.#disposed) throw new RuntimeDisposedError()
        try {
          return await binding.fsCall(this.#handle, call)
        } catch (e) {
          throw liftNativeError(e)
        }
      })
    }
    return this.#fs
  }

  /** The OS pid of the sidecar process hosting this runtime. */
  get sidecarPid() {
    return this.#disposed ? undefined : binding.runtimePid(this.#handle) ?? undefined
  }

  /** How the sidecar process hosting this runtime is confined (see index.d.ts). */
  get sidecarHardening() {
    if (this.#disposed) return undefined
    return binding.runtimeHardening(this.#handle) ?? undefined
  }

  async run(code, options = {}) {
    return runResult(await this.#execute(code, options), options, this.#wallTimeMs)
  }

  async exec(code, options = {}) {
    return execResult(await this.#execute(code, options), options, this.#wallTimeMs)
  }

  /** Starts a guest process that lives across calls (see index.d.ts). */
  async createContext(options = {}) {
    if (this.#disposed) throw new RuntimeDisposedError()
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const { filePath = '/index.js', env = {}, cwd = '/home/user', argv = [], onStdio } = options
    checkScriptName(filePath)
    if (typeof cwd !== 'string') throw invalidArgType('options.cwd', 'of type string', cwd)
    if (!Array.isArray(argv)) throw invalidArgType('options.argv', 'an instance of Array', argv)
    if (onStdio !== undefined && typeof onStdio !== 'function') throw invalidArgType('options.onStdio', 'of type function', onStdio)
    const native = await binding
      .createContext(this.#handle, { filePath, env: envStrings(env), cwd, argv: argv.map(String) })
      .catch((e) => {
        throw liftNativeError(e)
      })
    if (this.#disposed) {
      binding.closeContext(this.#handle, native.id)
      throw new RuntimeDisposedError()
    }
    return new GuestContext(this.#handle, native, { filePath, onStdio, wallTimeMs: this.#wallTimeMs }, this.#options.onStdio, this.#contexts, this.#calls)
  }

  /** Starts a guest process outside calls (see index.d.ts). */
  async spawn(command, args = [], options = {}) {
    if (this.#disposed) throw new RuntimeDisposedError()
    if (typeof command !== 'string') throw invalidArgType('command', 'of type string', command)
    if (command === '' || command.includes('\0')) throw invalidArgValue('command', 'must be a non-empty string without null bytes', command)
    if (!Array.isArray(args)) throw invalidArgType('args', 'an instance of Array', args)
    args.forEach((a, i) => {
      if (typeof a !== 'string') throw invalidArgType(`args[${i}]`, 'of type string', a)
    })
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const { cwd = '/home/user', env = {}, timeoutMs } = options
    if (typeof cwd !== 'string') throw invalidArgType('options.cwd', 'of type string', cwd)
    if (timeoutMs !== undefined && typeof timeoutMs !== 'number') throw invalidArgType('options.timeoutMs', 'of type number', timeoutMs)
    const guestEnv = envStrings(env)
    return spawnProcess(this.#handle, this.#processes, command, [...args], { cwd, env: guestEnv, timeoutMs })
  }

  /** Opens a shell on a terminal, for xterm.js and the like (see index.d.ts). */
  async openShell(options = {}) {
    if (this.#disposed) throw new RuntimeDisposedError()
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const { cols = 80, rows = 24, cwd = '/home/user', env = {}, command = 'sh', args = [], timeoutMs } = options
    checkTtySize('options.cols', cols)
    checkTtySize('options.rows', rows)
    if (typeof command !== 'string') throw invalidArgType('options.command', 'of type string', command)
    if (command === '' || command.includes('\0')) throw invalidArgValue('options.command', 'must be a non-empty string without null bytes', command)
    if (!Array.isArray(args)) throw invalidArgType('options.args', 'an instance of Array', args)
    args.forEach((a, i) => {
      if (typeof a !== 'string') throw invalidArgType(`options.args[${i}]`, 'of type string', a)
    })
    if (typeof cwd !== 'string') throw invalidArgType('options.cwd', 'of type string', cwd)
    if (timeoutMs !== undefined && typeof timeoutMs !== 'number') throw invalidArgType('options.timeoutMs', 'of type number', timeoutMs)
    const guestEnv = envStrings(env)
    if (guestEnv.TERM === undefined) guestEnv.TERM = 'xterm-256color'
    const p = await spawnProcess(this.#handle, this.#processes, command, [...args], { cwd, env: guestEnv, timeoutMs, tty: [cols, rows] })
    return new GuestShell(PROC_TOKEN, p, nativeOf.get(p))
  }

  async dispose() {
    if (!this.#disposed) {
      for (const state of this.#processes) state.end(null, new RuntimeDisposedError())
      this.#processes.clear()
      for (const close of this.#exposed) close()
      this.#exposed.clear()
      if (this.#dispatcher !== undefined) this.#dispatcher.destroy().catch(() => {})
      for (const state of this.#contexts) state.ended = 'the runtime was disposed'
      this.#contexts.clear()
      finalizer.unregister(this)
      this.#disposed = binding.disposeRuntime(this.#handle).catch(() => {})
    }
    await this.#disposed
  }

  async [Symbol.asyncDispose]() {
    await this.dispose()
  }

  async #execute(code, options) {
    if (this.#disposed) throw new RuntimeDisposedError()
    if (typeof code !== 'string') throw invalidArgType('code', 'of type string', code)
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options)
    const { filePath = '/index.js', timeoutMs, env = {}, cwd = '/home/user', argv = [], stdin, signal } = options
    if (typeof filePath !== 'string') throw invalidArgType('options.filePath', 'of type string', filePath)
    if (typeof cwd !== 'string') throw invalidArgType('options.cwd', 'of type string', cwd)
    if (timeoutMs !== undefined && typeof timeoutMs !== 'number') throw invalidArgType('options.timeoutMs', 'of type number', timeoutMs)
    const guestEnv = envStrings(env)
    if (!Array.isArray(argv)) throw invalidArgType('options.argv', 'an instance of Array', argv)
    let stdinBuf
    if (typeof stdin === 'string') stdinBuf = Buffer.from(stdin, 'utf8')
    else if (stdin instanceof Uint8Array) stdinBuf = Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength)
    else if (stdin !== undefined && stdin !== null) throw invalidArgType('options.stdin', 'of type string or an instance of Uint8Array', stdin)
    checkSignal(signal)
    const onStdio = options.onStdio ?? this.#options.onStdio
    if (onStdio !== undefined && typeof onStdio !== 'function') throw invalidArgType('options.onStdio', 'of type function', onStdio)
    const call = { code, filePath, timeoutMs, env: guestEnv, cwd, argv: argv.map(String), stdin: stdinBuf }
    return callNative(
      this.#handle,
      this.#calls,
      signal,
      onStdio,
      (req) => binding.submit(this.#handle, req, call),
      (req, stdioCb) => binding.execute(this.#handle, req, call, stdioCb),
    )
  }

  /** Ends the pre-started sidecars that no runtime uses. */
  static async closeIdleSidecars() {
    await binding.closeIdleSidecars()
  }
}

// Permission presets, to spread into `permissions`.
const allowAllFs = Object.freeze({ fs: 'allow' })
const allowAllNetwork = Object.freeze({ network: 'allow' })
const allowAllChildProcess = Object.freeze({ childProcess: 'allow' })
const allowAllEnv = Object.freeze({ env: 'allow' })
const allowAll = Object.freeze({ fs: 'allow', network: 'allow', childProcess: 'allow', process: 'allow', env: 'allow', tool: 'allow' })

module.exports = {
  NodeRuntime,
  allowAll,
  allowAllFs,
  allowAllNetwork,
  allowAllChildProcess,
  allowAllEnv,
  SandboxError,
  GuestError,
  TimeoutError,
  MemoryLimitError,
  RuntimeDisposedError,
  SidecarCrashedError,
  AbortError,
  ContextClosedError,
  GuestContext,
  GuestProcess,
  GuestShell,
}
