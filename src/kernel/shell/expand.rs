//! Word expansion, as POSIX orders it: tilde, parameters, command
//! substitution and arithmetic, then field splitting on IFS, pathname
//! expansion (globs over the VFS, through `kernel::fs::readdir`) and quote
//! removal. Words arrive as the parser's raw text.
use super::{Flow, Shell, MAX_FIELDS, MAX_VARS_BYTES, MAX_WORD_BYTES};
use crate::kernel::op::OpValue;
use crate::kernel::syscall::OpState;

/// One character of an expanded word and how it was quoted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Q {
  /// Unquoted in the script: a glob character here is active.
  Lit,
  /// Quoted: literal.
  Quo,
  /// From an unquoted expansion: split on IFS, then a glob.
  Exp,
}

#[derive(Clone, Copy, Debug)]
enum Unit {
  Ch(char, Q),
  /// A quote was here: the word is a field even if empty.
  Mark,
  /// Between the fields of "$@".
  Break,
}

type Units = Vec<Unit>;

/// Where the matching `close` of an opening at `from` is (the index of
/// `close`), skipping quotes, escapes and nested openings.
fn find_close(c: &[char], from: usize, open: char, close: char) -> Option<usize> {
  let mut depth = 1;
  let mut i = from;
  while i < c.len() {
    match c[i] {
      '\\' => i += 1,
      '\'' => {
        // Single quotes hide everything until the next one.
        i += 1;
        while i < c.len() && c[i] != '\'' {
          i += 1;
        }
      }
      '"' => {
        i += 1;
        while i < c.len() && c[i] != '"' {
          if c[i] == '\\' {
            i += 1;
          }
          i += 1;
        }
      }
      ch if ch == open => depth += 1,
      ch if ch == close => {
        depth -= 1;
        if depth == 0 {
          return Some(i);
        }
      }
      _ => {}
    }
    i += 1;
  }
  None
}

/// The end of a double-quoted part starting after `"` at `from`.
fn find_dquote(c: &[char], from: usize) -> usize {
  let mut i = from;
  while i < c.len() {
    match c[i] {
      '\\' => i += 1,
      '"' => return i,
      '$' if c.get(i + 1) == Some(&'(') => {
        if let Some(e) = find_close(c, i + 2, '(', ')') {
          i = e;
        }
      }
      '$' if c.get(i + 1) == Some(&'{') => {
        if let Some(e) = find_close(c, i + 2, '{', '}') {
          i = e;
        }
      }
      '`' => {
        i += 1;
        while i < c.len() && c[i] != '`' {
          if c[i] == '\\' {
            i += 1;
          }
          i += 1;
        }
      }
      _ => {}
    }
    i += 1;
  }
  c.len()
}

fn is_name_start(c: char) -> bool {
  c.is_ascii_alphabetic() || c == '_'
}

fn is_name(c: char) -> bool {
  c.is_ascii_alphanumeric() || c == '_'
}

impl Shell {
  /// A parameter's value (`None`: unset).
  pub fn param(&self, name: &str) -> Option<String> {
    match name {
      "?" => Some(self.status.to_string()),
      "#" => Some(self.positional.len().to_string()),
      "$" => Some(self.pid.to_string()),
      "!" => self.last_bg.map(|p| p.to_string()),
      "0" => Some(self.name.clone()),
      "-" => Some(if self.errexit {
        "e".into()
      } else {
        String::new()
      }),
      "@" | "*" => {
        let sep = if name == "*" {
          self
            .vars
            .get("IFS")
            .and_then(|s| s.chars().next())
            .map(String::from)
            .unwrap_or_default()
        } else {
          " ".into()
        };
        Some(self.positional.join(&sep))
      }
      n if n.chars().all(|c| c.is_ascii_digit()) => {
        let i: usize = n.parse().ok()?;
        self.positional.get(i.checked_sub(1)?).cloned()
      }
      n => self.vars.get(n).cloned(),
    }
  }

