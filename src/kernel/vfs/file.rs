//! File data: open and close, reads and writes at an offset, whole-file
//! reads and writes, truncation and copies, within the size limits.
use super::*;

impl Vfs {
  /// Opens (and with `create`, makes) a file or directory and counts one
  /// open reference, dropped by [`Vfs::close`]. `mode` has the umask
  /// applied already.
  pub fn open(
    &mut self,
    cred: Cred,
    path: &str,
    flags: OpenFlags,
    mode: u32,
  ) -> Result<Ino, Errno> {
    let (ino, _) = self.open_inner(cred, path, flags, mode, true)?;
    Ok(ino)
  }

  /// [`Vfs::open`], and the entry it made if it made one (to undo it).
  /// With `apply_trunc` false, O_TRUNC is left to the caller.
  fn open_inner(
    &mut self,
    cred: Cred,
    path: &str,
    flags: OpenFlags,
    mode: u32,
    apply_trunc: bool,
  ) -> Result<(Ino, Option<Created>), Errno> {
    if flags.create && flags.directory {
      return Err(Errno::EINVAL);
    }
    // O_EXCL with O_CREAT never follows: an existing dangling link is EEXIST.
    let exclusive = flags.create && flags.excl;
    let r = match self.resolve(cred, path, !(flags.nofollow || exclusive)) {
      // O_CREAT on "name/" is EISDIR whatever `name` is (Linux's answer).
      Err(Errno::ENOTDIR) if flags.create && path.ends_with('/') => {
        let name = path.trim_end_matches('/');
        self.resolve(cred, name, false)?;
        return Err(Errno::EISDIR);
      }
      r => r?,
    };
    let (ino, created) = match r.ino {
      Some(_) if exclusive => return Err(Errno::EEXIST),
      Some(ino) => (ino, None),
      None if !flags.create => return Err(Errno::ENOENT),
      None if r.trailing_slash => return Err(Errno::EISDIR),
      None => {
        let name = r.name.into_owned();
        let p = self.node(r.parent)?;
        let (parent_mtime, parent_ctime) = (p.mtime, p.ctime);
        let ino = self.create(cred, r.parent, &name, Body::File(Vec::new()), mode)?;
        let created = Created {
          parent: r.parent,
          name,
          parent_mtime,
          parent_ctime,
        };
        (ino, Some(created))
      }
    };
    let n = self.node(ino)?;
    match n.body {
      Body::Symlink(_) => return Err(Errno::ELOOP),
      Body::Dir(_) if flags.write || flags.trunc || flags.create => return Err(Errno::EISDIR),
      Body::Dir(_) => {}
      _ if flags.directory => return Err(Errno::ENOTDIR),
      _ => {}
    }
    // A file this call made opens with whatever access was asked for.
    if created.is_none() {
      let mut want = 0;
      if flags.read {
        want |= R_OK;
      }
      if flags.write || flags.trunc {
        want |= W_OK;
      }
      if !n.permits(cred, want) {
        return Err(Errno::EACCES);
      }
    }
    let opens = n.opens.checked_add(1).ok_or(Errno::EMFILE)?;
    if apply_trunc && flags.trunc && matches!(n.body, Body::File(_)) {
      self.truncate_ino(ino, 0)?;
    }
    self.node_mut(ino)?.opens = opens;
    Ok((ino, created))
  }

  /// Drops one open reference; an unlinked inode with none left is freed.
  pub fn close(&mut self, ino: Ino) {
    if let Ok(n) = self.node_mut(ino) {
      n.opens = n.opens.saturating_sub(1);
      self.release_if_unused(ino);
    }
  }

  /// Open references of `ino` (0 for a dead one).
  #[cfg_attr(not(test), allow(dead_code, reason = "for tests and diagnostics"))]
  pub fn open_count(&self, ino: Ino) -> u64 {
    self.node(ino).map_or(0, |n| n.opens)
  }

