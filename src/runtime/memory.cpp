// Linear memory: one up-front reservation per memory so that `base` never
// moves and the interpreter can bounds-check against `size` alone.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/objects.h"

namespace wnn {

namespace {

// An effective address is u32 base + u32 offset (< 8 GiB) and an access is at
// most 16 bytes wide, so reserving 8 GiB + 64 KiB means that any access lands
// in our own PROT_NONE range, never in someone else's mapping: the
// interpreter's loads and stores rely on this instead of checking bounds
// (src/exec/guard.h).
constexpr uint64_t kReserveBytes = (uint64_t(8) << 30) + kPageSize;

}  // namespace

Expected<std::unique_ptr<MemoryInst>> MemoryInst::create(const MemoryType& type) {
  const Limits& lim = type.limits;
  if (lim.min > kMaxPages)
    return Error(ErrorKind::Usage,
                 "memory size must be at most 65536 pages (4 GiB), got " + std::to_string(lim.min) + " pages");
  if (lim.max && *lim.max < lim.min)
    return Error(ErrorKind::Usage,
                 "memory maximum " + std::to_string(*lim.max) + " is below its minimum " + std::to_string(lim.min));

  // MAP_NORESERVE: untouched pages cost neither RAM nor commit charge.
  void* p = mmap(nullptr, kReserveBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p != MAP_FAILED) madvise(p, kReserveBytes, MADV_HUGEPAGE);
  if (p == MAP_FAILED)
    return Error(ErrorKind::Trap, std::string("cannot reserve memory: mmap of 8 GiB failed: ") + std::strerror(errno));

  auto mem = std::make_unique<MemoryInst>();
  mem->type = type;
  mem->base = static_cast<uint8_t*>(p);
  mem->reserved = kReserveBytes;
  mem->max_pages = lim.max && *lim.max < kMaxPages ? *lim.max : kMaxPages;
  uint64_t bytes = lim.min * kPageSize;
  if (bytes && mprotect(mem->base, bytes, PROT_READ | PROT_WRITE) != 0)
    // The destructor unmaps the reservation.
    return Error(ErrorKind::Trap, "cannot reserve memory: making " + std::to_string(lim.min) +
                                      " pages accessible failed: " + std::strerror(errno));
  mem->size = bytes;
  return mem;
}

int64_t MemoryInst::grow(uint64_t delta_pages) {
  uint64_t old = pages();
  if (old > max_pages || delta_pages > max_pages - old) return -1;
  if (delta_pages == 0) return int64_t(old);
  uint64_t bytes = delta_pages * kPageSize;
  if (size + bytes > reserved) return -1;
  if (budget && !budget->charge(bytes)) return -1;
  // Pages that were never accessible are still untouched anonymous memory,
  // hence zero: no memset needed.
  if (mprotect(base + size, bytes, PROT_READ | PROT_WRITE) != 0) {
    if (budget) budget->refund(bytes);
    return -1;
  }
  size += bytes;
  return int64_t(old);
}

MemoryInst::~MemoryInst() {
  if (base) munmap(base, reserved);
}

}  // namespace wnn
