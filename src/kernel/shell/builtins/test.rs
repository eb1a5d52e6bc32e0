//! `test` and `[`, as dash has them (and the tests of bash's `[[`).
use crate::kernel::op::OpValue;
use crate::kernel::shell::{Shell, Status};
use crate::kernel::syscall::OpState;

/// A file's stat fields (Node's order: mode is [1], size [8]).
fn stat(s: &mut OpState, path: &str, follow: bool) -> Option<[f64; 18]> {
  match crate::kernel::fs::stat(s, path, follow) {
    Ok(OpValue::Stat(st)) => {
      let mut out = [0.0; 18];
      for (o, v) in out.iter_mut().zip(st.iter()) {
        *o = *v;
      }
      Some(out)
    }
    _ => None,
  }
}

fn kind(st: &[f64; 18]) -> u32 {
  (st[1] as u32) & 0o170000
}

/// A unary test; `None` for an operator that is not one.
pub fn unary(s: &mut OpState, op: &str, a: &str) -> Option<bool> {
  let access = |s: &mut OpState, m: u32| crate::kernel::fs::access(s, a, m).is_ok();
  Some(match op {
    "-n" => !a.is_empty(),
    "-z" => a.is_empty(),
    "-e" | "-a" => stat(s, a, true).is_some(),
    "-f" => stat(s, a, true).is_some_and(|st| kind(&st) == 0o100000),
    "-d" => stat(s, a, true).is_some_and(|st| kind(&st) == 0o040000),
    "-h" | "-L" => stat(s, a, false).is_some_and(|st| kind(&st) == 0o120000),
    "-p" => stat(s, a, true).is_some_and(|st| kind(&st) == 0o010000),
    "-S" => stat(s, a, true).is_some_and(|st| kind(&st) == 0o140000),
    "-b" => stat(s, a, true).is_some_and(|st| kind(&st) == 0o060000),
    "-c" => stat(s, a, true).is_some_and(|st| kind(&st) == 0o020000),
    "-s" => stat(s, a, true).is_some_and(|st| st[8] > 0.0),
    "-r" => access(s, 4),
    "-w" => access(s, 2),
    "-x" => access(s, 1),
    "-t" => false,
    _ => return None,
  })
}

fn int(a: &str) -> Option<i64> {
  a.trim().parse().ok()
}

/// A binary test; `None` for an operator that is not one (or a bad number).
pub fn binary(s: &mut OpState, a: &str, op: &str, b: &str) -> Option<bool> {
  Some(match op {
    "=" | "==" => a == b,
    "!=" => a != b,
    "<" => a < b,
    ">" => a > b,
    "-eq" => int(a)? == int(b)?,
    "-ne" => int(a)? != int(b)?,
    "-lt" => int(a)? < int(b)?,
    "-le" => int(a)? <= int(b)?,
    "-gt" => int(a)? > int(b)?,
    "-ge" => int(a)? >= int(b)?,
    "-nt" | "-ot" => {
      let ta = stat(s, a, true).map(|st| st[12]);
      let tb = stat(s, b, true).map(|st| st[12]);
      match (ta, tb) {
        (Some(x), Some(y)) => {
          if op == "-nt" {
            x > y
          } else {
            x < y
          }
        }
        (Some(_), None) => op == "-nt",
        (None, Some(_)) => op == "-ot",
        _ => false,
      }
    }
    "-ef" => false,
    _ => return None,
  })
}

struct Eval<'a> {
  args: &'a [String],
  i: usize,
  bad: Option<String>,
  depth: usize,
}

/// `!` and parentheses nested in one test.
const MAX_TEST_DEPTH: usize = 200;

impl Eval<'_> {
  fn peek(&self) -> Option<&str> {
    self.args.get(self.i).map(|s| s.as_str())
  }

  fn or(&mut self, s: &mut OpState) -> bool {
    let mut v = self.and(s);
    while self.peek() == Some("-o") {
      self.i += 1;
      let r = self.and(s);
      v = v || r;
    }
    v
  }

  fn and(&mut self, s: &mut OpState) -> bool {
    let mut v = self.not(s);
    while self.peek() == Some("-a") {
      self.i += 1;
      let r = self.not(s);
      v = v && r;
    }
    v
  }

  fn not(&mut self, s: &mut OpState) -> bool {
    self.depth += 1;
    if self.depth > MAX_TEST_DEPTH {
      self
        .bad
        .get_or_insert_with(|| "expression nested too deeply".into());
      self.i = self.args.len();
      return false;
    }
    let v = if self.peek() == Some("!") && self.args.len() - self.i > 1 {
      self.i += 1;
      !self.not(s)
    } else {
      self.primary(s)
    };
    self.depth -= 1;
    v
  }

  fn primary(&mut self, s: &mut OpState) -> bool {
    let Some(a) = self.peek().map(str::to_string) else {
      self.bad.get_or_insert_with(|| "argument expected".into());
      return false;
    };
    if a == "(" {
      self.i += 1;
      let v = self.or(s);
      if self.peek() == Some(")") {
        self.i += 1;
      } else {
        self
          .bad
          .get_or_insert_with(|| "closing paren expected".into());
      }
      return v;
    }
    // `a op b`
    if let Some(op) = self.args.get(self.i + 1).cloned() {
      if let Some(b) = self.args.get(self.i + 2).cloned() {
        if let Some(v) = binary(s, &a, &op, &b) {
          self.i += 3;
          return v;
        }
        if op.starts_with("-")
          && matches!(op.as_str(), "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge")
        {
          let bad = if int(&a).is_none() {
            a.clone()
          } else {
            b.clone()
          };
          self
            .bad
            .get_or_insert_with(|| format!("Illegal number: {bad}"));
          self.i += 3;
          return false;
        }
      }
    }
    if a.starts_with('-') && a.len() == 2 {
      if let Some(operand) = self.args.get(self.i + 1).cloned() {
        if let Some(v) = unary(s, &a, &operand) {
          self.i += 2;
          return v;
        }
      }
    }
    self.i += 1;
    !a.is_empty()
  }
}

pub fn test(sh: &mut Shell, s: &mut OpState, args: &[String]) -> Status {
  let mut a = &args[1..];
  if args[0] == "[" {
    if a.last().map(|x| x.as_str()) != Some("]") {
      sh.error(s, "[: missing ]");
      return Ok(2);
    }
    a = &a[..a.len() - 1];
  }
  if a.is_empty() {
    return Ok(1);
  }
  let mut e = Eval {
    args: a,
    i: 0,
    bad: None,
    depth: 0,
  };
  let v = e.or(s);
  if e.bad.is_none() && e.i < a.len() {
    e.bad = Some(format!("{}: unexpected operator", a[e.i]));
  }
  if let Some(msg) = e.bad {
    sh.error(s, &format!("{}: {msg}", args[0]));
    return Ok(2);
  }
  Ok(i32::from(!v))
}
