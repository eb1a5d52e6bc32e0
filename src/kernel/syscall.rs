//! Every syscall a guest can make, in one table ([`OPS`]). The guest calls
//! entry `name` as `native.<name>(...)`; the engine hands the arguments
//! over, the generated decoder checks them with Node's errors, and the
//! handler (a plain Rust function) acts on the process's and the runtime's
//! kernel state. Errors come back as values (see `kernel::error`); the
//! guest builds Node's error objects from them.
use std::borrow::Cow;

use super::error::{Errno, ErrorClass, KernelError, OpError};
use super::limits::MAX_RANDOM_BYTES;
use super::op::{
  pending, served_by_engine, Arg, Cloned, Fd, GuestBuf, OpFuture, OpOutcome, OpResult, OpValue,
  StrOrBytes,
};
use super::policy::Scope;
use super::process::{Process, ProcessControl};
use crate::ipc::{Query, Stream};

/// What an op handler works on: the calling process, the runtime thread
/// that supervises it and the runtime's kernel.
pub struct OpState {
  pub process: Process,
  pub control: std::rc::Rc<dyn ProcessControl>,
  pub kernel: std::sync::Arc<super::Kernel>,
  /// The outcome `loop_next` took, until `loop_result` hands it over.
  pub completion: Option<OpOutcome>,
  /// The process's zlib and brotli streams.
  pub zlib: super::zlib::ZlibStreams,
}

impl Drop for OpState {
  /// The process is over: its sockets and open files close.
  fn drop(&mut self) {
    if let Some(t) = self.process.raw_tty.take() {
      t.set_raw(false);
    }
    self.kernel.sockets().close_process(self.process.pid);
    let files = self.process.fds.drain();
    if !files.is_empty() {
      let mut vfs = self.kernel.vfs();
      // Mount files are the host's: it closes them when the call ends.
      for f in files.into_iter().filter(|f| f.mount.is_none()) {
        vfs.close(f.ino);
      }
    }
  }
}

impl OpState {
  pub fn new(
    process: Process,
    control: std::rc::Rc<dyn ProcessControl>,
    kernel: std::sync::Arc<super::Kernel>,
  ) -> OpState {
    OpState {
      process,
      control,
      kernel,
      completion: None,
      zlib: Default::default(),
    }
  }
}

