// The interface between the runtime and the compiler tier (src/jit, built as
// libwnn_jit.so and opened on first use so that wnn never links LLVM). See
// docs/compiler.md.
//
// A compiled function keeps the interpreter's calling convention at its
// boundary: its FunctionCode is two words, `jit_enter` and the address of a
// native entry `void entry(Thread*, uint8_t* mem, Slot* fp)`
// that reads the arguments from fp[0..) and leaves the results there. So the
// interpreter, Executor::call and tables call compiled functions unchanged.
// Compiled code runs the interpreter's own instructions for everything that
// leaves it (calls to imports and through tables, bulk memory and table
// operations): one home for each operation's semantics.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cache/sealed_file.h"
#include "exec/code.h"
#include "runtime/objects.h"
#include "valid/opcode_info.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::exec {

// The instance's functions and globals are Thread::jit_funcs / jit_globals.
using JitEntry = void (*)(Thread* th, uint8_t* mem, Slot* fp);

// A loop entry (on-stack replacement, tiering.h): a defined function compiled
// again to be entered at the header of any of its loops, `loop` naming it by
// the module byte offset of its `loop` instruction (LoopHeader::wasm_offset).
// It reads the locals and the operand stack from the interpreter's frame at
// that header (every value in its canonical slot), runs the rest of the
// function, and leaves the results in fp[0..) like a JitEntry.
using JitLoopEntry = void (*)(Thread* th, uint8_t* mem, Slot* fp, uint32_t loop);

// What JitRuntime::refill_budget_at_loop returns, besides TrapKind::None and
// a trap, when the running Quick loop entry's Full one is published.
inline constexpr uint8_t kSwitchToFullLoopEntry = 0xFF;

// What compiled code calls in the runtime, and the handlers it builds
// instruction sequences from.
struct JitRuntime {
  TrapKind (*run)(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);  // until `halt`
  void (*trap)(Thread* th, uint32_t kind);                              // never returns
  TrapKind (*refill_budget)(Thread* th);
  void (*reserve_budget)(Thread* th, int64_t need);
  Handler enter, halt, call, call_indirect;
  Handler memory_size, memory_grow, memory_fill, memory_copy, memory_init, data_drop;
  Handler table_get, table_set, table_size, table_grow, table_fill, table_copy, table_init, elem_drop;
  // The SIMD instruction table (names, shapes, handlers) of src/valid.
  const valid::SimdOp& (*simd_op)(uint32_t sub);
  // CompileOptions::interrupt / deadline, as the translator checks them.
  bool (*stop_requested)(const CompileOptions& options);
  Error (*interrupted_compile)(const std::string& where);
  // A Quick loop entry's back-edge: refill_budget, then
  // kSwitchToFullLoopEntry if its Full loop entry is published, which
  // full_loop_entry returns (tiering.h).
  TrapKind (*refill_budget_at_loop)(Thread* th, uint32_t loop);
  JitLoopEntry (*full_loop_entry)(Thread* th, uint32_t loop);
};

struct JitOptions {
  // Print the LLVM IR (after optimisation) of this function index to stderr
  // (tools/dump_code --tier=jit); UINT32_MAX for none.
  uint32_t dump_function = UINT32_MAX;
  bool dump_before_opt = false;  // the IR as generated, before optimisation
  bool dump_asm = false;         // the function's x86-64 assembly instead of IR
  bool dump_loop_entry = false;  // its loop entry's (on-stack replacement), in loop_entries
  // Checked between functions and between the compiler's phases.
  const CompileOptions* compile_options = nullptr;
  // Defined functions whose loop entry to compile besides the functions
  // (jit_compile_object); one without loops that have code is left out.
  std::span<const uint32_t> loop_entries;
  // Per loop entry (when given, as many), the loop (module offset) it was
  // asked at: at Quick, the outermost loop around it is where the entry
  // switches to the Full one (tiering.h); 0 for none.
  std::span<const uint32_t> switch_loops;
  // The optimisation pipeline and CompileOptions::exact_fuel (wnn/runtime.h).
  JitLevel level = JitLevel::Full;
  bool exact_fuel = false;
  // When set, jit_compile_object stores there how long each phase took
  // (thread CPU milliseconds; WNN_TIER_TRACE prints them).
  struct PhaseTimes {
    double ir = 0, optimise = 0, codegen = 0;
  }* times = nullptr;
};

