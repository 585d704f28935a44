// Control handlers (branches, calls, returns) and value moves (copy, const,
// select, globals, references).
//
// Calls never recurse on the native stack: `call` pushes a Frame and jumps to
// the callee's first instruction; `return` pops it and jumps back. Deep wasm
// recursion therefore only consumes the Thread's value and frame stacks,
// which are checked explicitly (CallStackExhausted).
#include <algorithm>
#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "exec/handler.h"
#include "exec/memory_access.h"
#include "exec/tiering.h"

namespace wnn::exec {

namespace {

// Runs a host function. No exception may unwind through the handler chain:
// one thrown by the host (out of host memory, or any other) becomes an error,
// hence a HostError trap.
Expected<void> run_host(const FuncInst* callee, HostContext& ctx, Slot* args) {
  try {
    return callee->host(ctx, args);
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Trap, "out of host memory (std::bad_alloc)");
  } catch (const std::exception& e) {
    return Error(ErrorKind::Trap, std::string("exception in host function: ") + e.what());
  } catch (...) { return Error(ErrorKind::Trap, "exception in host function"); }
}

// A host function called from wasm: out of line, with the normal calling
// convention, so that the call handlers stay small.
[[gnu::noinline]] TrapKind call_host(const FuncInst* callee, Slot* args, Thread* th) {
  Instance* inst = th->inst;
  HostContext ctx;
  ctx.store = th->store;
  ctx.caller = inst;
  ctx.memory = inst && !inst->memories.empty() ? inst->memories[0] : nullptr;
  // A nested Executor::call from the host starts past the arguments/results.
  th->host_call_sp = args + std::max(callee->param_slots, callee->result_slots);
  // Host code runs unguarded: a fault there is a host bug, not a guest trap.
  GuardFrame* guard = t_guard;
  t_guard = nullptr;
  Expected<void> r = run_host(callee, ctx, args);
  t_guard = guard;
  if (r.ok()) [[likely]]
    return TrapKind::None;
  const Error& e = r.error();
  th->trap_func = callee;
  try {  // no exception may leave this function (see run_host)
    th->host_message = e.message;
    th->host_trace = e.trace;
  } catch (const std::bad_alloc&) {
    th->host_message.clear();  // the trap's own message then
    th->host_trace.clear();
  }
  if (e.trap == TrapKind::Exit) {
    th->exit_code = e.exit_code;
    return TrapKind::Exit;
  }
  // A trap of wasm code that the host called back into, passed on unchanged.
  if ((e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exhaustion) && e.trap != TrapKind::None) return e.trap;
  return TrapKind::HostError;
}

// Continuation of call/call_indirect when the callee is a host function. A
// separate tail-called handler, so that the wasm-call path of those handlers
// makes no native call (and so needs no stack frame). It looks the callee up
// again from the instruction; the caller has already checked it.
template <bool Indirect> TrapKind WNN_CC call_host_op(const Word* ip, Slot* fp, uint8_t* mem, Thread* th) {
  constexpr unsigned size = Indirect ? layout::CallIndirect::kWords : layout::Call::kWords;
  const FuncInst* callee;
  uint32_t base;
  if constexpr (Indirect) {
    const auto o = layout::CallIndirect::read(ip);
    callee = reinterpret_cast<const FuncInst*>(th->inst->tables[o.table]->elems[uint32_t(fp[o.index])]);
    base = o.base;
  } else {
    const auto o = layout::Call::read(ip);
    callee = th->inst->funcs[o.func];
    base = o.base;
  }
  const TrapKind k = call_host(callee, fp + base, th);
  if (k != TrapKind::None) [[unlikely]]
    return k;
  mem = enter_instance(th, th->inst);  // the host may have grown memory
  NEXT(size);
}

// Call `callee` with its frame at fp + base; the caller continues at ip + size.
// Wasm callee: check stack room, push a frame, zero the declared locals,
// switch instance if needed and jump to its code.
#define WNN_CALL(callee, base, size, indirect)                                                                \
  do {                                                                                                        \
    const FunctionCode* code_ = current_code(callee);                                                         \
    if (!code_) [[unlikely]] { [[clang::musttail]] return call_host_op<indirect>(ip, fp, mem, th); }          \
    WNN_CHARGE(1);                                                                                            \
    Slot* nfp_ = fp + (base);                                                                                 \
    if (code_->frame_slots > uint64_t(th->stack_end - nfp_) || th->frames_top == th->frames_end) [[unlikely]] \
      return TrapKind::CallStackExhausted;                                                                    \
    *th->frames_top++ = Frame{ip + (size), fp, th->inst, (callee)};                                           \
    for (uint32_t i_ = code_->param_slots, e_ = code_->local_slots; i_ < e_; ++i_) nfp_[i_] = 0;              \
    if ((callee)->inst != th->inst) [[unlikely]]                                                              \
      mem = enter_instance(th, (callee)->inst);                                                               \
    fp = nfp_;                                                                                                \
    JUMP(code_->code.data());                                                                                 \
  } while (0)

}  // namespace

