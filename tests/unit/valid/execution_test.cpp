// Translated code run end to end (compile, instantiate in a Store, invoke):
// the cases where the translator's lazy local.get, result patching and
// branch copies could go wrong.
#include <gtest/gtest.h>

#include <optional>

#include "compile_checks.h"
#include "module_runner.h"
#include "wnn/runtime.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;

using R = std::vector<uint64_t>;

TEST(Execution, LoopSum) {
  // (func (param $n i32) (result i32) (local $acc i32)
  //   (block (loop (br_if 1 (i32.eqz (local.get $n)))
  //     (local.set $acc (i32.add (local.get $acc) (local.get $n)))
  //     (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br 0)))
  //   (local.get $acc))
  Runner run(single({I32}, {I32},
                    {0x02, 0x40, 0x03, 0x40, 0x20, 0,    0x45, 0x0D, 1,    0x20, 1,    0x20, 0,    0x6A, 0x21,
                     1,    0x20, 0,    0x41, 1,    0x6B, 0x21, 0,    0x0C, 0,    0x0B, 0x0B, 0x20, 1,    0x0B},
                    {{1, I32}}));
  EXPECT_EQ(run.call_i32("f", {100}), R{5050});
  EXPECT_EQ(run.call_i32("f", {0}), R{0});
  EXPECT_EQ(run.call_i32("f", {1}), R{1});
}

TEST(Execution, LoopWithParams) {
  // The counter and the sum travel on the stack as the loop's parameters:
  // (loop (param i32 i32) (result i32) local.set 2 local.set 1
  //   local.get 2 local.get 1 i32.eqz br_if 1 drop
  //   (i32.sub (local.get 1) (i32.const 1)) (i32.add (local.get 2) (local.get 1)) br 0)
  ModuleBuilder m;
  uint32_t tf = m.type({I32}, {I32});
  uint32_t tl = m.type({I32, I32}, {I32});
  m.export_func(
      "f", m.func(tf, {0x20, 0,    0x41, 0, 0x03, uint8_t(tl), 0x21, 2,    0x21, 1,    0x20, 2,    0x20, 1, 0x45, 0x0D,
                       1,    0x1A, 0x20, 1, 0x41, 1,           0x6B, 0x20, 2,    0x20, 1,    0x6A, 0x0C, 0, 0x0B, 0x0B},
                  {{2, I32}}));
  Runner run(std::move(m));
  EXPECT_EQ(run.call_i32("f", {10}), R{55});
  EXPECT_EQ(run.call_i32("f", {0}), R{0});
}

TEST(Execution, MultiValueBlockWithParams) {
  // local.get 0 local.get 1 (block (param i32 i32) (result i32 i32)
  //   local.set 3 local.tee 2 local.get 3 i32.add local.get 2 local.get 3 i32.sub)
  ModuleBuilder m;
  uint32_t t = m.type({I32, I32}, {I32, I32});
  m.export_func("f", m.func(t, {0x20, 0, 0x20, 1,    0x02, uint8_t(t), 0x21, 3,    0x22, 2,
                                0x20, 3, 0x6A, 0x20, 2,    0x20,       3,    0x6B, 0x0B, 0x0B},
                            {{2, I32}}));
  Runner run(std::move(m));
  EXPECT_EQ(run.call_i32("f", {10, 3}), (R{13, 7}));
}

TEST(Execution, IfElseWithParams) {
  // local.get 0 local.get 1 local.get 2 (if (param i32 i32) (result i32)
  //   (then i32.add) (else i32.sub))
  ModuleBuilder m;
  uint32_t tf = m.type({I32, I32, I32}, {I32});
  uint32_t tb = m.type({I32, I32}, {I32});
  m.export_func("f", m.func(tf, {0x20, 0, 0x20, 1, 0x20, 2, 0x04, uint8_t(tb), 0x6A, 0x05, 0x6B, 0x0B, 0x0B}));
  Runner run(std::move(m));
  EXPECT_EQ(run.call_i32("f", {10, 3, 1}), R{13});
  EXPECT_EQ(run.call_i32("f", {10, 3, 0}), R{7});
}

