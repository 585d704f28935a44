// Internals of the module generator (module_gen.h), shared by
// module_gen.cpp (module structure, encoding) and module_gen_body.cpp
// (function bodies).
#pragma once
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "module_gen.h"
#include "wasm_writer.h"

namespace wnn_test::gen {

enum VT : uint8_t { I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128 = 0x7B };
using Types = std::vector<VT>;
constexpr VT kVT[4] = {I32, I64, F32, F64};

constexpr uint32_t kCanonNan32 = 0x7fc00000u;
constexpr uint64_t kCanonNan64 = 0x7ff8000000000000ull;
constexpr uint32_t kLoopBudget = 1000;  // differential: loop iterations per entry call

// The input bytes; zeros once they run out.
class Src {
 public:
  explicit Src(std::span<const uint8_t> d) : p_(d.data()), e_(d.data() + d.size()) {}
  bool done() const { return p_ >= e_; }
  uint8_t byte() { return p_ < e_ ? *p_++ : 0; }
  uint32_t below(uint32_t n) {  // [0, n), n > 0
    if (n <= 256) return byte() % n;
    uint32_t x = byte();
    x = x << 8 | byte();
    x = x << 8 | byte();
    return (x << 8 | byte()) % n;
  }
  // True with about `percent` % probability; false once the input is spent.
  bool flip(unsigned percent) { return byte() >= 256 - percent * 256 / 100; }
  uint64_t u64() {
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x = x << 8 | byte();
    return x;
  }
  VT type() { return kVT[byte() & 3]; }  // a scalar type
  // A type for params, results and locals: mostly scalar, sometimes v128.
  VT any_type() { return flip(10) ? V128 : type(); }

