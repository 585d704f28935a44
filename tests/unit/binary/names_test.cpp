// Names: strict UTF-8 in imports, exports and custom section names; the
// custom "name" section.
#include <gtest/gtest.h>

#include <string>

#include "binary/decode_internal.h"
#include "decode_checks.h"

namespace wnn::binary::test {
namespace {

bool valid(const Bytes& b) { return detail::utf8_valid_prefix(b.data(), b.size()) == b.size(); }

TEST(Utf8, Valid) {
  EXPECT_TRUE(valid({}));
  EXPECT_TRUE(valid({'a', 'b', 0x00, 0x7F}));
  EXPECT_TRUE(valid({0xC2, 0x80}));              // U+0080
  EXPECT_TRUE(valid({0xDF, 0xBF}));              // U+07FF
  EXPECT_TRUE(valid({0xE0, 0xA0, 0x80}));        // U+0800
  EXPECT_TRUE(valid({0xED, 0x9F, 0xBF}));        // U+D7FF
  EXPECT_TRUE(valid({0xEE, 0x80, 0x80}));        // U+E000
  EXPECT_TRUE(valid({0xEF, 0xBF, 0xBF}));        // U+FFFF
  EXPECT_TRUE(valid({0xF0, 0x90, 0x80, 0x80}));  // U+10000
  EXPECT_TRUE(valid({0xF4, 0x8F, 0xBF, 0xBF}));  // U+10FFFF
  EXPECT_TRUE(valid({0xEF, 0xBB, 0xBF}));        // BOM is a valid character
}

TEST(Utf8, Invalid) {
  const Bytes bad[] = {
      {0x80},                          // lone continuation
      {0xBF},
      {0xC0, 0x80},                    // overlong U+0000
      {0xC1, 0xBF},                    // overlong U+007F
      {0xE0, 0x80, 0x80},              // overlong
      {0xE0, 0x9F, 0xBF},              // overlong U+07FF
      {0xF0, 0x80, 0x80, 0x80},        // overlong
      {0xF0, 0x8F, 0xBF, 0xBF},        // overlong U+FFFF
      {0xED, 0xA0, 0x80},              // U+D800
      {0xED, 0xBF, 0xBF},              // U+DFFF
      {0xF4, 0x90, 0x80, 0x80},        // U+110000
      {0xF5, 0x80, 0x80, 0x80},
      {0xF7, 0xBF, 0xBF, 0xBF},
      {0xF8, 0x88, 0x80, 0x80, 0x80},  // 5-byte form
      {0xFC, 0x84, 0x80, 0x80, 0x80, 0x80},
      {0xFE},
      {0xFF},
      {0xC2},                          // truncated
      {0xE1, 0x80},
      {0xF1, 0x80, 0x80},
      {0xC2, 0x41},                    // bad continuation
      {0xE1, 0x80, 0x41},
      {0xF1, 0x80, 0xC0, 0x80},
      {0xF1, 0x80, 0x80, 0xFF},
      {'a', 'b', 0xE1, 0x80},
  };
  for (const Bytes& b : bad) {
    std::string hex;
    for (uint8_t c : b) hex += std::to_string(c) + " ";
    EXPECT_FALSE(valid(b)) << hex;
  }
  Bytes b = {'a', 'b', 0xED, 0xA0, 0x80};
  EXPECT_EQ(detail::utf8_valid_prefix(b.data(), b.size()), 2u);
}

TEST(Utf8, ImportModuleFieldAndExportNames) {
  Bytes bad = {0xC0, 0x80};
  std::string bad_name(bad.begin(), bad.end());
  auto r = decode(module({section(kImport, vec({cat({name_bytes(bad_name), name_bytes("f"), {0x00, 0x00}})}))}));
  EXPECT_TRUE(Malformed(r, "malformed UTF-8 encoding"));
  EXPECT_TRUE(Malformed(r, "import section, import 0, at offset 12"));
  EXPECT_TRUE(Malformed(
      decode(module({section(kImport, vec({cat({name_bytes("m"), name_bytes("a\xED\xA0\x80"), {0x00, 0x00}})}))})),
      "malformed UTF-8 encoding"));
  EXPECT_TRUE(Malformed(decode(module({section(kExport, vec({cat({name_bytes("\xF4\x90\x80\x80"), {0x00, 0x00}})}))})),
                        "malformed UTF-8 encoding"));
  auto m = decode(module({section(kExport, vec({cat({name_bytes("\xF0\x9F\x98\x80 \xC3\xA9"), {0x00, 0x00}})}))}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->exports[0].name, "\xF0\x9F\x98\x80 \xC3\xA9");
}

TEST(Utf8, NameLengthBeyondSection) {
  EXPECT_TRUE(Malformed(decode(module({section(kExport, cat({{0x01, 0x05}, {'a', 'b'}}))})), "unexpected end"));
}

TEST(CustomSection, NameMustBeValidUtf8) {
  EXPECT_TRUE(Decodes(decode(module({section(kCustom, cat({name_bytes("hello"), {1, 2, 3}}))}))));
  EXPECT_TRUE(Decodes(decode(module({section(kCustom, name_bytes(""))}))));
  auto r = decode(module({section(kCustom, cat({name_bytes("\xE0\x80\x80"), {1}}))}));
  EXPECT_TRUE(Malformed(r, "malformed UTF-8 encoding"));
  EXPECT_TRUE(Malformed(r, "custom section, at offset 11"));
}

TEST(CustomSection, Truncated) {
  EXPECT_TRUE(Malformed(decode(module({{kCustom}})), "unexpected end"));
  EXPECT_TRUE(Malformed(decode(module({{kCustom, 0x00}})), "unexpected end"));             // no name
  EXPECT_TRUE(Malformed(decode(module({{kCustom, 0x02, 0x05, 'a'}})), "unexpected end"));  // name too long
  EXPECT_TRUE(Malformed(decode(module({{kCustom, 0x26, 0x10}})), "unexpected end"));
}

Bytes name_section(std::initializer_list<Bytes> subsections) {
  Bytes content = name_bytes("name");
  for (const Bytes& s : subsections) content.insert(content.end(), s.begin(), s.end());
  return section(kCustom, content);
}
Bytes subsection(uint8_t id, const Bytes& body) { return cat({{id}, uleb(body.size()), body}); }

TEST(NameSection, ModuleAndFunctionNames) {
  Bytes func_names = vec({cat({uleb(0), name_bytes("first")}), cat({uleb(2), name_bytes("third")})});
  Bytes local_names = vec({cat({uleb(0), vec({cat({uleb(0), name_bytes("x")})})})});
  auto m = decode(module(
      {type_void(), funcs(3), codes(3),
       name_section({subsection(0, name_bytes("mod")), subsection(1, func_names), subsection(2, local_names)})}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->module_name, "mod");
  ASSERT_EQ(m->function_names.size(), 2u);
  EXPECT_EQ(m->function_names.at(0), "first");
  EXPECT_EQ(m->function_names.at(2), "third");
}

TEST(NameSection, OnlyFunctionNames) {
  auto m = decode(module({name_section({subsection(1, vec({cat({uleb(5), name_bytes("f")})}))})}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->module_name, "");
  EXPECT_EQ(m->function_names.at(5), "f");
}

TEST(NameSection, MalformedIsIgnored) {
  const Bytes broken[] = {
      name_section({{0x00}}),                                                 // truncated subsection header
      name_section({{0x00, 0x05, 0x01}}),                                     // subsection size too big
      name_section({subsection(0, name_bytes("\xC0\x80"))}),                         // bad UTF-8
      name_section({subsection(0, cat({name_bytes("a"), {0x00}}))}),                 // subsection size mismatch
      name_section({subsection(1, name_bytes("m")), subsection(0, name_bytes("m"))}),       // out of order
      name_section({subsection(0, name_bytes("m")), subsection(0, name_bytes("m"))}),       // duplicate
      name_section(
          {subsection(1, vec({cat({uleb(2), name_bytes("a")}), cat({uleb(1), name_bytes("b")})}))}),  // unsorted
      name_section({subsection(1, {0x05, 0x00})}),                            // count too big
      name_section({subsection(0, name_bytes("ok")), subsection(1, {0x01, 0x00, 0x01, 0xFF})}),  // later failure
  };
  for (const Bytes& n : broken) {
    auto m = decode(module({n}));
    ASSERT_TRUE(Decodes(m));
    EXPECT_EQ(m->module_name, "");
    EXPECT_TRUE(m->function_names.empty());
  }
}

TEST(NameSection, SectionNamedOtherwiseIsOpaque) {
  auto m = decode(module({section(kCustom, cat({name_bytes("names"), {0x00, 0x03, 0x02, 'a', 'b'}}))}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->module_name, "");
}

}  // namespace
}  // namespace wnn::binary::test
