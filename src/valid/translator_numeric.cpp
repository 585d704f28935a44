// Numeric instructions and the fused forms they become: immediates, lazy
// constant sums, loads and stores folded into arithmetic, comparisons into
// branches (the handlers are in src/exec/fused.cpp and memory_ops.cpp; the
// shapes in tests/unit/valid/translation_test.cpp). See translator.h.
#include "valid/translator.h"

namespace wnn::valid {

void Translator::unop(Handler h, ValType in, ValType out) {
  Operand a = pop(in);
  // f32.convert_i32_u of the i32.load8_u just emitted: one instruction.
  if (h == exec::op_f32_convert_i32_u && !dead() && producer_ != npos && a.slot == a.canon &&
      ((code_[producer_].h == exec::op_i32_load8_u && is_last<layout::Load>(producer_)) ||
       (code_[producer_].h == exec::op_i32_load8_u_at_sum_imm && is_last<layout::LoadAtSumImm>(producer_))) &&
      dst_of(producer_) == a.canon) {
    const layout::LoadAtSumImm ld = load_operands(producer_, code_[producer_].h == exec::op_i32_load8_u);
    const size_t p = producer_;
    code_.resize(p);
    uint32_t dst = push(out);
    emit(exec::op_f32_convert_load8_u,
         layout::LoadAtSumImm{.dst = dst, .addr = ld.addr, .imm = ld.imm, .offset = ld.offset});
    mark_producer(p);
    return;
  }
  uint32_t dst = push(out);
  mark_producer(emit(h, layout::Unary{.dst = dst, .src = a.slot}));
}

void Translator::binop(Handler h, ValType in, ValType out) {
  Operand b = pop(in);
  Operand a = pop(in);
  uint32_t dst = push(out);
  mark_producer(emit(h, layout::Binary{.dst = dst, .a = a.slot, .b = b.slot}));
}

// A binary numeric op; a constant operand becomes an immediate when the op
// has an immediate form and the constant fits in 32 bits.
void Translator::numeric_binop(uint8_t opcode, const SimpleOp& so) {
  auto fits = [&](const Operand& o) {
    if (!o.is_const()) return false;
    // A divisor as an immediate must not trap: not 0, and not -1 if signed.
    const bool wide = so.in0 == ValType::I64;
    const uint64_t v = wide ? o.value : uint32_t(o.value), minus1 = wide ? ~0ull : 0xFFFFFFFFull;
    if ((opcode >= 0x6D && opcode <= 0x70) || (opcode >= 0x7F && opcode <= 0x82)) {
      const bool is_signed = opcode == 0x6D || opcode == 0x6F || opcode == 0x7F || opcode == 0x81;
      if (v == 0 || (is_signed && v == minus1)) return false;
    }
    return true;
  };
  Operand b = pop_lazy(so.in0);
  Operand a = pop_lazy(so.in0);
  if (failed_) return;
  // i32.add/sub of a constant: a lazy sum, folded into its consumer.
  if (so.in0 == ValType::I32 && (opcode == 0x6A || opcode == 0x6B) && !dead()) {
    if (b.is_const() && !a.is_const()) {
      uint32_t c = opcode == 0x6A ? uint32_t(b.value) : 0u - uint32_t(b.value);
      // x computed into its own slot by the instruction just emitted: the sum
      // may later merge into it (move_to).
      size_t sum_producer = a.add_imm ? a.sum_producer : npos;
      if (!a.add_imm && is_last<layout::Binary>(producer_) && a.slot == a.canon && dst_of(producer_) == a.canon)
        sum_producer = producer_;
      return push_add_imm(a.slot, c + (a.add_imm ? uint32_t(a.value) : 0u), sum_producer);
    }
    // c + x: the sum takes a's canonical slot, so x must not live in its own
    // (the next push would overwrite it): only a local qualifies.
    if (opcode == 0x6A && a.is_const() && !b.is_const() && b.slot < local_slots_)
      return push_add_imm(b.slot, uint32_t(a.value) + (b.add_imm ? uint32_t(b.value) : 0u));
  }
  // i32.add of a shift-by-constant just emitted: base + (i << k) (+ c, when
  // the other operand is a lazy sum) in one.
  if (opcode == 0x6A && !dead() && !a.is_const() && !b.is_const() && is_last<layout::BinaryImm32>(producer_) &&
      code_[producer_].h == exec::op_i32_shl_imm) {
    const layout::BinaryImm32 shl = operands_at<layout::BinaryImm32>(producer_);
    auto shifted = [&](const Operand& o) { return !o.add_imm && o.slot == o.canon && o.canon == shl.dst; };
    if (shifted(a)) std::swap(a, b);
    if (shifted(b)) {
      code_.resize(producer_);
      uint32_t dst = push(so.out);
      mark_producer(
          emit(exec::op_i32_add_shl,
               layout::AddShl{
                   .dst = dst, .a = a.slot, .b = shl.a, .shift = shl.imm, .imm = a.add_imm ? uint32_t(a.value) : 0u}));
      return;
    }
  }
  // (x + c1) OP c2 for the bitwise ops, mul and shifts: one instruction.
  if (a.add_imm && b.is_const() && !dead()) {
    Handler h2 = nullptr;
    switch (opcode) {
      case 0x71: h2 = exec::op_i32_add_then_and_imm; break;
      case 0x72: h2 = exec::op_i32_add_then_or_imm; break;
      case 0x73: h2 = exec::op_i32_add_then_xor_imm; break;
      case 0x6C: h2 = exec::op_i32_add_then_mul_imm; break;
      case 0x74: h2 = exec::op_i32_add_then_shl_imm; break;
      case 0x75: h2 = exec::op_i32_add_then_shr_s_imm; break;
      case 0x76: h2 = exec::op_i32_add_then_shr_u_imm; break;
      default: break;
    }
    if (h2) {
      uint32_t dst = push(so.out);
      mark_producer(
          emit(h2, layout::ImmPair{.dst = dst, .x = a.slot, .c1 = uint32_t(a.value), .c2 = uint32_t(b.value)}));
      return;
    }
  }
  if (a.add_imm) move_to(a.canon, a), a.slot = a.canon, a.add_imm = false;
  if (b.add_imm) move_to(b.canon, b), b.slot = b.canon, b.add_imm = false;
  const ImmForm& form = imm_form(opcode);
  Handler h = so.handler;
  uint64_t imm = 0;
  bool use_imm = false;
  if (form.imm && fits(b)) {
    h = form.imm, imm = b.value, use_imm = true;
  } else if (form.swapped && fits(a) && !b.is_const()) {
    h = imm_form(form.swapped).imm, imm = a.value, use_imm = true;
    std::swap(a, b);
  }
  // Whatever stays a constant goes to its canonical slot (reserved for it).
  if (a.is_const()) move_to(a.canon, a), a.slot = a.canon;
  if (!use_imm && b.is_const()) move_to(b.canon, b), b.slot = b.canon;
  // An operand loaded by the plain load just emitted, used only here: the
  // op reads memory itself (commutative ops may take either operand).
  Handler load = nullptr, load_addimm = nullptr;
  const Handler with_load = use_imm ? nullptr : binary_load_form(h, &load, &load_addimm);
  if (with_load && !dead() && producer_ != npos &&
      ((code_[producer_].h == load && is_last<layout::Load>(producer_)) ||
       (code_[producer_].h == load_addimm && is_last<layout::LoadAtSumImm>(producer_)))) {
    const layout::LoadAtSumImm ld = load_operands(producer_, code_[producer_].h == load);
    auto loaded = [&](const Operand& o) { return o.slot == o.canon && o.canon == ld.dst; };
    const bool commutative = opcode != 0x6B && opcode != 0x7D && opcode != 0x93 && opcode != 0xA1;
    if (commutative && loaded(a)) std::swap(a, b);
    if (loaded(b) && a.slot != ld.dst) {
      code_.resize(producer_);
      uint32_t dst = push(so.out);
      mark_producer(emit(
          with_load, layout::BinaryMem{.dst = dst, .a = a.slot, .addr = ld.addr, .imm = ld.imm, .offset = ld.offset}));
      return;
    }
  }
  // An f32 op with a constant on the result of another just emitted:
  // (x OP1 c1) OP2 c2 in one instruction.
  // (The result must land where x was: not so when the operands were swapped.)
  if (use_imm && so.in0 == ValType::F32 && !dead() && is_last<layout::BinaryImm32>(producer_) && a.slot == a.canon &&
      dst_of(producer_) == a.canon && a.canon == next_canon()) {
    if (const Handler pair = f32_imm_pair(code_[producer_].h, h)) {  // BinaryImm32 -> ImmPair
      const layout::BinaryImm32 first = operands_at<layout::BinaryImm32>(producer_);
      rewrite(producer_, pair, layout::ImmPair{.dst = first.dst, .x = first.a, .c1 = first.imm, .c2 = uint32_t(imm)});
      push(so.out);  // same slot as the first op's result
      return;
    }
  }
  uint32_t dst = push(so.out);
  size_t p;
  if (!use_imm)
    p = emit(h, layout::Binary{.dst = dst, .a = a.slot, .b = b.slot});
  else if (so.in0 == ValType::I64 || so.in0 == ValType::F64)
    p = emit(h, layout::BinaryImm64{.dst = dst, .a = a.slot, .imm = imm});
  else
    p = emit(h, layout::BinaryImm32{.dst = dst, .a = a.slot, .imm = uint32_t(imm)});
  mark_producer(p);
}

// i64.eqz is i64.eq with 0 (so that it fuses with a branch); i32.eqz of an
// integer comparison just emitted inverts that comparison.
void Translator::eqz(uint8_t opcode) {
  if (opcode == 0x50) {
    Operand a = pop(ValType::I64);
    uint32_t dst = push(ValType::I32);
    mark_producer(emit(exec::op_i64_eq_imm, layout::BinaryImm64{.dst = dst, .a = a.slot, .imm = 0}));
    return;
  }
  Operand a = pop(ValType::I32);
  bool is_imm = false;
  // Comparisons are Binary, BinaryImm32 or BinaryImm64: all 3 words.
  static_assert(layout::Binary::kWords == layout::BinaryImm32::kWords &&
                layout::Binary::kWords == layout::BinaryImm64::kWords);
  const CompareBranch* cb =
      !dead() && is_last<layout::Binary>(producer_) && a.slot == a.canon && dst_of(producer_) == a.canon
          ? compare_branch(code_[producer_].h, &is_imm)
          : nullptr;
  uint32_t dst = push(ValType::I32);
  if (cb) {
    const CompareBranch& inv = compare_branch_at(cb->inverse);
    rewrite_handler(producer_, is_imm ? inv.cmp_imm : inv.cmp);  // same operands, same slot
    return;
  }
  mark_producer(emit(exec::op_i32_eqz, layout::Unary{.dst = dst, .src = a.slot}));
}

// br_if / if on the result of the comparison just emitted: replace both by
// one compare-and-branch (`invert` for if, which branches when it fails);
// i32.eqz becomes br_unless (br_if for if). Returns where the branch offset
// is to be patched, or {npos, npos} when the condition comes from no such
// instruction.
Fixup Translator::fuse_compare_branch(const Operand& cond, bool invert, const Ctrl* loop) {
  const Fixup none{npos, npos};
  if (dead() || producer_ == npos || cond.slot != cond.canon || dst_of(producer_) != cond.canon) return none;
  const size_t p = producer_;
  if (code_[p].h == exec::op_i32_eqz && is_last<layout::Unary>(p) && !loop) {
    const uint32_t src = operands_at<layout::Unary>(p).src;
    code_.resize(p);  // drop the eqz
    producer_ = npos;
    emit(invert ? exec::op_br_if : exec::op_br_unless, layout::BrCond{.target = 0, .cond = src});
    return {p, p + layout::BrCond::target_word};
  }
  if (!is_last<layout::Binary>(p)) return none;
  bool is_imm = false;
  const CompareBranch* cb = compare_branch(code_[p].h, &is_imm);
  if (!cb) return none;
  // The comparison's operands: a slot and a slot or an immediate (BinaryImm64
  // for i64, which the branch form holds only when it fits in 32 bits).
  const uint32_t a = operands_at<layout::Binary>(p).a;
  uint32_t b = operands_at<layout::Binary>(p).b;
  if (is_imm && cb->i64) {
    const uint64_t imm = operands_at<layout::BinaryImm64>(p).imm;
    if (int64_t(imm) != int64_t(int32_t(uint32_t(imm)))) return none;
    b = uint32_t(imm);
  } else if (is_imm) {
    b = operands_at<layout::BinaryImm32>(p).imm;
  }
  if (invert) cb = &compare_branch_at(cb->inverse);
  code_.resize(p);  // drop the comparison
  producer_ = npos;
  if (loop && is_imm)
    emit(cb->br_imm_loop, layout::BrCompareImmLoop{.a = a, .imm = b, .target = 0, .charge = loop_charge(*loop)});
  else if (loop)
    emit(cb->br_loop, layout::BrCompareLoop{.a = a, .b = b, .target = 0, .charge = loop_charge(*loop)});
  else if (is_imm)
    emit(cb->br_imm, layout::BrCompareImm{.a = a, .imm = b, .target = 0});
  else
    emit(cb->br, layout::BrCompare{.a = a, .b = b, .target = 0});
  static_assert(layout::BrCompare::target_word == layout::BrCompareImm::target_word &&
                layout::BrCompare::target_word == layout::BrCompareLoop::target_word &&
                layout::BrCompare::target_word == layout::BrCompareImmLoop::target_word);
  return {p, p + layout::BrCompare::target_word};
}

}  // namespace wnn::valid
