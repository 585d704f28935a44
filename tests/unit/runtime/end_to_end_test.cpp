// Whole-pipeline tests: binary modules compiled with `compile`, instantiated
// and linked in a Store, run by the interpreter.
#include <gtest/gtest.h>

#include <map>

#include "../binary/decode_checks.h"
#include "runtime/objects.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using namespace binary::test;
using enum ValType;

// A code entry: its size, no locals, the instructions and `end`.
Bytes fn(const Bytes& instrs) {
  Bytes content = cat({{0x00}, instrs, {0x0B}});
  return cat({uleb(content.size()), content});
}
Bytes exp(std::string_view name, uint8_t kind, uint32_t index) { return cat({name_bytes(name), {kind}, uleb(index)}); }
Bytes imp(std::string_view mod, std::string_view name, const Bytes& desc) {
  return cat({name_bytes(mod), name_bytes(name), desc});
}

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
Bytes arith_module() {
  return module({
      section(kType, vec({{0x60, 2, 0x7F, 0x7F, 1, 0x7F}, {0x60, 2, 0x7E, 0x7C, 1, 0x7C}})),
      section(kFunction, vec({{0}, {1}})), section(kExport, vec({exp("add", 0, 0), exp("mix", 0, 1)})),
      section(kCode,
              vec({fn({0x20, 0, 0x20, 1, 0x6A}), fn({0x20, 0, 0xB9, 0x20, 1, 0xA0})})),  // f64.convert_i64_s; f64.add
  });
}

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
  Bytes m = module({
      section(kType, vec({{0x60, 1, 0x7F, 0}, {0x60, 0, 0}})), section(kImport, vec({imp("env", "log", {0x00, 0x00})})),
      section(kFunction, vec({{1}})), section(kStart, uleb(1)),
      section(kCode, vec({fn({0x41, 42, 0x10, 0x00})})),  // i32.const 42; call 0
  });
  Instance* inst = must(store.instantiate(compiled(m), reg.resolver()));
  EXPECT_EQ(logged, std::vector<uint32_t>{42});
  EXPECT_EQ(seen_caller, inst);
}

TEST(EndToEnd, StartTrapIsTrapError) {
  Store store;
  Bytes m = module({type_void(), funcs(1), section(kStart, uleb(0)), section(kCode, vec({fn({0x00})}))});
  auto r = store.instantiate(compiled(m), Registry{}.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::Unreachable);
  EXPECT_NE(r.error().message.find("unreachable"), std::string::npos) << r.error().message;
}

