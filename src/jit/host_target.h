// The machine compiled code is generated for: this host's CPU and features
// (the cache key's description of it: link/host_cpu.cpp).
#pragma once
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <string>

#include "exec/jit.h"
#include "jit/llvm_error.h"
#include "wnn/expected.h"

namespace wnn::jit {

// Host CPU, position-independent code (objects are linked at any address, in
// any process); code generation optimised as `level` says (O2 for Full).
Expected<llvm::orc::JITTargetMachineBuilder> host_target_builder(JitLevel level = JitLevel::Full);
Expected<std::unique_ptr<llvm::TargetMachine>> host_target_machine(JitLevel level = JitLevel::Full);

}  // namespace wnn::jit
