// What every WASI function sees: the context's state, the caller's memory
// and which ABI variant (wasi_unstable differs in a few layouts).
#pragma once
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wasi/abi.h"
#include "wasi/fd_table.h"
#include "wasi/guest_memory.h"
#include "wnn/wasi.h"

namespace wnn::wasi {

struct State {
  std::vector<std::string> args;
  std::vector<std::string> env;
  FdTable fds;
  bool trace = false;  // WNN_WASI_TRACE: log every call and its errno to stderr
};

struct Call {
  State& s;
  GuestMemory mem;
  bool unstable;               // called through wasi_unstable (snapshot 0)
  Store* store = nullptr;      // for Store::interrupt() while a call blocks
  bool interrupted = false;    // set with E_INTR: the guest traps (Interrupted)
};

// One WASI function: reads its parameters from `a` and returns an errno.
using Impl = Errno (*)(Call& c, const uint64_t* a);

// Parameter helpers: i32 parameters live in the low 32 bits of a slot.
inline uint32_t u32(const uint64_t* a, int i) { return uint32_t(a[i]); }
inline uint64_t u64(const uint64_t* a, int i) { return a[i]; }

// The implementations, by file.
// clang-format off: one row per group, as a table
#define WNN_WASI_FD_FUNCS(X)                                                                      \
  X(fd_advise) X(fd_allocate) X(fd_close) X(fd_datasync) X(fd_fdstat_get) X(fd_fdstat_set_flags)  \
  X(fd_fdstat_set_rights) X(fd_filestat_get) X(fd_filestat_set_size) X(fd_filestat_set_times)     \
  X(fd_pread) X(fd_prestat_get) X(fd_prestat_dir_name) X(fd_pwrite) X(fd_read) X(fd_readdir)       \
  X(fd_renumber) X(fd_seek) X(fd_sync) X(fd_tell) X(fd_write)
#define WNN_WASI_PATH_FUNCS(X)                                                                    \
  X(path_create_directory) X(path_filestat_get) X(path_filestat_set_times) X(path_link)           \
  X(path_open) X(path_readlink) X(path_remove_directory) X(path_rename) X(path_symlink)           \
  X(path_unlink_file)
#define WNN_WASI_MISC_FUNCS(X)                                                                    \
  X(args_get) X(args_sizes_get) X(environ_get) X(environ_sizes_get) X(clock_res_get)              \
  X(clock_time_get) X(poll_oneoff) X(proc_raise) X(sched_yield) X(random_get) X(sock_accept)      \
  X(sock_recv) X(sock_send) X(sock_shutdown)
// clang-format on
#define WNN_WASI_DECLARE(name) Errno name(Call& c, const uint64_t* a);
WNN_WASI_FD_FUNCS(WNN_WASI_DECLARE)
WNN_WASI_PATH_FUNCS(WNN_WASI_DECLARE)
WNN_WASI_MISC_FUNCS(WNN_WASI_DECLARE)
#undef WNN_WASI_DECLARE

// Guest iovec array -> host iovecs, every buffer checked against memory (EFAULT).
Errno gather_iovecs(const GuestMemory& m, uint32_t iovs, uint32_t n, std::vector<struct ::iovec>& out);
// WASI clock id -> host clock (false: no such clock); timespec -> ns.
bool host_clock(uint32_t id, clockid_t& out);
uint64_t to_ns(const struct ::timespec& t);
// Before a read, write, accept or receive on an fd that can block (a pipe,
// terminal or socket without O_NONBLOCK): waits until it is ready for
// `events` (POLLIN/POLLOUT) or the store is interrupted (returns E_INTR with
// c.interrupted set). Other fds return E_SUCCESS at once.
Errno wait_until_ready(Call& c, const FdEntry& e, short events);
// stream_io.cpp: the guest's NONBLOCK flag (emulated for !e.owned, the host's
// otherwise); `op(dontwait)` run as that flag says (EAGAIN, or waiting as
// wait_until_ready); reads and writes at the fd's position through it, writes
// never raising SIGPIPE. n: the op's result.
bool guest_nonblocking(const FdEntry& e);
Errno run_stream_op(Call& c, const FdEntry& e, short events, const std::function<ssize_t(bool)>& op, ssize_t& n);
Errno stream_read(Call& c, const FdEntry& e, std::vector<struct ::iovec>& iov, ssize_t& n);
Errno stream_write(Call& c, const FdEntry& e, std::vector<struct ::iovec>& iov, ssize_t& n);
// Shared by fd_filestat_get and path_filestat_get: writes a filestat in the
// layout of the calling ABI.
Errno write_filestat(Call& c, uint32_t ptr, const struct ::stat& st);
// Shared by fd_ and path_filestat_set_times: timespec pair for utimensat.
Errno times_from_flags(uint64_t atim, uint64_t mtim, uint32_t flags, struct ::timespec ts[2]);

}  // namespace wnn::wasi
