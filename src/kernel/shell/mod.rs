//! The guest's `/bin/sh` (and `bash`, the same shell): a POSIX shell in
//! the kernel. No host binary is ever run: its commands are builtins over
//! the runtime's kernel (files through `kernel::fs`, so the fs policy and
//! mounts apply), guest `node` processes, or other shells. It runs on a
//! process thread of its own without an isolate; each stage of a pipeline
//! is a process of its own too (its own pid and thread), joined to the
//! next by a kernel pipe, so that `yes | head -1` ends and a stage can be
//! killed. Output and exit statuses follow dash and GNU coreutils.
mod builtins;
mod exec;
pub use exec::absolute;
mod expand;
pub mod io;
pub mod parse;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use brush_parser::ast;

use crate::ipc::Stream;
use crate::kernel::error::Errno;
use crate::kernel::syscall::OpState;
use io::Io;

/// Bytes a command substitution's output may hold.
pub const MAX_SUBST_BYTES: usize = 16 * 1024 * 1024;
/// Bytes a builtin that needs all of its input (sort, tail) may hold (and
/// never more than the call's memory limit).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;
/// Function calls, `eval`s and sourced scripts nested at once.
pub const MAX_DEPTH: usize = 100;
/// Commands nested at once (compound commands, function calls): the
/// shell's thread has 8 MiB of stack; the unit tests run this many on 2.
pub const MAX_NEST: usize = 400;
/// Fields one word may expand to (a glob over a large directory).
pub const MAX_FIELDS: usize = 100_000;
/// Bytes one word may expand to.
pub const MAX_WORD_BYTES: usize = 4 * 1024 * 1024;
/// Bytes of all of a shell's variables together.
pub const MAX_VARS_BYTES: usize = 16 * 1024 * 1024;
/// Functions one shell may define.
pub const MAX_FUNCTIONS: usize = 4096;
/// Ended background jobs whose status `wait` can still give.
const MAX_DONE_JOBS: usize = 64;

/// A shell's variables, shared with the copies a pipeline's stages and
/// subshells start from until one of them changes a variable; their
/// bytes are counted, and each map held against the call's memory for as
/// long as any shell holds it.
#[derive(Clone, Default)]
pub struct Vars {
  map: Arc<VarMap>,
}

/// One map of variables and the bytes it holds against its call's memory.
#[derive(Default)]
struct VarMap {
  vars: BTreeMap<String, String>,
  bytes: usize,
  /// The call's processes, whose memory the bytes count in.
  tree: Option<Arc<crate::kernel::process::Tree>>,
  counted: u64,
}

impl Clone for VarMap {
  /// A copy (a shell changing variables it shared) is counted as well.
  fn clone(&self) -> VarMap {
    let mut m = VarMap {
      vars: self.vars.clone(),
      bytes: self.bytes,
      tree: self.tree.clone(),
      counted: 0,
    };
    m.hold();
    m
  }
}

impl Drop for VarMap {
  fn drop(&mut self) {
    self.bytes = 0;
    self.hold();
  }
}

impl VarMap {
  /// Holds its bytes against the call's memory (what was held before goes).
  fn hold(&mut self) {
    use std::sync::atomic::Ordering::Relaxed;
    let n = self.bytes as u64;
    if let Some(t) = &self.tree {
      if n > self.counted {
        t.held.fetch_add(n - self.counted, Relaxed);
      } else {
        t.held.fetch_sub(self.counted - n, Relaxed);
      }
    }
    self.counted = n;
  }
}

impl Vars {
  fn new(tree: Option<Arc<crate::kernel::process::Tree>>) -> Vars {
    Vars {
      map: Arc::new(VarMap {
        vars: BTreeMap::new(),
        bytes: 0,
        tree,
        counted: 0,
      }),
    }
  }

  /// The map to change: a copy of its own once shared.
  fn map_mut(&mut self) -> &mut VarMap {
    Arc::make_mut(&mut self.map)
  }

  pub fn get(&self, k: &str) -> Option<&String> {
    self.map.vars.get(k)
  }

  pub fn contains_key(&self, k: &str) -> bool {
    self.map.vars.contains_key(k)
  }

