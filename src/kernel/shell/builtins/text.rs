//! Text tools as GNU coreutils (and GNU grep and sed) behave for their
//! common options, in the C locale: cat head tail wc grep sort uniq cut
//! tr tee sed. Input streams in chunks (a pipe's backpressure holds);
//! those that need all of it (sort, tail) hold at most MAX_INPUT_BYTES.
use super::{err, gnu, input, opts, out, rflow, usage, wflow};
use crate::kernel::shell::io::{Io, Lines, Out, CHUNK};
use crate::kernel::shell::{Flow, Shell, Status, MAX_INPUT_BYTES};
use crate::kernel::syscall::OpState;

/// What a tool that needs all of its input may hold: the shell's bound,
/// and never more than the call's memory limit.
fn input_bound(s: &OpState) -> usize {
  MAX_INPUT_BYTES.min(usize::try_from(s.process.memory_limit).unwrap_or(usize::MAX))
}

/// Keys one `sort` may compare by.
const MAX_SORT_KEYS: usize = 64;
/// Patterns one `grep` compiles, and their bytes together.
const MAX_PATTERNS: usize = 1024;
const MAX_PATTERN_BYTES: usize = 1024 * 1024;

fn files(operands: &[String]) -> Vec<String> {
  if operands.is_empty() {
    vec!["-".into()]
  } else {
    operands.to_vec()
  }
}

pub fn cat(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "", &[("number", 'n')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "cat", &m, 1),
  };
  let number = o.has('n');
  let mut status = 0;
  let mut n = 0u64;
  let mut w = Out::new(sh.fds[1].clone());
  for f in files(&o.operands) {
    let Some(io) = input(sh, s, "cat", &f) else {
      status = 1;
      continue;
    };
    if number {
      let mut lines = Lines::new(io);
      while let Some(l) = lines.next(s).map_err(rflow)? {
        n += 1;
        w.put(s, format!("{n:>6}\t").as_bytes()).map_err(wflow)?;
        w.put(s, &l).map_err(wflow)?;
      }
    } else {
      while let Some(d) = io.read(s, CHUNK).map_err(rflow)? {
        w.flush(s).map_err(wflow)?;
        w.io.write(s, &d).map_err(wflow)?;
      }
    }
  }
  w.flush(s).map_err(wflow)?;
  Ok(status)
}

/// A count option (`-n 5`, `-5`, `-n +5`, `-n -5`): (value, from start?,
/// all but the last?).
fn count(v: &str) -> Option<(u64, bool, bool)> {
  let (plus, minus, t) = match v.as_bytes().first() {
    Some(b'+') => (true, false, &v[1..]),
    Some(b'-') => (false, true, &v[1..]),
    _ => (false, false, v),
  };
  let t = t.trim();
  let (num, mult) = match t.chars().last() {
    Some('k') | Some('K') => (&t[..t.len() - 1], 1024),
    Some('M') => (&t[..t.len() - 1], 1024 * 1024),
    _ => (t, 1),
  };
  let n: u64 = num.parse().ok()?;
  Some((n * mult, plus, minus))
}

fn header(w: &mut Out, s: &mut OpState, name: &str, first: bool) -> Result<(), Flow> {
  let name = if name == "-" { "standard input" } else { name };
  let text = if first {
    format!("==> {name} <==\n")
  } else {
    format!("\n==> {name} <==\n")
  };
  w.put(s, text.as_bytes()).map_err(wflow)
}

/// What `head` and `tail` were asked: a count (`-n`, `-c`, `-N`; from the
/// start with `+N`, all but the last with `-N`), in bytes or lines, of
/// which files, with a header each or not.
struct Counted {
  n: u64,
  from_start: bool,
  all_but: bool,
  bytes: bool,
  files: Vec<String>,
  headers: bool,
}

