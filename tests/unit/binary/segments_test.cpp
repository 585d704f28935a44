// Element and data segments (all encodings) and constant expressions.
#include <gtest/gtest.h>

#include "binary/opcodes.h"
#include "decode_checks.h"

namespace wnn::binary::test {
namespace {

Expected<Module> with_elems(std::initializer_list<Bytes> segs) {
  return decode(module({section(kElement, vec(segs))}));
}
Expected<Module> with_datas(std::initializer_list<Bytes> segs) { return decode(module({section(kData, vec(segs))})); }

Bytes ref_func(uint32_t i) { return cat({{0xD2}, uleb(i), {0x0B}}); }
Bytes ref_null_func() { return {0xD0, 0x70, 0x0B}; }

void expect_ref_funcs(const ElemSegment& s, std::vector<uint32_t> indices) {
  ASSERT_EQ(s.items.size(), indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    ASSERT_EQ(s.items[i].instrs.size(), 1u);
    EXPECT_EQ(s.items[i].instrs[0].opcode, op::kRefFunc);
    EXPECT_EQ(s.items[i].instrs[0].imm, indices[i]);
  }
}

TEST(ElemSegment, Form0ActiveTable0FuncIndices) {
  auto m = with_elems({cat({{0x00}, i32_const_expr(7), vec({{0x01}, {0x02}})})});
  ASSERT_TRUE(Decodes(m));
  const ElemSegment& s = m->elems[0];
  EXPECT_EQ(s.mode, SegmentMode::Active);
  EXPECT_EQ(s.table, 0u);
  EXPECT_EQ(s.type, ValType::FuncRef);
  ASSERT_EQ(s.offset.instrs.size(), 1u);
  EXPECT_EQ(s.offset.instrs[0].imm, 7u);
  expect_ref_funcs(s, {1, 2});
}

TEST(ElemSegment, Form1Passive) {
  auto m = with_elems({cat({{0x01, 0x00}, vec({{0x03}})})});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Passive);
  expect_ref_funcs(m->elems[0], {3});
}

TEST(ElemSegment, Form2ActiveExplicitTable) {
  auto m = with_elems({cat({{0x02, 0x05}, i32_const_expr(0), {0x00}, vec({{0x00}, {0x80, 0x01}})})});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->elems[0].table, 5u);
  expect_ref_funcs(m->elems[0], {0, 128});
}

TEST(ElemSegment, Form3Declarative) {
  auto m = with_elems({cat({{0x03, 0x00}, vec({{0x04}})})});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Declarative);
  expect_ref_funcs(m->elems[0], {4});
}

TEST(ElemSegment, Form4ActiveExpressions) {
  auto m = with_elems({cat({{0x04}, i32_const_expr(1), vec({ref_func(9), ref_null_func()})})});
  ASSERT_TRUE(Decodes(m));
  const ElemSegment& s = m->elems[0];
  EXPECT_EQ(s.mode, SegmentMode::Active);
  EXPECT_EQ(s.table, 0u);
  EXPECT_EQ(s.type, ValType::FuncRef);
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].instrs[0].opcode, op::kRefFunc);
  EXPECT_EQ(s.items[0].instrs[0].imm, 9u);
  EXPECT_EQ(s.items[1].instrs[0].opcode, op::kRefNull);
  EXPECT_EQ(s.items[1].instrs[0].imm, 0x70u);
}

TEST(ElemSegment, Form5PassiveExpressions) {
  auto m = with_elems({cat({{0x05, 0x6F}, vec({{0xD0, 0x6F, 0x0B}, {0x23, 0x00, 0x0B}})})});
  ASSERT_TRUE(Decodes(m));
  const ElemSegment& s = m->elems[0];
  EXPECT_EQ(s.mode, SegmentMode::Passive);
  EXPECT_EQ(s.type, ValType::ExternRef);
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[1].instrs[0].opcode, op::kGlobalGet);
}

TEST(ElemSegment, Form6ActiveExplicitTableExpressions) {
  auto m = with_elems({cat({{0x06, 0x02}, i32_const_expr(3), {0x70}, vec({ref_func(1)})})});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->elems[0].table, 2u);
  EXPECT_EQ(m->elems[0].offset.instrs[0].imm, 3u);
  EXPECT_EQ(m->elems[0].items.size(), 1u);
}

TEST(ElemSegment, Form7DeclarativeExpressions) {
  auto m = with_elems({cat({{0x07, 0x70}, vec({ref_func(0), ref_func(1)})})});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->elems[0].mode, SegmentMode::Declarative);
  EXPECT_EQ(m->elems[0].items.size(), 2u);
}

