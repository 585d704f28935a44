// Module-level validation and implementation limits: locals, frame size,
// memories, tables, exports, start, constant expressions.
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "valid/compiled_module.h"
#include "valid/function_translator.h"
#include "wat_module.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;

Error invalid(const Bytes& bytes) {
  Error e = compile_error(bytes);
  EXPECT_EQ(e.kind, ErrorKind::Invalid) << e.message;
  return e;
}
Error invalid(ModuleBuilder& m) { return invalid(m.build()); }
// wat/invalid_<name>.wat.
Error invalid(const char* name) { return invalid(wat_module(std::string("invalid_") + name)); }

// Bytes: local counts of a million and more, which WAT writes one local at a time.
TEST(Limits, TooManyLocalsForAFrame) {
  static_assert(kMaxFrameSlots == 1u << 20);
  auto m = single({}, {}, {0x0B}, {{0x100001, I32}});
  Error e = invalid(m);
  EXPECT_HAS_SUBSTR(e.message, "function 0 declares 1048577+ locals; wnn supports at most 1048576");
  // Split over declarations, params included.
  auto split = single({I32, I32}, {}, {0x0B}, {{0x80000, I64}, {0x7FFFF, F32}});
  e = invalid(split);
  EXPECT_HAS_SUBSTR(e.message, "locals; wnn supports at most 1048576");
}

// Bytes, as above: a million locals.
TEST(Limits, FrameLimitIncludesTheOperandStack) {
  // Exactly kMaxFrameSlots locals and no operand: accepted.
  auto exact = single({}, {}, {0x0B}, {{kMaxFrameSlots, I32}});
  auto c = compile_ok(exact.build());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->code[0].frame_slots, kMaxFrameSlots);
  EXPECT_EQ(c->code[0].local_slots, kMaxFrameSlots);
  // One more slot for an operand does not fit.
  auto over = single({}, {}, {0x41, 0, 0x1A, 0x0B}, {{kMaxFrameSlots, I32}});
  Error e = invalid(over);
  EXPECT_HAS_SUBSTR(e.message, "function 0, at offset");
  EXPECT_HAS_SUBSTR(e.message, "needs a frame of more than 1048576 slots (wnn's limit)");
}