fn counted(
  sh: &mut Shell,
  s: &mut OpState,
  name: &str,
  args: &[String],
) -> Result<Counted, Status> {
  let o = match opts(
    &args[1..],
    "nc",
    &[
      ("lines", 'n'),
      ("bytes", 'c'),
      ("quiet", 'q'),
      ("verbose", 'v'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return Err(usage(sh, s, name, &m, 1)),
  };
  let bytes = o.value('c');
  let spec = bytes.or(o.value('n')).or(o.value('#')).unwrap_or("10");
  let Some((n, from_start, all_but)) = count(spec) else {
    let what = if bytes.is_some() { "bytes" } else { "lines" };
    err(sh, s, name, &format!("invalid number of {what}: '{spec}'"));
    return Err(Ok(1));
  };
  let files = files(&o.operands);
  let headers = (files.len() > 1 || o.has('v')) && !o.has('q');
  Ok(Counted {
    n,
    from_start,
    all_but,
    bytes: bytes.is_some(),
    files,
    headers,
  })
}

pub fn head(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let c = match counted(sh, s, "head", args) {
    Ok(c) => c,
    Err(status) => return status,
  };
  let (n, all_but, bytes, fs, headers) = (c.n, c.all_but, c.bytes, c.files, c.headers);
  let mut w = Out::new(sh.fds[1].clone());
  let mut status = 0;
  for (i, f) in fs.iter().enumerate() {
    let Some(io) = input(sh, s, "head", f) else {
      status = 1;
      continue;
    };
    if headers {
      header(&mut w, s, f, i == 0)?;
    }
    if all_but {
      let data = io.read_all(s, input_bound(s)).map_err(rflow)?;
      let keep = if bytes {
        data.len().saturating_sub(n as usize)
      } else {
        let lines = split_lines(&data);
        lines[..lines.len().saturating_sub(n as usize)]
          .iter()
          .map(|l| l.len())
          .sum()
      };
      w.put(s, &data[..keep]).map_err(wflow)?;
      continue;
    }
    let mut left = n;
    if bytes {
      while left > 0 {
        let Some(d) = io.read(s, (left as usize).min(CHUNK)).map_err(rflow)? else {
          break;
        };
        let take = (left as usize).min(d.len());
        w.put(s, &d[..take]).map_err(wflow)?;
        left -= take as u64;
      }
    } else {
      let mut lines = Lines::new(io);
      while left > 0 {
        let Some(l) = lines.next(s).map_err(rflow)? else {
          break;
        };
        w.put(s, &l).map_err(wflow)?;
        left -= 1;
      }
    }
  }
  w.flush(s).map_err(wflow)?;
  Ok(status)
}

fn split_lines(data: &[u8]) -> Vec<&[u8]> {
  data.split_inclusive(|&b| b == b'\n').collect()
}

pub fn tail(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let c = match counted(sh, s, "tail", args) {
    Ok(c) => c,
    Err(status) => return status,
  };
  let (n, from_start, bytes, fs, headers) = (c.n, c.from_start, c.bytes, c.files, c.headers);
  let mut w = Out::new(sh.fds[1].clone());
  let mut status = 0;
  for (i, f) in fs.iter().enumerate() {
    let Some(io) = input(sh, s, "tail", f) else {
      status = 1;
      continue;
    };
    if headers {
      header(&mut w, s, f, i == 0)?;
    }
    let data = io.read_all(s, input_bound(s)).map_err(rflow)?;
    let from = if bytes {
      if from_start {
        (n.saturating_sub(1) as usize).min(data.len())
      } else {
        data.len().saturating_sub(n as usize)
      }
    } else {
      let lines = split_lines(&data);
      let skip = if from_start {
        (n.saturating_sub(1) as usize).min(lines.len())
      } else {
        lines.len().saturating_sub(n as usize)
      };
      lines[..skip].iter().map(|l| l.len()).sum()
    };
    w.put(s, &data[from..]).map_err(wflow)?;
  }
  w.flush(s).map_err(wflow)?;
  Ok(status)
}

pub fn wc(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "",
    &[
      ("lines", 'l'),
      ("words", 'w'),
      ("bytes", 'c'),
      ("chars", 'm'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "wc", &m, 1),
  };
  let (mut l, mut wd, mut c, m) = (o.has('l'), o.has('w'), o.has('c'), o.has('m'));
  if !l && !wd && !c && !m {
    (l, wd, c) = (true, true, true);
  }
  let fs = files(&o.operands);
  let mut rows: Vec<([u64; 4], Option<String>)> = Vec::new();
  let mut total = [0u64; 4];
  let mut status = 0;
  let mut only_regular = true;
  for f in &fs {
    let Some(io) = input(sh, s, "wc", f) else {
      status = 1;
      continue;
    };
    if f == "-" {
      only_regular = false;
    }
    let mut counts = [0u64; 4];
    let mut in_word = false;
    while let Some(d) = io.read(s, CHUNK).map_err(rflow)? {
      counts[2] += d.len() as u64;
      for &b in &d {
        if b == b'\n' {
          counts[0] += 1;
        }
        if (b & 0xc0) != 0x80 {
          counts[3] += 1;
        }
        let space = b.is_ascii_whitespace() || b == 0x0b;
        if space {
          in_word = false;
        } else if !in_word {
          in_word = true;
          counts[1] += 1;
        }
      }
    }
    for i in 0..4 {
      total[i] += counts[i];
    }
    rows.push((
      counts,
      (f != "-" || !o.operands.is_empty()).then(|| f.clone()),
    ));
  }
  if fs.len() > 1 {
    rows.push((total, Some("total".into())));
  }
  let shown = [l, wd, c && !m, m];
  let columns = shown.iter().filter(|x| **x).count();
  // GNU: one number alone is not padded; stdin pads to 7; files to the
  // digits of their total size.
  let width = if columns == 1 && rows.len() == 1 {
    1
  } else if !only_regular {
    7
  } else {
    total[2].to_string().len().max(1)
  };
  let mut text = String::new();
  for (counts, name) in rows {
    let mut parts = Vec::new();
    let order = [0usize, 1, 3, 2];
    for &i in &order {
      let show = match i {
        0 => shown[0],
        1 => shown[1],
        3 => shown[3],
        _ => c,
      };
      if show {
        parts.push(format!("{:>width$}", counts[i]));
      }
    }
    text.push_str(&parts.join(" "));
    if let Some(n) = name {
      text.push(' ');
      text.push_str(&n);
    }
    text.push('\n');
  }
  out(sh, s, text.as_bytes())?;
  Ok(status)
}

/// A GNU basic regular expression in the `regex` crate's syntax.
fn bre_to_ere(p: &str) -> String {
  let c: Vec<char> = p.chars().collect();
  let mut o = String::new();
  let mut i = 0;
  let mut in_class = false;
  while i < c.len() {
    let ch = c[i];
    if in_class {
      if ch == ']' && !o.ends_with('[') && !o.ends_with("[^") {
        in_class = false;
      }
      if ch == '\\' || (ch == '[' && c.get(i + 1) != Some(&':')) {
        o.push('\\');
      }
      o.push(ch);
      i += 1;
      continue;
    }
    match ch {
      '\\' => {
        match c.get(i + 1) {
          Some(&n @ ('(' | ')' | '{' | '}' | '|' | '+' | '?')) => o.push(n),
          Some(&n) => {
            o.push('\\');
            o.push(n);
          }
          None => o.push_str("\\\\"),
        }
        i += 2;
        continue;
      }
      '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
        o.push('\\');
        o.push(ch);
      }
      '*' if o.is_empty() || o.ends_with('(') || o.ends_with('^') && o.len() == 1 => {
        o.push_str("\\*")
      }
      '[' => {
        in_class = true;
        o.push('[');
        if c.get(i + 1) == Some(&'^') {
          o.push('^');
          i += 1;
        }
        if c.get(i + 1) == Some(&']') {
          o.push_str("\\]");
          i += 1;
        }
      }
      _ => o.push(ch),
    }
    i += 1;
  }
  o
}

/// An ERE with POSIX brackets the regex crate reads too.
fn ere(p: &str) -> String {
  let c: Vec<char> = p.chars().collect();
  let mut o = String::new();
  let mut in_class = false;
  let mut i = 0;
  while i < c.len() {
    let ch = c[i];
    if in_class {
      if ch == ']' && !o.ends_with('[') && !o.ends_with("[^") {
        in_class = false;
      } else if ch == '[' && c.get(i + 1) != Some(&':') || ch == '\\' {
        o.push('\\');
      }
      o.push(ch);
    } else if ch == '\\' {
      o.push(ch);
      if let Some(n) = c.get(i + 1) {
        o.push(*n);
      }
      i += 1;
    } else if ch == '[' {
      in_class = true;
      o.push('[');
      if c.get(i + 1) == Some(&'^') {
        o.push('^');
        i += 1;
      }
      if c.get(i + 1) == Some(&']') {
        o.push_str("\\]");
        i += 1;
      }
    } else if ch == '{' && !c.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
      o.push_str("\\{");
    } else {
      o.push(ch);
    }
    i += 1;
  }
  o
}

/// Bytes one compiled regex may take (its program, its lazy DFA).
const MAX_REGEX_BYTES: usize = 10 * 1024 * 1024;
/// What all of one grep's compiled patterns may take together.
const MAX_REGEXES_BYTES: usize = 32 * 1024 * 1024;

/// A regex of grep/sed: basic, extended (`-E`) or fixed (`-F`).
pub(super) fn compile(
  p: &str,
  extended: bool,
  fixed: bool,
  icase: bool,
  word: bool,
  line: bool,
) -> Result<regex::bytes::Regex, String> {
  compile_within(p, (extended, fixed), icase, word, line, MAX_REGEX_BYTES)
}

