//! The V8 engine: safe Rust types over the thin C++ layer (`engine.cc`).
//! Isolates and contexts are owned here and freed on drop; every guest
//! syscall arrives through [`EngineHost::op`] as plain Rust values
//! (`kernel::op`), and its result or error goes back the same way.
mod ffi;

use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use crate::kernel::error::OpError;
use crate::kernel::op::{Arg, Args, GuestBuf, OpDecl, OpKind, OpValue};

/// What an isolate calls back into. Runs on the isolate's own thread.
pub trait EngineHost {
  /// A guest syscall: `op` indexes the op table the isolate was made with.
  fn op<'a>(&self, op: u32, args: Args<'a>) -> Result<OpValue<'a>, OpError>;
  /// V8 is near the heap limit: returns the new limit in bytes.
  fn near_heap_limit(&self, current: usize, initial: usize) -> usize;
  /// The ArrayBuffer allocator refused `requested` bytes (or V8's external
  /// memory, WebAssembly included, went over the same limit).
  fn array_buffer_limit(&self, requested: usize, in_use: usize);
  /// `__return(value)`: the bytes of the engine's own serialization of it.
  fn return_value(&self, bytes: &[u8]);
  /// The main module's exports, serialized the same way.
  fn module_exports(&self, bytes: &[u8]);
}

/// The bootstrap hooks Rust calls (`engine.h` `se_hook`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Hook {
  Start = 0,
  AfterScript = 1,
  Timers = 2,
  EmitExit = 3,
  ExitCode = 4,
  Poll = 8,
  CaptureExports = 10,
}

/// Where an isolate's memory stands (see `engine.h` `se_memory`).
pub type MemoryStats = ffi::se_memory;

/// Bounds the engine applies to what crosses from V8 into Rust.
#[derive(Debug, Clone)]
pub struct EngineLimits {
  pub heap_bytes: usize,
  pub array_buffer_bytes: usize,
  /// Longest text of one exception field (name, message, stack, ...).
  pub max_report_field_bytes: usize,
  /// Largest serialized `__return` value.
  pub max_return_bytes: usize,
  /// Most vm contexts one call may make.
  pub max_vm_contexts: usize,
  /// Kept current by the engine for other threads, when given.
  pub memory: Option<std::sync::Arc<MemoryUse>>,
}

/// What an isolate uses, as other threads may read it: the heap in use
/// after the last GC, ArrayBuffer bytes in use now, and V8's external
/// memory (WebAssembly memories too) when last read (after a GC, at each of
/// the watchdog's memory checks).
#[repr(C)]
#[derive(Debug, Default)]
pub struct MemoryUse {
  pub heap: std::sync::atomic::AtomicU64,
  pub array_buffers: std::sync::atomic::AtomicU64,
  pub external: std::sync::atomic::AtomicU64,
}

impl MemoryUse {
  /// V8 counts ArrayBuffers in its external memory too: the larger of the
  /// two, never their sum.
  pub fn total(&self) -> u64 {
    use std::sync::atomic::Ordering::Relaxed;
    self.heap.load(Relaxed)
      + self
        .array_buffers
        .load(Relaxed)
        .max(self.external.load(Relaxed))
  }
}

/// The result slot of a guest syscall (undefined unless set). `raw` is the
/// engine's slot for the op being served; the lifetime ties this to that
/// one callback, so the slot is live for every method.
struct Ret<'a> {
  raw: *mut ffi::se_ret,
  _life: std::marker::PhantomData<&'a ()>,
}

/// What `se_ret_error` takes: kind, errno, code, message, name, path, dest,
/// index of the offending argument.
type ErrorFields<'a> = (
  u32,
  i32,
  Cow<'a, str>,
  Cow<'a, str>,
  &'a str,
  Option<&'a str>,
  Option<&'a str>,
  i32,
);

fn se_str(s: Option<&str>) -> ffi::se_str {
  match s {
    Some(s) => ffi::se_str {
      ptr: s.as_ptr().cast(),
      len: s.len(),
    },
    None => ffi::se_str {
      ptr: std::ptr::null(),
      len: 0,
    },
  }
}

