//! One runtime inside the sidecar: a thread that owns an isolate and runs the
//! runtime's guest processes one after another.
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crossbeam_channel::{unbounded, Sender};

use super::execute;
use super::watchdog::Watchdog;
use super::Outbox;
use crate::engine::{Arg, Context, EngineHost, Isolate, RawIsolate, Ret};
use crate::ipc::{ExecRequest, ExitKind, RuntimeConfig, ToHost};
use crate::kernel::process::{Process, ProcessControl};
use crate::kernel::syscall::{self, SyscallCtx};

/// Room above the sidecar's own memory and twice `memoryMb` (heap plus
/// ArrayBuffers) before a sole runtime's process memory counts as over.
const RSS_SLACK_BYTES: u64 = 64 * 1024 * 1024;

/// Guest threads get a large stack: V8 sizes its own stack limit below it.
const RUNTIME_THREAD_STACK: usize = 8 * 1024 * 1024;

/// Why the current guest process is being stopped (first reason wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum StopReason {
  None = 0,
  Exit = 1,
  WallTimeout = 2,
  CpuTimeout = 3,
  Memory = 4,
  Aborted = 5,
}

impl StopReason {
  fn from_u8(v: u8) -> StopReason {
    match v {
      1 => StopReason::Exit,
      2 => StopReason::WallTimeout,
      3 => StopReason::CpuTimeout,
      4 => StopReason::Memory,
      5 => StopReason::Aborted,
      _ => StopReason::None,
    }
  }

  pub fn exit_kind(self) -> Option<ExitKind> {
    match self {
      StopReason::None => None,
      StopReason::Exit => Some(ExitKind::Exit),
      StopReason::WallTimeout => Some(ExitKind::WallTimeout),
      StopReason::CpuTimeout => Some(ExitKind::CpuTimeout),
      StopReason::Memory => Some(ExitKind::MemoryLimit),
      StopReason::Aborted => Some(ExitKind::Aborted),
    }
  }
}

/// State shared between the runtime thread, the sidecar's reader (cancel)
/// and the watchdog (limits).
pub struct RuntimeShared {
  /// Set while the isolate exists; cleared (under the lock) before dispose so
  /// that no other thread terminates a freed isolate.
  isolate: Mutex<Option<RawIsolate>>,
  stop: AtomicU8,
  /// The request being served, 0 when idle.
  current: AtomicU64,
  wake: Condvar,
  wake_lock: Mutex<()>,
}

impl RuntimeShared {
  fn new() -> RuntimeShared {
    RuntimeShared {
      isolate: Mutex::new(None),
      stop: AtomicU8::new(0),
      current: AtomicU64::new(0),
      wake: Condvar::new(),
      wake_lock: Mutex::new(()),
    }
  }

  pub fn current_request(&self) -> u64 {
    self.current.load(Ordering::Acquire)
  }

  pub fn stop_reason(&self) -> StopReason {
    StopReason::from_u8(self.stop.load(Ordering::Acquire))
  }

  /// Stops the running guest for `reason` unless it is already stopping.
  pub fn request_stop(&self, reason: StopReason) -> bool {
    if self
      .stop
      .compare_exchange(0, reason as u8, Ordering::AcqRel, Ordering::Acquire)
      .is_err()
    {
      return false;
    }
    if let Some(iso) = *self.isolate.lock().unwrap_or_else(|e| e.into_inner()) {
      // SAFETY: the isolate is alive while it is registered here.
      unsafe { iso.terminate() };
    }
    let _g = self.wake_lock.lock().unwrap_or_else(|e| e.into_inner());
    self.wake.notify_all();
    true
  }

  /// Sleeps up to `ms` unless a stop is requested.
  pub fn sleep(&self, ms: f64) {
    let g = self.wake_lock.lock().unwrap_or_else(|e| e.into_inner());
    if self.stop.load(Ordering::Acquire) != 0 {
      return;
    }
    let _ = self
      .wake
      .wait_timeout(g, Duration::from_secs_f64(ms.max(0.0) / 1000.0));
  }

  pub(super) fn begin(&self, req: u64) {
    self.stop.store(0, Ordering::Release);
    self.current.store(req, Ordering::Release);
  }

  pub(super) fn end(&self) {
    self.current.store(0, Ordering::Release);
  }
}

