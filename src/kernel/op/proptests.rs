//! The argument decoder against hostile values: every number a guest can
//! pass is an integer argument exactly when Node's validators say so, a
//! value of another type is `ERR_INVALID_ARG_TYPE`, and no two buffers one
//! call decodes ever share a byte.
use proptest::prelude::*;

use super::*;

/// Numbers at the edges of every integer type, and any other.
fn number() -> impl Strategy<Value = f64> {
  let edges = [
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.0,
    -1.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    f64::EPSILON,
    2147483647.0,
    2147483648.0,
    -2147483648.0,
    -2147483649.0,
    4294967295.0,
    4294967296.0,
    9007199254740991.0,
    9007199254740992.0,
    -9007199254740991.0,
    -9007199254740992.0,
    1e300,
    2147483647.5,
  ];
  prop_oneof![
    3 => prop::sample::select(edges.to_vec()),
    2 => (-5i64..5, prop::sample::select(vec![1i64, 1 << 31, 1 << 32, 1 << 53]))
      .prop_map(|(d, e)| (e + d) as f64),
    2 => any::<f64>(),
    1 => any::<i32>().prop_map(f64::from),
  ]
}

/// Node's `validateInteger(n, name, min, max)`.
fn node_integer(n: f64, min: f64, max: f64) -> Option<f64> {
  (n.is_finite() && n.trunc() == n && n >= min && n <= max).then_some(n)
}

/// A non-number argument (no buffers: they need memory behind them).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Other {
  Undefined,
  Null,
  Bool,
  Str,
  Cloned,
  Object,
}

impl Other {
  fn arg(self) -> Arg<'static> {
    match self {
      Other::Undefined => Arg::Undefined,
      Other::Null => Arg::Null,
      Other::Bool => Arg::Bool(true),
      Other::Str => Arg::Str("1"),
      Other::Cloned => Arg::Cloned(&[0xff, 0x0f]),
      Other::Object => Arg::Other,
    }
  }
}

fn other_arg() -> impl Strategy<Value = Other> {
  prop::sample::select(vec![
    Other::Undefined,
    Other::Null,
    Other::Bool,
    Other::Str,
    Other::Cloned,
    Other::Object,
  ])
}

fn decode_one<'a, T: FromArg<'a>>(arg: Arg<'a>) -> Result<T, OpError> {
  Args::new(vec![arg]).decode(0, "x")
}

/// Checks type `T` against Node's range `[min, max]` for number `n`.
fn check_int<T>(n: f64, min: f64, max: f64, as_f64: fn(T) -> f64) -> Result<(), TestCaseError>
where
  T: FromArg<'static> + std::fmt::Debug,
{
  match (decode_one::<T>(Arg::Number(n)), node_integer(n, min, max)) {
    (Ok(v), Some(want)) => prop_assert_eq!(as_f64(v), want),
    (
      Err(OpError::OutOfRange {
        index: 0,
        name: "x",
        ..
      }),
      None,
    ) => {}
    (got, want) => prop_assert!(false, "{n}: got {got:?}, Node says {want:?}"),
  }
  Ok(())
}

/// A view `(start, len)` of a 64-byte guest buffer.
fn view() -> impl Strategy<Value = (usize, usize)> {
  (0usize..64).prop_flat_map(|s| (Just(s), 0..=(64 - s)))
}

