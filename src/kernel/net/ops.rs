//! The guest's socket syscalls (`net_*` in the op table): listen, accept,
//! connect, read, write, half-close and close on the runtime's socket
//! table. Waits (accept, read, room to write) are async ops: each takes the
//! socket's notifier before it looks, so a change between the look and the
//! wait is never missed. A process reaches only the sockets it owns.
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use super::addr::{is_localhost, parse_ip, MAX_HOST_BYTES};
use super::rules::{normalize_host, Destination};
use super::socket::{Endpoint, Read, SocketId, SocketTable};
use crate::kernel::error::{Errno, KernelError, OpError};
use crate::kernel::op::{pending, GuestBuf, OpFuture, OpResult, OpValue};
use crate::kernel::syscall::OpState;
use crate::kernel::Kernel;

/// Most bytes one read returns (as libuv's 64 KiB reads).
pub const MAX_READ: usize = 64 * 1024;

pub(super) fn err(errno: Errno, syscall: &'static str) -> OpError {
  KernelError::new(errno, syscall).into()
}

fn socket_id(id: f64) -> Result<SocketId, OpError> {
  if id.fract() == 0.0 && (1.0..=9.007_199_254_740_991e15).contains(&id) {
    Ok(id as SocketId)
  } else {
    Err(err(Errno::EBADF, "socket"))
  }
}

fn port_of(port: u32, syscall: &'static str) -> Result<u16, OpError> {
  u16::try_from(port).map_err(|_| err(Errno::EINVAL, syscall))
}

/// What a guest's host text names on this runtime's own machine: `Some(v6)`
/// for the loopback (and the unspecified address, which Linux connects to
/// the loopback), `None` for anything else.
fn loopback(host: &str) -> Option<bool> {
  if is_localhost(host) {
    return Some(false);
  }
  let addr = parse_ip(host)?;
  let local = |ip: IpAddr| ip.is_loopback() || ip.is_unspecified();
  match addr {
    IpAddr::V4(v4) => local(IpAddr::V4(v4)).then_some(false),
    IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
      Some(v4) => local(IpAddr::V4(v4)).then_some(false),
      None => local(IpAddr::V6(v6)).then_some(true),
    },
  }
}

impl OpState {
  /// The process's own socket `id` (EBADF for any other), with what its
  /// ops work on: one look at the table.
  fn socket(&self, id: f64, syscall: &'static str) -> Result<(SocketId, Endpoint), OpError> {
    let id = socket_id(id)?;
    match self.kernel.sockets().endpoint(id, self.process.pid) {
      Some(e) => Ok((id, e)),
      None => Err(err(Errno::EBADF, syscall)),
    }
  }
}

/// Waits until `step` has an answer for socket `id`; `step` runs under the
/// table's lock, and again each time the socket changes.
async fn wait_on<T>(
  kernel: Arc<Kernel>,
  id: SocketId,
  syscall: &'static str,
  mut step: impl FnMut(&mut SocketTable) -> Result<Option<T>, Errno>,
) -> Result<T, OpError> {
  crate::kernel::op::wait_until(
    || kernel.sockets().changed(id),
    || step(&mut kernel.sockets()),
  )
  .await
  .map_err(|e| err(e, syscall))
}

/// `server.listen(port, host)`: a listener on the runtime's loopback. Any
/// local address (the loopback, `0.0.0.0`, `::`) listens there; another
/// address is not this machine's (EADDRNOTAVAIL). Returns the socket id.
pub fn listen(s: &mut OpState, host: &str, port: u32, backlog: u32) -> OpResult<f64> {
  let port = port_of(port, "listen")?;
  if !host.is_empty() && loopback(host).is_none() {
    return Err(err(Errno::EADDRNOTAVAIL, "listen"));
  }
  let (id, _) = s
    .kernel
    .sockets()
    .listen(s.process.pid, port, backlog as usize)
    .map_err(|e| err(e, "listen"))?;
  Ok(id as f64)
}

/// The next connection on listener `id`: its socket id.
pub fn accept(s: &mut OpState, id: f64) -> OpResult<OpFuture> {
  let (id, _) = s.socket(id, "accept")?;
  let (kernel, pid) = (s.kernel.clone(), s.process.pid);
  pending(async move {
    let conn = wait_on(kernel, id, "accept", |t| t.accept(id, pid)).await?;
    Ok(OpValue::Number(conn as f64))
  })
}

