/**
 * secure-exec: run untrusted JavaScript in V8 isolates inside a sidecar
 * process, behind a virtual kernel with deny-by-default permissions.
 *
 * ```ts
 * import { NodeRuntime } from "secure-exec";
 * const rt = await NodeRuntime.create({ limits: { memoryMb: 64, cpuTimeMs: 1000 } });
 * const r = await rt.run<number>(`__return(40 + 2);`); // r.value === 42
 * await rt.dispose();
 * ```
 *
 * Native logs: set `SECURE_EXEC_LOG` (`info`, `debug`, or a `RUST_LOG`-style
 * filter) before the first runtime is created; lines go to stderr, and guest
 * data appears only at `debug`. See docs/logs.md.
 */

/** Resource limits of a runtime; each applies to every `run()`/`exec()`. */
export interface Limits {
  /**
   * Memory of one guest process in MiB: the JS heap is bounded by this, and
   * so, separately, is ArrayBuffer/typed-array memory. Over it the call ends
   * with {@link MemoryLimitError} (`exec()`: code 137).
   * Default 128; range 8 to 16384.
   */
  memoryMb?: number
  /**
   * CPU time of one call in ms. Over it the call ends with
   * {@link TimeoutError} (`exec()`: code 124). Default 30000; range 1 to 86400000.
   */
  cpuTimeMs?: number
  /**
   * Wall-clock time of one call in ms, including time spent waiting on
   * timers. Over it: {@link TimeoutError} (code 124). Default 60000; range 1 to 86400000.
   */
  wallTimeMs?: number
  /**
   * Output captured per stream (stdout, stderr) in bytes; past it the
   * captured text is cut and `stdoutTruncated`/`stderrTruncated` is set.
   * `onStdio` still receives everything. Default 1048576 (1 MiB); range 0 to 16777216 (16 MiB).
   */
  maxOutputBytes?: number
  /**
   * Bytes the runtime's virtual filesystem may hold (file data, link
   * targets, names); over it a write fails with `ENOSPC` and changes
   * nothing. It lives in the sidecar's memory. Default 134217728 (128 MiB); range 0 to 4 GiB.
   */
  maxFsBytes?: number
  /** Largest file in bytes; over it a write fails with `EFBIG`. Default 67108864 (64 MiB); range 0 to 2 GiB. */
  maxFileSize?: number
  /** Files one guest process may have open; past it `open` fails with `EMFILE`. Default 1024; range 1 to 65536. */
  maxOpenFiles?: number
  /** Longest path in bytes (`ENAMETOOLONG`; a name is at most 255). Default 4096; range 64 to 65536. */
  maxPathLength?: number
  /** Sockets the runtime's guests hold at once (listeners and both ends of a loopback connection count); past it `listen`/`connect` fail with `EMFILE`. Default 1024; range 1 to 65536. */
  maxSockets?: number
  /** Processes the runtime's guests may have spawned (`child_process`) and not yet reaped at once, grandchildren included; past it a spawn fails with `EAGAIN`. 0 allows none. Default 64; range 0 to 1024. */
  maxProcesses?: number
  /** Bytes the runtime's guests send and receive over real connections (egress), in and out together, for the runtime's life; past it reads and writes fail with `ERR_SANDBOX_NETWORK_LIMIT`. Default 1 GiB; range 0 to 2 ** 50. */
  maxNetworkBytes?: number
  /** A real connection (resolving the name included) not made by then fails with `ETIMEDOUT`. Default 30000; range 1 to 300000. */
  connectTimeoutMs?: number
}

/** Real host ports forwarded to guest servers (`rt.network`). */
export interface RuntimeNetwork {
  /**
   * Listens on `127.0.0.1:hostPort` (0 or absent: a free port) and forwards
   * each connection to the guest listener on `guestPort` of the runtime's
   * virtual loopback, so that a dev server in the sandbox can be opened in a
   * browser on this machine. Only this machine can connect. Closed by
   * `close()` or `dispose()`.
   */
  expose(guestPort: number, options?: { hostPort?: number }): Promise<ExposedPort>
}

/** A forwarded port (`rt.network.expose`). */
export interface ExposedPort {
  readonly hostPort: number
  /** `http://127.0.0.1:<hostPort>/` */
  readonly url: string
  /** Stops listening and ends the connections it forwards. */
  close(): Promise<void>
}

/** A chunk of guest output, delivered as it is written. */
export interface StdioEvent {
  /** Which stream the guest wrote to. */
  stream: 'stdout' | 'stderr'
  /** The bytes written (batched; a chunk may end inside a UTF-8 character). */
  data: Buffer
}

