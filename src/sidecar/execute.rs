//! Runs one guest process (a `run()`/`exec()`): a fresh context, the user's
//! code, then the event loop until it drains, the guest exits or a limit
//! stops it. Turns every ending into an [`Outcome`].
use std::sync::Arc;
use std::time::Duration;

use super::runtime::{RuntimeEngine, RuntimeShared, StopReason};
use super::watchdog::Watchdog;
use super::Outbox;
use crate::engine::{Context, ContextSpec, Exception, Hook, Status};
use crate::ipc::{ExecRequest, ExitKind, GuestError, Outcome, RuntimeConfig, ToHost};
use crate::kernel::clock::Clock;
use crate::kernel::limits::{stream_credit, MAX_LOOP_WAIT_MS, MAX_STREAM_CHUNK_BYTES};
use crate::kernel::process::Process;
use crate::kernel::stdio::{OutputSink, Stdio};
use crate::kernel::syscall::OpState;

/// The guest builtins, bundled from src/guest by build.rs.
static GUEST_BUNDLE: &str = include_str!(concat!(env!("OUT_DIR"), "/guest_bundle.js"));
/// The name the bundle carries in stack traces.
pub const BOOTSTRAP_NAME: &str = "node:internal/bootstrap";
/// The Node.js version the guest reports (the one the addon was built for,
/// which is the one running the sidecar).
pub const NODE_VERSION: &str = env!("SE_BUILD_NODE_VERSION");

/// Exit codes, as a shell reports them.
pub const EXIT_UNCAUGHT: i32 = 1;
pub const EXIT_UNSETTLED_AWAIT: i32 = 13;
pub const EXIT_TIMEOUT: i32 = 124;
pub const EXIT_ABORTED: i32 = 130;
pub const EXIT_MEMORY: i32 = 137;

pub fn internal_failure(why: &str) -> Outcome {
  Outcome {
    kind: ExitKind::Internal,
    code: 70,
    value: None,
    error: Some(GuestError {
      name: "Error".into(),
      message: why.into(),
      stack: String::new(),
      code: Some("ERR_SANDBOX_INTERNAL".into()),
    }),
    stdout: Vec::new(),
    stderr: Vec::new(),
    stdout_truncated: false,
    stderr_truncated: false,
  }
}

/// Why the event loop ended early.
enum Ending {
  Uncaught(Box<Exception>),
  Stopped,
}

fn check(st: Status) -> Result<(), Ending> {
  match st {
    Status::Ok => Ok(()),
    Status::Exception(e) => Err(Ending::Uncaught(e)),
    Status::Terminated => Err(Ending::Stopped),
  }
}

/// The bootstrap config known before a call: the same for every call of a runtime.
fn runtime_config_json(config: &RuntimeConfig) -> String {
  serde_json::json!({
    "platform": "linux",
    "arch": "x64",
    "version": NODE_VERSION,
    "versions": { "node": NODE_VERSION.trim_start_matches('v'), "v8": crate::engine::v8_version(),
                  "modules": crate::engine::built_for_modules().to_string() },
    "execPath": GUEST_EXEC_PATH,
    "timingFreeze": config.timing_freeze,
    "argv": [GUEST_EXEC_PATH],
    "env": {},
    "cwd": "/",
    "pid": 1,
    "ppid": 0,
    "stdin": serde_json::Value::Null,
    "filePath": "/index.js",
    "testOps": config.test_ops,
    "tools": config.tools,
  })
  .to_string()
}

/// The part of the bootstrap config that belongs to one call.
fn call_config_json(req: &ExecRequest, pid: u32) -> String {
  let mut argv = vec![GUEST_EXEC_PATH.to_string(), req.file_path.clone()];
  argv.extend(req.argv.iter().cloned());
  let env: serde_json::Map<String, serde_json::Value> = req
    .env
    .iter()
    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
    .collect();
  serde_json::json!({
    "argv": argv,
    "env": env,
    "cwd": req.cwd,
    "pid": pid,
    "ppid": 1,
    "filePath": req.file_path,
  })
  .to_string()
}

