// The bounds-checked LEB128 reader: valid, truncated, overlong and too-large encodings.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "binary/reader.h"

namespace wnn::binary {
namespace {

using Bytes = std::vector<uint8_t>;

// Reads one value with `read` and requires that all bytes were consumed.
template <typename F> auto read_all(const Bytes& b, F read) {
  Reader r(b.data(), b.size());
  auto v = (r.*read)();
  if (v.ok()) EXPECT_TRUE(r.at_end()) << "bytes left over";
  return v;
}

template <typename E>::testing::AssertionResult Fails(const E& r, const std::string& phrase) {
  if (r.ok()) return ::testing::AssertionFailure() << "read succeeded";
  if (r.error().kind != ErrorKind::Malformed) return ::testing::AssertionFailure() << "not Malformed";
  if (r.error().message.find(phrase) == std::string::npos)
    return ::testing::AssertionFailure() << "message \"" << r.error().message << "\" lacks \"" << phrase << "\"";
  return ::testing::AssertionSuccess();
}

TEST(ReaderU32, ValidEncodings) {
  EXPECT_EQ(*read_all({0x00}, &Reader::u32), 0u);
  EXPECT_EQ(*read_all({0x7F}, &Reader::u32), 127u);
  EXPECT_EQ(*read_all({0x80, 0x01}, &Reader::u32), 128u);
  EXPECT_EQ(*read_all({0xE5, 0x8E, 0x26}, &Reader::u32), 624485u);
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, &Reader::u32), 0xFFFFFFFFu);
  // Padding with redundant zero groups is allowed up to the maximum length.
  EXPECT_EQ(*read_all({0x80, 0x00}, &Reader::u32), 0u);
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::u32), 0u);
  EXPECT_EQ(*read_all({0x81, 0x80, 0x80, 0x80, 0x00}, &Reader::u32), 1u);
}

TEST(ReaderU32, Truncated) {
  EXPECT_TRUE(Fails(read_all({}, &Reader::u32), "unexpected end"));
  EXPECT_TRUE(Fails(read_all({0x80}, &Reader::u32), "unexpected end"));
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF}, &Reader::u32), "unexpected end"));
}

TEST(ReaderU32, Overlong) {
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::u32), "integer representation too long"));
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x8F, 0x00}, &Reader::u32), "integer representation too long"));
}

TEST(ReaderU32, TooLarge) {
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, &Reader::u32), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x10}, &Reader::u32), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x70}, &Reader::u32), "integer too large"));
}

TEST(ReaderU64, Encodings) {
  EXPECT_EQ(*read_all({0x00}, &Reader::u64), 0u);
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, &Reader::u64), 0xFFFFFFFFu);
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x10}, &Reader::u64), 0x100000000u);
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, &Reader::u64),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::u64), 0u);
  EXPECT_TRUE(
      Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}, &Reader::u64), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::u64),
                    "integer representation too long"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}, &Reader::u64), "unexpected end"));
}

TEST(ReaderS32, ValidEncodings) {
  EXPECT_EQ(*read_all({0x00}, &Reader::s32), 0);
  EXPECT_EQ(*read_all({0x7F}, &Reader::s32), -1);
  EXPECT_EQ(*read_all({0x3F}, &Reader::s32), 63);
  EXPECT_EQ(*read_all({0x40}, &Reader::s32), -64);
  EXPECT_EQ(*read_all({0xC0, 0x00}, &Reader::s32), 64);
  EXPECT_EQ(*read_all({0xC0, 0xBB, 0x78}, &Reader::s32), -123456);
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x07}, &Reader::s32), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x78}, &Reader::s32), std::numeric_limits<int32_t>::min());
  // Redundant sign groups are fine within 5 bytes.
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, &Reader::s32), -1);
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::s32), 0);
}

TEST(ReaderS32, Malformed) {
  EXPECT_TRUE(Fails(read_all({}, &Reader::s32), "unexpected end"));
  EXPECT_TRUE(Fails(read_all({0xFF}, &Reader::s32), "unexpected end"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::s32), "integer representation too long"));
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, &Reader::s32), "integer representation too long"));
  // Unused bits of the last byte must all equal the sign bit.
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, &Reader::s32), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x70}, &Reader::s32), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x08}, &Reader::s32), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x77}, &Reader::s32), "integer too large"));
}

TEST(ReaderS33, BlockTypeRange) {
  EXPECT_EQ(*read_all({0x40}, &Reader::s33), -64);  // the empty block type
  EXPECT_EQ(*read_all({0x7F}, &Reader::s33), -1);
  EXPECT_EQ(*read_all({0x05}, &Reader::s33), 5);
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, &Reader::s33), 0xFFFFFFFFll);  // largest type index
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x70}, &Reader::s33), -(1ll << 32));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x10}, &Reader::s33), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0x6F}, &Reader::s33), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::s33), "integer representation too long"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80}, &Reader::s33), "unexpected end"));
}

TEST(ReaderS64, Encodings) {
  EXPECT_EQ(*read_all({0x7F}, &Reader::s64), -1);
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}, &Reader::s64),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}, &Reader::s64),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*read_all({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, &Reader::s64), -1);
  EXPECT_EQ(*read_all({0x80, 0x80, 0x80, 0x80, 0x10}, &Reader::s64), 1ll << 32);
  EXPECT_TRUE(
      Fails(read_all({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, &Reader::s64), "integer too large"));
  EXPECT_TRUE(
      Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E}, &Reader::s64), "integer too large"));
  EXPECT_TRUE(Fails(read_all({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &Reader::s64),
                    "integer representation too long"));
  EXPECT_TRUE(Fails(read_all({0xFF, 0xFF, 0xFF}, &Reader::s64), "unexpected end"));
}

TEST(Reader, ErrorOffsetIsAbsoluteStartOfInteger) {
  Bytes b = {0x01, 0x80, 0x80};
  Reader r(b.data(), b.size(), 100);
  EXPECT_EQ(*r.u8(), 1);
  auto v = r.u32();
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("at offset 101"), std::string::npos) << v.error().message;
}

TEST(Reader, FixedWidthAndBytes) {
  Bytes b = {0x00, 0x00, 0x80, 0x3F, 1, 2, 3};
  Reader r(b.data(), b.size(), 10);
  EXPECT_EQ(*r.f32_bits(), 0x3F800000u);  // 1.0f
  EXPECT_EQ(r.offset(), 14u);
  EXPECT_TRUE(Fails(r.f64_bits(), "unexpected end"));
  EXPECT_EQ(r.remaining(), 3u);  // a failed read consumes nothing
  EXPECT_TRUE(Fails(r.bytes(4), "unexpected end"));
  auto p = r.bytes(3);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)[2], 3);
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(Fails(r.u8(), "unexpected end"));
  EXPECT_TRUE(Fails(r.f32_bits(), "at offset 17"));
}

TEST(Reader, F64Bits) {
  Bytes b = {0, 0, 0, 0, 0, 0, 0xF0, 0x3F};
  Reader r(b.data(), b.size());
  EXPECT_EQ(*r.f64_bits(), 0x3FF0000000000000ull);
}

}  // namespace
}  // namespace wnn::binary
