//! Enforces time limits from outside the guest: one thread per sidecar
//! watches every running guest's CPU clock and wall deadline, stops it, and
//! ends the sidecar if V8 does not stop it in time.
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::runtime::{RuntimeShared, StopReason};
use super::{exit_now, Outbox};
use crate::engine::MemoryUse;
use crate::ipc::{ExitKind, ToHost};
use crate::kernel::process::Tree;

/// How often CPU clocks are read while a guest runs with a CPU limit.
const CPU_POLL: Duration = Duration::from_millis(5);
/// How long a stopped guest may take to unwind before the sidecar gives up
/// on V8 and ends itself (V8 13.6 can miss TerminateExecution).
const STOP_GRACE: Duration = Duration::from_secs(3);
/// How long the watchdog keeps polling after the last guest ended, so that
/// the calls of a busy runtime start without waking it.
const LINGER: Duration = Duration::from_millis(100);
/// Exit status of a sidecar that ended itself over a stuck guest.
const EXIT_STUCK_GUEST: i32 = 70;

struct Watch {
  id: u64,
  req: u64,
  shared: Arc<RuntimeShared>,
  cpu_clock: libc::clockid_t,
  /// The thread's CPU time when the watch began.
  cpu_start: Duration,
  /// The call it belongs to: its processes' CPU time counts together, and
  /// so does their memory.
  tree: Arc<Tree>,
  memory: Arc<MemoryUse>,
  wall_deadline: Option<Instant>,
  rss_limit: Option<u64>,
  stop_seen: Option<Instant>,
  started: Instant,
}

struct Watches {
  last_id: u64,
  list: Vec<Watch>,
  /// The watchdog sleeps without a deadline: a new watch must wake it.
  idle: bool,
}

struct Inner {
  watches: Mutex<Watches>,
  cv: Condvar,
  outbox: Outbox,
}

#[derive(Clone)]
pub struct Watchdog(Arc<Inner>);

/// Removes its watch when dropped (the guest process ended).
pub struct WatchGuard {
  dog: Watchdog,
  id: u64,
}

impl Drop for WatchGuard {
  /// On the watched thread (its clock is still readable): what it used
  /// counts for its call from now on.
  fn drop(&mut self) {
    let mut w = self.dog.0.watches.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(at) = w.list.iter().position(|x| x.id == self.id) {
      let x = w.list.swap_remove(at);
      let used = cpu_time(x.cpu_clock).saturating_sub(x.cpu_start);
      *x.tree.cpu_ended.lock().unwrap_or_else(|e| e.into_inner()) += used;
    }
  }
}

/// What one call's processes use together.
struct TreeUse {
  tree: *const Tree,
  cpu: Duration,
  memory: u64,
  processes: usize,
}

impl TreeUse {
  /// Over the call's CPU limit, or (with more than one process, or bytes
  /// the kernel holds for it: one alone is bounded by its own isolate) over
  /// its memory limit.
  fn over(&self, tree: &Tree) -> Option<StopReason> {
    let held = tree.held.load(std::sync::atomic::Ordering::Relaxed);
    if self.cpu >= tree.cpu_limit {
      Some(StopReason::CpuTimeout)
    } else if (self.processes > 1 || held > 0) && self.memory + held > tree.memory_limit {
      Some(StopReason::Memory)
    } else {
      None
    }
  }
}

/// What each call's processes use together, by call.
fn use_by_tree(list: &[Watch]) -> Vec<TreeUse> {
  let mut used: Vec<TreeUse> = Vec::new();
  for w in list {
    let key = Arc::as_ptr(&w.tree);
    let cpu = cpu_time(w.cpu_clock).saturating_sub(w.cpu_start);
    let memory = w.memory.total();
    match used.iter_mut().find(|u| u.tree == key) {
      Some(u) => {
        u.cpu += cpu;
        u.memory += memory;
        u.processes += 1;
      }
      None => {
        let ended = *w.tree.cpu_ended.lock().unwrap_or_else(|e| e.into_inner());
        used.push(TreeUse {
          tree: key,
          cpu: ended + cpu,
          memory,
          processes: 1,
        });
      }
    }
  }
  used
}

/// `/proc/self/statm`, opened once and re-read in place: the sidecar loses
/// the filesystem after start (see `hardening`), so it is opened before.
static STATM: OnceLock<Option<File>> = OnceLock::new();

fn statm() -> Option<&'static File> {
  STATM
    .get_or_init(|| File::open("/proc/self/statm").ok())
    .as_ref()
}

/// Opens `/proc/self/statm` now, while opening files is still allowed.
pub fn open_statm() {
  statm();
}

/// Resident memory of this process in bytes (0 if unreadable).
pub fn process_rss() -> u64 {
  let Some(statm) = statm() else {
    return 0;
  };
  // statm: size resident shared text lib data dt, in pages. A read at
  // offset 0 makes procfs render it afresh.
  let mut buf = [0u8; 128];
  let Ok(n) = statm.read_at(&mut buf, 0) else {
    return 0;
  };
  let pages: u64 = std::str::from_utf8(&buf[..n])
    .ok()
    .and_then(|s| s.split_whitespace().nth(1))
    .and_then(|p| p.parse().ok())
    .unwrap_or(0);
  // SAFETY: sysconf has no preconditions.
  pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64
}

