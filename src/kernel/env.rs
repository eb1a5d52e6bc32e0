//! A guest process's environment: only what the host passed for the call,
//! read and written through the `env` scope. A name the policy does not
//! allow reads as unset (so code probing `NODE_ENV` keeps working) and
//! cannot be written (`EACCES`); both are audited.
use super::error::{ErrorClass, OpError};
use super::limits::{MAX_ENV_BYTES, MAX_ENV_VARS};
use super::op::{OpResult, OpValue};
use super::permission;
use super::policy::Scope;
use super::syscall::OpState;

fn readable(s: &mut OpState, name: &str) -> OpResult<bool> {
  match permission::name(s, Scope::Env, "read", name) {
    Ok(()) => Ok(true),
    Err(OpError::Kernel(_)) => Ok(false),
    Err(e) => Err(e),
  }
}

pub fn get(s: &mut OpState, name: &str) -> OpResult<OpValue<'static>> {
  let Some(i) = s.process.env.iter().position(|(k, _)| k == name) else {
    return Ok(OpValue::Undefined);
  };
  if !readable(s, name)? {
    return Ok(OpValue::Undefined);
  }
  Ok(OpValue::Str(s.process.env[i].1.clone().into()))
}

/// The names the guest may read, in the order they were set.
pub fn keys(s: &mut OpState) -> OpResult<OpValue<'static>> {
  let names: Vec<String> = s.process.env.iter().map(|(k, _)| k.clone()).collect();
  let mut visible = Vec::with_capacity(names.len());
  for name in names {
    if readable(s, &name)? {
      visible.push(name);
    }
  }
  Ok(OpValue::Strings(visible))
}

pub fn set(s: &mut OpState, name: &str, value: &str) -> OpResult<()> {
  if name.len() > MAX_ENV_BYTES || value.len() > MAX_ENV_BYTES {
    return Err(too_big());
  }
  permission::name(s, Scope::Env, "write", name)?;
  let env = &mut s.process.env;
  match env.iter().position(|(k, _)| k == name) {
    Some(i) => env[i].1 = value.to_string(),
    None if env.len() >= MAX_ENV_VARS => return Err(too_big()),
    None => env.push((name.to_string(), value.to_string())),
  }
  Ok(())
}

pub fn delete(s: &mut OpState, name: &str) -> OpResult<()> {
  if !s.process.env.iter().any(|(k, _)| k == name) {
    return Ok(());
  }
  permission::name(s, Scope::Env, "write", name)?;
  s.process.env.retain(|(k, _)| k != name);
  Ok(())
}

fn too_big() -> OpError {
  OpError::coded(
    ErrorClass::RangeError,
    "ERR_OUT_OF_RANGE",
    format!(
      "process.env holds at most {MAX_ENV_VARS} variables of at most {MAX_ENV_BYTES} bytes each"
    ),
  )
}
