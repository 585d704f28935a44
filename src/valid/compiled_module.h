// A module that has been decoded, validated and translated: what the runtime
// instantiates. Immutable and shareable between instances and stores.
#pragma once
#include <memory>
#include <vector>

#include "binary/module.h"
#include "exec/code.h"

namespace wnn::exec {
class TierState;
}

namespace wnn {

struct CompiledModule {
  Module module;
  // Type index of every function in the index space (imports first).
  std::vector<uint32_t> func_types;
  // Type of every global in the index space (imports first).
  std::vector<GlobalType> global_types;
  // Translated code, one per defined function (same order as module.functions).
  std::vector<exec::FunctionCode> code;
  // Functions that may be referenced by ref.func (declared in elems/exports/globals).
  std::vector<bool> declared_funcs;
  // Tier::Jit: owner of the native code that `code` entries jump to
  // (src/jit); null for interpreted modules.
  std::shared_ptr<void> native;
  // Tier::Auto: sampling, background compilation and the code published so
  // far (src/exec/tiering.h); null for the other tiers.
  std::shared_ptr<exec::TierState> tier;
  // CompileOptions::profiling == PerfMap: the module's name in
  // /tmp/perf-<pid>.map, which the linker of compiled code appends to
  // (src/jit/link/perf_map.h); "" when not profiling.
  std::string perf_map_name;
};

}  // namespace wnn
