//! secure-exec: untrusted JavaScript in V8 isolates inside a sidecar
//! process, behind a virtual kernel. `host` is what the JS API calls;
//! `sidecar` is the other process; `engine` is V8; `kernel` serves guest
//! syscalls; `ipc` is the wire between host and sidecar.
#![deny(clippy::all)]

pub mod engine;
pub mod host;
pub mod ipc;
pub mod kernel;
pub mod sidecar;
