//! The host↔sidecar protocol: length-prefixed frames of postcard-encoded
//! messages over a private socket. Both sides refuse oversized frames.
use std::io::{self, Read};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Largest frame either side accepts. Bounds the memory a peer (or a guest
/// returning a huge value) can make the other side allocate for one message.
pub const MAX_IPC_FRAME_BYTES: usize = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum IpcError {
  #[error("frame of {0} bytes exceeds the limit of {MAX_IPC_FRAME_BYTES} bytes")]
  FrameTooLarge(usize),
  #[error("malformed frame: {0}")]
  Decode(#[from] postcard::Error),
  #[error(transparent)]
  Io(#[from] io::Error),
}

pub fn encode<T: Serialize>(msg: &T) -> Result<Vec<u8>, IpcError> {
  let mut buf = vec![0u8; 4];
  buf = postcard::to_extend(msg, buf)?;
  let len = buf.len() - 4;
  if len > MAX_IPC_FRAME_BYTES {
    return Err(IpcError::FrameTooLarge(len));
  }
  buf[..4].copy_from_slice(&(len as u32).to_le_bytes());
  Ok(buf)
}

/// Reads one frame; `Ok(None)` on a clean end of stream.
pub fn read_frame<R: Read, T: DeserializeOwned>(r: &mut R) -> Result<Option<T>, IpcError> {
  let mut len = [0u8; 4];
  let mut got = 0;
  while got < len.len() {
    match r.read(&mut len[got..]) {
      Ok(0) if got == 0 => return Ok(None),
      // A length cut short is a broken stream, not its end.
      Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into()),
      Ok(n) => got += n,
      Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
      Err(e) => return Err(e.into()),
    }
  }
  let len = u32::from_le_bytes(len) as usize;
  if len > MAX_IPC_FRAME_BYTES {
    return Err(IpcError::FrameTooLarge(len));
  }
  let mut buf = vec![0u8; len];
  r.read_exact(&mut buf)?;
  Ok(Some(postcard::from_bytes(&buf)?))
}

/// Limits of one runtime, already clamped to the caps in `kernel::limits`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuntimeConfig {
  pub memory_mb: u32,
  pub cpu_time_ms: u64,
  pub wall_time_ms: u64,
  pub max_output_bytes: u64,
  /// `limits.maxFsBytes`, `maxFileSize`, `maxOpenFiles`, `maxPathLength`.
  pub max_fs_bytes: u64,
  pub max_file_size: u64,
  pub max_open_files: u64,
  pub max_path_length: u64,
  /// `limits.maxSockets`, `maxNetworkBytes`, `connectTimeoutMs`.
  pub max_sockets: u64,
  /// `limits.maxProcesses`.
  pub max_processes: u64,
  pub max_network_bytes: u64,
  pub connect_timeout_ms: u64,
  pub timing_freeze: bool,
  /// The runtime has its sidecar to itself: the process's resident memory
  /// is its own and may bound it.
  pub dedicated: bool,
  /// Expose the diagnostic ops (`kernel::syscall` `test_*`) to the guest.
  pub test_ops: bool,
  /// Names of the host tools the guest may call (`create({ tools })`).
  pub tools: Vec<String>,
  /// `create({ permissions })`.
  pub permissions: crate::kernel::policy::PolicySpec,
  /// `create({ os })`: what node:os tells the guest.
  pub os: OsInfo,
  /// `create({ mounts })`: host directories in the guest's tree. The host
  /// keeps the directories open and serves them (`Query::Mount`).
  pub mounts: Vec<MountSpec>,
  /// Send an [`AuditEvent`] for every permission decision and limit hit
  /// (the host has an `onAudit` listener).
  pub audit: bool,
  /// `create({ typescript })`: how TypeScript files become JavaScript.
  pub typescript: crate::kernel::typescript::TypeScriptConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExecRequest {
  pub rt: u32,
  pub req: u64,
  pub code: String,
  pub file_path: String,
  pub timeout_ms: Option<u64>,
  pub env: Vec<(String, String)>,
  pub cwd: String,
  pub argv: Vec<String>,
  pub stdin: Option<Vec<u8>>,
  /// Send output as it happens (the host has an `onStdio` listener).
  pub stream: bool,
}

/// A persistent guest context to start (`rt.createContext()`): a guest
/// process that lives across calls until it is closed or a call ends it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContextRequest {
  pub rt: u32,
  /// Answered by `ToHost::ContextOpened` with this id.
  pub id: u64,
  /// The context's id in its runtime (chosen by the host).
  pub ctx: u32,
  /// The file the context's `require`, `module` and stack traces are named after.
  pub file_path: String,
  pub env: Vec<(String, String)>,
  pub cwd: String,
  pub argv: Vec<String>,
}

/// One call in a persistent context: `code` runs as a classic script in
/// the context's global scope. Answered by `ToHost::Completed` for `req`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContextCall {
  pub rt: u32,
  pub req: u64,
  pub ctx: u32,
  pub code: String,
  /// The script's name in stack traces.
  pub file_path: String,
  pub timeout_ms: Option<u64>,
  /// Send output as it happens (the host has an `onStdio` listener).
  pub stream: bool,
}

