// Thin V8 layer over the V8 inside the Node.js that runs the sidecar.
// Compiled with -fno-rtti (Node has no typeinfo for V8's classes) and without
// exceptions. Keep it boring: handles, callbacks, compile/run, terminate.
#include "engine.h"

#include "node_wrapper.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#define SE_V8_AT_LEAST(major, minor)                                   \
  (V8_MAJOR_VERSION > (major) ||                                        \
   (V8_MAJOR_VERSION == (major) && V8_MINOR_VERSION >= (minor)))

using v8::Context;
using v8::EscapableHandleScope;
using v8::FunctionCallbackInfo;
using v8::HandleScope;
using v8::Isolate;
using v8::Local;
using v8::MaybeLocal;
using v8::Object;
using v8::String;
using v8::TryCatch;
using v8::Value;

namespace {

node::MultiIsolatePlatform* g_platform = nullptr;
// Allocate+Register and Dispose+Unregister must not interleave: a new isolate
// can reuse a freed address that the platform still has registered.
std::mutex g_isolate_mutex;

double MonotonicSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Foreground tasks V8 posts for one isolate. Run by the owning thread in
// se_isolate_pump_tasks; delayed tasks honour their delay (V8 re-posts them
// forever if run early) and are dropped at dispose.
class ForegroundRunner final : public v8::TaskRunner {
 public:
  struct Delayed {
    double due;
    std::unique_ptr<v8::Task> task;
  };

  ForegroundRunner(se_task_posted_fn on_posted, void* data) : on_posted_(on_posted), data_(data) {}
  ForegroundRunner(const ForegroundRunner&) = delete;
  ForegroundRunner& operator=(const ForegroundRunner&) = delete;

  bool IdleTasksEnabled() override { return false; }
  bool NonNestableTasksEnabled() const override { return true; }
  bool NonNestableDelayedTasksEnabled() const override { return true; }

#if SE_V8_AT_LEAST(12, 0)
 protected:
  void PostTaskImpl(std::unique_ptr<v8::Task> task, const v8::SourceLocation&) override {
    Push(std::move(task));
  }
  void PostNonNestableTaskImpl(std::unique_ptr<v8::Task> task,
                               const v8::SourceLocation&) override {
    Push(std::move(task));
  }
  void PostDelayedTaskImpl(std::unique_ptr<v8::Task> task, double delay,
                           const v8::SourceLocation&) override {
    PushDelayed(std::move(task), delay);
  }
  void PostNonNestableDelayedTaskImpl(std::unique_ptr<v8::Task> task, double delay,
                                      const v8::SourceLocation&) override {
    PushDelayed(std::move(task), delay);
  }
  void PostIdleTaskImpl(std::unique_ptr<v8::IdleTask>, const v8::SourceLocation&) override {}
#else
  void PostTask(std::unique_ptr<v8::Task> task) override { Push(std::move(task)); }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override { Push(std::move(task)); }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    PushDelayed(std::move(task), delay);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay) override {
    PushDelayed(std::move(task), delay);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask>) override {}
#endif

 public:
  // Takes the tasks that are due now; returns seconds to the next delayed one.
  double TakeDue(std::vector<std::unique_ptr<v8::Task>>* out) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return -1;
    while (!ready_.empty()) {
      out->push_back(std::move(ready_.front()));
      ready_.pop_front();
    }
    double now = MonotonicSeconds();
    double next = -1;
    for (auto it = delayed_.begin(); it != delayed_.end();) {
      if (it->due <= now) {
        out->push_back(std::move(it->task));
        it = delayed_.erase(it);
      } else {
        double wait = it->due - now;
        if (next < 0 || wait < next) next = wait;
        ++it;
      }
    }
    return next;
  }

  // A task is waiting to run now (a finished background job's last step).
  bool HasReady() {
    std::lock_guard<std::mutex> lock(mutex_);
    return !closed_ && !ready_.empty();
  }

  void Close() {
    std::deque<std::unique_ptr<v8::Task>> ready;
    std::deque<std::unique_ptr<v8::Task>> parked;
    std::vector<Delayed> delayed;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
      ready.swap(ready_);
      parked.swap(parked_);
      delayed.swap(delayed_);
    }
  }

  // A task runs now, on the isolate's thread.
  void BeginTask() {
    std::lock_guard<std::mutex> lock(mutex_);
    in_task_ = true;
    parking_ = false;
    task_thread_ = std::this_thread::get_id();
  }
  void EndTask() {
    std::lock_guard<std::mutex> lock(mutex_);
    in_task_ = false;
    parking_ = false;
  }

  // The running task tried to run script in a suspended or finished
  // context. V8 posts such a task again at once (a FinalizationRegistry
  // cleanup that failed is requeued): what it posts now waits for the next
  // call to start, or the call running now would never find its loop quiet.
  void ParkPosts() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (in_task_) parking_ = true;
  }

  // A call starts: parked tasks run in it (once each; one that fails again
  // is parked again).
  void ReleaseParked() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (parked_.empty() || closed_) return;
      while (!parked_.empty()) {
        ready_.push_back(std::move(parked_.front()));
        parked_.pop_front();
      }
    }
    Wake();
  }

 private:
  void Push(std::unique_ptr<v8::Task> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      if (parking_ && std::this_thread::get_id() == task_thread_) {
        parked_.push_back(std::move(task));
        return;
      }
      ready_.push_back(std::move(task));
    }
    Wake();
  }
  void PushDelayed(std::unique_ptr<v8::Task> task, double delay) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      delayed_.push_back(Delayed{MonotonicSeconds() + delay, std::move(task)});
    }
    Wake();
  }
  // A task may come from a V8 worker thread while the loop sleeps.
  void Wake() {
    if (on_posted_ != nullptr) on_posted_(data_);
  }

  se_task_posted_fn on_posted_;
  void* data_;
  std::mutex mutex_;
  bool closed_ = false;
  bool in_task_ = false;
  bool parking_ = false;
  std::thread::id task_thread_;
  std::deque<std::unique_ptr<v8::Task>> ready_;
  std::deque<std::unique_ptr<v8::Task>> parked_;
  std::vector<Delayed> delayed_;
};

class PlatformDelegate final : public node::IsolatePlatformDelegate {
 public:
  explicit PlatformDelegate(std::shared_ptr<ForegroundRunner> runner) : runner_(std::move(runner)) {}
  PlatformDelegate(const PlatformDelegate&) = delete;
  PlatformDelegate& operator=(const PlatformDelegate&) = delete;
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner() override { return runner_; }
  bool IdleTasksEnabled() override { return false; }

 private:
  std::shared_ptr<ForegroundRunner> runner_;
};

// Counts ArrayBuffer memory per isolate and refuses past the limit, so that
// typed arrays are bounded like the JS heap. The engine's own byte buffers
// (stdin, encoded text, structured clones) are charged here too.
class LimitedAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  LimitedAllocator(size_t limit, void* data, se_alloc_limit_fn on_limit,
                   std::atomic<uint64_t>* publish)
      : limit_(limit), data_(data), on_limit_(on_limit), publish_(publish) {}
  LimitedAllocator(const LimitedAllocator&) = delete;
  LimitedAllocator& operator=(const LimitedAllocator&) = delete;

  void* Allocate(size_t length) override {
    if (!Reserve(length)) return nullptr;
    void* p = calloc(length ? length : 1, 1);
    if (p == nullptr) Release(length);
    return p;
  }
  void* AllocateUninitialized(size_t length) override {
    if (!Reserve(length)) return nullptr;
    void* p = malloc(length ? length : 1);
    if (p == nullptr) Release(length);
    return p;
  }
  void Free(void* data, size_t length) override {
    free(data);
    Release(length);
  }

  // Charges `length` bytes the engine allocates itself; false when over.
  bool TryCharge(size_t length) {
    size_t now = in_use_.fetch_add(length) + length;
    if (now <= limit_) {
      Publish(now);
      return true;
    }
    in_use_.fetch_sub(length);
    return false;
  }
  void Uncharge(size_t length) { Release(length); }
  size_t in_use() const { return in_use_.load(); }
  size_t limit() const { return limit_; }
  // The guest is over its ArrayBuffer budget: ends it with the memory limit.
  void ReportLimit(size_t requested) {
    if (on_limit_ != nullptr) on_limit_(data_, requested, in_use_.load());
  }

 private:
  // V8 answers a refused backing store with up to three garbage collections
  // and a retry after each, so only a request refused that many times in a
  // row means live memory is really over the limit.
  static constexpr int kRefusalsBeforeLimit = 4;

  // Other threads (the watchdog, summing a call's processes) read it.
  void Publish(size_t now) {
    if (publish_ != nullptr) publish_->store(now, std::memory_order_relaxed);
  }
  void Release(size_t length) { Publish(in_use_.fetch_sub(length) - length); }

  bool Reserve(size_t length) {
    size_t now = in_use_.fetch_add(length) + length;
    if (now <= limit_) {
      refusals_.store(0);
      Publish(now);
      return true;
    }
    in_use_.fetch_sub(length);
    if (refusals_.fetch_add(1) + 1 >= kRefusalsBeforeLimit) {
      refusals_.store(0);
      if (on_limit_ != nullptr) on_limit_(data_, length, now - length);
    }
    return false;
  }

  std::atomic<size_t> in_use_{0};
  std::atomic<int> refusals_{0};
  size_t limit_;
  void* data_;
  se_alloc_limit_fn on_limit_;
  std::atomic<uint64_t>* publish_;
};

static_assert(sizeof(std::atomic<uint64_t>) == 8 && std::atomic<uint64_t>::is_always_lock_free,
              "memory_out is three Rust AtomicU64s");

// The heap in use and V8's external memory, for other threads
// (memory_out[0] and [2]).
static void PublishStats(v8::HeapStatistics& stats, std::atomic<uint64_t>* out) {
  out[0].store(stats.used_heap_size(), std::memory_order_relaxed);
  out[2].store(stats.external_memory(), std::memory_order_relaxed);
}

// After each GC.
static void PublishHeap(Isolate* isolate, v8::GCType, v8::GCCallbackFlags, void* data) {
  v8::HeapStatistics stats;
  isolate->GetHeapStatistics(&stats);
  PublishStats(stats, static_cast<std::atomic<uint64_t>*>(data));
}

// Serializer delegate whose buffer is charged to the isolate's ArrayBuffer
// budget and capped, so a clone of a huge graph cannot exhaust the sidecar.
class CloneDelegate : public v8::ValueSerializer::Delegate {
 public:
  CloneDelegate(Isolate* isolate, LimitedAllocator* allocator, size_t cap)
      : isolate_(isolate), allocator_(allocator), cap_(cap) {}
  CloneDelegate(const CloneDelegate&) = delete;
  CloneDelegate& operator=(const CloneDelegate&) = delete;
  ~CloneDelegate() override { allocator_->Uncharge(charged_); }

  void ThrowDataCloneError(Local<String> message) override {
    Local<Context> ctx = isolate_->GetCurrentContext();
    Local<Value> err = v8::Exception::Error(message);
    err.As<Object>()
        ->Set(ctx, String::NewFromUtf8Literal(isolate_, "name"),
              String::NewFromUtf8Literal(isolate_, "DataCloneError"))
        .Check();
    isolate_->ThrowException(err);
  }
  void* ReallocateBufferMemory(void* old_buffer, size_t size, size_t* actual_size) override {
    if (size > cap_) {
      over_cap_ = true;
      return nullptr;
    }
    if (size > charged_) {
      if (!allocator_->TryCharge(size - charged_)) {
        over_budget_ = true;
        return nullptr;
      }
      charged_ = size;
    }
    void* p = realloc(old_buffer, size);
    if (p != nullptr) *actual_size = size;
    return p;
  }
  void FreeBufferMemory(void* buffer) override { free(buffer); }

  bool over_cap() const { return over_cap_; }
  bool over_budget() const { return over_budget_; }

 private:
  Isolate* isolate_;
  LimitedAllocator* allocator_;
  size_t cap_;
  size_t charged_ = 0;
  bool over_cap_ = false;
  bool over_budget_ = false;
};

}  // namespace

// The hooks the bootstrap returns, read once when a context is made: a guest
// that later reaches the hooks object cannot swap what the engine calls.
const char* const kHookNames[SE_HOOK_COUNT] = {
    "start",       "afterScript",       "timers",          "emitExit", "exitCode",
    "formatFatal", "uncaughtException", "onPromiseReject", "poll",     "runMain",
    "captureExports", "runModule", "importDynamic", "evaluateSynthetic", "importMeta",
    "prepareStackTrace",
};

// One op of the isolate's table, and the template its functions come from.
struct OpEntry {
  std::string name;
  uint32_t kind = SE_OP_SYNC;
  uint32_t nargs = 0;
  std::vector<uint8_t> transports;
  v8::Global<v8::FunctionTemplate> tmpl;
};

// What an isolate keeps of the guest builtins (see "Guest builtins" below).
struct IsolateBuiltins {
  // Each module's source as a string over the process's copy, made once:
  // V8's compilation cache finds a compiled module by this very string.
  std::vector<v8::Global<String>> sources;
  // V8 11.3 keeps no CompileFunction result per isolate, so there each
  // module is compiled here once, as a script evaluating to its function.
  std::vector<v8::Global<v8::UnboundScript>> scripts;
  // Compiled here at least once; and, of those, compiled while the process
  // had no code cache for it (`pending` counts these).
  std::vector<bool> compiled;
  std::vector<bool> uncached;
  size_t pending = 0;

  void Reset() {
    for (auto& s : sources) s.Reset();
    for (auto& s : scripts) s.Reset();
  }
};

// A finished call's context: unable to run script, its microtask queue
// emptied. The queue must outlive the context (V8 keeps a raw pointer to it),
// so both stay until the isolate goes; the handle is weak, so the context
// itself is collected as soon as nothing holds it.
struct Retired {
  v8::Global<Context> context;
  std::unique_ptr<v8::MicrotaskQueue> queue;
};

// V8's code cache of a guest file (a CommonJS function or an ES module),
// kept by the isolate for the runtime's later calls. Found by the file's
// name and the hash and length of its source; V8 checks the source again
// when it consumes the cache (and rejects a mismatch).
struct UserCode {
  std::string name;
  size_t length = 0;
  std::unique_ptr<v8::ScriptCompiler::CachedData> data;
};

struct se_isolate {
  Isolate* isolate = nullptr;
  std::shared_ptr<ForegroundRunner> runner;
  std::unique_ptr<PlatformDelegate> delegate;
  std::shared_ptr<LimitedAllocator> allocator;
  std::unique_ptr<Isolate::Scope> scope;
  se_isolate_params params{};
  size_t heap_limit = 0;
  // The context whose call is running (or being prepared); natives refuse to
  // serve any other, and rejections of other contexts' promises are dropped.
  se_context* current = nullptr;
  // The bootstrap (the loader) compiled once per isolate; every context
  // binds it afresh.
  v8::Global<v8::UnboundScript> bootstrap;
  const char* bootstrap_src = nullptr;
  IsolateBuiltins builtins;
  std::vector<Retired> retired;
  std::vector<OpEntry> ops;
  // Code caches of guest files by source hash, and their total size.
  std::unordered_multimap<uint64_t, UserCode> user_code;
  size_t user_code_bytes = 0;
  // Foreground tasks run since finished contexts' queues were last emptied:
  // only a task can queue a job into a finished context.
  size_t tasks_since_sweep = 0;
  // One memory check at a time: a guest asleep in its event loop runs no
  // interrupts, and the watchdog must not queue one per poll meanwhile.
  std::atomic<bool> memory_check_pending{false};
  // A stop the runtime asked for, until the next call clears it. V8 drops a
  // termination once the stack is empty, and native code may then enter
  // guest code again (an error's getters, hooks, tasks): HoldStop re-arms it.
  std::atomic<bool> stop_requested{false};
};

// Keeps a requested stop in force for guest code entered after V8 dropped
// its termination (once the stack unwound to native code).
inline void HoldStop(se_isolate* iso) {
  if (iso->stop_requested.load(std::memory_order_acquire) &&
      !iso->isolate->IsExecutionTerminating())
    iso->isolate->TerminateExecution();
}

// Every entry into script through the API (calls, runs, property reads that
// may run getters) passes here.
void BeforeCallEntered(Isolate* isolate) {
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  if (iso != nullptr) HoldStop(iso);
}

// True once this call is being stopped, even after V8 dropped the
// termination: no more guest code may run for it.
bool Stopping(Isolate* isolate) {
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  return isolate->IsExecutionTerminating() ||
         (iso != nullptr && iso->stop_requested.load(std::memory_order_acquire));
}

// One ES module of a context. Its id is its index in the context's table;
// the loader (guest JS) links each request to a module id, and V8's resolve
// callback reads the links.
struct ModuleRecord {
  v8::Global<v8::Module> module;
  // The module's requests in V8's order, with their `type` import attribute
  // ('' when none), and the id each was linked to (-1 until linked).
  std::vector<std::string> specifiers;
  std::vector<std::string> types;
  std::vector<int> links;
};

struct se_context {
  se_isolate* owner = nullptr;
  // Declared before `context`'s users below; freed by the isolate (Retired).
  std::unique_ptr<v8::MicrotaskQueue> queue;
  v8::Global<Context> context;
  v8::Global<v8::Function> hook_fns[SE_HOOK_COUNT];
  v8::Global<Object> config;
  // The main module's evaluation (its top-level await).
  v8::Global<v8::Promise> module_promise;
  std::vector<ModuleRecord> modules;
  // Identity hash -> ids, to find a module V8 hands back.
  std::unordered_multimap<int, int> module_ids;
  // What an op returns when it failed, and the failure it last reported.
  v8::Global<Object> failed;
  v8::Global<Value> last_error;
  // native.stat_values: where stat ops leave their fields (as Node's
  // statValues), so a stat returns a number instead of a new object.
  std::shared_ptr<v8::BackingStore> stat_store;
  // The vm contexts this call made (engine ops v8_vm_*), ended with it.
  std::vector<v8::Global<Context>> vm_contexts;
};

struct se_ret {
  Isolate* isolate;
  Local<Context> context;
  Local<Value> value;
  bool threw;
  // Set by se_ret_error: the op returns the context's `failed` marker.
  bool failed;
  // The op's arguments (for the value of a mistyped one).
  const FunctionCallbackInfo<Value>* info;
};

