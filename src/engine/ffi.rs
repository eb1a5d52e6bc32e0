//! Raw declarations of the C API in `engine.h`. Only `engine` uses these.
#![allow(non_camel_case_types, reason = "mirrors the C names of engine.h")]
use std::ffi::{c_char, c_double, c_int, c_void};

#[repr(C)]
pub struct se_isolate {
  _private: [u8; 0],
}
#[repr(C)]
pub struct se_context {
  _private: [u8; 0],
}
#[repr(C)]
pub struct se_ret {
  _private: [u8; 0],
}

pub const SE_UNDEFINED: u32 = 0;
pub const SE_NULL: u32 = 1;
pub const SE_BOOL: u32 = 2;
pub const SE_NUMBER: u32 = 3;
pub const SE_STRING: u32 = 4;
pub const SE_BYTES: u32 = 5;
pub const SE_CLONED: u32 = 7;

pub const SE_ERROR_KERNEL: u32 = 1;
pub const SE_ERROR_ARG_TYPE: u32 = 2;
pub const SE_ERROR_OUT_OF_RANGE: u32 = 3;
pub const SE_ERROR_CODED: u32 = 4;

#[repr(C)]
pub struct se_op_desc {
  pub name: *const c_char,
  pub name_len: usize,
  pub kind: u32,
  pub nargs: u32,
  pub transports: *const u8,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct se_str {
  pub ptr: *const c_char,
  pub len: usize,
}

#[repr(C)]
pub struct se_value {
  pub kind: u32,
  pub num: c_double,
  pub ptr: *mut u8,
  pub len: usize,
}

pub type se_op_fn = unsafe extern "C" fn(
  data: *mut c_void,
  op: u32,
  args: *const se_value,
  nargs: usize,
  ret: *mut se_ret,
);
pub type se_heap_limit_fn =
  unsafe extern "C" fn(data: *mut c_void, current: usize, initial: usize) -> usize;
pub type se_alloc_limit_fn =
  unsafe extern "C" fn(data: *mut c_void, requested: usize, in_use: usize);
pub type se_return_fn =
  unsafe extern "C" fn(data: *mut c_void, kind: c_int, ptr: *const u8, len: usize);
pub type se_task_posted_fn = unsafe extern "C" fn(data: *mut c_void);
pub type se_sink_fn =
  unsafe extern "C" fn(sink: *mut c_void, field: u32, ptr: *const c_char, len: usize, num: i64);

pub const SE_EXC_NAME: u32 = 1;
pub const SE_EXC_MESSAGE: u32 = 2;
pub const SE_EXC_STACK: u32 = 3;
pub const SE_EXC_CODE: u32 = 4;
pub const SE_EXC_INSPECTED: u32 = 5;
pub const SE_EXC_RESOURCE: u32 = 6;
pub const SE_EXC_SOURCE_LINE: u32 = 7;
pub const SE_EXC_LINE: u32 = 8;
pub const SE_EXC_START_COL: u32 = 9;
pub const SE_EXC_END_COL: u32 = 10;
pub const SE_EXC_IS_ERROR: u32 = 11;

pub const SE_OK: c_int = 0;
pub const SE_TERMINATED: c_int = 2;

pub const SE_MODULE_PENDING: c_int = 0;
pub const SE_MODULE_FULFILLED: c_int = 1;

#[repr(C)]
pub struct se_isolate_params {
  pub heap_limit_bytes: usize,
  pub array_buffer_limit_bytes: usize,
  pub max_report_field_bytes: usize,
  pub max_return_bytes: usize,
  pub max_vm_contexts: usize,
  pub data: *mut c_void,
  pub on_op: se_op_fn,
  pub on_heap_limit: se_heap_limit_fn,
  pub on_alloc_limit: se_alloc_limit_fn,
  pub on_return: se_return_fn,
  pub on_task_posted: se_task_posted_fn,
  pub waker_data: *mut c_void,
  pub ops: *const se_op_desc,
  pub nops: usize,
  pub memory_out: *const c_void,
}

#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct se_memory {
  pub heap_used: usize,
  pub external: usize,
  pub array_buffers: usize,
  pub retired: usize,
}

#[repr(C)]
pub struct se_builtin {
  pub name: *const c_char,
  pub name_len: usize,
  pub latin1: *const u8,
  pub utf16: *const u16,
  pub len: usize,
}

#[cfg(feature = "bench")]
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct se_builtins_stats {
  pub modules: usize,
  pub cached: usize,
  pub cache_bytes: usize,
  pub produced: u64,
  pub consumed: u64,
  pub rejected: u64,
}

