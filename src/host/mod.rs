//! The host side, exported to JavaScript through napi-rs: runtimes, their
//! sidecars, and the calls that run guest code. `index.js` wraps these in
//! the public `NodeRuntime` class.
mod context;
mod dns;
pub(crate) mod mounts;
mod net;
mod pool;
mod process;
mod sidecar;
mod spawn;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use self::sidecar::{CallEnd, FromGuest, Sidecar};
use crate::ipc::{ExecRequest, ExitKind, LandlockStatus, Outcome, RuntimeConfig, Stream};
use crate::kernel::limits::{self, RequestedLimits};

/// Extra time the host gives a sidecar past a guest's wall-clock limit
/// before it kills the process itself (the sidecar's own watchdog should
/// have acted long before).
const HOST_GRACE: Duration = Duration::from_secs(5);

/// Options of `NodeRuntime.create()`, as index.js passes them.
#[napi(object)]
pub struct NativeCreateOptions {
  /// Heap (and, separately, ArrayBuffer) limit in MiB. Default 128.
  pub memory_mb: Option<f64>,
  /// CPU time per call in ms. Default 30000.
  pub cpu_time_ms: Option<f64>,
  /// Wall-clock time per call in ms. Default 60000.
  pub wall_time_ms: Option<f64>,
  /// Captured output per stream in bytes. Default 1 MiB.
  pub max_output_bytes: Option<f64>,
  pub max_fs_bytes: Option<f64>,
  pub max_file_size: Option<f64>,
  pub max_open_files: Option<f64>,
  pub max_path_length: Option<f64>,
  pub max_sockets: Option<f64>,
  pub max_processes: Option<f64>,
  pub max_network_bytes: Option<f64>,
  pub connect_timeout_ms: Option<f64>,
  /// Freeze Date.now and performance.now. Default false.
  pub timing_freeze: Option<bool>,
  /// Host the runtime in the one shared sidecar. Default false.
  pub shared: Option<bool>,
  /// Give the guest the diagnostic ops the test suite and the benchmark
  /// drive (`globalThis.__testOps`). Default false.
  pub test_ops: Option<bool>,
  /// Names of the host tools the guest may call.
  pub tools: Option<Vec<String>>,
  /// The permission rules, as JSON of `kernel::policy::PolicySpec`.
  pub permissions: Option<String>,
  /// The host listens for audit events.
  pub audit: Option<bool>,
  /// `create({ os })`, as JSON of `ipc::OsInfo` fields (checked in index.js).
  pub os: Option<String>,
  /// `create({ mounts })`: JSON `[{ hostPath, guestPath, readOnly }]`.
  pub mounts: Option<String>,
  /// `create({ typescript })`, as JSON of `kernel::typescript::TypeScriptConfig`.
  pub typescript: Option<String>,
}

/// One call, as index.js passes it.
#[napi(object)]
pub struct NativeExecOptions {
  pub code: String,
  pub file_path: String,
  pub timeout_ms: Option<f64>,
  pub env: Option<HashMap<String, String>>,
  pub cwd: String,
  pub argv: Vec<String>,
  pub stdin: Option<Buffer>,
}

/// A chunk of streamed output.
#[napi(object)]
pub struct NativeStdioChunk {
  /// 1 = stdout, 2 = stderr; 0 marks the end of a call's output.
  pub fd: u32,
  pub data: Buffer,
  /// What to pass to `ackOutput` once the listener has taken the chunk.
  pub credit: f64,
}

/// How a call ended; index.js turns this into results and typed errors.
#[napi(object)]
pub struct NativeOutcome {
  /// normal | exit | uncaught | wallTimeout | cpuTimeout | memoryLimit |
  /// aborted | unsettledAwait | internal | crashed | disposed
  pub kind: String,
  pub code: i32,
  pub value: Option<Buffer>,
  /// The main module's exports, when the entry code was ESM.
  pub exports: Option<Buffer>,
  pub error_name: Option<String>,
  pub error_message: Option<String>,
  pub error_stack: Option<String>,
  pub error_code: Option<String>,
  pub stdout: Buffer,
  pub stderr: Buffer,
  pub stdout_truncated: bool,
  pub stderr_truncated: bool,
}

/// What a runtime's guests send the host, as index.js receives it.
#[napi(object)]
pub struct NativeQuery {
  /// Pass back to `answerQuery` (0 for an audit event, which has no answer).
  pub token: f64,
  /// "tool", "permission" or "audit"
  pub kind: String,
  /// The tool's name ("tool").
  pub name: Option<String>,
  /// The tool's arguments, structured-clone bytes made by the guest
  /// engine's own serializer ("tool").
  pub args: Option<Buffer>,
  /// The request ("permission") or the event ("audit"), as JSON.
  pub json: Option<String>,
}

type QueryJsFn = ThreadsafeFunction<NativeQuery, (), NativeQuery, Status, false>;

/// Queries handed to JS and not answered yet: token → (sidecar, its id).
/// token → (the sidecar that asked, its query id).
/// token → (the sidecar that asked, its query id, and for a network
/// permission question the runtime's egress and the destination asked of,
/// so that the function's yes is remembered where connections are made).
type QueryTokens = HashMap<
  u64,
  (
    std::sync::Weak<Sidecar>,
    u64,
    Option<(Arc<net::HostNet>, String)>,
  ),
>;
static QUERY_TOKENS: Mutex<Option<QueryTokens>> = Mutex::new(None);
static NEXT_QUERY_TOKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn query_tokens() -> std::sync::MutexGuard<'static, Option<QueryTokens>> {
  QUERY_TOKENS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands runtime `rt`'s queries on `sidecar` to where they are answered:
/// mount calls here in Rust (on the sidecar's reader thread, with the
/// runtime's `mounts`), tools, permission functions and audit events to the
/// JS function `f`.
fn route_queries(
  sidecar: &Arc<Sidecar>,
  rt: u32,
  f: &Option<Arc<QueryJsFn>>,
  mounts: &Option<Arc<mounts::MountTable>>,
  net: &Option<Arc<net::HostNet>>,
) {
  if f.is_none() && mounts.is_none() && net.is_none() {
    return;
  }
  let f = f.clone();
  let mounts = mounts.clone();
  let net = net.clone();
  let weak = Arc::downgrade(sidecar);
  sidecar.set_query_handler(
    rt,
    Arc::new(move |msg| {
      if let FromGuest::Query { id, query } = &msg {
        if matches!(
          query,
          crate::ipc::Query::Connect { .. }
            | crate::ipc::Query::Resolve { .. }
            | crate::ipc::Query::ResolveRecords { .. }
        ) {
          net::serve(net.clone(), weak.clone(), *id, query.clone());
          return;
        }
      }
      if let FromGuest::Query {
        id,
        query: crate::ipc::Query::Mount { mount, call },
      } = msg
      {
        let result = match &mounts {
          Some(t) => t.serve(mount, call),
          None => Err(libc::EINVAL),
        };
        if let (Some(sc), Ok(bytes)) = (weak.upgrade(), postcard::to_stdvec(&result)) {
          sc.reply(id, Ok(bytes));
        }
        return;
      }
      let Some(f) = &f else {
        if let (FromGuest::Query { id, .. }, Some(sc)) = (&msg, weak.upgrade()) {
          sc.reply(
            *id,
            Err(crate::ipc::HostError {
              name: "Error".into(),
              message: "The host has no handler for this query".into(),
              code: Some("ERR_SANDBOX_HOST_QUERY".into()),
            }),
          );
        }
        return;
      };
      let q = match msg {
        FromGuest::Audit(event) => NativeQuery {
          token: 0.0,
          kind: "audit".into(),
          name: None,
          args: None,
          json: Some(audit_json(&event)),
        },
        FromGuest::Query { id, query } => {
          let token = NEXT_QUERY_TOKEN.fetch_add(1, Ordering::Relaxed);
          let approval = match &query {
            crate::ipc::Query::Permission(r)
              if r.scope == crate::kernel::policy::Scope::Network =>
            {
              net.clone().map(|n| (n, r.target.clone()))
            }
            _ => None,
          };
          query_tokens()
            .get_or_insert_with(HashMap::new)
            .insert(token, (weak.clone(), id, approval));
          match query {
            crate::ipc::Query::Tool { name, args } => NativeQuery {
              token: token as f64,
              kind: "tool".into(),
              name: Some(name),
              args: Some(args.into()),
              json: None,
            },
            crate::ipc::Query::Permission(req) => NativeQuery {
              token: token as f64,
              kind: "permission".into(),
              name: None,
              args: None,
              json: Some(request_json(&req).to_string()),
            },
            crate::ipc::Query::Mount { .. }
            | crate::ipc::Query::Connect { .. }
            | crate::ipc::Query::Resolve { .. }
            | crate::ipc::Query::ResolveRecords { .. } => return,
          }
        }
      };
      // Queued for the JS thread; no lock is held while user code runs.
      f.call(q, ThreadsafeFunctionCallMode::NonBlocking);
    }),
  );
}

