// The fuzz targets' hand-built modules: LEB128, names and sections of the
// binary format, and the trampoline module that exposes host functions to a
// fuzzer as exports.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wnn/types.h"

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

struct HostImport {
  std::string module, name;
  FuncType type;
};

// Imports each function and exports trampoline "t<i>" calling import i with
// the trampoline's own parameters; with `memory_pages` (min, max), also
// exports a memory "memory".
inline std::vector<uint8_t> trampoline_module(const std::vector<HostImport>& fns,
                                              std::optional<std::pair<uint8_t, uint8_t>> memory_pages) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  std::vector<uint8_t> types, imports, funcs, exports, code;
  const size_t n = fns.size();
  leb(types, n);
  for (const HostImport& f : fns) {
    types.push_back(0x60);
    leb(types, f.type.params.size());
    for (auto t : f.type.params) types.push_back(uint8_t(t));
    leb(types, f.type.results.size());
    for (auto t : f.type.results) types.push_back(uint8_t(t));
  }
  leb(imports, n);
  for (size_t i = 0; i < n; ++i) {
    name(imports, fns[i].module);
    name(imports, fns[i].name);
    imports.push_back(0x00);
    leb(imports, i);
  }
  leb(funcs, n);
  for (size_t i = 0; i < n; ++i) leb(funcs, i);
  leb(exports, n + (memory_pages ? 1 : 0));
  if (memory_pages) {
    name(exports, "memory");
    exports.push_back(0x02);
    exports.push_back(0x00);
  }
  for (size_t i = 0; i < n; ++i) {
    name(exports, "t" + std::to_string(i));
    exports.push_back(0x00);
    leb(exports, n + i);
  }
  leb(code, n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<uint8_t> body = {0x00};  // no locals
    for (size_t p = 0; p < fns[i].type.params.size(); ++p) {
      body.push_back(0x20);
      leb(body, p);
    }
    body.push_back(0x10);
    leb(body, i);
    body.push_back(0x0B);
    leb(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  section(m, 1, types);
  section(m, 2, imports);
  section(m, 3, funcs);
  if (memory_pages) section(m, 5, {0x01, 0x01, memory_pages->first, memory_pages->second});
  section(m, 7, exports);
  section(m, 10, code);
  return m;
}

}  // namespace wnn::fuzz
