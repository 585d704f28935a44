// See charged_loops.h. The charge a loop back-edge makes (FunctionCompiler::
// charge) reaches this pass as
//   %left = add i64 %budget, -K         ; %budget: a phi of the loop header
//   br (icmp slt %left, 0), %refill, %cont
// with %refill calling kRtRefillBudget (kRtRefillBudgetAtLoop in a Quick loop
// entry: the same refill, which may also say "switch to the Full entry", a
// path that leaves the loop). A loop qualifies when it is innermost,
// every such site in it charges the header's budget phi, it calls nothing but
// the refill (no stubs or Wasm calls: they take and return the budget), and
// its back-edges are bounded by a count N computable before it: by
// ScalarEvolution, by an `iv != bound` exit when a check before it shows it
// exits, an unsigned `n -= C` while `n > T`, or `j += D` while `j <= n`
// (loop_counts.h), or by an access to memory that every iteration makes
// (memory_trip_bound).
// Each block of an innermost loop runs at most once per iteration, so the
// loop charges at most (N + 1) * sum(K) in total; when the budget at entry is
// at least that, every `%left` stays >= 0 and the checks are dead.
#include "jit/charged_loops.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "exec/thread.h"
#include "jit/fault_free_loops.h"
#include "jit/function_compiler.h"
#include "jit/loop_counts.h"
#include "jit/object_format.h"

