#include "cli/command_line.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

#include "cli/code_commands.h"
#include "cli/values.h"
#include "wnn/nn.h"

namespace wnn::cli {

namespace {

constexpr uint64_t kMaxFuel = uint64_t(1) << 62;
constexpr double kMaxTimeoutSeconds = 1e9;  // ~31 years: past it the clock arithmetic would overflow
constexpr uint64_t kMaxSizeOption = uint64_t(1) << 40;

const char* const kTopHelp =
    "wnn: a WebAssembly runtime for machine-learning inference\n"
    "\n"
    "Usage:\n"
    "  wnn run [OPTIONS] MODULE [ARGS...]   run a WASI command (or, with --invoke NAME, an exported function)\n"
    "  wnn [OPTIONS] MODULE [ARGS...]       the same\n"
    "  wnn help [COMMAND]                   this help, or every option of run, compile or cache\n"
    "  wnn --version                        wnn's version and its wasi-nn backends\n"
    "  wnn compile MODULE -o OUT.cwasm      precompile every function to native code (run it with\n"
    "                                       `wnn run --allow-precompiled OUT.cwasm`)\n"
    "  wnn cache stats|clear [--cache DIR]  the code cache of compiled code (default $XDG_CACHE_HOME/wnn)\n"
    "\n"
    "wnn's options go before MODULE; everything after MODULE is the guest's, verbatim.\n"
    "\n"
    "Examples:\n"
    "  wnn run --dir ./data::/data app.wasm input.txt   run app.wasm with ./data visible as /data\n"
    "  wnn app.wasm --verbose -n 5                      the guest gets argv [app.wasm, --verbose, -n, 5]\n"
    "  wnn run --invoke fib fib.wasm 25                 call the export fib(25), print its results\n";

// The raw text of each option whose value wnn checks itself (cli/values.h).
struct RawValues {
  std::string tier, jit_level, profile, fuel, timeout, max_call_depth, max_memory, max_table_elems, nn_max_model_bytes,
      nn_max_tensor_bytes, nn_max_handles;
  std::string nn_isolation, nn_max_memory;
};

// The `run` subcommand's options, for parsing and for --help.
std::unique_ptr<CLI::App> make_run_app(RunOptions& opt, RawValues& raw) {
  auto app = std::make_unique<CLI::App>(
      "Run a WebAssembly module: a WASI command (its _start), or the export named by --invoke. wnn's options go "
      "before MODULE; everything after it belongs to the guest, verbatim and in order.",
      "wnn run");
  auto repeatable = [&](const char* name, std::vector<std::string>& into, const std::string& help, const char* type) {
    app->add_option(name, into, help)->type_name(type)->allow_extra_args(false);
  };
  repeatable("--dir", opt.dirs,
             "HOST_DIR[::GUEST_DIR]: give the guest the host directory HOST_DIR, visible as GUEST_DIR (default: the "
             "same name). The guest sees nothing else of the file system. Repeatable.",
             "HOST[::GUEST]");
  repeatable("--mapdir", opt.mapdirs,
             "GUEST_DIR::HOST_DIR: the older Wasmtime form of --dir HOST_DIR::GUEST_DIR. Repeatable.", "GUEST::HOST");
  repeatable("--env", opt.envs,
             "NAME=VALUE: set an environment variable for the guest (NAME alone passes the host's value). The guest "
             "sees no other variables. Repeatable.",
             "NAME[=VALUE]");
  repeatable("-S", opt.wasi_opts,
             "WASI proposal options, Wasmtime's syntax (comma-separated, repeatable): `nn` (wasi-nn, always on) and "
             "`nn-graph=ENCODING::DIR`, a graph for load_by_name named after DIR's basename, from DIR/model.xml + "
             "model.bin (openvino), model.onnx, model.pb (tensorflow) or model.tflite.",
             "OPT[,OPT...]");
  repeatable("--nn-preload", opt.nn_preload,
             "NAME:ENCODING:TARGET:PATH[:PATH...]: a graph for load_by_name (WasmEdge's syntax; encoding "
             "openvino|onnx|tensorflow|tensorflowlite|autodetect, target cpu|gpu|tpu|auto, any case; openvino takes "
             "the .xml then the .bin). Read and compiled on the first load_by_name. Repeatable.",
             "NAME:ENC:TARGET:PATH");
  repeatable("--nn-config", opt.nn_configs,
             "NAME=JSON: the configuration of the named graph NAME (from --nn-preload or -S nn-graph), a JSON object; "
             "a guest's load_by_name_with_config keys replace these. openvino keys: precision f32|f16|bf16 (default "
             "f32), threads N, performance_hint latency|throughput, device cpu|gpu|npu[.N]; ggml keys: WasmEdge's "
             "n-predict, ctx-size, temp, top-p, seed, threads, "
             "reverse-prompt, ... (docs/wasi-nn.md). "
             "Repeatable.",
             "NAME=JSON");
  app->add_option("--nn-cache", opt.nn_cache,
                  "OpenVINO's compiled-model cache (created if missing): a wasi-nn load of a model compiled before for "
                  "the same device reads the compiled blob from DIR instead of compiling")
      ->type_name("DIR");
  app->add_option("--fuel", raw.fuel,
                  "Instruction budget, 1 to 2^62: the guest traps with \"all fuel consumed\" after about N "
                  "instructions (charged at calls and loop iterations)")
      ->type_name("N");
  app->add_option("--timeout", raw.timeout,
                  "Wall-clock limit in seconds (e.g. 2.5, above 0): compiling, instantiating and running end with "
                  "\"interrupted\", also while the guest waits in a WASI call (sleeping, reading stdin)")
      ->type_name("SECONDS");
  app->add_option("--tier", raw.tier,
                  "How guest code runs: auto (default: the interpreter at once, hot functions compiled to native code "
                  "by LLVM in the background), interp (the interpreter only) or jit (every function compiled before "
                  "running; docs/compiler.md)")
      ->type_name("auto|interp|jit");
  app->add_option("--jit-level", raw.jit_level,
                  "How hard --tier=jit optimises: full (default, LLVM O2) or quick (a short pipeline and cheaper "
                  "code generation, what --tier=auto compiles first; for measurements)")
      ->type_name("full|quick");
  app->add_option("--profile", raw.profile,
                  "perfmap: name compiled guest functions for Linux perf (wasm[MODULE]::FUNCTION in `perf record` / "
                  "`perf report`) by appending them to /tmp/perf-<pid>.map, readable by other users, as each piece of "
                  "code is linked. Only compiled code has entries: none with --tier=interp, only the hot functions "
                  "with --tier=auto (docs/compiler.md)")
      ->type_name("perfmap");
  // --- compiled code (cli/code_commands.h)
  app->add_option("--cache", opt.cache_dir,
                  "The code cache: compiled code is kept in DIR (created if missing) and reused by later runs of the "
                  "same module (default $XDG_CACHE_HOME/wnn, else ~/.cache/wnn; `wnn cache stats|clear`)")
      ->type_name("DIR");
  app->add_flag("--no-cache", opt.no_cache, "Neither read nor write the code cache");
  app->add_flag("--allow-precompiled", opt.allow_precompiled,
                "MODULE may be a precompiled .cwasm (`wnn compile`): its machine code runs as is, so only allow "
                "files you trust. wnn still checks its version, LLVM, CPU features and checksum");
  // ---
  app->add_option("--max-call-depth", raw.max_call_depth,
                  "Deepest wasm call nesting before \"call stack exhausted\", 1 to 10000000 (default 20000)")
      ->type_name("N");
  app->add_option("--max-memory", raw.max_memory,
                  "Most bytes the guest's linear memories and tables may take together (e.g. 256M; default 5G): a "
                  "module asking for more fails to instantiate, memory.grow and table.grow beyond it return -1")
      ->type_name("SIZE");
  app->add_option("--max-table-elements", raw.max_table_elems,
                  "Largest table, in elements, 0 to 4294967295 (default 10000000)")
      ->type_name("N");
  app->add_option("--nn-max-model-bytes", raw.nn_max_model_bytes,
                  "Most model bytes a guest may pass to wasi-nn load (e.g. 512M); more is too_large")
      ->type_name("SIZE");
  app->add_option("--nn-max-tensor-bytes", raw.nn_max_tensor_bytes,
                  "Largest tensor a wasi-nn model may make from the guest's inputs, checked before inference "
                  "(default 2G, 0: no limit); more is too_large")
      ->type_name("SIZE");
  app->add_option("--nn-max-handles", raw.nn_max_handles,
                  "Most wasi-nn graphs + execution contexts a guest may hold at once (default 1024, 0: no limit); "
                  "more is runtime_error")
      ->type_name("N");
  app->add_option(
         "--nn-isolation", raw.nn_isolation,
         "Where wasi-nn's inference engine runs: process (default: a confined worker process; a crash, "
         "memory overrun or --timeout there fails the call, not wnn) or none (inside wnn: trusted models only)")
      ->type_name("process|none");
  app->add_option("--nn-max-memory", raw.nn_max_memory,
                  "Memory cap of the wasi-nn worker process (e.g. 2G; default 4G, 0: none); beyond it a load or "
                  "compute fails with runtime_error")
      ->type_name("SIZE");
  app->add_option("--invoke", opt.invoke,
                  "Call this exported function instead of _start (after _initialize, for WASI reactors); its arguments "
                  "follow MODULE, one per parameter, and its results are printed")
      ->type_name("NAME");
  app->add_option("module", opt.module, "The .wasm file")->required()->type_name("MODULE");
  app->footer(
      "ARGS: the guest's argv[1..] (argv[0] is MODULE as given), or with --invoke one value per parameter "
      "(decimal, 0x hex, -1, 1.5, -0, inf, nan).\n"
      "The guest's stdin, stdout and stderr are the process's (stream rights only). Exit status: the guest's "
      "proc_exit code, 0 when _start returns, 1 on a trap (printed with a Wasm backtrace) or load error, 2 on a "
      "usage error.\n"
      "wasi-nn backends of this wnn: " +
      NnContext::backends_summary());
  return app;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

Error unknown_option(const CLI::App& app, std::string_view name) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const CLI::Option* o : app.get_options()) {
    std::vector<std::string> names;
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
    for (const std::string& n : names)
      if (size_t d = edit_distance(name, n); d < best_d) best_d = d, best = n;
  }
  std::string msg = "unknown option " + std::string(name);
  if (!best.empty() && best_d <= std::max<size_t>(2, name.size() / 3)) msg += " (did you mean " + best + "?)";
  msg += "; wnn's options go before the module path, and `wnn help run` lists them";
  return Error(ErrorKind::Usage, msg);
}

// Splits `run`'s arguments into wnn's part (options and MODULE) and the
// guest's part, which starts right after MODULE.
Expected<size_t> find_module(const CLI::App& app, std::span<const std::string> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return i + 1 < args.size() ? Expected<size_t>(i + 1) : Error(ErrorKind::Usage, "no module after --");
    if (a.size() < 2 || a[0] != '-') return i;  // MODULE ("-" too: it is not an option)
    if (a == "-h" || a == "--help") continue;
    // --name=value, --name value, -Svalue, -S value
    std::string name = a.starts_with("--") ? a.substr(0, a.find('=')) : a.substr(0, 2);
    const bool attached = name.size() < a.size();
    const CLI::Option* o = app.get_option_no_throw(name);
    if (!o || o->get_positional()) return unknown_option(app, name);
    if (!attached && o->get_type_size_max() > 0 && o->get_expected_max() > 0) {  // flags take no value
      if (i + 1 >= args.size()) return Error(ErrorKind::Usage, name + " needs a value");
      ++i;
    }
  }
  return Error(ErrorKind::Usage,
               "no module given: `wnn run [OPTIONS] MODULE [ARGS...]` (`wnn help run` lists the options)");
}

