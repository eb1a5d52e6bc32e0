//! The pass over the source that runs before oxc's parser: oxc parses by
//! recursive descent with no depth limit of its own, so a guest source of
//! 100k nested `(` (or `!`, `a=`, `if(a)`, ...) would overflow the thread's
//! stack. This pass tokenizes the source the way oxc will (strings,
//! templates, comments, regular expressions) and keeps an upper bound of the
//! stack the parser will need; a source over [`STACK_BUDGET`], or one it
//! cannot tokenize with certainty, is refused (the detector then reports no
//! names).
//!
//! It also records where the source is at bracket depth 0 ("top level" as
//! cjs-module-lexer counts it: outside every `(`, `[`, `{` and `${`).
//!
//! The costs are oxc 0.146's stack use per nesting level, measured in the ci
//! profile (the most a bracket took was 1.7 KB, an arrow 954 B, `a=` 570 B,
//! a pending binary operator about 300 B, a prefix operator 266 B) with a
//! margin; `tests::parser_stack_within_budget` checks them on a small stack.

use oxc_syntax::line_terminator::is_line_terminator;

/// Most parser stack a source may need (estimated), in bytes.
pub const STACK_BUDGET: u32 = 1 << 20;
/// A `(`, `[`, `{` or `${` level.
const BRACKET: u32 = 3072;
/// An arrow body (`=>`) or a class heritage (`extends`).
const HEAVY: u32 = 1280;
/// An assignment, a `?`, a label/case/property `:`, a `**`, `yield`, or a
/// statement nested without braces (`if (a)`, `else`, `do`, `for (;;)`,
/// `while (a)`).
const NEST: u32 = 768;
/// A prefix operator (`!`, `-`, `typeof`, `new`, `...`, ...).
const UNARY: u32 = 512;
/// A binary operator waiting for its right side (one per precedence level).
const BINARY: u32 = 512;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
  /// `(` after `if`/`while`/`for`/`with`: a statement starts after its `)`.
  Head,
  /// `(` after a word with escapes: maybe a `Head`.
  MaybeHead,
  Paren,
  Bracket,
  Brace,
  /// `${` in a template.
  Subst,
}

struct Level {
  open: Open,
  /// Estimated stack of everything outside this level.
  base: u32,
  nest: u32,
  heavy: u32,
  unary: u32,
  /// Precedences of binary operators waiting for their right side.
  binary: u16,
  /// `?` not yet matched by their `:`.
  ternary: u32,
  /// Statements nested without braces.
  stmt: u32,
}

impl Level {
  fn new(open: Open, base: u32) -> Self {
    Level {
      open,
      base,
      nest: 0,
      heavy: 0,
      unary: 0,
      binary: 0,
      ternary: 0,
      stmt: 0,
    }
  }

  fn cost(&self, root: bool) -> u32 {
    let own = if root { 0 } else { BRACKET };
    self
      .base
      .saturating_add(own)
      .saturating_add(self.nest.saturating_mul(NEST))
      .saturating_add(self.stmt.saturating_mul(NEST))
      .saturating_add(self.heavy.saturating_mul(HEAVY))
      .saturating_add(self.unary.saturating_mul(UNARY))
      .saturating_add(self.binary.count_ones() * BINARY)
  }

  /// The end of an expression (`,`, `;`, a line break that ends a statement).
  fn end_expression(&mut self) {
    self.nest = 0;
    self.heavy = 0;
    self.unary = 0;
    self.binary = 0;
    self.ternary = 0;
  }
}

/// What the previous token says about a `/` that follows it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
  /// An operand may start: `/` starts a regular expression.
  Operand,
  /// An operand ended: `/` divides.
  Operator,
  /// Only the parser knows (after `}`, or after `yield`/`await`/`let`/`of`):
  /// a `/` here, other than a comment, makes the pass give up.
  Unknown,
}

/// The result of a successful pass.
pub struct Scanned {
  /// The highest stack estimate seen (at most [`STACK_BUDGET`]), for the
  /// tests' report.
  #[cfg_attr(not(test), allow(dead_code))]
  pub peak: u32,
  /// Offsets where the depth changes between 0 and 1, ascending:
  /// an offset is at top level when an even number of them are `<=` it.
  boundaries: Vec<u32>,
}

