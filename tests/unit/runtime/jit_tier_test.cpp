// The compiler tier (src/jit) next to the interpreter: modules compiled for
// either tier call each other through imports and host functions, with the
// same results, traps and backtraces as when both are interpreted.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "compile_checks.h"
#include "jit_test_support.h"

namespace wnn {
namespace {

using test::compile_tier;
using test::optimised_ir;
using test::spins_until_out_of_fuel;

struct Outcome {
  bool ok;
  int32_t value;
  std::string message;
};

// "run"(a, b) of module Hi = Lo's "div"(a, b) + 1, where Hi calls Lo
// through an import and Lo calls a host function (counting calls) first
// (wat/tiers_hi.wat, wat/tiers_lo.wat).
Outcome run(Tier lo_tier, Tier hi_tier, int32_t a, int32_t b, int* host_calls) {
  Store store;
  FuncInst* counter = store.create_host_function(FuncType{{}, {}}, [host_calls](HostContext&, uint64_t*) {
    ++*host_calls;
    return Expected<void>();
  });
  auto lo_inst = store.instantiate(
      compile_tier(test::wat_module("tiers_lo"), lo_tier),
      [&](std::string_view, std::string_view) { return std::optional<Extern>(Extern{ExternKind::Func, counter}); });
  EXPECT_TRUE(lo_inst.ok());
  if (!lo_inst.ok()) return {false, 0, lo_inst.error().message};
  FuncInst* div = store.find_export(*lo_inst, "div")->func();
  auto hi_inst = store.instantiate(
      compile_tier(test::wat_module("tiers_hi"), hi_tier),
      [&](std::string_view, std::string_view) { return std::optional<Extern>(Extern{ExternKind::Func, div}); });
  EXPECT_TRUE(hi_inst.ok());
  if (!hi_inst.ok()) return {false, 0, hi_inst.error().message};
  Value args[2] = {Value::i32(uint32_t(a)), Value::i32(uint32_t(b))};
  auto r = store.invoke(store.find_export(*hi_inst, "run")->func(), args);
  if (!r.ok()) return {false, 0, r.error().message};
  return {true, int32_t((*r)[0].as_u32()), ""};
}

TEST(JitTier, CompiledAndInterpretedModulesCallEachOther) {
  for (Tier lo : {Tier::Interp, Tier::Jit})
    for (Tier hi : {Tier::Interp, Tier::Jit}) {
      SCOPED_TRACE("lo " + std::to_string(int(lo)) + ", hi " + std::to_string(int(hi)));
      int calls = 0;
      Outcome o = run(lo, hi, 7, 2, &calls);
      EXPECT_TRUE(o.ok) << o.message;
      EXPECT_EQ(o.value, 4);
      EXPECT_EQ(calls, 1);
      // A trap in Lo: the interpreter's message and backtrace, on any tier.
      o = run(lo, hi, 1, 0, &calls);
      EXPECT_FALSE(o.ok);
      EXPECT_EQ(o.message, "integer divide by zero\n  in function 1\n  called from function 1");
      EXPECT_EQ(calls, 2);
      o = run(lo, hi, INT32_MIN, -1, &calls);
      EXPECT_EQ(o.message, "integer overflow\n  in function 1\n  called from function 1");
    }
}

// Deep recursion in compiled code ends as the interpreter's does: the call
// depth limit traps cleanly, with the backtrace cut the same way.
TEST(JitTier, DeepRecursionTrapsLikeTheInterpreter) {
  const test::Bytes bytes = test::wat_module("deep_recursion");
  std::string messages[2];
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    StoreConfig config;
    config.max_call_depth = 5000;
    Store store(config);
    auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    Value arg = Value::i32(0);
    auto r = store.invoke(store.find_export(*inst, "f")->func(), {&arg, 1});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::CallStackExhausted);
    messages[int(tier)] = r.error().message;
  }
  EXPECT_EQ(messages[0], messages[1]);
  EXPECT_EQ(messages[1].rfind("call stack exhausted\n  in function 0\n", 0), 0u) << messages[1];
}