Expected<void> check_values(const RawValues& raw, RunOptions& opt) {
  if (!raw.fuel.empty()) {
    WNN_TRY(v, parse_count("--fuel", raw.fuel, 1, kMaxFuel));
    opt.fuel = v;
  }
  if (!raw.tier.empty()) {
    if (raw.tier != "interp" && raw.tier != "jit" && raw.tier != "auto")
      return Error(ErrorKind::Usage, "--tier: '" + raw.tier + "' is not a tier (auto, interp or jit)");
    opt.tier = raw.tier == "jit" ? Tier::Jit : raw.tier == "interp" ? Tier::Interp : Tier::Auto;
  }
  if (!raw.jit_level.empty()) {
    if (raw.jit_level != "full" && raw.jit_level != "quick")
      return Error(ErrorKind::Usage, "--jit-level: '" + raw.jit_level + "' is not a level (full or quick)");
    opt.jit_level = raw.jit_level == "quick" ? JitLevel::Quick : JitLevel::Full;
  }
  if (!raw.profile.empty()) {
    if (raw.profile != "perfmap")
      return Error(ErrorKind::Usage, "--profile: '" + raw.profile + "' is not a profiling strategy (perfmap)");
    opt.profiling = Profiling::PerfMap;
  }
  if (!raw.timeout.empty()) {
    WNN_TRY(v, parse_seconds("--timeout", raw.timeout, kMaxTimeoutSeconds));
    opt.timeout = v;
  }
  if (!raw.max_call_depth.empty()) {
    WNN_TRY(v, parse_count("--max-call-depth", raw.max_call_depth, 1, 10'000'000));
    opt.max_call_depth = uint32_t(v);
  }
  if (!raw.max_memory.empty()) {
    WNN_TRY(v, parse_size("--max-memory", raw.max_memory, kMaxSizeOption));
    opt.max_memory = v;
  }
  if (!raw.max_table_elems.empty()) {
    WNN_TRY(v, parse_count("--max-table-elements", raw.max_table_elems, 0, UINT32_MAX));
    opt.max_table_elems = v;
  }
  if (!raw.nn_max_model_bytes.empty()) {
    WNN_TRY(v, parse_size("--nn-max-model-bytes", raw.nn_max_model_bytes, kMaxSizeOption));
    opt.nn_max_model_bytes = v;
  }
  if (!raw.nn_max_tensor_bytes.empty()) {
    WNN_TRY(v, parse_size("--nn-max-tensor-bytes", raw.nn_max_tensor_bytes, kMaxSizeOption));
    opt.nn_max_tensor_bytes = v;
  }
  if (!raw.nn_max_handles.empty()) {
    WNN_TRY(v, parse_count("--nn-max-handles", raw.nn_max_handles, 0, INT32_MAX));
    opt.nn_max_handles = uint32_t(v);
  }
  if (!raw.nn_isolation.empty()) {
    if (raw.nn_isolation != "process" && raw.nn_isolation != "none")
      return Error(ErrorKind::Usage, "--nn-isolation: \"" + raw.nn_isolation + "\" is not process or none");
    opt.nn_isolation_none = raw.nn_isolation == "none";
  }
  if (!raw.nn_max_memory.empty()) {
    WNN_TRY(v, parse_size("--nn-max-memory", raw.nn_max_memory, kMaxSizeOption));
    opt.nn_max_memory = v;
  }
  return {};
}

