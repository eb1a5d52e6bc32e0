//! Persistent contexts from the host (`rt.createContext()`): a guest
//! process that lives in the runtime's sidecar across calls. Its calls take
//! the runtime's turn like `run()`/`exec()` do; a call that ends it (a
//! limit, an abort, `process.exit()`), `close()`, the runtime's disposal or
//! the death of its sidecar ends it for good, and its later calls are
//! refused with `ERR_SANDBOX_CONTEXT_CLOSED`.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::sidecar::{self, Sidecar};
use super::{
  aborted_outcome, check_code, check_cwd, check_guest_path, coded, current_sidecar,
  disposed_outcome, finish_streamed, kind_name, lookup, special_outcome, stdio_output, timeout_of,
  too_large, turn_unless_aborted, wait_turn, wall_time, FastCall, NativeOutcome, RuntimeEntry,
  StdioFn, HOST_GRACE,
};
use crate::ipc::{ContextCall, ContextRequest, ExitKind};
use crate::kernel::limits::MAX_PERSISTENT_CONTEXTS;

/// What the host knows of one open context.
struct HostContext {
  /// The sidecar it lives in (unset while it starts): a context does not
  /// survive its sidecar.
  sidecar: Option<Weak<Sidecar>>,
  /// The call running in it, for `close()` to stop.
  running: Option<u64>,
  /// `close()` was called while a call ran: that call reports the close.
  closed_while_running: bool,
}

