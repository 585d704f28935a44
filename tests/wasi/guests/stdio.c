// C guest for what a guest may do with its stdio fds and with path_open's
// rights (issue 12): it must not change the host's shared open file
// descriptions, gain directory rights through a directory on stdin, be
// killed by SIGPIPE, and path_open behaves as in Wasmtime. Reports go to
// stderr (stdout is what is being tested).
#include <stdint.h>
#include <stdlib.h>
#include <wasi/api.h>

#include "common.h"

#define REPORT(label, expr) fprintf(stderr, "%s: %s\n", label, errname((int)(expr)))

static void fdstat(const char* label, __wasi_fd_t fd) {
  __wasi_fdstat_t st;
  __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
  fprintf(stderr, "%s: %s type=%d flags=%d base=%llx inheriting=%llx\n", label, errname(e), st.fs_filetype, st.fs_flags,
          (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
}

static __wasi_errno_t write_str(__wasi_fd_t fd, const char* s) {
  __wasi_ciovec_t c = {(const uint8_t*)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &c, 1, &n);
}

// stdin: an empty pipe the harness keeps open; stdout: a pipe.
static int setfl(void) {
  fdstat("fdstat 0", 0);
  fdstat("fdstat 1", 1);
  REPORT("nonblock stdin", __wasi_fd_fdstat_set_flags(0, __WASI_FDFLAGS_NONBLOCK));
  fdstat("fdstat 0", 0);
  char buf[8];
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  __wasi_size_t n;
  REPORT("read empty stdin", __wasi_fd_read(0, &iov, 1, &n));
  REPORT("append+nonblock stdout", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
  fdstat("fdstat 1", 1);
  REPORT("write stdout", write_str(1, "to stdout\n"));
  REPORT("sync stdout", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_SYNC));
  REPORT("seek stdin", __wasi_fd_seek(0, 0, __WASI_WHENCE_SET, &(__wasi_filesize_t){0}));
  return 0;  // the flags stay set: the host must not see them
}

// stdout: a regular file the harness opened without O_APPEND, at offset 0.
static int append(void) {
  fdstat("fdstat 1", 1);
  __wasi_filesize_t pos;
  REPORT("seek stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_END, &pos));
  REPORT("tell stdout", __wasi_fd_tell(1, &pos));
  REPORT("truncate stdout", __wasi_fd_filestat_set_size(1, 0));
  REPORT("allocate stdout", __wasi_fd_allocate(1, 0, 4096));
  REPORT("set times stdout", __wasi_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  REPORT("sync stdout", __wasi_fd_sync(1));
  REPORT("append stdout", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND));
  fdstat("fdstat 1", 1);
  REPORT("write 1", write_str(1, "appended 1\n"));
  REPORT("write 2", write_str(1, "appended 2\n"));
  return 0;
}

// stdin: a directory. Nothing in it may be listed, opened, created, renamed
// or removed through fd 0.
static int stdin_dir(void) {
  fdstat("fdstat 0", 0);
  __wasi_filestat_t fst;
  REPORT("filestat 0", __wasi_fd_filestat_get(0, &fst));
  fprintf(stderr, "  filetype=%d\n", fst.filetype);
  uint8_t buf[256];
  __wasi_size_t n;
  REPORT("readdir", __wasi_fd_readdir(0, buf, sizeof buf, 0, &n));
  __wasi_fd_t fd;
  REPORT("open file", __wasi_path_open(0, 0, "file.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  REPORT("open dot", __wasi_path_open(0, 0, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd));
  REPORT("create", __wasi_path_open(0, 0, "new.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  REPORT("unlink", __wasi_path_unlink_file(0, "file.txt"));
  REPORT("rename", __wasi_path_rename(0, "file.txt", 0, "moved.txt"));
  REPORT("mkdir", __wasi_path_create_directory(0, "newdir"));
  REPORT("rmdir", __wasi_path_remove_directory(0, "subdir"));
  REPORT("symlink", __wasi_path_symlink("file.txt", 0, "link"));
  REPORT("stat path", __wasi_path_filestat_get(0, 0, "file.txt", &fst));
  REPORT("renumber to 9", __wasi_fd_renumber(0, 9));
  REPORT("drop rights", __wasi_fd_fdstat_set_rights(0, __WASI_RIGHTS_FD_READ, 0));
  REPORT("add rights", __wasi_fd_fdstat_set_rights(0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0));
  __wasi_iovec_t iov = {buf, sizeof buf};
  REPORT("read", __wasi_fd_read(0, &iov, 1, &n));
  return 0;
}

// stdout: a pipe whose reader is gone.
static int epipe(void) {
  REPORT("write", write_str(1, "nobody reads this\n"));
  REPORT("write again", write_str(1, "nor this\n"));
  return 3;
}

// path_open rights as Wasmtime has them; fd 3 is the preopened sandbox.
static int paths(void) {
  __wasi_fdstat_t pre;
  __wasi_fd_fdstat_get(3, &pre);
  __wasi_fd_t fd;
  REPORT("open . with the preopen's rights",
         __wasi_path_open(3, 0, ".", 0, pre.fs_rights_base, pre.fs_rights_inheriting, 0, &fd));
  __wasi_fdstat_t st;
  __wasi_fd_fdstat_get(fd, &st);
  fprintf(stderr, "  type=%d same base=%d same inheriting=%d\n", st.fs_filetype,
          st.fs_rights_base == pre.fs_rights_base, st.fs_rights_inheriting == pre.fs_rights_inheriting);
  uint8_t buf[512];
  __wasi_size_t n;
  REPORT("readdir it", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &n));
  __wasi_fd_t f2;
  REPORT("open through it", __wasi_path_open(fd, 0, "data.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f2));
  __wasi_fd_close(f2);
  __wasi_fd_close(fd);
  REPORT("open . with file rights",
         __wasi_path_open(3, 0, ".", 0, pre.fs_rights_base | __WASI_RIGHTS_FD_READ, pre.fs_rights_inheriting, 0, &fd));
  __wasi_fd_fdstat_get(fd, &st);
  fprintf(stderr, "  type=%d read=%d seek=%d\n", st.fs_filetype, !!(st.fs_rights_base & __WASI_RIGHTS_FD_READ),
          !!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
  __wasi_fd_close(fd);
  REPORT("open . with its inheriting rights (FD_WRITE)",
         __wasi_path_open(3, 0, ".", 0, pre.fs_rights_inheriting, pre.fs_rights_inheriting, 0, &fd));
  REPORT("open sub O_DIRECTORY with FD_WRITE",
         __wasi_path_open(3, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  REPORT("truncate with rights 0", __wasi_path_open(3, 0, "trunc.txt", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd));
  __wasi_fd_fdstat_get(fd, &st);
  fprintf(stderr, "  type=%d base=%llx inheriting=%llx\n", st.fs_filetype, (unsigned long long)st.fs_rights_base,
          (unsigned long long)st.fs_rights_inheriting);
  __wasi_iovec_t iov = {buf, sizeof buf};
  REPORT("  read it", __wasi_fd_read(fd, &iov, 1, &n));
  __wasi_fd_close(fd);
  REPORT("O_DIRECTORY on a file", __wasi_path_open(3, 0, "data.txt", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
  REPORT("O_CREAT on a directory",
         __wasi_path_open(3, 0, "sub", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  REPORT("O_CREAT|O_DIRECTORY",
         __wasi_path_open(3, 0, "newdir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
  REPORT("O_TRUNC|O_DIRECTORY",
         __wasi_path_open(3, 0, "sub", __WASI_OFLAGS_TRUNC | __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
  // Rights are still enforced: a directory fd without PATH_FILESTAT_SET_SIZE
  // cannot truncate, and one whose inheriting rights lack FD_WRITE hands out
  // no write access.
  __wasi_fd_t sub;
  REPORT("open sub limited", __wasi_path_open(3, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN,
                                              __WASI_RIGHTS_FD_READ, 0, &sub));
  REPORT("truncate without the right", __wasi_path_open(sub, 0, "own.txt", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd));
  REPORT("open for write",
         __wasi_path_open(sub, 0, "own.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  __wasi_fd_fdstat_get(fd, &st);
  fprintf(stderr, "  base=%llx\n", (unsigned long long)st.fs_rights_base);
  REPORT("  write it", write_str(fd, "x"));
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* s = argv[1];
  if (!strcmp(s, "setfl")) return setfl();
  if (!strcmp(s, "append")) return append();
  if (!strcmp(s, "stdin_dir")) return stdin_dir();
  if (!strcmp(s, "epipe")) return epipe();
  if (!strcmp(s, "paths")) return paths();
  return 2;
}
