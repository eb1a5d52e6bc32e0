//! Node's module resolution, done by oxc_resolver over the runtime's own
//! filesystem: the VFS, and mounts through the host. A guest process keeps
//! one resolver per kind (require, import) for its life, so the stat cache
//! of a call never outlives it.
use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use oxc_resolver::{FileMetadata, FileSystem, ResolveError, ResolveOptions, ResolverGeneric};

use super::error::{Errno, ErrorClass, OpError};
use super::fs::GUEST;
use super::op::{OpResult, OpValue};
use super::permission::{check_with, Ask, Checker, PermissionCache};
use super::process::ProcessControl;
use super::syscall::OpState;
use super::vfs::FileType;
use super::Kernel;
use crate::ipc::{MountCall, MountReply};

/// Resolutions a process makes before its resolvers' caches are emptied.
const MAX_CACHED_RESOLUTIONS: u64 = 4096;

thread_local! {
  /// What the process resolving now on this thread lends the resolver for
  /// the length of one call (the resolver runs on the calling thread).
  static CALLER: RefCell<Option<Caller>> = const { RefCell::new(None) };
}

/// The process's supervisor (mounts are read, and host permission
/// functions asked, through host queries only it can make) and its
/// permission state, moved out of its op state while the resolver runs.
struct Caller {
  control: Rc<dyn ProcessControl>,
  cache: PermissionCache,
  audit_events: u64,
  pid: u32,
}

/// Runs `f` with `s`'s supervisor and permission state lent to the
/// resolver's filesystem, and takes them back after.
fn lend<T>(s: &mut OpState, f: impl FnOnce() -> T) -> T {
  let caller = Caller {
    control: s.control.clone(),
    cache: std::mem::take(&mut s.process.permission_cache),
    audit_events: s.process.audit_events,
    pid: s.process.pid,
  };
  CALLER.with(|c| *c.borrow_mut() = Some(caller));
  let out = f();
  if let Some(c) = CALLER.with(|c| c.borrow_mut().take()) {
    s.process.permission_cache = c.cache;
    s.process.audit_events = c.audit_events;
  }
  out
}

fn control() -> io::Result<Rc<dyn ProcessControl>> {
  CALLER
    .with(|c| c.borrow().as_ref().map(|c| c.control.clone()))
    .ok_or_else(|| io_err(Errno::EIO))
}

/// The kernel as oxc_resolver's filesystem. Under an fs policy of rules,
/// every path the resolver touches is judged like a read (on where it
/// really leads); a refused one reads as missing, and is remembered so that
/// a search that then finds nothing fails with `EACCES`, not "not found".
pub struct KernelFs {
  kernel: Option<Arc<Kernel>>,
  /// Whether a host permission function is asked (it is not for the
  /// entry file's package scope: a lookup the guest did not make).
  ask_host: bool,
  /// Paths refused since the cache was last emptied (the first few).
  denied: Arc<std::sync::Mutex<Vec<String>>>,
}

/// A process's resolver for one kind of request, and what its filesystem
/// refused.
pub struct ModuleResolver {
  resolver: ResolverGeneric<KernelFs>,
  denied: Arc<std::sync::Mutex<Vec<String>>>,
}

/// Refused paths a resolver remembers (between cache clears).
const MAX_DENIED: usize = 256;

impl ModuleResolver {
  /// A refused path that is one of this request's candidates. Refusals are
  /// kept as long as the resolver's cache, which remembers them as missing.
  fn denied_candidate(&self, dir: &str, specifier: &str) -> Option<String> {
    let denied = self.denied.lock().unwrap_or_else(|e| e.into_inner());
    denied
      .iter()
      .find(|p| is_candidate(p, dir, specifier))
      .cloned()
  }

  pub fn clear_cache(&self) {
    self.resolver.clear_cache();
    self
      .denied
      .lock()
      .unwrap_or_else(|e| e.into_inner())
      .clear();
  }
}

fn io_err(e: Errno) -> io::Error {
  let kind = match e {
    Errno::ENOENT | Errno::ENOTDIR => io::ErrorKind::NotFound,
    Errno::EACCES => io::ErrorKind::PermissionDenied,
    _ => io::ErrorKind::Other,
  };
  io::Error::new(kind, e.code())
}

