//! Guest processes: the runtime's process table (pids, parents, exit
//! statuses) and the kernel-side state each process owns (its stdio, clock,
//! cwd and environment).
use std::collections::{BTreeMap, HashMap};

use super::clock::Clock;
use super::error::Errno;
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
  /// Ends the process by signal `sig` (its default action).
  fn raise(&self, sig: u8) {
    self.exit(128 + i32::from(sig));
  }
  /// Starts `child` on a thread of its own (its pid is in the table).
  fn spawn(&self, child: ChildStart) -> Result<(), OpError> {
    drop(child);
    Err(super::error::KernelError::new(Errno::EAGAIN, "spawn").into())
  }
  /// Whether the process is being stopped (a signal, a limit, its call's
  /// end): code of the kernel's own that runs long checks it.
  fn stopped(&self) -> bool {
    false
  }
  /// An interactive shell takes back its stop by a key's signal (SIGINT,
  /// SIGQUIT), as it ignores those: true when that was its stop. Only for
  /// code of the kernel's own (no isolate was terminated).
  fn take_interrupt(&self) -> bool {
    false
  }
  /// Blocks the process until `until` is ready (its async ops progress
  /// meanwhile); false when the process is being stopped first.
  fn wait(&self, until: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>) -> bool;
  /// A TCP connection off the runtime's loopback, made by the host under
  /// its own check of the policy: the connected socket and what it reached.
  fn connect_host(&self, host: String, port: u16, timeout_ms: u32) -> ConnectFuture {
    let _ = (host, port, timeout_ms);
    Box::pin(std::future::ready(Err(
      super::error::KernelError::new(super::error::Errno::EACCES, "connect").into(),
    )))
  }
}

/// A running guest process as others may signal it (its thread's stop).
pub trait Signals: Send + Sync {
  /// Delivers signal `sig` (1-64): to the process's listener in its next
  /// poll phase when it has one, else by the default action at once.
  fn signal(&self, sig: u8);
  /// The process has (or no longer has) a listener for `sig`.
  fn set_handled(&self, sig: u8, handled: bool);
}

/// Signals whose default action ends no process here: SIGUSR1 (Node's
/// inspector; there is none), SIGPIPE (Node ignores it), SIGCHLD, SIGCONT,
/// SIGURG and SIGWINCH (Linux ignores them), SIGSTOP, SIGTSTP, SIGTTIN and
/// SIGTTOU (they would stop the process; nothing here resumes one).
pub fn ignored_by_default(sig: u8) -> bool {
  matches!(sig, 10 | 13 | 17..=23 | 28)
}

/// The guest processes of one call (`run()`, `exec()`, a context's call):
/// they end with it, and their CPU time counts together against the call's
/// limit.
#[derive(Debug)]
pub struct Tree {
  /// The call's own process.
  pub root: u32,
  pub cpu_limit: std::time::Duration,
  /// CPU time of the tree's processes that have ended.
  pub cpu_ended: std::sync::Mutex<std::time::Duration>,
  /// `limits.memoryMb` in bytes: what the tree's processes, when there is
  /// more than one, may use together (heap after GC, ArrayBuffers), with
  /// what the kernel holds for them (`held`).
  pub memory_limit: u64,
  /// Bytes the kernel holds for the tree's processes outside their
  /// isolates (what `spawnSync` gathers).
  pub held: std::sync::atomic::AtomicU64,
  /// When its processes are stopped (its call's wall-clock limit); none
  /// for a process the host started without one.
  pub deadline: Option<std::time::Instant>,
}

/// Bytes the kernel holds for a call's processes outside their isolates
/// (what `spawnSync` gathers, a shell's `$(...)`), counted against its
/// memory limit until dropped.
pub struct Held {
  tree: Option<std::sync::Arc<Tree>>,
  bytes: std::cell::Cell<u64>,
}

impl Held {
  pub fn new(tree: Option<std::sync::Arc<Tree>>) -> Held {
    Held {
      tree,
      bytes: Default::default(),
    }
  }

  pub fn add(&self, n: usize) {
    if let Some(t) = &self.tree {
      t.held
        .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
      self.bytes.set(self.bytes.get() + n as u64);
    }
  }
}

impl Drop for Held {
  fn drop(&mut self) {
    if let Some(t) = &self.tree {
      t.held
        .fetch_sub(self.bytes.get(), std::sync::atomic::Ordering::Relaxed);
    }
  }
}

