// Tier::Auto (src/exec/tiering.h): a function switches to compiled code while
// the program runs, and nothing but speed changes — results, traps and their
// backtraces, fuel.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "exec/jit.h"
#include "exec/tiering.h"
#include "valid/compiled_module.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

// wat/tiering_loop.wat: run(n, k) folds step(x, i, k) over i = 0 .. n-1,
// step trapping when i == k.
std::vector<uint8_t> loop_module() { return test::wat_module("tiering_loop"); }

std::shared_ptr<const CompiledModule> compile_with(Tier tier, TieringOptions tiering = {}, std::string cache = {}) {
  CompileOptions o;
  o.tier = tier;
  o.tiering = tiering;
  o.code_cache_dir = std::move(cache);
  auto r = compile(loop_module(), o);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : nullptr;
}

// run() of loop_module() on one tier, in a Store of its own.
struct LoopRun {
  explicit LoopRun(std::shared_ptr<const CompiledModule> m, uint64_t fuel = 0)
      : module(std::move(m)), store(StoreConfig{.fuel = fuel}) {
    auto inst = store.instantiate(module, nullptr);
    EXPECT_TRUE(inst.ok()) << inst.error().message;
    run = store.find_export(*inst, "run")->func();
  }
  // The result, or the error's message (backtrace included).
  std::string call(uint32_t n, uint32_t k) {
    Value args[2] = {Value::i32(n), Value::i32(k)};
    auto r = store.invoke(run, args);
    return r.ok() ? std::to_string((*r)[0].as_u32()) : "error: " + r.error().message;
  }
  uint32_t compiled() const { return module->tier ? module->tier->compiled_count() : 0; }
  std::shared_ptr<const CompiledModule> module;
  Store store;
  FuncInst* run = nullptr;
};

// The background compile finishes while run's loop is running: the calls of
// step after that run native code, and run's result is the interpreter's.
TEST(Tiering, LongLoopSwitchesInTheMiddleOfARun) {
  LoopRun interp(compile_with(Tier::Interp));
  LoopRun tiered(compile_with(Tier::Auto));
  if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool switched_during_a_run = false;
  for (uint32_t n = 1 << 16; !switched_during_a_run && std::chrono::steady_clock::now() < give_up;
       n = std::min<uint32_t>(n * 2, 1u << 26)) {
    const uint32_t before = tiered.compiled();
    EXPECT_EQ(tiered.call(n, ~0u), interp.call(n, ~0u)) << "n = " << n;
    switched_during_a_run = before == 0 && tiered.compiled() > 0;
    if (before > 0) break;  // compiled between two runs: still a valid run, not the case wanted
  }
  if (!switched_during_a_run) {
    ASSERT_GT(tiered.compiled(), 0u) << "the background compile never finished";
    GTEST_SKIP() << "the compile ended between two runs (machine too loaded)";
  }
  // step is native now, and run has a loop entry (or gets one): a long run
  // of run continues its loop in compiled code from a back-edge on
  // (on-stack replacement), with the interpreter's results.
  EXPECT_GE(tiered.compiled(), 1u);
  EXPECT_EQ(tiered.call(1 << 22, ~0u), interp.call(1 << 22, ~0u));
  EXPECT_GE(tiered.module->tier->loop_switch_count(), 1u);
  EXPECT_EQ(tiered.call(1000, ~0u), interp.call(1000, ~0u));
}

// A synchronous switch at a known point (after a few hundred instructions),
// then a trap in the compiled step: same message and backtrace.
TEST(Tiering, TrapAfterTheSwitchHasTheInterpretersBacktrace) {
  LoopRun interp(compile_with(Tier::Interp));
  LoopRun tiered(compile_with(Tier::Auto, {.hot_samples = 2, .sample_chunk = 100, .synchronous = true}));
  if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
  const std::string expected = interp.call(100000, 5000);
  EXPECT_EQ(expected, "error: integer divide by zero\n  in function 0\n  called from function 1");
  EXPECT_EQ(tiered.call(100000, 5000), expected);
  // step; run, called once, switched to its loop entry (not compiled as a
  // function: samples in compiled code are no sign that it is called again).
  EXPECT_EQ(tiered.compiled(), 1u);
  EXPECT_EQ(tiered.module->tier->loop_entry_count(), 1u);
}

