// Names: strict UTF-8 checking, and the custom "name" section.
#include <string>
#include <unordered_map>

#include "binary/decode_internal.h"

namespace wnn::binary::detail {

size_t utf8_valid_prefix(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    // Length of the sequence and the allowed range of its second byte: the
    // narrowed ranges exclude overlong forms (E0, F0), surrogates (ED) and
    // code points above U+10FFFF (F4).
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;  // continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (n - i < len) return i;  // truncated sequence
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return n;
}

Expected<std::string> read_name(Reader& r) {
  WNN_TRY(len, read_count(r, "name byte"));
  size_t at = r.offset();
  WNN_TRY(p, r.bytes(len));
  size_t valid = utf8_valid_prefix(p, len);
  if (valid != len) return Reader::error_at(at + valid, "malformed UTF-8 encoding in name");
  return std::string(reinterpret_cast<const char*>(p), len);
}

namespace {

// Returns false on any malformation; the caller then ignores the section.
bool parse_names(Reader& r, std::string& module_name, std::unordered_map<uint32_t, std::string>& functions) {
  int last_id = -1;
  while (!r.at_end()) {
    auto id = r.u8();
    if (!id || int(*id) <= last_id) return false;  // subsections: ascending, each at most once
    last_id = *id;
    auto size = r.u32();
    if (!size) return false;
    auto sub = sub_reader(r, *size, "name subsection");
    if (!sub) return false;
    if (*id == 0) {
      auto name = read_name(*sub);
      if (!name) return false;
      module_name = std::move(*name);
    } else if (*id == 1) {
      auto count = read_count(*sub, "function name");
      if (!count) return false;
      int64_t last_index = -1;
      for (uint32_t i = 0; i < *count; ++i) {
        auto index = sub->u32();
        if (!index || int64_t(*index) <= last_index) return false;  // name maps are sorted
        last_index = *index;
        auto name = read_name(*sub);
        if (!name) return false;
        functions[*index] = std::move(*name);
      }
    } else {
      continue;  // local names and later additions: not used
    }
    if (!sub->at_end()) return false;
  }
  return true;
}

}  // namespace

void parse_name_section(Reader r, Module& m) {
  std::string module_name;
  std::unordered_map<uint32_t, std::string> functions;
  if (!parse_names(r, module_name, functions)) return;
  m.module_name = std::move(module_name);
  m.function_names = std::move(functions);
}

}  // namespace wnn::binary::detail
