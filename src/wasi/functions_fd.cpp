// fd_*: operations on open file descriptors.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <iterator>
#include <vector>

#include "wasi/errno_map.h"
#include "wasi/state.h"

namespace wnn::wasi {

namespace {

constexpr uint64_t kMaxOff = uint64_t(INT64_MAX);

}  // namespace

// Stops at IOV_MAX entries or 4 GiB - 1 in total (the result is a u32): a
// short read or write, which callers must handle anyway.
Errno gather_iovecs(const GuestMemory& m, uint32_t iovs, uint32_t n, std::vector<iovec>& out) {
  if (!m.ok(iovs, uint64_t(n) * kIovecSize)) return E_FAULT;
  uint64_t total = 0;
  out.clear();
  out.reserve(std::min<uint32_t>(n, IOV_MAX));
  for (uint32_t i = 0; i < n && out.size() < IOV_MAX; ++i) {
    uint32_t buf = 0, len = 0;
    m.load(iovs + uint64_t(i) * kIovecSize, buf);
    m.load(iovs + uint64_t(i) * kIovecSize + 4, len);
    uint8_t* p = m.ptr(buf, len);
    if (!p) return E_FAULT;
    if (total + len > UINT32_MAX) len = uint32_t(UINT32_MAX - total);
    total += len;
    out.push_back(iovec{p, len});
    if (total == UINT32_MAX) break;
  }
  return E_SUCCESS;
}

namespace {

Errno finish_size(Call& c, ssize_t n, uint32_t ret) {
  if (n < 0) return last_errno();
  c.mem.store(ret, uint32_t(n));  // `ret` was checked before the operation
  return E_SUCCESS;
}

Errno readwrite(Call& c, const uint64_t* a, uint64_t rights, bool write, bool positioned) {
  const uint32_t ret = positioned ? u32(a, 4) : u32(a, 3);
  if (!c.mem.ok(ret, 4)) return E_FAULT;  // before any data moves
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), rights, e)) return err;
  std::vector<iovec> iov;
  if (Errno err = gather_iovecs(c.mem, u32(a, 1), u32(a, 2), iov)) return err;
  ssize_t n;
  if (positioned) {
    uint64_t off = u64(a, 3);
    if (off > kMaxOff) return E_INVAL;
    n = write ? ::pwritev(e->host, iov.data(), int(iov.size()), off_t(off))
              : ::preadv(e->host, iov.data(), int(iov.size()), off_t(off));
  } else if (Errno err = write ? stream_write(c, *e, iov, n) : stream_read(c, *e, iov, n)) {
    return err;
  }
  return finish_size(c, n, ret);
}

uint16_t fdflags_of(int fl) {
  uint16_t f = 0;
  if (fl & O_APPEND) f |= fdflag::APPEND;
  if (fl & O_NONBLOCK) f |= fdflag::NONBLOCK;
  if ((fl & O_SYNC) == O_SYNC)
    f |= fdflag::SYNC | fdflag::RSYNC;  // Linux: O_RSYNC == O_SYNC
  else if (fl & O_DSYNC)
    f |= fdflag::DSYNC;
  return f;
}

Filetype filetype_of_dirent(int dirfd, const dirent* d) {
  switch (d->d_type) {
    case DT_REG: return FT_REGULAR_FILE;
    case DT_DIR: return FT_DIRECTORY;
    case DT_LNK: return FT_SYMBOLIC_LINK;
    case DT_CHR: return FT_CHARACTER_DEVICE;
    case DT_BLK: return FT_BLOCK_DEVICE;
    case DT_SOCK: return FT_SOCKET_STREAM;
    case DT_UNKNOWN: {
      struct stat st;
      if (::fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) return filetype_of_mode(st.st_mode);
      return FT_UNKNOWN;
    }
    default: return FT_UNKNOWN;
  }
}

