//! Starting sidecar processes. Every sidecar is forked from one long-lived
//! thread, because the parent-death signal fires when the forking *thread*
//! ends, not the process.
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex, OnceLock};

/// What the sidecar's Node runs: load this addon and serve.
const BOOT_JS: &str = "require(process.argv[1]).sidecarMain()";

pub struct Spawned {
  pub child: Child,
  pub channel: UnixStream,
}

type Reply = mpsc::Sender<io::Result<Spawned>>;

fn spawner() -> &'static Mutex<mpsc::Sender<Reply>> {
  static SPAWNER: OnceLock<Mutex<mpsc::Sender<Reply>>> = OnceLock::new();
  SPAWNER.get_or_init(|| {
    let (tx, rx) = mpsc::channel::<Reply>();
    std::thread::Builder::new()
      .name("se-spawner".into())
      .spawn(move || {
        while let Ok(reply) = rx.recv() {
          let _ = reply.send(spawn_now());
        }
      })
      .expect("spawn se-spawner thread");
    Mutex::new(tx)
  })
}

/// Starts a sidecar process (blocking until it is forked, not until ready).
pub fn spawn_sidecar() -> io::Result<Spawned> {
  let (tx, rx) = mpsc::channel();
  spawner()
    .lock()
    .unwrap_or_else(|e| e.into_inner())
    .send(tx)
    .map_err(|_| io::Error::other("spawner thread is gone"))?;
  rx.recv()
    .map_err(|_| io::Error::other("spawner thread is gone"))?
}

/// The path of this addon, so that the sidecar loads the very same file.
pub fn addon_path() -> io::Result<PathBuf> {
  // SAFETY: Dl_info is plain C data; all-zero is a valid value.
  let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
  // SAFETY: `addon_path` is a function of this library and `info` is a valid out-pointer.
  let ok = unsafe { libc::dladdr(addon_path as *const libc::c_void, &mut info) };
  if ok == 0 || info.dli_fname.is_null() {
    return Err(io::Error::other("cannot locate the secure-exec addon file"));
  }
  // SAFETY: dladdr succeeded and dli_fname is non-null: a C string the loader owns.
  let name = unsafe { std::ffi::CStr::from_ptr(info.dli_fname) };
  Ok(PathBuf::from(name.to_string_lossy().into_owned()))
}

fn spawn_now() -> io::Result<Spawned> {
  let node = std::env::current_exe()?;
  let addon = addon_path()?;
  let (host_end, child_end) = UnixStream::pair()?;
  let child_fd: OwnedFd = child_end.into();
  let raw = child_fd.as_raw_fd();
  // SAFETY: getpid has no preconditions.
  let parent = unsafe { libc::getpid() };
  let mut cmd = Command::new(node);
  cmd
    .arg("--no-warnings")
    .arg("-e")
    .arg(BOOT_JS)
    .arg(addon)
    .env_clear()
    .current_dir("/")
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
  // The one host variable a sidecar sees: the host's log filter, with its
  // log lines on stdout (the host copies them to its own stderr).
  if let Some(filter) = crate::log::sidecar_filter() {
    cmd.env(crate::log::ENV, filter).stdout(Stdio::piped());
  }
  // SAFETY: only async-signal-safe calls between fork and exec.
  unsafe {
    cmd.pre_exec(move || {
      if raw == super::super::sidecar::CHANNEL_FD {
        if libc::fcntl(raw, libc::F_SETFD, 0) < 0 {
          return Err(io::Error::last_os_error());
        }
      } else if libc::dup2(raw, super::super::sidecar::CHANNEL_FD) < 0 {
        return Err(io::Error::last_os_error());
      }
      // No host fd but the channel and stdio may reach the sidecar.
      let first = (super::super::sidecar::CHANNEL_FD + 1) as libc::c_uint;
      if libc::syscall(
        libc::SYS_close_range,
        first,
        libc::c_uint::MAX,
        libc::CLOSE_RANGE_CLOEXEC,
      ) != 0
      {
        for fd in first as i32..4096 {
          libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
        }
      }
      // Defence in depth for a guest that escaped V8: no privilege gain
      // through exec, and no core file full of guest memory.
      if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
        return Err(io::Error::last_os_error());
      }
      let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
      };
      libc::setrlimit(libc::RLIMIT_CORE, &no_core);
      if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
        return Err(io::Error::last_os_error());
      }
      // The host may have died before the signal was armed.
      if libc::getppid() != parent {
        libc::_exit(0);
      }
      Ok(())
    });
  }
  let child = cmd.spawn()?;
  drop(child_fd);
  Ok(Spawned {
    child,
    channel: host_end,
  })
}
