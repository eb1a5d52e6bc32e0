//! The rest: env sleep kill which date xargs basename dirname seq yes.
use super::{err, opts, out, rflow, usage, wflow};
use crate::kernel::shell::io::Out;
use crate::kernel::shell::{Flow, Shell, Status};
use crate::kernel::syscall::OpState;

/// Where `name` is found on PATH: a builtin or `node` (marker paths), or
/// a file of the VFS.
pub fn lookup(name: &str, s: &mut OpState) -> Option<String> {
  if name.contains('/') {
    let found = matches!(
      crate::kernel::fs::stat(s, name, true),
      Ok(crate::kernel::op::OpValue::Stat(_))
    );
    return found.then(|| name.to_string());
  }
  if name == "node" {
    return Some(crate::kernel::child::NODE_PATH.into());
  }
  if name == "sh" || name == "bash" {
    return Some(format!("/bin/{name}"));
  }
  if super::find(name).is_some() && super::NAMES.contains(&name) {
    return Some(format!("/usr/bin/{name}"));
  }
  None
}

pub fn which(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut status = 0;
  let mut text = String::new();
  for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
    match lookup(name, s) {
      Some(p) => {
        text.push_str(&p);
        text.push('\n');
      }
      None => status = 1,
    }
  }
  out(sh, s, text.as_bytes())?;
  Ok(status)
}

/// `env [-i] [-u name] [name=value...] [command [args...]]`.
pub fn env(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut i = 1;
  let mut clear = false;
  let mut unset = Vec::new();
  while i < args.len() {
    match args[i].as_str() {
      "-i" | "-" => clear = true,
      "-u" => {
        i += 1;
        if let Some(n) = args.get(i) {
          unset.push(n.clone());
        }
      }
      _ => break,
    }
    i += 1;
  }
  let mut vars: Vec<(String, String)> = if clear { Vec::new() } else { sh.child_env(&[]) };
  vars.retain(|(k, _)| !unset.contains(k));
  while i < args.len() {
    match args[i].split_once('=') {
      Some((k, v)) if !k.is_empty() => {
        vars.retain(|(x, _)| x != k);
        vars.push((k.to_string(), v.to_string()));
      }
      _ => break,
    }
    i += 1;
  }
  if i >= args.len() {
    let mut text = String::new();
    for (k, v) in &vars {
      text.push_str(&format!("{k}={v}\n"));
    }
    out(sh, s, text.as_bytes())?;
    return Ok(0);
  }
  // The command runs in a copy of the shell with exactly that environment.
  let mut sub = sh.clone();
  sub.vars.retain(|k, _| !sh.exported.contains(k.as_str()));
  sub.exported.clear();
  for (k, v) in vars {
    sub.vars.insert(k.clone(), v);
    sub.exported.insert(k);
  }
  sub.run_argv(s, args[i..].to_vec(), Vec::new())
}

/// A duration of sleep: `1`, `0.5`, `2s`, `1m`, `1h`, `1d`.
fn duration(a: &str) -> Option<f64> {
  let (num, mult) = match a.chars().last()? {
    's' => (&a[..a.len() - 1], 1.0),
    'm' => (&a[..a.len() - 1], 60.0),
    'h' => (&a[..a.len() - 1], 3600.0),
    'd' => (&a[..a.len() - 1], 86400.0),
    _ => (a, 1.0),
  };
  let v: f64 = num.parse().ok()?;
  (v >= 0.0 && v.is_finite()).then_some(v * mult)
}

pub fn sleep(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  if args.len() < 2 {
    return usage(sh, s, "sleep", "missing operand", 1);
  }
  let mut total = 0.0;
  for a in &args[1..] {
    match duration(a) {
      Some(d) => total += d,
      None => {
        return usage(sh, s, "sleep", &format!("invalid time interval '{a}'"), 1);
      }
    }
  }
  let d = std::time::Duration::from_secs_f64(total.min(1e9));
  // Made inside the wait: a timer needs the thread's runtime.
  if !s
    .control
    .wait(Box::pin(async move { tokio::time::sleep(d).await }))
  {
    return Err(Flow::Stopped);
  }
  Ok(0)
}

const SIGNALS: [&str; 31] = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
  "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
  "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

