// Linear memory and the 0xFC-prefixed instructions (saturating truncation,
// bulk memory, tables).
//
// Loads and stores need no bounds check: the memory's reservation covers any
// u32 address + u32 offset + access size, so an access past the accessible
// pages faults and the guard handler turns the fault into a trap. They are
// volatile so that LLVM neither deletes nor moves a trapping access, and
// align 1 because Wasm alignment hints are not guarantees.
#include "exec/operands.h"
#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::Value;

#define READ(var, expr)                                                                              \
  auto var##_r_ = (expr);                                                                            \
  if (!var##_r_.ok()) return Error(ErrorKind::Malformed, where() + ": " + var##_r_.error().message); \
  auto var = *var##_r_

namespace layout = exec::layout;

llvm::Value* FunctionCompiler::address(Value* addr32, uint64_t offset) {
  Value* a = b_.CreateZExt(addr32, b_.getInt64Ty());
  if (offset) a = b_.CreateAdd(a, i64(offset));
  return b_.CreateGEP(b_.getInt8Ty(), mem_, a);
}

bool FunctionCompiler::emit_memory(uint8_t op, uint32_t offset) {
  llvm::Type* i8 = b_.getInt8Ty();
  llvm::Type* i16 = b_.getInt16Ty();
  llvm::Type* i32t = b_.getInt32Ty();
  llvm::Type* i64t = b_.getInt64Ty();
  auto load = [&](llvm::Type* t) {
    Value* p = address(pop(), offset);
    llvm::LoadInst* l = b_.CreateAlignedLoad(t, p, llvm::MaybeAlign(1), true);
    return static_cast<Value*>(l);
  };
  auto store = [&](llvm::Type* t) {
    Value* v = pop();
    Value* p = address(pop(), offset);
    if (v->getType() != t) v = b_.CreateTrunc(v, t);
    b_.CreateAlignedStore(v, p, llvm::MaybeAlign(1), true);
  };
  switch (op) {
    case 0x28: push(load(i32t)); return true;
    case 0x29: push(load(i64t)); return true;
    case 0x2A: push(load(b_.getFloatTy())); return true;
    case 0x2B: push(load(b_.getDoubleTy())); return true;
    case 0x2C: push(b_.CreateSExt(load(i8), i32t)); return true;
    case 0x2D: push(b_.CreateZExt(load(i8), i32t)); return true;
    case 0x2E: push(b_.CreateSExt(load(i16), i32t)); return true;
    case 0x2F: push(b_.CreateZExt(load(i16), i32t)); return true;
    case 0x30: push(b_.CreateSExt(load(i8), i64t)); return true;
    case 0x31: push(b_.CreateZExt(load(i8), i64t)); return true;
    case 0x32: push(b_.CreateSExt(load(i16), i64t)); return true;
    case 0x33: push(b_.CreateZExt(load(i16), i64t)); return true;
    case 0x34: push(b_.CreateSExt(load(i32t), i64t)); return true;
    case 0x35: push(b_.CreateZExt(load(i32t), i64t)); return true;
    case 0x36: store(i32t); return true;
    case 0x37: store(i64t); return true;
    case 0x38: store(b_.getFloatTy()); return true;
    case 0x39: store(b_.getDoubleTy()); return true;
    case 0x3A:
    case 0x3C: store(i8); return true;
    case 0x3B:
    case 0x3D: store(i16); return true;
    case 0x3E: store(i32t); return true;
    case 0x3F: {
      Value* slots = run_stub(layout::encode(ms_.rt.memory_size, layout::MemorySize{.dst = 0}), {}, {});
      push(load_slot(slots, 0, ValType::I32));
      return true;
    }
    case 0x40: {
      Value* slots = run_stub(layout::encode(ms_.rt.memory_grow, layout::MemoryGrow{.dst = 0, .delta = 0}), {pop()},
                              {ValType::I32});
      push(load_slot(slots, 0, ValType::I32));
      return true;
    }
    default: return false;
  }
}

// The bulk memory and table instructions run the interpreter's own handlers
// (their bounds checks, messages and fuel charges), operands in slots 0..2.
Expected<void> FunctionCompiler::emit_prefixed(uint32_t sub) {
  if (sub <= 7) {
    if (unreachable_) return {};
    const bool src64 = sub & 2, dst64 = sub >= 4, is_signed = !(sub & 1);
    Value* a = pop();
    (void)src64;
    llvm::Type* dt = dst64 ? b_.getInt64Ty() : b_.getInt32Ty();
    push(
        call_intrinsic(is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat, {dt, a->getType()}, {a}));
    return {};
  }
  const ValType I = ValType::I32, R = ValType::FuncRef;
  switch (sub) {
    case 8: {  // memory.init data 0
      READ(data, r_.u32());
      READ(zero, r_.u8());
      (void)zero;
      if (unreachable_) return {};
      std::vector<Value*> args = pop_n(3);
      run_stub(layout::encode(ms_.rt.memory_init, layout::MemoryInit{.dst = 0, .src = 1, .n = 2, .data = data}), args,
               {I, I, I});
      return {};
    }
    case 9: {
      READ(data, r_.u32());
      if (!unreachable_) run_stub(layout::encode(ms_.rt.data_drop, layout::DataDrop{.data = data}), {}, {});
      return {};
    }
    case 10:
    case 11: {  // memory.copy 0 0 / memory.fill 0
      READ(zero, r_.u8());
      if (sub == 10) {
        READ(zero2, r_.u8());
        (void)zero2;
      }
      (void)zero;
      if (unreachable_) return {};
      std::vector<Value*> args = pop_n(3);
      if (sub == 10)
        run_stub(layout::encode(ms_.rt.memory_copy, layout::MemoryCopy{.dst = 0, .src = 1, .n = 2}), args, {I, I, I});
      else
        run_stub(layout::encode(ms_.rt.memory_fill, layout::MemoryFill{.dst = 0, .value = 1, .n = 2}), args, {I, I, I});
      return {};
    }
    case 12: {  // table.init elem table
      READ(elem, r_.u32());
      READ(table, r_.u32());
      if (unreachable_) return {};
      std::vector<Value*> args = pop_n(3);
      run_stub(layout::encode(ms_.rt.table_init,
                              layout::TableInit{.dst = 0, .src = 1, .n = 2, .elem = elem, .table = table}),
               args, {I, I, I});
      return {};
    }
    case 13: {
      READ(elem, r_.u32());
      if (!unreachable_) run_stub(layout::encode(ms_.rt.elem_drop, layout::ElemDrop{.elem = elem}), {}, {});
      return {};
    }
    case 14: {  // table.copy dst src
      READ(dst, r_.u32());
      READ(src, r_.u32());
      if (unreachable_) return {};
      std::vector<Value*> args = pop_n(3);
      run_stub(layout::encode(ms_.rt.table_copy,
                              layout::TableCopy{.dst = 0, .src = 1, .n = 2, .dst_table = dst, .src_table = src}),
               args, {I, I, I});
      return {};
    }
    case 15: {  // table.grow: (init, delta) -> old
      READ(table, r_.u32());
      if (unreachable_) return {};
      std::vector<Value*> args = pop_n(2);
      Value* slots = run_stub(
          layout::encode(ms_.rt.table_grow, layout::TableGrow{.dst = 0, .init = 0, .delta = 1, .table = table}), args,
          {R, I});
      push(load_slot(slots, 0, I));
      return {};
    }
    case 16: {
      READ(table, r_.u32());
      if (unreachable_) return {};
      Value* slots = run_stub(layout::encode(ms_.rt.table_size, layout::TableSize{.dst = 0, .table = table}), {}, {});
      push(load_slot(slots, 0, I));
      return {};
    }
    case 17: {  // table.fill: (i, val, n)
      READ(table, r_.u32());
      if (unreachable_) return {};
      std::vector<Value*> args = pop_n(3);
      run_stub(layout::encode(ms_.rt.table_fill, layout::TableFill{.index = 0, .value = 1, .n = 2, .table = table}),
               args, {I, R, I});
      return {};
    }
    default: return Error(ErrorKind::Invalid, where() + ": unknown 0xFC instruction " + std::to_string(sub));
  }
}

}  // namespace wnn::jit
