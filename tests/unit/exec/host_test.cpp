// Host functions called from wasm, host errors and exit, and host -> wasm
// re-entry through the same Executor.
#include <cstdint>
#include <string>

#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

TEST(Host, CalledFromWasm) {
  Env env;
  MemoryInst* m = env.memory(1);
  const Instance* seen_caller = nullptr;
  const MemoryInst* seen_memory = nullptr;
  env.host(
      [&](HostContext& ctx, uint64_t* s) -> Expected<void> {
        seen_caller = ctx.caller;
        seen_memory = ctx.memory;
        s[0] = uint32_t(s[0]) * uint32_t(s[1]);
        return {};
      },
      2, 1, "mul");
  // f(a, b) = 1000 + mul(a, b); slot 1 holds 1000 across the call.
  Asm a;
  a.copy(3, 1).copy(2, 0).konst(1, 1000).call(0, 2).binop(&op_i32_add, 0, 1, 2).ret();
  FuncInst* f = env.func(a, 2, 2, 1, 4, "f");
  Outcome r = env.run(f, {6, 7});
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 1042u);
  EXPECT_EQ(seen_caller, &env.inst);
  EXPECT_EQ(seen_memory, m);
}

TEST(Host, CalledDirectly) {
  Env env;
  FuncInst* h = env.host(
      [](HostContext& ctx, uint64_t* s) -> Expected<void> {
        EXPECT_EQ(ctx.caller, nullptr);
        s[0] = s[0] + 1;
        return {};
      },
      1, 1);
  EXPECT_EQ(env.run(h, {41})[0], 42u);
}

TEST(Host, ErrorBecomesHostErrorTrap) {
  Env env;
  env.host([](HostContext&, uint64_t*) -> Expected<void> { return Error(ErrorKind::Trap, "boom"); }, 0, 0, "fail");
  Asm a;
  a.call(0, 0).ret();
  FuncInst* f = env.func(a, 0, 0, 0, 0, "f");
  Outcome r = env.run(f);
  EXPECT_EQ(r.trap, TrapKind::HostError);
  EXPECT_EQ(r.message, "boom\n  in host function \"fail\"\n  called from function 1 \"f\"");
  EXPECT_EQ(env.ex.thread().frames_top, env.ex.thread().frames_begin);
}

TEST(Host, ExitCarriesTheCode) {
  Env env;
  env.host(
      [](HostContext&, uint64_t* s) -> Expected<void> {
        Error e(ErrorKind::Trap, "");
        e.trap = TrapKind::Exit;
        e.exit_code = int(s[0]);
        return e;
      },
      1, 0, "proc_exit");
  Asm a;
  a.konst(1, 3).call(0, 1).op(&op_unreachable);
  FuncInst* f = env.func(a, 0, 0, 0, 2);
  auto slots = std::vector<uint64_t>(1);
  auto res = env.ex.call(f, slots.data());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ErrorKind::Trap);
  EXPECT_EQ(res.error().trap, TrapKind::Exit);
  EXPECT_EQ(res.error().exit_code, 3);
}

TEST(Host, GrowingMemoryIsSeenAfterTheCall) {
  Env env;
  MemoryInst* m = env.memory(1);
  env.host(
      [](HostContext& ctx, uint64_t*) -> Expected<void> {
        EXPECT_EQ(ctx.memory->grow(1), 1);
        return {};
      },
      0, 0);
  Asm a;  // store at 65536 after the host grew memory, then memory.size
  a.call(0, 0).konst(0, 65536).mem(&op_i32_store, 0, 0, 0).op(&op_memory_size).ab(0).ret();
  Outcome r = env.run(env.func(a, 0, 0, 1, 1));
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 2u);
  EXPECT_EQ(m->size, 2 * 65536u);
}

