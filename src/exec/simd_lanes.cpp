// SIMD handlers that move lanes and bits: v128.const, shuffle, swizzle,
// splat, lane extract/replace, bitwise ops and the v128 -> i32 tests.
#include "exec/simd.h"

namespace wnn::exec {

bool simd_cpu_supported() {
#if WNN_SIMD_X86
  static const bool ok = __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
  return ok;
#else
  return true;
#endif
}

}  // namespace wnn::exec

WNN_SIMD_BEGIN
namespace wnn::exec {

using namespace simd;

WNN_HANDLER(v128_const) {
  const auto o = layout::V128Const::read(ip);
  vstore(fp + o.dst, u64x2{o.lo, o.hi});
  NEXT(layout::V128Const::kWords);
}

// pshufb zeroes a lane whose index
// byte has bit 7 set and otherwise uses its low 4 bits: adding 0x70 keeps
// indices 0..15 (into a) and sets bit 7 for 16..31; flipping bit 4 first
// does the same for b.
WNN_HANDLER(i8x16_shuffle) {
  const auto o = layout::Shuffle::read(ip);
  const u8x16 a = vload<u8x16>(fp + o.a);
  const u8x16 b = vload<u8x16>(fp + o.b);
  const u8x16 idx = u8x16(u64x2{o.lanes_lo, o.lanes_hi});
#if WNN_SIMD_X86
  const __m128i ra = _mm_shuffle_epi8(__m128i(a), __m128i(idx + 0x70));
  const __m128i rb = _mm_shuffle_epi8(__m128i(b), __m128i((idx ^ 0x10) + 0x70));
  vstore(fp + o.dst, _mm_or_si128(ra, rb));
#else
  u8x16 r;
  for (int i = 0; i < 16; ++i) r[i] = idx[i] < 16 ? a[idx[i]] : b[idx[i] & 15];
  vstore(fp + o.dst, r);
#endif
  NEXT(layout::Shuffle::kWords);
}

// Out-of-range indices (>= 16) select 0: saturating +0x70 sets bit 7 for them.
WNN_HANDLER(i8x16_swizzle) {
  const auto o = layout::Binary::read(ip);
  const u8x16 a = vload<u8x16>(fp + o.a);
  const u8x16 idx = vload<u8x16>(fp + o.b);
#if WNN_SIMD_X86
  vstore(fp + o.dst, _mm_shuffle_epi8(__m128i(a), _mm_adds_epu8(__m128i(idx), _mm_set1_epi8(0x70))));
#else
  u8x16 r;
  for (int i = 0; i < 16; ++i) r[i] = idx[i] < 16 ? a[idx[i]] : 0;
  vstore(fp + o.dst, r);
#endif
  NEXT(layout::Binary::kWords);
}

#define WNN_SPLAT(name, T, V)               \
  WNN_HANDLER(name) {                       \
    const auto o = layout::Unary::read(ip); \
    const T x = T(fp[o.src]);               \
    vstore(fp + o.dst, splat<V>(x));        \
    NEXT(layout::Unary::kWords);            \
  }
WNN_SPLAT(i8x16_splat, uint8_t, u8x16)
WNN_SPLAT(i16x8_splat, uint16_t, u16x8)
WNN_SPLAT(i32x4_splat, uint32_t, u32x4)
WNN_SPLAT(i64x2_splat, uint64_t, u64x2)
WNN_SPLAT(f32x4_splat, uint32_t, u32x4)  // as bits: keeps NaN payloads
WNN_SPLAT(f64x2_splat, uint64_t, u64x2)
#undef WNN_SPLAT

// Lane T, widened to the result R.
#define WNN_EXTRACT(name, T, R)                                                                    \
  WNN_HANDLER(name) {                                                                              \
    const auto o = layout::ExtractLane::read(ip);                                                  \
    T x;                                                                                           \
    std::memcpy(&x, reinterpret_cast<const uint8_t*>(fp + o.src) + o.lane * sizeof(T), sizeof(T)); \
    fp[o.dst] = to_slot(R(x));                                                                     \
    NEXT(layout::ExtractLane::kWords);                                                             \
  }
WNN_EXTRACT(i8x16_extract_lane_s, int8_t, int32_t)
WNN_EXTRACT(i8x16_extract_lane_u, uint8_t, uint32_t)
WNN_EXTRACT(i16x8_extract_lane_s, int16_t, int32_t)
WNN_EXTRACT(i16x8_extract_lane_u, uint16_t, uint32_t)
WNN_EXTRACT(i32x4_extract_lane, uint32_t, uint32_t)
WNN_EXTRACT(i64x2_extract_lane, uint64_t, uint64_t)
WNN_EXTRACT(f32x4_extract_lane, uint32_t, uint32_t)
WNN_EXTRACT(f64x2_extract_lane, uint64_t, uint64_t)
#undef WNN_EXTRACT

#define WNN_REPLACE(name, T, V)                             \
  WNN_HANDLER(name) {                                       \
    const auto o = layout::ReplaceLane::read(ip);           \
    const V v = vload<V>(fp + o.vec);                       \
    vstore(fp + o.dst, insert_lane(v, T(fp[o.x]), o.lane)); \
    NEXT(layout::ReplaceLane::kWords);                      \
  }
WNN_REPLACE(i8x16_replace_lane, uint8_t, u8x16)
WNN_REPLACE(i16x8_replace_lane, uint16_t, u16x8)
WNN_REPLACE(i32x4_replace_lane, uint32_t, u32x4)
WNN_REPLACE(i64x2_replace_lane, uint64_t, u64x2)
WNN_REPLACE(f32x4_replace_lane, uint32_t, u32x4)
WNN_REPLACE(f64x2_replace_lane, uint64_t, u64x2)
#undef WNN_REPLACE

// ---- bitwise ---------------------------------------------------------------
WNN_V_UNARY(v128_not, u64x2, ~a)
WNN_V_BINARY(v128_and, u64x2, a& b)
WNN_V_BINARY(v128_andnot, u64x2, a & ~b)
WNN_V_BINARY(v128_or, u64x2, a | b)
WNN_V_BINARY(v128_xor, u64x2, a ^ b)

WNN_HANDLER(v128_bitselect) {
  const auto o = layout::Bitselect::read(ip);
  const u64x2 a = vload<u64x2>(fp + o.a);
  const u64x2 b = vload<u64x2>(fp + o.b);
  const u64x2 c = vload<u64x2>(fp + o.c);
  vstore(fp + o.dst, (a & c) | (b & ~c));
  NEXT(layout::Bitselect::kWords);
}

// ---- tests: v128 -> i32 ----------------------------------------------------
WNN_HANDLER(v128_any_true) {
  const auto o = layout::Unary::read(ip);
  fp[o.dst] = to_slot((fp[o.src] | fp[o.src + 1]) != 0);
  NEXT(layout::Unary::kWords);
}

// All lanes non-zero: no lane compares equal to zero.
template <typename V> inline bool all_true(V a) {
  const u64x2 z = u64x2(a == V{});
  return (z[0] | z[1]) == 0;
}
WNN_V_TEST(i8x16_all_true, i8x16, all_true(a))
WNN_V_TEST(i16x8_all_true, i16x8, all_true(a))
WNN_V_TEST(i32x4_all_true, i32x4, all_true(a))
WNN_V_TEST(i64x2_all_true, i64x2, all_true(a))

#if WNN_SIMD_X86
WNN_V_TEST(i8x16_bitmask, i8x16, _mm_movemask_epi8(__m128i(a)))
// packsswb keeps each lane's sign; the high 8 bytes come from zero.
WNN_V_TEST(i16x8_bitmask, i16x8, _mm_movemask_epi8(_mm_packs_epi16(__m128i(a), _mm_setzero_si128())))
WNN_V_TEST(i32x4_bitmask, i32x4, _mm_movemask_ps(__m128(a)))
WNN_V_TEST(i64x2_bitmask, i64x2, _mm_movemask_pd(__m128d(a)))
#else
template <typename V> inline uint32_t bitmask(V a) {
  uint32_t m = 0;
  for (unsigned i = 0; i < sizeof(V) / sizeof(a[0]); ++i) m |= uint32_t(a[i] < 0) << i;
  return m;
}
WNN_V_TEST(i8x16_bitmask, i8x16, bitmask(a))
WNN_V_TEST(i16x8_bitmask, i16x8, bitmask(a))
WNN_V_TEST(i32x4_bitmask, i32x4, bitmask(a))
WNN_V_TEST(i64x2_bitmask, i64x2, bitmask(a))
#endif

}  // namespace wnn::exec
WNN_SIMD_END
