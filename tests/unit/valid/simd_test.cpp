// SIMD (0xFD) validation and translation: immediates, types, messages, and
// v128 values end to end through Store::invoke. The validation tests write
// their invalid bodies as bytes (unknown sub-opcodes and out-of-range lanes
// have no WAT); the valid ones and the execution tests' modules are wat/*.wat.
#include <gtest/gtest.h>

#include <bit>
#include <optional>

#include "compile_checks.h"
#include "module_runner.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;

// v128.const with 16 bytes 0..15.
Bytes v128_const() {
  Bytes b = {0xFD, 0x0C};
  for (uint8_t i = 0; i < 16; ++i) b.push_back(i);
  return b;
}

Error simd_error(Bytes code, const std::vector<ValType>& params = {}, const std::vector<ValType>& results = {},
                 bool memory = false) {
  ModuleBuilder m = single(params, results, std::move(code));
  if (memory) m.memory(1);
  return compile_error(m.build());
}

TEST(SimdValidation, UnknownSubOpcodeIsMalformed) {
  for (uint32_t sub : {154u, 162u, 0x100u, 0x1000u}) {
    Error e = simd_error(cat({{0xFD}, uleb(sub), {0x0B}}));
    EXPECT_EQ(e.kind, ErrorKind::Malformed) << sub;
    EXPECT_HAS_SUBSTR(e.message, "illegal opcode");
  }
}

TEST(SimdValidation, LaneIndexOutOfRange) {
  // i8x16.extract_lane_s 16, i64x2.replace_lane 2, f64x2.extract_lane 2.
  Error e = simd_error(cat({v128_const(), {0xFD, 21, 16, 0x1A, 0x0B}}));
  EXPECT_EQ(e.kind, ErrorKind::Invalid);
  EXPECT_HAS_SUBSTR(e.message, "invalid lane index");
  EXPECT_HAS_SUBSTR(e.message, "i8x16.extract_lane_s");
  compile_ok(wat_module("simd_extract_lane_15"));
  e = simd_error(cat({v128_const(), {0x42, 0, 0xFD, 30, 2, 0x1A, 0x0B}}));
  EXPECT_HAS_SUBSTR(e.message, "invalid lane index");
  e = simd_error(cat({v128_const(), {0xFD, 33, 2, 0x1A, 0x0B}}));
  EXPECT_HAS_SUBSTR(e.message, "invalid lane index");
  // Shuffle lanes index 32 bytes.
  compile_ok(wat_module("simd_shuffle_lanes_31"));
  Bytes bad = cat({v128_const(), v128_const(), {0xFD, 13}});
  for (int i = 0; i < 16; ++i) bad.push_back(i == 7 ? 32 : 0);
  e = simd_error(cat({bad, {0x1A, 0x0B}}));
  EXPECT_HAS_SUBSTR(e.message, "invalid lane index");
  // Lane loads: memarg, then the lane.
  e = simd_error(cat({{0x41, 0}, v128_const(), {0xFD, 87, 3, 0, 2, 0x1A, 0x0B}}), {}, {}, true);
  EXPECT_HAS_SUBSTR(e.message, "invalid lane index");
}

TEST(SimdValidation, Alignment) {
  // v128.load align 2^4 is natural, 2^5 is not; v128.load8_splat allows 2^0 only.
  compile_ok(wat_module("simd_load_natural_align"));
  Error e = simd_error({0x41, 0, 0xFD, 0, 5, 0, 0x1A, 0x0B}, {}, {}, true);
  EXPECT_EQ(e.kind, ErrorKind::Invalid);
  EXPECT_HAS_SUBSTR(e.message, "alignment must not be larger than natural");
  e = simd_error({0x41, 0, 0xFD, 7, 1, 0, 0x1A, 0x0B}, {}, {}, true);
  EXPECT_HAS_SUBSTR(e.message, "alignment");
  e = simd_error({0x41, 0, 0xFD, 0, 32, 0, 0x1A, 0x0B}, {}, {}, true);
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  // No memory.
  e = simd_error({0x41, 0, 0xFD, 0, 4, 0, 0x1A, 0x0B});
  EXPECT_HAS_SUBSTR(e.message, "unknown memory");
}

