//! npm packages compiled into the guest as builtin modules (build.rs only).
//!
//! Where a well-kept pure-JS package tracks Node closely, the guest uses it
//! instead of our own copy: `readable-stream` is Node's own streams code,
//! published by the Node.js project, and `web-streams-polyfill` follows the
//! WHATWG streams spec (tested against its platform tests). Both are
//! ordinary `dependencies` in package.json, found as Node would find them
//! from the package root (npm may hoist them to a parent `node_modules`).
//!
//! Each file becomes a module like those of src/guest, named
//! `<prefix>/<path in the package's lib or dist, without .js>`. Its `require()` calls are
//! rewritten here, once, to name modules of the guest: relative requires
//! name the package's own modules, and the npm packages it needs
//! (`buffer`, `events`, `string_decoder`, ...) or the shims it brings for
//! browsers (`ours/*`) name our builtins. A require this table does not know
//! fails the build, so a new release that needs something else is noticed.
//! A `node:` builtin is the guest's public module of that name (as guest
//! code would get it from `require`).
//!
//! `undici` is Node's own fetch: Node 20.20 bundles undici 6.24.1, and the
//! guest uses the same release for `fetch`, `Headers`, `Request`,
//! `Response`, `FormData`, `WebSocket` and `EventSource`, over the guest's
//! node:net and node:http. Its parser is llhttp compiled to WebAssembly.
use std::path::{Component, Path, PathBuf};

struct Package {
  name: &'static str,
  /// The major version the mapping below was written for.
  major: u32,
  /// Module names start with this, in place of `strip`.
  prefix: &'static str,
  strip: &'static str,
  /// Files compiled in, relative to the package root: directories are
  /// taken whole (`.js` files, recursively).
  include: &'static [&'static str],
  /// Files under `include` left out (replaced by our own modules).
  exclude: &'static [&'static str],
  /// require() of a package path (relative to the root, no `.js`) or of a
  /// bare name, and the JS expression that replaces the whole call.
  map: &'static [(&'static str, &'static str)],
  /// Literal text replaced in every file, each of which must occur.
  replace: &'static [(&'static str, &'static str)],
}

const PACKAGES: &[Package] = &[
  Package {
    name: "readable-stream",
    major: 4,
    prefix: "rs",
    strip: "lib/",
    include: &["lib"],
    exclude: &[
      // Its browser adapters: src/guest/stream_shims.js gives the same names
      // from the guest's primordials, Node's error messages and util.
      "lib/ours",
      "lib/internal/shims/process.js",
      // Node's deprecated aliases: modules.js gives them from `stream`.
      "lib/_stream_duplex.js",
      "lib/_stream_passthrough.js",
      "lib/_stream_readable.js",
      "lib/_stream_transform.js",
      "lib/_stream_writable.js",
      // Only crypto's lazy hashes use it, through a file the package lacks.
      "lib/internal/streams/lazy_transform.js",
    ],
    map: &[
      (
        "lib/ours/primordials",
        "require('stream_shims').primordials",
      ),
      ("lib/ours/errors", "require('stream_shims').errors"),
      ("lib/ours/util", "require('stream_shims').util"),
      (
        "lib/internal/shims/process",
        "require('stream_shims').process",
      ),
      ("buffer", "require('buffer').api"),
      ("events", "require('events').EventEmitter"),
      ("string_decoder/", "require('string_decoder')"),
      ("abort-controller", "require('event_target')"),
    ],
    replace: &[
      // The guest's own classes, never what a guest put on globalThis.
      ("globalThis.AbortController || ", ""),
      ("globalThis.Blob || ", ""),
      // Node 20.20 takes any ArrayBufferView where 18.19 took Uint8Arrays.
      (
        "Stream._isUint8Array(chunk)",
        "require('stream_shims').util.types.isArrayBufferView(chunk)",
      ),
      (
        "['string', 'Buffer', 'Uint8Array']",
        "['string', 'Buffer', 'TypedArray', 'DataView']",
      ),
      // Node 20.20 calls end()'s callbacks with null once finished.
      (
        "    onfinishCallbacks[i]()\n",
        "    onfinishCallbacks[i](null)\n",
      ),
      // Readable.fromWeb/toWeb and Writable's go through our adapters.
      (
        "webStreamsAdapters = {}",
        "webStreamsAdapters = require('stream_web').adapters",
      ),
    ],
  },
  Package {
    name: "undici",
    major: 6,
    prefix: "undici",
    strip: "lib/",
    include: &["index-fetch.js", "lib"],
    exclude: &[
      // Test doubles (MockAgent) and the Cache API: not among Node's globals.
      "lib/mock",
      "lib/web/cache",
    ],
    map: &[("string_decoder", "require('modules').builtin('string_decoder')")],
    replace: &[
      // Node's build of it: fetch says `user-agent: node`.
      (
        "typeof __UNDICI_IS_NODE__ !== 'undefined' || typeof esbuildDetection !== 'undefined'",
        "true",
      ),
    ],
  },
  Package {
    name: "web-streams-polyfill",
    major: 4,
    prefix: "wsp",
    strip: "dist/",
    include: &["dist/ponyfill.js"],
    exclude: &[],
    map: &[],
    replace: &[
      // It detaches a BYOB reader's buffers through structuredClone's
      // transfer list, which the guest's structuredClone refuses: buffers
      // are handed on undetached instead (its fallback without either).
      ("\"function\"==typeof structuredClone?", "false?"),
      // Node's streams know when a web stream has closed or errored (its
      // `kIsClosedPromise`, which `stream.finished` waits on): the guest's
      // ReadableStream keeps one (stream_web.js), settled here.
      (
        "{e._state=\"closed\";const t=e._reader;",
        "{e._state=\"closed\";void 0!==e._seClosed&&e._seClosed.resolve();const t=e._reader;",
      ),
      (
        "{e._state=\"errored\",e._storedError=t;const r=e._reader;",
        "{e._state=\"errored\",e._storedError=t;void 0!==e._seClosed&&e._seClosed.reject(t);const r=e._reader;",
      ),
    ],
  },
];

