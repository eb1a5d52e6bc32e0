//! Resource limits of a runtime: the defaults users get, and the hard caps
//! that no option can lift.
use crate::ipc::RuntimeConfig;

/// Default `limits.memoryMb`: the JS heap, and separately the ArrayBuffer
/// memory, of one guest process.
pub const DEFAULT_MEMORY_MB: u32 = 128;
/// Smallest useful heap; below this V8 cannot even set up a context.
pub const MIN_MEMORY_MB: u32 = 8;
/// Cap on `memoryMb`: stops one runtime from claiming the host's memory.
pub const MAX_MEMORY_MB: u32 = 16 * 1024;
/// Default `limits.cpuTimeMs` of one `run()`/`exec()`.
pub const DEFAULT_CPU_TIME_MS: u64 = 30_000;
/// Default `limits.wallTimeMs` of one `run()`/`exec()`.
pub const DEFAULT_WALL_TIME_MS: u64 = 60_000;
/// Cap on either time limit (one day).
pub const MAX_TIME_MS: u64 = 24 * 3600 * 1000;
/// Default `limits.maxOutputBytes` captured per stream (as Node's
/// `child_process.exec` maxBuffer).
pub const DEFAULT_MAX_OUTPUT_BYTES: u64 = 1024 * 1024;
/// Cap on captured output per stream; streaming through `onStdio` is not
/// bounded by this, only capture is. Both streams and the return value must
/// fit one IPC frame (`ipc::MAX_IPC_FRAME_BYTES`).
pub const MAX_OUTPUT_BYTES: u64 = 16 * 1024 * 1024;
/// Largest value a guest may pass to `__return` (serialized).
pub const MAX_RETURN_BYTES: usize = 24 * 1024 * 1024;
/// Most `vm` contexts one guest process may make: each is a whole V8
/// context (its intrinsics, a global) kept until the call ends.
pub const MAX_VM_CONTEXTS: usize = 64;
/// Largest guest source accepted for one call.
pub const MAX_CODE_BYTES: usize = 16 * 1024 * 1024;
/// Largest `stdin` accepted for one call.
pub const MAX_STDIN_BYTES: usize = 16 * 1024 * 1024;
/// Most bytes one `crypto.getRandomValues` call may ask for (as the Web Crypto spec).
pub const MAX_RANDOM_BYTES: usize = 65536;
/// Digest contexts (`createHash`/`createHmac` fed more than one chunk, and
/// their copies) one guest process may hold at once. Each is under 1 KB of
/// the sidecar's memory until `digest()` or the end of the process.
pub const MAX_HASH_CONTEXTS: usize = 4096;
/// Largest input of one crypto op (a hash update, a key, a password, a
/// salt): bounds how long one op hashes. The guest feeds larger updates in
/// parts.
pub const MAX_CRYPTO_INPUT_BYTES: usize = 64 * 1024 * 1024;
/// Work one PBKDF2 or scrypt call may ask for, in hash compressions or
/// Salsa20/8 cores (about a quarter of a second on one core): the op runs
/// on the guest's thread and cannot be interrupted, and a stopped guest
/// must unwind within the watchdog's grace period.
pub const MAX_KDF_WORK: u64 = 1 << 22;
/// Largest input of one `text_encode`/`text_decode` call (Buffer's hex
/// and base64 on the host). The host allocates up to twice this for the
/// answer, outside the guest's heap limit; Buffer does larger work in guest
/// JS instead, inside it.
pub const MAX_TEXT_OP_BYTES: usize = 16 * 1024 * 1024;
/// Longest domain name `url.domainToASCII`/`domainToUnicode` and
/// `url.parse()` hand to the IDNA code (a host name is at most 253 bytes;
/// longer input only costs host CPU).
pub const MAX_DOMAIN_BYTES: usize = 64 * 1024;
/// Largest CommonJS source whose named exports are detected for `import`
/// (kernel::cjs_exports): the parse takes about 7 times the source's size
/// of host memory (typescript.js, 9 MB, took 54 MB). A larger module still
/// loads, with no named exports.
pub const MAX_CJS_SOURCE_BYTES: usize = 16 * 1024 * 1024;
/// Most export names (and, separately, re-exported specifiers) detected in
/// one CommonJS source.
pub const MAX_CJS_EXPORT_NAMES: usize = 65_536;
/// Longest text of one field of a guest error (name, message, stack, code,
/// Node's printed report): a guest throwing an Error with 20 MB fields must
/// not make a result frame too large to send. Longer text is cut with a marker.
pub const MAX_REPORT_FIELD_BYTES: usize = 256 * 1024;
/// Longest single wait of a guest's event loop, in ms (Node's TIMEOUT_MAX):
/// any wait the guest reports is capped here; the wall limit ends a call
/// long before.
pub const MAX_LOOP_WAIT_MS: f64 = 2_147_483_647.0;
/// Largest chunk of streamed output in one frame.
pub const MAX_STREAM_CHUNK_BYTES: usize = 64 * 1024;
/// Streamed output sent but not yet taken by the host's `onStdio` listener.
/// A guest that outruns the listener waits at its next write; the shared
/// channel and the host's reader never do.
pub const STREAM_WINDOW_BYTES: u64 = 64 * 1024;
/// What one chunk of streamed output costs of the window: at least half of
/// it, so that at most two chunks wait for the host's JS thread at a time
/// (a slow listener then delays other runtimes' results by two calls at most).
pub fn stream_credit(len: usize) -> u64 {
  (len as u64).max(STREAM_WINDOW_BYTES / 2)
}