impl Ret<'_> {
  fn value(&mut self, v: &OpValue<'_>) {
    match v {
      OpValue::Undefined => self.undefined(),
      OpValue::Null => self.null(),
      OpValue::Bool(b) => self.bool(*b),
      OpValue::Number(n) => self.number(*n),
      OpValue::Str(s) => self.string(s),
      OpValue::Utf8(b) => self.utf8(b),
      OpValue::Bytes(b) => self.bytes(b),
      OpValue::Strings(v) => self.strings(v),
      OpValue::Stat(fields) => {
        // SAFETY: `self.raw` is live while this Ret is; `fields` outlives the call.
        unsafe { ffi::se_ret_stat(self.raw, fields.as_ptr(), fields.len()) }
      }
      OpValue::Cloned(b) => {
        // SAFETY: `self.raw` is live while this Ret is; the slice outlives the call.
        unsafe { ffi::se_ret_cloned(self.raw, b.as_ptr(), b.len()) }
      }
    }
  }

  /// The op failed: the guest gets the engine's `failed` marker and, from
  /// `v8_take_error`, what to build Node's error from.
  fn error(&mut self, e: &OpError) {
    let (kind, errno, code, message, name, path, dest, arg): ErrorFields<'_> = match e {
      OpError::Kernel(k) => (
        ffi::SE_ERROR_KERNEL,
        k.errno.node_errno(),
        Cow::Borrowed(k.errno.code()),
        Cow::Owned(k.message()),
        k.syscall,
        k.path.as_deref(),
        k.dest.as_deref(),
        -1,
      ),
      OpError::InvalidArgType {
        index,
        name,
        expected,
      } => (
        ffi::SE_ERROR_ARG_TYPE,
        0,
        Cow::Borrowed("ERR_INVALID_ARG_TYPE"),
        Cow::Borrowed(*expected),
        *name,
        None,
        None,
        *index as i32,
      ),
      OpError::OutOfRange { index, name, range } => (
        ffi::SE_ERROR_OUT_OF_RANGE,
        0,
        Cow::Borrowed("ERR_OUT_OF_RANGE"),
        Cow::Borrowed(range.as_ref()),
        *name,
        None,
        None,
        *index as i32,
      ),
      OpError::Coded {
        class,
        code,
        message,
      } => (
        ffi::SE_ERROR_CODED,
        0,
        Cow::Borrowed(*code),
        Cow::Borrowed(message.as_ref()),
        class.name(),
        None,
        None,
        -1,
      ),
      OpError::Host(h) => (
        ffi::SE_ERROR_CODED,
        0,
        Cow::Borrowed(h.code.as_deref().unwrap_or("")),
        Cow::Borrowed(h.message.as_str()),
        h.name.as_str(),
        None,
        None,
        -1,
      ),
    };
    // SAFETY: `self.raw` is live while this Ret is; every string outlives the call.
    unsafe {
      ffi::se_ret_error(
        self.raw,
        kind,
        errno,
        se_str(Some(&code)),
        se_str(Some(&message)),
        se_str(Some(name)),
        se_str(path),
        se_str(dest),
        arg,
      )
    }
  }

  fn null(&mut self) {
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_null(self.raw) }
  }
  fn bool(&mut self, b: bool) {
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_bool(self.raw, b as c_int) }
  }
  fn number(&mut self, n: f64) {
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_number(self.raw, n) }
  }
  /// UTF-8 bytes as a string; V8 turns invalid sequences into U+FFFD (as
  /// the WHATWG decoder does) and refuses lengths it cannot hold.
  fn utf8(&mut self, b: &[u8]) {
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_string(self.raw, b.as_ptr().cast(), b.len()) }
  }
  fn string(&mut self, s: &str) {
    self.utf8(s.as_bytes())
  }
  fn bytes(&mut self, b: &[u8]) {
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_bytes(self.raw, b.as_ptr(), b.len()) }
  }
  fn strings<S: AsRef<str>>(&mut self, items: &[S]) {
    let ptrs: Vec<*const c_char> = items.iter().map(|s| s.as_ref().as_ptr().cast()).collect();
    let lens: Vec<usize> = items.iter().map(|s| s.as_ref().len()).collect();
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_strings(self.raw, ptrs.as_ptr(), lens.as_ptr(), items.len()) }
  }
  fn undefined(&mut self) {
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe { ffi::se_ret_undefined(self.raw) }
  }
  /// Throws `kind` ("Error", "TypeError", "RangeError") with an optional
  /// Node `code`: only for the engine's own failures (a panic in an op).
  fn throw(&mut self, kind: &CStr, message: &str, code: Option<&CStr>) {
    let code = code.map_or(std::ptr::null(), CStr::as_ptr);
    // SAFETY: `self.raw` is live while this Ret is (see `Ret`); slices outlive the call.
    unsafe {
      ffi::se_ret_throw(
        self.raw,
        kind.as_ptr(),
        message.as_ptr().cast(),
        message.len(),
        code,
      )
    }
  }
}

