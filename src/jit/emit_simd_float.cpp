// SIMD float lanes: comparisons, arithmetic, rounding, min/max (Wasm's NaN
// and signed-zero rules, through the scalar min_max), pmin/pmax, and the
// conversions between float and integer lanes. The builder is in strict-FP
// mode as for scalar code, so arithmetic, comparisons and conversions are
// constrained operations LLVM does not fold.
#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::CmpInst;
using llvm::Value;
namespace Intr = llvm::Intrinsic;

bool FunctionCompiler::emit_simd_float(uint32_t sub) {
  llvm::Type* f32t = b_.getFloatTy();
  llvm::Type* f64t = b_.getDoubleTy();
  llvm::Type* i32t = b_.getInt32Ty();
  llvm::FixedVectorType* v4f32 = vec(f32t, 4);
  llvm::FixedVectorType* v2f64 = vec(f64t, 2);
  llvm::FixedVectorType* v4i32 = vec(i32t, 4);
  llvm::FixedVectorType* v2i32 = vec(i32t, 2);
  auto as = [&](Value* v, bool is64) { return is64 ? lanes(v, f64t, 2) : lanes(v, f32t, 4); };
  auto unary = [&](bool is64, auto&& f) {
    push(as_v128(f(as(pop(), is64))));
    return true;
  };
  auto binary = [&](bool is64, auto&& f) {
    Value* y = as(pop(), is64);
    Value* x = as(pop(), is64);
    push(as_v128(f(x, y)));
    return true;
  };
  auto rounding = [&](bool is64, Intr::ID id) {
    return unary(is64, [&](Value* x) { return call_intrinsic(id, {x->getType()}, {x}); });
  };
  const std::vector<int> low2{0, 1}, zero_high{0, 1, 2, 3};

  if (sub >= 0x41 && sub <= 0x4C) {  // eq ne lt gt le ge
    static constexpr CmpInst::Predicate kCompare[] = {CmpInst::FCMP_OEQ, CmpInst::FCMP_UNE, CmpInst::FCMP_OLT,
                                                      CmpInst::FCMP_OGT, CmpInst::FCMP_OLE, CmpInst::FCMP_OGE};
    const bool is64 = sub >= 0x47;
    return binary(is64, [&](Value* x, Value* y) {
      return b_.CreateSExt(b_.CreateFCmp(kCompare[(sub - 0x41) % 6], x, y), is64 ? vec(b_.getInt64Ty(), 2) : v4i32);
    });
  }
  if (sub >= 0xE0 && sub <= 0xF7) {  // f32x4 at 0xE0, f64x2 at 0xEC: abs neg - sqrt add sub mul div min max pmin pmax
    const bool is64 = sub >= 0xEC;
    switch ((sub - 0xE0) % 12) {
      case 0: return rounding(is64, Intr::fabs);
      case 1: return unary(is64, [&](Value* x) { return b_.CreateFNeg(x); });
      case 3:
        return unary(is64, [&](Value* x) {
          return b_.CreateConstrainedFPCall(Intr::getDeclaration(&ms_.mod, Intr::experimental_constrained_sqrt, {x->getType()}), {x});
        });
      case 4: return binary(is64, [&](Value* x, Value* y) { return b_.CreateFAdd(x, y); });
      case 5: return binary(is64, [&](Value* x, Value* y) { return b_.CreateFSub(x, y); });
      case 6: return binary(is64, [&](Value* x, Value* y) { return b_.CreateFMul(x, y); });
      case 7: return binary(is64, [&](Value* x, Value* y) { return b_.CreateFDiv(x, y); });
      case 8: return binary(is64, [&](Value* x, Value* y) { return min_max(x, y, true); });
      case 9: return binary(is64, [&](Value* x, Value* y) { return min_max(x, y, false); });
      // pmin: y < x ? y : x; pmax: x < y ? y : x (NaNs and zeros as the comparison falls).
      case 10: return binary(is64, [&](Value* x, Value* y) { return b_.CreateSelect(b_.CreateFCmpOLT(y, x), y, x); });
      case 11: return binary(is64, [&](Value* x, Value* y) { return b_.CreateSelect(b_.CreateFCmpOLT(x, y), y, x); });
      default: return false;
    }
  }
  switch (sub) {
    case 0x67: return rounding(false, Intr::ceil);
    case 0x68: return rounding(false, Intr::floor);
    case 0x69: return rounding(false, Intr::trunc);
    case 0x6A: return rounding(false, Intr::roundeven);
    case 0x74: return rounding(true, Intr::ceil);
    case 0x75: return rounding(true, Intr::floor);
    case 0x7A: return rounding(true, Intr::trunc);
    case 0x94: return rounding(true, Intr::roundeven);
    case 0x5E: {  // f32x4.demote_f64x2_zero
      Value* d = b_.CreateFPTrunc(as(pop(), true), vec(f32t, 2));
      push(as_v128(b_.CreateShuffleVector(d, llvm::Constant::getNullValue(d->getType()), zero_high)));
      return true;
    }
    case 0x5F:  // f64x2.promote_low_f32x4
      push(as_v128(b_.CreateFPExt(b_.CreateShuffleVector(as(pop(), false), low2), v2f64)));
      return true;
    case 0xF8: case 0xF9: {  // i32x4.trunc_sat_f32x4_s/u
      Value* x = as(pop(), false);
      push(as_v128(call_intrinsic(sub == 0xF8 ? Intr::fptosi_sat : Intr::fptoui_sat, {v4i32, v4f32}, {x})));
      return true;
    }
    case 0xFA: push(as_v128(b_.CreateSIToFP(lanes(pop(), i32t, 4), v4f32))); return true;
    case 0xFB: push(as_v128(b_.CreateUIToFP(lanes(pop(), i32t, 4), v4f32))); return true;
    case 0xFC: case 0xFD: {  // i32x4.trunc_sat_f64x2_s/u_zero
      Value* x = as(pop(), true);
      Value* t = call_intrinsic(sub == 0xFC ? Intr::fptosi_sat : Intr::fptoui_sat, {v2i32, v2f64}, {x});
      push(as_v128(b_.CreateShuffleVector(t, llvm::Constant::getNullValue(v2i32), zero_high)));
      return true;
    }
    case 0xFE: case 0xFF: {  // f64x2.convert_low_i32x4_s/u
      Value* lo = b_.CreateShuffleVector(lanes(pop(), i32t, 4), low2);
      push(as_v128(sub == 0xFE ? b_.CreateSIToFP(lo, v2f64) : b_.CreateUIToFP(lo, v2f64)));
      return true;
    }
    default: return false;
  }
}

}  // namespace wnn::jit
