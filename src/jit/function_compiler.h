// Translation of one validated Wasm function body into LLVM IR.
//
// Values of the Wasm operand stack are SSA values; locals and the values a
// branch carries to its label live in allocas that SROA turns into registers
// and phis. Each instruction family has its own emit_* method, so that the
// opcode switch can become a lookup in the shared opcode table.
#pragma once
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <string>
#include <vector>

#include "binary/reader.h"
#include "exec/jit.h"
#include "exec/thread.h"
#include "jit/object_format.h"
#include "valid/compiled_module.h"

namespace wnn::jit {

// What every function of one LLVM module shares.
struct ModuleState {
  const CompiledModule& cm;
  const exec::JitRuntime& rt;
  llvm::LLVMContext& ctx;
  llvm::Module& mod;
  // By defined-function index; nullptr for a function outside this object,
  // which is called like an import (the interpreter's `call`).
  std::vector<llvm::Function*> funcs;
  // Interpreter instruction sequences that compiled code runs, rebuilt when
  // the object is linked (object_format.h).
  StubTable stubs;
  bool exact_fuel = false;  // JitOptions::exact_fuel
  // JitOptions::level: a Quick loop entry switches to the Full one at a
  // back-edge once published (loop_entry.cpp).
  JitLevel level = JitLevel::Full;
  // A runtime helper (object_format.h's kRt*): an undefined symbol.
  llvm::FunctionCallee runtime(const char* name, llvm::FunctionType* type) {
    return mod.getOrInsertFunction(name, type);
  }
};

llvm::Type* llvm_type(llvm::LLVMContext& ctx, ValType t);
// Whether `i` stores Thread::budget of `thread` (as flush_budget does).
bool stores_budget(const llvm::Instruction& i, const llvm::Value* thread);
// The internal signature: (Thread*, mem, Frame* frame, i64 budget,
// params...) -> {results..., i64 budget} (just the budget when
// there are no results). `frame` is the callee's slot on the frame stack
// (Thread::frames_top at the call) and the budget is Thread::budget: both
// travel in registers, so that a call is not a chain of stores and reloads
// through Thread (both are stored only where something may read them:
// frame_push.cpp).
llvm::FunctionType* internal_type(llvm::LLVMContext& ctx, const FuncType& ft);
// The internal calling convention, for a function or a call: swiftcc with the
// Thread as `swiftself`, which keeps it in r13 (callee-saved) from the entry
// wrapper down: no function saves it and no call moves it.
template <class FunctionOrCall> void use_internal_convention(FunctionOrCall& x) {
  x.setCallingConv(llvm::CallingConv::Swift);
  x.addParamAttr(0, llvm::Attribute::SwiftSelf);
}
// Calls compiled function f with the internal signature; returns its results
// and, in *budget, the budget it returns.
std::vector<llvm::Value*> call_internal(llvm::IRBuilder<>& b, llvm::Function* f, llvm::ArrayRef<llvm::Value*> args,
                                        size_t results, llvm::Value** budget);
// The call of an entry wrapper: frame and budget read from the Thread.
std::vector<llvm::Value*> call_from_entry(llvm::IRBuilder<>& b, llvm::Function* f, llvm::Value* th, llvm::Value* mem,
                                          const std::vector<llvm::Value*>& params, size_t results);

// A loop entry being compiled (loop_entry.cpp, exec::JitLoopEntry): the
// function entered at a loop's header, every value read from the
// interpreter's frame.
struct LoopEntryTarget {
  llvm::Function* fn;           // an exec::JitLoopEntry
  std::vector<uint32_t> loops;  // the loops it enters (module offsets), as found
  uint32_t switch_loop = 0;     // JitOptions::switch_loops
};
// Adds defined function `defined`'s loop entry to ms.mod; returns the loops
// it enters (none: no entry). `switch_loop`: JitOptions::switch_loops.
Expected<std::vector<uint32_t>> compile_loop_entry(ModuleState& ms, uint32_t defined, uint32_t switch_loop);

class FunctionCompiler {
 public:
  // With `loop_entry`, compiles that entry instead of the function.
  FunctionCompiler(ModuleState& ms, uint32_t defined_index, LoopEntryTarget* loop_entry = nullptr);
  // Fills ms.funcs[defined_index]'s body; an error names the instruction.
  Expected<void> compile();

 private:
  struct Ctrl {
    uint8_t opcode;  // 0x02 block, 0x03 loop, 0x04 if, 0 the function
    std::vector<ValType> params, results;
    size_t height;                     // operand stack height below the params
    llvm::BasicBlock* target;          // where a branch to this label goes
    llvm::BasicBlock* end;             // after `end`
    llvm::BasicBlock* else_block = nullptr;
    std::vector<llvm::AllocaInst*> label_vars;  // values carried by a branch
    std::vector<llvm::AllocaInst*> end_vars;    // results at `end`
    std::vector<llvm::Value*> if_params;        // an `if` without `else`
    uint64_t instr_start = 0;          // loop: instructions before its body
    uint32_t loop_offset = 0;          // loop: its module offset (LoopHeader::wasm_offset)
    bool dead = false;                 // opened in unreachable code
  };

