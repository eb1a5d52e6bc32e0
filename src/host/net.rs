//! Guest egress, made by the host. The sidecar may not open sockets
//! (seccomp), so a guest's connection off its runtime's loopback is a
//! query: the host resolves the name, checks every address against the
//! runtime's network policy itself (the sidecar's check is not trusted:
//! a compromised sidecar asks the same question), connects with tokio, and
//! hands the connected socket to the sidecar over the channel
//! (SCM_RIGHTS). The SSRF guard is decided on the resolved address, so a
//! name that resolves to a private or loopback address is refused unless an
//! allow entry names that address or its range.
use std::io::{IoSlice, Write};
use std::net::IpAddr;
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use crate::ipc::{Connected, DnsData, DnsRecord, DnsType, HostError, Query};
use crate::kernel::limits::MAX_CONNECT_TIMEOUT_MS;
use crate::kernel::net::addr::{parse_ip, MAX_HOST_BYTES};
use crate::kernel::net::rules::{arpa_address, normalize_host, Destination};
use crate::kernel::policy::{Because, Policy, Scope, Verdict};

/// Addresses of one name tried at most.
const MAX_ADDRESSES: usize = 16;
/// Name lookups one runtime, and all runtimes together, have running at
/// once. Each holds one of tokio's blocking threads until getaddrinfo
/// returns, whatever its caller's timeout (it cannot be cancelled), so the
/// places are given back only then: a guest cannot take the host's threads.
const MAX_LOOKUPS: usize = 8;
const MAX_LOOKUPS_ALL: usize = 64;
static LOOKUPS_ALL: std::sync::LazyLock<Counter> = std::sync::LazyLock::new(Counter::default);
/// DNS queries (`dns.resolve*`) one runtime, and all together, have the
/// host making at once; more wait for a turn.
const MAX_QUERIES: usize = 8;
static QUERIES_ALL: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(64);

type Counter = std::sync::Arc<std::sync::atomic::AtomicUsize>;

/// One place taken among at most a number: given back when dropped.
struct Place(Counter);

impl Place {
  /// A place of `counter` if fewer than `max` are taken.
  fn take(counter: &Counter, max: usize) -> Option<Place> {
    let place = Place(counter.clone());
    (counter.fetch_add(1, std::sync::atomic::Ordering::AcqRel) < max).then_some(place)
  }
}

impl Drop for Place {
  fn drop(&mut self) {
    self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
  }
}

/// The domains getaddrinfo may append to a name: `LOCALDOMAIN`, the
/// `search`/`domain` lines of /etc/resolv.conf, and without those the
/// domain of this machine's host name (as glibc takes them).
fn search_domains() -> &'static [String] {
  static D: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
  D.get_or_init(|| {
    let mut out: Vec<String> = Vec::new();
    let mut add = |words: std::str::SplitWhitespace<'_>| {
      for d in words.filter_map(normalize_host).take(8) {
        if !out.contains(&d) {
          out.push(d);
        }
      }
    };
    if let Ok(local) = std::env::var("LOCALDOMAIN") {
      add(local.split_whitespace());
    }
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut listed = false;
    for line in text.lines() {
      let mut words = line.split_whitespace();
      if let Some("search" | "domain") = words.next() {
        listed = true;
        add(words);
      }
    }
    if !listed {
      // gethostname(), as glibc reads it.
      let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
      if let Some((_, domain)) = host.trim().split_once('.') {
        add(domain.split_whitespace());
      }
    }
    out
  })
}
/// DNS servers one `dns.resolve*()` may name (c-ares takes any number;
/// each is checked against the policy).
pub const MAX_DNS_SERVERS: usize = 8;
/// Lookups and connections one runtime may have the host making at once.
const MAX_CONNECTING: usize = 64;

/// The network side of one runtime's policy, on the host.
pub struct HostNet {
  policy: Policy,
  /// Lookups and connections being made, and lookups running.
  connecting: Counter,
  lookups: Counter,
  queries: tokio::sync::Semaphore,
  /// True once the runtime is disposed.
  closed: tokio::sync::watch::Sender<bool>,
  /// Destinations (`host:port`, or a name looked up) the runtime's host
  /// function allowed; with such a policy only they are served.
  approved: std::sync::Mutex<std::collections::VecDeque<String>>,
}

/// Destinations remembered as allowed by a host function (the oldest go).
const MAX_APPROVED: usize = 4096;

