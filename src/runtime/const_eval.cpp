// Constant expressions. WebAssembly 2.0 allows a single constant instruction;
// the arithmetic of the extended-constant proposal is evaluated too, since a
// stack makes it free (the validator decides what is accepted).
#include <cstring>
#include <vector>

#include "exec/operators.h"
#include "runtime/const_eval.h"

namespace wnn {

Value eval_const(const ConstExpr& e, const Instance& inst) {
  std::vector<Value> stack;
  auto pop = [&stack]() {
    if (stack.empty()) return Value{};
    Value v = stack.back();
    stack.pop_back();
    return v;
  };
  // The arithmetic is the interpreter's own (exec/operators.h).
  auto i32_binop = [&](uint32_t (*fn)(uint32_t, uint32_t)) {
    Value b = pop(), a = pop();
    stack.push_back(Value::i32(fn(uint32_t(a.lo), uint32_t(b.lo))));
  };
  auto i64_binop = [&](uint64_t (*fn)(uint64_t, uint64_t)) {
    Value b = pop(), a = pop();
    stack.push_back(Value::i64(fn(a.lo, b.lo)));
  };
  for (const ConstInstr& in : e.instrs) {
    switch (in.opcode) {
      case 0x41: stack.push_back(Value::i32(uint32_t(in.imm))); break;
      case 0x42: stack.push_back(Value::i64(in.imm)); break;
      case 0x43: stack.push_back(Value::f32_bits(uint32_t(in.imm))); break;
      case 0x44: stack.push_back(Value::f64_bits(in.imm)); break;
      case 0xD0: stack.push_back(Value::ref(ValType(in.imm), 0)); break;
      case 0xD2: {
        Ref r = in.imm < inst.funcs.size() ? Ref(inst.funcs[in.imm]) : 0;
        stack.push_back(Value::ref(ValType::FuncRef, r));
        break;
      }
      case 0x23: {
        if (in.imm >= inst.globals.size()) {
          stack.push_back(Value{});
          break;
        }
        const GlobalInst* g = inst.globals[in.imm];
        stack.push_back(Value{g->type.type, g->value[0], g->value[1]});
        break;
      }
      case 0xFD0C: {  // v128.const: imm is the offset of its 16 bytes in the module
        Value v = Value::v128(0, 0);
        if (inst.module && in.imm + 16 <= inst.module->module.bytes.size()) {
          const uint8_t* p = inst.module->module.bytes.data() + in.imm;
          std::memcpy(&v.lo, p, 8);  // lanes are little-endian, as on the host
          std::memcpy(&v.hi, p + 8, 8);
        }
        stack.push_back(v);
        break;
      }
      case 0x6A: i32_binop(exec::wasm_op::i32_add); break;
      case 0x6B: i32_binop(exec::wasm_op::i32_sub); break;
      case 0x6C: i32_binop(exec::wasm_op::i32_mul); break;
      case 0x7C: i64_binop(exec::wasm_op::i64_add); break;
      case 0x7D: i64_binop(exec::wasm_op::i64_sub); break;
      case 0x7E: i64_binop(exec::wasm_op::i64_mul); break;
      default: break;  // rejected by the validator
    }
  }
  return pop();
}

}  // namespace wnn
