//! The fs syscalls (`fs_*` in [`super::syscall::OPS`]): guest paths are
//! made absolute against the process's cwd, checked against the `fs`
//! scope, then served by the runtime's [`super::vfs::Vfs`] under the
//! guest's credentials. Errors name the path as the guest gave it, as Node
//! does.
use std::borrow::Cow;

use super::error::{Errno, KernelError, OpError};
use super::fd::OpenFile;
use super::mount;
use super::op::{Fd, GuestBuf, OpResult, OpValue, StrOrBytes};
use super::permission;
use super::policy::{Access, Scope, Verdict};
use super::syscall::OpState;
use super::vfs::{Cred, FileType, OpenFlags, Timespec, Vfs};
use crate::ipc::AuditEvent;

/// Who guest processes are to the VFS: `/home/user`'s owner.
pub const GUEST: Cred = Vfs::GUEST;
/// Default file-creation mask of a guest process.
pub const DEFAULT_UMASK: u32 = 0o022;
/// Node's `fs.constants.COPYFILE_EXCL`.
const COPYFILE_EXCL: u32 = 1;
/// O_ACCMODE of open(2)'s flags.
const O_ACCMODE: i32 = 3;
const O_CREAT: i32 = 0o100;
const O_TRUNC: i32 = 0o1000;

/// `path` made absolute against the process's cwd (not normalized: the VFS
/// resolves `..` through symlinks as the OS does).
fn absolute<'p>(s: &OpState, path: &'p str) -> Result<Cow<'p, str>, Errno> {
  if path.is_empty() {
    return Err(Errno::ENOENT);
  }
  // Bounded before anything else sees it: a host permission function would
  // otherwise be handed a path of any length, once per call.
  let max = s.kernel.max_path_length;
  if path.len() > max || (!path.starts_with('/') && s.process.cwd.len() + 1 + path.len() > max) {
    return Err(Errno::ENAMETOOLONG);
  }
  if path.starts_with('/') {
    Ok(Cow::Borrowed(path))
  } else {
    let cwd = &s.process.cwd;
    let mut p = String::with_capacity(cwd.len() + 1 + path.len());
    p.push_str(cwd);
    if !cwd.ends_with('/') {
      p.push('/');
    }
    p.push_str(path);
    Ok(Cow::Owned(p))
  }
}

/// The limit behind an errno, for audit events.
fn limit_of(e: Errno) -> Option<&'static str> {
  match e {
    Errno::ENOSPC => Some("maxFsBytes"),
    Errno::EFBIG => Some("maxFileSize"),
    Errno::EMFILE => Some("maxOpenFiles"),
    Errno::ENAMETOOLONG => Some("maxPathLength"),
    _ => None,
  }
}

/// Node's error for `syscall` on `path` (as the guest wrote it); a limit
/// hit is also an audit event.
pub(super) fn fail(s: &mut OpState, e: Errno, syscall: &'static str, path: &str) -> OpError {
  if let Some(limit) = limit_of(e) {
    // The path is the guest's: debug only.
    if tracing::enabled!(tracing::Level::DEBUG) {
      let path = crate::log::guest(path);
      tracing::warn!(limit, op = syscall, ?path, "guest hit a filesystem limit");
    } else {
      tracing::warn!(limit, op = syscall, "guest hit a filesystem limit");
    }
    permission::audit(
      s,
      AuditEvent::Limit {
        pid: s.process.pid,
        limit: limit.into(),
        op: syscall.into(),
        target: path.into(),
      },
    );
  }
  KernelError::new(e, syscall).path(path).into()
}

pub(super) fn fail2(
  s: &mut OpState,
  e: Errno,
  syscall: &'static str,
  path: &str,
  dest: &str,
) -> OpError {
  match fail(s, e, syscall, path) {
    OpError::Kernel(k) => k.dest(dest).into(),
    other => other,
  }
}

/// The path the policy judges: `abs` resolved through every symlink (the
/// last one too when `follow`); for a path that does not exist yet, where
/// it would be made. A walk that fails (the operation fails the same way)
/// is judged on its parent resolved plus its name.
pub(super) fn policy_path(vfs: &Vfs, abs: &str, follow: bool) -> String {
  // The walk the operation makes: through a dangling symlink (followed,
  // or named with a trailing slash) to where its target would be made.
  if let Ok(p) = vfs.entry_path(Vfs::ROOT, abs, follow) {
    return p;
  }
  let trimmed = abs.trim_end_matches('/');
  let (parent, name) = match trimmed.rfind('/') {
    Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
    None => ("", trimmed),
  };
  let parent = if parent.is_empty() { "/" } else { parent };
  let base = vfs
    .realpath(Vfs::ROOT, parent)
    .unwrap_or_else(|_| super::policy::normalize(parent));
  match name {
    "" | "." => base,
    ".." => super::policy::normalize(&format!("{base}/..")),
    name if base == "/" => format!("/{name}"),
    name => format!("{base}/{name}"),
  }
}

