// Waiting: poll_oneoff (clocks and fd readiness with one ppoll(2)) and the
// wait before a blocking read or write. Both also wait on the store's
// interrupt fd, so that Store::interrupt() (wnn run --timeout) ends a guest
// blocked in them, not only one running code.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "wasi/errno_map.h"
#include "wasi/state.h"
#include "wnn/runtime.h"

namespace wnn::wasi {

namespace {

struct Event {
  uint64_t userdata = 0;
  uint16_t error = 0;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

// The most subscriptions one poll_oneoff takes (docs/security.md): far more
// than the 16384 fds a guest may hold, and a few MiB of host memory.
constexpr uint32_t kMaxSubscriptions = 65536;

uint64_t now_monotonic() {
  timespec t;
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return to_ns(t);
}

struct Sub {
  uint64_t userdata;
  uint8_t type;
  // clock: deadline on the monotonic clock; fd: index into pollfds, or -1
  // when the subscription already failed (error set).
  uint64_t deadline = 0;
  int poll_index = -1;
  uint16_t error = 0;
  int host_fd = -1;
};

bool may_block(const FdEntry& e) {
  switch (e.type) {
    case FT_REGULAR_FILE:
    case FT_DIRECTORY:
    case FT_SYMBOLIC_LINK:
    case FT_BLOCK_DEVICE: return false;
    default: return !guest_nonblocking(e);  // the emulated flag on a shared description, not the host's
  }
}

// The store's interrupt fd was readable: a pending request ends the call
// (the guest traps); a stale event is drained and the wait goes on.
bool take_interrupt(Call& c) {
  c.interrupted = c.store->take_interrupt();
  return c.interrupted;
}

}  // namespace

Errno wait_until_ready(Call& c, const FdEntry& e, short events) {
  if (!c.store || !may_block(e)) return E_SUCCESS;
  pollfd p[2] = {{e.host, events, 0}, {c.store->interrupt_fd(), POLLIN, 0}};
  for (;;) {
    const int r = ::poll(p, 2, -1);
    if (r < 0 && errno != EINTR) return E_SUCCESS;  // the operation itself reports
    if (r > 0 && p[1].revents && take_interrupt(c)) return E_INTR;
    if (r > 0 && p[0].revents) return E_SUCCESS;  // ready, hung up or failed
  }
}

Errno poll_oneoff(Call& c, const uint64_t* a) {
  const uint32_t in = u32(a, 0), out = u32(a, 1), n = u32(a, 2), ret = u32(a, 3);
  const uint32_t sub_size = c.unstable ? kSubscriptionSizeUnstable : kSubscriptionSize;
  if (n == 0) return E_INVAL;  // would block forever
  // The host keeps a record per subscription (and a pollfd per fd one):
  // bound them, as poll(2) bounds nfds by RLIMIT_NOFILE, rather than let a
  // guest size a host allocation at 48 bytes of its memory each.
  if (n > kMaxSubscriptions) return E_INVAL;
  if (!c.mem.ok(in, uint64_t(n) * sub_size) || !c.mem.ok(out, uint64_t(n) * kEventSize) || !c.mem.ok(ret, 4))
    return E_FAULT;

  std::vector<Sub> subs(n);
  std::vector<pollfd> pfds;
  const uint64_t start = now_monotonic();
  bool immediate = false;  // some event is already there: do not block
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t s = in + uint64_t(i) * sub_size;
    Sub& sub = subs[i];
    c.mem.load(s, sub.userdata);
    c.mem.load(s + 8, sub.type);
    if (sub.type == EVENT_CLOCK) {
      // preview1: id u32 @16, timeout @24, precision @32, flags u16 @40;
      // wasi_unstable has an extra u64 identifier @16 and everything after it moves by 8.
      const uint64_t b = s + (c.unstable ? 24 : 16);
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      c.mem.load(b, id);
      c.mem.load(b + 8, timeout);
      c.mem.load(b + 24, flags);
      clockid_t hc;
      if (!host_clock(id, hc) || (flags & ~SUBCLOCK_ABSTIME)) {
        sub.error = E_INVAL;
        immediate = true;
        continue;
      }
      uint64_t rel = timeout;
      if (flags & SUBCLOCK_ABSTIME) {
        timespec t;
        ::clock_gettime(hc, &t);
        const uint64_t now = to_ns(t);
        rel = timeout > now ? timeout - now : 0;
      }
      sub.deadline = rel > UINT64_MAX - start ? UINT64_MAX : start + rel;
    } else if (sub.type == EVENT_FD_READ || sub.type == EVENT_FD_WRITE) {
      uint32_t fd = 0;
      c.mem.load(s + 16, fd);
      FdEntry* e;
      if (Errno err = c.s.fds.get(fd, right::POLL_FD_READWRITE, e)) {
        sub.error = err;
        immediate = true;
        continue;
      }
      sub.host_fd = e->host;
      sub.poll_index = int(pfds.size());
      pfds.push_back(pollfd{e->host, short(sub.type == EVENT_FD_READ ? POLLIN : POLLOUT), 0});
    } else {
      return E_INVAL;
    }
  }

