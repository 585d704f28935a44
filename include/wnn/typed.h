// Typed host functions and typed calls: a C++ signature stands for the Wasm
// function type, so an embedder never sees slots.
//
//   FuncInst* add = wrap(store, [](int32_t a, int32_t b) { return a + b; }, "add");
//   auto fib = typed<int64_t(int32_t)>(store, export_func);  // Expected<TypedFunc<...>>
//   if (fib) { Expected<int64_t> r = fib->call(20); ... }
//
// Value types: int32_t / uint32_t (i32), int64_t / uint64_t (i64), float
// (f32), double (f64), V128 (v128), FuncInst* (funcref: a function of the
// same Store, nullptr for null), ExternRef (externref). A host function may
// take `HostContext&`
// first (the caller's instance and memory) and may return void, one value,
// std::tuple of values, or any of these in an Expected: an Error traps the
// guest as a raw host function's does.
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "wnn/runtime.h"

namespace wnn {

// A v128 value: lo holds the low lanes.
struct V128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const V128&) const = default;
};

// An externref: a word the host chose, opaque to the guest, which can only
// pass it on, store it in tables and globals, and test it for null (0). The
// host keeps alive whatever it points to while the guest may hold it.
struct ExternRef {
  uintptr_t bits = 0;
  static ExternRef of(const void* p) { return {reinterpret_cast<uintptr_t>(p)}; }
  template <typename T> T* as() const { return reinterpret_cast<T*>(bits); }
  bool is_null() const { return bits == 0; }
  bool operator==(const ExternRef&) const = default;
};

// The Wasm type of a C++ type, and its conversions to slots and Values.
template <typename T> struct WasmValue;

namespace detail {
// i32, i64, f32 and f64 kept as the bits of `Bits` in one slot (i32/f32
// zero-extended, as everywhere in wnn).
template <typename T, typename Bits, ValType Type> struct ScalarValue {
  static constexpr ValType type = Type;
  static T from_slots(const uint64_t* s) {
    Bits b = Bits(s[0]);
    T v;
    std::memcpy(&v, &b, sizeof v);
    return v;
  }
  static void to_slots(uint64_t* s, T v) {
    Bits b;
    std::memcpy(&b, &v, sizeof b);
    s[0] = b;
  }
  static Value to_value(T v) {
    Value out{Type, 0, 0};
    to_slots(&out.lo, v);
    return out;
  }
  static T from_value(const Value& v) { return from_slots(&v.lo); }
};
}  // namespace detail

template <> struct WasmValue<int32_t> : detail::ScalarValue<int32_t, uint32_t, ValType::I32> {};
template <> struct WasmValue<uint32_t> : detail::ScalarValue<uint32_t, uint32_t, ValType::I32> {};
template <> struct WasmValue<int64_t> : detail::ScalarValue<int64_t, uint64_t, ValType::I64> {};
template <> struct WasmValue<uint64_t> : detail::ScalarValue<uint64_t, uint64_t, ValType::I64> {};
template <> struct WasmValue<float> : detail::ScalarValue<float, uint32_t, ValType::F32> {};
template <> struct WasmValue<double> : detail::ScalarValue<double, uint64_t, ValType::F64> {};
template <> struct WasmValue<V128> {
  static constexpr ValType type = ValType::V128;
  static V128 from_slots(const uint64_t* s) { return {s[0], s[1]}; }
  static void to_slots(uint64_t* s, V128 v) {
    s[0] = v.lo;
    s[1] = v.hi;
  }
  static Value to_value(V128 v) { return Value::v128(v.lo, v.hi); }
  static V128 from_value(const Value& v) { return {v.lo, v.hi}; }
};

// A reference is one slot holding its word (0: null), as everywhere in wnn.
template <> struct WasmValue<FuncInst*> {
  static constexpr ValType type = ValType::FuncRef;
  static FuncInst* from_slots(const uint64_t* s) { return reinterpret_cast<FuncInst*>(uintptr_t(s[0])); }
  static void to_slots(uint64_t* s, FuncInst* f) { s[0] = reinterpret_cast<uintptr_t>(f); }
  static Value to_value(FuncInst* f) { return Value::ref(type, reinterpret_cast<uintptr_t>(f)); }
  static FuncInst* from_value(const Value& v) { return from_slots(&v.lo); }
};
template <> struct WasmValue<ExternRef> {
  static constexpr ValType type = ValType::ExternRef;
  static ExternRef from_slots(const uint64_t* s) { return {uintptr_t(s[0])}; }
  static void to_slots(uint64_t* s, ExternRef r) { s[0] = r.bits; }
  static Value to_value(ExternRef r) { return Value::ref(type, r.bits); }
  static ExternRef from_value(const Value& v) { return from_slots(&v.lo); }
};

