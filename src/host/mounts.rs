//! Host directories mounted into a runtime's VFS (`create({ mounts })`).
//! The host opens each directory once, at `create()`, and serves every
//! guest call on it from that descriptor with `openat2(RESOLVE_BENEATH |
//! RESOLVE_NO_MAGICLINKS)`: a `..` or a symlink (relative or absolute) that
//! would leave the directory fails in the kernel, by construction, and the
//! guest sees `EACCES`. The sidecar itself keeps no filesystem access at all
//! (Landlock), so it asks the host through a query, answered here in Rust on
//! the host's reader thread without touching JS.
use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Mutex;

use rustix::fs::{AtFlags, Mode, OFlags, ResolveFlags, StatxFlags};
use rustix::io::Errno;

use crate::ipc::{MountCall, MountReply};

/// Files the guest processes of one runtime may hold open on its mounts.
const MAX_HANDLES: usize = 4096;
/// Most bytes one `Read` returns.
const MAX_READ: u32 = 16 * 1024 * 1024;

struct HostMount {
  dir: OwnedFd,
  read_only: bool,
}

struct Handle {
  file: std::fs::File,
  mount: u32,
}

/// The mounts of one runtime.
pub struct MountTable {
  mounts: Vec<HostMount>,
  handles: Mutex<HashMap<u64, Handle>>,
  next: std::sync::atomic::AtomicU64,
}

/// A mount as `create()` was given it.
pub struct MountRequest {
  pub host_path: String,
  pub read_only: bool,
}

/// Mounts one runtime may have.
const MAX_MOUNTS: usize = 64;

/// `create({ mounts })` as index.js passes it (JSON of
/// `[{ hostPath, guestPath, readOnly }]`): what the sidecar is told, and
/// what the host opens. Guest paths must be absolute, not `/`, and neither
/// equal nor nested in one another.
pub fn parse(json: &str) -> Result<(Vec<crate::ipc::MountSpec>, Vec<MountRequest>), String> {
  let v: Vec<serde_json::Value> =
    serde_json::from_str(json).map_err(|e| format!("options.mounts: {e}"))?;
  if v.len() > MAX_MOUNTS {
    return Err(format!(
      "options.mounts has {} entries; at most {MAX_MOUNTS} are allowed",
      v.len()
    ));
  }
  let mut specs: Vec<crate::ipc::MountSpec> = Vec::new();
  let mut requests = Vec::new();
  for (i, m) in v.iter().enumerate() {
    let field = |k: &str| m.get(k).and_then(|x| x.as_str());
    let host = field("hostPath")
      .filter(|p| !p.is_empty() && !p.contains('\0'))
      .ok_or_else(|| {
        format!("The property 'options.mounts[{i}].hostPath' must be a non-empty string")
      })?;
    let guest = field("guestPath")
      .filter(|p| p.starts_with('/') && !p.contains('\0') && p.len() <= 4096)
      .ok_or_else(|| {
        format!("The property 'options.mounts[{i}].guestPath' must be an absolute guest path")
      })?;
    let guest = crate::kernel::policy::normalize(guest);
    if guest == "/" {
      return Err(format!(
        "The property 'options.mounts[{i}].guestPath' cannot be the root"
      ));
    }
    let read_only = match m.get("readOnly") {
      None | Some(serde_json::Value::Null) => true,
      Some(serde_json::Value::Bool(b)) => *b,
      Some(_) => {
        return Err(format!(
          "The property 'options.mounts[{i}].readOnly' must be a boolean"
        ))
      }
    };
    let nested = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}/"));
    if let Some(other) = specs
      .iter()
      .find(|s| nested(&guest, &s.guest_path) || nested(&s.guest_path, &guest))
    {
      return Err(format!(
        "The property 'options.mounts[{i}].guestPath' ({guest}) overlaps another mount ({})",
        other.guest_path
      ));
    }
    specs.push(crate::ipc::MountSpec {
      guest_path: guest,
      read_only,
    });
    requests.push(MountRequest {
      host_path: host.to_string(),
      read_only,
    });
  }
  Ok((specs, requests))
}

impl MountTable {
  /// Opens every mount's directory; fails with a message naming the one
  /// that could not be opened.
  pub fn open(requests: &[MountRequest]) -> Result<MountTable, String> {
    let mut mounts = Vec::with_capacity(requests.len());
    for r in requests {
      let root = std::fs::canonicalize(&r.host_path)
        .map_err(|e| format!("cannot mount {:?}: {e}", r.host_path))?;
      let dir = rustix::fs::open(
        &root,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
      )
      .map_err(|e| format!("cannot mount {:?}: {e}", r.host_path))?;
      mounts.push(HostMount {
        dir,
        read_only: r.read_only,
      });
    }
    Ok(MountTable {
      mounts,
      handles: Mutex::new(HashMap::new()),
      next: std::sync::atomic::AtomicU64::new(1),
    })
  }

