// Type errors in function bodies: each is rejected with a message naming the
// function, the byte offset and the name of the failing instruction.
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "wat_module.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;
constexpr ErrorKind kInvalid = ErrorKind::Invalid;
constexpr ErrorKind kMalformed = ErrorKind::Malformed;

// Expects `m` to fail with `kind` and a message that starts with
// "function <index>, at offset <offset of body byte `at`> (<instr>): " and
// contains `msg` (the full message where it matters).
void check_bytes(const Bytes& bytes, size_t body_offset, size_t at, const std::string& instr, const std::string& msg,
                 ErrorKind kind, uint32_t index) {
  Error e = compile_error(bytes);
  EXPECT_EQ(e.kind, kind) << e.message;
  std::string where =
      "function " + std::to_string(index) + ", at offset " + std::to_string(body_offset + at) + " (" + instr + "): ";
  EXPECT_EQ(e.message.rfind(where, 0), 0u) << "\"" << e.message << "\" does not start with \"" << where << "\"";
  EXPECT_HAS_SUBSTR(e.message, msg);
}
void check(ModuleBuilder& m, size_t at, const std::string& instr, const std::string& msg, ErrorKind kind = kInvalid,
           uint32_t defined = 0, uint32_t index = 0) {
  Bytes bytes = m.build();
  check_bytes(bytes, m.body_offset(defined), at, instr, msg, kind, index);
}
// The same for wat/invalid_<name>.wat; `at` is relative to the body, as above.
void check(const std::string& name, size_t at, const std::string& instr, const std::string& msg,
           ErrorKind kind = kInvalid, uint32_t defined = 0, uint32_t index = 0) {
  Bytes bytes = wat_module("invalid_" + name);
  check_bytes(bytes, wat_body_offset(bytes, defined), at, instr, msg, kind, index);
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
  CHECK_ERR("i32_add_on_f32", 10, "i32.add", "type mismatch: expected i32, got f32");
}

TEST(TypeErrors, EmptyStack) {
  CHECK_ERR("add_on_empty_stack", 0, "i32.add", "type mismatch: expected i32 but the operand stack is empty");
  // Values outside a block are not visible inside it.
  CHECK_ERR("drop_outer_value", 4, "drop", "type mismatch: expected a value but the operand stack is empty");
  // One operand present, the other missing.
  CHECK_ERR("add_one_operand", 2, "i32.add", "operand stack is empty");
}

TEST(TypeErrors, ValuesLeftAtBlockEnd) {
  CHECK_ERR("value_left_in_block", 4, "end", "type mismatch: values remain on the stack at the end of the block");
  CHECK_ERR("value_left_in_function", 2, "end", "values remain on the stack");
  CHECK_ERR("value_left_in_loop", 4, "end", "values remain on the stack");
}

TEST(TypeErrors, WrongBlockResult) {
  CHECK_ERR("block_result_i64", 4, "end", "type mismatch: expected i32, got i64");
  CHECK_ERR("block_result_missing", 2, "end", "type mismatch: expected i32 but the operand stack is empty");
  CHECK_ERR("function_result_f32", 5, "end", "type mismatch: expected f64, got f32");
  CHECK_ERR("else_result_i64", 9, "end", "expected i32, got i64");
  CHECK_ERR("then_result_i64", 6, "else", "expected i32, got i64");
}

TEST(TypeErrors, IfWithoutElse) {
  CHECK_ERR("if_without_else_result", 6, "end", "type mismatch: if without else must leave its parameters unchanged");
  // [i32] -> [i32]: allowed without else.
  ModuleBuilder ok;
  uint32_t t = ok.type({}, {});
  uint32_t bt = ok.type({I32}, {I32});
  ok.func(t, {0x41, 5, 0x41, 1, 0x04, uint8_t(bt), 0x41, 1, 0x6A, 0x0B, 0x1A, 0x0B});
  expect_valid(ok);
  // [i32] -> [i64] is not.
  CHECK_ERR("if_without_else_i32_to_i64", 7, "end", "if without else must leave its parameters unchanged");
  // The condition must be an i32.
  CHECK_ERR("if_condition_i64", 2, "if", "type mismatch: expected i32, got i64");
}

TEST(TypeErrors, UnknownLabel) {
  CHECK_ERR("br_unknown_label", 2, "br", "unknown label 2");
  CHECK_ERR("br_if_unknown_label", 2, "br_if", "unknown label 1");
  CHECK_ERR("br_table_unknown_label", 2, "br_table", "unknown label 3");
}

TEST(TypeErrors, BranchOperands) {
  CHECK_ERR("br_operand_i64", 4, "br", "type mismatch: branch expects i32, got i64");
  CHECK_ERR("br_no_operand", 0, "br", "type mismatch: not enough operands for the branch");
  CHECK_ERR("return_i32_for_i64", 2, "return", "branch expects i64, got i32");
  CHECK_ERR("br_if_operand_i64", 6, "br_if", "type mismatch: expected i32, got i64");
}

TEST(TypeErrors, BrTable) {
  // Targets of different arities: the inner block takes nothing, the outer an i32.
  CHECK_ERR("br_table_arities", 8, "br_table", "type mismatch: br_table targets have different arities");
  // Same arity, different types.
  CHECK_ERR("br_table_types", 8, "br_table", "branch expects i64, got i32");
  // The index must be an i32.
  CHECK_ERR("br_table_index_i64", 2, "br_table", "expected i32, got i64");
}

