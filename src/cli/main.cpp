// The `wnn` command line, with Wasmtime's conventions.
//
//   wnn run [options] module.wasm [args...]
//   wnn [options] module.wasm [args...]     (shorthand for `wnn run`)
//   wnn run module.wasm --invoke NAME [args...]
#include <CLI/CLI.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <sys/stat.h>

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wnn/nn.h"
#include "wnn/runtime.h"
#include "wnn/wasi.h"

namespace {

using namespace wnn;

Expected<std::vector<uint8_t>> read_file(const std::string& path) {
  // One read of the whole file: istreambuf_iterator costs ~10 ms on a 6 MB module.
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(::fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {  // a directory opens, then ftell says LONG_MAX
    std::fclose(f);
    return Error(ErrorKind::Io, "cannot read " + path + ": not a regular file");
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(size_t(st.st_size));
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) return Error(ErrorKind::Io, "cannot read " + path);
  return bytes;
}

// Parses a command-line argument as a value of type `t`: decimal or 0x-hex
// integers (negative allowed), floats in any strtod form (inf, nan, 1e-3).
Expected<Value> parse_arg(const std::string& s, ValType t) {
  const char* p = s.c_str();
  char* end = nullptr;
  errno = 0;
  auto bad = [&]() { return Error(ErrorKind::Usage, "cannot parse \"" + s + "\" as " + val_type_name(t)); };
  switch (t) {
    case ValType::I32:
    case ValType::I64: {
      bool neg = !s.empty() && s[0] == '-';
      uint64_t v = neg ? uint64_t(std::strtoll(p, &end, 0)) : std::strtoull(p, &end, 0);
      if (end == p || *end || errno == ERANGE) return bad();
      if (t == ValType::I32) {
        int64_t sv = int64_t(v);
        if (neg ? sv < INT32_MIN : v > UINT32_MAX) return bad();
        return Value::i32(uint32_t(v));
      }
      return Value::i64(v);
    }
    case ValType::F32: {
      float f = std::strtof(p, &end);
      if (end == p || *end) return bad();
      return Value::f32(f);
    }
    case ValType::F64: {
      double d = std::strtod(p, &end);
      if (end == p || *end) return bad();
      return Value::f64(d);
    }
    default:
      return Error(ErrorKind::Usage, std::string("cannot pass a ") + val_type_name(t) + " on the command line");
  }
}

std::string format_result(const Value& v) {
  char buf[64];
  switch (v.type) {
    case ValType::I32: std::snprintf(buf, sizeof buf, "%" PRId32, int32_t(v.as_u32())); return buf;
    case ValType::I64: std::snprintf(buf, sizeof buf, "%" PRId64, int64_t(v.as_u64())); return buf;
    case ValType::F32: std::snprintf(buf, sizeof buf, "%.9g", double(v.as_f32())); return buf;
    case ValType::F64: std::snprintf(buf, sizeof buf, "%.17g", v.as_f64()); return buf;
    default: return value_string(v);
  }
}

int report(const Error& e) {
  // proc_exit is not an error: the guest chose its exit code.
  if (e.kind == ErrorKind::Trap && e.trap == TrapKind::Exit) return e.exit_code & 0xff;
  std::fflush(stdout);
  std::fprintf(stderr, "wnn: %s: %s\n", error_kind_name(e.kind), e.message.c_str());
  return e.kind == ErrorKind::Usage ? 2 : 1;
}

struct RunOptions {
  std::string module;
  std::string invoke;
  std::vector<std::string> args;
  std::vector<std::string> dirs;     // HOST[::GUEST]
  std::vector<std::string> mapdirs;  // GUEST::HOST
  std::vector<std::string> envs;     // NAME=VALUE or NAME (inherit)
  std::vector<std::string> wasi_opts;   // -S nn, -S nn-graph=ENCODING::DIR (comma-separated allowed)
  std::vector<std::string> nn_preload;  // NAME:ENCODING:TARGET:PATH[:PATH...]
  std::string nn_cache;                 // OpenVINO compiled-model cache directory
  uint64_t fuel = 0;                    // 0: unlimited
  double timeout = 0;                   // seconds; 0: none
  uint32_t max_call_depth = StoreConfig{}.max_call_depth;
  std::string max_memory;               // bytes, with an optional K/M/G suffix (binary)
  uint64_t max_table_elems = StoreConfig{}.max_table_elems;
  std::string nn_max_model_bytes;       // same syntax as max_memory
  std::optional<uint32_t> nn_max_handles;
};

// "65536", "64K", "256M", "4G" (powers of 1024) -> bytes.
Expected<uint64_t> parse_size(const std::string& s, const char* option) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  uint64_t mul = 1;
  std::string unit = end ? end : "";
  if (unit == "K" || unit == "Ki" || unit == "k") mul = 1ull << 10;
  else if (unit == "M" || unit == "Mi") mul = 1ull << 20;
  else if (unit == "G" || unit == "Gi") mul = 1ull << 30;
  else if (!unit.empty()) end = nullptr;
  if (s.empty() || end == s.c_str() || !end || errno == ERANGE || v > UINT64_MAX / mul)
    return Error(ErrorKind::Usage, std::string(option) + ": cannot parse \"" + s + "\" as a size (e.g. 65536, 64K, 256M, 4G)");
  return uint64_t(v) * mul;
}

// Interrupts the store's guest code when `seconds` have passed (a wall-clock
// limit); stops waiting when destroyed.
class Watchdog {
 public:
  Watchdog(Store& store, double seconds) {
    if (seconds <= 0) return;
    thread_ = std::thread([this, &store, seconds] {
      std::unique_lock lock(mutex_);
      if (!done_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; }))
        store.interrupt();
    });
  }
  ~Watchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

