// Type errors in function bodies: each is rejected with a message naming the
// function, the byte offset and the name of the failing instruction.
#include <gtest/gtest.h>

#include "compile_checks.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;
constexpr ErrorKind kInvalid = ErrorKind::Invalid;
constexpr ErrorKind kMalformed = ErrorKind::Malformed;

// Expects `m` to fail with `kind` and a message that starts with
// "function <index>, at offset <offset of body byte `at`> (<instr>): " and
// contains `msg` (the full message where it matters).
void check(ModuleBuilder& m, size_t at, const std::string& instr, const std::string& msg, ErrorKind kind = kInvalid,
           uint32_t defined = 0, uint32_t index = 0) {
  Bytes bytes = m.build();
  Error e = compile_error(bytes);
  EXPECT_EQ(e.kind, kind) << e.message;
  std::string where = "function " + std::to_string(index) + ", at offset " +
                      std::to_string(m.body_offset(defined) + at) + " (" + instr + "): ";
  EXPECT_EQ(e.message.rfind(where, 0), 0u) << "\"" << e.message << "\" does not start with \"" << where << "\"";
  EXPECT_HAS_SUBSTR(e.message, msg);
}
#define CHECK_ERR(...)         \
  do {                         \
    SCOPED_TRACE("CHECK_ERR"); \
    check(__VA_ARGS__);        \
  } while (0)

// A module whose only function is ()->() with this body (not exported, so
// that ref.func of it is undeclared).
ModuleBuilder V(Bytes code, std::vector<Local> locals = {}) {
  ModuleBuilder m;
  m.func(m.type({}, {}), std::move(code), std::move(locals));
  return m;
}

void expect_valid(ModuleBuilder m) {
  SCOPED_TRACE("expect_valid");
  compile_ok(m.build());
}

TEST(TypeErrors, I32AddOnF32Operands) {
  auto m = V({0x43, 0, 0, 0x80, 0x3F, 0x43, 0, 0, 0x80, 0x3F, 0x6A, 0x1A, 0x0B});
  CHECK_ERR(m, 10, "i32.add", "type mismatch: expected i32, got f32");
}

