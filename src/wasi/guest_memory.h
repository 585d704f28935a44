// Bounds-checked access to the guest's linear memory. Every pointer and
// length a guest passes is checked against the memory's current size with
// 64-bit arithmetic; a failed check becomes EFAULT, never a host access.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

#include "runtime/objects.h"

namespace wnn::wasi {

class GuestMemory {
 public:
  explicit GuestMemory(MemoryInst* m) : base_(m ? m->base : nullptr), size_(m ? m->size : 0) {}

  // [off, off+len) inside memory? A zero-length range may start at the end.
  uint8_t* ptr(uint64_t off, uint64_t len) const {
    if (!base_ || off > size_ || len > size_ - off) return nullptr;
    return base_ + off;
  }
  bool ok(uint64_t off, uint64_t len) const { return ptr(off, len) != nullptr; }

  template <typename T> bool load(uint64_t off, T& v) const {
    const uint8_t* p = ptr(off, sizeof(T));
    if (!p) return false;
    std::memcpy(&v, p, sizeof(T));  // wasm is little-endian, so is the host (x86-64/aarch64)
    return true;
  }
  template <typename T> bool store(uint64_t off, T v) const {
    uint8_t* p = ptr(off, sizeof(T));
    if (!p) return false;
    std::memcpy(p, &v, sizeof(T));
    return true;
  }
  // A guest string (ptr, len): a view into memory, or nullopt-like empty with ok=false.
  bool string(uint64_t off, uint64_t len, std::string_view& out) const {
    const uint8_t* p = ptr(off, len);
    if (!p) return false;
    out = std::string_view(reinterpret_cast<const char*>(p), len);
    return true;
  }

 private:
  uint8_t* base_;
  uint64_t size_;
};

}  // namespace wnn::wasi
