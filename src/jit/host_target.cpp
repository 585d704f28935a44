#include "jit/host_target.h"

#include <elf.h>
#include <link.h>

#include <llvm/ADT/StringMap.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Host.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace wnn::jit {

std::string llvm_message(llvm::Error e) { return llvm::toString(std::move(e)); }

Expected<llvm::orc::JITTargetMachineBuilder> host_target_builder(JitLevel level) {
  static std::once_flag init;
  std::call_once(init, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
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

namespace {

// The GNU build id of the ELF object that contains this function.
std::string own_build_id() {
  struct Search {
    uintptr_t self;
    std::string id;
  } search{reinterpret_cast<uintptr_t>(&own_build_id), {}};
  ::dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        bool mine = false;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
          if (ph.p_type == PT_LOAD && s->self >= start && s->self < start + ph.p_memsz) mine = true;
        }
        if (!mine) return 0;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const auto* p = reinterpret_cast<const uint8_t*>(info->dlpi_addr + ph.p_vaddr);
          const uint8_t* end = p + ph.p_memsz;
          while (p + sizeof(ElfW(Nhdr)) <= end) {
            const auto* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
            const uint8_t* desc = p + sizeof(ElfW(Nhdr)) + ((n->n_namesz + 3) & ~3u);
            if (n->n_type == NT_GNU_BUILD_ID && desc + n->n_descsz <= end) {
              static const char hex[] = "0123456789abcdef";
              for (uint32_t k = 0; k < n->n_descsz; ++k) s->id += {hex[desc[k] >> 4], hex[desc[k] & 15]};
              return 1;
            }
            p = desc + ((n->n_descsz + 3) & ~3u);
          }
        }
        return 1;
      },
      &search);
  return search.id.empty() ? "no-build-id" : search.id;
}

}  // namespace

exec::JitTarget host_target() {
  exec::JitTarget t;
  t.build = own_build_id();
  t.llvm = "LLVM " LLVM_VERSION_STRING " O2 pic";
  std::vector<std::string> features;
  for (const auto& feature : llvm::sys::getHostCPUFeatures())
    if (feature.getValue()) features.push_back("+" + feature.getKey().str());
  std::sort(features.begin(), features.end());
  t.cpu = llvm::sys::getProcessTriple() + " " + llvm::sys::getHostCPUName().str() + " ";
  for (size_t i = 0; i < features.size(); ++i) t.cpu += (i ? "," : "") + features[i];
  return t;
}

}  // namespace wnn::jit

#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"  // both sides are this C++ build
extern "C" __attribute__((visibility("default"))) wnn::exec::JitTarget wnn_jit_target() {
  return wnn::jit::host_target();
}
