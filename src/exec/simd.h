// Internal to src/exec: vector types and helpers for the SIMD handlers
// (simd_*.cpp). See docs/simd.md.
//
// Handlers use clang vector extensions, which lower to the host's vector
// instructions on every target, plus SSE intrinsics on x86-64 where Wasm
// semantics need a specific instruction sequence (min/max, trunc_sat,
// q15mulr, narrow, bitmask...). The rest of wnn is built for baseline
// x86-64 (SSE2); the SIMD handlers are compiled for x86-64-v2 (SSE4.2 +
// POPCNT) through a target attribute on every function between
// WNN_SIMD_BEGIN and WNN_SIMD_END, so that no build flag changes. The
// translator refuses SIMD code on a CPU without those features
// (simd_cpu_supported()), so the handlers never run there.
#pragma once
#include <cstdint>
#include <cstring>

#include "exec/handler.h"

// WNN_SIMD_PORTABLE builds the portable handlers on x86-64 too (to test them).
#if defined(__x86_64__) && !defined(WNN_SIMD_PORTABLE)
#include <immintrin.h>
#define WNN_SIMD_X86 1
#define WNN_SIMD_BEGIN _Pragma("clang attribute push(__attribute__((target(\"sse4.2,popcnt\"))), apply_to = function)")
#define WNN_SIMD_END _Pragma("clang attribute pop")
#else
#define WNN_SIMD_X86 0
#define WNN_SIMD_BEGIN
#define WNN_SIMD_END
#endif

namespace wnn::exec {

// True when the host CPU can run the SIMD handlers.
bool simd_cpu_supported();

namespace simd {

#define WNN_VEC(name, T, n) typedef T name __attribute__((vector_size(sizeof(T) * n)))
WNN_VEC(i8x16, int8_t, 16);
WNN_VEC(u8x16, uint8_t, 16);
WNN_VEC(i16x8, int16_t, 8);
WNN_VEC(u16x8, uint16_t, 8);
WNN_VEC(i32x4, int32_t, 4);
WNN_VEC(u32x4, uint32_t, 4);
WNN_VEC(i64x2, int64_t, 2);
WNN_VEC(u64x2, uint64_t, 2);
WNN_VEC(f32x4, float, 4);
WNN_VEC(f64x2, double, 2);
// Half vectors: the source of extending loads and widening ops.
WNN_VEC(i8x8, int8_t, 8);
WNN_VEC(u8x8, uint8_t, 8);
WNN_VEC(i16x4, int16_t, 4);
WNN_VEC(u16x4, uint16_t, 4);
WNN_VEC(i32x2, int32_t, 2);
WNN_VEC(u32x2, uint32_t, 2);
WNN_VEC(f32x2, float, 2);
#undef WNN_VEC

WNN_SIMD_BEGIN

// Slots are only 8-byte aligned: always go through memcpy (movdqu). Write a
// v128 with one 16-byte store, never as two slots: a 16-byte load of two
// 8-byte stores cannot be store-forwarded and costs ~10 cycles.
template <typename V> inline V vload(const void* p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}
template <typename V> inline void vstore(void* p, V v) { std::memcpy(p, &v, sizeof(V)); }

template <typename V, typename T> inline V splat(T x) {
  V v;
  for (unsigned i = 0; i < sizeof(V) / sizeof(T); ++i) v[i] = x;
  return v;
}

// `v` with lane `lane` replaced by x (T is the unsigned lane type of V). A
// compare-and-blend: writing the lane through memory and reading the vector
// back would stall on store forwarding.
template <typename V, typename T> inline V insert_lane(V v, T x, uint32_t lane) {
  V iota;
  for (unsigned i = 0; i < sizeof(V) / sizeof(T); ++i) iota[i] = T(i);
  const V m = V(iota == splat<V>(T(lane)));
  return (v & ~m) | (splat<V>(x) & m);
}

WNN_SIMD_END

}  // namespace simd

// v128 handlers from one expression over `a` (and `b`), vectors of type V.
// Both operands are read before the result is written (dst may overlap).
#define WNN_V_UNARY(name, V, expr)          \
  WNN_HANDLER(name) {                       \
    const auto o = layout::Unary::read(ip); \
    const V a = simd::vload<V>(fp + o.src); \
    simd::vstore(fp + o.dst, (expr));       \
    NEXT(layout::Unary::kWords);            \
  }
#define WNN_V_BINARY(name, V, expr)          \
  WNN_HANDLER(name) {                        \
    const auto o = layout::Binary::read(ip); \
    const V a = simd::vload<V>(fp + o.a);    \
    const V b = simd::vload<V>(fp + o.b);    \
    simd::vstore(fp + o.dst, (expr));        \
    NEXT(layout::Binary::kWords);            \
  }
// v128 -> i32 (any_true, all_true, bitmask).
#define WNN_V_TEST(name, V, expr)           \
  WNN_HANDLER(name) {                       \
    const auto o = layout::Unary::read(ip); \
    const V a = simd::vload<V>(fp + o.src); \
    fp[o.dst] = to_slot(uint32_t(expr));    \
    NEXT(layout::Unary::kWords);            \
  }

}  // namespace wnn::exec
