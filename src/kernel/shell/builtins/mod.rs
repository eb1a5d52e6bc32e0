//! The shell's commands, all in the kernel: the shell's own (cd, export,
//! test...), text tools (cat, grep, sort...), file tools (ls, cp, mkdir...)
//! and the rest (date, sleep, kill, xargs...). Each reads and writes
//! through the command's descriptors and reaches files through
//! `kernel::fs`, as the process whose cwd and policy it runs under.
mod fs;
mod misc;
mod shell;
pub mod test;
mod text;

use super::io::{self, Io};
use super::{Flow, Shell, Status};
use crate::kernel::error::Errno;
use crate::kernel::syscall::OpState;

pub type Builtin = fn(&mut Shell, &mut OpState, &[String]) -> Status;

/// The builtin named `name`.
pub fn find(name: &str) -> Option<Builtin> {
  Some(match name {
    ":" | "true" => |_, _, _| Ok(0),
    "false" => |_, _, _| Ok(1),
    "echo" => shell::echo,
    "printf" => shell::printf,
    "pwd" => shell::pwd,
    "cd" => shell::cd,
    "export" => shell::export,
    "readonly" => shell::export,
    "unset" => shell::unset,
    "set" => shell::set,
    "shift" => shell::shift,
    "exit" => shell::exit,
    "return" => shell::ret,
    "break" => shell::brk,
    "continue" => shell::cont,
    "eval" => shell::eval,
    "." | "source" => shell::source,
    "read" => shell::read,
    "test" | "[" => test::test,
    "wait" => shell::wait,
    "local" => shell::local,
    "trap" => shell::trap,
    "ulimit" | "hash" | "umask" => |_, _, _| Ok(0),
    "command" | "type" => shell::command,
    "env" => misc::env,
    "sleep" => misc::sleep,
    "kill" => misc::kill,
    "which" => misc::which,
    "date" => misc::date,
    "xargs" => misc::xargs,
    "expr" => misc::expr,
    "mktemp" => misc::mktemp,
    "realpath" | "readlink" => misc::realpath,
    "printenv" => misc::printenv,
    "uname" => misc::uname,
    "md5sum" | "sha1sum" | "sha256sum" | "sha512sum" => text::digest,
    "basename" => misc::basename,
    "dirname" => misc::dirname,
    "seq" => misc::seq,
    "yes" => misc::yes,
    "cat" => text::cat,
    "head" => text::head,
    "tail" => text::tail,
    "wc" => text::wc,
    "grep" | "egrep" | "fgrep" => text::grep,
    "sort" => text::sort,
    "uniq" => text::uniq,
    "cut" => text::cut,
    "tr" => text::tr,
    "tee" => text::tee,
    "sed" => text::sed,
    "mkdir" => fs::mkdir,
    "rm" => fs::rm,
    "rmdir" => fs::rmdir,
    "cp" => fs::cp,
    "mv" => fs::mv,
    "touch" => fs::touch,
    "ln" => fs::ln,
    "ls" => fs::ls,
    "find" => fs::find,
    _ => return None,
  })
}

/// Builtins whose prefix assignments stay in the shell (POSIX's special
/// builtins).
pub fn is_special(name: &str) -> bool {
  matches!(
    name,
    ":"
      | "."
      | "break"
      | "continue"
      | "eval"
      | "exit"
      | "export"
      | "readonly"
      | "return"
      | "set"
      | "shift"
      | "unset"
      | "trap"
  )
}

/// Every command this shell has, for `which` and the marker files.
pub const NAMES: &[&str] = &[
  "basename",
  "cat",
  "cp",
  "cut",
  "date",
  "dirname",
  "echo",
  "env",
  "expr",
  "false",
  "find",
  "grep",
  "head",
  "kill",
  "ln",
  "ls",
  "md5sum",
  "mkdir",
  "mktemp",
  "mv",
  "printenv",
  "printf",
  "pwd",
  "readlink",
  "realpath",
  "rm",
  "rmdir",
  "sed",
  "seq",
  "sha1sum",
  "sha256sum",
  "sha512sum",
  "sleep",
  "sort",
  "tail",
  "tee",
  "test",
  "touch",
  "tr",
  "true",
  "uname",
  "uniq",
  "wc",
  "which",
  "xargs",
  "yes",
];

/// GNU's words for an errno.
pub fn gnu(e: Errno) -> &'static str {
  match e {
    Errno::ENOENT => "No such file or directory",
    Errno::EACCES => "Permission denied",
    Errno::EPERM => "Operation not permitted",
    Errno::EISDIR => "Is a directory",
    Errno::ENOTDIR => "Not a directory",
    Errno::EEXIST => "File exists",
    Errno::ENOTEMPTY => "Directory not empty",
    Errno::EINVAL => "Invalid argument",
    Errno::ENOSPC => "No space left on device",
    Errno::EROFS => "Read-only file system",
    Errno::EFBIG => "File too large",
    Errno::ENAMETOOLONG => "File name too long",
    Errno::ELOOP => "Too many levels of symbolic links",
    Errno::EXDEV => "Invalid cross-device link",
    _ => "Input/output error",
  }
}