/// The mount `abs` leads into (walked as the guest), if any. A walk that
/// fails stays with the VFS, which reports the same error.
fn mounted(s: &OpState, abs: &str, follow: bool) -> Option<(u32, String)> {
  if s.kernel.mounts.is_empty() {
    return None;
  }
  s.kernel.vfs().locate(GUEST, abs, follow).ok().flatten()
}

/// May the guest do `access` to `abs` (shown as `path` in errors)? Under
/// path rules, what is returned holds the runtime's fs operations still
/// until it is dropped, after the operation: another process (on another
/// thread) cannot swap a link between the path judged and the one used.
fn permit(
  s: &mut OpState,
  op: &'static str,
  access: Access,
  abs: &str,
  path: &str,
  follow: bool,
) -> OpResult<Option<FsHold>> {
  let fixed = s.kernel.policy.fixed(Scope::Fs);
  if !s.kernel.audit {
    match fixed {
      Some(Verdict::Allow(b)) => {
        permission::log_decision(Scope::Fs, op, path, true, &b);
        return Ok(None);
      }
      Some(Verdict::Deny(b)) => {
        permission::log_decision(Scope::Fs, op, path, false, &b);
        return Err(KernelError::new(Errno::EACCES, op).path(path).into());
      }
      _ => {}
    }
  }
  let on_mount = if s.kernel.mounts.is_empty() {
    None
  } else {
    s.kernel.vfs().locate(Vfs::ROOT, abs, follow).ok().flatten()
  };
  let (target, hold) = match on_mount {
    // The host resolves a mount's paths beneath it itself.
    Some((m, rel)) => (mount::policy_path(s, m, &rel, follow, op, path)?, None),
    None => {
      // Path rules are judged in the kernel at once: the judgement and the
      // operation are one step. (A host function is asked without it: a
      // wait for the host would hold every other process's fs calls.)
      let hold = fixed.is_none().then(|| s.kernel.fs_serial.hold());
      (policy_path(&s.kernel.vfs(), abs, follow), hold)
    }
  };
  permission::fs(s, op, access, &target, path)?;
  Ok(hold)
}

/// A guest path made absolute and allowed, for the operation that follows
/// (it reads as the path).
pub(super) struct Checked<'p> {
  path: Cow<'p, str>,
  _hold: Option<FsHold>,
}

impl std::ops::Deref for Checked<'_> {
  type Target = str;
  fn deref(&self) -> &str {
    &self.path
  }
}

/// Serializes a runtime's fs permission checks under path rules with the
/// operations they allow, across its processes' threads. Reentrant: an
/// operation on two paths holds it twice.
#[derive(Default)]
pub struct FsSerial {
  /// The thread holding it, and how many times.
  state: std::sync::Mutex<(Option<std::thread::ThreadId>, usize)>,
  free: std::sync::Condvar,
}

/// One hold of [`FsSerial`], given back when dropped.
pub struct FsHold(std::sync::Arc<FsSerial>);

impl FsSerial {
  pub fn hold(self: &std::sync::Arc<Self>) -> FsHold {
    let me = std::thread::current().id();
    let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
    loop {
      match st.0 {
        None => {
          *st = (Some(me), 1);
          break;
        }
        Some(owner) if owner == me => {
          st.1 += 1;
          break;
        }
        Some(_) => st = self.free.wait(st).unwrap_or_else(|e| e.into_inner()),
      }
    }
    FsHold(self.clone())
  }
}

impl Drop for FsHold {
  fn drop(&mut self) {
    let mut st = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
    st.1 = st.1.saturating_sub(1);
    if st.1 == 0 {
      st.0 = None;
      self.0.free.notify_one();
    }
  }
}

/// `abs` and the permission for it, in one step (held until the result is
/// dropped, see [`permit`]).
fn checked<'p>(
  s: &mut OpState,
  op: &'static str,
  access: Access,
  path: &'p str,
  follow: bool,
) -> OpResult<Checked<'p>> {
  let abs = absolute(s, path).map_err(|e| fail(s, e, op, path))?;
  let hold = permit(s, op, access, &abs, path, follow)?;
  Ok(Checked {
    path: abs,
    _hold: hold,
  })
}

fn timespec(seconds: f64) -> Timespec {
  if !seconds.is_finite() {
    return Timespec::default();
  }
  let sec = seconds.floor();
  let nsec = ((seconds - sec) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
  Timespec {
    sec: sec.clamp(i64::MIN as f64, i64::MAX as f64) as i64,
    nsec,
  }
}

fn stat_value(st: super::vfs::Stat) -> OpValue<'static> {
  OpValue::Stat(Box::new(st.to_node_fields()))
}

// ---- paths ----

pub fn stat(s: &mut OpState, path: &str, follow: bool) -> OpResult<OpValue<'static>> {
  let op = if follow { "stat" } else { "lstat" };
  let abs = checked(s, op, Access::Read, path, follow)?;
  if let Some((m, rel)) = mounted(s, &abs, follow) {
    return mount::stat(s, m, rel, follow, op, path);
  }
  let r = s.kernel.vfs().stat(GUEST, &abs, follow);
  r.map(stat_value).map_err(|e| fail(s, e, op, path))
}

