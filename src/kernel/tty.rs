//! Terminals: a pseudo-terminal's guest side is a pair of kernel pipes (the
//! process reads its input from one and writes its output to the other)
//! that carry a [`Tty`]; its host side is the host's process handle
//! (`rt.openShell`). Between the two sits the line discipline: in canonical
//! mode the host's keystrokes are echoed and edited into lines, ^C and ^\
//! signal the foreground processes and ^D ends the input; in raw mode
//! (`setRawMode(true)`) bytes pass as they are. Output gets `\r\n` for
//! `\n`, as a terminal's ONLCR does (libuv keeps it in raw mode too).
use std::sync::Mutex;

/// Bytes of one line being edited (Linux's canonical buffer holds 4095).
pub const MAX_LINE: usize = 4095;

/// Columns and rows a terminal may have.
pub const MAX_SIZE: u16 = 10_000;

/// A terminal's settings, shared by its line discipline (the host's side)
/// and the processes that have it as their stdio.
#[derive(Debug)]
pub struct Tty {
  state: Mutex<TtyState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TtyState {
  pub cols: u16,
  pub rows: u16,
  /// Raw mode: no echo, no line editing, no signals from keys.
  pub raw: bool,
  /// An interactive shell, and whether it runs a command: ^C signals it
  /// at its prompt, and the processes below it (the foreground job, or
  /// it when it runs a builtin) while it runs one.
  pub foreground: Option<(u32, bool)>,
}

impl Tty {
  pub fn new(cols: u16, rows: u16) -> Tty {
    Tty {
      state: Mutex::new(TtyState {
        cols: cols.clamp(1, MAX_SIZE),
        rows: rows.clamp(1, MAX_SIZE),
        raw: false,
        foreground: None,
      }),
    }
  }

  fn lock(&self) -> std::sync::MutexGuard<'_, TtyState> {
    self.state.lock().unwrap_or_else(|e| e.into_inner())
  }

  pub fn state(&self) -> TtyState {
    *self.lock()
  }

  pub fn resize(&self, cols: u16, rows: u16) {
    let mut s = self.lock();
    s.cols = cols.clamp(1, MAX_SIZE);
    s.rows = rows.clamp(1, MAX_SIZE);
  }

  pub fn set_raw(&self, raw: bool) {
    self.lock().raw = raw;
  }

  pub fn set_foreground(&self, pid: Option<(u32, bool)>) {
    self.lock().foreground = pid;
  }
}

/// What the host's keystrokes come to.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cooked {
  /// For the process's input, in order: bytes, and `None` for an end of
  /// input (^D on an empty line).
  pub input: Vec<Option<Vec<u8>>>,
  /// For the host's screen.
  pub echo: Vec<u8>,
  /// Signals for the foreground processes.
  pub signals: Vec<u8>,
  /// A key signalled: the input not read before it is dropped (`input`
  /// is what came after it).
  pub flush: bool,
}

impl Cooked {
  fn push_input(&mut self, bytes: Vec<u8>) {
    if let Some(Some(last)) = self.input.last_mut() {
      last.extend(bytes);
    } else {
      self.input.push(Some(bytes));
    }
  }
}

const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;
const BACKSPACE: u8 = 0x08;
const CTRL_U: u8 = 0x15;
const CTRL_W: u8 = 0x17;
const CTRL_BACKSLASH: u8 = 0x1c;
const DEL: u8 = 0x7f;
const SIGINT: u8 = 2;
const SIGQUIT: u8 = 3;

/// The line discipline's own state: the line being edited.
#[derive(Debug, Default)]
pub struct Ldisc {
  line: Vec<u8>,
}

impl Ldisc {
  /// The host's keystrokes `data`, in raw or canonical mode.
  pub fn input(&mut self, data: &[u8], raw: bool) -> Cooked {
    let mut out = Cooked::default();
    if raw {
      if !self.line.is_empty() {
        out.push_input(std::mem::take(&mut self.line));
      }
      if !data.is_empty() {
        out.push_input(data.to_vec());
      }
      return out;
    }
    for &b in data {
      match b {
        b'\r' | b'\n' => {
          let mut line = std::mem::take(&mut self.line);
          line.push(b'\n');
          out.push_input(line);
          out.echo.extend_from_slice(b"\r\n");
        }
        CTRL_C | CTRL_BACKSLASH => {
          self.line.clear();
          out.input.clear();
          out.flush = true;
          out
            .echo
            .extend_from_slice(if b == CTRL_C { b"^C\r\n" } else { b"^\\\r\n" });
          out.signals.push(if b == CTRL_C { SIGINT } else { SIGQUIT });
        }
        CTRL_D => {
          if self.line.is_empty() {
            out.input.push(None);
          } else {
            out.push_input(std::mem::take(&mut self.line));
          }
        }
        DEL | BACKSPACE => {
          if self.erase_char() {
            out.echo.extend_from_slice(b"\x08 \x08");
          }
        }
        CTRL_U => {
          while self.erase_char() {
            out.echo.extend_from_slice(b"\x08 \x08");
          }
        }
        CTRL_W => {
          while self.line.last() == Some(&b' ') && self.erase_char() {
            out.echo.extend_from_slice(b"\x08 \x08");
          }
          while self.line.last().is_some_and(|c| *c != b' ') && self.erase_char() {
            out.echo.extend_from_slice(b"\x08 \x08");
          }
        }
        _ if self.line.len() >= MAX_LINE => {
          // The line is full: the key is dropped (Linux rings the bell).
          out.echo.push(0x07);
        }
        _ => {
          self.line.push(b);
          // Other control characters echo as ^X (ECHOCTL).
          if b < 0x20 && b != b'\t' {
            out.echo.extend_from_slice(&[b'^', b + 0x40]);
          } else {
            out.echo.push(b);
          }
        }
      }
    }
    out
  }

