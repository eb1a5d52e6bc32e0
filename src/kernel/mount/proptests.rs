//! Paths beneath a mount: random relative paths (`..`, `.`, `//`, links
//! relative, absolute, dangling and looping, NULs, long names) over a real
//! host directory. The host's answers (src/host/mounts.rs) agree with a
//! model of a walk that may not leave the mount's root, nothing outside
//! the root is ever read, and the path the policy judges
//! ([`resolve_for_policy`]) is always beneath the mount and, wherever the
//! model knows it, the one the host reaches.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::host::mounts::{MountRequest, MountTable};

const SECRET: &[u8] = b"SECRET";
const LONG: &str = "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn";

#[derive(Debug, Clone)]
enum Node {
  File(&'static [u8]),
  Dir,
  Link(String),
}

/// The mount's tree: one host directory, made once per test binary, and
/// the same tree as a model (paths relative to the root).
struct Fixture {
  root: PathBuf,
  model: HashMap<String, Node>,
}

fn fixture() -> &'static Fixture {
  static F: OnceLock<Fixture> = OnceLock::new();
  F.get_or_init(|| {
    let base = std::env::temp_dir().join(format!("se-mount-prop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let root = base.join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(base.join("secret"), SECRET).unwrap();
    let abs = |p: &Path| p.to_string_lossy().into_owned();
    let entries: Vec<(&str, Node)> = vec![
      ("f", Node::File(b"F")),
      ("d", Node::Dir),
      ("d/g", Node::File(b"G")),
      ("d/e", Node::Dir),
      ("l_f", Node::Link("f".into())),
      ("l_dir", Node::Link("d".into())),
      ("l_dotdot", Node::Link("..".into())),
      ("l_loop", Node::Link("l_loop".into())),
      ("l_dangling", Node::Link("nothere".into())),
      ("l_abs_in", Node::Link(abs(&root.join("f")))),
      ("l_abs_out", Node::Link(abs(&base.join("secret")))),
      ("d/l_up", Node::Link("../f".into())),
      ("d/l_out", Node::Link("../../secret".into())),
      ("d/l_deep", Node::Link("e/../../d/./g".into())),
      ("d/l_slash", Node::Link("e/".into())),
    ];
    for (p, n) in &entries {
      let host = root.join(p);
      match n {
        Node::File(b) => std::fs::write(host, b).unwrap(),
        Node::Dir => std::fs::create_dir(host).unwrap(),
        Node::Link(t) => std::os::unix::fs::symlink(t, host).unwrap(),
      }
    }
    let mut model: HashMap<String, Node> = entries
      .into_iter()
      .map(|(p, n)| (p.to_string(), n))
      .collect();
    model.insert(String::new(), Node::Dir);
    Fixture { root, model }
  })
}

/// How a walk beneath the root ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Walk {
  /// The node reached (its path from the root).
  Found(Vec<String>),
  /// The last name does not exist: where it would be made.
  Missing(Vec<String>),
}

impl Fixture {
  fn node(&self, path: &[String]) -> Option<&Node> {
    self.model.get(&path.join("/"))
  }

  /// openat2(RESOLVE_BENEATH) as the model has it: a `..` above the root
  /// or an absolute link is EXDEV; links are followed in the middle, and
  /// at the end when `follow` (a trailing slash always follows).
  fn walk(&self, rel: &str, follow: bool) -> Result<Walk, i32> {
    if rel.starts_with('/') || rel.contains('\0') {
      return Err(libc::EINVAL);
    }
    let mut todo: Vec<String> = Vec::new();
    let push_path = |todo: &mut Vec<String>, p: &str| {
      // Kept reversed: the next token is at the end.
      let mut t: Vec<String> = p
        .split('/')
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
      if p.ends_with('/') && !t.is_empty() {
        t.push(".".into());
      }
      t.reverse();
      todo.extend(t);
    };
    push_path(&mut todo, rel);
    let mut cur: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(tok) = todo.pop() {
      if !matches!(self.node(&cur), Some(Node::Dir)) {
        return Err(libc::ENOTDIR);
      }
      match tok.as_str() {
        "." => continue,
        ".." => {
          if cur.pop().is_none() {
            return Err(libc::EXDEV);
          }
          continue;
        }
        _ => {}
      }
      if tok.len() > 255 {
        return Err(libc::ENAMETOOLONG);
      }
      let mut path = cur.clone();
      path.push(tok);
      match self.node(&path) {
        None if todo.is_empty() => return Ok(Walk::Missing(path)),
        None => return Err(libc::ENOENT),
        Some(Node::Link(target)) if follow || !todo.is_empty() => {
          links += 1;
          if links > 40 {
            return Err(libc::ELOOP);
          }
          if target.starts_with('/') {
            return Err(libc::EXDEV);
          }
          push_path(&mut todo, target);
        }
        Some(_) => cur = path,
      }
    }
    Ok(Walk::Found(cur))
  }

