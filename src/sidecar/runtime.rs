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
use crate::engine::{Arg, Context, EngineHost, EngineLimits, Isolate, RawIsolate, Ret};
use crate::ipc::{ExecRequest, ExitKind, RuntimeConfig, ToHost};
use crate::kernel::limits::{
  MAX_LOOP_WAIT_MS, MAX_REPORT_FIELD_BYTES, MAX_RETAINED_BYTES, MAX_RETIRED_CONTEXTS,
  MAX_RETURN_BYTES, STREAM_WINDOW_BYTES,
};
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
  /// Streamed output bytes the host has not acknowledged yet.
  unacked: Mutex<u64>,
  acked: Condvar,
}

impl RuntimeShared {
  fn new() -> RuntimeShared {
    RuntimeShared {
      isolate: Mutex::new(None),
      stop: AtomicU8::new(0),
      current: AtomicU64::new(0),
      wake: Condvar::new(),
      wake_lock: Mutex::new(()),
      unacked: Mutex::new(0),
      acked: Condvar::new(),
    }
  }

  /// Asks the running guest's isolate to check its external memory.
  pub fn request_memory_check(&self) {
    if let Some(iso) = *self.isolate.lock().unwrap_or_else(|e| e.into_inner()) {
      // SAFETY: the isolate is alive while it is registered here.
      unsafe { iso.request_memory_check() };
    }
  }

  /// Waits until `len` more bytes of streamed output fit the window (or the
  /// guest is being stopped), then counts them as in flight.
  pub fn reserve_output(&self, len: u64) {
    let mut unacked = self.unacked.lock().unwrap_or_else(|e| e.into_inner());
    while *unacked > 0
      && *unacked + len > STREAM_WINDOW_BYTES
      && self.stop_reason() == StopReason::None
    {
      unacked = self
        .acked
        .wait_timeout(unacked, Duration::from_millis(50))
        .unwrap_or_else(|e| e.into_inner())
        .0;
    }
    *unacked += len;
  }

  /// The host took `bytes` of streamed output.
  pub fn ack_output(&self, bytes: u64) {
    let mut unacked = self.unacked.lock().unwrap_or_else(|e| e.into_inner());
    *unacked = unacked.saturating_sub(bytes);
    self.acked.notify_all();
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
    // `ms` comes from the guest's event loop: never trust it to be finite.
    let ms = if ms.is_finite() {
      ms.clamp(0.0, MAX_LOOP_WAIT_MS)
    } else {
      MAX_LOOP_WAIT_MS
    };
    let _ = self
      .wake
      .wait_timeout(g, Duration::from_micros((ms * 1000.0) as u64));
  }

  pub(super) fn begin(&self, req: u64) {
    self.stop.store(0, Ordering::Release);
    *self.unacked.lock().unwrap_or_else(|e| e.into_inner()) = 0;
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

  pub fn ack_output(&self, bytes: u64) {
    self.shared.ack_output(bytes);
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
          // Heap limits are fixed when an isolate is made; the old one goes
          // before the new one is built.
          drop(engine.take());
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
      _ => return,
    }
  }
  // Only a runtime alone in its sidecar for good may be bounded by the
  // process's resident memory; in a shared sidecar that figure is everyone's.
  let rss_budget = config.dedicated.then(|| {
    super::watchdog::process_rss() + 2 * (config.memory_mb as u64) * 1024 * 1024 + RSS_SLACK_BYTES
  });
  // The runtime's own process table: calls get pids counting up from 100.
  let mut next_pid: u32 = 100;
  while let Ok(cmd) = rx.recv() {
    match cmd {
      Command::Execute(req) => {
        if engine.is_none() {
          engine = RuntimeEngine::new(&config, &shared, &outbox);
        }
        let id = req.req;
        let pid = next_pid;
        next_pid = if next_pid >= MAX_PID {
          100
        } else {
          next_pid + 1
        };
        let outcome = match engine.as_mut() {
          Some(e) => {
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
              execute::run(
                e,
                &config,
                &shared,
                &outbox,
                &watchdog,
                rss_budget,
                execute::Call { pid, req: *req },
              )
            }));
            match ran {
              Ok(o) => o,
              Err(_) => {
                // The isolate's state is unknown now: never reuse it.
                shared.end();
                engine = None;
                execute::internal_failure("internal error in the sandbox runtime")
              }
            }
          }
          None => execute::internal_failure("could not create a V8 isolate"),
        };
        if outcome.kind == ExitKind::MemoryLimit {
          // The heap is full of the guest's garbage: start afresh.
          engine = None;
        }
        outbox.send_completed(id, outcome);
        // Idle now. Nothing of the finished call may hold memory in the next
        // one: if it still does after a full GC, the isolate is replaced.
        if engine
          .as_mut()
          .is_some_and(|e| !e.release_finished_call(&config))
        {
          engine = None;
        }
        if engine.is_none() {
          engine = RuntimeEngine::new(&config, &shared, &outbox);
        }
        // Set up the next guest context before it is asked for.
        if let Some(e) = engine.as_mut() {
          execute::prepare(e, &config);
        }
      }
      Command::Adopt(_) => {}
      Command::Dispose => break,
    }
  }
}

