// SIMD memory instructions: whole, extending, splatting, zero-filling and
// lane loads; whole and lane stores. Like the scalar ones (emit_memory.cpp):
// align 1 (Wasm's alignment is only a hint) and volatile, so LLVM neither
// drops nor merges an access whose fault is the out-of-bounds trap (the
// reservation's guard pages cover any u32 address + u32 offset + 16).
#include "jit/function_compiler.h"

namespace wnn::jit {

using llvm::Value;

bool FunctionCompiler::emit_simd_memory(uint32_t sub) {
  llvm::Type* elems[] = {b_.getInt8Ty(), b_.getInt16Ty(), b_.getInt32Ty(), b_.getInt64Ty()};
  llvm::Type* v128 = llvm_type(ctx_, ValType::V128);
  auto load = [&](llvm::Type* t) {
    Value* p = address(pop(), simd_.offset);
    return b_.CreateAlignedLoad(t, p, llvm::MaybeAlign(1), true);
  };
  auto store = [&](Value* v) {
    Value* p = address(pop(), simd_.offset);
    b_.CreateAlignedStore(v, p, llvm::MaybeAlign(1), true);
  };
  switch (sub) {
    case 0x00: push(load(v128)); return true;  // v128.load
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x05:
    case 0x06: {  // v128.loadNxM_s/u
      const unsigned k = (sub - 0x01) / 2;  // 0: 8x8, 1: 16x4, 2: 32x2
      const unsigned n = 8 >> k;
      Value* x = load(vec(elems[k], n));
      llvm::Type* wide = vec(elems[k + 1], n);
      push(as_v128((sub - 0x01) % 2 == 0 ? b_.CreateSExt(x, wide) : b_.CreateZExt(x, wide)));
      return true;
    }
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x0A: {  // v128.loadN_splat
      const unsigned k = sub - 0x07;
      push(as_v128(b_.CreateVectorSplat(16 >> k, load(elems[k]))));
      return true;
    }
    case 0x0B: {  // v128.store
      Value* v = pop();
      store(v);
      return true;
    }
    case 0x5C:
    case 0x5D: {  // v128.load32_zero, v128.load64_zero
      const unsigned k = sub == 0x5C ? 2 : 3;
      const unsigned n = 16 >> k;
      push(
          as_v128(b_.CreateInsertElement(llvm::Constant::getNullValue(vec(elems[k], n)), load(elems[k]), uint64_t(0))));
      return true;
    }
    case 0x54:
    case 0x55:
    case 0x56:
    case 0x57: {  // v128.loadN_lane
      const unsigned k = sub - 0x54;
      Value* v = lanes(pop(), elems[k], 16 >> k);
      push(as_v128(b_.CreateInsertElement(v, load(elems[k]), uint64_t(simd_.lane))));
      return true;
    }
    case 0x58:
    case 0x59:
    case 0x5A:
    case 0x5B: {  // v128.storeN_lane
      const unsigned k = sub - 0x58;
      Value* v = lanes(pop(), elems[k], 16 >> k);
      store(b_.CreateExtractElement(v, uint64_t(simd_.lane)));
      return true;
    }
    default: return false;
  }
}

}  // namespace wnn::jit
