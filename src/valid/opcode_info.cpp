#include "valid/opcode_info.h"

#include <array>

namespace wnn::valid {
namespace {

using exec::Handler;
constexpr ValType I32 = ValType::I32, I64 = ValType::I64, F32 = ValType::F32, F64 = ValType::F64;
constexpr ValType NONE{};

struct NumericTable {
  std::array<SimpleOp, 256> ops{};
  std::array<SimpleOp, 8> sat{};
  NumericTable() {
    auto un = [&](uint8_t op, const char* name, Handler h, ValType in, ValType out) {
      ops[op] = SimpleOp{name, h, in, NONE, out, 1};
    };
    auto bin = [&](uint8_t op, const char* name, Handler h, ValType in, ValType out) {
      ops[op] = SimpleOp{name, h, in, in, out, 2};
    };
    using namespace exec;
    un(0x45, "i32.eqz", op_i32_eqz, I32, I32);
    bin(0x46, "i32.eq", op_i32_eq, I32, I32);
    bin(0x47, "i32.ne", op_i32_ne, I32, I32);
    bin(0x48, "i32.lt_s", op_i32_lt_s, I32, I32);
    bin(0x49, "i32.lt_u", op_i32_lt_u, I32, I32);
    bin(0x4A, "i32.gt_s", op_i32_gt_s, I32, I32);
    bin(0x4B, "i32.gt_u", op_i32_gt_u, I32, I32);
    bin(0x4C, "i32.le_s", op_i32_le_s, I32, I32);
    bin(0x4D, "i32.le_u", op_i32_le_u, I32, I32);
    bin(0x4E, "i32.ge_s", op_i32_ge_s, I32, I32);
    bin(0x4F, "i32.ge_u", op_i32_ge_u, I32, I32);
    un(0x50, "i64.eqz", op_i64_eqz, I64, I32);
    bin(0x51, "i64.eq", op_i64_eq, I64, I32);
    bin(0x52, "i64.ne", op_i64_ne, I64, I32);
    bin(0x53, "i64.lt_s", op_i64_lt_s, I64, I32);
    bin(0x54, "i64.lt_u", op_i64_lt_u, I64, I32);
    bin(0x55, "i64.gt_s", op_i64_gt_s, I64, I32);
    bin(0x56, "i64.gt_u", op_i64_gt_u, I64, I32);
    bin(0x57, "i64.le_s", op_i64_le_s, I64, I32);
    bin(0x58, "i64.le_u", op_i64_le_u, I64, I32);
    bin(0x59, "i64.ge_s", op_i64_ge_s, I64, I32);
    bin(0x5A, "i64.ge_u", op_i64_ge_u, I64, I32);
    bin(0x5B, "f32.eq", op_f32_eq, F32, I32);
    bin(0x5C, "f32.ne", op_f32_ne, F32, I32);
    bin(0x5D, "f32.lt", op_f32_lt, F32, I32);
    bin(0x5E, "f32.gt", op_f32_gt, F32, I32);
    bin(0x5F, "f32.le", op_f32_le, F32, I32);
    bin(0x60, "f32.ge", op_f32_ge, F32, I32);
    bin(0x61, "f64.eq", op_f64_eq, F64, I32);
    bin(0x62, "f64.ne", op_f64_ne, F64, I32);
    bin(0x63, "f64.lt", op_f64_lt, F64, I32);
    bin(0x64, "f64.gt", op_f64_gt, F64, I32);
    bin(0x65, "f64.le", op_f64_le, F64, I32);
    bin(0x66, "f64.ge", op_f64_ge, F64, I32);
    un(0x67, "i32.clz", op_i32_clz, I32, I32);
    un(0x68, "i32.ctz", op_i32_ctz, I32, I32);
    un(0x69, "i32.popcnt", op_i32_popcnt, I32, I32);
    bin(0x6A, "i32.add", op_i32_add, I32, I32);
    bin(0x6B, "i32.sub", op_i32_sub, I32, I32);
    bin(0x6C, "i32.mul", op_i32_mul, I32, I32);
    bin(0x6D, "i32.div_s", op_i32_div_s, I32, I32);
    bin(0x6E, "i32.div_u", op_i32_div_u, I32, I32);
    bin(0x6F, "i32.rem_s", op_i32_rem_s, I32, I32);
    bin(0x70, "i32.rem_u", op_i32_rem_u, I32, I32);
    bin(0x71, "i32.and", op_i32_and, I32, I32);
    bin(0x72, "i32.or", op_i32_or, I32, I32);
    bin(0x73, "i32.xor", op_i32_xor, I32, I32);
    bin(0x74, "i32.shl", op_i32_shl, I32, I32);
    bin(0x75, "i32.shr_s", op_i32_shr_s, I32, I32);
    bin(0x76, "i32.shr_u", op_i32_shr_u, I32, I32);
    bin(0x77, "i32.rotl", op_i32_rotl, I32, I32);
    bin(0x78, "i32.rotr", op_i32_rotr, I32, I32);
    un(0x79, "i64.clz", op_i64_clz, I64, I64);
    un(0x7A, "i64.ctz", op_i64_ctz, I64, I64);
    un(0x7B, "i64.popcnt", op_i64_popcnt, I64, I64);
    bin(0x7C, "i64.add", op_i64_add, I64, I64);
    bin(0x7D, "i64.sub", op_i64_sub, I64, I64);
    bin(0x7E, "i64.mul", op_i64_mul, I64, I64);
    bin(0x7F, "i64.div_s", op_i64_div_s, I64, I64);
    bin(0x80, "i64.div_u", op_i64_div_u, I64, I64);
    bin(0x81, "i64.rem_s", op_i64_rem_s, I64, I64);
    bin(0x82, "i64.rem_u", op_i64_rem_u, I64, I64);
    bin(0x83, "i64.and", op_i64_and, I64, I64);
    bin(0x84, "i64.or", op_i64_or, I64, I64);
    bin(0x85, "i64.xor", op_i64_xor, I64, I64);
    bin(0x86, "i64.shl", op_i64_shl, I64, I64);
    bin(0x87, "i64.shr_s", op_i64_shr_s, I64, I64);
    bin(0x88, "i64.shr_u", op_i64_shr_u, I64, I64);
    bin(0x89, "i64.rotl", op_i64_rotl, I64, I64);
    bin(0x8A, "i64.rotr", op_i64_rotr, I64, I64);
    un(0x8B, "f32.abs", op_f32_abs, F32, F32);
    un(0x8C, "f32.neg", op_f32_neg, F32, F32);
    un(0x8D, "f32.ceil", op_f32_ceil, F32, F32);
    un(0x8E, "f32.floor", op_f32_floor, F32, F32);
    un(0x8F, "f32.trunc", op_f32_trunc, F32, F32);
    un(0x90, "f32.nearest", op_f32_nearest, F32, F32);
    un(0x91, "f32.sqrt", op_f32_sqrt, F32, F32);
    bin(0x92, "f32.add", op_f32_add, F32, F32);
    bin(0x93, "f32.sub", op_f32_sub, F32, F32);
    bin(0x94, "f32.mul", op_f32_mul, F32, F32);
    bin(0x95, "f32.div", op_f32_div, F32, F32);
    bin(0x96, "f32.min", op_f32_min, F32, F32);
    bin(0x97, "f32.max", op_f32_max, F32, F32);
    bin(0x98, "f32.copysign", op_f32_copysign, F32, F32);
    un(0x99, "f64.abs", op_f64_abs, F64, F64);
    un(0x9A, "f64.neg", op_f64_neg, F64, F64);
    un(0x9B, "f64.ceil", op_f64_ceil, F64, F64);
    un(0x9C, "f64.floor", op_f64_floor, F64, F64);
    un(0x9D, "f64.trunc", op_f64_trunc, F64, F64);
    un(0x9E, "f64.nearest", op_f64_nearest, F64, F64);
    un(0x9F, "f64.sqrt", op_f64_sqrt, F64, F64);
    bin(0xA0, "f64.add", op_f64_add, F64, F64);
    bin(0xA1, "f64.sub", op_f64_sub, F64, F64);
    bin(0xA2, "f64.mul", op_f64_mul, F64, F64);
    bin(0xA3, "f64.div", op_f64_div, F64, F64);
    bin(0xA4, "f64.min", op_f64_min, F64, F64);
    bin(0xA5, "f64.max", op_f64_max, F64, F64);
    bin(0xA6, "f64.copysign", op_f64_copysign, F64, F64);
    un(0xA7, "i32.wrap_i64", op_i32_wrap_i64, I64, I32);
    un(0xA8, "i32.trunc_f32_s", op_i32_trunc_f32_s, F32, I32);
    un(0xA9, "i32.trunc_f32_u", op_i32_trunc_f32_u, F32, I32);
    un(0xAA, "i32.trunc_f64_s", op_i32_trunc_f64_s, F64, I32);
    un(0xAB, "i32.trunc_f64_u", op_i32_trunc_f64_u, F64, I32);
    un(0xAC, "i64.extend_i32_s", op_i64_extend_i32_s, I32, I64);
    un(0xAD, "i64.extend_i32_u", op_i64_extend_i32_u, I32, I64);
    un(0xAE, "i64.trunc_f32_s", op_i64_trunc_f32_s, F32, I64);
    un(0xAF, "i64.trunc_f32_u", op_i64_trunc_f32_u, F32, I64);
    un(0xB0, "i64.trunc_f64_s", op_i64_trunc_f64_s, F64, I64);
    un(0xB1, "i64.trunc_f64_u", op_i64_trunc_f64_u, F64, I64);
    un(0xB2, "f32.convert_i32_s", op_f32_convert_i32_s, I32, F32);
    un(0xB3, "f32.convert_i32_u", op_f32_convert_i32_u, I32, F32);
    un(0xB4, "f32.convert_i64_s", op_f32_convert_i64_s, I64, F32);
    un(0xB5, "f32.convert_i64_u", op_f32_convert_i64_u, I64, F32);
    un(0xB6, "f32.demote_f64", op_f32_demote_f64, F64, F32);
    un(0xB7, "f64.convert_i32_s", op_f64_convert_i32_s, I32, F64);
    un(0xB8, "f64.convert_i32_u", op_f64_convert_i32_u, I32, F64);
    un(0xB9, "f64.convert_i64_s", op_f64_convert_i64_s, I64, F64);
    un(0xBA, "f64.convert_i64_u", op_f64_convert_i64_u, I64, F64);
    un(0xBB, "f64.promote_f32", op_f64_promote_f32, F32, F64);
    un(0xBC, "i32.reinterpret_f32", op_i32_reinterpret_f32, F32, I32);
    un(0xBD, "i64.reinterpret_f64", op_i64_reinterpret_f64, F64, I64);
    un(0xBE, "f32.reinterpret_i32", op_f32_reinterpret_i32, I32, F32);
    un(0xBF, "f64.reinterpret_i64", op_f64_reinterpret_i64, I64, F64);
    un(0xC0, "i32.extend8_s", op_i32_extend8_s, I32, I32);
    un(0xC1, "i32.extend16_s", op_i32_extend16_s, I32, I32);
    un(0xC2, "i64.extend8_s", op_i64_extend8_s, I64, I64);
    un(0xC3, "i64.extend16_s", op_i64_extend16_s, I64, I64);
    un(0xC4, "i64.extend32_s", op_i64_extend32_s, I64, I64);
    sat[0] = SimpleOp{"i32.trunc_sat_f32_s", op_i32_trunc_sat_f32_s, F32, NONE, I32, 1};
    sat[1] = SimpleOp{"i32.trunc_sat_f32_u", op_i32_trunc_sat_f32_u, F32, NONE, I32, 1};
    sat[2] = SimpleOp{"i32.trunc_sat_f64_s", op_i32_trunc_sat_f64_s, F64, NONE, I32, 1};
    sat[3] = SimpleOp{"i32.trunc_sat_f64_u", op_i32_trunc_sat_f64_u, F64, NONE, I32, 1};
    sat[4] = SimpleOp{"i64.trunc_sat_f32_s", op_i64_trunc_sat_f32_s, F32, NONE, I64, 1};
    sat[5] = SimpleOp{"i64.trunc_sat_f32_u", op_i64_trunc_sat_f32_u, F32, NONE, I64, 1};
    sat[6] = SimpleOp{"i64.trunc_sat_f64_s", op_i64_trunc_sat_f64_s, F64, NONE, I64, 1};
    sat[7] = SimpleOp{"i64.trunc_sat_f64_u", op_i64_trunc_sat_f64_u, F64, NONE, I64, 1};
  }
};

struct MemoryTable {
  std::array<MemoryOp, 256> ops{};
  MemoryTable() {
    using namespace exec;
#define ld(op, n, h, t, a, add) ops[op] = {n, h, t, a, false, add, h##_addimm, h##_idx}
#define st(op, n, h, t, a) ops[op] = {n, h, t, a, true, nullptr, h##_addimm, nullptr, h##_const}
    ld(0x28, "i32.load", op_i32_load, I32, 2, op_i32_load_add);
    ld(0x29, "i64.load", op_i64_load, I64, 3, op_i64_load_add);
    ld(0x2A, "f32.load", op_f32_load, F32, 2, op_f32_load_add);
    ld(0x2B, "f64.load", op_f64_load, F64, 3, op_f64_load_add);
    ld(0x2C, "i32.load8_s", op_i32_load8_s, I32, 0, op_i32_load8_s_add);
    ld(0x2D, "i32.load8_u", op_i32_load8_u, I32, 0, op_i32_load8_u_add);
    ld(0x2E, "i32.load16_s", op_i32_load16_s, I32, 1, op_i32_load16_s_add);
    ld(0x2F, "i32.load16_u", op_i32_load16_u, I32, 1, op_i32_load16_u_add);
    ld(0x30, "i64.load8_s", op_i64_load8_s, I64, 0, op_i64_load8_s_add);
    ld(0x31, "i64.load8_u", op_i64_load8_u, I64, 0, op_i64_load8_u_add);
    ld(0x32, "i64.load16_s", op_i64_load16_s, I64, 1, op_i64_load16_s_add);
    ld(0x33, "i64.load16_u", op_i64_load16_u, I64, 1, op_i64_load16_u_add);
    ld(0x34, "i64.load32_s", op_i64_load32_s, I64, 2, op_i64_load32_s_add);
    ld(0x35, "i64.load32_u", op_i64_load32_u, I64, 2, op_i64_load32_u_add);
    st(0x36, "i32.store", op_i32_store, I32, 2);
    st(0x37, "i64.store", op_i64_store, I64, 3);
    st(0x38, "f32.store", op_f32_store, F32, 2);
    st(0x39, "f64.store", op_f64_store, F64, 3);
    st(0x3A, "i32.store8", op_i32_store8, I32, 0);
    st(0x3B, "i32.store16", op_i32_store16, I32, 1);
    st(0x3C, "i64.store8", op_i64_store8, I64, 0);
    st(0x3D, "i64.store16", op_i64_store16, I64, 1);
    st(0x3E, "i64.store32", op_i64_store32, I64, 2);
#undef ld
#undef st
  }
};

const NumericTable& numeric_table() {
  static const NumericTable t;
  return t;
}
const MemoryTable& memory_table() {
  static const MemoryTable t;
  return t;
}

}  // namespace

const SimpleOp& numeric_op(uint8_t opcode) { return numeric_table().ops[opcode]; }

const SimpleOp& saturating_op(uint32_t sub) {
  static const SimpleOp none{};
  return sub < 8 ? numeric_table().sat[sub] : none;
}

const MemoryOp& memory_op(uint8_t opcode) { return memory_table().ops[opcode]; }

const char* opcode_name(uint8_t opcode) {
  switch (opcode) {
    case 0x00: return "unreachable";
    case 0x01: return "nop";
    case 0x02: return "block";
    case 0x03: return "loop";
    case 0x04: return "if";
    case 0x05: return "else";
    case 0x0B: return "end";
    case 0x0C: return "br";
    case 0x0D: return "br_if";
    case 0x0E: return "br_table";
    case 0x0F: return "return";
    case 0x10: return "call";
    case 0x11: return "call_indirect";
    case 0x1A: return "drop";
    case 0x1B: return "select";
    case 0x1C: return "select";
    case 0x20: return "local.get";
    case 0x21: return "local.set";
    case 0x22: return "local.tee";
    case 0x23: return "global.get";
    case 0x24: return "global.set";
    case 0x25: return "table.get";
    case 0x26: return "table.set";
    case 0x3F: return "memory.size";
    case 0x40: return "memory.grow";
    case 0x41: return "i32.const";
    case 0x42: return "i64.const";
    case 0x43: return "f32.const";
    case 0x44: return "f64.const";
    case 0xD0: return "ref.null";
    case 0xD1: return "ref.is_null";
    case 0xD2: return "ref.func";
    case 0xFC: return "0xFC-prefixed instruction";
    case 0xFD: return "SIMD instruction";
    default: break;
  }
  if (const auto& m = memory_op(opcode); m.name) return m.name;
  if (const auto& n = numeric_op(opcode); n.name) return n.name;
  static thread_local char buf[8];
  static const char* hex = "0123456789abcdef";
  buf[0] = '0'; buf[1] = 'x'; buf[2] = hex[opcode >> 4]; buf[3] = hex[opcode & 15]; buf[4] = 0;
  return buf;
}

uint8_t load_width(exec::Handler h, bool* addimm) {
  for (uint8_t op = 0x28; op <= 0x35; ++op) {
    const MemoryOp& mo = memory_op(op);
    if (h == mo.handler || h == mo.addimm_handler) {
      *addimm = h == mo.addimm_handler;
      return uint8_t(1u << mo.natural_log2);
    }
  }
  return 0;
}

}  // namespace wnn::valid
