// Table handlers: get/set/size/grow/fill/copy/init and elem.drop.
#include <cstdint>

#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

// Runs one instruction whose operand slots are the function's parameters:
// `words` are the operand words after the handler; results come back in
// slot 0.
Outcome one(Env& env, Handler h, std::vector<std::pair<uint32_t, uint32_t>> words, std::vector<uint64_t> args) {
  Asm a;
  a.op(h);
  for (auto [x, y] : words) a.ab(x, y);
  a.ret();
  uint32_t n = uint32_t(args.size());
  return env.run(env.func(a, n, n, 1, n), std::move(args));
}

TEST(Table, GetSetSize) {
  Env env;
  TableInst* t0 = env.table(2);
  TableInst* t1 = env.table(3);
  // table.set (index, val) (table)
  EXPECT_EQ(one(env, &op_table_set, {{0, 1}, {1, 0}}, {2, 0xABC}).trap, TrapKind::None);
  EXPECT_EQ(t1->elems[2], 0xABCu);
  EXPECT_EQ(one(env, &op_table_set, {{0, 1}, {1, 0}}, {3, 1}).trap, TrapKind::TableOutOfBounds);
  EXPECT_EQ(one(env, &op_table_set, {{0, 1}, {0, 0}}, {2, 1}).trap, TrapKind::TableOutOfBounds);
  EXPECT_EQ(one(env, &op_table_set, {{0, 1}, {0, 0}}, {0xFFFFFFFF, 1}).trap, TrapKind::TableOutOfBounds);
  // table.get (dst, index) (table)
  Outcome r = one(env, &op_table_get, {{0, 0}, {1, 0}}, {2});
  EXPECT_EQ(r.trap, TrapKind::None);
  EXPECT_EQ(r[0], 0xABCu);
  EXPECT_EQ(one(env, &op_table_get, {{0, 0}, {1, 0}}, {3}).trap, TrapKind::TableOutOfBounds);
  EXPECT_EQ(one(env, &op_table_get, {{0, 0}, {0, 0}}, {0})[0], 0u);
  // table.size (dst, table)
  EXPECT_EQ(one(env, &op_table_size, {{0, 0}}, {99})[0], 2u);
  EXPECT_EQ(one(env, &op_table_size, {{0, 1}}, {99})[0], 3u);
  (void)t0;
}

TEST(Table, Grow) {
  Env env;
  TableInst* t = env.table(1, 4);
  // table.grow (dst, init) (delta, table): args dst/init slot 0, delta slot 1
  auto grow = [&](uint64_t init, uint64_t delta) {
    return one(env, &op_table_grow, {{0, 0}, {1, 0}}, {init, delta})[0];
  };
  EXPECT_EQ(grow(0x55, 2), 1u);
  EXPECT_EQ(t->elems.size(), 3u);
  EXPECT_EQ(t->elems[2], 0x55u);
  EXPECT_EQ(grow(0, 2), 0xFFFFFFFFu);
  EXPECT_EQ(grow(0, 0), 3u);
  EXPECT_EQ(grow(0, 0xFFFFFFFF), 0xFFFFFFFFu);
  EXPECT_EQ(grow(7, 1), 3u);
  EXPECT_EQ(t->elems.size(), 4u);
  EXPECT_EQ(t->elems[3], 7u);
}

TEST(Table, Fill) {
  Env env;
  TableInst* t = env.table(5);
  // table.fill (i, val) (n, table)
  auto fill = [&](uint64_t i, uint64_t v, uint64_t n) {
    return one(env, &op_table_fill, {{0, 1}, {2, 0}}, {i, v, n}).trap;
  };
  EXPECT_EQ(fill(1, 9, 3), TrapKind::None);
  EXPECT_EQ(t->elems, (std::vector<Ref>{0, 9, 9, 9, 0}));
  EXPECT_EQ(fill(5, 1, 0), TrapKind::None);
  EXPECT_EQ(fill(6, 1, 0), TrapKind::TableOutOfBounds);
  EXPECT_EQ(fill(3, 1, 3), TrapKind::TableOutOfBounds);
  EXPECT_EQ(t->elems, (std::vector<Ref>{0, 9, 9, 9, 0}));  // nothing written
  EXPECT_EQ(fill(1, 1, 0xFFFFFFFF), TrapKind::TableOutOfBounds);
}

TEST(Table, Copy) {
  Env env;
  TableInst* t0 = env.table(5);
  TableInst* t1 = env.table(3);
  t0->elems = {1, 2, 3, 4, 5};
  // table.copy (d, s) (n, -) (dst_table, src_table)
  auto copy = [&](uint32_t dt, uint32_t st, uint64_t d, uint64_t s, uint64_t n) {
    return one(env, &op_table_copy, {{0, 1}, {2, 0}, {dt, st}}, {d, s, n}).trap;
  };
  EXPECT_EQ(copy(0, 0, 1, 0, 3), TrapKind::None);  // overlapping
  EXPECT_EQ(t0->elems, (std::vector<Ref>{1, 1, 2, 3, 5}));
  EXPECT_EQ(copy(0, 0, 0, 1, 4), TrapKind::None);
  EXPECT_EQ(t0->elems, (std::vector<Ref>{1, 2, 3, 5, 5}));
  EXPECT_EQ(copy(1, 0, 0, 2, 3), TrapKind::None);  // between tables
  EXPECT_EQ(t1->elems, (std::vector<Ref>{3, 5, 5}));
  EXPECT_EQ(copy(1, 0, 1, 0, 3), TrapKind::TableOutOfBounds);
  EXPECT_EQ(copy(0, 1, 0, 1, 3), TrapKind::TableOutOfBounds);
  EXPECT_EQ(copy(1, 0, 3, 5, 0), TrapKind::None);
  EXPECT_EQ(copy(1, 0, 4, 0, 0), TrapKind::TableOutOfBounds);
  EXPECT_EQ(t1->elems, (std::vector<Ref>{3, 5, 5}));
}

TEST(Table, InitAndElemDrop) {
  Env env;
  TableInst* t = env.table(4);
  ElemInst seg;
  seg.refs = {10, 20, 30};
  env.inst.elems.push_back(seg);
  // table.init (d, s) (n, elem) (table, -)
  auto init = [&](uint64_t d, uint64_t s, uint64_t n) {
    return one(env, &op_table_init, {{0, 1}, {2, 0}, {0, 0}}, {d, s, n}).trap;
  };
  EXPECT_EQ(init(1, 1, 2), TrapKind::None);
  EXPECT_EQ(t->elems, (std::vector<Ref>{0, 20, 30, 0}));
  EXPECT_EQ(init(4, 3, 0), TrapKind::None);
  EXPECT_EQ(init(0, 4, 0), TrapKind::TableOutOfBounds);
  EXPECT_EQ(init(5, 0, 0), TrapKind::TableOutOfBounds);
  EXPECT_EQ(init(2, 0, 3), TrapKind::TableOutOfBounds);
  EXPECT_EQ(t->elems, (std::vector<Ref>{0, 20, 30, 0}));
  EXPECT_EQ(one(env, &op_elem_drop, {{0, 0}}, {0}).trap, TrapKind::None);
  EXPECT_TRUE(env.inst.elems[0].refs.empty());
  EXPECT_EQ(init(0, 0, 0), TrapKind::None);
  EXPECT_EQ(init(0, 0, 1), TrapKind::TableOutOfBounds);
}

}  // namespace
}  // namespace wnn::exec::test
