//! WHATWG URL parsing for the guest's `URL`, over servo's `url` crate and
//! its JS setter rules (`url::quirks`).
use super::error::{ErrorClass, OpError};
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
