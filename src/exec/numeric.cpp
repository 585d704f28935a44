// Numeric handlers: comparisons and integer/float arithmetic, one row per
// instruction; the operators themselves are in operators.h.
#include <limits>

#include "exec/handler.h"
#include "exec/operators.h"

namespace wnn::exec {

// Division traps on a zero divisor, signed division also on MIN / -1;
// MIN % -1 is 0 in Wasm but faults in the hardware divider.
#define WNN_DIVISION_U(name, U)               \
  WNN_HANDLER(name) {                         \
    const auto o = layout::Binary::read(ip);  \
    const U a = get<U>(fp[o.a]);              \
    const U b = get<U>(fp[o.b]);              \
    if (b == 0) [[unlikely]]                  \
      return TrapKind::IntegerDivideByZero;   \
    fp[o.dst] = to_slot(wasm_op::name(a, b)); \
    NEXT(layout::Binary::kWords);             \
  }
#define WNN_DIVISION_S(name, U, S)                                        \
  WNN_HANDLER(name) {                                                     \
    const auto o = layout::Binary::read(ip);                              \
    const U a = get<U>(fp[o.a]);                                          \
    const U b = get<U>(fp[o.b]);                                          \
    if (b == 0) [[unlikely]]                                              \
      return TrapKind::IntegerDivideByZero;                               \
    if (S(b) == -1 && S(a) == std::numeric_limits<S>::min()) [[unlikely]] \
      return TrapKind::IntegerOverflow;                                   \
    fp[o.dst] = to_slot(wasm_op::name(a, b));                             \
    NEXT(layout::Binary::kWords);                                         \
  }
#define WNN_REMAINDER_S(name, U, S)                               \
  WNN_HANDLER(name) {                                             \
    const auto o = layout::Binary::read(ip);                      \
    const U a = get<U>(fp[o.a]);                                  \
    const U b = get<U>(fp[o.b]);                                  \
    if (b == 0) [[unlikely]]                                      \
      return TrapKind::IntegerDivideByZero;                       \
    fp[o.dst] = to_slot(S(b) == -1 ? U(0) : wasm_op::name(a, b)); \
    NEXT(layout::Binary::kWords);                                 \
  }

// ---- i32 -------------------------------------------------------------------
WNN_UNARY_OP(i32_eqz, uint32_t)
WNN_BINARY_OP(i32_eq, uint32_t)
WNN_BINARY_OP(i32_ne, uint32_t)
WNN_BINARY_OP(i32_lt_s, uint32_t)
WNN_BINARY_OP(i32_lt_u, uint32_t)
WNN_BINARY_OP(i32_gt_s, uint32_t)
WNN_BINARY_OP(i32_gt_u, uint32_t)
WNN_BINARY_OP(i32_le_s, uint32_t)
WNN_BINARY_OP(i32_le_u, uint32_t)
WNN_BINARY_OP(i32_ge_s, uint32_t)
WNN_BINARY_OP(i32_ge_u, uint32_t)
WNN_UNARY_OP(i32_clz, uint32_t)
WNN_UNARY_OP(i32_ctz, uint32_t)
WNN_UNARY_OP(i32_popcnt, uint32_t)
WNN_BINARY_OP(i32_add, uint32_t)
WNN_BINARY_OP(i32_sub, uint32_t)
WNN_BINARY_OP(i32_mul, uint32_t)
WNN_DIVISION_S(i32_div_s, uint32_t, int32_t)
WNN_DIVISION_U(i32_div_u, uint32_t)
WNN_REMAINDER_S(i32_rem_s, uint32_t, int32_t)
WNN_DIVISION_U(i32_rem_u, uint32_t)
WNN_BINARY_OP(i32_and, uint32_t)
WNN_BINARY_OP(i32_or, uint32_t)
WNN_BINARY_OP(i32_xor, uint32_t)
WNN_BINARY_OP(i32_shl, uint32_t)
WNN_BINARY_OP(i32_shr_s, uint32_t)
WNN_BINARY_OP(i32_shr_u, uint32_t)
WNN_BINARY_OP(i32_rotl, uint32_t)
WNN_BINARY_OP(i32_rotr, uint32_t)

// ---- i64 -------------------------------------------------------------------
WNN_UNARY_OP(i64_eqz, uint64_t)
WNN_BINARY_OP(i64_eq, uint64_t)
WNN_BINARY_OP(i64_ne, uint64_t)
WNN_BINARY_OP(i64_lt_s, uint64_t)
WNN_BINARY_OP(i64_lt_u, uint64_t)
WNN_BINARY_OP(i64_gt_s, uint64_t)
WNN_BINARY_OP(i64_gt_u, uint64_t)
WNN_BINARY_OP(i64_le_s, uint64_t)
WNN_BINARY_OP(i64_le_u, uint64_t)
WNN_BINARY_OP(i64_ge_s, uint64_t)
WNN_BINARY_OP(i64_ge_u, uint64_t)
WNN_UNARY_OP(i64_clz, uint64_t)
WNN_UNARY_OP(i64_ctz, uint64_t)
WNN_UNARY_OP(i64_popcnt, uint64_t)
WNN_BINARY_OP(i64_add, uint64_t)
WNN_BINARY_OP(i64_sub, uint64_t)
WNN_BINARY_OP(i64_mul, uint64_t)
WNN_DIVISION_S(i64_div_s, uint64_t, int64_t)
WNN_DIVISION_U(i64_div_u, uint64_t)
WNN_REMAINDER_S(i64_rem_s, uint64_t, int64_t)
WNN_DIVISION_U(i64_rem_u, uint64_t)
WNN_BINARY_OP(i64_and, uint64_t)
WNN_BINARY_OP(i64_or, uint64_t)
WNN_BINARY_OP(i64_xor, uint64_t)
WNN_BINARY_OP(i64_shl, uint64_t)
WNN_BINARY_OP(i64_shr_s, uint64_t)
WNN_BINARY_OP(i64_shr_u, uint64_t)
WNN_BINARY_OP(i64_rotl, uint64_t)
WNN_BINARY_OP(i64_rotr, uint64_t)

#undef WNN_DIVISION_U
#undef WNN_DIVISION_S
#undef WNN_REMAINDER_S

// ---- f32 -------------------------------------------------------------------
WNN_BINARY_OP(f32_eq, float)
WNN_BINARY_OP(f32_ne, float)
WNN_BINARY_OP(f32_lt, float)
WNN_BINARY_OP(f32_gt, float)
WNN_BINARY_OP(f32_le, float)
WNN_BINARY_OP(f32_ge, float)
WNN_UNARY_OP(f32_abs, float)
WNN_UNARY_OP(f32_neg, float)
WNN_UNARY_OP(f32_ceil, float)
WNN_UNARY_OP(f32_floor, float)
WNN_UNARY_OP(f32_trunc, float)
WNN_UNARY_OP(f32_nearest, float)
WNN_UNARY_OP(f32_sqrt, float)
WNN_BINARY_OP(f32_add, float)
WNN_BINARY_OP(f32_sub, float)
WNN_BINARY_OP(f32_mul, float)
WNN_BINARY_OP(f32_div, float)
WNN_BINARY_OP(f32_min, float)
WNN_BINARY_OP(f32_max, float)
WNN_BINARY_OP(f32_copysign, float)

// ---- f64 -------------------------------------------------------------------
WNN_BINARY_OP(f64_eq, double)
WNN_BINARY_OP(f64_ne, double)
WNN_BINARY_OP(f64_lt, double)
WNN_BINARY_OP(f64_gt, double)
WNN_BINARY_OP(f64_le, double)
WNN_BINARY_OP(f64_ge, double)
WNN_UNARY_OP(f64_abs, double)
WNN_UNARY_OP(f64_neg, double)
WNN_UNARY_OP(f64_ceil, double)
WNN_UNARY_OP(f64_floor, double)
WNN_UNARY_OP(f64_trunc, double)
WNN_UNARY_OP(f64_nearest, double)
WNN_UNARY_OP(f64_sqrt, double)
WNN_BINARY_OP(f64_add, double)
WNN_BINARY_OP(f64_sub, double)
WNN_BINARY_OP(f64_mul, double)
WNN_BINARY_OP(f64_div, double)
WNN_BINARY_OP(f64_min, double)
WNN_BINARY_OP(f64_max, double)
WNN_BINARY_OP(f64_copysign, double)

}  // namespace wnn::exec