/// A permission request as the host's function receives it.
fn request_json(r: &crate::ipc::PermissionRequest) -> serde_json::Value {
  use crate::kernel::policy::Scope;
  let mut v = serde_json::json!({ "scope": r.scope.name(), "op": r.op });
  match r.scope {
    Scope::Fs => {
      v["access"] = r.access.map_or("read", |a| a.name()).into();
      v["path"] = r.target.clone().into();
    }
    _ => v["name"] = r.target.clone().into(),
  }
  v
}

/// An audit event as `onAudit` receives it.
fn audit_json(e: &crate::ipc::AuditEvent) -> String {
  use crate::ipc::AuditEvent;
  match e {
    AuditEvent::Permission {
      pid,
      request,
      allowed,
      rule,
    } => {
      let mut v = request_json(request);
      v["type"] = "permission".into();
      v["pid"] = (*pid).into();
      v["allowed"] = (*allowed).into();
      v["rule"] = rule.clone().into();
      v
    }
    AuditEvent::Limit {
      pid,
      limit,
      op,
      target,
    } => {
      serde_json::json!({ "type": "limit", "pid": pid, "limit": limit, "op": op, "target": target })
    }
    AuditEvent::Dropped { pid, after } => {
      serde_json::json!({ "type": "dropped", "pid": pid, "after": after })
    }
  }
  .to_string()
}

/// The host's answer to a guest query: the result's structured-clone bytes,
/// or the error the host's code threw (name, message, code; no stack).
#[napi(catch_unwind)]
pub fn answer_query(
  token: f64,
  value: Option<Buffer>,
  error_name: Option<String>,
  error_message: Option<String>,
  error_code: Option<String>,
) {
  let Some((sidecar, id, approval)) = query_tokens()
    .as_mut()
    .and_then(|m| m.remove(&(token as u64)))
  else {
    return;
  };
  // The host's function allowed a destination: connections to it may be
  // made (the host does not take the sidecar's word for it).
  if let (Some((net, target)), Some(v)) = (approval, &value) {
    if error_message.is_none() && v.first() == Some(&1) {
      net.approve(&target);
    }
  }
  let Some(sidecar) = sidecar.upgrade() else {
    return;
  };
  let reply = match value {
    Some(v) if error_message.is_none() => Ok(v.to_vec()),
    _ => Err(crate::ipc::HostError {
      name: error_name.unwrap_or_else(|| "Error".into()),
      message: error_message.unwrap_or_default(),
      code: error_code,
    }),
  };
  sidecar.reply(id, reply);
}

struct RuntimeEntry {
  id: u32,
  on_query: Option<Arc<QueryJsFn>>,
  mounts: Option<Arc<mounts::MountTable>>,
  net: Option<Arc<net::HostNet>>,
  shared: bool,
  config: RuntimeConfig,
  sidecar: tokio::sync::Mutex<Arc<Sidecar>>,
  disposed: AtomicBool,
  /// Calls of a runtime run one at a time, in the order they were made: a
  /// call holds the turn from when it is sent to the sidecar until it ends
  /// (so its time limits start only then), and the others wait here.
  turns: Mutex<Turns>,
  /// Hands a fast call's outcome to the JS thread (`submit`).
  done: Option<DoneFn>,
  /// Places in line taken by `reserve_turn` for the `execute` of that id.
  reserved: Mutex<HashMap<u64, Reserved>>,
  /// Calls whose AbortSignal fired (queued ones are dropped before they start).
  aborted: Mutex<HashSet<u64>>,
  abort_notify: tokio::sync::Notify,
}

/// A step of a host connection to a guest server, for its JS socket.
#[napi(object)]
pub struct NativeBridgeEvent {
  /// `opened`, `data`, `ack` (the guest took `bytes` of the host's), `end`
  /// or `closed`.
  pub kind: String,
  pub data: Option<Buffer>,
  pub bytes: Option<u32>,
  pub error: Option<String>,
}

type BridgeJsFn = ThreadsafeFunction<NativeBridgeEvent, (), NativeBridgeEvent, Status, false, true>;

static NEXT_BRIDGE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A host connection to a guest server, as its JS socket holds it: the
/// sidecar it was opened on (not the runtime's current one: after a crash
/// that sidecar ended it), so no table of them is kept here.
#[napi]
pub struct BridgeConn {
  rt: u32,
  conn: u64,
  sidecar: std::sync::Weak<Sidecar>,
}

#[napi]
impl BridgeConn {
  /// Sends the host's bytes (`data`), its end (`data` null and `end`) or
  /// its close.
  #[napi]
  pub fn send(&self, data: Option<Buffer>, end: bool) {
    let msg = match (data, end) {
      (Some(d), _) => crate::ipc::BridgeMsg::Data(d.to_vec()),
      (None, true) => crate::ipc::BridgeMsg::End,
      (None, false) => crate::ipc::BridgeMsg::Closed { error: None },
    };
    self.deliver(msg);
  }

  /// The host's reader took `bytes` of the guest's data (the sidecar sends
  /// at most a window more than it was told of).
  #[napi]
  pub fn ack(&self, bytes: u32) {
    self.deliver(crate::ipc::BridgeMsg::Ack(bytes));
  }

  fn deliver(&self, msg: crate::ipc::BridgeMsg) {
    if let Some(sidecar) = self.sidecar.upgrade() {
      let _ = sidecar.bridge_send(self.rt, self.conn, msg);
    }
  }
}

