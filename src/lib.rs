//! secure-exec: untrusted JavaScript in V8 isolates inside a sidecar
//! process, behind a virtual kernel. `host` is what the JS API calls;
//! `sidecar` is the other process; `engine` is V8; `kernel` serves guest
//! syscalls; `ipc` is the wire between host and sidecar; `log` is what
//! both sides say when `SECURE_EXEC_LOG` asks.
#![deny(clippy::all)]
// Unit-test builds have no napi entry points, so everything they reach
// looks unused there; the library build reports dead code.
#![cfg_attr(
  test,
  allow(dead_code, reason = "napi exports are not compiled into unit tests")
)]

pub(crate) mod engine;
#[cfg(test)]
mod fuzz;
pub(crate) mod host;
pub(crate) mod ipc;
pub(crate) mod kernel;
pub(crate) mod log;
pub(crate) mod sidecar;
