// Internal to src/exec: helpers for writing handlers. Every handler is
//   TrapKind WNN_CC op_<name>(const Word* ip, Slot* fp, uint8_t* mem, Thread* th)
// defined by WNN_HANDLER(<name>) (ops.def names every one), reads its operands
// with layout::<its layout>::read(ip) (operands.h)
// and ends by tail-calling the next instruction's handler, so a whole run of
// wasm code (calls and returns included) uses one native stack frame.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>

#include "exec/code.h"
#include "exec/operands.h"
#include "exec/thread.h"

namespace wnn::exec {

// Handlers are hot and tiny; keeping them out of line is required (their
// addresses are the code), but they should not grow a stack frame.
#define WNN_HANDLER(name)                                                                                              \
  TrapKind WNN_CC op_##name([[maybe_unused]] const Word* ip, [[maybe_unused]] Slot* fp, [[maybe_unused]] uint8_t* mem, \
                            [[maybe_unused]] Thread* th)

// Dispatch the instruction `n` words further on.
#define NEXT(n)                                                    \
  do {                                                             \
    const Word* next_ip_ = ip + (n);                               \
    [[clang::musttail]] return next_ip_->h(next_ip_, fp, mem, th); \
  } while (0)

// Dispatch the instruction at `target` (a const Word*).
#define JUMP(target)                                               \
  do {                                                             \
    const Word* next_ip_ = (target);                               \
    [[clang::musttail]] return next_ip_->h(next_ip_, fp, mem, th); \
  } while (0)

// Charge `n` to the thread's budget (loop back-edges, calls); when it runs
// out, refill_budget() either traps (fuel spent, interrupted) or refills.
#define WNN_CHARGE(n)                                                             \
  do {                                                                            \
    if ((th->budget -= int64_t(n)) < 0) [[unlikely]] {                            \
      if (const TrapKind k_ = refill_budget(th); k_ != TrapKind::None) return k_; \
    }                                                                             \
  } while (0)

// Charge `n` (a loop body's instructions) at a back-edge to the loop header
// `target`. When the budget runs out, loop_refill (a tail call: the back-edge
// needs no stack frame) refills it or traps, and continues at `target` — or
// in compiled code continuing that loop (on-stack replacement, tiering.h).
#define WNN_CHARGE_LOOP(n, target)                                   \
  do {                                                               \
    if ((th->budget -= int64_t(n)) < 0) [[unlikely]] {               \
      [[clang::musttail]] return loop_refill((target), fp, mem, th); \
    }                                                                \
  } while (0)

// Slot access. i32/f32 live in the low 32 bits; readers ignore the high bits,
// writers zero them (so a slot's value never depends on stale data).
template <typename T> inline T get(Slot s);
template <> inline uint32_t get<uint32_t>(Slot s) { return uint32_t(s); }
template <> inline int32_t get<int32_t>(Slot s) { return int32_t(uint32_t(s)); }
template <> inline uint64_t get<uint64_t>(Slot s) { return s; }
template <> inline int64_t get<int64_t>(Slot s) { return int64_t(s); }
template <> inline float get<float>(Slot s) { return std::bit_cast<float>(uint32_t(s)); }
template <> inline double get<double>(Slot s) { return std::bit_cast<double>(s); }

// A v128 as one 16-byte value, to move it with a single load and store.
typedef uint64_t V128Bits __attribute__((vector_size(16)));

inline Slot to_slot(bool v) { return v ? 1 : 0; }
inline Slot to_slot(uint32_t v) { return v; }
inline Slot to_slot(int32_t v) { return uint32_t(v); }
inline Slot to_slot(uint64_t v) { return v; }
inline Slot to_slot(int64_t v) { return uint64_t(v); }
inline Slot to_slot(float v) { return std::bit_cast<uint32_t>(v); }
inline Slot to_slot(double v) { return std::bit_cast<uint64_t>(v); }

// Unary and binary operators (layouts Unary, Binary) from one expression over
// `a` (and `b`). Operands are read before the result is written, since dst
// may equal a source slot.
#define WNN_UNARY(name, T, expr)            \
  WNN_HANDLER(name) {                       \
    const auto o = layout::Unary::read(ip); \
    const T a = get<T>(fp[o.src]);          \
    fp[o.dst] = to_slot(expr);              \
    NEXT(layout::Unary::kWords);            \
  }
#define WNN_BINARY(name, T, expr)            \
  WNN_HANDLER(name) {                        \
    const auto o = layout::Binary::read(ip); \
    const T a = get<T>(fp[o.a]);             \
    const T b = get<T>(fp[o.b]);             \
    fp[o.dst] = to_slot(expr);               \
    NEXT(layout::Binary::kWords);            \
  }

// A handler that applies wasm_op::<name> (operators.h, which the including
// file includes) to operands of its Wasm type T (uint32_t for i32, ...).
#define WNN_UNARY_OP(name, T) WNN_UNARY(name, T, wasm_op::name(a))
#define WNN_BINARY_OP(name, T) WNN_BINARY(name, T, wasm_op::name(a, b))

}  // namespace wnn::exec
