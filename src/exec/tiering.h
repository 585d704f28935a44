// Tier::Auto (docs/compiler.md, "Tiering"): a module starts on the
// interpreter and its hot functions are compiled by LLVM on background
// threads, then switched to native code at their next call.
//
// Hotness costs the interpreter nothing on its hot path: while a module is
// tiering, refill_budget hands out small budget chunks and each refill counts
// one sample for the function running then (the innermost frame). Loop
// back-edges and calls are what charge the budget, so samples count executed
// loop iterations and calls, weighted by the instructions between them.
//
// Publication: a FuncInst's `code` pointer is swapped (an atomic release
// store) to a FunctionCode of two words, `jit_enter` and the native entry;
// callers read it with an acquire load (a plain load on x86-64). A call that
// already read the old pointer finishes on the interpreter; nothing ever
// frees either code while the module lives. The native code is owned here,
// TierState by the CompiledModule, and every Instance holds its module: code
// outlives every call into it.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "exec/code.h"
#include "runtime/objects.h"
#include "wnn/runtime.h"

namespace wnn::exec {

struct Thread;

// The budget chunk handed out when nothing is tiering (a few ms of guest
// code: how soon an interrupt request is seen).
constexpr int64_t kBudgetChunk = int64_t(1) << 20;

class TierState : public std::enable_shared_from_this<TierState> {
 public:
  TierState(const CompiledModule& m, const CompileOptions& options);
  ~TierState();  // cancels a compile in flight

  // From refill_budget: one sample for `f` (a function of this module).
  // Returns the budget chunk to hand out next.
  int64_t sample(const FuncInst* f);

  // Instantiation registers an instance (its functions get the code
  // published so far and all code published later); Store destruction
  // removes it.
  void attach(Instance* inst);
  void detach(Instance* inst);

  bool finished() const { return finished_.load(std::memory_order_relaxed); }
  // Functions now running native code (tests, statistics).
  uint32_t compiled_count() const { return compiled_.load(std::memory_order_relaxed); }

  // The compile job (on a pool thread, or the guest's when synchronous):
  // compiles a copy of the module and publishes its code.
  static void run_compile(const std::weak_ptr<TierState>& weak);

 private:
  void request();
  void publish(CompiledModule& shadow);

  std::weak_ptr<const CompiledModule> module_;
  friend void enable_tiering(const std::shared_ptr<const CompiledModule>&, const CompileOptions&);

  const uint32_t num_imported_;
  const uint32_t hot_samples_;
  const int64_t sample_chunk_;
  const bool synchronous_;
  std::unique_ptr<std::atomic<uint32_t>[]> samples_;  // per defined function
  std::atomic<bool> requested_{false};
  std::atomic<bool> finished_{false};  // compiled everything, or gave up
  std::atomic<uint32_t> compiled_{0};
  std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);

  std::mutex mu_;  // guards what follows
  std::vector<Instance*> instances_;
  std::vector<FunctionCode> published_;  // per defined function; empty until published
  std::shared_ptr<void> native_;         // owner of the code published_ enters
};

// compile() with Tier::Auto: makes `m` tier (no-op without the compiler tier).
void enable_tiering(const std::shared_ptr<const CompiledModule>& m, const CompileOptions& options);

// refill_budget's sampling: the chunk to hand out next.
int64_t tier_sample(Thread* th);

// The code a call to `f` runs now (an acquire load: see above).
inline const FunctionCode* current_code(const FuncInst* f) { return __atomic_load_n(&f->code, __ATOMIC_ACQUIRE); }

}  // namespace wnn::exec