  fn found(&self, rel: &str, follow: bool) -> Result<(Vec<String>, &Node), i32> {
    match self.walk(rel, follow)? {
      Walk::Found(p) => {
        let n = self.node(&p).unwrap();
        Ok((p, n))
      }
      Walk::Missing(_) => Err(libc::ENOENT),
    }
  }
}

/// The guest's `EACCES` for a way out of the mount.
fn host_errno(e: i32) -> i32 {
  if e == libc::EXDEV {
    libc::EACCES
  } else {
    e
  }
}

pub(super) fn table() -> MountTable {
  MountTable::open(&[MountRequest {
    host_path: fixture().root.to_string_lossy().into_owned(),
    read_only: true,
  }])
  .unwrap()
}

/// A supervisor that answers mount queries from a host mount table.
pub(super) struct Host(pub(super) MountTable);

impl ProcessControl for Host {
  fn exit(&self, _: i32) {}
  fn query_host(&self, q: Query) -> Result<Vec<u8>, OpError> {
    let Query::Mount { mount, call } = q else {
      panic!("unexpected query {q:?}")
    };
    Ok(postcard::to_allocvec(&self.0.serve(mount, call)).unwrap())
  }
  fn query_host_async(&self, _: Query) -> super::super::op::OpFuture {
    unreachable!()
  }
  fn next_completion(&self, _: u32) -> Option<(u32, super::super::op::OpOutcome)> {
    None
  }
  fn set_op_ref(&self, _: u32, _: bool) -> bool {
    false
  }
  fn audit(&self, _: crate::ipc::AuditEvent) {}
  fn wait(&self, _: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>) -> bool {
    false
  }
}

pub(super) const MNT: &str = "/mnt/data";

pub(super) fn kernel() -> Kernel {
  let mut config = super::super::limits::RequestedLimits::default()
    .resolve(false)
    .unwrap();
  config.mounts.push(crate::ipc::MountSpec {
    guest_path: MNT.into(),
    read_only: true,
  });
  Kernel::new(&config).unwrap()
}

fn rel_path() -> impl Strategy<Value = String> {
  let token = prop::sample::select(vec![
    "f",
    "d",
    "g",
    "e",
    "l_f",
    "l_dir",
    "l_dotdot",
    "l_loop",
    "l_dangling",
    "l_abs_in",
    "l_abs_out",
    "l_up",
    "l_out",
    "l_deep",
    "l_slash",
    "nothere",
    ".",
    "..",
    "",
    "secret",
    "root",
    LONG,
  ]);
  (
    prop::collection::vec(token, 0..6),
    prop::bool::weighted(0.1),
    prop::bool::weighted(0.15),
    prop::option::weighted(0.05, any::<prop::sample::Index>()),
  )
    .prop_map(|(t, lead, trail, nul)| {
      let mut p = t.join("/");
      if lead {
        p.insert(0, '/');
      }
      if trail {
        p.push('/');
      }
      if let Some(i) = nul {
        let at = i.index(p.len() + 1);
        if p.is_char_boundary(at) {
          p.insert(at, '\0');
        }
      }
      p
    })
}

fn text(r: Result<MountReply, i32>) -> Result<String, i32> {
  r.map(|m| match m {
    MountReply::Text(t) => t,
    other => panic!("not text: {other:?}"),
  })
}

proptest! {
  #![proptest_config(crate::fuzz::config(400))]

  #[test]
  fn the_host_walk_agrees_with_the_model(rel in rel_path(), follow in any::<bool>()) {
    let fx = fixture();
    let t = table();

    let read = t.serve(0, MountCall::ReadFile { rel: rel.clone(), max: 1 << 20 });
    if let Ok(MountReply::Bytes(b)) = &read {
      prop_assert_ne!(&b[..], SECRET, "{:?} read outside the mount", rel);
    }
    let want = match fx.found(&rel, true) {
      Ok((_, Node::File(b))) => Ok(MountReply::Bytes(b.to_vec())),
      Ok((_, _)) => Err(libc::EISDIR),
      Err(e) => Err(host_errno(e)),
    };
    prop_assert_eq!(read, want, "read {:?}", rel);

    let real = text(t.serve(0, MountCall::Realpath { rel: rel.clone() }));
    if let Ok(r) = &real {
      prop_assert!(!r.starts_with('/') && !r.split('/').any(|c| c == ".."), "{:?} → {:?}", rel, r);
    }
    prop_assert_eq!(real, fx.found(&rel, true).map(|(p, _)| p.join("/")).map_err(host_errno), "realpath {:?}", rel);

    let stat = t.serve(0, MountCall::Stat { rel: rel.clone(), follow });
    let kind = stat.map(|m| match m {
      MountReply::Stat(f) => f[1] as u32 & libc::S_IFMT,
      other => panic!("not a stat: {other:?}"),
    });
    let want = fx.found(&rel, follow).map_err(host_errno).map(|(_, n)| match n {
      Node::File(_) => libc::S_IFREG,
      Node::Dir => libc::S_IFDIR,
      Node::Link(_) => libc::S_IFLNK,
    });
    prop_assert_eq!(kind, want, "stat {:?} follow {}", rel, follow);

    // readlink names an entry of a directory reached beneath the root.
    let link = text(t.serve(0, MountCall::Readlink { rel: rel.clone() }));
    let trimmed = rel.trim_end_matches('/');
    let (dir, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let want = match name {
      "" | "." => Err(libc::EBUSY),
      ".." => Err(libc::EINVAL),
      _ => match fx.found(dir, true) {
        Ok((_, Node::Dir)) if name.contains('\0') => Err(libc::EINVAL),
        Ok((_, Node::Dir)) if name.len() > 255 => Err(libc::ENAMETOOLONG),
        Ok((p, Node::Dir)) => match fx.node(&[p, vec![name.to_string()]].concat()) {
          Some(Node::Link(target)) => Ok(target.clone()),
          Some(_) => Err(libc::EINVAL),
          None => Err(libc::ENOENT),
        },
        Ok(_) => Err(libc::ENOTDIR),
        Err(e) => Err(host_errno(e)),
      },
    };
    prop_assert_eq!(link, want, "readlink {:?}", rel);
  }

  /// The policy judges a path beneath the mount, never another; where the
  /// walk reaches a node, or the place a new one would be made, that place.
  #[test]
  fn the_policy_judges_what_the_host_reaches(rel in rel_path(), follow in any::<bool>()) {
    let fx = fixture();
    let k = kernel();
    let host = Host(table());
    let r = resolve_for_policy(&k, &host, 0, &rel, follow).map_err(|e| format!("{e:?}"));
    let r = match r {
      Ok(r) => r,
      Err(e) => return Err(TestCaseError::fail(e)),
    };
    if let Ok(p) = &r {
      prop_assert!(p == MNT || p.starts_with(&format!("{MNT}/")), "{:?} judged as {:?}", rel, p);
    }
    let at = |p: Vec<String>| super::super::policy::normalize(&format!("{MNT}/{}", p.join("/")));
    match fx.walk(&rel, follow) {
      Ok(Walk::Found(p)) => prop_assert_eq!(r, Ok(at(p)), "{:?} follow {}", rel, follow),
      Ok(Walk::Missing(p)) => prop_assert_eq!(r, Ok(at(p)), "{:?} follow {}", rel, follow),
      Err(_) => {}
    }
  }
}