/// A guest process another one starts (`child_process`): the spawner runs
/// it on a thread of its own, in the same runtime.
pub struct ChildStart {
  pub pid: u32,
  pub kind: ChildKind,
  pub ppid: u32,
  /// The main module's source and path (`[eval]` in the cwd for `-e`).
  pub code: String,
  pub file_path: String,
  /// `process.argv` from index 2 (1 for `-e`: there is no script).
  pub args: Vec<String>,
  pub eval: bool,
  pub cwd: String,
  pub env: Vec<(String, String)>,
  pub stdio: Stdio,
  /// Its fd 0; none reads as an empty stdin.
  pub stdin: Option<super::pipe::PipeEnd>,
  /// Its ends (read, write) of an IPC channel with its parent.
  pub ipc: Option<(super::pipe::PipeEnd, super::pipe::PipeEnd)>,
  /// Bytes its bootstrap gets (a Worker's serialized workerData).
  pub start_data: Option<Vec<u8>>,
  /// Fields of its bootstrap config that differ from a process's (a
  /// Worker's pid, ppid and thread id).
  pub extra_config: Option<serde_json::Value>,
  pub tree: std::sync::Arc<Tree>,
}

/// What a spawned process runs.
pub enum ChildKind {
  /// A guest `node`: an isolate of its own runs `code`.
  Node,
  /// The kernel's own code (the shell, a stage of its pipelines), on a
  /// thread without an isolate: it gets the process's op state (fd 0 is
  /// `stdin`) and answers its exit status.
  Native(NativeMain),
  /// `file` with the process's arguments, found on its own thread (node,
  /// the shell or a command): a process the host starts (`rt.spawn`).
  /// The sender learns whether it could start.
  Exec(String, ExecStarted),
}

/// Whether a process the host started could run (a spawn error if not).
pub type ExecStarted = tokio::sync::oneshot::Sender<Result<(), Errno>>;

/// The body of a [`ChildKind::Native`] process.
pub type NativeMain = Box<dyn FnOnce(&mut super::syscall::OpState) -> i32 + Send>;

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
/// The host: parent of the processes it starts (calls, persistent
/// contexts) and of orphans, whose statuses it takes at once.
pub const HOST_PID: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessState {
  Running,
  /// Ended with an exit code, or by a signal (Node's `signalCode`).
  Exited {
    code: i32,
    signal: Option<u8>,
  },
}

#[derive(Debug)]
pub struct ProcessEntry {
  pub ppid: u32,
  /// The first process of its tree (a call's, or one the host started):
  /// processes signal only those of their own tree.
  pub tree: u32,
  pub state: ProcessState,
  /// Woken when the process ends (its parent may be waiting).
  pub exited: std::sync::Arc<tokio::sync::Notify>,
  /// A guest spawned it (it counts against the bound).
  pub spawned: bool,
  /// The host started it outside a call (`rt.spawn`): it counts against
  /// the bound, and the host reaps it when it has read its output.
  pub host_waits: bool,
  /// How others signal it while it runs (none: the host's own, or a
  /// process that cannot be signalled).
  pub signals: Option<std::sync::Arc<dyn Signals>>,
}

impl std::fmt::Debug for dyn Signals {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str("Signals")
  }
}

/// The runtime's process table: the processes the host started (each
/// `run()`/`exec()` and persistent context, bounded by the host) and those
/// guests spawn, at most `max_spawned` of them alive or unreaped at once,
/// as Linux counts a user's processes. An ended process stays, a zombie,
/// until its parent reaps it; an orphan goes to the host, which reaps it.
#[derive(Debug)]
pub struct ProcessTable {
  next: u32,
  entries: BTreeMap<u32, ProcessEntry>,
  max_spawned: usize,
  spawned: usize,
}

impl Default for ProcessTable {
  fn default() -> Self {
    ProcessTable::new(super::limits::DEFAULT_MAX_PROCESSES as usize)
  }
}

impl ProcessTable {
  pub fn new(max_spawned: usize) -> ProcessTable {
    ProcessTable {
      next: FIRST_PID,
      entries: BTreeMap::new(),
      max_spawned,
      spawned: 0,
    }
  }