fn error(code: &str, message: String) -> HostError {
  HostError {
    name: "Error".into(),
    message,
    code: Some(code.into()),
  }
}

fn io_code(e: &std::io::Error) -> &'static str {
  use std::io::ErrorKind::*;
  match e.kind() {
    ConnectionRefused => "ECONNREFUSED",
    ConnectionReset => "ECONNRESET",
    TimedOut => "ETIMEDOUT",
    HostUnreachable => "EHOSTUNREACH",
    NetworkUnreachable => "ENETUNREACH",
    AddrNotAvailable => "EADDRNOTAVAIL",
    PermissionDenied => "EACCES",
    _ => "ECONNREFUSED",
  }
}

impl HostNet {
  pub fn new(config: &crate::ipc::RuntimeConfig) -> Result<HostNet, String> {
    Ok(HostNet {
      policy: Policy::new(&config.permissions)?,
      connecting: Default::default(),
      lookups: Default::default(),
      queries: tokio::sync::Semaphore::new(MAX_QUERIES),
      closed: tokio::sync::watch::Sender::new(false),
      approved: Default::default(),
    })
  }

  /// Whether the policy could ever allow a connection (else no query is
  /// served: the runtime's guests are refused by the sidecar already).
  pub fn may_connect(&self) -> bool {
    !matches!(self.policy.fixed(Scope::Network), Some(Verdict::Deny(_)))
  }

  /// `dns.lookup(host)`: the addresses the guest may know of, in the
  /// resolver's order (at most 16). A name the policy denies is not looked up.
  pub async fn resolve(&self, host: &str, timeout: Duration) -> Result<Vec<String>, HostError> {
    let not_found = || error("ENOTFOUND", format!("getaddrinfo ENOTFOUND {host}"));
    if host.len() > MAX_HOST_BYTES {
      return Err(not_found());
    }
    let _slot = self.slot(&format!("getaddrinfo EAGAIN {host}"))?;
    let name = normalize_host(host).ok_or_else(not_found)?;
    if !self.may_look_up(&name, host) {
      return Err(error("EACCES", format!("getaddrinfo EACCES {host}")));
    }
    let found = self.lookup(&name, host, timeout).await?;
    let mut out: Vec<String> = Vec::new();
    for ip in found {
      let shown = ip.to_string();
      if self.policy.may_know(ip) && !out.contains(&shown) {
        out.push(shown);
      }
    }
    if out.is_empty() {
      return Err(not_found());
    }
    Ok(out)
  }

  /// Whether `name` (the guest wrote `host`) may be looked up: no deny
  /// entry names it, and a host function allowed it where one decides.
  fn may_look_up(&self, name: &str, host: &str) -> bool {
    let asks_host = matches!(self.policy.fixed(Scope::Network), Some(Verdict::AskHost));
    !self.name_denied(name, None) && (!asks_host || self.was_approved(host))
  }

  /// `dns.resolve*()`: the `t` records of `host`, asked of `servers` (none:
  /// the host's resolvers). The name is checked as for a lookup, and each
  /// server as a connection to it; addresses the guest may not reach are
  /// left out of the answer.
  pub async fn resolve_records(
    &self,
    host: &str,
    t: DnsType,
    servers: &[std::net::SocketAddr],
    timeout: Duration,
  ) -> Result<Vec<DnsRecord>, HostError> {
    let refused = || t.error("EACCES", host);
    if host.len() > MAX_HOST_BYTES || servers.len() > MAX_DNS_SERVERS {
      return Err(t.error("EBADNAME", host));
    }
    let _slot = self.slot(&format!("{} EAGAIN {host}", t.syscall()))?;
    let name = normalize_host(host).ok_or_else(|| t.error("EBADNAME", host))?;
    if !self.may_look_up(&name, host) {
      return Err(refused());
    }
    if let Some(addr) = arpa_address(&name) {
      if !addr.is_some_and(|a| self.policy.may_know(a)) {
        return Err(refused());
      }
    }
    for server in servers {
      let dest = Destination {
        host: &server.ip().to_string(),
        addr: server.ip(),
        port: server.port(),
      };
      let allowed = match self.policy.connect(&dest) {
        Verdict::Allow(_) => true,
        Verdict::AskHost => self.was_approved(&server.to_string()),
        Verdict::Deny(_) => false,
      };
      if !allowed {
        return Err(refused());
      }
    }
    // Queries wait their turn (c-ares queues them too): 8 at once per
    // runtime, 64 in all, each with its sockets.
    let deadline = tokio::time::Instant::now() + timeout;
    let turn = async {
      let mine = self.queries.acquire().await.ok()?;
      let all = QUERIES_ALL.acquire().await.ok()?;
      Some((mine, all))
    };
    let Ok(Some(_turn)) = tokio::time::timeout_at(deadline, turn).await else {
      return Err(t.error("ETIMEOUT", host));
    };
    let left = deadline.saturating_duration_since(tokio::time::Instant::now());
    let mut records = super::dns::query(&name, t, servers, left).await?;
    // Left out first, then bounded: hidden addresses crowd out no others.
    records.retain(|r| match r.data {
      DnsData::A(ip) => self.policy.may_know(IpAddr::V4(ip)),
      DnsData::Aaaa(ip) => self.policy.may_know(IpAddr::V6(ip)),
      _ => true,
    });
    records.truncate(super::dns::MAX_RECORDS);
    if records.is_empty() {
      return Err(t.error("ENODATA", host));
    }
    Ok(records)
  }