namespace {

// For names and messages the engine itself makes (always short).
Local<String> Str(Isolate* isolate, const char* p, size_t len) {
  if (len > static_cast<size_t>(String::kMaxLength)) return String::Empty(isolate);
  return String::NewFromUtf8(isolate, p, v8::NewStringType::kNormal, static_cast<int>(len))
      .FromMaybe(String::Empty(isolate));
}

// Every builtin (the loader and each module) is named node:<...>; its frames
// get no "file:line" arrow, as Node's own internals get none.
constexpr char kBuiltinPrefix[] = "node:";

bool IsBuiltinResource(const std::string& resource) {
  return resource.compare(0, sizeof kBuiltinPrefix - 1, kBuiltinPrefix) == 0;
}

// Gives an error Node's `code` property.
void SetCode(Isolate* isolate, Local<Context> context, Local<Value> err, const char* code) {
  if (context.IsEmpty() || !err->IsObject()) return;
  err.As<Object>()
      ->Set(context, String::NewFromUtf8Literal(isolate, "code"),
            String::NewFromUtf8(isolate, code).ToLocalChecked())
      .Check();
}

void ThrowCoded(Isolate* isolate, Local<Value> err, const char* code) {
  SetCode(isolate, isolate->GetCurrentContext(), err, code);
  isolate->ThrowException(err);
}

void ThrowStringTooLong(Isolate* isolate) {
  char msg[96];
  snprintf(msg, sizeof msg, "Cannot create a string longer than 0x%x characters",
           static_cast<unsigned>(String::kMaxLength));
  ThrowCoded(isolate, v8::Exception::RangeError(String::NewFromUtf8(isolate, msg).ToLocalChecked()),
             "ERR_STRING_TOO_LONG");
}

void ThrowAllocationFailed(Isolate* isolate) {
  ThrowCoded(isolate,
             v8::Exception::RangeError(
                 String::NewFromUtf8Literal(isolate, "Array buffer allocation failed")),
             "ERR_MEMORY_ALLOCATION_FAILED");
}

// Room left in the JS heap. A string or buffer that cannot fit is refused
// before V8 tries, because V8 ends the process when an allocation fails.
bool HeapHasRoom(Isolate* isolate, size_t bytes) {
  if (bytes < (size_t{1} << 20)) return true;
  v8::HeapStatistics hs;
  isolate->GetHeapStatistics(&hs);
  size_t used = hs.used_heap_size();
  return used < hs.heap_size_limit() && hs.heap_size_limit() - used > bytes + (size_t{8} << 20);
}

// A guest-visible string from UTF-8 bytes (invalid sequences become U+FFFD).
// Throws a RangeError instead of handing V8 a length it cannot take.
bool NewGuestString(Isolate* isolate, const char* p, size_t len, Local<String>* out) {
  if (len > static_cast<size_t>(String::kMaxLength)) {
    ThrowStringTooLong(isolate);
    return false;
  }
  // Each byte becomes at most one UTF-16 unit: two bytes of heap.
  if (!HeapHasRoom(isolate, len * 2)) {
    se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
    iso->allocator->ReportLimit(len * 2);
    ThrowAllocationFailed(isolate);
    return false;
  }
  if (!String::NewFromUtf8(isolate, p, v8::NewStringType::kNormal, static_cast<int>(len))
           .ToLocal(out)) {
    ThrowStringTooLong(isolate);
    return false;
  }
  return true;
}

// UTF-8 with lone surrogates replaced by U+FFFD, as WHATWG encoders do; at
// most `max` bytes (never splitting a character). *cut is set when shortened.
std::string ToUtf8Bounded(Isolate* isolate, Local<Value> v, size_t max, bool* cut) {
  *cut = false;
  Local<String> str;
  if (v->IsString()) {
    str = v.As<String>();
  } else if (!v->ToString(isolate->GetCurrentContext()).ToLocal(&str)) {
    return std::string();
  }
#if SE_V8_AT_LEAST(13, 0)
  size_t len = str->Utf8LengthV2(isolate);
  if (len > max) {
    *cut = true;
    len = max;
  }
  std::string out(len, '\0');
  size_t written = str->WriteUtf8V2(isolate, out.data(), len, String::WriteFlags::kReplaceInvalidUtf8);
  out.resize(written);
#else
  size_t len = static_cast<size_t>(str->Utf8Length(isolate));
  if (len > max) {
    *cut = true;
    len = max;
  }
  std::string out(len, '\0');
  int written = str->WriteUtf8(isolate, out.data(), static_cast<int>(len), nullptr,
                               String::REPLACE_INVALID_UTF8 | String::NO_NULL_TERMINATION);
  out.resize(written > 0 ? static_cast<size_t>(written) : 0);
#endif
  return out;
}

std::string ToUtf8(Isolate* isolate, Local<Value> v) {
  bool cut;
  return ToUtf8Bounded(isolate, v, SIZE_MAX, &cut);
}

void Emit(void* sink, se_sink_fn fn, uint32_t field, const std::string& s, bool cut = false) {
  fn(sink, field, s.data(), s.size(), cut ? 1 : 0);
}

// One text field of an exception report, bounded by the isolate's limit.
void EmitField(se_isolate* iso, Isolate* isolate, void* sink, se_sink_fn fn, uint32_t field,
               Local<Value> v) {
  bool cut;
  std::string text = ToUtf8Bounded(isolate, v, iso->params.max_report_field_bytes, &cut);
  Emit(sink, fn, field, text, cut);
}

Local<v8::Function> Hook(se_context* ctx, int hook) {
  return ctx->hook_fns[hook].IsEmpty() ? Local<v8::Function>()
                                       : ctx->hook_fns[hook].Get(ctx->owner->isolate);
}

// Reports an exception caught by `tc` through the sink: its name, message,
// stack, code, where it was thrown, and hooks.inspectError(err) when the
// context is set up.
void ReportException(se_context* ctx, Isolate* isolate, Local<Context> context, Local<Value> exc,
                     Local<v8::Message> msg, void* sink, se_sink_fn fn) {
  HandleScope scope(isolate);
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  // Rethrown by the guest builtins (a callback's error leaving the event
  // loop): point at where the error was made instead, as Node does.
  if (ctx != nullptr && !msg.IsEmpty() && exc->IsNativeError() &&
      IsBuiltinResource(ToUtf8(isolate, msg->GetScriptResourceName()))) {
    Local<v8::Message> own = v8::Exception::CreateMessage(isolate, exc);
    if (!own.IsEmpty()) msg = own;
  }
  if (!msg.IsEmpty()) {
    EmitField(iso, isolate, sink, fn, SE_EXC_RESOURCE, msg->GetScriptResourceName());
    Local<String> line;
    if (msg->GetSourceLine(context).ToLocal(&line)) {
      EmitField(iso, isolate, sink, fn, SE_EXC_SOURCE_LINE, line);
    }
    fn(sink, SE_EXC_LINE, nullptr, 0, msg->GetLineNumber(context).FromMaybe(0));
    fn(sink, SE_EXC_START_COL, nullptr, 0, msg->GetStartColumn(context).FromMaybe(0));
    fn(sink, SE_EXC_END_COL, nullptr, 0, msg->GetEndColumn(context).FromMaybe(0));
  }
  // Reading properties runs guest getters; a throwing getter must not leak.
  TryCatch inner(isolate);
  bool is_error = exc->IsNativeError();
  fn(sink, SE_EXC_IS_ERROR, nullptr, 0, is_error ? 1 : 0);
  if (exc->IsObject()) {
    Local<Object> obj = exc.As<Object>();
    Local<Value> v;
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "name")).ToLocal(&v) &&
        v->IsString())
      EmitField(iso, isolate, sink, fn, SE_EXC_NAME, v);
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "message")).ToLocal(&v) &&
        !v->IsUndefined())
      EmitField(iso, isolate, sink, fn, SE_EXC_MESSAGE, v);
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "stack")).ToLocal(&v) &&
        v->IsString())
      EmitField(iso, isolate, sink, fn, SE_EXC_STACK, v);
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "code")).ToLocal(&v) &&
        (v->IsString() || v->IsNumber()))
      EmitField(iso, isolate, sink, fn, SE_EXC_CODE, v);
  } else {
    EmitField(iso, isolate, sink, fn, SE_EXC_MESSAGE, exc);
  }
  inner.Reset();
  if (ctx != nullptr && !Stopping(isolate)) {
    // Node's "file:line / source line / caret" arrow, for code of the guest's own.
    std::string arrow;
    if (!msg.IsEmpty()) {
      std::string resource = ToUtf8(isolate, msg->GetScriptResourceName());
      Local<String> line;
      int lineno = msg->GetLineNumber(context).FromMaybe(0);
      if (!IsBuiltinResource(resource) && lineno > 0 &&
          msg->GetSourceLine(context).ToLocal(&line)) {
        int start = msg->GetStartColumn(context).FromMaybe(0);
        int end = msg->GetEndColumn(context).FromMaybe(start + 1);
        bool syntax = false;
        bool cut;
        if (exc->IsObject()) {
          Local<Value> name;
          syntax = exc.As<Object>()
                       ->Get(context, String::NewFromUtf8Literal(isolate, "name"))
                       .ToLocal(&name) &&
                   ToUtf8Bounded(isolate, name, 64, &cut) == "SyntaxError";
          inner.Reset();
        }
        int width = syntax && end > start ? end - start : 1;
        std::string src_line = ToUtf8Bounded(isolate, line, iso->params.max_report_field_bytes, &cut);
        arrow = resource + ":" + std::to_string(lineno) + "\n" + src_line + "\n" +
                std::string(start > 0 ? start : 0, ' ') + std::string(width, '^') + "\n";
      }
    }
    Local<v8::Function> f = Hook(ctx, SE_HOOK_FORMAT_FATAL);
    if (!f.IsEmpty()) {
      Local<Value> argv[2] = {exc, Str(isolate, arrow.data(), arrow.size())};
      Local<Value> out;
      if (f->Call(context, v8::Undefined(isolate), 2, argv).ToLocal(&out) && out->IsString())
        EmitField(iso, isolate, sink, fn, SE_EXC_INSPECTED, out);
    }
  }
}

// The main script threw: offers the exception to hooks.uncaughtException
// (process 'uncaughtException' listeners); true when they took it.
bool OfferUncaught(se_context* ctx, Isolate* isolate, Local<Context> context, Local<Value> exc) {
  if (Stopping(isolate)) return false;
  Local<v8::Function> f = Hook(ctx, SE_HOOK_UNCAUGHT);
  if (f.IsEmpty()) return false;
  TryCatch tc(isolate);
  Local<Value> out;
  Local<Value> argv[1] = {exc};
  return f->Call(context, v8::Undefined(isolate), 1, argv).ToLocal(&out) && out->IsTrue();
}

int Finish(se_context* ctx, Isolate* isolate, Local<Context> context, TryCatch* tc, void* sink,
           se_sink_fn fn, bool main_script = false) {
  if (tc->HasTerminated() || Stopping(isolate)) return SE_TERMINATED;
  if (tc->HasCaught()) {
    if (main_script && OfferUncaught(ctx, isolate, context, tc->Exception())) {
      return Stopping(isolate) ? SE_TERMINATED : SE_OK;
    }
    ReportException(ctx, isolate, context, tc->Exception(), tc->Message(), sink, fn);
    return Stopping(isolate) ? SE_TERMINATED : SE_EXCEPTION;
  }
  return SE_OK;
}

// True when a native is called from the context of the call now running.
// A finished call's functions may still be reachable from V8's own queues;
// they must not act on (or see) a later call.
bool IsCurrentCall(Isolate* isolate, se_isolate* iso) {
  return iso != nullptr && iso->current != nullptr &&
         isolate->GetCurrentContext() == iso->current->context.Get(isolate);
}

bool RefuseDetached(const FunctionCallbackInfo<Value>& info, se_isolate** out) {
  Isolate* isolate = info.GetIsolate();
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  if (IsCurrentCall(isolate, iso)) {
    *out = iso;
    return false;
  }
  ThrowCoded(isolate,
             v8::Exception::Error(
                 String::NewFromUtf8Literal(isolate, "This guest process has ended")),
             "ERR_SANDBOX_DETACHED");
  return true;
}

// A string argument's UTF-8 copy is charged to the ArrayBuffer budget while
// the op runs, so a huge string cannot make the sidecar allocate unbounded.
struct ArgScratch {
  std::string text;
  LimitedAllocator* charged_to = nullptr;
  size_t charged = 0;
  // An argument the engine serialized (SE_TRANSPORT_CLONE).
  uint8_t* cloned = nullptr;
  ArgScratch() = default;
  ArgScratch(const ArgScratch&) = delete;
  ArgScratch& operator=(const ArgScratch&) = delete;
  ~ArgScratch() {
    if (charged_to != nullptr) charged_to->Uncharge(charged);
    free(cloned);
  }
};

bool Serialize(Isolate* isolate, se_isolate* iso, Local<Value> value, size_t cap,
               const char* what, std::pair<uint8_t*, size_t>* out);

// false: a RangeError is pending (over the budget).
bool ToSeValue(Isolate* isolate, se_isolate* iso, Local<Value> v, se_value* out,
               ArgScratch* scratch) {
  out->num = 0;
  out->ptr = nullptr;
  out->len = 0;
  if (v->IsUndefined()) {
    out->kind = SE_UNDEFINED;
  } else if (v->IsNull()) {
    out->kind = SE_NULL;
  } else if (v->IsBoolean()) {
    out->kind = SE_BOOL;
    out->num = v->IsTrue() ? 1 : 0;
  } else if (v->IsNumber()) {
    out->kind = SE_NUMBER;
    out->num = v.As<v8::Number>()->Value();
  } else if (v->IsString()) {
    out->kind = SE_STRING;
    Local<String> str = v.As<String>();
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    size_t bound = static_cast<size_t>(str->Length()) * 3;
    if (bound > (size_t{64} << 10)) {
      if (!iso->allocator->TryCharge(bound)) {
        iso->allocator->ReportLimit(bound);
        ThrowAllocationFailed(isolate);
        return false;
      }
      scratch->charged_to = iso->allocator.get();
      scratch->charged = bound;
    }
    scratch->text = ToUtf8(isolate, v);
    out->ptr = reinterpret_cast<uint8_t*>(scratch->text.data());
    out->len = scratch->text.size();
  } else if (v->IsArrayBufferView()) {
    Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    out->kind = SE_BYTES;
    std::shared_ptr<v8::BackingStore> store = view->Buffer()->GetBackingStore();
    out->ptr = static_cast<uint8_t*>(store->Data()) + view->ByteOffset();
    out->len = view->ByteLength();
    if (out->ptr == nullptr) out->len = 0;
  } else if (v->IsArrayBuffer() || v->IsSharedArrayBuffer()) {
    // The buffer's own bytes, as V8 reads them (no guest getter involved).
    std::shared_ptr<v8::BackingStore> store =
        v->IsArrayBuffer() ? v.As<v8::ArrayBuffer>()->GetBackingStore()
                           : v.As<v8::SharedArrayBuffer>()->GetBackingStore();
    out->kind = SE_BYTES;
    out->ptr = static_cast<uint8_t*>(store->Data());
    out->len = out->ptr == nullptr ? 0 : store->ByteLength();
  } else {
    out->kind = SE_OTHER;
  }
  return true;
}

void FreeCharged(void* data, size_t length, void* allocator) {
  static_cast<LimitedAllocator*>(allocator)->Free(data, length);
}

// A Uint8Array holding a copy of `p`, charged to the isolate's ArrayBuffer
// budget. Never aborts: a refusal (after one full GC) throws a RangeError and
// reports the memory limit.
bool NewBytes(Isolate* isolate, const uint8_t* p, size_t len, Local<v8::Uint8Array>* out) {
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  LimitedAllocator* alloc = iso->allocator.get();
  if (len > v8::Uint8Array::kMaxLength) {
    ThrowAllocationFailed(isolate);
    return false;
  }
  void* mem = alloc->AllocateUninitialized(len);
  if (mem == nullptr) {
    isolate->LowMemoryNotification();
    mem = alloc->AllocateUninitialized(len);
  }
  if (mem == nullptr) {
    alloc->ReportLimit(len);
    ThrowAllocationFailed(isolate);
    return false;
  }
  if (len > 0) memcpy(mem, p, len);
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(mem, len, FreeCharged, alloc);
  Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, std::move(store));
  *out = v8::Uint8Array::New(ab, 0, len);
  return true;
}

// Most arguments any hook is called with.
constexpr size_t kMaxArgs = 8;
// Ops with at most this many arguments convert them without a heap allocation.
constexpr size_t kInlineArgs = 6;

// native[op](...): hands the op's declared arguments to Rust's op table.
void OpCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  uint32_t op = info.Data().As<v8::Uint32>()->Value();
  const OpEntry& entry = iso->ops[op];
  size_t n = entry.nargs;
  se_value inline_args[kInlineArgs];
  ArgScratch inline_scratch[kInlineArgs];
  std::unique_ptr<se_value[]> heap_args;
  std::unique_ptr<ArgScratch[]> heap_scratch;
  se_value* args = inline_args;
  ArgScratch* scratch = inline_scratch;
  if (n > kInlineArgs) {
    heap_args.reset(new se_value[n]);
    heap_scratch.reset(new ArgScratch[n]);
    args = heap_args.get();
    scratch = heap_scratch.get();
  }
  for (size_t i = 0; i < n; i++) {
    // info[i] is undefined past the arguments given.
    Local<Value> v = info[static_cast<int>(i)];
    if (entry.transports[i] == SE_TRANSPORT_CLONE) {
      std::pair<uint8_t*, size_t> buf;
      if (!Serialize(isolate, iso, v, iso->params.max_return_bytes, "the host", &buf)) return;
      scratch[i].cloned = buf.first;
      args[i] = se_value{SE_CLONED, 0, buf.first, buf.second};
    } else if (!ToSeValue(isolate, iso, v, &args[i], &scratch[i])) {
      return;
    }
  }
  se_ret ret{isolate, isolate->GetCurrentContext(), v8::Undefined(isolate), false, false, &info};
  iso->params.on_op(iso->params.data, op, args, n, &ret);
  if (ret.threw) {
    isolate->ThrowException(ret.value);
    return;
  }
  if (ret.failed) {
    // No throw from here: the guest builds the error, with a stack that
    // starts at the user's call.
    se_context* ctx = iso->current;
    ctx->last_error.Reset(isolate, ret.value);
    info.GetReturnValue().Set(ctx->failed.Get(isolate));
    return;
  }
  info.GetReturnValue().Set(ret.value);
}

// native.v8_take_error(): the failure the last failed op reported.
void TakeErrorCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  se_context* ctx = iso->current;
  if (ctx->last_error.IsEmpty()) return;
  info.GetReturnValue().Set(ctx->last_error.Get(info.GetIsolate()));
  ctx->last_error.Reset();
}