fn signal_number(name: &str) -> Option<u8> {
  if let Ok(n) = name.parse::<u8>() {
    return (n <= 64).then_some(n);
  }
  let n = name
    .strip_prefix("SIG")
    .unwrap_or(name)
    .to_ascii_uppercase();
  SIGNALS.iter().position(|s| *s == n).map(|i| i as u8 + 1)
}

/// `kill [-s SIG | -SIG] pid...`, `kill -l`: processes of this runtime.
pub fn kill(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut sig = 15u8;
  let mut i = 1;
  if args.get(1).is_some_and(|a| a == "-l") {
    let text = SIGNALS.join(" ") + "\n";
    out(sh, s, text.as_bytes())?;
    return Ok(0);
  }
  if let Some(a) = args.get(1) {
    if a == "-s" {
      match args.get(2).and_then(|n| signal_number(n)) {
        Some(n) => sig = n,
        None => {
          sh.error(s, "kill: invalid signal number or name");
          return Ok(2);
        }
      }
      i = 3;
    } else if let Some(n) = a.strip_prefix('-') {
      match signal_number(n) {
        Some(n) => sig = n,
        None => {
          sh.error(s, &format!("kill: invalid signal number or name: {n}"));
          return Ok(2);
        }
      }
      i = 2;
    }
  }
  if i >= args.len() {
    sh.error(
      s,
      "kill: usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]",
    );
    return Ok(2);
  }
  let mut status = 0;
  for p in &args[i..] {
    // Itself (`kill $$` in the shell's own process): the default action.
    if p.parse::<u32>().ok() == Some(s.process.pid) {
      if sig != 0 && !crate::kernel::process::ignored_by_default(sig) {
        s.control.raise(sig);
        return Err(Flow::Stopped);
      }
      continue;
    }
    let r = p
      .parse::<f64>()
      .ok()
      .map(|pid| crate::kernel::process::kill(s, pid, f64::from(sig)));
    match r {
      Some(Ok(0.0)) => {}
      _ => {
        sh.error(s, "kill: No such process");
        status = 1;
      }
    }
  }
  Ok(status)
}

/// Seconds since the epoch as (year, month, day, hour, minute, second), UTC.
pub fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
  let days = secs.div_euclid(86400);
  let rem = secs.rem_euclid(86400);
  // Howard Hinnant's days-to-civil.
  let z = days + 719_468;
  let era = z.div_euclid(146_097);
  let doe = z.rem_euclid(146_097);
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
  let y = yoe + era * 400;
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  let mp = (5 * doy + 2) / 153;
  let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
  let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
  let y = if m <= 2 { y + 1 } else { y };
  (
    y,
    m,
    d,
    (rem / 3600) as u32,
    ((rem % 3600) / 60) as u32,
    (rem % 60) as u32,
  )
}

/// `date [+FORMAT]` (UTC, the sandbox's zone; `-u` is the same).
pub fn date(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
  let mut secs = (s.process.clock.now_ms() / 1000.0).floor() as i64;
  let mut i = 1;
  while i < args.len() {
    let a = &args[i];
    if let Some(f) = a.strip_prefix('+') {
      fmt = f.to_string();
    } else if a == "-d" || a == "--date" {
      i += 1;
      match args
        .get(i)
        .and_then(|v| v.strip_prefix('@'))
        .and_then(|v| v.parse().ok())
      {
        Some(v) => secs = v,
        None => {
          err(
            sh,
            s,
            "date",
            &format!(
              "invalid date '{}'",
              args.get(i).cloned().unwrap_or_default()
            ),
          );
          return Ok(1);
        }
      }
    } else if a != "-u" && a != "--utc" {
      err(sh, s, "date", &format!("invalid date '{a}'"));
      return Ok(1);
    }
    i += 1;
  }
  let (y, mo, d, h, mi, se) = civil(secs);
  let wday = (secs.div_euclid(86400) + 4).rem_euclid(7) as usize;
  const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ];
  let mut o = String::new();
  let mut it = fmt.chars();
  while let Some(c) = it.next() {
    if c != '%' {
      o.push(c);
      continue;
    }
    match it.next() {
      Some('Y') => o.push_str(&y.to_string()),
      Some('m') => o.push_str(&format!("{mo:02}")),
      Some('d') => o.push_str(&format!("{d:02}")),
      Some('e') => o.push_str(&format!("{d:>2}")),
      Some('H') => o.push_str(&format!("{h:02}")),
      Some('M') => o.push_str(&format!("{mi:02}")),
      Some('S') => o.push_str(&format!("{se:02}")),
      Some('s') => o.push_str(&secs.to_string()),
      Some('a') => o.push_str(DAYS[wday]),
      Some('b') | Some('h') => o.push_str(MONTHS[(mo - 1) as usize]),
      Some('Z') => o.push_str("UTC"),
      Some('z') => o.push_str("+0000"),
      Some('F') => o.push_str(&format!("{y}-{mo:02}-{d:02}")),
      Some('T') => o.push_str(&format!("{h:02}:{mi:02}:{se:02}")),
      Some('y') => o.push_str(&format!("{:02}", y % 100)),
      Some('j') => {
        let (jan, ..) = (civil_days(y, 1, 1), ());
        o.push_str(&format!("{:03}", secs.div_euclid(86400) - jan + 1));
      }
      Some('n') => o.push('\n'),
      Some('t') => o.push('\t'),
      Some('%') => o.push('%'),
      Some(other) => {
        o.push('%');
        o.push(other);
      }
      None => o.push('%'),
    }
  }
  o.push('\n');
  out(sh, s, o.as_bytes())?;
  Ok(0)
}