/// Opens a connection from the host to port `port` of runtime `handle`'s
/// loopback (a guest server): its id. `on_event` gets `opened`, the
/// guest's `data` and `end`, and `closed` (with an error if it failed).
#[napi(catch_unwind)]
pub fn bridge_open(handle: u32, port: u32, on_event: BridgeJsFn) -> Result<BridgeConn> {
  let entry =
    lookup(handle).ok_or_else(|| coded("ERR_SANDBOX_DISPOSED", "The runtime was disposed"))?;
  if entry.disposed.load(Ordering::Acquire) {
    return Err(coded("ERR_SANDBOX_DISPOSED", "The runtime was disposed"));
  }
  let port = u16::try_from(port).ok().filter(|p| *p > 0).ok_or_else(|| {
    coded(
      "ERR_SOCKET_BAD_PORT",
      format!("Port should be > 0 and < 65536. Received {port}."),
    )
  })?;
  let sidecar = entry
    .sidecar
    .try_lock()
    .ok()
    .map(|s| s.clone())
    .filter(|s| !s.is_dead())
    .ok_or_else(|| {
      coded(
        "ECONNREFUSED",
        format!("connect ECONNREFUSED 127.0.0.1:{port} (the runtime's sidecar is not running)"),
      )
    })?;
  let conn = NEXT_BRIDGE.fetch_add(1, Ordering::Relaxed);
  let f: sidecar::BridgeFn = Arc::new(move |msg| {
    let ev = match msg {
      crate::ipc::BridgeMsg::Opened => NativeBridgeEvent {
        kind: "opened".into(),
        data: None,
        bytes: None,
        error: None,
      },
      crate::ipc::BridgeMsg::Data(d) => NativeBridgeEvent {
        kind: "data".into(),
        data: Some(d.into()),
        bytes: None,
        error: None,
      },
      crate::ipc::BridgeMsg::End => NativeBridgeEvent {
        kind: "end".into(),
        data: None,
        bytes: None,
        error: None,
      },
      crate::ipc::BridgeMsg::Closed { error } => NativeBridgeEvent {
        kind: "closed".into(),
        data: None,
        bytes: None,
        error,
      },
      crate::ipc::BridgeMsg::Ack(n) => NativeBridgeEvent {
        kind: "ack".into(),
        data: None,
        bytes: Some(n),
        error: None,
      },
      crate::ipc::BridgeMsg::Open { .. } => return,
    };
    on_event.call(ev, ThreadsafeFunctionCallMode::NonBlocking);
  });
  sidecar
    .bridge_open(handle, conn, port, f)
    .map_err(|e| coded("ECONNREFUSED", e))?;
  Ok(BridgeConn {
    rt: handle,
    conn,
    sidecar: Arc::downgrade(&sidecar),
  })
}

/// A fast call's outcome, for the runtime's `onDone` function.
#[napi(object)]
pub struct NativeDone {
  pub req: f64,
  pub outcome: NativeOutcome,
}

type DoneFn = ThreadsafeFunction<NativeDone, (), NativeDone, Status, false, true>;

/// Who has a runtime's turn, and who waits for it.
#[derive(Default)]
struct Turns {
  busy: bool,
  queue: std::collections::VecDeque<Queued>,
}

enum Queued {
  /// A call sent as soon as the turn is free, by whichever thread frees it.
  Fast(FastCall),
  /// A task waiting to run a call itself (streamed output, a new sidecar).
  Task(tokio::sync::oneshot::Sender<Turn>),
}

struct FastCall {
  req: u64,
  /// Its `ToSidecar::Execute` frame, encoded when it was made.
  frame: Vec<u8>,
  wall: Duration,
  /// The persistent context it runs in (its frame is a `ContextCall`).
  context: Option<u32>,
}

/// A place in line, taken when a call was made (see `reserve_turn`).
enum Reserved {
  Now(Turn),
  Later(tokio::sync::oneshot::Receiver<Turn>),
}

/// A runtime's turn; the next waiter gets it when this is dropped.
struct Turn(Option<Arc<RuntimeEntry>>);

impl Drop for Turn {
  fn drop(&mut self) {
    if let Some(entry) = self.0.take() {
      entry.release_turn();
    }
  }
}

impl RuntimeEntry {
  fn turns(&self) -> std::sync::MutexGuard<'_, Turns> {
    self.turns.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// A place in line for a task: the turn now, or a promise of it.
  fn line_up(self: &Arc<Self>) -> Reserved {
    let mut t = self.turns();
    if !t.busy {
      t.busy = true;
      drop(t);
      Reserved::Now(Turn(Some(self.clone())))
    } else {
      let (tx, rx) = tokio::sync::oneshot::channel();
      t.queue.push_back(Queued::Task(tx));
      Reserved::Later(rx)
    }
  }

