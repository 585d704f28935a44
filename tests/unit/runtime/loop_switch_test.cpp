// On-stack replacement (src/exec/tiering.h): an activation running a loop on
// the interpreter continues it in compiled code from a back-edge, with values
// on the operand stack below the loop and a loop parameter, and nothing but
// speed changes: results, traps and their backtraces, fuel to the unit.
#include <gtest/gtest.h>

#include <string>

#include "../valid/module_builder.h"
#include "exec/tiering.h"
#include "valid/compiled_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using valid::test::ModuleBuilder;
using enum ValType;

// (func $run (param $n i32) (param $k i32) (result i64) (local $i i32) (local $acc i64)
//   v128.const i64x2 5 6  i64.const 1000  f64.const 2.5   ;; below the loop
//   i32.const 7                                            ;; its parameter p
//   loop (param i32) (result i32)
//     local.get $acc  i64.const 31  i64.mul  local.get $i  i64.extend_i32_u  i64.add  local.set $acc
//     i32.const 100  local.get $k  local.get $i  i32.sub  i32.div_u  drop  ;; traps when i == k
//     local.get $i  i32.xor                                                 ;; p ^= i
//     local.get $i  i32.const 1  i32.add  local.tee $i  local.get $n  i32.lt_u
//     br_if 0
//   end
//   i64.extend_i32_u  local.get $acc  i64.add  local.set $acc              ;; acc += p
//   i64.trunc_f64_s  i64.add  local.get $acc  i64.add  local.set $acc      ;; acc += 1000 + 2
//   i64x2.extract_lane 1  local.get $acc  i64.add)                         ;; acc + 6
// (func $outer (export "run") (param i32 i32) (result i64)
//   local.get 0  local.get 1  call $run)
std::vector<uint8_t> osr_module() {
  ModuleBuilder b;
  const uint32_t tf = b.type({I32, I32}, {I64});
  const uint32_t tl = b.type({I32}, {I32});
  std::vector<uint8_t> run = {0xFD, 0x0C, 5, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0x42, 0xE8, 0x07, 0x44};
  const std::vector<uint8_t> f64_2_5 = {0, 0, 0, 0, 0, 0, 0x04, 0x40};
  run.insert(run.end(), f64_2_5.begin(), f64_2_5.end());
  const std::vector<uint8_t> rest = {
      0x41, 7,    0x03, uint8_t(tl), 0x20, 3,    0x42, 31,   0x7E, 0x20, 2,    0xAD, 0x7C, 0x21, 3,    0x41,
      0xE4, 0x00, 0x20, 1,           0x20, 2,    0x6B, 0x6E, 0x1A, 0x20, 2,    0x73, 0x20, 2,    0x41, 1,
      0x6A, 0x22, 2,    0x20,        0,    0x49, 0x0D, 0,    0x0B, 0xAD, 0x20, 3,    0x7C, 0x21, 3,    0xB0,
      0x7C, 0x20, 3,    0x7C,        0x21, 3,    0xFD, 0x1D, 1,    0x20, 3,    0x7C, 0x0B};
  run.insert(run.end(), rest.begin(), rest.end());
  const uint32_t f = b.func(tf, run, {{1, I32}, {1, I64}});
  b.export_func("run", b.func(tf, {0x20, 0, 0x20, 1, 0x10, uint8_t(f), 0x0B}));
  return b.build();
}

struct Runner {
  Runner(Tier tier, TieringOptions tiering = {}, uint64_t fuel = 0) : store(StoreConfig{.fuel = fuel}) {
    CompileOptions o;
    o.tier = tier;
    o.tiering = tiering;
    auto m = compile(osr_module(), o);
    EXPECT_TRUE(m.ok()) << m.error().message;
    if (!m.ok()) return;
    module = *m;
    auto inst = store.instantiate(module, nullptr);
    EXPECT_TRUE(inst.ok()) << inst.error().message;
    run = store.find_export(*inst, "run")->func();
  }
  // The result, or the error's message (backtrace included).
  std::string call(uint32_t n, uint32_t k) {
    Value args[2] = {Value::i32(n), Value::i32(k)};
    auto r = store.invoke(run, args);
    return r.ok() ? std::to_string((*r)[0].as_u64()) : "error: " + r.error().message;
  }
  uint32_t loop_switches() const { return module->tier->loop_switch_count(); }
  std::shared_ptr<const CompiledModule> module;
  Store store;
  FuncInst* run = nullptr;
};

// A synchronous compile when run's loop is hot: after 1 .. 2000 charged
// instructions, i.e. in a different iteration for each chunk.
TieringOptions switch_after(uint32_t chunk) { return {.hot_samples = 1, .sample_chunk = chunk, .synchronous = true}; }

TEST(LoopSwitch, ContinuesTheLoopWithTheOperandStackAndItsParameter) {
  const std::string want = Runner(Tier::Interp).call(5000, ~0u);
  for (uint32_t chunk : {1u, 7u, 100u, 2000u}) {
    Runner tiered(Tier::Auto, switch_after(chunk));
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(tiered.call(5000, ~0u), want) << "chunk " << chunk;
    // One switch, in the middle of the only call of run.
    EXPECT_EQ(tiered.loop_switches(), 1u) << "chunk " << chunk;
    EXPECT_EQ(tiered.module->tier->loop_entry_count(), 1u);
  }
}

TEST(LoopSwitch, TrapAfterTheSwitchHasTheInterpretersBacktrace) {
  const std::string want = Runner(Tier::Interp).call(100000, 4000);
  EXPECT_EQ(want, "error: integer divide by zero\n  in function 0\n  called from function 1");
  for (uint32_t chunk : {1u, 100u, 2000u}) {
    Runner tiered(Tier::Auto, switch_after(chunk));
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(tiered.call(100000, 4000), want) << "chunk " << chunk;
    EXPECT_EQ(tiered.loop_switches(), 1u) << "chunk " << chunk;
  }
}

// The least fuel with which run(3000) completes on the interpreter: with one
// unit less, both tiers stop with the same trap, with that much both finish.
TEST(LoopSwitch, FuelIsExactAcrossTheSwitch) {
  auto completes = [](uint64_t fuel) { return !Runner(Tier::Interp, {}, fuel).call(3000, ~0u).starts_with("error"); };
  uint64_t lo = 1, hi = 1 << 20;  // completes(hi), !completes(lo)
  ASSERT_TRUE(completes(hi));
  while (hi - lo > 1) (completes((lo + hi) / 2) ? hi : lo) = (lo + hi) / 2;
  const std::string want = Runner(Tier::Interp, {}, hi).call(3000, ~0u);
  const std::string short_by_one = Runner(Tier::Interp, {}, hi - 1).call(3000, ~0u);
  EXPECT_EQ(short_by_one, "error: all fuel consumed\n  in function 0\n  called from function 1");
  for (uint32_t chunk : {1u, 7u, 100u, 2000u}) {
    Runner enough(Tier::Auto, switch_after(chunk), hi);
    if (!enough.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(enough.call(3000, ~0u), want) << "chunk " << chunk;
    EXPECT_EQ(enough.loop_switches(), 1u) << "chunk " << chunk;
    Runner short_one(Tier::Auto, switch_after(chunk), hi - 1);
    EXPECT_EQ(short_one.call(3000, ~0u), short_by_one) << "chunk " << chunk;
    EXPECT_EQ(short_one.loop_switches(), 1u) << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace wnn
