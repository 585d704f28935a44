// Float loops on the compiler tier (src/jit/float_loops.cpp): vectorised
// where their accesses cannot fault, with every lane computed as the
// interpreter computes it (signalling and quiet NaNs with payloads, -0,
// infinities, subnormals, a factor of exactly 1 known only at run time), and
// the operations LLVM would fold (x * 1.0, x - 0.0, demote(promote(x))) kept
// strict, so that a signalling NaN still comes out quiet.
#include <gtest/gtest.h>

#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "jit_test_support.h"

namespace wnn {
namespace {

using test::compile_tier;

constexpr uint32_t kSignalling = 0x7fa00000, kOne = 0x3f800000;

// The float bits memory starts with: specials first, then ordinary values.
uint32_t word(size_t i) {
  static constexpr uint32_t kSpecial[] = {kSignalling, 0xffc12345, 0x7f800001, kOne,       0x80000000, 0x00000001,
                                          0x7f7fffff,  0xff800000, 0x807fffff, 0x7fc00000, 0xbf800000, 0};
  constexpr size_t n = sizeof(kSpecial) / sizeof(kSpecial[0]);
  if (i % 16 < n) return kSpecial[(i / 16 + i) % n];
  const float f = float(int(i % 977) - 488) * 0.37f;
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

struct Case {
  const char* name;
  std::vector<uint32_t> args;
  const char* expected;  // the outcome's start: "ok" or a trap
  unsigned width = 4;    // of the floats stored
};

// Where the two memories differ, both hold quiet NaNs: when an operation
// gets two NaNs, Wasm lets it return either (or the canonical one), and the
// interpreter's and LLVM's code choose differently; a signalling NaN is never
// a result. Returns the first offset that breaks this, or npos.
size_t first_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, unsigned width) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i + width <= a.size(); i += width) {
    uint64_t x = 0, y = 0;
    std::memcpy(&x, &a[i], width);
    std::memcpy(&y, &b[i], width);
    if (x == y) continue;
    const uint64_t exponent = width == 4 ? 0x7f800000u : 0x7ff0000000000000u;
    const uint64_t quiet = width == 4 ? 0x00400000u : uint64_t(1) << 51;
    auto quiet_nan = [&](uint64_t v) { return (v & exponent) == exponent && (v & quiet); };
    if (!quiet_nan(x) || !quiet_nan(y)) return i;
  }
  return std::string::npos;
}

void run(const Case& c, Tier tier, uint64_t fuel, std::string* outcome, std::vector<uint8_t>* memory) {
  test::call_on_tier(
      test::wat_module("float_loops"), c.name, c.args, tier, fuel,
      [](std::span<uint8_t> mem) {
        for (size_t i = 0; i + 4 <= mem.size(); i += 4) {
          const uint32_t w = word(i / 4);
          std::memcpy(&mem[i], &w, 4);
        }
      },
      outcome, memory);
}

TEST(JitFloatLoops, VectorLanesComputeWhatTheInterpreterDoes) {
  constexpr uint32_t kEnd = 65536;
  const Case cases[] = {
      {"axpy", {8192, 4096, 1000, kOne}, "ok"},  // a * s[i] with a = 1: no fold
      {"axpy", {8192, 4096, 1000, 0xbf800000}, "ok"},
      {"axpy", {8192, 4096, 1000, 0x80000000}, "ok"},  // -0
      {"axpy", {8192, 4096, 1000, 0x40200000}, "ok"},  // 2.5
      {"axpy", {8192, 4096, 1000, kSignalling}, "ok"},
      {"axpy", {8192, 4096, 3, 0x40200000}, "ok"},      // fewer than a vector
      {"axpy", {4100, 4096, 1000, 0x40200000}, "ok"},   // d = s + 4: each store feeds the next load
      {"axpy", {4096, 4100, 1000, 0x40200000}, "ok"},   // d = s - 4
      {"axpy", {kEnd - 400, 4096, 1000, kOne}, "out of bounds"},  // 100 stores, then a fault
      {"widen", {16384, 4096, 1000, 0x40200000}, "ok", 8},
      {"widen", {16384, 4096, 1000, kSignalling}, "ok", 8},
      {"widen", {16384, 4096, 1000, 0}, "ok", 8},  // division by 0
      {"narrow_back", {8192, 4096, 1000}, "ok"},
      {"times_one", {8192, 4096, 1000}, "ok"},
      {"convert", {8192, 4096, 1000}, "ok"},
      {"lesser", {8192, 4096, 1000}, "ok"},
      {"lesser", {kEnd - 40, kEnd - 2000, 600}, "out of bounds"},
  };
  for (const Case& c : cases)
    for (uint64_t fuel : {uint64_t(0), uint64_t(1234)}) {
      SCOPED_TRACE(std::string(c.name) + "(" + std::to_string(c.args[0]) + ", " + std::to_string(c.args[1]) + ", " +
                   std::to_string(c.args[2]) + "), fuel " + std::to_string(fuel));
      std::string outcomes[2];
      std::vector<uint8_t> memories[2];
      for (Tier tier : {Tier::Interp, Tier::Jit}) run(c, tier, fuel, &outcomes[int(tier)], &memories[int(tier)]);
      if (fuel == 0) EXPECT_EQ(outcomes[0].rfind(c.expected, 0), 0u) << outcomes[0];
      EXPECT_EQ(outcomes[1], outcomes[0]);
      const size_t at = first_difference(memories[0], memories[1], c.width);
      EXPECT_EQ(at, std::string::npos) << "the interpreter stored different bits at " << at;
    }
}

// The loop's copy computes with vectors, and after the vectoriser every float
// operation is constrained again: nothing later may fold one.
TEST(JitFloatLoops, AFloatLoopIsVectorisedAndStaysStrict) {
  const std::string ir = test::optimised_ir(test::wat_module("float_loops"), /*axpy*/ 0);
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(constrained\.fmul\.v\d+f32)"))) << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex(R"(constrained\.fadd\.v\d+f32)"))) << ir;
  EXPECT_FALSE(std::regex_search(ir, std::regex(R"(= (fadd|fsub|fmul|fdiv|fcmp|fpext|fptrunc|sitofp|uitofp) )"))) << ir;
  const std::string widen = test::optimised_ir(test::wat_module("float_loops"), /*widen*/ 1);
  EXPECT_TRUE(std::regex_search(widen, std::regex(R"(constrained\.fdiv\.v\d+f64)"))) << widen;
}

// x * 1.0, x - 0.0 and demote(promote(x)) stay scalar and strict.
TEST(JitFloatLoops, OperationsLLVMWouldFoldStayScalar) {
  for (uint32_t function : {2u /*narrow_back*/, 3u /*times_one*/}) {
    const std::string ir = test::optimised_ir(test::wat_module("float_loops"), function);
    EXPECT_FALSE(std::regex_search(ir, std::regex(R"(<\d+ x float>)"))) << ir;
    EXPECT_TRUE(std::regex_search(ir, std::regex(R"(constrained\.(fmul|fptrunc)\.f32)"))) << ir;
  }
}

}  // namespace
}  // namespace wnn