impl KernelFs {
  fn kernel(&self) -> io::Result<&Arc<Kernel>> {
    self
      .kernel
      .as_ref()
      .ok_or_else(|| io::Error::other("no kernel"))
  }

  fn path<'p>(&self, path: &'p Path) -> io::Result<&'p str> {
    path.to_str().ok_or_else(|| io_err(Errno::ENOENT))
  }

  /// `call` on the mount `path` leads into, when it does.
  fn on_mount(
    &self,
    path: &str,
    follow: bool,
    call: impl FnOnce(String) -> MountCall,
  ) -> io::Result<Option<MountReply>> {
    let kernel = self.kernel()?;
    if kernel.mounts.is_empty() {
      return Ok(None);
    }
    let Some((m, rel)) = kernel.vfs().locate(GUEST, path, follow).ok().flatten() else {
      return Ok(None);
    };
    let control = control()?;
    match super::mount::ask(&*control, m, call(rel)) {
      Ok(Ok(reply)) => Ok(Some(reply)),
      Ok(Err(e)) => Err(io_err(e)),
      Err(_) => Err(io_err(Errno::EIO)),
    }
  }

  /// May the guest read `path` (followed through a last link or not)? A
  /// refusal is remembered.
  /// Under path rules, the fs held still from the check to the read (see
  /// `fs::permit`): another process cannot swap a link in between.
  fn hold(&self) -> Option<super::fs::FsHold> {
    let kernel = self.kernel.as_ref()?;
    kernel
      .policy
      .fixed(super::policy::Scope::Fs)
      .is_none()
      .then(|| kernel.fs_serial.hold())
  }

  fn permit(&self, path: &str, follow: bool, op: &str) -> io::Result<()> {
    if self.allowed(path, follow, op)? {
      return Ok(());
    }
    self.deny(path);
    Err(io_err(Errno::EACCES))
  }

  fn deny(&self, path: &str) {
    let mut denied = self.denied.lock().unwrap_or_else(|e| e.into_inner());
    if denied.len() < MAX_DENIED {
      denied.push(path.to_string());
    }
  }

  fn allowed(&self, path: &str, follow: bool, op: &str) -> io::Result<bool> {
    use super::policy::{Access, Verdict};
    let kernel = self.kernel()?;
    if let Some(Verdict::Allow(_)) = kernel.policy.fixed(super::policy::Scope::Fs) {
      return Ok(true);
    }
    let located = if kernel.mounts.is_empty() {
      None
    } else {
      kernel
        .vfs()
        .locate(super::vfs::Vfs::ROOT, path, follow)
        .ok()
        .flatten()
    };
    let target = match located {
      Some((m, rel)) => {
        let control = control()?;
        // The same walk the fs calls judge mount paths by; a path the host
        // cannot resolve is refused.
        match super::mount::resolve_for_policy(kernel, &*control, m, &rel, follow) {
          Ok(Ok(target)) => target,
          _ => return Ok(false),
        }
      }
      None => super::fs::policy_path(&kernel.vfs(), path, follow),
    };
    match kernel.policy.fs(Access::Read, &target) {
      Verdict::Allow(_) => Ok(true),
      Verdict::Deny(_) => Ok(false),
      Verdict::AskHost if !self.ask_host => Ok(false),
      // A host function is asked about every path the search reads, as
      // the fs calls ask it (with its answers kept as it says).
      Verdict::AskHost => CALLER.with(|c| {
        let mut c = c.borrow_mut();
        let c = c.as_mut().ok_or_else(|| io_err(Errno::EIO))?;
        let mut checker = Checker {
          kernel,
          control: &*c.control,
          cache: &mut c.cache,
          audit_events: &mut c.audit_events,
          pid: c.pid,
        };
        let ask = Ask {
          scope: super::policy::Scope::Fs,
          op,
          access: Some(Access::Read),
          target: &target,
        };
        match check_with(&mut checker, ask, "open") {
          Ok(()) => Ok(true),
          Err(OpError::Kernel(k)) if k.errno == Errno::EACCES => Ok(false),
          Err(_) => Err(io_err(Errno::EIO)),
        }
      }),
    }
  }

  /// What `path` is. A directory's existence is told even where the policy
  /// refuses it (the search must walk up through directories it may not
  /// read); any other refused path is refused whether it exists or not.
  fn meta(&self, path: &Path, follow: bool) -> io::Result<FileMetadata> {
    let p = self.path(path)?;
    let _hold = self.hold();
    if self.allowed(p, follow, "stat")? {
      return self.raw_meta(p, follow);
    }
    match self.raw_meta(p, follow) {
      Ok(md) if md.is_dir() => Ok(md),
      // Refused whether it exists or not: a refusal tells nothing about a file.
      _ => {
        self.deny(p);
        Err(io_err(Errno::EACCES))
      }
    }
  }

  fn raw_meta(&self, p: &str, follow: bool) -> io::Result<FileMetadata> {
    if let Some(reply) = self.on_mount(p, follow, |rel| MountCall::Stat { rel, follow })? {
      let MountReply::Stat(f) = reply else {
        return Err(io_err(Errno::EIO));
      };
      let fmt = (f.get(1).copied().unwrap_or(0.0) as u32) & 0o170000;
      return Ok(FileMetadata::new(
        fmt == 0o100000,
        fmt == 0o040000,
        fmt == 0o120000,
      ));
    }
    let st = self
      .kernel()?
      .vfs()
      .stat(GUEST, p, follow)
      .map_err(io_err)?;
    let t = st.file_type();
    Ok(FileMetadata::new(
      t == FileType::File,
      t == FileType::Dir,
      t == FileType::Symlink,
    ))
  }

  /// The resolver for one kind of request.
  #[cfg(test)]
  pub fn resolver(kernel: Arc<Kernel>, import: bool) -> ModuleResolver {
    Self::resolver_for(kernel, import, !import)
  }

  /// `import` picks the conditions; `loose` allows extensions and index
  /// files (as `require` does, and `import` does for a package's "main").
  fn resolver_for(kernel: Arc<Kernel>, import: bool, loose: bool) -> ModuleResolver {
    let options = ResolveOptions {
      condition_names: if import {
        vec!["node".into(), "import".into()]
      } else {
        vec!["node".into(), "require".into()]
      },
      // Node's, then TypeScript files (as Node 22's type stripping adds them).
      extensions: if loose {
        [".js", ".json", ".node", ".ts", ".tsx", ".cts", ".mts"]
          .map(String::from)
          .to_vec()
      } else {
        Vec::new()
      },
      // TypeScript's NodeNext convention: `./x.js` names `x.ts` when there
      // is no `x.js`.
      extension_alias: vec![
        (
          ".js".into(),
          vec![".js".into(), ".ts".into(), ".tsx".into()],
        ),
        (".mjs".into(), vec![".mjs".into(), ".mts".into()]),
        (".cjs".into(), vec![".cjs".into(), ".cts".into()]),
      ],
      fully_specified: !loose,
      main_fields: vec!["main".into()],
      main_files: vec!["index".into()],
      symlinks: true,
      builtin_modules: false,
      module_type: true,
      ..ResolveOptions::default()
    };
    let denied = Arc::new(std::sync::Mutex::new(Vec::new()));
    ModuleResolver {
      resolver: ResolverGeneric::new_with_file_system(
        KernelFs {
          kernel: Some(kernel),
          ask_host: true,
          denied: denied.clone(),
        },
        options,
      ),
      denied,
    }
  }
}

