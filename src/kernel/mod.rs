//! The virtual kernel behind every guest syscall. One [`Kernel`] per
//! runtime lives from `create()` to `dispose()` and is shared by every guest
//! process of the runtime; each process keeps its own state
//! ([`process::Process`]). Guest syscalls are the entries of
//! [`syscall::OPS`], declared with [`op`]'s `ops!` macro.
pub mod clock;
pub mod error;
pub mod limits;
pub mod op;
pub mod process;
pub mod stdio;
pub mod syscall;
pub mod text;
pub mod url;
#[allow(dead_code, reason = "the fs ops that serve it are wired in separately")]
pub mod vfs;
pub mod wasm;

use std::sync::{Mutex, MutexGuard};

/// A runtime's kernel state. Every part has its own lock, so that
/// host-side calls can be served off the guest thread while a guest runs.
/// The VFS and mounts, the socket table and the permission policy join it
/// with the issues that build them.
#[derive(Default)]
pub struct Kernel {
  processes: Mutex<process::ProcessTable>,
}

impl Kernel {
  pub fn new() -> Kernel {
    Kernel::default()
  }

  pub fn processes(&self) -> MutexGuard<'_, process::ProcessTable> {
    self.processes.lock().unwrap_or_else(|e| e.into_inner())
  }
}