TEST(EndToEnd, MemoryDataLoadAndGrow) {
  Store store;
  Bytes m = module({
      section(kType, vec({{0x60, 1, 0x7F, 1, 0x7F}})),
      section(kFunction, vec({{0}, {0}})),
      section(kMemory, vec({{0x00, 0x01}})),
      section(kExport, vec({exp("mem", 2, 0), exp("load", 0, 0), exp("grow", 0, 1)})),
      section(kCode, vec({fn({0x20, 0, 0x2D, 0x00, 0x00}),  // i32.load8_u
                          fn({0x20, 0, 0x40, 0x00})})),  // memory.grow
      section(kData, vec({cat({{0x00}, i32_const_expr(8), name_bytes("hi")})})),
  });
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
  Bytes exporter = module({section(kMemory, vec({{0x00, 0x01}})), section(kExport, vec({exp("mem", 2, 0)}))});
  Instance* m1 = must(store.instantiate(compiled(exporter), reg.resolver()));
  reg.add("M1", store, m1);
  Bytes importer = module({
      section(kImport, vec({imp("M1", "mem", {0x02, 0x00, 0x01})})),
      section(kData, vec({cat({{0x00}, i32_const_expr(0), name_bytes("a")}),
                          cat({{0x00}, i32_const_expr(65536), name_bytes("b")})})),
  });
  auto r = store.instantiate(compiled(importer), reg.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
  MemoryInst* mem = store.find_export(m1, "mem")->memory();
  EXPECT_EQ(store.memory_data(mem)[0], 'a');

  // Unknown import through the compiled path.
  Bytes missing = module({section(kImport, vec({imp("M1", "nope", {0x02, 0x00, 0x01})}))});
  auto u = store.instantiate(compiled(missing), reg.resolver());
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(u.error().message, "unknown import \"M1\" \"nope\" (expected memory min=1)");
}

TEST(EndToEnd, CallIndirectAcrossInstances) {
  Store store;
  Registry reg;
  // M1: table of 2 funcrefs; call(i) = call_indirect (type () -> i32) table[i].
  Bytes m1b = module({
      section(kType, vec({{0x60, 0, 1, 0x7F}, {0x60, 1, 0x7F, 1, 0x7F}})),
      section(kFunction, vec({{1}})),
      section(kTable, vec({{0x70, 0x00, 0x02}})),
      section(kExport, vec({exp("tab", 1, 0), exp("call", 0, 0)})),
      section(kCode, vec({fn({0x20, 0, 0x11, 0x00, 0x00})})),
  });
  Instance* m1 = must(store.instantiate(compiled(m1b), reg.resolver()));
  ASSERT_NE(m1, nullptr);
  reg.add("M1", store, m1);
  FuncInst* call = func(store, m1, "call");

  // M2 puts a () -> i32 function returning 7 at index 1 of M1's table.
  Bytes m2b = module({
      section(kType, vec({{0x60, 0, 1, 0x7F}})),
      section(kImport, vec({imp("M1", "tab", {0x01, 0x70, 0x00, 0x02})})),
      section(kFunction, vec({{0}})),
      section(kElement, vec({cat({{0x00}, i32_const_expr(1), vec({{0x00}})})})),
      section(kCode, vec({fn({0x41, 7})})),
  });
  ASSERT_NE(must(store.instantiate(compiled(m2b), reg.resolver())), nullptr);
  EXPECT_EQ(call_i32(store, call, {Value::i32(1)}), 7u);

  auto null = store.invoke(call, std::vector<Value>{Value::i32(0)});
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().trap, TrapKind::UninitializedElement);

  // M3 puts a () -> i64 function at index 0: wrong type for the call.
  Bytes m3b = module({
      section(kType, vec({{0x60, 0, 1, 0x7E}})),
      section(kImport, vec({imp("M1", "tab", {0x01, 0x70, 0x00, 0x02})})),
      section(kFunction, vec({{0}})),
      section(kElement, vec({cat({{0x00}, i32_const_expr(0), vec({{0x00}})})})),
      section(kCode, vec({fn({0x42, 7})})),
  });
  ASSERT_NE(must(store.instantiate(compiled(m3b), reg.resolver())), nullptr);
  auto mismatch = store.invoke(call, std::vector<Value>{Value::i32(0)});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().trap, TrapKind::IndirectCallTypeMismatch);

  // An element segment that does not fit traps at instantiation.
  Bytes m4b = module({
      section(kType, vec({{0x60, 0, 1, 0x7F}})),
      section(kImport, vec({imp("M1", "tab", {0x01, 0x70, 0x00, 0x02})})),
      section(kFunction, vec({{0}})),
      section(kElement, vec({cat({{0x00}, i32_const_expr(2), vec({{0x00}})})})),
      section(kCode, vec({fn({0x41, 9})})),
  });
  auto oob = store.instantiate(compiled(m4b), reg.resolver());
  ASSERT_FALSE(oob.ok());
  EXPECT_EQ(oob.error().trap, TrapKind::TableOutOfBounds);
}

TEST(EndToEnd, MutableGlobalExport) {
  Store store;
  Bytes m = module({
      type_void(),
      section(kFunction, vec({{0}})),
      section(kGlobal, vec({cat({{0x7F, 0x01}, i32_const_expr(10)})})),
      section(kExport, vec({exp("g", 3, 0), exp("inc", 0, 0)})),
      section(kCode, vec({fn({0x23, 0, 0x41, 1, 0x6A, 0x24, 0})})),
  });
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
  Bytes m = module({
      type_void(), section(kFunction, vec({{0}})), section(kExport, vec({exp("rec", 0, 0)})),
      section(kCode, vec({fn({0x10, 0x00})})),  // call 0, forever
  });
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
  Bytes m = module({
      section(kType, vec({{0x60, 0, 1, 0x7F}})), section(kImport, vec({imp("env", "cb", {0x00, 0x00})})),
      section(kFunction, vec({{0}, {0}})), section(kExport, vec({exp("seven", 0, 1), exp("outer", 0, 2)})),
      section(kCode, vec({fn({0x41, 7}), fn({0x10, 0x00, 0x41, 1, 0x6A})})),  // cb() + 1
  });
  inst = must(store.instantiate(compiled(m), reg.resolver()));
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(call_i32(store, func(store, inst, "outer"), {}), 8u);
}

}  // namespace
}  // namespace wnn
