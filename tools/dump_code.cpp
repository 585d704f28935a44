// Prints the interpreter code wnn translates a module into, one internal
// instruction per line: handler name and operand words. A development tool
// for performance work (what did the translator emit for this loop?).
//   dump_code FILE.wasm [function-index]
//   dump_code --tier=jit [--before-opt | --asm] FILE.wasm function-index
// The second form prints what the compiler tier (src/jit) makes of one
// function: its LLVM IR after optimisation (default), as generated
// (--before-opt), or its x86-64 assembly (--asm). See docs/compiler.md.
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

#include "exec/jit.h"
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
  std::printf("  params %u, locals %u, results %u, frame %u slots\n", fc.param_slots, fc.local_slots, fc.result_slots,
              fc.frame_slots);
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

// --tier=jit: compile the module (not shared yet) with a dump request.
int dump_jit(int argc, char** argv) {
  wnn::exec::JitOptions options;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    const std::string a = argv[i];
    if (a == "--before-opt")
      options.dump_before_opt = true;
    else if (a == "--asm")
      options.dump_asm = true;
    else if (a != "--tier=jit") {
      std::fprintf(stderr, "dump_code: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (i + 2 != argc) {
    std::fprintf(stderr, "usage: dump_code --tier=jit [--before-opt | --asm] FILE.wasm function-index\n");
    return 2;
  }
  std::ifstream in(argv[i], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "dump_code: cannot open %s\n", argv[i]);
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto compiled = wnn::compile(std::move(bytes));
  if (!compiled) {
    std::fprintf(stderr, "dump_code: %s\n", compiled.error().message.c_str());
    return 1;
  }
  options.dump_function = uint32_t(std::strtoul(argv[i + 1], nullptr, 10));
  auto r = wnn::exec::jit_compile(const_cast<wnn::CompiledModule&>(**compiled), options);
  if (!r) {
    std::fprintf(stderr, "dump_code: %s\n", r.error().message.c_str());
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--tier=jit") return dump_jit(argc, argv);
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
