//! The in-memory filesystem of one runtime: inodes, directories, symlinks and
//! two devices, with Unix permissions and the runtime's size limits. Guest
//! `fs.*` ops lock it and call one method per syscall; methods return an
//! [`Errno`] and the op adds the syscall name and path.
//!
//! Every input is the guest's: nothing here panics, recurses or reserves
//! memory on the guest's say-so. Path resolution is one function
//! ([`Vfs::resolve_at`] in `path.rs`), where mounts will hook in.
mod path;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use super::error::Errno;
use super::op::STAT_FIELDS;

/// An inode number: a slot index (plus one) in the low 32 bits and the
/// slot's generation in the high 32, so a number is never reused while
/// anyone could still hold it, and a stale one fails with EBADF.
pub type Ino = u64;

/// Longest name of one directory entry (Linux's NAME_MAX).
pub const MAX_NAME_LEN: usize = 255;
/// Symlinks followed in one resolution before ELOOP (Linux's MAXSYMLINKS).
pub const MAX_SYMLINKS: u32 = 40;
/// The device number of this filesystem in every stat.
pub const VFS_DEV: u64 = 0x2d;
/// `st_blksize` of every inode.
pub const BLKSIZE: u64 = 4096;
/// The most a file's buffer is grown past its length when it grows: the
/// slack that keeps many small appends linear, bounded so that the memory
/// behind a file stays close to the bytes counted against `max_bytes`.
const MAX_GROWTH_SLACK: usize = 1 << 20;
/// The root directory's inode number.
pub const ROOT_INO: Ino = 1;

pub const S_IFMT: u32 = 0o170000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFCHR: u32 = 0o020000;
const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;

/// `access()` modes.
pub const F_OK: u32 = 0;
pub const X_OK: u32 = 1;
pub const W_OK: u32 = 2;
pub const R_OK: u32 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timespec {
  pub sec: i64,
  pub nsec: u32,
}

/// The bounds a guest cannot push the filesystem past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VfsLimits {
  /// File data, symlink targets and entry names, in bytes (ENOSPC).
  pub max_bytes: u64,
  /// One file's length (EFBIG).
  pub max_file_size: u64,
  /// A path as given, in bytes (ENAMETOOLONG).
  pub max_path_length: usize,
  /// Live inodes, the root included (ENOSPC).
  pub max_inodes: u64,
}

impl Default for VfsLimits {
  fn default() -> VfsLimits {
    VfsLimits {
      max_bytes: 256 << 20,
      max_file_size: 64 << 20,
      max_path_length: 4096,
      max_inodes: 1_000_000,
    }
  }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
  File,
  Dir,
  Symlink,
  CharDevice,
}

/// Who makes a call: permission checks use these ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cred {
  pub uid: u32,
  pub gid: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
  pub dev: u64,
  pub ino: Ino,
  /// `S_IFMT` bits and permission bits.
  pub mode: u32,
  pub nlink: u64,
  pub uid: u32,
  pub gid: u32,
  pub rdev: u64,
  pub size: u64,
  pub blksize: u64,
  /// 512-byte units.
  pub blocks: u64,
  pub atime: Timespec,
  pub mtime: Timespec,
  pub ctime: Timespec,
  pub birthtime: Timespec,
}

impl Stat {
  pub fn file_type(&self) -> FileType {
    match self.mode & S_IFMT {
      S_IFDIR => FileType::Dir,
      S_IFLNK => FileType::Symlink,
      S_IFCHR => FileType::CharDevice,
      _ => FileType::File,
    }
  }

