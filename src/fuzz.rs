//! How the property tests (`proptests` modules) are sized. `cargo test`
//! runs each with its own small case count; `npm run fuzz`
//! (scripts/fuzz.mjs) sets `PROPTEST_CASES` for long runs and
//! `PROPTEST_RNG_SEED` so that a failure can be replayed.
use proptest::test_runner::Config;

/// `cases` cases unless `PROPTEST_CASES` says otherwise. With it, the seed
/// comes from `PROPTEST_RNG_SEED` (proptest reads it), else it is random;
/// without it, the seed is fixed.
pub fn config(cases: u32) -> Config {
  #[allow(
    clippy::disallowed_methods,
    reason = "test-only: the fuzz runner's case count"
  )]
  let env = std::env::var("PROPTEST_CASES").ok();
  let long_run = env.is_some();
  let config = Config {
    cases: env.and_then(|v| v.parse().ok()).unwrap_or(cases),
    failure_persistence: None,
    ..Config::default()
  };
  // Plain `cargo test` (CI) uses one seed: a rare case that a long run
  // has not found yet must not make CI red now and then.
  if long_run {
    config
  } else {
    Config {
      rng_seed: proptest::test_runner::RngSeed::Fixed(0x5ec0_e8ec),
      ..config
    }
  }
}
