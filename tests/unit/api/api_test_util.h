// The embedding API's tests load real modules: tests/unit/api/wat/NAME.wat,
// built to WNN_API_WASM_DIR/NAME.wasm by wat2wasm.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "wnn/runtime.h"

namespace wnn::api_test {

inline std::vector<uint8_t> wasm_bytes(const std::string& name) {
  std::ifstream in(std::string(WNN_API_WASM_DIR) + "/" + name + ".wasm", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::shared_ptr<const CompiledModule> load(const std::string& name, Tier tier = Tier::Interp) {
  CompileOptions options;
  options.tier = tier;
  auto m = compile(wasm_bytes(name), options);
  if (!m) {
    ADD_FAILURE() << name << ": " << m.error().message;
    return nullptr;
  }
  return *m;
}

inline FuncInst* export_func(Store& store, const Instance* inst, std::string_view name) {
  auto e = store.find_export(inst, name);
  return e ? e->func() : nullptr;
}

}  // namespace wnn::api_test