/// The open contexts of every runtime, by runtime handle, then context id.
#[derive(Default)]
struct Registry {
  next_id: u32,
  runtimes: HashMap<u32, HashMap<u32, HostContext>>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

fn with_registry<T>(f: impl FnOnce(&mut Registry) -> T) -> T {
  let mut g = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
  f(g.get_or_insert_with(Registry::default))
}

/// The runtime is disposed: its contexts went with it.
pub(super) fn forget_runtime(handle: u32) {
  with_registry(|r| r.runtimes.remove(&handle));
}

/// Context `ctx` of runtime `handle` could not start: forgotten.
fn forget(handle: u32, ctx: u32) -> Option<HostContext> {
  with_registry(|r| r.runtimes.get_mut(&handle).and_then(|m| m.remove(&ctx)))
}

/// `rt.createContext()` options, as index.js passes them.
#[napi(object)]
pub struct NativeContextOptions {
  /// What `require`, `module`, `__filename` and stack traces are named after.
  pub file_path: String,
  pub env: Option<HashMap<String, String>>,
  pub cwd: String,
  pub argv: Vec<String>,
}

/// A context that started: its id (for later calls) and its pid.
#[napi(object)]
pub struct NativeContext {
  pub id: u32,
  pub pid: u32,
}

/// One call in a context, as index.js passes it.
#[napi(object)]
pub struct NativeContextCall {
  pub code: String,
  pub file_path: String,
  pub timeout_ms: Option<f64>,
}

/// Starts a persistent context in the runtime; resolves its id and pid.
#[napi]
pub async fn create_context(handle: u32, options: NativeContextOptions) -> Result<NativeContext> {
  let Some(entry) = lookup(handle) else {
    return Err(coded(
      "ERR_SANDBOX_DISPOSED",
      "The runtime has been disposed",
    ));
  };
  check_guest_path("filePath", &options.file_path)?;
  check_cwd(&options.cwd)?;
  let mut env: Vec<(String, String)> = options.env.unwrap_or_default().into_iter().collect();
  env.sort();
  // Refused here, with its own error: a request that does not fit a frame
  // (postcard writes a string as its length and its bytes).
  let size = options.file_path.len()
    + options.cwd.len()
    + env
      .iter()
      .map(|(k, v)| k.len() + v.len() + 20)
      .sum::<usize>()
    + options.argv.iter().map(|a| a.len() + 10).sum::<usize>();
  if size > crate::ipc::MAX_IPC_FRAME_BYTES - 1024 {
    return Err(coded(
      "ERR_OUT_OF_RANGE",
      format!(
        "The context's options (env, argv, paths) are larger than {} bytes",
        crate::ipc::MAX_IPC_FRAME_BYTES - 1024
      ),
    ));
  }
  // The bound counts contexts still starting, and none of a sidecar that died
  // (they are closed, and go at their next call or close()).
  let ctx = with_registry(|r| {
    let open = r.runtimes.entry(handle).or_default();
    let live = open
      .values()
      .filter(|c| {
        c.sidecar
          .as_ref()
          .is_none_or(|w| w.upgrade().is_some_and(|s| !s.is_dead()))
      })
      .count();
    if live >= MAX_PERSISTENT_CONTEXTS {
      return None;
    }
    r.next_id = r.next_id.wrapping_add(1).max(1);
    let id = r.next_id;
    r.runtimes.get_mut(&handle)?.insert(
      id,
      HostContext {
        sidecar: None,
        running: None,
        closed_while_running: false,
      },
    );
    Some(id)
  });
  let Some(ctx) = ctx else {
    return Err(coded(
      "ERR_SANDBOX_TOO_MANY_CONTEXTS",
      format!(
        "A runtime may have at most {MAX_PERSISTENT_CONTEXTS} open contexts; close() one first"
      ),
    ));
  };
  let disposed = || entry.disposed.load(std::sync::atomic::Ordering::Acquire);
  let disposed_error = || {
    coded(
      "ERR_SANDBOX_DISPOSED",
      "The runtime was disposed while the context started",
    )
  };
  let started = async {
    // In line with the runtime's calls: a call made after this one finds it.
    let _turn = wait_turn(entry.line_up()).await;
    if disposed() {
      return Err(disposed_error());
    }
    let sidecar = current_sidecar(&entry).await?;
    let req = ContextRequest {
      rt: entry.id,
      id: sidecar::next_request_id(),
      ctx,
      file_path: options.file_path,
      env,
      cwd: options.cwd,
      argv: options.argv,
    };
    // Its size was checked above: a failure to send is the channel's.
    let rx = sidecar
      .open_context(req)
      .map_err(|e| coded("ERR_SANDBOX_CRASHED", e))?;
    let pid = match tokio::time::timeout(sidecar::READY_TIMEOUT, rx).await {
      Ok(Ok(Ok(pid))) => pid,
      Ok(Ok(Err(e))) if sidecar.is_dead() => return Err(coded("ERR_SANDBOX_CRASHED", e)),
      Ok(Ok(Err(e))) => return Err(coded("ERR_SANDBOX_CONTEXT_START", e)),
      _ => {
        return Err(coded(
          "ERR_SANDBOX_CRASHED",
          "the sandbox sidecar did not start the context",
        ))
      }
    };
    Ok((sidecar, pid))
  }
  .await
  // dispose() ends the sidecar under a start: that is what the caller hears.
  .map_err(|e| if disposed() { disposed_error() } else { e });
  match started {
    Ok((sidecar, pid)) => {
      let known =
        with_registry(
          |r| match r.runtimes.get_mut(&handle).and_then(|m| m.get_mut(&ctx)) {
            Some(c) => {
              c.sidecar = Some(Arc::downgrade(&sidecar));
              true
            }
            None => false,
          },
        );
      if !known {
        // Disposed (or the context closed) while it started.
        sidecar.close_context(entry.id, ctx);
        return Err(coded(
          "ERR_SANDBOX_DISPOSED",
          "The runtime was disposed while the context started",
        ));
      }
      tracing::info!(rt = entry.id, ctx, pid, "context created");
      Ok(NativeContext { id: ctx, pid })
    }
    Err(e) => {
      forget(handle, ctx);
      Err(e)
    }
  }
}

fn context_closed(message: &str) -> NativeOutcome {
  let mut o = special_outcome(kind_name(ExitKind::ContextClosed), 1, message.into());
  o.error_code = Some("ERR_SANDBOX_CONTEXT_CLOSED".into());
  o
}

/// Marks (as `errorCode`) the outcome of a call that never started: its
/// context is as it was.
const NOT_STARTED: &str = "ERR_SANDBOX_NOT_STARTED";

/// The outcome `o` of a call aborted before it started.
pub(super) fn not_started(mut o: NativeOutcome) -> NativeOutcome {
  o.error_code = Some(NOT_STARTED.into());
  o
}

/// Call `req` in context `ctx` has the runtime's turn and is about to go to
/// `sidecar` (the runtime's): refused, with the outcome to report, when the
/// context has ended meanwhile (closed, or its sidecar died).
fn admit(
  entry: &RuntimeEntry,
  ctx: u32,
  req: u64,
  sidecar: &Arc<Sidecar>,
) -> std::result::Result<(), Box<NativeOutcome>> {
  with_registry(|r| {
    let m = r.runtimes.get_mut(&entry.id).ok_or_else(|| {
      Box::new(context_closed(
        "The context has ended: the runtime was disposed",
      ))
    })?;
    let c = match m.get_mut(&ctx) {
      Some(c) if !c.closed_while_running => c,
      _ => {
        return Err(Box::new(context_closed(
          "The context has ended: it was closed",
        )))
      }
    };
    let home = c.sidecar.as_ref().and_then(Weak::upgrade);
    let alive = home.is_some_and(|home| Arc::ptr_eq(&home, sidecar) && !home.is_dead());
    if !alive {
      m.remove(&ctx);
      return Err(Box::new(context_closed(
        "The context has ended: its sandbox sidecar process died",
      )));
    }
    c.running = Some(req);
    Ok(())
  })
}

/// Sends a fast call in a context (it holds the runtime's turn) to the
/// sidecar the context lives in; its end comes back as any fast call's.
pub(super) fn dispatch(entry: &Arc<RuntimeEntry>, call: FastCall) {
  let sidecar = entry.sidecar.try_lock().ok().map(|s| s.clone());
  match sidecar {
    Some(s) => send(entry, call, s),
    None => {
      // In use this instant (or being replaced): a task waits for it.
      let entry = entry.clone();
      napi::bindgen_prelude::spawn(async move {
        let s = entry.sidecar.lock().await.clone();
        send(&entry, call, s);
      });
    }
  }
}

fn send(entry: &Arc<RuntimeEntry>, call: FastCall, sidecar: Arc<Sidecar>) {
  let req = call.req;
  let Some(ctx) = call.context else { return };
  // A context lives and dies with its sidecar, and may have been closed
  // while its call waited.
  if let Err(refused) = admit(entry, ctx, req, &sidecar) {
    entry.deliver(req, *refused);
    // Passed on from a task: many refused calls in line must not nest.
    let entry = entry.clone();
    napi::bindgen_prelude::spawn(async move { entry.release_turn() });
    return;
  }
  let deadline = std::time::Instant::now() + call.wall + HOST_GRACE;
  let done = entry.clone();
  sidecar.start_call(
    req,
    &call.frame,
    sidecar::Done::Now(Box::new(move |end| {
      done.finish_fast(req, Some(ctx), Some(end))
    })),
    None,
    Some(deadline),
  );
  super::backstop();
}

/// Does a call that ended as `kind` end its context? Only a normal end and
/// an uncaught exception leave it open.
fn ends_context(kind: &str) -> bool {
  !matches!(kind, "normal" | "uncaught")
}

/// A call in context `ctx` ended as `o`: a context it ended is forgotten
/// here and freed in its sidecar; a call stopped by `close()` says so.
pub(super) fn after_call(entry: &RuntimeEntry, ctx: u32, o: NativeOutcome) -> NativeOutcome {
  let started = o.error_code.as_deref() != Some(NOT_STARTED);
  let ended = started && ends_context(&o.kind);
  let (closed_while_running, home) = with_registry(|r| {
    let Some(m) = r.runtimes.get_mut(&entry.id) else {
      return (false, None);
    };
    let Some(c) = m.get_mut(&ctx) else {
      return (false, None);
    };
    c.running = None;
    let closing = c.closed_while_running;
    let home = c.sidecar.clone();
    if closing || ended {
      m.remove(&ctx);
    }
    (closing, home)
  });
  if ended && !closed_while_running {
    // The sidecar ended it already; its record there goes now.
    if let Some(home) = home.and_then(|w| w.upgrade()) {
      home.close_context(entry.id, ctx);
    }
  }
  if closed_while_running && o.kind == "aborted" {
    return context_closed("The context was closed while the call was running");
  }
  o
}

/// Checks one context call's options and makes its request.
fn call_request(
  entry: &RuntimeEntry,
  ctx: u32,
  req_id: f64,
  options: NativeContextCall,
  stream: bool,
) -> Result<(ContextCall, Duration)> {
  check_code(&options.code)?;
  check_guest_path("filePath", &options.file_path)?;
  let timeout_ms = timeout_of(options.timeout_ms)?;
  let wall = wall_time(entry, timeout_ms);
  let call = ContextCall {
    rt: entry.id,
    req: req_id as u64,
    ctx,
    code: options.code,
    file_path: options.file_path,
    timeout_ms,
    stream,
  };
  Ok((call, wall))
}

fn known(handle: u32, ctx: u32) -> bool {
  with_registry(|r| {
    r.runtimes
      .get(&handle)
      .is_some_and(|m| m.contains_key(&ctx))
  })
}

/// Runs a call in context `ctx` without a task on either side, as `submit`
/// does for `run()`: its outcome comes through the runtime's `onDone`;
/// returned at once only when there is nothing to wait for.
#[napi(catch_unwind)]
pub fn context_submit(
  handle: u32,
  ctx: u32,
  req_id: f64,
  options: NativeContextCall,
) -> Result<Option<NativeOutcome>> {
  let Some(entry) = lookup(handle) else {
    return Ok(Some(disposed_outcome()));
  };
  if entry.done.is_none() {
    return Err(coded("ERR_INTERNAL_ASSERTION", "the runtime has no onDone"));
  }
  let (call, wall) = call_request(&entry, ctx, req_id, options, false)?;
  if !known(handle, ctx) {
    return Ok(Some(context_closed("The context has ended: it was closed")));
  }
  let req = call.req;
  entry.submit_fast(FastCall {
    req,
    frame: sidecar::encode_context_call(call).map_err(too_large)?,
    wall,
    context: Some(ctx),
  });
  Ok(None)
}

/// Runs a call in context `ctx` with its output streamed to `on_stdio`.
#[napi]
pub async fn context_execute(
  handle: u32,
  ctx: u32,
  req_id: f64,
  options: NativeContextCall,
  on_stdio: Option<StdioFn>,
) -> Result<NativeOutcome> {
  let Some(entry) = lookup(handle) else {
    return Ok(disposed_outcome());
  };
  // Its place in line first (taken when the call was made): an error
  // below must give it up.
  let place = entry.place_of(req_id as u64);
  let (call, wall) = call_request(&entry, ctx, req_id, options, on_stdio.is_some())?;
  let id = call.req;
  let Some(_turn) = turn_unless_aborted(&entry, place, id).await else {
    return Ok(not_started(aborted_outcome()));
  };
  let sidecar = entry.sidecar.lock().await.clone();
  if let Err(refused) = admit(&entry, ctx, id, &sidecar) {
    return Ok(*refused);
  }
  let frame = match sidecar::encode_context_call(call) {
    Ok(f) => f,
    Err(e) => {
      after_call(&entry, ctx, not_started(aborted_outcome()));
      return Err(too_large(e));
    }
  };
  let on_stdio = on_stdio.map(Arc::new);
  let rx = sidecar.context_call(id, &frame, stdio_output(&on_stdio));
  let end = finish_streamed(&entry, &sidecar, id, rx, wall, on_stdio).await;
  let outcome = entry.outcome_of(id, end);
  Ok(after_call(&entry, ctx, outcome))
}

/// Ends context `ctx`: a call running in it is stopped, queued ones are
/// refused, and the sidecar frees it. Idempotent.
#[napi(catch_unwind)]
pub fn close_context(handle: u32, ctx: u32) {
  let running = with_registry(|r| {
    let m = r.runtimes.get_mut(&handle)?;
    let c = m.get_mut(&ctx)?;
    if c.running.is_some() {
      // Kept until its call ends, to say why it stopped.
      c.closed_while_running = true;
      return Some((c.running, c.sidecar.clone()));
    }
    m.remove(&ctx).map(|c| (None, c.sidecar))
  });
  let Some((running, home)) = running else {
    return;
  };
  let Some(entry) = lookup(handle) else { return };
  if let Some(req) = running {
    entry.aborted().insert(req);
    entry.abort_notify.notify_waiters();
  }
  // Only the sidecar the context lives in knows it.
  let Some(home) = home.and_then(|w| w.upgrade()) else {
    return;
  };
  if let Some(req) = running {
    home.cancel(entry.id, req);
  }
  home.close_context(entry.id, ctx);
}
