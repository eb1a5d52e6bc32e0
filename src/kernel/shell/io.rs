//! What a shell command's descriptors name: a kernel pipe, the call's
//! output, a file of the VFS (written through `kernel::fs`, so the fs
//! policy and mounts apply), bytes (a here-document, a file read in), or
//! nothing. Every kind can cross to another process thread (a pipeline's
//! stage), and reads and writes wait on pipes without holding the thread
//! past its stop.
use std::sync::{Arc, Mutex};

use crate::ipc::Stream;
use crate::kernel::error::Errno;
use crate::kernel::op::{OpValue, StrOrBytes};
use crate::kernel::pipe::{PipeEnd, Read};
use crate::kernel::stdio::{SharedOutput, Target};
use crate::kernel::syscall::OpState;

/// Bytes one read of a pipe takes at most.
pub const CHUNK: usize = 64 * 1024;
/// Bytes of one line a text tool holds: a longer one is cut there.
pub const MAX_LINE: usize = 8 * 1024 * 1024;

/// A file written by a redirection: each write appends (`>` truncated it
/// when it was opened).
pub struct FileOut {
  pub path: String,
}

/// Bytes read from the start (a here-document, a file redirected in).
pub struct Data {
  pub bytes: Vec<u8>,
  pub at: Mutex<usize>,
}

/// What one descriptor of a command names.
#[derive(Clone)]
pub enum Io {
  /// Closed (`>&-`) or never opened.
  Closed,
  /// Reads nothing, takes everything.
  Null,
  /// The call's output, as `stream`.
  Call(SharedOutput, Stream),
  Pipe(Arc<PipeEnd>),
  File(Arc<FileOut>),
  Data(Arc<Data>),
}

/// Flags of a write that appends, creating the file.
const O_APPEND_CREATE: i32 = 0o2000 | 0o100 | 1;

impl Io {
  pub fn data(bytes: Vec<u8>) -> Io {
    Io::Data(Arc::new(Data {
      bytes,
      at: Mutex::new(0),
    }))
  }

  /// From a process's stdio target.
  pub fn from_target(t: Target) -> Io {
    match t {
      Target::Call(o, to) => Io::Call(o, to),
      Target::Pipe(p) => Io::Pipe(Arc::new(p)),
      Target::Null => Io::Null,
    }
  }

  /// The terminal this descriptor is (a pipe of one).
  pub fn tty(&self) -> Option<Arc<crate::kernel::tty::Tty>> {
    match self {
      Io::Pipe(p) => p.tty(),
      _ => None,
    }
  }

  /// The target a child process (a stage, `node`) writes to for this
  /// descriptor; `None` when it needs a pump (a file, bytes).
  pub fn target(&self) -> Result<Option<Target>, Errno> {
    Ok(Some(match self {
      Io::Closed | Io::Null | Io::Data(_) => Target::Null,
      Io::Call(o, to) => Target::Call(o.clone(), *to),
      Io::Pipe(p) => Target::Pipe(p.dup()?),
      Io::File(_) => return Ok(None),
    }))
  }

  /// Up to [`CHUNK`] bytes; `None` at the end. A pipe waits for a writer;
  /// EINTR when the process is stopped meanwhile.
  pub fn read(&self, s: &mut OpState, max: usize) -> Result<Option<Vec<u8>>, Errno> {
    let max = max.clamp(1, CHUNK);
    match self {
      Io::Pipe(p) => loop {
        let changed = p.changed()?;
        let notified = changed.notified_owned();
        let mut notified = Box::pin(notified);
        notified.as_mut().enable();
        match p.read(max)? {
          Read::Data(d) => return Ok(Some(d)),
          Read::Eof => return Ok(None),
          Read::Empty => {
            if !s.control.wait(notified) {
              return Err(Errno::EINTR);
            }
          }
        }
      },
      Io::Data(d) => {
        // Long inputs end with the process too.
        if s.control.stopped() {
          return Err(Errno::EINTR);
        }
        let mut at = d.at.lock().unwrap_or_else(|e| e.into_inner());
        if *at >= d.bytes.len() {
          return Ok(None);
        }
        let end = (*at + max).min(d.bytes.len());
        let out = d.bytes[*at..end].to_vec();
        *at = end;
        Ok(Some(out))
      }
      Io::Closed => Err(Errno::EBADF),
      Io::File(_) => Err(Errno::EBADF),
      Io::Null | Io::Call(..) => Ok(None),
    }
  }

