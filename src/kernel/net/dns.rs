//! `dns.resolve*()`: DNS records by type, asked of the host (the sidecar
//! has no sockets). The name is checked as for a lookup and each DNS server
//! the guest named as a connection to it; the host checks both again. The
//! answer is bounded and checked here before the guest sees it: JSON
//! arrays `[type, ttl, ...fields]` in Node's field order.
use std::net::{IpAddr, SocketAddr};

use serde_json::{json, Value};

use super::addr::{is_localhost, MAX_HOST_BYTES};
use super::rules::{arpa_address, normalize_host, Destination};
use crate::ipc::{DnsData, DnsRecord, DnsType, HostError};
use crate::kernel::error::{ErrorClass, OpError};
use crate::kernel::op::{pending, OpFuture, OpResult, OpValue};
use crate::kernel::syscall::OpState;

/// DNS servers one query may name, and the most text one takes.
pub const MAX_SERVERS: usize = 8;
const MAX_SERVER_TEXT: usize = 64;
/// Records, and strings of one TXT record, the guest is given at most.
const MAX_RECORDS: usize = 256;
const MAX_STRINGS: usize = 256;
/// A domain name's, and a character-string's, most characters.
const MAX_NAME: usize = 255;
const MAX_TEXT: usize = 255;

fn dns_error(code: &str, t: DnsType, host: &str) -> OpError {
  OpError::Host(t.error(code, host))
}

fn malformed() -> OpError {
  OpError::coded(
    ErrorClass::Error,
    "ERR_SANDBOX_HOST_QUERY",
    "The host's answer to a DNS query is malformed",
  )
}

/// `dns.resolve(host, rrtype)` asked of `servers` (comma-separated
/// `ip:port`; empty: the host's resolvers).
pub fn resolve_records(
  s: &mut OpState,
  host: &str,
  rrtype: &str,
  servers: &str,
) -> OpResult<OpFuture> {
  // A type Node does not know is refused by the guest; here it is no query.
  let t = DnsType::from_name(rrtype).ok_or_else(|| {
    OpError::Host(HostError {
      name: "Error".into(),
      message: format!("query ENOTIMP {host}"),
      code: Some("ENOTIMP".into()),
    })
  })?;
  // The server list is bounded before it is read: 8 of `[v6%zone]:port`.
  if host.len() > MAX_HOST_BYTES || servers.len() > MAX_SERVERS * MAX_SERVER_TEXT {
    return Err(dns_error("EBADNAME", t, host));
  }
  // localhost and literal addresses are answered here, as lookups are.
  if let Some(local) = local_answer(host, t) {
    let answer = if local.is_empty() {
      Err(dns_error("ENODATA", t, host))
    } else {
      Ok(OpValue::Str(Value::Array(local).to_string().into()))
    };
    return pending(std::future::ready(answer));
  }
  let mut list: Vec<SocketAddr> = Vec::new();
  for part in servers.split(',').filter(|p| !p.is_empty()) {
    let addr: SocketAddr = part.parse().map_err(|_| dns_error("EBADNAME", t, host))?;
    if list.len() >= MAX_SERVERS {
      return Err(dns_error("EBADNAME", t, host));
    }
    if !list.contains(&addr) {
      list.push(addr);
    }
  }
  let refused = |_| dns_error("EACCES", t, host);
  for server in &list {
    let ip = server.ip().to_string();
    let verdict = s.kernel.policy.connect(&Destination {
      host: &ip,
      addr: server.ip(),
      port: server.port(),
    });
    crate::kernel::permission::connect(s, verdict, &server.to_string()).map_err(refused)?;
  }
  let name = normalize_host(host).ok_or_else(|| dns_error("EBADNAME", t, host))?;
  // A reverse name tells the name of an address: only of one the guest may
  // know of (the guard's addresses stay nameless, whatever type is asked).
  if let Some(addr) = arpa_address(&name) {
    if !addr.is_some_and(|a| s.kernel.policy.may_know(a)) {
      return Err(dns_error("EACCES", t, host));
    }
  }
  if let Some(verdict) = s.kernel.policy.connect_name(&name, None) {
    crate::kernel::permission::connect(s, verdict, host).map_err(refused)?;
  }
  let asked = s
    .control
    .query_host_async(crate::ipc::Query::ResolveRecords {
      host: host.to_string(),
      rrtype: t,
      servers: list,
      timeout_ms: s.kernel.connect_timeout_ms,
    });
  let kernel = s.kernel.clone();
  pending(async move {
    let bytes = match asked.await? {
      OpValue::Cloned(b) => b,
      _ => Vec::new(),
    };
    let records: Vec<DnsRecord> = postcard::from_bytes(&bytes).map_err(|_| malformed())?;
    let mut out = Vec::new();
    for r in records.iter().take(MAX_RECORDS) {
      // The host's answer is not trusted: the types asked for, addresses
      // the guest may know of, names and strings of DNS's sizes.
      let kept = match &r.data {
        DnsData::A(ip) => kernel.policy.may_know(IpAddr::V4(*ip)),
        DnsData::Aaaa(ip) => kernel.policy.may_know(IpAddr::V6(*ip)),
        _ => true,
      };
      if kept && (t == DnsType::Any || kind(&r.data) == t) {
        out.push(to_json(r).ok_or_else(malformed)?);
      }
    }
    Ok(OpValue::Str(Value::Array(out).to_string().into()))
  })
}