impl Scanned {
  /// Whether `offset` (the start of a token) is outside every bracket.
  pub fn top_level(&self, offset: u32) -> bool {
    self.boundaries.partition_point(|&b| b <= offset) % 2 == 0
  }
}

/// Tokenizes `source`; `None` when the parser might need more stack than
/// [`STACK_BUDGET`] or when the source cannot be tokenized with certainty.
pub fn scan(source: &str) -> Option<Scanned> {
  if source.len() >= u32::MAX as usize {
    return None;
  }
  let mut s = Scanner {
    src: source,
    bytes: source.as_bytes(),
    pos: 0,
    levels: vec![Level::new(Open::Brace, 0)],
    prev: Prev::Operand,
    after_dot: false,
    head_keyword: false,
    escaped_head: false,
    after_for: false,
    after_semicolon: false,
    after_close_brace: false,
    depth: 0,
    started: false,
    peak: 0,
    boundaries: Vec::new(),
  };
  s.run()?;
  Some(Scanned {
    peak: s.peak,
    boundaries: s.boundaries,
  })
}

struct Scanner<'s> {
  src: &'s str,
  bytes: &'s [u8],
  pos: usize,
  /// `levels[0]` is the top level; never empty.
  levels: Vec<Level>,
  prev: Prev,
  /// The previous token was `.` or `?.`: a keyword is a property name.
  after_dot: bool,
  /// The previous token was `if`/`while`/`for`/`with` (or `for await`).
  head_keyword: bool,
  /// ... or a word with escapes.
  escaped_head: bool,
  after_for: bool,
  /// A `;` ended a statement; nested statements end too unless `else` follows.
  after_semicolon: bool,
  /// The previous token was a `}` that closed a brace level.
  after_close_brace: bool,
  /// Open `(`, `{` and `${` (the lexer's depth).
  depth: u32,
  /// A token was read.
  started: bool,
  peak: u32,
  boundaries: Vec<u32>,
}

/// What kind of token comes next, for the decision whether it ends the
/// statement before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
  /// Cannot continue an expression (a word, a literal, `{`, `!`, `~`,
  /// `++`, `--`): after an operand and a line break (or after `}`), the
  /// statement has ended.
  Fresh,
  /// `else`, `while`, `catch`, `finally`: as `Fresh`, but the statements
  /// nested without braces may go on (`if (a) do x; while (b) else ...`).
  Else,
  /// May continue the expression before it.
  Continues,
}

/// Whitespace outside ASCII as oxc's lexer skips it (NBSP, BOM, the Zs
/// category, but also U+0085 and U+200B, which are not JS whitespace).
fn is_unicode_space(c: char) -> bool {
  oxc_syntax::identifier::is_irregular_whitespace(c)
}

fn is_ascii_ident(b: u8) -> bool {
  b.is_ascii_alphanumeric() || b == b'$' || b == b'_'
}

/// Binding power of a binary operator (higher binds tighter), for the
/// pending-operator set; `**` is counted as nesting instead.
fn precedence(op: &str) -> u16 {
  match op {
    "??" => 1,
    "||" => 2,
    "&&" => 3,
    "|" => 4,
    "^" => 5,
    "&" => 6,
    "==" | "!=" | "===" | "!==" => 7,
    "<" | ">" | "<=" | ">=" | "in" | "instanceof" => 8,
    "<<" | ">>" | ">>>" => 9,
    "+" | "-" => 10,
    _ => 11, // * / %
  }
}

impl<'s> Scanner<'s> {
  fn top(&mut self) -> &mut Level {
    let last = self.levels.len() - 1;
    &mut self.levels[last]
  }

  fn cost(&self) -> u32 {
    let root = self.levels.len() == 1;
    self.levels[self.levels.len() - 1].cost(root)
  }

  fn check(&mut self) -> Option<()> {
    let cost = self.cost();
    self.peak = self.peak.max(cost);
    (cost <= STACK_BUDGET).then_some(())
  }

  fn peek(&self, n: usize) -> u8 {
    self.bytes.get(self.pos + n).copied().unwrap_or(0)
  }

  fn char_at(&self, pos: usize) -> Option<char> {
    self.src.get(pos..)?.chars().next()
  }

