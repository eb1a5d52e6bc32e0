//! The host's side of one sidecar process: sends requests, routes replies
//! and streamed output to their callers, and turns the process's death into
//! errors for whatever was pending on it.
use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::oneshot;

use super::spawn;
use crate::ipc::{self, ExitKind, Hardening, Outcome, Stream, ToHost, ToSidecar};

/// How much of a sidecar's stderr is kept to explain a crash.
const STDERR_TAIL_BYTES: usize = 8 * 1024;
/// How long a new sidecar may take to say it is ready.
pub const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// Resolves once a new sidecar says it is ready (or why it is not).
pub type ReadySignal = oneshot::Receiver<Result<(), String>>;

/// Receives a call's streamed output on the sidecar's reader thread; must
/// not block (it queues the chunk for the JS thread and acks it later).
pub type OutputFn = Arc<dyn Fn(Stream, Vec<u8>) + Send + Sync>;

/// What a runtime's guests send the host on their own: a query (answered
/// with `Sidecar::reply(id, ..)`) or an audit event.
pub enum FromGuest {
  Query { id: u64, query: ipc::Query },
  Audit(ipc::AuditEvent),
}

/// Receives what a runtime's guests send, on the sidecar's reader thread;
/// must not block: it hands the message to the host's JS thread.
pub type QueryFn = Arc<dyn Fn(FromGuest) + Send + Sync>;
/// Where the steps of one host connection to a guest server go.
pub type BridgeFn = Arc<dyn Fn(ipc::BridgeMsg) + Send + Sync>;
/// Gets the steps of a process the host started; `Err`: the sidecar ended
/// (why), and the process with it.
pub type ProcFn = Arc<dyn Fn(Result<ipc::ProcMsg, String>) + Send + Sync>;

/// How a call to the sidecar ended.
pub enum CallEnd {
  Completed(Box<Outcome>),
  /// The sidecar died; `fatal` is what it said it was dying of, if anything.
  Crashed {
    message: String,
    fatal: Option<ExitKind>,
  },
}

/// Where a call's end goes: a task awaiting it, or a function that runs on
/// the reader thread (the fast path: it hands the runtime's next call to
/// the sidecar and the outcome to the JS thread without a task in between).
pub enum Done {
  Task(oneshot::Sender<CallEnd>),
  Now(Box<dyn FnOnce(CallEnd) + Send>),
}

impl Done {
  fn finish(self, end: CallEnd) {
    match self {
      Done::Task(tx) => {
        let _ = tx.send(end);
      }
      Done::Now(f) => f(end),
    }
  }
}

struct Call {
  done: Done,
  output: Option<OutputFn>,
  fatal: Option<ExitKind>,
  /// When the host stops waiting for the sidecar to enforce the call's wall
  /// time (fast calls; a task has its own timer).
  deadline: Option<std::time::Instant>,
}

/// What the host waits for under one request id.
enum Waiter {
  /// A runtime being created: told how it went, from the reader thread
  /// (or by the backstop after `deadline`).
  Runtime(Created, Option<std::time::Instant>),
  Call(Call),
  /// A host-side filesystem call; `Err(None)`: the sidecar died.
  Fs(oneshot::Sender<Result<ipc::FsReply, Option<ipc::FsError>>>),
  /// A persistent context being started: its pid, or why not.
  Context(oneshot::Sender<Result<u32, String>>),
}

/// Where the answer to a `CreateRuntime` goes.
pub type Created = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Ids of host requests: one counter for the whole host (see `ipc::ToSidecar`).
static NEXT_REQUEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The handler of connection or process `id`: taken out of `map` with its
/// last message (called without the lock held).
fn handler<F: Clone>(map: &mut HashMap<u64, F>, id: u64, last: bool) -> Option<F> {
  if last {
    map.remove(&id)
  } else {
    map.get(&id).cloned()
  }
}