crate::ops! { state = OpState; table = OPS;
  // ---- process ----
  sync stdio_write(fd: Fd, chunk: StrOrBytes) => stdio_write;
  sync proc_exit(code: Option<f64>) => proc_exit;
  sync proc_kill(pid: f64, signal: f64) => super::process::kill;
  sync proc_signal_handled(signal: u32, handled: bool) => super::process::signal_handled;
  sync proc_raise(signal: u32) => proc_raise;
  sync proc_spawn(spec: &str, data: Option<GuestBuf>) => super::child::spawn;
  async proc_wait(pid: f64) => super::child::wait;
  sync proc_spawn_sync(spec: &str, input: Option<GuestBuf>, timeout_ms: f64, max_buffer: f64, kill_signal: u32) => super::child::spawn_sync;
  async pipe_read(fd: Fd, max: u32) => super::child::pipe_read;
  sync pipe_write(fd: Fd, data: GuestBuf) => super::child::pipe_write;
  async pipe_writable(fd: Fd) => super::child::pipe_writable;
  sync tty_size(fd: Fd) => super::tty::size;
  sync tty_set_raw(fd: Fd, raw: bool) => super::tty::set_raw;
  sync clock_now() => clock_now;
  sync random_fill(buf: GuestBuf) => random_fill;
  async random_fill_async(buf: GuestBuf) => random_fill_async;
  // ---- text and URLs ----
  sync text_utf8_encode(input: Option<&str>) => super::text::utf8_encode;
  sync text_utf8_decode(input: GuestBuf, fatal: Option<bool>) => super::text::utf8_decode;
  sync text_encode(input: &str, encoding: &str) => super::text::encode;
  sync text_decode(input: GuestBuf, encoding: &str) => super::text::decode;
  sync url_parse(input: &str, base: Option<&str>) => super::url::parse;
  sync url_set(href: &str, component: &str, value: &str) => super::url::set;
  sync url_domain(domain: &str, unicode: bool) => super::url::domain;
  sync url_to_ascii(name: &str) => super::url::to_ascii;
  // ---- crypto (kernel::crypto); `*_async` do the work now and settle later ----
  sync crypto_hash_alg(name: &str) => super::crypto::alg;
  sync crypto_digest(alg: u32, key: Option<StrOrBytes>, data: StrOrBytes, encoding: u32) => super::crypto::digest;
  async crypto_digest_async(alg: u32, key: Option<StrOrBytes>, data: StrOrBytes, encoding: u32) => super::crypto::digest_async;
  sync crypto_hash_new(alg: u32, key: Option<StrOrBytes>, data: Option<StrOrBytes>) => super::crypto::hash_new;
  sync crypto_hash_update(id: u32, data: StrOrBytes) => super::crypto::hash_update;
  sync crypto_hash_digest(id: u32, encoding: u32) => super::crypto::hash_digest;
  sync crypto_hash_copy(id: u32) => super::crypto::hash_copy;
  sync crypto_pbkdf2(alg: u32, password: StrOrBytes, salt: StrOrBytes, iterations: u32, out: GuestBuf) => super::crypto::pbkdf2;
  async crypto_pbkdf2_async(alg: u32, password: StrOrBytes, salt: StrOrBytes, iterations: u32, out: GuestBuf) => super::crypto::pbkdf2_async;
  sync crypto_scrypt(password: StrOrBytes, salt: StrOrBytes, n: u32, r: u32, p: u32, maxmem: u64, out: GuestBuf) => super::crypto::scrypt;
  async crypto_scrypt_async(password: StrOrBytes, salt: StrOrBytes, n: u32, r: u32, p: u32, maxmem: u64, out: GuestBuf) => super::crypto::scrypt_async;
  sync crypto_timing_safe_equal(a: GuestBuf, b: GuestBuf) => super::crypto::timing_safe_equal;
  // ---- filesystem (kernel::fs); `*_async` settle in the next poll phase ----
  sync fs_stat(path: &str, follow: bool) => super::fs::stat;
  sync fs_stat_probe(path: &str, follow: bool) => super::fs::stat_probe;
  sync fs_access(path: &str, mode: u32) => super::fs::access;
  sync fs_read_file(path: &str, utf8: bool) => super::fs::read_file;
  sync fs_write_file(path: &str, data: StrOrBytes, flags: i32, mode: u32) => super::fs::write_file;
  sync fs_readdir(path: &str, with_types: bool) => super::fs::readdir;
  sync fs_mkdir(path: &str, recursive: bool, mode: u32) => super::fs::mkdir;
  sync fs_mkdtemp(prefix: &str) => super::fs::mkdtemp;
  sync fs_rmdir(path: &str) => super::fs::rmdir;
  sync fs_unlink(path: &str) => super::fs::unlink;
  sync fs_remove_all(path: &str) => super::fs::remove_all;
  sync fs_rename(from: &str, to: &str) => super::fs::rename;
  sync fs_copy_file(src: &str, dst: &str, mode: u32) => super::fs::copy_file;
  sync fs_link(existing: &str, new_path: &str) => super::fs::link;
  sync fs_symlink(target: &str, path: &str) => super::fs::symlink;
  sync fs_readlink(path: &str) => super::fs::readlink;
  sync fs_realpath(path: &str) => super::fs::realpath;
  sync fs_truncate(path: &str, len: f64) => super::fs::truncate;
  sync fs_chmod(path: &str, mode: u32, follow: bool) => super::fs::chmod;
  sync fs_chown(path: &str, uid: u32, gid: u32, follow: bool) => super::fs::chown;
  sync fs_utimes(path: &str, atime: f64, mtime: f64, follow: bool) => super::fs::utimes;
  sync fs_open(path: &str, flags: i32, mode: u32) => super::fs::open;
  sync fs_close(fd: Fd) => super::fs::close;
  sync fs_read(fd: Fd, buf: GuestBuf, position: f64) => super::fs::read;
  sync fs_write(fd: Fd, data: StrOrBytes, position: f64) => super::fs::write;
  sync fs_read_rest(fd: Fd) => super::fs::read_rest;
  sync fs_fstat(fd: Fd) => super::fs::fstat;
  sync fs_ftruncate(fd: Fd, len: f64) => super::fs::ftruncate;
  sync fs_fsync(fd: Fd) => super::fs::fsync;
  sync fs_fchmod(fd: Fd, mode: u32) => super::fs::fchmod;
  sync fs_fchown(fd: Fd, uid: u32, gid: u32) => super::fs::fchown;
  sync fs_futimes(fd: Fd, atime: f64, mtime: f64) => super::fs::futimes;
  deferred fs_stat_async(path: &str, follow: bool) => super::fs::stat;
  deferred fs_access_async(path: &str, mode: u32) => super::fs::access;
  deferred fs_read_file_async(path: &str, utf8: bool) => super::fs::read_file;
  deferred fs_write_file_async(path: &str, data: StrOrBytes, flags: i32, mode: u32) => super::fs::write_file;
  deferred fs_readdir_async(path: &str, with_types: bool) => super::fs::readdir;
  deferred fs_mkdir_async(path: &str, recursive: bool, mode: u32) => super::fs::mkdir;
  deferred fs_mkdtemp_async(prefix: &str) => super::fs::mkdtemp;
  deferred fs_rmdir_async(path: &str) => super::fs::rmdir;
  deferred fs_unlink_async(path: &str) => super::fs::unlink;
  deferred fs_remove_all_async(path: &str) => super::fs::remove_all;
  deferred fs_rename_async(from: &str, to: &str) => super::fs::rename;
  deferred fs_copy_file_async(src: &str, dst: &str, mode: u32) => super::fs::copy_file;
  deferred fs_link_async(existing: &str, new_path: &str) => super::fs::link;
  deferred fs_symlink_async(target: &str, path: &str) => super::fs::symlink;
  deferred fs_readlink_async(path: &str) => super::fs::readlink;
  deferred fs_realpath_async(path: &str) => super::fs::realpath;
  deferred fs_truncate_async(path: &str, len: f64) => super::fs::truncate;
  deferred fs_chmod_async(path: &str, mode: u32, follow: bool) => super::fs::chmod;
  deferred fs_chown_async(path: &str, uid: u32, gid: u32, follow: bool) => super::fs::chown;
  deferred fs_utimes_async(path: &str, atime: f64, mtime: f64, follow: bool) => super::fs::utimes;
  deferred fs_open_async(path: &str, flags: i32, mode: u32) => super::fs::open;
  deferred fs_close_async(fd: Fd) => super::fs::close;
  deferred fs_read_rest_async(fd: Fd) => super::fs::read_rest;
  deferred fs_read_async(fd: Fd, buf: GuestBuf, position: f64) => super::fs::read;
  deferred fs_write_async(fd: Fd, data: StrOrBytes, position: f64) => super::fs::write;
  deferred fs_fstat_async(fd: Fd) => super::fs::fstat;
  deferred fs_ftruncate_async(fd: Fd, len: f64) => super::fs::ftruncate;
  // ---- zlib (kernel::zlib); the async write settles in the next poll phase ----
  sync zlib_init(mode: u32, window_bits: i32, level: i32, mem_level: i32, strategy: i32, dictionary: Option<GuestBuf>) => super::zlib::init;
  sync zlib_init_brotli(mode: u32, params: GuestBuf) => super::zlib::init_brotli;
  sync zlib_write(handle: u32, flush: u32, input: Option<GuestBuf>, in_off: u64, in_len: u64, output: GuestBuf, out_off: u64, out_len: u64, state: GuestBuf) => super::zlib::write;
  deferred zlib_write_async(handle: u32, flush: u32, input: Option<GuestBuf>, in_off: u64, in_len: u64, output: GuestBuf, out_off: u64, out_len: u64, state: GuestBuf) => super::zlib::write;
  sync zlib_reset(handle: u32) => super::zlib::reset;
  sync zlib_params(handle: u32, level: i32, strategy: i32) => super::zlib::params;
  sync zlib_close(handle: u32) => super::zlib::close;
  sync zlib_crc32(data: StrOrBytes, value: u32) => super::zlib::crc32;
  // ---- sockets (kernel::net::ops) ----
  sync net_listen(host: &str, port: u32, backlog: u32) => super::net::ops::listen;
  async net_accept(id: f64) => super::net::ops::accept;
  async net_connect(host: &str, port: u32) => super::net::ops::connect;
  async net_read(id: f64, max: u32) => super::net::ops::read;
  sync net_write(id: f64, data: GuestBuf) => super::net::ops::write;
  async net_writable(id: f64) => super::net::ops::writable;
  sync net_shutdown(id: f64) => super::net::ops::shutdown;
  sync net_close(id: f64) => super::net::ops::close;
  sync net_address(id: f64) => super::net::ops::address;
  async dns_lookup(host: &str) => super::net::ops::lookup;
  async dns_resolve(host: &str, rrtype: &str, servers: &str) => super::net::dns::resolve_records;
  async net_tls_start(id: f64, servername: &str, ca: Option<&str>, reject_unauthorized: bool, alpn: Option<&str>) => super::net::ops::tls_start;
  sync net_tls_peer(id: f64) => super::net::ops::tls_peer;
  sync http_parse_head(buf: GuestBuf, response: bool, max_size: u32) => super::net::http::parse_head;
  // ---- modules ----
  sync mod_resolve(specifier: &str, parent: &str, kind: u32) => super::resolve::resolve;
  sync mod_format(path: &str) => super::resolve::format;
  sync mod_cjs_exports(source: &str) => super::resolve::cjs_exports;
  sync mod_transform(source: &str, path: &str, format: &str) => super::typescript::op_transform;
  sync mod_source_position(name: &str, line: u32, column: u32) => super::typescript::op_source_position;
  // ---- the process's cwd and umask ----
  sync proc_chdir(path: &str) => super::fs::chdir;
  sync proc_umask(mask: Option<u32>) => super::fs::umask;
  // ---- environment ----
  sync env_get(name: &str) => super::env::get;
  sync env_keys() => super::env::keys;
  sync env_set(name: &str, value: &str) => super::env::set;
  sync env_delete(name: &str) => super::env::delete;
  // ---- event loop ----
  sync loop_next() => loop_next;
  sync loop_result() => loop_result;
  sync loop_ref(promise: u32, refed: bool) => loop_ref;
  // ---- WebAssembly ----
  sync wasm_check(bytes: Arg) => wasm_check;
  // ---- host ----
  sync host_call_sync(name: &str, args: Cloned) => host_call_sync;
  async host_call(name: &str, args: Cloned) => host_call;
  // ---- diagnostics (only with `create({ testOps: true })`) ----
  sync test_nop() => test_nop;
  sync test_bytes(buf: GuestBuf) => test_bytes;
  sync test_args(fd: Fd, path: &str, flag: Option<bool>) => test_args;
  sync test_fail(errno: i32, path: Option<&str>, dest: Option<&str>) => test_fail;
  sync test_probe(errno: i32) => test_probe;
  sync test_stat(seed: f64) => test_stat;
  async test_sleep(ms: u32, fail_errno: Option<i32>) => test_sleep;
  sync test_ts_transforms() => test_ts_transforms;
  // ---- served by the engine (C++), listed so one table names them all ----
  engine v8_structured_clone(value: Arg) => served_by_engine;
  engine v8_return_value(value: Arg) => served_by_engine;
  engine v8_run_microtasks() => served_by_engine;
  engine v8_promise_state(value: Arg) => served_by_engine;
  engine v8_proxy_details(value: Arg) => served_by_engine;
  engine v8_type_flags(value: Arg) => served_by_engine;
  engine v8_take_error() => served_by_engine;
  engine v8_heap_stats() => served_by_engine;
  engine v8_pending_tasks() => served_by_engine;
  engine v8_return_exports(value: Arg) => served_by_engine;
  engine v8_module_compile(source: Arg, url: Arg) => served_by_engine;
  engine v8_module_synthetic(name: Arg, export_names: Arg) => served_by_engine;
  engine v8_module_requests(id: Arg) => served_by_engine;
  engine v8_module_link(id: Arg, ids: Arg) => served_by_engine;
  engine v8_module_instantiate(id: Arg) => served_by_engine;
  engine v8_module_evaluate(id: Arg) => served_by_engine;
  engine v8_module_namespace(id: Arg) => served_by_engine;
  engine v8_module_status(id: Arg) => served_by_engine;
  engine v8_module_set_export(id: Arg, name: Arg, value: Arg) => served_by_engine;
  engine v8_compile_cjs(source: Arg, filename: Arg) => served_by_engine;
  engine v8_async_context_get() => served_by_engine;
  engine v8_async_context_set(frame: Arg) => served_by_engine;
  engine v8_serialize(value: Arg, buffer_proto: Arg) => served_by_engine;
  engine v8_deserialize(bytes: Arg, buffer_proto: Arg) => served_by_engine;
  engine v8_heap_spaces() => served_by_engine;
  engine v8_cached_data_version_tag() => served_by_engine;
  engine v8_vm_context_new(sandbox: Arg, frozen_time: Arg, allow_strings: Arg, own_global: Arg) => served_by_engine;
  engine v8_vm_is_context(value: Arg) => served_by_engine;
  engine v8_vm_script(source: Arg, filename: Arg, line: Arg, column: Arg, target: Arg, run: Arg, display_errors: Arg) => served_by_engine;
  engine v8_vm_compile_function(source: Arg, filename: Arg, line: Arg, column: Arg, params: Arg, extensions: Arg, target: Arg) => served_by_engine;
}

