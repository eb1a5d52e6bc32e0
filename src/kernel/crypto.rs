//! The guest's `crypto`: message digests, HMAC, PBKDF2 and scrypt, computed
//! by RustCrypto's crates. Digest contexts that outlive one op live in the
//! process ([`Contexts`], bounded); every input size and the work of each
//! key derivation are bounded here, so no op holds the guest's thread for
//! long or makes the sidecar allocate past the process's memory limit.
use std::borrow::Cow;
use std::collections::HashMap;

use hmac::digest::{Digest, KeyInit, OutputSizeUser};
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

use super::error::{ErrorClass, OpError};
use super::limits::{MAX_CRYPTO_INPUT_BYTES, MAX_HASH_CONTEXTS, MAX_KDF_WORK};
use super::op::{pending, GuestBuf, OpFuture, OpResult, OpValue, StrOrBytes};
use super::syscall::OpState;

/// Longest digest of any algorithm here (SHA-512, SHA3-512).
const MAX_DIGEST_BYTES: usize = 64;

/// Declares the algorithms: for each, the RustCrypto type, what one call
/// of its compression function costs (in units of about one SHA-256 block,
/// measured) and the names OpenSSL (so Node) knows it by, matched without
/// regard to ASCII case.
macro_rules! algorithms {
  ($( $v:ident($ty:ty, $cost:literal) = [$($alias:literal),+]; )+) => {
    /// A digest algorithm the sandbox implements.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Alg { $($v),+ }

    impl Alg {
      /// Every algorithm; the guest names one by its index here.
      pub const ALL: &'static [Alg] = &[$(Alg::$v),+];

      pub fn from_name(name: &str) -> Option<Alg> {
        $(
          if [$($alias),+].iter().any(|a| a.eq_ignore_ascii_case(name)) {
            return Some(Alg::$v);
          }
        )+
        None
      }

      pub fn output_len(self) -> usize {
        match self { $(Alg::$v => <$ty as OutputSizeUser>::output_size()),+ }
      }

      /// What one compression costs, for [`MAX_KDF_WORK`].
      fn cost(self) -> u128 {
        match self { $(Alg::$v => $cost),+ }
      }

      /// Bytes the compression function takes at a time.
      pub fn block_len(self) -> usize {
        match self { $(Alg::$v => <$ty as hmac::digest::core_api::BlockSizeUser>::block_size()),+ }
      }

      fn plain(self) -> Ctx {
        match self { $(Alg::$v => Ctx::Plain(Box::new(Plain::$v(<$ty>::new())))),+ }
      }

      fn keyed(self, key: &[u8]) -> OpResult<Ctx> {
        match self {
          $(Alg::$v => <Hmac<$ty> as KeyInit>::new_from_slice(key)
            .map(|m| Ctx::Keyed(Box::new(Keyed::$v(m))))
            .map_err(|_| internal("HMAC refused its key")),)+
        }
      }

      fn pbkdf2(self, password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
        match self { $(Alg::$v => pbkdf2::pbkdf2_hmac::<$ty>(password, salt, rounds, out)),+ }
      }
    }

    /// A digest in progress.
    #[derive(Clone)]
    enum Plain { $($v($ty)),+ }

    /// An HMAC in progress.
    #[derive(Clone)]
    enum Keyed { $($v(Hmac<$ty>)),+ }

    impl Plain {
      fn update(&mut self, data: &[u8]) {
        match self { $(Plain::$v(h) => Digest::update(h, data)),+ }
      }
      fn finish(self) -> Output {
        match self { $(Plain::$v(h) => Output::of(&h.finalize())),+ }
      }
    }

    impl Keyed {
      fn update(&mut self, data: &[u8]) {
        match self { $(Keyed::$v(m) => Mac::update(m, data)),+ }
      }
      fn finish(self) -> Output {
        match self { $(Keyed::$v(m) => Output::of(&m.finalize().into_bytes())),+ }
      }
    }
  };
}

