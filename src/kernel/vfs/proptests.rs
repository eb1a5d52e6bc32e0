//! Random op sequences over a few names, with random limits: after every
//! op the VFS's invariants hold, and every file's bytes match a model kept
//! per inode (so renames, links and symlinks need no model of their own).
use std::collections::HashMap;

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
enum Op {
  Mkdir(String),
  MkdirAll(String),
  /// 0: trunc, 1: append, 2: overwrite from 0 ('r+'), 3: exclusive.
  WriteFile(String, Vec<u8>, u8),
  Append(String, Vec<u8>),
  Unlink(String),
  Rmdir(String),
  Rename(String, String),
  Link(String, String),
  Symlink(String, String),
  RemoveAll(String),
  Truncate(String, u64),
  WriteAt(String, u64, Vec<u8>),
  CopyFile(String, String),
  Chmod(String, u32),
  /// Open and keep it open: the file may be unlinked under it.
  Hold(String),
  WriteHeld(usize, u64, Vec<u8>),
  Release(usize),
}

fn component() -> impl Strategy<Value = &'static str> {
  prop_oneof![
    6 => Just("a"),
    6 => Just("b"),
    4 => Just("c"),
    1 => Just("."),
    1 => Just(".."),
  ]
}

fn path() -> impl Strategy<Value = String> {
  let depth = prop_oneof![3 => Just(1usize), 3 => Just(2), 1 => Just(3)];
  let components = depth.prop_flat_map(|n| prop::collection::vec(component(), n));
  (components, prop::bool::weighted(0.1)).prop_map(|(c, slash)| {
    let mut p = format!("/{}", c.join("/"));
    if slash {
      p.push('/');
    }
    p
  })
}

/// A symlink target: absolute, relative, or going up.
fn target() -> impl Strategy<Value = String> {
  prop_oneof![
    path(),
    prop::collection::vec(component(), 1..=2).prop_map(|c| c.join("/")),
  ]
}

fn data() -> impl Strategy<Value = Vec<u8>> {
  prop::collection::vec(any::<u8>(), 0..40)
}

fn op() -> impl Strategy<Value = Op> {
  prop_oneof![
    2 => path().prop_map(Op::Mkdir),
    2 => path().prop_map(Op::MkdirAll),
    4 => (path(), data(), 0u8..4).prop_map(|(p, d, k)| Op::WriteFile(p, d, k)),
    2 => (path(), data()).prop_map(|(p, d)| Op::Append(p, d)),
    1 => path().prop_map(Op::Unlink),
    1 => path().prop_map(Op::Rmdir),
    1 => (path(), path()).prop_map(|(a, b)| Op::Rename(a, b)),
    1 => (path(), path()).prop_map(|(a, b)| Op::Link(a, b)),
    1 => (target(), path()).prop_map(|(t, p)| Op::Symlink(t, p)),
    1 => path().prop_map(Op::RemoveAll),
    1 => (path(), 0u64..300).prop_map(|(p, n)| Op::Truncate(p, n)),
    1 => (path(), 0u64..300, data()).prop_map(|(p, o, d)| Op::WriteAt(p, o, d)),
    1 => (path(), path()).prop_map(|(a, b)| Op::CopyFile(a, b)),
    1 => (path(), prop::sample::select(vec![0o755u32, 0o500, 0o000, 0o1777, 0o644]))
      .prop_map(|(p, m)| Op::Chmod(p, m)),
    1 => path().prop_map(Op::Hold),
    1 => (any::<usize>(), 0u64..300, data()).prop_map(|(i, o, d)| Op::WriteHeld(i, o, d)),
    1 => any::<usize>().prop_map(Op::Release),
  ]
}

fn limits() -> impl Strategy<Value = VfsLimits> {
  (0u64..3000, 0u64..400, 6usize..40, 1u64..60).prop_map(|(b, f, p, n)| VfsLimits {
    max_bytes: b,
    max_file_size: f,
    max_path_length: p,
    max_inodes: n,
  })
}

struct Run {
  v: Vfs,
  model: HashMap<Ino, Vec<u8>>,
  held: Vec<Ino>,
}

const ROOT: Cred = Vfs::ROOT;

impl Run {
  /// The regular file `path` names now, if any.
  fn file(&self, path: &str) -> Option<Ino> {
    let s = self.v.stat(ROOT, path, true).ok()?;
    (s.file_type() == FileType::File).then_some(s.ino)
  }

  fn content(&self, ino: Ino) -> Vec<u8> {
    self.model.get(&ino).cloned().unwrap_or_default()
  }

  fn write_model(&mut self, ino: Ino, offset: u64, d: &[u8]) {
    let c = self.model.entry(ino).or_default();
    if d.is_empty() {
      return;
    }
    let off = offset as usize;
    if c.len() < off + d.len() {
      c.resize(off + d.len(), 0);
    }
    c[off..off + d.len()].copy_from_slice(d);
  }

