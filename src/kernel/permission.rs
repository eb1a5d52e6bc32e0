//! The policy applied to one guest request: a static rule answers at
//! once; a host function is asked through a host query (its answer kept
//! for the rest of the call when the host says so); a failing or throwing
//! host function denies. Every decision is an audit event when the host
//! listens. A denial is `EACCES`, as Node reports one.
use super::error::{Errno, KernelError, OpError};
use super::limits::{MAX_AUDIT_EVENTS_PER_PROCESS, MAX_CACHED_PERMISSIONS};
use super::policy::{Access, Because, Scope, Verdict};
use super::syscall::OpState;
use crate::ipc::{AuditEvent, PermissionRequest, Query};

/// What a guest asks: `op` (with `access`, for fs) on `target` in `scope`.
#[derive(Clone, Copy)]
pub struct Ask<'a> {
  pub scope: Scope,
  pub op: &'a str,
  pub access: Option<Access>,
  pub target: &'a str,
}

impl Ask<'_> {
  /// The owned request the host function and audit events get (made only
  /// for them: a static answer allocates nothing).
  fn request(self) -> PermissionRequest {
    PermissionRequest {
      scope: self.scope,
      op: self.op.into(),
      access: self.access,
      target: self.target.into(),
    }
  }
}

/// What a check needs of the process asking: the kernel's policy, the
/// way to the host, the answers the host let it keep, and its audit count.
/// Borrowed from the op state, or from a caller that lent them out (the
/// module resolver, which reads files while the process is busy).
pub struct Checker<'a> {
  pub kernel: &'a super::Kernel,
  pub control: &'a dyn super::process::ProcessControl,
  pub cache: &'a mut PermissionCache,
  pub audit_events: &'a mut u64,
  pub pid: u32,
}

/// Host answers kept for the rest of a call, by (scope, access, op, target).
pub type PermissionCache = std::collections::HashMap<(Scope, Option<Access>, String, String), bool>;

impl OpState {
  pub fn checker(&mut self) -> Checker<'_> {
    Checker {
      kernel: &self.kernel,
      control: &*self.control,
      cache: &mut self.process.permission_cache,
      audit_events: &mut self.process.audit_events,
      pid: self.process.pid,
    }
  }
}

/// Is the guest allowed `ask`? `Err` is the `EACCES` to report, or the
/// reason the process could not wait for the host (it is ending).
/// `syscall` names the operation in the error (`EACCES: ..., open '/x'`).
pub fn check(s: &mut OpState, ask: Ask<'_>, syscall: &'static str) -> Result<(), OpError> {
  check_with(&mut s.checker(), ask, syscall)
}

pub fn check_with(c: &mut Checker<'_>, ask: Ask<'_>, syscall: &'static str) -> Result<(), OpError> {
  let policy = &c.kernel.policy;
  let verdict = match ask.scope {
    Scope::Fs => policy.fs(ask.access.unwrap_or(Access::Read), ask.target),
    Scope::Env | Scope::Tool => policy.name(ask.scope, ask.target),
    scope => policy
      .fixed(scope)
      .unwrap_or(Verdict::Deny(Because::NoEntry)),
  };
  decide(c, ask, verdict, syscall)
}

/// Applies the network policy's `verdict` on connecting to `target` (how
/// the guest named it, `host:port`, which a host function and audit events
/// see).
pub fn connect(s: &mut OpState, verdict: Verdict, target: &str) -> Result<(), OpError> {
  let ask = Ask {
    scope: Scope::Network,
    op: "connect",
    access: None,
    target,
  };
  decide(&mut s.checker(), ask, verdict, "connect").map_err(|e| match e {
    OpError::Kernel(k) if k.errno == Errno::EACCES => KernelError::new(Errno::EACCES, "connect")
      .dest(target)
      .into(),
    other => other,
  })
}

