use std::process::Command;

use proptest::prelude::*;

use super::*;

fn found(exports: &[&str], reexports: &[&str]) -> CjsExports {
  CjsExports {
    exports: exports.iter().map(|s| s.to_string()).collect(),
    reexports: reexports.iter().map(|s| s.to_string()).collect(),
  }
}

#[track_caller]
fn check(source: &str, exports: &[&str], reexports: &[&str]) {
  assert_eq!(
    detect(source),
    found(exports, reexports),
    "source: {source}"
  );
}

// ---- the examples of cjs-module-lexer's README, with what the lexer
// (and so Node 20.20.2) really reports ----

#[test]
fn readme_usage_example() {
  // The README's comment says exports a, b, c, __esModule and re-exports
  // dep1, dep2; the lexer also takes d and e from the literal, and the
  // literal assignment drops the earlier re-exports.
  check(
    "// named exports detection
module.exports.a = 'a';
(function () {
  exports.b = 'b';
})();
Object.defineProperty(exports, 'c', { value: 'c' });
/* exports.d = 'not detected'; */

// reexports detection
if (maybe) module.exports = require('./dep1.js');
if (another) module.exports = require('./dep2.js');

// literal exports assignments
module.exports = { a, b: c, d, 'e': f }

// __esModule detection
Object.defineProperty(module.exports, '__esModule', { value: true })
",
    &["a", "b", "c", "d", "e", "__esModule"],
    &[],
  );
  check(
    "if (maybe) module.exports = require('./dep1.js');
if (another) module.exports = require('./dep2.js');",
    &[],
    &["./dep2.js"],
  );
}

#[test]
fn readme_named_exports() {
  check(
    "(function (exports) {
  exports.a = 'a'; 
  exports['b'] = 'b';
})(exports);",
    &["a", "b"],
    &[],
  );
  // No scope analysis: over-classifies...
  check(
    "(function (exports, Object) {
  exports.a = 'a';
  exports['b'] = 'b';
  if (false)
    exports.c = 'c';
})(NOT_EXPORTS, NOT_OBJECT);",
    &["a", "b", "c"],
    &[],
  );
  // ... and under-classifies renamed `exports`.
  check(
    "(function (e) {\n  e.a = 'a';\n  e['b'] = 'b';\n})(exports);",
    &[],
    &[],
  );
}

#[test]
fn readme_getter_exports() {
  check(
    "Object.defineProperty(exports, 'a', {
  enumerable: true,
  get: function () {
    return q.p;
  }
});
Object.defineProperty(exports, 'b', {
  enumerable: true,
  get: function () {
    return q['p'];
  }
});
Object.defineProperty(exports, 'c', {
  enumerable: true,
  get () {
    return b;
  }
});
Object.defineProperty(exports, 'd', { value: 'd' });
Object.defineProperty(exports, '__esModule', { value: true });",
    &["a", "b", "c", "d", "__esModule"],
    &[],
  );
  check(
    "Object.defineProperty(exports, 'a', {\n  value: 'no problem'\n});",
    &["a"],
    &[],
  );
  // A getter of another form opts its name out.
  check(
    "Object.defineProperty(exports, 'a', {
  get () {
    return 'nope';
  }
});

if (false) {
  Object.defineProperty(module.exports, 'a', {
    get () {
      return dynamic();
    }
  })
}",
    &[],
    &[],
  );
  check(
    "Object.defineProperty(exports, 'a', {
  enumerable: false,
  get () {
    return p;
  }
});
Object.defineProperty(exports, 'b', {
  configurable: true,
  get () {
    return p;
  }
});
Object.defineProperty(exports, 'c', {
  get: () => p
});
Object.defineProperty(exports, 'd', {
  enumerable: true,
  get: function () {
    return dynamic();
  }
});
Object.defineProperty(exports, 'e', {
  enumerable: true,
  get () {
    return 'str';
  }
});",
    &[],
    &[],
  );
  // `Object.defineProperties` is not supported.
  check(
    "Object.defineProperties(exports, { a: { value: 1 } })",
    &[],
    &[],
  );
}

