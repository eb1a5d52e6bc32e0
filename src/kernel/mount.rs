//! fs syscalls on mounted host directories. `Vfs::locate` found that a
//! guest path leads into mount `m`, with `rel` left to walk; the host
//! serves the call beneath the mount's directory (src/host/mounts.rs), so
//! nothing here decides what the path may reach. Errors name the guest's
//! path, never a host path.
use std::borrow::Cow;

use super::error::{Errno, KernelError, OpError};
use super::fd::OpenFile;
use super::fs::{fail, fail2, with_dest, with_dest_of, GUEST};
use super::op::{OpResult, OpValue};
use super::process::ProcessControl;
use super::syscall::OpState;
use super::vfs::OpenFlags;
use super::Kernel;
use crate::ipc::{MountCall, MountReply, Query};

/// Asks the host; `Ok(Err(errno))` is the call's own failure, `Err` a
/// failure to ask (the process is ending).
pub fn call(s: &mut OpState, mount: u32, call: MountCall) -> OpResult<Result<MountReply, Errno>> {
  let control = s.control.clone();
  ask(&*control, mount, call)
}

/// [`call`] for code that holds the supervisor but no op state (the module
/// resolver).
pub fn ask(
  control: &dyn ProcessControl,
  mount: u32,
  call: MountCall,
) -> OpResult<Result<MountReply, Errno>> {
  let bytes = control.query_host(Query::Mount { mount, call })?;
  let reply: Result<MountReply, i32> = postcard::from_bytes(&bytes).map_err(|_| {
    OpError::coded(
      super::error::ErrorClass::Error,
      "ERR_SANDBOX_HOST_QUERY",
      "The host's answer about a mount could not be read",
    )
  })?;
  Ok(reply.map_err(|e| Errno::from_raw(e).unwrap_or(Errno::EIO)))
}

/// `rel` beneath mount `m` as a guest path.
pub fn guest_path(s: &OpState, m: u32, rel: &str) -> String {
  guest_path_in(&s.kernel, m, rel)
}

fn guest_path_in(kernel: &Kernel, m: u32, rel: &str) -> String {
  let base = kernel
    .mounts
    .get(m as usize)
    .map_or("/", |x| x.guest_path.as_str());
  // `..` stops at the mount's root, as the host's walk does (it fails
  // there): the path judged is never outside the mount.
  let rel = super::policy::normalize(&format!("/{rel}"));
  super::policy::normalize(&format!("{base}{rel}"))
}

/// `name` in directory `dir` of a mount (`""` is its root): relative, as
/// the host takes paths.
fn join(dir: &str, name: &str) -> String {
  if dir.is_empty() {
    name.to_string()
  } else {
    format!("{dir}/{name}")
  }
}

/// The path the policy judges for `rel` on mount `m`, as the host will
/// resolve it: its real path; when it does not exist, its parent's real
/// path plus its name, after following it if it is a dangling symlink and
/// `follow` (a write through it creates the target); without `follow`,
/// the entry itself (its parent resolved), never where it points.
pub fn policy_path(
  s: &mut OpState,
  m: u32,
  rel: &str,
  follow: bool,
  op: &'static str,
  shown: &str,
) -> OpResult<String> {
  let (kernel, control) = (s.kernel.clone(), s.control.clone());
  match resolve_for_policy(&kernel, &*control, m, rel, follow)? {
    Ok(path) => Ok(path),
    Err(e) => Err(fail(s, e, op, shown)),
  }
}

/// [`policy_path`]'s walk: `Ok(Err(errno))` when the call must fail.
pub fn resolve_for_policy(
  kernel: &Kernel,
  control: &dyn ProcessControl,
  m: u32,
  rel: &str,
  follow: bool,
) -> OpResult<Result<String, Errno>> {
  // A name that does not exist (yet) is judged by its parent; any other
  // failure to resolve fails the call: never judge a path the host did not
  // resolve while the host would follow its links.
  let realpath = |rel: &str| -> OpResult<Result<Option<String>, Errno>> {
    Ok(
      match ask(control, m, MountCall::Realpath { rel: rel.into() })? {
        Ok(MountReply::Text(real)) => Ok(Some(real)),
        Ok(_) => Err(Errno::EIO),
        Err(Errno::ENOENT | Errno::ENOTDIR) => Ok(None),
        Err(e) => Err(e),
      },
    )
  };
  // A trailing slash follows the last link, as the host's walk does.
  let follow = follow || rel.ends_with('/');
  let mut rel = rel.to_string();
  for _ in 0..=super::vfs::MAX_SYMLINKS {
    if follow {
      match realpath(&rel)? {
        Ok(Some(real)) => return Ok(Ok(guest_path_in(kernel, m, &real))),
        Ok(None) => {}
        Err(e) => return Ok(Err(e)),
      }
    }
    let trimmed = rel.trim_end_matches('/');
    let (dir, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let real_dir = match realpath(dir)? {
      Ok(Some(d)) => d,
      // The walk fails before the last name: so will the call.
      Ok(None) => return Ok(Ok(guest_path_in(kernel, m, &rel))),
      Err(e) => return Ok(Err(e)),
    };
    let entry = join(&real_dir, name);
    if follow && !matches!(name, "" | "." | "..") {
      if let Ok(MountReply::Text(target)) =
        ask(control, m, MountCall::Readlink { rel: entry.clone() })?
      {
        // A relative target is resolved from the link's directory; an
        // absolute one never resolves beneath the mount (the host refuses it).
        if !target.starts_with('/') {
          rel = join(&real_dir, &target);
          continue;
        }
      }
    }
    return Ok(Ok(guest_path_in(kernel, m, &entry)));
  }
  Ok(Err(Errno::ELOOP))
}

fn stat_value(fields: Vec<f64>) -> OpValue<'static> {
  let mut out = [0.0; super::op::STAT_FIELDS];
  for (o, v) in out.iter_mut().zip(fields) {
    *o = v;
  }
  OpValue::Stat(Box::new(out))
}

