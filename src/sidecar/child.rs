//! Processes guests spawn (`child_process`): each runs on a thread of its
//! own with its own isolate, in the runtime of its parent, sharing its
//! kernel (filesystem, policy, pipes, sockets) and its call's limits. A
//! parent and its children run at once, so a CPU-bound child never stops
//! its parent, and a signal stops one isolate only. Every process of a
//! call ends with the call.
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::event_loop::EventLoop;
use super::execute;
use super::queries::HostQueries;
use super::runtime::{RuntimeEngine, RuntimeParts, RuntimeShared, StopReason};
use super::watchdog::WatchGuard;
use super::watchdog::Watchdog;
use super::Outbox;
use crate::ipc::{ExecRequest, RuntimeConfig, SpawnRequest};
use crate::kernel::child::Exec;
use crate::kernel::error::{Errno, KernelError, OpError};
use crate::kernel::fd::Desc;
use crate::kernel::pipe::PipeEnd;
use crate::kernel::process::{
  ChildKind, ChildStart, ExecStarted, NativeMain, Process, Signals, Tree, HOST_PID,
};
use crate::kernel::stdio::{Stdio, Target};
use crate::kernel::syscall::OpState;
use crate::kernel::Kernel;

/// Guest threads get a large stack: V8 sizes its own stack limit below it.
const PROCESS_THREAD_STACK: usize = 8 * 1024 * 1024;
/// SIGKILL.
const SIGKILL: u8 = 9;

/// A spawned process while its thread runs.
struct Live {
  /// The call's own process (its tree's root).
  tree: u32,
  shared: Arc<RuntimeShared>,
  thread: Option<JoinHandle<()>>,
}

/// A runtime's spawner, once its thread has made it (after `adopt`): the
/// host's processes (`rt.spawn`) start from another thread of the sidecar.
#[derive(Default)]
pub struct SpawnerSlot {
  spawner: std::sync::OnceLock<Arc<Spawner>>,
  set: tokio::sync::Notify,
}

impl SpawnerSlot {
  pub(super) fn set(&self, spawner: Arc<Spawner>) {
    let _ = self.spawner.set(spawner);
    self.set.notify_waiters();
  }

  /// The spawner, when the runtime has one.
  pub async fn get(&self) -> Arc<Spawner> {
    loop {
      let set = self.set.notified();
      tokio::pin!(set);
      set.as_mut().enable();
      if let Some(s) = self.spawner.get() {
        return s.clone();
      }
      set.await;
    }
  }
}

/// Starts a runtime's spawned processes and ends them with their calls.
pub struct Spawner {
  config: RuntimeConfig,
  /// The runtime's own (its id, for host queries).
  runtime: Arc<RuntimeShared>,
  outbox: Outbox,
  kernel: Arc<Kernel>,
  queries: Arc<HostQueries>,
  watchdog: Watchdog,
  rss_limit: Option<u64>,
  live: Mutex<HashMap<u32, Live>>,
  /// The runtime is going (`end_all`): nothing starts any more.
  closed: std::sync::atomic::AtomicBool,
}

impl Spawner {
  pub(super) fn new(
    config: RuntimeConfig,
    parts: &RuntimeParts,
    watchdog: Watchdog,
    rss_limit: Option<u64>,
  ) -> Spawner {
    Spawner {
      config,
      runtime: parts.shared.clone(),
      outbox: parts.outbox.clone(),
      kernel: parts.kernel.clone(),
      queries: parts.queries.clone(),
      watchdog,
      rss_limit,
      live: Mutex::default(),
      closed: Default::default(),
    }
  }

