// TableInst growth limits and the Store's table API.
#include <gtest/gtest.h>

#include "runtime/objects.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

TableInst make(uint64_t min, std::optional<uint64_t> max) {
  TableInst t;
  t.type = TableType{ValType::FuncRef, Limits{min, max}};
  t.elems.assign(min, 0);
  return t;
}

TEST(Table, GrowFillsWithInit) {
  TableInst t = make(2, std::nullopt);
  EXPECT_EQ(t.grow(3, Ref(0x1234)), 2);
  ASSERT_EQ(t.elems.size(), 5u);
  EXPECT_EQ(t.elems[1], 0u);
  EXPECT_EQ(t.elems[2], 0x1234u);
  EXPECT_EQ(t.elems[4], 0x1234u);
  EXPECT_EQ(t.grow(0, 0), 5);
}

TEST(Table, GrowRespectsDeclaredMax) {
  TableInst t = make(1, 4);
  EXPECT_EQ(t.grow(4, 0), -1);
  EXPECT_EQ(t.elems.size(), 1u);
  EXPECT_EQ(t.grow(3, 0), 1);
  EXPECT_EQ(t.grow(1, 0), -1);
  EXPECT_EQ(t.grow(0, 0), 4);
}

TEST(Table, GrowRespectsImplementationLimit) {
  TableInst t = make(0, std::nullopt);
  EXPECT_EQ(t.max_elems(), kMaxTableElems);
  EXPECT_EQ(t.grow(kMaxTableElems + 1, 0), -1);
  EXPECT_EQ(t.grow(UINT64_MAX, 0), -1);
  EXPECT_EQ(t.grow(uint64_t(UINT32_MAX), 0), -1);
  TableInst u = make(0, uint64_t(UINT32_MAX));
  EXPECT_EQ(u.max_elems(), kMaxTableElems);
  TableInst v = make(0, 10);
  EXPECT_EQ(v.max_elems(), 10u);
}

TEST(Table, StoreApi) {
  Store store;
  auto t = store.create_table(TableType{ValType::ExternRef, Limits{3, 10}});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ((*t)->elems, std::vector<Ref>(3, 0));
  EXPECT_EQ((*t)->grow(2, 7), 3);
  TableType tt = store.table_type(*t);
  EXPECT_EQ(tt.elem, ValType::ExternRef);
  EXPECT_EQ(tt.limits.min, 5u);  // current size
  EXPECT_EQ(tt.limits.max, 10u);
}

TEST(Table, StoreRejectsBadTables) {
  Store store;
  EXPECT_FALSE(store.create_table(TableType{ValType::I32, Limits{0, {}}}).ok());
  EXPECT_FALSE(store.create_table(TableType{ValType::FuncRef, Limits{5, 4}}).ok());
  auto huge = store.create_table(TableType{ValType::FuncRef, Limits{kMaxTableElems + 1, {}}});
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("exceed the limit"), std::string::npos) << huge.error().message;
}

}  // namespace
}  // namespace wnn
