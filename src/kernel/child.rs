//! `child_process` in the kernel: starting a guest `node` process with its
//! argv, env, cwd and stdio (pipes, the parent's own, or nothing), waiting
//! for it, and the pipe descriptors a parent and child talk through. No
//! host binary is ever run: a command that is not `node` does not exist.
use std::sync::Arc;

use serde::Deserialize;

use super::error::{Errno, KernelError, OpError};
use super::fd::Desc;
use super::op::{pending, wait_until, Fd, GuestBuf, OpFuture, OpResult, OpValue};
use super::pipe::{PipeEnd, Read};
use super::policy::Scope;
use super::process::{ChildKind, ChildStart, Held, ProcessState, HOST_PID};
use super::stdio::{Stdio, Target};
use super::syscall::OpState;
use crate::ipc::Stream;

/// Bytes of a spawn's arguments and environment together (Linux's
/// `ARG_MAX` for one exec: past it, `E2BIG`).
pub const MAX_SPAWN_BYTES: usize = 2 * 1024 * 1024;
/// Arguments and environment entries of one spawn.
pub const MAX_SPAWN_ITEMS: usize = 65_536;
/// Bytes one pipe read hands the guest at most.
const MAX_PIPE_READ: usize = 64 * 1024;
/// Where the guest's `node` is.
pub const NODE_PATH: &str = "/usr/bin/node";

/// What the guest's `child_process` asks for (JSON, built by our builtin
/// from validated options; still checked here as hostile input).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
  file: String,
  args: Vec<String>,
  cwd: Option<String>,
  /// `KEY=value` entries, as Node's `envPairs`.
  env: Vec<String>,
  /// For fds 0, 1 and 2: "pipe", "inherit", "ignore", or "fd:N" (the
  /// parent's descriptor N: its stdio, or an end of a pipe it holds).
  stdio: [String; 3],
  /// An IPC channel (`fork`, stdio 'ipc'): messages both ways.
  #[serde(default)]
  ipc: bool,
  /// A `worker_threads` Worker: a channel, the parent's pid, a thread id,
  /// and the op's bytes (its serialized workerData) as its start data.
  #[serde(default)]
  worker: bool,
  /// The channel carries V8-serialized messages (`serialization:
  /// 'advanced'`), not JSON.
  #[serde(default)]
  advanced: bool,
}

fn spawn_error(errno: Errno, file: &str) -> OpError {
  KernelError::new(errno, "spawn").path(file).into()
}

/// Is `file` the guest's `node`? By name (looked up on PATH, where it is)
/// or by its path.
pub fn is_node(file: &str) -> bool {
  file == "node" || file == NODE_PATH || file == "/usr/local/bin/node"
}

/// What `node <args>` runs: `-e`/`-p` code or a script, and the arguments
/// it sees. `Err`: Node's own refusal (`node: bad option`), as status 9.
enum Main {
  Eval {
    code: String,
    print: bool,
    args: Vec<String>,
  },
  Script {
    path: String,
    args: Vec<String>,
  },
  Version,
  BadOption(String),
}

fn parse_node_args(args: &[String]) -> Main {
  let mut i = 0;
  while i < args.len() {
    let a = args[i].as_str();
    match a {
      "-e" | "--eval" | "-p" | "--print" => {
        let Some(code) = args.get(i + 1) else {
          return Main::BadOption(format!("node: {a} requires an argument\n"));
        };
        let rest = args[i + 2..]
          .iter()
          .skip_while(|a| *a == "--")
          .cloned()
          .collect();
        return Main::Eval {
          code: code.clone(),
          print: a == "-p" || a == "--print",
          args: rest,
        };
      }
      "-v" | "--version" => return Main::Version,
      "--" => {
        i += 1;
        break;
      }
      // Options that change nothing here.
      "--no-warnings" | "--no-deprecation" | "--enable-source-maps" | "--expose-gc" => {}
      _ if a.starts_with('-') && a != "-" => {
        return Main::BadOption(format!("node: bad option: {a}\n"))
      }
      _ => break,
    }
    i += 1;
  }
  match args.get(i) {
    Some(script) => Main::Script {
      path: script.clone(),
      args: args[i + 1..].to_vec(),
    },
    // No script: Node reads one from stdin (its REPL needs a TTY).
    None => Main::Script {
      path: "-".into(),
      args: Vec::new(),
    },
  }
}

