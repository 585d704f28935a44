// args/environ, clocks, random, process, scheduling and sockets.
#include <poll.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "wasi/errno_map.h"
#include "wasi/state.h"

namespace wnn::wasi {

namespace {

// args_get / environ_get: an array of pointers and the NUL-terminated strings.
Errno write_strings(Call& c, const std::vector<std::string>& v, uint32_t ptrs, uint32_t buf) {
  uint64_t total = 0;
  for (const std::string& s : v) total += s.size() + 1;
  if (!c.mem.ok(ptrs, uint64_t(v.size()) * 4) || !c.mem.ok(buf, total)) return E_FAULT;
  uint64_t off = buf;
  for (size_t i = 0; i < v.size(); ++i) {
    c.mem.store(ptrs + 4 * uint64_t(i), uint32_t(off));
    uint8_t* p = c.mem.ptr(off, v[i].size() + 1);
    std::memcpy(p, v[i].c_str(), v[i].size() + 1);
    off += v[i].size() + 1;
  }
  return E_SUCCESS;
}

Errno write_sizes(Call& c, const std::vector<std::string>& v, uint32_t count_ptr, uint32_t size_ptr) {
  uint64_t total = 0;
  for (const std::string& s : v) total += s.size() + 1;
  if (!c.mem.ok(count_ptr, 4) || !c.mem.ok(size_ptr, 4)) return E_FAULT;
  c.mem.store(count_ptr, uint32_t(v.size()));
  c.mem.store(size_ptr, uint32_t(total));
  return E_SUCCESS;
}

}  // namespace

bool host_clock(uint32_t id, clockid_t& out) {
  switch (id) {
    case CLK_REALTIME: out = CLOCK_REALTIME; return true;
    case CLK_MONOTONIC: out = CLOCK_MONOTONIC; return true;
    case CLK_PROCESS_CPUTIME: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case CLK_THREAD_CPUTIME: out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t to_ns(const timespec& t) { return uint64_t(t.tv_sec) * 1000000000ull + uint64_t(t.tv_nsec); }

Errno args_get(Call& c, const uint64_t* a) { return write_strings(c, c.s.args, u32(a, 0), u32(a, 1)); }
Errno args_sizes_get(Call& c, const uint64_t* a) { return write_sizes(c, c.s.args, u32(a, 0), u32(a, 1)); }
Errno environ_get(Call& c, const uint64_t* a) { return write_strings(c, c.s.env, u32(a, 0), u32(a, 1)); }
Errno environ_sizes_get(Call& c, const uint64_t* a) { return write_sizes(c, c.s.env, u32(a, 0), u32(a, 1)); }

Errno clock_res_get(Call& c, const uint64_t* a) {
  clockid_t id;
  if (!host_clock(u32(a, 0), id)) return E_INVAL;
  if (!c.mem.ok(u32(a, 1), 8)) return E_FAULT;
  timespec t;
  if (::clock_getres(id, &t) != 0) return last_errno();
  c.mem.store(u32(a, 1), to_ns(t));
  return E_SUCCESS;
}

Errno clock_time_get(Call& c, const uint64_t* a) {
  clockid_t id;
  if (!host_clock(u32(a, 0), id)) return E_INVAL;
  const uint32_t ret = u32(a, 2);  // a[1]: precision, a hint we do not need
  if (!c.mem.ok(ret, 8)) return E_FAULT;
  timespec t;
  if (::clock_gettime(id, &t) != 0) return last_errno();
  c.mem.store(ret, to_ns(t));
  return E_SUCCESS;
}

Errno random_get(Call& c, const uint64_t* a) {
  uint8_t* p = c.mem.ptr(u32(a, 0), u32(a, 1));
  if (!p) return E_FAULT;
  size_t left = u32(a, 1);
  while (left > 0) {
    ssize_t n = ::getrandom(p, left, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_errno();
    }
    p += n;
    left -= size_t(n);
  }
  return E_SUCCESS;
}

// The host cannot deliver a signal to the guest alone: raising it on the
// runtime's process would kill or stop the embedder.
Errno proc_raise(Call&, const uint64_t* a) { return u32(a, 0) > 30 ? E_INVAL : E_NOSYS; }

Errno sched_yield(Call&, const uint64_t*) {
  ::sched_yield();
  return E_SUCCESS;
}

// Sockets: only fds that are sockets on the host (e.g. inherited as stdin)
// support these; wnn has no option to preopen listening sockets yet.
namespace {
Errno socket_entry(Call& c, uint32_t fd, uint64_t rights, FdEntry*& e) {
  e = c.s.fds.at(fd);
  if (!e) return E_BADF;
  if (e->type != FT_SOCKET_STREAM && e->type != FT_SOCKET_DGRAM) return E_NOTSOCK;
  return c.s.fds.get(fd, rights, e);
}
}  // namespace

Errno sock_accept(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = socket_entry(c, u32(a, 0), right::SOCK_ACCEPT, e)) return err;
  const uint32_t flags = u32(a, 1), ret = u32(a, 2);
  if (flags & ~uint32_t(fdflag::NONBLOCK)) return E_INVAL;
  if (!c.mem.ok(ret, 4)) return E_FAULT;
  if (Errno err = wait_until_ready(c, *e, POLLIN)) return err;
  int fd = ::accept4(e->host, nullptr, nullptr, SOCK_CLOEXEC | ((flags & fdflag::NONBLOCK) ? SOCK_NONBLOCK : 0));
  if (fd < 0) return last_errno();
  FdEntry ne;
  ne.host = fd;
  ne.type = FT_SOCKET_STREAM;
  ne.rights_base = right::SOCKET & ~right::SOCK_ACCEPT;
  uint32_t guest;
  if (Errno err = c.s.fds.insert(std::move(ne), guest)) {
    ::close(fd);
    return err;
  }
  c.mem.store(ret, guest);
  return E_SUCCESS;
}

Errno sock_recv(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = socket_entry(c, u32(a, 0), right::FD_READ, e)) return err;
  const uint32_t riflags = u32(a, 3), ret_size = u32(a, 4), ret_flags = u32(a, 5);
  if (riflags & ~3u) return E_INVAL;
  if (!c.mem.ok(ret_size, 4) || !c.mem.ok(ret_flags, 2)) return E_FAULT;
  std::vector<iovec> iov;
  if (Errno err = gather_iovecs(c.mem, u32(a, 1), u32(a, 2), iov)) return err;
  msghdr m{};
  m.msg_iov = iov.data();
  m.msg_iovlen = iov.size();
  int fl = ((riflags & 1) ? MSG_PEEK : 0) | ((riflags & 2) ? MSG_WAITALL : 0);
  ssize_t n;
  if (Errno err = run_stream_op(
          c, *e, POLLIN, [&](bool dontwait) { return ::recvmsg(e->host, &m, fl | (dontwait ? MSG_DONTWAIT : 0)); }, n))
    return err;
  c.mem.store(ret_size, uint32_t(n));
  c.mem.store(ret_flags, uint16_t((m.msg_flags & MSG_TRUNC) ? 1 : 0));
  return E_SUCCESS;
}

Errno sock_send(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = socket_entry(c, u32(a, 0), right::FD_WRITE, e)) return err;
  const uint32_t ret = u32(a, 4);  // a[3]: siflags, none defined
  if (!c.mem.ok(ret, 4)) return E_FAULT;
  std::vector<iovec> iov;
  if (Errno err = gather_iovecs(c.mem, u32(a, 1), u32(a, 2), iov)) return err;
  ssize_t n;
  if (Errno err = stream_write(c, *e, iov, n)) return err;  // MSG_NOSIGNAL: EPIPE, never SIGPIPE
  c.mem.store(ret, uint32_t(n));
  return E_SUCCESS;
}

Errno sock_shutdown(Call& c, const uint64_t* a) {
  FdEntry* e;
  if (Errno err = socket_entry(c, u32(a, 0), right::SOCK_SHUTDOWN, e)) return err;
  const uint32_t how = u32(a, 1);  // sdflags: rd = 1, wr = 2
  if (how == 0 || how > 3) return E_INVAL;
  int h = how == 3 ? SHUT_RDWR : how == 1 ? SHUT_RD : SHUT_WR;
  return ::shutdown(e->host, h) == 0 ? E_SUCCESS : last_errno();
}

}  // namespace wnn::wasi
