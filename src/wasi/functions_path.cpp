// path_*: operations on names beneath a directory fd. Every name goes
// through path_resolver (the sandbox); no host call here ever sees a guest
// path with more than one component.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include "wasi/errno_map.h"
#include "wasi/path_resolver.h"
#include "wasi/state.h"

namespace wnn::wasi {

namespace {

// The directory entry of `fd` with `rights`, and the guest string (ptr, len).
Errno dir_and_path(Call& c, uint32_t fd, uint64_t rights, uint32_t ptr, uint32_t len, FdEntry*& dir,
                   std::string_view& path) {
  if (Errno e = c.s.fds.get(fd, rights, dir)) return e;
  if (dir->type != FT_DIRECTORY) return E_NOTDIR;
  if (!c.mem.string(ptr, len, path)) return E_FAULT;
  return E_SUCCESS;
}

std::string proc_fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace

// Rights and access mode as in Wasmtime's preview1 (the adapter over
// wasmtime-wasi): the host file is opened for writing when the rights ask for
// FD_WRITE or oflags has TRUNC, for reading when they ask for FD_READ or
// nothing else; a directory is whatever a read-only open finds there (so
// opening "." with the rights fd_fdstat_get reports for a preopen works),
// while write access to a directory is the kernel's EISDIR. Rights are then
// enforced as ours: the new fd gets the requested rights, at most its
// directory's inheriting rights, restricted to its file type and to what its
// access mode can do (docs/wasi.md).
Errno path_open(Call& c, const uint64_t* a) {
  const uint32_t dirflags = u32(a, 1), oflags = u32(a, 4), fdflags = u32(a, 7), ret = u32(a, 8);
  uint64_t base = u64(a, 5), inh = u64(a, 6);
  if ((oflags & ~uint32_t(oflag::ALL)) || (fdflags & ~uint32_t(fdflag::ALL))) return E_INVAL;
  // A directory is never created, truncated or required not to exist (as Wasmtime).
  if ((oflags & oflag::DIRECTORY) && (oflags & (oflag::CREAT | oflag::EXCL | oflag::TRUNC))) return E_INVAL;
  uint64_t need = right::PATH_OPEN;
  if (oflags & oflag::CREAT) need |= right::PATH_CREATE_FILE;
  if (oflags & oflag::TRUNC) need |= right::PATH_FILESTAT_SET_SIZE;
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), need, u32(a, 2), u32(a, 3), dir, path)) return e;
  if (!c.mem.ok(ret, 4)) return E_FAULT;
  // A new fd gets at most what its directory may hand down.
  base &= dir->rights_inheriting;
  inh &= dir->rights_inheriting;

  const bool write = (base & right::FD_WRITE) || (oflags & oflag::TRUNC);
  const bool read = (base & right::FD_READ) || !write;
  int flags = (read && write) ? O_RDWR : write ? O_WRONLY : O_RDONLY;
  if (oflags & oflag::CREAT) flags |= O_CREAT;
  if (oflags & oflag::DIRECTORY) flags |= O_DIRECTORY;
  if (oflags & oflag::EXCL) flags |= O_EXCL;
  if (oflags & oflag::TRUNC) flags |= O_TRUNC;
  if (fdflags & fdflag::APPEND) flags |= O_APPEND;
  if (fdflags & fdflag::DSYNC) flags |= O_DSYNC;
  if (fdflags & fdflag::NONBLOCK) flags |= O_NONBLOCK;
  if (fdflags & (fdflag::RSYNC | fdflag::SYNC)) flags |= O_SYNC;
  if (!(dirflags & LOOKUP_SYMLINK_FOLLOW)) flags |= O_NOFOLLOW;

  OwnedFd fd;
  if (Errno e = open_beneath(dir->host, path, flags, 0666, fd)) return e;
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return last_errno();
  // What the host description cannot do is no right of the fd.
  uint64_t access = ~uint64_t(0);
  if (!write) access &= ~(right::FD_WRITE | right::FD_ALLOCATE | right::FD_FILESTAT_SET_SIZE);
  if (!read) access &= ~(right::FD_READ | right::FD_READDIR);
  FdEntry ne;
  ne.type = filetype_of_mode(st.st_mode);
  ne.rights_base = base & rights_for(ne.type) & access;
  ne.rights_inheriting = ne.type == FT_DIRECTORY ? inh : 0;
  ne.host = fd.get();
  uint32_t guest_fd;
  if (Errno e = c.s.fds.insert(std::move(ne), guest_fd)) return e;
  fd.release();  // the table owns it now
  c.mem.store(ret, guest_fd);
  return E_SUCCESS;
}