  /// The runtime is disposed: what the host is doing for it ends.
  pub fn close(&self) {
    self.closed.send_replace(true);
  }

  /// Settles once the runtime is disposed.
  fn closed(&self) -> impl std::future::Future<Output = ()> + 'static {
    let mut rx = self.closed.subscribe();
    async move {
      let _ = rx.wait_for(|gone| *gone).await;
    }
  }

  /// The runtime's host function allowed `target`.
  pub fn approve(&self, target: &str) {
    let mut a = self.approved.lock().unwrap_or_else(|e| e.into_inner());
    if !a.iter().any(|t| t == target) {
      if a.len() >= MAX_APPROVED {
        a.pop_front();
      }
      a.push_back(target.to_string());
    }
  }

  fn was_approved(&self, target: &str) -> bool {
    self
      .approved
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .iter()
      .any(|t| t == target)
  }

  /// Whether the policy refuses `name` before it is looked up: by its own
  /// spelling, or with any search domain the resolver may append to it.
  fn name_denied(&self, name: &str, port: Option<u16>) -> bool {
    self.name_denied_under(name, port, search_domains())
  }

  fn name_denied_under(&self, name: &str, port: Option<u16>, domains: &[String]) -> bool {
    let denied = |n: &str| matches!(self.policy.connect_name(n, port), Some(Verdict::Deny(_)));
    if denied(name) {
      return true;
    }
    domains.iter().any(|d| {
      let expanded = format!("{name}.{d}");
      matches!(
        self.policy.connect_name(&expanded, port.or(Some(0))),
        Some(Verdict::Deny(Because::NetDeny(_)))
      )
    })
  }

  /// The addresses of `name` (at most 16), within `timeout`.
  async fn lookup(
    &self,
    name: &str,
    shown: &str,
    timeout: Duration,
  ) -> Result<Vec<IpAddr>, HostError> {
    let places = (
      Place::take(&self.lookups, MAX_LOOKUPS),
      Place::take(&LOOKUPS_ALL, MAX_LOOKUPS_ALL),
    );
    let (Some(_), Some(_)) = &places else {
      return Err(error("EAI_AGAIN", format!("getaddrinfo EAI_AGAIN {shown}")));
    };
    let name = name.to_string();
    let running = tokio::spawn(async move {
      let r = tokio::net::lookup_host((name.as_str(), 0)).await;
      drop(places);
      r.map(|found| found.map(|a| a.ip()).collect::<Vec<_>>())
    });
    let found = tokio::time::timeout(timeout, running)
      .await
      .map_err(|_| error("EAI_AGAIN", format!("getaddrinfo EAI_AGAIN {shown}")))?
      .map_err(|_| error("EAI_AGAIN", format!("getaddrinfo EAI_AGAIN {shown}")))?
      .map_err(|_| error("ENOTFOUND", format!("getaddrinfo ENOTFOUND {shown}")))?;
    let mut addrs: Vec<IpAddr> = Vec::new();
    for a in found {
      if !addrs.contains(&a) && addrs.len() < MAX_ADDRESSES {
        addrs.push(a);
      }
    }
    if addrs.is_empty() {
      return Err(error("ENOTFOUND", format!("getaddrinfo ENOTFOUND {shown}")));
    }
    Ok(addrs)
  }

  /// A place among the lookups and connections this runtime has the host
  /// making (at most 64: a sidecar is not trusted to ask for few).
  fn slot(&self, refused: &str) -> Result<Place, HostError> {
    Place::take(&self.connecting, MAX_CONNECTING)
      .ok_or_else(|| error("EAGAIN", refused.to_string()))
  }

  /// Resolves `host`, keeps the addresses the policy allows, and connects
  /// to the first that answers within `timeout`.
  pub async fn connect(
    &self,
    host: &str,
    port: u16,
    timeout: Duration,
  ) -> Result<(std::net::TcpStream, Connected), HostError> {
    if host.len() > MAX_HOST_BYTES {
      return Err(error("ENOTFOUND", format!("getaddrinfo ENOTFOUND {host}")));
    }
    let deadline = Instant::now() + timeout;
    let target = format!("{host}:{port}");
    let _slot = self.slot(&format!("connect EAGAIN {target}"))?;
    let (name, addrs) = match parse_ip(host) {
      Some(ip) => (host.to_string(), vec![ip]),
      None => {
        let name = normalize_host(host)
          .ok_or_else(|| error("ENOTFOUND", format!("getaddrinfo ENOTFOUND {host}")))?;
        // A denied name is never looked up (nothing leaks through DNS).
        if self.name_denied(&name, Some(port)) {
          return Err(error("EACCES", format!("connect EACCES {target}")));
        }
        let addrs = self.lookup(&name, host, timeout).await?;
        (name, addrs)
      }
    };
    let mut allowed = Vec::new();
    let mut denied = None;
    for addr in addrs {
      let dest = Destination {
        host: &name,
        addr,
        port,
      };
      match self.policy.connect(&dest) {
        Verdict::Allow(because) => {
          allowed.push((addr, self.policy.describe(Scope::Network, None, &because)))
        }
        // The host's function must have allowed this destination.
        Verdict::AskHost if self.was_approved(&target) => {
          allowed.push((addr, "permissions.network".to_string()))
        }
        Verdict::AskHost => denied = Some((addr, Because::Host)),
        Verdict::Deny(because) => denied = Some((addr, because)),
      }
    }
    if allowed.is_empty() {
      let why = match denied {
        Some((addr, Because::Guarded)) => format!(
          " ({addr} is a loopback, private, link-local or reserved address; an allow entry must name it)"
        ),
        Some((_, b)) => format!(" (denied by {})", self.policy.describe(Scope::Network, None, &b)),
        None => String::new(),
      };
      return Err(error("EACCES", format!("connect EACCES {target}{why}")));
    }
    let mut last = error("ECONNREFUSED", format!("connect ECONNREFUSED {target}"));
    for (addr, rule) in allowed {
      let left = deadline.saturating_duration_since(Instant::now());
      let shown = std::net::SocketAddr::new(addr, port);
      match tokio::time::timeout(left, tokio::net::TcpStream::connect(shown)).await {
        Ok(Ok(stream)) => {
          let local = stream
            .local_addr()
            .map_err(|e| error(io_code(&e), format!("connect {} {shown}", io_code(&e))))?;
          // An address of this machine's own (its public or LAN address):
          // the guard's loopback in another form.
          if local.ip() == addr && !self.policy.names_address(addr) {
            return Err(error("EACCES", format!("connect EACCES {target}")));
          }
          let stream = stream
            .into_std()
            .map_err(|e| error(io_code(&e), format!("connect {} {shown}", io_code(&e))))?;
          let connected = Connected {
            remote_address: addr.to_string(),
            remote_port: port,
            local_address: local.ip().to_string(),
            local_port: local.port(),
            v6: addr.is_ipv6(),
            rule,
          };
          return Ok((stream, connected));
        }
        Ok(Err(e)) => last = error(io_code(&e), format!("connect {} {shown}", io_code(&e))),
        Err(_) => {
          return Err(error("ETIMEDOUT", format!("connect ETIMEDOUT {shown}")));
        }
      }
    }
    Err(last)
  }
}

