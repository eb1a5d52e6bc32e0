// The C API of the V8 layer: opaque handles named se_<object>_<verb>.
// Every decision (limits, what a syscall does) lives in Rust; this layer only
// moves values across and drives V8. Mirrored by src/engine/ffi.rs.
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct se_isolate se_isolate;
typedef struct se_context se_context;
typedef struct se_ret se_ret;

// A value crossing into Rust. Strings are UTF-8 and borrowed for the call.
// BYTES point into the guest's own backing store and may be written to.
// CLONED are the engine's own structured-clone bytes of the argument.
enum se_kind {
  SE_UNDEFINED = 0,
  SE_NULL = 1,
  SE_BOOL = 2,
  SE_NUMBER = 3,
  SE_STRING = 4,
  SE_BYTES = 5,
  SE_OTHER = 6,
  SE_CLONED = 7,
};

// How the engine hands an op argument over (kernel::op::Transport).
enum se_transport {
  SE_TRANSPORT_PLAIN = 0,
  SE_TRANSPORT_CLONE = 1,
};

// Who serves an op (kernel::op::OpKind).
enum se_op_kind {
  SE_OP_SYNC = 0,
  SE_OP_ASYNC = 1,
  SE_OP_ENGINE = 2,
};

// One entry of the op table (kernel::syscall::OPS). The guest calls it as
// native[name]; the first `nargs` arguments are handed over, each with its
// transport; missing ones are undefined, extra ones are not read.
typedef struct {
  const char* name;
  size_t name_len;
  uint32_t kind;
  uint32_t nargs;
  const uint8_t* transports;
} se_op_desc;

// The kinds of op error (kernel::error::OpError), as the guest's
// native.v8_take_error() reports them.
enum se_error_kind {
  SE_ERROR_KERNEL = 1,
  SE_ERROR_ARG_TYPE = 2,
  SE_ERROR_OUT_OF_RANGE = 3,
  SE_ERROR_CODED = 4,
};

// Text of an op error: borrowed for the call.
typedef struct {
  const char* ptr;
  size_t len;
} se_str;
typedef struct {
  uint32_t kind;
  double num;
  uint8_t* ptr;
  size_t len;
} se_value;

// Called for every guest syscall: `op` indexes the isolate's op table; the
// result is set through se_ret_* (default undefined).
typedef void (*se_op_fn)(void* data, uint32_t op, const se_value* args, size_t nargs, se_ret* ret);
// Near-heap-limit: returns the new heap limit in bytes.
typedef size_t (*se_heap_limit_fn)(void* data, size_t current, size_t initial);
// ArrayBuffer allocator refused an allocation over the limit.
typedef void (*se_alloc_limit_fn)(void* data, size_t requested, size_t in_use);
// __return(value): the engine's own serialization of the value.
// kind 0: a value given to __return; 1: the main module's exports.
typedef void (*se_return_fn)(void* data, int kind, const uint8_t* ptr, size_t len);
// V8 posted a foreground task (from any thread): the loop must wake.
typedef void (*se_task_posted_fn)(void* data);
// Receives one field of an exception report; for text fields `num` is 1
// when the text was cut at the isolate's max_report_field_bytes.
typedef void (*se_sink_fn)(void* sink, uint32_t field, const char* ptr, size_t len, int64_t num);

enum se_exc_field {
  SE_EXC_NAME = 1,
  SE_EXC_MESSAGE = 2,
  SE_EXC_STACK = 3,
  SE_EXC_CODE = 4,
  SE_EXC_INSPECTED = 5,
  SE_EXC_RESOURCE = 6,
  SE_EXC_SOURCE_LINE = 7,
  SE_EXC_LINE = 8,
  SE_EXC_START_COL = 9,
  SE_EXC_END_COL = 10,
  SE_EXC_IS_ERROR = 11,
};

// Outcome of a se_context_* call that runs guest code.
enum se_status {
  SE_OK = 0,
  SE_EXCEPTION = 1,   // reported through the sink
  SE_TERMINATED = 2,  // TerminateExecution took effect
};

enum se_module_state {
  SE_MODULE_PENDING = 0,
  SE_MODULE_FULFILLED = 1,
  SE_MODULE_REJECTED = 2,
};

