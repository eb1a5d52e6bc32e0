//! Kernel pipes: a bounded byte queue between guest processes, which may
//! run on different threads. A read of an empty pipe waits while a writer
//! is left (EOF after the last), a write to a full one takes what fits and
//! waits for room, a write with no reader left is EPIPE. Each pipe has a
//! notifier, woken on every change, that an async op waits on with
//! [`super::op::wait_until`].
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

use super::error::Errno;
use super::tty::Tty;

/// Bytes a pipe holds before its writer waits (Linux's default).
pub const PIPE_CAPACITY: usize = 64 * 1024;
/// Pipes a runtime may have open at once.
pub const MAX_PIPES: usize = 4096;
/// Bytes all of a runtime's pipes hold together (a writer waits past it,
/// as past its own pipe's capacity): 4096 full pipes would be 256 MiB.
pub const MAX_BUFFERED: usize = 16 * 1024 * 1024;
/// Ends of input a terminal's pipe holds unread (more are dropped).
const MAX_EOFS: usize = 64;

pub type PipeId = u64;

/// The end of a pipe a descriptor holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
  Read,
  Write,
}

struct Pipe {
  buf: VecDeque<u8>,
  readers: u32,
  writers: u32,
  changed: Arc<Notify>,
  /// The terminal whose input or output this pipe is.
  tty: Option<Arc<Tty>>,
  /// Ends of input a terminal sent (^D), by the count of bytes written
  /// before each: a read there sees one end of stream, and the next goes on.
  eofs: VecDeque<u64>,
  written: u64,
  taken: u64,
}

/// What a read found.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
  Data(Vec<u8>),
  /// Empty with no writer left.
  Eof,
  /// Empty; a writer may still write.
  Empty,
}

/// The runtime's pipes.
#[derive(Default)]
pub struct PipeTable {
  pipes: HashMap<PipeId, Pipe>,
  next: PipeId,
  /// Bytes held by all the pipes.
  buffered: usize,
}

impl PipeTable {
  /// A new pipe with one reader and one writer end.
  #[cfg(test)]
  pub fn create(&mut self) -> Result<PipeId, Errno> {
    self.create_for(None)
  }

  /// A new pipe, a terminal's input or output when `tty` is given.
  pub fn create_for(&mut self, tty: Option<Arc<Tty>>) -> Result<PipeId, Errno> {
    if self.pipes.len() >= MAX_PIPES {
      return Err(Errno::EMFILE);
    }
    self.next += 1;
    self.pipes.insert(
      self.next,
      Pipe {
        buf: VecDeque::new(),
        readers: 1,
        writers: 1,
        changed: Arc::default(),
        tty,
        eofs: VecDeque::new(),
        written: 0,
        taken: 0,
      },
    );
    Ok(self.next)
  }

  /// The terminal the pipe belongs to.
  pub fn tty(&self, id: PipeId) -> Option<Arc<Tty>> {
    self.pipes.get(&id).and_then(|p| p.tty.clone())
  }

  /// An end of input after what was written so far (a terminal's ^D): its
  /// reader sees the end of stream once, then reads on.
  pub fn write_eof(&mut self, id: PipeId) -> Result<(), Errno> {
    let p = self.pipe(id)?;
    if p.eofs.len() >= MAX_EOFS {
      return Ok(());
    }
    p.eofs.push_back(p.written);
    p.changed.notify_waiters();
    Ok(())
  }

  fn pipe(&mut self, id: PipeId) -> Result<&mut Pipe, Errno> {
    self.pipes.get_mut(&id).ok_or(Errno::EBADF)
  }

  /// The pipe's notifier, woken on every change.
  pub fn changed(&self, id: PipeId) -> Result<Arc<Notify>, Errno> {
    self
      .pipes
      .get(&id)
      .map(|p| p.changed.clone())
      .ok_or(Errno::EBADF)
  }

  /// Another descriptor holds `end` (a dup, or a child inheriting it).
  pub fn open_end(&mut self, id: PipeId, end: End) -> Result<(), Errno> {
    let p = self.pipe(id)?;
    match end {
      End::Read => p.readers += 1,
      End::Write => p.writers += 1,
    }
    Ok(())
  }

