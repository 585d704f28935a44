#include "cache/sealed_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <random>

#include "cache/sha256.h"

namespace wnn::cache {

namespace {

constexpr size_t kDigestAt = 16, kFieldsAt = 48;

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void put64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void put_string(std::vector<uint8_t>& out, std::string_view s) {
  put32(out, uint32_t(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

// Bounds-checked reads of the header.
struct Reader {
  std::span<const uint8_t> bytes;
  size_t pos;
  bool ok = true;
  uint64_t get(int n) {
    if (!ok || pos > bytes.size() || bytes.size() - pos < size_t(n)) return ok = false, 0;
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t(bytes[pos + i]) << (8 * i);
    pos += n;
    return v;
  }
  std::string string() {
    const uint64_t n = get(4);
    if (!ok || pos > bytes.size() || bytes.size() - pos < n) return ok = false, std::string();
    std::string s(reinterpret_cast<const char*>(bytes.data() + pos), n);
    pos += n;
    return s;
  }
};

// The CPU features `want` has that `have` lacks: what a foreign-CPU message names.
std::string missing_features(const std::string& want, const std::string& have) {
  auto features = [](const std::string& cpu) {
    const size_t space = cpu.rfind(' ');
    std::vector<std::string> out;
    std::string rest = space == std::string::npos ? "" : cpu.substr(space + 1);
    for (size_t at = 0; at < rest.size();) {
      size_t comma = rest.find(',', at);
      if (comma == std::string::npos) comma = rest.size();
      out.push_back(rest.substr(at, comma - at));
      at = comma + 1;
    }
    return out;
  };
  const std::vector<std::string> h = features(have);
  std::string missing;
  for (const std::string& f : features(want))
    if (std::find(h.begin(), h.end(), f) == h.end()) missing += (missing.empty() ? "" : ",") + f;
  return missing;
}

std::string head(const std::string& cpu) { return cpu.substr(0, cpu.rfind(' ')); }

}  // namespace

std::vector<uint8_t> seal(std::string_view magic, const CodeIdentity& id, std::string_view key,
                          std::span<const Section> sections) {
  std::vector<uint8_t> out(magic.begin(), magic.end());
  put32(out, kSealedFormat);
  put32(out, 0);  // header size, below
  out.resize(kFieldsAt);
  for (std::string_view s :
       {std::string_view(id.wnn), std::string_view(id.build), std::string_view(id.llvm), std::string_view(id.cpu), key})
    put_string(out, s);
  put32(out, uint32_t(sections.size()));
  for (Section s : sections) put64(out, s.size());
  const uint32_t header = uint32_t(out.size());
  std::memcpy(out.data() + 12, &header, 4);  // little-endian hosts only (x86-64)
  for (Section s : sections) out.insert(out.end(), s.begin(), s.end());
  const Digest d = sha256(std::span(out).subspan(kFieldsAt));
  std::copy(d.begin(), d.end(), out.begin() + kDigestAt);
  return out;
}

bool has_magic(std::span<const uint8_t> file, std::string_view magic) {
  return file.size() >= magic.size() && std::memcmp(file.data(), magic.data(), magic.size()) == 0;
}

Expected<std::vector<Section>> unseal(std::span<const uint8_t> file, std::string_view magic, const CodeIdentity& id,
                                      std::string_view key, const std::string& what) {
  auto invalid = [&](const std::string& why) { return Error(ErrorKind::Invalid, what + ": " + why); };
  if (!has_magic(file, magic))
    return Error(ErrorKind::Usage, what + ": not a " +
                                       (magic == kArtifactMagic ? "precompiled wnn module" : "wnn code-cache entry") +
                                       " (it does not start with \"" + std::string(magic) + "\")");
  Reader r{file, magic.size()};
  const uint64_t format = r.get(4);
  if (!r.ok) return invalid("truncated (" + std::to_string(file.size()) + " bytes)");
  if (format != kSealedFormat)
    return invalid("written in format " + std::to_string(format) + " by another wnn; this one reads format " +
                   std::to_string(kSealedFormat) + " (recompile it with this wnn)");
  const uint64_t header = r.get(4);
  r.pos = kFieldsAt;
  CodeIdentity got;
  got.wnn = r.string(), got.build = r.string(), got.llvm = r.string(), got.cpu = r.string();
  const std::string got_key = r.string();
  const uint64_t count = r.get(4);
  std::vector<uint64_t> sizes;
  for (uint64_t i = 0; r.ok && i < count; ++i) sizes.push_back(r.get(8));
  uint64_t total = header;
  for (uint64_t s : sizes) total = total + s < total ? UINT64_MAX : total + s;
  if (!r.ok || r.pos != header || total != file.size())
    return invalid("truncated or malformed (" + std::to_string(file.size()) + " bytes, its header describes " +
                   (r.ok ? std::to_string(total) : std::string("more")) + ")");
  const Digest d = sha256(file.subspan(kFieldsAt));
  if (!std::equal(d.begin(), d.end(), file.begin() + kDigestAt))
    return invalid("corrupted (its SHA-256 checksum does not match its contents)");
  if (got.wnn != id.wnn || got.build != id.build)
    return invalid("made by wnn " + got.wnn + " (compiler build " + got.build.substr(0, 12) + "), this is wnn " +
                   id.wnn + " (compiler build " + id.build.substr(0, 12) + "); recompile it with this wnn");
  if (got.llvm != id.llvm) return invalid("compiled with " + got.llvm + ", this wnn uses " + id.llvm);
  if (got.cpu != id.cpu) {
    const std::string missing = missing_features(got.cpu, id.cpu);
    return invalid("compiled for another CPU (" + head(got.cpu) + ", this host is " + head(id.cpu) + ")" +
                   (missing.empty() ? std::string() : "; this host lacks " + missing));
  }
  if (got_key != key) return invalid("holds code for " + got_key + ", not " + std::string(key));
  std::vector<Section> sections;
  size_t at = header;
  for (uint64_t s : sizes) {
    sections.push_back(file.subspan(at, s));
    at += s;
  }
  return sections;
}

Expected<void> write_file_atomically(const std::string& path, std::span<const uint8_t> bytes, unsigned mode) {
  static std::atomic<uint64_t> counter{0};
  // ".tmp-<name>-…" beside the file: the code cache skips and later removes such names.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string temp = dir + ".tmp-" + path.substr(dir.size()) + "-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + "-" + std::to_string(std::random_device{}());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Error(ErrorKind::Io, "cannot create " + temp);
  size_t put = 0;
  while (put < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + put, bytes.size() - put);
    if (n <= 0) break;
    put += size_t(n);
  }
  const bool closed = ::close(fd) == 0;
  if (put != bytes.size() || !closed || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Error(ErrorKind::Io, "cannot write " + path + " (disk full?)");
  }
  return {};
}

}  // namespace wnn::cache