Expected<Command> parse_run(std::span<const std::string> args) {
  Command cmd;
  RawValues raw;
  std::unique_ptr<CLI::App> app = make_run_app(cmd.run, raw);
  auto found = find_module(*app, args);
  // -h/--help among wnn's options (with or without a module) is a request for help.
  const auto ours_end = args.begin() + std::ptrdiff_t(found ? *found : args.size());
  if (std::find(args.begin(), ours_end, "-h") != ours_end || std::find(args.begin(), ours_end, "--help") != ours_end)
    return Command{Command::Kind::Help, app->help(), {}, {}};
  if (!found) return found.error();
  const size_t module_at = *found;
  std::vector<std::string> ours(args.begin(), ours_end);
  // CLI11 takes arguments in reverse order; MODULE goes in after "--", as
  // the one positional, whatever its first character.
  std::vector<std::string> rev{args[module_at], "--"};
  if (module_at > 0 && args[module_at - 1] == "--") ours.pop_back();
  rev.insert(rev.end(), ours.rbegin(), ours.rend());
  try {
    app->parse(rev);
  } catch (const CLI::ParseError& e) { return Error(ErrorKind::Usage, e.what()); }
  WNN_TRY_VOID(check_values(raw, cmd.run));
  cmd.run.args.assign(args.begin() + std::ptrdiff_t(module_at) + 1, args.end());
  return cmd;
}

}  // namespace

Expected<Command> parse_command_line(std::span<const std::string> argv) {
  if (argv.empty()) return Command{Command::Kind::Help, kTopHelp, {}, {}};
  const std::string& first = argv[0];
  if (first == "help" || first == "-h" || first == "--help") {
    if (argv.size() > 1 && argv[1] == "run") return parse_run(std::vector<std::string>{"--help"});
    if (argv.size() > 1 && (argv[1] == "compile" || argv[1] == "cache"))
      return parse_code_command(std::vector<std::string>{argv[1], "--help"});
    if (argv.size() > 1 && argv[1] != "help")
      return Error(ErrorKind::Usage, "no help on \"" + argv[1] + "\": wnn's commands are run, compile, cache, help");
    return Command{Command::Kind::Help, kTopHelp, {}, {}};
  }
  if (first == "--version" || first == "-V" || first == "version") return Command{Command::Kind::Version, {}, {}, {}};
  if (first == "run") return parse_run(argv.subspan(1));
  if (first == "compile" || first == "cache") return parse_code_command(argv);
  return parse_run(argv);  // `wnn [OPTIONS] MODULE ...`
}

}  // namespace wnn::cli