/// Adds every package's modules to `modules` as (name, path of the
/// rewritten source under `out_dir`).
pub fn add_packages(out_dir: &Path, modules: &mut Vec<(String, PathBuf)>) {
  let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
  for pkg in PACKAGES {
    let root = find_package(&manifest, pkg.name);
    check_version(pkg, &root);
    let mut files = Vec::new();
    for inc in pkg.include {
      collect_js(&root, &root.join(inc), pkg.exclude, &mut files);
    }
    files.sort();
    let mut replaced = vec![false; pkg.replace.len()];
    let dest = out_dir.join("vendor").join(pkg.prefix);
    for rel in &files {
      let path = root.join(rel);
      println!("cargo:rerun-if-changed={}", path.display());
      let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
      let mut text = rewrite_requires(pkg, &root, rel, &source);
      for (i, (from, to)) in pkg.replace.iter().enumerate() {
        if text.contains(from) {
          replaced[i] = true;
          text = text.replace(from, to);
        }
      }
      let text = ascii_only(&text);
      let name = module_name(pkg, module_path(rel));
      let out = dest.join(rel);
      std::fs::create_dir_all(out.parent().expect("parent")).expect("vendor dir");
      std::fs::write(&out, text).expect("write vendored module");
      modules.push((name, out));
    }
    for (i, done) in replaced.iter().enumerate() {
      assert!(
        done,
        "{}: `{}` no longer occurs in the package; update src/guest/vendor.rs",
        pkg.name, pkg.replace[i].0
      );
    }
  }
}

/// `text` with every character past ASCII written as a `\u` escape (two
/// for one beyond the BMP): the same program, since the builtins must be
/// ASCII (V8 reads them in place as one-byte strings). An escape means the
/// same in a string, a template, a regular expression, an identifier or a
/// comment; no package here uses String.raw on such text.
fn ascii_only(text: &str) -> String {
  if text.is_ascii() {
    return text.to_string();
  }
  let mut out = String::with_capacity(text.len() + 64);
  for c in text.chars() {
    if c.is_ascii() {
      out.push(c);
    } else {
      let mut units = [0u16; 2];
      for u in c.encode_utf16(&mut units) {
        out.push_str(&format!("\\u{u:04X}"));
      }
    }
  }
  out
}

/// `<dir>/node_modules/<name>` in `start` or the nearest directory above
/// it that has one, as Node resolves a bare specifier.
fn find_package(start: &Path, name: &str) -> PathBuf {
  let mut dir = Some(start);
  while let Some(d) = dir {
    let candidate = d.join("node_modules").join(name);
    let manifest = candidate.join("package.json");
    if manifest.is_file() {
      println!("cargo:rerun-if-changed={}", manifest.display());
      return candidate;
    }
    dir = d.parent();
  }
  panic!(
    "npm package `{name}` not found in node_modules from {} upwards: run `npm install`",
    start.display()
  );
}

fn check_version(pkg: &Package, root: &Path) {
  let text = std::fs::read_to_string(root.join("package.json")).expect("package.json");
  let json: serde_json::Value = serde_json::from_str(&text).expect("package.json is JSON");
  let version = json["version"].as_str().unwrap_or_default();
  let major: u32 = version
    .split('.')
    .next()
    .and_then(|m| m.parse().ok())
    .unwrap_or(0);
  assert_eq!(
    major, pkg.major,
    "{} {version} found; src/guest/vendor.rs maps version {}.x",
    pkg.name, pkg.major
  );
}