WNN_HANDLER(unreachable) { return TrapKind::Unreachable; }

WNN_HANDLER(br) {
  const auto o = layout::Br::read(ip);
  JUMP(ip + o.target);
}

// Back to a loop header. The target is read after the charge: not held
// across refill_budget.
WNN_HANDLER(br_loop) {
  WNN_CHARGE_LOOP(layout::BrLoop::read(ip).charge, ip + layout::BrLoop::read(ip).target);
  JUMP(ip + layout::BrLoop::read(ip).target);
}

// Back to a loop header when cond holds.
WNN_HANDLER(br_if_loop) {
  const auto o = layout::BrCondLoop::read(ip);
  if (uint32_t(fp[o.cond]) != 0) {
    WNN_CHARGE_LOOP(o.charge, ip + layout::BrCondLoop::read(ip).target);
    JUMP(ip + layout::BrCondLoop::read(ip).target);
  }
  NEXT(layout::BrCondLoop::kWords);
}

WNN_HANDLER(br_if) {
  const auto o = layout::BrCond::read(ip);
  if (uint32_t(fp[o.cond]) != 0) JUMP(ip + o.target);
  NEXT(layout::BrCond::kWords);
}

WNN_HANDLER(br_unless) {
  const auto o = layout::BrCond::read(ip);
  if (uint32_t(fp[o.cond]) == 0) JUMP(ip + o.target);
  NEXT(layout::BrCond::kWords);
}

// An index >= n takes the last (default) of the n+1 targets.
WNN_HANDLER(br_table) {
  const auto o = layout::BrTable::read(ip);
  const uint32_t n = o.n;
  const uint32_t i = std::min(uint32_t(fp[o.index]), n);
  JUMP(ip + table_offset<layout::BrTable>(ip, i));
}

// The index is u32(fp[index] + imm) (a switch on `c - 'a'`).
WNN_HANDLER(br_table_add) {
  const auto o = layout::BrTableAdd::read(ip);
  const uint32_t n = o.n;
  const uint32_t i = std::min(uint32_t(uint32_t(fp[o.index]) + o.imm), n);
  JUMP(ip + table_offset<layout::BrTableAdd>(ip, i));
}

// The index is the byte at
// u64(u32(fp[addr] + imm)) + offset (a byte-code interpreter's dispatch).
WNN_HANDLER(br_table_load8) {
  const auto o = layout::BrTableLoad8::read(ip);
  const uint32_t n = o.n;
  const uint64_t ea = wasm_ea(fp[o.addr], o.imm, o.offset);
  WNN_BOUNDS(ea, 1);
  const uint32_t i = std::min(uint32_t(mem[ea]), n);
  JUMP(ip + table_offset<layout::BrTableLoad8>(ip, i));
}

// Results are already in fp[0..). The entry frame of Executor::call returns
// to a `halt` instruction.
WNN_HANDLER(return) {
  const Frame* f = --th->frames_top;
  // Same instance: th->mem_size is still current, because memory.grow and
  // host calls in this instance refresh it themselves.
  if (f->caller_inst != th->inst) [[unlikely]]
    mem = enter_instance(th, f->caller_inst);
  fp = f->caller_fp;
  JUMP(f->ret_ip);
}

// The locals-zeroing loop is usually short: keep it inline rather than a
// memset call, which would make the handler save registers.
#define WNN_NO_MEMSET __attribute__((no_builtin("memset")))