  fn handles(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Handle>> {
    self.handles.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// A guest process ended: the files it left open close.
  pub fn close_all(&self) {
    self.handles().clear();
  }

  /// Serves one call; the error is a positive errno.
  pub fn serve(&self, mount: u32, call: MountCall) -> Result<MountReply, i32> {
    let m = self.mounts.get(mount as usize).ok_or(libc::EINVAL)?;
    serve(self, mount, m, call).map_err(|e| match e {
      // RESOLVE_BENEATH refused a way out of the mount.
      Errno::XDEV => libc::EACCES,
      e => e.raw_os_error(),
    })
  }
}

const RESOLVE: ResolveFlags = ResolveFlags::BENEATH.union(ResolveFlags::NO_MAGICLINKS);

fn rel_path(rel: &str) -> Result<&str, Errno> {
  if rel.starts_with('/') || rel.contains('\0') {
    return Err(Errno::INVAL);
  }
  Ok(if rel.is_empty() { "." } else { rel })
}

fn beneath(m: &HostMount, rel: &str, flags: OFlags, mode: u32) -> Result<OwnedFd, Errno> {
  // openat2 takes a mode only for a file it may create.
  let mode = if flags.contains(OFlags::CREATE) {
    mode & 0o777
  } else {
    0
  };
  let rel = rel_path(rel)?;
  let open = |flags: OFlags| {
    rustix::fs::openat2(
      &m.dir,
      rel,
      flags | OFlags::CLOEXEC,
      Mode::from_raw_mode(mode),
      RESOLVE,
    )
  };
  if flags.contains(OFlags::PATH) {
    return open(flags);
  }
  // Only files and directories are opened for real: opening a FIFO or a
  // device would block this thread (the reader of the whole sidecar) or
  // act on hardware. O_PATH looks without opening; O_NONBLOCK keeps a
  // FIFO swapped in after that look from blocking the open.
  if let Ok(fd) = open(OFlags::PATH | (flags & OFlags::NOFOLLOW)) {
    plain(&fd)?;
  }
  let fd = open(flags | OFlags::NONBLOCK)?;
  plain(&fd)?;
  Ok(fd)
}

/// A regular file or a directory; anything else is not supported (ENOTSUP).
fn plain(fd: &OwnedFd) -> Result<(), Errno> {
  use rustix::fs::FileType as T;
  match rustix::fs::FileType::from_raw_mode(rustix::fs::fstat(fd)?.st_mode) {
    T::RegularFile | T::Directory => Ok(()),
    T::Symlink => Err(Errno::LOOP),
    _ => Err(Errno::NOTSUP),
  }
}

/// The directory holding `rel`'s last component (opened beneath the mount)
/// and that component, which must name an entry.
fn parent_of<'r>(m: &HostMount, rel: &'r str) -> Result<(OwnedFd, &'r str), Errno> {
  let rel = rel.trim_end_matches('/');
  let (dir, name) = match rel.rfind('/') {
    Some(i) => (&rel[..i], &rel[i + 1..]),
    None => ("", rel),
  };
  match name {
    // The mount's own root, or a name that is no entry.
    "" | "." => return Err(Errno::BUSY),
    ".." => return Err(Errno::INVAL),
    _ => {}
  }
  let fd = beneath(m, dir, OFlags::PATH | OFlags::DIRECTORY, 0)?;
  Ok((fd, name))
}

fn writable(m: &HostMount) -> Result<(), Errno> {
  if m.read_only {
    Err(Errno::ROFS)
  } else {
    Ok(())
  }
}

/// Node's stat fields of an open file, with the owner and device of the
/// guest's view: files of a read-only mount are root's, of a writable one
/// the guest user's, and the device is the mount's, not the host's.
fn stat_fields(fd: impl AsFd, mount: u32, read_only: bool) -> Result<Vec<f64>, Errno> {
  let s = rustix::fs::statx(
    fd,
    "",
    AtFlags::EMPTY_PATH,
    StatxFlags::BASIC_STATS | StatxFlags::BTIME,
  )?;
  let owner = if read_only { 0.0 } else { 1000.0 };
  let t = |ts: rustix::fs::StatxTimestamp| (ts.tv_sec as f64, ts.tv_nsec as f64);
  let (a, an) = t(s.stx_atime);
  let (mt, mn) = t(s.stx_mtime);
  let (c, cn) = t(s.stx_ctime);
  let (b, bn) = if s.stx_mask & StatxFlags::BTIME.bits() != 0 {
    t(s.stx_btime)
  } else {
    (c, cn)
  };
  let rdev = ((s.stx_rdev_major as u64) << 8 | s.stx_rdev_minor as u64) as f64;
  Ok(vec![
    (0x100 + mount) as f64,
    s.stx_mode as f64,
    s.stx_nlink as f64,
    owner,
    owner,
    rdev,
    s.stx_blksize as f64,
    s.stx_ino as f64,
    s.stx_size as f64,
    s.stx_blocks as f64,
    a,
    an,
    mt,
    mn,
    c,
    cn,
    b,
    bn,
  ])
}

fn type_letter(t: rustix::fs::FileType) -> u8 {
  use rustix::fs::FileType as T;
  match t {
    T::RegularFile => b'f',
    T::Directory => b'd',
    T::Symlink => b'l',
    T::CharacterDevice => b'c',
    T::BlockDevice => b'b',
    T::Fifo => b'p',
    T::Socket => b's',
    T::Unknown => b'u',
  }
}

/// The open file behind `handle`, if it belongs to `mount`.
fn handle_file(h: &HashMap<u64, Handle>, handle: u64, mount: u32) -> Result<&std::fs::File, Errno> {
  h.get(&handle)
    .filter(|h| h.mount == mount)
    .map(|h| &h.file)
    .ok_or(Errno::BADF)
}

fn serve(t: &MountTable, mount: u32, m: &HostMount, call: MountCall) -> Result<MountReply, Errno> {
  Ok(match call {
    MountCall::Stat { rel, follow } => {
      let flags = if follow {
        OFlags::PATH
      } else {
        OFlags::PATH | OFlags::NOFOLLOW
      };
      let fd = beneath(m, &rel, flags, 0)?;
      MountReply::Stat(stat_fields(&fd, mount, m.read_only)?)
    }
    MountCall::ReadFile { rel, max } => {
      // Never more than one answer can carry, whatever the sidecar asks.
      let max = max.min((crate::ipc::MAX_IPC_FRAME_BYTES - 64 * 1024) as u64);
      let fd = beneath(m, &rel, OFlags::RDONLY, 0)?;
      let st = rustix::fs::fstat(&fd)?;
      if rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::Directory {
        return Err(Errno::ISDIR);
      }
      if st.st_size as u64 > max {
        return Err(Errno::FBIG);
      }
      let mut out = Vec::new();
      std::fs::File::from(fd)
        .take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| Errno::from_io_error(&e).unwrap_or(Errno::IO))?;
      if out.len() as u64 > max {
        return Err(Errno::FBIG);
      }
      MountReply::Bytes(out)
    }
    MountCall::Readdir { rel } => {
      let fd = beneath(m, &rel, OFlags::RDONLY | OFlags::DIRECTORY, 0)?;
      let mut entries = Vec::new();
      for e in rustix::fs::Dir::read_from(&fd)? {
        let e = e?;
        let name = e.file_name().to_string_lossy();
        if name == "." || name == ".." {
          continue;
        }
        entries.push((type_letter(e.file_type()), name.into_owned()));
      }
      entries.sort_by(|a, b| a.1.cmp(&b.1));
      MountReply::Entries(entries)
    }
    MountCall::Readlink { rel } => {
      let (dir, name) = parent_of(m, &rel)?;
      let target = rustix::fs::readlinkat(&dir, name, Vec::new())?;
      MountReply::Text(target.to_string_lossy().into_owned())
    }
    MountCall::Realpath { rel } => {
      let fd = beneath(m, &rel, OFlags::PATH, 0)?;
      let real = std::fs::read_link(format!(
        "/proc/self/fd/{}",
        std::os::fd::AsRawFd::as_raw_fd(&fd)
      ))
      .map_err(|e| Errno::from_io_error(&e).unwrap_or(Errno::IO))?;
      // Beneath the directory by construction: relative to where it is
      // now (the host may have moved it since create()); anything else is
      // refused.
      let root = std::fs::read_link(format!(
        "/proc/self/fd/{}",
        std::os::fd::AsRawFd::as_raw_fd(&m.dir)
      ))
      .map_err(|e| Errno::from_io_error(&e).unwrap_or(Errno::IO))?;
      let inside = real.strip_prefix(&root).map_err(|_| Errno::ACCESS)?;
      MountReply::Text(inside.to_string_lossy().into_owned())
    }
    MountCall::Access { rel, mode } => {
      if mode & 2 != 0 {
        writable(m)?;
      }
      let fd = beneath(m, &rel, OFlags::PATH, 0)?;
      if mode & 7 != 0 {
        rustix::fs::accessat(
          &fd,
          "",
          rustix::fs::Access::from_bits_truncate(mode & 7),
          AtFlags::EMPTY_PATH,
        )?;
      }
      MountReply::Done
    }
    MountCall::WriteFile {
      rel,
      data,
      flags,
      mode,
    } => {
      writable(m)?;
      let fd = beneath(
        m,
        &rel,
        OFlags::from_bits_truncate(flags as u32),
        mode & 0o777,
      )?;
      std::fs::File::from(fd)
        .write_all(&data)
        .map_err(|e| Errno::from_io_error(&e).unwrap_or(Errno::IO))?;
      MountReply::Done
    }
    MountCall::Mkdir { rel, mode } => {
      writable(m)?;
      let (dir, name) = parent_of(m, &rel)?;
      rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(mode & 0o777))?;
      MountReply::Done
    }
    MountCall::Rmdir { rel } => {
      writable(m)?;
      let (dir, name) = parent_of(m, &rel)?;
      rustix::fs::unlinkat(&dir, name, AtFlags::REMOVEDIR)?;
      MountReply::Done
    }
    MountCall::Unlink { rel } => {
      writable(m)?;
      let (dir, name) = parent_of(m, &rel)?;
      rustix::fs::unlinkat(&dir, name, AtFlags::empty())?;
      MountReply::Done
    }
    MountCall::Rename { from, to } => {
      writable(m)?;
      let (a, an) = parent_of(m, &from)?;
      let (b, bn) = parent_of(m, &to)?;
      rustix::fs::renameat(&a, an, &b, bn)?;
      MountReply::Done
    }
    MountCall::Truncate { rel, len } => {
      writable(m)?;
      let fd = beneath(m, &rel, OFlags::WRONLY, 0)?;
      rustix::fs::ftruncate(&fd, len)?;
      MountReply::Done
    }
    MountCall::Open { rel, flags, mode } => {
      let flags = OFlags::from_bits_truncate(flags as u32);
      let writes = flags.intersects(
        OFlags::WRONLY | OFlags::RDWR | OFlags::CREATE | OFlags::TRUNC | OFlags::APPEND,
      );
      if writes {
        writable(m)?;
      }
      if t.handles().len() >= MAX_HANDLES {
        return Err(Errno::MFILE);
      }
      let fd = beneath(m, &rel, flags, mode & 0o777)?;
      let id = t.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
      t.handles().insert(
        id,
        Handle {
          file: std::fs::File::from(fd),
          mount,
        },
      );
      MountReply::Handle(id)
    }
    MountCall::Read {
      handle,
      offset,
      len,
    } => {
      let h = t.handles();
      let file = handle_file(&h, handle, mount)?;
      let mut buf = vec![0u8; len.min(MAX_READ) as usize];
      let n = rustix::io::pread(file, &mut buf, offset)?;
      buf.truncate(n);
      MountReply::Bytes(buf)
    }
    MountCall::Write {
      handle,
      offset,
      data,
    } => {
      writable(m)?;
      let h = t.handles();
      let file = handle_file(&h, handle, mount)?;
      let n = match offset {
        Some(o) => rustix::io::pwrite(file, &data, o)?,
        None => rustix::io::write(file, &data)?,
      };
      MountReply::Count(n as u64)
    }
    MountCall::Fstat { handle } => {
      let h = t.handles();
      let file = handle_file(&h, handle, mount)?;
      MountReply::Stat(stat_fields(file, mount, m.read_only)?)
    }
    MountCall::Close { handle } => {
      t.handles().remove(&handle).ok_or(Errno::BADF)?;
      MountReply::Done
    }
  })
}

