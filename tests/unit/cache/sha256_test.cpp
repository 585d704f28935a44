// SHA-256 against FIPS 180-4's examples and the NIST one-million-'a' vector.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace wnn::cache
