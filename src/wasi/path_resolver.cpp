#include "wasi/path_resolver.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <vector>

#include "wasi/errno_map.h"

namespace wnn::wasi {

OwnedFd& OwnedFd::operator=(OwnedFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

OwnedFd::~OwnedFd() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

constexpr int kMaxSymlinks = 40;  // as Linux's own limit
std::atomic<bool> g_force_fallback{false};
std::atomic<bool> g_no_openat2{false};  // set once openat2 turned out to be unavailable

// Splits at '/', dropping empty components; a trailing '/' becomes a final
// "." so that the last component must be a directory.
std::vector<std::string> split(std::string_view p) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  if (!p.empty() && p.back() == '/') out.emplace_back(".");
  return out;
}

// The user-space resolver (see the header).
Errno open_fallback(int dirfd, std::string_view path, int flags, unsigned mode, OwnedFd& out) {
  std::vector<OwnedFd> stack;  // directories entered below dirfd
  auto top = [&] { return stack.empty() ? dirfd : stack.back().get(); };
  std::vector<std::string> todo = split(path);  // consumed from the back
  std::reverse(todo.begin(), todo.end());
  if (todo.empty()) todo.emplace_back(".");
  const bool follow_last = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    const bool last = todo.empty();
    if (c == "." && !last) continue;
    if (c == "..") {
      if (stack.empty()) return E_NOTCAPABLE;  // would leave the start directory
      stack.pop_back();
      if (!last) continue;
      c = ".";
    }
    if (c != "." && (!last || follow_last)) {
      char buf[PATH_MAX];
      ssize_t n = ::readlinkat(top(), c.c_str(), buf, sizeof buf);
      if (n >= 0) {
        if (++links > kMaxSymlinks) return E_LOOP;
        if (size_t(n) == sizeof buf) return E_NAMETOOLONG;
        std::string_view target(buf, size_t(n));
        if (target.empty()) return E_NOENT;
        if (target[0] == '/') return E_NOTCAPABLE;  // absolute symlinks point outside by definition
        std::vector<std::string> more = split(target);
        if (more.empty()) more.emplace_back(".");
        for (auto it = more.rbegin(); it != more.rend(); ++it) todo.push_back(std::move(*it));
        continue;
      }
      // E_INVAL: not a symlink; E_NOENT: may be about to be created.
      if (errno != EINVAL && errno != ENOENT) return last_errno();
    }
    if (!last) {
      // O_NOFOLLOW: a symlink swapped in since readlinkat fails here (E_NOTDIR/E_LOOP).
      int fd = ::openat(top(), c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return last_errno();
      stack.emplace_back(fd);
      continue;
    }
    int fd = ::openat(top(), c.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return last_errno();
    out = OwnedFd(fd);
    return E_SUCCESS;
  }
  return E_NOENT;  // unreachable: the last component always returns
}

}  // namespace

void set_force_fallback_resolver(bool on) { g_force_fallback = on; }

Errno check_guest_path(std::string_view path) {
  if (path.empty()) return E_NOENT;
  if (path.find('\0') != std::string_view::npos) return E_INVAL;
  if (path[0] == '/') return E_NOTCAPABLE;
  if (path.size() >= PATH_MAX) return E_NAMETOOLONG;
  return E_SUCCESS;
}

Errno open_beneath(int dirfd, std::string_view path, int flags, unsigned mode, OwnedFd& out) {
  if (Errno e = check_guest_path(path)) return e;
  if (!g_force_fallback && !g_no_openat2) {
    std::string p(path);
    open_how how{};
    how.flags = uint64_t(flags | O_CLOEXEC);
    how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;  // O_TMPFILE includes O_DIRECTORY
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int attempt = 0; attempt < 16; ++attempt) {
      long fd = ::syscall(SYS_openat2, dirfd, p.c_str(), &how, sizeof how);
      if (fd >= 0) {
        out = OwnedFd(int(fd));
        return E_SUCCESS;
      }
      if (errno == EAGAIN || errno == EINTR) continue;  // a concurrent rename: the kernel asks to retry
      if (errno == EXDEV) return E_NOTCAPABLE;          // would leave dirfd
      if (errno == ENOSYS || errno == EPERM) break;    // no openat2 (old kernel, seccomp)
      return last_errno();
    }
    if (errno == EAGAIN || errno == EINTR) return E_AGAIN;
    g_no_openat2 = true;
  }
  return open_fallback(dirfd, path, flags, mode, out);
}

Errno resolve_parent(int dirfd, std::string_view path, ParentAndName& out) {
  if (Errno e = check_guest_path(path)) return e;
  size_t end = path.find_last_not_of('/');
  if (end == std::string_view::npos) return E_NOTCAPABLE;  // "///"
  out.trailing_slash = end + 1 < path.size();
  size_t slash = path.rfind('/', end);
  std::string_view name =
      slash == std::string_view::npos ? path.substr(0, end + 1) : path.substr(slash + 1, end - slash);
  std::string_view dir = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
  if (name == "." || name == "..") {
    dir = path;
    name = ".";
  }
  out.name = std::string(name);
  if (dir.empty()) {
    int fd = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return last_errno();
    out.parent = OwnedFd(fd);
    return E_SUCCESS;
  }
  return open_beneath(dirfd, dir, O_PATH | O_DIRECTORY, 0, out.parent);
}

}  // namespace wnn::wasi

namespace wnn::wasi {

Errno require_dir_if_trailing(const ParentAndName& p) {
  if (!p.trailing_slash) return E_SUCCESS;
  struct stat st;
  if (::fstatat(p.parent.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  return S_ISDIR(st.st_mode) ? E_SUCCESS : E_NOTDIR;
}

}  // namespace wnn::wasi