  /// Removes the last character of the line (all its UTF-8 bytes).
  fn erase_char(&mut self) -> bool {
    if self.line.is_empty() {
      return false;
    }
    // Continuation bytes, then the byte that starts the character.
    while let Some(b) = self.line.pop() {
      if b & 0xc0 != 0x80 {
        break;
      }
    }
    true
  }
}

/// The terminal process `s` has as descriptor `fd` (its stdio).
pub fn of_fd(s: &super::syscall::OpState, fd: i32) -> Option<std::sync::Arc<Tty>> {
  match fd {
    1 => s.process.stdio.tty(crate::ipc::Stream::Stdout),
    2 => s.process.stdio.tty(crate::ipc::Stream::Stderr),
    _ => s.process.fds.pipe(fd).ok().and_then(|p| p.tty()),
  }
}

/// `tty.isatty(fd)` and a terminal's size: 0 for a descriptor that is no
/// terminal, else `cols * 65536 + rows`.
pub fn size(s: &mut super::syscall::OpState, fd: super::op::Fd) -> super::op::OpResult<f64> {
  Ok(of_fd(s, fd.0).map_or(0.0, |t| {
    let st = t.state();
    f64::from(st.cols) * 65536.0 + f64::from(st.rows)
  }))
}

/// `setRawMode(raw)` on the terminal at `fd` (EBADF when it is none).
pub fn set_raw(
  s: &mut super::syscall::OpState,
  fd: super::op::Fd,
  raw: bool,
) -> super::op::OpResult<()> {
  let t = of_fd(s, fd.0)
    .ok_or_else(|| super::error::KernelError::new(super::error::Errno::EBADF, "ioctl"))?;
  t.set_raw(raw);
  s.process.raw_tty = raw.then_some(t);
  Ok(())
}

/// A process's output as the terminal shows it: `\n` becomes `\r\n`.
pub fn output(data: &[u8]) -> Vec<u8> {
  let mut out = Vec::with_capacity(data.len() + data.len() / 16);
  for &b in data {
    if b == b'\n' {
      out.push(b'\r');
    }
    out.push(b);
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn canonical_mode_echoes_and_gives_whole_lines() {
    let mut l = Ldisc::default();
    let c = l.input(b"ls -l", false);
    assert_eq!(c.input, Vec::<Option<Vec<u8>>>::new());
    assert_eq!(c.echo, b"ls -l");
    let c = l.input(b"\r", false);
    assert_eq!(c.input, vec![Some(b"ls -l\n".to_vec())]);
    assert_eq!(c.echo, b"\r\n");
  }

  #[test]
  fn editing_keys_change_the_line() {
    let mut l = Ldisc::default();
    let c = l.input(b"abc\x7f\x7fx\n", false);
    assert_eq!(c.input, vec![Some(b"ax\n".to_vec())]);
    assert_eq!(c.echo, b"abc\x08 \x08\x08 \x08x\r\n");
    let c = l.input("one twé\x17three\n".as_bytes(), false);
    assert_eq!(c.input, vec![Some(b"one three\n".to_vec())]);
    let c = l.input("é\x7f\n".as_bytes(), false);
    assert_eq!(c.input, vec![Some(b"\n".to_vec())]);
    let c = l.input(b"gone\x15kept\n", false);
    assert_eq!(c.input, vec![Some(b"kept\n".to_vec())]);
    // Erasing an empty line echoes nothing.
    assert_eq!(l.input(b"\x7f", false).echo, b"");
  }

  #[test]
  fn keys_signal_and_end_input() {
    let mut l = Ldisc::default();
    let c = l.input(b"gone\nhalf\x03kept\n", false);
    assert_eq!(c.signals, vec![2]);
    assert!(c.flush);
    assert_eq!(c.input, vec![Some(b"kept\n".to_vec())]);
    let c = l.input(b"half\x03", false);
    assert_eq!(c.signals, vec![2]);
    assert_eq!(c.echo, b"half^C\r\n");
    assert!(c.input.is_empty());
    let c = l.input(b"\x1c", false);
    assert_eq!(c.signals, vec![3]);
    // ^D on an empty line ends the input; on a partial one sends it as is.
    let c = l.input(b"\x04", false);
    assert_eq!(c.input, vec![None]);
    let c = l.input(b"ab\x04\x04", false);
    assert_eq!(c.input, vec![Some(b"ab".to_vec()), None]);
    let c = l.input(b"\x1b[A", false);
    assert_eq!(c.echo, b"^[[A");
  }

  #[test]
  fn raw_mode_passes_bytes_untouched() {
    let mut l = Ldisc::default();
    let c = l.input(b"a\x03\r\x04\x7f", true);
    assert_eq!(c.input, vec![Some(b"a\x03\r\x04\x7f".to_vec())]);
    assert!(c.echo.is_empty() && c.signals.is_empty());
  }

  #[test]
  fn a_line_is_bounded() {
    let mut l = Ldisc::default();
    let c = l.input(&vec![b'x'; MAX_LINE + 10], false);
    assert_eq!(c.echo.iter().filter(|b| **b == 0x07).count(), 10);
    let c = l.input(b"\n", false);
    assert_eq!(c.input[0].as_ref().map(Vec::len), Some(MAX_LINE + 1));
  }

  #[test]
  fn output_gets_carriage_returns() {
    assert_eq!(output(b"a\nb\n"), b"a\r\nb\r\n");
  }
}
