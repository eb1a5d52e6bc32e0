//! Builds the addon: napi-rs setup, the thin C++ V8 layer compiled against the
//! headers of the Node.js that runs the build, and the guest JS bundle.
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "bench/synthetic_builtins.rs"]
mod synthetic;
#[path = "src/guest/vendor.rs"]
mod vendor;

fn main() {
  napi_build::setup();
  let node = node_binary();
  let info = NodeInfo::probe(&node);
  compile_engine(&info);
  bundle_guest(info.v8_major);
}

/// The Node.js whose V8 the addon will run on: `SECURE_EXEC_NODE`, else the
/// node running npm, else `node` on PATH.
fn node_binary() -> PathBuf {
  // Only the variables read count as inputs: a build started from npm and
  // one started by hand then agree, and the crate is not rebuilt between.
  for var in ["SECURE_EXEC_NODE", "npm_node_execpath"] {
    println!("cargo:rerun-if-env-changed={var}");
    if let Ok(p) = std::env::var(var) {
      if !p.is_empty() {
        return PathBuf::from(p);
      }
    }
  }
  PathBuf::from("node")
}

struct NodeInfo {
  major: u32,
  /// V8_MAJOR_VERSION of the headers the engine compiles against.
  v8_major: u32,
  include: PathBuf,
  defines: Vec<&'static str>,
}

impl NodeInfo {
  fn probe(node: &Path) -> NodeInfo {
    let script = "process.stdout.write(JSON.stringify({v:process.version,e:process.execPath,\
                  c:process.config.variables}))";
    let out = Command::new(node)
      .args(["-e", script])
      .output()
      .unwrap_or_else(|e| panic!("cannot run {}: {e}", node.display()));
    assert!(out.status.success(), "{} -e failed", node.display());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("node config json");
    let version = j["v"].as_str().unwrap_or_default().to_string();
    let major: u32 = version
      .trim_start_matches('v')
      .split('.')
      .next()
      .and_then(|m| m.parse().ok())
      .unwrap_or(0);
    assert!(
      major >= 20,
      "secure-exec needs Node.js 20 or later, found {version}"
    );
    let exec = PathBuf::from(j["e"].as_str().unwrap_or_default());
    let prefix = exec
      .parent()
      .and_then(Path::parent)
      .map(Path::to_path_buf)
      .unwrap_or_default();
    let mut include = prefix.join("include/node");
    if !include.join("node.h").exists() {
      include = PathBuf::from("/usr/include/node");
    }
    assert!(
      include.join("v8.h").exists(),
      "Node.js headers not found next to {} (looked in {})",
      exec.display(),
      include.display()
    );
    // The layout defines must match the Node build, or V8 objects are read
    // with the wrong shape and nothing checks it.
    let c = &j["c"];
    let on = |k: &str| c[k].as_i64() == Some(1) || c[k].as_bool() == Some(true);
    let mut defines = Vec::new();
    if on("v8_enable_pointer_compression") {
      defines.push("V8_COMPRESS_POINTERS");
      defines.push(if on("v8_enable_pointer_compression_shared_cage") {
        "V8_COMPRESS_POINTERS_IN_SHARED_CAGE"
      } else if major >= 24 {
        "V8_COMPRESS_POINTERS_IN_MULTIPLE_CAGES"
      } else {
        "V8_COMPRESS_POINTERS_IN_ISOLATE_CAGE"
      });
    }
    if on("v8_enable_pointer_compression") || on("v8_enable_31bit_smis_on_64bit_arch") {
      defines.push("V8_31BIT_SMIS_ON_64BIT_ARCH");
    }
    for (var, def) in [
      ("v8_enable_sandbox", "V8_ENABLE_SANDBOX"),
      ("v8_enable_external_code_space", "V8_EXTERNAL_CODE_SPACE"),
      ("v8_enable_map_packing", "V8_MAP_PACKING"),
      ("v8_enable_v8_checks", "V8_ENABLE_CHECKS"),
      ("v8_enable_direct_local", "V8_ENABLE_DIRECT_LOCAL"),
      (
        "v8_enable_conservative_stack_scanning",
        "V8_ENABLE_CONSERVATIVE_STACK_SCANNING",
      ),
    ] {
      if on(var) {
        defines.push(def);
      }
    }
    println!(
      "cargo:rerun-if-changed={}",
      include.join("node_version.h").display()
    );
    let v8_header = std::fs::read_to_string(include.join("v8-version.h")).expect("v8-version.h");
    let v8_major = v8_header
      .lines()
      .find_map(|l| l.strip_prefix("#define V8_MAJOR_VERSION "))
      .and_then(|v| v.trim().parse().ok())
      .expect("V8_MAJOR_VERSION in v8-version.h");
    NodeInfo {
      major,
      v8_major,
      include,
      defines,
    }
  }
}

