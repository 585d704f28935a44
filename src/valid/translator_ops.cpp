// The per-instruction cases of the translator: locals, globals, memory,
// tables, references, numeric ops and the 0xFC-prefixed instructions. Control
// flow is in translator.cpp, SIMD (0xFD) in translator_simd.cpp.
#include <string>

#include "valid/translator.h"

namespace wnn::valid {

void Translator::instruction(uint8_t op) {
  using namespace exec;
  // Lazy sums (translator.h) are understood by local.get/set/tee, drop,
  // global.get, constants, loads/stores and numeric ops; every other
  // instruction sees them materialised.
  const bool knows_lazy_sums = op == 0x0E || (op >= 0x1A && op <= 0x23 && op != 0x1B && op != 0x1C) ||
                               (op >= 0x28 && op <= 0x3E) || (op >= 0x41 && op <= 0xC4);
  if (!knows_lazy_sums) materialize_lazy_sums();
  switch (op) {
    case 0x00:
      emit(op_unreachable);
      set_unreachable();
      return;
    case 0x01:
      return;
    case 0x02:
    case 0x03:
    case 0x04:
      return block_start(op);
    case 0x05:
      return op_else();
    case 0x0B:
      return op_end();
    case 0x0C:
    case 0x0D: {
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
        if (Fixup f = fuse_compare_branch(cond, /*invert=*/false, t.opcode == 0x03 ? &t : nullptr);
            f.instr != npos) {
          if (t.opcode == 0x03) bind(f.instr, f.word, t.start);
          else t.fixups.push_back(f);
        } else {
          jump(op_br_if, t, cond.slot);
        }
      } else {
        size_t skip = emit(op_br_unless);
        Word w{};
        w.br.slot = cond.slot;
        code_.push_back(w);
        branch_to(t);
        bind(skip, skip + 1, code_.size());
      }
      producer_ = npos;
      return;
    }
    case 0x0E:
      return op_br_table();
    case 0x0F:
      check_top(type_.results);
      if (failed_) return;
      emit_return();
      set_unreachable();
      return;
    case 0x10: {
      uint32_t f = take(r_.u32());
      if (failed_) return;
      if (f >= cx_.func_types.size()) return fail("unknown function " + std::to_string(f));
      uint32_t base = call_args(m_.types[cx_.func_types[f]]);
      if (failed_) return;
      emit(op_call);
      emit_ab(f, base);
      for (ValType t : m_.types[cx_.func_types[f]].results) push(t);
      return;
    }
    case 0x11: {
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
      emit(op_call_indirect);
      emit_ab(ti, tab);
      emit_ab(index.slot, base);
      for (ValType t : ft.results) push(t);
      return;
    }
    case 0x1A:
      pop_lazy();  // a dropped constant or lazy sum never needs a slot
      producer_ = npos;
      return;
    case 0x1B:
    case 0x1C: {
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
      size_t p = emit(t == ValType::V128 ? op_select2 : op_select);
      emit_ab(dst, cond.slot);
      emit_ab(a.slot, b.slot);
      mark_producer(p);
      return;
    }
    case 0x20: {
      uint32_t idx = take(r_.u32());
      if (failed_) return;
      return local_get(idx);
    }
    case 0x21:
    case 0x22: {
      uint32_t idx = take(r_.u32());
      if (failed_) return;
      return local_set(idx, op == 0x22);
    }
    case 0x23: {
      uint32_t g = take(r_.u32());
      if (failed_) return;
      if (g >= cx_.globals.size()) return fail("unknown global " + std::to_string(g));
      uint32_t dst = push(cx_.globals[g].type);
      size_t p = emit(cx_.globals[g].type == ValType::V128 ? op_global_get2 : op_global_get);
      emit_ab(dst, g);
      mark_producer(p);
      return;
    }
    case 0x24: {
      uint32_t g = take(r_.u32());
      if (failed_) return;
      if (g >= cx_.globals.size()) return fail("unknown global " + std::to_string(g));
      if (!cx_.globals[g].mut) return fail("global is immutable: global " + std::to_string(g));
      Operand v = pop(cx_.globals[g].type);
      emit(cx_.globals[g].type == ValType::V128 ? op_global_set2 : op_global_set);
      emit_ab(v.slot, g);
      return;
    }
    case 0x25:
    case 0x26: {
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (op == 0x25) {
        Operand i = pop(ValType::I32);
        uint32_t dst = push(tt->elem);
        size_t p = emit(op_table_get);
        emit_ab(dst, i.slot);
        emit_ab(x, 0);
        mark_producer(p);
      } else {
        Operand v = pop(tt->elem);
        Operand i = pop(ValType::I32);
        emit(op_table_set);
        emit_ab(i.slot, v.slot);
        emit_ab(x, 0);
      }
      return;
    }
    case 0x3F:
    case 0x40: {
      zero_byte();
      need_memory();
      if (failed_) return;
      if (op == 0x3F) {
        uint32_t dst = push(ValType::I32);
        size_t p = emit(op_memory_size);
        emit_ab(dst, 0);
        mark_producer(p);
      } else {
        Operand d = pop(ValType::I32);
        uint32_t dst = push(ValType::I32);
        size_t p = emit(op_memory_grow);
        emit_ab(dst, d.slot);
        mark_producer(p);
      }
      return;
    }
    case 0x41:
    case 0x42:
    case 0x43:
    case 0x44: {
      uint64_t v = 0;
      ValType t = ValType::I32;
      if (op == 0x41) v = uint32_t(take(r_.s32()));
      else if (op == 0x42) v = uint64_t(take(r_.s64())), t = ValType::I64;
      else if (op == 0x43) v = take(r_.f32_bits()), t = ValType::F32;
      else v = take(r_.f64_bits()), t = ValType::F64;
      if (failed_) return;
      // No code until a consumer needs it (translator.h); the instruction
      // before may still fuse with that consumer.
      push_const(t, v);
      return;
    }
    case 0xD0: {
      uint8_t b = take(r_.u8());
      if (failed_) return;
      if (b != 0x70 && b != 0x6F) return fail("malformed reference type", ErrorKind::Malformed);
      producer_ = npos;
      push_const(ValType(b), 0);
      return;
    }
    case 0xD1: {
      Operand v = pop();
      if (v.type != kUnknown && !is_ref(v.type)) return fail("type mismatch: ref.is_null needs a reference");
      uint32_t dst = push(ValType::I32);
      size_t p = emit(op_ref_is_null);
      emit_ab(dst, v.slot);
      mark_producer(p);
      return;
    }
    case 0xD2: {
      uint32_t f = take(r_.u32());
      if (failed_) return;
      if (f >= cx_.func_types.size()) return fail("unknown function " + std::to_string(f));
      if (!cx_.declared_funcs[f]) return fail("undeclared function reference " + std::to_string(f));
      uint32_t dst = push(ValType::FuncRef);
      size_t p = emit(op_ref_func);
      emit_ab(dst, f);
      mark_producer(p);
      return;
    }
    case 0xFC:
      return prefixed_fc();
    case 0xFD:
      return prefixed_fd();
    default:
      break;
  }
  if (const MemoryOp& mo = memory_op(op); mo.name) {
    uint32_t align = take(r_.u32());
    uint32_t offset = take(r_.u32());
    if (failed_) return;
    // 2.0 has no memory index in memarg: an exponent of 32 or more (bit 6 is
    // the multi-memory flag) cannot be encoded.
    if (align >= 32) return fail("malformed memop flags", ErrorKind::Malformed);
    need_memory();
    if (align > mo.natural_log2) return fail("alignment must not be larger than natural");
    if (failed_) return;
    if (mo.is_store) {
      Operand v = pop_raw(mo.type);
      if (v.is_const()) {  // a constant value goes into the instruction
        Operand a = pop_lazy(ValType::I32);
        if (a.is_const()) move_to(a.canon, a), a.slot = a.canon;
        emit(mo.const_handler);
        emit_ab(a.slot, a.add_imm ? uint32_t(a.value) : 0);
        emit_ab(offset, 0);
        emit_u64(v.value);
        return;
      }
      const size_t load_pos = producer_;  // the value's producer, if any
      Operand a = pop_lazy(ValType::I32);
      if (a.is_const()) move_to(a.canon, a), a.slot = a.canon;
      // Storing what the load just emitted read, at the same width: one
      // memory-to-memory move.
      if (load_pos != npos && !dead() && load_pos + 3 == code_.size() && v.slot == v.canon &&
          code_[load_pos + 1].a == v.canon) {
        bool load_addimm = false;
        const uint8_t bytes = load_width(code_[load_pos].h, &load_addimm);
        if (bytes == (1u << mo.natural_log2)) {
          const Word lw1 = code_[load_pos + 1], lw2 = code_[load_pos + 2];
          code_.resize(load_pos);
          producer_ = npos;
          emit(bytes == 1 ? op_mem_move8 : bytes == 2 ? op_mem_move16 : bytes == 4 ? op_mem_move32 : op_mem_move64);
          emit_ab(a.slot, lw1.b);  // (dst address, src address)
          emit_ab(load_addimm ? lw2.a : 0, load_addimm ? lw2.b : lw2.a);  // source: (imm, offset)
          emit_ab(a.add_imm ? uint32_t(a.value) : 0, offset);              // destination: (imm, offset)
          return;
        }
      }
      emit(a.add_imm ? mo.addimm_handler : mo.handler);
      emit_ab(a.slot, v.slot);
      emit_ab(a.add_imm ? uint32_t(a.value) : offset, a.add_imm ? offset : 0);
    } else {
      Operand a = pop_lazy(ValType::I32);
      if (a.is_const()) move_to(a.canon, a), a.slot = a.canon;
      uint32_t dst = push(mo.type);
      if (a.add_imm) {  // address x + c: one instruction
        size_t p = emit(mo.addimm_handler);
        emit_ab(dst, a.slot);
        emit_ab(uint32_t(a.value), offset);
        mark_producer(p);
        return;
      }
      // An address computed by the i32_add_shl just emitted: fold it in.
      if (!dead() && producer_ != npos && producer_ + 4 == code_.size() && code_[producer_].h == op_i32_add_shl &&
          a.slot == a.canon && code_[producer_ + 1].a == a.canon) {
        const Word w1 = code_[producer_ + 1], w2 = code_[producer_ + 2], w3 = code_[producer_ + 3];
        size_t p = producer_;
        code_.resize(p);
        emit(mo.idx_handler);
        emit_ab(dst, w1.b);
        emit_ab(w2.a, w2.b);
        emit_ab(w3.a, offset);
        mark_producer(p);
        return;
      }
      // An address computed by the i32.add just emitted: fold the add in.
      if (!dead() && producer_ != npos && producer_ + 3 == code_.size() && code_[producer_].h == op_i32_add &&
          a.slot == a.canon && code_[producer_ + 1].a == a.canon) {
        uint32_t x = code_[producer_ + 1].b, y = code_[producer_ + 2].a;
        size_t p = producer_;
        code_.resize(p);
        emit(mo.add_handler);
        emit_ab(dst, x);
        emit_ab(y, offset);
        mark_producer(p);
        return;
      }
      size_t p = emit(mo.handler);
      emit_ab(dst, a.slot);
      emit_ab(offset, 0);
      mark_producer(p);
    }
    return;
  }
  if (const SimpleOp& so = numeric_op(op); so.name) {
    if (op == 0x45 || op == 0x50) eqz(op);
    else if (so.arity == 1) unop(so.handler, so.in0, so.out);
    else numeric_binop(op, so);
    return;
  }
  fail("illegal opcode", ErrorKind::Malformed);
}

