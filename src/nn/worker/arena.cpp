#include "nn/worker/arena.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nn/worker/protocol.h"

namespace wnn::nn::worker {

namespace {
constexpr uint64_t kAlign = 64;
constexpr uint64_t kGrowStep = uint64_t(1) << 20;  // ftruncate in MiB steps

uint64_t round_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }
}  // namespace

void Arena::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Arena::~Arena() {
  if (base_) ::munmap(base_, kArenaReserve);
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> Arena::create(Arena& a) {
  a.fd_ = ::memfd_create("wnn-nn-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (a.fd_ < 0) return std::string("memfd_create: ") + std::strerror(errno);
  // Nobody may shrink it (the worker would make the host's reads fault).
  if (::fcntl(a.fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) != 0)
    return std::string("sealing the arena: ") + std::strerror(errno);
  if (!a.map(a.fd_)) return std::string("mapping the arena: ") + std::strerror(errno);
  return std::nullopt;
}

bool Arena::map(int fd) {
  void* p = ::mmap(nullptr, kArenaReserve, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
  if (p == MAP_FAILED) return false;
  fd_ = fd;
  base_ = static_cast<uint8_t*>(p);
  return true;
}

std::optional<uint64_t> Arena::alloc(uint64_t n) {
  if (n > kArenaReserve || fd_ < 0) return std::nullopt;
  n = round_up(n ? n : 1, kAlign);
  if (limit_ && (n > limit_ || in_use_ > limit_ - n)) return std::nullopt;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    if (it->second < n) continue;
    const uint64_t off = it->first, len = it->second;
    free_.erase(it);
    if (len > n) free_[off + n] = len - n;
    used_[off] = n;
    in_use_ += n;
    return off;
  }
  // Grow: the new block starts at the old end (or at the free tail block).
  uint64_t start = size_;
  if (!free_.empty()) {
    auto last = std::prev(free_.end());
    if (last->first + last->second == size_) start = last->first;
  }
  const uint64_t new_size = round_up(start + n, kGrowStep);
  if (new_size > kArenaReserve || ::ftruncate(fd_, off_t(new_size)) != 0) return std::nullopt;
  if (start < size_) free_.erase(start);
  size_ = new_size;
  if (start + n < size_) free_[start + n] = size_ - (start + n);
  used_[start] = n;
  in_use_ += n;
  return start;
}

void Arena::free(uint64_t offset) {
  auto u = used_.find(offset);
  if (u == used_.end()) return;
  uint64_t off = offset, len = u->second;
  used_.erase(u);
  in_use_ -= len;
  // Coalesce with the neighbours.
  auto next = free_.find(off + len);
  if (next != free_.end()) {
    len += next->second;
    free_.erase(next);
  }
  auto prev = free_.lower_bound(off);
  if (prev != free_.begin()) {
    --prev;
    if (prev->first + prev->second == off) {
      off = prev->first;
      len += prev->second;
      free_.erase(prev);
    }
  }
  free_[off] = len;
  // A large free range (a model's bytes after its load) gives its pages
  // back: the memfd's memory is the host's.
  const uint64_t first = round_up(off, 4096), last = (off + len) / 4096 * 4096;
  if (fd_ >= 0 && last > first && last - first >= kGrowStep)
    (void)::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(first), off_t(last - first));
}

uint8_t* Arena::at(uint64_t offset, uint64_t n, uint64_t limit) const {
  if (!base_ || limit > kArenaReserve || offset > limit || n > limit - offset) return nullptr;
  return base_ + offset;
}

}  // namespace wnn::nn::worker
