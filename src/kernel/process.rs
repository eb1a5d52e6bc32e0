//! The kernel-side state of one guest process (one `run()`/`exec()`).
use super::clock::Clock;
use super::stdio::Stdio;

/// What a guest process can ask its supervisor to do to it.
pub trait ProcessControl {
  /// `process.exit(code)`: end the guest now.
  fn exit(&self, code: i32);
}

pub struct Process {
  pub stdio: Stdio,
  /// Bytes of the value given to `__return` (V8 structured-clone format).
  pub return_value: Option<Vec<u8>>,
  pub exit_code: Option<i32>,
  /// What `clock_now` reads: real, or virtual under timing freeze.
  pub clock: Clock,
}

impl Process {
  pub fn new(stdio: Stdio, clock: Clock) -> Process {
    Process {
      stdio,
      return_value: None,
      exit_code: None,
      clock,
    }
  }
}
