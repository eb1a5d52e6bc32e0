//! The virtual kernel behind every guest syscall. One [`Kernel`] per
//! runtime lives from `create()` to `dispose()` and is shared by every guest
//! process of the runtime; each process keeps its own state
//! ([`process::Process`]). Guest syscalls are the entries of
//! [`syscall::OPS`], declared with [`op`]'s `ops!` macro.
pub mod clock;
pub mod env;
pub mod error;
pub mod limits;
pub mod op;
pub mod permission;
pub mod policy;
pub mod process;
pub mod stdio;
pub mod syscall;
pub mod text;
pub mod url;
pub mod wasm;

use std::sync::{Mutex, MutexGuard};

use crate::ipc::RuntimeConfig;

/// A runtime's kernel state. Every part has its own lock, so that
/// host-side calls can be served off the guest thread while a guest runs.
/// The socket table joins it with the networking issue.
#[derive(Default)]
pub struct Kernel {
  processes: Mutex<process::ProcessTable>,
  /// Fixed at `create()`.
  pub policy: policy::Policy,
  /// Send audit events to the host (it listens).
  pub audit: bool,
}

impl Kernel {
  /// The kernel of a runtime made with `config`; fails for a policy the
  /// host should have refused.
  pub fn new(config: &RuntimeConfig) -> Result<Kernel, String> {
    Ok(Kernel {
      processes: Mutex::default(),
      policy: policy::Policy::new(&config.permissions)?,
      audit: config.audit,
    })
  }

  pub fn processes(&self) -> MutexGuard<'_, process::ProcessTable> {
    self.processes.lock().unwrap_or_else(|e| e.into_inner())
  }
}
