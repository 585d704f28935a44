// Module framing: magic, version, section ids, order, duplicates and sizes.
#include <gtest/gtest.h>

#include <string>

#include "decode_checks.h"

namespace wnn::binary::test {
namespace {

TEST(Framing, EmptyModule) {
  auto m = decode(header());
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->bytes, header());
  EXPECT_TRUE(m->types.empty());
  EXPECT_FALSE(m->start.has_value());
  EXPECT_FALSE(m->data_count.has_value());
}

TEST(Framing, TruncatedHeader) {
  EXPECT_TRUE(Malformed(decode({}), "unexpected end"));
  EXPECT_TRUE(Malformed(decode({0x01}), "unexpected end"));
  EXPECT_TRUE(Malformed(decode({0x00, 0x61, 0x73}), "unexpected end"));
  EXPECT_TRUE(Malformed(decode({0x00, 0x61, 0x73, 0x6D}), "unexpected end"));
  EXPECT_TRUE(Malformed(decode({0x00, 0x61, 0x73, 0x6D, 0x01}), "unexpected end"));
  EXPECT_TRUE(Malformed(decode({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00}), "unexpected end"));
}

TEST(Framing, BadMagic) {
  for (Bytes b :
       {Bytes{'a', 's', 'm', 0x00}, Bytes{'m', 's', 'a', 0x00, 1, 0, 0, 0}, Bytes{0x00, 'A', 'S', 'M', 1, 0, 0, 0},
        Bytes{0xEF, 0xBB, 0xBF, 0x00, 'a', 's', 'm', 1, 0, 0, 0}, Bytes{'\\', '0', 'a', 's', 'm', 1, 0, 0, 0}})
    EXPECT_TRUE(Malformed(decode(b), "magic header not detected"));
}

TEST(Framing, BadVersion) {
  for (Bytes v : {Bytes{0, 0, 0, 0}, Bytes{0x0D, 0, 0, 0}, Bytes{0, 1, 0, 0}, Bytes{0, 0, 0, 1}, Bytes{2, 0, 0, 0}}) {
    auto r = decode(cat({{0x00, 0x61, 0x73, 0x6D}, v}));
    EXPECT_TRUE(Malformed(r, "unknown binary version"));
    EXPECT_TRUE(Malformed(r, "at offset 4"));
  }
}

TEST(Framing, MalformedSectionId) {
  for (uint8_t id : {13, 14, 0x7F, 0x80, 0x81, 0xFF}) {
    auto r = decode(module({{id, 0x01, 0x00}}));
    EXPECT_TRUE(Malformed(r, "malformed section id")) << int(id);
    EXPECT_TRUE(Malformed(r, "at offset 8")) << int(id);
  }
}

TEST(Framing, SectionSizeTruncatedOrOverlong) {
  EXPECT_TRUE(Malformed(decode(module({{kType}})), "unexpected end"));
  EXPECT_TRUE(Malformed(decode(module({{kType, 0x80}})), "unexpected end"));
  EXPECT_TRUE(
      Malformed(decode(module({{kType, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}})), "integer representation too long"));
  EXPECT_TRUE(Malformed(decode(module({{kType, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F}})), "integer too large"));
  // A redundant (but not overlong) size encoding is fine.
  EXPECT_TRUE(Decodes(decode(module({{kType, 0x81, 0x00, 0x00}}))));
}

TEST(Framing, SectionLongerThanModule) {
  auto r = decode(module({{kType, 0x05, 0x01, 0x60, 0x00, 0x00}}));
  EXPECT_TRUE(Malformed(r, "unexpected end"));
  EXPECT_TRUE(Malformed(r, "type section"));
}

TEST(Framing, SectionSizeMismatch) {
  // One type declared, but the section holds two.
  auto r = decode(module({section(kType, {0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00})}));
  EXPECT_TRUE(Malformed(r, "section size mismatch"));
  EXPECT_TRUE(Malformed(r, "type section, at offset 14"));
  EXPECT_TRUE(Malformed(decode(module({section(kStart, {0x00, 0x00})})), "section size mismatch"));
  EXPECT_TRUE(Malformed(decode(module({section(kDataCount, {0x00, 0x00})})), "section size mismatch"));
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, {0x01, 0x00, 0x01, 0x00})})), "section size mismatch"));
}

TEST(Framing, SectionContentShorterThanDeclared) {
  // Two types declared, one given: the reader stops at the section end.
  auto r = decode(module({section(kType, {0x02, 0x60, 0x00, 0x00, 0x60})}));
  EXPECT_TRUE(Malformed(r, "unexpected end"));
  EXPECT_TRUE(Malformed(r, "type section, type 1"));
}