fn stdio_write(s: &mut OpState, fd: Fd, chunk: StrOrBytes<'_>) -> OpResult<()> {
  let stream = match fd.0 {
    1 => Stream::Stdout,
    2 => Stream::Stderr,
    _ => return Err(KernelError::new(Errno::EBADF, "write").into()),
  };
  super::stdio::write_all(s, stream, chunk.as_bytes())
    .map_err(|e| KernelError::new(e, "write").into())
}

fn proc_exit(s: &mut OpState, code: Option<f64>) -> OpResult<()> {
  let code = code.filter(|n| n.is_finite()).unwrap_or(0.0);
  // Node keeps the low byte of the exit status, as the OS does.
  let code = (code as i64 & 0xff) as i32;
  s.process.exit_code = Some(code);
  s.control.exit(code);
  Ok(())
}

/// The default action of `signal` on the caller itself (it has no
/// listener): it ends, and its parent learns which signal ended it.
fn proc_raise(s: &mut OpState, signal: u32) -> OpResult<()> {
  if (1..=64).contains(&signal) {
    s.control.raise(signal as u8);
  }
  Ok(())
}

fn clock_now(s: &mut OpState) -> OpResult<f64> {
  Ok(s.process.clock.now_ms())
}

fn random_fill(_: &mut OpState, mut buf: GuestBuf<'_>) -> OpResult<()> {
  if buf.len() > MAX_RANDOM_BYTES {
    return Err(OpError::coded(
      ErrorClass::RangeError,
      "ERR_OUT_OF_RANGE",
      format!(
        "The ArrayBufferView's byte length ({}) exceeds the number of bytes of entropy available via this API ({MAX_RANDOM_BYTES})",
        buf.len()
      ),
    ));
  }
  getrandom::fill(buf.as_mut_slice()).map_err(|_| {
    OpError::coded(
      ErrorClass::Error,
      "ERR_CRYPTO_OPERATION_FAILED",
      "random source unavailable",
    )
  })
}