  /// A new entry; `tree`: the tree it joins (none: its own).
  fn insert(&mut self, ppid: u32, tree: Option<u32>, spawned: bool, host_waits: bool) -> u32 {
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
          tree: tree.unwrap_or(pid),
          state: ProcessState::Running,
          exited: Default::default(),
          spawned,
          host_waits,
          signals: None,
        });
        return pid;
      }
    }
  }

  /// A process the host starts; its pid is the next free one.
  pub fn spawn(&mut self, ppid: u32) -> u32 {
    self.insert(ppid, None, false, false)
  }

  /// A process the host starts outside a call (`rt.spawn`): counted as a
  /// spawned one (EAGAIN past the bound), kept after its end until the host
  /// reaps it.
  pub fn spawn_for_host(&mut self) -> Result<u32, Errno> {
    if self.spawned >= self.max_spawned {
      return Err(Errno::EAGAIN);
    }
    self.spawned += 1;
    Ok(self.insert(HOST_PID, None, true, true))
  }

  /// A process guest `ppid` spawns: EAGAIN past the runtime's bound (its
  /// zombies count), ESRCH when the parent is not running.
  pub fn spawn_child(&mut self, ppid: u32) -> Result<u32, Errno> {
    let tree = match self.entries.get(&ppid) {
      Some(e) if e.state == ProcessState::Running => e.tree,
      _ => return Err(Errno::ESRCH),
    };
    if self.spawned >= self.max_spawned {
      return Err(Errno::EAGAIN);
    }
    self.spawned += 1;
    Ok(self.insert(ppid, Some(tree), true, false))
  }

  pub fn get(&self, pid: u32) -> Option<&ProcessEntry> {
    self.entries.get(&pid)
  }

  /// Nobody will wait for `pid`: the host reaps it when it ends.
  pub fn disown(&mut self, pid: u32) {
    if let Some(e) = self.entries.get_mut(&pid) {
      e.ppid = HOST_PID;
      if e.state != ProcessState::Running {
        self.reap(pid);
      }
    }
  }

  /// Process `pid` cannot be signalled from now (EPERM).
  pub fn clear_signals(&mut self, pid: u32) {
    if let Some(e) = self.entries.get_mut(&pid) {
      e.signals = None;
    }
  }

  /// How running process `pid` is signalled.
  pub fn set_signals(&mut self, pid: u32, signals: std::sync::Arc<dyn Signals>) {
    if let Some(e) = self.entries.get_mut(&pid) {
      e.signals = Some(signals);
    }
  }

  /// The children of `ppid`, in pid order.
  pub fn children(&self, ppid: u32) -> Vec<u32> {
    self
      .entries
      .iter()
      .filter(|(_, e)| e.ppid == ppid)
      .map(|(p, _)| *p)
      .collect()
  }

  /// The processes below `pid` (its children, theirs, ...) that are
  /// running.
  pub fn descendants(&self, pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut next = vec![pid];
    while let Some(p) = next.pop() {
      for c in self.children(p) {
        if self.entries.get(&c).map(|e| e.state) == Some(ProcessState::Running) {
          out.push(c);
        }
        next.push(c);
      }
    }
    out
  }

  /// The process ended. Its parent is woken and reaps it later (the host
  /// at once); its children go to the host, which reaps those that ended.
  pub fn exit(&mut self, pid: u32, code: i32, signal: Option<u8>) {
    let Some(e) = self.entries.get_mut(&pid) else {
      return;
    };
    if e.state != ProcessState::Running {
      return;
    }
    e.state = ProcessState::Exited { code, signal };
    e.signals = None;
    e.exited.notify_waiters();
    for child in self.children(pid) {
      if let Some(c) = self.entries.get_mut(&child) {
        c.ppid = HOST_PID;
      }
      if matches!(self.entries.get(&child), Some(c) if c.state != ProcessState::Running) {
        self.reap(child);
      }
    }
    // An orphan's status: nobody is left to want it.
    if matches!(self.entries.get(&pid), Some(e) if e.ppid == HOST_PID && e.spawned && !e.host_waits)
    {
      self.reap(pid);
    }
  }

  /// Collects an ended process's status and frees its pid.
  pub fn reap(&mut self, pid: u32) -> Option<(i32, Option<u8>)> {
    match self.entries.get(&pid)?.state {
      ProcessState::Exited { code, signal } => {
        let e = self.entries.remove(&pid)?;
        if e.spawned {
          self.spawned -= 1;
        }
        Some((code, signal))
      }
      ProcessState::Running => None,
    }
  }
}

impl super::Kernel {
  /// Sends `sig` to running process `pid` of the runtime (its handle is
  /// taken out of the table first: delivery never holds the table's lock).
  /// False for none that can be signalled.
  pub fn signal(&self, pid: u32, sig: u8) -> bool {
    let target = self.processes().get(pid).and_then(|e| e.signals.clone());
    match target {
      Some(t) => {
        t.signal(sig);
        true
      }
      None => false,
    }
  }
}