/// The answer to an A or AAAA query for `localhost` (the runtime's own
/// loopback) or a literal address (itself, if of the family asked).
fn local_answer(host: &str, t: DnsType) -> Option<Vec<Value>> {
  let (name, v6) = match t {
    DnsType::A => ("A", false),
    DnsType::Aaaa => ("AAAA", true),
    _ => return None,
  };
  let lower = host.to_ascii_lowercase();
  let ip: IpAddr = if is_localhost(host) || lower.trim_end_matches('.').ends_with(".localhost") {
    if v6 {
      IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
    } else {
      IpAddr::from(std::net::Ipv4Addr::LOCALHOST)
    }
  } else {
    host.parse().ok()?
  };
  Some(if ip.is_ipv6() == v6 {
    vec![json!([name, 0, ip.to_string()])]
  } else {
    Vec::new()
  })
}

fn kind(d: &DnsData) -> DnsType {
  match d {
    DnsData::A(_) => DnsType::A,
    DnsData::Aaaa(_) => DnsType::Aaaa,
    DnsData::Cname(_) => DnsType::Cname,
    DnsData::Ns(_) => DnsType::Ns,
    DnsData::Ptr(_) => DnsType::Ptr,
    DnsData::Mx { .. } => DnsType::Mx,
    DnsData::Txt(_) => DnsType::Txt,
    DnsData::Srv { .. } => DnsType::Srv,
    DnsData::Soa { .. } => DnsType::Soa,
    DnsData::Caa { .. } => DnsType::Caa,
    DnsData::Naptr { .. } => DnsType::Naptr,
  }
}

/// A record as the guest reads it, or None when a field is out of bounds.
fn to_json(r: &DnsRecord) -> Option<Value> {
  let n = |s: &String| (s.chars().count() <= MAX_NAME).then(|| s.clone());
  let t = |s: &String| (s.chars().count() <= MAX_TEXT).then(|| s.clone());
  Some(match &r.data {
    DnsData::A(ip) => json!(["A", r.ttl, ip.to_string()]),
    DnsData::Aaaa(ip) => json!(["AAAA", r.ttl, ip.to_string()]),
    DnsData::Cname(v) => json!(["CNAME", r.ttl, n(v)?]),
    DnsData::Ns(v) => json!(["NS", r.ttl, n(v)?]),
    DnsData::Ptr(v) => json!(["PTR", r.ttl, n(v)?]),
    DnsData::Mx { priority, exchange } => json!(["MX", r.ttl, n(exchange)?, priority]),
    DnsData::Txt(parts) => {
      if parts.len() > MAX_STRINGS {
        return None;
      }
      let parts: Option<Vec<String>> = parts.iter().map(t).collect();
      json!(["TXT", r.ttl, parts?])
    }
    DnsData::Srv {
      priority,
      weight,
      port,
      name,
    } => json!(["SRV", r.ttl, n(name)?, port, priority, weight]),
    DnsData::Soa {
      nsname,
      hostmaster,
      serial,
      refresh,
      retry,
      expire,
      minttl,
    } => json!([
      "SOA",
      r.ttl,
      n(nsname)?,
      n(hostmaster)?,
      serial,
      refresh,
      retry,
      expire,
      minttl
    ]),
    DnsData::Caa {
      critical,
      tag,
      value,
    } => json!(["CAA", r.ttl, critical, t(tag)?, t(value)?]),
    DnsData::Naptr {
      flags,
      service,
      regexp,
      replacement,
      order,
      preference,
    } => json!([
      "NAPTR",
      r.ttl,
      t(flags)?,
      t(service)?,
      t(regexp)?,
      n(replacement)?,
      order,
      preference
    ]),
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn types_and_syscalls_are_node_s() {
    for (name, syscall) in [
      ("MX", "queryMx"),
      ("AAAA", "queryAaaa"),
      ("TXT", "queryTxt"),
      ("ANY", "queryAny"),
    ] {
      assert_eq!(
        DnsType::from_name(name).map(DnsType::syscall),
        Some(syscall)
      );
    }
    assert!(DnsType::from_name("mx").is_none());
    assert!(DnsType::from_name("HINFO").is_none());
  }

  #[test]
  fn localhost_and_literals_are_answered_here() {
    let a = |h: &str, t| local_answer(h, t).map(|v| Value::Array(v).to_string());
    assert_eq!(
      a("localhost", DnsType::A).as_deref(),
      Some(r#"[["A",0,"127.0.0.1"]]"#)
    );
    assert_eq!(
      a("LocalHost.", DnsType::Aaaa).as_deref(),
      Some(r#"[["AAAA",0,"::1"]]"#)
    );
    assert_eq!(
      a("app.localhost", DnsType::A).as_deref(),
      Some(r#"[["A",0,"127.0.0.1"]]"#)
    );
    assert_eq!(
      a("10.1.2.3", DnsType::A).as_deref(),
      Some(r#"[["A",0,"10.1.2.3"]]"#)
    );
    assert_eq!(a("10.1.2.3", DnsType::Aaaa).as_deref(), Some("[]"));
    assert_eq!(a("localhost", DnsType::Mx), None);
    assert_eq!(a("example.com", DnsType::A), None);
  }

  #[test]
  fn records_out_of_bounds_are_refused() {
    let rec = |data| DnsRecord { ttl: 5, data };
    let long = "a".repeat(MAX_NAME + 1);
    assert!(to_json(&rec(DnsData::Cname(long.clone()))).is_none());
    assert!(to_json(&rec(DnsData::Txt(vec![long]))).is_none());
    assert!(to_json(&rec(DnsData::Txt(vec!["x".into(); MAX_STRINGS + 1]))).is_none());
    let mx = to_json(&rec(DnsData::Mx {
      priority: 10,
      exchange: "mx.example".into(),
    }));
    assert_eq!(mx.unwrap().to_string(), r#"["MX",5,"mx.example",10]"#);
  }
}