/** What a host permission function is asked. */
export type PermissionRequest =
  | {
      scope: 'fs'
      /** Node's syscall name: `open`, `stat`, `mkdir`, `scandir`, `rename`, ... */
      op: string
      /** What the operation does to `path`. */
      access: 'read' | 'write'
      /** Absolute guest path, resolved through symlinks. */
      path: string
    }
  | { scope: 'env'; op: 'read' | 'write'; name: string }
  | { scope: 'tool'; op: 'call'; name: string }
  | { scope: 'network' | 'childProcess' | 'process'; op: string; name: string }

/**
 * A host permission function's answer: a boolean, or `{ allow, cache }`
 * where `cache: true` keeps the answer for the same (op, target) for the
 * rest of the call. A function that throws (or rejects) denies.
 */
export type PermissionAnswer = boolean | { allow: boolean; cache?: boolean }

/** A host function that decides each request of its scope. */
export type PermissionFunction = (request: PermissionRequest) => PermissionAnswer | Promise<PermissionAnswer>

/** `"allow"`/`true`, `"deny"`/`false`, or a host function. */
export type ScopeRule = 'allow' | 'deny' | boolean | PermissionFunction

/**
 * The runtime's policy, deny-by-default: a scope left out is denied. A
 * denied operation fails in the guest with `EACCES` (`errno: -13`) and
 * touches nothing. Static rules are decided in the sidecar; a function is
 * asked through the host (slower: one round trip per uncached request).
 */
export interface Permissions {
  /**
   * Guest filesystem access. `{ read, write }` list absolute guest paths:
   * a path covers itself and everything beneath it; a glob uses `*` (within
   * one path component), `**` (across components), `?`, `[...]`, `{a,b}`.
   * Paths are checked after symlinks are resolved. Reads the runtime makes
   * itself to load the entry code need no permission.
   */
  fs?: ScopeRule | { read?: string[]; write?: string[] }
  /**
   * Outbound network access. `{ allow, deny }` list destinations: a host
   * (`api.example.com`), a domain's hosts (`*.example.org`), any host (`*`),
   * an address (`10.1.2.3`, `[::1]`) or a range (`10.0.0.0/8`), each with an
   * optional `:port`; a deny entry wins. Loopback, private, link-local (cloud
   * metadata) and similar addresses are refused under every rule unless an
   * allow entry names them by address or range. The rules' shapes are
   * checked at `create()`; every connection and DNS lookup is checked in
   * the sidecar, and again on the host for host connections.
   */
  network?: ScopeRule | { allow?: string[]; deny?: string[] }
  /** Spawning guest processes (`child_process`, the shell's commands): allow, deny, or a function asked with the command. */
  childProcess?: ScopeRule
  /** Reserved for process-wide operations: nothing asks it yet (signals stay within the runtime's own process tree). */
  process?: ScopeRule
  /**
   * `process.env`: names (a `*` matches any run of characters). A variable
   * the guest may not read looks unset (so code probing `NODE_ENV` keeps
   * working); writing one throws `EACCES`. Only variables the call's `env`
   * option passed exist at all.
   */
  env?: ScopeRule | string[]
  /** Host tools by name (see `tools`). */
  tool?: ScopeRule | string[]
}

/** Something an operator may want to see; see `onAudit`. */
export type AuditEvent =
  | ({
      type: 'permission'
      /** The guest process (pid in the runtime's process table). */
      pid: number
      allowed: boolean
      /** The rule that decided, e.g. `permissions.fs.read[2]` or `permissions.env (not given: denied by default)`. */
      rule: string
    } & PermissionRequest)
  | {
      type: 'limit'
      pid: number
      /** The limit's option name, e.g. `maxFsBytes`. */
      limit: string
      op: string
      target: string
    }
  /** A guest process sent as many events as one may (10,000); later ones were dropped. */
  | { type: 'dropped'; pid: number; after: number }

/** A host function the guest may call (see `tools`). */
export type HostTool = (args: any) => unknown

/** The host tools of a runtime, by name. */
export type HostTools = Record<string, HostTool>

/**
 * How guest code sees host tools `T` (the global `tools`, or
 * `require('secure-exec:tools')`): each resolves the tool's result; `.sync`
 * waits for it on the guest thread. Use it to type guest code written in
 * TypeScript: `declare const tools: GuestTools<typeof myTools>`.
 */