/// What the guest threw, as V8 reported it.
#[derive(Debug, Default, Clone)]
pub struct Exception {
  pub name: Option<String>,
  pub message: Option<String>,
  pub stack: Option<String>,
  pub code: Option<String>,
  /// `hooks.inspectError(err)`: how Node prints it.
  pub inspected: Option<String>,
  pub resource: Option<String>,
  pub source_line: Option<String>,
  pub line: i64,
  pub start_col: i64,
  pub end_col: i64,
  pub is_error: bool,
}

/// Outcome of running guest code.
#[derive(Debug)]
pub enum Status {
  Ok,
  Exception(Box<Exception>),
  Terminated,
}

unsafe extern "C" fn exception_sink(
  sink: *mut c_void,
  field: u32,
  ptr: *const c_char,
  len: usize,
  num: i64,
) {
  // Called from C++: a panic must not unwind into it.
  let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
    // SAFETY: `sink` is the caller's `&mut Exception`, unaliased during this call.
    let exc = unsafe { &mut *(sink as *mut Exception) };
    let text = || {
      if ptr.is_null() {
        String::new()
      } else {
        // SAFETY: C++ passes a non-null pointer to `len` bytes that live for this callback.
        let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
        let mut s = String::from_utf8_lossy(bytes).into_owned();
        if num != 0 {
          s.push_str(TRUNCATION_MARKER);
        }
        s
      }
    };
    match field {
      ffi::SE_EXC_NAME => exc.name = Some(text()),
      ffi::SE_EXC_MESSAGE => exc.message = Some(text()),
      ffi::SE_EXC_STACK => exc.stack = Some(text()),
      ffi::SE_EXC_CODE => exc.code = Some(text()),
      ffi::SE_EXC_INSPECTED => exc.inspected = Some(text()),
      ffi::SE_EXC_RESOURCE => exc.resource = Some(text()),
      ffi::SE_EXC_SOURCE_LINE => exc.source_line = Some(text()),
      ffi::SE_EXC_LINE => exc.line = num,
      ffi::SE_EXC_START_COL => exc.start_col = num,
      ffi::SE_EXC_END_COL => exc.end_col = num,
      ffi::SE_EXC_IS_ERROR => exc.is_error = num != 0,
      _ => {}
    }
  }));
}

/// Appended to a text field the engine cut short.
const TRUNCATION_MARKER: &str = "\n... [truncated by secure-exec]";

fn status(code: c_int, exc: Exception) -> Status {
  match code {
    ffi::SE_OK => Status::Ok,
    ffi::SE_TERMINATED => Status::Terminated,
    _ => Status::Exception(Box::new(exc)),
  }
}

/// Links the process to Node's V8 platform. Must run on Node's main thread
/// inside a N-API call, before any isolate is created.
pub fn init_platform() -> Result<(), String> {
  // SAFETY: called on Node's main thread inside a N-API call, as the C API requires.
  match unsafe { ffi::se_platform_init() } {
    0 => Ok(()),
    e => Err(format!("cannot reach Node's V8 platform (code {e})")),
  }
}

/// NODE_MODULE_VERSION of the headers the C++ layer was compiled against.
pub fn built_for_modules() -> i32 {
  // SAFETY: a constant from the C++ layer; no arguments.
  unsafe { ffi::se_node_module_version() }
}

/// The Node.js release of those headers, e.g. "v20.20.2".
pub fn built_for_node_version() -> String {
  // SAFETY: se_node_version returns a static NUL-terminated string.
  unsafe { CStr::from_ptr(ffi::se_node_version()) }
    .to_string_lossy()
    .into_owned()
}

/// A full garbage collection of the isolate of the Node.js running this
/// thread: the sidecar's own, which did its work when the sidecar started.
pub fn collect_node_garbage() {
  // Called on the sidecar's main thread, the one Node.js runs on.
  // SAFETY: the engine checks for a current isolate, and does nothing without one.
  unsafe { ffi::se_node_isolate_collect_garbage() }
}