// A callee whose loop entry is published is not compiled along with a loop
// entry that calls it: a call to it switches at its loop (taken along, it
// doubled the batch that switches its caller, sieve's memset).
TEST(Tiering, ACalleeWithALoopEntryIsNotCompiledAgainWithItsCaller) {
  CompileOptions o;
  o.tier = Tier::Auto;
  o.tiering = {.hot_samples = 2, .sample_chunk = 100, .synchronous = true};
  auto m = compile(test::wat_module("tiering_callee_entry"), o);
  ASSERT_TRUE(m.ok()) << m.error().message;
  if (!(*m)->tier) GTEST_SKIP() << "no compiler tier in this build";
  Store store;
  auto inst = store.instantiate(*m, nullptr);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  Value fill_args[2] = {Value::i32(0), Value::i32(100000)};
  ASSERT_TRUE(store.invoke(store.find_export(*inst, "fill")->func(), fill_args).ok());
  const exec::TierState& tier = *(*m)->tier;
  ASSERT_EQ(tier.loop_entry_count(), 1u);  // fill's
  ASSERT_EQ(tier.compiled_count(), 0u);
  // Long enough for run's loop to be sampled after the budget fill's
  // compiled loop left (a whole chunk).
  Value run_args[1] = {Value::i32(1000000)};
  auto r = store.invoke(store.find_export(*inst, "run")->func(), run_args);
  ASSERT_TRUE(r.ok()) << r.error().message;
  // The sum of 7i for i < 10^6, mod 2^32, plus the byte fill(0, 1) stored.
  EXPECT_EQ((*r)[0].as_u32(), uint32_t(7ull * 999999 * 1000000 / 2) + 1);
  EXPECT_EQ(tier.loop_entry_count(), 2u);  // and run's
  EXPECT_EQ(tier.compiled_count(), 0u);
}

// Calls run(4321) in `r`'s store until a call fails (its fuel spent), at most
// 100 times: how many succeeded; *last is the last call's outcome.
int runs_until_an_error(LoopRun& r, std::string* last) {
  int runs = 0;
  for (; runs < 100; ++runs)
    if ((*last = r.call(4321, ~0u)).starts_with("error")) break;
  return runs;
}

// Fuel: runs in one store until the fuel is spent, the switch happening at a
// different point of the first run for each sample chunk. The number of
// completed runs and the last error are the interpreter's.
TEST(Tiering, FuelRunsOutAtTheSamePointAcrossTheSwitch) {
  constexpr uint64_t kFuel = 1'000'003;
  LoopRun interp(compile_with(Tier::Interp), kFuel);
  std::string want;
  const int want_runs = runs_until_an_error(interp, &want);
  ASSERT_EQ(want, "error: all fuel consumed\n  in function 1");
  for (uint32_t chunk : {1u, 7u, 100u, 1000u, 20000u}) {
    LoopRun tiered(compile_with(Tier::Auto, {.hot_samples = 1, .sample_chunk = chunk, .synchronous = true}), kFuel);
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    std::string got;
    EXPECT_EQ(runs_until_an_error(tiered, &got), want_runs) << "chunk " << chunk;
    EXPECT_EQ(got, want) << "chunk " << chunk;
    EXPECT_EQ(tiered.compiled(), 2u);
  }
}

