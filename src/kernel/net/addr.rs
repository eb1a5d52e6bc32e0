//! Addresses as the network policy sees them: a guest's host text read as
//! an IP address the way the C library reads it (so `0x7f.1` is not taken
//! for a name), and the ranges the SSRF guard refuses unless a rule names
//! them.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `s` as an IPv4 address in any form `inet_aton` accepts: one to four
/// parts separated by dots, each decimal, octal (leading `0`) or hex
/// (`0x`), the last one filling the bytes that remain (`127.1`,
/// `2130706433`, `0177.0.0.1`, `0x7f.0.0.1`). `None`: not such an address.
pub fn parse_ipv4_loose(s: &str) -> Option<Ipv4Addr> {
  let parts: Vec<&str> = s.split('.').collect();
  if parts.is_empty() || parts.len() > 4 {
    return None;
  }
  let mut values = Vec::with_capacity(parts.len());
  for p in &parts {
    values.push(parse_part(p)?);
  }
  let (last, init) = values.split_last()?;
  // Each leading part is one byte; the last fills what is left.
  if init.iter().any(|&v| v > 0xff) {
    return None;
  }
  let rest_bits = 8 * (4 - init.len() as u32);
  if rest_bits < 32 && *last >= 1u64 << rest_bits {
    return None;
  }
  if *last > u64::from(u32::MAX) {
    return None;
  }
  let mut n: u32 = 0;
  for (i, v) in init.iter().enumerate() {
    n |= (*v as u32) << (24 - 8 * i as u32);
  }
  n |= *last as u32;
  Some(Ipv4Addr::from(n))
}

fn parse_part(p: &str) -> Option<u64> {
  if p.is_empty() || p.len() > 12 {
    return None;
  }
  let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
    (h, 16)
  } else if p.len() > 1 && p.starts_with('0') {
    (&p[1..], 8)
  } else {
    (p, 10)
  };
  // `0x` alone is 0, as inet_aton reads it.
  if digits.is_empty() {
    return (radix == 16).then_some(0);
  }
  if !digits.chars().all(|c| c.is_digit(radix)) {
    return None;
  }
  u64::from_str_radix(digits, radix).ok()
}

/// `s` as an IP address: IPv6 (with or without brackets) or any IPv4 form
/// of [`parse_ipv4_loose`].
pub fn parse_ip(s: &str) -> Option<IpAddr> {
  let inner = s
    .strip_prefix('[')
    .and_then(|r| r.strip_suffix(']'))
    .unwrap_or(s);
  if inner.contains(':') {
    return inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
  }
  parse_ipv4_loose(inner).map(IpAddr::V4)
}

/// The address an IPv6 form of an IPv4 address stands for (mapped,
/// compatible, NAT64, 6to4), else the address itself.
pub fn embedded_v4(addr: IpAddr) -> IpAddr {
  let IpAddr::V6(v6) = addr else {
    return addr;
  };
  let s = v6.segments();
  let o = v6.octets();
  let tail = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated).
  if s[..5].iter().all(|&x| x == 0) && (s[5] == 0xffff || (s[5] == 0 && u32::from(tail) > 1)) {
    return IpAddr::V4(tail);
  }
  // 64:ff9b::a.b.c.d (NAT64, RFC 6052).
  if s[0] == 0x64 && s[1] == 0xff9b && s[2..6].iter().all(|&x| x == 0) {
    return IpAddr::V4(tail);
  }
  // 2002:aabb:ccdd::/48 (6to4).
  if s[0] == 0x2002 {
    return IpAddr::V4(Ipv4Addr::new(o[2], o[3], o[4], o[5]));
  }
  addr
}

/// Longest host text a guest may name (a DNS name is at most 253 bytes;
/// an internationalized one is longer before IDNA). Longer is "not found"
/// before any parsing, in the sidecar and again on the host.
pub const MAX_HOST_BYTES: usize = 1024;

/// `localhost`, the name of this machine's own loopback.
pub fn is_localhost(host: &str) -> bool {
  host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.")
}

/// Whether the SSRF guard refuses `addr` unless a rule names it:
/// unspecified, loopback, private, carrier-grade NAT, link-local (the
/// cloud metadata addresses among them), unique-local, multicast,
/// broadcast and reserved ranges, in any IPv6 form of an IPv4 address.
pub fn is_guarded(addr: IpAddr) -> bool {
  match embedded_v4(addr) {
    IpAddr::V4(v4) => guarded_v4(v4),
    IpAddr::V6(v6) => guarded_v6(v6),
  }
}

fn guarded_v4(a: Ipv4Addr) -> bool {
  let [b0, b1, b2, _] = a.octets();
  b0 == 0 // "this network"
    || b0 == 10
    || b0 == 127
    || (b0 == 100 && (64..128).contains(&b1)) // carrier-grade NAT (Alibaba's metadata)
    || (b0 == 169 && b1 == 254) // link-local: 169.254.169.254 and the like
    || (b0 == 172 && (16..32).contains(&b1))
    || (b0 == 192 && b1 == 168)
    || (b0 == 192 && b1 == 0 && b2 == 0) // IETF protocol assignments
    || (b0 == 192 && b1 == 0 && b2 == 2) // documentation (TEST-NET-1)
    || (b0 == 198 && b1 == 51 && b2 == 100) // documentation (TEST-NET-2)
    || (b0 == 203 && b1 == 0 && b2 == 113) // documentation (TEST-NET-3)
    || (b0 == 192 && b1 == 88 && b2 == 99) // 6to4 relay anycast
    || (b0 == 198 && (b1 == 18 || b1 == 19)) // benchmarking
    || b0 >= 224 // multicast, reserved, broadcast
}

