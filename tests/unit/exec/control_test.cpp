// Branches, calls, returns, stack exhaustion, traps and their messages,
// value moves and globals.
#include <cstdint>
#include <string>
#include <vector>

#include "exec/op_info.h"
#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

// Every op of ops.def has a handler (a missing one fails to link).
TEST(Control, EveryOpHasAHandler) {
  const Handler all[] = {
#define WNN_OP(name, layout) &op_##name,
#include "exec/ops.def"
#undef WNN_OP
  };
  for (Handler h : all) EXPECT_NE(h, nullptr);
  EXPECT_GT(sizeof(all) / sizeof(all[0]), 150u);
}

// ops.def gives every op a layout: op_info finds each handler's name and
// size, which match the layout's struct.
TEST(Control, EveryOpHasALayout) {
  size_t n = 0;
#define WNN_OP(op, L)                                \
  {                                                  \
    const OpInfo* info = op_info(&op_##op);          \
    ASSERT_NE(info, nullptr) << #op;                 \
    EXPECT_STREQ(info->name, #op);                   \
    EXPECT_STREQ(info->layout, #L);                  \
    EXPECT_EQ(info->fixed_words, layout::L::kWords); \
    ++n;                                             \
  }
#include "exec/ops.def"
#undef WNN_OP
  EXPECT_GT(n, 600u);
  EXPECT_EQ(op_info(nullptr), nullptr);
}

// A layout's struct writes each operand where its reader finds it; branch
// offsets keep their sign.
TEST(Control, OperandsRoundTripThroughTheirWords) {
  const std::vector<Word> w = layout::encode(
      &op_i32_load_at_scaled, layout::LoadAtScaled{.dst = 1, .a = 2, .b = 3, .shift = 4, .imm = 5, .offset = 6});
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].h, &op_i32_load_at_scaled);
  const layout::LoadAtScaled o = layout::LoadAtScaled::read(w.data());
  EXPECT_EQ(o.dst, 1u);
  EXPECT_EQ(o.a, 2u);
  EXPECT_EQ(o.b, 3u);
  EXPECT_EQ(o.shift, 4u);
  EXPECT_EQ(o.imm, 5u);
  EXPECT_EQ(o.offset, 6u);
  const std::vector<Word> br = layout::encode(&op_br_loop, layout::BrLoop{.target = -7, .charge = 9});
  EXPECT_EQ(layout::BrLoop::read(br.data()).target, -7);
  EXPECT_EQ(layout::BrLoop::read(br.data()).charge, 9u);
  const std::vector<Word> k = layout::encode(&op_const, layout::Const{.dst = 3, .value = ~0ull});
  EXPECT_EQ(layout::Const::read(k.data()).value, ~0ull);
  EXPECT_EQ(op_info(&op_br_table)->words(layout::encode(&op_br_table, layout::BrTable{.index = 0, .n = 3}).data()),
            2u + 3u + 1u);  // its operands, then n + 1 targets
}

// The instructions that enter compiled code (tiering) have layouts too:
// their size and named operands, as tools/dump_code prints them.
TEST(Control, JitEntriesHaveLayouts) {
  const std::vector<Word> enter = layout::encode(&op_jit_enter, layout::JitEnter{.entry = 0xabc0});
  ASSERT_EQ(enter.size(), 2u);
  EXPECT_STREQ(op_info(&op_jit_enter)->name, "jit_enter");
  EXPECT_EQ(op_info(&op_jit_enter)->words(enter.data()), 2u);
  EXPECT_EQ(format_operands(enter.data(), enter.size(), 0), " entry=0xabc0");
  const std::vector<Word> loop = layout::encode(&op_jit_enter_loop, layout::JitEnterLoop{.entry = 0xabc0, .loop = 77});
  ASSERT_EQ(loop.size(), 3u);
  EXPECT_STREQ(op_info(&op_jit_enter_loop)->layout, "JitEnterLoop");
  EXPECT_EQ(op_info(&op_jit_enter_loop)->words(loop.data()), 3u);
  EXPECT_EQ(format_operands(loop.data(), loop.size(), 0), " entry=0xabc0 loop=77");
  // Cut short by the end of the code: printed as far as it goes.
  EXPECT_EQ(format_operands(loop.data(), 2, 0), " entry=0xabc0");
  EXPECT_EQ(format_operands(loop.data(), loop.size(), 1), "");  // not a handler
}

// The translator's emit checks each op against the layout of its operands.
TEST(Control, HasLayoutTellsAnOpsLayout) {
  EXPECT_TRUE(has_layout<layout::Binary>(&op_i32_add));
  EXPECT_FALSE(has_layout<layout::Unary>(&op_i32_add));
  EXPECT_FALSE(has_layout<layout::BinaryImm32>(&op_i32_add));
  EXPECT_TRUE(has_layout<layout::BinaryImm32>(&op_i32_add_imm));
  EXPECT_TRUE(has_layout<layout::NoOperands>(&op_return));
  EXPECT_TRUE(has_layout<layout::JitEnterLoop>(&op_jit_enter_loop));
  EXPECT_FALSE(has_layout<layout::Binary>(nullptr));
  EXPECT_EQ(layout_mismatch(&op_i32_add, layout::Unary::kName), "op_i32_add has layout Binary, not Unary");
}

// Every handler is found, whatever its address (the hash table's probes).
TEST(Control, OpInfoFindsEveryHandlerAndNothingElse) {
  std::vector<Handler> all;
#define WNN_OP(name, layout) all.push_back(&op_##name);
#include "exec/ops.def"
#undef WNN_OP
  for (Handler h : all) ASSERT_NE(op_info(h), nullptr);
  // Words that are no handler: addresses next to handlers, small integers.
  for (Handler h : all) {
    const auto near = reinterpret_cast<Handler>(reinterpret_cast<uintptr_t>(h) + 1);
    EXPECT_EQ(op_info(near), nullptr);
  }
  for (uintptr_t v = 1; v < 4096; v += 8) EXPECT_EQ(op_info(reinterpret_cast<Handler>(v)), nullptr);
}

TEST(Control, LoopSumsOneToAMillion) {
  // i64 sum = 0; i = n; do { sum += i; i -= 1; } while (i != 0); return sum
  Env env;
  Asm a;
  a.unop(&op_i64_extend_i32_u, 1, 0).konst(3, 1).konst(4, 0);
  size_t loop = a.here();
  a.binop(&op_i64_add, 2, 2, 1).binop(&op_i64_sub, 1, 1, 3).binop(&op_i64_ne, 5, 1, 4);
  a.branch(&op_br_if, loop, 5);
  a.copy(0, 2).ret();
  FuncInst* f = env.func(a, 1, 3, 1, 6, "sum");
  Outcome r = env.run(f, {1000000});
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 500000500000ull);
  // The locals (i, sum) start at zero on every call, whatever the stack held.
  r = env.run(f, {3});
  EXPECT_EQ(r[0], 6u);
}

