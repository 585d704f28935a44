// The driver of FunctionCompiler: prologue, the instruction loop, control
// flow, calls, locals and globals. See function_compiler.h.
#include "jit/function_compiler.h"

#include "binary/opcodes.h"

#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <cstddef>

#pragma clang diagnostic ignored "-Winvalid-offsetof"  // Thread is not standard-layout; its fields are

namespace wnn::jit {

using llvm::BasicBlock;
using llvm::Value;

llvm::Type* llvm_type(llvm::LLVMContext& ctx, ValType t) {
  switch (t) {
    case ValType::I32: return llvm::Type::getInt32Ty(ctx);
    case ValType::F32: return llvm::Type::getFloatTy(ctx);
    case ValType::F64: return llvm::Type::getDoubleTy(ctx);
    case ValType::V128: return llvm::FixedVectorType::get(llvm::Type::getInt64Ty(ctx), 2);
    default: return llvm::Type::getInt64Ty(ctx);  // i64, references (a FuncInst* or host word)
  }
}

llvm::FunctionType* internal_type(llvm::LLVMContext& ctx, const FuncType& ft) {
  llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
  llvm::Type* i64 = llvm::Type::getInt64Ty(ctx);
  std::vector<llvm::Type*> params{ptr, ptr, ptr, i64};
  for (ValType t : ft.params) params.push_back(llvm_type(ctx, t));
  llvm::Type* ret = i64;
  if (!ft.results.empty()) {
    std::vector<llvm::Type*> rs;
    for (ValType t : ft.results) rs.push_back(llvm_type(ctx, t));
    rs.push_back(i64);
    ret = llvm::StructType::get(ctx, rs);
  }
  return llvm::FunctionType::get(ret, params, false);
}

std::vector<Value*> call_internal(llvm::IRBuilder<>& b, llvm::Function* f, llvm::ArrayRef<Value*> args, size_t results,
                                  Value** budget) {
  llvm::CallInst* c = b.CreateCall(f, args);
  use_internal_convention(*c);
  if (results == 0) {
    *budget = c;
    return {};
  }
  std::vector<Value*> rs;
  for (unsigned i = 0; i < results; ++i) rs.push_back(b.CreateExtractValue(c, {i}));
  *budget = b.CreateExtractValue(c, {unsigned(results)});
  return rs;
}

std::vector<Value*> call_from_entry(llvm::IRBuilder<>& b, llvm::Function* f, Value* th, Value* mem,
                                    const std::vector<Value*>& params, size_t results) {
  Value* frame =
      b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), th, offsetof(exec::Thread, frames_top)));
  Value* budget = b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt8Ty(), th, offsetof(exec::Thread, budget)));
  std::vector<Value*> args{th, mem, frame, budget};
  args.insert(args.end(), params.begin(), params.end());
  Value* left;
  std::vector<Value*> rs = call_internal(b, f, args, results, &left);
  // A compiled callee leaves both to its caller (frame_push.cpp).
  b.CreateStore(left, b.CreateConstGEP1_64(b.getInt8Ty(), th, offsetof(exec::Thread, budget)));
  b.CreateStore(frame, b.CreateConstGEP1_64(b.getInt8Ty(), th, offsetof(exec::Thread, frames_top)), true);
  return rs;
}

