//! Processes the host starts in a runtime outside its calls (`rt.spawn`):
//! the request, and the steps both ways between the sidecar and the JS
//! handle (index.js `GuestProcess`).
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use super::sidecar::{self, Sidecar};
use super::{check_cwd, coded, current_sidecar, lookup, timeout_of};
use crate::ipc::{ProcMsg, SpawnRequest, Stream};

/// What `rt.spawn` starts, as index.js passes it.
#[napi(object)]
pub struct NativeSpawnOptions {
  pub file: String,
  pub args: Vec<String>,
  pub env: Option<HashMap<String, String>>,
  pub cwd: String,
  pub timeout_ms: Option<f64>,
  /// A terminal of `[columns, rows]` as its stdio (`rt.openShell`).
  pub tty: Option<Vec<u32>>,
}

/// A step of a process the host started, for its JS handle.
#[napi(object)]
pub struct NativeProcEvent {
  /// `started` (`pid`), `failed` (`errorCode`, `error`), `data` (`stream`
  /// 1 or 2, `data`), `ack` (the process took `bytes` of stdin),
  /// `stdinClosed`, `exit` (`code`, `signal`) or `crashed` (`error`).
  pub kind: String,
  pub pid: Option<u32>,
  pub stream: Option<u32>,
  pub data: Option<Buffer>,
  pub bytes: Option<u32>,
  pub code: Option<i32>,
  pub signal: Option<u32>,
  pub error: Option<String>,
  pub error_code: Option<String>,
}

impl NativeProcEvent {
  fn of(kind: &str) -> NativeProcEvent {
    NativeProcEvent {
      kind: kind.into(),
      pid: None,
      stream: None,
      data: None,
      bytes: None,
      code: None,
      signal: None,
      error: None,
      error_code: None,
    }
  }
}

type ProcJsFn = ThreadsafeFunction<NativeProcEvent, (), NativeProcEvent, Status, false, true>;

/// A process the host started, as its JS handle holds it: the sidecar it
/// runs in (after a crash the runtime moves on; the process ended there).
#[napi]
pub struct GuestProc {
  rt: u32,
  id: u64,
  sidecar: std::sync::Weak<Sidecar>,
}

#[napi]
impl GuestProc {
  /// Bytes for the process's stdin (the sidecar acknowledges each part
  /// the process takes; index.js keeps at most a window unacknowledged).
  #[napi]
  pub fn write(&self, data: Buffer) {
    self.deliver(ProcMsg::Stdin(data.to_vec()));
  }

  /// The end of the process's stdin.
  #[napi]
  pub fn end(&self) {
    self.deliver(ProcMsg::StdinEnd);
  }

  /// The host read `bytes` of the process's output.
  #[napi]
  pub fn ack(&self, bytes: u32) {
    self.deliver(ProcMsg::Ack(bytes));
  }

  /// The terminal's new size (`rt.openShell`; checked in index.js).
  #[napi]
  pub fn resize(&self, cols: u32, rows: u32) -> Result<()> {
    let cols = tty_size("cols", cols)?;
    let rows = tty_size("rows", rows)?;
    self.deliver(ProcMsg::Resize { cols, rows });
    Ok(())
  }

  /// Sends signal `signal` (1-64) to the process.
  #[napi]
  pub fn kill(&self, signal: u32) {
    if let Ok(sig @ 1..=64) = u8::try_from(signal) {
      self.deliver(ProcMsg::Signal(sig));
    }
  }

  fn deliver(&self, msg: ProcMsg) {
    if let Some(s) = self.sidecar.upgrade() {
      let _ = s.proc_send(self.rt, self.id, msg);
    }
  }
}

/// A terminal's columns or rows, 1 to 10,000.
fn tty_size(name: &str, n: u32) -> Result<u16> {
  match u16::try_from(n) {
    Ok(v) if (1..=crate::kernel::tty::MAX_SIZE).contains(&v) => Ok(v),
    _ => Err(coded(
      "ERR_OUT_OF_RANGE",
      format!(
        "The value of \"{name}\" is out of range. It must be >= 1 && <= {}. Received {n}",
        crate::kernel::tty::MAX_SIZE
      ),
    )),
  }
}