/// Days since the epoch of a civil date.
fn civil_days(y: i64, m: i64, d: i64) -> i64 {
  let y = if m <= 2 { y - 1 } else { y };
  let era = y.div_euclid(400);
  let yoe = y.rem_euclid(400);
  let mp = (m + 9) % 12;
  let doy = (153 * mp + 2) / 5 + d - 1;
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  era * 146_097 + doe - 719_468
}

/// `xargs [-n N] [-I R] [command [args...]]` (echo by default).
pub fn xargs(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut i = 1;
  let mut per: Option<usize> = None;
  let mut replace: Option<String> = None;
  let mut delim_nul = false;
  while i < args.len() && args[i].starts_with('-') {
    match args[i].as_str() {
      "-n" => {
        i += 1;
        per = args.get(i).and_then(|v| v.parse().ok()).filter(|n| *n > 0);
      }
      "-I" => {
        i += 1;
        replace = args.get(i).cloned();
      }
      "-0" => delim_nul = true,
      "-r" | "--no-run-if-empty" => {}
      "--" => {
        i += 1;
        break;
      }
      a if a.starts_with("-n") => per = a[2..].parse().ok().filter(|n| *n > 0),
      a => {
        return usage(
          sh,
          s,
          "xargs",
          &format!("invalid option -- '{}'", a.trim_start_matches('-')),
          1,
        )
      }
    }
    i += 1;
  }
  let cmd: Vec<String> = if i < args.len() {
    args[i..].to_vec()
  } else {
    vec!["echo".into()]
  };
  let data = sh.fds[0]
    .clone()
    .read_all(s, crate::kernel::child::MAX_SPAWN_BYTES)
    .map_err(rflow)?;
  let text = String::from_utf8_lossy(&data);
  let items: Vec<String> = if delim_nul {
    text
      .split('\0')
      .filter(|x| !x.is_empty())
      .map(str::to_string)
      .collect()
  } else if replace.is_some() {
    text
      .lines()
      .filter(|l| !l.trim().is_empty())
      .map(|l| l.trim_start().to_string())
      .collect()
  } else {
    split_xargs(&text)
  };
  let saved = sh.fds[0].clone();
  sh.fds[0] = crate::kernel::shell::io::Io::Null;
  let mut status = 0;
  let mut run = |sh: &mut Shell, s: &mut OpState, argv: Vec<String>| -> Result<(), Flow> {
    let st = sh.run_argv(s, argv, Vec::new())?;
    if st == 127 || st == 126 {
      status = st;
    } else if st != 0 {
      status = 123;
    }
    Ok(())
  };
  let r = (|| -> Result<(), Flow> {
    if let Some(r) = &replace {
      for item in &items {
        let argv = cmd.iter().map(|a| a.replace(r.as_str(), item)).collect();
        run(sh, s, argv)?;
      }
    } else if items.is_empty() {
      if cmd[0] == "echo" {
        run(sh, s, cmd.clone())?;
      }
    } else {
      for chunk in items.chunks(per.unwrap_or(usize::MAX)) {
        let mut argv = cmd.clone();
        argv.extend_from_slice(chunk);
        run(sh, s, argv)?;
      }
    }
    Ok(())
  })();
  sh.fds[0] = saved;
  r?;
  Ok(status)
}

