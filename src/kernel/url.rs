//! WHATWG URL parsing for the guest's `URL`, over servo's `url` crate and
//! its JS setter rules (`url::quirks`).
use super::error::{ErrorClass, OpError};
use super::limits::MAX_DOMAIN_BYTES;
use super::op::OpResult;
use super::syscall::OpState;

/// The parts of a parsed URL, in the order the guest's `URL` keeps them.
fn parts(u: &url::Url) -> Vec<String> {
  use url::quirks as q;
  vec![
    q::href(u).to_string(),
    q::origin(u),
    q::protocol(u).to_string(),
    q::username(u).to_string(),
    q::password(u).to_string(),
    q::host(u).to_string(),
    q::hostname(u).to_string(),
    q::port(u).to_string(),
    q::pathname(u).to_string(),
    q::search(u).to_string(),
    q::hash(u).to_string(),
  ]
}

/// A probe: the URL's parts, or `null` when it does not parse (the guest's
/// `URL` constructor throws, `URL.canParse` answers false; no throw here).
pub fn parse(_: &mut OpState, input: &str, base: Option<&str>) -> OpResult<Option<Vec<String>>> {
  let parsed = match base {
    Some(base) => match url::Url::parse(base) {
      Ok(b) => url::Url::options().base_url(Some(&b)).parse(input),
      Err(_) => return Ok(None),
    },
    None => url::Url::parse(input),
  };
  Ok(parsed.ok().as_ref().map(parts))
}

/// A setter of `URL`: the new parts, or `null` when `href` was refused.
pub fn set(
  _: &mut OpState,
  href: &str,
  component: &str,
  value: &str,
) -> OpResult<Option<Vec<String>>> {
  use url::quirks as q;
  let Ok(mut u) = url::Url::parse(href) else {
    return Ok(None);
  };
  // WHATWG setters ignore values they cannot apply; only `href` fails.
  match component {
    "href" => {
      if q::set_href(&mut u, value).is_err() {
        return Ok(None);
      }
    }
    "protocol" => drop(q::set_protocol(&mut u, value)),
    "username" => drop(q::set_username(&mut u, value)),
    "password" => drop(q::set_password(&mut u, value)),
    "host" => drop(q::set_host(&mut u, value)),
    "hostname" => drop(q::set_hostname(&mut u, value)),
    "port" => drop(q::set_port(&mut u, value)),
    "pathname" => q::set_pathname(&mut u, value),
    "search" => q::set_search(&mut u, value),
    "hash" => q::set_hash(&mut u, value),
    _ => {
      return Err(OpError::coded(
        ErrorClass::TypeError,
        "ERR_INVALID_ARG_VALUE",
        format!("The argument 'component' is invalid. Received '{component}'"),
      ))
    }
  }
  Ok(Some(parts(&u)))
}

fn domain_too_long(len: usize) -> OpError {
  OpError::coded(
    ErrorClass::RangeError,
    "ERR_OUT_OF_RANGE",
    format!("The domain ({len} bytes) is over the {MAX_DOMAIN_BYTES} bytes one can have here"),
  )
}

/// `url.domainToASCII` (or, with `unicode`, `url.domainToUnicode`): the
/// host a `ws:` URL gets when its hostname is set to `domain`, as Node
/// computes it; '' when that is no valid host.
pub fn domain(_: &mut OpState, domain: &str, unicode: bool) -> OpResult<String> {
  if domain.len() > MAX_DOMAIN_BYTES {
    return Err(domain_too_long(domain.len()));
  }
  if domain.is_empty() {
    return Ok(String::new());
  }
  let mut u = url::Url::parse("ws://x").expect("a constant URL parses");
  if url::quirks::set_hostname(&mut u, domain).is_err() {
    return Ok(String::new());
  }
  let host = url::quirks::hostname(&u);
  if unicode {
    return Ok(idna::domain_to_unicode(host).0);
  }
  Ok(host.to_string())
}

/// The IDNA step of `url.parse()` (Node's `toASCII`): Unicode labels to
/// punycode, '' when the name cannot be converted.
pub fn to_ascii(_: &mut OpState, name: &str) -> OpResult<String> {
  if name.len() > MAX_DOMAIN_BYTES {
    return Err(domain_too_long(name.len()));
  }
  Ok(
    idna::domain_to_ascii_cow(name.as_bytes(), idna::AsciiDenyList::EMPTY)
      .map(|c| c.into_owned())
      .unwrap_or_default(),
  )
}