fn unexpected() -> OpError {
  KernelError::new(Errno::EIO, "mount").into()
}

pub fn stat(
  s: &mut OpState,
  m: u32,
  rel: String,
  follow: bool,
  op: &'static str,
  path: &str,
) -> OpResult<OpValue<'static>> {
  match call(s, m, MountCall::Stat { rel, follow })? {
    Ok(MountReply::Stat(f)) => Ok(stat_value(f)),
    Ok(_) => Err(unexpected()),
    Err(e) => Err(fail(s, e, op, path)),
  }
}

pub fn access(s: &mut OpState, m: u32, rel: String, mode: u32, path: &str) -> OpResult<()> {
  match call(s, m, MountCall::Access { rel, mode })? {
    Ok(_) => Ok(()),
    Err(e) => Err(fail(s, e, "access", path)),
  }
}

pub fn read_file(
  s: &mut OpState,
  m: u32,
  rel: String,
  utf8: bool,
  path: &str,
) -> OpResult<OpValue<'static>> {
  let max = s.kernel.vfs().limits().max_file_size;
  match call(s, m, MountCall::ReadFile { rel, max })? {
    Ok(MountReply::Bytes(b)) => Ok(if utf8 {
      OpValue::Utf8(Cow::Owned(b))
    } else {
      OpValue::Bytes(Cow::Owned(b))
    }),
    Ok(_) => Err(unexpected()),
    Err(Errno::EISDIR) => Err(KernelError::new(Errno::EISDIR, "read").into()),
    Err(e) => Err(fail(s, e, "open", path)),
  }
}

pub fn write_file(
  s: &mut OpState,
  m: u32,
  rel: String,
  data: &[u8],
  flags: i32,
  mode: u32,
  path: &str,
) -> OpResult<()> {
  let max = s.kernel.vfs().limits().max_file_size;
  // An append adds to what the file holds.
  let held = if flags & 0o2000 != 0 {
    match call(
      s,
      m,
      MountCall::Stat {
        rel: rel.clone(),
        follow: true,
      },
    )? {
      Ok(MountReply::Stat(f)) => f.get(8).copied().unwrap_or(0.0) as u64,
      _ => 0,
    }
  } else {
    0
  };
  if held.saturating_add(data.len() as u64) > max {
    return Err(fail(s, Errno::EFBIG, "open", path));
  }
  let call_ = MountCall::WriteFile {
    rel,
    data: data.to_vec(),
    flags: safe_flags(flags | 1),
    mode: mode & 0o777,
  };
  match call(s, m, call_)? {
    Ok(_) => Ok(()),
    Err(e) => Err(fail(s, e, "open", path)),
  }
}

/// Only the open flags a guest may ask the host for (no O_PATH, O_TMPFILE,
/// O_NOATIME, ...).
fn safe_flags(flags: i32) -> i32 {
  const ALLOWED: i32 = 3 | 0o100 | 0o200 | 0o1000 | 0o2000 | 0o200000 | 0o400000;
  flags & ALLOWED
}

pub fn readdir(
  s: &mut OpState,
  m: u32,
  rel: String,
  with_types: bool,
  path: &str,
) -> OpResult<OpValue<'static>> {
  match call(s, m, MountCall::Readdir { rel })? {
    Ok(MountReply::Entries(list)) => Ok(OpValue::Strings(
      list
        .into_iter()
        .map(|(t, name)| {
          if with_types {
            format!("{}{name}", t as char)
          } else {
            name
          }
        })
        .collect(),
    )),
    Ok(_) => Err(unexpected()),
    Err(e) => Err(fail(s, e, "scandir", path)),
  }
}

