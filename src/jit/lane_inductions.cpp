// See lane_inductions.h.
#include "jit/lane_inductions.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SetVector.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/VectorUtils.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/Local.h>

#include <utility>
#include <vector>

namespace wnn::jit {

namespace {

using llvm::Instruction;
using llvm::Value;
namespace pm = llvm::PatternMatch;

// Operations whose every lane is the scalar operation on the operands' lanes
// (division is not among them: a scalar division may trap).
bool lane_wise(const Value* v) {
  const auto* bo = llvm::dyn_cast<llvm::BinaryOperator>(v);
  if (!bo || !bo->getType()->isIntOrIntVectorTy()) return false;
  switch (bo->getOpcode()) {
    case Instruction::Add:
    case Instruction::Sub:
    case Instruction::Mul:
    case Instruction::Shl:
    case Instruction::LShr:
    case Instruction::AShr:
    case Instruction::And:
    case Instruction::Or:
    case Instruction::Xor: return true;
    default: return false;
  }
}

// A vector induction variable: a phi of its loop's header, entered from
// outside the loop and advanced on its back-edge by a value fixed in the loop.
bool induction(const Value* v, llvm::LoopInfo& li) {
  const auto* phi = llvm::dyn_cast<llvm::PHINode>(v);
  if (!phi || !phi->getType()->isIntOrIntVectorTy() || !phi->getType()->isVectorTy()) return false;
  llvm::Loop* l = li.getLoopFor(phi->getParent());
  if (!l || l->getHeader() != phi->getParent() || phi->getNumIncomingValues() != 2) return false;
  const unsigned back = l->contains(phi->getIncomingBlock(0)) ? 0 : 1;
  if (!l->contains(phi->getIncomingBlock(back)) || l->contains(phi->getIncomingBlock(1 - back))) return false;
  Value* step = nullptr;
  return pm::match(phi->getIncomingValue(back), pm::m_c_Add(pm::m_Specific(phi), pm::m_Value(step))) &&
         l->isLoopInvariant(step);
}

// Whether v is computed from an induction variable by lane-wise operations.
bool from_induction(const Value* v, llvm::LoopInfo& li, unsigned depth = 0) {
  if (induction(v, li)) return true;
  if (depth == 6 || !lane_wise(v)) return false;
  const auto* bo = llvm::cast<llvm::BinaryOperator>(v);
  return from_induction(bo->getOperand(0), li, depth + 1) || from_induction(bo->getOperand(1), li, depth + 1);
}

class Scalariser {
 public:
  Scalariser(llvm::Function& f, llvm::LoopInfo& li) : function_(f), li_(li) {}

  // Lane k of v as a scalar, computed where v is.
  Value* lane(Value* v, unsigned k) {
    if (auto* c = llvm::dyn_cast<llvm::Constant>(v))
      if (llvm::Constant* e = c->getAggregateElement(k)) return e;
    if (Value* s = llvm::getSplatValue(v)) return s;
    if (auto it = memo_.find({v, k}); it != memo_.end()) return it->second;
    auto* elem = llvm::cast<llvm::VectorType>(v->getType())->getElementType();
    if (induction(v, li_)) {
      auto* phi = llvm::cast<llvm::PHINode>(v);
      llvm::PHINode* s = llvm::PHINode::Create(elem, 2, phi->getName() + ".lane", phi->getIterator());
      memo_[{v, k}] = s;  // before the operands: the latch's value uses s
      inductions_.insert(phi);
      for (unsigned i = 0; i < 2; ++i) s->addIncoming(lane(phi->getIncomingValue(i), k), phi->getIncomingBlock(i));
      return s;
    }
    Value* r;
    if (lane_wise(v)) {
      auto* bo = llvm::cast<llvm::BinaryOperator>(v);
      Value* x = lane(bo->getOperand(0), k);
      Value* y = lane(bo->getOperand(1), k);
      llvm::IRBuilder<> b(bo->getNextNode());
      r = b.CreateBinOp(bo->getOpcode(), x, y);
    } else {
      llvm::IRBuilder<> b(after_definition(v));
      r = b.CreateExtractElement(v, uint64_t(k));
    }
    memo_[{v, k}] = r;
    return r;
  }

  const llvm::SetVector<llvm::PHINode*>& inductions() const { return inductions_; }

 private:
  Instruction* after_definition(Value* v) const {
    auto* i = llvm::dyn_cast<Instruction>(v);
    if (!i) return &*function_.getEntryBlock().getFirstInsertionPt();  // an argument or a constant
    return llvm::isa<llvm::PHINode>(i) ? &*i->getParent()->getFirstInsertionPt() : i->getNextNode();
  }

  llvm::Function& function_;
  llvm::LoopInfo& li_;
  llvm::DenseMap<std::pair<Value*, unsigned>, Value*> memo_;
  llvm::SetVector<llvm::PHINode*> inductions_;
};

}  // namespace

llvm::PreservedAnalyses ScalariseLaneInductionsPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
  llvm::LoopInfo& li = fam.getResult<llvm::LoopAnalysis>(f);
  std::vector<llvm::ExtractElementInst*> extracts;
  for (llvm::BasicBlock& bb : f) {
    if (!li.getLoopFor(&bb)) continue;
    for (Instruction& i : bb) {
      auto* e = llvm::dyn_cast<llvm::ExtractElementInst>(&i);
      if (!e) continue;
      const auto* index = llvm::dyn_cast<llvm::ConstantInt>(e->getIndexOperand());
      const auto* type = llvm::cast<llvm::FixedVectorType>(e->getVectorOperandType());
      if (index && index->getZExtValue() < type->getNumElements() && from_induction(e->getVectorOperand(), li))
        extracts.push_back(e);
    }
  }
  if (extracts.empty()) return llvm::PreservedAnalyses::all();
  Scalariser s(f, li);
  std::vector<llvm::WeakTrackingVH> vectors;
  for (llvm::ExtractElementInst* e : extracts) {
    const auto k = unsigned(llvm::cast<llvm::ConstantInt>(e->getIndexOperand())->getZExtValue());
    e->replaceAllUsesWith(s.lane(e->getVectorOperand(), k));
    vectors.emplace_back(e->getVectorOperand());
    e->eraseFromParent();
  }
  // The vector computation, where nothing else uses it.
  for (llvm::WeakTrackingVH& v : vectors)
    if (v) llvm::RecursivelyDeleteTriviallyDeadInstructions(v);
  std::vector<llvm::WeakTrackingVH> phis(s.inductions().begin(), s.inductions().end());
  for (llvm::WeakTrackingVH& phi : phis)
    if (phi) llvm::RecursivelyDeleteDeadPHINode(llvm::cast<llvm::PHINode>(phi));
  llvm::PreservedAnalyses pa;
  pa.preserveSet<llvm::CFGAnalyses>();
  return pa;
}

}  // namespace wnn::jit