export type GuestTools<T extends HostTools> = {
  readonly [K in keyof T]: ((args: Parameters<T[K]>[0]) => Promise<Awaited<ReturnType<T[K]>>>) & {
    sync(args: Parameters<T[K]>[0]): Awaited<ReturnType<T[K]>>
  }
}

/** Options of {@link NodeRuntime.create}. */
export interface RuntimeOptions<T extends HostTools = HostTools> {
  /** Limits of every call on this runtime; see {@link Limits} for the defaults. */
  limits?: Limits
  /** Receives output as the guest writes it. Default: none (output is only captured). */
  onStdio?: (event: StdioEvent) => void
  /**
   * `"dedicated"` (default): the runtime gets a sidecar process of its own,
   * taken from a warm pool. `"shared"`: the runtime lives in one sidecar
   * shared with other `"shared"` runtimes (denser, but a crash there ends
   * all of them).
   */
  sidecar?: 'dedicated' | 'shared'
  /**
   * `"freeze"`: every clock the guest can read (`Date`, `Intl.DateTimeFormat`
   * with no date, `performance`, `process.hrtime`/`uptime`, `console.time`,
   * `Event.timeStamp`) is fixed when the guest process starts, and timers run
   * on a virtual clock that jumps to the next due timer instead of waiting,
   * which blunts timing attacks. Default `"none"`.
   */
  timingMitigation?: 'none' | 'freeze'
  /**
   * Host functions the guest may call: each `name` becomes
   * `await tools.name(args)` (and `tools.name.sync(args)`, which waits on the
   * guest thread) in the guest. Arguments and results are structured-cloned;
   * an exception the function throws reaches the guest with its name,
   * message and `code`, never its stack.
   */
  tools?: T
  /**
   * What node:os (and `/etc/hostname`) tell the guest. Every value is
   * virtual; nothing of the host's machine is shown. Defaults: hostname
   * `"sandbox"`, 1 CPU of model `"secure-exec virtual CPU"`, `totalmem` =
   * `limits.memoryMb`, release `"6.1.0-secure-exec"`, username `"user"`.
   */
  os?: { hostname?: string; cpus?: number; cpuModel?: string; totalmem?: number; release?: string; username?: string }
  /**
   * Host directories in the guest's tree. The host opens each one at
   * `create()` and serves every guest call beneath it with
   * `openat2(RESOLVE_BENEATH)`: a `..` or a symlink (absolute, or relative
   * and leaving it) fails with `EACCES`. Writes to a read-only mount fail
   * with `EROFS`; moving a file in or out of a mount with `EXDEV`.
   * `symlink`, `link`, `chmod`, `chown`, `utimes` and `ftruncate` on
   * mounts fail with `ENOTSUP`. Mount paths are still checked against
   * `permissions.fs`. Guest paths may not be `/` or overlap each other.
   */
  mounts?: Array<{ hostPath: string; guestPath: string; readOnly?: boolean }>
  /**
   * Mounts `<cwd>/node_modules` read-only at `guestPath` (default
   * `/workspace/node_modules`): the usual way to give guest code the host
   * project's packages.
   */
  moduleAccess?: { cwd?: string; guestPath?: string }
  /** What the guest may do; see {@link Permissions}. Default: nothing. */
  permissions?: Permissions
  /**
   * Receives every permission decision and every limit the guest hits.
   * Called on the host's event loop; a throwing listener is ignored.
   */
  onAudit?: (event: AuditEvent) => void
  /**
   * How TypeScript files (`.ts`, `.mts`, `.cts`, `.tsx`, and `run()` code
   * whose `filePath` has one of those extensions) become JavaScript. The
   * sidecar transforms them (oxc): types are stripped; enums, namespaces,
   * parameter properties and JSX are compiled; nothing is type-checked.
   * Names as in tsconfig.json.
   */
  typescript?: TypeScriptOptions
  /**
   * Exposes `globalThis.__testOps`, the kernel's diagnostic ops, to the
   * guest. For secure-exec's own tests and benchmark. Default false.
   */
  testOps?: boolean
}