  pub fn insert(&mut self, k: String, v: String) -> Option<String> {
    let m = self.map_mut();
    m.bytes += k.len() + v.len();
    let old = m.vars.insert(k, v);
    if let Some(o) = &old {
      m.bytes -= o.len();
    }
    m.hold();
    old
  }

  pub fn remove(&mut self, k: &str) -> Option<String> {
    if !self.map.vars.contains_key(k) {
      return None;
    }
    let m = self.map_mut();
    let old = m.vars.remove(k);
    if let Some(o) = &old {
      m.bytes -= k.len() + o.len();
    }
    m.hold();
    old
  }

  pub fn retain(&mut self, mut f: impl FnMut(&String, &String) -> bool) {
    let m = self.map_mut();
    let mut bytes = 0;
    m.vars.retain(|k, v| {
      let keep = f(k, v);
      if keep {
        bytes += k.len() + v.len();
      }
      keep
    });
    m.bytes = bytes;
    m.hold();
  }

  pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
    self.map.vars.iter()
  }

  /// Past the bound of all variables' bytes.
  pub fn over(&self) -> bool {
    self.map.bytes > MAX_VARS_BYTES
  }
}

/// How a command's run ended, other than with a status.
#[derive(Debug)]
pub enum Flow {
  Exit(i32),
  Return(i32),
  Break(usize),
  Continue(usize),
  /// The process is being stopped (a signal, a limit, its call's end).
  Stopped,
  /// A builtin wrote to a pipe nobody reads: it ends as by SIGPIPE (141).
  Sigpipe,
}

pub type Status = Result<i32, Flow>;

/// One shell's state. A pipeline stage, a subshell and a command
/// substitution start from a copy of it.
#[derive(Clone)]
pub struct Shell {
  /// `$0`, the name in messages.
  pub name: String,
  /// Started as `bash` (its `echo` reads no escapes).
  pub bash: bool,
  pub pid: u32,
  pub vars: Vars,
  pub exported: BTreeSet<String>,
  pub positional: Vec<String>,
  /// `$?`.
  pub status: i32,
  /// `$!`, and the background processes `wait` waits for.
  pub last_bg: Option<u32>,
  pub jobs: Vec<u32>,
  /// Background jobs reaped as they ended: (pid, status).
  pub done_jobs: Vec<(u32, i32)>,
  /// Descriptors 0-9.
  pub fds: Vec<Io>,
  pub functions: HashMap<String, Arc<ast::FunctionBody>>,
  /// `set -e`.
  pub errexit: bool,
  pub depth: usize,
  /// Commands being run, one inside the other.
  pub nest: usize,
  /// Loops being run: `break`/`continue` outside one do nothing.
  pub loops: usize,
  /// `trap cmd EXIT`: run as the shell ends.
  pub exit_trap: Option<String>,
  /// The line of the command running, for messages.
  pub line: usize,
  /// The status of the last command substitution of a command.
  pub subst_status: Option<i32>,
}

