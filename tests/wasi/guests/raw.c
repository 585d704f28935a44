// C guest that calls WASI functions directly (wasi/api.h and raw imports),
// to test what libc would hide: errno values, rights, bad pointers, and
// every way out of the sandbox. Preopen fd 3 is the sandbox directory.
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

#define RAW(name, ...) \
  __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name))) int32_t raw_##name(__VA_ARGS__)
RAW(fd_write, int32_t, int32_t, int32_t, int32_t);
RAW(fd_read, int32_t, int32_t, int32_t, int32_t);
RAW(args_get, int32_t, int32_t);
RAW(path_open, int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t, int32_t);
RAW(fd_prestat_dir_name, int32_t, int32_t, int32_t);
RAW(random_get, int32_t, int32_t);
RAW(clock_time_get, int32_t, int64_t, int32_t);
RAW(poll_oneoff, int32_t, int32_t, int32_t, int32_t);
RAW(path_create_directory, int32_t, int32_t, int32_t);
RAW(proc_raise, int32_t);  // no longer in wasi/api.h

static const __wasi_fd_t root = 3;
static const __wasi_rights_t all = ~(__wasi_rights_t)0;

// All rights; for a directory all but FD_WRITE, which asks for write access
// (EISDIR, as in Wasmtime).
static __wasi_errno_t open_at(__wasi_fd_t dir, const char* path, __wasi_lookupflags_t lf, __wasi_oflags_t of,
                              __wasi_fd_t* out) {
  const __wasi_rights_t base = (of & __WASI_OFLAGS_DIRECTORY) ? all & ~__WASI_RIGHTS_FD_WRITE : all;
  return __wasi_path_open(dir, lf, path, of, base, all, 0, out);
}

// Tries to open `path` beneath `dir` for reading, prints the errno, and the
// contents if it worked (a sandbox test fails loudly if "SECRET" appears).
static void try_open(const char* label, __wasi_fd_t dir, const char* path, __wasi_lookupflags_t lf) {
  __wasi_fd_t fd;
  __wasi_errno_t e = open_at(dir, path, lf, 0, &fd);
  printf("%s: %s", label, errname(e));
  if (e == 0) {
    char buf[64];
    __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    __wasi_fd_read(fd, &iov, 1, &n);
    buf[n] = 0;
    for (char* p = buf; *p; ++p)
      if (*p == '\n') *p = ' ';
    printf(" [%s]", buf);
    __wasi_fd_close(fd);
  }
  printf("\n");
}

static int escape(void) {
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  try_open("inside file", root, "data.txt", F);
  try_open("dotdot", root, "../outside/secret.txt", F);
  try_open("dotdot deep", root, "sub/../../outside/secret.txt", F);
  try_open("dotdot many", root, "sub/../sub/../../../../../../etc/passwd", F);
  try_open("absolute", root, "/etc/passwd", F);
  try_open("absolute outside", root, "/outside/secret.txt", F);
  try_open("abs symlink", root, "abs_link", F);
  try_open("rel symlink", root, "rel_link", F);
  try_open("symlink chain", root, "chain1", F);
  try_open("dir symlink", root, "dir_link/secret.txt", F);
  try_open("symlink loop", root, "loop1", F);
  try_open("inside symlink", root, "inside_link", F);
  try_open("inside symlink up", root, "sub/up_link", F);
  try_open("nofollow symlink", root, "inside_link", 0);
  try_open("empty path", root, "", F);
  // Symlinks the guest creates itself.
  WASI("create rel symlink out", __wasi_path_symlink("../outside/secret.txt", root, "mine"));
  try_open("follow own symlink", root, "mine", F);
  WASI("create abs symlink", __wasi_path_symlink("/etc/passwd", root, "mine_abs"));
  WASI("create symlink via dotdot", __wasi_path_symlink("x", root, "../outside/planted"));
  // Other path operations that could reach outside.
  __wasi_filestat_t st;
  WASI("stat dotdot", __wasi_path_filestat_get(root, F, "../outside/secret.txt", &st));
  WASI("stat follow rel symlink", __wasi_path_filestat_get(root, F, "rel_link", &st));
  WASI("stat nofollow rel symlink", __wasi_path_filestat_get(root, 0, "rel_link", &st));
  printf("  type=%d\n", st.filetype);
  WASI("mkdir outside", __wasi_path_create_directory(root, "../outside/newdir"));
  WASI("mkdir via dir symlink", __wasi_path_create_directory(root, "dir_link/newdir"));
  WASI("unlink outside", __wasi_path_unlink_file(root, "../outside/secret.txt"));
  WASI("unlink via dir symlink", __wasi_path_unlink_file(root, "dir_link/secret.txt"));
  WASI("rename out", __wasi_path_rename(root, "data.txt", root, "../outside/stolen.txt"));
  WASI("rename in", __wasi_path_rename(root, "../outside/secret.txt", root, "stolen.txt"));
  WASI("link outside source", __wasi_path_link(root, 0, "../outside/secret.txt", root, "hard"));
  WASI("link follow rel symlink", __wasi_path_link(root, F, "rel_link", root, "hard2"));
  WASI("link to outside target", __wasi_path_link(root, 0, "data.txt", root, "../outside/hard3"));
  WASI("set times outside", __wasi_path_filestat_set_times(root, F, "rel_link", 1, 1, __WASI_FSTFLAGS_MTIM));
  char buf[64];
  __wasi_size_t n;
  WASI("readlink outside", __wasi_path_readlink(root, "../outside/link", (uint8_t*)buf, sizeof buf, &n));
  WASI("rmdir outside", __wasi_path_remove_directory(root, "../outside"));
  // Rename race: hold an fd to sub, move sub deeper, climb from the fd.
  __wasi_fd_t sub;
  WASI("open sub", open_at(root, "sub", 0, __WASI_OFLAGS_DIRECTORY, &sub));
  __wasi_path_create_directory(root, "deep");
  __wasi_path_create_directory(root, "deep/er");
  WASI("move sub deeper", __wasi_path_rename(root, "sub", root, "deep/er/sub"));
  try_open("from moved fd: ..", sub, "..", F);
  try_open("from moved fd: ../../../outside", sub, "../../../outside/secret.txt", F);
  try_open("from moved fd: own file", sub, "own.txt", F);
  return 0;
}

