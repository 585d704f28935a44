// Whole-pipeline tests: binary modules (wat/*.wat) compiled with `compile`,
// instantiated and linked in a Store, run by the interpreter.
#include <gtest/gtest.h>

#include <map>

#include "runtime/objects.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using test::Bytes;
using enum ValType;

std::shared_ptr<const CompiledModule> compiled(const Bytes& bytes) {
  auto r = compile(bytes);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : nullptr;
}

struct Registry {
  std::map<std::string, Extern> map;
  void add(std::string_view mod, Store& store, Instance* inst) {
    for (const auto& [name, e] : store.exports(inst)) map[std::string(mod) + "." + name] = e;
  }
  ImportResolver resolver() const {
    return [this](std::string_view mod, std::string_view name) -> std::optional<Extern> {
      auto it = map.find(std::string(mod) + "." + std::string(name));
      if (it == map.end()) return std::nullopt;
      return it->second;
    };
  }
};

FuncInst* func(Store& store, Instance* inst, std::string_view name) {
  auto e = store.find_export(inst, name);
  return e ? e->func() : nullptr;
}

Instance* must(Expected<Instance*> r) {
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : nullptr;
}

uint32_t call_i32(Store& store, FuncInst* f, std::vector<Value> args) {
  auto r = store.invoke(f, args);
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (!r.ok() || r->size() != 1) return 0xDEADBEEF;
  return (*r)[0].as_u32();
}

// (i32, i32) -> i32 add, (i64, f64) -> f64 mix.
Bytes arith_module() { return test::wat_module("arith"); }

TEST(EndToEnd, InvokeExports) {
  Store store;
  Instance* inst = must(store.instantiate(compiled(arith_module()), Registry{}.resolver()));
  ASSERT_NE(inst, nullptr);
  FuncInst* add = func(store, inst, "add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(store.func_type(add), (FuncType{{I32, I32}, {I32}}));
  EXPECT_EQ(call_i32(store, add, {Value::i32(2), Value::i32(3)}), 5u);
  EXPECT_EQ(call_i32(store, add, {Value::i32(0xFFFFFFFF), Value::i32(2)}), 1u);

  auto r = store.invoke(func(store, inst, "mix"), std::vector<Value>{Value::i64(uint64_t(-2)), Value::f64(0.5)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type, F64);
  EXPECT_EQ((*r)[0].as_f64(), -1.5);

  auto bad = store.invoke(add, std::vector<Value>{Value::i32(1), Value::i64(1)});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::Usage);
}

TEST(EndToEnd, StartCallsHostImport) {
  Store store;
  std::vector<uint32_t> logged;
  Instance* seen_caller = nullptr;
  FuncInst* log = store.create_host_function(
      FuncType{{I32}, {}},
      [&](HostContext& ctx, uint64_t* s) -> Expected<void> {
        logged.push_back(uint32_t(s[0]));
        seen_caller = ctx.caller;
        return {};
      },
      "log");
  Registry reg;
  reg.map["env.log"] = Extern{ExternKind::Func, log};
  Bytes m = test::wat_module("start_calls_host");
  Instance* inst = must(store.instantiate(compiled(m), reg.resolver()));
  EXPECT_EQ(logged, std::vector<uint32_t>{42});
  EXPECT_EQ(seen_caller, inst);
}

TEST(EndToEnd, StartTrapIsTrapError) {
  Store store;
  Bytes m = test::wat_module("start_traps");
  auto r = store.instantiate(compiled(m), Registry{}.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::Unreachable);
  EXPECT_NE(r.error().message.find("unreachable"), std::string::npos) << r.error().message;
}

TEST(EndToEnd, MemoryDataLoadAndGrow) {
  Store store;
  Bytes m = test::wat_module("memory_data");
  Instance* inst = must(store.instantiate(compiled(m), Registry{}.resolver()));
  ASSERT_NE(inst, nullptr);
  MemoryInst* mem = store.find_export(inst, "mem")->memory();
  FuncInst* load = func(store, inst, "load");
  FuncInst* grow = func(store, inst, "grow");
  uint8_t* base = store.memory_data(mem).data();
  EXPECT_EQ(call_i32(store, load, {Value::i32(8)}), uint32_t('h'));
  EXPECT_EQ(call_i32(store, load, {Value::i32(9)}), uint32_t('i'));
  EXPECT_EQ(store.memory_data(mem)[8], 'h');

  EXPECT_EQ(call_i32(store, grow, {Value::i32(2)}), 1u);
  EXPECT_EQ(store.memory_data(mem).size(), 3 * kPageSize);
  EXPECT_EQ(store.memory_data(mem).data(), base);
  EXPECT_EQ(store.memory_type(mem).limits.min, 3u);
  EXPECT_EQ(call_i32(store, load, {Value::i32(3 * 65536 - 1)}), 0u);
  EXPECT_EQ(call_i32(store, grow, {Value::i32(65536)}), 0xFFFFFFFFu);  // -1

  auto oob = store.invoke(load, std::vector<Value>{Value::i32(3 * 65536)});
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().kind, ErrorKind::Trap);
  EXPECT_EQ(oob.error().trap, TrapKind::MemoryOutOfBounds);

  // Growth from the host is seen by wasm.
  ASSERT_EQ(mem->grow(1), 3);
  EXPECT_EQ(call_i32(store, load, {Value::i32(3 * 65536)}), 0u);
}

