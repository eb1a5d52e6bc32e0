// Thin V8 layer over the V8 inside the Node.js that runs the sidecar.
// Compiled with -fno-rtti (Node has no typeinfo for V8's classes) and without
// exceptions. Keep it boring: handles, callbacks, compile/run, terminate.
#include "engine.h"

#include "node_wrapper.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
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

  ForegroundRunner() = default;
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

  void Close() {
    std::deque<std::unique_ptr<v8::Task>> ready;
    std::vector<Delayed> delayed;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
      ready.swap(ready_);
      delayed.swap(delayed_);
    }
  }

 private:
  void Push(std::unique_ptr<v8::Task> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closed_) ready_.push_back(std::move(task));
  }
  void PushDelayed(std::unique_ptr<v8::Task> task, double delay) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closed_) delayed_.push_back(Delayed{MonotonicSeconds() + delay, std::move(task)});
  }

  std::mutex mutex_;
  bool closed_ = false;
  std::deque<std::unique_ptr<v8::Task>> ready_;
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
// typed arrays are bounded like the JS heap.
class LimitedAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  LimitedAllocator(size_t limit, void* data, se_alloc_limit_fn on_limit)
      : limit_(limit), data_(data), on_limit_(on_limit) {}
  LimitedAllocator(const LimitedAllocator&) = delete;
  LimitedAllocator& operator=(const LimitedAllocator&) = delete;

  void* Allocate(size_t length) override {
    if (!Reserve(length)) return nullptr;
    void* p = calloc(length ? length : 1, 1);
    if (p == nullptr) in_use_.fetch_sub(length);
    return p;
  }
  void* AllocateUninitialized(size_t length) override {
    if (!Reserve(length)) return nullptr;
    void* p = malloc(length ? length : 1);
    if (p == nullptr) in_use_.fetch_sub(length);
    return p;
  }
  void Free(void* data, size_t length) override {
    free(data);
    in_use_.fetch_sub(length);
  }

 private:
  // V8 answers a refused backing store with up to three garbage collections
  // and a retry after each, so only a request refused that many times in a
  // row means live memory is really over the limit.
  static constexpr int kRefusalsBeforeLimit = 4;

  bool Reserve(size_t length) {
    size_t now = in_use_.fetch_add(length) + length;
    if (now <= limit_) {
      refusals_.store(0);
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
};

class CloneDelegate final : public v8::ValueSerializer::Delegate {
 public:
  explicit CloneDelegate(Isolate* isolate) : isolate_(isolate) {}
  CloneDelegate(const CloneDelegate&) = delete;
  CloneDelegate& operator=(const CloneDelegate&) = delete;
  void ThrowDataCloneError(Local<String> message) override {
    Local<Context> ctx = isolate_->GetCurrentContext();
    Local<Value> err = v8::Exception::Error(message);
    err.As<Object>()
        ->Set(ctx, String::NewFromUtf8Literal(isolate_, "name"),
              String::NewFromUtf8Literal(isolate_, "DataCloneError"))
        .Check();
    isolate_->ThrowException(err);
  }

 private:
  Isolate* isolate_;
};

}  // namespace

struct se_isolate {
  Isolate* isolate = nullptr;
  std::shared_ptr<ForegroundRunner> runner;
  std::unique_ptr<PlatformDelegate> delegate;
  std::shared_ptr<LimitedAllocator> allocator;
  std::unique_ptr<Isolate::Scope> scope;
  se_isolate_params params{};
  size_t heap_limit = 0;
  // The context running now; promise-reject events go to its hooks.
  se_context* current = nullptr;
  // The bootstrap compiled once per isolate; every context binds it afresh.
  v8::Global<v8::UnboundScript> bootstrap;
  const char* bootstrap_src = nullptr;
  std::string bootstrap_name;
};

struct se_context {
  se_isolate* owner = nullptr;
  v8::Global<Context> context;
  v8::Global<Object> hooks;
  v8::Global<Object> config;
  v8::Global<v8::Module> module;
  v8::Global<v8::Promise> module_promise;
  std::vector<std::string> op_names;
};

