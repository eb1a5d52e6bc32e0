//! Where runtimes get their sidecar: a small pool of started sidecars (one
//! per runtime by default) or the one shared sidecar.
//!
//! The first pooled sidecar is started when the package is imported
//! ([`prestart`]): a sidecar is a second Node.js process, and its start is
//! most of a new host's wait for its first result, so it runs while the
//! host is still loading and setting up. The pool is refilled a little
//! after a `create()` took from it, not at once: a start is a fork of the
//! host and ~20 ms of CPU that would compete with the new runtime's first
//! calls.
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::sidecar::{ReadySignal, Sidecar, READY_TIMEOUT};

/// Sidecars kept started, so that `create()` does not wait for a process to
/// start.
pub const WARM_POOL_SIZE: usize = 2;

/// How long after a `create()` took a pooled sidecar the pool starts
/// refilling.
const REFILL_DELAY: Duration = Duration::from_millis(50);

/// A started sidecar; `ready` resolves (or has resolved) once it serves.
struct Pooled {
  sidecar: Arc<Sidecar>,
  ready: ReadySignal,
  spawned: Instant,
}

/// Oldest first.
static IDLE: Mutex<VecDeque<Pooled>> = Mutex::new(VecDeque::new());
/// Starts asked for whose process is not in `IDLE` yet.
static STARTING: AtomicUsize = AtomicUsize::new(0);
/// Wakes the `create()`s waiting for a starting sidecar to arrive in `IDLE`.
static ARRIVED: tokio::sync::Notify = tokio::sync::Notify::const_new();
/// Bumped by `close_idle`: a refill scheduled before it does not run.
static GENERATION: AtomicU64 = AtomicU64::new(0);
static REFILL_SCHEDULED: AtomicBool = AtomicBool::new(false);
static PRESTARTED: AtomicBool = AtomicBool::new(false);
static SHARED: tokio::sync::Mutex<Option<Arc<Sidecar>>> = tokio::sync::Mutex::const_new(None);

fn idle() -> std::sync::MutexGuard<'static, VecDeque<Pooled>> {
  IDLE.lock().unwrap_or_else(|e| e.into_inner())
}

fn spawn(mode: &'static str) -> Result<Pooled, String> {
  let (sidecar, ready) = Sidecar::start().map_err(|e| {
    tracing::warn!(mode, error = %e, "sidecar could not be spawned");
    format!("cannot start the sandbox sidecar: {e}")
  })?;
  tracing::info!(pid = sidecar.pid, mode, "sidecar spawned");
  Ok(Pooled {
    sidecar,
    ready,
    spawned: Instant::now(),
  })
}

/// Waits until `p` serves, at most until `READY_TIMEOUT` after its spawn.
async fn ready(p: Pooled, mode: &'static str) -> Result<Arc<Sidecar>, String> {
  let Pooled {
    sidecar,
    ready,
    spawned,
  } = p;
  let deadline = tokio::time::Instant::from_std(spawned + READY_TIMEOUT);
  let r = match tokio::time::timeout_at(deadline, ready).await {
    Ok(Ok(Ok(()))) => Ok(sidecar),
    Ok(Ok(Err(e))) => Err(e),
    Ok(Err(_)) => Err("the sandbox sidecar ended before it was ready".into()),
    Err(_) => {
      sidecar.kill();
      Err("the sandbox sidecar did not start in time".into())
    }
  };
  match &r {
    Ok(s) => tracing::debug!(
      pid = s.pid,
      mode,
      ms = spawned.elapsed().as_millis() as u64,
      "sidecar ready"
    ),
    // No guest has run in it yet: nothing of a guest is in the error.
    Err(e) => tracing::warn!(mode, error = %e, "sidecar did not become ready"),
  }
  r
}

/// `mode` says what the sidecar is for in the logs: "dedicated" or "shared".
async fn start_ready(mode: &'static str) -> Result<Arc<Sidecar>, String> {
  ready(spawn(mode)?, mode).await
}

/// A start under way; on drop (also when the start failed or never ran) its
/// sidecar joins the pool and the `create()`s waiting for one look again.
struct Arrival(Option<Pooled>);

impl Drop for Arrival {
  fn drop(&mut self) {
    if let Some(p) = self.0.take() {
      idle().push_back(p);
    }
    STARTING.fetch_sub(1, Ordering::AcqRel);
    ARRIVED.notify_waiters();
  }
}

/// Starts one sidecar into the pool: on the spawner thread (not a tokio
/// worker: a host that exits meanwhile would wait for it, as the runtime's
/// shutdown joins its workers), or `now` on this thread if it is the
/// process's main thread.
fn start_into_pool(now: bool) {
  STARTING.fetch_add(1, Ordering::AcqRel);
  let arrival = Arrival(None);
  let job = move || {
    let mut arrival = arrival;
    arrival.0 = spawn("dedicated").ok();
  };
  let started = if now {
    super::spawn::here_or_on_spawner(job)
  } else {
    super::spawn::on_spawner(job)
  };
  if let Err(e) = started {
    tracing::warn!(error = %e, "cannot reach the spawner thread");
  }
}

