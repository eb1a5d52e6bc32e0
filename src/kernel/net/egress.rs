//! Reads, writes and the TLS handshake on a real connection (one the host
//! made): plain bytes, or plaintext through the connection's TLS session.
//! Every wait also ends when the guest closes the socket (its notifier
//! fires and the next look finds it gone). No lock is held across a wait:
//! the guest's own ops run on the same thread while a wait is pending.
use std::sync::Arc;

use tokio::net::TcpStream;

use super::ops::{err, io_error, network_limit};
use super::socket::SocketId;
use super::tls::{self, Tls};
use crate::kernel::error::{Errno, ErrorClass, OpError};
use crate::kernel::op::OpValue;
use crate::kernel::Kernel;

/// Waits until `stream` may be read (or written, when `write`), or the
/// guest closed socket `id` (EBADF).
async fn ready(
  kernel: &Kernel,
  id: SocketId,
  stream: &TcpStream,
  write: bool,
  syscall: &'static str,
) -> Result<(), OpError> {
  let changed = kernel.sockets().changed(id).map_err(|e| err(e, syscall))?;
  let notified = changed.notified();
  tokio::pin!(notified);
  notified.as_mut().enable();
  // Closed between the look and the wait.
  kernel.sockets().changed(id).map_err(|e| err(e, syscall))?;
  if write {
    tokio::select! {
      r = stream.writable() => r.map_err(|e| io_error(e, syscall)),
      _ = notified => Err(err(Errno::EBADF, syscall)),
    }
  } else {
    tokio::select! {
      r = stream.readable() => r.map_err(|e| io_error(e, syscall)),
      _ = notified => Err(err(Errno::EBADF, syscall)),
    }
  }
}

/// Bytes from the server, within the runtime's network budget: `None`
/// when none are there yet, `Some(empty)` at end of stream.
fn receive(kernel: &Kernel, stream: &TcpStream, max: usize) -> Result<Option<Vec<u8>>, OpError> {
  let budget = kernel.sockets().take_network_bytes(max);
  if budget == 0 {
    return Err(network_limit());
  }
  let mut buf = vec![0u8; budget];
  let got = stream.try_read(&mut buf);
  let used = *got.as_ref().unwrap_or(&0);
  kernel.sockets().return_network_bytes(budget - used);
  match got {
    Ok(n) => {
      buf.truncate(n);
      Ok(Some(buf))
    }
    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Ok(None),
    Err(e) => Err(io_error(e, "read")),
  }
}

/// Charges `n` bytes of TLS records the session sent (the handshake, the
/// records of what the guest wrote, alerts) to the runtime's budget: the
/// bytes on the wire count, not the plaintext. Past the budget the op
/// fails, and so does every later one.
fn charge(kernel: &Kernel, n: usize) -> Result<(), OpError> {
  if kernel.sockets().take_network_bytes(n) < n {
    return Err(network_limit());
  }
  Ok(())
}

/// Sends the records the session has ready and charges them.
fn send_records(
  kernel: &Kernel,
  conn: &mut rustls::ClientConnection,
  stream: &TcpStream,
  syscall: &'static str,
) -> Result<(), OpError> {
  // Nothing leaves once the budget is spent (a flush that passes it is
  // charged whole: the budget is exceeded by at most one flush).
  if conn.wants_write() && kernel.sockets().network_bytes_left() == 0 {
    return Err(network_limit());
  }
  let sent = tls::flush(conn, stream).map_err(|e| io_error(e, syscall))?;
  charge(kernel, sent)
}

pub(super) fn tls_error(r: tls::Refusal) -> OpError {
  OpError::coded(ErrorClass::Error, r.code, r.message)
}

/// At most `max` bytes for the guest (null at end of stream).
pub async fn read(
  kernel: Arc<Kernel>,
  id: SocketId,
  stream: Arc<TcpStream>,
  tls: Option<Arc<Tls>>,
  max: usize,
) -> Result<OpValue<'static>, OpError> {
  // Plaintext lands here (a TLS session only), made once per read.
  let mut plain = if tls.is_some() {
    vec![0u8; max]
  } else {
    Vec::new()
  };
  loop {
    if let Some(tls) = &tls {
      let got = tls::plaintext(&mut tls.lock(), &mut plain);
      if let Some(n) = got {
        if n == 0 {
          return Ok(OpValue::Null);
        }
        plain.truncate(n);
        return Ok(OpValue::Bytes(plain.into()));
      }
    }
    match receive(
      &kernel,
      &stream,
      if tls.is_some() { 16 * 1024 + 512 } else { max },
    )? {
      Some(records) if tls.is_some() => {
        let tls = tls.as_ref().expect("tls");
        let mut c = tls.lock();
        if records.is_empty() {
          // The server ended the stream: what was decrypted is all there is.
          let _ = c.read_tls(&mut &[][..]);
          let _ = c.process_new_packets();
          return Ok(match tls::plaintext(&mut c, &mut plain) {
            Some(n) if n > 0 => {
              plain.truncate(n);
              OpValue::Bytes(plain.into())
            }
            _ => OpValue::Null,
          });
        }
        tls::feed(&mut c, &records).map_err(|e| tls_error(tls::refusal_of(&e)))?;
        // Answers the session owes the server (key updates, alerts).
        send_records(&kernel, &mut c, &stream, "read")?;
        continue;
      }
      Some(data) if data.is_empty() => return Ok(OpValue::Null),
      Some(data) => return Ok(OpValue::Bytes(data.into())),
      None => ready(&kernel, id, &stream, false, "read").await?,
    }
  }
}

