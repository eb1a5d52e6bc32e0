//! A guest process's file descriptors: numbers (0-2 are stdio) naming open
//! files of the runtime's VFS, each with its own position and flags, or
//! ends of kernel pipes. Bounded by `limits.maxOpenFiles` (`EMFILE`).
use std::collections::BTreeMap;

use super::error::Errno;
use super::pipe::PipeEnd;
use super::vfs::{Ino, OpenFlags};

/// The first descriptor handed out (0, 1 and 2 are stdin, stdout, stderr).
pub const FIRST_FD: i32 = 3;

#[derive(Debug, Clone)]
pub struct OpenFile {
  pub ino: Ino,
  /// Where the next read or write without a position goes.
  pub position: u64,
  pub flags: OpenFlags,
  /// On a mount: (mount, the host's handle); `ino` is unused then.
  pub mount: Option<(u32, u64)>,
}

/// What a descriptor names.
#[derive(Debug)]
pub enum Desc {
  File(OpenFile),
  /// Closed (for everyone) when the last descriptor holding it goes.
  Pipe(PipeEnd),
}

#[derive(Debug)]
pub struct FdTable {
  files: BTreeMap<i32, Desc>,
  max: usize,
}

impl FdTable {
  pub fn new(max: usize) -> FdTable {
    FdTable {
      files: BTreeMap::new(),
      max,
    }
  }

  /// The lowest free descriptor for `file`, or `EMFILE`.
  pub fn insert(&mut self, file: OpenFile) -> Result<i32, Errno> {
    self.insert_desc(Desc::File(file))
  }

  /// The lowest free descriptor from 3 up for `desc`, or `EMFILE`.
  pub fn insert_desc(&mut self, desc: Desc) -> Result<i32, Errno> {
    if self.files.len() >= self.max {
      return Err(Errno::EMFILE);
    }
    let mut fd = FIRST_FD;
    for &used in self.files.range(FIRST_FD..).map(|(fd, _)| fd) {
      if used != fd {
        break;
      }
      fd += 1;
    }
    self.files.insert(fd, desc);
    Ok(fd)
  }

  /// `desc` as descriptor `fd` (0-2: a child's stdio), in place of what
  /// was there.
  pub fn insert_at(&mut self, fd: i32, desc: Desc) -> Result<(), Errno> {
    if !self.files.contains_key(&fd) && self.files.len() >= self.max {
      return Err(Errno::EMFILE);
    }
    self.files.insert(fd, desc);
    Ok(())
  }

  /// Descriptors that may still be opened.
  pub fn room(&self) -> usize {
    self.max.saturating_sub(self.files.len())
  }

  /// The open file `fd` names (EBADF for none, or for a pipe).
  pub fn get(&mut self, fd: i32) -> Result<&mut OpenFile, Errno> {
    match self.files.get_mut(&fd) {
      Some(Desc::File(f)) => Ok(f),
      _ => Err(Errno::EBADF),
    }
  }

  /// The pipe end `fd` names (EBADF for none, or for a file).
  pub fn pipe(&self, fd: i32) -> Result<&PipeEnd, Errno> {
    match self.files.get(&fd) {
      Some(Desc::Pipe(p)) => Ok(p),
      _ => Err(Errno::EBADF),
    }
  }

  pub fn remove(&mut self, fd: i32) -> Result<Desc, Errno> {
    self.files.remove(&fd).ok_or(Errno::EBADF)
  }

  /// Every open file, for closing when the process ends (its pipe ends
  /// close as they are dropped).
  pub fn drain(&mut self) -> Vec<OpenFile> {
    std::mem::take(&mut self.files)
      .into_values()
      .filter_map(|d| match d {
        Desc::File(f) => Some(f),
        Desc::Pipe(_) => None,
      })
      .collect()
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn file(ino: Ino) -> OpenFile {
    OpenFile {
      ino,
      position: 0,
      flags: OpenFlags::default(),
      mount: None,
    }
  }

  #[test]
  fn lowest_free_descriptor_and_a_bound() {
    let mut t = FdTable::new(3);
    assert_eq!(t.insert(file(1)), Ok(3));
    assert_eq!(t.insert(file(2)), Ok(4));
    assert_eq!(t.insert(file(3)), Ok(5));
    assert_eq!(t.insert(file(4)), Err(Errno::EMFILE));
    assert!(matches!(t.remove(4), Ok(Desc::File(f)) if f.ino == 2));
    assert!(matches!(t.remove(4), Err(Errno::EBADF)));
    assert_eq!(t.insert(file(5)), Ok(4));
    assert_eq!(t.get(9).map(|f| f.ino), Err(Errno::EBADF));
    assert_eq!(t.drain().len(), 3);
    assert_eq!(t.drain().len(), 0);
  }

  #[test]
  fn pipes_share_the_numbers_and_the_bound() {
    let pipes = crate::kernel::pipe::SharedPipes::default();
    let (r, w) = PipeEnd::pair(&pipes).unwrap();
    let mut t = FdTable::new(3);
    t.insert_at(0, Desc::Pipe(r)).unwrap();
    assert_eq!(t.insert_desc(Desc::Pipe(w)), Ok(3));
    assert_eq!(t.get(3).map(|f| f.ino), Err(Errno::EBADF));
    assert!(t.pipe(0).is_ok());
    assert_eq!(t.insert(file(1)), Ok(4));
    assert_eq!(t.insert(file(2)), Err(Errno::EMFILE));
    assert_eq!(t.pipe(4).map(|_| ()), Err(Errno::EBADF));
    assert_eq!(t.drain().len(), 1, "pipe ends close as they drop");
  }
}