pub fn v8_version() -> String {
  // SAFETY: se_v8_version returns a static NUL-terminated string.
  unsafe { CStr::from_ptr(ffi::se_v8_version()) }
    .to_string_lossy()
    .into_owned()
}

pub fn set_v8_flags(flags: &str) {
  // SAFETY: the pointer and length describe a valid UTF-8 slice for the call.
  unsafe { ffi::se_v8_set_flags(flags.as_ptr().cast(), flags.len()) }
}

/// Every builtin's resource name (the loader's, and `node:<module>` for
/// each module) starts so; mirrors `kBuiltinPrefix` in engine.cc.
pub const BUILTIN_PREFIX: &str = "node:";

/// True for a stack frame or error location inside the guest builtins.
pub fn is_builtin_resource(resource: &str) -> bool {
  resource.starts_with(BUILTIN_PREFIX)
}

/// Registers the guest builtins for this process: `(name, source)` of each
/// module, and the parameter names every module function takes. The engine
/// compiles a module when a context first requires it and keeps pointers to
/// the sources for the life of the process, hence `'static`. Only the first
/// call counts; call it before the first context. The sources are ASCII
/// (the build checks): the engine reads them in place, as Latin-1, without
/// a copy. `wrapped`: see `se_builtins_register`.
pub fn register_builtins(
  modules: &'static [(&'static str, &'static str)],
  params: &[&str],
  wrapped: bool,
) {
  static ONCE: std::sync::Once = std::sync::Once::new();
  ONCE.call_once(|| register_builtins_now(modules, params, wrapped));
}

fn register_builtins_now(
  modules: &'static [(&'static str, &'static str)],
  params: &[&str],
  wrapped: bool,
) {
  let table: Vec<ffi::se_builtin> = modules
    .iter()
    .map(|(name, source)| {
      assert!(source.is_ascii(), "guest builtin {name} is not ASCII");
      ffi::se_builtin {
        name: name.as_ptr().cast(),
        name_len: name.len(),
        latin1: source.as_ptr(),
        utf16: std::ptr::null(),
        len: source.len(),
      }
    })
    .collect();
  let ptrs: Vec<*const c_char> = params.iter().map(|p| p.as_ptr().cast()).collect();
  let lens: Vec<usize> = params.iter().map(|p| p.len()).collect();
  // SAFETY: every slice outlives the call, and the sources are 'static.
  let r = unsafe {
    ffi::se_builtins_register(
      table.as_ptr(),
      table.len(),
      ptrs.as_ptr(),
      lens.as_ptr(),
      ptrs.len(),
      wrapped as c_int,
    )
  };
  // -2: the build wrapped (or not) for another V8 than this one.
  assert!(r != -2, "guest builtins built for another V8 major version");
}

/// The builtins' code cache on (the default) or off, for the whole process.
#[cfg(feature = "bench")]
pub fn set_builtins_code_cache(on: bool) {
  // SAFETY: an atomic store in the engine; no arguments to check.
  unsafe { ffi::se_builtins_set_code_cache(on as c_int) }
}

/// How the builtins' code cache has been used (see `engine.h`).
#[cfg(feature = "bench")]
pub type BuiltinsStats = ffi::se_builtins_stats;

#[cfg(feature = "bench")]
pub fn builtins_stats() -> BuiltinsStats {
  let mut out = BuiltinsStats::default();
  // SAFETY: `out` is a valid, writable se_builtins_stats.
  unsafe { ffi::se_builtins_stats_get(&mut out) };
  out
}