/// xargs' items: blanks and newlines separate, quotes and backslashes quote.
fn split_xargs(t: &str) -> Vec<String> {
  let mut out = Vec::new();
  let mut cur = String::new();
  let mut has = false;
  let mut it = t.chars();
  while let Some(c) = it.next() {
    match c {
      '\'' | '"' => {
        has = true;
        for q in it.by_ref() {
          if q == c {
            break;
          }
          cur.push(q);
        }
      }
      '\\' => {
        if let Some(n) = it.next() {
          cur.push(n);
          has = true;
        }
      }
      c if c.is_whitespace() => {
        if has {
          out.push(std::mem::take(&mut cur));
          has = false;
        }
      }
      c => {
        cur.push(c);
        has = true;
      }
    }
  }
  if has {
    out.push(cur);
  }
  out
}

pub fn basename(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "s", &[("multiple", 'a'), ("suffix", 's')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "basename", &m, 1),
  };
  if o.operands.is_empty() {
    return usage(sh, s, "basename", "missing operand", 1);
  }
  let (names, suffix): (Vec<String>, Option<String>) = if o.has('a') || o.value('s').is_some() {
    (o.operands.clone(), o.value('s').map(str::to_string))
  } else if o.operands.len() == 2 {
    (vec![o.operands[0].clone()], Some(o.operands[1].clone()))
  } else if o.operands.len() > 2 {
    return usage(
      sh,
      s,
      "basename",
      &format!("extra operand '{}'", o.operands[2]),
      1,
    );
  } else {
    (o.operands.clone(), None)
  };
  let mut text = String::new();
  for n in names {
    let t = n.trim_end_matches('/');
    let mut b = if t.is_empty() {
      if n.is_empty() {
        String::new()
      } else {
        "/".into()
      }
    } else {
      t.rsplit('/').next().unwrap_or(t).to_string()
    };
    if let Some(suf) = &suffix {
      if b.len() > suf.len() && b.ends_with(suf.as_str()) {
        b.truncate(b.len() - suf.len());
      }
    }
    text.push_str(&b);
    text.push('\n');
  }
  out(sh, s, text.as_bytes())?;
  Ok(0)
}

pub fn dirname(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  if args.len() < 2 {
    return usage(sh, s, "dirname", "missing operand", 1);
  }
  let mut text = String::new();
  for n in &args[1..] {
    let t = n.trim_end_matches('/');
    let d = if t.is_empty() {
      if n.starts_with('/') {
        "/".to_string()
      } else {
        ".".to_string()
      }
    } else {
      match t.rfind('/') {
        Some(i) => {
          let d = t[..i].trim_end_matches('/');
          if d.is_empty() {
            "/".into()
          } else {
            d.to_string()
          }
        }
        None => ".".into(),
      }
    };
    text.push_str(&d);
    text.push('\n');
  }
  out(sh, s, text.as_bytes())?;
  Ok(0)
}

pub fn seq(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut sep = "\n".to_string();
  let mut width = false;
  let mut nums = Vec::new();
  let mut i = 1;
  while i < args.len() {
    let a = &args[i];
    if a == "-s" {
      i += 1;
      sep = args.get(i).cloned().unwrap_or_default();
    } else if a == "-w" {
      width = true;
    } else if let Some(v) = a.strip_prefix("-s") {
      sep = v.to_string();
    } else {
      nums.push(a.clone());
    }
    i += 1;
  }
  let parsed: Option<Vec<f64>> = nums
    .iter()
    .map(|n| n.parse::<f64>().ok().filter(|v| v.is_finite()))
    .collect();
  let Some(v) = parsed else {
    let bad = nums
      .iter()
      .find(|n| n.parse::<f64>().is_err())
      .cloned()
      .unwrap_or_default();
    return usage(
      sh,
      s,
      "seq",
      &format!("invalid floating point argument: '{bad}'"),
      1,
    );
  };
  let (first, inc, last) = match v.as_slice() {
    [l] => (1.0, 1.0, *l),
    [f, l] => (*f, 1.0, *l),
    [f, i, l] => (*f, *i, *l),
    [] => return usage(sh, s, "seq", "missing operand", 1),
    _ => return usage(sh, s, "seq", &format!("extra operand '{}'", nums[3]), 1),
  };
  if inc == 0.0 {
    return usage(sh, s, "seq", "invalid Zero increment value: '0'", 1);
  }
  let decimals = nums
    .iter()
    .map(|n| n.split_once('.').map_or(0, |(_, d)| d.len()))
    .max()
    .unwrap_or(0);
  let w = if width {
    [first, last]
      .iter()
      .map(|x| format!("{x:.decimals$}").len())
      .max()
      .unwrap_or(0)
  } else {
    0
  };
  let mut o = Out::new(sh.fds[1].clone());
  let mut k = 0u64;
  let mut firstline = true;
  loop {
    let x = first + inc * k as f64;
    if (inc > 0.0 && x > last + 1e-9) || (inc < 0.0 && x < last - 1e-9) {
      break;
    }
    if !firstline {
      o.put(s, sep.as_bytes()).map_err(wflow)?;
    }
    firstline = false;
    let t = if width {
      let t = format!("{x:.decimals$}");
      if x < 0.0 {
        format!("-{:0>w$}", &t[1..], w = w - 1)
      } else {
        format!("{t:0>w$}")
      }
    } else {
      format!("{x:.decimals$}")
    };
    o.put(s, t.as_bytes()).map_err(wflow)?;
    k += 1;
    if k.is_multiple_of(4096) && s.control.stopped() {
      return Err(Flow::Stopped);
    }
  }
  if !firstline {
    o.put(s, b"\n").map_err(wflow)?;
  }
  o.flush(s).map_err(wflow)?;
  Ok(0)
}