  /// `word` as fields: expanded, split, globbed, unquoted.
  pub fn expand_fields(&mut self, s: &mut OpState, word: &str) -> Result<Vec<String>, Flow> {
    // "$@" with no parameters is no field at all.
    if word == "\"$@\"" && self.positional.is_empty() {
      return Ok(Vec::new());
    }
    let mut units = Units::new();
    self.expand_into(s, word, false, &mut units)?;
    let fields = self.split(&units);
    let mut out = Vec::new();
    for f in fields {
      if f
        .iter()
        .any(|(c, active)| *active && matches!(c, '*' | '?' | '['))
      {
        let found = self.glob(s, &f);
        if !found.is_empty() {
          out.extend(found);
          continue;
        }
      }
      out.push(f.into_iter().map(|(c, _)| c).collect());
    }
    if out.len() > MAX_FIELDS {
      self.error(s, "word expands to too many fields");
      return Err(Flow::Exit(2));
    }
    Ok(out)
  }

  /// Many words' fields.
  pub fn expand_all(&mut self, s: &mut OpState, words: &[&str]) -> Result<Vec<String>, Flow> {
    let mut out = Vec::new();
    let mut bytes = 0;
    for w in words {
      let fields = self.expand_fields(s, w)?;
      bytes += fields.iter().map(|f| f.len() + 1).sum::<usize>();
      out.extend(fields);
      // A command's arguments together, as Linux bounds an exec's.
      if out.len() > MAX_FIELDS || bytes > MAX_VARS_BYTES {
        self.error(s, "too many arguments");
        return Err(Flow::Exit(2));
      }
    }
    Ok(out)
  }

  /// `word` as one string: no splitting, no globbing (assignments,
  /// redirection targets, `case` words).
  pub fn expand_string(&mut self, s: &mut OpState, word: &str) -> Result<String, Flow> {
    let mut units = Units::new();
    self.expand_into(s, word, false, &mut units)?;
    Ok(
      units
        .iter()
        .filter_map(|u| match u {
          Unit::Ch(c, _) => Some(*c),
          Unit::Break => Some(' '),
          Unit::Mark => None,
        })
        .collect(),
    )
  }

  /// `word` as a glob pattern (quoted characters escaped): `case`, `${x#p}`.
  pub fn expand_pattern(&mut self, s: &mut OpState, word: &str) -> Result<String, Flow> {
    let mut units = Units::new();
    self.expand_into(s, word, false, &mut units)?;
    let mut p = String::new();
    for u in units {
      if let Unit::Ch(c, q) = u {
        if q == Q::Quo || !matches!(c, '*' | '?' | '[' | ']' | '!' | '^' | '-') {
          push_escaped(&mut p, c);
        } else {
          p.push(c);
        }
      }
    }
    Ok(p)
  }

