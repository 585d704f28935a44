// See float_loops.h.
#include "jit/float_loops.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Vectorize/LoopVectorize.h>

#include <vector>

namespace wnn::jit {

namespace {

using llvm::Instruction;
using llvm::Value;
namespace Intr = llvm::Intrinsic;

// ±0 and ±1 (scalar or splat): the operands LLVM's identity folds look for.
bool identity_constant(const Value* v) {
  const auto* c = llvm::dyn_cast<llvm::Constant>(v);
  if (!c) return false;
  if (c->getType()->isVectorTy()) c = c->getSplatValue();
  const auto* f = llvm::dyn_cast_or_null<llvm::ConstantFP>(c);
  return !f || f->isZero() || f->isExactlyValue(1.0) || f->isExactlyValue(-1.0);
}

// The plain form of a constrained operation the vectoriser handles, built
// before `c`; null to keep it constrained.
Value* relaxed(llvm::ConstrainedFPIntrinsic& c) {
  llvm::IRBuilder<> b(&c);
  Value* x = c.getArgOperand(0);
  auto binary = [&](llvm::Instruction::BinaryOps op) -> Value* {
    Value* y = c.getArgOperand(1);
    return identity_constant(x) || identity_constant(y) ? nullptr : b.CreateBinOp(op, x, y);
  };
  switch (c.getIntrinsicID()) {
    case Intr::experimental_constrained_fadd: return binary(Instruction::FAdd);
    case Intr::experimental_constrained_fsub: return binary(Instruction::FSub);
    case Intr::experimental_constrained_fmul: return binary(Instruction::FMul);
    case Intr::experimental_constrained_fdiv: return binary(Instruction::FDiv);
    case Intr::experimental_constrained_fcmp:
      return b.CreateFCmp(llvm::cast<llvm::ConstrainedFPCmpIntrinsic>(c).getPredicate(), x, c.getArgOperand(1));
    case Intr::experimental_constrained_fpext: return b.CreateFPExt(x, c.getType());
    case Intr::experimental_constrained_fptrunc: {
      const auto* from = llvm::dyn_cast<llvm::IntrinsicInst>(x);
      if (from && from->getIntrinsicID() == Intr::experimental_constrained_fpext) return nullptr;
      return b.CreateFPTrunc(x, c.getType());
    }
    case Intr::experimental_constrained_sitofp: return b.CreateSIToFP(x, c.getType());
    case Intr::experimental_constrained_uitofp: return b.CreateUIToFP(x, c.getType());
    case Intr::experimental_constrained_sqrt: return b.CreateUnaryIntrinsic(Intr::sqrt, x);
    default: return nullptr;
  }
}

// The constrained form of a plain float operation, built before `i`; null
// when `i` is none.
Value* constrained(Instruction& i) {
  llvm::IRBuilder<> b(&i);
  b.setIsFPConstrained(true);
  b.setDefaultConstrainedExcept(llvm::fp::ebStrict);
  b.setDefaultConstrainedRounding(llvm::RoundingMode::NearestTiesToEven);
  switch (i.getOpcode()) {
    case Instruction::FAdd: return b.CreateFAdd(i.getOperand(0), i.getOperand(1));
    case Instruction::FSub: return b.CreateFSub(i.getOperand(0), i.getOperand(1));
    case Instruction::FMul: return b.CreateFMul(i.getOperand(0), i.getOperand(1));
    case Instruction::FDiv: return b.CreateFDiv(i.getOperand(0), i.getOperand(1));
    case Instruction::FCmp:
      return b.CreateFCmp(llvm::cast<llvm::FCmpInst>(i).getPredicate(), i.getOperand(0), i.getOperand(1));
    case Instruction::FPExt: return b.CreateFPExt(i.getOperand(0), i.getType());
    case Instruction::FPTrunc: return b.CreateFPTrunc(i.getOperand(0), i.getType());
    case Instruction::SIToFP: return b.CreateSIToFP(i.getOperand(0), i.getType());
    case Instruction::UIToFP: return b.CreateUIToFP(i.getOperand(0), i.getType());
    default: break;
  }
  if (const auto* s = llvm::dyn_cast<llvm::IntrinsicInst>(&i); s && s->getIntrinsicID() == Intr::sqrt)
    return b.CreateConstrainedFPCall(
        Intr::getDeclaration(i.getModule(), Intr::experimental_constrained_sqrt, {i.getType()}), {i.getOperand(0)});
  return nullptr;
}

// Replaces each instruction `make` gives a value for; true if any.
template <class Make> bool rewrite(llvm::Function& f, Make make) {
  std::vector<std::pair<Instruction*, Value*>> done;
  for (Instruction& i : llvm::instructions(f))
    if (Value* v = make(i)) done.emplace_back(&i, v);
  for (auto [i, v] : done) {
    v->takeName(i);
    i->replaceAllUsesWith(v);
    i->eraseFromParent();
  }
  return !done.empty();
}

}  // namespace

llvm::PreservedAnalyses VectoriseFloatLoopsPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
  // Only where a loop computes with floats: elsewhere the pipeline's own
  // vectoriser does the same work later.
  const llvm::LoopInfo& li = fam.getResult<llvm::LoopAnalysis>(f);
  bool float_loop = false;
  for (Instruction& i : llvm::instructions(f))
    if (llvm::isa<llvm::ConstrainedFPIntrinsic>(i) && li.getLoopFor(i.getParent())) {
      float_loop = true;
      break;
    }
  if (!float_loop) return llvm::PreservedAnalyses::all();
  const bool relaxed_any = rewrite(f, [](Instruction& i) -> Value* {
    auto* c = llvm::dyn_cast<llvm::ConstrainedFPIntrinsic>(&i);
    return c ? relaxed(*c) : nullptr;
  });
  if (!relaxed_any) return llvm::PreservedAnalyses::all();
  fam.invalidate(f, llvm::PreservedAnalyses::none());
  fam.invalidate(f, llvm::LoopVectorizePass(llvm::LoopVectorizeOptions()).run(f, fam));
  rewrite(f, constrained);
  return llvm::PreservedAnalyses::none();
}

}  // namespace wnn::jit
