// White-box: the shape of the translated code (src/exec/code.h) for small
// bodies: local.get elision, results written straight into locals, branch
// copies, frame layout.
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "exec/code.h"
#include "exec/op_info.h"
#include "valid/compiled_module.h"
#include "wat_module.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using exec::Handler;
using exec::Word;

const exec::FunctionCode& code_of(const std::shared_ptr<const CompiledModule>& c, size_t i = 0) {
  return c->code.at(i);
}

TEST(Translation, AddIntoLocalIsOneInstruction) {
  auto c = compile_ok(wat_module("translate_add_into_local"));
  ASSERT_NE(c, nullptr);
  const auto& fc = code_of(c);
  ASSERT_EQ(fc.code.size(), 4u);
  EXPECT_EQ(fc.code[0].h, &exec::op_i32_add);
  EXPECT_EQ(fc.code[1].a, 2u);  // destination: local 2
  EXPECT_EQ(fc.code[1].b, 0u);  // first operand: local 0
  EXPECT_EQ(fc.code[2].a, 1u);  // second operand: local 1
  EXPECT_EQ(fc.code[3].h, &exec::op_return);
}

TEST(Translation, FrameLayout) {
  // 2 params, 5 locals, an operand stack of at most 3.
  auto c = compile_ok(wat_module("translate_frame_layout"));
  ASSERT_NE(c, nullptr);
  const auto& fc = code_of(c);
  EXPECT_EQ(fc.param_slots, 2u);
  EXPECT_EQ(fc.local_slots, 5u);
  EXPECT_EQ(fc.result_slots, 1u);
  EXPECT_EQ(fc.frame_slots, 8u);
}

TEST(Translation, FrameHoldsTheResults) {
  // No params, no locals, three results pushed by constants: 3 slots.
  auto c = compile_ok(wat_module("translate_frame_results"));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(code_of(c).frame_slots, 3u);
  EXPECT_EQ(code_of(c).result_slots, 3u);
  // Results from unreachable code: the frame must still hold them.
  EXPECT_GE(code_of(c, 1).frame_slots, 2u);
}

TEST(Translation, LocalGetEmitsNothing) {
  auto c = compile_ok(wat_module("translate_local_get_nothing"));
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(code_of(c).code.size(), 1u);
  EXPECT_EQ(code_of(c).code[0].h, &exec::op_return);
}

TEST(Translation, ResultOfLocalGetIsCopiedToResultSlot) {
  auto c = compile_ok(wat_module("translate_result_of_local_get"));
  ASSERT_NE(c, nullptr);
  // local.get 0 as the result: copy fp[0] <- fp[0] is elided.
  ASSERT_EQ(code_of(c, 0).code.size(), 1u);
  // local.get 1 as the result: one copy fp[0] <- fp[1].
  const auto& fc = code_of(c, 1);
  ASSERT_EQ(fc.code.size(), 3u);
  EXPECT_EQ(fc.code[0].h, &exec::op_copy);
  EXPECT_EQ(fc.code[1].a, 0u);
  EXPECT_EQ(fc.code[1].b, 1u);
}

TEST(Translation, LocalTeeWritesTheLocalDirectly) {
  // i32.const 7 local.tee 1 local.get 1 i32.add local.set 0: the constant is
  // written straight to local 1, and stays an immediate for the
  // (commutative) add, whose result goes straight to local 0.
  auto c = compile_ok(wat_module("translate_local_tee"));
  ASSERT_NE(c, nullptr);
  const auto& fc = code_of(c);
  ASSERT_GE(fc.code.size(), 6u);
  EXPECT_EQ(fc.code[0].h, &exec::op_const);
  EXPECT_EQ(fc.code[1].a, 1u);
  EXPECT_EQ(fc.code[2].u64, 7u);
  EXPECT_EQ(fc.code[3].h, &exec::op_i32_add_imm);
  EXPECT_EQ(fc.code[4].a, 0u);  // result: local 0
  EXPECT_EQ(fc.code[4].b, 1u);  // local 1
  EXPECT_EQ(fc.code[5].a, 7u);  // the immediate
}

