// SHA-256 (FIPS 180-4): the code cache's module key and the checksum of cache
// entries and artifacts.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace wnn::cache {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  // Auto: the CPU's SHA extensions when it has them (≈ 8x faster: a 6 MB
  // module's key in ≈ 3 ms instead of 25), else portable code.
  enum class Engine { Auto, Portable };
  explicit Sha256(Engine engine = Engine::Auto);
  static bool cpu_has_sha_extensions();
  Sha256& update(std::span<const uint8_t> data);
  Sha256& update(std::string_view s) { return update({reinterpret_cast<const uint8_t*>(s.data()), s.size()}); }
  Digest finish();  // once

 private:
  void blocks(const uint8_t* p, size_t count);
  void portable_block(const uint8_t* p);
  bool sha_extensions_;
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t used_ = 0;
  uint64_t total_ = 0;
};

Digest sha256(std::span<const uint8_t> data);
std::string hex(std::span<const uint8_t> bytes);

}  // namespace wnn::cache
