//! Text encoding ops: UTF-8 both ways, for TextEncoder/TextDecoder; hex
//! and base64 both ways, for Buffer.
use std::borrow::Cow;

use super::error::{ErrorClass, OpError};
use super::limits::MAX_TEXT_OP_BYTES;
use super::op::{GuestBuf, OpResult, OpValue};
use super::syscall::OpState;

/// `TextEncoder.encode`: the string's UTF-8 (lone surrogates already U+FFFD).
pub fn utf8_encode<'a>(_: &mut OpState, input: Option<&'a str>) -> OpResult<OpValue<'a>> {
  Ok(OpValue::Bytes(Cow::Borrowed(
    input.unwrap_or("").as_bytes(),
  )))
}

/// `TextDecoder.decode`: handed to V8 straight from the guest's bytes (no
/// host-side copy); `fatal` refuses invalid UTF-8 as the WHATWG decoder does.
pub fn utf8_decode<'a>(
  _: &mut OpState,
  input: GuestBuf<'a>,
  fatal: Option<bool>,
) -> OpResult<OpValue<'a>> {
  let bytes = input.into_slice();
  if fatal == Some(true) && std::str::from_utf8(bytes).is_err() {
    return Err(OpError::coded(
      ErrorClass::TypeError,
      "ERR_ENCODING_INVALID_ENCODED_DATA",
      "The encoded data was not valid for encoding utf-8",
    ));
  }
  Ok(OpValue::Utf8(Cow::Borrowed(bytes)))
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8; 16] = b"0123456789abcdef";

fn too_large(len: usize) -> OpError {
  OpError::coded(
    ErrorClass::RangeError,
    "ERR_OUT_OF_RANGE",
    format!("The input ({len} bytes) is over the {MAX_TEXT_OP_BYTES} bytes of one text op"),
  )
}

fn unknown_encoding(encoding: &str) -> OpError {
  OpError::coded(
    ErrorClass::TypeError,
    "ERR_UNKNOWN_ENCODING",
    format!("Unknown encoding: {encoding}"),
  )
}

/// `buf.toString('hex' | 'base64' | 'base64url')`: the bytes as text
/// (base64 padded, base64url not).
pub fn decode<'a>(_: &mut OpState, input: GuestBuf<'a>, encoding: &str) -> OpResult<OpValue<'a>> {
  let bytes = input.into_slice();
  if bytes.len() > MAX_TEXT_OP_BYTES {
    return Err(too_large(bytes.len()));
  }
  match ascii_text(bytes, encoding) {
    Some(s) => Ok(OpValue::Str(Cow::Owned(s))),
    None => Err(unknown_encoding(encoding)),
  }
}

/// `bytes` as hex, base64 (padded) or base64url (unpadded) text; `None`
/// for any other encoding.
pub(super) fn ascii_text(bytes: &[u8], encoding: &str) -> Option<String> {
  let text = match encoding {
    "hex" => {
      let mut out = Vec::with_capacity(bytes.len() * 2);
      for b in bytes {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
      }
      out
    }
    "base64" => base64_encode(bytes, BASE64, true),
    "base64url" => base64_encode(bytes, BASE64URL, false),
    _ => return None,
  };
  // Only ASCII was pushed.
  Some(text.into_iter().map(char::from).collect())
}

fn base64_encode(bytes: &[u8], table: &[u8; 64], pad: bool) -> Vec<u8> {
  let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
  let mut chunks = bytes.chunks_exact(3);
  for c in &mut chunks {
    let n = (c[0] as u32) << 16 | (c[1] as u32) << 8 | c[2] as u32;
    for shift in [18, 12, 6, 0] {
      out.push(table[(n >> shift & 63) as usize]);
    }
  }
  let rest = chunks.remainder();
  if !rest.is_empty() {
    let n = (rest[0] as u32) << 16 | rest.get(1).map_or(0, |&b| (b as u32) << 8);
    out.push(table[(n >> 18 & 63) as usize]);
    out.push(table[(n >> 12 & 63) as usize]);
    if rest.len() == 2 {
      out.push(table[(n >> 6 & 63) as usize]);
    } else if pad {
      out.push(b'=');
    }
    if pad {
      out.push(b'=');
    }
  }
  out
}