  fn reserved(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Reserved>> {
    self.reserved.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// The place `req` took in line when it was made (or one at the end).
  fn place_of(self: &Arc<Self>, req: u64) -> Reserved {
    let place = self.reserved().remove(&req);
    place.unwrap_or_else(|| self.line_up())
  }

  /// The turn is free: the next fast call goes to the sidecar now, or the
  /// next waiting task gets it.
  fn release_turn(self: &Arc<Self>) {
    loop {
      let next = {
        let mut t = self.turns();
        match t.queue.pop_front() {
          Some(q) => q,
          None => {
            t.busy = false;
            return;
          }
        }
      };
      match next {
        Queued::Fast(call) => return self.dispatch(call),
        Queued::Task(tx) => match tx.send(Turn(Some(self.clone()))) {
          Ok(()) => return,
          // That task stopped waiting (its call was aborted): the next.
          Err(mut turn) => turn.0 = None,
        },
      }
    }
  }

  /// Sends `call` now if the runtime's turn is free, or puts it in line.
  fn submit_fast(self: &Arc<Self>, call: FastCall) {
    let now = {
      let mut t = self.turns();
      if t.busy {
        t.queue.push_back(Queued::Fast(call));
        None
      } else {
        t.busy = true;
        Some(call)
      }
    };
    if let Some(call) = now {
      self.dispatch(call);
    }
  }

  /// Sends a fast call that holds the turn. Its end, on the sidecar's
  /// reader thread, passes the turn on and the outcome to the JS thread.
  fn dispatch(self: &Arc<Self>, call: FastCall) {
    let req = call.req;
    let ctx = call.context;
    if self.disposed.load(Ordering::Acquire) {
      self.finish_fast(req, ctx, None);
      return;
    }
    if ctx.is_some() {
      return context::dispatch(self, call);
    }
    let sidecar = self
      .sidecar
      .try_lock()
      .ok()
      .map(|s| s.clone())
      .filter(|s| !s.is_dead());
    let Some(sidecar) = sidecar else {
      // The sidecar died (or is being replaced): a task starts a new one.
      let entry = self.clone();
      napi::bindgen_prelude::spawn(async move {
        let end = match current_sidecar(&entry).await {
          Ok(s) => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let deadline = std::time::Instant::now() + call.wall + HOST_GRACE;
            s.start_call(
              req,
              &call.frame,
              sidecar::Done::Task(tx),
              None,
              Some(deadline),
            );
            rx.await.ok()
          }
          Err(e) => Some(CallEnd::Crashed {
            message: e.reason.clone(),
            fatal: None,
          }),
        };
        entry.finish_fast(req, ctx, end);
      });
      backstop();
      return;
    };
    let entry = self.clone();
    let deadline = std::time::Instant::now() + call.wall + HOST_GRACE;
    sidecar.start_call(
      req,
      &call.frame,
      sidecar::Done::Now(Box::new(move |end| entry.finish_fast(req, ctx, Some(end)))),
      None,
      Some(deadline),
    );
    backstop();
  }

  /// A fast call ended: its mount files close, the turn passes on, and its
  /// outcome goes to the JS thread.
  fn finish_fast(self: &Arc<Self>, req: u64, ctx: Option<u32>, end: Option<CallEnd>) {
    if let Some(m) = &self.mounts {
      m.close_all();
    }
    let mut outcome = self.outcome_of(req, end);
    if let Some(ctx) = ctx {
      outcome = context::after_call(self, ctx, outcome);
    }
    self.release_turn();
    self.deliver(req, outcome);
  }

  fn deliver(&self, req: u64, outcome: NativeOutcome) {
    if let Some(done) = &self.done {
      done.call(
        NativeDone {
          req: req as f64,
          outcome,
        },
        ThreadsafeFunctionCallMode::NonBlocking,
      );
    }
  }

  /// What the host says about a call that ended as `end` (`None`: the
  /// sidecar dropped it).
  fn outcome_of(&self, id: u64, end: Option<CallEnd>) -> NativeOutcome {
    let aborted = self.take_aborted(id);
    let disposed = self.disposed.load(Ordering::Acquire);
    let gone = || {
      special_outcome(
        "disposed",
        1,
        "The runtime was disposed while the call was running".into(),
      )
    };
    match end {
      // Stopped by the dispose (a shared sidecar answers so), not by the
      // caller's own abort, or sent after it (the sidecar no longer knows
      // the runtime).
      Some(CallEnd::Completed(o))
        if disposed && !aborted && matches!(o.kind, ExitKind::Aborted | ExitKind::Internal) =>
      {
        gone()
      }
      Some(CallEnd::Completed(o)) => outcome_to_js(*o),
      _ if disposed => gone(),
      Some(CallEnd::Crashed {
        fatal: Some(kind),
        message,
      }) => {
        let mut o = special_outcome(kind_name(kind), exit_code_of(kind), message);
        o.error_code = Some("ERR_SANDBOX_RECYCLED".into());
        o
      }
      Some(CallEnd::Crashed {
        message,
        fatal: None,
      }) => special_outcome("crashed", 1, message),
      None => special_outcome("crashed", 1, "the sandbox sidecar dropped the call".into()),
    }
  }

  fn aborted(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
    self.aborted.lock().unwrap_or_else(|e| e.into_inner())
  }

  /// Forgets `req`'s abort; true when it had been aborted.
  fn take_aborted(&self, req: u64) -> bool {
    self.aborted().remove(&req)
  }

  async fn wait_aborted(&self, req: u64) {
    loop {
      let notified = self.abort_notify.notified();
      if self.aborted().contains(&req) {
        return;
      }
      notified.await;
    }
  }

  /// Runs `f` with the runtime's current sidecar; later, off this thread,
  /// when a call is replacing the sidecar right now.
  fn with_sidecar(self: Arc<Self>, f: impl FnOnce(&Sidecar, u32) + Send + 'static) {
    let now = self.sidecar.try_lock().ok().map(|s| s.clone());
    match now {
      Some(s) => f(&s, self.id),
      None => {
        napi::bindgen_prelude::spawn(async move {
          let s = self.sidecar.lock().await.clone();
          f(&s, self.id);
        });
      }
    }
  }
}

static NEXT_RUNTIME: AtomicU32 = AtomicU32::new(1);
static RUNTIMES: Mutex<Option<HashMap<u32, Arc<RuntimeEntry>>>> = Mutex::new(None);

fn runtimes() -> std::sync::MutexGuard<'static, Option<HashMap<u32, Arc<RuntimeEntry>>>> {
  RUNTIMES.lock().unwrap_or_else(|e| e.into_inner())
}

fn lookup(handle: u32) -> Option<Arc<RuntimeEntry>> {
  runtimes().as_ref().and_then(|m| m.get(&handle).cloned())
}

/// An error whose Node-style code index.js lifts from the `[CODE] ` prefix
/// into `err.code`.
fn coded(code: &str, msg: impl Into<String>) -> Error {
  Error::new(Status::GenericFailure, format!("[{code}] {}", msg.into()))
}

async fn attach(sidecar: &Arc<Sidecar>, rt: u32, config: &RuntimeConfig) -> Result<()> {
  let rx = sidecar
    .create_runtime(rt, config.clone())
    .map_err(|e| coded("ERR_SANDBOX_CRASHED", e))?;
  match tokio::time::timeout(sidecar::READY_TIMEOUT, rx).await {
    Ok(Ok(Ok(()))) => Ok(()),
    Ok(Ok(Err(e))) => Err(coded("ERR_SANDBOX_CRASHED", e)),
    _ => Err(coded(
      "ERR_SANDBOX_CRASHED",
      "the sandbox sidecar did not create the runtime",
    )),
  }
}

async fn sidecar_for(shared: bool) -> Result<Arc<Sidecar>> {
  let r = if shared {
    pool::shared().await
  } else {
    pool::take_dedicated().await
  };
  r.map_err(|e| coded("ERR_SANDBOX_START", e))
}

/// A runtime's settings as `create()` was given them, checked.
struct CreateSpec {
  config: RuntimeConfig,
  mounts: Option<Arc<mounts::MountTable>>,
  /// Egress, when the network policy may allow some.
  net: Option<Arc<net::HostNet>>,
  shared: bool,
}

fn create_spec(options: NativeCreateOptions) -> Result<CreateSpec> {
  let limits = RequestedLimits {
    memory_mb: options.memory_mb,
    cpu_time_ms: options.cpu_time_ms,
    wall_time_ms: options.wall_time_ms,
    max_output_bytes: options.max_output_bytes,
    max_fs_bytes: options.max_fs_bytes,
    max_file_size: options.max_file_size,
    max_open_files: options.max_open_files,
    max_path_length: options.max_path_length,
    max_sockets: options.max_sockets,
    max_processes: options.max_processes,
    max_network_bytes: options.max_network_bytes,
    connect_timeout_ms: options.connect_timeout_ms,
  };
  let mut config = limits
    .resolve(options.timing_freeze.unwrap_or(false))
    .map_err(|e| coded("ERR_OUT_OF_RANGE", e.to_string()))?;
  let shared = options.shared.unwrap_or(false);
  config.dedicated = !shared;
  config.test_ops = options.test_ops.unwrap_or(false);
  config.tools = options.tools.unwrap_or_default();
  if let Some(json) = options.permissions {
    let spec: crate::kernel::policy::PolicySpec = serde_json::from_str(&json)
      .map_err(|e| coded("ERR_INVALID_ARG_VALUE", format!("options.permissions: {e}")))?;
    // Refused here, with the host's own error, rather than by the sidecar.
    crate::kernel::policy::Policy::new(&spec).map_err(|e| coded("ERR_INVALID_ARG_VALUE", e))?;
    config.permissions = spec;
  }
  config.audit = options.audit.unwrap_or(false);
  if let Some(json) = options.os {
    let v: serde_json::Value = serde_json::from_str(&json)
      .map_err(|e| coded("ERR_INVALID_ARG_VALUE", format!("options.os: {e}")))?;
    let text = |k: &str, max: usize| -> Result<Option<String>> {
      match v.get(k) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if !s.is_empty() && s.len() <= max && !s.contains(['\0', '/', '\n']) => Ok(Some(s.clone())),
        Some(_) => Err(coded("ERR_INVALID_ARG_VALUE", format!("The property 'options.os.{k}' must be a non-empty string of at most {max} bytes without '/', newlines or NUL"))),
      }
    };
    if let Some(h) = text("hostname", 64)? {
      config.os.hostname = h;
    }
    if let Some(m) = text("cpuModel", 256)? {
      config.os.cpu_model = m;
    }
    if let Some(r) = text("release", 256)? {
      config.os.release = r;
    }
    if let Some(u) = text("username", 64)? {
      config.os.username = u;
    }
    if let Some(n) = v.get("cpus").and_then(|n| n.as_f64()) {
      if !(1.0..=1024.0).contains(&n) || n.fract() != 0.0 {
        return Err(coded("ERR_OUT_OF_RANGE", format!("The value of \"options.os.cpus\" is out of range. It must be an integer >= 1 && <= 1024. Received {n}")));
      }
      config.os.cpus = n as u32;
    }
    if let Some(n) = v.get("totalmem").and_then(|n| n.as_f64()) {
      if !(1.0..=(1u64 << 50) as f64).contains(&n) {
        return Err(coded("ERR_OUT_OF_RANGE", format!("The value of \"options.os.totalmem\" is out of range. It must be >= 1 && <= 2 ** 50. Received {n}")));
      }
      config.os.totalmem = n as u64;
    }
  }
  if let Some(json) = options.typescript {
    let ts: crate::kernel::typescript::TypeScriptConfig = serde_json::from_str(&json)
      .map_err(|e| coded("ERR_INVALID_ARG_VALUE", format!("options.typescript: {e}")))?;
    ts.check()
      .map_err(|e| coded("ERR_INVALID_ARG_VALUE", format!("options.typescript: {e}")))?;
    config.typescript = ts;
  }
  let mounts = match options.mounts {
    Some(json) => {
      let (specs, requests) =
        mounts::parse(&json).map_err(|e| coded("ERR_INVALID_ARG_VALUE", e))?;
      let table = mounts::MountTable::open(&requests).map_err(|e| coded("ERR_SANDBOX_MOUNT", e))?;
      config.mounts = specs;
      (!config.mounts.is_empty()).then(|| Arc::new(table))
    }
    None => None,
  };
  let net = net::HostNet::new(&config).map_err(|e| coded("ERR_INVALID_ARG_VALUE", e))?;
  let net = net.may_connect().then(|| Arc::new(net));
  Ok(CreateSpec {
    config,
    mounts,
    net,
    shared,
  })
}

