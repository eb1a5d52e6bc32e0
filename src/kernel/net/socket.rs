//! The runtime's socket table and its virtual loopback: a guest server that
//! listens on a port is reached by the same runtime's guests (any of its
//! processes) through an in-memory connection, with no real socket. Each
//! direction of a connection is a bounded byte queue: a writer that fills it
//! is told how much went in (backpressure) and waits until the reader takes
//! some. Everything here is synchronous and never blocks: a caller that
//! would wait takes the socket's [`Notify`] (before it looks, so that no
//! change is missed) and asks again once it fires; every change notifies
//! the sockets whose waits it may have ended.
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use tokio::sync::Notify;

use crate::kernel::error::Errno;

/// A socket's id in its runtime (never reused while the runtime lives).
pub type SocketId = u64;

/// Bounds of one runtime's table.
#[derive(Debug, Clone, Copy)]
pub struct SocketLimits {
  /// Sockets open at once (listeners and connection ends).
  pub max_sockets: usize,
  /// Bytes one direction of a connection holds unread.
  pub buffer_bytes: usize,
  /// Connections a listener holds unaccepted.
  pub max_backlog: usize,
  /// Bytes real connections (egress) may carry, in and out together.
  pub max_network_bytes: u64,
  /// Bytes all loopback connections of the runtime hold unread together
  /// (they live in the sidecar, outside the guest's heap limit): past it
  /// writers wait as for a full inbox.
  pub max_buffered: usize,
}

impl Default for SocketLimits {
  fn default() -> Self {
    SocketLimits {
      max_sockets: 1024,
      buffer_bytes: 256 * 1024,
      max_backlog: 511,
      max_network_bytes: crate::kernel::limits::DEFAULT_MAX_NETWORK_BYTES,
      max_buffered: 64 * 1024 * 1024,
    }
  }
}

/// Where the dynamic ports come from (Linux's default range).
pub const EPHEMERAL_PORTS: std::ops::RangeInclusive<u16> = 32768..=60999;

#[derive(Debug)]
struct Listener {
  port: u16,
  owner: u32,
  backlog: usize,
  /// Server ends of connections not accepted yet.
  pending: VecDeque<SocketId>,
}

#[derive(Debug)]
struct Stream {
  owner: u32,
  /// The other end (it may be gone).
  peer: SocketId,
  /// What the peer wrote and this end has not read.
  inbox: VecDeque<u8>,
  /// The peer will write no more (it shut down its writing or closed).
  eof: bool,
  /// This end shut down its writing.
  write_shut: bool,
  /// The peer went away with data unread, or its listener closed before
  /// the connection was accepted: reads and writes fail with ECONNRESET.
  reset: bool,
  local_port: u16,
  remote_port: u16,
  /// Connected over `::1` (else `127.0.0.1`).
  v6: bool,
  /// The connecting end (its local port is an ephemeral one it holds).
  client: bool,
}

/// A real connection off the loopback, made by the host (egress): the
/// sidecar reads and writes it; the table holds it for its owner.
#[derive(Debug)]
struct Tcp {
  owner: u32,
  stream: Arc<tokio::net::TcpStream>,
  info: crate::ipc::Connected,
  /// The TLS session over it, once the guest started one.
  tls: Option<Arc<super::tls::Tls>>,
}

/// What an op on a socket works on, outside the table's lock.
pub enum Endpoint {
  /// A listener or an end of a loopback connection (served by the table).
  Loopback,
  /// A real connection the host made, and its TLS session if it has one.
  Real(Arc<tokio::net::TcpStream>, Option<Arc<super::tls::Tls>>),
}

#[derive(Debug)]
enum Kind {
  Listener(Listener),
  Stream(Stream),
  Tcp(Tcp),
}

#[derive(Debug)]
struct Socket {
  kind: Kind,
  /// Fired when a wait on this socket may have ended.
  changed: Arc<Notify>,
}

impl Socket {
  fn new(kind: Kind) -> Socket {
    Socket {
      kind,
      changed: Arc::default(),
    }
  }
}

