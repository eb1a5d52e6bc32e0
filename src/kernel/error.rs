//! The errors a guest syscall can end with, defined once: POSIX errno values
//! as Node reports them (code, description, negative `errno`), and the
//! argument and coded errors Node's own validators raise. The guest builds
//! the JS error object from these; nothing here touches V8.
use std::borrow::Cow;

/// POSIX errno values, numbered as on Linux (Node's `err.errno` is the
/// negative of these, libuv's numbering on Linux).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
#[allow(
  clippy::upper_case_acronyms,
  reason = "the POSIX names, as Node reports them"
)]
pub enum Errno {
  EPERM = 1,
  ENOENT = 2,
  ESRCH = 3,
  EINTR = 4,
  EIO = 5,
  E2BIG = 7,
  EBADF = 9,
  ECHILD = 10,
  EAGAIN = 11,
  ENOMEM = 12,
  EACCES = 13,
  EBUSY = 16,
  EEXIST = 17,
  EXDEV = 18,
  ENOTDIR = 20,
  EISDIR = 21,
  EINVAL = 22,
  EMFILE = 24,
  EFBIG = 27,
  ENOSPC = 28,
  ESPIPE = 29,
  EROFS = 30,
  EPIPE = 32,
  ENAMETOOLONG = 36,
  ENOSYS = 38,
  ENOTEMPTY = 39,
  ELOOP = 40,
  ENOTSUP = 95,
  EADDRINUSE = 98,
  EADDRNOTAVAIL = 99,
  ENETUNREACH = 101,
  ECONNABORTED = 103,
  ECONNRESET = 104,
  ENOBUFS = 105,
  ENOTCONN = 107,
  ETIMEDOUT = 110,
  ECONNREFUSED = 111,
  EHOSTUNREACH = 113,
  ECANCELED = 125,
}

impl Errno {
  /// Every errno of this enum (for the lookups below).
  const ALL: [Errno; 39] = {
    use Errno::*;
    [
      EPERM,
      ENOENT,
      ESRCH,
      EINTR,
      EIO,
      E2BIG,
      EBADF,
      ECHILD,
      EAGAIN,
      ENOMEM,
      EACCES,
      EBUSY,
      EEXIST,
      EXDEV,
      ENOTDIR,
      EISDIR,
      EINVAL,
      EMFILE,
      EFBIG,
      ENOSPC,
      ESPIPE,
      EROFS,
      EPIPE,
      ENAMETOOLONG,
      ENOSYS,
      ENOTEMPTY,
      ELOOP,
      ENOTSUP,
      EADDRINUSE,
      EADDRNOTAVAIL,
      ENETUNREACH,
      ECONNABORTED,
      ECONNRESET,
      ENOBUFS,
      ENOTCONN,
      ETIMEDOUT,
      ECONNREFUSED,
      EHOSTUNREACH,
      ECANCELED,
    ]
  };

  /// The errno's name, which is Node's `err.code`.
  pub fn code(self) -> &'static str {
    use Errno::*;
    match self {
      EPERM => "EPERM",
      ENOENT => "ENOENT",
      ESRCH => "ESRCH",
      EINTR => "EINTR",
      EIO => "EIO",
      EBADF => "EBADF",
      ECHILD => "ECHILD",
      E2BIG => "E2BIG",
      EAGAIN => "EAGAIN",
      ENOMEM => "ENOMEM",
      EACCES => "EACCES",
      EBUSY => "EBUSY",
      EEXIST => "EEXIST",
      EXDEV => "EXDEV",
      ENOTDIR => "ENOTDIR",
      EISDIR => "EISDIR",
      EINVAL => "EINVAL",
      EMFILE => "EMFILE",
      EFBIG => "EFBIG",
      ENOSPC => "ENOSPC",
      ESPIPE => "ESPIPE",
      EROFS => "EROFS",
      EPIPE => "EPIPE",
      ENAMETOOLONG => "ENAMETOOLONG",
      ENOSYS => "ENOSYS",
      ENOTEMPTY => "ENOTEMPTY",
      ELOOP => "ELOOP",
      ENOTSUP => "ENOTSUP",
      EADDRINUSE => "EADDRINUSE",
      EADDRNOTAVAIL => "EADDRNOTAVAIL",
      ENETUNREACH => "ENETUNREACH",
      ECONNABORTED => "ECONNABORTED",
      ECONNRESET => "ECONNRESET",
      ENOBUFS => "ENOBUFS",
      ENOTCONN => "ENOTCONN",
      EHOSTUNREACH => "EHOSTUNREACH",
      ETIMEDOUT => "ETIMEDOUT",
      ECONNREFUSED => "ECONNREFUSED",
      ECANCELED => "ECANCELED",
    }
  }

  /// libuv's description, the text after `CODE: ` in Node's message.
  pub fn description(self) -> &'static str {
    use Errno::*;
    match self {
      EPERM => "operation not permitted",
      ENOENT => "no such file or directory",
      ESRCH => "no such process",
      EINTR => "interrupted system call",
      EIO => "i/o error",
      EBADF => "bad file descriptor",
      ECHILD => "no child processes",
      E2BIG => "argument list too long",
      EAGAIN => "resource temporarily unavailable",
      ENOMEM => "not enough memory",
      EACCES => "permission denied",
      EBUSY => "resource busy or locked",
      EEXIST => "file already exists",
      EXDEV => "cross-device link not permitted",
      ENOTDIR => "not a directory",
      EISDIR => "illegal operation on a directory",
      EINVAL => "invalid argument",
      EMFILE => "too many open files",
      EFBIG => "file too large",
      ENOSPC => "no space left on device",
      ESPIPE => "invalid seek",
      EROFS => "read-only file system",
      EPIPE => "broken pipe",
      ENAMETOOLONG => "name too long",
      ENOSYS => "function not implemented",
      ENOTEMPTY => "directory not empty",
      ELOOP => "too many symbolic links encountered",
      ENOTSUP => "operation not supported on socket",
      EADDRINUSE => "address already in use",
      EADDRNOTAVAIL => "address not available",
      ENETUNREACH => "network is unreachable",
      ECONNABORTED => "software caused connection abort",
      ECONNRESET => "connection reset by peer",
      ENOBUFS => "no buffer space available",
      ENOTCONN => "socket is not connected",
      EHOSTUNREACH => "host is unreachable",
      ETIMEDOUT => "connection timed out",
      ECONNREFUSED => "connection refused",
      ECANCELED => "operation canceled",
    }
  }

  /// Node's `err.errno`: negative, as libuv reports it on Linux.
  pub fn node_errno(self) -> i32 {
    -(self as i32)
  }

  pub fn from_raw(n: i32) -> Option<Errno> {
    Errno::ALL.iter().copied().find(|e| *e as i32 == n)
  }

  /// The errno Node calls `code` (`"ECONNREFUSED"`).
  pub fn from_code(code: &str) -> Option<Errno> {
    Errno::ALL.iter().copied().find(|e| e.code() == code)
  }
}

