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
use super::watchdog::Watchdog;
use super::Outbox;
use crate::ipc::{ExecRequest, RuntimeConfig};
use crate::kernel::error::{Errno, KernelError, OpError};
use crate::kernel::process::{ChildKind, ChildStart, NativeMain, Signals};
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

  /// The thread of a spawned process: an isolate, the process to its end,
  /// then its status in the table (its parent is woken).
  fn run(self: Arc<Self>, child: ChildStart, shared: Arc<RuntimeShared>) {
    let pid = child.pid;
    let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
      self.run_process(child, &shared)
    }))
    .unwrap_or(70);
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
    if let ChildKind::Native(main) = std::mem::replace(&mut child.kind, ChildKind::Node) {
      return self.run_native(child, main, shared);
    }
    let Some(parts) = self.parts(shared) else {
      return 70;
    };
    let Some(mut engine) = RuntimeEngine::new(&self.config, &parts) else {
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

  /// Runs the kernel's own code as process `child` (no isolate): its op
  /// state on this thread, its CPU time counted with its call's.
  fn run_native(
    self: &Arc<Self>,
    child: ChildStart,
    main: NativeMain,
    shared: &Arc<RuntimeShared>,
  ) -> i32 {
    let Some(parts) = self.parts(shared) else {
      return 70;
    };
    let supervisor = Rc::new(super::runtime::Supervisor::new(&parts));
    let watch = self.watchdog.watch(
      shared.current_request(),
      shared.clone(),
      (
        child.tree.clone(),
        Arc::new(crate::engine::MemoryUse::default()),
      ),
      std::time::Duration::from_millis(self.config.wall_time_ms),
      self.rss_limit,
      true,
    );
    let mut process = crate::kernel::process::Process::new(
      child.pid,
      child.stdio,
      crate::kernel::clock::Clock::new(self.config.timing_freeze),
    );
    process.ppid = child.ppid;
    process.cwd = child.cwd;
    process.env = child.env;
    process.tree = Some(child.tree);
    process.test_ops = self.config.test_ops;
    process.fds = crate::kernel::fd::FdTable::new(self.config.max_open_files as usize);
    process.memory_limit = u64::from(self.config.memory_mb) * 1024 * 1024;
    if let Some(p) = child.stdin {
      let _ = process.fds.insert_at(0, crate::kernel::fd::Desc::Pipe(p));
    }
    let mut state = crate::kernel::syscall::OpState::new(process, supervisor, self.kernel.clone());
    let code = main(&mut state);
    state
      .process
      .stdio
      .flush(&|| shared.stop_reason() != StopReason::None);
    drop(state);
    parts.event_loop.end_process(child.pid);
    drop(watch);
    code
  }

  /// Ends every process of the call whose own process is `root`, and waits
  /// for their threads.
  pub fn end_tree(&self, root: u32) {
    self.end_where(|l| l.tree == root);
  }

  /// The runtime is going: every process it spawned ends.
  pub fn end_all(&self) {
    self.end_where(|_| true);
  }

  fn end_where(&self, which: impl Fn(&Live) -> bool) {
    // Again until none is left: one may have spawned as it was stopped.
    loop {
      let threads: Vec<JoinHandle<()>> = {
        let mut live = self.live();
        live
          .values_mut()
          .filter(|l| which(l))
          .filter_map(|l| {
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
