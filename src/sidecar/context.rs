//! Persistent contexts (`rt.createContext()`): guest processes that live
//! across calls. Each call runs a classic script in the context's global
//! scope (so top-level bindings stay, as in a REPL), drives the event loop
//! until it is quiet, and leaves the context suspended: nothing of it runs
//! until its next call. A limit, an abort or `process.exit()` ends it; so
//! does the loss of the isolate (every context of the runtime then ends).
use std::collections::HashMap;

use super::execute::{
  begin_call, check, classify, end_call, internal_failure, outcome_of, output_sink,
  process_config_json, process_state, run_loop, start_process, CallEnv, Ending,
};
use super::runtime::{RuntimeEngine, RuntimeParts};
use crate::engine::{Context, Hook, Status};
use crate::ipc::{ContextCall, ContextRequest, ExitKind, GuestError, Outcome, RuntimeConfig};
use crate::kernel::limits::MAX_PERSISTENT_CONTEXTS;
use crate::kernel::stdio::Stdio;
use crate::kernel::syscall::OpState;

/// The poll hook's second argument: forget the async ops the kernel
/// dropped (see `bootstrap.js` `poll`).
const POLL_FORGET_OPS: f64 = 1.0;

/// A live persistent context: its V8 context and, between calls, its
/// guest process's kernel state. Held by the [`RuntimeEngine`] whose
/// isolate it lives in, so that it goes before the isolate does.
pub struct PersistentContext {
  ctx: Context,
  /// Parked here between calls; the engine's host has it during one.
  state: Option<OpState>,
}

/// Every persistent context the host opened and has not closed: live
/// (its pid), or ended (why, for its next call to say).
#[derive(Default)]
pub struct ContextTable {
  entries: HashMap<u32, Entry>,
}

enum Entry {
  Live { pid: u32 },
  Ended(String),
}

/// Why the calls of a context whose isolate went away are refused.
pub const LOST_WITH_ISOLATE: &str =
  "its runtime's isolate was replaced (a call hit the memory limit or the sandbox failed)";

impl ContextTable {
  /// Starts context `req.ctx`: a new guest process (its pid), set up in the
  /// context prepared ahead.
  pub fn open(
    &mut self,
    engine: &mut RuntimeEngine,
    config: &RuntimeConfig,
    parts: &RuntimeParts,
    req: &ContextRequest,
  ) -> Result<u32, String> {
    if self.entries.contains_key(&req.ctx) {
      return Err("a context with this id is already open".into());
    }
    if self.entries.len() >= MAX_PERSISTENT_CONTEXTS {
      return Err(format!(
        "a runtime may have at most {MAX_PERSISTENT_CONTEXTS} open contexts"
      ));
    }
    let pid = parts
      .kernel()
      .processes()
      .spawn(crate::kernel::process::HOST_PID);
    // No limit watches the bootstrap (no guest code runs in it), but a
    // stop left by an earlier call must not cut it short.
    parts.shared().begin(req.id);
    engine.isolate.cancel_terminate();
    let state = process_state(engine, config, pid, Stdio::new(0, None), &req.cwd, &req.env);
    let json = process_config_json(&req.file_path, &req.cwd, &req.argv, pid, true);
    let started = start_process(engine, config, state, &json, None);
    let state = engine.host.state.borrow_mut().take();
    parts.shared().end();
    match (started, state) {
      (Ok(ctx), Some(state)) => {
        ctx.suspend_call();
        engine.contexts.insert(
          req.ctx,
          PersistentContext {
            ctx,
            state: Some(state),
          },
        );
        self.entries.insert(req.ctx, Entry::Live { pid });
        Ok(pid)
      }
      (started, _) => {
        exit_process(parts, pid, 70);
        Err(match started {
          Err((_, Status::Exception(e))) => format!(
            "the context's bootstrap failed: {}",
            e.stack.as_deref().or(e.message.as_deref()).unwrap_or("?")
          ),
          _ => "could not set up a guest context".into(),
        })
      }
    }
  }

  /// Runs `call` in its context. A call that ends the context (a limit, an
  /// abort, `process.exit()`) ends its process too; an uncaught exception
  /// does not.
  pub fn call(
    &mut self,
    engine: &mut RuntimeEngine,
    env: &CallEnv<'_>,
    parts: &RuntimeParts,
    call: &ContextCall,
  ) -> Outcome {
    let pid = match self.entries.get(&call.ctx) {
      Some(Entry::Live { pid }) => *pid,
      Some(Entry::Ended(why)) => return closed(why),
      None => return closed("it was closed"),
    };
    let Some(pc) = engine.contexts.remove(&call.ctx) else {
      // Its isolate went without a word (a bug elsewhere): say what is known.
      self.end(call.ctx, LOST_WITH_ISOLATE, parts);
      return closed(LOST_WITH_ISOLATE);
    };
    let (outcome, pc) = run_call(engine, env, pc, pid, call);
    match pc {
      Some(pc) => {
        engine.contexts.insert(call.ctx, pc);
      }
      None => {
        let why = match outcome.kind {
          ExitKind::Exit => "the guest called process.exit()",
          ExitKind::WallTimeout | ExitKind::CpuTimeout => "a call reached its time limit",
          ExitKind::MemoryLimit => "a call reached the memory limit",
          ExitKind::Aborted => "a call was aborted",
          _ => "a call failed in the sandbox",
        };
        self.end(call.ctx, why, parts);
      }
    }
    outcome
  }

