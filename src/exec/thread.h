// The state of one executing guest thread: value stack, call frames, the
// running instance and its memory, and details of the last trap.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "exec/code.h"
#include "runtime/objects.h"

namespace wnn::exec {

struct Frame {
  const Word* ret_ip;     // where the caller continues
  Slot* caller_fp;
  Instance* caller_inst;
  const FuncInst* callee; // the function this frame runs (for traps/backtraces)
};

struct Thread {
  Instance* inst = nullptr;  // instance of the running function
  uint64_t mem_size = 0;     // cached size in bytes of inst->memories[0] (0 if none)

  Slot* stack_begin = nullptr;
  Slot* stack_end = nullptr;
  Frame* frames_begin = nullptr;
  Frame* frames_top = nullptr;  // one past the innermost frame
  Frame* frames_end = nullptr;
  // Set by `call` just before it runs a host function: the first value-stack
  // slot past the live part of the calling frame. A host function that calls
  // back into wasm (Executor::call) starts the nested frame there.
  Slot* host_call_sp = nullptr;

  // Set when a handler returns a trap. trap_func is the host function that
  // failed (HostError, Exit, or a trap passed on from wasm it called); it
  // stays null for wasm traps, whose function is the innermost Frame's callee.
  const FuncInst* trap_func = nullptr;
  std::string host_message;  // HostError: the host's message
  int exit_code = 0;         // Exit
  Store* store = nullptr;

  // Loop back-edges and calls charge `budget`; when it goes negative,
  // refill_budget() decides: trap (fuel spent, interrupt requested) or go on.
  // So the hot path is one decrement and a predictable branch.
  int64_t budget = 0;
  uint64_t fuel_left = 0;         // fuel not yet handed to `budget`
  bool fuel_limited = false;
  std::atomic<bool>* interrupt = nullptr;  // set from any thread (owned by the Store)

  // Compiled code (src/jit, docs/compiler.md): the value-stack slots where a
  // compiled function passes arguments to interpreter instructions it runs
  // (calls out, bulk and table operations), and the lowest native stack
  // address compiled code may grow to before it traps as stack exhaustion.
  Slot* jit_sp = nullptr;
  uintptr_t native_limit = 0;
  // The functions and globals of the instance whose compiled code runs (set
  // by jit_enter around each entry, restored by Executor::call when a nested
  // run ends, trap or not): compiled code reaches them and the Thread through
  // one pointer, so one register fewer lives across its calls.
  FuncInst* const* jit_funcs = nullptr;
  GlobalInst* const* jit_globals = nullptr;

  // A trap passed on by trap_func from wasm it called: that call's frames
  // (Error::trace), which come first in this trap's trace.
  std::vector<TrapFrame> host_trace;
};

// Called when `budget` went negative: TrapKind::None to continue.
TrapKind refill_budget(Thread* th);
// The same from compiled code (JitRuntime::refill_budget): the tiering
// sampler tells a compiled activation from an interpreted one.
TrapKind jit_refill_budget(Thread* th);
// Before a compiled counted loop whose trips may charge `need`, more than
// `budget` holds (src/jit/charged_loops.cpp): raises `budget` to
// min(2 * need, kMaxReserve) (with `need` at most that) when that changes
// nothing the program can observe — from the fuel, which keeps budget +
// fuel_left, or, without fuel (an interruption is still seen within
// kMaxReserve charged instructions). Otherwise leaves it.
void reserve_budget(Thread* th, int64_t need);
// The same at a back-edge to the loop header `header` of the running
// (interpreted) function; `osr` is compiled code that continues the loop
// when the tiering compiler has published one (else null).
struct LoopRefill {
  TrapKind trap;
  const Word* osr;
};
LoopRefill refill_budget_at_loop(Thread* th, const Word* header);
// The slow path of WNN_LOOP_BACK (handler.h): handler-shaped, `ip` is the
// loop header.
TrapKind WNN_CC loop_refill(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);

// Switch the thread to `inst`: cache its memory base and size.
inline uint8_t* enter_instance(Thread* th, Instance* inst) {
  th->inst = inst;
  if (inst && !inst->memories.empty()) {
    th->mem_size = inst->memories[0]->size;
    return inst->memories[0]->base;
  }
  th->mem_size = 0;
  return nullptr;
}

}  // namespace wnn::exec