/// Where the guest is told its `node` lives (never the host's real path).
const GUEST_EXEC_PATH: &str = "/usr/bin/node";

fn context_spec(json: &str) -> ContextSpec<'_> {
  ContextSpec {
    bootstrap: GUEST_BUNDLE,
    bootstrap_name: BOOTSTRAP_NAME,
    config_json: json,
  }
}

/// The op state of guest process `pid` (0: a context being prepared).
fn op_state(engine: &RuntimeEngine, config: &RuntimeConfig, pid: u32, stdio: Stdio) -> OpState {
  let mut process = Process::new(pid, stdio, Clock::new(config.timing_freeze));
  process.test_ops = config.test_ops;
  engine.host.supervisor.pid.set(pid);
  OpState::new(
    process,
    engine.host.kernel.clone(),
    engine.host.supervisor.clone(),
  )
}

/// Sets up the runtime's next guest context while it is idle, so that a
/// call finds its context ready.
pub fn prepare(engine: &mut RuntimeEngine, config: &RuntimeConfig) {
  if engine.next.is_some() {
    return;
  }
  engine.isolate.cancel_terminate();
  // Syscalls made while bootstrapping (the clock) need a process.
  let state = op_state(engine, config, 0, Stdio::new(0, None));
  *engine.host.state.borrow_mut() = Some(state);
  let json = runtime_config_json(config);
  let (ctx, st) = Context::new(&engine.isolate, &context_spec(&json));
  if matches!(st, Status::Ok) {
    engine.next = Some(ctx);
  }
  if engine.baseline_heap == 0 {
    engine.baseline_heap = engine.isolate.memory().heap_used;
  }
}

/// The ms until the guest's next timer, as its event loop reported it:
/// `None` when nothing is pending. A broken or hostile loop cannot make the
/// runtime misbehave: NaN ends the loop, huge waits are capped.
fn loop_wait(next: f64) -> Option<f64> {
  if next.is_nan() || next < 0.0 {
    None
  } else {
    Some(next.min(MAX_LOOP_WAIT_MS))
  }
}

/// An exit code as the guest's loop reported it, kept to what a process can
/// exit with (the low byte, as the OS keeps it).
fn exit_code_of(code: f64) -> i32 {
  if code.is_finite() {
    (code as i64 & 0xff) as i32
  } else {
    0
  }
}

/// Node's report of an uncaught exception: where, what, and the version.
/// The guest's `hooks.formatFatal` writes it when it can; this is the
/// fallback for a guest whose own builtins are broken.
pub fn format_uncaught(exc: &Exception) -> String {
  if let Some(text) = &exc.inspected {
    return text.clone();
  }
  let mut s = String::new();
  if let (Some(res), Some(src)) = (&exc.resource, &exc.source_line) {
    if res != BOOTSTRAP_NAME && exc.line > 0 {
      let caret = " ".repeat(exc.start_col.max(0) as usize);
      s.push_str(&format!("{res}:{}\n{src}\n{caret}^\n", exc.line));
    }
  }
  let body = exc.stack.clone().unwrap_or_else(|| {
    format!(
      "{}: {}",
      exc.name.as_deref().unwrap_or("Error"),
      exc.message.as_deref().unwrap_or("")
    )
  });
  s.push_str(&format!("\n{body}\n\nNode.js {NODE_VERSION}\n"));
  s
}

/// Node decorates a SyntaxError's stack with where it is ("file:line",
/// the source line, a caret), since its frames cannot say it.
fn syntax_error_stack(exc: &Exception) -> Option<String> {
  let (res, src) = (exc.resource.as_ref()?, exc.source_line.as_ref()?);
  if exc.name.as_deref() != Some("SyntaxError") || res == BOOTSTRAP_NAME || exc.line <= 0 {
    return None;
  }
  let width = (exc.end_col - exc.start_col).max(1) as usize;
  let caret = " ".repeat(exc.start_col.max(0) as usize) + &"^".repeat(width);
  let stack = exc.stack.as_deref().unwrap_or("");
  Some(format!("{res}:{}\n{src}\n{caret}\n\n{stack}", exc.line))
}

