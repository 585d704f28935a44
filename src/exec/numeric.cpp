// Numeric handlers: comparisons and integer/float arithmetic.
#include <bit>
#include <climits>
#include <cmath>
#include <limits>

#include "exec/handler.h"

namespace wnn::exec {

namespace {

// Wasm min/max: NaN if either operand is NaN, and -0 < +0. Adding two
// operands one of which is NaN yields a quiet NaN carrying an input payload
// (an arithmetic NaN, as the spec requires).
template <typename F, typename U> inline F wasm_min(F a, F b) {
  if (a != a || b != b) [[unlikely]]
    return a + b;
  if (a == b) return std::bit_cast<F>(U(std::bit_cast<U>(a) | std::bit_cast<U>(b)));  // -0 wins
  return a < b ? a : b;
}
template <typename F, typename U> inline F wasm_max(F a, F b) {
  if (a != a || b != b) [[unlikely]]
    return a + b;
  if (a == b) return std::bit_cast<F>(U(std::bit_cast<U>(a) & std::bit_cast<U>(b)));  // +0 wins
  return a > b ? a : b;
}

// abs/neg/copysign are bit operations: they must not touch NaN payloads.
constexpr uint32_t kSign32 = 0x80000000u;
constexpr uint64_t kSign64 = 0x8000000000000000ull;
inline float f32_bits(uint32_t b) { return std::bit_cast<float>(b); }
inline double f64_bits(uint64_t b) { return std::bit_cast<double>(b); }
inline uint32_t bits(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }

}  // namespace

// ---- i32 / i64 comparisons -------------------------------------------------
WNN_UNARY(i32_eqz, uint32_t, a == 0)
WNN_BINARY(i32_eq, uint32_t, a == b)
WNN_BINARY(i32_ne, uint32_t, a != b)
WNN_BINARY(i32_lt_s, int32_t, a < b)
WNN_BINARY(i32_lt_u, uint32_t, a < b)
WNN_BINARY(i32_gt_s, int32_t, a > b)
WNN_BINARY(i32_gt_u, uint32_t, a > b)
WNN_BINARY(i32_le_s, int32_t, a <= b)
WNN_BINARY(i32_le_u, uint32_t, a <= b)
WNN_BINARY(i32_ge_s, int32_t, a >= b)
WNN_BINARY(i32_ge_u, uint32_t, a >= b)

WNN_UNARY(i64_eqz, uint64_t, a == 0)
WNN_BINARY(i64_eq, uint64_t, a == b)
WNN_BINARY(i64_ne, uint64_t, a != b)
WNN_BINARY(i64_lt_s, int64_t, a < b)
WNN_BINARY(i64_lt_u, uint64_t, a < b)
WNN_BINARY(i64_gt_s, int64_t, a > b)
WNN_BINARY(i64_gt_u, uint64_t, a > b)
WNN_BINARY(i64_le_s, int64_t, a <= b)
WNN_BINARY(i64_le_u, uint64_t, a <= b)
WNN_BINARY(i64_ge_s, int64_t, a >= b)
WNN_BINARY(i64_ge_u, uint64_t, a >= b)

// ---- float comparisons (IEEE: any comparison with NaN is false but ne) ------
WNN_BINARY(f32_eq, float, a == b)
WNN_BINARY(f32_ne, float, a != b)
WNN_BINARY(f32_lt, float, a < b)
WNN_BINARY(f32_gt, float, a > b)
WNN_BINARY(f32_le, float, a <= b)
WNN_BINARY(f32_ge, float, a >= b)
WNN_BINARY(f64_eq, double, a == b)
WNN_BINARY(f64_ne, double, a != b)
WNN_BINARY(f64_lt, double, a < b)
WNN_BINARY(f64_gt, double, a > b)
WNN_BINARY(f64_le, double, a <= b)
WNN_BINARY(f64_ge, double, a >= b)

// ---- integer arithmetic (unsigned types: wrap-around is defined) ------------
// Shift and rotate counts are taken modulo the width.
#define WNN_INT_OPS(W, U, S)                                         \
  WNN_UNARY(i##W##_clz, U, U(std::countl_zero(a)))                   \
  WNN_UNARY(i##W##_ctz, U, U(std::countr_zero(a)))                   \
  WNN_UNARY(i##W##_popcnt, U, U(std::popcount(a)))                   \
  WNN_BINARY(i##W##_add, U, U(a + b))                                \
  WNN_BINARY(i##W##_sub, U, U(a - b))                                \
  WNN_BINARY(i##W##_mul, U, U(a* b))                                 \
  WNN_BINARY(i##W##_and, U, U(a& b))                                 \
  WNN_BINARY(i##W##_or, U, U(a | b))                                 \
  WNN_BINARY(i##W##_xor, U, U(a ^ b))                                \
  WNN_BINARY(i##W##_shl, U, U(a << (b & (W - 1))))                   \
  WNN_BINARY(i##W##_shr_s, U, U(S(a) >> (b & (W - 1))))              \
  WNN_BINARY(i##W##_shr_u, U, U(a >> (b & (W - 1))))                 \
  WNN_BINARY(i##W##_rotl, U, std::rotl(a, int(b & (W - 1))))         \
  WNN_BINARY(i##W##_rotr, U, std::rotr(a, int(b & (W - 1))))         \
                                                                     \
  WNN_HANDLER(i##W##_div_s) {                                        \
    const auto o = layout::Binary::read(ip);                         \
    const S a = get<S>(fp[o.a]);                                     \
    const S b = get<S>(fp[o.b]);                                     \
    if (b == 0) [[unlikely]]                                         \
      return TrapKind::IntegerDivideByZero;                          \
    if (b == -1 && a == std::numeric_limits<S>::min()) [[unlikely]]  \
      return TrapKind::IntegerOverflow;                              \
    fp[o.dst] = to_slot(S(a / b));                                   \
    NEXT(layout::Binary::kWords);                                    \
  }                                                                  \
  WNN_HANDLER(i##W##_div_u) {                                        \
    const auto o = layout::Binary::read(ip);                         \
    const U a = get<U>(fp[o.a]);                                     \
    const U b = get<U>(fp[o.b]);                                     \
    if (b == 0) [[unlikely]]                                         \
      return TrapKind::IntegerDivideByZero;                          \
    fp[o.dst] = to_slot(U(a / b));                                   \
    NEXT(layout::Binary::kWords);                                    \
  }                                                                  \
  WNN_HANDLER(i##W##_rem_s) {                                        \
    const auto o = layout::Binary::read(ip);                         \
    const S a = get<S>(fp[o.a]);                                     \
    const S b = get<S>(fp[o.b]);                                     \
    if (b == 0) [[unlikely]]                                         \
      return TrapKind::IntegerDivideByZero;                          \
    /* MIN % -1 is 0 in wasm, but faults in the hardware divider. */ \
    fp[o.dst] = to_slot(b == -1 ? S(0) : S(a % b));                  \
    NEXT(layout::Binary::kWords);                                    \
  }                                                                  \
  WNN_HANDLER(i##W##_rem_u) {                                        \
    const auto o = layout::Binary::read(ip);                         \
    const U a = get<U>(fp[o.a]);                                     \
    const U b = get<U>(fp[o.b]);                                     \
    if (b == 0) [[unlikely]]                                         \
      return TrapKind::IntegerDivideByZero;                          \
    fp[o.dst] = to_slot(U(a % b));                                   \
    NEXT(layout::Binary::kWords);                                    \
  }

WNN_INT_OPS(32, uint32_t, int32_t)
WNN_INT_OPS(64, uint64_t, int64_t)
#undef WNN_INT_OPS

// ---- float arithmetic ------------------------------------------------------
// The hardware (SSE) already gives IEEE results with arithmetic NaNs.
// nearest = round half to even = rint under the default rounding mode.
// ceil/floor/trunc/nearest are libm calls unless built with SSE4.1.
#define WNN_FLOAT_OPS(W, F, U, SIGN, SUF)                                      \
  WNN_UNARY(f##W##_abs, F, f##W##_bits(bits(a) & ~SIGN))                       \
  WNN_UNARY(f##W##_neg, F, f##W##_bits(bits(a) ^ SIGN))                        \
  WNN_UNARY(f##W##_ceil, F, __builtin_ceil##SUF(a))                            \
  WNN_UNARY(f##W##_floor, F, __builtin_floor##SUF(a))                          \
  WNN_UNARY(f##W##_trunc, F, __builtin_trunc##SUF(a))                          \
  WNN_UNARY(f##W##_nearest, F, __builtin_rint##SUF(a))                         \
  WNN_UNARY(f##W##_sqrt, F, __builtin_elementwise_sqrt(a))  /* no errno path */ \
  WNN_BINARY(f##W##_add, F, a + b)                                             \
  WNN_BINARY(f##W##_sub, F, a - b)                                             \
  WNN_BINARY(f##W##_mul, F, a* b)                                              \
  WNN_BINARY(f##W##_div, F, a / b)                                             \
  WNN_BINARY(f##W##_min, F, (wasm_min<F, U>(a, b)))                            \
  WNN_BINARY(f##W##_max, F, (wasm_max<F, U>(a, b)))                            \
  WNN_BINARY(f##W##_copysign, F, f##W##_bits((bits(a) & ~SIGN) | (bits(b) & SIGN)))

WNN_FLOAT_OPS(32, float, uint32_t, kSign32, f)
WNN_FLOAT_OPS(64, double, uint64_t, kSign64, )
#undef WNN_FLOAT_OPS

}  // namespace wnn::exec
