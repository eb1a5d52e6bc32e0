//! The runtime's network. So far: `addr` (a guest's host text read as the
//! C library reads addresses; the ranges the SSRF guard refuses), `rules`
//! (`permissions.network`'s allow and deny lists) and `socket` (the socket
//! table and its virtual loopback). The ops that give guests sockets, DNS,
//! egress and TLS come next.
pub mod addr;
pub mod rules;
pub mod socket;
