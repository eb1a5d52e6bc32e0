//! The shape of a guest syscall ("op"): how its arguments arrive, how each
//! is decoded into a Rust type with Node's validation errors, what it
//! returns, and the [`ops!`] macro that turns one declaration per op into
//! the table entry. Nothing here touches V8: the engine converts JS values
//! to [`Arg`]s and [`OpValue`]s back, so every op is testable without an
//! isolate.
use std::borrow::Cow;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use super::error::OpError;

/// The guest's bytes (a typed array view or ArrayBuffer), borrowed for the
/// op. It never hands out a `&mut` slice that aliases another argument:
/// [`Args::decode`] refuses a writable buffer that overlaps any other
/// buffer of the same call, and a `GuestBuf` is neither `Clone` nor `Copy`.
pub struct GuestBuf<'a> {
  ptr: *mut u8,
  len: usize,
  _life: PhantomData<&'a mut [u8]>,
}

impl<'a> GuestBuf<'a> {
  /// # Safety
  /// `ptr` must point to `len` bytes that stay valid, and are written by
  /// nothing else, for `'a` (the engine guarantees this for the op's
  /// duration: the guest's JS cannot run while its op does).
  pub unsafe fn from_raw(ptr: *mut u8, len: usize) -> GuestBuf<'a> {
    GuestBuf {
      ptr: if len == 0 {
        std::ptr::NonNull::dangling().as_ptr()
      } else {
        ptr
      },
      len,
      _life: PhantomData,
    }
  }

  pub fn len(&self) -> usize {
    self.len
  }

  pub fn is_empty(&self) -> bool {
    self.len == 0
  }

  pub fn as_slice(&self) -> &[u8] {
    // SAFETY: `from_raw`'s contract; a shared borrow of self excludes `as_mut_slice`.
    unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
  }

  /// The bytes for the rest of the op (the buffer is used up).
  pub fn into_slice(self) -> &'a [u8] {
    // SAFETY: `from_raw`'s contract; consuming self leaves no way to write.
    unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
  }

  pub fn as_mut_slice(&mut self) -> &mut [u8] {
    // `Args::decode` keeps buffers from overlapping any other argument.
    // SAFETY: `from_raw`'s contract; `&mut self` makes this the only live slice.
    unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
  }

  fn range(&self) -> (usize, usize) {
    let start = self.ptr as usize;
    (start, start + self.len)
  }
}

impl std::fmt::Debug for GuestBuf<'_> {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "GuestBuf({} bytes)", self.len)
  }
}

/// One argument of a guest syscall, as the engine hands it over.
#[derive(Debug)]
pub enum Arg<'a> {
  Undefined,
  Null,
  Bool(bool),
  Number(f64),
  /// A string's UTF-8 (lone surrogates already U+FFFD).
  Str(&'a str),
  /// A typed array view or ArrayBuffer: the guest's own bytes.
  Bytes(GuestBuf<'a>),
  /// A value the engine serialized itself (V8's structured clone format),
  /// for arguments declared [`Transport::Clone`].
  Cloned(&'a [u8]),
  /// Anything else (objects, functions, symbols, bigints).
  Other,
}

/// How the engine must hand one argument over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Transport {
  /// Primitives, strings and byte views as they are.
  Plain = 0,
  /// Serialized by the engine's own structured clone, never by guest JS.
  Clone = 1,
}

/// A Rust type an op argument decodes into, with Node's validation error
/// when the guest passed something else.
pub trait FromArg<'a>: Sized {
  /// Node's words for the accepted types (`ERR_INVALID_ARG_TYPE`), `|`-separated.
  const EXPECTED: &'static str;
  const TRANSPORT: Transport = Transport::Plain;
  /// `None`: the argument is not of an accepted type.
  fn from_arg(arg: Arg<'a>, index: usize, name: &'static str) -> Result<Option<Self>, OpError>;
}