  fn run(&mut self) -> Option<()> {
    if self.bytes.starts_with(b"#!") {
      self.line_comment();
    }
    loop {
      let newline = self.trivia()?;
      if self.pos >= self.bytes.len() {
        // An unclosed bracket is a syntax error the parser reports; the
        // budget held up to here.
        return Some(());
      }
      self.token(newline)?;
      self.started = true;
      self.check()?;
    }
  }

  /// Skips whitespace and comments; whether a line terminator was crossed.
  fn trivia(&mut self) -> Option<bool> {
    let mut newline = false;
    while self.pos < self.bytes.len() {
      let b = self.bytes[self.pos];
      match b {
        b' ' | b'\t' | 0x0b | 0x0c => self.pos += 1,
        b'\n' | b'\r' => {
          newline = true;
          self.pos += 1;
        }
        b'/' if self.peek(1) == b'/' => self.line_comment(),
        b'/' if self.peek(1) == b'*' => {
          let end = self.src.get(self.pos + 2..)?.find("*/")?;
          let body = &self.src[self.pos + 2..self.pos + 2 + end];
          newline |= body.chars().any(is_line_terminator);
          self.pos += end + 4;
        }
        // HTML-like comments (Annex B), as oxc reads them in a script:
        // `<!--` anywhere and `-->` first on a line run to the line's end.
        b'<' if self.bytes[self.pos..].starts_with(b"<!--") => self.line_comment(),
        b'-' if self.bytes[self.pos..].starts_with(b"-->") && (newline || !self.started) => {
          if !newline {
            // First token of the source: not worth knowing what oxc does.
            return None;
          }
          self.line_comment();
        }
        0x80.. => {
          let c = self.char_at(self.pos)?;
          if is_line_terminator(c) {
            newline = true;
          } else if !is_unicode_space(c) {
            break;
          }
          self.pos += c.len_utf8();
        }
        _ => break,
      }
    }
    Some(newline)
  }

  fn line_comment(&mut self) {
    while self.pos < self.bytes.len() {
      let b = self.bytes[self.pos];
      if b == b'\n' || b == b'\r' {
        return;
      }
      if b >= 0x80 {
        match self.char_at(self.pos) {
          Some(c) if is_line_terminator(c) => return,
          Some(c) => self.pos += c.len_utf8(),
          None => self.pos += 1,
        }
      } else {
        self.pos += 1;
      }
    }
  }

