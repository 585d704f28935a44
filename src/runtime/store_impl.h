// The Store's private state, shared by the runtime's .cpp files (store.cpp,
// instantiate.cpp). Every object lives in a deque of unique_ptrs so that its
// address is stable for the Store's lifetime: tables, slots and other
// instances hold raw pointers to them.
#pragma once
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "exec/interpreter.h"
#include "runtime/objects.h"
#include "wnn/runtime.h"

namespace wnn {

struct FuncTypeHash {
  size_t operator()(const FuncType& t) const {
    size_t h = t.params.size() * 31 + t.results.size();
    for (ValType v : t.params) h = h * 131 + size_t(v);
    h = h * 137 + 0x5a;  // separates (a)->(b) from (a, b)->()
    for (ValType v : t.results) h = h * 131 + size_t(v);
    return h;
  }
};

struct Store::Impl {
  std::deque<std::unique_ptr<FuncInst>> funcs;
  std::deque<std::unique_ptr<TableInst>> tables;
  std::deque<std::unique_ptr<MemoryInst>> memories;
  std::deque<std::unique_ptr<GlobalInst>> globals;
  std::deque<std::unique_ptr<Instance>> instances;

  std::unordered_map<FuncType, uint32_t, FuncTypeHash> type_ids;

  // Bytes of every memory and table of the store (StoreConfig::max_total_bytes).
  StoreBytes bytes;

  // Created on first use: a Store that never runs code needs no stack.
  std::unique_ptr<exec::Executor> executor;

  // Store::interrupt() may run on another thread at any time: the flag
  // lives here, not in the lazily created Executor.
  std::atomic<bool> interrupt_requested{false};
  // An eventfd signalled with each request, for host functions that block
  // (Store::interrupt_fd); created on first use.
  std::atomic<int> interrupt_event{-1};
  std::once_flag interrupt_event_once;

  ~Impl();

  exec::Executor& exec(Store* store, const StoreConfig& config) {
    if (!executor) {
      executor = std::make_unique<exec::Executor>(store, config);
      executor->thread().interrupt = &interrupt_requested;
    }
    return *executor;
  }

  FuncInst* add(std::unique_ptr<FuncInst> f) { return funcs.emplace_back(std::move(f)).get(); }
  TableInst* add(std::unique_ptr<TableInst> t) { return tables.emplace_back(std::move(t)).get(); }
  MemoryInst* add(std::unique_ptr<MemoryInst> m) { return memories.emplace_back(std::move(m)).get(); }
  GlobalInst* add(std::unique_ptr<GlobalInst> g) { return globals.emplace_back(std::move(g)).get(); }
  Instance* add(std::unique_ptr<Instance> i) { return instances.emplace_back(std::move(i)).get(); }
};

// The runtime's own access to a Store's private state (Store befriends it).
struct StoreAccess {
  using Impl = Store::Impl;
  static Impl& impl(Store& s) { return *s.impl_; }
};

// Equal function types get equal ids within one store: call_indirect and
// import matching compare ids, not types.
uint32_t intern_type(Store& store, const FuncType& t);

// Sum of slot_count over `types`.
inline uint32_t slots_of(const std::vector<ValType>& types) {
  uint32_t n = 0;
  for (ValType t : types) n += slot_count(t);
  return n;
}

// A table of `type.limits.min` null elements, or an error when that exceeds
// the store's limits (charged to `bytes` before it is allocated). `what`
// names it in messages.
Expected<std::unique_ptr<TableInst>> make_table(const TableType& type, const std::string& what,
                                                const StoreConfig& config, StoreBytes& bytes);
// A memory, or an error when its minimum exceeds the store's limits.
Expected<std::unique_ptr<MemoryInst>> make_memory(const MemoryType& type, const std::string& what,
                                                  const StoreConfig& config, StoreBytes& bytes);
// An Exhaustion error unless `bytes` more fit in the store's total.
Expected<void> check_total(const StoreBytes& total, uint64_t bytes, const std::string& what);
// What a std::bad_alloc (or std::length_error) caught at an API boundary
// becomes: "out of host memory while <doing>".
Error out_of_host_memory(const std::string& doing);

}  // namespace wnn