/// Connects to `host`:`port`: the runtime's loopback when it names this
/// machine; anything else (egress) is made by the host, which checks the
/// network policy on the resolved address itself. A literal address is
/// checked here first (a denial needs no round trip, and is audited here).
pub fn connect(s: &mut OpState, host: &str, port: u32) -> OpResult<OpFuture> {
  let port = port_of(port, "connect")?;
  if host.len() > MAX_HOST_BYTES {
    return Err(not_found(host));
  }
  let pid = s.process.pid;
  let mut host = host;
  if let Some(v6) = loopback(host) {
    // The host's own loopback only through an allow entry that names the
    // address, and only where no guest listens.
    let literal = if parse_ip(host).is_some() {
      host
    } else if v6 {
      "::1"
    } else {
      "127.0.0.1"
    };
    let listening = s.kernel.sockets().listening(port);
    if listening || !allowed_by_entry(s, literal, port) {
      let id = s
        .kernel
        .sockets()
        .connect(pid, port, v6)
        .map_err(|e| err(e, "connect"))?;
      return pending(std::future::ready(Ok(OpValue::Number(id as f64))));
    }
    host = literal;
  }
  let target = format!("{host}:{port}");
  precheck(s, host, port, &target)?;
  let asked = s
    .control
    .connect_host(host.to_string(), port, s.kernel.connect_timeout_ms);
  let kernel = s.kernel.clone();
  pending(async move {
    let (fd, info) = asked.await.map_err(|e| host_error(e, &target))?;
    let std = std::net::TcpStream::from(fd);
    std
      .set_nonblocking(true)
      .map_err(|e| io_error(e, "connect"))?;
    let stream = tokio::net::TcpStream::from_std(std).map_err(|e| io_error(e, "connect"))?;
    let id = kernel
      .sockets()
      .add_tcp(pid, stream, info)
      .map_err(|e| err(e, "connect"))?;
    Ok(OpValue::Number(id as f64))
  })
}

/// Whether an allow entry of the policy names `addr`:`port` (the SSRF
/// guard lifted for it).
fn allowed_by_entry(s: &OpState, addr: &str, port: u16) -> bool {
  let Some(ip) = parse_ip(addr) else {
    return false;
  };
  let dest = Destination {
    host: addr,
    addr: ip,
    port,
  };
  matches!(
    s.kernel.policy.connect(&dest),
    crate::kernel::policy::Verdict::Allow(_)
  )
}

/// `tls.connect()`'s handshake on connected socket `id` (a real
/// connection): `[protocol, ALPN protocol, "1" if authorized, error code,
/// error message, cipher]`. `alpn` is a comma-separated list; `ca` PEM
/// certificates that replace the default roots.
pub fn tls_start(
  s: &mut OpState,
  id: f64,
  servername: &str,
  ca: Option<&str>,
  reject_unauthorized: bool,
  alpn: Option<&str>,
) -> OpResult<OpFuture> {
  let (id, Endpoint::Real(stream, _)) = s.socket(id, "connect")? else {
    return Err(OpError::coded(
      crate::kernel::error::ErrorClass::Error,
      "ERR_SANDBOX_UNSUPPORTED",
      "TLS to a server on the runtime's own loopback is not supported in this sandbox",
    ));
  };
  if ca.is_some_and(|c| c.len() > MAX_CA_BYTES) || servername.len() > 253 {
    return Err(OpError::coded(
      crate::kernel::error::ErrorClass::RangeError,
      "ERR_OUT_OF_RANGE",
      "options.ca or options.servername is too large",
    ));
  }
  let alpn: Vec<Vec<u8>> = alpn
    .unwrap_or("")
    .split(',')
    .filter(|p| !p.is_empty() && p.len() <= 255)
    .take(16)
    .map(|p| p.as_bytes().to_vec())
    .collect();
  let tls = super::tls::client(&super::tls::Options {
    servername,
    ca,
    reject_unauthorized,
    alpn,
  })
  .map_err(super::egress::tls_error)?;
  let tls = std::sync::Arc::new(tls);
  s.kernel
    .sockets()
    .set_tls(id, tls.clone())
    .map_err(|e| err(e, "connect"))?;
  pending(super::egress::handshake(s.kernel.clone(), id, stream, tls))
}

/// The most bytes of PEM one `ca` option may hold.
const MAX_CA_BYTES: usize = 1024 * 1024;

/// `getPeerCertificate()`'s fields of TLS socket `id` (JSON), or null.
pub fn tls_peer(s: &mut OpState, id: f64) -> OpResult<Option<String>> {
  Ok(match s.socket(id, "getpeername")? {
    (_, Endpoint::Real(_, Some(tls))) => super::tls::peer_certificate(&tls.lock()),
    _ => None,
  })
}

