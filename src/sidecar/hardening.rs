//! Confines the sidecar once started: Landlock takes the filesystem, seccomp exec/ptrace/sockets.
use crate::ipc::{Hardening, LandlockStatus};

extern "C" {
  // POSIX, in glibc; the libc crate does not declare it.
  fn tzset();
}

/// Restricts this process for good. Nothing here is fatal: the sidecar
/// serves on and reports what applied. Call once the sidecar needs no more
/// files (after the V8 platform is up), before it reports ready.
pub fn apply() -> Hardening {
  // Files read after this point must be open already.
  super::watchdog::open_statm();
  // glibc caches the local time zone on first use: read /etc/localtime now.
  // Reads that fail later, harmlessly: V8's /proc/self/maps (a placement
  // hint for code, with a fallback) and glibc malloc's
  // /proc/sys/vm/overcommit_memory (it then assumes the default).
  // SAFETY: tzset has no preconditions; it only reads the environment and /etc/localtime.
  unsafe { tzset() };
  let landlock = restrict_filesystem();
  let seccomp = filter_syscalls();
  let fs_probe_errno = probe_filesystem();
  // SAFETY: prctl(PR_GET_NO_NEW_PRIVS) only reads a flag of this process.
  let no_new_privs = unsafe { libc::prctl(libc::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) } == 1;
  Hardening {
    seccomp,
    landlock,
    no_new_privs,
    fs_probe_errno,
  }
}

/// Enters a Landlock domain that handles every filesystem right and grants
/// none (mounts will reach the sidecar as fds opened by the host).
fn restrict_filesystem() -> LandlockStatus {
  use landlock::{Access, AccessFs, RestrictSelfAttr, Ruleset, RulesetAttr, RulesetStatus, ABI};
  // Best effort: rights the kernel does not know are dropped, and so is
  // `all_threads` (ABI 8) on older kernels, which restrict only the calling
  // thread and the threads it starts later.
  let status = Ruleset::default()
    .handle_access(AccessFs::from_all(ABI::V10))
    .and_then(|r| r.create())
    .and_then(|r| r.all_threads(true))
    .and_then(|r| r.restrict_self());
  match status {
    Ok(s) if s.ruleset == RulesetStatus::NotEnforced => {
      warn("this kernel has no Landlock; the sidecar keeps the host user's filesystem access");
      LandlockStatus::Unsupported
    }
    Ok(s) if s.all_threads => LandlockStatus::Full,
    Ok(_) => LandlockStatus::Partial,
    Err(e) => {
      warn(&format!(
        "Landlock failed ({e}); the sidecar keeps the host user's filesystem access"
      ));
      LandlockStatus::Unsupported
    }
  }
}

/// Opens `/` the way a guest escape would; returns the errno (0: it opened).
fn probe_filesystem() -> i32 {
  // SAFETY: the path is a NUL-terminated literal; the returned fd is closed below.
  let fd = unsafe {
    libc::open(
      c"/".as_ptr(),
      libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
    )
  };
  if fd >= 0 {
    // SAFETY: `fd` was returned by open above and is closed once.
    unsafe { libc::close(fd) };
    return 0;
  }
  std::io::Error::last_os_error().raw_os_error().unwrap_or(-1)
}

/// One line on stderr, which the host keeps to explain a crash.
fn warn(msg: &str) {
  eprintln!("secure-exec: warning: {msg}");
}

#[cfg(target_arch = "x86_64")]
fn filter_syscalls() -> bool {
  let Ok(deny) = seccomp::deny_filter() else {
    return false;
  };
  // TSYNC: Node's own threads started before us are filtered too.
  seccompiler::apply_filter_all_threads(&deny).is_ok()
    && seccompiler::apply_filter_all_threads(&seccomp::unimplemented_filter()).is_ok()
}

#[cfg(not(target_arch = "x86_64"))]
fn filter_syscalls() -> bool {
  warn("no seccomp filter for this architecture yet");
  false
}

