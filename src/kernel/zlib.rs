//! zlib and brotli streams for `require('zlib')`: one handle per guest
//! stream, as Node's `binding.Zlib`/`BrotliEncoder`/`BrotliDecoder`. The
//! guest drives a handle the way Node's zlib.js drives its binding: each
//! `write` takes a flush flag, a window of the guest's input and a window
//! of a guest output buffer, and leaves how much of each is still free in
//! the guest's two-number state array. Output goes straight into the
//! guest's buffer: a call never allocates on the host beyond the
//! compressor's own state, so a decompression bomb costs the guest its own
//! memory (bounded by its heap and ArrayBuffer limits), one chunk at a time.
//!
//! Compressor state is host memory the guest can make us hold, so every
//! handle counts against [`MAX_ZLIB_MEMORY_BYTES`] per process: zlib by a
//! bound on its fixed state (zlib-rs allocates it all at init), brotli by
//! what it really allocates, through [`BudgetAlloc`]. Handles live in the
//! process's `OpState` and go when the process ends.
//!
//! Crates: `zlib-rs` (the Trifecta Tech Foundation's pure-Rust port of
//! zlib, also flate2's backend) keeps zlib's API and its error messages
//! ("incorrect header check", ...), which Node reports verbatim; `brotli`
//! (Dropbox's pure-Rust port of Google's brotli) gives the streaming
//! encoder and decoder with custom allocators.
use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::rc::Rc;

use brotli::enc::combined_alloc::BrotliAlloc;
use brotli::enc::encode::{
  BrotliEncoderOperation, BrotliEncoderParameter, BrotliEncoderStateStruct,
};
use brotli::{
  Allocator, BrotliDecompressStream, BrotliResult, BrotliState, SliceWrapper, SliceWrapperMut,
};
use zlib_rs::{Deflate, DeflateConfig, DeflateFlush, Inflate, InflateFlush, Status, Strategy};

use super::error::{ErrorClass, OpError};
use super::limits::{MAX_ZLIB_MEMORY_BYTES, MAX_ZLIB_STREAMS};
use super::op::{GuestBuf, OpResult, OpValue, StrOrBytes};
use super::syscall::OpState;

/// Node's zlib modes (`binding.Zlib(mode)`), as `zlib.constants` numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
  Deflate = 1,
  Inflate = 2,
  Gzip = 3,
  Gunzip = 4,
  DeflateRaw = 5,
  InflateRaw = 6,
  Unzip = 7,
  BrotliDecode = 8,
  BrotliEncode = 9,
}

impl Mode {
  fn from_u32(n: u32) -> Option<Mode> {
    Some(match n {
      1 => Mode::Deflate,
      2 => Mode::Inflate,
      3 => Mode::Gzip,
      4 => Mode::Gunzip,
      5 => Mode::DeflateRaw,
      6 => Mode::InflateRaw,
      7 => Mode::Unzip,
      8 => Mode::BrotliDecode,
      9 => Mode::BrotliEncode,
      _ => return None,
    })
  }

  fn compresses(self) -> bool {
    matches!(self, Mode::Deflate | Mode::Gzip | Mode::DeflateRaw)
  }
}

// zlib's return codes, as Node reports them in `errno` and `code`.
const Z_OK: i32 = 0;
const Z_STREAM_END: i32 = 1;
const Z_NEED_DICT: i32 = 2;
const Z_STREAM_ERROR: i32 = -2;
const Z_DATA_ERROR: i32 = -3;
const Z_MEM_ERROR: i32 = -4;
const Z_BUF_ERROR: i32 = -5;
const Z_FINISH: u32 = 4;
const BROTLI_OPERATION_FINISH: u32 = 2;

fn zlib_code_name(code: i32) -> &'static str {
  match code {
    Z_OK => "Z_OK",
    Z_STREAM_END => "Z_STREAM_END",
    Z_NEED_DICT => "Z_NEED_DICT",
    -1 => "Z_ERRNO",
    Z_STREAM_ERROR => "Z_STREAM_ERROR",
    Z_DATA_ERROR => "Z_DATA_ERROR",
    Z_MEM_ERROR => "Z_MEM_ERROR",
    Z_BUF_ERROR => "Z_BUF_ERROR",
    -6 => "Z_VERSION_ERROR",
    _ => "Z_UNKNOWN_ERROR",
  }
}

/// The name C brotli's `BrotliDecoderErrorString` gives an error code (its
/// enum name without `BROTLI_DECODER`); Node reports it as `ERR_<name>`.
fn brotli_error_name(code: i32) -> &'static str {
  match code {
    -1 => "_ERROR_FORMAT_EXUBERANT_NIBBLE",
    -2 => "_ERROR_FORMAT_RESERVED",
    -3 => "_ERROR_FORMAT_EXUBERANT_META_NIBBLE",
    -4 => "_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET",
    -5 => "_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME",
    -6 => "_ERROR_FORMAT_CL_SPACE",
    -7 => "_ERROR_FORMAT_HUFFMAN_SPACE",
    -8 => "_ERROR_FORMAT_CONTEXT_MAP_REPEAT",
    -9 => "_ERROR_FORMAT_BLOCK_LENGTH_1",
    -10 => "_ERROR_FORMAT_BLOCK_LENGTH_2",
    -11 => "_ERROR_FORMAT_TRANSFORM",
    -12 => "_ERROR_FORMAT_DICTIONARY",
    -13 => "_ERROR_FORMAT_WINDOW_BITS",
    -14 => "_ERROR_FORMAT_PADDING_1",
    -15 => "_ERROR_FORMAT_PADDING_2",
    -16 => "_ERROR_FORMAT_DISTANCE",
    -18 => "_ERROR_COMPOUND_DICTIONARY",
    -19 => "_ERROR_DICTIONARY_NOT_SET",
    -20 => "_ERROR_INVALID_ARGUMENTS",
    -21 => "_ERROR_ALLOC_CONTEXT_MODES",
    -22 => "_ERROR_ALLOC_TREE_GROUPS",
    -25 => "_ERROR_ALLOC_CONTEXT_MAP",
    -26 => "_ERROR_ALLOC_RING_BUFFER_1",
    -27 => "_ERROR_ALLOC_RING_BUFFER_2",
    -30 => "_ERROR_ALLOC_BLOCK_TYPE_TREES",
    _ => "_ERROR_UNREACHABLE",
  }
}

/// An error of one write, as Node's binding reports it to zlib.js
/// (`onerror(message, errno, code)`): a value, not a thrown error.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamError {
  message: String,
  code: String,
  errno: i32,
}

impl StreamError {
  fn new(message: impl Into<String>, code: impl Into<String>, errno: i32) -> StreamError {
    StreamError {
      message: message.into(),
      code: code.into(),
      errno,
    }
  }

  fn out_of_memory() -> StreamError {
    StreamError::new(
      format!(
        "Out of memory: the zlib and brotli streams of this process may hold {} MiB",
        MAX_ZLIB_MEMORY_BYTES >> 20
      ),
      "Z_MEM_ERROR",
      Z_MEM_ERROR,
    )
  }

  fn into_value(self) -> OpValue<'static> {
    OpValue::Strings(vec![self.message, self.code, self.errno.to_string()])
  }
}