/// Highest pid a runtime hands out before it wraps around.
const MAX_PID: u32 = 4_194_304;

/// The isolate of a runtime, the host side of its callbacks, and the next
/// guest context, set up ahead of time. Dropping it disposes the isolate.
pub struct RuntimeEngine {
  // Declared before `isolate`: a context must be dropped before its isolate.
  pub next: Option<Context>,
  pub host: Rc<GuestHost>,
  pub isolate: Isolate,
  shared: Arc<RuntimeShared>,
  /// JS heap in use once the first context of the isolate was made.
  pub baseline_heap: usize,
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
    let limits = EngineLimits {
      heap_bytes: bytes,
      array_buffer_bytes: bytes,
      max_report_field_bytes: MAX_REPORT_FIELD_BYTES,
      max_return_bytes: MAX_RETURN_BYTES,
    };
    let isolate = Isolate::new(limits, Box::new(HostRef(host.clone())))?;
    *shared.isolate.lock().unwrap_or_else(|e| e.into_inner()) = Some(isolate.raw());
    Some(RuntimeEngine {
      next: None,
      host,
      isolate,
      shared: shared.clone(),
      baseline_heap: 0,
    })
  }

  /// After a call: drops promise jobs that reached finished contexts, and
  /// when much memory is in use, collects garbage to see whether any of it
  /// is still held by the finished call. False when it is (the isolate must
  /// go, so that the next call starts with its whole budget).
  fn release_finished_call(&mut self, config: &RuntimeConfig) -> bool {
    self.isolate.sweep_retired();
    let m = self.isolate.memory();
    if m.retired >= MAX_RETIRED_CONTEXTS {
      return false;
    }
    // Garbage alone is harmless (V8 collects it before any allocation
    // fails); only a full GC tells garbage from memory still held, so pay
    // for one only when a quarter of a budget is in use.
    let budget = config.memory_mb as usize * 1024 * 1024;
    let heap_extra = m.heap_used.saturating_sub(self.baseline_heap);
    if heap_extra <= budget / 4 && m.external <= budget / 4 {
      return true;
    }
    self.isolate.collect_garbage();
    self.isolate.sweep_retired();
    let m = self.isolate.memory();
    m.array_buffers <= MAX_RETAINED_BYTES
      && m.external <= MAX_RETAINED_BYTES
      && m.heap_used <= self.baseline_heap + MAX_RETAINED_BYTES
  }
}

impl Drop for RuntimeEngine {
  fn drop(&mut self) {
    // No other thread may reach the isolate once it starts going away.
    *self
      .shared
      .isolate
      .lock()
      .unwrap_or_else(|e| e.into_inner()) = None;
    self.next = None;
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

  fn return_value(&self, bytes: &[u8]) {
    if let Ok(mut p) = self.0.process.try_borrow_mut() {
      if let Some(p) = p.as_mut() {
        p.return_value = Some(bytes.to_vec());
      }
    }
  }
}