  pub fn read_at(&mut self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Errno> {
    let n = self.node(ino)?;
    let stale = n.atime_stale();
    let count = match &n.body {
      Body::Dir(_) => return Err(Errno::EISDIR),
      Body::Symlink(_) => return Err(Errno::EINVAL),
      Body::Device(Device::Null) => return Ok(0),
      Body::Device(Device::Zero) => {
        buf.fill(0);
        return Ok(buf.len());
      }
      Body::File(data) => {
        if offset >= len_u64(data.len()) || buf.is_empty() {
          return Ok(0);
        }
        // offset < data.len(), so it fits a usize.
        let start = offset as usize;
        let count = buf.len().min(data.len() - start);
        buf[..count].copy_from_slice(&data[start..start + count]);
        count
      }
    };
    if stale {
      let now = self.now();
      self.node_mut(ino)?.atime = now;
    }
    Ok(count)
  }

  /// Writes `data` at `offset`; a gap past the end reads as zeros.
  pub fn write_at(&mut self, ino: Ino, offset: u64, data: &[u8]) -> Result<usize, Errno> {
    let n = self.node(ino)?;
    let old = match &n.body {
      Body::Dir(_) => return Err(Errno::EISDIR),
      Body::Symlink(_) => return Err(Errno::EINVAL),
      Body::Device(_) => return Ok(data.len()),
      Body::File(d) => len_u64(d.len()),
    };
    if data.is_empty() {
      return Ok(0);
    }
    if offset > i64::MAX as u64 {
      return Err(Errno::EINVAL);
    }
    let end = offset
      .checked_add(len_u64(data.len()))
      .ok_or(Errno::EFBIG)?;
    let new_len = old.max(end);
    self.check_size(old, new_len)?;
    let max = self.max_file_len();
    let now = self.now();
    let n = self.node_mut(ino)?;
    let Body::File(buf) = &mut n.body else {
      return Err(Errno::EIO);
    };
    // Both fit: new_len <= max_file_size, which was checked against usize.
    let (start, new_len) = (offset as usize, new_len as usize);
    if new_len > buf.len() {
      grow(buf, new_len, max)?;
    }
    buf[start..start + data.len()].copy_from_slice(data);
    n.mtime = now;
    n.ctime = now;
    self.bytes = self
      .bytes
      .saturating_add(len_u64(new_len).saturating_sub(old));
    Ok(data.len())
  }

  /// `max_file_size` as a usize (it bounds every buffer).
  fn max_file_len(&self) -> usize {
    usize::try_from(self.limits.max_file_size).unwrap_or(usize::MAX)
  }

  /// EFBIG if a file may not be `new_len` long, ENOSPC if growing it from
  /// `old` does not fit.
  fn check_size(&self, old: u64, new_len: u64) -> Result<(), Errno> {
    if new_len > self.limits.max_file_size || usize::try_from(new_len).is_err() {
      return Err(Errno::EFBIG);
    }
    self.check_room(new_len.saturating_sub(old), 0)
  }

  /// Appends `data`; returns the new size.
  pub fn append(&mut self, ino: Ino, data: &[u8]) -> Result<u64, Errno> {
    let size = match &self.node(ino)?.body {
      Body::File(d) => len_u64(d.len()),
      Body::Dir(_) => return Err(Errno::EISDIR),
      Body::Symlink(_) => return Err(Errno::EINVAL),
      Body::Device(_) => return Ok(0),
    };
    self.write_at(ino, size, data)?;
    Ok(size.saturating_add(len_u64(data.len())))
  }

  pub fn truncate_ino(&mut self, ino: Ino, len: u64) -> Result<(), Errno> {
    let old = match &self.node(ino)?.body {
      Body::File(d) => len_u64(d.len()),
      Body::Dir(_) => return Err(Errno::EISDIR),
      _ => return Err(Errno::EINVAL),
    };
    self.check_size(old, len)?;
    let max = self.max_file_len();
    let now = self.now();
    let n = self.node_mut(ino)?;
    let Body::File(buf) = &mut n.body else {
      return Err(Errno::EIO);
    };
    let new_len = len as usize;
    if new_len > buf.len() {
      grow(buf, new_len, max)?;
    } else {
      shrink(buf, new_len);
    }
    n.mtime = now;
    n.ctime = now;
    self.bytes = self.bytes.saturating_sub(old).saturating_add(len);
    Ok(())
  }

  pub fn truncate(&mut self, cred: Cred, path: &str, len: u64) -> Result<(), Errno> {
    let ino = self.lookup(cred, path, true)?;
    let n = self.node(ino)?;
    if n.is_dir() {
      return Err(Errno::EISDIR);
    }
    if !n.permits(cred, W_OK) {
      return Err(Errno::EACCES);
    }
    self.truncate_ino(ino, len)
  }

  /// A whole file in one call, without a copy. `/dev/null` is empty and
  /// `/dev/zero`, endless, is EFBIG.
  pub fn read_file(&mut self, cred: Cred, path: &str) -> Result<&[u8], Errno> {
    let ino = self.lookup(cred, path, true)?;
    let n = self.node(ino)?;
    match n.body {
      Body::Dir(_) => return Err(Errno::EISDIR),
      Body::Symlink(_) => return Err(Errno::ELOOP),
      Body::Device(Device::Zero) => return Err(Errno::EFBIG),
      Body::Device(Device::Null) | Body::File(_) => {}
    }
    if !n.permits(cred, R_OK) {
      return Err(Errno::EACCES);
    }
    if n.atime_stale() && matches!(n.body, Body::File(_)) {
      let now = self.now();
      self.node_mut(ino)?.atime = now;
    }
    match &self.node(ino)?.body {
      Body::File(d) => Ok(d),
      _ => Ok(&[]),
    }
  }

  /// `writeFile`/`appendFile` in one call: open per `flags` (write is
  /// implied), write, close. A failed write changes nothing, not even the
  /// entry the open made.
  pub fn write_file(
    &mut self,
    cred: Cred,
    path: &str,
    data: &[u8],
    flags: OpenFlags,
    mode: u32,
  ) -> Result<(), Errno> {
    let flags = OpenFlags {
      write: true,
      ..flags
    };
    let (ino, created) = self.open_inner(cred, path, flags, mode, false)?;
    let result = self.write_whole(ino, data, flags);
    self.close(ino);
    if let (Err(_), Some(c)) = (&result, created) {
      let _ = self.remove_entry(c.parent, &c.name, c.parent_mtime);
      if let Ok(p) = self.node_mut(c.parent) {
        p.ctime = c.parent_ctime;
      }
    }
    result
  }

  /// The write of [`Vfs::write_file`] on an open inode: replaces the
  /// content (trunc), appends, or overwrites from offset 0.
  fn write_whole(&mut self, ino: Ino, data: &[u8], flags: OpenFlags) -> Result<(), Errno> {
    let old = match &self.node(ino)?.body {
      Body::File(d) => len_u64(d.len()),
      Body::Dir(_) => return Err(Errno::EISDIR),
      Body::Symlink(_) => return Err(Errno::EINVAL),
      Body::Device(_) => return Ok(()),
    };
    let len = len_u64(data.len());
    if flags.append {
      return self.write_at(ino, old, data).map(drop);
    }
    if !flags.trunc {
      return self.write_at(ino, 0, data).map(drop);
    }
    self.check_size(old, len)?;
    let now = self.now();
    let n = self.node_mut(ino)?;
    let Body::File(buf) = &mut n.body else {
      return Err(Errno::EIO);
    };
    if data.len() > buf.capacity() || buf.capacity() / 2 > data.len() {
      let mut fresh = Vec::new();
      fresh
        .try_reserve_exact(data.len())
        .map_err(|_| Errno::ENOMEM)?;
      *buf = fresh;
    }
    buf.clear();
    buf.extend_from_slice(data);
    n.mtime = now;
    n.ctime = now;
    self.bytes = self.bytes.saturating_sub(old).saturating_add(len);
    Ok(())
  }

  /// `copyFile`: `dst` gets `src`'s bytes and mode; `excl` fails on an
  /// existing `dst`. Copying a file onto itself does nothing.
  pub fn copy_file(&mut self, cred: Cred, src: &str, dst: &str, excl: bool) -> Result<(), Errno> {
    let s = self.lookup(cred, src, true)?;
    let n = self.node(s)?;
    let data = match &n.body {
      Body::File(d) => d.as_slice(),
      Body::Device(Device::Null) => &[],
      Body::Device(Device::Zero) => return Err(Errno::EFBIG),
      Body::Dir(_) => return Err(Errno::EISDIR),
      Body::Symlink(_) => return Err(Errno::ELOOP),
    };
    if !n.permits(cred, R_OK) {
      return Err(Errno::EACCES);
    }
    if !excl && self.resolve(cred, dst, true).ok().and_then(|r| r.ino) == Some(s) {
      return Ok(());
    }
    let perm = n.perm & 0o777;
    self.check_size(0, len_u64(data.len()))?;
    // The copy exists twice for a moment; it is within max_file_size.
    let mut copy = Vec::new();
    copy
      .try_reserve_exact(data.len())
      .map_err(|_| Errno::ENOMEM)?;
    copy.extend_from_slice(data);
    let flags = OpenFlags {
      write: true,
      create: true,
      trunc: true,
      excl,
      ..OpenFlags::default()
    };
    self.write_file(cred, dst, &copy, flags, perm)
  }
}
