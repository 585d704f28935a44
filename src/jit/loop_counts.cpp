// See loop_counts.h.
#include "jit/loop_counts.h"

#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/InstrTypes.h>

#include <utility>

namespace wnn::jit {

using llvm::BasicBlock;
using llvm::BranchInst;
using llvm::Loop;
using llvm::Value;

SteppedExit stepped_exit(Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt) {
  BasicBlock* latch = l->getLoopLatch();
  if (!latch) return {};
  llvm::SmallVector<BasicBlock*, 4> exiting;
  l->getExitingBlocks(exiting);
  for (BasicBlock* e : exiting) {
    auto* br = llvm::dyn_cast<BranchInst>(e->getTerminator());
    if (!br || !br->isConditional() || !dt.dominates(e, latch)) continue;
    auto* cmp = llvm::dyn_cast<llvm::ICmpInst>(br->getCondition());
    const bool leaves_on_true = !l->contains(br->getSuccessor(0));
    if (!cmp || !cmp->isEquality() || leaves_on_true == !l->contains(br->getSuccessor(1))) continue;
    if (leaves_on_true != (cmp->getPredicate() == llvm::ICmpInst::ICMP_EQ)) continue;  // leaves when equal
    const llvm::SCEV* iv = se.getSCEV(cmp->getOperand(0));
    const llvm::SCEV* bound = se.getSCEV(cmp->getOperand(1));
    if (!llvm::isa<llvm::SCEVAddRecExpr>(iv)) std::swap(iv, bound);
    auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(iv);
    // Integers only: a pointer recurrence (the frame slot of a tail call made
    // a loop, against Thread::frames_end) has no distance to a foreign base.
    if (!rec || !rec->getType()->isIntegerTy() || rec->getLoop() != l || !rec->isAffine() ||
        !se.isLoopInvariant(bound, l))
      continue;
    auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(se));
    if (!step || step->getAPInt().getBitWidth() > 64) continue;
    const bool up = !step->getAPInt().isNegative();
    const llvm::APInt size = up ? step->getAPInt() : -step->getAPInt();
    if (!size.isPowerOf2()) continue;
    const llvm::SCEV* distance = up ? se.getMinusSCEV(bound, rec->getStart()) : se.getMinusSCEV(rec->getStart(), bound);
    if (llvm::isa<llvm::SCEVCouldNotCompute>(distance) || distance->getType() != rec->getType()) continue;
    return {se.getUDivExpr(distance, se.getConstant(size)), distance, size.getZExtValue() - 1, cmp};
  }
  return {};
}

void count_exit_by_iterations(Loop* copy, llvm::ICmpInst* test, Value* n) {
  BasicBlock* latch = copy->getLoopLatch();
  BasicBlock* pre = copy->getLoopPreheader();
  llvm::Type* i64 = n->getType();
  auto* k = llvm::PHINode::Create(i64, 2, "iteration", copy->getHeader()->begin());
  k->addIncoming(llvm::ConstantInt::get(i64, 0), pre);
  k->addIncoming(
      llvm::BinaryOperator::CreateNUWAdd(k, llvm::ConstantInt::get(i64, 1), "iteration.next", latch->getTerminator()),
      latch);
  // The exit's branch: the new test is true exactly when the old one was.
  bool leaves_on_true = false;
  for (llvm::User* u : test->users())
    if (auto* br = llvm::dyn_cast<BranchInst>(u); br && br->isConditional() && copy->contains(br))
      leaves_on_true = !copy->contains(br->getSuccessor(0));
  const auto p = leaves_on_true ? llvm::CmpInst::ICMP_EQ : llvm::CmpInst::ICMP_NE;
  test->replaceAllUsesWith(new llvm::ICmpInst(test, p, k, n, "counted"));
  test->eraseFromParent();
}

}  // namespace wnn::jit
