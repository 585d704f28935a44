// Loads/stores at the bounds of memory, memory.size/grow and bulk memory.
#include <cstdint>
#include <cstring>

#include "exec_test_util.h"

namespace wnn::exec::test {
namespace {

struct Access {
  Handler h;
  uint32_t width;
  bool store;
};
const Access kAccesses[] = {
    {&op_i32_load, 4, false},     {&op_i64_load, 8, false},     {&op_f32_load, 4, false},
    {&op_f64_load, 8, false},     {&op_i32_load8_s, 1, false},  {&op_i32_load8_u, 1, false},
    {&op_i32_load16_s, 2, false}, {&op_i32_load16_u, 2, false}, {&op_i64_load8_s, 1, false},
    {&op_i64_load8_u, 1, false},  {&op_i64_load16_s, 2, false}, {&op_i64_load16_u, 2, false},
    {&op_i64_load32_s, 4, false}, {&op_i64_load32_u, 4, false}, {&op_i32_store, 4, true},
    {&op_i64_store, 8, true},     {&op_f32_store, 4, true},     {&op_f64_store, 8, true},
    {&op_i32_store8, 1, true},    {&op_i32_store16, 2, true},   {&op_i64_store8, 1, true},
    {&op_i64_store16, 2, true},   {&op_i64_store32, 4, true},
};

// f(addr) with the memarg offset baked in: loads into slot 1 / stores slot 1.
FuncInst* access_func(Env& env, const Access& acc, uint32_t offset) {
  Asm a;
  if (acc.store)
    a.mem(acc.h, 0, 1, offset);  // (addr, src)
  else
    a.mem(acc.h, 1, 0, offset);  // (dst, addr)
  a.ret();
  return env.func(a, 1, 2, 1, 2);
}

TEST(Memory, EveryAccessAtTheBounds) {
  Env env;
  env.memory(1);
  const uint64_t size = 65536;
  for (const Access& acc : kAccesses) {
    SCOPED_TRACE(acc.width);
    FuncInst* f0 = access_func(env, acc, 0);
    FuncInst* f1 = access_func(env, acc, 1);
    FuncInst* fend = access_func(env, acc, uint32_t(size - acc.width));
    FuncInst* fbig = access_func(env, acc, 0xFFFFFFFF);
    EXPECT_EQ(env.run(f0, {size - acc.width}).trap, TrapKind::None);
    EXPECT_EQ(env.run(f0, {size - acc.width + 1}).trap, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(env.run(f1, {size - acc.width - 1}).trap, TrapKind::None);
    EXPECT_EQ(env.run(f1, {size - acc.width}).trap, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(env.run(fend, {0}).trap, TrapKind::None);
    EXPECT_EQ(env.run(fend, {1}).trap, TrapKind::MemoryOutOfBounds);
    // The address is the low 32 bits of the slot.
    EXPECT_EQ(env.run(fend, {0xFFFFFFFF00000000ull}).trap, TrapKind::None);
    // u32 + u32 must not wrap around to a small address.
    EXPECT_EQ(env.run(fbig, {0}).trap, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(env.run(fbig, {1}).trap, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(env.run(fbig, {0xFFFFFFFF}).trap, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(env.run(f0, {0xFFFFFFFF}).trap, TrapKind::MemoryOutOfBounds);
  }
}

// (A load in an instance without memory cannot happen: the validator rejects
// it, see tests/unit/valid. With guard pages there is no bounds check to test
// for that case any more.)

TEST(Memory, LoadsExtendAndStoresTruncate) {
  Env env;
  MemoryInst* m = env.memory(1);
  const uint8_t bytes[8] = {0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88};
  std::memcpy(m->base + 100, bytes, 8);
  auto load = [&](Handler h, uint32_t addr) {
    Asm a;
    a.mem(h, 0, 0, 0).ret();
    Outcome r = env.run(env.func(a, 1, 1, 1, 1), {addr});
    EXPECT_EQ(r.trap, TrapKind::None);
    return r[0];
  };
  EXPECT_EQ(load(&op_i32_load, 100), 0x84838281u);
  EXPECT_EQ(load(&op_i32_load, 101), 0x85848382u);  // unaligned
  EXPECT_EQ(load(&op_i64_load, 100), 0x8887868584838281ull);
  EXPECT_EQ(load(&op_f32_load, 100), 0x84838281u);
  EXPECT_EQ(load(&op_f64_load, 100), 0x8887868584838281ull);
  EXPECT_EQ(load(&op_i32_load8_s, 100), 0xFFFFFF81u);
  EXPECT_EQ(load(&op_i32_load8_u, 100), 0x81u);
  EXPECT_EQ(load(&op_i32_load16_s, 100), 0xFFFF8281u);
  EXPECT_EQ(load(&op_i32_load16_u, 100), 0x8281u);
  EXPECT_EQ(load(&op_i64_load8_s, 100), 0xFFFFFFFFFFFFFF81ull);
  EXPECT_EQ(load(&op_i64_load8_u, 100), 0x81u);
  EXPECT_EQ(load(&op_i64_load16_s, 100), 0xFFFFFFFFFFFF8281ull);
  EXPECT_EQ(load(&op_i64_load16_u, 100), 0x8281u);
  EXPECT_EQ(load(&op_i64_load32_s, 100), 0xFFFFFFFF84838281ull);
  EXPECT_EQ(load(&op_i64_load32_u, 100), 0x84838281u);

  auto store = [&](Handler h, uint32_t addr, uint64_t v) {
    std::memset(m->base + 200, 0xAA, 16);
    Asm a;
    a.mem(h, 0, 1, 3).ret();  // offset 3
    EXPECT_EQ(env.run(env.func(a, 2, 2, 0, 2), {addr, v}).trap, TrapKind::None);
  };
  const uint64_t v = 0x0102030405060708ull;
  auto at = [&](int i) { return m->base[200 + i]; };
  store(&op_i32_store8, 197, v);
  EXPECT_EQ(at(0), 0x08);
  EXPECT_EQ(at(1), 0xAA);
  store(&op_i64_store16, 197, v);
  EXPECT_EQ(at(1), 0x07);
  EXPECT_EQ(at(2), 0xAA);
  store(&op_i32_store, 198, v);  // unaligned
  EXPECT_EQ(at(0), 0xAA);
  EXPECT_EQ(at(1), 0x08);
  EXPECT_EQ(at(4), 0x05);
  EXPECT_EQ(at(5), 0xAA);
  store(&op_i64_store32, 197, v);
  EXPECT_EQ(at(3), 0x05);
  EXPECT_EQ(at(4), 0xAA);
  store(&op_i64_store, 197, v);
  EXPECT_EQ(at(7), 0x01);
  EXPECT_EQ(at(8), 0xAA);
  store(&op_f64_store, 197, v);
  EXPECT_EQ(at(7), 0x01);
  store(&op_f32_store, 197, v);
  EXPECT_EQ(at(3), 0x05);
  EXPECT_EQ(at(4), 0xAA);
  store(&op_i32_store16, 197, v);
  EXPECT_EQ(at(1), 0x07);
  EXPECT_EQ(at(2), 0xAA);
  store(&op_i64_store8, 197, v);
  EXPECT_EQ(at(0), 0x08);
  EXPECT_EQ(at(1), 0xAA);
}

TEST(Memory, SizeAndGrow) {
  Env env;
  MemoryInst* m = env.memory(1, 3);
  // f(delta): slot1 = grow(delta); slot2 = size; store32 at 65536*size - 4
  Asm a;
  a.op(&op_memory_grow).ab(1, 0).op(&op_memory_size).ab(2);
  a.konst(3, 65536).binop(&op_i32_mul, 3, 3, 2).konst(4, 4).binop(&op_i32_sub, 3, 3, 4);
  a.mem(&op_i32_store, 3, 2, 0);
  a.copy(0, 1).copy(1, 2).ret();
  FuncInst* f = env.func(a, 1, 1, 2, 5);
  Outcome r = env.run(f, {1});
  ASSERT_EQ(r.trap, TrapKind::None) << r.message;
  EXPECT_EQ(r[0], 1u);  // old size
  EXPECT_EQ(r[1], 2u);
  EXPECT_EQ(m->size, 2 * 65536u);
  r = env.run(f, {2});  // beyond max 3
  EXPECT_EQ(r[0], 0xFFFFFFFFu);
  EXPECT_EQ(r[1], 2u);
  r = env.run(f, {0});
  EXPECT_EQ(r[0], 2u);
  r = env.run(f, {0xFFFFFFFF});
  EXPECT_EQ(r[0], 0xFFFFFFFFu);
  r = env.run(f, {1});
  EXPECT_EQ(r[0], 2u);
  EXPECT_EQ(r[1], 3u);
  uint32_t last;
  std::memcpy(&last, m->base + 3 * 65536 - 4, 4);
  EXPECT_EQ(last, 3u);
}

TEST(Memory, GrowInCalleeIsSeenByCaller) {
  Env env;
  env.memory(1);
  Asm g;  // g(): memory.grow(1)
  g.konst(1, 1).op(&op_memory_grow).ab(0, 1).ret();
  Asm f;  // f(): g(); store at 65536 (valid only after the grow)
  f.call(1, 0).konst(0, 65536).mem(&op_i32_store, 0, 0, 0).ret();
  FuncInst* ff = env.func(f, 0, 0, 0, 2);
  env.func(g, 0, 0, 1, 2);
  EXPECT_EQ(env.run(ff).trap, TrapKind::None);
}

// Runs a 3-word bulk op (x, y) (n, imm) with x, y, n as arguments.
Outcome bulk(Env& env, Handler h, uint64_t x, uint64_t y, uint64_t n, uint32_t imm = 0) {
  Asm a;
  a.op(h).ab(0, 1).ab(2, imm).ret();
  return env.run(env.func(a, 3, 3, 0, 3), {x, y, n});
}

TEST(Memory, Fill) {
  Env env;
  MemoryInst* m = env.memory(1);
  EXPECT_EQ(bulk(env, &op_memory_fill, 10, 0x1FF, 5).trap, TrapKind::None);
  EXPECT_EQ(m->base[9], 0);
  EXPECT_EQ(m->base[10], 0xFF);
  EXPECT_EQ(m->base[14], 0xFF);
  EXPECT_EQ(m->base[15], 0);
  EXPECT_EQ(bulk(env, &op_memory_fill, 65536, 1, 0).trap, TrapKind::None);  // n = 0 at the end
  EXPECT_EQ(bulk(env, &op_memory_fill, 65537, 1, 0).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(bulk(env, &op_memory_fill, 65530, 7, 6).trap, TrapKind::None);
  EXPECT_EQ(m->base[65535], 7);
  // Out of bounds: nothing is written.
  EXPECT_EQ(bulk(env, &op_memory_fill, 65530, 9, 7).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(m->base[65530], 7);
  EXPECT_EQ(bulk(env, &op_memory_fill, 1, 9, 0xFFFFFFFF).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(m->base[1], 0);
}

TEST(Memory, Copy) {
  Env env;
  MemoryInst* m = env.memory(1);
  for (int i = 0; i < 10; ++i) m->base[i] = uint8_t(i + 1);
  EXPECT_EQ(bulk(env, &op_memory_copy, 2, 0, 8).trap, TrapKind::None);  // overlapping forward
  EXPECT_EQ(m->base[2], 1);
  EXPECT_EQ(m->base[9], 8);
  EXPECT_EQ(bulk(env, &op_memory_copy, 0, 2, 8).trap, TrapKind::None);  // overlapping backward
  EXPECT_EQ(m->base[0], 1);
  EXPECT_EQ(m->base[7], 8);
  EXPECT_EQ(bulk(env, &op_memory_copy, 65536, 0, 0).trap, TrapKind::None);
  EXPECT_EQ(bulk(env, &op_memory_copy, 0, 65536, 0).trap, TrapKind::None);
  EXPECT_EQ(bulk(env, &op_memory_copy, 0, 65537, 0).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(bulk(env, &op_memory_copy, 65535, 0, 2).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(bulk(env, &op_memory_copy, 0, 65535, 2).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(m->base[0], 1);
  EXPECT_EQ(bulk(env, &op_memory_copy, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF).trap, TrapKind::MemoryOutOfBounds);
}

TEST(Memory, InitAndDataDrop) {
  Env env;
  MemoryInst* m = env.memory(1);
  static const uint8_t seg[] = {1, 2, 3, 4, 5};
  env.inst.datas.push_back(DataInst{seg, 5});
  env.inst.datas.push_back(DataInst{seg, 5});
  EXPECT_EQ(bulk(env, &op_memory_init, 100, 1, 3, 0).trap, TrapKind::None);
  EXPECT_EQ(m->base[100], 2);
  EXPECT_EQ(m->base[102], 4);
  EXPECT_EQ(m->base[103], 0);
  EXPECT_EQ(bulk(env, &op_memory_init, 0, 5, 0, 0).trap, TrapKind::None);  // n = 0 at the end
  EXPECT_EQ(bulk(env, &op_memory_init, 0, 6, 0, 0).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(bulk(env, &op_memory_init, 0, 1, 5, 0).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(bulk(env, &op_memory_init, 65534, 0, 3, 0).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(m->base[65534], 0);
  EXPECT_EQ(bulk(env, &op_memory_init, 65531, 0, 5, 1).trap, TrapKind::None);
  EXPECT_EQ(m->base[65535], 5);
  EXPECT_EQ(bulk(env, &op_memory_init, 65536, 0, 0, 0).trap, TrapKind::None);

  Asm drop;
  drop.op(&op_data_drop).ab(0).ret();
  EXPECT_EQ(env.run(env.func(drop, 0, 0, 0, 0)).trap, TrapKind::None);
  EXPECT_EQ(env.inst.datas[0].size, 0u);
  EXPECT_EQ(env.inst.datas[1].size, 5u);
  EXPECT_EQ(bulk(env, &op_memory_init, 0, 0, 0, 0).trap, TrapKind::None);
  EXPECT_EQ(bulk(env, &op_memory_init, 0, 0, 1, 0).trap, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(bulk(env, &op_memory_init, 0, 1, 0, 0).trap, TrapKind::MemoryOutOfBounds);
}

}  // namespace
}  // namespace wnn::exec::test