// br_table 0 1 2 3 from three nested blocks; each block end adds 1, 10, 1000;
// the default (3) is the function's label and returns the value as is.
Bytes br_table_body(Bytes value) {
  return cat({{0x02, 0x7F, 0x02, 0x7F, 0x02, 0x7F},
              value,
              {0x20, 0, 0x0E, 3, 0, 1, 2, 3, 0x0B},
              i32_const(1),
              {0x6A, 0x0B},
              i32_const(10),
              {0x6A, 0x0B},
              i32_const(1000),
              {0x6A, 0x0B}});
}

TEST(Execution, BrTableWithValue) {
  for (Bytes value : {i32_const(100), Bytes{0x20, 1}}) {  // in its slot already / a local (copied)
    SCOPED_TRACE(value[0] == 0x41 ? "constant" : "local");
    Runner run(single({I32, I32}, {I32}, br_table_body(value)));
    EXPECT_EQ(run.call_i32("f", {0, 100}), R{1111});
    EXPECT_EQ(run.call_i32("f", {1, 100}), R{1110});
    EXPECT_EQ(run.call_i32("f", {2, 100}), R{1100});
    EXPECT_EQ(run.call_i32("f", {3, 100}), R{100});
    EXPECT_EQ(run.call_i32("f", {0xFFFFFFFF, 100}), R{100});
  }
}

TEST(Execution, BrTableOnASumOrALoadedByte) {
  // (func (param i32) (result i32)
  //   (block (block (block
  //     INDEX (br_table 0 1 2)) (return (i32.const 10))) (return (i32.const 20)))
  //   i32.const 30)
  // INDEX is local 0 - 5 (a lazy sum: br_table_add) or the byte at local 0 + 2
  // (br_table_load8); memory holds bytes 0 1 2 3 from address 2.
  auto body = [](Bytes index) {
    return cat({{0x02, 0x40, 0x02, 0x40, 0x02, 0x40},
                index,
                {0x0E, 2, 0, 1, 2, 0x0B, 0x41, 10, 0x0F, 0x0B, 0x41, 20, 0x0F, 0x0B, 0x41, 30, 0x0B}});
  };
  {
    Runner run(single({I32}, {I32}, body({0x20, 0, 0x41, 5, 0x6B})));
    EXPECT_EQ(run.call_i32("f", {5}), R{10});
    EXPECT_EQ(run.call_i32("f", {6}), R{20});
    EXPECT_EQ(run.call_i32("f", {7}), R{30});
    EXPECT_EQ(run.call_i32("f", {4}), R{30});  // -1: the default
  }
  {
    ModuleBuilder m = single({I32}, {I32}, body({0x20, 0, 0x2D, 0, 2}));
    m.memory(1);
    m.data(cat({{0x00}, i32_const(2), {0x0B, 4, 0, 1, 2, 3}}));  // active, at 2
    Runner run(std::move(m));
    EXPECT_EQ(run.call_i32("f", {0}), R{10});
    EXPECT_EQ(run.call_i32("f", {1}), R{20});
    EXPECT_EQ(run.call_i32("f", {3}), R{30});
  }
}

TEST(Execution, LocalTeeChain) {
  // local.get 0 local.tee 1 local.tee 2 local.get 1 i32.add local.get 2 i32.add  => 3x
  // i32.const 5 local.tee 1 local.get 1 i32.mul local.tee 2 local.get 2 i32.add => 50
  Runner run(single({I32}, {I32, I32}, {0x20, 0,    0x22, 1,    0x22, 2,    0x20, 1, 0x6A, 0x20, 2,    0x6A, 0x41,
                                        5,    0x22, 1,    0x20, 1,    0x6C, 0x22, 2, 0x20, 2,    0x6A, 0x0B},
                    {{2, I32}}));
  EXPECT_EQ(run.call_i32("f", {7}), (R{21, 50}));
}

