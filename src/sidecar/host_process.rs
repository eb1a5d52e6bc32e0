//! Processes the host starts in a runtime outside its calls (`rt.spawn`):
//! each is the root of a tree of its own whose stdio are kernel pipes, the
//! other ends served here, on the thread of the host's connections
//! (`bridges`). Its output goes to the host a window at a time (the host
//! acknowledges what it read), the host's stdin bytes go in as the process
//! takes them, and its end is told once its output is all sent.
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use tokio::sync::mpsc as tmpsc;
use tokio::sync::Notify;

use super::child::SpawnerSlot;
use super::Outbox;
use crate::ipc::{ProcMsg, SpawnRequest, Stream, ToHost};
use crate::kernel::error::Errno;
use crate::kernel::pipe::{PipeEnd, Read};
use crate::kernel::process::ProcessState;
use crate::kernel::Kernel;

/// The process's output sent to the host and not yet read there: past it
/// its pipes are left unread (the process waits), so a host that does not
/// read holds the process back instead of growing its own memory.
const WINDOW: usize = 256 * 1024;
const READ_SIZE: usize = 64 * 1024;
/// Stdin bytes from the host the process has not taken yet: past it the
/// host did not keep to its window (1 MiB, index.js) and stdin is closed.
const MAX_PENDING: usize = 4 * 1024 * 1024;

fn tell(outbox: &Outbox, id: u64, msg: ProcMsg) {
  outbox.send(&ToHost::Proc { id, msg });
}

fn failed(outbox: &Outbox, id: u64, req: &SpawnRequest, errno: Errno) {
  let message = format!("spawn {} {}", req.file, errno.code());
  tell(
    outbox,
    id,
    ProcMsg::Failed {
      code: errno.code().into(),
      message,
    },
  );
}

/// Serves the host's process `req` from its start to its end. `host_rx`
/// carries the host's steps; it closes when the runtime is disposed.
pub async fn serve(
  kernel: Arc<Kernel>,
  slot: Arc<SpawnerSlot>,
  req: SpawnRequest,
  outbox: &Outbox,
  mut host_rx: tmpsc::UnboundedReceiver<ProcMsg>,
) {
  let id = req.id;
  if !crate::kernel::child::exists(&req.file) {
    return failed(outbox, id, &req, Errno::ENOENT);
  }
  let sizes = req.env.iter().map(|(k, v)| k.len() + v.len() + 1);
  if crate::kernel::child::check_size(&req.file, &req.args, sizes).is_err() {
    return failed(outbox, id, &req, Errno::E2BIG);
  }
  let pipes = (|| {
    let (in_r, in_w) = PipeEnd::pair(&kernel.pipes)?;
    let (out_r, out_w) = PipeEnd::pair(&kernel.pipes)?;
    let (err_r, err_w) = PipeEnd::pair(&kernel.pipes)?;
    Ok::<_, Errno>(([in_r, out_w, err_w], (in_w, out_r, err_r)))
  })();
  let (theirs, (stdin, out, err)) = match pipes {
    Ok(p) => p,
    Err(e) => return failed(outbox, id, &req, e),
  };
  // A runtime just made gets its spawner once its thread has adopted it.
  let spawner = tokio::select! {
    s = slot.get() => s,
    _ = host_closed(&mut host_rx) => {
      let message = "The runtime was disposed".into();
      let code = "ERR_SANDBOX_DISPOSED".into();
      return tell(outbox, id, ProcMsg::Failed { code, message });
    }
  };
  let (started_tx, started) = tokio::sync::oneshot::channel();
  let pid = match spawner.start_for_host(&req, theirs, started_tx) {
    Ok(pid) => pid,
    Err(e) => return failed(outbox, id, &req, e),
  };
  match started.await {
    Ok(Ok(())) => tell(outbox, id, ProcMsg::Started { pid }),
    why => {
      let errno = match why {
        Ok(Err(e)) => e,
        _ => Errno::EAGAIN,
      };
      crate::kernel::child::ended(kernel.clone(), pid).await;
      kernel.processes().reap(pid);
      return failed(outbox, id, &req, errno);
    }
  }
  let mut io = Io {
    outs: [Some(out), Some(err)],
    unacked: 0,
    stdin: Some(stdin),
    pending: VecDeque::new(),
    pending_bytes: 0,
    host_ended: false,
  };
  let Some(exited) = kernel.processes().get(pid).map(|e| e.exited.clone()) else {
    return;
  };
  loop {
    // Listening before looking: a change between the two is not missed.
    let mut waits: Vec<Pin<Box<tokio::sync::futures::OwnedNotified>>> = io
      .notifiers()
      .chain(std::iter::once(exited.clone()))
      .map(|n| {
        let mut w = Box::pin(n.notified_owned());
        w.as_mut().enable();
        w
      })
      .collect();
    io.send_output(outbox, id);
    io.feed_stdin(outbox, id);
    let running = matches!(
      kernel.processes().get(pid).map(|e| e.state),
      Some(ProcessState::Running)
    );
    if !running && io.outs.iter().all(Option::is_none) {
      let status = kernel.processes().reap(pid);
      let (code, signal) = status.unwrap_or((0, Some(9)));
      return tell(outbox, id, ProcMsg::Exit { code, signal });
    }
    let changed = std::future::poll_fn(|cx| {
      for w in waits.iter_mut() {
        if w.as_mut().poll(cx).is_ready() {
          return Poll::Ready(());
        }
      }
      Poll::Pending
    });
    tokio::select! {
      _ = changed => {}
      msg = host_rx.recv() => match msg {
        Some(ProcMsg::Stdin(d)) => io.take_stdin(d, outbox, id),
        Some(ProcMsg::StdinEnd) => io.host_ended = true,
        Some(ProcMsg::Ack(n)) => io.unacked = io.unacked.saturating_sub(n as usize),
        Some(ProcMsg::Signal(sig)) if (1..=64).contains(&sig) => {
          kernel.signal(pid, sig);
        }
        Some(_) => {}
        // The runtime is going: its processes are being killed.
        None => {
          kernel.signal(pid, 9);
          return tell(outbox, id, ProcMsg::Exit { code: 0, signal: Some(9) });
        }
      },
    }
  }
}