/// `stat` as a probe: 0 with the fields in `stat_values`, or the negative
/// errno (a denial included), never a throw.
pub fn stat_probe(s: &mut OpState, path: &str, follow: bool) -> OpResult<OpValue<'static>> {
  match stat(s, path, follow) {
    Ok(v) => Ok(v),
    Err(OpError::Kernel(k)) => Ok(OpValue::Number(k.errno.node_errno() as f64)),
    Err(e) => Err(e),
  }
}

pub fn access(s: &mut OpState, path: &str, mode: u32) -> OpResult<()> {
  let abs = checked(s, "access", Access::Read, path, true)?;
  if let Some((m, rel)) = mounted(s, &abs, true) {
    return mount::access(s, m, rel, mode & 7, path);
  }
  let r = s.kernel.vfs().access(GUEST, &abs, mode & 7);
  r.map_err(|e| fail(s, e, "access", path))
}

/// A whole file: its bytes, or (`utf8`) the text they decode to.
pub fn read_file(s: &mut OpState, path: &str, utf8: bool) -> OpResult<OpValue<'static>> {
  let abs = checked(s, "open", Access::Read, path, true)?;
  if let Some((m, rel)) = mounted(s, &abs, true) {
    return mount::read_file(s, m, rel, utf8, path);
  }
  let r = s.kernel.vfs().read_file(GUEST, &abs).map(|b| {
    let b = Cow::Owned(b.to_vec());
    if utf8 {
      OpValue::Utf8(b)
    } else {
      OpValue::Bytes(b)
    }
  });
  r.map_err(|e| match e {
    // Node opens a directory fine; its read fails, with no path.
    Errno::EISDIR => KernelError::new(e, "read").into(),
    e => fail(s, e, "open", path),
  })
}

pub fn write_file(
  s: &mut OpState,
  path: &str,
  data: StrOrBytes<'_>,
  flags: i32,
  mode: u32,
) -> OpResult<()> {
  let abs = checked(s, "open", Access::Write, path, true)?;
  let mut f = OpenFlags::from_linux(flags);
  f.write = true;
  let mode = mode & !s.process.umask & 0o7777;
  if let Some((m, rel)) = mounted(s, &abs, true) {
    return mount::write_file(s, m, rel, data.as_bytes(), flags, mode, path);
  }
  let r = s
    .kernel
    .vfs()
    .write_file(GUEST, &abs, data.as_bytes(), f, mode);
  r.map_err(|e| fail(s, e, "open", path))
}

pub fn readdir(s: &mut OpState, path: &str, with_types: bool) -> OpResult<OpValue<'static>> {
  let abs = checked(s, "scandir", Access::Read, path, true)?;
  if let Some((m, rel)) = mounted(s, &abs, true) {
    return mount::readdir(s, m, rel, with_types, path);
  }
  let r = s.kernel.vfs().readdir(GUEST, &abs);
  let entries = r.map_err(|e| fail(s, e, "scandir", path))?;
  Ok(OpValue::Strings(
    entries
      .into_iter()
      .map(|(name, t)| {
        if with_types {
          // One letter of type before the name; the guest splits it off.
          let c = match t {
            FileType::File => 'f',
            FileType::Dir => 'd',
            FileType::Symlink => 'l',
            FileType::CharDevice => 'c',
          };
          format!("{c}{name}")
        } else {
          name
        }
      })
      .collect(),
  ))
}

pub fn mkdir(
  s: &mut OpState,
  path: &str,
  recursive: bool,
  mode: u32,
) -> OpResult<OpValue<'static>> {
  let abs = checked(s, "mkdir", Access::Write, path, false)?;
  let mode = mode & !s.process.umask & 0o7777;
  if let Some((m, rel)) = mounted(s, &abs, false) {
    return mount::mkdir(s, m, rel, recursive, mode, path);
  }
  if recursive {
    let r = s.kernel.vfs().mkdir_all(GUEST, &abs, mode);
    match r {
      Ok(Some(first)) => Ok(OpValue::Str(Cow::Owned(first))),
      Ok(None) => Ok(OpValue::Undefined),
      Err(e) => Err(fail(s, e, "mkdir", path)),
    }
  } else {
    let r = s.kernel.vfs().mkdir(GUEST, &abs, mode);
    r.map(|()| OpValue::Undefined)
      .map_err(|e| fail(s, e, "mkdir", path))
  }
}

pub fn mkdtemp(s: &mut OpState, prefix: &str) -> OpResult<OpValue<'static>> {
  const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let mode = 0o700 & !s.process.umask;
  for _ in 0..100 {
    let mut rnd = [0u8; 6];
    let _ = getrandom::fill(&mut rnd);
    let mut path = String::with_capacity(prefix.len() + 6);
    path.push_str(prefix);
    path.extend(rnd.iter().map(|b| CHARS[*b as usize % CHARS.len()] as char));
    let abs = checked(s, "mkdtemp", Access::Write, &path, false)?;
    let r = s.kernel.vfs().mkdir(GUEST, &abs, mode);
    drop(abs);
    match r {
      Ok(()) => return Ok(OpValue::Str(Cow::Owned(path))),
      Err(Errno::EEXIST) => continue,
      Err(e) => return Err(fail(s, e, "mkdtemp", &format!("{prefix}XXXXXX"))),
    }
  }
  Err(fail(
    s,
    Errno::EEXIST,
    "mkdtemp",
    &format!("{prefix}XXXXXX"),
  ))
}