/// What a read got.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
  Data(Vec<u8>),
  /// Nothing yet: wait for the writer.
  WouldBlock,
  /// The peer will send no more.
  Eof,
}

/// Owners that are no process (pids stop at `process::MAX_PID`): the
/// host's ends of its bridge connections, and a connection's server end
/// until it is accepted (pid 0 is taken: a context's op state has it while
/// it is prepared, and its end closes pid 0's sockets).
pub const BRIDGE_OWNER: u32 = u32::MAX;
const UNACCEPTED: u32 = u32::MAX - 1;
const _: () = assert!(UNACCEPTED > crate::kernel::process::MAX_PID);

/// One runtime's sockets.
#[derive(Debug, Default)]
pub struct SocketTable {
  limits: SocketLimits,
  sockets: HashMap<SocketId, Socket>,
  /// Listening port -> listener.
  ports: HashMap<u16, SocketId>,
  next_id: SocketId,
  next_ephemeral: u16,
  /// Bytes real connections carried so far.
  network_bytes: u64,
  /// Bytes loopback inboxes hold.
  buffered: usize,
  /// Ephemeral ports held by connecting ends.
  client_ports: HashSet<u16>,
}

impl SocketTable {
  pub fn new(limits: SocketLimits) -> SocketTable {
    SocketTable {
      limits,
      next_id: 1,
      next_ephemeral: *EPHEMERAL_PORTS.start(),
      ..Default::default()
    }
  }

  fn id(&mut self) -> SocketId {
    let id = self.next_id;
    self.next_id += 1;
    id
  }

  fn room(&self, n: usize) -> Result<(), Errno> {
    if self.sockets.len() + n > self.limits.max_sockets {
      Err(Errno::EMFILE)
    } else {
      Ok(())
    }
  }

  fn free_port(&mut self) -> Result<u16, Errno> {
    let span = EPHEMERAL_PORTS.len();
    for _ in 0..span {
      let p = self.next_ephemeral;
      self.next_ephemeral = if p == *EPHEMERAL_PORTS.end() {
        *EPHEMERAL_PORTS.start()
      } else {
        p + 1
      };
      // Both looks are O(1): a connect near exhaustion stays cheap.
      if !self.ports.contains_key(&p) && !self.client_ports.contains(&p) {
        return Ok(p);
      }
    }
    Err(Errno::EADDRINUSE)
  }

  /// Wakes whoever waits on `id`.
  fn notify(&self, id: SocketId) {
    if let Some(s) = self.sockets.get(&id) {
      s.changed.notify_waiters();
    }
  }

  /// What fires when a wait on `id` may have ended (EBADF: no such socket).
  pub fn changed(&self, id: SocketId) -> Result<Arc<Notify>, Errno> {
    self
      .sockets
      .get(&id)
      .map(|s| s.changed.clone())
      .ok_or(Errno::EBADF)
  }

  /// Adds a connection the host made for process `owner`.
  pub fn add_tcp(
    &mut self,
    owner: u32,
    stream: tokio::net::TcpStream,
    info: crate::ipc::Connected,
  ) -> Result<SocketId, Errno> {
    self.room(1)?;
    let id = self.id();
    self.sockets.insert(
      id,
      Socket::new(Kind::Tcp(Tcp {
        owner,
        stream: Arc::new(stream),
        info,
        tls: None,
      })),
    );
    Ok(id)
  }

  /// Takes up to `want` bytes of the egress budget: how many are left to
  /// use (0: the budget is spent).
  pub fn take_network_bytes(&mut self, want: usize) -> usize {
    let left = self
      .limits
      .max_network_bytes
      .saturating_sub(self.network_bytes);
    let n = (want as u64).min(left);
    self.network_bytes += n;
    n as usize
  }

  /// Bytes of the egress budget not used yet.
  pub fn network_bytes_left(&self) -> u64 {
    self
      .limits
      .max_network_bytes
      .saturating_sub(self.network_bytes)
  }

  /// Gives back what a read or write took but did not use.
  pub fn return_network_bytes(&mut self, n: usize) {
    self.network_bytes = self.network_bytes.saturating_sub(n as u64);
  }

