// SIMD integer lanes: comparisons, arithmetic (wrapping, saturating, min/max,
// averages), shifts, lane tests, widening (extend, extmul, pairwise add, dot)
// and narrowing. The instructions of lane shape k (i8x16, i16x8, i32x4, i64x2)
// sit at 0x60 + 0x20 k + o with the same o for the same operation; the row
// gaps there hold float instructions (emit_simd_float.cpp), so each case
// names the shapes it covers.
#include <llvm/IR/IntrinsicsX86.h>

#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::CmpInst;
using llvm::Value;
namespace Intr = llvm::Intrinsic;

bool FunctionCompiler::emit_simd_integer(uint32_t sub) {
  llvm::Type* elems[] = {b_.getInt8Ty(), b_.getInt16Ty(), b_.getInt32Ty(), b_.getInt64Ty()};
  auto vt = [&](unsigned k) { return vec(elems[k], 16 >> k); };
  auto as = [&](Value* v, unsigned k) { return lanes(v, elems[k], 16 >> k); };
  auto binary = [&](unsigned k, auto&& f) {
    Value* y = as(pop(), k);
    Value* x = as(pop(), k);
    push(as_v128(f(x, y)));
    return true;
  };
  auto intrinsic2 = [&](unsigned k, Intr::ID id) {
    return binary(k, [&](Value* x, Value* y) { return call_intrinsic(id, {vt(k)}, {x, y}); });
  };
  auto intrinsic2_x86 = [&](unsigned k, Intr::ID id) {
    return binary(k, [&](Value* x, Value* y) { return call_intrinsic(id, {}, {x, y}); });
  };
  auto compare = [&](unsigned k, CmpInst::Predicate p) {
    return binary(k, [&](Value* x, Value* y) { return b_.CreateSExt(b_.CreateICmp(p, x, y), vt(k)); });
  };
  // Lanes [first, first + n) of x (k-shaped), widened to shape k + 1.
  auto half = [&](Value* x, unsigned k, bool high, bool is_signed) {
    const unsigned n = 8 >> k;
    std::vector<int> mask(n);
    for (unsigned i = 0; i < n; ++i) mask[i] = int((high ? n : 0) + i);
    Value* h = b_.CreateShuffleVector(x, mask);
    return is_signed ? b_.CreateSExt(h, vt(k + 1)) : b_.CreateZExt(h, vt(k + 1));
  };

  static constexpr CmpInst::Predicate kCompare[] = {
      CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_SLT, CmpInst::ICMP_ULT, CmpInst::ICMP_SGT,
      CmpInst::ICMP_UGT, CmpInst::ICMP_SLE, CmpInst::ICMP_ULE, CmpInst::ICMP_SGE, CmpInst::ICMP_UGE};
  if (sub >= 0x23 && sub <= 0x40) return compare((sub - 0x23) / 10, kCompare[(sub - 0x23) % 10]);
  if (sub >= 0xD6 && sub <= 0xDB) {  // i64x2 eq ne lt_s gt_s le_s ge_s
    static constexpr CmpInst::Predicate k64[] = {CmpInst::ICMP_EQ,  CmpInst::ICMP_NE,  CmpInst::ICMP_SLT,
                                                 CmpInst::ICMP_SGT, CmpInst::ICMP_SLE, CmpInst::ICMP_SGE};
    return compare(3, k64[sub - 0xD6]);
  }
  if (sub >= 0x7C && sub <= 0x7F) {  // extadd_pairwise: i8x16 -> i16x8 (7C/7D), i16x8 -> i32x4 (7E/7F)
    const unsigned k = sub <= 0x7D ? 0 : 1;
    const bool is_signed = (sub & 1) == 0;
    Value* x = as(pop(), k);
    const unsigned n = 8 >> k;
    std::vector<int> even(n), odd(n);
    for (unsigned i = 0; i < n; ++i) even[i] = int(2 * i), odd[i] = int(2 * i + 1);
    auto ext = [&](Value* v) { return is_signed ? b_.CreateSExt(v, vt(k + 1)) : b_.CreateZExt(v, vt(k + 1)); };
    push(as_v128(b_.CreateAdd(ext(b_.CreateShuffleVector(x, even)), ext(b_.CreateShuffleVector(x, odd)))));
    return true;
  }
  if (sub < 0x60 || sub > 0xDF) return false;
  const unsigned k = (sub - 0x60) / 0x20, o = (sub - 0x60) % 0x20;
  const unsigned bits = 8u << k;
  switch (o) {
    case 0x00: push(as_v128(call_intrinsic(Intr::abs, {vt(k)}, {as(pop(), k), b_.getFalse()}))); return true;
    case 0x01: push(as_v128(b_.CreateNeg(as(pop(), k)))); return true;
    case 0x02:
      if (k == 0) {  // i8x16.popcnt
        push(as_v128(call_intrinsic(Intr::ctpop, {vt(0)}, {as(pop(), 0)})));
        return true;
      }
      if (k == 1) {  // i16x8.q15mulr_sat_s: pmulhrsw wraps only -1 * -1 (in Q15) to 0x8000
        Value* y = as(pop(), 1);
        Value* x = as(pop(), 1);
        Value* r = call_intrinsic(Intr::x86_ssse3_pmul_hr_sw_128, {}, {x, y});
        Value* wrapped = b_.CreateICmpEQ(r, b_.CreateVectorSplat(8, b_.getInt16(0x8000)));
        push(as_v128(b_.CreateXor(r, b_.CreateSExt(wrapped, vt(1)))));
        return true;
      }
      return false;
    case 0x03: {  // all_true
      Value* nz = b_.CreateICmpNE(as(pop(), k), llvm::Constant::getNullValue(vt(k)));
      push(bool32(b_.CreateAndReduce(nz)));
      return true;
    }
    case 0x04: {  // bitmask: the lanes' sign bits
      Value* neg = b_.CreateICmpSLT(as(pop(), k), llvm::Constant::getNullValue(vt(k)));
      push(b_.CreateZExt(b_.CreateBitCast(neg, b_.getIntNTy(16 >> k)), b_.getInt32Ty()));
      return true;
    }
    case 0x05:
    case 0x06: {  // narrow shape k + 1 into k, saturating (signed inputs both ways)
      if (k > 1) return false;
      static constexpr Intr::ID kNarrow[2][2] = {{Intr::x86_sse2_packsswb_128, Intr::x86_sse2_packuswb_128},
                                                 {Intr::x86_sse2_packssdw_128, Intr::x86_sse41_packusdw}};
      Value* y = as(pop(), k + 1);
      Value* x = as(pop(), k + 1);
      push(as_v128(call_intrinsic(kNarrow[k][o - 5], {}, {x, y})));
      return true;
    }
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x0A:  // extend_{low,high}_{s,u} from shape k - 1
      if (k == 0) return false;
      push(as_v128(half(as(pop(), k - 1), k - 1, o == 0x08 || o == 0x0A, o <= 0x08)));
      return true;
    case 0x0B:
    case 0x0C:
    case 0x0D: {  // shl, shr_s, shr_u: the count modulo the lane width
      Value* n = b_.CreateAnd(pop(), i32(bits - 1));
      n = b_.CreateVectorSplat(16 >> k, b_.CreateZExtOrTrunc(n, elems[k]));
      Value* x = as(pop(), k);
      push(as_v128(o == 0x0B ? b_.CreateShl(x, n) : o == 0x0C ? b_.CreateAShr(x, n) : b_.CreateLShr(x, n)));
      return true;
    }
    case 0x0E: return binary(k, [&](Value* x, Value* y) { return b_.CreateAdd(x, y); });
    case 0x11: return binary(k, [&](Value* x, Value* y) { return b_.CreateSub(x, y); });
    case 0x0F: return k <= 1 && intrinsic2(k, Intr::sadd_sat);
    case 0x10: return k <= 1 && intrinsic2(k, Intr::uadd_sat);
    case 0x12: return k <= 1 && intrinsic2(k, Intr::ssub_sat);
    case 0x13: return k <= 1 && intrinsic2(k, Intr::usub_sat);
    case 0x15: return k >= 1 && binary(k, [&](Value* x, Value* y) { return b_.CreateMul(x, y); });
    case 0x16: return k <= 2 && intrinsic2(k, Intr::smin);
    case 0x17: return k <= 2 && intrinsic2(k, Intr::umin);
    case 0x18: return k <= 2 && intrinsic2(k, Intr::smax);
    case 0x19: return k <= 2 && intrinsic2(k, Intr::umax);
    case 0x1A:  // i32x4.dot_i16x8_s (pmaddwd wraps the one overflowing pair sum as Wasm does)
      if (k != 2) return false;
      return binary(1, [&](Value* x, Value* y) { return call_intrinsic(Intr::x86_sse2_pmadd_wd, {}, {x, y}); });
    case 0x1B:  // avgr_u: (x + y + 1) >> 1 without overflow (the generic widened form
                // selects pavgb/pavgw only after a needless widen and narrow of the inputs)
      if (k > 1) return false;
      return intrinsic2_x86(k, k == 0 ? Intr::x86_sse2_pavg_b : Intr::x86_sse2_pavg_w);
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F: {  // extmul_{low,high}_{s,u} from shape k - 1
      if (k == 0) return false;
      const bool high = o == 0x1D || o == 0x1F, is_signed = o <= 0x1D;
      Value* y = half(as(pop(), k - 1), k - 1, high, is_signed);
      Value* x = half(as(pop(), k - 1), k - 1, high, is_signed);
      push(as_v128(b_.CreateMul(x, y)));
      return true;
    }
    default: return false;
  }
}

}  // namespace wnn::jit
