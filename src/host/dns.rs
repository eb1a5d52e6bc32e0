//! `dns.resolve*()` for guests: DNS queries by record type, made by the
//! host with hickory-resolver (the sidecar may not open sockets). The
//! caller (`HostNet::resolve_records`) has checked the name and the
//! servers against the runtime's policy; this file asks and converts.
//! Each query gets its own resolver with no cache, so what one runtime
//! asked never shows in another's timings.
use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};

use crate::ipc::{DnsData, DnsRecord, DnsType, HostError};

/// Records one answer carries to the guest at most.
pub const MAX_RECORDS: usize = 256;

/// The host's resolver configuration (resolv.conf), read once.
fn system() -> Option<&'static (ResolverConfig, ResolverOpts)> {
  static CONF: std::sync::OnceLock<Option<(ResolverConfig, ResolverOpts)>> =
    std::sync::OnceLock::new();
  CONF
    .get_or_init(|| hickory_resolver::system_conf::read_system_conf().ok())
    .as_ref()
}

fn record_type(t: DnsType) -> RecordType {
  match t {
    DnsType::A => RecordType::A,
    DnsType::Aaaa => RecordType::AAAA,
    DnsType::Any => RecordType::ANY,
    DnsType::Caa => RecordType::CAA,
    DnsType::Cname => RecordType::CNAME,
    DnsType::Mx => RecordType::MX,
    DnsType::Naptr => RecordType::NAPTR,
    DnsType::Ns => RecordType::NS,
    DnsType::Ptr => RecordType::PTR,
    DnsType::Soa => RecordType::SOA,
    DnsType::Srv => RecordType::SRV,
    DnsType::Txt => RecordType::TXT,
  }
}

/// A domain name as c-ares shows it: ASCII, no final dot.
fn name(n: &Name) -> String {
  let s = n.to_ascii();
  s.strip_suffix('.').unwrap_or(&s).to_string()
}

/// Bytes of a character-string as Node shows them (one byte, one char).
fn latin1(b: &[u8]) -> String {
  b.iter().map(|&c| c as char).collect()
}

fn convert(data: &RData) -> Option<DnsData> {
  Some(match data {
    RData::A(a) => DnsData::A(a.0),
    RData::AAAA(a) => DnsData::Aaaa(a.0),
    RData::CNAME(n) => DnsData::Cname(name(&n.0)),
    RData::NS(n) => DnsData::Ns(name(&n.0)),
    RData::PTR(n) => DnsData::Ptr(name(&n.0)),
    RData::MX(mx) => DnsData::Mx {
      priority: mx.preference,
      exchange: name(&mx.exchange),
    },
    RData::TXT(t) => DnsData::Txt(t.txt_data.iter().map(|b| latin1(b)).collect()),
    RData::SRV(s) => DnsData::Srv {
      priority: s.priority,
      weight: s.weight,
      port: s.port,
      name: name(&s.target),
    },
    RData::SOA(s) => DnsData::Soa {
      nsname: name(&s.mname),
      hostmaster: name(&s.rname),
      serial: s.serial,
      refresh: s.refresh as u32,
      retry: s.retry as u32,
      expire: s.expire as u32,
      minttl: s.minimum,
    },
    RData::CAA(c) => DnsData::Caa {
      critical: (if c.issuer_critical { 128 } else { 0 }) | c.reserved_flags,
      tag: c.tag.clone(),
      value: latin1(&c.value),
    },
    RData::NAPTR(n) => DnsData::Naptr {
      flags: latin1(&n.flags),
      service: latin1(&n.services),
      regexp: latin1(&n.regexp),
      replacement: name(&n.replacement),
      order: n.order,
      preference: n.preference,
    },
    _ => return None,
  })
}

/// c-ares's code for a failed query.
fn code_of(e: &NetError) -> &'static str {
  match e {
    NetError::Dns(DnsError::NoRecordsFound(no)) => match no.response_code {
      ResponseCode::NXDomain => "ENOTFOUND",
      _ => "ENODATA",
    },
    NetError::Dns(DnsError::ResponseCode(code)) => match *code {
      ResponseCode::Refused => "EREFUSED",
      ResponseCode::NotImp => "ENOTIMP",
      ResponseCode::FormErr => "EFORMERR",
      ResponseCode::NXDomain => "ENOTFOUND",
      _ => "ESERVFAIL",
    },
    NetError::Timeout => "ETIMEOUT",
    NetError::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "ECONNREFUSED",
    NetError::Io(_) | NetError::NoConnections => "ECONNREFUSED",
    _ => "EBADRESP",
  }
}

/// Asks `servers` (none: the host's) for the `t` records of `host`, within
/// `timeout`.
pub async fn query(
  host: &str,
  t: DnsType,
  servers: &[SocketAddr],
  timeout: Duration,
) -> Result<Vec<DnsRecord>, HostError> {
  let (system_servers, mut opts) = match system() {
    Some((c, o)) => (c.name_servers().to_vec(), o.clone()),
    None if servers.is_empty() => return Err(t.error("ECONNREFUSED", host)),
    None => (Vec::new(), ResolverOpts::default()),
  };
  let list = if servers.is_empty() {
    system_servers
  } else {
    servers
      .iter()
      .map(|s| {
        let mut ns = NameServerConfig::udp_and_tcp(s.ip());
        for c in &mut ns.connections {
          c.port = s.port();
        }
        ns
      })
      .collect()
  };
  // c-ares's ares_query, as Node's resolve*: the name as given, never with
  // a search domain (which would also show the host's domains).
  let config = ResolverConfig::from_parts(None, Vec::new(), list);
  // c-ares does not read /etc/hosts for a query; nothing is kept.
  opts.use_hosts_file = ResolveHosts::Never;
  // EDNS as c-ares sends it (answers up to 1232 bytes over UDP; a larger
  // one comes truncated and is asked again over TCP).
  opts.edns0 = true;
  opts.cache_size = 0;
  opts.attempts = opts.attempts.clamp(1, 2);
  opts.timeout = opts.timeout.min(timeout);
  let resolver =
    hickory_resolver::Resolver::builder_with_config(config, TokioRuntimeProvider::default())
      .with_options(opts)
      .build()
      .map_err(|_| t.error("ECONNREFUSED", host))?;
  let mut fqdn = Name::from_ascii(host).map_err(|_| t.error("EBADNAME", host))?;
  fqdn.set_fqdn(true);
  let lookup = tokio::time::timeout(timeout, resolver.lookup(fqdn, record_type(t)))
    .await
    .map_err(|_| t.error("ETIMEOUT", host))?
    .map_err(|e| t.error(code_of(&e), host))?;
  let wanted = record_type(t);
  let mut out = Vec::new();
  // Not bounded here: the caller leaves hidden addresses out first. A
  // DNS message holds a few thousand records at most.
  for r in lookup.answers() {
    let data = &r.data;
    // A query answers with its own type (and the chain of aliases to it).
    if wanted != RecordType::ANY && data.record_type() != wanted {
      continue;
    }
    if let Some(data) = convert(data) {
      out.push(DnsRecord { ttl: r.ttl, data });
    }
  }
  if out.is_empty() {
    return Err(t.error("ENODATA", host));
  }
  Ok(out)
}
