// SIMD handlers end to end on hand-assembled code: the edge cases where a
// plain host instruction differs from Wasm (NaN and signed zeros in min/max,
// saturating conversions, q15mulr, narrowing, abs of INT_MIN, shift counts,
// swizzle indices) and the layouts of lane and memory instructions.
#include <cmath>
#include <cstring>
#include <limits>

#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

struct V {
  uint64_t lo = 0, hi = 0;
};

template <typename T, size_t N> V vec(const T (&lanes)[N]) {
  static_assert(sizeof(T) * N == 16);
  V v;
  std::memcpy(&v, lanes, 16);
  return v;
}
template <typename T> T lane(V v, unsigned i) {
  T x;
  std::memcpy(&x, reinterpret_cast<const uint8_t*>(&v) + i * sizeof(T), sizeof(T));
  return x;
}

// fp[4..5] = op(fp[0..1], fp[2..3]), then copied to the result slots.
V vbin(Handler h, V a, V b) {
  Env env;
  Asm c;
  c.op(h).ab(4, 0).ab(2, 0).op(&op_copy2).ab(0, 4).ret();
  Outcome r = env.run(env.func(c, 4, 4, 2, 6), {a.lo, a.hi, b.lo, b.hi});
  EXPECT_EQ(r.trap, TrapKind::None) << r.message;
  return {r[0], r[1]};
}
// In place: dst == src.
V vun(Handler h, V a) {
  Env env;
  Asm c;
  c.op(h).ab(0, 0).ret();
  Outcome r = env.run(env.func(c, 2, 2, 2, 2), {a.lo, a.hi});
  EXPECT_EQ(r.trap, TrapKind::None) << r.message;
  return {r[0], r[1]};
}

const float fnan = std::numeric_limits<float>::quiet_NaN();
const double dnan = std::numeric_limits<double>::quiet_NaN();
const float finf = std::numeric_limits<float>::infinity();