pub fn rmdir(s: &mut OpState, path: &str) -> OpResult<()> {
  let abs = checked(s, "rmdir", Access::Write, path, false)?;
  if let Some((m, rel)) = mounted(s, &abs, false) {
    return mount::simple(s, m, crate::ipc::MountCall::Rmdir { rel }, "rmdir", path);
  }
  let r = s.kernel.vfs().rmdir(GUEST, &abs);
  r.map_err(|e| fail(s, e, "rmdir", path))
}

pub fn unlink(s: &mut OpState, path: &str) -> OpResult<()> {
  let abs = checked(s, "unlink", Access::Write, path, false)?;
  if let Some((m, rel)) = mounted(s, &abs, false) {
    return mount::simple(s, m, crate::ipc::MountCall::Unlink { rel }, "unlink", path);
  }
  let r = s.kernel.vfs().unlink(GUEST, &abs);
  r.map_err(|e| fail(s, e, "unlink", path))
}

/// `rm -r` of a path known to exist (the guest checks `force` and the
/// directory case with Node's own errors first).
pub fn remove_all(s: &mut OpState, path: &str) -> OpResult<()> {
  let abs = checked(s, "rm", Access::Write, path, false)?;
  if let Some((m, rel)) = mounted(s, &abs, false) {
    return mount::remove_all(s, m, rel, path);
  }
  let r = s.kernel.vfs().remove_all(GUEST, &abs);
  r.map_err(|e| fail(s, e, "rm", path))
}

pub fn rename(s: &mut OpState, from: &str, to: &str) -> OpResult<()> {
  let a = absolute(s, from).map_err(|e| fail2(s, e, "rename", from, to))?;
  let b = absolute(s, to).map_err(|e| fail2(s, e, "rename", from, to))?;
  let _ha = permit(s, "rename", Access::Write, &a, from, false).map_err(|e| with_dest(e, to))?;
  let _hb =
    permit(s, "rename", Access::Write, &b, to, false).map_err(|e| with_dest_of(e, from, to))?;
  match (mounted(s, &a, false), mounted(s, &b, false)) {
    (None, None) => {}
    (Some((m, rf)), Some((n, rt))) if m == n => {
      return mount::simple(
        s,
        m,
        crate::ipc::MountCall::Rename { from: rf, to: rt },
        "rename",
        from,
      )
      .map_err(|e| with_dest(e, to));
    }
    _ => return Err(fail2(s, Errno::EXDEV, "rename", from, to)),
  }
  let r = s.kernel.vfs().rename(GUEST, &a, &b);
  r.map_err(|e| fail2(s, e, "rename", from, to))
}

/// A denial of the first path of a two-path call also names the second.
pub(super) fn with_dest(e: OpError, dest: &str) -> OpError {
  match e {
    OpError::Kernel(k) => k.dest(dest).into(),
    other => other,
  }
}

/// A denial of the second path: Node still reports `from -> to`.
pub(super) fn with_dest_of(e: OpError, from: &str, to: &str) -> OpError {
  match e {
    OpError::Kernel(k) => k.path(from).dest(to).into(),
    other => other,
  }
}

pub fn copy_file(s: &mut OpState, src: &str, dst: &str, mode: u32) -> OpResult<()> {
  let a = absolute(s, src).map_err(|e| fail2(s, e, "copyfile", src, dst))?;
  let b = absolute(s, dst).map_err(|e| fail2(s, e, "copyfile", src, dst))?;
  let _ha = permit(s, "copyfile", Access::Read, &a, src, true).map_err(|e| with_dest(e, dst))?;
  let _hb =
    permit(s, "copyfile", Access::Write, &b, dst, true).map_err(|e| with_dest_of(e, src, dst))?;
  let (ma, mb) = (mounted(s, &a, true), mounted(s, &b, true));
  if ma.is_some() || mb.is_some() {
    return mount::copy_bytes(s, (&a, ma), (&b, mb), mode & COPYFILE_EXCL != 0, src, dst);
  }
  let r = s
    .kernel
    .vfs()
    .copy_file(GUEST, &a, &b, mode & COPYFILE_EXCL != 0);
  r.map_err(|e| fail2(s, e, "copyfile", src, dst))
}

pub fn link(s: &mut OpState, existing: &str, new: &str) -> OpResult<()> {
  let a = absolute(s, existing).map_err(|e| fail2(s, e, "link", existing, new))?;
  let b = absolute(s, new).map_err(|e| fail2(s, e, "link", existing, new))?;
  let _ha = permit(s, "link", Access::Read, &a, existing, false).map_err(|e| with_dest(e, new))?;
  // The new name writes the same file: it needs the right to write it.
  let _hw = permit(s, "link", Access::Write, &a, existing, false).map_err(|e| with_dest(e, new))?;
  let _hb =
    permit(s, "link", Access::Write, &b, new, false).map_err(|e| with_dest_of(e, existing, new))?;
  if mounted(s, &a, false).is_some() || mounted(s, &b, false).is_some() {
    return Err(with_dest(mount::unsupported(s, "link", existing), new));
  }
  let r = s.kernel.vfs().link(GUEST, &a, &b);
  r.map_err(|e| fail2(s, e, "link", existing, new))
}

