// Conversion handlers: wrap/extend, float<->int (trapping and saturating),
// demote/promote, reinterpret, sign extension.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "exec/handler.h"

namespace wnn::exec {

namespace {

// A float x converts to integer type I without overflow iff lo < x < hi
// (exclusive, after truncation toward zero). Each bound is exactly
// representable in F: the first F value outside the range on each side.
template <typename I, typename F> struct TruncBounds;
template <> struct TruncBounds<int32_t, float> {
  static constexpr float lo = -2147483904.0f;  // -2^31 - 256: next float below -2^31
  static constexpr float hi = 2147483648.0f;   // 2^31
};
template <> struct TruncBounds<uint32_t, float> {
  static constexpr float lo = -1.0f;
  static constexpr float hi = 4294967296.0f;  // 2^32
};
template <> struct TruncBounds<int32_t, double> {
  static constexpr double lo = -2147483649.0;  // -2^31 - 1
  static constexpr double hi = 2147483648.0;
};
template <> struct TruncBounds<uint32_t, double> {
  static constexpr double lo = -1.0;
  static constexpr double hi = 4294967296.0;
};
template <> struct TruncBounds<int64_t, float> {
  static constexpr float lo = -9223373136366403584.0f;  // -2^63 - 2^40
  static constexpr float hi = 9223372036854775808.0f;   // 2^63
};
template <> struct TruncBounds<uint64_t, float> {
  static constexpr float lo = -1.0f;
  static constexpr float hi = 18446744073709551616.0f;  // 2^64
};
template <> struct TruncBounds<int64_t, double> {
  static constexpr double lo = -9223372036854777856.0;  // -2^63 - 2^11
  static constexpr double hi = 9223372036854775808.0;
};
template <> struct TruncBounds<uint64_t, double> {
  static constexpr double lo = -1.0;
  static constexpr double hi = 18446744073709551616.0;
};

template <typename I, typename F> inline I trunc_sat(F x) {
  using B = TruncBounds<I, F>;
  if (std::isnan(x)) return 0;
  if (!(x > B::lo)) return std::numeric_limits<I>::min();
  if (!(x < B::hi)) return std::numeric_limits<I>::max();
  return I(x);
}

}  // namespace

// Trapping truncation: NaN is an invalid conversion, out of range overflows.
#define WNN_TRUNC(name, I, F)                                                         \
  WNN_HANDLER(name) {                                                                 \
    const auto o = layout::Unary::read(ip);                                           \
    const F a = get<F>(fp[o.src]);                                                    \
    using B = TruncBounds<I, F>;                                                      \
    if (!(a > B::lo && a < B::hi)) [[unlikely]]                                       \
      return std::isnan(a) ? TrapKind::InvalidConversion : TrapKind::IntegerOverflow; \
    fp[o.dst] = to_slot(I(a));                                                        \
    NEXT(layout::Unary::kWords);                                                      \
  }
WNN_TRUNC(i32_trunc_f32_s, int32_t, float)
WNN_TRUNC(i32_trunc_f32_u, uint32_t, float)
WNN_TRUNC(i32_trunc_f64_s, int32_t, double)
WNN_TRUNC(i32_trunc_f64_u, uint32_t, double)
WNN_TRUNC(i64_trunc_f32_s, int64_t, float)
WNN_TRUNC(i64_trunc_f32_u, uint64_t, float)
WNN_TRUNC(i64_trunc_f64_s, int64_t, double)
WNN_TRUNC(i64_trunc_f64_u, uint64_t, double)
#undef WNN_TRUNC

WNN_UNARY(i32_trunc_sat_f32_s, float, (trunc_sat<int32_t, float>(a)))
WNN_UNARY(i32_trunc_sat_f32_u, float, (trunc_sat<uint32_t, float>(a)))
WNN_UNARY(i32_trunc_sat_f64_s, double, (trunc_sat<int32_t, double>(a)))
WNN_UNARY(i32_trunc_sat_f64_u, double, (trunc_sat<uint32_t, double>(a)))
WNN_UNARY(i64_trunc_sat_f32_s, float, (trunc_sat<int64_t, float>(a)))
WNN_UNARY(i64_trunc_sat_f32_u, float, (trunc_sat<uint64_t, float>(a)))
WNN_UNARY(i64_trunc_sat_f64_s, double, (trunc_sat<int64_t, double>(a)))
WNN_UNARY(i64_trunc_sat_f64_u, double, (trunc_sat<uint64_t, double>(a)))

WNN_UNARY(i32_wrap_i64, uint64_t, uint32_t(a))
WNN_UNARY(i64_extend_i32_s, int32_t, int64_t(a))
WNN_UNARY(i64_extend_i32_u, uint32_t, uint64_t(a))

// int -> float: the compiler's conversions round to nearest even, as wasm
// requires (including u64 -> f32, which clang does without double rounding).
WNN_UNARY(f32_convert_i32_s, int32_t, float(a))
WNN_UNARY(f32_convert_i32_u, uint32_t, float(a))
WNN_UNARY(f32_convert_i64_s, int64_t, float(a))
WNN_UNARY(f32_convert_i64_u, uint64_t, float(a))
WNN_UNARY(f64_convert_i32_s, int32_t, double(a))
WNN_UNARY(f64_convert_i32_u, uint32_t, double(a))
WNN_UNARY(f64_convert_i64_s, int64_t, double(a))
WNN_UNARY(f64_convert_i64_u, uint64_t, double(a))

// NaNs come out quiet (arithmetic NaN), which the spec accepts.
WNN_UNARY(f32_demote_f64, double, float(a))
WNN_UNARY(f64_promote_f32, float, double(a))

// Reinterpretations are plain bit copies (the slot already holds the bits);
// the 32-bit ones still rewrite the slot to clear the high half.
WNN_UNARY(i32_reinterpret_f32, uint32_t, a)
WNN_UNARY(f32_reinterpret_i32, uint32_t, a)
WNN_UNARY(i64_reinterpret_f64, uint64_t, a)
WNN_UNARY(f64_reinterpret_i64, uint64_t, a)

WNN_UNARY(i32_extend8_s, uint32_t, int32_t(int8_t(a)))
WNN_UNARY(i32_extend16_s, uint32_t, int32_t(int16_t(a)))
WNN_UNARY(i64_extend8_s, uint64_t, int64_t(int8_t(a)))
WNN_UNARY(i64_extend16_s, uint64_t, int64_t(int16_t(a)))
WNN_UNARY(i64_extend32_s, uint64_t, int64_t(int32_t(a)))

}  // namespace wnn::exec
