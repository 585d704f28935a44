// Tier::Auto: sampling, the background compile pool, publication. See
// tiering.h and docs/compiler.md, "Tiering".
#include "exec/tiering.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <thread>

#include "exec/guard.h"
#include "exec/jit.h"
#include "exec/thread.h"
#include "valid/compiled_module.h"

namespace wnn::exec {

namespace {

// Defaults: a sample every 16 Ki charged instructions (~50 us of
// interpretation) and a function is hot after 16 of them (about a
// millisecond of its own work): a short-lived program (hello-world) never
// starts the compiler, a loop running for milliseconds does.
constexpr int64_t kSampleChunk = int64_t(1) << 14;
constexpr uint32_t kHotSamples = 16;

// Compile threads: one per core but one, which is left to the guest (at
// least one; at most 4, since compiles of one module do not share work yet).
// Detached and never joined: process exit never waits for them (see
// exit_without_waiting). The pool is never destroyed, so a worker is never
// left waiting on a destroyed condition variable at exit.
class Pool {
 public:
  void submit(std::weak_ptr<TierState> job) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
    if (idle_ == 0 && threads_ < max_threads()) {
      ++threads_;
      std::thread([this] { work(); }).detach();
    }
    cv_.notify_one();
  }
  std::atomic<int> busy{0};

 private:
  static int max_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return std::clamp(int(n) - 1, 1, 4);
  }
  void work() {
    std::unique_lock lock(mu_);
    for (;;) {
      ++idle_;
      cv_.wait(lock, [this] { return !queue_.empty(); });
      --idle_;
      std::weak_ptr<TierState> job = std::move(queue_.front());
      queue_.pop_front();
      ++busy;
      lock.unlock();
      TierState::run_compile(job);
      lock.lock();
      --busy;
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::weak_ptr<TierState>> queue_;
  int threads_ = 0, idle_ = 0;
};

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed (see Pool)
  return *p;
}

// Process exit while a compile runs: LLVM's static destructors (registered
// when libwnn_jit.so was loaded) would run under the compiling thread. This
// handler, registered after the load, runs before them: it flushes stdio and
// ends the process at once with the status exit() was given.
void exit_without_waiting(int status, void*) {
  if (pool().busy.load() == 0) return;
  std::fflush(nullptr);
  ::_exit(status);
}

}  // namespace

TierState::TierState(const CompiledModule& m, const CompileOptions& options)
    : num_imported_(m.module.num_imported_funcs),
      hot_samples_(options.tiering.hot_samples ? options.tiering.hot_samples : kHotSamples),
      sample_chunk_(options.tiering.sample_chunk ? int64_t(options.tiering.sample_chunk) : kSampleChunk),
      synchronous_(options.tiering.synchronous),
      samples_(new std::atomic<uint32_t>[m.code.size()]()) {}

TierState::~TierState() { cancel_->store(true); }

int64_t TierState::sample(const FuncInst* f) {
  if (finished()) return kBudgetChunk;
  const uint32_t i = f->index - num_imported_;
  if (samples_[i].fetch_add(1, std::memory_order_relaxed) + 1 >= hot_samples_ &&
      !requested_.exchange(true, std::memory_order_relaxed))
    request();
  return sample_chunk_;
}

void TierState::request() {
  if (synchronous_) return run_compile(weak_from_this());  // tests: the switch at a known moment
  pool().submit(weak_from_this());
}

// Holds no reference to the TierState or the module while compiling: either
// may die meanwhile (the TierState then cancels the compile).
void TierState::run_compile(const std::weak_ptr<TierState>& weak) {
  // A copy of what the compiler reads (not the interpreter's code, which it
  // would replace: the module may be running).
  auto shadow = std::make_unique<CompiledModule>();
  std::shared_ptr<std::atomic<bool>> cancel;
  bool background;
  {
    std::shared_ptr<TierState> s = weak.lock();
    std::shared_ptr<const CompiledModule> m = s ? s->module_.lock() : nullptr;
    if (!m) return;
    shadow->module = m->module;
    shadow->func_types = m->func_types;
    shadow->global_types = m->global_types;
    shadow->declared_funcs = m->declared_funcs;
    cancel = s->cancel_;
    background = !s->synchronous_;
  }
  bool ok = true;
  if (background) {
    ok = bool(jit_load());
    static std::once_flag registered;
    if (ok) std::call_once(registered, [] { ::on_exit(exit_without_waiting, nullptr); });
  }
  CompileOptions co;
  co.interrupt = cancel.get();
  JitOptions jo;
  jo.compile_options = &co;
  ok = ok && jit_compile(*shadow, jo);
  if (std::shared_ptr<TierState> s = weak.lock()) {
    if (ok) s->publish(*shadow);
    s->finished_.store(true);  // published, or stays interpreted
  }
}

void TierState::publish(CompiledModule& shadow) {
  std::shared_ptr<const CompiledModule> m = module_.lock();
  if (!m) return;
  std::lock_guard lock(mu_);
  published_ = std::move(shadow.code);
  for (size_t i = 0; i < published_.size(); ++i) {
    // The interpreter's frame size, so the value-stack check at a call into
    // it is the interpreter's.
    published_[i].frame_slots = std::max(published_[i].frame_slots, m->code[i].frame_slots);
  }
  native_ = std::move(shadow.native);
  for (Instance* inst : instances_)
    for (size_t i = 0; i < published_.size(); ++i)
      __atomic_store_n(&inst->funcs[num_imported_ + i]->code, &published_[i], __ATOMIC_RELEASE);
  compiled_.store(uint32_t(published_.size()));
}

void TierState::attach(Instance* inst) {
  std::lock_guard lock(mu_);
  instances_.push_back(inst);
  for (size_t i = 0; i < published_.size(); ++i)
    __atomic_store_n(&inst->funcs[num_imported_ + i]->code, &published_[i], __ATOMIC_RELEASE);
}

void TierState::detach(Instance* inst) {
  std::lock_guard lock(mu_);
  std::erase(instances_, inst);
}

void enable_tiering(const std::shared_ptr<const CompiledModule>& m, const CompileOptions& options) {
#if WNN_GUARD_PAGES && defined(WNN_JIT_MODULE)
  if (m->code.empty()) return;
  auto t = std::make_shared<TierState>(*m, options);
  t->module_ = m;
  const_cast<CompiledModule&>(*m).tier = std::move(t);  // not shared yet
#else
  (void)m, (void)options;
#endif
}

int64_t tier_sample(Thread* th) {
  if (th->frames_top == th->frames_begin) return kBudgetChunk;
  const FuncInst* f = th->frames_top[-1].callee;
  if (!f || !f->inst) return kBudgetChunk;
  TierState* t = f->inst->module->tier.get();
  return t ? t->sample(f) : kBudgetChunk;
}

}  // namespace wnn::exec
