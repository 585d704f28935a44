#include "jit/host_target.h"

#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>

#include <mutex>
#include <utility>

namespace wnn::jit {

Expected<llvm::orc::JITTargetMachineBuilder> host_target_builder(JitLevel level) {
  static std::once_flag init;
  std::call_once(init, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // LLVM options, so set once, before any compile (addOccurrence parses
    // each value as its option's type). docs/performance.md has the figures.
    //   - X86 domain reassignment moves chains of integer operations into
    //     AVX-512 mask registers: Wasm code has hardly any, and on AVX-512
    //     hosts the pass took 5-10% of code generation.
    //   - X86's cmov conversion turns a `select` in a loop into a branch when
    //     it guesses the branch predictable. A Wasm `select` is the producer's
    //     choice of branch-free code (clang's wasm32 backend has no such
    //     pass); heapsort's pick of the larger child, on random data, is not
    //     predictable: sort 118 -> 105 ms without it, no kernel slower.
    static constexpr std::pair<const char*, const char*> kOptions[] = {{"disable-x86-domain-reassignment", "true"},
                                                                       {"x86-cmov-converter", "false"}};
    auto& options = llvm::cl::getRegisteredOptions();
    for (auto [name, value] : kOptions)
      if (auto it = options.find(name); it != options.end()) (void)it->second->addOccurrence(0, it->first(), value);
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
