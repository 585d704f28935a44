// Implementation limits of the decoder that bound what decoding costs the
// host (binary/decoder.h); each is ErrorKind::Exhaustion.
#include <gtest/gtest.h>

#include "binary/decoder.h"
#include "decode_checks.h"

namespace wnn::binary::test {
namespace {

// A passive segment of `n` items `ref.func 0` in the function-index form.
Bytes passive_segment(uint64_t n) {
  Bytes seg = cat({{0x01, 0x00}, uleb(n)});
  seg.insert(seg.end(), n, 0x00);
  return seg;
}

TEST(DecodeLimits, ElementItemsInTotal) {
  // Two segments, 10 M items together: decoded, 32 bytes each.
  auto ok = decode(module({section(kElement, cat({uleb(2), passive_segment(kMaxElemItems - 1), passive_segment(1)}))}));
  ASSERT_TRUE(Decodes(ok));
  EXPECT_EQ(ok->elems[0].items.size(), kMaxElemItems - 1);
  EXPECT_EQ(ok->elems[0].items[5].instrs[0].opcode, 0xD2);
  // One more item anywhere: refused before the segment is decoded.
  auto over =
      decode(module({section(kElement, cat({uleb(2), passive_segment(kMaxElemItems - 1), passive_segment(2)}))}));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(over.error().message.find("segment 1, at offset"), std::string::npos) << over.error().message;
  EXPECT_NE(over.error().message.find(": 2 elements bring the module's element segments past 10000000 items "
                                      "(implementation limit)"),
            std::string::npos)
      << over.error().message;
}

TEST(DecodeLimits, ConstantExpressionsKeepOneInstructionInline) {
  // The common case costs no heap allocation; longer ones still decode.
  static_assert(sizeof(ConstExpr) <= 32);
  ConstInstrs one = {ConstInstr{0x41, 7}};
  EXPECT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].imm, 7u);
  ConstInstrs three = {ConstInstr{0x41, 1}, ConstInstr{0x41, 2}, ConstInstr{0x6A, 0}};
  ConstInstrs copy = three;
  EXPECT_EQ(copy.size(), 3u);
  uint64_t sum = 0;
  for (const ConstInstr& in : copy) sum += in.imm + in.opcode;
  EXPECT_EQ(sum, 0x41u + 1 + 0x41 + 2 + 0x6A);
  EXPECT_THROW((void)one.at(1), std::out_of_range);
}

}  // namespace
}  // namespace wnn::binary::test