#[cfg(target_arch = "x86_64")]
mod seccomp {
  use std::collections::BTreeMap;

  use seccompiler::{
    sock_filter, BackendError, BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp,
    SeccompCondition, SeccompFilter, SeccompRule, TargetArch,
  };

  /// Syscalls the sidecar never makes once it serves; each fails with EPERM.
  pub const DENIED: &[libc::c_long] = &[
    // Running programs and making processes.
    libc::SYS_execve,
    libc::SYS_execveat,
    libc::SYS_fork,
    libc::SYS_vfork,
    // Reaching into other processes (the host runs as the same user).
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_process_madvise,
    libc::SYS_pidfd_getfd,
    libc::SYS_kcmp,
    // New sockets: the sidecar talks only over the channel it was given.
    libc::SYS_socket,
    libc::SYS_socketpair,
    libc::SYS_connect,
    libc::SYS_bind,
    libc::SYS_listen,
    libc::SYS_accept,
    libc::SYS_accept4,
    // Mounts and namespaces.
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_open_tree,
    libc::SYS_move_mount,
    libc::SYS_mount_setattr,
    // Large kernel attack surface no sidecar uses.
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_userfaultfd,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_personality,
    // Files by handle sidestep path checks.
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    // Whole-machine operations (they matter if the host runs privileged).
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_reboot,
    libc::SYS_acct,
    libc::SYS_iopl,
    libc::SYS_ioperm,
    libc::SYS_quotactl,
    libc::SYS_sethostname,
    libc::SYS_setdomainname,
    libc::SYS_settimeofday,
    libc::SYS_clock_settime,
    libc::SYS_syslog,
  ];

