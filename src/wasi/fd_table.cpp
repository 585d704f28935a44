#include "wasi/fd_table.h"

#include <sys/stat.h>
#include <unistd.h>

namespace wnn::wasi {

namespace {
constexpr uint32_t kMaxFds = 16384;  // guest-visible limit; the host's RLIMIT_NOFILE applies too
}

FdTable::~FdTable() {
  for (FdEntry& e : fds_)
    if (e.host >= 0 && e.owned) ::close(e.host);
}

Errno FdTable::insert(FdEntry e, uint32_t& fd) {
  for (uint32_t i = 0; i < fds_.size(); ++i)
    if (fds_[i].host < 0) {
      fds_[i] = std::move(e);
      fd = i;
      return E_SUCCESS;
    }
  if (fds_.size() >= kMaxFds) return E_MFILE;
  fds_.push_back(std::move(e));
  fd = uint32_t(fds_.size() - 1);
  return E_SUCCESS;
}

Errno FdTable::get(uint32_t fd, uint64_t rights, FdEntry*& out) {
  FdEntry* e = at(fd);
  if (!e) return E_BADF;
  if ((e->rights_base & rights) != rights) return E_NOTCAPABLE;
  out = e;
  return E_SUCCESS;
}

Errno FdTable::close(uint32_t fd) {
  FdEntry* e = at(fd);
  if (!e) return E_BADF;
  if (e->owned) ::close(e->host);
  *e = FdEntry{};
  return E_SUCCESS;
}

Errno FdTable::renumber(uint32_t from, uint32_t to) {
  FdEntry* f = at(from);
  FdEntry* t = at(to);
  if (!f || !t) return E_BADF;
  if (from == to) return E_SUCCESS;
  if (t->owned) ::close(t->host);
  *t = std::move(*f);
  *f = FdEntry{};
  return E_SUCCESS;
}

Filetype filetype_of_mode(uint32_t m) {
  switch (m & S_IFMT) {
    case S_IFREG: return FT_REGULAR_FILE;
    case S_IFDIR: return FT_DIRECTORY;
    case S_IFCHR: return FT_CHARACTER_DEVICE;
    case S_IFBLK: return FT_BLOCK_DEVICE;
    case S_IFLNK: return FT_SYMBOLIC_LINK;
    case S_IFSOCK: return FT_SOCKET_STREAM;
    default: return FT_UNKNOWN;  // FIFOs: WASI has no filetype for them
  }
}

FdEntry stdio_entry(int host, uint32_t guest_fd) {
  FdEntry e;
  e.host = host;
  e.owned = false;
  struct stat st;
  e.type = ::fstat(host, &st) == 0 ? filetype_of_mode(st.st_mode) : FT_UNKNOWN;
  // A directory (`wnn run g.wasm < dir`) is just a stream here: saying
  // "directory" would invite path calls that its rights refuse anyway.
  if (e.type == FT_DIRECTORY || e.type == FT_SYMBOLIC_LINK) e.type = FT_UNKNOWN;
  e.rights_base = guest_fd == 0 ? right::STDIN : right::STDOUT;
  e.rights_inheriting = 0;
  return e;
}

uint64_t rights_for(Filetype t) {
  switch (t) {
    case FT_REGULAR_FILE:
    case FT_BLOCK_DEVICE: return right::FILE;
    case FT_DIRECTORY: return right::DIR;
    case FT_SOCKET_STREAM:
    case FT_SOCKET_DGRAM: return right::SOCKET;
    default: return right::STREAM;
  }
}

uint64_t inheriting_rights_for(Filetype t) { return t == FT_DIRECTORY ? (right::DIR | right::FILE) : 0; }

}  // namespace wnn::wasi