Errno read_dir(FdEntry& e) {
  // A fresh open description: readdir must not disturb (or depend on) the
  // guest fd's own position.
  int fd = ::openat(e.host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_errno();
  DIR* d = ::fdopendir(fd);
  if (!d) {
    Errno err = last_errno();
    ::close(fd);
    return err;
  }
  e.dir_cache.clear();
  errno = 0;
  while (const dirent* de = ::readdir(d)) {
    e.dir_cache.push_back(DirEntry{de->d_ino, filetype_of_dirent(fd, de), de->d_name});
    errno = 0;
  }
  Errno err = errno ? last_errno() : E_SUCCESS;
  ::closedir(d);
  e.dir_cache_valid = err == E_SUCCESS;
  return err;
}

}  // namespace

Errno fd_read(Call& c, const uint64_t* a) { return readwrite(c, a, right::FD_READ, false, false); }
Errno fd_write(Call& c, const uint64_t* a) { return readwrite(c, a, right::FD_WRITE, true, false); }
Errno fd_pread(Call& c, const uint64_t* a) { return readwrite(c, a, right::FD_READ | right::FD_SEEK, false, true); }
Errno fd_pwrite(Call& c, const uint64_t* a) { return readwrite(c, a, right::FD_WRITE | right::FD_SEEK, true, true); }

Errno fd_close(Call& c, const uint64_t* a) { return c.s.fds.close(u32(a, 0)); }

Errno fd_renumber(Call& c, const uint64_t* a) { return c.s.fds.renumber(u32(a, 0), u32(a, 1)); }

Errno fd_seek(Call& c, const uint64_t* a) {
  const int64_t off = int64_t(u64(a, 1));
  const uint32_t w = u32(a, 2);
  const uint32_t ret = u32(a, 3);
  int whence;
  // preview1: set=0 cur=1 end=2; wasi_unstable: cur=0 end=1 set=2.
  if (c.unstable)
    whence = w == 0 ? SEEK_CUR : w == 1 ? SEEK_END : w == 2 ? SEEK_SET : -1;
  else
    whence = w == 0 ? SEEK_SET : w == 1 ? SEEK_CUR : w == 2 ? SEEK_END : -1;
  if (whence < 0) return E_INVAL;
  const uint64_t need = (off == 0 && whence == SEEK_CUR) ? right::FD_TELL : right::FD_SEEK;
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), need, e)) return err;
  if (!c.mem.ok(ret, 8)) return E_FAULT;
  off_t r = ::lseek(e->host, off_t(off), whence);
  if (r < 0) return last_errno();
  c.mem.store(ret, uint64_t(r));
  return E_SUCCESS;
}

Errno fd_tell(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_TELL, e)) return err;
  if (!c.mem.ok(u32(a, 1), 8)) return E_FAULT;
  off_t r = ::lseek(e->host, 0, SEEK_CUR);
  if (r < 0) return last_errno();
  c.mem.store(u32(a, 1), uint64_t(r));
  return E_SUCCESS;
}

Errno fd_fdstat_get(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), 0, e)) return err;
  uint8_t* p = c.mem.ptr(u32(a, 1), kFdstatSize);
  if (!p) return E_FAULT;
  int fl = ::fcntl(e->host, F_GETFL);
  if (fl < 0) return last_errno();
  // A shared description: the guest's emulated flags, and APPEND if the host's
  // writes append anyway (`>> file`).
  const uint16_t flags = e->owned ? fdflags_of(fl) : uint16_t(e->fdflags | (fdflags_of(fl) & fdflag::APPEND));
  std::memset(p, 0, kFdstatSize);
  p[0] = e->type;
  c.mem.store(u32(a, 1) + 2, flags);
  c.mem.store(u32(a, 1) + 8, e->rights_base);
  c.mem.store(u32(a, 1) + 16, e->rights_inheriting);
  return E_SUCCESS;
}

