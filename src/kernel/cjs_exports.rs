//! The named exports an ES module sees when it imports a CommonJS module.
//!
//! Node 20 does not run the module to find them: it reads the source with
//! cjs-module-lexer (2.2.0 in Node 20.20.2) and takes the names that a
//! fixed set of patterns assign (`exports.a = `, `module.exports = { a }`,
//! `Object.defineProperty(exports, 'a', ...)`, the star re-exports that
//! TypeScript and Babel emit, ...), plus the modules re-exported whole
//! (`module.exports = require('x')`), whose own names Node adds.
//!
//! This is our own reading of those patterns, over oxc's syntax tree instead
//! of a token stream: the patterns are matched on tree nodes, and where the
//! lexer's matching depends on the characters between tokens (spaces only in
//! some places, no comment in others) the source text between the nodes is
//! checked. It agrees with Node's lexer on every .js/.cjs file of our
//! node_modules and of a dozen large packages (tests.rs); it differs where:
//! - oxc cannot parse the source (a syntax error the lexer does not check,
//!   such as `a b`, a type annotation, a stray `]`, an unterminated block
//!   comment, `export` inside a function): no names, where the lexer reports
//!   what it matched. Node could not run such a module anyway.
//! - the scan gives up (no names): a `/` right after `}` or after `yield`,
//!   `await`, `let` or `of` (division or regular expression: only a parser
//!   knows), nesting deeper than the stack budget, a `\` escape in a word
//!   that is not `\uXXXX`/`\u{X}`, a `-->` comment as the first token.
//! - `<!--` (anywhere) and `-->` (first on a line) are comments to oxc, as
//!   to V8; the lexer reads on through them.
//! - a U+FFFD character in code ends the source for oxc ("binary file").
//! - whitespace other than ASCII and NBSP between the tokens of a pattern
//!   ends the lexer's match, not ours (except where we check the text).
//! - a quirk of the lexer is not reproduced: it misses
//!   `[__export(require('x'))]` at the very start of a source.
//!
//! Sources are guest input: the parse runs only after [`scan`] has bounded
//! the stack it needs, the tree walk counts its own depth, and the number of
//! names and the source size are capped. Whatever the source, [`detect`]
//! returns (no names when it gives up), and never panics.
mod scan;

use std::collections::{HashMap, HashSet};

use oxc_allocator::Allocator;
use oxc_ast::ast::{
  Argument, AssignmentExpression, AssignmentOperator, AssignmentTarget,
  AssignmentTargetWithDefault, BinaryExpression, BinaryOperator, BindingPattern, CallExpression,
  ChainElement, ComputedMemberExpression, Expression, Function, ImportMeta, LogicalExpression,
  LogicalOperator, ObjectExpression, ObjectProperty, ObjectPropertyKind, PrivateFieldExpression,
  PropertyKey, PropertyKind, SimpleAssignmentTarget, Statement, StaticMemberExpression,
  StringLiteral, TaggedTemplateExpression, UnaryOperator, VariableDeclaration,
  VariableDeclarationKind,
};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::{ParseOptions, Parser};
use oxc_span::{GetSpan, SourceType, Span};

use crate::kernel::limits::{MAX_CJS_EXPORT_NAMES, MAX_CJS_SOURCE_BYTES};

/// What [`detect`] found, in the order cjs-module-lexer reports it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CjsExports {
  /// Export names, each once, in order of first appearance.
  pub exports: Vec<String>,
  /// Specifiers of modules whose exports are re-exported, each once.
  pub reexports: Vec<String>,
}

/// Deepest the tree walk goes (nodes inside nodes, not counting member,
/// call and binary chains, which are walked in loops). The scan keeps the
/// parser's nesting below this; the walk checks it anyway.
const MAX_WALK_DEPTH: u32 = 4096;

/// The names an ES module importing `source` (a CommonJS module) gets from
/// it in Node 20, as cjs-module-lexer reports them. No names when the
/// source is not a script Node's lexer accepts, is too deeply nested, or is
/// larger than [`MAX_CJS_SOURCE_BYTES`].
pub fn detect(source: &str) -> CjsExports {
  if source.len() > MAX_CJS_SOURCE_BYTES {
    return CjsExports::default();
  }
  let Some(scanned) = scan::scan(source) else {
    return CjsExports::default();
  };
  let allocator = Allocator::default();
  let options = ParseOptions {
    allow_return_outside_function: true,
    preserve_parens: true,
    enable_ident_hashes: false,
    ..ParseOptions::default()
  };
  let parsed = Parser::new(&allocator, source, SourceType::cjs())
    .with_options(options)
    .parse();
  if parsed.panicked {
    return CjsExports::default();
  }
  let mut detector = Detector::new(source, &scanned);
  detector.visit_program(&parsed.program);
  detector.finish()
}

struct Detector<'s> {
  src: &'s str,
  scanned: &'s scan::Scanned,
  exports: Vec<String>,
  export_set: HashSet<String>,
  /// Names given to `Object.defineProperty(exports, name, ...)` outside the
  /// accepted forms: removed from the result wherever else they appear.
  unsafe_getters: HashSet<String>,
  reexports: Vec<String>,
  reexport_set: HashSet<String>,
  /// Top-level `var x = require('m')`: `x` → `m`, for `Object.keys(x)`.
  star_bindings: HashMap<String, Option<String>>,
  depth: u32,
  /// Too deep, or ESM syntax (which makes Node's lexer throw): no names.
  abandoned: bool,
}

