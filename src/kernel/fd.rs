//! A guest process's file descriptors: numbers (0-2 are stdio) naming open
//! files of the runtime's VFS, each with its own position and flags.
//! Bounded by `limits.maxOpenFiles` (`EMFILE`).
use std::collections::BTreeMap;

use super::error::Errno;
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

#[derive(Debug)]
pub struct FdTable {
  files: BTreeMap<i32, OpenFile>,
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
    if self.files.len() >= self.max {
      return Err(Errno::EMFILE);
    }
    let mut fd = FIRST_FD;
    for &used in self.files.keys() {
      if used != fd {
        break;
      }
      fd += 1;
    }
    self.files.insert(fd, file);
    Ok(fd)
  }

  pub fn get(&mut self, fd: i32) -> Result<&mut OpenFile, Errno> {
    self.files.get_mut(&fd).ok_or(Errno::EBADF)
  }

  pub fn remove(&mut self, fd: i32) -> Result<OpenFile, Errno> {
    self.files.remove(&fd).ok_or(Errno::EBADF)
  }

  /// Every open file, for closing when the process ends.
  pub fn drain(&mut self) -> Vec<OpenFile> {
    std::mem::take(&mut self.files).into_values().collect()
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
    assert_eq!(t.remove(4).map(|f| f.ino), Ok(2));
    assert_eq!(t.remove(4).map(|f| f.ino), Err(Errno::EBADF));
    assert_eq!(t.insert(file(5)), Ok(4));
    assert_eq!(t.get(9).map(|f| f.ino), Err(Errno::EBADF));
    assert_eq!(t.drain().len(), 3);
    assert_eq!(t.drain().len(), 0);
  }
}