TEST(Execution, SwapThroughTheStack) {
  // local.get 0 local.get 1 local.set 0 local.set 1 local.get 0 local.get 1
  Runner run(single({I32, I32}, {I32, I32}, {0x20, 0, 0x20, 1, 0x21, 0, 0x21, 1, 0x20, 0, 0x20, 1, 0x0B}));
  EXPECT_EQ(run.call_i32("f", {1, 2}), (R{2, 1}));
  // A rotation of three: (a b c) -> (b c a).
  Runner rot(single({I32, I32, I32}, {I32, I32, I32},
                    {0x20, 0, 0x20, 1, 0x20, 2, 0x21, 0, 0x21, 2, 0x21, 1, 0x20, 0, 0x20, 1, 0x20, 2, 0x0B}));
  EXPECT_EQ(rot.call_i32("f", {1, 2, 3}), (R{3, 1, 2}));
}

TEST(Execution, StackValueKeepsTheOldLocalValue) {
  struct Case {
    const char* what;
    Bytes code;
    R want;  // for an argument of 5
  };
  std::vector<Case> cases = {
      // local.get 0 (block i32.const 42 local.set 0) local.get 0
      {"block", {0x20, 0, 0x02, 0x40, 0x41, 42, 0x21, 0, 0x0B, 0x20, 0, 0x0B}, {5, 42}},
      {"loop", {0x20, 0, 0x03, 0x40, 0x41, 42, 0x21, 0, 0x0B, 0x20, 0, 0x0B}, {5, 42}},
      {"if", {0x20, 0, 0x41, 1, 0x04, 0x40, 0x41, 42, 0x21, 0, 0x0B, 0x20, 0, 0x0B}, {5, 42}},
      {"else", {0x20, 0, 0x41, 0, 0x04, 0x40, 0x05, 0x41, 42, 0x21, 0, 0x0B, 0x20, 0, 0x0B}, {5, 42}},
      // a produced result must not be written into the local early
      {"add", {0x20, 0, 0x41, 1, 0x41, 2, 0x6A, 0x21, 0, 0x20, 0, 0x0B}, {5, 3}},
      {"tee", {0x20, 0, 0x41, 7, 0x22, 0, 0x6A, 0x20, 0, 0x0B}, {12, 7}},
      {"nested", {0x20, 0, 0x02, 0x40, 0x02, 0x40, 0x41, 42, 0x21, 0, 0x0B, 0x0B, 0x20, 0, 0x0B}, {5, 42}},
      // local.get 0 local.get 0 (local.set 0 (i32.const 9)) i32.add, local.get 0
      {"two refs", {0x20, 0, 0x20, 0, 0x41, 9, 0x21, 0, 0x6A, 0x20, 0, 0x0B}, {10, 9}},
      // the value passes through a block parameter first
      {"param", {0x20, 0, 0x02, 0x01, 0x41, 42, 0x21, 0, 0x0B, 0x20, 0, 0x0B}, {5, 42}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    ModuleBuilder m;
    uint32_t t = m.type({I32}, {I32, I32});
    m.type({I32}, {I32});  // type 1: block (param i32) (result i32)
    m.export_func("f", m.func(t, c.code));
    Runner run(std::move(m));
    EXPECT_EQ(run.call_i32("f", {5}), c.want);
  }
}

TEST(Execution, BrIfFallthroughKeepsItsValues) {
  // (block (result i32) i32.const 7 local.get 0 local.get 1 br_if 0 i32.add)
  Runner one(single({I32, I32}, {I32}, {0x02, 0x7F, 0x41, 7, 0x20, 0, 0x20, 1, 0x0D, 0, 0x6A, 0x0B, 0x0B}));
  EXPECT_EQ(one.call_i32("f", {5, 1}), R{5});
  EXPECT_EQ(one.call_i32("f", {5, 0}), R{12});

  // (block (result i32 i32) i32.const 1 i32.const 2 i32.const 3 local.get 0 br_if 0 i32.add)
  ModuleBuilder m;
  uint32_t tf = m.type({I32}, {I32, I32});
  uint32_t tb = m.type({}, {I32, I32});
  m.export_func("f", m.func(tf, {0x02, uint8_t(tb), 0x41, 1, 0x41, 2, 0x41, 3, 0x20, 0, 0x0D, 0, 0x6A, 0x0B, 0x0B}));
  Runner two(std::move(m));
  EXPECT_EQ(two.call_i32("f", {1}), (R{2, 3}));
  EXPECT_EQ(two.call_i32("f", {0}), (R{1, 5}));

  // From an inner block to the outer one, with a local as the value:
  // (block (result i32) (block local.get 0 local.get 1 br_if 1
  //    i32.const 5 i32.add local.set 0) local.get 0)
  Runner outer(single({I32, I32}, {I32}, {0x02, 0x7F, 0x02, 0x40, 0x20, 0,    0x20, 1, 0x0D, 1,
                                          0x41, 5,    0x6A, 0x21, 0,    0x0B, 0x20, 0, 0x0B, 0x0B}));
  EXPECT_EQ(outer.call_i32("f", {10, 1}), R{10});
  EXPECT_EQ(outer.call_i32("f", {10, 0}), R{15});

  // br_if to the function's label (a return) with swapped locals; the
  // fallthrough still sees (b, a): local.get 1 local.get 0 local.get 2
  // br_if 0 i32.sub i32.const 42
  Runner ret(single({I32, I32, I32}, {I32, I32}, {0x20, 1, 0x20, 0, 0x20, 2, 0x0D, 0, 0x6B, 0x41, 42, 0x0B}));
  EXPECT_EQ(ret.call_i32("f", {3, 10, 1}), (R{10, 3}));
  EXPECT_EQ(ret.call_i32("f", {3, 10, 0}), (R{7, 42}));

  // A loop label: br_if 0 back to (loop (param i32)) with the decremented counter.
  ModuleBuilder lm;
  uint32_t tl = lm.type({I32}, {I32});
  lm.export_func(
      "f",
      lm.func(tl, {0x20, 0, 0x03, uint8_t(tl), 0x41, 1, 0x6B, 0x22, 1, 0x20, 1, 0x0D, 0, 0x0B, 0x20, 1, 0x6A, 0x0B},
              {{1, I32}}));
  Runner loop(std::move(lm));
  EXPECT_EQ(loop.call_i32("f", {4}), R{0});
}

TEST(Execution, ReturnOfSwappedLocals) {
  Runner ret(single({I32, I32}, {I32, I32}, {0x20, 1, 0x20, 0, 0x0F, 0x0B}));
  EXPECT_EQ(ret.call_i32("f", {1, 2}), (R{2, 1}));
  Runner end(single({I32, I32}, {I32, I32}, {0x20, 1, 0x20, 0, 0x0B}));
  EXPECT_EQ(end.call_i32("f", {1, 2}), (R{2, 1}));
  Runner extra(single({I32, I32}, {I32, I32}, {0x41, 9, 0x20, 1, 0x20, 0, 0x0F, 0x0B}));
  EXPECT_EQ(extra.call_i32("f", {1, 2}), (R{2, 1}));
  Runner rot1(single({I32, I32, I32}, {I32, I32, I32}, {0x20, 2, 0x20, 0, 0x20, 1, 0x0F, 0x0B}));
  EXPECT_EQ(rot1.call_i32("f", {1, 2, 3}), (R{3, 1, 2}));
  Runner rot2(single({I32, I32, I32}, {I32, I32, I32}, {0x20, 1, 0x20, 2, 0x20, 0, 0x0B}));
  EXPECT_EQ(rot2.call_i32("f", {1, 2, 3}), (R{2, 3, 1}));
  Runner dup(single({I32, I32}, {I32, I32, I32}, {0x20, 1, 0x20, 1, 0x20, 0, 0x0B}));
  EXPECT_EQ(dup.call_i32("f", {1, 2}), (R{2, 2, 1}));
  // br 1 out of a block to the function label.
  Runner br(single({I32, I32}, {I32, I32}, {0x02, 0x40, 0x20, 1, 0x20, 0, 0x0C, 1, 0x0B, 0x00, 0x0B}));
  EXPECT_EQ(br.call_i32("f", {1, 2}), (R{2, 1}));
}

TEST(Execution, CallsKeepTheCallersStack) {
  // f0 (x) -> x*x; f1 (x) -> x + f0(x + 1), with x still on the stack during the call.
  ModuleBuilder m;
  uint32_t t = m.type({I32}, {I32});
  uint32_t sq = m.func(t, {0x20, 0, 0x20, 0, 0x6C, 0x0B});
  m.export_func("f", m.func(t, {0x20, 0, 0x20, 0, 0x41, 1, 0x6A, 0x10, uint8_t(sq), 0x6A, 0x0B}));
  // f2 (a b) -> f0(b) - a, the arguments taken straight from locals.
  uint32_t t2 = m.type({I32, I32}, {I32});
  m.export_func("g", m.func(t2, {0x20, 1, 0x10, uint8_t(sq), 0x20, 0, 0x6B, 0x0B}));
  Runner run(std::move(m));
  EXPECT_EQ(run.call_i32("f", {3}), R{19});
  EXPECT_EQ(run.call_i32("g", {1, 5}), R{24});
}

}  // namespace
}  // namespace wnn::valid::test

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

