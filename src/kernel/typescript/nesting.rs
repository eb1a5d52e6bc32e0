//! A bound on how deep oxc will recurse on a source, checked before oxc
//! sees it. oxc's parser, semantic pass, transformer and printer all recurse
//! on the nesting of the code, with no limit of their own: 100,000 nested
//! brackets would overflow any stack and abort the sidecar.
//!
//! The check scans the source once, as a lexer would, and bounds the
//! recursion two ways: brackets (`( [ {`, `${`, template literals, JSX
//! elements) open frames, at most [`MAX_DEPTH`] at once; and within each
//! open frame, the tokens since the last point where every construct of the
//! frame is known to have ended (a `;` or, outside type arguments, a `,`)
//! count as units, at most [`MAX_UNITS`] along the whole open path. Every
//! level of recursion consumes a token first, so these bound it whatever
//! the tokens mean.
//!
//! Some tokens lex differently by context the scan cannot see (a `/` after
//! `}` may start a regular expression or divide; a `<` in a .tsx file may
//! start a JSX element or type parameters). There the scan follows every
//! reading (a bounded set of scan states, merged when they meet), so the
//! bound holds for the one oxc takes. A reading that reaches what oxc stops
//! at (a closing bracket that matches nothing, an unterminated string or
//! regular expression) ends there.

/// Frames open at once (V8 itself gives up at about 1,000 to 3,000 nested
/// brackets on Node's main thread).
pub const MAX_DEPTH: usize = 1000;
/// Units along the open path (see the module's comment). The most seen in
/// 80 MB of real code (TypeScript's own compiler among it) is about 1,500.
pub const MAX_UNITS: u32 = 20_000;
/// What one frame and one unit cost oxc's passes in stack at most, with a
/// margin over what the unit tests measure for each kind of nesting (about
/// 2.1 KB per frame, 0.6 KB per unit, in the ci profile).
pub const FRAME_STACK_BYTES: usize = 2560;
pub const UNIT_STACK_BYTES: usize = 1024;
/// Readings followed at once.
const MAX_STATES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
  Top,
  /// `(`; `header`: of `if`/`while`/`for`/`with`, after which a statement
  /// (so a regular expression) may follow.
  Paren {
    header: bool,
  },
  Bracket,
  Brace,
  /// `${` of a template literal.
  Subst,
  /// The text of a template literal.
  Template,
  /// A JSX tag (`<a b="c"` up to `>` or `/>`), or a closing tag.
  JsxTag {
    closing: bool,
  },
  /// Type arguments of a JSX tag (`<A<T> ...`); `depth` counts open `<`.
  JsxTypeArgs {
    depth: u32,
  },
  /// Type parameters where a .tsx file's `<` is not JSX (`<T,>(x) => x`,
  /// `let f: <T>(x: T) => T`): a `(` must follow them.
  TypeParams {
    depth: u32,
    /// At depth 1: 0 wants a name, 1 follows a name (`,`, `>`, `extends`,
    /// `=` may come), 2 is in a constraint or default.
    expect: u8,
  },
  /// A JSX element's children.
  JsxChildren,
  /// `{...}` in JSX.
  JsxExpr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Frame {
  kind: Kind,
  /// Statement heads (`if`, `else`, loops, labels) since the last `;`.
  heads: u32,
  /// Other tokens since the last `;` or `,`.
  expr: u32,
  /// `expr` when each `<` not yet closed was seen: a `,` inside type
  /// arguments resets `expr` only to where their list began.
  angles: Vec<u32>,
}

impl Frame {
  fn new(kind: Kind) -> Frame {
    Frame {
      kind,
      heads: 0,
      expr: 0,
      angles: Vec::new(),
    }
  }

  fn units(&self) -> u32 {
    self.heads + self.expr
  }
}

/// Whether the last token may have ended the frame's statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
  None,
  /// A `;`: it did, unless `else` or `while` (of a `do`) follows.
  Semicolon,
  /// A block's `}`: it did if a name follows, which cannot continue an
  /// expression, unless the name continues the statement.
  Block,
  /// It did: the frame's counts start again at the next token.
  Reset,
}