TEST(Control, BrUnlessAndBr) {
  // return x == 0 ? 10 : 20 using br_unless and br.
  Env env;
  Asm a;
  size_t j = a.branch_fwd(&op_br_unless, 0);
  a.konst(0, 20);
  size_t k = a.branch_fwd(&op_br);
  a.patch(j, a.here());
  a.konst(0, 10);
  a.patch(k, a.here());
  a.ret();
  FuncInst* f = env.func(a, 1, 1, 1, 1);
  EXPECT_EQ(env.run(f, {0})[0], 10u);
  EXPECT_EQ(env.run(f, {7})[0], 20u);
  EXPECT_EQ(env.run(f, {0xFFFFFFFF00000000ull})[0], 10u);  // only the low 32 bits count
}

TEST(Control, BrTable) {
  // switch (x) { case 0: 100; case 1: 101; case 2: 102; default: 999 }
  Env env;
  Asm a;
  size_t at = a.here();
  a.op(&op_br_table).ab(0, 3);
  for (int i = 0; i < 4; ++i) a.u64(0);
  size_t ends[4];
  for (int i = 0; i < 4; ++i) {
    a.w[at + 2 + i].a = uint32_t(int32_t(a.here() - at));
    a.konst(0, i == 3 ? 999 : 100 + i);
    ends[i] = a.branch_fwd(&op_br);
  }
  for (size_t e : ends) a.patch(e, a.here());
  a.ret();
  FuncInst* f = env.func(a, 1, 1, 1, 1);
  EXPECT_EQ(env.run(f, {0})[0], 100u);
  EXPECT_EQ(env.run(f, {1})[0], 101u);
  EXPECT_EQ(env.run(f, {2})[0], 102u);
  EXPECT_EQ(env.run(f, {3})[0], 999u);
  EXPECT_EQ(env.run(f, {0xFFFFFFFF})[0], 999u);
  EXPECT_EQ(env.run(f, {0x100000001ull})[0], 101u);
}

// fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), with slots 0 = n, 1 = temp,
// 2 = cond, 3 and 4 = call bases.
FuncInst* make_fib(Env& env) {
  Asm a;
  a.konst(1, 2).binop(&op_i32_lt_u, 2, 0, 1);
  size_t j = a.branch_fwd(&op_br_unless, 2);
  a.ret();
  a.patch(j, a.here());
  uint32_t self = uint32_t(env.inst.funcs.size());
  a.konst(1, 1).binop(&op_i32_sub, 3, 0, 1).call(self, 3);
  a.konst(1, 2).binop(&op_i32_sub, 4, 0, 1).call(self, 4);
  a.binop(&op_i32_add, 0, 3, 4).ret();
  return env.func(a, 1, 1, 1, 5, "fib");
}

TEST(Control, RecursiveFib) {
  Env env;
  FuncInst* fib = make_fib(env);
  Outcome r = env.run(fib, {20});
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 6765u);
  EXPECT_EQ(env.run(fib, {1})[0], 1u);
  // The thread is clean after a run.
  EXPECT_EQ(env.ex.thread().frames_top, env.ex.thread().frames_begin);
  EXPECT_FALSE(env.ex.active());
}

TEST(Control, CallZeroesCalleeLocalsAndPassesResults) {
  // g(x) has one declared local (slot 1), returns x + local + 1.
  // f fills its own slots with junk, then calls g with base 2.
  Env env;
  Asm g;
  g.konst(2, 1).binop(&op_i64_add, 0, 0, 1).binop(&op_i64_add, 0, 0, 2).ret();
  Asm f;
  f.konst(2, 41).konst(3, 0xBAD).konst(4, 0xBAD).call(1, 2).copy(0, 2).ret();
  env.func(f, 0, 0, 1, 5, "f");
  env.func(g, 1, 2, 1, 3, "g");
  Outcome r = env.run(env.inst.funcs[0]);
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 42u);
}