/** {@link RuntimeOptions.typescript}, in tsconfig.json's names. */
export interface TypeScriptOptions {
  /**
   * How JSX in `.tsx` files is compiled. `"react"` (default, as esbuild and
   * tsx do): calls to `jsxFactory`. `"react-jsx"` / `"react-jsxdev"`: the
   * automatic runtime, imported from `<jsxImportSource>/jsx-runtime`
   * (`/jsx-dev-runtime`). `"preserve"` is not offered: V8 cannot run JSX.
   */
  jsx?: 'react' | 'react-jsx' | 'react-jsxdev'
  /** The function JSX elements call with `jsx: "react"`. Default `"React.createElement"`. */
  jsxFactory?: string
  /** What fragments (`<>...</>`) use with `jsx: "react"`. Default `"React.Fragment"`. */
  jsxFragmentFactory?: string
  /** Where the automatic runtime comes from. Default `"react"`. */
  jsxImportSource?: string
  /**
   * Compiles TypeScript's legacy (experimental) decorators. Default false:
   * a decorator is then a SyntaxError (standard decorators are not
   * compiled, and V8 in Node 20 cannot run them).
   */
  experimentalDecorators?: boolean
  /** With `experimentalDecorators`: emits `design:*` metadata through `Reflect.metadata`, when a polyfill defines it. */
  emitDecoratorMetadata?: boolean
}

/** Options of one {@link NodeRuntime.run} / {@link NodeRuntime.exec} call. */
export interface ExecOptions {
  /** The file name guest stack traces show. Default `"/index.js"`. */
  filePath?: string
  /** Wall-clock limit of this call in ms (capped by `limits.wallTimeMs`). Default: none. */
  timeoutMs?: number
  /** The only environment variables the guest sees. Default `{}`. */
  env?: Record<string, string>
  /** `process.cwd()` of the guest: an absolute path (otherwise `ERR_INVALID_ARG_VALUE`). Default `"/home/user"`. */
  cwd?: string
  /** Arguments after the script: `process.argv.slice(2)`. Default `[]`. */
  argv?: string[]
  /** What the guest reads from `process.stdin`. Default: empty. */
  stdin?: string | Uint8Array
  /** Stops the guest when aborted: `run()` rejects with {@link AbortError}, `exec()` resolves with code 130. */
  signal?: AbortSignal
  /** Overrides the runtime's `onStdio` for this call. */
  onStdio?: (event: StdioEvent) => void
}

/** Options of {@link NodeRuntime.createContext}: fixed for the context's life. */
export interface ContextOptions {
  /**
   * The file the context stands for: `require` resolves from its directory,
   * `__filename`/`__dirname`/`module` and `process.argv[1]` name it, and
   * calls' stack traces show it. A JavaScript name (a TypeScript one is
   * refused: calls are JavaScript). Default `"/index.js"`.
   */
  filePath?: string
  /** The only environment variables the guest process sees. Default `{}`. */
  env?: Record<string, string>
  /** `process.cwd()` when the context starts (the guest may `process.chdir()`): an absolute path. Default `"/home/user"`. */
  cwd?: string
  /** `process.argv.slice(2)`. Default `[]`. */
  argv?: string[]
  /** Receives the output of the context's calls (a call's `onStdio` overrides it). Default: the runtime's. */
  onStdio?: (event: StdioEvent) => void
}

/** Options of one {@link GuestContext.run} / {@link GuestContext.exec} call. */
export interface ContextCallOptions {
  /** The script's name in stack traces. Default: the context's `filePath`. */
  filePath?: string
  /** Wall-clock limit of this call in ms (capped by `limits.wallTimeMs`). Default: none. */
  timeoutMs?: number
  /**
   * Stops the call when aborted: `run()` rejects with {@link AbortError},
   * `exec()` resolves with code 130, and the context ends (also when the
   * call was sent but had not started yet). A signal already aborted when
   * the call is made (or while it waits for its turn) runs nothing and
   * leaves the context as it was.
   */
  signal?: AbortSignal
  /** Overrides the context's (and the runtime's) `onStdio` for this call. */
  onStdio?: (event: StdioEvent) => void
}

/**
 * A guest process that lives across calls, made by
 * {@link NodeRuntime.createContext}: a REPL or a notebook kernel. Each call
 * runs its code as a classic script in the context's global scope, so the
 * top-level `let`, `const`, `class`, `function` and `var` of one call are
 * there in the next (declaring one of them again is a `SyntaxError`, as
 * between two scripts); `require`, `module`, `exports`, `__filename` and
 * `__dirname` are globals, the module cache stays. Code using top-level
 * `await` runs as the body of an async function instead: its declarations
 * are its own (assign to `globalThis` to keep a value).
 *
 * A call runs the event loop until it is quiet (what it starts settles in
 * it), with the runtime's limits per call, and captures its own output.
 * Between calls nothing of the context (nor of the `vm` contexts it made)
 * runs: timers, jobs and FinalizationRegistry callbacks it left (unref'd,
 * or pending when an uncaught error ended a call) may run only in its later
 * calls, and kernel async operations left in flight by an uncaught error
 * are dropped (their promises never settle).
 *
 * An uncaught exception rejects the call ({@link GuestError}) and the
 * context goes on. `process.exit()`, a time limit, an abort, the memory
 * limit (which replaces the runtime's isolate and so ends all of its
 * contexts), the death of the sidecar, `close()` and `rt.dispose()` end it:
 * later calls reject with {@link ContextClosedError}. Calls of a context
 * queue with the runtime's other calls; what it holds counts against the
 * runtime's `memoryMb` (one heap) until it ends (memory outside the heap,
 * such as WebAssembly memories, is compared with it at the end of each call).
 */
