//! The network rules against a model: entries are generated as values
//! (a name, a domain, a CIDR range, a port), written out as the host would
//! write them, compiled, and every decision compared with the model's.
//! Hostile entry text never panics the compiler.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
enum ModelHost {
  Any,
  Name(String),
  Under(String),
  V4(u32, u8),
  V6(u128, u8),
}

#[derive(Debug, Clone)]
struct ModelEntry {
  host: ModelHost,
  port: Option<u16>,
  /// Written with capitals and a root dot, which compile to the same name.
  loud: bool,
}

const NAMES: &[&str] = &[
  "example.com",
  "api.example.com",
  "a.api.example.com",
  "example.org",
  "badexample.com",
  "localhost",
];

const V4: &[[u8; 4]] = &[
  [10, 0, 0, 1],
  [10, 0, 0, 2],
  [93, 184, 216, 34],
  [8, 8, 8, 8],
  [127, 0, 0, 1],
  [169, 254, 169, 254],
  [192, 168, 1, 1],
];

const V6: &[&str] = &[
  "::1",
  "fd00::1",
  "2606:2800:220:1::1",
  "2606:4700::1",
  "::ffff:8.8.8.8",
  "::ffff:10.0.0.1",
  "64:ff9b::808:808",
];

fn v4() -> impl Strategy<Value = u32> {
  prop_oneof![
    3 => prop::sample::select(V4).prop_map(u32::from_be_bytes),
    1 => any::<u32>(),
  ]
}

fn v6() -> impl Strategy<Value = u128> {
  prop_oneof![
    3 => prop::sample::select(V6).prop_map(|s| u128::from(s.parse::<Ipv6Addr>().unwrap())),
    1 => any::<u128>(),
  ]
}

fn port() -> impl Strategy<Value = u16> {
  prop_oneof![
    3 => prop::sample::select(&[80u16, 443, 8080][..]),
    1 => 1u16..,
  ]
}

fn entry() -> impl Strategy<Value = ModelEntry> {
  let host = prop_oneof![
    1 => Just(ModelHost::Any),
    3 => prop::sample::select(NAMES).prop_map(|n| ModelHost::Name(n.into())),
    2 => prop::sample::select(NAMES).prop_map(|n| ModelHost::Under(n.into())),
    3 => (v4(), prop_oneof![Just(32u8), 0u8..=32]).prop_map(|(a, p)| ModelHost::V4(a, p)),
    2 => (v6(), prop_oneof![Just(128u8), 0u8..=128]).prop_map(|(a, p)| ModelHost::V6(a, p)),
  ];
  (host, prop::option::weighted(0.4, port()), any::<bool>())
    .prop_map(|(host, port, loud)| ModelEntry { host, port, loud })
}

impl ModelEntry {
  fn text(&self) -> String {
    let name = |n: &str| {
      if self.loud {
        format!("{}.", n.to_uppercase())
      } else {
        n.to_string()
      }
    };
    let host = match &self.host {
      ModelHost::Any => "*".to_string(),
      ModelHost::Name(n) => name(n),
      ModelHost::Under(n) => format!("*.{}", name(n)),
      ModelHost::V4(a, 32) if self.loud => Ipv4Addr::from(*a).to_string(),
      ModelHost::V4(a, p) => format!("{}/{p}", Ipv4Addr::from(*a)),
      ModelHost::V6(a, 128) if self.loud => format!("[{}]", Ipv6Addr::from(*a)),
      // A bare IPv6 range takes no port: bracket it when there is one.
      ModelHost::V6(a, p) if self.port.is_some() => format!("[{}]/{p}", Ipv6Addr::from(*a)),
      ModelHost::V6(a, p) => format!("{}/{p}", Ipv6Addr::from(*a)),
    };
    match self.port {
      Some(p) => format!("{host}:{p}"),
      None => host,
    }
  }

