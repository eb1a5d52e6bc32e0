//! A guest process's stdout/stderr: captured up to a bound, and streamed to
//! the host in batches when it listens.
use crate::ipc::Stream;

/// Streamed output is sent once this much is pending (or at each event-loop
/// turn), so a chatty guest costs few frames.
pub const STREAM_BATCH_BYTES: usize = 16 * 1024;

/// Receives batches of streamed output; may block (backpressure).
pub type OutputSink = Box<dyn FnMut(Stream, Vec<u8>)>;

pub struct Stdio {
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

impl Stdio {
  pub fn new(max_capture: usize, sink: Option<OutputSink>) -> Stdio {
    Stdio {
      captured: [Vec::new(), Vec::new()],
      truncated: [false; 2],
      max_capture,
      pending: [Vec::new(), Vec::new()],
      sink,
    }
  }

  pub fn write(&mut self, stream: Stream, data: &[u8]) {
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
        self.flush_one(other);
      }
      self.pending[i].extend_from_slice(data);
      if self.pending[i].len() >= STREAM_BATCH_BYTES {
        self.flush_one(i);
      }
    }
  }

  fn flush_one(&mut self, i: usize) {
    let data = std::mem::take(&mut self.pending[i]);
    if let Some(sink) = self.sink.as_mut() {
      sink(
        if i == 0 {
          Stream::Stdout
        } else {
          Stream::Stderr
        },
        data,
      );
    }
  }

  /// Sends whatever streamed output is pending.
  pub fn flush(&mut self) {
    for i in 0..2 {
      if !self.pending[i].is_empty() {
        self.flush_one(i);
      }
    }
  }

  /// Ends the process's output: (stdout, stderr, stdout_truncated, stderr_truncated).
  pub fn finish(&mut self) -> (Vec<u8>, Vec<u8>, bool, bool) {
    self.flush();
    let [out, err] = std::mem::take(&mut self.captured);
    (out, err, self.truncated[0], self.truncated[1])
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use std::{cell::RefCell, rc::Rc};

  #[test]
  fn capture_is_bounded_and_says_so() {
    let mut s = Stdio::new(5, None);
    s.write(Stream::Stdout, b"abc");
    s.write(Stream::Stdout, b"defg");
    s.write(Stream::Stderr, b"x");
    let (out, err, t_out, t_err) = s.finish();
    assert_eq!(
      (out.as_slice(), err.as_slice(), t_out, t_err),
      (&b"abcde"[..], &b"x"[..], true, false)
    );
  }

  #[test]
  fn streaming_is_not_bounded_by_capture_and_keeps_order() {
    type Seen = Vec<(Stream, Vec<u8>)>;
    let seen: Rc<RefCell<Seen>> = Rc::default();
    let sink_seen = seen.clone();
    let mut s = Stdio::new(
      2,
      Some(Box::new(move |st, d| sink_seen.borrow_mut().push((st, d)))),
    );
    s.write(Stream::Stdout, b"one ");
    s.write(Stream::Stderr, b"two ");
    s.write(Stream::Stdout, &vec![b'z'; STREAM_BATCH_BYTES]);
    let (out, _, t, _) = s.finish();
    assert_eq!(out, b"on");
    assert!(t);
    let seen = seen.borrow();
    assert_eq!(seen[0], (Stream::Stdout, b"one ".to_vec()));
    assert_eq!(seen[1], (Stream::Stderr, b"two ".to_vec()));
    assert_eq!(seen[2].1.len(), STREAM_BATCH_BYTES);
  }
}
