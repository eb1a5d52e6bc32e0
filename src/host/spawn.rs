//! Starting sidecar processes. Every sidecar is started from one long-lived
//! thread, because the parent-death signal fires when the starting *thread*
//! ends, not the process.
use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::sync::{mpsc, Mutex, OnceLock};

/// What the sidecar's Node runs: load this addon and serve.
const BOOT_JS: &str = "require(process.argv[1]).sidecarMain()";

pub struct Spawned {
  pub child: Process,
  pub channel: UnixStream,
}

/// Work for the spawner thread.
type Job = Box<dyn FnOnce() + Send>;

thread_local! {
  /// This thread lives as long as the process (the spawner, or the
  /// process's main thread): it may start sidecars itself.
  static LIFELONG: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn spawner() -> &'static Mutex<mpsc::Sender<Job>> {
  static SPAWNER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
  SPAWNER.get_or_init(|| {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
      .name("se-spawner".into())
      .spawn(move || {
        LIFELONG.with(|on| on.set(true));
        while let Ok(job) = rx.recv() {
          // A job that panics must not take later spawns with it.
          let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        }
      })
      .expect("spawn se-spawner thread");
    Mutex::new(tx)
  })
}

/// Runs `job` on the spawner thread, without waiting for it: work that
/// starts a sidecar there (its `spawn_sidecar` forks at once) spares the
/// caller a thread of its own.
pub fn on_spawner(job: impl FnOnce() + Send + 'static) -> io::Result<()> {
  spawner()
    .lock()
    .unwrap_or_else(|e| e.into_inner())
    .send(Box::new(job))
    .map_err(|_| io::Error::other("spawner thread is gone"))
}

/// Runs `job` on this thread if it is the process's main thread, which
/// ends only with the process (the sidecars `job` starts are tied to it),
/// else on the spawner thread. Saves the hop to the spawner when the main
/// thread starts the first sidecar at import.
pub fn here_or_on_spawner(job: impl FnOnce() + Send + 'static) -> io::Result<()> {
  // SAFETY: getpid and gettid have no preconditions.
  let main = unsafe { libc::getpid() == libc::gettid() };
  if !main {
    return on_spawner(job);
  }
  LIFELONG.with(|on| on.set(true));
  job();
  Ok(())
}

