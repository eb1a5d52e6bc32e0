//! Every syscall a guest can make, in one table. The guest reaches entry `i`
//! as `native[SYSCALLS[i].js]`; each handler decodes its arguments, acts on
//! the process's kernel state and sets the result.
use crate::engine::{Arg, Ret};
use crate::ipc::Stream;

use super::limits::MAX_RANDOM_BYTES;
use super::process::{Process, ProcessControl};

pub struct SyscallCtx<'a> {
  pub process: &'a mut Process,
  pub control: &'a dyn ProcessControl,
}

type Handler = fn(&mut SyscallCtx<'_>, &mut [Arg<'_>], &mut Ret<'_>);

pub struct Syscall {
  /// The name the guest bootstrap calls it by (`native.write`).
  pub js: &'static str,
  /// The kernel's name for it.
  pub name: &'static str,
  pub handler: Handler,
}

pub static SYSCALLS: &[Syscall] = &[
  Syscall {
    js: "write",
    name: "stdio_write",
    handler: stdio_write,
  },
  Syscall {
    js: "exit",
    name: "proc_exit",
    handler: proc_exit,
  },
  Syscall {
    js: "now",
    name: "clock_now",
    handler: clock_now,
  },
  Syscall {
    js: "randomFill",
    name: "random_fill",
    handler: random_fill,
  },
  Syscall {
    js: "utf8Encode",
    name: "text_utf8_encode",
    handler: text_utf8_encode,
  },
  Syscall {
    js: "utf8Decode",
    name: "text_utf8_decode",
    handler: text_utf8_decode,
  },
  Syscall {
    js: "wasmCheck",
    name: "wasm_check",
    handler: wasm_check,
  },
  Syscall {
    js: "urlParse",
    name: "url_parse",
    handler: url_parse,
  },
  Syscall {
    js: "urlSet",
    name: "url_set",
    handler: url_set,
  },
];

/// The guest-visible names, in table order (what `engine::Context` exposes).
pub fn js_names() -> Vec<&'static str> {
  SYSCALLS.iter().map(|s| s.js).collect()
}

pub fn dispatch(ctx: &mut SyscallCtx<'_>, op: u32, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  match SYSCALLS.get(op as usize) {
    Some(s) => (s.handler)(ctx, args, ret),
    None => ret.throw(c"Error", "unknown syscall", Some(c"ERR_INTERNAL_ASSERTION")),
  }
}

fn invalid_arg(ret: &mut Ret<'_>, msg: &str) {
  ret.throw(c"TypeError", msg, Some(c"ERR_INVALID_ARG_TYPE"));
}

fn stdio_write(ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  let stream = match args.first().and_then(Arg::as_number) {
    Some(1.0) => Stream::Stdout,
    Some(2.0) => Stream::Stderr,
    _ => {
      return ret.throw(
        c"Error",
        "EBADF: bad file descriptor, write",
        Some(c"EBADF"),
      )
    }
  };
  match args.get(1) {
    Some(Arg::Str(s)) => ctx.process.stdio.write(stream, s.as_bytes()),
    Some(Arg::Bytes(b)) => ctx.process.stdio.write(stream, b),
    _ => invalid_arg(
      ret,
      "The \"chunk\" argument must be of type string or an instance of Uint8Array",
    ),
  }
}

fn proc_exit(ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], _ret: &mut Ret<'_>) {
  let code = args
    .first()
    .and_then(Arg::as_number)
    .filter(|n| n.is_finite())
    .unwrap_or(0.0);
  // Node keeps the low byte of the exit status, as the OS does.
  let code = (code as i64 & 0xff) as i32;
  ctx.process.exit_code = Some(code);
  ctx.control.exit(code);
}

fn clock_now(ctx: &mut SyscallCtx<'_>, _args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  ret.number(ctx.process.clock.now_ms());
}

fn random_fill(_ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  match args.first_mut() {
    Some(Arg::Bytes(b)) if b.len() <= MAX_RANDOM_BYTES => {
      if getrandom::fill(b).is_err() {
        ret.throw(
          c"Error",
          "random source unavailable",
          Some(c"ERR_CRYPTO_OPERATION_FAILED"),
        );
      }
    }
    Some(Arg::Bytes(b)) => {
      let msg = format!(
        "The ArrayBufferView's byte length ({}) exceeds the number of bytes of entropy available via this API ({MAX_RANDOM_BYTES})",
        b.len()
      );
      ret.throw(c"RangeError", &msg, Some(c"ERR_OUT_OF_RANGE"));
    }
    _ => invalid_arg(ret, "randomFill expects a Uint8Array"),
  }
}