void Translator::prefixed_fc() {
  using namespace exec;
  uint32_t sub = take(r_.u32());
  if (failed_) return;
  if (sub < 8) {
    const SimpleOp& so = saturating_op(sub);
    return unop(so.handler, so.in0, so.out);
  }
  const ValType I32 = ValType::I32;
  switch (sub) {
    case 8: {  // memory.init
      uint32_t d = take(r_.u32());
      zero_byte();
      if (failed_) return;
      need_memory();
      if (failed_ || !need_data_count(d)) return;
      Operand n = pop(I32), s = pop(I32), dst = pop(I32);
      emit(op_memory_init);
      emit_ab(dst.slot, s.slot);
      emit_ab(n.slot, d);
      return;
    }
    case 9: {  // data.drop
      uint32_t d = take(r_.u32());
      if (failed_ || !need_data_count(d)) return;
      emit(op_data_drop);
      emit_ab(d, 0);
      return;
    }
    case 10: {  // memory.copy
      zero_byte();
      zero_byte();
      need_memory();
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_memory_copy);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, 0);
      return;
    }
    case 11: {  // memory.fill
      zero_byte();
      need_memory();
      Operand n = pop(I32), v = pop(I32), d = pop(I32);
      emit(op_memory_fill);
      emit_ab(d.slot, v.slot);
      emit_ab(n.slot, 0);
      return;
    }
    case 12: {  // table.init elem table
      uint32_t e = take(r_.u32());
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (e >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(e));
      if (m_.elems[e].type != tt->elem) return fail("type mismatch: table.init element type differs from the table's");
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_table_init);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, e);
      emit_ab(x, 0);
      return;
    }
    case 13: {  // elem.drop
      uint32_t e = take(r_.u32());
      if (failed_) return;
      if (e >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(e));
      emit(op_elem_drop);
      emit_ab(e, 0);
      return;
    }
    case 14: {  // table.copy dst src
      uint32_t xd = take(r_.u32());
      uint32_t xs = take(r_.u32());
      if (failed_) return;
      const TableType* td = table(xd);
      const TableType* ts = table(xs);
      if (!td || !ts) return;
      if (td->elem != ts->elem) return fail("type mismatch: table.copy between tables of different element types");
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_table_copy);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, 0);
      emit_ab(xd, xs);
      return;
    }
    case 15:    // table.grow
    case 16:    // table.size
    case 17: {  // table.fill
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (sub == 15) {
        Operand delta = pop(I32), init = pop(tt->elem);
        uint32_t dst = push(I32);
        size_t p = emit(op_table_grow);
        emit_ab(dst, init.slot);
        emit_ab(delta.slot, x);
        mark_producer(p);
      } else if (sub == 16) {
        uint32_t dst = push(I32);
        size_t p = emit(op_table_size);
        emit_ab(dst, x);
        mark_producer(p);
      } else {
        Operand n = pop(I32), v = pop(tt->elem), i = pop(I32);
        emit(op_table_fill);
        emit_ab(i.slot, v.slot);
        emit_ab(n.slot, x);
      }
      return;
    }
    default:
      return fail("illegal opcode 0xFC " + std::to_string(sub), ErrorKind::Malformed);
  }
}

}  // namespace wnn::valid