/// A failed write's flow: SIGPIPE's status, or the stop.
pub fn wflow(e: Errno) -> Flow {
  match e {
    Errno::EPIPE => Flow::Sigpipe,
    Errno::EINTR => Flow::Stopped,
    _ => Flow::Exit(1),
  }
}

/// A failed read's flow.
pub fn rflow(e: Errno) -> Flow {
  match e {
    Errno::EINTR => Flow::Stopped,
    _ => Flow::Exit(1),
  }
}

/// Writes to the command's stdout.
pub fn out(sh: &Shell, s: &mut OpState, data: &[u8]) -> Result<(), Flow> {
  sh.fds[1].clone().write(s, data).map_err(wflow)
}

/// `cmd: msg` on the command's stderr.
pub fn err(sh: &Shell, s: &mut OpState, cmd: &str, msg: &str) {
  let text = format!("{cmd}: {msg}\n");
  let _ = sh.fds[2].clone().write(s, text.as_bytes());
}

/// The input named `f` (`-`: stdin), or GNU's message and status 1.
pub fn input(sh: &Shell, s: &mut OpState, cmd: &str, f: &str) -> Option<Io> {
  if f == "-" {
    return Some(sh.fds[0].clone());
  }
  match io::read_file(s, f) {
    Ok(b) => Some(Io::data(b)),
    Err(e) => {
      err(sh, s, cmd, &format!("{f}: {}", gnu(e)));
      None
    }
  }
}

/// Options of a GNU-style command line: flags that take no value, those
/// that take one, and the operands (`--` ends the options).
pub struct Opts {
  pub flags: Vec<char>,
  pub values: Vec<(char, String)>,
  pub operands: Vec<String>,
}

impl Opts {
  pub fn has(&self, c: char) -> bool {
    self.flags.contains(&c)
  }

  pub fn value(&self, c: char) -> Option<&str> {
    self
      .values
      .iter()
      .rev()
      .find(|(k, _)| *k == c)
      .map(|(_, v)| v.as_str())
  }

  pub fn all(&self, c: char) -> Vec<&str> {
    self
      .values
      .iter()
      .filter(|(k, _)| *k == c)
      .map(|(_, v)| v.as_str())
      .collect()
  }
}

/// Parses `args` (after the command name). `with_value`: the letters that
/// take a value. `Err`: the bad option letter.
pub fn opts(args: &[String], with_value: &str, long: &[(&str, char)]) -> Result<Opts, String> {
  let mut o = Opts {
    flags: Vec::new(),
    values: Vec::new(),
    operands: Vec::new(),
  };
  let mut i = 0;
  while i < args.len() {
    let a = &args[i];
    if a == "--" {
      o.operands.extend(args[i + 1..].iter().cloned());
      break;
    }
    if let Some(l) = a.strip_prefix("--") {
      let (name, val) = match l.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (l, None),
      };
      match long.iter().find(|(n, _)| *n == name) {
        Some((_, c)) if with_value.contains(*c) => {
          let v = match val {
            Some(v) => v,
            None => {
              i += 1;
              args
                .get(i)
                .cloned()
                .ok_or_else(|| format!("option '--{name}' requires an argument"))?
            }
          };
          o.values.push((*c, v));
        }
        Some((_, c)) => o.flags.push(*c),
        None => return Err(format!("unrecognized option '--{name}'")),
      }
      i += 1;
      continue;
    }
    if a.len() > 1 && a.starts_with('-') {
      let chars: Vec<char> = a[1..].chars().collect();
      let mut j = 0;
      while j < chars.len() {
        let c = chars[j];
        if with_value.contains(c) {
          let rest: String = chars[j + 1..].iter().collect();
          let v = if !rest.is_empty() {
            rest
          } else {
            i += 1;
            args
              .get(i)
              .cloned()
              .ok_or_else(|| format!("option requires an argument -- '{c}'"))?
          };
          o.values.push((c, v));
          break;
        }
        if c.is_ascii_digit() {
          // `head -5`: a count.
          let rest: String = chars[j..].iter().collect();
          o.values.push(('#', rest));
          break;
        }
        if !c.is_ascii_alphanumeric() {
          return Err(format!("invalid option -- '{c}'"));
        }
        o.flags.push(c);
        j += 1;
      }
      i += 1;
      continue;
    }
    o.operands.push(a.clone());
    i += 1;
  }
  Ok(o)
}

/// GNU's message for a bad option, and status `code`.
pub fn usage(sh: &Shell, s: &mut OpState, cmd: &str, msg: &str, code: i32) -> Status {
  let text = format!("{cmd}: {msg}\nTry '{cmd} --help' for more information.\n");
  let _ = sh.fds[2].clone().write(s, text.as_bytes());
  Ok(code)
}