/// The virtual machine node:os describes (never the host's).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OsInfo {
  pub hostname: String,
  pub cpus: u32,
  pub cpu_model: String,
  /// Bytes; 0 means "the runtime's memory limit".
  pub totalmem: u64,
  pub release: String,
  pub version: String,
  pub username: String,
}

impl Default for OsInfo {
  fn default() -> OsInfo {
    OsInfo {
      hostname: crate::kernel::DEFAULT_HOSTNAME.into(),
      cpus: 1,
      cpu_model: "secure-exec virtual CPU".into(),
      totalmem: 0,
      release: "6.1.0-secure-exec".into(),
      version: "#1 SMP".into(),
      username: "user".into(),
    }
  }
}

/// One mount: where it appears in the guest's tree.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MountSpec {
  /// Absolute and normalized; never `/`.
  pub guest_path: String,
  pub read_only: bool,
}

/// A filesystem call on a path beneath mount `mount` (relative, never
/// absolute; the host resolves it beneath the mount's directory and nothing
/// may leave it). Answered with a postcard `Result<MountReply, i32>`, the
/// error a positive errno.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum MountCall {
  Stat {
    rel: String,
    follow: bool,
  },
  ReadFile {
    rel: String,
    max: u64,
  },
  Readdir {
    rel: String,
  },
  Readlink {
    rel: String,
  },
  /// The path with every symlink resolved, relative to the mount's root.
  Realpath {
    rel: String,
  },
  Access {
    rel: String,
    mode: u32,
  },
  WriteFile {
    rel: String,
    data: Vec<u8>,
    flags: i32,
    mode: u32,
  },
  Mkdir {
    rel: String,
    mode: u32,
  },
  Rmdir {
    rel: String,
  },
  Unlink {
    rel: String,
  },
  Rename {
    from: String,
    to: String,
  },
  Truncate {
    rel: String,
    len: u64,
  },
  /// Opens a file for the guest: a handle for Read/Write/Fstat/Close.
  Open {
    rel: String,
    flags: i32,
    mode: u32,
  },
  Read {
    handle: u64,
    offset: u64,
    len: u32,
  },
  Write {
    handle: u64,
    offset: Option<u64>,
    data: Vec<u8>,
  },
  Fstat {
    handle: u64,
  },
  Close {
    handle: u64,
  },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum MountReply {
  Done,
  /// Node's `statValues` order.
  Stat(Vec<f64>),
  Bytes(Vec<u8>),
  /// (type letter as the fs ops give it: f d l c b p s, name).
  Entries(Vec<(u8, String)>),
  Text(String),
  Handle(u64),
  Count(u64),
}