TEST(ElemSegment, Malformed) {
  for (uint8_t flags : {0x08, 0x09, 0x7F})
    EXPECT_TRUE(Malformed(with_elems({cat({{flags, 0x00}, vec({})})}), "malformed elements segment kind"));
  // elemkind must be 0x00 for forms 1, 2, 3.
  EXPECT_TRUE(Malformed(with_elems({cat({{0x01, 0x70}, vec({{0x00}})})}), "malformed elements segment kind"));
  EXPECT_TRUE(Malformed(with_elems({cat({{0x02, 0x00}, i32_const_expr(0), {0x01}, vec({})})}),
                        "malformed elements segment kind"));
  EXPECT_TRUE(Malformed(with_elems({cat({{0x03, 0x6F}, vec({})})}), "malformed elements segment kind"));
  // Reference type for forms 5, 6, 7.
  EXPECT_TRUE(Malformed(with_elems({cat({{0x05, 0x7F}, vec({ref_func(0)})})}), "malformed reference type"));
  EXPECT_TRUE(Malformed(with_elems({cat({{0x07, 0x00}, vec({ref_func(0)})})}), "malformed reference type"));
  // Partial segment.
  auto r = decode(module({section(kElement, cat({{0x02}, {0x00, 0x41, 0x00, 0x0B, 0x01, 0x00}, {0x00, 0x41, 0x00}}))}));
  EXPECT_TRUE(Malformed(r, "unexpected end"));
  EXPECT_TRUE(Malformed(r, "element section, segment 1"));
  // Illegal opcode in an item expression.
  EXPECT_TRUE(Malformed(with_elems({cat({{0x05, 0x70}, vec({{0xF3, 0x00, 0x0B}})})}), "illegal opcode"));
}

TEST(DataSegment, AllForms) {
  auto m = with_datas({cat({{0x00}, i32_const_expr(16), name_bytes("abc")}), cat({{0x01}, name_bytes("")}),
                       cat({{0x02, 0x01}, i32_const_expr(-1), name_bytes("xy")})});
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->datas.size(), 3u);
  const DataSegment& d0 = m->datas[0];
  EXPECT_EQ(d0.mode, SegmentMode::Active);
  EXPECT_EQ(d0.memory, 0u);
  EXPECT_EQ(d0.offset.instrs[0].imm, 16u);
  EXPECT_EQ(d0.data_size, 3u);
  EXPECT_EQ(std::string(m->bytes.begin() + d0.data_offset, m->bytes.begin() + d0.data_offset + d0.data_size), "abc");
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[1].data_size, 0u);
  EXPECT_EQ(m->datas[2].mode, SegmentMode::Active);
  EXPECT_EQ(m->datas[2].memory, 1u);
  EXPECT_EQ(m->datas[2].offset.instrs[0].imm, uint64_t(int64_t(-1)));
  EXPECT_EQ(m->bytes[m->datas[2].data_offset], 'x');
}

TEST(DataSegment, Malformed) {
  for (uint8_t flags : {0x03, 0x04, 0x7F})
    EXPECT_TRUE(Malformed(with_datas({cat({{flags}, name_bytes("")})}), "malformed data segment kind"));
  // Declared 7 bytes, 6 given.
  EXPECT_TRUE(Malformed(decode(module({section(kData, cat({{0x01, 0x00, 0x41, 0x03, 0x0B, 0x07}, Bytes(6, 'a')}))})),
                        "unexpected end"));
  // Declared 5 bytes, 6 given.
  EXPECT_TRUE(Malformed(decode(module({section(kData, cat({{0x01, 0x00, 0x41, 0x00, 0x0B, 0x05}, Bytes(6, 'a')}))})),
                        "section size mismatch"));
  auto r = decode(module({section(kData, {0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x61})}));
  EXPECT_TRUE(Malformed(r, "data section, segment 1"));
}

Expected<Module> global_init(Bytes expr) {
  return decode(module({section(kGlobal, vec({cat({{0x7F, 0x00}, expr})}))}));
}

const ConstInstrs& instrs(const Expected<Module>& m) { return m->globals.at(0).init.instrs; }

TEST(ConstExpr, Constants) {
  auto m = global_init({0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x0B});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m)[0].imm, 0xFFFFFFFF80000000ull);  // INT32_MIN, sign-extended
  m = global_init(cat({{0x42}, sleb(-2), {0x0B}}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m)[0].opcode, op::kI64Const);
  EXPECT_EQ(instrs(m)[0].imm, uint64_t(-2));
  m = global_init({0x43, 0x00, 0x00, 0x80, 0x3F, 0x0B});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m)[0].imm, 0x3F800000u);
  m = global_init({0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0xBF, 0x0B});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m)[0].imm, 0xBFF0000000000000ull);
  m = global_init({0x23, 0x81, 0x01, 0x0B});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m)[0].opcode, op::kGlobalGet);
  EXPECT_EQ(instrs(m)[0].imm, 129u);
  m = global_init({0xD2, 0x07, 0x0B});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m)[0].imm, 7u);
}

