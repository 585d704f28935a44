// Where compiled code stores its frame and its budget (docs/compiler.md,
// "Traps, backtraces and stack exhaustion").
//
// A compiled function gets its frame slot and the budget in registers and
// returns the budget in one. Thread::frames_top, the frame stack's slots and
// Thread::budget are read only by what is not this function's own code: a
// runtime helper (trap, refill, reserve), a stub (the interpreter's
// instructions), the signal handler of a memory fault, and a compiled
// callee's traps and faults (the caller's frame is in its backtrace). So a
// function stores them lazily:
//   - the push (its FuncInst in its slot, frames_top past it) and the budget
//     where every path to a reader passes, out of loops: a recursive
//     function's base case (fib's `n < 2`) returns without touching memory,
//     and a function nothing reads from has no push at all;
//   - after a call of a compiled function, which leaves frames_top at the
//     callee's (no pop) and the budget in a register, its own frames_top and
//     budget again before the next reader on any path (a compiled call is
//     not one: the callee stores its own);
//   - with JitOptions::exact_fuel (code for a Store with fuel), after a
//     charge (a loop's back-edge, a call's 1) the budget before the next
//     access to linear memory on any path: a fault there leaves the Store
//     the interpreter's fuel. In a loop that is once per iteration (a store
//     in every trip of a tight loop costs up to a third of its time, hence
//     only with fuel); the charge-free copy of a counted loop whose
//     accesses cannot fault drops it (charged_loops.cpp).
// The depth and native-stack checks stay at the entry, so both tiers trap
// `call stack exhausted` at the same depth.
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Operator.h>

#include <cstddef>
#include <unordered_map>
#include <unordered_set>

#include "jit/function_compiler.h"

#pragma clang diagnostic ignored "-Winvalid-offsetof"  // Thread is not standard-layout; its fields are

namespace wnn::jit {

using llvm::BasicBlock;
using llvm::Value;

namespace {

// An access to linear memory (`mem`): it may fault.
bool accesses_memory(const llvm::Instruction& i, const Value* mem) {
  if (const auto* l = llvm::dyn_cast<llvm::LoadInst>(&i))
    return llvm::getUnderlyingObject(l->getPointerOperand(), 0) == mem;
  if (const auto* s = llvm::dyn_cast<llvm::StoreInst>(&i))
    return llvm::getUnderlyingObject(s->getPointerOperand(), 0) == mem;
  return false;
}

// Whether `i` may read the frame stack or the budget: a call other than a
// pure intrinsic, or an access to linear memory (which may fault; other
// memory — globals, the Thread, frame slots — cannot).
bool may_read_frames(const llvm::Instruction& i, const Value* mem) {
  if (const auto* c = llvm::dyn_cast<llvm::CallBase>(&i)) {
    const auto* intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(c);
    if (!intrinsic) return true;
    // Strict FP intrinsics are marked as touching memory (the FP
    // environment); they cannot trap here (no FP exceptions unmasked).
    if (llvm::isa<llvm::ConstrainedFPIntrinsic>(intrinsic)) return false;
    return intrinsic->getIntrinsicID() != llvm::Intrinsic::read_register && intrinsic->mayReadOrWriteMemory();
  }
  if (llvm::isa<llvm::LoadInst>(i) || llvm::isa<llvm::StoreInst>(i)) return accesses_memory(i, mem);
  return i.mayReadOrWriteMemory();
}

// A forward "stale" analysis, the shape both placements below share: a block
// ends stale when some path from an instruction that makes something stale
// (a compiled call, a charge) reaches its end with nothing refreshing it in
// between. `step` gives the state after an instruction from the state before.
using StaleAtEnds = std::unordered_map<const BasicBlock*, bool>;
using Step = llvm::function_ref<bool(const llvm::Instruction&, bool)>;

bool stale_at_start(const StaleAtEnds& ends, const BasicBlock& bb) {
  for (const BasicBlock* p : llvm::predecessors(&bb))
    if (auto it = ends.find(p); it != ends.end() && it->second) return true;
  return false;
}

StaleAtEnds stale_at_ends(llvm::Function& f, const llvm::DominatorTree& dt, Step step) {
  StaleAtEnds ends;
  for (bool changed = true; changed;) {
    changed = false;
    for (const BasicBlock& bb : f) {
      if (!dt.isReachableFromEntry(&bb)) continue;
      bool stale = stale_at_start(ends, bb);
      for (const llvm::Instruction& i : bb) stale = step(i, stale);
      if (stale && !ends[&bb]) ends[&bb] = changed = true;
    }
  }
  return ends;
}

}  // namespace

bool stores_budget(const llvm::Instruction& i, const Value* thread) {
  const auto* st = llvm::dyn_cast<llvm::StoreInst>(&i);
  const auto* gep = st ? llvm::dyn_cast<llvm::GEPOperator>(st->getPointerOperand()) : nullptr;
  if (!gep || gep->getPointerOperand() != thread) return false;
  llvm::APInt off(64, 0);
  return gep->accumulateConstantOffset(i.getDataLayout(), off) && off == offsetof(exec::Thread, budget);
}

// The entry checks' trap comes before the push, when frames_top may still be
// a callee's of the caller (no pop): it stores this function's own (the
// caller's top). Traps of the same kind in the body get a block of their own.
void FunctionCompiler::end_prologue_checks() {
  BasicBlock*& trap = trap_blocks_[size_t(TrapKind::CallStackExhausted)];
  prologue_trap_ = trap;
  trap = nullptr;
  after_checks_ = b_.GetInsertBlock();
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  b_.SetInsertPoint(prologue_trap_, prologue_trap_->getFirstInsertionPt());
  b_.CreateStore(frame_top_, b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, frames_top)), true);
}

