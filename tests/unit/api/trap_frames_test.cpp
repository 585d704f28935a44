// Trap frames as data (Error::trace): the frames of a nested trap, innermost
// first, with the function's index, name and code offset; through a host
// function that called back into wasm, the nested frames come first.
#include <gtest/gtest.h>

#include "api_test_util.h"
#include "wnn/typed.h"

namespace wnn {
namespace {

using api_test::export_func;
using api_test::load;

struct Frames {
  Store store;
  Instance* inst = nullptr;
  FuncInst* reenter = nullptr;

  explicit Frames(Tier tier = Tier::Interp) {
    // Calls "outer" back with its argument: a trap there is passed on.
    reenter = wrap(
        store,
        [this](int32_t x) -> Expected<int32_t> {
          auto outer = typed<int32_t(int32_t)>(store, export_func(store, inst, "outer"));
          if (!outer) return std::move(outer).error();
          return outer->call(x);
        },
        "reenter");
    auto module = load("frames", tier);
    if (!module) return;
    auto i = store.instantiate(
        module, [&](std::string_view, std::string_view) { return std::optional(Extern{ExternKind::Func, reenter}); });
    EXPECT_TRUE(i) << i.error().message;
    if (i) inst = *i;
  }
};

void expect_wasm_frame(const TrapFrame& f, uint32_t index, const char* name) {
  EXPECT_FALSE(f.host) << name;
  EXPECT_EQ(f.func_index, index) << name;
  EXPECT_EQ(f.func_name, name);
  EXPECT_GT(f.code_offset, 0u) << name;
}

class TrapFramesOnEachTier : public ::testing::TestWithParam<Tier> {};

TEST_P(TrapFramesOnEachTier, ANestedTrapListsEveryFrameInnermostFirst) {
  Frames t(GetParam());
  ASSERT_TRUE(t.inst);
  EXPECT_EQ(t.store.invoke(export_func(t.store, t.inst, "outer"), std::vector{Value::i32(1)}).value()[0].as_u32(), 1u);
  auto r = t.store.invoke(export_func(t.store, t.inst, "outer"), std::vector{Value::i32(0)});
  ASSERT_FALSE(r);
  const Error& e = r.error();
  EXPECT_EQ(e.trap, TrapKind::IntegerDivideByZero);
  ASSERT_EQ(e.trace.size(), 3u) << e.message;
  expect_wasm_frame(e.trace[0], 1, "inner");
  expect_wasm_frame(e.trace[1], 2, "middle");
  expect_wasm_frame(e.trace[2], 3, "outer");
  // Functions in module order: each code entry starts after the previous one.
  EXPECT_LT(e.trace[0].code_offset, e.trace[1].code_offset);
  EXPECT_LT(e.trace[1].code_offset, e.trace[2].code_offset);
  // The message says the same, as before.
  EXPECT_EQ(e.message,
            "integer divide by zero\n  in function 1 \"inner\"\n  called from function 2 \"middle\"\n"
            "  called from function 3 \"outer\"");
}

TEST_P(TrapFramesOnEachTier, ATrapPassedOnByAHostFunctionKeepsItsNestedFramesFirst) {
  Frames t(GetParam());
  ASSERT_TRUE(t.inst);
  auto r = t.store.invoke(export_func(t.store, t.inst, "via_host"), std::vector{Value::i32(0)});
  ASSERT_FALSE(r);
  const Error& e = r.error();
  EXPECT_EQ(e.trap, TrapKind::IntegerDivideByZero);
  ASSERT_EQ(e.trace.size(), 5u) << e.message;
  expect_wasm_frame(e.trace[0], 1, "inner");
  expect_wasm_frame(e.trace[1], 2, "middle");
  expect_wasm_frame(e.trace[2], 3, "outer");
  EXPECT_TRUE(e.trace[3].host);
  EXPECT_EQ(e.trace[3].func_name, "reenter");
  EXPECT_EQ(e.trace[3].code_offset, 0u);
  expect_wasm_frame(e.trace[4], 4, "via_host");
}

INSTANTIATE_TEST_SUITE_P(Tiers, TrapFramesOnEachTier, ::testing::Values(Tier::Interp, Tier::Jit),
                         [](const auto& info) { return info.param == Tier::Jit ? "Jit" : "Interp"; });

TEST(TrapFrames, ErrorsThatAreNotTrapsHaveNoFrames) {
  Frames t;
  ASSERT_TRUE(t.inst);
  auto r = t.store.invoke(export_func(t.store, t.inst, "outer"), std::vector{Value::i64(0)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_TRUE(r.error().trace.empty());
}

}  // namespace
}  // namespace wnn
