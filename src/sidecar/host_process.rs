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
use crate::kernel::tty::{Ldisc, Tty};
use crate::kernel::Kernel;

/// The process's output sent to the host and not yet read there: past it
/// its pipes are left unread (the process waits), so a host that does not
/// read holds the process back instead of growing its own memory.
const WINDOW: usize = 256 * 1024;
const READ_SIZE: usize = 64 * 1024;
/// Stdin bytes from the host the process has not taken yet: past it the
/// host did not keep to its window (1 MiB, index.js) and stdin is closed.
const MAX_PENDING: usize = 4 * 1024 * 1024;
const SIGWINCH: u8 = 28;
/// Keys the line discipline takes at once.
const KEYS_AT_ONCE: usize = 4096;
/// What each part waiting in `pending` counts for against its bound, on
/// top of its bytes (an end of input has none).
const PART_COST: usize = 64;

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
  let tty = req.tty.map(|(cols, rows)| Arc::new(Tty::new(cols, rows)));
  let pipes = (|| match &tty {
    // A terminal: its input, and one output for stdout and stderr.
    Some(t) => {
      let (in_r, in_w) = PipeEnd::pair_for_tty(&kernel.pipes, t.clone())?;
      let (out_r, out_w) = PipeEnd::pair_for_tty(&kernel.pipes, t.clone())?;
      let err_w = out_w.dup()?;
      Ok::<_, Errno>(([in_r, out_w, err_w], (in_w, Some(out_r), None)))
    }
    None => {
      let (in_r, in_w) = PipeEnd::pair(&kernel.pipes)?;
      let (out_r, out_w) = PipeEnd::pair(&kernel.pipes)?;
      let (err_r, err_w) = PipeEnd::pair(&kernel.pipes)?;
      Ok(([in_r, out_w, err_w], (in_w, Some(out_r), Some(err_r))))
    }
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
    outs: [out, err],
    unacked: 0,
    stdin: Some(stdin),
    pending: VecDeque::new(),
    pending_bytes: 0,
    host_ended: false,
    tty: tty.map(|t| (t, Ldisc::default())),
    keys: VecDeque::new(),
    keys_bytes: 0,
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
    let running = matches!(
      kernel.processes().get(pid).map(|e| e.state),
      Some(ProcessState::Running)
    );
    // Once the tree has ended, what its pipes still hold (a pipe's worth
    // each) goes out whatever the window, so that its end is told.
    io.send_output(outbox, id, running);
    if running {
      io.type_keys((&kernel, pid), outbox, id);
    }
    io.feed_stdin(outbox, id);
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
        Some(ProcMsg::Stdin(d)) if io.tty.is_some() => io.take_keys(d),
        Some(ProcMsg::Stdin(d)) => io.take_stdin(d, outbox, id),
        Some(ProcMsg::Resize { cols, rows }) => {
          if let Some((tty, _)) = &io.tty {
            tty.resize(cols, rows);
            let mut all = kernel.processes().descendants(pid);
            all.push(pid);
            for p in all {
              kernel.signal(p, SIGWINCH);
            }
          }
        }
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

/// Sends a terminal's key signal (^C, ^\\) to its foreground processes:
/// those of the job an interactive shell runs (the shell itself when it
/// runs none), else the process and all below it.
fn signal_foreground(kernel: &Kernel, tty: &Tty, root: u32, sig: u8) {
  let targets = match tty.state().foreground {
    Some((shell, false)) => vec![shell],
    Some((shell, true)) => {
      let job = kernel.processes().descendants(shell);
      if job.is_empty() {
        vec![shell]
      } else {
        job
      }
    }
    None => {
      let mut all = kernel.processes().descendants(root);
      all.push(root);
      all
    }
  };
  for p in targets {
    kernel.signal(p, sig);
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
  /// Bytes for stdin; an empty part is a terminal's end of input.
  pending: VecDeque<Vec<u8>>,
  pending_bytes: usize,
  host_ended: bool,
  /// The terminal and its line discipline, for `rt.openShell`.
  tty: Option<(Arc<Tty>, Ldisc)>,
  /// Keys the host typed that the line discipline has not taken yet: it
  /// takes them while the host's output window has room (their echo goes
  /// there), as a terminal whose screen is behind stops echoing.
  keys: VecDeque<Vec<u8>>,
  keys_bytes: usize,
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

  /// Sends what the process wrote, while the host's window has room
  /// (`windowed`; else all of it).
  fn send_output(&mut self, outbox: &Outbox, id: u64, windowed: bool) {
    for (i, stream) in [Stream::Stdout, Stream::Stderr].into_iter().enumerate() {
      while !windowed || self.unacked < WINDOW {
        let Some(end) = &self.outs[i] else { break };
        let room = if windowed {
          WINDOW - self.unacked
        } else {
          READ_SIZE
        };
        match end.read(READ_SIZE.min(room)) {
          Ok(Read::Data(data)) => {
            let data = if self.tty.is_some() {
              crate::kernel::tty::output(&data)
            } else {
              data
            };
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
      if front.is_empty() {
        let _ = w.write_eof();
        self.pending.pop_front();
        self.pending_bytes = self.pending_bytes.saturating_sub(PART_COST);
        continue;
      }
      match w.write(front) {
        Ok(0) => break,
        Ok(n) => {
          // A terminal's keys were acknowledged as it took them.
          if self.tty.is_none() {
            tell(outbox, id, ProcMsg::Ack(n as u32));
          }
          self.pending_bytes = self.pending_bytes.saturating_sub(n);
          front.drain(..n);
          if front.is_empty() {
            self.pending.pop_front();
            self.pending_bytes = self.pending_bytes.saturating_sub(PART_COST);
          }
        }
        Err(_) => return self.close_stdin(outbox, id),
      }
    }
    if self.host_ended && self.pending.is_empty() && self.keys.is_empty() {
      self.stdin = None;
    }
  }

  fn take_stdin(&mut self, data: Vec<u8>, outbox: &Outbox, id: u64) {
    if self.stdin.is_none() || self.host_ended {
      return;
    }
    self.pending_bytes += data.len() + PART_COST;
    if self.pending_bytes > MAX_PENDING {
      return self.close_stdin(outbox, id);
    }
    self.pending.push_back(data);
  }

  /// Keys the host typed, until the line discipline takes them; past the
  /// bound the host did not keep to its window, and they are dropped.
  fn take_keys(&mut self, keys: Vec<u8>) {
    if self.keys_bytes + keys.len() > MAX_PENDING {
      return;
    }
    self.keys_bytes += keys.len();
    self.keys.push_back(keys);
  }

  /// Types the keys waiting while the host's window has room.
  fn type_keys(&mut self, proc: (&Kernel, u32), outbox: &Outbox, id: u64) {
    while self.unacked < WINDOW {
      let Some(mut keys) = self.keys.pop_front() else {
        return;
      };
      // A part at a time: its echo is at most a few times its size.
      if keys.len() > KEYS_AT_ONCE {
        self.keys.push_front(keys.split_off(KEYS_AT_ONCE));
      }
      self.keys_bytes -= keys.len();
      self.typed(&keys, proc, outbox, id);
    }
  }

  /// Keys typed on the terminal of process `pid`: through the line
  /// discipline to its input, its echo to the host, its signals to the
  /// foreground processes.
  fn typed(&mut self, keys: &[u8], (kernel, pid): (&Kernel, u32), outbox: &Outbox, id: u64) {
    let Some((tty, ldisc)) = self.tty.as_mut() else {
      return;
    };
    let cooked = ldisc.input(keys, tty.state().raw);
    let tty = tty.clone();
    if cooked.flush {
      // As a terminal's ISIG: input not read yet is dropped.
      self.flush_input();
    }
    self.take_cooked(cooked.input);
    if !cooked.echo.is_empty() {
      self.unacked += cooked.echo.len();
      let data = cooked.echo;
      tell(
        outbox,
        id,
        ProcMsg::Output {
          stream: Stream::Stdout,
          data,
        },
      );
    }
    for sig in cooked.signals {
      signal_foreground(kernel, &tty, pid, sig);
    }
    // Taken by the terminal (what its process does not read in time is
    // dropped past a bound, as a terminal does).
    tell(outbox, id, ProcMsg::Ack(keys.len() as u32));
  }

  /// Drops the input the process has not read yet.
  fn flush_input(&mut self) {
    self.pending.clear();
    self.pending_bytes = 0;
    if let Some(w) = &self.stdin {
      let _ = w.discard();
    }
  }

  /// A terminal's input for the process: what does not fit past the
  /// bound is dropped, as a terminal's full input queue drops keys.
  fn take_cooked(&mut self, input: Vec<Option<Vec<u8>>>) {
    if self.stdin.is_none() {
      return;
    }
    for part in input {
      let part = part.unwrap_or_default();
      // Each part holds some memory of its own, an end of input too.
      let cost = part.len() + PART_COST;
      if self.pending_bytes + cost > MAX_PENDING {
        return;
      }
      self.pending_bytes += cost;
      self.pending.push_back(part);
    }
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
