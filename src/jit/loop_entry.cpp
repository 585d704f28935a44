// Loop entries (on-stack replacement, src/exec/tiering.h): a function
// compiled again, entered at one loop's header from the interpreter.
//
// At a loop header every value of the interpreter's frame is in its canonical
// slot (the translator materialises everything before a loop): the locals in
// fp[0..), then the operand stack, the loop's parameters on top. The entry is
// an exec::JitEntry: after the usual prologue (stack checks, the frame push
// that replaces the interpreter's frame) it reads those slots and jumps to the
// loop; the code before the loop is unreachable and LLVM drops it. Values
// below the loop pass through allocas, so that code after the loop uses
// values defined on the entry's path. Returns leave the results in fp[0..).
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

Expected<bool> compile_loop_entry(ModuleState& ms, const exec::JitLoop& l) {
  llvm::Type* ptr = llvm::PointerType::get(ms.ctx, 0);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ms.ctx), {ptr, ptr, ptr, ptr}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, loop_entry_name(l), ms.mod);
  fn->addFnAttr(llvm::Attribute::StrictFP);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  LoopEntryTarget target{l.loop, fn};
  FunctionCompiler fc(ms, l.defined, &target);
  WNN_TRY_VOID(fc.compile());
  if (!target.found) fn->eraseFromParent();
  return target.found;
}

// (Thread*, const JitView*, mem, Slot* fp): the frame slot is the one the
// interpreter's frame had (jit_enter popped it), the budget Thread::budget.
Value* FunctionCompiler::loop_entry_arguments() {
  entry_fp_ = fn_->getArg(3);
  frame_top_ = thread_field(offsetof(exec::Thread, frames_top), b_.getPtrTy());
  return thread_field(offsetof(exec::Thread, budget), b_.getInt64Ty());
}

void FunctionCompiler::loop_entry_prologue() {
  entry_block_ = BasicBlock::Create(ctx_, "loop_entry", fn_);
  b_.CreateBr(entry_block_);
  b_.SetInsertPoint(BasicBlock::Create(ctx_, "unreachable_body", fn_));
}

void FunctionCompiler::enter_loop_here(Ctrl& c) {
  loop_entry_->found = true;
  std::vector<llvm::AllocaInst*> held;
  {
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    for (size_t k = 0; k < c.height; ++k) held.push_back(b_.CreateAlloca(stack_[k]->getType()));
  }
  for (size_t k = 0; k < c.height; ++k) b_.CreateStore(stack_[k], held[k]);
  BasicBlock* join = BasicBlock::Create(ctx_, "loop_entry_join", fn_);
  b_.CreateBr(join);

  b_.SetInsertPoint(entry_block_);
  uint32_t s = 0;
  for (size_t j = 0; j < locals_.size(); ++j) {
    b_.CreateStore(load_slot(entry_fp_, s, local_types_[j]), locals_[j]);
    s += width(local_types_[j]);
  }
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