struct se_ret {
  Isolate* isolate;
  Local<Context> context;
  Local<Value> value;
  bool threw;
};

namespace {

Local<String> Str(Isolate* isolate, const char* p, size_t len) {
  return String::NewFromUtf8(isolate, p, v8::NewStringType::kNormal, static_cast<int>(len))
      .FromMaybe(String::Empty(isolate));
}

// UTF-8 with lone surrogates replaced by U+FFFD, as WHATWG encoders do.
std::string ToUtf8(Isolate* isolate, Local<Value> v) {
  Local<String> str;
  if (v->IsString()) {
    str = v.As<String>();
  } else if (!v->ToString(isolate->GetCurrentContext()).ToLocal(&str)) {
    return std::string();
  }
#if SE_V8_AT_LEAST(13, 0)
  size_t len = str->Utf8LengthV2(isolate);
  std::string out(len, '\0');
  str->WriteUtf8V2(isolate, out.data(), len, String::WriteFlags::kReplaceInvalidUtf8);
#else
  int len = str->Utf8Length(isolate);
  std::string out(static_cast<size_t>(len), '\0');
  str->WriteUtf8(isolate, out.data(), len, nullptr,
                 String::REPLACE_INVALID_UTF8 | String::NO_NULL_TERMINATION);
#endif
  return out;
}

void Emit(void* sink, se_sink_fn fn, uint32_t field, const std::string& s) {
  fn(sink, field, s.data(), s.size(), 0);
}

// Reports an exception caught by `tc` through the sink: its name, message,
// stack, code, where it was thrown, and hooks.inspectError(err) when the
// context is set up.
void ReportException(se_context* ctx, Isolate* isolate, Local<Context> context, Local<Value> exc,
                     Local<v8::Message> msg, void* sink, se_sink_fn fn) {
  HandleScope scope(isolate);
  // Rethrown by the guest builtins (a callback's error leaving the event
  // loop): point at where the error was made instead, as Node does.
  if (ctx != nullptr && !msg.IsEmpty() && exc->IsNativeError() &&
      ToUtf8(isolate, msg->GetScriptResourceName()) == ctx->owner->bootstrap_name) {
    Local<v8::Message> own = v8::Exception::CreateMessage(isolate, exc);
    if (!own.IsEmpty()) msg = own;
  }
  if (!msg.IsEmpty()) {
    Emit(sink, fn, SE_EXC_RESOURCE, ToUtf8(isolate, msg->GetScriptResourceName()));
    Local<String> line;
    if (msg->GetSourceLine(context).ToLocal(&line)) {
      Emit(sink, fn, SE_EXC_SOURCE_LINE, ToUtf8(isolate, line));
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
      Emit(sink, fn, SE_EXC_NAME, ToUtf8(isolate, v));
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "message")).ToLocal(&v) &&
        !v->IsUndefined())
      Emit(sink, fn, SE_EXC_MESSAGE, ToUtf8(isolate, v));
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "stack")).ToLocal(&v) &&
        v->IsString())
      Emit(sink, fn, SE_EXC_STACK, ToUtf8(isolate, v));
    if (obj->Get(context, String::NewFromUtf8Literal(isolate, "code")).ToLocal(&v) &&
        (v->IsString() || v->IsNumber()))
      Emit(sink, fn, SE_EXC_CODE, ToUtf8(isolate, v));
  } else {
    Emit(sink, fn, SE_EXC_MESSAGE, ToUtf8(isolate, exc));
  }
  inner.Reset();
  if (ctx != nullptr && !ctx->hooks.IsEmpty() && !isolate->IsExecutionTerminating()) {
    // Node's "file:line / source line / caret" arrow, for code of the guest's own.
    std::string arrow;
    if (!msg.IsEmpty()) {
      std::string resource = ToUtf8(isolate, msg->GetScriptResourceName());
      Local<String> line;
      int lineno = msg->GetLineNumber(context).FromMaybe(0);
      if (resource != ctx->owner->bootstrap_name && lineno > 0 &&
          msg->GetSourceLine(context).ToLocal(&line)) {
        int start = msg->GetStartColumn(context).FromMaybe(0);
        int end = msg->GetEndColumn(context).FromMaybe(start + 1);
        bool syntax = false;
        if (exc->IsObject()) {
          Local<Value> name;
          syntax = exc.As<Object>()
                       ->Get(context, String::NewFromUtf8Literal(isolate, "name"))
                       .ToLocal(&name) &&
                   ToUtf8(isolate, name) == "SyntaxError";
          inner.Reset();
        }
        int width = syntax && end > start ? end - start : 1;
        arrow = resource + ":" + std::to_string(lineno) + "\n" + ToUtf8(isolate, line) + "\n" +
                std::string(start > 0 ? start : 0, ' ') + std::string(width, '^') + "\n";
      }
    }
    Local<Object> hooks = ctx->hooks.Get(isolate);
    Local<Value> f;
    if (hooks->Get(context, String::NewFromUtf8Literal(isolate, "formatFatal")).ToLocal(&f) &&
        f->IsFunction()) {
      Local<Value> argv[2] = {exc, Str(isolate, arrow.data(), arrow.size())};
      Local<Value> out;
      if (f.As<v8::Function>()->Call(context, hooks, 2, argv).ToLocal(&out) && out->IsString())
        Emit(sink, fn, SE_EXC_INSPECTED, ToUtf8(isolate, out));
    }
  }
}