/// A node of a member/call chain; its `inner` starts where it starts.
#[derive(Clone, Copy)]
enum Link<'b, 'a> {
  Call(&'b CallExpression<'a>),
  Static(&'b StaticMemberExpression<'a>),
  Computed(&'b ComputedMemberExpression<'a>),
  Private(&'b PrivateFieldExpression<'a>),
  Tagged(&'b TaggedTemplateExpression<'a>),
}

impl<'b, 'a> Link<'b, 'a> {
  fn of(e: &'b Expression<'a>) -> Option<Self> {
    Some(match e {
      Expression::CallExpression(c) => Link::Call(c),
      Expression::StaticMemberExpression(m) => Link::Static(m),
      Expression::ComputedMemberExpression(m) => Link::Computed(m),
      Expression::PrivateFieldExpression(m) => Link::Private(m),
      Expression::TaggedTemplateExpression(t) => Link::Tagged(t),
      _ => return None,
    })
  }

  fn inner(self) -> &'b Expression<'a> {
    match self {
      Link::Call(c) => &c.callee,
      Link::Static(m) => &m.object,
      Link::Computed(m) => &m.object,
      Link::Private(m) => &m.object,
      Link::Tagged(t) => &t.tag,
    }
  }
}

/// The sub-expression that starts where `e` starts (its first token
/// belongs to it), if any: `a` of `a.b`, `a + b`, `a ? b : c`, `a()`, ...
fn leftmost_child<'b, 'a>(e: &'b Expression<'a>) -> Option<&'b Expression<'a>> {
  match e {
    Expression::BinaryExpression(b) => Some(&b.left),
    Expression::LogicalExpression(l) => Some(&l.left),
    Expression::ConditionalExpression(c) => Some(&c.test),
    Expression::SequenceExpression(s) => s.expressions.first(),
    Expression::ChainExpression(c) => match &c.expression {
      ChainElement::CallExpression(c) => Some(&c.callee),
      ChainElement::StaticMemberExpression(m) => Some(&m.object),
      ChainElement::ComputedMemberExpression(m) => Some(&m.object),
      ChainElement::PrivateFieldExpression(m) => Some(&m.object),
      ChainElement::TSNonNullExpression(_) => None,
    },
    Expression::AssignmentExpression(a) => target_object(&a.left),
    Expression::UpdateExpression(u) if !u.prefix => match &u.argument {
      SimpleAssignmentTarget::StaticMemberExpression(m) => Some(&m.object),
      SimpleAssignmentTarget::ComputedMemberExpression(m) => Some(&m.object),
      SimpleAssignmentTarget::PrivateFieldExpression(m) => Some(&m.object),
      _ => None,
    },
    _ => Link::of(e).map(Link::inner),
  }
}

fn target_object<'b, 'a>(t: &'b AssignmentTarget<'a>) -> Option<&'b Expression<'a>> {
  match t {
    AssignmentTarget::StaticMemberExpression(m) => Some(&m.object),
    AssignmentTarget::ComputedMemberExpression(m) => Some(&m.object),
    AssignmentTarget::PrivateFieldExpression(m) => Some(&m.object),
    _ => None,
  }
}

/// The first `f(node)` that is `Some` along `e` and its leftmost children.
fn find_leftmost<'b, 'a, R>(
  mut e: &'b Expression<'a>,
  mut f: impl FnMut(&'b Expression<'a>) -> Option<R>,
) -> Option<R> {
  loop {
    if let Some(r) = f(e) {
      return Some(r);
    }
    e = leftmost_child(e)?;
  }
}

/// cjs-module-lexer's punctuators (the characters that may end one).
fn is_punctuator(b: u8) -> bool {
  matches!(b, b'!' | b'%' | b'&' | b'('..=b'/' | b':'..=b'?' | b'[' | b']' | b'^' | b'{'..=b'~')
}

/// Skips leading whitespace (as cjs-module-lexer counts it: ASCII spaces
/// and line breaks, and NBSP) and comments.
fn skip_trivia(mut s: &str) -> &str {
  loop {
    let t = s.trim_start_matches(['\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{a0}']);
    if let Some(rest) = t.strip_prefix("//") {
      s = rest.find(['\n', '\r']).map_or("", |i| &rest[i..]);
    } else if let Some(rest) = t.strip_prefix("/*") {
      match rest.find("*/") {
        Some(i) => s = &rest[i + 2..],
        None => return t,
      }
    } else {
      return t;
    }
  }
}

fn string_value(lit: &StringLiteral) -> Option<String> {
  (!lit.lone_surrogates).then(|| lit.value.as_str().to_string())
}

fn argument<'b, 'a>(args: &'b [Argument<'a>], i: usize) -> Option<&'b Expression<'a>> {
  args.get(i)?.as_expression()
}

impl<'s> Detector<'s> {
  fn new(src: &'s str, scanned: &'s scan::Scanned) -> Self {
    Detector {
      src,
      scanned,
      exports: Vec::new(),
      export_set: HashSet::new(),
      unsafe_getters: HashSet::new(),
      reexports: Vec::new(),
      reexport_set: HashSet::new(),
      star_bindings: HashMap::new(),
      depth: 0,
      abandoned: false,
    }
  }

  fn finish(self) -> CjsExports {
    if self.abandoned {
      return CjsExports::default();
    }
    let unsafe_getters = self.unsafe_getters;
    let exports = self
      .exports
      .into_iter()
      .filter(|n| !unsafe_getters.contains(n))
      .collect();
    CjsExports {
      exports,
      reexports: self.reexports,
    }
  }

