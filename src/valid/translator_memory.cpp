// Memory and tables: loads and stores (with their fused address forms),
// memory.size/grow, table.get/set and the 0xFC-prefixed instructions
// (saturating truncation, bulk memory, tables), dispatched by the family of
// their row in binary/opcodes.def.
#include <string>

#include "valid/translator.h"

namespace wnn::valid {

// Loads (0x28..0x35) and stores (0x36..0x3E): memarg, then one internal
// instruction, fused with the address computation or the value's load when
// the code just emitted allows.
void Translator::memory_access(const MemoryOp& mo) {
  using namespace exec;
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
}

void Translator::op_memory_size_grow(bool grow) {
  using namespace exec;
  zero_byte();
  need_memory();
  if (failed_) return;
  if (!grow) {
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
}

void Translator::op_table_get_set(bool set) {
  using namespace exec;
  uint32_t x = take(r_.u32());
  if (failed_) return;
  const TableType* tt = table(x);
  if (!tt) return;
  if (!set) {
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
}

void Translator::prefixed_fc() {
  using namespace exec;
  uint32_t sub = take(r_.u32());
  if (failed_) return;
  using binary::OpFamily;
  const binary::OpcodeInfo& info = binary::opcode_info(binary::op::kPrefixFC, sub);
  const ValType I32 = ValType::I32;
  switch (info.family) {
    case OpFamily::Convert: {  // i32/i64.trunc_sat_f32/f64_s/u
      const SimpleOp& so = saturating_op(sub);
      return unop(so.handler, so.in0, so.out);
    }
    case OpFamily::MemoryInit: {  // memory.init
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
    case OpFamily::DataDrop: {  // data.drop
      uint32_t d = take(r_.u32());
      if (failed_ || !need_data_count(d)) return;
      emit(op_data_drop);
      emit_ab(d, 0);
      return;
    }
    case OpFamily::MemoryCopy: {  // memory.copy
      zero_byte();
      zero_byte();
      need_memory();
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_memory_copy);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, 0);
      return;
    }
    case OpFamily::MemoryFill: {  // memory.fill
      zero_byte();
      need_memory();
      Operand n = pop(I32), v = pop(I32), d = pop(I32);
      emit(op_memory_fill);
      emit_ab(d.slot, v.slot);
      emit_ab(n.slot, 0);
      return;
    }
    case OpFamily::TableInit: {  // table.init elem table
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
    case OpFamily::ElemDrop: {  // elem.drop
      uint32_t e = take(r_.u32());
      if (failed_) return;
      if (e >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(e));
      emit(op_elem_drop);
      emit_ab(e, 0);
      return;
    }
    case OpFamily::TableCopy: {  // table.copy dst src
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
    case OpFamily::TableGrow:    // table.grow
    case OpFamily::TableSize:    // table.size
    case OpFamily::TableFill: {  // table.fill
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (info.family == OpFamily::TableGrow) {
        Operand delta = pop(I32), init = pop(tt->elem);
        uint32_t dst = push(I32);
        size_t p = emit(op_table_grow);
        emit_ab(dst, init.slot);
        emit_ab(delta.slot, x);
        mark_producer(p);
      } else if (info.family == OpFamily::TableSize) {
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
    default: return fail("illegal opcode 0xFC " + std::to_string(sub), ErrorKind::Malformed);
  }
}

}  // namespace wnn::valid
