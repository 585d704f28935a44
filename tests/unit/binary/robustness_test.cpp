// Arbitrary bytes never crash the decoder: truncations and mutations of a
// module that uses every section. (Run under -DWNN_SANITIZE=ON to also catch
// out-of-bounds reads.)
#include <gtest/gtest.h>

#include <random>

#include "decode_checks.h"

namespace wnn::binary::test {
namespace {

Bytes rich_module() {
  Bytes body = {0x01, 0x01, 0x7F, 0x02, 0x40, 0x20, 0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B, 0x0B};
  Bytes vbody = {0x02, 0x7F, 0x41, 0x00, 0x0B, 0x0B};
  Bytes v128 = {0xFD, 0x0C};
  for (int i = 0; i < 16; ++i) v128.push_back(uint8_t(i));
  v128.push_back(0x0B);
  return module({
      section(kCustom, cat({name_bytes("first"), {1, 2, 3}})),
      section(kType, vec({{0x60, 0x01, 0x7F, 0x01, 0x7E}, {0x60, 0x00, 0x00}})),
      section(kImport, vec({cat({name_bytes("env"), name_bytes("f"), {0x00, 0x01}}),
                            cat({name_bytes("env"), name_bytes("t"), {0x01, 0x70, 0x00, 0x01}}),
                            cat({name_bytes("env"), name_bytes("m"), {0x02, 0x01, 0x01, 0x02}}),
                            cat({name_bytes("env"), name_bytes("g"), {0x03, 0x7F, 0x00}})})),
      section(kFunction, vec({{0x00}, {0x01}})),
      section(kTable, vec({{0x6F, 0x01, 0x00, 0x0A}})),
      section(kMemory, vec({{0x00, 0x00}})),
      section(kGlobal,
              vec({cat({{0x7E, 0x01}, {0x42, 0x7F, 0x0B}}), cat({{0x7B, 0x00}, v128}), cat({{0x7F, 0x00}, vbody})})),
      section(kExport, vec({cat({name_bytes("run"), {0x00, 0x01}}), cat({name_bytes("mem"), {0x02, 0x00}})})),
      section(kStart, {0x02}),
      section(kElement,
              vec({cat({{0x00}, i32_const_expr(0), vec({{0x01}, {0x02}})}), cat({{0x01, 0x00}, vec({{0x00}})}),
                   cat({{0x05, 0x70}, vec({{0xD2, 0x00, 0x0B}, {0xD0, 0x70, 0x0B}})}),
                   cat({{0x07, 0x70}, vec({{0xD2, 0x01, 0x0B}})})})),
      section(kDataCount, {0x02}),
      section(kCode, cat({{0x02}, uleb(body.size()), body, {0x02, 0x00, 0x0B}})),
      section(kData, vec({cat({{0x00}, i32_const_expr(8), name_bytes("hello")}), cat({{0x01}, name_bytes("x")})})),
      section(kCustom, cat({name_bytes("name"), {0x00, 0x02, 0x01, 'm', 0x01, 0x04, 0x01, 0x01, 0x01, 'f'}})),
  });
}

void check(const Bytes& b) {
  auto r = decode(b);
  if (!r.ok()) {
    EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(Robustness, RichModuleDecodes) {
  auto m = decode(rich_module());
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->module_name, "m");
  EXPECT_EQ(m->function_names.at(1), "f");
  EXPECT_EQ(m->total_funcs(), 3u);
  EXPECT_EQ(m->elems.size(), 4u);
  EXPECT_EQ(m->datas.size(), 2u);
}

TEST(Robustness, EveryTruncation) {
  Bytes full = rich_module();
  size_t decoded = 0;
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes prefix(full.begin(), full.begin() + n);
    auto r = decode(prefix);
    if (r.ok()) {
      ++decoded;  // a prefix ending on a section boundary can be a valid module
      continue;
    }
    EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
    EXPECT_NE(r.error().message.find_first_of("0123456789"), std::string::npos) << r.error().message;
  }
  EXPECT_GT(decoded, 0u);
  EXPECT_LT(decoded, 20u);
}

TEST(Robustness, EverySingleByteMutation) {
  Bytes full = rich_module();
  for (size_t i = 0; i < full.size(); ++i) {
    for (uint8_t v : {0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF}) {
      Bytes b = full;
      b[i] = v;
      check(b);
    }
  }
}

TEST(Robustness, RandomMutations) {
  Bytes full = rich_module();
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 20000; ++iter) {
    Bytes b = full;
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits && !b.empty(); ++e) {
      size_t pos = rng() % b.size();
      switch (rng() % 4) {
        case 0: b[pos] = uint8_t(rng()); break;
        case 1: b.erase(b.begin() + pos); break;
        case 2: b.insert(b.begin() + pos, uint8_t(rng())); break;
        case 3: b[pos] ^= uint8_t(1u << (rng() % 8)); break;
      }
    }
    check(b);
  }
}

TEST(Robustness, RandomGarbageAfterHeader) {
  std::mt19937 rng(777);
  for (int iter = 0; iter < 5000; ++iter) {
    Bytes b = header();
    size_t len = rng() % 64;
    for (size_t i = 0; i < len; ++i) b.push_back(uint8_t(rng()));
    check(b);
  }
}

}  // namespace
}  // namespace wnn::binary::test