pub fn next_request_id() -> u64 {
  NEXT_REQUEST.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[derive(Default)]
struct State {
  dead: Option<String>,
  ready: Option<oneshot::Sender<Result<(), String>>>,
  /// Every request waiting for its answer, by id.
  pending: HashMap<u64, Waiter>,
  exited: Vec<oneshot::Sender<()>>,
  /// Where each runtime's guests' queries go.
  query_handlers: HashMap<u32, QueryFn>,
  /// Host connections to guest servers, by connection id.
  bridges: HashMap<u64, BridgeFn>,
  /// Processes the host started (`rt.spawn`), by id, until their end.
  procs: HashMap<u64, ProcFn>,
  /// Why the host killed the sidecar, when it was for a reason of its own.
  killed_for: Option<String>,
}

impl State {
  /// The call waiting under `id`, if that is what waits there.
  fn call(&mut self, id: u64) -> Option<&mut Call> {
    match self.pending.get_mut(&id) {
      Some(Waiter::Call(c)) => Some(c),
      _ => None,
    }
  }
}

pub struct Sidecar {
  pub pid: u32,
  /// What the sidecar said it restricted, once it is ready.
  hardening: OnceLock<Hardening>,
  writer: Mutex<UnixStream>,
  state: Mutex<State>,
  child: Mutex<Option<spawn::Process>>,
  stderr_tail: Arc<Mutex<VecDeque<u8>>>,
}

impl Sidecar {
  /// Starts a sidecar; the receiver resolves when it is ready to serve.
  pub fn start() -> std::io::Result<(Arc<Sidecar>, ReadySignal)> {
    let mut spawned = spawn::spawn_sidecar()?;
    let reader = spawned.channel.try_clone()?;
    let stderr = spawned.child.stderr.take();
    let log_lines = spawned.child.stdout.take();
    let (ready_tx, ready_rx) = oneshot::channel();
    let sidecar = Arc::new(Sidecar {
      pid: spawned.child.id(),
      hardening: OnceLock::new(),
      writer: Mutex::new(spawned.channel),
      state: Mutex::new(State {
        ready: Some(ready_tx),
        ..Default::default()
      }),
      child: Mutex::new(Some(spawned.child)),
      stderr_tail: Arc::default(),
    });
    if let Some(mut err) = stderr {
      let tail = sidecar.stderr_tail.clone();
      std::thread::Builder::new()
        .name("se-sidecar-stderr".into())
        .spawn(move || {
          let mut buf = [0u8; 4096];
          while let Ok(n) = err.read(&mut buf) {
            if n == 0 {
              break;
            }
            let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
            t.extend(&buf[..n]);
            while t.len() > STDERR_TAIL_BYTES {
              t.pop_front();
            }
          }
        })?;
    }
    if let Some(out) = log_lines {
      std::thread::Builder::new()
        .name("se-sidecar-log".into())
        .spawn(move || forward_log_lines(out))?;
    }
    let s = sidecar.clone();
    std::thread::Builder::new()
      .name("se-sidecar-reader".into())
      .spawn(move || s.read_loop(reader))?;
    Ok((sidecar, ready_rx))
  }

  fn lock(&self) -> std::sync::MutexGuard<'_, State> {
    self.state.lock().unwrap_or_else(|e| e.into_inner())
  }

  pub fn hardening(&self) -> Option<Hardening> {
    self.hardening.get().copied()
  }

  pub fn is_dead(&self) -> bool {
    self.lock().dead.is_some()
  }

  fn read_loop(self: Arc<Self>, mut reader: UnixStream) {
    loop {
      let msg: ToHost = match ipc::read_frame(&mut reader) {
        Ok(Some(m)) => m,
        Ok(None) => break,
        Err(_) => break,
      };
      match msg {
        ToHost::Ready {
          modules, hardening, ..
        } => {
          let _ = self.hardening.set(hardening);
          let expected = crate::engine::built_for_modules() as u32;
          let r = if modules == expected {
            Ok(())
          } else {
            Err(format!("sidecar runs NODE_MODULE_VERSION {modules}, addon built for {expected}: run `npm rebuild`"))
          };
          if let Some(tx) = self.lock().ready.take() {
            let _ = tx.send(r);
          }
        }
        ToHost::RuntimeReady { id, error } => {
          let waiter = self.lock().pending.remove(&id);
          if let Some(Waiter::Runtime(created, _)) = waiter {
            created(error.map_or(Ok(()), Err));
          }
        }
        ToHost::Output { req, stream, data } => {
          // Never call out with the state locked: other calls and the kill
          // path need it.
          let f = self.lock().call(req).and_then(|c| c.output.clone());
          if let Some(f) = f {
            f(stream, data);
          }
        }
        ToHost::Fatal { req, kind } => {
          if let Some(c) = self.lock().call(req) {
            c.fatal = Some(kind);
          }
        }
        ToHost::Query { id, rt, query, .. } => {
          let handler = self.lock().query_handlers.get(&rt).cloned();
          match handler {
            Some(f) => f(FromGuest::Query { id, query }),
            None => {
              let _ = self.send(&ToSidecar::Reply {
                id,
                reply: Err(ipc::HostError {
                  name: "Error".into(),
                  message: "The host has no handler for this query".into(),
                  code: Some("ERR_SANDBOX_HOST_QUERY".into()),
                }),
              });
            }
          }
        }
        ToHost::Audit { rt, event } => {
          let handler = self.lock().query_handlers.get(&rt).cloned();
          if let Some(f) = handler {
            f(FromGuest::Audit(event));
          }
        }
        ToHost::FsDone { id, result } => {
          if let Some(Waiter::Fs(tx)) = self.lock().pending.remove(&id) {
            let _ = tx.send(result.map_err(Some));
          }
        }
        ToHost::Completed { req, outcome } => {
          let waiter = self.lock().pending.remove(&req);
          if let Some(Waiter::Call(c)) = waiter {
            c.done.finish(CallEnd::Completed(outcome));
          }
        }
        ToHost::Bridge { conn, msg } => {
          let closed = matches!(msg, ipc::BridgeMsg::Closed { .. });
          let f = handler(&mut self.lock().bridges, conn, closed);
          if let Some(f) = f {
            f(msg);
          }
        }
        ToHost::Proc { id, msg } => {
          let last = matches!(msg, ipc::ProcMsg::Exit { .. } | ipc::ProcMsg::Failed { .. });
          let f = handler(&mut self.lock().procs, id, last);
          if let Some(f) = f {
            f(Ok(msg));
          }
        }
        ToHost::ContextOpened { id, result } => {
          if let Some(Waiter::Context(tx)) = self.lock().pending.remove(&id) {
            let _ = tx.send(result);
          }
        }
      }
    }
    self.on_exit();
  }

  /// The channel closed: reap the process and fail everything pending.
  fn on_exit(&self) {
    let expected = !self.lock().exited.is_empty();
    let status = self
      .child
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .take()
      .and_then(|mut c| {
        let _ = c.kill();
        c.wait().ok()
      });
    let how = match status {
      Some(s) => match (s.code(), s.signal()) {
        (Some(c), _) => format!("exited with code {c}"),
        (_, Some(sig)) => format!("was killed by signal {sig}"),
        _ => "ended".to_string(),
      },
      None => "ended".to_string(),
    };
    // Let the stderr reader catch up with the last words of a crash.
    if !expected {
      std::thread::sleep(Duration::from_millis(5));
    }
    let tail: Vec<u8> = self
      .stderr_tail
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .iter()
      .copied()
      .collect();
    let tail = String::from_utf8_lossy(&tail).trim().to_string();
    // The stderr tail may quote guest code (V8's stack of an OOM): debug only.
    if expected {
      tracing::info!(pid = self.pid, how = how.as_str(), "sidecar exited");
    } else if tracing::enabled!(tracing::Level::DEBUG) {
      tracing::warn!(pid = self.pid, how = how.as_str(), stderr = ?crate::log::guest(&tail), "sidecar crashed");
    } else {
      tracing::warn!(pid = self.pid, how = how.as_str(), "sidecar crashed");
    }
    let mut message = format!("The sandbox sidecar process (pid {}) {how}", self.pid);
    if !tail.is_empty() {
      message.push_str(&format!(": {tail}"));
    }
    let mut st = self.lock();
    if let Some(why) = st.killed_for.take() {
      message = format!(
        "The sandbox sidecar process (pid {}) was ended: {why}",
        self.pid
      );
    }
    st.dead = Some(message.clone());
    let bridges: Vec<BridgeFn> = st.bridges.drain().map(|(_, f)| f).collect();
    let procs: Vec<ProcFn> = st.procs.drain().map(|(_, f)| f).collect();
    if let Some(tx) = st.ready.take() {
      let _ = tx.send(Err(message.clone()));
    }
    // In a shared sidecar, a guest that could not be stopped in time ends
    // the process: say so to the other calls that were lost with it.
    let culprit = st
      .pending
      .values()
      .any(|w| matches!(w, Waiter::Call(c) if c.fatal.is_some()));
    let pending: Vec<Waiter> = st.pending.drain().map(|(_, w)| w).collect();
    let exited: Vec<oneshot::Sender<()>> = st.exited.drain(..).collect();
    // Ends run without the lock: a fast call's hands the runtime's next
    // call on, which looks at this (dead) sidecar again.
    drop(st);
    for f in bridges {
      f(ipc::BridgeMsg::Closed {
        error: Some(message.clone()),
      });
    }
    for f in procs {
      f(Err(message.clone()));
    }
    for w in pending {
      let c = match w {
        Waiter::Runtime(created, _) => {
          created(Err(message.clone()));
          continue;
        }
        Waiter::Fs(tx) => {
          let _ = tx.send(Err(None));
          continue;
        }
        Waiter::Context(tx) => {
          let _ = tx.send(Err(message.clone()));
          continue;
        }
        Waiter::Call(c) => c,
      };
      let message = if culprit && c.fatal.is_none() {
        format!(
          "The shared sandbox sidecar (pid {}) was ended because a guest of another runtime \
           could not be stopped within its limit; this call was lost. The runtime moves to a \
           new sidecar on its next call.",
          self.pid
        )
      } else {
        message.clone()
      };
      c.done.finish(CallEnd::Crashed {
        message,
        fatal: c.fatal,
      });
    }
    for tx in exited {
      let _ = tx.send(());
    }
  }

  fn send(&self, msg: &ToSidecar) -> Result<(), String> {
    let buf = ipc::encode(msg).map_err(|e| e.to_string())?;
    self.send_bytes(&buf)
  }

  fn send_bytes(&self, buf: &[u8]) -> Result<(), String> {
    let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
    w.write_all(buf)
      .map_err(|e| format!("sidecar channel closed: {e}"))
  }

  pub fn create_runtime(
    &self,
    rt: u32,
    config: ipc::RuntimeConfig,
  ) -> Result<oneshot::Receiver<Result<(), String>>, String> {
    let (tx, rx) = oneshot::channel();
    let created: Created = Box::new(move |r| {
      let _ = tx.send(r);
    });
    self.create_runtime_then(next_request_id(), rt, config, created, None)?;
    Ok(rx)
  }

  /// Asks the sidecar for runtime `rt` under request `id`; `created` is
  /// told how it went, from the reader thread, unless this fails first.
  /// Past `deadline`, the backstop tells it the sidecar did not answer.
  pub fn create_runtime_then(
    &self,
    id: u64,
    rt: u32,
    config: ipc::RuntimeConfig,
    created: Created,
    deadline: Option<std::time::Instant>,
  ) -> Result<(), String> {
    let buf = ipc::encode(&ToSidecar::CreateRuntime {
      id,
      rt,
      config: Box::new(config),
    })
    .map_err(|e| e.to_string())?;
    {
      let mut st = self.lock();
      if let Some(d) = &st.dead {
        return Err(d.clone());
      }
      st.pending.insert(id, Waiter::Runtime(created, deadline));
    }
    if let Err(e) = self.send_bytes(&buf) {
      // Told by nobody else: the reader never sees an answer to it.
      self.lock().pending.remove(&id);
      return Err(e);
    }
    Ok(())
  }

  /// A host-side filesystem call on runtime `rt`.
  pub fn fs_call(
    &self,
    rt: u32,
    call: ipc::FsCall,
  ) -> Result<oneshot::Receiver<Result<ipc::FsReply, Option<ipc::FsError>>>, String> {
    let (tx, rx) = oneshot::channel();
    let id = next_request_id();
    let buf = ipc::encode(&ToSidecar::Fs { id, rt, call }).map_err(|e| e.to_string())?;
    {
      let mut st = self.lock();
      if let Some(d) = &st.dead {
        return Err(d.clone());
      }
      st.pending.insert(id, Waiter::Fs(tx));
    }
    self.send_bytes(&buf)?;
    Ok(rx)
  }

  /// Starts a guest process; the receiver resolves with how it ended. A
  /// request too large for one frame is refused here, sidecar untouched.
  pub fn execute(
    &self,
    req: ipc::ExecRequest,
    output: Option<OutputFn>,
  ) -> Result<oneshot::Receiver<CallEnd>, String> {
    let (tx, rx) = oneshot::channel();
    let id = req.req;
    let frame = encode_execute(req)?;
    self.start_call(id, &frame, Done::Task(tx), output, None);
    Ok(rx)
  }

  /// Starts a guest process from its encoded request (`encode_execute`);
  /// `done` runs once with how it ended, on this thread if the sidecar is
  /// already dead.
  pub fn start_call(
    &self,
    id: u64,
    frame: &[u8],
    done: Done,
    output: Option<OutputFn>,
    deadline: Option<std::time::Instant>,
  ) {
    {
      let mut st = self.lock();
      if let Some(d) = &st.dead {
        let message = d.clone();
        drop(st);
        done.finish(CallEnd::Crashed {
          message,
          fatal: None,
        });
        return;
      }
      st.pending.insert(
        id,
        Waiter::Call(Call {
          done,
          output,
          fatal: None,
          deadline,
        }),
      );
    }
    let sent = self
      .writer
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .write_all(frame);
    if sent.is_err() {
      // The reader will see the channel close and fail the call.
      self.kill();
    }
  }

  /// Kills the sidecar if a call is past its host-side deadline (the
  /// sidecar did not enforce its wall time): it ends as a wall timeout.
  /// A runtime's create past its deadline fails alone.
  pub fn expire_overdue(&self, now: std::time::Instant) {
    let (overdue, unanswered) = {
      let mut st = self.lock();
      let mut any = false;
      let mut unanswered = Vec::new();
      for (id, w) in st.pending.iter_mut() {
        match w {
          Waiter::Call(c) if c.deadline.is_some_and(|d| now >= d) => {
            c.fatal.get_or_insert(ExitKind::WallTimeout);
            any = true;
          }
          Waiter::Runtime(_, Some(d)) if now >= *d => unanswered.push(*id),
          _ => {}
        }
      }
      let unanswered: Vec<Waiter> = unanswered
        .iter()
        .filter_map(|id| st.pending.remove(id))
        .collect();
      (any, unanswered)
    };
    // As a task's create gives up on its timeout: the sidecar lives on.
    for w in unanswered {
      if let Waiter::Runtime(created, _) = w {
        created(Err("the sandbox sidecar did not create the runtime".into()));
      }
    }
    if overdue {
      self.kill();
    }
  }

  /// Starts a persistent context; the receiver resolves with its pid, or
  /// why it could not start (the sidecar's death included).
  pub fn open_context(
    &self,
    req: ipc::ContextRequest,
  ) -> Result<oneshot::Receiver<Result<u32, String>>, String> {
    let (tx, rx) = oneshot::channel();
    let id = req.id;
    let buf = ipc::encode(&ToSidecar::OpenContext(Box::new(req))).map_err(|e| e.to_string())?;
    {
      let mut st = self.lock();
      if let Some(d) = &st.dead {
        return Err(d.clone());
      }
      st.pending.insert(id, Waiter::Context(tx));
    }
    self.send_bytes(&buf)?;
    Ok(rx)
  }

  /// Runs a call in a persistent context (its frame from
  /// `encode_context_call`); as [`Sidecar::execute`].
  pub fn context_call(
    &self,
    id: u64,
    frame: &[u8],
    output: Option<OutputFn>,
  ) -> oneshot::Receiver<CallEnd> {
    let (tx, rx) = oneshot::channel();
    self.start_call(id, frame, Done::Task(tx), output, None);
    rx
  }

  /// Ends persistent context `ctx` of runtime `rt` (nothing to wait for).
  pub fn close_context(&self, rt: u32, ctx: u32) {
    let _ = self.send(&ToSidecar::CloseContext { rt, ctx });
  }

  /// The host's listener took `bytes` of streamed output of runtime `rt`.
  pub fn ack_output(&self, rt: u32, bytes: u64) {
    let _ = self.send(&ToSidecar::OutputAck { rt, bytes });
  }

  pub fn cancel(&self, rt: u32, req: u64) {
    let _ = self.send(&ToSidecar::Cancel { rt, req });
  }

  /// Marks a pending call as ended by `kind` before the sidecar is killed.
  pub fn mark_fatal(&self, req: u64, kind: ExitKind) {
    if let Some(c) = self.lock().call(req) {
      c.fatal.get_or_insert(kind);
    }
  }

  /// Opens host connection `conn` to port `port` of runtime `rt`'s
  /// loopback; `f` gets its steps until `Closed`.
  pub fn bridge_open(&self, rt: u32, conn: u64, port: u16, f: BridgeFn) -> Result<(), String> {
    {
      let mut st = self.lock();
      if let Some(why) = &st.dead {
        return Err(why.clone());
      }
      st.bridges.insert(conn, f);
    }
    self.bridge_send(rt, conn, ipc::BridgeMsg::Open { port })
  }

  /// A step of host connection `conn` (its bytes, its end, its close).
  pub fn bridge_send(&self, rt: u32, conn: u64, msg: ipc::BridgeMsg) -> Result<(), String> {
    if matches!(msg, ipc::BridgeMsg::Closed { .. }) {
      self.lock().bridges.remove(&conn);
    }
    self.send(&ToSidecar::Bridge { rt, conn, msg })
  }

  /// Starts process `req` in runtime `req.rt`; `f` gets its steps until
  /// its `Exit` or `Failed`.
  pub fn spawn(&self, req: ipc::SpawnRequest, f: ProcFn) -> Result<(), String> {
    let id = req.id;
    {
      let mut st = self.lock();
      if let Some(why) = &st.dead {
        return Err(why.clone());
      }
      st.procs.insert(id, f);
    }
    let sent = self.send(&ToSidecar::Spawn(Box::new(req)));
    if sent.is_err() {
      self.lock().procs.remove(&id);
    }
    sent
  }

  /// A step of process `id` of runtime `rt` (stdin, an acknowledgement, a
  /// signal).
  pub fn proc_send(&self, rt: u32, id: u64, msg: ipc::ProcMsg) -> Result<(), String> {
    self.send(&ToSidecar::Proc { rt, id, msg })
  }

  /// Routes the queries of runtime `rt`'s guests to `f`.
  pub fn set_query_handler(&self, rt: u32, f: QueryFn) {
    self.lock().query_handlers.insert(rt, f);
  }

  /// The host's answer to the sidecar's query `id`.
  /// The host's answer to the sidecar's query `id`. One too large for a
  /// frame (a tool's huge result, a huge directory on a mount) is answered
  /// with an error instead: a dropped answer would leave the guest waiting.
  pub fn reply(&self, id: u64, reply: Result<Vec<u8>, ipc::HostError>) {
    let msg = ToSidecar::Reply { id, reply };
    let buf = match ipc::encode(&msg) {
      Ok(buf) => buf,
      Err(e) => match ipc::encode(&ToSidecar::Reply {
        id,
        reply: Err(ipc::HostError {
          name: "RangeError".into(),
          message: format!("The host's answer is too large to send to the sandbox: {e}"),
          code: Some("ERR_SANDBOX_RESULT_TOO_LARGE".into()),
        }),
      }) {
        Ok(buf) => buf,
        Err(_) => return,
      },
    };
    let _ = self.send_bytes(&buf);
  }

  /// Answers query `id` with a connected socket: `info` in the frame and
  /// `fd` attached to it (the sidecar takes it with the frame).
  pub fn reply_fd(&self, id: u64, info: &ipc::Connected, fd: std::os::fd::OwnedFd) {
    let Ok(reply) = postcard::to_stdvec(info) else {
      return;
    };
    let Ok(buf) = ipc::encode(&ToSidecar::ReplyFd { id, reply }) else {
      return;
    };
    let w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
    // A failed send is a dead channel: the sidecar's crash handling follows.
    let _ = super::net::send_with_fd(&w, &buf, &fd);
  }

  pub fn dispose_runtime(&self, rt: u32) {
    self.lock().query_handlers.remove(&rt);
    let _ = self.send(&ToSidecar::DisposeRuntime { rt });
  }

  /// Kills the sidecar; what was pending on it fails with `why`.
  pub fn kill_for(&self, why: String) {
    self.lock().killed_for.get_or_insert(why);
    self.kill();
  }

  pub fn kill(&self) {
    if let Some(c) = self
      .child
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .as_mut()
    {
      let _ = c.kill();
    }
  }

  /// Ends the sidecar (closing its channel makes it exit) and waits, up to a
  /// bound, until the process is gone and reaped.
  pub async fn shutdown(&self) {
    let (tx, rx) = oneshot::channel();
    {
      let mut st = self.lock();
      if st.dead.is_some() {
        return;
      }
      st.exited.push(tx);
    }
    let _ = self
      .writer
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .shutdown(std::net::Shutdown::Both);
    if tokio::time::timeout(Duration::from_secs(2), rx)
      .await
      .is_err()
    {
      self.kill();
    }
  }
}

