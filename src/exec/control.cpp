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
  constexpr int size = Indirect ? 3 : 2;
  const FuncInst* callee;
  uint32_t base;
  if constexpr (Indirect) {
    callee = reinterpret_cast<const FuncInst*>(th->inst->tables[ip[1].b]->elems[uint32_t(fp[ip[2].a])]);
    base = ip[2].b;
  } else {
    callee = th->inst->funcs[ip[1].a];
    base = ip[1].b;
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

// (rel, -)
WNN_HANDLER(br) { JUMP(ip + ip[1].br.rel); }

// (rel, charge): back to a loop header.
WNN_HANDLER(br_loop) {
  WNN_CHARGE_LOOP(ip[1].br.slot, ip + ip[1].br.rel);
  JUMP(ip + ip[1].br.rel);
}

// (rel, cond) (charge, -): back to a loop header when cond holds.
WNN_HANDLER(br_if_loop) {
  if (uint32_t(fp[ip[1].br.slot]) != 0) {
    WNN_CHARGE_LOOP(ip[2].a, ip + ip[1].br.rel);
    JUMP(ip + ip[1].br.rel);
  }
  NEXT(3);
}

// (rel, cond)
WNN_HANDLER(br_if) {
  if (uint32_t(fp[ip[1].br.slot]) != 0) JUMP(ip + ip[1].br.rel);
  NEXT(2);
}

// (rel, cond)
WNN_HANDLER(br_unless) {
  if (uint32_t(fp[ip[1].br.slot]) == 0) JUMP(ip + ip[1].br.rel);
  NEXT(2);
}

// (index, n) then n+1 target words; an index >= n takes the last (default).
WNN_HANDLER(br_table) {
  const uint32_t n = ip[1].b;
  const uint32_t i = std::min(uint32_t(fp[ip[1].a]), n);
  JUMP(ip + ip[2 + i].br.rel);
}

// (index, n) (imm, -) then the n+1 words: the index is u32(fp[index] + imm)
// (a switch on `c - 'a'`).
WNN_HANDLER(br_table_add) {
  const uint32_t n = ip[1].b;
  const uint32_t i = std::min(uint32_t(uint32_t(fp[ip[1].a]) + ip[2].a), n);
  JUMP(ip + ip[3 + i].br.rel);
}

// (addr, n) (imm, offset) then the n+1 words: the index is the byte at
// u64(u32(fp[addr] + imm)) + offset (a byte-code interpreter's dispatch).
WNN_HANDLER(br_table_load8) {
  const uint32_t n = ip[1].b;
  const uint64_t ea = wasm_ea(fp[ip[1].a], ip[2].a, ip[2].b);
  WNN_BOUNDS(ea, 1);
  const uint32_t i = std::min(uint32_t(mem[ea]), n);
  JUMP(ip + ip[3 + i].br.rel);
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

// (func, base)
WNN_NO_MEMSET WNN_HANDLER(call) {
  const FuncInst* callee = th->inst->funcs[ip[1].a];
  WNN_CALL(callee, ip[1].b, 2, false);
}

// (type, table) (index, base)
WNN_NO_MEMSET WNN_HANDLER(call_indirect) {
  const TableInst* t = th->inst->tables[ip[1].b];
  const uint32_t i = uint32_t(fp[ip[2].a]);
  if (i >= t->elems.size()) [[unlikely]]
    return TrapKind::UndefinedElement;
  const FuncInst* callee = reinterpret_cast<const FuncInst*>(t->elems[i]);
  if (!callee) [[unlikely]]
    return TrapKind::UninitializedElement;
  if (callee->type_id != th->inst->type_ids[ip[1].a]) [[unlikely]]
    return TrapKind::IndirectCallTypeMismatch;
  WNN_CALL(callee, ip[2].b, 3, true);
}

WNN_HANDLER(halt) { return TrapKind::None; }

// ---- values ----------------------------------------------------------------

// (dst, src)
WNN_HANDLER(copy) {
  fp[ip[1].a] = fp[ip[1].b];
  NEXT(2);
}

// (dst, src), two slots; read both before writing (the ranges may overlap).
// One 16-byte load and store: SIMD handlers read v128s with 16-byte loads,
// which two 8-byte stores would make miss store forwarding.
WNN_HANDLER(copy2) {
  V128Bits v;
  std::memcpy(&v, fp + ip[1].b, 16);
  std::memcpy(fp + ip[1].a, &v, 16);
  NEXT(2);
}

// (dst, -) (value)
WNN_HANDLER(const) {
  fp[ip[1].a] = ip[2].u64;
  NEXT(3);
}

// (dst, cond) (a, b)
WNN_HANDLER(select) {
  fp[ip[1].a] = uint32_t(fp[ip[1].b]) ? fp[ip[2].a] : fp[ip[2].b];
  NEXT(3);
}

WNN_HANDLER(select2) {
  const uint32_t src = uint32_t(fp[ip[1].b]) ? ip[2].a : ip[2].b;
  V128Bits v;
  std::memcpy(&v, fp + src, 16);
  std::memcpy(fp + ip[1].a, &v, 16);
  NEXT(3);
}

// (dst, global)
WNN_HANDLER(global_get) {
  fp[ip[1].a] = th->inst->globals[ip[1].b]->value[0];
  NEXT(2);
}

// (src, global)
WNN_HANDLER(global_set) {
  th->inst->globals[ip[1].b]->value[0] = fp[ip[1].a];
  NEXT(2);
}

WNN_HANDLER(global_get2) {
  const GlobalInst* g = th->inst->globals[ip[1].b];
  std::memcpy(fp + ip[1].a, g->value, 16);
  NEXT(2);
}

WNN_HANDLER(global_set2) {
  GlobalInst* g = th->inst->globals[ip[1].b];
  g->value[0] = fp[ip[1].a];
  g->value[1] = fp[ip[1].a + 1];
  NEXT(2);
}

// (dst, src)
WNN_HANDLER(ref_is_null) {
  fp[ip[1].a] = to_slot(fp[ip[1].b] == 0);
  NEXT(2);
}

// (dst, func)
WNN_HANDLER(ref_func) {
  fp[ip[1].a] = Slot(reinterpret_cast<uintptr_t>(th->inst->funcs[ip[1].b]));
  NEXT(2);
}

}  // namespace wnn::exec