// Serializes `value` with the isolate's budget and `cap`; on failure an
// exception is pending (DataCloneError, or RangeError when over a bound).
// `what` names the API in the message.
bool Serialize(Isolate* isolate, se_isolate* iso, Local<Value> value, size_t cap,
               const char* what, std::pair<uint8_t*, size_t>* out) {
  Local<Context> context = isolate->GetCurrentContext();
  CloneDelegate delegate(isolate, iso->allocator.get(), cap);
  v8::ValueSerializer ser(isolate, &delegate);
  ser.WriteHeader();
  bool bound_hit = false;
  {
    TryCatch tc(isolate);
    if (ser.WriteValue(context, value).FromMaybe(false)) {
      *out = ser.Release();
      return true;
    }
    // V8 reports a refused buffer as a DataCloneError; say which bound it hit.
    bound_hit = (delegate.over_cap() || delegate.over_budget()) && !tc.HasTerminated();
    if (!bound_hit && tc.HasCaught()) tc.ReThrow();
  }
  if (!bound_hit) return false;
  if (delegate.over_cap()) {
    char msg[160];
    snprintf(msg, sizeof msg,
             "The value passed to %s is too large (the limit is %zu bytes serialized)", what, cap);
    ThrowCoded(isolate,
               v8::Exception::RangeError(String::NewFromUtf8(isolate, msg).ToLocalChecked()),
               "ERR_OUT_OF_RANGE");
  } else {
    iso->allocator->ReportLimit(0);
    ThrowAllocationFailed(isolate);
  }
  return false;
}

// structuredClone(value): serialized and read back inside the engine, so
// the guest never hands the deserializer bytes of its own making.
void StructuredCloneCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  std::pair<uint8_t*, size_t> buf;
  if (!Serialize(isolate, iso, info[0], iso->allocator->limit(), "structuredClone", &buf))
    return;
  {
    v8::ValueDeserializer des(isolate, buf.first, buf.second);
    Local<Value> out;
    if (des.ReadHeader(context).FromMaybe(false) && des.ReadValue(context).ToLocal(&out))
      info.GetReturnValue().Set(out);
  }
  free(buf.first);
}

// Serializes info[0] for the host (the engine's own serializer writes the
// bytes, bounded by the return cap): kind 0 a __return value, 1 the main
// module's exports (a plain copy the bootstrap made of its namespace).
void ReturnSerialized(const FunctionCallbackInfo<Value>& info, int kind, const char* what) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  std::pair<uint8_t*, size_t> buf;
  if (!Serialize(isolate, iso, info[0], iso->params.max_return_bytes, what, &buf)) return;
  iso->params.on_return(iso->params.data, kind, buf.first, buf.second);
  free(buf.first);
}

void ReturnValueCallback(const FunctionCallbackInfo<Value>& info) {
  ReturnSerialized(info, 0, "__return");
}

void ReturnExportsCallback(const FunctionCallbackInfo<Value>& info) {
  ReturnSerialized(info, 1, "exports");
}

v8::ScriptOrigin Origin(Isolate* isolate, Local<String> name, bool is_module);

// ---- code caches of guest files ----
// Sources shorter than this compile about as fast as a cache is found.
constexpr int kMinCachedSource = 2048;
// What one isolate keeps of V8's cache data, in bytes; past it, files
// compile from source.
constexpr size_t kMaxUserCodeBytes = 32 << 20;

// A 64-bit hash of the source text, read in bounded chunks.
uint64_t SourceHash(Isolate* isolate, Local<String> src) {
  constexpr int kChunk = 16 << 10;
  int len = src->Length();
  uint64_t h = 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(len);
  auto mix = [&h](const unsigned char* p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      h = (h ^ w) * 0x100000001b3ull;
      h ^= h >> 29;
    }
    for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  };
  if (src->IsOneByte()) {
    std::vector<uint8_t> buf(std::min(len, kChunk));
    for (int at = 0; at < len; at += kChunk) {
      int n = std::min(kChunk, len - at);
      src->WriteOneByte(isolate, buf.data(), at, n, String::NO_NULL_TERMINATION);
      mix(buf.data(), static_cast<size_t>(n));
    }
  } else {
    std::vector<uint16_t> buf(std::min(len, kChunk));
    for (int at = 0; at < len; at += kChunk) {
      int n = std::min(kChunk, len - at);
      src->Write(isolate, buf.data(), at, n, String::NO_NULL_TERMINATION);
      mix(reinterpret_cast<const unsigned char*>(buf.data()), static_cast<size_t>(n) * 2);
    }
  }
  return h;
}

// The cache of `src` named `name`, if the isolate has one. `*key` is what
// StoreUserCode files it under (0: too small to cache).
UserCode* FindUserCode(se_isolate* iso, Isolate* isolate, Local<String> src,
                       const std::string& name, uint64_t* key) {
  *key = 0;
  if (src->Length() < kMinCachedSource) return nullptr;
  *key = (SourceHash(isolate, src) ^ std::hash<std::string>()(name)) | 1;
  auto range = iso->user_code.equal_range(*key);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.name == name && it->second.length == static_cast<size_t>(src->Length()))
      return &it->second;
  }
  return nullptr;
}

void DropUserCode(se_isolate* iso, uint64_t key, UserCode* code) {
  auto range = iso->user_code.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    if (&it->second != code) continue;
    iso->user_code_bytes -= static_cast<size_t>(code->data->length);
    iso->user_code.erase(it);
    return;
  }
}

void StoreUserCode(se_isolate* iso, uint64_t key, const std::string& name, size_t length,
                   v8::ScriptCompiler::CachedData* data) {
  std::unique_ptr<v8::ScriptCompiler::CachedData> own(data);
  if (own == nullptr || iso->user_code_bytes + static_cast<size_t>(own->length) > kMaxUserCodeBytes)
    return;
  iso->user_code_bytes += static_cast<size_t>(own->length);
  UserCode code;
  code.name = name;
  code.length = length;
  code.data = std::move(own);
  iso->user_code.emplace(key, std::move(code));
}

// One compile of a guest file with the isolate's code cache: consumes the
// file's cache if there is one, else makes one once the compile succeeded.
class CachedCompile {
 public:
  CachedCompile(se_isolate* iso, Isolate* isolate, Local<String> text, Local<Value> name)
      : iso_(iso), name_(ToUtf8(isolate, name)), length_(static_cast<size_t>(text->Length())) {
    hit_ = FindUserCode(iso, isolate, text, name_, &key_);
  }
  // For ScriptCompiler::Source (which takes ownership of the copy).
  v8::ScriptCompiler::CachedData* Data() const {
    if (hit_ == nullptr) return nullptr;
    return new v8::ScriptCompiler::CachedData(hit_->data->data, hit_->data->length,
                                              v8::ScriptCompiler::CachedData::BufferNotOwned);
  }
  v8::ScriptCompiler::CompileOptions Options() const {
    return hit_ != nullptr ? v8::ScriptCompiler::kConsumeCodeCache
                           : v8::ScriptCompiler::kNoCompileOptions;
  }
  // After a compile that succeeded: drops a cache V8 rejected, or keeps
  // the one `make()` creates for a file that had none.
  template <typename Make>
  void Done(v8::ScriptCompiler::Source* source, Make make) {
    if (hit_ != nullptr && source->GetCachedData()->rejected) {
      DropUserCode(iso_, key_, hit_);
    } else if (hit_ == nullptr && key_ != 0) {
      StoreUserCode(iso_, key_, name_, length_, make());
    }
  }

 private:
  se_isolate* iso_;
  std::string name_;
  size_t length_;
  uint64_t key_ = 0;
  UserCode* hit_ = nullptr;
};

// Node's CommonJS wrapper function (exports, require, module, __filename,
// __dirname) around source text, named by its file in stack traces; a
// syntax error is thrown to the caller.
void CompileCjsCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString() || !info[1]->IsString()) return;
  Local<Context> context = isolate->GetCurrentContext();
  v8::ScriptOrigin origin = Origin(isolate, info[1].As<String>(), false);
  CachedCompile cache(iso, isolate, info[0].As<String>(), info[1]);
  v8::ScriptCompiler::Source source(info[0].As<String>(), origin, cache.Data());
  Local<String> params[5] = {
      String::NewFromUtf8Literal(isolate, "exports"),
      String::NewFromUtf8Literal(isolate, "require"),
      String::NewFromUtf8Literal(isolate, "module"),
      String::NewFromUtf8Literal(isolate, "__filename"),
      String::NewFromUtf8Literal(isolate, "__dirname"),
  };
  Local<v8::Function> fn;
  if (!v8::ScriptCompiler::CompileFunction(context, &source, 5, params, 0, nullptr,
                                           cache.Options())
           .ToLocal(&fn))
    return;
  cache.Done(&source, [&] { return v8::ScriptCompiler::CreateCodeCacheForFunction(fn); });
  info.GetReturnValue().Set(fn);
}

// [state, result] of a promise (0 pending, 1 fulfilled, 2 rejected), for
// util.inspect; undefined for anything else.
void PromiseStateCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsPromise()) return;
  Local<v8::Promise> p = info[0].As<v8::Promise>();
  int state = p->State() == v8::Promise::kPending ? 0 : p->State() == v8::Promise::kFulfilled ? 1 : 2;
  Local<Value> items[2] = {v8::Integer::New(isolate, state),
                           state == 0 ? Local<Value>(v8::Undefined(isolate)) : p->Result()};
  info.GetReturnValue().Set(v8::Array::New(isolate, items, 2));
}

// [target, handler] of a proxy (null, null when revoked), without running
// its traps; undefined for anything else.
void ProxyDetailsCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsProxy()) return;
  Local<v8::Proxy> proxy = info[0].As<v8::Proxy>();
  Local<Value> items[2] = {proxy->GetTarget(), proxy->GetHandler()};
  info.GetReturnValue().Set(v8::Array::New(isolate, items, 2));
}

// What V8 knows of a value that no builtin getter can tell without side
// effects (util.types): a bit set, 0 for anything else.
void TypeFlagsCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Local<Value> v = info[0];
  int32_t flags = 0;
  if (v->IsArgumentsObject()) flags |= 1;
  if (v->IsGeneratorObject()) flags |= 2;
  if (v->IsMapIterator()) flags |= 4;
  if (v->IsSetIterator()) flags |= 8;
  if (v->IsModuleNamespaceObject()) flags |= 16;
  if (v->IsAsyncFunction()) flags |= 32;
  if (v->IsGeneratorFunction()) flags |= 64;
  if (v->IsExternal()) flags |= 128;
  if (v->IsProxy()) flags |= 256;
  if (v->IsNativeError()) flags |= 512;
  info.GetReturnValue().Set(flags);
}

// [heapTotal, heapUsed, external, arrayBuffers, physical, heapLimit] of
// the guest's isolate, for process.memoryUsage() and os.freemem().
void HeapStatsCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  v8::HeapStatistics hs;
  isolate->GetHeapStatistics(&hs);
  double values[6] = {
      static_cast<double>(hs.total_heap_size()),
      static_cast<double>(hs.used_heap_size()),
      static_cast<double>(hs.external_memory()),
      static_cast<double>(iso->allocator->in_use()),
      static_cast<double>(hs.total_physical_size()),
      static_cast<double>(hs.heap_size_limit()),
  };
  Local<Value> items[6];
  for (int i = 0; i < 6; i++) items[i] = v8::Number::New(isolate, values[i]);
  info.GetReturnValue().Set(v8::Array::New(isolate, items, 6));
}

// Whether V8 has work that will call back into the guest: tasks ready to
// run, or background work (a WebAssembly compile) that will post one.
void PendingTasksCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  bool pending = iso->isolate->HasPendingBackgroundTasks() || iso->runner->HasReady();
  info.GetReturnValue().Set(pending);
}

// Drains the running call's own microtask queue.
void RunMicrotasksCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  HoldStop(iso);
  iso->current->queue->PerformCheckpoint(info.GetIsolate());
}

void PromiseRejectCallback(v8::PromiseRejectMessage message) {
  Local<v8::Promise> promise = message.GetPromise();
  Isolate* isolate = promise->GetIsolate();
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  if (iso == nullptr || iso->current == nullptr) return;
  int type;
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler:
      type = 0;
      break;
    case v8::kPromiseHandlerAddedAfterReject:
      type = 1;
      break;
    default:
      return;
  }
  // Only the call that made the promise hears of it: a finished call's
  // promise must never reach (or be handed) a later call's hooks.
  Local<Context> created;
#if SE_V8_AT_LEAST(13, 0)
  if (!promise->GetCreationContext(isolate).ToLocal(&created)) return;
#else
  if (!promise->GetCreationContext().ToLocal(&created)) return;
#endif
  Local<Context> context = iso->current->context.Get(isolate);
  if (created != context) return;
  Local<v8::Function> f = Hook(iso->current, SE_HOOK_PROMISE_REJECT);
  if (f.IsEmpty()) return;
  Local<Value> reason = message.GetValue();
  if (reason.IsEmpty()) reason = v8::Undefined(isolate);
  Local<Value> argv[3] = {v8::Integer::New(isolate, type), promise, reason};
  Local<Value> ignored;
  if (!f->Call(context, v8::Undefined(isolate), 3, argv).ToLocal(&ignored)) return;
}


size_t NearHeapLimit(void* data, size_t current, size_t initial) {
  se_isolate* iso = static_cast<se_isolate*>(data);
  return iso->params.on_heap_limit(iso->params.data, current, initial);
}

// Run by V8 on the isolate's thread at the watchdog's request: memory V8
// allocates outside the ArrayBuffer allocator (WebAssembly memories, and
// resizable buffers where V8 accounts them) counts against the same budget.
void MemoryCheckInterrupt(Isolate* isolate, void* data) {
  se_isolate* iso = static_cast<se_isolate*>(data);
  iso->memory_check_pending.store(false);
  v8::HeapStatistics hs;
  isolate->GetHeapStatistics(&hs);
  if (iso->params.memory_out != nullptr) {
    PublishStats(hs, static_cast<std::atomic<uint64_t>*>(iso->params.memory_out));
  }
  if (hs.external_memory() > iso->allocator->limit()) {
    iso->allocator->ReportLimit(hs.external_memory() - iso->allocator->limit());
  }
}

// Script of a suspended or finished context tried to run (V8 throws).
void AbortDetached(Isolate* isolate, Local<Context>) {
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  if (iso != nullptr) iso->runner->ParkPosts();
}

// Empties `queue` without running its jobs: a termination that is pending
// when the queue runs makes V8 drop every job left in it.
void DropMicrotasks(Isolate* isolate, v8::MicrotaskQueue* queue) {
  isolate->TerminateExecution();
  queue->PerformCheckpoint(isolate);
  isolate->CancelTerminateExecution();
}

v8::ScriptOrigin Origin(Isolate* isolate, Local<String> name, bool is_module) {
#if SE_V8_AT_LEAST(12, 0)
  (void)isolate;
  return v8::ScriptOrigin(name, 0, 0, false, -1, Local<Value>(), false, false, is_module);
#else
  return v8::ScriptOrigin(isolate, name, 0, 0, false, -1, Local<Value>(), false, false,
                          is_module);
#endif
}

// ---- ES modules ----
// The loader (guest JS) drives module loading through these natives: it
// compiles each module, asks for its requests, resolves them in the kernel,
// links each request to a module id, then instantiates and evaluates. Ids
// index the context's table; every id and value coming from JS is checked
// here, since V8 ends the process on a misuse of its module API.

// Modules one context may hold (a module per file it loads).
constexpr size_t kMaxModules = 1 << 16;
// Export names of one synthetic module (a CommonJS module's or a builtin's).
constexpr uint32_t kMaxSyntheticExports = 1 << 16;

se_context* CurrentContext(Isolate* isolate) {
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  return iso == nullptr ? nullptr : iso->current;
}

int ModuleId(se_context* ctx, Isolate* isolate, Local<v8::Module> m) {
  auto range = ctx->module_ids.equal_range(m->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    if (ctx->modules[it->second].module.Get(isolate) == m) return it->second;
  }
  return -1;
}

void ThrowModuleError(Isolate* isolate, const char* msg) {
  ThrowCoded(isolate, v8::Exception::TypeError(String::NewFromUtf8(isolate, msg).ToLocalChecked()),
             "ERR_INVALID_ARG_VALUE");
}

// The module argument `info[i]` names, or null (an exception is thrown).
ModuleRecord* ArgModule(const FunctionCallbackInfo<Value>& info, int i, se_context* ctx) {
  Local<Value> v = info[i];
  if (v->IsUint32()) {
    uint32_t id = v.As<v8::Uint32>()->Value();
    if (id < ctx->modules.size()) return &ctx->modules[id];
  }
  ThrowModuleError(info.GetIsolate(), "no such module");
  return nullptr;
}

// The `type` import attribute among `attrs` (entries of `step` slots:
// key, value[, source offset]); '' when there is none.
std::string TypeAttribute(Isolate* isolate, Local<Context> context, Local<v8::FixedArray> attrs,
                          int step) {
  if (attrs.IsEmpty()) return "";
  for (int i = 0; i + 1 < attrs->Length(); i += step) {
    Local<v8::Data> k = attrs->Get(context, i);
    Local<v8::Data> v = attrs->Get(context, i + 1);
    if (!k->IsValue() || !v->IsValue()) continue;
    bool cut;
    if (ToUtf8Bounded(isolate, k.As<Value>(), 16, &cut) == "type")
      return ToUtf8Bounded(isolate, v.As<Value>(), 64, &cut);
  }
  return "";
}

int AddModule(se_context* ctx, Isolate* isolate, Local<Context> context, Local<v8::Module> m) {
  int id = static_cast<int>(ctx->modules.size());
  ModuleRecord rec;
  rec.module.Reset(isolate, m);
  if (m->IsSourceTextModule()) {
    Local<v8::FixedArray> reqs = m->GetModuleRequests();
    for (int i = 0; i < reqs->Length(); i++) {
      Local<v8::ModuleRequest> r = reqs->Get(context, i).As<v8::ModuleRequest>();
      rec.specifiers.push_back(ToUtf8(isolate, r->GetSpecifier()));
#if SE_V8_AT_LEAST(12, 0)
      rec.types.push_back(TypeAttribute(isolate, context, r->GetImportAttributes(), 3));
#else
      rec.types.push_back(TypeAttribute(isolate, context, r->GetImportAssertions(), 3));
#endif
      rec.links.push_back(-1);
    }
  }
  ctx->modules.push_back(std::move(rec));
  ctx->module_ids.emplace(m->GetIdentityHash(), id);
  return id;
}