/// `Buffer.from(string, 'hex' | 'base64' | 'base64url')`, with Node's
/// leniency: hex stops at the first pair that is not hex; base64 takes both
/// alphabets, skips anything else and stops at '='. Like Node, each UTF-16
/// code unit counts by its low byte. The guest hands over only well-formed
/// strings (the transport turns lone surrogates into U+FFFD).
pub fn encode<'a>(_: &mut OpState, input: &str, encoding: &str) -> OpResult<OpValue<'a>> {
  if input.len() > MAX_TEXT_OP_BYTES {
    return Err(too_large(input.len()));
  }
  let units = input.encode_utf16().map(|u| (u & 0xff) as u8);
  let out = match encoding {
    "hex" => hex_decode(units),
    "base64" | "base64url" => base64_decode(units),
    _ => return Err(unknown_encoding(encoding)),
  };
  Ok(OpValue::Bytes(Cow::Owned(out)))
}

fn hex_value(c: u8) -> Option<u8> {
  match c {
    b'0'..=b'9' => Some(c - b'0'),
    b'a'..=b'f' => Some(c - b'a' + 10),
    b'A'..=b'F' => Some(c - b'A' + 10),
    _ => None,
  }
}

fn hex_decode(mut units: impl Iterator<Item = u8>) -> Vec<u8> {
  let mut out = Vec::new();
  while let (Some(hi), Some(lo)) = (units.next(), units.next()) {
    match (hex_value(hi), hex_value(lo)) {
      (Some(h), Some(l)) => out.push(h << 4 | l),
      _ => break,
    }
  }
  out
}

fn base64_value(c: u8) -> Option<u32> {
  match c {
    b'A'..=b'Z' => Some((c - b'A') as u32),
    b'a'..=b'z' => Some((c - b'a') as u32 + 26),
    b'0'..=b'9' => Some((c - b'0') as u32 + 52),
    b'+' | b'-' => Some(62),
    b'/' | b'_' => Some(63),
    _ => None,
  }
}

fn base64_decode(units: impl Iterator<Item = u8>) -> Vec<u8> {
  let mut out = Vec::new();
  let mut acc: u32 = 0;
  let mut have = 0u32;
  for c in units {
    let Some(v) = base64_value(c) else {
      if c == b'=' {
        break;
      }
      continue;
    };
    acc = (acc << 6 | v) & 0xff_ffff;
    have += 1;
    // Each character after the first of a group of four completes a byte.
    if have > 1 {
      out.push((acc >> (2 * (4 - have)) & 0xff) as u8);
      if have == 4 {
        have = 0;
      }
    }
  }
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  fn units(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.encode_utf16().map(|u| (u & 0xff) as u8)
  }

  #[test]
  fn base64_both_ways() {
    assert_eq!(base64_encode(b"", BASE64, true), b"");
    assert_eq!(base64_encode(b"a", BASE64, true), b"YQ==");
    assert_eq!(base64_encode(b"ab", BASE64, true), b"YWI=");
    assert_eq!(base64_encode(b"abc", BASE64, true), b"YWJj");
    assert_eq!(base64_encode(&[0xfb, 0xff], BASE64, true), b"+/8=");
    assert_eq!(base64_encode(&[0xfb, 0xff], BASE64URL, false), b"-_8");
    assert_eq!(base64_decode(units("YWJj")), b"abc");
    assert_eq!(base64_decode(units("YWI")), b"ab");
    assert_eq!(base64_decode(units("Y")), b"");
    assert_eq!(base64_decode(units("-_8")), [0xfb, 0xff]);
  }

  #[test]
  fn base64_decoding_is_lenient_as_nodes() {
    // Whitespace and other characters are skipped; '=' ends the input.
    assert_eq!(base64_decode(units("Y W\nJ\tj")), b"abc");
    assert_eq!(base64_decode(units("YQ==YQ==")), b"a");
    assert_eq!(base64_decode(units("YW*J!j")), b"abc");
    // A code unit counts by its low byte: U+0141 reads as 'A', U+013D as '='.
    assert_eq!(
      base64_decode(units("\u{141}\u{141}\u{141}\u{141}")),
      [0, 0, 0]
    );
    assert_eq!(base64_decode(units("YQ\u{13d}YWJj")), b"a");
  }

  #[test]
  fn hex_stops_at_the_first_bad_pair() {
    assert_eq!(hex_decode(units("00fFaB")), [0x00, 0xff, 0xab]);
    assert_eq!(hex_decode(units("abc")), [0xab]);
    assert_eq!(hex_decode(units("abzc12")), [0xab]);
    assert_eq!(hex_decode(units("ab\u{141}c")), [0xab, 0xac]);
    assert_eq!(hex_decode(units("")), b"");
  }
}
