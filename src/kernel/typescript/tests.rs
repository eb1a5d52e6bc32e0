use super::*;
use std::sync::atomic::Ordering;

fn ts(source: &str) -> Transformed {
  transform_here(
    source,
    "/x.ts",
    Format::Detect,
    &TypeScriptConfig::default(),
  )
  .unwrap_or_else(|e| panic!("{e:?}"))
}

fn ts_with(source: &str, path: &str, config: &TypeScriptConfig) -> String {
  match transform_here(source, path, Format::Detect, config) {
    Ok(t) => t.code,
    Err(e) => panic!("{e:?}"),
  }
}

/// The stack `f` used at most, in bytes: the resident pages of a fresh
/// thread's stack after it ran.
fn stack_used(f: impl FnOnce() + Send + 'static) -> usize {
  let used = || {
    // Reads this thread's own attributes and which pages of its stack
    // mapping are resident; the buffer has one byte per page.
    // SAFETY: only this thread's attributes and mapping, into buffers of ours.
    unsafe {
      let mut attr: libc::pthread_attr_t = std::mem::zeroed();
      assert_eq!(libc::pthread_getattr_np(libc::pthread_self(), &mut attr), 0);
      let mut addr: *mut libc::c_void = std::ptr::null_mut();
      let mut size: libc::size_t = 0;
      libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
      libc::pthread_attr_destroy(&mut attr);
      let mut pages = vec![0u8; size / 4096];
      assert_eq!(libc::mincore(addr, size, pages.as_mut_ptr()), 0);
      pages.iter().filter(|b| **b & 1 == 1).count() * 4096
    }
  };
  std::thread::Builder::new()
    .stack_size(1 << 30)
    .spawn(move || {
      f();
      used()
    })
    .unwrap()
    .join()
    .unwrap()
}

/// Sources nested `n` deep, each way oxc recurses: (name, source, file).
fn shapes(n: usize) -> Vec<(&'static str, String, &'static str)> {
  let r = |s: &str| s.repeat(n);
  vec![
    ("paren", format!("x = {}1{};", r("("), r(")")), "a.ts"),
    ("array", format!("x = {}{};", r("["), r("]")), "a.ts"),
    ("object", format!("x = {}1{};", r("{a:"), r("}")), "a.ts"),
    ("block", format!("{}{}", r("{"), r("}")), "a.ts"),
    ("not", format!("x = {}1;", r("!")), "a.ts"),
    ("typeof", format!("x = {}1;", r("typeof ")), "a.ts"),
    ("plus", format!("x = 1{};", r("+a")), "a.ts"),
    ("exp", format!("x = 1{};", r("**a")), "a.ts"),
    ("assign", format!("{}1;", r("a=")), "a.ts"),
    ("cond", format!("x = {}1;", r("a?b:")), "a.ts"),
    ("arrow", format!("x = {}1;", r("a=>")), "a.ts"),
    ("member", format!("x = a{};", r(".b")), "a.ts"),
    ("call", format!("x = a{};", r("()")), "a.ts"),
    ("if", format!("{}x;", r("if(a)")), "a.ts"),
    ("elseif", format!("if(a)x;{}", r("else if(a)x;")), "a.ts"),
    (
      "label",
      (0..n).map(|i| format!("l{i}:")).collect::<String>() + "x;",
      "a.ts",
    ),
    ("generic", format!("let x: {}a{};", r("A<"), r(">")), "a.ts"),
    ("keyof", format!("let x: {}a;", r("keyof ")), "a.ts"),
    (
      "condtype",
      format!("type X = {}a;", r("a extends b ? c : ")),
      "a.ts",
    ),
    ("fntype", format!("let x: {}a;", r("() => ")), "a.ts"),
    ("tuple", format!("let x: {}a{};", r("["), r("]")), "a.ts"),
    (
      "typelit",
      format!("let x: {}a{};", r("{a:"), r("}")),
      "a.ts",
    ),
    ("template", format!("x = {}1{};", r("`${"), r("}`")), "a.ts"),
    ("jsx", format!("x = {}{};", r("<a>"), r("</a>")), "a.tsx"),
    (
      "jsxexpr",
      format!("x = {}{};", r("<a>{"), r("}</a>")),
      "a.tsx",
    ),
    (
      "jsxattr",
      format!("x = {}1{};", r("<a b={"), r("}/>")),
      "a.tsx",
    ),
    (
      "namespace",
      format!("{}{}", r("namespace a {"), r("}")),
      "a.ts",
    ),
    (
      "enumns",
      format!("{}{}", r("namespace a { export enum E { A = 1 } "), r("}")),
      "a.ts",
    ),
    ("fn", format!("{}{}", r("function f(){"), r("}")), "a.ts"),
    (
      "class",
      format!("x = {}{};", r("class { m() { return "), r("}}")),
      "a.ts",
    ),
    (
      "yield",
      format!("function* g() {{ x = {}1; }}", r("yield ")),
      "a.ts",
    ),
    ("new", format!("x = {}a;", r("new ")), "a.ts"),
    ("spread", format!("x = {}a{};", r("[..."), r("]")), "a.ts"),
    (
      "parentype",
      format!("let x: {}a{};", r("("), r(")")),
      "a.ts",
    ),
    ("assertion", format!("x = {}a;", r("<a>")), "a.ts"),
    (
      "arrowblock",
      format!("x = {}{};", r("()=>{"), r("}")),
      "a.ts",
    ),
    (
      "iife",
      format!("x = {}1{};", r("(function(){return "), r("})()")),
      "a.ts",
    ),
    ("forof", format!("{}x;", r("for(a of b)")), "a.ts"),
    (
      "mapped",
      format!("type X = {}a{};", r("{[K in a]: "), r("}")),
      "a.ts",
    ),
    (
      "ternparen",
      format!("x = {}1{};", r("(a?"), r(":b)")),
      "a.ts",
    ),
    (
      "regexdiv",
      format!("x = {}1{};", r("(/[)]/,"), r(")")),
      "a.ts",
    ),
  ]
}

