// Integer and float arithmetic handlers: edge cases, traps, NaN handling.
#include <cmath>
#include <cstdint>
#include <limits>

#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

// Garbage in the high half of an i32/f32 operand: readers must ignore it.
constexpr uint64_t kJunk = 0xDEADBEEF00000000ull;

uint64_t bin(Handler h, uint64_t a, uint64_t b) {
  Outcome r = binary(h, a, b);
  EXPECT_EQ(r.trap, TrapKind::None) << r.message;
  return r.slots.at(0);
}
uint64_t un(Handler h, uint64_t a) {
  Outcome r = unary(h, a);
  EXPECT_EQ(r.trap, TrapKind::None) << r.message;
  return r.slots.at(0);
}
TrapKind bin_trap(Handler h, uint64_t a, uint64_t b) { return binary(h, a, b).trap; }

uint64_t u32(int32_t v) { return uint32_t(v); }

TEST(Numeric, I32ArithmeticWrapsAndZeroExtends) {
  EXPECT_EQ(bin(&op_i32_add, kJunk | 0x7FFFFFFF, kJunk | 1), 0x80000000u);
  EXPECT_EQ(bin(&op_i32_add, 0xFFFFFFFF, 1), 0u);
  EXPECT_EQ(bin(&op_i32_sub, 0, 1), 0xFFFFFFFFu);
  EXPECT_EQ(bin(&op_i32_mul, kJunk | 0x10000, 0x10000), 0u);
  EXPECT_EQ(bin(&op_i32_mul, 0x7FFFFFFF, 3), 0x7FFFFFFDu);
  EXPECT_EQ(bin(&op_i32_and, kJunk | 0xF0F0, 0xFF00), 0xF000u);
  EXPECT_EQ(bin(&op_i32_or, 0xF0, kJunk | 0x0F), 0xFFu);
  EXPECT_EQ(bin(&op_i32_xor, 0xFFFFFFFF, 0x0F0F0F0F), 0xF0F0F0F0u);
}

TEST(Numeric, I32DivRem) {
  EXPECT_EQ(bin(&op_i32_div_s, u32(7), u32(-2)), u32(-3));
  EXPECT_EQ(bin(&op_i32_div_s, u32(-7), u32(2)), u32(-3));
  EXPECT_EQ(bin(&op_i32_div_s, kJunk | u32(INT32_MIN), u32(2)), u32(INT32_MIN / 2));
  EXPECT_EQ(bin_trap(&op_i32_div_s, u32(INT32_MIN), u32(-1)), TrapKind::IntegerOverflow);
  EXPECT_EQ(bin_trap(&op_i32_div_s, 1, 0), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin_trap(&op_i32_div_s, u32(INT32_MIN), kJunk), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin(&op_i32_div_s, u32(INT32_MIN), kJunk | 1), u32(INT32_MIN));
  EXPECT_EQ(bin(&op_i32_div_u, 0xFFFFFFFF, 2), 0x7FFFFFFFu);
  EXPECT_EQ(bin(&op_i32_div_u, u32(INT32_MIN), u32(-1)), 0u);
  EXPECT_EQ(bin_trap(&op_i32_div_u, 5, kJunk), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin(&op_i32_rem_s, u32(INT32_MIN), u32(-1)), 0u);
  EXPECT_EQ(bin(&op_i32_rem_s, u32(-7), u32(2)), u32(-1));
  EXPECT_EQ(bin(&op_i32_rem_s, u32(7), u32(-2)), 1u);
  EXPECT_EQ(bin_trap(&op_i32_rem_s, 1, 0), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin(&op_i32_rem_u, u32(-7), 2), 1u);
  EXPECT_EQ(bin(&op_i32_rem_u, u32(INT32_MIN), u32(-1)), 0x80000000u);
  EXPECT_EQ(bin_trap(&op_i32_rem_u, 1, 0), TrapKind::IntegerDivideByZero);
}