// Fuel after a memory fault: compiled code passes the budget from call to
// call in registers but stores it to the Thread at every call and return, so
// a fault in a callee that has charged nothing yet leaves the Store exactly
// the fuel the interpreter leaves it: a later call runs out of fuel after the
// same number of iterations on both tiers.
TEST(JitTier, FuelAfterAFaultInACalleeIsExact) {
  const test::Bytes bytes = test::wat_module("fuel_after_fault");
  uint32_t spins[2] = {};
  std::string messages[2];
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    StoreConfig config;
    config.fuel = 100'000;
    Store store(config);
    auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    Value arg = Value::i32(1000);
    auto r = store.invoke(store.find_export(*inst, "g")->func(), {&arg, 1});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
    messages[int(tier)] = r.error().message;
    spins[int(tier)] = spins_until_out_of_fuel(store, *inst);
  }
  EXPECT_EQ(messages[0], messages[1]);
  EXPECT_GT(spins[0], 1000u);
  EXPECT_EQ(spins[0], spins[1]);
}

// After a call of a compiled function returns, Thread::frames_top is still
// the callee's and Thread::budget not stored (src/jit/frame_push.cpp): the
// caller stores both before anything may look. A fault, an explicit trap, a
// stub's callee faulting and the depth limit right after calls returned
// give the interpreter's message and backtrace, and fuel stays exact across
// a loop of calls.
TEST(JitTier, TrapsAfterReturnedCallsHaveTheInterpretersBacktrace) {
  const test::Bytes bytes = test::wat_module("calls_then_trap");
  struct Case {
    const char* name;
    uint32_t arg;
    const char* message;  // the interpreter's, checked first
  };
  const Case cases[] = {
      {"fault", 8, "out of bounds memory access\n  in function 3"},
      {"divide", 0, "integer divide by zero\n  in function 4"},
      {"indirect", 8, "out of bounds memory access\n  in function 1\n  called from function 5"},
      {"deep", 0, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string messages[2];
    for (Tier tier : {Tier::Interp, Tier::Jit}) {
      StoreConfig config;
      config.max_call_depth = 100;
      Store store(config);
      auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
      ASSERT_TRUE(inst.ok()) << inst.error().message;
      Value arg = Value::i32(c.arg);
      auto r = store.invoke(store.find_export(*inst, c.name)->func(), {&arg, 1});
      ASSERT_FALSE(r.ok());
      messages[int(tier)] = r.error().message;
    }
    if (c.message) EXPECT_EQ(messages[0], c.message);
    EXPECT_EQ(messages[1], messages[0]);
  }
  uint32_t spins[2] = {};
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    StoreConfig config;
    config.fuel = 100'000;
    Store store(config);
    auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    auto r = store.invoke(store.find_export(*inst, "spin_calls")->func(), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
    std::memcpy(&spins[int(tier)], store.memory_data(store.find_export(*inst, "memory")->memory()).data() + 4, 4);
  }
  EXPECT_GT(spins[0], 1000u);
  EXPECT_EQ(spins[0], spins[1]);
}

// A recursive function's base case returns without a store (no frame push,
// no budget): nothing on that path may look at them. In the optimised IR of
// "fib" (wat/recursive_fib.wat), no block on a path from the entry to the
// `ret` that does not pass the recursive call has a store; the push is
// still there, on the recursive path.
TEST(JitTier, ABaseCaseReturnsWithoutStoringItsFrame) {
  const std::string ir = optimised_ir(test::wat_module("recursive_fib"));
  // Blocks by label with their text and successors; the blocks on a path
  // entry -> ret not through the recursive call: reached both from the
  // entry and, backwards, from the `ret`, neither walk entering a block
  // that calls the function itself.
  std::map<std::string, std::string> text;
  std::map<std::string, std::set<std::string>> succs, preds;
  const std::regex label(R"(^([A-Za-z0-9_.]+):)"), target(R"(label %([A-Za-z0-9_.]+))");
  std::string current, ret;
  std::istringstream lines(ir);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, label)) current = m[1];
    if (current.empty()) continue;
    text[current] += line + "\n";
    if (line.find(" ret ") != std::string::npos) ret = current;
    for (std::sregex_iterator it(line.begin(), line.end(), target), e; it != e; ++it) {
      succs[current].insert((*it)[1]);
      preds[(*it)[1]].insert(current);
    }
  }
  ASSERT_TRUE(text.count("entry") && !ret.empty()) << ir;
  auto walk = [&](const std::string& from, std::map<std::string, std::set<std::string>>& edges) {
    std::set<std::string> seen{from};
    std::vector<std::string> work{from};
    while (!work.empty()) {
      const std::string b = work.back();
      work.pop_back();
      for (const std::string& n : edges[b])
        if (text[n].find("@f0(") == std::string::npos && seen.insert(n).second) work.push_back(n);
    }
    return seen;
  };
  const std::set<std::string> from_entry = walk("entry", succs), to_ret = walk(ret, preds);
  size_t on_path = 0;
  for (const std::string& b : from_entry)
    if (to_ret.count(b)) {
      ++on_path;
      EXPECT_EQ(text[b].find("store "), std::string::npos) << text[b];
    }
  EXPECT_GE(on_path, 2u) << ir;
  EXPECT_NE(ir.find("store volatile"), std::string::npos) << ir;
}