/// Starts a sidecar process (blocking until it is forked, not until ready).
pub fn spawn_sidecar() -> io::Result<Spawned> {
  if LIFELONG.with(|on| on.get()) {
    return spawn_now();
  }
  let (tx, rx) = mpsc::channel();
  on_spawner(move || {
    let _ = tx.send(spawn_now());
  })?;
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

/// A sidecar process: its pid until it is reaped, and the host's ends of
/// its output pipes.
pub struct Process {
  pid: libc::pid_t,
  status: Option<ExitStatus>,
  /// Log lines, when the host's logging is on.
  pub stdout: Option<File>,
  pub stderr: Option<File>,
}

impl Process {
  pub fn id(&self) -> u32 {
    self.pid as u32
  }

  /// SIGKILL, unless already reaped (its pid may be another process's now).
  pub fn kill(&mut self) -> io::Result<()> {
    if self.status.is_some() {
      return Ok(());
    }
    // SAFETY: kill has no memory preconditions; the pid is our unreaped child.
    if unsafe { libc::kill(self.pid, libc::SIGKILL) } != 0 {
      return Err(io::Error::last_os_error());
    }
    Ok(())
  }

  /// Waits until the process ends and reaps it.
  pub fn wait(&mut self) -> io::Result<ExitStatus> {
    if let Some(s) = self.status {
      return Ok(s);
    }
    let mut raw = 0;
    loop {
      // SAFETY: `raw` is a valid out-pointer; the pid is our unreaped child.
      let r = unsafe { libc::waitpid(self.pid, &mut raw, 0) };
      if r == self.pid {
        let s = ExitStatus::from_raw(raw);
        self.status = Some(s);
        return Ok(s);
      }
      let e = io::Error::last_os_error();
      if e.kind() != io::ErrorKind::Interrupted {
        return Err(e);
      }
    }
  }
}

/// Stack of the child between clone and exec (it runs a few syscalls).
const CHILD_STACK_BYTES: usize = 64 * 1024;

/// What the child needs between clone and exec, prepared by the parent
/// (the child may not allocate: it runs on the parent's memory).
struct ChildSetup {
  path: *const libc::c_char,
  argv: *const *const libc::c_char,
  envp: *const *const libc::c_char,
  cwd: *const libc::c_char,
  /// Sources of the child's fds 0, 1 and 2.
  stdio: [libc::c_int; 3],
  channel: libc::c_int,
  parent: libc::pid_t,
  /// errno of the step that failed, set by the child before it exits.
  err: libc::c_int,
}

/// The child's side of the spawn, from clone to exec: on a stack of its
/// own, in the parent's memory, with the parent thread suspended until the
/// exec (or the exit). Only raw syscalls: no allocation, no locks.
extern "C" fn child_main(arg: *mut libc::c_void) -> libc::c_int {
  // The parent is suspended until this child has exec'd or exited.
  // SAFETY: `arg` is the parent's `ChildSetup`, alive and untouched until then.
  let s = unsafe { &mut *(arg as *mut ChildSetup) };
  // The pointers are NUL-terminated strings and NULL-terminated arrays that outlive this.
  // SAFETY: async-signal-safe libc calls on pointers the parent prepared.
  unsafe {
    let fail = |s: &mut ChildSetup| -> libc::c_int {
      s.err = *libc::__errno_location();
      libc::_exit(127)
    };
    // The host's signal handlers must not run here, on the host's memory
    // (every signal is blocked until the exec, which resets them anyway).
    for sig in 1..=libc::SIGRTMAX() {
      let mut old: libc::sigaction = std::mem::zeroed();
      if libc::sigaction(sig, std::ptr::null(), &mut old) == 0
        && old.sa_sigaction != libc::SIG_DFL
        && old.sa_sigaction != libc::SIG_IGN
      {
        let mut dfl: libc::sigaction = std::mem::zeroed();
        dfl.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(sig, &dfl, std::ptr::null_mut());
      }
    }
    // As Rust's Command leaves it (Node's host ignores it).
    libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    for (target, &fd) in s.stdio.iter().enumerate() {
      let target = target as libc::c_int;
      let r = if fd == target {
        libc::fcntl(fd, libc::F_SETFD, 0)
      } else {
        libc::dup2(fd, target)
      };
      if r < 0 {
        return fail(s);
      }
    }
    let channel = super::super::sidecar::CHANNEL_FD;
    let r = if s.channel == channel {
      libc::fcntl(channel, libc::F_SETFD, 0)
    } else {
      libc::dup2(s.channel, channel)
    };
    if r < 0 {
      return fail(s);
    }
    // No host fd but the channel and stdio may reach the sidecar.
    let first = (channel + 1) as libc::c_uint;
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
      return fail(s);
    }
    let no_core = libc::rlimit {
      rlim_cur: 0,
      rlim_max: 0,
    };
    libc::setrlimit(libc::RLIMIT_CORE, &no_core);
    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
      return fail(s);
    }
    // The host may have died before the signal was armed.
    if libc::getppid() != s.parent {
      libc::_exit(0);
    }
    if libc::chdir(s.cwd) != 0 {
      return fail(s);
    }
    let mut none: libc::sigset_t = std::mem::zeroed();
    libc::sigemptyset(&mut none);
    libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    libc::execve(s.path, s.argv, s.envp);
    fail(s)
  }
}

fn c_string(bytes: &[u8]) -> io::Result<CString> {
  CString::new(bytes).map_err(|_| io::Error::other("a NUL byte in the sidecar's command line"))
}

fn pipe() -> io::Result<(File, File)> {
  let mut fds = [0; 2];
  // SAFETY: `fds` is a valid out-array of two ints.
  if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
    return Err(io::Error::last_os_error());
  }
  // SAFETY: pipe2 returned two new fds that nothing else owns.
  Ok(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
}