  /// A descriptor holding `end` closed. The last end gone frees the pipe;
  /// the other side is woken (a reader sees EOF, a writer EPIPE).
  pub fn close_end(&mut self, id: PipeId, end: End) -> Result<(), Errno> {
    let p = self.pipe(id)?;
    let n = match end {
      End::Read => &mut p.readers,
      End::Write => &mut p.writers,
    };
    *n = n.saturating_sub(1);
    p.changed.notify_waiters();
    if p.readers == 0 && p.writers == 0 {
      let held = p.buf.len();
      self.pipes.remove(&id);
      self.buffered -= held;
    }
    Ok(())
  }

  /// Drops what the pipe holds unread (a terminal's input at ^C).
  pub fn discard(&mut self, id: PipeId) -> Result<(), Errno> {
    let p = self.pipe(id)?;
    let held = p.buf.len();
    p.buf.clear();
    p.eofs.clear();
    p.taken = p.written;
    p.changed.notify_waiters();
    self.buffered -= held;
    Ok(())
  }

  /// Takes what fits of `data`: 0 when the pipe is full (wait for room).
  pub fn write(&mut self, id: PipeId, data: &[u8]) -> Result<usize, Errno> {
    let room = MAX_BUFFERED - self.buffered;
    let p = self.pipe(id)?;
    if p.readers == 0 {
      return Err(Errno::EPIPE);
    }
    let n = data.len().min(PIPE_CAPACITY - p.buf.len()).min(room);
    if n > 0 {
      p.buf.extend(&data[..n]);
      p.written += n as u64;
      p.changed.notify_waiters();
    }
    self.buffered += n;
    Ok(n)
  }

  /// Whether a write would take something now (or fail at once).
  pub fn writable(&mut self, id: PipeId) -> Result<bool, Errno> {
    let room = self.buffered < MAX_BUFFERED;
    let p = self.pipe(id)?;
    Ok(p.readers == 0 || (p.buf.len() < PIPE_CAPACITY && room))
  }

  /// Up to `max` bytes.
  pub fn read(&mut self, id: PipeId, max: usize) -> Result<Read, Errno> {
    let p = self.pipe(id)?;
    // A terminal's end of input, where it was sent.
    let mut until = usize::MAX;
    if let Some(&at) = p.eofs.front() {
      if at <= p.taken {
        p.eofs.pop_front();
        p.changed.notify_waiters();
        return Ok(Read::Eof);
      }
      until = (at - p.taken) as usize;
    }
    if p.buf.is_empty() {
      return Ok(if p.writers == 0 {
        Read::Eof
      } else {
        Read::Empty
      });
    }
    let n = max.min(p.buf.len()).min(until);
    p.taken += n as u64;
    // Copied as slices (a byte-by-byte drain is several times slower).
    let mut out = Vec::with_capacity(n);
    let (a, b) = p.buf.as_slices();
    let from_a = n.min(a.len());
    out.extend_from_slice(&a[..from_a]);
    out.extend_from_slice(&b[..n - from_a]);
    p.buf.drain(..n);
    p.changed.notify_waiters();
    if self.buffered >= MAX_BUFFERED {
      // Writers of other pipes may wait for this room (rare: only at the
      // runtime's bound).
      for other in self.pipes.values() {
        other.changed.notify_waiters();
      }
    }
    self.buffered -= n;
    Ok(Read::Data(out))
  }
}

/// A runtime's pipe table, shared by its processes' threads.
pub type SharedPipes = Arc<Mutex<PipeTable>>;

fn lock(t: &SharedPipes) -> MutexGuard<'_, PipeTable> {
  t.lock().unwrap_or_else(|e| e.into_inner())
}

/// One holder of an end of a pipe (a descriptor, a process's stdio): the
/// end is counted while it lives and closed when it is dropped, so that a
/// process that ends for any reason closes its pipes.
pub struct PipeEnd {
  table: SharedPipes,
  id: PipeId,
  end: End,
}

impl std::fmt::Debug for PipeEnd {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "PipeEnd({}, {:?})", self.id, self.end)
  }
}

impl PipeEnd {
  /// A new pipe: its read end and its write end.
  pub fn pair(table: &SharedPipes) -> Result<(PipeEnd, PipeEnd), Errno> {
    PipeEnd::pair_with(table, None)
  }

  fn pair_with(table: &SharedPipes, tty: Option<Arc<Tty>>) -> Result<(PipeEnd, PipeEnd), Errno> {
    let id = lock(table).create_for(tty)?;
    let end = |end| PipeEnd {
      table: table.clone(),
      id,
      end,
    };
    Ok((end(End::Read), end(End::Write)))
  }