/// Answers a sidecar's `Connect` or `Resolve` query `id` for a runtime
/// whose network policy is `net` (`None`: it allows nothing). Lookups and
/// connections wait: never on the host's reader thread.
pub fn serve(
  net: Option<std::sync::Arc<HostNet>>,
  sidecar: std::sync::Weak<super::sidecar::Sidecar>,
  id: u64,
  query: Query,
) {
  let Some(net) = net else {
    let message = match &query {
      Query::Connect { host, port, .. } => format!("connect EACCES {host}:{port}"),
      Query::Resolve { host, .. } => format!("getaddrinfo EACCES {host}"),
      Query::ResolveRecords { host, rrtype, .. } => rrtype.error("EACCES", host).message,
      _ => return,
    };
    if let Some(sc) = sidecar.upgrade() {
      sc.reply(id, Err(error("EACCES", message)));
    }
    return;
  };
  // The sidecar's timeout is bounded again here: it is not trusted.
  let bound = |ms: u32| Duration::from_millis((ms as u64).min(MAX_CONNECT_TIMEOUT_MS));
  napi::bindgen_prelude::spawn(async move {
    // A disposed runtime's lookups, queries and connections end with it
    // (their places go back), answered or not.
    let closed = net.closed();
    let work = async {
      match query {
        Query::Connect {
          host,
          port,
          timeout_ms,
        } => {
          let r = net.connect(&host, port, bound(timeout_ms)).await;
          if let Some(sc) = sidecar.upgrade() {
            match r {
              Ok((stream, info)) => sc.reply_fd(id, &info, stream.into()),
              Err(e) => sc.reply(id, Err(e)),
            }
          }
        }
        Query::Resolve { host, timeout_ms } => {
          let r = net
            .resolve(&host, bound(timeout_ms))
            .await
            .and_then(|addrs| postcard::to_stdvec(&addrs).map_err(|e| error("EIO", e.to_string())));
          if let Some(sc) = sidecar.upgrade() {
            sc.reply(id, r);
          }
        }
        Query::ResolveRecords {
          host,
          rrtype,
          servers,
          timeout_ms,
        } => {
          let r = net
            .resolve_records(&host, rrtype, &servers, bound(timeout_ms))
            .await
            .and_then(|records| {
              postcard::to_stdvec(&records).map_err(|e| error("EIO", e.to_string()))
            });
          if let Some(sc) = sidecar.upgrade() {
            sc.reply(id, r);
          }
        }
        _ => {}
      }
    };
    tokio::select! {
      _ = work => {}
      _ = closed => {}
    }
  });
}

