// The guest's file-descriptor table: guest fd -> host fd, type, rights,
// preopen name and the readdir cache.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "wasi/abi.h"

namespace wnn::wasi {

struct DirEntry {
  uint64_t ino = 0;
  Filetype type = FT_UNKNOWN;
  std::string name;
};

struct FdEntry {
  int host = -1;
  // false for the embedder's stdin/stdout/stderr: never closed, and their open
  // file description is shared with the host, so their fdflags are emulated
  // (`fdflags`), never set with fcntl.
  bool owned = true;
  uint16_t fdflags = 0;      // !owned: APPEND/NONBLOCK as the guest set them (fd_fdstat_set_flags)
  Filetype type = FT_UNKNOWN;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  bool preopen = false;
  std::string guest_path;    // preopens: the name the guest sees
  std::vector<DirEntry> dir_cache;  // fd_readdir: entries read at cookie 0
  bool dir_cache_valid = false;
};

class FdTable {
 public:
  FdTable() = default;
  ~FdTable();
  FdTable(const FdTable&) = delete;
  FdTable& operator=(const FdTable&) = delete;

  // Lowest free guest fd; E_MFILE past the limit.
  Errno insert(FdEntry e, uint32_t& fd);
  // The entry of `fd` if it is open and has all `rights`: E_BADF / E_NOTCAPABLE.
  Errno get(uint32_t fd, uint64_t rights, FdEntry*& out);
  Errno close(uint32_t fd);
  Errno renumber(uint32_t from, uint32_t to);
  // For iteration (poll, prestat): null when closed.
  FdEntry* at(uint32_t fd) { return fd < fds_.size() && fds_[fd].host >= 0 ? &fds_[fd] : nullptr; }

 private:
  std::vector<FdEntry> fds_;  // host < 0: free slot
};

// File type and default rights of a host fd (from fstat).
Filetype filetype_of_mode(uint32_t st_mode);
// The entry for guest fd 0, 1 or 2 on the embedder's host fd: stream rights
// only (read for 0, write for 1 and 2), whatever the host fd is.
FdEntry stdio_entry(int host, uint32_t guest_fd);
uint64_t rights_for(Filetype t);
uint64_t inheriting_rights_for(Filetype t);

}  // namespace wnn::wasi