#define READ(var, expr)                                                                              \
  auto var##_r_ = (expr);                                                                            \
  if (!var##_r_.ok()) return Error(ErrorKind::Malformed, where() + ": " + var##_r_.error().message); \
  auto var = *var##_r_

FunctionCompiler::FunctionCompiler(ModuleState& ms, uint32_t defined, LoopEntryTarget* loop_entry)
    : ms_(ms),
      defined_(defined),
      func_index_(ms.cm.module.num_imported_funcs + defined),
      type_(ms.cm.module.types[ms.cm.module.functions[defined]]),
      m_(ms.cm.module),
      ctx_(ms.ctx),
      b_(ms.ctx),
      fn_(loop_entry ? loop_entry->fn : ms.funcs[defined]),
      r_(ms.cm.module.bytes.data() + ms.cm.module.codes[defined].body_offset, ms.cm.module.codes[defined].body_size,
         ms.cm.module.codes[defined].body_offset),
      loop_entry_(loop_entry) {}

std::string FunctionCompiler::where() const {
  return "function " + std::to_string(func_index_) + ", offset " + std::to_string(instr_offset_);
}

Value* FunctionCompiler::thread_field(size_t offset, llvm::Type* t) {
  return b_.CreateLoad(t, b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offset));
}

// A load of something no code changes while compiled code runs (the
// instance's function and global pointers, the Thread's limits), so that
// LLVM may reuse it across calls and hoist it out of loops.
Value* FunctionCompiler::invariant_load(llvm::Type* t, Value* p) {
  llvm::LoadInst* l = b_.CreateLoad(t, p);
  l->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
  return l;
}

Value* FunctionCompiler::func_inst(uint32_t index) {
  Value* funcs =
      invariant_load(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, jit_funcs)));
  return invariant_load(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getPtrTy(), funcs, index));
}

Value* FunctionCompiler::global_ptr(uint32_t index) {
  Value* globals =
      invariant_load(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, jit_globals)));
  Value* g = invariant_load(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getPtrTy(), globals, index));
  return b_.CreateConstGEP1_64(b_.getInt8Ty(), g, offsetof(GlobalInst, value));
}

Value* FunctionCompiler::call_intrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type*> types,
                                        llvm::ArrayRef<Value*> args) {
  llvm::Function* f = llvm::Intrinsic::getDeclaration(&ms_.mod, id, types);
  return b_.CreateCall(f, args);
}

void FunctionCompiler::flush_budget(bool for_a_fault) {
  b_.CreateStore(b_.CreateLoad(b_.getInt64Ty(), budget_),
                 b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, budget)), for_a_fault);
}

void FunctionCompiler::reload_budget() {
  b_.CreateStore(thread_field(offsetof(exec::Thread, budget), b_.getInt64Ty()), budget_);
}

void FunctionCompiler::trap_now(TrapKind kind) {
  flush_budget();
  llvm::FunctionType* ft = llvm::FunctionType::get(b_.getVoidTy(), {b_.getPtrTy(), b_.getInt32Ty()}, false);
  llvm::CallInst* c = b_.CreateCall(ms_.runtime(kRtTrap, ft), {th_, i32(uint32_t(kind))});
  c->setDoesNotReturn();
  c->setCallingConv(llvm::CallingConv::C);
  b_.CreateUnreachable();
}

