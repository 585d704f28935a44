// The compiler tier (src/jit) next to the interpreter: modules compiled for
// either tier call each other through imports and host functions, with the
// same results, traps and backtraces as when both are interpreted.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "compile_checks.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

std::shared_ptr<const CompiledModule> compile_tier(const std::vector<uint8_t>& bytes, Tier tier) {
  CompileOptions o;
  o.tier = tier;
  auto r = compile(bytes, o);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : nullptr;
}

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
    r = store.invoke(store.find_export(*inst, "spin")->func(), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
    std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
    std::memcpy(&spins[int(tier)], mem.data(), 4);
  }
  EXPECT_EQ(messages[0], messages[1]);
  EXPECT_GT(spins[0], 1000u);
  EXPECT_EQ(spins[0], spins[1]);
}

}  // namespace
}  // namespace wnn