  // Families (function_compiler.cpp: control, calls, variables;
  // emit_numeric.cpp; emit_memory.cpp).
  Expected<void> instruction(uint8_t op);
  Expected<void> emit_control(uint8_t op);
  Expected<void> emit_call(uint32_t func);
  Expected<void> emit_call_indirect(uint32_t type, uint32_t table);
  Expected<void> emit_variable(uint8_t op);
  bool emit_numeric(uint8_t op);  // false: not a numeric opcode
  bool emit_conversion(uint8_t op);
  llvm::Value* min_max(llvm::Value* x, llvm::Value* y, bool is_min);
  Expected<void> emit_const(uint8_t op);
  bool emit_memory(uint8_t op, uint32_t offset);
  Expected<void> emit_prefixed(uint32_t sub);  // 0xFC: saturating truncation, bulk memory, tables
  Expected<void> emit_reference(uint8_t op);
  Expected<void> emit_simd(uint32_t sub);
  // SIMD families (emit_simd*.cpp); false: not one of theirs.
  bool emit_simd_lanes(uint32_t sub);
  bool emit_simd_memory(uint32_t sub);
  bool emit_simd_integer(uint32_t sub);
  bool emit_simd_float(uint32_t sub);
  llvm::FixedVectorType* vec(llvm::Type* elem, unsigned n);
  llvm::Value* trunc_sat_f32x4(llvm::Value* x, bool is_signed);       // -> <4 x i32>
  llvm::Value* trunc_sat_f64x2_zero(llvm::Value* x, bool is_signed);  // -> <4 x i32>, high lanes 0
  llvm::Value* as_v128(llvm::Value* v);
  llvm::Value* lanes(llvm::Value* v, llvm::Type* elem, unsigned n);
  struct SimdImmediates {
    uint32_t offset = 0;
    uint8_t lane = 0;
    uint8_t bytes[16] = {};
  } simd_;

  // Helpers.
  llvm::Value* pop() {
    llvm::Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  void push(llvm::Value* v) { stack_.push_back(v); }
  std::vector<llvm::Value*> pop_n(size_t n);
  llvm::Value* i32(uint64_t v) { return b_.getInt32(uint32_t(v)); }
  llvm::Value* i64(uint64_t v) { return b_.getInt64(v); }
  void trap_if(llvm::Value* cond, TrapKind kind);
  void trap_now(TrapKind kind);
  // The fuel/interruption budget; `loop`: at a back-edge to it (where a
  // Quick loop entry's refill may switch to the Full entry).
  void charge(uint64_t n, const Ctrl* loop = nullptr);
  // The budget lives in a local (a register in loops); Thread::budget is
  // current at stubs, runtime helpers and explicit traps, and stored lazily
  // before memory accesses that may fault (frame_push.cpp): once after each
  // charge or call on the paths to one, volatile there (a fault reads it).
  void flush_budget(bool for_a_fault = false);
  void reload_budget();
  // The frame push and the stores after calls (frame_push.cpp).
  void end_prologue_checks();
  void push_frame();
  void place_frame_push();
  void flush_budget_after_charges();
  void branch_to(Ctrl& c);  // carry the label's values, then br
  void return_now();
  // Loop entries (loop_entry.cpp): the arguments (returns the budget), the
  // jump from the prologue, the entry at the loop `c` being opened, results.
  llvm::Value* loop_entry_arguments();
  void loop_entry_prologue();
  void enter_loop_here(Ctrl& c);
  void switch_to_full_entry(const Ctrl& c);
  void loop_entry_return();
  void start_dead();
  Expected<std::vector<ValType>> read_block_type(std::vector<ValType>& params);
  // Runs the interpreter instruction sequence `words` (ending before `halt`)
  // over the slots at th->jit_sp, which hold `args` first; returns the slots
  // pointer to read results from.
  llvm::Value* run_stub(std::vector<exec::Word> words, const std::vector<llvm::Value*>& args,
                        const std::vector<ValType>& arg_types);
  llvm::Value* load_slot(llvm::Value* slots, uint32_t index, ValType t);
  void store_slot(llvm::Value* slots, uint32_t index, llvm::Value* v, ValType t);
  llvm::Value* thread_field(size_t offset, llvm::Type* t);
  llvm::Value* invariant_load(llvm::Type* t, llvm::Value* p);
  llvm::Value* global_ptr(uint32_t index);
  llvm::Value* func_inst(uint32_t index);
  llvm::Value* address(llvm::Value* addr32, uint64_t offset);
  llvm::Value* bool32(llvm::Value* cond) { return b_.CreateZExt(cond, b_.getInt32Ty()); }
  llvm::Value* call_intrinsic(llvm::Intrinsic::ID id, llvm::ArrayRef<llvm::Type*> types,
                              llvm::ArrayRef<llvm::Value*> args);
  std::string where() const;

  ModuleState& ms_;
  uint32_t defined_;
  uint32_t func_index_;
  const FuncType& type_;
  const Module& m_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  llvm::Function* fn_;
  binary::Reader r_;
  size_t instr_offset_ = 0;
  uint64_t instr_count_ = 0;

  llvm::Value* th_ = nullptr;
  llvm::Value* mem_ = nullptr;
  llvm::Value* frame_top_ = nullptr;    // this function's Frame on the Thread's frame stack
  llvm::AllocaInst* budget_ = nullptr;
  std::vector<ValType> local_types_;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<llvm::Value*> stack_;
  std::vector<Ctrl> ctrls_;
  bool unreachable_ = false;
  std::vector<llvm::BasicBlock*> trap_blocks_;
  llvm::BasicBlock* prologue_trap_ = nullptr;  // the stack checks' trap, before the push
  llvm::BasicBlock* after_checks_ = nullptr;   // the prologue after the stack checks
  std::vector<llvm::CallInst*> compiled_calls_;  // calls of compiled functions
  std::vector<llvm::StoreInst*> charges_;        // each charge's store of the budget left
  LoopEntryTarget* loop_entry_ = nullptr;
  llvm::Value* entry_fp_ = nullptr;                  // loop entry: the interpreter's frame
  uint32_t local_slots_ = 0;                         // loop entry: slots of the locals
  llvm::SwitchInst* loop_switch_ = nullptr;          // loop entry: to the loop asked for
};

}  // namespace wnn::jit