// Loads the compiler tier (once) and compiles every function of `m`, which
// is not shared yet: jit_compile_object + jit_link_object + jit_install;
// with options.compile_options->code_cache_dir, the object comes from the
// code cache when it holds one (batch "all") and goes there otherwise.
Expected<void> jit_compile(CompiledModule& m, const JitOptions& options = {});
// Only loads the linker of compiled code (libwnn_jit_link.so, ~0.4 ms: all a
// run from cached code needs) or the compiler too (libwnn_jit.so, ~3 ms),
// e.g. on a background thread.
enum class JitPart { Linker, Compiler };
Expected<void> jit_load(JitPart part = JitPart::Compiler);

// --- Compiled code as relocatable objects (docs/compiler.md, "Code cache and
// artifacts"). An object holds the native code of some defined functions of
// one module and nothing specific to the process that made it: runtime
// helpers are symbols resolved by jit_link_object, interpreter stubs are
// rebuilt by it. It depends only on the module and jit_target(). A call from
// a function in the object to one outside it runs the interpreter's `call`
// (like a call to an import), so it reaches whatever code that function has
// when called; calls inside the object are direct (and inlinable).

// The native code and entries of one linked object.
struct JitLinked {
  std::shared_ptr<void> owner;  // keeps code and stubs alive; may outlive nothing that calls them
  std::vector<std::pair<uint32_t, JitEntry>> entries;  // defined-function index -> native entry
  struct LoopEntry {
    uint32_t defined;
    JitLoopEntry entry;
    std::vector<uint32_t> loops;  // the loops it can enter (wasm offsets)
  };
  std::vector<LoopEntry> loop_entries;  // JitOptions::loop_entries
};

// Compiles the defined functions `defined` of `m` (all when empty; indices
// count defined functions, not imports) into one ELF object. Does not modify
// `m`; thread-safe (each call has its own LLVM context). Checks
// options.compile_options' interrupt/deadline like jit_compile.
Expected<std::vector<uint8_t>> jit_compile_object(const CompiledModule& m, std::span<const uint32_t> defined = {},
                                                  const JitOptions& options = {});
// Links an object made by jit_compile_object for this same module (checked:
// format and function count) into this process. Does not modify `m`. The
// object's bytes are trusted: only an object this wnn build made for this
// host (jit_target) may be passed; the cache and artifacts check that.
Expected<JitLinked> jit_link_object(const CompiledModule& m, std::span<const uint8_t> object);
// The interpreter-convention code of a compiled function: one jit_enter.
FunctionCode jit_function_code(const CompiledModule& m, uint32_t defined, JitEntry entry);
// Replaces m.code's entries of `linked`'s functions and makes m.native own
// its code (Tier::Jit: one object for the whole module; `m` not shared yet).
void jit_install(CompiledModule& m, JitLinked linked);
// What an object's machine code depends on besides the module: the code
// cache's key and an artifact's header hold it. An error when the compiler
// tier is unavailable.
struct JitTarget {
  std::string build;  // "<libwnn_jit.so's GNU build id>+<libwnn_jit_link.so's>" (their code, the Thread layout)
  std::string llvm;   // "LLVM 19.1.7 O2 pic": LLVM's version and the code generation options
  std::string cpu;    // "<triple> <cpu> +feature,...": the host CPU, features sorted
};
Expected<JitTarget> jit_target();

// The code cache's name for an object of the defined functions `defined`
// (CodeCache::batch_name) compiled at `level`: Quick objects have names of
// their own ("...-quick"), so that one is never taken for Full code.
std::string jit_batch_name(std::span<const uint32_t> defined, JitLevel level);
JitLevel jit_batch_level(std::string_view name);

// What the code cache and artifacts key compiled code by: jit_target() and
// wnn's version.
Expected<cache::CodeIdentity> jit_code_identity();
// The code cache's module key variant for code compiled with these options
// (CodeCache::module_key): code for Stores with fuel is kept apart.
inline std::string_view jit_code_variant(bool exact_fuel) { return exact_fuel ? "exact-fuel" : ""; }

// The modules' entry points: libwnn_jit.so's "wnn_jit_compile_object",
// libwnn_jit_link.so's "wnn_jit_link_object" and "wnn_jit_target" (which
// leaves JitTarget::build to the runtime).
using JitCompileObjectFn = Expected<std::vector<uint8_t>> (*)(const CompiledModule& m,
                                                              std::span<const uint32_t> defined, const JitRuntime& rt,
                                                              const JitOptions& options);
using JitLinkObjectFn = Expected<JitLinked> (*)(const CompiledModule& m, std::span<const uint8_t> object,
                                                const JitRuntime& rt);
using JitTargetFn = JitTarget (*)();

// op_jit_enter and op_jit_enter_loop (the latter run for an activation that
// switches at a loop back-edge: budget.cpp, loop_refill) are ops.def rows.

}  // namespace wnn::exec
