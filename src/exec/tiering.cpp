// Tier::Auto: sampling, batches, publication (the pool: compile_pool.cpp). See
// tiering.h and docs/compiler.md, "Tiering".
#include "exec/tiering.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <unordered_map>

#include "exec/compile_pool.h"
#include "exec/guard.h"
#include "exec/jit.h"
#include "exec/op_info.h"
#include "exec/thread.h"
#include "exec/tier_trace.h"
#include "valid/compiled_module.h"

namespace wnn::exec {

namespace {

// Defaults: a sample every 16 Ki charged instructions (~50 us of
// interpretation) and a function is hot after 16 of them (about a
// millisecond of its own work): a short-lived program (hello-world) never
// starts the compiler, a loop running for milliseconds does.
constexpr int64_t kSampleChunk = int64_t(1) << 14;
constexpr uint32_t kHotSamples = 16;
// Quick code is compiled again Full once this many times hot_samples were
// taken in it and a second has passed since it was published: Full code is
// about 2% faster, so only long runs repay its compile. (Samples alone do not
// measure time in compiled code: how often it refills depends on what its
// counted loops reserved, src/exec/budget.cpp.)
constexpr uint32_t kFullAfterHot = 64;
constexpr uint32_t kFullAfterMs = 1000;

uint32_t ms_since(std::chrono::steady_clock::time_point t) {
  return uint32_t(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count());
}
// WNN_TIER_TRACE prints the first loop switches only (one per activation
// switching: a deep recursion has many).
constexpr uint32_t kTracedSwitches = 16;

// A batch's callees: at most this many added, none larger than this (in
// interpreter words), and only two calls deep.
constexpr size_t kMaxCallees = 32;
constexpr size_t kMaxCalleeWords = 4096;

// The defined functions `code` calls directly (`call`), walking the
// interpreter's instructions by their sizes (op_info), as tools/dump_code
// does; stops at a word it does not know.
std::vector<uint32_t> direct_callees(const FunctionCode& code, uint32_t num_imported) {
  std::vector<uint32_t> out;
  const std::vector<Word>& w = code.code;
  for (size_t i = 0; i < w.size();) {
    const OpInfo* op = op_info(w[i].h);
    if (!op || i + 1 >= w.size()) break;
    if (w[i].h == op_call) {
      const uint32_t func = layout::Call::read(&w[i]).func;
      if (func >= num_imported) out.push_back(func - num_imported);
    }
    i += op->words(&w[i]);
  }
  return out;
}

// Adds to `batch` the defined functions `callers` call directly, two calls
// deep, at most kMaxCallees, none larger than kMaxCalleeWords: those `take`
// accepts (and claims).
template <class Take>
void add_callees(const CompiledModule& m, uint32_t num_imported, std::vector<uint32_t> callers,
                 std::vector<uint32_t>& batch, Take take) {
  size_t added = 0;
  for (size_t k = 0, depth_end = callers.size(), depth = 0; k < callers.size() && depth < 2; ++k) {
    for (uint32_t c : direct_callees(m.code[callers[k]], num_imported)) {
      if (added == kMaxCallees || c >= m.code.size() || m.code[c].code.size() > kMaxCalleeWords || !take(c)) continue;
      batch.push_back(c);
      callers.push_back(c);
      ++added;
    }
    if (k + 1 == depth_end) depth_end = callers.size(), ++depth;
  }
}

}  // namespace

TierState::TierState(const CompiledModule& m, const CompileOptions& options)
    : num_imported_(m.module.num_imported_funcs),
      hot_samples_(options.tiering.hot_samples ? options.tiering.hot_samples : kHotSamples),
      sample_chunk_(options.tiering.sample_chunk ? int64_t(options.tiering.sample_chunk) : kSampleChunk),
      synchronous_(options.tiering.synchronous),
      first_level_(options.tiering.first_level),
      full_samples_(options.tiering.full_samples ? options.tiering.full_samples : hot_samples_ * kFullAfterHot),
      full_after_ms_(options.tiering.full_samples ? 0 : kFullAfterMs),
      count_(m.code.size()),
      exact_fuel_(options.exact_fuel),
      cache_dir_(options.code_cache_dir),
      cache_max_bytes_(options.code_cache_max_bytes),
      samples_(new std::atomic<uint32_t>[m.code.size()]()),
      state_(new std::atomic<State>[m.code.size()]()),
      level_(new std::atomic<JitLevel>[m.code.size()]()),
      compiled_samples_(new std::atomic<uint32_t>[m.code.size()]()),
      quick_since_ms_(new std::atomic<uint32_t>[m.code.size()]()),
      full_asked_(new std::atomic<bool>[m.code.size()]()),
      stuck_(new std::atomic<uint32_t>[m.code.size()]()),
      entry_asked_(new std::atomic<uint8_t>[m.code.size()]()),
      loop_entries_of_(new std::atomic<const std::vector<LoopEntry>*>[m.code.size()]()),
      entry_level_(new std::atomic<JitLevel>[m.code.size()]()),
      entry_since_ms_(new std::atomic<uint32_t>[m.code.size()]()),
      entry_samples_(new std::atomic<uint32_t>[m.code.size()]()),
      entry_full_asked_(new std::atomic<bool>[m.code.size()]()),
      entry_loop_(new std::atomic<uint32_t>[m.code.size()]()),
      published_(m.code.size()) {}

int64_t TierState::sample(const FuncInst* f, uint32_t loop, const Word** osr, bool compiled) {
  if (gave_up_.load(std::memory_order_relaxed)) return kBudgetChunk;
  const uint32_t i = f->index - num_imported_;
  bool queue = false;
  const char* why = "hot";  // for WNN_TIER_TRACE
  const bool has_entry = loop_entries_of_[i].load(std::memory_order_acquire) != nullptr;
  const State state = state_[i].load(std::memory_order_relaxed);
  if (compiled) {
    // Quick code still hot: its Full code, once. The clock is read every
    // 64th sample past the count only.
    auto still_hot = [&](std::atomic<uint32_t>& samples, std::atomic<uint32_t>& since) {
      const uint32_t n = samples.fetch_add(1, std::memory_order_relaxed) + 1;
      return n >= full_samples_ &&
             (full_after_ms_ == 0 ||
              (n % 64 == 0 && ms_since(created_) >= since.load(std::memory_order_relaxed) + full_after_ms_));
    };
    if (state == Compiled && level_[i].load(std::memory_order_relaxed) == JitLevel::Quick) {
      if (still_hot(compiled_samples_[i], quick_since_ms_[i]) && !full_asked_[i].exchange(true)) {
        std::lock_guard lock(mu_);
        full_wanted_.push_back(i);
        queue = true;
        why = "still hot in its quick code: compiled full";
      }
    }
    // A Quick loop entry still hot (the samples of a function never compiled
    // are its entry's; of a compiled one, maybe its own code's, but its entry
    // exists because an activation stayed in its loops): its Full entry.
    if (has_entry && entry_level_[i].load(std::memory_order_relaxed) == JitLevel::Quick) {
      if (still_hot(entry_samples_[i], entry_since_ms_[i]) && !entry_full_asked_[i].exchange(true)) {
        std::lock_guard lock(mu_);
        entries_full_wanted_.push_back(i);
        queue = true;
        why = "still hot in its quick loop entry: its loop entry compiled full";
      }
    }
  } else if (state == Interpreted) {
    // While the loop entry asked for below compiles, the activation running
    // the loop is not evidence that the function is called again.
    const bool entry_pending = loop && !has_entry && entry_asked_[i].load(std::memory_order_relaxed) == 1;
    if (!entry_pending && samples_[i].fetch_add(1, std::memory_order_relaxed) + 1 >= hot_samples_) {
      uint8_t none = 0;
      if (loop && entry_asked_[i].compare_exchange_strong(none, 1)) {
        // Hot for the first time, in a loop: maybe a function called once
        // (a program's main loop). Its loop entry first, alone (with the
        // functions it calls), so that activation switches soonest; the
        // function itself when it gets hot again (called again).
        samples_[i].store(0, std::memory_order_relaxed);
        entry_loop_[i].store(loop, std::memory_order_relaxed);
        std::lock_guard lock(mu_);
        entries_wanted_.push_back(i);
        queue = true;
        why = "hot at a loop: its loop entry";
      } else {
        State expected = Interpreted;
        queue = state_[i].compare_exchange_strong(expected, Hot);
      }
    }
  } else if (state == Compiled && loop && !has_entry && entry_asked_[i].load(std::memory_order_relaxed) == 0 &&
             stuck_[i].fetch_add(1, std::memory_order_relaxed) + 1 >= hot_samples_) {
    // Compiled while activations of it that started before keep running
    // its loops on the interpreter (as many samples as make a function hot,
    // counted once its code is published: not activations that return while
    // it compiles): its loop entry.
    uint8_t none = 0;
    if (entry_asked_[i].compare_exchange_strong(none, 1)) {
      entry_loop_[i].store(loop, std::memory_order_relaxed);
      std::lock_guard lock(mu_);
      entries_wanted_.push_back(i);
      queue = true;
      why = "compiled, older activations in its loops: its loop entry";
    }
  }
  if (queue && !job_queued_.exchange(true)) {
    tier_trace("batch queued: function %u %s", f->index, why);
    if (synchronous_)
      run_batch(weak_from_this());  // tests: the switch at a known moment
    else
      submit_compile(weak_from_this());
  }
  if (loop && (*osr = loop_entry(i, loop)) && loop_switches_.fetch_add(1, std::memory_order_relaxed) < kTracedSwitches)
    tier_trace("function %u switches to its loop entry at loop @%u", f->index, loop);
  return sample_chunk_;
}

JitLoopEntry TierState::full_loop_entry(uint32_t defined, uint32_t loop, bool count) {
  if (defined >= count_ || entry_level_[defined].load(std::memory_order_acquire) != JitLevel::Full) return nullptr;
  const std::vector<LoopEntry>* list = loop_entries_of_[defined].load(std::memory_order_acquire);
  if (list)
    for (const LoopEntry& e : *list)
      if (e.loop == loop) {
        if (count && loop_upgrades_.fetch_add(1, std::memory_order_relaxed) < kTracedSwitches)
          tier_trace("function %u switches to its full loop entry at loop @%u", defined + num_imported_, loop);
        return e.entry;
      }
  return nullptr;
}

const Word* TierState::loop_entry(uint32_t defined, uint32_t loop) const {
  const std::vector<LoopEntry>* list = loop_entries_of_[defined].load(std::memory_order_acquire);
  if (list)
    for (const LoopEntry& e : *list)
      if (e.loop == loop) return e.code;
  return nullptr;
}

// Under no lock: state_ entries move Hot -> Compiling only here, and jobs of
// one module do not overlap in choosing (job_queued_ is cleared first).
std::vector<uint32_t> TierState::take_batch(const CompiledModule& m, std::vector<uint32_t>& entries) {
  job_queued_.store(false);
  std::vector<uint32_t> batch;
  for (uint32_t i = 0; i < count_; ++i) {
    State expected = Hot;
    if (state_[i].compare_exchange_strong(expected, Compiling)) batch.push_back(i);
  }
  // Hottest first (an object's order does not matter to LLVM, but callees
  // are added after them up to the cap).
  // Sorted on a snapshot: the guest's thread keeps counting, and std::sort with
  // a comparator whose answers change may run past the range.
  std::vector<std::pair<uint32_t, uint32_t>> by_heat;  // (samples, function)
  for (uint32_t i : batch) by_heat.emplace_back(samples_[i].load(std::memory_order_relaxed), i);
  std::sort(by_heat.begin(), by_heat.end(),
            [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (size_t k = 0; k < batch.size(); ++k) batch[k] = by_heat[k].second;
  // The loop entries asked for since the last batch.
  {
    std::lock_guard lock(mu_);
    entries = std::move(entries_wanted_);
    entries_wanted_.clear();
  }
  // The functions these call, so that calls inside the object are direct.
  // Not one whose loop entry is published: a call to it switches at its
  // loop, and its loops sample it, so it gets hot by itself if it is called
  // often (sieve's memset, whose entry came a batch before the loop calling
  // it: taken along, it doubled that batch).
  std::vector<uint32_t> callers = batch;
  callers.insert(callers.end(), entries.begin(), entries.end());
  add_callees(m, num_imported_, std::move(callers), batch, [&](uint32_t c) {
    if (loop_entries_of_[c].load(std::memory_order_acquire)) return false;
    State expected = Interpreted;
    return state_[c].compare_exchange_strong(expected, Compiling);
  });
  // A function compiled in this batch gets no loop entry yet: the entry
  // would double its compile time, and is wasted when the function is called
  // often (memcpy's helpers, hot at their loops first). Activations of it that
  // keep running their loops after the publication ask for it again.
  std::erase_if(entries, [&](uint32_t i) {
    if (std::find(batch.begin(), batch.end(), i) == batch.end()) return false;
    entry_asked_[i].store(0, std::memory_order_relaxed);
    return true;
  });
  return batch;
}

// The Quick functions found still hot, with the compiled functions they call
// (whatever their level: calls inside the Full object stay direct).
std::vector<uint32_t> TierState::take_full_batch(const CompiledModule& m, std::vector<uint32_t>& entries) {
  std::vector<uint32_t> batch;
  {
    std::lock_guard lock(mu_);
    batch = std::move(full_wanted_);
    full_wanted_.clear();
    entries = std::move(entries_full_wanted_);
    entries_full_wanted_.clear();
  }
  if (batch.empty()) return batch;
  add_callees(m, num_imported_, batch, batch, [&](uint32_t c) {
    if (state_[c].load() != Compiled || std::find(batch.begin(), batch.end(), c) != batch.end()) return false;
    full_asked_[c].store(true);
    return true;
  });
  return batch;
}

void TierState::run_batch(const std::weak_ptr<TierState>& weak) {
  std::shared_ptr<TierState> s = weak.lock();
  std::shared_ptr<const CompiledModule> m = s ? s->module_.lock() : nullptr;
  if (!m) return;
  if (!s->load(JitPart::Linker)) return;
  std::call_once(s->cache_opened_, [&] { s->open_cache(*m); });
  std::vector<uint32_t> entries, full_entries;
  const std::vector<uint32_t> batch = s->take_batch(*m, entries);
  const std::vector<uint32_t> full = s->take_full_batch(*m, full_entries);
  // The compiler only when there is something to compile: what the cache
  // held is linked without it.
  if ((!batch.empty() || !entries.empty() || !full.empty() || !full_entries.empty()) && !s->load(JitPart::Compiler))
    return;
  // What switches code from the interpreter first: it is what saves the most.
  if ((!batch.empty() || !entries.empty()) && !s->compile_batch(*m, batch, entries, s->first_level_)) return;
  if (!full.empty() || !full_entries.empty()) s->compile_batch(*m, full, full_entries, JitLevel::Full);
}

bool TierState::load(JitPart part) {
  const double began = tier_trace_ms();
  if (!jit_load(part)) {
    tier_trace("no compiler tier: the module stays on the interpreter");
    gave_up_.store(true);  // stays interpreted
    return false;
  }
  const bool compiler = part == JitPart::Compiler;
  static std::once_flag traced[2], registered[2];
  std::call_once(traced[compiler], [&] {
    tier_trace("compiler tier loaded: %s (%.2f ms)", compiler ? "compiler" : "linker", tier_trace_ms() - began);
  });
  if (!synchronous_) std::call_once(registered[compiler], [] { exit_without_waiting_from_now(); });
  return true;
}

bool TierState::compile_batch(const CompiledModule& m, const std::vector<uint32_t>& batch,
                              const std::vector<uint32_t>& entries, JitLevel level) {
  const double began = tier_trace_ms(), began_cpu = tier_trace_thread_cpu_ms();
  JitOptions::PhaseTimes times;
  std::vector<uint32_t> switch_loops;
  for (uint32_t i : entries) switch_loops.push_back(entry_loop_[i].load(std::memory_order_relaxed));
  Expected<std::vector<uint8_t>> object = jit_compile_object(m, batch,
                                                             {.loop_entries = entries,
                                                              .switch_loops = switch_loops,
                                                              .level = level,
                                                              .exact_fuel = exact_fuel_,
                                                              .times = &times});
  const double compiled = tier_trace_ms(), compile_cpu = tier_trace_thread_cpu_ms() - began_cpu;
  // A full or read-only cache costs a later run a compilation, not this one.
  if (object && cache_) {
    std::vector<uint32_t> name = batch;  // the loop entries too: a batch of them alone is not "all"
    for (uint32_t i : entries) name.push_back(0x80000000u | i);
    if (cache_->store(key_, jit_batch_name(name, level), *object)) cache::note_code(cache_->dir(), m.module.bytes);
  }
  Expected<JitLinked> linked = object ? jit_link_object(m, *object) : Expected<JitLinked>(object.error());
  if (!linked) {
    tier_trace("batch failed, the module stays on the code it has: %s", linked.error().message.c_str());
    gave_up_.store(true);
    return false;
  }
  publish(m, *linked, level);
  if (tier_trace_on()) {
    // Function indices (the module's), with their interpreter code's size in words.
    auto list = [&](const std::vector<uint32_t>& fs) {
      std::string out;
      for (size_t k = 0; k < fs.size() && k < 8; ++k)
        out += (k ? " " : "") + std::to_string(fs[k] + num_imported_) + "/" + std::to_string(m.code[fs[k]].code.size());
      return out + (fs.size() > 8 ? " ..." : "");
    };
    tier_trace(
        "batch published, %s: functions [%s], loop entries [%s]: compile %.2f ms (CPU %.2f ms: IR %.2f, "
        "optimisation %.2f, code generation %.2f), link %.2f ms, %zu B",
        level == JitLevel::Quick ? "quick" : "full", list(batch).c_str(), list(entries).c_str(), compiled - began,
        compile_cpu, times.ir, times.optimise, times.codegen, tier_trace_ms() - compiled, object->size());
  }
  // A loop entry the compiler left out (no loop has code) is pending no more.
  for (uint32_t i : entries)
    if (!loop_entries_of_[i].load()) entry_asked_[i].store(2, std::memory_order_relaxed);
  return true;
}

// Opens the code cache and links the batches earlier runs stored. An entry
// the cache does not trust was removed by load_all; one that does not link
// is a miss (its functions get compiled when hot).
void TierState::open_cache(const CompiledModule& m) {
  if (cache_dir_.empty()) return;
  Expected<cache::CodeIdentity> id = jit_code_identity();
  if (!id) return;
  Expected<cache::CodeCache> c = cache::CodeCache::open(cache_dir_, cache_max_bytes_, std::move(*id));
  if (!c) return;
  cache_ = std::move(*c);
  key_ = cache_->module_key(m.module.bytes, jit_code_variant(exact_fuel_));
  size_t linked_batches = 0;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> stored = cache_->load_all(key_);
  // Quick batches first: Full ones replace their functions' Quick code.
  for (JitLevel level : {JitLevel::Quick, JitLevel::Full})
    for (auto& [name, object] : stored)
      if (jit_batch_level(name) == level)
        if (Expected<JitLinked> linked = jit_link_object(m, object)) publish(m, *linked, level), ++linked_batches;
  tier_trace("code cache: %zu batches linked", linked_batches);
}

void TierState::publish(const CompiledModule& m, JitLinked& linked, JitLevel level) {
  std::lock_guard lock(mu_);
  uint32_t added = 0;
  for (const auto& [i, entry] : linked.entries) {
    if (i >= count_) continue;
    const bool was = published_[i] != nullptr;
    const bool was_full = was && level_[i].load() == JitLevel::Full;
    // Batches from the cache come in any order: Quick code never replaces Full.
    if (level == JitLevel::Quick && was_full) continue;
    auto code = std::make_unique<FunctionCode>(jit_function_code(m, i, entry));
    // The interpreter's frame size, so the value-stack check at a call into
    // it is the interpreter's.
    code->frame_slots = std::max(code->frame_slots, m.code[i].frame_slots);
    for (Instance* inst : instances_)
      __atomic_store_n(&inst->funcs[num_imported_ + i]->code, code.get(), __ATOMIC_RELEASE);
    // The code replaced stays alive: a call that read it may still be using
    // it (Executor::call reads its result_slots after the call).
    if (published_[i]) retired_.push_back(std::move(published_[i]));
    published_[i] = std::move(code);
    level_[i].store(level);
    if (level == JitLevel::Quick) quick_since_ms_[i].store(ms_since(created_), std::memory_order_relaxed);
    state_[i].store(Compiled);
    added += !was;
    if (level == JitLevel::Full && !was_full) full_.fetch_add(1);
  }
  for (const JitLinked::LoopEntry& e : linked.loop_entries) {
    if (e.defined >= count_) continue;
    // A Full entry replaces a Quick one (the old list and code stay: a
    // thread may be reading them); nothing replaces a Full one.
    const bool had = loop_entries_of_[e.defined].load() != nullptr;
    if (had && !(level == JitLevel::Full && entry_level_[e.defined].load() == JitLevel::Quick)) continue;
    // Per loop: one jit_enter_loop.
    using L = layout::JitEnterLoop;
    auto code = std::make_unique<Word[]>(L::kWords * e.loops.size());
    auto list = std::make_unique<std::vector<LoopEntry>>();
    for (size_t k = 0; k < e.loops.size(); ++k) {
      Word* w = &code[L::kWords * k];
      w[0].h = op_jit_enter_loop;
      L{.entry = reinterpret_cast<uint64_t>(e.entry), .loop = e.loops[k]}.write(w);
      list->push_back({e.loops[k], w, e.entry});
    }
    if (level == JitLevel::Quick) entry_since_ms_[e.defined].store(ms_since(created_), std::memory_order_relaxed);
    // The list before the level: full_loop_entry, seeing Full, reads the Full list.
    loop_entries_of_[e.defined].store(list.get(), std::memory_order_release);
    entry_level_[e.defined].store(level, std::memory_order_release);
    uint8_t none = 0;
    entry_asked_[e.defined].compare_exchange_strong(none, 1);  // linked from the cache: not asked again
    if (level == JitLevel::Full) entry_full_asked_[e.defined].store(true);
    loop_lists_.push_back(std::move(list));
    loop_code_.push_back(std::move(code));
    if (!had) loop_entries_.fetch_add(1);
    if (had) full_entries_.fetch_add(1);
  }
  owners_.push_back(std::move(linked.owner));
  compiled_.fetch_add(added);
}

void TierState::attach(Instance* inst) {
  std::lock_guard lock(mu_);
  instances_.push_back(inst);
  for (size_t i = 0; i < published_.size(); ++i)
    if (published_[i]) __atomic_store_n(&inst->funcs[num_imported_ + i]->code, published_[i].get(), __ATOMIC_RELEASE);
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
  // Code cached by earlier runs: linked in the background from the start —
  // unless no run stored any (then the compiler tier is loaded only when
  // something gets hot: a short run never loads it).
  if (!options.code_cache_dir.empty() && !options.tiering.synchronous &&
      cache::may_have_code(options.code_cache_dir, m->module.bytes)) {
    t->job_queued_.store(true);
    submit_compile(t);
  }
  const_cast<CompiledModule&>(*m).tier = std::move(t);  // not shared yet
#else
  (void)m, (void)options;
#endif
}

JitLoopEntry tier_full_loop_entry(Thread* th, uint32_t loop, bool count) {
  if (th->frames_top == th->frames_begin) return nullptr;
  const FuncInst* f = th->frames_top[-1].callee;
  if (!f || !f->inst || !f->inst->module) return nullptr;
  TierState* t = f->inst->module->tier.get();
  return t ? t->full_loop_entry(f->index - f->inst->module->module.num_imported_funcs, loop, count) : nullptr;
}

int64_t tier_sample(Thread* th, const Word* header, const Word** osr, bool compiled) {
  if (th->frames_top == th->frames_begin) return kBudgetChunk;
  const FuncInst* f = th->frames_top[-1].callee;
  // Instances made without a compiled module (the exec unit tests build them by hand) never tier.
  if (!f || !f->inst || !f->inst->module) return kBudgetChunk;
  TierState* t = f->inst->module->tier.get();
  if (!t) return kBudgetChunk;
  // The loop: by where its header is in the function's interpreter code
  // (the running activation's; FuncInst::code may be compiled code by now).
  uint32_t loop = 0;
  const CompiledModule& m = *f->inst->module;
  const uint32_t i = f->index - m.module.num_imported_funcs;
  if (header && i < m.code.size()) {
    const std::vector<Word>& code = m.code[i].code;
    const std::vector<LoopHeader>& loops = m.code[i].loops;
    if (header >= code.data() && header < code.data() + code.size()) {
      const uint32_t word = uint32_t(header - code.data());
      auto it = std::lower_bound(loops.begin(), loops.end(), word,
                                 [](const LoopHeader& h, uint32_t w) { return h.word < w; });
      if (it != loops.end() && it->word == word) loop = it->wasm_offset;
    }
  }
  return t->sample(f, loop, osr, compiled);
}

}  // namespace wnn::exec