/// A link's target is stored as written; it is judged when it is used.
pub fn symlink(s: &mut OpState, target: &str, path: &str) -> OpResult<()> {
  let b = absolute(s, path).map_err(|e| fail2(s, e, "symlink", target, path))?;
  let _hold = permit(s, "symlink", Access::Write, &b, path, false)
    .map_err(|e| with_dest_of(e, target, path))?;
  if mounted(s, &b, false).is_some() {
    return Err(with_dest_of(
      mount::unsupported(s, "symlink", target),
      target,
      path,
    ));
  }
  let r = s.kernel.vfs().symlink(GUEST, target, &b);
  r.map_err(|e| fail2(s, e, "symlink", target, path))
}

pub fn readlink(s: &mut OpState, path: &str) -> OpResult<OpValue<'static>> {
  let abs = checked(s, "readlink", Access::Read, path, false)?;
  if let Some((m, rel)) = mounted(s, &abs, false) {
    return mount::readlink(s, m, rel, path);
  }
  let r = s.kernel.vfs().readlink(GUEST, &abs);
  r.map(|t| OpValue::Str(Cow::Owned(t)))
    .map_err(|e| fail(s, e, "readlink", path))
}

pub fn realpath(s: &mut OpState, path: &str) -> OpResult<OpValue<'static>> {
  let abs = checked(s, "realpath", Access::Read, path, true)?;
  if let Some((m, rel)) = mounted(s, &abs, true) {
    return mount::realpath(s, m, rel, "realpath", path).map(|p| OpValue::Str(Cow::Owned(p)));
  }
  let r = s.kernel.vfs().realpath(GUEST, &abs);
  r.map(|t| OpValue::Str(Cow::Owned(t)))
    .map_err(|e| fail(s, e, "realpath", path))
}

pub fn truncate(s: &mut OpState, path: &str, len: f64) -> OpResult<()> {
  let abs = checked(s, "open", Access::Write, path, true)?;
  let len = length(len).ok_or_else(|| fail(s, Errno::EINVAL, "ftruncate", path))?;
  if let Some((m, rel)) = mounted(s, &abs, true) {
    // The host would make a sparse file of any size.
    if len > s.kernel.vfs().limits().max_file_size {
      return Err(fail(s, Errno::EFBIG, "open", path));
    }
    return mount::simple(
      s,
      m,
      crate::ipc::MountCall::Truncate { rel, len },
      "open",
      path,
    );
  }
  let r = s.kernel.vfs().truncate(GUEST, &abs, len);
  r.map_err(|e| fail(s, e, "open", path))
}

pub fn chmod(s: &mut OpState, path: &str, mode: u32, follow: bool) -> OpResult<()> {
  let op = if follow { "chmod" } else { "lchmod" };
  let abs = checked(s, op, Access::Write, path, follow)?;
  if mounted(s, &abs, follow).is_some() {
    return Err(mount::unsupported(s, op, path));
  }
  let r = s.kernel.vfs().chmod(GUEST, &abs, mode & 0o7777, follow);
  r.map_err(|e| fail(s, e, op, path))
}

pub fn chown(s: &mut OpState, path: &str, uid: u32, gid: u32, follow: bool) -> OpResult<()> {
  let op = if follow { "chown" } else { "lchown" };
  let abs = checked(s, op, Access::Write, path, follow)?;
  if mounted(s, &abs, follow).is_some() {
    return Err(mount::unsupported(s, op, path));
  }
  let r = s.kernel.vfs().chown(GUEST, &abs, uid, gid, follow);
  r.map_err(|e| fail(s, e, op, path))
}

pub fn utimes(s: &mut OpState, path: &str, atime: f64, mtime: f64, follow: bool) -> OpResult<()> {
  let op = if follow { "utime" } else { "lutime" };
  let abs = checked(s, op, Access::Write, path, follow)?;
  if mounted(s, &abs, follow).is_some() {
    return Err(mount::unsupported(s, op, path));
  }
  let r = s
    .kernel
    .vfs()
    .utimes(GUEST, &abs, timespec(atime), timespec(mtime), follow);
  r.map_err(|e| fail(s, e, op, path))
}

// ---- descriptors ----

/// A length or position from the guest: a whole number in 0..=2^53.
fn length(n: f64) -> Option<u64> {
  (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_992.0)
    .then_some(n as u64)
}

fn bad_fd(syscall: &'static str) -> OpError {
  KernelError::new(Errno::EBADF, syscall).into()
}