fn compile_engine(info: &NodeInfo) {
  println!("cargo:rerun-if-changed=src/engine/engine.cc");
  println!("cargo:rerun-if-changed=src/engine/engine.h");
  println!("cargo:rerun-if-changed=src/engine/node_wrapper.h");
  let mut b = cc::Build::new();
  b.cpp(true)
    .file("src/engine/engine.cc")
    .include(&info.include)
    .include("src/engine")
    .flag(if info.major >= 24 {
      "-std=gnu++20"
    } else {
      "-std=gnu++17"
    })
    .flag("-fno-rtti")
    .flag("-fno-exceptions")
    .flag("-fPIC")
    .flag_if_supported("-Wno-unused-parameter")
    .flag_if_supported("-Wno-deprecated-declarations")
    .define("_GLIBCXX_USE_CXX11_ABI", "1")
    .define("USING_V8_SHARED", "1")
    .define("USING_UV_SHARED", "1")
    .define("BUILDING_NODE_EXTENSION", None)
    .define("_LARGEFILE_SOURCE", None)
    .define("_FILE_OFFSET_BITS", "64");
  for d in &info.defines {
    b.define(d, None);
  }
  b.compile("se_engine");
  println!("cargo:rustc-link-lib=dylib=stdc++");
  // V8's symbols come from the node binary at load time; unit-test
  // executables never call into V8, so let them link without it.
  println!("cargo:rustc-link-arg=-Wl,--unresolved-symbols=ignore-all");
}

/// Parameters of every guest module function, in the order the loader passes them.
const MODULE_PARAMS: [&str; 5] = ["exports", "require", "native", "config", "module"];

