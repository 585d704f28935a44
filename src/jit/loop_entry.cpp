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

Expected<std::vector<uint32_t>> compile_loop_entry(ModuleState& ms, uint32_t defined) {
  llvm::Type* ptr = llvm::PointerType::get(ms.ctx, 0);
  auto* type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ms.ctx), {ptr, ptr, ptr, llvm::Type::getInt32Ty(ms.ctx)}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, loop_entry_name(defined), ms.mod);
  fn->addFnAttr(llvm::Attribute::StrictFP);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  LoopEntryTarget target{fn, {}};
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
  loop_entry_->loops.push_back(uint32_t(instr_offset_));
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
  loop_switch_->addCase(b_.getInt32(uint32_t(instr_offset_)), enter);
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
