// The semantics of each scalar Wasm numeric operator, defined once: the
// interpreter's handlers (plain, immediate, compare-and-branch and
// memory-operand forms: numeric.cpp, fused.cpp, memory_ops.cpp) and constant
// evaluation (runtime/const_eval.cpp) all call these. Operands and results are
// the Wasm types as C++ types: i32 uint32_t, i64 uint64_t, f32 float,
// f64 double (signed ops reinterpret); comparisons return bool.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>

namespace wnn::exec::wasm_op {

namespace detail {
// Wasm min/max: NaN if either operand is NaN, and -0 < +0. Adding two
// operands one of which is NaN yields a quiet NaN carrying an input payload
// (an arithmetic NaN, as the spec requires).
template <typename F, typename U> inline F min(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) [[unlikely]]
    return a + b;
  if (a == b) return std::bit_cast<F>(U(std::bit_cast<U>(a) | std::bit_cast<U>(b)));  // -0 wins
  return a < b ? a : b;
}
template <typename F, typename U> inline F max(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) [[unlikely]]
    return a + b;
  if (a == b) return std::bit_cast<F>(U(std::bit_cast<U>(a) & std::bit_cast<U>(b)));  // +0 wins
  return a > b ? a : b;
}
// abs/neg/copysign are bit operations: they must not touch NaN payloads.
template <typename F, typename U> inline F with_bits(F a, U clear, U set) {
  return std::bit_cast<F>(U((std::bit_cast<U>(a) & ~clear) | set));
}
}  // namespace detail

// Integers (unsigned types: wrap-around is defined). Shift and rotate counts
// are taken modulo the width. div/rem: the caller has ruled out a zero
// divisor, signed overflow (MIN / -1) and, for rem_s, -1 (MIN % -1 faults in
// the hardware divider; Wasm's result is 0).
#define WNN_INT_OPERATORS(W, U, S)                                          \
  inline bool i##W##_eqz(U a) { return a == 0; }                            \
  inline U i##W##_clz(U a) { return U(std::countl_zero(a)); }               \
  inline U i##W##_ctz(U a) { return U(std::countr_zero(a)); }               \
  inline U i##W##_popcnt(U a) { return U(std::popcount(a)); }               \
  inline bool i##W##_eq(U a, U b) { return a == b; }                        \
  inline bool i##W##_ne(U a, U b) { return a != b; }                        \
  inline bool i##W##_lt_s(U a, U b) { return S(a) < S(b); }                 \
  inline bool i##W##_lt_u(U a, U b) { return a < b; }                       \
  inline bool i##W##_gt_s(U a, U b) { return S(a) > S(b); }                 \
  inline bool i##W##_gt_u(U a, U b) { return a > b; }                       \
  inline bool i##W##_le_s(U a, U b) { return S(a) <= S(b); }                \
  inline bool i##W##_le_u(U a, U b) { return a <= b; }                      \
  inline bool i##W##_ge_s(U a, U b) { return S(a) >= S(b); }                \
  inline bool i##W##_ge_u(U a, U b) { return a >= b; }                      \
  inline U i##W##_add(U a, U b) { return U(a + b); }                        \
  inline U i##W##_sub(U a, U b) { return U(a - b); }                        \
  inline U i##W##_mul(U a, U b) { return U(a * b); }                        \
  inline U i##W##_and(U a, U b) { return U(a & b); }                        \
  inline U i##W##_or(U a, U b) { return U(a | b); }                         \
  inline U i##W##_xor(U a, U b) { return U(a ^ b); }                        \
  inline U i##W##_shl(U a, U b) { return U(a << (b & (W - 1))); }           \
  inline U i##W##_shr_s(U a, U b) { return U(S(a) >> (b & (W - 1))); }      \
  inline U i##W##_shr_u(U a, U b) { return U(a >> (b & (W - 1))); }         \
  inline U i##W##_rotl(U a, U b) { return std::rotl(a, int(b & (W - 1))); } \
  inline U i##W##_rotr(U a, U b) { return std::rotr(a, int(b & (W - 1))); } \
  inline U i##W##_div_s(U a, U b) { return U(S(a) / S(b)); }                \
  inline U i##W##_div_u(U a, U b) { return U(a / b); }                      \
  inline U i##W##_rem_s(U a, U b) { return U(S(a) % S(b)); }                \
  inline U i##W##_rem_u(U a, U b) { return U(a % b); }
WNN_INT_OPERATORS(32, uint32_t, int32_t)
WNN_INT_OPERATORS(64, uint64_t, int64_t)
#undef WNN_INT_OPERATORS

// Floats. The hardware (SSE) already gives IEEE results with arithmetic NaNs;
// any comparison with NaN is false but ne. nearest = round half to even =
// rint under the default rounding mode. ceil/floor/trunc/nearest are libm
// calls unless built with SSE4.1.
#define WNN_FLOAT_OPERATORS(W, F, U, SUF)                                                           \
  inline bool f##W##_eq(F a, F b) { return a == b; }                                                \
  inline bool f##W##_ne(F a, F b) { return a != b; }                                                \
  inline bool f##W##_lt(F a, F b) { return a < b; }                                                 \
  inline bool f##W##_gt(F a, F b) { return a > b; }                                                 \
  inline bool f##W##_le(F a, F b) { return a <= b; }                                                \
  inline bool f##W##_ge(F a, F b) { return a >= b; }                                                \
  inline F f##W##_abs(F a) { return detail::with_bits<F, U>(a, U(1) << (W - 1), 0); }               \
  inline F f##W##_neg(F a) { return std::bit_cast<F>(U(std::bit_cast<U>(a) ^ (U(1) << (W - 1)))); } \
  inline F f##W##_ceil(F a) { return __builtin_ceil##SUF(a); }                                      \
  inline F f##W##_floor(F a) { return __builtin_floor##SUF(a); }                                    \
  inline F f##W##_trunc(F a) { return __builtin_trunc##SUF(a); }                                    \
  inline F f##W##_nearest(F a) { return __builtin_rint##SUF(a); }                                   \
  inline F f##W##_sqrt(F a) { return __builtin_elementwise_sqrt(a); } /* no errno path */           \
  inline F f##W##_add(F a, F b) { return a + b; }                                                   \
  inline F f##W##_sub(F a, F b) { return a - b; }                                                   \
  inline F f##W##_mul(F a, F b) { return a * b; }                                                   \
  inline F f##W##_div(F a, F b) { return a / b; }                                                   \
  inline F f##W##_min(F a, F b) { return detail::min<F, U>(a, b); }                                 \
  inline F f##W##_max(F a, F b) { return detail::max<F, U>(a, b); }                                 \
  inline F f##W##_copysign(F a, F b) {                                                              \
    return detail::with_bits<F, U>(a, U(1) << (W - 1), std::bit_cast<U>(b) & (U(1) << (W - 1)));    \
  }
WNN_FLOAT_OPERATORS(32, float, uint32_t, f)
WNN_FLOAT_OPERATORS(64, double, uint64_t, )
#undef WNN_FLOAT_OPERATORS

}  // namespace wnn::exec::wasm_op
