//! One runtime inside the sidecar: a thread that owns an isolate and runs the
//! runtime's guest processes one after another.
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crossbeam_channel::{unbounded, Sender};
use tokio::sync::Notify;

use super::child::Spawner;
use super::context::{self, ContextTable};
use super::event_loop::EventLoop;
use super::execute;
use super::queries::HostQueries;
use super::watchdog::Watchdog;
use super::Outbox;
use crate::engine::{Context, EngineHost, EngineLimits, Isolate, MemoryUse, RawIsolate};
use crate::ipc::{
  ContextCall, ContextRequest, ExecRequest, ExitKind, Query, RuntimeConfig, ToHost,
};
use crate::kernel::error::{ErrorClass, OpError};
use crate::kernel::limits::{
  MAX_REPORT_FIELD_BYTES, MAX_RETAINED_BYTES, MAX_RETIRED_CONTEXTS, MAX_RETURN_BYTES,
  MAX_VM_CONTEXTS, STREAM_WINDOW_BYTES,
};
use crate::kernel::op::{Args, OpFuture, OpOutcome, OpOutput, OpValue};
use crate::kernel::process::ProcessControl;
use crate::kernel::syscall::{OpState, OPS};
use crate::kernel::Kernel;

/// Room above the sidecar's own memory and twice `memoryMb` (heap plus
/// ArrayBuffers) before a sole runtime's process memory counts as over.
const RSS_SLACK_BYTES: u64 = 64 * 1024 * 1024;

/// How long a runtime waits for a call before it gives back the memory it
/// holds for the next one.
const IDLE_TRIM: Duration = Duration::from_secs(1);

/// Guest threads get a large stack: V8 sizes its own stack limit below it.
const RUNTIME_THREAD_STACK: usize = 8 * 1024 * 1024;

/// Why the current guest process is being stopped (first reason wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
  None,
  Exit,
  WallTimeout,
  CpuTimeout,
  Memory,
  Aborted,
  /// A signal's default action (another process's `kill`, or its own).
  Signal(u8),
}

/// Where signals start in a stop reason's byte.
const SIGNAL_BASE: u8 = 64;

/// Is stop `v` (as stored) one by SIGINT or SIGQUIT?
fn interrupt(v: u8) -> bool {
  matches!(StopReason::from_u8(v), StopReason::Signal(2 | 3))
}

/// Does stop `new` take the place of stop `current` (as stored)? The first
/// stop stays, except one that can be taken back, which any other replaces.
fn replaces(current: u8, new: u8) -> bool {
  current == 0 || (interrupt(current) && !interrupt(new))
}

impl StopReason {
  fn to_u8(self) -> u8 {
    match self {
      StopReason::None => 0,
      StopReason::Exit => 1,
      StopReason::WallTimeout => 2,
      StopReason::CpuTimeout => 3,
      StopReason::Memory => 4,
      StopReason::Aborted => 5,
      StopReason::Signal(n) => SIGNAL_BASE + n.min(64),
    }
  }

  fn from_u8(v: u8) -> StopReason {
    match v {
      1 => StopReason::Exit,
      2 => StopReason::WallTimeout,
      3 => StopReason::CpuTimeout,
      4 => StopReason::Memory,
      5 => StopReason::Aborted,
      v if v > SIGNAL_BASE => StopReason::Signal(v - SIGNAL_BASE),
      _ => StopReason::None,
    }
  }