TEST(Numeric, I64DivRem) {
  const uint64_t min = uint64_t(INT64_MIN), m1 = uint64_t(-1);
  EXPECT_EQ(bin(&op_i64_div_s, 7, uint64_t(-2)), uint64_t(-3));
  EXPECT_EQ(bin_trap(&op_i64_div_s, min, m1), TrapKind::IntegerOverflow);
  EXPECT_EQ(bin_trap(&op_i64_div_s, min, 0), TrapKind::IntegerDivideByZero);
  // Only the full 64-bit value counts: 0x1_00000000 is not zero.
  EXPECT_EQ(bin(&op_i64_div_u, 0x200000000ull, 0x100000000ull), 2u);
  EXPECT_EQ(bin(&op_i64_div_u, m1, 2), 0x7FFFFFFFFFFFFFFFull);
  EXPECT_EQ(bin_trap(&op_i64_div_u, 1, 0), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin(&op_i64_rem_s, min, m1), 0u);
  EXPECT_EQ(bin(&op_i64_rem_s, uint64_t(-7), 2), m1);
  EXPECT_EQ(bin_trap(&op_i64_rem_s, 1, 0), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin(&op_i64_rem_u, min, m1), min);
  EXPECT_EQ(bin_trap(&op_i64_rem_u, 1, 0), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(bin(&op_i64_mul, 0x100000000ull, 0x100000000ull), 0u);
}

TEST(Numeric, ShiftsAndRotatesTakeCountModWidth) {
  EXPECT_EQ(bin(&op_i32_shl, 1, 31), 0x80000000u);
  EXPECT_EQ(bin(&op_i32_shl, 1, 32), 1u);
  EXPECT_EQ(bin(&op_i32_shl, 1, kJunk | 33), 2u);
  EXPECT_EQ(bin(&op_i32_shl, 0xFFFFFFFF, 4), 0xFFFFFFF0u);  // no bits above 32
  EXPECT_EQ(bin(&op_i32_shr_s, 0x80000000, 31), 0xFFFFFFFFu);
  EXPECT_EQ(bin(&op_i32_shr_s, kJunk | 0x80000000, 63), 0xFFFFFFFFu);
  EXPECT_EQ(bin(&op_i32_shr_s, 0x40000000, 30), 1u);
  EXPECT_EQ(bin(&op_i32_shr_u, kJunk | 0x80000000, 31), 1u);
  EXPECT_EQ(bin(&op_i32_shr_u, 0x80000000, 32), 0x80000000u);
  EXPECT_EQ(bin(&op_i32_rotl, 0x80000001, 1), 3u);
  EXPECT_EQ(bin(&op_i32_rotl, 0x12345678, 32), 0x12345678u);
  EXPECT_EQ(bin(&op_i32_rotl, kJunk | 0x12345678, 36), 0x23456781u);
  EXPECT_EQ(bin(&op_i32_rotr, 3, 1), 0x80000001u);
  EXPECT_EQ(bin(&op_i32_rotr, 0x12345678, uint64_t(-4)), 0x23456781u);  // -4 mod 32 = 28
  EXPECT_EQ(bin(&op_i64_shl, 1, 63), 0x8000000000000000ull);
  EXPECT_EQ(bin(&op_i64_shl, 1, 64), 1u);
  EXPECT_EQ(bin(&op_i64_shl, 1, 65), 2u);
  EXPECT_EQ(bin(&op_i64_shr_s, 0x8000000000000000ull, 63), ~0ull);
  EXPECT_EQ(bin(&op_i64_shr_u, 0x8000000000000000ull, 127), 1u);
  EXPECT_EQ(bin(&op_i64_rotl, 0x8000000000000001ull, 1), 3u);
  EXPECT_EQ(bin(&op_i64_rotl, 0x0123456789ABCDEFull, 64 + 4), 0x123456789ABCDEF0ull);
  EXPECT_EQ(bin(&op_i64_rotr, 1, 1), 0x8000000000000000ull);
  EXPECT_EQ(bin(&op_i64_rotr, 1, 64), 1u);
}

TEST(Numeric, BitCounts) {
  EXPECT_EQ(un(&op_i32_clz, kJunk), 32u);
  EXPECT_EQ(un(&op_i32_clz, 1), 31u);
  EXPECT_EQ(un(&op_i32_clz, 0x80000000), 0u);
  EXPECT_EQ(un(&op_i32_ctz, kJunk), 32u);
  EXPECT_EQ(un(&op_i32_ctz, 0x80000000), 31u);
  EXPECT_EQ(un(&op_i32_popcnt, kJunk | 0xFFFFFFFF), 32u);
  EXPECT_EQ(un(&op_i32_popcnt, 0x0F0F), 8u);
  EXPECT_EQ(un(&op_i64_clz, 0), 64u);
  EXPECT_EQ(un(&op_i64_clz, 0x100000000ull), 31u);
  EXPECT_EQ(un(&op_i64_ctz, 0), 64u);
  EXPECT_EQ(un(&op_i64_ctz, 0x100000000ull), 32u);
  EXPECT_EQ(un(&op_i64_popcnt, ~0ull), 64u);
}

TEST(Numeric, IntegerComparisons) {
  EXPECT_EQ(un(&op_i32_eqz, kJunk), 1u);
  EXPECT_EQ(un(&op_i32_eqz, 1), 0u);
  EXPECT_EQ(un(&op_i64_eqz, kJunk), 0u);
  EXPECT_EQ(un(&op_i64_eqz, 0), 1u);
  EXPECT_EQ(bin(&op_i32_eq, kJunk | 5, 5), 1u);
  EXPECT_EQ(bin(&op_i32_ne, kJunk | 5, 5), 0u);
  EXPECT_EQ(bin(&op_i32_lt_s, u32(-1), 0), 1u);
  EXPECT_EQ(bin(&op_i32_lt_u, u32(-1), 0), 0u);
  EXPECT_EQ(bin(&op_i32_gt_s, u32(-1), 0), 0u);
  EXPECT_EQ(bin(&op_i32_gt_u, kJunk | u32(-1), 0), 1u);
  EXPECT_EQ(bin(&op_i32_le_s, u32(INT32_MIN), u32(INT32_MAX)), 1u);
  EXPECT_EQ(bin(&op_i32_le_u, u32(INT32_MIN), u32(INT32_MAX)), 0u);
  EXPECT_EQ(bin(&op_i32_ge_s, 3, 3), 1u);
  EXPECT_EQ(bin(&op_i32_ge_u, 2, 3), 0u);
  EXPECT_EQ(bin(&op_i64_eq, 0x100000000ull, 0), 0u);
  EXPECT_EQ(bin(&op_i64_ne, 0x100000000ull, 0), 1u);
  EXPECT_EQ(bin(&op_i64_lt_s, uint64_t(-1), 0), 1u);
  EXPECT_EQ(bin(&op_i64_lt_u, uint64_t(-1), 0), 0u);
  EXPECT_EQ(bin(&op_i64_gt_s, 1, uint64_t(-1)), 1u);
  EXPECT_EQ(bin(&op_i64_gt_u, 1, uint64_t(-1)), 0u);
  EXPECT_EQ(bin(&op_i64_le_s, uint64_t(INT64_MIN), 0), 1u);
  EXPECT_EQ(bin(&op_i64_le_u, uint64_t(INT64_MIN), 0), 0u);
  EXPECT_EQ(bin(&op_i64_ge_s, 0, uint64_t(INT64_MIN)), 1u);
  EXPECT_EQ(bin(&op_i64_ge_u, 0, uint64_t(INT64_MIN)), 0u);
}

TEST(Numeric, FloatComparisonsWithNaN) {
  const uint64_t nan32 = f32b(NAN), nan64 = f64b(NAN);
  EXPECT_EQ(bin(&op_f32_eq, nan32, nan32), 0u);
  EXPECT_EQ(bin(&op_f32_ne, nan32, nan32), 1u);
  EXPECT_EQ(bin(&op_f32_lt, nan32, f32b(1)), 0u);
  EXPECT_EQ(bin(&op_f32_ge, nan32, f32b(1)), 0u);
  EXPECT_EQ(bin(&op_f32_eq, f32b(0.0f), kJunk | f32b(-0.0f)), 1u);
  EXPECT_EQ(bin(&op_f32_lt, f32b(-1), f32b(1)), 1u);
  EXPECT_EQ(bin(&op_f32_gt, f32b(-1), f32b(1)), 0u);
  EXPECT_EQ(bin(&op_f32_le, f32b(1), f32b(1)), 1u);
  EXPECT_EQ(bin(&op_f64_eq, nan64, nan64), 0u);
  EXPECT_EQ(bin(&op_f64_ne, nan64, f64b(1)), 1u);
  EXPECT_EQ(bin(&op_f64_le, f64b(1), nan64), 0u);
  EXPECT_EQ(bin(&op_f64_gt, f64b(2), f64b(1)), 1u);
  EXPECT_EQ(bin(&op_f64_ge, f64b(-0.0), f64b(0.0)), 1u);
  EXPECT_EQ(bin(&op_f64_lt, f64b(-INFINITY), f64b(0)), 1u);
  EXPECT_EQ(bin(&op_f64_eq, f64b(-0.0), f64b(0.0)), 1u);
}

TEST(Numeric, FloatMinMax) {
  const uint64_t p0 = f32b(0.0f), n0 = f32b(-0.0f);
  EXPECT_EQ(bin(&op_f32_min, p0, n0), n0);
  EXPECT_EQ(bin(&op_f32_min, n0, p0), n0);
  EXPECT_EQ(bin(&op_f32_max, p0, n0), p0);
  EXPECT_EQ(bin(&op_f32_max, n0, p0), p0);
  EXPECT_EQ(bin(&op_f32_min, f32b(1), kJunk | f32b(2)), f32b(1));
  EXPECT_EQ(bin(&op_f32_max, f32b(-INFINITY), f32b(2)), f32b(2));
  EXPECT_TRUE(std::isnan(as_f32(bin(&op_f32_min, f32b(NAN), f32b(1)))));
  EXPECT_TRUE(std::isnan(as_f32(bin(&op_f32_min, f32b(1), f32b(NAN)))));
  EXPECT_TRUE(std::isnan(as_f32(bin(&op_f32_max, f32b(-INFINITY), f32b(NAN)))));
  // An arithmetic NaN (payload with the quiet bit) stays arithmetic.
  uint64_t r = bin(&op_f32_max, 0x7FC12345, f32b(1));
  EXPECT_EQ(r & 0x7FC00000u, 0x7FC00000u);
  EXPECT_EQ(r >> 32, 0u);

  const uint64_t dp0 = f64b(0.0), dn0 = f64b(-0.0);
  EXPECT_EQ(bin(&op_f64_min, dp0, dn0), dn0);
  EXPECT_EQ(bin(&op_f64_max, dn0, dp0), dp0);
  EXPECT_EQ(bin(&op_f64_min, f64b(-1), f64b(2)), f64b(-1));
  EXPECT_EQ(bin(&op_f64_max, f64b(-1), f64b(2)), f64b(2));
  EXPECT_TRUE(std::isnan(as_f64(bin(&op_f64_min, f64b(NAN), f64b(-INFINITY)))));
  EXPECT_TRUE(std::isnan(as_f64(bin(&op_f64_max, f64b(0), f64b(NAN)))));
}

TEST(Numeric, FloatSignOpsAreBitOperations) {
  // Signalling NaN payloads must survive abs/neg/copysign unchanged.
  EXPECT_EQ(un(&op_f32_abs, 0xFFA00001), 0x7FA00001u);
  EXPECT_EQ(un(&op_f32_neg, kJunk | 0x7FA00001), 0xFFA00001u);
  EXPECT_EQ(un(&op_f32_neg, f32b(0.0f)), f32b(-0.0f));
  EXPECT_EQ(bin(&op_f32_copysign, 0x7FA00001, f32b(-1)), 0xFFA00001u);
  EXPECT_EQ(bin(&op_f32_copysign, f32b(-2), kJunk | f32b(0.0f)), f32b(2));
  EXPECT_EQ(un(&op_f64_abs, 0xFFF4000000000001ull), 0x7FF4000000000001ull);
  EXPECT_EQ(un(&op_f64_neg, 0x7FF4000000000001ull), 0xFFF4000000000001ull);
  EXPECT_EQ(bin(&op_f64_copysign, 0x7FF4000000000001ull, f64b(-0.0)), 0xFFF4000000000001ull);
  EXPECT_EQ(bin(&op_f64_copysign, f64b(-3), f64b(NAN)), f64b(3));
}

TEST(Numeric, FloatRounding) {
  // nearest: ties to even, sign of zero kept.
  EXPECT_EQ(un(&op_f32_nearest, f32b(0.5f)), f32b(0.0f));
  EXPECT_EQ(un(&op_f32_nearest, f32b(1.5f)), f32b(2.0f));
  EXPECT_EQ(un(&op_f32_nearest, f32b(2.5f)), f32b(2.0f));
  EXPECT_EQ(un(&op_f32_nearest, f32b(-0.5f)), f32b(-0.0f));
  EXPECT_EQ(un(&op_f32_nearest, f32b(-3.5f)), f32b(-4.0f));
  EXPECT_EQ(un(&op_f32_nearest, f32b(8388609.0f)), f32b(8388609.0f));
  EXPECT_EQ(un(&op_f64_nearest, f64b(2.5)), f64b(2.0));
  EXPECT_EQ(un(&op_f64_nearest, f64b(-0.5)), f64b(-0.0));
  EXPECT_EQ(un(&op_f64_nearest, f64b(4503599627370497.0)), f64b(4503599627370497.0));
  EXPECT_EQ(un(&op_f32_ceil, f32b(-0.5f)), f32b(-0.0f));
  EXPECT_EQ(un(&op_f32_ceil, f32b(1.1f)), f32b(2.0f));
  EXPECT_EQ(un(&op_f32_floor, f32b(-0.5f)), f32b(-1.0f));
  EXPECT_EQ(un(&op_f32_floor, f32b(0.5f)), f32b(0.0f));
  EXPECT_EQ(un(&op_f32_trunc, f32b(-1.9f)), f32b(-1.0f));
  EXPECT_EQ(un(&op_f32_trunc, f32b(-0.9f)), f32b(-0.0f));
  EXPECT_EQ(un(&op_f64_ceil, f64b(-0.5)), f64b(-0.0));
  EXPECT_EQ(un(&op_f64_floor, f64b(-0.5)), f64b(-1.0));
  EXPECT_EQ(un(&op_f64_trunc, f64b(2.9)), f64b(2.0));
  EXPECT_TRUE(std::isnan(as_f32(un(&op_f32_nearest, f32b(NAN)))));
  EXPECT_TRUE(std::isnan(as_f64(un(&op_f64_ceil, f64b(NAN)))));
  EXPECT_EQ(un(&op_f32_floor, f32b(INFINITY)), f32b(INFINITY));
}

TEST(Numeric, FloatArithmetic) {
  EXPECT_EQ(bin(&op_f32_add, kJunk | f32b(1.5f), f32b(2.25f)), f32b(3.75f));
  EXPECT_EQ(bin(&op_f32_sub, f32b(1.0f), f32b(1.0f)), f32b(0.0f));
  EXPECT_EQ(bin(&op_f32_mul, f32b(-2.0f), f32b(0.0f)), f32b(-0.0f));
  EXPECT_EQ(bin(&op_f32_div, f32b(1.0f), f32b(-0.0f)), f32b(-INFINITY));
  EXPECT_TRUE(std::isnan(as_f32(bin(&op_f32_div, f32b(0.0f), f32b(0.0f)))));
  EXPECT_TRUE(std::isnan(as_f32(bin(&op_f32_sub, f32b(INFINITY), f32b(INFINITY)))));
  EXPECT_EQ(un(&op_f32_sqrt, f32b(2.25f)), f32b(1.5f));
  EXPECT_EQ(un(&op_f32_sqrt, f32b(-0.0f)), f32b(-0.0f));
  EXPECT_TRUE(std::isnan(as_f32(un(&op_f32_sqrt, f32b(-1.0f)))));
  // f32 results never leave bits in the high half.
  EXPECT_EQ(bin(&op_f32_add, f32b(NAN), f32b(1)) >> 32, 0u);
  EXPECT_EQ(bin(&op_f64_add, f64b(0.1), f64b(0.2)), f64b(0.1 + 0.2));
  EXPECT_EQ(bin(&op_f64_sub, f64b(1e308), f64b(-1e308)), f64b(INFINITY));
  EXPECT_EQ(bin(&op_f64_mul, f64b(1e-300), f64b(1e-300)), f64b(0.0));
  EXPECT_EQ(bin(&op_f64_div, f64b(1), f64b(3)), f64b(1.0 / 3.0));
  EXPECT_EQ(un(&op_f64_sqrt, f64b(2)), f64b(std::sqrt(2.0)));
  EXPECT_TRUE(std::isnan(as_f64(un(&op_f64_sqrt, f64b(-1)))));
  // Single rounding in f32 (no double-precision intermediate).
  EXPECT_EQ(bin(&op_f32_add, f32b(16777216.0f), f32b(1.0f)), f32b(16777216.0f));
}

}  // namespace
}  // namespace wnn::exec::test
