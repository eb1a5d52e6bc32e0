//! TypeScript to JavaScript, in the kernel: the module loaders hand a `.ts`,
//! `.mts`, `.cts` or `.tsx` file's text to `mod_transform`, and the entry
//! code of a call is transformed before it reaches V8. oxc parses it, strips
//! the types, lowers enums, namespaces, parameter properties, JSX and (when
//! asked) legacy decorators, and prints JavaScript with a source map that
//! stack traces use to point at the TypeScript lines. No type checking.
//!
//! The source is the guest's: its size is bounded, its nesting is checked
//! before oxc's recursive parser sees it (`nesting`), and oxc runs on a
//! thread of its own with a stack sized for that bound and a time limit.
pub mod nesting;
pub mod store;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_parser::{ParseOptions, Parser};
use oxc_semantic::SemanticBuilder;
use oxc_span::SourceType;
use oxc_transformer::{
  DecoratorOptions, HelperLoaderMode, HelperLoaderOptions, JsxOptions, JsxRuntime,
  TransformOptions, Transformer, TypeScriptOptions,
};
use serde::{Deserialize, Serialize};

use super::error::{ErrorClass, OpError};
use super::op::{OpResult, OpValue};
use super::syscall::OpState;

pub use store::{LineMap, Transformed};

/// Largest TypeScript source transformed (bytes of UTF-8). oxc's arena for
/// it lives outside the guest's heap, a multiple of the source's size.
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;
/// Longest a transform may take; past it the call fails (the work, bounded
/// by the size above, finishes on its own thread and is dropped).
pub const MAX_TRANSFORM_TIME: Duration = Duration::from_secs(10);
/// Transforms still running after their caller gave up on them, in the
/// whole sidecar; past this, new transforms are refused until they end.
const MAX_ABANDONED: usize = 2;
/// The transform thread's stack: room for the deepest nesting `nesting`
/// lets through (about 23 MB, see its costs), five times over. Reserved,
/// not committed: a thread uses what its source's nesting needs.
const STACK_BYTES: usize = 5
  * (nesting::MAX_DEPTH * nesting::FRAME_STACK_BYTES
    + nesting::MAX_UNITS as usize * nesting::UNIT_STACK_BYTES);

static ABANDONED: AtomicUsize = AtomicUsize::new(0);

/// `create({ typescript })`: how TypeScript files become JavaScript, in
/// tsconfig's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TypeScriptConfig {
  /// tsconfig `jsx`: "react" (classic, `React.createElement`) or
  /// "react-jsx"/"react-jsxdev" (automatic runtime, imports
  /// `<jsxImportSource>/jsx-runtime`).
  pub jsx: Jsx,
  /// tsconfig `jsxFactory` (classic runtime).
  pub jsx_factory: Option<String>,
  /// tsconfig `jsxFragmentFactory` (classic runtime).
  pub jsx_fragment_factory: Option<String>,
  /// tsconfig `jsxImportSource` (automatic runtime).
  pub jsx_import_source: Option<String>,
  /// tsconfig `experimentalDecorators`: legacy decorators are lowered.
  pub experimental_decorators: bool,
  /// tsconfig `emitDecoratorMetadata` (with `experimentalDecorators`).
  pub emit_decorator_metadata: bool,
}

