// Helpers for the C guests: print errno values by name so that tests can
// compare output exactly.
#pragma once
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char* errname(int e) {
  switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOSYS: return "ENOSYS";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSOCK: return "ENOTSOCK";
    case ENOTSUP: return "ENOTSUP";
    case EPERM: return "EPERM";
    case EPIPE: return "EPIPE";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    default: return "E?";
  }
}

// Runs a libc call that returns -1 on error; prints "label: OK" or "label: ENAME".
#define TRY(label, expr)                                       \
  do {                                                         \
    errno = 0;                                                 \
    long r_ = (long)(expr);                                    \
    printf("%s: %s\n", label, r_ < 0 ? errname(errno) : "OK"); \
  } while (0)

// For direct WASI calls, which return the errno.
#define WASI(label, expr) printf("%s: %s\n", label, errname((int)(expr)))