namespace detail {

// Results as a list of value types: void, one value or a tuple.
template <typename R> struct ResultList {
  using Tuple = std::tuple<R>;
  static Tuple as_tuple(R&& r) { return Tuple(std::move(r)); }
  static R from_tuple(Tuple&& t) { return std::get<0>(std::move(t)); }
};
template <> struct ResultList<void> {
  using Tuple = std::tuple<>;
};
template <typename... T> struct ResultList<std::tuple<T...>> {
  using Tuple = std::tuple<T...>;
  static Tuple as_tuple(Tuple&& r) { return std::move(r); }
  static Tuple from_tuple(Tuple&& t) { return std::move(t); }
};

// What a host function returns, with its Expected (if any) taken off.
template <typename R> struct Returned {
  using Value = R;
};
template <typename T> struct Returned<Expected<T>> {
  using Value = T;
};

template <typename... T> std::vector<ValType> types_of(std::tuple<T...>*) { return {WasmValue<T>::type...}; }
template <typename Tuple> FuncType func_type_of(std::vector<ValType> params) {
  return FuncType{std::move(params), types_of(static_cast<Tuple*>(nullptr))};
}

// Reads the parameters in order from consecutive slots (a braced list is
// evaluated left to right).
template <typename... A> std::tuple<A...> load_params(const uint64_t* slots) {
  size_t k = 0;
  auto next = [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    T v = WasmValue<T>::from_slots(slots + k);
    k += slot_count(WasmValue<T>::type);
    return v;
  };
  return std::tuple<A...>{next(static_cast<A*>(nullptr))...};
}

template <typename... T> void store_results(uint64_t* slots, const std::tuple<T...>& r) {
  size_t k = 0;
  std::apply([&](const T&... v) { ((WasmValue<T>::to_slots(slots + k, v), k += slot_count(WasmValue<T>::type)), ...); },
             r);
}

// The parameters and result of a callable (lambda, function pointer, functor).
template <typename F> struct Signature : Signature<decltype(&F::operator())> {};
template <typename R, typename... A> struct Signature<R (*)(A...)> {
  using Result = R;
  using Params = std::tuple<A...>;
};
template <typename R, typename... A> struct Signature<R(A...)> : Signature<R (*)(A...)> {};
template <typename C, typename R, typename... A> struct Signature<R (C::*)(A...) const> : Signature<R (*)(A...)> {};
template <typename C, typename R, typename... A> struct Signature<R (C::*)(A...)> : Signature<R (*)(A...)> {};

template <typename F, typename R, typename Ctx, typename... A> struct Wrapper;
// Ctx is HostContext& when the callable takes it first, void otherwise.
template <typename F, typename R, typename Ctx, typename... A> struct Wrapper<F, R, Ctx, std::tuple<A...>> {
  using Out = typename Returned<R>::Value;
  static FuncType type() { return func_type_of<typename ResultList<Out>::Tuple>({WasmValue<A>::type...}); }
  static HostFunction make(F fn) {
    return [fn = std::move(fn)](HostContext& ctx, uint64_t* slots) mutable -> Expected<void> {
      std::tuple<A...> args = load_params<A...>(slots);
      auto call = [&]() -> decltype(auto) {
        if constexpr (std::is_void_v<Ctx>)
          return std::apply(fn, std::move(args));
        else
          return std::apply([&](A&&... a) -> decltype(auto) { return fn(ctx, std::move(a)...); }, std::move(args));
      };
      if constexpr (std::is_void_v<R>) {
        call();
      } else if constexpr (std::is_same_v<R, Expected<void>>) {
        WNN_TRY_VOID(call());
      } else if constexpr (!std::is_same_v<R, Out>) {  // Expected<T>
        WNN_TRY(out, call());
        store_results(slots, ResultList<Out>::as_tuple(std::move(out)));
      } else {
        store_results(slots, ResultList<Out>::as_tuple(call()));
      }
      return {};
    };
  }
};

template <typename Tuple> struct DropContext {
  using Ctx = void;
  using Params = Tuple;
};
template <typename... A> struct DropContext<std::tuple<HostContext&, A...>> {
  using Ctx = HostContext&;
  using Params = std::tuple<A...>;
};

template <typename F>
using WrapperOf = Wrapper<F, typename Signature<F>::Result, typename DropContext<typename Signature<F>::Params>::Ctx,
                          typename DropContext<typename Signature<F>::Params>::Params>;

}  // namespace detail

// A host function of the type the callable's signature says.
template <typename F> FuncInst* wrap(Store& store, F fn, std::string name = {}) {
  using W = detail::WrapperOf<std::decay_t<F>>;
  return store.create_host_function(W::type(), W::make(std::move(fn)), std::move(name));
}

template <typename Sig> class TypedFunc;

// A function of the Store checked once against a C++ signature, then called
// without per-call type checks on the caller's side.
template <typename R, typename... A> class TypedFunc<R(A...)> {
 public:
  static FuncType type() {
    return detail::func_type_of<typename detail::ResultList<R>::Tuple>({WasmValue<A>::type...});
  }

  Expected<R> call(A... args) const {
    const std::array<Value, sizeof...(A)> values{WasmValue<A>::to_value(args)...};
    WNN_TRY(out, store_->invoke(func_, values));
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      using Tuple = typename detail::ResultList<R>::Tuple;
      return detail::ResultList<R>::from_tuple(results_of(out, static_cast<Tuple*>(nullptr)));
    }
  }
  FuncInst* func() const { return func_; }

 private:
  template <typename... T> static std::tuple<T...> results_of(const std::vector<Value>& out, std::tuple<T...>*) {
    size_t k = 0;
    return std::tuple<T...>{WasmValue<T>::from_value(out[k++])...};
  }
  TypedFunc(Store* s, FuncInst* f) : store_(s), func_(f) {}
  template <typename Sig> friend Expected<TypedFunc<Sig>> typed(Store& store, FuncInst* f);

  Store* store_;
  FuncInst* func_;
};

// `f` as a TypedFunc, or ErrorKind::Usage if its type is not Sig's.
template <typename Sig> Expected<TypedFunc<Sig>> typed(Store& store, FuncInst* f) {
  if (!f) return Error(ErrorKind::Usage, "typed: null function");
  const FuncType want = TypedFunc<Sig>::type();
  const FuncType& have = store.func_type(f);
  if (have != want)
    return Error(ErrorKind::Usage,
                 "typed: the function has type " + func_type_string(have) + ", not " + func_type_string(want));
  return TypedFunc<Sig>(&store, f);
}

}  // namespace wnn