  /// Socket `id` if process `pid` owns it (a process reaches only its
  /// own), as its ops work on it.
  pub fn endpoint(&self, id: SocketId, pid: u32) -> Option<Endpoint> {
    match self.sockets.get(&id).map(|s| &s.kind) {
      Some(Kind::Stream(s)) if s.owner == pid => Some(Endpoint::Loopback),
      Some(Kind::Listener(l)) if l.owner == pid => Some(Endpoint::Loopback),
      Some(Kind::Tcp(t)) if t.owner == pid => Some(Endpoint::Real(t.stream.clone(), t.tls.clone())),
      _ => None,
    }
  }

  /// What the host said of real connection `id`.
  pub fn connected(&self, id: SocketId) -> Option<&crate::ipc::Connected> {
    match self.sockets.get(&id).map(|s| &s.kind) {
      Some(Kind::Tcp(t)) => Some(&t.info),
      _ => None,
    }
  }

  /// Puts TLS session `tls` over real connection `id` (EBADF: not one;
  /// EISCONN: it has one already).
  pub fn set_tls(&mut self, id: SocketId, tls: Arc<super::tls::Tls>) -> Result<(), Errno> {
    match self.sockets.get_mut(&id).map(|s| &mut s.kind) {
      Some(Kind::Tcp(t)) if t.tls.is_none() => {
        t.tls = Some(tls);
        Ok(())
      }
      Some(Kind::Tcp(_)) => Err(Errno::EINVAL),
      _ => Err(Errno::EBADF),
    }
  }

  /// Process `owner` listens on `port` (0: a free one), holding at most
  /// `backlog` unaccepted connections (bounded by the table's limit).
  pub fn listen(
    &mut self,
    owner: u32,
    port: u16,
    backlog: usize,
  ) -> Result<(SocketId, u16), Errno> {
    self.room(1)?;
    let port = if port == 0 {
      self.free_port()?
    } else if self.ports.contains_key(&port) {
      return Err(Errno::EADDRINUSE);
    } else {
      port
    };
    let id = self.id();
    let backlog = backlog.clamp(1, self.limits.max_backlog);
    self.sockets.insert(
      id,
      Socket::new(Kind::Listener(Listener {
        port,
        owner,
        backlog,
        pending: VecDeque::new(),
      })),
    );
    self.ports.insert(port, id);
    Ok((id, port))
  }

  /// Whether a guest listens on loopback `port`.
  pub fn listening(&self, port: u16) -> bool {
    self.ports.contains_key(&port)
  }

  /// Process `owner` connects to the loopback `port` (over `::1` when
  /// `v6`): its end of the new connection. ECONNREFUSED when nothing
  /// listens there or its backlog is full.
  pub fn connect(&mut self, owner: u32, port: u16, v6: bool) -> Result<SocketId, Errno> {
    let listener_id = *self.ports.get(&port).ok_or(Errno::ECONNREFUSED)?;
    let full = match self.sockets.get(&listener_id).map(|s| &s.kind) {
      Some(Kind::Listener(l)) => l.pending.len() >= l.backlog,
      _ => return Err(Errno::ECONNREFUSED),
    };
    if full {
      return Err(Errno::ECONNREFUSED);
    }
    self.room(2)?;
    let local_port = self.free_port()?;
    self.client_ports.insert(local_port);
    let client = self.id();
    let server = self.id();
    let mut client_end = Stream::new(owner, server, local_port, port, v6);
    client_end.client = true;
    self
      .sockets
      .insert(client, Socket::new(Kind::Stream(client_end)));
    // The server end has no owner until it is accepted.
    self.sockets.insert(
      server,
      Socket::new(Kind::Stream(Stream::new(
        UNACCEPTED, client, port, local_port, v6,
      ))),
    );
    if let Some(Kind::Listener(l)) = self.sockets.get_mut(&listener_id).map(|s| &mut s.kind) {
      l.pending.push_back(server);
    }
    self.notify(listener_id);
    Ok(client)
  }