impl FileSystem for KernelFs {
  fn new() -> Self {
    KernelFs {
      kernel: None,
      ask_host: true,
      denied: Arc::default(),
    }
  }

  fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
    let p = self.path(path)?;
    let _hold = self.hold();
    self.permit(p, true, "open")?;
    let max = self.kernel()?.vfs().limits().max_file_size;
    if let Some(reply) = self.on_mount(p, true, |rel| MountCall::ReadFile { rel, max })? {
      return match reply {
        MountReply::Bytes(b) => Ok(b),
        _ => Err(io_err(Errno::EIO)),
      };
    }
    let r = self.kernel()?.vfs().read_file(GUEST, p).map(|b| b.to_vec());
    r.map_err(io_err)
  }

  fn read_to_string(&self, path: &Path) -> io::Result<String> {
    String::from_utf8(self.read(path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
  }

  fn metadata(&self, path: &Path) -> io::Result<FileMetadata> {
    self.meta(path, true)
  }

  fn symlink_metadata(&self, path: &Path) -> io::Result<FileMetadata> {
    self.meta(path, false)
  }

  fn read_link(&self, path: &Path) -> Result<PathBuf, ResolveError> {
    let p = self.path(path)?;
    let _hold = self.hold();
    self.permit(p, false, "readlink")?;
    if let Some(reply) = self.on_mount(p, false, |rel| MountCall::Readlink { rel })? {
      return match reply {
        MountReply::Text(t) => Ok(PathBuf::from(t)),
        _ => Err(io_err(Errno::EIO).into()),
      };
    }
    let r = self.kernel()?.vfs().readlink(GUEST, p).map(PathBuf::from);
    Ok(r.map_err(io_err)?)
  }

  fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
    let p = self.path(path)?;
    let _hold = self.hold();
    self.permit(p, true, "realpath")?;
    let kernel = self.kernel()?.clone();
    if let Some(reply) = self.on_mount(p, true, |rel| MountCall::Realpath { rel })? {
      let MountReply::Text(t) = reply else {
        return Err(io_err(Errno::EIO));
      };
      let (m, _) = kernel
        .vfs()
        .locate(GUEST, p, true)
        .ok()
        .flatten()
        .ok_or_else(|| io_err(Errno::EIO))?;
      let base = kernel
        .mounts
        .get(m as usize)
        .map_or("/", |x| x.guest_path.as_str());
      return Ok(PathBuf::from(super::policy::normalize(&format!(
        "{base}/{t}"
      ))));
    }
    let r = kernel.vfs().realpath(GUEST, p).map(PathBuf::from);
    r.map_err(io_err)
  }
}