#[cfg(test)]
mod tests {
  use super::*;
  use std::path::PathBuf;

  fn table(dir: &std::path::Path, read_only: bool) -> MountTable {
    MountTable::open(&[MountRequest {
      host_path: dir.to_string_lossy().into_owned(),
      read_only,
    }])
    .expect("mount")
  }

  fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("se-mount-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("inner/sub")).unwrap();
    std::fs::write(d.join("inner/file.txt"), b"data").unwrap();
    d
  }

  #[test]
  fn nothing_leaves_the_mount() {
    let d = scratch("escape");
    let outside = d
      .parent()
      .unwrap()
      .join(format!("se-mount-secret-{}", std::process::id()));
    std::fs::write(&outside, b"secret").unwrap();
    std::os::unix::fs::symlink(&outside, d.join("inner/abs-link")).unwrap();
    std::os::unix::fs::symlink("../../x", d.join("inner/rel-out")).unwrap();
    std::os::unix::fs::symlink("file.txt", d.join("inner/ok-link")).unwrap();
    let t = table(&d.join("inner"), true);
    let read = |rel: &str| {
      t.serve(
        0,
        MountCall::ReadFile {
          rel: rel.into(),
          max: 1 << 20,
        },
      )
    };
    assert_eq!(read("file.txt"), Ok(MountReply::Bytes(b"data".to_vec())));
    assert_eq!(read("ok-link"), Ok(MountReply::Bytes(b"data".to_vec())));
    assert_eq!(
      read("sub/../file.txt"),
      Ok(MountReply::Bytes(b"data".to_vec()))
    );
    for escape in [
      "abs-link",
      "rel-out",
      "../inner/file.txt",
      "sub/../../x",
      "/etc/hostname",
      "/proc/self/root/etc/hostname",
    ] {
      let r = read(escape);
      assert!(
        matches!(r, Err(e) if e == libc::EACCES || e == libc::EINVAL),
        "{escape}: {r:?}"
      );
    }
    let _ = std::fs::remove_file(&outside);
    let _ = std::fs::remove_dir_all(&d);
  }