bool is_canonical_f32(float f) { return (std::bit_cast<uint32_t>(f) & 0x7FFFFFFFu) == 0x7FC00000u; }
// Quiet NaN, any payload: what Wasm allows when an input NaN is not canonical.
bool is_arithmetic_f32(float f) { return (std::bit_cast<uint32_t>(f) & 0x7FC00000u) == 0x7FC00000u; }
bool is_canonical_f64(double d) {
  return (std::bit_cast<uint64_t>(d) & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
}

TEST(Simd, F32x4MinMaxNaNAndSignedZero) {
  const float a[4] = {1.0f, -0.0f, fnan, 0.0f};
  const float b[4] = {2.0f, 0.0f, 1.0f, std::bit_cast<float>(0x7FA00001u)};  // lane 3: signalling NaN
  V mn = vbin(&op_f32x4_min, vec(a), vec(b));
  EXPECT_EQ(lane<float>(mn, 0), 1.0f);
  EXPECT_EQ(lane<uint32_t>(mn, 1), 0x80000000u);  // -0
  EXPECT_TRUE(is_canonical_f32(lane<float>(mn, 2)));
  EXPECT_TRUE(is_arithmetic_f32(lane<float>(mn, 3)));
  V mx = vbin(&op_f32x4_max, vec(a), vec(b));
  EXPECT_EQ(lane<float>(mx, 0), 2.0f);
  EXPECT_EQ(lane<uint32_t>(mx, 1), 0u);  // +0
  EXPECT_TRUE(is_canonical_f32(lane<float>(mx, 2)));
  EXPECT_TRUE(is_arithmetic_f32(lane<float>(mx, 3)));
  // Operands swapped: same answers.
  mn = vbin(&op_f32x4_min, vec(b), vec(a));
  EXPECT_EQ(lane<uint32_t>(mn, 1), 0x80000000u);
  EXPECT_TRUE(is_canonical_f32(lane<float>(mn, 2)));
  mx = vbin(&op_f32x4_max, vec(b), vec(a));
  EXPECT_EQ(lane<uint32_t>(mx, 1), 0u);
  EXPECT_TRUE(is_arithmetic_f32(lane<float>(mx, 3)));
}

TEST(Simd, F64x2MinMaxAndPseudo) {
  const double a[2] = {-0.0, dnan}, b[2] = {0.0, 5.0};
  V mn = vbin(&op_f64x2_min, vec(a), vec(b));
  EXPECT_EQ(lane<uint64_t>(mn, 0), 0x8000000000000000ull);
  EXPECT_TRUE(is_canonical_f64(lane<double>(mn, 1)));
  V mx = vbin(&op_f64x2_max, vec(b), vec(a));
  EXPECT_EQ(lane<uint64_t>(mx, 0), 0u);
  EXPECT_TRUE(is_canonical_f64(lane<double>(mx, 1)));
  // pmin = b < a ? b : a: equal zeros and NaN give a.
  V pm = vbin(&op_f64x2_pmin, vec(a), vec(b));
  EXPECT_EQ(lane<uint64_t>(pm, 0), 0x8000000000000000ull);
  EXPECT_TRUE(std::isnan(lane<double>(pm, 1)));
  pm = vbin(&op_f64x2_pmax, vec(b), vec(a));
  EXPECT_EQ(lane<uint64_t>(pm, 0), 0u);
  EXPECT_EQ(lane<double>(pm, 1), 5.0);
}

TEST(Simd, TruncSat) {
  const float f[4] = {fnan, 3e9f, -1.5f, -finf};
  V s = vun(&op_i32x4_trunc_sat_f32x4_s, vec(f));
  EXPECT_EQ(lane<int32_t>(s, 0), 0);
  EXPECT_EQ(lane<int32_t>(s, 1), INT32_MAX);
  EXPECT_EQ(lane<int32_t>(s, 2), -1);
  EXPECT_EQ(lane<int32_t>(s, 3), INT32_MIN);
  const float g[4] = {3e9f, 4.5e9f, -0.9f, 2147483648.0f};
  V u = vun(&op_i32x4_trunc_sat_f32x4_u, vec(g));
  EXPECT_EQ(lane<uint32_t>(u, 0), 3000000000u);
  EXPECT_EQ(lane<uint32_t>(u, 1), UINT32_MAX);
  EXPECT_EQ(lane<uint32_t>(u, 2), 0u);
  EXPECT_EQ(lane<uint32_t>(u, 3), 2147483648u);
  EXPECT_EQ(lane<uint32_t>(vun(&op_i32x4_trunc_sat_f32x4_u, vec(f)), 0), 0u);  // NaN
  const double d[2] = {-3e9, 2147483647.9};
  V sz = vun(&op_i32x4_trunc_sat_f64x2_s_zero, vec(d));
  EXPECT_EQ(lane<int32_t>(sz, 0), INT32_MIN);
  EXPECT_EQ(lane<int32_t>(sz, 1), INT32_MAX);
  EXPECT_EQ(sz.hi, 0u);
  const double e[2] = {dnan, 5e9};
  V uz = vun(&op_i32x4_trunc_sat_f64x2_u_zero, vec(e));
  EXPECT_EQ(lane<uint32_t>(uz, 0), 0u);
  EXPECT_EQ(lane<uint32_t>(uz, 1), UINT32_MAX);
  EXPECT_EQ(uz.hi, 0u);
}

TEST(Simd, ConversionsAndRounding) {
  const uint32_t u[4] = {UINT32_MAX, 0x80000001u, 1, 0x01000001u};
  V f = vun(&op_f32x4_convert_i32x4_u, vec(u));
  EXPECT_EQ(lane<float>(f, 0), 4294967296.0f);
  EXPECT_EQ(lane<float>(f, 1), 2147483648.0f);
  EXPECT_EQ(lane<float>(f, 3), 16777216.0f);  // ties to even
  const float r[4] = {2.5f, 3.5f, -0.5f, -2.5f};
  V n = vun(&op_f32x4_nearest, vec(r));
  EXPECT_EQ(lane<float>(n, 0), 2.0f);
  EXPECT_EQ(lane<float>(n, 1), 4.0f);
  EXPECT_EQ(lane<uint32_t>(n, 2), 0x80000000u);
  EXPECT_EQ(lane<float>(n, 3), -2.0f);
  const double d[2] = {1e300, -1.0};
  V dm = vun(&op_f32x4_demote_f64x2_zero, vec(d));
  EXPECT_EQ(lane<float>(dm, 0), finf);
  EXPECT_EQ(lane<float>(dm, 1), -1.0f);
  EXPECT_EQ(dm.hi, 0u);
}

TEST(Simd, Q15MulrSaturates) {
  const int16_t a[8] = {-32768, 16384, -32768, 1, -1, 32767, 0, -16384};
  const int16_t b[8] = {-32768, 16384, 32767, 1, 1, 32767, 5, 1};
  V r = vbin(&op_i16x8_q15mulr_sat_s, vec(a), vec(b));
  const int16_t want[8] = {32767, 8192, -32767, 0, 0, 32766, 0, 0};
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(lane<int16_t>(r, i), want[i]) << i;
}

TEST(Simd, NarrowSaturatesSignedInput) {
  const int16_t a[8] = {300, -300, 127, -128, 255, 256, -1, 0};
  V s = vbin(&op_i8x16_narrow_i16x8_s, vec(a), vec(a));
  V u = vbin(&op_i8x16_narrow_i16x8_u, vec(a), vec(a));
  const int8_t ws[8] = {127, -128, 127, -128, 127, 127, -1, 0};
  const uint8_t wu[8] = {255, 0, 127, 0, 255, 255, 0, 0};
  for (unsigned i = 0; i < 16; ++i) {
    EXPECT_EQ(lane<int8_t>(s, i), ws[i % 8]) << i;
    EXPECT_EQ(lane<uint8_t>(u, i), wu[i % 8]) << i;
  }
  const int32_t w[4] = {70000, -70000, 65535, -1};
  V u16 = vbin(&op_i16x8_narrow_i32x4_u, vec(w), vec(w));
  EXPECT_EQ(lane<uint16_t>(u16, 0), 65535);
  EXPECT_EQ(lane<uint16_t>(u16, 1), 0);
  EXPECT_EQ(lane<uint16_t>(u16, 2), 65535);
  EXPECT_EQ(lane<uint16_t>(u16, 7), 0);
}

TEST(Simd, IntegerEdgeCases) {
  const int8_t a[16] = {-128, -1, 127, 0, 5, -5, 1, 2, 3, 4, 5, 6, 7, 8, 9, -128};
  V abs = vun(&op_i8x16_abs, vec(a));
  EXPECT_EQ(lane<int8_t>(abs, 0), -128);  // abs(INT_MIN) wraps
  EXPECT_EQ(lane<int8_t>(abs, 1), 1);
  EXPECT_EQ(lane<int8_t>(abs, 5), 5);
  V pop = vun(&op_i8x16_popcnt, vec(a));
  EXPECT_EQ(lane<uint8_t>(pop, 0), 1);
  EXPECT_EQ(lane<uint8_t>(pop, 1), 8);
  EXPECT_EQ(lane<uint8_t>(pop, 2), 7);
  EXPECT_EQ(lane<uint8_t>(pop, 3), 0);
  // Shift counts are taken mod the lane width.
  const uint32_t x[4] = {1, 2, 0x80000000u, 3};
  V shl = vbin(&op_i32x4_shl, vec(x), V{33, 0});
  EXPECT_EQ(lane<uint32_t>(shl, 0), 2u);
  EXPECT_EQ(lane<uint32_t>(shl, 2), 0u);
  V sar = vbin(&op_i8x16_shr_s, vec(a), V{9, 0});
  EXPECT_EQ(lane<int8_t>(sar, 0), -64);
  // avgr_u rounds up without overflow.
  const uint8_t p[16] = {255, 0, 1, 254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const uint8_t q[16] = {255, 1, 2, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  V avg = vbin(&op_i8x16_avgr_u, vec(p), vec(q));
  EXPECT_EQ(lane<uint8_t>(avg, 0), 255);
  EXPECT_EQ(lane<uint8_t>(avg, 1), 1);
  EXPECT_EQ(lane<uint8_t>(avg, 2), 2);
  EXPECT_EQ(lane<uint8_t>(avg, 3), 255);
  // dot: -32768 * -32768 * 2 wraps to INT32_MIN.
  const int16_t d[8] = {-32768, -32768, 1, 2, 3, 4, -1, 1};
  V dot = vbin(&op_i32x4_dot_i16x8_s, vec(d), vec(d));
  EXPECT_EQ(lane<int32_t>(dot, 0), INT32_MIN);
  EXPECT_EQ(lane<int32_t>(dot, 1), 5);
  EXPECT_EQ(lane<int32_t>(dot, 3), 2);
  // extmul/extadd widen before the arithmetic.
  V em = vbin(&op_i32x4_extmul_high_i16x8_u, vec(d), vec(d));
  EXPECT_EQ(lane<uint32_t>(em, 2), 65535u * 65535u);
  V ea = vun(&op_i16x8_extadd_pairwise_i8x16_s, vec(a));
  EXPECT_EQ(lane<int16_t>(ea, 0), -129);
  V eu = vun(&op_i16x8_extadd_pairwise_i8x16_u, vec(a));
  EXPECT_EQ(lane<int16_t>(eu, 0), 128 + 255);
}

TEST(Simd, LanesSwizzleBitmask) {
  const uint8_t a[16] = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
  const uint8_t idx[16] = {15, 0, 16, 255, 1, 128, 2, 17, 0, 0, 0, 0, 0, 0, 0, 14};
  V s = vbin(&op_i8x16_swizzle, vec(a), vec(idx));
  const uint8_t want[8] = {25, 10, 0, 0, 11, 0, 12, 0};
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(lane<uint8_t>(s, i), want[i]) << i;
  EXPECT_EQ(lane<uint8_t>(s, 15), 24);
  const int16_t m[8] = {-1, 0, -32768, 1, 0, 0, 0, -5};
  Outcome r = [&] {
    Env env;
    Asm c;
    c.op(&op_i16x8_bitmask).ab(0, 0).ret();
    V v = vec(m);
    return env.run(env.func(c, 2, 2, 1, 2), {v.lo, v.hi});
  }();
  EXPECT_EQ(r[0], 0b10000101u);
  // Extract (sign/zero extension) and replace through one function:
  // fp[2] = extract_lane_s(fp[0..1], 5); fp[0..1] = replace_lane(fp[0..1], fp[3], 0)
  Env env;
  Asm c;
  c.op(&op_i8x16_extract_lane_s).ab(2, 0).ab(5, 0);
  c.op(&op_i8x16_extract_lane_u).ab(4, 0).ab(5, 0);
  c.op(&op_i8x16_replace_lane).ab(0, 0).ab(3, 0).ret();
  const uint8_t b[16] = {0, 0, 0, 0, 0, 0xF0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  V v = vec(b);
  Outcome o = env.run(env.func(c, 4, 4, 2, 5), {v.lo, v.hi, 0, 0x1AB});
  EXPECT_EQ(o.trap, TrapKind::None) << o.message;
  EXPECT_EQ(o[0], 0x0000F000000000ABull);
}

TEST(Simd, MemoryLanesAndBounds) {
  Env env;
  MemoryInst* mem = env.memory(1);
  for (int i = 0; i < 16; ++i) mem->base[65536 - 16 + i] = uint8_t(i + 1);
  // fp[2..3] = load32_lane(addr fp[0], offset 4, lane 3, vec fp[4..5]);
  // store16_lane(addr fp[1], vec fp[2..3], offset 0, lane 6).
  Asm c;
  c.op(&op_v128_load32_lane).ab(2, 0).ab(4, 3).ab(4, 0);
  c.op(&op_v128_store16_lane).ab(1, 2).ab(0, 6);
  c.op(&op_copy2).ab(0, 2).ret();
  FuncInst* f = env.func(c, 6, 6, 2, 6);
  Outcome o = env.run(f, {65536 - 16, 0, 0, 0, 0x1111111111111111ull, 0x2222222222222222ull});
  EXPECT_EQ(o.trap, TrapKind::None) << o.message;
  EXPECT_EQ(o[0], 0x1111111111111111ull);
  EXPECT_EQ(o[1], 0x0807060522222222ull);
  EXPECT_EQ(mem->base[0], 5);
  EXPECT_EQ(mem->base[1], 6);
  // One byte past the end traps.
  o = env.run(f, {65536 - 7, 0, 0, 0, 0, 0});
  EXPECT_EQ(o.trap, TrapKind::MemoryOutOfBounds);
  Asm l;
  l.op(&op_v128_load).ab(0, 0).ab(1, 0).ret();
  EXPECT_EQ(env.run(env.func(l, 2, 2, 2, 2), {65536 - 16, 0}).trap, TrapKind::MemoryOutOfBounds);
}

}  // namespace
}  // namespace wnn::exec::test