  /// The host closed context `ctx` (or learnt that it ended): it goes.
  pub fn close(&mut self, engine: Option<&mut RuntimeEngine>, ctx: u32, parts: &RuntimeParts) {
    if let Some(engine) = engine {
      // Its V8 context is retired; its process state (open files) goes.
      engine.contexts.remove(&ctx);
    }
    if let Some(Entry::Live { pid }) = self.entries.remove(&ctx) {
      end_process(parts, pid);
    }
  }

  /// Ends context `ctx` for `why`, which its later calls report.
  fn end(&mut self, ctx: u32, why: &str, parts: &RuntimeParts) {
    if let Some(Entry::Live { pid }) = self.entries.get(&ctx) {
      end_process(parts, *pid);
      self.entries.insert(ctx, Entry::Ended(why.into()));
    }
  }

  /// The isolate is going (`engine` with it): every live context ends.
  pub fn end_all(&mut self, engine: Option<&mut RuntimeEngine>, why: &str, parts: &RuntimeParts) {
    if let Some(engine) = engine {
      engine.contexts.clear();
    }
    let live: Vec<u32> = self
      .entries
      .iter()
      .filter(|(_, e)| matches!(e, Entry::Live { .. }))
      .map(|(id, _)| *id)
      .collect();
    for ctx in live {
      self.end(ctx, why, parts);
    }
  }

  /// Some context is live (its memory is held on purpose).
  pub fn any_live(&self) -> bool {
    self
      .entries
      .values()
      .any(|e| matches!(e, Entry::Live { .. }))
  }
}

/// One call in context `pc` (process `pid`); gives the context back unless
/// the call ended it.
fn run_call(
  engine: &mut RuntimeEngine,
  env: &CallEnv<'_>,
  mut pc: PersistentContext,
  pid: u32,
  call: &ContextCall,
) -> (Outcome, Option<PersistentContext>) {
  let Some(mut state) = pc.state.take() else {
    return (internal_failure("guest process state lost"), None);
  };
  let watch = begin_call(engine, env, call.req, call.timeout_ms, pid, None);
  // What belongs to one call starts afresh: its output, its `__return`
  // value, the host's permission answers kept for it, its audit budget,
  // and the resolvers' caches (files may have changed since).
  let sink = output_sink(env, call.req, call.stream);
  let p = &mut state.process;
  p.stdio = Stdio::new(env.config.max_output_bytes as usize, sink);
  p.return_value = None;
  p.permission_cache.clear();
  p.audit_events = 0;
  p.resolvers = [None, None, None];
  p.tree = Some(watch.tree.clone());
  *engine.host.state.borrow_mut() = Some(state);
  let engine = &*engine;
  pc.ctx.resume_call();
  let mut ending = (|| -> Result<(), Ending> {
    check(pc.ctx.run_script(&call.code, &call.file_path))?;
    check(pc.ctx.call_hook(Hook::AfterScript, &[]).0)?;
    run_loop(&pc.ctx, engine, env.shared, false)
  })()
  .err();
  // What the context holds stays for its later calls, and the watchdog
  // checks memory V8 keeps outside the heap (WebAssembly memories) only in
  // calls longer than its first poll: many short calls must not add up to
  // more than the limit unnoticed.
  if !matches!(ending, Some(Ending::Stopped)) && engine.isolate.check_external_memory() {
    ending = Some(Ending::Stopped);
  }
  let ended = classify(&pc.ctx, engine, env, watch.wall_ms, ending, true);
  let survives = matches!(ended.kind, ExitKind::Normal | ExitKind::Uncaught);
  if survives {
    // Nothing of the context may run outside its calls: ops an uncaught
    // error left in flight are dropped, and the guest forgets them and
    // the signals it sent itself that no turn delivered.
    let lp = &engine.host.event_loop;
    if lp.has_process(pid) {
      lp.end_process(pid);
    }
    let _ = pc.ctx.call_hook(Hook::Poll, &[0.0, POLL_FORGET_OPS]);
    pc.ctx.suspend_call();
  }
  end_call(engine, env, watch);
  let Some(mut state) = engine.host.state.borrow_mut().take() else {
    return (internal_failure("guest process state lost"), None);
  };
  let outcome = outcome_of(&mut state, env.config, ended, None);
  if !survives {
    // Retired now (its jobs dropped unrun); its open files close.
    return (outcome, None);
  }
  state.process.stdio = Stdio::new(0, None);
  pc.state = Some(state);
  (outcome, Some(pc))
}

/// Process `pid` ended: its ops are dropped and its pid freed.
fn end_process(parts: &RuntimeParts, pid: u32) {
  parts.event_loop().end_process(pid);
  exit_process(parts, pid, 0);
}

fn exit_process(parts: &RuntimeParts, pid: u32, code: i32) {
  let kernel = parts.kernel();
  let mut table = kernel.processes();
  table.exit(pid, code, None);
  table.reap(pid);
}

/// The outcome of a call on a context that has ended.
fn closed(why: &str) -> Outcome {
  let mut o = internal_failure("");
  o.kind = ExitKind::ContextClosed;
  o.code = 1;
  o.error = Some(GuestError {
    name: "Error".into(),
    message: format!("The context has ended: {why}"),
    stack: String::new(),
    code: Some("ERR_SANDBOX_CONTEXT_CLOSED".into()),
  });
  o
}