// One cold block per trap kind and function.
void FunctionCompiler::trap_if(Value* cond, TrapKind kind) {
  BasicBlock*& tb = trap_blocks_[size_t(kind)];
  if (!tb) {
    tb = BasicBlock::Create(ctx_, "trap", fn_);
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(tb);
    trap_now(kind);
  }
  BasicBlock* cont = BasicBlock::Create(ctx_, "", fn_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(cond, tb, cont, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(cont);
}

// Thread::budget -= n; below zero, refill_budget decides (fuel, interrupt).
void FunctionCompiler::charge(uint64_t n, const Ctrl* loop) {
  Value* left = b_.CreateSub(b_.CreateLoad(b_.getInt64Ty(), budget_), i64(n));
  charges_.push_back(b_.CreateStore(left, budget_));
  BasicBlock* refill = BasicBlock::Create(ctx_, "refill", fn_);
  BasicBlock* cont = BasicBlock::Create(ctx_, "", fn_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(b_.CreateICmpSLT(left, i64(0)), refill, cont, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(refill);
  flush_budget();
  const bool may_switch = loop && loop_entry_ && ms_.level == JitLevel::Quick;
  Value* k;
  if (may_switch) {
    llvm::FunctionType* ft = llvm::FunctionType::get(b_.getInt8Ty(), {b_.getPtrTy(), b_.getInt32Ty()}, false);
    k = b_.CreateCall(ms_.runtime(kRtRefillBudgetAtLoop, ft), {th_, i32(loop->loop_offset)});
  } else {
    llvm::FunctionType* ft = llvm::FunctionType::get(b_.getInt8Ty(), {b_.getPtrTy()}, false);
    k = b_.CreateCall(ms_.runtime(kRtRefillBudget, ft), {th_});
  }
  reload_budget();
  BasicBlock* trap = BasicBlock::Create(ctx_, "out", fn_);
  b_.CreateCondBr(b_.CreateICmpNE(k, b_.getInt8(0)), trap, cont);
  b_.SetInsertPoint(trap);
  if (may_switch) {
    BasicBlock* to_full = BasicBlock::Create(ctx_, "to_full_entry", fn_);
    BasicBlock* really = BasicBlock::Create(ctx_, "out", fn_);
    b_.CreateCondBr(b_.CreateICmpEQ(k, b_.getInt8(exec::kSwitchToFullLoopEntry)), to_full, really);
    b_.SetInsertPoint(to_full);
    switch_to_full_entry(*loop);
    b_.SetInsertPoint(really);
  }
  llvm::FunctionType* tt = llvm::FunctionType::get(b_.getVoidTy(), {b_.getPtrTy(), b_.getInt32Ty()}, false);
  llvm::CallInst* c = b_.CreateCall(ms_.runtime(kRtTrap, tt), {th_, b_.CreateZExt(k, b_.getInt32Ty())});
  c->setDoesNotReturn();
  b_.CreateUnreachable();
  b_.SetInsertPoint(cont);
}

std::vector<Value*> FunctionCompiler::pop_n(size_t n) {
  std::vector<Value*> v(stack_.end() - ptrdiff_t(n), stack_.end());
  stack_.resize(stack_.size() - n);
  return v;
}

void FunctionCompiler::start_dead() {
  unreachable_ = true;
  stack_.resize(ctrls_.back().height);
}

void FunctionCompiler::branch_to(Ctrl& c) {
  const size_t n = c.label_vars.size();
  for (size_t i = 0; i < n; ++i) b_.CreateStore(stack_[stack_.size() - n + i], c.label_vars[i]);
  if (c.opcode == 0x03) {
    const uint64_t k = instr_count_ - c.instr_start;
    // A Quick loop entry switches to the Full one only at the back-edges of
    // the outermost loop around the loop it was asked at (whose header is
    // between this loop's and here): the switch needs every local, which
    // keeps them all live, and each switch path costs compile time.
    const uint32_t hot = loop_entry_ ? loop_entry_->switch_loop : 0;
    const bool switch_here = hot && c.loop_offset <= hot && hot <= instr_offset_ &&
                             std::none_of(ctrls_.data(), &c, [](const Ctrl& o) { return o.opcode == 0x03; });
    charge(k == 0 ? 1 : k > 0xFFFFFFFF ? 0xFFFFFFFF : k, switch_here ? &c : nullptr);
  }
  b_.CreateBr(c.target);
}

// No pop of this function's frame and no store of the budget: the caller
// has both in registers and stores them when something may look
// (frame_push.cpp). A loop entry has no compiled caller (the interpreter's
// jit_enter_loop entered it): it pops its frame and stores the budget.
void FunctionCompiler::return_now() {
  if (loop_entry_) {
    flush_budget();
    b_.CreateStore(frame_top_, b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, frames_top)), true);
    return loop_entry_return();
  }
  const size_t n = type_.results.size();
  Value* budget = b_.CreateLoad(b_.getInt64Ty(), budget_);
  if (n == 0) {
    b_.CreateRet(budget);
  } else {
    Value* agg = llvm::UndefValue::get(fn_->getReturnType());
    for (size_t i = 0; i < n; ++i) agg = b_.CreateInsertValue(agg, stack_[stack_.size() - n + i], {unsigned(i)});
    b_.CreateRet(b_.CreateInsertValue(agg, budget, {unsigned(n)}));
  }
}

Expected<std::vector<ValType>> FunctionCompiler::read_block_type(std::vector<ValType>& params) {
  READ(bt, r_.s33());
  if (bt == -64) return std::vector<ValType>{};
  if (bt < 0) return std::vector<ValType>{ValType(uint8_t(bt & 0x7F))};
  const FuncType& ft = m_.types[size_t(bt)];
  params = ft.params;
  return ft.results;
}

Expected<void> FunctionCompiler::compile() {
  trap_blocks_.assign(32, nullptr);
  // Strict FP: constrained intrinsics, so that no fold drops a signalling
  // NaN's quieting (x * 1.0, x - 0.0, promote/demote; float_exprs.wast).
  b_.setIsFPConstrained(true);
  b_.setDefaultConstrainedExcept(llvm::fp::ebStrict);
  b_.setDefaultConstrainedRounding(llvm::RoundingMode::NearestTiesToEven);
  BasicBlock* entry = BasicBlock::Create(ctx_, "entry", fn_);
  b_.SetInsertPoint(entry);
  auto arg = fn_->arg_begin();
  th_ = &*arg++;
  mem_ = &*arg++;
  Value* budget_in = loop_entry_ ? loop_entry_arguments() : nullptr;
  if (!loop_entry_) {
    frame_top_ = &*arg++;
    budget_in = &*arg++;
  }
  for (ValType t : type_.params) {
    local_types_.push_back(t);
    llvm::AllocaInst* a = b_.CreateAlloca(llvm_type(ctx_, t));
    b_.CreateStore(loop_entry_ ? static_cast<Value*>(llvm::Constant::getNullValue(a->getAllocatedType())) : &*arg++, a);
    locals_.push_back(a);
  }
  for (const LocalDecl& d : m_.codes[defined_].locals)
    for (uint32_t i = 0; i < d.count; ++i) {
      local_types_.push_back(d.type);
      llvm::AllocaInst* a = b_.CreateAlloca(llvm_type(ctx_, d.type));
      b_.CreateStore(llvm::Constant::getNullValue(a->getAllocatedType()), a);
      locals_.push_back(a);
    }

  budget_ = b_.CreateAlloca(b_.getInt64Ty());
  b_.CreateStore(budget_in, budget_);
  // Native stack, then the frame (call depth limit, backtraces). The stack
  // pointer rather than llvm.frameaddress, which would force a frame pointer.
  llvm::Metadata* rsp = llvm::MDString::get(ctx_, "rsp");
  Value* sp = call_intrinsic(llvm::Intrinsic::read_register, {b_.getInt64Ty()},
                             {llvm::MetadataAsValue::get(ctx_, llvm::MDNode::get(ctx_, rsp))});
  Value* limit =
      invariant_load(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, native_limit)));
  trap_if(b_.CreateICmpULT(sp, limit), TrapKind::CallStackExhausted);
  Value* frames_end =
      invariant_load(b_.getPtrTy(), b_.CreateConstGEP1_64(b_.getInt8Ty(), th_, offsetof(exec::Thread, frames_end)));
  trap_if(b_.CreateICmpEQ(frame_top_, frames_end), TrapKind::CallStackExhausted);
  end_prologue_checks();
  if (loop_entry_) {
    push_frame();
    loop_entry_prologue();
  }

  Ctrl fc;
  fc.opcode = 0;
  fc.results = type_.results;
  fc.height = 0;
  fc.end = fc.target = BasicBlock::Create(ctx_, "return", fn_);
  for (ValType t : fc.results) {
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(entry, entry->begin());
    fc.label_vars.push_back(b_.CreateAlloca(llvm_type(ctx_, t)));
  }
  fc.end_vars = fc.label_vars;
  ctrls_.push_back(std::move(fc));

  while (!ctrls_.empty()) {
    instr_offset_ = r_.offset();
    READ(op, r_.u8());
    ++instr_count_;
    WNN_TRY_VOID(instruction(op));
  }
  place_frame_push();
  return {};
}

