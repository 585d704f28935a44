// SIMD integer handlers: comparisons, arithmetic, saturating, shifts,
// min/max, widening (extend, extmul, extadd, dot) and narrowing.
// Wrapping arithmetic is done on unsigned lanes (no signed overflow).
#include "exec/simd.h"

WNN_SIMD_BEGIN
namespace wnn::exec {

using namespace simd;

// ---- comparisons: a vector comparison yields all-ones/all-zero lanes ------
#define WNN_CMP(shape, S, U)            \
  WNN_V_BINARY(shape##_eq, S, a == b)   \
  WNN_V_BINARY(shape##_ne, S, a != b)   \
  WNN_V_BINARY(shape##_lt_s, S, a < b)  \
  WNN_V_BINARY(shape##_lt_u, U, a < b)  \
  WNN_V_BINARY(shape##_gt_s, S, a > b)  \
  WNN_V_BINARY(shape##_gt_u, U, a > b)  \
  WNN_V_BINARY(shape##_le_s, S, a <= b) \
  WNN_V_BINARY(shape##_le_u, U, a <= b) \
  WNN_V_BINARY(shape##_ge_s, S, a >= b) \
  WNN_V_BINARY(shape##_ge_u, U, a >= b)
WNN_CMP(i8x16, i8x16, u8x16)
WNN_CMP(i16x8, i16x8, u16x8)
WNN_CMP(i32x4, i32x4, u32x4)
#undef WNN_CMP
WNN_V_BINARY(i64x2_eq, i64x2, a == b)
WNN_V_BINARY(i64x2_ne, i64x2, a != b)
WNN_V_BINARY(i64x2_lt_s, i64x2, a < b)
WNN_V_BINARY(i64x2_gt_s, i64x2, a > b)
WNN_V_BINARY(i64x2_le_s, i64x2, a <= b)
WNN_V_BINARY(i64x2_ge_s, i64x2, a >= b)

// ---- abs / neg / add / sub / mul / shifts / min / max / avgr ---------------
// abs(INT_MIN) is INT_MIN: (a ^ sign) - sign, on unsigned lanes.
template <typename S, typename U> inline U vabs(S a) {
  const U m = U(a >> (sizeof(a[0]) * 8 - 1));
  return (U(a) ^ m) - m;
}

// Shifts take the count mod the lane width (Wasm semantics, and what makes
// the C++ shift defined).
#define WNN_SHIFT(name, V, bits, op)                   \
  WNN_HANDLER(name) {                                  \
    const auto o = layout::Binary::read(ip);           \
    const V a = vload<V>(fp + o.a);                    \
    const int n = int(uint32_t(fp[o.b]) & (bits - 1)); \
    vstore(fp + o.dst, a op n);                        \
    NEXT(layout::Binary::kWords);                      \
  }

// avgr_u = (a + b + 1) >> 1 without overflow; clang turns it into pavgb/w.
#define WNN_INT_COMMON(shape, S, U, bits)      \
  WNN_V_UNARY(shape##_abs, S, (vabs<S, U>(a))) \
  WNN_V_UNARY(shape##_neg, U, U{} - a)         \
  WNN_V_BINARY(shape##_add, U, a + b)          \
  WNN_V_BINARY(shape##_sub, U, a - b)          \
  WNN_SHIFT(shape##_shl, U, bits, <<)          \
  WNN_SHIFT(shape##_shr_s, S, bits, >>)        \
  WNN_SHIFT(shape##_shr_u, U, bits, >>)
WNN_INT_COMMON(i8x16, i8x16, u8x16, 8)
WNN_INT_COMMON(i16x8, i16x8, u16x8, 16)
WNN_INT_COMMON(i32x4, i32x4, u32x4, 32)
WNN_INT_COMMON(i64x2, i64x2, u64x2, 64)
#undef WNN_INT_COMMON
#undef WNN_SHIFT

#define WNN_MINMAX(shape, S, U)                                   \
  WNN_V_BINARY(shape##_min_s, S, __builtin_elementwise_min(a, b)) \
  WNN_V_BINARY(shape##_min_u, U, __builtin_elementwise_min(a, b)) \
  WNN_V_BINARY(shape##_max_s, S, __builtin_elementwise_max(a, b)) \
  WNN_V_BINARY(shape##_max_u, U, __builtin_elementwise_max(a, b))
WNN_MINMAX(i8x16, i8x16, u8x16)
WNN_MINMAX(i16x8, i16x8, u16x8)
WNN_MINMAX(i32x4, i32x4, u32x4)
#undef WNN_MINMAX

#define WNN_SAT(shape, S, U)                                              \
  WNN_V_BINARY(shape##_add_sat_s, S, __builtin_elementwise_add_sat(a, b)) \
  WNN_V_BINARY(shape##_add_sat_u, U, __builtin_elementwise_add_sat(a, b)) \
  WNN_V_BINARY(shape##_sub_sat_s, S, __builtin_elementwise_sub_sat(a, b)) \
  WNN_V_BINARY(shape##_sub_sat_u, U, __builtin_elementwise_sub_sat(a, b)) \
  WNN_V_BINARY(shape##_avgr_u, U, (a | b) - ((a ^ b) >> 1))
WNN_SAT(i8x16, i8x16, u8x16)
WNN_SAT(i16x8, i16x8, u16x8)
#undef WNN_SAT

WNN_V_BINARY(i16x8_mul, u16x8, a* b)
WNN_V_BINARY(i32x4_mul, u32x4, a* b)
WNN_V_BINARY(i64x2_mul, u64x2, a* b)

// popcnt per byte: the nibble-table pshufb lookup.
WNN_HANDLER(i8x16_popcnt) {
  const auto o = layout::Unary::read(ip);
  const u8x16 a = vload<u8x16>(fp + o.src);
#if WNN_SIMD_X86
  const __m128i table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m128i lo = _mm_shuffle_epi8(table, __m128i(a & 15));
  const __m128i hi = _mm_shuffle_epi8(table, __m128i(a >> 4));
  vstore(fp + o.dst, _mm_add_epi8(lo, hi));
#else
  u8x16 r;
  for (int i = 0; i < 16; ++i) r[i] = uint8_t(__builtin_popcount(a[i]));
  vstore(fp + o.dst, r);
#endif
  NEXT(layout::Unary::kWords);
}

// q15mulr_sat_s: (a * b + 0x4000) >> 15, saturated. pmulhrsw computes exactly
// that except for -32768 * -32768, which it returns as 0x8000 instead of 0x7FFF.
WNN_HANDLER(i16x8_q15mulr_sat_s) {
  const auto o = layout::Binary::read(ip);
  const i16x8 a = vload<i16x8>(fp + o.a);
  const i16x8 b = vload<i16x8>(fp + o.b);
#if WNN_SIMD_X86
  const __m128i r = _mm_mulhrs_epi16(__m128i(a), __m128i(b));
  vstore(fp + o.dst, _mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16(int16_t(0x8000)))));
#else
  const i32x4 r0 = (__builtin_convertvector(__builtin_shufflevector(a, a, 0, 1, 2, 3), i32x4) *
                        __builtin_convertvector(__builtin_shufflevector(b, b, 0, 1, 2, 3), i32x4) +
                    0x4000) >>
                   15;
  const i32x4 r1 = (__builtin_convertvector(__builtin_shufflevector(a, a, 4, 5, 6, 7), i32x4) *
                        __builtin_convertvector(__builtin_shufflevector(b, b, 4, 5, 6, 7), i32x4) +
                    0x4000) >>
                   15;
  const i32x4 hi = splat<i32x4>(32767);
  vstore(fp + o.dst,
         __builtin_convertvector(__builtin_shufflevector(__builtin_elementwise_min(r0, hi),
                                                         __builtin_elementwise_min(r1, hi), 0, 1, 2, 3, 4, 5, 6, 7),
                                 i16x8));
#endif
  NEXT(layout::Binary::kWords);
}

// dot: pairwise products summed; -32768^2 * 2 wraps to INT_MIN as in pmaddwd.
WNN_HANDLER(i32x4_dot_i16x8_s) {
  const auto o = layout::Binary::read(ip);
  const i16x8 a = vload<i16x8>(fp + o.a);
  const i16x8 b = vload<i16x8>(fp + o.b);
#if WNN_SIMD_X86
  vstore(fp + o.dst, _mm_madd_epi16(__m128i(a), __m128i(b)));
#else
  const i32x4 p0 = __builtin_convertvector(__builtin_shufflevector(a, a, 0, 2, 4, 6), i32x4) *
                   __builtin_convertvector(__builtin_shufflevector(b, b, 0, 2, 4, 6), i32x4);
  const i32x4 p1 = __builtin_convertvector(__builtin_shufflevector(a, a, 1, 3, 5, 7), i32x4) *
                   __builtin_convertvector(__builtin_shufflevector(b, b, 1, 3, 5, 7), i32x4);
  vstore(fp + o.dst, u32x4(p0) + u32x4(p1));
#endif
  NEXT(layout::Binary::kWords);
}

// ---- widening: extend, extmul, extadd_pairwise ------------------------------
#define WNN_LOW8(v) __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7)
#define WNN_HIGH8(v) __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15)
#define WNN_LOW4(v) __builtin_shufflevector(v, v, 0, 1, 2, 3)
#define WNN_HIGH4(v) __builtin_shufflevector(v, v, 4, 5, 6, 7)
#define WNN_LOW2(v) __builtin_shufflevector(v, v, 0, 1)
#define WNN_HIGH2(v) __builtin_shufflevector(v, v, 2, 3)

// The products fit the wide lane, signed or unsigned: no overflow.
#define WNN_EXTEND(dst, src, S, SW, U, UW, LOW, HIGH)                                       \
  WNN_V_UNARY(dst##_extend_low_##src##_s, S, __builtin_convertvector(LOW(a), SW))           \
  WNN_V_UNARY(dst##_extend_high_##src##_s, S, __builtin_convertvector(HIGH(a), SW))         \
  WNN_V_UNARY(dst##_extend_low_##src##_u, U, __builtin_convertvector(LOW(a), UW))           \
  WNN_V_UNARY(dst##_extend_high_##src##_u, U, __builtin_convertvector(HIGH(a), UW))         \
  WNN_V_BINARY(dst##_extmul_low_##src##_s, S,                                               \
               __builtin_convertvector(LOW(a), SW) * __builtin_convertvector(LOW(b), SW))   \
  WNN_V_BINARY(dst##_extmul_high_##src##_s, S,                                              \
               __builtin_convertvector(HIGH(a), SW) * __builtin_convertvector(HIGH(b), SW)) \
  WNN_V_BINARY(dst##_extmul_low_##src##_u, U,                                               \
               __builtin_convertvector(LOW(a), UW) * __builtin_convertvector(LOW(b), UW))   \
  WNN_V_BINARY(dst##_extmul_high_##src##_u, U,                                              \
               __builtin_convertvector(HIGH(a), UW) * __builtin_convertvector(HIGH(b), UW))
WNN_EXTEND(i16x8, i8x16, i8x16, i16x8, u8x16, u16x8, WNN_LOW8, WNN_HIGH8)
WNN_EXTEND(i32x4, i16x8, i16x8, i32x4, u16x8, u32x4, WNN_LOW4, WNN_HIGH4)
WNN_EXTEND(i64x2, i32x4, i32x4, i64x2, u32x4, u64x2, WNN_LOW2, WNN_HIGH2)
#undef WNN_EXTEND

#define WNN_EVEN8(v) __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14)
#define WNN_ODD8(v) __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15)
#define WNN_EVEN4(v) __builtin_shufflevector(v, v, 0, 2, 4, 6)
#define WNN_ODD4(v) __builtin_shufflevector(v, v, 1, 3, 5, 7)
#if WNN_SIMD_X86
// pmaddubsw (u8 x s8) and pmaddwd (s16 x s16) against ones.
WNN_V_UNARY(i16x8_extadd_pairwise_i8x16_s, i8x16, _mm_maddubs_epi16(_mm_set1_epi8(1), __m128i(a)))
WNN_V_UNARY(i16x8_extadd_pairwise_i8x16_u, u8x16, _mm_maddubs_epi16(__m128i(a), _mm_set1_epi8(1)))
WNN_V_UNARY(i32x4_extadd_pairwise_i16x8_s, i16x8, _mm_madd_epi16(__m128i(a), _mm_set1_epi16(1)))
#else
WNN_V_UNARY(i16x8_extadd_pairwise_i8x16_s, i8x16,
            __builtin_convertvector(WNN_EVEN8(a), i16x8) + __builtin_convertvector(WNN_ODD8(a), i16x8))
WNN_V_UNARY(i16x8_extadd_pairwise_i8x16_u, u8x16,
            __builtin_convertvector(WNN_EVEN8(a), u16x8) + __builtin_convertvector(WNN_ODD8(a), u16x8))
WNN_V_UNARY(i32x4_extadd_pairwise_i16x8_s, i16x8,
            __builtin_convertvector(WNN_EVEN4(a), i32x4) + __builtin_convertvector(WNN_ODD4(a), i32x4))
#endif
WNN_V_UNARY(i32x4_extadd_pairwise_i16x8_u, u16x8,
            __builtin_convertvector(WNN_EVEN4(a), u32x4) + __builtin_convertvector(WNN_ODD4(a), u32x4))
#undef WNN_EVEN8
#undef WNN_ODD8
#undef WNN_EVEN4
#undef WNN_ODD4
#undef WNN_LOW8
#undef WNN_HIGH8
#undef WNN_LOW4
#undef WNN_HIGH4
#undef WNN_LOW2
#undef WNN_HIGH2

// ---- narrowing: signed inputs, saturated to the narrow lane ---------------
#if WNN_SIMD_X86
WNN_V_BINARY(i8x16_narrow_i16x8_s, i16x8, _mm_packs_epi16(__m128i(a), __m128i(b)))
WNN_V_BINARY(i8x16_narrow_i16x8_u, i16x8, _mm_packus_epi16(__m128i(a), __m128i(b)))
WNN_V_BINARY(i16x8_narrow_i32x4_s, i32x4, _mm_packs_epi32(__m128i(a), __m128i(b)))
WNN_V_BINARY(i16x8_narrow_i32x4_u, i32x4, _mm_packus_epi32(__m128i(a), __m128i(b)))
#else
template <typename N, typename E, typename W, typename T> inline N narrow(W a, W b, T lo, T hi) {
  const W ca = __builtin_elementwise_min(__builtin_elementwise_max(a, splat<W>(lo)), splat<W>(hi));
  const W cb = __builtin_elementwise_min(__builtin_elementwise_max(b, splat<W>(lo)), splat<W>(hi));
  N r;
  constexpr unsigned n = sizeof(W) / sizeof(T);
  for (unsigned i = 0; i < n; ++i) {
    r[i] = E(ca[i]);
    r[i + n] = E(cb[i]);
  }
  return r;
}
WNN_V_BINARY(i8x16_narrow_i16x8_s, i16x8, (narrow<i8x16, int8_t>(a, b, int16_t(-128), int16_t(127))))
WNN_V_BINARY(i8x16_narrow_i16x8_u, i16x8, (narrow<u8x16, uint8_t>(a, b, int16_t(0), int16_t(255))))
WNN_V_BINARY(i16x8_narrow_i32x4_s, i32x4, (narrow<i16x8, int16_t>(a, b, int32_t(-32768), int32_t(32767))))
WNN_V_BINARY(i16x8_narrow_i32x4_u, i32x4, (narrow<u16x8, uint16_t>(a, b, int32_t(0), int32_t(65535))))
#endif

}  // namespace wnn::exec
WNN_SIMD_END