fn check(source: &str, file: &str) -> Result<(), String> {
  nesting::check(source, file.ends_with(".tsx"), false)
}

#[test]
fn stack_stays_within_what_the_nesting_check_counted() {
  let base = stack_used(|| {});
  for n in [50, 400] {
    for (name, source, file) in shapes(n) {
      let mut peak = nesting::Peak::default();
      nesting::scan(
        &source,
        file.ends_with(".tsx"),
        false,
        nesting::MAX_DEPTH,
        nesting::MAX_UNITS,
        &mut peak,
      )
      .unwrap_or_else(|e| panic!("{name} {n}: {e}"));
      let file = file.to_string();
      let used = stack_used(move || {
        let r = transform_here(&source, &file, Format::Detect, &TypeScriptConfig::default());
        assert!(r.is_ok(), "{r:?}");
      })
      .saturating_sub(base);
      let budget =
        peak.depth * nesting::FRAME_STACK_BYTES + peak.units as usize * nesting::UNIT_STACK_BYTES;
      assert!(
        used <= budget + 64 * 1024,
        "{name} at {n}: {used} bytes of stack, counted {peak:?} ({budget})"
      );
    }
  }
}

#[test]
fn deep_nesting_of_every_kind_is_refused() {
  for (name, source, file) in shapes(100_000) {
    assert!(check(&source, file).is_err(), "{name}");
  }
  // The bound itself: 1000 brackets pass, 1001 do not.
  let at = |n: usize| format!("x = {}1{};", "(".repeat(n), ")".repeat(n));
  assert!(check(&at(nesting::MAX_DEPTH - 1), "a.ts").is_ok());
  assert!(check(&at(nesting::MAX_DEPTH + 1), "a.ts").is_err());
}

