//! The shell's own commands: those that change the shell (cd, export,
//! set, read...) and echo/printf as dash has them.
use super::{out, rflow};
use crate::kernel::shell::io;
use crate::kernel::shell::{Flow, Shell, Status, MAX_DEPTH};
use crate::kernel::syscall::OpState;

/// A backslash escape of echo/printf at `c[i]` (after the backslash):
/// the bytes and how many characters it took; `None` for `\c`.
fn escape(c: &[char], i: usize, octal_zero: bool) -> (Option<Vec<u8>>, usize) {
  let Some(&e) = c.get(i) else {
    return (Some(b"\\".to_vec()), 0);
  };
  let byte = |b: u8| (Some(vec![b]), 1);
  match e {
    'n' => byte(b'\n'),
    't' => byte(b'\t'),
    'r' => byte(b'\r'),
    'a' => byte(7),
    'b' => byte(8),
    'f' => byte(12),
    'v' => byte(11),
    'e' => byte(27),
    '\\' => byte(b'\\'),
    'c' => (None, 1),
    '0'..='7' => {
      // echo: \0nnn; printf: \nnn.
      let (start, max) = if octal_zero && e == '0' {
        (i + 1, 3)
      } else {
        (i, 3)
      };
      let mut v: u32 = 0;
      let mut j = start;
      while j < c.len() && j < start + max && ('0'..='7').contains(&c[j]) {
        v = v * 8 + c[j].to_digit(8).unwrap_or(0);
        j += 1;
      }
      (Some(vec![(v & 0xff) as u8]), j - i)
    }
    other => {
      let mut s = vec![b'\\'];
      let mut b = [0u8; 4];
      s.extend_from_slice(other.encode_utf8(&mut b).as_bytes());
      (Some(s), 1)
    }
  }
}

/// Text with echo's escapes applied; false when `\c` ended it.
fn echo_escapes(text: &str, outb: &mut Vec<u8>) -> bool {
  let c: Vec<char> = text.chars().collect();
  let mut i = 0;
  while i < c.len() {
    if c[i] == '\\' {
      let (bytes, n) = escape(&c, i + 1, true);
      match bytes {
        Some(b) => outb.extend_from_slice(&b),
        None => return false,
      }
      i += 1 + n;
    } else {
      let mut b = [0u8; 4];
      outb.extend_from_slice(c[i].encode_utf8(&mut b).as_bytes());
      i += 1;
    }
  }
  true
}

/// dash's echo: `-n`, and escapes always read (bash's: `-e`/`-E`).
pub fn echo(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut i = 1;
  let mut newline = true;
  let mut escapes = !sh.bash;
  while let Some(a) = args.get(i) {
    let ok = a.len() > 1
      && a.starts_with('-')
      && a[1..]
        .chars()
        .all(|c| c == 'n' || (sh.bash && (c == 'e' || c == 'E')));
    if !ok {
      break;
    }
    for c in a[1..].chars() {
      match c {
        'n' => newline = false,
        'e' => escapes = true,
        _ => escapes = false,
      }
    }
    i += 1;
  }
  let mut b = Vec::new();
  let mut ended = false;
  for (n, a) in args[i..].iter().enumerate() {
    if n > 0 {
      b.push(b' ');
    }
    if escapes {
      if !echo_escapes(a, &mut b) {
        ended = true;
        break;
      }
    } else {
      b.extend_from_slice(a.as_bytes());
    }
  }
  if newline && !ended {
    b.push(b'\n');
  }
  out(sh, s, &b)?;
  Ok(0)
}

/// A number argument of printf (`'c` is the character's code).
fn num_arg(a: &str, bad: &mut bool) -> i64 {
  if let Some(c) = a.strip_prefix('\'').or_else(|| a.strip_prefix('"')) {
    return c.chars().next().map_or(0, |c| c as i64);
  }
  let t = a.trim();
  if t.is_empty() {
    return 0;
  }
  match crate::kernel::shell::exec::parse_int(t) {
    Some(v) => v,
    None => {
      *bad = true;
      0
    }
  }
}

/// Width and precision of one printf field, at most.
const MAX_FIELD: usize = 64 * 1024;