/// Joins `path` to `cwd` and removes `.` and `..`, as path.resolve does.
fn resolve_path(cwd: &str, path: &str) -> String {
  super::policy::normalize(&super::shell::absolute(cwd, path))
}

/// JS that throws Node's error for a main module that cannot be loaded.
fn missing_main(path: &str) -> String {
  let quoted = serde_json::to_string(&format!("Cannot find module '{path}'")).unwrap_or_default();
  format!(
    "const e = new Error({quoted}); e.code = 'MODULE_NOT_FOUND'; e.requireStack = []; throw e;"
  )
}

/// The child's code and main path for `main`, read with the parent's view
/// of the filesystem (its policy).
fn main_source(s: &mut OpState, main: &Main, cwd: &str) -> (String, String, Vec<String>, bool) {
  match main {
    Main::Eval { code, print, args } => {
      let code = if *print {
        // -p prints the completion value of the code, as Node's does.
        format!(
          "console.log(require('vm').runInThisContext({}, {{ filename: '[eval]' }}))",
          serde_json::to_string(code).unwrap_or_default()
        )
      } else {
        code.clone()
      };
      (code, resolve_path(cwd, "[eval]"), args.clone(), true)
    }
    Main::Version => (
      "process.stdout.write(process.version + '\\n')".into(),
      resolve_path(cwd, "[eval]"),
      Vec::new(),
      true,
    ),
    Main::BadOption(text) => (
      format!(
        "process.stderr.write({}); process.exitCode = 9;",
        serde_json::to_string(text).unwrap_or_default()
      ),
      resolve_path(cwd, "[eval]"),
      Vec::new(),
      true,
    ),
    Main::Script { path, args } if path == "-" => (
      // The script comes on stdin.
      "let s = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', (c) => { s += c; }); \
       process.stdin.on('end', () => { require('vm').runInThisContext(s, { filename: '[stdin]' }); });"
        .into(),
      resolve_path(cwd, "[stdin]"),
      args.clone(),
      true,
    ),
    Main::Script { path, args } => {
      let abs = resolve_path(cwd, path);
      let found = super::resolve::resolve(s, &abs, &resolve_path(cwd, "[main]"), 0)
        .ok()
        .and_then(|v| match v {
          OpValue::Strings(mut v) if !v.is_empty() => Some(v.swap_remove(0)),
          _ => None,
        });
      let code = found
        .as_deref()
        .and_then(|p| match super::fs::read_file(s, p, true) {
          Ok(OpValue::Utf8(b)) => Some(String::from_utf8_lossy(&b).into_owned()),
          _ => None,
        });
      match (found, code) {
        (Some(p), Some(code)) => (code, p, args.clone(), false),
        _ => (missing_main(&abs), resolve_path(cwd, "[eval]"), args.clone(), true),
      }
    }
  }
}

/// `child_process.spawn`: starts guest process `spec.file` (only `node`
/// exists) and answers `[pid, fd0, fd1, fd2]`, the parent's descriptors for
/// the child's piped stdio (-1 for the others).
pub fn spawn(
  s: &mut OpState,
  spec: &str,
  data: Option<GuestBuf<'_>>,
) -> OpResult<OpValue<'static>> {
  let data = data.map(|d| d.as_slice().to_vec());
  let Started {
    pid,
    stdio: [e0, e1, e2],
    ipc,
    thread_id,
  } = start(s, spec, data, true)?;
  let mut out = vec![pid.to_string()];
  let mut fds = Vec::new();
  let (ipc_read, ipc_write) = match ipc {
    Some((r, w)) => (Some(r), Some(w)),
    None => (None, None),
  };
  // [pid, fd0, fd1, fd2, ipc read, ipc write]
  for end in [e0, e1, e2, ipc_read, ipc_write] {
    let fd = match end {
      Some(end) => match s.process.fds.insert_desc(Desc::Pipe(end)) {
        Ok(fd) => fd,
        Err(e) => {
          // Past maxOpenFiles: the child goes, and so do the ends given.
          kill_now(s, pid);
          for fd in fds {
            let _ = s.process.fds.remove(fd);
          }
          return Err(spawn_error(e, "node"));
        }
      },
      None => -1,
    };
    if fd >= 0 {
      fds.push(fd);
    }
    out.push(fd.to_string());
  }
  out.push(thread_id.to_string());
  Ok(OpValue::Strings(out))
}

/// Ends child `pid` at once (its spawn could not be completed): nobody
/// will wait for it.
fn kill_now(s: &OpState, pid: u32) {
  s.kernel.processes().disown(pid);
  s.kernel.signal(pid, 9);
}