  fn add_export(&mut self, name: Option<String>) {
    let Some(name) = name else { return };
    if self.export_set.len() < MAX_CJS_EXPORT_NAMES && !self.export_set.contains(&name) {
      self.export_set.insert(name.clone());
      self.exports.push(name);
    }
  }

  fn add_unsafe_getter(&mut self, name: Option<String>) {
    if let Some(name) = name {
      if self.unsafe_getters.len() < MAX_CJS_EXPORT_NAMES {
        self.unsafe_getters.insert(name);
      }
    }
  }

  fn add_reexport(&mut self, specifier: Option<String>) {
    let Some(specifier) = specifier else { return };
    if self.reexport_set.len() < MAX_CJS_EXPORT_NAMES && !self.reexport_set.contains(&specifier) {
      self.reexport_set.insert(specifier.clone());
      self.reexports.push(specifier);
    }
  }

  // ---- source text ----

  fn text(&self, span: Span) -> &'s str {
    self
      .src
      .get(span.start as usize..span.end as usize)
      .unwrap_or("")
  }

  fn byte_at(&self, offset: u32) -> u8 {
    self
      .src
      .as_bytes()
      .get(offset as usize)
      .copied()
      .unwrap_or(0)
  }

  /// cjs-module-lexer's test for a word starting at `offset`: the character
  /// before is a line break, a space or a punctuator other than `.`.
  fn keyword_start(&self, offset: u32) -> bool {
    match self
      .src
      .get(..offset as usize)
      .and_then(|s| s.chars().next_back())
    {
      None => true,
      Some(c) => {
        matches!(c, '\t'..='\r' | ' ' | '\u{a0}')
          || (c.is_ascii() && c != '.' && is_punctuator(c as u8))
      }
    }
  }

  /// Whether `src[from..to]` is whitespace and comments around one `close`.
  fn only_trivia_around(&self, from: u32, to: u32, close: u8) -> bool {
    let Some(text) = self.src.get(from as usize..to as usize) else {
      return false;
    };
    let rest = skip_trivia(text);
    match rest.as_bytes().first() {
      Some(&b) if b == close => skip_trivia(&rest[1..]).is_empty(),
      _ => false,
    }
  }

  /// Whether the first token after `offset` is `=`.
  fn equals_follows(&self, offset: u32) -> bool {
    self
      .src
      .get(offset as usize..)
      .is_some_and(|t| skip_trivia(t).starts_with('='))
  }

  fn only_spaces(&self, from: u32, to: u32) -> bool {
    from <= to
      && self
        .src
        .get(from as usize..to as usize)
        .is_some_and(|t| t.bytes().all(|b| b == b' '))
  }

  /// The identifier (or keyword) token at `offset`, as the lexer reads one:
  /// none when it would need a `\` escape.
  fn word_at(&self, offset: u32) -> Option<&'s str> {
    let rest = self.src.get(offset as usize..)?;
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !oxc_syntax::identifier::is_identifier_start(first) {
      return None;
    }
    let end = chars
      .find(|&(_, c)| !oxc_syntax::identifier::is_identifier_part(c))
      .map_or(rest.len(), |(i, _)| i);
    (rest.as_bytes().get(end) != Some(&b'\\')).then(|| &rest[..end])
  }

  // ---- token-shaped matches ----

  /// A string literal spelled exactly `'value'` or `"value"`.
  fn is_string(&self, e: &Expression, value: &str) -> bool {
    let Expression::StringLiteral(s) = e else {
      return false;
    };
    let raw = self.text(s.span);
    raw.len() == value.len() + 2 && &raw[1..raw.len() - 1] == value
  }

  /// An identifier spelled exactly `name` (no escapes).
  fn is_ident(&self, e: &Expression, name: &str) -> bool {
    matches!(e, Expression::Identifier(id) if id.name.as_str() == name && self.text(id.span) == name)
  }

  /// An identifier, `this`, `true`, `false`, `null` or `super`: one word.
  fn is_word(&self, e: &Expression) -> bool {
    match e {
      Expression::Identifier(id) => self.text(id.span) == id.name.as_str(),
      Expression::ThisExpression(_)
      | Expression::BooleanLiteral(_)
      | Expression::NullLiteral(_)
      | Expression::Super(_) => true,
      _ => false,
    }
  }

  /// `exports` or `module.exports`; `standalone`: where the lexer looks for
  /// the word on its own (then the character before must allow a word).
  fn is_exports(&self, e: &Expression, standalone: bool) -> bool {
    match e {
      Expression::Identifier(id) => {
        self.is_ident(e, "exports") && (!standalone || self.keyword_start(id.span.start))
      }
      Expression::StaticMemberExpression(m) => self.is_module_exports(m, standalone),
      _ => false,
    }
  }

  fn is_module_exports(&self, m: &StaticMemberExpression, standalone: bool) -> bool {
    !m.optional
      && self.is_ident(&m.object, "module")
      && self.text(m.property.span) == "exports"
      && (!standalone || self.keyword_start(m.object.span().start))
  }

  /// `Object`, as a word on its own.
  fn is_object(&self, e: &Expression) -> bool {
    self.is_ident(e, "Object") && self.keyword_start(e.span().start)
  }

  /// `require('x')` exactly: `Some(specifier)`, the specifier `None` when
  /// the string is not valid UTF-16 (the lexer then records nothing).
  fn require_call(&self, c: &CallExpression) -> Option<Option<String>> {
    if c.optional || !self.is_ident(&c.callee, "require") || c.arguments.len() != 1 {
      return None;
    }
    let Some(Expression::StringLiteral(lit)) = argument(&c.arguments, 0) else {
      return None;
    };
    self
      .only_trivia_around(lit.span.end, c.span.end, b')')
      .then(|| string_value(lit))
  }

  /// A `require('x')` that starts `e`.
  fn leading_require(&self, e: &Expression) -> Option<Option<String>> {
    find_leftmost(e, |e| match e {
      Expression::CallExpression(c) => self.require_call(c),
      _ => None,
    })
  }

  // ---- checks at nodes ----

  /// `exports.a`, `exports['a']` (or through `module.exports`) directly
  /// followed by `=` (which includes `==` and `===`).
  fn member_export(&mut self, target: &AssignmentTarget) {
    let name = match target {
      AssignmentTarget::StaticMemberExpression(m)
        if !m.optional && self.is_exports(&m.object, true) && self.equals_follows(m.span.end) =>
      {
        let raw = self.text(m.property.span);
        (raw == m.property.name.as_str()).then(|| raw.to_string())
      }
      AssignmentTarget::ComputedMemberExpression(m)
        if !m.optional && self.is_exports(&m.object, true) && self.equals_follows(m.span.end) =>
      {
        match &m.expression {
          Expression::StringLiteral(lit) => string_value(lit),
          _ => return,
        }
      }
      _ => return,
    };
    self.add_export(name);
  }

  /// `target = value` (also a destructuring default).
  fn assignment(&mut self, target: &AssignmentTarget, value: &Expression) {
    self.member_export(target);
    if let AssignmentTarget::StaticMemberExpression(m) = target {
      if self.is_module_exports(m, true) && self.equals_follows(m.span.end) {
        self.module_exports_value(value);
      }
    }
  }

  /// The value of `module.exports = `: only the last such assignment's
  /// re-exports count, then `require('x')` or an object literal.
  fn module_exports_value(&mut self, value: &Expression) {
    self.reexports.clear();
    self.reexport_set.clear();
    let found = find_leftmost(value, |e| match e {
      Expression::ObjectExpression(o) => Some(Ok(&**o)),
      Expression::CallExpression(c) => self.require_call(c).map(Err),
      _ => None,
    });
    match found {
      Some(Ok(object)) => self.exports_literal(object),
      Some(Err(specifier)) => self.add_reexport(specifier),
      None => {}
    }
  }

  /// `module.exports = { a, b: c, 'd': e, ...require('f') }`: names up to
  /// the first property of another form.
  fn exports_literal(&mut self, object: &ObjectExpression) {
    for property in &object.properties {
      match property {
        ObjectPropertyKind::SpreadProperty(spread) => {
          let arg = &spread.argument;
          // `...` must be followed directly by the word.
          if arg.span().start != spread.span.start + 3 {
            return;
          }
          if let Some(specifier) = self.leading_require(arg) {
            self.add_reexport(specifier);
            if !matches!(arg, Expression::CallExpression(_)) {
              return;
            }
          } else if self.word_at(arg.span().start).is_none() || !self.is_word(arg) {
            return;
          }
        }
        ObjectPropertyKind::ObjectProperty(p) => {
          if !self.literal_property(p) {
            return;
          }
        }
      }
    }
  }

  /// One property of an exports literal; whether the next one is read.
  fn literal_property(&mut self, p: &ObjectProperty) -> bool {
    let plain = p.kind == PropertyKind::Init && !p.method && !p.computed;
    if plain && p.shorthand {
      let word = self.word_at(p.span.start);
      return match (&p.key, word) {
        (PropertyKey::StaticIdentifier(k), Some(w)) if w == k.name.as_str() => {
          self.add_export(Some(w.to_string()));
          true
        }
        _ => false,
      };
    }
    if !plain {
      // `b() {}`, `get b() {}`, `async b() {}`: the lexer takes the first
      // word as a name, then stops.
      if let Some(w) = self.word_at(p.span.start) {
        self.add_export(Some(w.to_string()));
      }
      return false;
    }
    let name = match &p.key {
      PropertyKey::StaticIdentifier(k) => match self.word_at(k.span.start) {
        Some(w) if w == k.name.as_str() => Some(w.to_string()),
        _ => return false,
      },
      PropertyKey::StringLiteral(s) => string_value(s),
      _ => return false,
    };
    // `key: value` with value starting with a word; the key counts even
    // when more follows the word, but then the literal ends.
    let value_start = p.value.span().start;
    if self.word_at(value_start).is_none() {
      return false;
    }
    self.add_export(name);
    self.is_word(&p.value) && matches!(self.byte_at(p.value.span().end), b',' | b'}')
  }

  /// `exports.a == x`, `module.exports === x`.
  fn comparison(&mut self, b: &BinaryExpression) {
    if !matches!(
      b.operator,
      BinaryOperator::Equality | BinaryOperator::StrictEquality
    ) {
      return;
    }
    match &b.left {
      Expression::StaticMemberExpression(m) if self.is_module_exports(m, true) => {
        self.reexports.clear();
        self.reexport_set.clear();
      }
      Expression::StaticMemberExpression(m) if !m.optional && self.is_exports(&m.object, true) => {
        let raw = self.text(m.property.span);
        if raw == m.property.name.as_str() {
          self.add_export(Some(raw.to_string()));
        }
      }
      Expression::ComputedMemberExpression(m)
        if !m.optional && self.is_exports(&m.object, true) =>
      {
        if let Expression::StringLiteral(lit) = &m.expression {
          self.add_export(string_value(lit));
        }
      }
      _ => {}
    }
  }

  fn call(&mut self, c: &CallExpression) {
    if c.optional {
      return;
    }
    match &c.callee {
      Expression::StaticMemberExpression(m) if !m.optional => match self.text(m.property.span) {
        "defineProperty" if self.is_object(&m.object) => self.define_property(c),
        "forEach" => self.keys_for_each(c, m),
        "__export" | "__exportStar" => self.export_star(c, m.property.span),
        _ => {}
      },
      Expression::Identifier(id) if matches!(self.text(id.span), "__export" | "__exportStar") => {
        self.export_star(c, id.span);
      }
      _ => {}
    }
  }

  /// Top-level `__export(require('x'))`, `tslib.__exportStar(require('x'), exports)`.
  fn export_star(&mut self, c: &CallExpression, name: Span) {
    let start = name.start;
    if !self.scanned.top_level(start)
      || !(self.keyword_start(start) || start > 0 && self.byte_at(start - 1) == b'.')
      || self.byte_at(name.end) != b'('
      || self.byte_at(name.end + 1) != b'r'
    {
      return;
    }
    if let Some(specifier) = argument(&c.arguments, 0).and_then(|a| self.leading_require(a)) {
      self.add_reexport(specifier);
    }
  }

  /// `Object.defineProperty(exports, 'a', descriptor)`: an export when the
  /// descriptor has one of the accepted forms; otherwise `a` is unsafe.
  fn define_property(&mut self, c: &CallExpression) {
    let args = &c.arguments;
    if !argument(args, 0).is_some_and(|e| self.is_exports(e, false)) {
      return;
    }
    let Some(second) = argument(args, 1) else {
      return;
    };
    let Some(name) = find_leftmost(second, |e| match e {
      Expression::StringLiteral(lit) => Some(string_value(lit)),
      _ => None,
    }) else {
      return;
    };
    if matches!(second, Expression::StringLiteral(_)) {
      if let Some(third) = argument(args, 2) {
        let leading_object = find_leftmost(third, |e| match e {
          Expression::ObjectExpression(o) => Some(&**o),
          _ => None,
        });
        if leading_object.is_some_and(|o| self.value_descriptor(o)) {
          self.add_export(name);
          return;
        }
        if let Expression::ObjectExpression(o) = third {
          if args.len() == 3
            && self.getter_descriptor(o, None)
            && self.only_trivia_around(o.span.end, c.span.end, b')')
          {
            self.add_export(name);
            return;
          }
        }
      }
    }
    self.add_unsafe_getter(name);
  }

  /// `enumerable: true` exactly.
  fn is_enumerable_true(&self, p: &ObjectPropertyKind) -> bool {
    matches!(p, ObjectPropertyKind::ObjectProperty(p)
      if self.is_plain_key(p, "enumerable")
        && matches!(&p.value, Expression::BooleanLiteral(b) if b.value))
  }

  /// `key: ...` with an unquoted key spelled `key`.
  fn is_plain_key(&self, p: &ObjectProperty, key: &str) -> bool {
    p.kind == PropertyKind::Init
      && !p.method
      && !p.shorthand
      && !p.computed
      && matches!(&p.key, PropertyKey::StaticIdentifier(k) if self.text(k.span) == key)
  }

  /// `{ (enumerable: true,)? value: ...`.
  fn value_descriptor(&self, o: &ObjectExpression) -> bool {
    let mut props = o.properties.iter().peekable();
    if props.peek().is_some_and(|p| self.is_enumerable_true(p)) {
      props.next();
    }
    matches!(props.next(), Some(ObjectPropertyKind::ObjectProperty(p)) if self.is_plain_key(p, "value"))
  }

  /// `{ (enumerable: true,)? get: function () { return a.b } }` or
  /// `get () { ... }`; `returns`: the exact `id[key]` the getter must
  /// return (for star re-exports), else any word with one `.x`/`['x']`.
  fn getter_descriptor(&self, o: &ObjectExpression, returns: Option<(&str, &str)>) -> bool {
    let props = &o.properties;
    let get = match props.len() {
      1 if returns.is_none() => &props[0],
      2 if self.is_enumerable_true(&props[0]) => &props[1],
      _ => return false,
    };
    let ObjectPropertyKind::ObjectProperty(get) = get else {
      return false;
    };
    if get.kind != PropertyKind::Init
      || get.computed
      || get.shorthand
      || !matches!(&get.key, PropertyKey::StaticIdentifier(k) if self.text(k.span) == "get")
    {
      return false;
    }
    let Expression::FunctionExpression(f) = &get.value else {
      return false;
    };
    let Some(value) = self.getter_return(f) else {
      return false;
    };
    match returns {
      None => self.is_getter_value(value),
      Some((id, key)) => self.is_id_index(value, id, key),
    }
  }

  /// The expression a getter function returns when its body is only
  /// `return x;` and it takes no parameters.
  fn getter_return<'b, 'a>(&self, f: &'b Function<'a>) -> Option<&'b Expression<'a>> {
    if f.r#async || f.generator || !f.params.items.is_empty() || f.params.rest.is_some() {
      return None;
    }
    let body = f.body.as_ref()?;
    if !body.directives.is_empty() || body.statements.len() != 1 {
      return None;
    }
    match &body.statements[0] {
      Statement::ReturnStatement(r) => r.argument.as_ref(),
      _ => None,
    }
  }

  /// `a`, `a.b` or `a['b']`.
  fn is_getter_value(&self, e: &Expression) -> bool {
    match e {
      Expression::StaticMemberExpression(m) => {
        !m.optional
          && self.is_word(&m.object)
          && self.text(m.property.span) == m.property.name.as_str()
      }
      Expression::ComputedMemberExpression(m) => {
        !m.optional
          && self.is_word(&m.object)
          && matches!(m.expression, Expression::StringLiteral(_))
      }
      _ => self.is_word(e),
    }
  }

  /// `id[key]`.
  fn is_id_index(&self, e: &Expression, id: &str, key: &str) -> bool {
    matches!(e, Expression::ComputedMemberExpression(m)
      if !m.optional && self.is_ident(&m.object, id) && self.is_ident(&m.expression, key))
  }

  /// Top-level `var x = require('m')` (or through
  /// `_interopRequireWildcard(...)`): remembered for `Object.keys(x)`.
  fn declaration(&mut self, d: &VariableDeclaration) {
    let keyword_len = match d.kind {
      VariableDeclarationKind::Var | VariableDeclarationKind::Let => 3,
      VariableDeclarationKind::Const => 5,
      _ => return,
    };
    let Some(first) = d.declarations.first() else {
      return;
    };
    let BindingPattern::BindingIdentifier(id) = &first.id else {
      return;
    };
    let Some(init) = &first.init else { return };
    let name = id.name.as_str();
    let start = init.span().start;
    // The lexer reads this backwards from `require`, over spaces only.
    let eq = self.text(Span::new(id.span.end, start));
    if self.text(id.span) != name
      || id.span.start <= d.span.start + keyword_len
      || !self.only_spaces(d.span.start + keyword_len, id.span.start)
      || eq.trim_matches(' ') != "="
      || !self.scanned.top_level(start)
      || !self.keyword_start(start)
    {
      return;
    }
    let specifier = find_leftmost(init, |e| {
      let Expression::CallExpression(c) = e else {
        return None;
      };
      if c.span.start != start {
        return None;
      }
      if let Some(specifier) = self.require_call(c) {
        return Some(specifier);
      }
      let Expression::Identifier(callee) = &c.callee else {
        return None;
      };
      if self.text(callee.span) != "_interopRequireWildcard"
        || self.byte_at(callee.span.end) != b'('
        || self.byte_at(callee.span.end + 1) != b'r'
      {
        return None;
      }
      argument(&c.arguments, 0).and_then(|a| self.leading_require(a))
    });
    if let Some(specifier) = specifier {
      self.star_bindings.insert(name.to_string(), specifier);
    }
  }

  /// Top-level `Object.keys(x).forEach(function (k) { ... })` in one of
  /// the forms Babel and TypeScript emit for `export * from 'm'`, where `x`
  /// is a top-level `var x = require('m')`: re-exports `m`.
  fn keys_for_each(&mut self, c: &CallExpression, for_each: &StaticMemberExpression) {
    let Expression::CallExpression(keys) = &for_each.object else {
      return;
    };
    let Expression::StaticMemberExpression(keys_callee) = &keys.callee else {
      return;
    };
    let object_start = keys_callee.object.span().start;
    if keys.optional
      || keys_callee.optional
      || !self.is_object(&keys_callee.object)
      || self.text(keys_callee.property.span) != "keys"
      || !self.scanned.top_level(object_start)
      || keys.arguments.len() != 1
      || c.arguments.len() != 1
    {
      return;
    }
    let Some(Expression::Identifier(id)) = argument(&keys.arguments, 0) else {
      return;
    };
    let Some(Expression::FunctionExpression(f)) = argument(&c.arguments, 0) else {
      return;
    };
    if self.text(id.span) != id.name.as_str()
      || f.id.is_some()
      || f.r#async
      || f.generator
      || f.params.items.len() != 1
      || f.params.rest.is_some()
      || !self.only_trivia_around(f.span.end, c.span.end, b')')
    {
      return;
    }
    let param = &f.params.items[0];
    let BindingPattern::BindingIdentifier(key) = &param.pattern else {
      return;
    };
    if param.initializer.is_some() || self.text(key.span) != key.name.as_str() {
      return;
    }
    let Some(body) = &f.body else { return };
    if !body.directives.is_empty() {
      return;
    }
    let id = id.name.as_str();
    if !self.star_body(&body.statements, id, key.name.as_str()) {
      return;
    }
    if let Some(Some(specifier)) = self.star_bindings.get(id) {
      if !specifier.is_empty() {
        self.add_reexport(Some(specifier.clone()));
      }
    }
  }

  /// The body of a star re-export loop over `id` with key `key`.
  fn star_body(&self, body: &[Statement], id: &str, key: &str) -> bool {
    let Some(Statement::IfStatement(first)) = body.first() else {
      return false;
    };
    if first.alternate.is_some() {
      return false;
    }
    // `if (k !== 'default' (&& !hasOwn(k))?) <copy>`
    if self.is_not_default(&first.test, key) {
      return body.len() == 1
        && matches!(&first.consequent, Statement::ExpressionStatement(s) if self.is_copy(&s.expression, id, key));
    }
    // `if (k === 'default' || k === '__esModule') return;` then up to two
    // more `if (...) return;` (own-property, already-equal), then the copy.
    if !self.is_default_or_es_module(&first.test, key) {
      return false;
    }
    let mut i = 0;
    let mut stage = 0;
    while let Some(Statement::IfStatement(s)) = body.get(i) {
      if i > 0 {
        if s.alternate.is_some() {
          return false;
        }
        if stage < 1 && self.is_has_own_call(&s.test, key) {
          stage = 1;
        } else if stage < 2
          // The lexer reads `k` right after this `(`.
          && self.byte_at(s.test.span().start.saturating_sub(1)) == b'('
          && self.is_already_equal(&s.test, id, key)
        {
          stage = 2;
        } else {
          return false;
        }
      }
      let Statement::ReturnStatement(r) = &s.consequent else {
        return false;
      };
      if let Some(value) = &r.argument {
        // `return <copy>` (the lexer allows no `;` after `return`).
        return body.len() == i + 1 && self.is_copy(value, id, key);
      }
      i += 1;
      if stage == 2 {
        break;
      }
    }
    body.len() == i + 1
      && matches!(&body[i], Statement::ExpressionStatement(s) if self.is_copy(&s.expression, id, key))
  }

  /// `k !== 'default'`, optionally `&& !Object.prototype.hasOwnProperty.call(x, k)`
  /// or `&& !x.hasOwnProperty(k)`.
  fn is_not_default(&self, test: &Expression, key: &str) -> bool {
    let is_ne_default = |e: &Expression| {
      matches!(e, Expression::BinaryExpression(b)
        if b.operator == BinaryOperator::StrictInequality
          && self.is_ident(&b.left, key)
          && self.is_string(&b.right, "default"))
    };
    match test {
      Expression::LogicalExpression(l) if l.operator == LogicalOperator::And => {
        let Expression::UnaryExpression(not) = &l.right else {
          return false;
        };
        is_ne_default(&l.left)
          && not.operator == UnaryOperator::LogicalNot
          && (self.is_has_own_call(&not.argument, key)
            || self.is_has_own_method(&not.argument, key))
      }
      _ => is_ne_default(test),
    }
  }

  /// `k === 'default' || k === '__esModule'`.
  fn is_default_or_es_module(&self, test: &Expression, key: &str) -> bool {
    let is_eq = |e: &Expression, value: &str| {
      matches!(e, Expression::BinaryExpression(b)
        if b.operator == BinaryOperator::StrictEquality
          && self.is_ident(&b.left, key)
          && self.is_string(&b.right, value))
    };
    matches!(test, Expression::LogicalExpression(l)
      if l.operator == LogicalOperator::Or && is_eq(&l.left, "default") && is_eq(&l.right, "__esModule"))
  }

  /// `Object.prototype.hasOwnProperty.call(x, k)` (`.prototype` optional).
  fn is_has_own_call(&self, e: &Expression, key: &str) -> bool {
    let Expression::CallExpression(c) = e else {
      return false;
    };
    let Expression::StaticMemberExpression(call) = &c.callee else {
      return false;
    };
    let Expression::StaticMemberExpression(has_own) = &call.object else {
      return false;
    };
    let object_ok = match &has_own.object {
      Expression::StaticMemberExpression(proto) => {
        !proto.optional
          && self.is_ident(&proto.object, "Object")
          && self.text(proto.property.span) == "prototype"
      }
      o => self.is_ident(o, "Object"),
    };
    !c.optional
      && !call.optional
      && !has_own.optional
      && self.text(call.property.span) == "call"
      && self.text(has_own.property.span) == "hasOwnProperty"
      && object_ok
      && c.arguments.len() == 2
      && argument(&c.arguments, 0)
        .is_some_and(|a| self.is_word(a) && self.word_at(a.span().start).is_some())
      && argument(&c.arguments, 1).is_some_and(|a| self.is_ident(a, key))
  }

  /// `x.hasOwnProperty(k)` for any word `x` but `Object.` (which the
  /// lexer reads as the start of `Object.prototype...`).
  fn is_has_own_method(&self, e: &Expression, key: &str) -> bool {
    let Expression::CallExpression(c) = e else {
      return false;
    };
    let Expression::StaticMemberExpression(m) = &c.callee else {
      return false;
    };
    let object_start =
      self.is_ident(&m.object, "Object") && self.byte_at(m.object.span().end) == b'.';
    !c.optional
      && !m.optional
      && self.is_word(&m.object)
      && !object_start
      && self.text(m.property.span) == "hasOwnProperty"
      && c.arguments.len() == 1
      && argument(&c.arguments, 0).is_some_and(|a| self.is_ident(a, key))
  }

  /// `k in exports && exports[k] === x[k]` (one space after `in`).
  fn is_already_equal(&self, test: &Expression, id: &str, key: &str) -> bool {
    let Expression::LogicalExpression(l) = test else {
      return false;
    };
    let Expression::BinaryExpression(has) = &l.left else {
      return false;
    };
    let Expression::BinaryExpression(eq) = &l.right else {
      return false;
    };
    let between = self.text(Span::new(has.left.span().end, has.right.span().start));
    l.operator == LogicalOperator::And
      && has.operator == BinaryOperator::In
      && self.is_ident(&has.left, key)
      && self.is_exports(&has.right, false)
      && skip_trivia(between).starts_with("in ")
      && eq.operator == BinaryOperator::StrictEquality
      && self.is_exports_index(&eq.left, key)
      && self.is_id_index(&eq.right, id, key)
  }

  /// `exports[k]`.
  fn is_exports_index(&self, e: &Expression, key: &str) -> bool {
    matches!(e, Expression::ComputedMemberExpression(m)
      if !m.optional && self.is_exports(&m.object, false) && self.is_ident(&m.expression, key))
  }

  /// `exports[k] = x[k]` or `Object.defineProperty(exports, k,
  /// { enumerable: true, get: function () { return x[k]; } })`.
  fn is_copy(&self, e: &Expression, id: &str, key: &str) -> bool {
    match e {
      Expression::AssignmentExpression(a) => {
        a.operator == AssignmentOperator::Assign
          && matches!(&a.left, AssignmentTarget::ComputedMemberExpression(m)
            if !m.optional && self.is_exports(&m.object, false) && self.is_ident(&m.expression, key))
          && self.is_id_index(&a.right, id, key)
      }
      Expression::CallExpression(c) => {
        let Expression::StaticMemberExpression(callee) = &c.callee else {
          return false;
        };
        !c.optional
          && !callee.optional
          && self.is_ident(&callee.object, "Object")
          && self.text(callee.property.span) == "defineProperty"
          && c.arguments.len() == 3
          && argument(&c.arguments, 0).is_some_and(|a| self.is_exports(a, false))
          && argument(&c.arguments, 1).is_some_and(|a| self.is_ident(a, key))
          && matches!(argument(&c.arguments, 2), Some(Expression::ObjectExpression(o))
            if self.getter_descriptor(o, Some((id, key)))
              && self.only_trivia_around(o.span.end, c.span.end, b')'))
      }
      _ => false,
    }
  }

  // ---- walking ----

  /// Counts a level of the walk; false (and gives up) past the limit.
  fn enter(&mut self) -> bool {
    self.depth += 1;
    if self.depth > MAX_WALK_DEPTH {
      self.abandoned = true;
    }
    !self.abandoned
  }

  fn leave(&mut self) {
    self.depth -= 1;
  }

  /// A member/call chain, walked in a loop (chains can be as long as the
  /// source): the calls are checked first (they all start where the chain
  /// does), then the parts in source order.
  fn chain<'a>(&mut self, outer: Link<'_, 'a>) {
    let mut links = vec![outer];
    let mut leaf = outer.inner();
    while let Some(link) = Link::of(leaf) {
      links.push(link);
      leaf = link.inner();
    }
    for link in links.iter().rev() {
      if let Link::Call(c) = link {
        self.call(c);
      }
    }
    self.visit_expression(leaf);
    for link in links.iter().rev() {
      match link {
        Link::Call(c) => self.visit_arguments(&c.arguments),
        Link::Computed(m) => self.visit_expression(&m.expression),
        Link::Tagged(t) => self.visit_template_literal(&t.quasi),
        Link::Static(_) | Link::Private(_) => {}
      }
    }
  }
}

