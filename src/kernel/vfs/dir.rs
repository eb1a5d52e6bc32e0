//! Directory entries: making and removing them (mkdir, unlink, rmdir,
//! `rm -r`), moving them (rename), links and symlinks, and listing them.
use super::*;

impl Vfs {
  pub fn mkdir(&mut self, cred: Cred, path: &str, mode: u32) -> Result<(), Errno> {
    let r = self.resolve(cred, path, false)?;
    if r.ino.is_some() {
      return Err(Errno::EEXIST);
    }
    self.make_dir(cred, r.parent, &r.name, mode).map(drop)
  }

  fn make_dir(&mut self, cred: Cred, parent: Ino, name: &str, mode: u32) -> Result<Ino, Errno> {
    let body = Body::Dir(Dir {
      entries: BTreeMap::new(),
      parent,
      name: name.to_owned(),
    });
    // mkdir() takes no set-id bits from its mode.
    self.create(cred, parent, name, body, mode & 0o1777)
  }

  /// Node's recursive mkdir: makes every missing directory of `path` and
  /// returns the first one it made (`None` if all existed). One pass over
  /// the components, so a 100,000-deep path is linear.
  pub fn mkdir_all(&mut self, cred: Cred, path: &str, mode: u32) -> Result<Option<String>, Errno> {
    self.check_path(path)?;
    let mut first = None;
    let mut cur = ROOT_INO;
    let mut rest = path;
    let mut consumed = 0;
    loop {
      let trimmed = rest.trim_start_matches('/');
      consumed += rest.len() - trimmed.len();
      if trimmed.is_empty() {
        return Ok(first);
      }
      let end = trimmed.find('/').unwrap_or(trimmed.len());
      let comp = &trimmed[..end];
      rest = &trimmed[end..];
      consumed += end;
      let last = rest.bytes().all(|b| b == b'/');
      if comp.len() > MAX_NAME_LEN {
        return Err(Errno::ENAMETOOLONG);
      }
      let d = self.node(cur)?;
      if !d.permits(cred, X_OK) {
        return Err(Errno::EACCES);
      }
      let dir = d.dir()?;
      if comp == "." {
        continue;
      }
      if comp == ".." {
        cur = dir.parent;
        continue;
      }
      let Some(child) = dir.entries.get(comp).copied() else {
        cur = self.make_dir(cred, cur, comp, mode)?;
        if first.is_none() {
          first = Some(path[..consumed].to_owned());
        }
        continue;
      };
      let target = match self.node(child)?.body {
        // A link in the chain counts as what it points at.
        Body::Symlink(_) => self.resolve_at(cred, cur, comp, true)?.ino,
        _ => Some(child),
      };
      let Some(target) = target else {
        return Err(Errno::ENOENT);
      };
      if !self.node(target)?.is_dir() {
        return Err(if last { Errno::EEXIST } else { Errno::ENOTDIR });
      }
      cur = target;
    }
  }

  pub fn rmdir(&mut self, cred: Cred, path: &str) -> Result<(), Errno> {
    let r = self.resolve(cred, path, false)?;
    match &*r.name {
      "" => return Err(Errno::EBUSY),
      "." => return Err(Errno::EINVAL),
      ".." => return Err(Errno::ENOTEMPTY),
      _ => {}
    }
    let ino = r.ino.ok_or(Errno::ENOENT)?;
    if r.followed_last {
      return Err(Errno::ENOTDIR);
    }
    if !self.node(ino)?.dir()?.entries.is_empty() {
      return Err(Errno::ENOTEMPTY);
    }
    self.may_delete(cred, r.parent, ino)?;
    let now = self.now();
    self.remove_entry(r.parent, &r.name, now)
  }

  pub fn unlink(&mut self, cred: Cred, path: &str) -> Result<(), Errno> {
    let r = self.resolve(cred, path, false)?;
    if is_special(&r.name) {
      return Err(Errno::EISDIR);
    }
    let ino = r.ino.ok_or(Errno::ENOENT)?;
    if r.followed_last {
      return Err(Errno::ENOTDIR);
    }
    if self.node(ino)?.is_dir() {
      return Err(Errno::EISDIR);
    }
    self.may_delete(cred, r.parent, ino)?;
    let now = self.now();
    self.remove_entry(r.parent, &r.name, now)
  }

