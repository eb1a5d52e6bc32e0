//! Logs of the host and the sidecar through `tracing`: off unless
//! `SECURE_EXEC_LOG` holds a `RUST_LOG`-style filter (`info`, `debug`,
//! `secure_exec::kernel=debug,info`). With no subscriber installed a
//! `tracing` macro is a load and a branch: its fields are never evaluated.
//!
//! Guest data (code, output, paths, names, messages) is never logged above
//! debug level, and only through [`guest`], which bounds and escapes it.
use std::fmt;
use std::io::Write;
use std::sync::OnceLock;

use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::{Format, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

/// The environment variable that turns logging on.
pub const ENV: &str = "SECURE_EXEC_LOG";

/// Most characters of one guest string in a log line.
pub const MAX_GUEST_CHARS: usize = 200;

/// Which process a log line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
  /// The host's addon: lines go to the host's stderr.
  Host,
  /// A sidecar: lines go to its stdout, which the host copies to its own
  /// stderr (the sidecar's stderr is kept apart to explain crashes).
  Sidecar,
}

/// The filter in force in this process, once `init` ran (`None`: off).
static FILTER: OnceLock<Option<String>> = OnceLock::new();

/// Installs the log subscriber of this process once, from `SECURE_EXEC_LOG`
/// (later calls do nothing). Unset or empty: nothing is installed. An
/// invalid filter is said in one line on stderr and logging stays off.
pub fn init(side: Side) {
  FILTER.get_or_init(|| {
    let spec = std::env::var(ENV).ok().filter(|s| !s.trim().is_empty())?;
    let filter = match parse(&spec) {
      Ok(f) => f,
      Err(e) => {
        let _ = writeln!(
          std::io::stderr(),
          "secure-exec: ignoring {ENV}={spec:?} ({e}); logging stays off"
        );
        return None;
      }
    };
    let prefix = match side {
      Side::Host => format!("secure-exec host[{}] ", std::process::id()),
      Side::Sidecar => format!("secure-exec sidecar[{}] ", std::process::id()),
    };
    let installed = match side {
      Side::Host => install(filter, prefix, std::io::stderr),
      Side::Sidecar => install(filter, prefix, std::io::stdout),
    };
    installed.then_some(spec)
  });
}

/// The filter to hand a new sidecar: this process's, when its logging is on.
pub fn sidecar_filter() -> Option<&'static str> {
  FILTER.get().and_then(|f| f.as_deref())
}

/// A filter from `spec`, refusing what `EnvFilter` would silently skip.
fn parse(spec: &str) -> Result<EnvFilter, String> {
  EnvFilter::builder()
    .with_default_directive(tracing::level_filters::LevelFilter::OFF.into())
    .parse(spec)
    .map_err(|e| e.to_string())
}

fn install<W>(filter: EnvFilter, prefix: String, writer: W) -> bool
where
  W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
  let subscriber = tracing_subscriber::fmt()
    .with_env_filter(filter)
    .with_writer(writer)
    .event_format(Prefixed {
      prefix,
      inner: Format::default(),
    })
    .finish();
  // Fails only if something else installed a global subscriber first.
  tracing::subscriber::set_global_default(subscriber).is_ok()
}

/// The default line format behind a `secure-exec host[pid] ` prefix.
struct Prefixed {
  prefix: String,
  inner: Format,
}

impl<S, N> FormatEvent<S, N> for Prefixed
where
  S: Subscriber + for<'a> LookupSpan<'a>,
  N: for<'a> FormatFields<'a> + 'static,
{
  fn format_event(
    &self,
    ctx: &FmtContext<'_, S, N>,
    mut w: Writer<'_>,
    event: &Event<'_>,
  ) -> fmt::Result {
    w.write_str(&self.prefix)?;
    self.inner.format_event(ctx, w, event)
  }
}

/// Guest data for a debug-level field (`path = ?log::guest(p)`): at most
/// [`MAX_GUEST_CHARS`] characters, quoted and escaped so that it cannot
/// forge a log line.
pub fn guest(s: &str) -> Guest<'_> {
  Guest(s)
}

pub struct Guest<'a>(&'a str);

impl fmt::Debug for Guest<'_> {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let s = self.0;
    let cut = s
      .char_indices()
      .nth(MAX_GUEST_CHARS)
      .map_or(s.len(), |(i, _)| i);
    fmt::Debug::fmt(&s[..cut], f)?;
    if cut < s.len() {
      f.write_str("…")?;
    }
    Ok(())
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use std::sync::atomic::{AtomicUsize, Ordering};

  #[test]
  fn filters_parse_as_rust_log_does() {
    for spec in [
      "info",
      "debug",
      "secure_exec::kernel=debug,info",
      "warn,secure_exec::host=trace",
    ] {
      assert!(parse(spec).is_ok(), "{spec}");
    }
  }

  #[test]
  fn invalid_filters_are_refused_not_skipped() {
    for spec in ["=", "info,secure_exec=loud", "[{"] {
      assert!(parse(spec).is_err(), "{spec}");
    }
  }

  #[test]
  fn guest_strings_are_bounded_and_escaped() {
    let long = "é".repeat(MAX_GUEST_CHARS + 5);
    let shown = format!("{:?}", guest(&long));
    assert_eq!(shown.chars().filter(|&c| c == 'é').count(), MAX_GUEST_CHARS);
    assert!(shown.ends_with("\"…"));
    assert_eq!(format!("{:?}", guest("a\nb")), "\"a\\nb\"");
  }

  struct Probe<'a>(&'a AtomicUsize);

  impl fmt::Display for Probe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
      self.0.fetch_add(1, Ordering::Relaxed);
      f.write_str("x")
    }
  }

  #[test]
  fn nothing_is_formatted_when_off() {
    // No test installs a subscriber: this is the default, off.
    let formatted = AtomicUsize::new(0);
    let evaluated = AtomicUsize::new(0);
    for _ in 0..1000 {
      let span = tracing::info_span!("call", rt = 1, v = %Probe(&formatted));
      let _e = span.enter();
      tracing::warn!(
        v = %Probe(&formatted),
        n = evaluated.fetch_add(1, Ordering::Relaxed),
        "never"
      );
    }
    assert_eq!(formatted.load(Ordering::Relaxed), 0);
    assert_eq!(evaluated.load(Ordering::Relaxed), 0);
  }
}