// All non-custom sections, in the required order (data count between element and code).
std::vector<Bytes> ordered_sections() {
  return {
      type_void(),                                                        // 1
      section(kImport, vec({cat({name_bytes("m"), name_bytes("f"), {0x00, 0x00}})})),   // 2
      funcs(1),                                                           // 3
      section(kTable, vec({{0x70, 0x00, 0x01}})),                         // 4
      section(kMemory, vec({{0x00, 0x01}})),                              // 5
      section(kGlobal, vec({cat({{0x7F, 0x00}, i32_const_expr(0)})})),    // 6
      section(kExport, vec({cat({name_bytes("f"), {0x00, 0x00}})})),             // 7
      section(kStart, {0x00}),                                            // 8
      section(kElement, vec({cat({{0x00}, i32_const_expr(0), vec({{0x00}})})})),  // 9
      section(kDataCount, {0x01}),                                        // 12
      codes(1),                                                           // 10
      section(kData, vec({cat({{0x01}, name_bytes("hi")})})),                    // 11
  };
}

Bytes join(const std::vector<Bytes>& sections) {
  Bytes out = header();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

TEST(Framing, AllSectionsInOrder) {
  auto m = decode(join(ordered_sections()));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->types.size(), 1u);
  EXPECT_EQ(m->imports.size(), 1u);
  EXPECT_EQ(m->functions.size(), 1u);
  EXPECT_EQ(m->tables.size(), 1u);
  EXPECT_EQ(m->memories.size(), 1u);
  EXPECT_EQ(m->globals.size(), 1u);
  EXPECT_EQ(m->exports.size(), 1u);
  EXPECT_EQ(m->start, 0u);
  EXPECT_EQ(m->elems.size(), 1u);
  EXPECT_EQ(m->data_count, 1u);
  EXPECT_EQ(m->codes.size(), 1u);
  EXPECT_EQ(m->datas.size(), 1u);
}

TEST(Framing, CustomSectionsAnywhere) {
  std::vector<Bytes> s = ordered_sections();
  std::vector<Bytes> with_custom;
  Bytes custom = section(kCustom, cat({name_bytes("x"), {1, 2, 3}}));
  with_custom.push_back(custom);
  for (const Bytes& sec : s) {
    with_custom.push_back(sec);
    with_custom.push_back(custom);
    with_custom.push_back(custom);
  }
  EXPECT_TRUE(Decodes(decode(join(with_custom))));
}

TEST(Framing, EverySectionOutOfOrderIsRejected) {
  std::vector<Bytes> s = ordered_sections();
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    std::vector<Bytes> swapped = s;
    std::swap(swapped[i], swapped[i + 1]);
    auto r = decode(join(swapped));
    EXPECT_TRUE(Malformed(r, "unexpected content after last section")) << "swap " << i;
    EXPECT_TRUE(Malformed(r, "out of order")) << "swap " << i;
  }
}

TEST(Framing, EverySectionDuplicatedIsRejected) {
  std::vector<Bytes> s = ordered_sections();
  for (size_t i = 0; i < s.size(); ++i) {
    std::vector<Bytes> dup = s;
    dup.insert(dup.begin() + i, s[i]);
    auto r = decode(join(dup));
    EXPECT_TRUE(Malformed(r, "unexpected content after last section")) << "dup " << i;
    EXPECT_TRUE(Malformed(r, "duplicate")) << "dup " << i;
  }
}

TEST(Framing, DataCountPlacement) {
  // After element: fine. Before element, or after code: out of order.
  EXPECT_TRUE(Decodes(decode(module({section(kElement, {0x00}), section(kDataCount, {0x00})}))));
  EXPECT_TRUE(Decodes(decode(module({section(kDataCount, {0x00}), section(kCode, {0x00})}))));
  EXPECT_TRUE(Decodes(decode(module({section(kDataCount, {0x00}), section(kData, {0x00})}))));
  EXPECT_TRUE(Malformed(decode(module({section(kDataCount, {0x00}), section(kElement, {0x00})})),
                        "unexpected content after last section"));
  EXPECT_TRUE(Malformed(decode(module({section(kCode, {0x00}), section(kDataCount, {0x00})})),
                        "unexpected content after last section"));
  EXPECT_TRUE(Malformed(decode(module({section(kData, {0x00}), section(kDataCount, {0x00})})),
                        "unexpected content after last section"));
}

TEST(Framing, ConcatenatedModulesAreRejected) {
  EXPECT_TRUE(Malformed(decode(cat({header(), header()})), "unexpected end"));
}

TEST(Framing, FunctionAndCodeCountsMustAgree) {
  EXPECT_TRUE(
      Malformed(decode(module({type_void(), funcs(2)})), "function and code section have inconsistent lengths"));
  EXPECT_TRUE(Malformed(decode(module({codes(1)})), "function and code section have inconsistent lengths"));
  EXPECT_TRUE(Malformed(decode(module({type_void(), funcs(2), codes(1)})),
                        "function and code section have inconsistent lengths"));
  EXPECT_TRUE(Malformed(decode(module({type_void(), funcs(1), codes(2)})),
                        "function and code section have inconsistent lengths"));
  EXPECT_TRUE(Decodes(decode(module({funcs(0)}))));
  EXPECT_TRUE(Decodes(decode(module({codes(0)}))));
  EXPECT_TRUE(Decodes(decode(module({type_void(), funcs(3), codes(3)}))));
}