// f(n) = n == 0 ? 100 : h(n) where the host h(n) = f(n - 1) + 1, run by a
// nested Executor::call. Each level keeps a live value (n * 1000) in slot 1
// across the host call and checks it afterwards.
struct Reentry {
  Env env;
  FuncInst* f = nullptr;
  int max_depth = 0;
  Reentry() {
    env.host(
        [this](HostContext&, uint64_t* s) -> Expected<void> {
          max_depth = std::max(max_depth, int(env.ex.thread().frames_top - env.ex.thread().frames_begin));
          std::vector<uint64_t> slots = {s[0] - 1};
          WNN_TRY_VOID(env.ex.call(f, slots.data()));
          s[0] = slots[0] + 1;
          return {};
        },
        1, 1, "h");
    Asm a;
    size_t j = a.branch_fwd(&op_br_if, 0);
    a.konst(0, 100).ret();
    a.patch(j, a.here());
    // slot1 = n * 1000; slot3 = h(n); check slot1; return slot3
    a.konst(2, 1000).binop(&op_i64_mul, 1, 0, 2).copy(3, 0).call(0, 3);
    a.binop(&op_i64_mul, 2, 0, 2).binop(&op_i64_ne, 2, 2, 1);
    size_t bad = a.branch_fwd(&op_br_if, 2);
    a.copy(0, 3).ret();
    a.patch(bad, a.here());
    a.op(&op_unreachable);
    f = env.func(a, 1, 2, 1, 4, "f");
  }
};

TEST(Host, ReentersWasm) {
  Reentry t;
  Outcome r = t.env.run(t.f, {50});
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 150u);
  EXPECT_EQ(t.max_depth, 50);  // one wasm frame per level stays active
  EXPECT_EQ(t.env.ex.thread().frames_top, t.env.ex.thread().frames_begin);
  EXPECT_FALSE(t.env.ex.active());
  EXPECT_EQ(t.env.run(t.f, {0})[0], 100u);
}

TEST(Host, NestedTrapPassesThroughTheHost) {
  Env env;
  FuncInst* inner = nullptr;
  env.host(
      [&](HostContext&, uint64_t* s) -> Expected<void> {
        std::vector<uint64_t> slots = {s[0]};
        return env.ex.call(inner, slots.data());  // traps: the error goes back to wasm
      },
      1, 0, "bridge");
  Asm in;
  in.binop(&op_i32_div_u, 0, 0, 0).ret();  // x / x: traps for 0
  inner = env.func(in, 1, 1, 1, 1, "inner");
  Asm out;
  out.call(0, 0).ret();
  FuncInst* outer = env.func(out, 1, 1, 0, 1, "outer");
  Outcome r = env.run(outer, {0});
  EXPECT_EQ(r.trap, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(r.message,
            "integer divide by zero\n  in function 1 \"inner\"\n  called from host function \"bridge\"\n"
            "  called from function 2 \"outer\"");
  EXPECT_EQ(env.run(outer, {5}).trap, TrapKind::None);
}

TEST(Host, NestedCallUsesStackAboveTheCaller) {
  // The nested wasm function scribbles over 100 slots; the outer frame's
  // live values below the host call must survive.
  Env env;
  FuncInst* scribble = nullptr;
  env.host(
      [&](HostContext&, uint64_t*) -> Expected<void> {
        std::vector<uint64_t> slots(1);
        return env.ex.call(scribble, slots.data());
      },
      0, 0, "h");
  Asm s;
  for (uint32_t i = 0; i < 100; ++i) s.konst(i, 0xBAD);
  s.ret();
  scribble = env.func(s, 0, 0, 0, 100);
  Asm a;
  a.konst(0, 1).konst(1, 2).konst(2, 3).call(0, 3).binop(&op_i64_add, 0, 0, 1).binop(&op_i64_add, 0, 0, 2).ret();
  Outcome r = env.run(env.func(a, 0, 0, 1, 3));
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 6u);
}

TEST(Host, NestedExhaustionIsReported) {
  StoreConfig cfg;
  cfg.max_call_depth = 40;
  Env env(cfg);
  FuncInst* f = nullptr;
  // f calls h which calls f again, forever.
  env.host(
      [&](HostContext&, uint64_t*) -> Expected<void> {
        std::vector<uint64_t> slots(1);
        return env.ex.call(f, slots.data());
      },
      0, 0, "h");
  Asm a;
  a.call(0, 0).ret();
  f = env.func(a, 0, 0, 0, 1, "f");
  Outcome r = env.run(f);
  EXPECT_EQ(r.trap, TrapKind::CallStackExhausted);
  EXPECT_EQ(env.ex.thread().frames_top, env.ex.thread().frames_begin);
  EXPECT_FALSE(env.ex.active());
}

}  // namespace
}  // namespace wnn::exec::test
