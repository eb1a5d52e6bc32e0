//! The virtual kernel behind every guest syscall. One [`Kernel`] per
//! runtime lives from `create()` to `dispose()` and is shared by every guest
//! process of the runtime; each process keeps its own state
//! ([`process::Process`]). Guest syscalls are the entries of
//! [`syscall::OPS`], declared with [`op`]'s `ops!` macro.
pub mod child;
pub mod cjs_exports;
pub mod clock;
pub mod crypto;
pub mod env;
pub mod error;
pub mod fd;
pub mod fs;
pub mod limits;
pub mod mount;
pub mod net;
pub mod op;
pub mod permission;
pub mod pipe;
pub mod policy;
pub mod process;
pub mod resolve;
pub mod serdes;
pub mod shell;
pub mod stdio;
pub mod syscall;
pub mod text;
pub mod tty;
pub mod typescript;
pub mod url;
pub mod vfs;
pub mod wasm;
pub mod zlib;

use std::sync::{Mutex, MutexGuard};

use crate::ipc::RuntimeConfig;

/// `os.hostname()` and `/etc/hostname` unless the host sets another.
pub const DEFAULT_HOSTNAME: &str = "sandbox";

/// File times: the wall clock, or under timing freeze the moment the
/// runtime was made (a file's mtime must not be a clock either).
fn file_clock(freeze: bool) -> Box<dyn Fn() -> vfs::Timespec + Send> {
  let now = || {
    let d = std::time::SystemTime::now()
      .duration_since(std::time::UNIX_EPOCH)
      .unwrap_or_default();
    vfs::Timespec {
      sec: d.as_secs() as i64,
      nsec: d.subsec_nanos(),
    }
  };
  if freeze {
    let t = now();
    Box::new(move || t)
  } else {
    Box::new(now)
  }
}

impl Default for Kernel {
  /// A kernel with default limits and nothing allowed (tests, benches).
  fn default() -> Kernel {
    let config = limits::RequestedLimits::default()
      .resolve(false)
      .expect("default limits");
    Kernel::new(&config).expect("default policy")
  }
}

/// A runtime's kernel state. Every part has its own lock, so that
/// host-side calls can be served off the guest thread while a guest runs.
/// The socket table joins it with the networking issue.
pub struct Kernel {
  processes: Mutex<process::ProcessTable>,
  vfs: Mutex<vfs::Vfs>,
  sockets: Mutex<net::socket::SocketTable>,
  /// Pipes between the runtime's processes (held by their descriptors).
  pub pipes: pipe::SharedPipes,
  /// The next `worker_threads` thread id (the main thread's is 0).
  pub next_thread_id: std::sync::atomic::AtomicU32,
  /// Host directories in the tree (served by the host: `kernel::mount`).
  pub mounts: Vec<crate::ipc::MountSpec>,
  /// Fixed at `create()`.
  pub policy: policy::Policy,
  /// Send audit events to the host (it listens).
  pub audit: bool,
  /// `limits.maxPathLength`: no longer path reaches the policy or the host.
  pub max_path_length: usize,
  /// `limits.connectTimeoutMs`.
  pub connect_timeout_ms: u32,
  /// CommonJS export names found before, by source (a pure function of it:
  /// a later call importing the same packages does not parse them again).
  pub cjs_exports: resolve::CjsExportsCache,
  /// How TypeScript files become JavaScript, and the transforms kept.
  pub typescript: typescript::TypeScriptConfig,
  ts_cache: Mutex<typescript::store::Cache>,
  /// Transforms made (not served from the cache), for the tests.
  pub ts_transforms: std::sync::atomic::AtomicU64,
  /// Holds fs checks under path rules and their operations together.
  pub fs_serial: std::sync::Arc<fs::FsSerial>,
}

impl Kernel {
  /// The kernel of a runtime made with `config`; fails for a policy the
  /// host should have refused.
  pub fn new(config: &RuntimeConfig) -> Result<Kernel, String> {
    let limits = vfs::VfsLimits {
      max_bytes: config.max_fs_bytes,
      max_file_size: config.max_file_size,
      max_path_length: config.max_path_length as usize,
      max_inodes: limits::MAX_INODES,
    };
    let mut vfs = vfs::Vfs::with_default_tree(
      limits,
      file_clock(config.timing_freeze),
      &config.os.hostname,
    );
    for (i, m) in config.mounts.iter().enumerate() {
      vfs
        .add_mount(&m.guest_path, i as u32)
        .map_err(|e| format!("cannot mount at {}: {}", m.guest_path, e.code()))?;
    }
    Ok(Kernel {
      processes: Mutex::new(process::ProcessTable::new(config.max_processes as usize)),
      vfs: Mutex::new(vfs),
      sockets: Mutex::new(net::socket::SocketTable::new(net::socket::SocketLimits {
        max_sockets: config.max_sockets as usize,
        max_network_bytes: config.max_network_bytes,
        ..Default::default()
      })),
      pipes: Default::default(),
      next_thread_id: std::sync::atomic::AtomicU32::new(1),
      connect_timeout_ms: config.connect_timeout_ms.min(u32::MAX as u64) as u32,
      mounts: config.mounts.clone(),
      policy: policy::Policy::new(&config.permissions)?,
      audit: config.audit,
      max_path_length: config.max_path_length as usize,
      cjs_exports: resolve::CjsExportsCache::default(),
      typescript: config.typescript.clone(),
      ts_cache: Mutex::default(),
      ts_transforms: Default::default(),
      fs_serial: Default::default(),
    })
  }

  /// The runtime's filesystem. Held only for one operation at a time.
  pub fn vfs(&self) -> MutexGuard<'_, vfs::Vfs> {
    self.vfs.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// The runtime's TypeScript transforms. Held only for a lookup or an insert.
  pub fn sockets(&self) -> MutexGuard<'_, net::socket::SocketTable> {
    self.sockets.lock().unwrap_or_else(|e| e.into_inner())
  }

  pub fn ts_cache(&self) -> MutexGuard<'_, typescript::store::Cache> {
    self.ts_cache.lock().unwrap_or_else(|e| e.into_inner())
  }

  pub fn processes(&self) -> MutexGuard<'_, process::ProcessTable> {
    self.processes.lock().unwrap_or_else(|e| e.into_inner())
  }
}
