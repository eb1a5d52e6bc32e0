//! File tools as GNU coreutils and findutils behave for their common
//! options: mkdir rm rmdir cp mv touch ln ls find. Every path goes
//! through `kernel::fs`, so the fs policy, mounts and limits apply.
use super::{err, gnu, opts, out, usage, wflow};
use crate::kernel::error::Errno;
use crate::kernel::fs as kfs;
use crate::kernel::op::OpValue;
use crate::kernel::shell::io::{errno_of, Out};
use crate::kernel::shell::{Flow, Shell, Status};
use crate::kernel::syscall::OpState;

/// Directory levels `rm -r`, `cp -r`, `ls -R` and `find` descend at most.
const MAX_WALK_DEPTH: usize = 256;

type Stat = [f64; 18];

fn stat(s: &mut OpState, path: &str, follow: bool) -> Result<Stat, Errno> {
  match kfs::stat(s, path, follow) {
    Ok(OpValue::Stat(st)) => Ok(*st),
    Ok(_) => Err(Errno::EIO),
    Err(e) => Err(errno_of(e)),
  }
}

fn is_dir(st: &Stat) -> bool {
  (st[1] as u32) & 0o170000 == 0o040000
}

fn is_link(st: &Stat) -> bool {
  (st[1] as u32) & 0o170000 == 0o120000
}

/// Names in `dir`, sorted, each with its type letter (f, d, l, c).
fn entries(s: &mut OpState, dir: &str) -> Result<Vec<(char, String)>, Errno> {
  match kfs::readdir(s, dir, true) {
    Ok(OpValue::Strings(v)) => {
      let mut e: Vec<(char, String)> = v
        .into_iter()
        .filter_map(|t| {
          let mut c = t.chars();
          let k = c.next()?;
          Some((k, c.as_str().to_string()))
        })
        .collect();
      e.sort_by(|a, b| a.1.cmp(&b.1));
      Ok(e)
    }
    Ok(_) => Err(Errno::EIO),
    Err(e) => Err(errno_of(e)),
  }
}

fn join(dir: &str, name: &str) -> String {
  if dir.ends_with('/') {
    format!("{dir}{name}")
  } else {
    format!("{dir}/{name}")
  }
}

fn base(p: &str) -> &str {
  let t = p.trim_end_matches('/');
  if t.is_empty() {
    return "/";
  }
  t.rsplit('/').next().unwrap_or(t)
}

/// Visits `root` and what is under it, depth first in name order:
/// `f(depth, path, is_dir)`.
pub fn walk(s: &mut OpState, root: &str, depth: usize, f: &mut dyn FnMut(usize, &str, bool)) {
  // A tree of a million files ends with the process too.
  if s.control.stopped() {
    return;
  }
  let Ok(st) = stat(s, root, depth == 0) else {
    return;
  };
  let dir = is_dir(&st);
  f(depth, root, dir);
  if dir && depth < MAX_WALK_DEPTH {
    if let Ok(list) = entries(s, root) {
      for (_, name) in list {
        walk(s, &join(root, &name), depth + 1, f);
      }
    }
  }
}

pub fn mkdir(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "m",
    &[("parents", 'p'), ("mode", 'm'), ("verbose", 'v')],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "mkdir", &m, 1),
  };
  if o.operands.is_empty() {
    return usage(sh, s, "mkdir", "missing operand", 1);
  }
  let mode = o
    .value('m')
    .and_then(|m| u32::from_str_radix(m, 8).ok())
    .unwrap_or(0o777);
  let mut status = 0;
  for d in &o.operands {
    if let Err(e) = kfs::mkdir(s, d, o.has('p'), mode) {
      err(
        sh,
        s,
        "mkdir",
        &format!("cannot create directory '{d}': {}", gnu(errno_of(e))),
      );
      status = 1;
    } else if o.has('v') {
      out(
        sh,
        s,
        format!("mkdir: created directory '{d}'\n").as_bytes(),
      )?;
    }
  }
  Ok(status)
}

pub fn rmdir(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "", &[("parents", 'p')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "rmdir", &m, 1),
  };
  if o.operands.is_empty() {
    return usage(sh, s, "rmdir", "missing operand", 1);
  }
  let mut status = 0;
  for d in &o.operands {
    if let Err(e) = kfs::rmdir(s, d) {
      err(
        sh,
        s,
        "rmdir",
        &format!("failed to remove '{d}': {}", gnu(errno_of(e))),
      );
      status = 1;
    }
  }
  Ok(status)
}