  fn apply(&mut self, cred: Cred, op: &Op) {
    let v = &mut self.v;
    match op {
      Op::Mkdir(p) => drop(v.mkdir(cred, p, 0o755)),
      Op::MkdirAll(p) => drop(v.mkdir_all(cred, p, 0o755)),
      Op::WriteFile(p, d, kind) => {
        let flags = match kind {
          0 => OpenFlags::from_linux(0o1101),
          1 => OpenFlags::from_linux(0o2101),
          2 => OpenFlags::from_linux(2),
          _ => OpenFlags::from_linux(0o301),
        };
        let before = self.file(p);
        if self.v.write_file(cred, p, d, flags, 0o644).is_ok() {
          let ino = self.file(p).expect("written file exists");
          let old = if before == Some(ino) {
            self.content(ino)
          } else {
            Vec::new()
          };
          let new = match kind {
            0 | 3 => d.clone(),
            1 => [old, d.clone()].concat(),
            _ => {
              let mut o = old;
              if o.len() < d.len() {
                o.resize(d.len(), 0);
              }
              o[..d.len()].copy_from_slice(d);
              o
            }
          };
          self.model.insert(ino, new);
        }
      }
      Op::Append(p, d) => {
        if let Ok(ino) = v.open(cred, p, OpenFlags::from_linux(0o2001), 0) {
          let r = v.append(ino, d);
          v.close(ino);
          if let Ok(size) = r {
            let mut c = self.content(ino);
            c.extend_from_slice(d);
            assert_eq!(size, c.len() as u64);
            self.model.insert(ino, c);
          }
        }
      }
      Op::Unlink(p) => drop(v.unlink(cred, p)),
      Op::Rmdir(p) => drop(v.rmdir(cred, p)),
      Op::Rename(a, b) => drop(v.rename(cred, a, b)),
      Op::Link(a, b) => drop(v.link(cred, a, b)),
      Op::Symlink(t, p) => drop(v.symlink(cred, t, p)),
      Op::RemoveAll(p) => drop(v.remove_all(cred, p)),
      Op::Truncate(p, n) => {
        if v.truncate(cred, p, *n).is_ok() {
          let ino = self.file(p).expect("truncated file exists");
          let mut c = self.content(ino);
          c.resize(*n as usize, 0);
          self.model.insert(ino, c);
        }
      }
      Op::WriteAt(p, off, d) => {
        if let Ok(ino) = v.open(cred, p, OpenFlags::from_linux(0o102), 0o644) {
          let r = v.write_at(ino, *off, d);
          v.close(ino);
          if r.is_ok() {
            assert_eq!(r, Ok(d.len()));
            self.write_model(ino, *off, d);
          }
        }
      }
      Op::CopyFile(a, b) => {
        let src = self.file(a);
        if self.v.copy_file(cred, a, b, false).is_ok() {
          let src = src.expect("copied a file");
          let dst = self.file(b).expect("copy exists");
          let c = self.content(src);
          self.model.insert(dst, c);
        }
      }
      Op::Chmod(p, m) => drop(v.chmod(cred, p, *m, true)),
      Op::Hold(p) => {
        if let Ok(ino) = v.open(cred, p, OpenFlags::from_linux(0), 0) {
          self.held.push(ino);
        }
      }
      Op::WriteHeld(i, off, d) => {
        if self.held.is_empty() {
          return;
        }
        let ino = self.held[i % self.held.len()];
        if v.write_at(ino, *off, d).is_ok() {
          self.write_model(ino, *off, d);
        }
      }
      Op::Release(i) => {
        if !self.held.is_empty() {
          let ino = self.held.swap_remove(i % self.held.len());
          v.close(ino);
        }
      }
    }
  }

  fn check(&mut self) -> Result<(), TestCaseError> {
    self.v.check_consistency().map_err(TestCaseError::fail)?;
    let l = self.v.limits();
    prop_assert!(self.v.bytes_used() <= l.max_bytes);
    prop_assert!(self.v.inode_count() <= l.max_inodes.max(1));
    for ino in &self.held {
      prop_assert!(self.v.stat_ino(*ino).is_ok(), "held inode {} freed", ino);
    }
    let mut dead = Vec::new();
    for (&ino, want) in &self.model {
      let Ok(s) = self.v.stat_ino(ino) else {
        dead.push(ino);
        continue;
      };
      if s.file_type() != FileType::File {
        continue;
      }
      let mut got = vec![0xee; want.len() + 1];
      let n = self
        .v
        .read_at(ino, 0, &mut got)
        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
      got.truncate(n);
      prop_assert_eq!(&got, want, "content of inode {}", ino);
      prop_assert_eq!(s.size, want.len() as u64);
    }
    for ino in dead {
      self.model.remove(&ino);
    }
    Ok(())
  }
}

proptest! {
  #![proptest_config(crate::fuzz::config(500))]

  #[test]
  fn random_ops_keep_the_vfs_consistent(
    limits in limits(),
    ops in prop::collection::vec((op(), prop::bool::weighted(0.8)), 1..200),
  ) {
    let mut run = Run {
      v: Vfs::new(limits, Box::new(|| Timespec { sec: 1, nsec: 0 })),
      model: HashMap::new(),
      held: Vec::new(),
    };
    // The guest may work in the root too (until a Chmod op says otherwise).
    run.v.chmod(Vfs::ROOT, "/", 0o777, true).unwrap();
    for (op, as_root) in &ops {
      let cred = if *as_root { Vfs::ROOT } else { Vfs::GUEST };
      run.apply(cred, op);
      run.check()?;
    }
    // Once everything is closed and removed, nothing is left behind.
    for ino in std::mem::take(&mut run.held) {
      run.v.close(ino);
    }
    prop_assert_eq!(run.v.remove_all(Vfs::ROOT, "/"), Err(Errno::EBUSY));
    run.check()?;
    prop_assert_eq!(run.v.bytes_used(), 0);
    prop_assert_eq!(run.v.inode_count(), 1);
  }
}