/// Starts the first pooled sidecar, once per process, when the package is
/// imported. It never keeps the host alive (no handle on the host's event
/// loop) and dies with the host (the parent-death signal, see `spawn`).
pub fn prestart() {
  if PRESTARTED.swap(true, Ordering::AcqRel) {
    return;
  }
  // The sidecar is handed the host's log filter at its spawn.
  crate::log::init(crate::log::Side::Host);
  if idle().is_empty() && STARTING.load(Ordering::Acquire) == 0 {
    tracing::debug!("starting the first sidecar at import");
    // At once: a new thread would first have to be scheduled.
    start_into_pool(true);
  }
}

/// Fills the pool up again, `REFILL_DELAY` from now. Called after a runtime
/// got its sidecar.
pub fn refill() {
  if REFILL_SCHEDULED.swap(true, Ordering::AcqRel) {
    return;
  }
  let generation = GENERATION.load(Ordering::Acquire);
  napi::bindgen_prelude::spawn(async move {
    tokio::time::sleep(REFILL_DELAY).await;
    REFILL_SCHEDULED.store(false, Ordering::Release);
    if GENERATION.load(Ordering::Acquire) != generation {
      return;
    }
    let idle = {
      let mut idle = idle();
      idle.retain(|p| !p.sidecar.is_dead());
      idle.len()
    };
    let starting = STARTING.load(Ordering::Acquire);
    if idle + starting < WARM_POOL_SIZE {
      tracing::debug!(
        idle,
        starting,
        size = WARM_POOL_SIZE,
        "refilling the sidecar pool"
      );
    }
    for _ in idle + starting..WARM_POOL_SIZE {
      start_into_pool(false);
    }
  });
}

/// A ready sidecar of its own for a new runtime: a pooled one (waiting for
/// it to be ready if it is still starting), else a new one.
pub async fn take_dedicated() -> Result<Arc<Sidecar>, String> {
  take("dedicated").await
}

/// A sidecar of its own for a new runtime at once, without waiting: a
/// pooled one that is ready; `None` if there is none.
pub fn take_ready_now() -> Option<Arc<Sidecar>> {
  let mut idle = idle();
  idle.retain(|p| !p.sidecar.is_dead());
  loop {
    let p = idle.front_mut()?;
    match p.ready.try_recv() {
      Ok(Ok(())) => return idle.pop_front().map(|p| p.sidecar),
      // Still starting: `take` waits for it.
      Err(tokio::sync::oneshot::error::TryRecvError::Empty) => return None,
      // It failed to start: dropped, as `take` drops it.
      Ok(Err(_)) | Err(tokio::sync::oneshot::error::TryRecvError::Closed) => {
        idle.pop_front();
      }
    }
  }
}

async fn take(mode: &'static str) -> Result<Arc<Sidecar>, String> {
  loop {
    // Made before looking: an arrival right after the look still wakes it.
    let arrived = ARRIVED.notified();
    let found = {
      let mut idle = idle();
      idle.retain(|p| !p.sidecar.is_dead());
      idle.pop_front()
    };
    if let Some(p) = found {
      match ready(p, mode).await {
        Ok(s) => return Ok(s),
        // A pooled sidecar that failed: try the next, or a new one.
        Err(_) => continue,
      }
    }
    if STARTING.load(Ordering::Acquire) == 0 {
      return start_ready(mode).await;
    }
    arrived.await;
  }
}

/// The sidecar shared by every `sidecar: "shared"` runtime (restarted if it
/// died). A pooled sidecar serves as well as a new one: each runtime in it
/// gets its own thread and isolate either way.
pub async fn shared() -> Result<Arc<Sidecar>, String> {
  let mut slot = SHARED.lock().await;
  if let Some(s) = slot.as_ref().filter(|s| !s.is_dead()) {
    return Ok(s.clone());
  }
  let s = take("shared").await?;
  *slot = Some(s.clone());
  Ok(s)
}

/// Ends idle pooled sidecars and the shared one if `shared_in_use` is false.
pub async fn close_idle(shared_in_use: bool) {
  GENERATION.fetch_add(1, Ordering::AcqRel);
  // Sidecars still starting would join the pool after it was emptied.
  let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
  while STARTING.load(Ordering::Acquire) > 0 && tokio::time::Instant::now() < deadline {
    tokio::time::sleep(Duration::from_millis(5)).await;
  }
  let idle: Vec<Pooled> = idle().drain(..).collect();
  for p in idle {
    p.sidecar.shutdown().await;
  }
  if !shared_in_use {
    let s = SHARED.lock().await.take();
    if let Some(s) = s {
      s.shutdown().await;
    }
  }
}