  fn names_address(&self, addr: IpAddr) -> bool {
    let in_v4 = |net: u32, p: u8, a: IpAddr| match a {
      IpAddr::V4(a) => p == 0 || (u32::from(a) ^ net) >> (32 - p) == 0,
      IpAddr::V6(_) => false,
    };
    let in_v6 = |net: u128, p: u8, a: IpAddr| match a {
      IpAddr::V6(a) => p == 0 || (u128::from(a) ^ net) >> (128 - p) == 0,
      IpAddr::V4(_) => false,
    };
    // An IPv6 form of an IPv4 address is that address too.
    let forms = [addr, embedded_v4(addr)];
    match self.host {
      ModelHost::V4(net, p) => forms.iter().any(|&a| in_v4(net, p, a)),
      ModelHost::V6(net, p) => forms.iter().any(|&a| in_v6(net, p, a)),
      _ => false,
    }
  }

  fn matches(&self, host: &str, addr: IpAddr, port: u16) -> bool {
    if self.port.is_some_and(|p| p != port) {
      return false;
    }
    match &self.host {
      ModelHost::Any => true,
      ModelHost::Name(n) => host == n,
      ModelHost::Under(n) => host
        .strip_suffix(n.as_str())
        .is_some_and(|h| h.ends_with('.') && h.len() > 1),
      ModelHost::V4(..) | ModelHost::V6(..) => self.names_address(addr),
    }
  }
}

fn model_decide(allow: &[ModelEntry], deny: &[ModelEntry], d: &Destination<'_>) -> Decision {
  if let Some(i) = deny.iter().position(|e| e.matches(d.host, d.addr, d.port)) {
    return Decision::Denied(i);
  }
  if is_guarded(d.addr) {
    return match allow
      .iter()
      .position(|e| e.port.is_none_or(|p| p == d.port) && e.names_address(d.addr))
    {
      Some(i) => Decision::Allowed(i),
      None => Decision::Guarded,
    };
  }
  match allow.iter().position(|e| e.matches(d.host, d.addr, d.port)) {
    Some(i) => Decision::Allowed(i),
    None => Decision::NotListed,
  }
}

fn addr() -> impl Strategy<Value = IpAddr> {
  prop_oneof![
    v4().prop_map(|a| IpAddr::V4(a.into())),
    v6().prop_map(|a| IpAddr::V6(a.into())),
  ]
}

/// A destination: a listed name (or a name under one), or an address
/// named by its text.
fn destination() -> impl Strategy<Value = (String, IpAddr, u16)> {
  (
    prop_oneof![
      prop::sample::select(NAMES).prop_map(|n| Some(n.to_string())),
      prop::sample::select(NAMES).prop_map(|n| Some(format!("x.{n}"))),
      Just(None),
    ],
    addr(),
    port(),
  )
    .prop_map(|(host, addr, port)| (host.unwrap_or_else(|| addr.to_string()), addr, port))
}

fn compile(allow: &[ModelEntry], deny: &[ModelEntry]) -> HostRules {
  let text = |v: &[ModelEntry]| v.iter().map(ModelEntry::text).collect::<Vec<_>>();
  HostRules::new(&text(allow), &text(deny), "permissions.network")
    .unwrap_or_else(|e| panic!("a valid entry was refused: {e}"))
}

/// Entry text made of the pieces the grammar cares about.
fn garbled_entry() -> impl Strategy<Value = String> {
  let piece = prop::sample::select(
    &[
      "[", "]", ":", "::", "/", "*", "*.", ".", "..", "1", "255", "256", "0", "65535", "65536",
      "a", "example", "com", "ffff", "-", "_", "@", " ", "\0", "é", "。", "xn--", "%",
    ][..],
  );
  prop_oneof![
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat()),
    any::<String>(),
  ]
}