fn remove_tree(s: &mut OpState, path: &str, depth: usize) -> Result<(), Errno> {
  if s.control.stopped() {
    return Err(Errno::EINTR);
  }
  let st = stat(s, path, false)?;
  if is_dir(&st) {
    if depth > MAX_WALK_DEPTH {
      return Err(Errno::ELOOP);
    }
    for (_, name) in entries(s, path)? {
      remove_tree(s, &join(path, &name), depth + 1)?;
    }
    kfs::rmdir(s, path).map_err(errno_of)
  } else {
    kfs::unlink(s, path).map_err(errno_of)
  }
}

pub fn rm(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "",
    &[
      ("recursive", 'r'),
      ("force", 'f'),
      ("dir", 'd'),
      ("verbose", 'v'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "rm", &m, 1),
  };
  let force = o.has('f');
  let recursive = o.has('r') || o.has('R');
  if o.operands.is_empty() {
    if force {
      return Ok(0);
    }
    return usage(sh, s, "rm", "missing operand", 1);
  }
  let mut status = 0;
  for p in &o.operands {
    let st = match stat(s, p, false) {
      Ok(st) => st,
      Err(e) => {
        if !(force && e == Errno::ENOENT) {
          err(sh, s, "rm", &format!("cannot remove '{p}': {}", gnu(e)));
          status = 1;
        }
        continue;
      }
    };
    let r = if is_dir(&st) {
      if recursive {
        remove_tree(s, p, 0)
      } else if o.has('d') {
        kfs::rmdir(s, p).map_err(errno_of)
      } else {
        err(sh, s, "rm", &format!("cannot remove '{p}': Is a directory"));
        status = 1;
        continue;
      }
    } else {
      kfs::unlink(s, p).map_err(errno_of)
    };
    if let Err(e) = r {
      err(sh, s, "rm", &format!("cannot remove '{p}': {}", gnu(e)));
      status = 1;
    } else if o.has('v') {
      out(sh, s, format!("removed '{p}'\n").as_bytes())?;
    }
  }
  Ok(status)
}

fn copy_tree(s: &mut OpState, from: &str, to: &str, depth: usize) -> Result<(), Errno> {
  if s.control.stopped() {
    return Err(Errno::EINTR);
  }
  // Below the operand a symlink is copied as one, as GNU cp -r does.
  let st = stat(s, from, depth == 0)?;
  if is_link(&st) {
    let target = match kfs::readlink(s, from) {
      Ok(OpValue::Str(t)) => t.into_owned(),
      Ok(_) => return Err(Errno::EIO),
      Err(e) => return Err(errno_of(e)),
    };
    return kfs::symlink(s, &target, to).map_err(errno_of);
  }
  if is_dir(&st) {
    if depth > MAX_WALK_DEPTH {
      return Err(Errno::ELOOP);
    }
    match kfs::mkdir(s, to, false, (st[1] as u32) & 0o7777) {
      Ok(_) => {}
      Err(e) if errno_of(e.clone()) == Errno::EEXIST => {}
      Err(e) => return Err(errno_of(e)),
    }
    for (_, name) in entries(s, from)? {
      copy_tree(s, &join(from, &name), &join(to, &name), depth + 1)?;
    }
    Ok(())
  } else {
    kfs::copy_file(s, from, to, 0).map_err(errno_of)
  }
}

/// Where `src` goes for `cp`/`mv` to `dst` (into it when it is a directory).
fn target(s: &mut OpState, src: &str, dst: &str, many: bool) -> Result<String, String> {
  match stat(s, dst, true) {
    Ok(st) if is_dir(&st) => Ok(join(dst, base(src))),
    _ if many => Err(format!("target '{dst}' is not a directory")),
    _ => Ok(dst.to_string()),
  }
}

/// `cp`/`mv` operands: the sources and the destination, or the usage
/// error for too few.
fn sources_and_target(operands: &[String]) -> Result<(&[String], &String), String> {
  match operands {
    [] => Err("missing file operand".into()),
    [f] => Err(format!("missing destination file operand after '{f}'")),
    [srcs @ .., dst] => Ok((srcs, dst)),
  }
}