algorithms! {
  Md5(md5::Md5, 2) = ["md5", "rsa-md5", "md5WithRSAEncryption", "ssl3-md5", "1.2.840.113549.2.5"];
  Sha1(sha1::Sha1, 1) = [
    "sha1", "sha-1", "rsa-sha1", "rsa-sha1-2", "sha1WithRSAEncryption", "ssl3-sha1", "1.3.14.3.2.26"
  ];
  Sha224(sha2::Sha224, 1) = [
    "sha224", "sha-224", "sha2-224", "rsa-sha224", "sha224WithRSAEncryption",
    "2.16.840.1.101.3.4.2.4"
  ];
  Sha256(sha2::Sha256, 1) = [
    "sha256", "sha-256", "sha2-256", "rsa-sha256", "sha256WithRSAEncryption",
    "2.16.840.1.101.3.4.2.1"
  ];
  Sha384(sha2::Sha384, 4) = [
    "sha384", "sha-384", "sha2-384", "rsa-sha384", "sha384WithRSAEncryption",
    "2.16.840.1.101.3.4.2.2"
  ];
  Sha512(sha2::Sha512, 4) = [
    "sha512", "sha-512", "sha2-512", "rsa-sha512", "sha512WithRSAEncryption",
    "2.16.840.1.101.3.4.2.3"
  ];
  Sha512_224(sha2::Sha512_224, 4) = [
    "sha512-224", "sha-512/224", "sha2-512/224", "rsa-sha512/224", "sha512-224WithRSAEncryption",
    "2.16.840.1.101.3.4.2.5"
  ];
  Sha512_256(sha2::Sha512_256, 4) = [
    "sha512-256", "sha-512/256", "sha2-512/256", "rsa-sha512/256", "sha512-256WithRSAEncryption",
    "2.16.840.1.101.3.4.2.6"
  ];
  Sha3_224(sha3::Sha3_224, 3) = [
    "sha3-224", "rsa-sha3-224", "id-rsassa-pkcs1-v1_5-with-sha3-224", "2.16.840.1.101.3.4.2.7"
  ];
  Sha3_256(sha3::Sha3_256, 3) = [
    "sha3-256", "rsa-sha3-256", "id-rsassa-pkcs1-v1_5-with-sha3-256", "2.16.840.1.101.3.4.2.8"
  ];
  Sha3_384(sha3::Sha3_384, 4) = [
    "sha3-384", "rsa-sha3-384", "id-rsassa-pkcs1-v1_5-with-sha3-384", "2.16.840.1.101.3.4.2.9"
  ];
  Sha3_512(sha3::Sha3_512, 4) = [
    "sha3-512", "rsa-sha3-512", "id-rsassa-pkcs1-v1_5-with-sha3-512", "2.16.840.1.101.3.4.2.10"
  ];
  Ripemd160(ripemd::Ripemd160, 2) = [
    "ripemd160", "ripemd", "rmd160", "ripemd-160", "rsa-ripemd160", "ripemd160WithRSA",
    "1.3.36.3.2.1"
  ];
}

/// How an op returns a digest: as text in these encodings (a number, not
/// a name: strings cost more to hand over), as bytes for any other (the
/// guest converts those itself).
pub const HEX: u32 = 1;
pub const BASE64: u32 = 2;
pub const BASE64URL: u32 = 3;

/// A finished digest.
struct Output {
  bytes: [u8; MAX_DIGEST_BYTES],
  len: usize,
}

impl Output {
  fn of(d: &[u8]) -> Output {
    let mut bytes = [0u8; MAX_DIGEST_BYTES];
    let len = d.len().min(MAX_DIGEST_BYTES);
    bytes[..len].copy_from_slice(&d[..len]);
    Output { bytes, len }
  }

  fn as_slice(&self) -> &[u8] {
    &self.bytes[..self.len]
  }

  /// The digest as the guest asked for it ([`Encoding`]).
  fn encoded(&self, encoding: u32) -> OpValue<'static> {
    let name = match encoding {
      HEX => "hex",
      BASE64 => "base64",
      BASE64URL => "base64url",
      _ => return OpValue::Bytes(Cow::Owned(self.as_slice().to_vec())),
    };
    match super::text::ascii_text(self.as_slice(), name) {
      Some(s) => OpValue::Str(Cow::Owned(s)),
      None => OpValue::Bytes(Cow::Owned(self.as_slice().to_vec())),
    }
  }
}

/// A hash or an HMAC in progress (boxed: the states range from 100 to
/// 600 bytes).
#[derive(Clone)]
enum Ctx {
  Plain(Box<Plain>),
  Keyed(Box<Keyed>),
}

impl Ctx {
  fn new(alg: Alg, key: Option<&[u8]>) -> OpResult<Ctx> {
    match key {
      None => Ok(alg.plain()),
      Some(k) => alg.keyed(k),
    }
  }

  fn update(&mut self, data: &[u8]) {
    match self {
      Ctx::Plain(h) => h.update(data),
      Ctx::Keyed(m) => m.update(data),
    }
  }