  fn live(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Live>> {
    self.live.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// Starts `child` (serving call `req`) on a thread of its own. Its pid
  /// is in the table already; it is signalled through its own stop from
  /// now, even before its isolate exists.
  pub fn start(self: &Arc<Self>, child: ChildStart, req: u64) -> Result<(), OpError> {
    let pid = child.pid;
    let shared = Arc::new(RuntimeShared::for_child(self.runtime.rt(), req));
    self
      .kernel
      .processes()
      .set_signals(pid, shared.clone() as Arc<dyn Signals>);
    // Registered before the thread runs: its end (which removes it) waits
    // for this lock.
    let mut live = self.live();
    if self.closed.load(std::sync::atomic::Ordering::Acquire) {
      return Err(KernelError::new(Errno::EAGAIN, "spawn").into());
    }
    let spawner = self.clone();
    let thread_shared = shared.clone();
    let tree = child.tree.root;
    let thread = std::thread::Builder::new()
      .name("se-process".into())
      .stack_size(PROCESS_THREAD_STACK)
      .spawn(move || spawner.run(child, thread_shared))
      .map_err(|_| OpError::from(KernelError::new(Errno::EAGAIN, "spawn")))?;
    live.insert(
      pid,
      Live {
        tree,
        shared,
        thread: Some(thread),
      },
    );
    Ok(())
  }

  /// Starts `req.file` for the host (`rt.spawn`): the root of a tree of
  /// its own, with the runtime's CPU and memory limits and the request's
  /// wall-clock limit, its stdio the given pipe ends. `started` learns
  /// whether it could run (its cwd may not be a directory). Its pid.
  pub fn start_for_host(
    self: &Arc<Self>,
    req: &SpawnRequest,
    [stdin, stdout, stderr]: [PipeEnd; 3],
    started: ExecStarted,
  ) -> Result<u32, Errno> {
    let pid = self.kernel.processes().spawn_for_host()?;
    let tree = Arc::new(Tree {
      root: pid,
      cpu_limit: std::time::Duration::from_millis(self.config.cpu_time_ms),
      cpu_ended: Default::default(),
      memory_limit: u64::from(self.config.memory_mb) * 1024 * 1024,
      held: Default::default(),
      deadline: req
        .timeout_ms
        .and_then(|ms| std::time::Instant::now().checked_add(std::time::Duration::from_millis(ms))),
    });
    let child = ChildStart {
      pid,
      kind: ChildKind::Exec(req.file.clone(), started),
      ppid: HOST_PID,
      code: String::new(),
      file_path: String::new(),
      args: req.args.clone(),
      eval: false,
      cwd: req.cwd.clone(),
      env: req.env.clone(),
      stdio: Stdio::to(Target::Pipe(stdout), Target::Pipe(stderr)),
      stdin: Some(stdin),
      ipc: None,
      start_data: None,
      extra_config: None,
      tree,
    };
    if self.start(child, req.id).is_err() {
      let mut table = self.kernel.processes();
      table.exit(pid, 0, None);
      table.reap(pid);
      return Err(Errno::EAGAIN);
    }
    Ok(pid)
  }

  /// The thread of a spawned process: an isolate, the process to its end,
  /// then its status in the table (its parent is woken). A tree's root
  /// (the host started it) takes its tree with it.
  fn run(self: Arc<Self>, child: ChildStart, shared: Arc<RuntimeShared>) {
    let pid = child.pid;
    let root = child.tree.root == pid;
    let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
      self.run_process(child, &shared)
    }))
    .unwrap_or(70);
    // A limit ends any process as it ends a call (the shell's own code
    // only sees that it was stopped).
    let code = match shared.stop_reason() {
      StopReason::WallTimeout | StopReason::CpuTimeout => execute::EXIT_TIMEOUT,
      StopReason::Memory => execute::EXIT_MEMORY,
      _ => code,
    };
    if root {
      self.end_where(|p, l| l.tree == pid && p != pid);
    }
    let signal = match shared.stop_reason() {
      StopReason::Signal(n) => Some(n),
      StopReason::Aborted => Some(SIGKILL),
      _ => None,
    };
    self.kernel.processes().exit(pid, code, signal);
    self.live().remove(&pid);
  }

  /// A process thread's own parts: its event loop, its stop (`shared`),
  /// the runtime's kernel and ways to the host.
  fn parts(self: &Arc<Self>, shared: &Arc<RuntimeShared>) -> Option<RuntimeParts> {
    let event_loop = EventLoop::new(shared.wake.clone()).ok()?;
    Some(RuntimeParts {
      shared: shared.clone(),
      outbox: self.outbox.clone(),
      kernel: self.kernel.clone(),
      event_loop: Rc::new(event_loop),
      queries: self.queries.clone(),
      spawner: Some(self.clone()),
    })
  }

  /// Runs the process; its exit code.
  fn run_process(self: &Arc<Self>, mut child: ChildStart, shared: &Arc<RuntimeShared>) -> i32 {
    let Some(parts) = self.parts(shared) else {
      return 70;
    };
    match std::mem::replace(&mut child.kind, ChildKind::Node) {
      ChildKind::Node => self.run_node(child, &parts),
      ChildKind::Native(main) => {
        let watch = self.watch_native(&child, shared);
        let state = self.op_state(&mut child, &parts);
        self.run_native(state, main, &parts, watch)
      }
      ChildKind::Exec(file, started) => {
        // Found with the process's own view (its cwd, the fs policy),
        // counted as its own CPU time.
        let watch = self.watch_native(&child, shared);
        let mut state = self.op_state(&mut child, &parts);
        let args = std::mem::take(&mut child.args);
        let exec = crate::kernel::child::exec(&mut state, &file, args);
        let exec = match exec {
          Ok(e) => {
            let _ = started.send(Ok(()));
            e
          }
          Err(e) => {
            let _ = started.send(Err(e));
            return 0;
          }
        };
        match exec {
          Exec::Native(main) => self.run_native(state, main, &parts, watch),
          Exec::Node {
            code,
            file_path,
            args,
            eval,
          } => {
            // Its stdio goes back to the process, which now gets an isolate.
            child.stdio = std::mem::replace(
              &mut state.process.stdio,
              Stdio::to(Target::Null, Target::Null),
            );
            child.stdin = match state.process.fds.remove(0) {
              Ok(Desc::Pipe(p)) => Some(p),
              _ => None,
            };
            drop(state);
            parts.event_loop.end_process(child.pid);
            drop(watch);
            child.code = code;
            child.file_path = file_path;
            child.args = args;
            child.eval = eval;
            self.run_node(child, &parts)
          }
        }
      }
    }
  }

  /// Runs guest `node` process `child` in an isolate of its own.
  fn run_node(self: &Arc<Self>, child: ChildStart, parts: &RuntimeParts) -> i32 {
    let shared = &parts.shared;
    let Some(mut engine) = RuntimeEngine::new(&self.config, parts) else {
      return 70;
    };
    execute::prepare(&mut engine, &self.config);
    let env = execute::CallEnv {
      config: &self.config,
      shared,
      outbox: &self.outbox,
      watchdog: &self.watchdog,
      rss_limit: self.rss_limit,
    };
    let ChildStart {
      pid,
      kind: _,
      ppid,
      code,
      file_path,
      args,
      eval,
      cwd,
      env: vars,
      stdio,
      stdin,
      ipc,
      start_data,
      extra_config,
      tree,
    } = child;
    let req = ExecRequest {
      rt: shared.rt(),
      req: shared.current_request(),
      code,
      file_path,
      timeout_ms: None,
      env: vars,
      cwd,
      argv: args,
      stdin: start_data,
      stream: false,
    };
    let counted = tree.clone();
    let call = execute::Call {
      pid,
      req,
      child: Some(execute::ChildIo {
        ppid,
        stdio,
        stdin,
        ipc,
        extra_config,
        tree,
        eval,
      }),
    };
    let outcome = execute::run(&mut engine, &env, call);
    // The isolate's end is this process's cost too (its watch has ended).
    let clock = super::watchdog::current_thread_cpu_clock();
    let before = super::watchdog::cpu_time(clock);
    parts.event_loop.end_process(pid);
    drop(engine);
    let after = super::watchdog::cpu_time(clock);
    *counted.cpu_ended.lock().unwrap_or_else(|e| e.into_inner()) += after.saturating_sub(before);
    outcome.code
  }

  /// The limits of a process without an isolate (the shell, a command),
  /// watched from its thread's start.
  fn watch_native(&self, child: &ChildStart, shared: &Arc<RuntimeShared>) -> WatchGuard {
    self.watchdog.watch(
      shared.current_request(),
      shared.clone(),
      (
        child.tree.clone(),
        Arc::new(crate::engine::MemoryUse::default()),
      ),
      self.rss_limit,
      true,
    )
  }

  /// The kernel's state of process `child` for code of the kernel's own:
  /// its stdio and stdin move into it.
  fn op_state(&self, child: &mut ChildStart, parts: &RuntimeParts) -> OpState {
    let supervisor = Rc::new(super::runtime::Supervisor::new(parts));
    let stdio = std::mem::replace(&mut child.stdio, Stdio::to(Target::Null, Target::Null));
    let mut process = Process::new(
      child.pid,
      stdio,
      crate::kernel::clock::Clock::new(self.config.timing_freeze),
    );
    process.ppid = child.ppid;
    process.cwd = child.cwd.clone();
    process.env = child.env.clone();
    process.tree = Some(child.tree.clone());
    process.test_ops = self.config.test_ops;
    process.fds = crate::kernel::fd::FdTable::new(self.config.max_open_files as usize);
    process.memory_limit = u64::from(self.config.memory_mb) * 1024 * 1024;
    if let Some(p) = child.stdin.take() {
      let _ = process.fds.insert_at(0, Desc::Pipe(p));
    }
    OpState::new(process, supervisor, self.kernel.clone())
  }

  /// Runs the kernel's own `main` as the process `state` is (no isolate):
  /// its exit status.
  fn run_native(
    &self,
    mut state: OpState,
    main: NativeMain,
    parts: &RuntimeParts,
    watch: WatchGuard,
  ) -> i32 {
    let pid = state.process.pid;
    let code = main(&mut state);
    let shared = &parts.shared;
    state
      .process
      .stdio
      .flush(&|| shared.stop_reason() != StopReason::None);
    drop(state);
    parts.event_loop.end_process(pid);
    drop(watch);
    code
  }

  /// Ends every process of the call whose own process is `root`, and waits
  /// for their threads.
  pub fn end_tree(&self, root: u32) {
    self.end_where(|_, l| l.tree == root);
  }

  /// The runtime is going: every process it spawned ends.
  pub fn end_all(&self) {
    // Under the lock `start` checks it with: none starts after this.
    let live = self.live();
    self
      .closed
      .store(true, std::sync::atomic::Ordering::Release);
    drop(live);
    self.end_where(|_, _| true);
  }

  fn end_where(&self, which: impl Fn(u32, &Live) -> bool) {
    // Again until none is left: one may have spawned as it was stopped.
    loop {
      let threads: Vec<JoinHandle<()>> = {
        let mut live = self.live();
        live
          .iter_mut()
          .filter(|(p, l)| which(**p, l))
          .filter_map(|(_, l)| {
            l.shared.request_stop(StopReason::Signal(SIGKILL));
            l.thread.take()
          })
          .collect()
      };
      if threads.is_empty() {
        return;
      }
      for t in threads {
        let _ = t.join();
      }
    }
  }
}
