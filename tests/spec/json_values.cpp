// Values of the JSON command lists: parsing arguments, matching results.
//
// wast2json writes integers as unsigned decimal strings, floats as the
// unsigned decimal of their bit pattern, expected NaNs as "nan:canonical" or
// "nan:arithmetic", references as "null" or a host handle number, and v128
// values as {"lane_type": "i8".."f64", "value": [lane strings]}.
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "spec.h"

namespace wnn_spec {
namespace {

using wnn::ValType;
using wnn::Value;

std::optional<ValType> parse_type(std::string_view s) {
  if (s == "i32") return ValType::I32;
  if (s == "i64") return ValType::I64;
  if (s == "f32") return ValType::F32;
  if (s == "f64") return ValType::F64;
  if (s == "v128") return ValType::V128;
  if (s == "funcref") return ValType::FuncRef;
  if (s == "externref") return ValType::ExternRef;
  return std::nullopt;
}

uint64_t mask_of(unsigned bits) { return bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1; }

// A `bits`-wide integer written in decimal, unsigned (as wast2json does) or
// with a minus sign (two's complement).
std::optional<uint64_t> parse_bits(std::string_view s, unsigned bits) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (!neg) {
    if (v > mask_of(bits)) return std::nullopt;
    return v;
  }
  if (v > (uint64_t(1) << (bits - 1))) return std::nullopt;
  return (uint64_t(0) - v) & mask_of(bits);
}

unsigned lane_bits(std::string_view lane_type) {
  if (lane_type == "i8") return 8;
  if (lane_type == "i16") return 16;
  if (lane_type == "i32" || lane_type == "f32") return 32;
  if (lane_type == "i64" || lane_type == "f64") return 64;
  return 0;
}

uint64_t get_lane(const Value& v, unsigned bits, unsigned i) {
  unsigned bit = i * bits;
  uint64_t word = bit < 64 ? v.lo : v.hi;
  return (word >> (bit % 64)) & mask_of(bits);
}

void set_lane(Value& v, unsigned bits, unsigned i, uint64_t x) {
  unsigned bit = i * bits;
  uint64_t& word = bit < 64 ? v.lo : v.hi;
  word &= ~(mask_of(bits) << (bit % 64));
  word |= (x & mask_of(bits)) << (bit % 64);
}

// A float (bit pattern `bits`, `width` 32 or 64) against an expected string.
bool match_float(std::string_view expected, uint64_t bits, unsigned width) {
  uint64_t sign = uint64_t(1) << (width - 1);
  uint64_t quiet = width == 32 ? 0x00400000u : 0x0008000000000000u;
  uint64_t exp = width == 32 ? 0x7f800000u : 0x7ff0000000000000u;
  bits &= mask_of(width);
  if (expected == "nan:canonical") return (bits & ~sign) == (exp | quiet);
  if (expected == "nan:arithmetic") return (bits & (exp | quiet)) == (exp | quiet);
  auto want = parse_bits(expected, width);
  return want && *want == bits;
}

bool match_lane(std::string_view lane_type, std::string_view expected, uint64_t actual) {
  unsigned bits = lane_bits(lane_type);
  if (lane_type[0] == 'f') return match_float(expected, actual, bits);
  auto want = parse_bits(expected, bits);
  return want && *want == actual;
}

std::string float_string(uint64_t bits, unsigned width) {
  char buf[64];
  if (width == 32) {
    Value v = Value::f32_bits(uint32_t(bits));
    std::snprintf(buf, sizeof buf, "%.9g (0x%08" PRIx32 ")", double(v.as_f32()), uint32_t(bits));
  } else {
    Value v = Value::f64_bits(bits);
    std::snprintf(buf, sizeof buf, "%.17g (0x%016" PRIx64 ")", v.as_f64(), bits);
  }
  return buf;
}

std::string int_string(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRIu64, v);
  return buf;
}

}  // namespace

bool parse_value(const json& j, Value& out, std::string& error) {
  std::string type = j.at("type").get<std::string>();
  auto t = parse_type(type);
  if (!t) {
    error = "unsupported value type '" + type + "'";
    return false;
  }
  out = Value{};
  out.type = *t;
  const json& val = j.at("value");
  auto bad = [&](const std::string& what) {
    error = "bad " + type + " value " + what;
    return false;
  };
  switch (*t) {
    case ValType::I32:
    case ValType::F32:
    case ValType::I64:
    case ValType::F64: {
      unsigned width = (*t == ValType::I32 || *t == ValType::F32) ? 32 : 64;
      std::string s = val.get<std::string>();
      auto bits = parse_bits(s, width);
      if (!bits) return bad("'" + s + "'");
      out.lo = *bits;
      return true;
    }
    case ValType::FuncRef:
    case ValType::ExternRef: {
      std::string s = val.get<std::string>();
      if (s == "null") return true;
      auto n = parse_bits(s, 63);
      if (!n) return bad("'" + s + "'");
      if (*t == ValType::FuncRef) return bad("'" + s + "' (no host handles for funcref)");
      out.lo = externref_word(*n);
      return true;
    }
    case ValType::V128: {
      std::string lt = j.at("lane_type").get<std::string>();
      unsigned bits = lane_bits(lt);
      if (bits == 0) return bad("(lane type '" + lt + "')");
      if (!val.is_array() || val.size() != 128 / bits) return bad("(lane count)");
      for (unsigned i = 0; i < 128 / bits; ++i) {
        std::string s = val[i].get<std::string>();
        auto lane = parse_bits(s, bits);
        if (!lane) return bad("lane '" + s + "'");
        set_lane(out, bits, i, *lane);
      }
      return true;
    }
  }
  return bad("");
}

