// On-stack replacement (src/exec/tiering.h): an activation running a loop on
// the interpreter continues it in compiled code from a back-edge, with values
// on the operand stack below the loop and a loop parameter, and nothing but
// speed changes: results, traps and their backtraces, fuel to the unit.
#include <gtest/gtest.h>

#include <string>

#include "exec/op_info.h"
#include "exec/tiering.h"
#include "valid/compiled_module.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

// wat/loop_switch.wat: run(n, k) calls $run, whose loop has a v128, an i64
// and an f64 on the operand stack below it and an i32 parameter, and traps
// when i == k.
std::vector<uint8_t> osr_module() { return test::wat_module("loop_switch"); }

struct SwitchRun {
  SwitchRun(Tier tier, TieringOptions tiering = {}, uint64_t fuel = 0) : store(StoreConfig{.fuel = fuel}) {
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
  const std::string want = SwitchRun(Tier::Interp).call(5000, ~0u);
  for (uint32_t chunk : {1u, 7u, 100u, 2000u}) {
    SwitchRun tiered(Tier::Auto, switch_after(chunk));
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(tiered.call(5000, ~0u), want) << "chunk " << chunk;
    // One switch, in the middle of the only call of run.
    EXPECT_EQ(tiered.loop_switches(), 1u) << "chunk " << chunk;
    EXPECT_EQ(tiered.module->tier->loop_entry_count(), 1u);
  }
}

TEST(LoopSwitch, TrapAfterTheSwitchHasTheInterpretersBacktrace) {
  const std::string want = SwitchRun(Tier::Interp).call(100000, 4000);
  EXPECT_EQ(want, "error: integer divide by zero\n  in function 0\n  called from function 1");
  for (uint32_t chunk : {1u, 100u, 2000u}) {
    SwitchRun tiered(Tier::Auto, switch_after(chunk));
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(tiered.call(100000, 4000), want) << "chunk " << chunk;
    EXPECT_EQ(tiered.loop_switches(), 1u) << "chunk " << chunk;
  }
}

// The least fuel with which run(3000) completes on the interpreter: with one
// unit less, both tiers stop with the same trap, with that much both finish.
TEST(LoopSwitch, FuelIsExactAcrossTheSwitch) {
  auto completes = [](uint64_t fuel) {
    return !SwitchRun(Tier::Interp, {}, fuel).call(3000, ~0u).starts_with("error");
  };
  uint64_t lo = 1, hi = 1 << 20;  // completes(hi), !completes(lo)
  ASSERT_TRUE(completes(hi));
  while (hi - lo > 1) (completes((lo + hi) / 2) ? hi : lo) = (lo + hi) / 2;
  const std::string want = SwitchRun(Tier::Interp, {}, hi).call(3000, ~0u);
  const std::string short_by_one = SwitchRun(Tier::Interp, {}, hi - 1).call(3000, ~0u);
  EXPECT_EQ(short_by_one, "error: all fuel consumed\n  in function 0\n  called from function 1");
  for (uint32_t chunk : {1u, 7u, 100u, 2000u}) {
    SwitchRun enough(Tier::Auto, switch_after(chunk), hi);
    if (!enough.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(enough.call(3000, ~0u), want) << "chunk " << chunk;
    EXPECT_EQ(enough.loop_switches(), 1u) << "chunk " << chunk;
    SwitchRun short_one(Tier::Auto, switch_after(chunk), hi - 1);
    EXPECT_EQ(short_one.call(3000, ~0u), short_by_one) << "chunk " << chunk;
    EXPECT_EQ(short_one.loop_switches(), 1u) << "chunk " << chunk;
  }
}

// A Quick loop entry that stays hot gets a Full one, to which the running
// activation switches at a back-edge (from compiled code: the Quick entry
// writes its values to the frame's canonical slots): after two samples of
// the Quick entry, i.e. at a different iteration for each chunk.
TieringOptions full_after(uint32_t chunk) {
  return {
      .hot_samples = 1, .sample_chunk = chunk, .synchronous = true, .first_level = JitLevel::Quick, .full_samples = 2};
}

TEST(LoopSwitch, QuickEntryStillHotSwitchesToTheFullEntry) {
  const std::string want = SwitchRun(Tier::Interp).call(20000, ~0u);
  for (uint32_t chunk : {1u, 7u, 100u, 2000u}) {
    SwitchRun tiered(Tier::Auto, full_after(chunk));
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(tiered.call(20000, ~0u), want) << "chunk " << chunk;
    EXPECT_EQ(tiered.loop_switches(), 1u) << "chunk " << chunk;
    EXPECT_EQ(tiered.module->tier->full_loop_entry_count(), 1u) << "chunk " << chunk;
    EXPECT_EQ(tiered.module->tier->loop_upgrade_count(), 1u) << "chunk " << chunk;
  }
}

// n large enough that the loop's charges exceed what reserve_budget covers:
// its compiled copy with the checks runs, and refills, to the switch.
TEST(LoopSwitch, TrapAfterTheSwitchToTheFullEntryHasTheInterpretersBacktrace) {
  const std::string want = SwitchRun(Tier::Interp).call(2000000, 1900000);
  EXPECT_EQ(want, "error: integer divide by zero\n  in function 0\n  called from function 1");
  for (uint32_t chunk : {1u, 100u, 2000u}) {
    SwitchRun tiered(Tier::Auto, full_after(chunk));
    if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(tiered.call(2000000, 1900000), want) << "chunk " << chunk;
    EXPECT_EQ(tiered.module->tier->loop_upgrade_count(), 1u) << "chunk " << chunk;
  }
}

// As FuelIsExactAcrossTheSwitch, across both switches (interpreter ->
// Quick entry -> Full entry).
TEST(LoopSwitch, FuelIsExactAcrossTheSwitchToTheFullEntry) {
  auto completes = [](uint64_t fuel) {
    return !SwitchRun(Tier::Interp, {}, fuel).call(3000, ~0u).starts_with("error");
  };
  uint64_t lo = 1, hi = 1 << 20;  // completes(hi), !completes(lo)
  ASSERT_TRUE(completes(hi));
  while (hi - lo > 1) (completes((lo + hi) / 2) ? hi : lo) = (lo + hi) / 2;
  const std::string want = SwitchRun(Tier::Interp, {}, hi).call(3000, ~0u);
  const std::string short_by_one = SwitchRun(Tier::Interp, {}, hi - 1).call(3000, ~0u);
  for (uint32_t chunk : {1u, 7u, 100u}) {
    SwitchRun enough(Tier::Auto, full_after(chunk), hi);
    if (!enough.module->tier) GTEST_SKIP() << "no compiler tier in this build";
    EXPECT_EQ(enough.call(3000, ~0u), want) << "chunk " << chunk;
    EXPECT_EQ(enough.module->tier->loop_upgrade_count(), 1u) << "chunk " << chunk;
    SwitchRun short_one(Tier::Auto, full_after(chunk), hi - 1);
    EXPECT_EQ(short_one.call(3000, ~0u), short_by_one) << "chunk " << chunk;
    EXPECT_EQ(short_one.module->tier->loop_upgrade_count(), 1u) << "chunk " << chunk;
  }
}

// Code with the instructions that enter compiled code walks to its end by
// op_info like any other: a compiled function's code is one jit_enter, a
// published loop entry one jit_enter_loop naming its loop's module offset.
TEST(LoopSwitch, CodeThatEntersCompiledCodeHasLayouts) {
  SwitchRun tiered(Tier::Auto, switch_after(100));
  if (!tiered.module->tier) GTEST_SKIP() << "no compiler tier in this build";
  EXPECT_EQ(tiered.call(5000, ~0u), SwitchRun(Tier::Interp).call(5000, ~0u));
  ASSERT_EQ(tiered.module->code[0].loops.size(), 1u);
  const uint32_t loop = tiered.module->code[0].loops[0].wasm_offset;
  const exec::Word* w = tiered.module->tier->loop_entry(0, loop);
  ASSERT_NE(w, nullptr);
  const exec::OpInfo* op = exec::op_info(w->h);
  ASSERT_NE(op, nullptr);
  EXPECT_STREQ(op->name, "jit_enter_loop");
  EXPECT_EQ(op->words(w), 3u);
  EXPECT_EQ(exec::layout::JitEnterLoop::read(w).loop, loop);
  EXPECT_NE(exec::layout::JitEnterLoop::read(w).entry, 0u);
  EXPECT_TRUE(exec::format_operands(w, op->words(w), 0).ends_with(" loop=" + std::to_string(loop)));
  EXPECT_EQ(tiered.module->tier->loop_entry(0, loop + 1), nullptr);

  CompileOptions o;
  o.tier = Tier::Jit;
  auto jit = compile(osr_module(), o);
  ASSERT_TRUE(jit.ok()) << jit.error().message;
  for (const exec::FunctionCode& fc : (*jit)->code) {
    size_t i = 0, n = 0;
    for (; i < fc.code.size(); ++n) {
      const exec::OpInfo* info = exec::op_info(fc.code[i].h);
      ASSERT_NE(info, nullptr) << "word " << i;
      EXPECT_STREQ(info->name, "jit_enter");
      EXPECT_TRUE(exec::format_operands(fc.code.data(), fc.code.size(), i).starts_with(" entry=0x"));
      i += info->words(&fc.code[i]);
    }
    EXPECT_EQ(i, fc.code.size());
    EXPECT_EQ(n, 1u);
  }
}

}  // namespace
}  // namespace wnn