pub fn cp(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "",
    &[
      ("recursive", 'r'),
      ("force", 'f'),
      ("archive", 'a'),
      ("verbose", 'v'),
      ("no-clobber", 'n'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "cp", &m, 1),
  };
  let recursive = o.has('r') || o.has('R') || o.has('a');
  let (srcs, dst) = match sources_and_target(&o.operands) {
    Ok(v) => v,
    Err(msg) => return usage(sh, s, "cp", &msg, 1),
  };
  let mut status = 0;
  for src in srcs {
    let to = match target(s, src, dst, srcs.len() > 1) {
      Ok(t) => t,
      Err(m) => {
        err(sh, s, "cp", &m);
        return Ok(1);
      }
    };
    let st = match stat(s, src, true) {
      Ok(st) => st,
      Err(e) => {
        err(sh, s, "cp", &format!("cannot stat '{src}': {}", gnu(e)));
        status = 1;
        continue;
      }
    };
    if is_dir(&st) && !recursive {
      err(
        sh,
        s,
        "cp",
        &format!("-r not specified; omitting directory '{src}'"),
      );
      status = 1;
      continue;
    }
    if o.has('n') && stat(s, &to, false).is_ok() {
      continue;
    }
    if let Err(e) = copy_tree(s, src, &to, 0) {
      err(
        sh,
        s,
        "cp",
        &format!("cannot create regular file '{to}': {}", gnu(e)),
      );
      status = 1;
    } else if o.has('v') {
      out(sh, s, format!("'{src}' -> '{to}'\n").as_bytes())?;
    }
  }
  Ok(status)
}

pub fn mv(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "",
    &[("force", 'f'), ("verbose", 'v'), ("no-clobber", 'n')],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "mv", &m, 1),
  };
  let (srcs, dst) = match sources_and_target(&o.operands) {
    Ok(v) => v,
    Err(msg) => return usage(sh, s, "mv", &msg, 1),
  };
  let mut status = 0;
  for src in srcs {
    let to = match target(s, src, dst, srcs.len() > 1) {
      Ok(t) => t,
      Err(m) => {
        err(sh, s, "mv", &m);
        return Ok(1);
      }
    };
    if let Err(e) = stat(s, src, false) {
      err(sh, s, "mv", &format!("cannot stat '{src}': {}", gnu(e)));
      status = 1;
      continue;
    }
    if o.has('n') && stat(s, &to, false).is_ok() {
      continue;
    }
    if let Err(e) = kfs::rename(s, src, &to) {
      err(
        sh,
        s,
        "mv",
        &format!("cannot move '{src}' to '{to}': {}", gnu(errno_of(e))),
      );
      status = 1;
    } else if o.has('v') {
      out(sh, s, format!("renamed '{src}' -> '{to}'\n").as_bytes())?;
    }
  }
  Ok(status)
}

pub fn touch(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "dt", &[("no-create", 'c')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "touch", &m, 1),
  };
  if o.operands.is_empty() {
    return usage(sh, s, "touch", "missing file operand", 1);
  }
  let now = s.process.clock.now_ms() / 1000.0;
  let mut status = 0;
  for f in &o.operands {
    if stat(s, f, true).is_err() {
      if o.has('c') {
        continue;
      }
      let abs = crate::kernel::shell::exec::absolute(&s.process.cwd, f);
      if let Err(e) = kfs::write_file(
        s,
        &abs,
        crate::kernel::op::StrOrBytes::from_bytes(b""),
        1 | 0o100,
        0o666,
      ) {
        err(
          sh,
          s,
          "touch",
          &format!("cannot touch '{f}': {}", gnu(errno_of(e))),
        );
        status = 1;
      }
      continue;
    }
    if let Err(e) = kfs::utimes(s, f, now, now, true) {
      err(
        sh,
        s,
        "touch",
        &format!("setting times of '{f}': {}", gnu(errno_of(e))),
      );
      status = 1;
    }
  }
  Ok(status)
}

pub fn ln(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "", &[("symbolic", 's'), ("force", 'f')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "ln", &m, 1),
  };
  if o.operands.is_empty() {
    return usage(sh, s, "ln", "missing file operand", 1);
  }
  let (src, dst) = match o.operands.as_slice() {
    [a] => (a.clone(), base(a).to_string()),
    [a, b] => (
      a.clone(),
      target(s, a, b, false).unwrap_or_else(|_| b.clone()),
    ),
    _ => {
      err(sh, s, "ln", "extra operand");
      return Ok(1);
    }
  };
  if o.has('f') && stat(s, &dst, false).is_ok() {
    let _ = kfs::unlink(s, &dst);
  }
  let r = if o.has('s') {
    kfs::symlink(s, &src, &dst)
  } else {
    kfs::link(s, &src, &dst)
  };
  if let Err(e) = r {
    let e = errno_of(e);
    let msg = if o.has('s') || e == Errno::EEXIST {
      format!(
        "failed to create {}link '{dst}': {}",
        if o.has('s') { "symbolic " } else { "hard " },
        gnu(e)
      )
    } else {
      format!("failed to access '{src}': {}", gnu(e))
    };
    err(sh, s, "ln", &msg);
    return Ok(1);
  }
  Ok(0)
}