/// The same, its compiled size bounded by `limit`.
fn compile_within(
  p: &str,
  (extended, fixed): (bool, bool),
  icase: bool,
  word: bool,
  line: bool,
  limit: usize,
) -> Result<regex::bytes::Regex, String> {
  let mut src = if fixed {
    regex::escape(p)
  } else if extended {
    ere(p)
  } else {
    bre_to_ere(p)
  };
  if word {
    src = format!(r"\b(?:{src})\b");
  }
  if line {
    src = format!("^(?:{src})$");
  }
  regex::bytes::RegexBuilder::new(&src)
    .case_insensitive(icase)
    .multi_line(false)
    .unicode(false)
    .size_limit(limit)
    .dfa_size_limit(limit)
    .build()
    .map_err(|_| "Invalid regular expression".to_string())
}

pub fn grep(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "efmABC",
    &[
      ("ignore-case", 'i'),
      ("after-context", 'A'),
      ("before-context", 'B'),
      ("context", 'C'),
      ("invert-match", 'v'),
      ("count", 'c'),
      ("line-number", 'n'),
      ("files-with-matches", 'l'),
      ("extended-regexp", 'E'),
      ("fixed-strings", 'F'),
      ("only-matching", 'o'),
      ("quiet", 'q'),
      ("silent", 'q'),
      ("word-regexp", 'w'),
      ("line-regexp", 'x'),
      ("no-filename", 'h'),
      ("with-filename", 'H'),
      ("regexp", 'e'),
      ("max-count", 'm'),
      ("recursive", 'r'),
      ("no-messages", 's'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "grep", &m, 2),
  };
  let mut operands = o.operands.clone();
  let mut patterns: Vec<String> = o.all('e').iter().map(|x| x.to_string()).collect();
  if patterns.is_empty() {
    if operands.is_empty() {
      let msg =
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";
      let _ = sh.fds[2].clone().write(s, msg.as_bytes());
      return Ok(2);
    }
    patterns = operands.remove(0).split('\n').map(str::to_string).collect();
  }
  // Every pattern is compiled and kept: their number and size together
  // are bounded, not only each one's.
  if patterns.len() > MAX_PATTERNS
    || patterns.iter().map(String::len).sum::<usize>() > MAX_PATTERN_BYTES
  {
    return usage(sh, s, "grep", "too many patterns", 2);
  }
  let extended = o.has('E') || args[0] == "egrep";
  let fixed = o.has('F') || args[0] == "fgrep";
  let mut res = Vec::new();
  for p in &patterns {
    let limit = (MAX_REGEXES_BYTES / patterns.len().max(1)).min(MAX_REGEX_BYTES);
    match compile_within(
      p,
      (extended, fixed),
      o.has('i'),
      o.has('w'),
      o.has('x'),
      limit,
    ) {
      Ok(r) => res.push(r),
      Err(m) => {
        err(sh, s, "grep", &m);
        return Ok(2);
      }
    }
  }
  let max: Option<u64> = o.value('m').and_then(|v| v.parse().ok());
  let fs = if operands.is_empty() {
    vec!["-".to_string()]
  } else {
    operands.clone()
  };
  let fs = if o.has('r') {
    expand_recursive(s, &fs)
  } else {
    fs
  };
  let names = (fs.len() > 1 || o.has('r') || o.has('H')) && !o.has('h');
  let num = |c: char| o.value(c).and_then(|v| v.parse::<u64>().ok());
  let ctx_after = num('A').or(num('C')).unwrap_or(0);
  let ctx_before = num('B').or(num('C')).unwrap_or(0);
  let context = ctx_after > 0 || ctx_before > 0;
  for c in ['A', 'B', 'C'] {
    if let Some(v) = o.value(c) {
      if v.parse::<u64>().is_err() {
        err(
          sh,
          s,
          "grep",
          &format!("{v}: invalid context length argument"),
        );
        return Ok(2);
      }
    }
  }
  // The last line printed, across files (GNU marks a gap between files too).
  let mut last_printed = 0u64;
  let mut any = false;
  let mut status_err = false;
  let mut w = Out::new(sh.fds[1].clone());
  for f in &fs {
    let io = if f == "-" {
      sh.fds[0].clone()
    } else {
      match super::super::io::read_file(s, f) {
        Ok(b) => Io::data(b),
        Err(e) => {
          if !o.has('s') {
            err(sh, s, "grep", &format!("{f}: {}", gnu(e)));
          }
          status_err = true;
          continue;
        }
      }
    };
    let label = if f == "-" {
      "(standard input)"
    } else {
      f.as_str()
    };
    let mut lines = Lines::new(io);
    let mut n = 0u64;
    let mut hits = 0u64;
    // Context (-A/-B/-C): lines kept before a match, lines owed after one,
    // and the last line printed (a gap is marked with `--`).
    let mut before: std::collections::VecDeque<(u64, Vec<u8>)> = Default::default();
    let mut owed = 0u64;
    let context_line = |w: &mut Out,
                        s: &mut OpState,
                        num: u64,
                        text: &[u8],
                        sep: u8,
                        last: &mut u64|
     -> Result<(), Flow> {
      if *last > 0 && num > *last + 1 {
        w.put(s, b"--\n").map_err(wflow)?;
      }
      *last = num;
      let mut prefix = Vec::new();
      if names {
        prefix.extend_from_slice(label.as_bytes());
        prefix.push(sep);
      }
      if o.has('n') {
        prefix.extend_from_slice(num.to_string().as_bytes());
        prefix.push(sep);
      }
      w.put(s, &prefix).map_err(wflow)?;
      w.put(s, text).map_err(wflow)?;
      w.put(s, b"\n").map_err(wflow)
    };
    while let Some(l) = lines.next(s).map_err(rflow)? {
      n += 1;
      let body = l.strip_suffix(b"\n").unwrap_or(&l);
      let matched = res.iter().any(|r| r.is_match(body)) != o.has('v');
      if !matched {
        if context && !o.has('c') && !o.has('l') {
          if owed > 0 {
            owed -= 1;
            context_line(&mut w, s, n, body, b'-', &mut last_printed)?;
          } else if ctx_before > 0 {
            if before.len() as u64 >= ctx_before {
              before.pop_front();
            }
            before.push_back((n, body.to_vec()));
          }
        }
        continue;
      }
      if context && !o.has('c') && !o.has('l') && !o.has('q') {
        for (num, text) in std::mem::take(&mut before) {
          context_line(&mut w, s, num, &text, b'-', &mut last_printed)?;
        }
        owed = ctx_after;
        if last_printed > 0 && n > last_printed + 1 {
          w.put(s, b"--\n").map_err(wflow)?;
        }
        last_printed = n;
      }
      hits += 1;
      any = true;
      if o.has('q') {
        w.flush(s).map_err(wflow)?;
        return Ok(0);
      }
      if o.has('l') || o.has('c') {
        if max.is_some_and(|m| hits >= m) {
          break;
        }
        if o.has('l') {
          break;
        }
        continue;
      }
      let mut prefix = String::new();
      if names {
        prefix.push_str(label);
        prefix.push(':');
      }
      if o.has('n') {
        prefix.push_str(&n.to_string());
        prefix.push(':');
      }
      if o.has('o') && !o.has('v') {
        for r in &res {
          for m in r.find_iter(body) {
            if m.as_bytes().is_empty() {
              continue;
            }
            w.put(s, prefix.as_bytes()).map_err(wflow)?;
            w.put(s, m.as_bytes()).map_err(wflow)?;
            w.put(s, b"\n").map_err(wflow)?;
          }
        }
      } else {
        w.put(s, prefix.as_bytes()).map_err(wflow)?;
        w.put(s, body).map_err(wflow)?;
        w.put(s, b"\n").map_err(wflow)?;
      }
      if max.is_some_and(|m| hits >= m) {
        break;
      }
    }
    if o.has('c') {
      let line = if names {
        format!("{label}:{hits}\n")
      } else {
        format!("{hits}\n")
      };
      w.put(s, line.as_bytes()).map_err(wflow)?;
    } else if o.has('l') && hits > 0 {
      w.put(s, format!("{label}\n").as_bytes()).map_err(wflow)?;
    }
  }
  w.flush(s).map_err(wflow)?;
  Ok(if status_err && !(o.has('q') && any) {
    2
  } else if any {
    0
  } else {
    1
  })
}

