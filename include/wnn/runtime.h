// The embedding API: compile a module, instantiate it in a Store with
// imports, call its exports.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wnn/expected.h"
#include "wnn/host.h"
#include "wnn/types.h"
#include "wnn/value.h"

namespace wnn {

struct CompiledModule;

// StoreConfig::max_total_bytes by default: 5 GiB.
constexpr uint64_t kDefaultMaxStoreBytes = uint64_t(5) << 30;

// How compile may be stopped from outside. Both are polled between
// functions and every 4096 instructions inside one: once `interrupt` reads
// true (it may be set from
// any thread, e.g. a timeout watchdog) or `deadline` has passed, compile
// returns ErrorKind::Exhaustion with Error::trap = TrapKind::Interrupted and
// a message starting "interrupted" (within milliseconds).
// How a module's functions run: translated for the interpreter; compiled
// to native code by the LLVM tier (libwnn_jit.so, loaded on first use;
// docs/compiler.md) before compile() returns; or Auto: on the interpreter at
// once, hot functions compiled on background threads and switched to native
// code at their next call (docs/compiler.md, "Tiering"). Auto without the
// compiler tier built is Interp. Process exit never waits for a background
// compile: if one is queued or running when exit() is called, wnn flushes
// stdio and ends the process with _exit (the exit status kept), so exit
// handlers registered before the first Auto compile and static destructors
// do not run then.
enum class Tier : uint8_t { Interp, Jit, Auto };

// How hard LLVM optimises (docs/compiler.md, "Tiering"): Full is LLVM's O2;
// Quick is a short pipeline of its own with cheaper code generation
// (FastISel): half the compile time of O1's, for code as fast as O1's and a
// few percent slower than O2's. Tier::Auto compiles a function Quick first
// and again Full when its compiled code stays hot; Tier::Jit uses
// CompileOptions::jit_level.
enum class JitLevel : uint8_t { Full, Quick };

// CompileOptions::profiling: what compiled code tells a profiler. PerfMap
// appends a line `START SIZE NAME` per compiled function to
// /tmp/perf-<pid>.map as each piece of code is linked (Linux perf's
// convention for JIT code), so `perf report` names guest functions
// `wasm[<module>]::<function>`. The file is created with mode 0644 in /tmp,
// readable by other users: it names the module's functions and where its
// code lives, hence opt-in. Interpreted code has no entries.
enum class Profiling : uint8_t { None, PerfMap };

// Tier::Auto's policy. The defaults suit programs; tests set them to switch
// tiers at a chosen moment.
struct TieringOptions {
  // A function is hot after this many samples (0: the default, 16). A sample
  // is taken each `sample_chunk` instructions charged to the budget (loop
  // iterations, calls; 0: the default, 16384) and counts for the function
  // running then.
  uint32_t hot_samples = 0;
  uint32_t sample_chunk = 0;
  // Compile on the guest's own thread when the first function gets hot,
  // instead of in the background: the switch happens at a reproducible point.
  bool synchronous = false;
  // The pipeline a function is compiled with first, and after how many
  // samples of its compiled code (taken as above) Quick code is compiled
  // again Full (0: the default, 64 x hot_samples and a second after its
  // Quick code was published).
  JitLevel first_level = JitLevel::Quick;
  uint32_t full_samples = 0;
};

struct CompileOptions {
  const std::atomic<bool>* interrupt = nullptr;
  Tier tier = Tier::Interp;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  TieringOptions tiering;
  // Tier::Jit's optimisation (tests and measurements of the Quick pipeline
  // that Tier::Auto starts with; `wnn run --jit-level`).
  JitLevel jit_level = JitLevel::Full;
  // Compiled code for a Store with fuel (`wnn run --fuel`): it stores its
  // budget before every access to linear memory that a charge precedes, so
  // that after an out-of-bounds fault the Store has the interpreter's fuel
  // left exactly (without it, up to the faulting function's charges since
  // its last store more). Costs loops over memory up to ~30% where their
  // accesses are not shown fault-free; code compiled with and without is
  // cached apart (docs/compiler.md, "Fuel and interruption").
  bool exact_fuel = false;
  // Profiling (`wnn run --profile`) and the module's name in profiles ("":
  // "module"; `wnn run` passes the file's name).
  Profiling profiling = Profiling::None;
  std::string profile_name;
  // The code cache (compiled code kept on disk for later runs of the same
  // module; docs/compiler.md, "Code cache and artifacts"): its directory, ""
  // for none, and its size cap (least recently used entries go first). A
  // cache that cannot be read or written only costs a compilation.
  std::string code_cache_dir;
  uint64_t code_cache_max_bytes = uint64_t(512) << 20;
};

// Decode, validate and translate a binary module. Beyond what the spec
// requires, modules must stay within wnn's implementation limits (module
// size, function count, function body size, locals; docs/security.md):
// past one, ErrorKind::Exhaustion. Running out of host memory is an
// ErrorKind::Exhaustion error too, never an abort.
Expected<std::shared_ptr<const CompiledModule>> compile(std::vector<uint8_t> bytes, const CompileOptions& options = {});

// Validate-only: the checks of compile() (decoding, validation, wnn's
// implementation limits), with the same errors; nothing is kept.
Expected<void> validate(std::span<const uint8_t> bytes);

// What a compiled module imports and exports, in module order, with types.
std::vector<ImportType> module_imports(const CompiledModule& m);
std::vector<ExportType> module_exports(const CompiledModule& m);

struct StoreConfig {
  uint32_t max_call_depth = 20000;      // frames; deeper recursion traps
  uint64_t value_stack_slots = 1 << 20; // 8 MiB of 64-bit slots
  // Fuel: an instruction budget for everything this store runs, 0 for none.
  // Charged at calls (1), loop back-edges (the loop body's instruction
  // count) and bulk memory/table operations (by length, once in bounds), so
  // a guest gets at least this many instructions; running out traps with
  // TrapKind::OutOfFuel.
  uint64_t fuel = 0;
  // Largest linear memory (in 64 KiB pages) and table (in elements) that
  // this store creates: a module asking for more at instantiation fails
  // (ErrorKind::Exhaustion); memory.grow / table.grow past it return -1.
  uint64_t max_memory_pages = kMaxPages;
  uint64_t max_table_elems = 10'000'000;
  // Total bytes of all memories (their accessible size, not the address
  // space reserved for guard pages) and tables (8 bytes per element) that
  // this store holds, whoever created them (instantiation, create_memory,
  // create_table) and however many instances share them. Checked before
  // anything is allocated: an instantiation or create_* past it fails
  // (ErrorKind::Exhaustion), memory.grow / table.grow past it return -1.
  // The default lets one memory reach its 4 GiB maximum with 1 GiB to spare
  // for tables and other memories, and no more.
  uint64_t max_total_bytes = kDefaultMaxStoreBytes;
};

// Resolves an import by (module, name); nullopt when unknown.
using ImportResolver = std::function<std::optional<Extern>(std::string_view module, std::string_view name)>;

class Store {
 public:
  explicit Store(StoreConfig config = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Link, allocate, initialise segments, run the start function. Unresolvable
  // or mismatched imports give ErrorKind::Unlinkable; a trap during
  // initialisation gives ErrorKind::Trap (its effects on shared objects stay);
  // tables and memories past the store's limits, or the host out of memory,
  // ErrorKind::Exhaustion. interrupt() stops it too (segment initialisation
  // and the start function): TrapKind::Interrupted.
  Expected<Instance*> instantiate(std::shared_ptr<const CompiledModule> module, const ImportResolver& imports);

  std::optional<Extern> find_export(const Instance* inst, std::string_view name) const;
  const std::vector<std::pair<std::string, Extern>>& exports(const Instance* inst) const;

  // Call a function; arguments are checked against its type. May be called
  // from inside a host function (re-entry): nesting is bounded by
  // max_call_depth, counted across re-entries, and by the native stack left
  // to the calling thread; either traps with TrapKind::CallStackExhausted.
  Expected<std::vector<Value>> invoke(FuncInst* func, std::span<const Value> args);

  const FuncType& func_type(const FuncInst* f) const;
  ExternType extern_type(const Extern& e) const;  // tables and memories at their current size
  Value global_value(const GlobalInst* g) const;
  GlobalType global_type(const GlobalInst* g) const;
  TableType table_type(const TableInst* t) const;
  MemoryType memory_type(const MemoryInst* m) const;
  std::span<uint8_t> memory_data(MemoryInst* m) const;

  // Sets a mutable global. ErrorKind::Usage if it is immutable or `v` has
  // another type.
  Expected<void> set_global(GlobalInst* g, Value v);
  // Grow as memory.grow and table.grow do, from the host: the old size (in
  // pages or elements), or ErrorKind::Exhaustion past the declared maximum,
  // the store's limits, or what the host can allocate (nothing changes then).
  // grow_table fills with `init`, a reference of the table's element type
  // (ErrorKind::Usage otherwise).
  Expected<uint64_t> grow_memory(MemoryInst* m, uint64_t delta_pages);
  Expected<uint64_t> grow_table(TableInst* t, uint64_t delta, Value init);

  FuncInst* create_host_function(FuncType type, HostFunction fn, std::string name = {});
  Expected<TableInst*> create_table(TableType type);
  Expected<MemoryInst*> create_memory(MemoryType type);
  GlobalInst* create_global(GlobalType type, Value init);

  const StoreConfig& config() const { return config_; }

  // Asks the guest code running in this store to stop: it traps with
  // TrapKind::Interrupted at its next loop back-edge or call past the current
  // budget chunk (within milliseconds). Safe to call from any thread, e.g. a
  // timeout watchdog; a request made while nothing runs stops the next run.
  void interrupt();

  // For host functions that block (waiting for input, sleeping): an fd that
  // is readable while an interrupt() request is pending. Poll it beside your
  // own fds; when it is readable, call take_interrupt() and if that returns
  // true return interrupted_error() (wnn/host.h): the guest then traps with
  // TrapKind::Interrupted as at a loop back-edge. (false: the request was
  // delivered elsewhere, the event is drained; wait on.) Owned by the Store.
  int interrupt_fd();
  // Consumes a pending interrupt request and its event: true if there was one.
  bool take_interrupt();

 private:
  struct Impl;
  friend struct StoreAccess;  // src/runtime/store_impl.h: the runtime's own access

  Expected<Instance*> instantiate_unguarded(std::shared_ptr<const CompiledModule> module,
                                            const ImportResolver& imports);
  Expected<std::vector<Value>> invoke_unguarded(FuncInst* func, std::span<const Value> args);

  StoreConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wnn
