//! The runtime's permission policy: one rule per scope, deny by default,
//! decided here in Rust. A static rule (allow, deny, path globs, names)
//! answers without leaving the sidecar; a host-written function makes the
//! verdict [`Verdict::AskHost`] and the caller asks the host (and caches
//! the answer for the call when the host says so).
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use super::net::addr::is_guarded;
use super::net::rules::{Decision, Destination, HostRules};
use serde::{Deserialize, Serialize};

/// Most entries one rule may list (paths or names).
pub const MAX_RULE_ENTRIES: usize = 4096;
/// Longest entry of a rule, in bytes.
pub const MAX_RULE_ENTRY_BYTES: usize = 4096;

/// The scopes of a policy, in the order `create({ permissions })` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
  Fs,
  Network,
  ChildProcess,
  Process,
  Env,
  Tool,
}

impl Scope {
  pub fn name(self) -> &'static str {
    match self {
      Scope::Fs => "fs",
      Scope::Network => "network",
      Scope::ChildProcess => "childProcess",
      Scope::Process => "process",
      Scope::Env => "env",
      Scope::Tool => "tool",
    }
  }
}

/// What an fs operation does to its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Access {
  Read,
  Write,
}

impl Access {
  pub fn name(self) -> &'static str {
    match self {
      Access::Read => "read",
      Access::Write => "write",
    }
  }
}

/// One scope's rule as the host wrote it (checked by [`Policy::new`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleSpec {
  Allow,
  Deny,
  /// A host function decides each request.
  Host,
  /// `fs: { read: [globs], write: [globs] }`.
  Paths {
    read: Vec<String>,
    write: Vec<String>,
  },
  /// `env: [names]`, `tool: [names]`; `*` matches any run of characters.
  Names(Vec<String>),
  /// `network: { allow: [destinations], deny: [destinations] }` (see
  /// `net::rules`).
  Hosts {
    allow: Vec<String>,
    deny: Vec<String>,
  },
}

/// `create({ permissions })`, one rule per scope; `None`: not given, so
/// denied by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySpec {
  pub fs: Option<RuleSpec>,
  pub network: Option<RuleSpec>,
  pub child_process: Option<RuleSpec>,
  pub process: Option<RuleSpec>,
  pub env: Option<RuleSpec>,
  pub tool: Option<RuleSpec>,
}

/// Which rule gave a verdict (for audit events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Because {
  /// The scope is `"allow"` / `"deny"`.
  Scope,
  /// The scope was not given: denied by default.
  Default,
  /// Entry `index` of the rule's list (`fs.read`, `fs.write` or names).
  Entry(usize),
  /// A rule list matched nothing.
  NoEntry,
  /// The host function answered.
  Host,
  /// Entry `index` of `network.allow`.
  NetAllow(usize),
  /// Entry `index` of `network.deny`.
  NetDeny(usize),
  /// The SSRF guard: a loopback, private or link-local address (or the
  /// like) that no allow entry names by address.
  Guarded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
  Allow(Because),
  Deny(Because),
  AskHost,
}

/// A list of paths: each entry is a path and everything beneath it, or a
/// glob (`*` within one component, `**` across them).
#[derive(Debug)]
struct PathList {
  /// (entry index, path) for the entries without glob characters.
  prefixes: Vec<(usize, String)>,
  globs: GlobSet,
  /// Entry index of each glob in `globs`.
  glob_entries: Vec<usize>,
}

impl PathList {
  fn new(entries: &[String], what: &str) -> Result<PathList, String> {
    check_entries(entries, what)?;
    let mut prefixes = Vec::new();
    let mut builder = GlobSetBuilder::new();
    let mut glob_entries = Vec::new();
    for (i, e) in entries.iter().enumerate() {
      if !e.starts_with('/') {
        return Err(format!(
          "{what}[{i}] must be an absolute guest path (starting with '/'): {e:?}"
        ));
      }
      if has_glob_chars(e) {
        builder.add(path_glob(e).map_err(|err| format!("{what}[{i}]: {err}"))?);
        glob_entries.push(i);
        // `/dir/**` also names `/dir` itself.
        if let Some(base) = e.strip_suffix("/**") {
          if !has_glob_chars(base) {
            prefixes.push((i, normalize_rule_path(base)));
          }
        }
      } else {
        prefixes.push((i, normalize_rule_path(e)));
      }
    }
    let globs = builder.build().map_err(|e| format!("{what}: {e}"))?;
    Ok(PathList {
      prefixes,
      globs,
      glob_entries,
    })
  }