unsafe extern "C" fn on_op(
  data: *mut c_void,
  op: u32,
  args: *const ffi::se_value,
  nargs: usize,
  ret: *mut ffi::se_ret,
) {
  // SAFETY: `data` is the host box `Isolate` keeps alive while V8 can call back.
  let host = unsafe { &*(data as *const Box<dyn EngineHost>) };
  let raw = if nargs == 0 {
    &[][..]
  } else {
    // SAFETY: the engine passes `nargs` initialized `se_value`s that live for this callback.
    unsafe { std::slice::from_raw_parts(args, nargs) }
  };
  let borrowed = |v: &ffi::se_value| -> &[u8] {
    if v.ptr.is_null() {
      &[]
    } else {
      // SAFETY: bytes the engine holds (a string's UTF-8, a clone) for the op.
      unsafe { std::slice::from_raw_parts(v.ptr, v.len) }
    }
  };
  let converted: Vec<Arg<'_>> = raw
    .iter()
    .map(|v| match v.kind {
      ffi::SE_UNDEFINED => Arg::Undefined,
      ffi::SE_NULL => Arg::Null,
      ffi::SE_BOOL => Arg::Bool(v.num != 0.0),
      ffi::SE_NUMBER => Arg::Number(v.num),
      // V8 writes lone surrogates as U+FFFD, so this is valid UTF-8.
      ffi::SE_STRING => Arg::Str(std::str::from_utf8(borrowed(v)).unwrap_or("")),
      ffi::SE_CLONED => Arg::Cloned(borrowed(v)),
      // No JS runs during the op, and `Args::decode` refuses overlapping buffers.
      // SAFETY: a view of the guest's live backing store, unaliased for the op.
      ffi::SE_BYTES => Arg::Bytes(unsafe { GuestBuf::from_raw(v.ptr, v.len) }),
      _ => Arg::Other,
    })
    .collect();
  let mut ret = Ret {
    raw: ret,
    _life: std::marker::PhantomData,
  };
  // A panic must not unwind into V8.
  let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
    host.op(op, Args::new(converted))
  }));
  match result {
    Ok(Ok(v)) => ret.value(&v),
    Ok(Err(e)) => ret.error(&e),
    Err(_) => ret.throw(
      c"Error",
      "internal error in sandbox syscall",
      Some(c"ERR_INTERNAL_ASSERTION"),
    ),
  }
}

unsafe extern "C" fn on_task_posted(data: *mut c_void) {
  // SAFETY: `data` is the waker `Isolate` keeps alive until it is disposed.
  let waker = unsafe { &*(data as *const Waker) };
  let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| waker()));
}

/// Wakes the runtime's event loop; called from any thread.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The op table as the engine needs it: names, kinds, transports.
struct OpTable {
  descs: Vec<ffi::se_op_desc>,
  _transports: Vec<Vec<u8>>,
}

impl OpTable {
  fn new<S>(ops: &'static [OpDecl<S>]) -> OpTable {
    let transports: Vec<Vec<u8>> = ops
      .iter()
      .map(|o| o.args.iter().map(|a| a.transport as u8).collect())
      .collect();
    let descs = ops
      .iter()
      .zip(&transports)
      .map(|(o, t)| ffi::se_op_desc {
        name: o.name.as_ptr().cast(),
        name_len: o.name.len(),
        kind: match o.kind {
          OpKind::Sync => 0,
          OpKind::Async => 1,
          OpKind::Engine => 2,
        },
        nargs: t.len() as u32,
        transports: t.as_ptr(),
      })
      .collect();
    OpTable {
      descs,
      _transports: transports,
    }
  }
}

unsafe extern "C" fn on_heap_limit(data: *mut c_void, current: usize, initial: usize) -> usize {
  // SAFETY: `data` is the host box `Isolate` keeps alive while V8 can call back.
  let host = unsafe { &*(data as *const Box<dyn EngineHost>) };
  std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
    host.near_heap_limit(current, initial)
  }))
  .unwrap_or(current)
}

unsafe extern "C" fn on_alloc_limit(data: *mut c_void, requested: usize, in_use: usize) {
  // SAFETY: `data` is the host box `Isolate` keeps alive while V8 can call back.
  let host = unsafe { &*(data as *const Box<dyn EngineHost>) };
  let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
    host.array_buffer_limit(requested, in_use)
  }));
}

unsafe extern "C" fn on_return(data: *mut c_void, kind: c_int, ptr: *const u8, len: usize) {
  // SAFETY: `data` is the host box `Isolate` keeps alive while V8 can call back.
  let host = unsafe { &*(data as *const Box<dyn EngineHost>) };
  let bytes = if ptr.is_null() {
    &[][..]
  } else {
    // SAFETY: the engine's serialized buffer: non-null, `len` bytes, freed after we return.
    unsafe { std::slice::from_raw_parts(ptr, len) }
  };
  let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
    if kind == 1 {
      host.module_exports(bytes)
    } else {
      host.return_value(bytes)
    }
  }));
}

