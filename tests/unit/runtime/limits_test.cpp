// Resource limits that end a run with a clear trap: fuel (an instruction
// budget charged at calls and loop back-edges) and interruption from another
// thread (a wall-clock timeout).
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "compile_checks.h"
#include "runtime/objects.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using test::compile_ok;
using enum ValType;

// Export `name` of wat/<module>.wat, instantiated in `store`.
FuncInst* instantiate(Store& store, const char* name, const char* module = "fuel_loops") {
  auto c = compile_ok(test::wat_module(module));
  if (!c) return nullptr;
  auto inst = store.instantiate(c, [](std::string_view, std::string_view) { return std::optional<Extern>{}; });
  EXPECT_TRUE(inst.ok()) << inst.error().message;
  if (!inst.ok()) return nullptr;
  return store.find_export(*inst, name)->func();
}

TEST(Fuel, EnoughFuelFinishes) {
  StoreConfig config;
  config.fuel = 10'000;  // 100 iterations of a 5-instruction body
  Store store(config);
  FuncInst* f = instantiate(store, "count_down");
  ASSERT_NE(f, nullptr);
  Value arg = Value::i32(100);
  auto r = store.invoke(f, {&arg, 1});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].as_u32(), 0u);
}

TEST(Fuel, RunningOutTraps) {
  const std::pair<const char*, uint32_t> cases[] = {
      {"count_down", 1'000'000}, {"forever", 0}, {"forever_table", 0}, {"forever_compare", 0}};
  for (const auto& [name, n] : cases) {
    SCOPED_TRACE(name);
    StoreConfig config;
    config.fuel = 1000;
    Store store(config);
    FuncInst* f = instantiate(store, name);
    ASSERT_NE(f, nullptr);
    Value arg = Value::i32(n);
    auto r = store.invoke(f, {&arg, 1});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Trap);
    EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
    EXPECT_NE(r.error().message.find("all fuel consumed"), std::string::npos) << r.error().message;
    // The budget stays spent: the next call traps at once.
    auto again = store.invoke(f, {&arg, 1});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().trap, TrapKind::OutOfFuel);
  }
}

