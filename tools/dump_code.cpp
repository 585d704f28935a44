// Prints the interpreter code wnn translates a module into, one internal
// instruction per line: handler name and operand words. A development tool
// for performance work (what did the translator emit for this loop?).
//   dump_code FILE.wasm [function-index]
//   dump_code --tier=jit [--before-opt | --asm] [--loop-entry] [--quick] FILE.wasm function-index
// The second form prints what the compiler tier (src/jit) makes of one
// function: its LLVM IR after optimisation (default), as generated
// (--before-opt), or its x86-64 assembly (--asm). See docs/compiler.md.
// Function indices count imports, like wasm2wat's. Operands print by name as
// src/exec/layouts.def gives them (exec::format_operands): slots as s<N>,
// branch targets as @<word>.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "exec/jit.h"
#include "exec/op_info.h"
#include "valid/compiled_module.h"
#include "wnn/runtime.h"

namespace {

void dump(const wnn::exec::FunctionCode& fc) {
  std::printf("  params %u, locals %u, results %u, frame %u slots\n", fc.param_slots, fc.local_slots, fc.result_slots,
              fc.frame_slots);
  const auto& code = fc.code;
  for (size_t i = 0; i < code.size();) {
    const wnn::exec::OpInfo* op = wnn::exec::op_info(code[i].h);
    if (!op) {
      std::printf("  %5zu  ?? %016" PRIx64 "\n", i, code[i].u64);
      ++i;
      continue;
    }
    std::printf("  %5zu  %-24s%s\n", i, op->name, wnn::exec::format_operands(code.data(), code.size(), i).c_str());
    // A truncated instruction (never emitted) ends the code.
    i += i + op->fixed_words <= code.size() ? op->words(&code[i]) : op->fixed_words;
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
    else if (a == "--loop-entry")  // the function's loop entry (tiering's on-stack replacement)
      options.dump_loop_entry = true;
    else if (a == "--quick")  // the Quick pipeline (Tier::Auto's first compile)
      options.level = wnn::JitLevel::Quick;
    else if (a != "--tier=jit") {
      std::fprintf(stderr, "dump_code: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (i + 2 != argc) {
    std::fprintf(stderr,
                 "usage: dump_code --tier=jit [--before-opt | --asm] [--loop-entry] [--quick] FILE.wasm "
                 "function-index\n");
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
  if (options.dump_loop_entry) {
    // That function and its loop entry alone, as a tiering batch would have them.
    const uint32_t imported = (*compiled)->module.num_imported_funcs;
    if (options.dump_function < imported) {
      std::fprintf(stderr, "dump_code: function %u is an import\n", options.dump_function);
      return 2;
    }
    const uint32_t defined[] = {options.dump_function - imported};
    options.loop_entries = defined;
    auto object = wnn::exec::jit_compile_object(**compiled, defined, options);
    if (!object) {
      std::fprintf(stderr, "dump_code: %s\n", object.error().message.c_str());
      return 1;
    }
    return 0;
  }
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
  for (size_t i = 0; i < cm.code.size(); ++i) {
    if (only >= 0 && size_t(only) != imported + i) continue;
    std::printf("func %zu:\n", imported + i);
    dump(cm.code[i]);
  }
  return 0;
}