/// Applies `verdict` (asking the host when it says so), logs and audits it.
fn decide(
  c: &mut Checker<'_>,
  ask: Ask<'_>,
  verdict: Verdict,
  syscall: &'static str,
) -> Result<(), OpError> {
  let (allowed, because) = match verdict {
    Verdict::Allow(b) => (true, b),
    Verdict::Deny(b) => (false, b),
    Verdict::AskHost => (ask_host(c, ask)?, Because::Host),
  };
  log_decision(ask.scope, ask.op, ask.target, allowed, &because);
  if c.kernel.audit {
    let rule = c.kernel.policy.describe(ask.scope, ask.access, &because);
    let event = AuditEvent::Permission {
      pid: c.pid,
      request: ask.request(),
      allowed,
      rule,
    };
    audit_with(c, event);
  }
  if allowed {
    Ok(())
  } else {
    Err(
      KernelError::new(Errno::EACCES, syscall)
        .path(ask.target)
        .into(),
    )
  }
}

/// `check` for an fs operation `op` (Node's syscall name) on `target`
/// (absolute, resolved); a denial names `shown`, the path as the guest
/// wrote it.
pub fn fs(
  s: &mut OpState,
  op: &'static str,
  access: Access,
  target: &str,
  shown: &str,
) -> Result<(), OpError> {
  let ask = Ask {
    scope: Scope::Fs,
    op,
    access: Some(access),
    target,
  };
  check(s, ask, op).map_err(|e| match e {
    OpError::Kernel(k) if k.errno == Errno::EACCES => k.path(shown).into(),
    other => other,
  })
}

/// `check` for `op` on the name `name` in `scope` (env, tool).
pub fn name(s: &mut OpState, scope: Scope, op: &str, name: &str) -> Result<(), OpError> {
  let ask = Ask {
    scope,
    op,
    access: None,
    target: name,
  };
  check(s, ask, scope.name())
}

/// Logs a decision: a denial at info, an allowed request at debug. The
/// target is the guest's (a path or a name): it is logged at debug only.
pub fn log_decision(scope: Scope, op: &str, target: &str, allowed: bool, because: &Because) {
  let scope = scope.name();
  if allowed {
    let target = crate::log::guest(target);
    tracing::debug!(scope, op, ?target, ?because, "permission allowed");
  } else if tracing::enabled!(tracing::Level::DEBUG) {
    let target = crate::log::guest(target);
    tracing::info!(scope, op, ?target, ?because, "permission denied");
  } else {
    tracing::info!(scope, op, ?because, "permission denied");
  }
}

fn ask_host(c: &mut Checker<'_>, ask: Ask<'_>) -> Result<bool, OpError> {
  // The access is part of the question: `open` asks read and write of
  // the same path, and a kept "read" must never answer "write".
  let key = (
    ask.scope,
    ask.access,
    ask.op.to_string(),
    ask.target.to_string(),
  );
  if let Some(&allowed) = c.cache.get(&key) {
    return Ok(allowed);
  }
  match c.control.query_host(Query::Permission(ask.request())) {
    Ok(reply) => {
      let allowed = reply.first() == Some(&1);
      if reply.get(1) == Some(&1) && c.cache.len() < MAX_CACHED_PERMISSIONS {
        c.cache.insert(key, allowed);
      }
      Ok(allowed)
    }
    // The host function threw: denied.
    Err(OpError::Host(_)) => Ok(false),
    Err(e) => Err(e),
  }
}

/// Sends `event` to the host, at most `MAX_AUDIT_EVENTS_PER_PROCESS` per
/// guest process.
pub fn audit(s: &mut OpState, event: AuditEvent) {
  audit_with(&mut s.checker(), event);
}

pub fn audit_with(c: &mut Checker<'_>, event: AuditEvent) {
  if !c.kernel.audit {
    return;
  }
  let n = *c.audit_events;
  if n > MAX_AUDIT_EVENTS_PER_PROCESS {
    return;
  }
  *c.audit_events = n + 1;
  if n == MAX_AUDIT_EVENTS_PER_PROCESS {
    c.control.audit(AuditEvent::Dropped {
      pid: c.pid,
      after: n,
    });
  } else {
    c.control.audit(event);
  }
}