TEST(Fuel, BulkMemoryIsChargedByLength) {
  // Each fill costs 4 MiB / 16 = 262144 units: 10^6 units allow at most 4.
  auto c = compile_ok(test::wat_module("fuel_fill"));
  ASSERT_NE(c, nullptr);
  StoreConfig config;
  config.fuel = 1'000'000;
  Store store(config);
  auto inst = store.instantiate(c, [](std::string_view, std::string_view) { return std::optional<Extern>{}; });
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  Value arg = Value::i32(0);
  auto r = store.invoke(store.find_export(*inst, "f")->func(), {&arg, 1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
  const uint32_t fills = store.find_export(*inst, "count")->global()->value[0] & 0xFFFFFFFF;
  EXPECT_GE(fills, 1u);
  EXPECT_LE(fills, 4u);
}

// An out-of-bounds bulk operation does no work: it traps as out of bounds,
// not as out of fuel (its length is charged only once it is in bounds).
TEST(Fuel, OutOfBoundsBulkOpsTrapAsOutOfBounds) {
  // memory.fill or table.fill of local 0 elements of a 1-page memory or a 10-element table.
  for (const bool table : {false, true}) {
    StoreConfig config;
    config.fuel = 10'000;  // a 64 KiB fill costs 4097
    Store store(config);
    FuncInst* f = instantiate(store, table ? "table" : "memory", "bulk_fill_oob");
    ASSERT_NE(f, nullptr);
    Value huge = Value::i32(-1), fits = Value::i32(table ? 10 : 65536);
    auto r = store.invoke(f, {&huge, 1});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, table ? TrapKind::TableOutOfBounds : TrapKind::MemoryOutOfBounds) << r.error().message;
    auto ok = store.invoke(f, {&fits, 1});
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ((*ok)[0].as_u32(), 7u);
  }
}

TEST(Fuel, CallsAreCharged) {
  // Infinite recursion would hit the call-depth limit; with little fuel, fuel first.
  StoreConfig config;
  config.fuel = 100;
  Store store(config);
  FuncInst* f = instantiate(store, "recurse");
  ASSERT_NE(f, nullptr);
  Value arg = Value::i32(0);
  auto r = store.invoke(f, {&arg, 1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
}

TEST(Interrupt, StopsAnInfiniteLoopFromAnotherThread) {
  for (const char* name : {"forever", "forever_table", "forever_compare"}) {
    SCOPED_TRACE(name);
    Store store;  // no fuel limit
    FuncInst* f = instantiate(store, name);
    ASSERT_NE(f, nullptr);
    std::thread watchdog([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      store.interrupt();
    });
    Value arg = Value::i32(0);
    auto start = std::chrono::steady_clock::now();
    auto r = store.invoke(f, {&arg, 1});
    watchdog.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
    EXPECT_NE(r.error().message.find("interrupted"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    // The request was delivered: the store runs normally again.
    FuncInst* g = instantiate(store, "count_down");
    Value n = Value::i32(10);
    auto ok = store.invoke(g, {&n, 1});
    EXPECT_TRUE(ok.ok());
  }
}

// A host function that blocks (here: reading a pipe nobody writes) polls the
// store's interrupt fd beside its own, so Store::interrupt() ends it too.
TEST(Interrupt, EndsAHostFunctionThatWaits) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  Store store;
  // Reads one byte, or returns the interrupt: what a WASI fd_read does.
  FuncInst* wait = store.create_host_function(
      FuncType{{}, {I32}},
      [&](HostContext& ctx, uint64_t* slots) -> Expected<void> {
        pollfd p[2] = {{pipe_fds[0], POLLIN, 0}, {ctx.store->interrupt_fd(), POLLIN, 0}};
        for (;;) {
          const int r = ::poll(p, 2, -1);
          if (r > 0 && p[1].revents && ctx.store->take_interrupt()) return interrupted_error();
          if (r > 0 && p[0].revents) break;
        }
        char c = 0;
        slots[0] = ::read(pipe_fds[0], &c, 1) == 1 ? uint64_t(uint8_t(c)) : 0;
        return {};
      },
      "wait");
  auto c = compile_ok(test::wat_module("call_host"));
  ASSERT_NE(c, nullptr);
  auto inst = store.instantiate(
      c, [&](std::string_view, std::string_view) { return std::optional<Extern>(Extern{ExternKind::Func, wait}); });
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  FuncInst* f = store.find_export(*inst, "f")->func();

  std::thread watchdog([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store.interrupt();
  });
  auto r = store.invoke(f, {});
  watchdog.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
  EXPECT_EQ(r.error().message, "interrupted\n  in host function \"wait\"\n  called from function 1")
      << r.error().message;

  // Delivered: with a byte in the pipe the same call returns it.
  ASSERT_EQ(::write(pipe_fds[1], "x", 1), 1);
  auto ok = store.invoke(f, {});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)[0].as_u32(), uint32_t('x'));

  // A request delivered at a loop back-edge leaves the event fd signalled;
  // the next wait must not take that for a new request (nor spin on it).
  FuncInst* spin = instantiate(store, "forever");
  ASSERT_NE(spin, nullptr);
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    store.interrupt();
  });
  Value arg = Value::i32(0);
  EXPECT_EQ(store.invoke(spin, {&arg, 1}).error().trap, TrapKind::Interrupted);
  late.join();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(::write(pipe_fds[1], "y", 1), 1);
  });
  ok = store.invoke(f, {});
  writer.join();
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)[0].as_u32(), uint32_t('y'));

  // A request made while nothing runs, before the fd exists, stops the next wait.
  Store fresh;
  fresh.interrupt();
  pollfd p{fresh.interrupt_fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 1);
  EXPECT_TRUE(fresh.take_interrupt());
  EXPECT_EQ(::poll(&p, 1, 0), 0);  // consumed with its event
  EXPECT_FALSE(fresh.take_interrupt());
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

}  // namespace
}  // namespace wnn

namespace wnn {
namespace {

TEST(Limits, MemoryAndTableSizes) {
  StoreConfig config;
  config.max_memory_pages = 4;
  config.max_table_elems = 100;
  Store store(config);
  // A memory asking for more than the limit at instantiation is refused...
  auto c = compile_ok(test::wat_module("memory_over_limit"));
  ASSERT_NE(c, nullptr);
  auto r = store.instantiate(c, [](std::string_view, std::string_view) { return std::optional<Extern>{}; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(r.error().message.find("5 pages (64 KiB each) exceed the limit of 4"), std::string::npos)
      << r.error().message;
  // ...and memory.grow past it returns -1.
  auto g = compile_ok(test::wat_module("memory_grow"));
  auto inst = store.instantiate(g, [](std::string_view, std::string_view) { return std::optional<Extern>{}; });
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  FuncInst* f = store.find_export(*inst, "f")->func();
  Value three = Value::i32(3), one = Value::i32(1);
  EXPECT_EQ((*store.invoke(f, {&three, 1}))[0].as_u32(), 1u);           // 1 -> 4 pages
  EXPECT_EQ((*store.invoke(f, {&one, 1}))[0].as_u32(), 0xFFFFFFFFu);    // 5 > limit
  // Tables likewise.
  EXPECT_FALSE(store.create_table(TableType{ValType::FuncRef, Limits{101, {}}}).ok());
  auto t = store.create_table(TableType{ValType::FuncRef, Limits{100, {}}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->grow(1, 0), -1);
}

}  // namespace
}  // namespace wnn