/// A handle that may stop the isolate from any thread. The owner must keep
/// the isolate alive while handles are in use (see `sidecar::runtime`).
#[derive(Clone, Copy)]
pub struct RawIsolate(*mut ffi::se_isolate);
// SAFETY: TerminateExecution is documented as callable from any thread.
unsafe impl Send for RawIsolate {}
// SAFETY: as above: the only operations are documented thread-safe.
unsafe impl Sync for RawIsolate {}

impl RawIsolate {
  /// # Safety
  /// The isolate must not have been disposed.
  pub unsafe fn terminate(self) {
    // SAFETY: the caller keeps the isolate alive; TerminateExecution is thread-safe.
    unsafe { ffi::se_isolate_terminate(self.0) }
  }

  /// Has the isolate's own thread check its external memory (WebAssembly
  /// memories included) against the ArrayBuffer limit.
  ///
  /// # Safety
  /// The isolate must not have been disposed.
  pub unsafe fn request_memory_check(self) {
    // SAFETY: the caller guarantees the isolate is alive; RequestInterrupt is thread-safe.
    unsafe { ffi::se_isolate_request_memory_check(self.0) }
  }
}

/// Owns an isolate and what its callbacks reach; disposes it when the last
/// holder (the [`Isolate`] or one of its [`Context`]s) goes, so a context
/// can never outlive its isolate.
struct IsolateOwner {
  raw: *mut ffi::se_isolate,
  _host: Box<Box<dyn EngineHost>>,
  _waker: Box<Waker>,
  /// Written by the engine until the isolate is disposed.
  _memory: Option<std::sync::Arc<MemoryUse>>,
}

impl Drop for IsolateOwner {
  fn drop(&mut self) {
    // Every context holds this owner, so all of them have been disposed.
    // SAFETY: the last holder is going: the isolate is disposed once, last.
    unsafe { ffi::se_isolate_dispose(self.raw) }
  }
}

/// A V8 isolate, entered on the thread that created it for its whole life.
pub struct Isolate {
  raw: *mut ffi::se_isolate,
  owner: std::rc::Rc<IsolateOwner>,
}

impl Isolate {
  /// An isolate serving `ops` through `host`; `waker` is called (from any
  /// thread) when V8 posts a task the event loop must run.
  pub fn new<S>(
    limits: EngineLimits,
    ops: &'static [OpDecl<S>],
    host: Box<dyn EngineHost>,
    waker: Waker,
  ) -> Option<Isolate> {
    let host = Box::new(host);
    let waker = Box::new(waker);
    let table = OpTable::new(ops);
    let params = ffi::se_isolate_params {
      heap_limit_bytes: limits.heap_bytes,
      array_buffer_limit_bytes: limits.array_buffer_bytes,
      max_report_field_bytes: limits.max_report_field_bytes,
      max_return_bytes: limits.max_return_bytes,
      max_vm_contexts: limits.max_vm_contexts,
      data: &*host as *const Box<dyn EngineHost> as *mut c_void,
      on_op,
      on_heap_limit,
      on_alloc_limit,
      on_return,
      on_task_posted,
      waker_data: &*waker as *const Waker as *mut c_void,
      ops: table.descs.as_ptr(),
      nops: table.descs.len(),
      memory_out: limits
        .memory
        .as_ref()
        .map_or(std::ptr::null(), |m| std::sync::Arc::as_ptr(m).cast()),
    };
    // The engine copies the op table; `data` and `waker_data` are boxes the Isolate keeps.
    // SAFETY: `params` is initialized and every pointer in it outlives the isolate.
    let raw = unsafe { ffi::se_isolate_new(&params) };
    if raw.is_null() {
      return None;
    }
    Some(Isolate {
      raw,
      owner: std::rc::Rc::new(IsolateOwner {
        raw,
        _host: host,
        _waker: waker,
        _memory: limits.memory,
      }),
    })
  }

  /// V8 has a task to run now, or background work that will post one
  /// (async WebAssembly compilation, say).
  pub fn has_pending_tasks(&self) -> bool {
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on its thread.
    unsafe { ffi::se_isolate_has_pending_tasks(self.raw) != 0 }
  }

  pub fn raw(&self) -> RawIsolate {
    RawIsolate(self.raw)
  }

  /// Checks now, on this thread, what `RawIsolate::request_memory_check`
  /// has checked at the next interrupt: true (and the limit reported to
  /// the host's `array_buffer_limit`) when external memory is over it.
  pub fn check_external_memory(&self) -> bool {
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on the thread that created it.
    unsafe { ffi::se_isolate_check_external_memory(self.raw) != 0 }
  }