/// Signals a process may be sent (Linux's, real-time ones included).
pub const MAX_SIGNAL: f64 = 64.0;

/// `process.kill(pid, signal)` (Node's `process._kill`): 0 when `pid` is
/// the caller itself (its own JS delivers the signal, or takes the default
/// action) or a process of the caller's tree that can be signalled
/// (delivered now; signal 0 only checks it exists; an ended one unreaped
/// takes it as Linux's zombies do), else a negative errno: EINVAL for no
/// such signal, ESRCH for no such process of this runtime, EPERM for one
/// the caller may not signal (the host, another tree's: another call's,
/// a persistent context's, one the host started with `rt.spawn`; a
/// negative pid would be a process group or everyone).
pub fn kill(s: &mut super::syscall::OpState, pid: f64, signal: f64) -> super::op::OpResult<f64> {
  let errno = |e: Errno| Ok(e.node_errno() as f64);
  if !(0.0..=MAX_SIGNAL).contains(&signal) || signal.fract() != 0.0 {
    return errno(Errno::EINVAL);
  }
  if !pid.is_finite() || pid.fract() != 0.0 || pid.abs() > MAX_PID as f64 {
    return errno(Errno::ESRCH);
  }
  let me = s.process.pid;
  if pid == 0.0 || pid == me as f64 {
    return Ok(0.0);
  }
  if pid < 0.0 || pid == HOST_PID as f64 {
    return errno(Errno::EPERM);
  }
  let target = {
    let table = s.kernel.processes();
    let mine = table.get(me).map(|e| e.tree);
    match table.get(pid as u32) {
      // Another tree's (another call's, one the host started): as
      // another user's on Linux.
      Some(e) if Some(e.tree) != mine => return errno(Errno::EPERM),
      None => return errno(Errno::ESRCH),
      Some(e) if e.state != ProcessState::Running => return Ok(0.0),
      Some(e) => e.signals.clone(),
    }
  };
  match target {
    Some(t) => {
      if signal != 0.0 {
        t.signal(signal as u8);
      }
      Ok(0.0)
    }
    None => errno(Errno::EPERM),
  }
}

/// `process.on(signal)` and its removal: whether the caller listens for
/// `signal`, which decides how a signal from another process acts.
pub fn signal_handled(
  s: &mut super::syscall::OpState,
  signal: u32,
  handled: bool,
) -> super::op::OpResult<()> {
  if (1..=31).contains(&signal) {
    if let Some(t) = s
      .kernel
      .processes()
      .get(s.process.pid)
      .and_then(|e| e.signals.clone())
    {
      t.set_handled(signal as u8, handled);
    }
  }
  Ok(())
}

/// The guest user's home: `os.homedir()` and the default cwd.
pub const HOME: &str = "/home/user";

/// The kernel-side state of one guest process.
pub struct Process {
  pub pid: u32,
  pub ppid: u32,
  pub stdio: Stdio,
  /// The call this process belongs to (none while a context is prepared).
  pub tree: Option<std::sync::Arc<Tree>>,
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
  /// The terminal this process put in raw mode: back in canonical mode
  /// when it ends (as libuv resets it at exit).
  pub raw_tty: Option<std::sync::Arc<super::tty::Tty>>,
}

