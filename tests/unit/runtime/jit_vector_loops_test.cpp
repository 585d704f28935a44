// A guest's one-vector-per-iteration SIMD loop on the compiler tier: its
// charge-free copy takes four vectors per step (src/jit/vector_loops.cpp),
// with a remainder loop for the rest, and computes what the interpreter does
// for every count, with and without fuel.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "jit_test_support.h"
#include "wat_module.h"

namespace wnn {
namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Four multiplies in the copy's step, one in the remainder loop, one in the
// loop with charges (LLVM's own unrolling on x86 stops at two).
TEST(JitVectorLoops, TheCopyStepsFourVectors) {
  const std::string ir = test::optimised_ir(test::wat_module("vector_loops"), /*axpy4*/ 0);
  const size_t copy = ir.find("covered:");
  ASSERT_NE(copy, std::string::npos) << ir;
  const std::string step = ir.substr(copy, ir.find("\n\n", copy) - copy);
  EXPECT_EQ(count(step, "constrained.fmul.v4f32("), 4u) << step;
  EXPECT_EQ(count(step, "store <4 x float>"), 4u) << step;
  EXPECT_EQ(count(ir, "constrained.fmul.v4f32("), 6u) << ir;
}

TEST(JitVectorLoops, EveryCountComputesWhatTheInterpreterDoes) {
  const test::Bytes bytes = test::wat_module("vector_loops");
  float a = 1.5f;
  uint32_t a_bits;
  std::memcpy(&a_bits, &a, 4);
  auto fill = [](std::span<uint8_t> mem) {
    for (size_t i = 0; i < 8192; i += 4) {
      const float v = float(i % 97) * 0.25f - 3.0f;
      std::memcpy(&mem[i], &v, 4);
    }
  };
  for (uint32_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 63u, 64u, 65u})
    for (uint64_t fuel : {uint64_t(0), uint64_t(1234)}) {
      SCOPED_TRACE("axpy4(4096, 16, " + std::to_string(n) + "), fuel " + std::to_string(fuel));
      std::string outcomes[2];
      std::vector<uint8_t> memories[2];
      for (Tier tier : {Tier::Interp, Tier::Jit})
        test::call_on_tier(bytes, "axpy4", {4096, 16, n, a_bits}, tier, fuel, fill, &outcomes[int(tier)],
                           &memories[int(tier)]);
      EXPECT_EQ(outcomes[1], outcomes[0]);
      EXPECT_TRUE(memories[1] == memories[0]) << "the memories differ";
      if (fuel == 0) EXPECT_EQ(outcomes[0], "ok");
    }
}

}  // namespace
}  // namespace wnn