/// What a guest asks the host, and waits for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum Query {
  /// Call host tool `name` with structured-cloned `args`.
  Tool { name: String, args: Vec<u8> },
  /// Ask the scope's host function. Answered with `[allowed, cache]`
  /// (one byte each, 0 or 1).
  Permission(PermissionRequest),
  /// A filesystem call on a mount, served by the host's Rust code.
  Mount { mount: u32, call: MountCall },
  /// A TCP connection off the runtime's loopback: the host resolves
  /// `host`, checks every address against the runtime's network policy
  /// itself, connects within `timeout_ms` and answers with `ReplyFd` (the
  /// connected socket attached) or an error `Reply`.
  Connect {
    host: String,
    port: u16,
    timeout_ms: u32,
  },
  /// `dns.lookup(name)`: the host resolves it (unless the policy denies the
  /// name) and answers with the addresses the guest may know of (postcard
  /// `Vec<String>`); guarded ones only where an allow entry names them.
  Resolve { host: String, timeout_ms: u32 },
  /// `dns.resolve*(name)`: the host asks DNS for records of type `rrtype`
  /// (a `DnsType`) of `host`, of the given `servers` (`ip:port`, each
  /// allowed by the policy; none: the host's resolvers), and answers with
  /// postcard `Vec<DnsRecord>`. Names are checked as for `Resolve`.
  ResolveRecords {
    host: String,
    rrtype: DnsType,
    servers: Vec<std::net::SocketAddr>,
    timeout_ms: u32,
  },
}

/// The record types `dns.resolve()` asks for (Node's list).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum DnsType {
  A,
  Aaaa,
  Any,
  Caa,
  Cname,
  Mx,
  Naptr,
  Ns,
  Ptr,
  Soa,
  Srv,
  Txt,
}

impl DnsType {
  const ALL: [(DnsType, &'static str, &'static str); 12] = [
    (DnsType::A, "A", "queryA"),
    (DnsType::Aaaa, "AAAA", "queryAaaa"),
    (DnsType::Any, "ANY", "queryAny"),
    (DnsType::Caa, "CAA", "queryCaa"),
    (DnsType::Cname, "CNAME", "queryCname"),
    (DnsType::Mx, "MX", "queryMx"),
    (DnsType::Naptr, "NAPTR", "queryNaptr"),
    (DnsType::Ns, "NS", "queryNs"),
    (DnsType::Ptr, "PTR", "queryPtr"),
    (DnsType::Soa, "SOA", "querySoa"),
    (DnsType::Srv, "SRV", "querySrv"),
    (DnsType::Txt, "TXT", "queryTxt"),
  ];

  /// The type `dns.resolve(host, rrtype)` names (Node's spelling).
  pub fn from_name(name: &str) -> Option<DnsType> {
    DnsType::ALL
      .iter()
      .find(|(_, n, _)| *n == name)
      .map(|(t, _, _)| *t)
  }

  /// c-ares's syscall for a query of this type, as Node's errors name it.
  pub fn syscall(self) -> &'static str {
    DnsType::ALL
      .iter()
      .find(|(t, _, _)| *t == self)
      .map_or("query", |(_, _, s)| s)
  }

  /// The error of a query of this type for `host`: `queryMx ENOTFOUND x`.
  pub fn error(self, code: &str, host: &str) -> HostError {
    HostError {
      name: "Error".into(),
      message: format!("{} {code} {host}", self.syscall()),
      code: Some(code.into()),
    }
  }
}

/// One DNS answer record, as the host sends it (the sidecar bounds and
/// checks it again).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DnsRecord {
  pub ttl: u32,
  pub data: DnsData,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum DnsData {
  A(std::net::Ipv4Addr),
  Aaaa(std::net::Ipv6Addr),
  Cname(String),
  Ns(String),
  Ptr(String),
  Mx {
    priority: u16,
    exchange: String,
  },
  /// The strings of one TXT record (bytes as Latin-1, as Node shows them).
  Txt(Vec<String>),
  Srv {
    priority: u16,
    weight: u16,
    port: u16,
    name: String,
  },
  Soa {
    nsname: String,
    hostmaster: String,
    serial: u32,
    refresh: u32,
    retry: u32,
    expire: u32,
    minttl: u32,
  },
  Caa {
    critical: u8,
    tag: String,
    value: String,
  },
  Naptr {
    flags: String,
    service: String,
    regexp: String,
    replacement: String,
    order: u16,
    preference: u16,
  },
}

