// SIMD (0xFD). v128 is <2 x i64> between instructions, bitcast to the lane
// shape an instruction works on. Every instruction becomes LLVM vector IR, by
// family: lanes and bitwise operations here, memory in emit_simd_memory.cpp,
// integer lanes in emit_simd_integer.cpp, float lanes and conversions in
// emit_simd_float.cpp. Generic vector IR where x86 lowers it well; x86
// intrinsics where it does not (swizzle, narrow, dot, q15mulr). No SIMD
// instruction runs an interpreter handler.
#include <llvm/IR/IntrinsicsX86.h>

#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::Value;
using F = binary::OpFamily;

#define READ(var, expr)                                                                              \
  auto var##_r_ = (expr);                                                                            \
  if (!var##_r_.ok()) return Error(ErrorKind::Malformed, where() + ": " + var##_r_.error().message); \
  auto var = *var##_r_

llvm::Value* FunctionCompiler::as_v128(Value* v) { return b_.CreateBitCast(v, llvm_type(ctx_, ValType::V128)); }

llvm::Value* FunctionCompiler::lanes(Value* v, llvm::Type* elem, unsigned n) {
  return b_.CreateBitCast(v, llvm::FixedVectorType::get(elem, n));
}

Expected<void> FunctionCompiler::emit_simd(uint32_t sub) {
  const valid::SimdOp& so = ms_.rt.simd_op(sub);
  if (!so.name) return Error(ErrorKind::Invalid, where() + ": unknown SIMD instruction " + std::to_string(sub));
  simd_ = {};
  switch (so.family) {
    case F::VLoad:
    case F::VStore:
    case F::VLoadLane:
    case F::VStoreLane: {
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
    case F::VExtract:
    case F::VReplace: {
      READ(lane, r_.u8());
      simd_.lane = lane;
      break;
    }
    case F::VConst:
    case F::VShuffle: {
      READ(p, r_.bytes(16));
      std::copy(p, p + 16, simd_.bytes);
      break;
    }
    default: break;
  }
  if (unreachable_) return {};
  // The opcode table's family picks the file; within the arithmetic families
  // (VUnary, VBinary, VShift, VTest) the lane type decides integer or float.
  bool done = false;
  switch (so.family) {
    case F::VLoad:
    case F::VStore:
    case F::VLoadLane:
    case F::VStoreLane: done = emit_simd_memory(sub); break;
    case F::VConst:
    case F::VShuffle:
    case F::VSplat:
    case F::VExtract:
    case F::VReplace:
    case F::VTernary: done = emit_simd_lanes(sub); break;
    default: done = emit_simd_integer(sub) || emit_simd_float(sub) || emit_simd_lanes(sub); break;
  }
  if (done) return {};
  return Error(ErrorKind::Invalid, where() + ": SIMD instruction " + so.name + " has no translation");
}

llvm::FixedVectorType* FunctionCompiler::vec(llvm::Type* elem, unsigned n) {
  return llvm::FixedVectorType::get(elem, n);
}

// Constants, shuffles, splats, lane access and the bitwise operations.
bool FunctionCompiler::emit_simd_lanes(uint32_t sub) {
  llvm::Type* i8 = b_.getInt8Ty();
  llvm::Type* i32t = b_.getInt32Ty();
  // Lane shapes by index: i8x16 i16x8 i32x4 i64x2 f32x4 f64x2.
  llvm::Type* elems[] = {i8, b_.getInt16Ty(), i32t, b_.getInt64Ty(), b_.getFloatTy(), b_.getDoubleTy()};
  const unsigned counts[] = {16, 8, 4, 2, 4, 2};
  auto bitwise = [&](auto&& f) {
    Value* y = pop();
    Value* x = pop();
    push(f(x, y));
    return true;
  };
  switch (sub) {
    case 0x0C: {  // v128.const
      uint64_t lo, hi;
      std::memcpy(&lo, simd_.bytes, 8);
      std::memcpy(&hi, simd_.bytes + 8, 8);
      push(llvm::ConstantVector::get({b_.getInt64(lo), b_.getInt64(hi)}));
      return true;
    }
    case 0x0D: {  // i8x16.shuffle (lane bytes validated < 32)
      Value* y = lanes(pop(), i8, 16);
      Value* x = lanes(pop(), i8, 16);
      std::vector<int> mask(simd_.bytes, simd_.bytes + 16);
      push(as_v128(b_.CreateShuffleVector(x, y, mask)));
      return true;
    }
    case 0x0E: {  // i8x16.swizzle: pshufb zeroes a lane only for an index with bit 7 set,
                  // so indices >= 16 are pushed there by a saturating add of 0x70.
      Value* idx = lanes(pop(), i8, 16);
      Value* x = lanes(pop(), i8, 16);
      idx = call_intrinsic(llvm::Intrinsic::uadd_sat, {vec(i8, 16)}, {idx, b_.CreateVectorSplat(16, b_.getInt8(0x70))});
      push(as_v128(call_intrinsic(llvm::Intrinsic::x86_ssse3_pshuf_b_128, {}, {x, idx})));
      return true;
    }
    case 0x0F:
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x13:
    case 0x14: {  // splats
      const int shape = int(sub - 0x0F);
      Value* x = pop();
      if (shape < 2) x = b_.CreateTrunc(x, elems[shape]);
      push(as_v128(b_.CreateVectorSplat(counts[shape], x)));
      return true;
    }
    case 0x15:
    case 0x16:
    case 0x18:
    case 0x19: {  // narrow extracts
      const int shape = sub <= 0x16 ? 0 : 1;
      Value* e = b_.CreateExtractElement(lanes(pop(), elems[shape], counts[shape]), uint64_t(simd_.lane));
      push(sub == 0x15 || sub == 0x18 ? b_.CreateSExt(e, i32t) : b_.CreateZExt(e, i32t));
      return true;
    }
    case 0x1B:
    case 0x1D:
    case 0x1F:
    case 0x21: {  // i32/i64/f32/f64 extract
      const int shape = 2 + int(sub - 0x1B) / 2;
      push(b_.CreateExtractElement(lanes(pop(), elems[shape], counts[shape]), uint64_t(simd_.lane)));
      return true;
    }
    case 0x17:
    case 0x1A:
    case 0x1C:
    case 0x1E:
    case 0x20:
    case 0x22: {  // replace
      const int shape = sub == 0x17 ? 0 : sub == 0x1A ? 1 : 2 + int(sub - 0x1C) / 2;
      Value* x = pop();
      if (shape < 2) x = b_.CreateTrunc(x, elems[shape]);
      Value* v = lanes(pop(), elems[shape], counts[shape]);
      push(as_v128(b_.CreateInsertElement(v, x, uint64_t(simd_.lane))));
      return true;
    }
    case 0x4D: push(b_.CreateNot(pop())); return true;
    case 0x4E: return bitwise([&](Value* x, Value* y) { return b_.CreateAnd(x, y); });
    case 0x4F: return bitwise([&](Value* x, Value* y) { return b_.CreateAnd(x, b_.CreateNot(y)); });
    case 0x50: return bitwise([&](Value* x, Value* y) { return b_.CreateOr(x, y); });
    case 0x51: return bitwise([&](Value* x, Value* y) { return b_.CreateXor(x, y); });
    case 0x52: {  // bitselect
      Value* c = pop();
      Value* y = pop();
      Value* x = pop();
      push(b_.CreateOr(b_.CreateAnd(x, c), b_.CreateAnd(y, b_.CreateNot(c))));
      return true;
    }
    case 0x53: {  // v128.any_true
      Value* x = b_.CreateBitCast(pop(), b_.getInt128Ty());
      push(bool32(b_.CreateICmpNE(x, llvm::ConstantInt::get(b_.getInt128Ty(), 0))));
      return true;
    }
    default: return false;
  }
}

}  // namespace wnn::jit