TEST(SimdValidation, TypeMismatch) {
  // i32x4.add of an i32 and a v128.
  Error e = simd_error(cat({{0x41, 0}, v128_const(), {0xFD, 174, 1, 0x1A, 0x0B}}));
  EXPECT_EQ(e.kind, ErrorKind::Invalid);
  EXPECT_HAS_SUBSTR(e.message, "type mismatch");
  // i8x16.shl wants an i32 count on top.
  e = simd_error(cat({v128_const(), v128_const(), {0xFD, 107, 0x1A, 0x0B}}));
  EXPECT_HAS_SUBSTR(e.message, "type mismatch");
  // f32x4.splat of an i32; f64x2.replace_lane of an f32.
  e = simd_error({0x41, 0, 0xFD, 19, 0x1A, 0x0B});
  EXPECT_HAS_SUBSTR(e.message, "type mismatch");
  e = simd_error(cat({v128_const(), {0x43, 0, 0, 0, 0, 0xFD, 34, 0, 0x1A, 0x0B}}));
  EXPECT_HAS_SUBSTR(e.message, "type mismatch");
  // v128.any_true leaves an i32, not a v128.
  e = simd_error(cat({v128_const(), {0xFD, 83, 0x0B}}), {}, {V128});
  EXPECT_HAS_SUBSTR(e.message, "type mismatch");
}

TEST(SimdExecution, V128LocalRoundTrip) {
  Runner run(wat_module("v128_local_round_trip"));
  auto r = run.call("f", {Value::v128(0x0123456789ABCDEFull, 0xFEDCBA9876543210ull)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, V128);
  EXPECT_EQ(r[0].lo, 0x0123456789ABCDEFull);
  EXPECT_EQ(r[0].hi, 0xFEDCBA9876543210ull);
}
TEST(SimdExecution, ArithmeticIntoLocalAndLanes) {
  Runner run(wat_module("simd_arithmetic_lanes"));
  auto r = run.call("f", {Value::v128(0x0000000200000001ull, 0x0000000400000003ull),
                          Value::v128(0x0000001000000010ull, 0xFFFFFFFF00000010ull)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].as_u32(), 3u);  // 4 + 0xFFFFFFFF wraps
  // The sum's bytes reversed: 00 00 00 03 00 00 00 13 | 00 00 00 12 00 00 00 11.
  EXPECT_EQ(r[1].lo, 0x1300000003000000ull);
  EXPECT_EQ(r[1].hi, 0x1100000012000000ull);
}
TEST(SimdExecution, LoadStoreAndTrap) {
  Runner run(wat_module("simd_load_store"));
  auto r = run.call("f", {Value::i32(65536 - 32)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].lo, 0x0706050403020100ull);
  EXPECT_EQ(r[0].hi, 0x0F0E0D0C0B0A0908ull);
  auto bad = run.try_call("f", {Value::i32(65536 - 31)});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::Trap);
}
// `f32x4.mul a (v128.load ...)` is fused into one instruction: same result,
// same trap, also when the address is computed and when the result goes
// straight to a local.
TEST(SimdExecution, FusedLoadArithmetic) {
  Runner run(wat_module("simd_fused_load"));
  auto r = run.call("f", {Value::i32(0)});
  ASSERT_EQ(r.size(), 1u);
  // 2x - x = x
  EXPECT_EQ(r[0].lo, uint64_t(std::bit_cast<uint32_t>(1.5f)) | uint64_t(std::bit_cast<uint32_t>(2.0f)) << 32);
  EXPECT_EQ(r[0].hi, uint64_t(std::bit_cast<uint32_t>(-4.0f)) | uint64_t(std::bit_cast<uint32_t>(8.0f)) << 32);
  auto bad = run.try_call("f", {Value::i32(65536 - 47)});  // the first load ends one byte out
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::Trap);
}
}  // namespace
}  // namespace wnn::valid::test
