// Fuzz target (a): decode + validate + translate arbitrary bytes.
// wnn::compile must return a module or an Error, never crash, hang or leak.
// The same bytes as `wnn run` reads a module file (cli/module_file.cpp: the
// ranges binary::needed_ranges keeps) must compile exactly as the whole:
// both fail with the same message, or both succeed with the same exports and
// function names.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "binary/decoder.h"
#include "valid/compiled_module.h"
#include "wnn/runtime.h"

namespace {

std::vector<uint8_t> read_as_the_cli_does(const uint8_t* data, size_t size) {
  const auto ranges = wnn::binary::needed_ranges(size, [&](uint64_t offset, size_t n) {
    const size_t from = offset < size ? size_t(offset) : size, to = from + (n < size - from ? n : size - from);
    return std::vector<uint8_t>(data + from, data + to);
  });
  std::vector<uint8_t> bytes;
  for (const wnn::binary::ByteRange& r : ranges) {
    if (r.offset > size || r.size > size - r.offset) std::abort();  // a range past the file
    bytes.insert(bytes.end(), data + r.offset, data + r.offset + r.size);
  }
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = wnn::compile(std::vector<uint8_t>(data, data + size));
  if (m) (void)wnn::module_exports(**m).size();

  const std::vector<uint8_t> read = read_as_the_cli_does(data, size);
  if (read.size() == size) return 0;  // the whole file: nothing to compare
  auto t = wnn::compile(read);
  if (m.ok() != t.ok()) std::abort();
  if (!m.ok()) {
    if (m.error().message != t.error().message) std::abort();
    return 0;
  }
  const auto a = wnn::module_exports(**m), b = wnn::module_exports(**t);
  if (a.size() != b.size()) std::abort();
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name) std::abort();
  if ((*m)->module.function_names != (*t)->module.function_names) std::abort();
  return 0;
}
