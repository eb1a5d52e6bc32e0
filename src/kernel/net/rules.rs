//! `permissions.network: { allow: [...], deny: [...] }`: which destinations
//! a guest may connect to. An entry names a host (`api.example.com`), the
//! hosts under a domain (`*.example.org`), any host (`*`), an address
//! (`10.1.2.3`, `[::1]`) or a range (`10.0.0.0/8`, `[fd00::]/8`), each with
//! an optional port (`:443`). Names are matched against the name the guest
//! asked for; addresses and ranges against the address it resolved to. The
//! SSRF guard refuses a guarded address (see `addr::is_guarded`) unless an
//! allow entry names it by address or range: a name, even an exact one,
//! never lifts it (its DNS answer may change between check and use).
use std::net::IpAddr;

use ipnet::IpNet;

use super::addr::{embedded_v4, is_guarded, parse_ip};

/// A connection the guest asks for: the host as it named it (lowercase
/// ASCII, no trailing dot, or an address's text), the address that host
/// resolved to, and the port.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
  pub host: &'a str,
  pub addr: IpAddr,
  pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
  /// Every host.
  Any,
  /// This name exactly.
  Name(String),
  /// Names under this domain (stored with its leading dot).
  Under(String),
  /// An address or a range of them.
  Net(IpNet),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
  host: Host,
  port: Option<u16>,
}

/// How a list answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
  /// Entry `i` of `allow` matched.
  Allowed(usize),
  /// Entry `i` of `deny` matched.
  Denied(usize),
  /// The address is guarded and no allow entry names it by address.
  Guarded,
  /// No allow entry matched.
  NotListed,
}

/// The compiled `allow` and `deny` lists.
#[derive(Debug)]
pub struct HostRules {
  allow: Vec<Entry>,
  deny: Vec<Entry>,
}

impl HostRules {
  /// Checks and compiles the lists; `what` names them in errors
  /// (`permissions.network`).
  pub fn new(allow: &[String], deny: &[String], what: &str) -> Result<HostRules, String> {
    let list = |v: &[String], name: &str| -> Result<Vec<Entry>, String> {
      v.iter()
        .enumerate()
        .map(|(i, e)| parse_entry(e).map_err(|why| format!("{what}.{name}[{i}] {why}: {e:?}")))
        .collect()
    };
    Ok(HostRules {
      allow: list(allow, "allow")?,
      deny: list(deny, "deny")?,
    })
  }

  /// May the guest connect to `d`? A deny entry wins over everything, then
  /// the guard, then the allow entries.
  pub fn decide(&self, d: &Destination<'_>) -> Decision {
    if let Some(i) = self.deny.iter().position(|e| e.matches(d)) {
      return Decision::Denied(i);
    }
    if is_guarded(d.addr) {
      return match self.allow.iter().position(|e| e.names_address(d)) {
        Some(i) => Decision::Allowed(i),
        None => Decision::Guarded,
      };
    }
    match self.allow.iter().position(|e| e.matches(d)) {
      Some(i) => Decision::Allowed(i),
      None => Decision::NotListed,
    }
  }
}

impl HostRules {
  /// Whether some allow entry names `addr` by address or range (any port).
  pub fn names_address_on_any_port(&self, addr: IpAddr) -> bool {
    self
      .allow
      .iter()
      .any(|e| matches!(&e.host, Host::Net(net) if net_contains(net, addr)))
  }

  /// Whether some allow entry may let `name` through (on `port`, or on
  /// any port when `None`): `*`, an address or range (decided once it is
  /// resolved), or an entry naming it or its domain. A name none can
  /// allow is refused without being looked up (no DNS exfiltration).
  pub fn may_allow_name(&self, name: &str, port: Option<u16>) -> bool {
    self.allow.iter().any(|e| {
      port.is_none_or(|p| e.port_matches(p))
        && match &e.host {
          Host::Any | Host::Net(_) => true,
          Host::Name(n) => name == n,
          Host::Under(suffix) => name.ends_with(suffix.as_str()) && name.len() > suffix.len(),
        }
    })
  }