/// CPU time consumed so far on `clock`.
pub fn cpu_time(clock: libc::clockid_t) -> Duration {
  let mut ts = libc::timespec {
    tv_sec: 0,
    tv_nsec: 0,
  };
  // SAFETY: `ts` is a valid out-pointer and `clock` a clock id from pthread_getcpuclockid.
  unsafe { libc::clock_gettime(clock, &mut ts) };
  Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The CPU clock of the calling thread.
pub fn current_thread_cpu_clock() -> libc::clockid_t {
  let mut clock: libc::clockid_t = libc::CLOCK_THREAD_CPUTIME_ID;
  // SAFETY: pthread_self is the calling thread and `clock` a valid out-pointer.
  unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
  clock
}

impl Watchdog {
  pub fn start(outbox: Outbox) -> Watchdog {
    let dog = Watchdog(Arc::new(Inner {
      watches: Mutex::new(Watches {
        last_id: 0,
        list: Vec::new(),
        idle: true,
      }),
      cv: Condvar::new(),
      outbox,
    }));
    let thread_dog = dog.clone();
    std::thread::Builder::new()
      .name("se-watchdog".into())
      .spawn(move || thread_dog.run())
      .unwrap_or_else(|_| exit_now(73));
    dog
  }

  /// Watches the guest running on the calling thread for `req`, one of
  /// the processes of call `tree`, whose isolate uses `memory` (the
  /// processes' CPU time and memory count together). `thread_start`: the
  /// thread's CPU time counts from its start (a spawned process's thread:
  /// making its isolate is its own cost), not from now.
  pub fn watch(
    &self,
    req: u64,
    shared: Arc<RuntimeShared>,
    (tree, memory): (Arc<Tree>, Arc<MemoryUse>),
    rss_limit: Option<u64>,
    thread_start: bool,
  ) -> WatchGuard {
    let cpu_clock = current_thread_cpu_clock();
    let wall_deadline = tree.deadline;
    let now_cpu = if thread_start {
      Duration::ZERO
    } else {
      cpu_time(cpu_clock)
    };
    let mut w = self.0.watches.lock().unwrap_or_else(|e| e.into_inner());
    w.last_id += 1;
    let id = w.last_id;
    w.list.push(Watch {
      id,
      req,
      shared,
      cpu_clock,
      cpu_start: now_cpu,
      tree,
      memory,
      wall_deadline,
      rss_limit,
      stop_seen: None,
      started: Instant::now(),
    });
    // A polling watchdog sees the new watch within CPU_POLL; only an idle
    // one is woken (a wake per call costs the other core a context switch).
    if w.idle {
      w.idle = false;
      self.0.cv.notify_all();
    }
    WatchGuard {
      dog: self.clone(),
      id,
    }
  }

  fn run(&self) {
    let mut guard = self.0.watches.lock().unwrap_or_else(|e| e.into_inner());
    let mut last_busy = Instant::now();
    loop {
      let now = Instant::now();
      let mut next = Duration::from_secs(3600);
      if !guard.list.is_empty() {
        last_busy = now;
      } else if now.duration_since(last_busy) < LINGER {
        next = CPU_POLL;
      }
      let trees = use_by_tree(&guard.list);
      for w in guard.list.iter_mut() {
        if w.shared.stop_reason() == StopReason::None {
          let key = Arc::as_ptr(&w.tree);
          let over = trees
            .iter()
            .find(|u| u.tree == key)
            .and_then(|u| u.over(&w.tree));
          if w.wall_deadline.is_some_and(|d| now >= d) {
            w.shared.request_stop(StopReason::WallTimeout);
          } else if let Some(reason) = over {
            w.shared.request_stop(reason);
          } else if w.rss_limit.is_some_and(|l| process_rss() > l) {
            w.shared.request_stop(StopReason::Memory);
          } else if now.duration_since(w.started) >= CPU_POLL {
            // WebAssembly memories are ArrayBuffers V8 allocates itself: the
            // isolate compares them with its own limit on its own thread
            // (not in a call's first poll: short calls never pay for it).
            w.shared.request_memory_check();
          }
        }
        let reason = w.shared.stop_reason();
        if reason == StopReason::None {
          // A stop taken back (an interactive shell's ^C) starts over.
          w.stop_seen = None;
        } else {
          let seen = *w.stop_seen.get_or_insert(now);
          if now.duration_since(seen) >= STOP_GRACE {
            let kind = reason.exit_kind().unwrap_or(ExitKind::Internal);
            tracing::error!(
              rt = w.shared.rt(),
              req = w.req,
              ?kind,
              "guest not stopped within {STOP_GRACE:?}; the sidecar ends"
            );
            self.0.outbox.send_last(&ToHost::Fatal { req: w.req, kind });
            exit_now(EXIT_STUCK_GUEST);
          }
          next = next.min(Duration::from_millis(100));
          continue;
        }
        next = next.min(CPU_POLL);
        if let Some(d) = w.wall_deadline {
          next = next.min(d.saturating_duration_since(now));
        }
      }
      guard.idle = next > LINGER;
      guard = self
        .0
        .cv
        .wait_timeout(guard, next)
        .unwrap_or_else(|e| e.into_inner())
        .0;
    }
  }
}