/// Writes `guest_modules.rs`: the table of guest builtin modules (one per
/// src/guest/*.js, and the npm packages `vendor` compiles in, each
/// compiled separately by the engine as
/// `function (exports, require, native, config, module)` named
/// `node:<name>`) and the loader, a classic script that evaluates to
/// `function (native, config, builtin) -> hooks`; modules run lazily on
/// first require. The loader runs after guest code may have replaced
/// intrinsics (a lazy global's first read), so it only calls through ones
/// captured up front, and `exports` objects have no prototype a guest could
/// put setters on.
fn bundle_guest(v8_major: u32) {
  let dir = Path::new("src/guest");
  println!("cargo:rerun-if-changed=src/guest");
  let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
    .expect("src/guest")
    .filter_map(|e| e.ok().map(|e| e.path()))
    .filter(|p| p.extension().is_some_and(|x| x == "js"))
    .collect();
  files.sort();
  let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
  let mut modules: Vec<(String, PathBuf)> = Vec::new();
  for f in &files {
    println!("cargo:rerun-if-changed={}", f.display());
    let name = f.file_stem().unwrap().to_string_lossy().into_owned();
    let body = std::fs::read_to_string(f).expect("guest file");
    assert_strict(&name, &body);
    modules.push((name, std::fs::canonicalize(f).expect("guest file path")));
  }
  vendor::add_packages(&out_dir, &mut modules);
  let bench = std::env::var_os("CARGO_FEATURE_BENCH").is_some();
  if bench {
    println!("cargo:rerun-if-changed=bench/synthetic_builtins.rs");
    let dir = out_dir.join("bench_builtins");
    std::fs::create_dir_all(&dir).expect("bench_builtins dir");
    for (name, body) in synthetic::modules(synthetic::TARGET_LINES) {
      let path = dir.join(format!("{}.js", name.replace('/', "_")));
      std::fs::write(&path, body).expect("write synthetic module");
      modules.push((name, path));
    }
  }
  // The module's own exports object goes where the function expects `exports`.
  let args = MODULE_PARAMS
    .map(|p| if p == "exports" { "module.exports" } else { p })
    .join(", ");
  let mut loader = format!(
    "(function (native, config, builtin) {{\n\
     'use strict';\n\
     const apply = Reflect.apply, create = Object.create;\n\
     const cache = create(null);\n\
     function require(name) {{\n\
     \x20 const cached = cache[name];\n\
     \x20 if (cached !== undefined) return cached.exports;\n\
     \x20 const fn = builtin(name);\n\
     \x20 const module = create(null);\n\
     \x20 module.exports = create(null);\n\
     \x20 cache[name] = module;\n\
     \x20 apply(fn, undefined, [{args}]);\n\
     \x20 return module.exports;\n\
     }}\n"
  );
  if bench {
    // Bench builds only: the call under measurement reaches the synthetic
    // builtins through this global.
    loader.push_str(&format!(
      "Object.defineProperty(globalThis, '__benchBuiltins', \
       {{ get() {{ return require('{}'); }}, configurable: true }});\n",
      synthetic::ROOT
    ));
  }
  // Whether a module ran: the event loop's hooks skip loading timers and
  // ops for a call that never used them.
  loader.push_str("require.isLoaded = function (name) { return cache[name] !== undefined; };\n");
  loader.push_str("return require('bootstrap').hooks;\n})");
  let mut rs = String::from("// Generated by build.rs from src/guest/*.js.\n");
  rs.push_str(&format!(
    "/// Parameters of every guest module function, in order.\n\
     pub static GUEST_MODULE_PARAMS: &[&str] = &{MODULE_PARAMS:?};\n"
  ));
  // Before V8 12 the engine compiles a module as a script that is a
  // function expression: wrapped here, so that every sidecar reads the text
  // in place from the addon's read-only data instead of making a copy.
  let wrap = v8_major < 12;
  rs.push_str(&format!(
    "/// Each source is already the function expression the engine compiles.\n\
     pub static GUEST_MODULES_WRAPPED: bool = {wrap};\n"
  ));
  let wrapped_dir = out_dir.join("wrapped");
  if wrap {
    std::fs::create_dir_all(&wrapped_dir).expect("wrapped dir");
  }
  let head = format!("(function ({}) {{\n", MODULE_PARAMS.join(", "));
  for (i, (name, path)) in modules.iter_mut().enumerate() {
    let body = std::fs::read_to_string(&*path).expect("guest module");
    // V8 reads ASCII text in place as Latin-1; anything else would need a
    // UTF-16 copy in every process.
    if let Some((line, _)) = body.lines().enumerate().find(|(_, l)| !l.is_ascii()) {
      panic!(
        "guest module {name} has a non-ASCII character on line {}: write it as a \\u escape",
        line + 1
      );
    }
    if wrap {
      // The head on a line of its own before line 1 (the engine's origin
      // has line offset -1), so lines and columns match the file.
      let file = wrapped_dir.join(format!("{i}.js"));
      std::fs::write(&file, format!("{head}{body}\n}})")).expect("write wrapped module");
      *path = file;
    }
  }
  rs.push_str("/// (name, source) of every guest builtin module.\npub static GUEST_MODULES: &[(&str, &str)] = &[\n");
  for (name, path) in &modules {
    rs.push_str(&format!(
      "  ({name:?}, include_str!({:?})),\n",
      path.display().to_string()
    ));
  }
  rs.push_str("];\n");
  rs.push_str(&format!(
    "/// The loader: evaluates to `function (native, config, builtin) -> hooks`.\n\
     pub static GUEST_LOADER: &str = {loader:?};\n"
  ));
  std::fs::write(out_dir.join("guest_modules.rs"), rs).expect("write guest module table");
}

/// Each module compiles on its own, so each must be strict by itself (the
/// old single bundle made them strict from outside).
fn assert_strict(name: &str, body: &str) {
  let first = body
    .lines()
    .map(str::trim)
    .find(|l| !l.is_empty() && !l.starts_with("//"));
  assert!(
    matches!(first, Some("'use strict';") | Some("\"use strict\";")),
    "src/guest/{name}.js must begin with 'use strict';"
  );
}