pub fn open(s: &mut OpState, path: &str, flags: i32, mode: u32) -> OpResult<f64> {
  let f = OpenFlags::from_linux(flags);
  let abs = absolute(s, path).map_err(|e| fail(s, e, "open", path))?;
  let acc = flags & O_ACCMODE;
  if acc != 1 {
    permit(s, "open", Access::Read, &abs, path, !f.nofollow)?;
  }
  if acc != 0 || flags & (O_CREAT | O_TRUNC) != 0 {
    permit(s, "open", Access::Write, &abs, path, !f.nofollow)?;
  }
  let mode = mode & !s.process.umask & 0o7777;
  if let Some((m, rel)) = mounted(s, &abs, !f.nofollow) {
    return mount::open(s, m, rel, flags, mode, path);
  }
  let r = s.kernel.vfs().open(GUEST, &abs, f, mode);
  let ino = r.map_err(|e| fail(s, e, "open", path))?;
  match s.process.fds.insert(OpenFile {
    ino,
    position: 0,
    flags: f,
    mount: None,
  }) {
    Ok(fd) => Ok(fd as f64),
    Err(e) => {
      s.kernel.vfs().close(ino);
      Err(fail(s, e, "open", path))
    }
  }
}

pub fn close(s: &mut OpState, fd: Fd) -> OpResult<()> {
  let file = match s.process.fds.remove(fd.0).map_err(|_| bad_fd("close"))? {
    crate::kernel::fd::Desc::File(f) => f,
    // Dropped: the end closes.
    crate::kernel::fd::Desc::Pipe(_) => return Ok(()),
  };
  if let Some((m, h)) = file.mount {
    return mount::close(s, m, h);
  }
  s.kernel.vfs().close(file.ino);
  Ok(())
}

/// Reads into `buf` at `position`, or at the file's position (advancing
/// it) when `position` is negative.
pub fn read(s: &mut OpState, fd: Fd, mut buf: GuestBuf<'_>, position: f64) -> OpResult<f64> {
  let kernel = s.kernel.clone();
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("read"))?;
  if !file.flags.read {
    return Err(bad_fd("read"));
  }
  let at = if position < 0.0 {
    file.position
  } else {
    length(position).ok_or_else(|| KernelError::new(Errno::EINVAL, "read"))?
  };
  if let Some((m, h)) = file.mount {
    let n = mount::read(s, m, h, at, buf.as_mut_slice())?;
    if position < 0.0 {
      if let Ok(f) = s.process.fds.get(fd.0) {
        f.position = at.saturating_add(n as u64);
      }
    }
    return Ok(n as f64);
  }
  let n = kernel
    .vfs()
    .read_at(file.ino, at, buf.as_mut_slice())
    .map_err(|e| KernelError::new(e, "read"))?;
  if position < 0.0 {
    file.position = at.saturating_add(n as u64);
  }
  Ok(n as f64)
}

pub fn write(s: &mut OpState, fd: Fd, data: StrOrBytes<'_>, position: f64) -> OpResult<f64> {
  // fds 1 and 2 are the process's stdout and stderr (unless the guest
  // closed them and opened a file there): the same output as process.stdout.
  if (fd.0 == 1 || fd.0 == 2) && s.process.fds.get(fd.0).is_err() {
    let stream = if fd.0 == 1 {
      crate::ipc::Stream::Stdout
    } else {
      crate::ipc::Stream::Stderr
    };
    let bytes = data.as_bytes();
    crate::kernel::stdio::write_all(s, stream, bytes).map_err(|e| KernelError::new(e, "write"))?;
    return Ok(bytes.len() as f64);
  }
  let kernel = s.kernel.clone();
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("write"))?;
  if !file.flags.write {
    return Err(bad_fd("write"));
  }
  let bytes = data.as_bytes();
  if let Some((m, h)) = file.mount {
    let at = match (file.flags.append, position < 0.0) {
      (true, _) => None,
      (false, true) => Some(file.position),
      (false, false) => {
        Some(length(position).ok_or_else(|| KernelError::new(Errno::EINVAL, "write"))?)
      }
    };
    // maxFileSize holds on the host too: no sparse file past it.
    let end = match at {
      Some(at) => at,
      None => match mount::fstat(s, m, h)? {
        OpValue::Stat(f) => f[8] as u64,
        _ => 0,
      },
    };
    if end.saturating_add(bytes.len() as u64) > kernel.vfs().limits().max_file_size {
      return Err(strip_path(fail(s, Errno::EFBIG, "write", "")));
    }
    let n = mount::write(s, m, h, at, bytes)?;
    if let (Some(at), true) = (at, position < 0.0) {
      if let Ok(f) = s.process.fds.get(fd.0) {
        f.position = at.saturating_add(n as u64);
      }
    }
    return Ok(n as f64);
  }
  let r = if file.flags.append {
    kernel.vfs().append(file.ino, bytes).map(|end| {
      file.position = end;
      bytes.len()
    })
  } else {
    let at = if position < 0.0 {
      file.position
    } else {
      length(position).ok_or_else(|| KernelError::new(Errno::EINVAL, "write"))?
    };
    kernel.vfs().write_at(file.ino, at, bytes).inspect(|&n| {
      if position < 0.0 {
        file.position = at.saturating_add(n as u64);
      }
    })
  };
  match r {
    Ok(n) => Ok(n as f64),
    Err(e) => Err(strip_path(fail(s, e, "write", ""))),
  }
}