  pub fn exit_kind(self) -> Option<ExitKind> {
    match self {
      StopReason::None => None,
      // A call's process ended by a signal exits as the shell reports it.
      StopReason::Exit | StopReason::Signal(_) => Some(ExitKind::Exit),
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
  /// The runtime's id in its sidecar (known once a spare is adopted).
  rt: std::sync::atomic::AtomicU32,
  /// Wakes the event loop: op completions, V8 task posts, stop requests.
  pub wake: Arc<Notify>,
  /// Streamed output bytes the host has not acknowledged yet.
  unacked: Mutex<u64>,
  acked: Condvar,
  /// Requests the host cancelled before they began here (their frame was
  /// on its way, or waits in the runtime's channel): stopped as they begin.
  early_cancels: Mutex<EarlyCancels>,
  /// Signals (1-31, by bit) the running process listens for, and those
  /// sent to it that its next poll phase delivers.
  handled: AtomicU32,
  pending: AtomicU32,
  /// Set by dispose: the calls still queued before `Dispose` begin
  /// stopped (a call's begin otherwise clears the stop).
  disposed: std::sync::atomic::AtomicBool,
}

/// Cancels kept for requests that have not begun (most are for requests
/// that ended already or never come; only the latest matter).
const MAX_EARLY_CANCELS: usize = 32;

/// The requests cancelled before they began, newest last, at most
/// [`MAX_EARLY_CANCELS`].
#[derive(Default)]
struct EarlyCancels(VecDeque<u64>);

impl EarlyCancels {
  fn record(&mut self, req: u64) {
    if self.0.len() >= MAX_EARLY_CANCELS {
      self.0.pop_front();
    }
    self.0.push_back(req);
  }

  /// Was `req` cancelled? Each cancel is used once.
  fn take(&mut self, req: u64) -> bool {
    let at = self.0.iter().position(|&r| r == req);
    at.and_then(|i| self.0.remove(i)).is_some()
  }
}

impl RuntimeShared {
  pub(super) fn new() -> RuntimeShared {
    RuntimeShared {
      isolate: Mutex::new(None),
      stop: AtomicU8::new(0),
      current: AtomicU64::new(0),
      rt: std::sync::atomic::AtomicU32::new(0),
      wake: Arc::new(Notify::new()),
      unacked: Mutex::new(0),
      acked: Condvar::new(),
      early_cancels: Mutex::new(EarlyCancels::default()),
      handled: AtomicU32::new(0),
      pending: AtomicU32::new(0),
      disposed: std::sync::atomic::AtomicBool::new(false),
    }
  }

  /// A process's own: a spawned child's, serving the call `req`.
  pub(super) fn for_child(rt: u32, req: u64) -> RuntimeShared {
    let s = RuntimeShared::new();
    s.rt.store(rt, Ordering::Release);
    s.current.store(req, Ordering::Release);
    s
  }

  /// The signals sent to the process for its listeners since last asked.
  pub fn take_signals(&self) -> u32 {
    self.pending.swap(0, Ordering::AcqRel)
  }

  /// The host cancelled request `req`: stopped now if it runs, else when
  /// it begins (recorded first, so that a call beginning meanwhile sees it).
  pub fn cancel(&self, req: u64) {
    self
      .early_cancels
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .record(req);
    if self.current_request() == req {
      self.request_stop(StopReason::Aborted);
    }
  }

  /// Call `req` has begun and its isolate's termination was cleared: a
  /// cancel that came before it (or since `begin`) stops it now.
  pub(super) fn arm(&self, req: u64) {
    let cancelled = self
      .early_cancels
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .take(req);
    if cancelled {
      self.request_stop(StopReason::Aborted);
    }
    // A stop requested between `begin` and now lost its termination.
    if self.stop_reason() != StopReason::None {
      if let Some(iso) = *self.isolate.lock().unwrap_or_else(|e| e.into_inner()) {
        // SAFETY: the isolate is alive while it is registered here.
        unsafe { iso.terminate() };
      }
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
  /// call, or the writing process, is being stopped: `stopped`), then
  /// counts them as in flight.
  pub fn reserve_output(&self, len: u64, stopped: &dyn Fn() -> bool) {
    let mut unacked = self.unacked.lock().unwrap_or_else(|e| e.into_inner());
    while *unacked > 0
      && *unacked + len > STREAM_WINDOW_BYTES
      && self.stop_reason() == StopReason::None
      && !stopped()
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
  /// A stop an interactive shell may take back (SIGINT, SIGQUIT) gives way
  /// to any other: a SIGKILL or a limit is never lost to it.
  pub fn request_stop(&self, reason: StopReason) -> bool {
    let new = reason.to_u8();
    let mut current = self.stop.load(Ordering::Acquire);
    loop {
      if !replaces(current, new) {
        return false;
      }
      match self
        .stop
        .compare_exchange(current, new, Ordering::AcqRel, Ordering::Acquire)
      {
        Ok(_) => break,
        Err(now) => current = now,
      }
    }
    if let Some(iso) = *self.isolate.lock().unwrap_or_else(|e| e.into_inner()) {
      // SAFETY: the isolate is alive while it is registered here.
      unsafe { iso.terminate() };
    }
    self.wake.notify_one();
    // A guest blocked on an output window wakes too.
    let _g = self.unacked.lock().unwrap_or_else(|e| e.into_inner());
    self.acked.notify_all();
    true
  }

  pub fn rt(&self) -> u32 {
    self.rt.load(Ordering::Acquire)
  }

  /// Takes back a stop by SIGINT or SIGQUIT: true when there was one.
  pub(super) fn clear_interrupt(&self) -> bool {
    let current = self.stop.load(Ordering::Acquire);
    interrupt(current)
      && self
        .stop
        .compare_exchange(current, 0, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
  }

  pub(super) fn begin(&self, req: u64) {
    if !self.disposed.load(Ordering::Acquire) {
      self.stop.store(0, Ordering::Release);
    }
    self.handled.store(0, Ordering::Release);
    self.pending.store(0, Ordering::Release);
    *self.unacked.lock().unwrap_or_else(|e| e.into_inner()) = 0;
    self.current.store(req, Ordering::Release);
  }

  pub(super) fn end(&self) {
    self.current.store(0, Ordering::Release);
  }
}

impl crate::kernel::process::Signals for RuntimeShared {
  fn signal(&self, sig: u8) {
    let bit = 1u32.checked_shl(u32::from(sig)).unwrap_or(0);
    if sig != 9 && sig != 19 && self.handled.load(Ordering::Acquire) & bit != 0 {
      self.pending.fetch_or(bit, Ordering::AcqRel);
      self.wake.notify_one();
      return;
    }
    if !crate::kernel::process::ignored_by_default(sig) {
      self.request_stop(StopReason::Signal(sig));
    }
  }

  fn set_handled(&self, sig: u8, handled: bool) {
    let bit = 1u32.checked_shl(u32::from(sig)).unwrap_or(0);
    if handled {
      self.handled.fetch_or(bit, Ordering::AcqRel);
    } else {
      self.handled.fetch_and(!bit, Ordering::AcqRel);
    }
  }
}

enum Command {
  /// A spare runtime's real config, and the kernel made from it.
  Adopt(Box<RuntimeConfig>, Arc<Kernel>),
  Execute(Box<ExecRequest>),
  Dispose,
  OpenContext(Box<ContextRequest>),
  ContextCall(Box<ContextCall>),
  CloseContext(u32),
}

pub struct RuntimeHandle {
  tx: Sender<Command>,
  shared: Arc<RuntimeShared>,
  queries: Arc<HostQueries>,
  /// The runtime's kernel, also served to the host (`rt.fs`) from the
  /// sidecar's main thread while guests run.
  pub kernel: Arc<Kernel>,
  /// Where the host's processes start (`rt.spawn`).
  pub spawner: Arc<super::child::SpawnerSlot>,
}

/// What every runtime of a sidecar shares with the sidecar's threads.
#[derive(Clone)]
pub struct SidecarLinks {
  pub outbox: Outbox,
  pub watchdog: Watchdog,
  pub queries: Arc<HostQueries>,
}

impl RuntimeHandle {
  /// Starts a runtime thread that builds its isolate and first context at
  /// once. A spare (`adopt_first`) then waits for `adopt` to learn its real
  /// limits, so that `create()` finds the expensive part done.
  fn start(
    rt: u32,
    config: RuntimeConfig,
    adopt_first: bool,
    links: SidecarLinks,
  ) -> std::io::Result<RuntimeHandle> {
    let (tx, rx) = unbounded::<Command>();
    let shared = Arc::new(RuntimeShared::new());
    shared.rt.store(rt, Ordering::Release);
    let thread_shared = shared.clone();
    let queries = links.queries.clone();
    let kernel = Arc::new(Kernel::new(&config).unwrap_or_default());
    let thread_kernel = kernel.clone();
    let spawner = Arc::new(super::child::SpawnerSlot::default());
    let slot = spawner.clone();
    std::thread::Builder::new()
      .name("se-runtime".into())
      .stack_size(RUNTIME_THREAD_STACK)
      .spawn(move || {
        runtime_main(
          config,
          adopt_first,
          rx,
          (thread_shared, slot),
          links,
          thread_kernel,
        )
      })?;
    Ok(RuntimeHandle {
      tx,
      shared,
      queries,
      kernel,
      spawner,
    })
  }

  pub fn spawn(
    rt: u32,
    config: RuntimeConfig,
    links: SidecarLinks,
  ) -> std::io::Result<RuntimeHandle> {
    RuntimeHandle::start(rt, config, false, links)
  }

  /// A runtime built with `config` ahead of any request.
  pub fn spare(config: RuntimeConfig, links: SidecarLinks) -> std::io::Result<RuntimeHandle> {
    RuntimeHandle::start(0, config, true, links)
  }

  /// Hands a spare its id and real limits (and a kernel made for them:
  /// the spare's had the spare's policy).
  pub fn adopt(&mut self, rt: u32, config: RuntimeConfig) {
    self.shared.rt.store(rt, Ordering::Release);
    self.kernel = Arc::new(Kernel::new(&config).unwrap_or_default());
    let _ = self
      .tx
      .send(Command::Adopt(Box::new(config), self.kernel.clone()));
  }

  pub fn execute(&self, req: Box<ExecRequest>) {
    let _ = self.tx.send(Command::Execute(req));
  }

  pub fn ack_output(&self, bytes: u64) {
    self.shared.ack_output(bytes);
  }

  /// Starts a persistent context (answered with `ToHost::ContextOpened`).
  pub fn open_context(&self, req: Box<ContextRequest>) {
    let _ = self.tx.send(Command::OpenContext(req));
  }

  pub fn context_call(&self, call: Box<ContextCall>) {
    let _ = self.tx.send(Command::ContextCall(call));
  }

  pub fn close_context(&self, ctx: u32) {
    let _ = self.tx.send(Command::CloseContext(ctx));
  }

  pub fn cancel(&self, req: u64) {
    self.shared.cancel(req);
  }

  pub fn dispose(self) {
    // Queries first: a guest waiting on the host must not hold dispose up.
    self.queries.fail_runtime(self.shared.rt());
    self.shared.disposed.store(true, Ordering::Release);
    self.shared.request_stop(StopReason::Aborted);
    let _ = self.tx.send(Command::Dispose);
  }
}

fn runtime_main(
  mut config: RuntimeConfig,
  adopt_first: bool,
  rx: crossbeam_channel::Receiver<Command>,
  (shared, slot): (Arc<RuntimeShared>, Arc<super::child::SpawnerSlot>),
  links: SidecarLinks,
  kernel: Arc<Kernel>,
) {
  let SidecarLinks {
    outbox,
    watchdog,
    queries,
  } = links;
  let Ok(event_loop) = EventLoop::new(shared.wake.clone()) else {
    return;
  };
  // The runtime's kernel: from create() to dispose(), shared by its processes.
  let mut runtime = RuntimeParts {
    shared: shared.clone(),
    outbox: outbox.clone(),
    kernel,
    event_loop: Rc::new(event_loop),
    queries,
    spawner: None,
  };
  // Build the isolate and the first context before the first call arrives.
  let mut engine = RuntimeEngine::new(&config, &runtime);
  // The guest builtins: a spare may get here while the sidecar's main
  // thread still registers them (this then waits for it).
  execute::register_builtins();
  if let Some(e) = engine.as_mut() {
    execute::prepare(e, &config);
  }
  if adopt_first {
    warm_up(&mut engine, &runtime, &config, &watchdog);
    match rx.recv() {
      Ok(Command::Adopt(real, kernel)) => {
        let real = *real;
        runtime.kernel = kernel;
        if let Some(e) = engine.as_mut() {
          *e.host.kernel.borrow_mut() = runtime.kernel.clone();
        }
        if real.memory_mb != config.memory_mb {
          // Heap limits are fixed when an isolate is made; the old one goes
          // before the new one is built.
          drop(engine.take());
          engine = RuntimeEngine::new(&real, &runtime);
        } else if !execute::same_bootstrap(&real, &config) {
          // The prepared context was bootstrapped with the spare's config
          // (its tools, its os, its clock freeze).
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
  let spawner = Arc::new(Spawner::new(
    config.clone(),
    &runtime,
    watchdog.clone(),
    rss_budget,
  ));
  runtime.spawner = Some(spawner.clone());
  slot.set(spawner.clone());
  if let Some(e) = engine.as_mut() {
    *e.host.supervisor.spawner.borrow_mut() = Some(spawner.clone());
  }
  let env = execute::CallEnv {
    config: &config,
    shared: &shared,
    outbox: &outbox,
    watchdog: &watchdog,
    rss_limit: rss_budget,
  };
  // The persistent contexts the host opened (their V8 contexts live in
  // the engine, and end with its isolate).
  let mut contexts = ContextTable::default();
  let mut trimmed = false;
  loop {
    // Idle for a while: the prepared context and the garbage of past calls
    // go, so that a runtime nobody uses holds little (its next call
    // prepares a context first).
    let cmd = if trimmed {
      rx.recv().map_err(|_| ())
    } else {
      match rx.recv_timeout(IDLE_TRIM) {
        Ok(cmd) => Ok(cmd),
        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
          if let Some(e) = engine.as_mut() {
            e.trim();
          }
          trimmed = true;
          continue;
        }
        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => Err(()),
      }
    };
    let Ok(cmd) = cmd else { break };
    trimmed = false;
    match cmd {
      Command::Execute(req) => {
        let id = req.req;
        let outcome = run_process(&mut engine, &mut contexts, &runtime, &env, *req);
        after_call(&mut engine, &mut contexts, &runtime, &config, id, outcome);
      }
      Command::ContextCall(call) => {
        let id = call.req;
        let span = tracing::info_span!("context call", rt = shared.rt(), req = id, ctx = call.ctx);
        let in_call = span.enter();
        let started = (!span.is_disabled()).then(std::time::Instant::now);
        let outcome = guarded(
          &mut engine,
          &mut contexts,
          &runtime,
          &config,
          |e, contexts| contexts.call(e, &env, &runtime, &call),
          execute::internal_failure,
        );
        log_call_end(&outcome, started);
        drop(in_call);
        after_call(&mut engine, &mut contexts, &runtime, &config, id, outcome);
      }
      Command::OpenContext(req) => {
        let result = guarded(
          &mut engine,
          &mut contexts,
          &runtime,
          &config,
          |e, contexts| contexts.open(e, &config, &runtime, &req),
          |why| Err(why.into()),
        );
        tracing::info!(
          rt = shared.rt(),
          ctx = req.ctx,
          ok = result.is_ok(),
          "context opened"
        );
        outbox.send(&ToHost::ContextOpened { id: req.id, result });
        settle(&mut engine, &mut contexts, &runtime, &config);
      }
      Command::CloseContext(ctx) => {
        contexts.close(engine.as_mut(), ctx, &runtime);
        settle(&mut engine, &mut contexts, &runtime, &config);
      }
      Command::Adopt(..) => {}
      Command::Dispose => break,
    }
  }
  // Contexts go before their isolate.
  contexts.end_all(engine.as_mut(), "the runtime was disposed", &runtime);
  spawner.end_all();
}

/// Runs `f` (a call, or a context's start) on the engine, made now if
/// there is none; `failed` says why it could not run. A panic loses the
/// isolate (its state is unknown): every context ends with it.
fn guarded<T>(
  engine: &mut Option<RuntimeEngine>,
  contexts: &mut ContextTable,
  runtime: &RuntimeParts,
  config: &RuntimeConfig,
  f: impl FnOnce(&mut RuntimeEngine, &mut ContextTable) -> T,
  failed: impl FnOnce(&'static str) -> T,
) -> T {
  if engine.is_none() {
    *engine = RuntimeEngine::new(config, runtime);
  }
  let Some(e) = engine.as_mut() else {
    return failed("could not create a V8 isolate");
  };
  match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(e, contexts))) {
    Ok(v) => v,
    Err(_) => {
      // The isolate's state is unknown now: never reuse it.
      runtime.shared.end();
      lose_engine(engine, contexts, runtime);
      failed("internal error in the sandbox runtime")
    }
  }
}

/// Runs `req` as a new guest process of the runtime, to its end: the
/// process is in the runtime's table (its parent: the host) while it runs,
/// and nothing of it may run later.
fn run_process(
  engine: &mut Option<RuntimeEngine>,
  contexts: &mut ContextTable,
  runtime: &RuntimeParts,
  env: &execute::CallEnv<'_>,
  req: crate::ipc::ExecRequest,
) -> crate::ipc::Outcome {
  let id = req.req;
  let pid = runtime
    .kernel
    .processes()
    .spawn(crate::kernel::process::HOST_PID);
  // Off, this is an atomic load: no span, no clock read.
  let span = tracing::info_span!("call", rt = runtime.shared.rt(), req = id, pid);
  let in_call = span.enter();
  let started = (!span.is_disabled()).then(std::time::Instant::now);
  let outcome = guarded(
    engine,
    contexts,
    runtime,
    env.config,
    |e, _| {
      execute::run(
        e,
        env,
        execute::Call {
          pid,
          req,
          child: None,
        },
      )
    },
    execute::internal_failure,
  );
  // Its pending ops go with it.
  runtime.event_loop.end_process(pid);
  {
    let mut table = runtime.kernel.processes();
    table.exit(pid, outcome.code, None);
    // The host has its outcome: nobody else waits for it.
    table.reap(pid);
  }
  log_call_end(&outcome, started);
  drop(in_call);
  outcome
}

/// Drops the isolate; the persistent contexts in it end and say so on
/// their next call.
fn lose_engine(
  engine: &mut Option<RuntimeEngine>,
  contexts: &mut ContextTable,
  runtime: &RuntimeParts,
) {
  contexts.end_all(engine.as_mut(), context::LOST_WITH_ISOLATE, runtime);
  *engine = None;
}

/// A call ended with `outcome`: the host gets it, then the runtime makes
/// ready for the next call.
fn after_call(
  engine: &mut Option<RuntimeEngine>,
  contexts: &mut ContextTable,
  runtime: &RuntimeParts,
  config: &RuntimeConfig,
  id: u64,
  outcome: crate::ipc::Outcome,
) {
  let memory = outcome.kind == ExitKind::MemoryLimit;
  if memory {
    // The heap is full of the guest's garbage: start afresh.
    lose_engine(engine, contexts, runtime);
  }
  runtime.outbox.send_completed(id, outcome);
  settle(engine, contexts, runtime, config);
}

/// A new isolate's first call is ~2x slower than its next ones: it
/// compiles the code every call runs (the bootstrap's hooks, modules.js's
/// CommonJS main). A spare makes that call itself while nobody waits for
/// it, so that a runtime's first call is a warm one. Its code is ours; its
/// outcome goes nowhere, and its process ends as any call's does.
fn warm_up(
  engine: &mut Option<RuntimeEngine>,
  runtime: &RuntimeParts,
  config: &RuntimeConfig,
  watchdog: &Watchdog,
) {
  let env = execute::CallEnv {
    config,
    shared: &runtime.shared,
    outbox: &runtime.outbox,
    watchdog,
    rss_limit: None,
  };
  let req = crate::ipc::ExecRequest {
    rt: 0,
    req: 0,
    code: "__return(1)".into(),
    file_path: "/index.js".into(),
    timeout_ms: None,
    env: Vec::new(),
    cwd: "/".into(),
    argv: Vec::new(),
    stdin: None,
    stream: false,
  };
  let mut contexts = ContextTable::default();
  run_process(engine, &mut contexts, runtime, &env, req);
  settle(engine, &mut contexts, runtime, config);
}

/// The end of a call, in the call's span (`started`: when the span is on).
fn log_call_end(outcome: &crate::ipc::Outcome, started: Option<std::time::Instant>) {
  tracing::info!(
    kind = ?outcome.kind,
    code = outcome.code,
    ms = started.map(|t| t.elapsed().as_secs_f64() * 1000.0),
    "call ended"
  );
}

/// Idle now. Nothing of a finished call may hold memory in the next one:
/// if it still does after a full GC, the isolate is replaced (memory held
/// by open persistent contexts is theirs, on purpose). Then the next guest
/// context is set up before it is asked for.
fn settle(
  engine: &mut Option<RuntimeEngine>,
  contexts: &mut ContextTable,
  runtime: &RuntimeParts,
  config: &RuntimeConfig,
) {
  let live = contexts.any_live();
  if engine
    .as_mut()
    .is_some_and(|e| !e.release_finished_call(config, live))
  {
    lose_engine(engine, contexts, runtime);
  }
  if engine.is_none() {
    *engine = RuntimeEngine::new(config, runtime);
  }
  if let Some(e) = engine.as_mut() {
    execute::prepare(e, config);
  }
}

/// The parts of a runtime that outlive any one isolate.
pub(super) struct RuntimeParts {
  pub(super) shared: Arc<RuntimeShared>,
  pub(super) outbox: Outbox,
  pub(super) kernel: Arc<Kernel>,
  pub(super) event_loop: Rc<EventLoop>,
  pub(super) queries: Arc<HostQueries>,
  /// Starts the runtime's spawned processes (once its config is final).
  pub(super) spawner: Option<Arc<Spawner>>,
}

impl RuntimeParts {
  pub(super) fn kernel(&self) -> &Arc<Kernel> {
    &self.kernel
  }

  pub(super) fn event_loop(&self) -> &EventLoop {
    &self.event_loop
  }

  pub(super) fn shared(&self) -> &RuntimeShared {
    &self.shared
  }
}

#[cfg(feature = "bench")]
impl RuntimeParts {
  /// A runtime's parts with no host behind them, for in-process measurements.
  pub(super) fn detached() -> std::io::Result<RuntimeParts> {
    let (here, there) = std::os::unix::net::UnixStream::pair()?;
    // Kept open: a write to a closed peer makes the Outbox end the process.
    std::mem::forget(there);
    let shared = Arc::new(RuntimeShared::new());
    Ok(RuntimeParts {
      event_loop: Rc::new(EventLoop::new(shared.wake.clone())?),
      shared,
      outbox: Outbox(Arc::new(Mutex::new(here))),
      kernel: Arc::new(Kernel::default()),
      queries: Arc::new(HostQueries::default()),
      spawner: None,
    })
  }
}

/// The isolate of a runtime, the host side of its callbacks, and the next
/// guest context, set up ahead of time. Dropping it disposes the isolate.
pub struct RuntimeEngine {
  // Declared before `isolate`: a context must be dropped before its isolate.
  /// The live persistent contexts, by id (see `sidecar::context`).
  pub contexts: HashMap<u32, context::PersistentContext>,
  pub next: Option<Context>,
  pub host: Rc<GuestHost>,
  pub isolate: Isolate,
  shared: Arc<RuntimeShared>,
  /// JS heap in use once the first context of the isolate was made.
  pub baseline_heap: usize,
  /// Memory found still in use by open persistent contexts at the last
  /// full GC (heap above the baseline, external): theirs, on purpose.
  held: (usize, usize),
  /// What the isolate uses, as the watchdog reads it.
  pub memory: Arc<MemoryUse>,
}

impl RuntimeEngine {
  pub(super) fn new(config: &RuntimeConfig, parts: &RuntimeParts) -> Option<RuntimeEngine> {
    let shared = &parts.shared;
    let bytes = config.memory_mb as usize * 1024 * 1024;
    let supervisor = Rc::new(Supervisor {
      shared: shared.clone(),
      outbox: parts.outbox.clone(),
      event_loop: parts.event_loop.clone(),
      queries: parts.queries.clone(),
      spawner: RefCell::new(parts.spawner.clone()),
    });
    let host = Rc::new(GuestHost {
      shared: shared.clone(),
      outbox: parts.outbox.clone(),
      state: RefCell::new(None),
      heap_raises: Cell::new(0),
      event_loop: parts.event_loop.clone(),
      supervisor,
      kernel: RefCell::new(parts.kernel.clone()),
    });
    let memory = Arc::new(MemoryUse::default());
    let limits = EngineLimits {
      memory: Some(memory.clone()),
      heap_bytes: bytes,
      array_buffer_bytes: bytes,
      max_report_field_bytes: MAX_REPORT_FIELD_BYTES,
      max_return_bytes: MAX_RETURN_BYTES,
      max_vm_contexts: MAX_VM_CONTEXTS,
    };
    let wake = shared.wake.clone();
    let isolate = Isolate::new(
      limits,
      OPS,
      Box::new(HostRef(host.clone())),
      Arc::new(move || wake.notify_one()),
    )?;
    *shared.isolate.lock().unwrap_or_else(|e| e.into_inner()) = Some(isolate.raw());
    Some(RuntimeEngine {
      contexts: HashMap::new(),
      next: None,
      host,
      isolate,
      shared: shared.clone(),
      baseline_heap: 0,
      held: (0, 0),
      memory,
    })
  }

  /// An idle runtime's memory: no prepared context, no garbage.
  fn trim(&mut self) {
    self.next = None;
    self.isolate.sweep_retired();
    self.isolate.collect_garbage();
    self.isolate.sweep_retired();
    // SAFETY: malloc_trim only returns free heap memory to the OS.
    unsafe { libc::malloc_trim(0) };
  }

  /// After a call: drops promise jobs that reached finished contexts, and
  /// when much memory is in use, collects garbage to see whether any of it
  /// is still held by the finished call. False when it is (the isolate must
  /// go, so that the next call starts with its whole budget). With
  /// persistent contexts open (`contexts_live`), what a full GC leaves is
  /// theirs: it is kept, and only growth past it is looked at again.
  fn release_finished_call(&mut self, config: &RuntimeConfig, contexts_live: bool) -> bool {
    self.isolate.sweep_retired();
    let m = self.isolate.memory();
    if m.retired >= MAX_RETIRED_CONTEXTS {
      if !contexts_live {
        return false;
      }
      // Finished contexts are collected by a full GC unless something
      // holds them: only then do the open contexts have to go.
      self.isolate.collect_garbage();
      self.isolate.sweep_retired();
      if self.isolate.memory().retired >= MAX_RETIRED_CONTEXTS {
        return false;
      }
    }
    if !contexts_live {
      self.held = (0, 0);
    }
    // Garbage alone is harmless (V8 collects it before any allocation
    // fails); only a full GC tells garbage from memory still held, so pay
    // for one only when a quarter of a budget is in use.
    let budget = config.memory_mb as usize * 1024 * 1024;
    let heap_extra = m.heap_used.saturating_sub(self.baseline_heap + self.held.0);
    let external_extra = m.external.saturating_sub(self.held.1);
    if heap_extra <= budget / 4 && external_extra <= budget / 4 {
      return true;
    }
    self.isolate.collect_garbage();
    self.isolate.sweep_retired();
    let m = self.isolate.memory();
    if contexts_live {
      self.held = (m.heap_used.saturating_sub(self.baseline_heap), m.external);
      return true;
    }
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
    self.contexts.clear();
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
  /// The running (or next) guest process's op state.
  pub state: RefCell<Option<OpState>>,
  heap_raises: Cell<u32>,
  pub event_loop: Rc<EventLoop>,
  pub supervisor: Rc<Supervisor>,
  /// The runtime's kernel (replaced when a spare runtime adopts its config).
  pub kernel: RefCell<Arc<Kernel>>,
}

impl GuestHost {
  pub fn reset_heap_raises(&self) {
    self.heap_raises.set(0);
  }

  /// Runs `f` on the current process's whole op state, if there is one.
  pub fn with_state<T>(
    &self,
    f: impl FnOnce(&mut crate::kernel::syscall::OpState) -> T,
  ) -> Option<T> {
    self.state.borrow_mut().as_mut().map(f)
  }

  /// Runs `f` on the current process's op state, if there is one.
  pub fn with_process<T>(
    &self,
    f: impl FnOnce(&mut crate::kernel::process::Process) -> T,
  ) -> Option<T> {
    self.state.borrow_mut().as_mut().map(|s| f(&mut s.process))
  }
}

/// The runtime thread, as a guest process sees it: it ends processes,
/// carries queries to the host and runs async ops.
pub struct Supervisor {
  shared: Arc<RuntimeShared>,
  outbox: Outbox,
  event_loop: Rc<EventLoop>,
  queries: Arc<HostQueries>,
  pub spawner: RefCell<Option<Arc<Spawner>>>,
}

impl Supervisor {
  /// A process thread's supervisor (one without an isolate: the shell's).
  pub(super) fn new(parts: &RuntimeParts) -> Supervisor {
    Supervisor {
      shared: parts.shared.clone(),
      outbox: parts.outbox.clone(),
      event_loop: parts.event_loop.clone(),
      queries: parts.queries.clone(),
      spawner: RefCell::new(parts.spawner.clone()),
    }
  }

  /// The processes of the call whose process is `root` end now (before
  /// its outcome is reported): nothing of a call runs after it.
  pub fn end_tree(&self, root: u32) {
    if let Some(sp) = self.spawner.borrow().as_ref() {
      sp.end_tree(root);
    }
  }
}

fn query_failed(message: &'static str) -> OpError {
  OpError::coded(ErrorClass::Error, "ERR_SANDBOX_HOST_QUERY", message)
}

fn answer_to_op(
  answer: Result<super::queries::Answer, tokio::sync::oneshot::error::RecvError>,
) -> Result<Vec<u8>, OpError> {
  match answer {
    Ok(Ok(bytes)) => Ok(bytes),
    Ok(Err(host)) => Err(OpError::Host(host)),
    Err(_) => Err(query_failed(
      "The runtime was disposed while the host was asked",
    )),
  }
}

/// Forgets a query when its asker stops waiting (the process ended).
struct QueryGuard {
  queries: Arc<HostQueries>,
  id: u64,
}

impl Drop for QueryGuard {
  fn drop(&mut self) {
    self.queries.cancel(self.id);
  }
}

impl Supervisor {
  fn ask(
    &self,
    query: Query,
  ) -> Result<
    (
      QueryGuard,
      tokio::sync::oneshot::Receiver<super::queries::Answer>,
    ),
    OpError,
  > {
    let bytes = match &query {
      Query::Tool { name, args } => name.len() + args.len(),
      Query::Permission(r) => r.op.len() + r.target.len(),
      Query::Connect { host, .. } | Query::Resolve { host, .. } => host.len(),
      Query::ResolveRecords { host, servers, .. } => host.len() + servers.len() * 32,
      Query::Mount { call, .. } => match call {
        crate::ipc::MountCall::WriteFile { data, .. }
        | crate::ipc::MountCall::Write { data, .. } => data.len(),
        _ => 0,
      },
    };
    let (id, rx) = self.queries.open(self.shared.rt(), bytes).ok_or_else(|| {
      query_failed("Too many host queries (or too many bytes of them) are waiting")
    })?;
    self.outbox.send(&ToHost::Query {
      id,
      rt: self.shared.rt(),
      req: self.shared.current_request(),
      query,
    });
    Ok((
      QueryGuard {
        queries: self.queries.clone(),
        id,
      },
      rx,
    ))
  }
}

impl ProcessControl for Supervisor {
  fn exit(&self, _code: i32) {
    self.shared.request_stop(StopReason::Exit);
  }

  fn query_host(&self, query: Query) -> Result<Vec<u8>, OpError> {
    let (_guard, rx) = self.ask(query)?;
    let shared = &self.shared;
    match self
      .event_loop
      .block_on(rx, || shared.stop_reason() != StopReason::None)
    {
      Some(answer) => answer_to_op(answer),
      None => Err(query_failed("The guest process is ending")),
    }
  }

  fn query_host_async(&self, query: Query) -> OpFuture {
    let asked = self.ask(query);
    Box::pin(async move {
      let (_guard, rx) = asked?;
      answer_to_op(rx.await).map(OpValue::Cloned)
    })
  }

  fn next_completion(&self, pid: u32) -> Option<(u32, OpOutcome)> {
    self
      .event_loop
      .take_completion(pid)
      .map(|c| (c.promise, c.result))
  }

  fn set_op_ref(&self, promise: u32, refed: bool) -> bool {
    self.event_loop.set_ref(promise, refed)
  }

  fn raise(&self, sig: u8) {
    self.shared.request_stop(StopReason::Signal(sig));
  }

  fn spawn(&self, child: crate::kernel::process::ChildStart) -> Result<(), OpError> {
    let spawner = self.spawner.borrow().clone();
    match spawner {
      Some(sp) => sp.start(child, self.shared.current_request()),
      None => Err(
        crate::kernel::error::KernelError::new(crate::kernel::error::Errno::EAGAIN, "spawn").into(),
      ),
    }
  }

  fn stopped(&self) -> bool {
    self.shared.stop_reason() != StopReason::None
  }

  fn take_interrupt(&self) -> bool {
    self.shared.clear_interrupt()
  }

  fn wait(&self, until: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>) -> bool {
    let shared = &self.shared;
    self
      .event_loop
      .block_on(until, || shared.stop_reason() != StopReason::None)
      .is_some()
  }

  fn audit(&self, event: crate::ipc::AuditEvent) {
    self.outbox.send(&ToHost::Audit {
      rt: self.shared.rt(),
      event,
    });
  }

  fn connect_host(
    &self,
    host: String,
    port: u16,
    timeout_ms: u32,
  ) -> crate::kernel::process::ConnectFuture {
    let asked = self.ask(Query::Connect {
      host,
      port,
      timeout_ms,
    });
    let queries = self.queries.clone();
    Box::pin(async move {
      let (guard, rx) = asked?;
      let bytes = answer_to_op(rx.await)?;
      let fd = queries
        .take_fd(guard.id)
        .ok_or_else(|| query_failed("The host answered a connection without its socket"))?;
      let info: crate::ipc::Connected = postcard::from_bytes(&bytes)
        .map_err(|_| query_failed("The host's answer to a connection is malformed"))?;
      Ok((fd, info))
    })
  }
}

struct HostRef(Rc<GuestHost>);

impl EngineHost for HostRef {
  fn op<'a>(&self, op: u32, args: Args<'a>) -> Result<OpValue<'a>, OpError> {
    let host = &*self.0;
    let internal = |m: &'static str| OpError::coded(ErrorClass::Error, "ERR_INTERNAL_ASSERTION", m);
    let decl = OPS
      .get(op as usize)
      .ok_or_else(|| internal("unknown syscall"))?;
    let mut guard = host
      .state
      .try_borrow_mut()
      .map_err(|_| internal("re-entrant syscall"))?;
    let state = guard.as_mut().ok_or_else(|| internal("no guest process"))?;
    let pid = state.process.pid;
    match (decl.call)(state, args)? {
      OpOutput::Value(v) => Ok(v),
      OpOutput::Pending { promise, future } => {
        drop(guard);
        host.event_loop.spawn(pid, promise, future)?;
        Ok(OpValue::Undefined)
      }
    }
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
      tracing::error!(
        req,
        "guest not stopped at the memory limit; the sidecar ends"
      );
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
    if let Ok(mut s) = self.0.state.try_borrow_mut() {
      if let Some(s) = s.as_mut() {
        s.process.return_value = Some(bytes.to_vec());
      }
    }
  }

  fn module_exports(&self, bytes: &[u8]) {
    if let Ok(mut s) = self.0.state.try_borrow_mut() {
      if let Some(s) = s.as_mut() {
        s.process.exports = Some(bytes.to_vec());
      }
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn early_cancels_are_used_once_and_bounded() {
    let mut c = EarlyCancels::default();
    c.record(7);
    assert!(!c.take(6), "a cancel stops only its own request");
    assert!(c.take(7));
    assert!(!c.take(7), "used once: the id never stops a call again");
    // Cancels of requests that never come are forgotten, oldest first.
    let n = 2 * MAX_EARLY_CANCELS as u64;
    for req in 100..100 + n {
      c.record(req);
    }
    assert_eq!(c.0.len(), MAX_EARLY_CANCELS);
    assert!(!c.take(100));
    assert!(c.take(100 + n - 1));
  }

  #[test]
  fn a_stop_that_can_be_taken_back_gives_way_to_any_other() {
    let v = |r: StopReason| r.to_u8();
    let (int, quit) = (v(StopReason::Signal(2)), v(StopReason::Signal(3)));
    assert!(replaces(0, int));
    assert!(!replaces(int, quit), "the first interrupt stays");
    assert!(replaces(int, v(StopReason::Signal(9))));
    assert!(replaces(quit, v(StopReason::CpuTimeout)));
    assert!(!replaces(v(StopReason::Signal(9)), int));
    assert!(!replaces(v(StopReason::Exit), v(StopReason::Aborted)));
    assert!(interrupt(int) && interrupt(quit) && !interrupt(v(StopReason::Signal(15))));
  }
}
