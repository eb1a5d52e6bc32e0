//! The runtime's network: `addr` (a guest's host text read as the C
//! library reads addresses; the ranges the SSRF guard refuses), `rules`
//! (`permissions.network`'s allow and deny lists), `socket` (the socket
//! table and its virtual loopback), `ops` (the guest's socket syscalls),
//! `http` (node:http's message heads) and `dns` (record queries).
pub mod addr;
pub mod dns;
pub mod egress;
pub mod http;
pub mod ops;
pub mod rules;
pub mod socket;
pub mod tls;
