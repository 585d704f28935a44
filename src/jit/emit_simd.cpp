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
