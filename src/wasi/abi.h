// The WASI preview1 ABI: errno numbers, rights, flags and struct layouts,
// as in typenames.witx (numbering of enums = declaration order).
#pragma once
#include <cstdint>

namespace wnn::wasi {

enum Errno : uint16_t {
  E_SUCCESS,
  E_2BIG,
  E_ACCES,
  E_ADDRINUSE,
  E_ADDRNOTAVAIL,
  E_AFNOSUPPORT,
  E_AGAIN,
  E_ALREADY,
  E_BADF,
  E_BADMSG,
  E_BUSY,
  E_CANCELED,
  E_CHILD,
  E_CONNABORTED,
  E_CONNREFUSED,
  E_CONNRESET,
  E_DEADLK,
  E_DESTADDRREQ,
  E_DOM,
  E_DQUOT,
  E_EXIST,
  E_FAULT,
  E_FBIG,
  E_HOSTUNREACH,
  E_IDRM,
  E_ILSEQ,
  E_INPROGRESS,
  E_INTR,
  E_INVAL,
  E_IO,
  E_ISCONN,
  E_ISDIR,
  E_LOOP,
  E_MFILE,
  E_MLINK,
  E_MSGSIZE,
  E_MULTIHOP,
  E_NAMETOOLONG,
  E_NETDOWN,
  E_NETRESET,
  E_NETUNREACH,
  E_NFILE,
  E_NOBUFS,
  E_NODEV,
  E_NOENT,
  E_NOEXEC,
  E_NOLCK,
  E_NOLINK,
  E_NOMEM,
  E_NOMSG,
  E_NOPROTOOPT,
  E_NOSPC,
  E_NOSYS,
  E_NOTCONN,
  E_NOTDIR,
  E_NOTEMPTY,
  E_NOTRECOVERABLE,
  E_NOTSOCK,
  E_NOTSUP,
  E_NOTTY,
  E_NXIO,
  E_OVERFLOW,
  E_OWNERDEAD,
  E_PERM,
  E_PIPE,
  E_PROTO,
  E_PROTONOSUPPORT,
  E_PROTOTYPE,
  E_RANGE,
  E_ROFS,
  E_SPIPE,
  E_SRCH,
  E_STALE,
  E_TIMEDOUT,
  E_TXTBSY,
  E_XDEV,
  E_NOTCAPABLE,
};
static_assert(E_NOTCAPABLE == 76);

namespace right {
constexpr uint64_t FD_DATASYNC = 1ull << 0, FD_READ = 1ull << 1, FD_SEEK = 1ull << 2, FD_FDSTAT_SET_FLAGS = 1ull << 3,
                   FD_SYNC = 1ull << 4, FD_TELL = 1ull << 5, FD_WRITE = 1ull << 6, FD_ADVISE = 1ull << 7,
                   FD_ALLOCATE = 1ull << 8, PATH_CREATE_DIRECTORY = 1ull << 9, PATH_CREATE_FILE = 1ull << 10,
                   PATH_LINK_SOURCE = 1ull << 11, PATH_LINK_TARGET = 1ull << 12, PATH_OPEN = 1ull << 13,
                   FD_READDIR = 1ull << 14, PATH_READLINK = 1ull << 15, PATH_RENAME_SOURCE = 1ull << 16,
                   PATH_RENAME_TARGET = 1ull << 17, PATH_FILESTAT_GET = 1ull << 18, PATH_FILESTAT_SET_SIZE = 1ull << 19,
                   PATH_FILESTAT_SET_TIMES = 1ull << 20, FD_FILESTAT_GET = 1ull << 21,
                   FD_FILESTAT_SET_SIZE = 1ull << 22, FD_FILESTAT_SET_TIMES = 1ull << 23, PATH_SYMLINK = 1ull << 24,
                   PATH_REMOVE_DIRECTORY = 1ull << 25, PATH_UNLINK_FILE = 1ull << 26, POLL_FD_READWRITE = 1ull << 27,
                   SOCK_SHUTDOWN = 1ull << 28, SOCK_ACCEPT = 1ull << 29;
constexpr uint64_t ALL = (1ull << 30) - 1;
// What applies to a regular file / a directory / a stream (tty, pipe, socket).
constexpr uint64_t FILE = FD_DATASYNC | FD_READ | FD_SEEK | FD_FDSTAT_SET_FLAGS | FD_SYNC | FD_TELL | FD_WRITE |
                          FD_ADVISE | FD_ALLOCATE | FD_FILESTAT_GET | FD_FILESTAT_SET_SIZE | FD_FILESTAT_SET_TIMES |
                          POLL_FD_READWRITE;
constexpr uint64_t DIR = FD_FDSTAT_SET_FLAGS | FD_SYNC | FD_DATASYNC | PATH_CREATE_DIRECTORY | PATH_CREATE_FILE |
                         PATH_LINK_SOURCE | PATH_LINK_TARGET | PATH_OPEN | FD_READDIR | PATH_READLINK |
                         PATH_RENAME_SOURCE | PATH_RENAME_TARGET | PATH_FILESTAT_GET | PATH_FILESTAT_SET_SIZE |
                         PATH_FILESTAT_SET_TIMES | FD_FILESTAT_GET | FD_FILESTAT_SET_TIMES | PATH_SYMLINK |
                         PATH_REMOVE_DIRECTORY | PATH_UNLINK_FILE;
constexpr uint64_t STREAM =
    FD_READ | FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE | FD_SYNC | FD_DATASYNC;
constexpr uint64_t SOCKET = STREAM | SOCK_SHUTDOWN | SOCK_ACCEPT;
// stdin / stdout and stderr, whatever the host fd is (a directory, a file, a
// socket): no seek, truncate, allocate, sync, set-times, path or socket rights.
constexpr uint64_t STDIO = FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
constexpr uint64_t STDIN = FD_READ | STDIO, STDOUT = FD_WRITE | STDIO;
}  // namespace right

enum Filetype : uint8_t {
  FT_UNKNOWN = 0,
  FT_BLOCK_DEVICE,
  FT_CHARACTER_DEVICE,
  FT_DIRECTORY,
  FT_REGULAR_FILE,
  FT_SOCKET_DGRAM,
  FT_SOCKET_STREAM,
  FT_SYMBOLIC_LINK,
};

namespace fdflag {
constexpr uint16_t APPEND = 1, DSYNC = 2, NONBLOCK = 4, RSYNC = 8, SYNC = 16, ALL = 31;
}
namespace oflag {
constexpr uint16_t CREAT = 1, DIRECTORY = 2, EXCL = 4, TRUNC = 8, ALL = 15;
}
namespace fstflag {
constexpr uint16_t ATIM = 1, ATIM_NOW = 2, MTIM = 4, MTIM_NOW = 8, ALL = 15;
}
constexpr uint32_t LOOKUP_SYMLINK_FOLLOW = 1;

enum Clockid : uint32_t { CLK_REALTIME = 0, CLK_MONOTONIC, CLK_PROCESS_CPUTIME, CLK_THREAD_CPUTIME };
enum Eventtype : uint8_t { EVENT_CLOCK = 0, EVENT_FD_READ, EVENT_FD_WRITE };
constexpr uint16_t SUBCLOCK_ABSTIME = 1;
constexpr uint16_t EVENT_FD_READWRITE_HANGUP = 1;

// Struct sizes (wasm32).
constexpr uint32_t kIovecSize = 8;       // buf u32, buf_len u32
constexpr uint32_t kDirentSize = 24;     // d_next u64, d_ino u64, d_namlen u32, d_type u8
constexpr uint32_t kFdstatSize = 24;     // filetype u8 @0, flags u16 @2, base u64 @8, inheriting u64 @16
constexpr uint32_t kPrestatSize = 8;     // tag u8 @0, pr_name_len u32 @4
constexpr uint32_t kEventSize = 32;      // userdata u64, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
// filestat: preview1 has nlink u64 (64 bytes); wasi_unstable has nlink u32 (56 bytes).
constexpr uint32_t kFilestatSize = 64, kFilestatSizeUnstable = 56;
// subscription: preview1 48 bytes; wasi_unstable has an extra u64 `identifier` in the clock case (56).
constexpr uint32_t kSubscriptionSize = 48, kSubscriptionSizeUnstable = 56;

}  // namespace wnn::wasi