fn mode_string(st: &Stat) -> String {
  let m = st[1] as u32;
  let t = match m & 0o170000 {
    0o040000 => 'd',
    0o120000 => 'l',
    0o020000 => 'c',
    0o060000 => 'b',
    0o010000 => 'p',
    0o140000 => 's',
    _ => '-',
  };
  let mut out = String::from(t);
  for shift in [6, 3, 0] {
    let b = (m >> shift) & 7;
    out.push(if b & 4 != 0 { 'r' } else { '-' });
    out.push(if b & 2 != 0 { 'w' } else { '-' });
    out.push(if b & 1 != 0 { 'x' } else { '-' });
  }
  out
}

fn month_day_time(secs: f64) -> String {
  let (y, mo, d, h, mi, _) = super::misc::civil(secs as i64);
  let _ = y;
  const M: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ];
  format!("{} {:>2} {:02}:{:02}", M[(mo - 1) as usize], d, h, mi)
}

pub fn ls(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "",
    &[
      ("all", 'a'),
      ("almost-all", 'A'),
      ("directory", 'd'),
      ("recursive", 'R'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "ls", &m, 2),
  };
  let all = o.has('a');
  let almost = o.has('A');
  let long = o.has('l');
  let classify = o.has('F');
  let paths = if o.operands.is_empty() {
    vec![".".to_string()]
  } else {
    o.operands.clone()
  };
  let mut status = 0;
  let mut files: Vec<(String, Stat)> = Vec::new();
  let mut dirs: Vec<String> = Vec::new();
  for p in &paths {
    match stat(s, p, true).or_else(|_| stat(s, p, false)) {
      Ok(st) if is_dir(&st) && !o.has('d') => dirs.push(p.clone()),
      Ok(st) => files.push((p.clone(), st)),
      Err(e) => {
        err(sh, s, "ls", &format!("cannot access '{p}': {}", gnu(e)));
        status = 2;
      }
    }
  }
  files.sort_by(|a, b| a.0.cmp(&b.0));
  dirs.sort();
  let mut w = Out::new(sh.fds[1].clone());
  let line = |name: &str, st: &Stat| -> String {
    let mut n = name.to_string();
    if classify {
      if is_dir(st) {
        n.push('/');
      } else if is_link(st) {
        n.push('@');
      } else if (st[1] as u32) & 0o111 != 0 {
        n.push('*');
      }
    }
    if long {
      format!(
        "{} {} {} {} {:>5} {} {}\n",
        mode_string(st),
        st[2] as u64,
        if st[3] == 0.0 {
          "root".to_string()
        } else {
          "user".to_string()
        },
        if st[4] == 0.0 {
          "root".to_string()
        } else {
          "user".to_string()
        },
        st[8] as u64,
        month_day_time(st[12]),
        n
      )
    } else {
      format!("{n}\n")
    }
  };
  for (p, st) in &files {
    w.put(s, line(p, st).as_bytes()).map_err(wflow)?;
  }
  let many = paths.len() > 1 || o.has('R');
  let mut queue: std::collections::VecDeque<(String, usize)> =
    dirs.into_iter().map(|d| (d, 0)).collect();
  let mut first = files.is_empty();
  while let Some((d, depth)) = queue.pop_front() {
    let list = match entries(s, &d) {
      Ok(l) => l,
      Err(e) => {
        err(
          sh,
          s,
          "ls",
          &format!("cannot open directory '{d}': {}", gnu(e)),
        );
        status = 2;
        continue;
      }
    };
    if many {
      let head = if first {
        format!("{d}:\n")
      } else {
        format!("\n{d}:\n")
      };
      w.put(s, head.as_bytes()).map_err(wflow)?;
    }
    first = false;
    let mut names: Vec<String> = list
      .iter()
      .map(|(_, n)| n.clone())
      .filter(|n| all || almost || !n.starts_with('.'))
      .collect();
    if all {
      names.insert(0, "..".into());
      names.insert(0, ".".into());
    }
    let mut stats = Vec::new();
    let mut blocks = 0.0;
    for n in &names {
      let st = stat(s, &join(&d, n), false).unwrap_or([0.0; 18]);
      blocks += st[9];
      stats.push(st);
    }
    if long {
      w.put(
        s,
        format!("total {}\n", (blocks / 2.0).ceil() as u64).as_bytes(),
      )
      .map_err(wflow)?;
    }
    let mut subdirs = Vec::new();
    for (n, st) in names.iter().zip(&stats) {
      w.put(s, line(n, st).as_bytes()).map_err(wflow)?;
      if o.has('R') && is_dir(st) && n != "." && n != ".." && depth < MAX_WALK_DEPTH {
        subdirs.push((join(&d, n), depth + 1));
      }
    }
    for sd in subdirs.into_iter().rev() {
      queue.push_front(sd);
    }
  }
  w.flush(s).map_err(wflow)?;
  Ok(status)
}