  /// A here-document's body: parameters, commands and arithmetic
  /// expanded; a backslash quotes only `$`, `` ` ``, `\` and a newline.
  pub fn expand_heredoc(&mut self, s: &mut OpState, text: &str) -> Result<String, Flow> {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
      // A body expanded past a word's bound, or by a stopped process, ends.
      if out.len() > MAX_VARS_BYTES {
        self.error(s, "here-document too large");
        return Err(Flow::Exit(2));
      }
      if s.control.stopped() {
        return Err(Flow::Stopped);
      }
      match c[i] {
        '\\' if matches!(c.get(i + 1), Some('$' | '`' | '\\')) => {
          out.push(c[i + 1]);
          i += 2;
        }
        '\\' if c.get(i + 1) == Some(&'\n') => i += 2,
        '$' | '`' => {
          let mut units = Units::new();
          let next = self.expansion(s, &c, i, true, &mut units)?;
          if next == i {
            out.push(c[i]);
            i += 1;
          } else {
            units.iter().for_each(|u| {
              if let Unit::Ch(ch, _) = u {
                out.push(*ch)
              }
            });
            i = next;
          }
        }
        ch => {
          out.push(ch);
          i += 1;
        }
      }
    }
    Ok(out)
  }

  fn expand_into(
    &mut self,
    s: &mut OpState,
    word: &str,
    _assign: bool,
    out: &mut Units,
  ) -> Result<(), Flow> {
    let c: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < c.len() {
      if out.len() > MAX_WORD_BYTES {
        self.error(s, "word too long");
        return Err(Flow::Exit(2));
      }
      match c[i] {
        '\\' => {
          match c.get(i + 1) {
            Some('\n') => {}
            Some(&n) => out.push(Unit::Ch(n, Q::Quo)),
            None => out.push(Unit::Ch('\\', Q::Lit)),
          }
          i += 2;
        }
        '\'' => {
          out.push(Unit::Mark);
          i += 1;
          while i < c.len() && c[i] != '\'' {
            out.push(Unit::Ch(c[i], Q::Quo));
            i += 1;
          }
          i += 1;
        }
        '"' => {
          out.push(Unit::Mark);
          let end = find_dquote(&c, i + 1);
          self.expand_dquoted(s, &c[i + 1..end.min(c.len())], out)?;
          i = end + 1;
        }
        '~' if i == 0 => {
          let end = c.iter().position(|&x| x == '/').unwrap_or(c.len());
          let user: String = c[1..end].iter().collect();
          if user.is_empty() {
            let home = self
              .vars
              .get("HOME")
              .cloned()
              .unwrap_or_else(|| "/home/user".into());
            home.chars().for_each(|ch| out.push(Unit::Ch(ch, Q::Quo)));
          } else {
            c[..end]
              .iter()
              .for_each(|&ch| out.push(Unit::Ch(ch, Q::Lit)));
          }
          i = end;
        }
        '$' if self.bash && c.get(i + 1) == Some(&'\'') => {
          // bash's $'...': backslash escapes, quoted.
          out.push(Unit::Mark);
          i = ansi_c(&c, i + 2, out);
        }
        '$' | '`' => {
          let next = self.expansion(s, &c, i, false, out)?;
          if next == i {
            out.push(Unit::Ch('$', Q::Lit));
            i += 1;
          } else {
            i = next;
          }
        }
        ch => {
          out.push(Unit::Ch(ch, Q::Lit));
          i += 1;
        }
      }
    }
    Ok(())
  }

  fn expand_dquoted(&mut self, s: &mut OpState, c: &[char], out: &mut Units) -> Result<(), Flow> {
    let mut i = 0;
    while i < c.len() {
      match c[i] {
        '\\' => match c.get(i + 1) {
          Some(&n @ ('$' | '`' | '"' | '\\')) => {
            out.push(Unit::Ch(n, Q::Quo));
            i += 2;
          }
          Some('\n') => i += 2,
          _ => {
            out.push(Unit::Ch('\\', Q::Quo));
            i += 1;
          }
        },
        '$' | '`' => {
          let next = self.expansion(s, c, i, true, out)?;
          if next == i {
            out.push(Unit::Ch('$', Q::Quo));
            i += 1;
          } else {
            i = next;
          }
        }
        ch => {
          out.push(Unit::Ch(ch, Q::Quo));
          i += 1;
        }
      }
    }
    Ok(())
  }

  fn push_value(out: &mut Units, v: &str, quoted: bool) {
    let q = if quoted { Q::Quo } else { Q::Exp };
    // Past the bound the word is cut here; expand_into reports it.
    let room = (MAX_WORD_BYTES + 1).saturating_sub(out.len());
    v.chars()
      .take(room)
      .for_each(|ch| out.push(Unit::Ch(ch, q)));
  }

  /// The expansion starting at `c[i]` (`$` or a backquote) into `out`:
  /// the index after it (`i` when it is a lone `$`).
  fn expansion(
    &mut self,
    s: &mut OpState,
    c: &[char],
    i: usize,
    quoted: bool,
    out: &mut Units,
  ) -> Result<usize, Flow> {
    if c[i] == '`' {
      let mut j = i + 1;
      let mut script = String::new();
      while j < c.len() && c[j] != '`' {
        if c[j] == '\\' && matches!(c.get(j + 1), Some('`' | '\\' | '$')) {
          j += 1;
        }
        script.push(c[j]);
        j += 1;
      }
      let v = self.command_subst(s, &script)?;
      Self::push_value(out, &v, quoted);
      return Ok(j + 1);
    }
    match c.get(i + 1) {
      Some('(') if c.get(i + 2) == Some(&'(') => {
        let Some(end) = find_close(c, i + 3, '(', ')') else {
          return Ok(i);
        };
        // `$((e))`: the expression ends one before the second `)`.
        let expr: String = c[i + 3..end].iter().collect();
        let v = self.arith(s, &expr)?;
        Self::push_value(out, &v.to_string(), quoted);
        Ok((end + 2).min(c.len()))
      }
      Some('(') => {
        let Some(end) = find_close(c, i + 2, '(', ')') else {
          return Ok(i);
        };
        let script: String = c[i + 2..end].iter().collect();
        let v = self.command_subst(s, &script)?;
        Self::push_value(out, &v, quoted);
        Ok(end + 1)
      }
      Some('{') => {
        let Some(end) = find_close(c, i + 2, '{', '}') else {
          return Ok(i);
        };
        let inner: String = c[i + 2..end].iter().collect();
        self.braced(s, &inner, quoted, out)?;
        Ok(end + 1)
      }
      Some(&ch) if is_name_start(ch) => {
        let mut j = i + 1;
        while j < c.len() && is_name(c[j]) {
          j += 1;
        }
        let name: String = c[i + 1..j].iter().collect();
        let v = self.param(&name).unwrap_or_default();
        Self::push_value(out, &v, quoted);
        Ok(j)
      }
      Some(&ch) if ch.is_ascii_digit() || "?#$!@*-".contains(ch) => {
        if ch == '@' && quoted {
          for (n, p) in self.positional.clone().iter().enumerate() {
            if n > 0 {
              out.push(Unit::Break);
            }
            Self::push_value(out, p, true);
          }
        } else if ch == '@' || ch == '*' {
          // Unquoted, each parameter is split on its own.
          for (n, p) in self.positional.clone().iter().enumerate() {
            if n > 0 {
              out.push(Unit::Ch(' ', Q::Exp));
            }
            Self::push_value(out, p, quoted);
          }
        } else {
          let v = self.param(&ch.to_string()).unwrap_or_default();
          Self::push_value(out, &v, quoted);
        }
        Ok(i + 2)
      }
      _ => Ok(i),
    }
  }

  /// `${...}`.
  fn braced(
    &mut self,
    s: &mut OpState,
    inner: &str,
    quoted: bool,
    out: &mut Units,
  ) -> Result<(), Flow> {
    let c: Vec<char> = inner.chars().collect();
    if c.first() == Some(&'#') && c.len() > 1 {
      let name: String = c[1..].iter().collect();
      let v = self.param(&name).unwrap_or_default();
      Self::push_value(out, &v.chars().count().to_string(), quoted);
      return Ok(());
    }
    let mut j = 0;
    if c.first().is_some_and(|&x| is_name_start(x)) {
      while j < c.len() && is_name(c[j]) {
        j += 1;
      }
    } else if c.first().is_some_and(|x| x.is_ascii_digit()) {
      while j < c.len() && c[j].is_ascii_digit() {
        j += 1;
      }
    } else if c.first().is_some_and(|&x| "?#$!@*-".contains(x)) {
      j = 1;
    }
    if j == 0 {
      self.error(s, &format!("${{{inner}}}: Bad substitution"));
      return Err(Flow::Exit(2));
    }
    let name: String = c[..j].iter().collect();
    let rest: String = c[j..].iter().collect();
    let value = self.param(&name);
    if rest.is_empty() {
      if name == "@" && quoted {
        let p = self.positional.clone();
        for (n, v) in p.iter().enumerate() {
          if n > 0 {
            out.push(Unit::Break);
          }
          Self::push_value(out, v, true);
        }
        return Ok(());
      }
      Self::push_value(out, &value.unwrap_or_default(), quoted);
      return Ok(());
    }
    let ops = [
      ":-", ":=", ":?", ":+", "-", "=", "?", "+", "%%", "##", "%", "#",
    ];
    let Some(op) = ops.iter().find(|o| rest.starts_with(**o)) else {
      self.error(s, &format!("${{{inner}}}: Bad substitution"));
      return Err(Flow::Exit(2));
    };
    let word = &rest[op.len()..];
    let colon = op.starts_with(':');
    let missing = match &value {
      None => true,
      Some(v) => colon && v.is_empty(),
    };
    let v = match op.trim_start_matches(':') {
      "-" => {
        if missing {
          self.expand_string(s, word)?
        } else {
          value.unwrap_or_default()
        }
      }
      "=" => {
        if missing {
          let w = self.expand_string(s, word)?;
          self.vars.insert(name.clone(), w.clone());
          w
        } else {
          value.unwrap_or_default()
        }
      }
      "?" => {
        if missing {
          let w = self.expand_string(s, word)?;
          let msg = if w.is_empty() {
            format!("{name}: parameter not set")
          } else {
            format!("{name}: {w}")
          };
          self.error(s, &msg);
          return Err(Flow::Exit(2));
        }
        value.unwrap_or_default()
      }
      "+" => {
        if missing {
          String::new()
        } else {
          self.expand_string(s, word)?
        }
      }
      trim => {
        let v = value.unwrap_or_default();
        let pat = self.expand_pattern(s, word)?;
        let Some(m) = matcher(&pat, false) else {
          Self::push_value(out, &v, quoted);
          return Ok(());
        };
        let bounds: Vec<usize> = v
          .char_indices()
          .map(|(i, _)| i)
          .chain(std::iter::once(v.len()))
          .collect();
        let cut = match trim {
          "#" => bounds
            .iter()
            .find(|&&b| m.is_match(&v[..b]))
            .map(|&b| v[b..].to_string()),
          "##" => bounds
            .iter()
            .rev()
            .find(|&&b| m.is_match(&v[..b]))
            .map(|&b| v[b..].to_string()),
          "%" => bounds
            .iter()
            .rev()
            .find(|&&b| m.is_match(&v[b..]))
            .map(|&b| v[..b].to_string()),
          _ => bounds
            .iter()
            .find(|&&b| m.is_match(&v[b..]))
            .map(|&b| v[..b].to_string()),
        };
        cut.unwrap_or(v)
      }
    };
    Self::push_value(out, &v, quoted);
    Ok(())
  }

  /// `$(script)`: its output without trailing newlines.
  fn command_subst(&mut self, s: &mut OpState, script: &str) -> Result<String, Flow> {
    let (bytes, status) = self.capture(s, script)?;
    self.subst_status = Some(status);
    self.status = status;
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    while text.ends_with('\n') {
      text.pop();
    }
    Ok(text)
  }

  /// Fields of `units` on IFS, each character marked active for globbing.
  fn split(&self, units: &Units) -> Vec<Vec<(char, bool)>> {
    let ifs = self
      .vars
      .get("IFS")
      .cloned()
      .unwrap_or_else(|| " \t\n".into());
    let mut fields = Vec::new();
    let mut cur: Vec<(char, bool)> = Vec::new();
    let mut has = false;
    for u in units {
      match *u {
        Unit::Mark => has = true,
        Unit::Break => {
          fields.push(std::mem::take(&mut cur));
          has = true;
        }
        Unit::Ch(c, Q::Exp) if ifs.contains(c) => {
          if has || !c.is_whitespace() {
            fields.push(std::mem::take(&mut cur));
          }
          has = false;
        }
        Unit::Ch(c, q) => {
          cur.push((c, q != Q::Quo));
          has = true;
        }
      }
    }
    if has {
      fields.push(cur);
    }
    fields
  }

  /// Paths of the VFS matching the pattern `f`, sorted; none when nothing
  /// matches.
  fn glob(&mut self, s: &mut OpState, f: &[(char, bool)]) -> Vec<String> {
    let absolute = f.first().map(|x| x.0) == Some('/');
    let mut comps: Vec<Vec<(char, bool)>> = vec![Vec::new()];
    for &(c, a) in f {
      if c == '/' {
        comps.push(Vec::new());
      } else if let Some(last) = comps.last_mut() {
        last.push((c, a));
      }
    }
    let mut bases: Vec<String> = vec![if absolute { "/".into() } else { String::new() }];
    let n = comps.len();
    for (idx, comp) in comps.into_iter().enumerate() {
      if comp.is_empty() {
        continue;
      }
      let magic = comp.iter().any(|(c, a)| *a && matches!(c, '*' | '?' | '['));
      if !magic {
        let lit: String = comp.iter().map(|x| x.0).collect();
        bases = bases.into_iter().map(|b| join(&b, &lit)).collect();
        continue;
      }
      let mut pat = String::new();
      for (c, a) in &comp {
        if *a && matches!(c, '*' | '?' | '[' | ']' | '!' | '^' | '-') {
          pat.push(*c);
        } else {
          push_escaped(&mut pat, *c);
        }
      }
      let Some(m) = matcher(&pat, true) else {
        return Vec::new();
      };
      let dotted = comp.first().map(|x| x.0) == Some('.');
      let mut next = Vec::new();
      for b in &bases {
        let dir = if b.is_empty() { "." } else { b.as_str() };
        let Ok(OpValue::Strings(names)) = crate::kernel::fs::readdir(s, dir, true) else {
          continue;
        };
        let last = idx + 1 == n;
        let mut hits: Vec<String> = names
          .into_iter()
          .filter(|t| last || t.starts_with('d') || t.starts_with('l'))
          .map(|t| t[1..].to_string())
          .filter(|name| (dotted || !name.starts_with('.')) && m.is_match(name))
          .collect();
        hits.sort();
        next.extend(hits.into_iter().map(|h| join(b, &h)));
        if next.len() > MAX_FIELDS {
          break;
        }
      }
      bases = next;
    }
    bases.retain(|p| matches!(crate::kernel::fs::stat(s, p, false), Ok(OpValue::Stat(_))));
    bases.sort();
    bases
  }
}