pub fn mkdir(
  s: &mut OpState,
  m: u32,
  rel: String,
  recursive: bool,
  mode: u32,
  path: &str,
) -> OpResult<OpValue<'static>> {
  let mode = mode & 0o777;
  if !recursive {
    return match call(s, m, MountCall::Mkdir { rel, mode })? {
      Ok(_) => Ok(OpValue::Undefined),
      Err(e) => Err(fail(s, e, "mkdir", path)),
    };
  }
  // Each missing directory in turn, as `mkdir -p`.
  let mut first = None;
  let mut so_far = String::new();
  for comp in rel.split('/').filter(|c| !c.is_empty()) {
    if !so_far.is_empty() {
      so_far.push('/');
    }
    so_far.push_str(comp);
    match call(
      s,
      m,
      MountCall::Stat {
        rel: so_far.clone(),
        follow: true,
      },
    )? {
      Ok(MountReply::Stat(f)) if (f[1] as u32) & 0o170000 == 0o040000 => continue,
      Ok(_) => return Err(fail(s, Errno::ENOTDIR, "mkdir", path)),
      Err(Errno::ENOENT) => {}
      Err(e) => return Err(fail(s, e, "mkdir", path)),
    }
    match call(
      s,
      m,
      MountCall::Mkdir {
        rel: so_far.clone(),
        mode,
      },
    )? {
      Ok(_) | Err(Errno::EEXIST) => {}
      Err(e) => return Err(fail(s, e, "mkdir", path)),
    }
    if first.is_none() {
      first = Some(guest_path(s, m, &so_far));
    }
  }
  Ok(first.map_or(OpValue::Undefined, |f| OpValue::Str(Cow::Owned(f))))
}

pub fn simple(s: &mut OpState, m: u32, c: MountCall, op: &'static str, path: &str) -> OpResult<()> {
  match call(s, m, c)? {
    Ok(_) => Ok(()),
    Err(e) => Err(fail(s, e, op, path)),
  }
}

/// `rm -r` beneath a mount: depth first, with an explicit stack.
pub fn remove_all(s: &mut OpState, m: u32, rel: String, path: &str) -> OpResult<()> {
  // (rel, listed): a directory is removed once its entries are.
  let mut stack = vec![(rel, false)];
  while let Some((r, listed)) = stack.pop() {
    let is_dir = match call(
      s,
      m,
      MountCall::Stat {
        rel: r.clone(),
        follow: false,
      },
    )? {
      Ok(MountReply::Stat(f)) => (f[1] as u32) & 0o170000 == 0o040000,
      Ok(_) => return Err(unexpected()),
      Err(Errno::ENOENT) => continue,
      Err(e) => return Err(fail(s, e, "rm", path)),
    };
    if !is_dir {
      simple(s, m, MountCall::Unlink { rel: r }, "rm", path)?;
    } else if listed {
      simple(s, m, MountCall::Rmdir { rel: r }, "rm", path)?;
    } else {
      let entries = match call(s, m, MountCall::Readdir { rel: r.clone() })? {
        Ok(MountReply::Entries(e)) => e,
        Ok(_) => return Err(unexpected()),
        Err(e) => return Err(fail(s, e, "rm", path)),
      };
      stack.push((r.clone(), true));
      for (_, name) in entries {
        stack.push((format!("{r}/{name}"), false));
      }
    }
  }
  Ok(())
}

pub fn readlink(s: &mut OpState, m: u32, rel: String, path: &str) -> OpResult<OpValue<'static>> {
  match call(s, m, MountCall::Readlink { rel })? {
    Ok(MountReply::Text(t)) => Ok(OpValue::Str(Cow::Owned(t))),
    Ok(_) => Err(unexpected()),
    Err(e) => Err(fail(s, e, "readlink", path)),
  }
}

pub fn realpath(
  s: &mut OpState,
  m: u32,
  rel: String,
  op: &'static str,
  path: &str,
) -> OpResult<String> {
  match call(s, m, MountCall::Realpath { rel })? {
    Ok(MountReply::Text(t)) => Ok(guest_path(s, m, &t)),
    Ok(_) => Err(unexpected()),
    Err(e) => Err(fail(s, e, op, path)),
  }
}

/// What the fs layer cannot do on a mount yet.
pub fn unsupported(s: &mut OpState, op: &'static str, path: &str) -> OpError {
  fail(s, Errno::ENOTSUP, op, path)
}