// A counted loop has a compiled copy without budget checks, entered only
// when the budget covers all its trips (src/jit/charged_loops.cpp): whatever
// the fuel, the loop stops after the same store on both tiers.
TEST(JitTier, FuelRunsOutInACountedLoopAtTheSamePoint) {
  const test::Bytes bytes = test::wat_module("counted_loop");
  for (uint64_t fuel = 1; fuel < 2'000; fuel += fuel < 120 ? 1 : 37) {
    SCOPED_TRACE(fuel);
    std::vector<uint8_t> memories[2];
    bool ran_out[2] = {};
    for (Tier tier : {Tier::Interp, Tier::Jit}) {
      StoreConfig config;
      config.fuel = fuel;
      Store store(config);
      auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
      ASSERT_TRUE(inst.ok()) << inst.error().message;
      Value args[3] = {Value::i32(300), Value::i32(64), Value::i32(-1)};
      auto r = store.invoke(store.find_export(*inst, "fill")->func(), args);
      ran_out[int(tier)] = !r.ok();
      if (!r.ok()) { EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel); }
      std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
      memories[int(tier)].assign(mem.begin(), mem.begin() + 64 + 4 * 300);
    }
    EXPECT_EQ(ran_out[0], ran_out[1]);
    EXPECT_EQ(memories[0], memories[1]);
  }
}

// A trap inside the copy (a division by zero: trap code stores the budget)
// leaves the budget the checks would have left: the next call runs out of
// fuel after the same number of iterations. (A memory fault leaves the
// budget of the function's last call or return: docs/compiler.md.)
TEST(JitTier, FuelAfterATrapInACountedLoopIsExact) {
  const test::Bytes bytes = test::wat_module("counted_loop");
  uint32_t spins[2] = {};
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    StoreConfig config;
    config.fuel = 50'000;
    Store store(config);
    auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    Value args[3] = {Value::i32(1000), Value::i32(4), Value::i32(700)};
    auto r = store.invoke(store.find_export(*inst, "fill")->func(), args);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::IntegerDivideByZero);
    std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
    uint32_t last = 0, next = 0;
    std::memcpy(&last, mem.data() + 4 + 4 * 700, 4);
    std::memcpy(&next, mem.data() + 4 + 4 * 701, 4);
    EXPECT_EQ(last, 701u);  // the store before the division happened
    EXPECT_EQ(next, 0u);
    spins[int(tier)] = spins_until_out_of_fuel(store, *inst);
  }
  EXPECT_GT(spins[0], 1000u);
  EXPECT_EQ(spins[0], spins[1]);
}

