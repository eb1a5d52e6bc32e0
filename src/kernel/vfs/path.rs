//! Path resolution: the one walk from a path to an inode, which every
//! method goes through (and where mounts will hook in).
use std::borrow::Cow;

use super::{Body, Cred, Errno, Ino, Vfs, MAX_NAME_LEN, MAX_SYMLINKS, ROOT_INO, X_OK};

/// Where a path leads: the directory holding its last component, that
/// component, and the inode it names if it exists.
#[derive(Debug)]
pub(super) struct Resolved<'p> {
  pub parent: Ino,
  /// The last component: "" for the root, or "." / "..", which name an
  /// inode but no entry that could be made or removed.
  pub name: Cow<'p, str>,
  pub ino: Option<Ino>,
  /// The path ended in '/': what it names must be a directory.
  pub trailing_slash: bool,
  /// The last component was a symlink that was followed (because of
  /// `follow` or a trailing slash).
  pub followed_last: bool,
}

impl Vfs {
  /// Records that a walk left the VFS for mount `m` with `rest` to go.
  fn cross(&self, m: u32, rest: &str) -> Errno {
    *self.crossing.borrow_mut() = Some((m, rest.trim_start_matches('/').to_string()));
    Errno::EXDEV
  }

  /// A guest path must be absolute, NUL-free and within `max_path_length`.
  pub(super) fn check_path(&self, path: &str) -> Result<(), Errno> {
    if !path.starts_with('/') || path.as_bytes().contains(&0) {
      return Err(Errno::EINVAL);
    }
    if path.len() > self.limits.max_path_length {
      return Err(Errno::ENAMETOOLONG);
    }
    Ok(())
  }

  pub(super) fn resolve<'p>(
    &self,
    cred: Cred,
    path: &'p str,
    follow: bool,
  ) -> Result<Resolved<'p>, Errno> {
    self.check_path(path)?;
    self.resolve_at(cred, ROOT_INO, path, follow)
  }

  /// Walks `path` from directory `start` (an absolute path starts over at
  /// the root). Symlinks are followed in the middle always and at the end
  /// when `follow` or a trailing slash asks, at most [`MAX_SYMLINKS`] in
  /// all, by splicing the target in front of the rest of the path: a loop,
  /// never a recursion. Nothing is allocated unless a symlink is followed
  /// (or a name comes out of a symlink's target).
  pub(super) fn resolve_at<'p>(
    &self,
    cred: Cred,
    start: Ino,
    path: &'p str,
    follow: bool,
  ) -> Result<Resolved<'p>, Errno> {
    let mut cur = if path.starts_with('/') {
      ROOT_INO
    } else {
      start
    };
    // The rest of the path once a symlink was spliced in; `path` till then.
    let mut spliced: Option<String> = None;
    let mut pos = 0;
    let mut links = 0;
    let mut followed_last = false;
    loop {
      let src = spliced.as_deref().unwrap_or(path);
      let b = src.as_bytes();
      while pos < b.len() && b[pos] == b'/' {
        pos += 1;
      }
      if pos >= b.len() {
        // Only slashes left (the path "/", or a link to "/"): `cur` itself.
        let parent = self.node(cur)?.dir()?.parent;
        return Ok(Resolved {
          parent,
          name: Cow::Borrowed(""),
          ino: Some(cur),
          trailing_slash: true,
          followed_last,
        });
      }
      let (c0, mut c1) = (pos, pos);
      while c1 < b.len() && b[c1] != b'/' {
        c1 += 1;
      }
      pos = c1;
      while pos < b.len() && b[pos] == b'/' {
        pos += 1;
      }
      let last = pos >= b.len();
      let trailing = last && c1 < b.len();
      let comp = &src[c0..c1];
      if comp.len() > MAX_NAME_LEN {
        return Err(Errno::ENAMETOOLONG);
      }
      // A directory that is a mount point hands the rest of the walk to
      // its mount (its `..` stays in the VFS).
      if comp != ".." {
        if let Some(&m) = self.mount_points.get(&cur) {
          return Err(self.cross(m, &src[c0..]));
        }
      }
      let node = self.node(cur)?;
      let dir = node.dir()?;
      if !node.permits(cred, X_OK) {
        return Err(Errno::EACCES);
      }
      let name = |spliced: &Option<String>| match spliced {
        Some(_) => Cow::Owned(comp.to_owned()),
        None => Cow::Borrowed(path.get(c0..c1).unwrap_or("")),
      };
      if comp == "." || comp == ".." {
        let next = if comp == "." { cur } else { dir.parent };
        if last {
          return Ok(Resolved {
            parent: cur,
            name: name(&spliced),
            ino: Some(next),
            trailing_slash: trailing,
            followed_last,
          });
        }
        cur = next;
        continue;
      }
      let Some(child) = dir.entries.get(comp).copied() else {
        if last {
          return Ok(Resolved {
            parent: cur,
            name: name(&spliced),
            ino: None,
            trailing_slash: trailing,
            followed_last,
          });
        }
        return Err(Errno::ENOENT);
      };
      let c = self.node(child)?;
      if let Body::Symlink(target) = &c.body {
        if !last || follow || trailing {
          links += 1;
          if links > MAX_SYMLINKS {
            return Err(Errno::ELOOP);
          }
          // target + the rest (with its slashes, so a trailing one stays):
          // at most MAX_SYMLINKS targets, each within max_path_length.
          let rest = &src[c1..];
          let mut next = String::new();
          next
            .try_reserve_exact(target.len() + rest.len())
            .map_err(|_| Errno::ENOMEM)?;
          next.push_str(target);
          next.push_str(rest);
          if target.starts_with('/') {
            cur = ROOT_INO;
          }
          followed_last |= last;
          spliced = Some(next);
          pos = 0;
          continue;
        }
      }
      if let Some(&m) = self.mount_points.get(&child) {
        // `mount/..` is the mount point's parent, in the VFS.
        let rest = &src[pos..];
        if rest.split('/').next() != Some("..") {
          return Err(self.cross(m, rest));
        }
      }
      if last {
        if trailing && !c.is_dir() {
          return Err(Errno::ENOTDIR);
        }
        return Ok(Resolved {
          parent: cur,
          name: name(&spliced),
          ino: Some(child),
          trailing_slash: trailing,
          followed_last,
        });
      }
      if !c.is_dir() {
        return Err(Errno::ENOTDIR);
      }
      cur = child;
    }
  }
}
