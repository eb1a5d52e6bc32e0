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

/// Is the guest allowed `request`? `Err` is the `EACCES` to report, or
/// the reason the process could not wait for the host (it is ending).
/// `syscall` names the operation in the error (`EACCES: ..., open '/x'`).
pub fn check(
  s: &mut OpState,
  request: PermissionRequest,
  syscall: &'static str,
) -> Result<(), OpError> {
  let policy = &s.kernel.policy;
  let verdict = match request.scope {
    Scope::Fs => policy.fs(request.access.unwrap_or(Access::Read), &request.target),
    Scope::Env | Scope::Tool => policy.name(request.scope, &request.target),
    scope => policy
      .fixed(scope)
      .unwrap_or(Verdict::Deny(Because::NoEntry)),
  };
  let (allowed, because) = match verdict {
    Verdict::Allow(b) => (true, b),
    Verdict::Deny(b) => (false, b),
    Verdict::AskHost => (ask_host(s, &request)?, Because::Host),
  };
  log_decision(
    request.scope,
    &request.op,
    &request.target,
    allowed,
    &because,
  );
  if s.kernel.audit {
    let rule = s
      .kernel
      .policy
      .describe(request.scope, request.access, &because);
    let denied = denial(&request, syscall);
    audit(
      s,
      AuditEvent::Permission {
        pid: s.process.pid,
        request,
        allowed,
        rule,
      },
    );
    return if allowed { Ok(()) } else { Err(denied) };
  }
  if allowed {
    Ok(())
  } else {
    Err(denial(&request, syscall))
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
  check(
    s,
    PermissionRequest {
      scope: Scope::Fs,
      op: op.into(),
      access: Some(access),
      target: target.into(),
    },
    op,
  )
  .map_err(|e| match e {
    OpError::Kernel(k) if k.errno == Errno::EACCES => k.path(shown).into(),
    other => other,
  })
}

/// `check` for `op` on the name `name` in `scope` (env, tool).
pub fn name(s: &mut OpState, scope: Scope, op: &str, name: &str) -> Result<(), OpError> {
  check(
    s,
    PermissionRequest {
      scope,
      op: op.into(),
      access: None,
      target: name.into(),
    },
    scope.name(),
  )
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

fn denial(r: &PermissionRequest, syscall: &'static str) -> OpError {
  KernelError::new(Errno::EACCES, syscall)
    .path(r.target.clone())
    .into()
}

fn ask_host(s: &mut OpState, request: &PermissionRequest) -> Result<bool, OpError> {
  // The access is part of the question: `open` asks read and write of
  // the same path, and a kept "read" must never answer "write".
  let key = (
    request.scope,
    request.access,
    request.op.clone(),
    request.target.clone(),
  );
  if let Some(&allowed) = s.process.permission_cache.get(&key) {
    return Ok(allowed);
  }
  match s.control.query_host(Query::Permission(request.clone())) {
    Ok(reply) => {
      let allowed = reply.first() == Some(&1);
      if reply.get(1) == Some(&1) && s.process.permission_cache.len() < MAX_CACHED_PERMISSIONS {
        s.process.permission_cache.insert(key, allowed);
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
  if !s.kernel.audit {
    return;
  }
  let n = s.process.audit_events;
  if n > MAX_AUDIT_EVENTS_PER_PROCESS {
    return;
  }
  s.process.audit_events = n + 1;
  if n == MAX_AUDIT_EVENTS_PER_PROCESS {
    s.control.audit(AuditEvent::Dropped {
      pid: s.process.pid,
      after: n,
    });
  } else {
    s.control.audit(event);
  }
}