fn invalid(index: usize, name: &'static str, expected: &'static str) -> OpError {
  OpError::InvalidArgType {
    index,
    name,
    expected,
  }
}

impl<'a> FromArg<'a> for f64 {
  const EXPECTED: &'static str = "number";
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<f64>, OpError> {
    Ok(match arg {
      Arg::Number(n) => Some(n),
      _ => None,
    })
  }
}

impl<'a> FromArg<'a> for bool {
  const EXPECTED: &'static str = "boolean";
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<bool>, OpError> {
    Ok(match arg {
      Arg::Bool(b) => Some(b),
      _ => None,
    })
  }
}

/// Integers as Node's `validateInteger`/`validateInt32` check them: a
/// number that is not an integer, or out of the type's range, is
/// `ERR_OUT_OF_RANGE`.
macro_rules! int_arg {
  ($t:ty, $min:expr, $max:expr) => {
    impl<'a> FromArg<'a> for $t {
      const EXPECTED: &'static str = "number";
      fn from_arg(arg: Arg<'a>, index: usize, name: &'static str) -> Result<Option<$t>, OpError> {
        let Arg::Number(n) = arg else { return Ok(None) };
        if n.fract() != 0.0 || !n.is_finite() {
          return Err(OpError::OutOfRange {
            index,
            name,
            range: Cow::Borrowed("an integer"),
          });
        }
        if n < $min as f64 || n > $max as f64 {
          return Err(OpError::OutOfRange {
            index,
            name,
            range: Cow::Owned(format!(">= {} && <= {}", $min, $max)),
          });
        }
        Ok(Some(n as $t))
      }
    }
  };
}
int_arg!(i32, i32::MIN, i32::MAX);
int_arg!(u32, 0u32, u32::MAX);
// Safe integers: what a JS number holds exactly.
int_arg!(i64, -9_007_199_254_740_991i64, 9_007_199_254_740_991i64);
int_arg!(u64, 0u64, 9_007_199_254_740_991u64);

/// A file descriptor: an integer in `0..=2147483647`, as Node's
/// `validateInt32(fd, 'fd', 0)` checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fd(pub i32);

impl<'a> FromArg<'a> for Fd {
  const EXPECTED: &'static str = "number";
  fn from_arg(arg: Arg<'a>, index: usize, name: &'static str) -> Result<Option<Fd>, OpError> {
    let Arg::Number(n) = arg else { return Ok(None) };
    if n.fract() != 0.0 || !n.is_finite() {
      return Err(OpError::OutOfRange {
        index,
        name,
        range: Cow::Borrowed("an integer"),
      });
    }
    if !(0.0..=i32::MAX as f64).contains(&n) {
      return Err(OpError::OutOfRange {
        index,
        name,
        range: Cow::Borrowed(">= 0 && <= 2147483647"),
      });
    }
    Ok(Some(Fd(n as i32)))
  }
}

impl<'a> FromArg<'a> for &'a str {
  const EXPECTED: &'static str = "string";
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<&'a str>, OpError> {
    Ok(match arg {
      Arg::Str(s) => Some(s),
      _ => None,
    })
  }
}

impl<'a> FromArg<'a> for GuestBuf<'a> {
  const EXPECTED: &'static str = "Buffer|TypedArray|DataView";
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<GuestBuf<'a>>, OpError> {
    Ok(match arg {
      Arg::Bytes(b) => Some(b),
      _ => None,
    })
  }
}

/// A string or the guest's bytes, read as bytes (`write(fd, chunk)`).
pub struct StrOrBytes<'a>(Cow<'a, [u8]>, Option<GuestBuf<'a>>);

impl StrOrBytes<'_> {
  /// Bytes the kernel itself writes (the shell's redirections).
  pub fn from_bytes(b: &[u8]) -> StrOrBytes<'_> {
    StrOrBytes(Cow::Borrowed(b), None)
  }

  pub fn as_bytes(&self) -> &[u8] {
    match &self.1 {
      Some(b) => b.as_slice(),
      None => &self.0,
    }
  }
}