// A loop whose trips cost more than a budget chunk: reserve_budget moves
// fuel into the budget so that the copy runs, which keeps their sum exact.
TEST(JitTier, FuelStaysExactAcrossALoopLongerThanABudgetChunk) {
  const test::Bytes bytes = test::wat_module("counted_loop");
  uint32_t sums[2] = {}, spins[2] = {};
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    StoreConfig config;
    config.fuel = 8'000'000;
    Store store(config);
    auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    Value args[2] = {Value::i32(400'000), Value::i32(-1)};
    auto r = store.invoke(store.find_export(*inst, "count")->func(), args);
    ASSERT_TRUE(r.ok()) << r.error().message;
    sums[int(tier)] = (*r)[0].as_u32();
    spins[int(tier)] = spins_until_out_of_fuel(store, *inst);
  }
  EXPECT_EQ(sums[0], sums[1]);
  EXPECT_GT(spins[0], 1000u);
  EXPECT_EQ(spins[0], spins[1]);
}

// Without fuel the copy runs on a budget raised to cover it (at most
// kMaxReserve charged instructions), and Store::interrupt() still ends a
// program that runs such loops forever.
TEST(JitTier, InterruptEndsCompiledCountedLoops) {
  Store store;
  auto inst = store.instantiate(compile_tier(test::wat_module("counted_loop"), Tier::Jit), nullptr);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  std::thread stopper([&store] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    store.interrupt();
  });
  auto r = store.invoke(store.find_export(*inst, "forever")->func(), {});
  stopper.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
}

// In the copy, a 32-bit induction variable's zero extension is a 64-bit one
// only when the preheader shows it cannot wrap: a value that wraps past 2^32,
// or an address walking below 0, keeps its Wasm meaning.
TEST(JitTier, WrappingInductionVariablesKeepTheirWasmValues) {
  const test::Bytes bytes = test::wat_module("counted_loop");
  auto expected = [](uint32_t n, uint32_t x) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; ++i) sum += uint32_t(x + i);
    return sum;
  };
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    SCOPED_TRACE(int(tier));
    Store store;
    auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    FuncInst* widen = store.find_export(*inst, "widen")->func();
    for (uint32_t x : {5u, 0xFFFFFFF0u, 0xFFFFFFFFu}) {
      Value args[2] = {Value::i32(100), Value::i32(x)};
      auto r = store.invoke(widen, args);
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ((*r)[0].lo, expected(100, x)) << x;
    }
    std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
    for (uint32_t i = 0; i < 4; ++i) std::memcpy(mem.data() + 4 * i, &i, 4);
    FuncInst* down = store.find_export(*inst, "down")->func();
    Value args[2] = {Value::i32(3), Value::i32(12)};
    auto r = store.invoke(down, args);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)[0].as_u32(), 3u + 2u + 1u);
    args[0] = Value::i32(10);  // 12, 8, 4, 0, then 0xFFFFFFFC
    r = store.invoke(down, args);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
  }
}

// The copy exists (else the two tests above would pass without it): the
// optimised IR of "fill" has the charge-free loop next to the charged one.
TEST(JitTier, ACountedLoopHasACopyWithoutBudgetChecks) {
  const std::string ir = optimised_ir(test::wat_module("counted_loop"));
  EXPECT_NE(ir.find(".covered"), std::string::npos) << ir;
  EXPECT_NE(ir.find("wnn_rt_refill_budget"), std::string::npos) << ir;
}

// Quick, Tier::Auto's first compile, runs a short pipeline of its own
// (module_compiler.cpp, quick_pipeline) rather than O1; what makes its code as
// fast as O1's is that counted, memory-bounded and stepped loops still get
// their charge-free copies.
TEST(JitTier, TheQuickPipelineKeepsTheChargeFreeCopies) {
  for (const char* name : {"counted_loop", "memory_bounded_loop", "stepped_loop"}) {
    SCOPED_TRACE(name);
    const std::string ir = optimised_ir(test::wat_module(name), 0, {.level = JitLevel::Quick});
    EXPECT_NE(ir.find(".covered"), std::string::npos) << ir;
    EXPECT_NE(ir.find("wnn_rt_refill_budget"), std::string::npos) << ir;
  }
}