// The hooks the bootstrap returns, called by index (read once per context).
enum se_hook {
  SE_HOOK_START = 0,
  SE_HOOK_AFTER_SCRIPT = 1,
  SE_HOOK_TIMERS = 2,
  SE_HOOK_EMIT_EXIT = 3,
  SE_HOOK_EXIT_CODE = 4,
  SE_HOOK_FORMAT_FATAL = 5,
  SE_HOOK_UNCAUGHT = 6,
  SE_HOOK_PROMISE_REJECT = 7,
  SE_HOOK_POLL = 8,
  SE_HOOK_RUN_MAIN = 9,
  SE_HOOK_CAPTURE_EXPORTS = 10,
  SE_HOOK_RUN_MODULE = 11,
  SE_HOOK_IMPORT_DYNAMIC = 12,
  SE_HOOK_EVALUATE_SYNTHETIC = 13,
  SE_HOOK_IMPORT_META = 14,
  SE_HOOK_PREPARE_STACK_TRACE = 15,
  SE_HOOK_COUNT = 16,
};

typedef struct {
  size_t heap_limit_bytes;
  size_t array_buffer_limit_bytes;
  // Bounds set by Rust (kernel::limits): longest exception text field, and
  // largest serialized __return value.
  size_t max_report_field_bytes;
  size_t max_return_bytes;
  // Most vm contexts (engine op v8_vm_context_new) one call may make.
  size_t max_vm_contexts;
  void* data;
  se_op_fn on_op;
  se_heap_limit_fn on_heap_limit;
  se_alloc_limit_fn on_alloc_limit;
  se_return_fn on_return;
  // Called from any thread, with `waker_data`.
  se_task_posted_fn on_task_posted;
  void* waker_data;
  // The op table; descriptors are copied.
  const se_op_desc* ops;
  size_t nops;
  // Three 64-bit atomics the engine keeps current for other threads, or
  // null: the heap in use after each GC, ArrayBuffer bytes in use, and
  // V8's external memory (WebAssembly memories included) when last read.
  void* memory_out;
} se_isolate_params;

typedef struct {
  size_t heap_used;
  // Every ArrayBuffer V8 accounts to this isolate (WebAssembly memories too).
  size_t external;
  // What the ArrayBuffer allocator (and the engine's own buffers) hold.
  size_t array_buffers;
  // Finished contexts (with their emptied queues) V8 has not collected yet.
  size_t retired;
} se_memory;

// Process-wide. Must run on Node's main thread inside a N-API call.
int se_platform_init(void);
int se_node_module_version(void);
const char* se_node_version(void);
const char* se_v8_version(void);
void se_v8_set_flags(const char* flags, size_t len);

se_isolate* se_isolate_new(const se_isolate_params* params);
void se_isolate_dispose(se_isolate* iso);
// Thread-safe.
void se_isolate_terminate(se_isolate* iso);
void se_isolate_cancel_terminate(se_isolate* iso);
// Thread-safe: asks the isolate's thread to compare V8's external memory
// with the ArrayBuffer limit at its next interrupt check.
void se_isolate_request_memory_check(se_isolate* iso);
// 1 (and the limit reported) when V8's external memory is over the ArrayBuffer limit.
int se_isolate_check_external_memory(se_isolate* iso);
// Runs due foreground tasks posted by V8; returns ms until the next delayed
// task (-1 if none).
double se_isolate_pump_tasks(se_isolate* iso);
void se_isolate_memory(se_isolate* iso, se_memory* out);
// Full, synchronous garbage collection.
void se_isolate_collect_garbage(se_isolate* iso);
// The same for the isolate of the Node.js running this thread (the
// sidecar's own, idle once it serves); nothing if there is none.
void se_node_isolate_collect_garbage(void);
// Drops promise jobs queued since into finished contexts' queues.
void se_isolate_sweep_retired(se_isolate* iso);
// V8 has background work that will post a foreground task (async
// WebAssembly compilation), or such a task waits to run: the event loop
// must not end yet.
int se_isolate_has_pending_tasks(se_isolate* iso);

// The guest builtins, once per process before the first context. Each
// module compiles on its own, as a function of `params` named
// node:<name> in stack traces; the loader gets it from builtin(name). A
// source is Latin-1 (`latin1`) or UTF-16 (`utf16`), `len` units long, and
// must stay valid for the life of the process. `wrapped`: each source is
// already the function expression V8 before 12 compiles (the build makes
// it). Returns 0, -1 when builtins are already registered (the first set
// stays), or -2 when `wrapped` does not suit this V8.
typedef struct {
  const char* name;
  size_t name_len;
  const uint8_t* latin1;
  const uint16_t* utf16;
  size_t len;
} se_builtin;
int se_builtins_register(const se_builtin* modules, size_t n, const char* const* params,
                         const size_t* param_lens, size_t nparams, int wrapped);