/// `dns.lookup(host)`: `[address, family, ...]` (family 4 or 6), in the
/// resolver's order. This machine's names and literal addresses are
/// answered here; other names by the host, under the network policy.
pub fn lookup(s: &mut OpState, host: &str) -> OpResult<OpFuture> {
  let pair = |a: &str, v6: bool| vec![a.to_string(), if v6 { "6" } else { "4" }.to_string()];
  if host.len() > MAX_HOST_BYTES {
    return Err(not_found(host));
  }
  if is_localhost(host) {
    let mut v = pair("127.0.0.1", false);
    v.extend(pair("::1", true));
    return pending(std::future::ready(Ok(OpValue::Strings(v))));
  }
  if let Some(ip) = parse_ip(host) {
    let v = pair(&ip.to_string(), ip.is_ipv6());
    return pending(std::future::ready(Ok(OpValue::Strings(v))));
  }
  let name = normalize_host(host).unwrap_or_else(|| host.to_ascii_lowercase());
  // A denied name is refused here, audited, without a round trip.
  if let Some(verdict) = s.kernel.policy.connect_name(&name, None) {
    crate::kernel::permission::connect(s, verdict, host).map_err(|_| {
      OpError::Host(crate::ipc::HostError {
        name: "Error".into(),
        message: format!("getaddrinfo EACCES {host}"),
        code: Some("EACCES".into()),
      })
    })?;
  }
  let asked = s.control.query_host_async(crate::ipc::Query::Resolve {
    host: host.to_string(),
    timeout_ms: s.kernel.connect_timeout_ms,
  });
  pending(async move {
    let bytes = match asked.await? {
      OpValue::Cloned(b) => b,
      _ => Vec::new(),
    };
    let addrs: Vec<String> = postcard::from_bytes(&bytes).map_err(|_| {
      OpError::coded(
        crate::kernel::error::ErrorClass::Error,
        "ERR_SANDBOX_HOST_QUERY",
        "The host's answer to a lookup is malformed",
      )
    })?;
    let mut out = Vec::with_capacity(addrs.len() * 2);
    for a in addrs.iter().take(16) {
      // Only addresses, as the host must send.
      if let Some(ip) = parse_ip(a) {
        out.extend(pair(&ip.to_string(), ip.is_ipv6()));
      }
    }
    Ok(OpValue::Strings(out))
  })
}

/// getaddrinfo's answer for a name that is no name (as Node reports it).
fn not_found(host: &str) -> OpError {
  OpError::Host(crate::ipc::HostError {
    name: "Error".into(),
    message: format!("getaddrinfo ENOTFOUND {host}"),
    code: Some("ENOTFOUND".into()),
  })
}

/// `limits.maxNetworkBytes` is spent: the read or write fails, the
/// runtime goes on.
pub(super) fn network_limit() -> OpError {
  OpError::coded(
    crate::kernel::error::ErrorClass::Error,
    "ERR_SANDBOX_NETWORK_LIMIT",
    "The runtime's guests sent and received limits.maxNetworkBytes over the network",
  )
}

/// The policy's answer for a destination the guest named by address; for
/// a name, what can be said before it is resolved (a deny entry naming it,
/// or the host's function). The host decides on the resolved addresses.
fn precheck(s: &mut OpState, host: &str, port: u16, target: &str) -> Result<(), OpError> {
  let verdict = match parse_ip(host) {
    Some(addr) => s.kernel.policy.connect(&Destination { host, addr, port }),
    None => {
      let name = normalize_host(host).unwrap_or_else(|| host.to_ascii_lowercase());
      match s.kernel.policy.connect_name(&name, Some(port)) {
        Some(v) => v,
        None => return Ok(()),
      }
    }
  };
  crate::kernel::permission::connect(s, verdict, target)
}

/// A failed host connection as the guest sees it: an errno the host named
/// becomes the kernel error (with its message kept), anything else as is.
fn host_error(e: OpError, target: &str) -> OpError {
  match e {
    OpError::Host(h) => match h.code.as_deref().and_then(Errno::from_code) {
      Some(errno) => KernelError::new(errno, "connect").dest(target).into(),
      None => OpError::Host(h),
    },
    other => other,
  }
}

pub(super) fn io_error(e: std::io::Error, syscall: &'static str) -> OpError {
  use std::io::ErrorKind::*;
  let errno = match e.kind() {
    ConnectionReset => Errno::ECONNRESET,
    BrokenPipe => Errno::EPIPE,
    ConnectionAborted => Errno::ECONNABORTED,
    TimedOut => Errno::ETIMEDOUT,
    NotConnected => Errno::ENOTCONN,
    _ => e
      .raw_os_error()
      .and_then(Errno::from_raw)
      .unwrap_or(Errno::EIO),
  };
  err(errno, syscall)
}

/// At most `max` bytes from socket `id` (null at end of stream).
pub fn read(s: &mut OpState, id: f64, max: u32) -> OpResult<OpFuture> {
  let (id, endpoint) = s.socket(id, "read")?;
  let max = (max as usize).clamp(1, MAX_READ);
  let kernel = s.kernel.clone();
  if let Endpoint::Real(stream, tls) = endpoint {
    return pending(super::egress::read(kernel, id, stream, tls, max));
  }
  pending(async move {
    let got = wait_on(kernel, id, "read", |t| {
      Ok(match t.read(id, max)? {
        Read::Data(d) => Some(Some(d)),
        Read::Eof => Some(None),
        Read::WouldBlock => None,
      })
    })
    .await?;
    Ok(match got {
      Some(d) => OpValue::Bytes(d.into()),
      None => OpValue::Null,
    })
  })
}

