// A fuzz input read byte by byte; zeros once it runs out (so every input,
// however short, is a complete program of the target).
#pragma once
#include <cstddef>
#include <cstdint>

namespace wnn::fuzz {

struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t u8() {
    if (!n) return 0;
    --n;
    return *p++;
  }
  // k bytes, little-endian (k <= 8).
  uint64_t bytes(int k) {
    uint64_t v = 0;
    for (int i = 0; i < k; ++i) v |= uint64_t(u8()) << (8 * i);
    return v;
  }
};

}  // namespace wnn::fuzz