TEST(Limits, MoreThan2To32LocalsIsMalformed) {
  auto m = single({}, {}, {0x0B}, {{0xFFFFFFFF, I32}, {1, I32}});
  Error e = compile_error(m.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
  EXPECT_HAS_SUBSTR(e.message, "too many locals");
  // A single count that does not fit in a u32.
  auto big = single({}, {}, {0x0B}, {{0x100000000ull, I32}});
  e = compile_error(big.build());
  EXPECT_EQ(e.kind, ErrorKind::Malformed);
}

TEST(Limits, MemorySize) {
  EXPECT_HAS_SUBSTR(invalid("memory_min_too_large").message,
                    "memory 0: memory size must be at most 65536 pages (4GiB)");
  EXPECT_HAS_SUBSTR(invalid("memory_max_too_large").message, "memory size must be at most 65536 pages");
  EXPECT_HAS_SUBSTR(invalid("imported_memory_too_large").message,
                    "import 0 \"env\" \"m0\": memory size must be at most 65536 pages");
  compile_ok(wat_module("memory_max_pages"));
}

TEST(Limits, MinimumAboveMaximum) {
  EXPECT_HAS_SUBSTR(invalid("memory_min_above_max").message, "memory 0: size minimum must not be greater than maximum");
  EXPECT_HAS_SUBSTR(invalid("table_min_above_max").message, "table 0: size minimum must not be greater than maximum");
  compile_ok(wat_module("limits_min_equal_max"));
}

TEST(Limits, MultipleMemories) {
  EXPECT_HAS_SUBSTR(invalid("two_memories").message, "multiple memories are not supported");
  EXPECT_HAS_SUBSTR(invalid("imported_and_defined_memory").message, "multiple memories");
}

TEST(Module, DuplicateExportNames) {
  EXPECT_HAS_SUBSTR(invalid("duplicate_export_name").message, "export \"x\": duplicate export name");
}

TEST(Module, UnknownExports) {
  EXPECT_HAS_SUBSTR(invalid("export_unknown_func").message, "export \"f\": unknown function 0");
  EXPECT_HAS_SUBSTR(invalid("export_unknown_memory").message, "export \"m\": unknown memory 0");
  EXPECT_HAS_SUBSTR(invalid("export_unknown_global").message, "export \"g\": unknown global 1");
  EXPECT_HAS_SUBSTR(invalid("export_unknown_table").message, "export \"t\": unknown table 0");
}

TEST(Module, StartFunction) {
  EXPECT_HAS_SUBSTR(invalid("start_with_params").message, "start function 0 must have type () -> (), has (i32) -> ()");
  EXPECT_HAS_SUBSTR(invalid("start_with_results").message, "start function 0 must have type () -> (), has () -> (i64)");
  EXPECT_HAS_SUBSTR(invalid("start_unknown").message, "start function: unknown function 3");
  compile_ok(wat_module("start_function"));
}

TEST(Module, UnknownFunctionType) {
  EXPECT_HAS_SUBSTR(invalid("func_unknown_type").message, "function 0: unknown type 4");
  EXPECT_HAS_SUBSTR(invalid("import_unknown_type").message, "import 0 \"env\" \"f0\": unknown type 2");
}

TEST(ConstExpr, NonConstantInstruction) {
  EXPECT_HAS_SUBSTR(invalid("global_init_add").message, "global 0 initializer: constant expression required");
  EXPECT_HAS_SUBSTR(invalid("global_init_nop").message, "constant expression required");
  EXPECT_HAS_SUBSTR(invalid("data_offset_drop").message, "data segment 0 offset: constant expression required");
}

TEST(ConstExpr, WrongType) {
  EXPECT_HAS_SUBSTR(invalid("global_init_i64").message,
                    "global 0 initializer: type mismatch: constant expression must produce one i32");
  EXPECT_HAS_SUBSTR(invalid("global_init_two").message, "must produce one i32");
  EXPECT_HAS_SUBSTR(invalid("global_init_empty").message, "must produce one i64");
  EXPECT_HAS_SUBSTR(invalid("global_init_externref").message, "must produce one funcref");
  EXPECT_HAS_SUBSTR(invalid("data_offset_i64").message,
                    "data segment 0 offset: type mismatch: constant expression must produce one i32");
  EXPECT_HAS_SUBSTR(invalid("elem_offset_f32").message, "elem segment 0 offset: type mismatch");
}

TEST(ConstExpr, GlobalGet) {
  EXPECT_HAS_SUBSTR(invalid("global_init_mutable_import").message,
                    "global 1 initializer: constant expression required (global 0 is mutable)");
  EXPECT_HAS_SUBSTR(invalid("global_init_defined_global").message, "global 1 initializer: unknown global 0");
  // WebAssembly 2.0: segment offsets may not read defined globals either.
  EXPECT_HAS_SUBSTR(invalid("data_offset_defined_global").message, "data segment 0 offset: unknown global 0");
  EXPECT_HAS_SUBSTR(invalid("global_init_imported_i64").message, "must produce one i32");
  compile_ok(wat_module("const_expr_global_get"));
}

TEST(ConstExpr, RefFuncInConstantExpressions) {
  EXPECT_HAS_SUBSTR(invalid("global_init_ref_func_unknown").message, "global 0 initializer: unknown function 5");
  EXPECT_HAS_SUBSTR(invalid("elem_externref_of_ref_func").message, "elem segment 0 item 0: type mismatch");
}

TEST(Module, ElemSegmentTableTypes) {
  EXPECT_HAS_SUBSTR(invalid("elem_funcref_for_externref_table").message,
                    "elem segment 0: type mismatch: segment of funcref for a table of externref");
  EXPECT_HAS_SUBSTR(invalid("table_init_funcref_into_externref").message,
                    "table.init element type differs from the table's");
}

}  // namespace
}  // namespace wnn::valid::test
