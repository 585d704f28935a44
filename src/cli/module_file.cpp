#include "cli/module_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include "binary/decoder.h"
#include "cache/artifact.h"

namespace wnn::cli {

namespace {

constexpr size_t kHeadBytes = 1 << 16;

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

Error read_error(const std::string& path, int error) {
  return Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(error));
}

}  // namespace

Expected<ModuleFile> ModuleFile::open(const std::string& path) {
  // Opened without blocking (a FIFO's open would wait for a writer), then
  // checked to be a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(ErrorKind::Io, "cannot read " + path + ": not a regular file (a module must be a .wasm file)");
  }
  ModuleFile file(path, fd, uint64_t(st.st_size));
  file.head_.resize(size_t(std::min<uint64_t>(file.size_, kHeadBytes)));
  const ssize_t n = read_at(fd, file.head_.data(), file.head_.size(), 0);
  if (n < 0) return read_error(path, errno);
  file.head_.resize(size_t(n));
  return file;
}

ModuleFile::ModuleFile(ModuleFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), size_(other.size_), head_(std::move(other.head_)) {
  other.fd_ = -1;
}

ModuleFile::~ModuleFile() {
  if (fd_ >= 0) ::close(fd_);
}

Expected<std::vector<uint8_t>> ModuleFile::read() {
  int error = 0;
  // n bytes at `offset` into `into`: from the head where it has them, the rest from the file.
  auto copy = [&](uint64_t offset, size_t n, uint8_t* into) -> size_t {
    size_t got = 0;
    if (offset < head_.size()) {
      got = size_t(std::min<uint64_t>(n, head_.size() - offset));
      std::memcpy(into, head_.data() + offset, got);
    }
    if (got == n) return got;
    const ssize_t more = read_at(fd_, into + got, n - got, offset + got);
    if (more < 0) error = errno;
    return got + size_t(std::max<ssize_t>(more, 0));
  };
  const auto ranges = binary::needed_ranges(size_, [&](uint64_t offset, size_t n) {
    std::vector<uint8_t> b(n);
    b.resize(copy(offset, n, b.data()));
    return b;
  });
  uint64_t total = 0;
  for (const binary::ByteRange& r : ranges) total += r.size;
  // Refused before reading what is too large: a module over its limit, a
  // precompiled module over its own; any other file is rejected by the
  // decoder from its first bytes, so no more of it is read.
  if (binary::has_wasm_magic(head_)) {
    if (total > binary::kMaxModuleBytes)
      return Error(ErrorKind::Exhaustion, path_ + ": module of " + std::to_string(total) +
                                              " bytes exceeds the implementation limit of " +
                                              std::to_string(binary::kMaxModuleBytes) + " bytes (1 GiB)");
  } else if (!cache::is_artifact(head_)) {
    return head_;
  } else if (total > cache::kMaxArtifactBytes) {
    return Error(ErrorKind::Exhaustion, path_ + ": precompiled module of " + std::to_string(total) +
                                            " bytes exceeds the limit of " + std::to_string(cache::kMaxArtifactBytes) +
                                            " bytes (4 GiB)");
  }
  std::vector<uint8_t> bytes;
  try {
    bytes.resize(static_cast<size_t>(total));
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Exhaustion,
                 "cannot read " + path_ + ": out of host memory for its " + std::to_string(total) + " bytes");
  }
  size_t at = 0;
  for (const binary::ByteRange& r : ranges) {
    const size_t got = copy(r.offset, size_t(r.size), bytes.data() + at);
    at += got;
    if (error || got < r.size) break;  // the file shrank: the decoder reports what is missing
  }
  if (error) return read_error(path_, error);
  bytes.resize(at);
  return bytes;
}

Expected<std::vector<uint8_t>> read_module(const std::string& path) {
  WNN_TRY(file, ModuleFile::open(path));
  return file.read();
}

}  // namespace wnn::cli
