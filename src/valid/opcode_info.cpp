#include "valid/opcode_info.h"

#include <array>

namespace wnn::valid {
namespace {

using binary::OpFamily;
using exec::Handler;

// The fused forms of each load and store (src/exec/memory_ops.cpp), found by
// the plain handler: address a + b (loads), a + constant, a + (b << k) +
// constant (loads), a constant value (stores).
struct MemoryForms {
  Handler plain, add, addimm, idx, constant;
};
using namespace exec;
const MemoryForms kMemoryForms[] = {
    {op_i32_load, op_i32_load_at_sum, op_i32_load_at_sum_imm, op_i32_load_at_scaled, nullptr},
    {op_i64_load, op_i64_load_at_sum, op_i64_load_at_sum_imm, op_i64_load_at_scaled, nullptr},
    {op_f32_load, op_f32_load_at_sum, op_f32_load_at_sum_imm, op_f32_load_at_scaled, nullptr},
    {op_f64_load, op_f64_load_at_sum, op_f64_load_at_sum_imm, op_f64_load_at_scaled, nullptr},
    {op_i32_load8_s, op_i32_load8_s_at_sum, op_i32_load8_s_at_sum_imm, op_i32_load8_s_at_scaled, nullptr},
    {op_i32_load8_u, op_i32_load8_u_at_sum, op_i32_load8_u_at_sum_imm, op_i32_load8_u_at_scaled, nullptr},
    {op_i32_load16_s, op_i32_load16_s_at_sum, op_i32_load16_s_at_sum_imm, op_i32_load16_s_at_scaled, nullptr},
    {op_i32_load16_u, op_i32_load16_u_at_sum, op_i32_load16_u_at_sum_imm, op_i32_load16_u_at_scaled, nullptr},
    {op_i64_load8_s, op_i64_load8_s_at_sum, op_i64_load8_s_at_sum_imm, op_i64_load8_s_at_scaled, nullptr},
    {op_i64_load8_u, op_i64_load8_u_at_sum, op_i64_load8_u_at_sum_imm, op_i64_load8_u_at_scaled, nullptr},
    {op_i64_load16_s, op_i64_load16_s_at_sum, op_i64_load16_s_at_sum_imm, op_i64_load16_s_at_scaled, nullptr},
    {op_i64_load16_u, op_i64_load16_u_at_sum, op_i64_load16_u_at_sum_imm, op_i64_load16_u_at_scaled, nullptr},
    {op_i64_load32_s, op_i64_load32_s_at_sum, op_i64_load32_s_at_sum_imm, op_i64_load32_s_at_scaled, nullptr},
    {op_i64_load32_u, op_i64_load32_u_at_sum, op_i64_load32_u_at_sum_imm, op_i64_load32_u_at_scaled, nullptr},
    {op_i32_store, nullptr, op_i32_store_at_sum_imm, nullptr, op_i32_store_const},
    {op_i64_store, nullptr, op_i64_store_at_sum_imm, nullptr, op_i64_store_const},
    {op_f32_store, nullptr, op_f32_store_at_sum_imm, nullptr, op_f32_store_const},
    {op_f64_store, nullptr, op_f64_store_at_sum_imm, nullptr, op_f64_store_const},
    {op_i32_store8, nullptr, op_i32_store8_at_sum_imm, nullptr, op_i32_store8_const},
    {op_i32_store16, nullptr, op_i32_store16_at_sum_imm, nullptr, op_i32_store16_const},
    {op_i64_store8, nullptr, op_i64_store8_at_sum_imm, nullptr, op_i64_store8_const},
    {op_i64_store16, nullptr, op_i64_store16_at_sum_imm, nullptr, op_i64_store16_const},
    {op_i64_store32, nullptr, op_i64_store32_at_sum_imm, nullptr, op_i64_store32_const},
};

// Every non-special row of opcodes.def, with its handler exec::op_<sem>.
struct Tables {
  std::array<SimpleOp, 256> numeric{};
  std::array<SimpleOp, 8> saturating{};
  std::array<MemoryOp, 256> memory{};
  std::array<SimdOp, 256> simd{};

  void row(uint8_t prefix, uint8_t code, Handler h) {
    const binary::OpcodeInfo& i = binary::opcode_info(prefix, code);
    switch (i.family) {
      case OpFamily::Load:
      case OpFamily::Store: {
        const bool store = i.family == OpFamily::Store;
        MemoryOp& m = memory[code];
        m = MemoryOp{i.text, h, store ? i.in1 : i.out, i.natural_log2(), store};
        for (const MemoryForms& f : kMemoryForms)
          if (f.plain == h)
            m.add_handler = f.add, m.addimm_handler = f.addimm, m.idx_handler = f.idx, m.const_handler = f.constant;
        return;
      }
      case OpFamily::Test:
      case OpFamily::Compare:
      case OpFamily::Unary:
      case OpFamily::Binary:
      case OpFamily::Convert: {
        const uint8_t arity = i.family == OpFamily::Compare || i.family == OpFamily::Binary ? 2 : 1;
        (prefix == 0 ? numeric[code] : saturating.at(code)) = SimpleOp{i.text, h, i.in0, i.in1, i.out, arity};
        return;
      }
      default: {  // SIMD
        const ValType scalar = i.family == OpFamily::VSplat     ? i.in0
                               : i.family == OpFamily::VExtract ? i.out
                               : i.family == OpFamily::VReplace ? i.in1
                                                                : ValType{};
        simd[code] = SimdOp{i.text, h, i.family, scalar, i.lanes(), i.natural_log2()};
        return;
      }
    }
  }
  Tables() {
#define WNN_OPCODE(prefix, code, Name, text, sem, ...) row(prefix, code, exec::op_##sem);
#define WNN_SPECIAL_OPCODE(...)
#include "binary/opcodes.def"
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

const SimpleOp& numeric_op(uint8_t opcode) { return tables().numeric[opcode]; }

const SimpleOp& saturating_op(uint32_t sub) {
  static const SimpleOp none{};
  return sub < 8 ? tables().saturating[sub] : none;
}

const MemoryOp& memory_op(uint8_t opcode) { return tables().memory[opcode]; }

const SimdOp& simd_op(uint32_t sub) {
  static const SimdOp none{};
  return sub < 256 ? tables().simd[sub] : none;
}

const char* opcode_name(uint8_t opcode) {
  if (opcode == binary::op::kPrefixFC) return "0xFC-prefixed instruction";
  if (opcode == binary::op::kPrefixFD) return "SIMD instruction";
  if (const char* text = binary::opcode_info(0, opcode).text) return text;
  static thread_local char buf[8];
  static const char* hex = "0123456789abcdef";
  buf[0] = '0';
  buf[1] = 'x';
  buf[2] = hex[opcode >> 4];
  buf[3] = hex[opcode & 15];
  buf[4] = 0;
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
