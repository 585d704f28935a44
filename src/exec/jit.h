// The interface between the runtime and the compiler tier (src/jit, built as
// libwnn_jit.so and opened on first use so that wnn never links LLVM). See
// docs/compiler.md.
//
// A compiled function keeps the interpreter's calling convention at its
// boundary: its FunctionCode is two words, `jit_enter` and the address of a
// native entry `void entry(Thread*, const JitView*, uint8_t* mem, Slot* fp)`
// that reads the arguments from fp[0..) and leaves the results there. So the
// interpreter, Executor::call and tables call compiled functions unchanged.
// Compiled code runs the interpreter's own instructions for everything that
// leaves it (calls to imports and through tables, bulk memory and table
// operations): one home for each operation's semantics.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "exec/code.h"
#include "runtime/objects.h"
#include "valid/opcode_info.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::exec {

// The instance's objects, as compiled code reads them.
struct JitView {
  FuncInst* const* funcs;
  GlobalInst* const* globals;
};
using JitEntry = void (*)(Thread* th, const JitView* view, uint8_t* mem, Slot* fp);

// What compiled code calls in the runtime, and the handlers it builds
// instruction sequences from.
struct JitRuntime {
  TrapKind (*run)(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);  // until `halt`
  void (*trap)(Thread* th, uint32_t kind);                              // never returns
  TrapKind (*refill_budget)(Thread* th);
  Handler enter, halt, call, call_indirect;
  Handler memory_size, memory_grow, memory_fill, memory_copy, memory_init, data_drop;
  Handler table_get, table_set, table_size, table_grow, table_fill, table_copy, table_init, elem_drop;
  // The SIMD instruction table (names, shapes, handlers) of src/valid.
  const valid::SimdOp& (*simd_op)(uint32_t sub);
  // CompileOptions::interrupt / deadline, as the translator checks them.
  bool (*stop_requested)(const CompileOptions& options);
  Error (*interrupted_compile)(const std::string& where);
};

struct JitOptions {
  // Print the LLVM IR (after optimisation) of this function index to stderr
  // (tools/dump_code --tier=jit); UINT32_MAX for none.
  uint32_t dump_function = UINT32_MAX;
  bool dump_before_opt = false;  // the IR as generated, before optimisation
  bool dump_asm = false;         // the function's x86-64 assembly instead of IR
  // Checked between functions and between the compiler's phases.
  const CompileOptions* compile_options = nullptr;
};

// libwnn_jit.so's entry point, "wnn_jit_compile": compiles every defined
// function of `m`, replaces its m.code entries and returns the owner of the
// native code (stored in m.native).
using JitCompileFn = Expected<std::shared_ptr<void>> (*)(CompiledModule& m, const JitRuntime& rt,
                                                         const JitOptions& options);

// Loads the compiler tier (once) and compiles `m`, which is not shared yet.
Expected<void> jit_compile(CompiledModule& m, const JitOptions& options = {});
// Only loads it (~16 ms: LLVM's shared library), e.g. on a background thread.
Expected<void> jit_load();

TrapKind WNN_CC op_jit_enter(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);

}  // namespace wnn::exec