bool RoomForModule(Isolate* isolate, se_context* ctx) {
  if (ctx->modules.size() < kMaxModules) return true;
  ThrowCoded(isolate,
             v8::Exception::RangeError(String::NewFromUtf8Literal(
                 isolate, "Too many modules: one call may load at most 65536")),
             "ERR_SANDBOX_MODULE_LIMIT");
  return false;
}

// v8_module_compile(source, url) -> id: an ES module named `url` in stack
// traces; a syntax error is thrown to the caller.
void ModuleCompileCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  se_context* ctx = iso->current;
  if (!info[0]->IsString() || !info[1]->IsString()) {
    ThrowModuleError(isolate, "module source and name must be strings");
    return;
  }
  if (!RoomForModule(isolate, ctx)) return;
  v8::ScriptOrigin origin = Origin(isolate, info[1].As<String>(), true);
  CachedCompile cache(iso, isolate, info[0].As<String>(), info[1]);
  v8::ScriptCompiler::Source source(info[0].As<String>(), origin, cache.Data());
  Local<v8::Module> m;
  if (!v8::ScriptCompiler::CompileModule(isolate, &source, cache.Options()).ToLocal(&m)) return;
  cache.Done(&source, [&] { return v8::ScriptCompiler::CreateCodeCache(m->GetUnboundModuleScript()); });
  info.GetReturnValue().Set(AddModule(ctx, isolate, isolate->GetCurrentContext(), m));
}

MaybeLocal<Value> EvaluateSynthetic(Local<Context> context, Local<v8::Module> module);

// v8_module_synthetic(name, exportNames) -> id: a module whose exports the
// loader sets when V8 evaluates it (hooks.evaluateSynthetic).
void ModuleSyntheticCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  se_context* ctx = iso->current;
  if (!info[0]->IsString() || !info[1]->IsArray() ||
      info[1].As<v8::Array>()->Length() > kMaxSyntheticExports) {
    ThrowModuleError(isolate, "a synthetic module needs a name and an array of export names");
    return;
  }
  if (!RoomForModule(isolate, ctx)) return;
  Local<v8::Array> list = info[1].As<v8::Array>();
  std::vector<Local<String>> names;
  std::unordered_map<std::string, bool> seen;
  for (uint32_t i = 0; i < list->Length(); i++) {
    Local<Value> v;
    if (!list->Get(context, i).ToLocal(&v)) return;
    if (!v->IsString()) {
      ThrowModuleError(isolate, "export names must be strings");
      return;
    }
    // V8 requires the names to be unique.
    if (!seen.emplace(ToUtf8(isolate, v), true).second) continue;
    names.push_back(v.As<String>());
  }
#if SE_V8_AT_LEAST(12, 0)
  Local<v8::Module> m = v8::Module::CreateSyntheticModule(
      isolate, info[0].As<String>(),
      v8::MemorySpan<const Local<String>>(names.data(), names.size()), EvaluateSynthetic);
#else
  Local<v8::Module> m =
      v8::Module::CreateSyntheticModule(isolate, info[0].As<String>(), names, EvaluateSynthetic);
#endif
  info.GetReturnValue().Set(AddModule(ctx, isolate, context, m));
}

// v8_module_requests(id) -> [specifier, type, specifier, type, ...]
void ModuleRequestsCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  ModuleRecord* rec = ArgModule(info, 0, iso->current);
  if (rec == nullptr) return;
  std::vector<Local<Value>> items;
  for (size_t i = 0; i < rec->specifiers.size(); i++) {
    Local<String> s, t;
    if (!NewGuestString(isolate, rec->specifiers[i].data(), rec->specifiers[i].size(), &s) ||
        !NewGuestString(isolate, rec->types[i].data(), rec->types[i].size(), &t))
      return;
    items.push_back(s);
    items.push_back(t);
  }
  info.GetReturnValue().Set(v8::Array::New(isolate, items.data(), items.size()));
}

// v8_module_link(id, ids): request i of module `id` is module ids[i].
void ModuleLinkCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  se_context* ctx = iso->current;
  ModuleRecord* rec = ArgModule(info, 0, ctx);
  if (rec == nullptr) return;
  if (!info[1]->IsArray() || info[1].As<v8::Array>()->Length() != rec->links.size()) {
    ThrowModuleError(isolate, "a link for every request is needed");
    return;
  }
  Local<v8::Array> ids = info[1].As<v8::Array>();
  std::vector<int> links(rec->links.size());
  for (uint32_t i = 0; i < ids->Length(); i++) {
    Local<Value> v;
    if (!ids->Get(context, i).ToLocal(&v)) return;
    if (!v->IsUint32() || v.As<v8::Uint32>()->Value() >= ctx->modules.size()) {
      ThrowModuleError(isolate, "no such module");
      return;
    }
    links[i] = static_cast<int>(v.As<v8::Uint32>()->Value());
  }
  // `rec` is still valid: nothing above added a module.
  rec->links = std::move(links);
}

MaybeLocal<v8::Module> ResolveModule(Local<Context> context, Local<String> specifier,
                                     Local<v8::FixedArray> attrs, Local<v8::Module> referrer) {
  Isolate* isolate = context->GetIsolate();
  se_context* ctx = CurrentContext(isolate);
  int id = ctx == nullptr ? -1 : ModuleId(ctx, isolate, referrer);
  if (id >= 0) {
    const ModuleRecord& rec = ctx->modules[id];
    std::string spec = ToUtf8(isolate, specifier);
    std::string type = TypeAttribute(isolate, context, attrs, 3);
    for (size_t i = 0; i < rec.specifiers.size(); i++) {
      if (rec.links[i] >= 0 && rec.specifiers[i] == spec && rec.types[i] == type)
        return ctx->modules[rec.links[i]].module.Get(isolate);
    }
  }
  ThrowCoded(isolate,
             v8::Exception::Error(String::NewFromUtf8Literal(isolate, "Module request not linked")),
             "ERR_MODULE_NOT_FOUND");
  return MaybeLocal<v8::Module>();
}

// The module argument, when its status is at least `least`.
ModuleRecord* ArgModuleAt(const FunctionCallbackInfo<Value>& info, se_context* ctx,
                          v8::Module::Status least, Local<v8::Module>* out) {
  ModuleRecord* rec = ArgModule(info, 0, ctx);
  if (rec == nullptr) return nullptr;
  *out = rec->module.Get(info.GetIsolate());
  if ((*out)->GetStatus() < least) {
    ThrowModuleError(info.GetIsolate(), "the module is not linked yet");
    return nullptr;
  }
  return rec;
}

// v8_module_instantiate(id): links the graph (every request linked first).
void ModuleInstantiateCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Local<v8::Module> m;
  if (ArgModuleAt(info, iso->current, v8::Module::kUninstantiated, &m) == nullptr) return;
  Isolate* isolate = info.GetIsolate();
  bool ok;
  if (m->InstantiateModule(isolate->GetCurrentContext(), ResolveModule).To(&ok))
    info.GetReturnValue().Set(ok);
}

// v8_module_evaluate(id) -> the promise of its evaluation.
void ModuleEvaluateCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Local<v8::Module> m;
  if (ArgModuleAt(info, iso->current, v8::Module::kInstantiated, &m) == nullptr) return;
  Local<Value> result;
  if (m->Evaluate(info.GetIsolate()->GetCurrentContext()).ToLocal(&result))
    info.GetReturnValue().Set(result);
}

// v8_module_namespace(id): of a module instantiated, evaluating or
// evaluated (one that errored may never have been linked whole).
void ModuleNamespaceCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Local<v8::Module> m;
  if (ArgModuleAt(info, iso->current, v8::Module::kInstantiated, &m) == nullptr) return;
  if (m->GetStatus() == v8::Module::kErrored) {
    ThrowModuleError(info.GetIsolate(), "the module failed");
    return;
  }
  info.GetReturnValue().Set(m->GetModuleNamespace());
}

// v8_module_status(id) -> [status (v8::Module::Status), graph has
// top-level await, the error of an errored module].
void ModuleStatusCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  ModuleRecord* rec = ArgModule(info, 0, iso->current);
  if (rec == nullptr) return;
  Local<v8::Module> m = rec->module.Get(isolate);
  v8::Module::Status st = m->GetStatus();
  bool async = st >= v8::Module::kInstantiated && st != v8::Module::kErrored && m->IsGraphAsync();
  Local<Value> items[3] = {
      v8::Integer::New(isolate, st), v8::Boolean::New(isolate, async),
      st == v8::Module::kErrored ? m->GetException() : Local<Value>(v8::Undefined(isolate))};
  info.GetReturnValue().Set(v8::Array::New(isolate, items, 3));
}

// v8_module_set_export(id, name, value), for a synthetic module.
void ModuleSetExportCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  ModuleRecord* rec = ArgModule(info, 0, iso->current);
  if (rec == nullptr) return;
  Local<v8::Module> m = rec->module.Get(isolate);
  if (!m->IsSyntheticModule() || !info[1]->IsString()) {
    ThrowModuleError(isolate, "exports are set on synthetic modules only, by name");
    return;
  }
  // V8 throws for a name the module was not made with.
  if (m->SetSyntheticModuleExport(isolate, info[1].As<String>(), info[2]).IsNothing()) return;
}

// V8 evaluates a synthetic module: the loader sets its exports
// (hooks.evaluateSynthetic(id)).
MaybeLocal<Value> EvaluateSynthetic(Local<Context> context, Local<v8::Module> module) {
  Isolate* isolate = context->GetIsolate();
  se_context* ctx = CurrentContext(isolate);
  int id = ctx == nullptr ? -1 : ModuleId(ctx, isolate, module);
  Local<v8::Function> f = id < 0 ? Local<v8::Function>() : Hook(ctx, SE_HOOK_EVALUATE_SYNTHETIC);
  if (f.IsEmpty() || ctx->context.Get(isolate) != context) {
    ThrowModuleError(isolate, "no such module");
    return MaybeLocal<Value>();
  }
  Local<Value> argv[1] = {v8::Integer::New(isolate, id)};
  Local<Value> ignored;
  if (!f->Call(context, v8::Undefined(isolate), 1, argv).ToLocal(&ignored)) {
    return MaybeLocal<Value>();
  }
  Local<v8::Promise::Resolver> done;
  if (!v8::Promise::Resolver::New(context).ToLocal(&done) ||
      done->Resolve(context, v8::Undefined(isolate)).IsNothing())
    return MaybeLocal<Value>();
  return done->GetPromise();
}

// import(): hooks.importDynamic(specifier, referrer name, type attribute)
// loads and evaluates, and returns the promise of the namespace. It never
// throws into the importer: a failure rejects the promise.
MaybeLocal<v8::Promise> ImportDynamically(Local<Context> context, Local<v8::Data>,
                                          Local<Value> resource_name, Local<String> specifier,
                                          Local<v8::FixedArray> attrs) {
  Isolate* isolate = context->GetIsolate();
  Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return MaybeLocal<v8::Promise>();
  se_context* ctx = CurrentContext(isolate);
  Local<v8::Function> f;
  if (ctx != nullptr && ctx->context.Get(isolate) == context) f = Hook(ctx, SE_HOOK_IMPORT_DYNAMIC);
  if (f.IsEmpty()) {
    // Code of another context (vm) has no loader, as in Node without an
    // importModuleDynamically option.
    Local<Value> err = v8::Exception::TypeError(
        String::NewFromUtf8Literal(isolate, "A dynamic import callback was not specified."));
    SetCode(isolate, context, err, "ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING");
    if (resolver->Reject(context, err).IsNothing()) return MaybeLocal<v8::Promise>();
    return resolver->GetPromise();
  }
  std::string type = TypeAttribute(isolate, context, attrs, 2);
  Local<Value> argv[3] = {specifier,
                          resource_name->IsString() ? resource_name
                                                    : Local<Value>(v8::Undefined(isolate)),
                          Str(isolate, type.data(), type.size())};
  TryCatch tc(isolate);
  Local<Value> out;
  if (f->Call(context, v8::Undefined(isolate), 3, argv).ToLocal(&out)) {
    if (out->IsPromise()) return out.As<v8::Promise>();
    if (resolver->Resolve(context, out).IsNothing()) return MaybeLocal<v8::Promise>();
    return resolver->GetPromise();
  }
  if (tc.HasTerminated() || Stopping(isolate)) {
    tc.ReThrow();
    return MaybeLocal<v8::Promise>();
  }
  Local<Value> exc = tc.Exception();
  tc.Reset();
  if (resolver->Reject(context, exc).IsNothing()) return MaybeLocal<v8::Promise>();
  return resolver->GetPromise();
}

// import.meta of any module the loader made: hooks.importMeta(id, meta)
// fills it (url, filename, dirname, resolve).
void InitializeImportMeta(Local<Context> context, Local<v8::Module> module, Local<Object> meta) {
  Isolate* isolate = context->GetIsolate();
  se_context* ctx = CurrentContext(isolate);
  if (ctx == nullptr || ctx->context.Get(isolate) != context) return;
  int id = ModuleId(ctx, isolate, module);
  Local<v8::Function> f = Hook(ctx, SE_HOOK_IMPORT_META);
  if (id < 0 || f.IsEmpty()) return;
  TryCatch tc(isolate);
  Local<Value> argv[2] = {v8::Integer::New(isolate, id), meta};
  Local<Value> ignored;
  if (!f->Call(context, v8::Undefined(isolate), 2, argv).ToLocal(&ignored) &&
      (tc.HasTerminated() || Stopping(isolate)))
    tc.ReThrow();
}

// ---- Async context (AsyncLocalStorage) -----------------------------------
// The guest keeps its AsyncLocalStorage frame in V8's continuation-preserved
// embedder data: V8 stores the value with every promise reaction when it is
// made and restores it while the reaction runs, so it follows await and
// then(). Per context on V8 11.3; per isolate on later V8.

Local<Value> AsyncContextData(Isolate* isolate, Local<Context> context) {
#if SE_V8_AT_LEAST(12, 4)
  (void)context;
  return isolate->GetContinuationPreservedEmbedderData();
#else
  (void)isolate;
  return context->GetContinuationPreservedEmbedderData();
#endif
}

void SetAsyncContextData(Isolate* isolate, Local<Context> context, Local<Value> value) {
#if SE_V8_AT_LEAST(12, 4)
  (void)context;
  isolate->SetContinuationPreservedEmbedderData(value);
#else
  (void)isolate;
  context->SetContinuationPreservedEmbedderData(value);
#endif
}

MaybeLocal<Context> CreationContext(Isolate* isolate, Local<Object> object) {
#if SE_V8_AT_LEAST(13, 0)
  return object->GetCreationContext(isolate);
#else
  (void)isolate;
  return object->GetCreationContext();
#endif
}

// native.v8_async_context_get(): the frame, only when it is an object of
// this call's context (on later V8 the slot is the isolate's: a frame a
// finished call left there is never handed to another).
void AsyncContextGetCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  Local<Value> frame = AsyncContextData(isolate, context);
  if (frame.IsEmpty() || !frame->IsObject()) return;
  Local<Context> created;
  if (!CreationContext(isolate, frame.As<Object>()).ToLocal(&created) || created != context) return;
  info.GetReturnValue().Set(frame);
}

// native.v8_async_context_set(frame): an object, or undefined for none.
void AsyncContextSetCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Value> frame = info[0];
  if (!frame->IsObject()) frame = v8::Undefined(isolate);
  SetAsyncContextData(isolate, isolate->GetCurrentContext(), frame);
}

// A call starts with no frame (on later V8 the slot outlives contexts).
void ResetAsyncContext(se_context* ctx) {
  Isolate* isolate = ctx->owner->isolate;
  HandleScope handles(isolate);
  SetAsyncContextData(isolate, ctx->context.Get(isolate), v8::Undefined(isolate));
}

// ---- v8.serialize / v8.deserialize --------------------------------------
// V8's format with typed arrays and DataViews as Node's DefaultSerializer
// writes them: a host object of (type index, byte length, bytes). Bytes to
// deserialize come from the guest, so Rust checks them first
// (kernel::serdes): only the value kinds Node's serializer writes, no
// shared, transferred or resizable buffers, no WebAssembly.

// Node's order of view types; Buffer (a Uint8Array subclass) is 10.
constexpr uint32_t kViewBuffer = 10;
constexpr uint32_t kViewTypes = 13;

uint32_t ViewIndex(Local<v8::ArrayBufferView> view, Local<Value> buffer_proto) {
  if (view->IsInt8Array()) return 0;
  if (view->IsUint8Array()) {
    Local<Value> proto = view->GetPrototype();
    return !buffer_proto.IsEmpty() && buffer_proto->IsObject() && proto->StrictEquals(buffer_proto)
               ? kViewBuffer
               : 1;
  }
  if (view->IsUint8ClampedArray()) return 2;
  if (view->IsInt16Array()) return 3;
  if (view->IsUint16Array()) return 4;
  if (view->IsInt32Array()) return 5;
  if (view->IsUint32Array()) return 6;
  if (view->IsFloat32Array()) return 7;
  if (view->IsFloat64Array()) return 8;
  if (view->IsDataView()) return 9;
  if (view->IsBigInt64Array()) return 11;
  if (view->IsBigUint64Array()) return 12;
  return kViewTypes;
}

size_t ViewElementSize(uint32_t index) {
  static const uint8_t kSizes[kViewTypes] = {1, 1, 1, 2, 2, 4, 4, 4, 8, 1, 1, 8, 8};
  return index < kViewTypes ? kSizes[index] : 1;
}

class NodeSerializerDelegate final : public CloneDelegate {
 public:
  NodeSerializerDelegate(Isolate* isolate, LimitedAllocator* allocator, size_t cap,
                         Local<Value> buffer_proto)
      : CloneDelegate(isolate, allocator, cap), isolate_(isolate), buffer_proto_(buffer_proto) {}
  void set_serializer(v8::ValueSerializer* ser) { ser_ = ser; }

  // Node throws a plain Error here, not a DataCloneError.
  void ThrowDataCloneError(Local<String> message) override {
    isolate_->ThrowException(v8::Exception::Error(message));
  }