/// Writes `frame` on `channel` with `fd` attached to its first byte.
pub fn send_with_fd(
  channel: &std::os::unix::net::UnixStream,
  frame: &[u8],
  fd: &OwnedFd,
) -> std::io::Result<()> {
  use rustix::net::{sendmsg, SendAncillaryBuffer, SendAncillaryMessage, SendFlags};
  let mut space = [std::mem::MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(1))];
  let mut control = SendAncillaryBuffer::new(&mut space);
  let fds = [fd.as_fd()];
  if !control.push(SendAncillaryMessage::ScmRights(&fds)) {
    return Err(std::io::Error::other("no room for the descriptor"));
  }
  let sent = loop {
    match sendmsg(
      channel,
      &[IoSlice::new(frame)],
      &mut control,
      SendFlags::NOSIGNAL,
    ) {
      Ok(n) => break n,
      Err(rustix::io::Errno::INTR) => continue,
      Err(e) => return Err(e.into()),
    }
  };
  // The descriptor went with the first byte; the rest follows plainly.
  let mut rest = &frame[sent..];
  let mut w = channel;
  while !rest.is_empty() {
    let n = w.write(rest)?;
    rest = &rest[n..];
  }
  Ok(())
}

#[cfg(test)]
mod tests {
  use super::*;

  fn net(allow: &[&str], deny: &[&str]) -> HostNet {
    let mut config = crate::kernel::limits::RequestedLimits::default()
      .resolve(false)
      .unwrap();
    let list = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
    config.permissions.network = Some(crate::kernel::policy::RuleSpec::Hosts {
      allow: list(allow),
      deny: list(deny),
    });
    HostNet::new(&config).unwrap()
  }

  #[test]
  fn a_name_denied_with_a_search_domain_is_not_looked_up() {
    let n = net(&["*"], &["*.internal.example", "db.corp.example"]);
    let domains = vec!["internal.example".to_string(), "corp.example".to_string()];
    assert!(n.name_denied_under("db", Some(5432), &domains));
    assert!(n.name_denied_under("x.y", None, &domains));
    assert!(!n.name_denied_under("db", Some(5432), &[]));
    assert!(!n.name_denied_under(
      "api.example.com",
      Some(443),
      &["public.example".to_string()]
    ));
  }

