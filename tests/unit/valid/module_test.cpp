// Module-level validation and implementation limits: locals, frame size,
// memories, tables, exports, start, constant expressions.
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "valid/compiled_module.h"
#include "valid/function_translator.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;

Error invalid(ModuleBuilder& m) {
  Error e = compile_error(m.build());
  EXPECT_EQ(e.kind, ErrorKind::Invalid) << e.message;
  return e;
}

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
  ModuleBuilder min;
  min.memory(65537);
  EXPECT_HAS_SUBSTR(invalid(min).message, "memory 0: memory size must be at most 65536 pages (4GiB)");
  ModuleBuilder max;
  max.memory(0, 65537);
  EXPECT_HAS_SUBSTR(invalid(max).message, "memory size must be at most 65536 pages");
  ModuleBuilder imported;
  imported.import_memory(0, 70000);
  EXPECT_HAS_SUBSTR(invalid(imported).message, "import 0 \"env\" \"m0\": memory size must be at most 65536 pages");
  ModuleBuilder ok;
  ok.memory(0, 65536);
  compile_ok(ok.build());
}

TEST(Limits, MinimumAboveMaximum) {
  ModuleBuilder mem;
  mem.memory(2, 1);
  EXPECT_HAS_SUBSTR(invalid(mem).message, "memory 0: size minimum must not be greater than maximum");
  ModuleBuilder table;
  table.table(FuncRef, 10, 9);
  EXPECT_HAS_SUBSTR(invalid(table).message, "table 0: size minimum must not be greater than maximum");
  ModuleBuilder equal;
  equal.memory(3, 3);
  equal.table(ExternRef, 5, 5);
  compile_ok(equal.build());
}

TEST(Limits, MultipleMemories) {
  ModuleBuilder two;
  two.memory(1);
  two.memory(1);
  EXPECT_HAS_SUBSTR(invalid(two).message, "multiple memories are not supported");
  ModuleBuilder imported_and_defined;
  imported_and_defined.import_memory(1);
  imported_and_defined.memory(1);
  EXPECT_HAS_SUBSTR(invalid(imported_and_defined).message, "multiple memories");
}

TEST(Module, DuplicateExportNames) {
  ModuleBuilder m;
  uint32_t t = m.type({}, {});
  uint32_t f = m.func(t, {0x0B});
  m.memory(1);
  m.export_func("x", f);
  m.export_("x", ExternKind::Memory, 0);
  EXPECT_HAS_SUBSTR(invalid(m).message, "export \"x\": duplicate export name");
}

TEST(Module, UnknownExports) {
  ModuleBuilder f;
  f.export_func("f", 0);
  EXPECT_HAS_SUBSTR(invalid(f).message, "export \"f\": unknown function 0");
  ModuleBuilder mem;
  mem.export_("m", ExternKind::Memory, 0);
  EXPECT_HAS_SUBSTR(invalid(mem).message, "export \"m\": unknown memory 0");
  ModuleBuilder g;
  g.global(I32, false, i32_const(1));
  g.export_("g", ExternKind::Global, 1);
  EXPECT_HAS_SUBSTR(invalid(g).message, "export \"g\": unknown global 1");
  ModuleBuilder t;
  t.export_("t", ExternKind::Table, 0);
  EXPECT_HAS_SUBSTR(invalid(t).message, "export \"t\": unknown table 0");
}

TEST(Module, StartFunction) {
  ModuleBuilder params;
  uint32_t t = params.type({I32}, {});
  params.start(params.func(t, {0x0B}));
  EXPECT_HAS_SUBSTR(invalid(params).message, "start function 0 must have type () -> (), has (i32) -> ()");
  ModuleBuilder results;
  t = results.type({}, {I64});
  results.start(results.func(t, {0x42, 0, 0x0B}));
  EXPECT_HAS_SUBSTR(invalid(results).message, "start function 0 must have type () -> (), has () -> (i64)");
  ModuleBuilder unknown;
  unknown.start(3);
  EXPECT_HAS_SUBSTR(invalid(unknown).message, "start function: unknown function 3");
  ModuleBuilder ok;
  t = ok.type({}, {});
  ok.start(ok.func(t, {0x0B}));
  compile_ok(ok.build());
}

TEST(Module, UnknownFunctionType) {
  ModuleBuilder m;
  m.type({}, {});
  m.func(4, {0x0B});
  EXPECT_HAS_SUBSTR(invalid(m).message, "function 0: unknown type 4");
  ModuleBuilder imp;
  imp.import_func(2);
  EXPECT_HAS_SUBSTR(invalid(imp).message, "import 0 \"env\" \"f0\": unknown type 2");
}