  v8::Maybe<bool> WriteHostObject(Isolate* isolate, Local<Object> object) override {
    if (!object->IsArrayBufferView()) {
      isolate->ThrowException(v8::Exception::Error(
          String::NewFromUtf8Literal(isolate, "Unserializable host object")));
      return v8::Nothing<bool>();
    }
    Local<v8::ArrayBufferView> view = object.As<v8::ArrayBufferView>();
    uint32_t index = ViewIndex(view, buffer_proto_);
    size_t length = view->ByteLength();
    if (index >= kViewTypes || length > UINT32_MAX) {
      isolate->ThrowException(v8::Exception::Error(
          String::NewFromUtf8Literal(isolate, "Unserializable host object")));
      return v8::Nothing<bool>();
    }
    ser_->WriteUint32(index);
    ser_->WriteUint32(static_cast<uint32_t>(length));
    std::shared_ptr<v8::BackingStore> store = view->Buffer()->GetBackingStore();
    const uint8_t* data = static_cast<const uint8_t*>(store->Data());
    if (data != nullptr && length > 0) ser_->WriteRawBytes(data + view->ByteOffset(), length);
    return v8::Just(true);
  }

 private:
  Isolate* isolate_;
  Local<Value> buffer_proto_;
  v8::ValueSerializer* ser_ = nullptr;
};

class NodeDeserializerDelegate final : public v8::ValueDeserializer::Delegate {
 public:
  explicit NodeDeserializerDelegate(Local<Value> buffer_proto) : buffer_proto_(buffer_proto) {}
  void set_deserializer(v8::ValueDeserializer* des) { des_ = des; }

  MaybeLocal<Object> ReadHostObject(Isolate* isolate) override {
    uint32_t index = 0, length = 0;
    const void* data = nullptr;
    if (!des_->ReadUint32(&index) || !des_->ReadUint32(&length) || index >= kViewTypes ||
        !des_->ReadRawBytes(length, &data)) {
      isolate->ThrowException(v8::Exception::Error(
          String::NewFromUtf8Literal(isolate, "Unable to deserialize cloned data.")));
      return MaybeLocal<Object>();
    }
    size_t size = ViewElementSize(index);
    if (length % size != 0) {
      isolate->ThrowException(v8::Exception::RangeError(
          String::NewFromUtf8Literal(isolate, "Invalid typed array length")));
      return MaybeLocal<Object>();
    }
    Local<v8::Uint8Array> bytes;
    if (!NewBytes(isolate, static_cast<const uint8_t*>(data), length, &bytes)) return MaybeLocal<Object>();
    Local<v8::ArrayBuffer> ab = bytes->Buffer();
    size_t n = length / size;
    Local<Object> view;
    switch (index) {
      case 0: view = v8::Int8Array::New(ab, 0, n); break;
      case 1: view = bytes; break;
      case 2: view = v8::Uint8ClampedArray::New(ab, 0, n); break;
      case 3: view = v8::Int16Array::New(ab, 0, n); break;
      case 4: view = v8::Uint16Array::New(ab, 0, n); break;
      case 5: view = v8::Int32Array::New(ab, 0, n); break;
      case 6: view = v8::Uint32Array::New(ab, 0, n); break;
      case 7: view = v8::Float32Array::New(ab, 0, n); break;
      case 8: view = v8::Float64Array::New(ab, 0, n); break;
      case 9: view = v8::DataView::New(ab, 0, n); break;
      case 11: view = v8::BigInt64Array::New(ab, 0, n); break;
      case 12: view = v8::BigUint64Array::New(ab, 0, n); break;
      default: {
        view = bytes;
        if (!buffer_proto_.IsEmpty() && buffer_proto_->IsObject() &&
            view->SetPrototype(isolate->GetCurrentContext(), buffer_proto_).IsNothing())
          return MaybeLocal<Object>();
      }
    }
    return view;
  }

 private:
  Local<Value> buffer_proto_;
  v8::ValueDeserializer* des_ = nullptr;
};

// native.v8_serialize(value, Buffer.prototype) -> Uint8Array, bounded like
// structuredClone (the isolate's ArrayBuffer budget).
void SerializeCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  size_t cap = iso->allocator->limit();
  NodeSerializerDelegate delegate(isolate, iso->allocator.get(), cap, info[1]);
  v8::ValueSerializer ser(isolate, &delegate);
  delegate.set_serializer(&ser);
  ser.SetTreatArrayBufferViewsAsHostObjects(true);
  ser.WriteHeader();
  bool ok;
  {
    TryCatch tc(isolate);
    ok = ser.WriteValue(context, info[0]).FromMaybe(false);
    if (!ok) {
      if (tc.HasTerminated()) return;
      if (!delegate.over_cap() && !delegate.over_budget()) {
        if (tc.HasCaught()) tc.ReThrow();
        return;
      }
    }
  }
  if (!ok) {
    iso->allocator->ReportLimit(0);
    ThrowAllocationFailed(isolate);
    return;
  }
  std::pair<uint8_t*, size_t> buf = ser.Release();
  Local<v8::Uint8Array> out;
  if (NewBytes(isolate, buf.first, buf.second, &out)) info.GetReturnValue().Set(out);
  free(buf.first);
}

}  // namespace
extern "C" int32_t se_serdes_check(const uint8_t* ptr, size_t len);
namespace {

// native.v8_deserialize(bytes, Buffer.prototype): the guest's bytes are
// copied, checked by Rust, then read by V8.
void DeserializeCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  if (!info[0]->IsArrayBufferView()) return;
  Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
  size_t len = view->ByteLength();
  if (!iso->allocator->TryCharge(len)) {
    iso->allocator->ReportLimit(len);
    ThrowAllocationFailed(isolate);
    return;
  }
  std::vector<uint8_t> bytes(len);
  if (len > 0) view->CopyContents(bytes.data(), len);
  {
    NodeDeserializerDelegate delegate(info[1]);
    v8::ValueDeserializer des(isolate, bytes.data(), len, &delegate);
    delegate.set_deserializer(&des);
    Local<Value> out;
    // V8 reads the header first (its own message for a bad version); the
    // values only once Rust accepted all of the bytes.
    if (des.ReadHeader(context).FromMaybe(false)) {
      if (se_serdes_check(bytes.data(), len) != 0) {
        isolate->ThrowException(v8::Exception::Error(
            String::NewFromUtf8Literal(isolate, "Unable to deserialize cloned data.")));
      } else if (des.ReadValue(context).ToLocal(&out)) {
        info.GetReturnValue().Set(out);
      }
    }
  }
  iso->allocator->Uncharge(len);
}

// [name, size, used, available, physical] for each space of the heap.
void HeapSpacesCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  std::vector<Local<Value>> spaces;
  size_t n = isolate->NumberOfHeapSpaces();
  for (size_t i = 0; i < n; i++) {
    v8::HeapSpaceStatistics s;
    if (!isolate->GetHeapSpaceStatistics(&s, i)) continue;
    const char* name = s.space_name();
    Local<Value> row[5] = {
        Str(isolate, name, strlen(name)),
        v8::Number::New(isolate, static_cast<double>(s.space_size())),
        v8::Number::New(isolate, static_cast<double>(s.space_used_size())),
        v8::Number::New(isolate, static_cast<double>(s.space_available_size())),
        v8::Number::New(isolate, static_cast<double>(s.physical_space_size())),
    };
    spaces.push_back(v8::Array::New(isolate, row, 5));
  }
  info.GetReturnValue().Set(v8::Array::New(isolate, spaces.data(), spaces.size()));
}

void CachedDataVersionTagCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  info.GetReturnValue().Set(
      v8::Integer::NewFromUnsigned(info.GetIsolate(), v8::ScriptCompiler::CachedDataVersionTag()));
}

// ---- vm: more contexts in the call's isolate ------------------------------
// A vm context is a fresh V8 context: V8's intrinsics only (no natives, no
// guest builtins), hardened as the bootstrap hardens the main one, sharing
// the call's microtask queue and ended with it. Its global object forwards
// named properties to the sandbox object (Node's "contextified" object):
// reads see the sandbox's properties first, writes and declarations land on
// it. The sandbox holds its context's global under a private key.

#if SE_V8_AT_LEAST(12, 4)
#define SE_INTERCEPTED v8::Intercepted
#define SE_INTERCEPT_YES return v8::Intercepted::kYes
#define SE_INTERCEPT_NO return v8::Intercepted::kNo
using SeSetterInfo = v8::PropertyCallbackInfo<void>;
#else
#define SE_INTERCEPTED void
#define SE_INTERCEPT_YES return
#define SE_INTERCEPT_NO return
using SeSetterInfo = v8::PropertyCallbackInfo<Value>;
#endif

Local<v8::Private> VmGlobalKey(Isolate* isolate) {
  return v8::Private::ForApi(isolate, String::NewFromUtf8Literal(isolate, "secure-exec:vm.global"));
}
Local<v8::Private> VmSandboxKey(Isolate* isolate) {
  return v8::Private::ForApi(isolate, String::NewFromUtf8Literal(isolate, "secure-exec:vm.sandbox"));
}

// The sandbox behind an interceptor (empty while the context is hardened).
bool VmSandbox(Isolate* isolate, Local<Value> data, Local<Object>* out) {
  if (data.IsEmpty() || !data->IsObject()) return false;
  Local<Value> v;
  if (!data.As<Object>()->GetPrivate(isolate->GetCurrentContext(), VmSandboxKey(isolate)).ToLocal(&v) ||
      !v->IsObject())
    return false;
  *out = v.As<Object>();
  return true;
}

bool VmGlobalOf(Isolate* isolate, Local<Object> sandbox, Local<Object>* out) {
  Local<Value> v;
  if (!sandbox->GetPrivate(isolate->GetCurrentContext(), VmGlobalKey(isolate)).ToLocal(&v) ||
      !v->IsObject())
    return false;
  *out = v.As<Object>();
  return true;
}

// Whether `name` reads from the sandbox: a property it has or inherits
// (as Node, where `toString` in a context is the sandbox's).
bool VmReadsSandbox(Isolate* isolate, Local<Context> context, Local<Object> sandbox,
                    Local<v8::Name> name) {
  (void)isolate;
  return sandbox->GetRealNamedPropertyAttributes(context, name).IsJust();
}

SE_INTERCEPTED VmGetter(Local<v8::Name> name, const v8::PropertyCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) SE_INTERCEPT_NO;
  Local<Context> context = isolate->GetCurrentContext();
  if (!VmReadsSandbox(isolate, context, sandbox, name)) SE_INTERCEPT_NO;
  Local<Value> v;
  if (!sandbox->GetRealNamedProperty(context, name).ToLocal(&v)) SE_INTERCEPT_YES;
  info.GetReturnValue().Set(v);
  SE_INTERCEPT_YES;
}

SE_INTERCEPTED VmSetter(Local<v8::Name> name, Local<Value> value, const SeSetterInfo& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) SE_INTERCEPT_NO;
  Local<Context> context = isolate->GetCurrentContext();
  // Read-only globals (undefined, NaN, Infinity) stay the context's own.
  Local<Object> global;
  if (VmGlobalOf(isolate, sandbox, &global)) {
    v8::Maybe<v8::PropertyAttribute> attrs = global->GetRealNamedPropertyAttributes(context, name);
    if (attrs.IsJust() && (attrs.FromJust() & v8::ReadOnly) != 0 &&
        !sandbox->HasRealNamedProperty(context, name).FromMaybe(false))
      SE_INTERCEPT_NO;
  }
  if (sandbox->Set(context, name, value).IsNothing()) SE_INTERCEPT_YES;
#if !SE_V8_AT_LEAST(12, 4)
  info.GetReturnValue().Set(value);
#endif
  SE_INTERCEPT_YES;
}

SE_INTERCEPTED VmQuery(Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Integer>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) SE_INTERCEPT_NO;
  Local<Context> context = isolate->GetCurrentContext();
  if (!sandbox->HasRealNamedProperty(context, name).FromMaybe(false)) SE_INTERCEPT_NO;
  v8::Maybe<v8::PropertyAttribute> attrs = sandbox->GetRealNamedPropertyAttributes(context, name);
  if (attrs.IsNothing()) SE_INTERCEPT_NO;
  info.GetReturnValue().Set(static_cast<int32_t>(attrs.FromJust()));
  SE_INTERCEPT_YES;
}

SE_INTERCEPTED VmDeleter(Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Boolean>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) SE_INTERCEPT_NO;
  Local<Context> context = isolate->GetCurrentContext();
  if (!sandbox->HasRealNamedProperty(context, name).FromMaybe(false)) SE_INTERCEPT_NO;
  v8::Maybe<bool> done = sandbox->Delete(context, name);
  if (done.IsNothing()) SE_INTERCEPT_YES;
  info.GetReturnValue().Set(done.FromJust());
  SE_INTERCEPT_YES;
}

void VmEnumerator(const v8::PropertyCallbackInfo<v8::Array>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) return;
  Local<v8::Array> names;
  if (sandbox
          ->GetPropertyNames(isolate->GetCurrentContext(), v8::KeyCollectionMode::kOwnOnly,
                             v8::SKIP_SYMBOLS, v8::IndexFilter::kSkipIndices)
          .ToLocal(&names))
    info.GetReturnValue().Set(names);
}

SE_INTERCEPTED VmDefiner(Local<v8::Name> name, const v8::PropertyDescriptor& desc,
                         const SeSetterInfo& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) SE_INTERCEPT_NO;
  Local<Context> context = isolate->GetCurrentContext();
  if (sandbox->DefineProperty(context, name, const_cast<v8::PropertyDescriptor&>(desc)).IsNothing())
    SE_INTERCEPT_YES;
#if !SE_V8_AT_LEAST(12, 4)
  info.GetReturnValue().Set(true);
#endif
  SE_INTERCEPT_YES;
}

SE_INTERCEPTED VmDescriptor(Local<v8::Name> name, const v8::PropertyCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Object> sandbox;
  if (!VmSandbox(isolate, info.Data(), &sandbox)) SE_INTERCEPT_NO;
  Local<Context> context = isolate->GetCurrentContext();
  if (!sandbox->HasRealNamedProperty(context, name).FromMaybe(false)) SE_INTERCEPT_NO;
  Local<Value> desc;
  if (!sandbox->GetOwnPropertyDescriptor(context, name).ToLocal(&desc)) SE_INTERCEPT_YES;
  info.GetReturnValue().Set(desc);
  SE_INTERCEPT_YES;
}

// Run in each new context before anything else can: what the bootstrap does
// to the main context (no SharedArrayBuffer, no resizable ArrayBuffer, the
// clock frozen under timingFreeze), and no WebAssembly at all.
constexpr char kVmHarden[] = R"JS((function (frozen) {
  'use strict';
  const g = globalThis;
  const { defineProperty, getOwnPropertyDescriptor, setPrototypeOf } = Object;
  const { apply, construct, ownKeys } = Reflect;
  defineProperty(g.SharedArrayBuffer.prototype, 'constructor', { value: undefined });
  delete g.SharedArrayBuffer;
  delete g.WebAssembly;
  const hide = (obj, name, value) => defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const replace = (Orig, Safe, length) => {
    const keys = ownKeys(Orig);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 'name' || keys[i] === 'length') continue;
      const d = getOwnPropertyDescriptor(Orig, keys[i]);
      setPrototypeOf(d, null);
      defineProperty(Safe, keys[i], d);
    }
    defineProperty(Safe, 'length', { value: length });
    hide(Orig.prototype, 'constructor', Safe);
    hide(g, Orig.name, Safe);
  };
  const OrigArrayBuffer = g.ArrayBuffer;
  const ArrayBuffer = function ArrayBuffer(length, options = undefined) {
    if (new.target === undefined) throw new TypeError("Constructor ArrayBuffer requires 'new'");
    if (options !== null && typeof options === 'object' && options.maxByteLength !== undefined) {
      const err = new RangeError('Resizable ArrayBuffers are not supported in this sandbox');
      err.code = 'ERR_SANDBOX_UNSUPPORTED';
      throw err;
    }
    return construct(OrigArrayBuffer, [length], new.target);
  };
  replace(OrigArrayBuffer, ArrayBuffer, 1);
  if (typeof frozen !== 'number') return;
  const OrigDate = g.Date;
  const toString = OrigDate.prototype.toString;
  const Date = function Date(...args) {
    if (new.target === undefined) return apply(toString, new OrigDate(frozen), []);
    if (args.length === 0) return construct(OrigDate, [frozen], new.target);
    return construct(OrigDate, args, new.target);
  };
  replace(OrigDate, Date, 7);
  hide(Date, 'now', function now() { return frozen; });
  const dtf = typeof Intl === 'object' ? Intl.DateTimeFormat.prototype : null;
  if (dtf === null) return;
  const format = getOwnPropertyDescriptor(dtf, 'format').get;
  const formatToParts = dtf.formatToParts;
  defineProperty(dtf, 'format', { get() {
    const bound = apply(format, this, []);
    return (date) => bound(date === undefined ? frozen : date);
  }, configurable: true });
  hide(dtf, 'formatToParts', function formatToParts_(date) {
    return apply(formatToParts, this, [date === undefined ? frozen : date]);
  });
}))JS";

// Every vm context a call made; ended with the call (se_context_dispose).
void DisposeVmContexts(se_context* ctx) {
  Isolate* isolate = ctx->owner->isolate;
  HandleScope handles(isolate);
  for (auto& c : ctx->vm_contexts) {
    if (!c.IsEmpty()) c.Get(isolate)->SetAbortScriptExecution(AbortDetached);
    c.Reset();
  }
  ctx->vm_contexts.clear();
}

