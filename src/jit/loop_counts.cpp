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

namespace {

// An exit test of l evaluated in every iteration: its comparison, and whether
// the loop leaves when it is true.
struct ExitTest {
  llvm::ICmpInst* cmp;
  bool leaves_on_true;
};

llvm::SmallVector<ExitTest, 4> exit_tests(Loop* l, llvm::DominatorTree& dt) {
  llvm::SmallVector<ExitTest, 4> tests;
  BasicBlock* latch = l->getLoopLatch();
  if (!latch) return tests;
  llvm::SmallVector<BasicBlock*, 4> exiting;
  l->getExitingBlocks(exiting);
  for (BasicBlock* e : exiting) {
    auto* br = llvm::dyn_cast<BranchInst>(e->getTerminator());
    if (!br || !br->isConditional() || !dt.dominates(e, latch)) continue;
    auto* cmp = llvm::dyn_cast<llvm::ICmpInst>(br->getCondition());
    const bool leaves_on_true = !l->contains(br->getSuccessor(0));
    if (cmp && leaves_on_true != !l->contains(br->getSuccessor(1))) tests.push_back({cmp, leaves_on_true});
  }
  return tests;
}

// An affine integer recurrence of l with a constant step (a pointer one: the
// frame slot of a tail call made a loop, against Thread::frames_end, has no
// distance to a foreign base).
const llvm::SCEVAddRecExpr* stepping(const llvm::SCEV* v, Loop* l) {
  auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(v);
  if (!rec || !rec->getType()->isIntegerTy() || rec->getLoop() != l || !rec->isAffine()) return nullptr;
  return llvm::isa<llvm::SCEVConstant>(rec->getOperand(1)) ? rec : nullptr;
}

}  // namespace

CountedExit stepped_exit(Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt) {
  for (const ExitTest& e : exit_tests(l, dt)) {
    if (!e.cmp->isEquality() || e.leaves_on_true != (e.cmp->getPredicate() == llvm::ICmpInst::ICMP_EQ)) continue;
    const llvm::SCEV* iv = se.getSCEV(e.cmp->getOperand(0));
    const llvm::SCEV* bound = se.getSCEV(e.cmp->getOperand(1));
    if (!stepping(iv, l)) std::swap(iv, bound);
    const llvm::SCEVAddRecExpr* rec = stepping(iv, l);
    if (!rec || !se.isLoopInvariant(bound, l)) continue;
    const llvm::APInt& step = llvm::cast<llvm::SCEVConstant>(rec->getOperand(1))->getAPInt();
    if (step.getBitWidth() > 64) continue;
    const bool up = !step.isNegative();
    const llvm::APInt size = up ? step : -step;
    if (!size.isPowerOf2()) continue;
    const llvm::SCEV* distance = up ? se.getMinusSCEV(bound, rec->getStart()) : se.getMinusSCEV(rec->getStart(), bound);
    if (llvm::isa<llvm::SCEVCouldNotCompute>(distance) || distance->getType() != rec->getType()) continue;
    return {se.getUDivExpr(distance, se.getConstant(size)), distance, size.getZExtValue() - 1, e.cmp};
  }
  return {};
}

