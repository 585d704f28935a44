// The shared-memory arena between wnn and its wasi-nn worker: a memfd that
// both processes map at a fixed reservation (kArenaReserve), so addresses in
// it stay valid while it grows. Only the host grows it (ftruncate) and it is
// sealed against shrinking: a compromised worker cannot make the host's
// accesses fault (SIGBUS). The host hands out blocks (first fit, 64-byte
// aligned); the worker only reads and writes the blocks a request names.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace wnn::nn::worker {

class Arena {
 public:
  Arena() = default;
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Host: a new memfd arena (error: why not).
  static std::optional<std::string> create(Arena& a);
  // Worker: maps the host's arena fd.
  bool map(int fd);

  // Host: a block of `n` bytes (n > 0), growing the memfd when needed; nullopt
  // when the blocks in use would exceed the limit, the memfd cannot grow (out
  // of memory) or the reservation is full.
  std::optional<uint64_t> alloc(uint64_t n);
  void free(uint64_t offset);
  // Host: the most bytes of blocks in use at once (0: the reservation); the
  // memfd is the host's memory, so the guest's tensors in flight are bounded.
  void set_limit(uint64_t bytes) { limit_ = bytes; }
  uint64_t in_use() const { return in_use_; }
  uint64_t limit() const { return limit_; }

  // The bytes [offset, offset + n), or null when that is outside `limit`
  // (the worker passes the size the request says the host has backed).
  uint8_t* at(uint64_t offset, uint64_t n, uint64_t limit) const;
  uint8_t* at(uint64_t offset, uint64_t n) const { return at(offset, n, size_); }

  // Host, once the worker is gone: the memfd's fd closed (the mapping, and
  // the blocks in it, stay until the Arena goes); alloc fails from then on.
  void close_fd();

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }

 private:
  int fd_ = -1;
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;                  // backed bytes (the memfd's size)
  std::map<uint64_t, uint64_t> free_;  // offset -> length of free blocks (coalesced)
  std::map<uint64_t, uint64_t> used_;  // offset -> length of handed-out blocks
  uint64_t in_use_ = 0, limit_ = 0;
};

}  // namespace wnn::nn::worker
