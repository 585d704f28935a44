// The SIMD instructions (prefix 0xFD): validation and translation, driven by
// the table in binary/opcodes.def (families V*). Each becomes one internal instruction whose
// layout is documented in src/exec/ops.def; a v128 operand is the first of
// its two slots.
#include <string>

#include "exec/simd.h"
#include "valid/translator.h"

namespace wnn::valid {

// A lane index immediate: one byte, below `lanes`.
uint32_t Translator::lane_index(uint32_t lanes) {
  uint8_t lane = take(r_.u8());
  if (!failed_ && lane >= lanes) fail("invalid lane index " + std::to_string(lane));
  return lane;
}

// `a op (v128.load ...)`: when the top operand is the result of the v128.load
// just emitted, replace the load by the fused op (dst, a) (addr, offset).
// Nothing ran in between, so the address slot still holds the address, and
// the loaded value was only ever on the stack. Returns false to translate
// normally (including every type error).
bool Translator::fuse_load_binop(Handler h) {
  using namespace exec;
  Handler fused = h == op_f32x4_add   ? op_f32x4_add_mem
                  : h == op_f32x4_sub ? op_f32x4_sub_mem
                  : h == op_f32x4_mul ? op_f32x4_mul_mem
                                      : nullptr;
  if (!fused || dead() || !is_last<layout::Load>(producer_) || code_[producer_].h != op_v128_load ||
      stack_.size() < top().height + 2)
    return false;
  const Operand& b = stack_.back();
  const Operand& a = stack_[stack_.size() - 2];
  if (b.type != ValType::V128 || a.type != ValType::V128 || b.slot != b.canon || dst_of(producer_) != b.canon)
    return false;
  const layout::Load ld = operands_at<layout::Load>(producer_);
  const size_t p = producer_;
  code_.resize(p);  // drop the load
  pop(ValType::V128);
  const uint32_t a_slot = pop(ValType::V128).slot;
  const uint32_t dst = push(ValType::V128);
  emit(fused, layout::VecBinaryMem{.dst = dst, .a = a_slot, .addr = ld.addr, .offset = ld.offset});
  mark_producer(p);
  return true;
}

void Translator::prefixed_fd() {
  using namespace exec;
  const ValType V128 = ValType::V128, I32 = ValType::I32;
  uint32_t sub = take(r_.u32());
  if (failed_) return;
  const SimdOp& so = simd_op(sub);
  if (!so.name) return fail("illegal opcode 0xFD " + std::to_string(sub), ErrorKind::Malformed);
  op_name_ = so.name;
  if (!simd_cpu_supported()) return fail("SIMD instructions need an x86-64 CPU with SSE4.2 and POPCNT (x86-64-v2)");

  using binary::OpFamily;
  switch (so.family) {
    default: break;
    case OpFamily::VUnary: return unop(so.handler, V128, V128);
    case OpFamily::VBinary:
      if (fuse_load_binop(so.handler)) return;
      return binop(so.handler, V128, V128);
    case OpFamily::VTest: return unop(so.handler, V128, I32);
    case OpFamily::VSplat: return unop(so.handler, so.scalar, V128);
    case OpFamily::VShift:
    case OpFamily::VTernary: {
      Operand c = pop(so.family == OpFamily::VShift ? I32 : V128);
      Operand b = so.family == OpFamily::VTernary ? pop(V128) : c;
      Operand a = pop(V128);
      uint32_t dst = push(V128);
      if (so.family == OpFamily::VTernary)
        mark_producer(emit(so.handler, layout::Bitselect{.dst = dst, .a = a.slot, .b = b.slot, .c = c.slot}));
      else  // a shift: the count is b
        mark_producer(emit(so.handler, layout::Binary{.dst = dst, .a = a.slot, .b = c.slot}));
      return;
    }
    case OpFamily::VExtract:
    case OpFamily::VReplace: {
      uint32_t lane = lane_index(so.lanes);
      if (failed_) return;
      Operand x{};
      if (so.family == OpFamily::VReplace) x = pop(so.scalar);
      Operand v = pop(V128);
      uint32_t dst = push(so.family == OpFamily::VReplace ? V128 : so.scalar);
      if (so.family == OpFamily::VReplace)
        mark_producer(emit(so.handler, layout::ReplaceLane{.dst = dst, .vec = v.slot, .x = x.slot, .lane = lane}));
      else
        mark_producer(emit(so.handler, layout::ExtractLane{.dst = dst, .src = v.slot, .lane = lane}));
      return;
    }
    case OpFamily::VConst: {
      uint64_t lo = take(r_.f64_bits());
      uint64_t hi = take(r_.f64_bits());
      if (failed_) return;
      uint32_t dst = push(V128);
      mark_producer(emit(op_v128_const, layout::V128Const{.dst = dst, .lo = lo, .hi = hi}));
      return;
    }
    case OpFamily::VShuffle: {
      uint64_t lanes[2] = {};
      for (unsigned i = 0; i < 16; ++i) {
        uint32_t l = lane_index(32);
        if (failed_) return;
        lanes[i / 8] |= uint64_t(l) << (8 * (i % 8));
      }
      Operand b = pop(V128);
      Operand a = pop(V128);
      uint32_t dst = push(V128);
      mark_producer(
          emit(op_i8x16_shuffle,
               layout::Shuffle{.dst = dst, .a = a.slot, .b = b.slot, .lanes_lo = lanes[0], .lanes_hi = lanes[1]}));
      return;
    }
    case OpFamily::VLoad:
    case OpFamily::VStore:
    case OpFamily::VLoadLane:
    case OpFamily::VStoreLane: {
      uint32_t align = take(r_.u32());
      uint32_t offset = take(r_.u32());
      if (failed_) return;
      // As for scalar memory ops: an exponent >= 32 cannot be encoded in 2.0.
      if (align >= 32) return fail("malformed memop flags", ErrorKind::Malformed);
      bool has_lane = so.family == OpFamily::VLoadLane || so.family == OpFamily::VStoreLane;
      uint32_t lane = has_lane ? lane_index(so.lanes) : 0;
      if (failed_) return;
      need_memory();
      if (align > so.natural_log2) return fail("alignment must not be larger than natural");
      if (failed_) return;
      if (so.family == OpFamily::VLoad) {
        Operand a = pop(I32);
        uint32_t dst = push(V128);
        mark_producer(emit(so.handler, layout::Load{.dst = dst, .addr = a.slot, .offset = offset}));
      } else if (so.family == OpFamily::VLoadLane) {
        Operand v = pop(V128);
        Operand a = pop(I32);
        uint32_t dst = push(V128);
        mark_producer(emit(
            so.handler, layout::LoadLane{.dst = dst, .addr = a.slot, .offset = offset, .lane = lane, .vec = v.slot}));
      } else {
        Operand v = pop(V128);
        Operand a = pop(I32);
        if (so.family == OpFamily::VStore)
          emit(so.handler, layout::Store{.addr = a.slot, .src = v.slot, .offset = offset});
        else
          emit(so.handler, layout::StoreLane{.addr = a.slot, .vec = v.slot, .offset = offset, .lane = lane});
      }
      return;
    }
  }
  fail("illegal opcode 0xFD " + std::to_string(sub), ErrorKind::Malformed);
}

}  // namespace wnn::valid