#[test]
fn readme_exports_object_assignment() {
  check(
    "module.exports = {\n  a,\n  'b': b,\n  c: c,\n  ...d\n};",
    &["a", "b", "c"],
    &[],
  );
  check(
    "module.exports = {
  a,
  ...d,
  b: require('c'),
  c: \"not detected since require('c') above bails the object detection\"
}",
    &["a", "b"],
    &[],
  );
}

#[test]
fn readme_module_exports_reexport() {
  check(
    "module.exports = require('a');
(module => module.exports = require('b'))(NOT_MODULE);
if (false) module.exports = require('c');",
    &[],
    &["c"],
  );
  check(
    "module.exports = require('ignored');\nmodule.exports = {\n  ...require('a'),\n  ...require('b')\n};",
    &[],
    &["a", "b"],
  );
}

#[test]
fn readme_transpiler_reexports() {
  check(
    "\"use strict\";

exports.__esModule = true;

var _external = require(\"external\");

Object.keys(_external).forEach(function (key) {
  if (key === \"default\" || key === \"__esModule\") return;
  exports[key] = _external[key];
});",
    &["__esModule"],
    &["external"],
  );
  check(
    "\"use strict\";
function __export(m) {
    for (var p in m) if (!exports.hasOwnProperty(p)) exports[p] = m[p];
}
Object.defineProperty(exports, \"__esModule\", { value: true });
__export(require(\"external\"));",
    &["__esModule"],
    &["external"],
  );
}

// ---- each production of the README's grammar ----

#[test]
fn grammar_exports_member_assign() {
  // EXPORTS_DOT_ASSIGN, EXPORTS_LITERAL_COMPUTED_ASSIGN, anywhere.
  check(
    "exports.a = 1; module.exports.b = 2; exports['c'] = 3; module.exports[\"d\"] = 4",
    &["a", "b", "c", "d"],
    &[],
  );
  check(
    "x = exports.a = exports.b = 1; f(exports.c = 2); `${exports.d = 1}`",
    &["a", "b", "c", "d"],
    &[],
  );
  // `=` is the lexer's test: `==` and `===` count, `+=` does not.
  check(
    "exports.a == 1; exports.b === 1; exports.c += 1; exports.d != 1",
    &["a", "b"],
    &[],
  );
  check(
    "[exports.a = 1] = x; ({ y: exports.b = 2 } = z)",
    &["a", "b"],
    &[],
  );
  // Not after a dot, not in parentheses, not deeper members.
  check(
    "x.exports.a = 1; (exports).b = 1; (exports.c) = 1; exports.d.e = 1",
    &[],
    &[],
  );
  // Comments and strings do not count.
  check(
    "/* exports.a = 1 */ 'exports.b = 1'; /exports.c = 1/; exports.d = 1",
    &["d"],
    &[],
  );
  // Identifier names as the lexer reads them: any word (no reserved-word
  // filter in the lexer Node 20 uses), Unicode, no `\u` escapes.
  check(
    "exports.default = 1; exports.let = 2; exports.ñ = 3; exports.\\u0061b = 4",
    &["default", "let", "ñ"],
    &[],
  );
  // String names are decoded; lone surrogates are dropped.
  check(
    "exports['a\\x62'] = 1; exports['\\uD800'] = 2; exports['\\u{1F600}'] = 3",
    &["ab", "😀"],
    &[],
  );
  check("exports[`a`] = 1; exports[a] = 2", &[], &[]);
}

#[test]
fn grammar_define_property() {
  // EXPORTS_DEFINE_VALUE: value form (anything may follow `value:`).
  check(
    "Object.defineProperty(exports, 'a', { value: 1 }); Object.defineProperty(module.exports, 'b', { enumerable: true, value: 1, get: 2 })",
    &["a", "b"],
    &[],
  );
  // Getter forms returning `x`, `x.y` or `x['y']`.
  check(
    "Object.defineProperty(exports, 'a', { get: function () { return x } });
Object.defineProperty(exports, 'b', { enumerable: true, get: function g() { return this.y; }, });
Object.defineProperty(exports, 'c', { get() { return x['y'] } })",
    &["a", "b", "c"],
    &[],
  );
  // Any other use of `Object.defineProperty(exports, 'name'` removes the
  // name, wherever else it is exported, before or after.
  check(
    "exports.a = 1; Object.defineProperty(exports, 'a', { get() { return f() } })",
    &[],
    &[],
  );
  check(
    "Object.defineProperty(exports, 'a', desc); exports.a = 1; exports.b = 1",
    &["b"],
    &[],
  );
  check(
    "Object.defineProperty(exports, 'a', { enumerable: !0, get() { return x } }); exports.a = 1",
    &[],
    &[],
  );
  check(
    "Object.defineProperty(exports, 'a' + b, {}); exports.a = 1",
    &[],
    &[],
  );
  check(
    "Object.defineProperty(exports, 'a', { get() { return x } }, ); exports.a = 1",
    &[],
    &[],
  );
  // Not a define of `exports`: no effect.
  check("Object.defineProperty(other, 'a', {}); Object.defineProperty((exports), 'a', {}); exports.a = 1", &["a"], &[]);
}

#[test]
fn grammar_exports_literal() {
  // EXPORTS_LITERAL: identifiers, `id: id`, `'str': id`, spreads.
  check(
    "module.exports = { a, b: c, 'd': e, ...f, ...require('g') }",
    &["a", "b", "d"],
    &["g"],
  );
  // The first property of another form ends it (a name before it counts).
  check("module.exports = { a, b: c.d, e }", &["a", "b"], &[]);
  check("module.exports = { a, b: 1, c }", &["a"], &[]);
  check("module.exports = { a, get b() {}, c }", &["a", "get"], &[]);
  check("module.exports = { a, [b]: c, d }", &["a"], &[]);
  check("module.exports = { ...require('a').b, c }", &[], &["a"]);
  // Exactly after `module.exports =`.
  check(
    "module.exports = ({ a }); module.exports.b = { c }; exports = { d }",
    &["b"],
    &[],
  );
}

#[test]
fn grammar_reexports() {
  // MODULE_EXPORTS_ASSIGN: the last `module.exports =` wins.
  check(
    "module.exports = require('a'); module.exports = require('b')",
    &[],
    &["b"],
  );
  check(
    "module.exports = require('a'); module.exports = x",
    &[],
    &[],
  );
  check(
    "module.exports = require('a'); module.exports.x = 1",
    &["x"],
    &["a"],
  );
  check(
    "module.exports = require('a') + 1; module.exports = require('b', 'c')",
    &[],
    &[],
  );
  // EXPORT_STAR, top level only (outside `(`, `{`, `${`; `[` does not count).
  check(
    "__export(require('a')); __exportStar(require('b'), exports); tslib_1.__exportStar(require('c'), exports); if (x) __export(require('d'))",
    &[],
    &["a", "b", "c", "d"],
  );
  check("function f() { __export(require('a')) } (__exportStar(require('b'))); [x, __export(require('c'))]", &[], &["c"]);
  // `(require` must follow the name directly.
  check(
    "__export( require('a')); __export (require('b')); __export(require ('c'))",
    &[],
    &["c"],
  );
  // Re-exports are each reported once; `module.exports =` drops all.
  check(
    "__export(require('a')); __export(require('a'))",
    &[],
    &["a"],
  );
  check(
    "__export(require('a')); module.exports = x; __export(require('b'))",
    &[],
    &["b"],
  );
}

#[test]
fn grammar_star_reexport_loops() {
  // EXPORTS_ASSIGN + EXPORT_STAR_LIB, in the forms Babel and TypeScript emit.
  let loops = [
    "if (k === 'default' || k === '__esModule') return; exports[k] = _a[k];",
    "if (k === \"default\" || k === \"__esModule\") return;
     if (Object.prototype.hasOwnProperty.call(_exportNames, k)) return;
     if (k in exports && exports[k] === _a[k]) return;
     Object.defineProperty(exports, k, { enumerable: true, get: function () { return _a[k]; } });",
    "if (k !== 'default' && !exports.hasOwnProperty(k)) exports[k] = _a[k];",
    "if (k !== 'default' && !Object.prototype.hasOwnProperty.call(exports, k)) Object.defineProperty(exports, k, { enumerable: true, get: function () { return _a[k]; } });",
    "if (k !== 'default') module.exports[k] = _a[k]",
  ];
  for body in loops {
    for binding in [
      "var _a = require('a');",
      "const _a = _interopRequireWildcard(require('a'));",
    ] {
      check(
        &format!("{binding}\nObject.keys(_a).forEach(function (k) {{ {body} }});"),
        &[],
        &["a"],
      );
    }
  }
  // The binding must come first, at top level, as `var x = require(`.
  let body = "Object.keys(_a).forEach(function (k) { if (k !== 'default') exports[k] = _a[k]; });";
  check(&format!("{body}\nvar _a = require('a');"), &[], &[]);
  check(
    &format!("function f() {{ var _a = require('a'); }}\n{body}"),
    &[],
    &[],
  );
  check(&format!("var x = 1, _a = require('a');\n{body}"), &[], &[]);
  check(&format!("var _a =\n  require('a');\n{body}"), &[], &[]);
  check(
    &format!("var _a = require('a');\nfunction f() {{ {body} }}"),
    &[],
    &[],
  );
  // Other loop bodies are not recognized.
  check(
    "var _a = require('a');\nObject.keys(_a).forEach(function (k) { exports[k] = _a[k]; });",
    &[],
    &[],
  );
  check("var _a = require('a');\nObject.keys(_a).forEach((k) => { if (k !== 'default') exports[k] = _a[k]; });", &[], &[]);
}

#[test]
fn es_module_syntax_gives_no_names() {
  // Node's lexer throws on these; Node then uses no names.
  check("exports.a = 1; import x from 'y'", &[], &[]);
  check("exports.a = 1; export const b = 1", &[], &[]);
  check("exports.a = 1; import.meta.url", &[], &[]);
  // Not at top level, or dynamic `import()`: fine.
  check(
    "exports.a = 1; function f() { return import.meta } import('x')",
    &["a"],
    &[],
  );
}

#[test]
fn invalid_source_gives_no_names() {
  check("exports.a = 1; 'unterminated", &[], &[]);
  check("exports.a = 1; (", &[], &[]);
  check("exports.a = 1; }", &[], &[]);
}

// ---- differential: what Node's own lexer reports ----

/// Sources in cases.txt where we knowingly differ from Node's lexer (we
/// report no names there), and why.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
  (
    "x = {} / exports.a;",
    "a `/` right after `}`: the scan gives up",
  ),
  (
    "if (x) {} /exports.a = 1/",
    "a `/` right after `}`: the scan gives up",
  ),
  (
    "function f() {}\n/exports.a = 1/g",
    "a `/` right after `}`: the scan gives up",
  ),
  (
    "x = function () {} / exports.a",
    "a `/` right after `}`: the scan gives up",
  ),
  (
    "for (const x of /a/g",
    "a `/` right after `of` (or `yield`, `await`, `let`): the scan gives up",
  ),
  (
    "exports.a = 1; a b\n",
    "not JavaScript: oxc stops, the lexer does not check",
  ),
  ("let x: number", "not JavaScript (a type annotation)"),
  ("x = {a: 1,, b}", "not JavaScript"),
  ("x = 1 = 2", "not JavaScript"),
  (
    "/* unterminated",
    "an unterminated comment: the lexer ignores it",
  ),
  ("x = a]\n", "a stray `]`: the lexer does not count `[`"),
  ("x = [[[\n", "unclosed `[`: the lexer does not count `[`"),
  (
    "function f() { export default 1 }",
    "`export` inside a function: the lexer only looks at top level",
  ),
];

fn lexer_cases() -> Vec<(String, CjsExports)> {
  let cases: serde_json::Value = serde_json::from_str(include_str!("cases.json")).unwrap();
  let list =
    |c: &serde_json::Value, k: &str| serde_json::from_value::<Vec<String>>(c[k].clone()).unwrap();
  cases
    .as_array()
    .unwrap()
    .iter()
    .map(|c| {
      let source = c["source"].as_str().unwrap().to_string();
      (
        source,
        CjsExports {
          exports: list(c, "exports"),
          reexports: list(c, "reexports"),
        },
      )
    })
    .collect()
}

#[test]
fn agrees_with_node_lexer_on_cases() {
  let cases = lexer_cases();
  assert!(cases.len() > 300);
  let mut known_seen = 0;
  for (source, want) in &cases {
    let got = detect(source);
    match KNOWN_DIFFERENCES
      .iter()
      .find(|(key, _)| source.contains(key))
    {
      Some((_, why)) => {
        known_seen += 1;
        assert_ne!(
          &got, want,
          "known difference ({why}) no longer differs: {source:?}"
        );
        assert_eq!(got, CjsExports::default(), "{source:?}");
      }
      None => assert_eq!(&got, want, "source: {source:?}"),
    }
  }
  assert_eq!(known_seen, KNOWN_DIFFERENCES.len());
}

/// Every .js/.cjs file of the repository's node_modules (and of the
/// directories in $CJS_LEXER_CORPUS), against what Node's lexer (the
/// cjs-module-lexer devDependency) reports for it.
#[test]
fn agrees_with_node_lexer_on_node_modules() {
  let root = env!("CARGO_MANIFEST_DIR");
  let node = std::env::var("SECURE_EXEC_NODE").unwrap_or_else(|_| "node".to_string());
  let out = Command::new(&node)
    .current_dir(root)
    .args(["scripts/cjs-lexer.mjs", "files", "node_modules"])
    // More directories to compare on, e.g. unpacked `npm pack` tarballs.
    .args(
      std::env::var("CJS_LEXER_CORPUS")
        .unwrap_or_default()
        .split(':')
        .filter(|d| !d.is_empty()),
    )
    .output()
    .unwrap_or_else(|e| panic!("running {node}: {e}"));
  assert!(
    out.status.success(),
    "scripts/cjs-lexer.mjs: {}",
    String::from_utf8_lossy(&out.stderr)
  );
  let (mut files, mut with_names, mut differ, mut peak) = (0, 0, Vec::new(), 0);
  for line in String::from_utf8(out.stdout).unwrap().lines() {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let path = v["path"].as_str().unwrap();
    let list = |k: &str| serde_json::from_value::<Vec<String>>(v[k].clone()).unwrap();
    let want = CjsExports {
      exports: list("exports"),
      reexports: list("reexports"),
    };
    let source = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let got = detect(&source);
    peak = peak.max(scan::scan(&source).map_or(0, |s| s.peak));
    files += 1;
    with_names += usize::from(want != CjsExports::default());
    if got != want {
      differ.push(format!("{path}\n  node: {want:?}\n  ours: {got:?}"));
    }
  }
  eprintln!(
    "cjs exports: {} of {files} files agree ({with_names} with names); deepest: {peak} of {} bytes of estimated parser stack",
    files - differ.len(),
    scan::STACK_BUDGET,
  );
  assert!(files > 1000, "only {files} files");
  assert!(
    differ.is_empty(),
    "{} differ:\n{}",
    differ.len(),
    differ.join("\n")
  );
}

// ---- bounds ----

/// Openers (and closers) that nest in oxc's recursive descent.
const NESTINGS: &[(&str, &str)] = &[
  ("(", ")"),
  ("[", "]"),
  ("{a:", "}"),
  ("{", "}"),
  ("!", ""),
  ("a=", ""),
  ("a?b:", ""),
  ("a=>", ""),
  ("(a)=>", ""),
  ("async a=>", ""),
  ("if(a)", ""),
  ("if(a)b;else ", ""),
  // Statements that go on after a `;` or `}`.
  ("if(a)do;while(a)else ", ""),
  ("if(a)do{}while(a)else ", ""),
  ("if(a)try{}finally{}else ", ""),
  ("if(a)try{}catch(e){}else ", ""),
  ("l:if(a)do;while(a)else ", ""),
  ("do do ", " while(a);while(a)"),
  ("x=class extends ", "{}"),
  ("class A extends ", "{}"),
  ("while(a)", ""),
  ("for(;;)", ""),
  ("for(a in b)", ""),
  ("with(a)", ""),
  ("do ", " while(a)"),
  ("l:", ""),
  ("new ", ""),
  ("typeof ", ""),
  ("await ", ""),
  ("a**", ""),
  ("f(", ")"),
  ("f(...", ")"),
  ("`${", "}`"),
  ("a`${", "}`"),
  ("function f(){", "}"),
  ("function*g(){yield ", "}"),
  ("function*g(){yield(", ")}"),
  ("async function f(){await(", ")}"),
  ("(class{m(){", "}})"),
  ("(class extends (", "){})"),
  ("({get a(){return ", "}})"),
  ("a||b&&c|d^e&f==g<h<<i+j*k**(", ")"),
  ("a?b:(", ")"),
  ("a=>(", ")"),
  ("f(a,(", "))"),
  ("[...(", ")]"),
  ("({a:", "})"),
  ("(function(a=", "){})"),
  ("((a=", ")=>0)"),
  ("[a=", "]"),
  ("({[a]:", "})"),
  ("if(a){", "}"),
  ("switch(a){case 1:", "}"),
  ("try{", "}finally{}"),
  ("a.b(c).d(", ")"),
  ("i\\u0066(a)", ""),
  ("exports.a=(", ")"),
  ("module.exports={a:(", ")}"),
  ("Object.defineProperty(exports,'a',{value:(", ")})"),
  ("Object.keys(a).forEach(function(k){", "})"),
];

/// More ways to nest, as templates (`@` is where the next one goes): the
/// random mixes of `parser_stack_within_budget` draw from these too.
const TEMPLATES: &[&str] = &[
  "(@)",
  "[@]",
  "{a:@}",
  "!@",
  "a=@",
  "a?@:b",
  "a?b:@",
  "a=>@",
  "(a)=>@",
  "async a=>@",
  "if(a)@",
  "if(a)x;else @",
  "if(a)do;while(a)else @",
  "if(a)try{}finally{}else @",
  "if(a)do{}while(a)else @",
  "while(a)@",
  "for(;;)@",
  "for(a in b)@",
  "for(a of b)@",
  "l:@",
  "new @",
  "f(@)",
  "f(a,@)",
  "`${@}`",
  "a`${@}`",
  "function f(){@}",
  "try{@}finally{}",
  "try{}catch(e){@}",
  "do @ while(a)",
  "do{@}while(a)",
  "a**@",
  "function*g(){yield @}",
  "async function f(){await @}",
  "@;",
  "x;@",
  "@\nx",
  "x\n@",
  "a,@",
  "{@}",
  "switch(a){case 1:@}",
  "class A{m(){@}}",
  "(class extends (@){})",
  "({get a(){return @}})",
  "typeof @",
  "void @",
  "-@",
  "+@",
  "++@",
  "a+@",
  "a||@",
  "a&&b|@",
  "[...@]",
  "f(...@)",
  "({...@})",
  "({[@]:1})",
  "a[@]",
  "a.b(@)",
  "a?.(@)",
  "with(a)@",
  "if(a){@}",
  "if(a){}else{@}",
  "a=b=>@",
  "(a=@)=>0",
  "[a=@]=b",
  "({a=@}=b)",
  "x=function(){@}",
  "x=class{a=@}",
  "x=class{static{@}}",
  "exports.a=@",
  "module.exports={a:@}",
  "`a${@}b`",
  "a?b:c?@:d",
  "a\n?@\n:b",
  "a=>{@}",
  "l:{@}",
  "if(a)l:@",
  "if(a)\\u0069f(b)@",
  "i\\u0066(a)@",
  "a\n++@",
  "class extends @{}",
  "x=class extends @{}",
  "class A extends @{m(){}}",
  "do @;while(a)",
  "do;while(@)",
  "if(a)@;else;",
  "if(a);else @",
  "try{}catch{@}",
  "l:do @;while(a)",
  "x=@\n",
  "new @()",
  "new (@)",
  "a[@]=b",
  "@?.a",
  "(@)",
  "{a:@}=b",
  "[...@]=b",
  "for(@;;);",
  "for(a=@;;);",
  "switch(@){}",
  "throw @",
  "return @",
  "a in @",
  "a instanceof @",
  "#a in @",
  "@.b",
  "@`a`",
  "a?.[@]",
  "typeof typeof @",
];

fn nest(parts: &[(&str, &str)], n: usize) -> String {
  let mut s = String::new();
  for i in 0..n {
    s.push_str(parts[i % parts.len()].0);
  }
  s.push('x');
  for i in (0..n).rev() {
    s.push_str(parts[i % parts.len()].1);
  }
  s
}

/// The deepest `nest(parts, n)` the scan accepts (none when it accepts any).
fn deepest_accepted(parts: &[(&str, &str)]) -> Option<String> {
  let (mut lo, mut hi) = (0, 1);
  while scan::scan(&nest(parts, hi)).is_some() {
    lo = hi;
    hi *= 2;
    if hi > 1 << 16 {
      return None;
    }
  }
  while hi - lo > 1 {
    let mid = (lo + hi) / 2;
    if scan::scan(&nest(parts, mid)).is_some() {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  Some(nest(parts, lo))
}

#[test]
fn deep_nesting_gives_up() {
  for &part in NESTINGS {
    assert_eq!(
      detect(&nest(&[part], 100_000)),
      CjsExports::default(),
      "{part:?}"
    );
  }
  assert_eq!(
    detect(&format!("exports.a = 1; {}", "(".repeat(1_000_000))),
    CjsExports::default()
  );
}

/// The scan's estimate bounds what the parse and the walk really use: the
/// deepest source it accepts, of each kind and of mixes of kinds, is
/// detected on a 1.5 MiB stack (in the ci profile, the one the Rust tests
/// run in; a build without optimizations takes several times more).
#[test]
fn parser_stack_within_budget() {
  let mut sources: Vec<String> = NESTINGS
    .iter()
    .map(|&part| deepest_accepted(&[part]).unwrap_or_else(|| panic!("{part:?} is never refused")))
    .collect();
  let pool: Vec<(&str, &str)> = NESTINGS
    .iter()
    .copied()
    .chain(TEMPLATES.iter().filter_map(|t| t.split_once('@')))
    .collect();
  let mut seed = 0x2545_f491_4f6c_dd1d_u64;
  let mut next = move |n: usize| {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    (seed % n as u64) as usize
  };
  for _ in 0..200 {
    let mix: Vec<_> = (0..1 + next(4)).map(|_| pool[next(pool.len())]).collect();
    // A mix that is never refused does not nest (`x;@`, `a+@`, ...).
    sources.extend(deepest_accepted(&mix));
  }
  std::thread::Builder::new()
    .stack_size(3 << 19)
    .spawn(move || {
      for source in &sources {
        detect(source);
      }
    })
    .unwrap()
    .join()
    .unwrap();
}

#[test]
fn long_chains_are_walked_without_recursion() {
  // Chains the parser builds in loops make deep trees; a 10 MB-deep walk
  // would overflow if it recursed.
  let members = format!("exports.a = x{}", ".b".repeat(500_000));
  check(&members, &["a"], &[]);
  let calls = format!("exports.a = x{}", "()".repeat(500_000));
  check(&calls, &["a"], &[]);
  let sums = format!("exports.a = x{}", "+b".repeat(500_000));
  check(&sums, &["a"], &[]);
  let ors = format!("exports.a = x{}", "||b".repeat(500_000));
  check(&ors, &["a"], &[]);
}

#[test]
fn names_are_capped() {
  let source: String = (0..MAX_CJS_EXPORT_NAMES + 10)
    .map(|i| format!("exports.a{i}=1;"))
    .collect();
  let found = detect(&source);
  assert_eq!(found.exports.len(), MAX_CJS_EXPORT_NAMES);
  assert_eq!(found.exports[0], "a0");
  let source: String = (0..MAX_CJS_EXPORT_NAMES + 10)
    .map(|i| format!("__export(require('m{i}'));"))
    .collect();
  assert_eq!(detect(&source).reexports.len(), MAX_CJS_EXPORT_NAMES);
}

#[test]
fn large_sources_give_no_names() {
  let mut source = String::from("exports.a = 1;");
  source.push_str(&" ".repeat(MAX_CJS_SOURCE_BYTES));
  assert_eq!(detect(&source), CjsExports::default());
}

#[test]
fn scan_top_level() {
  let source = "a(b)[c]{d}`${e}`f";
  let scanned = scan::scan(source).unwrap();
  let top: String = source
    .char_indices()
    .filter(|&(i, _)| scanned.top_level(i as u32))
    .map(|(_, c)| c)
    .collect();
  // `[` does not count; each opener starts its region.
  assert_eq!(top, "a[c]`$`f");
}

// ---- fuzzing: any input, no panic ----

/// Pieces of JavaScript (and of the patterns) to build garbled sources from.
const PIECES: &[&str] = &[
  "exports",
  "module",
  ".",
  "exports.a",
  "module.exports",
  "=",
  "==",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "${",
  "`",
  "'",
  "\"",
  "'a'",
  "\"b\"",
  "/",
  "/a/g",
  "*",
  "//",
  "/*",
  "*/",
  "\n",
  " ",
  "\t",
  ";",
  ",",
  ":",
  "?",
  "?.",
  "=>",
  "...",
  "require",
  "require('x')",
  "Object",
  "defineProperty",
  "Object.defineProperty(exports, 'a', ",
  "{ enumerable: true, get: function () { return a.b } }",
  "{ value: 1 }",
  "keys",
  "forEach",
  "Object.keys(_a).forEach(function (k) {",
  "function",
  "return",
  "if",
  "else",
  "var",
  "let",
  "const",
  "_a",
  "k",
  "k !== 'default'",
  "exports[k] = _a[k]",
  "__export",
  "__exportStar",
  "(require('y'))",
  "_interopRequireWildcard",
  "'default'",
  "'__esModule'",
  "get",
  "value",
  "enumerable",
  "true",
  "!",
  "+",
  "-",
  "++",
  "--",
  "<!--",
  "-->",
  "\\u0061",
  "\\u{62}",
  "\\",
  "#",
  "#a",
  "@",
  "class",
  "import",
  "export",
  "import.meta",
  "yield",
  "await",
  "of",
  "in",
  "0x1",
  "1e5",
  ".5",
  "\u{2028}",
  "\u{a0}",
  "\u{feff}",
  "é",
  "𝑥",
  "$",
  "_",
  "async",
  "new",
  "typeof",
  "&&",
  "||",
  "??",
  "**",
  "<",
  ">",
  "%",
  "^",
  "~",
  "|",
  "&",
  "#!",
  "\r\n",
];

fn garble(pieces: &[usize]) -> String {
  pieces.iter().map(|&i| PIECES[i % PIECES.len()]).collect()
}

proptest! {
  #![proptest_config(ProptestConfig {
    cases: 3000,
    failure_persistence: None,
    ..ProptestConfig::default()
  })]

  #[test]
  fn never_panics_on_garbled_sources(pieces in prop::collection::vec(0..PIECES.len(), 0..120)) {
    let _ = detect(&garble(&pieces));
  }

  #[test]
  fn never_panics_on_edited_cases(
    case in 0usize..1000,
    edits in prop::collection::vec((any::<u32>(), any::<u8>(), 0u8..3), 1..6),
  ) {
    let mut bytes = LEXER_CASES.with(|c| c[case % c.len()].clone()).into_bytes();
    for (at, byte, kind) in edits {
      let at = at as usize % (bytes.len() + 1);
      match kind {
        0 => bytes.insert(at, byte),
        1 if at < bytes.len() => { bytes.remove(at); }
        _ if at < bytes.len() => bytes[at] = byte,
        _ => {}
      }
    }
    let _ = detect(&String::from_utf8_lossy(&bytes));
  }

  #[test]
  fn never_panics_on_any_text(text in "\\PC{0,200}") {
    let _ = detect(&text);
  }
}

thread_local! {
  static LEXER_CASES: Vec<String> = lexer_cases().into_iter().map(|(s, _)| s).collect();
}