/// A syscall that failed as the OS would fail it. The guest turns it into
/// Node's error: `ENOENT: no such file or directory, open '/x'` with
/// `errno`, `code`, `syscall`, `path` and `dest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
  pub errno: Errno,
  pub syscall: &'static str,
  pub path: Option<String>,
  pub dest: Option<String>,
}

impl KernelError {
  pub fn new(errno: Errno, syscall: &'static str) -> KernelError {
    KernelError {
      errno,
      syscall,
      path: None,
      dest: None,
    }
  }

  pub fn path(mut self, path: impl Into<String>) -> KernelError {
    self.path = Some(path.into());
    self
  }

  pub fn dest(mut self, dest: impl Into<String>) -> KernelError {
    self.dest = Some(dest.into());
    self
  }

  /// Node's message: `CODE: description, syscall 'path' -> 'dest'`.
  pub fn message(&self) -> String {
    let mut m = format!(
      "{}: {}, {}",
      self.errno.code(),
      self.errno.description(),
      self.syscall
    );
    if let Some(p) = &self.path {
      m.push_str(&format!(" '{p}'"));
    }
    if let Some(d) = &self.dest {
      m.push_str(&format!(" -> '{d}'"));
    }
    m
  }
}

/// The JS class of a coded error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
  Error,
  TypeError,
  RangeError,
}

impl ErrorClass {
  pub fn name(self) -> &'static str {
    match self {
      ErrorClass::Error => "Error",
      ErrorClass::TypeError => "TypeError",
      ErrorClass::RangeError => "RangeError",
    }
  }
}

/// Every way a guest syscall can fail. None of them throws from the
/// engine: the op returns a marker and the guest builds the error object,
/// with a stack that starts at the user's call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
  /// An errno failure ([`KernelError`]).
  Kernel(KernelError),
  /// Argument `index` (named `name`) is not of the `expected` types:
  /// Node's `ERR_INVALID_ARG_TYPE`, whose "Received ..." part the guest
  /// writes from the value itself.
  InvalidArgType {
    index: usize,
    name: &'static str,
    expected: &'static str,
  },
  /// Argument `index` is of the right type but out of `range`:
  /// `ERR_OUT_OF_RANGE`.
  OutOfRange {
    index: usize,
    name: &'static str,
    range: Cow<'static, str>,
  },
  /// Any other Node error: a class, a `code` and a message.
  Coded {
    class: ErrorClass,
    code: &'static str,
    message: Cow<'static, str>,
  },
  /// The host's code threw while answering (its name, message, code).
  Host(crate::ipc::HostError),
}

impl OpError {
  pub fn coded(
    class: ErrorClass,
    code: &'static str,
    message: impl Into<Cow<'static, str>>,
  ) -> OpError {
    OpError::Coded {
      class,
      code,
      message: message.into(),
    }
  }
}

impl From<KernelError> for OpError {
  fn from(e: KernelError) -> OpError {
    OpError::Kernel(e)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn every_errno_is_found_by_its_number_and_its_code() {
    for e in Errno::ALL {
      assert_eq!(Errno::from_raw(e as i32), Some(e));
      assert_eq!(Errno::from_code(e.code()), Some(e));
    }
    assert_eq!(Errno::from_code("ENOTFOUND"), None);
    assert_eq!(Errno::from_raw(0), None);
  }

  #[test]
  fn messages_are_nodes() {
    let e = KernelError::new(Errno::ENOENT, "open").path("/x");
    assert_eq!(e.message(), "ENOENT: no such file or directory, open '/x'");
    let e = KernelError::new(Errno::EXDEV, "rename")
      .path("/a")
      .dest("/b");
    assert_eq!(
      e.message(),
      "EXDEV: cross-device link not permitted, rename '/a' -> '/b'"
    );
    assert_eq!(
      KernelError::new(Errno::EBADF, "write").message(),
      "EBADF: bad file descriptor, write"
    );
    assert_eq!(Errno::ENOENT.node_errno(), -2);
  }

  #[test]
  fn every_errno_round_trips() {
    for n in 0..200 {
      if let Some(e) = Errno::from_raw(n) {
        assert_eq!(e as i32, n);
        assert!(e.code().starts_with('E'));
        assert!(!e.description().is_empty());
      }
    }
    assert_eq!(Errno::from_raw(13), Some(Errno::EACCES));
    assert_eq!(Errno::from_raw(3), Some(Errno::ESRCH));
    assert_eq!(Errno::from_raw(6), None);
  }
}