// The main script threw: offers the exception to hooks.uncaughtException
// (process 'uncaughtException' listeners); true when they took it.
bool OfferUncaught(se_context* ctx, Isolate* isolate, Local<Context> context, Local<Value> exc) {
  if (ctx->hooks.IsEmpty() || isolate->IsExecutionTerminating()) return false;
  TryCatch tc(isolate);
  Local<Object> hooks = ctx->hooks.Get(isolate);
  Local<Value> f;
  Local<Value> out;
  Local<Value> argv[1] = {exc};
  return hooks->Get(context, String::NewFromUtf8Literal(isolate, "uncaughtException")).ToLocal(&f) &&
         f->IsFunction() &&
         f.As<v8::Function>()->Call(context, hooks, 1, argv).ToLocal(&out) && out->IsTrue();
}

int Finish(se_context* ctx, Isolate* isolate, Local<Context> context, TryCatch* tc, void* sink,
           se_sink_fn fn, bool main_script = false) {
  if (tc->HasTerminated() || isolate->IsExecutionTerminating()) return SE_TERMINATED;
  if (tc->HasCaught()) {
    if (main_script && OfferUncaught(ctx, isolate, context, tc->Exception())) {
      return isolate->IsExecutionTerminating() ? SE_TERMINATED : SE_OK;
    }
    ReportException(ctx, isolate, context, tc->Exception(), tc->Message(), sink, fn);
    return isolate->IsExecutionTerminating() ? SE_TERMINATED : SE_EXCEPTION;
  }
  return SE_OK;
}

void ToSeValue(Isolate* isolate, Local<Value> v, se_value* out, std::string* scratch) {
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
    *scratch = ToUtf8(isolate, v);
    out->ptr = reinterpret_cast<uint8_t*>(scratch->data());
    out->len = scratch->size();
  } else if (v->IsArrayBufferView()) {
    Local<v8::ArrayBufferView> view = v.As<v8::ArrayBufferView>();
    out->kind = SE_BYTES;
    std::shared_ptr<v8::BackingStore> store = view->Buffer()->GetBackingStore();
    out->ptr = static_cast<uint8_t*>(store->Data()) + view->ByteOffset();
    out->len = view->ByteLength();
    if (out->ptr == nullptr) out->len = 0;
  } else {
    out->kind = SE_OTHER;
  }
}

Local<v8::Uint8Array> NewBytes(Isolate* isolate, const uint8_t* p, size_t len) {
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(isolate, len);
  if (len > 0) memcpy(store->Data(), p, len);
  Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, std::move(store));
  return v8::Uint8Array::New(ab, 0, len);
}