TEST(TypeErrors, EmptyStack) {
  auto m = V({0x6A, 0x1A, 0x0B});
  CHECK_ERR(m, 0, "i32.add", "type mismatch: expected i32 but the operand stack is empty");
  // Values outside a block are not visible inside it.
  auto n = V({0x41, 1, 0x02, 0x40, 0x1A, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(n, 4, "drop", "type mismatch: expected a value but the operand stack is empty");
  // One operand present, the other missing.
  auto o = V({0x41, 1, 0x6A, 0x1A, 0x0B});
  CHECK_ERR(o, 2, "i32.add", "operand stack is empty");
}

TEST(TypeErrors, ValuesLeftAtBlockEnd) {
  auto m = V({0x02, 0x40, 0x41, 1, 0x0B, 0x0B});
  CHECK_ERR(m, 4, "end", "type mismatch: values remain on the stack at the end of the block");
  auto f = V({0x41, 1, 0x0B});  // the function's own end
  CHECK_ERR(f, 2, "end", "values remain on the stack");
  auto l = V({0x03, 0x40, 0x42, 1, 0x0B, 0x0B});  // loop
  CHECK_ERR(l, 4, "end", "values remain on the stack");
}

TEST(TypeErrors, WrongBlockResult) {
  auto m = V({0x02, 0x7F, 0x42, 1, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(m, 4, "end", "type mismatch: expected i32, got i64");
  auto missing = V({0x02, 0x7F, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(missing, 2, "end", "type mismatch: expected i32 but the operand stack is empty");
  auto fn = single({}, {F64}, {0x43, 0, 0, 0, 0, 0x0B});
  CHECK_ERR(fn, 5, "end", "type mismatch: expected f64, got f32");
  auto els = V({0x41, 1, 0x04, 0x7F, 0x41, 1, 0x05, 0x42, 1, 0x0B, 0x1A, 0x0B});  // else branch
  CHECK_ERR(els, 9, "end", "expected i32, got i64");
  auto then = V({0x41, 1, 0x04, 0x7F, 0x42, 1, 0x05, 0x41, 1, 0x0B, 0x1A, 0x0B});  // then branch
  CHECK_ERR(then, 6, "else", "expected i32, got i64");
}

TEST(TypeErrors, IfWithoutElse) {
  auto m = V({0x41, 1, 0x04, 0x7F, 0x41, 2, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(m, 6, "end", "type mismatch: if without else must leave its parameters unchanged");
  // [i32] -> [i32]: allowed without else.
  ModuleBuilder ok;
  uint32_t t = ok.type({}, {});
  uint32_t bt = ok.type({I32}, {I32});
  ok.func(t, {0x41, 5, 0x41, 1, 0x04, uint8_t(bt), 0x41, 1, 0x6A, 0x0B, 0x1A, 0x0B});
  expect_valid(ok);
  // [i32] -> [i64] is not.
  ModuleBuilder bad;
  t = bad.type({}, {});
  bt = bad.type({I32}, {I64});
  bad.func(t, {0x41, 5, 0x41, 1, 0x04, uint8_t(bt), 0xAC, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(bad, 7, "end", "if without else must leave its parameters unchanged");
  // The condition must be an i32.
  auto cond = V({0x42, 1, 0x04, 0x40, 0x0B, 0x0B});
  CHECK_ERR(cond, 2, "if", "type mismatch: expected i32, got i64");
}

TEST(TypeErrors, UnknownLabel) {
  auto br = V({0x02, 0x40, 0x0C, 2, 0x0B, 0x0B});
  CHECK_ERR(br, 2, "br", "unknown label 2");
  auto br_if = V({0x41, 0, 0x0D, 1, 0x0B});
  CHECK_ERR(br_if, 2, "br_if", "unknown label 1");
  auto br_table = V({0x41, 0, 0x0E, 1, 0, 3, 0x0B});
  CHECK_ERR(br_table, 2, "br_table", "unknown label 3");
}

TEST(TypeErrors, BranchOperands) {
  auto br = single({}, {I32}, {0x02, 0x7F, 0x42, 1, 0x0C, 0, 0x0B, 0x0B});
  CHECK_ERR(br, 4, "br", "type mismatch: branch expects i32, got i64");
  auto none = single({}, {I32}, {0x0C, 0, 0x0B});
  CHECK_ERR(none, 0, "br", "type mismatch: not enough operands for the branch");
  auto ret = single({}, {I64}, {0x41, 0, 0x0F, 0x0B});
  CHECK_ERR(ret, 2, "return", "branch expects i64, got i32");
  auto br_if = V({0x02, 0x7F, 0x42, 1, 0x41, 1, 0x0D, 0, 0x1A, 0x41, 0, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(br_if, 6, "br_if", "type mismatch: expected i32, got i64");
}

TEST(TypeErrors, BrTable) {
  // Targets of different arities: the inner block takes nothing, the outer an i32.
  auto arity = V({0x02, 0x7F, 0x02, 0x40, 0x41, 0, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x41, 0, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(arity, 8, "br_table", "type mismatch: br_table targets have different arities");
  // Same arity, different types.
  auto types = V({0x02, 0x7E, 0x02, 0x7F, 0x41, 0, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x1A, 0x42, 0, 0x0B, 0x1A, 0x0B});
  CHECK_ERR(types, 8, "br_table", "branch expects i64, got i32");
  // The index must be an i32.
  auto index = V({0x42, 0, 0x0E, 0, 0, 0x0B});
  CHECK_ERR(index, 2, "br_table", "expected i32, got i64");
}

TEST(TypeErrors, Select) {
  auto differ = V({0x41, 1, 0x42, 2, 0x41, 1, 0x1B, 0x1A, 0x0B});
  CHECK_ERR(differ, 6, "select", "type mismatch: select operands differ");
  auto refs = V({0xD0, 0x70, 0xD0, 0x70, 0x41, 1, 0x1B, 0x1A, 0x0B});
  CHECK_ERR(refs, 6, "select", "type mismatch: select without a type needs numeric operands");
  auto cond = V({0x41, 1, 0x41, 2, 0x42, 1, 0x1B, 0x1A, 0x0B});
  CHECK_ERR(cond, 6, "select", "expected i32, got i64");
  // Typed select accepts references, and checks its operands against the type.
  expect_valid(V({0xD0, 0x70, 0xD0, 0x70, 0x41, 1, 0x1C, 1, 0x70, 0x1A, 0x0B}));
  auto typed = V({0xD0, 0x6F, 0xD0, 0x70, 0x41, 1, 0x1C, 1, 0x70, 0x1A, 0x0B});
  CHECK_ERR(typed, 6, "select", "type mismatch: expected funcref, got externref");
  auto arity = V({0x41, 1, 0x41, 1, 0x41, 1, 0x1C, 2, 0x7F, 0x7F, 0x1A, 0x0B});
  CHECK_ERR(arity, 6, "select", "invalid result arity for select");
}

TEST(TypeErrors, CallArguments) {
  ModuleBuilder m;
  uint32_t t_i32 = m.type({I32}, {});
  uint32_t t_void = m.type({}, {});
  m.func(t_i32, {0x0B});
  m.func(t_void, {0x42, 1, 0x10, 0, 0x0B});
  CHECK_ERR(m, 2, "call", "type mismatch: expected i32, got i64", kInvalid, 1, 1);

  ModuleBuilder few;
  t_i32 = few.type({I32, I32}, {});
  t_void = few.type({}, {});
  few.func(t_i32, {0x0B});
  few.func(t_void, {0x41, 1, 0x10, 0, 0x0B});
  CHECK_ERR(few, 2, "call", "type mismatch: expected i32 but the operand stack is empty", kInvalid, 1, 1);
}

TEST(TypeErrors, CallIndirect) {
  auto no_table = V({0x41, 0, 0x11, 0, 0, 0x0B});
  CHECK_ERR(no_table, 2, "call_indirect", "unknown table 0");

  auto extern_table = V({0x41, 0, 0x11, 0, 0, 0x0B});
  extern_table.table(ExternRef, 1);
  CHECK_ERR(extern_table, 2, "call_indirect", "type mismatch: call_indirect needs a funcref table");

  auto unknown_type = V({0x41, 0, 0x11, 5, 0, 0x0B});
  unknown_type.table(FuncRef, 1);
  CHECK_ERR(unknown_type, 2, "call_indirect", "unknown type 5");

  auto index = V({0x42, 0, 0x11, 0, 0, 0x0B});
  index.table(FuncRef, 1);
  CHECK_ERR(index, 2, "call_indirect", "expected i32, got i64");
}

TEST(TypeErrors, Globals) {
  auto immutable = V({0x41, 1, 0x24, 0, 0x0B});
  immutable.global(I32, false, i32_const(0));
  CHECK_ERR(immutable, 2, "global.set", "global is immutable: global 0");

  ModuleBuilder imported;  // an imported immutable global, index 0
  imported.import_global(I64, false);
  uint32_t t = imported.type({}, {});
  imported.func(t, {0x42, 1, 0x24, 0, 0x0B});
  CHECK_ERR(imported, 2, "global.set", "global is immutable");

  auto wrong = V({0x42, 1, 0x24, 0, 0x0B});
  wrong.global(I32, true, i32_const(0));
  CHECK_ERR(wrong, 2, "global.set", "type mismatch: expected i32, got i64");
  expect_valid([] {
    auto ok = V({0x41, 1, 0x24, 0, 0x0B});
    ok.global(I32, true, i32_const(0));
    return ok;
  }());
}

TEST(TypeErrors, UnknownIndices) {
  auto local_get = V({0x20, 5, 0x1A, 0x0B}, {{2, I32}});
  CHECK_ERR(local_get, 0, "local.get", "unknown local 5");
  auto local_set = single({I32}, {}, {0x41, 0, 0x21, 1, 0x0B});
  CHECK_ERR(local_set, 2, "local.set", "unknown local 1");
  auto local_tee = V({0x41, 0, 0x22, 0, 0x1A, 0x0B});
  CHECK_ERR(local_tee, 2, "local.tee", "unknown local 0");
  auto global_get = V({0x23, 0, 0x1A, 0x0B});
  CHECK_ERR(global_get, 0, "global.get", "unknown global 0");
  auto global_set = V({0x41, 0, 0x24, 1, 0x0B});
  global_set.global(I32, true, i32_const(0));
  CHECK_ERR(global_set, 2, "global.set", "unknown global 1");
  auto call = V({0x10, 3, 0x0B});
  CHECK_ERR(call, 0, "call", "unknown function 3");
  auto block_type = V({0x02, 9, 0x0B, 0x0B});
  CHECK_ERR(block_type, 0, "block", "unknown type 9");
  auto table_get = V({0x41, 0, 0x25, 2, 0x1A, 0x0B});
  table_get.table(FuncRef, 1);
  CHECK_ERR(table_get, 2, "table.get", "unknown table 2");
  auto table_size = V({0xFC, 16, 0, 0x1A, 0x0B});
  CHECK_ERR(table_size, 0, "0xFC-prefixed instruction", "unknown table 0");
  auto elem_drop = V({0xFC, 13, 0, 0x0B});
  CHECK_ERR(elem_drop, 0, "0xFC-prefixed instruction", "unknown elem segment 0");
}

TEST(TypeErrors, MemoryOpsNeedAMemory) {
  auto load = V({0x41, 0, 0x28, 2, 0, 0x1A, 0x0B});
  CHECK_ERR(load, 2, "i32.load", "unknown memory 0");
  auto store = V({0x41, 0, 0x42, 0, 0x37, 3, 0, 0x0B});
  CHECK_ERR(store, 4, "i64.store", "unknown memory 0");
  auto size = V({0x3F, 0, 0x1A, 0x0B});
  CHECK_ERR(size, 0, "memory.size", "unknown memory 0");
  auto grow = V({0x41, 1, 0x40, 0, 0x1A, 0x0B});
  CHECK_ERR(grow, 2, "memory.grow", "unknown memory 0");
  auto fill = V({0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 11, 0, 0x0B});
  CHECK_ERR(fill, 6, "0xFC-prefixed instruction", "unknown memory 0");
}

TEST(TypeErrors, Alignment) {
  auto load = V({0x41, 0, 0x28, 3, 0, 0x1A, 0x0B});
  load.memory(1);
  CHECK_ERR(load, 2, "i32.load", "alignment must not be larger than natural");
  auto load8 = V({0x41, 0, 0x2D, 1, 0, 0x1A, 0x0B});
  load8.memory(1);
  CHECK_ERR(load8, 2, "i32.load8_u", "alignment must not be larger than natural");
  auto store = V({0x41, 0, 0x41, 0, 0x36, 3, 0, 0x0B});
  store.memory(1);
  CHECK_ERR(store, 4, "i32.store", "alignment must not be larger than natural");
  auto natural = V({0x41, 0, 0x29, 3, 0, 0x1A, 0x41, 0, 0x2D, 0, 0, 0x1A, 0x0B});  // i64.load 8, i32.load8_u 1
  natural.memory(1);
  expect_valid(natural);
}

TEST(TypeErrors, RefFunc) {
  auto undeclared = V({0xD2, 0, 0x1A, 0x0B});
  CHECK_ERR(undeclared, 0, "ref.func", "undeclared function reference 0");
  auto unknown = V({0xD2, 7, 0x1A, 0x0B});
  CHECK_ERR(unknown, 0, "ref.func", "unknown function 7");

  ModuleBuilder declarative;  // (elem declare func 0)
  uint32_t t = declarative.type({}, {});
  declarative.func(t, {0xD2, 0, 0x1A, 0x0B});
  declarative.elem({0x03, 0x00, 0x01, 0x00});
  expect_valid(declarative);

  ModuleBuilder by_global;  // (global funcref (ref.func 0))
  t = by_global.type({}, {});
  by_global.func(t, {0xD2, 0, 0x1A, 0x0B});
  by_global.global(FuncRef, false, {0xD2, 0});
  expect_valid(by_global);

  expect_valid(single({}, {}, {0xD2, 0, 0x1A, 0x0B}));  // declared by its export
}

TEST(TypeErrors, DataCountSection) {
  auto drop = V({0xFC, 9, 0, 0x0B});
  drop.memory(1);
  drop.data({0x01, 0x00});  // passive, empty
  CHECK_ERR(drop, 0, "0xFC-prefixed instruction", "data count section required", kMalformed);

  auto init = V({0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 8, 0, 0, 0x0B});
  init.memory(1);
  init.data({0x01, 0x00});
  CHECK_ERR(init, 6, "0xFC-prefixed instruction", "data count section required", kMalformed);

  auto ok = V({0xFC, 9, 0, 0x0B});
  ok.memory(1);
  ok.data_count(1);
  ok.data({0x01, 0x00});
  expect_valid(ok);

  auto unknown = V({0xFC, 9, 1, 0x0B});
  unknown.memory(1);
  unknown.data_count(1);
  unknown.data({0x01, 0x00});
  CHECK_ERR(unknown, 0, "0xFC-prefixed instruction", "unknown data segment 1");
}

TEST(TypeErrors, UnreachableCodeIsPolymorphic) {
  expect_valid(V({0x00, 0x6A, 0x1A, 0x0B}));                    // unreachable i32.add drop
  expect_valid(V({0x00, 0x41, 0, 0x6A, 0x1A, 0x0B}));           // one known operand
  expect_valid(V({0x00, 0x1B, 0x1A, 0x0B}));                    // select of unknowns
  expect_valid(V({0x00, 0x0D, 0, 0x0B}));                       // br_if 0
  expect_valid(V({0x00, 0x0E, 0, 0, 0x0B}));                    // br_table
  expect_valid(V({0x0F, 0x6A, 0x1A, 0x0B}));                    // after return
  expect_valid(V({0x02, 0x40, 0x0C, 0, 0x42, 0, 0x50, 0x1A, 0x0B, 0x0B}));  // after br
  expect_valid(V({0x02, 0x7F, 0x00, 0x0B, 0x1A, 0x0B}));        // block result from nothing
  expect_valid(single({}, {I32}, {0x00, 0x0B}));                // function result from nothing
  expect_valid(single({}, {I64}, {0x00, 0x0D, 0, 0x0B}));       // br_if leaves an i64
  expect_valid(V({0x00, 0x02, 0x7F, 0x00, 0x0B, 0x1A, 0x0B}));  // nested block in dead code
  expect_valid(V({0x00, 0x04, 0x40, 0x0B, 0x0B}));              // if with an unknown condition

  // unreachable br_if 0 i64.extend_i32_u: br_if re-types the label's value as i64.
  auto extend = single({}, {I64}, {0x00, 0x0D, 0, 0xAD, 0x0B});
  CHECK_ERR(extend, 3, "i64.extend_i32_u", "type mismatch: expected i32, got i64");
  auto known = V({0x00, 0x42, 0, 0x6A, 0x1A, 0x0B});  // a known operand keeps its type
  CHECK_ERR(known, 3, "i32.add", "type mismatch: expected i32, got i64");
  auto left = V({0x00, 0x42, 0, 0x0B});  // values pushed after unreachable still count
  CHECK_ERR(left, 3, "end", "values remain on the stack");
  auto result = single({}, {I32}, {0x00, 0x42, 0, 0x0B});
  CHECK_ERR(result, 3, "end", "expected i32, got i64");
  // Unreachable inside a block does not make the enclosing code polymorphic.
  auto scoped = V({0x02, 0x40, 0x00, 0x0B, 0x6A, 0x1A, 0x0B});
  CHECK_ERR(scoped, 4, "i32.add", "operand stack is empty");
  auto select_differ = V({0x00, 0x41, 0, 0x42, 0, 0x41, 1, 0x1B, 0x1A, 0x0B});
  CHECK_ERR(select_differ, 7, "select", "select operands differ");
}

}  // namespace
}  // namespace wnn::valid::test