TEST(ConstExpr, NonConstantInstructionsAreRecorded) {
  // i32.const 1, i32.const 2, i32.add, nop, local.get 3, drop: the validator
  // rejects these, the decoder keeps them.
  auto m = global_init({0x41, 0x01, 0x41, 0x02, 0x6A, 0x01, 0x20, 0x03, 0x1A, 0x0B});
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(instrs(m).size(), 6u);
  EXPECT_EQ(instrs(m)[2].opcode, op::kI32Add);
  EXPECT_EQ(instrs(m)[4].opcode, op::kLocalGet);
  EXPECT_EQ(instrs(m)[4].imm, 3u);
  // Prefixed: i32.trunc_sat_f32_s and memory.init 1 (0xFC 8 1 0).
  m = global_init({0xFC, 0x00, 0xFC, 0x08, 0x01, 0x00, 0x0B});
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(instrs(m).size(), 2u);
  EXPECT_EQ(instrs(m)[0].opcode, 0xFC00);
  EXPECT_EQ(instrs(m)[1].opcode, 0xFC08);
  EXPECT_EQ(instrs(m)[1].imm, 1u);
  // memarg, memory.size, call_indirect, br_table, select t.
  m = global_init(
      {0x28, 0x02, 0x10, 0x3F, 0x00, 0x11, 0x00, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x1C, 0x01, 0x7F, 0x0B});
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(instrs(m).size(), 5u);
}

TEST(ConstExpr, NestedBlocksKeepTheirEnds) {
  // block (result i32) i32.const 0 end end
  auto m = global_init({0x02, 0x7F, 0x41, 0x00, 0x0B, 0x0B});
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(instrs(m).size(), 3u);
  EXPECT_EQ(instrs(m)[0].opcode, op::kBlock);
  EXPECT_EQ(instrs(m)[2].opcode, op::kEnd);
}

TEST(ConstExpr, SimdConstIsRecorded) {
  Bytes expr = {0xFD, 0x0C};
  for (int i = 0; i < 16; ++i) expr.push_back(uint8_t(i));
  expr.push_back(0x0B);
  auto m = decode(module({section(kGlobal, vec({cat({{0x7B, 0x00}, expr})}))}));
  ASSERT_TRUE(Decodes(m));
  const ConstInstr& in = m->globals[0].init.instrs.at(0);
  EXPECT_EQ(in.opcode, 0xFD0C);
  EXPECT_EQ(m->bytes[in.imm + 5], 5);
}

TEST(ConstExpr, Malformed) {
  EXPECT_TRUE(Malformed(global_init({0x41, 0x00}), "unexpected end"));
  EXPECT_TRUE(Malformed(global_init({}), "unexpected end"));
  EXPECT_TRUE(Malformed(global_init({0x02, 0x40, 0x0B}), "unexpected end"));  // the block's end only
  EXPECT_TRUE(Malformed(global_init({0xD0, 0x7F, 0x0B}), "malformed reference type"));
  EXPECT_TRUE(Malformed(global_init({0xD0, 0x40, 0x0B}), "malformed reference type"));
  for (uint8_t opc : {0x06, 0x12, 0x27, 0xC5, 0xD3, 0xF3, 0xFF})
    EXPECT_TRUE(Malformed(global_init({opc, 0x0B}), "illegal opcode")) << int(opc);
  EXPECT_TRUE(Malformed(global_init({0xFC, 0x12, 0x0B}), "illegal opcode"));
  EXPECT_TRUE(
      Malformed(global_init({0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B}), "integer representation too long"));
  EXPECT_TRUE(Malformed(global_init({0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B}), "integer too large"));
  EXPECT_TRUE(Malformed(global_init({0x43, 0x00, 0x00, 0x0B}), "unexpected end"));
  EXPECT_TRUE(Malformed(global_init({0x3F, 0x01, 0x0B}), "zero byte expected"));
}

TEST(ConstExpr, MissingEndInsideSectionIsUnexpectedEnd) {
  // The global section ends right after i32.const 0 (spec: binary.wast).
  auto r = decode(module({type_void(), funcs(1), section(kGlobal, {0x01, 0x7F, 0x00, 0x41, 0x00}), codes(1)}));
  EXPECT_TRUE(Malformed(r, "unexpected end"));
  EXPECT_TRUE(Malformed(r, "global section, global 0"));
}

}  // namespace
}  // namespace wnn::binary::test
