// SIMD memory handlers: v128 loads and stores, extending/splat/zero loads,
// lane loads and stores. These check bounds explicitly, guard pages or not
// (docs/architecture.md); the address is computed as in memory_access.h.
#include "exec/simd.h"

WNN_SIMD_BEGIN
namespace wnn::exec {

using namespace simd;

#define WNN_EA(o) (uint64_t(uint32_t(fp[o.addr])) + uint64_t(o.offset))
#define WNN_CHECK(ea, n)                      \
  if ((ea) + (n) > th->mem_size) [[unlikely]] \
  return TrapKind::MemoryOutOfBounds

WNN_HANDLER(v128_load) {
  const auto o = layout::Load::read(ip);
  const uint64_t ea = WNN_EA(o);
  WNN_CHECK(ea, 16);
  std::memcpy(fp + o.dst, mem + ea, 16);
  NEXT(layout::Load::kWords);
}

WNN_HANDLER(v128_store) {
  const auto o = layout::Store::read(ip);
  const uint64_t ea = WNN_EA(o);
  WNN_CHECK(ea, 16);
  std::memcpy(mem + ea, fp + o.src, 16);
  NEXT(layout::Store::kWords);
}

// Load 8 bytes as a half vector H and widen each lane to V.
#define WNN_LOAD_EXTEND(name, H, V)                                     \
  WNN_HANDLER(name) {                                                   \
    const auto o = layout::Load::read(ip);                              \
    const uint64_t ea = WNN_EA(o);                                      \
    WNN_CHECK(ea, 8);                                                   \
    vstore(fp + o.dst, __builtin_convertvector(vload<H>(mem + ea), V)); \
    NEXT(layout::Load::kWords);                                         \
  }
WNN_LOAD_EXTEND(v128_load8x8_s, i8x8, i16x8)
WNN_LOAD_EXTEND(v128_load8x8_u, u8x8, u16x8)
WNN_LOAD_EXTEND(v128_load16x4_s, i16x4, i32x4)
WNN_LOAD_EXTEND(v128_load16x4_u, u16x4, u32x4)
WNN_LOAD_EXTEND(v128_load32x2_s, i32x2, i64x2)
WNN_LOAD_EXTEND(v128_load32x2_u, u32x2, u64x2)
#undef WNN_LOAD_EXTEND

#define WNN_LOAD_SPLAT(name, T, V)         \
  WNN_HANDLER(name) {                      \
    const auto o = layout::Load::read(ip); \
    const uint64_t ea = WNN_EA(o);         \
    WNN_CHECK(ea, sizeof(T));              \
    T x;                                   \
    std::memcpy(&x, mem + ea, sizeof(T));  \
    vstore(fp + o.dst, splat<V>(x));       \
    NEXT(layout::Load::kWords);            \
  }
WNN_LOAD_SPLAT(v128_load8_splat, uint8_t, u8x16)
WNN_LOAD_SPLAT(v128_load16_splat, uint16_t, u16x8)
WNN_LOAD_SPLAT(v128_load32_splat, uint32_t, u32x4)
WNN_LOAD_SPLAT(v128_load64_splat, uint64_t, u64x2)
#undef WNN_LOAD_SPLAT

#define WNN_LOAD_ZERO(name, T, V)          \
  WNN_HANDLER(name) {                      \
    const auto o = layout::Load::read(ip); \
    const uint64_t ea = WNN_EA(o);         \
    WNN_CHECK(ea, sizeof(T));              \
    T x;                                   \
    std::memcpy(&x, mem + ea, sizeof(T));  \
    V v{};                                 \
    v[0] = x;                              \
    vstore(fp + o.dst, v);                 \
    NEXT(layout::Load::kWords);            \
  }
WNN_LOAD_ZERO(v128_load32_zero, uint32_t, u32x4)
WNN_LOAD_ZERO(v128_load64_zero, uint64_t, u64x2)
#undef WNN_LOAD_ZERO

// vec with lane `lane` loaded.
#define WNN_LOAD_LANE(name, T, V)                  \
  WNN_HANDLER(name) {                              \
    const auto o = layout::LoadLane::read(ip);     \
    const uint64_t ea = WNN_EA(o);                 \
    WNN_CHECK(ea, sizeof(T));                      \
    const V v = vload<V>(fp + o.vec);              \
    T x;                                           \
    std::memcpy(&x, mem + ea, sizeof(T));          \
    vstore(fp + o.dst, insert_lane(v, x, o.lane)); \
    NEXT(layout::LoadLane::kWords);                \
  }
WNN_LOAD_LANE(v128_load8_lane, uint8_t, u8x16)
WNN_LOAD_LANE(v128_load16_lane, uint16_t, u16x8)
WNN_LOAD_LANE(v128_load32_lane, uint32_t, u32x4)
WNN_LOAD_LANE(v128_load64_lane, uint64_t, u64x2)
#undef WNN_LOAD_LANE

#define WNN_STORE_LANE(name, N)                                                          \
  WNN_HANDLER(name) {                                                                    \
    const auto o = layout::StoreLane::read(ip);                                          \
    const uint64_t ea = WNN_EA(o);                                                       \
    WNN_CHECK(ea, N);                                                                    \
    std::memcpy(mem + ea, reinterpret_cast<const uint8_t*>(fp + o.vec) + o.lane * N, N); \
    NEXT(layout::StoreLane::kWords);                                                     \
  }
WNN_STORE_LANE(v128_store8_lane, 1)
WNN_STORE_LANE(v128_store16_lane, 2)
WNN_STORE_LANE(v128_store32_lane, 4)
WNN_STORE_LANE(v128_store64_lane, 8)
#undef WNN_STORE_LANE

#undef WNN_CHECK
#undef WNN_EA

}  // namespace wnn::exec
WNN_SIMD_END
