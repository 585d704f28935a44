// The opcode table (src/binary/opcodes.def) against facts of the Wasm 2.0
// specification: how many instructions each prefix has, their encodings,
// and the consistency of each row's immediates, family and types.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "binary/opcodes.h"

namespace wnn::binary::test {
namespace {

size_t rows(uint8_t prefix) {
  size_t n = 0;
  for (uint32_t code = 0; code < 256; ++code) n += opcode_info(prefix, code).text != nullptr;
  return n;
}

TEST(Opcodes, CountsMatchWasm20) {
  EXPECT_EQ(rows(0xFC), 18u);   // 8 saturating truncations + 10 bulk memory/table
  EXPECT_EQ(rows(0xFD), 236u);  // the fixed-width SIMD proposal
  EXPECT_EQ(rows(0x00), 183u);  // 0x00..0xD2 minus the unassigned bytes
  EXPECT_EQ(opcode_info(0x00, 0x06).text, nullptr);
  EXPECT_EQ(opcode_info(0xFC, 18).text, nullptr);
  EXPECT_EQ(opcode_info(0xFD, 0x100).text, nullptr);
  EXPECT_EQ(opcode_info(0xFE, 0).text, nullptr);
}

TEST(Opcodes, EncodingsAndNames) {
  const OpcodeInfo& add = opcode_info(0x00, 0x6A);
  EXPECT_STREQ(add.text, "i32.add");
  EXPECT_EQ(add.opcode, Opcode::I32Add);
  EXPECT_EQ(add.family, OpFamily::Binary);
  EXPECT_EQ(add.out, ValType::I32);
  EXPECT_EQ(&opcode_info(Opcode::I32Add), &add);
  EXPECT_EQ(uint16_t(Opcode::V128Load64Zero), 0xFD5D);
  EXPECT_EQ(uint16_t(Opcode::TableFill), 0xFC11);
  EXPECT_EQ(opcode_info(Opcode::I64TruncSatF64U).in0, ValType::F64);
  EXPECT_STREQ(opcode_info(0xFD, 0xFF).text, "f64x2.convert_low_i32x4_u");
  EXPECT_EQ(op::kEnd, 0x0B);
  EXPECT_EQ(op::kRefFunc, 0xD2);
}

TEST(Opcodes, RowsAreConsistent) {
  std::set<std::string> names;
  for (uint8_t prefix : {0x00, 0xFC, 0xFD}) {
    for (uint32_t code = 0; code < 256; ++code) {
      const OpcodeInfo& i = opcode_info(prefix, code);
      if (!i.text) continue;
      SCOPED_TRACE(i.text);
      EXPECT_EQ(i.prefix(), prefix);
      EXPECT_EQ(uint16_t(i.opcode) & 0xFF, code);
      EXPECT_NE(i.family, OpFamily::Invalid);
      // Mnemonics are unique but for select's two encodings.
      EXPECT_TRUE(names.insert(i.text).second || std::string(i.text) == "select");
      const bool memory = i.family == OpFamily::Load || i.family == OpFamily::Store || i.family == OpFamily::VLoad ||
                          i.family == OpFamily::VStore;
      const bool memory_lane = i.family == OpFamily::VLoadLane || i.family == OpFamily::VStoreLane;
      EXPECT_EQ(i.imm == ImmKind::Memarg, memory);
      EXPECT_EQ(i.imm == ImmKind::MemargLane, memory_lane);
      if (memory || memory_lane) {
        EXPECT_LE(i.natural_log2(), 4);
        EXPECT_EQ(i.in0, ValType::I32);  // the address
      }
      if (memory_lane) EXPECT_EQ(i.lanes() << i.natural_log2(), 16);
      if (i.family == OpFamily::VExtract || i.family == OpFamily::VReplace)
        EXPECT_EQ(i.lanes(), std::stoi(std::string(i.text).substr(std::string(i.text).find('x') + 1)));
      if (i.family == OpFamily::Compare || i.family == OpFamily::Test) EXPECT_EQ(i.out, ValType::I32);
      if (i.family == OpFamily::Binary || i.family == OpFamily::Compare) EXPECT_EQ(i.in0, i.in1);
      // The mnemonic's type prefix is the result type of numeric ops.
      if (prefix == 0 && (i.family == OpFamily::Unary || i.family == OpFamily::Binary))
        EXPECT_EQ(std::string(i.text).substr(0, 3), val_type_name(i.out));
    }
  }
}

}  // namespace
}  // namespace wnn::binary::test
