// Internal to src/exec: how handlers address linear memory 0.
#pragma once
#include <cstdint>

#include "exec/guard.h"

namespace wnn::exec {

// The effective address of a Wasm access to `base + add` with a memarg
// offset: the i32 sum wraps at 32 bits (it is a Wasm value), the offset is
// added in 64 bits and cannot wrap; ea + width <= 2^33 cannot overflow either.
inline uint64_t wasm_ea(uint64_t base_slot, uint32_t add, uint32_t offset) {
  return uint64_t(uint32_t(uint32_t(base_slot) + add)) + uint64_t(offset);
}

}  // namespace wnn::exec

// Loads and stores rely on guard pages where available (exec/guard.h): an
// out-of-bounds access faults inside the memory's reservation and traps.
// Elsewhere they check against the cached size.
#if WNN_GUARD_PAGES
#define WNN_BOUNDS(ea, n) ((void)0)
#else
#define WNN_BOUNDS(ea, n)                     \
  if ((ea) + (n) > th->mem_size) [[unlikely]] \
  return TrapKind::MemoryOutOfBounds
#endif