// native.v8_vm_context_new(sandbox, frozenTime, allowStrings, ownGlobal):
// contextifies `sandbox` and returns it; for an undefined `sandbox`, one is
// made inside the new context, so that nothing in it leads back to the
// caller's. With `ownGlobal` (vm.constants.DONT_CONTEXTIFY) the new
// context's global stands for the context and is returned instead.
void VmContextNewCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  Local<Context> outer = isolate->GetCurrentContext();
  se_context* ctx = iso->current;
  if (!info[0]->IsObject() && !info[0]->IsUndefined()) return;
  Local<Object> sandbox;
  if (info[0]->IsObject()) {
    sandbox = info[0].As<Object>();
    if (sandbox->HasPrivate(outer, VmGlobalKey(isolate)).FromMaybe(true)) return;
  }
  if (ctx->vm_contexts.size() >= iso->params.max_vm_contexts) {
    ThrowCoded(isolate,
               v8::Exception::RangeError(String::NewFromUtf8Literal(
                   isolate, "Too many vm contexts in this guest process")),
               "ERR_SANDBOX_LIMIT");
    return;
  }
  // Holds the sandbox for the interceptors, from when the context is ready.
  Local<Object> holder = Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  Local<v8::ObjectTemplate> tmpl = v8::ObjectTemplate::New(isolate);
  tmpl->SetHandler(v8::NamedPropertyHandlerConfiguration(VmGetter, VmSetter, VmQuery, VmDeleter,
                                                         VmEnumerator, VmDefiner, VmDescriptor,
                                                         holder, v8::PropertyHandlerFlags::kNone));
  Local<Context> context = Context::New(isolate, nullptr, tmpl, MaybeLocal<Value>(),
                                        v8::DeserializeInternalFieldsCallback(), ctx->queue.get());
  if (context.IsEmpty()) return;
  context->SetSecurityToken(outer->GetSecurityToken());
  ctx->vm_contexts.emplace_back(isolate, context);
  {
    Context::Scope scope(context);
    Local<Value> fn;
    v8::ScriptOrigin origin = Origin(isolate, String::NewFromUtf8Literal(isolate, "node:vm"), false);
    v8::ScriptCompiler::Source source(String::NewFromUtf8Literal(isolate, kVmHarden), origin);
    Local<v8::Script> script;
    if (!v8::ScriptCompiler::Compile(context, &source).ToLocal(&script) ||
        !script->Run(context).ToLocal(&fn) || !fn->IsFunction())
      return;
    Local<Value> frozen = v8::Undefined(isolate);
    Local<Value> freeze;
    if (ctx->config.Get(isolate)
            ->Get(outer, String::NewFromUtf8Literal(isolate, "timingFreeze"))
            .ToLocal(&freeze) &&
        freeze->IsTrue())
      frozen = v8::Number::New(isolate, info[1]->IsNumber() ? info[1].As<v8::Number>()->Value() : 0);
    Local<Value> ignored;
    if (!fn.As<v8::Function>()->Call(context, v8::Undefined(isolate), 1, &frozen).ToLocal(&ignored))
      return;
  }
  if (info[2]->IsFalse()) context->AllowCodeGenerationFromStrings(false);
  Local<Object> global = context->Global();
  if (sandbox.IsEmpty()) {
    Context::Scope scope(context);
    sandbox = Object::New(isolate);
  }
  if (sandbox->SetPrivate(outer, VmGlobalKey(isolate), global).IsNothing() ||
      holder->SetPrivate(outer, VmSandboxKey(isolate), sandbox).IsNothing())
    return;
  if (info[3]->IsTrue()) {
    if (global->SetPrivate(outer, VmGlobalKey(isolate), global).IsNothing()) return;
    info.GetReturnValue().Set(global);
    return;
  }
  info.GetReturnValue().Set(sandbox);
}

// The context `target` (a contextified sandbox) stands for; the current one
// for undefined. False (and maybe an exception) otherwise.
bool VmTarget(Isolate* isolate, Local<Value> target, Local<Context>* out) {
  if (target->IsUndefined()) {
    *out = isolate->GetCurrentContext();
    return true;
  }
  if (!target->IsObject()) return false;
  Local<Object> global;
  Local<Context> context;
  if (!VmGlobalOf(isolate, target.As<Object>(), &global) ||
      !CreationContext(isolate, global).ToLocal(&context))
    return false;
  *out = context;
  return true;
}

v8::ScriptOrigin VmOrigin(Isolate* isolate, Local<Value> name, Local<Value> line,
                          Local<Value> column) {
  Local<String> file = name->IsString() ? name.As<String>()
                                         : String::NewFromUtf8Literal(isolate, "evalmachine.<anonymous>");
  int lo = line->IsInt32() ? line.As<v8::Int32>()->Value() : 0;
  int co = column->IsInt32() ? column.As<v8::Int32>()->Value() : 0;
#if SE_V8_AT_LEAST(12, 0)
  return v8::ScriptOrigin(file, lo, co, false, -1, Local<Value>(), false, false, false);
#else
  return v8::ScriptOrigin(isolate, file, lo, co, false, -1, Local<Value>(), false, false, false);
#endif
}

// native.v8_vm_is_context(value)
void VmIsContextCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  bool is = info[0]->IsObject() && info[0]
                                       .As<Object>()
                                       ->HasPrivate(isolate->GetCurrentContext(), VmGlobalKey(isolate))
                                       .FromMaybe(false);
  info.GetReturnValue().Set(is);
}

// Node's displayErrors: an error object leaving a vm script gets, once,
// "file:line\nsource line\n   ^\n\n" before its stack.
void DecorateVmError(Isolate* isolate, Local<Context> context, TryCatch* tc) {
  if (tc->HasTerminated() || !tc->HasCaught() || tc->Message().IsEmpty()) return;
  Local<Value> exc = tc->Exception();
  if (!exc->IsObject()) return;
  Local<Object> err = exc.As<Object>();
  Local<v8::Private> mark =
      v8::Private::ForApi(isolate, String::NewFromUtf8Literal(isolate, "secure-exec:vm.decorated"));
  TryCatch inner(isolate);
  if (err->HasPrivate(context, mark).FromMaybe(true)) return;
  Local<v8::Message> msg = tc->Message();
  Local<Value> stack;
  Local<String> line;
  if (!err->Get(context, String::NewFromUtf8Literal(isolate, "stack")).ToLocal(&stack) ||
      !stack->IsString() || !msg->GetSourceLine(context).ToLocal(&line))
    return;
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  bool cut;
  size_t max = iso->params.max_report_field_bytes;
  int start = msg->GetStartColumn(context).FromMaybe(0);
  std::string arrow = ToUtf8Bounded(isolate, msg->GetScriptResourceName(), max, &cut) + ":" +
                      std::to_string(msg->GetLineNumber(context).FromMaybe(0)) + "\n" +
                      ToUtf8Bounded(isolate, line, max, &cut) + "\n" +
                      std::string(start > 0 && static_cast<size_t>(start) < max ? start : 0, ' ') + "^\n\n";
  Local<String> prefix;
  if (!NewGuestString(isolate, arrow.data(), arrow.size(), &prefix)) return;
  // Empty when the result would be longer than V8 allows.
  Local<String> decorated = String::Concat(isolate, prefix, stack.As<String>());
  if (decorated.IsEmpty()) return;
  if (err->Set(context, String::NewFromUtf8Literal(isolate, "stack"), decorated).IsNothing()) return;
  if (err->SetPrivate(context, mark, v8::True(isolate)).IsNothing()) return;
}

// native.v8_vm_script(source, filename, lineOffset, columnOffset, target,
// run, displayErrors): compiles `source` as a script in `target`'s context
// (the current one for undefined) and, when `run`, runs it there and
// returns its value.
void VmScriptCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString()) return;
  Local<Context> context;
  if (!VmTarget(isolate, info[4], &context)) return;
  Local<Context> outer = isolate->GetCurrentContext();
  TryCatch tc(isolate);
  {
    Context::Scope scope(context);
    v8::ScriptOrigin origin = VmOrigin(isolate, info[1], info[2], info[3]);
    v8::ScriptCompiler::Source source(info[0].As<String>(), origin);
    Local<v8::Script> script;
    Local<Value> result;
    if (v8::ScriptCompiler::Compile(context, &source).ToLocal(&script) &&
        (!info[5]->IsTrue() || script->Run(context).ToLocal(&result))) {
      if (!result.IsEmpty()) info.GetReturnValue().Set(result);
      return;
    }
  }
  if (!info[6]->IsFalse()) DecorateVmError(isolate, outer, &tc);
  if (tc.HasCaught() && !tc.HasTerminated()) tc.ReThrow();
}

// native.v8_vm_compile_function(source, filename, lineOffset, columnOffset,
// params, extensions, target): a function of `params` (strings) whose
// body is `source`, with `extensions` (objects) in scope.
void VmCompileFunctionCallback(const FunctionCallbackInfo<Value>& info) {
  se_isolate* iso;
  if (RefuseDetached(info, &iso)) return;
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsString() || !info[4]->IsArray() || !info[5]->IsArray()) return;
  Local<Context> outer = isolate->GetCurrentContext();
  Local<v8::Array> params_in = info[4].As<v8::Array>();
  Local<v8::Array> ext_in = info[5].As<v8::Array>();
  std::vector<Local<String>> params;
  std::vector<Local<Object>> exts;
  for (uint32_t i = 0; i < params_in->Length() && i < 65535; i++) {
    Local<Value> p;
    if (!params_in->Get(outer, i).ToLocal(&p)) return;
    if (!p->IsString()) return;
    params.push_back(p.As<String>());
  }
  for (uint32_t i = 0; i < ext_in->Length() && i < 65535; i++) {
    Local<Value> e;
    if (!ext_in->Get(outer, i).ToLocal(&e)) return;
    if (!e->IsObject()) return;
    exts.push_back(e.As<Object>());
  }
  Local<Context> context;
  if (!VmTarget(isolate, info[6], &context)) return;
  Context::Scope scope(context);
  v8::ScriptOrigin origin = VmOrigin(isolate, info[1], info[2], info[3]);
  v8::ScriptCompiler::Source source(info[0].As<String>(), origin);
  Local<v8::Function> fn;
  if (v8::ScriptCompiler::CompileFunction(context, &source, params.size(), params.data(),
                                          exts.size(), exts.data())
          .ToLocal(&fn))
    info.GetReturnValue().Set(fn);
}

// The C++ callback of an op the engine serves itself (SE_OP_ENGINE).
v8::FunctionCallback EngineOp(const std::string& name) {
  if (name == "v8_structured_clone") return StructuredCloneCallback;
  if (name == "v8_return_value") return ReturnValueCallback;
  if (name == "v8_run_microtasks") return RunMicrotasksCallback;
  if (name == "v8_promise_state") return PromiseStateCallback;
  if (name == "v8_proxy_details") return ProxyDetailsCallback;
  if (name == "v8_type_flags") return TypeFlagsCallback;
  if (name == "v8_take_error") return TakeErrorCallback;
  if (name == "v8_heap_stats") return HeapStatsCallback;
  if (name == "v8_pending_tasks") return PendingTasksCallback;
  if (name == "v8_return_exports") return ReturnExportsCallback;
  if (name == "v8_module_compile") return ModuleCompileCallback;
  if (name == "v8_module_synthetic") return ModuleSyntheticCallback;
  if (name == "v8_module_requests") return ModuleRequestsCallback;
  if (name == "v8_module_link") return ModuleLinkCallback;
  if (name == "v8_module_instantiate") return ModuleInstantiateCallback;
  if (name == "v8_module_evaluate") return ModuleEvaluateCallback;
  if (name == "v8_module_namespace") return ModuleNamespaceCallback;
  if (name == "v8_module_status") return ModuleStatusCallback;
  if (name == "v8_module_set_export") return ModuleSetExportCallback;
  if (name == "v8_compile_cjs") return CompileCjsCallback;
  if (name == "v8_async_context_get") return AsyncContextGetCallback;
  if (name == "v8_async_context_set") return AsyncContextSetCallback;
  if (name == "v8_serialize") return SerializeCallback;
  if (name == "v8_deserialize") return DeserializeCallback;
  if (name == "v8_heap_spaces") return HeapSpacesCallback;
  if (name == "v8_cached_data_version_tag") return CachedDataVersionTagCallback;
  if (name == "v8_vm_context_new") return VmContextNewCallback;
  if (name == "v8_vm_is_context") return VmIsContextCallback;
  if (name == "v8_vm_script") return VmScriptCallback;
  if (name == "v8_vm_compile_function") return VmCompileFunctionCallback;
  return nullptr;
}

// One template per op per isolate: a context instantiates its functions
// from them instead of making new ones from scratch.
bool BuildOpTemplates(se_isolate* iso, const se_op_desc* ops, size_t nops) {
  Isolate* isolate = iso->isolate;
  HandleScope scope(isolate);
  iso->ops.resize(nops);
  for (size_t i = 0; i < nops; i++) {
    OpEntry& e = iso->ops[i];
    e.name.assign(ops[i].name, ops[i].name_len);
    e.kind = ops[i].kind;
    e.nargs = ops[i].nargs;
    e.transports.assign(ops[i].transports, ops[i].transports + ops[i].nargs);
    v8::FunctionCallback cb = OpCallback;
    Local<Value> data = v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(i));
    if (e.kind == SE_OP_ENGINE) {
      cb = EngineOp(e.name);
      if (cb == nullptr) return false;
      data = Local<Value>();
    }
    Local<v8::FunctionTemplate> t = v8::FunctionTemplate::New(
        isolate, cb, data, Local<v8::Signature>(), 0, v8::ConstructorBehavior::kThrow);
    t->SetClassName(Str(isolate, e.name.data(), e.name.size()));
    e.tmpl.Reset(isolate, t);
  }
  return true;
}

// Enters the context for one call from Rust.
struct Enter {
  explicit Enter(se_context* c)
      : isolate(c->owner->isolate),
        handles(isolate),
        context(c->context.Get(isolate)),
        scope(context) {}
  Isolate* isolate;
  HandleScope handles;
  Local<Context> context;
  Context::Scope scope;
};

// ---- Guest builtins ------------------------------------------------------
// Each module of src/guest compiles separately, as a function named
// node:<module>, the first time a context requires it. Its code cache is
// made once per process (by the first isolate that used the module, when
// it next prepares a context) and consumed by every later isolate.

struct BuiltinModule {
  std::string name;
  std::string resource;  // node:<name>
  // The text V8 compiles, Latin-1 or UTF-16, in the addon's read-only data
  // (shared by every isolate and every sidecar): the module's file (V8
  // 12+), or before 12 the file wrapped as a function expression by the
  // build.
  const uint8_t* latin1 = nullptr;
  const uint16_t* utf16 = nullptr;
  size_t length = 0;
  // Guarded by BuiltinTable::mutex. Shared so that a compile can read the
  // bytes while another thread drops a rejected cache.
  std::shared_ptr<const std::vector<uint8_t>> cache;
};

struct BuiltinTable {
  std::mutex mutex;
  bool registered = false;  // set once, under the mutex, before any lookup
  std::vector<BuiltinModule> modules;
  std::vector<std::string> params;
  std::atomic<bool> cache_on{true};
  std::atomic<uint64_t> produced{0};
  std::atomic<uint64_t> consumed{0};
  std::atomic<uint64_t> rejected{0};
};

BuiltinTable& Builtins() {
  static BuiltinTable table;
  return table;
}

// Strings over the process's sources: no copy per isolate. The resource
// object is per string (V8 deletes it with the string); the text is not.
class StaticLatin1 final : public String::ExternalOneByteStringResource {
 public:
  StaticLatin1(const uint8_t* data, size_t length)
      : data_(reinterpret_cast<const char*>(data)), length_(length) {}
  StaticLatin1(const StaticLatin1&) = delete;
  StaticLatin1& operator=(const StaticLatin1&) = delete;
  const char* data() const override { return data_; }
  size_t length() const override { return length_; }

 private:
  const char* data_;
  size_t length_;
};

class StaticUtf16 final : public String::ExternalStringResource {
 public:
  StaticUtf16(const uint16_t* data, size_t length) : data_(data), length_(length) {}
  StaticUtf16(const StaticUtf16&) = delete;
  StaticUtf16& operator=(const StaticUtf16&) = delete;
  const uint16_t* data() const override { return data_; }
  size_t length() const override { return length_; }

 private:
  const uint16_t* data_;
  size_t length_;
};

bool FindBuiltin(const std::string& name, size_t* index) {
  BuiltinTable& table = Builtins();
  {
    std::lock_guard<std::mutex> lock(table.mutex);
    if (!table.registered) return false;
  }
  // The table never changes once registered.
  for (size_t i = 0; i < table.modules.size(); i++) {
    if (table.modules[i].name == name) {
      *index = i;
      return true;
    }
  }
  return false;
}

// Module i's process-wide code cache, or null.
std::shared_ptr<const std::vector<uint8_t>> BuiltinCache(size_t i) {
  BuiltinTable& table = Builtins();
  if (!table.cache_on.load()) return nullptr;
  std::lock_guard<std::mutex> lock(table.mutex);
  return table.modules[i].cache;
}

void SetBuiltinCache(size_t i, std::shared_ptr<const std::vector<uint8_t>> cache) {
  BuiltinTable& table = Builtins();
  std::lock_guard<std::mutex> lock(table.mutex);
  table.modules[i].cache = std::move(cache);
}

// After a compile that offered `cache`: a cache V8 refused is dropped, so
// that the next isolate to compile the module makes a good one.
void NoteConsumed(se_isolate* iso, size_t i, const v8::ScriptCompiler::Source& source,
                  const std::shared_ptr<const std::vector<uint8_t>>& cache) {
  BuiltinTable& table = Builtins();
  IsolateBuiltins& mine = iso->builtins;
  bool first = !mine.compiled[i];
  mine.compiled[i] = true;
  if (cache == nullptr) {
    if (table.cache_on.load() && !mine.uncached[i]) {
      mine.uncached[i] = true;
      mine.pending++;
    }
    return;
  }
  if (source.GetCachedData()->rejected) {
    table.rejected++;
    std::lock_guard<std::mutex> lock(table.mutex);
    if (table.modules[i].cache == cache) table.modules[i].cache = nullptr;
  } else if (first) {
    // Later compiles in this isolate hit V8's own cache (V8 12+) or reuse
    // the script (11.3); only the first reads the code cache.
    table.consumed++;
  }
}

v8::ScriptOrigin BuiltinOrigin(Isolate* isolate, const BuiltinModule& m, int line_offset) {
  Local<String> name = Str(isolate, m.resource.data(), m.resource.size());
#if SE_V8_AT_LEAST(12, 0)
  (void)isolate;
  return v8::ScriptOrigin(name, line_offset, 0, false, -1, Local<Value>(), false, false, false);
#else
  return v8::ScriptOrigin(isolate, name, line_offset, 0, false, -1, Local<Value>(), false, false,
                          false);
#endif
}

// Module i's text as a V8 string, kept per isolate: V8's compilation cache
// hashes the string once and then finds the module by this very string.
Local<String> BuiltinSource(Isolate* isolate, size_t i) {
  IsolateBuiltins& mine = static_cast<se_isolate*>(isolate->GetData(0))->builtins;
  if (mine.sources[i].IsEmpty()) {
    const BuiltinModule& m = Builtins().modules[i];
    Local<String> s;
    bool made = m.latin1 != nullptr
                    ? String::NewExternalOneByte(isolate, new StaticLatin1(m.latin1, m.length))
                          .ToLocal(&s)
                    : String::NewExternalTwoByte(isolate, new StaticUtf16(m.utf16, m.length))
                          .ToLocal(&s);
    if (!made) return String::Empty(isolate);
    mine.sources[i].Reset(isolate, s);
  }
  return mine.sources[i].Get(isolate);
}