bool match_value(const json& e, const Value& a) {
  std::string type = e.at("type").get<std::string>();
  if (type == "either") {
    for (const json& alt : e.at("values"))
      if (match_value(alt, a)) return true;
    return false;
  }
  auto t = parse_type(type);
  if (!t || a.type != *t) return false;
  // (ref.func) / (ref.extern) without a handle: any non-null reference.
  if (!e.contains("value")) return wnn::is_ref(*t) ? a.lo != 0 : true;
  const json& val = e.at("value");
  switch (*t) {
    case ValType::I32: {
      auto want = parse_bits(val.get<std::string>(), 32);
      return want && *want == (a.lo & 0xffffffffu);
    }
    case ValType::I64: {
      auto want = parse_bits(val.get<std::string>(), 64);
      return want && *want == a.lo;
    }
    case ValType::F32: return match_float(val.get<std::string>(), a.lo, 32);
    case ValType::F64: return match_float(val.get<std::string>(), a.lo, 64);
    case ValType::FuncRef:
    case ValType::ExternRef: {
      std::string s = val.get<std::string>();
      if (s == "null") return a.lo == 0;
      auto n = parse_bits(s, 63);
      if (!n) return false;
      // A funcref has no host handle we could compare: any non-null one.
      if (*t == ValType::FuncRef) return a.lo != 0;
      return a.lo == externref_word(*n);
    }
    case ValType::V128: {
      std::string lt = e.at("lane_type").get<std::string>();
      unsigned bits = lane_bits(lt);
      if (bits == 0 || !val.is_array() || val.size() != 128 / bits) return false;
      for (unsigned i = 0; i < 128 / bits; ++i)
        if (!match_lane(lt, val[i].get<std::string>(), get_lane(a, bits, i))) return false;
      return true;
    }
  }
  return false;
}

std::string lane_type_of(const json& e) {
  if (e.is_object() && e.contains("lane_type") && e["lane_type"].is_string()) return e["lane_type"].get<std::string>();
  return "i32";
}

std::string describe_json_value(const json& j) {
  if (!j.is_object() || !j.contains("type")) return j.dump();
  std::string type = j["type"].is_string() ? j["type"].get<std::string>() : j["type"].dump();
  if (type == "either" && j.contains("values")) {
    std::string s = "either(";
    bool first = true;
    for (const json& alt : j["values"]) {
      s += (first ? "" : " | ") + describe_json_value(alt);
      first = false;
    }
    return s + ")";
  }
  if (!j.contains("value")) return type + (type == "funcref" || type == "externref" ? ":non-null" : ":any");
  const json& val = j["value"];
  if (type == "v128") {
    std::string lt = lane_type_of(j);
    unsigned bits = lane_bits(lt);
    std::string s = "v128:" + lt + "x" + (bits ? int_string(128 / bits) : "?") + " [";
    if (val.is_array()) {
      bool first = true;
      for (const json& lane : val) {
        std::string ls = lane.is_string() ? lane.get<std::string>() : lane.dump();
        if ((lt == "f32" || lt == "f64") && ls.rfind("nan:", 0) != 0) {
          if (auto b = parse_bits(ls, bits)) ls = float_string(*b, bits);
        }
        s += (first ? "" : " ") + ls;
        first = false;
      }
    }
    return s + "]";
  }
  std::string s = val.is_string() ? val.get<std::string>() : val.dump();
  if ((type == "f32" || type == "f64") && s.rfind("nan:", 0) != 0) {
    unsigned width = type == "f32" ? 32 : 64;
    if (auto b = parse_bits(s, width)) s = float_string(*b, width);
  }
  return type + ":" + s;
}

std::string describe_value(const Value& v, std::string_view lane_type) {
  char buf[64];
  switch (v.type) {
    case ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%" PRIu32 " (0x%" PRIx32 ")", v.as_u32(), v.as_u32());
      return buf;
    case ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%" PRIu64 " (0x%" PRIx64 ")", v.as_u64(), v.as_u64());
      return buf;
    case ValType::F32: return "f32:" + float_string(v.lo & 0xffffffffu, 32);
    case ValType::F64: return "f64:" + float_string(v.lo, 64);
    case ValType::FuncRef:
    case ValType::ExternRef: {
      std::string s = v.type == ValType::FuncRef ? "funcref:" : "externref:";
      if (v.lo == 0) return s + "null";
      if (v.type == ValType::ExternRef) return s + int_string(v.lo - 1);
      std::snprintf(buf, sizeof buf, "0x%" PRIx64, v.lo);
      return s + buf;
    }
    case ValType::V128: {
      unsigned bits = lane_bits(lane_type);
      if (bits == 0) bits = 32;
      bool is_float = !lane_type.empty() && lane_type[0] == 'f';
      std::string s = "v128:" + std::string(lane_type) + "x" + int_string(128 / bits) + " [";
      for (unsigned i = 0; i < 128 / bits; ++i) {
        uint64_t lane = get_lane(v, bits, i);
        s += (i ? " " : "") + (is_float ? float_string(lane, bits) : int_string(lane));
      }
      return s + "]";
    }
  }
  return "?";
}

}  // namespace wnn_spec