 private:
  const uint8_t* p_;
  const uint8_t* e_;
};

// Bytes a generator appends to (the shared test module writer).
using Buf = wnn::test::Writer;

inline uint64_t int_bits(Src& in, bool is64) {
  uint64_t v;
  switch (in.below(10)) {
    case 0: v = 0; break;
    case 1: v = 1; break;
    case 2: v = ~uint64_t(0); break;
    case 3: v = is64 ? uint64_t(1) << 63 : 0x80000000u; break;
    case 4: v = is64 ? ~(uint64_t(1) << 63) : 0x7fffffffu; break;
    case 5: v = in.below(256); break;
    case 6: v = uint64_t(1) << in.below(is64 ? 64 : 32); break;
    case 7: v = in.below(3 * 65536); break;
    default: v = in.u64(); break;
  }
  return is64 ? v : v & 0xffffffffu;
}

// Zeros, signs, NaNs, infinities, extremes and the edges of the integer
// ranges (for the truncations), or random bits.
inline uint32_t f32_bits(Src& in) {
  static constexpr uint32_t k[] = {0,          0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, kCanonNan32, 0xffc00000,
                                   0x7fa00001, 0x7f800000, 0xff800000, 0x7f7fffff, 1,          0x4f000000,  0xcf000000,
                                   0x4f800000, 0x5f000000, 0xdf000000, 0x5f800000, 0x4f7fffff, 0xbf7fffff};
  uint32_t i = in.below(24);
  return i < std::size(k) ? k[i] : uint32_t(in.u64());
}

inline uint64_t f64_bits(Src& in) {
  static constexpr uint64_t k[] = {0,
                                   0x8000000000000000,
                                   0x3ff0000000000000,
                                   0xbff0000000000000,
                                   0x3fe0000000000000,
                                   kCanonNan64,
                                   0xfff8000000000000,
                                   0x7ff4000000000001,
                                   0x7ff0000000000000,
                                   0xfff0000000000000,
                                   0x7fefffffffffffff,
                                   1,
                                   0x41e0000000000000,
                                   0xc1e0000000200000,
                                   0x41f0000000000000,
                                   0x43e0000000000000,
                                   0xc3e0000000000000,
                                   0x43f0000000000000,
                                   0x41efffffffe00000,
                                   0xbfefffffffffffff};
  uint32_t i = in.below(24);
  return i < std::size(k) ? k[i] : in.u64();
}

inline void emit_const(Buf& out, VT t, uint64_t bits) {
  switch (t) {
    case I32:
      out.u8(0x41);
      out.sleb(int32_t(uint32_t(bits)));
      break;
    case I64:
      out.u8(0x42);
      out.sleb(int64_t(bits));
      break;
    case F32:
      out.u8(0x43);
      out.raw(bits, 4);
      break;
    case F64:
      out.u8(0x44);
      out.raw(bits, 8);
      break;
    case V128:  // both halves `bits` (emit_any_const gives random lanes)
      out.u8(0xFD);
      out.uleb(12);
      out.raw(bits, 8);
      out.raw(bits, 8);
      break;
  }
}

inline uint64_t random_bits(Src& in, VT t) {
  return t == F32 ? f32_bits(in) : t == F64 ? f64_bits(in) : int_bits(in, t == I64);
}

// v128.const: lanes of one random shape, from the scalar generators' edge cases.
void emit_v128_const(Buf& out, Src& in);

// A constant of any type (v128: random lanes, `bits` unused).
inline void emit_any_const(Buf& out, Src& in, VT t) {
  if (t == V128)
    emit_v128_const(out, in);
  else
    emit_const(out, t, random_bits(in, t));
}

// What the SIMD part of the body generator (module_gen_simd.cpp) uses of
// the type-stack walk in module_gen_body.cpp.
class Walk {
 public:
  virtual ~Walk() = default;
  virtual Src& in() = 0;
  virtual Buf& out() = 0;
  virtual bool diff() const = 0;
  virtual void need(const Types& ts) = 0;  // the top of the stack gets `ts`
  virtual void pop(size_t n) = 0;
  virtual void push(VT t) = 0;
  virtual void push_address() = 0;
  virtual void memarg(uint8_t natural) = 0;
  virtual void canonicalize() = 0;  // differential: a float NaN on the top becomes canonical
  virtual uint32_t scratch(VT t) = 0;  // a local of type t for the generator's own use
};

// The bytes of SIMD opcode `code` (0xFD prefix, LEB128 code).
void simd_op(Walk& w, uint32_t code);

// One SIMD instruction (and its operands) of the walk.
void simd_instruction(Walk& w);

// Differential mode: the v128 on the top of the stack gets canonical NaNs in
// its lanes of `shape` (F32 or F64) that are NaN.
void canonicalize_v128(Walk& w, VT shape);

struct FuncSig {
  Types params, results;
  bool operator==(const FuncSig&) const = default;
};

struct Global {
  VT t;
  bool mut;
  uint64_t init;
};

struct Module {
  GenConfig cfg;
  std::vector<FuncSig> types;
  std::vector<uint32_t> func_types;  // per function, imports first
  std::vector<std::string> import_names;  // spectest function names
  uint32_t nimports = 0, ngen = 0;   // imported and generated functions
  std::vector<Global> globals;
  size_t nuser_globals = 0;          // the loop budget global comes after these
  uint32_t mem_min = 0, mem_max = 0;
  uint32_t table_min = 0, table_max = 0, elem_offset = 0;
  std::vector<uint32_t> elems;       // function indices at table[elem_offset...]
  // Table 1: the target of table.set/fill/copy/init/grow in differential
  // mode (call_indirect only uses table 0, whose contents stay known).
  uint32_t table1_min = 0, table1_max = 0;
  std::vector<uint32_t> passive_elems;  // element segment 1 (passive); 0 is the active one, 2 declares every function
  struct Data {
    bool passive;
    uint32_t offset;
    std::vector<uint8_t> bytes;
  };
  std::vector<Data> datas;
  std::vector<Buf> bodies;  // code entries (locals + instructions), generated functions first

  uint32_t type_index(const FuncSig& s) {
    auto it = std::find(types.begin(), types.end(), s);
    if (it != types.end()) return uint32_t(it - types.begin());
    types.push_back(s);
    return uint32_t(types.size() - 1);
  }
  const FuncSig& sig(uint32_t func) const { return types[func_types[func]]; }
  uint64_t mem_bytes() const { return uint64_t(mem_min) * 65536; }
};

// A body (locals and instructions) for generated function `func` of about
// `budget` steps.
Buf generate_body(Module& m, Src& in, uint32_t func, int budget);

}  // namespace wnn_test::gen
