// Control flow, calls, locals, globals and references.
#include <llvm/IR/Intrinsics.h>

#include <cstddef>

#include "exec/operands.h"
#include "jit/function_compiler.h"

#pragma clang diagnostic ignored "-Winvalid-offsetof"

namespace wnn::jit {

using llvm::BasicBlock;
using llvm::Value;

#define READ(var, expr)                                                                              \
  auto var##_r_ = (expr);                                                                            \
  if (!var##_r_.ok()) return Error(ErrorKind::Malformed, where() + ": " + var##_r_.error().message); \
  auto var = *var##_r_

namespace {
std::vector<llvm::AllocaInst*> vars(llvm::IRBuilder<>& b, llvm::Function* fn, const std::vector<ValType>& types) {
  llvm::IRBuilderBase::InsertPointGuard guard(b);
  BasicBlock& entry = fn->getEntryBlock();
  b.SetInsertPoint(&entry, entry.begin());
  std::vector<llvm::AllocaInst*> v;
  for (ValType t : types) v.push_back(b.CreateAlloca(llvm_type(b.getContext(), t)));
  return v;
}
}  // namespace

Expected<void> FunctionCompiler::emit_control(uint8_t op) {
  if (unreachable_ && (op <= 0x01 || op == 0x0F || op == 0x1A || op == 0x1B)) return {};
  switch (op) {
    case 0x00:  // unreachable
      trap_now(TrapKind::Unreachable);
      start_dead();
      return {};
    case 0x01: return {};
    case 0x02:
    case 0x03:
    case 0x04: {
      Ctrl c;
      c.opcode = op;
      WNN_TRY(results, read_block_type(c.params));
      c.results = std::move(results);
      Value* cond = op == 0x04 ? pop() : nullptr;
      c.height = stack_.size() - c.params.size();
      c.end = BasicBlock::Create(ctx_, "end", fn_);
      c.end_vars = vars(b_, fn_, c.results);
      if (op == 0x03) {
        c.target = BasicBlock::Create(ctx_, "loop", fn_);
        c.label_vars = vars(b_, fn_, c.params);
        c.instr_start = instr_count_;
        c.loop_offset = uint32_t(instr_offset_);
        // Enter the loop like a back-edge does: parameters through its vars.
        const size_t n = c.params.size();
        for (size_t i = 0; i < n; ++i) b_.CreateStore(stack_[stack_.size() - n + i], c.label_vars[i]);
        if (loop_entry_) enter_loop_here(c);
        b_.CreateBr(c.target);
        b_.SetInsertPoint(c.target);
        for (size_t i = 0; i < n; ++i)
          stack_[stack_.size() - n + i] = b_.CreateLoad(c.label_vars[i]->getAllocatedType(), c.label_vars[i]);
      } else {
        c.target = c.end;
        c.label_vars = c.end_vars;
      }
      if (op == 0x04) {
        BasicBlock* then_bb = BasicBlock::Create(ctx_, "then", fn_);
        c.else_block = BasicBlock::Create(ctx_, "else", fn_);
        c.if_params.assign(stack_.end() - ptrdiff_t(c.params.size()), stack_.end());
        b_.CreateCondBr(b_.CreateICmpNE(cond, i32(0)), then_bb, c.else_block);
        b_.SetInsertPoint(then_bb);
      }
      ctrls_.push_back(std::move(c));
      return {};
    }
    case 0x05: {  // else
      Ctrl& c = ctrls_.back();
      if (!unreachable_) branch_to(c);
      unreachable_ = false;
      stack_.resize(c.height);
      for (Value* v : c.if_params) push(v);
      b_.SetInsertPoint(c.else_block);
      c.else_block = nullptr;
      return {};
    }
    case 0x0B: {  // end
      Ctrl& c = ctrls_.back();
      if (!unreachable_) {
        const size_t n = c.end_vars.size();
        for (size_t i = 0; i < n; ++i) b_.CreateStore(stack_[stack_.size() - n + i], c.end_vars[i]);
        b_.CreateBr(c.end);
      }
      if (c.else_block) {  // `if` without `else`: the params are the results
        b_.SetInsertPoint(c.else_block);
        for (size_t i = 0; i < c.if_params.size(); ++i) b_.CreateStore(c.if_params[i], c.end_vars[i]);
        b_.CreateBr(c.end);
      }
      stack_.resize(c.height);
      b_.SetInsertPoint(c.end);
      unreachable_ = c.end->hasNPredecessors(0);
      if (unreachable_) {
        b_.CreateUnreachable();
      } else {
        for (llvm::AllocaInst* a : c.end_vars) push(b_.CreateLoad(a->getAllocatedType(), a));
      }
      const bool is_func = c.opcode == 0;
      ctrls_.pop_back();
      if (is_func && !unreachable_) return_now();
      return {};
    }
    case 0x0C: {  // br
      READ(depth, r_.u32());
      if (unreachable_) return {};
      branch_to(ctrls_[ctrls_.size() - 1 - depth]);
      start_dead();
      return {};
    }
    case 0x0D: {  // br_if
      READ(depth, r_.u32());
      if (unreachable_) return {};
      Value* cond = pop();
      BasicBlock* taken = BasicBlock::Create(ctx_, "br_if", fn_);
      BasicBlock* cont = BasicBlock::Create(ctx_, "", fn_);
      b_.CreateCondBr(b_.CreateICmpNE(cond, i32(0)), taken, cont);
      b_.SetInsertPoint(taken);
      branch_to(ctrls_[ctrls_.size() - 1 - depth]);
      b_.SetInsertPoint(cont);
      return {};
    }
    case 0x0E: {  // br_table
      READ(n, r_.u32());
      std::vector<uint32_t> depths;
      for (uint32_t i = 0; i <= n; ++i) {
        READ(d, r_.u32());
        depths.push_back(d);
      }
      if (unreachable_) return {};
      Value* index = pop();
      std::vector<BasicBlock*> blocks(ctrls_.size(), nullptr);
      llvm::IRBuilderBase::InsertPoint here = b_.saveIP();
      auto block_for = [&](uint32_t depth) {
        BasicBlock*& bb = blocks[depth];
        if (!bb) {
          bb = BasicBlock::Create(ctx_, "br_table", fn_);
          b_.SetInsertPoint(bb);
          branch_to(ctrls_[ctrls_.size() - 1 - depth]);
        }
        return bb;
      };
      BasicBlock* dflt = block_for(depths.back());
      std::vector<BasicBlock*> targets;
      for (uint32_t i = 0; i < n; ++i) targets.push_back(block_for(depths[i]));
      b_.restoreIP(here);
      llvm::SwitchInst* sw = b_.CreateSwitch(index, dflt, n);
      for (uint32_t i = 0; i < n; ++i) sw->addCase(b_.getInt32(i), targets[i]);
      start_dead();
      return {};
    }
    case 0x0F:  // return
      return_now();
      start_dead();
      return {};
    case 0x1A: pop(); return {};
    case 0x1B:
    case 0x1C: {  // select
      if (op == 0x1C) {
        READ(count, r_.u32());
        for (uint32_t i = 0; i < count; ++i) {
          READ(t, r_.u8());
          (void)t;
        }
      }
      if (unreachable_) return {};
      Value* c = pop();
      Value* y = pop();
      Value* x = pop();
      push(b_.CreateSelect(b_.CreateICmpNE(c, i32(0)), x, y));
      return {};
    }
    default: return Error(ErrorKind::Invalid, where() + ": bad control opcode");
  }
}

llvm::Value* FunctionCompiler::load_slot(Value* slots, uint32_t index, ValType t) {
  Value* p = b_.CreateConstGEP1_64(b_.getInt64Ty(), slots, index);
  switch (t) {
    case ValType::I32: return b_.CreateTrunc(b_.CreateLoad(b_.getInt64Ty(), p), b_.getInt32Ty());
    case ValType::F32:
      return b_.CreateBitCast(b_.CreateTrunc(b_.CreateLoad(b_.getInt64Ty(), p), b_.getInt32Ty()), b_.getFloatTy());
    default: return b_.CreateAlignedLoad(llvm_type(ctx_, t), p, llvm::Align(8));
  }
}

void FunctionCompiler::store_slot(Value* slots, uint32_t index, Value* v, ValType t) {
  Value* p = b_.CreateConstGEP1_64(b_.getInt64Ty(), slots, index);
  switch (t) {
    case ValType::I32: b_.CreateStore(b_.CreateZExt(v, b_.getInt64Ty()), p); break;
    case ValType::F32: b_.CreateStore(b_.CreateZExt(b_.CreateBitCast(v, b_.getInt32Ty()), b_.getInt64Ty()), p); break;
    default: b_.CreateAlignedStore(v, p, llvm::Align(8)); break;
  }
}

static uint32_t slots_of(const std::vector<ValType>& ts) {
  uint32_t n = 0;
  for (ValType t : ts) n += t == ValType::V128 ? 2 : 1;
  return n;
}

llvm::Value* FunctionCompiler::run_stub(std::vector<exec::Word> words, const std::vector<Value*>& args,
                                        const std::vector<ValType>& arg_types) {
  const uint32_t stub = ms_.stubs.add(ms_.rt, words);
  llvm::Type* ptr = b_.getPtrTy();
  Value* table = ms_.mod.getOrInsertGlobal(kStubTable, ptr);  // defined by the module compiler
  llvm::LoadInst* ip = b_.CreateLoad(ptr, b_.CreateConstGEP1_64(ptr, table, stub));
  ip->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
  Value* slots = thread_field(offsetof(exec::Thread, jit_sp), b_.getPtrTy());
  uint32_t s = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    store_slot(slots, s, args[i], arg_types[i]);
    s += arg_types[i] == ValType::V128 ? 2 : 1;
  }
  llvm::FunctionType* ft =
      llvm::FunctionType::get(b_.getInt8Ty(), {b_.getPtrTy(), b_.getPtrTy(), b_.getPtrTy(), b_.getPtrTy()}, false);
  flush_budget();
  Value* k = b_.CreateCall(ms_.runtime(kRtRun, ft), {ip, slots, mem_, th_});
  BasicBlock* trap = BasicBlock::Create(ctx_, "stub_trap", fn_);
  BasicBlock* cont = BasicBlock::Create(ctx_, "", fn_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(b_.CreateICmpNE(k, b_.getInt8(0)), trap, cont, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(trap);
  llvm::FunctionType* tt = llvm::FunctionType::get(b_.getVoidTy(), {b_.getPtrTy(), b_.getInt32Ty()}, false);
  llvm::CallInst* c = b_.CreateCall(ms_.runtime(kRtTrap, tt), {th_, b_.CreateZExt(k, b_.getInt32Ty())});
  c->setDoesNotReturn();
  b_.CreateUnreachable();
  b_.SetInsertPoint(cont);
  reload_budget();
  return slots;
}

namespace layout = exec::layout;

Expected<void> FunctionCompiler::emit_call(uint32_t func) {
  const FuncType& ft = m_.types[ms_.cm.func_types[func]];
  std::vector<Value*> args = pop_n(ft.params.size());
  if (func >= m_.num_imported_funcs && ms_.funcs[func - m_.num_imported_funcs]) {
    charge(1);
    // Frame slot and budget travel in registers; the callee stores them when
    // something may look, and so does this function after the call, which
    // leaves Thread::frames_top and Thread::budget stale (frame_push.cpp).
    Value* frame = b_.CreateConstGEP1_64(b_.getInt8Ty(), frame_top_, sizeof(exec::Frame));
    std::vector<Value*> full{th_, mem_, frame, b_.CreateLoad(b_.getInt64Ty(), budget_)};
    full.insert(full.end(), args.begin(), args.end());
    Value* left;
    for (Value* v : call_internal(b_, ms_.funcs[func - m_.num_imported_funcs], full, ft.results.size(), &left)) push(v);
    compiled_calls_.push_back(llvm::cast<llvm::CallInst>(
        ft.results.empty() ? left : llvm::cast<llvm::ExtractValueInst>(left)->getAggregateOperand()));
    b_.CreateStore(left, budget_);
    return {};
  }
  // An import (host functions, other instances) or a function outside this
  // object: the interpreter's `call`.
  Value* slots = run_stub(layout::encode(ms_.rt.call, layout::Call{.func = func, .base = 0}), args, ft.params);
  uint32_t s = 0;
  for (ValType t : ft.results) {
    push(load_slot(slots, s, t));
    s += t == ValType::V128 ? 2 : 1;
  }
  return {};
}

Expected<void> FunctionCompiler::emit_call_indirect(uint32_t type, uint32_t table) {
  const FuncType& ft = m_.types[type];
  Value* index = pop();
  std::vector<Value*> args = pop_n(ft.params.size());
  std::vector<ValType> types{ValType::I32};
  types.insert(types.end(), ft.params.begin(), ft.params.end());
  args.insert(args.begin(), index);
  // The interpreter's call_indirect: its checks and messages; index in slot 0.
  Value* slots = run_stub(
      layout::encode(ms_.rt.call_indirect, layout::CallIndirect{.type = type, .table = table, .index = 0, .base = 1}),
      args, types);
  uint32_t s = 1;
  for (ValType t : ft.results) {
    push(load_slot(slots, s, t));
    s += t == ValType::V128 ? 2 : 1;
  }
  (void)slots_of;
  return {};
}

Expected<void> FunctionCompiler::emit_variable(uint8_t op) {
  READ(idx, r_.u32());
  if (unreachable_) return {};
  switch (op) {
    case 0x20: push(b_.CreateLoad(locals_[idx]->getAllocatedType(), locals_[idx])); return {};
    case 0x21: b_.CreateStore(pop(), locals_[idx]); return {};
    case 0x22: b_.CreateStore(stack_.back(), locals_[idx]); return {};
    case 0x23: {
      const ValType t = ms_.cm.global_types[idx].type;
      Value* p = global_ptr(idx);
      if (t == ValType::I32 || t == ValType::F32) {
        Value* v = b_.CreateTrunc(b_.CreateLoad(b_.getInt64Ty(), p), b_.getInt32Ty());
        push(t == ValType::F32 ? b_.CreateBitCast(v, b_.getFloatTy()) : v);
      } else {
        push(b_.CreateAlignedLoad(llvm_type(ctx_, t), p, llvm::Align(8)));
      }
      return {};
    }
    case 0x24: {
      const ValType t = ms_.cm.global_types[idx].type;
      Value* v = pop();
      Value* p = global_ptr(idx);
      if (t == ValType::F32) v = b_.CreateBitCast(v, b_.getInt32Ty());
      if (t == ValType::I32 || t == ValType::F32) v = b_.CreateZExt(v, b_.getInt64Ty());
      // Volatile: a trap after it (a guard-page fault, invisible to LLVM) must
      // find it done, as the interpreter does; a plain store may be sunk past
      // the faulting access or deleted by a later global.set (wnn-tierdiff
      // seeds 50548 and 54924).
      b_.CreateAlignedStore(v, p, llvm::Align(8), /*isVolatile=*/true);
      return {};
    }
    default: return Error(ErrorKind::Invalid, where() + ": bad variable opcode");
  }
}

Expected<void> FunctionCompiler::emit_reference(uint8_t op) {
  switch (op) {
    case 0xD0: {
      READ(t, r_.u8());
      (void)t;
      if (!unreachable_) push(i64(0));
      return {};
    }
    case 0xD1:
      if (!unreachable_) push(bool32(b_.CreateICmpEQ(pop(), i64(0))));
      return {};
    case 0xD2: {
      READ(f, r_.u32());
      if (!unreachable_) push(b_.CreatePtrToInt(func_inst(f), b_.getInt64Ty()));
      return {};
    }
    case 0x25:
    case 0x26: {
      READ(table, r_.u32());
      if (unreachable_) return {};
      if (op == 0x25) {
        Value* slots =
            run_stub(layout::encode(ms_.rt.table_get, layout::TableGet{.dst = 0, .index = 0, .table = table}), {pop()},
                     {ValType::I32});
        push(load_slot(slots, 0, ValType::FuncRef));
      } else {
        Value* v = pop();
        Value* i = pop();
        run_stub(layout::encode(ms_.rt.table_set, layout::TableSet{.index = 0, .value = 1, .table = table}), {i, v},
                 {ValType::I32, ValType::FuncRef});
      }
      return {};
    }
    default: return Error(ErrorKind::Invalid, where() + ": bad reference opcode");
  }
}

}  // namespace wnn::jit
