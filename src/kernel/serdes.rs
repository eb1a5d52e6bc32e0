//! What `v8.deserialize` may hand V8's deserializer: bytes in V8's
//! serialization format (versions 13 to 15, as Node 20 to 24 write it)
//! holding only the kinds of value Node's own serializer writes. Guest bytes
//! are walked here first, the way V8 reads them, and refused when they hold
//! anything that would reach past the guest's own heap: shared, transferred
//! or resizable ArrayBuffers (a resizable one is committed outside the
//! memory limit), WebAssembly modules or memories, shared objects, or a tag
//! this walk does not know. V8 itself still validates what it reads.
//!
//! The walk follows V8's `ValueDeserializer` grammar: padding may precede
//! any tag, an ArrayBuffer value may be followed by a view of it, objects,
//! arrays, maps and sets are runs of values closed by an end tag, and a
//! host object is Node's typed array record (type index, byte length, bytes).
//! It keeps its own stack, so nesting depth costs no Rust stack.

/// Why bytes were refused (for tests; the guest sees V8's own message).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
  /// The bytes end inside a value.
  Truncated,
  /// No version header, or a version this walk does not read.
  Version,
  /// A tag V8 would read as something the sandbox does not allow, or an
  /// unknown one.
  Tag(u8),
  /// A number field that does not fit in 32 bits.
  Varint,
}

/// Oldest and newest format versions read (V8 11.3 to 13.6 write 15).
const MIN_VERSION: u32 = 13;
const MAX_VERSION: u32 = 15;
/// Node's typed array host objects: type indexes 0..=12.
const HOST_VIEW_TYPES: u32 = 13;
/// V8's ArrayBufferView sub-tags (typed array kinds and DataView).
const VIEW_SUBTAGS: &[u8] = b"bBCwWdDhfFqQ?";

struct Reader<'a> {
  bytes: &'a [u8],
  pos: usize,
}

impl Reader<'_> {
  fn byte(&mut self) -> Result<u8, Refusal> {
    let b = *self.bytes.get(self.pos).ok_or(Refusal::Truncated)?;
    self.pos += 1;
    Ok(b)
  }

  /// V8's ReadVarint<uint32_t>, refusing values that need more than 32
  /// bits (V8 would drop the high bits; a different reading must not hide
  /// bytes from this walk).
  fn varint(&mut self) -> Result<u32, Refusal> {
    let mut value: u64 = 0;
    let mut shift = 0u32;
    loop {
      let b = self.byte()?;
      if shift > 28 {
        return Err(Refusal::Varint);
      }
      value |= u64::from(b & 0x7f) << shift;
      shift += 7;
      if b & 0x80 == 0 {
        break;
      }
    }
    u32::try_from(value).map_err(|_| Refusal::Varint)
  }

  fn skip(&mut self, n: u64) -> Result<(), Refusal> {
    let n = usize::try_from(n).map_err(|_| Refusal::Truncated)?;
    let end = self.pos.checked_add(n).ok_or(Refusal::Truncated)?;
    if end > self.bytes.len() {
      return Err(Refusal::Truncated);
    }
    self.pos = end;
    Ok(())
  }

  /// The next tag, after any padding; not consumed.
  fn peek_tag(&mut self) -> Result<u8, Refusal> {
    while self.bytes.get(self.pos) == Some(&0) {
      self.pos += 1;
    }
    self.bytes.get(self.pos).copied().ok_or(Refusal::Truncated)
  }

  fn tag(&mut self) -> Result<u8, Refusal> {
    let t = self.peek_tag()?;
    self.pos += 1;
    Ok(t)
  }
}

/// What the walk does after the value it is reading.
enum Frame {
  /// Values until tag `end`, then `counts` varints.
  Run { end: u8, counts: u8 },
  /// `left` elements of a dense array (holes allowed), then its properties.
  Dense { left: u32 },
  /// The fields of an Error until its end tag.
  Error,
  /// A RegExp: its source (a value), then its flags.
  RegExp { read: bool },
  /// A String object: the one value it wraps.
  Wrapper { read: bool },
}

