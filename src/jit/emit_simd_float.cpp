// SIMD float lanes: comparisons, arithmetic, rounding, min/max (Wasm's NaN
// and signed-zero rules, through the scalar min_max), pmin/pmax, and the
// conversions between float and integer lanes. The builder is in strict-FP
// mode as for scalar code, so arithmetic, comparisons and conversions are
// constrained operations LLVM does not fold.
#include <llvm/IR/IntrinsicsX86.h>

#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::CmpInst;
using llvm::Value;
namespace Intr = llvm::Intrinsic;

// The saturating truncations. llvm.fptosi.sat on vectors is scalarised on x86
// (a cvttss2si and two compares per lane), so these are the usual SSE
// sequences: NaN lanes zeroed and out-of-range lanes clamped around cvttps2dq
// / cvttpd2dq.
Value* FunctionCompiler::trunc_sat_f32x4(Value* x, bool is_signed) {
  llvm::Type* f32t = b_.getFloatTy();
  llvm::Type* v4i32 = vec(b_.getInt32Ty(), 4);
  auto splat_f = [&](double d) { return llvm::ConstantFP::get(vec(f32t, 4), d); };
  auto splat_i = [&](uint32_t u) { return llvm::ConstantInt::get(v4i32, u); };
  auto cvt = [&](Value* v) { return call_intrinsic(llvm::Intrinsic::x86_sse2_cvttps2dq, {}, {v}); };
  if (is_signed) {
    // cvttps2dq gives 0x80000000 for NaN and both overflows; NaN -> 0, >= 2^31 -> INT32_MAX.
    Value* ordered = b_.CreateSelect(b_.CreateFCmpORD(x, x), x, splat_f(0.0));
    return b_.CreateSelect(b_.CreateFCmpOGE(ordered, splat_f(2147483648.0)), splat_i(0x7fffffff), cvt(ordered));
  }
  // NaN and negatives -> 0; [2^31, 2^32) converted after subtracting 2^31; >= 2^32 -> UINT32_MAX.
  Value* pos = b_.CreateSelect(b_.CreateFCmpOGT(x, splat_f(0.0)), x, splat_f(0.0));
  Value* high = b_.CreateXor(cvt(b_.CreateFSub(pos, splat_f(2147483648.0))), splat_i(0x80000000));
  Value* r = b_.CreateSelect(b_.CreateFCmpOLT(pos, splat_f(2147483648.0)), cvt(pos), high);
  return b_.CreateSelect(b_.CreateFCmpOGE(pos, splat_f(4294967296.0)), splat_i(0xffffffff), r);
}

Value* FunctionCompiler::trunc_sat_f64x2_zero(Value* x, bool is_signed) {
  llvm::Type* v2f64 = vec(b_.getDoubleTy(), 2);
  auto splat_f = [&](double d) { return llvm::ConstantFP::get(v2f64, d); };
  // Every i32/u32 is exact in f64, so clamping first makes the conversion exact; NaN -> 0.
  const double lo = is_signed ? -2147483648.0 : 0.0, hi = is_signed ? 2147483647.0 : 4294967295.0;
  Value* c = b_.CreateSelect(b_.CreateFCmpOGT(x, splat_f(lo)), x, splat_f(lo));  // NaN -> lo
  c = b_.CreateSelect(b_.CreateFCmpOLT(c, splat_f(hi)), c, splat_f(hi));
  if (is_signed) {
    c = b_.CreateSelect(b_.CreateFCmpORD(x, x), c, splat_f(0.0));
    return call_intrinsic(llvm::Intrinsic::x86_sse2_cvttpd2dq, {}, {c});  // upper lanes zero
  }
  // u32: truncate, then add 2^52: the low 32 bits of the double are the integer.
  Value* t = b_.CreateFAdd(call_intrinsic(llvm::Intrinsic::trunc, {v2f64}, {c}), splat_f(4503599627370496.0));
  Value* words = b_.CreateBitCast(t, vec(b_.getInt32Ty(), 4));
  return b_.CreateShuffleVector(words, llvm::Constant::getNullValue(words->getType()), std::vector<int>{0, 2, 4, 5});
}

bool FunctionCompiler::emit_simd_float(uint32_t sub) {
  llvm::Type* f32t = b_.getFloatTy();
  llvm::Type* f64t = b_.getDoubleTy();
  llvm::Type* i32t = b_.getInt32Ty();
  llvm::FixedVectorType* v4f32 = vec(f32t, 4);
  llvm::FixedVectorType* v2f64 = vec(f64t, 2);
  llvm::FixedVectorType* v4i32 = vec(i32t, 4);
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
          return b_.CreateConstrainedFPCall(
              Intr::getDeclaration(&ms_.mod, Intr::experimental_constrained_sqrt, {x->getType()}), {x});
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
    case 0xF8:
    case 0xF9: push(as_v128(trunc_sat_f32x4(as(pop(), false), sub == 0xF8))); return true;
    case 0xFA: push(as_v128(b_.CreateSIToFP(lanes(pop(), i32t, 4), v4f32))); return true;
    case 0xFB: push(as_v128(b_.CreateUIToFP(lanes(pop(), i32t, 4), v4f32))); return true;
    case 0xFC:
    case 0xFD: push(as_v128(trunc_sat_f64x2_zero(as(pop(), true), sub == 0xFC))); return true;
    case 0xFE:
    case 0xFF: {  // f64x2.convert_low_i32x4_s/u
      Value* lo = b_.CreateShuffleVector(lanes(pop(), i32t, 4), low2);
      push(as_v128(sub == 0xFE ? b_.CreateSIToFP(lo, v2f64) : b_.CreateUIToFP(lo, v2f64)));
      return true;
    }
    default: return false;
  }
}

}  // namespace wnn::jit
