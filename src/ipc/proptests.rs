//! The frame decoder against hostile bytes, and `encode` → `read_frame`
//! round trips of random messages (one frame, and streams of several).
use proptest::prelude::*;

use super::*;

fn text() -> impl Strategy<Value = String> {
  prop_oneof![
    3 => "[a-z./]{0,12}",
    1 => any::<String>(),
  ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
  prop::collection::vec(any::<u8>(), 0..64)
}

fn mount_call() -> impl Strategy<Value = MountCall> {
  prop_oneof![
    (text(), any::<bool>()).prop_map(|(rel, follow)| MountCall::Stat { rel, follow }),
    (text(), any::<u64>()).prop_map(|(rel, max)| MountCall::ReadFile { rel, max }),
    text().prop_map(|rel| MountCall::Readdir { rel }),
    text().prop_map(|rel| MountCall::Readlink { rel }),
    text().prop_map(|rel| MountCall::Realpath { rel }),
    (text(), any::<u32>()).prop_map(|(rel, mode)| MountCall::Access { rel, mode }),
    (text(), bytes(), any::<i32>(), any::<u32>()).prop_map(|(rel, data, flags, mode)| {
      MountCall::WriteFile {
        rel,
        data,
        flags,
        mode,
      }
    }),
    (text(), any::<u32>()).prop_map(|(rel, mode)| MountCall::Mkdir { rel, mode }),
    text().prop_map(|rel| MountCall::Rmdir { rel }),
    text().prop_map(|rel| MountCall::Unlink { rel }),
    (text(), text()).prop_map(|(from, to)| MountCall::Rename { from, to }),
    (text(), any::<u64>()).prop_map(|(rel, len)| MountCall::Truncate { rel, len }),
    (text(), any::<i32>(), any::<u32>()).prop_map(|(rel, flags, mode)| MountCall::Open {
      rel,
      flags,
      mode
    }),
    (any::<u64>(), any::<u64>(), any::<u32>()).prop_map(|(handle, offset, len)| {
      MountCall::Read {
        handle,
        offset,
        len,
      }
    }),
    (any::<u64>(), any::<Option<u64>>(), bytes()).prop_map(|(handle, offset, data)| {
      MountCall::Write {
        handle,
        offset,
        data,
      }
    }),
    any::<u64>().prop_map(|handle| MountCall::Fstat { handle }),
    any::<u64>().prop_map(|handle| MountCall::Close { handle }),
  ]
}

fn dns_type() -> impl Strategy<Value = DnsType> {
  prop::sample::select(DnsType::ALL.iter().map(|(t, _, _)| *t).collect::<Vec<_>>())
}

fn query() -> impl Strategy<Value = Query> {
  prop_oneof![
    (text(), bytes()).prop_map(|(name, args)| Query::Tool { name, args }),
    (any::<u32>(), mount_call()).prop_map(|(mount, call)| Query::Mount { mount, call }),
    (text(), any::<u16>(), any::<u32>()).prop_map(|(host, port, timeout_ms)| Query::Connect {
      host,
      port,
      timeout_ms
    }),
    (text(), any::<u32>()).prop_map(|(host, timeout_ms)| Query::Resolve { host, timeout_ms }),
    (
      text(),
      dns_type(),
      // serde writes an address and a port (no IPv6 flow or scope).
      prop::collection::vec(
        (any::<std::net::IpAddr>(), any::<u16>()).prop_map(std::net::SocketAddr::from),
        0..3
      ),
      any::<u32>()
    )
      .prop_map(
        |(host, rrtype, servers, timeout_ms)| Query::ResolveRecords {
          host,
          rrtype,
          servers,
          timeout_ms
        }
      ),
  ]
}

fn stream() -> impl Strategy<Value = Stream> {
  prop_oneof![Just(Stream::Stdout), Just(Stream::Stderr)]
}

fn proc_msg() -> impl Strategy<Value = ProcMsg> {
  prop_oneof![
    any::<u32>().prop_map(|pid| ProcMsg::Started { pid }),
    (stream(), bytes()).prop_map(|(stream, data)| ProcMsg::Output { stream, data }),
    bytes().prop_map(ProcMsg::Stdin),
    Just(ProcMsg::StdinEnd),
    any::<u32>().prop_map(ProcMsg::Ack),
    Just(ProcMsg::StdinClosed),
    any::<u8>().prop_map(ProcMsg::Signal),
    (any::<u16>(), any::<u16>()).prop_map(|(cols, rows)| ProcMsg::Resize { cols, rows }),
    (any::<i32>(), any::<Option<u8>>()).prop_map(|(code, signal)| ProcMsg::Exit { code, signal }),
  ]
}

fn bridge_msg() -> impl Strategy<Value = BridgeMsg> {
  prop_oneof![
    any::<u16>().prop_map(|port| BridgeMsg::Open { port }),
    Just(BridgeMsg::Opened),
    bytes().prop_map(BridgeMsg::Data),
    any::<u32>().prop_map(BridgeMsg::Ack),
    Just(BridgeMsg::End),
    prop::option::of(text()).prop_map(|error| BridgeMsg::Closed { error }),
  ]
}

fn host_error() -> impl Strategy<Value = HostError> {
  (text(), text(), prop::option::of(text())).prop_map(|(name, message, code)| HostError {
    name,
    message,
    code,
  })
}

fn to_sidecar() -> impl Strategy<Value = ToSidecar> {
  prop_oneof![
    (
      any::<u32>(),
      any::<u64>(),
      text(),
      text(),
      any::<Option<u64>>(),
      prop::collection::vec((text(), text()), 0..3),
      prop::collection::vec(text(), 0..3),
      prop::option::of(bytes()),
      any::<bool>()
    )
      .prop_map(
        |(rt, req, code, cwd, timeout_ms, env, argv, stdin, stream)| {
          ToSidecar::Execute(Box::new(ExecRequest {
            rt,
            req,
            code,
            file_path: "/index.js".into(),
            timeout_ms,
            env,
            cwd,
            argv,
            stdin,
            stream,
          }))
        }
      ),
    (any::<u32>(), any::<u64>()).prop_map(|(rt, req)| ToSidecar::Cancel { rt, req }),
    (any::<u32>(), any::<u64>()).prop_map(|(rt, bytes)| ToSidecar::OutputAck { rt, bytes }),
    any::<u32>().prop_map(|rt| ToSidecar::DisposeRuntime { rt }),
    (
      any::<u64>(),
      prop_oneof![bytes().prop_map(Ok), host_error().prop_map(Err)]
    )
      .prop_map(|(id, reply)| ToSidecar::Reply { id, reply }),
    (any::<u64>(), bytes()).prop_map(|(id, reply)| ToSidecar::ReplyFd { id, reply }),
    (any::<u32>(), any::<u32>()).prop_map(|(rt, ctx)| ToSidecar::CloseContext { rt, ctx }),
    (any::<u32>(), any::<u64>(), bridge_msg()).prop_map(|(rt, conn, msg)| ToSidecar::Bridge {
      rt,
      conn,
      msg
    }),
    (any::<u32>(), any::<u64>(), proc_msg()).prop_map(|(rt, id, msg)| ToSidecar::Proc {
      rt,
      id,
      msg
    }),
  ]
}

fn to_host() -> impl Strategy<Value = ToHost> {
  prop_oneof![
    (any::<u64>(), prop::option::of(text()))
      .prop_map(|(id, error)| ToHost::RuntimeReady { id, error }),
    (any::<u64>(), stream(), bytes()).prop_map(|(req, stream, data)| ToHost::Output {
      req,
      stream,
      data
    }),
    (any::<u64>(), any::<u32>(), any::<u64>(), query())
      .prop_map(|(id, rt, req, query)| { ToHost::Query { id, rt, req, query } }),
    (
      any::<u64>(),
      prop_oneof![any::<u32>().prop_map(Ok), text().prop_map(Err)]
    )
      .prop_map(|(id, result)| ToHost::ContextOpened { id, result }),
    (any::<u64>(), bridge_msg()).prop_map(|(conn, msg)| ToHost::Bridge { conn, msg }),
    (any::<u64>(), proc_msg()).prop_map(|(id, msg)| ToHost::Proc { id, msg }),
  ]
}

/// Reads frames until the end of `buf`: the messages, then how it ended.
fn read_all<T: DeserializeOwned>(mut buf: &[u8]) -> (Vec<T>, Result<(), IpcError>) {
  let mut out = Vec::new();
  loop {
    match read_frame(&mut buf) {
      Ok(Some(m)) => out.push(m),
      Ok(None) => return (out, Ok(())),
      Err(e) => return (out, Err(e)),
    }
  }
}

proptest! {
  #![proptest_config(crate::fuzz::config(300))]

  /// Any bytes decode to messages or an error, for every message type a
  /// peer reads.
  #[test]
  fn arbitrary_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..300)) {
    let _ = read_all::<ToHost>(&buf);
    let _ = read_all::<ToSidecar>(&buf);
    let _ = read_all::<MountCall>(&buf);
    let _ = read_all::<Result<MountReply, i32>>(&buf);
  }

  /// A length prefix that fits, over random bytes: the decoder reads
  /// exactly the frame and never more.
  #[test]
  fn a_framed_body_is_read_alone(body in prop::collection::vec(any::<u8>(), 0..300)) {
    let mut buf = (body.len() as u32).to_le_bytes().to_vec();
    buf.extend_from_slice(&body);
    buf.extend_from_slice(b"rest");
    let mut r = &buf[..];
    let _ = read_frame::<_, ToSidecar>(&mut r);
    prop_assert_eq!(r, b"rest");
  }

  /// Valid frames with bytes flipped decode to something or an error.
  #[test]
  fn mutated_frames_never_panic(
    msg in to_host(),
    flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
  ) {
    let mut buf = encode(&msg).unwrap();
    for (i, b) in flips {
      let i = i.index(buf.len());
      buf[i] = b;
    }
    let _ = read_all::<ToHost>(&buf);
    let _ = read_all::<ToSidecar>(&buf);
  }

  #[test]
  fn to_sidecar_round_trips(msgs in prop::collection::vec(to_sidecar(), 0..6)) {
    let mut buf = Vec::new();
    for m in &msgs {
      buf.extend(encode(m).unwrap());
    }
    let (back, end) = read_all::<ToSidecar>(&buf);
    prop_assert!(end.is_ok());
    prop_assert_eq!(back, msgs);
  }

  #[test]
  fn to_host_round_trips(msgs in prop::collection::vec(to_host(), 0..6)) {
    let mut buf = Vec::new();
    for m in &msgs {
      buf.extend(encode(m).unwrap());
    }
    let (back, end) = read_all::<ToHost>(&buf);
    prop_assert!(end.is_ok());
    prop_assert_eq!(back, msgs);
  }

  /// A stream cut anywhere gives back the whole frames before the cut,
  /// then a clean end only when the cut falls between frames.
  #[test]
  fn a_cut_stream_ends_cleanly_only_between_frames(
    msgs in prop::collection::vec(to_host(), 1..5),
    cut in any::<prop::sample::Index>(),
  ) {
    let mut buf = Vec::new();
    let mut ends = vec![0];
    for m in &msgs {
      buf.extend(encode(m).unwrap());
      ends.push(buf.len());
    }
    let cut = cut.index(buf.len() + 1);
    let (back, end) = read_all::<ToHost>(&buf[..cut]);
    let whole = ends.iter().filter(|&&e| e <= cut).count() - 1;
    prop_assert_eq!(&back[..], &msgs[..whole]);
    prop_assert_eq!(end.is_ok(), ends.contains(&cut), "cut at {} of {:?}", cut, ends);
  }
}