/// Ok when V8 may read `bytes` as a value for `v8.deserialize`.
pub fn check(bytes: &[u8]) -> Result<(), Refusal> {
  let mut r = Reader { bytes, pos: 0 };
  if r.byte()? != 0xff {
    return Err(Refusal::Version);
  }
  let version = r.varint()?;
  if !(MIN_VERSION..=MAX_VERSION).contains(&version) {
    return Err(Refusal::Version);
  }
  let mut stack: Vec<Frame> = Vec::new();
  // Whether a value is wanted next (else: the top frame decides).
  let mut want = true;
  loop {
    if want {
      value(&mut r, &mut stack, version)?;
      want = false;
      continue;
    }
    let Some(frame) = stack.last_mut() else {
      // The one top-level value was read; V8 ignores what follows.
      return Ok(());
    };
    match frame {
      Frame::Run { end, counts } => {
        let (end, counts) = (*end, *counts);
        if r.peek_tag()? == end {
          r.tag()?;
          for _ in 0..counts {
            r.varint()?;
          }
          stack.pop();
        } else {
          want = true;
        }
      }
      Frame::Dense { left } => {
        if *left == 0 {
          *frame = Frame::Run {
            end: b'$',
            counts: 2,
          };
        } else {
          *left -= 1;
          if r.peek_tag()? == b'-' {
            r.tag()?;
          } else {
            want = true;
          }
        }
      }
      // V8 reads these tags as plain bytes (no padding before them).
      Frame::Error => match r.byte()? {
        b'E' | b'R' | b'F' | b'S' | b'T' | b'U' => {}
        b'm' | b's' | b'c' => want = true,
        b'.' => {
          stack.pop();
        }
        t => return Err(Refusal::Tag(t)),
      },
      Frame::RegExp { read } => {
        if *read {
          r.varint()?;
          stack.pop();
        } else {
          *read = true;
          want = true;
        }
      }
      Frame::Wrapper { read } => {
        if *read {
          stack.pop();
        } else {
          *read = true;
          want = true;
        }
      }
    }
  }
}

/// Reads one value's tag and its fixed part; containers push a frame for
/// the rest.
fn value(r: &mut Reader<'_>, stack: &mut Vec<Frame>, version: u32) -> Result<(), Refusal> {
  let mut t = r.tag()?;
  // V8 skips object-count checks wherever a tag may stand.
  while t == b'?' {
    r.varint()?;
    t = r.tag()?;
  }
  match t {
    b'_' | b'0' | b'T' | b'F' | b'y' | b'x' => {}
    b'I' | b'U' => {
      r.varint()?;
    }
    b'N' | b'D' | b'n' => r.skip(8)?,
    b'Z' | b'z' => {
      // Sign in bit 0, byte length in the next 30 bits (V8's BigInt bitfield).
      let bitfield = r.varint()?;
      r.skip(u64::from((bitfield >> 1) & 0x3fff_ffff))?;
    }
    b'"' | b'c' | b'S' => {
      let len = r.varint()?;
      r.skip(u64::from(len))?;
    }
    b'^' => {
      r.varint()?;
      view_after_buffer(r, version)?;
    }
    b'o' => stack.push(Frame::Run {
      end: b'{',
      counts: 1,
    }),
    b'a' => {
      r.varint()?;
      stack.push(Frame::Run {
        end: b'@',
        counts: 2,
      });
    }
    b'A' => {
      let left = r.varint()?;
      stack.push(Frame::Dense { left });
    }
    b';' => stack.push(Frame::Run {
      end: b':',
      counts: 1,
    }),
    b'\'' => stack.push(Frame::Run {
      end: b',',
      counts: 1,
    }),
    b's' => stack.push(Frame::Wrapper { read: false }),
    b'R' => stack.push(Frame::RegExp { read: false }),
    b'r' => stack.push(Frame::Error),
    b'B' => {
      let len = r.varint()?;
      r.skip(u64::from(len))?;
      view_after_buffer(r, version)?;
    }
    b'\\' => {
      let kind = r.varint()?;
      if kind >= HOST_VIEW_TYPES {
        return Err(Refusal::Tag(t));
      }
      let len = r.varint()?;
      r.skip(u64::from(len))?;
    }
    _ => return Err(Refusal::Tag(t)),
  }
  Ok(())
}

