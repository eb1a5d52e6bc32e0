//! WebAssembly modules a guest compiles: what the sandbox refuses in them.

/// True when the module defines a shared memory. V8 accounts shared
/// memories to no isolate, so a runtime's memory limit could not see one.
/// Bytes that do not parse are left for V8 to reject with its own error.
pub fn defines_shared_memory(bytes: &[u8]) -> bool {
  for payload in wasmparser::Parser::new(0).parse_all(bytes) {
    match payload {
      Ok(wasmparser::Payload::MemorySection(memories)) => {
        for memory in memories {
          match memory {
            Ok(m) if m.shared => return true,
            Ok(_) => {}
            Err(_) => return false,
          }
        }
      }
      Ok(_) => {}
      Err(_) => return false,
    }
  }
  false
}

#[cfg(test)]
mod tests {
  use super::*;

  fn module_with_memory(flags: u8) -> Vec<u8> {
    let mut m = vec![0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    // memory section: one memory, limits (flags, min 1, max 1)
    m.extend_from_slice(&[5, 4, 1, flags, 1, 1]);
    m
  }

  #[test]
  fn finds_a_shared_memory() {
    assert!(defines_shared_memory(&module_with_memory(0x03)));
    assert!(!defines_shared_memory(&module_with_memory(0x01)));
  }

  #[test]
  fn leaves_garbage_to_v8() {
    assert!(!defines_shared_memory(b"not wasm"));
    assert!(!defines_shared_memory(&[]));
    let mut m = module_with_memory(0x03);
    m.truncate(10);
    assert!(!defines_shared_memory(&m));
  }
}
