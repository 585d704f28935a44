// Tables of the fused instruction forms the translator may emit: immediate
// operands and compare-and-branch (src/exec/fused.cpp).
#include <array>
#include <utility>

#include "valid/opcode_info.h"

namespace wnn::valid {
namespace {

using namespace exec;

struct ImmTable {
  std::array<ImmForm, 256> forms{};
  ImmTable() {
    auto f = [&](uint8_t op, Handler h, uint8_t swapped) { forms[op] = {h, swapped}; };
    // i32: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u = 0x46..0x4F
    f(0x46, op_i32_eq_imm, 0x46);
    f(0x47, op_i32_ne_imm, 0x47);
    f(0x48, op_i32_lt_s_imm, 0x4A);
    f(0x49, op_i32_lt_u_imm, 0x4B);
    f(0x4A, op_i32_gt_s_imm, 0x48);
    f(0x4B, op_i32_gt_u_imm, 0x49);
    f(0x4C, op_i32_le_s_imm, 0x4E);
    f(0x4D, op_i32_le_u_imm, 0x4F);
    f(0x4E, op_i32_ge_s_imm, 0x4C);
    f(0x4F, op_i32_ge_u_imm, 0x4D);
    // i64 comparisons 0x51..0x5A
    f(0x51, op_i64_eq_imm, 0x51);
    f(0x52, op_i64_ne_imm, 0x52);
    f(0x53, op_i64_lt_s_imm, 0x55);
    f(0x54, op_i64_lt_u_imm, 0x56);
    f(0x55, op_i64_gt_s_imm, 0x53);
    f(0x56, op_i64_gt_u_imm, 0x54);
    f(0x57, op_i64_le_s_imm, 0x59);
    f(0x58, op_i64_le_u_imm, 0x5A);
    f(0x59, op_i64_ge_s_imm, 0x57);
    f(0x5A, op_i64_ge_u_imm, 0x58);
    // i32 arithmetic 0x6A.. (div/rem: only for divisors that cannot trap)
    f(0x6A, op_i32_add_imm, 0x6A);
    f(0x6B, op_i32_sub_imm, 0);
    f(0x6C, op_i32_mul_imm, 0x6C);
    f(0x6D, op_i32_div_s_imm, 0);
    f(0x6E, op_i32_div_u_imm, 0);
    f(0x6F, op_i32_rem_s_imm, 0);
    f(0x70, op_i32_rem_u_imm, 0);
    f(0x7F, op_i64_div_s_imm, 0);
    f(0x80, op_i64_div_u_imm, 0);
    f(0x81, op_i64_rem_s_imm, 0);
    f(0x82, op_i64_rem_u_imm, 0);
    f(0x71, op_i32_and_imm, 0x71);
    f(0x72, op_i32_or_imm, 0x72);
    f(0x73, op_i32_xor_imm, 0x73);
    f(0x74, op_i32_shl_imm, 0);
    f(0x75, op_i32_shr_s_imm, 0);
    f(0x76, op_i32_shr_u_imm, 0);
    f(0x77, op_i32_rotl_imm, 0);
    f(0x78, op_i32_rotr_imm, 0);
    f(0x7C, op_i64_add_imm, 0x7C);
    f(0x7D, op_i64_sub_imm, 0);
    f(0x7E, op_i64_mul_imm, 0x7E);
    f(0x83, op_i64_and_imm, 0x83);
    f(0x84, op_i64_or_imm, 0x84);
    f(0x85, op_i64_xor_imm, 0x85);
    f(0x86, op_i64_shl_imm, 0);
    f(0x87, op_i64_shr_s_imm, 0);
    f(0x88, op_i64_shr_u_imm, 0);
    f(0x89, op_i64_rotl_imm, 0);
    f(0x8A, op_i64_rotr_imm, 0);
    f(0x92, op_f32_add_imm, 0x92);
    f(0x93, op_f32_sub_imm, 0);
    f(0x94, op_f32_mul_imm, 0x94);
    f(0x95, op_f32_div_imm, 0);
    f(0xA0, op_f64_add_imm, 0xA0);
    f(0xA1, op_f64_sub_imm, 0);
    f(0xA2, op_f64_mul_imm, 0xA2);
    f(0xA3, op_f64_div_imm, 0);
    // float comparisons: f32 eq ne lt gt le ge = 0x5B..0x60, f64 0x61..0x66
    f(0x5B, op_f32_eq_imm, 0x5B);
    f(0x5C, op_f32_ne_imm, 0x5C);
    f(0x5D, op_f32_lt_imm, 0x5E);
    f(0x5E, op_f32_gt_imm, 0x5D);
    f(0x5F, op_f32_le_imm, 0x60);
    f(0x60, op_f32_ge_imm, 0x5F);
    f(0x61, op_f64_eq_imm, 0x61);
    f(0x62, op_f64_ne_imm, 0x62);
    f(0x63, op_f64_lt_imm, 0x64);
    f(0x64, op_f64_gt_imm, 0x63);
    f(0x65, op_f64_le_imm, 0x66);
    f(0x66, op_f64_ge_imm, 0x65);
  }
};

// Order: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u, i32 then i64.
#define WNN_CB(c, inv)                                                              \
  CompareBranch{op_##c,           op_##c##_imm,         op_br_##c, op_br_##c##_imm, \
                op_br_##c##_loop, op_br_##c##_imm_loop, inv,       #c[1] == '6'}
const std::array<CompareBranch, 20> kCompareBranch = {
    WNN_CB(i32_eq, 1),    WNN_CB(i32_ne, 0),    WNN_CB(i32_lt_s, 8),  WNN_CB(i32_lt_u, 9),  WNN_CB(i32_gt_s, 6),
    WNN_CB(i32_gt_u, 7),  WNN_CB(i32_le_s, 4),  WNN_CB(i32_le_u, 5),  WNN_CB(i32_ge_s, 2),  WNN_CB(i32_ge_u, 3),
    WNN_CB(i64_eq, 11),   WNN_CB(i64_ne, 10),   WNN_CB(i64_lt_s, 18), WNN_CB(i64_lt_u, 19), WNN_CB(i64_gt_s, 16),
    WNN_CB(i64_gt_u, 17), WNN_CB(i64_le_s, 14), WNN_CB(i64_le_u, 15), WNN_CB(i64_ge_s, 12), WNN_CB(i64_ge_u, 13),
};
#undef WNN_CB

}  // namespace

const ImmForm& imm_form(uint8_t opcode) {
  static const ImmTable t;
  return t.forms[opcode];
}

const CompareBranch* compare_branch(Handler h, bool* is_imm) {
  for (const CompareBranch& cb : kCompareBranch) {
    if (cb.cmp == h || cb.cmp_imm == h) {
      *is_imm = cb.cmp_imm == h;
      return &cb;
    }
  }
  return nullptr;
}

const CompareBranch& compare_branch_at(uint8_t index) { return kCompareBranch[index]; }

Handler imm_then_add(Handler op_imm) {
  static const std::pair<Handler, Handler> forms[] = {
      {op_i32_mul_imm, op_i32_mul_then_add_imm}, {op_i32_shl_imm, op_i32_shl_then_add_imm},
      {op_i32_and_imm, op_i32_and_then_add_imm}, {op_i32_or_imm, op_i32_or_then_add_imm},
      {op_i32_xor_imm, op_i32_xor_then_add_imm}, {op_i32_shr_u_imm, op_i32_shr_u_then_add_imm},
  };
  for (const auto& [from, to] : forms)
    if (from == op_imm) return to;
  return nullptr;
}

Handler f32_imm_pair(Handler first, Handler second) {
#define WNN_ROW(n1) \
  {op_f32_##n1##_then_add_imm, op_f32_##n1##_then_sub_imm, op_f32_##n1##_then_mul_imm, op_f32_##n1##_then_div_imm}
  static const Handler pairs[4][4] = {WNN_ROW(add), WNN_ROW(sub), WNN_ROW(mul), WNN_ROW(div)};
#undef WNN_ROW
  static const Handler singles[4] = {op_f32_add_imm, op_f32_sub_imm, op_f32_mul_imm, op_f32_div_imm};
  int i = -1, j = -1;
  for (int k = 0; k < 4; ++k) {
    if (singles[k] == first) i = k;
    if (singles[k] == second) j = k;
  }
  return i < 0 || j < 0 ? nullptr : pairs[i][j];
}

Handler binary_load_form(Handler binop, Handler* load, Handler* load_addimm) {
  struct Form {
    Handler binop, load, load_addimm, fused;
  };
#define WNN_BL(name, ld) \
  Form { op_##name, op_##ld, op_##ld##_at_sum_imm, op_##name##_mem }
  static const Form forms[] = {
      WNN_BL(i32_add, i32_load), WNN_BL(i32_sub, i32_load), WNN_BL(i32_mul, i32_load), WNN_BL(i32_and, i32_load),
      WNN_BL(i32_or, i32_load),  WNN_BL(i32_xor, i32_load), WNN_BL(i64_add, i64_load), WNN_BL(i64_sub, i64_load),
      WNN_BL(i64_mul, i64_load), WNN_BL(i64_and, i64_load), WNN_BL(i64_or, i64_load),  WNN_BL(i64_xor, i64_load),
      WNN_BL(f32_add, f32_load), WNN_BL(f32_sub, f32_load), WNN_BL(f32_mul, f32_load), WNN_BL(f64_add, f64_load),
      WNN_BL(f64_sub, f64_load), WNN_BL(f64_mul, f64_load),
  };
#undef WNN_BL
  for (const Form& f : forms) {
    if (f.binop == binop) {
      *load = f.load;
      *load_addimm = f.load_addimm;
      return f.fused;
    }
  }
  return nullptr;
}

}  // namespace wnn::valid
