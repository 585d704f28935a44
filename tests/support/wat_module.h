// Test modules written as WAT: <test dir>/wat/<name>.wat, assembled by wabt's
// wat2wasm at build time (wnn_wat_modules in tests/support/CMakeLists.txt)
// into WNN_WAT_DIR/<name>.wasm.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "wasm_writer.h"

namespace wnn::test {

// The binary of wat/<name>.wat; empty (and a test failure) when it was not built.
inline Bytes wat_module(const std::string& name) {
  const std::string path = std::string(WNN_WAT_DIR) + "/" + name + ".wasm";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "no " << path << ": wat/" << name << ".wat was not assembled (is wabt installed?)";
    return {};
  }
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Absolute offset of the first instruction of defined function `defined` in an
// assembled module (what error messages report; ModuleBuilder::body_offset for
// WAT). Walks the sections to the code section, then the bodies' sizes and
// local declarations (numeric, vector and reference types: one byte each).
inline size_t wat_body_offset(const Bytes& wasm, size_t defined) {
  size_t i = 8;  // magic and version
  auto uleb_at = [&wasm, &i] {
    uint64_t v = 0;
    for (unsigned shift = 0; i < wasm.size(); shift += 7) {
      uint8_t b = wasm[i++];
      v |= uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  };
  while (i < wasm.size()) {
    uint8_t id = wasm[i++];
    size_t size = uleb_at(), end = i + size;
    if (id != 10) {
      i = end;
      continue;
    }
    uint64_t count = uleb_at();
    for (uint64_t f = 0; f < count; ++f) {
      size_t body_size = uleb_at(), body_end = i + body_size;
      if (f == defined) {
        for (uint64_t groups = uleb_at(); groups > 0; --groups) {
          uleb_at();  // count
          ++i;        // type
        }
        return i;
      }
      i = body_end;
    }
    break;
  }
  ADD_FAILURE() << "no body of defined function " << defined;
  return 0;
}

}  // namespace wnn::test