impl<'a> FromArg<'a> for StrOrBytes<'a> {
  const EXPECTED: &'static str = "string|Buffer|TypedArray|DataView";
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<StrOrBytes<'a>>, OpError> {
    Ok(match arg {
      Arg::Str(s) => Some(StrOrBytes(Cow::Borrowed(s.as_bytes()), None)),
      Arg::Bytes(b) => Some(StrOrBytes(Cow::Borrowed(&[]), Some(b))),
      _ => None,
    })
  }
}

/// Any value, undecoded (the handler looks at it itself).
impl<'a> FromArg<'a> for Arg<'a> {
  const EXPECTED: &'static str = "any";
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<Arg<'a>>, OpError> {
    Ok(Some(arg))
  }
}

/// A value the engine structured-cloned (its bytes in V8's format).
pub struct Cloned<'a>(pub &'a [u8]);

impl<'a> FromArg<'a> for Cloned<'a> {
  const EXPECTED: &'static str = "any";
  const TRANSPORT: Transport = Transport::Clone;
  fn from_arg(arg: Arg<'a>, _: usize, _: &'static str) -> Result<Option<Cloned<'a>>, OpError> {
    Ok(match arg {
      Arg::Cloned(b) => Some(Cloned(b)),
      _ => None,
    })
  }
}

/// `undefined` or `null` read as `None`; anything else must be a `T`.
impl<'a, T: FromArg<'a>> FromArg<'a> for Option<T> {
  const EXPECTED: &'static str = T::EXPECTED;
  const TRANSPORT: Transport = T::TRANSPORT;
  fn from_arg(
    arg: Arg<'a>,
    index: usize,
    name: &'static str,
  ) -> Result<Option<Option<T>>, OpError> {
    match arg {
      Arg::Undefined | Arg::Null => Ok(Some(None)),
      a => Ok(T::from_arg(a, index, name)?.map(Some)),
    }
  }
}

/// The arguments of one op call, taken one by one by the generated decoder.
pub struct Args<'a> {
  /// A decoded argument is left `Undefined` here.
  items: Vec<Arg<'a>>,
}

impl<'a> Args<'a> {
  pub fn new(items: Vec<Arg<'a>>) -> Args<'a> {
    Args { items }
  }

  /// Argument `index` as a `T` (missing arguments are `undefined`).
  pub fn decode<T: FromArg<'a>>(&mut self, index: usize, name: &'static str) -> Result<T, OpError> {
    let arg = self
      .items
      .get_mut(index)
      .map_or(Arg::Undefined, |a| std::mem::replace(a, Arg::Undefined));
    if let Arg::Bytes(b) = &arg {
      // No two buffers of one call may overlap: a handler could otherwise
      // hold a `&mut` and a `&` (or two `&mut`) to the same bytes.
      let (s, e) = b.range();
      let overlaps = self.items.iter().any(|other| match other {
        Arg::Bytes(o) => {
          let (os, oe) = o.range();
          s < oe && os < e && !b.is_empty() && !o.is_empty()
        }
        _ => false,
      });
      if overlaps {
        return Err(OpError::coded(
          super::error::ErrorClass::RangeError,
          "ERR_BUFFER_OVERLAP",
          format!("The \"{name}\" buffer overlaps another buffer argument of the same call"),
        ));
      }
    }
    T::from_arg(arg, index, name)?.ok_or_else(|| invalid(index, name, T::EXPECTED))
  }
}