// Which option or backend would provide an import wnn does not have.
std::string provider_hint(std::string_view module) {
  if (WasiContext::is_wasi_module(module)) return "not a function of " + std::string(module) + " (built in)";
  if (NnContext::is_nn_module(module))
    return "not a function of wasi_ephemeral_nn (wnn has load, load_by_name, load_by_name_with_config, "
           "init_execution_context, set_input, compute, get_output, compute_single, get_output_single, fini_single, "
           "unload, finalize_execution_context)";
  if (module.starts_with("wasi")) return "no provider: unknown WASI module (wnn has wasi_snapshot_preview1, wasi_unstable)";
  return "no provider";
}

std::string import_string(const Module& mod, const Import& im) {
  std::string s = im.module + "::" + im.name + " (" + extern_kind_name(im.kind);
  if (im.kind == ExternKind::Func) s += " " + func_type_string(mod.types[im.func_type]);
  return s + ")";
}

// Every import must be a WASI function of the right type: list all that are not.
Expected<void> check_imports(const Module& mod) {
  std::string missing;
  for (const Import& im : mod.imports) {
    std::optional<FuncType> t = WasiContext::function_type(im.module, im.name);
    if (!t) t = NnContext::function_type(im.module, im.name);
    if (t && im.kind == ExternKind::Func && mod.types[im.func_type] == *t) continue;
    missing += "\n  " + import_string(mod, im) + ": ";
    if (t) missing += "wnn provides it with type (func " + func_type_string(*t) + ")";
    else missing += provider_hint(im.module);
  }
  if (missing.empty()) return {};
  return Error(ErrorKind::Unlinkable, "the module needs imports that wnn does not provide:" + missing);
}

Expected<WasiConfig> wasi_config(const RunOptions& opt) {
  WasiConfig cfg;
  cfg.args.push_back(opt.module);
  for (const std::string& a : opt.args) cfg.args.push_back(a);
  for (const std::string& d : opt.dirs) {
    size_t sep = d.find("::");
    if (sep == std::string::npos) cfg.preopens.push_back({d, d});
    else cfg.preopens.push_back({d.substr(0, sep), d.substr(sep + 2)});
  }
  for (const std::string& d : opt.mapdirs) {
    size_t sep = d.find("::");
    if (sep == std::string::npos)
      return Error(ErrorKind::Usage, "--mapdir needs GUEST::HOST, got \"" + d + "\"");
    cfg.preopens.push_back({d.substr(sep + 2), d.substr(0, sep)});
  }
  for (const WasiPreopen& p : cfg.preopens)
    if (p.host_path.empty() || p.guest_path.empty())
      return Error(ErrorKind::Usage, "empty directory name in --dir/--mapdir");
  for (const std::string& e : opt.envs) {
    if (e.empty() || e[0] == '=') return Error(ErrorKind::Usage, "--env needs NAME=VALUE, got \"" + e + "\"");
    if (e.find('=') != std::string::npos) {
      cfg.env.push_back(e);
    } else if (const char* v = std::getenv(e.c_str())) {
      cfg.env.push_back(e + "=" + v);  // `--env NAME` passes the host's value, as Wasmtime does
    }
  }
  return cfg;
}