  /// Writes all of `data`, waiting while a pipe is full. EPIPE: nobody
  /// reads it; EINTR: the process is being stopped.
  pub fn write(&self, s: &mut OpState, mut data: &[u8]) -> Result<(), Errno> {
    match self {
      Io::Pipe(p) => loop {
        let changed = p.changed()?;
        let mut notified = Box::pin(changed.notified_owned());
        notified.as_mut().enable();
        let n = p.write(data)?;
        data = &data[n..];
        if data.is_empty() {
          return Ok(());
        }
        if n == 0 && !s.control.wait(notified) {
          return Err(Errno::EINTR);
        }
      },
      Io::Call(o, stream) => {
        if s.control.stopped() {
          return Err(Errno::EINTR);
        }
        let control = s.control.clone();
        o.lock()
          .unwrap_or_else(|e| e.into_inner())
          .write(*stream, data, &|| control.stopped());
        Ok(())
      }
      Io::File(f) => {
        if data.is_empty() {
          return Ok(());
        }
        let path = f.path.clone();
        crate::kernel::fs::write_file(
          s,
          &path,
          StrOrBytes::from_bytes(data),
          O_APPEND_CREATE,
          0o666,
        )
        .map_err(errno_of)
      }
      Io::Null => {
        if s.control.stopped() {
          return Err(Errno::EINTR);
        }
        Ok(())
      }
      Io::Closed | Io::Data(_) => Err(Errno::EBADF),
    }
  }

  /// All that is left to read, at most `max` bytes (E2BIG past it).
  pub fn read_all(&self, s: &mut OpState, max: usize) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    while let Some(d) = self.read(s, CHUNK)? {
      if out.len() + d.len() > max {
        return Err(Errno::EFBIG);
      }
      out.extend_from_slice(&d);
    }
    Ok(out)
  }

  /// Sends pending streamed output of the call (`stopped`: the writing
  /// process is being stopped, a wait for the host's window ends).
  pub fn flush(&self, stopped: &dyn Fn() -> bool) {
    if let Io::Call(o, _) = self {
      o.lock().unwrap_or_else(|e| e.into_inner()).flush(stopped);
    }
  }
}

/// The errno of a kernel error (EIO for other kinds).
pub fn errno_of(e: crate::kernel::error::OpError) -> Errno {
  match e {
    crate::kernel::error::OpError::Kernel(k) => k.errno,
    _ => Errno::EIO,
  }
}

/// A file's bytes, through the fs policy.
pub fn read_file(s: &mut OpState, path: &str) -> Result<Vec<u8>, Errno> {
  match crate::kernel::fs::read_file(s, path, false) {
    Ok(OpValue::Bytes(b)) | Ok(OpValue::Utf8(b)) => Ok(b.into_owned()),
    Ok(_) => Err(Errno::EIO),
    Err(e) => Err(errno_of(e)),
  }
}

/// Lines of an input read as they come (each with its `\n`, the last one
/// maybe without).
pub struct Lines {
  pub io: Io,
  buf: Vec<u8>,
  at: usize,
  eof: bool,
}

impl Lines {
  pub fn new(io: Io) -> Lines {
    Lines {
      io,
      buf: Vec::new(),
      at: 0,
      eof: false,
    }
  }

  /// The next line, `None` at the end. EINTR once the process is being
  /// stopped: a builtin's work per line ends with it.
  pub fn next(&mut self, s: &mut OpState) -> Result<Option<Vec<u8>>, Errno> {
    if s.control.stopped() {
      return Err(Errno::EINTR);
    }
    loop {
      if let Some(i) = self.buf[self.at..].iter().position(|&b| b == b'\n') {
        let line = self.buf[self.at..self.at + i + 1].to_vec();
        self.at += i + 1;
        return Ok(Some(line));
      }
      if self.buf.len() - self.at >= MAX_LINE {
        let line = self.buf[self.at..self.at + MAX_LINE].to_vec();
        self.at += MAX_LINE;
        return Ok(Some(line));
      }
      if self.eof {
        if self.at < self.buf.len() {
          let line = self.buf[self.at..].to_vec();
          self.at = self.buf.len();
          return Ok(Some(line));
        }
        return Ok(None);
      }
      self.buf.drain(..self.at);
      self.at = 0;
      match self.io.read(s, CHUNK)? {
        Some(d) => self.buf.extend_from_slice(&d),
        None => self.eof = true,
      }
    }
  }
}

/// Output gathered in a buffer and written in large chunks.
pub struct Out {
  pub io: Io,
  buf: Vec<u8>,
}

impl Out {
  pub fn new(io: Io) -> Out {
    Out {
      io,
      buf: Vec::new(),
    }
  }

  pub fn put(&mut self, s: &mut OpState, data: &[u8]) -> Result<(), Errno> {
    self.buf.extend_from_slice(data);
    if self.buf.len() >= CHUNK {
      self.flush(s)?;
    }
    Ok(())
  }

  pub fn flush(&mut self, s: &mut OpState) -> Result<(), Errno> {
    if !self.buf.is_empty() {
      let data = std::mem::take(&mut self.buf);
      self.io.write(s, &data)?;
    }
    Ok(())
  }
}