/// `random_fill` for `randomBytes`/`randomFill` with a callback: filled
/// now, settled from the poll phase (Node fills on its thread pool).
fn random_fill_async(s: &mut OpState, buf: GuestBuf<'_>) -> OpResult<OpFuture> {
  random_fill(s, buf)?;
  pending(std::future::ready(Ok(OpValue::Undefined)))
}

/// The poll phase: the promise id of the next finished async op, or -1.
fn loop_next(s: &mut OpState) -> OpResult<f64> {
  match s.control.next_completion(s.process.pid) {
    Some((promise, outcome)) => {
      s.completion = Some(outcome);
      Ok(promise as f64)
    }
    None => Ok(-1.0),
  }
}

/// The value (or error) of the op `loop_next` reported.
fn loop_result(s: &mut OpState) -> OpResult<OpValue<'static>> {
  s.completion.take().unwrap_or(Ok(OpValue::Undefined))
}

fn loop_ref(s: &mut OpState, promise: u32, refed: bool) -> OpResult<bool> {
  Ok(s.control.set_op_ref(promise, refed))
}

/// Refuses a module the sandbox cannot account for before V8 compiles it.
fn wasm_check(_: &mut OpState, bytes: Arg<'_>) -> OpResult<()> {
  if let Arg::Bytes(b) = bytes {
    if super::wasm::defines_shared_memory(b.as_slice()) {
      return Err(OpError::coded(
        ErrorClass::TypeError,
        "ERR_SANDBOX_UNSUPPORTED",
        "WebAssembly shared memory is not supported in this sandbox",
      ));
    }
  }
  Ok(())
}