  /// A terminal's pipe: its read end and its write end.
  pub fn pair_for_tty(table: &SharedPipes, tty: Arc<Tty>) -> Result<(PipeEnd, PipeEnd), Errno> {
    PipeEnd::pair_with(table, Some(tty))
  }

  /// The terminal this pipe is the input or output of.
  pub fn tty(&self) -> Option<Arc<Tty>> {
    lock(&self.table).tty(self.id)
  }

  /// An end of input after what was written (a terminal's ^D).
  pub fn write_eof(&self) -> Result<(), Errno> {
    if self.end != End::Write {
      return Err(Errno::EBADF);
    }
    lock(&self.table).write_eof(self.id)
  }

  /// Drops what the pipe holds unread (a terminal's input at ^C).
  pub fn discard(&self) -> Result<(), Errno> {
    lock(&self.table).discard(self.id)
  }

  /// Another holder of the same end (a child inheriting it).
  pub fn dup(&self) -> Result<PipeEnd, Errno> {
    lock(&self.table).open_end(self.id, self.end)?;
    Ok(PipeEnd {
      table: self.table.clone(),
      id: self.id,
      end: self.end,
    })
  }

  /// The reading end (else the writing one).
  pub fn is_read(&self) -> bool {
    self.end == End::Read
  }

  pub fn read(&self, max: usize) -> Result<Read, Errno> {
    if self.end != End::Read {
      return Err(Errno::EBADF);
    }
    lock(&self.table).read(self.id, max)
  }

  pub fn write(&self, data: &[u8]) -> Result<usize, Errno> {
    if self.end != End::Write {
      return Err(Errno::EBADF);
    }
    lock(&self.table).write(self.id, data)
  }

  pub fn writable(&self) -> Result<bool, Errno> {
    lock(&self.table).writable(self.id)
  }

  pub fn changed(&self) -> Result<Arc<Notify>, Errno> {
    lock(&self.table).changed(self.id)
  }
}

impl Drop for PipeEnd {
  fn drop(&mut self) {
    let _ = lock(&self.table).close_end(self.id, self.end);
  }
}

#[cfg(test)]
mod tests {
  use super::super::op::wait_until;
  use super::*;
  use std::sync::Mutex;

  #[test]
  fn a_terminal_end_of_input_is_read_once_where_it_was_sent() {
    let table: SharedPipes = Arc::default();
    let tty = Arc::new(Tty::new(80, 24));
    let (r, w) = PipeEnd::pair_for_tty(&table, tty.clone()).unwrap();
    assert!(Arc::ptr_eq(&r.tty().unwrap(), &tty));
    assert!(PipeEnd::pair(&table).unwrap().0.tty().is_none());
    w.write(b"ab").unwrap();
    w.write_eof().unwrap();
    w.write(b"cd").unwrap();
    assert_eq!(r.read(10), Ok(Read::Data(b"ab".to_vec())));
    assert_eq!(r.read(10), Ok(Read::Eof));
    assert_eq!(r.read(10), Ok(Read::Data(b"cd".to_vec())));
    assert_eq!(r.read(10), Ok(Read::Empty));
    w.write_eof().unwrap();
    assert_eq!(r.read(10), Ok(Read::Eof));
    assert_eq!(r.read(10), Ok(Read::Empty));
    // ^C drops what was not read, ends of input included.
    w.write(b"gone").unwrap();
    w.write_eof().unwrap();
    w.discard().unwrap();
    w.write(b"x").unwrap();
    assert_eq!(r.read(10), Ok(Read::Data(b"x".to_vec())));
    assert_eq!(r.read(10), Ok(Read::Empty));
    assert_eq!(r.write_eof(), Err(Errno::EBADF));
  }

  #[test]
  fn bytes_come_out_in_order_bounded_then_eof() {
    let mut t = PipeTable::default();
    let p = t.create().unwrap();
    assert_eq!(t.read(p, 10), Ok(Read::Empty));
    let big = vec![7u8; PIPE_CAPACITY + 100];
    assert_eq!(t.write(p, &big), Ok(PIPE_CAPACITY));
    assert_eq!(t.write(p, b"x"), Ok(0));
    assert_eq!(t.writable(p), Ok(false));
    assert_eq!(t.read(p, 4), Ok(Read::Data(vec![7; 4])));
    assert_eq!(t.writable(p), Ok(true));
    assert_eq!(t.write(p, b"abcdef"), Ok(4));
    t.close_end(p, End::Write).unwrap();
    let mut got = 0;
    let last = loop {
      match t.read(p, 1 << 20).unwrap() {
        Read::Data(d) => {
          got += d.len();
          if d.ends_with(b"abcd") {
            break d;
          }
        }
        other => panic!("{other:?}"),
      }
    };
    assert_eq!(got, PIPE_CAPACITY);
    assert!(last.ends_with(b"abcd"));
    assert_eq!(t.read(p, 10), Ok(Read::Eof));
    t.close_end(p, End::Read).unwrap();
    assert_eq!(t.read(p, 10), Err(Errno::EBADF));
  }