/// fd errors carry no path.
fn strip_path(e: OpError) -> OpError {
  match e {
    OpError::Kernel(mut k) => {
      k.path = None;
      k.into()
    }
    other => other,
  }
}

/// The rest of an open file from its position (`readFile` of an fd).
pub fn read_rest(s: &mut OpState, fd: Fd) -> OpResult<OpValue<'static>> {
  let kernel = s.kernel.clone();
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("read"))?;
  if !file.flags.read {
    return Err(bad_fd("read"));
  }
  if let Some((m, h)) = file.mount {
    // Chunks until the end: the host's file may be any size up to the limit.
    let max = kernel.vfs().limits().max_file_size;
    let mut at = file.position;
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
      let n = mount::read(s, m, h, at, &mut chunk)?;
      if n == 0 {
        break;
      }
      if out.len() + n > max as usize {
        return Err(KernelError::new(Errno::EFBIG, "read").into());
      }
      out.extend_from_slice(&chunk[..n]);
      at += n as u64;
    }
    if let Ok(f) = s.process.fds.get(fd.0) {
      f.position = at;
    }
    return Ok(OpValue::Bytes(Cow::Owned(out)));
  }
  let mut vfs = kernel.vfs();
  let len = vfs
    .stat_ino(file.ino)
    .map_err(|e| KernelError::new(e, "fstat"))?
    .size;
  let want = len.saturating_sub(file.position);
  let mut out =
    vec![0u8; usize::try_from(want).map_err(|_| KernelError::new(Errno::EFBIG, "read"))?];
  let n = vfs
    .read_at(file.ino, file.position, &mut out)
    .map_err(|e| KernelError::new(e, "read"))?;
  out.truncate(n);
  file.position = file.position.saturating_add(n as u64);
  Ok(OpValue::Bytes(Cow::Owned(out)))
}

pub fn fstat(s: &mut OpState, fd: Fd) -> OpResult<OpValue<'static>> {
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("fstat"))?;
  if let Some((m, h)) = file.mount {
    return mount::fstat(s, m, h);
  }
  let ino = file.ino;
  let r = s.kernel.vfs().stat_ino(ino);
  r.map(stat_value)
    .map_err(|e| KernelError::new(e, "fstat").into())
}

pub fn ftruncate(s: &mut OpState, fd: Fd, len: f64) -> OpResult<()> {
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("ftruncate"))?;
  if !file.flags.write {
    return Err(KernelError::new(Errno::EINVAL, "ftruncate").into());
  }
  if file.mount.is_some() {
    return Err(KernelError::new(Errno::ENOTSUP, "ftruncate").into());
  }
  let ino = file.ino;
  let len = length(len).ok_or_else(|| KernelError::new(Errno::EINVAL, "ftruncate"))?;
  let r = s.kernel.vfs().truncate_ino(ino, len);
  r.map_err(|e| strip_path(fail(s, e, "ftruncate", "")))
}

pub fn fsync(s: &mut OpState, fd: Fd) -> OpResult<()> {
  s.process.fds.get(fd.0).map_err(|_| bad_fd("fsync"))?;
  Ok(())
}

pub fn fchmod(s: &mut OpState, fd: Fd, mode: u32) -> OpResult<()> {
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("fchmod"))?;
  if file.mount.is_some() {
    return Err(KernelError::new(Errno::ENOTSUP, "fchmod").into());
  }
  let ino = file.ino;
  let r = s.kernel.vfs().chmod_ino(GUEST, ino, mode & 0o7777);
  r.map_err(|e| KernelError::new(e, "fchmod").into())
}

pub fn fchown(s: &mut OpState, fd: Fd, uid: u32, gid: u32) -> OpResult<()> {
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("fchown"))?;
  if file.mount.is_some() {
    return Err(KernelError::new(Errno::ENOTSUP, "fchown").into());
  }
  let ino = file.ino;
  let r = s.kernel.vfs().chown_ino(GUEST, ino, uid, gid);
  r.map_err(|e| KernelError::new(e, "fchown").into())
}

pub fn futimes(s: &mut OpState, fd: Fd, atime: f64, mtime: f64) -> OpResult<()> {
  let file = s.process.fds.get(fd.0).map_err(|_| bad_fd("futime"))?;
  if file.mount.is_some() {
    return Err(KernelError::new(Errno::ENOTSUP, "futime").into());
  }
  let ino = file.ino;
  let r = s
    .kernel
    .vfs()
    .utimes_ino(GUEST, ino, timespec(atime), timespec(mtime));
  r.map_err(|e| KernelError::new(e, "futime").into())
}

// ---- the process's place in the filesystem ----