TEST(ConstExpr, NonConstantInstruction) {
  ModuleBuilder m;
  m.global(I32, false, cat({i32_const(1), i32_const(2), {0x6A}}));
  EXPECT_HAS_SUBSTR(invalid(m).message, "global 0 initializer: constant expression required");
  ModuleBuilder nop;
  nop.global(I32, false, cat({{0x01}, i32_const(2)}));
  EXPECT_HAS_SUBSTR(invalid(nop).message, "constant expression required");
  ModuleBuilder data;  // in a data segment offset
  data.memory(1);
  data.data(cat({{0x00}, i32_const(0), {0x1A, 0x0B, 0x00}}));  // i32.const 0 drop end, no bytes
  EXPECT_HAS_SUBSTR(invalid(data).message, "data segment 0 offset: constant expression required");
}

TEST(ConstExpr, WrongType) {
  ModuleBuilder m;
  m.global(I32, false, i64_const(1));
  EXPECT_HAS_SUBSTR(invalid(m).message,
                    "global 0 initializer: type mismatch: constant expression must produce one i32");
  ModuleBuilder two;
  two.global(I32, false, cat({i32_const(1), i32_const(2)}));
  EXPECT_HAS_SUBSTR(invalid(two).message, "must produce one i32");
  ModuleBuilder none;
  none.global(I64, false, {});
  EXPECT_HAS_SUBSTR(invalid(none).message, "must produce one i64");
  ModuleBuilder ref;
  ref.global(FuncRef, false, {0xD0, 0x6F});
  EXPECT_HAS_SUBSTR(invalid(ref).message, "must produce one funcref");
  ModuleBuilder offset;
  offset.memory(1);
  offset.data(cat({{0x00}, i64_const(0), {0x0B, 0x00}}));
  EXPECT_HAS_SUBSTR(invalid(offset).message,
                    "data segment 0 offset: type mismatch: constant expression must produce one i32");
  ModuleBuilder elem;  // active elem segment with an f32 offset
  elem.table(FuncRef, 1);
  elem.elem({0x00, 0x43, 0, 0, 0, 0, 0x0B, 0x00});
  EXPECT_HAS_SUBSTR(invalid(elem).message, "elem segment 0 offset: type mismatch");
}

TEST(ConstExpr, GlobalGet) {
  ModuleBuilder mut;  // imported but mutable
  mut.import_global(I32, true);
  mut.global(I32, false, {0x23, 0});
  EXPECT_HAS_SUBSTR(invalid(mut).message, "global 1 initializer: constant expression required (global 0 is mutable)");
  ModuleBuilder defined;  // not imported: global 1 may not read global 0
  defined.global(I32, false, i32_const(1));
  defined.global(I32, false, {0x23, 0});
  EXPECT_HAS_SUBSTR(invalid(defined).message, "global 1 initializer: unknown global 0");
  ModuleBuilder offset;  // WebAssembly 2.0: segment offsets may not read defined globals either
  offset.global(I32, false, i32_const(1));
  offset.memory(1);
  offset.data(cat({{0x00, 0x23, 0x00, 0x0B}, {0x01, 'x'}}));
  EXPECT_HAS_SUBSTR(invalid(offset).message, "data segment 0 offset: unknown global 0");
  ModuleBuilder wrong;
  wrong.import_global(I64, false);
  wrong.global(I32, false, {0x23, 0});
  EXPECT_HAS_SUBSTR(invalid(wrong).message, "must produce one i32");
  ModuleBuilder ok;
  ok.import_global(I32, false);
  ok.global(I32, false, {0x23, 0});
  ok.memory(1);
  ok.data(cat({{0x00, 0x23, 0x00, 0x0B}, {0x01, 'x'}}));
  compile_ok(ok.build());
}

TEST(ConstExpr, RefFuncInConstantExpressions) {
  ModuleBuilder unknown;
  unknown.global(FuncRef, false, {0xD2, 5});
  EXPECT_HAS_SUBSTR(invalid(unknown).message, "global 0 initializer: unknown function 5");
  ModuleBuilder elem_type;  // elem segment of externref items built from ref.func
  uint32_t t = elem_type.type({}, {});
  elem_type.func(t, {0x0B});
  elem_type.elem({0x05, 0x6F, 0x01, 0xD2, 0x00, 0x0B});  // passive, externref, (ref.func 0)
  EXPECT_HAS_SUBSTR(invalid(elem_type).message, "elem segment 0 item 0: type mismatch");
}

TEST(Module, ElemSegmentTableTypes) {
  ModuleBuilder m;
  m.table(ExternRef, 1);
  uint32_t t = m.type({}, {});
  m.func(t, {0x0B});
  m.elem({0x00, 0x41, 0x00, 0x0B, 0x01, 0x00});  // active table 0, funcref func 0
  EXPECT_HAS_SUBSTR(invalid(m).message, "elem segment 0: type mismatch: segment of funcref for a table of externref");
  ModuleBuilder table_init;  // table.init of a funcref segment into an externref table
  t = table_init.type({}, {});
  table_init.table(ExternRef, 1);
  table_init.func(t, {0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 12, 0, 0, 0x0B});
  table_init.elem({0x01, 0x00, 0x01, 0x00});  // passive funcref (func 0)
  EXPECT_HAS_SUBSTR(invalid(table_init).message, "table.init element type differs from the table's");
}

}  // namespace
}  // namespace wnn::valid::test
