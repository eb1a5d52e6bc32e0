//! Inode attributes: stat, access checks, mode, owner and times.
use super::*;

impl Vfs {
  pub fn stat(&self, cred: Cred, path: &str, follow: bool) -> Result<Stat, Errno> {
    let ino = self.lookup(cred, path, follow)?;
    self.stat_ino(ino)
  }

  pub fn stat_ino(&self, ino: Ino) -> Result<Stat, Errno> {
    Ok(self.node(ino)?.stat(ino))
  }

  /// `access()`: F_OK (0) or any of R_OK, W_OK, X_OK.
  pub fn access(&self, cred: Cred, path: &str, mode: u32) -> Result<(), Errno> {
    if mode & !7 != 0 {
      return Err(Errno::EINVAL);
    }
    let ino = self.lookup(cred, path, true)?;
    if mode == F_OK || self.node(ino)?.permits(cred, mode) {
      Ok(())
    } else {
      Err(Errno::EACCES)
    }
  }

  /// `chmod`; `follow` false on a symlink is ENOTSUP, as on Linux.
  pub fn chmod(&mut self, cred: Cred, path: &str, mode: u32, follow: bool) -> Result<(), Errno> {
    let ino = self.lookup(cred, path, follow)?;
    if matches!(self.node(ino)?.body, Body::Symlink(_)) {
      return Err(Errno::ENOTSUP);
    }
    self.chmod_ino(cred, ino, mode)
  }

  pub fn chmod_ino(&mut self, cred: Cred, ino: Ino, mode: u32) -> Result<(), Errno> {
    let now = self.now();
    let n = self.node_mut(ino)?;
    if !n.owned_by(cred) {
      return Err(Errno::EPERM);
    }
    let mut perm = mode & 0o7777;
    // Only a member of the group may set its set-group-id bit.
    if cred.uid != 0 && cred.gid != n.gid {
      perm &= !S_ISGID;
    }
    n.perm = perm;
    n.ctime = now;
    Ok(())
  }

  /// `chown`; `u32::MAX` (-1) leaves an id as it is. Only root gives a
  /// file away; an owner may only change the group to its own.
  pub fn chown(
    &mut self,
    cred: Cred,
    path: &str,
    uid: u32,
    gid: u32,
    follow: bool,
  ) -> Result<(), Errno> {
    let ino = self.lookup(cred, path, follow)?;
    self.chown_ino(cred, ino, uid, gid)
  }

  pub fn chown_ino(&mut self, cred: Cred, ino: Ino, uid: u32, gid: u32) -> Result<(), Errno> {
    let now = self.now();
    let n = self.node_mut(ino)?;
    let uid = if uid == u32::MAX { n.uid } else { uid };
    let gid = if gid == u32::MAX { n.gid } else { gid };
    if cred.uid != 0 && (cred.uid != n.uid || uid != n.uid || (gid != n.gid && gid != cred.gid)) {
      return Err(Errno::EPERM);
    }
    n.uid = uid;
    n.gid = gid;
    // A set-id program given away loses its set-id bits.
    if !n.is_dir() {
      n.perm &= !S_ISUID;
      if n.perm & 0o010 != 0 {
        n.perm &= !S_ISGID;
      }
    }
    n.ctime = now;
    Ok(())
  }

  /// Explicit times: only the owner or root may set them.
  pub fn utimes(
    &mut self,
    cred: Cred,
    path: &str,
    atime: Timespec,
    mtime: Timespec,
    follow: bool,
  ) -> Result<(), Errno> {
    let ino = self.lookup(cred, path, follow)?;
    self.utimes_ino(cred, ino, atime, mtime)
  }

  pub fn utimes_ino(
    &mut self,
    cred: Cred,
    ino: Ino,
    atime: Timespec,
    mtime: Timespec,
  ) -> Result<(), Errno> {
    if atime.nsec >= 1_000_000_000 || mtime.nsec >= 1_000_000_000 {
      return Err(Errno::EINVAL);
    }
    let now = self.now();
    let n = self.node_mut(ino)?;
    if !n.owned_by(cred) {
      return Err(Errno::EPERM);
    }
    n.atime = atime;
    n.mtime = mtime;
    n.ctime = now;
    Ok(())
  }
}