/// `.js` files at or under `path`, relative to `root`, but for `exclude`.
fn collect_js(root: &Path, path: &Path, exclude: &[&str], out: &mut Vec<String>) {
  let rel = rel_str(root, path);
  if exclude.contains(&rel.as_str()) {
    return;
  }
  if path.is_dir() {
    let entries = std::fs::read_dir(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for e in entries {
      collect_js(root, &e.expect("dir entry").path(), exclude, out);
    }
  } else if rel.ends_with(".js") {
    out.push(rel);
  }
}

fn rel_str(root: &Path, path: &Path) -> String {
  let rel = path.strip_prefix(root).expect("under the package root");
  let parts: Vec<String> = rel
    .components()
    .map(|c| c.as_os_str().to_string_lossy().into_owned())
    .collect();
  parts.join("/")
}

/// A file's module path: its path in the package without `.js`.
fn module_path(rel: &str) -> &str {
  rel.strip_suffix(".js").unwrap_or(rel)
}

/// `source` with every `require('x')` naming a guest module. The packages
/// call require only with quoted literals; anything else fails here.
fn rewrite_requires(pkg: &Package, root: &Path, rel: &str, source: &str) -> String {
  const CALL: &str = "require(";
  let mut out = String::with_capacity(source.len());
  let mut rest = source;
  while let Some(at) = rest.find(CALL) {
    // A name ending in `require` (`_require(`) is not a call of require.
    let before = rest[..at].chars().next_back();
    out.push_str(&rest[..at]);
    let after = &rest[at + CALL.len()..];
    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
      out.push_str(CALL);
      rest = after;
      continue;
    }
    let quote = match after.as_bytes().first() {
      Some(b'\'') => '\'',
      Some(b'"') => '"',
      _ => not_literal(pkg, rel),
    };
    let end = after[1..]
      .find(quote)
      .unwrap_or_else(|| not_literal(pkg, rel));
    let spec = &after[1..1 + end];
    if !after[2 + end..].starts_with(')') {
      not_literal(pkg, rel);
    }
    out.push_str(&resolve(pkg, root, rel, spec));
    rest = &after[spec.len() + 3..];
  }
  out.push_str(rest);
  out
}

fn not_literal(pkg: &Package, rel: &str) -> ! {
  panic!("{}/{rel}: a require() that is not require('...')", pkg.name)
}

/// The expression that replaces `require('<spec>')` in file `rel`.
fn resolve(pkg: &Package, root: &Path, rel: &str, spec: &str) -> String {
  let key = if spec.starts_with("./") || spec.starts_with("../") {
    let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
    normalize(&dir.join(spec))
      .unwrap_or_else(|| panic!("{}/{rel}: require('{spec}') leaves the package", pkg.name))
  } else {
    spec.to_string()
  };
  let mut key = module_path(&key).to_string();
  // A directory stands for its index.js, as Node resolves it.
  if spec.starts_with('.')
    && !root.join(format!("{key}.js")).is_file()
    && root.join(&key).join("index.js").is_file()
  {
    key.push_str("/index");
  }
  if let Some((_, expr)) = pkg.map.iter().find(|(k, _)| *k == key) {
    return (*expr).to_string();
  }
  if let Some(name) = spec.strip_prefix("node:") {
    return format!("require('modules').builtin('{name}')");
  }
  let relative = spec.starts_with('.');
  assert!(
    relative,
    "{}/{rel}: require('{spec}') is not mapped in src/guest/vendor.rs",
    pkg.name
  );
  assert!(
    !pkg
      .exclude
      .iter()
      .any(|e| key == module_path(e) || key.starts_with(&format!("{e}/"))),
    "{}/{rel}: require('{spec}') names a file left out",
    pkg.name
  );
  format!("require('{}')", module_name(pkg, &key))
}

/// The guest module name of the package file at `path` (no `.js`).
fn module_name(pkg: &Package, path: &str) -> String {
  format!(
    "{}/{}",
    pkg.prefix,
    path.strip_prefix(pkg.strip).unwrap_or(path)
  )
}

/// `a/b/../c` as `a/c`; None if `..` climbs above the start.
fn normalize(path: &Path) -> Option<String> {
  let mut parts: Vec<String> = Vec::new();
  for c in path.components() {
    match c {
      Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
      Component::ParentDir => {
        parts.pop()?;
      }
      Component::CurDir => {}
      _ => return None,
    }
  }
  Some(parts.join("/"))
}