// Fused forms: an i32.add folded into the load that uses it keeps Wasm's
// 32-bit wrap-around of the address; base + (i << k) in one instruction.
TEST(Execution, FusedAddressArithmetic) {
  // (memory 1) (func (param i32 i32) (result i32)
  //   (i32.store (i32.const 100) (i32.const 0x01020304))
  //   (i32.load (i32.add (local.get 0) (local.get 1))))
  ModuleBuilder m = single({I32, I32}, {I32}, {0x41, 0xE4, 0x00, 0x41, 0x84, 0x86, 0x88, 0x08, 0x36, 2,
                                               0,    0x20, 0,    0x20, 1,    0x6A, 0x28, 2,    0,    0x0B});
  m.memory(1);
  Runner load(std::move(m));
  EXPECT_EQ(load.call_i32("f", {50, 50}), (R{0x01020304}));
  EXPECT_EQ(load.call_i32("f", {0xFFFFFFFF, 101}), (R{0x01020304}));  // wraps to 100
  EXPECT_EQ(load.call_i32("f", {98, 0}), (R{0x03040000}));
  // (local.get 0) + (local.get 1 << 2), and the shift on the left.
  Runner right(single({I32, I32}, {I32}, {0x20, 0, 0x20, 1, 0x41, 2, 0x74, 0x6A, 0x0B}));
  EXPECT_EQ(right.call_i32("f", {100, 3}), (R{112}));
  EXPECT_EQ(right.call_i32("f", {1, 0x40000001}), (R{5}));  // the shift wraps too
  Runner left(single({I32, I32}, {I32}, {0x20, 1, 0x41, 2, 0x74, 0x20, 0, 0x6A, 0x0B}));
  EXPECT_EQ(left.call_i32("f", {100, 3}), (R{112}));
  // A shifted value that is also still on the stack is not fused away.
  Runner both(single({I32}, {I32}, {0x20, 0, 0x41, 1, 0x74, 0x22, 0, 0x20, 0, 0x6A, 0x0B}));
  EXPECT_EQ(both.call_i32("f", {3}), (R{12}));
}

}  // namespace
}  // namespace wnn::valid::test
