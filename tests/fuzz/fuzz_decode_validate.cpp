// Fuzz target (a): decode + validate + translate arbitrary bytes.
// wnn::compile must return a module or an Error, never crash, hang or leak.
#include <cstdint>
#include <vector>

#include "wnn/runtime.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = wnn::compile(std::vector<uint8_t>(data, data + size));
  if (m) (void)wnn::module_exports(**m).size();
  return 0;
}
