// A bounds-checked cursor over module bytes: LEB128 integers, floats, byte ranges
// (names with UTF-8 checking are read by binary/decode_internal.h: read_name).
// Every read returns an error naming the offset instead of reading past the end.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "wnn/expected.h"

namespace wnn::binary {

class Reader {
 public:
  Reader(const uint8_t* data, size_t size, size_t base_offset = 0)
      : begin_(data), p_(data), end_(data + size), base_(base_offset) {}

  size_t offset() const { return base_ + size_t(p_ - begin_); }  // absolute
  size_t remaining() const { return size_t(end_ - p_); }
  bool at_end() const { return p_ == end_; }
  const uint8_t* pos() const { return p_; }

  Error error(std::string what) const { return error_at(offset(), std::move(what)); }
  static Error error_at(size_t off, std::string what) {
    return Error(ErrorKind::Malformed, "at offset " + std::to_string(off) + ": " + std::move(what));
  }

  Expected<uint8_t> u8() {
    if (p_ >= end_) return error("unexpected end");
    return *p_++;
  }
  Expected<uint32_t> u32() { return uleb<uint32_t, 32>(); }
  Expected<uint64_t> u64() { return uleb<uint64_t, 64>(); }
  Expected<int32_t> s32() { return sleb<int32_t, 32>(); }
  Expected<int64_t> s64() { return sleb<int64_t, 64>(); }
  Expected<int64_t> s33() { return sleb<int64_t, 33>(); }  // block types

  Expected<uint32_t> f32_bits() {
    if (remaining() < 4) return error("unexpected end");
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;
  }
  Expected<uint64_t> f64_bits() {
    if (remaining() < 8) return error("unexpected end");
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  Expected<const uint8_t*> bytes(size_t n) {
    if (remaining() < n)
      return error("unexpected end: need " + std::to_string(n) + " bytes, have " + std::to_string(remaining()));
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }

 private:
  template <typename T, unsigned Bits> Expected<T> uleb() {
    T result = 0;
    unsigned shift = 0;
    size_t start = offset();
    for (;;) {
      if (p_ >= end_) return error_at(start, "unexpected end (truncated LEB128 integer)");
      uint8_t b = *p_++;
      unsigned used = Bits - shift;  // bits still allowed
      if (used < 7) {
        // Last allowed byte: no continuation, and unused bits must be zero.
        if (b & 0x80) return error_at(start, "integer representation too long (u" + std::to_string(Bits) + ")");
        if ((b >> used) != 0) return error_at(start, "integer too large (u" + std::to_string(Bits) + ")");
      }
      result |= T(b & 0x7F) << shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift >= Bits) return error_at(start, "integer representation too long (u" + std::to_string(Bits) + ")");
    }
  }
  template <typename T, unsigned Bits> Expected<T> sleb() {
    using U = std::make_unsigned_t<T>;
    U result = 0;
    unsigned shift = 0;
    size_t start = offset();
    for (;;) {
      if (p_ >= end_) return error_at(start, "unexpected end (truncated LEB128 integer)");
      uint8_t b = *p_++;
      unsigned left = Bits - shift;
      if (left < 7) {
        // Last allowed byte: no continuation; the unused high bits must all
        // equal the sign bit.
        if (b & 0x80) return error_at(start, "integer representation too long (s" + std::to_string(Bits) + ")");
        uint8_t sign_and_unused = uint8_t(b >> (left - 1)) & 0x7F;  // bits left-1 .. 6
        uint8_t all = uint8_t(0x7F >> (left - 1));
        if (sign_and_unused != 0 && sign_and_unused != all)
          return error_at(start, "integer too large (s" + std::to_string(Bits) + ")");
      }
      result |= U(b & 0x7F) << shift;
      shift += 7;
      if (!(b & 0x80)) {
        if (shift < sizeof(T) * 8 && (b & 0x40)) result |= ~U(0) << shift;
        if constexpr (Bits < sizeof(T) * 8) {
          // sign-extend from Bits (s33)
          unsigned sh = sizeof(T) * 8 - Bits;
          return T(result << sh) >> sh;
        }
        return T(result);
      }
      if (shift >= Bits) return error_at(start, "integer representation too long (s" + std::to_string(Bits) + ")");
    }
  }

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  size_t base_;
};

}  // namespace wnn::binary