impl Process {
  pub fn new(pid: u32, stdio: Stdio, clock: Clock) -> Process {
    Process {
      pid,
      ppid: HOST_PID,
      stdio,
      tree: None,
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
      raw_tty: None,
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn pids_count_up_skip_live_ones_and_wrap() {
    let mut t = ProcessTable::default();
    let a = t.spawn(HOST_PID);
    let b = t.spawn(HOST_PID);
    assert_eq!((a, b), (FIRST_PID, FIRST_PID + 1));
    t.next = MAX_PID;
    assert_eq!(t.spawn(HOST_PID), MAX_PID);
    // Wraps to the first pid, skipping the two still running.
    assert_eq!(t.spawn(HOST_PID), FIRST_PID + 2);
    assert_eq!(t.entries.len(), 4);
  }

  #[test]
  fn an_ended_process_waits_for_its_parent_and_is_reaped_once() {
    let mut t = ProcessTable::default();
    let root = t.spawn(HOST_PID);
    let child = t.spawn_child(root).unwrap();
    assert_eq!(t.reap(child), None);
    t.exit(child, 0, Some(15));
    assert_eq!(
      t.get(child).map(|e| e.state),
      Some(ProcessState::Exited {
        code: 0,
        signal: Some(15)
      })
    );
    assert_eq!(t.reap(child), Some((0, Some(15))));
    assert_eq!(t.reap(child), None);
    assert_eq!(t.children(root), Vec::<u32>::new());
  }

  #[test]
  fn orphans_go_to_the_host_and_leave_no_zombies() {
    let mut t = ProcessTable::default();
    let root = t.spawn(HOST_PID);
    let a = t.spawn_child(root).unwrap();
    let b = t.spawn_child(a).unwrap();
    let c = t.spawn_child(a).unwrap();
    t.exit(b, 3, None);
    // a ends without reaping b: b is reaped by the host, c goes to it.
    t.exit(a, 0, None);
    assert!(t.get(b).is_none());
    assert_eq!(t.get(c).map(|e| e.ppid), Some(HOST_PID));
    t.exit(c, 0, None);
    assert!(t.get(c).is_none());
    // a waits for root.
    assert_eq!(t.reap(a), Some((0, None)));
    t.exit(root, 0, None);
    assert_eq!(t.reap(root), Some((0, None)));
    assert!(t.entries.is_empty());
    assert_eq!(t.spawned, 0);
  }

  #[test]
  fn children_join_their_parents_tree() {
    let mut t = ProcessTable::default();
    let call = t.spawn(HOST_PID);
    let child = t.spawn_child(call).unwrap();
    let grandchild = t.spawn_child(child).unwrap();
    let host = t.spawn_for_host().unwrap();
    let tree = |p: u32| t.get(p).map(|e| e.tree);
    assert_eq!(tree(child), Some(call));
    assert_eq!(tree(grandchild), Some(call));
    assert_eq!(tree(host), Some(host));
    // An orphan stays in its tree.
    let mut t2 = ProcessTable::default();
    let root = t2.spawn(HOST_PID);
    let a = t2.spawn_child(root).unwrap();
    let b = t2.spawn_child(a).unwrap();
    t2.exit(a, 0, None);
    assert_eq!(t2.get(b).map(|e| (e.ppid, e.tree)), Some((HOST_PID, root)));
  }

  #[test]
  fn a_process_the_host_starts_is_counted_and_kept_until_reaped() {
    let mut t = ProcessTable::new(2);
    let a = t.spawn_for_host().unwrap();
    let b = t.spawn_child(a).unwrap();
    assert_eq!(t.spawn_for_host(), Err(Errno::EAGAIN));
    t.exit(a, 0, Some(9));
    // Its status waits for the host; its orphan is the host's as usual.
    assert_eq!(t.get(b).map(|e| e.ppid), Some(HOST_PID));
    assert_eq!(t.reap(a), Some((0, Some(9))));
    t.exit(b, 0, None);
    assert!(t.get(b).is_none());
    assert_eq!(t.spawned, 0);
  }

  #[test]
  fn spawns_are_bounded_zombies_included() {
    let mut t = ProcessTable::new(2);
    let root = t.spawn(HOST_PID);
    let a = t.spawn_child(root).unwrap();
    let _b = t.spawn_child(root).unwrap();
    assert_eq!(t.spawn_child(root), Err(Errno::EAGAIN));
    t.exit(a, 0, None);
    // A zombie still counts; reaped, its place is free.
    assert_eq!(t.spawn_child(root), Err(Errno::EAGAIN));
    t.reap(a);
    assert!(t.spawn_child(root).is_ok());
    // Host-started processes are not counted here.
    t.spawn(HOST_PID);
    // An ended parent spawns nothing.
    let gone = t.spawn(HOST_PID);
    t.exit(gone, 0, None);
    assert_eq!(t.spawn_child(gone), Err(Errno::ESRCH));
    assert_eq!(t.spawn_child(9999), Err(Errno::ESRCH));
  }

  #[test]
  fn a_parent_waiting_is_woken_when_its_child_ends() {
    let mut t = ProcessTable::default();
    let root = t.spawn(HOST_PID);
    let child = t.spawn_child(root).unwrap();
    let exited = t.get(child).unwrap().exited.clone();
    let woken = exited.notified();
    tokio::pin!(woken);
    woken.as_mut().enable();
    t.exit(child, 0, None);
    let rt = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    rt.block_on(async {
      tokio::time::timeout(std::time::Duration::from_secs(1), woken)
        .await
        .unwrap()
    });
  }
}
