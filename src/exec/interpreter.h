// Running functions from the host: the entry point of the interpreter.
#pragma once
#include <cstdint>

#include "exec/thread.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::exec {

// Owns one Thread and its stacks (allocated on first use). Not thread-safe:
// one Executor runs one guest thread at a time, but calls may nest (a host
// function called from wasm may call back into wasm through the same Executor).
// Runs the handler chain at `ip` until `halt` or a trap (no guard frame of
// its own: the caller runs inside one). Compiled code runs interpreter
// instructions through it (src/exec/jit_support.cpp).
TrapKind run_code(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);

class Executor {
 public:
  Executor(Store* store, const StoreConfig& config);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs `func` (wasm or host) with its arguments in slots[0..param_slots);
  // leaves its results in slots[0..result_slots). `slots` may be any buffer of
  // max(param_slots, result_slots) slots. A trap gives ErrorKind::Trap (or
  // ErrorKind::Exhaustion for CallStackExhausted) with Error::trap set and a
  // message naming the trap, the function where it happened and a backtrace.
  Expected<void> call(FuncInst* func, uint64_t* slots);

  // True while a call is running (a host function has been re-entered).
  bool active() const { return depth_ > 0; }
  Thread& thread() { return th_; }

 private:
  bool ensure_stacks();
  Error trap_error(TrapKind kind, const Frame* outer);

  Thread th_;
  uint64_t stack_slots_;
  uint64_t max_frames_;
  void* stack_map_ = nullptr;
  void* frames_map_ = nullptr;
  uint32_t depth_ = 0;
};

}  // namespace wnn::exec
