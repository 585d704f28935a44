// SIMD on the compiler tier against the interpreter, lane for lane, on the
// inputs where the x86 lowerings of src/jit/emit_simd*.cpp differ from the
// plain reading of the spec: swizzle indices >= 16, narrowing saturation,
// q15mulr's 0x8000 * 0x8000, dot's overflowing pair, avgr's carry, the
// saturating truncations (NaN, infinities, 2^31, 2^32, just inside/outside),
// shift counts past the lane width, min/max/pmin/pmax with NaN and zeros.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "compile_checks.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using test::ModuleBuilder;
using V16 = std::array<uint8_t, 16>;

enum class Form { Unary, Binary, Shift };
struct Op {
  uint32_t sub;
  Form form;
  int nan_lane_bytes = 0;  // 4/8: float lanes where any NaN equals any NaN (payloads may differ)
};

const Op kOps[] = {
    {0x0E, Form::Binary},                                                  // i8x16.swizzle
    {0x62, Form::Unary},                                                   // i8x16.popcnt
    {0x65, Form::Binary},
    {0x66, Form::Binary},
    {0x85, Form::Binary},
    {0x86, Form::Binary},  // narrow
    {0x82, Form::Binary},                                                  // i16x8.q15mulr_sat_s
    {0xBA, Form::Binary},                                                  // i32x4.dot_i16x8_s
    {0x7B, Form::Binary},
    {0x9B, Form::Binary},                            // avgr_u
    {0x6F, Form::Binary},
    {0x70, Form::Binary},
    {0x72, Form::Binary},
    {0x73, Form::Binary},  // i8x16 sat
    {0x8F, Form::Binary},
    {0x92, Form::Binary},                            // i16x8 sat
    {0x76, Form::Binary},
    {0x79, Form::Binary},
    {0xB6, Form::Binary},
    {0xB9, Form::Binary},  // int min/max
    {0x7C, Form::Unary},
    {0x7D, Form::Unary},
    {0x7E, Form::Unary},
    {0x7F, Form::Unary},  // extadd_pairwise
    {0x87, Form::Unary},
    {0x8A, Form::Unary},
    {0xC7, Form::Unary},
    {0xCA, Form::Unary},  // extend
    {0x9C, Form::Binary},
    {0x9F, Form::Binary},
    {0xBD, Form::Binary},
    {0xDC, Form::Binary},
    {0xDF, Form::Binary},  // extmul
    {0x60, Form::Unary},
    {0x80, Form::Unary},
    {0xA0, Form::Unary},
    {0xC0, Form::Unary},  // abs
    {0x6B, Form::Shift},
    {0x6C, Form::Shift},
    {0x6D, Form::Shift},
    {0x8C, Form::Shift},
    {0xAD, Form::Shift},
    {0xCB, Form::Shift},
    {0xCC, Form::Shift},  // shifts
    {0xD8, Form::Binary},
    {0xDB, Form::Binary},  // i64x2.lt_s, ge_s
    {0xF8, Form::Unary},
    {0xF9, Form::Unary},
    {0xFC, Form::Unary},
    {0xFD, Form::Unary},  // trunc_sat
    {0xFA, Form::Unary},
    {0xFB, Form::Unary},
    {0xFE, Form::Unary},
    {0xFF, Form::Unary},  // convert
    {0x5E, Form::Unary, 4},
    {0x5F, Form::Unary, 8},  // demote, promote
    // min/max: the same NaN bits on both tiers (the compiler tier's vector min_max makes the
    // interpreter's NaN lanes), not only some NaN
    {0xE8, Form::Binary},
    {0xE9, Form::Binary},
    {0xF4, Form::Binary},
    {0xF5, Form::Binary},
    {0xEA, Form::Binary},
    {0xEB, Form::Binary},
    {0xF6, Form::Binary},
    {0xF7, Form::Binary},  // pmin/pmax
    {0x41, Form::Binary},
    {0x4B, Form::Binary},  // f32x4.eq, f64x2.le
    {0x6A, Form::Unary, 4},
    {0x94, Form::Unary, 8},  // nearest
};

