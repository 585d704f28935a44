// Deterministic, platform-independent pseudo-random numbers (xorshift64) for
// tests that generate their inputs; a failure names its seed.
#pragma once
#include <cstdint>

namespace wnn::test {

struct Rng {
  uint64_t s;  // any value but 0
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint32_t below(uint32_t n) { return uint32_t(next() % n); }  // [0, n), n > 0
};

}  // namespace wnn::test
