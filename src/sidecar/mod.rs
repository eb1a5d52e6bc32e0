//! The sidecar process: serves one host over fd 3, hosting one runtime (the
//! default) or many (`sidecar: "shared"`), each on its own thread with its
//! own isolate.
#[cfg(feature = "bench")]
pub mod bench;
mod bridge;
mod child;
mod context;
mod event_loop;
mod execute;
mod hardening;
mod host_process;
mod queries;
mod runtime;
mod watchdog;

/// Exit codes shared with the host side.
pub mod exit_codes {
  pub use super::execute::{EXIT_ABORTED, EXIT_MEMORY, EXIT_TIMEOUT};
}

use std::collections::HashMap;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::ipc::{self, Outcome, ToHost, ToSidecar};

/// The fd the host hands the sidecar its channel on.
pub const CHANNEL_FD: i32 = 3;

/// Frames to the host, from any thread. A blocked write (the host is not
/// reading) blocks the writer: that is the backpressure on guest output.
#[derive(Clone)]
pub struct Outbox(Arc<Mutex<UnixStream>>);

impl Outbox {
  pub fn send(&self, msg: &ToHost) {
    // Every message but a result is small by construction (output comes in
    // bounded chunks); results go through `send_completed`.
    if let Ok(buf) = ipc::encode(msg) {
      self.write(&buf);
    }
  }

  /// A call's result. Never dropped: one that cannot be framed (it cannot
  /// happen with the bounds in `kernel::limits`, but if it did) is replaced
  /// by an error that says so.
  pub fn send_completed(&self, req: u64, outcome: Outcome) {
    let msg = ToHost::Completed {
      req,
      outcome: Box::new(outcome),
    };
    match ipc::encode(&msg) {
      Ok(buf) => self.write(&buf),
      Err(e) => {
        let mut o = execute::internal_failure(&format!("the call's result could not be sent: {e}"));
        if let Some(err) = o.error.as_mut() {
          err.code = Some("ERR_SANDBOX_RESULT_TOO_LARGE".into());
        }
        self.send(&ToHost::Completed {
          req,
          outcome: Box::new(o),
        });
      }
    }
  }

  fn write(&self, buf: &[u8]) {
    let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
    if s.write_all(buf).is_err() {
      // The host is gone: nothing left to serve.
      exit_now(0);
    }
  }

  /// Best effort, for the last words before the process ends itself.
  pub fn send_last(&self, msg: &ToHost) {
    let Ok(buf) = ipc::encode(msg) else { return };
    for _ in 0..50 {
      if let Ok(mut s) = self.0.try_lock() {
        let _ = s.write_all(&buf);
        return;
      }
      std::thread::sleep(Duration::from_millis(10));
    }
  }
}

pub fn exit_now(code: i32) -> ! {
  // Skip atexit handlers and Node's teardown: other threads may hold V8.
  // SAFETY: _exit has no preconditions; skipping atexit handlers is the point.
  unsafe { libc::_exit(code) }
}

fn default_config() -> crate::ipc::RuntimeConfig {
  crate::kernel::limits::RequestedLimits::default()
    .resolve(false)
    .unwrap_or_else(|_| exit_now(74))
}

/// How long the sidecar's main thread first waits idle before it collects
/// Node's own heap.
const NODE_TRIM_AFTER: Duration = Duration::from_secs(1);

/// The host's end of the channel as the sidecar reads it: bytes, and the
/// descriptors the host sends along (a connected socket with `ReplyFd`),
/// kept in order for the frames that carry them.
struct ChannelReader {
  stream: UnixStream,
  fds: std::collections::VecDeque<std::os::fd::OwnedFd>,
}

/// Descriptors the reader keeps before frames take them (the host sends
/// one per `ReplyFd`, which is handled as soon as it is read).
const MAX_PENDING_FDS: usize = 64;

impl std::io::Read for ChannelReader {
  fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
    use rustix::net::{recvmsg, RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags};
    let mut space = [std::mem::MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(4))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let got = loop {
      match recvmsg(
        &self.stream,
        &mut [std::io::IoSliceMut::new(buf)],
        &mut control,
        RecvFlags::CMSG_CLOEXEC,
      ) {
        Ok(r) => break r,
        Err(rustix::io::Errno::INTR) => continue,
        Err(e) => return Err(e.into()),
      }
    };
    for msg in control.drain() {
      if let RecvAncillaryMessage::ScmRights(fds) = msg {
        for fd in fds {
          if self.fds.len() < MAX_PENDING_FDS {
            self.fds.push_back(fd);
          }
        }
      }
    }
    Ok(got.bytes)
  }
}

