// The store-wide total of memory and table bytes (StoreConfig::max_total_bytes):
// checked before anything is allocated, at instantiation, create_memory /
// create_table and memory.grow / table.grow, whoever shares the objects.
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "runtime/objects.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using test::compile_ok;
using test::ModuleBuilder;
using enum ValType;

std::optional<Extern> no_imports(std::string_view, std::string_view) { return std::nullopt; }

// n tables of `elems` elements each, nothing else: a few hundred bytes.
std::vector<uint8_t> many_tables(int n, uint64_t elems) {
  ModuleBuilder b;
  for (int i = 0; i < n; ++i) b.table(FuncRef, elems);
  return b.build();
}

TEST(StoreTotal, ThousandLargeTablesFailBeforeAllocating) {
  // 1000 x 10 M elements = 80 GB: refused as a whole, not one table at a time.
  auto bytes = many_tables(1000, 10'000'000);
  EXPECT_LT(bytes.size(), 8000u);
  auto cm = compile_ok(bytes);
  ASSERT_TRUE(cm);
  Store store;
  auto r = store.instantiate(cm, no_imports);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().message,
            "the module's own memories and tables (0 memory(ies), 1000 table(s)): 80000000000 bytes would bring the "
            "store's memories and tables to "
            "80000000000 bytes, over the limit of 5368709120 (StoreConfig::max_total_bytes, wnn run --max-memory)");
}

TEST(StoreTotal, HundredLargeTablesExceedTheDefault) {
  Store store;
  auto r = store.instantiate(compile_ok(many_tables(100, 10'000'000)), no_imports);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(r.error().message.find("8000000000 bytes"), std::string::npos) << r.error().message;
  // Within the total, they are allocated (scaled down: 100 x 1000 elements).
  Store other;
  auto ok = other.instantiate(compile_ok(many_tables(100, 1000)), no_imports);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)->tables.size(), 100u);
}

// (memory pages) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
std::shared_ptr<const CompiledModule> memory_module(uint64_t pages, bool import) {
  ModuleBuilder b;
  if (import)
    b.import_memory(pages);
  else
    b.memory(pages);
  b.export_func("grow", b.func(b.type({I32}, {I32}), {0x20, 0, 0x40, 0, 0x0B}));
  return compile_ok(b.build());
}

int32_t grow(Store& store, Instance* inst, int32_t pages) {
  Value arg = Value::i32(pages);
  auto r = store.invoke(store.find_export(inst, "grow")->func(), {&arg, 1});
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? int32_t((*r)[0].as_u32()) : 0;
}

TEST(StoreTotal, CountsMemoriesAndTablesOfEveryOrigin) {
  StoreConfig config;
  config.max_total_bytes = 8 * kPageSize;
  Store store(config);
  // Host-created objects count.
  auto host_mem = store.create_memory(MemoryType{Limits{4, {}}});
  ASSERT_TRUE(host_mem.ok());
  auto host_table = store.create_table(TableType{FuncRef, Limits{1000, {}}});
  ASSERT_TRUE(host_table.ok());  // 8000 bytes
  // 4 more pages do not fit beside them; 3 do.
  auto too_big = store.instantiate(memory_module(4, false), no_imports);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(too_big.error().message.find("over the limit of 524288"), std::string::npos) << too_big.error().message;
  auto inst = store.instantiate(memory_module(3, false), no_imports);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  // 7 pages + 8000 bytes used: memory.grow of one page returns -1.
  EXPECT_EQ(grow(store, *inst, 1), -1);
  EXPECT_EQ(grow(store, *inst, 0), 3);
  // A module importing the host's memory adds nothing, but its grow counts.
  auto importer = store.instantiate(memory_module(4, true), [&](std::string_view, std::string_view) {
    return std::optional<Extern>(Extern{ExternKind::Memory, *host_mem});
  });
  ASSERT_TRUE(importer.ok()) << importer.error().message;
  EXPECT_EQ(grow(store, *importer, 1), -1);
  // The table takes what is left, element by element (8 bytes each).
  const uint64_t left = (8 * kPageSize - 7 * kPageSize - 8000) / sizeof(Ref);
  EXPECT_EQ((*host_table)->grow(left + 1, 0), -1);
  EXPECT_EQ((*host_table)->grow(left, 0), 1000);
  EXPECT_EQ((*host_table)->grow(1, 0), -1);
  EXPECT_EQ((*host_table)->elems.size(), 1000 + left);
  // Now nothing more fits, not even one host page.
  auto more = store.create_memory(MemoryType{Limits{1, {}}});
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().kind, ErrorKind::Exhaustion);
  EXPECT_NE(more.error().message.find("memory: 65536 bytes would bring"), std::string::npos) << more.error().message;
  auto table = store.create_table(TableType{FuncRef, Limits{1, {}}});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().kind, ErrorKind::Exhaustion);
  // Empty objects still fit.
  EXPECT_TRUE(store.create_memory(MemoryType{Limits{0, {}}}).ok());
}

TEST(StoreTotal, MemoriesCountTheirAccessibleSizeNotTheReservation) {
  StoreConfig config;
  config.max_total_bytes = 2 * kPageSize;
  Store store(config);
  // Each memory reserves 8 GiB of address space; only its pages count.
  auto a = store.instantiate(memory_module(1, false), no_imports);
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto b = store.instantiate(memory_module(0, false), no_imports);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(grow(store, *b, 1), 0);
  EXPECT_EQ(grow(store, *a, 1), -1);
  EXPECT_EQ(grow(store, *b, 1), -1);
}

TEST(StoreTotal, PerObjectLimitsStillApply) {
  StoreConfig config;
  config.max_table_elems = 10;
  Store store(config);
  auto r = store.instantiate(compile_ok(many_tables(1, 11)), no_imports);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("table 0: 11 elements exceed the limit of 10"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace wnn