// With a code cache, a batch compiled by one run is linked by the next
// before anything in it is hot: the second module starts with native code.
TEST(Tiering, ASecondRunStartsWithTheCachedBatches) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wnn-tiering-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string want = LoopRun(compile_with(Tier::Interp)).call(1 << 16, ~0u);
  {
    LoopRun first(compile_with(Tier::Auto, {.hot_samples = 2, .sample_chunk = 100, .synchronous = true}, dir));
    if (!first.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    // run switches to its loop entry at its first refill in each later call,
    // so its third call brings it to hot_samples: it is compiled as a function.
    for (int i = 0; i < 3; ++i) EXPECT_EQ(first.call(1 << 16, ~0u), want);
    EXPECT_EQ(first.compiled(), 2u);
  }
  LoopRun second(compile_with(Tier::Auto, {}, dir));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  // Every cached batch gets linked (one at a time, in the background): wait for
  // both functions, not for the first batch only (ASan builds link slowly).
  while (second.compiled() < 2 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(second.compiled(), 2u) << "nothing linked from the cache";
  EXPECT_EQ(second.call(1 << 16, ~0u), want);
  std::filesystem::remove_all(dir);
}

// Quick code that stays hot is compiled again Full and republished while the
// program runs (run's second call is Quick, its third reaches full_samples):
// the results are the interpreter's throughout.
TEST(Tiering, QuickCodeStillHotIsRecompiledFull) {
  LoopRun interp(compile_with(Tier::Interp));
  LoopRun tiered(compile_with(
      Tier::Auto,
      {.hot_samples = 2, .sample_chunk = 100, .synchronous = true, .first_level = JitLevel::Quick, .full_samples = 4}));
  if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
  for (int run = 0; run < 4; ++run)
    EXPECT_EQ(tiered.call(20000 + run, ~0u), interp.call(20000 + run, ~0u)) << "run " << run;
  EXPECT_EQ(tiered.compiled(), 2u);
  EXPECT_EQ(tiered.module->tier->full_count(), 2u) << "run and step are still Quick";
  EXPECT_EQ(tiered.call(5000, 4000), interp.call(5000, 4000));  // a trap in Full code: same backtrace
}

// Fuel across both switches (interpreter -> Quick -> Full, at a different
// point for each sample chunk): the runs completed and the last error are
// the interpreter's.
TEST(Tiering, FuelRunsOutAtTheSamePointAcrossTheRecompile) {
  constexpr uint64_t kFuel = 1'000'003;
  LoopRun interp(compile_with(Tier::Interp), kFuel);
  std::string want;
  const int want_runs = runs_until_an_error(interp, &want);
  uint32_t recompiled = 0;
  for (uint32_t chunk : {1u, 7u, 100u, 1000u}) {
    LoopRun tiered(compile_with(Tier::Auto, {.hot_samples = 1,
                                             .sample_chunk = chunk,
                                             .synchronous = true,
                                             .first_level = JitLevel::Quick,
                                             .full_samples = 3}),
                   kFuel);
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    std::string got;
    EXPECT_EQ(runs_until_an_error(tiered, &got), want_runs) << "chunk " << chunk;
    EXPECT_EQ(got, want) << "chunk " << chunk;
    recompiled += tiered.module->tier->full_count();
  }
  EXPECT_GT(recompiled, 0u) << "no chunk size got as far as Full code";
}

// The code cache keeps Quick and Full code apart: a Quick object is stored
// under a name of its own, and the same object under the Full name (sealed
// with its name) is refused, never run as Full code.
TEST(Tiering, QuickAndFullCodeAreCachedApart) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wnn-tiering-levels-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto jit = [&](JitLevel level) {
    CompileOptions o;
    o.tier = Tier::Jit;
    o.jit_level = level;
    o.code_cache_dir = dir.string();
    return compile(loop_module(), o);
  };
  auto quick = jit(JitLevel::Quick);
  if (!quick.ok() && quick.error().message.find("compiler tier unavailable") != std::string::npos)
    GTEST_SKIP() << "no compiler tier in this build";
  ASSERT_TRUE(quick.ok()) << quick.error().message;
  std::filesystem::path quick_entry, full_entry;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name == exec::jit_batch_name({}, JitLevel::Quick) + ".obj") quick_entry = e.path();
    if (name == exec::jit_batch_name({}, JitLevel::Full) + ".obj") full_entry = e.path();
  }
  ASSERT_FALSE(quick_entry.empty()) << "no Quick entry stored";
  EXPECT_TRUE(full_entry.empty()) << "Quick code stored as Full code";
  // The Quick object put where the Full one goes: a miss (removed), and the
  // Full compile stores its own.
  full_entry = quick_entry.parent_path() / (exec::jit_batch_name({}, JitLevel::Full) + ".obj");
  std::filesystem::copy_file(quick_entry, full_entry);
  auto full = jit(JitLevel::Full);
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(LoopRun(*full).call(1000, ~0u), LoopRun(compile_with(Tier::Interp)).call(1000, ~0u));
  auto bytes = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  ASSERT_TRUE(std::filesystem::exists(full_entry));
  EXPECT_NE(bytes(full_entry), bytes(quick_entry)) << "the Quick object was kept as the Full entry";
  const uint32_t some[] = {3, 1};
  EXPECT_EQ(exec::jit_batch_level(exec::jit_batch_name(some, JitLevel::Quick)), JitLevel::Quick);
  EXPECT_EQ(exec::jit_batch_level(exec::jit_batch_name(some, JitLevel::Full)), JitLevel::Full);
  EXPECT_NE(exec::jit_batch_name(some, JitLevel::Quick), exec::jit_batch_name(some, JitLevel::Full));
  std::filesystem::remove_all(dir);
}