// f<i>(): mem[32..48) = op(mem[0..16), mem[16..32) or the i32 at 16).
std::vector<uint8_t> module_bytes() {
  ModuleBuilder b;
  b.memory(1);
  b.export_("mem", ExternKind::Memory, 0);
  const uint32_t t = b.type({}, {});
  for (size_t i = 0; i < std::size(kOps); ++i) {
    std::vector<uint8_t> code{0x41, 32, 0x41, 0, 0xFD, 0x00, 0x00, 0x00};  // addr 32; v128.load 0
    if (kOps[i].form == Form::Binary) code.insert(code.end(), {0x41, 16, 0xFD, 0x00, 0x00, 0x00});
    if (kOps[i].form == Form::Shift) code.insert(code.end(), {0x41, 16, 0x28, 0x02, 0x00});  // i32.load
    code.push_back(0xFD);
    test::put_uleb(code, kOps[i].sub);
    code.insert(code.end(), {0xFD, 0x0B, 0x00, 0x00, 0x0B});  // v128.store; end
    b.export_func("f" + std::to_string(i), b.func(t, code));
  }
  return b.build();
}

template <class T> V16 lanes_of(std::initializer_list<T> v) {
  V16 r{};
  std::memcpy(r.data(), std::data(v), 16);
  return r;
}

std::vector<V16> inputs() {
  const float f_nan = std::numeric_limits<float>::quiet_NaN(), f_inf = std::numeric_limits<float>::infinity();
  const double d_nan = std::numeric_limits<double>::quiet_NaN(), d_inf = std::numeric_limits<double>::infinity();
  std::vector<V16> in = {
      V16{},
      lanes_of<uint8_t>({0, 1, 15, 16, 17, 31, 32, 0x70, 0x7F, 0x80, 0x8F, 0x90, 0xEF, 0xF0, 0xFE, 0xFF}),
      lanes_of<int16_t>({INT16_MIN, INT16_MIN, INT16_MAX, -1, 0, 1, 0x4000, -0x4000}),
      lanes_of<int16_t>({INT16_MIN, INT16_MAX, INT16_MAX, 1, 0x100, -0x100, 0x80, -0x81}),
      lanes_of<int32_t>({INT32_MIN, INT32_MAX, 0x10000, -0x8001}),
      lanes_of<int64_t>({INT64_MIN, -1}),
      lanes_of<float>({f_nan, -f_nan, f_inf, -f_inf}),
      lanes_of<float>({2147483648.0f, -2147483648.0f, 2147483520.0f, -2147483904.0f}),
      lanes_of<float>({4294967296.0f, 4294967040.0f, -0.0f, 0.0f}),
      lanes_of<float>({0.5f, -0.5f, 1.5f, -1.5f}),
      lanes_of<double>({d_nan, -d_inf}),
      lanes_of<double>({4294967295.5, -2147483648.5}),
      lanes_of<double>({-2147483649.0, 2147483647.9}),
      lanes_of<double>({4294967296.0, -0.0}),
      lanes_of<double>({1e300, 2.5}),
      // non-canonical NaNs: all payload bits, negative, signalling
      lanes_of<uint32_t>({0x7FFFFFFFu, 0xFFFFFFFFu, 0x7F800001u, 0xFF800001u}),
      lanes_of<uint64_t>({0x7FF4000000000001u, 0xFFFFFFFFFFFFFFFFu}),
  };
  uint32_t s = 12345;
  for (int k = 0; k < 6; ++k) {
    V16 v;
    for (auto& b : v) s ^= s << 13, s ^= s >> 17, s ^= s << 5, b = uint8_t(s);
    in.push_back(v);
  }
  return in;
}

struct Tiered {
  Store store;
  Instance* inst = nullptr;
  MemoryInst* mem = nullptr;
};

void instantiate(Tiered& r, const std::vector<uint8_t>& bytes, Tier tier) {
  CompileOptions o;
  o.tier = tier;
  auto cm = compile(bytes, o);
  ASSERT_TRUE(cm.ok()) << cm.error().message;
  auto inst = r.store.instantiate(*cm, nullptr);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  r.inst = *inst;
  r.mem = r.store.find_export(r.inst, "mem")->memory();
}