/// Settles when the host's side is gone (the runtime was disposed).
async fn host_closed(rx: &mut tmpsc::UnboundedReceiver<ProcMsg>) {
  while rx.recv().await.is_some() {}
}

/// The host's ends of a process's stdio.
struct Io {
  /// Its stdout and stderr until their end.
  outs: [Option<PipeEnd>; 2],
  /// Output bytes sent and not yet acknowledged.
  unacked: usize,
  /// Its stdin until the host ends it or the process no longer reads it.
  stdin: Option<PipeEnd>,
  pending: VecDeque<Vec<u8>>,
  pending_bytes: usize,
  host_ended: bool,
}

impl Io {
  fn notifiers(&self) -> impl Iterator<Item = Arc<Notify>> + '_ {
    self
      .outs
      .iter()
      .chain(std::iter::once(&self.stdin))
      .flatten()
      .filter_map(|p| p.changed().ok())
  }

  /// Sends what the process wrote, while the host's window has room.
  fn send_output(&mut self, outbox: &Outbox, id: u64) {
    for (i, stream) in [Stream::Stdout, Stream::Stderr].into_iter().enumerate() {
      while self.unacked < WINDOW {
        let Some(end) = &self.outs[i] else { break };
        match end.read(READ_SIZE.min(WINDOW - self.unacked)) {
          Ok(Read::Data(data)) => {
            self.unacked += data.len();
            tell(outbox, id, ProcMsg::Output { stream, data });
          }
          Ok(Read::Empty) => break,
          Ok(Read::Eof) | Err(_) => self.outs[i] = None,
        }
      }
    }
  }

  /// Writes the host's bytes as the process takes them, acknowledging
  /// each part; the host's end closes the pipe once all is in.
  fn feed_stdin(&mut self, outbox: &Outbox, id: u64) {
    while let (Some(front), Some(w)) = (self.pending.front_mut(), &self.stdin) {
      match w.write(front) {
        Ok(0) => break,
        Ok(n) => {
          tell(outbox, id, ProcMsg::Ack(n as u32));
          self.pending_bytes -= n;
          front.drain(..n);
          if front.is_empty() {
            self.pending.pop_front();
          }
        }
        Err(_) => return self.close_stdin(outbox, id),
      }
    }
    if self.host_ended && self.pending.is_empty() {
      self.stdin = None;
    }
  }

  fn take_stdin(&mut self, data: Vec<u8>, outbox: &Outbox, id: u64) {
    if self.stdin.is_none() || self.host_ended {
      return;
    }
    self.pending_bytes += data.len();
    if self.pending_bytes > MAX_PENDING {
      return self.close_stdin(outbox, id);
    }
    self.pending.push_back(data);
  }

  /// The process no longer reads its stdin (or the host broke its window):
  /// what is pending is dropped and the host's writes fail.
  fn close_stdin(&mut self, outbox: &Outbox, id: u64) {
    self.stdin = None;
    self.pending.clear();
    self.pending_bytes = 0;
    tell(outbox, id, ProcMsg::StdinClosed);
  }
}