impl RuntimeEntry {
  fn new(
    id: u32,
    spec: CreateSpec,
    sidecar: Arc<Sidecar>,
    on_query: Option<Arc<QueryJsFn>>,
    on_done: Option<DoneFn>,
  ) -> RuntimeEntry {
    RuntimeEntry {
      id,
      on_query,
      mounts: spec.mounts,
      net: spec.net,
      shared: spec.shared,
      config: spec.config,
      sidecar: tokio::sync::Mutex::new(sidecar),
      disposed: AtomicBool::new(false),
      turns: Mutex::new(Turns::default()),
      done: on_done,
      reserved: Mutex::new(HashMap::new()),
      aborted: Mutex::new(HashSet::new()),
      abort_notify: tokio::sync::Notify::new(),
    }
  }
}

fn mode_name(shared: bool) -> &'static str {
  if shared {
    "shared"
  } else {
    "dedicated"
  }
}

/// Creates a runtime; resolves its handle. `on_query` answers its guests'
/// queries (host tools) through `answerQuery`.
#[napi]
pub async fn create_runtime(
  options: NativeCreateOptions,
  on_query: Option<QueryJsFn>,
  on_done: Option<DoneFn>,
) -> Result<u32> {
  // Every other entry point needs a runtime: this is the host's first use.
  crate::log::init(crate::log::Side::Host);
  let spec = create_spec(options)?;
  let on_query = on_query.map(Arc::new);
  let id = NEXT_RUNTIME.fetch_add(1, Ordering::Relaxed);
  let shared = spec.shared;
  let sidecar = sidecar_for(shared).await?;
  route_queries(&sidecar, id, &on_query, &spec.mounts, &spec.net);
  let attached = attach(&sidecar, id, &spec.config).await;
  if !shared {
    pool::refill();
  }
  let mode = mode_name(shared);
  if attached.is_err() {
    // Its error may quote a crashed sidecar's stderr: not logged here.
    tracing::warn!(rt = id, pid = sidecar.pid, mode, "runtime not created");
  }
  attached?;
  tracing::info!(rt = id, pid = sidecar.pid, mode, "runtime created");
  let entry = Arc::new(RuntimeEntry::new(id, spec, sidecar, on_query, on_done));
  runtimes()
    .get_or_insert_with(HashMap::new)
    .insert(id, entry);
  Ok(id)
}

/// `create()` without waiting, when a started sidecar of its own is at
/// hand (a dedicated runtime and a warm pool): the request goes to it from
/// this (JS) thread and the handle is returned at once. The runtime's calls
/// reach the sidecar after it, in order. If the sidecar then cannot make
/// the runtime (or does not answer in time), it is ended with that reason:
/// the calls in flight fail with it, and the next call moves the runtime
/// to a new sidecar. `None`: no sidecar is ready; `createRuntime` waits.
#[napi(catch_unwind)]
pub fn create_runtime_now(
  options: NativeCreateOptions,
  on_query: Option<QueryJsFn>,
  on_done: DoneFn,
) -> Result<Option<u32>> {
  crate::log::init(crate::log::Side::Host);
  let spec = create_spec(options)?;
  if spec.shared {
    return Ok(None);
  }
  let Some(sidecar) = pool::take_ready_now() else {
    return Ok(None);
  };
  let on_query = on_query.map(Arc::new);
  let id = NEXT_RUNTIME.fetch_add(1, Ordering::Relaxed);
  route_queries(&sidecar, id, &on_query, &spec.mounts, &spec.net);
  let pid = sidecar.pid;
  let weak = Arc::downgrade(&sidecar);
  let created: sidecar::Created = Box::new(move |r| match r {
    Ok(()) => tracing::info!(rt = id, pid, mode = "dedicated", "runtime created"),
    Err(e) => {
      tracing::warn!(rt = id, pid, mode = "dedicated", "runtime not created");
      if let Some(s) = weak.upgrade() {
        s.kill_for(format!("it could not create the runtime ({e})"));
      }
    }
  });
  backstop();
  let deadline = std::time::Instant::now() + sidecar::READY_TIMEOUT;
  sidecar
    .create_runtime_then(
      sidecar::next_request_id(),
      id,
      spec.config.clone(),
      created,
      Some(deadline),
    )
    .map_err(|e| coded("ERR_SANDBOX_CRASHED", e))?;
  pool::refill();
  let entry = Arc::new(RuntimeEntry::new(
    id,
    spec,
    sidecar,
    on_query,
    Some(on_done),
  ));
  runtimes()
    .get_or_insert_with(HashMap::new)
    .insert(id, entry);
  Ok(Some(id))
}

/// The OS pid of the sidecar process that hosts the runtime.
#[napi(catch_unwind)]
pub fn runtime_pid(handle: u32) -> Option<u32> {
  let entry = lookup(handle)?;
  let s = entry.sidecar.try_lock().ok()?;
  Some(s.pid)
}

/// How the sidecar process hosting a runtime is confined.
#[napi(object)]
pub struct NativeHardening {
  /// The seccomp filter is installed on every thread.
  pub seccomp: bool,
  /// "full" | "partial" | "unsupported"
  pub landlock: String,
  /// `no_new_privs` is set.
  pub no_new_privs: bool,
  /// errno of opening `/` right after restricting (13, EACCES, under Landlock).
  pub fs_probe_errno: i32,
}

