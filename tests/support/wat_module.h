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

}  // namespace wnn::test