/// Whether `path` is one of the places `specifier` (from `dir`) may be:
/// the file, a file with an extension, a directory's index, or for a bare
/// name a `node_modules` directory or that package.
fn is_candidate(path: &str, dir: &str, specifier: &str) -> bool {
  if specifier.starts_with('.') || specifier.starts_with('/') {
    let base = if specifier.starts_with('/') {
      super::policy::normalize(specifier)
    } else {
      super::policy::normalize(&format!("{dir}/{specifier}"))
    };
    return path.starts_with(&base);
  }
  let name = specifier.split('/').next().unwrap_or(specifier);
  path.ends_with("/node_modules") || path.contains(&format!("/node_modules/{name}"))
}

/// Node's error for an import that resolves to nothing, which names what
/// is missing: a directory is not importable, and a missing file inside a
/// package that exists is named by its path.
fn import_not_found(s: &mut OpState, specifier: &str, parent: &str) -> OpError {
  let fs = KernelFs {
    kernel: Some(s.kernel.clone()),
    ask_host: true,
    denied: Arc::default(),
  };
  let dir = match parent.rfind('/') {
    Some(0) | None => "",
    Some(i) => &parent[..i],
  };
  let is_dir = |fs: &KernelFs, p: &str| fs.meta(Path::new(p), true).is_ok_and(|m| m.is_dir());
  let relative = specifier.starts_with("./") || specifier.starts_with("../");
  if relative || specifier.starts_with('/') {
    let target = if relative {
      super::policy::normalize(&format!("{dir}/{specifier}"))
    } else {
      super::policy::normalize(specifier)
    };
    if lend(s, || is_dir(&fs, &target)) {
      return OpError::coded(
        ErrorClass::Error,
        "ERR_UNSUPPORTED_DIR_IMPORT",
        format!("Directory import '{target}' is not supported resolving ES modules imported from {parent}"),
      );
    }
    return not_found(specifier, parent, true);
  }
  // A package subpath: the package's directory, as the search finds it.
  let mut parts = specifier.splitn(if specifier.starts_with('@') { 3 } else { 2 }, '/');
  let name = if specifier.starts_with('@') {
    format!(
      "{}/{}",
      parts.next().unwrap_or(""),
      parts.next().unwrap_or("")
    )
  } else {
    parts.next().unwrap_or("").to_string()
  };
  let Some(subpath) = parts.next() else {
    return not_found(specifier, parent, true);
  };
  let found = lend(s, || {
    let mut d = dir.to_string();
    loop {
      if !d.ends_with("/node_modules") {
        let pkg = format!("{d}/node_modules/{name}");
        if is_dir(&fs, &pkg) {
          return Some(pkg);
        }
      }
      match d.rfind('/') {
        Some(i) => d.truncate(i),
        None => return None,
      }
    }
  });
  match found {
    Some(pkg) => OpError::coded(
      ErrorClass::Error,
      "ERR_MODULE_NOT_FOUND",
      format!("Cannot find module '{pkg}/{subpath}' imported from {parent}"),
    ),
    // Node names the package that is missing, not the subpath.
    None => not_found(&name, parent, true),
  }
}

