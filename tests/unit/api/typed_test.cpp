// Typed host functions (wrap) and typed calls (typed<Sig>): every value type
// across the boundary both ways, the caller's context, errors as traps, and
// the signature mismatches an embedder can make.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <tuple>

#include "api_test_util.h"
#include "wnn/typed.h"

namespace wnn {
namespace {

using api_test::export_func;
using api_test::load;

class TypedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_["i32"] = wrap(store_, [](int32_t x) { return x * -3; }, "i32");
    host_["i64"] = wrap(store_, [](int64_t x) { return x - (int64_t(1) << 40); }, "i64");
    host_["f32"] = wrap(store_, [](float x) { return x * 0.5f; }, "f32");
    host_["f64"] = wrap(store_, [](double x) { return std::sqrt(x); }, "f64");
    host_["v128"] = wrap(store_, [](V128 v) { return V128{v.hi, v.lo}; }, "v128");
    host_["mixed"] = wrap(
        store_,
        [](uint32_t a, uint64_t b, float c, double d) {
          return std::tuple<double, int32_t>(a + b + c + d, -int32_t(a));
        },
        "mixed");
    host_["peek"] = wrap(
        store_,
        [](HostContext& ctx, uint32_t addr) -> Expected<int32_t> {
          std::span<uint8_t> mem = ctx.store->memory_data(ctx.memory);
          if (addr >= mem.size()) return Error(ErrorKind::Trap, "peek: address out of range");
          return int32_t(mem[addr]);
        },
        "peek");
    host_["fail"] = wrap(
        store_,
        [](int32_t code) -> Expected<void> {
          if (code != 0) return Error(ErrorKind::Trap, "fail: asked to fail with " + std::to_string(code));
          return {};
        },
        "fail");
    auto module = load("typed");
    ASSERT_TRUE(module);
    auto inst = store_.instantiate(module, [&](std::string_view, std::string_view name) -> std::optional<Extern> {
      auto it = host_.find(std::string(name));
      if (it == host_.end()) return std::nullopt;
      return Extern{ExternKind::Func, it->second};
    });
    ASSERT_TRUE(inst) << inst.error().message;
    inst_ = *inst;
  }

  template <typename Sig> TypedFunc<Sig> get(std::string_view name) {
    auto f = typed<Sig>(store_, export_func(store_, inst_, name));
    EXPECT_TRUE(f) << f.error().message;
    return std::move(f).value();
  }

  Store store_;
  std::map<std::string, FuncInst*> host_;
  Instance* inst_ = nullptr;
};

TEST_F(TypedTest, WrapGivesTheSignaturesType) {
  EXPECT_EQ(store_.func_type(host_["i32"]), (FuncType{{ValType::I32}, {ValType::I32}}));
  EXPECT_EQ(store_.func_type(host_["v128"]), (FuncType{{ValType::V128}, {ValType::V128}}));
  EXPECT_EQ(store_.func_type(host_["mixed"]),
            (FuncType{{ValType::I32, ValType::I64, ValType::F32, ValType::F64}, {ValType::F64, ValType::I32}}));
  // HostContext& is not a parameter; Expected<void> is no result.
  EXPECT_EQ(store_.func_type(host_["peek"]), (FuncType{{ValType::I32}, {ValType::I32}}));
  EXPECT_EQ(store_.func_type(host_["fail"]), (FuncType{{ValType::I32}, {}}));
}

TEST_F(TypedTest, I32) {
  EXPECT_EQ(get<int32_t(int32_t)>("call_i32").call(5).value(), -15);
  EXPECT_EQ(get<int32_t(int32_t)>("call_i32").call(-7).value(), 21);
  // The same i32 read as unsigned: -3 * 1 wraps.
  EXPECT_EQ(get<uint32_t(uint32_t)>("call_i32").call(1).value(), 0xFFFFFFFDu);
}

TEST_F(TypedTest, I64) {
  EXPECT_EQ(get<int64_t(int64_t)>("call_i64").call(5).value(), 5 - (int64_t(1) << 40));
  EXPECT_EQ(get<uint64_t(uint64_t)>("call_i64").call(uint64_t(1) << 40).value(), 0u);
}

