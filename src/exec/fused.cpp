// Immediate-operand and compare-and-branch forms of common instructions. The
// translator emits them when an operand is a constant or a comparison feeds a
// branch directly, which removes one dispatch (and one slot write) each time.
// Each computes with the operators of operators.h, as the plain forms do.
#include <bit>
#include <type_traits>

#include "exec/handler.h"
#include "exec/memory_access.h"
#include "exec/operators.h"

namespace wnn::exec {

namespace {

// A 32-bit immediate as an operand of type T: i64 ones are sign-extended.
template <typename T> inline T imm32(uint32_t v) {
  if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<float>(v);
  else if constexpr (sizeof(T) == 8)
    return T(int64_t(int32_t(v)));
  else
    return T(v);
}

// The immediate of an _imm form: 32 bits for i32/f32 (BinaryImm32), the whole
// word for i64/f64 (BinaryImm64).
template <typename T> using ImmLayout = std::conditional_t<sizeof(T) == 8, layout::BinaryImm64, layout::BinaryImm32>;
template <typename T> inline T imm_value(const ImmLayout<T>& o) {
  if constexpr (sizeof(T) == 8)
    return std::bit_cast<T>(o.imm);
  else
    return imm32<T>(o.imm);
}

}  // namespace

#define WNN_BINARY_IMM(name, T)               \
  WNN_HANDLER(name##_imm) {                   \
    const auto o = ImmLayout<T>::read(ip);    \
    const T a = get<T>(fp[o.a]);              \
    const T b = imm_value<T>(o);              \
    fp[o.dst] = to_slot(wasm_op::name(a, b)); \
    NEXT(ImmLayout<T>::kWords);               \
  }
// Divisors are ones the translator proved safe: not 0, and not -1 when signed.
WNN_BINARY_IMM(i32_add, uint32_t)
WNN_BINARY_IMM(i32_sub, uint32_t)
WNN_BINARY_IMM(i32_mul, uint32_t)
WNN_BINARY_IMM(i32_and, uint32_t)
WNN_BINARY_IMM(i32_or, uint32_t)
WNN_BINARY_IMM(i32_xor, uint32_t)
WNN_BINARY_IMM(i32_div_s, uint32_t)
WNN_BINARY_IMM(i32_div_u, uint32_t)
WNN_BINARY_IMM(i32_rem_s, uint32_t)
WNN_BINARY_IMM(i32_rem_u, uint32_t)
WNN_BINARY_IMM(i32_shl, uint32_t)
WNN_BINARY_IMM(i32_shr_s, uint32_t)
WNN_BINARY_IMM(i32_shr_u, uint32_t)
WNN_BINARY_IMM(i32_rotl, uint32_t)
WNN_BINARY_IMM(i32_rotr, uint32_t)
WNN_BINARY_IMM(i32_eq, uint32_t)
WNN_BINARY_IMM(i32_ne, uint32_t)
WNN_BINARY_IMM(i32_lt_s, uint32_t)
WNN_BINARY_IMM(i32_lt_u, uint32_t)
WNN_BINARY_IMM(i32_gt_s, uint32_t)
WNN_BINARY_IMM(i32_gt_u, uint32_t)
WNN_BINARY_IMM(i32_le_s, uint32_t)
WNN_BINARY_IMM(i32_le_u, uint32_t)
WNN_BINARY_IMM(i32_ge_s, uint32_t)
WNN_BINARY_IMM(i32_ge_u, uint32_t)
WNN_BINARY_IMM(i64_add, uint64_t)
WNN_BINARY_IMM(i64_sub, uint64_t)
WNN_BINARY_IMM(i64_mul, uint64_t)
WNN_BINARY_IMM(i64_and, uint64_t)
WNN_BINARY_IMM(i64_or, uint64_t)
WNN_BINARY_IMM(i64_xor, uint64_t)
WNN_BINARY_IMM(i64_div_s, uint64_t)
WNN_BINARY_IMM(i64_div_u, uint64_t)
WNN_BINARY_IMM(i64_rem_s, uint64_t)
WNN_BINARY_IMM(i64_rem_u, uint64_t)
WNN_BINARY_IMM(i64_shl, uint64_t)
WNN_BINARY_IMM(i64_shr_s, uint64_t)
WNN_BINARY_IMM(i64_shr_u, uint64_t)
WNN_BINARY_IMM(i64_rotl, uint64_t)
WNN_BINARY_IMM(i64_rotr, uint64_t)
WNN_BINARY_IMM(i64_eq, uint64_t)
WNN_BINARY_IMM(i64_ne, uint64_t)
WNN_BINARY_IMM(i64_lt_s, uint64_t)
WNN_BINARY_IMM(i64_lt_u, uint64_t)
WNN_BINARY_IMM(i64_gt_s, uint64_t)
WNN_BINARY_IMM(i64_gt_u, uint64_t)
WNN_BINARY_IMM(i64_le_s, uint64_t)
WNN_BINARY_IMM(i64_le_u, uint64_t)
WNN_BINARY_IMM(i64_ge_s, uint64_t)
WNN_BINARY_IMM(i64_ge_u, uint64_t)
WNN_BINARY_IMM(f32_add, float)
WNN_BINARY_IMM(f32_sub, float)
WNN_BINARY_IMM(f32_mul, float)
WNN_BINARY_IMM(f32_div, float)
WNN_BINARY_IMM(f64_add, double)
WNN_BINARY_IMM(f64_sub, double)
WNN_BINARY_IMM(f64_mul, double)
WNN_BINARY_IMM(f64_div, double)
WNN_BINARY_IMM(f32_eq, float)
WNN_BINARY_IMM(f32_ne, float)
WNN_BINARY_IMM(f32_lt, float)
WNN_BINARY_IMM(f32_gt, float)
WNN_BINARY_IMM(f32_le, float)
WNN_BINARY_IMM(f32_ge, float)
WNN_BINARY_IMM(f64_eq, double)
WNN_BINARY_IMM(f64_ne, double)
WNN_BINARY_IMM(f64_lt, double)
WNN_BINARY_IMM(f64_gt, double)
WNN_BINARY_IMM(f64_le, double)
WNN_BINARY_IMM(f64_ge, double)
#undef WNN_BINARY_IMM

// Two operations with constants in a row, dst = (x OP1 c1) OP2 c2, each
// step as its own instruction would compute it (ImmPair).
#define WNN_IMM_PAIR(handler, T, op1, op2)                                              \
  WNN_HANDLER(handler) {                                                                \
    const auto o = layout::ImmPair::read(ip);                                           \
    const T x = get<T>(fp[o.x]);                                                        \
    fp[o.dst] = to_slot(wasm_op::op2(wasm_op::op1(x, imm32<T>(o.c1)), imm32<T>(o.c2))); \
    NEXT(layout::ImmPair::kWords);                                                      \
  }
WNN_IMM_PAIR(f32_add_then_add_imm, float, f32_add, f32_add)
WNN_IMM_PAIR(f32_add_then_sub_imm, float, f32_add, f32_sub)
WNN_IMM_PAIR(f32_add_then_mul_imm, float, f32_add, f32_mul)
WNN_IMM_PAIR(f32_add_then_div_imm, float, f32_add, f32_div)
WNN_IMM_PAIR(f32_sub_then_add_imm, float, f32_sub, f32_add)
WNN_IMM_PAIR(f32_sub_then_sub_imm, float, f32_sub, f32_sub)
WNN_IMM_PAIR(f32_sub_then_mul_imm, float, f32_sub, f32_mul)
WNN_IMM_PAIR(f32_sub_then_div_imm, float, f32_sub, f32_div)
WNN_IMM_PAIR(f32_mul_then_add_imm, float, f32_mul, f32_add)
WNN_IMM_PAIR(f32_mul_then_sub_imm, float, f32_mul, f32_sub)
WNN_IMM_PAIR(f32_mul_then_mul_imm, float, f32_mul, f32_mul)
WNN_IMM_PAIR(f32_mul_then_div_imm, float, f32_mul, f32_div)
WNN_IMM_PAIR(f32_div_then_add_imm, float, f32_div, f32_add)
WNN_IMM_PAIR(f32_div_then_sub_imm, float, f32_div, f32_sub)
WNN_IMM_PAIR(f32_div_then_mul_imm, float, f32_div, f32_mul)
WNN_IMM_PAIR(f32_div_then_div_imm, float, f32_div, f32_div)
// An i32 op with a constant on a constant sum (a lazy sum the op consumes).
WNN_IMM_PAIR(i32_add_then_and_imm, uint32_t, i32_add, i32_and)
WNN_IMM_PAIR(i32_add_then_or_imm, uint32_t, i32_add, i32_or)
WNN_IMM_PAIR(i32_add_then_xor_imm, uint32_t, i32_add, i32_xor)
WNN_IMM_PAIR(i32_add_then_mul_imm, uint32_t, i32_add, i32_mul)
WNN_IMM_PAIR(i32_add_then_shl_imm, uint32_t, i32_add, i32_shl)
WNN_IMM_PAIR(i32_add_then_shr_u_imm, uint32_t, i32_add, i32_shr_u)
WNN_IMM_PAIR(i32_add_then_shr_s_imm, uint32_t, i32_add, i32_shr_s)
// An i32 op with a constant, then + constant (x * 1103515245 + 12345, (i << 4) + 8).
WNN_IMM_PAIR(i32_mul_then_add_imm, uint32_t, i32_mul, i32_add)
WNN_IMM_PAIR(i32_shl_then_add_imm, uint32_t, i32_shl, i32_add)
WNN_IMM_PAIR(i32_and_then_add_imm, uint32_t, i32_and, i32_add)
WNN_IMM_PAIR(i32_or_then_add_imm, uint32_t, i32_or, i32_add)
WNN_IMM_PAIR(i32_xor_then_add_imm, uint32_t, i32_xor, i32_add)
WNN_IMM_PAIR(i32_shr_u_then_add_imm, uint32_t, i32_shr_u, i32_add)
#undef WNN_IMM_PAIR

// f32.convert_i32_u of an i32.load8_u, the usual first step from image bytes
// to a float tensor.
WNN_HANDLER(f32_convert_load8_u) {
  const auto o = layout::LoadAtSumImm::read(ip);
  const uint64_t ea = wasm_ea(fp[o.addr], o.imm, o.offset);
  WNN_BOUNDS(ea, 1);
  fp[o.dst] = to_slot(float(mem[ea]));
  NEXT(layout::LoadAtSumImm::kWords);
}

// Scaled-index address arithmetic, base + (i << k) + imm.
WNN_HANDLER(i32_add_shl) {
  const auto o = layout::AddShl::read(ip);
  const uint32_t a = uint32_t(fp[o.a]);
  const uint32_t b = uint32_t(fp[o.b]);
  fp[o.dst] = to_slot(wasm_op::i32_add(wasm_op::i32_add(a, wasm_op::i32_shl(b, o.shift)), o.imm));
  NEXT(layout::AddShl::kWords);
}

// A comparison and the branch on it; _loop forms charge the budget, then
// read their target (not held in a register across refill_budget).
#define WNN_BR_CMP(cmp, T)                                                       \
  WNN_HANDLER(br_##cmp) {                                                        \
    const auto o = layout::BrCompare::read(ip);                                  \
    if (wasm_op::cmp(get<T>(fp[o.a]), get<T>(fp[o.b]))) JUMP(ip + o.target);     \
    NEXT(layout::BrCompare::kWords);                                             \
  }                                                                              \
  WNN_HANDLER(br_##cmp##_imm) {                                                  \
    const auto o = layout::BrCompareImm::read(ip);                               \
    if (wasm_op::cmp(get<T>(fp[o.a]), imm32<T>(o.imm))) JUMP(ip + o.target);     \
    NEXT(layout::BrCompareImm::kWords);                                          \
  }                                                                              \
  WNN_HANDLER(br_##cmp##_loop) {                                                 \
    const auto o = layout::BrCompareLoop::read(ip);                              \
    if (wasm_op::cmp(get<T>(fp[o.a]), get<T>(fp[o.b]))) {                        \
      WNN_CHARGE_LOOP(o.charge, ip + layout::BrCompareLoop::read(ip).target);    \
      JUMP(ip + layout::BrCompareLoop::read(ip).target);                         \
    }                                                                            \
    NEXT(layout::BrCompareLoop::kWords);                                         \
  }                                                                              \
  WNN_HANDLER(br_##cmp##_imm_loop) {                                             \
    const auto o = layout::BrCompareImmLoop::read(ip);                           \
    if (wasm_op::cmp(get<T>(fp[o.a]), imm32<T>(o.imm))) {                        \
      WNN_CHARGE_LOOP(o.charge, ip + layout::BrCompareImmLoop::read(ip).target); \
      JUMP(ip + layout::BrCompareImmLoop::read(ip).target);                      \
    }                                                                            \
    NEXT(layout::BrCompareImmLoop::kWords);                                      \
  }
WNN_BR_CMP(i32_eq, uint32_t)
WNN_BR_CMP(i32_ne, uint32_t)
WNN_BR_CMP(i32_lt_s, uint32_t)
WNN_BR_CMP(i32_lt_u, uint32_t)
WNN_BR_CMP(i32_gt_s, uint32_t)
WNN_BR_CMP(i32_gt_u, uint32_t)
WNN_BR_CMP(i32_le_s, uint32_t)
WNN_BR_CMP(i32_le_u, uint32_t)
WNN_BR_CMP(i32_ge_s, uint32_t)
WNN_BR_CMP(i32_ge_u, uint32_t)
WNN_BR_CMP(i64_eq, uint64_t)
WNN_BR_CMP(i64_ne, uint64_t)
WNN_BR_CMP(i64_lt_s, uint64_t)
WNN_BR_CMP(i64_lt_u, uint64_t)
WNN_BR_CMP(i64_gt_s, uint64_t)
WNN_BR_CMP(i64_gt_u, uint64_t)
WNN_BR_CMP(i64_le_s, uint64_t)
WNN_BR_CMP(i64_le_u, uint64_t)
WNN_BR_CMP(i64_ge_s, uint64_t)
WNN_BR_CMP(i64_ge_u, uint64_t)
#undef WNN_BR_CMP

}  // namespace wnn::exec
