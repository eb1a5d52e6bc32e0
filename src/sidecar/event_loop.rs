//! A runtime's event loop machinery: the table of pending async ops (which
//! guest process and promise each belongs to, ref or unref), the queue of
//! their completions, and the one wake-up shared by op completions, V8
//! task posts and stop requests. Op futures run on a current-thread tokio
//! runtime owned by the runtime thread, polled while the loop waits.
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::{AbortHandle, LocalSet};

use crate::kernel::error::{ErrorClass, OpError};
use crate::kernel::limits::MAX_PENDING_OPS;
use crate::kernel::op::{OpFuture, OpValue};

/// One async op in flight.
struct PendingOp {
  pid: u32,
  refed: bool,
  abort: AbortHandle,
}

/// A finished async op, waiting for the poll phase to settle its promise.
pub struct Completion {
  pub promise: u32,
  pub result: Result<OpValue<'static>, OpError>,
}

#[derive(Default)]
struct Table {
  pending: HashMap<u32, PendingOp>,
  completions: VecDeque<(u32, Completion)>,
}

pub struct EventLoop {
  rt: tokio::runtime::Runtime,
  local: LocalSet,
  table: Rc<RefCell<Table>>,
  wake: Arc<Notify>,
}

impl EventLoop {
  pub fn new(wake: Arc<Notify>) -> std::io::Result<EventLoop> {
    // I/O: guest sockets the host connected (egress) are polled here.
    let rt = tokio::runtime::Builder::new_current_thread()
      .enable_time()
      .enable_io()
      .build()?;
    Ok(EventLoop {
      rt,
      local: LocalSet::new(),
      table: Rc::default(),
      wake,
    })
  }

  /// Starts async op `promise` of process `pid`; it keeps the loop alive
  /// until it settles or the guest unrefs it.
  pub fn spawn(&self, pid: u32, promise: u32, future: OpFuture) -> Result<(), OpError> {
    let mut t = self.table.borrow_mut();
    if t.pending.contains_key(&promise) {
      return Err(OpError::coded(
        ErrorClass::Error,
        "ERR_INTERNAL_ASSERTION",
        "async op id already in use",
      ));
    }
    if t.pending.len() >= MAX_PENDING_OPS {
      return Err(OpError::coded(
        ErrorClass::RangeError,
        "ERR_SANDBOX_TOO_MANY_PENDING_OPS",
        format!("A guest process may have at most {MAX_PENDING_OPS} async operations in flight"),
      ));
    }
    let table = self.table.clone();
    let wake = self.wake.clone();
    let handle = self.local.spawn_local(async move {
      let result = future.await;
      let mut t = table.borrow_mut();
      // Only an op still in the table (its process alive) completes.
      if t.pending.remove(&promise).is_some_and(|p| p.pid == pid) {
        t.completions
          .push_back((pid, Completion { promise, result }));
        wake.notify_one();
      }
    });
    t.pending.insert(
      promise,
      PendingOp {
        pid,
        refed: true,
        abort: handle.abort_handle(),
      },
    );
    Ok(())
  }

  /// `ref()`/`unref()` of an op's handle; false when no such op is pending.
  pub fn set_ref(&self, promise: u32, refed: bool) -> bool {
    match self.table.borrow_mut().pending.get_mut(&promise) {
      Some(p) => {
        p.refed = refed;
        true
      }
      None => false,
    }
  }

  /// Pending ops that keep the loop alive.
  pub fn refed(&self) -> usize {
    self
      .table
      .borrow()
      .pending
      .values()
      .filter(|p| p.refed)
      .count()
  }

  pub fn has_completions(&self) -> bool {
    !self.table.borrow().completions.is_empty()
  }

  /// The next completion of process `pid`; any left by another process is
  /// discarded.
  pub fn take_completion(&self, pid: u32) -> Option<Completion> {
    let mut t = self.table.borrow_mut();
    while let Some((owner, c)) = t.completions.pop_front() {
      if owner == pid {
        return Some(c);
      }
    }
    None
  }

  /// Process `pid` has ops in flight or completions not taken yet.
  pub fn has_process(&self, pid: u32) -> bool {
    let t = self.table.borrow();
    t.pending.values().any(|p| p.pid == pid) || t.completions.iter().any(|(o, _)| *o == pid)
  }

