// SIMD float handlers: comparisons, arithmetic, min/max (Wasm NaN and
// signed-zero rules), rounding and conversions (saturating truncations,
// demote/promote).
#include <cmath>
#include <limits>

#include "exec/simd.h"

WNN_SIMD_BEGIN
namespace wnn::exec {

using namespace simd;

// ---- comparisons (ne is unordered: true for NaN) ---------------------------
#define WNN_FCMP(shape, F)            \
  WNN_V_BINARY(shape##_eq, F, a == b) \
  WNN_V_BINARY(shape##_ne, F, a != b) \
  WNN_V_BINARY(shape##_lt, F, a < b)  \
  WNN_V_BINARY(shape##_gt, F, a > b)  \
  WNN_V_BINARY(shape##_le, F, a <= b) \
  WNN_V_BINARY(shape##_ge, F, a >= b)
WNN_FCMP(f32x4, f32x4)
WNN_FCMP(f64x2, f64x2)
#undef WNN_FCMP

// ---- sign bit ops: bit operations, NaN payloads untouched ------------------
WNN_V_UNARY(f32x4_abs, u32x4, a & 0x7FFFFFFFu)
WNN_V_UNARY(f32x4_neg, u32x4, a ^ 0x80000000u)
WNN_V_UNARY(f64x2_abs, u64x2, a & 0x7FFFFFFFFFFFFFFFull)
WNN_V_UNARY(f64x2_neg, u64x2, a ^ 0x8000000000000000ull)

// ---- arithmetic and rounding (nearest: ties to even) ----------------------
#define WNN_FARITH(shape, F)                                          \
  WNN_V_UNARY(shape##_sqrt, F, __builtin_elementwise_sqrt(a))         \
  WNN_V_UNARY(shape##_ceil, F, __builtin_elementwise_ceil(a))         \
  WNN_V_UNARY(shape##_floor, F, __builtin_elementwise_floor(a))       \
  WNN_V_UNARY(shape##_trunc, F, __builtin_elementwise_trunc(a))       \
  WNN_V_UNARY(shape##_nearest, F, __builtin_elementwise_roundeven(a)) \
  WNN_V_BINARY(shape##_add, F, a + b)                                 \
  WNN_V_BINARY(shape##_sub, F, a - b)                                 \
  WNN_V_BINARY(shape##_mul, F, a *b)                                  \
  WNN_V_BINARY(shape##_div, F, a / b)
WNN_FARITH(f32x4, f32x4)
WNN_FARITH(f64x2, f64x2)
#undef WNN_FARITH

// b = v128.load offset (addr), then a op b. Saves a
// dispatch and a slot round trip in the common "load, then arithmetic" pair.
#define WNN_BINARY_MEM(name, F, op)                                          \
  WNN_HANDLER(name) {                                                        \
    const auto o = layout::VecBinaryMem::read(ip);                           \
    const uint64_t ea = uint64_t(uint32_t(fp[o.addr])) + uint64_t(o.offset); \
    if (ea + 16 > th->mem_size) [[unlikely]]                                 \
      return TrapKind::MemoryOutOfBounds;                                    \
    const F a = vload<F>(fp + o.a);                                          \
    const F b = vload<F>(mem + ea);                                          \
    vstore(fp + o.dst, a op b);                                              \
    NEXT(layout::VecBinaryMem::kWords);                                      \
  }
WNN_BINARY_MEM(f32x4_add_mem, f32x4, +)
WNN_BINARY_MEM(f32x4_sub_mem, f32x4, -)
WNN_BINARY_MEM(f32x4_mul_mem, f32x4, *)
#undef WNN_BINARY_MEM

// pmin/pmax are defined as plain comparisons: b < a ? b : a, a < b ? b : a.
template <typename F> inline F select(decltype(F{} < F{}) m, F x, F y) {
  using M = decltype(m);
  return F((M(x) & m) | (M(y) & ~m));
}
WNN_V_BINARY(f32x4_pmin, f32x4, select(b < a, b, a))
WNN_V_BINARY(f32x4_pmax, f32x4, select(a < b, b, a))
WNN_V_BINARY(f64x2_pmin, f64x2, select(b < a, b, a))
WNN_V_BINARY(f64x2_pmax, f64x2, select(a < b, b, a))

// min/max: NaN if either lane is NaN, and -0 < +0. minps/maxps return their
// second operand for NaN or equal inputs, so compute both orders and merge
// (the sequences V8 uses); NaN lanes come out as a canonical NaN.
#if WNN_SIMD_X86
inline __m128 fmin4(__m128 a, __m128 b) {
  __m128 x = _mm_min_ps(a, b), y = _mm_min_ps(b, a);
  x = _mm_or_ps(x, y);                  // -0 from either; NaN from either
  y = _mm_cmpunord_ps(y, x);            // NaN lanes
  x = _mm_or_ps(x, y);
  y = _mm_castsi128_ps(_mm_srli_epi32(_mm_castps_si128(y), 10));
  return _mm_andnot_ps(y, x);           // NaN lanes: 0xFFC00000
}
inline __m128 fmax4(__m128 a, __m128 b) {
  __m128 x = _mm_max_ps(a, b), y = _mm_max_ps(b, a);
  y = _mm_xor_ps(y, x);                 // where the two orders disagree
  x = _mm_or_ps(x, y);                  // NaN propagation
  x = _mm_sub_ps(x, y);                 // +0 vs -0 -> +0; quiets NaNs
  y = _mm_cmpunord_ps(x, x);
  y = _mm_castsi128_ps(_mm_srli_epi32(_mm_castps_si128(y), 10));
  return _mm_andnot_ps(y, x);
}
inline __m128d fmin2(__m128d a, __m128d b) {
  __m128d x = _mm_min_pd(a, b), y = _mm_min_pd(b, a);
  x = _mm_or_pd(x, y);
  y = _mm_cmpunord_pd(y, x);
  x = _mm_or_pd(x, y);
  y = _mm_castsi128_pd(_mm_srli_epi64(_mm_castpd_si128(y), 13));
  return _mm_andnot_pd(y, x);
}
inline __m128d fmax2(__m128d a, __m128d b) {
  __m128d x = _mm_max_pd(a, b), y = _mm_max_pd(b, a);
  y = _mm_xor_pd(y, x);
  x = _mm_or_pd(x, y);
  x = _mm_sub_pd(x, y);
  y = _mm_cmpunord_pd(x, x);
  y = _mm_castsi128_pd(_mm_srli_epi64(_mm_castpd_si128(y), 13));
  return _mm_andnot_pd(y, x);
}
WNN_V_BINARY(f32x4_min, f32x4, fmin4(__m128(a), __m128(b)))
WNN_V_BINARY(f32x4_max, f32x4, fmax4(__m128(a), __m128(b)))
WNN_V_BINARY(f64x2_min, f64x2, fmin2(__m128d(a), __m128d(b)))
WNN_V_BINARY(f64x2_max, f64x2, fmax2(__m128d(a), __m128d(b)))
#else
template <typename F> inline F lane_min(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename F> inline F lane_max(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
template <typename V, bool Max> inline V minmax(V a, V b) {
  V r;
  for (unsigned i = 0; i < sizeof(V) / sizeof(a[0]); ++i) r[i] = Max ? lane_max(a[i], b[i]) : lane_min(a[i], b[i]);
  return r;
}
WNN_V_BINARY(f32x4_min, f32x4, (minmax<f32x4, false>(a, b)))
WNN_V_BINARY(f32x4_max, f32x4, (minmax<f32x4, true>(a, b)))
WNN_V_BINARY(f64x2_min, f64x2, (minmax<f64x2, false>(a, b)))
WNN_V_BINARY(f64x2_max, f64x2, (minmax<f64x2, true>(a, b)))
#endif

// ---- conversions -----------------------------------------------------------
// int -> float: clang's lowering rounds once, also for u32 -> f32.
WNN_V_UNARY(f32x4_convert_i32x4_s, i32x4, __builtin_convertvector(a, f32x4))
WNN_V_UNARY(f32x4_convert_i32x4_u, u32x4, __builtin_convertvector(a, f32x4))
WNN_V_UNARY(f64x2_convert_low_i32x4_s, i32x4, __builtin_convertvector(__builtin_shufflevector(a, a, 0, 1), f64x2))
WNN_V_UNARY(f64x2_convert_low_i32x4_u, u32x4, __builtin_convertvector(__builtin_shufflevector(a, a, 0, 1), f64x2))
WNN_V_UNARY(f64x2_promote_low_f32x4, f32x4, __builtin_convertvector(__builtin_shufflevector(a, a, 0, 1), f64x2))
WNN_V_UNARY(f32x4_demote_f64x2_zero, f64x2,
            __builtin_shufflevector(__builtin_convertvector(a, f32x2), f32x2{}, 0, 1, 2, 3))

// float -> int, saturating; NaN -> 0.
#if WNN_SIMD_X86
// cvttps2dq gives 0x80000000 for NaN and out-of-range lanes: zero NaNs first,
// then flip lanes >= 2^31 to 0x7FFFFFFF.
inline __m128i trunc_sat_s4(__m128 a) {
  a = _mm_and_ps(a, _mm_cmpeq_ps(a, a));
  const __m128i r = _mm_cvttps_epi32(a);
  return _mm_xor_si128(r, _mm_castps_si128(_mm_cmpge_ps(a, _mm_set1_ps(2147483648.0f))));
}
// Clamp NaN/negative to 0 (maxps returns its second operand for NaN), convert
// the part >= 2^31 separately and add it back.
inline __m128i trunc_sat_u4(__m128 a) {
  const __m128 two31 = _mm_set1_ps(2147483648.0f);
  const __m128 x = _mm_max_ps(a, _mm_setzero_ps());
  const __m128 hi = _mm_sub_ps(x, two31);
  const __m128i over = _mm_castps_si128(_mm_cmpge_ps(hi, two31));  // x >= 2^32
  __m128i t = _mm_xor_si128(_mm_cvttps_epi32(hi), over);
  t = _mm_max_epi32(t, _mm_setzero_si128());  // x < 2^31: hi < 0
  return _mm_add_epi32(_mm_cvttps_epi32(x), t);
}
// NaN -> 0 via the mask, clamp above to INT32_MAX; cvttpd2dq saturates below
// to INT32_MIN and zeroes the high lanes.
inline __m128i trunc_sat_s2(__m128d a) {
  const __m128d lim = _mm_and_pd(_mm_cmpeq_pd(a, a), _mm_set1_pd(2147483647.0));
  return _mm_cvttpd_epi32(_mm_min_pd(a, lim));
}
// Clamp to [0, 2^32 - 1], truncate, and add 2^52 so that the integer is in
// the low 32 bits of each double's mantissa.
inline __m128i trunc_sat_u2(__m128d a) {
  __m128d x = _mm_max_pd(a, _mm_setzero_pd());
  x = _mm_min_pd(x, _mm_set1_pd(4294967295.0));
  x = _mm_round_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  x = _mm_add_pd(x, _mm_set1_pd(4503599627370496.0));
  return _mm_castps_si128(_mm_shuffle_ps(_mm_castpd_ps(x), _mm_setzero_ps(), 0x88));
}
WNN_V_UNARY(i32x4_trunc_sat_f32x4_s, f32x4, trunc_sat_s4(__m128(a)))
WNN_V_UNARY(i32x4_trunc_sat_f32x4_u, f32x4, trunc_sat_u4(__m128(a)))
WNN_V_UNARY(i32x4_trunc_sat_f64x2_s_zero, f64x2, trunc_sat_s2(__m128d(a)))
WNN_V_UNARY(i32x4_trunc_sat_f64x2_u_zero, f64x2, trunc_sat_u2(__m128d(a)))
#else
template <typename I, typename F> inline I sat(F x) {
  if (std::isnan(x)) return 0;
  if (x <= F(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  if (x >= F(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  return I(x);
}
template <typename I, typename R, typename V> inline R trunc_sat(V a) {
  R r{};
  for (unsigned i = 0; i < sizeof(V) / sizeof(a[0]); ++i) r[i] = sat<I>(a[i]);
  return r;
}
WNN_V_UNARY(i32x4_trunc_sat_f32x4_s, f32x4, (trunc_sat<int32_t, i32x4>(a)))
WNN_V_UNARY(i32x4_trunc_sat_f32x4_u, f32x4, (trunc_sat<uint32_t, u32x4>(a)))
WNN_V_UNARY(i32x4_trunc_sat_f64x2_s_zero, f64x2, (trunc_sat<int32_t, i32x4>(a)))
WNN_V_UNARY(i32x4_trunc_sat_f64x2_u_zero, f64x2, (trunc_sat<uint32_t, u32x4>(a)))
#endif

}  // namespace wnn::exec
WNN_SIMD_END
