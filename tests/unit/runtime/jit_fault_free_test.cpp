// Counted loops whose memory accesses the compiler tier makes plain (src/jit/
// fault_free_loops.cpp): only when no access can fault and the groups that
// store cannot overlap the others. Every other case keeps the volatile loop,
// so results, traps, memory at a trap and fuel (after a fault too) are the
// interpreter's.
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
  const char* expected;  // the interpreter's outcome without fuel: "ok", a sum, a trap's first line, or "all fuel":
                         // runs only with fuel
};

// One call on `tier` with `fuel` (0: none), memory filled with a pattern
// first: its outcome (then how far the fuel left would spin) and the memory.
void run(const Case& c, Tier tier, uint64_t fuel, std::string* outcome, std::vector<uint8_t>* memory) {
  test::call_on_tier(
      test::wat_module("fault_free_loop"), c.name, c.args, tier, fuel,
      [](std::span<uint8_t> mem) {
        for (size_t i = 0; i < mem.size(); ++i) mem[i] = uint8_t(i * 13 + i / 256);
      },
      outcome, memory);
}

TEST(JitFaultFree, LoopsKeepTheInterpretersMeaning) {
  constexpr uint32_t kEnd = 65536;
  const Case cases[] = {
      {"copy", {4096, 0, 4096}, "ok"},                     // apart, inside: the plain copy
      {"copy", {1, 0, 1024}, "ok"},                        // overlapping forward: smears mem8[0]
      {"copy", {0, 1, 1024}, "ok"},                        // overlapping backward
      {"copy", {kEnd - 256, 0, 256}, "ok"},                // ends at the memory's last byte
      {"copy", {kEnd - 1000, 0, 2048}, "out of bounds"},   // stores 1000 bytes, then faults
      {"copy", {0, kEnd - 996, 2048}, "out of bounds"},    // a load faults first
      {"copy", {0xFFFFFFF8u, 0, 16}, "out of bounds"},     // the address wraps
      {"sum_down", {1000, 1001}, nullptr},                  // down to address 0
      {"sum_down", {1000, 1002}, "out of bounds"},         // one below 0
      {"sum_down", {kEnd - 1, 4096}, nullptr},
      {"sum_down", {kEnd, 8}, "out of bounds"},
      {"merge_copy", {4096, 1, 1024}, "ok"},               // counted by a threshold: 127 trips
      {"merge_copy", {4096, 1, 16}, "ok"},                 // one trip
      {"merge_copy", {4096, 1, 3}, "out of bounds"},       // 3 - 8 wraps: a count of 2^29 trips
      {"merge_copy", {0, 1, 1024}, "ok"},                  // overlapping: each store feeds a later load
      {"merge_copy", {kEnd - 504, 0, 1024}, "out of bounds"},
      {"words", {4096, 0, 64}, "ok"},                      // 48, 32, 16, 0: four trips
      {"words", {4096, 8192, 16}, "ok"},                   // one trip
      {"words", {4096, 0, 72}, "out of bounds"},           // 8 - 16 wraps: runs to the memory's end
      {"mark", {100, 7, 9000}, "ok"},                      // a step not known before the loop
      {"mark", {60000, 0xFFFFFFFBu, 12000}, "ok"},         // -5: down to address 5
      {"mark", {60000, 0xFFFFFFFBu, 12002}, "out of bounds"},  // one below 0: wraps
      {"mark", {100, 0x80000000u, 3}, "out of bounds"},    // the second address is 2^31 + 100
      {"mark", {100, 0, 50}, "ok"},
      {"mark", {1000, 9, 8000}, "out of bounds"},          // walks off the end
      {"sieve", {9, 3, 60000}, "ok"},                      // counted by its rising exit
      {"sieve", {9, 7, 65535}, "ok"},                      // up to the last byte
      {"sieve", {9, 7, 70000}, "out of bounds"},
      {"sieve", {100, 0xFFFFFF00u, 0xFFFFFFFFu}, "out of bounds"},  // the second address is 2^32 - 156
      {"count_up", {5, 3, 1000}, "332"},
      {"count_up", {5, 3, 0}, "1"},
      {"count_up", {100, 0x80000000u, 0xFFFFFFFFu}, "all fuel"},  // wraps and comes round for ever
      {"scan", {60000, 1000}, "out of bounds"},            // charged trips up to the end, then a fault
      {"scan", {100, 7}, nullptr},
  };
  for (const Case& c : cases) {
    for (uint64_t fuel : {uint64_t(0), uint64_t(3), uint64_t(100), uint64_t(1234), uint64_t(1) << 20}) {
      if (fuel == 0 && c.expected && std::string(c.expected) == "all fuel") continue;  // would not end
      SCOPED_TRACE(std::string(c.name) + "(" + std::to_string(c.args[0]) + ", " + std::to_string(c.args[1]) +
                   "), fuel " + std::to_string(fuel));
      std::string outcomes[2];
      std::vector<uint8_t> memories[2];
      for (Tier tier : {Tier::Interp, Tier::Jit}) run(c, tier, fuel, &outcomes[int(tier)], &memories[int(tier)]);
      if (fuel == 0 && c.expected) EXPECT_EQ(outcomes[0].rfind(c.expected, 0), 0u) << outcomes[0];
      EXPECT_EQ(outcomes[1], outcomes[0]);
      EXPECT_TRUE(memories[1] == memories[0]);
    }
  }
}

