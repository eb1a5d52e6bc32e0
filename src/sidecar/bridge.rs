//! Host connections to guest servers (`rt.fetch`, `rt.network.expose`):
//! each is a loopback connection in the runtime's socket table whose other
//! end is the host, its bytes carried in `Bridge` frames. They are served
//! on one thread of the sidecar, apart from the runtime threads, so a
//! connection works while a guest process serves it and needs nothing of
//! the runtime's event loop. The stdio of the processes the host starts
//! (`rt.spawn`, `host_process`) are served on the same thread.
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use tokio::sync::mpsc as tmpsc;

use super::child::SpawnerSlot;
use super::Outbox;
use crate::ipc::{BridgeMsg, ProcMsg, SpawnRequest, ToHost};
use crate::kernel::net::socket::{Read, SocketId, BRIDGE_OWNER};
use crate::kernel::Kernel;

/// Host connections one sidecar serves at once.
const MAX_BRIDGES: usize = 256;
/// Bytes from the host waiting for a guest that does not read: past it the
/// host did not keep to its window (1 MiB, index.js), and the connection ends.
const MAX_PENDING: usize = 4 * 1024 * 1024;
const READ_SIZE: usize = 64 * 1024;
/// The guest's bytes sent to the host and not yet read there: past it the
/// guest's socket is left unread (its writer waits), so a host reader that
/// does not read holds the guest back instead of growing the host's memory.
const WINDOW: usize = 256 * 1024;

enum Command {
  Open {
    rt: u32,
    conn: u64,
    kernel: Arc<Kernel>,
    port: u16,
  },
  Host {
    conn: u64,
    msg: BridgeMsg,
  },
  CloseRuntime {
    rt: u32,
  },
  Spawn {
    kernel: Arc<Kernel>,
    slot: Arc<SpawnerSlot>,
    req: Box<SpawnRequest>,
  },
  Proc {
    rt: u32,
    id: u64,
    msg: ProcMsg,
  },
}

/// A connection or a process, when its task ends.
enum Done {
  Bridge(u64),
  Proc(u64),
}

/// The bridges of one sidecar; their thread starts with the first.
pub struct Bridges {
  outbox: Outbox,
  tx: Option<tmpsc::UnboundedSender<Command>>,
}

impl Bridges {
  pub fn new(outbox: Outbox) -> Bridges {
    Bridges { outbox, tx: None }
  }

  fn send(&mut self, cmd: Command) {
    if self.tx.is_none() {
      let (tx, rx) = tmpsc::unbounded_channel();
      let outbox = self.outbox.clone();
      let started = std::thread::Builder::new()
        .name("bridges".into())
        .spawn(move || serve(rx, outbox));
      if started.is_err() {
        return;
      }
      self.tx = Some(tx);
    }
    if let Some(tx) = &self.tx {
      let _ = tx.send(cmd);
    }
  }

  pub fn open(&mut self, rt: u32, conn: u64, kernel: Arc<Kernel>, port: u16) {
    self.send(Command::Open {
      rt,
      conn,
      kernel,
      port,
    });
  }

  pub fn host(&mut self, conn: u64, msg: BridgeMsg) {
    self.send(Command::Host { conn, msg });
  }

  /// Starts the host's process `req` (answered with `ToHost::Proc`).
  pub fn spawn(&mut self, kernel: Arc<Kernel>, slot: Arc<SpawnerSlot>, req: Box<SpawnRequest>) {
    self.send(Command::Spawn { kernel, slot, req });
  }

  /// A step of the host's process `id`.
  pub fn proc(&mut self, rt: u32, id: u64, msg: ProcMsg) {
    self.send(Command::Proc { rt, id, msg });
  }

  pub fn close_runtime(&mut self, rt: u32) {
    if self.tx.is_some() {
      self.send(Command::CloseRuntime { rt });
    }
  }
}

fn tell(outbox: &Outbox, conn: u64, msg: BridgeMsg) {
  outbox.send(&ToHost::Bridge { conn, msg });
}