TEST(Translation, ConstantSumsFoldIntoLoadsAndStores) {
  auto c = compile_ok(wat_module("translate_constant_sums_memory"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c).code;
  ASSERT_EQ(code.size(), 13u);
  EXPECT_EQ(code[0].h, &exec::op_i32_add_mem);  // y + load(u32(x + 8) + 4)
  EXPECT_EQ(code[1].b, 1u);                      // local 1
  EXPECT_EQ(code[2].a, 0u);                      // address: local 0
  EXPECT_EQ(code[2].b, 8u);                      // + 8
  EXPECT_EQ(code[3].a, 4u);                      // offset
  EXPECT_EQ(code[4].h, &exec::op_i32_store_at_sum_imm);
  EXPECT_EQ(code[5].a, 0u);   // address: local 0
  EXPECT_EQ(code[6].a, 12u);  // + 16 - 4
  EXPECT_EQ(code[6].b, 2u);   // offset
  EXPECT_EQ(code[7].h, &exec::op_i32_add_imm);  // the result, materialised for the return
  EXPECT_EQ(code[9].a, 64u);
}

TEST(Translation, LoadThenStoreIsOneMove) {
  // One byte moved.
  auto c = compile_ok(wat_module("translate_load_then_store"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c, 0).code;
  ASSERT_GE(code.size(), 4u);
  EXPECT_EQ(code[0].h, &exec::op_mem_move8);
  EXPECT_EQ(code[1].a, 1u);  // destination address: local 1
  EXPECT_EQ(code[1].b, 0u);  // source address: local 0
  EXPECT_EQ(code[2].a, 8u);  // source + 8
  EXPECT_EQ(code[2].b, 1u);  // source offset
  EXPECT_EQ(code[3].a, 0u);
  EXPECT_EQ(code[3].b, 3u);  // destination offset
  // Different widths stay two instructions: i32.load8_u then i32.store16.
  EXPECT_EQ(code_of(c, 1).code[0].h, &exec::op_i32_load8_u);
}

TEST(Translation, StoringAConstantIsOneInstruction) {
  auto c = compile_ok(wat_module("translate_store_constant"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c).code;
  ASSERT_GE(code.size(), 4u);
  EXPECT_EQ(code[0].h, &exec::op_i32_store8_const);
  EXPECT_EQ(code[1].a, 0u);  // address: local 0
  EXPECT_EQ(code[1].b, 4u);  // + 4
  EXPECT_EQ(code[2].a, 2u);  // offset
  EXPECT_EQ(code[3].u64 & 0xFF, 7u);
}

TEST(Translation, BytesToNormalisedFloats) {
  // u8 -> f32, then a division and a subtraction by constants, in two
  // instructions.
  auto c = compile_ok(wat_module("translate_bytes_to_floats"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c, 0).code;
  ASSERT_GE(code.size(), 6u);
  EXPECT_EQ(code[0].h, &exec::op_f32_convert_load8_u);
  EXPECT_EQ(code[3].h, &exec::op_f32_div_then_sub_imm);
  EXPECT_EQ(code[5].a, 0x437F0000u);  // 255
  EXPECT_EQ(code[5].b, 0x3F000000u);  // 0.5
  // 2 * (x + 1): the multiply's operands swap, so its result goes to another
  // slot than the add's: no pair.
  EXPECT_EQ(code_of(c, 1).code[0].h, &exec::op_f32_add_imm);
  EXPECT_EQ(code_of(c, 1).code[3].h, &exec::op_f32_mul_imm);
}

TEST(Translation, MaskOfAConstantSumIsOneInstruction) {
  auto c = compile_ok(wat_module("translate_mask_of_sum"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c).code;
  ASSERT_GE(code.size(), 3u);
  EXPECT_EQ(code[0].h, &exec::op_i32_add_then_and_imm);
  EXPECT_EQ(code[1].b, 0u);     // local 0
  EXPECT_EQ(code[2].a, 1u);     // + 1
  EXPECT_EQ(code[2].b, 1023u);  // & 1023
}

TEST(Translation, MultiplyThenAddAConstantIsOneInstruction) {
  auto c = compile_ok(wat_module("translate_multiply_then_add"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c).code;
  ASSERT_GE(code.size(), 3u);
  EXPECT_EQ(code[0].h, &exec::op_i32_mul_then_add_imm);
  EXPECT_EQ(code[1].a, 0u);  // straight into local 0
  EXPECT_EQ(code[1].b, 0u);
  EXPECT_EQ(code[2].a, 5u);
  EXPECT_EQ(code[2].b, 7u);
}

TEST(Translation, ScaledIndexFoldsIntoTheLoad) {
  // One load of u32(l0 + (l1 << 2) + 64) + 8.
  auto c = compile_ok(wat_module("translate_scaled_index"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c).code;
  ASSERT_GE(code.size(), 5u);
  EXPECT_EQ(code[0].h, &exec::op_i32_load_at_scaled);
  EXPECT_EQ(code[1].b, 0u);   // base: local 0
  EXPECT_EQ(code[2].a, 1u);   // index: local 1
  EXPECT_EQ(code[2].b, 2u);   // shift
  EXPECT_EQ(code[3].a, 64u);  // constant
  EXPECT_EQ(code[3].b, 8u);   // offset
}

TEST(Translation, LoadFeedingABinaryOpIsFused) {
  // The load is the first operand of a commutative op, so the operands swap.
  auto c = compile_ok(wat_module("translate_load_feeds_binary"));
  ASSERT_NE(c, nullptr);
  const auto& code = code_of(c, 0).code;
  ASSERT_GE(code.size(), 3u);
  EXPECT_EQ(code[0].h, &exec::op_f32_mul_mem);
  EXPECT_EQ(code[1].b, 1u);  // a: local 1
  EXPECT_EQ(code[2].a, 0u);  // address: local 0
  // The load of a constant sum fuses too: (addr, imm) (offset, -).
  const auto& ecode = code_of(c, 1).code;
  ASSERT_GE(ecode.size(), 4u);
  EXPECT_EQ(ecode[0].h, &exec::op_f32_mul_mem);
  EXPECT_EQ(ecode[2].a, 0u);   // address: local 0
  EXPECT_EQ(ecode[2].b, 16u);  // + 16
  EXPECT_EQ(ecode[3].a, 4u);   // offset
  // f32.sub is not commutative: load - x stays a load and a sub.
  EXPECT_EQ(code_of(c, 2).code[0].h, &exec::op_f32_load);
}

TEST(Translation, NoPatchWhenTheLocalIsStillOnTheStack) {
  // local.get 0 i32.const 1 local.set 0: the old value is saved to its
  // canonical slot (2) before local 0 changes.
  auto c = compile_ok(wat_module("translate_local_still_on_stack"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c).code;
  // copy 2 <- 0; const 0 <- 1; copy 0 <- 2 (result); return.
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w[0].h, &exec::op_copy);
  EXPECT_EQ(w[1].a, 2u);
  EXPECT_EQ(w[1].b, 0u);
  EXPECT_EQ(w[2].h, &exec::op_const);
  EXPECT_EQ(w[3].a, 0u);
  EXPECT_EQ(w[4].u64, 1u);
  EXPECT_EQ(w[5].h, &exec::op_copy);
  EXPECT_EQ(w[6].a, 0u);
  EXPECT_EQ(w[6].b, 2u);
  EXPECT_EQ(w[7].h, &exec::op_return);
}

TEST(Translation, ConstantsBecomeImmediatesAndComparisonsFuseWithBranches) {
  // (loop (br_if 0 (i32.lt_s (local.get 0) (i32.const 10)))): one instruction.
  auto c = compile_ok(wat_module("translate_compare_and_branch"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c, 0).code;
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].h, &exec::op_br_i32_lt_s_imm_loop);  // a back-edge: charges the budget
  EXPECT_EQ(w[1].a, 0u);
  EXPECT_EQ(w[1].b, 10u);
  EXPECT_EQ(int32_t(w[2].a), 0);    // back to the loop start: itself
  EXPECT_EQ(w[2].b, 4u);  // the loop body's 4 instructions
  EXPECT_EQ(w[3].h, &exec::op_return);
  // (if (i32.eq (local.get 0) (local.get 1)) (then nop)): the inverse
  // comparison jumps past the then-branch.
  const auto& v = code_of(c, 1).code;
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].h, &exec::op_br_i32_ne);
  EXPECT_EQ(int32_t(v[2].a), 3);
  // i32.eqz feeding br_if is br_unless; feeding if, a plain br_if.
  ASSERT_EQ(code_of(c, 2).code.size(), 3u);
  EXPECT_EQ(code_of(c, 2).code[0].h, &exec::op_br_unless);
  EXPECT_EQ(code_of(c, 2).code[1].b, 0u);
  EXPECT_EQ(code_of(c, 3).code[0].h, &exec::op_br_if);
  // A constant first operand of a non-commutative op is swapped where it can
  // be: 10 > x is x < 10.
  EXPECT_EQ(code_of(c, 4).code[0].h, &exec::op_i32_lt_s_imm);
  // i64 immediates are 64 bits wide: x + 2^32 is one instruction.
  EXPECT_EQ(code_of(c, 5).code[0].h, &exec::op_i64_add_imm);
  EXPECT_EQ(code_of(c, 5).code[2].u64, uint64_t(1) << 32);
  // ... but an i64 comparison with such a constant cannot fuse with br_if
  // (the branch form holds 32 bits).
  EXPECT_EQ(code_of(c, 6).code[0].h, &exec::op_i64_eq_imm);
  EXPECT_EQ(code_of(c, 6).code[3].h, &exec::op_br_if);
  // Division by a constant that cannot trap uses an immediate; by 0 or
  // (signed) -1 it stays a trapping division.
  EXPECT_EQ(code_of(c, 7).code[0].h, &exec::op_i32_div_s_imm);
  EXPECT_NE(code_of(c, 8).code[0].h, &exec::op_i32_div_s_imm);
}

TEST(Translation, EqzFoldsIntoComparisonsAndBranches) {
  auto c = compile_ok(wat_module("translate_eqz_folds"));
  ASSERT_NE(c, nullptr);
  // i64.eqz then br_if: one compare-and-branch with 0.
  EXPECT_EQ(code_of(c, 0).code[0].h, &exec::op_br_i64_eq_imm);
  // i32.lt_u, i32.eqz then br_if: branch on >=.
  EXPECT_EQ(code_of(c, 1).code[0].h, &exec::op_br_i32_ge_u);
}

TEST(Translation, BranchCopiesIntoTheBlockResultSlot) {
  auto c = compile_ok(wat_module("translate_branch_copies_result"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c).code;
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[0].h, &exec::op_copy);  // block result slot = local_slots + 0 = 1
  EXPECT_EQ(w[1].a, 1u);
  EXPECT_EQ(w[1].b, 0u);
  EXPECT_EQ(w[2].h, &exec::op_br);
  EXPECT_EQ(int32_t(w[3].a), 2);          // to the end of the block
  EXPECT_EQ(w[4].h, &exec::op_copy);  // function result
  EXPECT_EQ(w[5].a, 0u);
  EXPECT_EQ(w[5].b, 1u);
  EXPECT_EQ(w[6].h, &exec::op_return);
}

TEST(Translation, ValueAlreadyInTheResultSlotNeedsNoCopy) {
  // (block (result i32) i32.const 7 br 0): the constant is written to the
  // block's result slot; the branch is just a jump.
  auto c = compile_ok(wat_module("translate_value_in_result_slot"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c).code;
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[0].h, &exec::op_const);
  EXPECT_EQ(w[1].a, 0u);
  EXPECT_EQ(w[3].h, &exec::op_br);
  EXPECT_EQ(int32_t(w[4].a), 2);
  EXPECT_EQ(w[5].h, &exec::op_return);
}

TEST(Translation, DeadCodeEmitsNothing) {
  auto c = compile_ok(wat_module("translate_dead_code"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c).code;
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].h, &exec::op_unreachable);
}

TEST(Translation, LoopBranchGoesBackToTheStart) {
  // (loop local.get 0 br_if 0): br_if with a negative offset to the loop start.
  auto c = compile_ok(wat_module("translate_loop_branch"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c).code;
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].h, &exec::op_br_if_loop);
  EXPECT_EQ(int32_t(w[1].a), 0);
  EXPECT_EQ(w[1].b, 0u);
  EXPECT_EQ(w[2].a, 2u);  // charge: local.get, br_if
  EXPECT_EQ(w[3].h, &exec::op_return);
}

TEST(Translation, CallArgumentsAreMaterialised) {
  // f0 (i32 i32) -> i32; f1 (i32) -> i32: local.get 0 local.get 0 call 0.
  auto c = compile_ok(wat_module("translate_call_arguments"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c, 1).code;
  // copy 1 <- 0; copy 2 <- 0; call (0, base 1); copy 0 <- 1; return
  ASSERT_EQ(w.size(), 9u);
  EXPECT_EQ(w[0].h, &exec::op_copy);
  EXPECT_EQ(w[1].a, 1u);
  EXPECT_EQ(w[2].h, &exec::op_copy);
  EXPECT_EQ(w[3].a, 2u);
  EXPECT_EQ(w[4].h, &exec::op_call);
  EXPECT_EQ(w[5].a, 0u);
  EXPECT_EQ(w[5].b, 1u);
  EXPECT_EQ(w[6].h, &exec::op_copy);
  EXPECT_EQ(w[8].h, &exec::op_return);
}

// op_info walks translated code exactly: every instruction's size, a
// br_table's targets included, ends where the code ends.
TEST(Translation, OpInfoWalksTheCodeToItsEnd) {
  auto c = compile_ok(wat_module("translate_op_info_walk"));
  ASSERT_NE(c, nullptr);
  const auto& w = code_of(c).code;
  size_t i = 0, n = 0;
  bool saw_table = false;
  while (i < w.size()) {
    const exec::OpInfo* op = exec::op_info(w[i].h);
    ASSERT_NE(op, nullptr) << "word " << i;
    saw_table |= w[i].h == &exec::op_br_table;
    i += op->words(&w[i]);
    ++n;
  }
  EXPECT_EQ(i, w.size());
  EXPECT_TRUE(saw_table);
  EXPECT_GE(n, 3u);
}

}  // namespace
}  // namespace wnn::valid::test