/// What the sidecar that hosts the runtime restricted about itself.
#[napi(catch_unwind)]
pub fn runtime_hardening(handle: u32) -> Option<NativeHardening> {
  let entry = lookup(handle)?;
  let h = entry.sidecar.try_lock().ok()?.hardening()?;
  Some(NativeHardening {
    seccomp: h.seccomp,
    landlock: match h.landlock {
      LandlockStatus::Full => "full",
      LandlockStatus::Partial => "partial",
      LandlockStatus::Unsupported => "unsupported",
    }
    .into(),
    no_new_privs: h.no_new_privs,
    fs_probe_errno: h.fs_probe_errno,
  })
}

fn kind_name(k: ExitKind) -> &'static str {
  match k {
    ExitKind::Normal => "normal",
    ExitKind::Exit => "exit",
    ExitKind::Uncaught => "uncaught",
    ExitKind::WallTimeout => "wallTimeout",
    ExitKind::CpuTimeout => "cpuTimeout",
    ExitKind::MemoryLimit => "memoryLimit",
    ExitKind::Aborted => "aborted",
    ExitKind::UnsettledAwait => "unsettledAwait",
    ExitKind::Internal => "internal",
    ExitKind::ContextClosed => "contextClosed",
  }
}

fn exit_code_of(k: ExitKind) -> i32 {
  use crate::sidecar::exit_codes as c;
  match k {
    ExitKind::WallTimeout | ExitKind::CpuTimeout => c::EXIT_TIMEOUT,
    ExitKind::MemoryLimit => c::EXIT_MEMORY,
    ExitKind::Aborted => c::EXIT_ABORTED,
    _ => 70,
  }
}

fn outcome_to_js(o: Outcome) -> NativeOutcome {
  let (name, message, stack, code) = match o.error {
    Some(e) => (Some(e.name), Some(e.message), Some(e.stack), e.code),
    None => (None, None, None, None),
  };
  NativeOutcome {
    kind: kind_name(o.kind).into(),
    code: o.code,
    value: o.value.map(Buffer::from),
    exports: o.exports.map(Buffer::from),
    error_name: name,
    error_message: message,
    error_stack: stack,
    error_code: code,
    stdout: o.stdout.into(),
    stderr: o.stderr.into(),
    stdout_truncated: o.stdout_truncated,
    stderr_truncated: o.stderr_truncated,
  }
}

fn special_outcome(kind: &str, code: i32, message: String) -> NativeOutcome {
  NativeOutcome {
    kind: kind.into(),
    code,
    value: None,
    exports: None,
    error_name: None,
    error_message: Some(message),
    error_stack: None,
    error_code: None,
    stdout: Vec::new().into(),
    stderr: Vec::new().into(),
    stdout_truncated: false,
    stderr_truncated: false,
  }
}

/// Chunks of streamed output waiting for the JS thread. When the listener
/// falls behind, the sidecar's reader blocks, the socket fills, and the
/// guest waits at its next write: memory stays bounded end to end.
const STDIO_QUEUE_CHUNKS: usize = 64;

type StdioFn = ThreadsafeFunction<
  NativeStdioChunk,
  (),
  NativeStdioChunk,
  Status,
  false,
  true,
  STDIO_QUEUE_CHUNKS,
>;

fn aborted_outcome() -> NativeOutcome {
  special_outcome("aborted", 130, "The operation was aborted".into())
}

/// Checks one call's options and makes its request.
fn exec_request(
  entry: &RuntimeEntry,
  req_id: f64,
  options: NativeExecOptions,
  stream: bool,
) -> Result<(ExecRequest, Duration)> {
  check_code(&options.code)?;
  check_guest_path("filePath", &options.file_path)?;
  check_cwd(&options.cwd)?;
  if options
    .stdin
    .as_ref()
    .is_some_and(|s| s.len() > limits::MAX_STDIN_BYTES)
  {
    return Err(coded(
      "ERR_OUT_OF_RANGE",
      format!("stdin exceeds {} bytes", limits::MAX_STDIN_BYTES),
    ));
  }
  let timeout_ms = timeout_of(options.timeout_ms)?;
  let mut env: Vec<(String, String)> = options.env.unwrap_or_default().into_iter().collect();
  env.sort();
  let wall = wall_time(entry, timeout_ms);
  let req = ExecRequest {
    rt: entry.id,
    req: req_id as u64,
    code: options.code,
    file_path: options.file_path,
    timeout_ms,
    env,
    cwd: options.cwd,
    argv: options.argv,
    stdin: options.stdin.map(|b| b.to_vec()),
    stream,
  };
  Ok((req, wall))
}

/// Longest `filePath` or `cwd` of a call or a context (a path, not a
/// document).
const MAX_GUEST_PATH_BYTES: usize = 4096;

fn check_code(code: &str) -> Result<()> {
  if code.len() > limits::MAX_CODE_BYTES {
    return Err(coded(
      "ERR_OUT_OF_RANGE",
      format!("The guest code exceeds {} bytes", limits::MAX_CODE_BYTES),
    ));
  }
  Ok(())
}

/// A call's `timeoutMs`, checked.
fn timeout_of(t: Option<f64>) -> Result<Option<u64>> {
  match t {
    None => Ok(None),
    Some(t) if t.is_finite() && t >= 1.0 && t <= limits::MAX_TIME_MS as f64 => Ok(Some(t as u64)),
    Some(t) => Err(coded(
      "ERR_OUT_OF_RANGE",
      format!(
        "The value of \"timeoutMs\" is out of range. It must be >= 1 && <= {}. Received {t}",
        limits::MAX_TIME_MS
      ),
    )),
  }
}

/// How long a call may run: its `timeoutMs`, at most the runtime's wall time.
fn wall_time(entry: &RuntimeEntry, timeout_ms: Option<u64>) -> Duration {
  let wall = entry.config.wall_time_ms;
  Duration::from_millis(timeout_ms.map_or(wall, |t| t.min(wall)))
}

/// A guest path the host passes (`filePath`, `cwd`): no NUL, which no
/// path may hold (Node refuses one the same way), and not longer than a
/// path may be.
fn check_guest_path(name: &str, path: &str) -> Result<()> {
  if path.len() > MAX_GUEST_PATH_BYTES {
    return Err(coded(
      "ERR_OUT_OF_RANGE",
      format!("The \"{name}\" is longer than {MAX_GUEST_PATH_BYTES} bytes"),
    ));
  }
  if path.contains('\0') {
    return Err(coded(
      "ERR_INVALID_ARG_VALUE",
      format!(
        "The argument 'options.{name}' must be a string without null bytes. Received {path:?}"
      ),
    ));
  }
  Ok(())
}

/// A guest process's starting directory: an absolute path (a relative one
/// would leave every relative path of the guest unresolvable).
fn check_cwd(cwd: &str) -> Result<()> {
  check_guest_path("cwd", cwd)?;
  if !cwd.starts_with('/') {
    return Err(coded(
      "ERR_INVALID_ARG_VALUE",
      format!("The argument 'options.cwd' must be an absolute path. Received {cwd:?}"),
    ));
  }
  Ok(())
}

fn too_large(e: String) -> Error {
  coded(
    "ERR_OUT_OF_RANGE",
    format!("The call is too large to send: {e}"),
  )
}