  pub fn cancel_terminate(&self) {
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on the thread that created it.
    unsafe { ffi::se_isolate_cancel_terminate(self.raw) }
  }

  /// Runs V8's due foreground tasks; returns ms until the next delayed one.
  pub fn pump_tasks(&self) -> Option<f64> {
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on the thread that created it.
    let next = unsafe { ffi::se_isolate_pump_tasks(self.raw) };
    (next >= 0.0).then_some(next)
  }

  pub fn memory(&self) -> MemoryStats {
    let mut m = MemoryStats::default();
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on the thread that created it.
    unsafe { ffi::se_isolate_memory(self.raw, &mut m) };
    m
  }

  /// A full, synchronous garbage collection.
  pub fn collect_garbage(&self) {
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on the thread that created it.
    unsafe { ffi::se_isolate_collect_garbage(self.raw) }
  }

  /// Drops promise jobs that reached finished contexts' queues since.
  pub fn sweep_retired(&self) {
    // SAFETY: `self.raw` is a live isolate owned by `self`, used on the thread that created it.
    unsafe { ffi::se_isolate_sweep_retired(self.raw) }
  }
}

/// `se_context_run_script` and `se_context_run_module`: (context, source,
/// its length, name, its length, exception sink).
type RunSourceFn = unsafe extern "C" fn(
  *mut ffi::se_context,
  *const std::ffi::c_char,
  usize,
  *const std::ffi::c_char,
  usize,
  *mut c_void,
  ffi::se_sink_fn,
) -> c_int;

/// Everything a fresh guest context is built from.
pub struct ContextSpec<'a> {
  /// The loader: a script evaluating to `function (native, config,
  /// builtin) -> hooks` (see [`register_builtins`]).
  pub bootstrap: &'a str,
  pub bootstrap_name: &'a str,
  /// The part of the bootstrap config known before a call arrives.
  pub config_json: &'a str,
}

/// A guest context with its bootstrap hooks; disposed on drop.
///
/// It does not borrow its isolate, so that a runtime can keep the next
/// context ready beside the isolate; it shares the isolate's ownership
/// instead, so the isolate is disposed only after its last context.
pub struct Context {
  raw: *mut ffi::se_context,
  _isolate: std::rc::Rc<IsolateOwner>,
}

impl Context {
  pub fn new(iso: &Isolate, spec: &ContextSpec<'_>) -> (Context, Status) {
    let mut exc = Exception::default();
    let mut st: c_int = 0;
    // SAFETY: `iso.raw` is a live isolate; every slice and `exc` outlive the call.
    let raw = unsafe {
      ffi::se_context_new(
        iso.raw,
        spec.bootstrap.as_ptr().cast(),
        spec.bootstrap.len(),
        spec.bootstrap_name.as_ptr().cast(),
        spec.bootstrap_name.len(),
        spec.config_json.as_ptr().cast(),
        spec.config_json.len(),
        &mut exc as *mut Exception as *mut c_void,
        exception_sink,
        &mut st,
      )
    };
    (
      Context {
        raw,
        _isolate: iso.owner.clone(),
      },
      status(st, exc),
    )
  }

  /// The call starts: from now on only this context's natives serve it.
  pub fn enter_call(&self) {
    // SAFETY: `self.raw` is a live context (isolate outlives it); all slices outlive the call.
    unsafe { ffi::se_context_enter_call(self.raw) }
  }

  /// A persistent context's call starts: its natives serve it and script
  /// may run in it again (see [`Context::suspend_call`]).
  pub fn resume_call(&self) {
    // SAFETY: `self.raw` is a live context (isolate outlives it).
    unsafe { ffi::se_context_resume_call(self.raw) }
  }

  /// A persistent context's call ended: no script may run in it (a V8 task
  /// run by another call, say) until its next call resumes it.
  pub fn suspend_call(&self) {
    // SAFETY: `self.raw` is a live context (isolate outlives it).
    unsafe { ffi::se_context_suspend_call(self.raw) }
  }

  /// Runs `src` as a classic script in the context's global scope, so its
  /// top-level bindings stay for the context's later scripts. Code with
  /// top-level `await` runs as the body of an async arrow function.
  pub fn run_script(&self, src: &str, name: &str) -> Status {
    self.run_source(ffi::se_context_run_script, src, name)
  }