// Both levels cached by tiering runs: a second run links them, Quick first,
// and ends with the Full code (the code the first run ended with).
TEST(Tiering, ASecondRunLinksTheCachedFullCodeLast) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("wnn-tiering-levels2-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string want = LoopRun(compile_with(Tier::Interp)).call(20000, ~0u);
  {
    LoopRun first(compile_with(
        Tier::Auto,
        {.hot_samples = 2, .sample_chunk = 100, .synchronous = true, .first_level = JitLevel::Quick, .full_samples = 4},
        dir));
    if (!first.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    for (int run = 0; run < 4; ++run) EXPECT_EQ(first.call(20000, ~0u), want);
    EXPECT_EQ(first.module->tier->full_count(), 2u);
  }
  LoopRun second(compile_with(Tier::Auto, {}, dir));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (second.module->tier->full_count() < 2 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(second.compiled(), 2u);
  EXPECT_EQ(second.module->tier->full_count(), 2u) << "Quick code linked over the Full code";
  EXPECT_EQ(second.call(20000, ~0u), want);
  std::filesystem::remove_all(dir);
}

// An embedder's CompileOptions::profiling: each batch tiering links (Quick,
// then Full, and run's loop entry) is appended to this process's perf map,
// every line `START SIZE wasm[<profile_name>]::...`.
TEST(Tiering, ProfilingAppendsEveryLinkedBatchToThePerfMap) {
  const std::filesystem::path map = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  std::filesystem::remove(map);
  CompileOptions o;
  o.tier = Tier::Auto;
  o.tiering = {
      .hot_samples = 2, .sample_chunk = 100, .synchronous = true, .first_level = JitLevel::Quick, .full_samples = 4};
  o.profiling = Profiling::PerfMap;
  o.profile_name = "tiering_loop";
  auto m = compile(loop_module(), o);
  ASSERT_TRUE(m.ok()) << m.error().message;
  if (!(*m)->tier) GTEST_SKIP() << "no compiler tier in this build";
  LoopRun tiered(*m);
  for (int run = 0; run < 4; ++run) tiered.call(20000 + run, ~0u);
  ASSERT_EQ(tiered.module->tier->full_count(), 2u);
  std::ifstream in(map);
  std::map<std::string, int> names;  // how many times each name was linked
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    uint64_t start = 0, size = 0;
    std::string name;
    ls >> std::hex >> start >> size;
    std::getline(ls >> std::ws, name);
    EXPECT_TRUE(ls.eof() || ls.good()) << line;
    EXPECT_GT(size, 0u) << line;
    EXPECT_EQ(name.rfind("wasm[tiering_loop]::function[", 0), 0u) << line;
    ++names[name];
  }
  std::filesystem::remove(map);
  // step (function 0) and run (1), Quick then Full: their entries at least twice.
  EXPECT_GE(names["wasm[tiering_loop]::function[0] (entry)"], 2);
  EXPECT_GE(names["wasm[tiering_loop]::function[1] (entry)"], 2);
  EXPECT_GE(names["wasm[tiering_loop]::function[1] (loop entry)"], 1);
}

}  // namespace
}  // namespace wnn
