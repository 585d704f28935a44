// Lane loads addressed by a vector induction variable on the compiler tier
// (src/jit/lane_inductions.cpp, src/jit/fault_free_loops.cpp): the lanes
// become scalar recurrences, and where no load can fault a group's byte loads
// become wide loads taken apart by shuffles. Results, traps, the memory at a
// trap and the fuel left are the interpreter's, also when a store overlaps
// the loads (the volatile loop) or writes a byte the group loads later.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "jit_test_support.h"

namespace wnn {
namespace {

using test::compile_tier;

struct Case {
  const char* name;
  std::vector<uint32_t> args;
  const char* expected;  // the interpreter's outcome's start without fuel: "ok" or a trap
};

void run(const Case& c, Tier tier, uint64_t fuel, std::string* outcome, std::vector<uint8_t>* memory) {
  test::call_on_tier(
      test::wat_module("lane_loads"), c.name, c.args, tier, fuel,
      [](std::span<uint8_t> mem) {
        for (size_t i = 0; i < mem.size(); ++i) mem[i] = uint8_t(i * 29 + i / 251);
      },
      outcome, memory);
}

TEST(JitLaneLoads, DeinterleavingKeepsTheInterpretersMeaning) {
  constexpr uint32_t kEnd = 65536;
  const Case cases[] = {
      {"deinterleave", {16384, 0, 1000}, "ok"},                     // apart: the copy with wide loads
      {"deinterleave", {8192, 5, 1}, "ok"},                        // one group
      {"deinterleave", {0, kEnd - 12 * 40, 40}, "ok"},             // its last byte is the memory's
      {"deinterleave", {0, kEnd - 12 * 40 + 1, 40}, "out of bounds"},  // the last lane load faults
      {"deinterleave", {0, kEnd - 12 * 40 + 10, 40}, "out of bounds"}, // channel 0's fourth lane faults
      {"deinterleave", {4096, 0xFFFFFFF4u, 3}, "out of bounds"},   // the first addresses wrap
      {"deinterleave", {0, 0, 300}, "ok"},                         // in place: stores feed later loads
      {"deinterleave", {4, 0, 300}, "ok"},
      {"deinterleave", {kEnd - 48 * 10, 0, 20}, "out of bounds"},  // a store faults
      {"deinterleave_poke", {16384, 0, 1000}, "ok"},
      {"deinterleave_poke", {0, kEnd - 12 * 40 + 1, 40}, "out of bounds"},
  };
  for (const Case& c : cases)
    for (uint64_t fuel : {uint64_t(0), uint64_t(2345)}) {
      SCOPED_TRACE(std::string(c.name) + "(" + std::to_string(c.args[0]) + ", " + std::to_string(c.args[1]) + ", " +
                   std::to_string(c.args[2]) + "), fuel " + std::to_string(fuel));
      std::string outcomes[2];
      std::vector<uint8_t> memories[2];
      for (Tier tier : {Tier::Interp, Tier::Jit}) run(c, tier, fuel, &outcomes[int(tier)], &memories[int(tier)]);
      if (fuel == 0) EXPECT_EQ(outcomes[0].rfind(c.expected, 0), 0u) << outcomes[0];
      EXPECT_EQ(outcomes[1], outcomes[0]);
      EXPECT_TRUE(memories[1] == memories[0]) << "the memories differ";
    }
}

// The loop's copy loads the twelve bytes of four pixels with one 8-byte and
// one 4-byte plain load; no lane of the vector induction variable is
// extracted there any more. (In the loop with charges, which keeps its
// volatile byte loads, the SLP vectoriser makes the lanes a vector again.)
TEST(JitLaneLoads, FourPixelsAreTwoWideLoads) {
  const std::string ir = test::optimised_ir(test::wat_module("lane_loads"), /*deinterleave*/ 0);
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(= load (i64|<8 x i8>), ptr [^\n]*!alias\.scope)"))) << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(= load (i32|<4 x i8>), ptr [^\n]*!alias\.scope)"))) << ir;
  const size_t copy = ir.find("covered:");
  ASSERT_NE(copy, std::string::npos) << ir;
  const std::string copy_block = ir.substr(copy, ir.find("\n\n", copy) - copy);
  EXPECT_EQ(copy_block.find("extractelement <4 x i32>"), std::string::npos) << copy_block;
  EXPECT_EQ(copy_block.find("load i8"), std::string::npos) << copy_block;
  EXPECT_NE(ir.find("load volatile i8"), std::string::npos) << ir;  // the loop for every other case
}

// A store into the group between its loads keeps them apart (plain, but not
// merged above the store).
TEST(JitLaneLoads, AStoreBetweenTheLoadsKeepsThemApart) {
  const std::string ir = test::optimised_ir(test::wat_module("lane_loads"), /*deinterleave_poke*/ 1);
  EXPECT_FALSE(std::regex_search(ir, std::regex(R"(= load (i64|<8 x i8>), ptr [^\n]*!alias\.scope)"))) << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(= load i8, ptr [^\n]*!alias\.scope)"))) << ir;
}

}  // namespace
}  // namespace wnn