/// Starts the sidecar with a vfork-style clone (the host's memory is not
/// copied, so a big host spawns as fast as a small one and its other
/// threads are not held up by the copy), then sets the child up as above.
fn spawn_now() -> io::Result<Spawned> {
  let node = std::env::current_exe()?;
  let addon = addon_path()?;
  let path = c_string(node.as_os_str().as_bytes())?;
  let args = [
    path.clone(),
    c_string(b"--no-warnings")?,
    c_string(b"-e")?,
    c_string(BOOT_JS.as_bytes())?,
    c_string(addon.as_os_str().as_bytes())?,
  ];
  // The one host variable a sidecar sees: the host's log filter, with its
  // log lines on stdout (the host copies them to its own stderr).
  let filter = crate::log::sidecar_filter();
  let env = match filter {
    Some(f) => vec![c_string(format!("{}={f}", crate::log::ENV).as_bytes())?],
    None => Vec::new(),
  };
  let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
  argv.push(std::ptr::null());
  let mut envp: Vec<*const libc::c_char> = env.iter().map(|e| e.as_ptr()).collect();
  envp.push(std::ptr::null());
  let (host_end, child_end) = UnixStream::pair()?;
  let null = File::options().read(true).write(true).open("/dev/null")?;
  let (stderr_read, stderr_write) = pipe()?;
  let log = filter.map(|_| pipe()).transpose()?;
  let mut setup = ChildSetup {
    path: path.as_ptr(),
    argv: argv.as_ptr(),
    envp: envp.as_ptr(),
    cwd: c"/".as_ptr(),
    stdio: [
      null.as_raw_fd(),
      log
        .as_ref()
        .map_or(null.as_raw_fd(), |(_, w)| w.as_raw_fd()),
      stderr_write.as_raw_fd(),
    ],
    channel: child_end.as_raw_fd(),
    // SAFETY: getpid has no preconditions.
    parent: unsafe { libc::getpid() },
    err: 0,
  };
  // SAFETY: an anonymous private mapping; checked below.
  let stack = unsafe {
    libc::mmap(
      std::ptr::null_mut(),
      CHILD_STACK_BYTES,
      libc::PROT_READ | libc::PROT_WRITE,
      libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
      -1,
      0,
    )
  };
  if stack == libc::MAP_FAILED {
    return Err(io::Error::last_os_error());
  }
  // Every signal is blocked across the clone: a handler of the host must
  // not run in the child, which shares the host's memory until its exec.
  // SAFETY: plain sigset_t values and valid pointers to them.
  let mut all: libc::sigset_t = unsafe { std::mem::zeroed() };
  // SAFETY: as above.
  let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
  // SAFETY: as above.
  unsafe {
    libc::sigfillset(&mut all);
    libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
  }
  // With CLONE_VFORK this thread waits until the child has exec'd or exited.
  // SAFETY: the stack is ours, its top 16-byte aligned; `setup` and all it points to outlive the child's use.
  let pid = unsafe {
    libc::clone(
      child_main,
      (stack as *mut u8).add(CHILD_STACK_BYTES).cast(),
      libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
      (&mut setup as *mut ChildSetup).cast(),
    )
  };
  let clone_error = io::Error::last_os_error();
  // SAFETY: restores this thread's mask; unmaps the stack the child is done with.
  unsafe {
    libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    libc::munmap(stack, CHILD_STACK_BYTES);
  }
  if pid < 0 {
    return Err(clone_error);
  }
  // SAFETY: the child wrote it (or not) before this thread resumed.
  let err = unsafe { std::ptr::read_volatile(&setup.err) };
  let mut child = Process {
    pid,
    status: None,
    stdout: log.map(|(r, _)| r),
    stderr: Some(stderr_read),
  };
  if err != 0 {
    let _ = child.wait();
    return Err(io::Error::from_raw_os_error(err));
  }
  // The child's ends (stderr_write, the log pipe's write end, /dev/null and
  // child_end) close here, in the host.
  drop((stderr_write, null, child_end));
  Ok(Spawned {
    child,
    channel: host_end,
  })
}