  /// `rm -r`: a symlink is removed, never followed. Iterative: one stack of
  /// the directories being emptied. A failure part way leaves what was not
  /// yet removed (as `rm -r` does). The root is emptied, then EBUSY.
  pub fn remove_all(&mut self, cred: Cred, path: &str) -> Result<(), Errno> {
    let r = self.resolve(cred, path, false)?;
    if matches!(&*r.name, "." | "..") {
      return Err(Errno::EINVAL);
    }
    let ino = r.ino.ok_or(Errno::ENOENT)?;
    if r.followed_last {
      return Err(Errno::ENOTDIR);
    }
    if !self.node(ino)?.is_dir() {
      return self.unlink(cred, path);
    }
    if !self.node(ino)?.permits(cred, R_OK | X_OK) {
      return Err(Errno::EACCES);
    }
    let now = self.now();
    let mut stack = vec![ino];
    while let Some(&d) = stack.last() {
      let Some((_, &child)) = self.node(d)?.dir()?.entries.first_key_value() else {
        stack.pop();
        continue;
      };
      let c = self.node(child)?;
      if let Body::Dir(cd) = &c.body {
        if !cd.entries.is_empty() {
          if !c.permits(cred, R_OK | X_OK) {
            return Err(Errno::EACCES);
          }
          stack.push(child);
          continue;
        }
      }
      self.may_delete(cred, d, child)?;
      let (name, child) = self
        .node_mut(d)?
        .dir_mut()?
        .entries
        .pop_first()
        .ok_or(Errno::EIO)?;
      self.after_entry_removed(d, name.len(), child, now)?;
    }
    if ino == ROOT_INO {
      return Err(Errno::EBUSY);
    }
    self.may_delete(cred, r.parent, ino)?;
    self.remove_entry(r.parent, &r.name, now)
  }

  pub fn rename(&mut self, cred: Cred, from: &str, to: &str) -> Result<(), Errno> {
    let f = self.resolve(cred, from, false)?;
    let t = self.resolve(cred, to, false)?;
    if is_special(&f.name) || is_special(&t.name) {
      return Err(Errno::EBUSY);
    }
    let src = f.ino.ok_or(Errno::ENOENT)?;
    if f.followed_last || t.followed_last {
      return Err(Errno::ENOTDIR);
    }
    let src_dir = self.node(src)?.is_dir();
    if !src_dir && (f.trailing_slash || t.trailing_slash) {
      return Err(Errno::ENOTDIR);
    }
    if let Some(dst) = t.ino {
      if dst == src {
        return Ok(());
      }
      let d = self.node(dst)?;
      match (src_dir, &d.body) {
        (true, Body::Dir(dd)) if !dd.entries.is_empty() => return Err(Errno::ENOTEMPTY),
        (true, Body::Dir(_)) => {}
        (true, _) => return Err(Errno::ENOTDIR),
        (false, Body::Dir(_)) => return Err(Errno::EISDIR),
        (false, _) => {}
      }
    }
    if src_dir {
      // Never into its own subtree. The walk is bounded by the depth, and
      // by the inode count should a parent chain ever be corrupt.
      let mut a = t.parent;
      let mut steps = 0u64;
      loop {
        if a == src {
          return Err(Errno::EINVAL);
        }
        if a == ROOT_INO || steps > self.live {
          break;
        }
        a = self.node(a)?.dir()?.parent;
        steps += 1;
      }
    }
    self.may_delete(cred, f.parent, src)?;
    match t.ino {
      Some(dst) => self.may_delete(cred, t.parent, dst)?,
      None if !self.node(t.parent)?.permits(cred, W_OK | X_OK) => return Err(Errno::EACCES),
      None => {}
    }
    // A moved directory's ".." changes: that is a write to it.
    if src_dir && f.parent != t.parent && !self.node(src)?.permits(cred, W_OK) {
      return Err(Errno::EACCES);
    }
    if t.ino.is_none() {
      self.check_room(
        len_u64(t.name.len()).saturating_sub(len_u64(f.name.len())),
        0,
      )?;
    }

    let now = self.now();
    let fp = self.node_mut(f.parent)?;
    fp.dir_mut()?.entries.remove(&*f.name).ok_or(Errno::EIO)?;
    if src_dir {
      fp.nlink = fp.nlink.saturating_sub(1);
    }
    fp.mtime = now;
    fp.ctime = now;
    self.bytes = self.bytes.saturating_sub(len_u64(f.name.len()));
    let tname = t.name.into_owned();
    match t.ino {
      Some(dst) => {
        let tp = self.node_mut(t.parent)?;
        tp.dir_mut()?.entries.insert(tname.clone(), src);
        // The replaced inode loses this link; the entry name stays counted.
        self.bytes = self.bytes.saturating_add(len_u64(tname.len()));
        self.after_entry_removed(t.parent, tname.len(), dst, now)?;
      }
      None => {
        self
          .node_mut(t.parent)?
          .dir_mut()?
          .entries
          .insert(tname.clone(), src);
        self.bytes = self.bytes.saturating_add(len_u64(tname.len()));
      }
    }
    let tp = self.node_mut(t.parent)?;
    if src_dir {
      tp.nlink = tp.nlink.saturating_add(1);
    }
    tp.mtime = now;
    tp.ctime = now;
    let s = self.node_mut(src)?;
    s.ctime = now;
    if let Body::Dir(d) = &mut s.body {
      d.parent = t.parent;
      d.name = tname;
    }
    Ok(())
  }

