// Dispatch of the translator along the opcode table (binary/opcodes.def):
// each row's family names the method that validates and translates it.
// Here: the dispatch, and the families of branches, calls, parametric
// instructions, variables, constants and references. Blocks are in
// translator.cpp, memory and tables in translator_memory.cpp, numeric ops in
// translator_numeric.cpp, SIMD (0xFD) in translator_simd.cpp.
#include <string>

#include "valid/translator.h"

namespace wnn::valid {

namespace {
// Lazy sums (translator.h) are understood by br_table, drop, local.get/set/
// tee, global.get, constants, loads/stores and numeric ops; every other
// instruction sees them materialised.
bool knows_lazy_sums(binary::OpFamily f) {
  using binary::OpFamily;
  switch (f) {
    case OpFamily::BrTable:
    case OpFamily::Drop:
    case OpFamily::LocalGet:
    case OpFamily::LocalSet:
    case OpFamily::LocalTee:
    case OpFamily::GlobalGet:
    case OpFamily::Load:
    case OpFamily::Store:
    case OpFamily::Const:
    case OpFamily::Test:
    case OpFamily::Compare:
    case OpFamily::Unary:
    case OpFamily::Binary:
    case OpFamily::Convert: return true;
    default: return false;
  }
}
}  // namespace

void Translator::instruction(uint8_t op) {
  using binary::OpFamily;
  const binary::OpcodeInfo& info = binary::opcode_info(0, op);
  if (!knows_lazy_sums(info.family)) materialize_lazy_sums();
  switch (info.family) {
    case OpFamily::Unreachable:
      emit(exec::op_unreachable);
      set_unreachable();
      return;
    case OpFamily::Nop: return;
    case OpFamily::Block:
    case OpFamily::Loop:
    case OpFamily::If: return block_start(op);
    case OpFamily::Else: return op_else();
    case OpFamily::End: return op_end();
    case OpFamily::Br:
    case OpFamily::BrIf: return op_br_or_br_if(op);
    case OpFamily::BrTable: return op_br_table();
    case OpFamily::Return: return op_return();
    case OpFamily::Call: return op_call();
    case OpFamily::CallIndirect: return op_call_indirect();
    case OpFamily::Drop:
      pop_lazy();  // a dropped constant or lazy sum never needs a slot
      producer_ = npos;
      return;
    case OpFamily::Select: return op_select(op);
    case OpFamily::LocalGet: {
      uint32_t idx = take(r_.u32());
      if (failed_) return;
      return local_get(idx);
    }
    case OpFamily::LocalSet:
    case OpFamily::LocalTee: {
      uint32_t idx = take(r_.u32());
      if (failed_) return;
      return local_set(idx, info.family == OpFamily::LocalTee);
    }
    case OpFamily::GlobalGet: return op_global_get();
    case OpFamily::GlobalSet: return op_global_set();
    case OpFamily::TableGet:
    case OpFamily::TableSet: return op_table_get_set(info.family == OpFamily::TableSet);
    case OpFamily::Load:
    case OpFamily::Store: return memory_access(memory_op(op));
    case OpFamily::MemorySize:
    case OpFamily::MemoryGrow: return op_memory_size_grow(info.family == OpFamily::MemoryGrow);
    case OpFamily::Const: return op_const(info.imm);
    case OpFamily::Test: return eqz(op);
    case OpFamily::Unary:
    case OpFamily::Convert: {
      const SimpleOp& so = numeric_op(op);
      return unop(so.handler, so.in0, so.out);
    }
    case OpFamily::Compare:
    case OpFamily::Binary: return numeric_binop(op, numeric_op(op));
    case OpFamily::RefNull: return op_ref_null();
    case OpFamily::RefIsNull: return op_ref_is_null();
    case OpFamily::RefFunc: return op_ref_func();
    default: break;
  }
  // The prefixes are not rows of the table: their sub-opcode is.
  if (op == binary::op::kPrefixFC) return prefixed_fc();
  if (op == binary::op::kPrefixFD) return prefixed_fd();
  fail("illegal opcode", ErrorKind::Malformed);
}

void Translator::op_br_or_br_if(uint8_t op) {
  using namespace exec;
  uint32_t depth = take(r_.u32());
  if (failed_) return;
  if (depth >= ctrls_.size()) return fail("unknown label " + std::to_string(depth));
  Operand cond{};
  if (op == 0x0D) cond = pop(ValType::I32);
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  if (op == 0x0D) {
    // br_if pops the label's values and pushes them back, now typed.
    const std::vector<ValType>& lt = t.label_types();
    std::vector<Operand> vals(lt.size());
    for (size_t i = lt.size(); i-- > 0;) vals[i] = pop(lt[i]);
    for (size_t i = 0; i < lt.size(); ++i) {
      push(lt[i]);
      stack_.back().slot = vals[i].slot;
    }
  }
  check_top(t.label_types());
  if (failed_) return;
  if (op == 0x0C) {
    if (!dead()) branch_to(t);
    set_unreachable();
    return;
  }
  if (dead()) return;
  if (!branch_needs_copies(t)) {
    if (Fixup f = fuse_compare_branch(cond, /*invert=*/false, t.opcode == 0x03 ? &t : nullptr); f.instr != npos) {
      if (t.opcode == 0x03)
        bind(f.instr, f.word, t.start);
      else
        t.fixups.push_back(f);
    } else {
      jump(op_br_if, t, cond.slot);
    }
  } else {
    size_t skip = emit(op_br_unless, layout::BrCond{.target = 0, .cond = cond.slot});
    branch_to(t);
    if (skip != npos) bind(skip, skip + layout::BrCond::target_word, code_.size());
  }
  producer_ = npos;
}

void Translator::op_return() {
  check_top(type_.results);
  if (failed_) return;
  emit_return();
  set_unreachable();
}

void Translator::op_call() {
  uint32_t f = take(r_.u32());
  if (failed_) return;
  if (f >= cx_.func_types.size()) return fail("unknown function " + std::to_string(f));
  uint32_t base = call_args(m_.types[cx_.func_types[f]]);
  if (failed_) return;
  emit(exec::op_call, layout::Call{.func = f, .base = base});
  for (ValType t : m_.types[cx_.func_types[f]].results) push(t);
}

void Translator::op_call_indirect() {
  uint32_t ti = take(r_.u32());
  uint32_t tab = take(r_.u32());
  if (failed_) return;
  if (ti >= m_.types.size()) return fail("unknown type " + std::to_string(ti));
  const TableType* tt = table(tab);
  if (!tt) return;
  if (tt->elem != ValType::FuncRef) return fail("type mismatch: call_indirect needs a funcref table");
  Operand index = pop(ValType::I32);
  const FuncType& ft = m_.types[ti];
  uint32_t base = call_args(ft);
  if (failed_) return;
  emit(exec::op_call_indirect, layout::CallIndirect{.type = ti, .table = tab, .index = index.slot, .base = base});
  for (ValType t : ft.results) push(t);
}

// select (0x1B) and select t (0x1C).
void Translator::op_select(uint8_t op) {
  ValType want = kUnknown;
  if (op == 0x1C) {
    uint32_t n = take(r_.u32());
    if (failed_) return;
    if (n != 1) return fail("invalid result arity for select");
    want = read_valtype();
    if (failed_) return;
  }
  Operand cond = pop(ValType::I32);
  Operand b = pop(want);
  Operand a = pop(want);
  if (failed_) return;
  ValType t = want;
  if (op == 0x1B) {
    t = a.type != kUnknown ? a.type : b.type;
    if (a.type != kUnknown && b.type != kUnknown && a.type != b.type)
      return fail("type mismatch: select operands differ");
    if (t != kUnknown && is_ref(t)) return fail("type mismatch: select without a type needs numeric operands");
  }
  uint32_t dst = push(t);
  size_t p = emit(t == ValType::V128 ? exec::op_select2 : exec::op_select,
                  layout::Select{.dst = dst, .cond = cond.slot, .a = a.slot, .b = b.slot});
  mark_producer(p);
}

void Translator::op_global_get() {
  uint32_t g = take(r_.u32());
  if (failed_) return;
  if (g >= cx_.globals.size()) return fail("unknown global " + std::to_string(g));
  uint32_t dst = push(cx_.globals[g].type);
  size_t p = emit(cx_.globals[g].type == ValType::V128 ? exec::op_global_get2 : exec::op_global_get,
                  layout::GlobalGet{.dst = dst, .global = g});
  mark_producer(p);
}

void Translator::op_global_set() {
  uint32_t g = take(r_.u32());
  if (failed_) return;
  if (g >= cx_.globals.size()) return fail("unknown global " + std::to_string(g));
  if (!cx_.globals[g].mut) return fail("global is immutable: global " + std::to_string(g));
  Operand v = pop(cx_.globals[g].type);
  emit(cx_.globals[g].type == ValType::V128 ? exec::op_global_set2 : exec::op_global_set,
       layout::GlobalSet{.src = v.slot, .global = g});
}

// i32/i64/f32/f64.const: the immediate's kind is the constant's type.
void Translator::op_const(binary::ImmKind imm) {
  uint64_t v = 0;
  ValType t = ValType::I32;
  if (imm == binary::ImmKind::I32)
    v = uint32_t(take(r_.s32()));
  else if (imm == binary::ImmKind::I64)
    v = uint64_t(take(r_.s64())), t = ValType::I64;
  else if (imm == binary::ImmKind::F32)
    v = take(r_.f32_bits()), t = ValType::F32;
  else
    v = take(r_.f64_bits()), t = ValType::F64;
  if (failed_) return;
  // No code until a consumer needs it (translator.h); the instruction
  // before may still fuse with that consumer.
  push_const(t, v);
}

void Translator::op_ref_null() {
  uint8_t b = take(r_.u8());
  if (failed_) return;
  if (b != 0x70 && b != 0x6F) return fail("malformed reference type", ErrorKind::Malformed);
  producer_ = npos;
  push_const(ValType(b), 0);
}

void Translator::op_ref_is_null() {
  Operand v = pop();
  if (v.type != kUnknown && !is_ref(v.type)) return fail("type mismatch: ref.is_null needs a reference");
  uint32_t dst = push(ValType::I32);
  size_t p = emit(exec::op_ref_is_null, layout::Unary{.dst = dst, .src = v.slot});
  mark_producer(p);
}

void Translator::op_ref_func() {
  uint32_t f = take(r_.u32());
  if (failed_) return;
  if (f >= cx_.func_types.size()) return fail("unknown function " + std::to_string(f));
  if (!cx_.declared_funcs[f]) return fail("undeclared function reference " + std::to_string(f));
  uint32_t dst = push(ValType::FuncRef);
  size_t p = emit(exec::op_ref_func, layout::RefFunc{.dst = dst, .func = f});
  mark_producer(p);
}

}  // namespace wnn::valid