/// Whether `stream` has something to read within `wait`.
fn readable_within(stream: &UnixStream, wait: Duration) -> bool {
  let mut fd = libc::pollfd {
    fd: stream.as_raw_fd(),
    events: libc::POLLIN,
    revents: 0,
  };
  // SAFETY: one valid pollfd for the duration of the call.
  let n = unsafe { libc::poll(&mut fd, 1, wait.as_millis() as libc::c_int) };
  // An error (EINTR) counts as readable: the read decides.
  n != 0
}

/// Runs the sidecar until the host hangs up. Never returns.
pub fn serve() -> ! {
  // SAFETY: the host spawns us with the channel on CHANNEL_FD and nothing else.
  let stream = unsafe { UnixStream::from_raw_fd(CHANNEL_FD) };
  let mut reader = match stream.try_clone() {
    Ok(stream) => ChannelReader {
      stream,
      fds: Default::default(),
    },
    Err(_) => exit_now(71),
  };
  let outbox = Outbox(Arc::new(Mutex::new(stream)));
  if crate::engine::init_platform().is_err() {
    exit_now(72);
  }
  let v8 = crate::engine::v8_version();
  if v8.starts_with("13.") {
    // V8 13.6 (Node 24) can miss TerminateExecution in optimized hot loops
    // while concurrent recompilation is on (see notes/v8-inside-node.md).
    crate::engine::set_v8_flags("--no-concurrent-recompilation");
  }
  // From here on the sidecar needs no files; threads started later inherit.
  let hardening = hardening::apply();
  {
    let crate::ipc::Hardening {
      seccomp,
      landlock,
      no_new_privs,
      fs_probe_errno,
    } = hardening;
    // Partial Landlock (a kernel without ABI 8) still confines every thread
    // that runs guests: they start after this.
    if seccomp && landlock != crate::ipc::LandlockStatus::Unsupported {
      tracing::info!(
        seccomp,
        ?landlock,
        no_new_privs,
        fs_probe_errno,
        "sidecar hardened"
      );
    } else {
      tracing::warn!(
        seccomp,
        ?landlock,
        no_new_privs,
        fs_probe_errno,
        "sidecar not fully hardened"
      );
    }
  }
  let watchdog = watchdog::Watchdog::start(outbox.clone());
  let queries = Arc::new(queries::HostQueries::default());
  let links = runtime::SidecarLinks {
    outbox: outbox.clone(),
    watchdog,
    queries: queries.clone(),
  };
  // One runtime with the default limits, built while nobody waits for it:
  // the first `create()` on this sidecar (a pooled one) adopts it. Its
  // isolate is made while this thread registers the builtins (its first
  // context waits for them).
  let mut spare = runtime::RuntimeHandle::spare(default_config(), links.clone()).ok();
  execute::register_builtins();
  outbox.send(&ToHost::Ready {
    pid: std::process::id(),
    modules: crate::engine::built_for_modules() as u32,
    hardening,
  });
  let mut runtimes: HashMap<u32, runtime::RuntimeHandle> = HashMap::new();
  let mut bridges = bridge::Bridges::new(outbox.clone());
  let mut node_trimmed = false;
  loop {
    if !node_trimmed && !readable_within(&reader.stream, NODE_TRIM_AFTER) {
      // Node's own heap (this thread's) holds the sidecar's start-up
      // garbage for good otherwise: a dedicated sidecar's idle PSS.
      crate::engine::collect_node_garbage();
      // SAFETY: malloc_trim only returns free heap memory to the OS.
      unsafe { libc::malloc_trim(0) };
      node_trimmed = true;
    }
    let msg: ToSidecar = match ipc::read_frame(&mut reader) {
      Ok(Some(m)) => m,
      // EOF or a broken frame: the host is gone or not to be trusted.
      Ok(None) | Err(_) => exit_now(0),
    };
    match msg {
      ToSidecar::CreateRuntime { id, rt, config } => {
        if let Err(e) = crate::kernel::policy::Policy::new(&config.permissions) {
          outbox.send(&ToHost::RuntimeReady { id, error: Some(e) });
          continue;
        }
        let handle = match spare.take() {
          Some(mut h) => {
            h.adopt(rt, *config);
            Ok(h)
          }
          None => runtime::RuntimeHandle::spawn(rt, *config, links.clone()),
        };
        let error = match handle {
          Ok(h) => {
            runtimes.insert(rt, h);
            None
          }
          Err(e) => Some(e.to_string()),
        };
        outbox.send(&ToHost::RuntimeReady { id, error });
      }
      ToSidecar::Execute(req) => match runtimes.get(&req.rt) {
        Some(h) => h.execute(req),
        None => {
          let outcome = execute::internal_failure("no such runtime in this sidecar");
          outbox.send_completed(req.req, outcome);
        }
      },
      ToSidecar::OutputAck { rt, bytes } => {
        if let Some(h) = runtimes.get(&rt) {
          h.ack_output(bytes);
        }
      }
      ToSidecar::Cancel { rt, req } => {
        if let Some(h) = runtimes.get(&rt) {
          h.cancel(req);
        }
      }
      ToSidecar::Fs { id, rt, call } => {
        let result = match runtimes.get(&rt) {
          Some(h) => crate::kernel::fs::host_call(&h.kernel, call),
          None => Err(crate::ipc::FsError {
            code: "ERR_SANDBOX_DISPOSED".into(),
            errno: 0,
            syscall: String::new(),
            path: None,
            message: "no such runtime in this sidecar".into(),
          }),
        };
        // Never dropped: a reply too large for a frame becomes an error.
        if let Ok(buf) = crate::ipc::encode(&ToHost::FsDone { id, result }) {
          outbox.write(&buf);
        } else {
          outbox.send(&ToHost::FsDone {
            id,
            result: Err(crate::ipc::FsError {
              code: "ERR_SANDBOX_RESULT_TOO_LARGE".into(),
              errno: 0,
              syscall: String::new(),
              path: None,
              message: format!(
                "The reply is larger than {} bytes, the most one message may carry",
                crate::ipc::MAX_IPC_FRAME_BYTES
              ),
            }),
          });
        }
      }
      ToSidecar::Reply { id, reply } => queries.answer(id, reply),
      ToSidecar::Bridge { rt, conn, msg } => match msg {
        crate::ipc::BridgeMsg::Open { port } => match runtimes.get(&rt) {
          Some(h) => bridges.open(rt, conn, h.kernel.clone(), port),
          None => outbox.send(&ToHost::Bridge {
            conn,
            msg: crate::ipc::BridgeMsg::Closed {
              error: Some("no such runtime in this sidecar".into()),
            },
          }),
        },
        msg => bridges.host(conn, msg),
      },
      ToSidecar::ReplyFd { id, reply } => match reader.fds.pop_front() {
        Some(fd) => queries.answer_with_fd(id, reply, fd),
        None => queries.answer(
          id,
          Err(crate::ipc::HostError {
            name: "Error".into(),
            message: "The host's connection arrived without its socket".into(),
            code: Some("ECONNABORTED".into()),
          }),
        ),
      },
      ToSidecar::OpenContext(req) => match runtimes.get(&req.rt) {
        Some(h) => h.open_context(req),
        None => outbox.send(&ToHost::ContextOpened {
          id: req.id,
          result: Err("no such runtime in this sidecar".into()),
        }),
      },
      ToSidecar::ContextCall(call) => match runtimes.get(&call.rt) {
        Some(h) => h.context_call(call),
        None => {
          let outcome = execute::internal_failure("no such runtime in this sidecar");
          outbox.send_completed(call.req, outcome);
        }
      },
      ToSidecar::CloseContext { rt, ctx } => {
        if let Some(h) = runtimes.get(&rt) {
          h.close_context(ctx);
        }
      }
      ToSidecar::Spawn(req) => match runtimes.get(&req.rt) {
        Some(h) => bridges.spawn(h.kernel.clone(), h.spawner.clone(), req),
        None => outbox.send(&ToHost::Proc {
          id: req.id,
          msg: crate::ipc::ProcMsg::Failed {
            code: "ERR_SANDBOX_DISPOSED".into(),
            message: "no such runtime in this sidecar".into(),
          },
        }),
      },
      ToSidecar::Proc { rt, id, msg } => bridges.proc(rt, id, msg),
      ToSidecar::DisposeRuntime { rt } => {
        bridges.close_runtime(rt);
        if let Some(h) = runtimes.remove(&rt) {
          h.dispose();
        }
        // Give freed isolate memory back to the OS in shared sidecars.
        // SAFETY: malloc_trim only returns free heap memory to the OS.
        unsafe { libc::malloc_trim(0) };
      }
    }
  }
}
