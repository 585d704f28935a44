// SIMD memory handlers: v128 loads and stores, extending/splat/zero loads,
// lane loads and stores. These check bounds explicitly, guard pages or not
// (docs/architecture.md); the address is computed as in memory_access.h.
#include "exec/simd.h"

WNN_SIMD_BEGIN
namespace wnn::exec {

using namespace simd;

#define WNN_EA(addr_slot) (uint64_t(uint32_t(fp[addr_slot])) + uint64_t(ip[2].a))
#define WNN_CHECK(ea, n)                      \
  if ((ea) + (n) > th->mem_size) [[unlikely]] \
  return TrapKind::MemoryOutOfBounds

// (dst, addr) (offset, -)
WNN_HANDLER(v128_load) {
  const uint64_t ea = WNN_EA(ip[1].b);
  WNN_CHECK(ea, 16);
  std::memcpy(fp + ip[1].a, mem + ea, 16);
  NEXT(3);
}

// (addr, src) (offset, -)
WNN_HANDLER(v128_store) {
  const uint64_t ea = WNN_EA(ip[1].a);
  WNN_CHECK(ea, 16);
  std::memcpy(mem + ea, fp + ip[1].b, 16);
  NEXT(3);
}

// Load 8 bytes as a half vector H and widen each lane to V.
#define WNN_LOAD_EXTEND(name, H, V)                                       \
  WNN_HANDLER(name) {                                                     \
    const uint64_t ea = WNN_EA(ip[1].b);                                  \
    WNN_CHECK(ea, 8);                                                     \
    vstore(fp + ip[1].a, __builtin_convertvector(vload<H>(mem + ea), V)); \
    NEXT(3);                                                              \
  }
WNN_LOAD_EXTEND(v128_load8x8_s, i8x8, i16x8)
WNN_LOAD_EXTEND(v128_load8x8_u, u8x8, u16x8)
WNN_LOAD_EXTEND(v128_load16x4_s, i16x4, i32x4)
WNN_LOAD_EXTEND(v128_load16x4_u, u16x4, u32x4)
WNN_LOAD_EXTEND(v128_load32x2_s, i32x2, i64x2)
WNN_LOAD_EXTEND(v128_load32x2_u, u32x2, u64x2)
#undef WNN_LOAD_EXTEND

#define WNN_LOAD_SPLAT(name, T, V)        \
  WNN_HANDLER(name) {                     \
    const uint64_t ea = WNN_EA(ip[1].b);  \
    WNN_CHECK(ea, sizeof(T));             \
    T x;                                  \
    std::memcpy(&x, mem + ea, sizeof(T)); \
    vstore(fp + ip[1].a, splat<V>(x));    \
    NEXT(3);                              \
  }
WNN_LOAD_SPLAT(v128_load8_splat, uint8_t, u8x16)
WNN_LOAD_SPLAT(v128_load16_splat, uint16_t, u16x8)
WNN_LOAD_SPLAT(v128_load32_splat, uint32_t, u32x4)
WNN_LOAD_SPLAT(v128_load64_splat, uint64_t, u64x2)
#undef WNN_LOAD_SPLAT

#define WNN_LOAD_ZERO(name, T, V)         \
  WNN_HANDLER(name) {                     \
    const uint64_t ea = WNN_EA(ip[1].b);  \
    WNN_CHECK(ea, sizeof(T));             \
    T x;                                  \
    std::memcpy(&x, mem + ea, sizeof(T)); \
    V v{};                                \
    v[0] = x;                             \
    vstore(fp + ip[1].a, v);              \
    NEXT(3);                              \
  }
WNN_LOAD_ZERO(v128_load32_zero, uint32_t, u32x4)
WNN_LOAD_ZERO(v128_load64_zero, uint64_t, u64x2)
#undef WNN_LOAD_ZERO

// (dst, addr) (offset, lane) (vec, -): vec with lane `lane` loaded.
#define WNN_LOAD_LANE(name, T, V)                     \
  WNN_HANDLER(name) {                                 \
    const uint64_t ea = WNN_EA(ip[1].b);              \
    WNN_CHECK(ea, sizeof(T));                         \
    const V v = vload<V>(fp + ip[3].a);               \
    T x;                                              \
    std::memcpy(&x, mem + ea, sizeof(T));             \
    vstore(fp + ip[1].a, insert_lane(v, x, ip[2].b)); \
    NEXT(4);                                          \
  }
WNN_LOAD_LANE(v128_load8_lane, uint8_t, u8x16)
WNN_LOAD_LANE(v128_load16_lane, uint16_t, u16x8)
WNN_LOAD_LANE(v128_load32_lane, uint32_t, u32x4)
WNN_LOAD_LANE(v128_load64_lane, uint64_t, u64x2)
#undef WNN_LOAD_LANE

// (addr, vec) (offset, lane)
#define WNN_STORE_LANE(name, N)                                                             \
  WNN_HANDLER(name) {                                                                       \
    const uint64_t ea = WNN_EA(ip[1].a);                                                    \
    WNN_CHECK(ea, N);                                                                       \
    std::memcpy(mem + ea, reinterpret_cast<const uint8_t*>(fp + ip[1].b) + ip[2].b * N, N); \
    NEXT(3);                                                                                \
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