  /// Process `pid` ended: its ops are cancelled and their results dropped.
  pub fn end_process(&self, pid: u32) {
    let mut t = self.table.borrow_mut();
    t.pending.retain(|_, p| {
      if p.pid == pid {
        p.abort.abort();
        false
      } else {
        true
      }
    });
    t.completions.retain(|(owner, _)| *owner != pid);
    drop(t);
    // Let the aborted tasks drop their futures now (a host query's slot).
    self.poll_ready();
  }

  /// Runs the op futures that are ready, without waiting.
  pub fn poll_ready(&self) {
    self
      .rt
      .block_on(self.local.run_until(tokio::task::yield_now()));
  }

  /// Waits until woken (a completion, a V8 task, a stop) or `timeout`
  /// passes (`None`: no timer; only a wake ends the wait).
  pub fn wait(&self, timeout: Option<Duration>) {
    if self.has_completions() {
      return self.poll_ready();
    }
    let wake = self.wake.clone();
    self.rt.block_on(self.local.run_until(async move {
      match timeout {
        Some(t) => {
          tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(t) => {}
          }
        }
        None => wake.notified().await,
      }
    }));
  }

  /// Runs `f` to completion on the loop (other ops progress meanwhile),
  /// unless `stopped()` turns true first; checked at every wake-up.
  pub fn block_on<T>(
    &self,
    f: impl std::future::Future<Output = T>,
    stopped: impl Fn() -> bool,
  ) -> Option<T> {
    let wake = self.wake.clone();
    self.rt.block_on(self.local.run_until(async move {
      tokio::pin!(f);
      loop {
        if stopped() {
          // Leave the wake for the event loop, which checks stops too.
          wake.notify_one();
          return None;
        }
        tokio::select! {
          v = &mut f => return Some(v),
          _ = wake.notified() => {}
        }
      }
    }))
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use std::time::Instant;

  fn after(ms: u64, v: f64) -> OpFuture {
    Box::pin(async move {
      tokio::time::sleep(Duration::from_millis(ms)).await;
      Ok(OpValue::Number(v))
    })
  }

  #[test]
  fn completions_come_in_order_and_only_for_their_process() {
    let lp = EventLoop::new(Arc::new(Notify::new())).unwrap();
    lp.spawn(1, 10, after(20, 1.0)).unwrap();
    lp.spawn(1, 11, after(1, 2.0)).unwrap();
    lp.spawn(2, 12, after(1, 3.0)).unwrap();
    assert_eq!(lp.refed(), 3);
    assert!(lp.spawn(1, 10, after(1, 0.0)).is_err());
    let t0 = Instant::now();
    let mut got = Vec::new();
    while got.len() < 2 && t0.elapsed() < Duration::from_secs(5) {
      lp.wait(Some(Duration::from_millis(100)));
      while let Some(c) = lp.take_completion(1) {
        got.push((c.promise, c.result));
      }
    }
    assert_eq!(got[0], (11, Ok(OpValue::Number(2.0))));
    assert_eq!(got[1], (10, Ok(OpValue::Number(1.0))));
    // Process 2's completion was discarded when process 1 took its own.
    assert_eq!(lp.refed(), 0);
    assert!(lp.take_completion(2).is_none());
  }

  #[test]
  fn refs_and_ending_a_process() {
    let lp = EventLoop::new(Arc::new(Notify::new())).unwrap();
    lp.spawn(1, 1, after(10_000, 1.0)).unwrap();
    assert!(lp.set_ref(1, false));
    assert_eq!(lp.refed(), 0);
    assert!(!lp.set_ref(99, false));
    assert!(lp.has_process(1));
    assert!(!lp.has_process(2));
    lp.end_process(1);
    assert!(!lp.has_process(1));
    assert!(!lp.set_ref(1, true));
    assert!(!lp.has_completions());
  }

  #[test]
  fn a_wake_from_another_thread_ends_the_wait() {
    let wake = Arc::new(Notify::new());
    let lp = EventLoop::new(wake.clone()).unwrap();
    let t0 = Instant::now();
    let w = wake.clone();
    let th = std::thread::spawn(move || {
      std::thread::sleep(Duration::from_millis(20));
      w.notify_one();
    });
    lp.wait(None);
    assert!(t0.elapsed() < Duration::from_secs(5));
    th.join().unwrap();
    // A stop seen at the next wake-up ends a blocking wait.
    let stopped = std::cell::Cell::new(false);
    wake.notify_one();
    let r = lp.block_on(std::future::pending::<()>(), || {
      let s = stopped.get();
      stopped.set(true);
      s
    });
    assert!(r.is_none());
  }
}