namespace wnn::jit {

namespace {

using llvm::BasicBlock;
using llvm::BranchInst;
using llvm::Loop;
using llvm::Value;
namespace pm = llvm::PatternMatch;

// Loops larger than this are not copied: compile time grows with the copy,
// and a long body makes the per-iteration check comparatively cheap.
constexpr size_t kMaxLoopInstructions = 600;
// Bounds that keep (N + 1) * sum(K) below 2^62: no overflow in the check.
constexpr uint64_t kMaxTrips = uint64_t(1) << 31;
constexpr uint64_t kMaxCharge = uint64_t(1) << 30;

struct ChargeSite {
  BranchInst* branch;
  unsigned refill;  // the successor index of the refill block
};

struct Candidate {
  Loop* loop;
  llvm::PHINode* budget;
  std::vector<ChargeSite> sites;
  uint64_t charge;      // sum of the sites' K
  Value* thread;        // the Thread* the refills get
};

bool is_refill(const llvm::Function& f) {
  return f.getName() == kRtRefillBudget || f.getName() == kRtRefillBudgetAtLoop;
}

llvm::CallBase* refill_call(BasicBlock* bb) {
  for (llvm::Instruction& i : *bb)
    if (auto* call = llvm::dyn_cast<llvm::CallBase>(&i))
      if (const llvm::Function* f = call->getCalledFunction(); f && is_refill(*f)) return call;
  return nullptr;
}

// The charge `br` makes (K), when it is `budget - K < 0 ? refill : go on`
// with `budget` the header phi; 0 if it is not such a site.
uint64_t site_charge(const BranchInst* br, unsigned refill, llvm::PHINode*& budget) {
  Value* left = nullptr;
  llvm::CmpInst::Predicate pred;
  const llvm::APInt* c = nullptr;
  if (!pm::match(br->getCondition(), pm::m_ICmp(pred, pm::m_Value(left), pm::m_APInt(c)))) return 0;
  // Refill taken exactly when left < 0.
  const bool lt0 = pred == llvm::CmpInst::ICMP_SLT && c->isZero() && refill == 0;
  const bool ge0 = pred == llvm::CmpInst::ICMP_SGT && c->isAllOnes() && refill == 1;
  if (!lt0 && !ge0) return 0;
  Value* from = nullptr;
  const llvm::APInt* k = nullptr;
  int64_t charge = 0;
  if (pm::match(left, pm::m_Add(pm::m_Value(from), pm::m_APInt(k))) && k->isNegative()) {
    charge = -k->getSExtValue();
  } else if (pm::match(left, pm::m_Sub(pm::m_Value(from), pm::m_APInt(k))) && k->isStrictlyPositive()) {
    charge = k->getSExtValue();
  } else {
    return 0;
  }
  auto* phi = llvm::dyn_cast<llvm::PHINode>(from);
  if (!phi || !phi->getType()->isIntegerTy(64) || charge <= 0 || uint64_t(charge) > kMaxCharge) return 0;
  if (budget && budget != phi) return 0;
  budget = phi;
  return uint64_t(charge);
}

// Whether innermost loop `l` qualifies; fills c's budget, sites and charge.
bool find_sites(Loop* l, Candidate& c) {
  size_t size = 0;
  for (BasicBlock* bb : l->blocks()) {
    size += bb->size();
    for (llvm::Instruction& i : *bb) {
      auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
      if (!call || llvm::isa<llvm::IntrinsicInst>(call)) continue;
      const llvm::Function* f = call->getCalledFunction();
      if (!f || !is_refill(*f)) return false;
    }
    auto* br = llvm::dyn_cast<BranchInst>(bb->getTerminator());
    if (!br || !br->isConditional()) continue;
    for (unsigned s = 0; s < 2; ++s) {
      BasicBlock* succ = br->getSuccessor(s);
      llvm::CallBase* refill = l->contains(succ) ? refill_call(succ) : nullptr;
      if (!refill) continue;
      c.thread = refill->getArgOperand(0);
      const uint64_t k = site_charge(br, s, c.budget);
      if (k == 0) return false;  // a refill behind a branch we do not understand
      c.sites.push_back({br, s});
      c.charge += k;
      if (c.charge > kMaxCharge) return false;
    }
  }
  return !c.sites.empty() && size <= kMaxLoopInstructions && c.budget->getParent() == l->getHeader();
}

// Wasm loops as compilers emit them test their exit before the back-edge's
// increments (`br_if $exit ...; i += 1; br $loop`): the latch, which held the
// charge, does not exit, so LLVM's unroller and vectoriser skip the loop and
// LoopRotate folds only one increment into the exiting block. The copy's
// latch, now a chain of side-effect-free blocks, is folded into the exiting
// block before it (its instructions speculated: they only feed the next
// iteration).
void exit_at_latch(Loop* l, llvm::LoopInfo& li) {
  BasicBlock* latch = l->getLoopLatch();
  while (latch && latch->getSinglePredecessor() && latch->getSinglePredecessor()->getUniqueSuccessor() == latch &&
         l->contains(latch->getSinglePredecessor()) && latch->getSinglePredecessor() != l->getHeader()) {
    BasicBlock* pred = latch->getSinglePredecessor();
    if (!llvm::MergeBlockIntoPredecessor(latch, nullptr, &li)) return;
    latch = pred;
  }
  if (!latch) return;
  BasicBlock* exiting = latch->getSinglePredecessor();
  auto* jump = llvm::dyn_cast<BranchInst>(latch->getTerminator());
  if (!exiting || !jump || !jump->isUnconditional() || !l->isLoopExiting(exiting) || l->isLoopExiting(latch)) return;
  for (llvm::Instruction& i : *latch) {
    if (&i == jump) break;
    if (llvm::isa<llvm::PHINode>(i) || i.mayReadOrWriteMemory() || !llvm::isSafeToSpeculativelyExecute(&i)) return;
  }
  llvm::MergeBlockIntoPredecessor(latch, nullptr, &li, nullptr, nullptr, /*PredecessorWithTwoSuccessors=*/true);
}

// A 32-bit value of the loop that ScalarEvolution sees as {start,+,step}:
// Wasm addresses are i32 and each access zero-extends its own (i32 arithmetic
// wraps), so LLVM keeps a 32-bit register and an extension per access. In the
// copy, when the preheader shows start + step * N stays within [0, 2^32), the
// extension is a 64-bit induction variable, which LLVM folds into addressing.
struct WideIv {
  llvm::Instruction* zext;  // in the original loop: a zext, or an `and` with 2^32 - 1
  Value* start;          // zext(start), in the preheader
  int64_t step;
};
constexpr size_t kMaxWideIvs = 16;

// Finds l's widenable extensions; returns the preheader condition under
// which all of them are exact (true when there are none).
Value* find_wide_ivs(Loop* l, llvm::ScalarEvolution& se, llvm::SCEVExpander& expander, llvm::IRBuilder<>& b, Value* n,
                     std::vector<WideIv>& wide) {
  llvm::Instruction* at = l->getLoopPreheader()->getTerminator();
  Value* ok = b.getTrue();
  for (BasicBlock* bb : l->blocks()) {
    for (llvm::Instruction& i : *bb) {
      if (!i.getType()->isIntegerTy(64) || !se.isSCEVable(i.getType())) continue;
      // zext i32 -> i64, or what InstCombine made of one after IndVars widened the IV
      const auto* ext = llvm::dyn_cast<llvm::SCEVZeroExtendExpr>(se.getSCEV(&i));
      if (!ext || !ext->getOperand()->getType()->isIntegerTy(32)) continue;
      const auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(ext->getOperand());
      if (!rec || rec->getLoop() != l || !rec->isAffine()) continue;
      const auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(se));
      if (!step || step->getAPInt().isZero() || !expander.isSafeToExpandAt(rec->getStart(), at)) continue;
      const int64_t s = step->getAPInt().getSExtValue();
      Value* start = b.CreateZExt(expander.expandCodeFor(rec->getStart(), b.getInt32Ty(), at), b.getInt64Ty());
      // |step| <= 2^31 and n < 2^31 (checked with it): no 64-bit overflow.
      Value* last = b.CreateAdd(start, b.CreateMul(n, b.getInt64(uint64_t(s))));
      ok = b.CreateAnd(ok,
                       s > 0 ? b.CreateICmpULE(last, b.getInt64(0xFFFFFFFFu)) : b.CreateICmpSGE(last, b.getInt64(0)));
      wide.push_back({&i, start, s});
      if (wide.size() == kMaxWideIvs) return ok;
    }
  }
  return ok;
}

// An access to linear memory that every iteration of l makes: a volatile
// load or store in a block dominating the latch, at mem + off + A with A an
// affine recurrence of l with a constant step (the zero extension of an i32
// one, or an i64 one).
struct SteppedAccess {
  const llvm::SCEV* start;  // A's start, i64
  uint64_t offset;
  int64_t step;
};

std::optional<SteppedAccess> stepped_access(Loop* l, llvm::DominatorTree& dt, llvm::ScalarEvolution& se,
                                            llvm::SCEVExpander& expander, Value* mem) {
  BasicBlock* latch = l->getLoopLatch();
  llvm::Instruction* at = l->getLoopPreheader()->getTerminator();
  const llvm::SCEV* base = se.getSCEV(mem);
  for (BasicBlock* bb : l->blocks()) {
    if (!dt.dominates(bb, latch)) continue;
    for (llvm::Instruction& i : *bb) {
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&i);
      auto* store = llvm::dyn_cast<llvm::StoreInst>(&i);
      if (!(load && load->isVolatile()) && !(store && store->isVolatile())) continue;
      Value* ptr = load ? load->getPointerOperand() : store->getPointerOperand();
      if (se.getPointerBase(se.getSCEV(ptr)) != base) continue;
      const auto [offset, rel] = split_address(se, ptr, base);
      const llvm::SCEV* start = nullptr;
      const llvm::SCEVAddRecExpr* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(rel);
      if (const auto* ext = llvm::dyn_cast<llvm::SCEVZeroExtendExpr>(rel)) {
        rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(ext->getOperand());
        if (!rec || !rec->getType()->isIntegerTy(32)) continue;
        start = se.getZeroExtendExpr(rec->getStart(), rel->getType());
      } else if (rec && rec->getType()->isIntegerTy(64) && rec->hasNoUnsignedWrap()) {
        start = rec->getStart();
      } else {
        continue;
      }
      if (rec->getLoop() != l || !rec->isAffine()) continue;
      const auto* step = llvm::dyn_cast<llvm::SCEVConstant>(rec->getStepRecurrence(se));
      if (!step || step->getAPInt().isZero() || step->getAPInt().getSignificantBits() > 32) continue;
      if (!expander.isSafeToExpandAt(start, at)) continue;
      return SteppedAccess{start, offset, step->getAPInt().getSExtValue()};
    }
  }
  return std::nullopt;
}

