//! Where runtimes get their sidecar: a small pool of started, ready
//! sidecars (one per runtime by default) or the one shared sidecar.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::sidecar::{Sidecar, READY_TIMEOUT};

/// Ready sidecars kept waiting, so that `create()` does not wait for a
/// process to start.
pub const WARM_POOL_SIZE: usize = 2;

static IDLE: Mutex<Vec<Arc<Sidecar>>> = Mutex::new(Vec::new());
static STARTING: AtomicUsize = AtomicUsize::new(0);
static SHARED: tokio::sync::Mutex<Option<Arc<Sidecar>>> = tokio::sync::Mutex::const_new(None);

/// `mode` says what the sidecar is for in the logs: "dedicated" or "shared".
async fn start_ready(mode: &'static str) -> Result<Arc<Sidecar>, String> {
  let started = std::time::Instant::now();
  let (sidecar, ready) = Sidecar::start().map_err(|e| {
    tracing::warn!(mode, error = %e, "sidecar could not be spawned");
    format!("cannot start the sandbox sidecar: {e}")
  })?;
  tracing::info!(pid = sidecar.pid, mode, "sidecar spawned");
  let r = match tokio::time::timeout(READY_TIMEOUT, ready).await {
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
      ms = started.elapsed().as_millis() as u64,
      "sidecar ready"
    ),
    // No guest has run in it yet: nothing of a guest is in the error.
    Err(e) => tracing::warn!(mode, error = %e, "sidecar did not become ready"),
  }
  r
}

/// Starts sidecars in the background until the pool is full again. Called
/// after a runtime got its sidecar, so that the fork does not compete with
/// the `create()` that is waiting.
pub fn refill() {
  let idle = IDLE.lock().unwrap_or_else(|e| e.into_inner()).len();
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
    STARTING.fetch_add(1, Ordering::AcqRel);
    napi::bindgen_prelude::spawn(async {
      let r = start_ready("dedicated").await;
      STARTING.fetch_sub(1, Ordering::AcqRel);
      if let Ok(s) = r {
        IDLE.lock().unwrap_or_else(|e| e.into_inner()).push(s);
      }
    });
  }
}

/// A ready sidecar of its own for a new runtime.
pub async fn take_dedicated() -> Result<Arc<Sidecar>, String> {
  let found = {
    let mut idle = IDLE.lock().unwrap_or_else(|e| e.into_inner());
    idle.retain(|s| !s.is_dead());
    idle.pop()
  };
  match found {
    Some(s) => Ok(s),
    None => start_ready("dedicated").await,
  }
}

/// The sidecar shared by every `sidecar: "shared"` runtime (restarted if it died).
pub async fn shared() -> Result<Arc<Sidecar>, String> {
  let mut slot = SHARED.lock().await;
  if let Some(s) = slot.as_ref().filter(|s| !s.is_dead()) {
    return Ok(s.clone());
  }
  let s = start_ready("shared").await?;
  *slot = Some(s.clone());
  Ok(s)
}

/// Ends idle pooled sidecars and the shared one if `shared_in_use` is false.
pub async fn close_idle(shared_in_use: bool) {
  // Sidecars still starting would join the pool after it was emptied.
  let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
  while STARTING.load(Ordering::Acquire) > 0 && tokio::time::Instant::now() < deadline {
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
  }
  let idle: Vec<Arc<Sidecar>> =
    std::mem::take(&mut *IDLE.lock().unwrap_or_else(|e| e.into_inner()));
  for s in idle {
    s.shutdown().await;
  }
  if !shared_in_use {
    let s = SHARED.lock().await.take();
    if let Some(s) = s {
      s.shutdown().await;
    }
  }
}
