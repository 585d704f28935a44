// Host functions that call back into wasm (Store::invoke from inside a host
// call): the nesting is bounded by the frame limit, counted across
// re-entries, and by the native stack, and ends in a clean trap.
#include <gtest/gtest.h>
#include <pthread.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "compile_checks.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using test::compile_ok;
using enum ValType;

// wat/reentry.wat: f(n) calls the host function, which calls "f" again with
// n + 1, until that fails: it counts how deep it got and passes the failure on.
struct Reentry {
  Store store;
  FuncInst* f = nullptr;
  uint32_t deepest = 0;

  explicit Reentry(StoreConfig config = {}) : store(config) {
    FuncInst* h = store.create_host_function(FuncType{{I32}, {I32}}, [this](HostContext& ctx, uint64_t* slots) {
      const uint32_t n = uint32_t(slots[0]);
      deepest = std::max(deepest, n);
      Value arg = Value::i32(n + 1);
      auto r = ctx.store->invoke(f, {&arg, 1});
      if (!r.ok()) return Expected<void>(std::move(r).error());
      slots[0] = (*r)[0].as_u32();
      return Expected<void>();
    });
    auto inst = store.instantiate(compile_ok(test::wat_module("reentry")), [h](std::string_view, std::string_view) {
      return std::optional<Extern>(Extern{ExternKind::Func, h});
    });
    EXPECT_TRUE(inst.ok()) << inst.error().message;
    if (inst.ok()) f = store.find_export(*inst, "f")->func();
  }

  Expected<std::vector<Value>> run() {
    Value arg = Value::i32(0);
    return store.invoke(f, {&arg, 1});
  }
};

void expect_exhausted(const Expected<std::vector<Value>>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion) << r.error().message;
  EXPECT_EQ(r.error().trap, TrapKind::CallStackExhausted) << r.error().message;
  EXPECT_EQ(r.error().message.rfind("call stack exhausted", 0), 0u) << r.error().message;
}

TEST(Reentry, FrameLimitCountsAcrossReentries) {
  StoreConfig config;
  config.max_call_depth = 100;
  Reentry re(config);
  ASSERT_NE(re.f, nullptr);
  auto r = re.run();
  expect_exhausted(r);
  // Each level takes one frame (f's; calling the host takes none): levels
  // 0..99 fit, the call at level 100 traps.
  EXPECT_EQ(re.deepest, 99u);
  // The store is usable afterwards.
  StoreConfig small;
  small.max_call_depth = 4;
  Reentry again(small);
  expect_exhausted(again.run());
  EXPECT_EQ(again.deepest, 3u);
}

TEST(Reentry, NativeStackEndsUnboundedReentry) {
  // Default limits (20000 frames): whichever of the frame limit and the
  // native stack comes first, a trap and no SIGSEGV.
  Reentry re;
  ASSERT_NE(re.f, nullptr);
  expect_exhausted(re.run());
  EXPECT_GT(re.deepest, 100u);
  std::printf("default limits: %u levels of re-entry, then: %s\n", re.deepest, re.run().error().message.c_str());
}

// Runs the unbounded re-entry on a thread with a 256 KiB stack, where the
// native stack runs out long before 20000 frames.
void* reenter_on_small_stack(void* out) {
  auto* result = static_cast<std::pair<Error, uint32_t>*>(out);
  Reentry re;
  auto r = re.run();
  result->first = r.ok() ? Error(ErrorKind::Usage, "no error") : r.error();
  result->second = re.deepest;
  return nullptr;
}

TEST(Reentry, SmallThreadStackTrapsCleanly) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, 256 << 10), 0);
  std::pair<Error, uint32_t> result;
  pthread_t t;
  ASSERT_EQ(pthread_create(&t, &attr, reenter_on_small_stack, &result), 0);
  pthread_join(t, nullptr);
  pthread_attr_destroy(&attr);
  const Error& e = result.first;
  EXPECT_EQ(e.kind, ErrorKind::Exhaustion) << e.message;
  EXPECT_EQ(e.trap, TrapKind::CallStackExhausted) << e.message;
  EXPECT_NE(e.message.find("bytes of native stack left, below the 65536 reserved"), std::string::npos) << e.message;
  EXPECT_GT(result.second, 2u);
  EXPECT_LT(result.second, 20000u);
  std::printf("256 KiB thread: %u levels of re-entry\n", result.second);
}

TEST(HostExceptions, BadAllocInAHostFunctionIsATrap) {
  Store store;
  FuncInst* h = store.create_host_function(
      FuncType{}, [](HostContext&, uint64_t*) -> Expected<void> { throw std::bad_alloc(); }, "greedy");
  auto inst = store.instantiate(compile_ok(test::wat_module("call_host")), [h](std::string_view, std::string_view) {
    return std::optional<Extern>(Extern{ExternKind::Func, h});
  });
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  auto r = store.invoke(store.find_export(*inst, "f")->func(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::HostError);
  EXPECT_EQ(r.error().message.rfind("out of host memory (std::bad_alloc)\n  in host function \"greedy\"", 0), 0u)
      << r.error().message;
  // Called directly by the embedder: an Exhaustion error.
  auto direct = store.invoke(h, {});
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(direct.error().message, "out of host memory while calling a function");
  // Other exceptions do not unwind through the interpreter either.
  FuncInst* thrower = store.create_host_function(
      FuncType{}, [](HostContext&, uint64_t*) -> Expected<void> { throw std::runtime_error("boom"); });
  auto inst2 =
      store.instantiate(compile_ok(test::wat_module("call_host")), [thrower](std::string_view, std::string_view) {
        return std::optional<Extern>(Extern{ExternKind::Func, thrower});
      });
  ASSERT_TRUE(inst2.ok());
  auto r2 = store.invoke(store.find_export(*inst2, "f")->func(), {});
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().trap, TrapKind::HostError);
  EXPECT_EQ(r2.error().message.rfind("exception in host function: boom", 0), 0u) << r2.error().message;
}

}  // namespace
}  // namespace wnn