  fn finish(self) -> Output {
    match self {
      Ctx::Plain(h) => (*h).finish(),
      Ctx::Keyed(m) => (*m).finish(),
    }
  }
}

/// The digest contexts of one process, by the id the guest holds. They
/// end with the process; `digest()` frees one sooner.
#[derive(Default)]
pub struct Contexts {
  next: u32,
  live: HashMap<u32, Ctx>,
}

impl Contexts {
  fn insert(&mut self, ctx: Ctx) -> OpResult<u32> {
    if self.live.len() >= MAX_HASH_CONTEXTS {
      return Err(OpError::coded(
        ErrorClass::Error,
        "ERR_SANDBOX_LIMIT",
        format!(
          "Too many hash contexts are open in this process (the sandbox allows {MAX_HASH_CONTEXTS}): call digest() on the ones no longer needed"
        ),
      ));
    }
    loop {
      self.next = self.next.wrapping_add(1).max(1);
      if let std::collections::hash_map::Entry::Vacant(e) = self.live.entry(self.next) {
        e.insert(ctx);
        return Ok(self.next);
      }
    }
  }

  fn get(&mut self, id: u32) -> OpResult<&mut Ctx> {
    self.live.get_mut(&id).ok_or_else(finalized)
  }

  fn take(&mut self, id: u32) -> OpResult<Ctx> {
    self.live.remove(&id).ok_or_else(finalized)
  }
}

fn internal(message: &'static str) -> OpError {
  OpError::coded(ErrorClass::Error, "ERR_INTERNAL_ASSERTION", message)
}

fn finalized() -> OpError {
  OpError::coded(
    ErrorClass::Error,
    "ERR_CRYPTO_HASH_FINALIZED",
    "Digest already called",
  )
}

fn too_large(what: &str, len: usize) -> OpError {
  OpError::coded(
    ErrorClass::RangeError,
    "ERR_SANDBOX_LIMIT",
    format!(
      "The {what} ({len} bytes) is over the {MAX_CRYPTO_INPUT_BYTES} bytes one crypto call may take in this sandbox"
    ),
  )
}

/// `input`'s bytes, refused past [`MAX_CRYPTO_INPUT_BYTES`].
fn bounded<'b>(input: &'b StrOrBytes<'_>, what: &str) -> OpResult<&'b [u8]> {
  let b = input.as_bytes();
  if b.len() > MAX_CRYPTO_INPUT_BYTES {
    return Err(too_large(what, b.len()));
  }
  Ok(b)
}

fn alg_at(index: u32) -> OpResult<Alg> {
  Alg::ALL
    .get(index as usize)
    .copied()
    .ok_or(OpError::OutOfRange {
      index: 0,
      name: "algorithm",
      range: Cow::Owned(format!(">= 0 && < {}", Alg::ALL.len())),
    })
}

/// The index of the algorithm Node knows as `name`, or -1.
pub fn alg(_: &mut OpState, name: &str) -> OpResult<i32> {
  Ok(match Alg::from_name(name) {
    Some(a) => Alg::ALL
      .iter()
      .position(|x| *x == a)
      .map_or(-1, |i| i as i32),
    None => -1,
  })
}

/// One digest (an HMAC when `key` is given) of `data`, in `encoding`.
pub fn digest(
  _: &mut OpState,
  alg: u32,
  key: Option<StrOrBytes<'_>>,
  data: StrOrBytes<'_>,
  encoding: u32,
) -> OpResult<OpValue<'static>> {
  let alg = alg_at(alg)?;
  let key = key.as_ref().map(|k| bounded(k, "key")).transpose()?;
  let mut ctx = Ctx::new(alg, key)?;
  ctx.update(bounded(&data, "data")?);
  Ok(ctx.finish().encoded(encoding))
}

/// [`digest`] for `subtle.digest`/`sign`: the promise settles later.
pub fn digest_async(
  s: &mut OpState,
  alg: u32,
  key: Option<StrOrBytes<'_>>,
  data: StrOrBytes<'_>,
  encoding: u32,
) -> OpResult<OpFuture> {
  let v = digest(s, alg, key, data, encoding)?;
  pending(std::future::ready(Ok(v)))
}

/// A context for `createHash`/`createHmac` (HMAC when `key` is given),
/// fed `data` first if given; its id.
pub fn hash_new(
  s: &mut OpState,
  alg: u32,
  key: Option<StrOrBytes<'_>>,
  data: Option<StrOrBytes<'_>>,
) -> OpResult<u32> {
  let alg = alg_at(alg)?;
  let key = key.as_ref().map(|k| bounded(k, "key")).transpose()?;
  let mut ctx = Ctx::new(alg, key)?;
  if let Some(d) = &data {
    ctx.update(bounded(d, "data")?);
  }
  s.process.crypto.insert(ctx)
}

