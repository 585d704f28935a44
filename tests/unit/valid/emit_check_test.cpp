// The translator's emit refuses an op with another layout's operands: a bug
// in wnn becomes an ErrorKind::Internal error naming both layouts, never
// code whose handler reads its operands from the wrong words.
#include <gtest/gtest.h>

#include "binary/decoder.h"
#include "compile_checks.h"
#include "valid/translator.h"
#include "wat_module.h"

namespace wnn::valid {

// Emits on a Translator of `cx`'s function 0 before it runs.
struct EmitCheckProbe {
  struct Result {
    size_t at;
    size_t code_words;
    bool failed;
    Error error;
  };
  template <typename L> static Result emit(const ModuleContext& cx, Handler h, const L& ops) {
    Translator t(cx, 0);
    Ctrl fn;  // the function's block: live code
    fn.opcode = 0x00;
    t.ctrls_.push_back(fn);
    const size_t at = t.emit(h, ops);
    return {at, t.code_.size(), t.failed_, t.error_};
  }
};

namespace {

TEST(EmitCheck, AnOpWithAnotherLayoutsOperandsIsAnInternalError) {
  auto m = binary::decode_module(test::wat_module("translate_op_info_walk"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  const ModuleContext cx{*m, {}, {}, {}, 0, {}, nullptr};

  const auto good = EmitCheckProbe::emit(cx, exec::op_i32_add, layout::Binary{.dst = 2, .a = 0, .b = 1});
  EXPECT_FALSE(good.failed) << good.error.message;
  EXPECT_EQ(good.at, 0u);
  EXPECT_EQ(good.code_words, layout::Binary::kWords);

  // i32_add (Binary: dst, a, b) written as Unary (dst, src): b never set.
  const auto bad = EmitCheckProbe::emit(cx, exec::op_i32_add, layout::Unary{.dst = 2, .src = 0});
  EXPECT_TRUE(bad.failed);
  EXPECT_EQ(bad.at, npos);
  EXPECT_EQ(bad.code_words, 0u);  // nothing emitted
  EXPECT_EQ(bad.error.kind, ErrorKind::Internal);
  EXPECT_HAS_SUBSTR(bad.error.message, "internal error: op_i32_add has layout Binary, not Unary");
  EXPECT_HAS_SUBSTR(bad.error.message, "function 0");

  // A branch is checked the same way: br is Br, br_if BrCond.
  EXPECT_TRUE(EmitCheckProbe::emit(cx, exec::op_br, layout::BrCond{.target = 0, .cond = 0}).failed);
  EXPECT_FALSE(EmitCheckProbe::emit(cx, exec::op_br_if, layout::BrCond{.target = 0, .cond = 0}).failed);
}

}  // namespace
}  // namespace wnn::valid