impl<'a> Visit<'a> for Detector<'_> {
  fn visit_statement(&mut self, it: &Statement<'a>) {
    if it.is_module_declaration() {
      // `import`/`export` statements make Node's lexer throw.
      self.abandoned = true;
    }
    if self.enter() {
      walk::walk_statement(self, it);
    }
    self.leave();
  }

  fn visit_expression(&mut self, it: &Expression<'a>) {
    if self.enter() {
      match Link::of(it) {
        Some(link) => self.chain(link),
        None => walk::walk_expression(self, it),
      }
    }
    self.leave();
  }

  fn visit_chain_element(&mut self, it: &ChainElement<'a>) {
    let link = match it {
      ChainElement::CallExpression(c) => Link::Call(c),
      ChainElement::StaticMemberExpression(m) => Link::Static(m),
      ChainElement::ComputedMemberExpression(m) => Link::Computed(m),
      ChainElement::PrivateFieldExpression(m) => Link::Private(m),
      ChainElement::TSNonNullExpression(_) => return walk::walk_chain_element(self, it),
    };
    if self.enter() {
      self.chain(link);
    }
    self.leave();
  }

  fn visit_binding_pattern(&mut self, it: &BindingPattern<'a>) {
    if self.enter() {
      walk::walk_binding_pattern(self, it);
    }
    self.leave();
  }

  fn visit_assignment_target(&mut self, it: &AssignmentTarget<'a>) {
    if self.enter() {
      walk::walk_assignment_target(self, it);
    }
    self.leave();
  }

  fn visit_binary_expression(&mut self, it: &BinaryExpression<'a>) {
    // Left-leaning chains (`a + b + c ...`) are walked in a loop.
    let mut spine = vec![it];
    let mut leaf = &it.left;
    while let Expression::BinaryExpression(b) = leaf {
      spine.push(b);
      leaf = &b.left;
    }
    if let Some(innermost) = spine.last() {
      self.comparison(innermost);
    }
    self.visit_expression(leaf);
    for b in spine.iter().rev() {
      self.visit_expression(&b.right);
    }
  }

  fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
    let mut spine = vec![it];
    let mut leaf = &it.left;
    while let Expression::LogicalExpression(l) = leaf {
      spine.push(l);
      leaf = &l.left;
    }
    self.visit_expression(leaf);
    for l in spine.iter().rev() {
      self.visit_expression(&l.right);
    }
  }

  fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
    if it.operator == AssignmentOperator::Assign {
      self.assignment(&it.left, &it.right);
    }
    walk::walk_assignment_expression(self, it);
  }

  fn visit_assignment_target_with_default(&mut self, it: &AssignmentTargetWithDefault<'a>) {
    self.assignment(&it.binding, &it.init);
    walk::walk_assignment_target_with_default(self, it);
  }

  fn visit_variable_declaration(&mut self, it: &VariableDeclaration<'a>) {
    self.declaration(it);
    walk::walk_variable_declaration(self, it);
  }

  fn visit_import_meta(&mut self, it: &ImportMeta) {
    // Node's lexer throws on a top-level `import.meta`.
    if self.scanned.top_level(it.span.start) {
      self.abandoned = true;
    }
  }
}

#[cfg(test)]
mod tests;