/// The parent's and the child's ends of an IPC channel: (read, write) each.
type Channel = (PipeEnd, PipeEnd);

/// A child just started: its pid, the parent's ends of its piped stdio and
/// of its IPC channel.
struct Started {
  pid: u32,
  stdio: [Option<PipeEnd>; 3],
  ipc: Option<Channel>,
  /// A Worker's thread id (0 for a process).
  thread_id: u32,
}

/// Starts the child `spec` describes (`data`: a Worker's workerData;
/// `as_fds`: the parent's ends become its descriptors, so there must be
/// room for them first: EMFILE, and no child, when there is not).
fn start(
  s: &mut OpState,
  spec: &str,
  data: Option<Vec<u8>>,
  as_fds: bool,
) -> Result<Started, OpError> {
  if spec.len() > 2 * MAX_SPAWN_BYTES {
    return Err(spawn_error(Errno::E2BIG, ""));
  }
  let spec: Spec = serde_json::from_str(spec).map_err(|_| {
    OpError::coded(
      super::error::ErrorClass::TypeError,
      "ERR_INVALID_ARG_VALUE",
      "The spawn options are invalid",
    )
  })?;
  let file = spec.file.as_str();
  check_size(file, &spec.args, spec.env.iter().map(|e| e.len()))?;
  permit(s, file)?;
  if !exists(file) {
    return Err(spawn_error(Errno::ENOENT, file));
  }
  let native = !is_node(file);
  let cwd = match &spec.cwd {
    Some(c) => {
      let abs = resolve_path(&s.process.cwd, c);
      if abs.len() > s.kernel.max_path_length {
        return Err(spawn_error(Errno::ENAMETOOLONG, file));
      }
      // Node fails the spawn itself for a cwd that is not a directory.
      if !is_dir(s, &abs) {
        return Err(spawn_error(Errno::ENOENT, file));
      }
      abs
    }
    None => s.process.cwd.clone(),
  };
  let env = spec
    .env
    .iter()
    .filter_map(|kv| {
      kv.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
    })
    .collect();
  if s.process.tree.is_none() {
    return Err(spawn_error(Errno::EAGAIN, file));
  }
  let channel = spec.ipc || spec.worker;
  // The shell and its commands take no channel and no worker data.
  if native && channel {
    return Err(spawn_error(Errno::EINVAL, file));
  }
  let wanted = spec.stdio.iter().filter(|h| *h == "pipe").count() + if channel { 2 } else { 0 };
  if as_fds && s.process.fds.room() < wanted {
    return Err(spawn_error(Errno::EMFILE, file));
  }
  // Its stdio: pipes (the parent keeps the other ends).
  let mut mine: [Option<PipeEnd>; 3] = [None, None, None];
  let mut pipes: [Option<PipeEnd>; 3] = [None, None, None];
  let mut targets = Vec::with_capacity(2);
  let mut inherited: [Option<Target>; 3] = [None, None, None];
  for (i, how) in spec.stdio.iter().enumerate() {
    match how.as_str() {
      "pipe" => {
        let (r, w) = PipeEnd::pair(&s.kernel.pipes).map_err(|e| spawn_error(e, file))?;
        let (parent, child) = if i == 0 { (w, r) } else { (r, w) };
        mine[i] = Some(parent);
        pipes[i] = Some(child);
      }
      "inherit" => {
        if i == 0 {
          // The parent's own stdin when it is a pipe; a call's stdin is
          // its own bytes (the child reads none).
          pipes[0] = s.process.fds.pipe(0).and_then(PipeEnd::dup).ok();
        }
      }
      "ignore" => {}
      fd => match fd.strip_prefix("fd:").and_then(|n| n.parse::<i32>().ok()) {
        // The parent's own stdio, as "inherit" (fd 1 as a child's stderr:
        // the parent's stdout).
        Some(n @ 0..=2) => {
          if i == 0 && n == 0 {
            pipes[0] = s.process.fds.pipe(0).and_then(PipeEnd::dup).ok();
          } else if i > 0 && n > 0 {
            let stream = if n == 1 {
              Stream::Stdout
            } else {
              Stream::Stderr
            };
            inherited[i] = Some(
              s.process
                .stdio
                .inherit(stream)
                .map_err(|e| spawn_error(e, file))?,
            );
          } else {
            return Err(spawn_error(Errno::EINVAL, file));
          }
        }
        // An end of a pipe the parent holds (another child's stdout, say):
        // the child's stdin must be a reading end, its output a writing one.
        Some(n) => {
          let end = s
            .process
            .fds
            .pipe(n)
            .map_err(|_| OpError::from(KernelError::new(Errno::ENOTSUP, "spawn").path(file)))?;
          if end.is_read() != (i == 0) {
            return Err(spawn_error(Errno::EINVAL, file));
          }
          pipes[i] = Some(end.dup().map_err(|e| spawn_error(e, file))?);
        }
        None => {
          return Err(OpError::coded(
            super::error::ErrorClass::TypeError,
            "ERR_INVALID_ARG_VALUE",
            "The stdio option is invalid",
          ))
        }
      },
    }
    if i > 0 {
      let stream = if i == 1 {
        Stream::Stdout
      } else {
        Stream::Stderr
      };
      targets.push(match (how.as_str(), pipes[i].take()) {
        (_, Some(p)) => Target::Pipe(p),
        (_, None) if inherited[i].is_some() => inherited[i].take().unwrap_or(Target::Null),
        ("inherit", None) => s
          .process
          .stdio
          .inherit(stream)
          .map_err(|e| spawn_error(e, file))?,
        _ => Target::Null,
      });
    }
  }
  // Two pipes, one each way: the parent's (read, write), the child's.
  let (parent_ipc, child_ipc) = if channel {
    let (down_r, down_w) = PipeEnd::pair(&s.kernel.pipes).map_err(|e| spawn_error(e, file))?;
    let (up_r, up_w) = PipeEnd::pair(&s.kernel.pipes).map_err(|e| spawn_error(e, file))?;
    (Some((up_r, down_w)), Some((down_r, up_w)))
  } else {
    (None, None)
  };
  let stderr = targets.pop().unwrap_or(Target::Null);
  let stdout = targets.pop().unwrap_or(Target::Null);
  let launch = Launch {
    file: spec.file.clone(),
    args: spec.args,
    cwd,
    env,
    stdout,
    stderr,
    stdin: pipes[0].take(),
  };
  if native {
    let pid = self::launch(s, launch)?;
    return Ok(Started {
      pid,
      stdio: mine,
      ipc: None,
      thread_id: 0,
    });
  }
  // A Worker is a thread of its parent's process, as Node's: its pid and
  // ppid are the parent's.
  let mut extra_config = None;
  if spec.ipc && spec.advanced {
    extra_config = Some(serde_json::json!({ "ipcAdvanced": true }));
  }
  let thread_id = if spec.worker {
    let id = s
      .kernel
      .next_thread_id
      .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    extra_config = Some(serde_json::json!({
      "pid": s.process.pid,
      "ppid": s.process.ppid,
      "worker": { "threadId": id },
    }));
    id
  } else {
    0
  };
  let node = NodeExtras {
    ipc: child_ipc,
    start_data: if spec.worker { data } else { None },
    extra_config,
  };
  let pid = launch_node(s, launch, node)?;
  Ok(Started {
    pid,
    stdio: mine,
    ipc: parent_ipc,
    thread_id,
  })
}

