#include "cache/code_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>

#include "cache/sealed_file.h"
#include "cache/sha256.h"

namespace fs = std::filesystem;

namespace wnn::cache {

namespace {

constexpr uint64_t kMaxEntryBytes = uint64_t(1) << 30;  // larger files are not ours
constexpr auto kStaleTemp = std::chrono::minutes(10);    // a writer that died mid-write

std::string entry_name(const std::string& batch) { return batch + ".obj"; }

bool is_temp(const fs::path& p) { return p.filename().string().starts_with(".tmp-"); }

Expected<std::vector<uint8_t>> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(ErrorKind::Io, path + ": cannot open");
  struct stat st;
  std::vector<uint8_t> bytes;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && uint64_t(st.st_size) <= kMaxEntryBytes;
  if (ok) {
    bytes.resize(size_t(st.st_size));
    size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n <= 0) break;
      got += size_t(n);
    }
    bytes.resize(got);  // shorter than stat said: the checksum will tell
  }
  ::close(fd);
  if (!ok) return Error(ErrorKind::Io, path + ": not a regular file of at most 1 GiB");
  return bytes;
}

struct Entry {
  fs::path path;
  uint64_t size;
  fs::file_time_type used;
};

std::vector<Entry> list_entries(const std::string& root, bool with_temps) {
  std::vector<Entry> out;
  std::error_code ec;
  for (fs::directory_iterator m(root, ec), end; !ec && m != end; m.increment(ec)) {
    std::error_code ec2;
    if (!m->is_directory(ec2)) continue;
    for (fs::directory_iterator e(m->path(), ec2); !ec2 && e != end; e.increment(ec2)) {
      std::error_code ec3;
      if (!e->is_regular_file(ec3) || (!with_temps && is_temp(e->path()))) continue;
      const uint64_t size = e->file_size(ec3);
      const fs::file_time_type used = e->last_write_time(ec3);
      if (!ec3) out.push_back({e->path(), size, used});
    }
  }
  return out;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return std::string(x) + "/wnn";
  if (const char* h = std::getenv("HOME"); h && *h == '/') return std::string(h) + "/.cache/wnn";
  return "";
}

const char* wnn_version() { return WNN_VERSION; }

namespace {

// FNV-1a over the size and the first and last 64 KiB: microseconds for any
// module, and distinct enough for a hint (a collision costs one load).
std::string hint_path(const std::string& dir, std::span<const uint8_t> bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](std::span<const uint8_t> part) {
    for (uint8_t b : part) h = (h ^ b) * 0x100000001b3ull;
  };
  const uint64_t size = bytes.size();
  mix(std::span(reinterpret_cast<const uint8_t*>(&size), sizeof size));
  constexpr size_t kPart = 64 << 10;
  mix(bytes.first(std::min(bytes.size(), kPart)));
  if (bytes.size() > kPart) mix(bytes.last(std::min(bytes.size() - kPart, kPart)));
  char name[17];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(h));
  return dir + "/hints-v1/" + name;
}

}  // namespace

bool may_have_code(const std::string& dir, std::span<const uint8_t> module_bytes) {
  struct stat st;
  return !dir.empty() && ::stat(hint_path(dir, module_bytes).c_str(), &st) == 0;
}

