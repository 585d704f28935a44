// The commands and options about compiled code (docs/compiler.md, "Code
// cache and artifacts"):
//
//   wnn compile MODULE -o OUT.cwasm      precompile every function
//   wnn cache stats|clear [--cache DIR]  the code cache
//   wnn run --allow-precompiled OUT.cwasm
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "wnn/runtime.h"

namespace wnn::cli {

// argv[0] is "compile" or "cache".
Expected<Command> parse_code_command(std::span<const std::string> argv);

int compile_command(const CodeCommand& cmd);
int cache_command(const CodeCommand& cmd);

// `wnn run` of a precompiled module: refused without --allow-precompiled.
Expected<std::shared_ptr<const CompiledModule>> load_precompiled(const RunOptions& opt, std::span<const uint8_t> bytes,
                                                                 const CompileOptions& options);

}  // namespace wnn::cli
