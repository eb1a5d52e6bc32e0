//! Guest processes: the runtime's process table (pids, parents, exit
//! statuses) and the kernel-side state each process owns (its stdio, clock,
//! cwd and environment).
use std::collections::{BTreeMap, HashMap};

use super::clock::Clock;
use super::error::OpError;
use super::stdio::Stdio;

/// What a guest process can ask its supervisor (the runtime thread) to do.
pub trait ProcessControl {
  /// `process.exit(code)`: end the guest now.
  fn exit(&self, code: i32);
  /// Asks the host and waits for its answer (a permission callback or a
  /// host tool). Stop, timeout, abort and dispose end the wait at once.
  fn query_host(&self, query: crate::ipc::Query) -> Result<Vec<u8>, OpError>;
  /// The same, as an async op: the future settles from the event loop.
  fn query_host_async(&self, query: crate::ipc::Query) -> super::op::OpFuture;
  /// The next finished async op of process `pid`: its promise and result.
  fn next_completion(&self, pid: u32) -> Option<(u32, super::op::OpOutcome)>;
  /// `ref()`/`unref()` of a pending async op; false when none is pending.
  fn set_op_ref(&self, promise: u32, refed: bool) -> bool;
  /// Sends an audit event to the host.
  fn audit(&self, event: crate::ipc::AuditEvent);
  /// A TCP connection off the runtime's loopback, made by the host under
  /// its own check of the policy: the connected socket and what it reached.
  fn connect_host(&self, host: String, port: u16, timeout_ms: u32) -> ConnectFuture {
    let _ = (host, port, timeout_ms);
    Box::pin(std::future::ready(Err(
      super::error::KernelError::new(super::error::Errno::EACCES, "connect").into(),
    )))
  }
}

/// What `connect_host` settles with.
pub type ConnectFuture = std::pin::Pin<
  Box<
    dyn std::future::Future<
      Output = Result<(std::os::fd::OwnedFd, crate::ipc::Connected), OpError>,
    >,
  >,
>;