// Volatile: a memory fault (a signal, invisible to LLVM) reads these, so
// they must not be merged away or moved past an access.
void FunctionCompiler::push_frame() {
  b_.CreateStore(func_inst(func_index_),
                 b_.CreateConstGEP1_64(b_.getInt8Ty(), frame_top_, offsetof(exec::Frame, callee)), true);
  b_.CreateStore(b_.CreateConstGEP1_64(b_.getInt8Ty(), frame_top_, sizeof(exec::Frame)),
                 b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, frames_top)), true);
}

void FunctionCompiler::place_frame_push() {
  llvm::DominatorTree dt(*fn_);
  const std::unordered_set<const llvm::Instruction*> calls(compiled_calls_.begin(), compiled_calls_.end());
  std::vector<llvm::Instruction*> readers;  // what may look, but for compiled calls
  BasicBlock* at = nullptr;                 // dominates every reader and compiled call
  for (BasicBlock& bb : *fn_) {
    if (&bb == prologue_trap_ || !dt.isReachableFromEntry(&bb)) continue;
    for (llvm::Instruction& i : bb) {
      if (!may_read_frames(i, mem_)) continue;
      at = at ? dt.findNearestCommonDominator(at, &bb) : &bb;
      if (!calls.count(&i)) readers.push_back(&i);
    }
  }
  if (!at) return;  // nothing reads: no push
  if (!loop_entry_) {  // a loop entry pushes in its prologue
    llvm::LoopInfo loops(dt);
    while (const llvm::Loop* l = loops.getLoopFor(at)) at = dt.getNode(l->getHeader())->getIDom()->getBlock();
    if (dt.dominates(at, after_checks_)) at = after_checks_;
    b_.SetInsertPoint(at, at->getFirstInsertionPt());
    push_frame();
    flush_budget();
  }

  // After compiled calls (stale_at_ends: stale when a path from a compiled
  // call reaches here without a reader's stores in between), the stores
  // before each reader that may find them stale. A loop without compiled
  // calls gets them before it rather than in it.
  const std::unordered_set<const llvm::Instruction*> reader_set(readers.begin(), readers.end());
  std::unordered_set<const llvm::Instruction*> stores;  // ours
  auto step = [&](const llvm::Instruction& i, bool stale) {
    if (calls.count(&i)) return true;
    if (reader_set.count(&i) || stores.count(&i)) return false;
    return stale;
  };
  auto store_before = [&](llvm::Instruction* i) {
    b_.SetInsertPoint(i);
    stores.insert(b_.CreateStore(b_.CreateConstGEP1_64(b_.getInt8Ty(), frame_top_, sizeof(exec::Frame)),
                                 b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, frames_top)), true));
    flush_budget(/*for_a_fault=*/ms_.exact_fuel);
  };
  StaleAtEnds stale_out = stale_at_ends(*fn_, dt, step);
  llvm::LoopInfo loops(dt);
  bool hoisted = false;
  for (const llvm::Loop* l : loops.getLoopsInPreorder()) {
    bool has_call = false, has_reader = false;
    for (const BasicBlock* bb : l->blocks())
      for (const llvm::Instruction& i : *bb) {
        has_call |= calls.count(&i) != 0;
        has_reader |= reader_set.count(&i) != 0;
      }
    if (has_call || !has_reader) continue;
    for (BasicBlock* p : llvm::predecessors(l->getHeader()))
      if (!l->contains(p) && stale_out[p]) {
        store_before(p->getTerminator());
        stale_out[p] = false;
        hoisted = true;
      }
  }
  if (hoisted) stale_out = stale_at_ends(*fn_, dt, step);
  for (BasicBlock& bb : *fn_) {
    if (!dt.isReachableFromEntry(&bb) || &bb == prologue_trap_) continue;
    bool stale = stale_at_start(stale_out, bb);
    for (llvm::Instruction& i : bb) {
      if (stale && reader_set.count(&i)) store_before(&i);
      stale = step(i, stale);
    }
  }
  if (ms_.exact_fuel) flush_budget_after_charges();
}

// The budget before the accesses to linear memory that a charge or a
// compiled call may precede with nothing storing it in between (stale_at_ends);
// a store of the budget ends the staleness, and so does an access (it gets one).
void FunctionCompiler::flush_budget_after_charges() {
  std::unordered_set<const llvm::Instruction*> stalers(compiled_calls_.begin(), compiled_calls_.end());
  stalers.insert(charges_.begin(), charges_.end());
  llvm::DominatorTree dt(*fn_);
  auto step = [&](const llvm::Instruction& i, bool stale) {
    if (stalers.count(&i)) return true;
    if (stores_budget(i, th_) || accesses_memory(i, mem_)) return false;
    return stale;
  };
  const StaleAtEnds stale_out = stale_at_ends(*fn_, dt, step);
  std::vector<llvm::Instruction*> flush_before;
  for (BasicBlock& bb : *fn_) {
    if (!dt.isReachableFromEntry(&bb)) continue;
    bool stale = stale_at_start(stale_out, bb);
    for (llvm::Instruction& i : bb) {
      if (stale && accesses_memory(i, mem_)) flush_before.push_back(&i);
      stale = step(i, stale);
    }
  }
  for (llvm::Instruction* i : flush_before) {
    b_.SetInsertPoint(i);
    flush_budget(/*for_a_fault=*/true);
  }
}

}  // namespace wnn::jit
