// What a relocatable object of compiled code holds besides machine code, so
// that nothing in it depends on the process that compiled it (docs/compiler.md,
// "Code cache and artifacts"):
//
// - the runtime helpers compiled code calls are undefined symbols (kRt*),
//   resolved when the object is linked;
// - the interpreter instruction sequences it runs (stubs) are described in
//   the constant array kObjectInfo, with handlers as numbers; the linker
//   builds the Word arrays in this process and stores their addresses in the
//   object's writable table kStubTable, which the code indexes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "exec/jit.h"

namespace wnn::jit {

inline constexpr const char* kRtRun = "wnn_rt_run";
inline constexpr const char* kRtTrap = "wnn_rt_trap";
inline constexpr const char* kRtRefillBudget = "wnn_rt_refill_budget";
inline constexpr const char* kRtReserveBudget = "wnn_rt_reserve_budget";
// A Quick loop entry's refill at a back-edge, and its switch to the Full
// loop entry (JitRuntime::refill_budget_at_loop, full_loop_entry).
inline constexpr const char* kRtRefillBudgetAtLoop = "wnn_rt_refill_budget_at_loop";
inline constexpr const char* kRtFullLoopEntry = "wnn_rt_full_loop_entry";
inline constexpr const char* kStubTable = "wnn_stubs";         // [stubs] const Word*
inline constexpr const char* kObjectInfo = "wnn_object_info";  // uint64_t[], below

// kObjectInfo: kObjectFormat, the module's defined-function count, n, the n
// defined indices the object has entries for ("e<index>"), k, the k loop
// entries ("o<index>"), each as its defined index, m and the m loop offsets
// it can enter, the stub count, then per stub: handler id, word count, words
// (immediates).
inline constexpr uint64_t kObjectFormat = 0x776e6e6f626a0002;  // "wnnobj" 2

inline std::string loop_entry_name(uint32_t defined) { return "o" + std::to_string(defined); }

// The handlers a stub may start with, numbered for kObjectInfo.
inline constexpr exec::Handler exec::JitRuntime::* kStubHandlers[] = {
    &exec::JitRuntime::call,        &exec::JitRuntime::call_indirect, &exec::JitRuntime::memory_size,
    &exec::JitRuntime::memory_grow, &exec::JitRuntime::memory_fill,   &exec::JitRuntime::memory_copy,
    &exec::JitRuntime::memory_init, &exec::JitRuntime::data_drop,     &exec::JitRuntime::table_get,
    &exec::JitRuntime::table_set,   &exec::JitRuntime::table_size,    &exec::JitRuntime::table_grow,
    &exec::JitRuntime::table_fill,  &exec::JitRuntime::table_copy,    &exec::JitRuntime::table_init,
    &exec::JitRuntime::elem_drop};

// The stubs of one object, as they are described in kObjectInfo.
struct StubTable {
  std::vector<uint64_t> desc;  // per stub: handler id, word count, words
  uint32_t count = 0;
  bool unknown_handler = false;  // a wnn bug: compile_object fails

  // `words`: a handler of kStubHandlers then its immediates (no `halt`).
  uint32_t add(const exec::JitRuntime& rt, const std::vector<exec::Word>& words) {
    uint64_t id = UINT64_MAX;
    for (size_t i = 0; i < std::size(kStubHandlers); ++i)
      if (!words.empty() && rt.*kStubHandlers[i] == words[0].h) id = i;
    if (id == UINT64_MAX) unknown_handler = true;
    desc.push_back(id);
    desc.push_back(words.empty() ? 0 : words.size() - 1);
    for (size_t i = 1; i < words.size(); ++i) desc.push_back(words[i].u64);
    return count++;
  }
};

}  // namespace wnn::jit