/// After a call, ArrayBuffer memory (or JS heap above the fresh baseline)
/// still held past a full GC by this many bytes means something of the
/// finished call is still alive: the isolate is replaced before the next call.
pub const MAX_RETAINED_BYTES: usize = 4 * 1024 * 1024;
/// Async ops one guest process may have in flight at once.
pub const MAX_PENDING_OPS: usize = 65_536;
/// Host queries (tool calls, permission callbacks) a runtime may have
/// waiting for the host at once.
pub const MAX_PENDING_QUERIES: usize = 1024;
/// Bytes of query arguments a runtime may have waiting for the host at
/// once: the host keeps each query's arguments until it answers, so this
/// bounds what a guest can make the host hold.
pub const MAX_QUERY_BYTES_IN_FLIGHT: usize = 64 * 1024 * 1024;

/// Audit events one guest process may send; later ones are dropped (one
/// `Dropped` event says so).
pub const MAX_AUDIT_EVENTS_PER_PROCESS: u64 = 10_000;
/// Host permission answers one guest process keeps (when the host asks
/// for them to be kept); past this, answers are not kept.
pub const MAX_CACHED_PERMISSIONS: usize = 4096;
/// Environment variables of one guest process, and the bytes of one name
/// or value.
pub const MAX_ENV_VARS: usize = 4096;
pub const MAX_ENV_BYTES: usize = 128 * 1024;
/// zlib and brotli streams one guest process may have open at once.
pub const MAX_ZLIB_STREAMS: usize = 1024;
/// Host memory the zlib and brotli streams of one guest process may hold
/// (their compressor state: output always goes to the guest's own
/// buffers). Brotli's best quality takes about 64 MiB for its default
/// 4 MiB window; a stream that would go over fails with Z_MEM_ERROR.
pub const MAX_ZLIB_MEMORY_BYTES: usize = 128 * 1024 * 1024;
/// Finished contexts kept (with their emptied microtask queues) before the
/// isolate is replaced; bounds the per-call bookkeeping.
pub const MAX_RETIRED_CONTEXTS: usize = 512;
/// Persistent contexts (`rt.createContext()`) one runtime may have open at
/// once. Each is a whole V8 context with its globals, module cache and
/// guest process state, kept between calls in the runtime's one heap.
pub const MAX_PERSISTENT_CONTEXTS: usize = 16;

