// Immediate-operand and compare-and-branch forms of common instructions. The
// translator emits them when an operand is a constant or a comparison feeds a
// branch directly, which removes one dispatch (and one slot write) each time.
#include <bit>
#include <type_traits>

#include "exec/handler.h"
#include "exec/memory_access.h"

namespace wnn::exec {

namespace {
// The 32-bit immediate as the operand type.
template <typename T> inline T imm(uint32_t v);
template <> inline uint32_t imm<uint32_t>(uint32_t v) { return v; }
template <> inline int32_t imm<int32_t>(uint32_t v) { return int32_t(v); }
template <> inline uint64_t imm<uint64_t>(uint32_t v) { return uint64_t(int64_t(int32_t(v))); }
template <> inline int64_t imm<int64_t>(uint32_t v) { return int64_t(int32_t(v)); }
template <> inline float imm<float>(uint32_t v) { return std::bit_cast<float>(v); }
}  // namespace

// (dst, a) (imm): the immediate is 32 bits for i32/f32, a whole word for
// i64/f64 (layouts BinaryImm32, BinaryImm64).
template <typename T> using ImmLayout = std::conditional_t<sizeof(T) == 8, layout::BinaryImm64, layout::BinaryImm32>;
template <typename T> inline T imm_value(const ImmLayout<T> &o) {
  if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<double>(o.imm);
  else if constexpr (sizeof(T) == 8)
    return T(o.imm);
  else
    return imm<T>(o.imm);
}

#define WNN_BINARY_IMM(name, T, expr)      \
  WNN_HANDLER(name##_imm) {                \
    const auto o = ImmLayout<T>::read(ip); \
    const T a = get<T>(fp[o.a]);           \
    const T b = imm_value<T>(o);           \
    fp[o.dst] = to_slot(expr);             \
    NEXT(ImmLayout<T>::kWords);            \
  }

#define WNN_INT_IMM(W, U, S)                                               \
  WNN_BINARY_IMM(i##W##_add, U, U(a + b))                                  \
  WNN_BINARY_IMM(i##W##_sub, U, U(a - b))                                  \
  WNN_BINARY_IMM(i##W##_mul, U, U(a *b))                                   \
  WNN_BINARY_IMM(i##W##_and, U, U(a &b))                                   \
  WNN_BINARY_IMM(i##W##_or, U, U(a | b))                                   \
  WNN_BINARY_IMM(i##W##_xor, U, U(a ^ b))                                  \
  /* divisors the translator proved safe: not 0, and not -1 when signed */ \
  WNN_BINARY_IMM(i##W##_div_s, S, S(a / b))                                \
  WNN_BINARY_IMM(i##W##_div_u, U, U(a / b))                                \
  WNN_BINARY_IMM(i##W##_rem_s, S, S(a % b))                                \
  WNN_BINARY_IMM(i##W##_rem_u, U, U(a % b))                                \
  WNN_BINARY_IMM(i##W##_shl, U, U(a << (b & (W - 1))))                     \
  WNN_BINARY_IMM(i##W##_shr_s, U, U(S(a) >> (b & (W - 1))))                \
  WNN_BINARY_IMM(i##W##_shr_u, U, U(a >> (b & (W - 1))))                   \
  WNN_BINARY_IMM(i##W##_rotl, U, std::rotl(a, int(b & (W - 1))))           \
  WNN_BINARY_IMM(i##W##_rotr, U, std::rotr(a, int(b & (W - 1))))           \
  WNN_BINARY_IMM(i##W##_eq, U, a == b)                                     \
  WNN_BINARY_IMM(i##W##_ne, U, a != b)                                     \
  WNN_BINARY_IMM(i##W##_lt_s, S, a < b)                                    \
  WNN_BINARY_IMM(i##W##_lt_u, U, a < b)                                    \
  WNN_BINARY_IMM(i##W##_gt_s, S, a > b)                                    \
  WNN_BINARY_IMM(i##W##_gt_u, U, a > b)                                    \
  WNN_BINARY_IMM(i##W##_le_s, S, a <= b)                                   \
  WNN_BINARY_IMM(i##W##_le_u, U, a <= b)                                   \
  WNN_BINARY_IMM(i##W##_ge_s, S, a >= b)                                   \
  WNN_BINARY_IMM(i##W##_ge_u, U, a >= b)
WNN_INT_IMM(32, uint32_t, int32_t)
WNN_INT_IMM(64, uint64_t, int64_t)

WNN_BINARY_IMM(f32_add, float, a + b)
WNN_BINARY_IMM(f32_sub, float, a - b)
WNN_BINARY_IMM(f32_mul, float, a *b)
WNN_BINARY_IMM(f32_div, float, a / b)
WNN_BINARY_IMM(f64_add, double, a + b)
WNN_BINARY_IMM(f64_sub, double, a - b)
WNN_BINARY_IMM(f64_mul, double, a *b)
WNN_BINARY_IMM(f64_div, double, a / b)
#define WNN_FLOAT_CMP_IMM(P, T)     \
  WNN_BINARY_IMM(P##_eq, T, a == b) \
  WNN_BINARY_IMM(P##_ne, T, a != b) \
  WNN_BINARY_IMM(P##_lt, T, a < b)  \
  WNN_BINARY_IMM(P##_gt, T, a > b)  \
  WNN_BINARY_IMM(P##_le, T, a <= b) \
  WNN_BINARY_IMM(P##_ge, T, a >= b)
WNN_FLOAT_CMP_IMM(f32, float)
WNN_FLOAT_CMP_IMM(f64, double)
#undef WNN_FLOAT_CMP_IMM

// Two f32 operations with constants in a row, x OP1 c1 OP2 c2 (each rounded,
// as the two instructions would): (dst, x) (c1, c2).
#define WNN_F32_PAIR(n1, op1, n2, op2)                            \
  WNN_HANDLER(f32_##n1##_##n2##_imm) {                            \
    const auto o = layout::ImmPair::read(ip);                     \
    const float x = get<float>(fp[o.x]);                          \
    const float y = x op1 std::bit_cast<float>(o.c1);             \
    fp[o.dst] = to_slot(float(y op2 std::bit_cast<float>(o.c2))); \
    NEXT(layout::ImmPair::kWords);                                \
  }
#define WNN_F32_PAIRS(n1, op1)  \
  WNN_F32_PAIR(n1, op1, add, +) \
  WNN_F32_PAIR(n1, op1, sub, -) WNN_F32_PAIR(n1, op1, mul, *) WNN_F32_PAIR(n1, op1, div, /)
WNN_F32_PAIRS(add, +)
WNN_F32_PAIRS(sub, -)
WNN_F32_PAIRS(mul, *)
WNN_F32_PAIRS(div, /)
#undef WNN_F32_PAIRS
#undef WNN_F32_PAIR

// An i32 op with a constant on a constant sum, (x + c1) OP c2 (a lazy sum
// the op consumes): (dst, x) (c1, c2).
#define WNN_ADDIMM_OP(name, expr)                \
  WNN_HANDLER(i32_addimm_##name) {               \
    const auto o = layout::ImmPair::read(ip);    \
    const uint32_t a = uint32_t(fp[o.x]) + o.c1; \
    const uint32_t b = o.c2;                     \
    fp[o.dst] = to_slot(uint32_t(expr));         \
    NEXT(layout::ImmPair::kWords);               \
  }
WNN_ADDIMM_OP(and, a &b)
WNN_ADDIMM_OP(or, a | b)
WNN_ADDIMM_OP(xor, a ^ b)
WNN_ADDIMM_OP(mul, a *b)
WNN_ADDIMM_OP(shl, a << (b & 31))
WNN_ADDIMM_OP(shr_u, a >> (b & 31))
WNN_ADDIMM_OP(shr_s, int32_t(a) >> (b & 31))
#undef WNN_ADDIMM_OP

// An i32 op with a constant, then the addition of a constant: (dst, x)
// (c1, c2), dst = (x OP c1) + c2 (x * 1103515245 + 12345, (i << 4) + 8).
#define WNN_OP_ADDIMM(name, expr)                         \
  WNN_HANDLER(i32_##name##_add_imm) {                     \
    const auto o = layout::ImmPair::read(ip);             \
    const uint32_t a = uint32_t(fp[o.x]);                 \
    const uint32_t b = o.c1;                              \
    fp[o.dst] = to_slot(uint32_t(uint32_t(expr) + o.c2)); \
    NEXT(layout::ImmPair::kWords);                        \
  }
WNN_OP_ADDIMM(mul, a *b)
WNN_OP_ADDIMM(shl, a << (b & 31))
WNN_OP_ADDIMM(and, a &b)
WNN_OP_ADDIMM(or, a | b)
WNN_OP_ADDIMM(xor, a ^ b)
WNN_OP_ADDIMM(shr_u, a >> (b & 31))
#undef WNN_OP_ADDIMM

// (dst, addr) (imm, offset): f32.convert_i32_u of an i32.load8_u, the usual
// first step from image bytes to a float tensor.
WNN_HANDLER(f32_convert_load8_u) {
  const auto o = layout::LoadAtSumImm::read(ip);
  const uint64_t ea = wasm_ea(fp[o.addr], o.imm, o.offset);
  WNN_BOUNDS(ea, 1);
  fp[o.dst] = to_slot(float(mem[ea]));
  NEXT(layout::LoadAtSumImm::kWords);
}

// (dst, a) (b, shift) (imm, -): scaled-index address arithmetic,
// base + (i << k) + imm.
WNN_HANDLER(i32_add_shl) {
  const auto o = layout::AddShl::read(ip);
  const uint32_t a = uint32_t(fp[o.a]);
  const uint32_t b = uint32_t(fp[o.b]);
  fp[o.dst] = to_slot(uint32_t(a + (b << (o.shift & 31)) + o.imm));
  NEXT(layout::AddShl::kWords);
}

// (a, b) (rel, -)
#define WNN_BR_CMP(name, T, op)                                  \
  WNN_HANDLER(br_##name) {                                       \
    const auto o = layout::BrCompare::read(ip);                  \
    if (get<T>(fp[o.a]) op get<T>(fp[o.b])) JUMP(ip + o.target); \
    NEXT(layout::BrCompare::kWords);                             \
  }                                                              \
  WNN_HANDLER(br_##name##_imm) {                                 \
    const auto o = layout::BrCompareImm::read(ip);               \
    if (get<T>(fp[o.a]) op imm<T>(o.imm)) JUMP(ip + o.target);   \
    NEXT(layout::BrCompareImm::kWords);                          \
  }                                                              \
  WNN_HANDLER(br_##name##_loop) {                                \
    const auto o = layout::BrCompareLoop::read(ip);              \
    if (get<T>(fp[o.a]) op get<T>(fp[o.b])) {                    \
      WNN_CHARGE(o.charge);                                      \
      JUMP(ip + o.target);                                       \
    }                                                            \
    NEXT(layout::BrCompareLoop::kWords);                         \
  }                                                              \
  WNN_HANDLER(br_##name##_imm_loop) {                            \
    const auto o = layout::BrCompareImmLoop::read(ip);           \
    if (get<T>(fp[o.a]) op imm<T>(o.imm)) {                      \
      WNN_CHARGE(o.charge);                                      \
      JUMP(ip + o.target);                                       \
    }                                                            \
    NEXT(layout::BrCompareImmLoop::kWords);                      \
  }
#define WNN_BR_INT(W, U, S)      \
  WNN_BR_CMP(i##W##_eq, U, ==)   \
  WNN_BR_CMP(i##W##_ne, U, !=)   \
  WNN_BR_CMP(i##W##_lt_s, S, <)  \
  WNN_BR_CMP(i##W##_lt_u, U, <)  \
  WNN_BR_CMP(i##W##_gt_s, S, >)  \
  WNN_BR_CMP(i##W##_gt_u, U, >)  \
  WNN_BR_CMP(i##W##_le_s, S, <=) \
  WNN_BR_CMP(i##W##_le_u, U, <=) \
  WNN_BR_CMP(i##W##_ge_s, S, >=) \
  WNN_BR_CMP(i##W##_ge_u, U, >=)
WNN_BR_INT(32, uint32_t, int32_t)
WNN_BR_INT(64, uint64_t, int64_t)

}  // namespace wnn::exec