/// E2BIG for arguments and environment past Linux's bounds.
pub fn check_size(
  file: &str,
  args: &[String],
  env: impl Iterator<Item = usize>,
) -> Result<(), OpError> {
  let mut items = args.len();
  let mut bytes: usize = args.iter().map(|a| a.len() + 1).sum();
  for e in env {
    items += 1;
    bytes += e + 1;
  }
  if bytes > MAX_SPAWN_BYTES || items > MAX_SPAWN_ITEMS {
    return Err(spawn_error(Errno::E2BIG, file));
  }
  Ok(())
}

/// The `childProcess` permission for starting `file` (EACCES).
pub fn permit(s: &mut OpState, file: &str) -> Result<(), OpError> {
  super::permission::name(s, Scope::ChildProcess, "spawn", file).map_err(|e| match e {
    OpError::Kernel(k) if k.errno == Errno::EACCES => spawn_error(Errno::EACCES, file),
    e => e,
  })
}

/// Is `file` the guest's shell (`/bin/sh`; `bash` is the same shell)?
pub fn is_shell(file: &str) -> bool {
  matches!(
    file,
    "sh" | "/bin/sh" | "/usr/bin/sh" | "bash" | "/bin/bash" | "/usr/bin/bash"
  )
}

/// A process the kernel starts for a guest (its permission checked):
/// `node` or the shell, with its stdio as targets.
pub struct Launch {
  pub file: String,
  pub args: Vec<String>,
  pub cwd: String,
  pub env: Vec<(String, String)>,
  pub stdout: Target,
  pub stderr: Target,
  pub stdin: Option<PipeEnd>,
}