// Whether an exit of l compares one of its affine recurrences with a value
// fixed in the loop (`n -= 32` while `n >= 32`, which ScalarEvolution cannot
// count for fear of wrapping): a loop that steps towards a limit, likely to
// run long, unlike a search whose exit tests loaded data (`while (a[i] <
// pivot) ++i`), which mostly stops after a few trips, too few to repay the
// bound's computation at each entry.
bool exits_on_a_recurrence(Loop* l, llvm::ScalarEvolution& se) {
  llvm::SmallVector<BasicBlock*, 4> exiting;
  l->getExitingBlocks(exiting);
  for (BasicBlock* bb : exiting) {
    auto* br = llvm::dyn_cast<BranchInst>(bb->getTerminator());
    auto* cmp = br && br->isConditional() ? llvm::dyn_cast<llvm::ICmpInst>(br->getCondition()) : nullptr;
    if (!cmp || !se.isSCEVable(cmp->getOperand(0)->getType())) continue;
    const llvm::SCEV* x = se.getSCEV(cmp->getOperand(0));
    const llvm::SCEV* y = se.getSCEV(cmp->getOperand(1));
    auto stepping = [&](const llvm::SCEV* v) {
      const auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(v);
      return rec && rec->getLoop() == l && rec->isAffine();
    };
    if ((stepping(x) && se.isLoopInvariant(y, l)) || (stepping(y) && se.isLoopInvariant(x, l))) return true;
  }
  return false;
}

