// Runtime objects owned by a Store: function, table, memory and global
// instances, segments, and module instances. The interpreter reads these
// directly, so they are plain structs.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exec/code.h"
#include "valid/compiled_module.h"
#include "wnn/expected.h"
#include "wnn/host.h"
#include "wnn/types.h"

namespace wnn {

// A reference value as stored in slots and tables: 0 is null, otherwise a
// FuncInst* (funcref) or an opaque host word (externref).
using Ref = uintptr_t;

struct FuncInst {
  FuncType type;
  uint32_t type_id = 0;          // interned in the Store: equal types, equal ids
  Instance* inst = nullptr;      // owning instance (null for host functions)
  const exec::FunctionCode* code = nullptr;  // wasm functions
  HostFunction host;             // host functions
  uint32_t index = 0;            // index in its instance's function space
  uint32_t param_slots = 0;
  uint32_t result_slots = 0;
  std::string name;              // for messages and backtraces
};

// Implementation limit on table size (elements), below the 2^32-1 the spec
// allows, so that a guest cannot make the host allocate tens of GiB.
constexpr uint64_t kMaxTableElems = 10'000'000;

// The bytes held by all memories (their accessible size) and tables (element
// size x count) of one Store, against StoreConfig::max_total_bytes. Charged
// before anything is allocated; refunded only when that allocation fails
// (objects live as long as their Store).
struct StoreBytes {
  uint64_t limit = UINT64_MAX;
  uint64_t used = 0;
  bool fits(uint64_t bytes) const { return used <= limit && bytes <= limit - used; }
  bool charge(uint64_t bytes) {
    if (!fits(bytes)) return false;
    used += bytes;
    return true;
  }
  void refund(uint64_t bytes) { used -= bytes < used ? bytes : used; }
};

struct TableInst {
  TableType type;
  std::vector<Ref> elems;
  // Grows by `delta` filling with `init`; returns old size or -1 when the new
  // size would exceed the declared max, 2^32-1, kMaxTableElems, the store's
  // limits, or the host cannot allocate it.
  int64_t grow(uint64_t delta, Ref init);
  // The most elements this table may ever hold.
  uint64_t max_elems() const;
  uint64_t limit = kMaxTableElems;  // the store's limit (StoreConfig::max_table_elems)
  StoreBytes* budget = nullptr;     // the store's total, if any
};

// Linear memory. The whole 4 GiB + guard range is reserved up front
// (PROT_NONE) and pages are made accessible on grow, so `base` never moves.
struct MemoryInst {
  MemoryType type;
  uint8_t* base = nullptr;
  uint64_t size = 0;         // bytes accessible
  uint64_t reserved = 0;     // bytes reserved
  uint64_t max_pages = kMaxPages;
  StoreBytes* budget = nullptr;  // the store's total, if any
  MemoryInst() = default;
  MemoryInst(const MemoryInst&) = delete;
  MemoryInst& operator=(const MemoryInst&) = delete;
  ~MemoryInst();
  static Expected<std::unique_ptr<MemoryInst>> create(const MemoryType& type);
  // Returns the old size in pages, or -1 (past max_pages or the store's
  // total, or the host refused the pages).
  int64_t grow(uint64_t delta_pages);
  uint64_t pages() const { return size / kPageSize; }
};

struct GlobalInst {
  GlobalType type;
  uint64_t value[2] = {0, 0};  // v128 uses both words
};

struct ElemInst {
  ValType type = ValType::FuncRef;
  std::vector<Ref> refs;  // emptied by elem.drop
};

struct DataInst {
  const uint8_t* bytes = nullptr;  // into CompiledModule::module.bytes
  uint32_t size = 0;               // 0 after data.drop
};

// Numbers instances for the life of the process (from 1): unlike an
// Instance*, never reused, so host modules that hand out per-instance handles
// (wasi-nn) can tell a new instance from a destroyed one at the same address.
inline std::atomic<uint64_t> instance_serials{0};

struct Instance {
  uint64_t serial = ++instance_serials;
  std::shared_ptr<const CompiledModule> module;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<ElemInst> elems;
  std::vector<DataInst> datas;
  std::vector<uint32_t> type_ids;  // module type index -> Store type id
  std::vector<std::pair<std::string, Extern>> exports;
};

}  // namespace wnn