  /// The deny entry that refuses `name` (a normalized name) on `port` by
  /// name alone, before it is resolved (a denied name is never looked up).
  pub fn denies_name(&self, name: &str, port: u16) -> Option<usize> {
    self.deny.iter().position(|e| {
      e.port_matches(port)
        && match &e.host {
          Host::Any => true,
          Host::Name(n) => name == n,
          Host::Under(suffix) => name.ends_with(suffix.as_str()) && name.len() > suffix.len(),
          Host::Net(_) => false,
        }
    })
  }
}

impl Entry {
  fn port_matches(&self, port: u16) -> bool {
    self.port.is_none_or(|p| p == port)
  }

  fn matches(&self, d: &Destination<'_>) -> bool {
    if !self.port_matches(d.port) {
      return false;
    }
    match &self.host {
      Host::Any => true,
      Host::Name(n) => d.host == n,
      Host::Under(suffix) => d.host.ends_with(suffix.as_str()) && d.host.len() > suffix.len(),
      Host::Net(net) => net_contains(net, d.addr),
    }
  }

  fn names_address(&self, d: &Destination<'_>) -> bool {
    matches!(&self.host, Host::Net(net) if net_contains(net, d.addr)) && self.port_matches(d.port)
  }
}

/// An IPv6 form of an IPv4 address is that address, for the lists as for
/// the guard.
fn net_contains(net: &IpNet, addr: IpAddr) -> bool {
  net.contains(&addr) || net.contains(&embedded_v4(addr))
}

fn parse_entry(e: &str) -> Result<Entry, &'static str> {
  let (host, port) = split_port(e)?;
  let host = if host == "*" {
    Host::Any
  } else if let Some(domain) = host.strip_prefix("*.") {
    Host::Under(format!(".{}", name(domain)?))
  } else if let Some(net) = parse_net(host) {
    Host::Net(net)
  } else {
    Host::Name(name(host)?)
  };
  Ok(Entry { host, port })
}

/// `host` and its port: `h`, `h:443`, `[v6]`, `[v6]:443`, `[v6]/64:443`, a
/// bare IPv6 address or range (no port).
fn split_port(e: &str) -> Result<(&str, Option<u16>), &'static str> {
  let (host, port) = if e.starts_with('[') {
    let close = e.find(']').ok_or("has an unclosed '['")?;
    // The prefix length may follow the bracket: `[fd00::]/8`.
    let end = e[close..].find(':').map_or(e.len(), |i| close + i);
    (&e[..end], e.get(end + 1..).filter(|_| end < e.len()))
  } else if e.matches(':').count() > 1 {
    (e, None)
  } else {
    match e.split_once(':') {
      Some((h, p)) => (h, Some(p)),
      None => (e, None),
    }
  };
  let port = match port {
    None => None,
    Some(p) => match p.parse::<u16>() {
      Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
      _ => return Err("has a port that is not a number from 1 to 65535"),
    },
  };
  if host.is_empty() {
    return Err("names no host");
  }
  Ok((host, port))
}

/// An address or range, bracketed or not; IPv4 only in dotted decimal form
/// (an entry is written by the host, not by a guest).
fn parse_net(host: &str) -> Option<IpNet> {
  let (addr, prefix) = match host.split_once('/') {
    Some((a, p)) => (a, Some(p)),
    None => (host, None),
  };
  let addr = addr
    .strip_prefix('[')
    .and_then(|a| a.strip_suffix(']'))
    .unwrap_or(addr);
  let ip: IpAddr = addr.parse().ok()?;
  let max = if ip.is_ipv4() { 32 } else { 128 };
  let len = match prefix {
    None => max,
    Some(p) => p
      .parse::<u8>()
      .ok()
      .filter(|&n| n <= max && p.bytes().all(|b| b.is_ascii_digit()))?,
  };
  IpNet::new(ip, len).ok().map(|n| n.trunc())
}

