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
// outlives every call into it. A compile job holds the module too, so a
// module dropped meanwhile lives until that batch is done.
//
// Batches: a job takes every function found hot since the last one, adds
// the functions they call directly (a leaf called from a hot loop is charged
// nothing and so never sampled; not one whose loop entry is published),
// compiles them into one object (jit_compile_object: direct calls inside it)
// and links it. Calls to functions of other batches go through the
// interpreter's `call`, which reads the callee's current code.
//
// On-stack replacement: an activation already running on the interpreter
// (a function called once, whose loop is hot) switches at a loop back-edge.
// A refill at a back-edge samples that loop too. A function's *loop entry*
// (jit.h, JitLoopEntry: the function compiled again to be entered at any of
// its loop headers) is compiled when the function gets hot for the first time
// at a back-edge — alone, with its callees: a function called once, whose
// loop is the whole program, costs one compilation; it becomes Hot as usual
// if its samples go on once the entry is published (it is called again) —
// or when, compiled already, older activations of it keep sampling its loops
// (as many samples as make a function hot). The refill that finds the entry
// published jumps to it (budget.cpp, loop_refill).
//
// Levels: batches are compiled TieringOptions::first_level (Quick: sooner);
// a Quick function whose compiled code keeps sampling (full_samples, and by
// default a second after its publication) is compiled again Full with its
// callees and republished. Samples taken in
// compiled code (jit_refill_budget) count only for that: in a function still
// Interpreted they come from an activation that switched to its loop entry,
// no evidence that the function is called again — but evidence that its
// Quick loop entry is where the program runs (a main loop, called once): the
// loop entry is compiled again Full, as a function is, and the Quick entry's
// activation switches to it at a back-edge (jit_refill_budget_at_loop: it
// writes its values to the frame's canonical slots, as the interpreter has
// them at a loop header, and enters the Full entry there).
//
// Code cache (CompileOptions::code_cache_dir): each batch's object is stored
// under the module's key; the first job, queued when the module is compiled,
// links every batch stored by earlier runs, so a second run starts with the
// code the first one compiled.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cache/code_cache.h"
#include "exec/jit.h"

#include "exec/code.h"
#include "runtime/objects.h"
#include "wnn/runtime.h"

namespace wnn::exec {

struct Thread;
struct JitLinked;

// The budget chunk handed out when nothing is tiering (a few ms of guest
// code: how soon an interrupt request is seen).
constexpr int64_t kBudgetChunk = int64_t(1) << 20;
// The most reserve_budget (thread.h) hands out without fuel: 16 chunks.
constexpr int64_t kMaxReserve = kBudgetChunk << 4;

class TierState : public std::enable_shared_from_this<TierState> {
 public:
  TierState(const CompiledModule& m, const CompileOptions& options);

  // From refill_budget: one sample for `f` (a function of this module),
  // taken at a back-edge to its loop `loop` (LoopHeader::wasm_offset; 0 for
  // none). Returns the budget chunk to hand out next; sets *osr to the code
  // that continues that loop compiled, once published.
  // `compiled`: taken in compiled code (jit_refill_budget).
  int64_t sample(const FuncInst* f, uint32_t loop, const Word** osr, bool compiled);

  // Instantiation registers an instance (its functions get the code
  // published so far and all code published later); Store destruction
  // removes it.
  void attach(Instance* inst);
  void detach(Instance* inst);