export declare class GuestContext {
  private constructor()
  /** The guest process's pid in the runtime's process table (`process.pid`), the same for every call. */
  readonly pid: number
  /** True once the context has ended (closed, or ended by a call, the runtime or its sidecar). */
  readonly closed: boolean
  /**
   * Runs `code` in the context and resolves, as {@link NodeRuntime.run}
   * does, with the value given to `__return(v)` in this call (or undefined)
   * and this call's output; `process.exit(n)` resolves with code `n` (and
   * ends the context). Rejects with {@link GuestError},
   * {@link TimeoutError}, {@link MemoryLimitError}, {@link AbortError},
   * {@link ContextClosedError}, {@link RuntimeDisposedError} or
   * {@link SidecarCrashedError}.
   */
  run<T = unknown>(code: string, options?: ContextCallOptions): Promise<RunResult<T>>
  /**
   * Runs `code` like {@link NodeRuntime.exec}: resolves for every guest
   * outcome (code 1 and `error` for an uncaught exception, 124, 130, 137,
   * the `process.exit` code). Rejects when the context has ended, the
   * runtime was disposed or the sidecar crashed.
   */
  exec(code: string, options?: ContextCallOptions): Promise<ExecResult>
  /**
   * Ends the context: its guest process and its memory go (its 'exit'
   * listeners do not run). A call running in it rejects with
   * {@link ContextClosedError}, so do later ones. Idempotent.
   */
  close(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** Options of {@link NodeRuntime.spawn}. */
export interface SpawnOptions {
  /** The process's working directory (absolute). Default `/home/user`. */
  cwd?: string
  /** Its environment: only these variables. */
  env?: Record<string, string | undefined>
  /** Its tree is killed (SIGKILL) after this many milliseconds. Default: no wall-clock limit. */
  timeoutMs?: number
}

/** Options of {@link NodeRuntime.openShell}. */
export interface ShellOptions extends SpawnOptions {
  /** The terminal's columns, 1 to 10,000. Default 80. */
  cols?: number
  /** The terminal's rows, 1 to 10,000. Default 24. */
  rows?: number
  /** What runs on the terminal. Default `sh` (interactive: a prompt, `PS1`, `PS2`). */
  command?: string
  args?: readonly string[]
}

/** A shell (or program) on a terminal, from {@link NodeRuntime.openShell}. */
export declare class GuestShell {
  private constructor()
  readonly pid: number
  /** Keystrokes (a string is UTF-8): `\r` is Enter, `\x03` ^C, `\x04` ^D. */
  write(data: string | Uint8Array): void
  /** `cb` gets each chunk the terminal shows (output kept until a first listener comes; with one, output is taken as it comes: no backpressure). */
  onData(cb: (data: Uint8Array) => void): { dispose(): void }
  /** The terminal's new size (1 to 10,000 each): SIGWINCH to its processes. */
  resize(cols: number, rows: number): void
  /** Sends `signal` to the shell (default `'SIGHUP'`, as a closed terminal does); false once it has ended. */
  kill(signal?: NodeJS.Signals | number): boolean
  /** As {@link GuestProcess.wait}. */
  wait(): Promise<ProcessExit>
  unref(): this
  ref(): this
}

/** How a process started by {@link NodeRuntime.spawn} ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  exitCode: number | null
  signalCode: NodeJS.Signals | null
}

/**
 * A guest process started by {@link NodeRuntime.spawn}. Its output arrives
 * as it is written, a window at a time: a process whose output nobody reads
 * waits, as a child writing to a full pipe does. The host's event loop waits
 * for it while it runs, unless `unref()` is called.
 */
export declare class GuestProcess {
  private constructor()
  /** Its pid in the runtime's process table (a guest may signal it). */
  readonly pid: number
  /** Its stdin. Once the process no longer reads it, writes fail with `EPIPE` (an `'error'` listener is optional: the host never gets an unhandled one). */
  readonly stdin: import('node:stream').Writable
  readonly stdout: import('node:stream').Readable
  readonly stderr: import('node:stream').Readable
  /** Its exit code once it ended by itself, else null. */
  readonly exitCode: number | null
  /** The signal that ended it, else null. */
  readonly signalCode: NodeJS.Signals | null
  /**
   * Resolves once the process and its tree have ended and all their output
   * was delivered to `stdout`/`stderr`. Rejects with
   * {@link RuntimeDisposedError} or {@link SidecarCrashedError}.
   */
  wait(): Promise<ProcessExit>
  /** Sends `signal` (default `'SIGTERM'`); false once it has ended. Throws `ERR_UNKNOWN_SIGNAL` for no such signal. */
  kill(signal?: NodeJS.Signals | number): boolean
  /** The host's event loop no longer waits for this process. */
  unref(): this
  ref(): this
}

/** What every call reports about the guest's output. */
export interface Output {
  /** Exit code: 0, the `process.exit` code, 1 for an uncaught exception, 124 timeout, 130 aborted, 137 memory. */
  code: number
  /** Captured stdout (UTF-8), at most `limits.maxOutputBytes` bytes. */
  stdout: string
  /** Captured stderr (UTF-8), at most `limits.maxOutputBytes` bytes. */
  stderr: string
  /** True when stdout was longer than the capture bound. */
  stdoutTruncated: boolean
  /** True when stderr was longer than the capture bound. */
  stderrTruncated: boolean
}

/** The result of {@link NodeRuntime.run}. */
export interface RunResult<T> extends Output {
  /** What the guest passed to `__return(v)` (structured clone), or `undefined`. */
  value: T | undefined
  /**
   * When the entry code is an ES module: what it exports (a structured
   * clone of its namespace; values that cannot be cloned, such as
   * functions, are left out). Absent for CommonJS entry code.
   */
  exports?: Record<string, unknown>
}

/** The result of {@link NodeRuntime.exec}. */
export interface ExecResult extends Output {
  /** Set when the guest did not end normally (uncaught error, limit, abort). */
  error?: SandboxError
}

/**
 * How a sidecar process confined itself once started, before serving any
 * guest. Every part is best effort: what the host kernel lacks is reported
 * here, and the sidecar runs on without it.
 */
export interface SidecarHardening {
  /**
   * A seccomp filter on every thread makes `execve`, `fork`, `ptrace`, new
   * sockets, mounts, namespaces, `bpf`, `io_uring` and other kernel-wide calls
   * fail with `EPERM`. `false` if it could not be installed (or not on x86_64).
   */
  seccomp: boolean
  /**
   * Landlock, with every filesystem right taken away. `'full'`: for every
   * thread of the process. `'partial'`: for the thread that serves the host
   * and every thread started after it, which includes every thread that runs
   * guest code; threads Node.js started before (V8 platform workers) are
   * only covered on kernels with Landlock ABI 8 (Linux 7.0). `'unsupported'`:
   * the kernel has no Landlock; the sidecar prints a warning on stderr.
   */
  landlock: 'full' | 'partial' | 'unsupported'
  /** `no_new_privs` is set: nothing the sidecar runs can gain privileges. */
  noNewPrivs: boolean
  /**
   * The errno the sidecar got opening `/` right after restricting itself:
   * 13 (`EACCES`) under Landlock, 0 without it.
   */
  fsProbeErrno: number
}

/** What {@link RuntimeFs.stat} resolves: the fields and predicates of Node's `fs.Stats`. */
export interface FileStat {
  dev: number; mode: number; nlink: number; uid: number; gid: number; rdev: number
  blksize: number; ino: number; size: number; blocks: number
  atimeMs: number; mtimeMs: number; ctimeMs: number; birthtimeMs: number
  atime: Date; mtime: Date; ctime: Date; birthtime: Date
  isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean
  isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean
}

/**
 * A runtime's virtual filesystem, from the host. Errors are Node's system
 * errors (`code`, `errno`, `syscall`, `path`), as the guest sees them.
 */
export interface RuntimeFs {
  readFile(path: string): Promise<Buffer>
  readFile(path: string, encoding: BufferEncoding | { encoding: BufferEncoding }): Promise<string>
  /** Creates or replaces the file (mode 0644, owned by the guest user). */
  writeFile(path: string, data: string | ArrayBufferView, encoding?: BufferEncoding | { encoding?: BufferEncoding }): Promise<void>
  /** With `recursive`, resolves the first directory it made (as fs.mkdir). */
  mkdir(path: string, options?: { recursive?: boolean }): Promise<string | undefined>
  readdir(path: string): Promise<string[]>
  stat(path: string): Promise<FileStat>
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>
  exists(path: string): Promise<boolean>
}

/** A sandbox that runs guest JavaScript; each call is a fresh guest process. */
export declare class NodeRuntime<T extends HostTools = HostTools> {
  private constructor()
  /**
   * Creates a runtime. Resolves once a started sidecar has been asked for
   * it: with a pre-started sidecar of its own at hand (the default,
   * `sidecar: "dedicated"`), without waiting for the sidecar's answer (the
   * runtime's calls reach the sidecar after the request, in order); a
   * shared runtime, or one that waits for a sidecar to start, resolves once
   * the sidecar made it. Rejects with `RangeError` (`ERR_OUT_OF_RANGE`)
   * for a limit out of range, `TypeError` (`ERR_INVALID_ARG_TYPE`) for an
   * option of the wrong type, {@link SidecarCrashedError} if no sidecar starts.
   * A sidecar that dies (or cannot make the runtime) after `create()`
   * resolved fails the calls in flight with {@link SidecarCrashedError};
   * the next call moves the runtime to a new sidecar.
   */
  static create<T extends HostTools = HostTools>(options?: RuntimeOptions<T>): Promise<NodeRuntime<T>>
  /** The names of this runtime's host tools (as `create()` got them). */
  readonly toolNames: ReadonlyArray<string>
  /** The guest's view of this runtime's tools, for typing guest code (a type only; undefined at run time). */
  readonly guestTools?: GuestTools<T>
  /** Ends the pre-started sidecars that no runtime uses (so the host keeps no idle children). */
  static closeIdleSidecars(): Promise<void>
  /** The OS pid of the sidecar process hosting this runtime; `undefined` after dispose. */
  readonly sidecarPid: number | undefined
  /**
   * How the sidecar process hosting this runtime is confined; `undefined`
   * after dispose (or while a crashed sidecar is being replaced).
   */
  readonly sidecarHardening: SidecarHardening | undefined
  /**
   * Runs `code` as a fresh guest process and resolves when it ends (the
   * event loop drained, or `process.exit()`), with the value the guest gave
   * `__return(v)`. Rejects with {@link GuestError} for an uncaught exception,
   * {@link TimeoutError}, {@link MemoryLimitError}, {@link AbortError},
   * {@link RuntimeDisposedError} or {@link SidecarCrashedError}.
   */
  run<T = unknown>(code: string, options?: ExecOptions): Promise<RunResult<T>>
  /**
   * Runs `code` like `node -e`: resolves for every guest outcome with its
   * exit code and output. Rejects only when the runtime is disposed or its
   * sidecar crashed.
   */
  exec(code: string, options?: ExecOptions): Promise<ExecResult>
  /**
   * The runtime's filesystem from the host: seed inputs before a run and
   * collect outputs after, even while a guest runs. Calls act as the guest
   * user (so they fail with the same errors) but are not checked against
   * `permissions`. Relative paths start at `/home/user`.
   */
  readonly fs: RuntimeFs
  /**
   * Sends a request from the host to a guest server on the runtime's
   * virtual loopback, with no real port: `fetch` (undici's, as Node's) over
   * a connection to the port of `input` (its host name is not looked at:
   * `http://localhost:3000/` and `http://app:3000/` reach the same guest
   * listener). The guest server must be running (a `run()`/`exec()` in
   * progress). A port nobody listens on fails with `ECONNREFUSED` as the
   * `cause` of fetch's `TypeError`. Not checked against `permissions`.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>
  /** Forwarding of real host ports to guest servers. */
  readonly network: RuntimeNetwork
  /**
   * Starts a guest process that lives across calls (see
   * {@link GuestContext}), with its own pid, env, cwd and argv. Resolves
   * once it is ready. Rejects with `RangeError` (`ERR_SANDBOX_TOO_MANY_CONTEXTS`)
   * when the runtime has 16 open contexts already, with
   * {@link RuntimeDisposedError} after `dispose()`.
   */
  createContext(options?: ContextOptions): Promise<GuestContext>
  /**
   * Starts a guest process outside calls, as a guest's
   * `child_process.spawn(command, args)` would run it: `node` (with `-e`,
   * `-p` or a script read with the runtime's `fs` permission), the
   * sandbox's `/bin/sh` (`sh`, `bash`) or one of its commands (`ls`,
   * `grep`, ...). It runs beside `run()`/`exec()` calls, on its own thread,
   * until it ends or is killed; the processes it starts end with it.
   * Its tree has the runtime's `cpuTimeMs` and `memoryMb` of its own, the
   * wall-clock limit `timeoutMs` (none by default), and counts against
   * `limits.maxProcesses`. Not checked against `permissions.childProcess`
   * (the host starts it); what it does inside is.
   *
   * Resolves once it runs. Rejects as Node's spawn errors do: `ENOENT` for a
   * command the sandbox does not have or a `cwd` that is not a directory,
   * `EAGAIN` past `maxProcesses`, `E2BIG`; {@link RuntimeDisposedError}
   * after `dispose()`.
   */
  spawn(command: string, args?: readonly string[], options?: SpawnOptions): Promise<GuestProcess>
  /**
   * Opens the sandbox's shell (or `options.command`) on a terminal of the
   * kernel, to drive from xterm.js or the like: what is written is typed,
   * `onData` gets what the terminal shows. The line discipline echoes and
   * edits lines (backspace, ^U, ^W), ^C sends SIGINT to the foreground job
   * (at the prompt it abandons the line), ^\ SIGQUIT, ^D ends the input;
   * `process.stdin.setRawMode(true)` passes keys through until the process
   * ends. Its processes see a TTY (`isTTY`, `columns`, `rows`,
   * `tty.isatty()`), and `resize()` reaches them as SIGWINCH and a
   * `'resize'` event. `TERM` is `xterm-256color` unless `env` says
   * otherwise. It runs as {@link NodeRuntime.spawn} does (limits, end,
   * errors).
   */
  openShell(options?: ShellOptions): Promise<GuestShell>
  /** Frees the runtime (its contexts too) and ends its sidecar. Idempotent; later calls reject with {@link RuntimeDisposedError}. */
  dispose(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** `{ fs: 'allow' }`: spread into `permissions`. */
export declare const allowAllFs: Readonly<Permissions>
/** `{ network: 'allow' }`. */
export declare const allowAllNetwork: Readonly<Permissions>
/** `{ childProcess: 'allow' }`. */
export declare const allowAllChildProcess: Readonly<Permissions>
/** `{ env: 'allow' }`. */
export declare const allowAllEnv: Readonly<Permissions>
/** Every scope allowed. */
export declare const allowAll: Readonly<Permissions>

/** Base class of the errors of a call; carries the captured output. */
export declare class SandboxError extends Error {
  /** A Node-style error code (`ERR_SANDBOX_*`, or the guest's own code). */
  code: string
  /** Captured stdout at the moment the call ended. */
  stdout: string
  /** Captured stderr at the moment the call ended. */
  stderr: string
  /** The guest's exit code. */
  exitCode: number
}
/**
 * The guest threw and did not catch. `name`, `message` and `stack` are the
 * guest's own (e.g. `TypeError`); `code` is the guest error's `code`, or
 * `ERR_SANDBOX_GUEST_ERROR`.
 */
export declare class GuestError extends SandboxError {
  /** The guest error's class name, as `name`. */
  guestName: string
}
/** A time limit fired; `code` is `ERR_SANDBOX_TIMEOUT`. */
export declare class TimeoutError extends SandboxError {
  /** Which limit: `"cpuTimeMs"`, `"wallTimeMs"` or `"timeoutMs"`. */
  limit: 'cpuTimeMs' | 'wallTimeMs' | 'timeoutMs'
}
/** The guest hit `limits.memoryMb`; `code` is `ERR_SANDBOX_MEMORY_LIMIT`. */
export declare class MemoryLimitError extends SandboxError {}
/** The runtime was disposed; `code` is `ERR_SANDBOX_DISPOSED`. */
export declare class RuntimeDisposedError extends SandboxError {}
/** The sidecar process died during the call; `code` is `ERR_SANDBOX_CRASHED`. The runtime starts a new sidecar on its next call. */
export declare class SidecarCrashedError extends SandboxError {}
/** The call's `signal` was aborted; `code` is `ABORT_ERR`. */
export declare class AbortError extends SandboxError {}
/**
 * A call on a {@link GuestContext} that has ended (closed, ended by an
 * earlier call, by the runtime's disposal or its sidecar's death); the
 * message says why. `code` is `ERR_SANDBOX_CONTEXT_CLOSED`.
 */
export declare class ContextClosedError extends SandboxError {}