fn event(msg: std::result::Result<ProcMsg, String>) -> Option<NativeProcEvent> {
  let msg = match msg {
    Ok(m) => m,
    Err(why) => {
      let mut e = NativeProcEvent::of("crashed");
      e.error = Some(why);
      return Some(e);
    }
  };
  Some(match msg {
    ProcMsg::Started { pid } => {
      let mut e = NativeProcEvent::of("started");
      e.pid = Some(pid);
      e
    }
    ProcMsg::Failed { code, message } => {
      let mut e = NativeProcEvent::of("failed");
      e.error_code = Some(code);
      e.error = Some(message);
      e
    }
    ProcMsg::Output { stream, data } => {
      let mut e = NativeProcEvent::of("data");
      e.stream = Some(match stream {
        Stream::Stdout => 1,
        Stream::Stderr => 2,
      });
      e.data = Some(data.into());
      e
    }
    ProcMsg::Ack(n) => {
      let mut e = NativeProcEvent::of("ack");
      e.bytes = Some(n);
      e
    }
    ProcMsg::StdinClosed => NativeProcEvent::of("stdinClosed"),
    ProcMsg::Exit { code, signal } => {
      let mut e = NativeProcEvent::of("exit");
      e.code = Some(code);
      e.signal = signal.map(u32::from);
      e
    }
    // The host's own steps never come back.
    ProcMsg::Stdin(_) | ProcMsg::StdinEnd | ProcMsg::Signal(_) | ProcMsg::Resize { .. } => {
      return None
    }
  })
}

/// Starts `options.file` in runtime `handle` outside its calls; `on_event`
/// gets its steps from `started` (or `failed`) to `exit` (or `crashed`).
#[napi]
pub async fn proc_spawn(
  handle: u32,
  options: NativeSpawnOptions,
  on_event: ProcJsFn,
) -> Result<GuestProc> {
  let entry =
    lookup(handle).ok_or_else(|| coded("ERR_SANDBOX_DISPOSED", "The runtime was disposed"))?;
  if entry.disposed.load(Ordering::Acquire) {
    return Err(coded("ERR_SANDBOX_DISPOSED", "The runtime was disposed"));
  }
  check_cwd(&options.cwd)?;
  let timeout_ms = timeout_of(options.timeout_ms)?;
  let mut env: Vec<(String, String)> = options.env.unwrap_or_default().into_iter().collect();
  env.sort();
  let sizes = env.iter().map(|(k, v)| k.len() + v.len() + 1);
  if crate::kernel::child::check_size(&options.file, &options.args, sizes).is_err() {
    return Err(coded(
      "E2BIG",
      format!(
        "spawn {} E2BIG: the arguments and environment are too large",
        options.file
      ),
    ));
  }
  let tty = match options.tty.as_deref() {
    None => None,
    Some(&[cols, rows]) => Some((tty_size("cols", cols)?, tty_size("rows", rows)?)),
    Some(_) => {
      return Err(coded(
        "ERR_INVALID_ARG_VALUE",
        "tty must be [columns, rows]",
      ))
    }
  };
  let sidecar = current_sidecar(&entry).await?;
  let id = sidecar::next_request_id();
  let req = SpawnRequest {
    rt: handle,
    id,
    file: options.file,
    args: options.args,
    env,
    cwd: options.cwd,
    timeout_ms,
    tty,
  };
  let f: sidecar::ProcFn = Arc::new(move |msg| {
    if let Some(ev) = event(msg) {
      on_event.call(ev, ThreadsafeFunctionCallMode::NonBlocking);
    }
  });
  sidecar
    .spawn(req, f)
    .map_err(|e| coded("ERR_SANDBOX_CRASHED", e))?;
  Ok(GuestProc {
    rt: handle,
    id,
    sidecar: Arc::downgrade(&sidecar),
  })
}