/// Files under the directories of `fs` (grep -r), in order.
fn expand_recursive(s: &mut OpState, fs: &[String]) -> Vec<String> {
  let mut out = Vec::new();
  for f in fs {
    super::fs::walk(s, f, 0, &mut |_, p, dir| {
      if !dir {
        out.push(p.to_string());
      }
    });
  }
  out
}

/// A sort key's text of `line` (`-k N[,M]`, fields split by `sep` or blanks).
fn key(line: &[u8], k: Option<(usize, Option<usize>)>, sep: Option<u8>) -> &[u8] {
  let Some((from, to)) = k else { return line };
  let mut starts = Vec::new();
  let mut ends = Vec::new();
  match sep {
    Some(c) => {
      let mut st = 0;
      for (i, &b) in line.iter().enumerate() {
        if b == c {
          starts.push(st);
          ends.push(i);
          st = i + 1;
        }
      }
      starts.push(st);
      ends.push(line.len());
    }
    None => {
      // Blank-separated: a field keeps its leading blanks.
      let mut i = 0;
      while i < line.len() {
        let st = i;
        while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
          i += 1;
        }
        while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
          i += 1;
        }
        starts.push(st);
        ends.push(i);
      }
    }
  }
  let Some(&a) = starts.get(from.saturating_sub(1)) else {
    return &[];
  };
  let b = match to {
    Some(t) => ends.get(t.saturating_sub(1)).copied().unwrap_or(line.len()),
    None => line.len(),
  };
  if b < a {
    return &[];
  }
  &line[a..b]
}

/// The number at the start of `t` (sort -n): blanks, a sign, digits.
fn leading_num(t: &[u8]) -> f64 {
  let t = String::from_utf8_lossy(t);
  let t = t.trim_start();
  let end = t
    .char_indices()
    .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
    .map(|(i, c)| i + c.len_utf8())
    .last()
    .unwrap_or(0);
  t[..end].parse().unwrap_or(0.0)
}

pub fn sort(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "kto",
    &[
      ("reverse", 'r'),
      ("numeric-sort", 'n'),
      ("unique", 'u'),
      ("key", 'k'),
      ("field-separator", 't'),
      ("ignore-case", 'f'),
      ("output", 'o'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "sort", &m, 2),
  };
  // Keys in order; a key with ordering letters of its own (`-k2n`) does
  // not take the global ones (GNU's rule).
  struct Key {
    fields: Option<(usize, Option<usize>)>,
    numeric: bool,
    reverse: bool,
    fold: bool,
  }
  let global = |c: char| o.has(c);
  let mut keys: Vec<Key> = o
    .all('k')
    .iter()
    .map(|v| {
      let (a, b) = match v.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (*v, None),
      };
      let num = |x: &str| {
        x.chars()
          .take_while(|c| c.is_ascii_digit())
          .collect::<String>()
          .parse::<usize>()
          .unwrap_or(1)
      };
      let letters: String = v.chars().filter(|c| c.is_ascii_alphabetic()).collect();
      let own = !letters.is_empty();
      let has = |c: char| if own { letters.contains(c) } else { global(c) };
      Key {
        fields: Some((num(a), b.map(num))),
        numeric: has('n'),
        reverse: has('r'),
        fold: has('f'),
      }
    })
    .collect();
  // Every comparison looks at every key: a hostile number of them makes a
  // sort that cannot be stopped in time.
  if keys.len() > MAX_SORT_KEYS {
    return usage(sh, s, "sort", "too many keys", 2);
  }
  if keys.is_empty() {
    keys.push(Key {
      fields: None,
      numeric: global('n'),
      reverse: global('r'),
      fold: global('f'),
    });
  }
  let reverse = global('r');
  let sep = o.value('t').and_then(|t| t.bytes().next());
  let mut data = Vec::new();
  let mut status = 0;
  let bound = input_bound(s);
  for f in files(&o.operands) {
    let Some(io) = input(sh, s, "sort", &f) else {
      status = 2;
      continue;
    };
    // The bound is for all the operands together.
    let d = io
      .read_all(s, bound.saturating_sub(data.len()))
      .map_err(rflow)?;
    data.extend_from_slice(&d);
    if !data.is_empty() && !data.ends_with(b"\n") {
      data.push(b'\n');
    }
  }
  if status != 0 {
    return Ok(status);
  }
  let mut lines: Vec<&[u8]> = data
    .split_inclusive(|&b| b == b'\n')
    .map(|l| l.strip_suffix(b"\n").unwrap_or(l))
    .collect();
  let cmp = |a: &&[u8], b: &&[u8]| {
    for k in &keys {
      let (ka, kb) = (key(a, k.fields, sep), key(b, k.fields, sep));
      let order = if k.numeric {
        leading_num(ka)
          .partial_cmp(&leading_num(kb))
          .unwrap_or(std::cmp::Ordering::Equal)
      } else if k.fold {
        ka.to_ascii_uppercase().cmp(&kb.to_ascii_uppercase())
      } else {
        ka.cmp(kb)
      };
      let order = if k.reverse { order.reverse() } else { order };
      if order != std::cmp::Ordering::Equal {
        return order;
      }
    }
    std::cmp::Ordering::Equal
  };
  // Once the process is stopped every comparison is equal: the sort ends
  // at once (its result is never used).
  let control = s.control.clone();
  let compared = std::cell::Cell::new(0u32);
  let stopped = std::cell::Cell::new(false);
  lines.sort_by(|a, b| {
    compared.set(compared.get().wrapping_add(1));
    if compared.get().is_multiple_of(4096) && control.stopped() {
      stopped.set(true);
    }
    if stopped.get() {
      return std::cmp::Ordering::Equal;
    }
    let p = cmp(a, b);
    if p != std::cmp::Ordering::Equal || o.has('u') || o.has('s') {
      return p;
    }
    // GNU's last resort: the whole lines, bytewise.
    let whole = a.cmp(b);
    if reverse {
      whole.reverse()
    } else {
      whole
    }
  });
  if stopped.get() {
    return Err(Flow::Stopped);
  }
  if o.has('u') {
    lines.dedup_by(|a, b| cmp(&&**a, &&**b) == std::cmp::Ordering::Equal);
  }
  let mut text = Vec::with_capacity(data.len());
  for l in lines {
    text.extend_from_slice(l);
    text.push(b'\n');
  }
  if let Some(path) = o.value('o') {
    let path = path.to_string();
    if let Err(e) = crate::kernel::fs::write_file(
      s,
      &path,
      crate::kernel::op::StrOrBytes::from_bytes(&text),
      1 | 0o100 | 0o1000,
      0o666,
    ) {
      err(
        sh,
        s,
        "sort",
        &format!(
          "open failed: {path}: {}",
          gnu(super::super::io::errno_of(e))
        ),
      );
      return Ok(2);
    }
    return Ok(0);
  }
  let mut w = Out::new(sh.fds[1].clone());
  for chunk in text.chunks(CHUNK) {
    w.put(s, chunk).map_err(wflow)?;
  }
  w.flush(s).map_err(wflow)?;
  Ok(0)
}

