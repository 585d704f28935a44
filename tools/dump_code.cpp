// Prints the interpreter code wnn translates a module into, one internal
// instruction per line: handler name and operand words. A development tool
// for performance work (what did the translator emit for this loop?).
//   dump_code FILE.wasm [function-index]
// Function indices count imports, like wasm2wat's. Operand words print as
// (a, b) pairs, the layout comments in src/exec/ops.def say what they mean.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

#include "valid/compiled_module.h"
#include "wnn/runtime.h"

namespace {

struct OpInfo {
  const char* name;
  unsigned size;
};

std::unordered_map<uintptr_t, OpInfo> op_table() {
  std::unordered_map<uintptr_t, OpInfo> t;
#define WNN_OP(name, size) t[reinterpret_cast<uintptr_t>(&wnn::exec::op_##name)] = {#name, size};
#include "exec/ops.def"
#undef WNN_OP
  return t;
}

void dump(const wnn::exec::FunctionCode& fc, const std::unordered_map<uintptr_t, OpInfo>& ops) {
  std::printf("  params %u, locals %u, results %u, frame %u slots\n", fc.param_slots, fc.local_slots,
              fc.result_slots, fc.frame_slots);
  const auto& code = fc.code;
  const uintptr_t br_table = reinterpret_cast<uintptr_t>(&wnn::exec::op_br_table);
  const uintptr_t br_table_add = reinterpret_cast<uintptr_t>(&wnn::exec::op_br_table_add);
  const uintptr_t br_table_load8 = reinterpret_cast<uintptr_t>(&wnn::exec::op_br_table_load8);
  for (size_t i = 0; i < code.size();) {
    auto it = ops.find(reinterpret_cast<uintptr_t>(code[i].h));
    if (it == ops.end()) {
      std::printf("  %5zu  ?? %016" PRIx64 "\n", i, code[i].u64);
      ++i;
      continue;
    }
    size_t size = it->second.size;
    if (it->first == br_table && i + 1 < code.size()) size = 2 + size_t(code[i + 1].b) + 1;
    if ((it->first == br_table_add || it->first == br_table_load8) && i + 1 < code.size())
      size = 3 + size_t(code[i + 1].b) + 1;
    std::printf("  %5zu  %-24s", i, it->second.name);
    for (size_t k = 1; k < size && i + k < code.size(); ++k)
      std::printf(" (%d, %u)", int32_t(code[i + k].a), code[i + k].b);
    std::printf("\n");
    i += size;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: dump_code FILE.wasm [function-index]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "dump_code: cannot open %s\n", argv[1]);
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto compiled = wnn::compile(std::move(bytes));
  if (!compiled) {
    std::fprintf(stderr, "dump_code: %s\n", compiled.error().message.c_str());
    return 1;
  }
  const wnn::CompiledModule& cm = **compiled;
  const size_t imported = cm.module.num_imported_funcs;
  const long only = argc > 2 ? std::strtol(argv[2], nullptr, 10) : -1;
  const auto ops = op_table();
  for (size_t i = 0; i < cm.code.size(); ++i) {
    if (only >= 0 && size_t(only) != imported + i) continue;
    std::printf("func %zu:\n", imported + i);
    dump(cm.code[i], ops);
  }
  return 0;
}