/// What the last token says about a following `/` or `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
  /// An operand ended: `/` divides, `<` compares or opens type arguments.
  Value,
  /// A literal ended: `/` divides, `<` compares.
  Literal,
  /// An operand may start: `/` starts a regular expression, `<` (in .tsx)
  /// a JSX element or type parameters.
  Operator,
  /// Either.
  Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
  pos: usize,
  frames: Vec<Frame>,
  prev: Prev,
  /// The last token was an identifier, string, number or `]` that itself
  /// followed `{` or `,` (a property key, when a `:` comes next).
  key: bool,
  /// The last token was `{` or `,`.
  list_start: bool,
  /// The last token was `if`, `while`, `for` or `with` (or `await` after
  /// `for`): the next `(` is a header.
  header_next: bool,
  /// The frame's statement may have ended: its counts start again at the
  /// next token, as `Pending` says.
  pending: Pending,
  /// A line break since the last token.
  newline: bool,
  /// Type parameters ended: only a `(` may follow.
  expect_paren: bool,
  /// The last token was `.`, `?.` or `#`: a name follows, whatever word
  /// it is (`a.if`, `this.#return`).
  member: bool,
  units: u32,
  max_depth: usize,
  max_units: u32,
}

/// Checks that oxc's recursion on `source` stays within the bounds above.
/// `tsx`: the file may hold JSX; `module`: it is parsed as an ES module
/// (strict: no HTML-like comments).
pub fn check(source: &str, tsx: bool, module: bool) -> Result<(), String> {
  check_within(source, tsx, module, MAX_DEPTH, MAX_UNITS)
}

/// The most the scan saw at once.
#[derive(Debug, Default, Clone, Copy)]
pub struct Peak {
  pub depth: usize,
  pub units: u32,
  pub states: usize,
}

/// [`check`] with other bounds (the tests use small ones).
pub fn check_within(
  source: &str,
  tsx: bool,
  module: bool,
  max_depth: usize,
  max_units: u32,
) -> Result<(), String> {
  scan(
    source,
    tsx,
    module,
    max_depth,
    max_units,
    &mut Peak::default(),
  )
}

/// The scan, noting its peaks in `peak`.
pub fn scan(
  source: &str,
  tsx: bool,
  module: bool,
  max_depth: usize,
  max_units: u32,
  peak: &mut Peak,
) -> Result<(), String> {
  let scan = Scan {
    src: source.as_bytes(),
    tsx,
    module,
  };
  let mut states = vec![State {
    pos: 0,
    frames: vec![Frame::new(Kind::Top)],
    prev: Prev::Operator,
    key: false,
    list_start: true,
    header_next: false,
    pending: Pending::None,
    // As oxc's first token: not on a new line.
    newline: false,
    expect_paren: false,
    member: false,
    units: 0,
    max_depth,
    max_units,
  }];
  // A hashbang line is a comment.
  if source.starts_with("#!") {
    states[0].pos = line_end(scan.src, 0);
  }
  let mut next = Vec::with_capacity(2);
  while let Some(i) = (0..states.len()).min_by_key(|&i| states[i].pos) {
    let state = states.swap_remove(i);
    scan.step(state, &mut next)?;
    for s in next.drain(..) {
      peak.depth = peak.depth.max(s.frames.len() - 1);
      peak.units = peak.units.max(s.units);
      if let Some(same) = states
        .iter_mut()
        .find(|o| o.pos == s.pos && o.same_shape(&s))
      {
        same.absorb(&s);
      } else {
        states.push(s);
      }
    }
    peak.states = peak.states.max(states.len());
    if states.len() > MAX_STATES {
      return Err("the TypeScript source is too ambiguous to check for deep nesting".into());
    }
  }
  Ok(())
}

impl State {
  fn top(&mut self) -> &mut Frame {
    let n = self.frames.len();
    &mut self.frames[n - 1]
  }

  fn kind(&self) -> Kind {
    self.frames[self.frames.len() - 1].kind
  }

  /// Equal but for the counts.
  fn same_shape(&self, o: &State) -> bool {
    self.prev == o.prev
      && self.key == o.key
      && self.list_start == o.list_start
      && self.header_next == o.header_next
      && self.pending == o.pending
      && self.newline == o.newline
      && self.expect_paren == o.expect_paren
      && self.member == o.member
      && self.frames.len() == o.frames.len()
      && self
        .frames
        .iter()
        .zip(&o.frames)
        .all(|(a, b)| a.kind == b.kind && a.angles.len() == b.angles.len())
  }