fn guarded_v6(a: Ipv6Addr) -> bool {
  let s = a.segments();
  a.is_unspecified()
    || a.is_loopback()
    || (s[0] & 0xffc0) == 0xfe80 // link-local
    || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
    || (s[0] & 0xfe00) == 0xfc00 // unique-local: fd00:ec2::254 and the like
    || (s[0] & 0xff00) == 0xff00 // multicast
    || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64
    || (s[0] == 0x2001 && s[1] == 0) // Teredo: the IPv4 address inside is hidden
    || (s[0] == 0x100 && s[1..4].iter().all(|&x| x == 0)) // discard-only
    || (s[0] == 0x2001 && s[1] == 0xdb8) // documentation
    // IPv4-compatible and mapped forms left over by embedded_v4: ::, ::1.
    || s[..6].iter().all(|&x| x == 0)
}

#[cfg(test)]
mod tests {
  use super::*;

  fn v4(s: &str) -> Option<String> {
    parse_ipv4_loose(s).map(|a| a.to_string())
  }

  #[test]
  fn ipv4_in_every_form_the_c_library_reads() {
    assert_eq!(v4("127.0.0.1").as_deref(), Some("127.0.0.1"));
    assert_eq!(v4("2130706433").as_deref(), Some("127.0.0.1"));
    assert_eq!(v4("0177.0.0.1").as_deref(), Some("127.0.0.1"));
    assert_eq!(v4("0x7f.0.0.1").as_deref(), Some("127.0.0.1"));
    assert_eq!(v4("0x7F.1").as_deref(), Some("127.0.0.1"));
    assert_eq!(v4("127.1").as_deref(), Some("127.0.0.1"));
    assert_eq!(v4("169.254.43518").as_deref(), Some("169.254.169.254"));
    assert_eq!(v4("0xa9fea9fe").as_deref(), Some("169.254.169.254"));
    assert_eq!(v4("0").as_deref(), Some("0.0.0.0"));
    assert_eq!(v4("0x").as_deref(), Some("0.0.0.0"));
    for bad in [
      "",
      ".",
      "1.2.3.4.5",
      "256.1.1.1",
      "1.2.3.256",
      "08",
      "0x1g",
      "4294967296",
      "1..2",
      "example.com",
      "1.2.3.-4",
      "1.2.3.4 ",
      "0x100000000",
      "1.0x1000000",
    ] {
      assert_eq!(v4(bad), None, "{bad:?}");
    }
  }

  #[test]
  fn ip_literals_with_and_without_brackets() {
    assert_eq!(parse_ip("[::1]"), Some("::1".parse().unwrap()));
    assert_eq!(
      parse_ip("::ffff:127.0.0.1"),
      Some("::ffff:127.0.0.1".parse().unwrap())
    );
    assert_eq!(parse_ip("0x7f.1"), Some("127.0.0.1".parse().unwrap()));
    assert_eq!(parse_ip("[127.0.0.1"), None);
    assert_eq!(parse_ip("localhost"), None);
  }

  #[test]
  fn the_guard_covers_private_loopback_link_local_and_metadata_addresses() {
    for a in [
      "127.0.0.1",
      "127.255.0.9",
      "0.0.0.0",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "169.254.170.2",
      "100.100.100.200",
      "100.64.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "198.18.0.1",
      "192.0.0.192",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "fc00::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "::127.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
      "2001:0:4136:e378::1",
      "64:ff9b:1::1",
      "fec0::1",
      "100::1",
    ] {
      assert!(is_guarded(a.parse().unwrap()), "{a}");
    }
    for a in [
      "93.184.216.34",
      "8.8.8.8",
      "172.32.0.1",
      "172.15.255.255",
      "100.128.0.1",
      "169.253.1.1",
      "2606:2800:220:1:248:1893:25c8:1946",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:808:808::",
    ] {
      assert!(!is_guarded(a.parse().unwrap()), "{a}");
    }
  }

  #[test]
  fn ipv6_forms_of_ipv4_addresses_stand_for_them() {
    let e = |s: &str| embedded_v4(s.parse().unwrap()).to_string();
    assert_eq!(e("::ffff:127.0.0.1"), "127.0.0.1");
    assert_eq!(e("::ffff:7f00:1"), "127.0.0.1");
    assert_eq!(e("64:ff9b::7f00:1"), "127.0.0.1");
    assert_eq!(e("2002:a9fe:a9fe::1"), "169.254.169.254");
    assert_eq!(e("::1"), "::1");
    assert_eq!(e("2001:db8::1"), "2001:db8::1");
  }
}