CountedExit threshold_exit(Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt) {
  for (const ExitTest& e : exit_tests(l, dt)) {
    if (!e.cmp->isUnsigned()) continue;
    // As `rec stays bound`: the loop goes on while it holds.
    llvm::CmpInst::Predicate stays = e.leaves_on_true ? e.cmp->getInversePredicate() : e.cmp->getPredicate();
    const llvm::SCEV* iv = se.getSCEV(e.cmp->getOperand(0));
    const llvm::SCEV* bound = se.getSCEV(e.cmp->getOperand(1));
    if (!stepping(iv, l)) {
      std::swap(iv, bound);
      stays = llvm::CmpInst::getSwappedPredicate(stays);
    }
    const llvm::SCEVAddRecExpr* rec = stepping(iv, l);
    auto* limit = llvm::dyn_cast<llvm::SCEVConstant>(bound);
    if (!rec || !limit || rec->getType()->getIntegerBitWidth() > 64) continue;
    const llvm::APInt& step = llvm::cast<llvm::SCEVConstant>(rec->getOperand(1))->getAPInt();
    // Goes on while rec > t (rec >= t + 1 is the same with t = limit - 1).
    const uint64_t b = limit->getAPInt().getZExtValue();
    uint64_t t;
    if (stays == llvm::CmpInst::ICMP_UGT)
      t = b;
    else if (stays == llvm::CmpInst::ICMP_UGE && b > 0)
      t = b - 1;
    else
      continue;
    if (!step.isNegative() || step.isMinSignedValue()) continue;
    const uint64_t c = (-step).getZExtValue();
    const bool may_wrap = t + 1 < c;  // a trip above t may wrap below 0
    if (may_wrap && rec->getType()->getIntegerBitWidth() > 32) continue;
    llvm::Type* i64 = llvm::Type::getInt64Ty(l->getHeader()->getContext());
    const llvm::SCEV* start = se.getNoopOrZeroExtend(rec->getStart(), i64);
    const llvm::SCEV* above = se.getMinusSCEV(se.getUMaxExpr(start, se.getConstant(i64, t)), se.getConstant(i64, t));
    // No overflow: above + c - 1 <= 2^64 - 1 - t + c - 1 when t >= c - 1, and
    // an i32 start is below 2^32.
    const llvm::SCEV* count = se.getUDivExpr(se.getAddExpr(above, se.getConstant(i64, c - 1)), se.getConstant(i64, c));
    const llvm::SCEV* last = may_wrap ? se.getMinusSCEV(start, se.getMulExpr(count, se.getConstant(i64, c))) : nullptr;
    return {count, nullptr, 0, e.cmp, last};
  }
  return {};
}

CountedExit rising_exit(Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt) {
  // An i32 {S,+,D} with D fixed in the loop, read as unsigned.
  auto rising = [&](const llvm::SCEV* v) -> const llvm::SCEVAddRecExpr* {
    const auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(v);
    if (!rec || rec->getLoop() != l || !rec->isAffine() || !rec->getType()->isIntegerTy(32)) return nullptr;
    return se.isLoopInvariant(rec->getOperand(1), l) ? rec : nullptr;
  };
  for (const ExitTest& e : exit_tests(l, dt)) {
    if (!e.cmp->isUnsigned()) continue;
    llvm::CmpInst::Predicate stays = e.leaves_on_true ? e.cmp->getInversePredicate() : e.cmp->getPredicate();
    const llvm::SCEV* iv = se.getSCEV(e.cmp->getOperand(0));
    const llvm::SCEV* bound = se.getSCEV(e.cmp->getOperand(1));
    if (!rising(iv)) {
      std::swap(iv, bound);
      stays = llvm::CmpInst::getSwappedPredicate(stays);
    }
    const llvm::SCEVAddRecExpr* rec = rising(iv);
    if (!rec || !se.isLoopInvariant(bound, l) || bound->getType() != rec->getType()) continue;
    if (stays != llvm::CmpInst::ICMP_ULE && stays != llvm::CmpInst::ICMP_ULT) continue;
    llvm::Type* i64 = llvm::Type::getInt64Ty(l->getHeader()->getContext());
    const llvm::SCEV* start = se.getZeroExtendExpr(rec->getStart(), i64);
    const llvm::SCEV* d = se.getZeroExtendExpr(rec->getOperand(1), i64);
    // Goes on while rec <= t (rec < b is rec <= b - 1; t = -1 when b = 0:
    // never, and the count below is 0).
    const llvm::SCEV* t = se.getZeroExtendExpr(bound, i64);
    if (stays == llvm::CmpInst::ICMP_ULT) t = se.getMinusSCEV(t, se.getOne(i64));
    // Leaves in the first iteration with S + k * D > t: (t + D - S) / D when
    // S <= t, else 0 (both are the formula's), all in i64 without overflow.
    const llvm::SCEV* reach = se.getAddExpr(t, d);
    const llvm::SCEV* count =
        se.getUDivExpr(se.getMinusSCEV(se.getUMaxExpr(reach, start), start), se.getUMaxExpr(d, se.getOne(i64)));
    // Holds when no value tested wraps (the greatest is at most t + D, which
    // must stay below 2^32) and D is not 0.
    const llvm::SCEV* last =
        se.getSMinExpr(se.getMinusSCEV(se.getConstant(i64, 0xFFFFFFFFu), reach), se.getMinusSCEV(d, se.getOne(i64)));
    return {count, nullptr, 0, e.cmp, last};
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
