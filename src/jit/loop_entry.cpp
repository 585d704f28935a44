// Loop entries (on-stack replacement, src/exec/tiering.h): a function
// compiled again, entered at one of its loop headers from the interpreter.
//
// At a loop header every value of the interpreter's frame is in its canonical
// slot (the translator materialises everything before a loop): the locals in
// fp[0..), then the operand stack, the loop's parameters on top. The entry is
// an exec::JitLoopEntry: after the usual prologue (stack checks, the frame
// push that replaces the interpreter's frame) it reads the locals and
// switches on the loop asked for; each case reads that loop's operand stack
// and jumps to the loop. The code before the first loop is unreachable and
// LLVM drops it. Values below a loop pass through allocas, so that code after
// it uses values defined on either path. Returns leave the results in fp[0..).
#include <cstddef>

#include "jit/function_compiler.h"

#pragma clang diagnostic ignored "-Winvalid-offsetof"  // Thread is not standard-layout; its fields are

namespace wnn::jit {

using llvm::BasicBlock;
using llvm::Value;

namespace {

ValType slot_type(llvm::Type* t) {
  if (t->isIntegerTy(32)) return ValType::I32;
  if (t->isFloatTy()) return ValType::F32;
  if (t->isDoubleTy()) return ValType::F64;
  if (t->isVectorTy()) return ValType::V128;
  return ValType::I64;  // i64 and references
}

uint32_t width(ValType t) { return t == ValType::V128 ? 2 : 1; }

}  // namespace

Expected<std::vector<uint32_t>> compile_loop_entry(ModuleState& ms, uint32_t defined, uint32_t switch_loop) {
  llvm::Type* ptr = llvm::PointerType::get(ms.ctx, 0);
  auto* type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ms.ctx), {ptr, ptr, ptr, llvm::Type::getInt32Ty(ms.ctx)}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, loop_entry_name(defined), ms.mod);
  fn->addFnAttr(llvm::Attribute::StrictFP);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  LoopEntryTarget target{fn, {}, switch_loop};
  FunctionCompiler fc(ms, defined, &target);
  WNN_TRY_VOID(fc.compile());
  if (target.loops.empty()) fn->eraseFromParent();
  return std::move(target.loops);
}

// (Thread*, mem, Slot* fp, loop): the frame slot is the one the
// interpreter's frame had (jit_enter_loop popped it), the budget
// Thread::budget.
Value* FunctionCompiler::loop_entry_arguments() {
  entry_fp_ = fn_->getArg(2);
  frame_top_ = thread_field(offsetof(exec::Thread, frames_top), b_.getPtrTy());
  return thread_field(offsetof(exec::Thread, budget), b_.getInt64Ty());
}

// After the prologue: the locals from the frame, then the switch, whose
// cases enter_loop_here adds; the function's own body is unreachable.
void FunctionCompiler::loop_entry_prologue() {
  uint32_t s = 0;
  for (size_t j = 0; j < locals_.size(); ++j) {
    b_.CreateStore(load_slot(entry_fp_, s, local_types_[j]), locals_[j]);
    s += width(local_types_[j]);
  }
  local_slots_ = s;
  BasicBlock* no_such_loop = BasicBlock::Create(ctx_, "no_such_loop", fn_);
  loop_switch_ = b_.CreateSwitch(fn_->getArg(3), no_such_loop);
  b_.SetInsertPoint(no_such_loop);
  b_.CreateUnreachable();  // the runtime enters only the loops the object lists
  b_.SetInsertPoint(BasicBlock::Create(ctx_, "unreachable_body", fn_));
}

void FunctionCompiler::enter_loop_here(Ctrl& c) {
  loop_entry_->loops.push_back(c.loop_offset);
  std::vector<llvm::AllocaInst*> held;
  {
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    for (size_t k = 0; k < c.height; ++k) held.push_back(b_.CreateAlloca(stack_[k]->getType()));
  }
  for (size_t k = 0; k < c.height; ++k) b_.CreateStore(stack_[k], held[k]);
  BasicBlock* join = BasicBlock::Create(ctx_, "loop_entry_join", fn_);
  b_.CreateBr(join);

  BasicBlock* enter = BasicBlock::Create(ctx_, "enter_loop", fn_);
  loop_switch_->addCase(b_.getInt32(c.loop_offset), enter);
  b_.SetInsertPoint(enter);
  uint32_t s = local_slots_;
  for (size_t k = 0; k < c.height; ++k) {
    const ValType t = slot_type(stack_[k]->getType());
    Value* v = load_slot(entry_fp_, s, t);
    if (v->getType() != stack_[k]->getType()) v = b_.CreateBitCast(v, stack_[k]->getType());
    b_.CreateStore(v, held[k]);
    s += width(t);
  }
  for (size_t i = 0; i < c.params.size(); ++i) {
    b_.CreateStore(load_slot(entry_fp_, s, c.params[i]), c.label_vars[i]);
    s += width(c.params[i]);
  }
  b_.CreateBr(join);

  b_.SetInsertPoint(join);
  for (size_t k = 0; k < c.height; ++k) stack_[k] = b_.CreateLoad(held[k]->getAllocatedType(), held[k]);
}

// A Quick loop entry at a back-edge to `c`, whose refill said that the Full
// entry is published: every value to its canonical slot (the locals, the
// operand stack below the loop, the loop's parameters: what enter_loop_here
// reads), this entry's frame popped as its return pops it, and the Full
// entry entered at that loop. It pushes its frame in the same slot and
// leaves the results in the frame's slots, as this one would have.
void FunctionCompiler::switch_to_full_entry(const Ctrl& c) {
  uint32_t s = 0;
  for (size_t j = 0; j < locals_.size(); ++j) {
    store_slot(entry_fp_, s, b_.CreateLoad(locals_[j]->getAllocatedType(), locals_[j]), local_types_[j]);
    s += width(local_types_[j]);
  }
  for (size_t k = 0; k < c.height; ++k) {
    const ValType t = slot_type(stack_[k]->getType());
    Value* v = stack_[k];
    if (llvm::Type* want = llvm_type(ctx_, t); v->getType() != want) v = b_.CreateBitCast(v, want);
    store_slot(entry_fp_, s, v, t);
    s += width(t);
  }
  for (size_t i = 0; i < c.params.size(); ++i) {
    store_slot(entry_fp_, s, b_.CreateLoad(c.label_vars[i]->getAllocatedType(), c.label_vars[i]), c.params[i]);
    s += width(c.params[i]);
  }
  // Asked while this entry's frame is the innermost (it names the function);
  // Thread::budget is current: the refill stored it.
  llvm::Type* ptr = b_.getPtrTy();
  Value* full =
      b_.CreateCall(ms_.runtime(kRtFullLoopEntry, llvm::FunctionType::get(ptr, {ptr, b_.getInt32Ty()}, false)),
                    {th_, i32(c.loop_offset)});
  b_.CreateStore(frame_top_, b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, frames_top)), true);
  auto* entry_type = llvm::FunctionType::get(b_.getVoidTy(), {ptr, ptr, ptr, b_.getInt32Ty()}, false);
  b_.CreateCall(entry_type, full, {th_, mem_, entry_fp_, i32(c.loop_offset)});
  b_.CreateRetVoid();
}

void FunctionCompiler::loop_entry_return() {
  const size_t n = type_.results.size();
  uint32_t s = 0;
  for (size_t i = 0; i < n; ++i) {
    store_slot(entry_fp_, s, stack_[stack_.size() - n + i], type_.results[i]);
    s += width(type_.results[i]);
  }
  b_.CreateRetVoid();
}

}  // namespace wnn::jit