/// Node's error for a request that resolves to nothing.
fn not_found(specifier: &str, parent: &str, import: bool) -> OpError {
  if import {
    // A file is named by the absolute path it would have had.
    let (what, name) = if specifier.starts_with('/') {
      ("module", super::policy::normalize(specifier))
    } else if specifier.starts_with("./")
      || specifier.starts_with("../")
      || specifier == "."
      || specifier == ".."
    {
      let dir = match parent.rfind('/') {
        Some(0) | None => "",
        Some(i) => &parent[..i],
      };
      (
        "module",
        super::policy::normalize(&format!("{dir}/{specifier}")),
      )
    } else {
      ("package", specifier.to_string())
    };
    OpError::coded(
      ErrorClass::Error,
      "ERR_MODULE_NOT_FOUND",
      format!("Cannot find {what} '{name}' imported from {parent}"),
    )
  } else {
    OpError::coded(
      ErrorClass::Error,
      "MODULE_NOT_FOUND",
      format!("Cannot find module '{specifier}'"),
    )
  }
}

/// How Node loads a file of this type; '' for a file whose syntax decides
/// (a `.js` file, or one without extension, outside any package "type").
fn format_name(t: Option<oxc_resolver::ModuleType>) -> &'static str {
  use oxc_resolver::ModuleType;
  match t {
    Some(ModuleType::Module) => "module",
    Some(ModuleType::CommonJs) => "commonjs",
    Some(ModuleType::Json) => "json",
    Some(ModuleType::Wasm) => "wasm",
    Some(ModuleType::Addon) => "addon",
    None => "",
  }
}

/// `mod_format(path)`: how Node would load the entry file `path`, which
/// need not exist: by its extension, then by the "type" of the nearest
/// package.json above it (as `format_name`).
pub fn format(s: &mut OpState, path: &str) -> OpResult<OpValue<'static>> {
  Ok(OpValue::Str(entry_format(s, path).into()))
}

pub fn entry_format(s: &mut OpState, path: &str) -> &'static str {
  let ext = path
    .rsplit('/')
    .next()
    .and_then(|f| f.rsplit_once('.'))
    .map(|(_, e)| e);
  match ext {
    Some("mjs" | "mts") => return "module",
    Some("cjs" | "cts") => return "commonjs",
    Some("json") => return "json",
    Some("wasm") => return "wasm",
    Some("node") => return "addon",
    Some("js" | "ts" | "tsx" | "jsx") | None => {}
    Some(_) => return "",
  }
  if !path.starts_with('/') || path.len() > s.kernel.vfs().limits().max_path_length {
    return "";
  }
  // The package scope: the nearest package.json, stopping at node_modules.
  // Judged by the policy's rules; a host function is not asked (the guest
  // did not ask for this read, and every call would wait on the host).
  let fs = KernelFs {
    kernel: Some(s.kernel.clone()),
    ask_host: false,
    denied: Arc::default(),
  };
  let mut dir = &path[..path.rfind('/').unwrap_or(0)];
  let found = lend(s, || loop {
    if dir.ends_with("/node_modules") {
      break None;
    }
    let pj = format!("{dir}/package.json");
    if let Ok(bytes) = fs.read(Path::new(&pj)) {
      break serde_json::from_slice::<serde_json::Value>(&bytes).ok();
    }
    match dir.rfind('/') {
      Some(i) => dir = &dir[..i],
      None => break None,
    }
  });
  match found
    .as_ref()
    .and_then(|j| j.get("type"))
    .and_then(|t| t.as_str())
  {
    Some("module") => "module",
    Some("commonjs") => "commonjs",
    _ => "",
  }
}

type Found = Option<(
  Result<oxc_resolver::Resolution, ResolveError>,
  Option<String>,
)>;