WNN_NO_MEMSET WNN_HANDLER(call) {
  const auto o = layout::Call::read(ip);
  const FuncInst* callee = th->inst->funcs[o.func];
  // base is read after the budget charge (WNN_CALL), so that it need not
  // live across refill_budget: no stack frame on the call path.
  WNN_CALL(callee, layout::Call::read(ip).base, layout::Call::kWords, false);
}

WNN_NO_MEMSET WNN_HANDLER(call_indirect) {
  const auto o = layout::CallIndirect::read(ip);
  const TableInst* t = th->inst->tables[o.table];
  const uint32_t i = uint32_t(fp[o.index]);
  if (i >= t->elems.size()) [[unlikely]]
    return TrapKind::UndefinedElement;
  const FuncInst* callee = reinterpret_cast<const FuncInst*>(t->elems[i]);
  if (!callee) [[unlikely]]
    return TrapKind::UninitializedElement;
  if (callee->type_id != th->inst->type_ids[o.type]) [[unlikely]]
    return TrapKind::IndirectCallTypeMismatch;
  WNN_CALL(callee, layout::CallIndirect::read(ip).base, layout::CallIndirect::kWords, true);
}

WNN_HANDLER(halt) { return TrapKind::None; }

// ---- values ----------------------------------------------------------------

WNN_HANDLER(copy) {
  const auto o = layout::Unary::read(ip);
  fp[o.dst] = fp[o.src];
  NEXT(layout::Unary::kWords);
}

// Two slots; read both before writing (the ranges may overlap).
// One 16-byte load and store: SIMD handlers read v128s with 16-byte loads,
// which two 8-byte stores would make miss store forwarding.
WNN_HANDLER(copy2) {
  const auto o = layout::Unary::read(ip);
  V128Bits v;
  std::memcpy(&v, fp + o.src, 16);
  std::memcpy(fp + o.dst, &v, 16);
  NEXT(layout::Unary::kWords);
}

WNN_HANDLER(const) {
  const auto o = layout::Const::read(ip);
  fp[o.dst] = o.value;
  NEXT(layout::Const::kWords);
}

WNN_HANDLER(select) {
  const auto o = layout::Select::read(ip);
  fp[o.dst] = uint32_t(fp[o.cond]) ? fp[o.a] : fp[o.b];
  NEXT(layout::Select::kWords);
}

WNN_HANDLER(select2) {
  const auto o = layout::Select::read(ip);
  const uint32_t src = uint32_t(fp[o.cond]) ? o.a : o.b;
  V128Bits v;
  std::memcpy(&v, fp + src, 16);
  std::memcpy(fp + o.dst, &v, 16);
  NEXT(layout::Select::kWords);
}

WNN_HANDLER(global_get) {
  const auto o = layout::GlobalGet::read(ip);
  fp[o.dst] = th->inst->globals[o.global]->value[0];
  NEXT(layout::GlobalGet::kWords);
}

WNN_HANDLER(global_set) {
  const auto o = layout::GlobalSet::read(ip);
  th->inst->globals[o.global]->value[0] = fp[o.src];
  NEXT(layout::GlobalSet::kWords);
}

WNN_HANDLER(global_get2) {
  const auto o = layout::GlobalGet::read(ip);
  const GlobalInst* g = th->inst->globals[o.global];
  std::memcpy(fp + o.dst, g->value, 16);
  NEXT(layout::GlobalGet::kWords);
}

WNN_HANDLER(global_set2) {
  const auto o = layout::GlobalSet::read(ip);
  GlobalInst* g = th->inst->globals[o.global];
  g->value[0] = fp[o.src];
  g->value[1] = fp[o.src + 1];
  NEXT(layout::GlobalSet::kWords);
}

WNN_HANDLER(ref_is_null) {
  const auto o = layout::Unary::read(ip);
  fp[o.dst] = to_slot(fp[o.src] == 0);
  NEXT(layout::Unary::kWords);
}

WNN_HANDLER(ref_func) {
  const auto o = layout::RefFunc::read(ip);
  fp[o.dst] = Slot(reinterpret_cast<uintptr_t>(th->inst->funcs[o.func]));
  NEXT(layout::RefFunc::kWords);
}

}  // namespace wnn::exec