#[test]
fn nesting_hidden_in_what_lexes_two_ways_is_still_counted() {
  let n = 5000;
  let r = |s: &str| s.repeat(n);
  let attacks = [
    // A `/` after `}` divides or starts a regular expression.
    (format!("x = {}", r("{}/)/(")), "a.ts"),
    (r("if(a){}/)/;{"), "a.ts"),
    // After `++`, `>` and contextual keywords, likewise.
    (format!("x = {}", r("a++/)/(")), "a.ts"),
    (format!("x = {}", r("a>/)/(")), "a.ts"),
    (format!("function* g(){{ x = {}", r("yield/)/(")), "a.ts"),
    // Closers inside strings, templates, comments, regular expressions.
    (format!("x = {}", r("(')'+")), "a.ts"),
    (format!("x = {}", r("(`)`+")), "a.ts"),
    (format!("x = {}", r("(/*)*/")), "a.ts"),
    (format!("x = {}", r("(/[/)]/,")), "a.ts"),
    (format!("x = {}", r("(a<!--)\n")), "a.ts"),
    (format!("x = {}", r("(`${')'}`,")), "a.ts"),
    // JSX text is not code; type parameters are not JSX.
    (format!("x = {}", r("(<a>)</a>,")), "a.tsx"),
    (format!("x = {}", r("(<a b=')'>)</a>,")), "a.tsx"),
    (format!("let x: {}", r("<T>(a: (")), "a.tsx"),
    // A `,` inside type arguments does not end the expression around them.
    (r("a = f<A, B>() = "), "a.ts"),
    // A `;` before `else` does not end the statement.
    (r("if(a) x; else "), "a.ts"),
    // Keywords as property names are names.
    (format!("x = {}", r("a.if(b) / (")), "a.ts"),
    (format!("x = {}", r("this.#while(b) / (")), "a.ts"),
    // After a line break an operand may have ended its statement.
    (format!("let v\n/\"/;{}", r("(")), "a.ts"),
    (format!("type T = 'a'\n/'/;{}", r("(")), "a.ts"),
    (format!("let v\n<a>'</a>;{}", r("(")), "a.tsx"),
    // `!` is a prefix or a non-null assertion.
    (format!("x = {}", r("a! / \")\" / (")), "a.ts"),
    // U+2028 does not end a string.
    (format!("x = {}", r("(\"\u{2028})\" + ")), "a.ts"),
    // HTML-like comments only where oxc reads them.
    (format!("-->{}", r("(")), "a.ts"),
    (format!("x = {}", r("(\n<!--)\n")), "a.mts"),
  ];
  for (source, file) in attacks {
    let module = file.ends_with(".mts");
    assert!(
      nesting::check(&source, file.ends_with(".tsx"), module).is_err(),
      "{}",
      &source[..60]
    );
  }
}