  /// Takes the larger count of each: whatever follows, the merged state
  /// counts at least what either would.
  fn absorb(&mut self, o: &State) {
    for (a, b) in self.frames.iter_mut().zip(&o.frames) {
      a.heads = a.heads.max(b.heads);
      a.expr = a.expr.max(b.expr);
      for (x, y) in a.angles.iter_mut().zip(&b.angles) {
        *x = (*x).max(*y);
      }
    }
    self.units = self.frames.iter().map(Frame::units).sum();
  }

  fn push(&mut self, kind: Kind) -> Result<(), String> {
    if self.frames.len() > self.max_depth {
      return Err(format!(
        "the TypeScript source nests deeper than {} levels",
        self.max_depth
      ));
    }
    self.frames.push(Frame::new(kind));
    Ok(())
  }

  fn pop(&mut self) {
    if let Some(f) = self.frames.pop() {
      self.units -= f.units();
    }
    // A `;` inside the frame ended one of its statements, not the parent's.
    self.pending = Pending::None;
  }

  /// One token of the top frame (`head`: a statement head).
  fn count(&mut self, head: bool) -> Result<(), String> {
    if self.pending == Pending::Reset {
      self.pending = Pending::None;
      let f = self.top();
      let (h, e) = (f.heads, f.expr);
      f.heads = 0;
      f.expr = 0;
      f.angles.clear();
      self.units -= h + e;
    }
    let f = self.top();
    if head {
      f.heads += 1;
    } else {
      f.expr += 1;
    }
    self.units += 1;
    if self.units > self.max_units {
      return Err(format!(
        "the TypeScript source nests deeper than {} tokens",
        self.max_units
      ));
    }
    Ok(())
  }

  /// A `,` of the top frame: its expression ended (unless inside type
  /// arguments, whose list goes on).
  fn comma(&mut self) {
    let f = self.top();
    let to = f.angles.last().map_or(0, |a| a + 1);
    if f.expr > to {
      let d = f.expr - to;
      f.expr = to;
      self.units -= d;
    }
  }

  fn after(&mut self, prev: Prev) {
    self.prev = prev;
    self.key = false;
    self.list_start = false;
    self.header_next = false;
    self.newline = false;
    self.member = false;
  }
}

struct Scan<'a> {
  src: &'a [u8],
  tsx: bool,
  module: bool,
}

fn is_line_break(src: &[u8], i: usize) -> bool {
  match src[i] {
    b'\n' | b'\r' => true,
    // U+2028, U+2029
    0xe2 => src.get(i + 1) == Some(&0x80) && matches!(src.get(i + 2), Some(0xa8 | 0xa9)),
    _ => false,
  }
}

fn line_end(src: &[u8], mut i: usize) -> usize {
  while i < src.len() && !is_line_break(src, i) {
    i += 1;
  }
  i
}

fn is_ident_byte(b: u8) -> bool {
  b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'\\' || b >= 0x80
}

/// JS whitespace beyond ASCII (NBSP, BOM, Unicode spaces), by UTF-8 prefix.
fn unicode_space(src: &[u8], i: usize) -> usize {
  let c = match std::str::from_utf8(&src[i..(i + 4).min(src.len())]) {
    Ok(s) => s.chars().next(),
    Err(e) => std::str::from_utf8(&src[i..i + e.valid_up_to()])
      .ok()
      .and_then(|s| s.chars().next()),
  };
  match c {
    Some(
      c @ ('\u{a0}'
      | '\u{feff}'
      | '\u{1680}'
      | '\u{2000}'..='\u{200a}'
      | '\u{202f}'
      | '\u{205f}'
      | '\u{3000}'),
    ) => c.len_utf8(),
    _ => 0,
  }
}

