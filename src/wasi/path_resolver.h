// The sandbox: resolve a guest path relative to a directory fd without ever
// leaving that directory. Absolute paths, `..` above the start directory and
// symlinks (absolute, or relative ones that climb out, or chains of them)
// that lead outside are refused with E_NOTCAPABLE.
//
// Linux openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS does this in
// the kernel, race-free (also against directories renamed meanwhile). Where
// openat2 is missing (kernels < 5.6, seccomp filters) a user-space resolver
// walks the path one component at a time with openat(O_PATH | O_NOFOLLOW),
// expanding symlinks itself (at most 40) on a stack of directory fds that
// never pops past the start directory.
#pragma once
#include <string>
#include <string_view>

#include "wasi/abi.h"

namespace wnn::wasi {

// An fd closed on destruction.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& o) noexcept : fd_(o.release()) {}
  OwnedFd& operator=(OwnedFd&& o) noexcept;
  ~OwnedFd();
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_ = -1;
};

// Checks a guest path: not empty, no NUL byte, not absolute.
Errno check_guest_path(std::string_view path);

// open(2) of `path` beneath `dirfd` with open flags `flags` (O_NOFOLLOW is
// honoured for the last component; symlinks before it are always followed,
// inside the sandbox).
Errno open_beneath(int dirfd, std::string_view path, int flags, unsigned mode, OwnedFd& out);

// For operations on a directory entry (mkdir, unlink, rename, link, symlink,
// readlink, stat without following): the parent directory, opened beneath
// `dirfd`, and the last component, which never contains '/' (so the host's
// *at() call cannot follow anything but that one name). Trailing slashes are
// stripped and reported: the caller then requires a directory. `.`/`..` as
// the last component become part of the parent, with name ".".
struct ParentAndName {
  OwnedFd parent;
  std::string name;
  bool trailing_slash = false;
};
// With a trailing slash, the entry must be a directory (not a symlink): E_NOTDIR.
Errno require_dir_if_trailing(const ParentAndName& p);
Errno resolve_parent(int dirfd, std::string_view path, ParentAndName& out);

// Tests use this to exercise the fallback resolver on kernels with openat2.
void set_force_fallback_resolver(bool on);

}  // namespace wnn::wasi