pub fn printf(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let Some(format) = args.get(1) else {
    super::err(sh, s, "printf", "usage: printf format [arg ...]");
    return Ok(2);
  };
  let f: Vec<char> = format.chars().collect();
  let mut rest = &args[2..];
  let mut b = Vec::new();
  let mut bad = false;
  loop {
    let mut used = 0;
    let mut i = 0;
    while i < f.len() {
      match f[i] {
        '\\' => {
          let (bytes, n) = escape(&f, i + 1, false);
          match bytes {
            Some(x) => b.extend_from_slice(&x),
            None => {
              out(sh, s, &b)?;
              return Ok(0);
            }
          }
          i += 1 + n;
        }
        '%' if f.get(i + 1) == Some(&'%') => {
          b.push(b'%');
          i += 2;
        }
        '%' => {
          let mut j = i + 1;
          while j < f.len() && "-+ #0".contains(f[j]) {
            j += 1;
          }
          while j < f.len() && (f[j].is_ascii_digit() || f[j] == '.' || f[j] == '*') {
            j += 1;
          }
          let Some(&conv) = f.get(j) else {
            b.extend(f[i..].iter().collect::<String>().bytes());
            break;
          };
          let spec: String = f[i + 1..j].iter().collect();
          let arg = rest.get(used).cloned();
          if arg.is_some() {
            used += 1;
          }
          let arg = arg.unwrap_or_default();
          let flags: String = spec.chars().take_while(|c| "-+ #0".contains(*c)).collect();
          let dims = &spec[flags.len()..];
          let (width, prec) = match dims.split_once('.') {
            Some((w, p)) => (
              w.parse::<usize>().ok(),
              Some(p.parse::<usize>().unwrap_or(0)),
            ),
            None => (dims.parse::<usize>().ok(), None),
          };
          // A field is bounded (a huge width would be held whole).
          let width = width.map(|w| w.min(MAX_FIELD));
          let prec = prec.map(|p| p.min(MAX_FIELD));
          let left = flags.contains('-');
          let zero = flags.contains('0') && !left;
          let body: String = match conv {
            's' => match prec {
              Some(p) => arg.chars().take(p).collect(),
              None => arg,
            },
            'b' => {
              let mut x = Vec::new();
              echo_escapes(&arg, &mut x);
              String::from_utf8_lossy(&x).into_owned()
            }
            'c' => arg.chars().next().map(String::from).unwrap_or_default(),
            'd' | 'i' => {
              let v = num_arg(&arg, &mut bad);
              let mut t = v.abs().to_string();
              if let Some(p) = prec {
                while t.len() < p {
                  t.insert(0, '0');
                }
              }
              let sign = if v < 0 {
                "-"
              } else if flags.contains('+') {
                "+"
              } else if flags.contains(' ') {
                " "
              } else {
                ""
              };
              if zero && prec.is_none() {
                if let Some(w) = width {
                  while t.len() + sign.len() < w {
                    t.insert(0, '0');
                  }
                }
              }
              format!("{sign}{t}")
            }
            'u' => (num_arg(&arg, &mut bad) as u64).to_string(),
            'x' => format!("{:x}", num_arg(&arg, &mut bad)),
            'X' => format!("{:X}", num_arg(&arg, &mut bad)),
            'o' => format!("{:o}", num_arg(&arg, &mut bad)),
            'f' | 'e' | 'g' => {
              let v: f64 = arg.trim().parse().unwrap_or_else(|_| {
                if !arg.is_empty() {
                  bad = true;
                }
                0.0
              });
              let p = prec.unwrap_or(6);
              match conv {
                'e' => format!("{v:.p$e}"),
                'g' => format!("{v}"),
                _ => format!("{v:.p$}"),
              }
            }
            _ => {
              super::err(sh, s, "printf", &format!("%{conv}: invalid directive"));
              out(sh, s, &b)?;
              return Ok(1);
            }
          };
          let pad = width.unwrap_or(0).saturating_sub(body.chars().count());
          let fill = if zero && matches!(conv, 'd' | 'i' | 'f' | 'x' | 'o' | 'u') {
            '0'
          } else {
            ' '
          };
          if left {
            b.extend_from_slice(body.as_bytes());
            b.extend(std::iter::repeat_n(b' ', pad));
          } else if fill == '0' && matches!(conv, 'd' | 'i') {
            b.extend_from_slice(body.as_bytes());
          } else {
            b.extend(std::iter::repeat_n(fill as u8, pad));
            b.extend_from_slice(body.as_bytes());
          }
          i = j + 1;
        }
        ch => {
          let mut t = [0u8; 4];
          b.extend_from_slice(ch.encode_utf8(&mut t).as_bytes());
          i += 1;
        }
      }
      if b.len() >= io::CHUNK {
        out(sh, s, &b)?;
        b.clear();
      }
    }
    if used == 0 || used >= rest.len() {
      break;
    }
    rest = &rest[used..];
  }
  out(sh, s, &b)?;
  Ok(i32::from(bad))
}