TEST(Control, TrapMessageNamesFunctionAndBacktrace) {
  Env env;
  Asm outer;
  outer.konst(1, 7).konst(2, 0).call(1, 1).ret();
  Asm div;
  div.binop(&op_i32_div_s, 0, 0, 1).ret();
  env.func(outer, 0, 0, 1, 3, "outer");
  env.func(div, 2, 2, 1, 2, "div");
  Outcome r = env.run(env.inst.funcs[0]);
  EXPECT_EQ(r.trap, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(r.message, "integer divide by zero\n  in function 1 \"div\"\n  called from function 0 \"outer\"");
  // The executor is reusable after a trap.
  EXPECT_EQ(env.ex.thread().frames_top, env.ex.thread().frames_begin);
  Asm ok;
  ok.konst(0, 5).ret();
  EXPECT_EQ(env.run(env.func(ok, 0, 0, 1, 1))[0], 5u);
}

TEST(Control, Unreachable) {
  Env env;
  Asm a;
  a.op(&op_unreachable);
  Outcome r = env.run(env.func(a, 0, 0, 0, 0));
  EXPECT_EQ(r.trap, TrapKind::Unreachable);
  EXPECT_EQ(r.message, "unreachable\n  in function 0");
}

TEST(Control, InfiniteRecursionExhaustsFrames) {
  Env env;  // default: 20000 frames
  Asm a;
  a.call(0, 1).ret();
  Outcome r = env.run(env.func(a, 1, 1, 1, 2, "rec"), {0});
  EXPECT_EQ(r.trap, TrapKind::CallStackExhausted);
  EXPECT_EQ(r.message.rfind("call stack exhausted\n  in function 0 \"rec\"", 0), 0u) << r.message;
  EXPECT_NE(r.message.find("more frames"), std::string::npos);
  EXPECT_LT(r.message.size(), 2000u);
  EXPECT_EQ(env.ex.thread().frames_top, env.ex.thread().frames_begin);
}

TEST(Control, DeepRecursionExhaustsValueStack) {
  StoreConfig cfg;
  cfg.max_call_depth = 1000000;
  cfg.value_stack_slots = 100000;
  Env env(cfg);
  Asm a;
  a.call(0, 50).ret();  // each frame takes 50 slots
  FuncInst* f = env.func(a, 1, 1, 1, 60);
  Outcome r = env.run(f, {0});
  EXPECT_EQ(r.trap, TrapKind::CallStackExhausted);
  // Recursion bounded by n works right up to the limit: depth(n) = n frames.
  Asm b;  // b(n): if n == 0 return; else b(n - 1)
  size_t j = b.branch_fwd(&op_br_if, 0);
  b.ret();
  b.patch(j, b.here());
  b.konst(1, 1).binop(&op_i32_sub, 50, 0, 1).call(1, 50).ret();
  FuncInst* g = env.func(b, 1, 1, 1, 60);
  EXPECT_EQ(env.run(g, {1000}).trap, TrapKind::None);
  EXPECT_EQ(env.run(g, {1998}).trap, TrapKind::None);
  EXPECT_EQ(env.run(g, {2000}).trap, TrapKind::CallStackExhausted);
}

TEST(Control, EntryChecksStackRoom) {
  StoreConfig cfg;
  cfg.value_stack_slots = 10;
  Env env(cfg);
  Asm a;
  a.ret();
  Outcome r = env.run(env.func(a, 0, 0, 0, 11));
  EXPECT_EQ(r.trap, TrapKind::CallStackExhausted);
  Outcome ok = env.run(env.func(a, 0, 0, 0, 10));
  EXPECT_EQ(ok.trap, TrapKind::None);
}

TEST(Control, CallIndirect) {
  Env env;
  TableInst* t = env.table(4);
  // Function 0 (type id 7): returns x * 2. Function 1 (type id 8).
  Asm dbl;
  dbl.binop(&op_i32_add, 0, 0, 0).ret();
  FuncInst* f0 = env.func(dbl, 1, 1, 1, 1, "dbl", 7);
  Asm other;
  other.ret();
  FuncInst* f1 = env.func(other, 1, 1, 1, 1, "other", 8);
  t->elems[0] = reinterpret_cast<Ref>(f0);
  t->elems[1] = reinterpret_cast<Ref>(f1);
  env.inst.type_ids = {8, 7};  // module type 1 is f0's type
  // caller(i, x): call_indirect type 1, table 0, index slot 0, base 1 (x there)
  Asm c;
  c.call_indirect(1, 0, 0, 1).copy(0, 1).ret();
  FuncInst* caller = env.func(c, 2, 2, 1, 2, "caller");
  Outcome r = env.run(caller, {0, 21});
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 42u);
  EXPECT_EQ(env.run(caller, {1, 0}).trap, TrapKind::IndirectCallTypeMismatch);
  EXPECT_EQ(env.run(caller, {2, 0}).trap, TrapKind::UninitializedElement);
  EXPECT_EQ(env.run(caller, {4, 0}).trap, TrapKind::UndefinedElement);
  EXPECT_EQ(env.run(caller, {0xFFFFFFFF, 0}).trap, TrapKind::UndefinedElement);
  EXPECT_EQ(env.run(caller, {0xFFFFFFFF00000000ull, 5})[0], 10u);  // index 0
}