  /// The next connection waiting on `listener`, now owned by `owner`
  /// (`None`: none yet).
  pub fn accept(&mut self, listener: SocketId, owner: u32) -> Result<Option<SocketId>, Errno> {
    let Some(Kind::Listener(l)) = self.sockets.get_mut(&listener).map(|s| &mut s.kind) else {
      return Err(Errno::EBADF);
    };
    let Some(id) = l.pending.pop_front() else {
      return Ok(None);
    };
    if let Ok(s) = self.stream(id) {
      s.owner = owner;
    }
    Ok(Some(id))
  }

  fn stream(&mut self, id: SocketId) -> Result<&mut Stream, Errno> {
    match self.sockets.get_mut(&id).map(|s| &mut s.kind) {
      Some(Kind::Stream(s)) => Ok(s),
      _ => Err(Errno::EBADF),
    }
  }

  /// Writes what fits of `data` into the peer's inbox: how many bytes went
  /// in (0: full, wait until the peer reads).
  pub fn write(&mut self, id: SocketId, data: &[u8]) -> Result<usize, Errno> {
    let cap = self.limits.buffer_bytes;
    let s = self.stream(id)?;
    if s.reset {
      return Err(Errno::ECONNRESET);
    }
    if s.write_shut {
      return Err(Errno::EPIPE);
    }
    let peer = s.peer;
    let total_room = self.limits.max_buffered.saturating_sub(self.buffered);
    let Ok(p) = self.stream(peer) else {
      // The peer is gone: as a write after the other side closed.
      return Err(Errno::EPIPE);
    };
    let n = data
      .len()
      .min(cap.saturating_sub(p.inbox.len()))
      .min(total_room);
    p.inbox.extend(&data[..n]);
    self.buffered += n;
    if n > 0 {
      self.notify(peer);
    }
    Ok(n)
  }

  /// Takes at most `max` bytes from `id`'s inbox.
  pub fn read(&mut self, id: SocketId, max: usize) -> Result<Read, Errno> {
    let s = self.stream(id)?;
    if s.reset {
      return Err(Errno::ECONNRESET);
    }
    if s.inbox.is_empty() {
      return Ok(if s.eof { Read::Eof } else { Read::WouldBlock });
    }
    let n = max.min(s.inbox.len());
    let data: Vec<u8> = s.inbox.drain(..n).collect();
    let peer = s.peer;
    self.buffered -= n;
    // A writer may wait for room.
    self.notify(peer);
    Ok(Read::Data(data))
  }

  /// Half-close: `id` writes no more; the peer reads what is left, then EOF.
  pub fn shutdown_write(&mut self, id: SocketId) -> Result<(), Errno> {
    let s = self.stream(id)?;
    s.write_shut = true;
    let peer = s.peer;
    if let Ok(p) = self.stream(peer) {
      p.eof = true;
      self.notify(peer);
    }
    Ok(())
  }

  /// Closes `id`. A stream closed with data unread resets its peer (as a
  /// kernel sends RST); otherwise the peer reads what is left, then EOF. A
  /// listener's unaccepted connections are reset.
  pub fn close(&mut self, id: SocketId) -> Result<(), Errno> {
    let gone = self.sockets.remove(&id).ok_or(Errno::EBADF)?;
    // Whoever waits on it sees EBADF.
    gone.changed.notify_waiters();
    match gone.kind {
      Kind::Listener(l) => {
        self.ports.remove(&l.port);
        for server in l.pending {
          let Some(Socket {
            kind: Kind::Stream(s),
            ..
          }) = self.sockets.remove(&server)
          else {
            continue;
          };
          self.buffered -= s.inbox.len();
          if let Ok(client) = self.stream(s.peer) {
            client.reset = true;
            self.notify(s.peer);
          }
        }
      }
      Kind::Stream(s) => {
        self.buffered -= s.inbox.len();
        if s.client {
          self.client_ports.remove(&s.local_port);
        }
        if let Ok(p) = self.stream(s.peer) {
          p.eof = true;
          if !s.inbox.is_empty() {
            p.reset = true;
          }
          self.notify(s.peer);
        }
      }
      // The descriptor closes when the last op holding it lets go.
      Kind::Tcp(_) => {}
    }
    Ok(())
  }