// -S options (Wasmtime's): `nn` (always on) and `nn-graph=ENCODING::DIR`;
// --nn-preload (WasmEdge's).
Expected<NnConfig> nn_config(const RunOptions& opt) {
  NnConfig cfg;
  for (const std::string& group : opt.wasi_opts) {
    size_t start = 0;
    while (start <= group.size()) {
      size_t comma = group.find(',', start);
      std::string o = group.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? group.size() + 1 : comma + 1;
      if (o.empty() || o == "nn" || o == "nn=y" || o == "nn=true") continue;
      if (o.rfind("nn-graph=", 0) == 0) {
        auto p = NnContext::parse_graph_option(std::string_view(o).substr(9));
        if (!p) return p.error();
        cfg.graphs.push_back(std::move(*p));
        continue;
      }
      return Error(ErrorKind::Usage, "unknown -S option \"" + o + "\" (wnn knows nn, nn-graph=ENCODING::DIR)");
    }
  }
  for (const std::string& s : opt.nn_preload) {
    auto p = NnContext::parse_preload(s);
    if (!p) return p.error();
    cfg.graphs.push_back(std::move(*p));
  }
  if (!opt.nn_cache.empty()) {
    // Made here so that a bad path is a clear error before the guest runs, not a failed load.
    std::error_code ec;
    std::filesystem::create_directories(opt.nn_cache, ec);
    if (ec || !std::filesystem::is_directory(opt.nn_cache, ec))
      return Error(ErrorKind::Io, "--nn-cache " + opt.nn_cache + ": cannot create the directory" +
                                      (ec ? ": " + ec.message() : std::string()));
    cfg.cache_dir = opt.nn_cache;
  }
  if (!opt.nn_max_model_bytes.empty()) {
    WNN_TRY(cap, parse_size(opt.nn_max_model_bytes, "--nn-max-model-bytes"));
    cfg.max_model_bytes = cap;
  }
  if (opt.nn_max_handles) cfg.max_handles = *opt.nn_max_handles;
  return cfg;
}

