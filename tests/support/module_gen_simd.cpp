// SIMD instructions of the module generator (module_gen_body.cpp's walk):
// v128.const, splats, lane extract/replace, shuffle/swizzle, integer and
// float lane arithmetic, comparisons, bitwise ops, shifts, conversions,
// any_true/all_true/bitmask, and loads/stores (whole, extending, splat,
// zero, lane). Opcodes are the 0xFD-prefixed ones of the SIMD spec.
//
// Differential mode: float lane results are canonicalised right after the
// instruction (every lane of a v128 is visible through other shapes, so
// NaN bits would escape anywhere), and float scalars before they enter a
// vector (splat, replace_lane).
#include "module_gen_internal.h"

namespace wnn_test::gen {
namespace {

enum Kind : uint8_t { kUnary, kBinary, kShift, kTest };
struct SimdOp {
  uint8_t code;
  Kind kind;
  VT canon = I32;  // F32/F64: the result has float lanes that may be NaN
};

constexpr SimdOp kOps[] = {
    // unary: not; integer abs/neg/popcnt, extends, pairwise adds; float abs/neg/rounding/sqrt; conversions
    {77, kUnary},
    {96, kUnary},
    {97, kUnary},
    {98, kUnary},
    {124, kUnary},
    {125, kUnary},
    {126, kUnary},
    {127, kUnary},
    {128, kUnary},
    {129, kUnary},
    {135, kUnary},
    {136, kUnary},
    {137, kUnary},
    {138, kUnary},
    {160, kUnary},
    {161, kUnary},
    {167, kUnary},
    {168, kUnary},
    {169, kUnary},
    {170, kUnary},
    {192, kUnary},
    {193, kUnary},
    {199, kUnary},
    {200, kUnary},
    {201, kUnary},
    {202, kUnary},
    {224, kUnary},
    {225, kUnary},
    {236, kUnary},
    {237, kUnary},
    {248, kUnary},
    {249, kUnary},
    {250, kUnary},
    {251, kUnary},
    {252, kUnary},
    {253, kUnary},
    {254, kUnary},
    {255, kUnary},
    {103, kUnary, F32},
    {104, kUnary, F32},
    {105, kUnary, F32},
    {106, kUnary, F32},
    {227, kUnary, F32},
    {94, kUnary, F32},
    {116, kUnary, F64},
    {117, kUnary, F64},
    {122, kUnary, F64},
    {148, kUnary, F64},
    {239, kUnary, F64},
    {95, kUnary, F64},
    // binary: bitwise, swizzle, narrows, integer lane arithmetic
    {78, kBinary},
    {79, kBinary},
    {80, kBinary},
    {81, kBinary},
    {14, kBinary},
    {101, kBinary},
    {102, kBinary},
    {133, kBinary},
    {134, kBinary},
    {110, kBinary},
    {111, kBinary},
    {112, kBinary},
    {113, kBinary},
    {114, kBinary},
    {115, kBinary},
    {118, kBinary},
    {119, kBinary},
    {120, kBinary},
    {121, kBinary},
    {123, kBinary},
    {130, kBinary},
    {142, kBinary},
    {143, kBinary},
    {144, kBinary},
    {145, kBinary},
    {146, kBinary},
    {147, kBinary},
    {149, kBinary},
    {150, kBinary},
    {151, kBinary},
    {152, kBinary},
    {153, kBinary},
    {155, kBinary},
    {156, kBinary},
    {157, kBinary},
    {158, kBinary},
    {159, kBinary},
    {174, kBinary},
    {177, kBinary},
    {181, kBinary},
    {182, kBinary},
    {183, kBinary},
    {184, kBinary},
    {185, kBinary},
    {186, kBinary},
    {188, kBinary},
    {189, kBinary},
    {190, kBinary},
    {191, kBinary},
    {206, kBinary},
    {209, kBinary},
    {213, kBinary},
    {220, kBinary},
    {221, kBinary},
    {222, kBinary},
    {223, kBinary},
    // comparisons (i8x16 .. f64x2, then i64x2)
    {35, kBinary},
    {36, kBinary},
    {37, kBinary},
    {38, kBinary},
    {39, kBinary},
    {40, kBinary},
    {41, kBinary},
    {42, kBinary},
    {43, kBinary},
    {44, kBinary},
    {45, kBinary},
    {46, kBinary},
    {47, kBinary},
    {48, kBinary},
    {49, kBinary},
    {50, kBinary},
    {51, kBinary},
    {52, kBinary},
    {53, kBinary},
    {54, kBinary},
    {55, kBinary},
    {56, kBinary},
    {57, kBinary},
    {58, kBinary},
    {59, kBinary},
    {60, kBinary},
    {61, kBinary},
    {62, kBinary},
    {63, kBinary},
    {64, kBinary},
    {65, kBinary},
    {66, kBinary},
    {67, kBinary},
    {68, kBinary},
    {69, kBinary},
    {70, kBinary},
    {71, kBinary},
    {72, kBinary},
    {73, kBinary},
    {74, kBinary},
    {75, kBinary},
    {76, kBinary},
    {214, kBinary},
    {215, kBinary},
    {216, kBinary},
    {217, kBinary},
    {218, kBinary},
    {219, kBinary},
    // float lane arithmetic: add sub mul div min max pmin pmax
    {228, kBinary, F32},
    {229, kBinary, F32},
    {230, kBinary, F32},
    {231, kBinary, F32},
    {232, kBinary, F32},
    {233, kBinary, F32},
    {234, kBinary, F32},
    {235, kBinary, F32},
    {240, kBinary, F64},
    {241, kBinary, F64},
    {242, kBinary, F64},
    {243, kBinary, F64},
    {244, kBinary, F64},
    {245, kBinary, F64},
    {246, kBinary, F64},
    {247, kBinary, F64},
    // shifts by an i32
    {107, kShift},
    {108, kShift},
    {109, kShift},
    {139, kShift},
    {140, kShift},
    {141, kShift},
    {171, kShift},
    {172, kShift},
    {173, kShift},
    {203, kShift},
    {204, kShift},
    {205, kShift},
    // any_true, all_true, bitmask
    {83, kTest},
    {99, kTest},
    {131, kTest},
    {163, kTest},
    {195, kTest},
    {100, kTest},
    {132, kTest},
    {164, kTest},
    {196, kTest},
};

// Splats, extract_lane and replace_lane per shape: scalar type, lanes.
struct Shape {
  VT scalar;
  uint8_t lanes, splat, extract, replace;  // extract: the signed form for i8x16/i16x8 (+1: unsigned)
};
constexpr Shape kShapes[] = {{I32, 16, 15, 21, 23}, {I32, 8, 16, 24, 26}, {I32, 4, 17, 27, 28},
                             {I64, 2, 18, 29, 30},  {F32, 4, 19, 31, 32}, {F64, 2, 20, 33, 34}};

struct SimdMemOp {
  uint8_t code, align;  // natural alignment, log2
};
// v128.load, load8x8_s .. load32x2_u, load8/16/32/64_splat, load32/64_zero
constexpr SimdMemOp kLoads[] = {{0, 4}, {1, 3}, {2, 3}, {3, 3},  {4, 3},  {5, 3}, {6, 3},
                                {7, 0}, {8, 1}, {9, 2}, {10, 3}, {92, 2}, {93, 3}};

// Leaves (address, v128) on the stack: the vector first (so that computed
// ones are used), kept in a scratch local while the address is pushed.
void address_and_vector(Walk& w) {
  w.need({V128});
  const uint32_t s = w.scratch(V128);
  w.out().u8(0x21);
  w.out().uleb(s);
  w.pop(1);
  w.push_address();
  w.out().u8(0x20);
  w.out().uleb(s);
  w.push(V128);
}

void memory(Walk& w) {
  Src& in = w.in();
  switch (in.below(4)) {
    case 0:
    case 1: {  // loads
      const SimdMemOp& l = kLoads[in.below(std::size(kLoads))];
      w.push_address();
      simd_op(w, l.code);
      w.memarg(l.align);
      w.pop(1);
      w.push(V128);
      return;
    }
    case 2:  // v128.store
      address_and_vector(w);
      simd_op(w, 11);
      w.memarg(4);
      w.pop(2);
      return;
    default: {  // load_lane / store_lane, 8..64 bits
      const uint8_t size = uint8_t(in.below(4));
      const bool store = in.flip(50);
      address_and_vector(w);
      simd_op(w, (store ? 88u : 84u) + size);
      w.memarg(size);
      w.out().u8(uint8_t(in.below(16u >> size)));
      w.pop(2);
      if (!store) w.push(V128);
      return;
    }
  }
}

}  // namespace

void simd_op(Walk& w, uint32_t code) {
  w.out().u8(0xFD);
  w.out().uleb(code);
}

void emit_v128_const(Buf& out, Src& in) {
  out.u8(0xFD);
  out.uleb(12);
  switch (in.below(5)) {
    case 0:
      for (int i = 0; i < 16; ++i) out.u8(in.byte());
      return;
    case 1:
      for (int i = 0; i < 4; ++i) out.raw(int_bits(in, false), 4);
      return;
    case 2:
      for (int i = 0; i < 2; ++i) out.raw(int_bits(in, true), 8);
      return;
    case 3:
      for (int i = 0; i < 4; ++i) out.raw(f32_bits(in), 4);
      return;
    default:
      for (int i = 0; i < 2; ++i) out.raw(f64_bits(in), 8);
      return;
  }
}

void canonicalize_v128(Walk& w, VT shape) {
  if (!w.diff()) return;
  // bitselect(canonical NaNs, v, v != v): local.set s; const; get s; get s; get s; fNxM.ne; bitselect
  const uint32_t s = w.scratch(V128);
  Buf& out = w.out();
  out.u8(0x21);
  out.uleb(s);
  out.u8(0xFD);
  out.uleb(12);
  for (int i = 0; i < 16 / (shape == F32 ? 4 : 8); ++i) {
    if (shape == F32)
      out.raw(kCanonNan32, 4);
    else
      out.raw(kCanonNan64, 8);
  }
  for (int i = 0; i < 3; ++i) {
    out.u8(0x20);
    out.uleb(s);
  }
  simd_op(w, shape == F32 ? 66 : 72);
  simd_op(w, 82);
}

void simd_instruction(Walk& w) {
  Src& in = w.in();
  const uint32_t r = in.below(16);
  if (r < 7) {  // lane-wise operations
    const SimdOp& o = kOps[in.below(std::size(kOps))];
    switch (o.kind) {
      case kUnary: w.need({V128}); break;
      case kBinary: w.need({V128, V128}); break;
      case kShift: w.need({V128, I32}); break;
      case kTest: w.need({V128}); break;
    }
    simd_op(w, o.code);
    w.pop(o.kind == kBinary || o.kind == kShift ? 2 : 1);
    w.push(o.kind == kTest ? I32 : V128);
    if (o.canon != I32) canonicalize_v128(w, o.canon);
    return;
  }
  if (r < 11) {  // splat, extract_lane, replace_lane
    const Shape& s = kShapes[in.below(std::size(kShapes))];
    switch (in.below(3)) {
      case 0:
        w.need({s.scalar});
        w.canonicalize();
        simd_op(w, s.splat);
        w.pop(1);
        w.push(V128);
        return;
      case 1: {
        w.need({V128});
        const bool has_sign = s.lanes > 4;
        simd_op(w, s.extract + (has_sign ? in.below(2) : 0u));
        w.out().u8(uint8_t(in.below(s.lanes)));
        w.pop(1);
        w.push(s.scalar);
        return;
      }
      default:
        w.need({V128, s.scalar});
        w.canonicalize();
        simd_op(w, s.replace);
        w.out().u8(uint8_t(in.below(s.lanes)));
        w.pop(2);
        w.push(V128);
        return;
    }
  }
  if (r < 12) {  // i8x16.shuffle
    w.need({V128, V128});
    simd_op(w, 13);
    for (int i = 0; i < 16; ++i) w.out().u8(uint8_t(in.below(32)));
    w.pop(2);
    w.push(V128);
    return;
  }
  if (r < 13) {  // v128.bitselect
    w.need({V128, V128, V128});
    simd_op(w, 82);
    w.pop(3);
    w.push(V128);
    return;
  }
  if (r < 14) {
    emit_v128_const(w.out(), in);
    w.push(V128);
    return;
  }
  memory(w);
}

}  // namespace wnn_test::gen