#[test]
fn ordinary_code_passes_the_nesting_check() {
  let big_object = format!(
    "export const table = {{\n{}}};\n",
    (0..30_000)
      .map(|i| format!("  k{i}: {i} < 3,\n"))
      .collect::<String>()
  );
  assert!(check(&big_object, "a.ts").is_ok());
  let asi = (0..30_000)
    .map(|i| format!("function f{i}() {{ return {i} }}\nif (x) {{ y() }} else {{ z() }}\n"))
    .collect::<String>();
  assert!(check(&asi, "a.ts").is_ok());
  let interface = format!(
    "interface I {{\n{}}}\n",
    (0..5000)
      .map(|i| format!("  a{i}: string\n"))
      .collect::<String>()
  );
  assert!(check(&interface, "a.ts").is_ok());
  let tsx = r#"
    const List = <T,>({ items }: { items: T[] }) => (
      <ul className="list">
        {items.map((it, i) => <li key={i}>{String(it)} don't {'}'} (</li>)}
        <Comp<string> value="a" other={a / b} re={/x/g} / >
      </ul>
    );
    const f: <T>(x: T) => T = (x) => x;
    if (a < b) { c = d > e ? <a/> : <b></b> }
  "#
  .repeat(2000);
  assert!(check(&tsx, "a.tsx").is_ok());
}

#[test]
fn types_are_stripped() {
  let out = ts("let x: number = 1;\nfunction f<T>(a: T, b?: string): T { return a as T; }\ninterface I { a: 1 }\ntype U = I | string;\nexport {};");
  assert!(
    !out.code.contains("number") && !out.code.contains("interface"),
    "{}",
    out.code
  );
  assert!(out.code.contains("function f(a, b)"), "{}", out.code);
  assert!(out.module);
}

#[test]
fn enums_namespaces_and_parameter_properties_are_lowered() {
  let out = ts("enum E { A, B = 'b' }\nconst enum C { X = 2 }\nnamespace N { export const v = C.X; }\nclass P { constructor(private a: number, public b = 2) {} }\nconsole.log(E.A, N.v, new P(1));").code;
  assert!(out.contains("E[E[\"A\"] = 0] = \"A\""), "{out}");
  assert!(out.contains("this.a = a"), "{out}");
  assert!(
    !out.contains("enum ") && !out.contains("namespace "),
    "{out}"
  );
}

#[test]
fn jsx_follows_the_options() {
  let src = "const a = <div id=\"x\">hi<>{1}</></div>;";
  let classic = ts_with(src, "/a.tsx", &TypeScriptConfig::default());
  assert!(classic.contains("React.createElement(\"div\""), "{classic}");
  assert!(classic.contains("React.Fragment"), "{classic}");
  let pragma = ts_with(
    src,
    "/a.tsx",
    &TypeScriptConfig {
      jsx_factory: Some("h".into()),
      jsx_fragment_factory: Some("Frag".into()),
      ..TypeScriptConfig::default()
    },
  );
  assert!(
    pragma.contains("h(\"div\"") && pragma.contains("Frag"),
    "{pragma}"
  );
  let automatic = ts_with(
    src,
    "/a.tsx",
    &TypeScriptConfig {
      jsx: Jsx::ReactJsx,
      jsx_import_source: Some("preact".into()),
      ..TypeScriptConfig::default()
    },
  );
  // A file without import/export is CommonJS: the runtime is required.
  assert!(
    automatic.contains("require(\"preact/jsx-runtime\")"),
    "{automatic}"
  );
  let module = ts_with(
    &format!("{src}\nexport {{}};"),
    "/a.tsx",
    &TypeScriptConfig {
      jsx: Jsx::ReactJsx,
      ..TypeScriptConfig::default()
    },
  );
  assert!(module.contains("from \"react/jsx-runtime\""), "{module}");
}

#[test]
fn syntax_errors_say_where() {
  let e = transform_here(
    "let a: number = 1;\nlet b: = 2;\n",
    "/x.ts",
    Format::Detect,
    &TypeScriptConfig::default(),
  );
  let Err(Failure::Syntax {
    line,
    column,
    source_line,
    message,
  }) = e
  else {
    panic!("{e:?}")
  };
  assert_eq!((line, column, source_line.as_str()), (2, 7, "let b: = 2;"));
  assert!(!message.is_empty());
}

#[test]
fn the_source_map_leads_back_to_the_typescript_lines() {
  let src = "interface A {\n  a: number;\n}\ntype B = A;\nconst x: B = { a: 1 };\nthrow new Error('x' + x.a);\n";
  let out = ts(src);
  let line = out
    .code
    .lines()
    .position(|l| l.starts_with("throw"))
    .unwrap() as u32
    + 1;
  let col = out
    .code
    .lines()
    .nth(line as usize - 1)
    .unwrap()
    .find("new")
    .unwrap() as u32
    + 1;
  assert_eq!(out.mapping.original(line, col), Some((6, 7)));
  assert_eq!(
    out.mapping.source_line(6),
    Some("throw new Error('x' + x.a);")
  );
  // Columns count UTF-16 units, as V8's do.
  let out = ts("const s: string = '\u{1F600}é'; throw new Error(s);\n");
  let (n, code_line) = out
    .code
    .lines()
    .enumerate()
    .find(|(_, l)| l.contains("throw"))
    .unwrap();
  let col = code_line[..code_line.find("new").unwrap()]
    .encode_utf16()
    .count() as u32
    + 1;
  assert_eq!(out.mapping.original(n as u32 + 1, col), Some((1, 32)));
}

#[test]
fn decorators_need_the_option() {
  let src = "const email = 'a@b';\nfunction s(c: any) {}\n@s class A {}\n";
  let Err(Failure::Syntax {
    line,
    column,
    message,
    ..
  }) = transform_here(src, "/x.ts", Format::Detect, &TypeScriptConfig::default())
  else {
    panic!("decorators passed")
  };
  assert_eq!((line, column), (3, 0));
  assert!(message.contains("experimentalDecorators"), "{message}");
  let legacy = TypeScriptConfig {
    experimental_decorators: true,
    ..TypeScriptConfig::default()
  };
  assert!(ts_with(src, "/x.ts", &legacy).contains("_decorate"));
}

#[test]
fn positions_count_lines_and_utf16_columns() {
  assert_eq!(position("a\nbc", 3), (2, 1, "bc"));
  assert_eq!(position("a\r\nbc", 4), (2, 1, "bc"));
  assert_eq!(position("é\u{1F600}x", 6), (1, 3, "é\u{1F600}x"));
  assert_eq!(position("a\u{2028}b", 4), (2, 0, "b"));
}

#[test]
fn limits_are_errors_not_crashes() {
  let huge = "let x = 1;\n".repeat(MAX_SOURCE_BYTES / 11 + 1);
  assert!(matches!(
    transform(&huge, "/x.ts", Format::Detect, &TypeScriptConfig::default()),
    Err(Failure::Limit(_))
  ));
  let deep = format!("x = {}1{};", "(".repeat(100_000), ")".repeat(100_000));
  assert!(matches!(
    transform(&deep, "/x.ts", Format::Detect, &TypeScriptConfig::default()),
    Err(Failure::Limit(_))
  ));
  // Near the bound, on the transform's own thread: fine.
  let near = format!("x = {}1{};", "(".repeat(990), ")".repeat(990));
  assert!(transform(&near, "/x.ts", Format::Detect, &TypeScriptConfig::default()).is_ok());
}

#[test]
fn formats_follow_the_extension_then_the_syntax() {
  let cfg = TypeScriptConfig::default();
  let cjs = transform_here(
    "const a: number = 1; return;",
    "/x.cts",
    Format::CommonJs,
    &cfg,
  )
  .unwrap();
  assert!(!cjs.module);
  let mjs = transform_here("const a: number = 1;", "/x.mts", Format::Module, &cfg).unwrap();
  assert!(mjs.module);
  let detect = transform_here(
    "import type { T } from './t';\nconst a: T = 1;",
    "/x.ts",
    Format::Detect,
    &cfg,
  )
  .unwrap();
  // oxc read a module; with the types gone, nothing of one is left, and
  // Node's detection (after the transform) sees a script.
  assert!(
    detect.module && !detect.code.contains("export"),
    "{}",
    detect.code
  );
  let written = transform_here(
    "import type { T } from './t';\nexport {};",
    "/x.ts",
    Format::Detect,
    &cfg,
  )
  .unwrap();
  assert!(written.code.contains("export {}"), "{}", written.code);
  let kept = transform_here(
    "import type { T } from './t';\nconst a: T = 1;",
    "/x.mts",
    Format::Module,
    &cfg,
  )
  .unwrap();
  assert!(kept.code.contains("export {}"), "{}", kept.code);
  let script = transform_here(
    "const a: number = 1;\nreturn a;",
    "/x.ts",
    Format::Detect,
    &cfg,
  )
  .unwrap();
  assert!(!script.module);
  // Top-level await makes a module, as Node's detection.
  let tla = transform_here("const a: number = await 1;", "/x.ts", Format::Detect, &cfg).unwrap();
  assert!(tla.module && tla.code.contains("await 1"), "{}", tla.code);
}

fn mapping(source: &str) -> Arc<store::Mapping> {
  ts(source).mapping.clone()
}

#[test]
fn the_cache_finds_a_file_by_path_format_and_source_and_stays_bounded() {
  let mut cache = store::Cache::default();
  let t = Arc::new(ts("const a: number = 1;"));
  cache.put(
    "/a.ts",
    "const a: number = 1;",
    Format::Detect,
    Ok(t.clone()),
  );
  let hit = cache.get("/a.ts", "const a: number = 1;", Format::Detect);
  assert!(matches!(hit, Some(Ok(h)) if Arc::ptr_eq(&h, &t)));
  assert!(cache
    .get("/a.ts", "const a: number = 2;", Format::Detect)
    .is_none());
  assert!(cache
    .get("/a.ts", "const a: number = 1;", Format::Module)
    .is_none());
  assert!(cache
    .get("/b.ts", "const a: number = 1;", Format::Detect)
    .is_none());
  // Failures are kept too.
  let failure = Failure::Limit("too deep".into());
  cache.put("/bad.ts", "((((", Format::Detect, Err(failure.clone()));
  assert_eq!(
    cache
      .get("/bad.ts", "((((", Format::Detect)
      .map(|r| r.err()),
    Some(Some(failure))
  );
  // Past its entry bound the oldest go first.
  for i in 0..store::MAX_CACHE_ENTRIES {
    cache.put(
      &format!("/f{i}.ts"),
      "x",
      Format::Detect,
      Err(Failure::Limit("x".into())),
    );
  }
  assert!(cache
    .get("/a.ts", "const a: number = 1;", Format::Detect)
    .is_none());
  assert!(cache
    .get(
      &format!("/f{}.ts", store::MAX_CACHE_ENTRIES - 1),
      "x",
      Format::Detect
    )
    .is_some());
  // And past its byte bound.
  let big = "y".repeat(store::MAX_CACHE_BYTES / 3);
  for i in 0..4 {
    cache.put(
      &format!("/big{i}.ts"),
      &big,
      Format::Detect,
      Err(Failure::Limit("x".into())),
    );
  }
  assert!(cache.get("/big0.ts", &big, Format::Detect).is_none());
  assert!(cache.get("/big3.ts", &big, Format::Detect).is_some());
}

#[test]
fn a_process_keeps_maps_by_path_or_url_within_bounds() {
  let mut maps = store::ProcessMaps::default();
  assert!(maps.get("/a.ts").is_none());
  let m = mapping("const a: number = 1;\nthrow new Error(String(a));\n");
  maps.register("/dir/a b.ts", &m);
  assert!(maps.get("/dir/a b.ts").is_some());
  assert!(maps.get("file:///dir/a%20b.ts").is_some());
  assert!(maps.get("file:///dir/other.ts").is_none());
  assert!(maps.get("not a url").is_none());
  for i in 0..store::MAX_PROCESS_MAPS + 10 {
    maps.register(&format!("/m{i}.ts"), &m);
  }
  assert!(maps
    .get(&format!("/m{}.ts", store::MAX_PROCESS_MAPS - 2))
    .is_some());
  assert!(maps
    .get(&format!("/m{}.ts", store::MAX_PROCESS_MAPS + 5))
    .is_none());
}

mod ops {
  use super::*;
  use crate::kernel::clock::Clock;
  use crate::kernel::process::{Process, ProcessControl};
  use crate::kernel::stdio::Stdio;

  struct NoHost;
  impl ProcessControl for NoHost {
    fn exit(&self, _code: i32) {}
    fn query_host(&self, _q: crate::ipc::Query) -> Result<Vec<u8>, OpError> {
      Err(OpError::coded(ErrorClass::Error, "ERR_TEST", "no host"))
    }
    fn query_host_async(&self, _q: crate::ipc::Query) -> crate::kernel::op::OpFuture {
      Box::pin(async { Ok(OpValue::Undefined) })
    }
    fn next_completion(&self, _pid: u32) -> Option<(u32, crate::kernel::op::OpOutcome)> {
      None
    }
    fn set_op_ref(&self, _promise: u32, _refed: bool) -> bool {
      false
    }
    fn audit(&self, _event: crate::ipc::AuditEvent) {}
    fn wait(&self, _until: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>) -> bool {
      false
    }
  }

  fn state() -> OpState {
    OpState::new(
      Process::new(100, Stdio::new(1024, None), Clock::new(true)),
      std::rc::Rc::new(NoHost),
      Arc::new(crate::kernel::Kernel::default()),
    )
  }

  #[test]
  fn transform_serves_code_syntax_errors_and_limits() {
    let mut s = state();
    let src = "type N = number;\nconst a: N = 1;\nthrow new Error('x' + a);\n";
    let Ok(OpValue::Str(code)) = op_transform(&mut s, src, "/w/a.ts", "") else {
      panic!("no code")
    };
    assert!(code.contains("throw new Error"));
    // Cached: the second call transforms nothing.
    let _ = op_transform(&mut s, src, "/w/a.ts", "");
    assert_eq!(s.kernel.ts_transforms.load(Ordering::Relaxed), 1);
    // The map serves the process's stack traces.
    let line = code.lines().position(|l| l.starts_with("throw")).unwrap() as u32 + 1;
    let Ok(OpValue::Strings(at)) = op_source_position(&mut s, "/w/a.ts", line, 7) else {
      panic!("no position")
    };
    assert_eq!(at, ["3", "7", "throw new Error('x' + a);"]);
    assert_eq!(
      op_source_position(&mut s, "/w/other.ts", 1, 1),
      Ok(OpValue::Null)
    );
    let Ok(OpValue::Strings(e)) = op_transform(&mut s, "let b: = 1;", "/w/b.ts", "commonjs") else {
      panic!("no syntax error")
    };
    assert_eq!(&e[1..], ["1", "7", "let b: = 1;"]);
    let deep = format!("x = {}1{};", "(".repeat(5000), ")".repeat(5000));
    assert!(matches!(
      op_transform(&mut s, &deep, "/w/c.ts", ""),
      Err(OpError::Coded {
        code: "ERR_SANDBOX_TYPESCRIPT_LIMIT",
        ..
      })
    ));
    let long = format!("/{}.ts", "p".repeat(s.kernel.max_path_length));
    assert!(op_transform(&mut s, "1", &long, "").is_err());
  }
}

#[test]
fn pragmas_from_the_guest_never_take_the_transform_down() {
  for pragma in [
    "@jsx 1+1",
    "@jsx a..b",
    "@jsx",
    "@jsx .",
    "@jsxFrag ...",
    "@jsxRuntime nonsense",
    "@jsxRuntime automatic @jsxImportSource \"x\\n",
    "@jsxImportSource ",
  ] {
    let src = format!("/** {pragma} */\nconst a = <b>{{1}}</b>;\n");
    // Either way an answer, on the transform's own thread.
    let _ = transform(&src, "/p.tsx", Format::Detect, &TypeScriptConfig::default());
  }
}

/// Random valid nestings of constructs that lex two ways (or hide
/// brackets in strings, comments, regular expressions, JSX text): whatever
/// the scan lets through under small bounds, oxc must stay within the stack
/// those bounds allow. An unsound scan shows here as more stack, never as a
/// crash (the measuring thread's stack is 1 GiB).
#[test]
fn what_the_scan_lets_through_stays_within_its_stack_budget() {
  const DEPTH: usize = 40;
  const UNITS: u32 = 400;
  let mut seed = 0x9e37_79b9_7f4a_7c15u64;
  let mut next = move |n: usize| {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    (seed % n as u64) as usize
  };
  // Each level: what opens it and what closes it, valid around any expression.
  const LEVELS: &[(&str, &str)] = &[
    ("(", ")"),
    ("[", "]"),
    ("{a: ", "}"),
    ("`${", "}`"),
    ("!(", ")"),
    ("(a => ", ")"),
    ("a ? b : ", ""),
    ("(a.if(b) / ", ")"),
    ("(x! / ", ")"),
    ("(/[)]/.source + ", ")"),
    ("(\")\" + ", ")"),
    ("(`)` + ", ")"),
    ("(/* ) */ ", ")"),
    ("(a <!-- )\n + ", ")"),
    ("f(a, ", ")"),
    ("(function () { if (a) /[)]/.test(b); return ", "; })()"),
    ("(function () { let v\n/[)]/g.test(b); return ", "; })()"),
    ("(function* () { yield /[(]/; return ", "; })()"),
    ("(() => { ++/[)]/.lastIndex; return ", "; })()"),
    ("(function () { if (a) {}\n/[)]/.test(b); return ", "; })()"),
    ("(a satisfies any) + (", ")"),
    ("(<T,>(x: T) => x)(", ")"),
  ];
  const JSX: &[(&str, &str)] = &[
    ("<a b=')'>{", "}</a>"),
    ("<a>)( {", "}</a>"),
    ("<A<string> c={", "} / >"),
    ("(b < c) && <a>{", "}</a>"),
  ];
  let base = stack_used(|| {});
  let (mut passed, mut parsed) = (0, 0);
  for case in 0..300 {
    let tsx = case % 3 == 0;
    let mut open: Vec<&str> = Vec::new();
    let mut src = String::from("x = ");
    for _ in 0..next(3 * DEPTH) {
      let (o, c) = if tsx && next(3) == 0 {
        JSX[next(JSX.len())]
      } else {
        LEVELS[next(LEVELS.len())]
      };
      src.push_str(o);
      open.push(c);
    }
    src.push('1');
    while let Some(c) = open.pop() {
      src.push_str(c);
    }
    src.push(';');
    let file = if tsx { "/f.tsx" } else { "/f.ts" };
    let mut peak = nesting::Peak::default();
    if nesting::scan(&src, tsx, false, DEPTH, UNITS, &mut peak).is_err() {
      continue;
    }
    passed += 1;
    let (s, f) = (src.clone(), file.to_string());
    let (tx, rx) = std::sync::mpsc::channel();
    let used = stack_used(move || {
      let r = transform_here(&s, &f, Format::Detect, &TypeScriptConfig::default());
      let _ = tx.send(r.is_ok());
    })
    .saturating_sub(base);
    if rx.recv().unwrap_or(false) {
      parsed += 1;
    }
    // What the scan counted, not just its bounds, holds what oxc used.
    let budget =
      peak.depth * nesting::FRAME_STACK_BYTES + peak.units as usize * nesting::UNIT_STACK_BYTES;
    assert!(
      used <= budget + 64 * 1024,
      "{used} > {budget} ({peak:?}) for {src:?}"
    );
  }
  // The cases are valid code: most that pass the scan transform.
  assert!(
    passed > 50 && parsed * 10 >= passed * 9,
    "{passed} passed, {parsed} parsed"
  );
}