/// The text of a `$'...'` from `c[i]` into `out`: the index after its
/// closing quote.
fn ansi_c(c: &[char], mut i: usize, out: &mut Units) -> usize {
  let mut push = |ch: char| out.push(Unit::Ch(ch, Q::Quo));
  while i < c.len() && c[i] != '\'' {
    if c[i] != '\\' || i + 1 >= c.len() {
      push(c[i]);
      i += 1;
      continue;
    }
    i += 1;
    let e = c[i];
    i += 1;
    let simple = match e {
      'n' => Some('\n'),
      't' => Some('\t'),
      'r' => Some('\r'),
      'a' => Some('\u{7}'),
      'b' => Some('\u{8}'),
      'e' | 'E' => Some('\u{1b}'),
      'f' => Some('\u{c}'),
      'v' => Some('\u{b}'),
      '\\' | '\'' | '"' | '?' => Some(e),
      _ => None,
    };
    if let Some(ch) = simple {
      push(ch);
      continue;
    }
    let (radix, max) = match e {
      'x' => (16, 2),
      '0'..='7' => {
        i -= 1;
        (8, 3)
      }
      _ => {
        push('\\');
        push(e);
        continue;
      }
    };
    let mut v: u32 = 0;
    let mut n = 0;
    while n < max && i < c.len() && c[i].is_digit(radix) {
      v = v * radix + c[i].to_digit(radix).unwrap_or(0);
      i += 1;
      n += 1;
    }
    push(char::from_u32(v & 0xff).unwrap_or('?'));
  }
  i + 1
}

