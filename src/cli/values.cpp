#include "cli/values.h"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace wnn::cli {

namespace {

Error usage(std::string_view option, std::string_view text, const std::string& want) {
  return Error(ErrorKind::Usage, std::string(option) + ": \"" + std::string(text) + "\" is not " + want);
}

// Digits only (no sign, no spaces, no "0x"): strtoull would take "-1" and " 5".
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The unsigned decimal number `s`, or nothing when it has other characters or overflows.
bool to_u64(std::string_view s, uint64_t& out) {
  if (!all_digits(s)) return false;
  std::string z(s);
  errno = 0;
  out = std::strtoull(z.c_str(), nullptr, 10);
  return errno != ERANGE;
}

}  // namespace

Expected<uint64_t> parse_count(std::string_view option, std::string_view text, uint64_t min, uint64_t max) {
  const std::string want = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  uint64_t v = 0;
  if (!to_u64(text, v) || v < min || v > max) return usage(option, text, want);
  return v;
}

Expected<uint64_t> parse_size(std::string_view option, std::string_view text, uint64_t max) {
  const std::string want = "a size of at most " + std::to_string(max) + " bytes (e.g. 65536, 64K, 256M, 4G)";
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view unit = text.substr(digits);
  uint64_t mul = 1;
  if (unit == "K" || unit == "Ki" || unit == "k")
    mul = 1ull << 10;
  else if (unit == "M" || unit == "Mi")
    mul = 1ull << 20;
  else if (unit == "G" || unit == "Gi")
    mul = 1ull << 30;
  else if (!unit.empty())
    return usage(option, text, want);
  uint64_t v = 0;
  if (!to_u64(text.substr(0, digits), v) || v > max / mul) return usage(option, text, want);
  return v * mul;
}

Expected<double> parse_seconds(std::string_view option, std::string_view text, double max) {
  char buf[64];
  const std::string want = "a number of seconds above 0 and at most " + std::to_string(uint64_t(max));
  // Plain decimal notation only: no sign, "inf", "nan" or hex floats.
  if (text.empty() || text.size() >= sizeof buf) return usage(option, text, want);
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
      return usage(option, text, want);
  if (!((text[0] >= '0' && text[0] <= '9') || text[0] == '.')) return usage(option, text, want);
  text.copy(buf, text.size());
  buf[text.size()] = 0;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(buf, &end);
  if (*end || errno == ERANGE || !std::isfinite(v) || !(v > 0) || v > max) return usage(option, text, want);
  return v;
}

Expected<Value> parse_value(std::string_view text, ValType t) {
  const std::string s(text);
  const char* p = s.c_str();
  char* end = nullptr;
  auto bad = [&]() {
    return Error(ErrorKind::Usage, "cannot parse \"" + s + "\" as " + val_type_name(t) +
                                       (t == ValType::I32 || t == ValType::I64 ? " (decimal or 0x hex, may be negative)"
                                                                               : " (e.g. 1.5, -0, inf, nan, 0x1p-3)"));
  };
  if (s.empty() || s[0] == ' ' || s[0] == '\t' || s[0] == '\n') return bad();
  errno = 0;
  switch (t) {
    case ValType::I32:
    case ValType::I64: {
      const bool neg = s[0] == '-';
      if (s[0] == '+') return bad();
      const uint64_t v = neg ? uint64_t(std::strtoll(p, &end, 0)) : std::strtoull(p, &end, 0);
      if (end == p || *end || errno == ERANGE) return bad();
      if (t == ValType::I32) {
        const int64_t sv = int64_t(v);
        if (neg ? sv < INT32_MIN : v > UINT32_MAX) return bad();
        return Value::i32(uint32_t(v));
      }
      return Value::i64(v);
    }
    case ValType::F32: {
      const float f = std::strtof(p, &end);
      if (end == p || *end) return bad();
      return Value::f32(f);
    }
    case ValType::F64: {
      const double d = std::strtod(p, &end);
      if (end == p || *end) return bad();
      return Value::f64(d);
    }
    default: return Error(ErrorKind::Usage, std::string("cannot pass a ") + val_type_name(t) + " on the command line");
  }
}

std::string format_value(const Value& v) {
  char buf[64];
  switch (v.type) {
    case ValType::I32: std::snprintf(buf, sizeof buf, "%" PRId32, int32_t(v.as_u32())); return buf;
    case ValType::I64: std::snprintf(buf, sizeof buf, "%" PRId64, int64_t(v.as_u64())); return buf;
    case ValType::F32: std::snprintf(buf, sizeof buf, "%.9g", double(v.as_f32())); return buf;
    case ValType::F64: std::snprintf(buf, sizeof buf, "%.17g", v.as_f64()); return buf;
    default: return value_string(v);
  }
}

}  // namespace wnn::cli