/// Writes what fits of `data` now: the number of bytes taken (fewer than
/// given: wait with `net_writable` before writing the rest).
pub fn write(s: &mut OpState, id: f64, data: GuestBuf<'_>) -> OpResult<f64> {
  let (id, endpoint) = s.socket(id, "write")?;
  if let Endpoint::Real(stream, tls) = endpoint {
    let n = super::egress::write(&s.kernel, &stream, tls.as_deref(), data.as_slice())?;
    return Ok(n as f64);
  }
  let n = s
    .kernel
    .sockets()
    .write(id, data.as_slice())
    .map_err(|e| err(e, "write"))?;
  Ok(n as f64)
}

/// Settles once socket `id` takes at least one more byte (or fails).
pub fn writable(s: &mut OpState, id: f64) -> OpResult<OpFuture> {
  let (id, endpoint) = s.socket(id, "write")?;
  let kernel = s.kernel.clone();
  if let Endpoint::Real(stream, tls) = endpoint {
    return pending(super::egress::writable(kernel, id, stream, tls));
  }
  pending(async move {
    wait_on(kernel, id, "write", |t| Ok(t.writable(id).then_some(()))).await?;
    Ok(OpValue::Undefined)
  })
}

/// `socket.end()`: no more writes; the peer reads EOF after what was sent.
pub fn shutdown(s: &mut OpState, id: f64) -> OpResult<()> {
  let (id, endpoint) = s.socket(id, "shutdown")?;
  if let Endpoint::Real(stream, tls) = endpoint {
    return super::egress::shutdown(&stream, tls.as_deref());
  }
  s.kernel
    .sockets()
    .shutdown_write(id)
    .map_err(|e| err(e, "shutdown"))
}

pub fn close(s: &mut OpState, id: f64) -> OpResult<()> {
  let (id, _) = s.socket(id, "close")?;
  s.kernel.sockets().close(id).map_err(|e| err(e, "close"))
}

/// `[localAddress, localPort, remoteAddress, remotePort, family]` of a
/// connection (a listener's remote fields are empty).
pub fn address(s: &mut OpState, id: f64) -> OpResult<Vec<String>> {
  let (id, _) = s.socket(id, "getsockname")?;
  if let Some(info) = s.kernel.sockets().connected(id) {
    return Ok(vec![
      info.local_address.clone(),
      info.local_port.to_string(),
      info.remote_address.clone(),
      info.remote_port.to_string(),
      if info.v6 { "IPv6" } else { "IPv4" }.into(),
    ]);
  }
  let (local, remote, v6) = s
    .kernel
    .sockets()
    .ports_of(id)
    .ok_or_else(|| err(Errno::EBADF, "getsockname"))?;
  let addr = if v6 {
    "::1".to_string()
  } else {
    Ipv4Addr::LOCALHOST.to_string()
  };
  let family = if v6 { "IPv6" } else { "IPv4" };
  Ok(if remote == 0 {
    vec![
      addr,
      local.to_string(),
      String::new(),
      String::new(),
      family.into(),
    ]
  } else {
    vec![
      addr.clone(),
      local.to_string(),
      addr,
      remote.to_string(),
      family.into(),
    ]
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn what_counts_as_this_machine() {
    assert_eq!(loopback("localhost"), Some(false));
    assert_eq!(loopback("LOCALHOST."), Some(false));
    assert_eq!(loopback("127.0.0.1"), Some(false));
    assert_eq!(loopback("127.1"), Some(false));
    assert_eq!(loopback("0x7f000001"), Some(false));
    assert_eq!(loopback("0.0.0.0"), Some(false));
    assert_eq!(loopback("::1"), Some(true));
    assert_eq!(loopback("[::1]"), Some(true));
    assert_eq!(loopback("::"), Some(true));
    assert_eq!(loopback("::ffff:127.0.0.1"), Some(false));
    assert_eq!(loopback("10.0.0.1"), None);
    assert_eq!(loopback("example.com"), None);
    assert_eq!(loopback("localhost.example.com"), None);
  }

  #[test]
  fn socket_ids_are_positive_integers() {
    assert!(socket_id(1.0).is_ok());
    assert!(socket_id(0.0).is_err());
    assert!(socket_id(-1.0).is_err());
    assert!(socket_id(1.5).is_err());
    assert!(socket_id(f64::NAN).is_err());
    assert!(socket_id(1e300).is_err());
  }
}