TEST(Control, CallIntoAnotherInstanceSwitchesMemory) {
  // Instance B has a memory with 99 at address 0; A has a memory with 0.
  Env a_env, b_env;
  a_env.memory(1);
  MemoryInst* bm = b_env.memory(2);
  bm->base[0] = 99;
  Asm b;  // b(): load8 from address 0 + memory.size
  b.konst(1, 0).mem(&op_i32_load8_u, 0, 1, 0).op(&op_memory_size).ab(1).binop(&op_i32_add, 0, 0, 1).ret();
  FuncInst* bf = b_env.func(b, 0, 0, 1, 2, "b");
  a_env.inst.funcs.push_back(bf);  // imported into A as function 0
  Asm a;  // a(): call b, then load8 from own memory 0 + memory.size
  a.call(0, 0).konst(1, 0).mem(&op_i32_load8_u, 1, 1, 0).binop(&op_i32_add, 0, 0, 1);
  a.op(&op_memory_size).ab(1).binop(&op_i32_add, 0, 0, 1).ret();
  FuncInst* af = a_env.func(a, 0, 0, 1, 2, "a");
  Outcome r = a_env.run(af);
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 99u + 2 + 0 + 1);
}

TEST(Control, ValuesAndGlobals) {
  Env env;
  GlobalInst* g = env.global(5);
  GlobalInst* v = env.global(0x1111, 0x2222);
  // select, copy2, select2, globals
  Asm a;
  a.op(&op_select).ab(2, 0).ab(3, 4);          // slot2 = slot0 ? slot3 : slot4
  a.op(&op_global_get).ab(5, 0);               // slot5 = g
  a.binop(&op_i64_add, 5, 5, 2);
  a.op(&op_global_set).ab(5, 0);               // g += selected
  a.op(&op_global_get2).ab(6, 1);              // slots 6,7 = v
  a.op(&op_copy2).ab(7, 6);                    // overlapping: slots 7,8 = 6,7
  a.op(&op_select2).ab(9, 0).ab(6, 7);         // slots 9,10
  a.op(&op_global_set2).ab(9, 1);
  a.copy(0, 2).ret();
  FuncInst* f = env.func(a, 5, 5, 1, 11);
  Outcome r = env.run(f, {0xFFFFFFFF00000000ull, 0, 0, 30, 40});  // cond = 0 (low bits)
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 40u);
  EXPECT_EQ(g->value[0], 45u);
  // cond false: select2 picks slots 7,8 = 0x1111, 0x2222
  EXPECT_EQ(v->value[0], 0x1111u);
  EXPECT_EQ(v->value[1], 0x2222u);
  r = env.run(f, {1, 0, 0, 30, 40});
  EXPECT_EQ(r[0], 30u);
  EXPECT_EQ(g->value[0], 75u);
  // cond true: select2 picks slots 6,7 = 0x1111, 0x1111
  EXPECT_EQ(v->value[0], 0x1111u);
  EXPECT_EQ(v->value[1], 0x1111u);
}

TEST(Control, References) {
  Env env;
  Asm a;
  a.op(&op_ref_func).ab(1, 0).op(&op_ref_is_null).ab(2, 1).op(&op_ref_is_null).ab(3, 0);
  a.binop(&op_i32_add, 0, 2, 3).copy(1, 1).ret();
  FuncInst* f = env.func(a, 1, 1, 2, 4);
  Outcome r = env.run(f, {0});
  EXPECT_EQ(r[0], 1u);  // ref.func is not null, param 0 is null
  EXPECT_EQ(r[1], reinterpret_cast<uint64_t>(f));
  EXPECT_EQ(env.run(f, {12345})[0], 0u);
}

}  // namespace
}  // namespace wnn::exec::test