proptest! {
  #![proptest_config(crate::fuzz::config(2000))]

  #[test]
  fn integers_are_what_nodes_validators_accept(n in number()) {
    check_int::<i32>(n, -2147483648.0, 2147483647.0, f64::from)?;
    check_int::<u32>(n, 0.0, 4294967295.0, f64::from)?;
    check_int::<i64>(n, -9007199254740991.0, 9007199254740991.0, |v| v as f64)?;
    check_int::<u64>(n, 0.0, 9007199254740991.0, |v| v as f64)?;
    check_int::<Fd>(n, 0.0, 2147483647.0, |v| f64::from(v.0))?;
    // A number is always one, and an optional one too.
    prop_assert!(decode_one::<f64>(Arg::Number(n)).is_ok_and(|v| v.to_bits() == n.to_bits()));
    prop_assert_eq!(
      decode_one::<Option<i32>>(Arg::Number(n)).ok().flatten().map(f64::from),
      node_integer(n, -2147483648.0, 2147483647.0)
    );
  }

  #[test]
  fn other_types_are_invalid_arg_type(kind in other_arg(), index in 0usize..4) {
    let mut items: Vec<Arg<'_>> = (0..index).map(|_| Arg::Undefined).collect();
    items.push(kind.arg());
    let mut args = Args::new(items);
    let r: Result<u32, _> = args.decode(index, "n");
    let refused = matches!(r, Err(OpError::InvalidArgType { index: i, name: "n", expected: "number" }) if i == index);
    prop_assert!(refused, "{:?}", r);
    // The argument was taken: a second look sees `undefined`.
    prop_assert!(matches!(args.decode::<Option<u32>>(index, "n"), Ok(None)));
    prop_assert!(matches!(args.decode::<Option<&str>>(index + 9, "n"), Ok(None)));
    // Each accepting type takes its own kind and refuses the rest.
    let absent = matches!(kind, Other::Undefined | Other::Null);
    prop_assert_eq!(decode_one::<&str>(kind.arg()).is_ok(), kind == Other::Str);
    prop_assert_eq!(decode_one::<bool>(kind.arg()).is_ok(), kind == Other::Bool);
    prop_assert_eq!(decode_one::<Cloned<'_>>(kind.arg()).is_ok(), kind == Other::Cloned);
    prop_assert_eq!(decode_one::<Option<bool>>(kind.arg()).is_ok(), kind == Other::Bool || absent);
    prop_assert_eq!(decode_one::<Option<i32>>(kind.arg()).is_ok(), absent);
    prop_assert_eq!(decode_one::<StrOrBytes<'_>>(kind.arg()).is_ok(), kind == Other::Str);
    prop_assert_eq!(decode_one::<GuestBuf<'_>>(kind.arg()).is_ok(), false);
    prop_assert!(decode_one::<Arg<'_>>(kind.arg()).is_ok());
  }

  /// Buffers of one call, decoded in order as an op does: each is refused
  /// exactly when it shares a byte with a buffer still to decode, so the
  /// ones handed out never overlap.
  #[test]
  fn decoded_buffers_never_overlap(
    views in prop::collection::vec(prop::option::weighted(0.8, view()), 1..6),
  ) {
    let mut memory = [0u8; 64];
    let base = memory.as_mut_ptr();
    let items = views
      .iter()
      .map(|v| match *v {
        // The decoder refuses overlapping views before any slice of them is made.
        Some((s, n)) => {
          // SAFETY: within `memory`, which outlives `args` and is not otherwise used meanwhile.
          let buf = unsafe { GuestBuf::from_raw(base.wrapping_add(s), n) };
          Arg::Bytes(buf)
        }
        None => Arg::Str("x"),
      })
      .collect();
    let mut args = Args::new(items);
    let overlap = |a: (usize, usize), b: (usize, usize)| a.1 > 0 && b.1 > 0 && a.0 < b.0 + b.1 && b.0 < a.0 + a.1;
    let mut held: Vec<(usize, usize)> = Vec::new();
    for (i, v) in views.iter().enumerate() {
      let r: Result<StrOrBytes<'_>, _> = args.decode(i, "b");
      let Some(v) = *v else {
        prop_assert!(r.is_ok());
        continue;
      };
      let later = views[i + 1..].iter().flatten().any(|&w| overlap(v, w));
      match r {
        Ok(b) => {
          prop_assert!(!later, "{:?} overlaps a later buffer", v);
          let (s, e) = b.1.as_ref().map(|g| g.range()).unwrap();
          prop_assert_eq!(e - s, v.1);
          if v.1 > 0 {
            prop_assert_eq!(s - base as usize, v.0);
          }
          for h in &held {
            prop_assert!(!overlap(*h, v), "{:?} and {:?} both handed out", h, v);
          }
          held.push(v);
        }
        Err(e) => {
          prop_assert!(later, "{:?} refused alone: {:?}", v, e);
          let overlap_error = matches!(e, OpError::Coded { code: "ERR_BUFFER_OVERLAP", .. });
          prop_assert!(overlap_error, "{:?}", e);
        }
      }
    }
  }
}