/// What only a `node` child may have: a channel with its parent, a
/// Worker's data and bootstrap fields.
#[derive(Default)]
struct NodeExtras {
  ipc: Option<Channel>,
  start_data: Option<Vec<u8>>,
  extra_config: Option<serde_json::Value>,
}

/// Starts `l` as a child of the caller: its pid. ENOENT for a command that
/// is neither `node` nor the shell.
pub fn launch(s: &mut OpState, mut l: Launch) -> Result<u32, OpError> {
  if !exists(&l.file) {
    return Err(spawn_error(Errno::ENOENT, &l.file));
  }
  let args = std::mem::take(&mut l.args);
  match native_main(&l.file, args) {
    Ok(main) => l.native(s, main),
    Err(args) => {
      l.args = args;
      launch_node(s, l, NodeExtras::default())
    }
  }
}

/// Is `file` a command of the sandbox: `node`, the shell or one of its
/// commands?
pub fn exists(file: &str) -> bool {
  is_node(file) || is_shell(file) || super::shell::builtin_name(file).is_some()
}

/// The kernel's own code that runs `file args` (the shell, a command), or
/// the arguments back for a `node`.
fn native_main(file: &str, args: Vec<String>) -> Result<super::process::NativeMain, Vec<String>> {
  if is_shell(file) {
    let name = file.to_string();
    return Ok(Box::new(move |st: &mut OpState| {
      super::shell::main(st, &name, args)
    }));
  }
  if let Some(name) = super::shell::builtin_name(file) {
    let mut argv = vec![name.to_string()];
    argv.extend(args);
    return Ok(Box::new(move |st: &mut OpState| {
      super::shell::main_command(st, argv)
    }));
  }
  Err(args)
}

/// What a process the host started (`rt.spawn`) runs, found on its own
/// thread with its own view of the filesystem.
pub enum Exec {
  Native(super::process::NativeMain),
  /// A guest `node`: the main module's source and path, its arguments,
  /// and whether it is `-e` code.
  Node {
    code: String,
    file_path: String,
    args: Vec<String>,
    eval: bool,
  },
}

/// What process `s` runs as `file args` (a command that [`exists`]).
/// ENOENT, as Node's spawn, when its cwd is not a directory; one its fs
/// permission hides is taken as it is (as a call's cwd is).
pub fn exec(s: &mut OpState, file: &str, args: Vec<String>) -> Result<Exec, Errno> {
  let cwd = s.process.cwd.clone();
  match super::fs::stat(s, &cwd, true) {
    Ok(OpValue::Stat(st)) if (st[1] as u32) & 0o170000 == 0o040000 => {}
    Err(OpError::Kernel(k)) if k.errno == Errno::EACCES => {}
    _ => return Err(Errno::ENOENT),
  }
  Ok(match native_main(file, args) {
    Ok(main) => Exec::Native(main),
    Err(args) => {
      let (code, file_path, args, eval) = main_source(s, &parse_node_args(&args), &cwd);
      Exec::Node {
        code,
        file_path,
        args,
        eval,
      }
    }
  })
}

/// Is `path` a directory, as process `s` sees the filesystem?
fn is_dir(s: &mut OpState, path: &str) -> bool {
  matches!(super::fs::stat(s, path, true), Ok(OpValue::Stat(st)) if (st[1] as u32) & 0o170000 == 0o040000)
}

impl Launch {
  /// Runs the kernel's own `main` with this launch's cwd, env and stdio.
  fn native(self, s: &mut OpState, main: super::process::NativeMain) -> Result<u32, OpError> {
    let stdio = Stdio::to(self.stdout, self.stderr);
    spawn_native(s, main, self.cwd, self.env, stdio, self.stdin)
  }
}