pub fn hash_update(s: &mut OpState, id: u32, data: StrOrBytes<'_>) -> OpResult<()> {
  let data = bounded(&data, "data")?;
  s.process.crypto.get(id)?.update(data);
  Ok(())
}

/// Finishes context `id` (and frees it).
pub fn hash_digest(s: &mut OpState, id: u32, encoding: u32) -> OpResult<OpValue<'static>> {
  Ok(s.process.crypto.take(id)?.finish().encoded(encoding))
}

/// `hash.copy()`: a new context in the same state.
pub fn hash_copy(s: &mut OpState, id: u32) -> OpResult<u32> {
  let ctx = s.process.crypto.get(id)?.clone();
  s.process.crypto.insert(ctx)
}

fn limit(message: String) -> OpError {
  OpError::coded(ErrorClass::RangeError, "ERR_SANDBOX_LIMIT", message)
}

/// The compressions PBKDF2 makes (HMAC's two per iteration and block, the
/// salt hashed once per block, the password once), at `alg`'s cost.
fn pbkdf2_work(alg: Alg, password: usize, salt: usize, iterations: u32, keylen: usize) -> u128 {
  let block = alg.block_len().max(1) as u128;
  let blocks = keylen.div_ceil(alg.output_len().max(1)) as u128;
  let compressions = password as u128 / block
    + 2
    + blocks * (2 * iterations as u128 + (salt as u128 + 4) / block + 3);
  compressions * alg.cost()
}

/// `crypto.pbkdf2Sync`: fills `out` with the key.
pub fn pbkdf2(
  _: &mut OpState,
  alg: u32,
  password: StrOrBytes<'_>,
  salt: StrOrBytes<'_>,
  iterations: u32,
  mut out: GuestBuf<'_>,
) -> OpResult<()> {
  let alg = alg_at(alg)?;
  let password = bounded(&password, "password")?;
  let salt = bounded(&salt, "salt")?;
  if iterations == 0 {
    return Err(OpError::OutOfRange {
      index: 3,
      name: "iterations",
      range: Cow::Borrowed(">= 1 && <= 2147483647"),
    });
  }
  let work = pbkdf2_work(alg, password.len(), salt.len(), iterations, out.len());
  if work > MAX_KDF_WORK as u128 {
    return Err(limit(format!(
      "pbkdf2 with {iterations} iterations for a {}-byte key is more work than one call may do in this sandbox ({work} hash blocks; at most {MAX_KDF_WORK})",
      out.len()
    )));
  }
  alg.pbkdf2(password, salt, iterations, out.as_mut_slice());
  Ok(())
}

/// `crypto.pbkdf2`: the work is done now; the callback runs from the
/// event loop's poll phase, as Node's thread pool would call it.
pub fn pbkdf2_async(
  s: &mut OpState,
  alg: u32,
  password: StrOrBytes<'_>,
  salt: StrOrBytes<'_>,
  iterations: u32,
  out: GuestBuf<'_>,
) -> OpResult<OpFuture> {
  pbkdf2(s, alg, password, salt, iterations, out)?;
  pending(std::future::ready(Ok(OpValue::Undefined)))
}

const SCRYPT_PR_MAX: u64 = (1 << 30) - 1;

fn scrypt_invalid(openssl_reason: Option<&str>) -> OpError {
  let message = match openssl_reason {
    None => Cow::Borrowed("Invalid scrypt params"),
    Some(r) => Cow::Owned(format!("Invalid scrypt params: {r}")),
  };
  OpError::coded(
    ErrorClass::RangeError,
    "ERR_CRYPTO_INVALID_SCRYPT_PARAMS",
    message,
  )
}

const MEMORY_LIMIT_EXCEEDED: &str =
  "error:030000AC:digital envelope routines::memory limit exceeded";

