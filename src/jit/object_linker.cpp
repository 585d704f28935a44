// libwnn_jit.so's linker: one relocatable object of module_compiler.cpp into
// this process (an ORC LLJIT per object), its runtime symbols resolved to this
// process's helpers and its stubs rebuilt (object_format.h).
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/MemoryBuffer.h>

#include <span>

#include "jit/host_target.h"
#include "jit/object_format.h"

namespace wnn::jit {

namespace {

// What JitLinked::owner owns.
struct LinkedCode {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::vector<std::unique_ptr<exec::Word[]>> stubs;
};

Error link_error(const std::string& what) { return Error(ErrorKind::Invalid, "compiled code: " + what); }

// Reads kObjectInfo's stubs from `p`, builds them and fills the object's table.
Expected<void> build_stubs(const uint64_t* p, const exec::JitRuntime& rt, exec::Word** table, LinkedCode& code) {
  const uint64_t count = *p++;
  if (count > (uint64_t(1) << 28)) return link_error("the object describes " + std::to_string(count) + " stubs");
  code.stubs.reserve(count);
  for (uint64_t k = 0; k < count; ++k) {
    const uint64_t handler = p[0], words = p[1];
    if (handler >= std::size(kStubHandlers) || words > 8)
      return link_error("stub " + std::to_string(k) + " of the object is malformed");
    auto stub = std::make_unique<exec::Word[]>(words + 2);
    stub[0].h = rt.*kStubHandlers[handler];
    for (uint64_t i = 0; i < words; ++i) stub[1 + i].u64 = p[2 + i];
    stub[1 + words].h = rt.halt;
    table[k] = stub.get();
    code.stubs.push_back(std::move(stub));
    p += 2 + words;
  }
  return {};
}

Expected<exec::JitLinked> link_object(const CompiledModule& cm, std::span<const uint8_t> object,
                                      const exec::JitRuntime& rt) {
  WNN_TRY(jtmb, host_target_builder());
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(jtmb)).create();
  if (!jit) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(jit.takeError()));
  auto code = std::make_shared<LinkedCode>();
  code->jit = std::move(*jit);
  llvm::orc::LLJIT& j = *code->jit;
  const auto callable = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
  auto addr = [](auto* f) { return llvm::orc::ExecutorAddr(reinterpret_cast<uintptr_t>(f)); };
  llvm::orc::SymbolMap runtime;
  runtime[j.mangleAndIntern(kRtRun)] = {addr(rt.run), callable};
  runtime[j.mangleAndIntern(kRtTrap)] = {addr(rt.trap), callable};
  runtime[j.mangleAndIntern(kRtRefillBudget)] = {addr(rt.refill_budget), callable};
  runtime[j.mangleAndIntern(kRtReserveBudget)] = {addr(rt.reserve_budget), callable};
  if (llvm::Error e = j.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(runtime))))
    return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(std::move(e)));
  const llvm::StringRef bytes(reinterpret_cast<const char*>(object.data()), object.size());
  if (llvm::Error e = j.addObjectFile(llvm::MemoryBuffer::getMemBufferCopy(bytes, "wnn-object")))
    return link_error(llvm_message(std::move(e)));

  auto info_addr = j.lookup(kObjectInfo);
  if (!info_addr) return link_error(llvm_message(info_addr.takeError()));
  const uint64_t* info = info_addr->toPtr<const uint64_t*>();
  const size_t defined = cm.module.functions.size();
  if (info[0] != kObjectFormat) return link_error("the object's format is not this wnn's");
  if (info[1] != defined)
    return link_error("the object is for a module with " + std::to_string(info[1]) + " functions, this one defines " +
                      std::to_string(defined));
  const uint64_t n = info[2];
  if (n > defined) return link_error("the object has entries for more functions than the module defines");
  exec::JitLinked linked;
  for (uint64_t k = 0; k < n; ++k) {
    const uint64_t index = info[3 + k];
    if (index >= defined) return link_error("the object has an entry for function " + std::to_string(index));
    auto sym = j.lookup("e" + std::to_string(index));
    if (!sym) return link_error(llvm_message(sym.takeError()));
    linked.entries.push_back({uint32_t(index), sym->toPtr<exec::JitEntry>()});
  }
  const uint64_t* p = info + 3 + n;
  const uint64_t entries = *p++;
  if (entries > defined) return link_error("the object describes " + std::to_string(entries) + " loop entries");
  for (uint64_t k = 0; k < entries; ++k) {
    const uint64_t index = p[0], loops = p[1];
    if (index >= defined || loops > cm.code[index].loops.size())
      return link_error("the object's loop entry " + std::to_string(k) + " is malformed");
    auto sym = j.lookup(loop_entry_name(uint32_t(index)));
    if (!sym) return link_error(llvm_message(sym.takeError()));
    linked.loop_entries.push_back({uint32_t(index), sym->toPtr<exec::JitLoopEntry>(), {p + 2, p + 2 + loops}});
    p += 2 + loops;
  }
  auto table = j.lookup(kStubTable);
  if (!table) return link_error(llvm_message(table.takeError()));
  WNN_TRY_VOID(build_stubs(p, rt, table->toPtr<exec::Word**>(), *code));
  linked.owner = std::move(code);
  return linked;
}

}  // namespace

}  // namespace wnn::jit

#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"  // both sides are this C++ build
extern "C" __attribute__((visibility("default"))) wnn::Expected<wnn::exec::JitLinked> wnn_jit_link_object(
    const wnn::CompiledModule& m, std::span<const uint8_t> object, const wnn::exec::JitRuntime& rt) {
  try {
    return wnn::jit::link_object(m, object, rt);
  } catch (const std::bad_alloc&) {
    return wnn::Error(wnn::ErrorKind::Exhaustion, "out of host memory while linking compiled code");
  }
}
