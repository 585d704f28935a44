// The "spectest" host module of the spec runner: the shared one
// (tests/support/spectest_host.h), its print functions tracing calls at -vv.
#include <cstdio>

#include "spec.h"
#include "spectest_host.h"

namespace wnn_spec {

bool make_spectest(wnn::Store& store, int verbosity, ExternMap& out, std::string& error) {
  wnn_test::SpectestPrint print;
  if (verbosity >= 2)
    print = [](std::string_view name, std::span<const wnn::ValType> params, const uint64_t* slots) {
      std::printf("    spectest.%.*s:", int(name.size()), name.data());
      for (size_t i = 0; i < params.size(); ++i) {
        wnn::Value v;
        v.type = params[i];
        v.lo = (v.type == wnn::ValType::I32 || v.type == wnn::ValType::F32) ? (slots[i] & 0xffffffffu) : slots[i];
        std::printf(" %s", describe_value(v).c_str());
      }
      std::printf("\n");
      std::fflush(stdout);
    };
  return wnn_test::make_spectest(store, out, error, std::move(print));
}

}  // namespace wnn_spec