fn serve(mut cmd_rx: tmpsc::UnboundedReceiver<Command>, outbox: Outbox) {
  let Ok(rt) = tokio::runtime::Builder::new_current_thread().build() else {
    return;
  };
  rt.block_on(async move {
    let mut open: HashMap<u64, (u32, tmpsc::UnboundedSender<BridgeMsg>)> = HashMap::new();
    let mut procs: HashMap<u64, (u32, tmpsc::UnboundedSender<ProcMsg>)> = HashMap::new();
    let (done_tx, mut done_rx) = tmpsc::unbounded_channel::<Done>();
    loop {
      tokio::select! {
        Some(done) = done_rx.recv() => match done {
          Done::Bridge(conn) => { open.remove(&conn); }
          Done::Proc(id) => { procs.remove(&id); }
        },
        cmd = cmd_rx.recv() => match cmd {
          None => return,
          Some(Command::Open { rt, conn, kernel, port }) => {
            if open.len() >= MAX_BRIDGES || open.contains_key(&conn) {
              tell(&outbox, conn, BridgeMsg::Closed {
                error: Some("too many host connections to this sandbox".into()),
              });
              continue;
            }
            let (tx, host_rx) = tmpsc::unbounded_channel();
            open.insert(conn, (rt, tx));
            let outbox = outbox.clone();
            let done = done_tx.clone();
            tokio::spawn(async move {
              bridge(kernel, conn, port, &outbox, host_rx).await;
              let _ = done.send(Done::Bridge(conn));
            });
          }
          Some(Command::Host { conn, msg }) => {
            if let Some((_, tx)) = open.get(&conn) {
              let _ = tx.send(msg);
            }
          }
          Some(Command::CloseRuntime { rt }) => {
            for (_, (owner, tx)) in open.iter() {
              if *owner == rt {
                let _ = tx.send(BridgeMsg::Closed { error: None });
              }
            }
            // Their processes' tasks see their channel close.
            procs.retain(|_, (owner, _)| *owner != rt);
          }
          Some(Command::Spawn { kernel, slot, req }) => {
            let id = req.id;
            if procs.contains_key(&id) {
              continue;
            }
            let (tx, host_rx) = tmpsc::unbounded_channel();
            procs.insert(id, (req.rt, tx));
            let outbox = outbox.clone();
            let done = done_tx.clone();
            tokio::spawn(async move {
              super::host_process::serve(kernel, slot, *req, &outbox, host_rx).await;
              let _ = done.send(Done::Proc(id));
            });
          }
          Some(Command::Proc { rt, id, msg }) => {
            if let Some((_, tx)) = procs.get(&id).filter(|(owner, _)| *owner == rt) {
              let _ = tx.send(msg);
            }
          }
        }
      }
    }
  });
}

/// One host connection, from its open to its close.
async fn bridge(
  kernel: Arc<Kernel>,
  conn: u64,
  port: u16,
  outbox: &Outbox,
  mut host_rx: tmpsc::UnboundedReceiver<BridgeMsg>,
) {
  let sock: SocketId = match kernel.sockets().connect(BRIDGE_OWNER, port, false) {
    Ok(id) => id,
    Err(e) => {
      let error = format!("connect {} 127.0.0.1:{port}", e.code());
      tell(outbox, conn, BridgeMsg::Closed { error: Some(error) });
      return;
    }
  };
  tell(outbox, conn, BridgeMsg::Opened);
  let mut pending: VecDeque<Vec<u8>> = VecDeque::new();
  let mut pending_bytes = 0usize;
  let mut host_ended = false;
  let mut shut = false;
  let mut guest_ended = false;
  let mut unacked = 0usize;
  let close = |error: Option<String>| {
    let _ = kernel.sockets().close(sock);
    tell(outbox, conn, BridgeMsg::Closed { error });
  };
  loop {
    let Ok(changed) = kernel.sockets().changed(sock) else {
      return tell(outbox, conn, BridgeMsg::Closed { error: None });
    };
    let notified = changed.notified();
    tokio::pin!(notified);
    notified.as_mut().enable();
    // The guest's bytes to the host.
    while !guest_ended && unacked < WINDOW {
      match kernel.sockets().read(sock, READ_SIZE.min(WINDOW - unacked)) {
        Ok(Read::Data(d)) => {
          unacked += d.len();
          tell(outbox, conn, BridgeMsg::Data(d));
        }
        Ok(Read::Eof) => {
          guest_ended = true;
          tell(outbox, conn, BridgeMsg::End);
        }
        Ok(Read::WouldBlock) => break,
        Err(e) => return close(Some(format!("read {}", e.code()))),
      }
    }
    // The host's bytes to the guest, as fast as it reads them; each part
    // taken is acknowledged, so the host sends at most its window ahead.
    while let Some(front) = pending.front_mut() {
      match kernel.sockets().write(sock, front) {
        Ok(0) => break,
        Ok(n) => {
          tell(outbox, conn, BridgeMsg::Ack(n as u32));
          pending_bytes -= n;
          front.drain(..n);
          if front.is_empty() {
            pending.pop_front();
          }
        }
        Err(e) => return close(Some(format!("write {}", e.code()))),
      }
    }
    if host_ended && pending.is_empty() && !shut {
      shut = true;
      let _ = kernel.sockets().shutdown_write(sock);
    }
    if guest_ended && shut {
      return close(None);
    }
    tokio::select! {
      _ = &mut notified => {}
      msg = host_rx.recv() => match msg {
        Some(BridgeMsg::Data(d)) if !host_ended => {
          pending_bytes += d.len();
          if pending_bytes > MAX_PENDING {
            return close(Some("the guest does not read what the host sends".into()));
          }
          pending.push_back(d);
        }
        Some(BridgeMsg::End) => host_ended = true,
        Some(BridgeMsg::Ack(n)) => unacked = unacked.saturating_sub(n as usize),
        Some(BridgeMsg::Closed { .. }) | None => return close(None),
        Some(_) => {}
      },
    }
  }
}
