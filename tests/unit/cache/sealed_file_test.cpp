// The container of cache entries and artifacts: what it accepts, and each
// kind of file it refuses with its own message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cache/sealed_file.h"

namespace wnn::cache {
namespace {

const CodeIdentity kHere{"0.1.0", "b1d", "LLVM 19.1.7 O2 pic", "x86_64-pc-linux-gnu znver3 +avx,+avx2,+sse2"};

std::vector<uint8_t> sealed(const CodeIdentity& id = kHere, std::string_view key = "k") {
  const std::vector<uint8_t> a{1, 2, 3}, b(1000, 0x5a);
  const Section sections[] = {a, b};
  return seal(kArtifactMagic, id, key, sections);
}

std::string refusal(const std::vector<uint8_t>& file, std::string_view key = "k") {
  auto r = unseal(file, kArtifactMagic, kHere, key, "app.cwasm");
  return r ? std::string("accepted") : r.error().message;
}

TEST(SealedFile, RoundTrip) {
  const std::vector<uint8_t> file = sealed();
  auto r = unseal(file, kArtifactMagic, kHere, "k", "app.cwasm");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(std::vector<uint8_t>((*r)[0].begin(), (*r)[0].end()), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ((*r)[1].size(), 1000u);
  EXPECT_EQ((*r)[1][999], 0x5a);
}

TEST(SealedFile, EveryFlippedByteIsRefused) {
  const std::vector<uint8_t> good = sealed();
  for (size_t i = 0; i < good.size(); ++i) {
    std::vector<uint8_t> bad = good;
    bad[i] ^= 0x10;
    EXPECT_NE(refusal(bad), "accepted") << "byte " << i;
  }
  std::vector<uint8_t> bad = good;
  bad[good.size() - 10] ^= 1;  // in the code: only the checksum can tell
  EXPECT_EQ(refusal(bad), "app.cwasm: corrupted (its SHA-256 checksum does not match its contents)");
}

TEST(SealedFile, EveryTruncationIsRefused) {
  const std::vector<uint8_t> good = sealed();
  for (size_t n = 0; n < good.size(); n += 7) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + std::ptrdiff_t(n));
    EXPECT_NE(refusal(cut), "accepted") << n << " bytes";
  }
  std::vector<uint8_t> cut(good.begin(), good.end() - 1);
  EXPECT_NE(refusal(cut).find("truncated"), std::string::npos) << refusal(cut);
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_NE(refusal(longer).find("truncated or malformed"), std::string::npos);
}

TEST(SealedFile, ForeignVersionLlvmCpuAndKeyEachHaveTheirMessage) {
  CodeIdentity other = kHere;
  other.wnn = "0.0.9";
  EXPECT_NE(refusal(sealed(other)).find("made by wnn 0.0.9"), std::string::npos) << refusal(sealed(other));
  other = kHere;
  other.build = "0ther";
  EXPECT_NE(refusal(sealed(other)).find("compiler build 0ther"), std::string::npos);
  other = kHere;
  other.llvm = "LLVM 18.1.0 O2 pic";
  EXPECT_EQ(refusal(sealed(other)), "app.cwasm: compiled with LLVM 18.1.0 O2 pic, this wnn uses LLVM 19.1.7 O2 pic");
  other = kHere;
  other.cpu = "x86_64-pc-linux-gnu sapphirerapids +avx,+avx2,+avx512f,+sse2";
  EXPECT_EQ(refusal(sealed(other)),
            "app.cwasm: compiled for another CPU (x86_64-pc-linux-gnu sapphirerapids, this host is x86_64-pc-linux-gnu "
            "znver3); this host lacks +avx512f");
  EXPECT_NE(refusal(sealed(kHere, "elsewhere")).find("holds code for elsewhere"), std::string::npos);
}

TEST(SealedFile, OtherMagicAndFormat) {
  const std::vector<uint8_t> wasm{0, 'a', 's', 'm', 1, 0, 0, 0};
  auto r = unseal(wasm, kArtifactMagic, kHere, "k", "app.wasm");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  std::vector<uint8_t> future = sealed();
  future[8] = 2;  // format 2
  EXPECT_NE(refusal(future).find("written in format 2"), std::string::npos);
  EXPECT_FALSE(has_magic(sealed(), kCacheMagic));
  EXPECT_TRUE(has_magic(sealed(), kArtifactMagic));
}

}  // namespace
}  // namespace wnn::cache