  /// Gives the bootstrap config the call's own part (argv, env, stdin...).
  pub fn configure(&self, json: &str, stdin: Option<&[u8]>) -> Status {
    let mut exc = Exception::default();
    let (ptr, len, has) = match stdin {
      Some(b) => (b.as_ptr(), b.len(), 1),
      None => (std::ptr::null(), 0, 0),
    };
    // SAFETY: `self.raw` is a live context (isolate outlives it); all slices outlive the call.
    let st = unsafe {
      ffi::se_context_configure(
        self.raw,
        json.as_ptr().cast(),
        json.len(),
        ptr,
        len,
        has,
        &mut exc as *mut Exception as *mut c_void,
        exception_sink,
      )
    };
    status(st, exc)
  }

  /// Runs `src` as Node runs a CommonJS file: inside the module wrapper
  /// function, called by the bootstrap's `runMain` hook.
  /// Runs CommonJS entry code; `typescript`: it is TypeScript the kernel
  /// could not transform (the guest throws the syntax error, as a load would).
  /// `detect`: code of no known format, which does not run but answers
  /// `true` when it fails to compile only for syntax an ES module may have
  /// (import/export, import.meta, top-level await), as Node's detection.
  pub fn run_cjs(&self, src: &str, name: &str, typescript: bool, detect: bool) -> (Status, bool) {
    let mut exc = Exception::default();
    let mut module_syntax: c_int = 0;
    // SAFETY: `self.raw` is live (its isolate outlives it); slices and `module_syntax` outlive the call.
    let st = unsafe {
      ffi::se_context_run_cjs(
        self.raw,
        src.as_ptr().cast(),
        src.len(),
        name.as_ptr().cast(),
        name.len(),
        c_int::from(typescript),
        c_int::from(detect),
        &mut module_syntax,
        &mut exc as *mut Exception as *mut c_void,
        exception_sink,
      )
    };
    (status(st, exc), detect && module_syntax != 0)
  }

  pub fn run_module(&self, src: &str, name: &str) -> Status {
    self.run_source(ffi::se_context_run_module, src, name)
  }

  /// Hands `src`, named `name`, to one of the engine's ways to run code.
  fn run_source(&self, run: RunSourceFn, src: &str, name: &str) -> Status {
    let mut exc = Exception::default();
    // SAFETY: `self.raw` is a live context (isolate outlives it); all slices outlive the call.
    let st = unsafe {
      run(
        self.raw,
        src.as_ptr().cast(),
        src.len(),
        name.as_ptr().cast(),
        name.len(),
        &mut exc as *mut Exception as *mut c_void,
        exception_sink,
      )
    };
    status(st, exc)
  }

  /// The main module's evaluation: Ok(true) settled, Ok(false) pending.
  pub fn module_state(&self) -> Result<bool, Box<Exception>> {
    let mut exc = Exception::default();
    // SAFETY: `self.raw` is a live context (isolate outlives it); all slices outlive the call.
    let st = unsafe {
      ffi::se_context_module_state(
        self.raw,
        &mut exc as *mut Exception as *mut c_void,
        exception_sink,
      )
    };
    match st {
      ffi::SE_MODULE_PENDING => Ok(false),
      ffi::SE_MODULE_FULFILLED => Ok(true),
      _ => Err(Box::new(exc)),
    }
  }

  /// Calls a bootstrap hook. The number it returns is the guest's word:
  /// NaN when it returned no number; callers validate it.
  pub fn call_hook(&self, hook: Hook, args: &[f64]) -> (Status, f64) {
    let mut exc = Exception::default();
    let mut out = f64::NAN;
    // SAFETY: `self.raw` is a live context (isolate outlives it); all slices outlive the call.
    let st = unsafe {
      ffi::se_context_call_hook(
        self.raw,
        hook as c_int,
        args.as_ptr(),
        args.len(),
        &mut out,
        &mut exc as *mut Exception as *mut c_void,
        exception_sink,
      )
    };
    (status(st, exc), out)
  }
}

impl Drop for Context {
  fn drop(&mut self) {
    // `_isolate` keeps the isolate alive until after this.
    // SAFETY: `self.raw` came from se_context_new and is disposed exactly once.
    unsafe { ffi::se_context_dispose(self.raw) }
  }
}