Errno fd_fdstat_set_flags(Call& c, const uint64_t* a) {
  const uint32_t flags = u32(a, 1);
  if (flags & ~uint32_t(fdflag::ALL)) return E_INVAL;
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_FDSTAT_SET_FLAGS, e)) return err;
  int fl = ::fcntl(e->host, F_GETFL);
  if (fl < 0) return last_errno();
  // Linux cannot change the sync flags of an open file (F_SETFL ignores them);
  // a shared description reports none (fd_fdstat_get).
  constexpr uint16_t sync = fdflag::DSYNC | fdflag::RSYNC | fdflag::SYNC;
  if ((flags & sync) != (e->owned ? fdflags_of(fl) & sync : 0)) return E_NOTSUP;
  if (!e->owned) {  // never fcntl on a description the host shares: emulate (stream_io.cpp)
    e->fdflags = uint16_t(flags & (fdflag::APPEND | fdflag::NONBLOCK));
    return E_SUCCESS;
  }
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflag::APPEND) fl |= O_APPEND;
  if (flags & fdflag::NONBLOCK) fl |= O_NONBLOCK;
  if (::fcntl(e->host, F_SETFL, fl) != 0) return last_errno();
  return E_SUCCESS;
}

Errno fd_fdstat_set_rights(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), 0, e)) return err;
  const uint64_t base = u64(a, 1), inh = u64(a, 2);
  // Rights can only be dropped.
  if ((base & ~e->rights_base) || (inh & ~e->rights_inheriting)) return E_NOTCAPABLE;
  e->rights_base = base;
  e->rights_inheriting = inh;
  return E_SUCCESS;
}

Errno write_filestat(Call& c, uint32_t ptr, const struct ::stat& st) {
  const uint32_t size = c.unstable ? kFilestatSizeUnstable : kFilestatSize;
  uint8_t* p = c.mem.ptr(ptr, size);
  if (!p) return E_FAULT;
  auto ns = [](const timespec& t) { return uint64_t(t.tv_sec) * 1000000000ull + uint64_t(t.tv_nsec); };
  std::memset(p, 0, size);
  c.mem.store(ptr + 0, uint64_t(st.st_dev));
  c.mem.store(ptr + 8, uint64_t(st.st_ino));
  p[16] = filetype_of_mode(st.st_mode);
  const uint32_t rest = c.unstable ? 24 : 32;  // after nlink: u32 @20 (unstable) or u64 @24
  if (c.unstable)
    c.mem.store(ptr + 20, uint32_t(st.st_nlink));
  else
    c.mem.store(ptr + 24, uint64_t(st.st_nlink));
  c.mem.store(ptr + rest, uint64_t(st.st_size));
  c.mem.store(ptr + rest + 8, ns(st.st_atim));
  c.mem.store(ptr + rest + 16, ns(st.st_mtim));
  c.mem.store(ptr + rest + 24, ns(st.st_ctim));
  return E_SUCCESS;
}

Errno fd_filestat_get(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_FILESTAT_GET, e)) return err;
  if (!c.mem.ok(u32(a, 1), c.unstable ? kFilestatSizeUnstable : kFilestatSize)) return E_FAULT;
  struct stat st;
  if (::fstat(e->host, &st) != 0) return last_errno();
  if (Errno err = write_filestat(c, u32(a, 1), st)) return err;
  c.mem.store(u32(a, 1) + 16, uint8_t(e->type));  // as fd_fdstat_get says (stdio: never "directory")
  return E_SUCCESS;
}

Errno fd_filestat_set_size(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_FILESTAT_SET_SIZE, e)) return err;
  if (u64(a, 1) > kMaxOff) return E_INVAL;
  if (::ftruncate(e->host, off_t(u64(a, 1))) != 0) return last_errno();
  return E_SUCCESS;
}

Errno times_from_flags(uint64_t atim, uint64_t mtim, uint32_t flags, struct ::timespec ts[2]) {
  if (flags & ~uint32_t(fstflag::ALL)) return E_INVAL;
  if ((flags & fstflag::ATIM) && (flags & fstflag::ATIM_NOW)) return E_INVAL;
  if ((flags & fstflag::MTIM) && (flags & fstflag::MTIM_NOW)) return E_INVAL;
  auto set = [](timespec& t, uint64_t v, bool given, bool now) {
    if (now)
      t = {0, UTIME_NOW};
    else if (given)
      t = {time_t(v / 1000000000ull), long(v % 1000000000ull)};
    else
      t = {0, UTIME_OMIT};
  };
  set(ts[0], atim, flags & fstflag::ATIM, flags & fstflag::ATIM_NOW);
  set(ts[1], mtim, flags & fstflag::MTIM, flags & fstflag::MTIM_NOW);
  return E_SUCCESS;
}

