// Memory handlers: loads, stores, memory.size/grow and bulk memory. All act
// on memory 0 of the running instance, whose base arrives in `mem` and whose
// size is cached in th->mem_size (refreshed whenever it may have changed).
#include <cstdint>
#include <cstring>

#include "exec/handler.h"
#include "exec/memory_access.h"
#include "exec/operators.h"

namespace wnn::exec {

// Every load: (name, type in memory, type of the result); every store:
// (name, type in memory). Each family of forms below is stamped out for all.
// clang-format off: one row per group, as a table
#define WNN_FOR_EACH_LOAD(X)                                                          \
  X(i32_load, uint32_t, uint32_t) X(i64_load, uint64_t, uint64_t)                     \
  X(f32_load, uint32_t, uint32_t) X(f64_load, uint64_t, uint64_t)                     \
  X(i32_load8_s, int8_t, int32_t) X(i32_load8_u, uint8_t, uint32_t)                   \
  X(i32_load16_s, int16_t, int32_t) X(i32_load16_u, uint16_t, uint32_t)               \
  X(i64_load8_s, int8_t, int64_t) X(i64_load8_u, uint8_t, uint64_t)                   \
  X(i64_load16_s, int16_t, int64_t) X(i64_load16_u, uint16_t, uint64_t)               \
  X(i64_load32_s, int32_t, int64_t) X(i64_load32_u, uint32_t, uint64_t)
#define WNN_FOR_EACH_STORE(X)                                                         \
  X(i32_store, uint32_t) X(i64_store, uint64_t) X(f32_store, uint32_t)                \
  X(f64_store, uint64_t) X(i32_store8, uint8_t) X(i32_store16, uint16_t)              \
  X(i64_store8, uint8_t) X(i64_store16, uint16_t) X(i64_store32, uint32_t)
// clang-format on

// A load handler of layout L: read M at `ea` (an expression over the
// operands `o`), widen to R, into fp[o.dst].
#define WNN_LOAD_FORM(handler, M, R, L, ea_expr) \
  WNN_HANDLER(handler) {                         \
    const auto o = layout::L::read(ip);          \
    const uint64_t ea = (ea_expr);               \
    WNN_BOUNDS(ea, sizeof(M));                   \
    M v;                                         \
    std::memcpy(&v, mem + ea, sizeof(M));        \
    fp[o.dst] = to_slot(R(v));                   \
    NEXT(layout::L::kWords);                     \
  }
// The address forms of every load (ops.def has the layouts):
//   plain          address u32(addr)
//   _at_sum        u32(a + b), an i32.add fused in
//   _at_sum_imm    u32(addr + imm), a constant sum
//   _at_scaled     u32(a + (b << shift) + imm), an i32_add_shl fused in
#define WNN_LOADS(name, M, R)                                                                  \
  WNN_LOAD_FORM(name, M, R, Load, wasm_ea(fp[o.addr], 0, o.offset))                            \
  WNN_LOAD_FORM(name##_at_sum, M, R, LoadAtSum, wasm_ea(fp[o.a], uint32_t(fp[o.b]), o.offset)) \
  WNN_LOAD_FORM(name##_at_sum_imm, M, R, LoadAtSumImm, wasm_ea(fp[o.addr], o.imm, o.offset))   \
  WNN_LOAD_FORM(name##_at_scaled, M, R, LoadAtScaled,                                          \
                wasm_ea(fp[o.a], (uint32_t(fp[o.b]) << (o.shift & 31)) + o.imm, o.offset))
WNN_FOR_EACH_LOAD(WNN_LOADS)
#undef WNN_LOADS
#undef WNN_LOAD_FORM

// A store handler of layout L: the low sizeof(M) bytes of `value` at `ea`
// (expressions over the operands `o`).
#define WNN_STORE_FORM(handler, M, L, ea_expr, value) \
  WNN_HANDLER(handler) {                              \
    const auto o = layout::L::read(ip);               \
    const uint64_t ea = (ea_expr);                    \
    WNN_BOUNDS(ea, sizeof(M));                        \
    const M v = M(value);                             \
    std::memcpy(mem + ea, &v, sizeof(M));             \
    NEXT(layout::L::kWords);                          \
  }
// The forms of every store:
//   plain          address u32(addr)
//   _at_sum_imm    u32(addr + imm)
//   _const         u32(addr + imm), a constant value (imm: a constant sum, or 0)
#define WNN_STORES(name, M)                                                                            \
  WNN_STORE_FORM(name, M, Store, wasm_ea(fp[o.addr], 0, o.offset), fp[o.src])                          \
  WNN_STORE_FORM(name##_at_sum_imm, M, StoreAtSumImm, wasm_ea(fp[o.addr], o.imm, o.offset), fp[o.src]) \
  WNN_STORE_FORM(name##_const, M, StoreConst, wasm_ea(fp[o.addr], o.imm, o.offset), o.value)
WNN_FOR_EACH_STORE(WNN_STORES)
#undef WNN_STORES
#undef WNN_STORE_FORM

// Binary ops whose second operand is loaded from memory (a load fused into
// its consumer).
#define WNN_BINARY_MEM(name, T, M)                            \
  WNN_HANDLER(name##_mem) {                                   \
    const auto o = layout::BinaryMem::read(ip);               \
    const uint64_t ea = wasm_ea(fp[o.addr], o.imm, o.offset); \
    WNN_BOUNDS(ea, sizeof(M));                                \
    M m;                                                      \
    std::memcpy(&m, mem + ea, sizeof(M));                     \
    const T a = get<T>(fp[o.a]);                              \
    const T b = get<T>(Slot(m));                              \
    fp[o.dst] = to_slot(wasm_op::name(a, b));                 \
    NEXT(layout::BinaryMem::kWords);                          \
  }
WNN_BINARY_MEM(i32_add, uint32_t, uint32_t)
WNN_BINARY_MEM(i32_sub, uint32_t, uint32_t)
WNN_BINARY_MEM(i32_mul, uint32_t, uint32_t)
WNN_BINARY_MEM(i32_and, uint32_t, uint32_t)
WNN_BINARY_MEM(i32_or, uint32_t, uint32_t)
WNN_BINARY_MEM(i32_xor, uint32_t, uint32_t)
WNN_BINARY_MEM(i64_add, uint64_t, uint64_t)
WNN_BINARY_MEM(i64_sub, uint64_t, uint64_t)
WNN_BINARY_MEM(i64_mul, uint64_t, uint64_t)
WNN_BINARY_MEM(i64_and, uint64_t, uint64_t)
WNN_BINARY_MEM(i64_or, uint64_t, uint64_t)
WNN_BINARY_MEM(i64_xor, uint64_t, uint64_t)
WNN_BINARY_MEM(f32_add, float, uint32_t)
WNN_BINARY_MEM(f32_sub, float, uint32_t)
WNN_BINARY_MEM(f32_mul, float, uint32_t)
WNN_BINARY_MEM(f64_add, double, uint64_t)
WNN_BINARY_MEM(f64_sub, double, uint64_t)
WNN_BINARY_MEM(f64_mul, double, uint64_t)
#undef WNN_BINARY_MEM

// A load whose value only feeds a store of the same width: N bytes copied.
// The source is read before the destination is checked, as the two
// instructions would.
#define WNN_MEM_MOVE(bits, M)                                              \
  WNN_HANDLER(mem_move##bits) {                                            \
    const auto o = layout::MemMove::read(ip);                              \
    const uint64_t src = wasm_ea(fp[o.src_addr], o.src_imm, o.src_offset); \
    WNN_BOUNDS(src, sizeof(M));                                            \
    M v;                                                                   \
    std::memcpy(&v, mem + src, sizeof(M));                                 \
    const uint64_t dst = wasm_ea(fp[o.dst_addr], o.dst_imm, o.dst_offset); \
    WNN_BOUNDS(dst, sizeof(M));                                            \
    std::memcpy(mem + dst, &v, sizeof(M));                                 \
    NEXT(layout::MemMove::kWords);                                         \
  }
WNN_MEM_MOVE(8, uint8_t)
WNN_MEM_MOVE(16, uint16_t)
WNN_MEM_MOVE(32, uint32_t)
WNN_MEM_MOVE(64, uint64_t)
#undef WNN_MEM_MOVE
#undef WNN_FOR_EACH_LOAD
#undef WNN_FOR_EACH_STORE

WNN_HANDLER(memory_size) {
  const auto o = layout::MemorySize::read(ip);
  fp[o.dst] = to_slot(uint32_t(th->mem_size / kPageSize));
  NEXT(layout::MemorySize::kWords);
}

// The base never moves (the runtime reserves the whole range),
// but reloading it costs nothing next to mprotect.
WNN_HANDLER(memory_grow) {
  const auto o = layout::MemoryGrow::read(ip);
  MemoryInst* m = th->inst->memories[0];
  const int64_t old = m->grow(uint32_t(fp[o.delta]));
  th->mem_size = m->size;
  mem = m->base;
  fp[o.dst] = to_slot(uint32_t(int32_t(old)));  // -1 -> 0xFFFFFFFF
  NEXT(layout::MemoryGrow::kWords);
}

// Bulk operations check the whole range first: an out-of-bounds fill/copy/init
// traps without writing anything. n == 0 at exactly the end is allowed.
// Then they charge the budget by length (one unit per 16 bytes, like the
// instructions of a copy loop), so fuel bounds their time too; an
// out-of-bounds one did no work and traps as such, not as out of fuel.
#define WNN_CHARGE_BYTES(n) WNN_CHARGE(1 + ((n) >> 4))

WNN_HANDLER(memory_fill) {
  const auto o = layout::MemoryFill::read(ip);
  const uint64_t d = uint32_t(fp[o.dst]);
  const uint8_t val = uint8_t(fp[o.value]);
  const uint64_t n = uint32_t(fp[o.n]);
  if (d + n > th->mem_size) [[unlikely]]
    return TrapKind::MemoryOutOfBounds;
  WNN_CHARGE_BYTES(n);
  if (n) std::memset(mem + d, val, n);
  NEXT(layout::MemoryFill::kWords);
}

WNN_HANDLER(memory_copy) {
  const auto o = layout::MemoryCopy::read(ip);
  const uint64_t d = uint32_t(fp[o.dst]);
  const uint64_t s = uint32_t(fp[o.src]);
  const uint64_t n = uint32_t(fp[o.n]);
  if (d + n > th->mem_size || s + n > th->mem_size) [[unlikely]]
    return TrapKind::MemoryOutOfBounds;
  WNN_CHARGE_BYTES(n);
  if (n) std::memmove(mem + d, mem + s, n);
  NEXT(layout::MemoryCopy::kWords);
}

WNN_HANDLER(memory_init) {
  const auto o = layout::MemoryInit::read(ip);
  const uint64_t d = uint32_t(fp[o.dst]);
  const uint64_t s = uint32_t(fp[o.src]);
  const uint64_t n = uint32_t(fp[o.n]);
  const DataInst& seg = th->inst->datas[o.data];
  if (s + n > seg.size || d + n > th->mem_size) [[unlikely]]
    return TrapKind::MemoryOutOfBounds;
  WNN_CHARGE_BYTES(n);
  if (n) std::memcpy(mem + d, seg.bytes + s, n);
  NEXT(layout::MemoryInit::kWords);
}

#undef WNN_CHARGE_BYTES

WNN_HANDLER(data_drop) {
  const auto o = layout::DataDrop::read(ip);
  DataInst& seg = th->inst->datas[o.data];
  seg.size = 0;
  seg.bytes = nullptr;
  NEXT(layout::DataDrop::kWords);
}

}  // namespace wnn::exec
