// Conversion handlers: exact trapping boundaries, saturation, rounding,
// NaN handling, sign extension.
#include <cmath>
#include <cstdint>
#include <limits>

#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

constexpr uint64_t kJunk = 0xDEADBEEF00000000ull;

uint64_t un(Handler h, uint64_t a) {
  Outcome r = unary(h, a);
  EXPECT_EQ(r.trap, TrapKind::None) << r.message;
  return r.slots.at(0);
}
TrapKind trap(Handler h, uint64_t a) { return unary(h, a).trap; }

uint64_t u32(int32_t v) { return uint32_t(v); }

TEST(Conversions, I32TruncF32) {
  auto h = &op_i32_trunc_f32_s;
  EXPECT_EQ(un(h, f32b(-2147483648.0f)), u32(INT32_MIN));
  EXPECT_EQ(trap(h, f32b(-2147483904.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(2147483520.0f)), 2147483520u);  // largest float below 2^31
  EXPECT_EQ(trap(h, f32b(2147483648.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, kJunk | f32b(-1.9f)), u32(-1));
  EXPECT_EQ(un(h, f32b(-0.9f)), 0u);
  EXPECT_EQ(trap(h, f32b(NAN)), TrapKind::InvalidConversion);
  EXPECT_EQ(trap(h, f32b(-NAN)), TrapKind::InvalidConversion);
  EXPECT_EQ(trap(h, f32b(INFINITY)), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap(h, f32b(-INFINITY)), TrapKind::IntegerOverflow);

  h = &op_i32_trunc_f32_u;
  EXPECT_EQ(un(h, f32b(-0.99f)), 0u);
  EXPECT_EQ(trap(h, f32b(-1.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(4294967040.0f)), 4294967040u);
  EXPECT_EQ(trap(h, f32b(4294967296.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(2147483648.0f)), 2147483648u);
  EXPECT_EQ(trap(h, f32b(NAN)), TrapKind::InvalidConversion);
}

TEST(Conversions, I32TruncF64) {
  auto h = &op_i32_trunc_f64_s;
  EXPECT_EQ(un(h, f64b(-2147483648.9)), u32(INT32_MIN));
  EXPECT_EQ(trap(h, f64b(-2147483649.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f64b(2147483647.9)), 2147483647u);
  EXPECT_EQ(trap(h, f64b(2147483648.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap(h, f64b(NAN)), TrapKind::InvalidConversion);
  EXPECT_EQ(trap(h, f64b(1e300)), TrapKind::IntegerOverflow);

  h = &op_i32_trunc_f64_u;
  EXPECT_EQ(un(h, f64b(-0.9)), 0u);
  EXPECT_EQ(trap(h, f64b(-1.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f64b(4294967295.9)), 4294967295u);
  EXPECT_EQ(trap(h, f64b(4294967296.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap(h, f64b(-NAN)), TrapKind::InvalidConversion);
}

TEST(Conversions, I64TruncF32) {
  auto h = &op_i64_trunc_f32_s;
  EXPECT_EQ(un(h, f32b(-9223372036854775808.0f)), uint64_t(INT64_MIN));
  EXPECT_EQ(trap(h, f32b(-9223373136366403584.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(9223371487098961920.0f)), 9223371487098961920ull);
  EXPECT_EQ(trap(h, f32b(9223372036854775808.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(-1.5f)), uint64_t(-1));
  EXPECT_EQ(trap(h, f32b(NAN)), TrapKind::InvalidConversion);

  h = &op_i64_trunc_f32_u;
  EXPECT_EQ(un(h, f32b(-0.9f)), 0u);
  EXPECT_EQ(trap(h, f32b(-1.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(18446742974197923840.0f)), 18446742974197923840ull);
  EXPECT_EQ(trap(h, f32b(18446744073709551616.0f)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f32b(9223372036854775808.0f)), 9223372036854775808ull);
  EXPECT_EQ(trap(h, f32b(NAN)), TrapKind::InvalidConversion);
}

TEST(Conversions, I64TruncF64) {
  auto h = &op_i64_trunc_f64_s;
  EXPECT_EQ(un(h, f64b(-9223372036854775808.0)), uint64_t(INT64_MIN));
  EXPECT_EQ(trap(h, f64b(-9223372036854777856.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f64b(9223372036854774784.0)), 9223372036854774784ull);
  EXPECT_EQ(trap(h, f64b(9223372036854775808.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap(h, f64b(NAN)), TrapKind::InvalidConversion);
  EXPECT_EQ(trap(h, f64b(-INFINITY)), TrapKind::IntegerOverflow);

  h = &op_i64_trunc_f64_u;
  EXPECT_EQ(un(h, f64b(-0.9)), 0u);
  EXPECT_EQ(trap(h, f64b(-1.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f64b(18446744073709549568.0)), 18446744073709549568ull);
  EXPECT_EQ(trap(h, f64b(18446744073709551616.0)), TrapKind::IntegerOverflow);
  EXPECT_EQ(un(h, f64b(9223372036854775808.0)), 9223372036854775808ull);
  EXPECT_EQ(trap(h, f64b(NAN)), TrapKind::InvalidConversion);
}

TEST(Conversions, TruncSat) {
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_s, f32b(NAN)), 0u);
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_s, f32b(-INFINITY)), u32(INT32_MIN));
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_s, f32b(2147483648.0f)), u32(INT32_MAX));
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_s, f32b(-2147483904.0f)), u32(INT32_MIN));
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_s, f32b(-1.5f)), u32(-1));
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_u, f32b(-1.0f)), 0u);
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_u, f32b(4294967296.0f)), 0xFFFFFFFFu);
  EXPECT_EQ(un(&op_i32_trunc_sat_f32_u, f32b(-NAN)), 0u);
  EXPECT_EQ(un(&op_i32_trunc_sat_f64_s, f64b(-2147483649.0)), u32(INT32_MIN));
  EXPECT_EQ(un(&op_i32_trunc_sat_f64_s, f64b(2147483647.9)), u32(INT32_MAX));
  EXPECT_EQ(un(&op_i32_trunc_sat_f64_s, f64b(1e300)), u32(INT32_MAX));
  EXPECT_EQ(un(&op_i32_trunc_sat_f64_u, f64b(4294967295.9)), 0xFFFFFFFFu);
  EXPECT_EQ(un(&op_i32_trunc_sat_f64_u, f64b(-1e300)), 0u);
  EXPECT_EQ(un(&op_i32_trunc_sat_f64_u, f64b(NAN)), 0u);
  EXPECT_EQ(un(&op_i64_trunc_sat_f32_s, f32b(INFINITY)), uint64_t(INT64_MAX));
  EXPECT_EQ(un(&op_i64_trunc_sat_f32_s, f32b(-9223373136366403584.0f)), uint64_t(INT64_MIN));
  EXPECT_EQ(un(&op_i64_trunc_sat_f32_s, f32b(NAN)), 0u);
  EXPECT_EQ(un(&op_i64_trunc_sat_f32_u, f32b(18446744073709551616.0f)), ~0ull);
  EXPECT_EQ(un(&op_i64_trunc_sat_f32_u, f32b(-5.0f)), 0u);
  EXPECT_EQ(un(&op_i64_trunc_sat_f64_s, f64b(9223372036854775808.0)), uint64_t(INT64_MAX));
  EXPECT_EQ(un(&op_i64_trunc_sat_f64_s, f64b(-9223372036854775808.0)), uint64_t(INT64_MIN));
  EXPECT_EQ(un(&op_i64_trunc_sat_f64_s, f64b(-1.5)), uint64_t(-1));
  EXPECT_EQ(un(&op_i64_trunc_sat_f64_u, f64b(18446744073709549568.0)), 18446744073709549568ull);
  EXPECT_EQ(un(&op_i64_trunc_sat_f64_u, f64b(INFINITY)), ~0ull);
  EXPECT_EQ(un(&op_i64_trunc_sat_f64_u, f64b(NAN)), 0u);
}

TEST(Conversions, IntToFloat) {
  EXPECT_EQ(un(&op_f32_convert_i32_s, kJunk | u32(-1)), f32b(-1.0f));
  EXPECT_EQ(un(&op_f32_convert_i32_u, kJunk | 0xFFFFFFFF), f32b(4294967296.0f));
  EXPECT_EQ(un(&op_f32_convert_i32_s, 16777217), f32b(16777216.0f));  // tie to even
  EXPECT_EQ(un(&op_f32_convert_i64_s, uint64_t(INT64_MIN)), f32b(-9223372036854775808.0f));
  EXPECT_EQ(un(&op_f32_convert_i64_s, 9007199791611905ull), f32b(9007200328482816.0f));
  EXPECT_EQ(un(&op_f32_convert_i64_u, ~0ull), f32b(18446744073709551616.0f));
  // 2^63 + 2^39 + 1 is just above a tie: correct rounding goes up; rounding
  // via f64 first would land on the tie and go down to 2^63.
  EXPECT_EQ(un(&op_f32_convert_i64_u, 0x8000008000000001ull), f32b(9223373136366403584.0f));
  EXPECT_EQ(un(&op_f64_convert_i32_s, kJunk | u32(INT32_MIN)), f64b(-2147483648.0));
  EXPECT_EQ(un(&op_f64_convert_i32_u, kJunk | 0xFFFFFFFF), f64b(4294967295.0));
  EXPECT_EQ(un(&op_f64_convert_i64_s, uint64_t(-1)), f64b(-1.0));
  EXPECT_EQ(un(&op_f64_convert_i64_s, 9007199254740993ull), f64b(9007199254740992.0));
  EXPECT_EQ(un(&op_f64_convert_i64_u, ~0ull), f64b(18446744073709551616.0));
  EXPECT_EQ(un(&op_f64_convert_i64_u, 0x8000000000000401ull), f64b(9223372036854777856.0));
}

TEST(Conversions, DemotePromote) {
  EXPECT_EQ(un(&op_f32_demote_f64, f64b(1.5)), f32b(1.5f));
  EXPECT_EQ(un(&op_f32_demote_f64, f64b(1e300)), f32b(INFINITY));
  EXPECT_EQ(un(&op_f32_demote_f64, f64b(-0.0)), f32b(-0.0f));
  uint64_t r = un(&op_f32_demote_f64, f64b(NAN));
  EXPECT_TRUE(std::isnan(as_f32(r)));
  EXPECT_EQ(r >> 32, 0u);
  EXPECT_EQ(un(&op_f64_promote_f32, kJunk | f32b(1.5f)), f64b(1.5));
  EXPECT_EQ(un(&op_f64_promote_f32, f32b(-INFINITY)), f64b(-INFINITY));
  EXPECT_TRUE(std::isnan(as_f64(un(&op_f64_promote_f32, f32b(NAN)))));
  // Canonical NaN in, canonical NaN out.
  EXPECT_EQ(un(&op_f64_promote_f32, 0x7FC00000) & ~0x8000000000000000ull, 0x7FF8000000000000ull);
}

TEST(Conversions, ReinterpretAndExtend) {
  EXPECT_EQ(un(&op_i32_reinterpret_f32, kJunk | 0x7FA00001), 0x7FA00001u);
  EXPECT_EQ(un(&op_f32_reinterpret_i32, kJunk | 0xFFA00001), 0xFFA00001u);
  EXPECT_EQ(un(&op_i64_reinterpret_f64, 0xFFF4000000000001ull), 0xFFF4000000000001ull);
  EXPECT_EQ(un(&op_f64_reinterpret_i64, 0x7FF4000000000001ull), 0x7FF4000000000001ull);
  EXPECT_EQ(un(&op_i32_wrap_i64, 0x123456789ull), 0x23456789u);
  EXPECT_EQ(un(&op_i64_extend_i32_s, kJunk | 0x80000000), 0xFFFFFFFF80000000ull);
  EXPECT_EQ(un(&op_i64_extend_i32_s, kJunk | 0x7FFFFFFF), 0x7FFFFFFFull);
  EXPECT_EQ(un(&op_i64_extend_i32_u, kJunk | 0x80000000), 0x80000000ull);
  EXPECT_EQ(un(&op_i32_extend8_s, kJunk | 0x180), 0xFFFFFF80u);
  EXPECT_EQ(un(&op_i32_extend8_s, 0x7F), 0x7Fu);
  EXPECT_EQ(un(&op_i32_extend16_s, kJunk | 0x18000), 0xFFFF8000u);
  EXPECT_EQ(un(&op_i64_extend8_s, 0x80), 0xFFFFFFFFFFFFFF80ull);
  EXPECT_EQ(un(&op_i64_extend16_s, 0x12348000), 0xFFFFFFFFFFFF8000ull);
  EXPECT_EQ(un(&op_i64_extend32_s, 0x1280000000ull), 0xFFFFFFFF80000000ull);
  EXPECT_EQ(un(&op_i64_extend32_s, 0x127FFFFFFFull), 0x7FFFFFFFull);
}

}  // namespace
}  // namespace wnn::exec::test