/// What the host tells the sidecar of a connection it made (postcard in
/// `ReplyFd`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Connected {
  pub remote_address: String,
  pub remote_port: u16,
  pub local_address: String,
  pub local_port: u16,
  pub v6: bool,
  /// The rule that allowed it, e.g. `permissions.network.allow[0]`.
  pub rule: String,
}

/// What a host permission function is asked (and what an audit event
/// reports): `op` on `target` in `scope`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PermissionRequest {
  pub scope: crate::kernel::policy::Scope,
  /// The operation: Node's syscall name for fs (`open`, `mkdir`, ...),
  /// `read`/`write` for env, `call` for tools.
  pub op: String,
  /// fs only: what the operation does to the path.
  pub access: Option<crate::kernel::policy::Access>,
  /// The path (fs, absolute and resolved) or the name (env, tool).
  pub target: String,
}

/// Something an operator may want to see: a permission decision or a
/// limit the guest hit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum AuditEvent {
  Permission {
    pid: u32,
    request: PermissionRequest,
    allowed: bool,
    /// The rule that decided, e.g. `permissions.fs.read[2]`.
    rule: String,
  },
  Limit {
    pid: u32,
    /// The limit's option name, e.g. `maxFsBytes`.
    limit: String,
    op: String,
    target: String,
  },
  /// Guest process `pid` sent `after` events, as many as one process may;
  /// its later events are dropped.
  Dropped { pid: u32, after: u64 },
}

/// An exception the host's code threw while answering a query (its stack
/// stays on the host).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct HostError {
  pub name: String,
  pub message: String,
  pub code: Option<String>,
}

/// Every host request that is answered carries an `id` from one counter
/// (`ExecRequest::req` too); every answer names the id it answers, so the
/// host keeps one table of what it waits for. The sidecar's own questions
/// (`ToHost::Query`) have ids of the sidecar's making, answered by `Reply`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum ToSidecar {
  CreateRuntime {
    id: u64,
    rt: u32,
    config: Box<RuntimeConfig>,
  },
  Execute(Box<ExecRequest>),
  Cancel {
    rt: u32,
    req: u64,
  },
  /// The host's `onStdio` listener took `bytes` of a call's streamed output.
  OutputAck {
    rt: u32,
    bytes: u64,
  },
  DisposeRuntime {
    rt: u32,
  },
  /// A host-side filesystem call on runtime `rt`, answered by `FsDone`.
  Fs {
    id: u64,
    rt: u32,
    call: FsCall,
  },
  /// The answer to the sidecar's query `id`: structured-clone bytes.
  Reply {
    id: u64,
    reply: Result<Vec<u8>, HostError>,
  },
  /// The answer to query `id` with a file descriptor sent along (SCM_RIGHTS
  /// on this frame's bytes): a connected socket and its `Connected`.
  ReplyFd {
    id: u64,
    reply: Vec<u8>,
  },
  /// Starts a persistent context; answered by `ToHost::ContextOpened`.
  OpenContext(Box<ContextRequest>),
  /// Runs a call in a persistent context; answered by `ToHost::Completed`.
  ContextCall(Box<ContextCall>),
  /// Ends persistent context `ctx` of runtime `rt` (no answer).
  CloseContext {
    rt: u32,
    ctx: u32,
  },
  /// A host connection to a guest server on runtime `rt`'s loopback
  /// (`rt.fetch`, `rt.network.expose`).
  Bridge {
    rt: u32,
    conn: u64,
    msg: BridgeMsg,
  },
  /// Starts a process of runtime `rt` outside its calls (`rt.spawn`);
  /// answered by `ToHost::Proc` `Started` or `Failed`.
  Spawn(Box<SpawnRequest>),
  /// A step of the host's process `id` (stdin, acknowledgements, signals).
  Proc {
    rt: u32,
    id: u64,
    msg: ProcMsg,
  },
}