int run(const RunOptions& opt) {
  auto bytes = read_file(opt.module);
  if (!bytes) return report(bytes.error());
  auto compiled = compile(std::move(*bytes));
  if (!compiled) return report(compiled.error());
  const Module& mod = module_of(**compiled);
  if (auto r = check_imports(mod); !r) return report(r.error());

  auto cfg = wasi_config(opt);
  if (!cfg) return report(cfg.error());
  auto wasi = WasiContext::create(*cfg);
  if (!wasi) return report(wasi.error());
  auto ncfg = nn_config(opt);
  if (!ncfg) return report(ncfg.error());
  auto nn = NnContext::create(*ncfg);
  if (!nn) return report(nn.error());

  StoreConfig store_config;
  store_config.fuel = opt.fuel;
  store_config.max_call_depth = opt.max_call_depth;
  store_config.max_table_elems = opt.max_table_elems;
  if (!opt.max_memory.empty()) {
    auto bytes = parse_size(opt.max_memory, "--max-memory");
    if (!bytes) return report(bytes.error());
    store_config.max_memory_pages = *bytes / kPageSize;
  }
  Store store(store_config);
  Watchdog watchdog(store, opt.timeout);  // covers the start function too
  auto inst = store.instantiate(*compiled, [&](std::string_view m, std::string_view n) -> std::optional<Extern> {
    if (NnContext::is_nn_module(m)) return (*nn)->resolve(store, m, n);
    return (*wasi)->resolve(store, m, n);
  });
  if (!inst) return report(inst.error());

  if (opt.invoke.empty()) {
    auto ex = store.find_export(*inst, "_start");
    if (!ex || ex->kind != ExternKind::Func) return 0;  // no _start: instantiation ran its start function
    auto r = store.invoke(ex->func(), {});
    if (!r) return report(r.error());
    return 0;
  }

  const std::string& name = opt.invoke;
  auto ex = store.find_export(*inst, name);
  if (!ex || ex->kind != ExternKind::Func) {
    std::string have;
    for (const auto& [n, e] : store.exports(*inst))
      if (e.kind == ExternKind::Func) have += (have.empty() ? "" : ", ") + n;
    return report(Error(ErrorKind::Usage, "no exported function \"" + name + "\" (exported functions: " +
                                              (have.empty() ? "none" : have) + ")"));
  }
  const FuncType& type = store.func_type(ex->func());
  if (opt.args.size() != type.params.size())
    return report(Error(ErrorKind::Usage, "\"" + name + "\" has type " + func_type_string(type) + ": expected " +
                                              std::to_string(type.params.size()) + " argument(s), got " +
                                              std::to_string(opt.args.size())));
  std::vector<Value> args;
  for (size_t i = 0; i < opt.args.size(); ++i) {
    auto v = parse_arg(opt.args[i], type.params[i]);
    if (!v) return report(v.error());
    args.push_back(*v);
  }
  // A WASI reactor initialises itself in `_initialize` before any other export runs.
  if (name != "_initialize")
    if (auto init = store.find_export(*inst, "_initialize"); init && init->kind == ExternKind::Func) {
      auto r = store.invoke(init->func(), {});
      if (!r) return report(r.error());
    }
  auto results = store.invoke(ex->func(), args);
  if (!results) return report(results.error());
  for (const Value& v : *results) std::printf("%s\n", format_result(v).c_str());
  return 0;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
// Sanitizer builds: OpenVINO keeps per-thread state (its stream executors',
// TBB's observers) that it never frees before exit; LeakSanitizer would fail
// every run that used wasi-nn. Leaks of wnn's own objects are still reported.
extern "C" const char* __lsan_default_suppressions() { return "leak:libopenvino.so\nleak:libtbb.so\n"; }
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }  // keep stderr the guest's
#endif