pub fn chdir(s: &mut OpState, path: &str) -> OpResult<OpValue<'static>> {
  let abs = checked(s, "chdir", Access::Read, path, true)?;
  let r = if let Some((m, rel)) = mounted(s, &abs, true) {
    match mount::call(
      s,
      m,
      crate::ipc::MountCall::Stat {
        rel: rel.clone(),
        follow: true,
      },
    )? {
      Ok(crate::ipc::MountReply::Stat(f)) if (f[1] as u32) & 0o170000 == 0o040000 => {
        match mount::call(s, m, crate::ipc::MountCall::Realpath { rel })? {
          Ok(crate::ipc::MountReply::Text(t)) => Ok(mount::guest_path(s, m, &t)),
          Ok(_) => Err(Errno::EIO),
          Err(e) => Err(e),
        }
      }
      Ok(_) => Err(Errno::ENOTDIR),
      Err(e) => Err(e),
    }
  } else {
    let vfs = s.kernel.vfs();
    vfs.stat(GUEST, &abs, true).and_then(|st| {
      if st.file_type() != FileType::Dir {
        return Err(Errno::ENOTDIR);
      }
      vfs.access(GUEST, &abs, 1)?;
      vfs.realpath(GUEST, &abs)
    })
  };
  match r {
    Ok(real) => {
      s.process.cwd = real.clone();
      Ok(OpValue::Str(Cow::Owned(real)))
    }
    // Node names the cwd as the path and the target as the dest.
    Err(e) => {
      let cwd = s.process.cwd.clone();
      Err(fail2(s, e, "chdir", &cwd, path))
    }
  }
}

/// The process's umask; sets it to `mask` when given.
pub fn umask(s: &mut OpState, mask: Option<u32>) -> OpResult<f64> {
  let old = s.process.umask;
  if let Some(m) = mask {
    s.process.umask = m & 0o777;
  }
  Ok(old as f64)
}

// ---- the host's calls (`rt.fs`) ----

/// Serves a host-side call as the guest user would see it, without the
/// policy (the host is trusted) and without a guest process: relative
/// paths start at the guest's home.
pub fn host_call(
  kernel: &super::Kernel,
  call: crate::ipc::FsCall,
) -> Result<crate::ipc::FsReply, crate::ipc::FsError> {
  use crate::ipc::{FsCall, FsReply};
  let abs = |p: &str| -> String {
    if p.starts_with('/') {
      p.to_string()
    } else {
      format!("{}/{p}", super::process::HOME)
    }
  };
  let err = |e: Errno, syscall: &'static str, path: &str| {
    let k = KernelError::new(e, syscall).path(path);
    crate::ipc::FsError {
      code: e.code().into(),
      errno: e.node_errno(),
      syscall: syscall.into(),
      path: Some(path.into()),
      message: k.message(),
    }
  };
  let mut vfs = kernel.vfs();
  match call {
    FsCall::ReadFile { path } => vfs
      .read_file(GUEST, &abs(&path))
      .map(|b| FsReply::Bytes(b.to_vec()))
      .map_err(|e| err(e, "open", &path)),
    FsCall::WriteFile { path, data } => {
      let flags = OpenFlags::from_linux(0o1101);
      vfs
        .write_file(GUEST, &abs(&path), &data, flags, 0o644)
        .map(|()| FsReply::Done)
        .map_err(|e| err(e, "open", &path))
    }
    FsCall::Mkdir { path, recursive } => {
      if recursive {
        vfs
          .mkdir_all(GUEST, &abs(&path), 0o755)
          .map(FsReply::Created)
          .map_err(|e| err(e, "mkdir", &path))
      } else {
        vfs
          .mkdir(GUEST, &abs(&path), 0o755)
          .map(|()| FsReply::Created(None))
          .map_err(|e| err(e, "mkdir", &path))
      }
    }
    FsCall::Readdir { path } => vfs
      .readdir(GUEST, &abs(&path))
      .map(|v| FsReply::Names(v.into_iter().map(|(n, _)| n).collect()))
      .map_err(|e| err(e, "scandir", &path)),
    FsCall::Stat { path } => vfs
      .stat(GUEST, &abs(&path), true)
      .map(|st| FsReply::Stat(st.to_node_fields().to_vec()))
      .map_err(|e| err(e, "stat", &path)),
    FsCall::Exists { path } => Ok(FsReply::Bool(vfs.stat(GUEST, &abs(&path), true).is_ok())),
    FsCall::Rm {
      path,
      recursive,
      force,
    } => {
      let p = abs(&path);
      match vfs.stat(GUEST, &p, false) {
        Err(Errno::ENOENT) if force => Ok(FsReply::Done),
        Err(e) => Err(err(e, "lstat", &path)),
        Ok(st) if st.file_type() == FileType::Dir => {
          if !recursive {
            return Err(crate::ipc::FsError {
              code: "ERR_FS_EISDIR".into(),
              errno: 21,
              syscall: "rm".into(),
              path: Some(path.clone()),
              message: format!("Path is a directory: rm returned EISDIR (is a directory) {path}"),
            });
          }
          vfs
            .remove_all(GUEST, &p)
            .map(|()| FsReply::Done)
            .map_err(|e| err(e, "rm", &path))
        }
        Ok(_) => vfs
          .unlink(GUEST, &p)
          .map(|()| FsReply::Done)
          .map_err(|e| err(e, "unlink", &path)),
      }
    }
  }
}
