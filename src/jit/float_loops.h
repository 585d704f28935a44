// Vector code for float loops (docs/compiler.md, "Floating point").
//
// Every float operation is a constrained intrinsic (fpexcept.strict): LLVM
// then never folds `x * 1.0`, `x - 0.0` or `demote(promote(x))` into `x`, each
// of which must quiet a signalling NaN. Nor does it vectorise them, so a float
// loop stayed scalar even where its accesses cannot fault. This pass lets the
// loop vectoriser, and no other pass, see plain operations: it makes the
// constrained arithmetic, comparisons, conversions and square roots plain, runs
// LLVM's LoopVectorizePass, and makes every plain float operation constrained
// again (the vector ones too) before any other pass can fold one. A vector
// operation computes each lane exactly as the scalar one (IEEE, round to
// nearest, x86's NaN rules are the same), and without reassociation the
// vectoriser reorders no float operation (a float sum stays a scalar chain).
// An operation with an identity constant (±0, ±1) or a demote of a promote stays
// constrained all along: its loop stays scalar.
#pragma once
#include <llvm/IR/PassManager.h>

namespace wnn::jit {

class VectoriseFloatLoopsPass : public llvm::PassInfoMixin<VectoriseFloatLoopsPass> {
 public:
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);
};

}  // namespace wnn::jit