/// A host name as the guest's names are compared: ASCII (IDNA), lowercase,
/// no trailing dot.
fn name(host: &str) -> Result<String, &'static str> {
  // An address reaches here only in a form other than dotted decimal.
  if host.contains(['/', '[', ']', '@', ' ', '*']) || parse_ip(host).is_some() {
    return Err("is not a host name, address or range");
  }
  // IDNA first: it maps the other full stops (U+3002, U+FF0E, U+FF61) to
  // `.`, so one root dot is taken off only after, and any empty label
  // left (`a..b`, `a..`) makes the name invalid.
  let ascii = idna::domain_to_ascii(host).map_err(|_| "is not a valid host name")?;
  let ascii = ascii.strip_suffix('.').unwrap_or(&ascii).to_string();
  // `1.` or `127.0.0.1.`: an address with a root dot is no name either.
  if parse_ip(&ascii).is_some() {
    return Err("is not a host name, address or range");
  }
  // Labels of letters, digits, `-` and `_` only: resolvers read `\t` or
  // `\064` as other characters, so the name compared must be the name
  // sent, byte for byte.
  let label_ok = |l: &str| {
    !l.is_empty()
      && l.len() <= 63
      && l
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
  };
  if ascii.is_empty() || ascii.len() > 253 || !ascii.split('.').all(label_ok) {
    return Err("is not a valid host name");
  }
  Ok(ascii)
}

