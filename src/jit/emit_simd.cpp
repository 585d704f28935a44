// SIMD (0xFD). v128 is <2 x i64> between instructions, bitcast to the lane
// shape an instruction works on. The common instructions (memory, constants,
// lane access, shuffles, bitwise and lane-wise integer and float arithmetic)
// become LLVM vector IR; the others run the interpreter's own handler over
// slots at th->jit_sp (its family in the opcode table says how), which
// keeps one home for their semantics until they get vector IR of their own.
#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::Value;
using F = binary::OpFamily;

#define READ(var, expr)                                          \
  auto var##_r_ = (expr);                                        \
  if (!var##_r_.ok()) return Error(ErrorKind::Malformed, where() + ": " + var##_r_.error().message); \
  auto var = *var##_r_

namespace {
exec::Word ab(uint32_t a, uint32_t b) {
  exec::Word w{};
  w.a = a;
  w.b = b;
  return w;
}
}  // namespace

llvm::Value* FunctionCompiler::as_v128(Value* v) { return b_.CreateBitCast(v, llvm_type(ctx_, ValType::V128)); }

llvm::Value* FunctionCompiler::lanes(Value* v, llvm::Type* elem, unsigned n) {
  return b_.CreateBitCast(v, llvm::FixedVectorType::get(elem, n));
}

Expected<void> FunctionCompiler::emit_simd(uint32_t sub) {
  const valid::SimdOp& so = ms_.rt.simd_op(sub);
  if (!so.name) return Error(ErrorKind::Invalid, where() + ": unknown SIMD instruction " + std::to_string(sub));
  simd_ = {};
  switch (so.family) {
    case F::VLoad: case F::VStore: case F::VLoadLane: case F::VStoreLane: {
      READ(align, r_.u32());
      READ(offset, r_.u32());
      (void)align;
      simd_.offset = offset;
      if (so.family == F::VLoadLane || so.family == F::VStoreLane) {
        READ(lane, r_.u8());
        simd_.lane = lane;
      }
      break;
    }
    case F::VExtract: case F::VReplace: {
      READ(lane, r_.u8());
      simd_.lane = lane;
      break;
    }
    case F::VConst: case F::VShuffle: {
      READ(p, r_.bytes(16));
      std::copy(p, p + 16, simd_.bytes);
      break;
    }
    default: break;
  }
  if (unreachable_) return {};
  if (emit_simd_native(sub)) return {};

  const ValType V = ValType::V128, I = ValType::I32;
  std::vector<exec::Word> w{exec::Word{.h = so.handler}};
  std::vector<Value*> args;
  std::vector<ValType> types;
  ValType result = V;
  bool has_result = true;
  switch (so.family) {
    case F::VUnary: case F::VTest: case F::VSplat:
      args = {pop()};
      types = {so.family == F::VSplat ? so.scalar : V};
      if (so.family == F::VTest) result = I;
      w.push_back(ab(0, 0));
      break;
    case F::VBinary: case F::VShift:
      args = pop_n(2);
      types = {V, so.family == F::VShift ? I : V};
      w.push_back(ab(0, 0));
      w.push_back(ab(2, 0));
      break;
    case F::VTernary:
      args = pop_n(3);
      types = {V, V, V};
      w.push_back(ab(0, 0));
      w.push_back(ab(2, 4));
      break;
    case F::VExtract:
      args = {pop()};
      types = {V};
      result = so.scalar;
      w.push_back(ab(0, 0));
      w.push_back(ab(simd_.lane, 0));
      break;
    case F::VReplace:
      args = pop_n(2);
      types = {V, so.scalar};
      w.push_back(ab(0, 0));
      w.push_back(ab(2, simd_.lane));
      break;
    case F::VShuffle: {
      args = pop_n(2);
      types = {V, V};
      w.push_back(ab(0, 0));
      w.push_back(ab(2, 0));
      uint64_t lo, hi;
      std::memcpy(&lo, simd_.bytes, 8);
      std::memcpy(&hi, simd_.bytes + 8, 8);
      w.push_back(exec::Word{.u64 = lo});
      w.push_back(exec::Word{.u64 = hi});
      break;
    }
    case F::VLoad:
      args = {pop()};
      types = {I};
      w.push_back(ab(0, 0));
      w.push_back(ab(simd_.offset, 0));
      break;
    case F::VLoadLane:
      args = pop_n(2);
      types = {I, V};
      w.push_back(ab(0, 0));
      w.push_back(ab(simd_.offset, simd_.lane));
      w.push_back(ab(1, 0));
      break;
    case F::VStore: case F::VStoreLane:
      args = pop_n(2);
      types = {I, V};
      w.push_back(ab(0, 1));
      w.push_back(ab(simd_.offset, simd_.lane));
      has_result = false;
      break;
    default: return Error(ErrorKind::Invalid, where() + ": SIMD instruction " + so.name + " has no translation");
  }
  Value* slots = run_stub(std::move(w), args, types);
  if (has_result) push(load_slot(slots, 0, result));
  return {};
}

bool FunctionCompiler::emit_simd_native(uint32_t sub) {
  llvm::Type* i8 = b_.getInt8Ty();
  llvm::Type* i16 = b_.getInt16Ty();
  llvm::Type* i32t = b_.getInt32Ty();
  llvm::Type* i64t = b_.getInt64Ty();
  llvm::Type* f32t = b_.getFloatTy();
  llvm::Type* f64t = b_.getDoubleTy();
  llvm::Type* v128 = llvm_type(ctx_, ValType::V128);
  // Lane shapes by index: i8x16 i16x8 i32x4 i64x2 f32x4 f64x2.
  llvm::Type* elems[] = {i8, i16, i32t, i64t, f32t, f64t};
  const unsigned counts[] = {16, 8, 4, 2, 4, 2};
  auto binary = [&](int shape, auto&& f) {
    Value* y = lanes(pop(), elems[shape], counts[shape]);
    Value* x = lanes(pop(), elems[shape], counts[shape]);
    push(as_v128(f(x, y)));
    return true;
  };
  using P = llvm::CmpInst::Predicate;
  // Lane masks from a comparison: all ones where true.
  auto compare = [&](int shape, P pred) {
    Value* y = lanes(pop(), elems[shape], counts[shape]);
    Value* x = lanes(pop(), elems[shape], counts[shape]);
    Value* c = llvm::CmpInst::isFPPredicate(pred) ? b_.CreateFCmp(pred, x, y) : b_.CreateICmp(pred, x, y);
    push(as_v128(b_.CreateSExt(c, llvm::FixedVectorType::get(b_.getIntNTy(elems[shape]->getPrimitiveSizeInBits()),
                                                              counts[shape]))));
    return true;
  };
  static constexpr P kInt[] = {P::ICMP_EQ,  P::ICMP_NE,  P::ICMP_SLT, P::ICMP_ULT, P::ICMP_SGT,
                               P::ICMP_UGT, P::ICMP_SLE, P::ICMP_ULE, P::ICMP_SGE, P::ICMP_UGE};
  static constexpr P kI64[] = {P::ICMP_EQ, P::ICMP_NE, P::ICMP_SLT, P::ICMP_SGT, P::ICMP_SLE, P::ICMP_SGE};
  static constexpr P kFloat[] = {P::FCMP_OEQ, P::FCMP_UNE, P::FCMP_OLT, P::FCMP_OGT, P::FCMP_OLE, P::FCMP_OGE};
  if (sub >= 0x23 && sub <= 0x40) return compare(int(sub - 0x23) / 10, kInt[(sub - 0x23) % 10]);
  if (sub >= 0x41 && sub <= 0x4C) return compare(sub <= 0x46 ? 4 : 5, kFloat[(sub - 0x41) % 6]);
  if (sub >= 0xD6 && sub <= 0xDB) return compare(3, kI64[sub - 0xD6]);
  // Shifts: the count taken modulo the lane width.
  auto shift = [&](int shape, llvm::Instruction::BinaryOps opc) {
    Value* n = pop();
    Value* v = lanes(pop(), elems[shape], counts[shape]);
    const unsigned bits = elems[shape]->getPrimitiveSizeInBits();
    n = b_.CreateAnd(n, i32(bits - 1));
    n = b_.CreateZExtOrTrunc(n, elems[shape]);
    push(as_v128(b_.CreateBinOp(opc, v, b_.CreateVectorSplat(counts[shape], n))));
    return true;
  };
  static constexpr llvm::Instruction::BinaryOps kShifts[] = {llvm::Instruction::Shl, llvm::Instruction::AShr,
                                                              llvm::Instruction::LShr};
  if (sub >= 0x6B && sub <= 0x6D) return shift(0, kShifts[sub - 0x6B]);
  if (sub >= 0x8B && sub <= 0x8D) return shift(1, kShifts[sub - 0x8B]);
  if (sub >= 0xAB && sub <= 0xAD) return shift(2, kShifts[sub - 0xAB]);
  if (sub >= 0xCB && sub <= 0xCD) return shift(3, kShifts[sub - 0xCB]);
  // Integer min/max (min_s, min_u, max_s, max_u).
  auto minmax = [&](int shape, P pred) {
    Value* y = lanes(pop(), elems[shape], counts[shape]);
    Value* x = lanes(pop(), elems[shape], counts[shape]);
    push(as_v128(b_.CreateSelect(b_.CreateICmp(pred, x, y), x, y)));
    return true;
  };
  static constexpr P kMinMax[] = {P::ICMP_SLT, P::ICMP_ULT, P::ICMP_SGT, P::ICMP_UGT};
  if (sub >= 0x76 && sub <= 0x79) return minmax(0, kMinMax[sub - 0x76]);
  if (sub >= 0x96 && sub <= 0x99) return minmax(1, kMinMax[sub - 0x96]);
  if (sub >= 0xB6 && sub <= 0xB9) return minmax(2, kMinMax[sub - 0xB6]);
  // Saturating add/sub of i8x16 and i16x8 (add_sat_s, add_sat_u, -, sub_sat_s, sub_sat_u).
  auto saturating = [&](int shape, llvm::Intrinsic::ID id) {
    Value* y = lanes(pop(), elems[shape], counts[shape]);
    Value* x = lanes(pop(), elems[shape], counts[shape]);
    push(as_v128(call_intrinsic(id, {x->getType()}, {x, y})));
    return true;
  };
  switch (sub) {
    case 0x6F: return saturating(0, llvm::Intrinsic::sadd_sat);
    case 0x70: return saturating(0, llvm::Intrinsic::uadd_sat);
    case 0x72: return saturating(0, llvm::Intrinsic::ssub_sat);
    case 0x73: return saturating(0, llvm::Intrinsic::usub_sat);
    case 0x8F: return saturating(1, llvm::Intrinsic::sadd_sat);
    case 0x90: return saturating(1, llvm::Intrinsic::uadd_sat);
    case 0x92: return saturating(1, llvm::Intrinsic::ssub_sat);
    case 0x93: return saturating(1, llvm::Intrinsic::usub_sat);
    default: break;
  }
  // Integer abs/neg, float abs/neg.
  auto int_abs_neg = [&](int shape, bool neg) {
    Value* v = lanes(pop(), elems[shape], counts[shape]);
    push(as_v128(neg ? b_.CreateNeg(v) : call_intrinsic(llvm::Intrinsic::abs, {v->getType()}, {v, b_.getFalse()})));
    return true;
  };
  switch (sub) {
    case 0x60: case 0x61: return int_abs_neg(0, sub == 0x61);
    case 0x80: case 0x81: return int_abs_neg(1, sub == 0x81);
    case 0xA0: case 0xA1: return int_abs_neg(2, sub == 0xA1);
    case 0xC0: case 0xC1: return int_abs_neg(3, sub == 0xC1);
    case 0xE0: case 0xE1: case 0xEC: case 0xED: {
      const int shape = sub <= 0xE1 ? 4 : 5;
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      push(as_v128(sub == 0xE1 || sub == 0xED ? b_.CreateFNeg(v) : call_intrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v})));
      return true;
    }
    case 0xEA: case 0xEB: case 0xF6: case 0xF7: {  // pmin: b < a ? b : a; pmax: a < b ? b : a
      const int shape = sub <= 0xEB ? 4 : 5;
      Value* y = lanes(pop(), elems[shape], counts[shape]);
      Value* x = lanes(pop(), elems[shape], counts[shape]);
      const bool is_min = sub == 0xEA || sub == 0xF6;
      push(as_v128(is_min ? b_.CreateSelect(b_.CreateFCmpOLT(y, x), y, x) : b_.CreateSelect(b_.CreateFCmpOLT(x, y), y, x)));
      return true;
    }
    case 0x53: {  // v128.any_true
      Value* v = pop();
      push(bool32(b_.CreateICmpNE(b_.CreateBitCast(v, b_.getInt128Ty()), llvm::ConstantInt::get(b_.getInt128Ty(), 0))));
      return true;
    }
    case 0x07: case 0x08: case 0x09: case 0x0A: {  // load splat
      const int shape = int(sub - 0x07);
      Value* p = address(pop(), simd_.offset);
      Value* x = b_.CreateAlignedLoad(elems[shape], p, llvm::MaybeAlign(1), true);
      push(as_v128(b_.CreateVectorSplat(counts[shape], x)));
      return true;
    }
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: {  // load and extend
      const int shape = int(sub - 0x01) / 2;  // the narrow lanes: i8 x8, i16 x4, i32 x2
      Value* p = address(pop(), simd_.offset);
      Value* x = b_.CreateAlignedLoad(llvm::FixedVectorType::get(elems[shape], 8 >> shape), p, llvm::MaybeAlign(1), true);
      llvm::Type* wide = llvm::FixedVectorType::get(elems[shape + 1], 8 >> shape);
      push(as_v128(sub % 2 ? b_.CreateSExt(x, wide) : b_.CreateZExt(x, wide)));
      return true;
    }
    case 0x5C: case 0x5D: {  // load32_zero, load64_zero
      const int shape = sub == 0x5C ? 2 : 3;
      Value* p = address(pop(), simd_.offset);
      Value* x = b_.CreateAlignedLoad(elems[shape], p, llvm::MaybeAlign(1), true);
      Value* zero = llvm::Constant::getNullValue(llvm::FixedVectorType::get(elems[shape], counts[shape]));
      push(as_v128(b_.CreateInsertElement(zero, x, uint64_t(0))));
      return true;
    }
    case 0x54: case 0x55: case 0x56: case 0x57: {  // load8/16/32/64_lane
      const int shape = int(sub - 0x54);
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      Value* p = address(pop(), simd_.offset);
      Value* x = b_.CreateAlignedLoad(elems[shape], p, llvm::MaybeAlign(1), true);
      push(as_v128(b_.CreateInsertElement(v, x, uint64_t(simd_.lane))));
      return true;
    }
    case 0x58: case 0x59: case 0x5A: case 0x5B: {  // store8/16/32/64_lane
      const int shape = int(sub - 0x58);
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      Value* p = address(pop(), simd_.offset);
      b_.CreateAlignedStore(b_.CreateExtractElement(v, uint64_t(simd_.lane)), p, llvm::MaybeAlign(1), true);
      return true;
    }
    // extend_low_s, extend_high_s, extend_low_u, extend_high_u into i16x8, i32x4, i64x2.
    case 0x87: case 0x88: case 0x89: case 0x8A: case 0xA7: case 0xA8: case 0xA9: case 0xAA:
    case 0xC7: case 0xC8: case 0xC9: case 0xCA: {
      const uint32_t first = sub >= 0xC7 ? 0xC7 : sub >= 0xA7 ? 0xA7 : 0x87;
      const int narrow = sub >= 0xC7 ? 2 : sub >= 0xA7 ? 1 : 0;
      const unsigned k = sub - first;
      const bool high = k == 1 || k == 3, is_signed = k < 2;
      const unsigned half = counts[narrow] / 2;
      Value* v = lanes(pop(), elems[narrow], counts[narrow]);
      std::vector<int> mask;
      for (unsigned i = 0; i < half; ++i) mask.push_back(int(high ? half + i : i));
      Value* part = b_.CreateShuffleVector(v, mask);
      llvm::Type* wide = llvm::FixedVectorType::get(elems[narrow + 1], half);
      push(as_v128(is_signed ? b_.CreateSExt(part, wide) : b_.CreateZExt(part, wide)));
      return true;
    }
    // Float rounding (f32x4 ceil floor trunc nearest; f64x2 ceil floor, trunc, nearest) and sqrt.
    case 0x67: case 0x68: case 0x69: case 0x6A: case 0x74: case 0x75: case 0x7A: case 0x94: {
      static constexpr llvm::Intrinsic::ID kRound[] = {llvm::Intrinsic::ceil, llvm::Intrinsic::floor,
                                                       llvm::Intrinsic::trunc, llvm::Intrinsic::roundeven};
      const int shape = sub <= 0x6A ? 4 : 5;
      const int k = sub <= 0x6A ? int(sub - 0x67) : sub == 0x74 ? 0 : sub == 0x75 ? 1 : sub == 0x7A ? 2 : 3;
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      push(as_v128(call_intrinsic(kRound[k], {v->getType()}, {v})));
      return true;
    }
    case 0xE3: case 0xEF: {
      const int shape = sub == 0xE3 ? 4 : 5;
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      push(as_v128(b_.CreateConstrainedFPCall(
          llvm::Intrinsic::getDeclaration(&ms_.mod, llvm::Intrinsic::experimental_constrained_sqrt, {v->getType()}), {v})));
      return true;
    }
    case 0x63: case 0x83: case 0xA3: case 0xC3: case 0x64: case 0x84: case 0xA4: case 0xC4: {  // all_true, bitmask
      const int shape = sub == 0x63 || sub == 0x64 ? 0 : sub == 0x83 || sub == 0x84 ? 1 : sub <= 0xA4 ? 2 : 3;
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      Value* zero = llvm::Constant::getNullValue(v->getType());
      if ((sub & 0xF) == 3) {
        push(bool32(call_intrinsic(llvm::Intrinsic::vector_reduce_and, {llvm::FixedVectorType::get(b_.getInt1Ty(), counts[shape])},
                                   {b_.CreateICmpNE(v, zero)})));
      } else {
        Value* bits = b_.CreateBitCast(b_.CreateICmpSLT(v, zero), b_.getIntNTy(counts[shape]));
        push(b_.CreateZExt(bits, i32t));
      }
      return true;
    }
    case 0x62: {  // i8x16.popcnt
      Value* v = lanes(pop(), i8, 16);
      push(as_v128(call_intrinsic(llvm::Intrinsic::ctpop, {v->getType()}, {v})));
      return true;
    }
    case 0x7B: case 0x9B: {  // avgr_u: (a + b + 1) / 2 without overflow
      const int shape = sub == 0x7B ? 0 : 1;
      llvm::Type* wide = llvm::FixedVectorType::get(elems[shape + 1], counts[shape]);
      Value* y = b_.CreateZExt(lanes(pop(), elems[shape], counts[shape]), wide);
      Value* x = b_.CreateZExt(lanes(pop(), elems[shape], counts[shape]), wide);
      Value* one = llvm::ConstantInt::get(wide, 1);
      Value* avg = b_.CreateLShr(b_.CreateAdd(b_.CreateAdd(x, y), one), one);
      push(as_v128(b_.CreateTrunc(avg, llvm::FixedVectorType::get(elems[shape], counts[shape]))));
      return true;
    }
    case 0xFA: case 0xFB: {  // f32x4.convert_i32x4_s/u
      Value* v = lanes(pop(), i32t, 4);
      llvm::Type* ft = llvm::FixedVectorType::get(f32t, 4);
      push(as_v128(sub == 0xFA ? b_.CreateSIToFP(v, ft) : b_.CreateUIToFP(v, ft)));
      return true;
    }
    default: break;
  }
  switch (sub) {
    case 0x00: {  // v128.load
      Value* p = address(pop(), simd_.offset);
      push(b_.CreateAlignedLoad(v128, p, llvm::MaybeAlign(1), true));
      return true;
    }
    case 0x0B: {  // v128.store
      Value* v = pop();
      Value* p = address(pop(), simd_.offset);
      b_.CreateAlignedStore(v, p, llvm::MaybeAlign(1), true);
      return true;
    }
    case 0x0C: {  // v128.const
      uint64_t lo, hi;
      std::memcpy(&lo, simd_.bytes, 8);
      std::memcpy(&hi, simd_.bytes + 8, 8);
      push(llvm::ConstantVector::get({b_.getInt64(lo), b_.getInt64(hi)}));
      return true;
    }
    case 0x0D: {  // i8x16.shuffle
      Value* y = lanes(pop(), i8, 16);
      Value* x = lanes(pop(), i8, 16);
      std::vector<int> mask(simd_.bytes, simd_.bytes + 16);
      push(as_v128(b_.CreateShuffleVector(x, y, mask)));
      return true;
    }
    case 0x0F: case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: {  // splats
      const int shape = int(sub - 0x0F);
      Value* x = pop();
      if (shape < 2) x = b_.CreateTrunc(x, elems[shape]);
      push(as_v128(b_.CreateVectorSplat(counts[shape], x)));
      return true;
    }
    case 0x15: case 0x16: case 0x18: case 0x19: {  // narrow extracts
      const int shape = sub <= 0x16 ? 0 : 1;
      Value* e = b_.CreateExtractElement(lanes(pop(), elems[shape], counts[shape]), uint64_t(simd_.lane));
      push(sub == 0x15 || sub == 0x18 ? b_.CreateSExt(e, i32t) : b_.CreateZExt(e, i32t));
      return true;
    }
    case 0x1B: case 0x1D: case 0x1F: case 0x21: {  // i32/i64/f32/f64 extract
      const int shape = 2 + int(sub - 0x1B) / 2;
      push(b_.CreateExtractElement(lanes(pop(), elems[shape], counts[shape]), uint64_t(simd_.lane)));
      return true;
    }
    case 0x17: case 0x1A: case 0x1C: case 0x1E: case 0x20: case 0x22: {  // replace
      const int shape = sub == 0x17 ? 0 : sub == 0x1A ? 1 : 2 + int(sub - 0x1C) / 2;
      Value* x = pop();
      if (shape < 2) x = b_.CreateTrunc(x, elems[shape]);
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      push(as_v128(b_.CreateInsertElement(v, x, uint64_t(simd_.lane))));
      return true;
    }
    case 0x4D: push(b_.CreateNot(pop())); return true;
    case 0x4E: return binary(3, [&](Value* x, Value* y) { return b_.CreateAnd(x, y); });
    case 0x4F: return binary(3, [&](Value* x, Value* y) { return b_.CreateAnd(x, b_.CreateNot(y)); });
    case 0x50: return binary(3, [&](Value* x, Value* y) { return b_.CreateOr(x, y); });
    case 0x51: return binary(3, [&](Value* x, Value* y) { return b_.CreateXor(x, y); });
    case 0x52: {  // bitselect
      Value* c = pop();
      Value* y = pop();
      Value* x = pop();
      push(b_.CreateOr(b_.CreateAnd(x, c), b_.CreateAnd(y, b_.CreateNot(c))));
      return true;
    }
    // Lane-wise integer add/sub/mul.
    case 0x6E: return binary(0, [&](Value* x, Value* y) { return b_.CreateAdd(x, y); });
    case 0x71: return binary(0, [&](Value* x, Value* y) { return b_.CreateSub(x, y); });
    case 0x8E: return binary(1, [&](Value* x, Value* y) { return b_.CreateAdd(x, y); });
    case 0x91: return binary(1, [&](Value* x, Value* y) { return b_.CreateSub(x, y); });
    case 0x95: return binary(1, [&](Value* x, Value* y) { return b_.CreateMul(x, y); });
    case 0xAE: return binary(2, [&](Value* x, Value* y) { return b_.CreateAdd(x, y); });
    case 0xB1: return binary(2, [&](Value* x, Value* y) { return b_.CreateSub(x, y); });
    case 0xB5: return binary(2, [&](Value* x, Value* y) { return b_.CreateMul(x, y); });
    case 0xCE: return binary(3, [&](Value* x, Value* y) { return b_.CreateAdd(x, y); });
    case 0xD1: return binary(3, [&](Value* x, Value* y) { return b_.CreateSub(x, y); });
    case 0xD5: return binary(3, [&](Value* x, Value* y) { return b_.CreateMul(x, y); });
    // Float add/sub/mul/div (strict FP, like the scalar ones).
    case 0xE4: return binary(4, [&](Value* x, Value* y) { return b_.CreateFAdd(x, y); });
    case 0xE5: return binary(4, [&](Value* x, Value* y) { return b_.CreateFSub(x, y); });
    case 0xE6: return binary(4, [&](Value* x, Value* y) { return b_.CreateFMul(x, y); });
    case 0xE7: return binary(4, [&](Value* x, Value* y) { return b_.CreateFDiv(x, y); });
    case 0xF0: return binary(5, [&](Value* x, Value* y) { return b_.CreateFAdd(x, y); });
    case 0xF1: return binary(5, [&](Value* x, Value* y) { return b_.CreateFSub(x, y); });
    case 0xF2: return binary(5, [&](Value* x, Value* y) { return b_.CreateFMul(x, y); });
    case 0xF3: return binary(5, [&](Value* x, Value* y) { return b_.CreateFDiv(x, y); });
    default: return false;
  }
}

}  // namespace wnn::jit