  #[test]
  fn read_only_mounts_refuse_writes_and_rw_mounts_take_them() {
    let d = scratch("rw");
    let ro = table(&d, true);
    let w = |t: &MountTable| {
      t.serve(
        0,
        MountCall::WriteFile {
          rel: "new.txt".into(),
          data: b"x".to_vec(),
          flags: libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
          mode: 0o644,
        },
      )
    };
    assert_eq!(w(&ro), Err(libc::EROFS));
    assert_eq!(
      ro.serve(
        0,
        MountCall::Mkdir {
          rel: "m".into(),
          mode: 0o755
        }
      ),
      Err(libc::EROFS)
    );
    let rw = table(&d, false);
    assert_eq!(w(&rw), Ok(MountReply::Done));
    assert_eq!(std::fs::read(d.join("new.txt")).unwrap(), b"x");
    assert_eq!(
      rw.serve(0, MountCall::Rmdir { rel: "".into() }),
      Err(libc::EBUSY)
    );
    let Ok(MountReply::Entries(e)) = rw.serve(0, MountCall::Readdir { rel: ".".into() }) else {
      panic!()
    };
    assert_eq!(
      e,
      vec![(b'd', "inner".to_string()), (b'f', "new.txt".to_string())]
    );
    let Ok(MountReply::Text(p)) = rw.serve(
      0,
      MountCall::Realpath {
        rel: "inner/sub/..".into(),
      },
    ) else {
      panic!()
    };
    assert_eq!(p, "inner");
    let _ = std::fs::remove_dir_all(&d);
  }