fn guest_error(exc: &Exception) -> GuestError {
  GuestError {
    name: exc.name.clone().unwrap_or_else(|| "Error".into()),
    message: exc.message.clone().unwrap_or_default(),
    stack: if exc.is_error {
      syntax_error_stack(exc)
        .or_else(|| exc.stack.clone())
        .unwrap_or_default()
    } else {
      String::new()
    },
    code: exc.code.clone(),
  }
}

/// One guest process to run: its pid in the runtime's process table and
/// the request it serves.
pub struct Call {
  pub pid: u32,
  pub req: ExecRequest,
}

pub fn run(
  engine: &mut RuntimeEngine,
  config: &RuntimeConfig,
  shared: &Arc<RuntimeShared>,
  outbox: &Outbox,
  watchdog: &Watchdog,
  rss_limit: Option<u64>,
  call: Call,
) -> Outcome {
  let Call { pid, req } = call;
  let id = req.req;
  shared.begin(id);
  engine.isolate.cancel_terminate();
  engine.host.reset_heap_raises();
  let sink: Option<OutputSink> = req.stream.then(|| {
    let outbox = outbox.clone();
    let shared = shared.clone();
    let send = move |stream, data: Vec<u8>| {
      // Each frame waits for room in the host's window.
      shared.reserve_output(stream_credit(data.len()));
      outbox.send(&ToHost::Output {
        req: id,
        stream,
        data,
      });
    };
    Box::new(move |stream, data: Vec<u8>| {
      // Bounded frames; a batch that already fits goes without a copy.
      if data.len() <= MAX_STREAM_CHUNK_BYTES {
        return send(stream, data);
      }
      for chunk in data.chunks(MAX_STREAM_CHUNK_BYTES) {
        send(stream, chunk.to_vec());
      }
    }) as OutputSink
  });
  let wall_ms = req
    .timeout_ms
    .map_or(config.wall_time_ms, |t| t.min(config.wall_time_ms));
  let watch = watchdog.watch(
    id,
    shared.clone(),
    Duration::from_millis(config.cpu_time_ms),
    Duration::from_millis(wall_ms),
    rss_limit,
  );

  if engine.next.is_none() {
    prepare(engine, config);
  }
  let ctx = engine.next.take();
  let engine = &*engine;
  let iso = &engine.isolate;
  // The guest process starts now: its clock, its output.
  let mut state = op_state(
    engine,
    config,
    pid,
    Stdio::new(config.max_output_bytes as usize, sink),
  );
  state.process.cwd = req.cwd.clone();
  state.process.env = req.env.clone();
  *engine.host.state.borrow_mut() = Some(state);
  let Some(ctx) = ctx else {
    drop(watch);
    shared.end();
    return internal_failure("could not set up a guest context");
  };
  let json = call_config_json(&req, pid);
  ctx.enter_call();
  let st = match ctx.configure(&json, req.stdin.as_deref()) {
    Status::Ok => ctx.call_hook(Hook::Start, &[]).0,
    other => other,
  };
  let mut internal: Option<String> = None;
  let mut unsettled_await = false;
  let ending = match st {
    Status::Ok => match drive(&ctx, engine, shared, &req) {
      Ok(unsettled) => {
        unsettled_await = unsettled;
        None
      }
      Err(e) => Some(e),
    },
    Status::Terminated => Some(Ending::Stopped),
    // The call's stdin did not fit its memory limit.
    Status::Exception(_) if shared.stop_reason() != StopReason::None => Some(Ending::Stopped),
    Status::Exception(e) => {
      internal = Some(format!(
        "guest bootstrap failed: {}",
        e.stack.as_deref().or(e.message.as_deref()).unwrap_or("?")
      ));
      None
    }
  };

  // A guest stopped by a limit may surface first as an exception (an
  // ArrayBuffer allocation refused under the memory limit throws a
  // RangeError before the termination lands): the limit is the cause.
  let ending = match ending {
    Some(Ending::Uncaught(_)) if shared.stop_reason() != StopReason::None => Some(Ending::Stopped),
    e => e,
  };
  let mut kind = ExitKind::Normal;
  let mut code = 0;
  let mut error = None;
  match ending {
    None => {
      if internal.is_none() {
        let (st, c) = ctx.call_hook(Hook::ExitCode, &[]);
        code = if matches!(st, Status::Ok) {
          exit_code_of(c)
        } else {
          0
        };
        if unsettled_await && code == 0 {
          kind = ExitKind::UnsettledAwait;
          code = EXIT_UNSETTLED_AWAIT;
        }
      }
    }
    Some(Ending::Uncaught(exc)) => {
      let text = format_uncaught(&exc);
      engine
        .host
        .with_process(|p| p.stdio.write(crate::ipc::Stream::Stderr, text.as_bytes()));
      kind = ExitKind::Uncaught;
      error = Some(guest_error(&exc));
      // 'exit' listeners still run; they (or a throwing uncaughtException
      // listener: 7) may set the code, which is never 0 here.
      let _ = ctx.call_hook(Hook::EmitExit, &[EXIT_UNCAUGHT as f64]);
      let (st, c) = ctx.call_hook(Hook::ExitCode, &[]);
      code = match st {
        Status::Ok if exit_code_of(c) != 0 => exit_code_of(c),
        _ => EXIT_UNCAUGHT,
      };
    }
    Some(Ending::Stopped) => {
      let reason = shared.stop_reason();
      kind = reason.exit_kind().unwrap_or(ExitKind::Internal);
      code = match reason {
        StopReason::Exit => engine
          .host
          .with_process(|p| p.exit_code)
          .flatten()
          .unwrap_or(0),
        StopReason::WallTimeout | StopReason::CpuTimeout => EXIT_TIMEOUT,
        StopReason::Memory => EXIT_MEMORY,
        StopReason::Aborted => EXIT_ABORTED,
        StopReason::None => 70,
      };
    }
  }
  // Retired while still watched: the context can never run again, and the
  // jobs it left behind are dropped unrun.
  drop(ctx);
  drop(watch);
  shared.end();
  iso.cancel_terminate();
  let state = engine.host.state.borrow_mut().take();
  let Some(OpState { process, .. }) = state else {
    return internal_failure("guest process state lost");
  };
  let value = process.return_value;
  let (stdout, stderr, stdout_truncated, stderr_truncated) = process.stdio.finish();
  if let Some(why) = internal {
    let mut o = internal_failure(&why);
    (o.stdout, o.stderr) = (stdout, stderr);
    return o;
  }
  Outcome {
    kind,
    code,
    value,
    error,
    stdout,
    stderr,
    stdout_truncated,
    stderr_truncated,
  }
}