// The harness moves the directory out of the sandbox while we wait on stdin.
static int race(void) {
  __wasi_fd_t sub;
  WASI("open sub", open_at(root, "sub", 0, __WASI_OFLAGS_DIRECTORY, &sub));
  printf("ready\n");
  fflush(stdout);
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 1;
  try_open("after move: own file", sub, "own.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("after move: ../secret.txt", sub, "../secret.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("after move: root still fine", root, "data.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("after move: sub gone", root, "sub/own.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  return 0;
}

static int rights(void) {
  __wasi_fd_t fd;
  WASI("open read-only", __wasi_path_open(root, 0, "data.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  __wasi_ciovec_t c = {(const uint8_t*)"x", 1};
  __wasi_size_t n;
  WASI("write without right", __wasi_fd_write(fd, &c, 1, &n));
  __wasi_filesize_t pos;
  WASI("seek without right", __wasi_fd_seek(fd, 0, __WASI_WHENCE_END, &pos));
  __wasi_fdstat_t fs;
  WASI("fdstat", __wasi_fd_fdstat_get(fd, &fs));
  printf("  type=%d base=%llx inheriting=%llx\n", fs.fs_filetype, (unsigned long long)fs.fs_rights_base,
         (unsigned long long)fs.fs_rights_inheriting);
  WASI("add a right", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0));
  WASI("drop all rights", __wasi_fd_fdstat_set_rights(fd, 0, 0));
  char buf[4];
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  WASI("read after drop", __wasi_fd_read(fd, &iov, 1, &n));
  __wasi_fd_close(fd);
  // A directory fd without path rights.
  __wasi_fd_t dir;
  WASI("open dir limited",
       __wasi_path_open(root, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR,
                        __WASI_RIGHTS_FD_READ, 0, &dir));
  WASI("mkdir without right", __wasi_path_create_directory(dir, "x"));
  WASI("create file without right", __wasi_path_open(dir, 0, "new", __WASI_OFLAGS_CREAT, all, all, 0, &fd));
  WASI("open inherits read only", __wasi_path_open(dir, 0, "own.txt", 0, all, all, 0, &fd));
  WASI("write inherited fd", __wasi_fd_write(fd, &c, 1, &n));
  WASI("read inherited fd", __wasi_fd_read(fd, &iov, 1, &n));
  WASI("path op on a file fd", __wasi_path_open(fd, 0, "x", 0, all, all, 0, &dir));
  // stdio rights.
  WASI("fdstat stdout", __wasi_fd_fdstat_get(1, &fs));
  return 0;
}

static int faults(void) {
  const int32_t bad = (int32_t)0xFFFFFFF0u;
  // An iovec array that runs past the end of memory, and one whose buffer does.
  int32_t n;
  WASI("fd_write iovs out of bounds", raw_fd_write(1, bad, 2, (int32_t)(intptr_t)&n));
  static int32_t iov[2];
  iov[0] = bad;
  iov[1] = 64;
  WASI("fd_write buffer out of bounds", raw_fd_write(1, (int32_t)(intptr_t)iov, 1, (int32_t)(intptr_t)&n));
  WASI("fd_read buffer out of bounds", raw_fd_read(0, (int32_t)(intptr_t)iov, 1, (int32_t)(intptr_t)&n));
  WASI("fd_write result out of bounds", raw_fd_write(1, (int32_t)(intptr_t)iov, 0, bad));
  WASI("args_get out of bounds", raw_args_get(bad, bad));
  int32_t fd;
  WASI("path_open path out of bounds", raw_path_open(3, 0, bad, 100, 0, -1, -1, 0, (int32_t)(intptr_t)&fd));
  WASI("path_open huge length", raw_path_open(3, 0, 16, (int32_t)0x7FFFFFFF, 0, -1, -1, 0, (int32_t)(intptr_t)&fd));
  WASI("mkdir path out of bounds", raw_path_create_directory(3, bad, 32));
  WASI("prestat_dir_name out of bounds", raw_fd_prestat_dir_name(3, bad, 32));
  WASI("random_get out of bounds", raw_random_get(bad, 64));
  WASI("random_get end of memory", raw_random_get((int32_t)(__builtin_wasm_memory_size(0) * 65536 - 8), 8));
  WASI("random_get past end", raw_random_get((int32_t)(__builtin_wasm_memory_size(0) * 65536 - 8), 9));
  WASI("clock result out of bounds", raw_clock_time_get(0, 0, bad));
  WASI("poll out of bounds", raw_poll_oneoff(bad, bad, 1, bad));
  WASI("poll zero subscriptions", raw_poll_oneoff(0, 0, 0, (int32_t)(intptr_t)&n));
  puts("still alive");
  return 0;
}

static int misc(void) {
  // prestat
  __wasi_prestat_t ps;
  WASI("prestat 3", __wasi_fd_prestat_get(3, &ps));
  printf("  tag=%d len=%u\n", ps.tag, ps.u.dir.pr_name_len);
  char name[64] = {0};
  WASI("prestat_dir_name short", __wasi_fd_prestat_dir_name(3, (uint8_t*)name, 2));
  WASI("prestat_dir_name", __wasi_fd_prestat_dir_name(3, (uint8_t*)name, ps.u.dir.pr_name_len));
  printf("  name=%s\n", name);
  WASI("prestat stdout", __wasi_fd_prestat_get(1, &ps));
  WASI("prestat closed", __wasi_fd_prestat_get(99, &ps));
  // renumber
  __wasi_fd_t a, b;
  open_at(root, "data.txt", 0, 0, &a);
  open_at(root, "sub/own.txt", 0, 0, &b);
  WASI("renumber", __wasi_fd_renumber(a, b));
  char buf[64];
  __wasi_iovec_t iov = {(uint8_t*)buf, 4};
  __wasi_size_t n;
  __wasi_fd_read(b, &iov, 1, &n);
  printf("  read via new number: %.*s\n", (int)n, buf);
  WASI("old number closed", __wasi_fd_read(a, &iov, 1, &n));
  WASI("renumber to closed", __wasi_fd_renumber(b, 50));
  __wasi_fd_close(b);
  // fd_readdir with cookies: one entry per call with a tiny buffer.
  __wasi_fd_t d;
  WASI("open readdir", open_at(root, "list", 0, __WASI_OFLAGS_DIRECTORY, &d));
  __wasi_dircookie_t cookie = 0;
  int entries = 0, truncated = 0;
  for (int guard = 0; guard < 100; ++guard) {
    uint8_t dbuf[sizeof(__wasi_dirent_t) + 3];  // too small for names longer than 3
    __wasi_size_t used;
    if (__wasi_fd_readdir(d, dbuf, sizeof dbuf, cookie, &used) != 0) break;
    if (used == 0) break;
    __wasi_dirent_t de;
    memcpy(&de, dbuf, sizeof de);
    if (used == sizeof dbuf && de.d_namlen > 3) ++truncated;
    ++entries;
    cookie = de.d_next;
  }
  printf("  readdir entries=%d truncated=%d\n", entries, truncated);
  uint8_t big[1024];
  __wasi_size_t used;
  WASI("readdir from cookie 2", __wasi_fd_readdir(d, big, sizeof big, 2, &used));
  int rest = 0;
  for (__wasi_size_t off = 0; off + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t de;
    memcpy(&de, big + off, sizeof de);
    off += sizeof de + de.d_namlen;
    ++rest;
  }
  printf("  entries from cookie 2=%d\n", rest);
  WASI("readdir past end", __wasi_fd_readdir(d, big, sizeof big, 1000, &used));
  printf("  used=%u\n", used);
  __wasi_fd_t file;
  open_at(root, "data.txt", 0, 0, &file);
  WASI("readdir on file", __wasi_fd_readdir(file, big, sizeof big, 0, &used));
  __wasi_fd_close(file);
  // file operations
  __wasi_fd_t f;
  WASI("create", __wasi_path_open(root, 0, "ops.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, all, all, 0, &f));
  WASI("allocate", __wasi_fd_allocate(f, 0, 4096));
  __wasi_filestat_t st;
  __wasi_fd_filestat_get(f, &st);
  printf("  size=%llu\n", (unsigned long long)st.size);
  WASI("advise", __wasi_fd_advise(f, 0, 100, __WASI_ADVICE_SEQUENTIAL));
  WASI("advise bad", __wasi_fd_advise(f, 0, 100, 42));
  WASI("datasync", __wasi_fd_datasync(f));
  WASI("sync", __wasi_fd_sync(f));
  WASI("set size", __wasi_fd_filestat_set_size(f, 10));
  __wasi_ciovec_t c = {(const uint8_t*)"hello", 5};
  WASI("pwrite", __wasi_fd_pwrite(f, &c, 1, 2, &n));
  __wasi_filesize_t pos;
  WASI("tell", __wasi_fd_tell(f, &pos));
  printf("  pos=%llu\n", (unsigned long long)pos);
  WASI("set times both", __wasi_fd_filestat_set_times(f, 5, 6, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  WASI("set times",
       __wasi_fd_filestat_set_times(f, 5000000007ull, 6000000008ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_fd_filestat_get(f, &st);
  printf("  size=%llu atim=%llu mtim=%llu nlink=%llu\n", (unsigned long long)st.size, (unsigned long long)st.atim,
         (unsigned long long)st.mtim, (unsigned long long)st.nlink);
  WASI("seek bad whence", __wasi_fd_seek(f, 0, 3, &pos));
  WASI("fdstat_set_flags append", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND));
  __wasi_fdstat_t fs;
  __wasi_fd_fdstat_get(f, &fs);
  printf("  flags=%d\n", fs.fs_flags);
  WASI("fdstat_set_flags sync", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_SYNC));
  WASI("link", __wasi_path_link(root, 0, "ops.bin", root, "ops.link"));
  __wasi_path_filestat_get(root, 0, "ops.bin", &st);
  printf("  nlink=%llu\n", (unsigned long long)st.nlink);
  WASI("path set times", __wasi_path_filestat_set_times(root, 0, "ops.link", 0, 9000000000ull, __WASI_FSTFLAGS_MTIM));
  __wasi_fd_filestat_get(f, &st);
  printf("  mtim=%llu\n", (unsigned long long)st.mtim);
  WASI("symlink", __wasi_path_symlink("ops.bin", root, "ops.sym"));
  char lb[4];
  WASI("readlink truncated", __wasi_path_readlink(root, "ops.sym", (uint8_t*)lb, sizeof lb, &n));
  printf("  n=%u %.4s\n", n, lb);
  WASI("readlink not a link", __wasi_path_readlink(root, "ops.bin", (uint8_t*)lb, sizeof lb, &n));
  WASI("open symlink nofollow", __wasi_path_open(root, 0, "ops.sym", 0, all, all, 0, &a));
  WASI("open dir as file with O_DIRECTORY",
       __wasi_path_open(root, 0, "ops.bin", __WASI_OFLAGS_DIRECTORY, all, all, 0, &a));
  WASI("excl on existing",
       __wasi_path_open(root, 0, "ops.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, all, all, 0, &a));
  WASI("bad oflags", __wasi_path_open(root, 0, "ops.bin", 0x100, all, all, 0, &a));
  WASI("unlink symlink", __wasi_path_unlink_file(root, "ops.sym"));
  WASI("unlink", __wasi_path_unlink_file(root, "ops.link"));
  WASI("rmdir a file", __wasi_path_remove_directory(root, "ops.bin"));
  WASI("rmdir dot", __wasi_path_remove_directory(root, "."));
  WASI("close", __wasi_fd_close(f));
  WASI("close again", __wasi_fd_close(f));
  // clocks, process, scheduling, sockets
  __wasi_timestamp_t t;
  WASI("clock_res realtime", __wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &t));
  WASI("clock_res process", __wasi_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &t));
  WASI("clock bad id", __wasi_clock_time_get(9, 0, &t));
  WASI("sched_yield", __wasi_sched_yield());
  WASI("proc_raise", raw_proc_raise(15));
  WASI("sock_accept on file", __wasi_sock_accept(3, 0, &a));
  WASI("sock_accept bad fd", __wasi_sock_accept(99, 0, &a));
  __wasi_roflags_t ro;
  WASI("sock_recv on file", __wasi_sock_recv(3, &iov, 1, 0, &n, &ro));
  WASI("sock_send on file", __wasi_sock_send(3, (const __wasi_ciovec_t*)&iov, 1, 0, &n));
  WASI("sock_shutdown on file", __wasi_sock_shutdown(3, __WASI_SDFLAGS_WR));
  return 0;
}

static int poll(void) {
  __wasi_subscription_t s[3];
  __wasi_event_t ev[3];
  __wasi_size_t n;
  __wasi_timestamp_t t0, t1;
  memset(s, 0, sizeof s);
  // A relative clock of 30 ms.
  s[0].userdata = 11;
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[0].u.u.clock.timeout = 30 * 1000 * 1000;
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t0);
  WASI("poll clock", __wasi_poll_oneoff(s, ev, 1, &n));
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t1);
  printf("  n=%u userdata=%llu type=%d error=%d waited>=30ms=%d\n", n, (unsigned long long)ev[0].userdata, ev[0].type,
         ev[0].error, t1 - t0 >= 30 * 1000 * 1000);
  // An absolute clock in the past fires at once.
  s[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  s[0].u.u.clock.timeout = 1;
  WASI("poll abstime past", __wasi_poll_oneoff(s, ev, 1, &n));
  printf("  n=%u\n", n);
  // A regular file is always readable; a long clock does not fire.
  __wasi_fd_t f;
  open_at(root, "data.txt", 0, 0, &f);
  s[0].u.u.clock.flags = 0;
  s[0].u.u.clock.timeout = 10ull * 1000 * 1000 * 1000;
  s[1].userdata = 22;
  s[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[1].u.u.fd_read.file_descriptor = f;
  s[2].userdata = 33;
  s[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  s[2].u.u.fd_write.file_descriptor = 99;  // not open
  WASI("poll fds", __wasi_poll_oneoff(s, ev, 3, &n));
  printf("  n=%u\n", n);
  for (__wasi_size_t i = 0; i < n; ++i)
    printf("  event userdata=%llu type=%d error=%s nbytes=%llu\n", (unsigned long long)ev[i].userdata, ev[i].type,
           errname(ev[i].error), (unsigned long long)ev[i].fd_readwrite.nbytes);
  // stdin (a pipe from the harness with data in it).
  s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[0].u.u.fd_read.file_descriptor = 0;
  s[0].userdata = 44;
  s[1] = s[0];
  s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[1].u.u.clock.timeout = 5ull * 1000 * 1000 * 1000;
  s[1].u.u.clock.flags = 0;
  s[1].userdata = 55;
  WASI("poll stdin", __wasi_poll_oneoff(s, ev, 2, &n));
  printf("  n=%u userdata=%llu nbytes=%llu\n", n, (unsigned long long)ev[0].userdata,
         (unsigned long long)ev[0].fd_readwrite.nbytes);
  s[0].u.tag = 7;
  WASI("poll bad tag", __wasi_poll_oneoff(s, ev, 1, &n));
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* s = argv[1];
  if (!strcmp(s, "escape")) return escape();
  if (!strcmp(s, "race")) return race();
  if (!strcmp(s, "rights")) return rights();
  if (!strcmp(s, "faults")) return faults();
  if (!strcmp(s, "misc")) return misc();
  if (!strcmp(s, "poll")) return poll();
  return 2;
}