  /// The first entry that covers `path` (absolute and normalized).
  fn find(&self, path: &str) -> Option<usize> {
    let prefix = self
      .prefixes
      .iter()
      .filter(|(_, p)| is_beneath(path, p))
      .map(|(i, _)| *i)
      .min();
    let glob = if self.globs.is_empty() {
      None
    } else {
      self
        .globs
        .matches(path)
        .into_iter()
        .map(|g| self.glob_entries[g])
        .min()
    };
    match (prefix, glob) {
      (Some(a), Some(b)) => Some(a.min(b)),
      (a, b) => a.or(b),
    }
  }
}

/// A list of names (`*` matches any run of characters).
#[derive(Debug)]
struct NameList {
  exact: Vec<(usize, String)>,
  globs: GlobSet,
  glob_entries: Vec<usize>,
}

impl NameList {
  fn new(entries: &[String], what: &str) -> Result<NameList, String> {
    check_entries(entries, what)?;
    let mut exact = Vec::new();
    let mut builder = GlobSetBuilder::new();
    let mut glob_entries = Vec::new();
    for (i, e) in entries.iter().enumerate() {
      if e.contains('*') {
        let g = GlobBuilder::new(e)
          .literal_separator(false)
          .backslash_escape(false)
          .build()
          .map_err(|err| format!("{what}[{i}]: {err}"))?;
        builder.add(g);
        glob_entries.push(i);
      } else {
        exact.push((i, e.clone()));
      }
    }
    let globs = builder.build().map_err(|e| format!("{what}: {e}"))?;
    Ok(NameList {
      exact,
      globs,
      glob_entries,
    })
  }

  fn find(&self, name: &str) -> Option<usize> {
    let exact = self.exact.iter().find(|(_, n)| n == name).map(|(i, _)| *i);
    exact.or_else(|| {
      if self.globs.is_empty() {
        return None;
      }
      self
        .globs
        .matches(name)
        .into_iter()
        .map(|g| self.glob_entries[g])
        .min()
    })
  }
}

#[derive(Debug)]
enum Rule {
  Allow,
  Deny,
  Default,
  Host,
  Paths { read: PathList, write: PathList },
  Names(NameList),
  Hosts(HostRules),
}

impl Rule {
  fn new(scope: Scope, spec: &Option<RuleSpec>) -> Result<Rule, String> {
    let Some(spec) = spec else {
      return Ok(Rule::Default);
    };
    Ok(match spec {
      RuleSpec::Allow => Rule::Allow,
      RuleSpec::Deny => Rule::Deny,
      RuleSpec::Host => Rule::Host,
      RuleSpec::Paths { read, write } if scope == Scope::Fs => Rule::Paths {
        read: PathList::new(read, "permissions.fs.read")?,
        write: PathList::new(write, "permissions.fs.write")?,
      },
      RuleSpec::Names(names) if matches!(scope, Scope::Env | Scope::Tool) => Rule::Names(
        NameList::new(names, &format!("permissions.{}", scope.name()))?,
      ),
      RuleSpec::Hosts { allow, deny } if scope == Scope::Network => {
        check_entries(allow, "permissions.network.allow")?;
        check_entries(deny, "permissions.network.deny")?;
        Rule::Hosts(HostRules::new(allow, deny, "permissions.network")?)
      }
      _ => {
        return Err(format!(
          "permissions.{} has no rule of this shape (use \"allow\", \"deny\" or a function)",
          scope.name()
        ))
      }
    })
  }