/// After a value that may be an ArrayBuffer, V8 reads a view of it when a
/// view tag follows.
fn view_after_buffer(r: &mut Reader<'_>, version: u32) -> Result<(), Refusal> {
  if r.bytes.len() <= r.pos || r.peek_tag().ok() != Some(b'V') {
    return Ok(());
  }
  r.tag()?;
  let sub = r.byte()?;
  if !VIEW_SUBTAGS.contains(&sub) {
    return Err(Refusal::Tag(sub));
  }
  r.varint()?;
  r.varint()?;
  if version >= 14 && r.varint()? != 0 {
    // Length-tracking or resizable-backed views.
    return Err(Refusal::Tag(b'V'));
  }
  Ok(())
}

/// The engine's way to [`check`] (engine.h `se_serdes_check`): 0 when V8 may
/// read the bytes, 1 when they are refused.
#[no_mangle]
pub extern "C" fn se_serdes_check(ptr: *const u8, len: usize) -> i32 {
  let bytes: &[u8] = if ptr.is_null() || len == 0 {
    &[]
  } else {
    // The engine passes a buffer of its own that outlives this call.
    // SAFETY: `ptr` is valid for `len` bytes, unchanged during the call.
    unsafe { std::slice::from_raw_parts(ptr, len) }
  };
  // Called from V8: a panic must not unwind into C++; it refuses the bytes.
  match std::panic::catch_unwind(|| check(bytes)) {
    Ok(Ok(())) => 0,
    Ok(Err(_)) | Err(_) => 1,
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
      .step_by(2)
      .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
      .collect()
  }

  // What Node 20's v8.serialize writes for these values.
  const NODE_OUTPUT: &[(&str, &str)] = &[
    ("object", "ff0f6f22016149022201622201787b02"),
    ("map", "ff0f3b490249043a02"),
    ("set", "ff0f2749022c01"),
    ("date", "ff0f440000000000000000"),
    ("regexp", "ff0f5222016103"),
    ("bigint", "ff0f5a100a00000000000000"),
    (
      "negative bigint",
      "ff0f5a2100000000000000004000000000000000",
    ),
    ("holey array", "ff0f61034900490249044906400203"),
    ("sparse array", "ff0f616549c8014902400165"),
    ("ArrayBuffer", "ff0f42020000"),
    ("two-byte string", "ff0f6304e900ac20"),
    ("reference", "ff0f41026f7b005e01240002"),
    (
      "wrapped primitives",
      "ff0f41056e000000000000f03f7322017379787a100100000000000000240005",
    ),
    ("int", "ff0f4909"),
    ("double", "ff0f4e000000000000f83f"),
    ("primitives", "ff0f41045f305446240004"),
    ("Buffer", "ff0f5c0a03010203"),
    ("Uint16Array", "ff0f5c040401000200"),
    ("DataView", "ff0f5c09020000"),
    ("TypeError", "ff0f72546d22016d732201732e"),
    (
      "Error with a cause",
      "ff0f726d22016d636f22016149027b01732201732e",
    ),
    (
      "nested",
      "ff0f6f22017373220373747222017252220178012201625c0a02686922016e41015c0704000000002400017b04",
    ),
    (
      "mixed array",
      "ff0f41054e000000000000f83f2201786f7b0041002400003b22016b2749022c013a02240005",
    ),
  ];

  #[test]
  fn accepts_what_node_writes() {
    for (what, bytes) in NODE_OUTPUT {
      assert_eq!(check(&hex(bytes)), Ok(()), "{what}");
    }
  }

  #[test]
  fn padding_may_precede_a_tag() {
    assert_eq!(check(&hex("ff0f00004909")), Ok(()));
  }

  #[test]
  fn refuses_buffers_that_reach_past_the_heap() {
    // A resizable ArrayBuffer (what Node writes for one), at the top and nested.
    assert_eq!(check(&hex("ff0f7e02080000")), Err(Refusal::Tag(b'~')));
    assert_eq!(
      check(&hex("ff0f6f2201617e020800007b01")),
      Err(Refusal::Tag(b'~'))
    );
    // Shared and transferred ArrayBuffers, WebAssembly, shared objects.
    for tag in [b'u', b't', b'w', b'm', b'W', b'p'] {
      assert_eq!(
        check(&[0xff, 0x0f, tag, 0]),
        Err(Refusal::Tag(tag)),
        "{}",
        tag as char
      );
    }
  }

  #[test]
  fn refuses_views_over_resizable_memory() {
    // ArrayBuffer of 2 bytes, then a length-tracking Uint8Array view of it.
    assert_eq!(
      check(&hex("ff0f420200005642000201")),
      Err(Refusal::Tag(b'V'))
    );
    assert_eq!(check(&hex("ff0f420200005642000200")), Ok(()));
    assert_eq!(
      check(&hex("ff0f42020000567a000200")),
      Err(Refusal::Tag(b'z'))
    );
  }

  #[test]
  fn a_resizable_buffer_cannot_hide_in_a_string_or_after_a_hole() {
    // The '~' is string content here: accepted.
    assert_eq!(check(&hex("ff0f22017e")), Ok(()));
    // A dense array of 2: a hole, then the buffer.
    assert_eq!(
      check(&hex("ff0f41022d7e02080000240002")),
      Err(Refusal::Tag(b'~'))
    );
    // Inside a Map, a Set, an Error's cause, a RegExp source.
    assert_eq!(check(&hex("ff0f3b7e02080000")), Err(Refusal::Tag(b'~')));
    assert_eq!(check(&hex("ff0f277e02080000")), Err(Refusal::Tag(b'~')));
    assert_eq!(check(&hex("ff0f72637e02080000")), Err(Refusal::Tag(b'~')));
    assert_eq!(check(&hex("ff0f527e02080000")), Err(Refusal::Tag(b'~')));
  }

  #[test]
  fn refuses_malformed_bytes() {
    assert_eq!(check(&[]), Err(Refusal::Truncated));
    assert_eq!(check(&hex("4909")), Err(Refusal::Version));
    assert_eq!(check(&hex("ff0c4909")), Err(Refusal::Version));
    assert_eq!(check(&hex("ff104909")), Err(Refusal::Version));
    assert_eq!(check(&hex("ff0f")), Err(Refusal::Truncated));
    assert_eq!(check(&hex("ff0f2205616263")), Err(Refusal::Truncated));
    assert_eq!(check(&hex("ff0f6f")), Err(Refusal::Truncated));
    assert_eq!(check(&hex("ff0f4affffffff0f")), Err(Refusal::Tag(b'J')));
    assert_eq!(check(&hex("ff0f49ffffffffff01")), Err(Refusal::Varint));
    assert_eq!(check(&hex("ff0f5c0d0100")), Err(Refusal::Tag(b'\\')));
    assert_eq!(check(&hex("ff0f2d")), Err(Refusal::Tag(b'-')));
    assert_eq!(check(&hex("ff0f725a2e")), Err(Refusal::Tag(b'Z')));
  }

  #[test]
  fn deep_nesting_costs_no_rust_stack() {
    let mut bytes = vec![0xff, 0x0f];
    bytes.extend(std::iter::repeat_n(b'o', 1_000_000));
    assert_eq!(check(&bytes), Err(Refusal::Truncated));
  }

  #[test]
  fn the_c_entry_point_refuses_null() {
    assert_eq!(se_serdes_check(std::ptr::null(), 0), 1);
    let ok = hex("ff0f4909");
    assert_eq!(se_serdes_check(ok.as_ptr(), ok.len()), 0);
  }
}