/// Raised (by unwinding, without the panic hook) when brotli asks for more
/// memory than the process's budget has left.
struct OverBudget;

/// Host bytes the process's zlib and brotli streams hold.
#[derive(Clone, Default)]
struct Budget(Rc<Cell<usize>>);

impl Budget {
  fn try_charge(&self, bytes: usize) -> bool {
    let used = self.0.get();
    match used.checked_add(bytes) {
      Some(n) if n <= MAX_ZLIB_MEMORY_BYTES => {
        self.0.set(n);
        true
      }
      _ => false,
    }
  }

  fn release(&self, bytes: usize) {
    self.0.set(self.0.get().saturating_sub(bytes));
  }
}

/// brotli's allocator, charged to the process's budget: an allocation over
/// it unwinds with [`OverBudget`], which the op turns into Z_MEM_ERROR
/// (brotli's allocator interface cannot fail).
#[derive(Clone)]
struct BudgetAlloc(Budget);

/// One allocation of [`BudgetAlloc`]; gives its bytes back when dropped.
pub struct Block<T> {
  data: Box<[T]>,
  budget: Option<Budget>,
}

impl<T> Default for Block<T> {
  fn default() -> Self {
    Block {
      data: Box::new([]),
      budget: None,
    }
  }
}

impl<T> SliceWrapper<T> for Block<T> {
  fn slice(&self) -> &[T] {
    &self.data
  }
}

impl<T> SliceWrapperMut<T> for Block<T> {
  fn slice_mut(&mut self) -> &mut [T] {
    &mut self.data
  }
}

impl<T> Drop for Block<T> {
  fn drop(&mut self) {
    if let Some(b) = &self.budget {
      b.release(std::mem::size_of_val(&*self.data));
    }
  }
}

impl<T: Clone + Default> Allocator<T> for BudgetAlloc {
  type AllocatedMemory = Block<T>;

  fn alloc_cell(&mut self, len: usize) -> Block<T> {
    if len == 0 {
      return Block::default();
    }
    let bytes = len.saturating_mul(std::mem::size_of::<T>().max(1));
    if !self.0.try_charge(bytes) {
      resume_unwind(Box::new(OverBudget));
    }
    Block {
      data: vec![T::default(); len].into_boxed_slice(),
      budget: Some(self.0.clone()),
    }
  }

  fn free_cell(&mut self, data: Block<T>) {
    drop(data);
  }
}

impl BrotliAlloc for BudgetAlloc {}

type BrotliDecoder = BrotliState<BudgetAlloc, BudgetAlloc, BudgetAlloc>;

enum Engine {
  Deflate(Deflate),
  Inflate(Inflate),
  BrotliEncode(Box<BrotliEncoderStateStruct<BudgetAlloc>>),
  BrotliDecode(Box<BrotliDecoder>),
  /// Brotli failed part-way (over budget); the stream cannot go on.
  Broken,
}

/// zlib's settings of a handle, kept to make it again (`reset`, and each
/// new member of a gzip file).
#[derive(Clone, Copy)]
struct ZlibConfig {
  window_bits: i32,
  level: i32,
  mem_level: i32,
  strategy: i32,
}

struct Handle {
  mode: Mode,
  /// The mode it was made with (unzip becomes gunzip or inflate).
  initial_mode: Mode,
  engine: Engine,
  config: ZlibConfig,
  dictionary: Vec<u8>,
  /// Unzip: how many bytes of the gzip magic number were seen.
  gzip_id_bytes: u8,
  /// Budget bytes charged for a zlib state (brotli charges as it allocates).
  charged: usize,
  /// Brotli encoder: its window (log2), and whether it has been written to.
  brotli_lgwin: u32,
  started: bool,
}

/// The zlib handles of one guest process.
#[derive(Default)]
pub struct ZlibStreams {
  handles: HashMap<u32, Handle>,
  next: u32,
  budget: Budget,
}

impl ZlibStreams {
  fn insert(&mut self, handle: Handle) -> OpResult<u32> {
    if self.handles.len() >= MAX_ZLIB_STREAMS {
      self.budget.release(handle.charged);
      return Err(init_failed(format!(
        "a process may have {MAX_ZLIB_STREAMS} zlib streams open"
      )));
    }
    loop {
      self.next = self.next.wrapping_add(1).max(1);
      if !self.handles.contains_key(&self.next) {
        self.handles.insert(self.next, handle);
        return Ok(self.next);
      }
    }
  }

  fn get(&mut self, id: u32) -> OpResult<&mut Handle> {
    self.handles.get_mut(&id).ok_or_else(|| {
      OpError::coded(
        ErrorClass::Error,
        "ERR_INVALID_STATE",
        "Invalid state: zlib binding closed",
      )
    })
  }
}

impl ZlibStreams {
  /// Closes handle `id`: its state is freed and its estimate given back.
  pub fn close(&mut self, id: u32) {
    if let Some(h) = self.handles.remove(&id) {
      self.budget.release(h.charged);
    }
  }
}

fn init_failed(why: String) -> OpError {
  OpError::coded(
    ErrorClass::Error,
    "ERR_ZLIB_INITIALIZATION_FAILED",
    format!("Initialization failed: {why}"),
  )
}

fn out_of_range(name: &'static str, range: &str, value: impl std::fmt::Display) -> OpError {
  OpError::coded(
    ErrorClass::RangeError,
    "ERR_OUT_OF_RANGE",
    format!("The value of \"{name}\" is out of range. It must be {range}. Received {value}"),
  )
}

/// Host bytes a zlib state of these settings holds, at most (zlib-rs
/// allocates it all when the stream is made; measured: 371 KiB for
/// deflate's defaults, 46 KiB for inflate).
fn zlib_state_bytes(mode: Mode, window_bits: i32, mem_level: i32) -> usize {
  if mode.compresses() {
    let wb = window_bits.clamp(8, 15) as u32;
    let ml = mem_level.clamp(1, 9) as u32;
    (160 << 10) + (1 << (wb + 2)) + (1 << (ml + 10))
  } else {
    64 << 10
  }
}

fn strategy_of(n: i32) -> Strategy {
  match n {
    1 => Strategy::Filtered,
    2 => Strategy::HuffmanOnly,
    3 => Strategy::Rle,
    4 => Strategy::Fixed,
    _ => Strategy::Default,
  }
}

/// A zlib engine for `mode` (not brotli), as Node's `ZlibContext::Init`.
fn new_zlib_engine(mode: Mode, c: ZlibConfig) -> Engine {
  match mode {
    Mode::Deflate | Mode::Gzip | Mode::DeflateRaw => {
      let window_bits = match mode {
        Mode::Gzip => c.window_bits + 16,
        Mode::DeflateRaw => -c.window_bits,
        _ => c.window_bits,
      };
      Engine::Deflate(Deflate::new_with_config(DeflateConfig {
        level: c.level,
        method: Default::default(),
        window_bits,
        mem_level: c.mem_level,
        strategy: strategy_of(c.strategy),
      }))
    }
    Mode::InflateRaw => Engine::Inflate(Inflate::new(false, c.window_bits as u8)),
    Mode::Gunzip => Engine::Inflate(Inflate::new(true, (c.window_bits + 16) as u8)),
    Mode::Unzip => Engine::Inflate(Inflate::new(true, (c.window_bits + 32) as u8)),
    _ => Engine::Inflate(Inflate::new(true, c.window_bits as u8)),
  }
}

