// What the embedder sees of host functions and exported/imported objects.
#pragma once
#include <cstdint>
#include <functional>

#include "wnn/expected.h"
#include "wnn/types.h"

namespace wnn {

class Store;
struct Instance;
struct FuncInst;
struct TableInst;
struct MemoryInst;
struct GlobalInst;

// An importable/exportable object of a Store.
struct Extern {
  ExternKind kind = ExternKind::Func;
  void* object = nullptr;  // FuncInst*, TableInst*, MemoryInst* or GlobalInst*

  FuncInst* func() const { return kind == ExternKind::Func ? static_cast<FuncInst*>(object) : nullptr; }
  TableInst* table() const { return kind == ExternKind::Table ? static_cast<TableInst*>(object) : nullptr; }
  MemoryInst* memory() const { return kind == ExternKind::Memory ? static_cast<MemoryInst*>(object) : nullptr; }
  GlobalInst* global() const { return kind == ExternKind::Global ? static_cast<GlobalInst*>(object) : nullptr; }
};

// Passed to a host function: who called it.
struct HostContext {
  Store* store = nullptr;
  Instance* caller = nullptr;     // instance of the calling wasm function (may be null)
  MemoryInst* memory = nullptr;   // the caller's memory 0, if it has one
};

// A host function reads its parameters from `slots[0..)` (one 64-bit slot per
// value, two for v128; i32/f32 in the low 32 bits) and writes its results to
// `slots[0..)`. Returning an error traps the guest (ErrorKind::Trap with
// TrapKind::HostError, or TrapKind::Exit for proc_exit).
using HostFunction = std::function<Expected<void>(HostContext& ctx, uint64_t* slots)>;

// What a host function returns when it stopped waiting because the store was
// interrupted (Store::interrupt_fd): the guest traps with TrapKind::Interrupted.
inline Error interrupted_error() {
  Error e(ErrorKind::Trap, "");
  e.trap = TrapKind::Interrupted;
  return e;
}

}  // namespace wnn
