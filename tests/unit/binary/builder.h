// Helpers to build binary modules byte by byte in tests.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "binary/decoder.h"

namespace wnn::binary::test {

using Bytes = std::vector<uint8_t>;

inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : b | 0x80);
    if (done) return out;
  }
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A name: length, then the raw bytes (not necessarily valid UTF-8).
inline Bytes str(std::string_view s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// vec(items): the count, then the items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = uleb(items.size());
  for (const Bytes& p : items) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes section(uint8_t id, const Bytes& content) { return cat({{id}, uleb(content.size()), content}); }

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Section ids.
enum : uint8_t {
  kCustom,
  kType,
  kImport,
  kFunction,
  kTable,
  kMemory,
  kGlobal,
  kExport,
  kStart,
  kElement,
  kCode,
  kData,
  kDataCount
};

// Common pieces.
inline Bytes type_void() { return section(kType, vec({{0x60, 0x00, 0x00}})); }
inline Bytes funcs(uint32_t n) {
  Bytes c = uleb(n);
  for (uint32_t i = 0; i < n; ++i) c.push_back(0x00);
  return section(kFunction, c);
}
inline Bytes empty_body() { return {0x02, 0x00, 0x0B}; }  // size 2, no locals, end
inline Bytes codes(uint32_t n) {
  Bytes c = uleb(n);
  for (uint32_t i = 0; i < n; ++i) c.insert(c.end(), {0x02, 0x00, 0x0B});
  return section(kCode, c);
}
inline Bytes i32_const_expr(int32_t v) { return cat({{0x41}, sleb(v), {0x0B}}); }

inline Expected<Module> decode(const Bytes& b) { return decode_module(b); }

// Succeeds when `r` is a Malformed error whose message contains `phrase`.
inline ::testing::AssertionResult Malformed(const Expected<Module>& r, std::string_view phrase) {
  if (r.ok()) return ::testing::AssertionFailure() << "decoded fine, expected \"" << phrase << "\"";
  if (r.error().kind != ErrorKind::Malformed)
    return ::testing::AssertionFailure() << "wrong error kind: " << r.error().message;
  if (r.error().message.find(phrase) == std::string::npos)
    return ::testing::AssertionFailure() << "message \"" << r.error().message << "\" lacks \"" << phrase << "\"";
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult Decodes(const Expected<Module>& r) {
  if (!r.ok()) return ::testing::AssertionFailure() << r.error().message;
  return ::testing::AssertionSuccess();
}

}  // namespace wnn::binary::test
