// Numeric instructions: constants, integer and float arithmetic, comparisons
// and conversions, with Wasm's semantics where LLVM's differ (docs/compiler.md):
// explicit traps for division and float->int truncation, masked shift counts,
// clz/ctz defined at zero, strict FP (no folds that lose a signalling NaN).
#include <llvm/IR/Intrinsics.h>

#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::Value;
using llvm::Intrinsic::ID;

#define READ(var, expr)                                                                              \
  auto var##_r_ = (expr);                                                                            \
  if (!var##_r_.ok()) return Error(ErrorKind::Malformed, where() + ": " + var##_r_.error().message); \
  auto var = *var##_r_

Expected<void> FunctionCompiler::emit_const(uint8_t op) {
  switch (op) {
    case 0x41: {
      READ(v, r_.s32());
      if (!unreachable_) push(i32(uint32_t(v)));
      return {};
    }
    case 0x42: {
      READ(v, r_.s64());
      if (!unreachable_) push(i64(uint64_t(v)));
      return {};
    }
    case 0x43: {
      READ(v, r_.f32_bits());
      if (!unreachable_)
        push(llvm::ConstantFP::get(ctx_, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, v))));
      return {};
    }
    default: {
      READ(v, r_.f64_bits());
      if (!unreachable_)
        push(llvm::ConstantFP::get(ctx_, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, v))));
      return {};
    }
  }
}

namespace {
// Position of an opcode in its row of the integer (clz .. rotr) and float
// (abs .. copysign) families.
enum IntOp { Clz, Ctz, Popcnt, Add, Sub, Mul, DivS, DivU, RemS, RemU, And, Or, Xor, Shl, ShrS, ShrU, Rotl, Rotr };
enum FloatOp { Abs, Neg, Ceil, Floor, Trunc, Nearest, Sqrt, FAdd, FSub, FMul, FDiv, Min, Max, Copysign };
}  // namespace

// Wasm min/max: NaN if either is NaN, -0 below +0. (llvm.minimum has these
// semantics, but its strict-FP form cannot be selected on x86 in LLVM 19.)
Value* FunctionCompiler::min_max(Value* x, Value* y, bool is_min) {
  llvm::Type* t = x->getType();
  llvm::Type* it = t->getWithNewType(b_.getIntNTy(t->getScalarSizeInBits()));  // scalar or vector (SIMD)
  Value* xi = b_.CreateBitCast(x, it);
  Value* yi = b_.CreateBitCast(y, it);
  // Equal (the zeros too): min ORs the sign bits in, max ANDs them.
  Value* same = b_.CreateBitCast(is_min ? b_.CreateOr(xi, yi) : b_.CreateAnd(xi, yi), t);
  Value* pick = b_.CreateSelect(is_min ? b_.CreateFCmpOLT(x, y) : b_.CreateFCmpOGT(x, y), x, y);
  Value* r = b_.CreateSelect(b_.CreateFCmpOEQ(x, y), same, pick);
  Value* nan = b_.CreateFAdd(x, y);  // an arithmetic NaN, as the interpreter's scalar min/max
  if (t->isVectorTy()) {
    // The interpreter's SIMD min/max (the x86 sequences of src/exec/simd_float.cpp) make NaN
    // lanes -nan for min and, for max, nan with the sign of x | y: the same bits here, so
    // both tiers agree bit for bit (any arithmetic NaN is allowed when an input is one).
    const unsigned bits = t->getScalarSizeInBits();
    const llvm::APInt sign = llvm::APInt::getSignMask(bits);
    const llvm::APInt quiet = bits == 32 ? llvm::APInt(32, 0x7FC00000u) : llvm::APInt(64, 0x7FF8000000000000u);
    Value* nan_bits = is_min ? llvm::ConstantInt::get(it, sign | quiet)
                             : b_.CreateOr(b_.CreateAnd(b_.CreateOr(xi, yi), llvm::ConstantInt::get(it, sign)),
                                           llvm::ConstantInt::get(it, quiet));
    nan = b_.CreateBitCast(nan_bits, t);
  }
  return b_.CreateSelect(b_.CreateFCmpUNO(x, y), nan, r);
}