/// Opens `rel` for the guest: a descriptor of the process naming a host
/// handle.
pub fn open(
  s: &mut OpState,
  m: u32,
  rel: String,
  flags: i32,
  mode: u32,
  path: &str,
) -> OpResult<f64> {
  let f = OpenFlags::from_linux(flags);
  let handle = match call(
    s,
    m,
    MountCall::Open {
      rel,
      flags: safe_flags(flags),
      mode: mode & 0o777,
    },
  )? {
    Ok(MountReply::Handle(h)) => h,
    Ok(_) => return Err(unexpected()),
    Err(e) => return Err(fail(s, e, "open", path)),
  };
  match s.process.fds.insert(OpenFile {
    ino: 0,
    position: 0,
    flags: f,
    mount: Some((m, handle)),
  }) {
    Ok(fd) => Ok(fd as f64),
    Err(e) => {
      let _ = call(s, m, MountCall::Close { handle });
      Err(fail(s, e, "open", path))
    }
  }
}

fn errno_only(e: Errno, syscall: &'static str) -> OpError {
  KernelError::new(e, syscall).into()
}

pub fn read(s: &mut OpState, m: u32, handle: u64, offset: u64, buf: &mut [u8]) -> OpResult<usize> {
  let len = buf.len().min(u32::MAX as usize) as u32;
  match call(
    s,
    m,
    MountCall::Read {
      handle,
      offset,
      len,
    },
  )? {
    Ok(MountReply::Bytes(b)) => {
      let n = b.len().min(buf.len());
      buf[..n].copy_from_slice(&b[..n]);
      Ok(n)
    }
    Ok(_) => Err(unexpected()),
    Err(e) => Err(errno_only(e, "read")),
  }
}

pub fn write(
  s: &mut OpState,
  m: u32,
  handle: u64,
  offset: Option<u64>,
  data: &[u8],
) -> OpResult<usize> {
  match call(
    s,
    m,
    MountCall::Write {
      handle,
      offset,
      data: data.to_vec(),
    },
  )? {
    Ok(MountReply::Count(n)) => Ok(n as usize),
    Ok(_) => Err(unexpected()),
    Err(e) => Err(errno_only(e, "write")),
  }
}

pub fn fstat(s: &mut OpState, m: u32, handle: u64) -> OpResult<OpValue<'static>> {
  match call(s, m, MountCall::Fstat { handle })? {
    Ok(MountReply::Stat(f)) => Ok(stat_value(f)),
    Ok(_) => Err(unexpected()),
    Err(e) => Err(errno_only(e, "fstat")),
  }
}

pub fn close(s: &mut OpState, m: u32, handle: u64) -> OpResult<()> {
  match call(s, m, MountCall::Close { handle })? {
    Ok(_) => Ok(()),
    Err(e) => Err(errno_only(e, "close")),
  }
}

/// Copies a file's bytes across the VFS and mounts (copyFile where either
/// end is on a mount).
pub fn copy_bytes(
  s: &mut OpState,
  from: (&str, Option<(u32, String)>),
  to: (&str, Option<(u32, String)>),
  excl: bool,
  src: &str,
  dst: &str,
) -> OpResult<()> {
  let data = match from.1 {
    Some((m, rel)) => match read_file(s, m, rel, false, src).map_err(|e| with_dest(e, dst))? {
      OpValue::Bytes(b) => b.into_owned(),
      _ => return Err(unexpected()),
    },
    None => {
      let r = s.kernel.vfs().read_file(GUEST, from.0).map(|b| b.to_vec());
      r.map_err(|e| fail2(s, e, "copyfile", src, dst))?
    }
  };
  let flags = 0o1 | 0o100 | 0o1000 | if excl { 0o200 } else { 0 };
  match to.1 {
    Some((m, rel)) => {
      write_file(s, m, rel, &data, flags, 0o644, dst).map_err(|e| with_dest_of(e, src, dst))
    }
    None => {
      let umask = s.process.umask;
      let r = s.kernel.vfs().write_file(
        GUEST,
        to.0,
        &data,
        OpenFlags::from_linux(flags),
        0o666 & !umask,
      );
      r.map_err(|e| fail2(s, e, "copyfile", src, dst))
    }
  }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
  use super::proptests::{kernel, table, Host, MNT};
  use super::*;

  #[test]
  fn paths_judged_on_a_mount_stay_beneath_it() {
    let k = kernel();
    assert_eq!(guest_path_in(&k, 0, ".."), MNT);
    assert_eq!(
      guest_path_in(&k, 0, "x/../../../etc/passwd"),
      format!("{MNT}/etc/passwd")
    );
    assert_eq!(guest_path_in(&k, 0, "a/./b/../c"), format!("{MNT}/a/c"));
  }

  #[test]
  fn a_dangling_link_at_the_mount_root_is_judged_at_its_target() {
    let (k, host) = (kernel(), Host(table()));
    let r = resolve_for_policy(&k, &host, 0, "l_dangling", true).ok();
    assert_eq!(r, Some(Ok(format!("{MNT}/nothere"))));
    let r = resolve_for_policy(&k, &host, 0, "l_dangling", false).ok();
    assert_eq!(r, Some(Ok(format!("{MNT}/l_dangling"))));
  }
}