  // Functions now running native code (tests, statistics).
  uint32_t compiled_count() const { return compiled_.load(std::memory_order_relaxed); }
  // Functions with a loop entry, and switches of running activations to them.
  uint32_t loop_entry_count() const { return loop_entries_.load(std::memory_order_relaxed); }
  uint32_t loop_switch_count() const { return loop_switches_.load(std::memory_order_relaxed); }
  // Functions whose published code is Full (compiled Full at once, or again
  // after their Quick code stayed hot).
  uint32_t full_count() const { return full_.load(std::memory_order_relaxed); }
  // Loop entries compiled again Full, and switches of running Quick loop
  // entries to them.
  uint32_t full_loop_entry_count() const { return full_entries_.load(std::memory_order_relaxed); }
  uint32_t loop_upgrade_count() const { return loop_upgrades_.load(std::memory_order_relaxed); }
  // The code that enters defined function `defined`'s compiled loop entry at
  // its loop `loop` (LoopHeader::wasm_offset): one jit_enter_loop
  // instruction; null until published.
  const Word* loop_entry(uint32_t defined, uint32_t loop) const;
  // For a Quick loop entry running that loop: the function's Full loop entry
  // once published (else null). `count`: the caller switches to it.
  JitLoopEntry full_loop_entry(uint32_t defined, uint32_t loop, bool count);

  // One compile job (on a pool thread, or the guest's when synchronous):
  // the functions hot now and their callees, compiled as one object,
  // linked and published.
  static void run_batch(const std::weak_ptr<TierState>& weak);

 private:
  enum State : uint8_t { Interpreted, Hot, Compiling, Compiled };
  std::vector<uint32_t> take_batch(const CompiledModule& m, std::vector<uint32_t>& entries);
  // The Quick functions and the Quick loop entries (in *entries) still hot.
  std::vector<uint32_t> take_full_batch(const CompiledModule& m, std::vector<uint32_t>& entries);
  // Compiles, caches, links and publishes one batch; false when that failed
  // (the module stays on the code it has).
  bool compile_batch(const CompiledModule& m, const std::vector<uint32_t>& batch, const std::vector<uint32_t>& entries,
                     JitLevel level);
  // Loads that part of the compiler tier (then process exit stops waiting
  // for this job: compile_pool.h); false when it is unavailable.
  bool load(JitPart part);
  void open_cache(const CompiledModule& m);
  void publish(const CompiledModule& m, JitLinked& linked, JitLevel level);

  std::weak_ptr<const CompiledModule> module_;
  friend void enable_tiering(const std::shared_ptr<const CompiledModule>&, const CompileOptions&);

  const uint32_t num_imported_;
  const uint32_t hot_samples_;
  const int64_t sample_chunk_;
  const bool synchronous_;
  const JitLevel first_level_;
  const uint32_t full_samples_;
  const uint32_t full_after_ms_;  // and this long after its Quick code was published
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  const size_t count_;  // defined functions
  const bool exact_fuel_;        // CompileOptions::exact_fuel
  const std::string cache_dir_;  // CompileOptions::code_cache_dir
  const uint64_t cache_max_bytes_;
  std::unique_ptr<std::atomic<uint32_t>[]> samples_;  // per defined function
  std::unique_ptr<std::atomic<State>[]> state_;       // per defined function
  std::atomic<bool> job_queued_{false};
  std::atomic<bool> gave_up_{false};  // no compiler tier, or it failed: stay interpreted
  std::atomic<uint32_t> compiled_{0};
  std::atomic<uint32_t> loop_entries_{0}, loop_switches_{0}, full_{0}, full_entries_{0}, loop_upgrades_{0};
  // Per defined function: the level of its published code, samples taken in
  // that code while it is Quick, and whether its Full code was asked for.
  std::unique_ptr<std::atomic<JitLevel>[]> level_;
  std::unique_ptr<std::atomic<uint32_t>[]> compiled_samples_;
  std::unique_ptr<std::atomic<uint32_t>[]> quick_since_ms_;  // published Quick, ms after created_
  std::unique_ptr<std::atomic<bool>[]> full_asked_;
  // Per defined function: samples at loops once it is compiled, whether its
  // loop entry was asked for (0 no, 1 yes, 2 yes and it has none: no loop
  // with code), and the loops it enters once published (an immutable list).
  struct LoopEntry {
    uint32_t loop;
    const Word* code;  // a jit_enter_loop instruction
    JitLoopEntry entry;
  };
  std::unique_ptr<std::atomic<uint32_t>[]> stuck_;
  std::unique_ptr<std::atomic<uint8_t>[]> entry_asked_;
  std::unique_ptr<std::atomic<const std::vector<LoopEntry>*>[]> loop_entries_of_;
  // Per defined function, of its published loop entry: its level, when it
  // was published Quick (ms after created_), samples taken in it while
  // Quick (the function Interpreted), and whether its Full entry was asked.
  std::unique_ptr<std::atomic<JitLevel>[]> entry_level_;
  std::unique_ptr<std::atomic<uint32_t>[]> entry_since_ms_;
  std::unique_ptr<std::atomic<uint32_t>[]> entry_samples_;
  std::unique_ptr<std::atomic<bool>[]> entry_full_asked_;
  // The loop its entry was asked at (JitOptions::switch_loops).
  std::unique_ptr<std::atomic<uint32_t>[]> entry_loop_;