/// Takes what it can of `data` now: the bytes taken.
pub fn write(
  kernel: &Kernel,
  stream: &TcpStream,
  tls: Option<&Tls>,
  data: &[u8],
) -> Result<usize, OpError> {
  if let Some(tls) = tls {
    // The records are charged as they leave, not the plaintext.
    let left = kernel.sockets().network_bytes_left();
    if left == 0 && !data.is_empty() {
      return Err(network_limit());
    }
    let mut c = tls.lock();
    let n = tls::take_plaintext(&mut c, &data[..data.len().min(left as usize)]);
    send_records(kernel, &mut c, stream, "write")?;
    return Ok(n);
  }
  let budget = kernel.sockets().take_network_bytes(data.len());
  if budget == 0 && !data.is_empty() {
    return Err(network_limit());
  }
  let taken = match stream.try_write(&data[..budget]) {
    Ok(n) => Ok(n),
    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Ok(0),
    Err(e) => Err(io_error(e, "write")),
  };
  kernel
    .sockets()
    .return_network_bytes(budget - *taken.as_ref().unwrap_or(&0));
  taken
}

/// Settles once the connection takes more (its TLS records all sent).
pub async fn writable(
  kernel: Arc<Kernel>,
  id: SocketId,
  stream: Arc<TcpStream>,
  tls: Option<Arc<Tls>>,
) -> Result<OpValue<'static>, OpError> {
  loop {
    if let Some(tls) = &tls {
      let mut c = tls.lock();
      send_records(&kernel, &mut c, &stream, "write")?;
      if !c.wants_write() {
        return Ok(OpValue::Undefined);
      }
    }
    ready(&kernel, id, &stream, true, "write").await?;
    if tls.is_none() {
      return Ok(OpValue::Undefined);
    }
  }
}

/// `end()`: a TLS session says close_notify; the connection then ends its
/// sending side once nothing is left to send.
pub fn shutdown(stream: &TcpStream, tls: Option<&Tls>) -> Result<(), OpError> {
  // A peer that went first is no error (as libuv's shutdown has it).
  let gone = |e: &std::io::Error| {
    use std::io::ErrorKind::*;
    matches!(e.kind(), NotConnected | BrokenPipe | ConnectionReset)
  };
  if let Some(tls) = tls {
    let mut c = tls.lock();
    c.send_close_notify();
    match tls::flush(&mut c, stream) {
      Err(e) if !gone(&e) => return Err(io_error(e, "shutdown")),
      _ => {}
    }
    if c.wants_write() {
      return Ok(());
    }
  }
  match rustix::net::shutdown(stream, rustix::net::Shutdown::Write) {
    Err(e) if !gone(&e.into()) => Err(io_error(e.into(), "shutdown")),
    _ => Ok(()),
  }
}

/// Runs the TLS handshake on connection `id`: `[protocol, ALPN protocol
/// ("" for none), "1" if authorized, its error code, its message, cipher]`.
pub async fn handshake(
  kernel: Arc<Kernel>,
  id: SocketId,
  stream: Arc<TcpStream>,
  tls: Arc<Tls>,
) -> Result<OpValue<'static>, OpError> {
  loop {
    let (handshaking, wants_write) = {
      let mut c = tls.lock();
      send_records(&kernel, &mut c, &stream, "connect")?;
      (c.is_handshaking(), c.wants_write())
    };
    if !handshaking && !wants_write {
      break;
    }
    if wants_write {
      ready(&kernel, id, &stream, true, "connect").await?;
      continue;
    }
    match receive(&kernel, &stream, 16 * 1024 + 512)? {
      Some(records) if records.is_empty() => {
        return Err(OpError::coded(
          ErrorClass::Error,
          "ECONNRESET",
          "Client network socket disconnected before secure TLS connection was established",
        ));
      }
      Some(records) => {
        tls::feed(&mut tls.lock(), &records).map_err(|e| tls_error(tls::refusal_of(&e)))?
      }
      None => ready(&kernel, id, &stream, false, "connect").await?,
    }
  }
  let c = tls.lock();
  let protocol = match c.protocol_version() {
    Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
    Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
    _ => "unknown",
  };
  let alpn = c
    .alpn_protocol()
    .map(|p| String::from_utf8_lossy(p).into_owned())
    .unwrap_or_default();
  let cipher = c
    .negotiated_cipher_suite()
    .map(|s| format!("{:?}", s.suite()))
    .unwrap_or_default();
  let why = tls
    .unauthorized
    .lock()
    .unwrap_or_else(|e| e.into_inner())
    .clone();
  let (authorized, code, message) = match why {
    None => ("1".to_string(), String::new(), String::new()),
    Some(r) => ("0".to_string(), r.code.to_string(), r.message),
  };
  Ok(OpValue::Strings(vec![
    protocol.into(),
    alpn,
    authorized,
    code,
    message,
    cipher,
  ]))
}