pub fn uniq(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "fsw",
    &[
      ("count", 'c'),
      ("repeated", 'd'),
      ("unique", 'u'),
      ("ignore-case", 'i'),
      ("skip-fields", 'f'),
      ("skip-chars", 's'),
      ("check-chars", 'w'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "uniq", &m, 1),
  };
  // Counts as GNU takes them: a huge one is as good as the largest.
  let count = |c: char, what: &str| -> Result<Option<usize>, String> {
    match o.value(c) {
      None => Ok(None),
      Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
        Ok(Some(v.parse().unwrap_or(usize::MAX)))
      }
      Some(v) => Err(format!("{v}: invalid number of {what}")),
    }
  };
  let (skip_fields, skip_chars, check) = match (
    count('f', "fields to skip"),
    count('s', "bytes to skip"),
    count('w', "bytes to compare"),
  ) {
    (Ok(f), Ok(c), Ok(w)) => (f.unwrap_or(0), c.unwrap_or(0), w),
    (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => return usage(sh, s, "uniq", &m, 1),
  };
  let f = o.operands.first().cloned().unwrap_or_else(|| "-".into());
  let Some(io) = input(sh, s, "uniq", &f) else {
    return Ok(1);
  };
  let mut lines = Lines::new(io);
  let mut w = Out::new(sh.fds[1].clone());
  let mut prev: Option<Vec<u8>> = None;
  let mut n = 0u64;
  let emit = |w: &mut Out, s: &mut OpState, l: &[u8], n: u64| -> Result<(), Flow> {
    if (o.has('d') && n < 2) || (o.has('u') && n > 1) {
      return Ok(());
    }
    if o.has('c') {
      w.put(s, format!("{n:>7} ").as_bytes()).map_err(wflow)?;
    }
    w.put(s, l).map_err(wflow)?;
    w.put(s, b"\n").map_err(wflow)
  };
  // The part of a line compared: past `skip_fields` fields (blanks then
  // non-blanks) and `skip_chars` bytes, at most `check` bytes.
  let key = |l: &[u8]| -> std::ops::Range<usize> {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let mut at = 0;
    for _ in 0..skip_fields.min(l.len()) {
      while at < l.len() && blank(&l[at]) {
        at += 1;
      }
      while at < l.len() && !blank(&l[at]) {
        at += 1;
      }
    }
    let start = at.saturating_add(skip_chars).min(l.len());
    let end = check.map_or(l.len(), |w| start.saturating_add(w).min(l.len()));
    start..end
  };
  let same = |a: &[u8], b: &[u8]| {
    let (a, b) = (&a[key(a)], &b[key(b)]);
    if o.has('i') {
      a.eq_ignore_ascii_case(b)
    } else {
      a == b
    }
  };
  while let Some(l) = lines.next(s).map_err(rflow)? {
    let body = l.strip_suffix(b"\n").unwrap_or(&l).to_vec();
    match &prev {
      Some(p) if same(p, &body) => n += 1,
      _ => {
        if let Some(p) = prev.take() {
          emit(&mut w, s, &p, n)?;
        }
        prev = Some(body);
        n = 1;
      }
    }
  }
  if let Some(p) = prev {
    emit(&mut w, s, &p, n)?;
  }
  w.flush(s).map_err(wflow)?;
  Ok(0)
}

/// A cut list (`1,3-5,7-`): inclusive 1-based ranges.
fn ranges(list: &str) -> Option<Vec<(usize, usize)>> {
  let mut out = Vec::new();
  for part in list.split(',') {
    let (a, b) = match part.split_once('-') {
      Some((a, b)) => (
        if a.is_empty() { 1 } else { a.parse().ok()? },
        if b.is_empty() {
          usize::MAX
        } else {
          b.parse().ok()?
        },
      ),
      None => {
        let n = part.parse().ok()?;
        (n, n)
      }
    };
    if a == 0 {
      return None;
    }
    out.push((a, b));
  }
  Some(out)
}

pub fn cut(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "dfcb",
    &[
      ("delimiter", 'd'),
      ("fields", 'f'),
      ("characters", 'c'),
      ("bytes", 'b'),
      ("only-delimited", 's'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "cut", &m, 1),
  };
  let (list, fields) = match (o.value('f'), o.value('c').or(o.value('b'))) {
    (Some(f), _) => (f, true),
    (None, Some(c)) => (c, false),
    _ => {
      return usage(
        sh,
        s,
        "cut",
        "you must specify a list of bytes, characters, or fields",
        1,
      )
    }
  };
  let Some(rs) = ranges(list) else {
    err(sh, s, "cut", "invalid field value");
    return Ok(1);
  };
  let inside = |i: usize| rs.iter().any(|(a, b)| i >= *a && i <= *b);
  let delim = o
    .value('d')
    .map(|d| d.as_bytes().first().copied().unwrap_or(b'\t'))
    .unwrap_or(b'\t');
  let mut w = Out::new(sh.fds[1].clone());
  let mut status = 0;
  for f in files(&o.operands) {
    let Some(io) = input(sh, s, "cut", &f) else {
      status = 1;
      continue;
    };
    let mut lines = Lines::new(io);
    while let Some(l) = lines.next(s).map_err(rflow)? {
      let body = l.strip_suffix(b"\n").unwrap_or(&l);
      if fields {
        if !body.contains(&delim) {
          if !o.has('s') {
            w.put(s, body).map_err(wflow)?;
            w.put(s, b"\n").map_err(wflow)?;
          }
          continue;
        }
        let picked: Vec<&[u8]> = body
          .split(|&b| b == delim)
          .enumerate()
          .filter(|(i, _)| inside(i + 1))
          .map(|(_, f)| f)
          .collect();
        w.put(s, &picked.join(&delim)).map_err(wflow)?;
      } else {
        let picked: Vec<u8> = body
          .iter()
          .enumerate()
          .filter(|(i, _)| inside(i + 1))
          .map(|(_, b)| *b)
          .collect();
        w.put(s, &picked).map_err(wflow)?;
      }
      w.put(s, b"\n").map_err(wflow)?;
    }
  }
  w.flush(s).map_err(wflow)?;
  Ok(status)
}

