// Probe (not part of the addon): can a sidecar make a V8 startup snapshot
// holding evaluated builtins at run time, and restore guest contexts from
// it, on the V8 inside Node? Run by scripts/probe-snapshot.mjs, which builds
// this against the running Node's headers. Measures, on a thread of its own:
//   - the blob: a default context, plus one context where `payload` ran and
//     two native functions (one from a FunctionTemplate) were installed;
//   - per-context cost in a warm isolate: FromSnapshot vs Context::New and
//     evaluating the payload (compiled once per isolate);
//   - isolates from the blob and default isolates alive together, created in
//     both orders (Node's shared read-only heap).
#include <node.h>
#include <v8.h>
#include <v8-snapshot.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#define AT_LEAST(major, minor) \
  (V8_MAJOR_VERSION > (major) || (V8_MAJOR_VERSION == (major) && V8_MINOR_VERSION >= (minor)))

using namespace v8;

namespace {

node::MultiIsolatePlatform* g_platform = nullptr;

class Runner final : public TaskRunner {
 public:
  bool IdleTasksEnabled() override { return false; }
  bool NonNestableTasksEnabled() const override { return true; }
  bool NonNestableDelayedTasksEnabled() const override { return true; }
#if AT_LEAST(12, 0)
 protected:
  void PostTaskImpl(std::unique_ptr<Task> t, const SourceLocation&) override { Push(std::move(t)); }
  void PostNonNestableTaskImpl(std::unique_ptr<Task> t, const SourceLocation&) override {
    Push(std::move(t));
  }
  void PostDelayedTaskImpl(std::unique_ptr<Task>, double, const SourceLocation&) override {}
  void PostNonNestableDelayedTaskImpl(std::unique_ptr<Task>, double,
                                      const SourceLocation&) override {}
  void PostIdleTaskImpl(std::unique_ptr<IdleTask>, const SourceLocation&) override {}
#else
  void PostTask(std::unique_ptr<Task> t) override { Push(std::move(t)); }
  void PostNonNestableTask(std::unique_ptr<Task> t) override { Push(std::move(t)); }
  void PostDelayedTask(std::unique_ptr<Task>, double) override {}
  void PostNonNestableDelayedTask(std::unique_ptr<Task>, double) override {}
  void PostIdleTask(std::unique_ptr<IdleTask>) override {}
#endif
 public:
  void Drain() {
    for (;;) {
      std::unique_ptr<Task> t;
      {
        std::lock_guard<std::mutex> l(m_);
        if (q_.empty()) return;
        t = std::move(q_.front());
        q_.pop_front();
      }
      t->Run();
    }
  }