/// What an op returns to the guest.
#[derive(Debug, Clone, PartialEq)]
pub enum OpValue<'a> {
  Undefined,
  Null,
  Bool(bool),
  Number(f64),
  /// Text (valid UTF-8).
  Str(Cow<'a, str>),
  /// Bytes to read as UTF-8 text; invalid sequences become U+FFFD (the
  /// WHATWG decoder's rule, applied by V8).
  Utf8(Cow<'a, [u8]>),
  /// A new Uint8Array holding a copy.
  Bytes(Cow<'a, [u8]>),
  /// An array of strings.
  Strings(Vec<String>),
  /// A value in V8's structured clone format, read back by the engine.
  Cloned(Vec<u8>),
  /// A stat's fields, in Node's `statValues` order: left in the guest's
  /// shared `native.stat_values` array, and the op returns 0.
  Stat(Box<[f64; STAT_FIELDS]>),
}

impl OpValue<'_> {
  /// The same value owning its data (for a result that settles later).
  pub fn into_owned(self) -> OpValue<'static> {
    match self {
      OpValue::Undefined => OpValue::Undefined,
      OpValue::Null => OpValue::Null,
      OpValue::Bool(b) => OpValue::Bool(b),
      OpValue::Number(n) => OpValue::Number(n),
      OpValue::Str(s) => OpValue::Str(Cow::Owned(s.into_owned())),
      OpValue::Utf8(b) => OpValue::Utf8(Cow::Owned(b.into_owned())),
      OpValue::Bytes(b) => OpValue::Bytes(Cow::Owned(b.into_owned())),
      OpValue::Strings(v) => OpValue::Strings(v),
      OpValue::Cloned(v) => OpValue::Cloned(v),
      OpValue::Stat(s) => OpValue::Stat(s),
    }
  }
}

/// Fields of one stat (Node's `kFsStatsFieldsNumber`): dev, mode, nlink,
/// uid, gid, rdev, blksize, ino, size, blocks, then seconds and
/// nanoseconds of atime, mtime, ctime and birthtime.
pub const STAT_FIELDS: usize = 18;

/// A Rust value an op can return.
pub trait IntoOpValue<'a> {
  fn into_op_value(self) -> OpValue<'a>;
}

impl<'a> IntoOpValue<'a> for OpValue<'a> {
  fn into_op_value(self) -> OpValue<'a> {
    self
  }
}
impl<'a> IntoOpValue<'a> for () {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Undefined
  }
}
impl<'a> IntoOpValue<'a> for bool {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Bool(self)
  }
}
impl<'a> IntoOpValue<'a> for f64 {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Number(self)
  }
}
impl<'a> IntoOpValue<'a> for i32 {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Number(self as f64)
  }
}
impl<'a> IntoOpValue<'a> for u32 {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Number(self as f64)
  }
}
impl<'a> IntoOpValue<'a> for String {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Str(Cow::Owned(self))
  }
}
impl<'a> IntoOpValue<'a> for &'a str {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Str(Cow::Borrowed(self))
  }
}
impl<'a> IntoOpValue<'a> for Vec<String> {
  fn into_op_value(self) -> OpValue<'a> {
    OpValue::Strings(self)
  }
}
impl<'a, T: IntoOpValue<'a>> IntoOpValue<'a> for Option<T> {
  fn into_op_value(self) -> OpValue<'a> {
    match self {
      Some(v) => v.into_op_value(),
      None => OpValue::Null,
    }
  }
}

pub type OpResult<T> = Result<T, OpError>;

/// How an async op ended, delivered in a later poll phase.
pub type OpOutcome = Result<OpValue<'static>, OpError>;

/// The work of an async op, run by the runtime's event loop; its result
/// settles the guest's promise in a later poll phase.
pub type OpFuture = Pin<Box<dyn Future<Output = Result<OpValue<'static>, OpError>>>>;

/// What a call of an op produced.
pub enum OpOutput<'a> {
  Value(OpValue<'a>),
  /// An async op started: the guest's promise `promise` settles later.
  Pending {
    promise: u32,
    future: OpFuture,
  },
}

/// One declared argument of an op.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
  pub transport: Transport,
}

/// Sync ops return their value; async ops take a promise id first and
/// settle it from the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
  Sync,
  Async,
  /// Served by the engine's C++ layer itself (V8 introspection and
  /// serialization); listed here so that one table names all the guest
  /// can call.
  Engine,
}