// Module i's function in `context`. The first compile in an isolate uses the
// process's code cache when there is one.
MaybeLocal<v8::Function> CompileBuiltin(se_isolate* iso, Local<Context> context, size_t i) {
  Isolate* isolate = iso->isolate;
  BuiltinTable& table = Builtins();
  const BuiltinModule& m = table.modules[i];
  IsolateBuiltins& mine = iso->builtins;
  if (mine.sources.size() != table.modules.size()) {
    mine.sources.resize(table.modules.size());
    mine.scripts.resize(table.modules.size());
    mine.compiled.resize(table.modules.size());
    mine.uncached.resize(table.modules.size());
  }
#if SE_V8_AT_LEAST(12, 0)
  // V8 keeps CompileFunction's result in its per-isolate compilation cache
  // (keyed by the source string and origin): later contexts get it back
  // without compiling, and the code cache is read only on a miss.
  std::shared_ptr<const std::vector<uint8_t>> cache = BuiltinCache(i);
  v8::ScriptCompiler::Source source(
      BuiltinSource(isolate, i), BuiltinOrigin(isolate, m, 0),
      cache == nullptr ? nullptr
                       : new v8::ScriptCompiler::CachedData(
                             cache->data(), static_cast<int>(cache->size()),
                             v8::ScriptCompiler::CachedData::BufferNotOwned));
  std::vector<Local<String>> params;
  for (const std::string& p : table.params) params.push_back(Str(isolate, p.data(), p.size()));
  MaybeLocal<v8::Function> fn = v8::ScriptCompiler::CompileFunction(
      context, &source, params.size(), params.data(), 0, nullptr,
      cache == nullptr ? v8::ScriptCompiler::kNoCompileOptions
                       : v8::ScriptCompiler::kConsumeCodeCache);
  if (!fn.IsEmpty()) NoteConsumed(iso, i, source, cache);
  return fn;
#else
  if (mine.scripts[i].IsEmpty()) {
    std::shared_ptr<const std::vector<uint8_t>> cache = BuiltinCache(i);
    v8::ScriptCompiler::Source source(
        BuiltinSource(isolate, i), BuiltinOrigin(isolate, m, -1),
        cache == nullptr ? nullptr
                         : new v8::ScriptCompiler::CachedData(
                               cache->data(), static_cast<int>(cache->size()),
                               v8::ScriptCompiler::CachedData::BufferNotOwned));
    Local<v8::UnboundScript> unbound;
    if (!v8::ScriptCompiler::CompileUnboundScript(
             isolate, &source,
             cache == nullptr ? v8::ScriptCompiler::kNoCompileOptions
                              : v8::ScriptCompiler::kConsumeCodeCache)
             .ToLocal(&unbound))
      return MaybeLocal<v8::Function>();
    NoteConsumed(iso, i, source, cache);
    mine.scripts[i].Reset(isolate, unbound);
  }
  Local<Value> fn;
  if (!mine.scripts[i].Get(isolate)->BindToCurrentContext()->Run(context).ToLocal(&fn) ||
      !fn->IsFunction())
    return MaybeLocal<v8::Function>();
  return fn.As<v8::Function>();
#endif
}

// Makes the process's code cache of each module this isolate compiled
// without one. Runs while a context is prepared (the runtime is idle), so
// the cache also holds the functions the calls since then compiled.
void ProduceBuiltinCaches(se_isolate* iso, Local<Context> context) {
  IsolateBuiltins& mine = iso->builtins;
  if (mine.pending == 0) return;
  BuiltinTable& table = Builtins();
  Isolate* isolate = iso->isolate;
  TryCatch tc(isolate);
  for (size_t i = 0; i < mine.uncached.size(); i++) {
    if (!mine.uncached[i]) continue;
    if (!table.cache_on.load() || BuiltinCache(i) != nullptr) {
      mine.uncached[i] = false;
      continue;
    }
    std::unique_ptr<v8::ScriptCompiler::CachedData> data;
#if SE_V8_AT_LEAST(12, 0)
    // V8's compilation cache hands back the compiled module, with the
    // functions compiled since.
    Local<v8::Function> fn;
    if (CompileBuiltin(iso, context, i).ToLocal(&fn))
      data.reset(v8::ScriptCompiler::CreateCodeCacheForFunction(fn));
#else
    (void)context;
    if (!mine.scripts[i].IsEmpty())
      data.reset(v8::ScriptCompiler::CreateCodeCache(mine.scripts[i].Get(isolate)));
#endif
    mine.uncached[i] = false;
    if (data == nullptr || data->length <= 0) continue;
    SetBuiltinCache(i, std::make_shared<const std::vector<uint8_t>>(data->data,
                                                                     data->data + data->length));
    table.produced++;
  }
  mine.pending = 0;
}

// builtin(name): the loader's way to a module's function in this context.
void LoadBuiltinCallback(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  bool cut;
  std::string name = info[0]->IsString() ? ToUtf8Bounded(isolate, info[0], 256, &cut) : "";
  size_t index;
  if (!FindBuiltin(name, &index)) {
    std::string msg = "No such built-in module: " + name;
    ThrowCoded(isolate, v8::Exception::Error(Str(isolate, msg.data(), msg.size())),
               "ERR_UNKNOWN_BUILTIN_MODULE");
    return;
  }
  Local<v8::Function> fn;
  if (CompileBuiltin(iso, isolate->GetCurrentContext(), index).ToLocal(&fn))
    info.GetReturnValue().Set(fn);
}

}  // namespace

extern "C" {

int se_platform_init(void) {
  if (g_platform != nullptr) return 0;
  Isolate* isolate = Isolate::GetCurrent();
  if (isolate == nullptr) return -1;
  HandleScope scope(isolate);
  Local<Context> context = isolate->GetCurrentContext();
  if (context.IsEmpty()) return -2;
  node::Environment* env = node::GetCurrentEnvironment(context);
  if (env == nullptr) return -3;
  g_platform = node::GetMultiIsolatePlatform(env);
  return g_platform != nullptr ? 0 : -4;
}

int se_node_module_version(void) { return NODE_MODULE_VERSION; }
const char* se_node_version(void) { return NODE_VERSION; }

#define SE_STR2(x) #x
#define SE_STR(x) SE_STR2(x)
const char* se_v8_version(void) {
  return SE_STR(V8_MAJOR_VERSION) "." SE_STR(V8_MINOR_VERSION) "." SE_STR(V8_BUILD_NUMBER) "." SE_STR(
      V8_PATCH_LEVEL);
}

void se_v8_set_flags(const char* flags, size_t len) {
  v8::V8::SetFlagsFromString(flags, len);
}

int se_builtins_register(const se_builtin* modules, size_t n, const char* const* params,
                         const size_t* param_lens, size_t nparams, int wrapped) {
  // Before V8 12 a module compiles as a script that is a function
  // expression: the build must have wrapped it, and only then.
  if ((wrapped != 0) == SE_V8_AT_LEAST(12, 0)) return -2;
  BuiltinTable& table = Builtins();
  std::lock_guard<std::mutex> lock(table.mutex);
  if (table.registered) return -1;
  for (size_t i = 0; i < n; i++) {
    BuiltinModule m;
    m.name.assign(modules[i].name, modules[i].name_len);
    m.resource = kBuiltinPrefix + m.name;
    m.latin1 = modules[i].latin1;
    m.utf16 = modules[i].utf16;
    m.length = modules[i].len;
    table.modules.push_back(std::move(m));
  }
  for (size_t i = 0; i < nparams; i++) table.params.emplace_back(params[i], param_lens[i]);
  table.registered = true;
  return 0;
}

void se_builtins_set_code_cache(int on) { Builtins().cache_on.store(on != 0); }

void se_builtins_stats_get(se_builtins_stats* out) {
  BuiltinTable& table = Builtins();
  std::lock_guard<std::mutex> lock(table.mutex);
  out->modules = table.modules.size();
  out->cached = 0;
  out->cache_bytes = 0;
  for (const BuiltinModule& m : table.modules) {
    if (m.cache == nullptr) continue;
    out->cached++;
    out->cache_bytes += m.cache->size();
  }
  out->produced = table.produced.load();
  out->consumed = table.consumed.load();
  out->rejected = table.rejected.load();
}

// V8 formats an error's stack (on first read of `stack`): a guest's
// Error.prepareStackTrace of the error's own context, else V8's own text,
// which the call's hooks.prepareStackTrace writes (with TypeScript frames
// mapped to their source). For an error of a vm context the main context's
// Error.prepareStackTrace is not consulted (Node's fallback to it would let
// the main context's code reach into the new one). Before the hooks exist:
// V8's text, the error's toString then each call site's.
static MaybeLocal<Value> FormatStack(Local<Context> context, Local<Value> error,
                                     Local<v8::Array> sites) {
  Isolate* isolate = context->GetIsolate();
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  se_context* ctx = iso == nullptr ? nullptr : iso->current;
  Local<Value> argv[2] = {error, sites};
  Local<Context> main = ctx == nullptr ? Local<Context>() : ctx->context.Get(isolate);
  if (!main.IsEmpty() && main != context) {
    Local<Value> ctor;
    Local<Value> custom;
    if (!context->Global()
             ->Get(context, String::NewFromUtf8Literal(isolate, "Error"))
             .ToLocal(&ctor))
      return MaybeLocal<Value>();
    if (ctor->IsObject()) {
      if (!ctor.As<Object>()
               ->Get(context, String::NewFromUtf8Literal(isolate, "prepareStackTrace"))
               .ToLocal(&custom))
        return MaybeLocal<Value>();
      if (custom->IsFunction()) return custom.As<v8::Function>()->Call(context, ctor, 2, argv);
    }
  }
  if (!main.IsEmpty()) {
    Local<v8::Function> f = Hook(ctx, SE_HOOK_PREPARE_STACK_TRACE);
    if (!f.IsEmpty()) {
      Local<Value> args[3] = {error, sites, v8::Boolean::New(isolate, main != context)};
      return f->Call(main, v8::Undefined(isolate), 3, args);
    }
  }
  Local<String> text;
  if (!error->ToString(context).ToLocal(&text)) return MaybeLocal<Value>();
  Local<String> at = String::NewFromUtf8Literal(isolate, "\n    at ");
  for (uint32_t i = 0; i < sites->Length(); i++) {
    Local<Value> site;
    Local<String> line;
    if (!sites->Get(context, i).ToLocal(&site) || !site->ToString(context).ToLocal(&line))
      return MaybeLocal<Value>();
    text = String::Concat(isolate, String::Concat(isolate, text, at), line);
  }
  return text;
}

// V8 reads an empty result as an exception the callback scheduled. One
// thrown by JavaScript called from here (a guest's Error.prepareStackTrace
// that throws) is only pending when the stack was read from C++ (an API call
// is on the stack): V8 would find no exception and abort the process. It is
// caught and rethrown, which schedules it, so that `.stack` throws it.
static MaybeLocal<Value> PrepareStackTrace(Local<Context> context, Local<Value> error,
                                           Local<v8::Array> sites) {
  Isolate* isolate = context->GetIsolate();
  TryCatch tc(isolate);
  MaybeLocal<Value> text = FormatStack(context, error, sites);
  if (!text.IsEmpty()) return text;
  if (tc.HasCaught() || tc.HasTerminated()) {
    tc.ReThrow();
    return MaybeLocal<Value>();
  }
  // Empty without an exception: never an empty result V8 cannot explain.
  return String::Empty(isolate);
}

se_isolate* se_isolate_new(const se_isolate_params* params) {
  if (g_platform == nullptr) return nullptr;
  se_isolate* iso = new se_isolate();
  iso->params = *params;
  iso->runner = std::make_shared<ForegroundRunner>(params->on_task_posted, params->waker_data);
  iso->delegate = std::make_unique<PlatformDelegate>(iso->runner);
  auto* memory_out = static_cast<std::atomic<uint64_t>*>(params->memory_out);
  iso->allocator = std::make_shared<LimitedAllocator>(
      params->array_buffer_limit_bytes, params->data, params->on_alloc_limit,
      memory_out == nullptr ? nullptr : memory_out + 1);
  Isolate::CreateParams create;
  create.array_buffer_allocator_shared = iso->allocator;
  size_t heap = params->heap_limit_bytes;
  create.constraints.ConfigureDefaultsFromHeapSize(0, heap);
  // V8's default young generation for a small heap is tiny, which makes
  // allocation-heavy guests scavenge far more often than host Node does.
  // Give it up to a quarter of the heap, at most Node's 64-bit default.
  size_t young = heap / 4 < (size_t{48} << 20) ? heap / 4 : (size_t{48} << 20);
  create.constraints.set_max_young_generation_size_in_bytes(young);
  create.constraints.set_max_old_generation_size_in_bytes(heap - young);
  {
    std::lock_guard<std::mutex> lock(g_isolate_mutex);
    iso->isolate = Isolate::Allocate();
    g_platform->RegisterIsolate(iso->isolate, iso->delegate.get());
  }
  Isolate::Initialize(iso->isolate, create);
  Isolate* isolate = iso->isolate;
  iso->heap_limit = heap;
  isolate->SetData(0, iso);
  // Entered once: each isolate lives on one Rust thread for its whole life.
  iso->scope = std::make_unique<Isolate::Scope>(isolate);
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate->SetPromiseRejectCallback(PromiseRejectCallback);
  isolate->SetHostInitializeImportMetaObjectCallback(InitializeImportMeta);
  isolate->SetHostImportModuleDynamicallyCallback(ImportDynamically);
  isolate->SetPrepareStackTraceCallback(PrepareStackTrace);
  isolate->AddBeforeCallEnteredCallback(BeforeCallEntered);
  isolate->AddNearHeapLimitCallback(NearHeapLimit, iso);
  if (memory_out != nullptr) isolate->AddGCEpilogueCallback(PublishHeap, memory_out);
  isolate->SetCaptureStackTraceForUncaughtExceptions(false);
  if (!BuildOpTemplates(iso, params->ops, params->nops)) {
    se_isolate_dispose(iso);
    return nullptr;
  }
  return iso;
}

void se_isolate_dispose(se_isolate* iso) {
  if (iso == nullptr) return;
  Isolate* isolate = iso->isolate;
  iso->runner->Close();
  iso->bootstrap.Reset();
  for (OpEntry& e : iso->ops) e.tmpl.Reset();
  iso->builtins.Reset();
  isolate->RemoveNearHeapLimitCallback(NearHeapLimit, 0);
  // Queues go before the isolate: V8 expects only its default queue left.
  for (Retired& r : iso->retired) r.context.Reset();
  iso->retired.clear();
  iso->scope.reset();
  {
    std::lock_guard<std::mutex> lock(g_isolate_mutex);
#if NODE_MAJOR_VERSION >= 24
    g_platform->DisposeIsolate(isolate);
#else
    isolate->Dispose();
    g_platform->UnregisterIsolate(isolate);
#endif
  }
  delete iso;
}

void se_isolate_terminate(se_isolate* iso) {
  iso->stop_requested.store(true, std::memory_order_release);
  iso->isolate->TerminateExecution();
}

void se_isolate_cancel_terminate(se_isolate* iso) {
  iso->stop_requested.store(false, std::memory_order_release);
  iso->isolate->CancelTerminateExecution();
}

// The check of MemoryCheckInterrupt, now, on the isolate's thread: true
// (and the limit reported) when V8's external memory is over the limit.
// External memory is V8's own running count: reading it costs nothing.
int se_isolate_check_external_memory(se_isolate* iso) {
  int64_t external = iso->isolate->AdjustAmountOfExternalAllocatedMemory(0);
  size_t limit = iso->allocator->limit();
  if (external <= 0 || static_cast<uint64_t>(external) <= limit) return 0;
  iso->allocator->ReportLimit(static_cast<size_t>(external) - limit);
  return 1;
}

void se_isolate_request_memory_check(se_isolate* iso) {
  if (iso->memory_check_pending.exchange(true)) return;
  iso->isolate->RequestInterrupt(MemoryCheckInterrupt, iso);
}

double se_isolate_pump_tasks(se_isolate* iso) {
  std::vector<std::unique_ptr<v8::Task>> tasks;
  double next = iso->runner->TakeDue(&tasks);
  HandleScope scope(iso->isolate);
  for (auto& task : tasks) {
    HoldStop(iso);
    iso->runner->BeginTask();
    task->Run();
    iso->runner->EndTask();
  }
  iso->tasks_since_sweep += tasks.size();
  return next < 0 ? -1 : next * 1000.0;
}

void se_isolate_memory(se_isolate* iso, se_memory* out) {
  v8::HeapStatistics hs;
  iso->isolate->GetHeapStatistics(&hs);
  out->heap_used = hs.used_heap_size();
  out->external = hs.external_memory();
  out->array_buffers = iso->allocator->in_use();
  out->retired = iso->retired.size();
}

void se_isolate_collect_garbage(se_isolate* iso) { iso->isolate->LowMemoryNotification(); }

void se_node_isolate_collect_garbage(void) {
  Isolate* isolate = Isolate::GetCurrent();
  if (isolate != nullptr) isolate->LowMemoryNotification();
}

// Empties the queues of finished contexts that V8 still keeps alive: a
// platform task V8 ran since may have queued one of their promise jobs.
void se_isolate_sweep_retired(se_isolate* iso) {
  Isolate* isolate = iso->isolate;
  // A collected context can no longer reach its queue: free it now.
  std::vector<Retired>& list = iso->retired;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [](const Retired& r) { return r.context.IsEmpty(); }),
             list.end());
  if (iso->tasks_since_sweep == 0) return;
  iso->tasks_since_sweep = 0;
  HandleScope handles(isolate);
  for (Retired& r : list) {
    Local<Context> context = r.context.Get(isolate);
    Context::Scope scope(context);
    DropMicrotasks(isolate, r.queue.get());
  }
}