  // The interrupt fd goes last, after the guest's fds.
  const size_t guest_fds = pfds.size();
  if (c.store) pfds.push_back(pollfd{c.store->interrupt_fd(), POLLIN, 0});

  // Wait until the earliest clock, or forever if there is none.
  uint64_t earliest = UINT64_MAX;
  for (const Sub& s : subs)
    if (s.type == EVENT_CLOCK && !s.error) earliest = std::min(earliest, s.deadline);
  for (;;) {
    timespec ts{0, 0};
    const timespec* tp = &ts;
    if (!immediate) {
      if (earliest == UINT64_MAX) {
        tp = nullptr;
      } else {
        const uint64_t now = now_monotonic();
        const uint64_t rel = earliest > now ? earliest - now : 0;
        ts = {time_t(rel / 1000000000ull), long(rel % 1000000000ull)};
      }
    }
    int r = ::ppoll(pfds.data(), pfds.size(), tp, nullptr);
    if (r < 0) {
      if (errno == EINTR) continue;
      return last_errno();
    }
    if (c.store && pfds.back().revents && take_interrupt(c)) return E_INTR;
    const bool fd_ready =
        std::any_of(pfds.begin(), pfds.begin() + ptrdiff_t(guest_fds), [](const pollfd& p) { return p.revents != 0; });
    // Done when an fd is ready, a clock expired, or something failed already;
    // an interrupt (or a stale interrupt event) goes round the loop.
    if (fd_ready || immediate || (earliest != UINT64_MAX && now_monotonic() >= earliest)) break;
  }

  const uint64_t now = now_monotonic();
  uint32_t count = 0;
  for (const Sub& s : subs) {
    Event ev;
    ev.userdata = s.userdata;
    ev.type = s.type;
    if (s.error) {
      ev.error = s.error;
    } else if (s.type == EVENT_CLOCK) {
      if (now < s.deadline) continue;
    } else {
      const pollfd& p = pfds[size_t(s.poll_index)];
      if (!p.revents) continue;
      if (p.revents & POLLNVAL)
        ev.error = E_BADF;
      else if ((p.revents & POLLERR) && !(p.revents & (POLLIN | POLLOUT)))
        ev.error = E_IO;
      if (p.revents & POLLHUP) ev.flags = EVENT_FD_READWRITE_HANGUP;
      if (s.type == EVENT_FD_READ && !ev.error) {
        // Bytes available: the rest of a regular file, else what FIONREAD says.
        struct stat st;
        if (::fstat(s.host_fd, &st) == 0 && S_ISREG(st.st_mode)) {
          off_t pos = ::lseek(s.host_fd, 0, SEEK_CUR);
          ev.nbytes = pos >= 0 && st.st_size > pos ? uint64_t(st.st_size - pos) : 0;
        } else {
          int avail = 0;
          if (::ioctl(s.host_fd, FIONREAD, &avail) == 0 && avail > 0) ev.nbytes = uint64_t(avail);
        }
      }
    }
    const uint64_t o = out + uint64_t(count) * kEventSize;
    std::memset(c.mem.ptr(o, kEventSize), 0, kEventSize);
    c.mem.store(o, ev.userdata);
    c.mem.store(o + 8, ev.error);
    c.mem.store(o + 10, ev.type);
    c.mem.store(o + 16, ev.nbytes);
    c.mem.store(o + 24, ev.flags);
    ++count;
  }
  c.mem.store(ret, count);
  return E_SUCCESS;
}

}  // namespace wnn::wasi