bool FunctionCompiler::emit_numeric(uint8_t op) {
  using llvm::CmpInst;
  // Comparisons.
  if (op == 0x45 || op == 0x50) {
    Value* a = pop();
    push(bool32(b_.CreateICmpEQ(a, llvm::Constant::getNullValue(a->getType()))));
    return true;
  }
  static constexpr CmpInst::Predicate kInt[] = {
      CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_SLT, CmpInst::ICMP_ULT, CmpInst::ICMP_SGT,
      CmpInst::ICMP_UGT, CmpInst::ICMP_SLE, CmpInst::ICMP_ULE, CmpInst::ICMP_SGE, CmpInst::ICMP_UGE};
  static constexpr CmpInst::Predicate kFloat[] = {CmpInst::FCMP_OEQ, CmpInst::FCMP_UNE, CmpInst::FCMP_OLT,
                                                  CmpInst::FCMP_OGT, CmpInst::FCMP_OLE, CmpInst::FCMP_OGE};
  if ((op >= 0x46 && op <= 0x4F) || (op >= 0x51 && op <= 0x5A)) {
    Value* y = pop();
    Value* x = pop();
    push(bool32(b_.CreateICmp(kInt[op >= 0x51 ? op - 0x51 : op - 0x46], x, y)));
    return true;
  }
  if (op >= 0x5B && op <= 0x66) {
    Value* y = pop();
    Value* x = pop();
    push(bool32(b_.CreateFCmp(kFloat[op >= 0x61 ? op - 0x61 : op - 0x5B], x, y)));
    return true;
  }
  // Integer arithmetic.
  if (op >= 0x67 && op <= 0x8A) {
    const bool is64 = op >= 0x79;
    const IntOp k = IntOp(is64 ? op - 0x79 : op - 0x67);
    const unsigned bits = is64 ? 64 : 32;
    llvm::Type* t = is64 ? b_.getInt64Ty() : b_.getInt32Ty();
    auto c = [&](uint64_t v) { return llvm::ConstantInt::get(t, v); };
    if (k <= Popcnt) {
      Value* a = pop();
      if (k == Popcnt)
        push(call_intrinsic(llvm::Intrinsic::ctpop, {t}, {a}));
      else
        push(call_intrinsic(k == Clz ? llvm::Intrinsic::ctlz : llvm::Intrinsic::cttz, {t}, {a, b_.getFalse()}));
      return true;
    }
    Value* y = pop();
    Value* x = pop();
    switch (k) {
      case Add: push(b_.CreateAdd(x, y)); break;
      case Sub: push(b_.CreateSub(x, y)); break;
      case Mul: push(b_.CreateMul(x, y)); break;
      case DivS:
        trap_if(b_.CreateICmpEQ(y, c(0)), TrapKind::IntegerDivideByZero);
        trap_if(b_.CreateAnd(b_.CreateICmpEQ(x, c(uint64_t(1) << (bits - 1))), b_.CreateICmpEQ(y, c(~uint64_t(0)))),
                TrapKind::IntegerOverflow);
        push(b_.CreateSDiv(x, y));
        break;
      case DivU:
        trap_if(b_.CreateICmpEQ(y, c(0)), TrapKind::IntegerDivideByZero);
        push(b_.CreateUDiv(x, y));
        break;
      case RemS: {
        trap_if(b_.CreateICmpEQ(y, c(0)), TrapKind::IntegerDivideByZero);
        // x rem -1 is 0 (INT_MIN rem -1 must not fault).
        Value* minus1 = b_.CreateICmpEQ(y, c(~uint64_t(0)));
        push(b_.CreateSelect(minus1, c(0), b_.CreateSRem(x, b_.CreateSelect(minus1, c(1), y))));
        break;
      }
      case RemU:
        trap_if(b_.CreateICmpEQ(y, c(0)), TrapKind::IntegerDivideByZero);
        push(b_.CreateURem(x, y));
        break;
      case And: push(b_.CreateAnd(x, y)); break;
      case Or: push(b_.CreateOr(x, y)); break;
      case Xor: push(b_.CreateXor(x, y)); break;
      case Shl: push(b_.CreateShl(x, b_.CreateAnd(y, c(bits - 1)))); break;
      case ShrS: push(b_.CreateAShr(x, b_.CreateAnd(y, c(bits - 1)))); break;
      case ShrU: push(b_.CreateLShr(x, b_.CreateAnd(y, c(bits - 1)))); break;
      case Rotl: push(call_intrinsic(llvm::Intrinsic::fshl, {t}, {x, x, y})); break;
      case Rotr: push(call_intrinsic(llvm::Intrinsic::fshr, {t}, {x, x, y})); break;
      default: return false;
    }
    return true;
  }
  // Float arithmetic (the builder is in strict-FP mode: constrained intrinsics).
  if (op >= 0x8B && op <= 0xA6) {
    const bool is64 = op >= 0x99;
    const FloatOp k = FloatOp(is64 ? op - 0x99 : op - 0x8B);
    llvm::Type* t = is64 ? b_.getDoubleTy() : b_.getFloatTy();
    static constexpr ID kUnary[] = {llvm::Intrinsic::fabs,  llvm::Intrinsic::not_intrinsic, llvm::Intrinsic::ceil,
                                    llvm::Intrinsic::floor, llvm::Intrinsic::trunc,         llvm::Intrinsic::roundeven,
                                    llvm::Intrinsic::sqrt};
    if (k <= Sqrt) {
      Value* a = pop();
      if (k == Neg)
        push(b_.CreateFNeg(a));
      else if (k == Sqrt)
        push(b_.CreateConstrainedFPCall(
            llvm::Intrinsic::getDeclaration(&ms_.mod, llvm::Intrinsic::experimental_constrained_sqrt, {t}), {a}));
      else
        push(call_intrinsic(kUnary[k], {t}, {a}));
      return true;
    }
    Value* y = pop();
    Value* x = pop();
    switch (k) {
      case FAdd: push(b_.CreateFAdd(x, y)); break;
      case FSub: push(b_.CreateFSub(x, y)); break;
      case FMul: push(b_.CreateFMul(x, y)); break;
      case FDiv: push(b_.CreateFDiv(x, y)); break;
      case Min:
      case Max: push(min_max(x, y, k == Min)); break;
      case Copysign: push(call_intrinsic(llvm::Intrinsic::copysign, {t}, {x, y})); break;
      default: return false;
    }
    return true;
  }
  return false;
}

