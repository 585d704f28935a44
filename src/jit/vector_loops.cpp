#include "jit/vector_loops.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Transforms/Utils/LoopUtils.h>

namespace wnn::jit {

namespace {

constexpr unsigned kCopies = 4;
// A body beyond this many instructions has enough work per step already.
constexpr unsigned kMaxInstructions = 40;

bool is_vector_access(const llvm::Instruction& i) {
  if (const auto* load = llvm::dyn_cast<llvm::LoadInst>(&i)) return load->getType()->isVectorTy();
  if (const auto* store = llvm::dyn_cast<llvm::StoreInst>(&i)) return store->getValueOperand()->getType()->isVectorTy();
  return false;
}

bool wants_copies(const llvm::Loop& l) {
  if (!l.isInnermost() || llvm::findOptionMDForLoop(&l, "llvm.loop.unroll.count") ||
      llvm::findOptionMDForLoop(&l, "llvm.loop.unroll.disable") ||
      llvm::findOptionMDForLoop(&l, "llvm.loop.isvectorized"))
    return false;
  unsigned count = 0;
  bool vector_access = false;
  for (const llvm::BasicBlock* bb : l.blocks())
    for (const llvm::Instruction& i : *bb) {
      if (llvm::isa<llvm::CallBase>(i) && !llvm::isa<llvm::IntrinsicInst>(i)) return false;
      if (++count > kMaxInstructions) return false;
      vector_access |= is_vector_access(i);
    }
  return vector_access;
}

}  // namespace

llvm::PreservedAnalyses UnrollVectorLoopsPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
  bool changed = false;
  for (llvm::Loop* l : fam.getResult<llvm::LoopAnalysis>(f).getLoopsInPreorder())
    if (wants_copies(*l)) {
      llvm::addStringMetadataToLoop(l, "llvm.loop.unroll.count", kCopies);
      changed = true;
    }
  if (!changed) return llvm::PreservedAnalyses::all();
  llvm::PreservedAnalyses kept;  // metadata only: the CFG and every analysis stand
  kept.preserveSet<llvm::CFGAnalyses>();
  kept.preserve<llvm::LoopAnalysis>();
  return kept;
}

}  // namespace wnn::jit