/// Resolves with the process's resolver `slot` (0 require, 1 import, 2 a
/// package's main for import), made on first use: what it found, and the
/// refused candidate that explains a failure.
fn run_resolver(s: &mut OpState, slot: usize, dir: &str, specifier: &str) -> Found {
  if s.process.resolvers[slot].is_none() {
    let r = KernelFs::resolver_for(s.kernel.clone(), slot != 0, slot != 1);
    s.process.resolvers[slot] = Some(r);
  }
  // Taken out while it runs: the op state lends parts of itself to it.
  let resolver = s.process.resolvers[slot].take();
  let r = lend(s, || {
    resolver.as_ref().map(|m| {
      let r = m.resolver.resolve(dir, specifier);
      let denied = if r.is_err() {
        m.denied_candidate(dir, specifier)
      } else {
        None
      };
      (r, denied)
    })
  });
  s.process.resolvers[slot] = resolver;
  r
}

/// `name` or `@scope/name`, without a subpath.
fn is_package_root(specifier: &str) -> bool {
  if specifier.starts_with('.') || specifier.starts_with('/') || specifier.starts_with('#') {
    return false;
  }
  let parts = specifier.split('/').count();
  parts == 1 || (specifier.starts_with('@') && parts == 2)
}

/// `mod_resolve(specifier, parent file, kind)`: the file `specifier` names
/// from `parent`, as Node's `require` (kind 0) or `import` (kind 1) would
/// find it, and its format (as `format_name`).
pub fn resolve(
  s: &mut OpState,
  specifier: &str,
  parent: &str,
  kind: u32,
) -> OpResult<OpValue<'static>> {
  let import = kind == 1;
  // The resolver reads package.json files and follows links while it
  // searches: under rules or a host function, KernelFs judges each path.
  if let Some(super::policy::Verdict::Deny(_)) = s.kernel.policy.fixed(super::policy::Scope::Fs) {
    return Err(
      super::error::KernelError::new(Errno::EACCES, "open")
        .path(specifier)
        .into(),
    );
  }
  // Bounds: a name longer than a path may be, and a cache that grows with
  // every distinct request (it is Rust memory, outside the guest's heap).
  let max_path = s.kernel.vfs().limits().max_path_length;
  if specifier.len() > max_path || parent.len() > max_path {
    return Err(super::error::KernelError::new(Errno::ENAMETOOLONG, "open").into());
  }
  s.process.resolutions += 1;
  if s.process.resolutions.is_multiple_of(MAX_CACHED_RESOLUTIONS) {
    for r in s.process.resolvers.iter().flatten() {
      r.clear_cache();
    }
  }
  let dir = match parent.rfind('/') {
    Some(0) | None => "/",
    Some(i) => &parent[..i],
  };
  let r = run_resolver(s, usize::from(import), dir, specifier);
  // As Node's ESM resolution: a package without "exports" has its "main"
  // (or index) found with the extensions CommonJS tries.
  // The strict search may have gone on past the package (to a parent's
  // node_modules the policy hides): its refusal stands only if the loose
  // search finds nothing either.
  let r = match r {
    Some((Err(ResolveError::NotFound(_)), denied)) if import && is_package_root(specifier) => {
      match run_resolver(s, 2, dir, specifier) {
        Some((r @ Err(_), None)) if denied.is_some() => Some((r, denied)),
        loose => loose,
      }
    }
    r => r,
  };
  // A search that found nothing because the policy hid one of this
  // request's own candidates fails with EACCES; refusals elsewhere (the
  // package.json files of enclosing directories) leave it "not found".
  let r = match r {
    Some((_, Some(path))) => {
      return Err(
        super::error::KernelError::new(Errno::EACCES, "open")
          .path(path)
          .into(),
      );
    }
    Some((r, None)) => Some(r),
    None => None,
  };
  match r {
    Some(Ok(res)) => {
      let path = res.full_path().to_string_lossy().into_owned();
      let mut format = format_name(res.module_type());
      // oxc_resolver gives .tsx no package type; it is a .ts file for that.
      if format.is_empty() && path.ends_with(".tsx") {
        format = entry_format(s, &path);
      }
      Ok(OpValue::Strings(vec![path, format.to_string()]))
    }
    Some(Err(ResolveError::PackagePathNotExported {
      subpath,
      package_json_path,
      ..
    })) => Err(OpError::coded(
      ErrorClass::Error,
      "ERR_PACKAGE_PATH_NOT_EXPORTED",
      format!(
        "Package subpath '{subpath}' is not defined by \"exports\" in {}{}",
        package_json_path.display(),
        if import {
          format!(" imported from {parent}")
        } else {
          String::new()
        }
      ),
    )),
    _ if import => Err(import_not_found(s, specifier, parent)),
    _ => Err(not_found(specifier, parent, false)),
  }
}