  /// Closes every socket of process `pid` (it ended).
  pub fn close_process(&mut self, pid: u32) {
    let mine: Vec<SocketId> = self
      .sockets
      .iter()
      .filter(|(_, s)| match &s.kind {
        Kind::Listener(l) => l.owner == pid,
        Kind::Stream(st) => st.owner == pid,
        Kind::Tcp(t) => t.owner == pid,
      })
      .map(|(id, _)| *id)
      .collect();
    for id in mine {
      // A listener closed just before may have taken it already.
      let _ = self.close(id);
    }
  }

  /// Whether a read (or accept) on `id` would not wait (data, EOF or an
  /// error).
  #[cfg(test)]
  pub fn readable(&self, id: SocketId) -> bool {
    match self.sockets.get(&id).map(|s| &s.kind) {
      Some(Kind::Stream(s)) => !s.inbox.is_empty() || s.eof || s.reset,
      Some(Kind::Listener(l)) => !l.pending.is_empty(),
      Some(Kind::Tcp(_)) | None => true,
    }
  }

  /// Whether a write on `id` would take at least one byte (or fail).
  pub fn writable(&self, id: SocketId) -> bool {
    match self.sockets.get(&id).map(|s| &s.kind) {
      Some(Kind::Stream(s)) => match self.sockets.get(&s.peer).map(|p| &p.kind) {
        Some(Kind::Stream(p)) => {
          s.reset
            || s.write_shut
            || (p.inbox.len() < self.limits.buffer_bytes
              && self.buffered < self.limits.max_buffered)
        }
        _ => true,
      },
      _ => true,
    }
  }

  /// (local port, remote port, over IPv6) of a connection end; a
  /// listener's remote port is 0.
  pub fn ports_of(&self, id: SocketId) -> Option<(u16, u16, bool)> {
    match self.sockets.get(&id).map(|s| &s.kind) {
      Some(Kind::Stream(s)) => Some((s.local_port, s.remote_port, s.v6)),
      Some(Kind::Listener(l)) => Some((l.port, 0, false)),
      Some(Kind::Tcp(t)) => Some((t.info.local_port, t.info.remote_port, t.info.v6)),
      None => None,
    }
  }

  #[cfg(test)]
  pub fn len(&self) -> usize {
    self.sockets.len()
  }
}

