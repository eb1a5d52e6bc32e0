//! What the kernel keeps of transforms: a runtime's cache of outputs (a
//! file loaded again, in this call or a later one, is not transformed
//! again), and each guest process's source maps, by file, for its stack
//! traces. Both are bounded in bytes.
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// Bytes of transforms a runtime keeps for later loads (sources, outputs, maps).
pub const MAX_CACHE_BYTES: usize = 32 * 1024 * 1024;
/// Transforms a runtime keeps.
pub const MAX_CACHE_ENTRIES: usize = 1024;
/// Bytes of source maps one guest process keeps for its stack traces; a
/// file loaded past it runs, but its frames show the JavaScript positions.
pub const MAX_PROCESS_MAP_BYTES: usize = 64 * 1024 * 1024;
/// Files with a source map in one guest process.
pub const MAX_PROCESS_MAPS: usize = 4096;

/// A transform's result.
#[derive(Debug)]
pub struct Transformed {
  pub code: String,
  /// oxc parsed it as an ES module (it has import/export syntax, or its
  /// extension or package says so).
  pub module: bool,
  pub mapping: Arc<Mapping>,
}

/// How positions in a transform's output lead back to its source.
#[derive(Debug)]
pub struct Mapping {
  pub map: LineMap,
  pub source: Box<str>,
}

impl Mapping {
  fn bytes(&self) -> usize {
    self.source.len() + self.map.bytes()
  }

  /// The source position of output position (`line`, `column`), both
  /// 1-based (as V8's stack traces count).
  pub fn original(&self, line: u32, column: u32) -> Option<(u32, u32)> {
    let (l, c) = self
      .map
      .lookup(line.checked_sub(1)?, column.checked_sub(1)?)?;
    Some((l + 1, c + 1))
  }

  /// The text of source line `line` (1-based).
  pub fn source_line(&self, line: u32) -> Option<&str> {
    let mut at = 0;
    for _ in 1..line {
      at += self.source[at..].find('\n')? + 1;
    }
    let rest = &self.source[at..];
    let end = rest.find('\n').unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('\r'))
  }
}

impl Transformed {
  pub fn new(code: String, module: bool, map: LineMap, source: &str) -> Transformed {
    Transformed {
      code,
      module,
      mapping: Arc::new(Mapping {
        map,
        source: source.into(),
      }),
    }
  }

  fn bytes(&self) -> usize {
    self.code.len() + self.mapping.bytes()
  }
}

/// A source map as lookups need it: each mapping's output line and column,
/// then source line and column (all 0-based, columns in UTF-16 units),
/// sorted by output position.
#[derive(Debug, Default)]
pub struct LineMap {
  tokens: Vec<[u32; 4]>,
}

impl LineMap {
  pub fn from_oxc(map: &oxc_sourcemap::SourceMap<'_>) -> LineMap {
    let mut tokens: Vec<[u32; 4]> = map
      .get_tokens()
      .map(|t| {
        [
          t.get_dst_line(),
          t.get_dst_col(),
          t.get_src_line(),
          t.get_src_col(),
        ]
      })
      .collect();
    tokens.sort_unstable();
    LineMap { tokens }
  }

  fn bytes(&self) -> usize {
    self.tokens.len() * std::mem::size_of::<[u32; 4]>()
  }

  /// The source position of the last mapping at or before (`line`,
  /// `column`) on that output line.
  pub fn lookup(&self, line: u32, column: u32) -> Option<(u32, u32)> {
    let i = self
      .tokens
      .partition_point(|t| (t[0], t[1]) <= (line, column));
    let t = self.tokens.get(i.checked_sub(1)?)?;
    (t[0] == line).then_some((t[2], t[3]))
  }
}

/// A transform's outcome, as the cache keeps it: a failure is kept too, so
/// a broken file loaded again (or the entry, whose error the guest throws)
/// is not transformed again.
pub struct Entry {
  pub source: Box<str>,
  pub format: super::Format,
  pub result: Result<Arc<Transformed>, super::Failure>,
}