  #[test]
  fn with_a_host_function_only_what_it_allowed_is_connected() {
    let mut config = crate::kernel::limits::RequestedLimits::default()
      .resolve(false)
      .unwrap();
    config.permissions.network = Some(crate::kernel::policy::RuleSpec::Host);
    let n = HostNet::new(&config).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    let code =
      |r: Result<(std::net::TcpStream, Connected), HostError>| r.err().and_then(|e| e.code);
    let ms = Duration::from_millis(200);
    // Not asked of the function (a sidecar that skipped it): refused.
    let r = rt.block_on(n.connect("203.0.114.7", 9, ms));
    assert_eq!(code(r).as_deref(), Some("EACCES"));
    let r = rt.block_on(n.resolve("example.com", ms));
    assert_eq!(r.err().and_then(|e| e.code).as_deref(), Some("EACCES"));
    // Allowed by the function: the host tries it (there is no network here).
    n.approve("203.0.114.7:9");
    let r = rt.block_on(n.connect("203.0.114.7", 9, ms));
    assert_ne!(code(r).as_deref(), Some("EACCES"));
    // The guard holds whatever the function said.
    n.approve("127.0.0.1:9");
    let r = rt.block_on(n.connect("127.0.0.1", 9, ms));
    assert_eq!(code(r).as_deref(), Some("EACCES"));
  }

  #[test]
  fn records_are_asked_only_of_allowed_servers_for_allowed_names() {
    let n = net(
      &["*.example.test", "203.0.113.53:53"],
      &["denied.example.test"],
    );
    let rt = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    let ms = Duration::from_millis(200);
    let code = |r: Result<Vec<DnsRecord>, HostError>| r.err().and_then(|e| e.code);
    let loopback: std::net::SocketAddr = "127.0.0.1:53".parse().unwrap();
    let allowed: std::net::SocketAddr = "203.0.113.53:53".parse().unwrap();
    let r = rt.block_on(n.resolve_records("mail.example.test", DnsType::Mx, &[loopback], ms));
    assert_eq!(code(r).as_deref(), Some("EACCES"));
    let r = rt.block_on(n.resolve_records("denied.example.test", DnsType::Mx, &[allowed], ms));
    assert_eq!(code(r).as_deref(), Some("EACCES"));
    let many = vec![allowed; MAX_DNS_SERVERS + 1];
    let r = rt.block_on(n.resolve_records("mail.example.test", DnsType::Mx, &many, ms));
    assert_eq!(code(r).as_deref(), Some("EBADNAME"));
    // Allowed: asked (nothing answers here).
    let r = rt.block_on(n.resolve_records("mail.example.test", DnsType::Mx, &[allowed], ms));
    assert_ne!(code(r).as_deref(), Some("EACCES"));
  }

  #[test]
  fn closed_settles_when_disposed_even_if_asked_after() {
    let n = net(&["*"], &[]);
    let rt = tokio::runtime::Builder::new_current_thread()
      .enable_all()
      .build()
      .unwrap();
    let within = |ms: u64, f| {
      rt.block_on(async {
        tokio::time::timeout(Duration::from_millis(ms), f)
          .await
          .is_ok()
      })
    };
    let before = n.closed();
    assert!(!within(20, Box::pin(n.closed())));
    n.close();
    assert!(within(1000, Box::pin(before)));
    assert!(within(1000, Box::pin(n.closed())));
  }

  #[test]
  fn places_are_bounded_and_given_back() {
    let c = Counter::default();
    let a = Place::take(&c, 2).unwrap();
    let _b = Place::take(&c, 2).unwrap();
    assert!(Place::take(&c, 2).is_none());
    drop(a);
    assert!(Place::take(&c, 2).is_some());
    assert_eq!(c.load(std::sync::atomic::Ordering::Acquire), 1);
  }

  #[test]
  fn a_name_no_allow_entry_could_match_is_not_looked_up() {
    let n = net(&["api.example.com:443"], &[]);
    assert!(n.name_denied_under("secret.attacker.example", None, &[]));
    assert!(n.name_denied_under("api.example.com", Some(80), &[]));
    assert!(!n.name_denied_under("api.example.com", Some(443), &[]));
  }
}