/// Starts a guest `node` child of the caller: its pid.
fn launch_node(s: &mut OpState, l: Launch, extras: NodeExtras) -> Result<u32, OpError> {
  let Launch {
    file,
    args,
    cwd,
    env,
    stdout,
    stderr,
    stdin,
  } = l;
  let tree = s
    .process
    .tree
    .clone()
    .ok_or_else(|| spawn_error(Errno::EAGAIN, &file))?;
  let main = parse_node_args(&args);
  let (code, file_path, args, eval) = main_source(s, &main, &cwd);
  let spawned = s.kernel.processes().spawn_child(s.process.pid);
  let pid = spawned.map_err(|e| spawn_error(e, &file))?;
  let child = ChildStart {
    pid,
    kind: ChildKind::Node,
    ppid: s.process.pid,
    code,
    file_path,
    args,
    eval,
    cwd,
    env,
    stdio: Stdio::to(stdout, stderr),
    stdin,
    ipc: extras.ipc,
    start_data: extras.start_data,
    extra_config: extras.extra_config,
    tree,
  };
  start_child(s, pid, child)
}

fn start_child(s: &mut OpState, pid: u32, child: ChildStart) -> Result<u32, OpError> {
  if let Err(e) = s.control.spawn(child) {
    let mut table = s.kernel.processes();
    table.exit(pid, 0, None);
    table.reap(pid);
    return Err(e);
  }
  Ok(pid)
}

/// Starts the kernel's own `main` as a child of the caller, on a thread
/// of its own (the shell, a stage of its pipeline): its pid.
pub fn spawn_native(
  s: &mut OpState,
  main: super::process::NativeMain,
  cwd: String,
  env: Vec<(String, String)>,
  stdio: Stdio,
  stdin: Option<PipeEnd>,
) -> Result<u32, OpError> {
  let tree = s
    .process
    .tree
    .clone()
    .ok_or_else(|| spawn_error(Errno::EAGAIN, "sh"))?;
  let spawned = s.kernel.processes().spawn_child(s.process.pid);
  let pid = spawned.map_err(|e| spawn_error(e, "sh"))?;
  let child = ChildStart {
    pid,
    kind: ChildKind::Native(main),
    ppid: s.process.pid,
    code: String::new(),
    file_path: String::new(),
    args: Vec::new(),
    eval: false,
    cwd,
    env,
    stdio,
    stdin,
    ipc: None,
    start_data: None,
    extra_config: None,
    tree,
  };
  start_child(s, pid, child)
}

/// Settles once process `pid` has ended (or is gone); it is not reaped.
pub async fn ended(kernel: Arc<super::Kernel>, pid: u32) {
  let _ = wait_until(
    || {
      kernel
        .processes()
        .get(pid)
        .map(|e| e.exited.clone())
        .ok_or(Errno::ECHILD)
    },
    || match kernel.processes().get(pid).map(|e| e.state) {
      Some(ProcessState::Running) => Ok(None),
      _ => Ok(Some(())),
    },
  )
  .await;
}

/// What `spawnSync` gathers of one output stream.
struct Gathered {
  bytes: Vec<u8>,
}