// A Wasm `select` is branch-free code by the producer's choice: x86's cmov
// conversion is off (host_target.cpp), so heapsort's pick of the larger
// child stays a cmov, where a branch would be mispredicted half the time on
// random data; and the sift gives the interpreter's heap.
TEST(JitTier, ASelectInALoopStaysBranchFree) {
  const test::Bytes bytes = test::wat_module("sift_down");
  const std::string code = optimised_ir(bytes, 0, {.assembly = true});
  EXPECT_NE(code.find("cmov"), std::string::npos) << code;
  std::vector<uint8_t> heaps[2];
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    Store store;
    auto inst = store.instantiate(test::compile_tier(bytes, tier), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
    for (size_t i = 1024; i < 1024 + 4096; ++i) mem[i] = uint8_t(i * 97 + i / 7);
    for (uint32_t root = 511; root-- > 0;) {
      const Value args[] = {Value::i32(root), Value::i32(1024)};
      ASSERT_TRUE(store.invoke(store.find_export(*inst, "sift")->func(), args).ok());
    }
    heaps[int(tier)].assign(mem.begin() + 1024, mem.begin() + 1024 + 4096);
  }
  EXPECT_TRUE(heaps[1] == heaps[0]);
}

// A loop ScalarEvolution cannot count but whose addresses step through the
// memory (clang's memcpy loop) gets the copy too, bounded by the memory's
// size (src/jit/charged_loops.cpp, memory_trip_bound).
TEST(JitTier, AMemoryBoundedLoopHasACopyWithoutBudgetChecks) {
  const std::string ir = optimised_ir(test::wat_module("memory_bounded_loop"));
  EXPECT_NE(ir.find(".covered"), std::string::npos) << ir;
}

// The bound is an upper bound: whatever the fuel, the memory-bounded copy
// stops where the interpreter does, with the same memory and the same fuel
// left; a copy that walks off the end of
// the memory, or whose address falls below 0 and wraps, faults at the same
// access on both tiers.
TEST(JitTier, MemoryBoundedLoopsStopWhereTheInterpreterDoes) {
  const test::Bytes bytes = test::wat_module("memory_bounded_loop");
  auto run = [&](Tier tier, uint64_t fuel, const char* name, std::vector<Value> args, std::string* outcome,
                 std::vector<uint8_t>* memory) {
    StoreConfig config;
    config.fuel = fuel;
    Store store(config);
    auto inst = store.instantiate(compile_tier(bytes, tier, /*exact_fuel=*/fuel != 0), nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
    for (size_t i = 0; i < mem.size(); ++i) mem[i] = uint8_t(i * 7 + i / 256);
    auto r = store.invoke(store.find_export(*inst, name)->func(), args);
    *outcome = r.ok() ? (r->empty() ? "ok" : std::to_string((*r)[0].as_u32())) : r.error().message;
    // The fuel left, after a fault too.
    if (fuel) *outcome += ", then " + std::to_string(spins_until_out_of_fuel(store, *inst)) + " spins";
    memory->assign(mem.begin(), mem.end());
  };
  struct Case {
    const char* name;
    std::vector<Value> args;
    const char* expected;  // without fuel
  };
  const Case cases[] = {
      {"copy64", {Value::i32(64), Value::i32(4096), Value::i32(8192)}, "ok"},
      // n = 40: 40 - 64 wraps, and the copy goes on until it faults
      {"copy64", {Value::i32(64), Value::i32(4096), Value::i32(40)}, "out of bounds memory access"},
      {"copy64", {Value::i32(0), Value::i32(32768), Value::i32(0xFFFFFFF0u)}, "out of bounds memory access"},
      {"down32", {Value::i32(4096), Value::i32(2048)}, nullptr},
      {"down32", {Value::i32(96), Value::i32(0xFFFFFFF0u)}, "out of bounds memory access"},
      {"down32", {Value::i32(96), Value::i32(128)}, nullptr},
  };
  for (const Case& c : cases) {
    for (uint64_t fuel : {uint64_t(0), uint64_t(1), uint64_t(5), uint64_t(100), uint64_t(1234), uint64_t(5000),
                          uint64_t(20000), uint64_t(1) << 20}) {
      SCOPED_TRACE(std::string(c.name) + " " + std::to_string(c.args[0].as_u32()) + ", fuel " + std::to_string(fuel));
      std::string outcomes[2];
      std::vector<uint8_t> memories[2];
      for (Tier tier : {Tier::Interp, Tier::Jit})
        run(tier, fuel, c.name, c.args, &outcomes[int(tier)], &memories[int(tier)]);
      if (fuel == 0 && c.expected) EXPECT_EQ(outcomes[0].rfind(c.expected, 0), 0u) << outcomes[0];
      EXPECT_EQ(outcomes[1], outcomes[0]);
      EXPECT_TRUE(memories[1] == memories[0]);
    }
  }
}

// A loop stepping by 2 until i == n has a copy without budget checks, which
// runs only when 2 divides n - i: otherwise i wraps past n and the loop runs
// until the fuel ends, at the interpreter's point (the same memory), or until
// an interruption.
TEST(JitTier, SteppedLoopRunsItsCopyOnlyWhenItExits) {
  const test::Bytes bytes = test::wat_module("stepped_loop");
  for (const auto& [from, to] : std::vector<std::pair<uint32_t, uint32_t>>{
           {0, 600}, {6, 600}, {1, 600}, {0, 601}, {0xFFFFFF00u, 40}, {601, 1}}) {
    for (uint64_t fuel : {50u, 307u, 1000u, 5000u, 100000u}) {
      SCOPED_TRACE(std::to_string(from) + " -> " + std::to_string(to) + ", fuel " + std::to_string(fuel));
      std::vector<uint8_t> memories[2];
      bool ran_out[2] = {};
      for (Tier tier : {Tier::Interp, Tier::Jit}) {
        Store store(StoreConfig{.fuel = fuel});
        auto inst = store.instantiate(compile_tier(bytes, tier), nullptr);
        ASSERT_TRUE(inst.ok()) << inst.error().message;
        Value args[2] = {Value::i32(from), Value::i32(to)};
        auto r = store.invoke(store.find_export(*inst, "walk")->func(), args);
        ran_out[int(tier)] = !r.ok();
        if (!r.ok()) EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
        std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
        memories[int(tier)].assign(mem.begin(), mem.begin() + 1024);
      }
      EXPECT_EQ(ran_out[0], ran_out[1]);
      EXPECT_EQ(memories[0], memories[1]);
    }
  }
  // Odd distance, no fuel: an interruption ends it.
  Store store;
  auto inst = store.instantiate(compile_tier(bytes, Tier::Jit), nullptr);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  std::thread stopper([&store] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    store.interrupt();
  });
  Value args[2] = {Value::i32(1), Value::i32(600)};
  auto r = store.invoke(store.find_export(*inst, "walk")->func(), args);
  stopper.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
  // The copy is there.
  const std::string ir = optimised_ir(bytes);
  EXPECT_NE(ir.find(".covered"), std::string::npos) << ir;
}