Errno fd_filestat_set_times(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_FILESTAT_SET_TIMES, e)) return err;
  timespec ts[2];
  if (Errno err = times_from_flags(u64(a, 1), u64(a, 2), u32(a, 3), ts)) return err;
  if (::futimens(e->host, ts) != 0) return last_errno();
  return E_SUCCESS;
}

Errno fd_advise(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_ADVISE, e)) return err;
  static constexpr int advice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                   POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  const uint32_t adv = u32(a, 3);
  if (adv >= std::size(advice) || u64(a, 1) > kMaxOff || u64(a, 2) > kMaxOff) return E_INVAL;
  return from_host_errno(::posix_fadvise(e->host, off_t(u64(a, 1)), off_t(u64(a, 2)), advice[adv]));
}

Errno fd_allocate(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_ALLOCATE, e)) return err;
  const uint64_t off = u64(a, 1), len = u64(a, 2);
  if (off > kMaxOff || len > kMaxOff - off) return E_INVAL;
  if (len == 0) return E_INVAL;  // as posix_fallocate
  return from_host_errno(::posix_fallocate(e->host, off_t(off), off_t(len)));
}

Errno fd_datasync(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_DATASYNC, e)) return err;
  return ::fdatasync(e->host) == 0 ? E_SUCCESS : last_errno();
}

Errno fd_sync(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_SYNC, e)) return err;
  return ::fsync(e->host) == 0 ? E_SUCCESS : last_errno();
}

Errno fd_prestat_get(Call& c, const uint64_t* a) {
  FdEntry* e = c.s.fds.at(u32(a, 0));
  if (!e || !e->preopen) return E_BADF;
  uint8_t* p = c.mem.ptr(u32(a, 1), kPrestatSize);
  if (!p) return E_FAULT;
  std::memset(p, 0, kPrestatSize);  // tag 0: dir
  c.mem.store(u32(a, 1) + 4, uint32_t(e->guest_path.size()));
  return E_SUCCESS;
}

Errno fd_prestat_dir_name(Call& c, const uint64_t* a) {
  FdEntry* e = c.s.fds.at(u32(a, 0));
  if (!e || !e->preopen) return E_BADF;
  const uint32_t len = u32(a, 2);
  uint8_t* p = c.mem.ptr(u32(a, 1), len);
  if (!p) return E_FAULT;
  if (len < e->guest_path.size()) return E_NAMETOOLONG;
  std::memcpy(p, e->guest_path.data(), e->guest_path.size());
  return E_SUCCESS;
}

Errno fd_readdir(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = c.s.fds.get(u32(a, 0), right::FD_READDIR, e)) return err;
  const uint32_t buf = u32(a, 1), len = u32(a, 2), ret = u32(a, 4);
  const uint64_t cookie = u64(a, 3);
  uint8_t* out = c.mem.ptr(buf, len);
  if (!out || !c.mem.ok(ret, 4)) return E_FAULT;
  // Cookie n = "start at entry n"; cookie 0 re-reads the directory.
  if (cookie == 0 || !e->dir_cache_valid)
    if (Errno err = read_dir(*e)) return err;
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e->dir_cache.size() && used < len; ++i) {
    const DirEntry& d = e->dir_cache[i];
    uint8_t rec[kDirentSize] = {};
    const uint64_t next = i + 1, ino = d.ino;
    const uint32_t namlen = uint32_t(d.name.size());
    std::memcpy(rec + 0, &next, 8);
    std::memcpy(rec + 8, &ino, 8);
    std::memcpy(rec + 16, &namlen, 4);
    rec[20] = d.type;
    // A record that does not fit is truncated: the guest sees a full buffer
    // and retries with a bigger one.
    uint32_t n = std::min<uint32_t>(kDirentSize, len - used);
    std::memcpy(out + used, rec, n);
    used += n;
    n = uint32_t(std::min<uint64_t>(namlen, len - used));
    std::memcpy(out + used, d.name.data(), n);
    used += n;
  }
  c.mem.store(ret, used);
  return E_SUCCESS;
}

}  // namespace wnn::wasi