TEST(EndToEnd, SharedMemoryKeepsWritesOfFailedInstantiation) {
  Store store;
  Registry reg;
  Bytes exporter = test::wat_module("memory_exporter");
  Instance* m1 = must(store.instantiate(compiled(exporter), reg.resolver()));
  reg.add("M1", store, m1);
  Bytes importer = test::wat_module("memory_importer");
  auto r = store.instantiate(compiled(importer), reg.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
  MemoryInst* mem = store.find_export(m1, "mem")->memory();
  EXPECT_EQ(store.memory_data(mem)[0], 'a');

  // Unknown import through the compiled path.
  Bytes missing = test::wat_module("memory_import_missing");
  auto u = store.instantiate(compiled(missing), reg.resolver());
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(u.error().message, "unknown import \"M1\" \"nope\" (expected memory min=1)");
}

TEST(EndToEnd, CallIndirectAcrossInstances) {
  Store store;
  Registry reg;
  // M1: table of 2 funcrefs; call(i) = call_indirect (type () -> i32) table[i].
  Bytes m1b = test::wat_module("table_caller");
  Instance* m1 = must(store.instantiate(compiled(m1b), reg.resolver()));
  ASSERT_NE(m1, nullptr);
  reg.add("M1", store, m1);
  FuncInst* call = func(store, m1, "call");

  // M2 puts a () -> i32 function returning 7 at index 1 of M1's table.
  Bytes m2b = test::wat_module("table_put_seven");
  ASSERT_NE(must(store.instantiate(compiled(m2b), reg.resolver())), nullptr);
  EXPECT_EQ(call_i32(store, call, {Value::i32(1)}), 7u);

  auto null = store.invoke(call, std::vector<Value>{Value::i32(0)});
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().trap, TrapKind::UninitializedElement);

  // M3 puts a () -> i64 function at index 0: wrong type for the call.
  Bytes m3b = test::wat_module("table_put_i64");
  ASSERT_NE(must(store.instantiate(compiled(m3b), reg.resolver())), nullptr);
  auto mismatch = store.invoke(call, std::vector<Value>{Value::i32(0)});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().trap, TrapKind::IndirectCallTypeMismatch);

  // An element segment that does not fit traps at instantiation.
  Bytes m4b = test::wat_module("table_elem_past_end");
  auto oob = store.instantiate(compiled(m4b), reg.resolver());
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().trap, TrapKind::TableOutOfBounds);
}

TEST(EndToEnd, MutableGlobalExport) {
  Store store;
  Bytes m = test::wat_module("mutable_global");
  Instance* inst = must(store.instantiate(compiled(m), Registry{}.resolver()));
  ASSERT_NE(inst, nullptr);
  GlobalInst* g = store.find_export(inst, "g")->global();
  EXPECT_EQ(store.global_value(g).as_u32(), 10u);
  EXPECT_TRUE(store.global_type(g).mut);
  ASSERT_TRUE(store.invoke(func(store, inst, "inc"), {}).ok());
  ASSERT_TRUE(store.invoke(func(store, inst, "inc"), {}).ok());
  EXPECT_EQ(store.global_value(g).as_u32(), 12u);
}

TEST(EndToEnd, StackExhaustionThenStoreStillWorks) {
  Store store(StoreConfig{1000, 1 << 16});
  Bytes m = test::wat_module("recursion_forever");
  Instance* inst = must(store.instantiate(compiled(m), Registry{}.resolver()));
  ASSERT_NE(inst, nullptr);
  auto r = store.invoke(func(store, inst, "rec"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().trap, TrapKind::CallStackExhausted);

  Instance* arith = must(store.instantiate(compiled(arith_module()), Registry{}.resolver()));
  EXPECT_EQ(call_i32(store, func(store, arith, "add"), {Value::i32(20), Value::i32(22)}), 42u);
}

TEST(EndToEnd, HostCallsBackIntoWasm) {
  Store store;
  Instance* inst = nullptr;
  FuncInst* cb = store.create_host_function(FuncType{{}, {I32}}, [&](HostContext& ctx, uint64_t* s) -> Expected<void> {
    auto r = ctx.store->invoke(func(*ctx.store, inst, "seven"), {});
    if (!r.ok()) return std::move(r).error();
    s[0] = (*r)[0].as_u32();
    return {};
  });
  Registry reg;
  reg.map["env.cb"] = Extern{ExternKind::Func, cb};
  Bytes m = test::wat_module("host_callback");
  inst = must(store.instantiate(compiled(m), reg.resolver()));
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(call_i32(store, func(store, inst, "outer"), {}), 8u);
}

}  // namespace
}  // namespace wnn
