// Where errors point: function index (imports counted, names shown), absolute
// byte offset, instruction name; malformed bodies; SIMD is rejected clearly.
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "wat_module.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;

TEST(Messages, BodyOffsetsOfTheBuilder) {
  // header 8, type section 6, function section 4, export section 7, then
  // code: id, size, count, entry size, local count: the body starts at 30.
  auto m = single({}, {}, {0x0B});
  Bytes b = m.build();
  EXPECT_EQ(m.body_offset(0), 30u);
  EXPECT_EQ(b[30], 0x0B);
  ASSERT_NE(compile_ok(b), nullptr);
}

TEST(Messages, NameFunctionOffsetAndInstruction) {
  Error e = compile_error(wat_module("invalid_add_after_nops"));
  EXPECT_EQ(e.kind, ErrorKind::Invalid);
  EXPECT_EQ(e.message,
            "function 0, at offset 32 (i32.add): type mismatch: expected i32 but the operand stack is empty");
}

TEST(Messages, FunctionIndexCountsImports) {
  Bytes b = wat_module("invalid_sub_after_imports");
  Error e = compile_error(b);
  EXPECT_HAS_SUBSTR(e.message, "function 3, at offset " + std::to_string(wat_body_offset(b, 1) + 7) +
                                   " (i32.sub): type mismatch: expected i32, got f32");
}

TEST(Messages, FunctionNameFromTheNameSection) {
  // Bytes: wat2wasm writes a name section only with --debug-names, which
  // unit_valid's modules are not assembled with.
  ModuleBuilder m;
  uint32_t t = m.type({}, {});
  m.import_func(t);
  uint32_t f = m.func(t, {0x02, 0x40, 0x0C, 1, 0x0B, 0x42, 0, 0x0B});
  m.func_name(f, "adder");
  Bytes b = m.build();
  Error e = compile_error(b);
  EXPECT_HAS_SUBSTR(e.message, "function 1 \"adder\", at offset " + std::to_string(m.body_offset(0) + 7) + " (end)");
  EXPECT_HAS_SUBSTR(e.message, "values remain");
}

TEST(Messages, OffsetOfAnInstructionDeepInsideBlocks) {
  // Bytes: a loop writes the 100 nops.
  Bytes code = {0x02, 0x40, 0x03, 0x40, 0x41, 1, 0x04, 0x40};  // block loop i32.const if
  for (int i = 0; i < 100; ++i) code.push_back(0x01);         // nops
  size_t at = code.size();
  code.insert(code.end(), {0x20, 0x00, 0x1A});  // local.get 0 (there is none)
  code.insert(code.end(), {0x0B, 0x0B, 0x0B, 0x0B});
  auto m = single({}, {}, code);
  Bytes b = m.build();
  Error e = compile_error(b);
  EXPECT_HAS_SUBSTR(e.message,
                    "function 0, at offset " + std::to_string(m.body_offset(0) + at) + " (local.get): unknown local 0");
}

TEST(Messages, OffsetAfterLocalDeclarations) {
  Bytes b = wat_module("invalid_add_after_locals");
  Error e = compile_error(b);
  // local 3 is the f32: i32.add sees (i32, f32).
  EXPECT_HAS_SUBSTR(e.message, "at offset " + std::to_string(wat_body_offset(b, 0) + 4) +
                                   " (i32.add): type mismatch: "
                                   "expected i32, got f32");
}

// Bytes: malformed encodings (illegal opcodes, a missing or early end, a
// non-zero reserved byte, a truncated LEB128) that WAT cannot write.
TEST(Messages, MalformedBodies) {
  auto illegal = single({}, {}, {0x01, 0xFF, 0x0B});
  Bytes b = illegal.build();
  Error e = compile_error(b);
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message,
                    "function 0, at offset " + std::to_string(illegal.body_offset(0) + 1) + " (0xff): illegal opcode");

  auto fc = single({}, {}, {0xFC, 18, 0x0B});
  e = compile_error(fc.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "illegal opcode 0xFC 18");

  auto unclosed = single({}, {}, {0x02, 0x40, 0x0B});  // the function's end is missing
  e = compile_error(unclosed.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "END opcode expected");

  auto trailing = single({}, {}, {0x0B, 0x01, 0x0B});
  b = trailing.build();
  e = compile_error(b);
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "at offset " + std::to_string(trailing.body_offset(0) + 1));
  EXPECT_HAS_SUBSTR(e.message, "operators remaining after the end of the function");

  auto else_alone = single({}, {}, {0x05, 0x0B});
  e = compile_error(else_alone.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "(else): else without a matching if");

  auto zero = single({}, {}, {0x3F, 1, 0x1A, 0x0B});
  zero.memory(1);
  e = compile_error(zero.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "(memory.size): zero byte expected");

  auto ref = single({}, {}, {0xD0, 0x7F, 0x1A, 0x0B});
  e = compile_error(ref.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "(ref.null): malformed reference type");

  auto truncated = single({}, {}, {0x41, 0x80, 0x80, 0x0B});  // LEB128 runs into the end
  e = compile_error(truncated.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "function 0");
}

// Bytes: block types WAT cannot write.
TEST(Messages, MalformedBlockTypes) {
  auto bad = single({}, {}, {0x02, 0x50, 0x0B, 0x0B});  // 0x50 is no value type
  Error e = compile_error(bad.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "(block): malformed block type");
  // A negative s33 that is not a single value-type byte is not a block type
  // (blocktype ::= 0x40 | valtype | s33 with x >= 0): -129 must not be read
  // as i32 (0x7F is its low 7 bits), nor a two-byte encoding of -1 as i32.
  for (Bytes bt : {Bytes{0xFF, 0x7E}, Bytes{0xFF, 0x7F}, Bytes{0xC0, 0x7F}}) {
    Bytes code = {0x02};
    append(code, bt);
    append(code, {0x41, 0, 0x0B, 0x1A, 0x0B});
    auto m = single({}, {}, code);
    auto r = compile(m.build());
    ASSERT_FALSE(r.ok()) << "block type " << int(bt[0]) << " " << int(bt[1]) << " accepted";
    EXPECT_EQ(r.error().kind, ErrorKind::Malformed) << r.error().message;
  }
  // Type indices are fine in a multi-byte encoding.
  ModuleBuilder ok;
  uint32_t t = ok.type({}, {});
  ok.func(t, {0x02, 0x80, 0x00, 0x0B, 0x0B});  // type 0, two bytes
  compile_ok(ok.build());
}

// v128 values are plain data (two slots), with or without SIMD instructions:
// parameters, results, locals, blocks, select and globals all validate.
TEST(Simd, V128ValuesWithoutSimdInstructions) {
  for (const char* name : {"v128_param", "v128_result", "v128_local", "v128_local_after_i32s", "v128_block_result",
                           "v128_select", "v128_global", "v128_global_import"}) {
    SCOPED_TRACE(name);
    compile_ok(wat_module(name));
  }
}

}  // namespace
}  // namespace wnn::valid::test