/// Default `limits.maxFsBytes`: bytes the runtime's VFS may hold (file
/// data, link targets, names). It lives in the sidecar's memory.
pub const DEFAULT_MAX_FS_BYTES: u64 = 128 * 1024 * 1024;
pub const MAX_MAX_FS_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Default `limits.maxFileSize`.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;
pub const MAX_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024 * 1024;
/// Default `limits.maxOpenFiles` of one guest process.
pub const DEFAULT_MAX_OPEN_FILES: u64 = 1024;
/// Default `limits.maxProcesses`: processes the guests of a runtime may
/// have spawned and not reaped at once (`EAGAIN`).
pub const DEFAULT_MAX_PROCESSES: u64 = 64;
pub const MAX_MAX_PROCESSES: u64 = 1024;
/// Most output `spawnSync` gathers, whatever `maxBuffer` says (it is held
/// in the sidecar before the guest gets it).
pub const MAX_SPAWN_SYNC_BUFFER: usize = 256 * 1024 * 1024;
pub const MAX_MAX_OPEN_FILES: u64 = 65_536;
/// Default `limits.maxPathLength` (Linux's PATH_MAX).
pub const DEFAULT_MAX_PATH_LENGTH: u64 = 4096;
pub const MAX_MAX_PATH_LENGTH: u64 = 65_536;
/// Default `limits.maxSockets`: sockets a runtime's guests hold at once
/// (listeners and both ends of loopback connections count).
pub const DEFAULT_MAX_SOCKETS: u64 = 1024;
pub const MAX_MAX_SOCKETS: u64 = 65_536;
/// Default `limits.maxNetworkBytes`: bytes a runtime's guests send and
/// receive over real connections (egress), in and out together.
pub const DEFAULT_MAX_NETWORK_BYTES: u64 = 1024 * 1024 * 1024;
pub const MAX_MAX_NETWORK_BYTES: u64 = 1 << 50;
/// Default `limits.connectTimeoutMs`: a real connection (resolving
/// included) not made by then fails with ETIMEDOUT.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 30_000;
pub const MAX_CONNECT_TIMEOUT_MS: u64 = 300_000;
/// Inodes one VFS may hold (files, directories, links).
pub const MAX_INODES: u64 = 1_000_000;

/// User-supplied limits; `None` means the default.
#[derive(Debug, Default, Clone)]
pub struct RequestedLimits {
  pub memory_mb: Option<f64>,
  pub cpu_time_ms: Option<f64>,
  pub wall_time_ms: Option<f64>,
  pub max_output_bytes: Option<f64>,
  pub max_fs_bytes: Option<f64>,
  pub max_file_size: Option<f64>,
  pub max_open_files: Option<f64>,
  pub max_path_length: Option<f64>,
  pub max_sockets: Option<f64>,
  pub max_processes: Option<f64>,
  pub max_network_bytes: Option<f64>,
  pub connect_timeout_ms: Option<f64>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("The value of \"limits.{name}\" is out of range. It must be {range}. Received {received}")]
pub struct LimitError {
  pub name: &'static str,
  pub range: String,
  pub received: String,
}

fn pick(
  name: &'static str,
  v: Option<f64>,
  default: u64,
  min: u64,
  max: u64,
) -> Result<u64, LimitError> {
  match v {
    None => Ok(default),
    Some(x) if x.is_finite() && x >= min as f64 && x <= max as f64 => Ok(x as u64),
    Some(x) => Err(LimitError {
      name,
      range: format!(">= {min} && <= {max}"),
      received: format!("{x}"),
    }),
  }
}