constexpr size_t kMaxArgs = 8;

// native[op](...): hands the arguments to Rust's syscall table.
void OpCallback(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  uint32_t op = info.Data().As<v8::Uint32>()->Value();
  size_t n = info.Length() < static_cast<int>(kMaxArgs) ? info.Length() : kMaxArgs;
  se_value args[kMaxArgs];
  std::string scratch[kMaxArgs];
  for (size_t i = 0; i < n; i++) ToSeValue(isolate, info[i], &args[i], &scratch[i]);
  se_ret ret{isolate, isolate->GetCurrentContext(), v8::Undefined(isolate), false};
  iso->params.on_op(iso->params.data, op, args, n, &ret);
  if (ret.threw) {
    isolate->ThrowException(ret.value);
    return;
  }
  info.GetReturnValue().Set(ret.value);
}

void SerializeCallback(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  CloneDelegate delegate(isolate);
  v8::ValueSerializer ser(isolate, &delegate);
  ser.WriteHeader();
  if (!ser.WriteValue(context, info[0]).FromMaybe(false)) return;
  std::pair<uint8_t*, size_t> buf = ser.Release();
  info.GetReturnValue().Set(NewBytes(isolate, buf.first, buf.second));
  free(buf.first);
}

void DeserializeCallback(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  if (!info[0]->IsArrayBufferView()) {
    isolate->ThrowException(
        v8::Exception::TypeError(String::NewFromUtf8Literal(isolate, "expected bytes")));
    return;
  }
  Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
  std::vector<uint8_t> copy(view->ByteLength());
  view->CopyContents(copy.data(), copy.size());
  v8::ValueDeserializer des(isolate, copy.data(), copy.size());
  if (!des.ReadHeader(context).FromMaybe(false)) return;
  Local<Value> out;
  if (des.ReadValue(context).ToLocal(&out)) info.GetReturnValue().Set(out);
}

// [state, result] of a promise (0 pending, 1 fulfilled, 2 rejected), for
// util.inspect; undefined for anything else.
void PromiseStateCallback(const FunctionCallbackInfo<Value>& info) {
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
  Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsProxy()) return;
  Local<v8::Proxy> proxy = info[0].As<v8::Proxy>();
  Local<Value> items[2] = {proxy->GetTarget(), proxy->GetHandler()};
  info.GetReturnValue().Set(v8::Array::New(isolate, items, 2));
}

void RunMicrotasksCallback(const FunctionCallbackInfo<Value>& info) {
  info.GetIsolate()->PerformMicrotaskCheckpoint();
}

void PromiseRejectCallback(v8::PromiseRejectMessage message) {
  Local<v8::Promise> promise = message.GetPromise();
  Isolate* isolate = promise->GetIsolate();
  se_isolate* iso = static_cast<se_isolate*>(isolate->GetData(0));
  if (iso == nullptr || iso->current == nullptr || iso->current->hooks.IsEmpty()) return;
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
  Local<Context> context = isolate->GetCurrentContext();
  Local<Object> hooks = iso->current->hooks.Get(isolate);
  Local<Value> f;
  if (!hooks->Get(context, String::NewFromUtf8Literal(isolate, "onPromiseReject")).ToLocal(&f) ||
      !f->IsFunction())
    return;
  Local<Value> reason = message.GetValue();
  if (reason.IsEmpty()) reason = v8::Undefined(isolate);
  Local<Value> argv[3] = {v8::Integer::New(isolate, type), promise, reason};
  Local<Value> ignored;
  if (!f.As<v8::Function>()->Call(context, hooks, 3, argv).ToLocal(&ignored)) return;
}

size_t NearHeapLimit(void* data, size_t current, size_t initial) {
  se_isolate* iso = static_cast<se_isolate*>(data);
  return iso->params.on_heap_limit(iso->params.data, current, initial);
}

