// Store basics: type interning, host functions, globals, invoke argument
// checking and slot layout.
#include <gtest/gtest.h>

#include "runtime/store_impl.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using enum ValType;

TEST(Store, InternTypeIsStructural) {
  Store store;
  uint32_t a = intern_type(store, FuncType{{I32, I64}, {F32}});
  uint32_t b = intern_type(store, FuncType{{I32, I64}, {F32}});
  uint32_t c = intern_type(store, FuncType{{I32}, {I64, F32}});
  uint32_t d = intern_type(store, FuncType{{I32, I64, F32}, {}});
  uint32_t e = intern_type(store, FuncType{{}, {}});
  uint32_t f = intern_type(store, FuncType{{I64, I32}, {F32}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_NE(c, d);
  EXPECT_NE(a, e);
  EXPECT_NE(a, f);
  EXPECT_EQ(e, intern_type(store, FuncType{}));
}

TEST(Store, HostFunctionFields) {
  Store store;
  FuncType t{{I32, V128, F64}, {V128}};
  FuncInst* f = store.create_host_function(t, [](HostContext&, uint64_t*) -> Expected<void> { return {}; }, "h");
  EXPECT_EQ(f->type, t);
  EXPECT_EQ(f->type_id, intern_type(store, t));
  EXPECT_EQ(f->param_slots, 4u);
  EXPECT_EQ(f->result_slots, 2u);
  EXPECT_EQ(f->inst, nullptr);
  EXPECT_EQ(f->code, nullptr);
  EXPECT_TRUE(bool(f->host));
  EXPECT_EQ(f->name, "h");
  EXPECT_EQ(&store.func_type(f), &f->type);
}

TEST(Store, Globals) {
  Store store;
  GlobalInst* g = store.create_global(GlobalType{I32, true}, Value::i32(0xFFFFFFFF));
  EXPECT_EQ(store.global_type(g).type, I32);
  EXPECT_TRUE(store.global_type(g).mut);
  Value v = store.global_value(g);
  EXPECT_EQ(v.type, I32);
  EXPECT_EQ(v.as_u32(), 0xFFFFFFFFu);
  EXPECT_EQ(v.lo, 0xFFFFFFFFu);
  g->value[0] = 0xAAAA'BBBB'0000'0005;  // stale high bits, as a handler might leave them
  EXPECT_EQ(store.global_value(g).lo, 5u);

  GlobalInst* v128 = store.create_global(GlobalType{V128, false}, Value::v128(1, 2));
  EXPECT_EQ(v128->value[0], 1u);
  EXPECT_EQ(v128->value[1], 2u);
  Value w = store.global_value(v128);
  EXPECT_EQ(w.lo, 1u);
  EXPECT_EQ(w.hi, 2u);

  GlobalInst* f = store.create_global(GlobalType{F64, false}, Value::f64(1.5));
  EXPECT_EQ(store.global_value(f).as_f64(), 1.5);
}

TEST(Store, InvokeChecksArguments) {
  Store store;
  bool called = false;
  FuncInst* f = store.create_host_function(
      FuncType{{I32, I64}, {}},
      [&](HostContext&, uint64_t*) -> Expected<void> {
        called = true;
        return {};
      },
      "f");
  Value one[] = {Value::i32(1)};
  auto r = store.invoke(f, one);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_NE(r.error().message.find("expected 2 arguments, got 1"), std::string::npos) << r.error().message;

  Value swapped[] = {Value::i64(1), Value::i32(2)};
  r = store.invoke(f, swapped);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_NE(r.error().message.find("argument 0 has type i64, expected i32"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("\"f\""), std::string::npos) << r.error().message;

  EXPECT_FALSE(store.invoke(nullptr, {}).ok());
  EXPECT_FALSE(called);
}

TEST(Store, InvokeHostFunctionSlotLayout) {
  Store store;
  // (i32, v128, f32) -> (v128, i64): slots 0 | 1,2 | 3  ->  0,1 | 2
  FuncType t{{I32, V128, F32}, {V128, I64}};
  std::vector<uint64_t> seen;
  FuncInst* f = store.create_host_function(t, [&](HostContext& ctx, uint64_t* s) -> Expected<void> {
    EXPECT_EQ(ctx.store, &store);
    seen.assign(s, s + 4);
    s[0] = 0x1111;
    s[1] = 0x2222;
    s[2] = 0x3333'0000'0000'0004;
    return {};
  });
  Value args[] = {Value::i32(7), Value::v128(0xAA, 0xBB), Value::f32(2.0f)};
  auto r = store.invoke(f, args);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], 7u);
  EXPECT_EQ(seen[1], 0xAAu);
  EXPECT_EQ(seen[2], 0xBBu);
  EXPECT_EQ(seen[3], Value::f32(2.0f).lo);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].type, V128);
  EXPECT_EQ((*r)[0].lo, 0x1111u);
  EXPECT_EQ((*r)[0].hi, 0x2222u);
  EXPECT_EQ((*r)[1].type, I64);
  EXPECT_EQ((*r)[1].lo, 0x3333'0000'0000'0004u);
}

TEST(Store, InvokeHostErrorIsTrap) {
  Store store;
  FuncInst* f = store.create_host_function(FuncType{}, [](HostContext&, uint64_t*) -> Expected<void> {
    Error e(ErrorKind::Trap, "boom");
    e.trap = TrapKind::HostError;
    return e;
  });
  auto r = store.invoke(f, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace wnn