/// Sources of this size or more have their export names kept.
const CJS_EXPORTS_CACHE_MIN_BYTES: usize = 4096;
/// What the cache of export names may hold: entries, and bytes of names.
const CJS_EXPORTS_CACHE_ENTRIES: usize = 4096;
const CJS_EXPORTS_CACHE_BYTES: usize = 8 << 20;

/// A runtime's cache of CommonJS export names, by a keyed hash of the
/// source and its length (the key is random per runtime, so a guest cannot
/// make two sources collide). Full, it takes nothing more.
#[derive(Default)]
pub struct CjsExportsCache {
  inner: std::sync::Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
  keys: std::collections::hash_map::RandomState,
  names: std::collections::HashMap<(u64, usize), Arc<Vec<String>>>,
  bytes: usize,
}

/// `mod_cjs_exports(source)`: the names ESM code may import from a
/// CommonJS module of this source, as Node detects them: the count of
/// export names, the names, then the specifiers of modules it reexports.
pub fn cjs_exports(s: &mut OpState, source: &str) -> OpResult<OpValue<'static>> {
  use std::hash::BuildHasher;
  let cache = &s.kernel.cjs_exports;
  let key = (source.len() >= CJS_EXPORTS_CACHE_MIN_BYTES).then(|| {
    let inner = cache.inner.lock().unwrap_or_else(|e| e.into_inner());
    (inner.keys.hash_one(source), source.len())
  });
  if let Some(key) = key {
    let inner = cache.inner.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(names) = inner.names.get(&key) {
      return Ok(OpValue::Strings(names.as_ref().clone()));
    }
  }
  let found = super::cjs_exports::detect(source);
  let mut out = Vec::with_capacity(1 + found.exports.len() + found.reexports.len());
  out.push(found.exports.len().to_string());
  out.extend(found.exports);
  out.extend(found.reexports);
  if let Some(key) = key {
    let size: usize = out.iter().map(|n| n.len() + 24).sum();
    let mut inner = cache.inner.lock().unwrap_or_else(|e| e.into_inner());
    if inner.names.len() < CJS_EXPORTS_CACHE_ENTRIES
      && inner.bytes + size <= CJS_EXPORTS_CACHE_BYTES
    {
      inner.bytes += size;
      inner.names.insert(key, Arc::new(out.clone()));
    }
  }
  Ok(OpValue::Strings(out))
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::kernel::vfs::{OpenFlags, Vfs};

  fn write(k: &Kernel, path: &str, text: &str) {
    let mut vfs = k.vfs();
    let dir = &path[..path.rfind('/').unwrap()];
    vfs.mkdir_all(Vfs::GUEST, dir, 0o755).unwrap();
    vfs
      .write_file(
        Vfs::GUEST,
        path,
        text.as_bytes(),
        OpenFlags::from_linux(0o1101),
        0o644,
      )
      .unwrap();
  }

  fn kernel(fs: crate::kernel::policy::RuleSpec) -> Arc<Kernel> {
    let mut config = crate::kernel::limits::RequestedLimits::default()
      .resolve(false)
      .unwrap();
    config.permissions.fs = Some(fs);
    Arc::new(Kernel::new(&config).unwrap())
  }

  #[test]
  fn resolves_packages_over_the_vfs() {
    let k = kernel(crate::kernel::policy::RuleSpec::Allow);
    write(
      &k,
      "/workspace/node_modules/p/package.json",
      r#"{"exports":{".":{"import":"./m.mjs","require":"./c.js"},"./sub":"./sub.js"}}"#,
    );
    write(&k, "/workspace/node_modules/p/c.js", "");
    write(&k, "/workspace/node_modules/p/m.mjs", "");
    write(&k, "/workspace/node_modules/p/sub.js", "");
    write(&k, "/workspace/src/x.js", "");
    write(&k, "/workspace/src/dir/index.js", "");
    let req = KernelFs::resolver(k.clone(), false);
    let imp = KernelFs::resolver(k.clone(), true);
    let at = |r: &ModuleResolver, s: &str| {
      r.resolver
        .resolve("/workspace/src", s)
        .map(|x| x.full_path().display().to_string())
    };
    assert_eq!(at(&req, "p").unwrap(), "/workspace/node_modules/p/c.js");
    assert_eq!(at(&imp, "p").unwrap(), "/workspace/node_modules/p/m.mjs");
    assert_eq!(
      at(&req, "p/sub").unwrap(),
      "/workspace/node_modules/p/sub.js"
    );
    assert_eq!(at(&req, "./x").unwrap(), "/workspace/src/x.js");
    assert_eq!(at(&req, "./dir").unwrap(), "/workspace/src/dir/index.js");
    // ESM asks for the full name.
    assert!(at(&imp, "./x").is_err());
    assert!(matches!(
      at(&req, "p/c.js"),
      Err(ResolveError::PackagePathNotExported { .. })
    ));
    assert!(matches!(at(&req, "nope"), Err(ResolveError::NotFound(_))));
  }

  #[test]
  fn typescript_files_come_after_javascript_ones() {
    let k = kernel(crate::kernel::policy::RuleSpec::Allow);
    write(&k, "/workspace/w/only.ts", "");
    write(&k, "/workspace/w/both.js", "");
    write(&k, "/workspace/w/both.ts", "");
    write(&k, "/workspace/w/view.tsx", "");
    write(&k, "/workspace/w/m.mts", "");
    write(&k, "/workspace/w/c.cts", "");
    write(&k, "/workspace/w/dir/index.ts", "");
    let req = KernelFs::resolver(k.clone(), false);
    let imp = KernelFs::resolver(k, true);
    let at = |r: &ModuleResolver, s: &str| {
      r.resolver
        .resolve("/workspace/w", s)
        .map(|x| x.full_path().display().to_string())
        .unwrap_or_else(|e| format!("error: {e}"))
    };
    assert_eq!(at(&req, "./only"), "/workspace/w/only.ts");
    assert_eq!(at(&req, "./both"), "/workspace/w/both.js");
    assert_eq!(at(&req, "./view"), "/workspace/w/view.tsx");
    assert_eq!(at(&req, "./dir"), "/workspace/w/dir/index.ts");
    // TypeScript's NodeNext names, for import and require.
    for r in [&req, &imp] {
      assert_eq!(at(r, "./only.js"), "/workspace/w/only.ts");
      assert_eq!(at(r, "./both.js"), "/workspace/w/both.js");
      assert_eq!(at(r, "./view.js"), "/workspace/w/view.tsx");
      assert_eq!(at(r, "./m.mjs"), "/workspace/w/m.mts");
      assert_eq!(at(r, "./c.cjs"), "/workspace/w/c.cts");
      assert_eq!(at(r, "./only.ts"), "/workspace/w/only.ts");
      assert!(at(r, "./none.js").starts_with("error"));
    }
    assert!(at(&imp, "./only").starts_with("error"));
  }

  #[test]
  fn rules_hide_what_they_do_not_cover_but_not_the_directories_above() {
    let k = kernel(crate::kernel::policy::RuleSpec::Paths {
      read: vec!["/workspace/src/**".into()],
      write: vec![],
    });
    write(&k, "/workspace/node_modules/tiny/index.js", "");
    write(&k, "/workspace/src/ok.js", "");
    let req = KernelFs::resolver(k, false);
    let found = req
      .resolver
      .resolve("/workspace/src", "./ok")
      .map(|r| r.full_path().display().to_string());
    assert_eq!(found.unwrap(), "/workspace/src/ok.js");
    assert!(req.resolver.resolve("/workspace/src", "tiny").is_err());
    assert_eq!(
      req.denied_candidate("/workspace/src", "tiny").as_deref(),
      Some("/workspace/node_modules/tiny/package.json")
    );
    assert_eq!(req.denied_candidate("/workspace/src", "./nope"), None);
  }
}
