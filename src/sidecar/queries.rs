//! Questions guest processes ask the host (host tools, permission
//! callbacks), sidecar-wide: each gets an id, goes out as a `Query` frame,
//! and waits here for the host's `Reply` with that id. Disposing a runtime
//! fails its queries first, so that nothing waits on a host that will
//! never answer.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::sync::oneshot;

use crate::ipc::HostError;
use crate::kernel::limits::{MAX_PENDING_QUERIES, MAX_QUERY_BYTES_IN_FLIGHT};

pub type Answer = Result<Vec<u8>, HostError>;

/// One query waiting for the host.
struct Waiting {
  rt: u32,
  /// Bytes of its arguments (held by the host until it answers).
  bytes: usize,
  answer: oneshot::Sender<Answer>,
}

#[derive(Default)]
pub struct HostQueries {
  next: AtomicU64,
  waiting: Mutex<HashMap<u64, Waiting>>,
  /// Descriptors answered along with a query (a connected socket), until
  /// the asker takes them.
  fds: Mutex<HashMap<u64, std::os::fd::OwnedFd>>,
}

impl HostQueries {
  fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Waiting>> {
    self.waiting.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// A new query of runtime `rt` carrying `bytes` of arguments: its id and
  /// where the answer arrives. `None` when the runtime already has too many
  /// queries, or too many bytes, waiting.
  pub fn open(&self, rt: u32, bytes: usize) -> Option<(u64, oneshot::Receiver<Answer>)> {
    let mut w = self.lock();
    let (count, held) = w
      .values()
      .filter(|q| q.rt == rt)
      .fold((0, 0), |(n, b), q| (n + 1, b + q.bytes));
    if count >= MAX_PENDING_QUERIES || held + bytes > MAX_QUERY_BYTES_IN_FLIGHT {
      return None;
    }
    let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
    let (tx, rx) = oneshot::channel();
    w.insert(
      id,
      Waiting {
        rt,
        bytes,
        answer: tx,
      },
    );
    Some((id, rx))
  }

  /// The host's answer to `id` (ignored when nobody waits any more).
  pub fn answer(&self, id: u64, answer: Answer) {
    if let Some(q) = self.lock().remove(&id) {
      let _ = q.answer.send(answer);
    }
  }

  /// The host's answer to `id` with a descriptor: kept for the asker to
  /// take, or closed now when nobody waits any more.
  pub fn answer_with_fd(&self, id: u64, bytes: Vec<u8>, fd: std::os::fd::OwnedFd) {
    let mut waiting = self.lock();
    if let Some(q) = waiting.remove(&id) {
      self.fd_lock().insert(id, fd);
      drop(waiting);
      if q.answer.send(Ok(bytes)).is_err() {
        self.fd_lock().remove(&id);
      }
    }
  }

  /// The descriptor answered with query `id`.
  pub fn take_fd(&self, id: u64) -> Option<std::os::fd::OwnedFd> {
    self.fd_lock().remove(&id)
  }

  fn fd_lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, std::os::fd::OwnedFd>> {
    self.fds.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// The asker gave up (its process ended).
  pub fn cancel(&self, id: u64) {
    self.lock().remove(&id);
    self.fd_lock().remove(&id);
  }

  /// Runtime `rt` is going: every query it has waiting fails now.
  pub fn fail_runtime(&self, rt: u32) {
    self.lock().retain(|_, q| q.rt != rt);
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn answers_reach_their_asker_and_dispose_fails_the_rest() {
    let q = HostQueries::default();
    let (a, mut ra) = q.open(1, 10).unwrap();
    let (_b, mut rb) = q.open(2, 10).unwrap();
    q.answer(a, Ok(vec![7]));
    assert_eq!(ra.try_recv().unwrap(), Ok(vec![7]));
    q.answer(a, Ok(vec![8]));
    q.fail_runtime(2);
    assert!(matches!(
      rb.try_recv(),
      Err(oneshot::error::TryRecvError::Closed)
    ));
  }

  #[test]
  fn a_runtime_has_a_bounded_number_waiting() {
    let q = HostQueries::default();
    let held: Vec<_> = (0..MAX_PENDING_QUERIES)
      .map(|_| q.open(1, 1).unwrap())
      .collect();
    assert!(q.open(1, 1).is_none());
    assert!(q.open(2, 1).is_some());
    q.cancel(held[0].0);
    assert!(q.open(1, 1).is_some());
  }

  #[test]
  fn a_runtime_has_bounded_bytes_waiting() {
    let q = HostQueries::default();
    let (big, _rx) = q.open(1, MAX_QUERY_BYTES_IN_FLIGHT - 10).unwrap();
    assert!(q.open(1, 11).is_none());
    assert!(q.open(1, 10).is_some());
    assert!(q.open(2, MAX_QUERY_BYTES_IN_FLIGHT).is_some());
    q.cancel(big);
    assert!(q.open(1, 11).is_some());
  }
}