  /// Reads an identifier or keyword at `pos`; whether it has `\u` escapes.
  fn word(&mut self) -> Option<(&'s str, bool)> {
    let start = self.pos;
    let mut escaped = false;
    while self.pos < self.bytes.len() {
      let b = self.bytes[self.pos];
      if is_ascii_ident(b) {
        self.pos += 1;
      } else if b >= 0x80 {
        let c = self.char_at(self.pos)?;
        if is_line_terminator(c) || is_unicode_space(c) {
          break;
        }
        self.pos += c.len_utf8();
      } else if b == b'\\' {
        // `\uXXXX` or `\u{X...}`.
        if self.peek(1) != b'u' {
          return None;
        }
        self.pos += 2;
        if self.peek(0) == b'{' {
          self.pos += 1;
          let n = self.bytes[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
          if n == 0 || self.peek(n) != b'}' {
            return None;
          }
          self.pos += n + 1;
        } else {
          if !self
            .bytes
            .get(self.pos..self.pos + 4)?
            .iter()
            .all(u8::is_ascii_hexdigit)
          {
            return None;
          }
          self.pos += 4;
        }
        escaped = true;
      } else {
        break;
      }
    }
    let src: &'s str = self.src;
    Some((src.get(start..self.pos)?, escaped))
  }

  fn classify_next(&self) -> Next {
    let b = self.bytes[self.pos];
    match b {
      // Maybe an escaped `in` to oxc.
      b'\\' => Next::Continues,
      b'a'..=b'z' | b'A'..=b'Z' | b'$' | b'_' | 0x80.. => {
        let end = self.bytes[self.pos..]
          .iter()
          .position(|&c| !is_ascii_ident(c))
          .map_or(self.bytes.len(), |n| self.pos + n);
        match &self.src[self.pos..end] {
          "in" | "instanceof" | "of" => Next::Continues,
          "else" | "while" | "catch" | "finally" => Next::Else,
          _ => Next::Fresh,
        }
      }
      b'0'..=b'9' | b'\'' | b'"' | b'{' | b'~' | b'@' | b'#' => Next::Fresh,
      b'!' if self.peek(1) != b'=' => Next::Fresh,
      b'+' if self.peek(1) == b'+' => Next::Fresh,
      b'-' if self.peek(1) == b'-' => Next::Fresh,
      b'.' if self.peek(1).is_ascii_digit() => Next::Fresh,
      _ => Next::Continues,
    }
  }

  fn token(&mut self, newline: bool) -> Option<()> {
    let next = self.classify_next();
    if self.after_semicolon && next != Next::Else {
      self.top().stmt = 0;
    }
    if next != Next::Continues
      && (self.after_close_brace || (newline && self.prev == Prev::Operator))
    {
      // The statement before ended (or the parser stops here).
      let level = self.top();
      level.end_expression();
      if next == Next::Fresh {
        level.stmt = 0;
      }
    }
    self.after_semicolon = false;
    self.after_close_brace = false;
    let head_keyword = std::mem::take(&mut self.head_keyword);
    let after_for = std::mem::take(&mut self.after_for);
    let after_dot = std::mem::take(&mut self.after_dot);
    let escaped_head = std::mem::take(&mut self.escaped_head);

    let b = self.bytes[self.pos];
    match b {
      b'\'' | b'"' => {
        self.string(b)?;
        self.prev = Prev::Operator;
      }
      b'`' => {
        self.pos += 1;
        self.template()?;
      }
      b'0'..=b'9' => self.number(),
      b'.' if self.peek(1).is_ascii_digit() => self.number(),
      b'.' if self.peek(1) == b'.' && self.peek(2) == b'.' => {
        self.pos += 3;
        self.unary();
      }
      b'.' => {
        self.pos += 1;
        self.after_dot = true;
        self.prev = Prev::Operand;
      }
      b'#' => {
        self.pos += 1;
        let (w, _) = self.word()?;
        if w.is_empty() {
          return None;
        }
        self.prev = Prev::Operator;
      }
      b'a'..=b'z' | b'A'..=b'Z' | b'$' | b'_' | b'\\' | 0x80.. => {
        let (w, escaped) = self.word()?;
        if w.is_empty() {
          return None;
        }
        if after_dot {
          self.prev = Prev::Operator;
        } else if escaped {
          // Maybe a keyword to oxc (with an error): count it as any of
          // them, and let no `/` follow it or its parentheses.
          let level = self.top();
          level.unary += 1;
          level.stmt += 1;
          self.head_keyword = true;
          self.escaped_head = true;
          self.prev = Prev::Unknown;
        } else {
          self.keyword(w, after_for);
        }
      }
      b'(' => {
        let open = match (head_keyword, escaped_head) {
          (true, true) => Open::MaybeHead,
          (true, false) => Open::Head,
          _ => Open::Paren,
        };
        self.push(open);
      }
      b'[' => self.push(Open::Bracket),
      b'{' => self.push(Open::Brace),
      b')' => {
        let open = self.pop()?;
        match open {
          Open::Head => {
            self.top().stmt += 1;
            self.prev = Prev::Operand;
          }
          Open::Paren => self.prev = Prev::Operator,
          Open::MaybeHead => {
            self.top().stmt += 1;
            self.prev = Prev::Unknown;
          }
          _ => return None,
        }
      }
      b']' => {
        (self.pop()? == Open::Bracket).then_some(())?;
        self.prev = Prev::Operator;
      }
      b'}' => match self.pop()? {
        Open::Brace => {
          self.prev = Prev::Unknown;
          self.after_close_brace = true;
        }
        Open::Subst => self.template()?,
        _ => return None,
      },
      b'/' => match self.prev {
        Prev::Operand => self.regex()?,
        Prev::Operator => {
          self.pos += 1;
          if self.peek(0) == b'=' {
            self.pos += 1;
            self.assignment();
          } else {
            self.binary("/");
          }
        }
        Prev::Unknown => return None,
      },
      b';' => {
        self.pos += 1;
        self.top().end_expression();
        self.after_semicolon = true;
        self.prev = Prev::Operand;
      }
      b',' => {
        self.pos += 1;
        self.top().end_expression();
        self.prev = Prev::Operand;
      }
      b'?' => {
        if self.peek(1) == b'.' && !self.peek(2).is_ascii_digit() {
          self.pos += 2;
          self.after_dot = true;
          self.prev = Prev::Operand;
        } else if self.peek(1) == b'?' {
          self.pos += 2;
          if self.peek(0) == b'=' {
            self.pos += 1;
            self.assignment();
          } else {
            self.binary("??");
          }
        } else {
          self.pos += 1;
          let level = self.top();
          level.nest += 1;
          level.ternary += 1;
          level.unary = 0;
          level.binary = 0;
          self.prev = Prev::Operand;
        }
      }
      b':' => {
        self.pos += 1;
        let level = self.top();
        if level.ternary > 0 {
          level.ternary -= 1;
        } else {
          level.nest += 1;
        }
        level.unary = 0;
        level.binary = 0;
        self.prev = Prev::Operand;
      }
      b'=' => {
        if self.peek(1) == b'>' {
          self.pos += 2;
          let level = self.top();
          level.heavy += 1;
          level.unary = 0;
          level.binary = 0;
          self.prev = Prev::Operand;
        } else if self.peek(1) == b'=' {
          let op = if self.peek(2) == b'=' { "===" } else { "==" };
          self.pos += op.len();
          self.binary(op);
        } else {
          self.pos += 1;
          self.assignment();
        }
      }
      b'!' => {
        if self.peek(1) == b'=' {
          let op = if self.peek(2) == b'=' { "!==" } else { "!=" };
          self.pos += op.len();
          self.binary(op);
        } else {
          self.pos += 1;
          self.unary();
        }
      }
      b'~' => {
        self.pos += 1;
        self.unary();
      }
      b'@' => {
        self.pos += 1;
        self.prev = Prev::Operand;
      }
      b'+' | b'-' => {
        if self.peek(1) == b {
          self.pos += 2;
          // Postfix (nothing nests) when it directly follows an operand on
          // the same line; otherwise prefix. After `}` (or `yield`, ...)
          // it could be either, and so could a `/` after it.
          if self.prev == Prev::Unknown {
            self.top().unary += 1;
          } else if self.prev != Prev::Operator || newline {
            self.unary();
          }
        } else if self.peek(1) == b'=' {
          self.pos += 2;
          self.assignment();
        } else {
          self.pos += 1;
          if self.prev == Prev::Operator {
            self.binary(if b == b'+' { "+" } else { "-" });
          } else {
            self.unary();
          }
        }
      }
      b'*' | b'%' | b'<' | b'>' | b'&' | b'|' | b'^' => self.operator()?,
      _ => return None,
    }
    Some(())
  }

  /// `*`, `%`, `<`, `>`, `&`, `|`, `^` and their longer forms.
  fn operator(&mut self) -> Option<()> {
    // Longest first.
    const OPS: [&str; 26] = [
      ">>>=", ">>>", "**=", "<<=", ">>=", "&&=", "||=", "**", "*=", "%=", "<<", ">>", "<=", ">=",
      "&&", "||", "&=", "|=", "^=", "*", "%", "<", ">", "&", "|", "^",
    ];
    let rest = &self.bytes[self.pos..];
    let op = *OPS.iter().find(|op| rest.starts_with(op.as_bytes()))?;
    self.pos += op.len();
    if op == "**" {
      let level = self.top();
      level.nest += 1;
      level.unary = 0;
      self.prev = Prev::Operand;
    } else if op.ends_with('=') && !matches!(op, "<=" | ">=") {
      self.assignment();
    } else {
      self.binary(op);
    }
    Some(())
  }

  fn keyword(&mut self, w: &str, after_for: bool) {
    self.prev = Prev::Operand;
    match w {
      "if" | "while" | "with" => self.head_keyword = true,
      "for" => {
        self.head_keyword = true;
        self.after_for = true;
      }
      "await" if after_for => self.head_keyword = true,
      "else" | "do" => self.top().stmt += 1,
      "typeof" | "void" | "delete" | "new" => self.unary(),
      "await" => {
        self.unary();
        self.prev = Prev::Unknown;
      }
      // An operand of `yield` is parsed as a whole assignment expression.
      "yield" => {
        self.top().nest += 1;
        self.prev = Prev::Unknown;
      }
      "let" | "of" => self.prev = Prev::Unknown,
      "in" | "instanceof" => self.binary(w),
      // `class extends class extends ... {} {}` nests with no bracket open.
      "extends" => self.top().heavy += 1,
      "return" | "throw" | "case" | "export" | "import" | "var" | "const" | "class"
      | "function" | "debugger" | "break" | "continue" | "switch" | "try" | "catch" | "finally"
      | "default" => {}
      _ => self.prev = Prev::Operator,
    }
  }

  fn unary(&mut self) {
    self.top().unary += 1;
    self.prev = Prev::Operand;
  }

  fn binary(&mut self, op: &str) {
    let p = precedence(op);
    let level = self.top();
    level.binary &= (1u16 << p) - 1;
    level.binary |= 1 << p;
    level.unary = 0;
    self.prev = Prev::Operand;
  }

  fn assignment(&mut self) {
    let level = self.top();
    level.nest += 1;
    level.unary = 0;
    level.binary = 0;
    self.prev = Prev::Operand;
  }

  fn push(&mut self, open: Open) {
    self.pos += 1;
    let base = self.cost();
    if open != Open::Bracket {
      if self.depth == 0 {
        self.boundaries.push((self.pos - 1) as u32);
      }
      self.depth += 1;
    }
    self.levels.push(Level::new(open, base));
    self.prev = Prev::Operand;
  }

  fn pop(&mut self) -> Option<Open> {
    if self.levels.len() == 1 {
      return None;
    }
    self.pos += 1;
    let open = self.levels.pop()?.open;
    if open != Open::Bracket {
      self.depth -= 1;
      if self.depth == 0 {
        self.boundaries.push(self.pos as u32);
      }
    }
    Some(open)
  }

  fn number(&mut self) {
    while self.pos < self.bytes.len()
      && (is_ascii_ident(self.bytes[self.pos]) || self.bytes[self.pos] == b'.')
    {
      self.pos += 1;
    }
    self.prev = Prev::Operator;
  }

  fn string(&mut self, quote: u8) -> Option<()> {
    self.pos += 1;
    loop {
      let b = *self.bytes.get(self.pos)?;
      match b {
        b'\\' => {
          self.pos += 1;
          if self.bytes[self.pos..].starts_with(b"\r\n") {
            self.pos += 2;
          } else {
            self.pos += self.char_at(self.pos)?.len_utf8();
          }
        }
        b'\n' | b'\r' => return None,
        _ if b == quote => {
          self.pos += 1;
          return Some(());
        }
        _ => self.pos += 1,
      }
    }
  }

  /// Template text after `` ` `` or after the `}` of a `${`.
  fn template(&mut self) -> Option<()> {
    loop {
      let b = *self.bytes.get(self.pos)?;
      match b {
        b'\\' => {
          self.pos += 1;
          self.pos += self.char_at(self.pos)?.len_utf8();
        }
        b'`' => {
          self.pos += 1;
          self.prev = Prev::Operator;
          return Some(());
        }
        b'$' if self.peek(1) == b'{' => {
          self.pos += 1;
          self.push(Open::Subst);
          return Some(());
        }
        _ => self.pos += 1,
      }
    }
  }

  fn regex(&mut self) -> Option<()> {
    self.pos += 1;
    let mut class = false;
    loop {
      let b = *self.bytes.get(self.pos)?;
      match b {
        b'\\' => {
          self.pos += 1;
          let c = self.char_at(self.pos)?;
          if is_line_terminator(c) {
            return None;
          }
          self.pos += c.len_utf8();
        }
        b'[' => {
          class = true;
          self.pos += 1;
        }
        b']' => {
          class = false;
          self.pos += 1;
        }
        b'/' if !class => {
          self.pos += 1;
          break;
        }
        b'\n' | b'\r' => return None,
        0x80.. => {
          let c = self.char_at(self.pos)?;
          if is_line_terminator(c) {
            return None;
          }
          self.pos += c.len_utf8();
        }
        _ => self.pos += 1,
      }
    }
    // Flags.
    self.word()?;
    self.prev = Prev::Operator;
    Some(())
  }
}