MaybeLocal<v8::Module> ResolveNothing(Local<Context> context, Local<String> specifier,
                                      Local<v8::FixedArray>, Local<v8::Module>) {
  Isolate* isolate = context->GetIsolate();
  std::string msg = "Cannot find package '" + ToUtf8(isolate, specifier) +
                    "': imports are not available in this sandbox yet";
  Local<Value> err = v8::Exception::Error(Str(isolate, msg.data(), msg.size()));
  err.As<Object>()
      ->Set(context, String::NewFromUtf8Literal(isolate, "code"),
            String::NewFromUtf8Literal(isolate, "ERR_MODULE_NOT_FOUND"))
      .Check();
  isolate->ThrowException(err);
  return MaybeLocal<v8::Module>();
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

// Sets `obj[name] = fn` for a native callback.
void SetFn(Isolate* isolate, Local<Context> context, Local<Object> obj, const char* name,
           v8::FunctionCallback cb, Local<Value> data = Local<Value>()) {
  Local<v8::Function> f = v8::Function::New(context, cb, data, 0,
                                            v8::ConstructorBehavior::kThrow)
                              .ToLocalChecked();
  Local<String> key = String::NewFromUtf8(isolate, name).ToLocalChecked();
  f->SetName(key);
  obj->Set(context, key, f).Check();
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

#define SE_STR2(x) #x
#define SE_STR(x) SE_STR2(x)
const char* se_v8_version(void) {
  return SE_STR(V8_MAJOR_VERSION) "." SE_STR(V8_MINOR_VERSION) "." SE_STR(V8_BUILD_NUMBER) "." SE_STR(
      V8_PATCH_LEVEL);
}

void se_v8_set_flags(const char* flags, size_t len) {
  v8::V8::SetFlagsFromString(flags, len);
}

se_isolate* se_isolate_new(const se_isolate_params* params) {
  if (g_platform == nullptr) return nullptr;
  se_isolate* iso = new se_isolate();
  iso->params = *params;
  iso->runner = std::make_shared<ForegroundRunner>();
  iso->delegate = std::make_unique<PlatformDelegate>(iso->runner);
  iso->allocator = std::make_shared<LimitedAllocator>(params->array_buffer_limit_bytes, params->data,
                                                      params->on_alloc_limit);
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
  isolate->AddNearHeapLimitCallback(NearHeapLimit, iso);
  isolate->SetCaptureStackTraceForUncaughtExceptions(false);
  return iso;
}

void se_isolate_dispose(se_isolate* iso) {
  if (iso == nullptr) return;
  Isolate* isolate = iso->isolate;
  iso->runner->Close();
  iso->bootstrap.Reset();
  isolate->RemoveNearHeapLimitCallback(NearHeapLimit, 0);
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

void se_isolate_terminate(se_isolate* iso) { iso->isolate->TerminateExecution(); }

void se_isolate_cancel_terminate(se_isolate* iso) { iso->isolate->CancelTerminateExecution(); }

double se_isolate_pump_tasks(se_isolate* iso) {
  std::vector<std::unique_ptr<v8::Task>> tasks;
  double next = iso->runner->TakeDue(&tasks);
  HandleScope scope(iso->isolate);
  for (auto& task : tasks) task->Run();
  return next < 0 ? -1 : next * 1000.0;
}

se_context* se_context_new(se_isolate* iso, const char* bootstrap, size_t bootstrap_len,
                           const char* bootstrap_name, size_t bootstrap_name_len,
                           const char* const* op_names, const size_t* op_name_lens, size_t nops,
                           const char* config_json, size_t config_len, void* sink,
                           se_sink_fn sink_fn, int* status) {
  Isolate* isolate = iso->isolate;
  HandleScope handles(isolate);
  Local<Context> context = Context::New(isolate);
  Context::Scope cscope(context);
  se_context* ctx = new se_context();
  ctx->owner = iso;
  ctx->context.Reset(isolate, context);
  iso->current = ctx;

  TryCatch tc(isolate);
  Local<Object> native = Object::New(isolate);
  for (size_t i = 0; i < nops; i++) {
    ctx->op_names.emplace_back(op_names[i], op_name_lens[i]);
    SetFn(isolate, context, native, ctx->op_names.back().c_str(), OpCallback,
          v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(i)));
  }
  SetFn(isolate, context, native, "serialize", SerializeCallback);
  SetFn(isolate, context, native, "deserialize", DeserializeCallback);
  SetFn(isolate, context, native, "runMicrotasks", RunMicrotasksCallback);
  SetFn(isolate, context, native, "promiseState", PromiseStateCallback);
  SetFn(isolate, context, native, "getProxyDetails", ProxyDetailsCallback);

  Local<Value> config;
  if (iso->bootstrap.IsEmpty() || iso->bootstrap_src != bootstrap) {
    v8::ScriptOrigin origin =
        Origin(isolate, Str(isolate, bootstrap_name, bootstrap_name_len), false);
    v8::ScriptCompiler::Source source(Str(isolate, bootstrap, bootstrap_len), origin);
    Local<v8::UnboundScript> unbound;
    if (v8::ScriptCompiler::CompileUnboundScript(isolate, &source).ToLocal(&unbound)) {
      iso->bootstrap.Reset(isolate, unbound);
      iso->bootstrap_src = bootstrap;
      iso->bootstrap_name.assign(bootstrap_name, bootstrap_name_len);
    }
  }
  Local<Value> fn;
  Local<Value> hooks;
  if (!iso->bootstrap.IsEmpty() &&
      v8::JSON::Parse(context, Str(isolate, config_json, config_len)).ToLocal(&config) &&
      iso->bootstrap.Get(isolate)->BindToCurrentContext()->Run(context).ToLocal(&fn) &&
      fn->IsFunction() && config->IsObject()) {
    ctx->config.Reset(isolate, config.As<Object>());
    Local<Value> argv[2] = {native, config};
    if (fn.As<v8::Function>()->Call(context, context->Global(), 2, argv).ToLocal(&hooks) &&
        hooks->IsObject()) {
      ctx->hooks.Reset(isolate, hooks.As<Object>());
    }
  }
  *status = Finish(nullptr, isolate, context, &tc, sink, sink_fn);
  if (*status == SE_OK && ctx->hooks.IsEmpty()) *status = SE_EXCEPTION;
  return ctx;
}

void se_context_dispose(se_context* ctx) {
  if (ctx == nullptr) return;
  if (ctx->owner->current == ctx) ctx->owner->current = nullptr;
  ctx->module_promise.Reset();
  ctx->module.Reset();
  ctx->hooks.Reset();
  ctx->config.Reset();
  ctx->context.Reset();
  ctx->owner->isolate->ContextDisposedNotification();
  delete ctx;
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
        if (keys->Get(e.context, i).ToLocal(&k) && parsed.As<Object>()->Get(e.context, k).ToLocal(&v))
          config->Set(e.context, k, v).Check();
      }
    }
    Local<Value> in = has_stdin ? Local<Value>(NewBytes(e.isolate, stdin_ptr, stdin_len))
                                : Local<Value>(v8::Null(e.isolate));
    config->Set(e.context, String::NewFromUtf8Literal(e.isolate, "stdin"), in).Check();
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn);
}

