//! A guest process's stdout/stderr. A call's output is captured up to a
//! bound, and streamed to the host in batches when it listens; a process a
//! guest spawned writes to pipes, to its parent's output (`inherit`) or to
//! nothing.
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::error::Errno;
use super::pipe::PipeEnd;
use crate::ipc::Stream;

/// Streamed output is sent once this much is pending (or at each event-loop
/// turn), so a chatty guest costs few frames.
pub const STREAM_BATCH_BYTES: usize = 16 * 1024;

/// Receives batches of streamed output; may block (backpressure) until the
/// writing process is stopped (the predicate). Called from whichever
/// process thread writes to the call's output.
pub type OutputSink = Box<dyn FnMut(Stream, Vec<u8>, &dyn Fn() -> bool) + Send>;

/// A writer that is never stopped while it writes (the call's own process
/// at its end; tests).
pub fn never() -> bool {
  false
}

/// A call's output, shared by the processes that inherit it.
pub type SharedOutput = Arc<Mutex<CallOutput>>;

/// Where one of a process's output streams goes.
pub enum Target {
  /// One stream of a call's output (a child's stderr may go to its
  /// parent's stdout).
  Call(SharedOutput, Stream),
  Pipe(PipeEnd),
  Null,
}

/// A process's stdout and stderr.
pub struct Stdio {
  targets: [Target; 2],
  /// The output of the call this process serves, when it is the call's own
  /// process: it ends the output (`finish`).
  own: Option<SharedOutput>,
}

fn lock(o: &SharedOutput) -> std::sync::MutexGuard<'_, CallOutput> {
  o.lock().unwrap_or_else(|e| e.into_inner())
}

impl Stdio {
  /// A call's process: both streams to a new call output.
  pub fn new(max_capture: usize, sink: Option<OutputSink>) -> Stdio {
    let own = Arc::new(Mutex::new(CallOutput::new(max_capture, sink)));
    Stdio {
      targets: [
        Target::Call(own.clone(), Stream::Stdout),
        Target::Call(own.clone(), Stream::Stderr),
      ],
      own: Some(own),
    }
  }

  /// A spawned process's streams.
  pub fn to(stdout: Target, stderr: Target) -> Stdio {
    Stdio {
      targets: [stdout, stderr],
      own: None,
    }
  }

  /// Where `stream` goes, for a child that inherits it.
  pub fn inherit(&self, stream: Stream) -> Result<Target, Errno> {
    Ok(match &self.targets[index(stream)] {
      Target::Call(o, s) => Target::Call(o.clone(), *s),
      Target::Pipe(p) => Target::Pipe(p.dup()?),
      Target::Null => Target::Null,
    })
  }

  /// Writes `data`: the bytes taken, all of them except by a full pipe
  /// (wait on [`Stdio::changed`], then write the rest); EPIPE when nobody
  /// reads the pipe any more.
  /// `stopped`: whether the writing process is being stopped (a wait for
  /// the host's window ends then).
  pub fn write(
    &mut self,
    stream: Stream,
    data: &[u8],
    stopped: &dyn Fn() -> bool,
  ) -> Result<usize, Errno> {
    match &self.targets[index(stream)] {
      Target::Call(o, to) => {
        lock(o).write(*to, data, stopped);
        Ok(data.len())
      }
      Target::Pipe(p) => p.write(data),
      Target::Null => Ok(data.len()),
    }
  }

  /// The terminal `stream` writes to, if it does.
  pub fn tty(&self, stream: Stream) -> Option<Arc<super::tty::Tty>> {
    match &self.targets[index(stream)] {
      Target::Pipe(p) => p.tty(),
      _ => None,
    }
  }

  /// What a writer of `stream` waits on for room (a pipe's).
  pub fn changed(&self, stream: Stream) -> Option<Arc<Notify>> {
    match &self.targets[index(stream)] {
      Target::Pipe(p) => p.changed().ok(),
      _ => None,
    }
  }

  /// Sends whatever streamed output is pending.
  pub fn flush(&mut self, stopped: &dyn Fn() -> bool) {
    if let Target::Call(o, _) = &self.targets[0] {
      lock(o).flush(stopped);
    }
    if let Target::Call(o, _) = &self.targets[1] {
      if !matches!(&self.targets[0], Target::Call(a, _) if Arc::ptr_eq(a, o)) {
        lock(o).flush(stopped);
      }
    }
  }

  /// Ends the call's output when this process owns it:
  /// (stdout, stderr, stdout_truncated, stderr_truncated).
  pub fn finish(&mut self) -> (Vec<u8>, Vec<u8>, bool, bool) {
    self.flush(&never);
    match &self.own {
      Some(o) => lock(o).finish(),
      None => Default::default(),
    }
  }
}

/// Writes all of `data` to process `s`'s `stream`, waiting while a pipe is
/// full. A process being stopped stops waiting: the rest goes with it.
pub fn write_all(
  s: &mut super::syscall::OpState,
  stream: Stream,
  mut data: &[u8],
) -> Result<(), Errno> {
  let control = s.control.clone();
  let stopped = || control.stopped();
  // Most writes fit: no listening (a pipe-table lock and an allocation)
  // unless one does not.
  let n = s.process.stdio.write(stream, data, &stopped)?;
  data = &data[n..];
  while !data.is_empty() {
    let Some(room) = s.process.stdio.changed(stream) else {
      return Ok(());
    };
    // Listening before the next write: room made between the two is not
    // missed.
    let mut room = Box::pin(room.notified_owned());
    room.as_mut().enable();
    let n = s.process.stdio.write(stream, data, &stopped)?;
    data = &data[n..];
    if n == 0 && !s.control.wait(room) {
      return Ok(());
    }
  }
  Ok(())
}