/// A host tool, called synchronously: the guest thread waits for the host.
fn host_call_sync(s: &mut OpState, name: &str, args: Cloned<'_>) -> OpResult<OpValue<'static>> {
  super::permission::name(s, Scope::Tool, "call", name)?;
  let reply = s.control.query_host(Query::Tool {
    name: name.into(),
    args: args.0.to_vec(),
  })?;
  Ok(OpValue::Cloned(reply))
}

/// A host tool, as an async op: the promise settles from the event loop.
fn host_call(s: &mut OpState, name: &str, args: Cloned<'_>) -> OpResult<OpFuture> {
  super::permission::name(s, Scope::Tool, "call", name)?;
  let fut = s.control.query_host_async(Query::Tool {
    name: name.into(),
    args: args.0.to_vec(),
  });
  pending(fut)
}

fn test_ops_enabled(s: &OpState) -> OpResult<()> {
  if s.process.test_ops {
    Ok(())
  } else {
    Err(KernelError::new(Errno::ENOSYS, "test").into())
  }
}

fn test_nop(s: &mut OpState) -> OpResult<()> {
  test_ops_enabled(s)
}

fn test_bytes(s: &mut OpState, buf: GuestBuf<'_>) -> OpResult<u32> {
  test_ops_enabled(s)?;
  Ok(
    buf
      .as_slice()
      .iter()
      .fold(0u32, |a, b| a.wrapping_add(*b as u32)),
  )
}

fn test_args(s: &mut OpState, fd: Fd, path: &str, flag: Option<bool>) -> OpResult<String> {
  test_ops_enabled(s)?;
  Ok(format!("{}:{path}:{flag:?}", fd.0))
}

fn errno_of(n: i32) -> OpResult<Errno> {
  Errno::from_raw(n).ok_or(OpError::OutOfRange {
    index: 0,
    name: "errno",
    range: Cow::Borrowed("a known errno"),
  })
}

fn test_fail(s: &mut OpState, errno: i32, path: Option<&str>, dest: Option<&str>) -> OpResult<()> {
  test_ops_enabled(s)?;
  let mut e = KernelError::new(errno_of(errno)?, "open");
  if let Some(p) = path {
    e = e.path(p);
  }
  if let Some(d) = dest {
    e = e.dest(d);
  }
  Err(e.into())
}

/// A probe: the status as a number (0 or a negative errno), never a throw.
fn test_probe(s: &mut OpState, errno: i32) -> OpResult<i32> {
  test_ops_enabled(s)?;
  Ok(if errno == 0 {
    0
  } else {
    errno_of(errno)?.node_errno()
  })
}

/// A stat-shaped result: fields `seed`, `seed + 1`, ...
fn test_stat(s: &mut OpState, seed: f64) -> OpResult<OpValue<'static>> {
  test_ops_enabled(s)?;
  let mut fields = [0.0; super::op::STAT_FIELDS];
  for (i, f) in fields.iter_mut().enumerate() {
    *f = seed + i as f64;
  }
  Ok(OpValue::Stat(Box::new(fields)))
}