/// `new binding.Zlib(mode).init(windowBits, level, memLevel, strategy, ...,
/// dictionary)`: a zlib handle (not brotli).
pub fn init(
  s: &mut OpState,
  mode: u32,
  window_bits: i32,
  level: i32,
  mem_level: i32,
  strategy: i32,
  dictionary: Option<GuestBuf<'_>>,
) -> OpResult<u32> {
  let dictionary = dictionary.as_ref().map_or(&[][..], |d| d.as_slice());
  s.zlib
    .init_zlib(mode, window_bits, level, mem_level, strategy, dictionary)
}

impl ZlibStreams {
  /// A zlib handle, with Node's ranges checked here too (zlib.js checks
  /// them, but a guest can call the op directly).
  pub fn init_zlib(
    &mut self,
    mode: u32,
    window_bits: i32,
    level: i32,
    mem_level: i32,
    strategy: i32,
    dictionary: &[u8],
  ) -> OpResult<u32> {
    let mode = match Mode::from_u32(mode) {
      Some(m) if m != Mode::BrotliDecode && m != Mode::BrotliEncode => m,
      _ => return Err(out_of_range("mode", ">= 1 && <= 7", mode)),
    };
    let inflating = matches!(mode, Mode::Inflate | Mode::Gunzip | Mode::Unzip);
    let min_wb = if mode == Mode::Gzip { 9 } else { 8 };
    let header_window = inflating && window_bits == 0;
    if !(header_window || (min_wb..=15).contains(&window_bits)) {
      return Err(out_of_range(
        "windowBits",
        &format!(">= {min_wb} and <= 15"),
        window_bits,
      ));
    }
    // Raw deflate with an 8-bit window is refused by zlib; Node uses 9.
    let window_bits = if mode == Mode::DeflateRaw && window_bits == 8 {
      9
    } else {
      window_bits
    };
    if !(-1..=9).contains(&level) {
      return Err(out_of_range("level", ">= -1 and <= 9", level));
    }
    if !(1..=9).contains(&mem_level) {
      return Err(out_of_range("memLevel", ">= 1 and <= 9", mem_level));
    }
    if !(0..=4).contains(&strategy) {
      return Err(out_of_range("strategy", ">= 0 and <= 4", strategy));
    }
    // The dictionary is kept (for reset and for inflate's request of it),
    // so it counts against the budget too.
    let cost = zlib_state_bytes(mode, window_bits, mem_level).saturating_add(dictionary.len());
    if !self.budget.try_charge(cost) {
      return Err(init_failed(format!(
        "the zlib and brotli streams of this process may hold {} MiB",
        MAX_ZLIB_MEMORY_BYTES >> 20
      )));
    }
    let config = ZlibConfig {
      window_bits,
      level,
      mem_level,
      strategy,
    };
    let mut handle = Handle {
      mode,
      initial_mode: mode,
      engine: new_zlib_engine(mode, config),
      config,
      dictionary: dictionary.to_vec(),
      gzip_id_bytes: 0,
      charged: cost,
      brotli_lgwin: 0,
      started: false,
    };
    if let Err(e) = set_dictionary(&mut handle) {
      self.budget.release(cost);
      return Err(init_failed(e.message));
    }
    self.insert(handle)
  }
}

/// Node's `ZlibContext::SetDictionary`: deflate and raw inflate take the
/// dictionary up front; inflate takes it when the stream asks for it.
fn set_dictionary(h: &mut Handle) -> Result<(), StreamError> {
  if h.dictionary.is_empty() {
    return Ok(());
  }
  let ok = match (&mut h.engine, h.mode) {
    (Engine::Deflate(d), Mode::Deflate | Mode::DeflateRaw) => {
      d.set_dictionary(&h.dictionary).is_ok()
    }
    (Engine::Inflate(i), Mode::InflateRaw) => i.set_dictionary(&h.dictionary).is_ok(),
    _ => true,
  };
  if ok {
    Ok(())
  } else {
    Err(StreamError::new(
      "Failed to set dictionary",
      "Z_STREAM_ERROR",
      Z_STREAM_ERROR,
    ))
  }
}

// Brotli's parameter numbers, as `zlib.constants` has them.
const BROTLI_PARAM_LARGE_WINDOW: usize = 6;
const BROTLI_DECODER_PARAM_LARGE_WINDOW: usize = 1;
const UNSET: u32 = u32::MAX;

fn brotli_param(id: usize) -> Option<BrotliEncoderParameter> {
  Some(match id {
    0 => BrotliEncoderParameter::BROTLI_PARAM_MODE,
    1 => BrotliEncoderParameter::BROTLI_PARAM_QUALITY,
    2 => BrotliEncoderParameter::BROTLI_PARAM_LGWIN,
    3 => BrotliEncoderParameter::BROTLI_PARAM_LGBLOCK,
    4 => BrotliEncoderParameter::BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING,
    5 => BrotliEncoderParameter::BROTLI_PARAM_SIZE_HINT,
    6 => BrotliEncoderParameter::BROTLI_PARAM_LARGE_WINDOW,
    _ => return None,
  })
}

/// A parameter value as C brotli would use it: clamped to the ranges its
/// encoder sanitizes to (the Rust port takes some values unchecked).
fn brotli_value(id: usize, v: u32, large_window: bool) -> u32 {
  match id {
    0 if v > 2 => 0,
    1 => v.min(11),
    2 => v.clamp(10, if large_window { 30 } else { 24 }),
    3 if v != 0 => v.clamp(16, 24),
    4 => u32::from(v != 0),
    _ => v,
  }
}

/// `new binding.BrotliEncoder|BrotliDecoder(mode).init(params, ...)`:
/// `params` is Node's Uint32Array of parameter values by number, unset
/// ones 0xFFFFFFFF.
pub fn init_brotli(s: &mut OpState, mode: u32, params: GuestBuf<'_>) -> OpResult<u32> {
  let values: Vec<u32> = params
    .as_slice()
    .chunks_exact(4)
    .take(64)
    .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
    .collect();
  s.zlib.init_brotli(mode, &values)
}

