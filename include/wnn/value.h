// A typed WebAssembly value, as passed across the embedding API.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>

#include "wnn/types.h"

namespace wnn {

struct Value {
  ValType type = ValType::I32;
  // i32/f32 in the low 32 bits of lo; i64/f64/ref in lo; v128 in lo (low
  // lanes) and hi.
  uint64_t lo = 0;
  uint64_t hi = 0;

  static Value i32(uint32_t v) { return {ValType::I32, v, 0}; }
  static Value i64(uint64_t v) { return {ValType::I64, v, 0}; }
  static Value f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return {ValType::F32, b, 0};
  }
  static Value f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return {ValType::F64, b, 0};
  }
  static Value f32_bits(uint32_t b) { return {ValType::F32, b, 0}; }
  static Value f64_bits(uint64_t b) { return {ValType::F64, b, 0}; }
  static Value ref(ValType t, uintptr_t r) { return {t, r, 0}; }  // 0 = null
  static Value v128(uint64_t lo, uint64_t hi) { return {ValType::V128, lo, hi}; }

  uint32_t as_u32() const { return uint32_t(lo); }
  uint64_t as_u64() const { return lo; }
  float as_f32() const {
    uint32_t b = uint32_t(lo);
    float f;
    std::memcpy(&f, &b, 4);
    return f;
  }
  double as_f64() const {
    double d;
    std::memcpy(&d, &lo, 8);
    return d;
  }
};

// "i32:42", "f64:1.5", "funcref:null", ...
std::string value_string(const Value& v);

}  // namespace wnn