int main(int argc, char** argv) {
  // `wnn [options] module.wasm ...` is short for `wnn run [options] module.wasm ...`.
  std::vector<std::string> argv_s(argv, argv + argc);
  if (argc > 1 && argv_s[1] != "run" && argv_s[1] != "help" && argv_s[1] != "-h" && argv_s[1] != "--help")
    argv_s.insert(argv_s.begin() + 1, "run");

  CLI::App app{"wnn: a WebAssembly runtime for machine-learning inference"};
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  wnn run --dir ./data::/data app.wasm input.txt   run a WASI command with ./data visible as /data\n"
      "  wnn app.wasm arg1 arg2                           shorthand for `wnn run app.wasm arg1 arg2`\n"
      "  wnn run fib.wasm --invoke fib 25                 call an exported function, print its results\n"
      "Run `wnn run --help` for every option of `run`.");
  RunOptions opt;
  std::vector<std::string> rest;
  CLI::App* run_cmd = app.add_subcommand(
      "run",
      "Run a WebAssembly module: a WASI command (its _start), or the export named by --invoke. Options go "
      "before the module path; everything after it belongs to the guest.");
  run_cmd->add_option("--dir", opt.dirs,
                      "HOST_DIR[::GUEST_DIR]: give the guest the host directory HOST_DIR, visible as GUEST_DIR "
                      "(default: the same name). The guest sees nothing else of the file system. Repeatable.")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  run_cmd->add_option("--mapdir", opt.mapdirs,
                      "GUEST_DIR::HOST_DIR: the older Wasmtime form of --dir HOST_DIR::GUEST_DIR. Repeatable.")
      ->type_name("GUEST::HOST")
      ->allow_extra_args(false);
  run_cmd->add_option("--env", opt.envs,
                      "NAME=VALUE: set an environment variable for the guest (NAME alone passes the host's "
                      "value). The guest sees no other variables. Repeatable.")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  run_cmd->add_option("-S", opt.wasi_opts,
                      "WASI proposal options, Wasmtime's syntax (comma-separated, repeatable): `nn` (wasi-nn, always "
                      "on) and `nn-graph=ENCODING::DIR`, a graph for load_by_name named after DIR's basename, from "
                      "DIR/model.xml + model.bin (openvino), model.onnx, model.pb (tensorflow) or model.tflite. "
                      "wasi-nn backends of this wnn: " + NnContext::backends_summary())
      ->type_name("OPT[,OPT...]")
      ->allow_extra_args(false);
  run_cmd->add_option("--nn-preload", opt.nn_preload,
                      "NAME:ENCODING:TARGET:PATH[:PATH...]: a graph for load_by_name (WasmEdge's syntax; encoding "
                      "openvino|onnx|tensorflow|tensorflowlite|autodetect, target cpu|gpu|tpu|auto, any case; "
                      "openvino takes the .xml then the .bin). Read and compiled on the first load_by_name. Repeatable.")
      ->type_name("NAME:ENC:TARGET:PATH")
      ->allow_extra_args(false);
  run_cmd->add_option("--nn-cache", opt.nn_cache,
                      "DIR: OpenVINO's compiled-model cache (created if missing): a wasi-nn load of a model "
                      "compiled before for the same device reads the compiled blob from DIR instead of compiling")
      ->type_name("DIR");
  run_cmd->add_option("--fuel", opt.fuel,
                      "Instruction budget: the guest traps with \"all fuel consumed\" after about N instructions "
                      "(charged at calls and loop iterations)");
  run_cmd->add_option("--timeout", opt.timeout,
                      "Wall-clock limit in seconds (e.g. 2.5): the guest traps with \"interrupted\", running code "
                      "or waiting in a WASI call (sleeping, reading stdin)")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--max-call-depth", opt.max_call_depth,
                      "Deepest wasm call nesting before \"call stack exhausted\" (default 20000)")
      ->check(CLI::Range(1u, 10'000'000u));
  run_cmd->add_option("--max-memory", opt.max_memory,
                      "Largest linear memory (e.g. 256M): a module asking for more fails to instantiate, "
                      "memory.grow beyond it returns -1");
  run_cmd->add_option("--max-table-elements", opt.max_table_elems,
                      "Largest table, in elements (default 10000000)");
  run_cmd->add_option("--nn-max-model-bytes", opt.nn_max_model_bytes,
                      "Most model bytes a guest may pass to wasi-nn load (e.g. 512M); more is too_large");
  run_cmd->add_option("--nn-max-handles", opt.nn_max_handles,
                      "Most wasi-nn graphs + execution contexts a guest may hold at once (default 1024, 0: no "
                      "limit); more is runtime_error");
  run_cmd->add_option("--invoke", opt.invoke,
                      "Call this exported function instead of _start (after _initialize, for WASI reactors); "
                      "its arguments follow the module path, one per parameter, and its results are printed");
  run_cmd->add_option("module", opt.module, "The .wasm file")->required();
  run_cmd->add_option("args", rest, "Arguments: the guest's argv[1..] (for --invoke: one per parameter)");
  run_cmd->footer(
      "The guest's stdin, stdout and stderr are the process's. Exit status: the guest's proc_exit code, 0 when "
      "_start returns, 1 on a trap (printed with a Wasm backtrace) or load error, 2 on a usage error.");
  run_cmd->prefix_command();  // everything after the module belongs to the guest

  std::vector<const char*> cargv;
  for (auto& s : argv_s) cargv.push_back(s.c_str());
  try {
    app.parse(int(cargv.size()), cargv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& r : run_cmd->remaining()) rest.push_back(r);
  // `wnn run module.wasm --invoke NAME args...` (the order) also works.
  if (opt.invoke.empty() && rest.size() >= 2 && rest[0] == "--invoke") {
    opt.invoke = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  opt.args = rest;
  return run(opt);
}