// float -> int with Wasm's traps: NaN is an invalid conversion, a value
// outside the target range an overflow. The bounds are exact in the source
// type: x must be >= lo (or > lo_excl) and < hi.
static void trunc_bounds(bool is64_src, bool is64_dst, bool is_signed, double& lo, bool& lo_inclusive, double& hi) {
  if (!is_signed) {
    lo = -1.0, lo_inclusive = false;
    hi = is64_dst ? 18446744073709551616.0 : 4294967296.0;
    return;
  }
  hi = is64_dst ? 9223372036854775808.0 : 2147483648.0;
  if (is64_src && !is64_dst) {
    lo = -2147483649.0, lo_inclusive = false;
  } else {
    lo = -hi, lo_inclusive = true;
  }
}

bool FunctionCompiler::emit_conversion(uint8_t op) {
  llvm::Type* i32t = b_.getInt32Ty();
  llvm::Type* i64t = b_.getInt64Ty();
  llvm::Type* f32t = b_.getFloatTy();
  llvm::Type* f64t = b_.getDoubleTy();
  auto trunc = [&](bool src64, bool dst64, bool is_signed) {
    Value* a = pop();
    trap_if(b_.CreateFCmpUNO(a, a), TrapKind::InvalidConversion);
    double lo, hi;
    bool lo_incl;
    trunc_bounds(src64, dst64, is_signed, lo, lo_incl, hi);
    llvm::Type* st = a->getType();
    Value* above = lo_incl ? b_.CreateFCmpOGE(a, llvm::ConstantFP::get(st, lo))
                           : b_.CreateFCmpOGT(a, llvm::ConstantFP::get(st, lo));
    Value* in = b_.CreateAnd(above, b_.CreateFCmpOLT(a, llvm::ConstantFP::get(st, hi)));
    trap_if(b_.CreateNot(in), TrapKind::IntegerOverflow);
    llvm::Type* dt = dst64 ? i64t : i32t;
    push(is_signed ? b_.CreateFPToSI(a, dt) : b_.CreateFPToUI(a, dt));
  };
  switch (op) {
    case 0xA7: push(b_.CreateTrunc(pop(), i32t)); return true;
    case 0xA8: trunc(false, false, true); return true;
    case 0xA9: trunc(false, false, false); return true;
    case 0xAA: trunc(true, false, true); return true;
    case 0xAB: trunc(true, false, false); return true;
    case 0xAC: push(b_.CreateSExt(pop(), i64t)); return true;
    case 0xAD: push(b_.CreateZExt(pop(), i64t)); return true;
    case 0xAE: trunc(false, true, true); return true;
    case 0xAF: trunc(false, true, false); return true;
    case 0xB0: trunc(true, true, true); return true;
    case 0xB1: trunc(true, true, false); return true;
    case 0xB2:
    case 0xB4: push(b_.CreateSIToFP(pop(), f32t)); return true;
    case 0xB3:
    case 0xB5: push(b_.CreateUIToFP(pop(), f32t)); return true;
    case 0xB6: push(b_.CreateFPTrunc(pop(), f32t)); return true;
    case 0xB7:
    case 0xB9: push(b_.CreateSIToFP(pop(), f64t)); return true;
    case 0xB8:
    case 0xBA: push(b_.CreateUIToFP(pop(), f64t)); return true;
    case 0xBB: push(b_.CreateFPExt(pop(), f64t)); return true;
    case 0xBC: push(b_.CreateBitCast(pop(), i32t)); return true;
    case 0xBD: push(b_.CreateBitCast(pop(), i64t)); return true;
    case 0xBE: push(b_.CreateBitCast(pop(), f32t)); return true;
    case 0xBF: push(b_.CreateBitCast(pop(), f64t)); return true;
    case 0xC0: push(b_.CreateSExt(b_.CreateTrunc(pop(), b_.getInt8Ty()), i32t)); return true;
    case 0xC1: push(b_.CreateSExt(b_.CreateTrunc(pop(), b_.getInt16Ty()), i32t)); return true;
    case 0xC2: push(b_.CreateSExt(b_.CreateTrunc(pop(), b_.getInt8Ty()), i64t)); return true;
    case 0xC3: push(b_.CreateSExt(b_.CreateTrunc(pop(), b_.getInt16Ty()), i64t)); return true;
    case 0xC4: push(b_.CreateSExt(b_.CreateTrunc(pop(), i32t), i64t)); return true;
    default: return false;
  }
}

}  // namespace wnn::jit