extern "C" {
  pub fn se_platform_init() -> c_int;
  pub fn se_node_module_version() -> c_int;
  pub fn se_node_version() -> *const c_char;
  pub fn se_v8_version() -> *const c_char;
  pub fn se_v8_set_flags(flags: *const c_char, len: usize);

  pub fn se_builtins_register(
    modules: *const se_builtin,
    n: usize,
    params: *const *const c_char,
    param_lens: *const usize,
    nparams: usize,
    wrapped: c_int,
  ) -> c_int;
  #[cfg(feature = "bench")]
  pub fn se_builtins_set_code_cache(on: c_int);
  #[cfg(feature = "bench")]
  pub fn se_builtins_stats_get(out: *mut se_builtins_stats);

  pub fn se_isolate_new(params: *const se_isolate_params) -> *mut se_isolate;
  pub fn se_isolate_dispose(iso: *mut se_isolate);
  pub fn se_isolate_terminate(iso: *mut se_isolate);
  pub fn se_isolate_cancel_terminate(iso: *mut se_isolate);
  pub fn se_isolate_pump_tasks(iso: *mut se_isolate) -> c_double;
  pub fn se_isolate_request_memory_check(iso: *mut se_isolate);
  pub fn se_isolate_check_external_memory(iso: *mut se_isolate) -> c_int;
  pub fn se_isolate_memory(iso: *mut se_isolate, out: *mut se_memory);
  pub fn se_isolate_collect_garbage(iso: *mut se_isolate);
  pub fn se_node_isolate_collect_garbage();
  pub fn se_isolate_sweep_retired(iso: *mut se_isolate);
  pub fn se_isolate_has_pending_tasks(iso: *mut se_isolate) -> c_int;
  pub fn se_context_enter_call(ctx: *mut se_context);

  pub fn se_context_new(
    iso: *mut se_isolate,
    bootstrap: *const c_char,
    bootstrap_len: usize,
    bootstrap_name: *const c_char,
    bootstrap_name_len: usize,
    config_json: *const c_char,
    config_len: usize,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
    status: *mut c_int,
  ) -> *mut se_context;
  pub fn se_context_configure(
    ctx: *mut se_context,
    json: *const c_char,
    len: usize,
    stdin_ptr: *const u8,
    stdin_len: usize,
    has_stdin: c_int,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
  ) -> c_int;
  pub fn se_context_dispose(ctx: *mut se_context);
  pub fn se_context_resume_call(ctx: *mut se_context);
  pub fn se_context_suspend_call(ctx: *mut se_context);
  pub fn se_context_run_script(
    ctx: *mut se_context,
    src: *const c_char,
    len: usize,
    name: *const c_char,
    name_len: usize,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
  ) -> c_int;
  pub fn se_context_run_cjs(
    ctx: *mut se_context,
    src: *const c_char,
    len: usize,
    name: *const c_char,
    name_len: usize,
    typescript: c_int,
    detect: c_int,
    module_syntax: *mut c_int,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
  ) -> c_int;
  pub fn se_context_run_module(
    ctx: *mut se_context,
    src: *const c_char,
    len: usize,
    name: *const c_char,
    name_len: usize,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
  ) -> c_int;
  pub fn se_context_module_state(
    ctx: *mut se_context,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
  ) -> c_int;
  pub fn se_context_call_hook(
    ctx: *mut se_context,
    hook: c_int,
    args: *const c_double,
    nargs: usize,
    out: *mut c_double,
    sink: *mut c_void,
    sink_fn: se_sink_fn,
  ) -> c_int;

  pub fn se_ret_undefined(r: *mut se_ret);
  pub fn se_ret_null(r: *mut se_ret);
  pub fn se_ret_bool(r: *mut se_ret, b: c_int);
  pub fn se_ret_number(r: *mut se_ret, n: c_double);
  pub fn se_ret_string(r: *mut se_ret, p: *const c_char, len: usize);
  pub fn se_ret_bytes(r: *mut se_ret, p: *const u8, len: usize);
  pub fn se_ret_strings(r: *mut se_ret, ps: *const *const c_char, lens: *const usize, n: usize);
  pub fn se_ret_cloned(r: *mut se_ret, p: *const u8, len: usize);
  pub fn se_ret_stat(r: *mut se_ret, fields: *const f64, n: usize);
  #[allow(clippy::too_many_arguments, reason = "mirrors the C signature")]
  pub fn se_ret_error(
    r: *mut se_ret,
    kind: u32,
    err_no: i32,
    code: se_str,
    message: se_str,
    name: se_str,
    path: se_str,
    dest: se_str,
    arg_index: i32,
  );
  pub fn se_ret_throw(
    r: *mut se_ret,
    kind: *const c_char,
    msg: *const c_char,
    msg_len: usize,
    code: *const c_char,
  );
}