V16 apply(Tiered& r, size_t op, const V16& a, const V16& b) {
  std::span<uint8_t> m = r.store.memory_data(r.mem);
  std::memcpy(m.data(), a.data(), 16);
  std::memcpy(m.data() + 16, b.data(), 16);
  auto res = r.store.invoke(r.store.find_export(r.inst, "f" + std::to_string(op))->func(), {});
  EXPECT_TRUE(res.ok()) << res.error().message;
  V16 out;
  std::memcpy(out.data(), r.store.memory_data(r.mem).data() + 32, 16);
  return out;
}

bool same(const V16& x, const V16& y, int nan_lane_bytes) {
  if (x == y) return true;
  if (!nan_lane_bytes) return false;
  for (int i = 0; i < 16; i += nan_lane_bytes) {
    const bool nan_x =
        nan_lane_bytes == 4
            ? std::isnan(std::bit_cast<float>(std::array<uint8_t, 4>{x[i], x[i + 1], x[i + 2], x[i + 3]}))
            : std::isnan(std::bit_cast<double>(
                  std::array<uint8_t, 8>{x[i], x[i + 1], x[i + 2], x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7]}));
    const bool nan_y =
        nan_lane_bytes == 4
            ? std::isnan(std::bit_cast<float>(std::array<uint8_t, 4>{y[i], y[i + 1], y[i + 2], y[i + 3]}))
            : std::isnan(std::bit_cast<double>(
                  std::array<uint8_t, 8>{y[i], y[i + 1], y[i + 2], y[i + 3], y[i + 4], y[i + 5], y[i + 6], y[i + 7]}));
    if (nan_x && nan_y) continue;
    if (std::memcmp(&x[i], &y[i], nan_lane_bytes) != 0) return false;
  }
  return true;
}

std::string hex(const V16& v) {
  std::string s;
  for (uint8_t b : v) s += "0123456789abcdef"[b >> 4], s += "0123456789abcdef"[b & 15];
  return s;
}

TEST(JitSimd, EdgeLanesMatchTheInterpreter) {
  const std::vector<uint8_t> bytes = module_bytes();
  Tiered interp, jit;
  ASSERT_NO_FATAL_FAILURE(instantiate(interp, bytes, Tier::Interp));
  ASSERT_NO_FATAL_FAILURE(instantiate(jit, bytes, Tier::Jit));
  const std::vector<V16> in = inputs();
  const uint32_t counts[] = {0, 1, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, 255, 0xFFFFFFFF};
  int compared = 0;
  for (size_t op = 0; op < std::size(kOps); ++op) {
    for (const V16& a : in) {
      std::vector<V16> seconds;
      if (kOps[op].form == Form::Binary) seconds = in;
      if (kOps[op].form == Form::Shift)
        for (uint32_t c : counts) seconds.push_back(lanes_of<uint32_t>({c, 0, 0, 0}));
      if (seconds.empty()) seconds.push_back(V16{});
      for (const V16& b : seconds) {
        const V16 want = apply(interp, op, a, b), got = apply(jit, op, a, b);
        ++compared;
        if (!same(want, got, kOps[op].nan_lane_bytes)) {
          ADD_FAILURE() << "0xFD " << kOps[op].sub << " on " << hex(a) << ", " << hex(b) << ": interpreter "
                        << hex(want) << ", jit " << hex(got);
          return;
        }
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

// A lane load or store whose bytes cross the end of memory traps on the jit
// tier as on the interpreter (guard pages, align 1, one lane's width).
TEST(JitSimd, LaneAccessPastTheEndTraps) {
  const test::Bytes bytes = test::wat_module("simd_lane_past_end");
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    SCOPED_TRACE(int(tier));
    CompileOptions o;
    o.tier = tier;
    auto cm = compile(bytes, o);
    ASSERT_TRUE(cm.ok()) << cm.error().message;
    Store store;
    auto inst = store.instantiate(*cm, nullptr);
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    for (auto [name, last_ok] : {std::pair{"load", 65532u}, std::pair{"store", 65528u}}) {
      FuncInst* f = store.find_export(*inst, name)->func();
      Value ok_arg = Value::i32(last_ok), bad_arg = Value::i32(last_ok + 1);
      EXPECT_TRUE(store.invoke(f, {&ok_arg, 1}).ok()) << name;
      auto r = store.invoke(f, {&bad_arg, 1});
      ASSERT_FALSE(r.ok()) << name;
      EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds) << name;
    }
  }
}

}  // namespace
}  // namespace wnn