/// OpenSSL's checks of scrypt's parameters (so Node's errors), and the
/// memory the parameters need by its count.
fn scrypt_check(n: u64, r: u64, p: u64, maxmem: u64) -> OpResult<u64> {
  if r == 0 || p == 0 || n < 2 || n & (n - 1) != 0 {
    return Err(scrypt_invalid(None));
  }
  let exceeded = || scrypt_invalid(Some(MEMORY_LIMIT_EXCEEDED));
  if p > SCRYPT_PR_MAX / r {
    return Err(exceeded());
  }
  // N < 2^(128 r / 8).
  if 16 * r < 64 && n >= 1u64 << (16 * r) {
    return Err(exceeded());
  }
  let b_len = p * 128 * r;
  if b_len > i32::MAX as u64 {
    return Err(exceeded());
  }
  let v_len = (128 * r as u128) * (n as u128 + 2);
  let total = v_len + b_len as u128;
  if total > maxmem as u128 {
    return Err(exceeded());
  }
  Ok(total as u64)
}

/// The work of scrypt: its Salsa20/8 cores (half a unit each, measured)
/// and SHA-256 compressions.
fn scrypt_work(n: u64, r: u64, p: u64, password: usize, salt: usize, keylen: usize) -> u128 {
  let (n, r, p) = (n as u128, r as u128, p as u128);
  let b_len = 128 * r * p;
  // ROMix: 2N BlockMix of 2r cores, for each of p blocks.
  2 * n * r * p
    // PBKDF2 into B: a 32-byte block at a time, each hashing the salt.
    + b_len.div_ceil(32) * ((salt as u128 + 4) / 64 + 3)
    // PBKDF2 out of B.
    + (keylen as u128).div_ceil(32) * ((b_len + 4) / 64 + 3)
    + 2 * (password as u128 / 64 + 2)
}

/// `crypto.scryptSync`: fills `out` with the key. `maxmem` is the guest's
/// (Node's) bound; the process's memory limit bounds it too.
#[allow(clippy::too_many_arguments, reason = "one op argument each")]
pub fn scrypt(
  s: &mut OpState,
  password: StrOrBytes<'_>,
  salt: StrOrBytes<'_>,
  n: u32,
  r: u32,
  p: u32,
  maxmem: u64,
  mut out: GuestBuf<'_>,
) -> OpResult<()> {
  let password = bounded(&password, "password")?;
  let salt = bounded(&salt, "salt")?;
  let (n64, r64, p64) = (n as u64, r as u64, p as u64);
  let memory = scrypt_check(n64, r64, p64, maxmem)?;
  let allowed = s.process.memory_limit;
  if memory > allowed {
    return Err(limit(format!(
      "scrypt with N={n}, r={r}, p={p} needs {memory} bytes of memory, over this sandbox's memory limit of {allowed}"
    )));
  }
  let work = scrypt_work(n64, r64, p64, password.len(), salt.len(), out.len());
  if work > MAX_KDF_WORK as u128 {
    return Err(limit(format!(
      "scrypt with N={n}, r={r}, p={p} for a {}-byte key is more work than one call may do in this sandbox ({work} blocks; at most {MAX_KDF_WORK})",
      out.len()
    )));
  }
  if out.is_empty() {
    return Ok(());
  }
  let params = scrypt::Params::new(
    n.trailing_zeros() as u8,
    r,
    p,
    scrypt::Params::RECOMMENDED_LEN,
  )
  .map_err(|_| scrypt_invalid(None))?;
  scrypt::scrypt(password, salt, &params, out.as_mut_slice()).map_err(|_| scrypt_invalid(None))
}

/// `crypto.scrypt`: as [`pbkdf2_async`].
#[allow(clippy::too_many_arguments, reason = "one op argument each")]
pub fn scrypt_async(
  s: &mut OpState,
  password: StrOrBytes<'_>,
  salt: StrOrBytes<'_>,
  n: u32,
  r: u32,
  p: u32,
  maxmem: u64,
  out: GuestBuf<'_>,
) -> OpResult<OpFuture> {
  scrypt(s, password, salt, n, r, p, maxmem, out)?;
  pending(std::future::ready(Ok(OpValue::Undefined)))
}