/// One primary of a find expression.
enum Test {
  Name(String, bool),
  Path(String),
  Type(char),
  Not(Box<Test>),
  Print,
  Delete,
  /// `-exec cmd {} ;` (true when it exits 0) or `-exec cmd {} +` (all
  /// the paths at the end).
  Exec(Vec<String>, bool),
}

/// `find [path...] [expression]`: -name -iname -path -type -maxdepth
/// -mindepth, `!`/-not, -a/-and, -o/-or, -print, -delete, -exec.
pub fn find(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut roots = Vec::new();
  let mut i = 1;
  while i < args.len() && !args[i].starts_with('-') && args[i] != "!" && args[i] != "(" {
    roots.push(args[i].clone());
    i += 1;
  }
  if roots.is_empty() {
    roots.push(".".into());
  }
  // Or of ands.
  let mut groups: Vec<Vec<Test>> = vec![Vec::new()];
  let mut max_depth = usize::MAX;
  let mut min_depth = 0;
  let mut negate = false;
  let mut acts = false;
  while i < args.len() {
    let a = args[i].as_str();
    let val = args.get(i + 1).cloned();
    let need = |v: Option<String>| v.ok_or_else(|| format!("missing argument to `{a}'"));
    let t = match a {
      "-name" | "-iname" => match need(val) {
        Ok(v) => {
          i += 1;
          Some(Test::Name(v, a == "-iname"))
        }
        Err(m) => {
          err(sh, s, "find", &m);
          return Ok(1);
        }
      },
      "-path" | "-wholename" => match need(val) {
        Ok(v) => {
          i += 1;
          Some(Test::Path(v))
        }
        Err(m) => {
          err(sh, s, "find", &m);
          return Ok(1);
        }
      },
      "-type" => match val.as_deref() {
        Some(t @ ("f" | "d" | "l")) => {
          i += 1;
          Some(Test::Type(t.chars().next().unwrap_or('f')))
        }
        Some(t) => {
          err(sh, s, "find", &format!("Unknown argument to -type: {t}"));
          return Ok(1);
        }
        None => {
          err(sh, s, "find", "missing argument to `-type'");
          return Ok(1);
        }
      },
      "-maxdepth" | "-mindepth" => {
        let Some(n) = val.and_then(|v| v.parse::<usize>().ok()) else {
          err(
            sh,
            s,
            "find",
            &format!(
              "Expected a positive decimal integer argument to {a}, but got '{}'",
              args.get(i + 1).cloned().unwrap_or_default()
            ),
          );
          return Ok(1);
        };
        i += 1;
        if a == "-maxdepth" {
          max_depth = n;
        } else {
          min_depth = n;
        }
        None
      }
      "!" | "-not" => {
        negate = !negate;
        i += 1;
        continue;
      }
      "-o" | "-or" => {
        groups.push(Vec::new());
        i += 1;
        continue;
      }
      "-a" | "-and" => None,
      "-print" => {
        acts = true;
        Some(Test::Print)
      }
      "-delete" => {
        acts = true;
        Some(Test::Delete)
      }
      "-exec" => {
        let mut cmd = Vec::new();
        let mut j = i + 1;
        let mut plus = false;
        while j < args.len() && args[j] != ";" && !(args[j] == "+" && j > 0 && args[j - 1] == "{}")
        {
          cmd.push(args[j].clone());
          j += 1;
        }
        if j >= args.len() || cmd.is_empty() {
          err(sh, s, "find", "missing argument to `-exec'");
          return Ok(1);
        }
        if args[j] == "+" {
          plus = true;
          cmd.pop();
        }
        i = j;
        acts = true;
        Some(Test::Exec(cmd, plus))
      }
      other => {
        err(sh, s, "find", &format!("unknown predicate `{other}'"));
        return Ok(1);
      }
    };
    if let Some(t) = t {
      let t = if negate { Test::Not(Box::new(t)) } else { t };
      if let Some(g) = groups.last_mut() {
        g.push(t);
      }
    }
    negate = false;
    i += 1;
  }
  let mut status = 0;
  let mut w = Out::new(sh.fds[1].clone());
  let mut batch: Vec<String> = Vec::new();
  let mut batch_cmd: Option<Vec<String>> = None;
  for root in &roots {
    if let Err(e) = stat(s, root, false) {
      err(sh, s, "find", &format!("'{root}': {}", gnu(e)));
      status = 1;
      continue;
    }
    let mut stack: Vec<(String, usize)> = vec![(root.clone(), 0)];
    let mut deletes: Vec<(String, bool)> = Vec::new();
    while let Some((p, depth)) = stack.pop() {
      if s.control.stopped() {
        return Err(Flow::Stopped);
      }
      let Ok(st) = stat(s, &p, false) else { continue };
      let kind = if is_dir(&st) {
        'd'
      } else if is_link(&st) {
        'l'
      } else {
        'f'
      };
      if depth >= min_depth {
        let mut hit = false;
        for g in &groups {
          let mut all = true;
          for t in g {
            let ok = match t {
              Test::Print => {
                w.put(s, p.as_bytes()).map_err(wflow)?;
                w.put(s, b"\n").map_err(wflow)?;
                true
              }
              Test::Delete => {
                deletes.push((p.clone(), kind == 'd'));
                true
              }
              Test::Exec(cmd, plus) => {
                if *plus {
                  batch_cmd.get_or_insert_with(|| cmd.clone());
                  batch.push(p.clone());
                  true
                } else {
                  let argv: Vec<String> = cmd.iter().map(|a| a.replace("{}", &p)).collect();
                  w.flush(s).map_err(wflow)?;
                  sh.run_argv(s, argv, Vec::new())? == 0
                }
              }
              t => check(t, &p, kind),
            };
            if !ok {
              all = false;
              break;
            }
          }
          if all {
            hit = true;
            break;
          }
        }
        if hit && !acts {
          w.put(s, p.as_bytes()).map_err(wflow)?;
          w.put(s, b"\n").map_err(wflow)?;
        }
      }
      if kind == 'd' && depth < max_depth && depth < MAX_WALK_DEPTH {
        match entries(s, &p) {
          Ok(list) => {
            for (_, name) in list.into_iter().rev() {
              stack.push((join(&p, &name), depth + 1));
            }
          }
          Err(e) => {
            err(sh, s, "find", &format!("'{p}': {}", gnu(e)));
            status = 1;
          }
        }
      }
    }
    // -delete goes depth first: a directory after what it holds.
    for (p, dir) in deletes.into_iter().rev() {
      let r = if dir {
        kfs::rmdir(s, &p)
      } else {
        kfs::unlink(s, &p)
      };
      if let Err(e) = r {
        err(
          sh,
          s,
          "find",
          &format!("cannot delete '{p}': {}", gnu(errno_of(e))),
        );
        status = 1;
      }
    }
  }
  w.flush(s).map_err(wflow)?;
  if let Some(mut cmd) = batch_cmd {
    if !batch.is_empty() {
      cmd.extend(batch);
      if sh.run_argv(s, cmd, Vec::new())? != 0 {
        status = 1;
      }
    }
  }
  Ok(status)
}

fn check(t: &Test, path: &str, kind: char) -> bool {
  match t {
    Test::Name(p, fold) => {
      let name = base(path);
      if *fold {
        crate::kernel::shell::expand::matches(&p.to_lowercase(), &name.to_lowercase())
      } else {
        crate::kernel::shell::expand::matches(p, name)
      }
    }
    Test::Path(p) => crate::kernel::shell::expand::matches(p, path),
    Test::Type(k) => *k == kind,
    Test::Not(t) => !check(t, path, kind),
    Test::Print | Test::Delete | Test::Exec(..) => true,
  }
}