// The code cache of the builtins (made once per process, used by every
// later isolate) on or off; on by default. For measurements.
void se_builtins_set_code_cache(int on);
typedef struct {
  size_t modules;
  size_t cached;       // modules with a code cache now
  size_t cache_bytes;  // their size
  uint64_t produced;   // code caches made
  uint64_t consumed;   // compiles that used one
  uint64_t rejected;   // ... that V8 refused (then compiled from source)
} se_builtins_stats;
void se_builtins_stats_get(se_builtins_stats* out);

// A fresh context: evaluates the bootstrap script (the loader, which yields
// a function), calls it with (native, config, builtin) and keeps the
// returned hooks. The config is what is known before a call arrives;
// se_context_configure adds the rest.
// `native` holds every op of the isolate's table, and `failed`: the marker
// an op returns instead of a value when it fails.
se_context* se_context_new(se_isolate* iso, const char* bootstrap, size_t bootstrap_len,
                           const char* bootstrap_name, size_t bootstrap_name_len,
                           const char* config_json, size_t config_len, void* sink,
                           se_sink_fn sink_fn, int* status);
// Merges the own properties of the JSON object `json` into the config the
// bootstrap got, and sets config.stdin (bytes, or null).
// The call starts: this context's natives serve it; no other context's do.
void se_context_enter_call(se_context* ctx);
int se_context_configure(se_context* ctx, const char* json, size_t len, const uint8_t* stdin_ptr,
                         size_t stdin_len, int has_stdin, void* sink, se_sink_fn sink_fn);
// Retires the context: it can never run script again and the jobs it left
// in its microtask queue are dropped unrun.
void se_context_dispose(se_context* ctx);
// Hands the entry code to the bootstrap's runMain hook, which compiles it
// as Node's CommonJS wrapper function (engine op v8_compile_cjs) and calls it.
// `typescript`: the code is TypeScript the kernel could not transform; the
// hook transforms it again, to throw its syntax error as a load would.
// `detect`: the code's format is not known; it does not run and
// `*module_syntax` is set when it fails to compile only for ES module syntax.
int se_context_run_cjs(se_context* ctx, const char* src, size_t len, const char* name,
                       size_t name_len, int typescript, int detect, int* module_syntax,
                       void* sink, se_sink_fn sink_fn);
int se_context_run_module(se_context* ctx, const char* src, size_t len, const char* name,
                          size_t name_len, void* sink, se_sink_fn sink_fn);
int se_context_module_state(se_context* ctx, void* sink, se_sink_fn sink_fn);
// Calls hook `hook` (se_hook) with numeric args; its result goes to *out
// (NaN when not a number).
int se_context_call_hook(se_context* ctx, int hook, const double* args, size_t nargs, double* out,
                         void* sink, se_sink_fn sink_fn);

// Persistent contexts: a context kept across calls is resumed for each of
// its calls (scripts may run in it, its natives serve) and suspended after
// (no script may run in it until it resumes).
void se_context_resume_call(se_context* ctx);
void se_context_suspend_call(se_context* ctx);
// Runs `src` as a classic script named `name` in the context's global scope
// (top-level await: as the body of an async arrow function).
int se_context_run_script(se_context* ctx, const char* src, size_t len, const char* name,
                          size_t name_len, void* sink, se_sink_fn sink_fn);

void se_ret_undefined(se_ret* r);
void se_ret_null(se_ret* r);
void se_ret_bool(se_ret* r, int b);
void se_ret_number(se_ret* r, double n);
// UTF-8 (invalid sequences become U+FFFD); too long for V8 throws RangeError.
void se_ret_string(se_ret* r, const char* p, size_t len);
void se_ret_bytes(se_ret* r, const uint8_t* p, size_t len);
void se_ret_strings(se_ret* r, const char* const* ps, const size_t* lens, size_t n);
// Fields of a stat, in Node's statValues order: written into the
// context's native.stat_values; the op returns 0.
#define SE_STAT_FIELDS 18
void se_ret_stat(se_ret* r, const double* fields, size_t n);
// A value in V8's structured-clone format (written by the host), read back.
void se_ret_cloned(se_ret* r, const uint8_t* p, size_t len);
// The op failed: it returns native.failed, and native.v8_take_error() gives
// [kind, errno, code, message, name, path, dest, value of argument
// `arg_index`] (absent strings have len 0 and ptr NULL).
void se_ret_error(se_ret* r, uint32_t kind, int32_t err_no, se_str code, se_str message, se_str name,
                  se_str path, se_str dest, int32_t arg_index);

// Provided by Rust (kernel::serdes): 0 when `ptr` holds a value in V8's
// serialization format that v8.deserialize may read.
int32_t se_serdes_check(const uint8_t* ptr, size_t len);

#ifdef __cplusplus
}
#endif