  fn fixed(&self) -> Option<Verdict> {
    match self {
      Rule::Allow => Some(Verdict::Allow(Because::Scope)),
      Rule::Deny => Some(Verdict::Deny(Because::Scope)),
      Rule::Default => Some(Verdict::Deny(Because::Default)),
      Rule::Host => Some(Verdict::AskHost),
      _ => None,
    }
  }
}

/// A runtime's policy, fixed at `create()`.
#[derive(Debug)]
pub struct Policy {
  fs: Rule,
  network: Rule,
  child_process: Rule,
  process: Rule,
  env: Rule,
  tool: Rule,
}

impl Default for Policy {
  fn default() -> Self {
    Policy {
      fs: Rule::Default,
      network: Rule::Default,
      child_process: Rule::Default,
      process: Rule::Default,
      env: Rule::Default,
      tool: Rule::Default,
    }
  }
}

impl Policy {
  /// Checks and compiles the host's rules.
  pub fn new(spec: &PolicySpec) -> Result<Policy, String> {
    Ok(Policy {
      fs: Rule::new(Scope::Fs, &spec.fs)?,
      network: Rule::new(Scope::Network, &spec.network)?,
      child_process: Rule::new(Scope::ChildProcess, &spec.child_process)?,
      process: Rule::new(Scope::Process, &spec.process)?,
      env: Rule::new(Scope::Env, &spec.env)?,
      tool: Rule::new(Scope::Tool, &spec.tool)?,
    })
  }

  fn rule(&self, scope: Scope) -> &Rule {
    match scope {
      Scope::Fs => &self.fs,
      Scope::Network => &self.network,
      Scope::ChildProcess => &self.child_process,
      Scope::Process => &self.process,
      Scope::Env => &self.env,
      Scope::Tool => &self.tool,
    }
  }

  /// The verdict without looking at the target, when the rule gives one
  /// (allow, deny, host): lets callers skip resolving paths.
  pub fn fixed(&self, scope: Scope) -> Option<Verdict> {
    self.rule(scope).fixed()
  }

  /// May the guest connect to `d`? The SSRF guard holds whatever the rule:
  /// `"allow"` and a host function see no guarded address, and only an
  /// allow entry that names one by address or range lets it through.
  pub fn connect(&self, d: &Destination<'_>) -> Verdict {
    match &self.network {
      Rule::Hosts(rules) => match rules.decide(d) {
        Decision::Allowed(i) => Verdict::Allow(Because::NetAllow(i)),
        Decision::Denied(i) => Verdict::Deny(Because::NetDeny(i)),
        Decision::Guarded => Verdict::Deny(Because::Guarded),
        Decision::NotListed => Verdict::Deny(Because::NoEntry),
      },
      rule => match rule.fixed() {
        Some(Verdict::Allow(_) | Verdict::AskHost) if is_guarded(d.addr) => {
          Verdict::Deny(Because::Guarded)
        }
        Some(v) => v,
        None => Verdict::Deny(Because::NoEntry),
      },
    }
  }

  /// What can be said of connecting to the name `name` (normalized) on
  /// `port` (`None`: a lookup, any port) before it is resolved: a deny
  /// entry naming it, no allow entry that could let it through, a fixed
  /// denial or the host's function; `None` when only its addresses decide.
  pub fn connect_name(&self, name: &str, port: Option<u16>) -> Option<Verdict> {
    match &self.network {
      Rule::Hosts(rules) => {
        if let Some(i) = rules.denies_name(name, port.unwrap_or(0)) {
          Some(Verdict::Deny(Because::NetDeny(i)))
        } else if !rules.may_allow_name(name, port) {
          Some(Verdict::Deny(Because::NoEntry))
        } else {
          None
        }
      }
      rule => match rule.fixed() {
        Some(Verdict::Allow(_)) => None,
        Some(v) => Some(v),
        None => Some(Verdict::Deny(Because::NoEntry)),
      },
    }
  }