pub fn yes(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let line = if args.len() > 1 {
    args[1..].join(" ")
  } else {
    "y".into()
  };
  let mut chunk = Vec::new();
  while chunk.len() < 8192 {
    chunk.extend_from_slice(line.as_bytes());
    chunk.push(b'\n');
  }
  let io = sh.fds[1].clone();
  loop {
    io.write(s, &chunk).map_err(wflow)?;
    if s.control.stopped() {
      return Err(Flow::Stopped);
    }
  }
}

/// `expr`: integer arithmetic, comparisons, `|` and `&`, `:` (a basic
/// regular expression anchored at the start), length, substr, index.
pub fn expr(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut e = Expr {
    a: &args[1..],
    i: 0,
    depth: 0,
  };
  let v = match e.or() {
    Ok(v) if e.i == e.a.len() => v,
    Ok(_) => {
      err(
        sh,
        s,
        "expr",
        &format!("syntax error: unexpected argument '{}'", e.a[e.i]),
      );
      return Ok(2);
    }
    Err(m) => {
      err(sh, s, "expr", &m);
      return Ok(2);
    }
  };
  out(sh, s, format!("{v}\n").as_bytes())?;
  Ok(i32::from(v.is_empty() || v == "0"))
}

struct Expr<'a> {
  a: &'a [String],
  i: usize,
  depth: usize,
}

fn as_int(v: &str) -> Result<i64, String> {
  v.trim()
    .parse()
    .map_err(|_| "non-integer argument".to_string())
}