Errno path_create_directory(Call& c, const uint64_t* a) {
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_CREATE_DIRECTORY, u32(a, 1), u32(a, 2), dir, path)) return e;
  ParentAndName pn;
  if (Errno e = resolve_parent(dir->host, path, pn)) return e;
  return ::mkdirat(pn.parent.get(), pn.name.c_str(), 0777) == 0 ? E_SUCCESS : last_errno();
}

Errno path_remove_directory(Call& c, const uint64_t* a) {
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_REMOVE_DIRECTORY, u32(a, 1), u32(a, 2), dir, path)) return e;
  ParentAndName pn;
  if (Errno e = resolve_parent(dir->host, path, pn)) return e;
  return ::unlinkat(pn.parent.get(), pn.name.c_str(), AT_REMOVEDIR) == 0 ? E_SUCCESS : last_errno();
}

Errno path_unlink_file(Call& c, const uint64_t* a) {
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_UNLINK_FILE, u32(a, 1), u32(a, 2), dir, path)) return e;
  ParentAndName pn;
  if (Errno e = resolve_parent(dir->host, path, pn)) return e;
  if (pn.trailing_slash) {
    struct stat st;
    if (::fstatat(pn.parent.get(), pn.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
    return S_ISDIR(st.st_mode) ? E_ISDIR : E_NOTDIR;
  }
  return ::unlinkat(pn.parent.get(), pn.name.c_str(), 0) == 0 ? E_SUCCESS : last_errno();
}

Errno path_filestat_get(Call& c, const uint64_t* a) {
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_FILESTAT_GET, u32(a, 2), u32(a, 3), dir, path)) return e;
  const uint32_t ret = u32(a, 4);
  if (!c.mem.ok(ret, c.unstable ? kFilestatSizeUnstable : kFilestatSize)) return E_FAULT;
  struct stat st;
  if (u32(a, 1) & LOOKUP_SYMLINK_FOLLOW) {
    OwnedFd fd;
    if (Errno e = open_beneath(dir->host, path, O_PATH, 0, fd)) return e;
    if (::fstat(fd.get(), &st) != 0) return last_errno();
  } else {
    ParentAndName pn;
    if (Errno e = resolve_parent(dir->host, path, pn)) return e;
    if (Errno e = require_dir_if_trailing(pn)) return e;
    if (::fstatat(pn.parent.get(), pn.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  }
  return write_filestat(c, ret, st);
}

Errno path_filestat_set_times(Call& c, const uint64_t* a) {
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_FILESTAT_SET_TIMES, u32(a, 2), u32(a, 3), dir, path)) return e;
  timespec ts[2];
  if (Errno e = times_from_flags(u64(a, 4), u64(a, 5), u32(a, 6), ts)) return e;
  if (u32(a, 1) & LOOKUP_SYMLINK_FOLLOW) {
    // Resolve in the sandbox, then name the file by its fd (utimensat cannot
    // take an O_PATH fd directly).
    OwnedFd fd;
    if (Errno e = open_beneath(dir->host, path, O_PATH, 0, fd)) return e;
    return ::utimensat(AT_FDCWD, proc_fd_path(fd.get()).c_str(), ts, 0) == 0 ? E_SUCCESS : last_errno();
  }
  ParentAndName pn;
  if (Errno e = resolve_parent(dir->host, path, pn)) return e;
  if (Errno e = require_dir_if_trailing(pn)) return e;
  return ::utimensat(pn.parent.get(), pn.name.c_str(), ts, AT_SYMLINK_NOFOLLOW) == 0 ? E_SUCCESS : last_errno();
}

