// SHA-256 against FIPS 180-4's examples and the NIST one-million-'a' vector,
// and the CPU's SHA extensions against the portable code.
#include <gtest/gtest.h>

#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "cache/sha256.h"

namespace wnn::cache {
namespace {

std::string digest_of(std::string_view s) { return hex(Sha256().update(s).finish()); }

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(digest_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, OneMillionAInUnevenPieces) {
  Sha256 h;
  const std::string piece(997, 'a');  // not a multiple of the 64-byte block
  size_t left = 1'000'000;
  while (left > 0) {
    const size_t n = std::min(left, piece.size());
    h.update(std::string_view(piece).substr(0, n));
    left -= n;
  }
  EXPECT_EQ(hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, OneByteChangesTheDigest) {
  std::vector<uint8_t> a(200, 7), b = a;
  b[123] ^= 1;
  EXPECT_NE(sha256(a), sha256(b));
}

// Every length around the block boundaries and a few large ones, fed whole
// and in pieces: both engines give the same digest (on a CPU without SHA
// extensions both are the portable code, and the test says so).
TEST(Sha256, ShaExtensionsAgreeWithThePortableCode) {
  if (!Sha256::cpu_has_sha_extensions()) std::printf("this CPU has no SHA extensions: only the portable code runs\n");
  std::vector<uint8_t> data(70000);
  uint32_t x = 12345;
  for (uint8_t& b : data) b = uint8_t((x = x * 1103515245 + 12345) >> 16);
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (size_t n : {1000, 4095, 4096, 65536, 70000}) lengths.push_back(n);
  for (size_t n : lengths) {
    const std::span<const uint8_t> bytes(data.data(), n);
    const Digest portable = Sha256(Sha256::Engine::Portable).update(bytes).finish();
    EXPECT_EQ(Sha256().update(bytes).finish(), portable) << n;
    Sha256 pieces;
    for (size_t at = 0; at < n; at += 37) pieces.update(bytes.subspan(at, std::min<size_t>(37, n - at)));
    EXPECT_EQ(pieces.finish(), portable) << n;
  }
  EXPECT_EQ(hex(Sha256(Sha256::Engine::Portable).update("abc").finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace wnn::cache