/// One entry of the op table, generated by [`ops!`].
pub struct OpDecl<S: ?Sized> {
  pub name: &'static str,
  pub kind: OpKind,
  pub args: &'static [ArgSpec],
  pub call: for<'a> fn(&mut S, Args<'a>) -> Result<OpOutput<'a>, OpError>,
}

/// The Rust side of an engine op: the engine never routes one here.
pub fn served_by_engine<'a, S: ?Sized>(_: &mut S, _: Args<'a>) -> Result<OpOutput<'a>, OpError> {
  Err(OpError::coded(
    super::error::ErrorClass::Error,
    "ERR_INTERNAL_ASSERTION",
    "this op is served by the engine",
  ))
}

/// Turns a result of an async handler into a future the loop can hold.
pub fn pending<F>(f: F) -> OpResult<OpFuture>
where
  F: Future<Output = Result<OpValue<'static>, OpError>> + 'static,
{
  Ok(Box::pin(f))
}

/// Declares the op table: one line per op, naming its arguments and types
/// and the plain Rust function that serves it. For each op the macro makes
/// the decoder (argument types and ranges checked with Node's errors), the
/// argument transports the engine must use, and the table entry.
///
/// ```ignore
/// ops! { state = OpState<'_>; table = OPS;
///   sync stdio_write(fd: i32, chunk: StrOrBytes) => stdio::write;
///   async host_query(query: Cloned) => host::query;
/// }
/// ```
#[macro_export]
macro_rules! ops {
  (state = $state:ty; table = $table:ident;
   $( $(#[doc = $doc:literal])* $kind:ident $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) => $handler:path; )*
  ) => {
    pub static $table: &[$crate::kernel::op::OpDecl<$state>] = &[
      $( $crate::ops!(@decl $state, $kind $name ( $($arg : $ty),* ) => $handler) ),*
    ];
  };
  // How the engine must hand an argument of type `$ty` over.
  (@spec $ty:ty) => {
    $crate::kernel::op::ArgSpec {
      transport: <$ty as $crate::kernel::op::FromArg<'static>>::TRANSPORT,
    }
  };
  (@decl $state:ty, sync $name:ident ( $($arg:ident : $ty:ty),* ) => $handler:path) => {
    $crate::kernel::op::OpDecl {
      name: stringify!($name),
      kind: $crate::kernel::op::OpKind::Sync,
      args: &[ $( $crate::ops!(@spec $ty) ),* ],
      call: {
        #[allow(unused_mut, unused_variables, unused_assignments, reason = "ops without arguments")]
        fn call<'a>(
          state: &mut $state,
          mut args: $crate::kernel::op::Args<'a>,
        ) -> Result<$crate::kernel::op::OpOutput<'a>, $crate::kernel::error::OpError> {
          let mut i = 0usize;
          $( let $arg: $ty = args.decode(i, stringify!($arg))?; i += 1; )*
          let v = $handler(state, $($arg),*)?;
          Ok($crate::kernel::op::OpOutput::Value($crate::kernel::op::IntoOpValue::into_op_value(v)))
        }
        call
      },
    }
  };
  (@decl $state:ty, engine $name:ident ( $($arg:ident : $ty:ty),* ) => $handler:path) => {
    $crate::kernel::op::OpDecl {
      name: stringify!($name),
      kind: $crate::kernel::op::OpKind::Engine,
      args: &[ $( $crate::ops!(@spec $ty) ),* ],
      call: $handler,
    }
  };
  // An async op whose work is done now by the sync handler `$handler`
  // (kernel state in memory): its promise settles in the next poll phase,
  // as Node settles the same call made on its thread pool.
  (@decl $state:ty, deferred $name:ident ( $($arg:ident : $ty:ty),* ) => $handler:path) => {
    $crate::ops!(@pending $state, $name ( $($arg : $ty),* ) => |state| {
      let r = $handler(state, $($arg),*)
        .map(|v| $crate::kernel::op::IntoOpValue::into_op_value(v).into_owned());
      let f: $crate::kernel::op::OpFuture = Box::pin(std::future::ready(r));
      f
    })
  };
  (@decl $state:ty, async $name:ident ( $($arg:ident : $ty:ty),* ) => $handler:path) => {
    $crate::ops!(@pending $state, $name ( $($arg : $ty),* ) => |state| {
      let f: $crate::kernel::op::OpFuture = $handler(state, $($arg),*)?;
      f
    })
  };
  // An op whose first argument is the promise it settles; `$future` makes
  // the future from the decoded arguments.
  (@pending $state:ty, $name:ident ( $($arg:ident : $ty:ty),* ) => |$st:ident| $future:block) => {
    $crate::kernel::op::OpDecl {
      name: stringify!($name),
      kind: $crate::kernel::op::OpKind::Async,
      args: &[ $crate::ops!(@spec u32), $( $crate::ops!(@spec $ty) ),* ],
      call: {
        #[allow(unused_mut, unused_variables, unused_assignments, reason = "ops without arguments")]
        fn call<'a>(
          $st: &mut $state,
          mut args: $crate::kernel::op::Args<'a>,
        ) -> Result<$crate::kernel::op::OpOutput<'a>, $crate::kernel::error::OpError> {
          let promise: u32 = args.decode(0, "promiseId")?;
          let mut i = 1usize;
          $( let $arg: $ty = args.decode(i, stringify!($arg))?; i += 1; )*
          let future = $future;
          Ok($crate::kernel::op::OpOutput::Pending { promise, future })
        }
        call
      },
    }
  };
}