impl Expr<'_> {
  fn peek(&self) -> Option<&str> {
    self.a.get(self.i).map(|x| x.as_str())
  }

  fn or(&mut self) -> Result<String, String> {
    let mut l = self.and()?;
    while self.peek() == Some("|") {
      self.i += 1;
      let r = self.and()?;
      if l.is_empty() || l == "0" {
        l = if r.is_empty() { "0".into() } else { r };
      }
    }
    Ok(l)
  }

  fn and(&mut self) -> Result<String, String> {
    let mut l = self.cmp()?;
    while self.peek() == Some("&") {
      self.i += 1;
      let r = self.cmp()?;
      if l.is_empty() || l == "0" || r.is_empty() || r == "0" {
        l = "0".into();
      }
    }
    Ok(l)
  }

  fn cmp(&mut self) -> Result<String, String> {
    let mut l = self.sum()?;
    while let Some(op) = self
      .peek()
      .filter(|o| ["=", "!=", "<", "<=", ">", ">="].contains(o))
      .map(str::to_string)
    {
      self.i += 1;
      let r = self.sum()?;
      let ord = match (l.trim().parse::<i64>(), r.trim().parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => l.cmp(&r),
      };
      let t = match op.as_str() {
        "=" => ord.is_eq(),
        "!=" => !ord.is_eq(),
        "<" => ord.is_lt(),
        "<=" => ord.is_le(),
        ">" => ord.is_gt(),
        _ => ord.is_ge(),
      };
      l = if t { "1".into() } else { "0".into() };
    }
    Ok(l)
  }

  fn sum(&mut self) -> Result<String, String> {
    let mut l = self.product()?;
    while let Some(op) = self
      .peek()
      .filter(|o| *o == "+" || *o == "-")
      .map(str::to_string)
    {
      self.i += 1;
      let r = as_int(&self.product()?)?;
      let a = as_int(&l)?;
      l = if op == "+" {
        a.checked_add(r)
      } else {
        a.checked_sub(r)
      }
      .ok_or("integer overflow")?
      .to_string();
    }
    Ok(l)
  }

  fn product(&mut self) -> Result<String, String> {
    let mut l = self.matching()?;
    while let Some(op) = self
      .peek()
      .filter(|o| ["*", "/", "%"].contains(o))
      .map(str::to_string)
    {
      self.i += 1;
      let r = as_int(&self.matching()?)?;
      let a = as_int(&l)?;
      let v = match op.as_str() {
        "*" => a.checked_mul(r).ok_or("integer overflow")?,
        _ if r == 0 => return Err("division by zero".into()),
        "/" => a.checked_div(r).ok_or("integer overflow")?,
        _ => a.checked_rem(r).ok_or("integer overflow")?,
      };
      l = v.to_string();
    }
    Ok(l)
  }

  fn matching(&mut self) -> Result<String, String> {
    let l = self.atom()?;
    if self.peek() == Some(":") {
      self.i += 1;
      let p = self.atom()?;
      return re_match(&l, &p);
    }
    Ok(l)
  }

  fn atom(&mut self) -> Result<String, String> {
    self.depth += 1;
    if self.depth > 200 {
      return Err("expression nested too deeply".into());
    }
    let Some(t) = self.peek().map(str::to_string) else {
      return Err("syntax error: missing argument".into());
    };
    self.i += 1;
    let v = match t.as_str() {
      "(" => {
        let v = self.or()?;
        if self.peek() != Some(")") {
          return Err("syntax error: expecting ')'".into());
        }
        self.i += 1;
        v
      }
      "length" => self.atom()?.chars().count().to_string(),
      "substr" => {
        let st = self.atom()?;
        let pos = as_int(&self.atom()?)?;
        let len = as_int(&self.atom()?)?;
        if pos < 1 || len < 1 {
          String::new()
        } else {
          st.chars()
            .skip(pos as usize - 1)
            .take(len as usize)
            .collect()
        }
      }
      "index" => {
        let st = self.atom()?;
        let chars = self.atom()?;
        st.chars()
          .position(|c| chars.contains(c))
          .map_or(0, |p| p + 1)
          .to_string()
      }
      "match" => {
        let st = self.atom()?;
        let p = self.atom()?;
        re_match(&st, &p)?
      }
      _ => t,
    };
    self.depth -= 1;
    Ok(v)
  }
}

/// `s : re`: the first group's text, or the length of the match (0).
fn re_match(s: &str, p: &str) -> Result<String, String> {
  let re = super::text::compile(&format!("^{p}"), false, false, false, false, false)?;
  let caps = re.captures(s.as_bytes());
  Ok(match caps {
    Some(c) if c.len() > 1 => c
      .get(1)
      .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
      .unwrap_or_default(),
    Some(c) => c.get(0).map_or(0, |m| m.end()).to_string(),
    None => {
      if re.captures_len() > 1 {
        String::new()
      } else {
        "0".into()
      }
    }
  })
}