  std::mutex mu_;  // guards what follows
  std::vector<Instance*> instances_;
  std::vector<std::unique_ptr<FunctionCode>> published_;  // per defined function, null until compiled
  std::vector<std::unique_ptr<FunctionCode>> retired_;    // replaced by Full code, kept while the module lives
  std::vector<std::shared_ptr<void>> owners_;             // of the native code of each batch
  std::vector<std::unique_ptr<std::vector<LoopEntry>>> loop_lists_;  // every list published
  std::vector<std::unique_ptr<Word[]>> loop_code_;
  std::vector<uint32_t> entries_wanted_;  // loop entries the next batch compiles
  std::vector<uint32_t> full_wanted_;     // Quick functions the next job compiles Full
  std::vector<uint32_t> entries_full_wanted_;  // Quick loop entries the next job compiles Full

  std::once_flag cache_opened_;  // by the first job, which also links what it holds
  std::optional<cache::CodeCache> cache_;
  std::string key_;
};

// compile() with Tier::Auto: makes `m` tier (no-op without the compiler tier).
void enable_tiering(const std::shared_ptr<const CompiledModule>& m, const CompileOptions& options);

// refill_budget's sampling: the chunk to hand out next. At a back-edge to
// `header` (else null), *osr is set to compiled code continuing that loop
// when there is some.
// `compiled`: from compiled code (jit_refill_budget).
int64_t tier_sample(Thread* th, const Word* header, const Word** osr, bool compiled);

// For the running compiled loop entry (the innermost frame's function) at
// its loop `loop`: its Full loop entry when one is published (budget.cpp's
// jit_refill_budget_at_loop asks; `count`: the caller switches to it).
JitLoopEntry tier_full_loop_entry(Thread* th, uint32_t loop, bool count);
// jit_refill_budget (thread.h) at a back-edge of a Quick loop entry to its
// loop `loop`: kSwitchToFullLoopEntry (jit.h) instead of None when the
// function's Full loop entry is published, which jit_full_loop_entry then
// returns (JitRuntime::refill_budget_at_loop, full_loop_entry).
TrapKind jit_refill_budget_at_loop(Thread* th, uint32_t loop);
JitLoopEntry jit_full_loop_entry(Thread* th, uint32_t loop);

// For a program about to return from main: when a compile job is queued or
// running, flushes stdio and ends the process at once with `status`; else
// returns. Call it before exit() runs any static destructor: those of
// libraries loaded after the pool started (OpenVINO's, in wnn run) run before
// the on_exit handler below and may pull state from under the compiling
// thread (a crash in LLVM's instruction selection during OpenVINO's teardown).
void exit_now_if_compiling(int status);

// The code a call to `f` runs now (an acquire load: see above).
inline const FunctionCode* current_code(const FuncInst* f) { return __atomic_load_n(&f->code, __ATOMIC_ACQUIRE); }

}  // namespace wnn::exec