impl ZlibStreams {
  /// A brotli handle; `values[id]` is parameter `id`, or `UNSET`.
  pub fn init_brotli(&mut self, mode: u32, values: &[u32]) -> OpResult<u32> {
    let mode = match Mode::from_u32(mode) {
      Some(m @ (Mode::BrotliDecode | Mode::BrotliEncode)) => m,
      _ => return Err(out_of_range("mode", ">= 8 && <= 9", mode)),
    };
    // Large windows (up to 1 GiB) are allowed as in Node: the budget
    // refuses what they would really allocate.
    let large = values
      .get(BROTLI_PARAM_LARGE_WINDOW)
      .is_some_and(|&v| v != UNSET && v != 0);
    let lgwin = match values.get(2) {
      Some(&v) if v != UNSET => brotli_value(2, v, large),
      _ => 22,
    };
    let alloc = BudgetAlloc(self.budget.clone());
    let made = catch_unwind(AssertUnwindSafe(|| -> Result<Engine, String> {
      if mode == Mode::BrotliEncode {
        let mut enc = Box::new(BrotliEncoderStateStruct::new(alloc));
        for (id, &v) in values.iter().enumerate() {
          if v == UNSET {
            continue;
          }
          // NPOSTFIX and NDIRECT (7, 8) tune the encoding only; this
          // encoder picks its own.
          if id == 7 || id == 8 {
            continue;
          }
          let Some(p) = brotli_param(id) else {
            return Err(format!("{id} is not a valid Brotli parameter"));
          };
          if !enc.set_parameter(p, brotli_value(id, v, large)) {
            return Err(format!("parameter {id} was refused"));
          }
        }
        Ok(Engine::BrotliEncode(enc))
      } else {
        let mut dec = Box::new(BrotliState::new_strict(alloc.clone(), alloc.clone(), alloc));
        use brotli_decompressor::BrotliDecoderParameter as P;
        if values.first().is_some_and(|&v| v != UNSET && v != 0) {
          dec.set_parameter(P::BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION, 1);
        }
        if values
          .get(BROTLI_DECODER_PARAM_LARGE_WINDOW)
          .is_some_and(|&v| v != UNSET && v != 0)
        {
          dec.set_parameter(P::BROTLI_DECODER_PARAM_LARGE_WINDOW, 1);
        }
        if values.iter().skip(2).any(|&v| v != UNSET) {
          return Err("not a valid Brotli decoder parameter".into());
        }
        Ok(Engine::BrotliDecode(dec))
      }
    }));
    let engine = match made {
      Ok(Ok(e)) => e,
      Ok(Err(why)) => return Err(init_failed(why)),
      Err(_) => return Err(init_failed(StreamError::out_of_memory().message)),
    };
    self.insert(Handle {
      mode,
      initial_mode: mode,
      engine,
      config: ZlibConfig {
        window_bits: 0,
        level: 0,
        mem_level: 0,
        strategy: 0,
      },
      dictionary: Vec::new(),
      gzip_id_bytes: 0,
      charged: 0,
      brotli_lgwin: lgwin,
      started: false,
    })
  }
}

/// A window `[off, off + len)` of a guest buffer, checked.
fn window(len_total: usize, off: u64, len: u64, name: &'static str) -> OpResult<(usize, usize)> {
  let end = off.checked_add(len);
  match end {
    Some(e) if e <= len_total as u64 && len <= u64::from(u32::MAX) => {
      Ok((off as usize, len as usize))
    }
    _ => Err(out_of_range(
      name,
      &format!("within the buffer's {len_total} bytes"),
      format!("{off}+{len}"),
    )),
  }
}

/// `handle.write(flush, in, inOff, inLen, out, outOff, outLen)`: runs the
/// engine over the input window into the output window, leaves
/// `[availOutAfter, availInAfter]` in `state` (a Uint32Array of 2), and
/// returns the stream's error as `[message, code, errno]`, or nothing.
#[allow(clippy::too_many_arguments, reason = "Node's binding signature")]
pub fn write(
  s: &mut OpState,
  id: u32,
  flush: u32,
  input: Option<GuestBuf<'_>>,
  in_off: u64,
  in_len: u64,
  mut output: GuestBuf<'_>,
  out_off: u64,
  out_len: u64,
  mut state: GuestBuf<'_>,
) -> OpResult<OpValue<'static>> {
  if state.len() < 8 {
    return Err(OpError::coded(
      ErrorClass::TypeError,
      "ERR_INVALID_ARG_TYPE",
      "The \"state\" argument must be a Uint32Array of 2",
    ));
  }
  let input: &[u8] = match &input {
    Some(b) => b.as_slice(),
    None => &[],
  };
  let (ioff, ilen) = window(input.len(), in_off, in_len, "inOff")?;
  let (ooff, olen) = window(output.len(), out_off, out_len, "outOff")?;
  let inp = &input[ioff..ioff + ilen];
  let out = &mut output.as_mut_slice()[ooff..ooff + olen];
  let (consumed, written, result) = s.zlib.write(id, flush, inp, out)?;
  // Windows are at most u32::MAX bytes (checked by `window`).
  let avail_out = (olen - written) as u32;
  let avail_in = (ilen - consumed) as u32;
  let st = state.as_mut_slice();
  st[0..4].copy_from_slice(&avail_out.to_ne_bytes());
  st[4..8].copy_from_slice(&avail_in.to_ne_bytes());
  Ok(match result {
    Ok(()) => OpValue::Undefined,
    Err(e) => e.into_value(),
  })
}

impl ZlibStreams {
  /// One write of handle `id`: how much of `inp` it read and of `out` it
  /// wrote, and the stream's error if it failed.
  pub fn write(
    &mut self,
    id: u32,
    flush: u32,
    inp: &[u8],
    out: &mut [u8],
  ) -> OpResult<(usize, usize, Result<(), StreamError>)> {
    let h = self.get(id)?;
    let max_flush = if matches!(h.mode, Mode::BrotliDecode | Mode::BrotliEncode) {
      3
    } else {
      6
    };
    if flush > max_flush {
      return Err(out_of_range(
        "flush",
        &format!(">= 0 and <= {max_flush}"),
        flush,
      ));
    }
    Ok(match h.mode {
      Mode::BrotliEncode | Mode::BrotliDecode => brotli_write(h, flush, inp, out),
      _ => zlib_write(h, flush, inp, out),
    })
  }
}

fn inflate_flush(flush: u32) -> InflateFlush {
  match flush {
    2 => InflateFlush::SyncFlush,
    4 => InflateFlush::Finish,
    5 => InflateFlush::Block,
    6 => InflateFlush::Trees,
    _ => InflateFlush::NoFlush,
  }
}

fn deflate_flush(flush: u32) -> DeflateFlush {
  match flush {
    1 => DeflateFlush::PartialFlush,
    2 => DeflateFlush::SyncFlush,
    3 => DeflateFlush::FullFlush,
    4 => DeflateFlush::Finish,
    5 => DeflateFlush::Block,
    _ => DeflateFlush::NoFlush,
  }
}

/// zlib's return code of one call, and how much it read and wrote.
fn zlib_call(engine: &mut Engine, flush: u32, inp: &[u8], out: &mut [u8]) -> (usize, usize, i32) {
  match engine {
    Engine::Deflate(d) => {
      let (i0, o0) = (d.total_in(), d.total_out());
      let r = d.compress(inp, out, deflate_flush(flush));
      let code = match r {
        Ok(Status::Ok) => Z_OK,
        Ok(Status::BufError) => Z_BUF_ERROR,
        Ok(Status::StreamEnd) => Z_STREAM_END,
        Err(e) => zlib_rs_code(e as i32),
      };
      (
        (d.total_in() - i0) as usize,
        (d.total_out() - o0) as usize,
        code,
      )
    }
    Engine::Inflate(i) => {
      let (i0, o0) = (i.total_in(), i.total_out());
      let r = i.decompress(inp, out, inflate_flush(flush));
      let code = match r {
        Ok(Status::Ok) => Z_OK,
        Ok(Status::BufError) => Z_BUF_ERROR,
        Ok(Status::StreamEnd) => Z_STREAM_END,
        Err(zlib_rs::InflateError::NeedDict { .. }) => Z_NEED_DICT,
        Err(zlib_rs::InflateError::StreamError) => Z_STREAM_ERROR,
        Err(zlib_rs::InflateError::DataError) => Z_DATA_ERROR,
        Err(zlib_rs::InflateError::MemError) => Z_MEM_ERROR,
      };
      (
        (i.total_in() - i0) as usize,
        (i.total_out() - o0) as usize,
        code,
      )
    }
    _ => (0, 0, Z_STREAM_ERROR),
  }
}