impl TypeScriptConfig {
  /// Refuses names oxc could not use (index.js checks them first).
  pub fn check(&self) -> Result<(), String> {
    let qualified = |s: &str| {
      !s.is_empty()
        && s.len() <= 256
        && s.split('.').all(|part| {
          let mut chars = part.chars();
          chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
    };
    for name in [&self.jsx_factory, &self.jsx_fragment_factory]
      .into_iter()
      .flatten()
    {
      if !qualified(name) {
        return Err(format!("{name:?} is not a dotted name"));
      }
    }
    if let Some(source) = &self.jsx_import_source {
      if source.is_empty()
        || source.len() > 256
        || source.chars().any(|c| c.is_whitespace() || c == '\0')
      {
        return Err(format!("{source:?} is not a module name"));
      }
    }
    Ok(())
  }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[allow(
  clippy::enum_variant_names,
  reason = "tsconfig's names: react, react-jsx, react-jsxdev"
)]
pub enum Jsx {
  /// `React.createElement(...)`: what esbuild and tsx do unless told otherwise.
  #[default]
  React,
  ReactJsx,
  ReactJsxDev,
}

/// The module helpers of legacy decorators come from this builtin
/// (`<name>/helpers/<helper>`), served by the guest loaders.
pub const HELPERS_MODULE: &str = "secure-exec:typescript";

/// How the file will be loaded, when its extension or package decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
  Module,
  CommonJs,
  /// Its syntax decides (`.ts`/`.tsx` outside a typed package).
  Detect,
}

/// Why a source could not be transformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
  /// Invalid TypeScript: oxc's message, where (1-based line, 0-based
  /// column in UTF-16 units, as V8 reports), and that line's text.
  Syntax {
    message: String,
    line: u32,
    column: u32,
    source_line: String,
  },
  /// Over a bound: too large, too deeply nested, too slow.
  Limit(String),
  /// No transform could run now (the sidecar's transform threads are busy).
  Busy(String),
}

/// Transforms `source` (the file `path`) on a thread of its own, within
/// the bounds above.
pub fn transform(
  source: &str,
  path: &str,
  format: Format,
  config: &TypeScriptConfig,
) -> Result<Transformed, Failure> {
  if source.len() > MAX_SOURCE_BYTES {
    return Err(Failure::Limit(format!(
      "{path}: a TypeScript file larger than {} MiB cannot be transformed",
      MAX_SOURCE_BYTES >> 20
    )));
  }
  if let Err(e) = nesting::check(source, is_tsx(path), format == Format::Module) {
    return Err(Failure::Limit(format!("{path}: {e}")));
  }
  if ABANDONED.load(Ordering::Relaxed) >= MAX_ABANDONED {
    return Err(Failure::Busy(format!(
      "{path}: too many TypeScript transforms are still running"
    )));
  }
  let slot = Arc::new((Mutex::new(Slot::Waiting), Condvar::new()));
  let theirs = slot.clone();
  let (src, p, cfg) = (source.to_string(), path.to_string(), config.clone());
  let spawned = std::thread::Builder::new()
    .name("se-typescript".into())
    .stack_size(STACK_BYTES)
    .spawn(move || {
      let r =
        std::panic::catch_unwind(|| transform_here(&src, &p, format, &cfg)).unwrap_or_else(|_| {
          Err(Failure::Limit(format!(
            "{p}: the TypeScript transform failed"
          )))
        });
      let (state, done) = &*theirs;
      let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
      if matches!(*state, Slot::Abandoned) {
        ABANDONED.fetch_sub(1, Ordering::Relaxed);
      } else {
        *state = Slot::Done(r);
        done.notify_one();
      }
    });
  if spawned.is_err() {
    return Err(Failure::Busy(format!(
      "{path}: no thread for the TypeScript transform"
    )));
  }
  let (state, done) = &*slot;
  let guard = state.lock().unwrap_or_else(|e| e.into_inner());
  let (mut guard, _) = done
    .wait_timeout_while(guard, MAX_TRANSFORM_TIME, |s| matches!(s, Slot::Waiting))
    .unwrap_or_else(|e| e.into_inner());
  match std::mem::replace(&mut *guard, Slot::Abandoned) {
    Slot::Done(r) => r,
    _ => {
      ABANDONED.fetch_add(1, Ordering::Relaxed);
      Err(Failure::Limit(format!(
        "{path}: the TypeScript transform took longer than {} s",
        MAX_TRANSFORM_TIME.as_secs()
      )))
    }
  }
}

/// A transform's outcome, as its thread hands it over.
enum Slot {
  Waiting,
  Done(Result<Transformed, Failure>),
  /// Its caller stopped waiting.
  Abandoned,
}

/// A TypeScript file's name: `.ts`, `.mts`, `.cts`, `.tsx`.
pub fn is_typescript(path: &str) -> bool {
  [".ts", ".mts", ".cts", ".tsx"]
    .iter()
    .any(|e| path.ends_with(e))
}

fn is_tsx(path: &str) -> bool {
  path.ends_with(".tsx")
}

/// The transform itself, on the calling thread (which must have the stack
/// `nesting` assumes).
pub fn transform_here(
  source: &str,
  path: &str,
  format: Format,
  config: &TypeScriptConfig,
) -> Result<Transformed, Failure> {
  let allocator = Allocator::default();
  let base = if is_tsx(path) {
    SourceType::tsx()
  } else {
    SourceType::ts()
  };
  let parse = |source_type: SourceType| {
    Parser::new(&allocator, source, source_type)
      .with_options(ParseOptions {
        // CommonJS code runs inside Node's module wrapper.
        allow_return_outside_function: !source_type.is_module(),
        // Found here, at the TypeScript position, rather than by V8.
        parse_regular_expression: true,
        ..ParseOptions::default()
      })
      .parse()
  };
  let mut parsed = parse(match format {
    Format::Module => base.with_module(true),
    Format::CommonJs => base.with_commonjs(true),
    Format::Detect => base.with_unambiguous(true),
  });
  let first = parsed
    .diagnostics
    .errors()
    .next()
    .map(|e| syntax_failure(source, e));
  if let Some(failure) = first {
    // As Node detects: what fails as a script only for module syntax oxc
    // does not count (top-level await) is a module. That reading lexes
    // HTML-like comments differently, so its nesting is checked again.
    if format != Format::Detect || nesting::check(source, is_tsx(path), true).is_err() {
      return Err(failure);
    }
    parsed = parse(base.with_module(true));
    if parsed.diagnostics.has_errors() {
      return Err(failure);
    }
  }
  let mut program = parsed.program;
  let module = program.source_type.is_module();
  if !config.experimental_decorators && source.contains('@') {
    if let Some(at) = first_decorator(&program) {
      let (line, column, source_line) = position(source, at as usize);
      return Err(Failure::Syntax {
        message: "Decorators need `typescript: { experimentalDecorators: true }` (TypeScript's legacy decorators); standard decorators cannot run on Node 20".into(),
        line,
        column,
        source_line: source_line.to_string(),
      });
    }
  }
  let semantic = SemanticBuilder::new_compiler().build(&program);
  if let Some(e) = semantic.diagnostics.errors().next() {
    return Err(syntax_failure(source, e));
  }
  let scoping = semantic.semantic.into_scoping();
  let options = transform_options(config);
  let done = Transformer::new(&allocator, Path::new(path), &options)
    .build_with_scoping(scoping, &mut program);
  if let Some(e) = done.diagnostics.errors().next() {
    return Err(syntax_failure(source, e));
  }
  // oxc keeps a file whose imports were all of types a module by adding
  // `export {}`; where the syntax decides, Node reads what is left (as its
  // type stripping does), so the added statement goes.
  if format == Format::Detect {
    if let Some(oxc_ast::ast::Statement::ExportNamedDeclaration(d)) = program.body.last() {
      if d.span.is_empty() && d.specifiers.is_empty() {
        program.body.pop();
      }
    }
  }
  let printed = Codegen::new()
    .with_options(CodegenOptions {
      source_map_path: Some(path.into()),
      ..CodegenOptions::default()
    })
    .build(&program);
  let map = printed
    .map
    .as_ref()
    .map(LineMap::from_oxc)
    .unwrap_or_default();
  Ok(Transformed::new(printed.code, module, map, source))
}

/// Where the program's first decorator starts (oxc leaves decorators in
/// place unless it compiles legacy ones, and V8 cannot run them).
fn first_decorator(program: &oxc_ast::ast::Program<'_>) -> Option<u32> {
  use oxc_ast_visit::Visit;
  struct Find(Option<u32>);
  impl<'a> Visit<'a> for Find {
    fn visit_decorator(&mut self, it: &oxc_ast::ast::Decorator<'a>) {
      if self.0.is_none() {
        self.0 = Some(it.span.start);
      }
    }
  }
  let mut find = Find(None);
  find.visit_program(program);
  find.0
}

fn transform_options(config: &TypeScriptConfig) -> TransformOptions {
  let mut jsx = JsxOptions::enable();
  // No React Fast Refresh, no display names beyond what JSX needs.
  jsx.display_name_plugin = false;
  match config.jsx {
    Jsx::React => {
      jsx.runtime = JsxRuntime::Classic;
      jsx.pragma = config.jsx_factory.clone();
      jsx.pragma_frag = config.jsx_fragment_factory.clone();
    }
    Jsx::ReactJsx | Jsx::ReactJsxDev => {
      jsx.runtime = JsxRuntime::Automatic;
      jsx.development = config.jsx == Jsx::ReactJsxDev;
      jsx.import_source = config.jsx_import_source.clone();
    }
  }
  jsx.conform();
  let mut typescript = TypeScriptOptions::default();
  if let Some(f) = &config.jsx_factory {
    typescript.jsx_pragma = f.clone().into();
  }
  if let Some(f) = &config.jsx_fragment_factory {
    typescript.jsx_pragma_frag = f.clone().into();
  }
  TransformOptions {
    typescript,
    decorator: DecoratorOptions {
      legacy: config.experimental_decorators,
      emit_decorator_metadata: config.experimental_decorators && config.emit_decorator_metadata,
      strict_null_checks: true,
    },
    jsx,
    helper_loader: HelperLoaderOptions {
      mode: HelperLoaderMode::Runtime,
      module_name: HELPERS_MODULE.into(),
    },
    ..TransformOptions::default()
  }
}

/// oxc's diagnostic as a V8-like syntax error: its message, and where its
/// first label points.
fn syntax_failure(source: &str, e: &oxc_diagnostics::OxcDiagnostic) -> Failure {
  let offset = e
    .labels
    .first()
    .map_or(0, |l| l.offset() as usize)
    .min(source.len());
  let (line, column, source_line) = position(source, offset);
  Failure::Syntax {
    message: e.message.to_string(),
    line,
    column,
    source_line: source_line.to_string(),
  }
}

/// The 1-based line, 0-based UTF-16 column and text of the line at byte
/// `offset` (lines end at \n, \r\n, \r, U+2028 and U+2029, as in JS).
pub fn position(source: &str, offset: usize) -> (u32, u32, &str) {
  let mut offset = offset.min(source.len());
  while !source.is_char_boundary(offset) {
    offset -= 1;
  }
  let mut line = 1u32;
  let mut start = 0;
  for (i, c) in source[..offset].char_indices() {
    if is_line_end(source, i, c) {
      line += 1;
      start = i + c.len_utf8();
    }
  }
  let column = source[start..offset].encode_utf16().count() as u32;
  let end = source[start..]
    .char_indices()
    .find(|&(i, c)| is_line_end(source, start + i, c) || c == '\n')
    .map_or(source.len(), |(i, _)| start + i);
  (line, column, &source[start..end])
}

fn is_line_end(source: &str, i: usize, c: char) -> bool {
  match c {
    '\n' | '\u{2028}' | '\u{2029}' => true,
    // \r\n counts once, at its \n.
    '\r' => source.as_bytes().get(i + 1) != Some(&b'\n'),
    _ => false,
  }
}

/// The transform of `source` (file `path`) for the calling guest process:
/// from the runtime's cache or made now; its source map is kept for the
/// process's stack traces either way.
pub fn for_process(
  s: &mut OpState,
  source: &str,
  path: &str,
  format: Format,
) -> Result<Arc<Transformed>, Failure> {
  if path.len() > s.kernel.max_path_length {
    return Err(Failure::Limit(
      "a TypeScript file's path is longer than limits.maxPathLength".into(),
    ));
  }
  let cached = s.kernel.ts_cache().get(path, source, format);
  let t = match cached {
    Some(r) => r?,
    None => {
      let r = transform(source, path, format, &s.kernel.typescript).map(Arc::new);
      s.kernel
        .ts_transforms
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
      if !matches!(r, Err(Failure::Busy(_))) {
        s.kernel.ts_cache().put(path, source, format, r.clone());
      }
      r?
    }
  };
  s.process.ts_maps.register(path, &t.mapping);
  Ok(t)
}

pub fn format_of(name: &str) -> Format {
  match name {
    "module" => Format::Module,
    "commonjs" => Format::CommonJs,
    _ => Format::Detect,
  }
}

/// `mod_transform(source, path, format)`: the JavaScript of a TypeScript
/// file (`format` as `mod_resolve` tells it: "module", "commonjs", or ""
/// when its syntax decides). A syntax error is a value, [message, line,
/// column, source line], for the guest to throw as Node would; a bound
/// hit is an error.
pub fn op_transform(
  s: &mut OpState,
  source: &str,
  path: &str,
  format: &str,
) -> OpResult<OpValue<'static>> {
  match for_process(s, source, path, format_of(format)) {
    Ok(t) => Ok(OpValue::Str(t.code.clone().into())),
    Err(Failure::Syntax {
      message,
      line,
      column,
      source_line,
    }) => Ok(OpValue::Strings(vec![
      message,
      line.to_string(),
      column.to_string(),
      source_line,
    ])),
    Err(Failure::Limit(why) | Failure::Busy(why)) => Err(OpError::coded(
      ErrorClass::RangeError,
      "ERR_SANDBOX_TYPESCRIPT_LIMIT",
      why,
    )),
  }
}

/// Longest source line handed back for an error's arrow.
const MAX_ARROW_LINE_BYTES: usize = 64 * 1024;

/// `mod_source_position(name, line, column)`: where a position (1-based,
/// as V8's stack traces count) of the TypeScript file V8 names `name` came
/// from: [line, column, that source line], or null without a map.
pub fn op_source_position(
  s: &mut OpState,
  name: &str,
  line: u32,
  column: u32,
) -> OpResult<OpValue<'static>> {
  let Some(m) = s.process.ts_maps.get(name) else {
    return Ok(OpValue::Null);
  };
  let Some((l, c)) = m.original(line, column) else {
    return Ok(OpValue::Null);
  };
  let mut text = m.source_line(l).unwrap_or("");
  if text.len() > MAX_ARROW_LINE_BYTES {
    let mut end = MAX_ARROW_LINE_BYTES;
    while !text.is_char_boundary(end) {
      end -= 1;
    }
    text = &text[..end];
  }
  Ok(OpValue::Strings(vec![
    l.to_string(),
    c.to_string(),
    text.to_string(),
  ]))
}

#[cfg(test)]
mod tests;