// Compiled code reaches its instance's functions and globals through the
// Thread (Thread::jit_funcs/jit_globals), which an entry into another
// instance's compiled code replaces. A host function that calls into such
// code, sees it trap and returns normally must leave the caller's own: the
// caller then reads its own global and names its own functions in a
// backtrace.
TEST(JitTier, InstanceStateIsBackAfterANestedTrap) {
  std::string messages[2];
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    SCOPED_TRACE(int(tier));
    Store store;
    auto other_inst = store.instantiate(compile_tier(test::wat_module("nested_trap_other"), tier), nullptr);
    ASSERT_TRUE(other_inst.ok()) << other_inst.error().message;
    FuncInst* boom = store.find_export(*other_inst, "boom")->func();
    int nested_traps = 0;
    FuncInst* h = store.create_host_function(FuncType{{}, {}}, [&](HostContext& ctx, uint64_t*) {
      auto r = ctx.store->invoke(boom, {});
      nested_traps += !r.ok() && r.error().trap == TrapKind::Unreachable;
      return Expected<void>();  // the trap stays here
    });
    auto inst = store.instantiate(
        compile_tier(test::wat_module("nested_trap_caller"), tier),
        [&](std::string_view, std::string_view) { return std::optional<Extern>(Extern{ExternKind::Func, h}); });
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    auto r = store.invoke(store.find_export(*inst, "run")->func(), {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)[0].as_u32(), 111u);
    r = store.invoke(store.find_export(*inst, "trap")->func(), {});
    ASSERT_FALSE(r.ok());
    messages[int(tier)] = r.error().message;
    EXPECT_EQ(nested_traps, 2);
  }
  EXPECT_EQ(messages[0], "unreachable\n  in function 2\n  called from function 4");
  EXPECT_EQ(messages[1], messages[0]);
}

}  // namespace
}  // namespace wnn