// A bound on l's back-edges when ScalarEvolution has none (an exit that
// depends on data: `while (a[i] < pivot) ++i`), from an access every
// iteration makes: each address in [Thread::mem_size, 8 GiB) faults (the
// memory's guard reservation), and an address leaves [0, mem_size) before
// its i32 can wrap when |step| <= 2^32 - mem_size (checked; otherwise the
// bound is kMaxTrips: no copy). Rising: ceil((mem_size - first) / step)
// back-edges at most; falling: start / |step| + 1 (the next trip wraps and
// faults).
Value* memory_trip_bound(Loop* l, const SteppedAccess& a, llvm::SCEVExpander& expander, llvm::IRBuilder<>& b,
                         Value* thread) {
  llvm::Instruction* at = l->getLoopPreheader()->getTerminator();
  Value* start = expander.expandCodeFor(a.start, b.getInt64Ty(), at);
  Value* size =
      b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt8Ty(), thread, offsetof(exec::Thread, mem_size)));
  const uint64_t step = uint64_t(a.step > 0 ? a.step : -a.step);
  Value* n;
  if (a.step > 0) {
    Value* first = b.CreateAdd(start, b.getInt64(a.offset));
    Value* left = b.CreateSub(size, b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, first, size));
    n = b.CreateUDiv(b.CreateAdd(left, b.getInt64(step - 1)), b.getInt64(step));
  } else {
    n = b.CreateAdd(b.CreateUDiv(start, b.getInt64(step)), b.getInt64(1));
  }
  Value* no_wrap = b.CreateICmpULE(size, b.getInt64((uint64_t(1) << 32) - step));
  return b.CreateSelect(no_wrap, n, b.getInt64(kMaxTrips));
}

// The stores of the budget that each iteration makes for a fault
// (frame_push.cpp), in a copy whose accesses cannot fault.
void drop_budget_stores(Loop* copy, Value* thread) {
  std::vector<llvm::Instruction*> dead;
  for (BasicBlock* bb : copy->blocks())
    for (llvm::Instruction& i : *bb)
      if (stores_budget(i, thread)) dead.push_back(&i);
  for (llvm::Instruction* i : dead) i->eraseFromParent();
}

