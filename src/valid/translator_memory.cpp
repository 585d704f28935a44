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
      emit(mo.const_handler,
           layout::StoreConst{
               .addr = a.slot, .imm = a.add_imm ? uint32_t(a.value) : 0, .offset = offset, .value = v.value});
      return;
    }
    const size_t load_pos = producer_;  // the value's producer, if any
    Operand a = pop_lazy(ValType::I32);
    if (a.is_const()) move_to(a.canon, a), a.slot = a.canon;
    // Storing what the load just emitted read, at the same width: one
    // memory-to-memory move.
    // (Load and LoadAtSumImm, the loads load_width knows, are the same size.)
    static_assert(layout::Load::kWords == layout::LoadAtSumImm::kWords);
    if (load_pos != npos && !dead() && is_last<layout::Load>(load_pos) && v.slot == v.canon &&
        dst_of(load_pos) == v.canon) {
      bool load_addimm = false;
      const uint8_t bytes = load_width(code_[load_pos].h, &load_addimm);
      if (bytes == (1u << mo.natural_log2)) {
        const layout::LoadAtSumImm ld = load_operands(load_pos, !load_addimm);
        code_.resize(load_pos);
        producer_ = npos;
        emit(bytes == 1   ? op_mem_move8
             : bytes == 2 ? op_mem_move16
             : bytes == 4 ? op_mem_move32
                          : op_mem_move64,
             layout::MemMove{.dst_addr = a.slot,
                             .src_addr = ld.addr,
                             .src_imm = ld.imm,
                             .src_offset = ld.offset,
                             .dst_imm = a.add_imm ? uint32_t(a.value) : 0,
                             .dst_offset = offset});
        return;
      }
    }
    if (a.add_imm)
      emit(mo.addimm_handler,
           layout::StoreAtSumImm{.addr = a.slot, .src = v.slot, .imm = uint32_t(a.value), .offset = offset});
    else
      emit(mo.handler, layout::Store{.addr = a.slot, .src = v.slot, .offset = offset});
  } else {
    Operand a = pop_lazy(ValType::I32);
    if (a.is_const()) move_to(a.canon, a), a.slot = a.canon;
    uint32_t dst = push(mo.type);
    if (a.add_imm) {  // address x + c: one instruction
      mark_producer(emit(mo.addimm_handler,
                         layout::LoadAtSumImm{.dst = dst, .addr = a.slot, .imm = uint32_t(a.value), .offset = offset}));
      return;
    }
    // An address computed by the i32_add_shl just emitted: fold it in.
    if (!dead() && is_last<layout::AddShl>(producer_) && code_[producer_].h == op_i32_add_shl && a.slot == a.canon &&
        dst_of(producer_) == a.canon) {
      const layout::AddShl sum = operands_at<layout::AddShl>(producer_);
      size_t p = producer_;
      code_.resize(p);
      emit(mo.idx_handler,
           layout::LoadAtScaled{
               .dst = dst, .a = sum.a, .b = sum.b, .shift = sum.shift, .imm = sum.imm, .offset = offset});
      mark_producer(p);
      return;
    }
    // An address computed by the i32.add just emitted: fold the add in.
    if (!dead() && is_last<layout::Binary>(producer_) && code_[producer_].h == op_i32_add && a.slot == a.canon &&
        dst_of(producer_) == a.canon) {
      const layout::Binary sum = operands_at<layout::Binary>(producer_);
      size_t p = producer_;
      code_.resize(p);
      emit(mo.add_handler, layout::LoadAtSum{.dst = dst, .a = sum.a, .b = sum.b, .offset = offset});
      mark_producer(p);
      return;
    }
    mark_producer(emit(mo.handler, layout::Load{.dst = dst, .addr = a.slot, .offset = offset}));
  }
}

void Translator::op_memory_size_grow(bool grow) {
  using namespace exec;
  zero_byte();
  need_memory();
  if (failed_) return;
  if (!grow) {
    uint32_t dst = push(ValType::I32);
    mark_producer(emit(op_memory_size, layout::MemorySize{.dst = dst}));
  } else {
    Operand d = pop(ValType::I32);
    uint32_t dst = push(ValType::I32);
    mark_producer(emit(op_memory_grow, layout::MemoryGrow{.dst = dst, .delta = d.slot}));
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
    mark_producer(emit(op_table_get, layout::TableGet{.dst = dst, .index = i.slot, .table = x}));
  } else {
    Operand v = pop(tt->elem);
    Operand i = pop(ValType::I32);
    emit(op_table_set, layout::TableSet{.index = i.slot, .value = v.slot, .table = x});
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
      emit(op_memory_init, layout::MemoryInit{.dst = dst.slot, .src = s.slot, .n = n.slot, .data = d});
      return;
    }
    case OpFamily::DataDrop: {  // data.drop
      uint32_t d = take(r_.u32());
      if (failed_ || !need_data_count(d)) return;
      emit(op_data_drop, layout::DataDrop{.data = d});
      return;
    }
    case OpFamily::MemoryCopy: {  // memory.copy
      zero_byte();
      zero_byte();
      need_memory();
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_memory_copy, layout::MemoryCopy{.dst = d.slot, .src = s.slot, .n = n.slot});
      return;
    }
    case OpFamily::MemoryFill: {  // memory.fill
      zero_byte();
      need_memory();
      Operand n = pop(I32), v = pop(I32), d = pop(I32);
      emit(op_memory_fill, layout::MemoryFill{.dst = d.slot, .value = v.slot, .n = n.slot});
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
      emit(op_table_init, layout::TableInit{.dst = d.slot, .src = s.slot, .n = n.slot, .elem = e, .table = x});
      return;
    }
    case OpFamily::ElemDrop: {  // elem.drop
      uint32_t e = take(r_.u32());
      if (failed_) return;
      if (e >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(e));
      emit(op_elem_drop, layout::ElemDrop{.elem = e});
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
      emit(op_table_copy,
           layout::TableCopy{.dst = d.slot, .src = s.slot, .n = n.slot, .dst_table = xd, .src_table = xs});
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
        mark_producer(
            emit(op_table_grow, layout::TableGrow{.dst = dst, .init = init.slot, .delta = delta.slot, .table = x}));
      } else if (info.family == OpFamily::TableSize) {
        uint32_t dst = push(I32);
        mark_producer(emit(op_table_size, layout::TableSize{.dst = dst, .table = x}));
      } else {
        Operand n = pop(I32), v = pop(tt->elem), i = pop(I32);
        emit(op_table_fill, layout::TableFill{.index = i.slot, .value = v.slot, .n = n.slot, .table = x});
      }
      return;
    }
    default: return fail("illegal opcode 0xFC " + std::to_string(sub), ErrorKind::Malformed);
  }
}

}  // namespace wnn::valid