/// `child_process.spawnSync`: runs the child `spec` describes to its end
/// while the caller waits (its own async ops go on): `input` is written to
/// its stdin (then closed), its piped output gathered up to `max_buffer`
/// bytes in all (past it the child gets `kill_signal`: ENOBUFS), and past
/// `timeout_ms` (0: none) it gets `kill_signal` too (ETIMEDOUT). Answers
/// `[json, stdout, stderr]` packed as bytes: a 4-byte length, then the
/// JSON `{pid, status, signal, error}`, then the two outputs' lengths and
/// bytes.
pub fn spawn_sync(
  s: &mut OpState,
  spec: &str,
  input: Option<GuestBuf<'_>>,
  timeout_ms: f64,
  max_buffer: f64,
  kill_signal: u32,
) -> OpResult<OpValue<'static>> {
  let held = Held::new(s.process.tree.clone());
  let input = input.map(|b| b.as_slice().to_vec()).unwrap_or_default();
  held.add(input.len());
  // A channel nobody waits on: the child sees it closed.
  let Started {
    pid,
    stdio: [stdin, stdout, stderr],
    ..
  } = start(s, spec, None, false)?;
  let kernel = s.kernel.clone();
  // Held here, then in the guest's memory: never more than half its limit.
  let cap = (s.process.memory_limit as usize / 2).min(super::limits::MAX_SPAWN_SYNC_BUFFER);
  let max_buffer = if max_buffer.is_finite() && max_buffer >= 0.0 {
    (max_buffer as usize).min(cap)
  } else {
    cap
  };
  let kill_signal = u8::try_from(kill_signal).unwrap_or(15).clamp(1, 64);
  let signal = {
    let kernel = kernel.clone();
    move |sig: u8| {
      kernel.signal(pid, sig);
    }
  };
  let over = std::cell::Cell::new(false);
  let gathered = std::cell::Cell::new(0usize);
  let gather = |end: Option<PipeEnd>| {
    let (over, gathered, signal, held) = (&over, &gathered, &signal, &held);
    async move {
      let mut out = Gathered { bytes: Vec::new() };
      let end = end?;
      loop {
        let got = wait_until(
          || end.changed(),
          || match end.read(MAX_PIPE_READ) {
            Ok(Read::Empty) => Ok(None),
            r => r.map(Some),
          },
        )
        .await;
        match got {
          Ok(Read::Data(d)) => {
            // As Node's: what was read is kept; past the bound the child
            // is killed and nothing more is read.
            gathered.set(gathered.get() + d.len());
            held.add(d.len());
            out.bytes.extend(d);
            if gathered.get() > max_buffer {
              if !over.replace(true) {
                signal(kill_signal);
              }
              return Some(out);
            }
          }
          _ => return Some(out),
        }
      }
    }
  };
  let feed = async {
    let Some(w) = stdin else { return };
    let mut at = 0;
    while at < input.len() {
      let wrote = wait_until(
        || w.changed(),
        || match w.write(&input[at..]) {
          Ok(0) => Ok(None),
          r => r.map(Some),
        },
      )
      .await;
      match wrote {
        Ok(n) => at += n,
        // The child closed its stdin: the rest is not wanted.
        Err(_) => return,
      }
    }
    // Dropped: the child reads the end of its input.
  };
  let exited = ended(kernel.clone(), pid);
  let mut outputs: (Option<Gathered>, Option<Gathered>) = (None, None);
  let timed_out = std::cell::Cell::new(false);
  {
    let work = async {
      let ((), o, e, ()) = tokio::join!(feed, gather(stdout), gather(stderr), exited);
      (o, e)
    };
    tokio::pin!(work);
    let waited = async {
      if timeout_ms > 0.0 && timeout_ms.is_finite() {
        let limit = std::time::Duration::from_millis(timeout_ms.min(1e12) as u64);
        tokio::select! {
          r = &mut work => return r,
          _ = tokio::time::sleep(limit) => {
            timed_out.set(true);
            signal(kill_signal);
          }
        }
      }
      work.await
    };
    let done = std::cell::RefCell::new(None);
    let finished = s.control.wait(Box::pin(async {
      *done.borrow_mut() = Some(waited.await);
    }));
    if !finished {
      // The caller is being stopped: its child goes with it.
      signal(9);
      return Err(KernelError::new(Errno::EINTR, "spawnSync").into());
    }
    if let Some(r) = done.into_inner() {
      outputs = r;
    }
  }
  let status = kernel.processes().reap(pid);
  let (status, signal) = match status {
    Some((_, Some(sig))) => (serde_json::Value::Null, Some(sig)),
    Some((code, None)) => (code.into(), None),
    None => (serde_json::Value::Null, None),
  };
  let error = if timed_out.get() {
    Some("ETIMEDOUT")
  } else if over.get() {
    Some("ENOBUFS")
  } else {
    None
  };
  let json = serde_json::json!({ "pid": pid, "status": status, "signal": signal, "error": error })
    .to_string();
  let mut packed = Vec::new();
  packed.extend_from_slice(&(json.len() as u32).to_le_bytes());
  packed.extend_from_slice(json.as_bytes());
  for o in [outputs.0, outputs.1] {
    match o {
      Some(g) => {
        packed.extend_from_slice(&(g.bytes.len() as u32).to_le_bytes());
        packed.extend_from_slice(&g.bytes);
      }
      // Not piped: none (Node's null).
      None => packed.extend_from_slice(&u32::MAX.to_le_bytes()),
    }
  }
  Ok(OpValue::Bytes(packed.into()))
}