/// A tr set, expanded: escapes, ranges and `[:class:]`.
fn tr_set(set: &str) -> Vec<u8> {
  let b = set.as_bytes();
  let mut raw: Vec<u8> = Vec::new();
  let mut i = 0;
  type Class = (&'static str, fn(u8) -> bool);
  let classes: [Class; 8] = [
    ("[:upper:]", |c| c.is_ascii_uppercase()),
    ("[:lower:]", |c| c.is_ascii_lowercase()),
    ("[:digit:]", |c| c.is_ascii_digit()),
    ("[:alpha:]", |c| c.is_ascii_alphabetic()),
    ("[:alnum:]", |c| c.is_ascii_alphanumeric()),
    ("[:space:]", |c| c.is_ascii_whitespace() || c == 0x0b),
    ("[:punct:]", |c| c.is_ascii_punctuation()),
    ("[:blank:]", |c| c == b' ' || c == b'\t'),
  ];
  while i < b.len() {
    if let Some((name, f)) = classes.iter().find(|(n, _)| set[i..].starts_with(n)) {
      raw.extend((0u8..=255).filter(|c| f(*c)));
      i += name.len();
      continue;
    }
    let (c, n) = if b[i] == b'\\' && i + 1 < b.len() {
      let e = match b[i + 1] {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'\\' => b'\\',
        o => o,
      };
      (e, 2)
    } else {
      (b[i], 1)
    };
    if b.get(i + n) == Some(&b'-') && i + n + 1 < b.len() {
      let end = b[i + n + 1];
      if end >= c {
        raw.extend(c..=end);
      }
      i += n + 2;
      continue;
    }
    raw.push(c);
    i += n;
  }
  raw
}

pub fn tr(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "",
    &[
      ("delete", 'd'),
      ("squeeze-repeats", 's'),
      ("complement", 'c'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "tr", &m, 1),
  };
  let Some(a) = o.operands.first() else {
    return usage(sh, s, "tr", "missing operand", 1);
  };
  let mut set1 = tr_set(a);
  if o.has('c') {
    set1 = (0u8..=255).filter(|c| !set1.contains(c)).collect();
  }
  let set2 = o.operands.get(1).map(|b| tr_set(b));
  if !o.has('d') && !o.has('s') && set2.is_none() {
    return usage(sh, s, "tr", &format!("missing operand after '{a}'"), 1);
  }
  let mut map: [i16; 256] = std::array::from_fn(|c| c as i16);
  let mut delete = [false; 256];
  if o.has('d') {
    set1.iter().for_each(|c| delete[*c as usize] = true);
  } else if let Some(s2) = &set2 {
    for (i, c) in set1.iter().enumerate() {
      let to = s2.get(i).or(s2.last()).copied().unwrap_or(*c);
      map[*c as usize] = i16::from(to);
    }
  }
  let squeeze: Vec<u8> = if o.has('s') {
    match (&set2, o.has('d')) {
      (Some(s2), _) => s2.clone(),
      (None, false) => set1.clone(),
      (None, true) => Vec::new(),
    }
  } else {
    Vec::new()
  };
  let mut squeeze_set = [false; 256];
  squeeze.iter().for_each(|c| squeeze_set[*c as usize] = true);
  let io = sh.fds[0].clone();
  let mut w = Out::new(sh.fds[1].clone());
  let mut last: Option<u8> = None;
  while let Some(d) = io.read(s, CHUNK).map_err(rflow)? {
    let mut o2 = Vec::with_capacity(d.len());
    for b in d {
      if delete[b as usize] {
        continue;
      }
      let m = map[b as usize] as u8;
      if squeeze_set[m as usize] && last == Some(m) {
        continue;
      }
      last = Some(m);
      o2.push(m);
    }
    w.put(s, &o2).map_err(wflow)?;
  }
  w.flush(s).map_err(wflow)?;
  Ok(0)
}

pub fn tee(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(&args[1..], "", &[("append", 'a')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "tee", &m, 1),
  };
  let mut outs = vec![sh.fds[1].clone()];
  let mut status = 0;
  for f in &o.operands {
    let abs = crate::kernel::shell::exec::absolute(&s.process.cwd, f);
    let flags = if o.has('a') {
      1 | 0o100 | 0o2000
    } else {
      1 | 0o100 | 0o1000
    };
    match crate::kernel::fs::write_file(
      s,
      &abs,
      crate::kernel::op::StrOrBytes::from_bytes(b""),
      flags,
      0o666,
    ) {
      Ok(()) => outs.push(Io::File(std::sync::Arc::new(super::super::io::FileOut {
        path: abs,
      }))),
      Err(e) => {
        err(
          sh,
          s,
          "tee",
          &format!("{f}: {}", gnu(super::super::io::errno_of(e))),
        );
        status = 1;
      }
    }
  }
  let io = sh.fds[0].clone();
  while let Some(d) = io.read(s, CHUNK).map_err(rflow)? {
    for o in &outs {
      o.write(s, &d).map_err(wflow)?;
    }
  }
  Ok(status)
}

/// One sed command with its address.
enum SedCmd {
  Subst {
    re: regex::bytes::Regex,
    rep: Vec<u8>,
    global: bool,
    nth: usize,
    print: bool,
  },
  Delete,
  Print,
  Quit,
  /// `=`: the line's number.
  Number,
  /// `a text`, `i text`, `c text` (GNU's one-line forms and `a\` text).
  Append(Vec<u8>),
  Insert(Vec<u8>),
  Change(Vec<u8>),
  /// `y/abc/xyz/`.
  Translate(Vec<(char, char)>),
}

enum Addr {
  Line(u64),
  Last,
  Re(regex::bytes::Regex),
}

struct SedItem {
  addr: Option<(Addr, Option<Addr>)>,
  negate: bool,
  cmd: SedCmd,
  active: bool,
}

fn sed_parse(script: &str, extended: bool) -> Result<Vec<SedItem>, String> {
  let c: Vec<char> = script.chars().collect();
  let mut i = 0;
  let mut items = Vec::new();
  let delimited = |c: &[char], i: &mut usize, d: char| -> Result<String, String> {
    let mut o = String::new();
    while *i < c.len() && c[*i] != d {
      if c[*i] == '\\' && *i + 1 < c.len() {
        if c[*i + 1] == d {
          o.push(d);
        } else if c[*i + 1] == 'n' {
          o.push('\n');
        } else {
          o.push('\\');
          o.push(c[*i + 1]);
        }
        *i += 2;
        continue;
      }
      o.push(c[*i]);
      *i += 1;
    }
    if *i >= c.len() {
      return Err("unterminated `s' command".into());
    }
    *i += 1;
    Ok(o)
  };
  let addr = |c: &[char], i: &mut usize| -> Result<Option<Addr>, String> {
    if *i < c.len() && c[*i].is_ascii_digit() {
      let mut n = 0u64;
      while *i < c.len() && c[*i].is_ascii_digit() {
        n = n * 10 + u64::from(c[*i].to_digit(10).unwrap_or(0));
        *i += 1;
      }
      return Ok(Some(Addr::Line(n)));
    }
    if *i < c.len() && c[*i] == '$' {
      *i += 1;
      return Ok(Some(Addr::Last));
    }
    if *i < c.len() && c[*i] == '/' {
      *i += 1;
      let p = delimited(c, i, '/')?;
      return Ok(Some(Addr::Re(compile(
        &p, extended, false, false, false, false,
      )?)));
    }
    Ok(None)
  };
  while i < c.len() {
    while i < c.len() && (c[i].is_whitespace() || c[i] == ';') {
      i += 1;
    }
    if i >= c.len() {
      break;
    }
    let a1 = addr(&c, &mut i)?;
    let a = match a1 {
      Some(a) => {
        if i < c.len() && c[i] == ',' {
          i += 1;
          let a2 = addr(&c, &mut i)?.ok_or("unexpected `,'")?;
          Some((a, Some(a2)))
        } else {
          Some((a, None))
        }
      }
      None => None,
    };
    let mut negate = false;
    while i < c.len() && (c[i] == '!' || c[i] == ' ') {
      negate |= c[i] == '!';
      i += 1;
    }
    let Some(&op) = c.get(i) else {
      return Err("missing command".into());
    };
    i += 1;
    let cmd = match op {
      's' => {
        let Some(&d) = c.get(i) else {
          return Err("unterminated `s' command".into());
        };
        i += 1;
        let pat = delimited(&c, &mut i, d)?;
        let rep = delimited(&c, &mut i, d)?;
        let mut global = false;
        let mut icase = false;
        let mut print = false;
        let mut nth = 1;
        while i < c.len() && !matches!(c[i], ';' | '\n' | '}') {
          match c[i] {
            'g' => global = true,
            'i' | 'I' => icase = true,
            'p' => print = true,
            d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1) as usize,
            ' ' => {}
            other => return Err(format!("unknown option to `s': {other}")),
          }
          i += 1;
        }
        let re = compile(&pat, extended, false, icase, false, false)?;
        SedCmd::Subst {
          re,
          rep: rep.into_bytes(),
          global,
          nth,
          print,
        }
      }
      'd' => SedCmd::Delete,
      'p' => SedCmd::Print,
      '=' => SedCmd::Number,
      'a' | 'i' | 'c' => {
        // The text runs to the end of the line (`;` is part of it).
        if c.get(i) == Some(&'\\') {
          i += 1;
          if c.get(i) == Some(&'\n') {
            i += 1;
          }
        }
        while c.get(i) == Some(&' ') {
          i += 1;
        }
        let mut text = String::new();
        while i < c.len() && c[i] != '\n' {
          if c[i] == '\\' && i + 1 < c.len() {
            i += 1;
          }
          text.push(c[i]);
          i += 1;
        }
        let text = text.into_bytes();
        match op {
          'a' => SedCmd::Append(text),
          'i' => SedCmd::Insert(text),
          _ => SedCmd::Change(text),
        }
      }
      'y' => {
        let Some(&d) = c.get(i) else {
          return Err("unterminated `y' command".into());
        };
        i += 1;
        let from: Vec<char> = delimited(&c, &mut i, d)?.chars().collect();
        let to: Vec<char> = delimited(&c, &mut i, d)?.chars().collect();
        if from.len() != to.len() {
          return Err("strings for `y' command are different lengths".into());
        }
        SedCmd::Translate(from.into_iter().zip(to).collect())
      }
      'q' => SedCmd::Quit,
      other => return Err(format!("unknown command: `{other}'")),
    };
    items.push(SedItem {
      addr: a,
      negate,
      cmd,
      active: false,
    });
  }
  Ok(items)
}

