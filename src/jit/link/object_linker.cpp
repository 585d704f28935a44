// libwnn_jit_link.so's linker: one relocatable object of module_compiler.cpp into
// this process (JITLink through an ORC ObjectLinkingLayer, one session per
// object), its runtime symbols resolved to this process's helpers and its
// stubs rebuilt (object_format.h). No TargetMachine: linking needs only the
// object, so a run that starts from cached code builds no code generator.
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/EPCDynamicLibrarySearchGenerator.h>
#include <llvm/ExecutionEngine/Orc/EPCEHFrameRegistrar.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/Support/MemoryBuffer.h>

#include <span>

#include "jit/link/perf_map.h"
#include "jit/llvm_error.h"
#include "jit/object_format.h"

namespace wnn::jit {

namespace {

// What JitLinked::owner owns: the session holding the linked code (freed when
// the session ends) and the stubs.
struct LinkedCode {
  std::unique_ptr<llvm::orc::ExecutionSession> session;
  std::unique_ptr<llvm::orc::ObjectLinkingLayer> layer;
  std::vector<std::unique_ptr<exec::Word[]>> stubs;

  ~LinkedCode() {
    if (!session) return;
    if (llvm::Error e = session->endSession()) session->reportError(std::move(e));
    layer.reset();
  }
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
  auto fail = [](llvm::Error e) { return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(std::move(e))); };
  // In place: the link runs on this thread (as an LLJIT without compile threads).
  auto epc =
      llvm::orc::SelfExecutorProcessControl::Create(nullptr, std::make_unique<llvm::orc::InPlaceTaskDispatcher>());
  if (!epc) return fail(epc.takeError());
  auto code = std::make_shared<LinkedCode>();
  code->session = std::make_unique<llvm::orc::ExecutionSession>(std::move(*epc));
  llvm::orc::ExecutionSession& es = *code->session;
  code->layer = std::make_unique<llvm::orc::ObjectLinkingLayer>(es);
  // Unwind tables registered, as LLJIT does, so debuggers and profilers walk compiled frames.
  auto eh_frames = llvm::orc::EPCEHFrameRegistrar::Create(es);
  if (!eh_frames) return fail(eh_frames.takeError());
  code->layer->addPlugin(std::make_unique<llvm::orc::EHFrameRegistrationPlugin>(es, std::move(*eh_frames)));
  PerfMapPlugin* perf_map = nullptr;  // owned by the layer
  if (!cm.perf_map_name.empty()) {
    auto plugin = std::make_unique<PerfMapPlugin>();
    perf_map = plugin.get();
    code->layer->addPlugin(std::move(plugin));
  }
  llvm::orc::JITDylib& jd = es.createBareJITDylib("main");
  // Library calls LLVM may emit (memcpy, fmod, ...) resolve in this process.
  auto process = llvm::orc::EPCDynamicLibrarySearchGenerator::GetForTargetProcess(es);
  if (!process) return fail(process.takeError());
  jd.addGenerator(std::move(*process));

  const auto callable = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
  auto addr = [](auto* f) { return llvm::orc::ExecutorAddr(reinterpret_cast<uintptr_t>(f)); };
  llvm::orc::SymbolMap runtime;
  runtime[es.intern(kRtRun)] = {addr(rt.run), callable};
  runtime[es.intern(kRtTrap)] = {addr(rt.trap), callable};
  runtime[es.intern(kRtRefillBudget)] = {addr(rt.refill_budget), callable};
  runtime[es.intern(kRtReserveBudget)] = {addr(rt.reserve_budget), callable};
  runtime[es.intern(kRtRefillBudgetAtLoop)] = {addr(rt.refill_budget_at_loop), callable};
  runtime[es.intern(kRtFullLoopEntry)] = {addr(rt.full_loop_entry), callable};
  if (llvm::Error e = jd.define(llvm::orc::absoluteSymbols(std::move(runtime)))) return fail(std::move(e));
  const llvm::StringRef bytes(reinterpret_cast<const char*>(object.data()), object.size());
  if (llvm::Error e = code->layer->add(jd, llvm::MemoryBuffer::getMemBufferCopy(bytes, "wnn-object")))
    return link_error(llvm_message(std::move(e)));
  // ELF names are not mangled; every symbol of the object, as LLJIT::lookup.
  const auto order = llvm::orc::makeJITDylibSearchOrder(&jd, llvm::orc::JITDylibLookupFlags::MatchAllSymbols);
  auto lookup = [&](const std::string& name) -> Expected<llvm::orc::ExecutorAddr> {
    auto sym = es.lookup(order, es.intern(name));
    if (!sym) return link_error(llvm_message(sym.takeError()));
    return sym->getAddress();
  };

  WNN_TRY(info_addr, lookup(kObjectInfo));
  const uint64_t* info = info_addr.toPtr<const uint64_t*>();
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
    WNN_TRY(sym, lookup("e" + std::to_string(index)));
    linked.entries.push_back({uint32_t(index), sym.toPtr<exec::JitEntry>()});
  }
  const uint64_t* p = info + 3 + n;
  const uint64_t entries = *p++;
  if (entries > defined) return link_error("the object describes " + std::to_string(entries) + " loop entries");
  for (uint64_t k = 0; k < entries; ++k) {
    const uint64_t index = p[0], loops = p[1];
    if (index >= defined || loops > cm.code[index].loops.size())
      return link_error("the object's loop entry " + std::to_string(k) + " is malformed");
    WNN_TRY(sym, lookup(loop_entry_name(uint32_t(index))));
    linked.loop_entries.push_back({uint32_t(index), sym.toPtr<exec::JitLoopEntry>(), {p + 2, p + 2 + loops}});
    p += 2 + loops;
  }
  WNN_TRY(table, lookup(kStubTable));
  WNN_TRY_VOID(build_stubs(p, rt, table.toPtr<exec::Word**>(), *code));
  // The object is linked (the first lookup linked all of it): its code has its addresses.
  if (perf_map) append_perf_map(perf_map_lines(cm, perf_map->symbols()));
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