 private:
  void Push(std::unique_ptr<Task> t) {
    std::lock_guard<std::mutex> l(m_);
    q_.push_back(std::move(t));
  }
  std::mutex m_;
  std::deque<std::unique_ptr<Task>> q_;
};

class Delegate final : public node::IsolatePlatformDelegate {
 public:
  std::shared_ptr<TaskRunner> GetForegroundTaskRunner() override { return runner; }
  bool IdleTasksEnabled() override { return false; }
  std::shared_ptr<Runner> runner = std::make_shared<Runner>();
};

std::atomic<int> g_calls{0};
void NativeAdd(const FunctionCallbackInfo<Value>& info) {
  g_calls++;
  Local<Context> c = info.GetIsolate()->GetCurrentContext();
  info.GetReturnValue().Set(info[0]->NumberValue(c).FromMaybe(0) + info[1]->NumberValue(c).FromMaybe(0) +
                            info.Data()->NumberValue(c).FromMaybe(0));
}
void NativeTemplated(const FunctionCallbackInfo<Value>& info) {
  g_calls++;
  info.GetReturnValue().Set(42);
}
const intptr_t kRefs[] = {reinterpret_cast<intptr_t>(NativeAdd),
                          reinterpret_cast<intptr_t>(NativeTemplated), 0};

double Now() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

struct Iso {
  Isolate* isolate = nullptr;
  Delegate delegate;
  std::unique_ptr<ArrayBuffer::Allocator> allocator{ArrayBuffer::Allocator::NewDefaultAllocator()};
};

Iso* NewIso(const StartupData* blob) {
  Iso* i = new Iso();
  Isolate::CreateParams p;
  p.array_buffer_allocator = i->allocator.get();
  if (blob != nullptr) {
    p.snapshot_blob = blob;
    p.external_references = kRefs;
  }
  i->isolate = Isolate::Allocate();
  g_platform->RegisterIsolate(i->isolate, &i->delegate);
  Isolate::Initialize(i->isolate, p);
  return i;
}

void FreeIso(Iso* i) {
#if NODE_MAJOR_VERSION >= 24
  g_platform->DisposeIsolate(i->isolate);
#else
  i->isolate->Dispose();
  g_platform->UnregisterIsolate(i->isolate);
#endif
  delete i;
}

void Install(Isolate* isolate, Local<Context> c) {
  Local<Object> native = Object::New(isolate);
  native->Set(c, String::NewFromUtf8Literal(isolate, "add"),
              Function::New(c, NativeAdd, Number::New(isolate, 1000)).ToLocalChecked())
      .Check();
  Local<FunctionTemplate> t = FunctionTemplate::New(isolate, NativeTemplated);
  native->Set(c, String::NewFromUtf8Literal(isolate, "answer"), t->GetFunction(c).ToLocalChecked())
      .Check();
  c->Global()->Set(c, String::NewFromUtf8Literal(isolate, "native"), native).Check();
}

// Runs `src` in `c`; its result as a number (NaN on exception).
double Eval(Isolate* isolate, Local<Context> c, const std::string& src) {
  TryCatch tc(isolate);
  Local<Script> s;
  Local<Value> v;
  if (!Script::Compile(c, String::NewFromUtf8(isolate, src.data(), NewStringType::kNormal,
                                             static_cast<int>(src.size()))
                              .ToLocalChecked())
           .ToLocal(&s) ||
      !s->Run(c).ToLocal(&v)) {
    if (tc.HasCaught()) {
      String::Utf8Value m(isolate, tc.Exception());
      fprintf(stderr, "probe: exception: %s\n", *m ? *m : "?");
    }
    return std::nan("");
  }
  return v->NumberValue(c).FromMaybe(std::nan(""));
}

double P50(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct Samples {
  std::vector<double> from_snapshot, evaluated, new_isolate_snap, new_isolate_plain;
  double heap_snap = 0, heap_plain = 0;
  bool ok = true;
};

// Rounds of: an isolate from the blob and a default one, made in turn
// (each while the other exists), 20 contexts in each, results checked.
void Rounds(const StartupData& blob, size_t index, double expected, const std::string& payload,
            const std::string& check, int rounds, Samples* out) {
  std::vector<double>& from_snapshot = out->from_snapshot;
  std::vector<double>& evaluated = out->evaluated;
  std::vector<double>& new_isolate_snap = out->new_isolate_snap;
  std::vector<double>& new_isolate_plain = out->new_isolate_plain;
  double& heap_snap = out->heap_snap;
  double& heap_plain = out->heap_plain;
  bool& all_ok = out->ok;
  auto heap_mb = [](Isolate* isolate) {
    isolate->LowMemoryNotification();
    HeapStatistics hs;
    isolate->GetHeapStatistics(&hs);
    return hs.used_heap_size() / 1048576.0;
  };
  for (int r = 0; r < rounds; r++) {
    // Alternate creation order so each kind is made while the other exists.
    Iso* snap = nullptr;
    Iso* plain = nullptr;
    for (int which = 0; which < 2; which++) {
      bool blob_first = r % 2 == 0;
      double a = Now();
      if ((which == 0) == blob_first) {
        snap = NewIso(&blob);
        new_isolate_snap.push_back(Now() - a);
      } else {
        plain = NewIso(nullptr);
        new_isolate_plain.push_back(Now() - a);
      }
    }
    {
      Isolate* isolate = snap->isolate;
      Isolate::Scope is(isolate);
      HandleScope hs(isolate);
      for (int k = 0; k < 20; k++) {
        HandleScope inner(isolate);
        std::unique_ptr<MicrotaskQueue> q = MicrotaskQueue::New(isolate, MicrotasksPolicy::kExplicit);
        double s = Now();
        Local<Context> ctx;
        if (!Context::FromSnapshot(isolate, index, DeserializeInternalFieldsCallback(), nullptr,
                                   MaybeLocal<Value>(), q.get())
                 .ToLocal(&ctx)) {
          all_ok = false;
          break;
        }
        double e = Now();
        if (k > 0) from_snapshot.push_back(e - s);
        Context::Scope cs(ctx);
        if (Eval(isolate, ctx, check) != expected) all_ok = false;
        ctx->DetachGlobal();
        isolate->ContextDisposedNotification();
      }
      heap_snap = heap_mb(isolate);
      // The blob's default context is a plain one.
      Local<Context> d = Context::New(isolate);
      Context::Scope cs(d);
      if (Eval(isolate, d, "typeof native === 'undefined' ? 1 : 0") != 1) all_ok = false;
    }
    {
      Isolate* isolate = plain->isolate;
      Isolate::Scope is(isolate);
      HandleScope hs(isolate);
      Global<UnboundScript> unbound;
      for (int k = 0; k < 20; k++) {
        HandleScope inner(isolate);
        double s = Now();
        Local<Context> ctx = Context::New(isolate);
        Context::Scope cs(ctx);
        Install(isolate, ctx);
        if (unbound.IsEmpty()) {
          ScriptCompiler::Source src(String::NewFromUtf8(isolate, payload.data(), NewStringType::kNormal,
                                                         static_cast<int>(payload.size()))
                                         .ToLocalChecked());
          unbound.Reset(isolate, ScriptCompiler::CompileUnboundScript(isolate, &src).ToLocalChecked());
        }
        unbound.Get(isolate)->BindToCurrentContext()->Run(ctx).ToLocalChecked();
        double e = Now();
        if (k > 0) evaluated.push_back(e - s);
        if (Eval(isolate, ctx, check) != expected) all_ok = false;
        ctx->DetachGlobal();
        isolate->ContextDisposedNotification();
      }
      heap_plain = heap_mb(isolate);
      unbound.Reset();
    }
    snap->delegate.runner->Drain();
    plain->delegate.runner->Drain();
    if (r % 2 == 0) {
      FreeIso(snap);
      FreeIso(plain);
    } else {
      FreeIso(plain);
      FreeIso(snap);
    }
  }
}

std::string Probe(const std::string& payload, const std::string& check, int rounds, int threads) {
  char buf[512];
  std::string out;
  // 1. The blob.
  double t0 = Now();
  StartupData blob{nullptr, 0};
  size_t index = 0;
  double expected = 0;
  {
    Delegate delegate;
    Isolate* isolate = Isolate::Allocate();
    g_platform->RegisterIsolate(isolate, &delegate);
    {
#if AT_LEAST(12, 0)
      std::unique_ptr<ArrayBuffer::Allocator> alloc{ArrayBuffer::Allocator::NewDefaultAllocator()};
      Isolate::CreateParams p;
      p.array_buffer_allocator = alloc.get();
      p.external_references = kRefs;
      SnapshotCreator creator(isolate, p);
#else
      SnapshotCreator creator(isolate, kRefs);
#endif
      {
        HandleScope hs(isolate);
        creator.SetDefaultContext(Context::New(isolate));
        Local<Context> c = Context::New(isolate);
        {
          Context::Scope cs(c);
          Install(isolate, c);
          Eval(isolate, c, payload);
          expected = Eval(isolate, c, check);
        }
        index = creator.AddContext(c);
      }
      delegate.runner->Drain();
      blob = creator.CreateBlob(SnapshotCreator::FunctionCodeHandling::kKeep);
#if AT_LEAST(12, 0)
      // This constructor leaves the isolate to its caller.
    }
    isolate->Dispose();
#else
    }
#endif
    g_platform->UnregisterIsolate(isolate);
  }
  double t_blob = Now() - t0;
  snprintf(buf, sizeof buf, "\"blob_bytes\":%d,\"blob_ms\":%.2f,\"blob_valid\":%s,\"expected\":%.0f",
           blob.raw_size, t_blob, blob.data != nullptr && blob.IsValid() ? "true" : "false",
           expected);
  out += buf;
  if (blob.data == nullptr) return out;

  // 2. Per-context cost in warm isolates, both ways, on `threads` threads
  // at once (a sidecar runs one isolate per runtime thread).
  std::vector<Samples> samples(threads);
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; t++)
      workers.emplace_back(Rounds, std::cref(blob), index, expected, std::cref(payload), std::cref(check),
                           rounds, &samples[t]);
    for (std::thread& w : workers) w.join();
  }
  std::vector<double> from_snapshot, evaluated, new_isolate_snap, new_isolate_plain;
  bool all_ok = true;
  double heap_snap = samples[0].heap_snap, heap_plain = samples[0].heap_plain;
  for (Samples& x : samples) {
    all_ok = all_ok && x.ok;
    from_snapshot.insert(from_snapshot.end(), x.from_snapshot.begin(), x.from_snapshot.end());
    evaluated.insert(evaluated.end(), x.evaluated.begin(), x.evaluated.end());
    new_isolate_snap.insert(new_isolate_snap.end(), x.new_isolate_snap.begin(), x.new_isolate_snap.end());
    new_isolate_plain.insert(new_isolate_plain.end(), x.new_isolate_plain.begin(),
                             x.new_isolate_plain.end());
  }
  snprintf(buf, sizeof buf,
           ",\"ok\":%s,\"native_calls\":%d,\"context_from_snapshot_p50_ms\":%.3f,"
           "\"context_new_and_evaluate_p50_ms\":%.3f,\"isolate_from_blob_p50_ms\":%.2f,"
           "\"isolate_default_p50_ms\":%.2f,\"heap_mb_snapshot_isolate\":%.2f,"
           "\"heap_mb_default_isolate\":%.2f",
           all_ok ? "true" : "false", g_calls.load(), P50(from_snapshot), P50(evaluated), P50(new_isolate_snap),
           P50(new_isolate_plain), heap_snap, heap_plain);
  out += buf;
  delete[] blob.data;
  return out;
}

void Run(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  String::Utf8Value payload(isolate, info[0]);
  String::Utf8Value check(isolate, info[1]);
  int rounds = info[2]->Int32Value(isolate->GetCurrentContext()).FromMaybe(4);
  int threads = info[3]->Int32Value(isolate->GetCurrentContext()).FromMaybe(1);
  std::string p(*payload, payload.length()), c(*check, check.length());
  std::string result;
  std::thread t([&] { result = Probe(p, c, rounds, threads < 1 ? 1 : threads); });
  t.join();
  std::string json = "{" + result + "}";
  info.GetReturnValue().Set(
      String::NewFromUtf8(isolate, json.data(), NewStringType::kNormal, static_cast<int>(json.size()))
          .ToLocalChecked());
}

}  // namespace

NODE_MODULE_INIT() {
  g_platform = node::GetMultiIsolatePlatform(node::GetCurrentEnvironment(context));
  Isolate* isolate = context->GetIsolate();
  exports
      ->Set(context, String::NewFromUtf8Literal(isolate, "run"),
            Function::New(context, Run).ToLocalChecked())
      .Check();
}
