//! The clock a guest process reads through `clock_now`: real monotonic time,
//! or, under `timingMitigation: "freeze"`, a virtual clock that only the
//! event loop moves.
use std::time::Instant;

/// Where a virtual clock starts, in ms: the same for every process, so
/// nothing about the real time of the call shows through.
pub const VIRTUAL_START_MS: f64 = 0.0;

pub enum Clock {
  /// Real ms since the guest process started.
  Real(Instant),
  /// Virtual ms. They move only when the event loop would wait for a timer
  /// ([`Clock::skip`]), so timers fire in due order whatever the real time,
  /// and no read, or race between timers, measures real time.
  Virtual(f64),
}

impl Clock {
  /// A clock starting now; `frozen` is the runtime's `timingMitigation: "freeze"`.
  pub fn new(frozen: bool) -> Clock {
    if frozen {
      Clock::Virtual(VIRTUAL_START_MS)
    } else {
      Clock::Real(Instant::now())
    }
  }

  /// Ms since the process started (real or virtual).
  pub fn now_ms(&self) -> f64 {
    match self {
      Clock::Real(start) => start.elapsed().as_micros() as f64 / 1000.0,
      Clock::Virtual(ms) => *ms,
    }
  }

  /// The event loop is about to wait `ms` for its next timer. A virtual
  /// clock jumps there instead and returns true: the loop must not sleep.
  pub fn skip(&mut self, ms: f64) -> bool {
    match self {
      Clock::Real(_) => false,
      Clock::Virtual(now) => {
        if ms.is_finite() && ms > 0.0 {
          *now += ms;
        }
        true
      }
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn virtual_clock_moves_only_by_skips() {
    let mut c = Clock::new(true);
    assert_eq!(c.now_ms(), VIRTUAL_START_MS);
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert_eq!(c.now_ms(), VIRTUAL_START_MS);
    assert!(c.skip(25.0));
    assert!(c.skip(f64::NAN));
    assert_eq!(c.now_ms(), VIRTUAL_START_MS + 25.0);
  }

  #[test]
  fn real_clock_moves_and_never_skips() {
    let mut c = Clock::new(false);
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert!(c.now_ms() >= 5.0);
    assert!(!c.skip(1000.0));
    assert!(c.now_ms() < 1000.0);
  }
}