/// Keywords after which an operand (a regular expression, a JSX element)
/// may start.
const OPERAND_KEYWORDS: &[&str] = &[
  "return",
  "typeof",
  "instanceof",
  "in",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "default",
  "extends",
];
/// Words that are keywords or names by context: either may follow.
/// Names that may continue a statement or expression after a block's `}`.
const CONTINUES_AFTER_BLOCK: &[&str] = &[
  "else",
  "while",
  "catch",
  "finally",
  "in",
  "instanceof",
  "as",
  "satisfies",
  "of",
  "extends",
  "implements",
  "from",
  "is",
  "with",
  "assert",
  "keyof",
  "infer",
];
const CONTEXTUAL: &[&str] = &[
  "of",
  "yield",
  "await",
  "as",
  "satisfies",
  "is",
  "keyof",
  "infer",
  "asserts",
  "readonly",
  "unique",
];

impl Scan<'_> {
  /// Annex B's `<!--` (anywhere but mid-line in a module) and `-->` (at a
  /// line's start, outside modules) comments, as oxc reads them.
  fn html_comment(&self, src: &[u8], i: usize, newline: bool) -> bool {
    (src[i..].starts_with(b"<!--") && (newline || !self.module))
      || (src[i..].starts_with(b"-->") && newline && !self.module)
  }

  /// Advances `s` by one token (or one piece of template or JSX text),
  /// pushing what it becomes onto `out`: nothing at the end of the source
  /// or of a reading, two states where the token reads two ways.
  fn step(&self, mut s: State, out: &mut Vec<State>) -> Result<(), String> {
    match s.kind() {
      Kind::Template => return self.template(s, out),
      Kind::JsxChildren => return self.jsx_text(s, out),
      Kind::JsxTag { closing } => return self.jsx_tag(s, closing, out),
      _ => {}
    }
    let src = self.src;
    // Trivia.
    loop {
      let i = s.pos;
      if i >= src.len() {
        return Ok(());
      }
      let b = src[i];
      if is_line_break(src, i) {
        s.newline = true;
        s.pos += if b == 0xe2 { 3 } else { 1 };
      } else if b == b' ' || b == b'\t' || b == 0x0b || b == 0x0c {
        s.pos += 1;
      } else if b >= 0x80 && unicode_space(src, i) > 0 {
        s.pos += unicode_space(src, i);
      } else if src[i..].starts_with(b"//") {
        s.pos = line_end(src, i);
      } else if src[i..].starts_with(b"/*") {
        match find(src, i + 2, b"*/") {
          Some(end) => {
            if src[i..end]
              .iter()
              .enumerate()
              .any(|(k, _)| is_line_break(src, i + k))
            {
              s.newline = true;
            }
            s.pos = end + 2;
          }
          None => return Ok(()),
        }
      } else if self.html_comment(src, i, s.newline) {
        s.pos = line_end(src, i);
      } else {
        break;
      }
    }
    let i = s.pos;
    let b = src[i];
    // A statement's end is known at the next token.
    if matches!(s.pending, Pending::Semicolon | Pending::Block) {
      s.pending = match (s.pending, word_at(src, i)) {
        (Pending::Semicolon, Some("else" | "while")) => Pending::None,
        (Pending::Semicolon, _) => Pending::Reset,
        (Pending::Block, Some(w)) if !CONTINUES_AFTER_BLOCK.contains(&w) => Pending::Reset,
        (Pending::Block, _) => Pending::None,
        (p, _) => p,
      };
    }
    if s.expect_paren {
      if b != b'(' {
        // Not type parameters after all.
        return Ok(());
      }
      s.expect_paren = false;
    }
    if let Kind::TypeParams { depth: 1, expect } = s.kind() {
      let eq = b == b'=' && !src[i..].starts_with(b"==") && !src[i..].starts_with(b"=>");
      let expect = match (expect, b, word_at(src, i)) {
        (_, b'>', _) => expect,
        (0, _, Some("const" | "in" | "out")) => 0,
        (0, _, Some(_)) => 1,
        (1 | 2, b',', _) => 0,
        (1, _, Some("extends")) => 2,
        (1, b'=', _) if eq => 2,
        (2, _, _) => 2,
        // Not a type parameter list: oxc does not read it as one.
        _ => return Ok(()),
      };
      s.top().kind = Kind::TypeParams { depth: 1, expect };
    }
    if let Kind::JsxTypeArgs { depth } | Kind::TypeParams { depth, .. } = s.kind() {
      if b == b'<' || b == b'>' {
        let params = matches!(s.kind(), Kind::TypeParams { .. });
        s.count(false)?;
        s.pos = i + 1;
        let depth = if b == b'<' { depth + 1 } else { depth - 1 };
        if depth == 0 {
          // Back to the tag's attributes, or on to the parameters.
          s.pop();
          s.expect_paren = params;
        } else if params {
          s.top().kind = Kind::TypeParams { depth, expect: 2 };
        } else {
          s.top().kind = Kind::JsxTypeArgs { depth };
        }
        s.after(Prev::Operator);
        out.push(s);
        return Ok(());
      }
    }
    match b {
      b'\'' | b'"' => {
        let mut j = i + 1;
        loop {
          // U+2028 and U+2029 may sit in a string; CR and LF may not.
          if j >= src.len() || src[j] == b'\n' || src[j] == b'\r' {
            // Unterminated: oxc stops here.
            return Ok(());
          }
          if src[j] == b'\\' {
            j += if src[j + 1..].starts_with(b"\r\n") {
              3
            } else {
              2
            };
            continue;
          }
          if src[j] == b {
            break;
          }
          j += 1;
        }
        s.count(false)?;
        let key = s.list_start;
        s.pos = j + 1;
        s.after(Prev::Literal);
        s.key = key;
      }
      b'`' => {
        s.count(false)?;
        s.pos = i + 1;
        s.push(Kind::Template)?;
      }
      b'0'..=b'9' => {
        s.count(false)?;
        let key = s.list_start;
        s.pos = number_end(src, i);
        s.after(Prev::Literal);
        s.key = key;
      }
      b'.' if src.get(i + 1).is_some_and(u8::is_ascii_digit) => {
        s.count(false)?;
        s.pos = number_end(src, i);
        s.after(Prev::Literal);
      }
      b'#' | b'@' => {
        s.count(false)?;
        s.pos = i + 1;
        s.after(Prev::Operator);
        s.member = b == b'#';
      }
      _ if is_ident_byte(b) => return self.word(s, out),
      b'(' | b'[' | b'{' => {
        s.count(false)?;
        let header = s.header_next;
        s.pos = i + 1;
        s.push(match b {
          b'(' => Kind::Paren { header },
          b'[' => Kind::Bracket,
          _ => Kind::Brace,
        })?;
        s.after(Prev::Operator);
        s.list_start = b != b'[';
      }
      b')' | b']' | b'}' => {
        let prev = match (b, s.kind()) {
          (b')', Kind::Paren { header }) => {
            if header {
              Prev::Operator
            } else {
              Prev::Value
            }
          }
          (b']', Kind::Bracket) => Prev::Value,
          (b'}', Kind::Brace) => Prev::Unknown,
          (b'}', Kind::Subst) => {
            // Back into the template's text.
            s.pop();
            s.pos = i + 1;
            out.push(s);
            return Ok(());
          }
          (b'}', Kind::JsxExpr) => {
            s.pop();
            s.pos = i + 1;
            s.after(Prev::Value);
            out.push(s);
            return Ok(());
          }
          // Matches nothing: oxc stops here.
          _ => return Ok(()),
        };
        s.pop();
        s.pos = i + 1;
        let key = b == b']';
        s.after(prev);
        s.key = key;
        if b == b'}' && matches!(s.kind(), Kind::Top | Kind::Brace) {
          s.pending = Pending::Block;
        }
      }
      b';' => {
        s.count(false)?;
        s.pos = i + 1;
        s.after(Prev::Operator);
        s.pending = Pending::Semicolon;
      }
      b',' => {
        s.count(false)?;
        s.comma();
        s.pos = i + 1;
        s.after(Prev::Operator);
        s.list_start = true;
      }
      b':' if !src[i..].starts_with(b"::") => {
        // A label (or a conditional's or a type's colon) nests; a
        // property key's colon does not.
        let label = !s.key && matches!(s.kind(), Kind::Top | Kind::Brace);
        s.count(label)?;
        s.pos = i + 1;
        s.after(Prev::Operator);
      }
      b'/' => {
        // After an operand a `/` divides, unless a line break came first:
        // the operand may have ended its statement (`let x` or a type at a
        // line's end), and a regular expression start the next.
        return match (s.prev, s.newline) {
          (Prev::Value | Prev::Literal, false) => self.punctuator(s, out),
          (Prev::Operator, _) => {
            self.regex(s, out);
            Ok(())
          }
          _ => {
            self.regex(s.clone(), out);
            self.punctuator(s, out)
          }
        };
      }
      b'<'
        if self.tsx
          && (matches!(s.prev, Prev::Operator | Prev::Unknown) || s.newline)
          && !src[i..].starts_with(b"<<")
          && !src[i..].starts_with(b"<=")
          && !matches!(s.kind(), Kind::JsxTypeArgs { .. } | Kind::TypeParams { .. }) =>
      {
        // A JSX element, or type parameters, or (when the previous token
        // was not what it seemed) an operator.
        let mut jsx = s.clone();
        jsx.count(false)?;
        jsx.pos = i + 1;
        jsx.push(Kind::JsxTag { closing: false })?;
        out.push(jsx);
        if self.starts_name(i + 1) {
          let mut params = s.clone();
          params.count(false)?;
          params.pos = i + 1;
          params.push(Kind::TypeParams {
            depth: 1,
            expect: 0,
          })?;
          params.after(Prev::Operator);
          out.push(params);
        }
        if s.prev != Prev::Operator {
          return self.punctuator(s, out);
        }
        return Ok(());
      }
      _ => return self.punctuator(s, out),
    }
    out.push(s);
    Ok(())
  }

  /// An identifier or keyword at `s.pos`.
  fn word(&self, mut s: State, out: &mut Vec<State>) -> Result<(), String> {
    let src = self.src;
    let i = s.pos;
    let mut j = i;
    while j < src.len() && is_ident_byte(src[j]) {
      // Not whitespace, not a line break: part of a name.
      if src[j] >= 0x80 && (unicode_space(src, j) > 0 || is_line_break(src, j)) {
        break;
      }
      j += 1;
    }
    let text = std::str::from_utf8(&src[i..j]).unwrap_or("\\");
    // After `.` or `#` any word is a name.
    let text = if s.member { "name" } else { text };
    let head = matches!(text, "if" | "else" | "for" | "while" | "do" | "with");
    s.count(head)?;
    let header =
      matches!(text, "if" | "for" | "while" | "with") || (text == "await" && s.header_next);
    let key = s.list_start;
    let prev = if text.contains('\\') || text.bytes().any(|b| b >= 0x80) {
      // Escaped or non-ASCII: what it is, the scan does not decide.
      Prev::Unknown
    } else if OPERAND_KEYWORDS.contains(&text) || head {
      Prev::Operator
    } else if CONTEXTUAL.contains(&text) {
      Prev::Unknown
    } else {
      // Names and `this`, `super`, `null`, `true`, `false`.
      Prev::Value
    };
    s.pos = j;
    s.after(prev);
    s.key = key;
    s.header_next = header;
    out.push(s);
    Ok(())
  }

  /// A punctuator other than brackets, `;`, `,` and `:`.
  fn punctuator(&self, mut s: State, out: &mut Vec<State>) -> Result<(), String> {
    let src = self.src;
    let i = s.pos;
    let rest = &src[i..];
    const LONGEST_FIRST: &[&[u8]] = &[
      b">>>=", b"...", b"===", b"!==", b"**=", b"<<=", b">>=", b">>>", b"&&=", b"||=", b"??=",
      b"=>", b"==", b"!=", b"<=", b">=", b"&&", b"||", b"??", b"?.", b"++", b"--", b"+=", b"-=",
      b"*=", b"/=", b"%=", b"&=", b"|=", b"^=", b"**", b"<<", b">>",
    ];
    let len = LONGEST_FIRST
      .iter()
      .find(|p| rest.starts_with(p))
      .map_or(1, |p| p.len());
    // `?.5` is `?` then `.5`.
    let len = if rest.starts_with(b"?.") && rest.get(2).is_some_and(u8::is_ascii_digit) {
      1
    } else {
      len
    };
    let tok = &rest[..len];
    s.count(false)?;
    let member = tok == b"." || tok == b"?.";
    let prev = match tok {
      // `++`/`--` after or before an operand; `!` a prefix or TypeScript's
      // postfix non-null assertion.
      b"++" | b"--" | b"!" => Prev::Unknown,
      b">" | b">>" | b">>>" => {
        // Closes type arguments, or compares.
        let f = s.top();
        for _ in 0..len {
          f.angles.pop();
        }
        Prev::Unknown
      }
      b"<" | b"<<" | b"<=" | b"<<=" => {
        // Type arguments never follow a literal.
        let opens = match (s.prev, tok.starts_with(b"<<")) {
          (Prev::Literal, _) => 0,
          (_, true) => 2,
          _ => 1,
        };
        let f = s.top();
        for _ in 0..opens {
          let at = f.expr;
          f.angles.push(at);
        }
        Prev::Operator
      }
      _ => Prev::Operator,
    };
    s.pos = i + len;
    s.after(prev);
    s.member = member;
    out.push(s);
    Ok(())
  }

  /// A regular expression literal at `s.pos` (its `/`); a reading where
  /// it does not end on its line ends.
  fn regex(&self, mut s: State, out: &mut Vec<State>) {
    let src = self.src;
    let mut j = s.pos + 1;
    let mut class = false;
    loop {
      if j >= src.len() || is_line_break(src, j) {
        return;
      }
      match src[j] {
        b'\\' => {
          j += 1;
          if j >= src.len() || is_line_break(src, j) {
            return;
          }
        }
        b'[' => class = true,
        b']' => class = false,
        b'/' if !class => break,
        _ => {}
      }
      j += 1;
    }
    j += 1;
    while j < src.len() && is_ident_byte(src[j]) && src[j] < 0x80 {
      j += 1;
    }
    if s.count(false).is_err() {
      // Over the bound either way: the other reading reports it.
      return;
    }
    s.pos = j;
    s.after(Prev::Literal);
    out.push(s);
  }

  /// Template text up to `${` or the closing backquote.
  fn template(&self, mut s: State, out: &mut Vec<State>) -> Result<(), String> {
    let src = self.src;
    let mut j = s.pos;
    loop {
      if j >= src.len() {
        return Ok(());
      }
      match src[j] {
        b'\\' => j += 2,
        b'`' => {
          s.pop();
          s.pos = j + 1;
          s.after(Prev::Literal);
          out.push(s);
          return Ok(());
        }
        b'$' if src.get(j + 1) == Some(&b'{') => {
          s.pos = j + 2;
          s.push(Kind::Subst)?;
          s.after(Prev::Operator);
          out.push(s);
          return Ok(());
        }
        _ => j += 1,
      }
    }
  }

  /// Where the next token starts, from `i`: past whitespace and comments
  /// (the end of the source if an unterminated comment runs to it).
  fn skip_trivia(&self, mut i: usize) -> usize {
    let src = self.src;
    loop {
      if i >= src.len() {
        return src.len();
      }
      if src[i].is_ascii_whitespace() {
        i += 1;
      } else if src[i] >= 0x80 && unicode_space(src, i) > 0 {
        i += unicode_space(src, i);
      } else if is_line_break(src, i) {
        i += 3;
      } else if src[i..].starts_with(b"//") {
        i = line_end(src, i);
      } else if src[i..].starts_with(b"/*") {
        match find(src, i + 2, b"*/") {
          Some(end) => i = end + 2,
          None => return src.len(),
        }
      } else {
        return i;
      }
    }
  }

  /// Whether a name starts at `i`, after whitespace and comments.
  fn starts_name(&self, i: usize) -> bool {
    let i = self.skip_trivia(i);
    i < self.src.len() && !self.src[i].is_ascii_digit() && is_ident_byte(self.src[i])
  }

  /// A JSX element's children: text up to `{` or `<`.
  fn jsx_text(&self, mut s: State, out: &mut Vec<State>) -> Result<(), String> {
    let src = self.src;
    let mut j = s.pos;
    while j < src.len() && !matches!(src[j], b'{' | b'<' | b'}' | b'>') {
      j += 1;
    }
    // oxc ends at `}` or `>` in JSX text, as at the end.
    if j >= src.len() || matches!(src[j], b'}' | b'>') {
      return Ok(());
    }
    s.count(false)?;
    if src[j] == b'{' {
      s.pos = j + 1;
      s.push(Kind::JsxExpr)?;
      s.after(Prev::Operator);
    } else {
      let mut k = j + 1;
      while k < src.len() && src[k].is_ascii_whitespace() {
        k += 1;
      }
      let closing = src.get(k) == Some(&b'/');
      s.pos = if closing { k + 1 } else { j + 1 };
      s.push(Kind::JsxTag { closing })?;
    }
    out.push(s);
    Ok(())
  }

  /// Inside a JSX tag: names, `=`, strings, `{...}`, up to `>` or `/>`.
  fn jsx_tag(&self, mut s: State, closing: bool, out: &mut Vec<State>) -> Result<(), String> {
    let src = self.src;
    // Trivia (JS comments may sit between attributes).
    loop {
      let i = s.pos;
      if i >= src.len() {
        return Ok(());
      }
      if src[i].is_ascii_whitespace() || (src[i] >= 0x80 && unicode_space(src, i) > 0) {
        s.pos += if src[i] >= 0x80 {
          unicode_space(src, i)
        } else {
          1
        };
      } else if src[i] >= 0x80 && is_line_break(src, i) {
        s.pos += 3;
      } else if src[i..].starts_with(b"//") {
        s.pos = line_end(src, i);
      } else if src[i..].starts_with(b"/*") {
        match find(src, i + 2, b"*/") {
          Some(end) => s.pos = end + 2,
          None => return Ok(()),
        }
      } else {
        break;
      }
    }
    let i = s.pos;
    let b = src[i];
    s.count(false)?;
    match b {
      b'>' => {
        s.pos = i + 1;
        if closing {
          // The element ends: its tag, then its children's frame.
          s.pop();
          if s.kind() == Kind::JsxChildren {
            s.pop();
          }
          s.after(Prev::Value);
        } else {
          s.top().kind = Kind::JsxChildren;
        }
      }
      b'/'
        if !closing
          && self.skip_trivia(i + 1) < src.len()
          && src[self.skip_trivia(i + 1)] == b'>' =>
      {
        s.pos = self.skip_trivia(i + 1) + 1;
        s.pop();
        s.after(Prev::Value);
      }
      b'"' | b'\'' => match src[i + 1..].iter().position(|&c| c == b) {
        Some(k) => s.pos = i + 1 + k + 1,
        None => return Ok(()),
      },
      b'=' => s.pos = i + 1,
      b'{' => {
        s.pos = i + 1;
        s.push(Kind::JsxExpr)?;
        s.after(Prev::Operator);
      }
      b'<' if !closing => {
        // Type arguments of the tag: code, up to the matching `>`.
        s.pos = i + 1;
        s.push(Kind::JsxTypeArgs { depth: 1 })?;
        s.after(Prev::Operator);
      }
      _ if is_ident_byte(b) || b == b'-' || b == b':' || b == b'.' => {
        let mut j = i;
        while j < src.len() && (is_ident_byte(src[j]) || matches!(src[j], b'-' | b':' | b'.')) {
          if src[j] >= 0x80 && (unicode_space(src, j) > 0 || is_line_break(src, j)) {
            break;
          }
          j += 1;
        }
        s.pos = j;
      }
      // Anything else is not JSX: oxc stops here.
      _ => return Ok(()),
    }
    out.push(s);
    Ok(())
  }
}