fn test_ts_transforms(s: &mut OpState) -> OpResult<f64> {
  test_ops_enabled(s)?;
  Ok(
    s.kernel
      .ts_transforms
      .load(std::sync::atomic::Ordering::Relaxed) as f64,
  )
}

fn test_sleep(s: &mut OpState, ms: u32, fail_errno: Option<i32>) -> OpResult<OpFuture> {
  test_ops_enabled(s)?;
  let fail = fail_errno.map(errno_of).transpose()?;
  // The timer is made when the loop first polls the op, on its runtime.
  pending(async move {
    // 0: settle at the next poll phase, without a timer (tokio's are ms-grained).
    if ms > 0 {
      tokio::time::sleep(std::time::Duration::from_millis(ms as u64)).await;
    }
    match fail {
      Some(e) => Err(KernelError::new(e, "sleep").into()),
      None => Ok(OpValue::Number(ms as f64)),
    }
  })
}

/// The op named `name`, and its index in [`OPS`].
#[cfg(test)]
pub fn find(name: &str) -> Option<(usize, &'static super::op::OpDecl<OpState>)> {
  OPS.iter().enumerate().find(|(_, o)| o.name == name)
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
pub(crate) mod tests {
  use super::*;
  use crate::kernel::clock::Clock;
  use crate::kernel::op::{Args, OpOutput};
  use crate::kernel::stdio::Stdio;

  struct NoHost;
  impl ProcessControl for NoHost {
    fn exit(&self, _code: i32) {}
    fn query_host(&self, _q: Query) -> Result<Vec<u8>, OpError> {
      Ok(vec![1, 2])
    }
    fn query_host_async(&self, _q: Query) -> super::super::op::OpFuture {
      Box::pin(async { Ok(OpValue::Cloned(vec![3])) })
    }
    fn next_completion(&self, _pid: u32) -> Option<(u32, OpOutcome)> {
      None
    }
    fn set_op_ref(&self, _promise: u32, _refed: bool) -> bool {
      false
    }
    fn audit(&self, _event: crate::ipc::AuditEvent) {}
    fn wait(&self, _until: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>) -> bool {
      false
    }
  }

  fn run<'a>(st: &mut OpState, name: &str, args: Vec<Arg<'a>>) -> Result<OpOutput<'a>, OpError> {
    let (_, op) = find(name).expect("op");
    (op.call)(st, Args::new(args))
  }

  fn value(r: Result<OpOutput<'_>, OpError>) -> Result<OpValue<'_>, OpError> {
    r.map(|o| match o {
      OpOutput::Value(v) => v,
      OpOutput::Pending { .. } => panic!("pending"),
    })
  }

  /// A process of a default kernel, with no host (for op tests elsewhere).
  pub(crate) fn process() -> OpState {
    OpState::new(
      Process::new(100, Stdio::new(1024, None), Clock::new(true)),
      std::rc::Rc::new(NoHost),
      std::sync::Arc::new(crate::kernel::Kernel::default()),
    )
  }

  /// Every op that declares arguments refuses a first argument no decoder
  /// accepts, before it acts; only `Arg` parameters take anything.
  #[test]
  fn a_bad_first_argument_is_refused_by_every_op() {
    let mut st = process();
    for i in super::proptests::ops() {
      let op = &OPS[i];
      if op.args.is_empty() || op.name == "wasm_check" {
        continue;
      }
      let args = (0..op.args.len()).map(|_| Arg::Other).collect();
      let r = (op.call)(&mut st, Args::new(args));
      assert!(
        matches!(r, Err(OpError::InvalidArgType { index: 0, .. })),
        "{}: {:?}",
        op.name,
        r.err()
      );
    }
  }

  #[test]
  fn names_are_unique_and_area_verb() {
    for (i, a) in OPS.iter().enumerate() {
      assert!(a.name.contains('_'), "{}", a.name);
      for b in &OPS[i + 1..] {
        assert_ne!(a.name, b.name);
      }
    }
  }

  #[test]
  fn write_serves_stdout_and_stderr_only() {
    let mut p = process();
    assert_eq!(
      value(run(
        &mut p,
        "stdio_write",
        vec![Arg::Number(1.0), Arg::Str("hi")]
      )),
      Ok(OpValue::Undefined)
    );
    assert_eq!(
      value(run(
        &mut p,
        "stdio_write",
        vec![Arg::Number(7.0), Arg::Str("x")]
      )),
      Err(OpError::Kernel(KernelError::new(Errno::EBADF, "write")))
    );
    assert!(matches!(
      value(run(
        &mut p,
        "stdio_write",
        vec![Arg::Number(1.0), Arg::Number(3.0)]
      )),
      Err(OpError::InvalidArgType {
        index: 1,
        name: "chunk",
        ..
      })
    ));
    let (out, ..) = p.process.stdio.finish();
    assert_eq!(out, b"hi");
  }

  #[test]
  fn random_fill_is_bounded() {
    let mut p = process();
    let mut small = [0u8; 32];
    // SAFETY: `small` outlives the call and is not otherwise used meanwhile.
    let buf = unsafe { GuestBuf::from_raw(small.as_mut_ptr(), small.len()) };
    assert_eq!(
      value(run(&mut p, "random_fill", vec![Arg::Bytes(buf)])),
      Ok(OpValue::Undefined)
    );
    assert_ne!(small, [0u8; 32]);
    let mut big = vec![0u8; MAX_RANDOM_BYTES + 1];
    // SAFETY: as above.
    let buf = unsafe { GuestBuf::from_raw(big.as_mut_ptr(), big.len()) };
    assert!(matches!(
      value(run(&mut p, "random_fill", vec![Arg::Bytes(buf)])),
      Err(OpError::Coded {
        code: "ERR_OUT_OF_RANGE",
        ..
      })
    ));
  }

  #[test]
  fn text_and_urls() {
    let mut p = process();
    assert_eq!(
      value(run(&mut p, "text_utf8_encode", vec![Arg::Str("é")])),
      Ok(OpValue::Bytes(Cow::Owned(vec![0xc3, 0xa9])))
    );
    let mut bad = [0xffu8];
    // SAFETY: `bad` outlives the call.
    let buf = unsafe { GuestBuf::from_raw(bad.as_mut_ptr(), 1) };
    assert!(matches!(
      value(run(
        &mut p,
        "text_utf8_decode",
        vec![Arg::Bytes(buf), Arg::Bool(true)]
      )),
      Err(OpError::Coded {
        code: "ERR_ENCODING_INVALID_ENCODED_DATA",
        ..
      })
    ));
    assert_eq!(
      value(run(&mut p, "url_parse", vec![Arg::Str("nope")])),
      Ok(OpValue::Null)
    );
    let Ok(OpValue::Strings(parts)) = value(run(
      &mut p,
      "url_parse",
      vec![Arg::Str("b?x#y"), Arg::Str("https://a.example/dir/")],
    )) else {
      panic!("no parts")
    };
    assert_eq!(parts[0], "https://a.example/dir/b?x#y");
  }

  #[test]
  fn domains_as_node_gives_them() {
    let mut p = process();
    let mut domain = |name: &str, unicode: bool| match value(run(
      &mut p,
      "url_domain",
      vec![Arg::Str(name), Arg::Bool(unicode)],
    )) {
      Ok(OpValue::Str(s)) => s.into_owned(),
      other => panic!("{other:?}"),
    };
    assert_eq!(domain("español.com", false), "xn--espaol-zwa.com");
    assert_eq!(domain("xn--espaol-zwa.com", true), "español.com");
    assert_eq!(domain("EXAMPLE.com", false), "example.com");
    assert_eq!(domain("", false), "");
    assert_eq!(domain("a b", false), "");
    let Ok(OpValue::Str(ascii)) = value(run(&mut p, "url_to_ascii", vec![Arg::Str("mañana.com")]))
    else {
      panic!("no answer")
    };
    assert_eq!(ascii, "xn--maana-pta.com");
    let big = "a".repeat(super::super::limits::MAX_DOMAIN_BYTES + 1);
    assert!(matches!(
      value(run(
        &mut p,
        "url_domain",
        vec![Arg::Str(&big), Arg::Bool(false)]
      )),
      Err(OpError::Coded {
        code: "ERR_OUT_OF_RANGE",
        ..
      })
    ));
    assert!(matches!(
      value(run(&mut p, "url_to_ascii", vec![Arg::Str(&big)])),
      Err(OpError::Coded {
        code: "ERR_OUT_OF_RANGE",
        ..
      })
    ));
  }

  #[test]
  fn buffer_text_ops_are_bounded() {
    let mut p = process();
    assert_eq!(
      value(run(
        &mut p,
        "text_encode",
        vec![Arg::Str("YWJj"), Arg::Str("base64")]
      )),
      Ok(OpValue::Bytes(Cow::Owned(b"abc".to_vec())))
    );
    let mut bytes = *b"abc";
    // SAFETY: `bytes` outlives the call.
    let buf = unsafe { GuestBuf::from_raw(bytes.as_mut_ptr(), bytes.len()) };
    assert_eq!(
      value(run(
        &mut p,
        "text_decode",
        vec![Arg::Bytes(buf), Arg::Str("hex")]
      )),
      Ok(OpValue::Str(Cow::Owned("616263".into())))
    );
    assert!(matches!(
      value(run(
        &mut p,
        "text_encode",
        vec![Arg::Str("x"), Arg::Str("utf7")]
      )),
      Err(OpError::Coded {
        code: "ERR_UNKNOWN_ENCODING",
        ..
      })
    ));
    let big = "a".repeat(super::super::limits::MAX_TEXT_OP_BYTES + 1);
    assert!(matches!(
      value(run(
        &mut p,
        "text_encode",
        vec![Arg::Str(&big), Arg::Str("hex")]
      )),
      Err(OpError::Coded {
        code: "ERR_OUT_OF_RANGE",
        ..
      })
    ));
    let mut large = vec![0u8; super::super::limits::MAX_TEXT_OP_BYTES + 1];
    // SAFETY: `large` outlives the call.
    let buf = unsafe { GuestBuf::from_raw(large.as_mut_ptr(), large.len()) };
    assert!(matches!(
      value(run(
        &mut p,
        "text_decode",
        vec![Arg::Bytes(buf), Arg::Str("base64")]
      )),
      Err(OpError::Coded {
        code: "ERR_OUT_OF_RANGE",
        ..
      })
    ));
  }

  #[test]
  fn test_ops_need_the_switch() {
    let mut p = process();
    assert_eq!(
      value(run(&mut p, "test_nop", vec![])),
      Err(OpError::Kernel(KernelError::new(Errno::ENOSYS, "test")))
    );
    p.process.test_ops = true;
    assert_eq!(
      value(run(&mut p, "test_nop", vec![])),
      Ok(OpValue::Undefined)
    );
    assert_eq!(
      value(run(&mut p, "test_probe", vec![Arg::Number(2.0)])),
      Ok(OpValue::Number(-2.0))
    );
    let Ok(OpValue::Stat(fields)) = value(run(&mut p, "test_stat", vec![Arg::Number(3.0)])) else {
      panic!("no stat")
    };
    assert_eq!((fields[0], fields[17]), (3.0, 20.0));
    assert_eq!(
      value(run(
        &mut p,
        "test_fail",
        vec![Arg::Number(2.0), Arg::Str("/x")]
      )),
      Err(OpError::Kernel(
        KernelError::new(Errno::ENOENT, "open").path("/x")
      ))
    );
  }

  #[test]
  fn exit_keeps_the_low_byte() {
    let mut p = process();
    let _ = value(run(&mut p, "proc_exit", vec![Arg::Number(259.0)]));
    assert_eq!(p.process.exit_code, Some(3));
    let _ = value(run(&mut p, "proc_exit", vec![Arg::Number(f64::NAN)]));
    assert_eq!(p.process.exit_code, Some(0));
  }
}