/// `crypto.timingSafeEqual`: compares in time that depends on the length
/// only.
pub fn timing_safe_equal(_: &mut OpState, a: GuestBuf<'_>, b: GuestBuf<'_>) -> OpResult<bool> {
  if a.len() != b.len() {
    return Err(OpError::coded(
      ErrorClass::RangeError,
      "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH",
      "Input buffers must have the same byte length",
    ));
  }
  Ok(a.as_slice().ct_eq(b.as_slice()).into())
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::kernel::syscall::tests::process;

  fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
  }

  fn index(name: &str) -> u32 {
    let mut s = process();
    let i = alg(&mut s, name).unwrap();
    assert!(i >= 0, "{name}");
    i as u32
  }

  fn text(v: OpValue<'_>) -> String {
    match v {
      OpValue::Str(s) => s.into_owned(),
      other => panic!("not text: {other:?}"),
    }
  }

  fn str_arg(s: &str) -> StrOrBytes<'_> {
    use crate::kernel::op::{Arg, FromArg};
    StrOrBytes::from_arg(Arg::Str(s), 0, "x").unwrap().unwrap()
  }

  fn code(enc: &str) -> u32 {
    match enc {
      "hex" => HEX,
      "base64" => BASE64,
      "base64url" => BASE64URL,
      _ => 0,
    }
  }

  fn one_shot(name: &str, key: Option<&str>, data: &str, enc: &str) -> String {
    let mut s = process();
    text(
      digest(
        &mut s,
        index(name),
        key.map(str_arg),
        str_arg(data),
        code(enc),
      )
      .unwrap(),
    )
  }

  /// Runs `f` with a guest buffer of `len` bytes; the bytes written.
  fn with_out(len: usize, f: impl FnOnce(GuestBuf<'_>) -> OpResult<()>) -> OpResult<Vec<u8>> {
    let mut v = vec![0u8; len];
    // SAFETY: `v` outlives the call and nothing else touches it meanwhile.
    let buf = unsafe { GuestBuf::from_raw(v.as_mut_ptr(), v.len()) };
    f(buf)?;
    Ok(v)
  }

  #[test]
  fn digests_match_known_vectors() {
    let abc = [
      ("md5", "900150983cd24fb0d6963f7d28e17f72"),
      ("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"),
      ("sha224", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
      ("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      ("sha384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
      ("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
      ("sha512-224", "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa"),
      ("sha512-256", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"),
      ("sha3-256", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
      ("ripemd160", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    ];
    for (name, want) in abc {
      assert_eq!(one_shot(name, None, "abc", "hex"), want, "{name}");
    }
    assert_eq!(
      one_shot("sha1", None, "abc", "base64"),
      "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
    );
    assert_eq!(
      one_shot("md5", None, "", "base64url"),
      "1B2M2Y8AsgTpgAmY7PhCfg"
    );
    // Another encoding: the bytes, for the guest to convert.
    let mut s = process();
    assert_eq!(
      digest(&mut s, index("md5"), None, str_arg(""), 0).unwrap(),
      OpValue::Bytes(Cow::Owned(vec![
        0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8, 0x42,
        0x7e
      ]))
    );
  }

  #[test]
  fn names_are_nodes_and_case_blind() {
    for (name, want) in [
      ("SHA256", Some(Alg::Sha256)),
      ("Sha-256", Some(Alg::Sha256)),
      ("RSA-SHA1", Some(Alg::Sha1)),
      ("sha512-256WithRSAEncryption", Some(Alg::Sha512_256)),
      ("2.16.840.1.101.3.4.2.1", Some(Alg::Sha256)),
      ("sha512/256", None),
      (" sha256", None),
      ("shake256", None),
      ("", None),
    ] {
      assert_eq!(Alg::from_name(name), want, "{name}");
    }
    let mut s = process();
    assert_eq!(alg(&mut s, "nope").unwrap(), -1);
    for (i, a) in Alg::ALL.iter().enumerate() {
      assert!(a.output_len() <= MAX_DIGEST_BYTES);
      assert_eq!(alg_at(i as u32).unwrap(), *a);
    }
    assert!(alg_at(Alg::ALL.len() as u32).is_err());
  }

  #[test]
  fn hmac_matches_rfc_vectors() {
    let data = "what do ya want for nothing?";
    // RFC 2202 and RFC 4231, test case 2.
    assert_eq!(
      one_shot("md5", Some("Jefe"), data, "hex"),
      "750c783e6ab0b503eaa86e310a5db738"
    );
    assert_eq!(
      one_shot("sha1", Some("Jefe"), data, "hex"),
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    );
    assert_eq!(
      one_shot("sha256", Some("Jefe"), data, "hex"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
      one_shot("sha512", Some("Jefe"), data, "hex"),
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
    );
    // An empty key is a key.
    assert_eq!(
      one_shot("sha256", Some(""), "", "hex"),
      "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"
    );
  }

  #[test]
  fn contexts_update_copy_and_free() {
    let mut s = process();
    let sha = index("sha256");
    let id = hash_new(&mut s, sha, None, Some(str_arg("a"))).unwrap();
    hash_update(&mut s, id, str_arg("b")).unwrap();
    let copy = hash_copy(&mut s, id).unwrap();
    assert_ne!(copy, id);
    hash_update(&mut s, id, str_arg("c")).unwrap();
    assert_eq!(
      text(hash_digest(&mut s, id, HEX).unwrap()),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // Digested: gone.
    assert!(matches!(
      hash_update(&mut s, id, str_arg("x")),
      Err(OpError::Coded {
        code: "ERR_CRYPTO_HASH_FINALIZED",
        ..
      })
    ));
    assert!(hash_digest(&mut s, id, HEX).is_err());
    // The copy kept "ab".
    assert_eq!(
      text(hash_digest(&mut s, copy, HEX).unwrap()),
      "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603"
    );
    let mac = hash_new(&mut s, sha, Some(str_arg("Jefe")), None).unwrap();
    hash_update(&mut s, mac, str_arg("what do ya want ")).unwrap();
    hash_update(&mut s, mac, str_arg("for nothing?")).unwrap();
    assert_eq!(
      text(hash_digest(&mut s, mac, HEX).unwrap()),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert!(s.process.crypto.live.is_empty());
  }

  #[test]
  fn live_contexts_are_bounded() {
    let mut s = process();
    let md5 = index("md5");
    let first = hash_new(&mut s, md5, None, None).unwrap();
    for _ in 1..MAX_HASH_CONTEXTS {
      hash_new(&mut s, md5, None, None).unwrap();
    }
    assert!(matches!(
      hash_new(&mut s, md5, None, None),
      Err(OpError::Coded {
        code: "ERR_SANDBOX_LIMIT",
        ..
      })
    ));
    assert!(hash_copy(&mut s, first).is_err());
    // A digest frees its slot.
    hash_digest(&mut s, first, HEX).unwrap();
    hash_new(&mut s, md5, None, None).unwrap();
  }

  #[test]
  fn pbkdf2_matches_rfc_6070() {
    let mut s = process();
    let run = |s: &mut OpState, alg_name: &str, pw: &str, salt: &str, c: u32, len: usize| {
      let a = index(alg_name);
      hex(&with_out(len, |out| pbkdf2(s, a, str_arg(pw), str_arg(salt), c, out)).unwrap())
    };
    assert_eq!(
      run(&mut s, "sha1", "password", "salt", 1, 20),
      "0c60c80f961f0e71f3a9b524af6012062fe037a6"
    );
    assert_eq!(
      run(&mut s, "sha1", "password", "salt", 4096, 20),
      "4b007901b765489abead49d926f721d065a429c1"
    );
    assert_eq!(
      run(
        &mut s,
        "sha1",
        "passwordPASSWORDpassword",
        "saltSALTsaltSALTsaltSALTsaltSALTsalt",
        4096,
        25
      ),
      "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"
    );
    assert_eq!(
      run(&mut s, "sha256", "password", "salt", 1, 32),
      "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
    );
    assert_eq!(run(&mut s, "sha256", "p", "s", 1, 0), "");
  }

  #[test]
  fn pbkdf2_work_is_bounded() {
    let mut s = process();
    let sha = index("sha256");
    let r = with_out(32, |out| {
      pbkdf2(&mut s, sha, str_arg("p"), str_arg("s"), 2_147_483_647, out)
    });
    assert!(matches!(
      r,
      Err(OpError::Coded {
        code: "ERR_SANDBOX_LIMIT",
        ..
      })
    ));
    // Many blocks of few iterations count too.
    let r = with_out(64 << 20, |out| {
      pbkdf2(&mut s, sha, str_arg("p"), str_arg("s"), 1, out)
    });
    assert!(r.is_err());
    // OWASP's advice for PBKDF2-HMAC-SHA256 fits.
    assert!(pbkdf2_work(Alg::Sha256, 16, 16, 600_000, 64) <= MAX_KDF_WORK as u128);
    assert!(pbkdf2_work(Alg::Sha1, 16, 16, 1_300_000, 20) <= MAX_KDF_WORK as u128);
    assert!(pbkdf2_work(Alg::Sha512, 16, 16, 210_000, 64) <= MAX_KDF_WORK as u128);
  }

  #[test]
  fn scrypt_matches_rfc_7914() {
    let mut s = process();
    let out = with_out(64, |out| {
      scrypt(&mut s, str_arg(""), str_arg(""), 16, 1, 1, 32 << 20, out)
    })
    .unwrap();
    assert_eq!(hex(&out), "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    let out = with_out(64, |out| {
      scrypt(
        &mut s,
        str_arg("password"),
        str_arg("NaCl"),
        1024,
        8,
        16,
        32 << 20,
        out,
      )
    })
    .unwrap();
    assert_eq!(hex(&out), "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  }

  #[test]
  fn scrypt_params_fail_as_openssl_does() {
    let check = |n: u64, r: u64, p: u64, maxmem: u64| match scrypt_check(n, r, p, maxmem) {
      Ok(_) => "ok".to_string(),
      Err(OpError::Coded { message, .. }) => message.into_owned(),
      Err(e) => format!("{e:?}"),
    };
    let mem = format!("Invalid scrypt params: {MEMORY_LIMIT_EXCEEDED}");
    assert_eq!(check(16384, 8, 1, 32 << 20), "ok");
    assert_eq!(check(1000, 8, 1, 32 << 20), "Invalid scrypt params");
    assert_eq!(check(1, 8, 1, 32 << 20), "Invalid scrypt params");
    assert_eq!(check(16, 0, 1, 32 << 20), "Invalid scrypt params");
    // 128 r (N + 2) + 128 r p must fit in maxmem.
    assert_eq!(check(1 << 15, 8, 1, 32 << 20), mem);
    assert_eq!(check(1 << 16, 8, 1, 1 << 26), mem);
    // N < 2^(16 r).
    assert_eq!(check(1 << 16, 1, 1, 1 << 40), mem);
    assert_eq!(check(1 << 15, 1, 1, 32 << 20), "ok");
    // r p < 2^30.
    assert_eq!(check(16, 1, 1 << 30, u64::MAX), mem);
    assert_eq!(check(16, 1 << 31, 1, u64::MAX), mem);
  }

  #[test]
  fn scrypt_is_bounded_by_memory_and_work() {
    let mut s = process();
    s.process.memory_limit = 8 << 20;
    let r = with_out(16, |out| {
      scrypt(
        &mut s,
        str_arg("p"),
        str_arg("s"),
        1 << 14,
        8,
        1,
        1 << 40,
        out,
      )
    });
    assert!(
      matches!(&r, Err(OpError::Coded { code: "ERR_SANDBOX_LIMIT", message, .. }) if message.contains("memory")),
      "{r:?}"
    );
    s.process.memory_limit = 1 << 40;
    let r = with_out(16, |out| {
      scrypt(
        &mut s,
        str_arg("p"),
        str_arg("s"),
        1 << 14,
        8,
        1 << 10,
        1 << 40,
        out,
      )
    });
    assert!(
      matches!(&r, Err(OpError::Coded { code: "ERR_SANDBOX_LIMIT", message, .. }) if message.contains("work")),
      "{r:?}"
    );
    // Node's defaults fit, with room.
    assert!(scrypt_work(16384, 8, 1, 16, 16, 64) * 4 <= MAX_KDF_WORK as u128);
    // A zero-length key checks the parameters and derives nothing.
    assert!(with_out(0, |out| scrypt(
      &mut s,
      str_arg("p"),
      str_arg("s"),
      3,
      8,
      1,
      1 << 30,
      out
    ))
    .is_err());
    assert!(with_out(0, |out| scrypt(
      &mut s,
      str_arg("p"),
      str_arg("s"),
      4,
      8,
      1,
      1 << 30,
      out
    ))
    .is_ok());
  }

  #[test]
  fn timing_safe_equal_needs_equal_lengths() {
    let mut s = process();
    let (mut a, mut b, mut c) = (*b"abcd", *b"abcd", *b"abc");
    // SAFETY: the arrays outlive the calls and are not otherwise used meanwhile.
    let (ga, gb) = unsafe {
      (
        GuestBuf::from_raw(a.as_mut_ptr(), 4),
        GuestBuf::from_raw(b.as_mut_ptr(), 4),
      )
    };
    assert_eq!(timing_safe_equal(&mut s, ga, gb), Ok(true));
    b[3] = b'x';
    // SAFETY: as above.
    let (ga, gb) = unsafe {
      (
        GuestBuf::from_raw(a.as_mut_ptr(), 4),
        GuestBuf::from_raw(b.as_mut_ptr(), 4),
      )
    };
    assert_eq!(timing_safe_equal(&mut s, ga, gb), Ok(false));
    // SAFETY: as above.
    let (ga, gc) = unsafe {
      (
        GuestBuf::from_raw(a.as_mut_ptr(), 4),
        GuestBuf::from_raw(c.as_mut_ptr(), 3),
      )
    };
    assert!(matches!(
      timing_safe_equal(&mut s, ga, gc),
      Err(OpError::Coded {
        code: "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH",
        ..
      })
    ));
  }
}