int se_context_run_script(se_context* ctx, const char* src, size_t len, const char* name,
                          size_t name_len, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  TryCatch tc(e.isolate);
  v8::ScriptOrigin origin = Origin(e.isolate, Str(e.isolate, name, name_len), false);
  Local<v8::Script> script;
  if (v8::Script::Compile(e.context, Str(e.isolate, src, len), &origin).ToLocal(&script)) {
    Local<Value> ignored;
    if (!script->Run(e.context).ToLocal(&ignored)) {
      // The exception, if any, is in `tc`.
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn, true);
}

int se_is_module_syntax_error(se_context* ctx, const char* src, size_t len) {
  Enter e(ctx);
  TryCatch tc(e.isolate);
  v8::ScriptOrigin origin = Origin(e.isolate, String::NewFromUtf8Literal(e.isolate, "probe"), false);
  Local<v8::Script> script;
  if (v8::Script::Compile(e.context, Str(e.isolate, src, len), &origin).ToLocal(&script))
    return 0;
  if (!tc.HasCaught() || tc.Message().IsEmpty()) return 0;
  std::string msg = ToUtf8(e.isolate, tc.Message()->Get());
  static const char* const kModuleOnly[] = {
      "await is only valid in async functions and the top level bodies of modules",
      "Cannot use import statement outside a module",
      "Unexpected token 'export'",
      "Cannot use 'import.meta' outside a module",
  };
  for (const char* m : kModuleOnly) {
    if (msg.find(m) != std::string::npos) return 1;
  }
  return 0;
}

int se_context_run_module(se_context* ctx, const char* src, size_t len, const char* name,
                          size_t name_len, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  TryCatch tc(e.isolate);
  v8::ScriptOrigin origin = Origin(e.isolate, Str(e.isolate, name, name_len), true);
  v8::ScriptCompiler::Source source(Str(e.isolate, src, len), origin);
  Local<v8::Module> module;
  if (v8::ScriptCompiler::CompileModule(e.isolate, &source).ToLocal(&module)) {
    ctx->module.Reset(e.isolate, module);
    if (module->InstantiateModule(e.context, ResolveNothing).FromMaybe(false) &&
        !tc.HasCaught()) {
      Local<Value> result;
      if (module->Evaluate(e.context).ToLocal(&result) && result->IsPromise()) {
        ctx->module_promise.Reset(e.isolate, result.As<v8::Promise>());
      }
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

int se_context_call_hook(se_context* ctx, const char* name, size_t name_len, const double* args,
                         size_t nargs, double* out, void* sink, se_sink_fn sink_fn) {
  Enter e(ctx);
  ctx->owner->current = ctx;
  TryCatch tc(e.isolate);
  Local<Object> hooks = ctx->hooks.Get(e.isolate);
  Local<Value> f;
  if (hooks->Get(e.context, Str(e.isolate, name, name_len)).ToLocal(&f) && f->IsFunction()) {
    Local<Value> argv[kMaxArgs];
    size_t n = nargs < kMaxArgs ? nargs : kMaxArgs;
    for (size_t i = 0; i < n; i++) argv[i] = v8::Number::New(e.isolate, args[i]);
    Local<Value> result;
    if (f.As<v8::Function>()->Call(e.context, hooks, static_cast<int>(n), argv).ToLocal(&result) &&
        out != nullptr) {
      *out = result->IsNumber() ? result.As<v8::Number>()->Value() : 0;
    }
  }
  return Finish(ctx, e.isolate, e.context, &tc, sink, sink_fn);
}

void se_ret_undefined(se_ret* r) { r->value = v8::Undefined(r->isolate); }
void se_ret_null(se_ret* r) { r->value = v8::Null(r->isolate); }
void se_ret_bool(se_ret* r, int b) { r->value = v8::Boolean::New(r->isolate, b != 0); }
void se_ret_number(se_ret* r, double n) { r->value = v8::Number::New(r->isolate, n); }
void se_ret_string(se_ret* r, const char* p, size_t len) { r->value = Str(r->isolate, p, len); }
void se_ret_bytes(se_ret* r, const uint8_t* p, size_t len) {
  r->value = NewBytes(r->isolate, p, len);
}
void se_ret_strings(se_ret* r, const char* const* ps, const size_t* lens, size_t n) {
  std::vector<Local<Value>> items;
  items.reserve(n);
  for (size_t i = 0; i < n; i++) items.push_back(Str(r->isolate, ps[i], lens[i]));
  r->value = v8::Array::New(r->isolate, items.data(), items.size());
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
  if (code != nullptr && code[0] != '\0') {
    err.As<Object>()
        ->Set(r->context, String::NewFromUtf8Literal(r->isolate, "code"),
              String::NewFromUtf8(r->isolate, code).ToLocalChecked())
        .Check();
  }
  r->value = err;
  r->threw = true;
}

}  // extern "C"