enum Command {
  /// A spare runtime becomes runtime `rt` with these limits.
  Adopt(RuntimeConfig),
  Execute(Box<ExecRequest>),
  Dispose,
}

pub struct RuntimeHandle {
  tx: Sender<Command>,
  shared: Arc<RuntimeShared>,
}

impl RuntimeHandle {
  /// Starts a runtime thread that builds its isolate and first context at
  /// once. A spare (`adopt_first`) then waits for `adopt` to learn its real
  /// limits, so that `create()` finds the expensive part done.
  fn start(
    config: RuntimeConfig,
    adopt_first: bool,
    outbox: Outbox,
    watchdog: Watchdog,
  ) -> std::io::Result<RuntimeHandle> {
    let (tx, rx) = unbounded::<Command>();
    let shared = Arc::new(RuntimeShared::new());
    let thread_shared = shared.clone();
    std::thread::Builder::new()
      .name("se-runtime".into())
      .stack_size(RUNTIME_THREAD_STACK)
      .spawn(move || runtime_main(config, adopt_first, rx, thread_shared, outbox, watchdog))?;
    Ok(RuntimeHandle { tx, shared })
  }

  pub fn spawn(
    config: RuntimeConfig,
    outbox: Outbox,
    watchdog: Watchdog,
  ) -> std::io::Result<RuntimeHandle> {
    RuntimeHandle::start(config, false, outbox, watchdog)
  }

  /// A runtime built with `config` ahead of any request.
  pub fn spare(
    config: RuntimeConfig,
    outbox: Outbox,
    watchdog: Watchdog,
  ) -> std::io::Result<RuntimeHandle> {
    RuntimeHandle::start(config, true, outbox, watchdog)
  }

  /// Hands a spare its real limits.
  pub fn adopt(&self, config: RuntimeConfig) {
    let _ = self.tx.send(Command::Adopt(config));
  }

  pub fn execute(&self, req: Box<ExecRequest>) {
    let _ = self.tx.send(Command::Execute(req));
  }

  pub fn cancel(&self, req: u64) {
    if self.shared.current_request() == req {
      self.shared.request_stop(StopReason::Aborted);
    }
  }

  pub fn dispose(self) {
    self.shared.request_stop(StopReason::Aborted);
    let _ = self.tx.send(Command::Dispose);
  }
}

fn runtime_main(
  mut config: RuntimeConfig,
  adopt_first: bool,
  rx: crossbeam_channel::Receiver<Command>,
  shared: Arc<RuntimeShared>,
  outbox: Outbox,
  watchdog: Watchdog,
) {
  // Build the isolate and the first context before the first call arrives.
  let mut engine = RuntimeEngine::new(&config, &shared, &outbox);
  if let Some(e) = engine.as_mut() {
    execute::prepare(e, &config);
  }
  if adopt_first {
    match rx.recv() {
      Ok(Command::Adopt(real)) => {
        if real.memory_mb != config.memory_mb {
          // Heap limits are fixed when an isolate is made.
          retire(&mut engine, &shared);
          engine = RuntimeEngine::new(&real, &shared, &outbox);
        } else if real.timing_freeze != config.timing_freeze {
          // The prepared context was bootstrapped with the other clock.
          if let Some(e) = engine.as_mut() {
            e.next = None;
          }
        }
        config = real;
        if let Some(e) = engine.as_mut() {
          execute::prepare(e, &config);
        }
      }
      _ => {
        retire(&mut engine, &shared);
        return;
      }
    }
  }
  let rss_budget =
    super::watchdog::process_rss() + 2 * (config.memory_mb as u64) * 1024 * 1024 + RSS_SLACK_BYTES;
  while let Ok(cmd) = rx.recv() {
    match cmd {
      Command::Execute(req) => {
        if engine.is_none() {
          engine = RuntimeEngine::new(&config, &shared, &outbox);
        }
        let id = req.req;
        let outcome = match engine.as_mut() {
          Some(e) => {
            let rss = (super::hosted_runtimes() == 1).then_some(rss_budget);
            execute::run(e, &config, &shared, &outbox, &watchdog, rss, *req)
          }
          None => execute::internal_failure("could not create a V8 isolate"),
        };
        if outcome.kind == ExitKind::MemoryLimit {
          // The heap is full of the guest's garbage: start afresh.
          retire(&mut engine, &shared);
        }
        outbox.send(&ToHost::Completed {
          req: id,
          outcome: Box::new(outcome),
        });
        if engine.is_none() {
          engine = RuntimeEngine::new(&config, &shared, &outbox);
        }
        // Idle now: set up the next guest context before it is asked for.
        if let Some(e) = engine.as_mut() {
          execute::prepare(e, &config);
        }
      }
      Command::Adopt(_) => {}
      Command::Dispose => break,
    }
  }
  retire(&mut engine, &shared);
}