impl RequestedLimits {
  pub fn resolve(&self, timing_freeze: bool) -> Result<RuntimeConfig, LimitError> {
    Ok(RuntimeConfig {
      memory_mb: pick(
        "memoryMb",
        self.memory_mb,
        DEFAULT_MEMORY_MB as u64,
        MIN_MEMORY_MB as u64,
        MAX_MEMORY_MB as u64,
      )? as u32,
      cpu_time_ms: pick(
        "cpuTimeMs",
        self.cpu_time_ms,
        DEFAULT_CPU_TIME_MS,
        1,
        MAX_TIME_MS,
      )?,
      wall_time_ms: pick(
        "wallTimeMs",
        self.wall_time_ms,
        DEFAULT_WALL_TIME_MS,
        1,
        MAX_TIME_MS,
      )?,
      max_output_bytes: pick(
        "maxOutputBytes",
        self.max_output_bytes,
        DEFAULT_MAX_OUTPUT_BYTES,
        0,
        MAX_OUTPUT_BYTES,
      )?,
      max_fs_bytes: pick(
        "maxFsBytes",
        self.max_fs_bytes,
        DEFAULT_MAX_FS_BYTES,
        0,
        MAX_MAX_FS_BYTES,
      )?,
      max_file_size: pick(
        "maxFileSize",
        self.max_file_size,
        DEFAULT_MAX_FILE_SIZE,
        0,
        MAX_MAX_FILE_SIZE,
      )?,
      max_open_files: pick(
        "maxOpenFiles",
        self.max_open_files,
        DEFAULT_MAX_OPEN_FILES,
        1,
        MAX_MAX_OPEN_FILES,
      )?,
      max_path_length: pick(
        "maxPathLength",
        self.max_path_length,
        DEFAULT_MAX_PATH_LENGTH,
        64,
        MAX_MAX_PATH_LENGTH,
      )?,
      max_sockets: pick(
        "maxSockets",
        self.max_sockets,
        DEFAULT_MAX_SOCKETS,
        1,
        MAX_MAX_SOCKETS,
      )?,
      max_processes: pick(
        "maxProcesses",
        self.max_processes,
        DEFAULT_MAX_PROCESSES,
        0,
        MAX_MAX_PROCESSES,
      )?,
      max_network_bytes: pick(
        "maxNetworkBytes",
        self.max_network_bytes,
        DEFAULT_MAX_NETWORK_BYTES,
        0,
        MAX_MAX_NETWORK_BYTES,
      )?,
      connect_timeout_ms: pick(
        "connectTimeoutMs",
        self.connect_timeout_ms,
        DEFAULT_CONNECT_TIMEOUT_MS,
        1,
        MAX_CONNECT_TIMEOUT_MS,
      )?,
      timing_freeze,
      dedicated: true,
      test_ops: false,
      tools: Vec::new(),
      permissions: Default::default(),
      os: Default::default(),
      mounts: Vec::new(),
      audit: false,
      typescript: Default::default(),
    })
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn defaults_apply() {
    let c = RequestedLimits::default().resolve(false).unwrap();
    assert_eq!(c.memory_mb, DEFAULT_MEMORY_MB);
    assert_eq!(c.cpu_time_ms, DEFAULT_CPU_TIME_MS);
    assert_eq!(c.wall_time_ms, DEFAULT_WALL_TIME_MS);
    assert_eq!(c.max_output_bytes, DEFAULT_MAX_OUTPUT_BYTES);
  }

  #[test]
  fn caps_cannot_be_lifted() {
    let r = RequestedLimits {
      memory_mb: Some(1e9),
      ..Default::default()
    }
    .resolve(false);
    assert_eq!(r.unwrap_err().name, "memoryMb");
    let r = RequestedLimits {
      cpu_time_ms: Some((MAX_TIME_MS + 1) as f64),
      ..Default::default()
    }
    .resolve(false);
    assert_eq!(r.unwrap_err().name, "cpuTimeMs");
    let r = RequestedLimits {
      max_output_bytes: Some(f64::INFINITY),
      ..Default::default()
    }
    .resolve(false);
    assert_eq!(r.unwrap_err().name, "maxOutputBytes");
  }

  #[test]
  fn bad_values_are_refused() {
    for v in [f64::NAN, -1.0, 0.0] {
      let r = RequestedLimits {
        cpu_time_ms: Some(v),
        ..Default::default()
      }
      .resolve(false);
      assert!(r.is_err(), "{v}");
    }
    let r = RequestedLimits {
      memory_mb: Some(4.0),
      ..Default::default()
    }
    .resolve(false);
    assert!(r.unwrap_err().to_string().contains("limits.memoryMb"));
  }

  #[test]
  fn lower_limits_are_kept() {
    let c = RequestedLimits {
      memory_mb: Some(64.0),
      cpu_time_ms: Some(10.0),
      ..Default::default()
    }
    .resolve(true)
    .unwrap();
    assert_eq!(
      (c.memory_mb, c.cpu_time_ms, c.timing_freeze),
      (64, 10, true)
    );
  }
}