/// The main script, then the event loop until nothing is pending, in
/// Node's phase order: timers, then the poll phase (wait for and settle
/// finished async ops), then immediates.
/// Returns true when the loop drained with the main module's top-level
/// await still pending.
fn drive(
  ctx: &Context,
  engine: &RuntimeEngine,
  shared: &RuntimeShared,
  req: &ExecRequest,
) -> Result<bool, Ending> {
  let module = ctx.is_module_syntax(&req.code);
  if module {
    check(ctx.run_module(&req.code, &req.file_path))?;
  } else {
    check(ctx.run_script(&req.code, &req.file_path))?;
  }
  check(ctx.call_hook(Hook::AfterScript, &[]).0)?;
  let lp = &engine.host.event_loop;
  let iso = &engine.isolate;
  loop {
    if module {
      ctx.module_state().map_err(Ending::Uncaught)?;
    }
    // Timers phase: what the guest reports is the wait until its next timer
    // (0: work is ready now, none: nothing of its own keeps the loop alive).
    let (st, next) = ctx.call_hook(Hook::Timers, &[]);
    check(st)?;
    engine.host.with_process(|p| p.stdio.flush());
    let task_due = iso.pump_tasks();
    // Poll phase: wait for whatever comes first.
    let guest_wait = loop_wait(next);
    let outside = lp.refed() > 0 || iso.has_pending_background_tasks();
    match guest_wait {
      Some(ms) if ms <= 0.0 => lp.poll_ready(),
      Some(ms) => {
        let wait = task_due.map_or(ms, |t| t.min(ms));
        let frozen_skip = !outside
          && engine
            .host
            .with_process(|p| p.clock.skip(ms))
            .unwrap_or(false);
        if !frozen_skip {
          let t0 = std::time::Instant::now();
          lp.wait(Some(Duration::from_secs_f64(wait / 1000.0)));
          // A virtual clock waiting on real work moves by the real wait.
          let spent = t0.elapsed().as_secs_f64() * 1000.0;
          engine.host.with_process(|p| p.clock.skip(spent));
        }
      }
      None if outside => lp.wait(task_due.map(|t| Duration::from_secs_f64(t / 1000.0))),
      None => lp.poll_ready(),
    }
    if shared.stop_reason() != StopReason::None {
      return Err(Ending::Stopped);
    }
    // Settle finished ops, run immediates; `beforeExit` if all is quiet
    // (the completions queued now are settled inside the hook).
    let outside = lp.refed() > 0 || iso.has_pending_background_tasks();
    let (st, next) = ctx.call_hook(Hook::Poll, &[if outside { 1.0 } else { 0.0 }]);
    check(st)?;
    engine.host.with_process(|p| p.stdio.flush());
    let outside = lp.refed() > 0 || lp.has_completions() || iso.has_pending_background_tasks();
    if loop_wait(next).is_none() && !outside {
      break;
    }
    if shared.stop_reason() != StopReason::None {
      return Err(Ending::Stopped);
    }
  }
  if module && !ctx.module_state().map_err(Ending::Uncaught)? {
    engine.host.with_process(|p| {
      p.stdio.write(
        crate::ipc::Stream::Stderr,
        b"Warning: Detected unsettled top-level await\n",
      )
    });
    check(
      ctx
        .call_hook(Hook::EmitExit, &[EXIT_UNSETTLED_AWAIT as f64])
        .0,
    )?;
    return Ok(true);
  }
  // No argument: a natural end, where process.exitCode stands.
  check(ctx.call_hook(Hook::EmitExit, &[]).0)?;
  Ok(false)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn loop_wait_never_trusts_the_guest() {
    assert_eq!(loop_wait(f64::NAN), None);
    assert_eq!(loop_wait(-1.0), None);
    assert_eq!(loop_wait(f64::NEG_INFINITY), None);
    assert_eq!(loop_wait(0.0), Some(0.0));
    assert_eq!(loop_wait(12.5), Some(12.5));
    assert_eq!(loop_wait(f64::INFINITY), Some(MAX_LOOP_WAIT_MS));
    assert_eq!(loop_wait(1e300), Some(MAX_LOOP_WAIT_MS));
  }

  #[test]
  fn exit_codes_keep_the_low_byte() {
    assert_eq!(exit_code_of(7.0), 7);
    assert_eq!(exit_code_of(256.0 + 3.0), 3);
    assert_eq!(exit_code_of(-1.0), 255);
    assert_eq!(exit_code_of(f64::NAN), 0);
    assert_eq!(exit_code_of(f64::INFINITY), 0);
    assert_eq!(exit_code_of(1e300), (i64::MAX & 0xff) as i32);
  }
}