Expected<void> FunctionCompiler::instruction(uint8_t op) {
  if (unreachable_) {
    // Dead code: only the nesting matters (immediates are still read).
    switch (op) {
      case 0x02:
      case 0x03:
      case 0x04: {
        std::vector<ValType> params;
        WNN_TRY_VOID(read_block_type(params));
        Ctrl c;
        c.opcode = op;
        c.height = stack_.size();
        c.dead = true;
        ctrls_.push_back(std::move(c));
        return {};
      }
      case 0x05:
      case 0x0B:
        if (ctrls_.back().dead) {
          if (op == 0x0B) ctrls_.pop_back();
          return {};
        }
        return emit_control(op);
      default: break;
    }
  }
  // Dispatch by the row's family in the opcode table (binary/opcodes.def);
  // the 0xFC and 0xFD planes by their sub-opcode's row.
  uint32_t code = op;
  uint8_t prefix = 0;
  if (op == binary::op::kPrefixFC || op == binary::op::kPrefixFD) {
    READ(sub, r_.u32());
    prefix = op;
    code = sub;
  }
  const binary::OpcodeInfo& info = binary::opcode_info(prefix, code);
  using F = binary::OpFamily;
  switch (info.family) {
    case F::Invalid: break;
    case F::Unreachable:
    case F::Nop:
    case F::Block:
    case F::Loop:
    case F::If:
    case F::Else:
    case F::End:
    case F::Br:
    case F::BrIf:
    case F::BrTable:
    case F::Return:
    case F::Drop:
    case F::Select: return emit_control(op);
    case F::Call: {
      READ(f, r_.u32());
      return unreachable_ ? Expected<void>{} : emit_call(f);
    }
    case F::CallIndirect: {
      READ(t, r_.u32());
      READ(tab, r_.u32());
      return unreachable_ ? Expected<void>{} : emit_call_indirect(t, tab);
    }
    case F::LocalGet:
    case F::LocalSet:
    case F::LocalTee:
    case F::GlobalGet:
    case F::GlobalSet: return emit_variable(op);
    case F::TableGet:
    case F::TableSet:
    case F::RefNull:
    case F::RefIsNull:
    case F::RefFunc: return emit_reference(op);
    case F::Const: return emit_const(op);
    case F::MemorySize:
    case F::MemoryGrow: {
      READ(zero, r_.u8());  // the memory index of 2.0
      (void)zero;
      if (!unreachable_) emit_memory(op, 0);
      return {};
    }
    case F::Load:
    case F::Store: {
      READ(align, r_.u32());
      READ(offset, r_.u32());
      (void)align;
      if (!unreachable_) emit_memory(op, offset);
      return {};
    }
    case F::TableInit:
    case F::ElemDrop:
    case F::TableCopy:
    case F::TableGrow:
    case F::TableSize:
    case F::TableFill:
    case F::MemoryInit:
    case F::DataDrop:
    case F::MemoryCopy:
    case F::MemoryFill: return emit_prefixed(code);
    case F::Test:
    case F::Compare:
    case F::Unary:
    case F::Binary:
    case F::Convert:
      if (unreachable_) return {};
      if (prefix == binary::op::kPrefixFC) return emit_prefixed(code);  // saturating truncation
      if (emit_numeric(op) || emit_conversion(op)) return {};
      break;
    default:  // the SIMD families
      return emit_simd(code);
  }
  return Error(ErrorKind::Invalid, where() + ": unknown opcode " + std::to_string(op));
}

}  // namespace wnn::jit