fn find(src: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
  src
    .get(from..)?
    .windows(needle.len())
    .position(|w| w == needle)
    .map(|p| from + p)
}

/// The name starting at `i` (None for anything else, or a name with
/// escapes, which may spell a keyword).
fn word_at(src: &[u8], i: usize) -> Option<&str> {
  if i >= src.len() || src[i].is_ascii_digit() || !is_ident_byte(src[i]) {
    return None;
  }
  let mut j = i;
  while j < src.len() && is_ident_byte(src[j]) {
    if src[j] == b'\\' {
      return None;
    }
    if src[j] >= 0x80 && (unicode_space(src, j) > 0 || is_line_break(src, j)) {
      break;
    }
    j += 1;
  }
  std::str::from_utf8(&src[i..j]).ok()
}

fn number_end(src: &[u8], i: usize) -> usize {
  let radix = src[i] == b'0'
    && matches!(
      src.get(i + 1),
      Some(b'x' | b'X' | b'b' | b'B' | b'o' | b'O')
    );
  let mut j = i;
  while j < src.len() {
    let c = src[j];
    let exponent_sign = (c == b'+' || c == b'-') && !radix && matches!(src[j - 1], b'e' | b'E');
    if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign) {
      break;
    }
    j += 1;
  }
  j
}