// Copies c.loop; the copy, without the sites' checks, runs when the budget
// entering the loop covers (N + 1) * charge. False if N is not computable.
bool version(Candidate& c, llvm::Function& f, llvm::DominatorTree& dt, llvm::LoopInfo& li, llvm::ScalarEvolution& se,
             bool plain_accesses) {
  Loop* l = c.loop;
  BasicBlock* pre = l->getLoopPreheader();
  llvm::SCEVExpander expander(se, f.getParent()->getDataLayout(), "wnn.trips");
  const llvm::SCEV* max_back = se.getSymbolicMaxBackedgeTakenCount(l);
  CountedExit exit_count;
  // Also when ScalarEvolution has only a bound: the vectoriser needs an exact count.
  if (llvm::isa<llvm::SCEVCouldNotCompute>(se.getBackedgeTakenCount(l)) &&
      ((exit_count = stepped_exit(l, se, dt)).count || (exit_count = threshold_exit(l, se, dt)).count ||
       (exit_count = rising_exit(l, se, dt)).count))
    max_back = exit_count.count;
  const bool counted = !llvm::isa<llvm::SCEVCouldNotCompute>(max_back) &&
                       max_back->getType()->getIntegerBitWidth() <= 64 &&
                       expander.isSafeToExpandAt(max_back, pre->getTerminator()) &&
                       (!exit_count.distance || expander.isSafeToExpandAt(exit_count.distance, pre->getTerminator())) &&
                       (!exit_count.last || expander.isSafeToExpandAt(exit_count.last, pre->getTerminator()));
  if (!counted) exit_count = {};
  // Argument 1 of a compiled function or loop entry is the memory's base.
  Value* mem = f.arg_size() > 1 && f.getArg(1)->getType()->isPointerTy() ? f.getArg(1) : nullptr;
  std::optional<SteppedAccess> access;
  if (!counted && (!mem || !exits_on_a_recurrence(l, se) || !(access = stepped_access(l, dt, se, expander, mem))))
    return false;
  llvm::formLCSSA(*l, dt, &li, &se);  // values leave the loop through exit phis, which the copy extends

  llvm::IRBuilder<> b(pre->getTerminator());
  Value* n = counted ? expander.expandCodeFor(max_back, max_back->getType(), pre->getTerminator())
                     : memory_trip_bound(l, *access, expander, b, c.thread);
  n = b.CreateFreeze(b.CreateZExt(n, b.getInt64Ty()));
  Value* entry = c.budget->getIncomingValueForBlock(pre);
  Value* need = b.CreateMul(b.CreateAdd(n, b.getInt64(1)), b.getInt64(c.charge));
  std::vector<WideIv> wide;
  Value* bounded = b.CreateAnd(b.CreateICmpULT(n, b.getInt64(kMaxTrips)), find_wide_ivs(l, se, expander, b, n, wide));
  // A counted copy makes its accesses plain (fault_free_loops.h) and runs
  // only when none can fault and the storing ones do not overlap the others;
  // otherwise the charged loop runs (rare: it faults, or a memmove overlaps).
  FaultFreeAccesses plain;
  if (counted && mem && plain_accesses) plain = fault_free_accesses(l, se, expander, b, n, c.thread, mem);
  if (plain.condition) bounded = b.CreateAnd(bounded, plain.condition);
  if (exit_count.distance) {  // the count holds only when the step divides the distance
    Value* d = expander.expandCodeFor(exit_count.distance, exit_count.distance->getType(), pre->getTerminator());
    Value* rest = b.CreateAnd(d, llvm::ConstantInt::get(d->getType(), exit_count.mask));
    bounded = b.CreateAnd(bounded, b.CreateICmpEQ(rest, llvm::ConstantInt::get(d->getType(), 0)));
  }
  if (exit_count.last)  // the count holds when the exit's test sees no wrapped value
    bounded = b.CreateAnd(
        bounded,
        b.CreateICmpSGE(expander.expandCodeFor(exit_count.last, b.getInt64Ty(), pre->getTerminator()), b.getInt64(0)));
  Value* covered = b.CreateAnd(bounded, b.CreateICmpSGE(entry, need));

  // pre -> covered ? copy : reserve -> (covered now ? copy : charged loop)
  BasicBlock* charged_pre = llvm::SplitBlock(pre, pre->getTerminator(), &dt, &li, nullptr, "charged");
  BasicBlock* reserve = llvm::SplitBlock(pre, pre->getTerminator(), &dt, &li, nullptr, "reserve");
  llvm::ValueToValueMapTy map;
  llvm::SmallVector<BasicBlock*, 16> blocks;
  Loop* copy = llvm::cloneLoopWithPreheader(charged_pre, pre, l, map, ".covered", &li, &dt, blocks);
  llvm::remapInstructionsInBlocks(blocks, map);
  BasicBlock* copy_pre = copy->getLoopPreheader();
  pre->getTerminator()->eraseFromParent();
  BranchInst::Create(copy_pre, reserve, covered, pre);

  // The reserve: Thread::budget is `entry` here; reserve_budget may raise it
  // (from the fuel, or up to kMaxReserve without) so that the copy runs.
  b.SetInsertPoint(reserve->getTerminator());
  llvm::Type* ptr = b.getPtrTy();
  Value* at = b.CreateConstGEP1_64(b.getInt8Ty(), c.thread, offsetof(exec::Thread, budget));
  b.CreateStore(entry, at);
  llvm::FunctionCallee fn = f.getParent()->getOrInsertFunction(
      kRtReserveBudget, llvm::FunctionType::get(b.getVoidTy(), {ptr, b.getInt64Ty()}, false));
  b.CreateCall(fn, {c.thread, b.CreateSelect(bounded, need, b.getInt64(INT64_MAX))});
  Value* reserved = b.CreateLoad(b.getInt64Ty(), at);
  Value* covered_now = b.CreateAnd(bounded, b.CreateICmpSGE(reserved, need));
  reserve->getTerminator()->eraseFromParent();
  BranchInst::Create(copy_pre, charged_pre, covered_now, reserve);
  llvm::PHINode* copy_entry = llvm::PHINode::Create(b.getInt64Ty(), 2, "budget", copy_pre->begin());
  copy_entry->addIncoming(entry, pre);
  copy_entry->addIncoming(reserved, reserve);
  llvm::cast<llvm::PHINode>(map[c.budget])->setIncomingValueForBlock(copy_pre, copy_entry);
  c.budget->setIncomingValueForBlock(charged_pre, reserved);

  // The exits (shared by both copies; LCSSA: values leave through their phis).
  llvm::SmallVector<BasicBlock*, 8> exits;
  l->getUniqueExitBlocks(exits);
  for (BasicBlock* exit : exits) {
    for (llvm::PHINode& phi : exit->phis()) {
      const unsigned incoming = phi.getNumIncomingValues();
      for (unsigned i = 0; i < incoming; ++i) {
        BasicBlock* from = phi.getIncomingBlock(i);
        if (!l->contains(from)) continue;
        Value* v = phi.getIncomingValue(i);
        Value* mapped = map.lookup(v);
        phi.addIncoming(mapped ? mapped : v, llvm::cast<BasicBlock>(map[from]));
      }
    }
  }

  // The copy's checks always go on.
  for (const ChargeSite& s : c.sites) {
    auto* br = llvm::cast<BranchInst>(map[s.branch]);
    BasicBlock* at = br->getParent();
    BasicBlock* refill = br->getSuccessor(s.refill);
    BasicBlock* go_on = br->getSuccessor(1 - s.refill);
    refill->removePredecessor(at);
    br->eraseFromParent();
    BranchInst::Create(go_on, at);
    if (llvm::pred_empty(refill)) {
      li.removeBlock(refill);
      llvm::DeleteDeadBlock(refill);
    }
  }
  if (exit_count.count) count_exit_by_iterations(copy, llvm::cast<llvm::ICmpInst>(map[exit_count.test]), n);
  exit_at_latch(copy, li);
  if (plain.condition) {
    make_plain(plain, map, copy, mem);
    drop_budget_stores(copy, c.thread);
  }
  BasicBlock* latch = copy->getLoopLatch();
  for (const WideIv& w : wide) {
    auto* iv = llvm::PHINode::Create(b.getInt64Ty(), 2, "wide", copy->getHeader()->begin());
    iv->addIncoming(w.start, copy_pre);
    iv->addIncoming(
        llvm::BinaryOperator::CreateAdd(iv, b.getInt64(uint64_t(w.step)), "wide.next", latch->getTerminator()), latch);
    auto* z = llvm::cast<llvm::Instruction>(map[w.zext]);
    z->replaceAllUsesWith(iv);
    z->eraseFromParent();
  }
  dt.recalculate(f);
  se.forgetLoop(l);
  return true;
}

}  // namespace

llvm::PreservedAnalyses VersionChargedLoopsPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
  auto& li = fam.getResult<llvm::LoopAnalysis>(f);
  auto& dt = fam.getResult<llvm::DominatorTreeAnalysis>(f);
  auto& se = fam.getResult<llvm::ScalarEvolutionAnalysis>(f);
  std::vector<Loop*> innermost;
  for (Loop* l : li.getLoopsInPreorder())
    if (l->isInnermost()) innermost.push_back(l);
  bool changed = false;
  for (Loop* l : innermost) {
    // A preheader and dedicated exits first (the copy's entry and shared exits).
    changed |= llvm::simplifyLoop(l, &dt, &li, &se, nullptr, nullptr, false);
    Candidate c{l, nullptr, {}, 0, nullptr};
    if (!l->isLoopSimplifyForm() || !find_sites(l, c) || c.budget->getBasicBlockIndex(l->getLoopPreheader()) < 0)
      continue;
    changed |= version(c, f, dt, li, se, plain_accesses_);
  }
  if (!changed) return llvm::PreservedAnalyses::all();
  llvm::EliminateUnreachableBlocks(f);
  return llvm::PreservedAnalyses::none();
}

}  // namespace wnn::jit
