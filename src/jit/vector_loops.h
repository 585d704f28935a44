// Wider steps for small SIMD loops (docs/compiler.md, "SIMD").
//
// clang's wasm32 SIMD code steps its loops one vector at a time (it leaves
// interleaving to the engine), where a native build steps four: LLVM's own
// runtime unrolling on x86 takes such a loop two vectors at a time, and the
// index, the bound test and the budget's subtraction are then a third of the
// loop's instructions (matmul_f32's `c[j] += a * b[j]`, bench/simd). This pass
// asks the unroller for four copies (llvm.loop.unroll.count, with a remainder
// loop) of every innermost loop that has no call, a vector memory access and
// few instructions: a charge-free copy (charged_loops.h) of a guest's vector
// loop. Unrolling changes the instructions' order in no way a guest can see.
#pragma once
#include <llvm/IR/PassManager.h>

namespace wnn::jit {

class UnrollVectorLoopsPass : public llvm::PassInfoMixin<UnrollVectorLoopsPass> {
 public:
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);
};

}  // namespace wnn::jit