  /// Whether an allow entry names `addr` by address or range.
  pub fn names_address(&self, addr: std::net::IpAddr) -> bool {
    match &self.network {
      Rule::Hosts(rules) => rules.names_address_on_any_port(addr),
      _ => false,
    }
  }

  /// May a lookup tell the guest of `addr`? Not of a guarded address,
  /// unless an allow entry names it (on any port).
  pub fn may_know(&self, addr: std::net::IpAddr) -> bool {
    match &self.network {
      Rule::Hosts(rules) => !is_guarded(addr) || rules.names_address_on_any_port(addr),
      rule => match rule.fixed() {
        Some(Verdict::Deny(_)) => false,
        _ => !is_guarded(addr),
      },
    }
  }

  /// May `access` be done to `path`? `path` is absolute, normalized and
  /// already resolved through symlinks by the caller.
  pub fn fs(&self, access: Access, path: &str) -> Verdict {
    match &self.fs {
      Rule::Paths { read, write } => {
        let list = match access {
          Access::Read => read,
          Access::Write => write,
        };
        match list.find(path) {
          Some(i) => Verdict::Allow(Because::Entry(i)),
          None => Verdict::Deny(Because::NoEntry),
        }
      }
      other => other.fixed().unwrap_or(Verdict::Deny(Because::NoEntry)),
    }
  }

  /// May the guest use `name` in `scope` (an env variable, a host tool)?
  pub fn name(&self, scope: Scope, name: &str) -> Verdict {
    match self.rule(scope) {
      Rule::Names(list) => match list.find(name) {
        Some(i) => Verdict::Allow(Because::Entry(i)),
        None => Verdict::Deny(Because::NoEntry),
      },
      other => other.fixed().unwrap_or(Verdict::Deny(Because::NoEntry)),
    }
  }

  /// The rule that gave `because`, as audit events name it.
  pub fn describe(&self, scope: Scope, access: Option<Access>, because: &Because) -> String {
    let s = scope.name();
    match because {
      Because::Scope => format!("permissions.{s}"),
      Because::Default => format!("permissions.{s} (not given: denied by default)"),
      Because::Host => format!("permissions.{s} (host function)"),
      Because::Entry(i) => match access {
        Some(a) => format!("permissions.{s}.{}[{i}]", a.name()),
        None => format!("permissions.{s}[{i}]"),
      },
      Because::NoEntry => match access {
        Some(a) => format!("permissions.{s}.{} (no entry matched)", a.name()),
        None => format!("permissions.{s} (no entry matched)"),
      },
      Because::NetAllow(i) => format!("permissions.{s}.allow[{i}]"),
      Because::NetDeny(i) => format!("permissions.{s}.deny[{i}]"),
      Because::Guarded => format!(
        "permissions.{s} (a loopback, private or link-local address that no allow entry names)"
      ),
    }
  }
}

fn check_entries(entries: &[String], what: &str) -> Result<(), String> {
  if entries.len() > MAX_RULE_ENTRIES {
    return Err(format!(
      "{what} has {} entries; at most {MAX_RULE_ENTRIES} are allowed",
      entries.len()
    ));
  }
  for (i, e) in entries.iter().enumerate() {
    if e.is_empty() || e.len() > MAX_RULE_ENTRY_BYTES || e.contains('\0') {
      return Err(format!(
        "{what}[{i}] must be a non-empty string of at most {MAX_RULE_ENTRY_BYTES} bytes without NUL"
      ));
    }
  }
  Ok(())
}

fn has_glob_chars(s: &str) -> bool {
  s.contains(['*', '?', '[', '{'])
}

fn path_glob(pattern: &str) -> Result<Glob, globset::Error> {
  GlobBuilder::new(pattern)
    .literal_separator(true)
    .backslash_escape(true)
    .build()
}

/// `path` is `base` or beneath it (both normalized).
fn is_beneath(path: &str, base: &str) -> bool {
  if base == "/" {
    return true;
  }
  path == base || (path.starts_with(base) && path.as_bytes().get(base.len()) == Some(&b'/'))
}

