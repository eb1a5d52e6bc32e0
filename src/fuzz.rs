//! How the property tests (`proptests` modules) are sized. `cargo test`
//! runs each with its own small case count; `npm run fuzz`
//! (scripts/fuzz.mjs) sets `PROPTEST_CASES` for long runs and
//! `PROPTEST_RNG_SEED` so that a failure can be replayed.
use proptest::test_runner::Config;

/// `cases` cases unless `PROPTEST_CASES` says otherwise; the seed comes
/// from `PROPTEST_RNG_SEED` (proptest reads it), else it is random.
pub fn config(cases: u32) -> Config {
  #[allow(
    clippy::disallowed_methods,
    reason = "test-only: the fuzz runner's case count"
  )]
  let env = std::env::var("PROPTEST_CASES").ok();
  Config {
    cases: env.and_then(|v| v.parse().ok()).unwrap_or(cases),
    failure_persistence: None,
    ..Config::default()
  }
}