  /// A hard link. Directories cannot be linked (EPERM); as with Linux's
  /// `protected_hardlinks`, a non-owner needs read and write on the file.
  pub fn link(&mut self, cred: Cred, existing: &str, new: &str) -> Result<(), Errno> {
    let src = self.lookup(cred, existing, false)?;
    let s = self.node(src)?;
    if s.is_dir() {
      return Err(Errno::EPERM);
    }
    if cred.uid != 0
      && cred.uid != s.uid
      && !(matches!(s.body, Body::File(_)) && s.permits(cred, R_OK | W_OK))
    {
      return Err(Errno::EPERM);
    }
    let r = self.resolve(cred, new, false)?;
    if r.ino.is_some() {
      return Err(Errno::EEXIST);
    }
    if r.trailing_slash {
      return Err(Errno::ENOENT);
    }
    if !self.node(r.parent)?.permits(cred, W_OK | X_OK) {
      return Err(Errno::EACCES);
    }
    self.check_room(len_u64(r.name.len()), 0)?;
    let nlink = self.node(src)?.nlink.checked_add(1).ok_or(Errno::ENOSPC)?;
    let now = self.now();
    self.add_entry(r.parent, r.name.into_owned(), src, false, now)?;
    let s = self.node_mut(src)?;
    s.nlink = nlink;
    s.ctime = now;
    Ok(())
  }

  /// A symlink at `path` holding `target` verbatim (relative or dangling).
  pub fn symlink(&mut self, cred: Cred, target: &str, path: &str) -> Result<(), Errno> {
    if target.is_empty() {
      return Err(Errno::ENOENT);
    }
    if target.as_bytes().contains(&0) {
      return Err(Errno::EINVAL);
    }
    if target.len() > self.limits.max_path_length {
      return Err(Errno::ENAMETOOLONG);
    }
    let r = self.resolve(cred, path, false)?;
    if r.ino.is_some() {
      return Err(Errno::EEXIST);
    }
    if r.trailing_slash {
      return Err(Errno::ENOENT);
    }
    let body = Body::Symlink(target.to_owned());
    self.create(cred, r.parent, &r.name, body, 0o777).map(drop)
  }

  pub fn readlink(&self, cred: Cred, path: &str) -> Result<String, Errno> {
    match &self.node(self.lookup(cred, path, false)?)?.body {
      Body::Symlink(t) => Ok(t.clone()),
      _ => Err(Errno::EINVAL),
    }
  }

  /// The canonical path: no symlink, `.`, `..` or repeated slash.
  pub fn realpath(&self, cred: Cred, path: &str) -> Result<String, Errno> {
    self.canonical(cred, path, true, false)
  }

  /// The canonical path of the entry an operation on `path` acts on, by
  /// the same walk the operation makes (the last symlink followed when
  /// `follow` or a trailing slash says so): for a name that does not exist
  /// yet (a name to create, a dangling symlink's target), where it would
  /// be made. What the policy judges.
  pub fn entry_path(&self, cred: Cred, path: &str, follow: bool) -> Result<String, Errno> {
    self.canonical(cred, path, follow, true)
  }

  fn canonical(
    &self,
    cred: Cred,
    path: &str,
    follow: bool,
    missing_ok: bool,
  ) -> Result<String, Errno> {
    let r = self.resolve(cred, path, follow)?;
    // A directory knows its own name; a file's is the one it was reached by.
    let (mut dir, leaf): (Ino, Option<&str>) = match r.ino {
      Some(ino) if self.node(ino)?.is_dir() => (ino, None),
      Some(_) => (r.parent, Some(&r.name)),
      None if missing_ok => (r.parent, Some(&r.name)),
      None => return Err(Errno::ENOENT),
    };
    let mut names: Vec<&str> = Vec::new();
    let mut len = 0usize;
    while dir != ROOT_INO {
      let d = self.node(dir)?.dir()?;
      len = len.saturating_add(d.name.len() + 1);
      if len > self.limits.max_path_length || names.len() as u64 > self.live {
        return Err(Errno::ENAMETOOLONG);
      }
      names.push(&d.name);
      dir = d.parent;
    }
    let mut out = String::with_capacity(len + leaf.map_or(1, |l| l.len() + 1));
    for name in names.iter().rev() {
      out.push('/');
      out.push_str(name);
    }
    if let Some(l) = leaf {
      out.push('/');
      out.push_str(l);
    }
    if out.is_empty() {
      out.push('/');
    }
    if out.len() > self.limits.max_path_length {
      return Err(Errno::ENAMETOOLONG);
    }
    Ok(out)
  }

  /// Entry names and types, sorted by name, without `.` and `..`.
  pub fn readdir(&self, cred: Cred, path: &str) -> Result<Vec<(String, FileType)>, Errno> {
    let n = self.node(self.lookup(cred, path, true)?)?;
    let dir = n.dir()?;
    if !n.permits(cred, R_OK) {
      return Err(Errno::EACCES);
    }
    let mut out = Vec::new();
    out
      .try_reserve_exact(dir.entries.len())
      .map_err(|_| Errno::ENOMEM)?;
    for (name, &ino) in &dir.entries {
      out.push((name.clone(), self.node(ino)?.file_type()));
    }
    Ok(out)
  }
}