fn zlib_rs_code(n: i32) -> i32 {
  match n {
    -3 => Z_DATA_ERROR,
    -4 => Z_MEM_ERROR,
    _ => Z_STREAM_ERROR,
  }
}

fn zlib_message(engine: &Engine) -> Option<&'static str> {
  match engine {
    Engine::Deflate(d) => d.error_message(),
    Engine::Inflate(i) => i.error_message(),
    _ => None,
  }
}

/// Node's `ZlibContext::DoThreadPoolWork` and `CheckError` for one write.
fn zlib_write(
  h: &mut Handle,
  flush: u32,
  inp: &[u8],
  out: &mut [u8],
) -> (usize, usize, Result<(), StreamError>) {
  let mut consumed = 0;
  let mut written = 0;
  if h.mode == Mode::Unzip && !inp.is_empty() {
    // The gzip magic number (0x1f 0x8b) makes this a gunzip stream, which
    // may hold several members; anything else is plain inflate.
    let mut at = 0;
    if h.gzip_id_bytes == 0 {
      if inp[0] == 0x1f {
        h.gzip_id_bytes = 1;
        at = 1;
      } else {
        h.mode = Mode::Inflate;
      }
    }
    if h.mode == Mode::Unzip && h.gzip_id_bytes == 1 && at < inp.len() {
      if inp[at] == 0x8b {
        h.gzip_id_bytes = 2;
        h.mode = Mode::Gunzip;
      } else {
        h.mode = Mode::Inflate;
      }
    }
  }
  let (c, w, mut err) = zlib_call(&mut h.engine, flush, inp, out);
  consumed += c;
  written += w;
  if h.mode != Mode::InflateRaw && err == Z_NEED_DICT && !h.dictionary.is_empty() {
    if let Engine::Inflate(i) = &mut h.engine {
      err = match i.set_dictionary(&h.dictionary) {
        Ok(_) => {
          let (c, w, e) = zlib_call(&mut h.engine, flush, &inp[consumed..], &mut out[written..]);
          consumed += c;
          written += w;
          e
        }
        // As Node: tell a bad dictionary from bad input.
        Err(_) => Z_NEED_DICT,
      };
    }
  }
  while h.mode == Mode::Gunzip && err == Z_STREAM_END && consumed < inp.len() && inp[consumed] != 0
  {
    // Another member of the same gzip file (or trailing garbage, which
    // the new member's header check reports).
    h.engine = new_zlib_engine(Mode::Gunzip, h.config);
    let (c, w, e) = zlib_call(&mut h.engine, flush, &inp[consumed..], &mut out[written..]);
    consumed += c;
    written += w;
    err = e;
  }
  let avail_out = out.len() - written;
  let fail = |default: &str, code: i32| {
    let message = zlib_message(&h.engine).unwrap_or(default);
    Err(StreamError::new(message, zlib_code_name(code), code))
  };
  let result = match err {
    Z_OK | Z_BUF_ERROR if avail_out != 0 && flush == Z_FINISH => {
      fail("unexpected end of file", err)
    }
    Z_OK | Z_BUF_ERROR | Z_STREAM_END => Ok(()),
    Z_NEED_DICT if h.dictionary.is_empty() => fail("Missing dictionary", err),
    Z_NEED_DICT => fail("Bad dictionary", err),
    _ => fail("Zlib error", err),
  };
  (consumed, written, result)
}

fn brotli_write(
  h: &mut Handle,
  flush: u32,
  inp: &[u8],
  out: &mut [u8],
) -> (usize, usize, Result<(), StreamError>) {
  if let (Engine::BrotliEncode(enc), false, BROTLI_OPERATION_FINISH) =
    (&mut h.engine, h.started, flush)
  {
    // All the input at once (Node's sync and callback forms): a window
    // just large enough for it makes the same kind of stream with far
    // less memory (this port sizes its best-quality hasher by the window:
    // 33 MiB at the default 22 bits), as C brotli does for one-shot input.
    let need = (usize::BITS - inp.len().max(1).leading_zeros()).clamp(10, 24);
    if need < h.brotli_lgwin {
      enc.set_parameter(BrotliEncoderParameter::BROTLI_PARAM_LGWIN, need);
    }
  }
  h.started = true;
  let mut avail_in = inp.len();
  let mut in_off = 0;
  let mut avail_out = out.len();
  let mut out_off = 0;
  let engine = &mut h.engine;
  let ran =
    catch_unwind(AssertUnwindSafe(|| match engine {
      Engine::BrotliEncode(enc) => {
        let op = match flush {
          1 => BrotliEncoderOperation::BROTLI_OPERATION_FLUSH,
          2 => BrotliEncoderOperation::BROTLI_OPERATION_FINISH,
          3 => BrotliEncoderOperation::BROTLI_OPERATION_EMIT_METADATA,
          _ => BrotliEncoderOperation::BROTLI_OPERATION_PROCESS,
        };
        let mut total = None;
        let ok = enc.compress_stream(
          op,
          &mut avail_in,
          inp,
          &mut in_off,
          &mut avail_out,
          out,
          &mut out_off,
          &mut total,
          &mut |_, _, _, _| (),
        );
        if ok {
          Ok(())
        } else {
          Err(StreamError::new(
            "Compression failed",
            "ERR_BROTLI_COMPRESSION_FAILED",
            -1,
          ))
        }
      }
      Engine::BrotliDecode(dec) => {
        let mut total = 0;
        let r = BrotliDecompressStream(
          &mut avail_in,
          &mut in_off,
          inp,
          &mut avail_out,
          &mut out_off,
          out,
          &mut total,
          &mut **dec,
        );
        match r {
          BrotliResult::ResultFailure => {
            let code = dec.error_code as i32;
            Err(StreamError::new(
              "Decompression failed",
              format!("ERR_{}", brotli_error_name(code)),
              code,
            ))
          }
          BrotliResult::NeedsMoreInput if flush == BROTLI_OPERATION_FINISH => Err(
            StreamError::new("unexpected end of file", "Z_BUF_ERROR", Z_BUF_ERROR),
          ),
          _ => Ok(()),
        }
      }
      _ => Err(StreamError::new(
        "Zlib error",
        "Z_STREAM_ERROR",
        Z_STREAM_ERROR,
      )),
    }));
  let result = match ran {
    Ok(r) => r,
    Err(payload) => {
      // Over budget (or a bug in brotli): the state is dropped, its
      // memory given back, and the stream fails from here on.
      h.engine = Engine::Broken;
      if payload.downcast_ref::<OverBudget>().is_some() {
        Err(StreamError::out_of_memory())
      } else {
        Err(StreamError::new(
          "Zlib error",
          "Z_STREAM_ERROR",
          Z_STREAM_ERROR,
        ))
      }
    }
  };
  (in_off.min(inp.len()), out_off.min(out.len()), result)
}