/// Disposes the runtime's engine, if it has one.
fn retire(engine: &mut Option<RuntimeEngine>, shared: &RuntimeShared) {
  if let Some(e) = engine.take() {
    e.dispose(shared);
  }
}

/// The isolate of a runtime, the host side of its callbacks, and the next
/// guest context, set up ahead of time.
pub struct RuntimeEngine {
  // Declared before `isolate`: a context must be dropped before its isolate.
  pub next: Option<Context>,
  pub host: Rc<GuestHost>,
  pub isolate: Isolate,
}

impl RuntimeEngine {
  fn new(
    config: &RuntimeConfig,
    shared: &Arc<RuntimeShared>,
    outbox: &Outbox,
  ) -> Option<RuntimeEngine> {
    let bytes = config.memory_mb as usize * 1024 * 1024;
    let host = Rc::new(GuestHost {
      shared: shared.clone(),
      outbox: outbox.clone(),
      process: RefCell::new(None),
      heap_raises: Cell::new(0),
    });
    let isolate = Isolate::new(bytes, bytes, Box::new(HostRef(host.clone())))?;
    *shared.isolate.lock().unwrap_or_else(|e| e.into_inner()) = Some(isolate.raw());
    Some(RuntimeEngine {
      next: None,
      host,
      isolate,
    })
  }

  fn dispose(self, shared: &RuntimeShared) {
    *shared.isolate.lock().unwrap_or_else(|e| e.into_inner()) = None;
    drop(self.next);
    drop(self.isolate);
  }
}

/// Most times the heap limit is raised while a stopped guest unwinds;
/// past this V8 is left to fail and the sidecar ends (reported as the
/// memory limit, not as a crash).
const MAX_HEAP_RAISES: u32 = 4;
/// Headroom granted per raise, so that termination can unwind.
const HEAP_RAISE_BYTES: usize = 32 * 1024 * 1024;

/// Serves an isolate's callbacks for the guest process running in it.
pub struct GuestHost {
  pub shared: Arc<RuntimeShared>,
  outbox: Outbox,
  pub process: RefCell<Option<Process>>,
  heap_raises: Cell<u32>,
}

impl GuestHost {
  pub fn reset_heap_raises(&self) {
    self.heap_raises.set(0);
  }
}

struct HostRef(Rc<GuestHost>);

impl ProcessControl for GuestHost {
  fn exit(&self, _code: i32) {
    self.shared.request_stop(StopReason::Exit);
  }
}

impl EngineHost for HostRef {
  fn op(&self, op: u32, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
    let host = &*self.0;
    let mut guard = match host.process.try_borrow_mut() {
      Ok(g) => g,
      Err(_) => {
        return ret.throw(
          c"Error",
          "re-entrant syscall",
          Some(c"ERR_INTERNAL_ASSERTION"),
        )
      }
    };
    let Some(process) = guard.as_mut() else {
      return ret.throw(
        c"Error",
        "no guest process",
        Some(c"ERR_INTERNAL_ASSERTION"),
      );
    };
    let mut ctx = SyscallCtx {
      process,
      control: host,
    };
    syscall::dispatch(&mut ctx, op, args, ret);
  }

  fn near_heap_limit(&self, current: usize, _initial: usize) -> usize {
    let host = &*self.0;
    host.shared.request_stop(StopReason::Memory);
    let raises = host.heap_raises.get() + 1;
    host.heap_raises.set(raises);
    if raises > MAX_HEAP_RAISES {
      // Termination is not taking effect: V8 will fail this allocation and
      // end the process. Say why first.
      let req = host.shared.current_request();
      host.outbox.send_last(&ToHost::Fatal {
        req,
        kind: ExitKind::MemoryLimit,
      });
      return current;
    }
    current + HEAP_RAISE_BYTES
  }

  fn array_buffer_limit(&self, _requested: usize, _in_use: usize) {
    self.0.shared.request_stop(StopReason::Memory);
  }
}