/// A process the host starts in a runtime (`rt.spawn`): `file` with `args`,
/// as a guest's `child_process.spawn` would run it, its stdio piped to the
/// host. Its tree lives until it ends or is killed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SpawnRequest {
  pub rt: u32,
  /// The host's id for the process (from the same counter as calls').
  pub id: u64,
  pub file: String,
  pub args: Vec<String>,
  pub env: Vec<(String, String)>,
  pub cwd: String,
  /// Its tree's wall-clock limit; none by default.
  pub timeout_ms: Option<u64>,
  /// Its stdio is a terminal of this many columns and rows
  /// (`rt.openShell`): stdout and stderr are one stream.
  pub tty: Option<(u16, u16)>,
}

/// One step of a process the host started. The sidecar says it started
/// (or why not), sends its output and acknowledges the host's stdin bytes
/// as the process takes them, says when its stdin is no longer read, and
/// its end. The host sends stdin bytes and their end, acknowledges the
/// output it read (at most a window is sent ahead) and signals.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum ProcMsg {
  Started {
    pid: u32,
  },
  Failed {
    /// Node's error code (`ENOENT`, `EAGAIN`, ...).
    code: String,
    message: String,
  },
  Output {
    stream: Stream,
    data: Vec<u8>,
  },
  Stdin(Vec<u8>),
  StdinEnd,
  /// Bytes the reader took of the other side's: the process's of the
  /// host's stdin, the host's of the process's output.
  Ack(u32),
  /// Nobody reads the process's stdin any more: writes fail (`EPIPE`).
  StdinClosed,
  Signal(u8),
  /// The terminal's new size (its processes get SIGWINCH).
  Resize {
    cols: u16,
    rows: u16,
  },
  /// The process and its tree ended, and all their output was sent.
  Exit {
    code: i32,
    signal: Option<u8>,
  },
}

/// One step of a host connection to a guest server. The host opens it and
/// sends bytes, acknowledgements of what it read, its end and its close;
/// the sidecar answers `Opened` and sends the guest's bytes, its end and its
/// close (with the error).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum BridgeMsg {
  Open {
    port: u16,
  },
  Opened,
  Data(Vec<u8>),
  /// The reader took this many bytes of the other side's: the host's of
  /// the guest's, the guest's of the host's. Each side sends at most a
  /// window of bytes not acknowledged.
  Ack(u32),
  End,
  Closed {
    error: Option<String>,
  },
}

/// A host-side filesystem call (`rt.fs`), served from the runtime's
/// kernel by the sidecar's main thread, as the guest user.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum FsCall {
  ReadFile {
    path: String,
  },
  WriteFile {
    path: String,
    data: Vec<u8>,
  },
  Mkdir {
    path: String,
    recursive: bool,
  },
  Readdir {
    path: String,
  },
  Stat {
    path: String,
  },
  Rm {
    path: String,
    recursive: bool,
    force: bool,
  },
  Exists {
    path: String,
  },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum FsReply {
  Done,
  Bytes(Vec<u8>),
  Names(Vec<String>),
  /// Node's `statValues` order.
  Stat(Vec<f64>),
  Bool(bool),
  /// `mkdir -p`: the first directory made.
  Created(Option<String>),
}

/// A failed `FsCall`, as the guest would see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FsError {
  pub code: String,
  pub errno: i32,
  pub syscall: String,
  pub path: Option<String>,
  pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Stream {
  Stdout,
  Stderr,
}

/// Why a guest process ended.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum ExitKind {
  /// The event loop drained (or `__return` and no more work).
  Normal,
  /// `process.exit(n)`.
  Exit,
  /// An uncaught exception or unhandled rejection.
  Uncaught,
  /// Wall-clock limit (`timeoutMs` / `wallTimeMs`).
  WallTimeout,
  /// CPU-time limit (`cpuTimeMs`).
  CpuTimeout,
  MemoryLimit,
  /// Cancelled through the caller's AbortSignal.
  Aborted,
  /// The main module's top-level await never settled.
  UnsettledAwait,
  /// The sandbox itself failed (not the guest's fault).
  Internal,
  /// The call's persistent context had already ended (the error says why).
  ContextClosed,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct GuestError {
  pub name: String,
  pub message: String,
  pub stack: String,
  pub code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outcome {
  pub kind: ExitKind,
  pub code: i32,
  pub value: Option<Vec<u8>>,
  /// The main module's exports when the entry code was ESM.
  pub exports: Option<Vec<u8>>,
  pub error: Option<GuestError>,
  pub stdout: Vec<u8>,
  pub stderr: Vec<u8>,
  pub stdout_truncated: bool,
  pub stderr_truncated: bool,
}

/// How far the sidecar confined itself at start (`sidecar::hardening`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Hardening {
  /// The seccomp filter is installed on every thread.
  pub seccomp: bool,
  pub landlock: LandlockStatus,
  /// `no_new_privs` is set (by the spawner, before exec).
  pub no_new_privs: bool,
  /// errno of opening `/` right after restricting: EACCES under Landlock.
  pub fs_probe_errno: i32,
}