/// `handle.reset()`: the stream starts over with the same settings.
pub fn reset(s: &mut OpState, id: u32) -> OpResult<OpValue<'static>> {
  Ok(match s.zlib.reset(id)? {
    Ok(()) => OpValue::Undefined,
    Err(e) => e.into_value(),
  })
}

impl ZlibStreams {
  pub fn reset(&mut self, id: u32) -> OpResult<Result<(), StreamError>> {
    let budget = self.budget.clone();
    let h = self.get(id)?;
    match h.mode {
      Mode::BrotliEncode | Mode::BrotliDecode => {
        // The old state goes first, so its memory is free for the new one.
        h.engine = Engine::Broken;
        let alloc = BudgetAlloc(budget);
        let mode = h.mode;
        let made = catch_unwind(AssertUnwindSafe(|| {
          if mode == Mode::BrotliEncode {
            Engine::BrotliEncode(Box::new(BrotliEncoderStateStruct::new(alloc)))
          } else {
            Engine::BrotliDecode(Box::new(BrotliState::new_strict(
              alloc.clone(),
              alloc.clone(),
              alloc,
            )))
          }
        }));
        // As Node's: a brotli reset starts with the default parameters.
        h.started = false;
        h.brotli_lgwin = 22;
        match made {
          Ok(e) => h.engine = e,
          Err(_) => return Ok(Err(StreamError::out_of_memory())),
        }
      }
      _ => {
        // An unzip stream that found its format detects it again.
        h.mode = h.initial_mode;
        h.gzip_id_bytes = 0;
        h.engine = new_zlib_engine(h.mode, h.config);
        if let Err(e) = set_dictionary(h) {
          return Ok(Err(e));
        }
      }
    }
    Ok(Ok(()))
  }
}

/// `handle.params(level, strategy)` (deflate only). zlib-rs can change the
/// level of a running stream only within a group of levels that share an
/// algorithm (3 to 6, 7 to 9), and never its strategy: other changes
/// leave the stream compressing as before. Its output stays valid; only
/// its size differs from what the new settings would give.
pub fn params(s: &mut OpState, id: u32, level: i32, strategy: i32) -> OpResult<OpValue<'static>> {
  if !(-1..=9).contains(&level) {
    return Err(out_of_range("level", ">= -1 and <= 9", level));
  }
  if !(0..=4).contains(&strategy) {
    return Err(out_of_range("strategy", ">= 0 and <= 4", strategy));
  }
  let h = s.zlib.get(id)?;
  if let Engine::Deflate(d) = &mut h.engine {
    if d.set_level(level).is_ok() {
      h.config.level = level;
    }
  }
  Ok(OpValue::Undefined)
}

/// `handle.close()`: the state is freed now.
pub fn close(s: &mut OpState, id: u32) -> OpResult<()> {
  s.zlib.close(id);
  Ok(())
}

/// `zlib.crc32(data, value)`: CRC-32 of the bytes (a string as UTF-8),
/// continuing from `value`.
pub fn crc32(_: &mut OpState, data: StrOrBytes<'_>, value: u32) -> OpResult<f64> {
  Ok(zlib_rs::crc32::crc32(value, data.as_bytes()) as f64)
}

#[cfg(test)]
mod tests {
  use super::*;

  const DEFLATE: u32 = 1;
  const INFLATE: u32 = 2;
  const GZIP: u32 = 3;
  const GUNZIP: u32 = 4;
  const DEFLATERAW: u32 = 5;
  const INFLATERAW: u32 = 6;
  const UNZIP: u32 = 7;
  const BROTLI_DECODE: u32 = 8;
  const BROTLI_ENCODE: u32 = 9;
  const Z_NO_FLUSH: u32 = 0;

  fn zlib(t: &mut ZlibStreams, mode: u32) -> u32 {
    t.init_zlib(
      mode,
      if matches!(mode, INFLATE | GUNZIP | UNZIP) {
        0
      } else {
        15
      },
      -1,
      8,
      0,
      &[],
    )
    .unwrap()
  }

  fn brotli(t: &mut ZlibStreams, mode: u32, params: &[(usize, u32)]) -> u32 {
    let mut values = vec![UNSET; 9];
    for &(k, v) in params {
      values[k] = v;
    }
    t.init_brotli(mode, &values).unwrap()
  }

