// Tiny helpers for the fuzz targets that build their trampoline modules by
// hand: LEB128, names and sections of the binary format.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace wnn::fuzz {

inline void leb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(b | (v ? 0x80 : 0));
  } while (v);
}

inline void name(std::vector<uint8_t>& out, const std::string& s) {
  leb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

inline void section(std::vector<uint8_t>& out, uint8_t id, const std::vector<uint8_t>& body) {
  out.push_back(id);
  leb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace wnn::fuzz