TEST(Framing, DataCountMustMatchDataSegments) {
  Bytes passive = cat({{0x01}, name_bytes("")});
  EXPECT_TRUE(Malformed(decode(module({section(kDataCount, {0x03}), section(kData, vec({passive, passive}))})),
                        "data count and data section have inconsistent lengths"));
  EXPECT_TRUE(Malformed(decode(module({section(kDataCount, {0x01}), section(kData, vec({passive, passive}))})),
                        "data count and data section have inconsistent lengths"));
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, vec({{0x00, 0x01}})), section(kDataCount, {0x01})})),
                        "data count and data section have inconsistent lengths"));
  EXPECT_TRUE(Decodes(decode(module({section(kDataCount, {0x00})}))));
  auto m = decode(module({section(kDataCount, {0x02}), section(kData, vec({passive, passive}))}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->data_count, 2u);
  // Without a data count section any number of segments is fine.
  EXPECT_TRUE(Decodes(decode(module({section(kData, vec({passive, passive, passive}))}))));
}

TEST(Framing, HugeVectorCountIsRejectedWithoutAllocating) {
  for (uint8_t id : {kType, kImport, kFunction, kTable, kMemory, kGlobal, kExport, kElement, kData}) {
    auto r = decode(module({section(id, {0xFF, 0xFF, 0xFF, 0xFF, 0x0F})}));
    EXPECT_TRUE(Malformed(r, "unexpected end")) << int(id);
    EXPECT_TRUE(Malformed(r, "length out of bounds")) << int(id);
  }
}

// wnn run reads what the decoder needs of a module file (cli/module_file.h):
// up to the last non-custom section, then the "name" section; the custom
// sections after the last known one (DWARF) stay on disk, and no offset moves.
std::vector<ByteRange> ranges_of(const Bytes& file) {
  return needed_ranges(file.size(), [&](uint64_t offset, size_t n) {
    const size_t from = std::min<size_t>(offset, file.size()), to = std::min<size_t>(from + n, file.size());
    return Bytes(file.begin() + std::ptrdiff_t(from), file.begin() + std::ptrdiff_t(to));
  });
}

bool whole(const std::vector<ByteRange>& r, const Bytes& file) {
  return r.size() == 1 && r[0].offset == 0 && r[0].size == file.size();
}

Bytes custom(std::string_view name, size_t size) { return section(kCustom, cat({name_bytes(name), Bytes(size, 7)})); }

TEST(Framing, NeededRangesLeaveTrailingCustomSectionsButNames) {
  ModuleBuilder b;
  b.func(b.type({}, {ValType::I32}), {0x41, 0x2A, 0x0B});
  const Bytes code = b.build();
  b.func_name(0, "answer");
  const Bytes with_name = b.build();
  const Bytes names(with_name.begin() + std::ptrdiff_t(code.size()), with_name.end());
  const Bytes debug = custom(".debug_info", 5000), producers = custom("producers", 40);
  const Bytes file = cat({code, debug, names, producers});
  const auto r = ranges_of(file);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].offset, 0u);
  EXPECT_EQ(r[0].size, code.size());
  EXPECT_EQ(r[1].offset, code.size() + debug.size());
  EXPECT_EQ(r[1].size, names.size());
  auto m = decode(cat({code, names}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->function_names.at(0), "answer");
  // A custom section before a known one is kept (offsets after it must not move).
  const Bytes middle = module(
      {type_void(), custom("mid", 3000), section(kFunction, vec({{0x00}})), section(kCode, vec({{0x02, 0x00, 0x0B}}))});
  const auto rm = ranges_of(cat({middle, debug}));
  ASSERT_EQ(rm.size(), 1u);
  EXPECT_EQ(rm[0].size, middle.size());
}

// Whatever the decoder would reject is read whole, for it to say why.
TEST(Framing, NeededRangesAreTheWholeFileWhenTheSectionsDoNotWalk) {
  const Bytes code = module({type_void()});
  for (const Bytes& file : {
           cat({code, section(kCustom, cat({{0x02, 0xFF, 0xFE}, Bytes(10, 0)}))}),  // name not UTF-8
           cat({code, section(kCustom, {})}),                                      // no name at all
           cat({code, {0x00, 0x80, 0x80, 0x80, 0x80, 0x10}}),                     // size LEB too long
           cat({code, {0x00, 0x7F, 0x01, 0x61}}),                                  // size past the end
           cat({code, {0x0D, 0x00}}),                                              // unknown section id
           Bytes{0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00},                  // version 2
           Bytes{0x7F, 0x45, 0x4C, 0x46},                                          // not a module
       }) {
    EXPECT_TRUE(whole(ranges_of(file), file)) << file.size();
    EXPECT_FALSE(decode(file).ok());
  }
}

}  // namespace
}  // namespace wnn::binary::test