/// A guest call as the sidecar reads it; refused when it does not fit a frame.
pub fn encode_execute(req: ipc::ExecRequest) -> Result<Vec<u8>, String> {
  ipc::encode(&ToSidecar::Execute(Box::new(req))).map_err(|e| e.to_string())
}

/// A call in a persistent context as the sidecar reads it; refused when it
/// does not fit a frame.
pub fn encode_context_call(call: ipc::ContextCall) -> Result<Vec<u8>, String> {
  ipc::encode(&ToSidecar::ContextCall(Box::new(call))).map_err(|e| e.to_string())
}

/// Longest sidecar log line held while waiting for its end.
const MAX_LOG_LINE_BYTES: usize = 16 * 1024;

/// Copies a sidecar's log lines (its stdout) to the host's stderr, a whole
/// line per write so that they do not interleave with the host's own.
fn forward_log_lines(mut out: std::fs::File) {
  let mut buf = [0u8; 4096];
  let mut line: Vec<u8> = Vec::new();
  let flush = |line: &mut Vec<u8>| {
    let _ = std::io::stderr().lock().write_all(line);
    line.clear();
  };
  while let Ok(n) = out.read(&mut buf) {
    if n == 0 {
      break;
    }
    for chunk in buf[..n].split_inclusive(|&b| b == b'\n') {
      line.extend_from_slice(chunk);
      if line.ends_with(b"\n") || line.len() >= MAX_LOG_LINE_BYTES {
        flush(&mut line);
      }
    }
  }
  if !line.is_empty() {
    line.push(b'\n');
    flush(&mut line);
  }
}