impl Stream {
  fn new(owner: u32, peer: SocketId, local_port: u16, remote_port: u16, v6: bool) -> Stream {
    Stream {
      owner,
      peer,
      inbox: VecDeque::new(),
      eof: false,
      write_shut: false,
      reset: false,
      local_port,
      remote_port,
      v6,
      client: false,
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  /// Whether a wait that was enabled has been woken.
  fn fired(n: std::pin::Pin<&mut tokio::sync::futures::Notified<'_>>) -> bool {
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    std::future::Future::poll(n, &mut cx).is_ready()
  }

  fn table() -> SocketTable {
    SocketTable::new(SocketLimits {
      max_sockets: 8,
      buffer_bytes: 16,
      max_backlog: 2,
      ..Default::default()
    })
  }

  fn data(r: Read) -> Vec<u8> {
    match r {
      Read::Data(d) => d,
      other => panic!("{other:?}"),
    }
  }

  #[test]
  fn a_listener_accepts_and_both_ends_talk() {
    let mut t = table();
    let (l, port) = t.listen(1, 3000, 511).unwrap();
    assert_eq!(port, 3000);
    let waker = t.changed(l).unwrap();
    let woken = waker.notified();
    tokio::pin!(woken);
    woken.as_mut().enable();
    let c = t.connect(2, 3000, false).unwrap();
    assert!(fired(woken));
    assert!(t.readable(l));
    let s = t.accept(l, 1).unwrap().unwrap();
    assert_eq!(t.accept(l, 1).unwrap(), None);
    let (local, remote, _) = t.ports_of(c).unwrap();
    assert_eq!(remote, 3000);
    assert!(EPHEMERAL_PORTS.contains(&local));
    assert_eq!(t.ports_of(s), Some((3000, local, false)));
    assert_eq!(t.write(c, b"ping").unwrap(), 4);
    assert_eq!(data(t.read(s, 100).unwrap()), b"ping");
    assert_eq!(t.read(s, 100).unwrap(), Read::WouldBlock);
    t.write(s, b"pong").unwrap();
    assert_eq!(data(t.read(c, 2).unwrap()), b"po");
    assert_eq!(data(t.read(c, 2).unwrap()), b"ng");
  }

  #[test]
  fn ports_in_use_and_nobody_listening() {
    let mut t = table();
    t.listen(1, 80, 1).unwrap();
    assert_eq!(t.listen(2, 80, 1), Err(Errno::EADDRINUSE));
    assert_eq!(t.connect(2, 81, false), Err(Errno::ECONNREFUSED));
    let (_, a) = t.listen(1, 0, 1).unwrap();
    let (_, b) = t.listen(1, 0, 1).unwrap();
    assert_ne!(a, b);
    assert!(EPHEMERAL_PORTS.contains(&a));
  }

  #[test]
  fn a_client_holds_its_ephemeral_port_until_it_closes() {
    let mut t = table();
    let (l, _) = t.listen(1, 1, 2).unwrap();
    let c = t.connect(2, 1, false).unwrap();
    let (port, _, _) = t.ports_of(c).unwrap();
    let s = t.accept(l, 1).unwrap().unwrap();
    assert!(t.client_ports.contains(&port));
    // The server end's close leaves the client's port held.
    t.close(s).unwrap();
    assert!(t.client_ports.contains(&port));
    t.close(c).unwrap();
    assert!(t.client_ports.is_empty());
  }

  #[test]
  fn a_full_inbox_pushes_back_until_the_reader_takes_some() {
    let mut t = table();
    let (l, _) = t.listen(1, 1, 1).unwrap();
    let c = t.connect(2, 1, false).unwrap();
    let s = t.accept(l, 1).unwrap().unwrap();
    assert_eq!(t.write(c, &[7; 20]).unwrap(), 16);
    assert!(!t.writable(c));
    assert_eq!(t.write(c, &[7; 4]).unwrap(), 0);
    let waker = t.changed(c).unwrap();
    let woken = waker.notified();
    tokio::pin!(woken);
    woken.as_mut().enable();
    assert_eq!(t.read(s, 10).unwrap(), Read::Data(vec![7; 10]));
    assert!(fired(woken));
    assert!(t.writable(c));
    assert_eq!(t.write(c, &[8; 20]).unwrap(), 10);
  }

  #[test]
  fn all_inboxes_together_are_bounded_too() {
    let mut t = SocketTable::new(SocketLimits {
      max_sockets: 16,
      buffer_bytes: 16,
      max_backlog: 8,
      max_buffered: 20,
      ..Default::default()
    });
    let (l, _) = t.listen(1, 1, 8).unwrap();
    let a = t.connect(2, 1, false).unwrap();
    let b = t.connect(2, 1, false).unwrap();
    let sa = t.accept(l, 1).unwrap().unwrap();
    assert_eq!(t.write(a, &[1; 16]).unwrap(), 16);
    // Room in b's peer inbox, but not in the runtime's total.
    assert_eq!(t.write(b, &[2; 16]).unwrap(), 4);
    assert!(!t.writable(b));
    assert_eq!(t.read(sa, 8).unwrap(), Read::Data(vec![1; 8]));
    assert!(t.writable(b));
    // Closing an end with data unread gives its bytes back.
    t.close(sa).unwrap();
    assert_eq!(t.write(b, &[2; 16]).unwrap(), 12);
  }

  #[test]
  fn half_close_then_eof_and_writes_after_it_fail() {
    let mut t = table();
    let (l, _) = t.listen(1, 1, 1).unwrap();
    let c = t.connect(2, 1, false).unwrap();
    let s = t.accept(l, 1).unwrap().unwrap();
    t.write(c, b"last").unwrap();
    t.shutdown_write(c).unwrap();
    assert_eq!(t.write(c, b"x"), Err(Errno::EPIPE));
    assert_eq!(data(t.read(s, 100).unwrap()), b"last");
    assert_eq!(t.read(s, 100).unwrap(), Read::Eof);
    // The other direction still works.
    t.write(s, b"reply").unwrap();
    assert_eq!(data(t.read(c, 100).unwrap()), b"reply");
  }

  #[test]
  fn closing_with_data_unread_resets_the_peer() {
    let mut t = table();
    let (l, _) = t.listen(1, 1, 1).unwrap();
    let c = t.connect(2, 1, false).unwrap();
    let s = t.accept(l, 1).unwrap().unwrap();
    t.write(c, b"unread").unwrap();
    t.close(s).unwrap();
    assert_eq!(t.write(c, b"x"), Err(Errno::ECONNRESET));
    assert_eq!(t.read(c, 1), Err(Errno::ECONNRESET));
    // Closed cleanly, the peer reads EOF and its writes fail with EPIPE.
    let c2 = t.connect(2, 1, false).unwrap();
    let s2 = t.accept(l, 1).unwrap().unwrap();
    t.close(s2).unwrap();
    assert_eq!(t.read(c2, 1).unwrap(), Read::Eof);
    assert_eq!(t.write(c2, b"x"), Err(Errno::EPIPE));
  }

  #[test]
  fn backlog_and_socket_count_are_bounded() {
    let mut t = table();
    let (l, _) = t.listen(1, 1, 100).unwrap(); // clamped to 2
    t.connect(2, 1, false).unwrap();
    t.connect(2, 1, false).unwrap();
    assert_eq!(t.connect(2, 1, false), Err(Errno::ECONNREFUSED));
    t.accept(l, 1).unwrap();
    t.connect(2, 1, false).unwrap();
    // 1 listener + 3 connections of 2 ends = 7 of 8: one more needs 2.
    assert_eq!(t.len(), 7);
    t.accept(l, 1).unwrap();
    assert_eq!(t.connect(2, 1, false), Err(Errno::EMFILE));
    assert_eq!(t.listen(3, 2, 1).map(|r| r.1), Ok(2));
    assert_eq!(t.listen(3, 3, 1).map(|r| r.1), Err(Errno::EMFILE));
  }

  #[test]
  fn a_process_that_ends_closes_its_sockets_and_frees_its_ports() {
    let mut t = table();
    let (l, _) = t.listen(1, 3000, 2).unwrap();
    let c = t.connect(2, 3000, false).unwrap();
    let c2 = t.connect(2, 3000, false).unwrap();
    let s = t.accept(l, 1).unwrap().unwrap();
    t.write(c, b"hi").unwrap();
    // Process 1 (the server) ends: its accepted end had data unread and
    // the unaccepted one was never taken: both clients are reset, and the
    // port is free again.
    t.close_process(1);
    assert_eq!(t.read(c, 1), Err(Errno::ECONNRESET));
    assert_eq!(t.read(c2, 1), Err(Errno::ECONNRESET));
    assert_eq!(t.write(s, b"x"), Err(Errno::EBADF));
    assert!(t.listen(3, 3000, 1).is_ok());
    t.close_process(2);
    assert_eq!(t.len(), 1);
  }

  #[test]
  fn a_connection_not_yet_accepted_outlives_other_op_states() {
    let mut t = table();
    let (l, _) = t.listen(1, 3000, 2).unwrap();
    let c = t.connect(2, 3000, false).unwrap();
    // A context prepared while the connection waits has pid 0; a
    // process that never touched it ends too.
    t.close_process(0);
    t.close_process(3);
    let s = t.accept(l, 1).unwrap().unwrap();
    t.write(c, b"hi").unwrap();
    assert_eq!(t.read(s, 10), Ok(Read::Data(b"hi".to_vec())));
  }
}