/// A rule's path as the kernel compares it: `.`/`..` and repeated or
/// trailing slashes resolved lexically (rules are the host's, not the
/// guest's, so nothing here follows links).
fn normalize_rule_path(p: &str) -> String {
  normalize(p)
}

/// Lexical normalization of an absolute path: no `.`, `..`, empty or
/// trailing components; `..` at the root stays at the root.
pub fn normalize(p: &str) -> String {
  let mut out: Vec<&str> = Vec::new();
  for c in p.split('/') {
    match c {
      "" | "." => {}
      ".." => {
        out.pop();
      }
      c => out.push(c),
    }
  }
  let mut s = String::with_capacity(p.len().max(1));
  for c in &out {
    s.push('/');
    s.push_str(c);
  }
  if s.is_empty() {
    s.push('/');
  }
  s
}

#[cfg(test)]
mod tests {
  use super::*;

  fn policy(spec: PolicySpec) -> Policy {
    Policy::new(&spec).expect("policy")
  }

  fn dest(host: &'static str, addr: &str, port: u16) -> Destination<'static> {
    Destination {
      host,
      addr: addr.parse().unwrap(),
      port,
    }
  }

  #[test]
  fn network_rules_and_the_guard_whatever_the_rule() {
    let public = dest("example.com", "93.184.216.34", 443);
    let metadata = dest("rebind.example.com", "169.254.169.254", 80);
    let allow = policy(PolicySpec {
      network: Some(RuleSpec::Allow),
      ..Default::default()
    });
    assert_eq!(allow.connect(&public), Verdict::Allow(Because::Scope));
    assert_eq!(allow.connect(&metadata), Verdict::Deny(Because::Guarded));
    let host = policy(PolicySpec {
      network: Some(RuleSpec::Host),
      ..Default::default()
    });
    assert_eq!(host.connect(&public), Verdict::AskHost);
    assert_eq!(host.connect(&metadata), Verdict::Deny(Because::Guarded));
    assert_eq!(
      Policy::default().connect(&public),
      Verdict::Deny(Because::Default)
    );
    let lists = policy(PolicySpec {
      network: Some(RuleSpec::Hosts {
        allow: vec!["example.com".into(), "127.0.0.1:8080".into()],
        deny: vec!["*.bad.example".into()],
      }),
      ..Default::default()
    });
    assert_eq!(lists.connect(&public), Verdict::Allow(Because::NetAllow(0)));
    assert_eq!(
      lists.connect(&dest("localhost", "127.0.0.1", 8080)),
      Verdict::Allow(Because::NetAllow(1))
    );
    assert_eq!(
      lists.connect(&dest("x.bad.example", "93.184.216.34", 443)),
      Verdict::Deny(Because::NetDeny(0))
    );
    assert_eq!(
      lists.connect(&dest("other.com", "8.8.8.8", 443)),
      Verdict::Deny(Because::NoEntry)
    );
    assert_eq!(
      lists.describe(Scope::Network, None, &Because::NetDeny(0)),
      "permissions.network.deny[0]"
    );
    let err = Policy::new(&PolicySpec {
      network: Some(RuleSpec::Hosts {
        allow: vec!["ok.example".into(), "10.0.0.0/40".into()],
        deny: vec![],
      }),
      ..Default::default()
    })
    .unwrap_err();
    assert!(err.starts_with("permissions.network.allow[1] "), "{err}");
  }

  #[test]
  fn everything_is_denied_by_default() {
    let p = Policy::default();
    assert_eq!(
      p.fs(Access::Read, "/tmp/x"),
      Verdict::Deny(Because::Default)
    );
    assert_eq!(p.name(Scope::Env, "HOME"), Verdict::Deny(Because::Default));
    assert_eq!(
      p.fixed(Scope::Network),
      Some(Verdict::Deny(Because::Default))
    );
  }

  #[test]
  fn path_rules_cover_subtrees_and_globs() {
    let p = policy(PolicySpec {
      fs: Some(RuleSpec::Paths {
        read: vec!["/workspace".into(), "/data/*.json".into(), "/src/**".into()],
        write: vec!["/tmp/**".into()],
      }),
      ..Default::default()
    });
    let r = |path| p.fs(Access::Read, path);
    assert_eq!(r("/workspace"), Verdict::Allow(Because::Entry(0)));
    assert_eq!(r("/workspace/a/b"), Verdict::Allow(Because::Entry(0)));
    assert_eq!(r("/workspaces"), Verdict::Deny(Because::NoEntry));
    assert_eq!(r("/data/a.json"), Verdict::Allow(Because::Entry(1)));
    // `*` stays within one component.
    assert_eq!(r("/data/x/a.json"), Verdict::Deny(Because::NoEntry));
    assert_eq!(r("/src"), Verdict::Allow(Because::Entry(2)));
    assert_eq!(r("/src/a/b/c.ts"), Verdict::Allow(Because::Entry(2)));
    assert_eq!(r("/tmp/x"), Verdict::Deny(Because::NoEntry));
    assert_eq!(
      p.fs(Access::Write, "/tmp/x"),
      Verdict::Allow(Because::Entry(0))
    );
    assert_eq!(
      p.fs(Access::Write, "/workspace/x"),
      Verdict::Deny(Because::NoEntry)
    );
    assert_eq!(
      p.describe(Scope::Fs, Some(Access::Read), &Because::Entry(2)),
      "permissions.fs.read[2]"
    );
  }

  #[test]
  fn root_covers_everything_and_rules_are_normalized() {
    let p = policy(PolicySpec {
      fs: Some(RuleSpec::Paths {
        read: vec!["/".into()],
        write: vec!["/a/./b/../c/".into()],
      }),
      ..Default::default()
    });
    assert!(matches!(
      p.fs(Access::Read, "/etc/hostname"),
      Verdict::Allow(_)
    ));
    assert!(matches!(p.fs(Access::Write, "/a/c/x"), Verdict::Allow(_)));
    assert!(matches!(p.fs(Access::Write, "/a/b"), Verdict::Deny(_)));
  }

  #[test]
  fn bad_rules_are_refused() {
    let bad = |read: Vec<String>| {
      Policy::new(&PolicySpec {
        fs: Some(RuleSpec::Paths {
          read,
          write: vec![],
        }),
        ..Default::default()
      })
      .unwrap_err()
    };
    assert!(bad(vec!["relative".into()]).contains("absolute"));
    assert!(bad(vec!["".into()]).contains("non-empty"));
    assert!(bad(vec!["/a[".into()]).contains("permissions.fs.read[0]"));
    assert!(bad(vec!["/x".into(); MAX_RULE_ENTRIES + 1]).contains("at most"));
    let shape = Policy::new(&PolicySpec {
      network: Some(RuleSpec::Names(vec!["x".into()])),
      ..Default::default()
    })
    .unwrap_err();
    assert!(shape.contains("permissions.network"));
  }

  #[test]
  fn name_rules_match_exactly_or_by_star() {
    let p = policy(PolicySpec {
      env: Some(RuleSpec::Names(vec!["HOME".into(), "AWS_*".into()])),
      tool: Some(RuleSpec::Host),
      ..Default::default()
    });
    assert_eq!(
      p.name(Scope::Env, "HOME"),
      Verdict::Allow(Because::Entry(0))
    );
    assert_eq!(
      p.name(Scope::Env, "AWS_KEY/x"),
      Verdict::Allow(Because::Entry(1))
    );
    assert_eq!(p.name(Scope::Env, "HOMEX"), Verdict::Deny(Because::NoEntry));
    assert_eq!(p.name(Scope::Tool, "search"), Verdict::AskHost);
  }

  #[test]
  fn normalize_never_leaves_the_root() {
    assert_eq!(normalize("/../../a/./b//c/.."), "/a/b");
    assert_eq!(normalize("/.."), "/");
    assert_eq!(normalize("/"), "/");
  }
}
