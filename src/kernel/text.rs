//! Text encoding ops: UTF-8 both ways, for TextEncoder/TextDecoder.
use std::borrow::Cow;

use super::error::{ErrorClass, OpError};
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