  /// The EPERM filter: `DENIED`, and `clone` unless it makes a thread.
  pub fn deny_filter() -> Result<BpfProgram, BackendError> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> =
      DENIED.iter().map(|&nr| (nr, Vec::new())).collect();
    let new_process = SeccompCondition::new(
      0,
      SeccompCmpArgLen::Dword,
      SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64),
      0,
    )?;
    rules.insert(libc::SYS_clone, vec![SeccompRule::new(vec![new_process])?]);
    SeccompFilter::new(
      rules,
      SeccompAction::Allow,
      SeccompAction::Errno(libc::EPERM as u32),
      TargetArch::x86_64,
    )?
    .try_into()
  }

  const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
  /// Syscall numbers at or above this are the x32 ABI's aliases of the same
  /// calls, which a filter keyed on x86_64 numbers would not see.
  const X32_SYSCALL_BIT: u32 = 0x4000_0000;

  /// The ENOSYS filter, hand-written because seccompiler has one action per
  /// filter and matches syscall numbers only by equality: `clone3` (its
  /// flags are in memory, out of a filter's reach; glibc then falls back to
  /// `clone`) and every x32 syscall.
  pub fn unimplemented_filter() -> BpfProgram {
    const LD_W_ABS: u16 = 0x20;
    const JEQ_K: u16 = 0x15;
    const JGE_K: u16 = 0x35;
    const RET_K: u16 = 0x06;
    // Offsets into `struct seccomp_data`.
    const NR: u32 = 0;
    const ARCH: u32 = 4;
    let op = |code, jt, jf, k| sock_filter { code, jt, jf, k };
    vec![
      op(LD_W_ABS, 0, 0, ARCH),
      op(JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
      op(RET_K, 0, 0, libc::SECCOMP_RET_KILL_PROCESS),
      op(LD_W_ABS, 0, 0, NR),
      op(JGE_K, 2, 0, X32_SYSCALL_BIT),
      op(JEQ_K, 1, 0, libc::SYS_clone3 as u32),
      op(RET_K, 0, 0, libc::SECCOMP_RET_ALLOW),
      op(RET_K, 0, 0, libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32),
    ]
  }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
  use super::seccomp;

  #[test]
  fn deny_filter_compiles() {
    let prog = seccomp::deny_filter().expect("compiles");
    assert!(!prog.is_empty() && prog.len() < u16::MAX as usize);
  }

  /// Installs both filters in a forked child (single-threaded, so no TSYNC
  /// needed) and checks what each kind of call gets back there.
  #[test]
  fn filters_refuse_what_they_list_and_allow_threads() {
    let deny = seccomp::deny_filter().unwrap();
    let unimplemented = seccomp::unimplemented_filter();
    // Results are encoded in the exit status: 0 means every check held.
    // SAFETY: the forked child only runs the checks and then _exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
      // SAFETY: we are the forked child, which is single-threaded, as child_checks requires.
      let code = unsafe { child_checks(&deny, &unimplemented) };
      // SAFETY: _exit has no preconditions; this process has nothing to clean up.
      unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: `pid` is our own child and `status` a valid out-pointer.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(libc::WIFEXITED(status), "child died: status {status:#x}");
    assert_eq!(libc::WEXITSTATUS(status), 0, "failed check number");
  }

  fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
  }

  /// Only async-signal-safe calls: the test process has other threads.
  unsafe fn child_checks(
    deny: &[seccompiler::sock_filter],
    unimplemented: &[seccompiler::sock_filter],
  ) -> i32 {
    if seccompiler::apply_filter(deny).is_err() || seccompiler::apply_filter(unimplemented).is_err()
    {
      return 1;
    }
    let argv = [c"/bin/true".as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null()];
    // SAFETY: argv/envp are NUL-terminated arrays of C strings; the call must fail.
    if unsafe { libc::execve(argv[0], argv.as_ptr(), envp.as_ptr()) } != -1
      || errno() != libc::EPERM
    {
      return 2;
    }
    // SAFETY: socket has no memory preconditions; the call is expected to fail.
    if unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0) } != -1 || errno() != libc::EPERM
    {
      return 3;
    }
    // SAFETY: clone3 with a null argument is expected to fail before reading it.
    if unsafe { libc::syscall(libc::SYS_clone3, std::ptr::null::<u8>(), 0usize) } != -1
      || errno() != libc::ENOSYS
    {
      return 4;
    }
    // A new process through clone: refused before it exists.
    // SAFETY: clone without CLONE_THREAD is expected to fail; a child would _exit at once.
    let r = unsafe { libc::syscall(libc::SYS_clone, libc::SIGCHLD as libc::c_ulong, 0, 0, 0, 0) };
    if r == 0 {
      // SAFETY: _exit has no preconditions; this process has nothing to clean up.
      unsafe { libc::_exit(99) };
    }
    if r != -1 || errno() != libc::EPERM {
      return 5;
    }
    // SAFETY: PTRACE_TRACEME takes no pointers; the call is expected to fail.
    if unsafe { libc::syscall(libc::SYS_ptrace, libc::PTRACE_TRACEME, 0, 0, 0) } != -1
      || errno() != libc::EPERM
    {
      return 6;
    }
    // SAFETY: an x32 getpid takes no arguments; the call is expected to fail.
    if unsafe { libc::syscall(0x4000_0000 | libc::SYS_getpid) } != -1 || errno() != libc::ENOSYS {
      return 7;
    }
    // Threads are still allowed (glibc's pthread_create goes through clone3,
    // gets ENOSYS, and retries with clone(CLONE_THREAD | ...)).
    extern "C" fn noop(_: *mut libc::c_void) -> *mut libc::c_void {
      std::ptr::null_mut()
    }
    let mut t: libc::pthread_t = 0;
    // SAFETY: `noop` is a valid thread function and `t` a valid out-pointer.
    if unsafe { libc::pthread_create(&mut t, std::ptr::null(), noop, std::ptr::null_mut()) } != 0 {
      return 8;
    }
    // SAFETY: `t` was created above and is joined once.
    unsafe { libc::pthread_join(t, std::ptr::null_mut()) };
    // Ordinary calls pass.
    // SAFETY: getpid has no preconditions.
    if unsafe { libc::getpid() } <= 0 {
      return 9;
    }
    0
  }
}