  #[test]
  fn a_write_with_no_reader_is_epipe_and_ends_are_counted() {
    let mut t = PipeTable::default();
    let p = t.create().unwrap();
    t.open_end(p, End::Read).unwrap();
    t.close_end(p, End::Read).unwrap();
    assert_eq!(t.write(p, b"still read"), Ok(10));
    t.close_end(p, End::Read).unwrap();
    assert_eq!(t.write(p, b"x"), Err(Errno::EPIPE));
    assert_eq!(t.writable(p), Ok(true));
  }

  #[test]
  fn pipes_and_their_bytes_together_are_bounded() {
    let mut t = PipeTable::default();
    let full = vec![0u8; PIPE_CAPACITY];
    let mut ids = Vec::new();
    for _ in 0..MAX_PIPES {
      let p = t.create().unwrap();
      t.write(p, &full).unwrap();
      ids.push(p);
    }
    assert_eq!(t.create(), Err(Errno::EMFILE));
    assert_eq!(t.buffered, MAX_BUFFERED);
    let last = *ids.last().unwrap();
    assert_eq!(t.read(last, 10), Ok(Read::Empty));
    assert_eq!(t.writable(last), Ok(false));
    // Bytes read, or a pipe gone, make room for others.
    assert_eq!(t.read(ids[0], 100), Ok(Read::Data(vec![0; 100])));
    assert_eq!(t.write(last, &full), Ok(100));
    t.close_end(ids[1], End::Read).unwrap();
    t.close_end(ids[1], End::Write).unwrap();
    assert_eq!(t.buffered, MAX_BUFFERED - PIPE_CAPACITY);
  }

  #[test]
  fn ends_close_when_their_holders_drop() {
    let table = SharedPipes::default();
    let (r, w) = PipeEnd::pair(&table).unwrap();
    let w2 = w.dup().unwrap();
    assert_eq!(r.write(b"x"), Err(Errno::EBADF));
    assert_eq!(w.write(b"ab"), Ok(2));
    drop(w);
    assert_eq!(r.read(1), Ok(Read::Data(b"a".to_vec())));
    drop(w2);
    assert_eq!(r.read(9), Ok(Read::Data(b"b".to_vec())));
    assert_eq!(r.read(9), Ok(Read::Eof));
    let (r2, w3) = PipeEnd::pair(&table).unwrap();
    drop(r2);
    assert_eq!(w3.write(b"x"), Err(Errno::EPIPE));
    drop((r, w3));
    assert!(lock(&table).pipes.is_empty(), "the last end frees its pipe");
  }

  #[test]
  fn a_reader_on_one_thread_is_woken_by_a_writer_on_another() {
    let table = Arc::new(Mutex::new(PipeTable::default()));
    let p = table.lock().unwrap().create().unwrap();
    let writer = {
      let table = table.clone();
      std::thread::spawn(move || {
        for chunk in [b"one ".as_slice(), b"two"] {
          std::thread::sleep(std::time::Duration::from_millis(20));
          table.lock().unwrap().write(p, chunk).unwrap();
        }
        table.lock().unwrap().close_end(p, End::Write).unwrap();
      })
    };
    let rt = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    let mut got = Vec::new();
    rt.block_on(async {
      loop {
        let r = wait_until(
          || table.lock().unwrap().changed(p),
          || match table.lock().unwrap().read(p, 100)? {
            Read::Empty => Ok(None),
            r => Ok(Some(r)),
          },
        );
        match tokio::time::timeout(std::time::Duration::from_secs(5), r)
          .await
          .unwrap()
        {
          Ok(Read::Data(d)) => got.extend(d),
          Ok(Read::Eof) => break,
          other => panic!("{other:?}"),
        }
      }
    });
    writer.join().unwrap();
    assert_eq!(got, b"one two");
  }
}
