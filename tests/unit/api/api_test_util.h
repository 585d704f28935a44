// The embedding API's tests load real modules: tests/unit/api/wat/NAME.wat,
// assembled by wat2wasm at build time (wnn_wat_modules, wat_module.h).
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn::api_test {

inline std::vector<uint8_t> wasm_bytes(const std::string& name) { return wnn::test::wat_module(name); }

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