proptest! {
  #![proptest_config(crate::fuzz::config(500))]

  #[test]
  fn decisions_agree_with_the_model(
    allow in prop::collection::vec(entry(), 0..5),
    deny in prop::collection::vec(entry(), 0..3),
    dests in prop::collection::vec(destination(), 1..8),
  ) {
    let rules = compile(&allow, &deny);
    for (host, addr, port) in &dests {
      let d = Destination { host, addr: *addr, port: *port };
      let got = rules.decide(&d);
      prop_assert_eq!(got, model_decide(&allow, &deny, &d), "{:?} {:?}", allow, d);
      // Deny beats allow: no allow entry decides while a deny entry matches.
      if deny.iter().any(|e| e.matches(host, *addr, *port)) {
        prop_assert!(matches!(got, Decision::Denied(_)));
      }
      // An allowed name could have been looked up, and a name denied as a
      // name is denied whatever it resolves to.
      if matches!(got, Decision::Allowed(_)) {
        prop_assert!(rules.may_allow_name(host, Some(*port)));
        prop_assert!(rules.may_allow_name(host, None));
      }
      if let Some(i) = rules.denies_name(host, *port) {
        prop_assert!(matches!(got, Decision::Denied(j) if j <= i), "{:?}", got);
      }
      if rules.names_address_on_any_port(*addr) {
        prop_assert!(allow.iter().any(|e| e.names_address(*addr)));
      }
    }
  }

  /// More deny entries never allow more; more allow entries never deny more.
  #[test]
  fn lists_are_monotonic(
    allow in prop::collection::vec(entry(), 0..4),
    deny in prop::collection::vec(entry(), 0..3),
    extra in entry(),
    (host, addr, port) in destination(),
  ) {
    let d = Destination { host: &host, addr, port };
    let base = compile(&allow, &deny).decide(&d);
    let more_deny = compile(&allow, &[deny.clone(), vec![extra.clone()]].concat()).decide(&d);
    if matches!(more_deny, Decision::Allowed(_)) {
      prop_assert_eq!(more_deny, base);
    }
    let more_allow = compile(&[allow.clone(), vec![extra]].concat(), &deny).decide(&d);
    if matches!(base, Decision::Allowed(_) | Decision::Denied(_)) {
      prop_assert_eq!(more_allow, base);
    }
  }

  #[test]
  fn hostile_entries_never_panic(
    allow in prop::collection::vec(garbled_entry(), 0..4),
    deny in prop::collection::vec(garbled_entry(), 0..2),
    host in garbled_entry(),
    (_, addr, port) in destination(),
  ) {
    if let Ok(rules) = HostRules::new(&allow, &deny, "permissions.network") {
      let _ = rules.decide(&Destination { host: &host, addr, port });
      let _ = rules.may_allow_name(&host, None);
      let _ = rules.denies_name(&host, port);
    }
    if let Some(n) = normalize_host(&host) {
      // A normal name is its own normal form, and what entries compare.
      prop_assert_eq!(normalize_host(&n), Some(n.clone()));
      prop_assert!(n.len() <= 253 && !n.ends_with('.'));
      prop_assert!(n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b)));
      let rules = HostRules::new(std::slice::from_ref(&host), &[], "a").unwrap();
      prop_assert_eq!(rules.decide(&Destination { host: &n, addr: "93.184.216.34".parse().unwrap(), port }), Decision::Allowed(0));
    }
    let _ = arpa_address(&host);
  }

  #[test]
  fn reverse_names_round_trip(a in addr(), junk in garbled_entry()) {
    let name = match a {
      IpAddr::V4(v) => {
        let o = v.octets();
        format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
      }
      IpAddr::V6(v) => {
        let hex: Vec<String> = v.octets().iter().flat_map(|b| [b >> 4, b & 15]).rev().map(|n| format!("{n:x}")).collect();
        format!("{}.ip6.arpa", hex.join("."))
      }
    };
    prop_assert_eq!(arpa_address(&name), Some(Some(a)));
    // A label more or less is no address.
    prop_assert_eq!(arpa_address(&format!("1.{name}")), Some(None));
    prop_assert_eq!(arpa_address(&name[name.find('.').unwrap() + 1..]), Some(None));
    if !junk.ends_with("arpa") {
      prop_assert_eq!(arpa_address(&junk), None);
    }
  }
}