/// The runtime's sidecar, replaced by a new one if it died (a crash, or a
/// limit it could not enforce in time): the runtime carries on there.
async fn current_sidecar(entry: &RuntimeEntry) -> Result<Arc<Sidecar>> {
  let mut slot = entry.sidecar.lock().await;
  if slot.is_dead() && !entry.disposed.load(Ordering::Acquire) {
    let fresh = sidecar_for(entry.shared).await?;
    route_queries(&fresh, entry.id, &entry.on_query, &entry.mounts, &entry.net);
    attach(&fresh, entry.id, &entry.config).await?;
    tracing::info!(
      rt = entry.id,
      from = slot.pid,
      to = fresh.pid,
      "runtime moved to a new sidecar"
    );
    *slot = fresh;
  }
  Ok(slot.clone())
}

/// How often the host looks for fast calls whose sidecar outlived their
/// wall time by `HOST_GRACE` (a task-driven call has its own timer).
const BACKSTOP_EVERY: Duration = Duration::from_millis(250);

/// Starts, once, the thread that kills sidecars which did not end a fast
/// call in time (their watchdog should have, long before).
fn backstop() {
  static STARTED: std::sync::Once = std::sync::Once::new();
  STARTED.call_once(|| {
    let _ = std::thread::Builder::new()
      .name("se-backstop".into())
      .spawn(|| loop {
        std::thread::sleep(BACKSTOP_EVERY);
        let entries: Vec<Arc<RuntimeEntry>> = runtimes()
          .as_ref()
          .map(|m| m.values().cloned().collect())
          .unwrap_or_default();
        let now = std::time::Instant::now();
        for e in entries {
          let s = e.sidecar.try_lock().ok().map(|s| s.clone());
          if let Some(s) = s {
            s.expire_overdue(now);
          }
        }
      });
  });
}

/// Runs guest code in a fresh guest process of the runtime, without a task
/// on either side: the request goes to the sidecar from this (JS) thread if
/// the runtime is idle, or from the thread that ends the call before it;
/// the outcome comes back through the runtime's `onDone` with `req`.
/// Returns an outcome at once only when there is nothing to wait for.
#[napi(catch_unwind)]
pub fn submit(
  handle: u32,
  req_id: f64,
  options: NativeExecOptions,
) -> Result<Option<NativeOutcome>> {
  let Some(entry) = lookup(handle) else {
    return Ok(Some(disposed_outcome()));
  };
  if entry.done.is_none() {
    return Err(coded("ERR_INTERNAL_ASSERTION", "the runtime has no onDone"));
  }
  let (req, wall) = exec_request(&entry, req_id, options, false)?;
  let call = FastCall {
    req: req.req,
    frame: sidecar::encode_execute(req).map_err(too_large)?,
    wall,
    context: None,
  };
  entry.submit_fast(call);
  Ok(None)
}

/// Hands a task-driven call's streamed output to `on_stdio`.
fn stdio_output(on_stdio: &Option<Arc<StdioFn>>) -> Option<sidecar::OutputFn> {
  on_stdio.clone().map(|f| {
    Arc::new(move |stream: Stream, data: Vec<u8>| {
      let fd = if stream == Stream::Stdout { 1 } else { 2 };
      let credit = limits::stream_credit(data.len()) as f64;
      // Queued for the JS thread without blocking this (possibly shared)
      // reader. index.js calls the listener from its own turn of the event
      // loop and then `ackOutput`: only then does the sidecar send more.
      f.call(
        NativeStdioChunk {
          fd,
          data: data.into(),
          credit,
        },
        ThreadsafeFunctionCallMode::NonBlocking,
      );
    }) as sidecar::OutputFn
  })
}

/// Waits for a task-driven call to end (a sidecar that outlives its wall
/// time is killed), then closes the mount files it left open and delivers
/// the rest of its output before the call settles.
async fn finish_streamed(
  entry: &RuntimeEntry,
  sidecar: &Sidecar,
  id: u64,
  mut rx: tokio::sync::oneshot::Receiver<CallEnd>,
  wall: Duration,
  on_stdio: Option<Arc<StdioFn>>,
) -> Option<CallEnd> {
  let end = match tokio::time::timeout(wall + HOST_GRACE, &mut rx).await {
    Ok(r) => r,
    Err(_) => {
      sidecar.mark_fatal(id, ExitKind::WallTimeout);
      sidecar.kill();
      rx.await
    }
  };
  if let Some(m) = &entry.mounts {
    m.close_all();
  }
  // An empty fd-0 chunk goes through the listener's FIFO queue last.
  if let Some(f) = on_stdio {
    let _ = f
      .call_async(NativeStdioChunk {
        fd: 0,
        data: Vec::new().into(),
        credit: 0.0,
      })
      .await;
  }
  end.ok()
}

/// What a call of a runtime that no longer exists ends with.
fn disposed_outcome() -> NativeOutcome {
  special_outcome("disposed", 1, "The runtime has been disposed".into())
}

/// Waits in line for the turn of call `id`; `None` when it was aborted
/// first. A queued call is not running, so no limit counts against it yet,
/// and an abort drops it unstarted.
async fn turn_unless_aborted(entry: &Arc<RuntimeEntry>, place: Reserved, id: u64) -> Option<Turn> {
  let turn = tokio::select! {
    t = wait_turn(place) => t,
    _ = entry.wait_aborted(id) => {
      entry.take_aborted(id);
      return None;
    }
  };
  (!entry.take_aborted(id)).then_some(turn)
}

/// Waits in line for the runtime's turn (calls of a runtime run one at a time).
async fn wait_turn(place: Reserved) -> Turn {
  match place {
    Reserved::Now(turn) => turn,
    // The sender is only dropped with the runtime's entry.
    Reserved::Later(rx) => rx.await.unwrap_or(Turn(None)),
  }
}

/// Takes call `req_id`'s place in the runtime's line now, in the order calls
/// are made; its `execute` (a task, which starts later) waits from there.
#[napi(catch_unwind)]
pub fn reserve_turn(handle: u32, req_id: f64) {
  let Some(entry) = lookup(handle) else { return };
  let place = entry.line_up();
  // Bounded by the calls the host has made and not yet run.
  entry.reserved().insert(req_id as u64, place);
}

/// Runs guest code in a fresh guest process of the runtime, with its output
/// streamed to `on_stdio` as it is written.
#[napi]
pub async fn execute(
  handle: u32,
  req_id: f64,
  options: NativeExecOptions,
  on_stdio: Option<StdioFn>,
) -> Result<NativeOutcome> {
  let Some(entry) = lookup(handle) else {
    return Ok(disposed_outcome());
  };
  // Its place in line first: an error below must give it up.
  let place = entry.place_of(req_id as u64);
  let (req, wall) = exec_request(&entry, req_id, options, on_stdio.is_some())?;
  let on_stdio = on_stdio.map(Arc::new);
  let id = req.req;
  let Some(_turn) = turn_unless_aborted(&entry, place, id).await else {
    return Ok(aborted_outcome());
  };
  let sidecar = current_sidecar(&entry).await?;
  let rx = sidecar
    .execute(req, stdio_output(&on_stdio))
    .map_err(too_large)?;
  let end = finish_streamed(&entry, &sidecar, id, rx, wall, on_stdio).await;
  Ok(entry.outcome_of(id, end))
}

/// A fresh request id for `execute` (and `cancel`): ids of every kind of
/// host request come from one counter.
#[napi(catch_unwind)]
pub fn next_request_id() -> f64 {
  sidecar::next_request_id() as f64
}

/// The runtime's `onStdio` listener has taken a chunk of streamed output.
#[napi(catch_unwind)]
pub fn ack_output(handle: u32, credit: f64) {
  let Some(entry) = lookup(handle) else { return };
  let credit = if credit.is_finite() && credit > 0.0 {
    credit as u64
  } else {
    0
  };
  entry.with_sidecar(move |s, rt| s.ack_output(rt, credit));
}