Errno path_link(Call& c, const uint64_t* a) {
  FdEntry *odir, *ndir;
  std::string_view opath, npath;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_LINK_SOURCE, u32(a, 2), u32(a, 3), odir, opath)) return e;
  if (Errno e = dir_and_path(c, u32(a, 4), right::PATH_LINK_TARGET, u32(a, 5), u32(a, 6), ndir, npath)) return e;
  ParentAndName np;
  if (Errno e = resolve_parent(ndir->host, npath, np)) return e;
  if (np.trailing_slash) return E_NOENT;
  if (u32(a, 1) & LOOKUP_SYMLINK_FOLLOW) {
    OwnedFd fd;
    if (Errno e = open_beneath(odir->host, opath, O_PATH, 0, fd)) return e;
    return ::linkat(AT_FDCWD, proc_fd_path(fd.get()).c_str(), np.parent.get(), np.name.c_str(), AT_SYMLINK_FOLLOW) == 0
               ? E_SUCCESS
               : last_errno();
  }
  ParentAndName op;
  if (Errno e = resolve_parent(odir->host, opath, op)) return e;
  if (Errno e = require_dir_if_trailing(op)) return e;
  return ::linkat(op.parent.get(), op.name.c_str(), np.parent.get(), np.name.c_str(), 0) == 0 ? E_SUCCESS
                                                                                              : last_errno();
}

Errno path_rename(Call& c, const uint64_t* a) {
  FdEntry *odir, *ndir;
  std::string_view opath, npath;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_RENAME_SOURCE, u32(a, 1), u32(a, 2), odir, opath)) return e;
  if (Errno e = dir_and_path(c, u32(a, 3), right::PATH_RENAME_TARGET, u32(a, 4), u32(a, 5), ndir, npath)) return e;
  ParentAndName op, np;
  if (Errno e = resolve_parent(odir->host, opath, op)) return e;
  if (Errno e = resolve_parent(ndir->host, npath, np)) return e;
  if (op.trailing_slash || np.trailing_slash) {
    struct stat st;
    if (::fstatat(op.parent.get(), op.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
    if (!S_ISDIR(st.st_mode)) return E_NOTDIR;
  }
  return ::renameat(op.parent.get(), op.name.c_str(), np.parent.get(), np.name.c_str()) == 0 ? E_SUCCESS : last_errno();
}

Errno path_symlink(Call& c, const uint64_t* a) {
  std::string_view target;
  if (!c.mem.string(u32(a, 0), u32(a, 1), target)) return E_FAULT;
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 2), right::PATH_SYMLINK, u32(a, 3), u32(a, 4), dir, path)) return e;
  if (target.empty()) return E_NOENT;
  if (target.find('\0') != std::string_view::npos) return E_INVAL;
  // An absolute target can only ever point outside the sandbox.
  if (target[0] == '/') return E_NOTCAPABLE;
  ParentAndName pn;
  if (Errno e = resolve_parent(dir->host, path, pn)) return e;
  if (pn.trailing_slash) {
    struct stat st;
    return ::fstatat(pn.parent.get(), pn.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? E_EXIST : E_NOENT;
  }
  return ::symlinkat(std::string(target).c_str(), pn.parent.get(), pn.name.c_str()) == 0 ? E_SUCCESS : last_errno();
}

Errno path_readlink(Call& c, const uint64_t* a) {
  FdEntry* dir;
  std::string_view path;
  if (Errno e = dir_and_path(c, u32(a, 0), right::PATH_READLINK, u32(a, 1), u32(a, 2), dir, path)) return e;
  const uint32_t buf = u32(a, 3), len = u32(a, 4), ret = u32(a, 5);
  uint8_t* out = c.mem.ptr(buf, len);
  if (!out || !c.mem.ok(ret, 4)) return E_FAULT;
  ParentAndName pn;
  if (Errno e = resolve_parent(dir->host, path, pn)) return e;
  if (Errno e = require_dir_if_trailing(pn)) return e;
  char tmp[PATH_MAX];
  ssize_t n = ::readlinkat(pn.parent.get(), pn.name.c_str(), tmp, sizeof tmp);
  if (n < 0) return last_errno();
  // Like readlink(2): the contents are truncated to the buffer.
  const uint32_t k = uint32_t(std::min<uint64_t>(uint64_t(n), len));
  std::memcpy(out, tmp, k);
  c.mem.store(ret, k);
  return E_SUCCESS;
}

}  // namespace wnn::wasi