fn text_utf8_encode(_ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  match args.first() {
    Some(Arg::Str(s)) => ret.bytes(s.as_bytes()),
    Some(Arg::Undefined) | None => ret.bytes(&[]),
    _ => invalid_arg(ret, "utf8Encode expects a string"),
  }
}

fn text_utf8_decode(_ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  let fatal = matches!(args.get(1), Some(Arg::Bool(true)));
  let Some(Arg::Bytes(b)) = args.first() else {
    return invalid_arg(
      ret,
      "The \"input\" argument must be an instance of ArrayBuffer or ArrayBufferView",
    );
  };
  // Decoded by V8 straight from the guest's bytes: no host-side copy.
  if fatal && std::str::from_utf8(b).is_err() {
    return ret.throw(
      c"TypeError",
      "The encoded data was not valid for encoding utf-8",
      Some(c"ERR_ENCODING_INVALID_ENCODED_DATA"),
    );
  }
  ret.utf8(b);
}

/// Refuses a module the sandbox cannot account for before V8 compiles it.
fn wasm_check(_ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  if let Some(Arg::Bytes(b)) = args.first() {
    if super::wasm::defines_shared_memory(b) {
      ret.throw(
        c"TypeError",
        "WebAssembly shared memory is not supported in this sandbox",
        Some(c"ERR_SANDBOX_UNSUPPORTED"),
      );
    }
  }
}

fn url_parts(u: &url::Url) -> [String; 11] {
  use url::quirks as q;
  [
    q::href(u).to_string(),
    q::origin(u),
    q::protocol(u).to_string(),
    q::username(u).to_string(),
    q::password(u).to_string(),
    q::host(u).to_string(),
    q::hostname(u).to_string(),
    q::port(u).to_string(),
    q::pathname(u).to_string(),
    q::search(u).to_string(),
    q::hash(u).to_string(),
  ]
}

fn url_parse(_ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  let Some(input) = args.first().and_then(Arg::as_str) else {
    return invalid_arg(ret, "urlParse expects a string");
  };
  let parsed = match args.get(1).and_then(Arg::as_str) {
    Some(base) => match url::Url::parse(base) {
      Ok(b) => url::Url::options().base_url(Some(&b)).parse(input),
      Err(_) => return ret.null(),
    },
    None => url::Url::parse(input),
  };
  match parsed {
    Ok(u) => ret.strings(&url_parts(&u)),
    Err(_) => ret.null(),
  }
}

fn url_set(_ctx: &mut SyscallCtx<'_>, args: &mut [Arg<'_>], ret: &mut Ret<'_>) {
  use url::quirks as q;
  let (Some(href), Some(component), Some(value)) = (
    args.first().and_then(Arg::as_str),
    args.get(1).and_then(Arg::as_str),
    args.get(2).and_then(Arg::as_str),
  ) else {
    return invalid_arg(ret, "urlSet expects (href, component, value)");
  };
  let Ok(mut u) = url::Url::parse(href) else {
    return ret.null();
  };
  let ok = match component {
    "href" => q::set_href(&mut u, value).is_ok(),
    "protocol" => {
      // WHATWG setters ignore values they cannot apply.
      let _ = q::set_protocol(&mut u, value);
      true
    }
    "username" => {
      // WHATWG setters ignore values they cannot apply.
      let _ = q::set_username(&mut u, value);
      true
    }
    "password" => {
      // WHATWG setters ignore values they cannot apply.
      let _ = q::set_password(&mut u, value);
      true
    }
    "host" => {
      // WHATWG setters ignore values they cannot apply.
      let _ = q::set_host(&mut u, value);
      true
    }
    "hostname" => {
      // WHATWG setters ignore values they cannot apply.
      let _ = q::set_hostname(&mut u, value);
      true
    }
    "port" => {
      // WHATWG setters ignore values they cannot apply.
      let _ = q::set_port(&mut u, value);
      true
    }
    "pathname" => {
      q::set_pathname(&mut u, value);
      true
    }
    "search" => {
      q::set_search(&mut u, value);
      true
    }
    "hash" => {
      q::set_hash(&mut u, value);
      true
    }
    _ => return invalid_arg(ret, "unknown URL component"),
  };
  if ok {
    ret.strings(&url_parts(&u));
  } else {
    ret.null();
  }
}