/// Asks the sidecar to stop a running call (AbortSignal).
#[napi(catch_unwind)]
pub fn cancel(handle: u32, req_id: f64) {
  let Some(entry) = lookup(handle) else { return };
  let req = req_id as u64;
  // A fast call still waiting for its turn ends here, unstarted.
  let queued = {
    let mut t = entry.turns();
    let at = t
      .queue
      .iter()
      .position(|q| matches!(q, Queued::Fast(c) if c.req == req));
    at.and_then(|i| t.queue.remove(i))
  };
  if queued.is_some() {
    entry.deliver(req, context::not_started(aborted_outcome()));
    return;
  }
  entry.aborted().insert(req);
  entry.abort_notify.notify_waiters();
  entry.with_sidecar(move |s, rt| s.cancel(rt, req));
}

/// A host-side filesystem call (`rt.fs`), as index.js passes it.
#[napi(object)]
pub struct NativeFsCall {
  /// readFile, writeFile, mkdir, readdir, stat, rm, exists
  pub op: String,
  pub path: String,
  pub data: Option<Buffer>,
  pub recursive: Option<bool>,
  pub force: Option<bool>,
}

/// Its result: one field set, or `error` (Node's fields of a system error).
#[napi(object)]
pub struct NativeFsResult {
  pub bytes: Option<Buffer>,
  pub names: Option<Vec<String>>,
  pub stat: Option<Vec<f64>>,
  pub flag: Option<bool>,
  pub created: Option<String>,
  pub error_code: Option<String>,
  pub error_errno: Option<i32>,
  pub error_syscall: Option<String>,
  pub error_path: Option<String>,
  pub error_message: Option<String>,
}

/// Serves `call` from the runtime's kernel (in its sidecar, while guests
/// run). The runtime's files live in its sidecar: a crashed sidecar's are lost.
#[napi]
pub async fn fs_call(handle: u32, call: NativeFsCall) -> Result<NativeFsResult> {
  use crate::ipc::{FsCall, FsReply};
  let Some(entry) = lookup(handle) else {
    return Err(coded(
      "ERR_SANDBOX_DISPOSED",
      "The runtime has been disposed",
    ));
  };
  if call
    .data
    .as_ref()
    .is_some_and(|d| d.len() > crate::ipc::MAX_IPC_FRAME_BYTES - 64 * 1024)
  {
    return Err(coded(
      "ERR_OUT_OF_RANGE",
      format!(
        "The data is larger than {} bytes, the most one write may carry",
        crate::ipc::MAX_IPC_FRAME_BYTES - 64 * 1024
      ),
    ));
  }
  let path = call.path;
  let fs_call = match call.op.as_str() {
    "readFile" => FsCall::ReadFile { path },
    "writeFile" => FsCall::WriteFile {
      path,
      data: call.data.map(|b| b.to_vec()).unwrap_or_default(),
    },
    "mkdir" => FsCall::Mkdir {
      path,
      recursive: call.recursive.unwrap_or(false),
    },
    "readdir" => FsCall::Readdir { path },
    "stat" => FsCall::Stat { path },
    "rm" => FsCall::Rm {
      path,
      recursive: call.recursive.unwrap_or(false),
      force: call.force.unwrap_or(false),
    },
    "exists" => FsCall::Exists { path },
    other => {
      return Err(coded(
        "ERR_INVALID_ARG_VALUE",
        format!("unknown fs call {other}"),
      ))
    }
  };
  let sidecar = entry.sidecar.lock().await.clone();
  let rx = sidecar
    .fs_call(entry.id, fs_call)
    .map_err(|e| coded("ERR_SANDBOX_CRASHED", e))?;
  let mut r = NativeFsResult {
    bytes: None,
    names: None,
    stat: None,
    flag: None,
    created: None,
    error_code: None,
    error_errno: None,
    error_syscall: None,
    error_path: None,
    error_message: None,
  };
  match rx.await {
    Ok(Ok(reply)) => match reply {
      FsReply::Done => {}
      FsReply::Bytes(b) => r.bytes = Some(b.into()),
      FsReply::Names(n) => r.names = Some(n),
      FsReply::Stat(v) => r.stat = Some(v),
      FsReply::Bool(b) => r.flag = Some(b),
      FsReply::Created(c) => r.created = c,
    },
    Ok(Err(Some(e))) => {
      r.error_code = Some(e.code);
      r.error_errno = Some(e.errno);
      r.error_syscall = Some(e.syscall);
      r.error_path = e.path;
      r.error_message = Some(e.message);
    }
    _ => {
      return Err(coded(
        "ERR_SANDBOX_CRASHED",
        "The sandbox sidecar ended during the call; the runtime's files were lost with it",
      ))
    }
  }
  Ok(r)
}

/// Disposes a runtime: its isolate, and its sidecar unless shared.
#[napi]
pub async fn dispose_runtime(handle: u32) -> Result<()> {
  let entry = runtimes().as_mut().and_then(|m| m.remove(&handle));
  let Some(entry) = entry else { return Ok(()) };
  entry.disposed.store(true, Ordering::Release);
  // Calls still waiting for their turn never start.
  let queued: Vec<Queued> = entry.turns().queue.drain(..).collect();
  for q in queued {
    match q {
      Queued::Fast(c) => entry.deliver(c.req, entry.outcome_of(c.req, None)),
      // Its task sees the runtime disposed once it has the turn.
      Queued::Task(tx) => {
        let _ = tx.send(Turn(None));
      }
    }
  }
  // Places of calls whose task has not started: they find no runtime.
  let places: Vec<Reserved> = entry.reserved().drain().map(|(_, p)| p).collect();
  drop(places);
  context::forget_runtime(handle);
  if let Some(net) = &entry.net {
    net.close();
  }
  let sidecar = entry.sidecar.lock().await.clone();
  tracing::info!(rt = entry.id, pid = sidecar.pid, "runtime disposed");
  if entry.shared {
    sidecar.dispose_runtime(entry.id);
  } else {
    sidecar.shutdown().await;
  }
  Ok(())
}

/// Starts the first sidecar as the package is imported (once per process),
/// so that the first `create()` finds it started. It never keeps the host
/// alive and dies with it.
#[napi(catch_unwind)]
pub fn prestart_sidecar() {
  pool::prestart();
}

/// Ends pooled sidecars that no runtime uses.
#[napi]
pub async fn close_idle_sidecars() -> Result<()> {
  let shared_in_use = runtimes()
    .as_ref()
    .is_some_and(|m| m.values().any(|e| e.shared));
  pool::close_idle(shared_in_use).await;
  Ok(())
}

/// What the addon was built for, to explain a wrong-ABI load.
#[napi(object)]
pub struct BuildInfo {
  pub node_version: String,
  pub modules: u32,
  pub v8_version: String,
}

#[napi(catch_unwind)]
pub fn build_info() -> BuildInfo {
  BuildInfo {
    node_version: crate::engine::built_for_node_version(),
    modules: crate::engine::built_for_modules() as u32,
    v8_version: crate::engine::v8_version(),
  }
}

/// Entry point of the sidecar process (see `host::spawn`). Never returns.
#[napi(catch_unwind)]
pub fn sidecar_main() {
  crate::log::init(crate::log::Side::Sidecar);
  crate::sidecar::serve()
}