/// Which threads of the sidecar have no filesystem access.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum LandlockStatus {
  /// Every thread of the process.
  Full,
  /// The thread that restricted itself and the threads started after it; the
  /// kernel (Landlock ABI < 8) cannot reach threads Node started before.
  Partial,
  /// The kernel has no Landlock (or refused it).
  Unsupported,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum ToHost {
  Ready {
    pid: u32,
    modules: u32,
    hardening: Hardening,
  },
  /// Answers `CreateRuntime` `id`.
  RuntimeReady {
    id: u64,
    error: Option<String>,
  },
  Output {
    req: u64,
    stream: Stream,
    data: Vec<u8>,
  },
  /// Sent before the sidecar ends itself because a guest could not be
  /// stopped in time; the host reports `kind` instead of a crash.
  Fatal {
    req: u64,
    kind: ExitKind,
  },
  Completed {
    req: u64,
    outcome: Box<Outcome>,
  },
  /// A guest process of runtime `rt` (serving call `req`) asks the host.
  Query {
    id: u64,
    rt: u32,
    req: u64,
    query: Query,
  },
  /// Runtime `rt` reports `event` (sent only when its config asks).
  Audit {
    rt: u32,
    event: AuditEvent,
  },
  /// Answers `Fs` `id`.
  FsDone {
    id: u64,
    result: Result<FsReply, FsError>,
  },
  /// Answers `OpenContext` `id`: the context's pid, or why it could not start.
  ContextOpened {
    id: u64,
    result: Result<u32, String>,
  },
  /// A step of host connection `conn` (see `ToSidecar::Bridge`).
  Bridge {
    conn: u64,
    msg: BridgeMsg,
  },
  /// A step of the host's process `id` (see `ToSidecar::Spawn`).
  Proc {
    id: u64,
    msg: ProcMsg,
  },
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn frames_round_trip() {
    let msg = ToSidecar::Execute(Box::new(ExecRequest {
      rt: 1,
      req: 7,
      code: "__return(1)".into(),
      file_path: "/index.js".into(),
      timeout_ms: Some(5),
      env: vec![("A".into(), "b".into())],
      cwd: "/".into(),
      argv: vec![],
      stdin: Some(vec![1, 2, 3]),
      stream: true,
    }));
    let buf = encode(&msg).unwrap();
    let back: ToSidecar = read_frame(&mut &buf[..]).unwrap().unwrap();
    assert_eq!(back, msg);
  }

  #[test]
  fn context_frames_round_trip() {
    for msg in [
      ToSidecar::OpenContext(Box::new(ContextRequest {
        rt: 1,
        id: 2,
        ctx: 3,
        file_path: "/index.js".into(),
        env: vec![("A".into(), "b".into())],
        cwd: "/home/user".into(),
        argv: vec!["x".into()],
      })),
      ToSidecar::ContextCall(Box::new(ContextCall {
        rt: 1,
        req: 4,
        ctx: 3,
        code: "let a = 1".into(),
        file_path: "/index.js".into(),
        timeout_ms: None,
        stream: false,
      })),
      ToSidecar::CloseContext { rt: 1, ctx: 3 },
      ToSidecar::Spawn(Box::new(SpawnRequest {
        rt: 1,
        id: 5,
        file: "node".into(),
        args: vec!["-e".into(), "0".into()],
        env: vec![],
        cwd: "/".into(),
        timeout_ms: Some(3),
        tty: Some((80, 24)),
      })),
      ToSidecar::Proc {
        rt: 1,
        id: 5,
        msg: ProcMsg::Stdin(vec![1, 2]),
      },
    ] {
      let buf = encode(&msg).unwrap();
      let back: ToSidecar = read_frame(&mut &buf[..]).unwrap().unwrap();
      assert_eq!(back, msg);
    }
    let reply = ToHost::ContextOpened {
      id: 2,
      result: Err("no".into()),
    };
    let buf = encode(&reply).unwrap();
    let back: ToHost = read_frame(&mut &buf[..]).unwrap().unwrap();
    assert_eq!(back, reply);
  }

  #[test]
  fn clean_eof_is_none() {
    let r: Option<ToHost> = read_frame(&mut &[][..]).unwrap();
    assert!(r.is_none());
  }

  #[test]
  fn truncated_frame_is_an_error() {
    let buf = encode(&ToHost::RuntimeReady { id: 3, error: None }).unwrap();
    let r: Result<Option<ToHost>, _> = read_frame(&mut &buf[..buf.len() - 1]);
    assert!(r.is_err());
  }

  #[test]
  fn a_length_cut_short_is_an_error() {
    let buf = encode(&ToHost::RuntimeReady { id: 3, error: None }).unwrap();
    for cut in 1..4 {
      let r: Result<Option<ToHost>, _> = read_frame(&mut &buf[..cut]);
      assert!(matches!(r, Err(IpcError::Io(_))), "{cut}: {r:?}");
    }
  }

  #[test]
  fn oversized_frame_is_refused_before_allocating() {
    let mut buf = ((MAX_IPC_FRAME_BYTES + 1) as u32).to_le_bytes().to_vec();
    buf.extend_from_slice(&[0; 16]);
    let r: Result<Option<ToHost>, _> = read_frame(&mut &buf[..]);
    assert!(matches!(r, Err(IpcError::FrameTooLarge(_))));
  }

  #[test]
  fn oversized_message_is_refused_on_encode() {
    let big = ToHost::Output {
      req: 1,
      stream: Stream::Stdout,
      data: vec![0; MAX_IPC_FRAME_BYTES + 1],
    };
    assert!(matches!(encode(&big), Err(IpcError::FrameTooLarge(_))));
  }

  /// Hostile bytes never panic the decoder: random frames, and valid frames
  /// with random bytes flipped, decode to a message or an error.
  #[test]
  fn random_and_mutated_frames_never_panic() {
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      seed
    };
    let valid = encode(&ToHost::Completed {
      req: 9,
      outcome: Box::new(Outcome {
        kind: ExitKind::Uncaught,
        code: 1,
        value: Some(vec![1, 2, 3]),
        exports: None,
        error: Some(GuestError {
          name: "E".into(),
          message: "m".into(),
          stack: "s".into(),
          code: None,
        }),
        stdout: b"out".to_vec(),
        stderr: vec![],
        stdout_truncated: false,
        stderr_truncated: true,
      }),
    })
    .unwrap();
    for _ in 0..20_000 {
      let mut buf = if next() % 2 == 0 {
        let len = (next() % 64) as usize;
        let mut b = (len as u32).to_le_bytes().to_vec();
        b.extend((0..len).map(|_| next() as u8));
        b
      } else {
        valid.clone()
      };
      for _ in 0..(next() % 4) {
        let i = 4 + (next() as usize) % (buf.len() - 4).max(1);
        if i < buf.len() {
          buf[i] = next() as u8;
        }
      }
      let _ = read_frame::<_, ToHost>(&mut &buf[..]);
      let _ = read_frame::<_, ToSidecar>(&mut &buf[..]);
    }
  }

  #[test]
  fn garbage_is_a_decode_error() {
    let mut buf = 3u32.to_le_bytes().to_vec();
    buf.extend_from_slice(&[0xff, 0xff, 0xff]);
    let r: Result<Option<ToSidecar>, _> = read_frame(&mut &buf[..]);
    assert!(matches!(r, Err(IpcError::Decode(_))));
  }
}

#[cfg(test)]
mod proptests;