/// The address a reverse-lookup name (`4.3.2.1.in-addr.arpa`, or 32
/// nibbles under `ip6.arpa`) asks about: `None` for other names,
/// `Some(None)` for a name under those zones that is not one address.
pub fn arpa_address(name: &str) -> Option<Option<IpAddr>> {
  if let Some(rest) = name
    .strip_suffix(".in-addr.arpa")
    .or((name == "in-addr.arpa").then_some(""))
  {
    let parts: Vec<&str> = rest.split('.').collect();
    let octets: Option<Vec<u8>> = parts
      .iter()
      .rev()
      .map(|p| {
        (!p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
          .then(|| p.parse::<u8>().ok())
          .flatten()
      })
      .collect();
    return Some(match octets {
      Some(o) if o.len() == 4 => Some(IpAddr::from([o[0], o[1], o[2], o[3]])),
      _ => None,
    });
  }
  if let Some(rest) = name
    .strip_suffix(".ip6.arpa")
    .or((name == "ip6.arpa").then_some(""))
  {
    let nibbles: Option<Vec<u8>> = rest
      .split('.')
      .rev()
      .map(|p| match p.as_bytes() {
        [b] => (*b as char).to_digit(16).map(|d| d as u8),
        _ => None,
      })
      .collect();
    return Some(match nibbles {
      Some(n) if n.len() == 32 => {
        let mut bytes = [0u8; 16];
        for (i, pair) in n.chunks(2).enumerate() {
          bytes[i] = (pair[0] << 4) | pair[1];
        }
        Some(IpAddr::from(bytes))
      }
      _ => None,
    });
  }
  None
}

/// The host a guest named, as entries are compared with it; `None` when it
/// is not a valid host name.
pub fn normalize_host(host: &str) -> Option<String> {
  name(host).ok()
}

#[cfg(test)]
mod tests {
  use super::*;

  fn rules(allow: &[&str], deny: &[&str]) -> HostRules {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    HostRules::new(&s(allow), &s(deny), "permissions.network").expect("rules")
  }

  fn at(host: &str, addr: &str, port: u16) -> Destination<'static> {
    Destination {
      host: Box::leak(host.to_string().into_boxed_str()),
      addr: addr.parse().unwrap(),
      port,
    }
  }

  #[test]
  fn names_are_only_what_a_resolver_sends_as_is() {
    assert_eq!(
      normalize_host("API.Example.COM.").as_deref(),
      Some("api.example.com")
    );
    assert_eq!(
      normalize_host("_sip._tcp.example.test").as_deref(),
      Some("_sip._tcp.example.test")
    );
    for bad in [
      "secre\\t.example.test",
      "a\\064b.test",
      "a\tb.test",
      "a!b.test",
      "a..b",
      "1.",
      "127.0.0.1.",
      "0x7f.1.",
    ] {
      assert_eq!(normalize_host(bad), None, "{bad:?}");
    }
    assert_eq!(normalize_host(&"a".repeat(64)), None);
  }

  #[test]
  fn reverse_names_give_their_address() {
    let a = |s: &str| arpa_address(s);
    assert_eq!(
      a("5.0.0.10.in-addr.arpa"),
      Some(Some("10.0.0.5".parse().unwrap()))
    );
    assert_eq!(a("0.0.10.in-addr.arpa"), Some(None));
    assert_eq!(a("in-addr.arpa"), Some(None));
    assert_eq!(a("256.0.0.10.in-addr.arpa"), Some(None));
    let v6 = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa";
    assert_eq!(a(v6), Some(Some("::1".parse().unwrap())));
    assert_eq!(a("1.0.ip6.arpa"), Some(None));
    assert_eq!(a("example.com"), None);
  }

  #[test]
  fn names_domains_ports_and_ranges() {
    let r = rules(
      &[
        "api.example.com:443",
        "*.example.org",
        "93.184.0.0/16:80",
        "[2606:2800::]/32",
      ],
      &[],
    );
    let ok = Decision::Allowed;
    assert_eq!(r.decide(&at("api.example.com", "93.1.1.1", 443)), ok(0));
    assert_eq!(
      r.decide(&at("api.example.com", "93.1.1.1", 80)),
      Decision::NotListed
    );
    assert_eq!(r.decide(&at("a.b.example.org", "8.8.8.8", 1)), ok(1));
    assert_eq!(
      r.decide(&at("example.org", "8.8.8.8", 1)),
      Decision::NotListed
    );
    assert_eq!(
      r.decide(&at("badexample.org", "8.8.8.8", 1)),
      Decision::NotListed
    );
    assert_eq!(r.decide(&at("anything", "93.184.216.34", 80)), ok(2));
    assert_eq!(r.decide(&at("anything", "::ffff:93.184.216.34", 80)), ok(2));
    assert_eq!(r.decide(&at("v6", "2606:2800:220:1::1", 443)), ok(3));
  }

  #[test]
  fn deny_wins_and_names_or_addresses_deny() {
    let r = rules(&["*"], &["evil.example.com", "203.0.113.0/24"]);
    assert_eq!(
      r.decide(&at("evil.example.com", "8.8.8.8", 443)),
      Decision::Denied(0)
    );
    assert_eq!(
      r.decide(&at("fine.example.com", "203.0.113.9", 443)),
      Decision::Denied(1)
    );
    assert_eq!(
      r.decide(&at("fine.example.com", "8.8.8.8", 443)),
      Decision::Allowed(0)
    );
  }

  #[test]
  fn every_spelling_of_a_name_is_the_same_name() {
    for spelled in [
      "evil.example",
      "EVIL.example.",
      "evil.example\u{3002}",
      "evil.example\u{ff0e}",
      "evil\u{ff61}example",
    ] {
      assert_eq!(
        normalize_host(spelled).as_deref(),
        Some("evil.example"),
        "{spelled}"
      );
    }
    for bad in [
      "evil.example..",
      "evil..example",
      ".evil.example",
      "evil.example\u{3002}.",
      "",
    ] {
      assert_eq!(normalize_host(bad), None, "{bad}");
    }
  }

  #[test]
  fn a_name_is_denied_before_it_is_resolved_only_by_a_name_entry() {
    let r = rules(
      &["*"],
      &["*.evil.example", "tracker.example:443", "203.0.113.0/24"],
    );
    assert_eq!(r.denies_name("a.evil.example", 80), Some(0));
    assert_eq!(r.denies_name("evil.example", 80), None);
    assert_eq!(r.denies_name("tracker.example", 443), Some(1));
    assert_eq!(r.denies_name("tracker.example", 80), None);
    // An address range decides only once the name is resolved.
    assert_eq!(r.denies_name("fine.example", 80), None);
    let names = rules(&["api.example.com:443", "*.cdn.example"], &[]);
    assert!(names.may_allow_name("api.example.com", Some(443)));
    assert!(!names.may_allow_name("api.example.com", Some(80)));
    assert!(names.may_allow_name("api.example.com", None));
    assert!(names.may_allow_name("a.cdn.example", Some(1)));
    assert!(!names.may_allow_name("secret.attacker.example", None));
    assert!(rules(&["10.0.0.0/8"], &[]).may_allow_name("db.internal", Some(5432)));
  }

  #[test]
  fn the_guard_holds_unless_an_allow_entry_names_the_address() {
    let open = rules(&["*", "*.internal", "localhost", "db.internal:5432"], &[]);
    for (host, addr) in [
      ("127.0.0.1", "127.0.0.1"),
      ("localhost", "127.0.0.1"),
      ("db.internal", "10.0.0.5"),
      ("rebind.example.com", "169.254.169.254"),
      ("x", "::ffff:127.0.0.1"),
      ("x", "::1"),
      ("2130706433", "127.0.0.1"),
    ] {
      assert_eq!(
        open.decide(&at(host, addr, 5432)),
        Decision::Guarded,
        "{host} {addr}"
      );
    }
    let named = rules(&["127.0.0.1:8080", "10.0.0.0/8", "[::1]:9000"], &[]);
    assert_eq!(
      named.decide(&at("localhost", "127.0.0.1", 8080)),
      Decision::Allowed(0)
    );
    assert_eq!(
      named.decide(&at("x", "::ffff:127.0.0.1", 8080)),
      Decision::Allowed(0)
    );
    assert_eq!(
      named.decide(&at("localhost", "127.0.0.1", 8081)),
      Decision::Guarded
    );
    assert_eq!(named.decide(&at("db", "10.9.9.9", 1)), Decision::Allowed(1));
    assert_eq!(named.decide(&at("x", "::1", 9000)), Decision::Allowed(2));
    assert_eq!(
      named.decide(&at("x", "169.254.169.254", 80)),
      Decision::Guarded
    );
  }

  #[test]
  fn names_compare_as_ascii_lowercase_without_trailing_dot() {
    let r = rules(&["API.Example.COM.", "*.bücher.de"], &[]);
    let h = normalize_host("api.example.com.").unwrap();
    assert_eq!(r.decide(&at(&h, "8.8.8.8", 1)), Decision::Allowed(0));
    let h = normalize_host("shop.BÜCHER.de").unwrap();
    assert_eq!(h, "shop.xn--bcher-kva.de");
    assert_eq!(r.decide(&at(&h, "8.8.8.8", 1)), Decision::Allowed(1));
  }

  #[test]
  fn bad_entries_are_refused_with_their_place() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    for (entry, why) in [
      ("host:0", "port"),
      ("host:65536", "port"),
      ("host:+80", "port"),
      ("host:http", "port"),
      (":80", "names no host"),
      ("[::1", "unclosed"),
      ("10.0.0.0/33", "not a host name"),
      ("a/b", "not a host name"),
      ("*.*.example.com", "not a host name"),
      ("exa mple.com", "not a host name"),
      ("0x7f.1", "not a host name"),
    ] {
      let err =
        HostRules::new(&s(&["ok.example"]), &s(&[entry]), "permissions.network").unwrap_err();
      assert!(
        err.starts_with("permissions.network.deny[0] "),
        "{entry}: {err}"
      );
      assert!(err.contains(why), "{entry}: {err}");
    }
  }
}

#[cfg(test)]
mod proptests;
