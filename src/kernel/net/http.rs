//! node:http's message heads, parsed by `httparse` (hyper's parser) from
//! the bytes a guest socket received. The body's framing (Content-Length,
//! chunked, to the end) is the guest's, over what follows the head.
use crate::kernel::error::{ErrorClass, OpError};
use crate::kernel::op::{GuestBuf, OpResult};
use crate::kernel::syscall::OpState;

/// Headers one head may have: Node's `maxHeadersCount` keeps 2000 of them.
const MAX_HEADERS: usize = 2000;
/// Headers tried first (most heads have far fewer): the parser's array.
const FEW_HEADERS: usize = 64;

fn parse_error(code: &'static str, what: &str) -> OpError {
  OpError::coded(ErrorClass::Error, code, format!("Parse Error: {what}"))
}

/// A header value as Node gives it: each byte one character (latin1).
fn latin1(bytes: &[u8]) -> String {
  bytes.iter().map(|&b| b as char).collect()
}

fn error_of(e: httparse::Error, response: bool) -> OpError {
  use httparse::Error::*;
  match e {
    HeaderName => parse_error("HPE_INVALID_HEADER_TOKEN", "Invalid header token"),
    HeaderValue => parse_error("HPE_INVALID_HEADER_TOKEN", "Invalid header value char"),
    NewLine => parse_error("HPE_LF_EXPECTED", "Missing expected LF after header value"),
    Status => parse_error("HPE_INVALID_STATUS", "Invalid status code"),
    Token if response => parse_error("HPE_INVALID_CONSTANT", "Expected HTTP/"),
    Token => parse_error("HPE_INVALID_METHOD", "Invalid method encountered"),
    TooManyHeaders => parse_error("HPE_HEADER_OVERFLOW", "Header overflow"),
    Version => parse_error("HPE_INVALID_CONSTANT", "Expected HTTP/"),
  }
}

/// One parse with room for `n` headers: `Ok(None)` when the head is not
/// all there yet.
fn parse(bytes: &[u8], response: bool, n: usize) -> Result<Option<Vec<String>>, httparse::Error> {
  let mut headers = vec![httparse::EMPTY_HEADER; n];
  let (consumed, a, b, minor, headers) = if response {
    let mut r = httparse::Response::new(&mut headers);
    match r.parse(bytes)? {
      httparse::Status::Partial => return Ok(None),
      httparse::Status::Complete(c) => (
        c,
        r.code.unwrap_or(0).to_string(),
        r.reason.unwrap_or("").to_string(),
        r.version.unwrap_or(1),
        r.headers,
      ),
    }
  } else {
    let mut r = httparse::Request::new(&mut headers);
    match r.parse(bytes)? {
      httparse::Status::Partial => return Ok(None),
      httparse::Status::Complete(c) => (
        c,
        r.method.unwrap_or("").to_string(),
        r.path.unwrap_or("").to_string(),
        r.version.unwrap_or(1),
        r.headers,
      ),
    }
  };
  let mut out = Vec::with_capacity(4 + 2 * headers.len());
  out.push(consumed.to_string());
  out.push(a);
  out.push(b);
  out.push(minor.to_string());
  for h in headers.iter() {
    out.push(h.name.to_string());
    out.push(latin1(h.value));
  }
  Ok(Some(out))
}

/// The head at the start of `buf` (a request's, or a response's when
/// `response`): `[bytes it took, method or status, target or reason,
/// minor version, name, value, ...]`, or null while it is incomplete. A
/// head longer than `max_size` fails as Node's does (HPE_HEADER_OVERFLOW).
pub fn parse_head(
  _s: &mut OpState,
  buf: GuestBuf<'_>,
  response: bool,
  max_size: u32,
) -> OpResult<Option<Vec<String>>> {
  let bytes = buf.as_slice();
  let max = max_size as usize;
  let overflow = || parse_error("HPE_HEADER_OVERFLOW", "Header overflow");
  // Only the bytes a head may span are looked at.
  let window = &bytes[..bytes.len().min(max.saturating_add(1))];
  let got = match parse(window, response, FEW_HEADERS) {
    Err(httparse::Error::TooManyHeaders) => parse(window, response, MAX_HEADERS),
    other => other,
  };
  match got {
    Ok(None) if window.len() > max => Err(overflow()),
    Ok(Some(head)) if head[0].parse::<usize>().unwrap_or(usize::MAX) > max => Err(overflow()),
    Ok(head) => Ok(head),
    Err(e) => Err(error_of(e, response)),
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn head(bytes: &[u8], response: bool) -> Result<Option<Vec<String>>, &'static str> {
    match parse(bytes, response, FEW_HEADERS) {
      Ok(v) => Ok(v),
      Err(e) => Err(match error_of(e, response) {
        OpError::Coded { code, .. } => code,
        _ => "?",
      }),
    }
  }

  #[test]
  fn requests_and_responses() {
    let r = head(
      b"GET /a?b HTTP/1.1\r\nHost: x\r\nX-Y: caf\xe9\r\n\r\nbody",
      false,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
      r,
      ["41", "GET", "/a?b", "1", "Host", "x", "X-Y", "caf\u{e9}"]
    );
    let r = head(b"HTTP/1.0 404 Not Found\r\n\r\n", true)
      .unwrap()
      .unwrap();
    assert_eq!(r, ["26", "404", "Not Found", "0"]);
    assert_eq!(head(b"GET / HTTP/1.1\r\nHost:", false), Ok(None));
  }

  #[test]
  fn bad_heads_fail_with_node_codes() {
    assert_eq!(
      head(b"G\x01T / HTTP/1.1\r\n\r\n", false),
      Err("HPE_INVALID_METHOD")
    );
    assert_eq!(
      head(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", false),
      Err("HPE_INVALID_HEADER_TOKEN")
    );
    assert_eq!(
      head(b"HTTX/1.1 200 OK\r\n\r\n", true),
      Err("HPE_INVALID_CONSTANT")
    );
    assert_eq!(
      head(b"HTTP/1.1 2x0 OK\r\n\r\n", true),
      Err("HPE_INVALID_STATUS")
    );
  }

  #[test]
  fn many_headers_then_too_many() {
    let mut req = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..100 {
      req.extend_from_slice(format!("h{i}: v\r\n").as_bytes());
    }
    req.extend_from_slice(b"\r\n");
    assert_eq!(head(&req, false), Err("HPE_HEADER_OVERFLOW"));
    let all = parse(&req, false, MAX_HEADERS).unwrap().unwrap();
    assert_eq!(all.len(), 4 + 200);
  }
}