/// Highest pid a runtime hands out before it wraps around (Linux's default
/// `pid_max` on 64-bit).
pub const MAX_PID: u32 = 4_194_304;
/// The first pid a runtime gives its guest processes.
pub const FIRST_PID: u32 = 100;
/// Exit statuses kept for processes nobody waited for; the oldest go first.
const MAX_ZOMBIES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessState {
  Running,
  Exited(i32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessEntry {
  pub ppid: u32,
  pub state: ProcessState,
}

/// The runtime's process table. Every `run()`/`exec()` is a process here;
/// later issues add children spawned by the guest.
#[derive(Debug)]
pub struct ProcessTable {
  next: u32,
  entries: BTreeMap<u32, ProcessEntry>,
}

impl Default for ProcessTable {
  fn default() -> Self {
    ProcessTable {
      next: FIRST_PID,
      entries: BTreeMap::new(),
    }
  }
}

impl ProcessTable {
  /// A new running process under `ppid`; its pid is the next free one.
  pub fn spawn(&mut self, ppid: u32) -> u32 {
    loop {
      let pid = self.next;
      self.next = if self.next >= MAX_PID {
        FIRST_PID
      } else {
        self.next + 1
      };
      if let std::collections::btree_map::Entry::Vacant(e) = self.entries.entry(pid) {
        e.insert(ProcessEntry {
          ppid,
          state: ProcessState::Running,
        });
        return pid;
      }
    }
  }

  /// The process ended with `code`; it stays (a zombie) until reaped.
  pub fn exit(&mut self, pid: u32, code: i32) {
    if let Some(e) = self.entries.get_mut(&pid) {
      e.state = ProcessState::Exited(code);
    }
    // Bound the zombies of processes nobody waits for.
    let zombies: Vec<u32> = self
      .entries
      .iter()
      .filter(|(_, e)| matches!(e.state, ProcessState::Exited(_)))
      .map(|(p, _)| *p)
      .collect();
    for pid in zombies
      .iter()
      .take(zombies.len().saturating_sub(MAX_ZOMBIES))
    {
      self.entries.remove(pid);
    }
  }

  /// Collects an exited process's status and frees its pid.
  pub fn reap(&mut self, pid: u32) -> Option<i32> {
    match self.entries.get(&pid)?.state {
      ProcessState::Exited(code) => {
        self.entries.remove(&pid);
        Some(code)
      }
      ProcessState::Running => None,
    }
  }
}

/// The guest user's home: `os.homedir()` and the default cwd.
pub const HOME: &str = "/home/user";

/// The kernel-side state of one guest process.
pub struct Process {
  pub pid: u32,
  pub stdio: Stdio,
  /// Bytes of the value given to `__return` (V8 structured-clone format).
  pub return_value: Option<Vec<u8>>,
  /// Bytes of the main module's exports, when the entry was ESM.
  pub exports: Option<Vec<u8>>,
  pub exit_code: Option<i32>,
  /// What `clock_now` reads: real, or virtual under timing freeze.
  pub clock: Clock,
  pub cwd: String,
  pub env: Vec<(String, String)>,
  /// The diagnostic ops the test suite drives (`create({ testOps })`).
  pub test_ops: bool,
  /// Host permission answers kept for this process (the host asked), by
  /// (scope, access, op, target).
  pub permission_cache: super::permission::PermissionCache,
  /// Audit events this process sent.
  pub audit_events: u64,
  /// Open files of the runtime's VFS (closed by the op state's drop).
  pub fds: super::fd::FdTable,
  /// File-creation mask.
  pub umask: u32,
  /// Module resolvers (require, import), made on first use; their caches
  /// end with the process.
  pub resolvers: [Option<super::resolve::ModuleResolver>; 3],
  /// Resolutions made (their caches are emptied every so many).
  pub resolutions: u64,
  /// Digest contexts of the guest's `crypto` (hashes fed in parts).
  pub crypto: super::crypto::Contexts,
  /// `limits.memoryMb` in bytes: what one op may allocate for the guest
  /// at most (scrypt's table).
  pub memory_limit: u64,
  /// Source maps of the TypeScript files this process loaded, for its
  /// stack traces.
  pub ts_maps: super::typescript::store::ProcessMaps,
}

impl Process {
  pub fn new(pid: u32, stdio: Stdio, clock: Clock) -> Process {
    Process {
      pid,
      stdio,
      return_value: None,
      exports: None,
      exit_code: None,
      clock,
      cwd: HOME.into(),
      env: Vec::new(),
      test_ops: false,
      permission_cache: HashMap::new(),
      audit_events: 0,
      fds: super::fd::FdTable::new(super::limits::DEFAULT_MAX_OPEN_FILES as usize),
      umask: super::fs::DEFAULT_UMASK,
      resolvers: [None, None, None],
      resolutions: 0,
      crypto: Default::default(),
      memory_limit: super::limits::DEFAULT_MEMORY_MB as u64 * 1024 * 1024,
      ts_maps: Default::default(),
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn pids_count_up_skip_live_ones_and_wrap() {
    let mut t = ProcessTable::default();
    let a = t.spawn(1);
    let b = t.spawn(1);
    assert_eq!((a, b), (FIRST_PID, FIRST_PID + 1));
    t.next = MAX_PID;
    assert_eq!(t.spawn(1), MAX_PID);
    // Wraps to the first pid, skipping the two still running.
    assert_eq!(t.spawn(1), FIRST_PID + 2);
    assert_eq!(t.entries.len(), 4);
  }

  #[test]
  fn exited_processes_are_reaped_once_and_bounded() {
    let mut t = ProcessTable::default();
    let a = t.spawn(1);
    assert_eq!(t.reap(a), None);
    t.exit(a, 3);
    assert_eq!(
      t.entries.get(&a).map(|e| e.state),
      Some(ProcessState::Exited(3))
    );
    assert_eq!(t.reap(a), Some(3));
    assert_eq!(t.reap(a), None);
    for _ in 0..(MAX_ZOMBIES * 2) {
      let p = t.spawn(1);
      t.exit(p, 0);
    }
    assert!(t.entries.len() <= MAX_ZOMBIES);
  }
}
