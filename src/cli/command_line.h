// The `wnn` command line: which command, and the options of `run`.
//
//   wnn run [OPTIONS] MODULE [ARGS...]       run a WASI command, or the export named by --invoke
//   wnn [OPTIONS] MODULE [ARGS...]           the same
//   wnn help [run] | wnn --help | wnn run --help
//   wnn --version | wnn version
//   wnn compile MODULE -o OUT.cwasm           precompile (cli/code_commands.h)
//   wnn cache stats|clear [--cache DIR]       the code cache
//
// wnn's options go before MODULE; everything after it belongs to the guest,
// verbatim and in order, whatever it looks like (`--x`, `-`, `--`, `-1.5`,
// `--dir`), as in Wasmtime and WasmEdge. Before MODULE, an option wnn does
// not know is an error that names the closest one it does.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::cli {

struct RunOptions {
  std::string module;
  std::string invoke;                   // "": run _start
  std::vector<std::string> args;        // the guest's argv[1..], or --invoke's arguments
  std::vector<std::string> dirs;        // HOST[::GUEST]
  std::vector<std::string> mapdirs;     // GUEST::HOST
  std::vector<std::string> envs;        // NAME=VALUE or NAME (inherit)
  std::vector<std::string> wasi_opts;   // -S nn, -S nn-graph=ENCODING::DIR (comma-separated allowed)
  std::vector<std::string> nn_preload;  // NAME:ENCODING:TARGET:PATH[:PATH...]
  std::vector<std::string> nn_configs;  // NAME=JSON: a named graph's config
  std::string nn_cache;                 // OpenVINO compiled-model cache directory
  uint64_t fuel = 0;                    // 0: unlimited
  double timeout = 0;                   // seconds; 0: none
  Tier tier = Tier::Auto;               // --tier (docs/compiler.md)
  JitLevel jit_level = JitLevel::Full;  // --jit-level
  Profiling profiling = Profiling::None;  // --profile
  std::optional<uint32_t> max_call_depth;
  std::optional<uint64_t> max_memory;   // bytes
  std::optional<uint64_t> max_table_elems;
  std::optional<uint64_t> nn_max_model_bytes;
  std::optional<uint64_t> nn_max_tensor_bytes;
  std::optional<uint32_t> nn_max_handles;
  bool nn_isolation_none = false;        // --nn-isolation=none: wasi-nn inside wnn
  std::optional<uint64_t> nn_max_memory;  // the wasi-nn worker's cap
  // --- compiled code: the code cache and precompiled modules (cli/code_commands.h)
  std::string cache_dir;                 // --cache DIR; "": the default
  bool no_cache = false;                 // --no-cache
  bool allow_precompiled = false;        // --allow-precompiled: MODULE may be a .cwasm
};

// `wnn compile` and `wnn cache`.
struct CodeCommand {
  std::string module, output;  // compile
  std::string action;          // cache: stats | clear
  std::string cache_dir;       // --cache DIR; "": the default
};

struct Command {
  enum class Kind { Run, Help, Version, Compile, Cache } kind = Kind::Run;
  std::string text;  // Help: what to print
  RunOptions run;
  CodeCommand code;  // Compile, Cache
};

// `argv` without the program name. Usage errors (ErrorKind::Usage) say what
// is wrong and what would be right.
Expected<Command> parse_command_line(std::span<const std::string> argv);

}  // namespace wnn::cli
