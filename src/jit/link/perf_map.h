// CompileOptions::profiling == Profiling::PerfMap (wnn/runtime.h): the linker
// names each compiled function in /tmp/perf-<pid>.map, the file Linux perf
// reads for JIT code (one line `START SIZE NAME`, hex without 0x), so that
// `perf report` shows `wasm[<module>]::<function>` instead of [unknown].
#pragma once
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>

#include <cstdint>
#include <string>
#include <vector>

#include "valid/compiled_module.h"

namespace wnn::jit {

// Records, after fixups (final addresses), the object's function symbols:
// f<index> (a function), e<defined> (its entry wrapper, which holds the
// function when it was inlined there), o<defined> (its loop entry).
class PerfMapPlugin : public llvm::orc::ObjectLinkingLayer::Plugin {
 public:
  struct Symbol {
    uint64_t start, size;
    std::string name;  // the object's
  };
  void modifyPassConfig(llvm::orc::MaterializationResponsibility& mr, llvm::jitlink::LinkGraph& g,
                        llvm::jitlink::PassConfiguration& config) override;
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility&) override { return llvm::Error::success(); }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey) override {
    return llvm::Error::success();
  }
  void notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey, llvm::orc::ResourceKey) override {}

  const std::vector<Symbol>& symbols() const { return symbols_; }

 private:
  std::vector<Symbol> symbols_;
};

// The map's lines for `symbols` of an object of `m`: names from the module's
// name section (else "function[<index>]"), control characters replaced so
// that a name can never start a line of its own.
std::string perf_map_lines(const CompiledModule& m, const std::vector<PerfMapPlugin::Symbol>& symbols);

// Appends `lines` to /tmp/perf-<pid>.map in one write (several objects of a
// process are linked one after another, possibly on several threads). A map
// that cannot be written costs the profile its names, not the run.
void append_perf_map(const std::string& lines);

}  // namespace wnn::jit
