// Translated code run end to end (compile, instantiate in a Store, invoke):
// the cases where the translator's lazy local.get, result patching and
// branch copies could go wrong. The modules are wat/*.wat.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "module_runner.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using R = std::vector<uint64_t>;

TEST(Execution, LoopSum) {
  Runner run(wat_module("loop_sum"));
  EXPECT_EQ(run.call_i32("f", {100}), R{5050});
  EXPECT_EQ(run.call_i32("f", {0}), R{0});
  EXPECT_EQ(run.call_i32("f", {1}), R{1});
}

TEST(Execution, LoopWithParams) {
  Runner run(wat_module("loop_with_params"));
  EXPECT_EQ(run.call_i32("f", {10}), R{55});
  EXPECT_EQ(run.call_i32("f", {0}), R{0});
}

TEST(Execution, MultiValueBlockWithParams) {
  Runner run(wat_module("multi_value_block"));
  EXPECT_EQ(run.call_i32("f", {10, 3}), (R{13, 7}));
}

TEST(Execution, IfElseWithParams) {
  Runner run(wat_module("if_else_params"));
  EXPECT_EQ(run.call_i32("f", {10, 3, 1}), R{13});
  EXPECT_EQ(run.call_i32("f", {10, 3, 0}), R{7});
}

TEST(Execution, BrTableWithValue) {
  Runner run(wat_module("br_table_value"));
  for (const char* value : {"constant", "local"}) {
    SCOPED_TRACE(value);
    EXPECT_EQ(run.call_i32(value, {0, 100}), R{1111});
    EXPECT_EQ(run.call_i32(value, {1, 100}), R{1110});
    EXPECT_EQ(run.call_i32(value, {2, 100}), R{1100});
    EXPECT_EQ(run.call_i32(value, {3, 100}), R{100});
    EXPECT_EQ(run.call_i32(value, {0xFFFFFFFF, 100}), R{100});
  }
}

TEST(Execution, BrTableOnASumOrALoadedByte) {
  {
    Runner run(wat_module("br_table_sum"));
    EXPECT_EQ(run.call_i32("f", {5}), R{10});
    EXPECT_EQ(run.call_i32("f", {6}), R{20});
    EXPECT_EQ(run.call_i32("f", {7}), R{30});
    EXPECT_EQ(run.call_i32("f", {4}), R{30});  // -1: the default
  }
  {
    Runner run(wat_module("br_table_load8"));
    EXPECT_EQ(run.call_i32("f", {0}), R{10});
    EXPECT_EQ(run.call_i32("f", {1}), R{20});
    EXPECT_EQ(run.call_i32("f", {3}), R{30});
  }
}

TEST(Execution, LocalTeeChain) {
  Runner run(wat_module("local_tee_chain"));
  EXPECT_EQ(run.call_i32("f", {7}), (R{21, 50}));
}

TEST(Execution, SwapThroughTheStack) {
  Runner run(wat_module("swap_through_stack"));
  EXPECT_EQ(run.call_i32("swap", {1, 2}), (R{2, 1}));
  EXPECT_EQ(run.call_i32("rot", {1, 2, 3}), (R{3, 1, 2}));
}

TEST(Execution, StackValueKeepsTheOldLocalValue) {
  struct Case {
    const char* what;  // the export
    R want;            // for an argument of 5
  };
  const std::vector<Case> cases = {{"block", {5, 42}},  {"loop", {5, 42}},     {"if", {5, 42}},
                                   {"else", {5, 42}},   {"add", {5, 3}},       {"tee", {12, 7}},
                                   {"nested", {5, 42}}, {"two refs", {10, 9}}, {"param", {5, 42}}};
  Runner run(wat_module("stack_value_old_local"));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(run.call_i32(c.what, {5}), c.want);
  }
}

TEST(Execution, BrIfFallthroughKeepsItsValues) {
  Runner run(wat_module("br_if_fallthrough"));
  EXPECT_EQ(run.call_i32("one", {5, 1}), R{5});
  EXPECT_EQ(run.call_i32("one", {5, 0}), R{12});
  EXPECT_EQ(run.call_i32("two", {1}), (R{2, 3}));
  EXPECT_EQ(run.call_i32("two", {0}), (R{1, 5}));
  EXPECT_EQ(run.call_i32("outer", {10, 1}), R{10});
  EXPECT_EQ(run.call_i32("outer", {10, 0}), R{15});
  EXPECT_EQ(run.call_i32("ret", {3, 10, 1}), (R{10, 3}));
  EXPECT_EQ(run.call_i32("ret", {3, 10, 0}), (R{7, 42}));
  EXPECT_EQ(run.call_i32("loop", {4}), R{0});
}

TEST(Execution, ReturnOfSwappedLocals) {
  Runner run(wat_module("return_swapped_locals"));
  EXPECT_EQ(run.call_i32("ret", {1, 2}), (R{2, 1}));
  EXPECT_EQ(run.call_i32("end", {1, 2}), (R{2, 1}));
  EXPECT_EQ(run.call_i32("extra", {1, 2}), (R{2, 1}));
  EXPECT_EQ(run.call_i32("rot1", {1, 2, 3}), (R{3, 1, 2}));
  EXPECT_EQ(run.call_i32("rot2", {1, 2, 3}), (R{2, 3, 1}));
  EXPECT_EQ(run.call_i32("dup", {1, 2}), (R{2, 2, 1}));
  EXPECT_EQ(run.call_i32("br", {1, 2}), (R{2, 1}));
}

TEST(Execution, CallsKeepTheCallersStack) {
  Runner run(wat_module("calls_keep_stack"));
  EXPECT_EQ(run.call_i32("f", {3}), R{19});
  EXPECT_EQ(run.call_i32("g", {1, 5}), R{24});
}

// Fused forms: an i32.add folded into the load that uses it keeps Wasm's
// 32-bit wrap-around of the address; base + (i << k) in one instruction.
TEST(Execution, FusedAddressArithmetic) {
  Runner load(wat_module("fused_load"));
  EXPECT_EQ(load.call_i32("f", {50, 50}), (R{0x01020304}));
  EXPECT_EQ(load.call_i32("f", {0xFFFFFFFF, 101}), (R{0x01020304}));  // wraps to 100
  EXPECT_EQ(load.call_i32("f", {98, 0}), (R{0x03040000}));
  Runner shift(wat_module("fused_shift"));
  EXPECT_EQ(shift.call_i32("right", {100, 3}), (R{112}));
  EXPECT_EQ(shift.call_i32("right", {1, 0x40000001}), (R{5}));  // the shift wraps too
  EXPECT_EQ(shift.call_i32("left", {100, 3}), (R{112}));
  EXPECT_EQ(shift.call_i32("both", {3}), (R{12}));
}

}  // namespace
}  // namespace wnn::valid::test