fn addr_hit(a: &Addr, n: u64, last: bool, line: &[u8]) -> bool {
  match a {
    Addr::Line(k) => *k == n,
    Addr::Last => last,
    Addr::Re(r) => r.is_match(line),
  }
}

/// `&`, `\1`-`\9` and `\n` of a replacement.
fn expand_rep(rep: &[u8], caps: &regex::bytes::Captures<'_>, out: &mut Vec<u8>) {
  let mut i = 0;
  while i < rep.len() {
    match rep[i] {
      b'\\' if i + 1 < rep.len() => {
        let n = rep[i + 1];
        if n.is_ascii_digit() {
          if let Some(m) = caps.get((n - b'0') as usize) {
            out.extend_from_slice(m.as_bytes());
          }
        } else if n == b'n' {
          out.push(b'\n');
        } else {
          out.push(n);
        }
        i += 2;
      }
      b'&' => {
        out.extend_from_slice(caps.get(0).map_or(&[][..], |m| m.as_bytes()));
        i += 1;
      }
      b => {
        out.push(b);
        i += 1;
      }
    }
  }
}

pub fn sed(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let o = match opts(
    &args[1..],
    "e",
    &[
      ("quiet", 'n'),
      ("silent", 'n'),
      ("regexp-extended", 'E'),
      ("expression", 'e'),
      ("in-place", 'i'),
    ],
  ) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, "sed", &m, 1),
  };
  let mut operands = o.operands.clone();
  let script = if o.all('e').is_empty() {
    if operands.is_empty() {
      return usage(sh, s, "sed", "no script specified", 1);
    }
    operands.remove(0)
  } else {
    o.all('e').join("\n")
  };
  let extended = o.has('E') || o.has('r');
  let mut items = match sed_parse(&script, extended) {
    Ok(i) => i,
    Err(m) => {
      err(
        sh,
        s,
        "sed",
        &format!("-e expression #1, char {}: {m}", script.chars().count()),
      );
      return Ok(1);
    }
  };
  let quiet = o.has('n');
  let fs = files(&operands);
  let mut status = 0;
  for f in &fs {
    let Some(io) = input(sh, s, "sed", f) else {
      status = 2;
      continue;
    };
    let mut target: Out = if o.has('i') && f != "-" {
      Out::new(Io::data(Vec::new()))
    } else {
      Out::new(sh.fds[1].clone())
    };
    let mut edited: Vec<u8> = Vec::new();
    let mut lines = Lines::new(io);
    let mut n = 0u64;
    let mut next = lines.next(s).map_err(rflow)?;
    let mut quit = false;
    while let Some(l) = next.take() {
      n += 1;
      next = lines.next(s).map_err(rflow)?;
      let last = next.is_none();
      let had_nl = l.ends_with(b"\n");
      let mut line = l.strip_suffix(b"\n").unwrap_or(&l).to_vec();
      let mut deleted = false;
      let mut extra: Vec<Vec<u8>> = Vec::new();
      let mut after: Vec<Vec<u8>> = Vec::new();
      for it in items.iter_mut() {
        let hit = match &it.addr {
          None => true,
          Some((a, None)) => addr_hit(a, n, last, &line),
          Some((a, Some(b))) => {
            if it.active {
              let end = match b {
                Addr::Line(k) => n >= *k,
                b => addr_hit(b, n, last, &line),
              };
              if end {
                it.active = false;
              }
              true
            } else if addr_hit(a, n, last, &line) {
              let end_now = matches!(b, Addr::Line(k) if *k <= n);
              it.active = !end_now;
              true
            } else {
              false
            }
          }
        };
        if hit == it.negate {
          continue;
        }
        match &it.cmd {
          SedCmd::Subst {
            re,
            rep,
            global,
            nth,
            print,
          } => {
            let mut outb = Vec::new();
            let mut at = 0;
            let mut count = 0;
            let mut did = false;
            for caps in re.captures_iter(&line) {
              let Some(m) = caps.get(0) else { continue };
              count += 1;
              if count < *nth {
                continue;
              }
              outb.extend_from_slice(&line[at..m.start()]);
              expand_rep(rep, &caps, &mut outb);
              at = m.end();
              did = true;
              if !global {
                break;
              }
            }
            if did {
              outb.extend_from_slice(&line[at..]);
              line = outb;
              if *print {
                extra.push(line.clone());
              }
            }
          }
          SedCmd::Delete => {
            deleted = true;
            break;
          }
          SedCmd::Print => extra.push(line.clone()),
          SedCmd::Number => extra.push(n.to_string().into_bytes()),
          SedCmd::Insert(t) => extra.push(t.clone()),
          SedCmd::Append(t) => after.push(t.clone()),
          SedCmd::Change(t) => {
            // A range is replaced once, at its end.
            let in_range = matches!(&it.addr, Some((_, Some(_)))) && it.active;
            if !in_range {
              extra.push(t.clone());
            }
            deleted = true;
            break;
          }
          SedCmd::Translate(map) => {
            let text = String::from_utf8_lossy(&line).into_owned();
            line = text
              .chars()
              .map(|ch| map.iter().find(|(a, _)| *a == ch).map_or(ch, |(_, b)| *b))
              .collect::<String>()
              .into_bytes();
          }
          SedCmd::Quit => {
            quit = true;
            break;
          }
        }
      }
      let mut emit = |b: &[u8], nl: bool| {
        edited.extend_from_slice(b);
        if nl {
          edited.push(b'\n');
        }
      };
      for e in &extra {
        emit(e, true);
      }
      if !deleted && !quiet {
        emit(&line, had_nl || !after.is_empty());
      }
      for e in &after {
        emit(e, true);
      }
      if o.has('i') && edited.len() > input_bound(s) {
        err(
          sh,
          s,
          "sed",
          &format!(
            "couldn't edit {f}: {}",
            gnu(crate::kernel::error::Errno::EFBIG)
          ),
        );
        return Ok(4);
      }
      if edited.len() >= CHUNK && !o.has('i') {
        target.put(s, &edited).map_err(wflow)?;
        edited.clear();
      }
      if quit {
        break;
      }
    }
    if o.has('i') && f != "-" {
      let abs = crate::kernel::shell::exec::absolute(&s.process.cwd, f);
      if let Err(e) = crate::kernel::fs::write_file(
        s,
        &abs,
        crate::kernel::op::StrOrBytes::from_bytes(&edited),
        1 | 0o100 | 0o1000,
        0o666,
      ) {
        err(
          sh,
          s,
          "sed",
          &format!("couldn't edit {f}: {}", gnu(super::super::io::errno_of(e))),
        );
        status = 4;
      }
    } else {
      target.put(s, &edited).map_err(wflow)?;
      target.flush(s).map_err(wflow)?;
    }
    if quit {
      break;
    }
  }
  Ok(status)
}