pub fn pwd(sh: &mut Shell, s: &mut OpState, _: &[String]) -> Status {
  let line = format!("{}\n", s.process.cwd);
  out(sh, s, line.as_bytes())?;
  Ok(0)
}

pub fn cd(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let operands: Vec<&String> = args[1..]
    .iter()
    .filter(|a| *a != "-L" && *a != "-P")
    .collect();
  let (target, print) = match operands.first().map(|a| a.as_str()) {
    None => (
      sh.vars
        .get("HOME")
        .cloned()
        .unwrap_or_else(|| "/home/user".into()),
      false,
    ),
    Some("-") => (
      sh.vars
        .get("OLDPWD")
        .cloned()
        .unwrap_or_else(|| s.process.cwd.clone()),
      true,
    ),
    Some(d) => (d.to_string(), false),
  };
  let old = s.process.cwd.clone();
  match crate::kernel::fs::chdir(s, &target) {
    Ok(_) => {
      sh.vars.insert("OLDPWD".into(), old);
      sh.vars.insert("PWD".into(), s.process.cwd.clone());
      if print {
        let line = format!("{}\n", s.process.cwd);
        out(sh, s, line.as_bytes())?;
      }
      Ok(0)
    }
    Err(e) => {
      let why = match io::errno_of(e) {
        crate::kernel::error::Errno::ENOTDIR => "Not a directory",
        crate::kernel::error::Errno::EACCES => "Permission denied",
        _ => "No such file or directory",
      };
      let _ = why;
      sh.error(s, &format!("cd: can't cd to {target}"));
      Ok(2)
    }
  }
}

fn quote(v: &str) -> String {
  format!("'{}'", v.replace('\'', "'\\''"))
}

pub fn export(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let names: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
  if names.is_empty() {
    let mut text = String::new();
    for k in sh.exported.clone() {
      if let Some(v) = sh.vars.get(&k) {
        text.push_str(&format!("export {k}={}\n", quote(v)));
      }
    }
    out(sh, s, text.as_bytes())?;
    return Ok(0);
  }
  for a in names {
    let (k, v) = match a.split_once('=') {
      Some((k, v)) => (k.to_string(), Some(v.to_string())),
      None => (a.clone(), None),
    };
    if k.is_empty()
      || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
      || k.starts_with(|c: char| c.is_ascii_digit())
    {
      sh.error(s, &format!("export: {k}: bad variable name"));
      return Err(Flow::Exit(2));
    }
    if let Some(v) = v {
      sh.vars.insert(k.clone(), v);
    }
    if args[0] == "export" {
      sh.exported.insert(k);
    }
  }
  Ok(0)
}

pub fn local(sh: &mut Shell, _: &mut OpState, args: &[String]) -> Status {
  for a in &args[1..] {
    match a.split_once('=') {
      Some((k, v)) => {
        sh.vars.insert(k.to_string(), v.to_string());
      }
      None => {
        if !sh.vars.contains_key(a) {
          sh.vars.insert(a.clone(), String::new());
        }
      }
    }
  }
  Ok(0)
}

pub fn unset(sh: &mut Shell, _: &mut OpState, args: &[String]) -> Status {
  let functions = args.iter().any(|a| a == "-f");
  for a in args[1..].iter().filter(|a| !a.starts_with('-')) {
    if functions {
      sh.functions.remove(a);
    } else {
      sh.vars.remove(a);
      sh.exported.remove(a);
    }
  }
  Ok(0)
}

pub fn set(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  if args.len() == 1 {
    let mut text = String::new();
    for (k, v) in sh.vars.iter() {
      text.push_str(&format!("{k}={}\n", quote(v)));
    }
    out(sh, s, text.as_bytes())?;
    return Ok(0);
  }
  let mut i = 1;
  while i < args.len() {
    let a = &args[i];
    if a == "--" {
      sh.positional = args[i + 1..].to_vec();
      return Ok(0);
    }
    if a == "-o" || a == "+o" {
      if args.get(i + 1).map(|x| x.as_str()) == Some("errexit") {
        sh.errexit = a == "-o";
      }
      i += 2;
      continue;
    }
    if let Some(f) = a.strip_prefix('-').or_else(|| a.strip_prefix('+')) {
      if a.len() > 1 {
        let on = a.starts_with('-');
        if f.contains('e') {
          sh.errexit = on;
        }
        i += 1;
        continue;
      }
    }
    sh.positional = args[i..].to_vec();
    return Ok(0);
  }
  Ok(0)
}

