//! Measurements for bench/run.mjs, only in `--features bench` builds: a new
//! isolate's bootstrap, timed in the calling process on a thread of its
//! own, the way a sidecar's runtime thread makes one.
use std::time::Instant;

use napi_derive::napi;

use super::execute;
use super::runtime::{RuntimeEngine, RuntimeParts};
use crate::engine;

/// Times of `benchIsolateBootstrap`, and how the code cache was used.
#[napi(object)]
pub struct BenchBootstrap {
  /// ms per isolate: created, first context bootstrapped, script run.
  pub ms: Vec<f64>,
  /// Code caches made, consumed and rejected during the measured isolates.
  pub produced: f64,
  pub consumed: f64,
  pub rejected: f64,
  /// Size of the process's code caches afterwards.
  pub cache_bytes: f64,
}

/// Makes `iterations` isolates one after another, each bootstrapping its
/// first guest context and then running `script` (if any) in it. With
/// `code_cache`, one isolate that is not measured first runs the same work
/// and prepares a second context, which makes the process's code caches.
#[napi]
pub fn bench_isolate_bootstrap(
  iterations: u32,
  code_cache: bool,
  script: Option<String>,
) -> napi::Result<BenchBootstrap> {
  engine::init_platform().map_err(napi::Error::from_reason)?;
  execute::register_builtins();
  engine::set_builtins_code_cache(code_cache);
  let result = std::thread::spawn(move || measure(iterations, code_cache, script.as_deref()))
    .join()
    .map_err(|_| napi::Error::from_reason("bench thread panicked"))?;
  engine::set_builtins_code_cache(true);
  result.map_err(napi::Error::from_reason)
}

/// Runs the bench's `script` (if any) as a call in `ctx`.
fn run_script(ctx: &engine::Context, script: Option<&str>) -> Result<(), String> {
  if let Some(src) = script {
    ctx.enter_call();
    if !matches!(
      ctx.run_cjs(src, "/bench.js", false, false).0,
      engine::Status::Ok
    ) {
      return Err("the bench script failed".into());
    }
  }
  Ok(())
}

fn measure(iterations: u32, warm_up: bool, script: Option<&str>) -> Result<BenchBootstrap, String> {
  let config = super::default_config();
  let parts = RuntimeParts::detached().map_err(|e| e.to_string())?;
  // ms from nothing to the script's end; disposal is not counted.
  let once = |prepare_again: bool| -> Result<f64, String> {
    let t0 = Instant::now();
    let mut e = RuntimeEngine::new(&config, &parts).ok_or("no isolate")?;
    execute::prepare(&mut e, &config);
    let ctx = e.next.take().ok_or("bootstrap failed")?;
    run_script(&ctx, script)?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    drop(ctx);
    if prepare_again {
      execute::prepare(&mut e, &config);
    }
    Ok(ms)
  };
  if warm_up {
    once(true)?;
  }
  let before = engine::builtins_stats();
  let mut ms = Vec::with_capacity(iterations as usize);
  for _ in 0..iterations {
    ms.push(once(false)?);
  }
  let after = engine::builtins_stats();
  Ok(BenchBootstrap {
    ms,
    produced: (after.produced - before.produced) as f64,
    consumed: (after.consumed - before.consumed) as f64,
    rejected: (after.rejected - before.rejected) as f64,
    cache_bytes: after.cache_bytes as f64,
  })
}

/// ms per fresh guest context in one warm isolate: the context prepared
/// (bootstrapped) and then `script` run in it, as a runtime does per call
/// minus the IPC and the event loop. 50 contexts are made first, unmeasured.
#[napi]
pub fn bench_fresh_context(iterations: u32, script: Option<String>) -> napi::Result<Vec<f64>> {
  engine::init_platform().map_err(napi::Error::from_reason)?;
  execute::register_builtins();
  std::thread::spawn(move || fresh_contexts(iterations, script.as_deref()))
    .join()
    .map_err(|_| napi::Error::from_reason("bench thread panicked"))?
    .map_err(napi::Error::from_reason)
}

fn fresh_contexts(iterations: u32, script: Option<&str>) -> Result<Vec<f64>, String> {
  let config = super::default_config();
  let parts = RuntimeParts::detached().map_err(|e| e.to_string())?;
  let mut e = RuntimeEngine::new(&config, &parts).ok_or("no isolate")?;
  let mut ms = Vec::with_capacity(iterations as usize);
  for i in 0..50 + iterations {
    let t0 = Instant::now();
    execute::prepare(&mut e, &config);
    let ctx = e.next.take().ok_or("bootstrap failed")?;
    run_script(&ctx, script)?;
    if i >= 50 {
      ms.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    drop(ctx);
    e.isolate.sweep_retired();
  }
  Ok(ms)
}