fn join(base: &str, name: &str) -> String {
  if base.is_empty() {
    name.to_string()
  } else if base.ends_with('/') {
    format!("{base}{name}")
  } else {
    format!("{base}/{name}")
  }
}

fn push_escaped(p: &mut String, c: char) {
  if c.is_ascii_alphanumeric() || !c.is_ascii() {
    p.push(c);
  } else {
    p.push('\\');
    p.push(c);
  }
}

/// A glob pattern's matcher (`None`: not a valid pattern). `path`: `*`
/// does not cross `/`.
pub fn matcher(pattern: &str, path: bool) -> Option<globset::GlobMatcher> {
  let pattern = pattern.replace("[!", "[^");
  globset::GlobBuilder::new(&pattern)
    .literal_separator(path)
    .backslash_escape(true)
    .empty_alternates(false)
    .build()
    .ok()
    .map(|g| g.compile_matcher())
}

/// Whether `text` matches glob `pattern` (`case`, `[[ == ]]`, `find -name`).
pub fn matches(pattern: &str, text: &str) -> bool {
  matcher(pattern, false).is_some_and(|m| m.is_match(text))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn patterns_match_as_the_shell_matches() {
    assert!(matches("*.txt", "a.txt"));
    assert!(!matches("*.txt", "a.txt.bak"));
    assert!(matches("a?c", "abc"));
    assert!(matches("[ab]x", "bx"));
    assert!(matches("[!ab]x", "cx"));
    assert!(!matches("[!ab]x", "ax"));
    assert!(matches("\\*", "*"));
    assert!(!matches("\\*", "x"));
    assert!(matches("\\{a,b\\}", "{a,b}"));
  }

  #[test]
  fn closing_brackets_skip_quotes() {
    let c: Vec<char> = "echo ')' \")\" (x))rest".chars().collect();
    assert_eq!(find_close(&c, 0, '(', ')'), Some(16));
    let d: Vec<char> = "a \\\" $(echo \"x\") b\" after".chars().collect();
    assert_eq!(find_dquote(&d, 0), 18);
  }
}