void note_code(const std::string& dir, std::span<const uint8_t> module_bytes) {
  // Only into a directory of ours (as code-v1): not through a link another
  // user planted, which would have us create files elsewhere.
  const std::string hints = dir + "/hints-v1";
  ::mkdir(hints.c_str(), 0700);
  struct stat st;
  if (::lstat(hints.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) return;
  const int fd = ::open(hint_path(dir, module_bytes).c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

Expected<CodeCache> CodeCache::open(std::string dir, uint64_t max_bytes, CodeIdentity id) {
  if (dir.empty()) return Error(ErrorKind::Usage, "code cache: no directory (set --cache DIR, XDG_CACHE_HOME or HOME)");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorKind::Io, "code cache: cannot create " + dir + ": " + ec.message());
  // Its entries are executed: code-v1 must be ours alone (not a symlink,
  // not writable by anyone else), or another user could plant code.
  const std::string root = dir + "/code-v1";
  if (::mkdir(root.c_str(), 0700) != 0 && errno != EEXIST)
    return Error(ErrorKind::Io, "code cache: cannot create " + root + ": " + std::strerror(errno));
  struct stat st;
  if (::lstat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 022))
    return Error(ErrorKind::Io,
                 "code cache: " + root + " is not a directory of this user that only it can write; not used");
  return CodeCache(std::move(dir), max_bytes, std::move(id));
}

std::string CodeCache::module_key(std::span<const uint8_t> module_bytes, std::string_view variant) const {
  Sha256 h;
  h.update(module_bytes);
  for (std::string_view s : {std::string_view(id_.wnn), std::string_view(id_.build), std::string_view(id_.llvm),
                             std::string_view(id_.cpu), variant}) {
    const uint64_t n = s.size();
    h.update(std::span(reinterpret_cast<const uint8_t*>(&n), 8)).update(s);
  }
  const Digest d = h.finish();
  return hex(std::span(d).first(20));
}

std::string CodeCache::batch_name(std::span<const uint32_t> defined) {
  if (defined.empty()) return "all";
  std::vector<uint32_t> sorted(defined.begin(), defined.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const Digest d = sha256(std::span(reinterpret_cast<const uint8_t*>(sorted.data()), sorted.size() * 4));
  return "b" + hex(std::span(d).first(16));
}

std::optional<std::vector<uint8_t>> CodeCache::read_entry(const std::string& key, const std::string& batch) const {
  const std::string path = root() + "/" + key + "/" + entry_name(batch);
  auto bytes = read_file(path);
  if (!bytes) return std::nullopt;
  auto sections = unseal(*bytes, kCacheMagic, id_, key + "/" + batch, path);
  if (!sections || sections->size() != 1) {
    ::unlink(path.c_str());  // broken or foreign: make room for a good one
    return std::nullopt;
  }
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // recently used
  return std::vector<uint8_t>((*sections)[0].begin(), (*sections)[0].end());
}

std::optional<std::vector<uint8_t>> CodeCache::load(const std::string& key, const std::string& batch) const {
  return read_entry(key, batch);
}

std::vector<std::pair<std::string, std::vector<uint8_t>>> CodeCache::load_all(const std::string& key) const {
  std::vector<std::pair<std::string, std::vector<uint8_t>>> out;
  std::error_code ec;
  for (fs::directory_iterator e(root() + "/" + key, ec), end; !ec && e != end; e.increment(ec)) {
    const std::string name = e->path().filename().string();
    if (is_temp(e->path()) || !name.ends_with(".obj")) continue;
    const std::string batch = name.substr(0, name.size() - 4);
    if (auto object = read_entry(key, batch)) out.emplace_back(batch, std::move(*object));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

Expected<void> CodeCache::store(const std::string& key, const std::string& batch,
                                std::span<const uint8_t> object) const {
  const std::string dir = root() + "/" + key;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(ErrorKind::Io, "code cache: cannot create " + dir + ": " + ec.message());
  const Section section = object;
  const std::vector<uint8_t> bytes = seal(kCacheMagic, id_, key + "/" + batch, std::span(&section, 1));
  const std::string path = dir + "/" + entry_name(batch);
  if (auto w = write_file_atomically(path, bytes, 0600); !w)
    return Error(ErrorKind::Io, "code cache: " + w.error().message);
  evict();
  return {};
}

Expected<CacheStats> CodeCache::stats() const {
  CacheStats s{dir_, 0, 0, 0, max_bytes_};
  std::error_code ec;
  for (fs::directory_iterator m(root(), ec), end; !ec && m != end; m.increment(ec)) s.modules++;
  if (ec) return Error(ErrorKind::Io, "code cache: cannot list " + root() + ": " + ec.message());
  for (const Entry& e : list_entries(root(), false)) s.objects++, s.bytes += e.size;
  return s;
}

Expected<uint64_t> CodeCache::clear() const {
  uint64_t freed = 0;
  for (const Entry& e : list_entries(root(), true))
    if (::unlink(e.path.c_str()) == 0) freed += e.size;
  std::error_code ec;
  for (fs::directory_iterator m(root(), ec), end; !ec && m != end; m.increment(ec)) ::rmdir(m->path().c_str());
  if (ec) return Error(ErrorKind::Io, "code cache: cannot list " + root() + ": " + ec.message());
  std::error_code ignored;
  fs::remove_all(dir_ + "/hints-v1", ignored);  // nothing is stored any more
  return freed;
}

void CodeCache::evict() const {
  std::vector<Entry> entries = list_entries(root(), true);
  uint64_t total = 0;
  const auto now = fs::file_time_type::clock::now();
  std::vector<Entry> live;
  for (Entry& e : entries) {
    if (is_temp(e.path)) {
      if (now - e.used > kStaleTemp) ::unlink(e.path.c_str());
      continue;
    }
    total += e.size;
    live.push_back(std::move(e));
  }
  if (total <= max_bytes_) return;
  std::sort(live.begin(), live.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  for (const Entry& e : live) {
    if (total <= max_bytes_) break;
    ::unlink(e.path.c_str());
    total -= e.size;
    ::rmdir(e.path.parent_path().c_str());  // only when it was the module's last entry
  }
}

}  // namespace wnn::cache