/// The output of one call, captured and streamed.
pub struct CallOutput {
  captured: [Vec<u8>; 2],
  truncated: [bool; 2],
  max_capture: usize,
  pending: [Vec<u8>; 2],
  sink: Option<OutputSink>,
}

fn index(s: Stream) -> usize {
  match s {
    Stream::Stdout => 0,
    Stream::Stderr => 1,
  }
}

impl CallOutput {
  pub fn new(max_capture: usize, sink: Option<OutputSink>) -> CallOutput {
    CallOutput {
      captured: [Vec::new(), Vec::new()],
      truncated: [false; 2],
      max_capture,
      pending: [Vec::new(), Vec::new()],
      sink,
    }
  }

  pub fn write(&mut self, stream: Stream, data: &[u8], stopped: &dyn Fn() -> bool) {
    let i = index(stream);
    let room = self.max_capture.saturating_sub(self.captured[i].len());
    if data.len() > room {
      self.truncated[i] = true;
    }
    self.captured[i].extend_from_slice(&data[..data.len().min(room)]);
    if self.sink.is_some() {
      // Keep ordering between the streams: flush the other one first.
      let other = 1 - i;
      if !self.pending[other].is_empty() {
        self.flush_one(other, stopped);
      }
      self.pending[i].extend_from_slice(data);
      if self.pending[i].len() >= STREAM_BATCH_BYTES {
        self.flush_one(i, stopped);
      }
    }
  }

  fn flush_one(&mut self, i: usize, stopped: &dyn Fn() -> bool) {
    let data = std::mem::take(&mut self.pending[i]);
    if let Some(sink) = self.sink.as_mut() {
      let stream = if i == 0 {
        Stream::Stdout
      } else {
        Stream::Stderr
      };
      sink(stream, data, stopped);
    }
  }

  /// Sends whatever streamed output is pending.
  pub fn flush(&mut self, stopped: &dyn Fn() -> bool) {
    for i in 0..2 {
      if !self.pending[i].is_empty() {
        self.flush_one(i, stopped);
      }
    }
  }

  /// Ends the process's output: (stdout, stderr, stdout_truncated, stderr_truncated).
  pub fn finish(&mut self) -> (Vec<u8>, Vec<u8>, bool, bool) {
    self.flush(&never);
    let [out, err] = std::mem::take(&mut self.captured);
    (out, err, self.truncated[0], self.truncated[1])
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn capture_is_bounded_and_says_so() {
    let mut s = Stdio::new(5, None);
    s.write(Stream::Stdout, b"abc", &never).unwrap();
    s.write(Stream::Stdout, b"defg", &never).unwrap();
    s.write(Stream::Stderr, b"x", &never).unwrap();
    let (out, err, t_out, t_err) = s.finish();
    assert_eq!(
      (out.as_slice(), err.as_slice(), t_out, t_err),
      (&b"abcde"[..], &b"x"[..], true, false)
    );
  }

  #[test]
  fn streaming_is_not_bounded_by_capture_and_keeps_order() {
    type Seen = Vec<(Stream, Vec<u8>)>;
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let sink_seen = seen.clone();
    let mut s = Stdio::new(
      2,
      Some(Box::new(move |st, d, _: &dyn Fn() -> bool| {
        sink_seen.lock().unwrap().push((st, d))
      })),
    );
    s.write(Stream::Stdout, b"one ", &never).unwrap();
    s.write(Stream::Stderr, b"two ", &never).unwrap();
    s.write(Stream::Stdout, &vec![b'z'; STREAM_BATCH_BYTES], &never)
      .unwrap();
    let (out, _, t, _) = s.finish();
    assert_eq!(out, b"on");
    assert!(t);
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0], (Stream::Stdout, b"one ".to_vec()));
    assert_eq!(seen[1], (Stream::Stderr, b"two ".to_vec()));
    assert_eq!(seen[2].1.len(), STREAM_BATCH_BYTES);
  }

  #[test]
  fn children_write_to_pipes_or_into_their_parents_output() {
    let pipes = crate::kernel::pipe::SharedPipes::default();
    let mut parent = Stdio::new(100, None);
    let (r, w) = PipeEnd::pair(&pipes).unwrap();
    let mut child = Stdio::to(Target::Pipe(w), parent.inherit(Stream::Stderr).unwrap());
    assert_eq!(child.write(Stream::Stdout, b"piped", &never), Ok(5));
    assert_eq!(child.write(Stream::Stderr, b"inherited", &never), Ok(9));
    assert!(child.changed(Stream::Stdout).is_some());
    assert_eq!(
      child.finish(),
      Default::default(),
      "a child ends no call output"
    );
    assert_eq!(
      r.read(100),
      Ok(crate::kernel::pipe::Read::Data(b"piped".to_vec()))
    );
    drop(child);
    assert_eq!(r.read(100), Ok(crate::kernel::pipe::Read::Eof));
    let (_, err, ..) = parent.finish();
    assert_eq!(err, b"inherited");
    drop(r);
    let (r, w) = PipeEnd::pair(&pipes).unwrap();
    drop(r);
    let mut orphan = Stdio::to(Target::Pipe(w), Target::Null);
    assert_eq!(
      orphan.write(Stream::Stdout, b"x", &never),
      Err(Errno::EPIPE)
    );
    assert_eq!(orphan.write(Stream::Stderr, b"x", &never), Ok(1));
  }
}
