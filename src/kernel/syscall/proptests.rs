//! Every op of the table called with hostile arguments, as a guest can
//! call `native.<name>(...)` with anything: the call answers (a value, a
//! pending promise or an error) and never panics.
use proptest::prelude::*;

use super::tests::process;
use super::*;
use crate::kernel::op::{Args, OpKind, OpOutput};

#[derive(Debug, Clone)]
enum Hostile {
  Undefined,
  Null,
  Bool(bool),
  Number(f64),
  Str(String),
  /// A view `(start, len)` of the call's guest memory.
  Bytes(usize, usize),
  Cloned(Vec<u8>),
  Other,
}

/// Bytes of guest memory behind one call's buffers.
const MEMORY: usize = 4096;

fn number() -> impl Strategy<Value = f64> {
  prop_oneof![
    4 => (0i32..20).prop_map(f64::from),
    1 => Just(-1.0),
    1 => Just(0.5),
    1 => Just(f64::NAN),
    1 => Just(f64::INFINITY),
    1 => Just(-0.0),
    1 => Just(2147483647.0),
    1 => Just(4294967295.0),
    1 => Just(9007199254740991.0),
    1 => Just(1e300),
    1 => any::<f64>(),
    1 => any::<u32>().prop_map(f64::from),
  ]
}

fn string() -> impl Strategy<Value = String> {
  prop_oneof![
    4 => prop::sample::select(vec![
      "", "/", ".", "..", "/tmp", "/tmp/x", "/tmp/x/", "x", "/a/../..", "//tmp//x",
      "/tmp/\0x", "\0", "/dev/null", "/dev/zero", "/etc/hostname", "/proc/self/root",
      "utf8", "hex", "base64", "latin1", "ucs2", "sha256", "md5", "http://a/b", "file:///x",
      "é", "\u{fffd}", "127.0.0.1", "::1", "localhost", "A", "PATH", "1", "-1", "a\nb",
    ]).prop_map(String::from),
    1 => "[/a-z.]{0,24}",
    1 => any::<String>(),
    1 => (1usize..6000).prop_map(|n| "a/".repeat(n)),
  ]
}

fn hostile() -> impl Strategy<Value = Hostile> {
  prop_oneof![
    1 => Just(Hostile::Undefined),
    1 => Just(Hostile::Null),
    1 => any::<bool>().prop_map(Hostile::Bool),
    4 => number().prop_map(Hostile::Number),
    4 => string().prop_map(Hostile::Str),
    3 => (0..MEMORY).prop_flat_map(|s| (Just(s), 0..=(MEMORY - s).min(300)))
      .prop_map(|(s, n)| Hostile::Bytes(s, n)),
    1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(Hostile::Cloned),
    1 => Just(Hostile::Other),
  ]
}

/// Ops left out, and why: none so far needs to be.
const SKIPPED: &[&str] = &[];

pub(super) fn ops() -> Vec<usize> {
  OPS
    .iter()
    .enumerate()
    .filter(|(_, o)| o.kind != OpKind::Engine && !SKIPPED.contains(&o.name))
    .map(|(i, _)| i)
    .collect()
}

fn call(st: &mut OpState, op: usize, args: &[Hostile], memory: &mut [u8]) -> bool {
  let base = memory.as_mut_ptr();
  let items = args
    .iter()
    .map(|a| match a {
      Hostile::Undefined => Arg::Undefined,
      Hostile::Null => Arg::Null,
      Hostile::Bool(b) => Arg::Bool(*b),
      Hostile::Number(n) => Arg::Number(*n),
      Hostile::Str(s) => Arg::Str(s),
      // Overlapping views are refused by the decoder before any slice of them is made.
      Hostile::Bytes(s, n) => {
        // SAFETY: within `memory`, which outlives the call and is not otherwise used meanwhile.
        let buf = unsafe { GuestBuf::from_raw(base.wrapping_add(*s), *n) };
        Arg::Bytes(buf)
      }
      Hostile::Cloned(b) => Arg::Cloned(b),
      Hostile::Other => Arg::Other,
    })
    .collect();
  match (OPS[op].call)(st, Args::new(items)) {
    // An async op's work is not run: its decoding and checks are done.
    Ok(OpOutput::Pending { .. }) | Ok(OpOutput::Value(_)) => true,
    Err(_) => false,
  }
}

proptest! {
  #![proptest_config(crate::fuzz::config(150))]

  /// A sequence of calls on one process (so that fds, streams and files
  /// made by one call meet the next), with the diagnostic ops on or off.
  #[test]
  fn hostile_calls_never_panic(
    calls in prop::collection::vec(
      (any::<prop::sample::Index>(), prop::collection::vec(hostile(), 0..8)),
      1..40,
    ),
    test_ops in any::<bool>(),
  ) {
    let table = ops();
    let mut st = process();
    st.process.test_ops = test_ops;
    let mut memory = vec![0u8; MEMORY];
    for (op, args) in &calls {
      let op = table[op.index(table.len())];
      call(&mut st, op, args, &mut memory);
    }
  }
}