/// `mktemp [-d] [-p dir] [template]`: a new file (or directory) of mode
/// 0600 (0700) under /tmp by default.
pub fn mktemp(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "p",
    &[("directory", 'd'), ("tmpdir", 'p'), ("quiet", 'q')],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "mktemp", &m, 1),
  };
  let template = o
    .operands
    .first()
    .cloned()
    .unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
  let xs = template.len() - template.trim_end_matches('X').len();
  if xs < 3 {
    err(
      sh,
      s,
      "mktemp",
      &format!("too few X's in template '{template}'"),
    );
    return Ok(1);
  }
  let dir = o.value('p').map(str::to_string).or_else(|| {
    (o.operands.is_empty() || o.has('t')).then(|| {
      sh.vars
        .get("TMPDIR")
        .cloned()
        .unwrap_or_else(|| "/tmp".into())
    })
  });
  let base = &template[..template.len() - xs];
  let prefix = match dir {
    Some(d) => format!("{}/{base}", d.trim_end_matches('/')),
    None => base.to_string(),
  };
  const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for _ in 0..100 {
    let mut rnd = vec![0u8; xs];
    let _ = getrandom::fill(&mut rnd);
    let path: String = prefix.clone()
      + &rnd
        .iter()
        .map(|b| CHARS[*b as usize % CHARS.len()] as char)
        .collect::<String>();
    let r = if o.has('d') {
      crate::kernel::fs::mkdir(s, &path, false, 0o700).map(|_| ())
    } else {
      // O_WRONLY|O_CREAT|O_EXCL.
      let abs = crate::kernel::shell::exec::absolute(&s.process.cwd, &path);
      crate::kernel::fs::write_file(
        s,
        &abs,
        crate::kernel::op::StrOrBytes::from_bytes(b""),
        1 | 0o100 | 0o200,
        0o600,
      )
    };
    match r {
      Ok(()) => {
        out(sh, s, format!("{path}\n").as_bytes())?;
        return Ok(0);
      }
      Err(e)
        if crate::kernel::shell::io::errno_of(e.clone()) == crate::kernel::error::Errno::EEXIST =>
      {
        continue
      }
      Err(e) => {
        let what = if o.has('d') { "directory" } else { "file" };
        let e = crate::kernel::shell::io::errno_of(e);
        err(
          sh,
          s,
          "mktemp",
          &format!(
            "failed to create {what} via template '{prefix}{}': {}",
            "X".repeat(xs),
            super::gnu(e)
          ),
        );
        return Ok(1);
      }
    }
  }
  Ok(1)
}

/// `realpath` and `readlink [-f]`.
pub fn realpath(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "", &[("canonicalize", 'f')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, &args[0], &m, 1),
  };
  if o.operands.is_empty() {
    return usage(sh, s, &args[0], "missing operand", 1);
  }
  let resolve = args[0] == "realpath" || o.has('f') || o.has('e') || o.has('m');
  let mut status = 0;
  let mut text = String::new();
  for p in &o.operands {
    let r = if resolve {
      crate::kernel::fs::realpath(s, p)
    } else {
      crate::kernel::fs::readlink(s, p)
    };
    match r {
      Ok(crate::kernel::op::OpValue::Str(t)) => {
        text.push_str(&t);
        text.push('\n');
      }
      Ok(_) => status = 1,
      Err(e) => {
        if args[0] == "realpath" {
          err(
            sh,
            s,
            "realpath",
            &format!("{p}: {}", super::gnu(crate::kernel::shell::io::errno_of(e))),
          );
        }
        status = 1;
      }
    }
  }
  out(sh, s, text.as_bytes())?;
  Ok(status)
}

/// `printenv [name...]`.
pub fn printenv(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let env = sh.child_env(&[]);
  let mut text = String::new();
  let mut status = 0;
  if args.len() == 1 {
    for (k, v) in &env {
      text.push_str(&format!("{k}={v}\n"));
    }
  }
  for name in &args[1..] {
    match env.iter().find(|(k, _)| k == name) {
      Some((_, v)) => {
        text.push_str(v);
        text.push('\n');
      }
      None => status = 1,
    }
  }
  out(sh, s, text.as_bytes())?;
  Ok(status)
}

/// `uname [-s|-n|-r|-m|-a]`: the sandbox's Linux.
pub fn uname(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let host = crate::kernel::shell::io::read_file(s, "/etc/hostname")
    .map(|b| String::from_utf8_lossy(&b).trim().to_string())
    .unwrap_or_else(|_| "sandbox".into());
  let fields = [
    ("s", "Linux".to_string()),
    ("n", host),
    ("r", "6.0.0".to_string()),
    ("m", std::env::consts::ARCH.to_string()),
  ];
  let want: Vec<&str> = if args.iter().any(|a| a == "-a") {
    vec!["s", "n", "r", "m"]
  } else {
    let w: Vec<&str> = args[1..]
      .iter()
      .flat_map(|a| {
        a.trim_start_matches('-')
          .split("")
          .filter(|x| !x.is_empty())
      })
      .collect();
    if w.is_empty() {
      vec!["s"]
    } else {
      w
    }
  };
  let parts: Vec<&str> = fields
    .iter()
    .filter(|(k, _)| want.contains(k))
    .map(|(_, v)| v.as_str())
    .collect();
  out(sh, s, format!("{}\n", parts.join(" ")).as_bytes())?;
  Ok(0)
}
