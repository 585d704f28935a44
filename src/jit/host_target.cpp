#include "jit/host_target.h"

#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>

#include <mutex>

namespace wnn::jit {

Expected<llvm::orc::JITTargetMachineBuilder> host_target_builder(JitLevel level) {
  static std::once_flag init;
  std::call_once(init, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // X86 domain reassignment moves chains of integer operations into AVX-512
    // mask registers. Wasm code has hardly any, and on AVX-512 hosts the pass
    // took 5-10% of code generation (docs/performance.md). An LLVM option, so
    // set once, before any compile (addOccurrence parses it as its own type).
    auto& options = llvm::cl::getRegisteredOptions();
    if (auto it = options.find("disable-x86-domain-reassignment"); it != options.end())
      (void)it->second->addOccurrence(0, it->first(), "true");
  });
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(jtmb.takeError()));
  // Quick: FastISel (SelectionDAG where it cannot) with the usual register
  // allocator. CodeGenOptLevel::None would bring the fast allocator too:
  // 35% less compile time, code 1.9x slower (docs/performance.md).
  jtmb->setCodeGenOptLevel(level == JitLevel::Quick ? llvm::CodeGenOptLevel::Less : llvm::CodeGenOptLevel::Default);
  jtmb->getOptions().EnableFastISel = level == JitLevel::Quick;
  jtmb->setRelocationModel(llvm::Reloc::PIC_);
  jtmb->setCodeModel(llvm::CodeModel::Small);
  return std::move(*jtmb);
}

Expected<std::unique_ptr<llvm::TargetMachine>> host_target_machine(JitLevel level) {
  WNN_TRY(jtmb, host_target_builder(level));
  auto tm = jtmb.createTargetMachine();
  if (!tm) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(tm.takeError()));
  return std::move(*tm);
}

}  // namespace wnn::jit
