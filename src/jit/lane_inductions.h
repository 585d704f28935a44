// Scalar addresses from vector induction variables (docs/compiler.md, "Loops
// without faults").
//
// clang's wasm32 SIMD code de-interleaves with lane loads whose addresses are
// lanes of a vector induction variable: v = <0,1,2,3>, v += 4 per iteration,
// address k = extract_lane(v * 3, k) + c. ScalarEvolution does not look into
// vectors, so the fault-free analysis (fault_free_loops.h) could not bound
// those loads and the loop kept its volatile accesses. This pass rewrites every
// constant-lane extract in a loop whose vector operand is computed, through
// lane-wise integer operations with constant or splat operands, from such an
// induction variable into the same computation on scalars, with one scalar
// induction variable per lane used (lane k of v is a recurrence {v0[k], +, s}),
// which ScalarEvolution reads as an affine address. Each lane of a lane-wise
// integer operation is the scalar operation on the lanes, so nothing changes
// but the form; the vector computation goes when nothing else uses it.
#pragma once
#include <llvm/IR/PassManager.h>

namespace wnn::jit {

class ScalariseLaneInductionsPass : public llvm::PassInfoMixin<ScalariseLaneInductionsPass> {
 public:
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);
};

}  // namespace wnn::jit
