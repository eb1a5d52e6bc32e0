//! The runtime's network: `addr` (a guest's host text read as the C
//! library reads addresses; the ranges the SSRF guard refuses), `rules`
//! (`permissions.network`'s allow and deny lists), `socket` (the socket
//! table and its virtual loopback) and `ops` (the guest's socket syscalls).
pub mod addr;
pub mod ops;
pub mod rules;
pub mod socket;