TEST(TypeErrors, Select) {
  CHECK_ERR("select_differ", 6, "select", "type mismatch: select operands differ");
  CHECK_ERR("select_refs_untyped", 6, "select", "type mismatch: select without a type needs numeric operands");
  CHECK_ERR("select_cond_i64", 6, "select", "expected i32, got i64");
  // Typed select accepts references, and checks its operands against the type.
  expect_valid(V({0xD0, 0x70, 0xD0, 0x70, 0x41, 1, 0x1C, 1, 0x70, 0x1A, 0x0B}));
  CHECK_ERR("select_typed_mismatch", 6, "select", "type mismatch: expected funcref, got externref");
  CHECK_ERR("select_arity_two", 6, "select", "invalid result arity for select");
}

TEST(TypeErrors, CallArguments) {
  CHECK_ERR("call_argument_i64", 2, "call", "type mismatch: expected i32, got i64", kInvalid, 1, 1);
  CHECK_ERR("call_too_few_arguments", 2, "call", "type mismatch: expected i32 but the operand stack is empty", kInvalid,
            1, 1);
}

TEST(TypeErrors, CallIndirect) {
  CHECK_ERR("call_indirect_no_table", 2, "call_indirect", "unknown table 0");
  CHECK_ERR("call_indirect_extern_table", 2, "call_indirect", "type mismatch: call_indirect needs a funcref table");
  CHECK_ERR("call_indirect_unknown_type", 2, "call_indirect", "unknown type 5");
  CHECK_ERR("call_indirect_index_i64", 2, "call_indirect", "expected i32, got i64");
}

TEST(TypeErrors, Globals) {
  CHECK_ERR("global_set_immutable", 2, "global.set", "global is immutable: global 0");
  CHECK_ERR("global_set_imported_immutable", 2, "global.set", "global is immutable");
  CHECK_ERR("global_set_wrong_type", 2, "global.set", "type mismatch: expected i32, got i64");
  expect_valid([] {
    auto ok = V({0x41, 1, 0x24, 0, 0x0B});
    ok.global(I32, true, i32_const(0));
    return ok;
  }());
}

TEST(TypeErrors, UnknownIndices) {
  CHECK_ERR("local_get_unknown", 0, "local.get", "unknown local 5");
  CHECK_ERR("local_set_unknown", 2, "local.set", "unknown local 1");
  CHECK_ERR("local_tee_unknown", 2, "local.tee", "unknown local 0");
  CHECK_ERR("global_get_unknown", 0, "global.get", "unknown global 0");
  CHECK_ERR("global_set_unknown", 2, "global.set", "unknown global 1");
  CHECK_ERR("call_unknown", 0, "call", "unknown function 3");
  // Bytes: wat2wasm encodes `block (type 9)` of an undefined type as an empty block type.
  auto block_type = V({0x02, 9, 0x0B, 0x0B});
  CHECK_ERR(block_type, 0, "block", "unknown type 9");
  CHECK_ERR("table_get_unknown", 2, "table.get", "unknown table 2");
  CHECK_ERR("table_size_unknown", 0, "0xFC-prefixed instruction", "unknown table 0");
  CHECK_ERR("elem_drop_unknown", 0, "0xFC-prefixed instruction", "unknown elem segment 0");
}

TEST(TypeErrors, MemoryOpsNeedAMemory) {
  CHECK_ERR("load_without_memory", 2, "i32.load", "unknown memory 0");
  CHECK_ERR("store_without_memory", 4, "i64.store", "unknown memory 0");
  CHECK_ERR("size_without_memory", 0, "memory.size", "unknown memory 0");
  CHECK_ERR("grow_without_memory", 2, "memory.grow", "unknown memory 0");
  CHECK_ERR("fill_without_memory", 6, "0xFC-prefixed instruction", "unknown memory 0");
}

TEST(TypeErrors, Alignment) {
  CHECK_ERR("load_align_8", 2, "i32.load", "alignment must not be larger than natural");
  CHECK_ERR("load8_align_2", 2, "i32.load8_u", "alignment must not be larger than natural");
  CHECK_ERR("store_align_8", 4, "i32.store", "alignment must not be larger than natural");
  auto natural = V({0x41, 0, 0x29, 3, 0, 0x1A, 0x41, 0, 0x2D, 0, 0, 0x1A, 0x0B});  // i64.load 8, i32.load8_u 1
  natural.memory(1);
  expect_valid(natural);
}

TEST(TypeErrors, RefFunc) {
  CHECK_ERR("ref_func_undeclared", 0, "ref.func", "undeclared function reference 0");
  CHECK_ERR("ref_func_unknown", 0, "ref.func", "unknown function 7");

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

// Bytes where the section is missing: wat2wasm always writes a data count
// section when a body uses data.drop or memory.init.
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

  CHECK_ERR("data_drop_unknown", 0, "0xFC-prefixed instruction", "unknown data segment 1");
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
  CHECK_ERR("unreachable_br_if_extend", 3, "i64.extend_i32_u", "type mismatch: expected i32, got i64");
  CHECK_ERR("unreachable_known_operand", 3, "i32.add", "type mismatch: expected i32, got i64");
  CHECK_ERR("unreachable_values_left", 3, "end", "values remain on the stack");
  CHECK_ERR("unreachable_result_i64", 3, "end", "expected i32, got i64");
  // Unreachable inside a block does not make the enclosing code polymorphic.
  CHECK_ERR("unreachable_scoped", 4, "i32.add", "operand stack is empty");
  CHECK_ERR("unreachable_select_differ", 7, "select", "select operands differ");
}

}  // namespace
}  // namespace wnn::valid::test
