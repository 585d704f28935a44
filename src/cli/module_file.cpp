#include "cli/module_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binary/decoder.h"

namespace wnn::cli {

namespace {

// Opened without blocking (a FIFO's open would wait for a writer), then
// checked to be a regular file; -1 with errno, or ENODEV for another kind.
int open_regular(const std::string& path, struct stat* st) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return -1;
  if (::fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
    ::close(fd);
    errno = ENODEV;
    return -1;
  }
  return fd;
}

// Up to n bytes at `offset`, fewer at the end of the file; -1 on an error.
ssize_t read_at(int fd, uint8_t* into, size_t n, uint64_t offset) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, into + got, n - got, off_t(offset + got));
    if (r == 0) break;
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    got += size_t(r);
  }
  return ssize_t(got);
}

}  // namespace

Expected<std::vector<uint8_t>> read_module(const std::string& path) {
  struct stat st;
  const int fd = open_regular(path, &st);
  if (fd < 0) {
    if (errno == ENODEV)
      return Error(ErrorKind::Io, "cannot read " + path + ": not a regular file (a module must be a .wasm file)");
    return Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
  }
  int error = 0;
  const auto ranges = binary::needed_ranges(uint64_t(st.st_size), [&](uint64_t offset, size_t n) {
    std::vector<uint8_t> b(n);
    const ssize_t got = read_at(fd, b.data(), n, offset);
    if (got < 0) error = errno;
    b.resize(size_t(std::max<ssize_t>(got, 0)));
    return b;
  });
  std::vector<uint8_t> bytes;
  uint64_t total = 0;
  for (const binary::ByteRange& r : ranges) total += r.size;
  uint8_t magic[4] = {};
  const bool wasm = read_at(fd, magic, 4, 0) == 4 && std::memcmp(magic, "\0asm", 4) == 0;
  if (wasm && total > binary::kMaxModuleBytes) {  // refused before anything is read (not an artifact)
    ::close(fd);
    return Error(ErrorKind::Exhaustion, path + ": module of " + std::to_string(total) +
                                            " bytes exceeds the implementation limit of " +
                                            std::to_string(binary::kMaxModuleBytes) + " bytes (1 GiB)");
  }
  bytes.reserve(size_t(total));
  uint8_t buf[1 << 16];
  for (const binary::ByteRange& r : ranges) {
    for (uint64_t done = 0; done < r.size && !error;) {
      const ssize_t n = read_at(fd, buf, size_t(std::min<uint64_t>(sizeof buf, r.size - done)), r.offset + done);
      if (n < 0) error = errno;
      if (n <= 0) break;  // the file shrank: the decoder reports what is missing
      bytes.insert(bytes.end(), buf, buf + n);
      done += uint64_t(n);
    }
  }
  ::close(fd);
  if (error) return Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(error));
  return bytes;
}

std::vector<uint8_t> read_head(const std::string& path) {
  struct stat st;
  const int fd = open_regular(path, &st);
  if (fd < 0) return {};
  std::vector<uint8_t> head(size_t(std::min<off_t>(st.st_size, 1 << 16)));
  const ssize_t n = read_at(fd, head.data(), head.size(), 0);
  head.resize(size_t(std::max<ssize_t>(n, 0)));
  ::close(fd);
  return head;
}

}  // namespace wnn::cli