// The copy loop's copy has plain accesses in two alias scopes (source and
// destination), which is what lets LLVM vectorise it without checks of its own.
TEST(JitFaultFree, ACopyLoopHasPlainScopedAccesses) {
  const std::string ir = test::optimised_ir(test::wat_module("fault_free_loop"));
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(= load (<\d+ x )?i8>?, ptr [^\n]*!alias\.scope)"))) << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(store (<\d+ x )?i8>? [^\n]*!noalias)"))) << ir;
  EXPECT_NE(ir.find("load volatile i8"), std::string::npos) << ir;  // the loop for every other case
}

// Code for a Store with fuel stores the budget before an access that may
// fault (in the charged loop), and not in the copy whose accesses cannot.
TEST(JitFaultFree, ExactFuelCodeStoresTheBudgetWhereAFaultMayReadIt) {
  const test::Bytes bytes = test::wat_module("fault_free_loop");
  const std::regex budget_store(R"(store volatile i64 [^\n]*\n)");
  auto count = [&](const std::string& ir) {
    return std::distance(std::sregex_iterator(ir.begin(), ir.end(), budget_store), std::sregex_iterator());
  };
  const std::string plain = test::optimised_ir(bytes, /*copy*/ 0),
                    exact = test::optimised_ir(bytes, 0, {.exact_fuel = true});
  EXPECT_EQ(count(plain), 0) << plain;
  EXPECT_GT(count(exact), 0) << exact;
  // The copy (its plain, scoped accesses) stores none.
  const size_t copy = exact.find("covered:");
  ASSERT_NE(copy, std::string::npos) << exact;
  const std::string copy_block = exact.substr(copy, exact.find("\n\n", copy) - copy);
  EXPECT_EQ(count(copy_block), 0) << copy_block;
}

// musl's merging word copy: its accesses take their addresses from one
// induction variable per group, so the SLP vectoriser sees adjacent words. It
// makes them vector code (a funnel shift of vectors) where the host has one
// instruction for that (AVX-512 VBMI2's vpshldd); without it, its cost model
// rightly keeps the scalar shld per word.
TEST(JitFaultFree, AMergingWordCopyIsVectorised) {
  const std::string ir = test::optimised_ir(test::wat_module("fault_free_loop"), /*merge_copy*/ 2);
  EXPECT_TRUE(std::regex_search(
      ir, std::regex(
              R"(getelementptr i8, ptr %\w+, i64 %group\w*\n\s+%\w+ = load (<\d+ x )?i32>?, ptr [^\n]*!alias\.scope)")))
      << ir;
  auto target = exec::jit_target();
  ASSERT_TRUE(target.ok()) << target.error().message;
  if (target->cpu.find("+avx512vbmi2") == std::string::npos) return;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(fshl\.v\d+i32)"))) << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(store <\d+ x i32>)"))) << ir;
}

// clang's unrolled word copy exits on `n >= 8` after `n -= 16`, which
// ScalarEvolution cannot count (n may wrap past 0): counted by its threshold
// when the last value tested is not below 0, its copy moves vectors.
TEST(JitFaultFree, AThresholdCountedCopyIsVectorised) {
  const std::string ir = test::optimised_ir(test::wat_module("fault_free_loop"), /*words*/ 3);
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(store <\d+ x i64>)"))) << ir;
}

}  // namespace
}  // namespace wnn
