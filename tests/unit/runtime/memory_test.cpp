// MemoryInst: reservation, growth, zeroing, base stability and limits.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>

#include "runtime/objects.h"
#include "valid/compiled_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

MemoryType mem_type(uint64_t min, std::optional<uint64_t> max = std::nullopt) { return MemoryType{Limits{min, max}}; }

TEST(Memory, CreateMakesInitialPagesAccessible) {
  auto m = MemoryInst::create(mem_type(2));
  ASSERT_TRUE(m.ok()) << m.error().message;
  MemoryInst& mem = **m;
  EXPECT_EQ(mem.pages(), 2u);
  EXPECT_EQ(mem.size, 2 * kPageSize);
  EXPECT_GE(mem.reserved, uint64_t(8) << 30);
  EXPECT_EQ(mem.max_pages, kMaxPages);
  ASSERT_NE(mem.base, nullptr);
  for (uint64_t i = 0; i < mem.size; i += 4096) EXPECT_EQ(mem.base[i], 0);
  mem.base[0] = 1;
  mem.base[mem.size - 1] = 2;  // last accessible byte is writable
  EXPECT_EQ(mem.base[mem.size - 1], 2);
}

TEST(Memory, ZeroPagesIsValid) {
  auto m = MemoryInst::create(mem_type(0, 0));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->size, 0u);
  EXPECT_NE((*m)->base, nullptr);
  EXPECT_EQ((*m)->max_pages, 0u);
  EXPECT_EQ((*m)->grow(0), 0);
  EXPECT_EQ((*m)->grow(1), -1);
}

TEST(Memory, GrowKeepsBaseAndContentsAndZeroesNewPages) {
  auto m = MemoryInst::create(mem_type(1));
  ASSERT_TRUE(m.ok());
  MemoryInst& mem = **m;
  uint8_t* base = mem.base;
  mem.base[100] = 42;
  EXPECT_EQ(mem.grow(3), 1);
  EXPECT_EQ(mem.base, base);
  EXPECT_EQ(mem.pages(), 4u);
  EXPECT_EQ(mem.base[100], 42);
  for (uint64_t i = kPageSize; i < mem.size; i += 512) ASSERT_EQ(mem.base[i], 0) << i;
  mem.base[mem.size - 1] = 7;
  EXPECT_EQ(mem.grow(0), 4);
  EXPECT_EQ(mem.pages(), 4u);
}

TEST(Memory, GrowRespectsDeclaredMax) {
  auto m = MemoryInst::create(mem_type(1, 3));
  ASSERT_TRUE(m.ok());
  MemoryInst& mem = **m;
  EXPECT_EQ(mem.max_pages, 3u);
  EXPECT_EQ(mem.grow(3), -1);  // 1 + 3 > 3
  EXPECT_EQ(mem.pages(), 1u);
  EXPECT_EQ(mem.grow(2), 1);
  EXPECT_EQ(mem.grow(1), -1);
  EXPECT_EQ(mem.grow(0), 3);
}

TEST(Memory, GrowRespects4GiBWithoutMax) {
  auto m = MemoryInst::create(mem_type(0));
  ASSERT_TRUE(m.ok());
  MemoryInst& mem = **m;
  EXPECT_EQ(mem.grow(kMaxPages + 1), -1);
  EXPECT_EQ(mem.grow(UINT64_MAX), -1);  // no overflow in old + delta
  EXPECT_EQ(mem.pages(), 0u);
  EXPECT_EQ(mem.grow(1), 0);
  EXPECT_EQ(mem.grow(kMaxPages), -1);
}

TEST(Memory, DeclaredMaxAbove4GiBIsClamped) {
  auto m = MemoryInst::create(mem_type(0, uint64_t(1) << 20));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->max_pages, kMaxPages);
}

TEST(Memory, FullGrowthTo4GiB) {
  // Making the whole 4 GiB accessible costs nothing until pages are touched.
  auto m = MemoryInst::create(mem_type(0));
  ASSERT_TRUE(m.ok());
  MemoryInst& mem = **m;
  EXPECT_EQ(mem.grow(kMaxPages), 0);
  EXPECT_EQ(mem.size, kMaxPages * kPageSize);
  mem.base[mem.size - 1] = 9;
  EXPECT_EQ(mem.base[mem.size - 1], 9);
  EXPECT_EQ(mem.grow(1), -1);
}

TEST(Memory, RejectsBadLimits) {
  auto big = MemoryInst::create(mem_type(kMaxPages + 1));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("65536 pages"), std::string::npos) << big.error().message;
  auto inverted = MemoryInst::create(mem_type(2, 1));
  ASSERT_FALSE(inverted.ok());
  EXPECT_NE(inverted.error().message.find("below its minimum"), std::string::npos);
}

TEST(Memory, AccessBeyondSizeFaults) {
  auto m = MemoryInst::create(mem_type(1));
  ASSERT_TRUE(m.ok());
  uint8_t* p = (*m)->base + (*m)->size;
  EXPECT_DEATH({ *static_cast<volatile uint8_t*>(p) = 1; }, "");
}

TEST(Memory, ManyMemoriesCanCoexist) {
  // Each reserves 8 GiB of address space; a few hundred must still fit.
  std::vector<std::unique_ptr<MemoryInst>> mems;
  for (int i = 0; i < 200; ++i) {
    auto m = MemoryInst::create(mem_type(1));
    ASSERT_TRUE(m.ok()) << i << ": " << m.error().message;
    mems.push_back(std::move(*m));
  }
}

#if !defined(__has_feature) || !__has_feature(address_sanitizer)  // ASan needs its shadow space
// Runs in a child limited to 4 GiB of address space, where the 8 GiB
// reservation fails; exits 0 when both APIs report it properly.
[[noreturn]] void reserve_under_rlimit() {
  rlimit lim{uint64_t(4) << 30, uint64_t(4) << 30};
  if (setrlimit(RLIMIT_AS, &lim) != 0) std::_Exit(2);
  auto m = MemoryInst::create(mem_type(1));
  if (m.ok() || m.error().message.rfind("cannot reserve memory", 0) != 0) std::_Exit(3);
  Store store;
  auto cm = std::make_shared<CompiledModule>();
  cm->module.memories.push_back(mem_type(1));
  auto r = store.instantiate(cm, {});
  if (r.ok() || r.error().kind != ErrorKind::Trap || r.error().message.rfind("memory 0: cannot reserve memory", 0) != 0)
    std::_Exit(4);
  std::_Exit(0);
}

TEST(Memory, ReservationFailureIsAnError) { EXPECT_EXIT(reserve_under_rlimit(), ::testing::ExitedWithCode(0), ""); }
#endif

TEST(Memory, StoreApi) {
  Store store;
  auto m = store.create_memory(mem_type(1, 5));
  ASSERT_TRUE(m.ok()) << m.error().message;
  MemoryInst* mem = *m;
  EXPECT_EQ(store.memory_data(mem).size(), kPageSize);
  EXPECT_EQ(store.memory_data(mem).data(), mem->base);
  EXPECT_EQ(mem->grow(2), 1);
  MemoryType t = store.memory_type(mem);
  EXPECT_EQ(t.limits.min, 3u);  // current size, not the declared one
  EXPECT_EQ(t.limits.max, 5u);
  EXPECT_EQ(store.memory_data(mem).size(), 3 * kPageSize);
  EXPECT_FALSE(store.create_memory(mem_type(kMaxPages + 1)).ok());
}

}  // namespace
}  // namespace wnn
