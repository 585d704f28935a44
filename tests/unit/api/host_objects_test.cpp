// Globals set and memories and tables grown from the host, seen by the
// guest, with the errors for immutable globals, wrong types and limits.
#include <gtest/gtest.h>

#include "api_test_util.h"
#include "wnn/typed.h"

namespace wnn {
namespace {

using api_test::export_func;
using api_test::load;

struct Objects {
  Store store;
  Instance* inst = nullptr;

  explicit Objects(StoreConfig config = {}) : store(config) {
    FuncInst* f = wrap(store, [](int32_t, int64_t) { return 0.0f; });
    auto t = store.create_table(TableType{ValType::FuncRef, Limits{1, 10}});
    GlobalInst* g = store.create_global(GlobalType{ValType::I64, true}, Value::i64(0));
    auto module = load("objects");
    if (!t || !module) return;
    auto i = store.instantiate(module, [&](std::string_view, std::string_view name) -> std::optional<Extern> {
      if (name == "f") return Extern{ExternKind::Func, f};
      if (name == "t") return Extern{ExternKind::Table, *t};
      if (name == "g") return Extern{ExternKind::Global, g};
      return std::nullopt;
    });
    EXPECT_TRUE(i) << i.error().message;
    if (i) inst = *i;
  }
  Extern get(std::string_view name) { return store.find_export(inst, name).value_or(Extern{}); }
  int32_t call(std::string_view name) {
    auto f = typed<int32_t()>(store, export_func(store, inst, name));
    return f ? f->call().value_or(-1) : -1;
  }
};

TEST(SetGlobal, TheGuestSeesTheNewValue) {
  Objects o;
  ASSERT_TRUE(o.inst);
  GlobalInst* counter = o.get("counter").global();
  ASSERT_TRUE(counter);
  EXPECT_EQ(o.call("counter_get"), 7);
  ASSERT_TRUE(o.store.set_global(counter, Value::i32(42)));
  EXPECT_EQ(o.call("counter_get"), 42);
  EXPECT_EQ(o.store.global_value(counter).as_u32(), 42u);
}

TEST(SetGlobal, AnImmutableGlobalIsAnError) {
  Objects o;
  ASSERT_TRUE(o.inst);
  GlobalInst* fixed = o.get("fixed").global();
  ASSERT_TRUE(fixed);
  auto r = o.store.set_global(fixed, Value::f64(2.5));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_EQ(r.error().message, "set_global: the global is immutable (global f64)");
  EXPECT_EQ(o.store.global_value(fixed).as_f64(), 1.5);
}

TEST(SetGlobal, AValueOfAnotherTypeIsAnError) {
  Objects o;
  ASSERT_TRUE(o.inst);
  GlobalInst* counter = o.get("counter").global();
  auto r = o.store.set_global(counter, Value::i64(42));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_EQ(r.error().message, "set_global: value has type i64, the global holds i32");
  EXPECT_EQ(o.call("counter_get"), 7);
  EXPECT_FALSE(o.store.set_global(nullptr, Value::i32(1)));
}

TEST(GrowMemory, UpToItsMaximumThenAnErrorAndNoChange) {
  Objects o;
  ASSERT_TRUE(o.inst);
  MemoryInst* mem = o.get("mem").memory();
  ASSERT_TRUE(mem);
  auto r = o.store.grow_memory(mem, 2);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 1u);
  EXPECT_EQ(o.call("mem_pages"), 3);
  EXPECT_EQ(o.store.memory_data(mem).size(), 3 * kPageSize);
  o.store.memory_data(mem)[3 * kPageSize - 1] = 9;  // the new pages are accessible
  auto past = o.store.grow_memory(mem, 1);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(past.error().message.find("past the maximum of 3 pages"), std::string::npos) << past.error().message;
  EXPECT_EQ(o.call("mem_pages"), 3);
  EXPECT_EQ(*o.store.grow_memory(mem, 0), 3u);
}

TEST(GrowMemory, TheStoresTotalBoundsIt) {
  StoreConfig config;
  config.max_total_bytes = 4 * kPageSize;
  Store store(config);
  auto mem = store.create_memory(MemoryType{Limits{2, std::nullopt}});
  ASSERT_TRUE(mem);
  auto r = store.grow_memory(*mem, 3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(r.error().message.find("StoreConfig::max_total_bytes"), std::string::npos) << r.error().message;
  EXPECT_EQ(store.memory_type(*mem).limits.min, 2u);
  EXPECT_EQ(*store.grow_memory(*mem, 2), 2u);
}

TEST(GrowTable, FillsWithTheInitialValueUpToItsMaximum) {
  Objects o;
  ASSERT_TRUE(o.inst);
  TableInst* tab = o.get("tab").table();
  ASSERT_TRUE(tab);
  auto r = o.store.grow_table(tab, 2, Value::ref(ValType::ExternRef, 0x1234));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 2u);
  EXPECT_EQ(o.call("tab_size"), 4);
  auto past = o.store.grow_table(tab, 1, Value::ref(ValType::ExternRef, 0));
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(past.error().message.find("past the maximum of 4 elements"), std::string::npos) << past.error().message;
  EXPECT_EQ(o.call("tab_size"), 4);
}

TEST(GrowTable, AnInitialValueOfAnotherTypeIsAnError) {
  Objects o;
  ASSERT_TRUE(o.inst);
  TableInst* tab = o.get("tab").table();
  auto r = o.store.grow_table(tab, 1, Value::ref(ValType::FuncRef, 0));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_NE(r.error().message.find("the initial value has type funcref, the table holds externref"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(o.call("tab_size"), 2);
}

}  // namespace
}  // namespace wnn
