//! The in-memory filesystem of one runtime: inodes, directories, symlinks and
//! two devices, with Unix permissions and the runtime's size limits. Guest
//! `fs.*` ops lock it and call one method per syscall; methods return an
//! [`Errno`] and the op adds the syscall name and path.
//!
//! Every input is the guest's: nothing here panics, recurses or reserves
//! memory on the guest's say-so. Path resolution is one function
//! (`Vfs::resolve_at` in `path.rs`), where mounts will hook in.
mod attr;
mod check;
mod dir;
mod file;
mod path;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

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
  /// Directories that are mount points, and the mount each one is.
  mount_points: HashMap<Ino, u32>,
  /// Where the last walk left the VFS for a mount: (mount, the rest of
  /// the path, relative to the mount's root). Set with `EXDEV`.
  crossing: std::cell::RefCell<Option<(u32, String)>>,
}

impl std::fmt::Debug for Vfs {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.debug_struct("Vfs")
      .field("limits", &self.limits)
      .field("bytes_used", &self.bytes)
      .field("inodes", &self.live)
      .finish_non_exhaustive()
  }
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
      mount_points: HashMap::new(),
      crossing: std::cell::RefCell::new(None),
    }
  }

  /// Makes `path` (created if missing, as root) the mount point of mount
  /// `mount`: every walk that reaches it leaves the VFS there.
  pub fn add_mount(&mut self, path: &str, mount: u32) -> Result<(), Errno> {
    self.mkdir_all(Vfs::ROOT, path, 0o755)?;
    let ino = self
      .resolve(Vfs::ROOT, path, true)?
      .ino
      .ok_or(Errno::ENOENT)?;
    self.mount_points.insert(ino, mount);
    Ok(())
  }

  /// Where `path` leads: `None` when it stays in the VFS, or the mount it
  /// enters and the rest of it, relative to the mount's root.
  pub fn locate(
    &self,
    cred: Cred,
    path: &str,
    follow: bool,
  ) -> Result<Option<(u32, String)>, Errno> {
    if self.mount_points.is_empty() {
      return Ok(None);
    }
    self.crossing.borrow_mut().take();
    match self.resolve(cred, path, follow) {
      Ok(_) => Ok(None),
      Err(Errno::EXDEV) => self
        .crossing
        .borrow_mut()
        .take()
        .map(Some)
        .ok_or(Errno::EXDEV),
      Err(e) => Err(e),
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

  #[cfg_attr(not(test), allow(dead_code, reason = "for tests and diagnostics"))]
  pub fn limits(&self) -> VfsLimits {
    self.limits
  }

  /// Bytes counted against `max_bytes`: file data (gaps included), symlink
  /// targets and entry names.
  #[cfg_attr(not(test), allow(dead_code, reason = "for tests and diagnostics"))]
  pub fn bytes_used(&self) -> u64 {
    self.bytes
  }

  /// Live inodes, the root and unlinked-but-open ones included.
  #[cfg_attr(not(test), allow(dead_code, reason = "for tests and diagnostics"))]
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
}