se_context* se_context_new(se_isolate* iso, const char* bootstrap, size_t bootstrap_len,
                           const char* bootstrap_name, size_t bootstrap_name_len,
                           const char* config_json, size_t config_len, void* sink,
                           se_sink_fn sink_fn, int* status) {
  Isolate* isolate = iso->isolate;
  HandleScope handles(isolate);
  se_context* ctx = new se_context();
  ctx->owner = iso;
  // Its own queue: jobs a call leaves behind go with the call.
  ctx->queue = v8::MicrotaskQueue::New(isolate, v8::MicrotasksPolicy::kExplicit);
  Local<Context> context = Context::New(isolate, nullptr, v8::MaybeLocal<v8::ObjectTemplate>(),
                                        v8::MaybeLocal<Value>(),
                                        v8::DeserializeInternalFieldsCallback(), ctx->queue.get());
  Context::Scope cscope(context);
  ctx->context.Reset(isolate, context);
  iso->current = ctx;

  TryCatch tc(isolate);
  Local<Object> native = Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  for (OpEntry& e : iso->ops) {
    Local<v8::Function> f;
    if (!e.tmpl.Get(isolate)->GetFunction(context).ToLocal(&f)) break;
    native->CreateDataProperty(context, Str(isolate, e.name.data(), e.name.size()), f).Check();
  }
  Local<Object> failed = Object::New(isolate, v8::Null(isolate), nullptr, nullptr, 0);
  failed->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).Check();
  ctx->failed.Reset(isolate, failed);
  native->CreateDataProperty(context, String::NewFromUtf8Literal(isolate, "failed"), failed).Check();
  Local<v8::ArrayBuffer> stat_buf =
      v8::ArrayBuffer::New(isolate, SE_STAT_FIELDS * sizeof(double));
  ctx->stat_store = stat_buf->GetBackingStore();
  native
      ->CreateDataProperty(context, String::NewFromUtf8Literal(isolate, "stat_values"),
                           v8::Float64Array::New(stat_buf, 0, SE_STAT_FIELDS))
      .Check();
  native->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).Check();

  Local<Value> config;
  ProduceBuiltinCaches(iso, context);
  if (iso->bootstrap.IsEmpty() || iso->bootstrap_src != bootstrap) {
    v8::ScriptOrigin origin =
        Origin(isolate, Str(isolate, bootstrap_name, bootstrap_name_len), false);
    v8::ScriptCompiler::Source source(Str(isolate, bootstrap, bootstrap_len), origin);
    Local<v8::UnboundScript> unbound;
    if (v8::ScriptCompiler::CompileUnboundScript(isolate, &source).ToLocal(&unbound)) {
      iso->bootstrap.Reset(isolate, unbound);
      iso->bootstrap_src = bootstrap;
    }
  }
  Local<Value> fn;
  Local<Value> hooks;
  Local<v8::Function> builtin;
  if (!iso->bootstrap.IsEmpty() &&
      v8::JSON::Parse(context, Str(isolate, config_json, config_len)).ToLocal(&config) &&
      iso->bootstrap.Get(isolate)->BindToCurrentContext()->Run(context).ToLocal(&fn) &&
      fn->IsFunction() && config->IsObject() &&
      v8::Function::New(context, LoadBuiltinCallback, Local<Value>(), 1,
                        v8::ConstructorBehavior::kThrow)
          .ToLocal(&builtin)) {
    ctx->config.Reset(isolate, config.As<Object>());
    Local<Value> argv[3] = {native, config, builtin};
    if (fn.As<v8::Function>()->Call(context, context->Global(), 3, argv).ToLocal(&hooks) &&
        hooks->IsObject()) {
      Local<Object> h = hooks.As<Object>();
      for (int i = 0; i < SE_HOOK_COUNT; i++) {
        Local<Value> f;
        if (h->Get(context, String::NewFromUtf8(isolate, kHookNames[i]).ToLocalChecked())
                .ToLocal(&f) &&
            f->IsFunction())
          ctx->hook_fns[i].Reset(isolate, f.As<v8::Function>());
      }
      h->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).Check();
    }
  }
  *status = Finish(nullptr, isolate, context, &tc, sink, sink_fn);
  // A bootstrap that gave no event loop cannot run a call.
  if (*status == SE_OK && ctx->hook_fns[SE_HOOK_TIMERS].IsEmpty()) *status = SE_EXCEPTION;
  iso->current = nullptr;
  return ctx;
}

// Ends a context for good: no script may run in it again, the jobs it left
// are dropped, and its queue is kept (empty) until the isolate goes.
void se_context_dispose(se_context* ctx) {
  if (ctx == nullptr) return;
  se_isolate* iso = ctx->owner;
  Isolate* isolate = iso->isolate;
  if (iso->current == ctx) iso->current = nullptr;
  {
    HandleScope handles(isolate);
    Local<Context> context = ctx->context.Get(isolate);
    context->SetAbortScriptExecution(AbortDetached);
    Context::Scope scope(context);
    DropMicrotasks(isolate, ctx->queue.get());
  }
  DisposeVmContexts(ctx);
  ctx->module_promise.Reset();
  ctx->modules.clear();
  ctx->module_ids.clear();
  ctx->failed.Reset();
  ctx->last_error.Reset();
  ctx->stat_store.reset();
  for (auto& f : ctx->hook_fns) f.Reset();
  ctx->config.Reset();
  Retired r;
  r.context.Reset(isolate, ctx->context);
  r.context.SetWeak();
  r.queue = std::move(ctx->queue);
  iso->retired.push_back(std::move(r));
  ctx->context.Reset();
  isolate->ContextDisposedNotification();
  delete ctx;
}

// Starts the call: natives of this context serve it from now on.
void se_context_enter_call(se_context* ctx) {
  ctx->owner->current = ctx;
  ResetAsyncContext(ctx);
  ctx->owner->runner->ReleaseParked();
}

int se_context_configure(se_context* ctx, const char* json, size_t len, const uint8_t* stdin_ptr,
                         size_t stdin_len, int has_stdin, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  TryCatch tc(e.isolate);
  Local<Object> config = ctx->config.Get(e.isolate);
  Local<Value> parsed;
  if (v8::JSON::Parse(e.context, Str(e.isolate, json, len)).ToLocal(&parsed) && parsed->IsObject()) {
    Local<v8::Array> keys;
    if (parsed.As<Object>()->GetOwnPropertyNames(e.context).ToLocal(&keys)) {
      for (uint32_t i = 0; i < keys->Length(); i++) {
        Local<Value> k, v;
        // Defined, not assigned: a key such as "__proto__" stays a plain key.
        if (keys->Get(e.context, i).ToLocal(&k) && k->IsName() &&
            parsed.As<Object>()->Get(e.context, k).ToLocal(&v))
          config->CreateDataProperty(e.context, k.As<v8::Name>(), v).Check();
      }
    }
    Local<Value> in = v8::Null(e.isolate);
    Local<v8::Uint8Array> bytes;
    if (has_stdin && NewBytes(e.isolate, stdin_ptr, stdin_len, &bytes)) in = bytes;
    if (!tc.HasCaught()) {
      config->CreateDataProperty(e.context, String::NewFromUtf8Literal(e.isolate, "stdin"), in)
          .Check();
      config->SetIntegrityLevel(e.context, v8::IntegrityLevel::kFrozen).Check();
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn);
}

int se_context_run_cjs(se_context* ctx, const char* src, size_t len, const char* name,
                       size_t name_len, int typescript, int detect, int* module_syntax,
                       void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  *module_syntax = 0;
  TryCatch tc(e.isolate);
  Local<v8::Function> run = Hook(ctx, SE_HOOK_RUN_MAIN);
  Local<String> source;
  if (!run.IsEmpty() && NewGuestString(e.isolate, src, len, &source)) {
    // runMain compiles it (v8_compile_cjs) so that a syntax error is thrown
    // from JS frames, as Node's is from its loader's. With `detect`, it
    // answers true instead when only an ES module may have that syntax.
    Local<Value> argv[4] = {source, Str(e.isolate, name, name_len),
                            v8::Boolean::New(e.isolate, typescript != 0),
                            v8::Boolean::New(e.isolate, detect != 0)};
    Local<Value> result;
    if (run->Call(e.context, v8::Undefined(e.isolate), 4, argv).ToLocal(&result) &&
        result->IsTrue()) {
      *module_syntax = 1;
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn, true);
}

int se_context_run_module(se_context* ctx, const char* src, size_t len, const char* name,
                          size_t name_len, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  TryCatch tc(e.isolate);
  Local<v8::Function> run = Hook(ctx, SE_HOOK_RUN_MODULE);
  Local<String> source;
  if (!run.IsEmpty() && NewGuestString(e.isolate, src, len, &source)) {
    // runModule loads the graph, then returns the promise of its evaluation.
    Local<Value> argv[2] = {source, Str(e.isolate, name, name_len)};
    Local<Value> result;
    if (run->Call(e.context, v8::Undefined(e.isolate), 2, argv).ToLocal(&result) &&
        result->IsPromise()) {
      ctx->module_promise.Reset(e.isolate, result.As<v8::Promise>());
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn, true);
}

int se_context_module_state(se_context* ctx, void* sink, se_sink_fn sink_fn) {
  if (ctx->module_promise.IsEmpty()) return SE_MODULE_FULFILLED;
  Enter e(ctx);
  Local<v8::Promise> p = ctx->module_promise.Get(e.isolate);
  switch (p->State()) {
    case v8::Promise::kPending:
      return SE_MODULE_PENDING;
    case v8::Promise::kFulfilled:
      return SE_MODULE_FULFILLED;
    case v8::Promise::kRejected: {
      Local<Value> reason = p->Result();
      if (OfferUncaught(ctx, e.isolate, e.context, reason)) {
        // Handled by a listener: the module counts as done.
        ctx->module_promise.Reset();
        return SE_MODULE_FULFILLED;
      }
      // The message is rebuilt from the error's own stack so that the
      // location points into the guest's source.
      ReportException(ctx, e.isolate, e.context, reason,
                      v8::Exception::CreateMessage(e.isolate, reason), sink, sink_fn);
      return SE_MODULE_REJECTED;
    }
  }
  return SE_MODULE_PENDING;
}

int se_context_call_hook(se_context* ctx, int hook, const double* args, size_t nargs,
                         double* out, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  TryCatch tc(e.isolate);
  Local<v8::Function> f = hook >= 0 && hook < SE_HOOK_COUNT ? Hook(ctx, hook) : Local<v8::Function>();
  if (!f.IsEmpty()) {
    Local<Value> argv[kMaxArgs];
    size_t n = nargs < kMaxArgs ? nargs : kMaxArgs;
    for (size_t i = 0; i < n; i++) argv[i] = v8::Number::New(e.isolate, args[i]);
    Local<Value> result;
    if (f->Call(e.context, v8::Undefined(e.isolate), static_cast<int>(n), argv).ToLocal(&result) &&
        out != nullptr) {
      // Rust validates the number; anything else reads as NaN.
      *out = result->IsNumber() ? result.As<v8::Number>()->Value() : std::nan("");
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn);
}

void se_ret_undefined(se_ret* r) { r->value = v8::Undefined(r->isolate); }
void se_ret_null(se_ret* r) { r->value = v8::Null(r->isolate); }
void se_ret_bool(se_ret* r, int b) { r->value = v8::Boolean::New(r->isolate, b != 0); }
void se_ret_number(se_ret* r, double n) { r->value = v8::Number::New(r->isolate, n); }

// A pending exception thrown while building a result becomes the op's throw.
static void TakeException(se_ret* r, TryCatch* tc) {
  r->value = tc->Exception();
  r->threw = true;
  tc->Reset();
}

void se_ret_string(se_ret* r, const char* p, size_t len) {
  TryCatch tc(r->isolate);
  Local<String> s;
  if (NewGuestString(r->isolate, p, len, &s)) {
    r->value = s;
  } else {
    TakeException(r, &tc);
  }
}
void se_ret_bytes(se_ret* r, const uint8_t* p, size_t len) {
  TryCatch tc(r->isolate);
  Local<v8::Uint8Array> bytes;
  if (NewBytes(r->isolate, p, len, &bytes)) {
    r->value = bytes;
  } else {
    TakeException(r, &tc);
  }
}
void se_ret_strings(se_ret* r, const char* const* ps, const size_t* lens, size_t n) {
  TryCatch tc(r->isolate);
  std::vector<Local<Value>> items;
  items.reserve(n);
  for (size_t i = 0; i < n; i++) {
    Local<String> s;
    if (!NewGuestString(r->isolate, ps[i], lens[i], &s)) return TakeException(r, &tc);
    items.push_back(s);
  }
  r->value = v8::Array::New(r->isolate, items.data(), items.size());
}
void se_ret_stat(se_ret* r, const double* fields, size_t n) {
  se_isolate* iso = static_cast<se_isolate*>(r->isolate->GetData(0));
  se_context* ctx = iso->current;
  if (ctx != nullptr && ctx->stat_store && ctx->stat_store->Data() != nullptr) {
    size_t count = n < SE_STAT_FIELDS ? n : SE_STAT_FIELDS;
    memcpy(ctx->stat_store->Data(), fields, count * sizeof(double));
  }
  r->value = v8::Integer::New(r->isolate, 0);
}

void se_ret_cloned(se_ret* r, const uint8_t* p, size_t len) {
  TryCatch tc(r->isolate);
  v8::ValueDeserializer des(r->isolate, p, len);
  Local<Value> out;
  if (des.ReadHeader(r->context).FromMaybe(false) && des.ReadValue(r->context).ToLocal(&out)) {
    r->value = out;
  } else if (tc.HasCaught()) {
    TakeException(r, &tc);
  } else {
    r->value = v8::Undefined(r->isolate);
  }
}

static Local<Value> OptStr(Isolate* isolate, se_str s) {
  if (s.ptr == nullptr) return v8::Undefined(isolate);
  Local<String> out;
  if (!NewGuestString(isolate, s.ptr, s.len, &out)) return v8::Undefined(isolate);
  return out;
}

void se_ret_error(se_ret* r, uint32_t kind, int32_t err_no, se_str code, se_str message, se_str name,
                  se_str path, se_str dest, int32_t arg_index) {
  Isolate* isolate = r->isolate;
  TryCatch tc(isolate);
  Local<Value> actual = v8::Undefined(isolate);
  if (arg_index >= 0 && r->info != nullptr && arg_index < r->info->Length())
    actual = (*r->info)[arg_index];
  Local<Value> items[8] = {v8::Integer::NewFromUnsigned(isolate, kind),
                           v8::Integer::New(isolate, err_no),
                           OptStr(isolate, code),
                           OptStr(isolate, message),
                           OptStr(isolate, name),
                           OptStr(isolate, path),
                           OptStr(isolate, dest),
                           actual};
  if (tc.HasCaught()) return TakeException(r, &tc);
  r->value = v8::Array::New(isolate, items, 8);
  r->failed = true;
}

int se_isolate_has_pending_tasks(se_isolate* iso) {
  return iso->isolate->HasPendingBackgroundTasks() || iso->runner->HasReady() ? 1 : 0;
}

void se_ret_throw(se_ret* r, const char* kind, const char* msg, size_t msg_len, const char* code) {
  Local<String> m = Str(r->isolate, msg, msg_len);
  Local<Value> err;
  if (strcmp(kind, "TypeError") == 0) {
    err = v8::Exception::TypeError(m);
  } else if (strcmp(kind, "RangeError") == 0) {
    err = v8::Exception::RangeError(m);
  } else {
    err = v8::Exception::Error(m);
  }
  if (code != nullptr && code[0] != '\0') SetCode(r->isolate, r->context, err, code);
  r->value = err;
  r->threw = true;
}


// ---- persistent contexts ----
// A context that lives across calls (rt.createContext()). Between its calls
// no script may run in it (a V8 task of another call must not reach it),
// so it is suspended the way finished contexts are, and resumed by its
// next call.

// The call starts: this context's natives serve it and its script runs again.
void se_context_resume_call(se_context* ctx) {
  Isolate* isolate = ctx->owner->isolate;
  HandleScope handles(isolate);
  ctx->context.Get(isolate)->SetAbortScriptExecution(nullptr);
  for (auto& c : ctx->vm_contexts) {
    if (!c.IsEmpty()) c.Get(isolate)->SetAbortScriptExecution(nullptr);
  }
  ctx->owner->current = ctx;
  ResetAsyncContext(ctx);
  ctx->owner->runner->ReleaseParked();
}

// The call ended: nothing runs in the context until it resumes, nor in the
// vm contexts it made (a FinalizationRegistry of one would otherwise run
// its callback from a V8 task during another call).
void se_context_suspend_call(se_context* ctx) {
  se_isolate* iso = ctx->owner;
  Isolate* isolate = iso->isolate;
  HandleScope handles(isolate);
  ctx->context.Get(isolate)->SetAbortScriptExecution(AbortDetached);
  for (auto& c : ctx->vm_contexts) {
    if (!c.IsEmpty()) c.Get(isolate)->SetAbortScriptExecution(AbortDetached);
  }
  if (iso->current == ctx) iso->current = nullptr;
}

// V8's complaint about `await` outside an async function, as the script
// compiler words it (a module would allow it at top level).
constexpr char kTopLevelAwait[] =
    "await is only valid in async functions and the top level bodies of modules";

bool CompileScript(Isolate* isolate, Local<Context> context, Local<String> source,
                   Local<String> name, int line_offset, Local<v8::Script>* out) {
#if SE_V8_AT_LEAST(12, 0)
  v8::ScriptOrigin origin(name, line_offset, 0);
#else
  v8::ScriptOrigin origin(isolate, name, line_offset, 0);
#endif
  v8::ScriptCompiler::Source src(source, origin);
  return v8::ScriptCompiler::Compile(context, &src).ToLocal(out);
}

// Runs `src` as a classic script in the context's global scope: its
// top-level declarations stay for the context's later scripts. Code that
// uses top-level await runs instead as the body of an async arrow function
// (its declarations are then its own); a rejection is an unhandled one.
int se_context_run_script(se_context* ctx, const char* src, size_t len, const char* name,
                          size_t name_len, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  TryCatch tc(e.isolate);
  Local<String> source;
  if (NewGuestString(e.isolate, src, len, &source)) {
    Local<String> resource = Str(e.isolate, name, name_len);
    Local<v8::Script> script;
    bool compiled = CompileScript(e.isolate, e.context, source, resource, 0, &script);
    if (!compiled && tc.HasCaught() && !tc.HasTerminated() && !tc.Message().IsEmpty() &&
        ToUtf8(e.isolate, tc.Message()->Get()).find(kTopLevelAwait) != std::string::npos) {
      tc.Reset();
      // The wrapper's first line is line 0: the code keeps its own line numbers.
      Local<String> wrapped = String::Concat(
          e.isolate,
          String::Concat(e.isolate, String::NewFromUtf8Literal(e.isolate, "(async () => {\n"),
                         source),
          String::NewFromUtf8Literal(e.isolate, "\n})()"));
      compiled = !wrapped.IsEmpty() &&
                 CompileScript(e.isolate, e.context, wrapped, resource, -1, &script);
    }
    Local<Value> ignored;
    if (compiled && !script->Run(e.context).ToLocal(&ignored)) {
      // The exception, if any, is in `tc`.
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn, true);
}

}  // extern "C"