/// Waits until `step` has an answer. `changed` gives the object's
/// notifier; it is taken before each look, so a change between the look
/// and the wait is not lost.
pub async fn wait_until<T, E>(
  mut changed: impl FnMut() -> Result<std::sync::Arc<tokio::sync::Notify>, E>,
  mut step: impl FnMut() -> Result<Option<T>, E>,
) -> Result<T, E> {
  loop {
    let notify = changed()?;
    let notified = notify.notified();
    tokio::pin!(notified);
    notified.as_mut().enable();
    if let Some(v) = step()? {
      return Ok(v);
    }
    notified.await;
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::kernel::error::{Errno, ErrorClass, KernelError};

  pub struct St {
    log: Vec<String>,
  }

  fn add(s: &mut St, a: i32, b: Option<f64>) -> OpResult<f64> {
    s.log.push(format!("add {a}"));
    Ok(a as f64 + b.unwrap_or(0.5))
  }

  fn fill(_: &mut St, mut buf: GuestBuf<'_>, byte: u32) -> OpResult<u32> {
    buf.as_mut_slice().fill(byte as u8);
    Ok(buf.len() as u32)
  }

  fn open(_: &mut St, path: &str) -> OpResult<()> {
    Err(KernelError::new(Errno::ENOENT, "open").path(path).into())
  }

  fn later(_: &mut St, n: f64) -> OpResult<OpFuture> {
    pending(async move { Ok(OpValue::Number(n * 2.0)) })
  }

  crate::ops! { state = St; table = TEST_OPS;
    sync test_add(a: i32, b: Option<f64>) => add;
    sync test_fill(buf: GuestBuf, byte: u32) => fill;
    sync test_open(path: &str) => open;
    async test_later(n: f64) => later;
  }

  fn call<'a>(name: &str, args: Vec<Arg<'a>>) -> Result<OpOutput<'a>, OpError> {
    let op = TEST_OPS.iter().find(|o| o.name == name).unwrap();
    (op.call)(&mut St { log: Vec::new() }, Args::new(args))
  }

  fn value(r: Result<OpOutput<'_>, OpError>) -> Result<OpValue<'_>, OpError> {
    r.map(|o| match o {
      OpOutput::Value(v) => v,
      OpOutput::Pending { .. } => panic!("pending"),
    })
  }

  #[test]
  fn decodes_and_calls() {
    assert_eq!(
      value(call("test_add", vec![Arg::Number(2.0)])),
      Ok(OpValue::Number(2.5))
    );
    assert_eq!(
      value(call(
        "test_add",
        vec![Arg::Number(2.0), Arg::Number(1.0), Arg::Str("extra")]
      )),
      Ok(OpValue::Number(3.0))
    );
    assert_eq!(TEST_OPS[0].args.len(), 2);
  }

  #[test]
  fn wrong_types_are_nodes_errors() {
    assert_eq!(
      value(call("test_add", vec![Arg::Str("x")])),
      Err(OpError::InvalidArgType {
        index: 0,
        name: "a",
        expected: "number"
      })
    );
    assert_eq!(
      value(call("test_add", vec![])),
      Err(OpError::InvalidArgType {
        index: 0,
        name: "a",
        expected: "number"
      })
    );
    assert!(matches!(
      value(call("test_add", vec![Arg::Number(1.5)])),
      Err(OpError::OutOfRange { index: 0, name: "a", ref range }) if range == "an integer"
    ));
    assert!(matches!(
      value(call("test_add", vec![Arg::Number(3e9)])),
      Err(OpError::OutOfRange { name: "a", ref range, .. }) if range == ">= -2147483648 && <= 2147483647"
    ));
    assert!(matches!(
      value(call("test_add", vec![Arg::Number(1.0), Arg::Bool(true)])),
      Err(OpError::InvalidArgType {
        index: 1,
        name: "b",
        ..
      })
    ));
  }

  #[test]
  fn kernel_errors_pass_through() {
    assert_eq!(
      value(call("test_open", vec![Arg::Str("/x")])),
      Err(OpError::Kernel(
        KernelError::new(Errno::ENOENT, "open").path("/x")
      ))
    );
  }

  #[test]
  fn buffers_are_written_in_place_and_never_alias() {
    let mut bytes = [0u8; 8];
    let (p, n) = (bytes.as_mut_ptr(), bytes.len());
    // SAFETY: `bytes` outlives the call and nothing else touches it meanwhile.
    let buf = unsafe { GuestBuf::from_raw(p, n) };
    assert_eq!(
      value(call("test_fill", vec![Arg::Bytes(buf), Arg::Number(7.0)])),
      Ok(OpValue::Number(8.0))
    );
    assert_eq!(bytes, [7u8; 8]);

    // Two views of the same memory in one call are refused.
    let mut args = Args::new(vec![
      // SAFETY: as above; the decoder must refuse before any slice is made.
      Arg::Bytes(unsafe { GuestBuf::from_raw(p, n) }),
      // SAFETY: as above.
      Arg::Bytes(unsafe { GuestBuf::from_raw(p.wrapping_add(4), 4) }),
    ]);
    let r: Result<GuestBuf<'_>, _> = args.decode(0, "a");
    assert!(matches!(
      r,
      Err(OpError::Coded {
        class: ErrorClass::RangeError,
        code: "ERR_BUFFER_OVERLAP",
        ..
      })
    ));
  }

  #[test]
  fn async_ops_take_a_promise_id() {
    let out = call("test_later", vec![Arg::Number(9.0), Arg::Number(4.0)])
      .ok()
      .unwrap();
    let OpOutput::Pending { promise, future } = out else {
      panic!("not pending")
    };
    assert_eq!(promise, 9);
    let rt = tokio::runtime::Builder::new_current_thread()
      .build()
      .unwrap();
    assert_eq!(rt.block_on(future), Ok(OpValue::Number(8.0)));
    assert!(matches!(
      call("test_later", vec![Arg::Str("x")]),
      Err(OpError::InvalidArgType {
        name: "promiseId",
        ..
      })
    ));
  }
}

#[cfg(test)]
mod proptests;