impl Entry {
  fn source(&self) -> &str {
    match &self.result {
      Ok(t) => &t.mapping.source,
      Err(_) => &self.source,
    }
  }

  fn bytes(&self) -> usize {
    self.source.len()
      + match &self.result {
        Ok(t) => t.bytes(),
        Err(super::Failure::Syntax {
          message,
          source_line,
          ..
        }) => message.len() + source_line.len(),
        Err(super::Failure::Limit(m) | super::Failure::Busy(m)) => m.len(),
      }
  }
}

/// A runtime's transforms, by file and source.
#[derive(Default)]
pub struct Cache {
  entries: HashMap<String, Vec<Arc<Entry>>>,
  /// Oldest first.
  order: VecDeque<(String, Arc<Entry>)>,
  bytes: usize,
}

impl Cache {
  /// The transform of `source` as file `path` (loaded as `format`), if kept.
  pub fn get(
    &self,
    path: &str,
    source: &str,
    format: super::Format,
  ) -> Option<Result<Arc<Transformed>, super::Failure>> {
    self
      .entries
      .get(path)?
      .iter()
      .find(|e| e.format == format && e.source() == source)
      .map(|e| e.result.clone())
  }

  pub fn put(
    &mut self,
    path: &str,
    source: &str,
    format: super::Format,
    result: Result<Arc<Transformed>, super::Failure>,
  ) {
    let entry = Arc::new(Entry {
      // A transform keeps its source (for its map): shared, not copied again.
      source: match &result {
        Ok(_) => Box::default(),
        Err(_) => source.into(),
      },
      format,
      result,
    });
    let size = entry.bytes() + path.len();
    if size > MAX_CACHE_BYTES {
      return;
    }
    while !self.order.is_empty()
      && (self.bytes + size > MAX_CACHE_BYTES || self.order.len() >= MAX_CACHE_ENTRIES)
    {
      if let Some((p, old)) = self.order.pop_front() {
        self.bytes -= old.bytes() + p.len();
        if let Some(list) = self.entries.get_mut(&p) {
          list.retain(|x| !Arc::ptr_eq(x, &old));
          if list.is_empty() {
            self.entries.remove(&p);
          }
        }
      }
    }
    self.bytes += size;
    self
      .entries
      .entry(path.to_string())
      .or_default()
      .push(entry.clone());
    self.order.push_back((path.to_string(), entry));
  }
}

/// One guest process's source maps, by the name V8 knows each file by.
#[derive(Default)]
pub struct ProcessMaps {
  maps: HashMap<String, Arc<Mapping>>,
  bytes: usize,
}

impl ProcessMaps {
  /// Keeps `mapping` for file `path` (a later load of the same file
  /// replaces it); past the bounds, nothing more is kept.
  pub fn register(&mut self, path: &str, mapping: &Arc<Mapping>) {
    if let Some(old) = self.maps.get(path) {
      if Arc::ptr_eq(old, mapping) {
        return;
      }
    }
    let size = mapping.bytes() + path.len();
    if self.maps.len() >= MAX_PROCESS_MAPS || self.bytes + size > MAX_PROCESS_MAP_BYTES {
      return;
    }
    self.bytes += size;
    if let Some(old) = self.maps.insert(path.to_string(), mapping.clone()) {
      self.bytes -= old.bytes() + path.len();
    }
  }

  /// The map of the file V8 names `name` (a path, or a file: URL).
  pub fn get(&self, name: &str) -> Option<&Arc<Mapping>> {
    if self.maps.is_empty() {
      return None;
    }
    if let Some(m) = self.maps.get(name) {
      return Some(m);
    }
    let path = url::Url::parse(name).ok()?.to_file_path().ok()?;
    self.maps.get(path.to_str()?)
  }
}
