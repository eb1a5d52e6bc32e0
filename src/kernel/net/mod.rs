//! The runtime's network: the policy's view of destinations so far
//! (`addr`: addresses as the C library reads them and the ranges the SSRF
//! guard refuses; `rules`: `permissions.network`'s allow and deny lists).
pub mod addr;
pub mod rules;
