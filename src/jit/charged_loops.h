// Loop versioning for the budget charge (docs/compiler.md, "Fuel and
// interruption in loops").
//
// Every loop back-edge charges Thread::budget and, when it goes negative,
// calls the refill helper (fuel, interruption, tiering). That call inside the
// loop keeps LLVM from unrolling, vectorising and hoisting. This pass gives
// each innermost loop whose trip count LLVM can bound a second copy without
// the checks, entered only when the budget at the loop's entry covers every
// charge the loop can make: the copy never reaches a refill the original
// would have reached, and it still subtracts every charge, so fuel, traps and
// the budget stored at a trap are exactly the original's.
#pragma once
#include <llvm/IR/PassManager.h>

namespace wnn::jit {

class VersionChargedLoopsPass : public llvm::PassInfoMixin<VersionChargedLoopsPass> {
 public:
  // plain_accesses: counted copies get plain accesses when none can fault
  // (fault_free_loops.h), for the vectoriser: worth its checks only in a
  // pipeline that vectorises.
  explicit VersionChargedLoopsPass(bool plain_accesses) : plain_accesses_(plain_accesses) {}
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& fam);

 private:
  bool plain_accesses_;
};

}  // namespace wnn::jit