  #[test]
  fn handles_are_bounded_to_their_mount_and_closed_together() {
    let d = scratch("handles");
    let t = table(&d, true);
    let Ok(MountReply::Handle(h)) = t.serve(
      0,
      MountCall::Open {
        rel: "inner/file.txt".into(),
        flags: libc::O_RDONLY,
        mode: 0,
      },
    ) else {
      panic!()
    };
    assert_eq!(
      t.serve(
        0,
        MountCall::Read {
          handle: h,
          offset: 1,
          len: 10
        }
      ),
      Ok(MountReply::Bytes(b"ata".to_vec()))
    );
    assert_eq!(
      t.serve(
        0,
        MountCall::Open {
          rel: "inner/file.txt".into(),
          flags: libc::O_RDWR,
          mode: 0
        }
      ),
      Err(libc::EROFS)
    );
    t.close_all();
    assert_eq!(
      t.serve(
        0,
        MountCall::Read {
          handle: h,
          offset: 0,
          len: 1
        }
      ),
      Err(libc::EBADF)
    );
    assert_eq!(
      t.serve(
        7,
        MountCall::Stat {
          rel: "".into(),
          follow: true
        }
      ),
      Err(libc::EINVAL)
    );
    let _ = std::fs::remove_dir_all(&d);
  }
}
