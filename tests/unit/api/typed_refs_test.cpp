// References in typed host functions and typed calls: ExternRef (externref)
// and FuncInst* (funcref) both ways through a guest, null included, on the
// interpreter and in compiled code.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "api_test_util.h"
#include "wnn/typed.h"

namespace wnn {
namespace {

using api_test::export_func;
using api_test::load;

class TypedRefsTest : public ::testing::TestWithParam<Tier> {
 protected:
  void SetUp() override {
    // tag(r, k): the host's names[k] if r is one of its names, null for a null r.
    host_["tag"] = wrap(
        store_,
        [this](ExternRef r, int32_t k) -> Expected<ExternRef> {
          if (r.is_null()) return ExternRef{};
          bool ours = false;
          for (const std::string& n : names_) ours |= r.as<std::string>() == &n;
          if (!ours || k < 0 || k > 2) return Error(ErrorKind::Trap, "tag: not one of the host's names");
          return ExternRef::of(&names_[k]);
        },
        "tag");
    host_["is_null"] = wrap(store_, [](ExternRef r) { return int32_t(r.is_null()); }, "is_null");
    // apply(f, x): f(x), called back through a typed call.
    host_["apply"] = wrap(
        store_,
        [this](HostContext& ctx, FuncInst* f, int32_t x) -> Expected<int32_t> {
          applied_ = f;
          if (!f) return Error(ErrorKind::Trap, "apply: null function");
          WNN_TRY(call, typed<int32_t(int32_t)>(*ctx.store, f));
          return call.call(x);
        },
        "apply");
    // pick(k): the guest's export "double" (0), "inc" (1) or null.
    host_["pick"] = wrap(store_, [this](int32_t k) { return k == 0 ? double_ : k == 1 ? inc_ : nullptr; }, "pick");
    auto inst = store_.instantiate(load("typed_refs", GetParam()), [&](std::string_view, std::string_view name) {
      auto it = host_.find(std::string(name));
      return it == host_.end() ? std::nullopt : std::optional(Extern{ExternKind::Func, it->second});
    });
    ASSERT_TRUE(inst) << inst.error().message;
    inst_ = *inst;
    double_ = export_func(store_, inst_, "double");
    inc_ = export_func(store_, inst_, "inc");
  }

  template <typename Sig> TypedFunc<Sig> get(std::string_view name) {
    auto f = typed<Sig>(store_, export_func(store_, inst_, name));
    EXPECT_TRUE(f) << f.error().message;
    return std::move(f).value();
  }

  std::string names_[3] = {"zero", "one", "two"};
  Store store_;
  std::map<std::string, FuncInst*> host_;
  Instance* inst_ = nullptr;
  FuncInst* double_ = nullptr;
  FuncInst* inc_ = nullptr;
  FuncInst* applied_ = nullptr;
};

TEST_P(TypedRefsTest, WrapGivesReferenceTypes) {
  EXPECT_EQ(store_.func_type(host_["tag"]), (FuncType{{ValType::ExternRef, ValType::I32}, {ValType::ExternRef}}));
  EXPECT_EQ(store_.func_type(host_["apply"]), (FuncType{{ValType::FuncRef, ValType::I32}, {ValType::I32}}));
  EXPECT_EQ(store_.func_type(host_["pick"]), (FuncType{{ValType::I32}, {ValType::FuncRef}}));
  EXPECT_EQ(TypedFunc<FuncInst*(ExternRef)>::type(), (FuncType{{ValType::ExternRef}, {ValType::FuncRef}}));
}

TEST_P(TypedRefsTest, AnExternRefGoesThroughTheGuestAndBack) {
  auto tag = get<ExternRef(ExternRef, int32_t)>("tag");
  const ExternRef r = tag.call(ExternRef::of(&names_[0]), 2).value();
  ASSERT_EQ(r, ExternRef::of(&names_[2]));
  EXPECT_EQ(*r.as<std::string>(), "two");
  // The guest kept it in a global: the same word.
  const Value kept = store_.global_value(store_.find_export(inst_, "kept")->global());
  EXPECT_EQ(kept.type, ValType::ExternRef);
  EXPECT_EQ(kept.lo, r.bits);
  // A word the host did not make is refused by the host: a trap.
  auto bad = tag.call(ExternRef{0x1234}, 0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().trap, TrapKind::HostError);
  EXPECT_NE(bad.error().message.find("tag: not one of the host's names"), std::string::npos) << bad.error().message;
}

TEST_P(TypedRefsTest, NullExternRefs) {
  auto is_null = get<int32_t(ExternRef)>("is_null");
  EXPECT_EQ(is_null.call(ExternRef{}).value(), 1);
  EXPECT_EQ(is_null.call(ExternRef::of(&names_[1])).value(), 0);
  // ref.null extern from the guest reaches the host as null and comes back null.
  EXPECT_TRUE(get<ExternRef(int32_t)>("tag_null").call(1).value().is_null());
  EXPECT_TRUE(get<ExternRef(ExternRef, int32_t)>("tag").call(ExternRef{}, 1).value().is_null());
}

TEST_P(TypedRefsTest, EveryBitOfAnExternRefSurvives) {
  auto id = get<ExternRef(ExternRef)>("id_extern");
  for (uintptr_t bits : {uintptr_t(1), ~uintptr_t(0), uintptr_t(0x8000000000000001ull)})
    EXPECT_EQ(id.call(ExternRef{bits}).value().bits, bits);
}

TEST_P(TypedRefsTest, AFuncRefFromTheGuestIsCalledByTheHost) {
  EXPECT_EQ(get<int32_t(int32_t)>("apply_double").call(21).value(), 42);
  EXPECT_EQ(applied_, double_);  // ref.func $double is the exported function
  auto r = get<int32_t(int32_t)>("apply_null").call(1);
  ASSERT_FALSE(r);
  EXPECT_EQ(applied_, nullptr);
  EXPECT_EQ(r.error().trap, TrapKind::HostError);
  EXPECT_NE(r.error().message.find("apply: null function"), std::string::npos) << r.error().message;
}

TEST_P(TypedRefsTest, AFuncRefFromTheHostIsCalledByTheGuest) {
  auto call_picked = get<int32_t(int32_t, int32_t)>("call_picked");
  EXPECT_EQ(call_picked.call(0, 5).value(), 10);  // double
  EXPECT_EQ(call_picked.call(1, 5).value(), 6);   // inc
  auto r = call_picked.call(2, 5);                // null: call_indirect through a null entry
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().trap, TrapKind::UninitializedElement);
}

TEST_P(TypedRefsTest, FuncRefsInTypedCalls) {
  auto id = get<FuncInst*(FuncInst*)>("id_func");
  EXPECT_EQ(id.call(inc_).value(), inc_);
  EXPECT_EQ(id.call(host_["tag"]).value(), host_["tag"]);  // a host function is a funcref too
  EXPECT_EQ(id.call(nullptr).value(), nullptr);
  // typed<> checks reference types like any other.
  auto wrong = typed<ExternRef(ExternRef)>(store_, export_func(store_, inst_, "id_func"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message,
            "typed: the function has type (funcref) -> (funcref), not (externref) -> (externref)");
}

INSTANTIATE_TEST_SUITE_P(Tiers, TypedRefsTest, ::testing::Values(Tier::Interp, Tier::Jit),
                         [](const auto& info) { return info.param == Tier::Jit ? "Jit" : "Interp"; });

}  // namespace
}  // namespace wnn