TEST_F(TypedTest, F32AndF64) {
  EXPECT_EQ(get<float(float)>("call_f32").call(3.0f).value(), 1.5f);
  EXPECT_EQ(get<double(double)>("call_f64").call(6.25).value(), 2.5);
  EXPECT_TRUE(std::isnan(get<double(double)>("call_f64").call(-1.0).value()));
}

TEST_F(TypedTest, V128) {
  const V128 r = get<V128(V128)>("call_v128").call(V128{0x1111, 0x2222}).value();
  EXPECT_EQ(r, (V128{0x2222, 0x1111}));
}

TEST_F(TypedTest, SeveralParamsAndResults) {
  auto r = get<std::tuple<double, int32_t>(uint32_t, uint64_t, float, double)>("call_mixed").call(1, 2, 0.5f, 0.25);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(std::get<0>(*r), 3.75);
  EXPECT_EQ(std::get<1>(*r), -1);
}

TEST_F(TypedTest, HostContextIsTheCallersMemory) {
  EXPECT_EQ(get<int32_t(int32_t)>("call_peek").call(16).value(), 0x2a);
  EXPECT_EQ(get<int32_t(int32_t)>("call_peek").call(17).value(), 0);
  auto r = get<int32_t(int32_t)>("call_peek").call(70000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().trap, TrapKind::HostError);
  EXPECT_NE(r.error().message.find("peek: address out of range"), std::string::npos) << r.error().message;
}

TEST_F(TypedTest, AnErrorFromAHostFunctionTrapsTheGuest) {
  auto fail = get<void(int32_t)>("call_fail");
  EXPECT_TRUE(fail.call(0));
  auto r = fail.call(3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::HostError);
  EXPECT_NE(r.error().message.find("fail: asked to fail with 3"), std::string::npos) << r.error().message;
}

TEST_F(TypedTest, TypedRejectsAnotherSignature) {
  FuncInst* f = export_func(store_, inst_, "call_i32");
  auto wrong_param = typed<int32_t(int64_t)>(store_, f);
  ASSERT_FALSE(wrong_param);
  EXPECT_EQ(wrong_param.error().kind, ErrorKind::Usage);
  EXPECT_EQ(wrong_param.error().message, "typed: the function has type (i32) -> (i32), not (i64) -> (i32)");
  auto wrong_result = typed<void(int32_t)>(store_, f);
  ASSERT_FALSE(wrong_result);
  EXPECT_EQ(wrong_result.error().message, "typed: the function has type (i32) -> (i32), not (i32) -> ()");
  auto null = typed<void()>(store_, nullptr);
  ASSERT_FALSE(null);
  EXPECT_EQ(null.error().message, "typed: null function");
}

TEST(TypedLink, AWrappedFunctionOfAnotherTypeDoesNotLink) {
  Store store;
  auto module = load("typed");
  ASSERT_TRUE(module);
  // Every import gets a (i64) -> (i64): "host" "i32" wants (i32) -> (i32).
  FuncInst* wrong = wrap(store, [](int64_t x) { return x; });
  auto inst = store.instantiate(
      module, [&](std::string_view, std::string_view) { return std::optional(Extern{ExternKind::Func, wrong}); });
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(inst.error().message,
            "incompatible import type for \"host\" \"i32\": expected func (i32) -> (i32), got func (i64) -> (i64)");
}

TEST(TypedLink, ACallableObjectAndAFunctionPointerWrapToo) {
  struct Counter {
    int32_t calls = 0;
    int32_t operator()(int32_t x) { return x + ++calls; }
  };
  Store store;
  FuncInst* f = wrap(store, Counter{});
  auto call = typed<int32_t(int32_t)>(store, f);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->call(10).value(), 11);
  EXPECT_EQ(call->call(10).value(), 12);  // the object keeps its state between calls
  int64_t (*neg)(int64_t) = [](int64_t x) { return -x; };
  auto n = typed<int64_t(int64_t)>(store, wrap(store, neg));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->call(9).value(), -9);
}

}  // namespace
}  // namespace wnn