/// Waits for child `pid` of the caller to end and reaps it: its exit code,
/// or minus the signal that ended it. ECHILD for a process that is not the
/// caller's child.
pub fn wait(s: &mut OpState, pid: f64) -> OpResult<OpFuture> {
  let me = s.process.pid;
  let pid = if pid.fract() == 0.0 && (1.0..=f64::from(super::process::MAX_PID)).contains(&pid) {
    pid as u32
  } else {
    return Err(KernelError::new(Errno::ECHILD, "waitpid").into());
  };
  let kernel = s.kernel.clone();
  pending(async move {
    let status = wait_until(
      || match kernel.processes().get(pid) {
        Some(e) if e.ppid == me && me != HOST_PID => Ok(e.exited.clone()),
        _ => Err(KernelError::new(Errno::ECHILD, "waitpid")),
      },
      || {
        let mut table = kernel.processes();
        match table.get(pid).map(|e| e.state) {
          Some(ProcessState::Exited { .. }) => Ok(table.reap(pid)),
          _ => Ok(None),
        }
      },
    )
    .await?;
    Ok(OpValue::Number(match status {
      (_, Some(sig)) => -f64::from(sig),
      (code, None) => f64::from(code),
    }))
  })
}

fn pipe_of(s: &OpState, fd: Fd, syscall: &'static str) -> Result<PipeEnd, OpError> {
  s.process
    .fds
    .pipe(fd.0)
    .and_then(PipeEnd::dup)
    .map_err(|e| KernelError::new(e, syscall).into())
}

/// At most `max` bytes from pipe descriptor `fd` (null at end of stream).
pub fn pipe_read(s: &mut OpState, fd: Fd, max: u32) -> OpResult<OpFuture> {
  let pipe = pipe_of(s, fd, "read")?;
  let max = (max as usize).clamp(1, MAX_PIPE_READ);
  pending(async move {
    let got = wait_until(
      || pipe.changed().map_err(|e| KernelError::new(e, "read")),
      || match pipe.read(max) {
        Ok(Read::Data(d)) => Ok(Some(Some(d))),
        Ok(Read::Eof) => Ok(Some(None)),
        Ok(Read::Empty) => Ok(None),
        Err(e) => Err(KernelError::new(e, "read")),
      },
    )
    .await?;
    Ok(match got {
      Some(d) => OpValue::Bytes(d.into()),
      None => OpValue::Null,
    })
  })
}

/// Writes what fits of `data` to pipe descriptor `fd` now: the bytes taken
/// (fewer: wait with `pipe_writable` for the rest). EPIPE: no reader.
pub fn pipe_write(s: &mut OpState, fd: Fd, data: GuestBuf<'_>) -> OpResult<f64> {
  let pipe = s
    .process
    .fds
    .pipe(fd.0)
    .map_err(|e| KernelError::new(e, "write"))?;
  let n = pipe
    .write(data.as_slice())
    .map_err(|e| KernelError::new(e, "write"))?;
  Ok(n as f64)
}

/// Settles once pipe descriptor `fd` takes at least one more byte (or has
/// no reader left, which the next write reports).
pub fn pipe_writable(s: &mut OpState, fd: Fd) -> OpResult<OpFuture> {
  let pipe = pipe_of(s, fd, "write")?;
  pending(async move {
    wait_until(
      || pipe.changed().map_err(|e| KernelError::new(e, "write")),
      || match pipe.writable() {
        Ok(true) => Ok(Some(())),
        Ok(false) => Ok(None),
        Err(e) => Err(KernelError::new(e, "write")),
      },
    )
    .await?;
    Ok(OpValue::Undefined)
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
  }

  #[test]
  fn node_arguments_as_node_reads_them() {
    assert!(matches!(parse_node_args(&args(&["-e", "1", "a"])),
      Main::Eval { code, print: false, args } if code == "1" && args == ["a"]));
    assert!(
      matches!(parse_node_args(&args(&["--no-warnings", "x.js", "-e"])),
      Main::Script { path, args } if path == "x.js" && args == ["-e"])
    );
    assert!(matches!(
      parse_node_args(&args(&["-p", "2"])),
      Main::Eval { print: true, .. }
    ));
    assert!(
      matches!(parse_node_args(&args(&["--inspect", "x.js"])), Main::BadOption(t) if t.contains("--inspect"))
    );
    assert!(matches!(
      parse_node_args(&args(&["-e"])),
      Main::BadOption(_)
    ));
    assert!(matches!(parse_node_args(&args(&[])), Main::Script { path, .. } if path == "-"));
    assert!(
      matches!(parse_node_args(&args(&["--", "-x.js"])), Main::Script { path, .. } if path == "-x.js")
    );
  }

  #[test]
  fn paths_resolve_against_the_cwd() {
    assert_eq!(resolve_path("/a/b", "../c/./d.js"), "/a/c/d.js");
    assert_eq!(resolve_path("/a", "/x/../../y"), "/y");
    assert_eq!(resolve_path("/", "."), "/");
  }
}
