// Reads and writes at a guest fd's current position (fd_read, fd_write,
// sock_recv, sock_send), with two host guarantees:
// - a write to a broken pipe or socket returns EPIPE to the guest and never
//   raises SIGPIPE in the host (MSG_NOSIGNAL for sockets; for other streams
//   SIGPIPE is blocked in the calling thread around the write and a SIGPIPE
//   the write raised is consumed before unblocking). The process-wide
//   disposition is never changed: it belongs to the embedder.
// - the fdflags of an fd whose open file description the host shares (the
//   embedder's stdio, FdEntry::owned == false) are emulated per guest fd:
//   NONBLOCK returns EAGAIN when poll(2) says the fd is not ready, APPEND
//   writes a regular file at its end (pwritev2 RWF_APPEND); a host
//   description that is O_NONBLOCK behaves as blocking for a guest that did
//   not ask for NONBLOCK. Fds the guest opened itself have private
//   descriptions, on which fcntl applies the flags for real.
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <vector>

#include "wasi/errno_map.h"
#include "wasi/state.h"

namespace wnn::wasi {

namespace {

bool is_socket(const FdEntry& e) { return e.type == FT_SOCKET_STREAM || e.type == FT_SOCKET_DGRAM; }

// Pipes, terminals, sockets, character devices: what can block and what can
// be broken.
bool is_stream(const FdEntry& e) {
  return e.type != FT_REGULAR_FILE && e.type != FT_DIRECTORY && e.type != FT_BLOCK_DEVICE && e.type != FT_SYMBOLIC_LINK;
}

// `write` with SIGPIPE blocked in this thread. A SIGPIPE that was pending
// before stays pending (it is not ours to consume).
template <typename Write> ssize_t without_sigpipe(Write write) {
  sigset_t pipe_only, old, pending;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  const bool was_pending = ::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
  const ssize_t n = write();
  const int err = errno;
  if (n < 0 && err == EPIPE && !was_pending) {
    const timespec zero{0, 0};
    while (::sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {}
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return n;
}

// A nonblocking write to a pipe or terminal that poll(2) reported writable
// does not block if it is at most PIPE_BUF bytes (one free pipe buffer
// slot): the rest is a short write, which nonblocking writers expect.
void cap_iovecs(std::vector<iovec>& iov, size_t max) {
  size_t total = 0;
  for (size_t i = 0; i < iov.size(); ++i) {
    if (iov[i].iov_len > max - total) {
      iov[i].iov_len = max - total;
      iov.resize(i + 1);
      return;
    }
    total += iov[i].iov_len;
  }
}

ssize_t append_at_end(int fd, std::vector<iovec>& iov) {
  const ssize_t n = ::pwritev2(fd, iov.data(), int(iov.size()), -1, RWF_APPEND);
  if (n >= 0 || (errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL)) return n;
  // Kernels before 4.16: not atomic against other writers, but at the end.
  if (::lseek(fd, 0, SEEK_END) < 0) return -1;
  return ::writev(fd, iov.data(), int(iov.size()));
}

}  // namespace

bool guest_nonblocking(const FdEntry& e) {
  if (!e.owned) return e.fdflags & fdflag::NONBLOCK;
  const int fl = ::fcntl(e.host, F_GETFL);
  return fl >= 0 && (fl & O_NONBLOCK);
}

Errno run_stream_op(Call& c, const FdEntry& e, short events, const std::function<ssize_t(bool)>& op, ssize_t& n) {
  const bool emulated = !e.owned && is_stream(e);
  if (emulated && (e.fdflags & fdflag::NONBLOCK)) {
    pollfd p{e.host, events, 0};
    if (::poll(&p, 1, 0) <= 0) return E_AGAIN;
    n = op(true);
    return n < 0 ? last_errno() : E_SUCCESS;
  }
  for (;;) {
    if (Errno err = wait_until_ready(c, e, events)) return err;
    n = op(false);
    if (n >= 0) return E_SUCCESS;
    if (!emulated || (errno != EAGAIN && errno != EWOULDBLOCK)) return last_errno();
    // The host's description is O_NONBLOCK, the guest asked to block: wait again.
    if (!c.store) {
      pollfd p{e.host, events, 0};
      ::poll(&p, 1, -1);
    }
  }
}

Errno stream_read(Call& c, const FdEntry& e, std::vector<iovec>& iov, ssize_t& n) {
  return run_stream_op(c, e, POLLIN, [&](bool) { return ::readv(e.host, iov.data(), int(iov.size())); }, n);
}

Errno stream_write(Call& c, const FdEntry& e, std::vector<iovec>& iov, ssize_t& n) {
  return run_stream_op(
      c, e, POLLOUT,
      [&](bool dontwait) -> ssize_t {
        if (is_socket(e)) {
          msghdr m{};
          m.msg_iov = iov.data();
          m.msg_iovlen = iov.size();
          return ::sendmsg(e.host, &m, MSG_NOSIGNAL | (dontwait ? MSG_DONTWAIT : 0));
        }
        if (!e.owned && e.type == FT_REGULAR_FILE && (e.fdflags & fdflag::APPEND)) return append_at_end(e.host, iov);
        if (!is_stream(e)) return ::writev(e.host, iov.data(), int(iov.size()));
        if (dontwait) cap_iovecs(iov, PIPE_BUF);
        return without_sigpipe([&] { return ::writev(e.host, iov.data(), int(iov.size())); });
      },
      n);
}

}  // namespace wnn::wasi