  /// The fields in Node's `statValues` order (see [`STAT_FIELDS`]).
  pub fn to_node_fields(&self) -> [f64; STAT_FIELDS] {
    let t = |t: Timespec| (t.sec as f64, f64::from(t.nsec));
    let (a, an) = t(self.atime);
    let (m, mn) = t(self.mtime);
    let (c, cn) = t(self.ctime);
    let (b, bn) = t(self.birthtime);
    [
      self.dev as f64,
      f64::from(self.mode),
      self.nlink as f64,
      f64::from(self.uid),
      f64::from(self.gid),
      self.rdev as f64,
      self.blksize as f64,
      self.ino as f64,
      self.size as f64,
      self.blocks as f64,
      a,
      an,
      m,
      mn,
      c,
      cn,
      b,
      bn,
    ]
  }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenFlags {
  pub read: bool,
  pub write: bool,
  pub append: bool,
  pub create: bool,
  pub excl: bool,
  pub trunc: bool,
  pub directory: bool,
  pub nofollow: bool,
}

impl OpenFlags {
  /// Linux `open()` flags; bits with no meaning here (O_SYNC, O_CLOEXEC...)
  /// are ignored. An access mode of 3 is read and write.
  pub fn from_linux(flags: i32) -> OpenFlags {
    let acc = flags & 3;
    OpenFlags {
      read: acc != 1,
      write: acc != 0,
      append: flags & 0o2000 != 0,
      create: flags & 0o100 != 0,
      excl: flags & 0o200 != 0,
      trunc: flags & 0o1000 != 0,
      directory: flags & 0o200000 != 0,
      nofollow: flags & 0o400000 != 0,
    }
  }
}

/// glibc's `makedev`.
pub const fn makedev(major: u64, minor: u64) -> u64 {
  ((major & 0xffff_f000) << 32)
    | ((major & 0xfff) << 8)
    | ((minor & 0xffff_ff00) << 12)
    | (minor & 0xff)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Device {
  Null,
  Zero,
}

impl Device {
  fn rdev(self) -> u64 {
    match self {
      Device::Null => makedev(1, 3),
      Device::Zero => makedev(1, 5),
    }
  }
}

struct Dir {
  entries: BTreeMap<String, Ino>,
  /// `..`; the root's is itself.
  parent: Ino,
  /// This directory's entry name in its parent (a directory has one name),
  /// kept for `realpath` so it never scans a parent's entries.
  name: String,
}

enum Body {
  File(Vec<u8>),
  Dir(Dir),
  Symlink(String),
  Device(Device),
}

struct Inode {
  body: Body,
  /// Permission bits (`0o7777`); the type bits come from `body`.
  perm: u32,
  uid: u32,
  gid: u32,
  nlink: u64,
  /// Open references (fds, in-flight calls): an unlinked inode lives on
  /// until the last one is dropped.
  opens: u64,
  atime: Timespec,
  mtime: Timespec,
  ctime: Timespec,
  birthtime: Timespec,
}

impl Inode {
  fn is_dir(&self) -> bool {
    matches!(self.body, Body::Dir(_))
  }

  fn file_type(&self) -> FileType {
    match self.body {
      Body::File(_) => FileType::File,
      Body::Dir(_) => FileType::Dir,
      Body::Symlink(_) => FileType::Symlink,
      Body::Device(_) => FileType::CharDevice,
    }
  }

  /// Bytes this inode's own content counts against `max_bytes` (a
  /// directory's names are counted as entries, not here).
  fn content_bytes(&self) -> u64 {
    match &self.body {
      Body::File(d) => d.len() as u64,
      Body::Symlink(t) => t.len() as u64,
      Body::Dir(_) | Body::Device(_) => 0,
    }
  }

  fn dir(&self) -> Result<&Dir, Errno> {
    match &self.body {
      Body::Dir(d) => Ok(d),
      _ => Err(Errno::ENOTDIR),
    }
  }

  fn dir_mut(&mut self) -> Result<&mut Dir, Errno> {
    match &mut self.body {
      Body::Dir(d) => Ok(d),
      _ => Err(Errno::ENOTDIR),
    }
  }

  /// Unix permission bits for `cred`; root passes read and write, and
  /// execute on a directory or on anything with an execute bit.
  fn permits(&self, cred: Cred, want: u32) -> bool {
    if cred.uid == 0 {
      return want & X_OK == 0 || self.is_dir() || self.perm & 0o111 != 0;
    }
    let bits = if cred.uid == self.uid {
      self.perm >> 6
    } else if cred.gid == self.gid {
      self.perm >> 3
    } else {
      self.perm
    } & 7;
    bits & want == want
  }

  fn owned_by(&self, cred: Cred) -> bool {
    cred.uid == 0 || cred.uid == self.uid
  }

  /// relatime without its 24-hour rule: a read moves atime only if it is
  /// not already past the last change, so most reads write nothing.
  fn atime_stale(&self) -> bool {
    self.atime <= self.mtime || self.atime <= self.ctime
  }

  fn stat(&self, ino: Ino) -> Stat {
    let (ifmt, rdev) = match &self.body {
      Body::File(_) => (S_IFREG, 0),
      Body::Dir(_) => (S_IFDIR, 0),
      Body::Symlink(_) => (S_IFLNK, 0),
      Body::Device(d) => (S_IFCHR, d.rdev()),
    };
    let size = match &self.body {
      Body::Dir(_) => BLKSIZE,
      _ => self.content_bytes(),
    };
    Stat {
      dev: VFS_DEV,
      ino,
      mode: ifmt | self.perm,
      nlink: self.nlink,
      uid: self.uid,
      gid: self.gid,
      rdev,
      size,
      blksize: BLKSIZE,
      blocks: size.div_ceil(BLKSIZE).saturating_mul(8),
      atime: self.atime,
      mtime: self.mtime,
      ctime: self.ctime,
      birthtime: self.birthtime,
    }
  }
}

struct Slot {
  generation: u32,
  inode: Option<Inode>,
}

fn slot_index(ino: Ino) -> Option<(usize, u32)> {
  let low = ino & 0xffff_ffff;
  let index = usize::try_from(low.checked_sub(1)?).ok()?;
  Some((index, (ino >> 32) as u32))
}

fn make_ino(index: usize, generation: u32) -> Ino {
  (u64::from(generation) << 32) | (index as u64 + 1)
}

fn get(slots: &[Slot], ino: Ino) -> Result<&Inode, Errno> {
  let (i, g) = slot_index(ino).ok_or(Errno::EBADF)?;
  match slots.get(i) {
    Some(Slot {
      generation,
      inode: Some(n),
    }) if *generation == g => Ok(n),
    _ => Err(Errno::EBADF),
  }
}

fn get_mut(slots: &mut [Slot], ino: Ino) -> Result<&mut Inode, Errno> {
  let (i, g) = slot_index(ino).ok_or(Errno::EBADF)?;
  match slots.get_mut(i) {
    Some(Slot {
      generation,
      inode: Some(n),
    }) if *generation == g => Ok(n),
    _ => Err(Errno::EBADF),
  }
}

/// Names that resolve but are no entry: the root (""), "." and "..".
fn is_special(name: &str) -> bool {
  matches!(name, "" | "." | "..")
}

fn len_u64(n: usize) -> u64 {
  n as u64
}

/// Grows `buf` to `new_len` zero-filled, with bounded slack; fails with
/// ENOMEM rather than aborting when the allocator says no.
fn grow(buf: &mut Vec<u8>, new_len: usize, max_len: usize) -> Result<(), Errno> {
  if new_len > buf.capacity() {
    let slack = new_len
      .min(MAX_GROWTH_SLACK)
      .min(max_len.saturating_sub(new_len));
    let want = new_len.saturating_add(slack);
    buf
      .try_reserve_exact(want.saturating_sub(buf.len()))
      .map_err(|_| Errno::ENOMEM)?;
  }
  buf.resize(new_len, 0);
  Ok(())
}

fn shrink(buf: &mut Vec<u8>, new_len: usize) {
  buf.truncate(new_len);
  if new_len == 0 {
    *buf = Vec::new();
  } else if buf.capacity() / 2 > new_len {
    buf.shrink_to(new_len);
  }
}

/// An entry [`Vfs::open`] made, and its directory's times before, so that
/// a failed `write_file` can take it back.
struct Created {
  parent: Ino,
  name: String,
  parent_mtime: Timespec,
  parent_ctime: Timespec,
}

/// The filesystem of one runtime.
pub struct Vfs {
  slots: Vec<Slot>,
  free: Vec<usize>,
  live: u64,
  bytes: u64,
  limits: VfsLimits,
  clock: Box<dyn Fn() -> Timespec + Send>,
}

impl Vfs {
  pub const GUEST: Cred = Cred {
    uid: 1000,
    gid: 1000,
  };
  pub const ROOT: Cred = Cred { uid: 0, gid: 0 };

  /// An empty root directory (0755, owned by root).
  pub fn new(limits: VfsLimits, clock: Box<dyn Fn() -> Timespec + Send>) -> Vfs {
    let now = clock();
    let root = Inode {
      body: Body::Dir(Dir {
        entries: BTreeMap::new(),
        parent: ROOT_INO,
        name: String::new(),
      }),
      perm: 0o755,
      uid: 0,
      gid: 0,
      nlink: 2,
      opens: 0,
      atime: now,
      mtime: now,
      ctime: now,
      birthtime: now,
    };
    Vfs {
      slots: vec![Slot {
        generation: 0,
        inode: Some(root),
      }],
      free: Vec::new(),
      live: 1,
      bytes: 0,
      limits,
      clock,
    }
  }

  /// A small Linux box: `/tmp` (sticky), `/home/user` and `/workspace`
  /// owned by [`Vfs::GUEST`], `/etc/hostname`, `/dev/null`, `/dev/zero`,
  /// `/usr/bin`. Limits too small for the tree leave out what does not fit.
  pub fn with_default_tree(
    limits: VfsLimits,
    clock: Box<dyn Fn() -> Timespec + Send>,
    hostname: &str,
  ) -> Vfs {
    let mut v = Vfs::new(limits, clock);
    let root = Vfs::ROOT;
    let g = Vfs::GUEST;
    let dirs: [(&str, u32, Cred); 8] = [
      ("/tmp", 0o1777, root),
      ("/home", 0o755, root),
      ("/home/user", 0o755, g),
      ("/workspace", 0o755, g),
      ("/etc", 0o755, root),
      ("/dev", 0o755, root),
      ("/usr", 0o755, root),
      ("/usr/bin", 0o755, root),
    ];
    for (path, mode, owner) in dirs {
      if v.mkdir(root, path, mode).is_ok() {
        let _ = v.chown(root, path, owner.uid, owner.gid, true);
      }
    }
    let mut name = hostname.replace(['\0', '\n'], "");
    name.push('\n');
    let w = OpenFlags {
      write: true,
      create: true,
      trunc: true,
      ..OpenFlags::default()
    };
    let _ = v.write_file(root, "/etc/hostname", name.as_bytes(), w, 0o644);
    for (name, dev) in [("null", Device::Null), ("zero", Device::Zero)] {
      if let Ok(r) = v.resolve(root, "/dev", true) {
        if let Some(dev_dir) = r.ino {
          let _ = v.create(root, dev_dir, name, Body::Device(dev), 0o666);
        }
      }
    }
    v
  }

  pub fn limits(&self) -> VfsLimits {
    self.limits
  }

  /// Bytes counted against `max_bytes`: file data (gaps included), symlink
  /// targets and entry names.
  pub fn bytes_used(&self) -> u64 {
    self.bytes
  }

  /// Live inodes, the root and unlinked-but-open ones included.
  pub fn inode_count(&self) -> u64 {
    self.live
  }

  fn now(&self) -> Timespec {
    (self.clock)()
  }

  fn node(&self, ino: Ino) -> Result<&Inode, Errno> {
    get(&self.slots, ino)
  }

  fn node_mut(&mut self, ino: Ino) -> Result<&mut Inode, Errno> {
    get_mut(&mut self.slots, ino)
  }

  /// Fails with ENOSPC unless `bytes` more bytes and `inodes` more inodes fit.
  fn check_room(&self, bytes: u64, inodes: u64) -> Result<(), Errno> {
    let b = self.bytes.checked_add(bytes).ok_or(Errno::ENOSPC)?;
    let n = self.live.checked_add(inodes).ok_or(Errno::ENOSPC)?;
    // Slot indexes and the inode number's low half are 32-bit.
    let max_inodes = self.limits.max_inodes.min(u64::from(u32::MAX) - 1);
    if b > self.limits.max_bytes || n > max_inodes {
      return Err(Errno::ENOSPC);
    }
    Ok(())
  }

  fn alloc(&mut self, inode: Inode) -> Result<Ino, Errno> {
    self.check_room(0, 1)?;
    let ino = match self.free.pop() {
      Some(i) => {
        let slot = self.slots.get_mut(i).ok_or(Errno::EIO)?;
        slot.inode = Some(inode);
        make_ino(i, slot.generation)
      }
      None => {
        let i = self.slots.len();
        self.slots.push(Slot {
          generation: 0,
          inode: Some(inode),
        });
        make_ino(i, 0)
      }
    };
    self.live += 1;
    Ok(ino)
  }

  /// Frees `ino` if no entry and no open reference holds it.
  fn release_if_unused(&mut self, ino: Ino) {
    let Some((i, g)) = slot_index(ino) else {
      return;
    };
    let Some(slot) = self.slots.get_mut(i) else {
      return;
    };
    if slot.generation != g {
      return;
    }
    match &slot.inode {
      Some(n) if n.nlink == 0 && n.opens == 0 => {}
      _ => return,
    }
    if let Some(n) = slot.inode.take() {
      self.bytes = self.bytes.saturating_sub(n.content_bytes());
      slot.generation = slot.generation.wrapping_add(1);
      self.free.push(i);
      self.live = self.live.saturating_sub(1);
    }
  }

  /// A new inode named `name` in directory `parent`: needs write and
  /// search on `parent` and room for the name, the content and one inode.
  fn create(
    &mut self,
    cred: Cred,
    parent: Ino,
    name: &str,
    body: Body,
    perm: u32,
  ) -> Result<Ino, Errno> {
    if is_special(name) {
      return Err(Errno::EEXIST);
    }
    let p = self.node(parent)?;
    if p.dir()?.entries.contains_key(name) {
      return Err(Errno::EEXIST);
    }
    if !p.permits(cred, W_OK | X_OK) {
      return Err(Errno::EACCES);
    }
    let is_dir = matches!(body, Body::Dir(_));
    let content = match &body {
      Body::Symlink(t) => len_u64(t.len()),
      _ => 0,
    };
    self.check_room(content.saturating_add(len_u64(name.len())), 1)?;
    let now = self.now();
    let ino = self.alloc(Inode {
      body,
      perm: perm & 0o7777,
      uid: cred.uid,
      gid: cred.gid,
      nlink: if is_dir { 2 } else { 1 },
      opens: 0,
      atime: now,
      mtime: now,
      ctime: now,
      birthtime: now,
    })?;
    self.bytes += content;
    self.add_entry(parent, name.to_owned(), ino, is_dir, now)?;
    Ok(ino)
  }

  /// Links `child` as `name` in `parent` (room already checked).
  fn add_entry(
    &mut self,
    parent: Ino,
    name: String,
    child: Ino,
    child_is_dir: bool,
    now: Timespec,
  ) -> Result<(), Errno> {
    let len = len_u64(name.len());
    let p = self.node_mut(parent)?;
    p.dir_mut()?.entries.insert(name, child);
    if child_is_dir {
      p.nlink = p.nlink.saturating_add(1);
    }
    p.mtime = now;
    p.ctime = now;
    self.bytes = self.bytes.saturating_add(len);
    Ok(())
  }

  /// Drops one link of `child` after its entry (of `name_len` bytes) was
  /// taken out of `parent`, and frees it if nothing holds it.
  fn after_entry_removed(
    &mut self,
    parent: Ino,
    name_len: usize,
    child: Ino,
    now: Timespec,
  ) -> Result<(), Errno> {
    self.bytes = self.bytes.saturating_sub(len_u64(name_len));
    let c = self.node_mut(child)?;
    let was_dir = c.is_dir();
    c.nlink = if was_dir {
      0
    } else {
      c.nlink.saturating_sub(1)
    };
    c.ctime = now;
    let p = self.node_mut(parent)?;
    if was_dir {
      p.nlink = p.nlink.saturating_sub(1);
    }
    p.mtime = now;
    p.ctime = now;
    self.release_if_unused(child);
    Ok(())
  }

  fn remove_entry(&mut self, parent: Ino, name: &str, now: Timespec) -> Result<(), Errno> {
    let child = self
      .node_mut(parent)?
      .dir_mut()?
      .entries
      .remove(name)
      .ok_or(Errno::ENOENT)?;
    self.after_entry_removed(parent, name.len(), child, now)
  }

  /// Write and search on `dir` to take `victim` out of it, and the sticky
  /// bit's rule: only the owner of the entry or of the directory, or root.
  fn may_delete(&self, cred: Cred, dir: Ino, victim: Ino) -> Result<(), Errno> {
    let d = self.node(dir)?;
    if !d.permits(cred, W_OK | X_OK) {
      return Err(Errno::EACCES);
    }
    let v = self.node(victim)?;
    if d.perm & S_ISVTX != 0 && cred.uid != 0 && cred.uid != d.uid && cred.uid != v.uid {
      return Err(Errno::EPERM);
    }
    Ok(())
  }

  /// The inode `path` names (following a final symlink when `follow`).
  fn lookup(&self, cred: Cred, path: &str, follow: bool) -> Result<Ino, Errno> {
    self.resolve(cred, path, follow)?.ino.ok_or(Errno::ENOENT)
  }

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
    let r = self.resolve(cred, path, !(flags.nofollow || exclusive))?;
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
      Body::Dir(_) if flags.write || flags.trunc => return Err(Errno::EISDIR),
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
    let r = self.resolve(cred, path, true)?;
    let ino = r.ino.ok_or(Errno::ENOENT)?;
    let n = self.node(ino)?;
    // A directory knows its own name; a file's is the one it was reached by.
    let (mut dir, leaf): (Ino, Option<&str>) = if n.is_dir() {
      (ino, None)
    } else {
      (r.parent, Some(&r.name))
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

  /// Checks every invariant (for tests): link counts, byte and inode
  /// totals, entries, reachability, parent links.
  pub fn check_consistency(&self) -> Result<(), String> {
    let mut refs: Vec<u64> = vec![0; self.slots.len()];
    let mut subdirs: Vec<u64> = vec![0; self.slots.len()];
    let mut live = 0u64;
    let mut bytes = 0u64;
    for (i, slot) in self.slots.iter().enumerate() {
      let Some(n) = &slot.inode else { continue };
      live += 1;
      bytes += n.content_bytes();
      let ino = make_ino(i, slot.generation);
      let Body::Dir(d) = &n.body else { continue };
      if n.nlink == 0 && !d.entries.is_empty() {
        return Err(format!("unlinked dir {ino} has entries"));
      }
      for (name, &child) in &d.entries {
        if is_special(name) || name.contains(['/', '\0']) || name.len() > MAX_NAME_LEN {
          return Err(format!("bad entry name {name:?} in {ino}"));
        }
        bytes += len_u64(name.len());
        let c = get(&self.slots, child)
          .map_err(|_| format!("entry {name:?} in {ino} points at dead inode {child}"))?;
        let (ci, _) = slot_index(child).ok_or("bad ino")?;
        refs[ci] += 1;
        if let Body::Dir(cd) = &c.body {
          subdirs[i] += 1;
          if cd.parent != ino {
            return Err(format!(
              "dir {child} ({name:?}) has parent {} not {ino}",
              cd.parent
            ));
          }
          if cd.name != *name {
            return Err(format!(
              "dir {child} is named {:?}, entry {name:?}",
              cd.name
            ));
          }
        }
      }
    }
    if live != self.live {
      return Err(format!("live count {} but {live} inodes", self.live));
    }
    if bytes != self.bytes {
      return Err(format!("bytes_used {} but recomputed {bytes}", self.bytes));
    }
    for (i, slot) in self.slots.iter().enumerate() {
      let Some(n) = &slot.inode else {
        if !self.free.contains(&i) {
          return Err(format!("empty slot {i} not on the free list"));
        }
        continue;
      };
      let ino = make_ino(i, slot.generation);
      let want = match &n.body {
        Body::Dir(_) if ino == ROOT_INO => 2 + subdirs[i],
        Body::Dir(_) if refs[i] == 0 => 0,
        Body::Dir(_) if refs[i] == 1 => 2 + subdirs[i],
        Body::Dir(_) => return Err(format!("dir {ino} has {} entries", refs[i])),
        _ => refs[i],
      };
      if ino == ROOT_INO && refs[i] != 0 {
        return Err("the root is an entry".into());
      }
      if n.nlink != want {
        return Err(format!(
          "inode {ino}: nlink {} but {want} expected",
          n.nlink
        ));
      }
      if n.nlink == 0 && n.opens == 0 {
        return Err(format!("inode {ino} is unlinked and closed but alive"));
      }
    }
    // Reachability from the root, iteratively.
    let mut seen = vec![false; self.slots.len()];
    seen[0] = true;
    let mut queue = vec![ROOT_INO];
    while let Some(d) = queue.pop() {
      let Ok(Body::Dir(dir)) = get(&self.slots, d).map(|n| &n.body) else {
        continue;
      };
      for &child in dir.entries.values() {
        let (ci, _) = slot_index(child).ok_or("bad ino")?;
        if !seen[ci] {
          seen[ci] = true;
          queue.push(child);
        }
      }
    }
    for (i, slot) in self.slots.iter().enumerate() {
      if let Some(n) = &slot.inode {
        if !seen[i] && (n.opens == 0 || n.nlink != 0) {
          return Err(format!(
            "inode {} unreachable",
            make_ino(i, slot.generation)
          ));
        }
      }
    }
    Ok(())
  }
}