/// `md5sum`, `sha1sum`, `sha256sum`, `sha512sum`: `hash  name` per input.
pub fn digest(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  use sha2::Digest;
  let o = match opts(&args[1..], "", &[("binary", 'b'), ("text", 't')]) {
    Ok(o) => o,
    Err(m) => return usage(sh, s, &args[0], &m, 1),
  };
  let mut status = 0;
  let mut text = String::new();
  for f in files(&o.operands) {
    let Some(io) = input(sh, s, &args[0], &f) else {
      status = 1;
      continue;
    };
    enum H {
      Md5(md5::Md5),
      Sha1(sha1::Sha1),
      Sha256(sha2::Sha256),
      Sha512(sha2::Sha512),
    }
    let mut h = match args[0].as_str() {
      "md5sum" => H::Md5(md5::Md5::new()),
      "sha1sum" => H::Sha1(sha1::Sha1::new()),
      "sha512sum" => H::Sha512(sha2::Sha512::new()),
      _ => H::Sha256(sha2::Sha256::new()),
    };
    while let Some(d) = io.read(s, CHUNK).map_err(rflow)? {
      match &mut h {
        H::Md5(x) => x.update(&d),
        H::Sha1(x) => x.update(&d),
        H::Sha256(x) => x.update(&d),
        H::Sha512(x) => x.update(&d),
      }
    }
    let bytes: Vec<u8> = match h {
      H::Md5(x) => x.finalize().to_vec(),
      H::Sha1(x) => x.finalize().to_vec(),
      H::Sha256(x) => x.finalize().to_vec(),
      H::Sha512(x) => x.finalize().to_vec(),
    };
    for b in bytes {
      text.push_str(&format!("{b:02x}"));
    }
    text.push_str("  ");
    text.push_str(&f);
    text.push('\n');
  }
  out(sh, s, text.as_bytes())?;
  Ok(status)
}