impl Shell {
  pub fn new(s: &OpState, name: &str, fds: Vec<Io>) -> Shell {
    let mut vars = Vars::new(s.process.tree.clone());
    let mut exported = BTreeSet::new();
    for (k, v) in &s.process.env {
      vars.insert(k.clone(), v.clone());
      exported.insert(k.clone());
    }
    if !vars.contains_key("PATH") {
      vars.insert("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into());
    }
    vars.insert("PWD".into(), s.process.cwd.clone());
    if !vars.contains_key("IFS") {
      vars.insert("IFS".into(), " \t\n".into());
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    Shell {
      // dash names itself by its argv[0] as given (`/bin/sh: 1: ...`).
      name: name.to_string(),
      bash: base == "bash",
      pid: s.process.pid,
      vars,
      exported,
      positional: Vec::new(),
      status: 0,
      last_bg: None,
      jobs: Vec::new(),
      done_jobs: Vec::new(),
      fds,
      functions: HashMap::new(),
      errexit: false,
      depth: 0,
      nest: 0,
      loops: 0,
      exit_trap: None,
      line: 1,
      subst_status: None,
    }
  }

  /// Writes `{name}: {line}: {msg}` to stderr, as dash reports errors.
  pub fn error(&mut self, s: &mut OpState, msg: &str) {
    let text = format!("{}: {}: {}\n", self.name, self.line, msg);
    let _ = self.fds[2].write(s, text.as_bytes());
  }

  /// Reaps the background jobs that ended (their statuses stay for
  /// `wait`), so that they do not hold pids.
  pub fn reap_jobs(&mut self, s: &OpState) {
    let mut table = s.kernel.processes();
    self
      .jobs
      .retain(|&pid| match table.get(pid).map(|e| e.state) {
        Some(crate::kernel::process::ProcessState::Running) => true,
        _ => {
          let status = match table.reap(pid) {
            Some((_, Some(sig))) => 128 + i32::from(sig),
            Some((code, None)) => code,
            None => 127,
          };
          if self.done_jobs.len() >= MAX_DONE_JOBS {
            self.done_jobs.remove(0);
          }
          self.done_jobs.push((pid, status));
          false
        }
      });
  }

  /// The environment a command started from here gets.
  pub fn child_env(&self, extra: &[(String, String)]) -> Vec<(String, String)> {
    let mut env: BTreeMap<String, String> = self
      .exported
      .iter()
      .filter_map(|k| self.vars.get(k).map(|v| (k.clone(), v.clone())))
      .collect();
    for (k, v) in extra {
      env.insert(k.clone(), v.clone());
    }
    env.into_iter().collect()
  }
}

/// The builtin a spawned `file` names (`ls`, `/bin/ls`, `/usr/bin/ls`).
pub fn builtin_name(file: &str) -> Option<&str> {
  let base = file
    .strip_prefix("/usr/bin/")
    .or_else(|| file.strip_prefix("/bin/"))
    .or_else(|| file.strip_prefix("/usr/local/bin/"))
    .unwrap_or(file);
  (builtins::NAMES.contains(&base) && !base.contains('/')).then_some(base)
}

/// The shell's descriptors from the process's stdio (which it takes over).
fn take_stdio(s: &mut OpState) -> Vec<Io> {
  let stdin = match s.process.fds.pipe(0).and_then(|p| p.dup()) {
    Ok(p) => Io::Pipe(Arc::new(p)),
    Err(_) => Io::Null,
  };
  let out = s
    .process
    .stdio
    .inherit(Stream::Stdout)
    .map(Io::from_target)
    .unwrap_or(Io::Null);
  let err = s
    .process
    .stdio
    .inherit(Stream::Stderr)
    .map(Io::from_target)
    .unwrap_or(Io::Null);
  let _ = s.process.fds.remove(0);
  s.process.stdio = crate::kernel::stdio::Stdio::to(
    crate::kernel::stdio::Target::Null,
    crate::kernel::stdio::Target::Null,
  );
  let mut fds = vec![stdin, out, err];
  fds.resize(10, Io::Closed);
  fds
}

fn finish(sh: &Shell, r: Status) -> i32 {
  let code = match r {
    Ok(c) | Err(Flow::Exit(c)) | Err(Flow::Return(c)) => c,
    Err(Flow::Break(_)) | Err(Flow::Continue(_)) => sh.status,
    Err(Flow::Sigpipe) => 141,
    Err(Flow::Stopped) => 128 + 9,
  };
  // The shell's end: nothing waits on its stop any more.
  for fd in &sh.fds {
    fd.flush(&crate::kernel::stdio::never);
  }
  code & 0xff
}

/// A builtin spawned as a command of its own (`spawn('ls', ['-a'])`).
pub fn main_command(s: &mut OpState, argv: Vec<String>) -> i32 {
  let fds = take_stdio(s);
  let mut sh = Shell::new(s, "sh", fds);
  let r = sh.run_argv(s, argv, Vec::new());
  finish(&sh, r)
}

/// `sh [-e] -c script [name [args...]]`, `sh script [args...]` or `sh`
/// (the script on stdin): the shell's exit status.
pub fn main(s: &mut OpState, file: &str, args: Vec<String>) -> i32 {
  // The process's own ends go: the shell's descriptors hold them now.
  let fds = take_stdio(s);
  let mut sh = Shell::new(s, file, fds);
  let mut i = 0;
  let mut command: Option<String> = None;
  while i < args.len() {
    let a = args[i].as_str();
    match a {
      "-c" => {
        let Some(c) = args.get(i + 1) else {
          sh.line = 0;
          sh.error(s, "-c requires an argument");
          return 2;
        };
        command = Some(c.clone());
        i += 2;
        break;
      }
      "--" | "-" => {
        i += 1;
        break;
      }
      "-e" => sh.errexit = true,
      _ if a.starts_with('-') || a.starts_with('+') => {}
      _ => break,
    }
    i += 1;
  }
  let rest = &args[i.min(args.len())..];
  // No command and no script: commands come from stdin, one at a time
  // with a prompt when it is a terminal (or with -i).
  let interactive = command.is_none()
    && rest.is_empty()
    && (sh.fds[0].tty().is_some() || args[..i.min(args.len())].iter().any(|a| a == "-i"));
  if interactive {
    let r = interactive_loop(&mut sh, s);
    return finish(&sh, r);
  }
  let source = match command {
    Some(c) => {
      if let Some((first, more)) = rest.split_first() {
        sh.name = first.clone();
        sh.positional = more.to_vec();
      }
      c
    }
    None => match rest.split_first() {
      Some((script, more)) => {
        sh.positional = more.to_vec();
        match io::read_file(s, script) {
          Ok(b) => {
            sh.name = script.clone();
            String::from_utf8_lossy(&b).into_owned()
          }
          Err(e) => {
            sh.line = 0;
            let msg = format!("cannot open {script}: {}", exec::describe(e));
            sh.error(s, &msg);
            return 2;
          }
        }
      }
      None => {
        let stdin = sh.fds[0].clone();
        match stdin.read_all(s, parse::MAX_SCRIPT_BYTES + 1) {
          Ok(b) => String::from_utf8_lossy(&b).into_owned(),
          Err(_) => return 2,
        }
      }
    },
  };
  let r = sh.run_script(s, &source);
  let r = match (sh.exit_trap.take(), r) {
    (_, Err(Flow::Stopped)) => Err(Flow::Stopped),
    (Some(trap), r) => {
      let code = match r {
        Ok(c) | Err(Flow::Exit(c)) | Err(Flow::Return(c)) => c,
        Err(Flow::Sigpipe) => 141,
        Err(_) => sh.status,
      };
      sh.status = code;
      match sh.run_script(s, &trap) {
        Err(Flow::Exit(c)) => Ok(c),
        Err(Flow::Stopped) => Err(Flow::Stopped),
        _ => Ok(code),
      }
    }
    (None, r) => r,
  };
  finish(&sh, r)
}

/// Bytes of one command an interactive shell reads (lines continued
/// included).
const MAX_INTERACTIVE_BYTES: usize = 1024 * 1024;

/// `sh` on a terminal: a prompt, then a command at a time until the end of
/// input or `exit`. ^C abandons the line being typed, or ends what the
/// shell itself runs (a builtin); a command it started gets the signal
/// instead (the terminal's foreground job), and the shell goes on.
fn interactive_loop(sh: &mut Shell, s: &mut OpState) -> Status {
  let tty = sh.fds[0].tty();
  let me = s.process.pid;
  let foreground = |job: bool| {
    if let Some(t) = &tty {
      t.set_foreground(Some((me, job)));
    }
  };
  'command: loop {
    foreground(false);
    // A ^C that came as the last command ended is spent.
    s.control.take_interrupt();
    let ps1 = sh.vars.get("PS1").cloned().unwrap_or_else(|| "$ ".into());
    let _ = sh.fds[2].write(s, ps1.as_bytes());
    let mut src = String::new();
    let program = loop {
      match read_line(sh, s) {
        Ok(Some(line)) => src.push_str(&line),
        Ok(None) if src.is_empty() => return Ok(sh.status),
        // The end inside a command: it runs (or fails) as it is.
        Ok(None) => {}
        Err(Errno::EINTR) if s.control.take_interrupt() => {
          sh.status = 130;
          continue 'command;
        }
        Err(Errno::EINTR) => return Err(Flow::Stopped),
        Err(_) => return Ok(sh.status),
      }
      sh.line += 1;
      match parse::parse_or_more(&src, sh.bash) {
        Ok(p) => break p,
        Err((_, true)) if src.len() < MAX_INTERACTIVE_BYTES && src.ends_with('\n') => {
          let ps2 = sh.vars.get("PS2").cloned().unwrap_or_else(|| "> ".into());
          let _ = sh.fds[2].write(s, ps2.as_bytes());
        }
        Err((msg, _)) => {
          sh.error(s, &msg);
          sh.status = 2;
          continue 'command;
        }
      }
    };
    foreground(true);
    match sh.run_program(s, &program) {
      Ok(code) => sh.status = code,
      Err(Flow::Exit(code)) => return Ok(code),
      Err(Flow::Stopped) if s.control.take_interrupt() => sh.status = 130,
      Err(Flow::Stopped) => return Err(Flow::Stopped),
      Err(Flow::Sigpipe) => sh.status = 141,
      Err(Flow::Return(code)) => sh.status = code,
      Err(Flow::Break(_) | Flow::Continue(_)) => {}
    }
  }
}

/// One line of stdin with its newline (none at the end of input), a byte
/// at a time so that what follows stays for the commands that read it.
fn read_line(sh: &Shell, s: &mut OpState) -> Result<Option<String>, Errno> {
  let stdin = sh.fds[0].clone();
  let mut line = Vec::new();
  loop {
    match stdin.read(s, 1)? {
      Some(b) => {
        line.extend_from_slice(&b);
        if b[0] == b'\n' || line.len() >= MAX_INTERACTIVE_BYTES {
          break;
        }
      }
      None if line.is_empty() => return Ok(None),
      None => break,
    }
  }
  Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// A native process that copies `from` into `to` until the end (a file
/// redirection of a `node` child).
pub fn pump(s: &mut OpState, from: Io, to: Io) -> i32 {
  loop {
    match from.read(s, io::CHUNK) {
      Ok(Some(d)) => {
        if to.write(s, &d).is_err() {
          return 1;
        }
      }
      Ok(None) => return 0,
      Err(_) => return 1,
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::kernel::stdio::CallOutput;
  use std::sync::Mutex;

  /// Runs `script` in a shell of a default kernel (no other process can
  /// start there): stdout, stderr, status.
  fn run(script: &str, stdin: &str) -> (String, String, i32) {
    let mut s = crate::kernel::syscall::tests::process();
    let mut config = crate::kernel::limits::RequestedLimits::default()
      .resolve(false)
      .unwrap();
    config.permissions.fs = Some(crate::kernel::policy::RuleSpec::Allow);
    s.kernel = Arc::new(crate::kernel::Kernel::new(&config).unwrap());
    s.process.cwd = "/tmp".into();
    let out = Arc::new(Mutex::new(CallOutput::new(1 << 20, None)));
    let mut fds = vec![
      Io::data(stdin.as_bytes().to_vec()),
      Io::Call(out.clone(), Stream::Stdout),
      Io::Call(out.clone(), Stream::Stderr),
    ];
    fds.resize(10, Io::Closed);
    let mut sh = Shell::new(&s, "sh", fds);
    let r = sh.run_script(&mut s, script);
    let code = finish(&sh, r);
    let (o, e, ..) = out.lock().unwrap().finish();
    (
      String::from_utf8(o).unwrap(),
      String::from_utf8(e).unwrap(),
      code,
    )
  }

  fn out(script: &str) -> String {
    run(script, "").0
  }

  #[test]
  fn each_map_of_variables_is_held_against_the_call_while_any_shell_has_it() {
    use std::sync::atomic::Ordering::Relaxed;
    let tree = Arc::new(crate::kernel::process::Tree {
      root: 1,
      cpu_limit: std::time::Duration::from_secs(1),
      cpu_ended: Default::default(),
      memory_limit: 1 << 20,
      held: Default::default(),
      deadline: None,
    });
    let mut a = Vars::new(Some(tree.clone()));
    a.insert("K".into(), "x".repeat(1000));
    assert_eq!(tree.held.load(Relaxed), 1001);
    // A stage's copy shares the map: nothing more until one changes it.
    let b = a.clone();
    assert_eq!(tree.held.load(Relaxed), 1001);
    // The first shell changing a variable makes a map of its own; the
    // old one, still the stage's, stays counted.
    a.insert("L".into(), "y".into());
    assert_eq!(tree.held.load(Relaxed), 1001 + 1003);
    a.remove("K");
    assert_eq!(tree.held.load(Relaxed), 2 + 1001);
    drop(b);
    assert_eq!(tree.held.load(Relaxed), 2);
    drop(a);
    assert_eq!(tree.held.load(Relaxed), 0);
  }

  #[test]
  fn quoting_and_parameters() {
    assert_eq!(
      out(r#"x='a  b'; echo $x "$x" '$x' \$x"#),
      "a b a  b $x $x\n"
    );
    assert_eq!(
      out(r#"set -- 'one two' three; for a in "$@"; do echo "[$a]"; done"#),
      "[one two]\n[three]\n"
    );
    assert_eq!(
      out(r#"set -- 'one two' three; for a in $@; do echo "[$a]"; done"#),
      "[one]\n[two]\n[three]\n"
    );
    assert_eq!(
      out(r#"set --; for a in "$@"; do echo x; done; echo "$#""#),
      "0\n"
    );
    assert_eq!(
      out(r#"v=path/to/file.tar.gz; echo ${v##*/} ${v%.*} ${v%%.*} ${v#*/} ${#v}"#),
      "file.tar.gz path/to/file.tar path/to/file to/file.tar.gz 19\n"
    );
    assert_eq!(
      out(r#"echo ${u:-d} ${u-e} "${u:+f}" ${u:=g} $u"#),
      "d e  g g\n"
    );
    assert_eq!(out(r#"e=; echo "${e:-colon}" "${e-nocolon}""#), "colon \n");
    assert_eq!(out(r#"echo "a\"b" 'c\d' "x\$y""#), "a\"b c\\d x$y\n");
    assert_eq!(out("echo ~ ~/x"), "/home/user /home/user/x\n");
  }

  #[test]
  fn fields_split_on_ifs_only_where_unquoted() {
    assert_eq!(out(r#"x=' a  b '; set -- $x; echo $#"#), "2\n");
    assert_eq!(out(r#"IFS=:; x=a::b; set -- $x; echo $#"#), "3\n");
    assert_eq!(out(r#"x=''; set -- $x "$x"; echo $#"#), "1\n");
  }

  #[test]
  fn arithmetic() {
    assert_eq!(out("echo $((1 + 2 * 3)) $(( (1+2) * 3 )) $((7 / 2)) $((-7 % 3)) $((2 << 3)) $((5 > 3 ? 10 : 20))"), "7 9 3 -1 16 10\n");
    assert_eq!(
      out("x=4; echo $((x * x)) $(( x += 1 )) $x $((0x10 + 010))"),
      "16 5 5 24\n"
    );
    let (_, err, code) = run("echo $((1 / 0))", "");
    assert_eq!(code, 2);
    assert!(err.contains("division by zero"), "{err}");
  }

  #[test]
  fn here_documents_expand_unless_quoted() {
    assert_eq!(out("x=1\ncat <<EOF\nv=$x \\$x $((x+1))\nEOF"), "v=1 $x 2\n");
    assert_eq!(out("x=1\ncat <<'EOF'\nv=$x\nEOF"), "v=$x\n");
    assert_eq!(out("read a b; echo \"$b,$a\""), ",\n");
    assert_eq!(run("read a b; echo \"$b,$a\"", "1 2 3\n").0, "2 3,1\n");
  }

  #[test]
  fn status_and_messages_as_dash() {
    assert_eq!(
      run("nosuch", ""),
      (String::new(), "sh: 1: nosuch: not found\n".into(), 127)
    );
    assert_eq!(
      run("echo a\n\nnosuch2", "").1,
      "sh: 3: nosuch2: not found\n"
    );
    assert_eq!(
      run("false; echo $?; exit 4", ""),
      ("1\n".into(), String::new(), 4)
    );
    assert_eq!(run("f() { return 3; }; f; echo $?", "").0, "3\n");
    assert_eq!(run("echo (", "").2, 2);
    assert_eq!(out("if false; then echo a; elif true; then echo b; fi; case x.c in *.h) echo h;; *.c) echo c;; esac"), "b\nc\n");
  }

  #[test]
  fn break_and_continue_as_dash_has_them() {
    // Outside a loop they do nothing; a bad count ends the shell.
    assert_eq!(
      run("break; echo after $?", ""),
      ("after 0\n".into(), String::new(), 0)
    );
    assert_eq!(run("continue 2; echo after", "").0, "after\n");
    assert_eq!(
      run("break 0; echo after", ""),
      (String::new(), "sh: 1: break: Illegal number: 0\n".into(), 2)
    );
    assert_eq!(run("for i in 1; do continue -1; done; echo after", "").2, 2);
    // More than the loops running leaves them all.
    assert_eq!(
      run(
        "for i in 1 2; do for j in a b; do echo $i$j; break 9; done; done; echo end",
        ""
      )
      .0,
      "1a\nend\n"
    );
    assert_eq!(run("while true; do break; done; echo $?", "").0, "0\n");
  }

  #[test]
  fn uniq_skips_fields_and_characters() {
    let input = "<<EOF\n1 a x\n2 a x\n3 b x\nEOF";
    assert_eq!(run(&format!("uniq -f 1 {input}"), "").0, "1 a x\n3 b x\n");
    assert_eq!(
      run(&format!("uniq -c -f 99999999999999999999 {input}"), "").0,
      "      3 1 a x\n"
    );
    assert_eq!(
      run(&format!("uniq -s 2 -w 1 {input}"), "").0,
      "1 a x\n3 b x\n"
    );
    assert_eq!(run(&format!("uniq -f x {input}"), "").2, 1);
  }

  #[test]
  fn hostile_input_is_bounded() {
    let deep = "(".repeat(5000);
    let (_, err, code) = run(&format!("x='{deep}'; echo $(( $x 1 ))"), "");
    assert_eq!(code, 2);
    assert!(err.contains("nested too deeply"), "{err}");
    let bangs = "! ".repeat(5000);
    let (_, err, code) = run(&format!("set -- {bangs}; [ \"$@\" x ]"), "");
    assert_eq!(code, 2);
    assert!(err.contains("nested too deeply"), "{err}");
    let (_, err, code) = run("x=a; while :; do x=$x$x; done", "");
    assert_eq!(code, 2);
    assert!(err.contains("word too long"), "{err}");
    let (o, _, code) = run("printf '%999999999d|%.999999999s|\\n' 1 ab", "");
    assert_eq!(code, 0);
    assert!(o.len() < 70_000 && o.ends_with("1|ab|\n"), "{}", o.len());
    // A line with no end is cut, not held whole.
    let long = "x".repeat(super::io::MAX_LINE + 10);
    let (o, _, _) = run("grep -c x", &long);
    assert_eq!(o, "2\n");
  }

  #[test]
  fn nesting_at_run_time_is_bounded_on_a_small_stack() {
    // Each call nests 60 brace groups: the bound on commands ends it.
    let body = format!("{}f{}", "{ ".repeat(60), "; }".repeat(60));
    let (_, err, code) = run(&format!("f() {body}; f"), "");
    assert_eq!(code, 2);
    assert!(err.contains("nested too deeply"), "{err}");
    let (o, err, code) = run(
      "f() { n=$((n+1)); [ $n -lt 1000 ] && f; }; n=0; f; echo $n",
      "",
    );
    assert_eq!(code, 2, "{o}");
    assert!(err.contains("nested too deeply"), "{err}");
  }

  #[test]
  fn globs_and_redirections_work_on_the_vfs() {
    let (o, e, code) = run(
      "mkdir -p g/sub && touch g/b.txt g/a.txt g/.h.txt g/c.md && echo g/*.txt g/* && echo x > g/sub/f && echo y >> g/sub/f && cat g/sub/f && echo g/*/f 'g/*.txt' g/none*",
      "",
    );
    assert_eq!((e.as_str(), code), ("", 0));
    assert_eq!(
      o,
      "g/a.txt g/b.txt g/a.txt g/b.txt g/c.md g/sub\nx\ny\ng/sub/f g/*.txt g/none*\n"
    );
    assert_eq!(
      run("cat < /nonexistent", "").1,
      "sh: 1: cannot open /nonexistent: No such file\n"
    );
  }
}
