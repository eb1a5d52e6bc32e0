//! The virtual kernel a guest process talks to. Each guest "syscall" is one
//! entry of [`syscall::SYSCALLS`]; this stage serves stdio, clocks, random
//! bytes, text encoding and URL parsing.
pub mod clock;
pub mod limits;
pub mod process;
pub mod stdio;
pub mod syscall;
pub mod wasm;