  /// Node's processChunkSync: all of `input` with `flush`, through an
  /// output window of `chunk` bytes at a time.
  fn run(
    t: &mut ZlibStreams,
    id: u32,
    input: &[u8],
    flush: u32,
    chunk: usize,
  ) -> Result<Vec<u8>, StreamError> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut buf = vec![0u8; chunk];
    loop {
      let (read, wrote, r) = t.write(id, flush, &input[at..], &mut buf).unwrap();
      assert!(wrote <= chunk, "one call writes at most its window");
      r?;
      out.extend_from_slice(&buf[..wrote]);
      at += read;
      if wrote < chunk {
        return Ok(out);
      }
    }
  }

  fn finish(mode: u32) -> u32 {
    if mode >= BROTLI_DECODE {
      BROTLI_OPERATION_FINISH
    } else {
      Z_FINISH
    }
  }

  fn once(t: &mut ZlibStreams, id: u32, mode: u32, input: &[u8]) -> Result<Vec<u8>, StreamError> {
    let r = run(t, id, input, finish(mode), 64);
    t.close(id);
    r
  }

  fn text() -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..20_000u32 {
      v.extend_from_slice(format!("line {} of some text {}\n", i, i % 7).as_bytes());
    }
    v
  }

  #[test]
  fn every_format_round_trips_through_small_windows() {
    let mut t = ZlibStreams::default();
    let data = text();
    for (c, d) in [
      (DEFLATE, INFLATE),
      (GZIP, GUNZIP),
      (DEFLATERAW, INFLATERAW),
      (GZIP, UNZIP),
      (DEFLATE, UNZIP),
      (BROTLI_ENCODE, BROTLI_DECODE),
    ] {
      let ci = if c == BROTLI_ENCODE {
        brotli(&mut t, c, &[(1, 5)])
      } else {
        zlib(&mut t, c)
      };
      let packed = once(&mut t, ci, c, &data).unwrap();
      assert!(packed.len() < data.len() / 4, "{c}");
      let di = if d == BROTLI_DECODE {
        brotli(&mut t, d, &[])
      } else {
        zlib(&mut t, d)
      };
      assert_eq!(once(&mut t, di, d, &packed).unwrap(), data, "{c} -> {d}");
    }
    assert!(t.handles.is_empty());
    assert_eq!(t.budget.0.get(), 0, "every byte charged is given back");
  }

  #[test]
  fn data_errors_carry_zlibs_messages_and_codes() {
    let mut t = ZlibStreams::default();
    let id = zlib(&mut t, INFLATE);
    let e = once(&mut t, id, INFLATE, b"garbage!").unwrap_err();
    assert_eq!(
      (e.message.as_str(), e.code.as_str(), e.errno),
      ("incorrect header check", "Z_DATA_ERROR", -3)
    );

    let gz = {
      let id = zlib(&mut t, GZIP);
      once(&mut t, id, GZIP, b"hello world").unwrap()
    };
    let id = zlib(&mut t, GUNZIP);
    let e = once(&mut t, id, GUNZIP, &gz[..15]).unwrap_err();
    assert_eq!(
      (e.message.as_str(), e.code.as_str(), e.errno),
      ("unexpected end of file", "Z_BUF_ERROR", -5)
    );

    let mut bad = gz.clone();
    let n = bad.len();
    bad[n - 6] ^= 1;
    let id = zlib(&mut t, GUNZIP);
    assert_eq!(
      once(&mut t, id, GUNZIP, &bad).unwrap_err().message,
      "incorrect data check"
    );

    let id = zlib(&mut t, INFLATERAW);
    assert_eq!(
      once(&mut t, id, INFLATERAW, &[0xff, 0xff, 0xff])
        .unwrap_err()
        .message,
      "invalid block type"
    );

    let id = t.init_zlib(BROTLI_DECODE, 15, -1, 8, 0, &[]);
    assert!(id.is_err(), "brotli is not a zlib mode");
    let id = brotli(&mut t, BROTLI_DECODE, &[]);
    let e = once(&mut t, id, BROTLI_DECODE, b"garbage!").unwrap_err();
    assert_eq!(e.message, "Decompression failed");
    assert!(e.code.starts_with("ERR__ERROR_FORMAT_"), "{}", e.code);
  }

  #[test]
  fn gzip_members_follow_one_another_and_zeros_pad() {
    let mut t = ZlibStreams::default();
    let mut gz = Vec::new();
    for part in [&b"first "[..], b"second"] {
      let id = zlib(&mut t, GZIP);
      gz.extend(once(&mut t, id, GZIP, part).unwrap());
    }
    let id = zlib(&mut t, GUNZIP);
    assert_eq!(once(&mut t, id, GUNZIP, &gz).unwrap(), b"first second");
    let mut padded = gz.clone();
    padded.extend_from_slice(&[0, 0, 0]);
    let id = zlib(&mut t, GUNZIP);
    assert_eq!(once(&mut t, id, GUNZIP, &padded).unwrap(), b"first second");
    let mut garbage = gz.clone();
    garbage.extend_from_slice(b"garbage");
    let id = zlib(&mut t, GUNZIP);
    assert_eq!(
      once(&mut t, id, GUNZIP, &garbage).unwrap_err().message,
      "incorrect header check"
    );
  }

  #[test]
  fn unzip_detects_the_format_across_writes() {
    let mut t = ZlibStreams::default();
    let id = zlib(&mut t, GZIP);
    let gz = once(&mut t, id, GZIP, b"split magic").unwrap();
    let id = zlib(&mut t, UNZIP);
    let mut out = vec![0u8; 64];
    let (read, wrote, r) = t.write(id, Z_NO_FLUSH, &gz[..1], &mut out).unwrap();
    assert_eq!((read, wrote), (1, 0));
    r.unwrap();
    assert_eq!(
      run(&mut t, id, &gz[1..], Z_FINISH, 64).unwrap(),
      b"split magic"
    );
    assert_eq!(t.handles[&id].mode, Mode::Gunzip);
    t.reset(id).unwrap().unwrap();
    assert_eq!(t.handles[&id].mode, Mode::Unzip);
  }

  #[test]
  fn dictionaries_as_node_uses_them() {
    let mut t = ZlibStreams::default();
    let dict = b"abc hello";
    let id = t.init_zlib(DEFLATE, 15, -1, 8, 0, dict).unwrap();
    let packed = once(&mut t, id, DEFLATE, b"abcabcabc hello abc").unwrap();
    let id = zlib(&mut t, INFLATE);
    let e = once(&mut t, id, INFLATE, &packed).unwrap_err();
    assert_eq!(
      (e.message.as_str(), e.code.as_str(), e.errno),
      ("Missing dictionary", "Z_NEED_DICT", 2)
    );
    let id = t.init_zlib(INFLATE, 0, -1, 8, 0, b"wrong").unwrap();
    assert_eq!(
      once(&mut t, id, INFLATE, &packed).unwrap_err().message,
      "Bad dictionary"
    );
    let id = t.init_zlib(INFLATE, 0, -1, 8, 0, dict).unwrap();
    assert_eq!(
      once(&mut t, id, INFLATE, &packed).unwrap(),
      b"abcabcabc hello abc"
    );
    let id = t.init_zlib(DEFLATERAW, 15, 9, 8, 0, dict).unwrap();
    let raw = once(&mut t, id, DEFLATERAW, b"hello abc").unwrap();
    let id = t.init_zlib(INFLATERAW, 15, -1, 8, 0, dict).unwrap();
    assert_eq!(once(&mut t, id, INFLATERAW, &raw).unwrap(), b"hello abc");
  }

  #[test]
  fn settings_are_checked_in_rust() {
    let mut t = ZlibStreams::default();
    let e = |r: OpResult<u32>| match r.unwrap_err() {
      OpError::Coded { code, .. } => code,
      other => panic!("{other:?}"),
    };
    assert_eq!(e(t.init_zlib(0, 15, -1, 8, 0, &[])), "ERR_OUT_OF_RANGE");
    assert_eq!(e(t.init_zlib(10, 15, -1, 8, 0, &[])), "ERR_OUT_OF_RANGE");
    assert_eq!(e(t.init_zlib(GZIP, 8, -1, 8, 0, &[])), "ERR_OUT_OF_RANGE");
    assert_eq!(
      e(t.init_zlib(DEFLATE, 16, -1, 8, 0, &[])),
      "ERR_OUT_OF_RANGE"
    );
    assert_eq!(
      e(t.init_zlib(INFLATERAW, 0, -1, 8, 0, &[])),
      "ERR_OUT_OF_RANGE"
    );
    assert_eq!(
      e(t.init_zlib(DEFLATE, 15, 10, 8, 0, &[])),
      "ERR_OUT_OF_RANGE"
    );
    assert_eq!(
      e(t.init_zlib(DEFLATE, 15, -1, 0, 0, &[])),
      "ERR_OUT_OF_RANGE"
    );
    assert_eq!(
      e(t.init_zlib(DEFLATE, 15, -1, 8, 5, &[])),
      "ERR_OUT_OF_RANGE"
    );
    assert_eq!(
      e(t.init_brotli(
        BROTLI_ENCODE,
        &[UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, 1]
      )),
      "ERR_ZLIB_INITIALIZATION_FAILED"
    );
    // An 8-bit raw window becomes 9, as zlib needs.
    let id = t.init_zlib(DEFLATERAW, 8, -1, 8, 0, &[]).unwrap();
    assert_eq!(t.handles[&id].config.window_bits, 9);
    assert!(
      t.write(id, 7, b"", &mut [0; 8]).is_err(),
      "flush out of range"
    );
    t.close(id);
    match t.write(id, 0, b"", &mut [0; 8]) {
      Err(OpError::Coded { code, .. }) => assert_eq!(code, "ERR_INVALID_STATE"),
      _ => panic!("a closed handle is gone"),
    }
    // Out-of-range brotli values are clamped as C brotli does.
    let id = brotli(&mut t, BROTLI_ENCODE, &[(1, 99), (2, 99), (3, 1)]);
    let packed = once(&mut t, id, BROTLI_ENCODE, b"clamped").unwrap();
    let id = brotli(&mut t, BROTLI_DECODE, &[]);
    assert_eq!(
      once(&mut t, id, BROTLI_DECODE, &packed).unwrap(),
      b"clamped"
    );
  }

  #[test]
  fn a_bomb_costs_the_host_nothing_per_call() {
    let mut t = ZlibStreams::default();
    // 64 MiB of zeros: about 64 KiB deflated.
    let zeros = vec![0u8; 64 << 20];
    let id = zlib(&mut t, DEFLATE);
    let packed = run(&mut t, id, &zeros, Z_FINISH, 1 << 20).unwrap();
    t.close(id);
    drop(zeros);
    assert!(packed.len() < 128 << 10);
    let id = zlib(&mut t, INFLATE);
    let before = t.budget.0.get();
    let mut buf = vec![0u8; 16 << 10];
    let mut at = 0;
    let mut total = 0usize;
    loop {
      let (read, wrote, r) = t.write(id, Z_FINISH, &packed[at..], &mut buf).unwrap();
      r.unwrap();
      assert!(wrote <= buf.len());
      assert_eq!(
        t.budget.0.get(),
        before,
        "inflate allocates nothing per call"
      );
      at += read;
      total += wrote;
      if wrote < buf.len() {
        break;
      }
    }
    assert_eq!(total, 64 << 20);

    // The same through brotli: the decoder's window is all it holds.
    let id = brotli(&mut t, BROTLI_ENCODE, &[(1, 1)]);
    let zeros = vec![0u8; 32 << 20];
    let packed = run(&mut t, id, &zeros, BROTLI_OPERATION_FINISH, 1 << 20).unwrap();
    t.close(id);
    drop(zeros);
    let id = brotli(&mut t, BROTLI_DECODE, &[]);
    let mut at = 0;
    let mut total = 0usize;
    loop {
      let (read, wrote, r) = t
        .write(id, BROTLI_OPERATION_FINISH, &packed[at..], &mut buf)
        .unwrap();
      r.unwrap();
      assert!(
        t.budget.0.get() <= (16 << 20) + (1 << 20),
        "{}",
        t.budget.0.get()
      );
      at += read;
      total += wrote;
      if wrote < buf.len() {
        break;
      }
    }
    assert_eq!(total, 32 << 20);
  }

  #[test]
  fn the_memory_budget_bounds_brotli_and_zlib_state() {
    let mut t = ZlibStreams::default();
    // Best quality with a 16 MiB window wants more than the budget once it
    // starts: the write fails with Z_MEM_ERROR and frees what it took.
    let id = brotli(&mut t, BROTLI_ENCODE, &[(1, 11), (2, 24)]);
    let data = text();
    let (_, _, r) = t.write(id, 0, &data, &mut [0u8; 1024]).unwrap();
    // (All the input at once would have made it use a window that fits.)
    let e = r.unwrap_err();
    assert_eq!((e.code.as_str(), e.errno), ("Z_MEM_ERROR", -4));
    assert_eq!(t.budget.0.get(), 0);
    let (_, _, r) = t.write(id, 0, &data, &mut [0u8; 1024]).unwrap();
    assert!(r.is_err(), "the stream stays failed");
    t.close(id);

    // zlib state is charged when made: the budget runs out before the
    // count of streams does with deflate's (about 800 KiB at memLevel 9).
    let mut ids = Vec::new();
    let err = loop {
      match t.init_zlib(DEFLATE, 15, -1, 9, 0, &[]) {
        Ok(id) => ids.push(id),
        Err(e) => break e,
      }
    };
    assert!(
      ids.len() > 100 && ids.len() < MAX_ZLIB_STREAMS,
      "{}",
      ids.len()
    );
    match err {
      OpError::Coded { code, message, .. } => {
        assert_eq!(code, "ERR_ZLIB_INITIALIZATION_FAILED");
        assert!(message.contains("MiB"), "{message}");
      }
      other => panic!("{other:?}"),
    }
    for id in ids.drain(..) {
      t.close(id);
    }
    assert_eq!(t.budget.0.get(), 0);
    // The count is bounded too.
    for _ in 0..MAX_ZLIB_STREAMS {
      ids.push(zlib(&mut t, INFLATERAW));
    }
    assert!(t.init_zlib(INFLATERAW, 15, -1, 8, 0, &[]).is_err());
    t.close(ids[0]);
    assert!(t.init_zlib(INFLATERAW, 15, -1, 8, 0, &[]).is_ok());
  }

  #[test]
  fn reset_and_params_keep_the_stream_valid() {
    let mut t = ZlibStreams::default();
    let data = text();
    let id = t.init_zlib(DEFLATE, 15, 1, 8, 0, &[]).unwrap();
    let mut packed = run(&mut t, id, &data[..1000], 2, 64).unwrap();
    // Levels zlib-rs cannot switch between are kept: the output stays valid.
    for level in [9, 4, 6] {
      let h = t.handles.get_mut(&id).unwrap();
      if let Engine::Deflate(d) = &mut h.engine {
        let _ = d.set_level(level);
      }
    }
    packed.extend(run(&mut t, id, &data[1000..], Z_FINISH, 64).unwrap());
    let i = zlib(&mut t, INFLATE);
    assert_eq!(once(&mut t, i, INFLATE, &packed).unwrap(), data);
    t.reset(id).unwrap().unwrap();
    let again = run(&mut t, id, b"after reset", Z_FINISH, 64).unwrap();
    let i = zlib(&mut t, INFLATE);
    assert_eq!(once(&mut t, i, INFLATE, &again).unwrap(), b"after reset");
  }

  #[test]
  fn one_shot_brotli_takes_a_window_that_fits() {
    let mut t = ZlibStreams::default();
    // Best quality with the largest window, all input at once: well
    // within the budget, and the decoder reads it.
    let id = brotli(&mut t, BROTLI_ENCODE, &[(1, 11), (2, 24)]);
    let mut buf = vec![0u8; 1 << 16];
    let (_, wrote, r) = t
      .write(id, BROTLI_OPERATION_FINISH, b"small input", &mut buf)
      .unwrap();
    r.unwrap();
    assert!(t.budget.0.get() < 8 << 20, "{}", t.budget.0.get());
    t.close(id);
    let id = brotli(&mut t, BROTLI_DECODE, &[]);
    assert_eq!(
      once(&mut t, id, BROTLI_DECODE, &buf[..wrote]).unwrap(),
      b"small input"
    );
  }

  #[test]
  fn crc32_is_zlibs() {
    assert_eq!(zlib_rs::crc32::crc32(0, b"hello"), 907060870);
    assert_eq!(
      zlib_rs::crc32::crc32(zlib_rs::crc32::crc32(0, b"hello "), b"world"),
      zlib_rs::crc32::crc32(0, b"hello world")
    );
  }
}