pub fn shift(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let n: usize = match args.get(1) {
    Some(a) => match a.parse() {
      Ok(n) => n,
      Err(_) => {
        sh.error(s, &format!("shift: Illegal number: {a}"));
        return Err(Flow::Exit(2));
      }
    },
    None => 1,
  };
  if n > sh.positional.len() {
    sh.error(s, "shift: can't shift that many");
    return Err(Flow::Exit(2));
  }
  sh.positional.drain(..n);
  Ok(0)
}

fn code_arg(sh: &mut Shell, s: &mut OpState, args: &[String], name: &str) -> Result<i32, Flow> {
  match args.get(1) {
    None => Ok(sh.status),
    Some(a) => match a.parse::<i64>() {
      Ok(n) if n >= 0 => Ok((n & 0xff) as i32),
      _ => {
        sh.error(s, &format!("{name}: Illegal number: {a}"));
        Err(Flow::Exit(2))
      }
    },
  }
}

pub fn exit(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let code = code_arg(sh, s, args, "exit")?;
  Err(Flow::Exit(code))
}

pub fn ret(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let code = code_arg(sh, s, args, "return")?;
  Err(Flow::Return(code))
}

/// How many loops `break`/`continue` leave: at most those running (none
/// outside a loop, where they do nothing). A count that is not a positive
/// number ends the shell, as dash's special builtins do.
fn loop_count(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Result<usize, Flow> {
  let n = match args.get(1) {
    None => 1,
    Some(a) => match a.parse::<usize>() {
      Ok(n) if n > 0 => n,
      _ => {
        sh.error(s, &format!("{}: Illegal number: {a}", args[0]));
        return Err(Flow::Exit(2));
      }
    },
  };
  Ok(n.min(sh.loops))
}

pub fn brk(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  match loop_count(sh, s, args)? {
    0 => Ok(0),
    n => Err(Flow::Break(n)),
  }
}

pub fn cont(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  match loop_count(sh, s, args)? {
    0 => Ok(0),
    n => Err(Flow::Continue(n)),
  }
}

pub fn eval(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let src = args[1..].join(" ");
  if sh.depth >= MAX_DEPTH {
    sh.error(s, "eval: nested too deeply");
    return Err(Flow::Exit(2));
  }
  sh.depth += 1;
  let r = sh.run_script(s, &src);
  sh.depth -= 1;
  r
}

pub fn source(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let Some(f) = args.get(1) else {
    sh.error(s, ".: filename argument required");
    return Ok(2);
  };
  let src = match io::read_file(s, f) {
    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
    Err(_) => {
      sh.error(s, &format!(".: cannot open {f}: No such file"));
      return Err(Flow::Exit(2));
    }
  };
  if sh.depth >= MAX_DEPTH {
    sh.error(s, ".: nested too deeply");
    return Err(Flow::Exit(2));
  }
  sh.depth += 1;
  let r = sh.run_script(s, &src);
  sh.depth -= 1;
  match r {
    Err(Flow::Return(c)) => Ok(c),
    r => r,
  }
}

/// `read [-r] name...`: one line of stdin, split on IFS.
pub fn read(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let raw = args.iter().any(|a| a == "-r");
  let names: Vec<String> = args[1..]
    .iter()
    .filter(|a| !a.starts_with('-'))
    .cloned()
    .collect();
  let names = if names.is_empty() {
    vec!["REPLY".to_string()]
  } else {
    names
  };
  let stdin = sh.fds[0].clone();
  let mut line = Vec::new();
  let mut eof = false;
  loop {
    // A byte at a time: what follows the line stays for the next reader.
    match stdin.read(s, 1).map_err(rflow)? {
      Some(b) => {
        if b[0] == b'\n' {
          if !raw && line.last() == Some(&b'\\') {
            line.pop();
            continue;
          }
          break;
        }
        line.extend_from_slice(&b);
        if line.len() > super::super::MAX_WORD_BYTES {
          break;
        }
      }
      None => {
        eof = true;
        break;
      }
    }
  }
  let mut text = String::from_utf8_lossy(&line).into_owned();
  if !raw {
    let mut t = String::new();
    let mut it = text.chars();
    while let Some(c) = it.next() {
      if c == '\\' {
        if let Some(n) = it.next() {
          t.push(n);
        }
      } else {
        t.push(c);
      }
    }
    text = t;
  }
  let ifs = sh
    .vars
    .get("IFS")
    .cloned()
    .unwrap_or_else(|| " \t\n".into());
  let trimmed = text.trim_matches(|c: char| ifs.contains(c) && c.is_whitespace());
  let mut rest = trimmed.to_string();
  for (n, name) in names.iter().enumerate() {
    if n + 1 == names.len() {
      sh.vars.insert(
        name.clone(),
        rest
          .trim_end_matches(|c: char| ifs.contains(c) && c.is_whitespace())
          .to_string(),
      );
      break;
    }
    let at = rest.find(|c: char| ifs.contains(c));
    let (field, after) = match at {
      Some(i) => (
        rest[..i].to_string(),
        rest[i..]
          .trim_start_matches(|c: char| ifs.contains(c) && c.is_whitespace())
          .to_string(),
      ),
      None => (rest.clone(), String::new()),
    };
    let after = after
      .strip_prefix(|c: char| ifs.contains(c) && !c.is_whitespace())
      .map(str::to_string)
      .unwrap_or(after);
    sh.vars.insert(name.clone(), field);
    rest = after;
  }
  Ok(i32::from(eof))
}

pub fn wait(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let all = args.len() < 2;
  let pids: Vec<u32> = if all {
    std::mem::take(&mut sh.jobs)
  } else {
    args[1..].iter().filter_map(|a| a.parse().ok()).collect()
  };
  let mut status = 0;
  for pid in pids {
    if let Some(at) = sh.done_jobs.iter().position(|(p, _)| *p == pid) {
      status = sh.done_jobs.remove(at).1;
      continue;
    }
    let known = s
      .kernel
      .processes()
      .get(pid)
      .is_some_and(|e| e.ppid == s.process.pid);
    status = if known { sh.wait_pid(s, pid)? } else { 127 };
    sh.jobs.retain(|p| *p != pid);
  }
  if all {
    sh.done_jobs.clear();
    status = 0;
  }
  Ok(status)
}

/// `command -v name`, `type name`, `command name args`.
pub fn command(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let verbose = args.get(1).is_some_and(|a| a == "-v" || a == "-V") || args[0] == "type";
  if !verbose {
    if args.len() < 2 {
      return Ok(0);
    }
    return sh.run_argv(s, args[1..].to_vec(), Vec::new());
  }
  // dash's `command -v` looks up its first operand only.
  let names = if args[0] == "type" {
    &args[1..]
  } else {
    &args[2..args.len().min(3)]
  };
  let mut status = 0;
  let mut text = String::new();
  for name in names {
    let found = if sh.functions.contains_key(name) {
      Some(if args[0] == "type" {
        format!("{name} is a function")
      } else {
        name.clone()
      })
    } else if super::find(name).is_some() && !super::NAMES.contains(&name.as_str()) {
      Some(if args[0] == "type" {
        format!("{name} is a shell builtin")
      } else {
        name.clone()
      })
    } else {
      super::misc::lookup(name, s).map(|p| {
        if args[0] == "type" {
          format!("{name} is {p}")
        } else {
          p
        }
      })
    };
    match found {
      Some(f) => {
        text.push_str(&f);
        text.push('\n');
      }
      None => {
        if args[0] == "type" {
          text.push_str(&format!("{name}: not found\n"));
        }
        status = if args[0] == "type" { 127 } else { 1 };
      }
    }
  }
  out(sh, s, text.as_bytes())?;
  Ok(status)
}

/// `trap cmd EXIT` (or 0): run as the shell ends; `trap - EXIT` clears it.
/// Traps on signals are accepted and never run (signals end the shell).
pub fn trap(sh: &mut Shell, _: &mut OpState, args: &[String]) -> Status {
  if args.len() < 3 {
    return Ok(0);
  }
  let action = &args[1];
  for cond in &args[2..] {
    if cond == "EXIT" || cond == "0" {
      sh.exit_trap = (action != "-" && !action.is_empty()).then(|| action.clone());
    }
  }
  Ok(0)
}
